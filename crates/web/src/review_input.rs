//! The annual review from submitted text: opening a round, a self-assessment, the cell's
//! opinion, a decision and its correction, an organisation's own assessment, a plan and its
//! progress, a committee's settings. The field names are the same in the JSON API and the
//! forms, and the same as in the access layer's refusals (`level`, `lines.<id>.level`,
//! `scores.<code>`, `items.0.deadline`…), so every error names a field the caller sent.

use crate::input::text;
use crate::input::{DateStyle, Fields, Flag, blank, loose};
use chibo_access::domain::review::{Level, RoundKind};
use chibo_access::{
    CellOpinionInput, CorrectionInput, DecisionInput, DecisionLine, FieldError, OpinionLine, OrgSelfInput, PlanInput,
    PlanItemInput, ReviewSettingsInput, RoundInput, SelfAssessmentInput, Validation,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

fn version(f: &mut Fields, v: &Option<String>) -> i64 {
    blank(v).and_then(|v| v.parse().ok()).unwrap_or_else(|| {
        f.errors.push(FieldError::required("version", "Phiên bản", "Version"));
        0
    })
}

fn level(f: &mut Fields, field: &str, v: &Option<String>) -> Option<Level> {
    f.optional_choice(field, "Mức xếp loại", "Level", v, Level::parse)
}

fn required_level(f: &mut Fields, field: &str, v: &Option<String>) -> Level {
    f.choice(field, "Mức xếp loại", "Level", v, Level::parse).unwrap_or(Level::NotCompleted)
}

fn count(f: &mut Fields, field: &str, vi: &str, en: &str, v: &Option<String>) -> u32 {
    f.count(field, vi, en, v).unwrap_or(0)
}

/// Opening a round, as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct RoundFields {
    /// `year`, `quarter`, `term` or `ad_hoc`.
    pub kind: Option<String>,
    pub first_day: Option<String>,
    pub last_day: Option<String>,
    pub self_due: Option<String>,
    pub cell_due: Option<String>,
    pub decision_due: Option<String>,
}

impl RoundFields {
    pub fn parse(&self, style: DateStyle) -> Result<RoundInput, Validation> {
        let mut f = Fields::new(style);
        let kind = f.choice("kind", "Loại kỳ đánh giá", "Round kind", &self.kind, RoundKind::parse);
        let mut day = |field: &str, vi: &str, en: &str, v: &Option<String>| f.required_date(field, vi, en, v);
        let input = RoundInput {
            kind: kind.unwrap_or(RoundKind::Year),
            first_day: day("first_day", "Ngày đầu kỳ", "First day", &self.first_day),
            last_day: day("last_day", "Ngày cuối kỳ", "Last day", &self.last_day),
            self_due: day("self_due", "Hạn tự đánh giá", "Self-assessment deadline", &self.self_due),
            cell_due: day("cell_due", "Hạn chi bộ đề xuất", "Cell opinion deadline", &self.cell_due),
            decision_due: day("decision_due", "Hạn quyết định", "Decision deadline", &self.decision_due),
        };
        f.errors.finish(input)
    }
}

/// A self-assessment, as text (`scores`: criterion code → points).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct SelfFields {
    pub scores: BTreeMap<String, serde_json::Value>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub tasks_total: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub tasks_on_time: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub tasks_exceeded: Option<String>,
    pub strengths: Option<String>,
    pub shortcomings: Option<String>,
    pub causes: Option<String>,
    pub remedies: Option<String>,
    /// The proposed level (default: the score's).
    pub level: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub version: Option<String>,
}

