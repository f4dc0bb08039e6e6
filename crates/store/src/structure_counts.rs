//! The structure of every organisation's subtree kept in step with the records (table
//! `structure_counts`, the statistics report's structure): per organisation, dimension and
//! value, how many members of the subtree are on the rolls. The two date dimensions are kept
//! by month and by day (`chibo_domain::report::kept_rows`), so a report sums its
//! organisation's kept rows by the bands of its own day in the database and reads no member
//! rows ([`groups_on`]); a past date's report nets them with the members who changed since
//! ([`groups_past`]).
//!
//! Kept in step by every write that moves the counters on `orgs` ([`shift`] beside
//! `orgs::add_stats`, [`move_subtree`] inside `orgs::move_subtree`), built by a bulk load and
//! repaired with [`rebuild`], recounted by `chibo check` ([`recount`]).

use crate::StoreError;
use crate::beside::Beside;
use crate::bulk_add::BulkAdd;
use crate::db::{Arg, Engine, Exec, dynamic_sql, placeholders, sql};
use crate::interned::Interned;
use crate::reports::{DimValues, Members, Orgs, banded_sql, grouped, values_of};
use crate::scratch::Scratch;
use chibo_domain::member::MemberInput;
use chibo_domain::org::OrgKind;
use chibo_domain::path::{self, subtree_end};
use chibo_domain::report::{
    AGE_BANDS, Dim, Group, MonthEdge, PARTY_AGE_BANDS, cut_months, day_key, keeps_changes_by_day, kept_dim, kept_rows,
    nearer_month_edge, net_groups,
};
use std::collections::HashMap;
use time::Date;
use uuid::Uuid;

/// A kept row's key: a dimension's key, or a date dimension's day key
/// (`chibo_domain::report::kept_rows`).
type Key = &'static str;

/// The kept rows of a member's values: (kept key, kept value).
fn kept_of(values: &DimValues) -> impl Iterator<Item = (Key, String)> + '_ {
    Dim::ALL.into_iter().zip(values).flat_map(|(dim, value)| kept_rows(dim, value.as_deref()))
}

/// The kept key a stored key is (`None`: none chibo keeps).
fn key_of(stored: &str) -> Option<Key> {
    let dim = kept_dim(stored)?;
    [Some(dim.key()), day_key(dim)].into_iter().flatten().find(|k| *k == stored)
}

/// Members entering (`+1`) or leaving (`-1`) the rolls of the organisation at a path: its
/// kept counts and its ancestors' move in the same transaction. Each `(org_path, record,
/// sign)` must be a member on the rolls (`Member::on_rolls`).
pub async fn shift(e: &mut impl Exec, members: &[(&str, &MemberInput, i64)]) -> Result<(), StoreError> {
    // A record edit that changes no grouped field and no organisation leaves and joins the
    // same place: nothing to write.
    let mut net: HashMap<(&str, DimValues), i64> = HashMap::new();
    for (org_path, m, sign) in members {
        *net.entry((*org_path, values_of(m))).or_default() += sign;
    }
    let mut sums = Summed::default();
    for ((org_path, values), sign) in net.into_iter().filter(|(_, n)| *n != 0) {
        sums.add_values(org_path, &values, sign);
    }
    sums.apply(e).await
}

/// A subtree moved under a new parent: its root's kept counts leave the old ancestors and join
/// the new ones (`orgs::move_subtree` calls it before it changes the paths).
pub async fn move_subtree(
    e: &mut impl Exec,
    root: Uuid,
    old_parent: Option<&str>,
    new_parent: &str,
) -> Result<(), StoreError> {
    let mut sums = Summed::default();
    for (key, value, n) in rows_of(e, root).await? {
        if let Some(old) = old_parent {
            sums.add_rows(old, [(key, value.clone(), -n)]);
        }
        sums.add_rows(new_parent, [(key, value, n)]);
    }
    sums.apply(e).await
}

/// Changes to the kept counts, spread to every ancestor and summed — one write's, or an
/// import's over its batches — and written by [`Summed::apply`], each organisation's row
/// once. Paths, keys and values are interned, so a summed row is three small numbers and a
/// count (about 25 bytes with the hash table's own, where strings cost some 260): an import
/// sums a province's rows whole.
#[derive(Default)]
pub struct Summed {
    paths: Interned<String>,
    keys: Interned<Key>,
    values: Interned<String>,
    /// Each organisation path met: the interned paths of its ancestors and of itself.
    chains: HashMap<String, Vec<u32>>,
    /// (path, kept key, value) → change.
    deltas: HashMap<(u32, u32, u32), i64>,
}

