//! The statistics report of a subtree (`GET /orgs/{id}/report`).

use super::iso;
use chibo_access::Report;
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

/// The structure of the members on the rolls today (shares are `count / total`) and the
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
        }
    }
}
