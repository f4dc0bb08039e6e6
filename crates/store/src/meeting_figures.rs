//! The compliance figures of cell meetings, kept so that any organisation's figures for a
//! standard period (a month, a quarter, a year) are one row.
//!
//! - `meeting_cells`: each cell's [`CellTally`] per opened period, with the day it is
//!   attributed on ([`attributed_on`]: the last day of the period the cell existed);
//! - `meeting_rollup`: the sum of those rows over each organisation's subtree on that day
//!   ([`attributed_to`]), so a report follows the tree of its period;
//! - `meeting_periods`: the periods whose rows exist for every cell. A period is opened (its
//!   rows computed for the whole tree) the first time a meeting in it is written or its figures
//!   are read; after that every write keeps it in step in the same transaction.
//!
//! Every write goes through [`detach`] (take a cell's rows out of the sums) and [`attach`]
//! (compute them again from the meetings and the links, and add them back): a meeting recorded
//! or corrected, or a restructuring of the tree (detach before, attach after). [`recount`]
//! recomputes everything from the attendance rows for `chibo check` and the tests.

use crate::StoreError;
use crate::db::{Exec, dynamic_sql, placeholders, sql, values_rows};
use crate::history;
use chibo_domain::life::Link;
use chibo_domain::meeting::{
    CellRecord, CellTally, Counts, Mark, MeetingKind, MeetingRow, Period, PeriodKey, Rating, Rollup, active_interval,
    attributed_on, attributed_to, cell_tally,
};
use std::collections::{BTreeMap, HashMap};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

const CELL_KINDS: &str = "('base_cell', 'subordinate_cell')";
const SUMS: &str = "regular_owed, regular_held, thematic_owed, thematic_held, meetings, present, base, good, fair, \
                    average, poor, unrated";
const ROLLUP_SUMS: &str = "regular_cells, regular_met, thematic_cells, thematic_met, meetings, present, base, good, \
                           fair, average, poor, unrated";

#[derive(sqlx::FromRow)]
struct HeldRow {
    id: Uuid,
    cell_id: Uuid,
    held_on: Date,
    kind: String,
    present: i64,
    excused: i64,
    unexcused: i64,
    exempt: i64,
    special_duty: i64,
    exempt_present: i64,
    rating: Option<String>,
}

fn count(v: i64) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

impl HeldRow {
    fn meeting(&self) -> MeetingRow {
        MeetingRow {
            id: self.id,
            on: self.held_on,
            kind: MeetingKind::parse(&self.kind).unwrap_or(MeetingKind::Extraordinary),
            counts: crate::meetings::counts_of([
                self.present,
                self.excused,
                self.unexcused,
                self.exempt,
                self.special_duty,
                self.exempt_present,
            ]),
            rating: self.rating.as_deref().and_then(Rating::parse),
        }
    }
}

const HELD: &str = "SELECT id, cell_id, held_on, kind, present, excused, unexcused, exempt, special_duty, \
                    exempt_present, rating FROM meetings WHERE status IN ('held', 'approved') \
                    AND held_on >= $1 AND held_on < $2";

/// The held meetings between `from` and `to` (exclusive), of `cells` or of every cell, by cell.
pub async fn held_meetings(
    e: &mut impl Exec,
    cells: Option<&[Uuid]>,
    from: Date,
    to: Date,
) -> Result<HashMap<Uuid, Vec<MeetingRow>>, StoreError> {
    let mut rows: Vec<HeldRow> = Vec::new();
    match cells {
        None => rows = sql(HELD).bind(from).bind(to).fetch_all(e).await?,
        Some(cells) => {
            for chunk in cells.chunks(500) {
                let mut q = dynamic_sql(format!("{HELD} AND cell_id IN ({})", placeholders(3, chunk.len())))
                    .bind(from)
                    .bind(to);
                for c in chunk {
                    q.push_arg(*c);
                }
                rows.extend(q.fetch_all::<HeldRow>(e).await?);
            }
        }
    }
    let mut out: HashMap<Uuid, Vec<MeetingRow>> = HashMap::new();
    for r in rows {
        out.entry(r.cell_id).or_default().push(r.meeting());
    }
    for v in out.values_mut() {
        v.sort_by_key(|m| (m.on, m.id));
    }
    Ok(out)
}

