//! The organisation figures' changes kept by month (*biến động tổ chức theo tháng*, table
//! `org_changes`) at the organisations whose kind keeps changes by month (the central and the
//! provincial level, `OrgKind::keeps_changes_by_month`): per organisation, month and item of
//! the organisation figures (`org_kind/commune`, `org_village/ap`:
//! `chibo_domain::report::kept_items`), how many organisations of its subtree (today's tree)
//! took their place in the tree that month less how many left it, each place being a link
//! (`org_links`: the parent and name from a date until a date) counted
//! by `chibo_domain::report::place_by_month`.
//!
//! The organisation figures on a day at the top of the tree are the sum of its months up to
//! that day's, less the places that started in the rest of that month and plus those that
//! ended then ([`on`]): a few hundred rows, where the tree of that day holds every
//! organisation of the nation (277,000). Below the top, where organisations come into the
//! subtree and leave it, the report reads the tree of the day instead.
//!
//! Kept in step where places and paths change: an organisation inserted, edited (its village,
//! its dates of establishment and dissolution), relinked, or moved with its subtree, each by
//! [`count`] before the write and [`Counted::settle`] after it; built and recounted from the
//! links ([`rebuild`], [`recount`]).

use crate::StoreError;
use crate::db::{Arg, Exec, dynamic_sql, sql};
use crate::scratch::Scratch;
use crate::structure_changes::{keeper_kinds, keepers_among, keepers_at};
use chibo_domain::org::OrgKind;
use chibo_domain::path::{self, subtree_end};
use chibo_domain::report::{kept_items, month_end, month_of, place_by_month};
use std::collections::HashMap;
use time::Date;
use uuid::Uuid;

const TABLE: &str = "org_changes";
const KEY: [&str; 3] = ["org_id", "changed_in", "line"];

/// Which organisations' places [`count`] reads.
#[derive(Clone, Copy)]
pub enum Which<'a> {
    /// One organisation (its own places: a village, a date or a parent changed).
    One(Uuid),
    /// The organisations of the subtree at a path (today's), itself included: a subtree moved
    /// (every path in it changes), or the whole tree (`""`).
    Under(&'a str),
}

/// The columns of a [`Place`] (`o` the organisation, `l` its link).
const PLACE_COLUMNS: &str = "o.path, o.kind, o.village, l.from_on, l.to_on";

/// One place of an organisation in the tree, with what it counts in.
#[derive(sqlx::FromRow)]
struct Place {
    path: String,
    kind: String,
    village: Option<String>,
    from_on: Option<Date>,
    to_on: Option<Date>,
}

/// (keeper, month, item) → change.
type Sums = HashMap<(Uuid, String, String), i64>;

impl Place {
    /// The items of the organisation figures the organisation counts in.
    fn items(&self) -> Result<Vec<String>, StoreError> {
        let kind = OrgKind::parse(&self.kind).ok_or_else(|| StoreError::Corrupt(format!("org kind {}", self.kind)))?;
        Ok(kept_items(kind, self.village.as_deref(), false))
    }

    /// Add the place's rows to every keeper strictly above it among `keepers` (path, id).
    fn add_to(&self, keepers: &[(String, Uuid)], sums: &mut Sums) -> Result<(), StoreError> {
        let above: Vec<Uuid> = keepers
            .iter()
            .filter(|(p, _)| *p != self.path && path::is_within(&self.path, p))
            .map(|(_, id)| *id)
            .collect();
        if above.is_empty() {
            return Ok(());
        }
        let items = self.items()?;
        for (month, n) in place_by_month(self.from_on, self.to_on) {
            for keeper in &above {
                for item in &items {
                    *sums.entry((*keeper, month.clone(), item.clone())).or_default() += n;
                }
            }
        }
        Ok(())
    }
}

