//! The rules of the review as dated data. A round is judged by the rules in force on its
//! closing date, the last day of its period ([`rules_for`]): a 2024 round by 124-QĐ/TW, a 2025
//! round by 366-QĐ/TW. A round closing before the first version gets no rule, and nothing is
//! enforced for it.

use super::level::{Level, RoundKind};
use crate::meeting::Share;
use crate::rules::{Versioned, in_force};
use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::date;

/// `num/den`, compared exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fraction {
    pub num: u32,
    pub den: u32,
}

impl Fraction {
    pub const fn new(num: u32, den: u32) -> Fraction {
        Fraction { num, den }
    }

    /// `part/whole ≥ num/den` (false when `whole` is 0).
    pub fn reached_by(self, part: u64, whole: u64) -> bool {
        Share::new(part, whole).exceeds(self.num, self.den, false)
    }

    /// `part/whole > num/den` (false when `whole` is 0).
    pub fn exceeded_by(self, part: u64, whole: u64) -> bool {
        Share::new(part, whole).exceeds(self.num, self.den, true)
    }

    /// The largest `n` with `n/of ≤ num/den` (0 when `den` is 0).
    pub fn floor_of(self, of: u64) -> u64 {
        if self.den == 0 { 0 } else { of * u64::from(self.num) / u64::from(self.den) }
    }

    /// In percent, for messages (`20`, `12.5`).
    pub fn percent_text(self) -> String {
        let tenths = u64::from(self.num) * 1000 / u64::from(self.den.max(1));
        if tenths % 10 == 0 { format!("{}", tenths / 10) } else { format!("{}.{}", tenths / 10, tenths % 10) }
    }
}

/// The 100-point scale of a member's self-assessment (*thang điểm 100*): the points of each
/// part of the sheet and the least score of each level, with the conditions beyond the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Scale {
    /// Points of the general criteria (*tiêu chí chung*).
    pub general: u32,
    /// Points of the task results (*kết quả thực hiện nhiệm vụ*).
    pub tasks: u32,
    /// Least score of *Hoàn thành xuất sắc nhiệm vụ*.
    pub excellent: u32,
    /// Least score of *Hoàn thành tốt nhiệm vụ*.
    pub good: u32,
    /// Least score of *Hoàn thành nhiệm vụ*; below it *Không hoàn thành nhiệm vụ*.
    pub completed: u32,
    /// Share of tasks done beyond what was asked that *xuất sắc* needs (at least).
    pub excellent_exceeded: Fraction,
}

/// Sick leave (*nghỉ ốm*) of at least `months` in the period: at most `ceiling`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SickLeave {
    pub months: u32,
    pub ceiling: Level,
}

/// The rules that judge a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReviewRules {
    /// The kinds of round allowed.
    pub kinds: &'static [RoundKind],
    /// The 100-point scale; `None`: the level is proposed and decided without points.
    pub scale: Option<Scale>,
    /// Members rated *xuất sắc* at most this share of those rated *tốt*, per base organisation
    /// (the default: a committee may configure another, or none).
    pub quota: Option<Fraction>,
    /// A member admitted less than this many months before the end of the period is not rated
    /// (still self-assesses).
    pub member_months: i32,
    /// An organisation established less than this many months before the end of the period is
    /// not rated.
    pub org_months: i32,
    /// Members exempt from work and activities (*miễn công tác và sinh hoạt đảng*) on the last
    /// day of the period are not rated.
    pub exempt_not_rated: bool,
    /// A member disciplined in the period is rated this (unless the recorded exception that
    /// they found and fixed the fault themselves).
    pub disciplined: Level,
    pub sick_leave: SickLeave,
    /// An organisation with more than this share of its sub-units disciplined in the period is
    /// *Không hoàn thành nhiệm vụ*.
    pub org_disciplined_over: Fraction,
    /// An organisation meeting less than this share of its targets is *Không hoàn thành nhiệm
    /// vụ*.
    pub org_targets_under: Fraction,
}

