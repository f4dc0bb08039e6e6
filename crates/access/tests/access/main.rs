//! The integration tests of chibo-access, one binary: each module a page, a use case or a story.

mod admission;
mod audit;
mod common;
mod drilldown;
mod home;
mod import;
mod life;
mod login;
mod meetings;
mod member_grant;
mod races;
mod reports;
mod restructure;
mod review;
mod scope;
mod second_factor;
