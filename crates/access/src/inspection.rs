//! Inspection and supervision (*kiểm tra, giám sát*, issue 15): programmes, cases from the
//! decision to the conclusion, recommendations. Discipline and appeals are in
//! `inspection_discipline.rs`, the reads in `inspection_lists.rs`.
//!
//! **Confidential.** A case is seen only by the body that decided it — an account holding the
//! inspector or the secretary role on the deciding organisation itself (its inspection committee
//! or its committee; a grant higher up does not reach it), the console — by the body answering
//! an appeal against its discipline, and, once concluded, by the inspected: the member through
//! their own account, an organisation through the same roles on it. Administrators and staff
//! never see cases (their write rights do not reach them); elsewhere a case is "not found".
//! Audit entries of these writes carry identifiers and codes only, never the content.

use crate::load::{load_member, load_org};
use crate::transaction::write;
use crate::{Chibo, Outcome, Viewer};
use chibo_domain::access::Role;
use chibo_domain::inspection::limitation::{self, Expiry};
use chibo_domain::inspection::{CaseKind, Finding, GraveKind, Mode, Penalty, Step, SubjectKind, Taken};
use chibo_domain::inspection::{check_step, settle_by, steps::deadlines};
use chibo_domain::text::{DECISION_NUMBER, PLAN_ITEM, PLAN_RESPONSIBLE, REVIEW_TEXT};
use chibo_domain::{FieldError, Problem, Validation};
use chibo_store::inspection::{self as store, Case, Recommendation, StepRow};
use chibo_store::orgs::Org;
use chibo_store::{Tx, audit, inspection_figures};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// A case's decision as entered.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseInput {
    pub kind: CaseKind,
    #[serde(default)]
    pub mode: Option<Mode>,
    /// Decided by the inspection committee (else by the committee).
    #[serde(default)]
    pub by_inspection: bool,
    #[serde(default)]
    pub subject_org_id: Option<Uuid>,
    #[serde(default)]
    pub subject_member_id: Option<Uuid>,
    pub decision_number: String,
    pub decided_on: Date,
    #[serde(default)]
    pub team: String,
    #[serde(default)]
    pub content: String,
    pub due_on: Date,
    #[serde(default)]
    pub item_id: Option<Uuid>,
}

/// A step as entered.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StepInput {
    pub step: Step,
    pub on: Date,
    #[serde(default)]
    pub note: String,
}

/// A recommendation as entered.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecommendationInput {
    pub content: String,
    #[serde(default)]
    pub owner: String,
    pub deadline: Date,
}

/// The conclusion as entered: the finding, the texts and, for a violation, its date, level
/// (the form it warrants) and grave kind.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConclusionInput {
    pub on: Date,
    pub finding: Finding,
    #[serde(default)]
    pub strengths: String,
    #[serde(default)]
    pub shortcomings: String,
    #[serde(default)]
    pub violations: String,
    #[serde(default)]
    pub violated_on: Option<Date>,
    /// The form the violation warrants (its level for the limitation period).
    #[serde(default)]
    pub level: Option<Penalty>,
    #[serde(default)]
    pub grave: Option<GraveKind>,
    #[serde(default)]
    pub recommendations: Vec<RecommendationInput>,
}

/// How the viewer stands to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CaseRole {
    /// The deciding body: reads and writes.
    Decider,
    /// The body answering an appeal.
    AppealBody,
    /// The inspected, after the conclusion: reads.
    Inspected,
}

/// The roles that hold a case on an organisation: its inspection committee and its committee.
fn holds(v: &Viewer, org: Uuid) -> bool {
    v.console || v.grants.iter().any(|g| g.org_id == org && matches!(g.role, Role::Inspector | Role::Secretary))
}

/// Whether the viewer holds the inspector role on `org` (decides as its inspection committee).
fn inspector_on(v: &Viewer, org: Uuid) -> bool {
    v.grants.iter().any(|g| g.org_id == org && g.role == Role::Inspector)
}