/// The ids of every cell ever recorded.
async fn all_cells(e: &mut impl Exec) -> Result<Vec<Uuid>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Id {
        id: Uuid,
    }
    let rows: Vec<Id> = dynamic_sql(format!("SELECT id FROM orgs WHERE kind IN {CELL_KINDS}")).fetch_all(e).await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// The cells among `orgs`.
pub async fn cells_among(e: &mut impl Exec, orgs: &[Uuid]) -> Result<Vec<Uuid>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Id {
        id: Uuid,
    }
    let mut out = Vec::new();
    for chunk in orgs.chunks(500) {
        let mut q = dynamic_sql(format!(
            "SELECT id FROM orgs WHERE kind IN {CELL_KINDS} AND id IN ({})",
            placeholders(1, chunk.len())
        ));
        for o in chunk {
            q.push_arg(*o);
        }
        out.extend(q.fetch_all::<Id>(e).await?.into_iter().map(|r| r.id));
    }
    Ok(out)
}

/// A cell's row for one period and the organisations it is added to.
struct Computed {
    cell: Uuid,
    as_of: Date,
    tally: CellTally,
    orgs: Vec<Uuid>,
}

/// Compute the rows of `cells` for `key` from their held meetings and the links.
fn compute(
    key: PeriodKey,
    through: Date,
    cells: &[Uuid],
    meetings: &mut HashMap<Uuid, Vec<MeetingRow>>,
    links: &HashMap<Uuid, Vec<Link>>,
) -> Vec<Computed> {
    let Some(period) = key.period() else { return Vec::new() };
    let mut out = Vec::new();
    for &cell in cells {
        let Some(own) = links.get(&cell) else { continue };
        let (from, to) = active_interval(own);
        let Some(as_of) = attributed_on(period, (from, to)) else { continue };
        let record = CellRecord { cell_id: cell, from, to, meetings: meetings.remove(&cell).unwrap_or_default() };
        let tally = cell_tally(&record, period, Some(through));
        if !tally.is_empty() {
            out.push(Computed { cell, as_of, tally, orgs: attributed_to(cell, as_of, links) });
        }
    }
    out
}

async fn insert_cells(e: &mut impl Exec, key: PeriodKey, rows: &[Computed]) -> Result<(), StoreError> {
    for chunk in rows.chunks(crate::db::rows_per_statement(15)) {
        let mut q = dynamic_sql(format!(
            "INSERT INTO meeting_cells (cell_id, period, as_of, {SUMS}) VALUES {}",
            values_rows(e.engine(), chunk.len(), 15)
        ));
        for c in chunk {
            q.push_arg(c.cell);
            q.push_arg(key.code());
            q.push_arg(c.as_of);
            for v in c.tally.fields() {
                q.push_arg(v);
            }
        }
        q.execute(e).await?;
    }
    Ok(())
}

/// Add `sums` (organisation → rollup) to `meeting_rollup` for `key`.
async fn add_rollups(e: &mut impl Exec, key: PeriodKey, sums: &BTreeMap<Uuid, Rollup>) -> Result<(), StoreError> {
    let rows: Vec<(&Uuid, &Rollup)> = sums.iter().filter(|(_, r)| !r.is_zero()).collect();
    let set = ROLLUP_SUMS.split(", ").map(|c| format!("{c} = meeting_rollup.{c} + excluded.{c}")).collect::<Vec<_>>();
    for chunk in rows.chunks(crate::db::rows_per_statement(14)) {
        let mut q = dynamic_sql(format!(
            "INSERT INTO meeting_rollup (org_id, period, {ROLLUP_SUMS}) VALUES {} \
             ON CONFLICT (org_id, period) DO UPDATE SET {}",
            values_rows(e.engine(), chunk.len(), 14),
            set.join(", ")
        ));
        for (org, r) in chunk {
            q.push_arg(**org);
            q.push_arg(key.code());
            for v in r.fields() {
                q.push_arg(v);
            }
        }
        q.execute(e).await?;
    }
    Ok(())
}

