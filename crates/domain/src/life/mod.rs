//! A member's life in the Party as dated events, replayed into state, spans of membership and
//! party-age gaps; and the dated ledger of counts that answers "how many, as of a date".

pub mod admission;
pub mod age;
pub mod badges;
pub mod builders;
pub mod candidate;
pub mod event;
pub mod probation;
pub mod record;
pub mod replay;
pub mod tally;

#[cfg(test)]
mod tests;

pub use age::{PartyAge, milestone_date, party_age, projected_milestone};
pub use badges::{DueBadge, admitted_on_or_before_for, award_dates_between, due_badges, next_award_date};
pub use candidate::{CandidateInput, CandidateState, IntroducerInput};
pub use event::{Decision, Detail, DisciplineForm, Event, EventKind, StrikeOffGround};
pub use probation::ProbationStatus;
pub use record::{RecordLife, settle_record, standing_changed};
pub use replay::{
    Effect, Gap, GapKind, History, Placement, Span, SpanKind, State, rejection, replay, state_before, state_on,
};
pub use tally::{Interval, Ledger, Link, Tally, ancestry, is_above_on, member_ledger, move_ledger, moves_kept_within};
