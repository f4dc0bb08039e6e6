//! Party organisations (*tổ chức đảng*) and which kind may sit under which.

use crate::error::{FieldError, Validation};
use serde::{Deserialize, Serialize};
use time::Date;

/// The kind of a party organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// The central level (*Trung ương*), optional root of an installation.
    Central,
    /// Provincial or municipal committee (*đảng bộ tỉnh/thành phố*).
    Provincial,
    /// District committee (*đảng bộ huyện/quận/thị xã*): existed until 30 Jun 2025.
    District,
    /// Commune, ward or special-zone committee (*đảng bộ xã/phường/đặc khu*).
    Commune,
    /// Base committee (*đảng bộ cơ sở*), e.g. of an agency or an enterprise.
    BaseCommittee,
    /// Partial committee (*đảng bộ bộ phận*) inside a base committee.
    PartialCommittee,
    /// Base cell (*chi bộ cơ sở*): a base organisation with fewer than 30 members.
    BaseCell,
    /// Subordinate cell (*chi bộ trực thuộc*), e.g. a village cell (*chi bộ thôn*).
    SubordinateCell,
    /// Party group (*tổ đảng*) inside a cell.
    PartyGroup,
}

impl OrgKind {
    pub const ALL: [OrgKind; 9] = [
        OrgKind::Central,
        OrgKind::Provincial,
        OrgKind::District,
        OrgKind::Commune,
        OrgKind::BaseCommittee,
        OrgKind::PartialCommittee,
        OrgKind::BaseCell,
        OrgKind::SubordinateCell,
        OrgKind::PartyGroup,
    ];

    /// The code stored in the database and used by the API.
    pub fn code(self) -> &'static str {
        match self {
            OrgKind::Central => "central",
            OrgKind::Provincial => "provincial",
            OrgKind::District => "district",
            OrgKind::Commune => "commune",
            OrgKind::BaseCommittee => "base_committee",
            OrgKind::PartialCommittee => "partial_committee",
            OrgKind::BaseCell => "base_cell",
            OrgKind::SubordinateCell => "subordinate_cell",
            OrgKind::PartyGroup => "party_group",
        }
    }

    pub fn parse(code: &str) -> Option<OrgKind> {
        OrgKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            OrgKind::Central => "Trung ương",
            OrgKind::Provincial => "Đảng bộ tỉnh/thành phố",
            OrgKind::District => "Đảng bộ huyện/quận",
            OrgKind::Commune => "Đảng bộ xã/phường/đặc khu",
            OrgKind::BaseCommittee => "Đảng bộ cơ sở",
            OrgKind::PartialCommittee => "Đảng bộ bộ phận",
            OrgKind::BaseCell => "Chi bộ cơ sở",
            OrgKind::SubordinateCell => "Chi bộ trực thuộc",
            OrgKind::PartyGroup => "Tổ đảng",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            OrgKind::Central => "Central level",
            OrgKind::Provincial => "Provincial committee",
            OrgKind::District => "District committee",
            OrgKind::Commune => "Commune/ward committee",
            OrgKind::BaseCommittee => "Base committee",
            OrgKind::PartialCommittee => "Partial committee",
            OrgKind::BaseCell => "Base cell",
            OrgKind::SubordinateCell => "Subordinate cell",
            OrgKind::PartyGroup => "Party group",
        }
    }

    pub fn label(self, lang: crate::Lang) -> &'static str {
        lang.pick(self.label_vi(), self.label_en())
    }

    /// A cell (*chi bộ*): the organisation where members hold their membership.
    pub fn is_cell(self) -> bool {
        matches!(self, OrgKind::BaseCell | OrgKind::SubordinateCell)
    }

    /// Which kinds may sit directly under this one (source: Party Charter, ch. III;
    /// Quy định 294-QĐ/TW). The district level may hold communes only in trees dated before
    /// 1 Jul 2025; the rule about dates is checked by [`crate::rules::DISTRICT_LEVEL_EXISTS`].
    pub fn may_contain(self, child: OrgKind) -> bool {
        use OrgKind::*;
        match self {
            Central => matches!(child, Provincial | BaseCommittee | BaseCell),
            Provincial => matches!(child, District | Commune | BaseCommittee | BaseCell),
            District => matches!(child, Commune | BaseCommittee | BaseCell),
            Commune => matches!(child, BaseCommittee | PartialCommittee | BaseCell | SubordinateCell),
            BaseCommittee => matches!(child, PartialCommittee | SubordinateCell),
            PartialCommittee => matches!(child, SubordinateCell),
            BaseCell | SubordinateCell => matches!(child, PartyGroup),
            PartyGroup => false,
        }
    }

    /// The most levels a tree can have below its root: each level's kind is one that
    /// [`OrgKind::may_contain`] allows under the one above, and no kind contains its own or a
    /// higher kind, so a chain of links is at most as long as the list of kinds.
    pub const MAX_DEPTH: usize = OrgKind::ALL.len();

    /// Whether the structure's changes are kept by month at an organisation of this kind
    /// (*biến động cơ cấu theo tháng*, the store's `structure_changes`): the central and the
    /// provincial level. A past date's structure follows the members changed since: tens of
    /// thousands under a province, millions under the centre. Below them they are a few
    /// hundred, netted in 3–20 ms without kept rows (docs/BENCHMARKS.md).
    pub fn keeps_changes_by_month(self) -> bool {
        matches!(self, OrgKind::Central | OrgKind::Provincial)
    }

    /// Kinds that may be the root of an installation's tree.
    pub fn may_be_root(self) -> bool {
        matches!(self, OrgKind::Central | OrgKind::Provincial | OrgKind::Commune | OrgKind::BaseCommittee)
    }
}

