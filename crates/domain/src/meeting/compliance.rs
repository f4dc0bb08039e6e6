//! Compliance figures for a set of cells over a period (*kết quả thực hiện chế độ sinh hoạt*):
//! the share of cells that held the regular meeting in every month required and a thematic
//! meeting in every quarter required, the pooled attendance, the ratings, and the cells with
//! missing meetings by month. Every figure carries the cells or meetings behind it.
//!
//! A month (quarter) is required of a cell when the period and the cell's active interval both
//! hold it in full and a rule is in force on its first day ([`rules::REGULAR_MEETING`],
//! [`rules::THEMATIC_MEETING`]): a cell established on 15 February owes its first regular
//! meeting in March and its first thematic meeting in the second quarter. A cell with nothing
//! required is left out of the share (listed as not assessed).

use super::attendance::Counts;
use super::kind::{MeetingKind, Rating};
use super::period::Period;
use super::share::Share;
use crate::rules::{self, MeetingEvery, REGULAR_MEETING, THEMATIC_MEETING, Versioned};
use serde::Serialize;
use std::collections::BTreeMap;
use time::Date;
use uuid::Uuid;

/// A meeting as the figures need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MeetingRow {
    pub id: Uuid,
    pub on: Date,
    pub kind: MeetingKind,
    pub counts: Counts,
    pub rating: Option<Rating>,
}

/// A cell with its active interval `[from, to)` (`None`: unbounded) and its meetings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellRecord {
    pub cell_id: Uuid,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub meetings: Vec<MeetingRow>,
}

/// A share of cells, with the cells on each side.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CellShare {
    pub share: Share,
    pub met: Vec<Uuid>,
    pub behind: Vec<Uuid>,
    /// Cells with nothing required in the period.
    pub not_assessed: Vec<Uuid>,
}

/// The figures of a period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    pub regular: CellShare,
    pub thematic: CellShare,
    /// Present over the attendance base, pooled over the cell meetings of the period.
    pub attendance: Share,
    /// The cell meetings counted in `attendance` and `ratings`.
    pub meetings: Vec<Uuid>,
    pub ratings: BTreeMap<Rating, Vec<Uuid>>,
    pub unrated: Vec<Uuid>,
    /// (year, month) → the cells that owed a regular meeting that month and held none.
    pub missing_regular: BTreeMap<(i32, u8), Vec<Uuid>>,
    /// (year, quarter) → the cells that owed a thematic meeting and held none.
    pub missing_thematic: BTreeMap<(i32, u8), Vec<Uuid>>,
}

/// The units (months or quarters) required of `cell` and those without a qualifying meeting.
pub(crate) fn owed_units(
    cell: &CellRecord,
    units: &[(i32, u8, Period)],
    rule: &'static [Versioned<MeetingEvery>],
    held: fn(MeetingKind) -> bool,
    through: Option<Date>,
) -> (usize, Vec<(i32, u8)>) {
    let had = |p: &Period| cell.meetings.iter().any(|m| held(m.kind) && p.contains(m.on));
    let required: Vec<_> = units
        .iter()
        .filter(|(_, _, p)| p.within(cell.from, cell.to) && rules::in_force(rule, p.from).is_some())
        .filter(|(_, _, p)| through.is_none_or(|t| p.to <= t) || had(p))
        .collect();
    let missing = required.iter().filter(|(_, _, p)| !had(p)).map(|&&(y, i, _)| (y, i)).collect();
    (required.len(), missing)
}

fn tally(
    share: &mut CellShare,
    missing_by: &mut BTreeMap<(i32, u8), Vec<Uuid>>,
    cell: Uuid,
    (required, missing): (usize, Vec<(i32, u8)>),
) {
    let side = match (required, missing.is_empty()) {
        (0, _) => &mut share.not_assessed,
        (_, true) => &mut share.met,
        _ => &mut share.behind,
    };
    side.push(cell);
    for unit in missing {
        missing_by.entry(unit).or_default().push(cell);
    }
}

/// The figures of `cells` over `period`.
pub fn figures(cells: &[CellRecord], period: Period) -> Figures {
    figures_through(cells, period, None)
}

