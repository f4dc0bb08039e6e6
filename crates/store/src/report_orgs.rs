//! The reads behind the organisation figures of a report (`chibo_domain::report::orgs`): the
//! kind and village of the organisations under a root, and those that may have changed in a
//! period with their restructuring events.

use crate::StoreError;
use crate::db::{Exec, dynamic_sql, placeholders, sql};
use chibo_domain::org::OrgKind;
use chibo_domain::path::{is_within, subtree_end};
use chibo_domain::report::{OrgAt, OrgFacts};
use std::collections::HashMap;
use time::Date;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct KindRow {
    id: Uuid,
    kind: String,
    village: Option<String>,
}

fn kinds(rows: Vec<KindRow>) -> Result<Vec<OrgAt>, StoreError> {
    rows.into_iter()
        .map(|r| {
            let kind = OrgKind::parse(&r.kind).ok_or_else(|| StoreError::Corrupt(format!("org kind {}", r.kind)))?;
            Ok(OrgAt { id: r.id, kind, village: r.village })
        })
        .collect()
}

/// The kind and village of every active organisation strictly under `root_path` today, in
/// path order.
pub async fn kinds_under(e: &mut impl Exec, root_path: &str) -> Result<Vec<OrgAt>, StoreError> {
    let rows: Vec<KindRow> =
        sql("SELECT id, kind, village FROM orgs WHERE path > $1 AND path < $2 AND dissolved_on IS NULL ORDER BY path")
            .bind(root_path.to_string())
            .bind(subtree_end(root_path))
            .fetch_all(e)
            .await?;
    kinds(rows)
}

/// The kind and village of these organisations.
pub async fn kinds_of(e: &mut impl Exec, ids: &[Uuid]) -> Result<Vec<OrgAt>, StoreError> {
    kinds(by_ids(e, "id, kind, village", ids).await?)
}

/// `columns` of these organisations, 500 a query.
async fn by_ids<T: crate::db::Record>(e: &mut impl Exec, columns: &str, ids: &[Uuid]) -> Result<Vec<T>, StoreError> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let mut q = dynamic_sql(format!("SELECT {columns} FROM orgs WHERE id IN ({})", placeholders(1, chunk.len())));
        for id in chunk {
            q.push_arg(*id);
        }
        out.extend(q.fetch_all(&mut *e).await?);
    }
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct FactRow {
    id: Uuid,
    path: String,
    established_on: Option<Date>,
    dissolved_on: Option<Date>,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    org_id: Uuid,
    kind: String,
    effective_on: Date,
    detail: String,
}

/// The organisations strictly under `root_path` (today's tree, dissolved ones included)
/// established or dissolved in `[from, to)` or with a restructuring event then, with those
/// events. Read by date (indexes on `established_on`, `dissolved_on` and the events'
/// `effective_on`), then kept when under the root: the rows read are the period's
/// restructurings, whatever the subtree's size.
pub async fn facts_under(
    e: &mut impl Exec,
    root_path: &str,
    from: Date,
    to: Date,
) -> Result<Vec<OrgFacts>, StoreError> {
    // Only the subtree's organisations (by today's paths): a cell's report does not read the
    // nation's restructuring of the period.
    // $1..$2: the period; $3..$4: the subtree's paths.
    let end = subtree_end(root_path);
    let scoped = |text: &'static str| sql(text).bind(from).bind(to).bind(root_path.to_string()).bind(end.clone());
    let events: Vec<EventRow> = scoped(
        "SELECT ev.org_id, ev.kind, ev.effective_on, ev.detail FROM org_events ev JOIN orgs o ON o.id = ev.org_id \
         WHERE ev.effective_on >= $1 AND ev.effective_on < $2 AND o.path > $3 AND o.path < $4",
    )
    .fetch_all(&mut *e)
    .await?;
    let mut rows: Vec<FactRow> = scoped(
        "SELECT id, path, established_on, dissolved_on FROM orgs WHERE id IN (\
         SELECT id FROM orgs WHERE established_on >= $1 AND established_on < $2 AND path > $3 AND path < $4 \
         UNION SELECT id FROM orgs WHERE dissolved_on >= $1 AND dissolved_on < $2 AND path > $3 AND path < $4)",
    )
    .fetch_all(&mut *e)
    .await?;
    let mut ids: Vec<Uuid> = events.iter().map(|ev| ev.org_id).collect();
    ids.sort_unstable();
    ids.dedup();
    rows.extend(by_ids::<FactRow>(e, "id, path, established_on, dissolved_on", &ids).await?);
    rows.retain(|r| r.path.as_str() != root_path && is_within(&r.path, root_path));
    rows.sort_by(|a, b| a.path.cmp(&b.path));
    rows.dedup_by_key(|r| r.id);
    let mut by_org: HashMap<Uuid, Vec<(String, Date, bool)>> = HashMap::new();
    for ev in events {
        let into = serde_json::from_str::<serde_json::Value>(&ev.detail).is_ok_and(|d| d.get("into").is_some());
        by_org.entry(ev.org_id).or_default().push((ev.kind, ev.effective_on, into));
    }
    Ok(rows
        .into_iter()
        .map(|r| OrgFacts {
            events: by_org.remove(&r.id).unwrap_or_default(),
            id: r.id,
            established_on: r.established_on,
            dissolved_on: r.dissolved_on,
        })
        .collect())
}
