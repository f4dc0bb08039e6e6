//! The changes of every organisation's subtree kept per month and per day (table
//! `change_counts`, the statistics report's changes of a period): per organisation, period (a
//! month or a day) and line, how many changes, each attributed in the tree of its date
//! (`chibo_domain::report::kept_changes`). A report sums one organisation's rows: by month
//! over its period's whole months ([`months`]), by day over the days around them ([`days`]).
//!
//! A member's share of the rows is a function of their events, their record's gender, birth
//! date and ethnicity, and the links of the tree. Kept in step by every write of a member's
//! events or those fields ([`settled`], from `chibo_access`'s settle) and every change of an
//! organisation's links ([`relinked`], from `chibo_access`'s `with_derived`); built by a bulk
//! load and repaired with [`rebuild`], recounted by `chibo check` ([`recount`]).

use crate::StoreError;
use crate::beside::Beside;
use crate::bulk_add::BulkAdd;
use crate::db::{Arg, Exec, dynamic_sql, placeholders, sql};
use crate::history;
use crate::scratch::{OrgRange, Scratch};
use chibo_domain::date::parse_iso;
use chibo_domain::life::{Event, History, Interval, Link, ancestry, replay};
use chibo_domain::member::Gender;
use chibo_domain::report::{Change, ChangeLedger, DAY_KEY_LEN, Traits, date_key, member_changes, month_keys};
use std::collections::{HashMap, HashSet};
use time::Date;
use uuid::Uuid;

/// Add a ledger's changes to the kept rows.
pub async fn apply(e: &mut impl Exec, ledger: &ChangeLedger) -> Result<(), StoreError> {
    add_rows(e, "change_counts", ledger).await
}

/// One kept row: a month, a line, a count.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MonthRow {
    pub month: String,
    pub line: String,
    pub n: i64,
}

/// The kept month rows of `org`'s subtree from month `first` to `last` (included, `YYYY-MM`),
/// each month read by its own key (a range of keys would also read the days kept between them).
pub async fn months(e: &mut impl Exec, org: Uuid, first: &str, last: &str) -> Result<Vec<MonthRow>, StoreError> {
    let mut out = Vec::new();
    for chunk in month_keys(first, last).chunks(500) {
        let mut q = dynamic_sql(format!(
            "SELECT period AS month, line, n FROM change_counts WHERE org_id = $1 AND period IN ({}) AND n <> 0",
            placeholders(2, chunk.len())
        ));
        q.push_arg(org);
        for key in chunk {
            q.push_arg(key.as_str());
        }
        out.extend(q.fetch_all::<MonthRow>(e).await?);
    }
    Ok(out)
}

/// A line's sum over some days.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LineSum {
    pub line: String,
    pub n: i64,
}

/// The kept day rows of `org`'s subtree over the days `[from, to)`, summed by line (a month's
/// key sorts among the days, `2025-02` before `2025-02-01`: the length leaves it out).
pub async fn days(e: &mut impl Exec, org: Uuid, (from, to): (Date, Date)) -> Result<Vec<LineSum>, StoreError> {
    dynamic_sql(format!(
        "SELECT line, CAST(SUM(n) AS BIGINT) AS n FROM change_counts WHERE org_id = $1 AND period >= $2 \
         AND period < $3 AND LENGTH(period) = {DAY_KEY_LEN} GROUP BY line"
    ))
    .bind(org)
    .bind(date_key(from))
    .bind(date_key(to))
    .fetch_all(e)
    .await
}

/// The sum of `line` over the rows of the months `first` to `last` (included).
pub fn sum(rows: &[MonthRow], first: &str, last: &str, line: &str) -> u64 {
    let n: i64 = rows
        .iter()
        .filter(|r| r.line == line && first <= r.month.as_str() && r.month.as_str() <= last)
        .map(|r| r.n)
        .sum();
    u64::try_from(n).unwrap_or(0)
}

/// The kept day rows of one line of `org`'s subtree over the days `[from, to)`, in day order:
/// (day, changes). How a list of the line's changes, in the order of their days, is paged
/// without reading the changes of the days before its page.
pub async fn line_days(
    e: &mut impl Exec,
    org: Uuid,
    line: &str,
    (from, to): (Date, Date),
) -> Result<Vec<(Date, i64)>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct DayRow {
        period: String,
        n: i64,
    }
    let rows: Vec<DayRow> = dynamic_sql(format!(
        "SELECT period, n FROM change_counts WHERE org_id = $1 AND period >= $2 AND period < $3 \
         AND LENGTH(period) = {DAY_KEY_LEN} AND line = $4 AND n <> 0 ORDER BY period"
    ))
    .bind(org)
    .bind(date_key(from))
    .bind(date_key(to))
    .bind(line)
    .fetch_all(e)
    .await?;
    rows.into_iter()
        .map(|r| {
            let day =
                parse_iso(&r.period).ok_or_else(|| StoreError::Corrupt(format!("change_counts: {}", r.period)))?;
            Ok((day, r.n))
        })
        .collect()
}

