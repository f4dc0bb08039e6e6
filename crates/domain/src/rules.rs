//! Rules that change over time, each with its source document and the date it takes effect.
//!
//! A computation about a date asks for the rule in force on that date
//! ([`in_force`]); a date before the first known version gets `None`, and callers must then
//! not enforce a rule they cannot source.

use time::Date;
use time::macros::date;

/// One version of a rule: in force from `effective` until the next version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Versioned<T: 'static> {
    pub effective: Date,
    /// The source document, as cited (e.g. "Quy định 24-QĐ/TW (30/07/2021)").
    pub source: &'static str,
    pub value: T,
}

/// The version in force on `on`, from a list sorted by `effective`.
pub fn in_force<T>(versions: &'static [Versioned<T>], on: Date) -> Option<&'static Versioned<T>> {
    versions.iter().rev().find(|v| v.effective <= on)
}

/// Admission age limits (*tuổi đời khi kết nạp*), counted by calendar month at the time
/// the cell considers the case. Older applicants need a decision of a committee directly
/// under the Centre (recorded as an approved exception).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdmissionAge {
    pub min_years: i32,
    pub max_years: i32,
}

pub static ADMISSION_AGE: &[Versioned<AdmissionAge>] = &[
    Versioned {
        effective: date!(2011 - 11 - 01),
        source: "Quy định 45-QĐ/TW (01/11/2011), điểm 1.1",
        value: AdmissionAge { min_years: 18, max_years: 60 },
    },
    Versioned {
        effective: date!(2021 - 07 - 30),
        source: "Quy định 24-QĐ/TW (30/07/2021), điểm 1.1",
        value: AdmissionAge { min_years: 18, max_years: 60 },
    },
    Versioned {
        effective: date!(2025 - 07 - 01),
        source: "Quy định 294-QĐ/TW (26/05/2025)",
        value: AdmissionAge { min_years: 18, max_years: 60 },
    },
];

/// Probation (*thời gian dự bị*): official membership counts from the date that is this many
/// months after the admission, even when the recognition decision is signed later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probation {
    pub months: i32,
}

pub static PROBATION: &[Versioned<Probation>] = &[
    Versioned {
        effective: date!(2011 - 01 - 19),
        source: "Điều lệ Đảng (Đại hội XI, 19/01/2011), Điều 5",
        value: Probation { months: 12 },
    },
    Versioned {
        effective: date!(2025 - 07 - 01),
        source: "Điều lệ Đảng, Điều 5; Quy định 294-QĐ/TW (26/05/2025)",
        value: Probation { months: 12 },
    },
];

/// Thresholds of the organisation tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrgThresholds {
    /// Official members needed to form a base organisation or a cell.
    pub min_official_to_form: u32,
    /// A base organisation with at least this many members is a base committee
    /// (*đảng bộ cơ sở*); below it, a base cell (*chi bộ cơ sở*).
    pub base_committee_min_members: u32,
    /// A cell with at least this many official members elects a cell committee (*chi ủy*).
    pub cell_committee_min_official: u32,
}

pub static ORG_THRESHOLDS: &[Versioned<OrgThresholds>] = &[
    Versioned {
        effective: date!(2011 - 01 - 19),
        source: "Điều lệ Đảng (2011), Điều 21; Quy định 29-QĐ/TW (25/07/2016), điểm 24",
        value: OrgThresholds {
            min_official_to_form: 3,
            base_committee_min_members: 30,
            cell_committee_min_official: 9,
        },
    },
    Versioned {
        effective: date!(2025 - 07 - 01),
        source: "Quy định 294-QĐ/TW (26/05/2025)",
        value: OrgThresholds {
            min_official_to_form: 3,
            base_committee_min_members: 30,
            cell_committee_min_official: 9,
        },
    },
];

/// The shape of the administrative tree: from 1 Jul 2025 the district level is abolished
/// and communes sit directly under provinces.
pub static DISTRICT_LEVEL_EXISTS: &[Versioned<bool>] = &[
    Versioned {
        effective: date!(1945 - 09 - 02), source: "Hiến pháp; tổ chức hành chính 3 cấp", value: true
    },
    Versioned {
        effective: date!(2025 - 07 - 01),
        source: "Quy định 294-QĐ/TW (26/05/2025); Nghị quyết 202/2025/QH15",
        value: false,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted<T>(v: &[Versioned<T>]) -> bool {
        v.windows(2).all(|w| w[0].effective < w[1].effective)
    }

    #[test]
    fn every_rule_list_is_sorted_and_sourced() {
        assert!(sorted(ADMISSION_AGE));
        assert!(sorted(PROBATION));
        assert!(sorted(ORG_THRESHOLDS));
        assert!(sorted(DISTRICT_LEVEL_EXISTS));
        for s in ADMISSION_AGE.iter().map(|v| v.source).chain(PROBATION.iter().map(|v| v.source)) {
            assert!(!s.is_empty());
        }
    }

    #[test]
    fn picks_the_version_in_force() {
        assert!(in_force(ADMISSION_AGE, date!(2010 - 01 - 01)).is_none());
        assert!(in_force(ADMISSION_AGE, date!(2021 - 07 - 29)).unwrap().source.contains("45-QĐ/TW"));
        assert!(in_force(ADMISSION_AGE, date!(2021 - 07 - 30)).unwrap().source.contains("24-QĐ/TW"));
        assert!(in_force(ADMISSION_AGE, date!(2026 - 01 - 01)).unwrap().source.contains("294-QĐ/TW"));
        assert!(in_force(DISTRICT_LEVEL_EXISTS, date!(2025 - 06 - 30)).unwrap().value);
        assert!(!in_force(DISTRICT_LEVEL_EXISTS, date!(2025 - 07 - 01)).unwrap().value);
    }
}
