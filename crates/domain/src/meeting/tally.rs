//! The figures of one cell over one standard period (a month, a quarter, a year), kept by the
//! store per cell and summed per organisation, so the figures of any subtree for a standard
//! period are one row: [`CellTally`] for a cell, [`Rollup`] for a sum of cells. Both come from
//! the same computation as [`super::figures`], which the tests hold them equal to.

use super::compliance::{CellRecord, owed_units};
use super::kind::{MeetingKind, Rating};
use super::period::Period;
use super::share::Share;
use crate::life::{Interval, Link, ancestry};
use crate::rules::{REGULAR_MEETING, THEMATIC_MEETING};
use serde::Serialize;
use std::collections::HashMap;
use time::Date;
use uuid::Uuid;

/// A standard reporting period, with its stable code: `2025`, `2025-Q1`, `2025-01`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum PeriodKey {
    Year(i32),
    Quarter(i32, u8),
    Month(i32, u8),
}

impl PeriodKey {
    pub fn code(self) -> String {
        match self {
            PeriodKey::Year(y) => format!("{y:04}"),
            PeriodKey::Quarter(y, q) => format!("{y:04}-Q{q}"),
            PeriodKey::Month(y, m) => format!("{y:04}-{m:02}"),
        }
    }

    /// Parse a code; `None` for anything that is not a valid period.
    pub fn parse(s: &str) -> Option<PeriodKey> {
        let year = |t: &str| t.parse::<i32>().ok().filter(|y| (1930..=2200).contains(y) && t.len() == 4);
        let key = match s.split_once('-') {
            None => PeriodKey::Year(year(s)?),
            Some((y, q)) if q.starts_with('Q') => PeriodKey::Quarter(year(y)?, q[1..].parse().ok()?),
            Some((y, m)) if m.len() == 2 => PeriodKey::Month(year(y)?, m.parse().ok()?),
            _ => return None,
        };
        key.period().map(|_| key)
    }

    pub fn period(self) -> Option<Period> {
        match self {
            PeriodKey::Year(y) => Period::year(y),
            PeriodKey::Quarter(y, q) => Period::quarter(y, q),
            PeriodKey::Month(y, m) => Period::month(y, m),
        }
    }

    /// The month, quarter and year that hold `on`.
    pub fn holding(on: Date) -> [PeriodKey; 3] {
        let (y, m) = (on.year(), u8::from(on.month()));
        [PeriodKey::Month(y, m), PeriodKey::Quarter(y, (m - 1) / 3 + 1), PeriodKey::Year(y)]
    }

    /// The year the period lies in.
    pub fn year(self) -> i32 {
        match self {
            PeriodKey::Year(y) | PeriodKey::Quarter(y, _) | PeriodKey::Month(y, _) => y,
        }
    }

    /// Every standard period of year `y`: the year, its quarters, its months.
    pub fn of_year(y: i32) -> Vec<PeriodKey> {
        let mut out = vec![PeriodKey::Year(y)];
        out.extend((1..=4).map(|q| PeriodKey::Quarter(y, q)));
        out.extend((1..=12).map(|m| PeriodKey::Month(y, m)));
        out
    }
}

/// One cell's figures over one period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CellTally {
    /// Months owed a regular meeting, and how many of them had one.
    pub regular_owed: i64,
    pub regular_held: i64,
    /// Quarters owed a thematic meeting, and how many of them had one.
    pub thematic_owed: i64,
    pub thematic_held: i64,
    /// Cell meetings held in the period, with their pooled attendance and ratings.
    pub meetings: i64,
    pub present: i64,
    pub base: i64,
    pub ratings: [i64; 4],
    pub unrated: i64,
}

impl CellTally {
    /// The values in the order of the store's columns (`regular_owed` … `unrated`).
    pub fn fields(&self) -> [i64; 12] {
        let r = self.ratings;
        [
            self.regular_owed,
            self.regular_held,
            self.thematic_owed,
            self.thematic_held,
            self.meetings,
            self.present,
            self.base,
            r[0],
            r[1],
            r[2],
            r[3],
            self.unrated,
        ]
    }