impl Summed {
    /// Add members as [`shift`] takes them.
    pub fn add(&mut self, members: &[(&str, &MemberInput, i64)]) {
        for (org_path, m, sign) in members {
            self.add_values(org_path, &values_of(m), *sign);
        }
    }

    fn add_values(&mut self, org_path: &str, values: &DimValues, sign: i64) {
        self.add_rows(org_path, kept_of(values).map(|(key, kept)| (key, kept, sign)));
    }

    /// Add `n` to kept rows (key, value, n) of the organisation at `org_path` and of each
    /// ancestor.
    fn add_rows(&mut self, org_path: &str, rows: impl IntoIterator<Item = (Key, String, i64)>) {
        let Summed { paths, keys, values, chains, deltas } = self;
        if !chains.contains_key(org_path) {
            let chain = path::ancestors(org_path).into_iter().chain([org_path]).map(|p| paths.id(p)).collect();
            chains.insert(org_path.to_string(), chain);
        }
        let chain = &chains[org_path];
        for (key, value, n) in rows {
            let (key, value) = (keys.id(&key), values.id(value.as_str()));
            for at in chain {
                *deltas.entry((*at, key, value)).or_default() += n;
            }
        }
    }

    /// The rows summed so far (each organisation's apart).
    pub fn len(&self) -> usize {
        self.deltas.len()
    }

    pub fn is_empty(&self) -> bool {
        self.deltas.is_empty()
    }

    /// Write what is summed, netted (a change that leaves and joins the same ancestor writes
    /// nothing there), and start again empty. The rows go in key order a statement at a time,
    /// so memory holds the interned rows and one statement's strings.
    pub async fn apply(&mut self, e: &mut impl Exec) -> Result<(), StoreError> {
        let Summed { paths, keys, values, deltas, .. } = std::mem::take(self);
        if deltas.is_empty() {
            return Ok(());
        }
        let mut used: Vec<&str> = paths.all.iter().map(String::as_str).collect();
        used.sort_unstable();
        let ids = ids_of(e, &used).await?;
        let ids: Vec<Option<Uuid>> = paths.all.iter().map(|p| ids.get(p).copied()).collect();
        let mut rows: Vec<(Uuid, u32, u32, i64)> = deltas
            .into_iter()
            .filter(|(_, n)| *n != 0)
            .filter_map(|((at, key, value), n)| Some((ids[at as usize]?, key, value, n)))
            .collect();
        let (key_rank, value_rank) = (keys.ranks(), values.ranks());
        let (keys, values) = (&keys.all, &values.all);
        rows.sort_unstable_by_key(|(org, key, value, _)| (*org, key_rank[*key as usize], value_rank[*value as usize]));
        for chunk in rows.chunks(crate::db::rows_per_statement(4)) {
            let chunk: Vec<Row> = chunk
                .iter()
                .map(|(org, key, value, n)| (*org, keys[*key as usize], values[*value as usize].clone(), *n))
                .collect();
            upsert_into(e, "structure_counts", &chunk).await?;
        }
        Ok(())
    }
}

/// An organisation's id and path.
#[derive(sqlx::FromRow)]
struct IdPath {
    id: Uuid,
    path: String,
}

pub(crate) async fn ids_of(e: &mut impl Exec, paths: &[&str]) -> Result<HashMap<String, Uuid>, StoreError> {
    let mut out = HashMap::with_capacity(paths.len());
    for chunk in paths.chunks(500) {
        let mut q = dynamic_sql(format!("SELECT id, path FROM orgs WHERE path IN ({})", placeholders(1, chunk.len())));
        for p in chunk {
            q.push_arg(*p);
        }
        out.extend(q.fetch_all::<IdPath>(e).await?.into_iter().map(|r| (r.path, r.id)));
    }
    Ok(out)
}

/// Add `n` to each row of `table` (the kept table, or the recount's copy), inserted when missing.
async fn upsert_into(e: &mut impl Exec, table: &str, rows: &[Row]) -> Result<(), StoreError> {
    crate::db::add_counts(e, table, &KEY, &arg_rows(rows)).await
}

