//! The structure's changes kept by month (*biến động cơ cấu theo tháng*, table
//! `structure_changes`) at the organisations whose kind keeps them (the central and the
//! provincial level, `OrgKind::keeps_changes_by_month`): per organisation, month, dimension and
//! value, how many members of its subtree (today's tree) came onto the rolls that month less
//! how many left them, by the members' home spans on the rolls: the span's standing, the
//! record's other values, the birth and admission dates by month and by day (`kept_rows`). The
//! centre at the root of the tree keeps each day's changes too (`keeps_changes_by_day`, keys
//! `d2025-11-10` after every month's).
//!
//! The structure on a day is today's kept structure less the rows of the months after its
//! month ([`after`], the dates banded on that day: by month, and by day in the months a band
//! boundary falls in), less the few days' changes left in its month: the centre's kept days
//! ([`within`]), read member by member elsewhere (`structure_counts::groups_past`). A few
//! thousand rows a month back, where the netting member by member reads every member changed
//! since (tens of thousands under a province's root, millions under the centre's).
//!
//! Kept in step by every write of spans ([`settled`], an import's [`Summed`]) and by
//! [`move_subtree`]; built and recounted from the stored spans ([`rebuild`], [`recount`]).

use crate::StoreError;
use crate::beside::Beside;
use crate::bulk_add::BulkAdd;
use crate::db::{Arg, Exec, dynamic_sql, placeholders, sql};
use crate::interned::Interned;
use crate::reports::{DimRow, DimValues, values_of};
use crate::scratch::Scratch;
use chibo_domain::life::{Span, SpanKind};
use chibo_domain::member::{MemberInput, MemberStatus};
use chibo_domain::org::OrgKind;
use chibo_domain::path;
use chibo_domain::report::{
    Dim, Group, KeptBanding, LAST_MONTH, change_day, change_periods, cut_months, day_key, is_change_day,
    keeps_changes_by_day, kept_dim, kept_in_days, kept_rows, month_of,
};
use std::collections::HashMap;
use time::Date;
use uuid::Uuid;

const TABLE: &str = "structure_changes";
/// The table's key: a dimension's rows lie together, by month of change; the day rows of a
/// birth or admission date lie by the month of that date first (`value_month`, `''` for every
/// other row), so the few months a past date reads by day are ranges of their own ([`after`]).
const KEY: [&str; 5] = ["org_id", "dim", "value_month", "changed_in", "value"];

/// A kept row's key in [`KEY`]'s order. A kept day's rows have no `value_month`: a window of
/// days is read whole, each dimension one range.
fn key_args(org: Uuid, period: &str, dim: &'static str, value: &str) -> Vec<Arg> {
    let is_day = [Dim::Birth, Dim::Admission].into_iter().any(|d| day_key(d) == Some(dim));
    let value_month = if is_day && !is_change_day(period) { value.get(..7).unwrap_or(value) } else { "" };
    vec![org.into(), dim.into(), value_month.into(), period.into(), value.into()]
}

/// The keys of the day rows (`age_day`, `party_age_day`).
fn day_keys() -> Vec<&'static str> {
    [Dim::Birth, Dim::Admission].into_iter().filter_map(day_key).collect()
}

