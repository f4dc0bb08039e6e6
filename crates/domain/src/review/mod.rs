//! The annual review (*đánh giá, xếp loại chất lượng*, RULES.md §4): the four levels for members
//! and organisations, the dated rules that judge a round (124-QĐ/TW, then 366-QĐ/TW with
//! 43-HD/BTCTW; the quota and caps of 21-HD/BTCTW), the 100-point member sheet, the score's
//! level with its conditions, who is not rated, the caps, the quota of *xuất sắc*, the
//! self-improvement plans and the figures.
//!
//! Pure: the access layer gathers the facts from the records and asks these functions.

pub mod caps;
pub mod classify;
pub mod figures;
pub mod level;
pub mod plan;
pub mod quota;
pub mod rated;
pub mod round;
pub mod rules;
pub mod sheet;
pub mod tree;

pub use caps::{Cap, CapReason, MemberCapFacts, OrgCapFacts, ceiling, check_level, member_caps, org_caps};
pub use classify::{Tasks, level_for};
pub use figures::{Outcome, Subject, Tally};
pub use level::{Level, ReviewStep, RoundKind, RoundStatus};
pub use plan::{ItemState, PlanProgress, item_state};
pub use quota::{QuotaCount, check_quota};
pub use rated::{NotRated, member_not_rated, org_not_rated};
pub use round::{RoundPlan, period_key};
pub use rules::{Fraction, REVIEW_RULES, REVIEW_TARGETS, ReviewRules, Scale, Targets, rules_for};
pub use sheet::{Line, MEMBER_SHEET, Part, Score, Sheet, sheet_for};
pub use tree::{base_of, decider_of, is_base, is_reviewed, may_open};
