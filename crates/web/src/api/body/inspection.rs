//! Inspection, supervision and discipline: programmes, cases with their steps, conclusion,
//! recommendations, discipline and appeal, the figures with coverage, the work list.

use super::review::Coded;
use super::{iso, iso_opt};
use chibo_access::domain::inspection::{AppealOutcome, CaseKind, Coverage, Finding, Penalty, Step};
use chibo_access::{
    CaseLine, CaseView, InspectionAppeal, InspectionDiscipline, InspectionFigures, InspectionWork, Lang, ProgrammeView,
    Recommendation, StepRow,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

fn coded<T: Copy>(
    code: &str,
    parse: impl Fn(&str) -> Option<T>,
    label: impl Fn(T, Lang) -> &'static str,
    lang: Lang,
) -> Coded {
    Coded {
        code: code.into(),
        label: parse(code).map(|x| label(x, lang).to_string()).unwrap_or_else(|| code.to_string()),
    }
}

fn penalty(code: &str, lang: Lang) -> Coded {
    coded(code, Penalty::parse, Penalty::label, lang)
}

/// A planned item of a programme.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeItemBody {
    pub id: Uuid,
    pub subject_org_id: Uuid,
    pub subject_member_id: Option<Uuid>,
    pub subject_name: String,
    pub content: String,
    pub planned_month: i64,
    /// The case that carried it out (null: not started).
    pub case_id: Option<Uuid>,
}

/// A programme of inspection or supervision.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeBody {
    pub id: Uuid,
    pub org_id: Uuid,
    pub year: i64,
    /// `inspection` or `supervision`.
    pub kind: String,
    pub title: String,
    pub items: Vec<ProgrammeItemBody>,
    /// The version to send back with an edit.
    pub version: i64,
}

impl ProgrammeBody {
    pub fn new(p: &ProgrammeView) -> ProgrammeBody {
        let g = &p.programme;
        ProgrammeBody {
            id: g.id,
            org_id: g.org_id,
            year: g.year,
            kind: g.kind.clone(),
            title: g.title.clone(),
            items: p
                .items
                .iter()
                .map(|(i, name)| ProgrammeItemBody {
                    id: i.id,
                    subject_org_id: i.subject_org_id,
                    subject_member_id: i.subject_member_id,
                    subject_name: name.clone(),
                    content: i.content.clone(),
                    planned_month: i.planned_month,
                    case_id: i.case_id,
                })
                .collect(),
            version: g.version,
        }
    }
}

/// A case as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseBody {
    pub id: Uuid,
    pub org_id: Uuid,
    pub decider_name: String,
    pub by_inspection: bool,
    pub kind: Coded,
    pub mode: Option<String>,
    /// `org` or `member`.
    pub subject: String,
    pub subject_org_id: Uuid,
    pub subject_member_id: Option<Uuid>,
    pub subject_name: String,
    pub covers: bool,
    pub decision_number: String,
    pub decided_on: String,
    pub due_on: String,
    pub team: String,
    pub content: String,
    /// `open`, or the finding.
    pub result: Coded,
    pub concluded_on: Option<String>,
    /// The notice of the conclusion: its year and its number in that year for the issuing body
    /// (`Số 12-TB/UBKT`); null while open.
    pub notice_year: Option<i64>,
    pub notice_number: Option<i64>,
    pub version: i64,
}

impl CaseBody {
    pub fn new(l: &CaseLine, lang: Lang) -> CaseBody {
        let c = &l.case;
        let result = if c.result == "open" {
            Coded { code: "open".into(), label: lang.pick("Đang tiến hành", "Open").into() }
        } else {
            coded(&c.result, Finding::parse, Finding::label, lang)
        };
        CaseBody {
            id: c.id,
            org_id: c.org_id,
            decider_name: l.decider_name.clone(),
            by_inspection: c.by_inspection,
            kind: coded(&c.kind, CaseKind::parse, CaseKind::label, lang),
            mode: c.mode.clone(),
            subject: c.subject.clone(),
            subject_org_id: c.subject_org_id,
            subject_member_id: c.subject_member_id,
            subject_name: l.subject_name.clone(),
            covers: c.covers,
            decision_number: c.decision_number.clone(),
            decided_on: iso(c.decided_on),
            due_on: iso(c.due_on),
            team: c.team.clone(),
            content: c.content.clone(),
            result,
            concluded_on: iso_opt(c.concluded_on),
            notice_year: c.notice_year,
            notice_number: c.notice_number,
            version: c.version,
        }
    }
}

