//! Inspection, supervision and discipline (*kiểm tra, giám sát, thi hành kỷ luật đảng*,
//! RULES.md §5 and §8; 296-QĐ/TW from 30/05/2025, 22-QĐ/TW before it; 69-QĐ/TW with its 2025
//! amendment): the kinds of case, their steps, the discipline forms and ballot, limitation
//! periods, competence, appeals and deadlines, and coverage.
//!
//! Pure: the access layer gathers the facts and asks these functions.

pub mod appeal;
pub mod competence;
pub mod coverage;
pub mod kind;
pub mod limitation;
pub mod notice;
pub mod penalty;
pub mod rules;
pub mod steps;

pub use crate::dated::{After, check_dated};
pub use appeal::{AppealOutcome, answering_body, appeal_deadline, check_filed, settle_by};
pub use competence::{Body, body_of};
pub use coverage::{Coverage, term_of, year_of};
pub use kind::{CaseKind, Finding, Mode, SubjectKind};
pub use limitation::{Expiry, expiry};
pub use notice::notice_number;
pub use penalty::{Ballot, Level, Penalty};
pub use rules::GraveKind;
pub use steps::{Step, Taken, check_step, next_step, steps_of};
