//! The structure of a subtree kept in step with the records (*số liệu cơ cấu lưu sẵn*): per
//! organisation, dimension and value, how many members of its subtree are on the rolls.
//!
//! Ages and party ages change with the calendar, so the kept counts of the two date dimensions
//! hold each member's **month and date** ([`kept_rows`]): the bands of any report day are
//! drawn from the kept rows (the store sums the months by the bands' cuts of that day, and the
//! days of the months a cut falls in), and nothing kept ever needs re-banding. A past date's
//! structure is today's kept structure netted with the members who changed since
//! ([`net_groups`]).

use super::bands::{AGE_BANDS, Bands, PARTY_AGE_BANDS};
use super::structure::{Dim, Group};
use crate::date::{add_months, parse_iso};
use crate::org::OrgKind;
use std::collections::HashMap;
use time::{Date, Duration};

impl Dim {
    /// The bands of a date dimension (age, party age); `None` for the others.
    pub fn bands(self) -> Option<&'static Bands> {
        match self {
            Dim::Birth => Some(&AGE_BANDS),
            Dim::Admission => Some(&PARTY_AGE_BANDS),
            _ => None,
        }
    }
}

/// The kept rows of a member's stored value of `dim`: (kept key, value). A date dimension is
/// kept twice: by month under its own key (`age`: `1990-05`) and by day under its
/// [`day_key`] (`age_day`: `1990-05-17`). A report on any day sums the month rows of every
/// month no band boundary of that day falls in, and the day rows of the few months one does
/// ([`cut_months`]): the bands of any day from a few thousand rows, without re-banding
/// anything kept. Any other value is kept as stored; empty text is kept as `""` (no value).
pub fn kept_rows(dim: Dim, stored: Option<&str>) -> Vec<(&'static str, String)> {
    let stored = stored.filter(|s| !s.is_empty()).unwrap_or_default();
    match (day_key(dim), parse_iso(stored)) {
        (Some(day), Some(date)) => {
            let iso = date.to_string();
            vec![(dim.key(), iso[..7].to_string()), (day, iso)]
        }
        _ => vec![(dim.key(), stored.to_string())],
    }
}

/// The key of a date dimension's rows by day (`None` for a dimension without bands).
pub fn day_key(dim: Dim) -> Option<&'static str> {
    match dim {
        Dim::Birth => Some("age_day"),
        Dim::Admission => Some("party_age_day"),
        _ => None,
    }
}

/// The dimension of a kept key ([`kept_rows`]): a dimension's own key, or a date
/// dimension's day key.
pub fn kept_dim(key: &str) -> Option<Dim> {
    Dim::of_key(key).or_else(|| Dim::ALL.into_iter().find(|d| day_key(*d) == Some(key)))
}

/// The months (`YYYY-MM`) in which a band boundary of `dim` falls on `on` (the month of each
/// of the bands' cuts, [`Bands::cuts_on`]): their members are summed by day, every other month
/// by month. Empty for a dimension without bands.
pub fn cut_months(dim: Dim, on: Date) -> Vec<String> {
    let Some(bands) = dim.bands() else { return Vec::new() };
    let mut months: Vec<String> = bands.cuts_on(on).iter().map(|(cut, _)| cut.to_string()[..7].to_string()).collect();
    months.dedup();
    months
}

/// How the kept rows of a date dimension are read for a report on a day: each birth or
/// admission month as the latest date of its band then, but the months a band boundary falls
/// in ([`cut_months`]), which are read by day — as the store's SQL bands them
/// (`chibo_store::structure_counts::groups_on`), for rows summed outside SQL.
pub struct KeptBanding {
    /// The bands' cuts on the day, latest first, as text.
    cuts: Vec<String>,
    on: String,
    by_day: Vec<String>,
}

impl KeptBanding {
    /// `None` for a dimension without bands.
    pub fn new(dim: Dim, on: Date) -> Option<KeptBanding> {
        let bands = dim.bands()?;
        Some(KeptBanding {
            cuts: bands.cuts_on(on).iter().map(|(cut, _)| cut.to_string()).collect(),
            on: on.to_string(),
            by_day: cut_months(dim, on),
        })
    }

