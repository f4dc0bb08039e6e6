//! Competence to discipline (*thẩm quyền thi hành kỷ luật*, Charter art. 36–38; 69-QĐ/TW,
//! 296-QĐ/TW): which body may decide which form on whom.
//!
//! Assumption to confirm: the table below is chibo's reading, simplified where chibo records
//! nothing to decide on (the posts a member holds and which level manages them): a cell decides
//! a reprimand or a warning of its own members; a base committee, also removal; expulsion and
//! the discipline of organisations belong to a committee above the base (a commune's committee
//! counts as one since the 2025 reform), each inspection committee deciding the forms short of
//! expulsion and dissolution for its level.

use super::penalty::Penalty;
use crate::FieldError;
use crate::org::OrgKind;
use crate::rules::{Versioned, in_force};
use time::Date;
use time::macros::date;

/// The body deciding a discipline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// A cell (*chi bộ*) on its own members.
    Cell,
    /// A base committee or base cell (*đảng ủy cơ sở, chi bộ cơ sở*).
    BaseCommittee,
    /// The inspection committee of a base committee (*ủy ban kiểm tra đảng ủy cơ sở*).
    BaseInspection,
    /// A committee above the base (*cấp ủy cấp trên cơ sở*) or its standing committee.
    UpperCommittee,
    /// Its inspection committee.
    UpperInspection,
}

