//! Inspection, supervision and discipline from submitted text: a programme, a case's decision,
//! a step, the conclusion, a recommendation's progress, the discipline (proposal, self-review,
//! ballot) and the appeal. The field names are the same in the JSON API and the forms, and the
//! same as the access layer's refusals (`decision_number`, `violated_on`, `votes`…).

use crate::input::text;
use crate::input::{DateStyle, Fields, loose};
use chibo_access::domain::inspection::{AppealOutcome, CaseKind, Finding, GraveKind, Mode, Penalty, Step};
use chibo_access::{
    AnswerInput, AppealInput, CaseInput, ConclusionInput, DisciplineInput, ItemEdit, ItemInput, ProgrammeEdit,
    ProgrammeInput, ProposalInput, RecommendationInput, SelfReviewInput, StepInput, Validation,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A programme, as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ProgrammeFields {
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub year: Option<String>,
    /// `inspection` or `supervision`.
    pub kind: Option<String>,
    pub title: Option<String>,
    pub items: Vec<ProgrammeItemFields>,
}

/// One planned item, as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ProgrammeItemFields {
    /// The item changed (an edit); none for a new one.
    pub id: Option<String>,
    pub subject_org_id: Option<String>,
    pub subject_member_id: Option<String>,
    pub content: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub planned_month: Option<String>,
}

/// The items as entered, each with the id of the item it changes (an edit), field names
/// `items.{i}.…`.
fn parse_items(f: &mut Fields, items: &[ProgrammeItemFields]) -> Vec<ItemEdit> {
    items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let field = |name: &str| format!("items.{i}.{name}");
            ItemEdit {
                id: f.optional_uuid(&field("id"), "Nội dung", "Item", &it.id),
                item: ItemInput {
                    subject_org_id: f.optional_uuid(
                        &field("subject_org_id"),
                        "Tổ chức",
                        "Organisation",
                        &it.subject_org_id,
                    ),
                    subject_member_id: f.optional_uuid(
                        &field("subject_member_id"),
                        "Đảng viên",
                        "Member",
                        &it.subject_member_id,
                    ),
                    content: text(&it.content),
                    planned_month: f
                        .count(&field("planned_month"), "Tháng", "Month", &it.planned_month)
                        .unwrap_or(0)
                        .min(255) as u8,
                },
            }
        })
        .collect()
}

impl ProgrammeFields {
    pub fn parse(&self) -> Result<ProgrammeInput, Validation> {
        let mut f = Fields::new(DateStyle::Iso);
        let year = f.int("year", "Năm", "Year", &self.year).unwrap_or(0);
        let items = parse_items(&mut f, &self.items).into_iter().map(|e| e.item).collect();
        f.errors.finish(ProgrammeInput { year, kind: text(&self.kind), title: text(&self.title), items })
    }
}

/// A programme's edit, as text: the new title and items (each with its id, or none for a new
/// one; an item left out is removed), and the version read.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ProgrammeEditFields {
    pub title: Option<String>,
    pub items: Vec<ProgrammeItemFields>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub version: Option<String>,
}

impl ProgrammeEditFields {
    pub fn parse(&self) -> Result<ProgrammeEdit, Validation> {
        let mut f = Fields::new(DateStyle::Iso);
        let items = parse_items(&mut f, &self.items);
        let version = match self.version.as_deref().map(str::trim).and_then(|v| v.parse().ok()) {
            Some(v) => v,
            None => {
                f.errors.push(chibo_access::FieldError::required("version", "Phiên bản hồ sơ", "Record version"));
                0
            }
        };
        f.errors.finish(ProgrammeEdit { title: text(&self.title), items, version })
    }
}

/// A case's decision, as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct CaseFields {
    /// A `CaseKind` code (`inspect_org`, `supervise_thematic`, `denunciation` …).
    pub kind: Option<String>,
    /// Supervision only: `direct` or `indirect`.
    pub mode: Option<String>,
    /// Decided by the inspection committee (`true`), else by the committee.
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::flag_schema)]
    pub by_inspection: Option<String>,
    pub subject_org_id: Option<String>,
    pub subject_member_id: Option<String>,
    pub decision_number: Option<String>,
    pub decided_on: Option<String>,
    pub team: Option<String>,
    pub content: Option<String>,
    pub due_on: Option<String>,
    pub item_id: Option<String>,
}