/// The key columns of `structure_counts`.
const KEY: [&str; 3] = ["org_id", "dim", "value"];

/// Kept rows as [`crate::db::add_counts`] takes them.
fn arg_rows(rows: &[Row]) -> Vec<(Vec<Arg>, i64)> {
    rows.iter().map(|(org, key, value, n)| (vec![(*org).into(), (*key).into(), value.as_str().into()], *n)).collect()
}

#[derive(sqlx::FromRow)]
struct KeptRow {
    dim: String,
    value: String,
    n: i64,
}

async fn rows_of(e: &mut impl Exec, org: Uuid) -> Result<Vec<(Key, String, i64)>, StoreError> {
    let rows: Vec<KeptRow> =
        sql("SELECT dim, value, n FROM structure_counts WHERE org_id = $1 AND n <> 0").bind(org).fetch_all(e).await?;
    Ok(rows.into_iter().filter_map(|r| Some((key_of(&r.dim)?, r.value, r.n))).collect())
}

/// The structure of the subtree of `org` today, as groups for
/// `chibo_domain::report::Structure` on `on`: its kept rows summed by the database, each birth
/// and admission date as the latest date of its band on `on` (as [`crate::reports::grouped`]
/// bands them) — the months by month but for the months a band boundary falls in
/// ([`cut_months`]), whose days are summed by day (a key range each) — the other values as
/// kept. A province's root sums about 1,600 rows whatever the date.
pub async fn groups_on(e: &mut impl Exec, org: Uuid, on: Date) -> Result<Vec<Group>, StoreError> {
    let age = AGE_BANDS.cuts_on(on);
    let party = PARTY_AGE_BANDS.cuts_on(on);
    // $1 the date, $2 the organisation, then the cuts of the ages and of the party ages, then
    // the months by day: the kept values are ISO dates and months in text, compared as text
    // (a month is below every cut of a later month and above every cut of an earlier one).
    let (age_sql, party_sql) = (banded_sql("value", age.len(), 3), banded_sql("value", party.len(), 3 + age.len()));
    let mut next = 3 + age.len() + party.len();
    let mut args: Vec<Arg> = vec![on.to_string().into(), org.into()];
    args.extend(age.iter().chain(&party).map(|(cut, _)| Arg::from(cut.to_string())));
    let (mut by_month, mut by_day) = (Vec::new(), Vec::new());
    for dim in [Dim::Birth, Dim::Admission] {
        let day = day_key(dim).unwrap_or_default();
        for month in cut_months(dim, on) {
            by_month.push(format!("NOT (dim = '{}' AND value = ${next})", dim.key()));
            by_day.push(format!(
                "SELECT '{}' AS dim, value, n FROM structure_counts WHERE org_id = $2 AND dim = '{day}' \
                 AND value >= ${} AND value < ${}",
                dim.key(),
                next + 1,
                next + 2
            ));
            args.extend([month.clone().into(), format!("{month}-00").into(), format!("{month}-99").into()]);
            next += 3;
        }
    }
    let keys: Vec<String> = Dim::ALL.iter().map(|d| format!("'{}'", d.key())).collect();
    let rows = std::iter::once(format!(
        "SELECT dim, value, n FROM structure_counts WHERE org_id = $2 AND dim IN ({}) AND {}",
        keys.join(", "),
        if by_month.is_empty() { "1 = 1".to_string() } else { by_month.join(" AND ") }
    ))
    .chain(by_day)
    .collect::<Vec<_>>()
    .join(" UNION ALL ");
    let mut q = dynamic_sql(format!(
        "SELECT dim, CASE dim WHEN '{}' THEN {age_sql} WHEN '{}' THEN {party_sql} ELSE value END AS value, \
         CAST(SUM(n) AS BIGINT) AS n FROM ({rows}) k WHERE n <> 0 GROUP BY 1, 2",
        Dim::Birth.key(),
        Dim::Admission.key()
    ));
    for a in args {
        q.push_arg(a);
    }
    let rows: Vec<KeptRow> = q.fetch_all(e).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((Dim::of_key(&r.dim)?, r.value, r.n)))
        .map(|(dim, value, n)| Group { dim, value: (!value.is_empty()).then_some(value), count: n.max(0) as u64 })
        .collect())
}