    /// A kept value (a month, or a day when `day`) as the latest date of its band: the first
    /// cut it is not after (compared as text), else the day itself; `None` for a row the day
    /// does not read (a month read by day, a day of a month read whole).
    pub fn band(&self, value: &str, day: bool) -> Option<String> {
        let month = value.get(..7).unwrap_or(value);
        if self.by_day.iter().any(|m| m == month) != day {
            return None;
        }
        Some(self.band_date(value))
    }

    /// A kept date read by day whatever its month (the kept days of the root keep each date
    /// only by day: [`kept_in_days`]) as the latest date of its band.
    pub fn band_date(&self, value: &str) -> String {
        self.cuts.iter().find(|cut| value <= cut.as_str()).unwrap_or(&self.on).clone()
    }
}

/// The month (`YYYY-MM`) under which the structure's changes of a day are kept.
pub fn month_of(on: Date) -> String {
    on.to_string()[..7].to_string()
}

/// The last month key: the months after a day are the keys after its month up to this one.
pub const LAST_MONTH: &str = "9999-12";

/// The key under which a day's changes are kept beside its month's, at an organisation that
/// keeps its changes by day ([`keeps_changes_by_day`]): `d` and the date (`d2025-11-10`). It
/// sorts after every month key (`YYYY-MM`, digits), so the months after a day are one range of
/// keys and the days of a window another.
pub fn change_day(on: Date) -> String {
    format!("d{on}")
}

/// Whether a key of the kept changes is a day's ([`change_day`]) rather than a month's.
pub fn is_change_day(period: &str) -> bool {
    period.starts_with('d')
}

/// Whether an organisation that keeps its structure's changes by month keeps them by day too:
/// the centre at the root of the nation's tree (`depth` 0). A report of a day within a month
/// nets the kept months with the days between that day and the nearer edge of its month; read
/// member by member, ten days at the nation's root are some 13,000 spans (over 200 ms on
/// PostgreSQL), where the kept days are a range of rows. Everywhere else a window holds a
/// twentieth of that or less (a province, at the root of its own installation or under the
/// centre), and the days cost about a row per change and date dimension (at the nation's root
/// 25 million rows; docs/BENCHMARKS.md): kept only where they pay.
pub fn keeps_changes_by_day(kind: OrgKind, depth: usize) -> bool {
    kind == OrgKind::Central && depth == 0
}

/// Whether a kept key ([`kept_rows`]) is kept under a day ([`change_day`]) too: every key but a
/// date dimension's month (`age`, `party_age`). A window of days is read whole, so its dates are
/// banded by day ([`KeptBanding::band_date`]) and their months would only add rows.
pub fn kept_in_days(key: &str) -> bool {
    Dim::of_key(key).is_none_or(|dim| dim.bands().is_none())
}

/// The keys a change on `on` is kept under at an organisation keeping changes: its month, and
/// its day where the organisation keeps days.
pub fn change_periods(on: Date, days: bool) -> impl Iterator<Item = String> {
    std::iter::once(month_of(on)).chain(days.then(|| change_day(on)))
}

/// The month key of a place in the tree that has no start date: before every month.
pub const BEFORE_ALL_MONTHS: &str = "0000-00";

/// What one place of an organisation in the tree (a link from `from` until `to`) adds to the
/// organisation figures kept by month (the store's `org_changes`): one in the month it starts
/// ([`BEFORE_ALL_MONTHS`] without a start), less one in the month it ends. On a month's last
/// day the place held exactly when the sum of the months up to that day's is one (a place
/// that starts and ends within one month nets out there, as it held on none of its month ends).
pub fn place_by_month(from: Option<Date>, to: Option<Date>) -> impl Iterator<Item = (String, i64)> {
    let start = from.map_or_else(|| BEFORE_ALL_MONTHS.to_string(), month_of);
    std::iter::once((start, 1)).chain(to.map(|to| (month_of(to), -1)))
}

/// The last day of `on`'s month: a report's day is summed from the rows kept by month up to
/// its month, less what changed in the rest of the month after it.
pub fn month_end(on: Date) -> Date {
    add_months(on.replace_day(1).unwrap_or(on), 1).previous_day().unwrap_or(on)
}