/// How the viewer stands to `case` (with its appeal's body, if any); `None`: not at all.
pub(crate) fn role_in(v: &Viewer, case: &Case, appeal_body: Option<Uuid>) -> Option<CaseRole> {
    if holds(v, case.org_id) {
        return Some(CaseRole::Decider);
    }
    if appeal_body.is_some_and(|b| holds(v, b)) {
        return Some(CaseRole::AppealBody);
    }
    let inspected = match case.subject_member_id {
        Some(m) => v.own_member_ids().contains(&m),
        None => holds(v, case.subject_org_id),
    };
    (case.concluded_on.is_some() && inspected).then_some(CaseRole::Inspected)
}

/// Load a case the viewer may see (else not found), with how the viewer stands to it.
pub(crate) async fn load_case(tx: &mut impl chibo_store::Exec, v: &Viewer, id: Uuid) -> Outcome<(Case, CaseRole)> {
    let case = store::case_by_id(tx, id).await?.ok_or(Problem::NotFound)?;
    let body = match store::discipline_of_case(tx, id).await? {
        Some(d) => store::appeal_of(tx, d.id).await?.map(|a| a.body_org_id),
        None => None,
    };
    let role = role_in(v, &case, body).ok_or(Problem::NotFound)?;
    Ok((case, role))
}

/// Load a case the viewer decides (else not found, or forbidden for the inspected).
pub(crate) async fn load_own_case(tx: &mut impl chibo_store::Exec, v: &Viewer, id: Uuid) -> Outcome<Case> {
    match load_case(tx, v, id).await? {
        (case, CaseRole::Decider) => Ok(case),
        _ => Err(Problem::Forbidden),
    }
}

/// Refuse unless the viewer holds cases on `org` (its inspection committee or committee).
pub(crate) fn check_holds(v: &Viewer, org: &Org) -> Outcome<()> {
    if holds(v, org.id) { Ok(()) } else { Err(Problem::NotFound) }
}

pub(crate) fn conflict(field: &str, code: &'static str, vi: &str, en: &str) -> Problem {
    Problem::Conflict(FieldError::new(field, code, vi, en))
}

pub(crate) fn required_text(val: &mut Validation, field: &str, text: &str, vi: &str, en: &str) {
    if text.trim().is_empty() {
        val.push(FieldError::required(field, vi, en));
    }
}

/// The case's audit entry: identifiers and codes only.
pub(crate) async fn audit_case(
    tx: &mut Tx,
    v: &Viewer,
    action: &str,
    case: &Case,
    what: serde_json::Value,
) -> Outcome<()> {
    let entry = v.audit(action, "inspection_case", Some(case.id), None, None, Some(what));
    audit::record(tx, &entry).await.map_err(Problem::from)
}

/// Run `change` on the cases of one (decider, subject organisation) pair with their counts
/// taken out before and put back after.
pub(crate) async fn with_counts<T>(
    tx: &mut Tx,
    org: Uuid,
    subject_org: Uuid,
    change: impl AsyncFnOnce(&mut Tx) -> Outcome<T>,
) -> Outcome<T> {
    let d = inspection_figures::pair_detach(tx, org, subject_org).await?;
    let value = change(tx).await?;
    inspection_figures::attach(tx, &d).await?;
    Ok(value)
}