const BASE_124: ReviewRules = ReviewRules {
    kinds: &[RoundKind::Year],
    scale: None,
    quota: Some(Fraction::new(20, 100)),
    member_months: 6,
    org_months: 6,
    exempt_not_rated: true,
    disciplined: Level::NotCompleted,
    sick_leave: SickLeave { months: 3, ceiling: Level::Completed },
    org_disciplined_over: Fraction::new(20, 100),
    org_targets_under: Fraction::new(50, 100),
};

/// The rules by the date a round closes. The caps of 124-QĐ/TW and the quota, the members not
/// rated and the sick-leave cap of 21-HD/BTCTW are not confirmed under 366-QĐ/TW: they are
/// carried over (the quota configurable per committee).
pub static REVIEW_RULES: &[Versioned<ReviewRules>] = &[
    Versioned {
        effective: date!(2023 - 10 - 04),
        source: "Quy định 124-QĐ/TW (04/10/2023); Hướng dẫn 21-HD/BTCTW (2019): hạn mức xuất sắc, người chưa xếp loại, nghỉ ốm; Quy định 232 (miễn sinh hoạt)",
        value: BASE_124,
    },
    Versioned {
        effective: date!(2025 - 08 - 30),
        source: "Quy định 366-QĐ/TW (30/08/2025); Hướng dẫn 43-HD/BTCTW (31/10/2025): thang điểm 100, kỳ đánh giá; các mức trần và hạn mức theo 124-QĐ/TW và 21-HD/BTCTW",
        value: ReviewRules {
            kinds: &[RoundKind::Year, RoundKind::Quarter, RoundKind::Term, RoundKind::AdHoc],
            scale: Some(Scale {
                general: 30,
                tasks: 70,
                excellent: 90,
                good: 70,
                completed: 50,
                excellent_exceeded: Fraction::new(30, 100),
            }),
            ..BASE_124
        },
    },
];

/// The rules judging a round whose period ends on `last_day`.
pub fn rules_for(last_day: Date) -> Option<&'static Versioned<ReviewRules>> {
    in_force(REVIEW_RULES, last_day)
}

/// The national targets of the review (*chỉ tiêu*): more than `completed_over` of base
/// organisations and of members rated *hoàn thành nhiệm vụ* or better each year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Targets {
    pub completed_over: Fraction,
}

pub static REVIEW_TARGETS: &[Versioned<Targets>] = &[Versioned {
    effective: date!(2022 - 06 - 16),
    source: "Nghị quyết 21-NQ/TW (16/06/2022)",
    value: Targets { completed_over: Fraction::new(90, 100) },
}];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_round_is_judged_by_the_rules_of_its_closing_date() {
        assert!(REVIEW_RULES.windows(2).all(|w| w[0].effective < w[1].effective));
        assert!(rules_for(date!(2022 - 12 - 31)).is_none());
        let y2023 = rules_for(date!(2023 - 12 - 31)).map(|r| r.value);
        assert_eq!(y2023.map(|r| r.scale), Some(None));
        assert!(rules_for(date!(2024 - 12 - 31)).is_some_and(|r| r.source.contains("124-QĐ/TW")));
        // A quarter ending on 30/09/2025 is already under 366-QĐ/TW, with the 100-point scale.
        let q3 = rules_for(date!(2025 - 09 - 30)).map(|r| r.value);
        assert!(q3.is_some_and(|r| r.scale.is_some() && r.kinds.contains(&RoundKind::Quarter)));
        assert!(rules_for(date!(2025 - 06 - 30)).is_some_and(|r| !r.value.kinds.contains(&RoundKind::Quarter)));
    }

    #[test]
    fn fractions_compare_exactly() {
        let f = Fraction::new(20, 100);
        assert!(f.reached_by(1, 5) && !f.exceeded_by(1, 5) && f.exceeded_by(2, 9));
        assert_eq!(f.floor_of(24), 4);
        assert_eq!(Fraction::new(1, 8).percent_text(), "12.5");
        assert_eq!(f.percent_text(), "20");
        assert!(!f.reached_by(0, 0));
    }
}
