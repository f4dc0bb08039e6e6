//! Fixtures shared by the tests of every crate (a dev-dependency only): the inputs of an
//! organisation and of a member record, complete and valid, for a test to change what its
//! story is about with struct update syntax (`MemberInput { gender: Gender::Male,
//! ..member("Lò", "Văn", "Páo", cell) }`). A field added to a record is added here once, not
//! in every test file.
//!
//! The working date tests run on is `chibo_store::testing::TODAY` (every test application's
//! clock is pinned to it).

use chibo_domain::member::{Gender, MemberInput, MemberProfile, MemberStatus, TheoryLevel};
use chibo_domain::org::{Locality, OrgInput, OrgKind};
use time::macros::date;
use uuid::Uuid;

/// An organisation of `kind` named `name`, in province 1, with no dates.
pub fn org(name: &str, kind: OrgKind) -> OrgInput {
    OrgInput {
        name: name.into(),
        short_name: None,
        kind,
        locality: Locality { province_code: Some(1), commune_code: None, village: None },
        established_on: None,
        dissolved_on: None,
        has_cell_committee: false,
    }
}

/// An official member of cell `cell`: born 20/05/1980, Kinh, female when the middle name is
/// "Thị", admitted 01/06/2015 and official a year later, every optional field empty.
pub fn member(family: &str, middle: &str, given: &str, cell: Uuid) -> MemberInput {
    MemberInput {
        family_name: family.into(),
        middle_name: middle.into(),
        given_name: given.into(),
        birth_date: date!(1980 - 05 - 20),
        gender: if middle == "Thị" { Gender::Female } else { Gender::Male },
        ethnicity_code: 1,
        profile: MemberProfile::default(),
        theory_level: TheoryLevel::None,
        admission_date: date!(2015 - 06 - 01),
        official_date: Some(date!(2016 - 06 - 01)),
        status: MemberStatus::Official,
        age_exception_approved: false,
        org_id: cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fixtures_are_valid() {
        let mut m = member("Nguyễn", "Thị", "Lan", Uuid::now_v7());
        m.normalize();
        assert!(m.validate(date!(2026 - 12 - 04)).errors.is_empty(), "{:?}", m.validate(date!(2026 - 12 - 04)));
        assert_eq!(m.gender, Gender::Female);
        assert!(org("Chi bộ Thôn 1", OrgKind::SubordinateCell).validate(Some(OrgKind::Commune)).errors.is_empty());
    }
}