/// The rows that the places of `which` count now, at the keepers above each.
async fn sums_of(e: &mut impl Exec, which: Which<'_>) -> Result<Sums, StoreError> {
    let places_sql = |condition: &str| {
        dynamic_sql(format!(
            "SELECT {PLACE_COLUMNS} FROM orgs o CROSS JOIN org_links l WHERE l.org_id = o.id AND {condition}"
        ))
    };
    let (places, keepers): (Vec<Place>, Vec<(String, Uuid)>) = match which {
        Which::One(id) => {
            let places: Vec<Place> = places_sql("o.id = $1").bind(id).fetch_all(&mut *e).await?;
            let keepers = match places.first() {
                Some(p) => keepers_among(e, &path::ancestors(&p.path)).await?,
                None => Vec::new(),
            };
            (places, keepers)
        }
        Which::Under(at) => {
            let mut keepers = keepers_among(e, &path::ancestors(at)).await?;
            keepers.extend(keepers_within(e, at).await?);
            if keepers.is_empty() {
                return Ok(Sums::new());
            }
            let places = places_sql("o.path >= $1 AND o.path < $2")
                .bind(at.to_string())
                .bind(subtree_end(at))
                .fetch_all(e)
                .await?;
            (places, keepers)
        }
    };
    let mut sums = Sums::new();
    for p in &places {
        p.add_to(&keepers, &mut sums)?;
    }
    Ok(sums)
}

/// The organisations keeping changes in the subtree at `at` (itself included): (path, id).
async fn keepers_within(e: &mut impl Exec, at: &str) -> Result<Vec<(String, Uuid)>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct IdPath {
        id: Uuid,
        path: String,
    }
    let rows: Vec<IdPath> = dynamic_sql(format!(
        "SELECT id, path FROM orgs WHERE path >= $1 AND path < $2 AND kind IN ({})",
        keeper_kinds()
    ))
    .bind(at.to_string())
    .bind(subtree_end(at))
    .fetch_all(e)
    .await?;
    Ok(rows.into_iter().map(|r| (r.path, r.id)).collect())
}

/// What some organisations' places counted before a write ([`count`]).
#[derive(Default)]
pub struct Counted(Sums);

/// The rows the places of `which` count before a write that changes them: the write then
/// calls [`Counted::settle`].
pub async fn count(e: &mut impl Exec, which: Which<'_>) -> Result<Counted, StoreError> {
    Ok(Counted(sums_of(e, which).await?))
}

/// What the places of the subtree at `subtree` count before it moves from under `old_parent`
/// to under `new_parent` (paths before the move), to settle at its new path; `None` when the
/// organisations keeping changes above are the same at both places (its rows stay where they
/// are: the keepers inside the subtree move with it).
pub async fn before_move(
    e: &mut impl Exec,
    subtree: &str,
    old_parent: Option<&str>,
    new_parent: &str,
) -> Result<Option<Counted>, StoreError> {
    let (old, new) = (keepers_at(e, old_parent).await?, keepers_at(e, Some(new_parent)).await?);
    Ok(if old == new { None } else { Some(count(e, Which::Under(subtree)).await?) })
}

impl Counted {
    /// After the write: the rows the places of `which` count now less those counted before,
    /// written (nothing where they net out). A new organisation settles from
    /// `Counted::default()`.
    pub async fn settle(self, e: &mut impl Exec, which: Which<'_>) -> Result<(), StoreError> {
        let mut net = sums_of(e, which).await?;
        for (key, n) in self.0 {
            *net.entry(key).or_default() -= n;
        }
        write(e, TABLE, net).await
    }
}

/// Add the rows to `table` (nothing where they net out).
async fn write(e: &mut impl Exec, table: &str, sums: Sums) -> Result<(), StoreError> {
    let rows: Vec<(Vec<Arg>, i64)> = sums
        .into_iter()
        .filter(|(_, n)| *n != 0)
        .map(|((org, month, line), n)| (vec![org.into(), month.into(), line.into()], n))
        .collect();
    crate::db::add_counts(e, table, &KEY, &rows).await
}