/// The forms each body may decide, for members and for organisations below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Competence {
    pub members: [(Body, &'static [Penalty]); 5],
    pub orgs: [(Body, &'static [Penalty]); 2],
    /// Whether a commune's committee decides as a committee above the base.
    pub commune_is_upper: bool,
}

use Penalty::*;

/// The forms each body decides on members (unchanged by the 2025 reform, which moved the commune).
const MEMBER_FORMS: [(Body, &[Penalty]); 5] = [
    (Body::Cell, &[Reprimand, Warning]),
    (Body::BaseCommittee, &[Reprimand, Warning, Removal]),
    (Body::BaseInspection, &[Reprimand, Warning]),
    (Body::UpperCommittee, &[Reprimand, Warning, Removal, Expulsion]),
    (Body::UpperInspection, &[Reprimand, Warning, Removal]),
];

/// The forms each body decides on organisations below it.
const ORG_FORMS: [(Body, &[Penalty]); 2] =
    [(Body::UpperCommittee, &[Reprimand, Warning, Dissolution]), (Body::UpperInspection, &[Reprimand, Warning])];

pub static COMPETENCE: &[Versioned<Competence>] = &[
    Versioned {
        effective: date!(2022 - 07 - 06),
        source: "Điều lệ Đảng, Điều 36–38; Quy định 69-QĐ/TW (06/07/2022) (giả định cần xác nhận)",
        value: Competence { members: MEMBER_FORMS, orgs: ORG_FORMS, commune_is_upper: false },
    },
    Versioned {
        effective: date!(2025 - 07 - 01),
        source: "Điều lệ Đảng, Điều 36–38; Quy định 69-QĐ/TW, 296-QĐ/TW (30/05/2025); tổ chức đảng xã, phường từ 01/07/2025 (giả định cần xác nhận)",
        value: Competence { members: MEMBER_FORMS, orgs: ORG_FORMS, commune_is_upper: true },
    },
];

/// The body an organisation of `kind` is when it decides, as its committee or (`inspection`)
/// its inspection committee, on `on`. A cell has no inspection committee.
pub fn body_of(kind: OrgKind, inspection: bool, on: Date) -> Option<Body> {
    let rule = in_force(COMPETENCE, on).or(COMPETENCE.first())?;
    let upper = |i: bool| if i { Body::UpperInspection } else { Body::UpperCommittee };
    match kind {
        OrgKind::SubordinateCell | OrgKind::PartyGroup => (!inspection).then_some(Body::Cell),
        OrgKind::BaseCell => Some(if inspection { Body::BaseInspection } else { Body::BaseCommittee }),
        OrgKind::PartialCommittee => Some(if inspection { Body::BaseInspection } else { Body::BaseCommittee }),
        OrgKind::BaseCommittee => Some(if inspection { Body::BaseInspection } else { Body::BaseCommittee }),
        OrgKind::Commune if rule.value.commune_is_upper => Some(upper(inspection)),
        OrgKind::Commune => Some(if inspection { Body::BaseInspection } else { Body::BaseCommittee }),
        OrgKind::Central | OrgKind::Provincial | OrgKind::District => Some(upper(inspection)),
    }
}

/// Whether `body` may decide `form` on an organisation (`org`) or a member, on `on`. Field
/// `form`, naming the forms it may decide and the source.
pub fn check(body: Body, org: bool, form: Penalty, on: Date) -> Result<(), FieldError> {
    let Some(rule) = in_force(COMPETENCE, on).or(COMPETENCE.first()) else { return Ok(()) };
    let allowed: &[Penalty] = if org {
        rule.value.orgs.iter().find(|(b, _)| *b == body).map(|(_, f)| *f).unwrap_or(&[])
    } else {
        rule.value.members.iter().find(|(b, _)| *b == body).map(|(_, f)| *f).unwrap_or(&[])
    };
    if allowed.contains(&form) {
        return Ok(());
    }
    let list = |lang| {
        if allowed.is_empty() {
            lang_pick(lang, "không hình thức nào", "none").to_string()
        } else {
            allowed.iter().map(|p| p.label(lang)).collect::<Vec<_>>().join(", ")
        }
    };
    Err(FieldError::new(
        "form",
        "not_competent",
        format!(
            "Hình thức kỷ luật: cấp này không có thẩm quyền quyết định «{}» (được quyết định: {}). Căn cứ: {}.",
            form.label(crate::Lang::Vi),
            list(crate::Lang::Vi),
            rule.source
        ),
        format!(
            "Discipline form: this body may not decide «{}» (it may decide: {}). Source: {}.",
            form.label(crate::Lang::En),
            list(crate::Lang::En),
            rule.source
        ),
    ))
}

fn lang_pick(lang: crate::Lang, vi: &'static str, en: &'static str) -> &'static str {
    lang.pick(vi, en)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ON: Date = date!(2026 - 03 - 01);

    #[test]
    fn a_cell_reprimands_and_warns_its_members() {
        let cell = body_of(OrgKind::SubordinateCell, false, ON).unwrap();
        assert_eq!(cell, Body::Cell);
        check(cell, false, Warning, ON).unwrap();
        let e = check(cell, false, Expulsion, ON).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("form", "not_competent"));
        assert!(e.message_vi.contains("Khiển trách, Cảnh cáo"), "{}", e.message_vi);
        assert!(body_of(OrgKind::SubordinateCell, true, ON).is_none());
        assert!(check(cell, true, Reprimand, ON).is_err());
    }

    #[test]
    fn expulsion_and_organisations_belong_above_the_base() {
        let base = body_of(OrgKind::BaseCommittee, false, ON).unwrap();
        check(base, false, Removal, ON).unwrap();
        assert!(check(base, false, Expulsion, ON).is_err());
        // A commune is an upper committee from 01/07/2025, a base committee before.
        assert_eq!(body_of(OrgKind::Commune, false, ON), Some(Body::UpperCommittee));
        assert_eq!(body_of(OrgKind::Commune, false, date!(2025 - 06 - 30)), Some(Body::BaseCommittee));
        let province_ic = body_of(OrgKind::Provincial, true, ON).unwrap();
        check(province_ic, true, Warning, ON).unwrap();
        assert!(check(province_ic, true, Dissolution, ON).is_err());
        assert!(check(province_ic, false, Expulsion, ON).is_err());
        check(Body::UpperCommittee, false, Expulsion, ON).unwrap();
        check(Body::UpperCommittee, true, Dissolution, ON).unwrap();
    }
}
