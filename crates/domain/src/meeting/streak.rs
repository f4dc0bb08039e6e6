//! Repeated absences of members over a cell's meetings: the runs of absences with reason that
//! break the quality standard ("no member absent with reason more than 3 times in a row in a
//! year", [`rules::ATTENDANCE_STANDARD`]) and the secretary's work list of members absent in a
//! row or without reason (3 months without reason in a year is a ground for striking off,
//! [`rules::ABANDONED_ACTIVITIES`]). Runs restart each calendar year; meetings where a member is
//! exempt or on special duty are left out for that member (they neither break nor extend a run).

use super::kind::{Mark, MeetingKind};
use crate::life::event::coded_enum;
use crate::rules::{self, ABANDONED_ACTIVITIES, ATTENDANCE_STANDARD};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use time::Date;
use uuid::Uuid;

/// One meeting of a cell with every member's mark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Marked {
    pub on: Date,
    pub kind: MeetingKind,
    pub marks: Vec<(Uuid, Mark)>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Runs {
    year: i32,
    absent: u32,
    excused: u32,
    longest_absent: u32,
    longest_excused: u32,
    unexcused: u32,
    last_absence: Option<Date>,
}

/// Walk the meetings (sorted by date; committee meetings ignored) and the runs of each member.
fn walk(meetings: &[Marked]) -> BTreeMap<Uuid, (Runs, BTreeSet<u8>)> {
    let mut out: BTreeMap<Uuid, (Runs, BTreeSet<u8>)> = BTreeMap::new();
    for m in meetings.iter().filter(|m| m.kind.is_cell_meeting()) {
        for &(id, mark) in &m.marks {
            let (r, months) = out.entry(id).or_default();
            if r.year != m.on.year() {
                (*r, *months) = (Runs { year: m.on.year(), ..Runs::default() }, BTreeSet::new());
            }
            match mark {
                Mark::Present => (r.absent, r.excused) = (0, 0),
                Mark::Excused => (r.absent, r.excused) = (r.absent + 1, r.excused + 1),
                Mark::Unexcused => {
                    (r.absent, r.excused, r.unexcused) = (r.absent + 1, 0, r.unexcused + 1);
                    months.insert(u8::from(m.on.month()));
                }
                Mark::Exempt | Mark::SpecialDuty => continue,
            }
            if mark != Mark::Present {
                r.last_absence = Some(m.on);
            }
            r.longest_absent = r.longest_absent.max(r.absent);
            r.longest_excused = r.longest_excused.max(r.excused);
        }
    }
    out
}

/// Members absent with reason from the last of `meetings` for more times in a row than the
/// standard allows on that date (0 when no rule is in force). `meetings`: the cell's meetings
/// up to and including the one being rated.
pub fn over_excused_run(meetings: &[Marked]) -> u32 {
    let Some(last) = meetings.last() else { return 0 };
    let Some(rule) = rules::in_force(ATTENDANCE_STANDARD, last.on) else { return 0 };
    let max = rule.value.max_excused_run;
    let walked = walk(meetings);
    let in_last = |id: &Uuid| last.marks.contains(&(*id, Mark::Excused));
    walked.iter().filter(|(id, (r, _))| in_last(id) && r.year == last.on.year() && r.excused > max).count() as u32
}

coded_enum! {
    /// Why a member is on the absence work list.
    Concern {
        /// Absent (with or without reason) this many meetings in a row: one more absence with
        /// reason breaks the standard.
        InARow = "in_a_row", "Vắng liên tiếp", "Absent in a row";
        /// Absent with reason more times in a row than the standard allows.
        ExcusedOverLimit = "excused_over_limit", "Vắng có lý do quá số lần liên tiếp cho phép", "Excused more times in a row than allowed";
        /// Absent without reason at least once.
        Unexcused = "unexcused", "Vắng không lý do", "Absent without reason";
        /// Absent without reason in enough months of the year to be struck off (Charter art. 8).
        StrikeOffGround = "strike_off_ground", "Đủ căn cứ xem xét xóa tên", "Ground for striking off";
    }
}

/// A member on the work list, for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Absentee {
    pub member_id: Uuid,
    pub year: i32,
    /// Longest run of absences (with or without reason) in the year.
    pub longest_in_a_row: u32,
    pub longest_excused_in_a_row: u32,
    pub unexcused: u32,
    pub unexcused_months: u32,
    pub last_absence: Option<Date>,
    pub concerns: Vec<Concern>,
}