/// The figures of `cells` over `period` as known on `through` (the first day of the current
/// month): a month or quarter not ended by then is owed only by the cells that already held
/// its meeting, so a year in progress is judged on the months gone by. `None`: all ended.
pub fn figures_through(cells: &[CellRecord], period: Period, through: Option<Date>) -> Figures {
    let (months, quarters) = (period.months(), period.quarters());
    let mut f = Figures::default();
    for c in cells {
        let regular = owed_units(c, &months, REGULAR_MEETING, MeetingKind::counts_as_regular, through);
        tally(&mut f.regular, &mut f.missing_regular, c.cell_id, regular);
        let thematic = owed_units(c, &quarters, THEMATIC_MEETING, MeetingKind::counts_as_thematic, through);
        tally(&mut f.thematic, &mut f.missing_thematic, c.cell_id, thematic);
        for m in c.meetings.iter().filter(|m| m.kind.is_cell_meeting() && period.contains(m.on)) {
            f.attendance = Share::pooled([f.attendance, m.counts.rate()]);
            f.meetings.push(m.id);
            match m.rating {
                Some(r) => f.ratings.entry(r).or_default().push(m.id),
                None => f.unrated.push(m.id),
            }
        }
    }
    for s in [&mut f.regular, &mut f.thematic] {
        s.share = Share::new(s.met.len() as u64, (s.met.len() + s.behind.len()) as u64);
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn meeting(n: u128, on: Date, kind: MeetingKind, present: u32, base: u32) -> MeetingRow {
        let counts = Counts { present, excused: base - present, ..Counts::default() };
        MeetingRow { id: Uuid::from_u128(n), on, kind, counts, rating: Some(Rating::Good) }
    }

    fn cell(n: u128, from: Option<Date>, meetings: Vec<MeetingRow>) -> CellRecord {
        CellRecord { cell_id: Uuid::from_u128(n), from, to: None, meetings }
    }

    #[test]
    fn a_cell_established_mid_quarter() {
        // Established 15/02/2025; meets regularly from March, thematic combined in May.
        let meetings = vec![
            meeting(1, date!(2025 - 03 - 05), MeetingKind::Regular, 9, 10),
            meeting(2, date!(2025 - 04 - 05), MeetingKind::Regular, 10, 10),
            meeting(3, date!(2025 - 05 - 05), MeetingKind::Combined, 8, 10),
            meeting(4, date!(2025 - 06 - 05), MeetingKind::Regular, 10, 10),
        ];
        let c = cell(1, Some(date!(2025 - 02 - 15)), meetings);
        let h1 = Period::custom(date!(2025 - 01 - 01), date!(2025 - 06 - 30)).unwrap();
        let f = figures(std::slice::from_ref(&c), h1);
        assert_eq!(f.regular.share, Share::new(1, 1));
        assert_eq!(f.thematic.share, Share::new(1, 1));
        assert!(f.missing_regular.is_empty() && f.missing_thematic.is_empty());
        assert_eq!(f.attendance, Share::new(37, 40));
        // The first quarter owes nothing: not assessed.
        let q1 = figures(std::slice::from_ref(&c), Period::quarter(2025, 1).unwrap());
        assert_eq!((q1.regular.share, q1.thematic.share), (Share::new(1, 1), Share::new(0, 0)));
        assert_eq!(q1.thematic.not_assessed, [c.cell_id]);
        // February is not owed, so only March counts in the first quarter.
        let feb = figures(std::slice::from_ref(&c), Period::month(2025, 2).unwrap());
        assert_eq!(feb.regular.not_assessed, [c.cell_id]);
    }

    #[test]
    fn months_without_a_meeting_and_kinds_that_do_not_count() {
        // Thematic in January (not a regular meeting), extraordinary in February, regular in March.
        let meetings = vec![
            meeting(1, date!(2025 - 01 - 10), MeetingKind::Thematic, 5, 5),
            meeting(2, date!(2025 - 02 - 10), MeetingKind::Extraordinary, 4, 5),
            meeting(3, date!(2025 - 03 - 10), MeetingKind::Regular, 5, 5),
            meeting(4, date!(2025 - 03 - 11), MeetingKind::Committee, 3, 3),
        ];
        let mut other = cell(2, None, Vec::new());
        other.to = Some(date!(2025 - 02 - 01));
        let f = figures(&[cell(1, None, meetings), other], Period::quarter(2025, 1).unwrap());
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        assert_eq!(f.regular.share, Share::new(0, 2));
        assert_eq!(f.missing_regular, BTreeMap::from([((2025, 1), vec![a, b]), ((2025, 2), vec![a])]));
        assert_eq!((f.thematic.share, f.thematic.not_assessed.clone()), (Share::new(1, 1), vec![b]));
        // The thematic meeting of January holds the quarter; cell 2 closed before the quarter ended.
        // The committee meeting is not a cell meeting.
        assert_eq!((f.attendance, f.meetings.len()), (Share::new(14, 15), 3));
        assert_eq!(f.ratings[&Rating::Good].len(), 3);
    }

    #[test]
    fn a_period_in_progress_owes_only_the_months_gone_by() {
        // On 1 March: January and February are owed; March only by the cells that met already.
        let early = vec![meeting(1, date!(2025 - 01 - 05), MeetingKind::Regular, 5, 5)];
        let march = vec![
            meeting(2, date!(2025 - 01 - 05), MeetingKind::Regular, 5, 5),
            meeting(3, date!(2025 - 02 - 05), MeetingKind::Regular, 5, 5),
            meeting(4, date!(2025 - 03 - 02), MeetingKind::Combined, 5, 5),
        ];
        let cells = [cell(1, None, early), cell(2, None, march)];
        let f = figures_through(&cells, Period::year(2025).unwrap(), Some(date!(2025 - 03 - 01)));
        assert_eq!(f.regular.share, Share::new(1, 2));
        assert_eq!(f.missing_regular, BTreeMap::from([((2025, 2), vec![Uuid::from_u128(1)])]));
        assert_eq!((f.thematic.share, f.thematic.not_assessed.len()), (Share::new(1, 1), 1));
    }

    #[test]
    fn no_thematic_rule_before_2018() {
        let f = figures(&[cell(1, None, Vec::new())], Period::year(2017).unwrap());
        assert_eq!(f.regular.share, Share::new(0, 1));
        assert_eq!(f.thematic.not_assessed.len(), 1);
        assert_eq!(f.missing_regular.len(), 12);
    }
}
