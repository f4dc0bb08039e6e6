//! The steps of a case (*quy trình kiểm tra, giám sát*, 296-QĐ/TW; 22-QĐ/TW before it): the
//! decision, its announcement, the report of the inspected, verification, the draft conclusion
//! (heard by the inspected) and the conclusion — in this order, dated, none twice.
//!
//! Supervision has no verification nor draft conclusion (it ends in a notice of its result);
//! a denunciation or complaint has no announcement. Steps other than the decision and the
//! conclusion may be skipped (the rules let a small case go without them); none may be taken
//! after a later one.

use super::kind::CaseKind;
use crate::FieldError;
use crate::dated::{After, check_dated};
use crate::life::event::coded_enum;
use serde::{Deserialize, Serialize};
use time::Date;

coded_enum! {
    /// A step of a case.
    Step {
        /// The decision (*quyết định kiểm tra/giám sát*, or *thụ lý* of a petition).
        Decision = "decision", "Quyết định", "Decision";
        /// Announced to the inspected (*công bố quyết định*).
        Announcement = "announcement", "Công bố quyết định", "Announcement";
        /// The inspected's report (*báo cáo giải trình của đối tượng*).
        Report = "report", "Đối tượng báo cáo, giải trình", "Report of the inspected";
        /// Verification (*thẩm tra, xác minh*).
        Verification = "verification", "Thẩm tra, xác minh", "Verification";
        /// The draft conclusion, heard by the inspected (*dự thảo báo cáo kết quả*).
        DraftConclusion = "draft_conclusion", "Dự thảo kết luận", "Draft conclusion";
        /// The conclusion (*kết luận / thông báo kết quả giám sát*).
        Conclusion = "conclusion", "Kết luận", "Conclusion";
    }
}

/// The steps of a kind, in order.
pub fn steps_of(kind: CaseKind) -> &'static [Step] {
    use Step::*;
    if kind.is_supervision() {
        &[Decision, Announcement, Report, Conclusion]
    } else if kind.is_petition() {
        &[Decision, Report, Verification, DraftConclusion, Conclusion]
    } else {
        Step::ALL
    }
}

/// A step already recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Taken {
    pub step: Step,
    pub on: Date,
}

/// Whether `step` on `on` may follow the steps `taken` (in any order) of a case of `kind`,
/// working date `today`. Fields `step` and `on`; a step taken already is the code `taken`
/// (the access layer answers it as a conflict).
pub fn check_step(kind: CaseKind, taken: &[Taken], step: Step, on: Date, today: Date) -> Result<(), FieldError> {
    let order = steps_of(kind);
    let Some(at) = order.iter().position(|s| *s == step) else {
        return Err(FieldError::new(
            "step",
            "step_not_in_kind",
            format!("Bước «{}» không có trong loại «{}».", step.label(crate::Lang::Vi), kind.label(crate::Lang::Vi)),
            format!("Step «{}» is not part of «{}».", step.label(crate::Lang::En), kind.label(crate::Lang::En)),
        ));
    };
    if taken.iter().any(|t| t.step == step) {
        return Err(FieldError::new(
            "step",
            "taken",
            format!("Bước «{}» đã được ghi nhận.", step.label(crate::Lang::Vi)),
            format!("Step «{}» is already recorded.", step.label(crate::Lang::En)),
        ));
    }
    if step != Step::Decision && !taken.iter().any(|t| t.step == Step::Decision) {
        return Err(FieldError::new(
            "step",
            "no_decision",
            "Chưa có quyết định: ghi quyết định trước.",
            "No decision yet: record the decision first.",
        ));
    }
    let pos = |s: Step| order.iter().position(|x| *x == s).unwrap_or(0);
    if let Some(later) = taken.iter().filter(|t| pos(t.step) > at).min_by_key(|t| pos(t.step)) {
        return Err(FieldError::new(
            "step",
            "out_of_order",
            format!(
                "Bước «{}» phải trước bước «{}» đã ghi.",
                step.label(crate::Lang::Vi),
                later.step.label(crate::Lang::Vi)
            ),
            format!(
                "Step «{}» must come before the recorded «{}».",
                step.label(crate::Lang::En),
                later.step.label(crate::Lang::En)
            ),
        ));
    }
    let prev = taken.iter().filter(|t| pos(t.step) < at).max_by_key(|t| (pos(t.step), t.on)).map(|prev| {
        After::new(
            prev.on,
            "before_previous",
            format!("ngày của bước «{}»", prev.step.label(crate::Lang::Vi)),
            format!("the step «{}»", prev.step.label(crate::Lang::En)),
        )
    });
    check_dated("on", ("Ngày", "Date"), on, today, prev.as_ref())
}

