//! Attendance (*tỷ lệ dự sinh hoạt*) and the vote base (*số đảng viên được tính để biểu quyết*).
//!
//! - Attendance base: the members marked present, excused or unexcused. Exempt members
//!   (232-QĐ/TW §7: left out of attendance quotas, even when they come) and members on special
//!   duty are left out (12-HD/BTCTW (06/07/2018)).
//! - Vote base (Charter guidance, RULES.md §3 "votes"): the cell's official members, minus those
//!   temporarily attached elsewhere, exempt members who are absent, suspended or detained
//!   members, and official members absent with an approved reason (excused or on special duty).
//!   Probationary members and members attached here do not vote. A resolution passes with more
//!   than half of the base in favour ([`rules::RESOLUTION_VOTE`]).

use super::kind::Mark;
use super::roll::{Attachment, RollRow};
use super::share::Share;
use crate::error::{FieldError, Validation};
use crate::life::admission::check_vote;
use crate::member::MemberStatus;
use crate::rules::{self, RESOLUTION_VOTE};
use serde::Serialize;
use time::Date;

/// A member of the roll with their mark; `None` for members not marked (attached elsewhere,
/// suspended).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Line {
    pub row: RollRow,
    pub mark: Option<Mark>,
}

/// The attendance of one meeting, as the minutes total it and the figures store it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub present: u32,
    pub excused: u32,
    pub unexcused: u32,
    /// Exempt members absent.
    pub exempt: u32,
    pub special_duty: u32,
    /// Exempt members who came anyway: present, but out of the base.
    pub exempt_present: u32,
}

impl Counts {
    /// The attendance base: present + excused + unexcused.
    pub fn base(&self) -> u32 {
        self.present + self.excused + self.unexcused
    }

    /// The attendance rate: present over the base.
    /// Count `n` members with `mark` (an exempt member who comes counts apart).
    pub fn add(&mut self, mark: Mark, exempt: bool, n: u32) {
        let slot = match mark {
            Mark::Present if exempt => &mut self.exempt_present,
            Mark::Present => &mut self.present,
            Mark::Excused => &mut self.excused,
            Mark::Unexcused => &mut self.unexcused,
            Mark::Exempt => &mut self.exempt,
            Mark::SpecialDuty => &mut self.special_duty,
        };
        *slot += n;
    }

    pub fn rate(&self) -> Share {
        Share::new(u64::from(self.present), u64::from(self.base()))
    }
}

/// Totals of the marks.
pub fn counts(lines: &[Line]) -> Counts {
    let mut c = Counts::default();
    for l in lines {
        if let Some(mark) = l.mark {
            c.add(mark, l.row.exempt, 1);
        }
    }
    c
}

/// Checks of the marks: every expected member is marked, and "exempt" only for exempt members.
/// Field `marks.<index>`.
pub fn check_marks(lines: &[Line]) -> Validation {
    let mut v = Validation::default();
    for (i, l) in lines.iter().enumerate() {
        let field = format!("marks.{i}");
        let expected = l.row.attachment != Attachment::AttachedElsewhere && !l.row.suspended;
        if l.mark.is_none() && expected {
            v.push(FieldError::required(&field, "Điểm danh", "Attendance"));
        } else if l.mark == Some(Mark::Exempt) && !l.row.exempt {
            v.push(FieldError::new(
                &field,
                "mark_exempt_not_exempt",
                "Điểm danh: đảng viên này không được miễn sinh hoạt; hãy ghi có mặt hoặc vắng mặt.",
                "Attendance: this member is not exempt; mark them present or absent.",
            ));
        }
    }
    v
}

/// The vote base of a meeting and what it leaves out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct VoteBase {
    /// Official members on the cell's rolls.
    pub official: u32,
    pub attached_elsewhere: u32,
    pub exempt_absent: u32,
    pub suspended: u32,
    /// Official members absent with an approved reason (excused or on special duty).
    pub excused: u32,
    /// Official members present (the most votes possible).
    pub present: u32,
    /// `official` minus the four exclusions.
    pub base: u32,
}

/// The vote base from the marked roll.
pub fn vote_base(lines: &[Line]) -> VoteBase {
    let mut b = VoteBase::default();
    let official = lines
        .iter()
        .filter(|l| l.row.standing == MemberStatus::Official && l.row.attachment != Attachment::AttachedHere);
    for l in official {
        b.official += 1;
        let excluded = match (l.row.attachment, l.mark) {
            (Attachment::AttachedElsewhere, _) => &mut b.attached_elsewhere,
            _ if l.row.suspended => &mut b.suspended,
            (_, Some(Mark::Present)) => {
                b.present += 1;
                continue;
            }
            _ if l.row.exempt => &mut b.exempt_absent,
            (_, Some(Mark::Excused | Mark::SpecialDuty)) => &mut b.excused,
            _ => continue,
        };
        *excluded += 1;
    }
    b.base = b.official - b.attached_elsewhere - b.exempt_absent - b.suspended - b.excused;
    b
}