/// The work list of one cell for the year of its meetings (all in one calendar year; the
/// rules in force at the last meeting apply), by member id.
pub fn absence_worklist(meetings: &[Marked]) -> Vec<Absentee> {
    let Some(last) = meetings.last() else { return Vec::new() };
    let max = rules::in_force(ATTENDANCE_STANDARD, last.on).map(|r| r.value.max_excused_run);
    let months = rules::in_force(ABANDONED_ACTIVITIES, last.on).map(|r| r.value.months_in_year);
    let mut out = Vec::new();
    for (member_id, (r, unexcused_months)) in walk(meetings) {
        let unexcused_months = unexcused_months.len() as u32;
        let concerns: Vec<Concern> = [
            (max.is_some_and(|m| r.longest_absent >= m), Concern::InARow),
            (max.is_some_and(|m| r.longest_excused > m), Concern::ExcusedOverLimit),
            (r.unexcused > 0, Concern::Unexcused),
            (months.is_some_and(|m| unexcused_months >= m), Concern::StrikeOffGround),
        ]
        .into_iter()
        .filter_map(|(on, c)| on.then_some(c))
        .collect();
        if !concerns.is_empty() {
            out.push(Absentee {
                member_id,
                year: r.year,
                longest_in_a_row: r.longest_absent,
                longest_excused_in_a_row: r.longest_excused,
                unexcused: r.unexcused,
                unexcused_months,
                last_absence: r.last_absence,
                concerns,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::ymd;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    /// Monthly regular meetings on the 10th of 2025, member 1 with `marks`, member 2 always present.
    fn year(marks: &[Mark]) -> Vec<Marked> {
        let meeting = |i: usize, &m: &Mark| Marked {
            on: ymd(2025, i as u8 + 1, 10).unwrap(),
            kind: MeetingKind::Regular,
            marks: vec![(id(1), m), (id(2), Mark::Present)],
        };
        marks.iter().enumerate().map(|(i, m)| meeting(i, m)).collect()
    }

    #[test]
    fn the_fourth_excused_absence_in_a_row_breaks_the_standard() {
        use Mark::*;
        let m = year(&[Excused, Excused, Excused, Excused, Present]);
        assert_eq!(over_excused_run(&m[..3]), 0);
        assert_eq!(over_excused_run(&m[..4]), 1);
        assert_eq!(over_excused_run(&m), 0);
        // Special duty and exemption are left out: they do not break the run.
        let m = year(&[Excused, Excused, SpecialDuty, Excused, Excused]);
        assert_eq!(over_excused_run(&m), 1);
        // … but a member on special duty at the rated meeting is not counted against it.
        assert_eq!(over_excused_run(&year(&[Excused, Excused, Excused, Excused, SpecialDuty])), 0);
        // A run does not carry over into a new year.
        let mut m = year(&[Present, Excused, Excused, Excused]);
        m.iter_mut().for_each(|x| x.on = x.on.replace_year(2024).unwrap());
        m.extend(year(&[Excused]));
        assert_eq!(over_excused_run(&m), 0);
    }

    #[test]
    fn work_list() {
        use Mark::*;
        let m = year(&[Excused, Unexcused, Excused, Present, Unexcused, Present, Unexcused]);
        let w = absence_worklist(&m);
        assert_eq!(w.len(), 1);
        let a = &w[0];
        assert_eq!((a.member_id, a.year, a.longest_in_a_row, a.longest_excused_in_a_row), (id(1), 2025, 3, 1));
        assert_eq!((a.unexcused, a.unexcused_months, a.last_absence), (3, 3, ymd(2025, 7, 10)));
        assert_eq!(a.concerns, [Concern::InARow, Concern::Unexcused, Concern::StrikeOffGround]);
        let w = absence_worklist(&year(&[Excused, Excused, Excused, Excused]));
        assert_eq!(w[0].concerns, [Concern::InARow, Concern::ExcusedOverLimit]);
        assert!(absence_worklist(&year(&[Excused, Excused, Present, Excused])).is_empty());
        assert!(absence_worklist(&[]).is_empty());
    }
}
