//! Reporting periods (*kỳ báo cáo*): a month, a quarter, a year or custom dates, and the
//! calendar months and quarters they hold in full.

use crate::date::ymd;
use serde::Serialize;
use time::Date;

/// The days `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

/// The first day of month `m` of `y`, months past 12 rolling into the next years.
pub fn month_start(y: i32, m: u32) -> Option<Date> {
    ymd(y + ((m - 1) / 12) as i32, ((m - 1) % 12 + 1) as u8, 1)
}

impl Period {
    /// Months `first..first + count` of year `y` (`first` from 1).
    fn months_from(y: i32, first: u32, count: u32) -> Option<Period> {
        Some(Period { from: month_start(y, first)?, to: month_start(y, first + count)? })
    }

    pub fn month(y: i32, m: u8) -> Option<Period> {
        (1..=12).contains(&m).then(|| Period::months_from(y, u32::from(m), 1))?
    }

    /// Quarter `q` (1–4).
    pub fn quarter(y: i32, q: u8) -> Option<Period> {
        (1..=4).contains(&q).then(|| Period::months_from(y, u32::from(q) * 3 - 2, 3))?
    }

    pub fn year(y: i32) -> Option<Period> {
        Period::months_from(y, 1, 12)
    }

    /// From `first` to `last`, both included; `None` when `last` is before `first`.
    pub fn custom(first: Date, last: Date) -> Option<Period> {
        (first <= last).then(|| Some(Period { from: first, to: last.next_day()? }))?
    }

    pub fn contains(&self, d: Date) -> bool {
        self.from <= d && d < self.to
    }

    /// Whether `self` lies wholly inside `[from, to)` (`None`: unbounded).
    pub fn within(&self, from: Option<Date>, to: Option<Date>) -> bool {
        from.is_none_or(|f| f <= self.from) && to.is_none_or(|t| self.to <= t)
    }

    /// Runs of `len` calendar months starting at months `≡ 1 (mod len)` held in full:
    /// `(year, index from 1, period)`.
    fn whole(&self, len: u32) -> Vec<(i32, u8, Period)> {
        let mut out = Vec::new();
        for y in self.from.year()..=self.to.year() {
            for i in 0..12 / len {
                if let Some(p) =
                    Period::months_from(y, i * len + 1, len).filter(|p| p.within(Some(self.from), Some(self.to)))
                {
                    out.push((y, (i + 1) as u8, p));
                }
            }
        }
        out
    }

    /// The calendar months held in full: `(year, month, period)`.
    pub fn months(&self) -> Vec<(i32, u8, Period)> {
        self.whole(1)
    }

    /// The calendar quarters held in full: `(year, quarter, period)`.
    pub fn quarters(&self) -> Vec<(i32, u8, Period)> {
        self.whole(3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn periods_and_their_whole_months() {
        let q = Period::quarter(2025, 4).unwrap();
        assert_eq!((q.from, q.to), (date!(2025 - 10 - 01), date!(2026 - 01 - 01)));
        assert_eq!(q.months().len(), 3);
        assert_eq!(q.quarters().iter().map(|(y, i, _)| (*y, *i)).collect::<Vec<_>>(), [(2025, 4)]);
        assert_eq!(Period::year(2025).unwrap().quarters().len(), 4);
        assert_eq!(Period::month(2025, 2).unwrap().quarters().len(), 0);
        assert_eq!(Period::month(2025, 13), None);
        // 15/01–31/03: January is not held in full.
        let c = Period::custom(date!(2025 - 01 - 15), date!(2025 - 03 - 31)).unwrap();
        assert_eq!(c.months().iter().map(|(_, m, _)| *m).collect::<Vec<_>>(), [2, 3]);
        assert!(c.quarters().is_empty());
        assert!(Period::custom(date!(2025 - 02 - 01), date!(2025 - 01 - 31)).is_none());
        let cross = Period::custom(date!(2024 - 12 - 01), date!(2025 - 01 - 31)).unwrap();
        assert_eq!(cross.months().iter().map(|(y, m, _)| (*y, *m)).collect::<Vec<_>>(), [(2024, 12), (2025, 1)]);
    }
}