/// A member's record as the lines of an admission need it.
#[derive(sqlx::FromRow)]
struct TraitRow {
    id: Uuid,
    birth_date: Date,
    gender: String,
    ethnicity_code: i64,
}

/// These members' histories (replayed from their events) and traits, by member.
pub(crate) async fn histories(e: &mut impl Exec, members: &[Uuid]) -> Result<Vec<(Uuid, History, Traits)>, StoreError> {
    Ok(replayed(events_and_traits(e, members).await?))
}

/// A member's events as read, and traits: what [`replayed`] makes a history of.
type Unreplayed = (Uuid, Vec<Event>, Traits);

/// These members' events and traits, read.
async fn events_and_traits(e: &mut impl Exec, members: &[Uuid]) -> Result<Vec<Unreplayed>, StoreError> {
    let mut events = crate::events::of_members(e, members).await?;
    let mut out = Vec::with_capacity(members.len());
    for chunk in members.chunks(500) {
        let mut q = dynamic_sql(format!(
            "SELECT id, birth_date, gender, ethnicity_code FROM members WHERE id IN ({})",
            placeholders(1, chunk.len())
        ));
        for id in chunk {
            q.push_arg(*id);
        }
        for r in q.fetch_all::<TraitRow>(e).await? {
            let corrupt = || StoreError::Corrupt(format!("member {}: gender or ethnicity", r.id));
            let traits = Traits {
                birth_date: r.birth_date,
                gender: Gender::parse(&r.gender).ok_or_else(corrupt)?,
                ethnicity_code: i32::try_from(r.ethnicity_code).map_err(|_| corrupt())?,
            };
            let evs: Vec<Event> = events.remove(&r.id).unwrap_or_default().into_iter().map(|r| r.event).collect();
            out.push((r.id, evs, traits));
        }
    }
    Ok(out)
}

/// Histories replayed from their events.
fn replayed(read: Vec<Unreplayed>) -> Vec<(Uuid, History, Traits)> {
    read.into_iter().map(|(id, evs, traits)| (id, replay(&evs), traits)).collect()
}

/// The organisations a history's changes may be attributed to or away from.
pub(crate) fn orgs_of(h: &History) -> impl Iterator<Item = Uuid> + '_ {
    h.events.iter().filter_map(|(e, _)| e.org_id).chain(h.spans.iter().map(|s| s.org_id))
}

/// The links of every organisation above these, with `patch` (the links some organisations
/// had before a change) in place of the stored ones.
pub(crate) async fn links_for(
    e: &mut impl Exec,
    orgs: impl Iterator<Item = Uuid>,
    patch: Option<(Uuid, &[Link])>,
) -> Result<HashMap<Uuid, Vec<Link>>, StoreError> {
    let mut orgs: HashSet<Uuid> = orgs.collect();
    if let Some((_, links)) = patch {
        orgs.extend(links.iter().filter_map(|l| l.parent_id));
    }
    let orgs: Vec<Uuid> = orgs.into_iter().collect();
    let mut links = history::ancestry_links(e, &orgs).await?;
    if let Some((org, old)) = patch {
        links.insert(org, old.to_vec());
    }
    Ok(links)
}

/// The kept rows of these histories in the tree of `links`.
fn ledger_of<'a>(
    members: impl Iterator<Item = (&'a History, Traits)>,
    links: &HashMap<Uuid, Vec<Link>>,
) -> ChangeLedger {
    let mut cache: HashMap<Uuid, Vec<(Uuid, Interval)>> = HashMap::new();
    let mut out = ChangeLedger::default();
    for (h, traits) in members {
        for org in orgs_of(h) {
            cache.entry(org).or_insert_with(|| ancestry(org, links));
        }
        let of = |org: Uuid| cache.get(&org).cloned().unwrap_or_default();
        out.merge(&member_changes(h, traits, &of), 1);
    }
    out
}

