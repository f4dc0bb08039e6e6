//! chibo store: the schema and the queries, the same for SQLite and PostgreSQL.
//!
//! Functions here are building blocks that take any [`db::Exec`] (a pooled connection or a
//! write transaction). They check nothing about who calls them: the `chibo-access` crate is
//! the only caller that front-ends use, and it checks rights and writes the audit log.

pub mod audit;
pub mod audit_chain;
pub mod awards;
mod beside;
mod bulk_add;
pub mod candidates;
pub mod change_counts;
pub mod change_days;
mod copy_rows;
pub mod db;
mod error;
pub mod events;
pub mod foreign_keys;
pub mod history;
mod insert_rows;
pub mod inspection;
pub mod inspection_figures;
pub mod inspection_owed;
mod interned;
pub mod ledger_check;
pub mod loads;
pub mod login_failures;
pub mod meeting_bulk;
pub mod meeting_figures;
pub mod meetings;
pub mod members;
pub mod org_changes;
pub mod org_counts;
pub mod orgs;
pub mod page;
pub mod report_list;
pub mod report_orgs;
pub mod reports;
pub mod review;
pub mod review_figures;
pub mod schema;
pub mod scratch;
pub mod structure_changes;
pub mod structure_counts;
pub mod testing;
pub mod totp;
pub mod users;
pub mod words;

pub use db::{Engine, Exec, Pools, Tx};
pub use error::StoreError;
pub use sqlx;
