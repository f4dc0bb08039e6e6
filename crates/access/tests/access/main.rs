//! The integration tests of chibo-access, one binary: each module a page, a use case or a story.

mod admission;
mod audit;
mod common;
mod drilldown;
mod home;
mod import;
mod import_candidates;
mod import_orgs;
mod inspection;
mod inspection_orgs;
mod inspection_programmes;
mod kept_changes;
mod kept_structure;
mod life;
mod login;
mod meetings;
mod member_grant;
mod races;
mod report_list;
mod report_orgs;
mod reports;
mod restructure;
mod review;
mod scope;
mod second_factor;