/// Where an organisation is: codes of the 2025 administrative units, and a village name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Locality {
    pub province_code: Option<i32>,
    pub commune_code: Option<i32>,
    /// Village or residential group (*thôn, bản, tổ dân phố*).
    pub village: Option<String>,
}

/// The fields of an organisation as entered (create or edit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgInput {
    pub name: String,
    pub short_name: Option<String>,
    pub kind: OrgKind,
    pub locality: Locality,
    pub established_on: Option<Date>,
    pub dissolved_on: Option<Date>,
    /// Whether a cell has a cell committee (*chi ủy*).
    pub has_cell_committee: bool,
}

impl OrgInput {
    /// Check the fields and the place in the tree (`parent` is the parent's kind, or `None`
    /// for a root).
    pub fn validate(&self, parent: Option<OrgKind>) -> Validation {
        let mut v = Validation::default();
        let name = self.name.trim();
        if name.is_empty() {
            v.push(FieldError::required("name", "Tên tổ chức", "Name"));
        } else {
            crate::text::ORG_NAME.check_into(&mut v, Some(name));
        }
        crate::text::ORG_SHORT_NAME.check_into(&mut v, self.short_name.as_deref());
        crate::text::VILLAGE.check_into(&mut v, self.locality.village.as_deref());
        match parent {
            None if !self.kind.may_be_root() => v.push(FieldError::new(
                "parent_id",
                "parent_required",
                format!("Cấp trên trực tiếp: {} phải trực thuộc một tổ chức.", self.kind.label_vi()),
                format!("Parent: a {} must have a parent organisation.", self.kind.label_en()),
            )),
            Some(p) if !p.may_contain(self.kind) => v.push(FieldError::new(
                "kind",
                "kind_not_allowed_here",
                format!("Loại tổ chức: {} không thể trực thuộc {}.", self.kind.label_vi(), p.label_vi()),
                format!("Kind: a {} cannot sit under a {}.", self.kind.label_en(), p.label_en()),
            )),
            _ => {}
        }
        if self.has_cell_committee && !self.kind.is_cell() {
            v.push(FieldError::new(
                "has_cell_committee",
                "not_a_cell",
                "Chi ủy: chỉ chi bộ mới có chi ủy.",
                "Cell committee: only a cell has a cell committee.",
            ));
        }
        if let (Some(e), Some(d)) = (self.established_on, self.dissolved_on)
            && d < e
        {
            v.push(FieldError::new(
                "dissolved_on",
                "before_established",
                "Ngày giải thể: không thể trước ngày thành lập.",
                "Dissolved on: cannot be before the date established.",
            ));
        }
        if self.kind == OrgKind::District
            && let Some(est) = self.established_on
            && let Some(rule) = crate::rules::in_force(crate::rules::DISTRICT_LEVEL_EXISTS, est)
            && !rule.value
        {
            v.push(FieldError::new(
                "established_on",
                "district_level_abolished",
                format!(
                    "Ngày thành lập: cấp huyện không còn từ {} ({}).",
                    crate::date::format_vn(rule.effective),
                    rule.source
                ),
                format!("Established on: the district level is abolished from {} ({}).", rule.effective, rule.source),
            ));
        }
        let units = crate::admin_units::units();
        match (self.locality.province_code, self.locality.commune_code) {
            (None, Some(_)) => v.push(FieldError::required("province_code", "Tỉnh/thành phố", "Province")),
            (Some(p), _) if units.province(p).is_none() => v.push(FieldError::new(
                "province_code",
                "unknown_province",
                "Tỉnh/thành phố: mã không có trong danh mục 34 tỉnh, thành phố (từ 01/07/2025).",
                "Province: the code is not one of the 34 provinces (from 1 Jul 2025).",
            )),
            (Some(p), Some(c)) if units.commune(c).is_none_or(|u| u.province_code != p) => v.push(FieldError::new(
                "commune_code",
                "unknown_commune",
                "Xã/phường: mã không có trong danh mục hoặc không thuộc tỉnh đã chọn.",
                "Commune: the code is unknown or not in the chosen province.",
            )),
            _ => {}
        }
        v
    }
}

