//! The integration tests of chibo-web, one binary: each module a page, a use case or a story.

mod api;
mod common;
mod edges;
mod ui;