fn sum_into(sums: &mut BTreeMap<Uuid, Rollup>, orgs: &[Uuid], r: &Rollup, sign: i64) {
    for o in orgs {
        sums.entry(*o).or_default().add(r, sign);
    }
}

#[derive(sqlx::FromRow)]
struct OpenRow {
    period: String,
    through: Date,
}

/// Every opened period with the day its rows are computed through.
async fn all_opened(e: &mut impl Exec) -> Result<BTreeMap<PeriodKey, Date>, StoreError> {
    let rows: Vec<OpenRow> = sql("SELECT period, through FROM meeting_periods").fetch_all(e).await?;
    Ok(rows.into_iter().filter_map(|r| Some((PeriodKey::parse(&r.period)?, r.through))).collect())
}

/// The opened periods among `keys`, with the day each is computed through.
pub async fn opened(e: &mut impl Exec, keys: &[PeriodKey]) -> Result<Vec<(PeriodKey, Date)>, StoreError> {
    let all = all_opened(e).await?;
    Ok(keys.iter().filter_map(|k| Some((*k, *all.get(k)?))).collect())
}

/// Every opened period that ends after `since` (all of them when `None`).
pub async fn opened_since(e: &mut impl Exec, since: Option<Date>) -> Result<Vec<(PeriodKey, Date)>, StoreError> {
    Ok(all_opened(e)
        .await?
        .into_iter()
        .filter(|(k, _)| k.period().is_some_and(|p| since.is_none_or(|s| p.to > s)))
        .collect())
}

/// The first day of `today`'s month: the months before it have ended, and figures are computed
/// through it. `today` is the application's working date (its clock), never read here.
pub fn cutoff(today: Date) -> Date {
    today.replace_day(1).unwrap_or(today)
}

/// Cells whose meetings are read and computed together when a period is opened: the memory of
/// opening a year at nation scale (3.4 million meetings, about 11.7 GB when read at once) is
/// bounded by one chunk's.
pub const OPEN_CELLS: usize = 20_000;

/// Compute a period's rows for the whole tree as of `today`, unless it is opened already.
/// Returns whether it was opened now.
pub async fn open_period(e: &mut impl Exec, key: PeriodKey, today: Date) -> Result<bool, StoreError> {
    open_period_by(e, key, today, OPEN_CELLS).await
}

/// [`open_period`], reading and computing `cells_at_once` cells at a time (tests compare sizes).
pub async fn open_period_by(
    e: &mut impl Exec,
    key: PeriodKey,
    today: Date,
    cells_at_once: usize,
) -> Result<bool, StoreError> {
    Ok(!open_periods_by(e, &[key], today, cells_at_once).await?.is_empty())
}

