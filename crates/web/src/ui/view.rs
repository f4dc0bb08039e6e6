//! Records turned into display text (labels in the viewer's language, dd/mm/yyyy dates).

use chibo_access::domain::admin_units;
use chibo_access::domain::date::format_vn;
use chibo_access::domain::org::Locality;
use chibo_access::{Lang, MemberSummary, Org};
use time::{Date, OffsetDateTime, UtcOffset};

pub fn date(d: Option<Date>) -> String {
    d.map(format_vn).unwrap_or_default()
}

/// A moment in Vietnam's time (UTC+7): dd/mm/yyyy hh:mm.
pub fn moment(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC));
    format!("{} {:02}:{:02}", format_vn(t.date()), t.hour(), t.minute())
}

/// "village, commune, province" from the 2025 administrative units.
pub fn locality(l: &Locality) -> String {
    let units = admin_units::units();
    let mut parts: Vec<String> = Vec::new();
    if let Some(v) = &l.village {
        parts.push(v.clone());
    }
    if let Some(c) = l.commune_code {
        parts.push(units.commune(c).map_or_else(|| c.to_string(), |c| c.name.clone()));
    }
    if let Some(p) = l.province_code {
        parts.push(units.province(p).map_or_else(|| p.to_string(), |p| p.name.clone()));
    }
    parts.join(", ")
}

/// One organisation in a tree or a list.
pub struct NodeView {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub members: i64,
    pub cells: i64,
    pub expandable: bool,
    pub dissolved: bool,
    /// A cell: no count of cells (it would be itself), no "+" (its party groups, if any, are
    /// on its page).
    pub is_cell: bool,
}

impl NodeView {
    pub fn of(o: &Org, lang: Lang) -> NodeView {
        NodeView {
            id: o.id.to_string(),
            name: o.input.name.clone(),
            kind: o.kind().label(lang),
            members: o.stats.members,
            cells: o.stats.cells,
            expandable: o.kind() != chibo_access::domain::org::OrgKind::PartyGroup && !o.kind().is_cell(),
            dissolved: o.is_dissolved(),
            is_cell: o.kind().is_cell(),
        }
    }
}

/// One line of a member list.
pub struct MemberRow {
    pub id: String,
    pub name: String,
    pub birth_date: String,
    pub gender: String,
    pub status: String,
    pub admission_date: String,
}

/// The columns of a member list, in the order the page, its print and its spreadsheet show
/// them (`MemberRow::cells`).
pub fn member_headers(t: &super::text::Texts) -> [&'static str; 5] {
    [t.full_name, t.birth_date, t.gender, t.status, t.admission_date]
}

impl MemberRow {
    /// The row's values under [`member_headers`].
    pub fn cells(&self) -> [&str; 5] {
        [&self.name, &self.birth_date, &self.gender, &self.status, &self.admission_date]
    }

    pub fn of(m: &MemberSummary, lang: Lang) -> MemberRow {
        MemberRow {
            id: m.id.to_string(),
            name: m.full_name.clone(),
            birth_date: format_vn(m.birth_date),
            gender: m.gender.label(lang).to_string(),
            status: m.status.label(lang).to_string(),
            admission_date: format_vn(m.admission_date),
        }
    }
}

/// A label and its value, for the detail lists of a page.
pub struct Item {
    pub label: &'static str,
    pub value: String,
}

pub fn item(label: &'static str, value: impl Into<String>) -> Item {
    Item { label, value: value.into() }
}

/// A link in a breadcrumb or a list.
#[derive(Clone)]
pub struct Link {
    pub href: String,
    pub text: String,
}