impl Chibo {
    /// Decide a case (*quyết định kiểm tra, giám sát*; *thụ lý* a denunciation or complaint):
    /// by the inspection committee or the committee of `org_id`, on an organisation under it or a
    /// member of its subtree. The decision number is unique per deciding organisation (the same
    /// decision entered twice is a conflict). Its steps get deadlines spread up to `due_on`.
    pub async fn decide_case(&self, v: &Viewer, org_id: Uuid, input: &CaseInput) -> Outcome<Case> {
        let today = self.today();
        write!(self, |tx| {
            let org = load_org(tx, org_id).await?;
            check_holds(v, &org)?;
            let mut val = Validation::default();
            let number = input.decision_number.trim();
            required_text(&mut val, "decision_number", number, "Số quyết định", "Decision number");
            DECISION_NUMBER.check_into(&mut val, Some(number));
            for (f, t) in [("team", &input.team), ("content", &input.content)] {
                if let Some(e) = REVIEW_TEXT.on(f).check(t) {
                    val.push(e);
                }
            }
            if input.by_inspection && !v.console && !inspector_on(v, org.id) && org.kind().is_cell() {
                val.push(FieldError::new(
                    "by_inspection",
                    "no_inspection_committee",
                    "Chi bộ không có ủy ban kiểm tra.",
                    "A cell has no inspection committee.",
                ));
            }
            if input.decided_on > today {
                val.push(FieldError::new(
                    "decided_on",
                    "in_future",
                    "Ngày quyết định: không thể ở tương lai.",
                    "Decision date: cannot be in the future.",
                ));
            }
            if input.due_on < input.decided_on {
                val.push(FieldError::new(
                    "due_on",
                    "before_decision",
                    "Thời hạn: không trước ngày quyết định.",
                    "Due date: not before the decision.",
                ));
            }
            if input.kind.is_petition() {
                let by = settle_by(org.kind(), input.decided_on);
                if input.due_on > by {
                    val.push(FieldError::new(
                        "due_on",
                        "past_settle_deadline",
                        format!(
                            "Thời hạn giải quyết: không quá ngày {} theo quy định.",
                            chibo_domain::date::format_vn(by)
                        ),
                        format!("Due date: no later than {} under the rules.", chibo_domain::date::format_vn(by)),
                    ));
                }
            }
            if input.mode.is_some() && !input.kind.is_supervision() {
                val.push(FieldError::new(
                    "mode",
                    "supervision_only",
                    "Hình thức trực tiếp/gián tiếp chỉ dành cho giám sát.",
                    "Direct or indirect: supervision only.",
                ));
            }
            let subject = subject_of(tx, &org, input.subject_org_id, input.subject_member_id, Some(input.kind)).await;
            let (subject_org_id, subject_kind) = match subject {
                Ok(s) => s,
                Err(e) => {
                    val.push(e);
                    (Uuid::nil(), SubjectKind::Org)
                }
            };
            val.finish(()).map_err(Problem::Invalid)?;
            if store::case_by_number(tx, org.id, number).await?.is_some() {
                return Err(conflict(
                    "decision_number",
                    "duplicate",
                    "Số quyết định: đã có một cuộc kiểm tra, giám sát với số này.",
                    "Decision number: a case with this number exists already.",
                ));
            }
            let subject_org = load_org(tx, subject_org_id).await?;
            let case = Case {
                id: Uuid::now_v7(),
                org_id: org.id,
                by_inspection: input.by_inspection,
                kind: input.kind.code().into(),
                mode: input.mode.map(|m| m.code().into()),
                subject: if subject_kind == SubjectKind::Member { "member" } else { "org" }.into(),
                subject_org_id,
                subject_member_id: input.subject_member_id.filter(|_| subject_kind == SubjectKind::Member),
                covers: subject_kind == SubjectKind::Org
                    && !input.kind.is_petition()
                    && subject_org.parent_id == Some(org.id),
                decision_number: number.into(),
                decided_on: input.decided_on,
                team: input.team.trim().into(),
                content: input.content.trim().into(),
                due_on: input.due_on,
                item_id: input.item_id,
                result: "open".into(),
                violated_on: None,
                violation_level: None,
                grave: None,
                strengths: String::new(),
                shortcomings: String::new(),
                violations: String::new(),
                concluded_on: None,
                by_name: v.display_name.clone(),
                created_at: OffsetDateTime::now_utc(),
                version: 1,
                notice_year: None,
                notice_number: None,
            };
            if let Some(item_id) = input.item_id {
                let item = store::item_by_id(tx, item_id).await?;
                let programme = match &item {
                    Some(i) => store::programme_by_id(tx, i.programme_id).await?,
                    None => None,
                };
                let fits = item.as_ref().zip(programme.as_ref()).is_some_and(|(i, p)| {
                    p.org_id == org.id
                        && i.subject_org_id == subject_org_id
                        && i.subject_member_id == case.subject_member_id
                });
                if !fits {
                    return Err(Problem::field(
                        "item_id",
                        "not_in_programme",
                        "Nội dung chương trình: không thuộc chương trình của tổ chức này hoặc khác đối tượng.",
                        "Programme item: not of this organisation's programme, or another subject.",
                    ));
                }
            }
            with_counts(tx, org.id, subject_org_id, async |tx| {
                store::insert_case(tx, &case).await?;
                if let Some(item_id) = input.item_id
                    && store::link_item(tx, item_id, case.id).await? == 0
                {
                    return Err(conflict(
                        "item_id",
                        "item_taken",
                        "Nội dung chương trình này đã có cuộc kiểm tra.",
                        "This programme item has a case already.",
                    ));
                }
                let steps: Vec<StepRow> = deadlines(input.kind, case.decided_on, case.due_on)
                    .into_iter()
                    .enumerate()
                    .map(|(i, (step, deadline))| StepRow {
                        case_id: case.id,
                        step: step.code().into(),
                        seq: i as i64,
                        deadline: Some(deadline),
                        taken_on: (step == Step::Decision).then_some(case.decided_on),
                        note: String::new(),
                        by_name: (step == Step::Decision).then(|| v.display_name.clone()),
                    })
                    .collect();
                store::insert_steps(tx, &steps).await?;
                Ok(())
            })
            .await?;
            audit_case(
                tx,
                v,
                "inspection.decide",
                &case,
                serde_json::json!({"org_id": org.id, "kind": case.kind, "subject": case.subject}),
            )
            .await?;
            Ok(case)
        })
    }