/// Checks of a resolution's vote held on `on` (fields `votes_for`, `vote_base`): votes in
/// favour must be more than half of the base, under the rule in force; no check before it.
pub fn check_resolution(on: Date, votes_for: u32, base: u32) -> Validation {
    let mut v = Validation::default();
    if let Some(rule) = rules::in_force(RESOLUTION_VOTE, on) {
        check_vote(&mut v, ("votes_for", "vote_base"), votes_for, base, rule);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;
    use uuid::Uuid;

    fn line(n: u128, standing: MemberStatus, mark: Option<Mark>) -> Line {
        let row = RollRow {
            member_id: Uuid::from_u128(n),
            standing,
            exempt: false,
            suspended: false,
            attachment: Attachment::Home,
        };
        Line { row, mark }
    }

    fn many(n: u32, standing: MemberStatus, mark: Mark) -> Vec<Line> {
        (0..n).map(|i| line(u128::from(i), standing, Some(mark))).collect()
    }

    #[test]
    fn exempt_and_special_duty_are_out_of_the_attendance_base() {
        let mut lines = many(26, MemberStatus::Official, Mark::Present);
        lines.extend(many(2, MemberStatus::Official, Mark::Excused));
        lines.extend(many(1, MemberStatus::Probationary, Mark::Unexcused));
        lines.extend(many(1, MemberStatus::Official, Mark::SpecialDuty));
        let mut exempt = many(2, MemberStatus::Official, Mark::Exempt);
        exempt[1].mark = Some(Mark::Present);
        exempt.iter_mut().for_each(|l| l.row.exempt = true);
        lines.extend(exempt);
        let c = counts(&lines);
        assert_eq!(
            (c.present, c.excused, c.unexcused, c.exempt, c.special_duty, c.exempt_present),
            (26, 2, 1, 1, 1, 1)
        );
        assert_eq!(c.rate(), Share::new(26, 29));
        assert!(check_marks(&lines).is_ok());
        assert_eq!(Counts::default().rate().percent(), None);
    }

    #[test]
    fn marks_are_checked() {
        let lines = [line(1, MemberStatus::Official, None), line(2, MemberStatus::Official, Some(Mark::Exempt))];
        let v = check_marks(&lines);
        assert_eq!(v.for_field("marks.0").unwrap().code, "required");
        assert_eq!(v.for_field("marks.1").unwrap().code, "mark_exempt_not_exempt");
    }

    #[test]
    fn vote_base_leaves_out_the_charter_exclusions() {
        // 13 official members: 7 present, 1 absent without reason (stays in the base), 1 excused,
        // 1 exempt absent, 1 attached elsewhere, 1 suspended, 1 exempt who came (votes); plus
        // 2 probationary present and 1 attached here, who do not count.
        let mut lines = many(7, MemberStatus::Official, Mark::Present);
        lines.push(line(20, MemberStatus::Official, Some(Mark::Unexcused)));
        lines.push(line(21, MemberStatus::Official, Some(Mark::Excused)));
        let mut exempt_absent = line(22, MemberStatus::Official, Some(Mark::Exempt));
        exempt_absent.row.exempt = true;
        let mut exempt_came = line(23, MemberStatus::Official, Some(Mark::Present));
        exempt_came.row.exempt = true;
        let mut away = line(24, MemberStatus::Official, None);
        away.row.attachment = Attachment::AttachedElsewhere;
        let mut suspended = line(25, MemberStatus::Official, None);
        suspended.row.suspended = true;
        let mut guest = line(26, MemberStatus::Official, Some(Mark::Present));
        guest.row.attachment = Attachment::AttachedHere;
        lines.extend([exempt_absent, exempt_came, away, suspended, guest]);
        lines.extend(many(2, MemberStatus::Probationary, Mark::Present));
        let b = vote_base(&lines);
        assert_eq!(
            b,
            VoteBase {
                official: 13,
                attached_elsewhere: 1,
                exempt_absent: 1,
                suspended: 1,
                excused: 1,
                present: 8,
                base: 9
            }
        );
        // More than half of 9: 5 passes, 4 does not.
        let on = date!(2025 - 03 - 10);
        assert!(check_resolution(on, 5, b.base).is_ok());
        assert_eq!(check_resolution(on, 4, b.base).errors[0].code, "vote_below_threshold");
        assert_eq!(check_resolution(on, 10, b.base).errors[0].code, "votes_exceed_base");
        assert!(check_resolution(date!(2000 - 01 - 01), 0, 8).is_ok());
    }
}