impl SelfFields {
    pub fn parse(&self) -> Result<SelfAssessmentInput, Validation> {
        let mut f = Fields::new(DateStyle::Iso);
        let mut scores = BTreeMap::new();
        for (code, v) in &self.scores {
            let raw = match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Null => None,
                other => Some(other.to_string()),
            };
            if let Some(n) =
                f.count(&format!("scores.{code}"), &format!("Điểm '{code}'"), &format!("Score '{code}'"), &raw)
            {
                scores.insert(code.clone(), n);
            }
        }
        let input = SelfAssessmentInput {
            scores,
            tasks_total: count(&mut f, "tasks_total", "Số nhiệm vụ", "Tasks", &self.tasks_total),
            tasks_on_time: count(
                &mut f,
                "tasks_on_time",
                "Số nhiệm vụ đúng tiến độ",
                "Tasks on time",
                &self.tasks_on_time,
            ),
            tasks_exceeded: count(
                &mut f,
                "tasks_exceeded",
                "Số nhiệm vụ vượt mức",
                "Tasks exceeded",
                &self.tasks_exceeded,
            ),
            strengths: text(&self.strengths),
            shortcomings: text(&self.shortcomings),
            causes: text(&self.causes),
            remedies: text(&self.remedies),
            level: level(&mut f, "level", &self.level),
            version: version(&mut f, &self.version),
        };
        f.errors.finish(input)
    }
}

/// The cell's opinion on one member, as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct OpinionLineFields {
    pub member_id: Option<String>,
    pub level: Option<String>,
    pub comments: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub votes_for: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub votes_against: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub votes_abstain: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub sick_leave_months: Option<String>,
}

/// The cell's opinion, as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct OpinionFields {
    /// The cell meeting that discussed the review.
    pub meeting_id: Option<String>,
    pub lines: Vec<OpinionLineFields>,
}

impl OpinionFields {
    /// Errors name `lines.<member id>.<field>` (`lines.<n>.member_id` for a bad id).
    pub fn parse(&self) -> Result<CellOpinionInput, Validation> {
        let mut f = Fields::new(DateStyle::Iso);
        let meeting_id = f.optional_uuid("meeting_id", "Cuộc họp", "Meeting", &self.meeting_id);
        let mut lines = Vec::new();
        for (i, l) in self.lines.iter().enumerate() {
            let Some(id) = f.uuid(&format!("lines.{i}.member_id"), "Đảng viên", "Member", &l.member_id) else {
                continue;
            };
            let name = |part: &str| format!("lines.{id}.{part}");
            lines.push(OpinionLine {
                member_id: id,
                level: level(&mut f, &name("level"), &l.level),
                comments: text(&l.comments),
                votes_for: count(&mut f, &name("votes_for"), "Số tán thành", "Votes for", &l.votes_for),
                votes_against: count(
                    &mut f,
                    &name("votes_against"),
                    "Số không tán thành",
                    "Votes against",
                    &l.votes_against,
                ),
                votes_abstain: count(
                    &mut f,
                    &name("votes_abstain"),
                    "Số không biểu quyết",
                    "Abstentions",
                    &l.votes_abstain,
                ),
                sick_leave_months: count(
                    &mut f,
                    &name("sick_leave_months"),
                    "Số tháng nghỉ ốm",
                    "Months of sick leave",
                    &l.sick_leave_months,
                ),
            });
        }
        f.errors.finish(CellOpinionInput { meeting_id, lines })
    }
}

/// One level decided, as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct DecisionLineFields {
    /// The member, or the organisation.
    pub id: Option<String>,
    pub level: Option<String>,
    /// The recorded exception: found and fixed the fault themselves (needs a reason).
    #[schema(schema_with = crate::input::flag_schema)]
    pub self_corrected: Flag,
    pub reason: Option<String>,
}

/// A decision, as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct DecisionFields {
    pub number: Option<String>,
    pub signed_on: Option<String>,
    pub lines: Vec<DecisionLineFields>,
}

fn signed_on(f: &mut Fields, v: &Option<String>) -> Date {
    f.required_date("signed_on", "Ngày ký", "Date signed", v)
}

