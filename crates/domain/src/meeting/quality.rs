//! Quality rating of one meeting (*đánh giá chất lượng buổi sinh hoạt*, 12-HD/BTCTW): what the
//! record shows is computed (attendance, duration, speakers, minutes); what needs judgement
//! (preparation, principles, the resolution carried out) is entered; the sheet turns both into
//! points and a rating.

use super::attendance::Counts;
use super::kind::{MeetingKind, Rating};
use super::share::Share;
use super::sheet::{Measure, Sheet};
use crate::error::{FieldError, Validation};
use crate::rules::{self, ATTENDANCE_STANDARD, MEETING_DURATION};
use serde::Serialize;
use time::{Date, Time};

/// The required parts of the minutes (*biên bản*) that are not derived from the attendance
/// (the totals, the present and the absentees are).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MinutesContent {
    pub time: bool,
    pub place: bool,
    pub chair: bool,
    pub recorder: bool,
    pub agenda: bool,
    /// Each speaker's opinion.
    pub opinions: bool,
    /// Conclusions and votes.
    pub conclusions: bool,
}

impl MinutesContent {
    /// The parts missing, by field name.
    pub fn missing(&self) -> Vec<&'static str> {
        let parts = [
            (self.time, "time"),
            (self.place, "place"),
            (self.chair, "chair"),
            (self.recorder, "recorder"),
            (self.agenda, "agenda"),
            (self.opinions, "opinions"),
            (self.conclusions, "conclusions"),
        ];
        parts.into_iter().filter(|(ok, _)| !ok).map(|(_, f)| f).collect()
    }
}

/// What the record of a meeting shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Facts {
    pub on: Date,
    pub kind: MeetingKind,
    pub duration_minutes: u32,
    pub counts: Counts,
    /// Members who spoke.
    pub speakers: u32,
    pub minutes: MinutesContent,
    /// Members absent with reason more than the allowed times in a row within the year, as of
    /// this meeting ([`super::streak::over_excused_run`]).
    pub over_excused_run: u32,
}

/// The duration in minutes of a meeting held from `start` to `end` on one day (field `end_time`).
pub fn duration(start: Time, end: Time) -> Result<u32, FieldError> {
    let minutes = (end - start).whole_minutes();
    u32::try_from(minutes).ok().filter(|m| *m > 0).ok_or_else(|| {
        FieldError::new(
            "end_time",
            "end_not_after_start",
            "Giờ kết thúc: phải sau giờ bắt đầu.",
            "End time: must be after the start time.",
        )
    })
}

/// The least duration of a meeting of `kind` on `on`; `None` before the first sourced rule.
pub fn least_duration(kind: MeetingKind, on: Date) -> Option<u32> {
    let rule = rules::in_force(MEETING_DURATION, on)?.value;
    Some(if kind == MeetingKind::Combined { rule.combined_minutes.unwrap_or(rule.minutes) } else { rule.minutes })
}

/// Why the attendance standard is not met: `attendance_too_low`, `unexcused_absence`,
/// `excused_run`. Empty when met, or when no rule is in force.
pub fn attendance_failures(f: &Facts) -> Vec<&'static str> {
    let Some(rule) = rules::in_force(ATTENDANCE_STANDARD, f.on).map(|r| r.value) else { return Vec::new() };
    let t = rule.attendance;
    let mut out = Vec::new();
    if !f.counts.rate().exceeds(t.num, t.den, t.strict) {
        out.push("attendance_too_low");
    }
    if f.counts.unexcused > rule.unexcused_allowed {
        out.push("unexcused_absence");
    }
    if f.over_excused_run > 0 {
        out.push("excused_run");
    }
    out
}

fn failures(measure: Measure, f: &Facts) -> Vec<&'static str> {
    let fails = |bad: bool, code| if bad { vec![code] } else { Vec::new() };
    match measure {
        Measure::Attendance => attendance_failures(f),
        Measure::Duration => fails(least_duration(f.kind, f.on).is_some_and(|m| f.duration_minutes < m), "too_short"),
        Measure::Speakers { num, den } => fails(
            !Share::new(u64::from(f.speakers), u64::from(f.counts.present)).exceeds(num, den, false),
            "too_few_speakers",
        ),
        Measure::Minutes => fails(!f.minutes.missing().is_empty(), "minutes_incomplete"),
        Measure::Judged => Vec::new(),
    }
}

