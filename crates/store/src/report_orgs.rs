//! The reads behind the organisation figures of a report (`chibo_domain::report::orgs`): the
//! kind and village of the organisations under a root, and those that changed in a period
//! with their restructuring events, each change in the tree of its date.

use crate::StoreError;
use crate::db::{Exec, dynamic_sql, placeholders, sql};
use chibo_domain::life::ancestry;
use chibo_domain::org::OrgKind;
use chibo_domain::path::subtree_end;
use chibo_domain::report::{ORG_CHANGE_EVENTS, OrgAt, OrgFacts};
use std::collections::{HashMap, HashSet};
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

/// The organisations of the subtree of `root` as the tree stood on `on`, with their kind and
/// village: `root` first when it had a place in the tree that day, empty otherwise. One
/// recursive query down the links of that day (a province's 11,000: one query, where a walk
/// took one per level and 500 parents, and the kinds another per 500). Each step reads the
/// children's links by parent and their organisations by id, so the work follows the subtree:
/// joined to `orgs` after the recursion, both engines read the whole table for a commune's
/// 82 organisations (PostgreSQL also every link at each level). The recursion keeps every row
/// (`UNION ALL`: `UNION`'s de-duplication took a third of the query on SQLite) and stops at
/// the deepest tree the kinds allow ([`OrgKind::MAX_DEPTH`]); an organisation reached twice
/// (links that overlap in time, which the writes never make) is kept once here.
pub async fn tree_on(e: &mut impl Exec, root: Uuid, on: Date) -> Result<Vec<OrgAt>, StoreError> {
    if crate::history::link_on(e, root, on).await?.is_none() {
        return Ok(Vec::new());
    }
    let rows: Vec<KindRow> = sql("WITH RECURSIVE t(id, depth, kind, village) AS (\
         SELECT id, 0, kind, village FROM orgs WHERE id = $1 \
         UNION ALL SELECT l.org_id, t.depth + 1, o.kind, o.village \
         FROM t CROSS JOIN org_links l CROSS JOIN orgs o WHERE l.parent_id = t.id AND o.id = l.org_id \
         AND t.depth < $3 AND (l.from_on IS NULL OR l.from_on <= $2) AND (l.to_on IS NULL OR l.to_on > $2)) \
         SELECT id, kind, village FROM t")
    .bind(root)
    .bind(on)
    .bind(OrgKind::MAX_DEPTH as i64)
    .fetch_all(e)
    .await?;
    let mut seen = HashSet::with_capacity(rows.len());
    let mut out = kinds(rows.into_iter().filter(|r| seen.insert(r.id)).collect())?;
    if let Some(at) = out.iter().position(|o| o.id == root) {
        out.swap(0, at);
    }
    Ok(out)
}