/// Compute the rows of every period among `keys` not opened yet, for the whole tree as of
/// `today`, together: each chunk of `cells_at_once` cells has its meetings read once, for the
/// span of all the periods, and each period is computed from its part of them (the demo load
/// opens a year's months, quarters and the year itself at once; one at a time, each meeting
/// was read three times). Memory: a chunk's meetings of the span, each period's copy of its
/// part and its sums over the chunk's organisations; keep `keys` within one year. Returns the periods opened now.
pub async fn open_periods_by(
    e: &mut impl Exec,
    keys: &[PeriodKey],
    today: Date,
    cells_at_once: usize,
) -> Result<Vec<PeriodKey>, StoreError> {
    let through = cutoff(today);
    let mut fresh = Vec::new();
    for &key in keys {
        let Some(period) = key.period() else { continue };
        let inserted = sql("INSERT INTO meeting_periods (period, through, opened_at) VALUES ($1, $2, $3) \
             ON CONFLICT (period) DO NOTHING")
        .bind(key.code())
        .bind(through)
        .bind(OffsetDateTime::now_utc())
        .execute(e)
        .await?;
        if inserted > 0 {
            fresh.push((key, period));
        }
    }
    let (Some(from), Some(to)) = (fresh.iter().map(|(_, p)| p.from).min(), fresh.iter().map(|(_, p)| p.to).max())
    else {
        return Ok(Vec::new());
    };
    let links = history::all_links(e).await?;
    let cells = all_cells(e).await?;
    for chunk in cells.chunks(cells_at_once.max(1)) {
        let mut meetings = held_meetings(e, Some(chunk), from, to).await?;
        for (key, period) in &fresh {
            let mut own = if fresh.len() == 1 { std::mem::take(&mut meetings) } else { within(&meetings, period) };
            let rows = compute(*key, through, chunk, &mut own, &links);
            let mut sums = BTreeMap::new();
            for c in &rows {
                sum_into(&mut sums, &c.orgs, &Rollup::of_cell(&c.tally), 1);
            }
            insert_cells(e, *key, &rows).await?;
            // Added chunk by chunk: the sums of a year's 17 periods over the nation's
            // organisations held at once would take about 600 MB (277,000 × 17 × ~130 bytes, estimated).
            add_rollups(e, *key, &sums).await?;
        }
    }
    Ok(fresh.into_iter().map(|(k, _)| k).collect())
}

/// The meetings of `period` among `meetings`, by cell: each period's copy holds only its own
/// (the domain's tally counts only a period's meetings whatever it is given).
fn within(meetings: &HashMap<Uuid, Vec<MeetingRow>>, period: &Period) -> HashMap<Uuid, Vec<MeetingRow>> {
    meetings
        .iter()
        .filter_map(|(cell, all)| {
            let own: Vec<MeetingRow> =
                all.iter().filter(|m| m.on >= period.from && m.on < period.to).copied().collect();
            (!own.is_empty()).then_some((*cell, own))
        })
        .collect()
}

