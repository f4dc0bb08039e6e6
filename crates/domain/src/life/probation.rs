//! Probation (*thời kỳ dự bị*) and recognition as official member (*công nhận đảng viên chính
//! thức*): the end of probation, the time limit for the cell to consider recognition, the checks
//! of a recognition, and which discipline forms fit a member.
//!
//! Party Charter art. 5: probation lasts 12 months from admission; when it ends, the cell
//! considers recognition within 30 working days; at least two thirds of the cell's official
//! members must be in favour; and the member is official **from the end of probation**, even
//! when the decision is signed later.

use super::admission::check_vote;
use super::event::DisciplineForm;
use super::replay::rejection;
use crate::date::format_vn;
use crate::error::{FieldError, Validation};
use crate::member::{MemberStatus, official_date_for};
use crate::rules::{self, PROBATION, RECOGNITION_DEADLINE, RECOGNITION_VOTE};
use crate::workdays;
use serde::Serialize;
use time::{Date, Duration};

/// The end of probation, the date the member becomes official if recognised; `None` before the
/// first sourced rule.
pub fn probation_end(admission: Date) -> Option<Date> {
    official_date_for(admission)
}

/// The last day for the cell to consider recognition: 30 working days after the end of
/// probation ([`rules::RECOGNITION_DEADLINE`]); `None` before the first sourced rule. Lunar
/// holidays are not skipped (see [`crate::workdays`]).
pub fn recognition_deadline(probation_end: Date) -> Option<Date> {
    workdays::deadline(RECOGNITION_DEADLINE, probation_end)
}

/// Where a probationary member stands on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProbationStatus {
    Running {
        ends_on: Date,
    },
    /// Ends within the warning period.
    EndingSoon {
        ends_on: Date,
    },
    /// Ended; the cell has until `deadline` to consider recognition.
    AwaitingDecision {
        ended_on: Date,
        deadline: Date,
    },
    /// Ended and the deadline has passed without a decision.
    Overdue {
        ended_on: Date,
        deadline: Date,
    },
}

/// The probation of a member admitted on `admission` who is still probationary on `today`;
/// `EndingSoon` from `soon_days` calendar days before the end. `None` when no sourced rule
/// covers the dates.
pub fn probation_status(admission: Date, today: Date, soon_days: i64) -> Option<ProbationStatus> {
    let ends_on = probation_end(admission)?;
    if today < ends_on {
        let soon = ends_on.checked_sub(Duration::days(soon_days.max(0))).is_none_or(|from| today >= from);
        return Some(if soon { ProbationStatus::EndingSoon { ends_on } } else { ProbationStatus::Running { ends_on } });
    }
    let deadline = recognition_deadline(ends_on)?;
    Some(if today <= deadline {
        ProbationStatus::AwaitingDecision { ended_on: ends_on, deadline }
    } else {
        ProbationStatus::Overdue { ended_on: ends_on, deadline }
    })
}

/// Checks of a recognition: it takes effect at the end of probation, whatever the date of the
/// decision (admitted 15/03/2024 → official 15/03/2025 even if the decision is signed 20/04/2025),
/// and at least two thirds of the cell's official members voted for it. Fields: `effective`,
/// `votes_for`, `vote_base` (as in the event's detail).
pub fn check_recognition(admission: Date, effective: Date, votes_for: u32, vote_base: u32) -> Validation {
    let mut v = Validation::default();
    let end = probation_end(admission);
    if let Some(end) = end
        && effective != end
    {
        let source = rules::in_force(PROBATION, admission).map_or("", |r| r.source);
        v.push(FieldError::new(
            "effective",
            "official_date_not_end_of_probation",
            format!(
                "Ngày có hiệu lực: đảng viên chính thức từ ngày hết 12 tháng dự bị, tức {} (kể cả khi quyết định ký sau). Căn cứ: {source}.",
                format_vn(end)
            ),
            format!(
                "Effective date: the member is official from the end of the 12-month probation, {} (even when the decision is signed later). Source: {source}.",
                format_vn(end)
            ),
        ));
    }
    if let Some(rule) = rules::in_force(RECOGNITION_VOTE, end.unwrap_or(effective)) {
        check_vote(&mut v, ("votes_for", "vote_base"), votes_for, vote_base, rule);
    }
    v
}

