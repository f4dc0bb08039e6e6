//! The integration tests of chibo-web, one binary: each module a page, a use case or a story.

mod api;
mod api_accounts;
mod api_admission;
mod api_audit;
mod api_life;
mod api_meetings;
mod common;
mod edges;
mod ui;
mod ui_import;
mod ui_reports;