/// Rows of one subtree: (month or day, kept key, value) → change.
type Rows = HashMap<(String, &'static str, String), i64>;

/// The values of a member kept but its standing (a span's own): (kept key, value), each date
/// by its month and by its day (`kept_rows`).
fn kept_values(values: &DimValues) -> Vec<(&'static str, String)> {
    Dim::ALL
        .into_iter()
        .zip(values)
        .filter(|(dim, _)| *dim != Dim::Status)
        .flat_map(|(dim, value)| kept_rows(dim, value.as_deref()))
        .collect()
}

/// The days a span's rows change on, `sign` times: onto the rolls on its start (+), off them on
/// its end (−); the rows are its standing's and the member's other values ([`kept_values`]) in
/// each day's month (and under the day itself where days are kept). Only a home span on the
/// rolls counts.
fn ends(span: &Span, sign: i64) -> impl Iterator<Item = (Date, i64)> {
    let counted = span.kind == SpanKind::Home && span.status.is_active();
    counted.then(|| std::iter::once((span.from, sign)).chain(span.to.map(|to| (to, -sign)))).into_iter().flatten()
}

/// Changes to the kept rows, spread to the organisations that keep them and summed (a
/// member's settle, an import's batches), written by [`Summed::apply`]. Months and values are
/// interned: an import adds some 30 rows per member.
#[derive(Default)]
pub struct Summed {
    /// The organisations keeping the changes of each span's organisation met, each with
    /// whether it keeps days.
    keepers: HashMap<Uuid, Vec<(Uuid, bool)>>,
    /// The months and days of the changes.
    months: Interned<String>,
    values: Interned<String>,
    /// (organisation, month or day, dimension, value) → change.
    rows: foldhash::HashMap<(Uuid, u32, &'static str, u32), i64>,
}

impl Summed {
    /// Add a member's spans with the record's values; `sign` −1 takes them away.
    pub async fn add(
        &mut self,
        e: &mut impl Exec,
        spans: &[Span],
        m: &MemberInput,
        sign: i64,
    ) -> Result<(), StoreError> {
        let unknown: Vec<Uuid> = spans.iter().map(|s| s.org_id).filter(|o| !self.keepers.contains_key(o)).collect();
        if !unknown.is_empty() {
            self.keepers.extend(keepers_of(e, &unknown).await?);
        }
        let Summed { keepers, months, values, rows } = self;
        let others: Vec<(&'static str, u32)> =
            kept_values(&values_of(m)).into_iter().map(|(dim, v)| (dim, values.id(v.as_str()))).collect();
        for span in spans {
            let Some(above) = keepers.get(&span.org_id).filter(|k| !k.is_empty()) else { continue };
            let status = (Dim::Status.key(), values.id(span.status.code()));
            for (on, n) in ends(span, sign) {
                let month = months.id(month_of(on).as_str());
                // The day's key only where a keeper keeps days (a settle or an import below a
                // province would intern one per change for nothing).
                let day = above.iter().any(|(_, days)| *days).then(|| months.id(change_day(on).as_str()));
                for (keeper, days) in above {
                    let day = day.filter(|_| *days).map(|d| (d, true));
                    for (period, is_day) in std::iter::once((month, false)).chain(day) {
                        for (dim, value) in std::iter::once(status).chain(others.iter().copied()) {
                            if !is_day || kept_in_days(dim) {
                                *rows.entry((*keeper, period, dim, value)).or_default() += n;
                            }
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Add `n` to a row of `keeper` (a month's or a day's).
    fn add_row(&mut self, keeper: Uuid, (period, dim, value): (&str, &'static str, &str), n: i64) {
        let (month, value) = (self.months.id(period), self.values.id(value));
        *self.rows.entry((keeper, month, dim, value)).or_default() += n;
    }

    /// The rows summed so far.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Write what is summed, netted (nothing where it comes to zero), and start again empty.
    pub async fn apply(&mut self, e: &mut impl Exec) -> Result<(), StoreError> {
        let Summed { months, values, rows, .. } = std::mem::take(self);
        let rows: Vec<(Vec<Arg>, i64)> = rows
            .into_iter()
            .filter(|(_, n)| *n != 0)
            .map(|((org, month, dim, value), n)| {
                let (month, value) = (&months.all[month as usize], &values.all[value as usize]);
                (key_args(org, month, dim, value), n)
            })
            .collect();
        crate::db::add_counts(e, TABLE, &KEY, &rows).await
    }
}

/// A member's spans and record settled anew: the old rows out, the new in, at every
/// organisation keeping them.
pub async fn settled(
    e: &mut impl Exec,
    old: (&[Span], &MemberInput),
    new: (&[Span], &MemberInput),
) -> Result<(), StoreError> {
    // The standing kept is the span's: the record's matters only through the spans.
    let (old_values, new_values) = (values_of(old.1), values_of(new.1));
    if old.0 == new.0 && old_values[1..] == new_values[1..] {
        return Ok(());
    }
    let mut sums = Summed::default();
    sums.add(e, old.0, old.1, -1).await?;
    sums.add(e, new.0, new.1, 1).await?;
    sums.apply(e).await
}

/// The kinds that keep changes, as SQL text (`'central', 'provincial'`).
pub(crate) fn keeper_kinds() -> String {
    let kinds: Vec<String> =
        OrgKind::ALL.into_iter().filter(|k| k.keeps_changes_by_month()).map(|k| format!("'{}'", k.code())).collect();
    kinds.join(", ")
}

#[derive(sqlx::FromRow)]
struct IdPath {
    id: Uuid,
    path: String,
    kind: String,
}

impl IdPath {
    /// Whether this organisation (a keeper) keeps its days too.
    fn keeps_days(&self) -> bool {
        OrgKind::parse(&self.kind).is_some_and(|kind| keeps_changes_by_day(kind, path::depth(&self.path)))
    }
}

/// For each organisation, the organisations at or above it (today) that keep changes, each
/// with whether it keeps days.
async fn keepers_of(e: &mut impl Exec, orgs: &[Uuid]) -> Result<HashMap<Uuid, Vec<(Uuid, bool)>>, StoreError> {
    let mut paths = Vec::with_capacity(orgs.len());
    for chunk in orgs.chunks(500) {
        let mut q =
            dynamic_sql(format!("SELECT id, path, kind FROM orgs WHERE id IN ({})", placeholders(1, chunk.len())));
        for id in chunk {
            q.push_arg(*id);
        }
        paths.extend(q.fetch_all::<IdPath>(e).await?);
    }
    let mut chain: Vec<&str> =
        paths.iter().flat_map(|o| path::ancestors(&o.path).into_iter().chain([o.path.as_str()])).collect();
    chain.sort_unstable();
    chain.dedup();
    let keepers = keeper_rows(e, &chain).await?;
    Ok(paths
        .iter()
        .map(|o| {
            let above =
                keepers.iter().filter(|k| path::is_within(&o.path, &k.path)).map(|k| (k.id, k.keeps_days())).collect();
            (o.id, above)
        })
        .collect())
}

/// The organisations among these paths that keep changes: (path, id).
pub(crate) async fn keepers_among(e: &mut impl Exec, paths: &[&str]) -> Result<Vec<(String, Uuid)>, StoreError> {
    let mut out: Vec<(String, Uuid)> = keeper_rows(e, paths).await?.into_iter().map(|o| (o.path, o.id)).collect();
    out.sort_unstable();
    Ok(out)
}

/// The organisations among these paths that keep changes.
async fn keeper_rows(e: &mut impl Exec, paths: &[&str]) -> Result<Vec<IdPath>, StoreError> {
    let mut out = Vec::new();
    for chunk in paths.chunks(500) {
        let mut q = dynamic_sql(format!(
            "SELECT id, path, kind FROM orgs WHERE path IN ({}) AND kind IN ({})",
            placeholders(1, chunk.len()),
            keeper_kinds()
        ));
        for p in chunk {
            q.push_arg(*p);
        }
        out.extend(q.fetch_all::<IdPath>(e).await?);
    }
    Ok(out)
}

/// The organisations keeping changes at or above `at` (a path).
pub(crate) async fn keepers_at(e: &mut impl Exec, at: Option<&str>) -> Result<Vec<Uuid>, StoreError> {
    Ok(keepers_with_days_at(e, at).await?.into_iter().map(|(id, _)| id).collect())
}

/// The organisations keeping changes at or above `at`, each with whether it keeps days.
async fn keepers_with_days_at(e: &mut impl Exec, at: Option<&str>) -> Result<Vec<(Uuid, bool)>, StoreError> {
    let Some(at) = at else { return Ok(Vec::new()) };
    let chain: Vec<&str> = path::ancestors(at).into_iter().chain([at]).collect();
    let mut keepers = keeper_rows(e, &chain).await?;
    keepers.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    Ok(keepers.iter().map(|k| (k.id, k.keeps_days())).collect())
}

/// A subtree (at `subtree`) moves from under `old_parent` to under `new_parent` (paths before
/// the move): its rows leave the organisations keeping changes above the old place and join
/// those above the new one. Those inside the subtree keep theirs. Called before the paths
/// change.
pub async fn move_subtree(
    e: &mut impl Exec,
    subtree: &str,
    old_parent: Option<&str>,
    new_parent: &str,
) -> Result<(), StoreError> {
    let (old, new) = (keepers_with_days_at(e, old_parent).await?, keepers_with_days_at(e, Some(new_parent)).await?);
    if old == new {
        return Ok(());
    }
    let orgs = crate::reports::org_ids_under(e, subtree, None).await?;
    let mut rows = Rows::new();
    let days = old.iter().chain(&new).any(|(_, days)| *days);
    for chunk in orgs.chunks(SPAN_ORGS) {
        for span in spans_in(e, chunk).await? {
            span.add_to(&mut rows, days);
        }
    }
    let mut sums = Summed::default();
    for (keepers, others, sign) in [(&old, &new, -1), (&new, &old, 1)] {
        for (keeper, days) in keepers.iter().filter(|k| !others.contains(k)) {
            for ((period, dim, value), n) in &rows {
                if *days || !is_change_day(period) {
                    sums.add_row(*keeper, (period, *dim, value), sign * n);
                }
            }
        }
    }
    sums.apply(e).await
}

/// A home span on the rolls with its member's values, as a rebuild reads it.
#[derive(sqlx::FromRow)]
struct SpanRead {
    org_id: Uuid,
    from_on: Date,
    to_on: Option<Date>,
    /// The span's standing as `status`, the record's other values.
    #[sqlx(flatten)]
    dims: DimRow,
}

impl SpanRead {
    /// Add the span's rows ([`ends`]), by month, and by day too if `days`.
    fn add_to(self, rows: &mut Rows, days: bool) {
        let values = self.dims.values();
        let Some(status) = values[0].as_deref().and_then(MemberStatus::parse) else { return };
        let span = Span { kind: SpanKind::Home, org_id: self.org_id, status, from: self.from_on, to: self.to_on };
        let others = kept_values(&values);
        for (on, n) in ends(&span, 1) {
            for period in change_periods(on, days) {
                let is_day = is_change_day(&period);
                for (dim, value) in std::iter::once((Dim::Status.key(), status.code()))
                    .chain(others.iter().map(|(d, v)| (*d, v.as_str())))
                    .filter(|(dim, _)| !is_day || kept_in_days(dim))
                {
                    *rows.entry((period.clone(), dim, value.to_string())).or_default() += n;
                }
            }
        }
    }
}

/// Organisations whose spans are read per statement.
const SPAN_ORGS: usize = 500;

/// The home spans on the rolls in these organisations, with their members' values.
async fn spans_in(e: &mut impl Exec, orgs: &[Uuid]) -> Result<Vec<SpanRead>, StoreError> {
    let mut q = dynamic_sql(format!(
        "SELECT s.org_id, s.from_on, s.to_on, s.status, m.gender, m.birth_date, m.ethnicity_code, m.religion, \
         m.general_education, m.professional_education, m.theory_level, m.occupation, m.admission_date \
         FROM member_spans s CROSS JOIN members m WHERE m.id = s.member_id AND s.kind = 'home' \
         AND s.status IN ('official', 'probationary') AND s.org_id IN ({})",
        placeholders(1, orgs.len())
    ));
    for id in orgs {
        q.push_arg(*id);
    }
    q.fetch_all(e).await
}

/// The kept rows of `org` in the months after `past`'s (`on`'s, or the month before it when
/// its day is reached from the month's start: `chibo_domain::report::MonthEdge`), summed per
/// dimension and value, each birth and admission date banded on `on` as
/// `structure_counts::groups_on` bands today's (by month, and by day in the months a band
/// boundary falls in): (what rose since, what fell since).
pub async fn after(
    e: &mut impl Exec,
    org: Uuid,
    (past, on): (Date, Date),
) -> Result<(Vec<Group>, Vec<Group>), StoreError> {
    summed(e, org, Kept::Months { after: &month_of(past) }, on).await
}

/// The kept days of `org` (an organisation keeping days: `keeps_changes_by_day`) after the
/// first of `days` and up to the second, summed and banded on `on` as [`after`] does: (what
/// rose in those days, what fell).
pub async fn within(
    e: &mut impl Exec,
    org: Uuid,
    (after, until): (Date, Date),
    on: Date,
) -> Result<(Vec<Group>, Vec<Group>), StoreError> {
    summed(e, org, Kept::Days { after: &change_day(after), until: &change_day(until) }, on).await
}

/// Which kept rows [`summed`] reads.
enum Kept<'a> {
    /// The months after one (a key `YYYY-MM`).
    Months { after: &'a str },
    /// The days after one and up to another (keys of `change_day`): each date by day alone.
    Days { after: &'a str, until: &'a str },
}

/// The `kept` rows of `org`, summed per dimension and value and banded on `on` ([`after`]). A
/// range of the key per dimension (and, for the months, per month read by day), grouped by the
/// database; the banding is done here ([`KeptBanding`]): in SQL, each month read by day was a
/// range query of its own over the months after (ten of them), and the province's root took
/// three times as long.
async fn summed(
    e: &mut impl Exec,
    org: Uuid,
    kept: Kept<'_>,
    on: Date,
) -> Result<(Vec<Group>, Vec<Group>), StoreError> {
    #[derive(sqlx::FromRow)]
    struct Summed {
        dim: String,
        value: String,
        n: i64,
    }
    // Each dimension's months after, a range of the key each; of the day rows only the
    // months read by day (their dates' months: a few hundred of the province's 250,000 rows,
    // a tenth of the central root's rows years back), a range each.
    let (keys, whole_dates) = match kept {
        Kept::Months { after } => ((after, LAST_MONTH), false),
        Kept::Days { after, until } => ((after, until), true),
    };
    let mut by_day: Vec<String> =
        [Dim::Birth, Dim::Admission].into_iter().flat_map(|dim| cut_months(dim, on)).collect();
    by_day.sort_unstable();
    by_day.dedup();
    if whole_dates {
        // The kept days hold the dates by day alone, with no month of value: in the first range.
        by_day.clear();
    }
    let mut dims: Vec<&str> = Dim::ALL.map(Dim::key).to_vec();
    if whole_dates {
        dims.extend(day_keys());
    }
    let listed = |keys: &[&str]| keys.iter().map(|k| format!("'{k}'")).collect::<Vec<_>>().join(", ");
    let mut read = format!(
        "SELECT dim, value, n FROM {TABLE} WHERE org_id = $1 AND dim IN ({}) AND value_month = '' \
         AND changed_in > $2 AND changed_in <= $3",
        listed(&dims)
    );
    if !by_day.is_empty() {
        read.push_str(&format!(
            " UNION ALL SELECT dim, value, n FROM {TABLE} WHERE org_id = $1 AND dim IN ({}) \
             AND value_month IN ({}) AND changed_in > $2 AND changed_in <= $3",
            listed(&day_keys()),
            placeholders(4, by_day.len())
        ));
    }
    let mut q =
        dynamic_sql(format!("SELECT dim, value, CAST(SUM(n) AS BIGINT) AS n FROM ({read}) k GROUP BY dim, value"))
            .bind(org)
            .bind(keys.0)
            .bind(keys.1);
    for m in &by_day {
        q.push_arg(m.as_str());
    }
    let rows: Vec<Summed> = q.fetch_all(e).await?;
    let banding: HashMap<Dim, KeptBanding> =
        Dim::ALL.into_iter().filter_map(|d| Some((d, KeptBanding::new(d, on)?))).collect();
    let mut sums: HashMap<(Dim, String), i64> = HashMap::new();
    for r in rows {
        let Some(dim) = kept_dim(&r.dim) else { continue };
        let value = match banding.get(&dim) {
            None => Some(r.value),
            Some(b) if whole_dates => Some(b.band_date(&r.value)),
            Some(b) => b.band(&r.value, r.dim != dim.key()),
        };
        if let Some(value) = value {
            *sums.entry((dim, value)).or_default() += r.n;
        }
    }
    let (mut rose, mut fell) = (Vec::new(), Vec::new());
    for ((dim, value), n) in sums {
        let group = Group { dim, value: (!value.is_empty()).then_some(value), count: n.unsigned_abs() };
        match n.signum() {
            1 => rose.push(group),
            -1 => fell.push(group),
            _ => {}
        }
    }
    Ok((rose, fell))
}

/// Build the kept rows when the table is empty: the migration that created it, on a database
/// with members.
pub async fn backfill(pools: &crate::Pools) -> Result<(), StoreError> {
    crate::db::backfill_empty(pools, TABLE, "the structure's changes by month", async |tx| rebuild(tx).await).await
}

/// Build every kept row again from the spans (after a bulk load, or to repair what `chibo
/// check` found).
pub async fn rebuild(e: &mut impl Exec) -> Result<usize, StoreError> {
    rebuild_holding(e, HELD_ROWS).await
}

/// [`rebuild`], each keeper's sums handed on once they hold `held` rows (a test hands them
/// on row by row, to see the pieces summed).
pub async fn rebuild_holding(e: &mut impl Exec, held: usize) -> Result<usize, StoreError> {
    sql("DELETE FROM structure_changes").execute(e).await?;
    count_into(e, TABLE, held).await
}

/// Count the rows of every organisation keeping changes into `table` from the spans: the
/// organisations under one are read in path order, 500 at a time, and their spans' rows added
/// beside the database ([`crate::beside`]) to each organisation keeping them, whose rows are
/// written once the walk has left its subtree (memory holds the rows of one chain of them).
async fn count_into(e: &mut impl Exec, table: &'static str, held: usize) -> Result<usize, StoreError> {
    let keepers: Vec<IdPath> =
        dynamic_sql(format!("SELECT id, path, kind FROM orgs WHERE kind IN ({}) ORDER BY path", keeper_kinds()))
            .fetch_all(e)
            .await?;
    if keepers.is_empty() {
        return Ok(0);
    }
    // Each organisation under a keeper, in path order, with the keepers above it (their
    // places in `keepers`); each keeper's last organisation.
    let mut walk: Vec<Uuid> = Vec::new();
    let mut above: HashMap<Uuid, Vec<usize>> = HashMap::new();
    let mut last = vec![0; keepers.len()];
    for o in sql("SELECT id, path, kind FROM orgs ORDER BY path").fetch_all::<IdPath>(e).await? {
        let of: Vec<usize> = (0..keepers.len()).filter(|k| path::is_within(&o.path, &keepers[*k].path)).collect();
        if of.is_empty() {
            continue;
        }
        of.iter().for_each(|k| last[*k] = walk.len());
        walk.push(o.id);
        above.insert(o.id, of);
    }
    let ids: Vec<Uuid> = keepers.iter().map(|k| k.id).collect();
    let days: Vec<bool> = keepers.iter().map(IdPath::keeps_days).collect();
    let any_days = days.contains(&true);
    let mut sums: Vec<Rows> = vec![Rows::new(); keepers.len()];
    let mut beside = Beside::start(TABLE, move |page: Option<(Vec<SpanRead>, usize)>, hand| {
        let done = match page {
            Some((spans, end)) => {
                for span in spans {
                    let Some(of) = above.get(&span.org_id) else { continue };
                    let mut rows = Rows::new();
                    span.add_to(&mut rows, any_days);
                    for k in of {
                        for (key, n) in rows.iter().filter(|(key, _)| days[*k] || !is_change_day(&key.0)) {
                            *sums[*k].entry(key.clone()).or_default() += n;
                        }
                    }
                }
                end
            }
            None => usize::MAX,
        };
        // A keeper's rows once the walk has left its subtree, or what it holds so far once that
        // is many (the rows are added, so a key handed twice is summed): memory stays bounded
        // at the centre, whose subtree is the whole walk.
        let ready = |k: &usize| !sums[*k].is_empty() && (last[*k] < done || sums[*k].len() >= held);
        let complete: Vec<usize> = (0..sums.len()).filter(ready).collect();
        for k in complete {
            // In pieces: the central root's sums are millions of rows at the nation.
            let mut piece = Vec::with_capacity(HAND_ROWS);
            for ((month, dim, value), n) in std::mem::take(&mut sums[k]) {
                if n == 0 {
                    continue;
                }
                piece.push((key_args(ids[k], &month, dim, &value), n));
                if piece.len() == HAND_ROWS {
                    hand(std::mem::replace(&mut piece, Vec::with_capacity(HAND_ROWS)));
                }
            }
            if !piece.is_empty() {
                hand(piece);
            }
        }
    });
    let mut out = BulkAdd::new(e, table, &KEY).await?;
    let mut written = 0;
    let mut read = 0;
    for chunk in walk.chunks(SPAN_ORGS) {
        read += chunk.len();
        beside.send((spans_in(e, chunk).await?, read)).await?;
        written += out.add_ready(e, &mut beside).await?;
    }
    Ok(written + out.add_rest(e, beside).await?)
}

/// Rows handed to the writer at a time.
const HAND_ROWS: usize = 50_000;

/// Rows a keeper's sums hold at most before they are handed on, its subtree not yet walked
/// (about 300 MB of keys).
const HELD_ROWS: usize = 2_000_000;

/// A kept row unlike the spans: (organisation, month, dimension key, value, kept, recounted).
pub type Mismatch = (Uuid, String, String, String, i64, i64);

const RECOUNT: Scratch = Scratch { kept: TABLE, name: "structure_changes_recount", key: &KEY, values: &["n"] };

/// The kept rows that differ from a recount of the spans (in a temporary table, compared in
/// SQL).
pub async fn recount(e: &mut impl Exec) -> Result<Vec<Mismatch>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Differs {
        org_id: Uuid,
        changed_in: String,
        dim: String,
        value: String,
        kept_n: i64,
        counted_n: i64,
    }
    let differ: Vec<Differs> = RECOUNT.recount(e, async |e, table| count_into(e, table, HELD_ROWS).await).await?;
    Ok(differ.into_iter().map(|d| (d.org_id, d.changed_in, d.dim, d.value, d.kept_n, d.counted_n)).collect())
}
