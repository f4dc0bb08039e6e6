//! chibo domain: the pure types and rules of grassroots Party organisation work.
//!
//! No IO, no async. Every rule that changes over time lives in [`rules`] with its source
//! document and the date it takes effect; callers ask for the rule in force on a date.

pub mod access;
pub mod admin_units;
pub mod candidate_sheet;
pub mod collation;
pub mod date;
pub mod dated;
pub mod error;
pub mod ethnicity;
pub mod i18n;
pub mod inspection;
pub mod life;
pub mod meeting;
pub mod member;
pub mod org;
pub mod org_sheet;
pub mod path;
pub mod profile;
pub mod registry_sheet;
pub mod report;
pub mod review;
pub mod rules;
pub mod scoring;
pub mod sheet_row;
pub mod text;
pub mod workdays;

pub use error::{FieldError, Problem, Validation};
pub use i18n::Lang;