    /// Take a step of a case (not the conclusion, see [`Chibo::conclude_case`]): in order,
    /// dated, once (a step taken twice is a conflict).
    pub async fn take_step(&self, v: &Viewer, case_id: Uuid, input: &StepInput) -> Outcome<()> {
        let today = self.today();
        write!(self, |tx| {
            let case = load_own_case(tx, v, case_id).await?;
            if input.step == Step::Conclusion {
                return Err(Problem::field(
                    "step",
                    "conclusion_by_form",
                    "Bước kết luận: ghi bằng biểu mẫu kết luận.",
                    "The conclusion: use the conclusion form.",
                ));
            }
            check_taken(tx, &case, input.step, input.on, today).await?;
            if let Some(e) = REVIEW_TEXT.on("note").check(&input.note) {
                return Err(Problem::Invalid(Validation { errors: vec![e] }));
            }
            if store::take_step(tx, case.id, input.step.code(), input.on, input.note.trim(), &v.display_name).await?
                == 0
            {
                return Err(step_taken(input.step));
            }
            store::touch_case(tx, case.id).await?;
            audit_case(tx, v, "inspection.step", &case, serde_json::json!({"step": input.step.code(), "on": input.on}))
                .await
        })
    }

    /// Conclude a case: the finding, the texts, the violation with its limitation period (a
    /// case past it is refused with the dates), the recommendations.
    pub async fn conclude_case(&self, v: &Viewer, case_id: Uuid, input: &ConclusionInput) -> Outcome<Case> {
        let today = self.today();
        write!(self, |tx| {
            let case = load_own_case(tx, v, case_id).await?;
            check_taken(tx, &case, Step::Conclusion, input.on, today).await?;
            let kind = CaseKind::parse(&case.kind).ok_or_else(|| Problem::Unavailable("case kind".into()))?;
            let mut val = Validation::default();
            if !kind.may_find(input.finding) {
                val.push(FieldError::new(
                    "finding",
                    "not_for_kind",
                    "Kết quả: không phù hợp với loại cuộc kiểm tra.",
                    "Finding: does not fit the kind of case.",
                ));
            }
            for (f, t) in [
                ("strengths", &input.strengths),
                ("shortcomings", &input.shortcomings),
                ("violations", &input.violations),
            ] {
                if let Some(e) = REVIEW_TEXT.on(f).check(t) {
                    val.push(e);
                }
            }
            if input.finding.warrants_discipline() {
                if input.violated_on.is_none() {
                    val.push(FieldError::required("violated_on", "Ngày vi phạm", "Date of the violation"));
                }
                if input.level.is_none() {
                    val.push(FieldError::required(
                        "level",
                        "Mức độ vi phạm (hình thức tương ứng)",
                        "Level of the violation",
                    ));
                }
                required_text(&mut val, "violations", &input.violations, "Vi phạm", "Violations");
            }
            if input.violated_on.is_some_and(|d| d > input.on) {
                val.push(FieldError::new(
                    "violated_on",
                    "after_conclusion",
                    "Ngày vi phạm: sau ngày kết luận.",
                    "Date of the violation: after the conclusion.",
                ));
            }
            for (i, r) in input.recommendations.iter().enumerate() {
                let field = |f: &str| format!("recommendations.{i}.{f}");
                if r.content.trim().is_empty() {
                    val.push(FieldError::required(&field("content"), "Nội dung kiến nghị", "Recommendation"));
                }
                for (limit, name, text) in [(PLAN_ITEM, "content", &r.content), (PLAN_RESPONSIBLE, "owner", &r.owner)] {
                    if let Some(e) = limit.check(text) {
                        val.push(FieldError { field: field(name), ..e });
                    }
                }
                if r.deadline < input.on {
                    val.push(FieldError::new(
                        &field("deadline"),
                        "before_conclusion",
                        "Thời hạn: không trước ngày kết luận.",
                        "Deadline: not before the conclusion.",
                    ));
                }
            }
            val.finish(()).map_err(Problem::Invalid)?;
            if let (Some(on), Some(level)) = (input.violated_on, input.level) {
                let later = store::violations_after(tx, case.subject_member_id, case.subject_org_id, on).await?;
                let expiry = limitation::expiry(level.level(), input.grave, on, &later);
                limitation::check(&expiry, on, input.on)
                    .map_err(|e| Problem::Invalid(Validation { errors: vec![e] }))?;
            }
            let mut next = case.clone();
            next.result = input.finding.code().into();
            next.concluded_on = Some(input.on);
            next.violated_on = input.violated_on;
            next.violation_level = input.level.map(|l| l.code().into());
            next.grave = input.grave.map(|g| g.code().into());
            (next.strengths, next.shortcomings, next.violations) =
                (input.strengths.trim().into(), input.shortcomings.trim().into(), input.violations.trim().into());
            with_counts(tx, case.org_id, case.subject_org_id, async |tx| {
                if store::save_conclusion(tx, &next).await? == 0
                    || store::take_step(tx, case.id, Step::Conclusion.code(), input.on, "", &v.display_name).await? == 0
                {
                    return Err(step_taken(Step::Conclusion));
                }
                let recs: Vec<Recommendation> = input
                    .recommendations
                    .iter()
                    .enumerate()
                    .map(|(i, r)| Recommendation {
                        id: Uuid::now_v7(),
                        case_id: case.id,
                        seq: i as i64 + 1,
                        content: r.content.trim().into(),
                        owner: r.owner.trim().into(),
                        deadline: r.deadline,
                        done_on: None,
                        note: String::new(),
                    })
                    .collect();
                store::insert_recommendations(tx, &recs).await?;
                Ok(())
            })
            .await?;
            // The notice's number was given by the database.
            let next = store::case_by_id(tx, case.id).await?.ok_or(Problem::NotFound)?;
            audit_case(
                tx,
                v,
                "inspection.conclude",
                &next,
                serde_json::json!({"finding": next.result, "on": input.on}),
            )
            .await?;
            Ok(next)
        })
    }