/// Which edge of its month a day is reached from, when the months are kept whole: the days
/// read member by member are those between the day and the nearer edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthEdge {
    /// From the end of the previous month (`after`): the kept months from the day's own on are
    /// taken away, and the days `(after, on]` added back.
    Start { after: Date },
    /// From the end of the day's month (`until`): the kept months after the day's are taken
    /// away, and the days `(on, until]` too. On a month's last day there are none.
    End { until: Date },
}

/// The nearer edge of `on`'s month ([`MonthEdge`]): the start for the first half of a month
/// (the 5th reads 5 days, not 25), the end for the rest.
pub fn nearer_month_edge(on: Date) -> MonthEdge {
    let until = month_end(on);
    let after = on.replace_day(1).unwrap_or(on).previous_day().unwrap_or(on);
    if (on - after) < (until - on) { MonthEdge::Start { after } } else { MonthEdge::End { until } }
}

/// Kept groups with others added (`plus`) and taken away (`minus`), per dimension and value:
/// the structure of a past date is today's kept structure, less today's values of the members
/// who changed since and plus their values of that date. Groups that come to nothing are left
/// out; a value taken below zero (which consistent rows never give) counts as none.
pub fn net_groups(kept: Vec<Group>, plus: Vec<Group>, minus: Vec<Group>) -> Vec<Group> {
    let mut counts: HashMap<(Dim, Option<String>), i64> = HashMap::with_capacity(kept.len());
    for (sign, g) in kept.into_iter().chain(plus).map(|g| (1, g)).chain(minus.into_iter().map(|g| (-1, g))) {
        *counts.entry((g.dim, g.value)).or_default() += sign * g.count as i64;
    }
    let mut out: Vec<Group> = counts
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|((dim, value), n)| Group { dim, value, count: n as u64 })
        .collect();
    out.sort_by(|a, b| {
        (Dim::ALL.iter().position(|d| *d == a.dim), &a.value)
            .cmp(&(Dim::ALL.iter().position(|d| *d == b.dim), &b.value))
    });
    out
}