/// A member's history or traits changed from `old` to `new` (an event recorded or voided, a
/// record edit): their rows move in the same transaction.
pub async fn settled(e: &mut impl Exec, old: (&History, Traits), new: (&History, Traits)) -> Result<(), StoreError> {
    if old.0.events == new.0.events && old.0.spans == new.0.spans && old.1 == new.1 {
        return Ok(());
    }
    let links = links_for(e, orgs_of(old.0).chain(orgs_of(new.0)), None).await?;
    let mut ledger = ledger_of([new].into_iter(), &links);
    ledger.merge(&ledger_of([old].into_iter(), &links), -1);
    apply(e, &ledger).await
}

/// The kept rows of new members written with their histories at once (an import), as
/// [`settled`] from an empty history adds them one by one; the caller [`apply`]s them (an
/// import sums several batches' first).
pub async fn of_added(e: &mut impl Exec, members: &[(&History, Traits)]) -> Result<ChangeLedger, StoreError> {
    let links = links_for(e, members.iter().flat_map(|(h, _)| orgs_of(h)), None).await?;
    Ok(ledger_of(members.iter().copied(), &links))
}

/// The members with a change on or after `since` (any date: `None`) who had a home span in one
/// of `orgs` or whose event names one of them: whose rows a change of their links may move.
async fn members_touching(e: &mut impl Exec, orgs: &[Uuid], since: Option<Date>) -> Result<Vec<Uuid>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct MemberIdRow {
        member_id: Uuid,
    }
    let mut out: HashSet<Uuid> = HashSet::new();
    let (dated, first) = if since.is_some() { ("ev.effective_on >= $1 AND ", 2) } else { ("", 1) };
    // The domain's fixed codes, written into the text.
    let kinds = Change::event_kinds().map(|k| format!("'{k}'")).join(", ");
    for chunk in orgs.chunks(500) {
        let list = placeholders(first, chunk.len());
        let mut q = dynamic_sql(format!(
            "SELECT DISTINCT ev.member_id FROM member_events ev WHERE {dated}ev.kind IN ({kinds}) \
             AND (ev.org_id IN ({list}) OR ev.member_id IN \
             (SELECT s.member_id FROM member_spans s WHERE s.kind = 'home' AND s.org_id IN ({list})))"
        ));
        if let Some(d) = since {
            q.push_arg(d);
        }
        for id in chunk {
            q.push_arg(*id);
        }
        out.extend(q.fetch_all::<MemberIdRow>(e).await?.into_iter().map(|r| r.member_id));
    }
    let mut out: Vec<Uuid> = out.into_iter().collect();
    out.sort_unstable();
    Ok(out)
}

/// The links of `org` changed from `old` (a move, a renaming, a dissolution, a new
/// organisation) with effect from `since` (`None`: any date): the rows of the members with
/// changes since then in its subtree move to the ancestors of the new links.
pub async fn relinked(e: &mut impl Exec, org: Uuid, since: Option<Date>, old: &[Link]) -> Result<(), StoreError> {
    let under = crate::reports::walk_down(e, org, None).await?;
    let members = members_touching(e, &under, since).await?;
    for chunk in members.chunks(2_000) {
        let hs = histories(e, chunk).await?;
        let orgs = || hs.iter().flat_map(|(_, h, _)| orgs_of(h));
        let now = links_for(e, orgs(), None).await?;
        let before = links_for(e, orgs(), Some((org, old))).await?;
        let mut ledger = ledger_of(hs.iter().map(|(_, h, t)| (h, *t)), &now);
        ledger.merge(&ledger_of(hs.iter().map(|(_, h, t)| (h, *t)), &before), -1);
        apply(e, &ledger).await?;
    }
    Ok(())
}

/// Members per page of a whole recount.
const PAGE: i64 = 5_000;
/// Rows a rebuild gathers before it writes them.
const FLUSH_AT: usize = 200_000;