    pub fn from_fields(f: [i64; 12]) -> CellTally {
        let [regular_owed, regular_held, thematic_owed, thematic_held, meetings, present, base, g, fa, a, p, unrated] =
            f;
        CellTally {
            regular_owed,
            regular_held,
            thematic_owed,
            thematic_held,
            meetings,
            present,
            base,
            ratings: [g, fa, a, p],
            unrated,
        }
    }

    /// Whether the cell has anything to report in the period (else it keeps no row).
    pub fn is_empty(&self) -> bool {
        *self == CellTally::default()
    }
}

/// The tally of `cell` over `period` as known on `through` (see
/// [`super::compliance::figures_through`]); meetings not held must be left out by the caller.
pub fn cell_tally(cell: &CellRecord, period: Period, through: Option<Date>) -> CellTally {
    let (regular_owed, regular_missing) =
        owed_units(cell, &period.months(), REGULAR_MEETING, MeetingKind::counts_as_regular, through);
    let (thematic_owed, thematic_missing) =
        owed_units(cell, &period.quarters(), THEMATIC_MEETING, MeetingKind::counts_as_thematic, through);
    let mut t = CellTally {
        regular_owed: regular_owed as i64,
        regular_held: (regular_owed - regular_missing.len()) as i64,
        thematic_owed: thematic_owed as i64,
        thematic_held: (thematic_owed - thematic_missing.len()) as i64,
        ..CellTally::default()
    };
    for m in cell.meetings.iter().filter(|m| m.kind.is_cell_meeting() && period.contains(m.on)) {
        t.meetings += 1;
        t.present += i64::from(m.counts.present);
        t.base += i64::from(m.counts.base());
        match m.rating {
            Some(r) => t.ratings[r as usize] += 1,
            None => t.unrated += 1,
        }
    }
    t
}

/// The figures of a set of cells over a period, as sums.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Rollup {
    /// Cells owing at least one regular meeting, and those that held every one.
    pub regular_cells: i64,
    pub regular_met: i64,
    pub thematic_cells: i64,
    pub thematic_met: i64,
    pub meetings: i64,
    pub present: i64,
    pub base: i64,
    pub ratings: [i64; 4],
    pub unrated: i64,
}

impl Rollup {
    pub fn of_cell(t: &CellTally) -> Rollup {
        let met = |owed: i64, held: i64| i64::from(owed > 0 && held == owed);
        Rollup {
            regular_cells: i64::from(t.regular_owed > 0),
            regular_met: met(t.regular_owed, t.regular_held),
            thematic_cells: i64::from(t.thematic_owed > 0),
            thematic_met: met(t.thematic_owed, t.thematic_held),
            meetings: t.meetings,
            present: t.present,
            base: t.base,
            ratings: t.ratings,
            unrated: t.unrated,
        }
    }

    /// `self + sign × o`.
    pub fn add(&mut self, o: &Rollup, sign: i64) {
        for (a, b) in self.fields_mut().into_iter().zip(o.fields()) {
            *a += sign * b;
        }
    }

    pub fn fields(&self) -> [i64; 12] {
        let r = self.ratings;
        [
            self.regular_cells,
            self.regular_met,
            self.thematic_cells,
            self.thematic_met,
            self.meetings,
            self.present,
            self.base,
            r[0],
            r[1],
            r[2],
            r[3],
            self.unrated,
        ]
    }

    fn fields_mut(&mut self) -> [&mut i64; 12] {
        let [g, f, a, p] = &mut self.ratings;
        [
            &mut self.regular_cells,
            &mut self.regular_met,
            &mut self.thematic_cells,
            &mut self.thematic_met,
            &mut self.meetings,
            &mut self.present,
            &mut self.base,
            g,
            f,
            a,
            p,
            &mut self.unrated,
        ]
    }

    pub fn from_fields(f: [i64; 12]) -> Rollup {
        let mut r = Rollup::default();
        for (a, b) in r.fields_mut().into_iter().zip(f) {
            *a = b;
        }
        r
    }

    pub fn is_zero(&self) -> bool {
        self.fields().iter().all(|v| *v == 0)
    }