/// Open every period among `keys` that is not opened yet, and compute again those opened
/// before a month of theirs ended (a month that has since ended is owed by every cell).
pub async fn ensure_open(e: &mut impl Exec, keys: &[PeriodKey], today: Date) -> Result<(), StoreError> {
    let now = cutoff(today);
    let open = opened(e, keys).await?;
    for k in keys {
        let stale =
            open.iter().find(|(o, _)| o == k).is_some_and(|(_, t)| *t < now && k.period().is_some_and(|p| *t < p.to));
        if stale {
            for table in ["meeting_cells", "meeting_rollup", "meeting_periods"] {
                dynamic_sql(format!("DELETE FROM {table} WHERE period = $1")).bind(k.code()).execute(e).await?;
            }
        }
        open_period(e, *k, today).await?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct CellRow {
    cell_id: Uuid,
    period: String,
    as_of: Date,
    regular_owed: i64,
    regular_held: i64,
    thematic_owed: i64,
    thematic_held: i64,
    meetings: i64,
    present: i64,
    base: i64,
    good: i64,
    fair: i64,
    average: i64,
    poor: i64,
    unrated: i64,
}

impl CellRow {
    fn tally(&self) -> CellTally {
        CellTally::from_fields([
            self.regular_owed,
            self.regular_held,
            self.thematic_owed,
            self.thematic_held,
            self.meetings,
            self.present,
            self.base,
            self.good,
            self.fair,
            self.average,
            self.poor,
            self.unrated,
        ])
    }
}

async fn cell_rows_of(e: &mut impl Exec, cells: &[Uuid], keys: &[PeriodKey]) -> Result<Vec<CellRow>, StoreError> {
    let mut out = Vec::new();
    if keys.is_empty() {
        return Ok(out);
    }
    let codes: Vec<String> = keys.iter().map(|k| k.code()).collect();
    for chunk in cells.chunks(400) {
        let mut q = dynamic_sql(format!(
            "SELECT cell_id, period, as_of, {SUMS} FROM meeting_cells WHERE period IN ({}) AND cell_id IN ({})",
            placeholders(1, codes.len()),
            placeholders(1 + codes.len(), chunk.len())
        ));
        for c in &codes {
            q.push_arg(c.as_str());
        }
        for c in chunk {
            q.push_arg(*c);
        }
        out.extend(q.fetch_all::<CellRow>(e).await?);
    }
    Ok(out)
}

/// Take the rows of `cells` for `keys` out of the sums (attributed with the current links) and
/// delete them. Call before changing the meetings of the cells or the tree around them.
pub async fn detach(e: &mut impl Exec, cells: &[Uuid], keys: &[(PeriodKey, Date)]) -> Result<(), StoreError> {
    let keys: Vec<PeriodKey> = keys.iter().map(|(k, _)| *k).collect();
    let rows = cell_rows_of(e, cells, &keys).await?;
    if rows.is_empty() {
        return Ok(());
    }
    let links = history::ancestry_links(e, cells).await?;
    let mut by_key: BTreeMap<PeriodKey, BTreeMap<Uuid, Rollup>> = BTreeMap::new();
    for r in &rows {
        let Some(key) = PeriodKey::parse(&r.period) else { continue };
        let orgs = attributed_to(r.cell_id, r.as_of, &links);
        sum_into(by_key.entry(key).or_default(), &orgs, &Rollup::of_cell(&r.tally()), -1);
    }
    for (key, sums) in &by_key {
        add_rollups(e, *key, sums).await?;
        for chunk in cells.chunks(500) {
            let mut q = dynamic_sql(format!(
                "DELETE FROM meeting_cells WHERE period = $1 AND cell_id IN ({})",
                placeholders(2, chunk.len())
            ))
            .bind(key.code());
            for c in chunk {
                q.push_arg(*c);
            }
            q.execute(e).await?;
        }
    }
    Ok(())
}

/// Compute the rows of `cells` for `keys` again and add them to the sums. Call after the
/// change, with the cells and periods given to [`detach`].
pub async fn attach(e: &mut impl Exec, cells: &[Uuid], keys: &[(PeriodKey, Date)]) -> Result<(), StoreError> {
    if keys.is_empty() || cells.is_empty() {
        return Ok(());
    }
    let links = history::ancestry_links(e, cells).await?;
    for (key, through) in keys {
        let Some(period) = key.period() else { continue };
        let mut meetings = held_meetings(e, Some(cells), period.from, period.to).await?;
        let rows = compute(*key, *through, cells, &mut meetings, &links);
        let mut sums = BTreeMap::new();
        for c in &rows {
            sum_into(&mut sums, &c.orgs, &Rollup::of_cell(&c.tally), 1);
        }
        insert_cells(e, *key, &rows).await?;
        add_rollups(e, *key, &sums).await?;
    }
    Ok(())
}

/// Keep the figures of `cell` in step after its meetings on `dates` changed: open the periods
/// holding those dates (as of `today`), then detach and attach the cell for them.
pub async fn meetings_changed(e: &mut impl Exec, cell: Uuid, dates: &[Date], today: Date) -> Result<(), StoreError> {
    let mut keys: Vec<PeriodKey> = dates.iter().flat_map(|d| PeriodKey::holding(*d)).collect();
    keys.sort();
    keys.dedup();
    ensure_open(e, &keys, today).await?;
    let keys = opened(e, &keys).await?;
    detach(e, &[cell], &keys).await?;
    attach(e, &[cell], &keys).await
}

/// The cells under `orgs` now, themselves included (for a restructuring).
pub async fn cells_under(e: &mut impl Exec, paths: &[String]) -> Result<Vec<Uuid>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Id {
        id: Uuid,
    }
    let mut out = Vec::new();
    for p in paths {
        let rows: Vec<Id> = dynamic_sql(format!(
            "SELECT id FROM orgs WHERE kind IN {CELL_KINDS} AND substr(path, 1, {}) = $1",
            p.chars().count()
        ))
        .bind(p.as_str())
        .fetch_all(e)
        .await?;
        out.extend(rows.into_iter().map(|r| r.id));
    }
    out.sort();
    out.dedup();
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct RollupRow {
    org_id: Uuid,
    regular_cells: i64,
    regular_met: i64,
    thematic_cells: i64,
    thematic_met: i64,
    meetings: i64,
    present: i64,
    base: i64,
    good: i64,
    fair: i64,
    average: i64,
    poor: i64,
    unrated: i64,
}

impl RollupRow {
    fn rollup(&self) -> Rollup {
        Rollup::from_fields([
            self.regular_cells,
            self.regular_met,
            self.thematic_cells,
            self.thematic_met,
            self.meetings,
            self.present,
            self.base,
            self.good,
            self.fair,
            self.average,
            self.poor,
            self.unrated,
        ])
    }
}

/// The kept figures of `orgs` for an opened period (organisations with nothing are left out).
pub async fn rollups(e: &mut impl Exec, orgs: &[Uuid], key: PeriodKey) -> Result<HashMap<Uuid, Rollup>, StoreError> {
    let mut out = HashMap::new();
    for chunk in orgs.chunks(500) {
        let mut q = dynamic_sql(format!(
            "SELECT org_id, {ROLLUP_SUMS} FROM meeting_rollup WHERE period = $1 AND org_id IN ({})",
            placeholders(2, chunk.len())
        ))
        .bind(key.code());
        for o in chunk {
            q.push_arg(*o);
        }
        for r in q.fetch_all::<RollupRow>(e).await? {
            out.insert(r.org_id, r.rollup());
        }
    }
    Ok(out)
}

/// The kept figures of one organisation for several opened periods, by period code.
pub async fn rollups_of(
    e: &mut impl Exec,
    org: Uuid,
    keys: &[PeriodKey],
) -> Result<HashMap<String, Rollup>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        period: String,
        #[sqlx(flatten)]
        sums: RollupRow,
    }
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let mut q = dynamic_sql(format!(
        "SELECT period, org_id, {ROLLUP_SUMS} FROM meeting_rollup WHERE org_id = $1 AND period IN ({})",
        placeholders(2, keys.len())
    ))
    .bind(org);
    for k in keys {
        q.push_arg(k.code());
    }
    Ok(q.fetch_all::<Row>(e).await?.into_iter().map(|r| (r.period, r.sums.rollup())).collect())
}