/// The dates that may fall in the band `key` of `dim` on `on`, for reading members by date:
/// (earliest, latest), inclusive, each a few days wider than the band (a superset: the caller
/// still asks each date's band), `None` at an open end; `None` for a dimension without bands
/// or a key that is no band of it.
pub fn band_window(dim: Dim, key: &str, on: Date) -> Option<(Option<Date>, Option<Date>)> {
    let bands = dim.bands()?;
    let i = bands.index_of_key(key)?;
    let years_before = |years: i32| add_months(on, -12 * years);
    let slack = Duration::days(3);
    // Full years of at least `from`: born on or before `on` less `from` years; fewer than the
    // next band's `from`: born after `on` less that many years. The first band also holds
    // the negative ages (a date after `on`), the last every age above it.
    let latest = (i > 0).then(|| years_before(bands.bands[i].from) + slack);
    let earliest = bands.bands.get(i + 1).map(|next| years_before(next.from) - slack);
    Some((earliest, latest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::ymd;

    #[test]
    fn every_date_of_a_band_lies_in_its_window() {
        let day = |y, m, d| ymd(y, m, d).unwrap();
        for on in [day(2025, 3, 1), day(2024, 2, 29), day(2026, 12, 31)] {
            for dim in [Dim::Birth, Dim::Admission] {
                let bands = dim.bands().unwrap();
                let mut date = day(1900, 1, 1);
                while date <= day(2027, 1, 31) {
                    let key = bands.key_on(date, on);
                    let (lo, hi) = band_window(dim, key, on).unwrap();
                    assert!(lo.is_none_or(|lo| lo <= date) && hi.is_none_or(|hi| date <= hi), "{dim:?} {date} {on}");
                    date += Duration::days(1);
                }
                assert_eq!(band_window(dim, "nothing", on), None);
            }
        }
        assert_eq!(band_window(Dim::Gender, "female", day(2025, 3, 1)), None);
    }

    fn d(y: i32, m: u8, day: u8) -> Date {
        ymd(y, m, day).expect("a date")
    }

    #[test]
    fn the_kept_days_lie_after_every_month_in_date_order() {
        let days = [d(1930, 1, 1), d(2025, 11, 9), d(2025, 11, 10), d(2026, 2, 1)];
        for on in days {
            assert!(month_of(on).as_str() > BEFORE_ALL_MONTHS && month_of(on).as_str() <= LAST_MONTH);
            assert!(change_day(on).as_str() > LAST_MONTH, "{on}");
            assert!(is_change_day(&change_day(on)) && !is_change_day(&month_of(on)));
        }
        assert!(days.windows(2).all(|w| change_day(w[0]) < change_day(w[1])));
        assert_eq!(change_day(d(2025, 11, 10)), "d2025-11-10");
        assert_eq!(change_periods(d(2025, 11, 10), true).collect::<Vec<_>>(), ["2025-11", "d2025-11-10"]);
        assert_eq!(change_periods(d(2025, 11, 10), false).collect::<Vec<_>>(), ["2025-11"]);
        assert!(keeps_changes_by_day(OrgKind::Central, 0) && !keeps_changes_by_day(OrgKind::Central, 1));
        assert!(!keeps_changes_by_day(OrgKind::Provincial, 0) && !keeps_changes_by_day(OrgKind::Commune, 0));
        for dim in Dim::ALL {
            assert_eq!(kept_in_days(dim.key()), dim.bands().is_none(), "{dim:?}");
        }
    }

    #[test]
    fn a_day_is_reached_from_the_nearer_edge_of_its_month() {
        let start = |y, m, day| MonthEdge::Start { after: d(y, m, day) };
        let end = |y, m, day| MonthEdge::End { until: d(y, m, day) };
        // The day, its month's last day, the nearer edge.
        for (on, last, edge) in [
            (d(2025, 4, 1), d(2025, 4, 30), start(2025, 3, 31)),
            (d(2025, 4, 5), d(2025, 4, 30), start(2025, 3, 31)),
            // 15 days either way: the end.
            (d(2025, 4, 15), d(2025, 4, 30), end(2025, 4, 30)),
            (d(2025, 4, 14), d(2025, 4, 30), start(2025, 3, 31)),
            (d(2025, 4, 30), d(2025, 4, 30), end(2025, 4, 30)),
            (d(2024, 2, 1), d(2024, 2, 29), start(2024, 1, 31)),
            (d(2024, 2, 14), d(2024, 2, 29), start(2024, 1, 31)),
            (d(2024, 2, 15), d(2024, 2, 29), end(2024, 2, 29)),
            (d(2025, 2, 28), d(2025, 2, 28), end(2025, 2, 28)),
            (d(2026, 1, 1), d(2026, 1, 31), start(2025, 12, 31)),
            (d(2025, 12, 19), d(2025, 12, 31), end(2025, 12, 31)),
        ] {
            assert_eq!(month_end(on), last, "{on}");
            assert_eq!(nearer_month_edge(on), edge, "{on}");
        }
        // Either way the days read are at most half the month's.
        let mut on = d(2024, 1, 1);
        while on <= d(2026, 12, 31) {
            let days = match nearer_month_edge(on) {
                MonthEdge::Start { after } => on - after,
                MonthEdge::End { until } => until - on,
            };
            assert!(days.whole_days() <= 15 && days.whole_days() >= 0, "{on}");
            on += Duration::days(1);
        }
    }

    #[test]
    fn dates_are_kept_by_month_and_by_day_and_other_values_as_stored() {
        let rows = |dim, v| kept_rows(dim, v);
        let owned = |v: &[(&'static str, &str)]| v.iter().map(|(k, x)| (*k, x.to_string())).collect::<Vec<_>>();
        assert_eq!(rows(Dim::Birth, Some("1996-12-04")), owned(&[("age", "1996-12"), ("age_day", "1996-12-04")]));
        assert_eq!(
            rows(Dim::Admission, Some("2016-01-31")),
            owned(&[("party_age", "2016-01"), ("party_age_day", "2016-01-31")])
        );
        assert_eq!(rows(Dim::Occupation, Some("Nông dân")), owned(&[("occupation", "Nông dân")]));
        assert_eq!(rows(Dim::Religion, Some("")), owned(&[("religion", "")]));
        assert_eq!(rows(Dim::Religion, None), owned(&[("religion", "")]));
        for dim in Dim::ALL {
            for (key, _) in rows(dim, Some("2000-02-29")) {
                assert_eq!(kept_dim(key), Some(dim));
            }
        }
        assert_eq!(kept_dim("nothing"), None);
    }

    /// Every date of a long range kept as [`kept_rows`] keeps it and summed as the store sums
    /// the kept rows (the months without a cut by month, compared as text with the cuts; the
    /// months with one by day) falls in the band its full years give, on days around
    /// 29 February and a year's end.
    #[test]
    fn months_and_days_band_every_date_as_its_full_years_do() {
        for on in [d(2026, 12, 5), d(2024, 2, 29), d(2025, 3, 1), d(2025, 12, 31)] {
            for dim in [Dim::Birth, Dim::Admission] {
                let bands = dim.bands().unwrap();
                let cuts = bands.cuts_on(on);
                let months = cut_months(dim, on);
                // As the store's CASE: the first cut the value is not after, else the day.
                let band_of = |value: &str| {
                    let latest = cuts.iter().find(|(cut, _)| value <= cut.to_string().as_str()).map_or(on, |(c, _)| *c);
                    bands.key_on(latest, on)
                };
                // The same for rows summed outside SQL: each date read once, by month or by day.
                let banding = KeptBanding::new(dim, on).unwrap();
                let mut date = d(1925, 1, 1);
                while date <= on {
                    let rows = kept_rows(dim, Some(&date.to_string()));
                    let (month, day) = (&rows[0].1, &rows[1].1);
                    let summed = if months.contains(month) { band_of(day) } else { band_of(month) };
                    assert_eq!(summed, bands.key_on(date, on), "{dim:?} {date} on {on}");
                    let read = [banding.band(month, false), banding.band(day, true)];
                    let [latest] = read.iter().flatten().collect::<Vec<_>>()[..] else { panic!("{read:?}") };
                    assert_eq!(
                        bands.key_on(parse_iso(latest).unwrap(), on),
                        summed,
                        "{dim:?} {date} on {on}, outside SQL"
                    );
                    // A kept day's dates, by day alone.
                    assert!(!kept_in_days(rows[0].0) && kept_in_days(rows[1].0));
                    let by_day = banding.band_date(day);
                    assert_eq!(bands.key_on(parse_iso(&by_day).unwrap(), on), summed, "{dim:?} {date} on {on}, by day");
                    date = date.next_day().unwrap();
                }
            }
        }
    }

    #[test]
    fn groups_net_out_per_dimension_and_value() {
        let g = |dim, value: Option<&str>, count| Group { dim, value: value.map(str::to_string), count };
        let kept =
            vec![g(Dim::Gender, Some("female"), 10), g(Dim::Gender, Some("male"), 5), g(Dim::Religion, None, 15)];
        let plus = vec![g(Dim::Gender, Some("male"), 2), g(Dim::Birth, Some("1990-01-01"), 1)];
        let minus =
            vec![g(Dim::Gender, Some("female"), 10), g(Dim::Religion, None, 1), g(Dim::Ethnicity, Some("1"), 1)];
        assert_eq!(
            net_groups(kept, plus, minus),
            vec![g(Dim::Gender, Some("male"), 7), g(Dim::Birth, Some("1990-01-01"), 1), g(Dim::Religion, None, 14)]
        );
    }

    #[test]
    fn places_summed_by_month_hold_on_exactly_the_month_ends_they_span() {
        let d = |y, m, day| ymd(y, m, day).unwrap();
        let places = [
            (None, None),
            (None, Some(d(2025, 7, 1))),
            (Some(d(2025, 7, 1)), None),
            (Some(d(2024, 3, 15)), Some(d(2025, 6, 30))),
            (Some(d(2024, 3, 31)), Some(d(2024, 4, 1))),
            (Some(d(2024, 5, 2)), Some(d(2024, 5, 30))),
            (Some(d(2024, 1, 1)), Some(d(2024, 2, 1))),
        ];
        let mut on = d(2023, 12, 31);
        while on <= d(2026, 12, 31) {
            for (from, to) in places {
                let held = from.is_none_or(|f| f <= on) && to.is_none_or(|t| t > on);
                let sum: i64 = place_by_month(from, to).filter(|(m, _)| *m <= month_of(on)).map(|(_, n)| n).sum();
                assert_eq!(sum, i64::from(held), "{from:?}–{to:?} on {on}");
            }
            on = add_months(on.next_day().unwrap(), 1).previous_day().unwrap();
        }
        assert!(BEFORE_ALL_MONTHS < month_of(d(1, 1, 1)).as_str());
    }
}