impl DecisionFields {
    pub fn parse(&self, style: DateStyle) -> Result<DecisionInput, Validation> {
        let mut f = Fields::new(style);
        let signed_on = signed_on(&mut f, &self.signed_on);
        let mut lines = Vec::new();
        for (i, l) in self.lines.iter().enumerate() {
            let Some(id) = f.uuid(&format!("lines.{i}.id"), "Mã", "Id", &l.id) else { continue };
            lines.push(DecisionLine {
                id,
                level: required_level(&mut f, &format!("lines.{id}.level"), &l.level),
                self_corrected: l.self_corrected.is_set(),
                reason: text(&l.reason),
            });
        }
        f.errors.finish(DecisionInput { number: text(&self.number), signed_on, lines })
    }
}

/// A correcting decision, as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct CorrectionFields {
    pub level: Option<String>,
    pub number: Option<String>,
    pub signed_on: Option<String>,
    pub reason: Option<String>,
    #[schema(schema_with = crate::input::flag_schema)]
    pub self_corrected: Flag,
}

impl CorrectionFields {
    pub fn parse(&self, style: DateStyle) -> Result<CorrectionInput, Validation> {
        let mut f = Fields::new(style);
        let input = CorrectionInput {
            level: required_level(&mut f, "level", &self.level),
            number: text(&self.number),
            signed_on: signed_on(&mut f, &self.signed_on),
            reason: text(&self.reason),
            self_corrected: self.self_corrected.is_set(),
        };
        f.errors.finish(input)
    }
}

/// An organisation's own assessment, as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct OrgSelfFields {
    pub level: Option<String>,
    pub text: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub sub_units_disciplined: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub targets: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub targets_met: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub version: Option<String>,
}

impl OrgSelfFields {
    pub fn parse(&self) -> Result<OrgSelfInput, Validation> {
        let mut f = Fields::new(DateStyle::Iso);
        let input = OrgSelfInput {
            level: level(&mut f, "level", &self.level),
            text: text(&self.text),
            sub_units_disciplined: count(
                &mut f,
                "sub_units_disciplined",
                "Số tổ chức trực thuộc bị kỷ luật",
                "Sub-units disciplined",
                &self.sub_units_disciplined,
            ),
            targets: count(&mut f, "targets", "Số chỉ tiêu", "Targets", &self.targets),
            targets_met: count(&mut f, "targets_met", "Số chỉ tiêu đạt", "Targets met", &self.targets_met),
            version: version(&mut f, &self.version),
        };
        f.errors.finish(input)
    }
}

/// One item of a plan, as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct PlanItemFields {
    pub content: Option<String>,
    pub responsible: Option<String>,
    pub deadline: Option<String>,
}

/// A plan, as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct PlanFields {
    /// The member or the organisation.
    pub subject_id: Option<String>,
    pub items: Vec<PlanItemFields>,
}

impl PlanFields {
    pub fn parse(&self, style: DateStyle) -> Result<PlanInput, Validation> {
        let mut f = Fields::new(style);
        let subject_id = f.uuid("subject_id", "Đảng viên, tổ chức", "Member or organisation", &self.subject_id);
        let items = self
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| PlanItemInput {
                content: text(&it.content),
                responsible: text(&it.responsible),
                deadline: f.required_date(&format!("items.{i}.deadline"), "Thời hạn", "Deadline", &it.deadline),
            })
            .collect();
        f.errors.finish(PlanInput { subject_id: subject_id.unwrap_or_else(Uuid::nil), items })
    }
}

/// A committee's review settings, as text: from a date, the quota of xuất sắc as a percentage
/// of those rated tốt, or none.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct SettingsFields {
    pub effective_from: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub quota_percent: Option<String>,
    #[schema(schema_with = crate::input::flag_schema)]
    pub quota_off: Flag,
}

impl SettingsFields {
    pub fn parse(&self, style: DateStyle) -> Result<ReviewSettingsInput, Validation> {
        let mut f = Fields::new(style);
        let input = ReviewSettingsInput {
            effective_from: f.required_date("effective_from", "Áp dụng từ ngày", "From", &self.effective_from),
            sheet: None,
            quota_percent: f.count("quota_percent", "Hạn mức (%)", "Quota (%)", &self.quota_percent),
            quota_off: self.quota_off.is_set(),
        };
        f.errors.finish(input)
    }
}
