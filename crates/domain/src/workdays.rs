//! Working days (*ngày làm việc*), for the time limits of Party procedures ("within 60 working
//! days of the cell's resolution").
//!
//! A working day is Monday to Friday, not a public holiday. The holidays are those of the
//! Labour Code in force ([`rules::PUBLIC_HOLIDAYS`]):
//! - the fixed solar holidays 1/1, 30/4, 1/5 and 2/9;
//! - from 2021, a second National Day holiday, 1/9 or 3/9, which the Prime Minister picks each
//!   year. It is not in any table here: [`national_day_second`] picks the day next to 2/9 that
//!   bridges to a weekend (Monday or Friday), else 1/9 when that is a weekday, else 3/9. That
//!   agrees with every year announced so far (2021: 3/9, 2022: 1/9, 2023: 1/9, 2024: 3/9,
//!   2025: 1/9); a future year may be announced differently;
//! - a compensatory day (*nghỉ bù*) on the next working day for each of those that falls on a
//!   Saturday or Sunday.
//!
//! **Not computed** (a known limitation): the lunar holidays, Tết Nguyên đán (5 days) and Giỗ Tổ
//! Hùng Vương (10/3 lunar), which need a lunar calendar, and the yearly swaps of working days
//! (*hoán đổi ngày làm việc*). A limit that runs over Tết therefore ends about a week earlier
//! than the real one: these dates are reminders, and a deadline close to Tết should be checked
//! by hand. Before 1 May 2013 (no sourced rule here) only weekends are skipped.

use crate::date::ymd;
use crate::rules::{self, PUBLIC_HOLIDAYS, Versioned, WorkingDayLimit};
use time::{Date, Weekday};

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// The second National Day holiday of `year` (see the module documentation).
pub fn national_day_second(year: i32) -> Option<Date> {
    let (before, after) = (ymd(year, 9, 1)?, ymd(year, 9, 3)?);
    let bridges = |d: Date| matches!(d.weekday(), Weekday::Monday | Weekday::Friday);
    Some(if bridges(before) {
        before
    } else if bridges(after) || is_weekend(before) {
        after
    } else {
        before
    })
}

/// The solar public holidays of `year` with their compensatory days, sorted, under the rule in
/// force at the end of the year (the list has only ever changed at the start of a year).
pub fn holidays(year: i32) -> Vec<Date> {
    let Some(rule) = ymd(year, 12, 31).and_then(|end| rules::in_force(PUBLIC_HOLIDAYS, end)) else {
        return Vec::new();
    };
    let mut days: Vec<Date> = rule.value.fixed.iter().filter_map(|&(m, d)| ymd(year, m, d)).collect();
    if rule.value.national_day_second {
        days.extend(national_day_second(year));
    }
    days.sort();
    if rule.value.compensatory {
        let mut extra: Vec<Date> = Vec::new();
        for &h in days.iter().filter(|h| is_weekend(**h)) {
            let mut c = h;
            while let Some(next) = c.next_day() {
                c = next;
                if !is_weekend(c) && !days.contains(&c) && !extra.contains(&c) {
                    extra.push(c);
                    break;
                }
            }
        }
        days.extend(extra);
        days.sort();
    }
    days
}

/// Holidays of one year at a time, so that walking across many days stays cheap.
struct Calendar {
    year: i32,
    holidays: Vec<Date>,
}

impl Calendar {
    fn new() -> Calendar {
        Calendar { year: i32::MIN, holidays: Vec::new() }
    }

    fn is_working_day(&mut self, d: Date) -> bool {
        if d.year() != self.year {
            self.year = d.year();
            self.holidays = holidays(self.year);
        }
        !is_weekend(d) && !self.holidays.contains(&d)
    }
}

/// Monday to Friday and not a solar public holiday or compensatory day.
pub fn is_working_day(d: Date) -> bool {
    Calendar::new().is_working_day(d)
}

/// The `n`-th working day after `start` (`start` itself when `n` is 0): the last day of a limit
/// of `n` working days counted from `start`.
pub fn add_working_days(start: Date, n: u32) -> Date {
    let mut cal = Calendar::new();
    let (mut d, mut left) = (start, n);
    while left > 0 {
        let Some(next) = d.next_day() else { return d };
        d = next;
        if cal.is_working_day(d) {
            left -= 1;
        }
    }
    d
}

