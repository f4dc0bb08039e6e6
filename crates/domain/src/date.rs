//! Dates as people write them: dd/mm/yyyy in the interface, ISO 8601 in the API.

use time::{Date, Month};

/// Format a date as `dd/mm/yyyy`.
pub fn format_vn(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), u8::from(d.month()), d.year())
}

/// Parse `dd/mm/yyyy` (also `d/m/yyyy` and `-` or `.` separators) or ISO `yyyy-mm-dd`.
pub fn parse_flexible(s: &str) -> Option<Date> {
    let s = s.trim();
    if s.len() == 10 && s.as_bytes()[4] == b'-' {
        let y = s[0..4].parse().ok()?;
        let m = s[5..7].parse().ok()?;
        let d = s[8..10].parse().ok()?;
        return ymd(y, m, d);
    }
    let parts: Vec<&str> = s.split(['/', '-', '.']).collect();
    if parts.len() != 3 || parts[2].len() != 4 {
        return None;
    }
    ymd(parts[2].parse().ok()?, parts[1].parse().ok()?, parts[0].parse().ok()?)
}

/// Parse an ISO `yyyy-mm-dd` date only (the API's form).
pub fn parse_iso(s: &str) -> Option<Date> {
    let s = s.trim();
    if s.len() != 10 || s.as_bytes()[4] != b'-' || s.as_bytes()[7] != b'-' {
        return None;
    }
    ymd(s[0..4].parse().ok()?, s[5..7].parse().ok()?, s[8..10].parse().ok()?)
}

pub fn ymd(y: i32, m: u8, d: u8) -> Option<Date> {
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

/// Add whole months, clamping to the last day of a shorter month (29/02 + 12 months = 28/02).
pub fn add_months(d: Date, months: i32) -> Date {
    let total = d.year() * 12 + i32::from(u8::from(d.month())) - 1 + months;
    let (y, m) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u8);
    let month = Month::try_from(m).unwrap_or(Month::January);
    let last = month.length(y);
    Date::from_calendar_date(y, month, d.day().min(last)).unwrap_or(d)
}

/// Whole years between two dates (the usual age: birthday reached or not).
pub fn full_years(from: Date, to: Date) -> i32 {
    let mut y = to.year() - from.year();
    if (u8::from(to.month()), to.day()) < (u8::from(from.month()), from.day()) {
        y -= 1;
    }
    y
}

/// Whole months between the months of two dates, ignoring the day ("tính theo tháng").
pub fn months_by_calendar_month(from: Date, to: Date) -> i32 {
    (to.year() - from.year()) * 12 + i32::from(u8::from(to.month())) - i32::from(u8::from(from.month()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn formats_and_parses_vietnamese_dates() {
        assert_eq!(format_vn(date!(2024 - 03 - 05)), "05/03/2024");
        assert_eq!(parse_flexible("05/03/2024"), Some(date!(2024 - 03 - 05)));
        assert_eq!(parse_flexible("5/3/2024"), Some(date!(2024 - 03 - 05)));
        assert_eq!(parse_flexible("2024-03-05"), Some(date!(2024 - 03 - 05)));
        assert_eq!(parse_flexible("31/02/2024"), None);
        assert_eq!(parse_flexible("29/02/2023"), None);
        assert_eq!(parse_flexible("29/02/2024"), Some(date!(2024 - 02 - 29)));
        assert_eq!(parse_flexible("2024/03/05"), None);
        assert_eq!(parse_flexible(""), None);
        assert_eq!(parse_iso("05/03/2024"), None);
    }

    #[test]
    fn adds_months_with_clamping() {
        assert_eq!(add_months(date!(2024 - 03 - 15), 12), date!(2025 - 03 - 15));
        assert_eq!(add_months(date!(2024 - 02 - 29), 12), date!(2025 - 02 - 28));
        assert_eq!(add_months(date!(2024 - 01 - 31), 1), date!(2024 - 02 - 29));
        assert_eq!(add_months(date!(2024 - 12 - 31), -12), date!(2023 - 12 - 31));
    }

    #[test]
    fn full_years_around_birthdays() {
        assert_eq!(full_years(date!(2006 - 05 - 20), date!(2024 - 05 - 19)), 17);
        assert_eq!(full_years(date!(2006 - 05 - 20), date!(2024 - 05 - 20)), 18);
        // 29 Feb birthday: the full year is reached on 1 Mar in common years.
        assert_eq!(full_years(date!(2004 - 02 - 29), date!(2022 - 02 - 28)), 17);
        assert_eq!(full_years(date!(2004 - 02 - 29), date!(2022 - 03 - 01)), 18);
    }
}