impl CaseFields {
    pub fn parse(&self, style: DateStyle) -> Result<CaseInput, Validation> {
        let mut f = Fields::new(style);
        let kind = f.choice("kind", "Loại", "Kind", &self.kind, CaseKind::parse).unwrap_or(CaseKind::InspectOrg);
        let input = CaseInput {
            kind,
            mode: f.optional_choice("mode", "Hình thức giám sát", "Mode", &self.mode, Mode::parse),
            by_inspection: crate::input::truthy(&self.by_inspection),
            subject_org_id: f.optional_uuid("subject_org_id", "Tổ chức", "Organisation", &self.subject_org_id),
            subject_member_id: f.optional_uuid("subject_member_id", "Đảng viên", "Member", &self.subject_member_id),
            decision_number: text(&self.decision_number),
            decided_on: f.required_date("decided_on", "Ngày quyết định", "Decision date", &self.decided_on),
            team: text(&self.team),
            content: text(&self.content),
            due_on: f.required_date("due_on", "Thời hạn", "Due date", &self.due_on),
            item_id: f.optional_uuid("item_id", "Nội dung chương trình", "Programme item", &self.item_id),
        };
        f.errors.finish(input)
    }
}

/// A step, as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct StepFields {
    /// `announcement`, `report`, `verification` or `draft_conclusion`.
    pub step: Option<String>,
    pub on: Option<String>,
    pub note: Option<String>,
}

impl StepFields {
    pub fn parse(&self, style: DateStyle) -> Result<StepInput, Validation> {
        let mut f = Fields::new(style);
        let step = f.choice("step", "Bước", "Step", &self.step, Step::parse).unwrap_or(Step::Announcement);
        let on = f.required_date("on", "Ngày", "Date", &self.on);
        f.errors.finish(StepInput { step, on, note: text(&self.note) })
    }
}

/// A recommendation, as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct RecommendationFields {
    pub content: Option<String>,
    pub owner: Option<String>,
    pub deadline: Option<String>,
}

/// The conclusion, as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ConclusionFields {
    pub on: Option<String>,
    /// A `Finding` code.
    pub finding: Option<String>,
    pub strengths: Option<String>,
    pub shortcomings: Option<String>,
    pub violations: Option<String>,
    pub violated_on: Option<String>,
    /// The form the violation warrants: `reprimand`, `warning`, `removal`, `expulsion`, `dissolution`.
    pub level: Option<String>,
    /// `internal_politics`, `defence_security_foreign` or `illegal_diplomas`.
    pub grave: Option<String>,
    pub recommendations: Vec<RecommendationFields>,
}

impl ConclusionFields {
    pub fn parse(&self, style: DateStyle) -> Result<ConclusionInput, Validation> {
        let mut f = Fields::new(style);
        let on = f.required_date("on", "Ngày kết luận", "Conclusion date", &self.on);
        let finding = f.choice("finding", "Kết quả", "Finding", &self.finding, Finding::parse).unwrap_or(Finding::Good);
        let recommendations = self
            .recommendations
            .iter()
            .enumerate()
            .filter(|(_, r)| r.content.as_deref().is_some_and(|c| !c.trim().is_empty()))
            .map(|(i, r)| RecommendationInput {
                content: text(&r.content),
                owner: text(&r.owner),
                deadline: f.required_date(
                    &format!("recommendations.{i}.deadline"),
                    "Thời hạn",
                    "Deadline",
                    &r.deadline,
                ),
            })
            .collect();
        let input = ConclusionInput {
            on,
            finding,
            strengths: text(&self.strengths),
            shortcomings: text(&self.shortcomings),
            violations: text(&self.violations),
            violated_on: f.date("violated_on", "Ngày vi phạm", "Date of the violation", &self.violated_on),
            level: f.optional_choice("level", "Mức độ vi phạm", "Level", &self.level, Penalty::parse),
            grave: f.optional_choice("grave", "Loại vi phạm", "Grave kind", &self.grave, GraveKind::parse),
            recommendations,
        };
        f.errors.finish(input)
    }
}