/// The next step not yet taken (after the last taken), or `None` when concluded.
pub fn next_step(kind: CaseKind, taken: &[Taken]) -> Option<Step> {
    let order = steps_of(kind);
    let last = taken.iter().filter_map(|t| order.iter().position(|s| *s == t.step)).max();
    match last {
        None => order.first().copied(),
        Some(i) => order.get(i + 1).copied(),
    }
}

/// The deadline of each step of a case decided on `decided_on` with `due_on` for its
/// conclusion: the decision on its day, the others spread evenly up to the due date (chibo's
/// default plan, changed by nothing yet; the rules fix only the whole case's duration).
pub fn deadlines(kind: CaseKind, decided_on: Date, due_on: Date) -> Vec<(Step, Date)> {
    let order = steps_of(kind);
    let span = (due_on - decided_on).whole_days().max(0);
    let last = (order.len() as i64 - 1).max(1);
    order
        .iter()
        .enumerate()
        .map(|(i, s)| (*s, decided_on.saturating_add(time::Duration::days(span * i as i64 / last))))
        .collect()
}

/// A step past its deadline on `today`: not taken, and its deadline before today.
pub fn overdue(deadline: Option<Date>, taken_on: Option<Date>, today: Date) -> bool {
    taken_on.is_none() && deadline.is_some_and(|d| d < today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn t(step: Step, on: Date) -> Taken {
        Taken { step, on }
    }

    const TODAY: Date = date!(2026 - 12 - 04);

    #[test]
    fn steps_follow_in_order_with_dates() {
        let k = CaseKind::InspectMemberSigns;
        let mut taken = vec![];
        assert_eq!(
            check_step(k, &taken, Step::Announcement, date!(2026 - 03 - 01), TODAY).unwrap_err().code,
            "no_decision"
        );
        check_step(k, &taken, Step::Decision, date!(2026 - 03 - 01), TODAY).unwrap();
        taken.push(t(Step::Decision, date!(2026 - 03 - 01)));
        let e = check_step(k, &taken, Step::Announcement, date!(2026 - 02 - 28), TODAY).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("on", "before_previous"));
        assert!(e.message_vi.contains("01/03/2026"));
        check_step(k, &taken, Step::Announcement, date!(2026 - 03 - 05), TODAY).unwrap();
        taken.push(t(Step::Announcement, date!(2026 - 03 - 05)));
        assert_eq!(check_step(k, &taken, Step::Announcement, date!(2026 - 03 - 06), TODAY).unwrap_err().code, "taken");
        // Verification may skip the report; afterwards the report is out of order.
        taken.push(t(Step::Verification, date!(2026 - 03 - 20)));
        assert_eq!(check_step(k, &taken, Step::Report, date!(2026 - 03 - 21), TODAY).unwrap_err().code, "out_of_order");
        assert_eq!(next_step(k, &taken), Some(Step::DraftConclusion));
        assert_eq!(
            check_step(k, &taken, Step::Conclusion, date!(2026 - 12 - 05), TODAY).unwrap_err().code,
            "in_future"
        );
        taken.push(t(Step::Conclusion, date!(2026 - 04 - 01)));
        assert_eq!(next_step(k, &taken), None);
    }

    #[test]
    fn deadlines_spread_up_to_the_due_date() {
        let d = deadlines(CaseKind::SuperviseRegular, date!(2026 - 03 - 01), date!(2026 - 03 - 31));
        assert_eq!(
            d,
            vec![
                (Step::Decision, date!(2026 - 03 - 01)),
                (Step::Announcement, date!(2026 - 03 - 11)),
                (Step::Report, date!(2026 - 03 - 21)),
                (Step::Conclusion, date!(2026 - 03 - 31)),
            ]
        );
    }

    #[test]
    fn supervision_and_petitions_have_their_own_steps() {
        let e = check_step(CaseKind::SuperviseRegular, &[], Step::Verification, TODAY, TODAY).unwrap_err();
        assert_eq!(e.code, "step_not_in_kind");
        assert!(!steps_of(CaseKind::Denunciation).contains(&Step::Announcement));
        assert_eq!(steps_of(CaseKind::InspectFinance).len(), 6);
        assert!(overdue(Some(date!(2026 - 12 - 03)), None, TODAY));
        assert!(!overdue(Some(date!(2026 - 12 - 03)), Some(date!(2026 - 12 - 04)), TODAY));
        assert!(!overdue(Some(TODAY), None, TODAY));
    }
}