    fn share(num: i64, den: i64) -> Share {
        Share::new(num.max(0) as u64, den.max(0) as u64)
    }

    pub fn regular(&self) -> Share {
        Rollup::share(self.regular_met, self.regular_cells)
    }

    /// Cells that owed the regular meeting (or, `thematic`, the thematic one) and did not hold
    /// every one owed.
    pub fn missed(&self, thematic: bool) -> i64 {
        if thematic { self.thematic_cells - self.thematic_met } else { self.regular_cells - self.regular_met }
    }

    pub fn thematic(&self) -> Share {
        Rollup::share(self.thematic_met, self.thematic_cells)
    }

    pub fn attendance(&self) -> Share {
        Rollup::share(self.present, self.base)
    }

    pub fn rating(&self, r: Rating) -> i64 {
        self.ratings[r as usize]
    }
}

/// A cell's active interval `[from, to)` from its links (`None`: unbounded).
pub fn active_interval(links: &[Link]) -> Interval {
    let from = if links.iter().any(|l| l.from.is_none()) { None } else { links.iter().filter_map(|l| l.from).min() };
    let to = if links.iter().any(|l| l.to.is_none()) { None } else { links.iter().filter_map(|l| l.to).max() };
    (from, to)
}

/// The day a cell's tally for `period` is attributed on: the last day of the period on which
/// the cell existed; `None` when it did not exist in the period. The figures of a period
/// follow the tree of that day, so a cell dissolved in May counts under its parent of May.
pub fn attributed_on(period: Period, (from, to): Interval) -> Option<Date> {
    let end = to.map_or(period.to, |t| t.min(period.to));
    let start = from.map_or(period.from, |f| f.max(period.from));
    (start < end).then(|| end.previous_day()).flatten()
}

/// The organisations a cell's tally on `on` is added to: the cell and its ancestors that day.
pub fn attributed_to(cell: Uuid, on: Date, links: &HashMap<Uuid, Vec<Link>>) -> Vec<Uuid> {
    let covers = |(f, t): Interval| f.is_none_or(|f| f <= on) && t.is_none_or(|t| on < t);
    let mut out = vec![cell];
    for (org, iv) in ancestry(cell, links) {
        if covers(iv) && !out.contains(&org) {
            out.push(org);
        }
    }
    out
}