    /// Mark a recommendation done (or not) with a note: the deciding body.
    pub async fn mark_recommendation(&self, v: &Viewer, id: Uuid, done_on: Option<Date>, note: &str) -> Outcome<()> {
        let today = self.today();
        write!(self, |tx| {
            let rec = store::recommendation_by_id(tx, id).await?.ok_or(Problem::NotFound)?;
            let case = load_own_case(tx, v, rec.case_id).await?;
            if done_on.is_some_and(|d| d > today) {
                return Err(Problem::field(
                    "done_on",
                    "in_future",
                    "Ngày hoàn thành: không thể ở tương lai.",
                    "Done on: cannot be in the future.",
                ));
            }
            if let Some(e) = PLAN_ITEM.on("note").check(note) {
                return Err(Problem::Invalid(Validation { errors: vec![e] }));
            }
            store::set_recommendation_done(tx, rec.id, done_on, note.trim()).await?;
            store::touch_case(tx, case.id).await?;
            audit_case(
                tx,
                v,
                "inspection.recommendation",
                &case,
                serde_json::json!({"recommendation": rec.id, "done_on": done_on}),
            )
            .await
        })
    }
}

fn step_taken(step: Step) -> Problem {
    conflict(
        "step",
        "taken",
        &format!("Bước «{}» đã được ghi nhận.", step.label(chibo_domain::Lang::Vi)),
        &format!("Step «{}» is already recorded.", step.label(chibo_domain::Lang::En)),
    )
}