/// A discipline proposal, as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ProposalFields {
    pub form: Option<String>,
    pub on: Option<String>,
    pub reason: Option<String>,
}

impl ProposalFields {
    pub fn parse(&self, style: DateStyle) -> Result<ProposalInput, Validation> {
        let mut f = Fields::new(style);
        let form =
            f.choice("form", "Hình thức kỷ luật", "Form", &self.form, Penalty::parse).unwrap_or(Penalty::Reprimand);
        let on = f.required_date("on", "Ngày đề nghị", "Proposed on", &self.on);
        f.errors.finish(ProposalInput { form, on, reason: text(&self.reason) })
    }
}

/// A self-review, as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct SelfReviewFields {
    pub on: Option<String>,
    pub text: Option<String>,
}

impl SelfReviewFields {
    pub fn parse(&self, style: DateStyle) -> Result<SelfReviewInput, Validation> {
        let mut f = Fields::new(style);
        let on = f.required_date("on", "Ngày kiểm điểm", "Date", &self.on);
        f.errors.finish(SelfReviewInput { on, text: text(&self.text) })
    }
}

/// The ballot and decision, as text: ballots per form (`votes_reprimand` …).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct BallotFields {
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub members: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub votes_reprimand: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub votes_warning: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub votes_removal: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub votes_expulsion: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub votes_dissolution: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub votes_none: Option<String>,
    pub decision_number: Option<String>,
    pub decided_on: Option<String>,
    pub received_on: Option<String>,
}

impl BallotFields {
    pub fn parse(&self, style: DateStyle) -> Result<DisciplineInput, Validation> {
        let mut f = Fields::new(style);
        let members = f.count("members", "Số thành viên", "Members", &self.members).unwrap_or(0);
        let mut votes = Vec::new();
        for (p, v) in [
            (Penalty::Reprimand, &self.votes_reprimand),
            (Penalty::Warning, &self.votes_warning),
            (Penalty::Removal, &self.votes_removal),
            (Penalty::Expulsion, &self.votes_expulsion),
            (Penalty::Dissolution, &self.votes_dissolution),
        ] {
            let n = f.count(&format!("votes_{}", p.code()), "Số phiếu", "Votes", v).unwrap_or(0);
            if n > 0 {
                votes.push((p, n));
            }
        }
        let input = DisciplineInput {
            members,
            votes,
            votes_none: f.count("votes_none", "Phiếu không kỷ luật", "Votes for none", &self.votes_none).unwrap_or(0),
            decision_number: text(&self.decision_number),
            decided_on: f.required_date("decided_on", "Ngày quyết định", "Decided on", &self.decided_on),
            received_on: f.required_date("received_on", "Ngày nhận quyết định", "Received on", &self.received_on),
        };
        f.errors.finish(input)
    }
}

/// An appeal, as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct AppealFields {
    pub filed_on: Option<String>,
    pub content: Option<String>,
}

impl AppealFields {
    pub fn parse(&self, style: DateStyle) -> Result<AppealInput, Validation> {
        let mut f = Fields::new(style);
        let filed_on = f.required_date("filed_on", "Ngày khiếu nại", "Filed on", &self.filed_on);
        f.errors.finish(AppealInput { filed_on, content: text(&self.content) })
    }
}

/// The answer to an appeal, as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct AppealAnswerFields {
    /// `upheld`, `reduced` or `annulled`.
    pub outcome: Option<String>,
    /// The lighter form when reduced.
    pub new_form: Option<String>,
    pub answer_number: Option<String>,
    pub answered_on: Option<String>,
}

impl AppealAnswerFields {
    pub fn parse(&self, style: DateStyle) -> Result<AnswerInput, Validation> {
        let mut f = Fields::new(style);
        let outcome = f
            .choice("outcome", "Kết quả giải quyết", "Outcome", &self.outcome, AppealOutcome::parse)
            .unwrap_or(AppealOutcome::Upheld);
        let input = AnswerInput {
            outcome,
            new_form: f.optional_choice("new_form", "Hình thức mới", "New form", &self.new_form, Penalty::parse),
            answer_number: text(&self.answer_number),
            answered_on: f.required_date("answered_on", "Ngày giải quyết", "Answered on", &self.answered_on),
        };
        f.errors.finish(input)
    }
}
