//! Cell meetings (*sinh hoạt chi bộ*, RULES.md §3): kinds and attendance marks, who should
//! attend, attendance and the vote base, the quality rating of a meeting on a configurable
//! scoring sheet, repeated absences, and the compliance figures every level reports.
//!
//! Pure: the store feeds snapshots and records; every dated rule comes from [`crate::rules`].

pub mod attendance;
pub mod compliance;
pub mod kind;
pub mod life_cycle;
pub mod period;
pub mod quality;
pub mod roll;
pub mod share;
pub mod sheet;
pub mod streak;
pub mod tally;

#[cfg(test)]
mod tests;

pub use attendance::{Counts, Line, VoteBase, check_marks, check_resolution, counts, vote_base};
pub use compliance::{CellRecord, Figures, MeetingRow, figures, figures_through};
pub use kind::{Mark, MeetingKind, MeetingStatus, Rating};
pub use life_cycle::{Recorded, Step, after_step, check_step, corrects_record};
pub use period::Period;
pub use quality::{Assessment, Facts, MinutesContent, Scored, assess, attendance_failures, duration, least_duration};
pub use roll::{Attachment, Roll, RollRow, roll, roll_row};
pub use share::Share;
pub use sheet::{Bands, Criterion, CriterionSpec, DEFAULT_SHEET, Measure, Sheet, SheetSpec, check_sheet};
pub use streak::{Absentee, Concern, Marked, absence_worklist, over_excused_run};
pub use tally::{CellTally, PeriodKey, Rollup, active_interval, attributed_on, attributed_to, cell_tally};