/// A step of a case.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepBody {
    pub step: Coded,
    pub deadline: Option<String>,
    pub taken_on: Option<String>,
    pub note: String,
}

impl StepBody {
    fn new(s: &StepRow, lang: Lang) -> StepBody {
        StepBody {
            step: coded(&s.step, Step::parse, Step::label, lang),
            deadline: iso_opt(s.deadline),
            taken_on: iso_opt(s.taken_on),
            note: s.note.clone(),
        }
    }
}

/// A recommendation of a conclusion.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendationBody {
    pub id: Uuid,
    pub content: String,
    pub owner: String,
    pub deadline: String,
    pub done_on: Option<String>,
    pub note: String,
}

impl RecommendationBody {
    fn new(r: &Recommendation) -> RecommendationBody {
        RecommendationBody {
            id: r.id,
            content: r.content.clone(),
            owner: r.owner.clone(),
            deadline: iso(r.deadline),
            done_on: iso_opt(r.done_on),
            note: r.note.clone(),
        }
    }
}

/// The discipline of a case.
#[derive(Debug, Serialize, ToSchema)]
pub struct DisciplineBody {
    pub proposed_form: Coded,
    pub proposed_on: String,
    pub reason: String,
    pub self_review_on: Option<String>,
    pub self_review: String,
    pub body_members: Option<i64>,
    /// Ballots per form, `form:n,…`.
    pub votes: String,
    pub votes_none: Option<i64>,
    pub decided_form: Option<Coded>,
    pub decision_number: Option<String>,
    pub decided_on: Option<String>,
    pub received_on: Option<String>,
    /// The form in force (null once annulled).
    pub form_in_force: Option<Coded>,
    pub event_id: Option<Uuid>,
}

impl DisciplineBody {
    pub fn new(d: &InspectionDiscipline, lang: Lang) -> DisciplineBody {
        DisciplineBody {
            proposed_form: penalty(&d.proposed_form, lang),
            proposed_on: iso(d.proposed_on),
            reason: d.reason.clone(),
            self_review_on: iso_opt(d.self_review_on),
            self_review: d.self_review.clone(),
            body_members: d.body_members,
            votes: d.votes.clone(),
            votes_none: d.votes_none,
            decided_form: d.decided_form.as_deref().map(|f| penalty(f, lang)),
            decision_number: d.decision_number.clone(),
            decided_on: iso_opt(d.decided_on),
            received_on: iso_opt(d.received_on),
            form_in_force: d.form_in_force.as_deref().map(|f| penalty(f, lang)),
            event_id: d.event_id,
        }
    }
}

/// An appeal against a discipline.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppealBody {
    pub id: Uuid,
    pub filed_on: String,
    pub answer_by: String,
    pub body_org_id: Uuid,
    pub content: String,
    pub outcome: Option<Coded>,
    pub new_form: Option<Coded>,
    pub answer_number: Option<String>,
    pub answered_on: Option<String>,
}

impl AppealBody {
    pub fn new(a: &InspectionAppeal, lang: Lang) -> AppealBody {
        AppealBody {
            id: a.id,
            filed_on: iso(a.filed_on),
            answer_by: iso(a.answer_by),
            body_org_id: a.body_org_id,
            content: a.content.clone(),
            outcome: a.outcome.as_deref().map(|o| coded(o, AppealOutcome::parse, AppealOutcome::label, lang)),
            new_form: a.new_form.as_deref().map(|f| penalty(f, lang)),
            answer_number: a.answer_number.clone(),
            answered_on: iso_opt(a.answered_on),
        }
    }
}