/// What the history of an organisation says of a corrected date of establishment.
#[derive(Debug, Clone, Copy)]
pub struct EstablishmentHistory {
    /// The date before the correction.
    pub was: Option<Date>,
    /// The end of its first link: its first renaming, move, merger or dissolution.
    pub first_link_ends: Option<Date>,
    /// The first day anything happened in it before the corrected date: a member on its
    /// rolls, an organisation under it, a meeting it held.
    pub first_activity: Option<Date>,
    /// An organisation under it has no date of establishment: its link reaches back for ever.
    pub undated_child: bool,
    pub today: Date,
}

/// A corrected date of establishment (*ngày thành lập*) keeps the organisation's history whole:
/// not after today, before the end of its first link, on or before the first day anything
/// happened in it, and only once every organisation under it has a date of its own (an
/// undated one was under it for ever). A known date may not be taken away: the history would
/// then reach back for ever.
pub fn check_established_on(established_on: Option<Date>, h: &EstablishmentHistory) -> Option<FieldError> {
    let Some(on) = established_on else {
        return h.was.map(|_| {
            FieldError::new(
                "established_on",
                "established_known",
                "Ngày thành lập: đã có thì không bỏ trống được; hãy sửa thành ngày đúng.",
                "Established on: once known it cannot be left empty; correct it instead.",
            )
        });
    };
    if let Err(e) = check_not_future(on, h.today) {
        return Some(e);
    }
    if let Some(end) = h.first_link_ends.filter(|end| on >= *end) {
        return Some(FieldError::new(
            "established_on",
            "after_first_change",
            format!(
                "Ngày thành lập: phải trước ngày {}, khi tổ chức đổi tên, chuyển nơi, hợp nhất hoặc giải thể lần đầu.",
                crate::date::format_vn(end)
            ),
            format!(
                "Established on: must be before {end}, when the organisation was first renamed, moved, merged or dissolved."
            ),
        ));
    }
    if h.undated_child {
        return Some(FieldError::new(
            "established_on",
            "undated_child",
            "Ngày thành lập: có tổ chức trực thuộc chưa có ngày thành lập; hãy nhập ngày thành lập của các tổ chức trực thuộc trước.",
            "Established on: a sub-organisation has no date of establishment; enter the sub-organisations' dates first.",
        ));
    }
    let first = h.first_activity.filter(|first| *first < on)?;
    Some(FieldError::new(
        "established_on",
        "after_first_activity",
        format!(
            "Ngày thành lập: từ ngày {} tổ chức đã có đảng viên, tổ chức trực thuộc hoặc cuộc họp; ngày thành lập không được sau ngày đó.",
            crate::date::format_vn(first)
        ),
        format!(
            "Established on: the organisation had members, sub-organisations or meetings from {first}; it cannot be established after that."
        ),
    ))
}

