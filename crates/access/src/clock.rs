//! The working date (*ngày làm việc*): the one clock the application reads.
//!
//! Every rule about "today" (a meeting held in the past, a deadline passed, the months that have
//! ended and are owed by every cell, a date "not in the future") asks [`Chibo::today`]
//! (`crate::Chibo::today`), which asks the clock the application was given. The store never
//! reads a clock: it is given the date it needs. Tests pin the date; a demo database runs on
//! its own day unless asked to run on the real one.
//!
//! The clock decides dates only. When a row was written (`recorded_at`, the audit log's time,
//! session expiry) is the machine's real time.

use time::{Date, OffsetDateTime, UtcOffset};

/// Where the working date comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// Today in Vietnam (UTC+7), from the system clock.
    #[default]
    System,
    /// A fixed day: tests, and a demo database on its own day.
    Pinned(Date),
}

impl Clock {
    /// The working date.
    pub fn today(self) -> Date {
        match self {
            Clock::System => {
                let vietnam = UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC);
                OffsetDateTime::now_utc().to_offset(vietnam).date()
            }
            Clock::Pinned(day) => day,
        }
    }

    /// The pinned day, if the clock is pinned.
    pub fn pinned(self) -> Option<Date> {
        match self {
            Clock::System => None,
            Clock::Pinned(day) => Some(day),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_pinned_clock_answers_its_day() {
        assert_eq!(Clock::Pinned(date!(2026 - 11 - 22)).today(), date!(2026 - 11 - 22));
        assert_eq!(Clock::Pinned(date!(2026 - 11 - 22)).pinned(), Some(date!(2026 - 11 - 22)));
        assert_eq!(Clock::System.pinned(), None);
    }

    #[test]
    fn the_system_clock_is_vietnam_today() {
        let vietnam = UtcOffset::from_hms(7, 0, 0).expect("offset");
        let before = OffsetDateTime::now_utc().to_offset(vietnam).date();
        let today = Clock::System.today();
        let after = OffsetDateTime::now_utc().to_offset(vietnam).date();
        assert!(before <= today && today <= after);
    }
}