/// The organisation figures of `org`'s subtree (at `org_path`, today's tree) on `on`, by item:
/// the sum of its kept rows of the months up to `on`'s, less the places that started in the
/// rest of that month and plus those that ended then (read by their dates: indexes
/// `org_links_from`, `org_links_to`). Exactly the tree of that day's figures where no
/// organisation came into the subtree or left it since (the top of a tree that had no other top
/// then or since).
pub async fn on(
    e: &mut impl Exec,
    (org, org_path): (Uuid, &str),
    on: Date,
) -> Result<HashMap<String, i64>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Line {
        line: String,
        n: i64,
    }
    let rows: Vec<Line> = sql(
        "SELECT line, CAST(SUM(n) AS BIGINT) AS n FROM org_changes WHERE org_id = $1 AND changed_in <= $2 GROUP BY line",
    )
    .bind(org)
    .bind(month_of(on))
    .fetch_all(&mut *e)
    .await?;
    let mut out: HashMap<String, i64> = rows.into_iter().map(|r| (r.line, r.n)).collect();
    let until = month_end(on);
    if until > on {
        // Driven by the links' dates (the organisations of the few found read by id).
        let places: Vec<Place> = dynamic_sql(format!(
            "SELECT {PLACE_COLUMNS} FROM org_links l CROSS JOIN orgs o WHERE o.id = l.org_id \
             AND ((l.from_on > $1 AND l.from_on <= $2) OR (l.to_on > $1 AND l.to_on <= $2)) AND o.path > $3 AND o.path < $4"
        ))
            .bind(on)
            .bind(until)
            .bind(org_path.to_string())
            .bind(subtree_end(org_path))
            .fetch_all(e)
            .await?;
        let within = |d: Option<Date>| d.is_some_and(|d| on < d && d <= until);
        for p in places {
            let n = i64::from(within(p.from_on)) - i64::from(within(p.to_on));
            for item in p.items()? {
                *out.entry(item).or_default() -= n;
            }
        }
    }
    Ok(out)
}

/// Build the kept rows when the table is empty: the migration that created it, on a database
/// with organisations.
pub async fn backfill(pools: &crate::Pools) -> Result<(), StoreError> {
    crate::db::backfill_empty(pools, TABLE, "the organisation figures' changes by month", async |tx| rebuild(tx).await)
        .await
}

/// Build every kept row again from the links (after a bulk load, or to repair what `chibo
/// check` found).
pub async fn rebuild(e: &mut impl Exec) -> Result<usize, StoreError> {
    sql("DELETE FROM org_changes").execute(e).await?;
    count_into(e, TABLE).await
}

/// Count every keeper's rows from the links into `table`: the whole tree's places (one row of
/// a few dozen bytes per link), summed in memory into at most keepers × months × items rows.
async fn count_into(e: &mut impl Exec, table: &'static str) -> Result<usize, StoreError> {
    let sums = sums_of(e, Which::Under("")).await?;
    let written = sums.values().filter(|n| **n != 0).count();
    write(e, table, sums).await?;
    Ok(written)
}

/// A kept row unlike the links: (organisation, month, item, kept, recounted).
pub type Mismatch = (Uuid, String, String, i64, i64);

const RECOUNT: Scratch = Scratch { kept: TABLE, name: "org_changes_recount", key: &KEY, values: &["n"] };

/// The kept rows that differ from a recount of the links (in a temporary table, compared in
/// SQL).
pub async fn recount(e: &mut impl Exec) -> Result<Vec<Mismatch>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Differs {
        org_id: Uuid,
        changed_in: String,
        line: String,
        kept_n: i64,
        counted_n: i64,
    }
    let differ: Vec<Differs> = RECOUNT.recount(e, async |e, table| count_into(e, table).await).await?;
    Ok(differ.into_iter().map(|d| (d.org_id, d.changed_in, d.line, d.kept_n, d.counted_n)).collect())
}
