//! Dates as people write them: dd/mm/yyyy in the interface, ISO 8601 in the API.

use time::{Date, Month};

/// Format a date as `dd/mm/yyyy`.
pub fn format_vn(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), u8::from(d.month()), d.year())
}

/// Parse a date as people type it: `dd/mm/yyyy`, `d/m/yyyy`, with `/`, `-`, `.` or spaces
/// between the parts (a phone's digit keypad often has no `/`), eight digits `ddmmyyyy`, or
/// ISO `yyyy-mm-dd` (what a browser's date picker sends). The one rule for typed dates.
pub fn parse_flexible(s: &str) -> Option<Date> {
    parse_typed(s).ok()
}

/// What is wrong with a typed date, to tell the person exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// Not a day, a month and a year.
    Format,
    /// The month is not 1 to 12.
    Month(u32),
    /// The month has no such day (31/02, 29/02/2027).
    Day { day: u32, month: u8, year: i32 },
    /// A year before 1900 or after 2200.
    Year(i32),
}

impl DateError {
    /// The explanation, without the field's name: "tháng 2 không có ngày 31".
    pub fn message(self, lang: crate::Lang) -> String {
        match (self, lang) {
            (DateError::Format, crate::Lang::Vi) => "nhập ngày, tháng, năm, ví dụ 07/01/2027 hoặc 07012027".into(),
            (DateError::Format, crate::Lang::En) => "type the day, month and year, e.g. 07/01/2027 or 07012027".into(),
            (DateError::Month(m), crate::Lang::Vi) => format!("không có tháng {m}: tháng từ 1 đến 12"),
            (DateError::Month(m), crate::Lang::En) => format!("there is no month {m}: months are 1 to 12"),
            (DateError::Day { day, month, year }, crate::Lang::Vi) if month == 2 && day == 29 => {
                format!("năm {year} không nhuận, tháng 2 không có ngày 29")
            }
            (DateError::Day { day, month, .. }, crate::Lang::Vi) => format!("tháng {month} không có ngày {day}"),
            (DateError::Day { day, month, year }, crate::Lang::En) => {
                let name = Month::try_from(month).map_or_else(|_| month.to_string(), |m| m.to_string());
                if month == 2 && day == 29 {
                    format!("{year} is not a leap year: February has no day 29")
                } else {
                    format!("{name} has no day {day}")
                }
            }
            (DateError::Year(y), crate::Lang::Vi) => format!("năm {y} không hợp lệ"),
            (DateError::Year(y), crate::Lang::En) => format!("the year {y} is not valid"),
        }
    }
}

/// The years a date of the record may have (births from 1900; plans a little ahead): what a
/// typed date accepts, and what a period or a year asked for may reach. Within both engines'
/// ranges (PostgreSQL's `date` starts in 4713 BC, where `time` goes to -9999).
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// Whether `d` lies in [`YEARS`].
pub fn in_years(d: Date) -> bool {
    YEARS.contains(&d.year())
}

/// [`parse_flexible`], saying what is wrong when the text is not a date.
pub fn parse_typed(s: &str) -> Result<Date, DateError> {
    let s = s.trim();
    if !s.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(DateError::Format);
    }
    let (d, m, y) = if s.len() == 10 && s.is_ascii() && s.as_bytes()[4] == b'-' {
        (&s[8..10], &s[5..7], &s[0..4])
    } else if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        (&s[0..2], &s[2..4], &s[4..8])
    } else {
        let parts: Vec<&str> = s.split(['/', '-', '.', ' ']).filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            [d, m, y] if y.len() == 4 => (*d, *m, *y),
            _ => return Err(DateError::Format),
        }
    };
    let num =
        |p: &str| if p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()) { p.parse::<u32>().ok() } else { None };
    let (Some(d), Some(m), Some(y)) = (num(d), num(m), num(y)) else {
        return Err(DateError::Format);
    };
    let year = y as i32;
    if !YEARS.contains(&year) {
        return Err(DateError::Year(year));
    }
    let month = u8::try_from(m).ok().and_then(|m| Month::try_from(m).ok()).ok_or(DateError::Month(m))?;
    if d == 0 || d > u32::from(month.length(year)) {
        return Err(DateError::Day { day: d, month: month as u8, year });
    }
    u8::try_from(d).ok().and_then(|d| Date::from_calendar_date(year, month, d).ok()).ok_or(DateError::Format)
}

