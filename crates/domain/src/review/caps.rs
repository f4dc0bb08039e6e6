//! Caps on the level (*mức trần*), from the record and the review's facts: a member disciplined
//! in the period is *không hoàn thành* unless the recorded exception that they found and fixed
//! the fault themselves (124-QĐ/TW); sick leave of three months or more in the period allows at
//! most *hoàn thành* (21-HD/BTCTW); an organisation with more than 20% of its sub-units
//! disciplined, or meeting less than half of its targets, is *không hoàn thành* (124-QĐ/TW).

use super::level::Level;
use super::rules::ReviewRules;
use crate::error::FieldError;
use crate::life::event::coded_enum;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// Why a level is capped.
    CapReason {
        Disciplined = "disciplined", "Bị kỷ luật trong kỳ đánh giá", "Disciplined in the period";
        SickLeave = "sick_leave", "Nghỉ ốm từ 3 tháng trở lên", "Sick leave of 3 months or more";
        SubUnitsDisciplined = "sub_units_disciplined", "Trên 20% tổ chức trực thuộc bị kỷ luật", "More than 20% of sub-units disciplined";
        TargetsMissed = "targets_missed", "Đạt dưới 50% chỉ tiêu", "Less than half of the targets met";
    }
}

/// The best level allowed, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cap {
    pub ceiling: Level,
    pub reason: CapReason,
}

/// What caps a member's level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberCapFacts {
    /// A discipline decided in the period (not voided).
    pub disciplined: bool,
    /// The recorded exception: the member found and fixed the fault themselves.
    pub self_corrected: bool,
    /// Whole months of sick leave in the period.
    pub sick_leave_months: u32,
}

/// What caps an organisation's level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgCapFacts {
    pub sub_units: u32,
    pub sub_units_disciplined: u32,
    /// Targets set for the period (*chỉ tiêu*), and how many were met; no targets, no cap.
    pub targets: u32,
    pub targets_met: u32,
}

pub fn member_caps(rules: &ReviewRules, f: &MemberCapFacts) -> Vec<Cap> {
    let mut caps = Vec::new();
    if f.disciplined && !f.self_corrected {
        caps.push(Cap { ceiling: rules.disciplined, reason: CapReason::Disciplined });
    }
    if f.sick_leave_months >= rules.sick_leave.months {
        caps.push(Cap { ceiling: rules.sick_leave.ceiling, reason: CapReason::SickLeave });
    }
    caps
}

pub fn org_caps(rules: &ReviewRules, f: &OrgCapFacts) -> Vec<Cap> {
    let mut caps = Vec::new();
    if rules.org_disciplined_over.exceeded_by(u64::from(f.sub_units_disciplined), u64::from(f.sub_units)) {
        caps.push(Cap { ceiling: Level::NotCompleted, reason: CapReason::SubUnitsDisciplined });
    }
    if f.targets > 0 && !rules.org_targets_under.reached_by(u64::from(f.targets_met), u64::from(f.targets)) {
        caps.push(Cap { ceiling: Level::NotCompleted, reason: CapReason::TargetsMissed });
    }
    caps
}

/// The best level the caps allow (`None`: no cap).
pub fn ceiling(caps: &[Cap]) -> Option<Level> {
    caps.iter().map(|c| c.ceiling).max()
}

/// Refuse a level better than a cap allows, naming the cap (field `field`).
pub fn check_level(field: &str, level: Level, caps: &[Cap]) -> Result<(), FieldError> {
    match caps.iter().filter(|c| level < c.ceiling).max_by_key(|c| c.ceiling) {
        None => Ok(()),
        Some(cap) => Err(FieldError::new(
            field,
            "level_over_cap",
            format!(
                "Mức xếp loại: {} nên cao nhất là \"{}\".",
                cap.reason.label(crate::Lang::Vi),
                cap.ceiling.label(crate::Lang::Vi)
            ),
            format!(
                "Level: {}, so at most \"{}\".",
                cap.reason.label(crate::Lang::En),
                cap.ceiling.label(crate::Lang::En)
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::rules::rules_for;
    use time::macros::date;

    fn rules() -> ReviewRules {
        rules_for(date!(2025 - 12 - 31)).map(|r| r.value).unwrap_or(crate::review::rules::REVIEW_RULES[0].value)
    }

    #[test]
    fn a_disciplined_member_is_not_completed_unless_self_corrected() {
        let r = rules();
        let caps = member_caps(&r, &MemberCapFacts { disciplined: true, ..Default::default() });
        assert_eq!(ceiling(&caps), Some(Level::NotCompleted));
        let err = check_level("level", Level::Completed, &caps).err();
        assert!(err.is_some_and(|e| e.code == "level_over_cap" && e.message_vi.contains("Bị kỷ luật")));
        assert!(check_level("level", Level::NotCompleted, &caps).is_ok());
        let fixed = MemberCapFacts { disciplined: true, self_corrected: true, ..Default::default() };
        assert!(member_caps(&r, &fixed).is_empty());
    }

    #[test]
    fn sick_leave_of_three_months_allows_at_most_completed() {
        let r = rules();
        assert!(member_caps(&r, &MemberCapFacts { sick_leave_months: 2, ..Default::default() }).is_empty());
        let caps = member_caps(&r, &MemberCapFacts { sick_leave_months: 3, ..Default::default() });
        assert_eq!(ceiling(&caps), Some(Level::Completed));
        assert!(check_level("level", Level::Good, &caps).is_err());
        assert!(check_level("level", Level::Completed, &caps).is_ok());
        // Both caps: the stricter one names itself.
        let both = member_caps(&r, &MemberCapFacts { disciplined: true, self_corrected: false, sick_leave_months: 4 });
        let err = check_level("level", Level::Completed, &both).err();
        assert!(err.is_some_and(|e| e.message_en.contains("Disciplined")));
    }

    #[test]
    fn organisations_over_a_fifth_disciplined_or_under_half_the_targets() {
        let r = rules();
        // 1 of 5 sub-units (20%) is not more than 20%; 2 of 9 (22%) is.
        let at = OrgCapFacts { sub_units: 5, sub_units_disciplined: 1, ..Default::default() };
        assert!(org_caps(&r, &at).is_empty());
        let over = OrgCapFacts { sub_units: 9, sub_units_disciplined: 2, ..Default::default() };
        assert_eq!(org_caps(&r, &over).first().map(|c| c.reason), Some(CapReason::SubUnitsDisciplined));
        // 5 of 10 targets is half: no cap; 4 of 10 is under half.
        let half = OrgCapFacts { targets: 10, targets_met: 5, ..Default::default() };
        assert!(org_caps(&r, &half).is_empty());
        let under = OrgCapFacts { targets: 10, targets_met: 4, ..Default::default() };
        assert_eq!(ceiling(&org_caps(&r, &under)), Some(Level::NotCompleted));
    }
}