/// The structure of the subtree of `org` (at `org_path` today, of `kind`) on a past date `on`, `past`
/// being the organisations under it that day (`report_orgs::tree_on`), or `None` where the
/// subtree is the whole tree that day as today (`report_orgs::sole_top`): today's kept structure
/// banded on `on` ([`groups_on`]), less today's values of the members who are not where and
/// as they were on `on`, plus their values of that day. A member is unchanged when their open
/// home span on the rolls started on or before `on` in an organisation under `org` both then
/// and today (a member on the rolls today has such a span, one in transit none); everyone else
/// is read: those who arrived since (an open span started after `on`), whose span of that day
/// has closed since, or in an organisation that came into the subtree or left it since. The
/// work follows the changes since `on`, not the members (the spans' indexes by organisation
/// and start, and by organisation and end; for a subtree that holds every organisation, by
/// end and start alone). At an organisation that keeps its changes by month (the central and
/// provincial levels), those who arrived and left since are its kept rows of the months after
/// `on`'s instead (`crate::structure_changes::after`), and those of the rest of `on`'s month
/// are the centre's kept days at the nation's root (`crate::structure_changes::within`), read
/// member by member elsewhere: the work no longer grows with the members changed since. A day in
/// the first half of its month is reached from the month's start instead (the kept months from
/// its own on, and its month's days up to it added back: `MonthEdge`), so at most half a
/// month's days are read member by member. For the
/// whole tree no organisation came or left but those established since (a
/// member may have been admitted before their cell was established, and is not in the tree
/// of a day before it), found by their date of establishment, of which only the spans of
/// that day are read: nothing else of the tree is read.
pub async fn groups_past(
    e: &mut impl Exec,
    (org, org_path, kind): (Uuid, &str, OrgKind),
    on: Date,
    past: Option<&[Uuid]>,
) -> Result<Vec<Group>, StoreError> {
    let (came, left) = match past {
        Some(past) => came_and_left(e, org_path, past).await?,
        None => (crate::reports::org_ids_under(e, org_path, Some(on)).await?, Vec::new()),
    };
    let (came_n, left_n) = (came.len(), left.len());
    // A subtree that holds every organisation (the root of a one-root tree) is read on
    // SQLite without a condition on the organisation: its planner probes the organisation
    // index once per organisation whatever the subtree, where the spans' dates give one range
    // (the province's root twice as fast). PostgreSQL picks the date index itself from its
    // statistics, and without the condition hashed the whole members table for the spans
    // opened or closed since a day (open-ended ranges of dates); for a window of a few days
    // it keeps the date index and the member lookups, and the condition only added a lookup
    // of each span's organisation (the nation's root, 8,281 spans of ten days: 103–121 ms
    // without, 160–181 ms with; docs/BENCHMARKS.md).
    let by_months = kind.keeps_changes_by_month();
    let outside = "SELECT COUNT(*) FROM (SELECT 1 FROM orgs WHERE path < $1 OR path >= $2 LIMIT 1) x";
    let whole =
        path::depth(org_path) == 0 && sql(outside).bind(org_path).bind(subtree_end(org_path)).fetch_i64(e).await? == 0;
    let under = if whole && e.engine() == Engine::Sqlite { Orgs::All } else { Orgs::Under(org_path) };
    let window = if whole { Orgs::All } else { under };
    let (came, left) = (Orgs::List(&came), Orgs::List(&left));
    let (arrived, closed) = (Members::ArrivedSince, Members::OnRolls { closed_since: true });
    // Where a past date's time goes (`RUST_LOG=chibo_store=debug`): ms after each part.
    let started = std::time::Instant::now();
    let ms = || started.elapsed().as_millis();
    let kept = groups_on(e, org, on).await?;
    let kept_ms = ms();
    // The members who arrived since less those whose span of that day closed since: kept by
    // month at the upper levels, read member by member below them.
    let (mut plus, mut minus) = if by_months {
        // The months after the nearer edge of `on`'s month from the kept rows; the days between
        // the edge and `on` member by member (none on a month's last day). From the end, those
        // who came in those days are taken away and those who left added back; from the start
        // (the kept months then include `on`'s own), the other way round.
        let (past, days, from_start) = match nearer_month_edge(on) {
            MonthEdge::End { until } => (on, (on, until), false),
            MonthEdge::Start { after } => (after, (after, on), true),
        };
        let (rose, fell) = crate::structure_changes::after(e, org, (past, on)).await?;
        let (mut plus, mut minus) = (fell, rose);
        let (mut came_in, mut left_in) = (Vec::new(), Vec::new());
        if days.0 < days.1 && keeps_changes_by_day(kind, path::depth(org_path)) {
            // The centre keeps its days: the window nets the same spans' rows.
            (came_in, left_in) = crate::structure_changes::within(e, org, days, on).await?;
        } else if days.0 < days.1 {
            for open in [true, false] {
                came_in.extend(grouped(e, Members::StartedWithin { days, open }, window, on).await?);
            }
            left_in.extend(grouped(e, Members::EndedWithin { days }, window, on).await?);
        }
        let (add, take) = if from_start { (came_in, left_in) } else { (left_in, came_in) };
        plus.extend(add);
        minus.extend(take);
        (plus, minus)
    } else {
        (grouped(e, closed, under, on).await?, grouped(e, arrived, under, on).await?)
    };
    let changed_ms = ms();
    // The organisations that came since: the rest counted who was on their rolls that day as
    // if they had been in the subtree (an open span as today's kept rows, a closed one added
    // back), and took away who arrived since with every arrival; so those spans of that day
    // are taken away, the open ones with the record's standing, which is the span's (a change
    // of standing re-opens the spans). Their spans that day only: the members who arrived
    // later, most of an organisation established since, are not read. Those that left: who
    // was on their rolls that day, added.
    let that_day = Members::OnRolls { closed_since: false };
    minus.extend(grouped(e, that_day, came, on).await?);
    plus.extend(grouped(e, that_day, left, on).await?);
    tracing::debug!(came_n, left_n, whole, by_months, kept_ms, changed_ms, all_ms = ms(), "structure on a past date");
    Ok(net_groups(kept, plus, minus))
}