/// A date of establishment is not after today: the organisation would be outside the tree
/// until then (no transfer into it, no move under it).
pub fn check_not_future(on: Date, today: Date) -> Result<(), FieldError> {
    crate::dated::check_dated("established_on", ("Ngày thành lập", "Established on"), on, today, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The longest chain of links the kinds allow, and no kind under itself however deep.
    #[test]
    fn no_tree_is_deeper_than_its_kinds_allow() {
        fn longest_below(kind: OrgKind, seen: &mut Vec<OrgKind>) -> usize {
            assert!(!seen.contains(&kind), "{kind:?} may lie under itself: {seen:?}");
            seen.push(kind);
            let below = OrgKind::ALL.into_iter().filter(|c| kind.may_contain(*c)).map(|c| 1 + longest_below(c, seen));
            let n = below.max().unwrap_or(0);
            seen.pop();
            n
        }
        let deepest = OrgKind::ALL.into_iter().map(|k| longest_below(k, &mut Vec::new())).max().unwrap_or(0);
        // Central → provincial → district → commune → base committee → partial committee →
        // subordinate cell → party group.
        assert_eq!(deepest, 7);
        assert!(deepest <= OrgKind::MAX_DEPTH);
    }

    fn input(kind: OrgKind) -> OrgInput {
        OrgInput {
            name: "Chi bộ thôn Đông".into(),
            short_name: None,
            kind,
            locality: Locality::default(),
            established_on: None,
            dissolved_on: None,
            has_cell_committee: false,
        }
    }

    #[test]
    fn codes_round_trip() {
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::parse(k.code()), Some(k));
        }
        assert_eq!(OrgKind::parse("huyen"), None);
    }

    #[test]
    fn nesting_before_and_after_2025_both_fit() {
        // Before 1 Jul 2025: province → district → commune → village cell.
        assert!(OrgKind::Provincial.may_contain(OrgKind::District));
        assert!(OrgKind::District.may_contain(OrgKind::Commune));
        // After: province → commune → village cell.
        assert!(OrgKind::Provincial.may_contain(OrgKind::Commune));
        assert!(OrgKind::Commune.may_contain(OrgKind::SubordinateCell));
        assert!(OrgKind::BaseCommittee.may_contain(OrgKind::SubordinateCell));
        assert!(OrgKind::SubordinateCell.may_contain(OrgKind::PartyGroup));
    }

    #[test]
    fn nesting_refuses_upside_down_trees() {
        assert!(!OrgKind::SubordinateCell.may_contain(OrgKind::Commune));
        assert!(!OrgKind::PartyGroup.may_contain(OrgKind::PartyGroup));
        assert!(!OrgKind::Provincial.may_contain(OrgKind::SubordinateCell));
        assert!(!OrgKind::Commune.may_contain(OrgKind::Provincial));
        let v = input(OrgKind::Commune).validate(Some(OrgKind::SubordinateCell));
        assert_eq!(v.errors[0].field, "kind");
        assert!(v.errors[0].message_vi.contains("không thể trực thuộc"));
    }

    #[test]
    fn no_district_established_after_the_2025_reform() {
        let mut d = input(OrgKind::District);
        d.name = "Đảng bộ huyện Quế Sơn".into();
        d.established_on = crate::date::ymd(1997, 1, 1);
        assert!(d.validate(Some(OrgKind::Provincial)).is_ok());
        d.established_on = crate::date::ymd(2025, 7, 1);
        let v = d.validate(Some(OrgKind::Provincial));
        assert_eq!(v.errors[0].code, "district_level_abolished");
        assert!(v.errors[0].message_vi.contains("01/07/2025"));
    }

    #[test]
    fn validates_fields() {
        let mut i = input(OrgKind::SubordinateCell);
        i.name = "  ".into();
        i.has_cell_committee = true;
        assert!(i.validate(Some(OrgKind::Commune)).has("name"));
        i.kind = OrgKind::Commune;
        i.name = "Đảng bộ xã A".into();
        let v = i.validate(Some(OrgKind::Provincial));
        assert!(v.has("has_cell_committee"));
        i.has_cell_committee = false;
        i.established_on = crate::date::ymd(2020, 1, 1);
        i.dissolved_on = crate::date::ymd(2019, 1, 1);
        assert!(i.validate(Some(OrgKind::Provincial)).has("dissolved_on"));
        assert!(input(OrgKind::SubordinateCell).validate(None).has("parent_id"));
        assert!(input(OrgKind::Provincial).validate(None).is_ok());
        let mut i = input(OrgKind::Commune);
        i.locality = Locality { province_code: Some(1), commune_code: Some(70), village: None };
        assert!(i.validate(Some(OrgKind::Provincial)).is_ok());
        // A real province that does not hold commune 70.
        i.locality.province_code = Some(crate::admin_units::units().provinces[1].code);
        assert!(i.validate(Some(OrgKind::Provincial)).has("commune_code"));
        i.locality.province_code = Some(99);
        assert!(i.validate(Some(OrgKind::Provincial)).has("province_code"));
    }

    #[test]
    fn a_corrected_establishment_keeps_the_history_whole() {
        use time::macros::date;
        let code = |e: Option<FieldError>| e.map(|e| e.code);
        let h = |was, first_link_ends, first_activity| EstablishmentHistory {
            was,
            first_link_ends,
            first_activity,
            undated_child: false,
            today: date!(2026 - 12 - 04),
        };
        // Earlier: fits; unknown: fits while it was unknown, is refused once it was known.
        let merged_later = h(None, Some(date!(2025 - 07 - 01)), Some(date!(2020 - 03 - 05)));
        assert_eq!(code(check_established_on(Some(date!(2019 - 01 - 01)), &merged_later)), None);
        assert_eq!(code(check_established_on(None, &merged_later)), None);
        let known = h(Some(date!(2019 - 01 - 01)), None, None);
        assert_eq!(code(check_established_on(None, &known)), Some("established_known"));
        // On the day of the first activity: fits; a day later: refused.
        let active = h(None, None, Some(date!(2020 - 03 - 05)));
        assert_eq!(code(check_established_on(Some(date!(2020 - 03 - 05)), &active)), None);
        let e = check_established_on(Some(date!(2020 - 03 - 06)), &active).unwrap();
        assert_eq!((e.field.as_str(), e.code), ("established_on", "after_first_activity"));
        assert!(e.message_vi.contains("05/03/2020"), "{}", e.message_vi);
        // On the day the first link ends (the 2025 merger): refused, it would have no first link.
        let merged = h(None, Some(date!(2025 - 07 - 01)), None);
        let e = check_established_on(Some(date!(2025 - 07 - 01)), &merged).unwrap();
        assert_eq!(e.code, "after_first_change");
        assert!(e.message_vi.contains("01/07/2025"), "{}", e.message_vi);
        assert_eq!(code(check_established_on(Some(date!(2025 - 06 - 30)), &merged)), None);
        // After today: refused (a typo of 2052 for 2025 would take it out of today's tree);
        // today: fits.
        let e = check_established_on(Some(date!(2052 - 07 - 01)), &h(None, None, None)).unwrap();
        assert_eq!((e.field.as_str(), e.code), ("established_on", "in_future"));
        assert!(e.message_vi.contains("01/07/2052"), "{}", e.message_vi);
        assert_eq!(code(check_established_on(Some(date!(2026 - 12 - 04)), &h(None, None, None))), None);
        // A sub-organisation without a date was under it for ever: any date is refused until
        // the sub-organisation has one.
        let undated = EstablishmentHistory { undated_child: true, ..h(None, None, None) };
        assert_eq!(code(check_established_on(Some(date!(1990 - 01 - 01)), &undated)), Some("undated_child"));
        assert_eq!(code(check_established_on(None, &undated)), None);
    }
}

