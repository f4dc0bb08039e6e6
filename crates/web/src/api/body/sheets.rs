//! Scoring sheets (*phiếu chấm điểm*) and the rating of a meeting on them.

use super::iso;
use chibo_access::domain::meeting::{Assessment, Bands, Measure};
use chibo_access::{Lang, SheetInForce, SheetRow};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

/// How a criterion is scored: computed from the record, or judged (entered).
#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MeasureBody {
    Attendance,
    Duration,
    /// At least `num/den` of the members present spoke.
    Speakers {
        num: u32,
        den: u32,
    },
    Minutes,
    Judged,
}

impl From<Measure> for MeasureBody {
    fn from(m: Measure) -> Self {
        match m {
            Measure::Attendance => MeasureBody::Attendance,
            Measure::Duration => MeasureBody::Duration,
            Measure::Speakers { num, den } => MeasureBody::Speakers { num, den },
            Measure::Minutes => MeasureBody::Minutes,
            Measure::Judged => MeasureBody::Judged,
        }
    }
}

/// The least scores of the ratings good, fair and average (below: poor).
#[derive(Debug, Serialize, ToSchema)]
pub struct BandsBody {
    pub good: u32,
    pub fair: u32,
    pub average: u32,
}

impl From<Bands> for BandsBody {
    fn from(b: Bands) -> Self {
        BandsBody { good: b.good, fair: b.fair, average: b.average }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CriterionBody {
    pub code: String,
    pub label: String,
    pub points: u32,
    pub measure: MeasureBody,
    pub judged: bool,
    pub required_for_top: bool,
}

/// A scoring sheet stored for a subtree from a date.
#[derive(Debug, Serialize, ToSchema)]
pub struct SheetRef {
    pub id: Uuid,
    pub org_id: Uuid,
    pub name: String,
    pub effective_from: String,
}

impl From<&SheetRow> for SheetRef {
    fn from(r: &SheetRow) -> Self {
        SheetRef { id: r.id, org_id: r.org_id, name: r.name.clone(), effective_from: iso(r.effective_from) }
    }
}

/// The scoring sheet in force; `configured` is null for the default sheet of the rules.
#[derive(Debug, Serialize, ToSchema)]
pub struct SheetBody {
    pub configured: Option<SheetRef>,
    pub bands: BandsBody,
    pub criteria: Vec<CriterionBody>,
}

impl SheetBody {
    pub fn new(s: &SheetInForce, lang: Lang) -> SheetBody {
        SheetBody {
            configured: s.configured.as_ref().map(SheetRef::from),
            bands: BandsBody::from(s.sheet.bands),
            criteria: s
                .sheet
                .criteria
                .iter()
                .map(|c| CriterionBody {
                    code: c.code.clone(),
                    label: lang
                        .pick(&c.label_vi, if c.label_en.is_empty() { &c.label_vi } else { &c.label_en })
                        .to_string(),
                    points: c.points,
                    measure: MeasureBody::from(c.measure),
                    judged: c.measure == Measure::Judged,
                    required_for_top: c.required_for_top,
                })
                .collect(),
        }
    }
}

/// A scoring sheet just configured, with the sheet as stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct SheetSet {
    pub id: Uuid,
    pub org_id: Uuid,
    pub name: String,
    pub effective_from: String,
    /// `{criteria, bands}` as sent.
    #[schema(value_type = Object)]
    pub sheet: Value,
}

impl From<&SheetRow> for SheetSet {
    fn from(row: &SheetRow) -> Self {
        SheetSet {
            id: row.id,
            org_id: row.org_id,
            name: row.name.clone(),
            effective_from: iso(row.effective_from),
            sheet: serde_json::from_str::<Value>(&row.body).unwrap_or(Value::Null),
        }
    }
}

/// A criterion as scored.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScoredLine {
    pub code: String,
    pub points: u32,
    pub max: u32,
    /// Why a computed criterion got no points.
    pub failed: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentBody {
    pub score: u32,
    pub rating: String,
    pub rating_label: String,
    pub lines: Vec<ScoredLine>,
}

impl AssessmentBody {
    pub fn new(a: &Assessment, lang: Lang) -> AssessmentBody {
        AssessmentBody {
            score: a.score,
            rating: a.rating.code().to_string(),
            rating_label: a.rating.label(lang).to_string(),
            lines: a
                .lines
                .iter()
                .map(|l| ScoredLine {
                    code: l.code.clone(),
                    points: l.points,
                    max: l.max,
                    failed: l.failed.iter().map(|f| (*f).to_string()).collect(),
                })
                .collect(),
        }
    }
}