/// Parse an ISO `yyyy-mm-dd` date only (the API's form).
pub fn parse_iso(s: &str) -> Option<Date> {
    let s = s.trim();
    if s.len() != 10 || s.as_bytes()[4] != b'-' || s.as_bytes()[7] != b'-' {
        return None;
    }
    ymd(s[0..4].parse().ok()?, s[5..7].parse().ok()?, s[8..10].parse().ok()?).filter(|d| in_years(*d))
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

    /// A letter of more than one byte anywhere in a date-like text (a cell typed by hand) is a
    /// wrong format, never a cut through a character.
    #[test]
    fn text_with_letters_of_several_bytes_is_a_wrong_format() {
        for base in ["2027-01-07", "07/01/2027", "07012027"] {
            for letter in ["é", "ố", "𝟙"] {
                // In place of as many characters as it has bytes (the text keeps its length),
                // and added.
                for at in 1..=base.len() - letter.len() {
                    let same_length = format!("{}{letter}{}", &base[..at], &base[at + letter.len()..]);
                    let longer = format!("{}{letter}{}", &base[..at], &base[at..]);
                    for s in [same_length, longer] {
                        assert_eq!(parse_typed(&s), Err(DateError::Format), "{s}");
                    }
                }
            }
        }
    }

    /// A year outside the record's years is no date, typed or ISO (PostgreSQL stores no year
    /// before 4713 BC; `time` parses down to -9999).
    #[test]
    fn years_outside_the_record_are_refused() {
        for s in ["-999-01-01", "0000-01-01", "1899-12-31", "2201-01-01"] {
            assert_eq!(parse_iso(s), None, "{s}");
        }
        assert_eq!(parse_typed("31/12/1899"), Err(DateError::Year(1899)));
        assert_eq!(parse_iso("1900-01-01"), ymd(1900, 1, 1));
        assert_eq!(parse_iso("2200-12-31"), ymd(2200, 12, 31));
    }

    #[test]
    fn typed_dates_in_every_common_form() {
        let d = ymd(2027, 1, 7);
        for s in ["07/01/2027", "7/1/2027", "07-01-2027", "07012027", "7.1.2027", "07 01 2027", "2027-01-07"] {
            assert_eq!(parse_typed(s).ok(), d, "{s}");
        }
        assert_eq!(parse_typed("31/02/2027"), Err(DateError::Day { day: 31, month: 2, year: 2027 }));
        assert_eq!(parse_typed("31/02/2027").unwrap_err().message(crate::Lang::Vi), "tháng 2 không có ngày 31");
        assert_eq!(
            parse_typed("29/02/2027").unwrap_err().message(crate::Lang::Vi),
            "năm 2027 không nhuận, tháng 2 không có ngày 29"
        );
        assert_eq!(parse_typed("29/02/2028").ok(), ymd(2028, 2, 29));
        assert_eq!(parse_typed("31/04/2027").unwrap_err().message(crate::Lang::En), "April has no day 31");
        assert_eq!(parse_typed("07/13/2027"), Err(DateError::Month(13)));
        assert_eq!(parse_typed("0701202"), Err(DateError::Format));
        assert_eq!(parse_typed("07/01/27"), Err(DateError::Format));
        assert_eq!(parse_typed("07/01/1850"), Err(DateError::Year(1850)));
        assert_eq!(parse_typed("ab/cd/efgh"), Err(DateError::Format));
        assert_eq!(parse_typed("-1/01/2027"), Err(DateError::Format));
    }

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
