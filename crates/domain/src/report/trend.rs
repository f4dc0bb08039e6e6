//! Trends over years (*xu hướng qua các năm*): for each year, the members on the rolls at its
//! end (today for the year in progress), the admissions and the exits during it.
//!
//! Admissions are first admissions and re-admissions; exits are the endings of membership —
//! deaths, leaving, striking off, expulsion. Transfers move members between organisations and
//! are neither (the report's changes show them).

use super::changes::Change;
use crate::meeting::Period;
use serde::Serialize;
use time::{Date, Month};

/// The changes counted as admissions.
pub const ADMISSIONS: [Change; 2] = [Change::Admitted, Change::Readmitted];
/// The changes counted as exits.
pub const EXITS: [Change; 4] = [Change::Died, Change::Left, Change::StruckOff, Change::Expelled];

/// One year of the trend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct YearPoint {
    pub year: i32,
    /// On the rolls on the last day of the year (today, for the year in progress).
    pub members: u64,
    pub admissions: u64,
    pub exits: u64,
}

/// The day a year's membership is counted on: 31 December, or `today` in the year in progress.
pub fn year_end(year: i32, today: Date) -> Option<Date> {
    let end = Date::from_calendar_date(year, Month::December, 31).ok()?;
    Some(end.min(today))
}

/// The whole year as a period (1 January to 31 December).
pub fn year_period(year: i32) -> Option<Period> {
    Some(Period {
        from: Date::from_calendar_date(year, Month::January, 1).ok()?,
        to: Date::from_calendar_date(year + 1, Month::January, 1).ok()?,
    })
}

/// The points of `years`, given the members at each year's end (same order) and the count of
/// a line of the changes ([`super::changes::LINES`]) over a period.
pub fn year_points(years: &[i32], members: &[u64], n: impl Fn(Period, &str) -> u64) -> Vec<YearPoint> {
    years
        .iter()
        .zip(members)
        .filter_map(|(&year, &members)| {
            let period = year_period(year)?;
            let sum = |kinds: &[Change]| kinds.iter().map(|k| n(period, k.key())).sum();
            Some(YearPoint { year, members, admissions: sum(&ADMISSIONS), exits: sum(&EXITS) })
        })
        .collect()
}
