//! The integration tests of chibo-store, one binary: each module a page, a use case or a story.

mod audit_chain;
mod schema;
mod store;