/// Check a step against the steps taken (a step taken already is a conflict).
async fn check_taken(tx: &mut Tx, case: &Case, step: Step, on: Date, today: Date) -> Outcome<()> {
    let kind = CaseKind::parse(&case.kind).ok_or_else(|| Problem::Unavailable("case kind".into()))?;
    let taken: Vec<Taken> = store::steps_of(tx, case.id)
        .await?
        .into_iter()
        .filter_map(|s| Some(Taken { step: Step::parse(&s.step)?, on: s.taken_on? }))
        .collect();
    match check_step(kind, &taken, step, on, today) {
        Ok(()) => Ok(()),
        Err(e) if e.code == "taken" => Err(Problem::Conflict(e)),
        Err(e) => Err(Problem::Invalid(Validation { errors: vec![e] })),
    }
}

/// The subject of a case or programme item of `org`: an organisation strictly under it, or a
/// member of its subtree on the rolls (their cell). Fields `subject_org_id`, `subject_member_id`.
pub(crate) async fn subject_of(
    tx: &mut Tx,
    org: &Org,
    subject_org: Option<Uuid>,
    subject_member: Option<Uuid>,
    kind: Option<CaseKind>,
) -> Result<(Uuid, SubjectKind), FieldError> {
    let missing = |f: &str| {
        FieldError::new(
            f,
            "not_found",
            "Đối tượng: không tìm thấy trong tổ chức này.",
            "Subject: not found in this organisation.",
        )
    };
    let (id, subject) = match (subject_member, subject_org) {
        (Some(m), _) => {
            let member = load_member(tx, m).await.map_err(|_| missing("subject_member_id"))?;
            if !chibo_domain::path::is_within(&member.org_path, &org.path) || !member.input.status.is_active() {
                return Err(missing("subject_member_id"));
            }
            (member.input.org_id, SubjectKind::Member)
        }
        (None, Some(o)) => {
            let s = load_org(tx, o).await.map_err(|_| missing("subject_org_id"))?;
            if s.id == org.id || !chibo_domain::path::is_within(&s.path, &org.path) || s.is_dissolved() {
                return Err(missing("subject_org_id"));
            }
            (s.id, SubjectKind::Org)
        }
        (None, None) => return Err(FieldError::required("subject_org_id", "Đối tượng kiểm tra", "Subject")),
    };
    if let Some(k) = kind
        && !k.allows(subject)
    {
        let field = if subject == SubjectKind::Member { "subject_member_id" } else { "subject_org_id" };
        return Err(FieldError::new(
            field,
            "subject_not_for_kind",
            format!("Đối tượng: loại «{}» không áp dụng cho đối tượng này.", k.label(chibo_domain::Lang::Vi)),
            format!("Subject: «{}» does not apply to this subject.", k.label(chibo_domain::Lang::En)),
        ));
    }
    Ok((id, subject))
}

/// The limitation period of a case's violation, as of now (for pages and work lists).
pub fn expiry_of(case: &Case) -> Option<Expiry> {
    let level = Penalty::parse(case.violation_level.as_deref()?)?.level();
    let grave = case.grave.as_deref().and_then(GraveKind::parse);
    Some(limitation::expiry(level, grave, case.violated_on?, &[]))
}
