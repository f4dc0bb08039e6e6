//! The dated rules of inspection, supervision and discipline (RULES.md §5, §8). Values marked
//! *assumption to confirm* are chibo's reading of the regulations where no source quoted in
//! RULES.md states the number: they are kept here, one place, to be corrected.

use crate::rules::Versioned;
use time::macros::date;

/// Limitation periods (*thời hiệu xử lý kỷ luật*): from the violation to the competent body's
/// conclusion that it warrants discipline. A new violation within the period restarts the clock
/// of the earlier one from the new violation. No limitation for the expulsion (dissolution)
/// level nor for the grave kinds of [`GraveKind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limitation {
    /// Years for a violation at reprimand level.
    pub reprimand_years: i32,
    /// Years for a violation at warning or removal level.
    pub warning_years: i32,
    /// The grave kinds with no limitation.
    pub no_limit: &'static [GraveKind],
}

/// Violations the rules exempt from limitation whatever their level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GraveKind {
    /// *Vi phạm về chính trị nội bộ.*
    InternalPolitics,
    /// *Vi phạm về quốc phòng, an ninh, đối ngoại xâm hại đến lợi ích quốc gia.*
    DefenceSecurityForeign,
    /// *Sử dụng văn bằng, chứng chỉ, chứng nhận không hợp pháp.*
    IllegalDiplomas,
}

impl GraveKind {
    pub const ALL: [GraveKind; 3] =
        [GraveKind::InternalPolitics, GraveKind::DefenceSecurityForeign, GraveKind::IllegalDiplomas];

    pub fn code(self) -> &'static str {
        match self {
            GraveKind::InternalPolitics => "internal_politics",
            GraveKind::DefenceSecurityForeign => "defence_security_foreign",
            GraveKind::IllegalDiplomas => "illegal_diplomas",
        }
    }

    pub fn parse(s: &str) -> Option<GraveKind> {
        GraveKind::ALL.into_iter().find(|g| g.code() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            GraveKind::InternalPolitics => "vi phạm về chính trị nội bộ",
            GraveKind::DefenceSecurityForeign => "vi phạm về quốc phòng, an ninh, đối ngoại xâm hại lợi ích quốc gia",
            GraveKind::IllegalDiplomas => "sử dụng văn bằng, chứng chỉ không hợp pháp",
        }
    }
}

/// The 5 and 10 years are quoted in RULES.md §5 (H/M). The list of grave kinds under 102-QĐ/TW
/// without diplomas, and with them from 69-QĐ/TW, is an assumption to confirm.
pub static LIMITATION: &[Versioned<Limitation>] = &[
    Versioned {
        effective: date!(2017 - 11 - 15),
        source: "Quy định 102-QĐ/TW (15/11/2017), Điều 3",
        value: Limitation {
            reprimand_years: 5,
            warning_years: 10,
            no_limit: &[GraveKind::InternalPolitics, GraveKind::DefenceSecurityForeign],
        },
    },
    Versioned {
        effective: date!(2022 - 07 - 06),
        source: "Quy định 69-QĐ/TW (06/07/2022), Điều 5; 296-QĐ/TW (30/05/2025)",
        value: Limitation { reprimand_years: 5, warning_years: 10, no_limit: &GraveKind::ALL },
    },
];

/// Deadlines (in days from receipt) to settle a denunciation or a complaint about discipline,
/// and to appeal a discipline decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    /// Months from receiving the decision within which the disciplined may appeal
    /// (*trong thời hạn 1 tháng*, Charter art. 37).
    pub appeal_months: i32,
    /// Days to settle at the central level, at a provincial committee, and below.
    pub central_days: i64,
    pub provincial_days: i64,
    pub other_days: i64,
}

/// Assumption to confirm: the 90/60/30 days of 22-QĐ/TW carried into 296-QĐ/TW, counted in
/// calendar days from receipt (the regulations allow an extension, not modelled).
pub static DEADLINES: &[Versioned<Deadlines>] = &[
    Versioned {
        effective: date!(2021 - 07 - 28),
        source: "Điều lệ Đảng, Điều 37; Quy định 22-QĐ/TW (28/07/2021)",
        value: Deadlines { appeal_months: 1, central_days: 90, provincial_days: 60, other_days: 30 },
    },
    Versioned {
        effective: date!(2025 - 05 - 30),
        source: "Điều lệ Đảng, Điều 37; Quy định 296-QĐ/TW (30/05/2025)",
        value: Deadlines { appeal_months: 1, central_days: 90, provincial_days: 60, other_days: 30 },
    },
];

/// The coverage target (*100% tổ chức đảng cấp dưới được kiểm tra, giám sát trong nhiệm kỳ*)
/// and the congress terms it is measured over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoverageTarget {
    /// Percent of subordinate organisations to inspect or supervise within a term.
    pub term_percent: u32,
    /// Months of a term (5 years).
    pub term_months: i32,
    /// Assumption to confirm: terms of the base and commune level begin on 1 July of a year
    /// of this remainder modulo 5 (2020, 2025, 2030): each organisation's congress sets its own
    /// dates, which chibo does not record yet.
    pub term_start_year_mod5: i32,
}

pub static COVERAGE_TARGET: &[Versioned<CoverageTarget>] = &[Versioned {
    effective: date!(2021 - 07 - 28),
    source: "RULES.md §8: nghị quyết của một cơ quan trung ương (2022); Quy định 22-QĐ/TW (2021) → 296-QĐ/TW (30/05/2025)",
    value: CoverageTarget { term_percent: 100, term_months: 60, term_start_year_mod5: 0 },
}];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::in_force;

    #[test]
    fn rules_are_sorted_and_sourced() {
        for w in LIMITATION.windows(2) {
            assert!(w[0].effective < w[1].effective);
        }
        assert!(in_force(LIMITATION, date!(2017 - 11 - 14)).is_none());
        let old = in_force(LIMITATION, date!(2020 - 01 - 01)).unwrap();
        assert!(!old.value.no_limit.contains(&GraveKind::IllegalDiplomas));
        assert!(in_force(DEADLINES, date!(2026 - 01 - 01)).unwrap().source.contains("296"));
        assert_eq!(GraveKind::parse("illegal_diplomas"), Some(GraveKind::IllegalDiplomas));
        assert!(in_force(COVERAGE_TARGET, date!(2026 - 01 - 01)).is_some());
    }
}
