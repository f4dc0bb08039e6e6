//! The denominator of coverage kept (table `inspection_owed`): per organisation, how many
//! organisations of its subtree are owed coverage — active, not party groups, strictly under
//! it (each is directly under one organisation of the subtree). The coverage of any subtree is
//! then its kept `covered` count over one kept row, whatever the subtree's size.
//!
//! Kept with the tree as it is now: each owed organisation counts in the organisations above it
//! through the open links (`org_links` with no end). A tree change takes the subtree's counts
//! out and puts them back ([`detach`], [`attach`], inside `derived::with_derived`); a bulk load
//! builds the table ([`rebuild`]); [`recount`] recomputes it from the organisations' paths
//! (another way than the links) for `chibo check`.

use crate::StoreError;
use crate::db::{Arg, Exec, dynamic_sql, placeholders, sql};
use crate::history;
use chibo_domain::path::{ancestors, subtree_end};
use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

/// Organisation → owed organisations under it.
pub type Owed = BTreeMap<Uuid, i64>;

#[derive(sqlx::FromRow)]
struct OrgRow {
    id: Uuid,
    path: String,
    owed: bool,
}

const OWED: &str = "dissolved_on IS NULL AND kind <> 'party_group'";

async fn subtree(e: &mut impl Exec, path: &str) -> Result<Vec<OrgRow>, StoreError> {
    dynamic_sql(format!(
        "SELECT id, path, CASE WHEN {OWED} THEN 1 ELSE 0 END = 1 AS owed FROM orgs WHERE path >= $1 AND path < $2"
    ))
    .bind(path)
    .bind(subtree_end(path))
    .fetch_all(e)
    .await
}

async fn owed_of(e: &mut impl Exec, ids: &[Uuid]) -> Result<Vec<Uuid>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
    }
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let mut q =
            dynamic_sql(format!("SELECT id FROM orgs WHERE {OWED} AND id IN ({})", placeholders(1, chunk.len())));
        for id in chunk {
            q.push_arg(*id);
        }
        out.extend(q.fetch_all::<Row>(e).await?.into_iter().map(|r| r.id));
    }
    Ok(out)
}

/// What the owed organisations `owed` add to the organisations above them by the open links.
async fn contributions(e: &mut impl Exec, owed: &[Uuid]) -> Result<Owed, StoreError> {
    let links = history::ancestry_links(e, owed).await?;
    let parent = |o: &Uuid| links.get(o).and_then(|ls| ls.iter().find(|l| l.to.is_none())).and_then(|l| l.parent_id);
    let mut out = Owed::new();
    for o in owed {
        let mut seen = HashSet::from([*o]);
        let mut at = parent(o);
        while let Some(p) = at.filter(|p| seen.insert(*p)) {
            *out.entry(p).or_default() += 1;
            at = parent(&p);
        }
    }
    Ok(out)
}

async fn apply(e: &mut impl Exec, d: &Owed, sign: i64) -> Result<(), StoreError> {
    let rows: Vec<(Vec<Arg>, i64)> =
        d.iter().filter(|(_, n)| **n != 0).map(|(org, n)| (vec![(*org).into()], sign * n)).collect();
    crate::db::add_counts(e, "inspection_owed", &["org_id"], &rows).await
}

/// The organisations taken out by [`detach`], to put back after the change.
#[derive(Debug, Clone, Default)]
pub struct Detached {
    orgs: Vec<Uuid>,
}

/// Take the counts of the subtree at `path` out before a tree change there.
pub async fn detach(e: &mut impl Exec, path: &str) -> Result<Detached, StoreError> {
    let rows = subtree(e, path).await?;
    let owed: Vec<Uuid> = rows.iter().filter(|r| r.owed).map(|r| r.id).collect();
    let d = contributions(e, &owed).await?;
    apply(e, &d, -1).await?;
    Ok(Detached { orgs: rows.into_iter().map(|r| r.id).collect() })
}

/// Put back the counts of the organisations [`detach`] took out and of `also` (an organisation
/// the change created), as they are now.
pub async fn attach(e: &mut impl Exec, d: Detached, also: Uuid) -> Result<(), StoreError> {
    let mut ids = d.orgs;
    if !ids.contains(&also) {
        ids.push(also);
    }
    let owed = owed_of(e, &ids).await?;
    let d = contributions(e, &owed).await?;
    apply(e, &d, 1).await
}

/// The kept counts of `orgs` (missing: none owed).
pub async fn owed(e: &mut impl Exec, orgs: &[Uuid]) -> Result<HashMap<Uuid, i64>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        org_id: Uuid,
        n: i64,
    }
    let mut out = HashMap::new();
    for chunk in orgs.chunks(500) {
        let mut q = dynamic_sql(format!(
            "SELECT org_id, n FROM inspection_owed WHERE org_id IN ({})",
            placeholders(1, chunk.len())
        ));
        for id in chunk {
            q.push_arg(*id);
        }
        out.extend(q.fetch_all::<Row>(e).await?.into_iter().map(|r| (r.org_id, r.n)));
    }
    Ok(out)
}

/// Every count from the organisations' paths: each owed organisation in each ancestor.
async fn from_paths(e: &mut impl Exec) -> Result<Owed, StoreError> {
    let rows: Vec<OrgRow> =
        dynamic_sql(format!("SELECT id, path, CASE WHEN {OWED} THEN 1 ELSE 0 END = 1 AS owed FROM orgs"))
            .fetch_all(e)
            .await?;
    let by_path: HashMap<&str, Uuid> = rows.iter().map(|r| (r.path.as_str(), r.id)).collect();
    let mut out = Owed::new();
    for r in rows.iter().filter(|r| r.owed) {
        for a in ancestors(&r.path) {
            if let Some(id) = by_path.get(a) {
                *out.entry(*id).or_default() += 1;
            }
        }
    }
    Ok(out)
}

/// Build the table again from the organisations (a bulk load, `chibo check --repair`).
pub async fn rebuild(e: &mut impl Exec) -> Result<(), StoreError> {
    sql("DELETE FROM inspection_owed").execute(e).await?;
    let d = from_paths(e).await?;
    apply(e, &d, 1).await
}

/// The kept counts that differ from a recount from the paths: (organisation, kept, recounted).
pub async fn recount(e: &mut impl Exec) -> Result<Vec<(Uuid, i64, i64)>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        org_id: Uuid,
        n: i64,
    }
    let mut want = from_paths(e).await?;
    let kept: Vec<Row> = sql("SELECT org_id, n FROM inspection_owed WHERE n <> 0").fetch_all(e).await?;
    let mut out = Vec::new();
    for k in kept {
        let n = want.remove(&k.org_id).unwrap_or(0);
        if n != k.n {
            out.push((k.org_id, k.n, n));
        }
    }
    out.extend(want.into_iter().filter(|(_, n)| *n != 0).map(|(o, n)| (o, 0, n)));
    Ok(out)
}
