//! The number of a conclusion's notice (*thông báo kết luận*): `Số 12-TB/UBKT`. Numbered from 1
//! in each year for each issuing body; the symbol after `TB/` names the body. **Assumption to
//! confirm** (the abbreviations in use, believed to follow the Central Office's guidance on the
//! form of Party documents, 36-HD/VPTW of 03/04/2018; not in RULES.md): the inspection committee
//! `UBKT`, the Central Committee `TW`, a province's committee `TU`, a district's `HU`, a
//! commune's, base or partial committee `ĐU`, a cell `CB`.

use crate::org::OrgKind;

/// The symbol of the body issuing a notice: its organisation's kind (unknown: `None`) and
/// whether its inspection committee issues it.
pub fn body_symbol(kind: Option<OrgKind>, by_inspection: bool) -> Option<&'static str> {
    if by_inspection {
        return Some("UBKT");
    }
    Some(match kind? {
        OrgKind::Central => "TW",
        OrgKind::Provincial => "TU",
        OrgKind::District => "HU",
        OrgKind::Commune | OrgKind::BaseCommittee | OrgKind::PartialCommittee => "ĐU",
        OrgKind::BaseCell | OrgKind::SubordinateCell | OrgKind::PartyGroup => "CB",
    })
}

/// `Số 12-TB/UBKT` (`Số 12-TB` when the body is unknown).
pub fn notice_number(n: i64, kind: Option<OrgKind>, by_inspection: bool) -> String {
    match body_symbol(kind, by_inspection) {
        Some(s) => format!("Số {n}-TB/{s}"),
        None => format!("Số {n}-TB"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_number_names_the_issuing_body() {
        assert_eq!(notice_number(12, Some(OrgKind::Commune), true), "Số 12-TB/UBKT");
        assert_eq!(notice_number(3, Some(OrgKind::Commune), false), "Số 3-TB/ĐU");
        assert_eq!(notice_number(1, Some(OrgKind::SubordinateCell), false), "Số 1-TB/CB");
        assert_eq!(notice_number(7, Some(OrgKind::Provincial), false), "Số 7-TB/TU");
        assert_eq!(notice_number(2, None, false), "Số 2-TB");
    }
}
