//! The structure of a subtree kept in step with the records (*số liệu cơ cấu lưu sẵn*): per
//! organisation, dimension and value, how many members of its subtree are on the rolls.
//!
//! Ages and party ages change with the calendar, so the kept counts of the two date dimensions
//! hold each member's **date** (a row per birth date and per admission date): the bands of any
//! report day are drawn from the kept rows (the store sums them by the bands' cuts of that
//! day), and nothing kept ever needs re-banding. A past date's structure is today's kept
//! structure netted with the members who changed since ([`net_groups`]).

use super::bands::{AGE_BANDS, Bands, PARTY_AGE_BANDS};
use super::structure::{Dim, Group};
use crate::date::add_months;
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

/// The value under which a member's stored value is kept: as stored (a date dimension as its
/// ISO date, so that any day's bands can be drawn from the kept rows); empty text is no value.
pub fn kept_value(stored: Option<&str>) -> Option<String> {
    stored.filter(|s| !s.is_empty()).map(str::to_string)
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
    use crate::Lang;
    use crate::date::ymd;
    use crate::report::Structure;

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
    fn values_are_kept_as_stored_and_dates_banded_on_any_day() {
        assert_eq!(kept_value(Some("1996-12-04")).as_deref(), Some("1996-12-04"));
        assert_eq!(kept_value(Some("Nông dân")).as_deref(), Some("Nông dân"));
        assert_eq!(kept_value(Some("")), None);
        assert_eq!(kept_value(None), None);
        // The same kept date falls in the band of each report day.
        let g = |value: &str| Group { dim: Dim::Birth, value: Some(value.into()), count: 1 };
        let young = |on| Structure::build(on, &[g("1996-12-04")], Lang::Vi);
        let band = |s: Structure| {
            s.sections.iter().find(|x| x.key == "age").unwrap().rows.iter().find(|r| r.count == 1).unwrap().key.clone()
        };
        assert_eq!(band(young(d(2026, 12, 4))), "to30");
        assert_eq!(band(young(d(2027, 12, 4))), "31_40");
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
}
