//! Coverage (*tỷ lệ tổ chức đảng cấp dưới được kiểm tra, giám sát*): the share of the
//! subordinate organisations that were the subject of an inspection or supervision decided in a
//! year or in the term, against the target of 100% in the term (RULES.md §8).

use super::rules::COVERAGE_TARGET;
use crate::meeting::Share;
use crate::rules::in_force;
use std::collections::HashSet;
use std::hash::Hash;
use time::{Date, Month};

/// Organisations covered over organisations owed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Coverage {
    pub covered: u64,
    pub owed: u64,
}

impl Coverage {
    /// The subordinates (`owed`, each once) covered by a case's subject in `subjects`.
    pub fn of<T: Eq + Hash + Copy>(owed: &[T], subjects: impl IntoIterator<Item = T>) -> Coverage {
        let owed_set: HashSet<T> = owed.iter().copied().collect();
        let covered: HashSet<T> = subjects.into_iter().filter(|s| owed_set.contains(s)).collect();
        Coverage { covered: covered.len() as u64, owed: owed_set.len() as u64 }
    }

    pub fn share(self) -> Share {
        Share::new(self.covered, self.owed)
    }

    /// The target (100% in the term) reached; nothing owed counts as reached.
    pub fn reached(self, on: Date) -> bool {
        let pct = in_force(COVERAGE_TARGET, on).map_or(100, |r| r.value.term_percent);
        self.owed == 0 || self.share().exceeds(pct, 100, false)
    }

    /// Percent with one decimal, for pages (`87.5`); `None` when nothing is owed.
    pub fn percent_text(self) -> Option<String> {
        let tenths = (self.covered * 1000).checked_div(self.owed)?;
        Some(if tenths % 10 == 0 { format!("{}", tenths / 10) } else { format!("{}.{}", tenths / 10, tenths % 10) })
    }
}

/// The congress term holding `on`: `[first, last]`, from the dated assumption of
/// [`super::rules::CoverageTarget`] (terms from 1 July 2020, 2025, 2030 …).
pub fn term_of(on: Date) -> (Date, Date) {
    let rule = in_force(COVERAGE_TARGET, on).or(COVERAGE_TARGET.first()).map(|r| r.value);
    let (m, months) = rule.map_or((0, 60), |r| (r.term_start_year_mod5, r.term_months));
    let years = months / 12;
    let july = |y| Date::from_calendar_date(y, Month::July, 1).unwrap_or(on);
    let mut start = on.year() - (on.year() - m).rem_euclid(years);
    if on < july(start) {
        start -= years;
    }
    let first = july(start);
    let last = july(start + years).previous_day().unwrap_or(first);
    (first, last)
}

/// The calendar year holding `on`.
pub fn year_of(on: Date) -> (Date, Date) {
    let y = on.year();
    let first = Date::from_calendar_date(y, Month::January, 1).unwrap_or(on);
    let last = Date::from_calendar_date(y, Month::December, 31).unwrap_or(on);
    (first, last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn coverage_counts_each_subordinate_once() {
        let owed = [1, 2, 3, 4, 5, 6, 7, 8];
        // Two cases on 1, one on 3, one on an organisation not owed (9).
        let c = Coverage::of(&owed, [1, 1, 3, 9, 5, 6, 7, 8, 2]);
        assert_eq!(c, Coverage { covered: 7, owed: 8 });
        assert_eq!(c.percent_text().as_deref(), Some("87.5"));
        assert!(!c.reached(date!(2026 - 01 - 01)));
        assert!(Coverage::of(&owed, owed).reached(date!(2026 - 01 - 01)));
        assert_eq!(Coverage::default().percent_text(), None);
        assert!(Coverage::default().reached(date!(2026 - 01 - 01)));
    }

    #[test]
    fn terms_and_years() {
        assert_eq!(term_of(date!(2026 - 12 - 04)), (date!(2025 - 07 - 01), date!(2030 - 06 - 30)));
        assert_eq!(term_of(date!(2025 - 06 - 30)), (date!(2020 - 07 - 01), date!(2025 - 06 - 30)));
        assert_eq!(term_of(date!(2025 - 07 - 01)).0, date!(2025 - 07 - 01));
        assert_eq!(year_of(date!(2026 - 12 - 04)), (date!(2026 - 01 - 01), date!(2026 - 12 - 31)));
    }
}