/// Advice about an organisation's form from the rules in force on `on` and its counts
/// (*chi ủy* from 9 official members, *đảng bộ cơ sở* from 30 members, at least 3 official
/// members): notices for the organisation page, not refusals, since the level above decides.
pub fn notices(input: &OrgInput, official: i64, members: i64, on: Date) -> Vec<FieldError> {
    let Some(rule) = crate::rules::in_force(crate::rules::ORG_THRESHOLDS, on) else { return Vec::new() };
    let t = rule.value;
    let mut out = Vec::new();
    if input.dissolved_on.is_some() {
        return out;
    }
    let src = rule.source;
    if input.kind.is_cell() {
        let min_cc = i64::from(t.cell_committee_min_official);
        if official >= min_cc && !input.has_cell_committee {
            out.push(FieldError::new(
                "has_cell_committee",
                "cell_committee_expected",
                format!("Chi bộ có {official} đảng viên chính thức (từ {min_cc} trở lên) cần bầu chi ủy. Căn cứ: {src}."),
                format!("The cell has {official} official members ({min_cc} or more): it should elect a cell committee. Source: {src}."),
            ));
        }
        if official < min_cc && input.has_cell_committee {
            out.push(FieldError::new(
                "has_cell_committee",
                "cell_committee_not_needed",
                format!("Chi bộ có {official} đảng viên chính thức (dưới {min_cc}): chỉ có bí thư, không lập chi ủy. Căn cứ: {src}."),
                format!("The cell has {official} official members (under {min_cc}): a secretary, no cell committee. Source: {src}."),
            ));
        }
        let min_form = i64::from(t.min_official_to_form);
        if official < min_form {
            out.push(FieldError::new(
                "official",
                "below_minimum",
                format!("Chi bộ có {official} đảng viên chính thức, dưới mức tối thiểu {min_form}: cần ghép vào tổ chức khác. Căn cứ: {src}."),
                format!("The cell has {official} official members, under the minimum of {min_form}: it should be attached to another organisation. Source: {src}."),
            ));
        }
    }
    let base_min = i64::from(t.base_committee_min_members);
    if input.kind == OrgKind::BaseCell && members >= base_min {
        out.push(FieldError::new(
            "kind",
            "base_committee_expected",
            format!("Chi bộ cơ sở có {members} đảng viên (từ {base_min} trở lên): thường lập đảng bộ cơ sở. Căn cứ: {src}."),
            format!("The base cell has {members} members ({base_min} or more): it is normally a base committee. Source: {src}."),
        ));
    }
    out
}