/// The working days after `a` up to and including `b`; negative when `b` is before `a`.
/// `working_days_between(a, add_working_days(a, n)) == n`.
pub fn working_days_between(a: Date, b: Date) -> i64 {
    if b < a {
        return -working_days_between(b, a);
    }
    let mut cal = Calendar::new();
    let (mut d, mut count) = (a, 0);
    while d < b {
        let Some(next) = d.next_day() else { break };
        d = next;
        if cal.is_working_day(d) {
            count += 1;
        }
    }
    count
}

/// The last day of a limit in working days counted from `from`, under the version of `limits`
/// in force on `from`; `None` when no sourced version covers that date.
pub fn deadline(limits: &'static [Versioned<WorkingDayLimit>], from: Date) -> Option<Date> {
    rules::in_force(limits, from).map(|r| add_working_days(from, r.value.working_days))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn holiday_rules_are_sorted_and_sourced() {
        assert!(PUBLIC_HOLIDAYS.windows(2).all(|w| w[0].effective < w[1].effective));
        assert!(PUBLIC_HOLIDAYS.iter().all(|r| r.source.contains("Bộ luật Lao động")));
    }

    #[test]
    fn second_national_day_agrees_with_the_announced_years() {
        for (year, day) in [(2021, 3), (2022, 1), (2023, 1), (2024, 3), (2025, 1)] {
            assert_eq!(national_day_second(year), ymd(year, 9, day), "{year}");
        }
    }

    #[test]
    fn holidays_with_compensatory_days() {
        // 2022: 30/4 Saturday and 1/5 Sunday, compensated on Monday 2/5 and Tuesday 3/5;
        // 1/9 Thursday and 2/9 Friday.
        assert_eq!(
            holidays(2022),
            vec![
                date!(2022 - 01 - 01),
                date!(2022 - 01 - 03),
                date!(2022 - 04 - 30),
                date!(2022 - 05 - 01),
                date!(2022 - 05 - 02),
                date!(2022 - 05 - 03),
                date!(2022 - 09 - 01),
                date!(2022 - 09 - 02),
            ]
        );
        // 2023: 2/9 Saturday, 1/9 Friday, compensated on Monday 4/9.
        let h = holidays(2023);
        assert!(h.contains(&date!(2023 - 09 - 01)) && h.contains(&date!(2023 - 09 - 04)));
        // 2019, before the second National Day holiday: 2/9 only.
        assert!(!holidays(2019).contains(&date!(2019 - 09 - 03)));
        assert!(!holidays(2019).contains(&date!(2019 - 09 - 01)));
        // No sourced rule: weekends only.
        assert!(holidays(2012).is_empty());
    }

    #[test]
    fn adds_working_days_over_weekends_and_holidays() {
        // Friday + 1 = Monday.
        assert_eq!(add_working_days(date!(2024 - 03 - 15), 1), date!(2024 - 03 - 18));
        assert_eq!(add_working_days(date!(2024 - 03 - 15), 0), date!(2024 - 03 - 15));
        // Saturday + 0 stays; Saturday + 1 = Monday.
        assert_eq!(add_working_days(date!(2024 - 03 - 16), 1), date!(2024 - 03 - 18));
        // Over 30/4–1/5/2024 (Tuesday, Wednesday): Monday 29/4 + 1 = Thursday 2/5.
        assert_eq!(add_working_days(date!(2024 - 04 - 29), 1), date!(2024 - 05 - 02));
        // Over National Day 2025 (1/9 Monday, 2/9 Tuesday).
        assert_eq!(add_working_days(date!(2025 - 08 - 29), 1), date!(2025 - 09 - 03));
        // 60 working days from Monday 14/7/2025: 12 weeks (Monday 6/10) plus 1/9 and 2/9.
        assert_eq!(add_working_days(date!(2025 - 07 - 14), 60), date!(2025 - 10 - 08));
    }

    #[test]
    fn counts_are_the_inverse_of_adding() {
        let start = date!(2020 - 12 - 20);
        for n in [0, 1, 5, 30, 60, 90, 400] {
            let end = add_working_days(start, n);
            assert_eq!(working_days_between(start, end), i64::from(n));
            assert_eq!(working_days_between(end, start), -i64::from(n));
            assert!(n == 0 || is_working_day(end));
        }
        assert_eq!(working_days_between(date!(2024 - 03 - 15), date!(2024 - 03 - 17)), 0);
    }
}
