//! The organisations of every organisation's subtree kept in step with the tree (table
//! `org_counts`, the statistics report's organisation figures of today): per organisation and
//! item (`org_kind/commune`, `org_village/ap`: `chibo_domain::report::kept_items`), how many
//! active organisations strictly under it count there. A report reads its organisation's dozen
//! rows whatever the subtree's size.
//!
//! Kept in step where the tree is written: [`inserted`] inside `orgs::insert`, [`edited`]
//! inside `orgs::update_fields` (a village renamed, a dissolution), [`moved`] inside
//! `orgs::move_subtree` (the moved root and its kept rows leave the old ancestors and join the
//! new). `orgs::insert_many` (the bulk load) leaves it to [`rebuild`]; `chibo check` recounts
//! it ([`recount`]).

use crate::StoreError;
use crate::db::{Arg, Exec, dynamic_sql, sql};
use chibo_domain::org::{OrgInput, OrgKind};
use chibo_domain::path;
use chibo_domain::report::kept_items;
use std::collections::HashMap;
use time::Date;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct OrgRow {
    id: Uuid,
    path: String,
    kind: String,
    village: Option<String>,
    dissolved_on: Option<Date>,
}

impl OrgRow {
    fn items(&self) -> Result<Vec<String>, StoreError> {
        let kind = OrgKind::parse(&self.kind).ok_or_else(|| StoreError::Corrupt(format!("org kind {}", self.kind)))?;
        Ok(kept_items(kind, self.village.as_deref(), self.dissolved_on.is_some()))
    }
}

const COLUMNS: &str = "id, path, kind, village, dissolved_on";

async fn row(e: &mut impl Exec, id: Uuid) -> Result<Option<OrgRow>, StoreError> {
    dynamic_sql(format!("SELECT {COLUMNS} FROM orgs WHERE id = $1")).bind(id).fetch_optional(e).await
}

/// Changes: (path, item) → change, applied to every organisation strictly above the path.
type Deltas = HashMap<(String, String), i64>;

/// A new organisation at `org_path` counts in its ancestors.
pub async fn inserted(e: &mut impl Exec, org_path: &str, input: &OrgInput) -> Result<(), StoreError> {
    let items = kept_items(input.kind, input.locality.village.as_deref(), input.dissolved_on.is_some());
    apply(e, items.into_iter().map(|i| ((org_path.to_string(), i), 1)).collect()).await
}

/// The organisation `id` is about to take the fields `input` (its kind and place unchanged):
/// what it counted in its ancestors leaves, what it counts now joins (nothing written when its
/// items are the same).
pub async fn edited(e: &mut impl Exec, id: Uuid, input: &OrgInput) -> Result<(), StoreError> {
    let Some(old) = row(e, id).await? else {
        return Ok(());
    };
    let kind = OrgKind::parse(&old.kind).ok_or_else(|| StoreError::Corrupt(format!("org kind {}", old.kind)))?;
    let new = kept_items(kind, input.locality.village.as_deref(), input.dissolved_on.is_some());
    let mut d = Deltas::new();
    for item in old.items()? {
        *d.entry((old.path.clone(), item)).or_default() -= 1;
    }
    for item in new {
        *d.entry((old.path.clone(), item)).or_default() += 1;
    }
    apply(e, d).await
}

/// The subtree of `root` (at `old_path`) is about to move to `new_path`: the root's own items
/// and its kept rows leave the old ancestors and join the new (the common ones net to nothing).
pub async fn moved(e: &mut impl Exec, root: Uuid, old_path: &str, new_path: &str) -> Result<(), StoreError> {
    let Some(org) = row(e, root).await? else {
        return Ok(());
    };
    let mut items: Vec<(String, i64)> = org.items()?.into_iter().map(|i| (i, 1)).collect();
    items.extend(of(e, root).await?);
    let mut d = Deltas::new();
    for (item, n) in items {
        *d.entry((old_path.to_string(), item.clone())).or_default() -= n;
        *d.entry((new_path.to_string(), item)).or_default() += n;
    }
    apply(e, d).await
}