/// One criterion scored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scored {
    pub code: String,
    pub points: u32,
    pub max: u32,
    /// Why a computed criterion got no points.
    pub failed: Vec<&'static str>,
}

/// A meeting scored on a sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub score: u32,
    pub rating: Rating,
    pub lines: Vec<Scored>,
}

/// Score a meeting: computed criteria get all their points or none; judged ones take the entered
/// `scores` (criterion code, points). Tốt needs the good band **and** full marks on every
/// criterion the sheet requires for it, else Khá. Errors name `scores.<code>`.
pub fn assess(sheet: &Sheet, facts: &Facts, scores: &[(&str, u32)]) -> Result<Assessment, Validation> {
    let mut v = Validation::default();
    for (code, _) in scores.iter().filter(|(c, _)| !sheet.criteria.iter().any(|k| k.code == *c)) {
        v.push(FieldError::new(
            &format!("scores.{code}"),
            "unknown_criterion",
            format!("Điểm '{code}': không có tiêu chí này trong bảng chấm điểm."),
            format!("Score '{code}': the scoring sheet has no such criterion."),
        ));
    }
    let mut lines = Vec::new();
    for c in sheet.criteria {
        let field = format!("scores.{}", c.code);
        let failed = failures(c.measure, facts);
        let points = match (c.measure, scores.iter().find(|(k, _)| *k == c.code)) {
            (Measure::Judged, None) => {
                v.push(FieldError::required(&field, c.label_vi, c.label_en));
                0
            }
            (Measure::Judged, Some(&(_, p))) if p > c.points => {
                v.push(FieldError::new(
                    &field,
                    "score_over_max",
                    format!("{}: tối đa {} điểm.", c.label_vi, c.points),
                    format!("{}: at most {} points.", c.label_en, c.points),
                ));
                0
            }
            (Measure::Judged, Some(&(_, p))) => p,
            _ if failed.is_empty() => c.points,
            _ => 0,
        };
        lines.push(Scored { code: c.code.to_string(), points, max: c.points, failed });
    }
    let score = lines.iter().fold(0u32, |t, l| t.saturating_add(l.points));
    let top_ok = sheet.criteria.iter().zip(&lines).all(|(c, l)| !c.required_for_top || l.points == l.max);
    let b = sheet.bands;
    let rating = match score {
        s if s >= b.good && top_ok => Rating::Good,
        s if s >= b.fair => Rating::Fair,
        s if s >= b.average => Rating::Average,
        _ => Rating::Poor,
    };
    v.finish(Assessment { score, rating, lines })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meeting::sheet::DEFAULT_SHEET;
    use time::macros::date;

    const FULL: MinutesContent = MinutesContent {
        time: true,
        place: true,
        chair: true,
        recorder: true,
        agenda: true,
        opinions: true,
        conclusions: true,
    };
    const JUDGED: [(&str, u32); 3] = [("preparation", 20), ("principles", 10), ("resolution", 15)];

    /// A 30-member cell, 28 present and 2 excused, 100 minutes, 12 speakers.
    fn good() -> Facts {
        Facts {
            on: date!(2025 - 03 - 10),
            kind: MeetingKind::Regular,
            duration_minutes: 100,
            counts: Counts { present: 28, excused: 2, ..Counts::default() },
            speakers: 12,
            minutes: FULL,
            over_excused_run: 0,
        }
    }

    fn rate(f: &Facts, scores: &[(&str, u32)]) -> (u32, Rating) {
        let a = assess(&DEFAULT_SHEET, f, scores).unwrap();
        (a.score, a.rating)
    }

    #[test]
    fn a_meeting_that_meets_every_standard_is_good() {
        assert_eq!(rate(&good(), &JUDGED), (100, Rating::Good));
        assert!(attendance_failures(&good()).is_empty());
    }

    #[test]
    fn one_unexcused_absence_is_not_good() {
        // 30 members: 26 present (86.7 % > 85 %), 3 excused, 1 absent without reason.
        let f = Facts { counts: Counts { present: 26, excused: 3, unexcused: 1, ..Counts::default() }, ..good() };
        assert_eq!(attendance_failures(&f), ["unexcused_absence"]);
        assert_eq!(rate(&f, &JUDGED), (80, Rating::Fair));
    }

    #[test]
    fn attendance_must_be_more_than_85_percent() {
        // 17 of 20 is exactly 85 %: not more.
        let f = Facts { counts: Counts { present: 17, excused: 3, ..Counts::default() }, speakers: 6, ..good() };
        assert_eq!(attendance_failures(&f), ["attendance_too_low"]);
        let f =
            Facts { counts: Counts { present: 18, excused: 2, exempt: 5, special_duty: 1, ..Counts::default() }, ..f };
        assert!(attendance_failures(&f).is_empty());
        let f = Facts { over_excused_run: 1, ..f };
        assert_eq!(attendance_failures(&f), ["excused_run"]);
    }

    #[test]
    fn duration_from_the_times() {
        use time::macros::time;
        assert_eq!(duration(time!(8:00), time!(9:30)), Ok(90));
        assert_eq!(duration(time!(19:30), time!(21:15)), Ok(105));
        assert_eq!(duration(time!(9:00), time!(9:00)).unwrap_err().code, "end_not_after_start");
        assert_eq!(duration(time!(9:00), time!(8:00)).unwrap_err().field, "end_time");
    }

    #[test]
    fn durations_by_kind_and_date() {
        // A combined meeting of 100 minutes is too short under 42-HD/BTCTW (from 28/10/2025) …
        let combined = Facts { on: date!(2025 - 11 - 10), kind: MeetingKind::Combined, ..good() };
        assert_eq!(least_duration(MeetingKind::Combined, combined.on), Some(120));
        let a = assess(&DEFAULT_SHEET, &combined, &JUDGED).unwrap();
        assert_eq!((a.score, a.rating), (90, Rating::Fair));
        assert_eq!(a.lines.iter().find(|l| l.code == "duration").unwrap().failed, ["too_short"]);
        // … but was judged by the 90-minute rule before it.
        assert_eq!(rate(&Facts { on: date!(2024 - 11 - 10), ..combined }, &JUDGED), (100, Rating::Good));
        assert_eq!(rate(&Facts { duration_minutes: 89, ..good() }, &JUDGED).0, 90);
        assert_eq!(least_duration(MeetingKind::Regular, date!(2018 - 07 - 05)), None);
    }

    #[test]
    fn full_marks_needed_on_the_required_criteria_for_good() {
        // 90 points but the minutes lack the recorder: Khá, not Tốt.
        let f = Facts { minutes: MinutesContent { recorder: false, ..FULL }, ..good() };
        assert_eq!(f.minutes.missing(), ["recorder"]);
        assert_eq!(rate(&f, &JUDGED), (90, Rating::Fair));
        // 90 points lost on judgement only: still Tốt.
        assert_eq!(rate(&good(), &[("preparation", 10), ("principles", 10), ("resolution", 15)]), (90, Rating::Good));
        // Speakers: 9 of 28 present is less than a third.
        assert_eq!(rate(&Facts { speakers: 9, ..good() }, &JUDGED), (85, Rating::Fair));
    }

    #[test]
    fn bands() {
        let poor = Facts { duration_minutes: 60, speakers: 0, minutes: MinutesContent::default(), ..good() };
        assert_eq!(rate(&poor, &JUDGED), (65, Rating::Average));
        assert_eq!(rate(&poor, &[("preparation", 5), ("principles", 5), ("resolution", 5)]), (35, Rating::Poor));
        assert_eq!(rate(&good(), &[("preparation", 15), ("principles", 10), ("resolution", 0)]), (80, Rating::Fair));
        assert_eq!(rate(&poor, &[("preparation", 20), ("principles", 10), ("resolution", 0)]), (50, Rating::Average));
    }

    #[test]
    fn judged_scores_are_checked() {
        let v = assess(&DEFAULT_SHEET, &good(), &[("preparation", 21), ("bogus", 1), ("principles", 10)]).unwrap_err();
        assert_eq!(v.for_field("scores.preparation").unwrap().code, "score_over_max");
        assert_eq!(v.for_field("scores.bogus").unwrap().code, "unknown_criterion");
        assert_eq!(v.for_field("scores.resolution").unwrap().code, "required");
        assert!(v.for_field("scores.resolution").unwrap().message_vi.contains("Nghị quyết được thực hiện"));
    }
}