#[cfg(test)]
mod notice_tests {
    use super::*;
    use time::macros::date;

    fn cell(kind: OrgKind, cc: bool) -> OrgInput {
        OrgInput {
            name: "Chi bộ thôn Đông".into(),
            short_name: None,
            kind,
            locality: Locality::default(),
            established_on: None,
            dissolved_on: None,
            has_cell_committee: cc,
        }
    }

    fn codes(v: Vec<FieldError>) -> Vec<&'static str> {
        v.into_iter().map(|e| e.code).collect()
    }

    #[test]
    fn cell_committee_from_nine_official_members() {
        let on = date!(2026 - 01 - 01);
        assert!(notices(&cell(OrgKind::SubordinateCell, false), 8, 10, on).is_empty());
        assert_eq!(codes(notices(&cell(OrgKind::SubordinateCell, false), 9, 10, on)), ["cell_committee_expected"]);
        assert_eq!(codes(notices(&cell(OrgKind::SubordinateCell, true), 8, 10, on)), ["cell_committee_not_needed"]);
        assert!(notices(&cell(OrgKind::SubordinateCell, true), 9, 12, on).is_empty());
        let msg = &notices(&cell(OrgKind::SubordinateCell, false), 9, 10, on)[0].message_vi;
        assert!(msg.contains("294-QĐ/TW"), "{msg}");
    }

    #[test]
    fn minimum_and_base_committee_thresholds() {
        let on = date!(2026 - 01 - 01);
        assert_eq!(codes(notices(&cell(OrgKind::SubordinateCell, false), 2, 3, on)), ["below_minimum"]);
        assert_eq!(codes(notices(&cell(OrgKind::BaseCell, true), 25, 30, on)), ["base_committee_expected"]);
        assert!(notices(&cell(OrgKind::BaseCell, true), 25, 29, on).is_empty());
        // Before any sourced rule: no advice; dissolved: no advice.
        assert!(notices(&cell(OrgKind::SubordinateCell, false), 2, 3, date!(2000 - 01 - 01)).is_empty());
        let mut gone = cell(OrgKind::SubordinateCell, false);
        gone.dissolved_on = Some(date!(2020 - 01 - 01));
        assert!(notices(&gone, 0, 0, on).is_empty());
    }
}