/// Whether `form` fits a member of this standing on `on` ([`rules::DISCIPLINE_FORMS`]): a
/// probationary member may only be reprimanded or warned (one found unfit is struck off
/// instead); removal from a post (*cách chức*) needs a post; a member no longer in the Party
/// cannot be disciplined. Before the first sourced version the earliest one is applied (the
/// forms by standing are older than 69-QĐ/TW, whose text is the one sourced here). Field `form`.
pub fn check_discipline(
    form: DisciplineForm,
    standing: MemberStatus,
    holds_post: bool,
    on: Date,
) -> Option<FieldError> {
    if !standing.is_active() {
        return Some(FieldError::new(
            "form",
            "not_a_member",
            format!(
                "Hình thức kỷ luật: người này không còn là đảng viên ({}).",
                standing.label(crate::Lang::Vi).to_lowercase()
            ),
            format!(
                "Discipline form: this person is no longer a member ({}).",
                standing.label(crate::Lang::En).to_lowercase()
            ),
        ));
    }
    let rule = rules::in_force(rules::DISCIPLINE_FORMS, on).or(rules::DISCIPLINE_FORMS.first())?;
    if standing == MemberStatus::Probationary && !rule.value.probationary.contains(&form.code()) {
        return Some(rejection("form_not_for_probationary"));
    }
    if form == DisciplineForm::Removal && rule.value.removal_needs_post && !holds_post {
        return Some(FieldError::new(
            "form",
            "removal_needs_post",
            "Hình thức kỷ luật: chỉ cách chức đảng viên đang giữ chức vụ. Căn cứ: Quy định 69-QĐ/TW (06/07/2022).",
            "Discipline form: only a member holding a post can be removed from it. Source: 69-QĐ/TW (06/07/2022).",
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn recognition_rules_are_sourced() {
        assert!(RECOGNITION_DEADLINE.windows(2).all(|w| w[0].effective < w[1].effective));
        let sources = RECOGNITION_DEADLINE.iter().map(|r| r.source).chain(RECOGNITION_VOTE.iter().map(|r| r.source));
        assert!(sources.into_iter().all(|s| s.contains("Điều 5")));
    }

    #[test]
    fn official_from_the_12_month_date_even_when_decided_later() {
        // The regulation's own case: admitted 15/03/2024, official from 15/03/2025 even though
        // the decision is signed 20/04/2025.
        let admission = date!(2024 - 03 - 15);
        assert_eq!(probation_end(admission), Some(date!(2025 - 03 - 15)));
        assert!(check_recognition(admission, date!(2025 - 03 - 15), 6, 9).is_ok());
        let v = check_recognition(admission, date!(2025 - 04 - 20), 6, 9);
        let e = v.for_field("effective").unwrap();
        assert_eq!(e.code, "official_date_not_end_of_probation");
        assert!(e.message_vi.contains("15/03/2025") && e.message_vi.contains("Điều 5"));
        assert_eq!(v.errors.len(), 1);
    }

    #[test]
    fn recognition_needs_two_thirds_of_official_members() {
        let (a, e) = (date!(2024 - 03 - 15), date!(2025 - 03 - 15));
        assert!(check_recognition(a, e, 2, 3).is_ok());
        assert!(check_recognition(a, e, 6, 9).is_ok());
        let v = check_recognition(a, e, 5, 9);
        assert_eq!(v.errors[0].code, "vote_below_threshold");
        assert!(v.errors[0].message_en.contains("at least 6 of 9"));
        assert_eq!(check_recognition(a, e, 10, 9).errors[0].code, "votes_exceed_base");
        assert_eq!(check_recognition(a, e, 0, 0).for_field("vote_base").unwrap().code, "vote_base_zero");
        // 7 of 10 passes, 6 of 10 does not (2/3 of 10 is 6.67).
        assert!(check_recognition(a, e, 7, 10).is_ok());
        assert!(!check_recognition(a, e, 6, 10).is_ok());
    }

    #[test]
    fn probation_status_through_time() {
        let a = date!(2024 - 03 - 15);
        let end = date!(2025 - 03 - 15);
        // Saturday 15/03/2025 + 30 working days: 6 weeks → Friday 25/04/2025 (30/4 and 1/5 after).
        let deadline = date!(2025 - 04 - 25);
        assert_eq!(recognition_deadline(end), Some(deadline));
        assert_eq!(probation_status(a, date!(2025 - 01 - 01), 30), Some(ProbationStatus::Running { ends_on: end }));
        assert_eq!(probation_status(a, date!(2025 - 02 - 13), 30), Some(ProbationStatus::EndingSoon { ends_on: end }));
        assert_eq!(probation_status(a, date!(2025 - 02 - 12), 30), Some(ProbationStatus::Running { ends_on: end }));
        assert_eq!(probation_status(a, end, 30), Some(ProbationStatus::AwaitingDecision { ended_on: end, deadline }));
        assert_eq!(
            probation_status(a, deadline, 30),
            Some(ProbationStatus::AwaitingDecision { ended_on: end, deadline })
        );
        assert_eq!(
            probation_status(a, date!(2025 - 04 - 26), 30),
            Some(ProbationStatus::Overdue { ended_on: end, deadline })
        );
        assert_eq!(probation_status(date!(2005 - 01 - 01), date!(2025 - 01 - 01), 30), None);
    }

    #[test]
    fn the_discipline_rule_names_discipline_forms() {
        for code in rules::DISCIPLINE_FORMS.iter().flat_map(|v| v.value.probationary) {
            assert!(DisciplineForm::ALL.iter().any(|f| f.code() == *code), "{code}");
        }
    }

    #[test]
    fn discipline_forms_by_standing() {
        use DisciplineForm::*;
        use MemberStatus::*;
        for form in [Reprimand, Warning] {
            assert_eq!(check_discipline(form, Probationary, false, date!(2024 - 01 - 01)), None);
            assert_eq!(check_discipline(form, Official, false, date!(2024 - 01 - 01)), None);
        }
        assert_eq!(
            check_discipline(Removal, Probationary, true, date!(2024 - 01 - 01)).unwrap().code,
            "form_not_for_probationary"
        );
        assert_eq!(check_discipline(Expulsion, Probationary, false, date!(2024 - 01 - 01)).unwrap().field, "form");
        assert_eq!(
            check_discipline(Removal, Official, false, date!(2024 - 01 - 01)).unwrap().code,
            "removal_needs_post"
        );
        assert_eq!(check_discipline(Removal, Official, true, date!(2024 - 01 - 01)), None);
        assert_eq!(check_discipline(Expulsion, Official, false, date!(2024 - 01 - 01)), None);
        assert_eq!(check_discipline(Warning, StruckOff, false, date!(2024 - 01 - 01)).unwrap().code, "not_a_member");
    }
}