/// The kept rows of `cells` for an opened period.
pub async fn cell_tallies(
    e: &mut impl Exec,
    cells: &[Uuid],
    key: PeriodKey,
) -> Result<HashMap<Uuid, CellTally>, StoreError> {
    Ok(cell_rows_of(e, cells, &[key]).await?.into_iter().map(|r| (r.cell_id, r.tally())).collect())
}

/// The organisations that were directly under `org` at some time in `[from, to)`.
pub async fn children_during(e: &mut impl Exec, org: Uuid, from: Date, to: Date) -> Result<Vec<Uuid>, StoreError> {
    let links = history::children_after(e, org, from).await?;
    let mut out: Vec<Uuid> = links.iter().filter(|l| l.from.is_none_or(|f| f < to)).map(|l| l.org_id).collect();
    out.sort();
    out.dedup();
    Ok(out)
}

/// A difference found by [`recount`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Mismatch {
    pub what: &'static str,
    pub id: Uuid,
    pub period: String,
    pub kept: String,
    pub recomputed: String,
}

#[derive(sqlx::FromRow)]
struct MarkCount {
    meeting_id: Uuid,
    mark: Option<String>,
    exempt: bool,
    n: i64,
}

/// The attendance counts of every held meeting in `[from, to)`, from the attendance rows.
async fn counts_from_rows(e: &mut impl Exec, from: Date, to: Date) -> Result<HashMap<Uuid, Counts>, StoreError> {
    let rows: Vec<MarkCount> = sql("SELECT a.meeting_id, a.mark, a.exempt, COUNT(*) AS n FROM meeting_attendance a \
         JOIN meetings m ON m.id = a.meeting_id WHERE m.status IN ('held', 'approved') \
         AND m.held_on >= $1 AND m.held_on < $2 GROUP BY a.meeting_id, a.mark, a.exempt")
    .bind(from)
    .bind(to)
    .fetch_all(e)
    .await?;
    let mut out: HashMap<Uuid, Counts> = HashMap::new();
    for r in rows {
        let c = out.entry(r.meeting_id).or_default();
        if let Some(mark) = r.mark.as_deref().and_then(Mark::parse) {
            c.add(mark, r.exempt, count(r.n));
        }
    }
    Ok(out)
}