/// The organisations under `org_path` today that were not under it on the day of `past` (the
/// tree of that day), and those under it then that are not today.
async fn came_and_left(e: &mut impl Exec, org_path: &str, past: &[Uuid]) -> Result<(Vec<Uuid>, Vec<Uuid>), StoreError> {
    let today = crate::reports::org_ids_under(e, org_path, None).await?;
    let was: std::collections::HashSet<Uuid> = past.iter().copied().collect();
    let is: std::collections::HashSet<Uuid> = today.iter().copied().collect();
    // Under the root both that day and today: today's subtree less the few that came since.
    let came = today.iter().copied().filter(|o| !was.contains(o)).collect();
    let left = past.iter().copied().filter(|o| !is.contains(o)).collect();
    Ok((came, left))
}

/// Build the kept counts when the table is empty: the migration that created it, or one that
/// changed what is kept, on a database with members.
pub async fn backfill(pools: &crate::Pools) -> Result<(), StoreError> {
    let what = "the structure of every organisation";
    crate::db::backfill_empty(pools, "structure_counts", what, async |tx| rebuild(tx).await).await
}

/// Build every organisation's kept counts again from the member rows (after a bulk load, when
/// the table is first created, or to repair what `chibo check` found).
pub async fn rebuild(e: &mut impl Exec) -> Result<usize, StoreError> {
    sql("DELETE FROM structure_counts").execute(e).await?;
    count_into(e, "structure_counts").await
}

/// Count every organisation's kept rows from the member rows into `table` (the kept table, or
/// the recount's temporary copy). The members are read in path order, so each organisation's
/// subtree is read in one run: its counts are complete, and written, when the read leaves it
/// ([`Chain`]). Memory holds the counts of one chain of organisations and a few batches of
/// rows, not the nation's. The pages are counted beside the database ([`crate::beside`]) while
/// it reads the next page and writes what is ready.
async fn count_into(e: &mut impl Exec, table: &'static str) -> Result<usize, StoreError> {
    let orgs = org_ids(e).await?;
    let mut out = BulkAdd::new(e, table, &KEY).await?;
    let (mut chain, mut ready) = (Chain::default(), Vec::new());
    let mut beside =
        Beside::start("structure_counts", move |page: Option<Vec<(Uuid, String, DimValues)>>, hand| match page {
            Some(page) => {
                for (_, org_path, values) in &page {
                    chain.add(org_path, values, &orgs, &mut ready);
                }
                if ready.len() >= REBUILD_PAGE {
                    hand(arg_rows(&std::mem::take(&mut ready)));
                }
            }
            None => {
                chain.finish(&orgs, &mut ready);
                hand(arg_rows(&ready));
            }
        });
    let (mut after, mut written) = ((String::new(), Uuid::nil()), 0);
    loop {
        let page = crate::reports::members_after(e, "", &after, REBUILD_PAGE, "1 = 1", &[]).await?;
        let full = page.len() == REBUILD_PAGE;
        if let Some((id, path, _)) = page.last() {
            after = (path.clone(), *id);
        }
        beside.send(page).await?;
        written += out.add_ready(e, &mut beside).await?;
        if !full {
            break;
        }
    }
    Ok(written + out.add_rest(e, beside).await?)
}