/// The rollup of `cells` over `period`, from the full figures: what the kept rows must sum to.
pub fn recompute(cells: &[CellRecord], period: Period, through: Option<Date>) -> Rollup {
    let f = super::compliance::figures_through(cells, period, through);
    let n = |v: &Vec<_>| v.len() as i64;
    let mut ratings = [0; 4];
    for (r, ids) in &f.ratings {
        ratings[*r as usize] = n(ids);
    }
    Rollup {
        regular_cells: n(&f.regular.met) + n(&f.regular.behind),
        regular_met: n(&f.regular.met),
        thematic_cells: n(&f.thematic.met) + n(&f.thematic.behind),
        thematic_met: n(&f.thematic.met),
        meetings: n(&f.meetings),
        present: f.attendance.num as i64,
        base: f.attendance.den as i64,
        ratings,
        unrated: n(&f.unrated),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meeting::{Counts, MeetingRow};
    use time::macros::date;

    #[test]
    fn every_period_of_a_year_lies_in_it() {
        assert!(PeriodKey::of_year(2025).iter().all(|k| k.year() == 2025));
        assert_eq!(PeriodKey::parse("2026-Q3").map(PeriodKey::year), Some(2026));
    }

    #[test]
    fn attribution_follows_the_tree_of_the_last_day() {
        let (cell, old, new) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let link = |org, parent, from, to| Link { org_id: org, parent_id: parent, name: String::new(), from, to };
        let links = HashMap::from([
            (
                cell,
                vec![
                    link(cell, Some(old), None, Some(date!(2025 - 07 - 01))),
                    link(cell, Some(new), Some(date!(2025 - 07 - 01)), Some(date!(2025 - 10 - 15))),
                ],
            ),
            (old, vec![link(old, None, None, Some(date!(2025 - 07 - 01)))]),
            (new, vec![link(new, None, Some(date!(2025 - 07 - 01)), None)]),
        ]);
        let active = active_interval(&links[&cell]);
        assert_eq!(active, (None, Some(date!(2025 - 10 - 15))));
        let on = |k: PeriodKey| attributed_on(k.period().unwrap(), active);
        assert_eq!(on(PeriodKey::Quarter(2025, 2)), Some(date!(2025 - 06 - 30)));
        assert_eq!(on(PeriodKey::Year(2025)), Some(date!(2025 - 10 - 14)));
        assert_eq!(on(PeriodKey::Month(2025, 11)), None);
        assert_eq!(attributed_to(cell, date!(2025 - 06 - 30), &links), [cell, old]);
        assert_eq!(attributed_to(cell, date!(2025 - 10 - 14), &links), [cell, new]);
    }

    #[test]
    fn period_codes_round_trip() {
        for k in PeriodKey::of_year(2025) {
            assert_eq!(PeriodKey::parse(&k.code()), Some(k));
        }
        assert_eq!(PeriodKey::Quarter(2025, 1).code(), "2025-Q1");
        assert_eq!(PeriodKey::Month(2025, 3).code(), "2025-03");
        for bad in ["2025-13", "2025-Q5", "25", "2025-1", "x", "2025-Q", "2025-00", ""] {
            assert_eq!(PeriodKey::parse(bad), None, "{bad}");
        }
        assert_eq!(
            PeriodKey::holding(date!(2025 - 08 - 31)),
            [PeriodKey::Month(2025, 8), PeriodKey::Quarter(2025, 3), PeriodKey::Year(2025)]
        );
    }

    #[test]
    fn sums_of_cells_equal_the_figures() {
        let meeting = |n: u128, on: Date, kind, present: u32, rating| MeetingRow {
            id: Uuid::from_u128(n),
            on,
            kind,
            counts: Counts { present, excused: 1, unexcused: 0, ..Counts::default() },
            rating,
        };
        let cells = vec![
            CellRecord {
                cell_id: Uuid::from_u128(1),
                from: None,
                to: None,
                meetings: (1..=12u8)
                    .map(|m| {
                        let kind = if m % 3 == 0 { MeetingKind::Combined } else { MeetingKind::Regular };
                        let on = crate::date::ymd(2025, m, 5).unwrap_or(date!(2025 - 01 - 05));
                        meeting(u128::from(m), on, kind, 9, Some(Rating::Good))
                    })
                    .collect(),
            },
            CellRecord {
                cell_id: Uuid::from_u128(2),
                from: Some(date!(2025 - 02 - 15)),
                to: None,
                meetings: vec![meeting(100, date!(2025 - 03 - 03), MeetingKind::Thematic, 4, None)],
            },
            CellRecord { cell_id: Uuid::from_u128(3), from: None, to: Some(date!(2025 - 01 - 01)), meetings: vec![] },
        ];
        for key in PeriodKey::of_year(2025) {
            let p = key.period().unwrap();
            let mut sum = Rollup::default();
            for c in &cells {
                sum.add(&Rollup::of_cell(&cell_tally(c, p, None)), 1);
            }
            assert_eq!(sum, recompute(&cells, p, None), "{}", key.code());
            let mid = Some(date!(2025 - 06 - 01));
            let mut sum = Rollup::default();
            for c in &cells {
                sum.add(&Rollup::of_cell(&cell_tally(c, p, mid)), 1);
            }
            assert_eq!(sum, recompute(&cells, p, mid), "{} mid-year", key.code());
        }
        let year = recompute(&cells, Period::year(2025).unwrap(), None);
        assert_eq!((year.regular(), year.thematic()), (Share::new(1, 2), Share::new(1, 2)));
        assert_eq!((year.attendance(), year.rating(Rating::Good), year.unrated), (Share::new(112, 125), 12, 1));
        assert!(cell_tally(&cells[2], Period::year(2025).unwrap(), None).is_empty());
        let t = cell_tally(&cells[0], Period::year(2025).unwrap(), None);
        assert_eq!(CellTally::from_fields(t.fields()), t);
    }
}