/// A case with everything recorded on it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseViewBody {
    pub case: CaseBody,
    /// `decider`, `appeal_body` or `inspected`.
    pub role: String,
    pub steps: Vec<StepBody>,
    pub next_step: Option<Coded>,
    pub strengths: String,
    pub shortcomings: String,
    pub violations: String,
    pub violated_on: Option<String>,
    pub limitation_ends: Option<String>,
    pub recommendations: Vec<RecommendationBody>,
    pub discipline: Option<DisciplineBody>,
    pub appeal: Option<AppealBody>,
}

impl CaseViewBody {
    pub fn new(v: &CaseView, lang: Lang) -> CaseViewBody {
        let c = &v.line.case;
        CaseViewBody {
            case: CaseBody::new(&v.line, lang),
            role: match v.role {
                chibo_access::CaseRole::Decider => "decider",
                chibo_access::CaseRole::AppealBody => "appeal_body",
                chibo_access::CaseRole::Inspected => "inspected",
            }
            .into(),
            steps: v.steps.iter().map(|s| StepBody::new(s, lang)).collect(),
            next_step: v.next.map(|s| Coded { code: s.code().into(), label: s.label(lang).into() }),
            strengths: c.strengths.clone(),
            shortcomings: c.shortcomings.clone(),
            violations: c.violations.clone(),
            violated_on: iso_opt(c.violated_on),
            limitation_ends: iso_opt(v.limitation_ends),
            recommendations: v.recommendations.iter().map(RecommendationBody::new).collect(),
            discipline: v.discipline.as_ref().map(|d| DisciplineBody::new(d, lang)),
            appeal: v.appeal.as_ref().map(|a| AppealBody::new(a, lang)),
        }
    }
}

/// Organisations covered over those owed.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoverageBody {
    pub covered: u64,
    pub owed: u64,
    /// Percent with one decimal (null: nothing owed).
    pub percent: Option<String>,
}

impl CoverageBody {
    pub fn new(c: Coverage) -> CoverageBody {
        CoverageBody { covered: c.covered, owed: c.owed, percent: c.percent_text() }
    }
}

/// One kind's cases.
#[derive(Debug, Serialize, ToSchema)]
pub struct KindCountBody {
    pub kind: Coded,
    pub orgs: i64,
    pub members: i64,
    pub open: i64,
    pub concluded: i64,
}

/// A code and a count.
#[derive(Debug, Serialize, ToSchema)]
pub struct CodedCount {
    pub code: Coded,
    pub n: i64,
}

/// An organisation directly under, for the drill-down.
#[derive(Debug, Serialize, ToSchema)]
pub struct InspectionChildBody {
    pub org_id: Uuid,
    pub name: String,
    pub cases: i64,
    pub covered_by_parent: bool,
    pub coverage: CoverageBody,
}

/// The figures of a subtree for a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct InspectionFiguresBody {
    pub org_id: Uuid,
    pub period: String,
    pub first_day: String,
    pub last_day: String,
    pub total_cases: i64,
    pub kinds: Vec<KindCountBody>,
    pub findings: Vec<CodedCount>,
    pub disciplined_members: Vec<CodedCount>,
    pub disciplined_orgs: Vec<CodedCount>,
    pub coverage_own: CoverageBody,
    pub coverage_subtree: CoverageBody,
    pub children: Vec<InspectionChildBody>,
}