/// Members read per page by [`rebuild`], and kept rows written per batch.
const REBUILD_PAGE: usize = 20_000;

/// Every organisation's id by its path.
async fn org_ids(e: &mut impl Exec) -> Result<HashMap<String, Uuid>, StoreError> {
    Ok(sql("SELECT id, path FROM orgs").fetch_all::<IdPath>(e).await?.into_iter().map(|o| (o.path, o.id)).collect())
}

/// A kept row: (organisation, kept key, kept value, count).
type Row = (Uuid, Key, String, i64);

/// The counts of the organisations from the root down to the member last read, each of its
/// subtree read so far.
#[derive(Default)]
struct Chain(Vec<(String, OrgCounts)>);

/// One organisation's counts: (kept key, kept value) → members.
type OrgCounts = HashMap<(Key, String), i64>;

impl Chain {
    /// Count a member of `org_path`: first leave (and emit into `out`) the organisations whose
    /// subtree it is not in, then enter those down to its own.
    fn add(&mut self, org_path: &str, values: &DimValues, orgs: &HashMap<String, Uuid>, out: &mut Vec<Row>) {
        while self.0.last().is_some_and(|(top, _)| !path::is_within(org_path, top)) {
            self.leave(orgs, out);
        }
        let entered = self.0.len();
        for p in path::ancestors(org_path).into_iter().chain([org_path]).skip(entered) {
            self.0.push((p.to_string(), HashMap::new()));
        }
        if let Some((_, counts)) = self.0.last_mut() {
            for (key, kept) in kept_of(values) {
                *counts.entry((key, kept)).or_default() += 1;
            }
        }
    }

    /// Leave the lowest organisation: its counts are complete; they join its parent's.
    fn leave(&mut self, orgs: &HashMap<String, Uuid>, out: &mut Vec<Row>) {
        let Some((at, counts)) = self.0.pop() else { return };
        if let Some((_, parent)) = self.0.last_mut() {
            for (key, n) in &counts {
                *parent.entry(key.clone()).or_default() += n;
            }
        }
        if let Some(id) = orgs.get(&at) {
            out.extend(counts.into_iter().filter(|(_, n)| *n != 0).map(|((dim, value), n)| (*id, dim, value, n)));
        }
    }

    fn finish(&mut self, orgs: &HashMap<String, Uuid>, out: &mut Vec<Row>) {
        while !self.0.is_empty() {
            self.leave(orgs, out);
        }
    }
}

/// A kept count unlike the member rows: (organisation, dimension key, value, kept, recounted).
pub type Mismatch = (Uuid, &'static str, String, i64, i64);

const RECOUNT: Scratch =
    Scratch { kept: "structure_counts", name: "structure_recount", key: &["org_id", "dim", "value"], values: &["n"] };

/// The kept counts that differ from a recount of the member rows: the recount is written into
/// a temporary table and compared in SQL ([`crate::scratch`]), so memory holds one chain of
/// organisations, not the nation's rows.
pub async fn recount(e: &mut impl Exec) -> Result<Vec<Mismatch>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Differs {
        org_id: Uuid,
        dim: String,
        value: String,
        kept_n: i64,
        counted_n: i64,
    }
    let differ: Vec<Differs> = RECOUNT.recount(e, async |e, table| count_into(e, table).await).await?;
    Ok(differ.into_iter().map(|d| (d.org_id, key_of(&d.dim).unwrap_or("?"), d.value, d.kept_n, d.counted_n)).collect())
}