/// Write changes to the organisations strictly above their paths, netted first.
async fn apply(e: &mut impl Exec, d: Deltas) -> Result<(), StoreError> {
    let mut net: HashMap<(&str, &str), i64> = HashMap::new();
    for ((at, item), n) in d.iter().filter(|(_, n)| **n != 0) {
        for p in path::ancestors(at) {
            *net.entry((p, item.as_str())).or_default() += n;
        }
    }
    net.retain(|_, n| *n != 0);
    if net.is_empty() {
        return Ok(());
    }
    let mut paths: Vec<&str> = net.keys().map(|(p, _)| *p).collect();
    paths.sort_unstable();
    paths.dedup();
    let ids = crate::structure_counts::ids_of(e, &paths).await?;
    let rows: Vec<(Uuid, &str, i64)> =
        net.into_iter().filter_map(|((p, item), n)| Some((*ids.get(p)?, item, n))).collect();
    upsert(e, &rows).await
}

/// Add `n` to each row (inserted when missing).
async fn upsert(e: &mut impl Exec, rows: &[(Uuid, &str, i64)]) -> Result<(), StoreError> {
    let rows: Vec<(Vec<Arg>, i64)> =
        rows.iter().map(|(org, line, n)| (vec![(*org).into(), (*line).into()], *n)).collect();
    crate::db::add_counts(e, "org_counts", &["org_id", "line"], &rows).await
}

#[derive(sqlx::FromRow)]
struct Kept {
    line: String,
    n: i64,
}

/// The kept counts of `org`: item → active organisations strictly under it counted there.
pub async fn of(e: &mut impl Exec, org: Uuid) -> Result<HashMap<String, i64>, StoreError> {
    let rows: Vec<Kept> =
        sql("SELECT line, n FROM org_counts WHERE org_id = $1 AND n <> 0").bind(org).fetch_all(e).await?;
    Ok(rows.into_iter().map(|r| (r.line, r.n)).collect())
}

/// Every organisation's counts computed from the organisation rows, without zeros.
async fn computed(e: &mut impl Exec) -> Result<HashMap<(Uuid, String), i64>, StoreError> {
    let rows: Vec<OrgRow> = dynamic_sql(format!("SELECT {COLUMNS} FROM orgs")).fetch_all(e).await?;
    let ids: HashMap<&str, Uuid> = rows.iter().map(|r| (r.path.as_str(), r.id)).collect();
    let mut out: HashMap<(Uuid, String), i64> = HashMap::new();
    for r in &rows {
        for item in r.items()? {
            for p in path::ancestors(&r.path) {
                if let Some(id) = ids.get(p) {
                    *out.entry((*id, item.clone())).or_default() += 1;
                }
            }
        }
    }
    Ok(out)
}

/// Build every organisation's counts again from the organisation rows (after a bulk load,
/// when the table is new, or to repair what `chibo check` found). The number of rows.
pub async fn rebuild(e: &mut impl Exec) -> Result<usize, StoreError> {
    let counts = computed(e).await?;
    let rows: Vec<(Uuid, &str, i64)> = counts.iter().map(|((org, item), n)| (*org, item.as_str(), *n)).collect();
    sql("DELETE FROM org_counts").execute(&mut *e).await?;
    upsert(e, &rows).await?;
    Ok(rows.len())
}

/// Build the counts when the table is empty (the migration that created it, on a database
/// with organisations; a tree of roots alone has nothing to count and costs one read).
pub async fn backfill(pools: &crate::Pools) -> Result<(), StoreError> {
    let what = "the organisations of every organisation's subtree";
    crate::db::backfill_empty(pools, "org_counts", what, async |tx| rebuild(tx).await).await
}

/// A kept count unlike the organisation rows: (organisation, item, kept, recounted).
pub type Mismatch = (Uuid, String, i64, i64);

/// The kept counts that differ from a recount of the organisation rows.
pub async fn recount(e: &mut impl Exec) -> Result<Vec<Mismatch>, StoreError> {
    let mut expected = computed(e).await?;
    #[derive(sqlx::FromRow)]
    struct Stored {
        org_id: Uuid,
        line: String,
        n: i64,
    }
    let stored: Vec<Stored> = sql("SELECT org_id, line, n FROM org_counts WHERE n <> 0").fetch_all(e).await?;
    let mut out = Vec::new();
    for s in stored {
        let want = expected.remove(&(s.org_id, s.line.clone())).unwrap_or(0);
        if want != s.n {
            out.push((s.org_id, s.line, s.n, want));
        }
    }
    out.extend(expected.into_iter().map(|((org, item), n)| (org, item, 0, n)));
    out.sort();
    Ok(out)
}
