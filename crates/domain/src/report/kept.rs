//! The structure of a subtree kept in step with the records (*số liệu cơ cấu lưu sẵn*): per
//! organisation, dimension and value, how many members of its subtree are on the rolls.
//!
//! Ages and party ages change with the calendar, so the kept counts of the two date dimensions
//! hold each member's **band on the kept day** (`@31_40`), not the date. A report on another
//! day reads, besides the kept counts, only the members whose birth or admission date lies in
//! the [`crossing_windows`] between the two days, and moves those whose band differs
//! ([`rebanded`]). The store moves the kept day forward now and then, so the windows stay a
//! few days wide.

use super::bands::{AGE_BANDS, BANDED, Bands, PARTY_AGE_BANDS};
use super::structure::{Dim, Group};
use crate::date::{add_months, parse_iso};
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

/// The value under which a member's stored value of `dim` is kept on `day`: a date dimension
/// as its band that day (`@<key>`), any other as stored; empty text is no value.
pub fn kept_value(dim: Dim, stored: Option<&str>, day: Date) -> Option<String> {
    let stored = stored.filter(|s| !s.is_empty())?;
    match dim.bands() {
        Some(bands) => parse_iso(stored).map(|d| format!("{BANDED}{}", bands.key_on(d, day))),
        None => Some(stored.to_string()),
    }
}

/// The date ranges (inclusive) holding every date whose band of `dim` may differ between the
/// days `a` and `b`: for each band boundary of F years, the dates whose F-th anniversary falls
/// between the two days, a day wider on each side (29 February). Empty for a dimension
/// without bands or when the days are equal.
pub fn crossing_windows(dim: Dim, a: Date, b: Date) -> Vec<(Date, Date)> {
    let Some(bands) = dim.bands() else { return Vec::new() };
    if a == b {
        return Vec::new();
    }
    let (lo, hi) = (a.min(b), a.max(b));
    let day = Duration::days(1);
    bands
        .bands
        .iter()
        .filter(|band| band.from > 0)
        .map(|band| {
            let back = -12 * band.from;
            (add_months(lo, back).saturating_sub(day), add_months(hi, back).saturating_add(day))
        })
        .collect()
}

/// The kept values a date of a banded dimension moves between from the day `day` to `on`
/// (`@31_40` → `@41_50`); `None` when its band is the same on both days.
pub fn band_move(dim: Dim, date: Date, day: Date, on: Date) -> Option<(String, String)> {
    let bands = dim.bands()?;
    let (was, is) = (bands.key_on(date, day), bands.key_on(date, on));
    (was != is).then(|| (format!("{BANDED}{was}"), format!("{BANDED}{is}")))
}

/// The kept groups of `day` as they stand on `on`: each `(dimension, date)` of `dated` (the
/// members read from the [`crossing_windows`]) whose band on `on` differs from its band on
/// `day` moves from the one to the other. Groups that come to nothing are left out.
pub fn rebanded(groups: Vec<Group>, dated: &[(Dim, Date)], day: Date, on: Date) -> Vec<Group> {
    let mut counts: HashMap<(Dim, Option<String>), i64> = HashMap::with_capacity(groups.len());
    for g in groups {
        *counts.entry((g.dim, g.value)).or_default() += g.count as i64;
    }
    for &(dim, date) in dated {
        if let Some((was, is)) = band_move(dim, date, day, on) {
            *counts.entry((dim, Some(was))).or_default() -= 1;
            *counts.entry((dim, Some(is))).or_default() += 1;
        }
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

    /// Every date of a long range, grouped as stored (ISO dates) and as kept on `day` then
    /// brought to `on`, gives the same report on `on`.
    fn same_report(day: Date, on: Date) {
        let births: Vec<Date> = (0..40_000).map(|i| d(1920, 1, 1) + Duration::days(i)).collect();
        let stored: Vec<Group> = births
            .iter()
            .map(|b| Group { dim: Dim::Birth, value: Some(b.to_string()), count: 1 })
            .chain(births.iter().map(|b| Group { dim: Dim::Admission, value: Some(b.to_string()), count: 1 }))
            .collect();
        let mut kept: HashMap<(Dim, Option<String>), u64> = HashMap::new();
        for g in &stored {
            *kept.entry((g.dim, kept_value(g.dim, g.value.as_deref(), day))).or_default() += 1;
        }
        let kept: Vec<Group> = kept.into_iter().map(|((dim, value), count)| Group { dim, value, count }).collect();
        let mut dated = Vec::new();
        for dim in [Dim::Birth, Dim::Admission] {
            let windows = crossing_windows(dim, day, on);
            dated.extend(
                births.iter().filter(|b| windows.iter().any(|(lo, hi)| lo <= *b && *b <= hi)).map(|b| (dim, *b)),
            );
        }
        let moved = rebanded(kept, &dated, day, on);
        assert_eq!(Structure::build(on, &moved, Lang::Vi), Structure::build(on, &stored, Lang::Vi), "{day} → {on}");
    }

    #[test]
    fn kept_bands_brought_to_another_day_equal_the_bands_of_the_dates() {
        same_report(d(2026, 12, 4), d(2026, 12, 4));
        same_report(d(2026, 12, 4), d(2026, 12, 5));
        same_report(d(2026, 12, 5), d(2026, 12, 4));
        // Across 29 February and across years, both ways.
        same_report(d(2024, 2, 28), d(2024, 3, 1));
        same_report(d(2023, 2, 28), d(2024, 2, 29));
        same_report(d(2026, 12, 4), d(2028, 6, 30));
        same_report(d(2028, 6, 30), d(2025, 1, 1));
    }

    #[test]
    fn dates_are_kept_as_bands_and_other_values_as_stored() {
        let day = d(2026, 12, 4);
        assert_eq!(kept_value(Dim::Birth, Some("1996-12-04"), day).as_deref(), Some("@to30"));
        assert_eq!(kept_value(Dim::Birth, Some("1995-12-04"), day).as_deref(), Some("@31_40"));
        assert_eq!(kept_value(Dim::Admission, Some("2016-12-05"), day).as_deref(), Some("@under10"));
        assert_eq!(kept_value(Dim::Occupation, Some("Nông dân"), day).as_deref(), Some("Nông dân"));
        assert_eq!(kept_value(Dim::Religion, Some(""), day), None);
        assert!(crossing_windows(Dim::Gender, day, d(2027, 1, 1)).is_empty());
        assert!(crossing_windows(Dim::Birth, day, day).is_empty());
        // A day's windows: one per boundary (31, 41, 51, 61, 71 years), three days wide.
        let w = crossing_windows(Dim::Birth, day, d(2026, 12, 5));
        assert_eq!(w.len(), 5);
        assert_eq!(w[0], (d(1995, 12, 3), d(1995, 12, 6)));
    }
}
