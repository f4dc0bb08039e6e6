//! The life cycle of a meeting (*buổi sinh hoạt*): scheduled, then held when the attendance is
//! taken, then approved (the minutes are locked); or cancelled while still scheduled. Which
//! step each status allows, the status a step leaves, what counts as a correction of a past
//! meeting's record (which needs a reason), and the checks of a meeting's date.

use super::{MeetingKind, MeetingStatus};
use crate::error::{FieldError, Problem, Validation};
use time::Date;
use uuid::Uuid;

/// A change made to a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Change the plan (date, kind, time, place, agenda).
    Replan,
    /// Take or change the attendance.
    Attend,
    /// Write or change the minutes.
    WriteMinutes,
    /// Approve the minutes.
    Approve,
    /// Cancel the meeting.
    Cancel,
    /// Any other change (topics, documents, a rating).
    Other,
}

/// Whether a meeting in `status`, held on `held_on`, allows `step` on `today`.
pub fn check_step(status: MeetingStatus, step: Step, held_on: Date, today: Date) -> Result<(), Problem> {
    use MeetingStatus::*;
    if status == Approved {
        return Err(locked());
    }
    match step {
        Step::Replan if status == Cancelled => Err(cancelled()),
        Step::Attend if held_on > today => Err(Problem::Invalid(Validation { errors: vec![future_held()] })),
        Step::Attend if status == Cancelled => Err(cancelled()),
        Step::WriteMinutes if !status.was_held() => Err(Problem::field(
            "status",
            "not_held",
            "Biên bản: hãy điểm danh trước (buổi sinh hoạt chưa được ghi là đã họp).",
            "Minutes: record the attendance first (the meeting is not recorded as held).",
        )),
        Step::Approve if status != Held => Err(Problem::field(
            "status",
            "not_held",
            "Biên bản: chỉ thông qua được biên bản của buổi sinh hoạt đã họp.",
            "Minutes: only the minutes of a held meeting can be approved.",
        )),
        Step::Cancel if status != Scheduled => Err(Problem::field(
            "status",
            "not_scheduled",
            "Chỉ hủy được buổi sinh hoạt chưa họp.",
            "Only a meeting not yet held can be cancelled.",
        )),
        _ => Ok(()),
    }
}

/// The status a meeting has after `step` (allowed by [`check_step`]).
pub fn after_step(status: MeetingStatus, step: Step) -> MeetingStatus {
    match (status, step) {
        (MeetingStatus::Scheduled, Step::Attend) => MeetingStatus::Held,
        (_, Step::Approve) => MeetingStatus::Approved,
        (_, Step::Cancel) => MeetingStatus::Cancelled,
        (s, _) => s,
    }
}

/// Approved minutes can no longer be changed.
pub fn locked() -> Problem {
    Problem::Conflict(FieldError::new(
        "status",
        "minutes_locked",
        "Biên bản đã được thông qua nên không sửa được nữa.",
        "The minutes are approved and can no longer be changed.",
    ))
}

/// A cancelled meeting takes no plan and no attendance.
pub fn cancelled() -> Problem {
    Problem::field("status", "cancelled", "Buổi sinh hoạt đã hủy.", "The meeting is cancelled.")
}

/// A correction of a past meeting's record without a reason.
pub fn need_reason() -> Problem {
    Problem::field(
        "reason",
        "reason_required",
        "Lý do sửa: cần ghi lý do khi sửa nội dung đã ghi của buổi sinh hoạt đã qua.",
        "Reason: a reason is needed to change what was recorded for a past meeting.",
    )
}

/// Nothing is recorded for a meeting whose day has not come.
pub fn future_held() -> FieldError {
    FieldError::new(
        "held_on",
        "in_future",
        "Ngày họp: chưa đến ngày họp nên chưa ghi được kết quả.",
        "Date: the meeting day has not come yet, so nothing can be recorded.",
    )
}

/// What was recorded of a meeting, as far as a correction is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded<'a> {
    pub status: MeetingStatus,
    pub held_on: Date,
    pub kind: MeetingKind,
    pub conclusions: &'a str,
    pub resolution: &'a str,
    pub followup: &'a str,
    pub votes_for: Option<i64>,
    pub starts_at: Option<&'a str>,
    pub ends_at: Option<&'a str>,
    pub chair_id: Option<Uuid>,
    pub recorder_id: Option<Uuid>,
}

/// Whether `after` changes what was recorded for a held meeting whose day has passed: a
/// correction, which needs a reason. Filling in what was empty is not one.
pub fn corrects_record(before: &Recorded, after: &Recorded, today: Date) -> bool {
    fn replaced<T: PartialEq>(a: &Option<T>, b: &Option<T>) -> bool {
        a.is_some() && a != b
    }
    if !before.status.was_held() || before.held_on >= today {
        return false;
    }
    let texts = [
        (before.conclusions, after.conclusions),
        (before.resolution, after.resolution),
        (before.followup, after.followup),
    ];
    texts.iter().any(|(a, b)| !a.is_empty() && a != b)
        || before.held_on != after.held_on
        || before.kind != after.kind
        || replaced(&before.votes_for, &after.votes_for)
        || replaced(&before.starts_at, &after.starts_at)
        || replaced(&before.ends_at, &after.ends_at)
        || replaced(&before.chair_id, &after.chair_id)
        || replaced(&before.recorder_id, &after.recorder_id)
}