/// Recompute a period from the attendance rows and the links, and compare with what is kept:
/// each held meeting's counts, each cell's row and each organisation's sums. Empty when equal.
pub async fn recount(e: &mut impl Exec, key: PeriodKey) -> Result<Vec<Mismatch>, StoreError> {
    let Some(period) = key.period() else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    let mismatch =
        |what, id, kept: String, recomputed: String| Mismatch { what, id, period: key.code(), kept, recomputed };
    let from_rows = counts_from_rows(e, period.from, period.to).await?;
    let mut meetings = held_meetings(e, None, period.from, period.to).await?;
    for list in meetings.values_mut() {
        for m in list.iter_mut() {
            let actual = from_rows.get(&m.id).copied().unwrap_or_default();
            if actual != m.counts {
                out.push(mismatch("meeting_counts", m.id, format!("{:?}", m.counts), format!("{actual:?}")));
                m.counts = actual;
            }
        }
    }
    let Some(&(_, through)) = opened(e, &[key]).await?.first() else { return Ok(out) };
    let links = history::all_links(e).await?;
    let cells = all_cells(e).await?;
    let rows = compute(key, through, &cells, &mut meetings, &links);
    let kept = cell_rows_of(e, &cells, &[key]).await?;
    let mut kept_cells: HashMap<Uuid, (Date, CellTally)> =
        kept.iter().map(|r| (r.cell_id, (r.as_of, r.tally()))).collect();
    let mut sums: BTreeMap<Uuid, Rollup> = BTreeMap::new();
    for c in &rows {
        sum_into(&mut sums, &c.orgs, &Rollup::of_cell(&c.tally), 1);
        let k = kept_cells.remove(&c.cell);
        if k != Some((c.as_of, c.tally)) {
            out.push(mismatch("cell", c.cell, format!("{k:?}"), format!("{:?}", (c.as_of, c.tally))));
        }
    }
    for (cell, k) in kept_cells {
        out.push(mismatch("cell", cell, format!("{k:?}"), "none".into()));
    }
    let orgs: Vec<Uuid> = sums.keys().copied().collect();
    let mut stored = rollups(e, &orgs, key).await?;
    let extra: Vec<RollupRow> =
        dynamic_sql(format!("SELECT org_id, {ROLLUP_SUMS} FROM meeting_rollup WHERE period = $1"))
            .bind(key.code())
            .fetch_all(e)
            .await?;
    for r in extra.iter().filter(|r| !sums.contains_key(&r.org_id) && !r.rollup().is_zero()) {
        out.push(mismatch("rollup", r.org_id, format!("{:?}", r.rollup()), "none".into()));
    }
    for (org, want) in sums.iter().filter(|(_, r)| !r.is_zero()) {
        let have = stored.remove(org).unwrap_or_default();
        if have != *want {
            out.push(mismatch("rollup", *org, format!("{have:?}"), format!("{want:?}")));
        }
    }
    Ok(out)
}