/// Every member's rows computed from the events, the records and the links, added to `table`
/// (`change_counts` or the recount's scratch copy) [`FLUSH_AT`] rows at a time: memory holds a
/// few pages of members and the rows gathered since the last write, never the nation's rows.
/// The pages are replayed and summed beside the database ([`crate::beside`]) while it reads
/// the next page and writes what is ready.
/// Only the rows of the organisations in `orgs` are added (a recount in passes).
async fn compute_into(e: &mut impl Exec, table: &'static str, orgs: OrgRange) -> Result<(), StoreError> {
    let links = history::all_links(e).await?;
    let mut out = BulkAdd::new(e, table, &COLUMNS).await?;
    let mut gathered = ChangeLedger::default();
    let mut beside = Beside::start("change_counts", move |page: Option<Vec<Unreplayed>>, hand| match page {
        Some(read) => {
            let hs = replayed(read);
            let mut rows = ledger_of(hs.iter().map(|(_, h, t)| (h, *t)), &links);
            rows.retain_orgs(|org| orgs.holds(org));
            gathered.merge(&rows, 1);
            if gathered.len() >= FLUSH_AT {
                hand(arg_rows(&std::mem::take(&mut gathered)));
            }
        }
        None => hand(arg_rows(&gathered)),
    });
    let mut after = Uuid::nil();
    loop {
        #[derive(sqlx::FromRow)]
        struct IdRow {
            id: Uuid,
        }
        let ids: Vec<Uuid> = sql("SELECT id FROM members WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after)
            .bind(PAGE)
            .fetch_all::<IdRow>(e)
            .await?
            .into_iter()
            .map(|r| r.id)
            .collect();
        let Some(&last) = ids.last() else { break };
        after = last;
        beside.send(events_and_traits(e, &ids).await?).await?;
        out.add_ready(e, &mut beside).await?;
    }
    out.add_rest(e, beside).await?;
    Ok(())
}

/// The key columns of `change_counts`.
const COLUMNS: [&str; 3] = ["org_id", "period", "line"];

/// Kept rows as [`crate::db::add_counts`] writes them.
type ArgRows = Vec<(Vec<Arg>, i64)>;

fn arg_rows(ledger: &ChangeLedger) -> ArgRows {
    ledger.rows().map(|(org, period, line, n)| (vec![org.into(), period.into(), line.into()], n)).collect()
}

/// Add a ledger's rows to `table` (summed into the rows already there).
async fn add_rows(e: &mut impl Exec, table: &str, ledger: &ChangeLedger) -> Result<(), StoreError> {
    crate::db::add_counts(e, table, &COLUMNS, &arg_rows(ledger)).await
}

/// Build every organisation's kept changes again from the events (after a bulk load, when the
/// table is first created, or to repair what `chibo check` found). The rows written.
pub async fn rebuild(e: &mut impl Exec) -> Result<usize, StoreError> {
    sql("DELETE FROM change_counts").execute(e).await?;
    compute_into(e, "change_counts", OrgRange::ALL).await?;
    sql("SELECT COUNT(*) FROM change_counts").fetch_i64(e).await.map(|n| usize::try_from(n).unwrap_or(0))
}

/// Build the kept changes when the table is new (the migration that created it, on a database
/// with members).
pub async fn backfill(pools: &crate::Pools) -> Result<(), StoreError> {
    let mut tx = pools.begin_waiting(crate::db::UPGRADE_WAIT).await?;
    if !crate::db::has_rows(&mut tx, "change_counts").await? && crate::db::has_rows(&mut tx, "member_events").await? {
        let n = rebuild(&mut tx).await?;
        tracing::info!(rows = n, "kept the changes of every organisation");
    }
    tx.commit().await?;
    Ok(())
}

/// A kept row unlike the events: (organisation, month or day, line, kept, recounted).
pub type Mismatch = (Uuid, String, String, i64, i64);

/// The recount's temporary copy of the kept rows.
const RECOUNT: Scratch = Scratch {
    kept: "change_counts",
    name: "change_counts_recount",
    key: &["org_id", "period", "line"],
    values: &["n"],
};

/// Kept rows a recount compares at once: at the nation (74.8 million rows, 10 GB on
/// PostgreSQL) four passes, each replaying every member's events and keeping a quarter of the
/// organisations' rows.
const ROWS_PER_PASS: i64 = 20_000_000;

/// The kept rows that differ from a recount from the events, the records and the links: the
/// recount is written into a temporary table and compared in SQL ([`crate::scratch`]), in
/// passes over ranges of organisations when the table is large.
pub async fn recount(e: &mut impl Exec) -> Result<Vec<Mismatch>, StoreError> {
    recount_by(e, ROWS_PER_PASS).await
}

/// [`recount`] in passes of about `rows_per_pass` kept rows.
pub async fn recount_by(e: &mut impl Exec, rows_per_pass: i64) -> Result<Vec<Mismatch>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Differs {
        org_id: Uuid,
        period: String,
        line: String,
        kept_n: i64,
        counted_n: i64,
    }
    let differ: Vec<Differs> =
        RECOUNT.recount_by_orgs(e, rows_per_pass, async |e, table, orgs| compute_into(e, table, orgs).await).await?;
    Ok(differ.into_iter().map(|d| (d.org_id, d.period, d.line, d.kept_n, d.counted_n)).collect())
}