/// The checks of a meeting's date: the cell existed on it (from `established_on`, before
/// `dissolved_on`), and it lies between 1930 and two years from `today`. Field `held_on`.
pub fn check_date(v: &mut Validation, established_on: Option<Date>, dissolved_on: Option<Date>, on: Date, today: Date) {
    let before_cell = established_on.is_some_and(|e| on < e);
    let after_cell = dissolved_on.is_some_and(|d| on >= d);
    if before_cell || after_cell {
        v.push(FieldError::new(
            "held_on",
            "cell_not_active",
            "Ngày họp: chi bộ chưa thành lập hoặc đã giải thể vào ngày này.",
            "Date: the cell was not active on this date.",
        ));
    }
    if on.year() < 1930 || on > today.replace_year(today.year() + 2).unwrap_or(on) {
        v.push(FieldError::new("held_on", "out_of_range", "Ngày họp: không hợp lệ.", "Date: out of range."));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MeetingStatus::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 05 - 20);

    fn code(r: Result<(), Problem>) -> Option<String> {
        match r {
            Ok(()) => None,
            Err(Problem::Invalid(v)) => v.errors.first().map(|e| e.code.to_string()),
            Err(Problem::Conflict(e)) => Some(e.code.to_string()),
            Err(other) => Some(format!("{other:?}")),
        }
    }

    #[test]
    fn each_status_allows_its_steps() {
        let past = date!(2026 - 05 - 01);
        let steps = [Step::Replan, Step::Attend, Step::WriteMinutes, Step::Approve, Step::Cancel, Step::Other];
        let expect: [(MeetingStatus, [Option<&str>; 6]); 4] = [
            (Scheduled, [None, None, Some("not_held"), Some("not_held"), None, None]),
            (Held, [None, None, None, None, Some("not_scheduled"), None]),
            (Approved, [Some("minutes_locked"); 6]),
            (
                Cancelled,
                [Some("cancelled"), Some("cancelled"), Some("not_held"), Some("not_held"), Some("not_scheduled"), None],
            ),
        ];
        for (status, codes) in expect {
            for (step, want) in steps.iter().zip(codes) {
                assert_eq!(code(check_step(status, *step, past, TODAY)).as_deref(), want, "{status:?} {step:?}");
            }
        }
        // No attendance before the day, whatever the status.
        assert_eq!(
            code(check_step(Scheduled, Step::Attend, date!(2026 - 05 - 21), TODAY)).as_deref(),
            Some("in_future")
        );
    }

    #[test]
    fn steps_move_the_status_forward() {
        assert_eq!(after_step(Scheduled, Step::Attend), Held);
        assert_eq!(after_step(Held, Step::Attend), Held);
        assert_eq!(after_step(Held, Step::Approve), Approved);
        assert_eq!(after_step(Scheduled, Step::Cancel), Cancelled);
        assert_eq!(after_step(Held, Step::WriteMinutes), Held);
    }

    fn recorded(status: MeetingStatus, held_on: Date) -> Recorded<'static> {
        Recorded {
            status,
            held_on,
            kind: MeetingKind::Regular,
            conclusions: "",
            resolution: "",
            followup: "",
            votes_for: None,
            starts_at: Some("19:30"),
            ends_at: None,
            chair_id: None,
            recorder_id: None,
        }
    }

    #[test]
    fn a_correction_changes_what_a_past_held_meeting_recorded() {
        let before = recorded(Held, date!(2026 - 05 - 01));
        // Filling in what was empty is no correction.
        let filled = Recorded { conclusions: "Kết luận", ends_at: Some("21:00"), ..before };
        assert!(!corrects_record(&before, &filled, TODAY));
        // Replacing what was there, or moving the date, is.
        assert!(corrects_record(&filled, &Recorded { conclusions: "Khác", ..filled }, TODAY));
        assert!(corrects_record(&before, &Recorded { starts_at: Some("20:00"), ..before }, TODAY));
        assert!(corrects_record(&before, &Recorded { held_on: date!(2026 - 05 - 02), ..before }, TODAY));
        // Not held, or held today: no reason needed.
        assert!(!corrects_record(
            &recorded(Scheduled, date!(2026 - 05 - 01)),
            &Recorded { kind: MeetingKind::Thematic, ..before },
            TODAY
        ));
        let today = recorded(Held, TODAY);
        assert!(!corrects_record(&today, &Recorded { kind: MeetingKind::Thematic, ..today }, TODAY));
    }

    #[test]
    fn a_meeting_date_lies_in_the_life_of_its_cell() {
        let codes = |est, dis, on| {
            let mut v = Validation::default();
            check_date(&mut v, est, dis, on, TODAY);
            v.errors.into_iter().map(|e| e.code).collect::<Vec<_>>()
        };
        assert!(codes(Some(date!(2020 - 01 - 01)), None, date!(2026 - 05 - 01)).is_empty());
        assert_eq!(codes(Some(date!(2020 - 01 - 01)), None, date!(2019 - 12 - 31)), ["cell_not_active"]);
        assert_eq!(codes(None, Some(date!(2026 - 01 - 01)), date!(2026 - 01 - 01)), ["cell_not_active"]);
        assert_eq!(codes(None, None, date!(1929 - 12 - 31)), ["out_of_range"]);
        assert_eq!(codes(None, None, date!(2028 - 05 - 21)), ["out_of_range"]);
        assert!(codes(None, None, date!(2028 - 05 - 20)).is_empty());
    }
}
