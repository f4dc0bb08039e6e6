//! The statistics report of a subtree (`GET /orgs/{id}/report`).

use super::iso;
use super::iso_opt;
use chibo_access::{Report, ReportList, Trend};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// One line of a section of the structure.
#[derive(Debug, Serialize, ToSchema)]
pub struct StructureRowBody {
    /// A code, a band key, `eth:<code>`, or the normalised text (empty: not recorded).
    pub key: String,
    pub label: String,
    pub count: u64,
    /// A detail of the line above (each minority group).
    pub detail: bool,
}

/// One dimension of the structure (standing, gender, age, ethnicity, …).
#[derive(Debug, Serialize, ToSchema)]
pub struct StructureSectionBody {
    pub key: String,
    pub title: String,
    pub rows: Vec<StructureRowBody>,
}

/// The period of the changes.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportPeriodBody {
    /// As asked: `2025`, `2025-Q1`, `2025-03` or `2025-01-01..2025-06-30`.
    pub code: String,
    pub from: String,
    /// The last day, included.
    pub to: String,
}

/// One kind of change and how many.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeBody {
    /// `admitted`, `recognized`, `transferred_in`, `transferred_out`, `readmitted`, `died`,
    /// `left`, `struck_off`, `expelled`.
    pub key: String,
    pub label: String,
    pub count: u64,
}

/// Of the admitted in the period.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdmittedBody {
    /// At most 30 at admission.
    pub young: u64,
    pub female: u64,
    pub minority: u64,
}

/// One line of the organisation figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgRowBody {
    /// An organisation kind (`commune`, `subordinate_cell`, …), a village type (`village`,
    /// `hamlet`, `ap`, `urban`, `other`, `none`) or a change (`created`, `merged`, `split`,
    /// `dissolved`).
    pub key: String,
    pub label: String,
    pub count: u64,
}

/// The organisations under the root (itself left out).
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgFiguresBody {
    /// On the structure's date, by kind (every kind, zeros included).
    pub by_kind: Vec<OrgRowBody>,
    /// The cells on that date by the type of residential area of their village.
    pub cells_by_village: Vec<OrgRowBody>,
    /// Created, merged away, split, dissolved in the period (today's tree).
    pub changes: Vec<OrgRowBody>,
}

fn org_rows(rows: &[chibo_access::domain::report::OrgRow]) -> Vec<OrgRowBody> {
    rows.iter().map(|r| OrgRowBody { key: r.key.to_string(), label: r.label.to_string(), count: r.count }).collect()
}

/// The structure of the members on the rolls on the date (shares are `count / total`) and the
/// changes over the period.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportBody {
    pub org_id: Uuid,
    pub org_name: String,
    pub on: String,
    pub total: u64,
    pub structure: Vec<StructureSectionBody>,
    pub period: ReportPeriodBody,
    pub changes: Vec<ChangeBody>,
    pub admitted: AdmittedBody,
    pub orgs: OrgFiguresBody,
}

impl ReportBody {
    pub fn new(r: &Report) -> ReportBody {
        let c = &r.changes;
        ReportBody {
            org_id: r.org_id,
            org_name: r.org_name.clone(),
            on: iso(r.structure.on),
            total: r.structure.total,
            structure: r
                .structure
                .sections
                .iter()
                .map(|s| StructureSectionBody {
                    key: s.key.to_string(),
                    title: s.title.to_string(),
                    rows: s
                        .rows
                        .iter()
                        .map(|row| StructureRowBody {
                            key: row.key.clone(),
                            label: row.label.clone(),
                            count: row.count,
                            detail: row.detail,
                        })
                        .collect(),
                })
                .collect(),
            period: ReportPeriodBody { code: r.period.clone(), from: iso(c.from), to: iso(c.to) },
            changes: c
                .rows
                .iter()
                .map(|row| ChangeBody { key: row.key.to_string(), label: row.label.to_string(), count: row.count })
                .collect(),
            admitted: AdmittedBody {
                young: c.admitted_young,
                female: c.admitted_female,
                minority: c.admitted_minority,
            },
            orgs: OrgFiguresBody {
                by_kind: org_rows(&r.orgs.by_kind),
                cells_by_village: org_rows(&r.orgs.cells_by_village),
                changes: org_rows(&r.orgs.changes),
            },
        }
    }
}

/// A member behind a line of the report, as the record is now.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListedMemberBody {
    pub id: Uuid,
    pub full_name: String,
    pub birth_date: String,
    /// The standing now (`official`, `probationary`, `deceased`, …).
    pub status: String,
    /// The organisation the record names now.
    pub org_name: String,
    /// The date of the change, on the lines of the changes.
    pub changed_on: Option<String>,
    /// Whether the caller may open the record.
    pub readable: bool,
}

/// An organisation behind a line of the report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListedOrgBody {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub village: Option<String>,
    pub established_on: Option<String>,
    pub dissolved_on: Option<String>,
    pub readable: bool,
}

/// One page of what is behind a line of the report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportListBody {
    pub org_id: Uuid,
    pub org_name: String,
    pub on: String,
    pub period: ReportPeriodBody,
    /// `section/key`.
    pub item: String,
    pub section: String,
    pub label: String,
    /// The line's count.
    pub total: usize,
    pub offset: usize,
    /// The offset of the next page, if any.
    pub next: Option<usize>,
    /// A line of people lists members,
    pub members: Vec<ListedMemberBody>,
    /// a line of organisations lists organisations.
    pub orgs: Vec<ListedOrgBody>,
}

impl ReportListBody {
    pub fn new(l: &ReportList) -> ReportListBody {
        ReportListBody {
            org_id: l.org_id,
            org_name: l.org_name.clone(),
            on: iso(l.on),
            period: ReportPeriodBody { code: l.period.clone(), from: iso(l.from), to: iso(l.to) },
            item: l.item.clone(),
            section: l.section.clone(),
            label: l.label.clone(),
            total: l.total,
            offset: l.offset,
            next: l.next,
            members: l
                .members
                .iter()
                .map(|m| ListedMemberBody {
                    id: m.id,
                    full_name: m.full_name.clone(),
                    birth_date: iso(m.birth_date),
                    status: m.status.code().to_string(),
                    org_name: m.org_name.clone(),
                    changed_on: iso_opt(m.changed_on),
                    readable: m.readable,
                })
                .collect(),
            orgs: l
                .orgs
                .iter()
                .map(|o| ListedOrgBody {
                    id: o.id,
                    name: o.name.clone(),
                    kind: o.kind.code().to_string(),
                    village: o.village.clone(),
                    established_on: iso_opt(o.established_on),
                    dissolved_on: iso_opt(o.dissolved_on),
                    readable: o.readable,
                })
                .collect(),
        }
    }
}

/// One year of the trend.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrendYearBody {
    pub year: i32,
    /// On the rolls on 31 December (the year in progress: today), in the tree of that day.
    pub members: u64,
    /// Admitted and re-admitted in the year, each in the tree of its date.
    pub admissions: u64,
    /// Deaths, leaving, striking off and expulsions in the year (transfers are not exits).
    pub exits: u64,
}

/// The trend of a subtree over the last ten years, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrendBody {
    pub org_id: Uuid,
    pub org_name: String,
    pub years: Vec<TrendYearBody>,
}

impl TrendBody {
    pub fn new(t: &Trend) -> TrendBody {
        TrendBody {
            org_id: t.org_id,
            org_name: t.org_name.clone(),
            years: t
                .points
                .iter()
                .map(|p| TrendYearBody { year: p.year, members: p.members, admissions: p.admissions, exits: p.exits })
                .collect(),
        }
    }
}