impl InspectionFiguresBody {
    pub fn new(f: &InspectionFigures, lang: Lang) -> InspectionFiguresBody {
        let counts = |v: &[(String, i64)], finding: bool| {
            v.iter()
                .map(|(code, n)| CodedCount {
                    code: if finding { coded(code, Finding::parse, Finding::label, lang) } else { penalty(code, lang) },
                    n: *n,
                })
                .collect()
        };
        InspectionFiguresBody {
            org_id: f.org.id,
            period: f.period.clone(),
            first_day: iso(f.first_day),
            last_day: iso(f.last_day),
            total_cases: f.total_cases,
            kinds: f
                .kinds
                .iter()
                .map(|k| KindCountBody {
                    kind: coded(&k.kind, CaseKind::parse, CaseKind::label, lang),
                    orgs: k.orgs,
                    members: k.members,
                    open: k.open,
                    concluded: k.concluded,
                })
                .collect(),
            findings: counts(&f.findings, true),
            disciplined_members: counts(&f.disciplined_members, false),
            disciplined_orgs: counts(&f.disciplined_orgs, false),
            coverage_own: CoverageBody::new(f.coverage_own),
            coverage_subtree: CoverageBody::new(f.coverage_subtree),
            children: f
                .children
                .iter()
                .map(|c| InspectionChildBody {
                    org_id: c.org.id,
                    name: c.org.input.name.clone(),
                    cases: c.cases,
                    covered_by_parent: c.covered_by_parent,
                    coverage: CoverageBody::new(c.coverage),
                })
                .collect(),
        }
    }
}

/// A line of a work list: the case and what waits.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkLineBody {
    pub case: CaseBody,
    /// What waits (the step, the recommendation, the appeal).
    pub what: String,
    /// Its deadline or date.
    pub on: String,
}

/// A programme item not started.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemWaitingBody {
    pub programme_id: Uuid,
    pub item_id: Uuid,
    pub subject_name: String,
    pub content: String,
    pub planned_month: i64,
}

/// The work list of a deciding body.
#[derive(Debug, Serialize, ToSchema)]
pub struct InspectionWorkBody {
    pub items_not_started: Vec<ItemWaitingBody>,
    pub steps_overdue: Vec<WorkLineBody>,
    pub recommendations_overdue: Vec<WorkLineBody>,
    pub limitation_soon: Vec<WorkLineBody>,
    pub appeals_waiting: Vec<WorkLineBody>,
}

impl InspectionWorkBody {
    pub fn new(w: &InspectionWork, lang: Lang) -> InspectionWorkBody {
        let line = |l: &CaseLine, what: String, on: time::Date| WorkLineBody {
            case: CaseBody::new(l, lang),
            what,
            on: iso(on),
        };
        InspectionWorkBody {
            items_not_started: w
                .items_not_started
                .iter()
                .map(|(p, i, name)| ItemWaitingBody {
                    programme_id: p.id,
                    item_id: i.id,
                    subject_name: name.clone(),
                    content: i.content.clone(),
                    planned_month: i.planned_month,
                })
                .collect(),
            steps_overdue: w
                .steps_overdue
                .iter()
                .map(|(l, s)| {
                    let what = Step::parse(&s.step).map(|x| x.label(lang).to_string()).unwrap_or_default();
                    line(l, what, s.deadline.unwrap_or(l.case.due_on))
                })
                .collect(),
            recommendations_overdue: w
                .recommendations_overdue
                .iter()
                .map(|(l, r)| line(l, r.content.clone(), r.deadline))
                .collect(),
            limitation_soon: w
                .limitation_soon
                .iter()
                .map(|(l, on)| line(l, lang.pick("Hết thời hiệu xử lý kỷ luật", "Limitation period ends").into(), *on))
                .collect(),
            appeals_waiting: w.appeals_waiting.iter().map(|(l, a)| line(l, a.content.clone(), a.answer_by)).collect(),
        }
    }
}

/// A document attached to a case, without its bytes.
#[derive(Serialize, ToSchema)]
pub struct CaseDocumentBody {
    pub id: Uuid,
    pub case_id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: String,
    /// Unix seconds.
    pub uploaded_at: i64,
    /// Where to download it.
    pub href: String,
}

impl From<&chibo_access::CaseDocument> for CaseDocumentBody {
    fn from(d: &chibo_access::CaseDocument) -> Self {
        CaseDocumentBody {
            id: d.id,
            case_id: d.case_id,
            file_name: d.file_name.clone(),
            content_type: d.content_type.clone(),
            size: d.size,
            sha256: d.sha256.clone(),
            uploaded_by: d.uploaded_by.clone(),
            uploaded_at: d.uploaded_at.unix_timestamp(),
            href: format!("/api/v1/inspection/documents/{}", d.id),
        }
    }
}