/// Whether `root` was the only top of the tree on `on` and is today: then every organisation
/// with a place in the tree that day lay under it, and every one today lies under it, so none
/// came into its subtree or left it since. Two reads of the tops (the links without a parent).
pub async fn sole_top(e: &mut impl Exec, root: Uuid, on: Date, today: Date) -> Result<bool, StoreError> {
    for day in [on, today] {
        let tops = crate::history::roots_on(e, day).await?;
        if tops.len() != 1 || tops[0].org_id != root {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether the organisations under `root` today are those under it on `on`, but those
/// established since: no organisation was moved with effect after `on` into the subtree or out
/// of it ([`chibo_domain::life::moves_kept_within`]). The organisations moved or renamed since
/// are found by the links' start index (a link starting after `on` that is not an
/// organisation's first); with none, nothing more is read. Up to [`MOVED_READ`] of them are
/// placed by their links on both days (one query per level of the tree above them); more, and
/// the answer is no (the report then reads the tree of that day).
pub async fn moves_kept_within(e: &mut impl Exec, root: Uuid, on: Date, today: Date) -> Result<bool, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Moved {
        org_id: Uuid,
    }
    let moved: Vec<Moved> = dynamic_sql(format!(
        "SELECT DISTINCT l.org_id FROM org_links l WHERE l.from_on > $1 AND EXISTS (\
         SELECT 1 FROM org_links p WHERE p.org_id = l.org_id AND (p.from_on IS NULL OR p.from_on < l.from_on)) \
         LIMIT {}",
        MOVED_READ + 1
    ))
    .bind(on)
    .fetch_all(&mut *e)
    .await?;
    if moved.is_empty() {
        return Ok(true);
    }
    if moved.len() > MOVED_READ {
        return Ok(false);
    }
    let ids: Vec<Uuid> = moved.iter().map(|m| m.org_id).collect();
    let links = crate::history::ancestry_links(e, &ids).await?;
    let placed: Vec<_> = ids.iter().map(|o| (*o, ancestry(*o, &links))).collect();
    Ok(chibo_domain::life::moves_kept_within(&placed, root, on, today))
}

/// Organisations moved since a past date that [`moves_kept_within`] places before it gives up.
pub const MOVED_READ: usize = 200;

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

/// `IN (…)` of the restructuring events that make an organisation change (the domain's fixed
/// codes, [`ORG_CHANGE_EVENTS`], written into the text).
fn change_events() -> String {
    format!("({})", ORG_CHANGE_EVENTS.map(|k| format!("'{k}'")).join(", "))
}

/// The organisations that changed in `[from, to)` in `root`'s subtree, each change counted in
/// the tree of its date ([`OrgFacts::within`]), in path order: created, dissolved, or with a
/// restructuring event then. The candidates are read by date (every restructuring of the
/// period in the tree) when they are fewer than the organisations of the subtree
/// ([`by_date_reads_less`]), else by the organisations that lay under `root` on some day from
/// the day before the period to its end (`walk_down`); either way a superset, of which each
/// one's ancestry through time decides.
pub async fn facts_in(e: &mut impl Exec, root: Uuid, from: Date, to: Date) -> Result<Vec<OrgFacts>, StoreError> {
    let by_date = by_date_reads_less(e, root, from, to).await?;
    facts_read(e, root, from, to, by_date).await
}

/// [`facts_in`] with the candidates read by date or by the walk down the subtree, as told (a
/// test compares the two).
pub async fn facts_read(
    e: &mut impl Exec,
    root: Uuid,
    from: Date,
    to: Date,
    by_date: bool,
) -> Result<Vec<OrgFacts>, StoreError> {
    let (rows, events) = if by_date {
        candidates_by_date(e, from, to).await?
    } else {
        let since = from.previous_day().unwrap_or(from);
        let under = crate::reports::walk_down(e, root, Some((since, to))).await?;
        candidates_of(e, &under, from, to).await?
    };
    let mut by_org: HashMap<Uuid, Vec<(String, Date, bool)>> = HashMap::new();
    for ev in events {
        let into = serde_json::from_str::<serde_json::Value>(&ev.detail).is_ok_and(|d| d.get("into").is_some());
        by_org.entry(ev.org_id).or_default().push((ev.kind, ev.effective_on, into));
    }
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let links = crate::history::ancestry_links(e, &ids).await?;
    let mut out: Vec<(String, OrgFacts)> = rows
        .into_iter()
        .filter_map(|r| {
            let facts = OrgFacts {
                events: by_org.remove(&r.id).unwrap_or_default(),
                id: r.id,
                established_on: r.established_on,
                dissolved_on: r.dissolved_on,
            };
            facts.within(root, &ancestry(r.id, &links)).map(|f| (r.path, f))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out.into_iter().map(|(_, f)| f).collect())
}

type Candidates = (Vec<FactRow>, Vec<EventRow>);

/// Whether the period's candidates read by date are fewer than the organisations a walk down
/// `root`'s subtree reads: always at a top of the tree (the walk would be the whole tree);
/// elsewhere the period's changes in the whole tree are counted up to the size of the subtree
/// today, so that the count reads no more than the walk would. A province of the nation demo
/// walked 14,800 organisations in about 140 ms, and read their changes of a month in 80 ms
/// more, where the month's changes by date are a few rows (docs/BENCHMARKS.md).
async fn by_date_reads_less(e: &mut impl Exec, root: Uuid, from: Date, to: Date) -> Result<bool, StoreError> {
    if crate::history::is_top(e, root).await? {
        return Ok(true);
    }
    let Some((path,)) = sql("SELECT path FROM orgs WHERE id = $1").bind(root).fetch_optional::<(String,)>(e).await?
    else {
        return Ok(false);
    };
    let end = subtree_end(&path);
    let size =
        sql("SELECT COUNT(*) FROM orgs WHERE path >= $1 AND path < $2").bind(path).bind(end).fetch_i64(e).await?;
    let changes = dynamic_sql(format!(
        "SELECT COUNT(*) FROM (SELECT 1 AS one FROM org_events \
         WHERE effective_on >= $1 AND effective_on < $2 AND kind IN {} \
         UNION ALL SELECT 1 AS one FROM orgs WHERE established_on >= $1 AND established_on < $2 \
         UNION ALL SELECT 1 AS one FROM orgs WHERE dissolved_on >= $1 AND dissolved_on < $2 LIMIT $3) AS k",
        change_events()
    ))
    .bind(from)
    .bind(to)
    .bind(size)
    .fetch_i64(e)
    .await?;
    Ok(changes < size)
}

/// Every organisation created or dissolved in the period or with a change event then, with
/// those events: read by date (indexes on `established_on`, `dissolved_on` and the events'
/// `effective_on`).
async fn candidates_by_date(e: &mut impl Exec, from: Date, to: Date) -> Result<Candidates, StoreError> {
    let period = |text: String| dynamic_sql(text).bind(from).bind(to);
    let events: Vec<EventRow> = period(format!(
        "SELECT org_id, kind, effective_on, detail FROM org_events \
         WHERE effective_on >= $1 AND effective_on < $2 AND kind IN {}",
        change_events()
    ))
    .fetch_all(&mut *e)
    .await?;
    let rows: Vec<FactRow> = period(
        "SELECT id, path, established_on, dissolved_on FROM orgs WHERE id IN (\
         SELECT id FROM orgs WHERE established_on >= $1 AND established_on < $2 \
         UNION SELECT id FROM orgs WHERE dissolved_on >= $1 AND dissolved_on < $2)"
            .to_string(),
    )
    .fetch_all(&mut *e)
    .await?;
    with_event_orgs(e, rows, events).await
}

/// The candidates with the rows of the organisations that only their events name.
async fn with_event_orgs(
    e: &mut impl Exec,
    mut rows: Vec<FactRow>,
    events: Vec<EventRow>,
) -> Result<Candidates, StoreError> {
    let known: HashSet<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut more: Vec<Uuid> = events.iter().map(|ev| ev.org_id).filter(|o| !known.contains(o)).collect();
    more.sort_unstable();
    more.dedup();
    rows.extend(by_ids::<FactRow>(e, "id, path, established_on, dissolved_on", &more).await?);
    Ok((rows, events))
}

/// Those of `orgs` created or dissolved in the period or with a change event then, with those
/// events, 500 organisations a query.
async fn candidates_of(e: &mut impl Exec, orgs: &[Uuid], from: Date, to: Date) -> Result<Candidates, StoreError> {
    let (mut rows, mut events) = (Vec::new(), Vec::new());
    for chunk in orgs.chunks(500) {
        let ids = placeholders(3, chunk.len());
        let query = |text: String| {
            let mut q = dynamic_sql(text).bind(from).bind(to);
            for id in chunk {
                q.push_arg(*id);
            }
            q
        };
        rows.extend(
            query(format!(
                "SELECT id, path, established_on, dissolved_on FROM orgs WHERE id IN ({ids}) \
                 AND ((established_on >= $1 AND established_on < $2) OR (dissolved_on >= $1 AND dissolved_on < $2))"
            ))
            .fetch_all::<FactRow>(&mut *e)
            .await?,
        );
        events.extend(
            query(format!(
                "SELECT org_id, kind, effective_on, detail FROM org_events WHERE org_id IN ({ids}) \
                 AND effective_on >= $1 AND effective_on < $2 AND kind IN {}",
                change_events()
            ))
            .fetch_all::<EventRow>(&mut *e)
            .await?,
        );
    }
    with_event_orgs(e, rows, events).await
}
