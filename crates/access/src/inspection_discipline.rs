//! Discipline from a case (*thi hành kỷ luật*) and appeals (*khiếu nại kỷ luật*): the proposal,
//! the inspected's self-review, the secret ballot of the competent body and its decision — which
//! becomes the member's `disciplined` event through the life cycle's one path
//! ([`crate::life::append_event`]), so the annual review's discipline cap sees it, or the
//! organisation's dated event (`inspection_org_events`) — then the
//! appeal within its deadline, answered by the level directly above; an appeal that annuls or
//! reduces the discipline voids the event (and records the lighter one), the history keeps both.

use crate::inspection::{CaseRole, audit_case, load_case, load_own_case, with_counts};
use crate::inspection_org_events::{self as org_events, OrgDecision};
use crate::life::append_event;
use crate::load::{load_member, load_org};
use crate::transaction::write;
use crate::{Chibo, Outcome, Viewer};
use chibo_domain::inspection::competence::{self, body_of};
use chibo_domain::inspection::{
    After, AppealOutcome, Ballot, Finding, Penalty, answering_body, check_dated, check_filed, settle_by,
};
use chibo_domain::life::{Decision, Detail, Event, EventKind};
use chibo_domain::text::{DECISION_NUMBER, EVENT_REASON, REVIEW_TEXT};
use chibo_domain::{FieldError, Problem, Validation};
use chibo_store::Tx;
use chibo_store::inspection::{self as store, Appeal, Case, Discipline};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// The proposal as entered.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProposalInput {
    pub form: Penalty,
    pub on: Date,
    #[serde(default)]
    pub reason: String,
}

/// The inspected's self-review (*bản kiểm điểm*).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SelfReviewInput {
    pub on: Date,
    pub text: String,
}

/// The ballot and the decision as entered.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DecisionInput {
    /// Members of the deciding body.
    pub members: u32,
    /// Ballots per form.
    pub votes: Vec<(Penalty, u32)>,
    #[serde(default)]
    pub votes_none: u32,
    pub decision_number: String,
    pub decided_on: Date,
    /// The day the disciplined received the decision (the appeal's clock).
    pub received_on: Date,
}

/// An appeal as entered.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AppealInput {
    pub filed_on: Date,
    #[serde(default)]
    pub content: String,
}

/// The answer to an appeal as entered.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AnswerInput {
    pub outcome: AppealOutcome,
    /// The lighter form, when reduced.
    #[serde(default)]
    pub new_form: Option<Penalty>,
    pub answer_number: String,
    pub answered_on: Date,
}

fn invalid(e: FieldError) -> Problem {
    Problem::Invalid(Validation { errors: vec![e] })
}

fn conflict(field: &str, code: &'static str, vi: &str, en: &str) -> Problem {
    Problem::Conflict(FieldError::new(field, code, vi, en))
}

/// A discipline not decided yet: the conflict once it is.
fn undecided(d: &Discipline) -> Outcome<()> {
    refuse_if(
        d.decided_on.is_some(),
        "case",
        "decided",
        "Đã có quyết định kỷ luật.",
        "The discipline is decided already.",
    )
}

/// An appeal not answered yet: the conflict once it is.
fn unanswered(answered: bool) -> Outcome<()> {
    refuse_if(answered, "outcome", "answered", "Khiếu nại đã được giải quyết.", "The appeal is answered already.")
}

/// The conflict when `done` (the thing is there already, or not yet possible).
fn refuse_if(done: bool, field: &str, code: &'static str, vi: &str, en: &str) -> Outcome<()> {
    if done { Err(conflict(field, code, vi, en)) } else { Ok(()) }
}

/// `on` is not after today nor before `after` (the fact it follows): the field's error otherwise.
fn dated(field: &str, label: (&str, &str), on: Date, today: Date, after: Option<After>) -> Outcome<()> {
    check_dated(field, label, on, today, after.as_ref()).map_err(invalid)
}

/// A decision's number: required and within its limits.
fn decision_number<'a>(field: &'static str, label: (&str, &str), number: &'a str) -> Outcome<&'a str> {
    let number = number.trim();
    if number.is_empty() {
        return Err(invalid(FieldError::required(field, label.0, label.1)));
    }
    match DECISION_NUMBER.on(field).check(number) {
        Some(e) => Err(invalid(e)),
        None => Ok(number),
    }
}

fn votes_text(votes: &[(Penalty, u32)]) -> String {
    votes.iter().map(|(p, n)| format!("{}:{n}", p.code())).collect::<Vec<_>>().join(",")
}

/// The discipline of a case, else a conflict naming what is missing.
async fn discipline_of(tx: &mut Tx, case: &Case) -> Outcome<Discipline> {
    store::discipline_of_case(tx, case.id)
        .await?
        .ok_or_else(|| conflict("case", "no_proposal", "Chưa có đề nghị kỷ luật.", "No discipline proposal yet."))
}

impl Chibo {
    /// Propose discipline after a conclusion that found it warranted: the deciding body.
    pub async fn propose_discipline(&self, v: &Viewer, case_id: Uuid, input: &ProposalInput) -> Outcome<Discipline> {
        let today = self.today();
        write!(self, |tx| {
            let case = load_own_case(tx, v, case_id).await?;
            refuse_if(
                case.result != Finding::DisciplineWarranted.code(),
                "case",
                "not_warranted",
                "Kết luận chưa xác định vi phạm đến mức phải kỷ luật.",
                "The conclusion did not find discipline warranted.",
            )?;
            let after =
                case.concluded_on.map(|c| After::new(c, "before_conclusion", "ngày kết luận", "the conclusion"));
            dated("on", ("Ngày đề nghị", "Proposed on"), input.on, today, after)?;
            input.form.check_subject(case.subject == "org", input.on).map_err(invalid)?;
            if let Some(e) = EVENT_REASON.check(&input.reason) {
                return Err(invalid(e));
            }
            refuse_if(
                store::discipline_of_case(tx, case.id).await?.is_some(),
                "case",
                "proposal_exists",
                "Đã có đề nghị kỷ luật của cuộc kiểm tra này.",
                "This case has a discipline proposal already.",
            )?;
            let (form, reason) = (input.form.code(), input.reason.trim());
            let d = Discipline::proposed(Uuid::now_v7(), case.id, form, input.on, reason, &v.display_name);
            store::insert_discipline(tx, &d).await?;
            audit_case(tx, v, "inspection.propose", &case, serde_json::json!({"form": d.proposed_form})).await?;
            Ok(d)
        })
    }

    /// The inspected's self-review: the member through their own account (the case is theirs
    /// to read once concluded), or the deciding body recording it.
    pub async fn record_self_review(&self, v: &Viewer, case_id: Uuid, input: &SelfReviewInput) -> Outcome<()> {
        let today = self.today();
        write!(self, |tx| {
            let (case, role) = load_case(tx, v, case_id).await?;
            if role == CaseRole::AppealBody {
                return Err(Problem::Forbidden);
            }
            let mut d = discipline_of(tx, &case).await?;
            undecided(&d)?;
            dated("on", ("Ngày", "Date"), input.on, today, None)?;
            if input.text.trim().is_empty() {
                return Err(invalid(FieldError::required("text", "Bản kiểm điểm", "Self-review")));
            }
            if let Some(e) = REVIEW_TEXT.check(&input.text) {
                return Err(invalid(e));
            }
            (d.self_review_on, d.self_review) = (Some(input.on), input.text.trim().into());
            if store::save_discipline(tx, &d).await? == 0 {
                return Err(Problem::stale());
            }
            audit_case(tx, v, "inspection.self_review", &case, serde_json::json!({"on": input.on})).await
        })
    }

    /// The ballot and decision of the competent body: the form with more than half of its
    /// members (heavier ballots counting for lighter forms), within the body's competence; a
    /// member's discipline becomes their `disciplined` event.
    pub async fn decide_discipline(&self, v: &Viewer, case_id: Uuid, input: &DecisionInput) -> Outcome<Discipline> {
        let today = self.today();
        write!(self, |tx| {
            let case = load_own_case(tx, v, case_id).await?;
            let mut d = discipline_of(tx, &case).await?;
            undecided(&d)?;
            let after = After::new(d.proposed_on, "before_proposal", "ngày đề nghị", "the proposal");
            dated("decided_on", ("Ngày quyết định", "Decided on"), input.decided_on, today, Some(after))?;
            if input.received_on < input.decided_on || input.received_on > today {
                return Err(Problem::field(
                    "received_on",
                    "out_of_range",
                    "Ngày nhận quyết định: từ ngày quyết định đến hôm nay.",
                    "Received on: from the decision to today.",
                ));
            }
            let number =
                decision_number("decision_number", ("Số quyết định", "Decision number"), &input.decision_number)?;
            let ballot = Ballot { members: input.members, for_form: input.votes.clone(), for_none: input.votes_none };
            ballot.check().map_err(invalid)?;
            let org_subject = case.subject == "org";
            for (p, _) in &input.votes {
                p.check_subject(org_subject, input.decided_on)
                    .map_err(|e| invalid(FieldError { field: "votes".into(), ..e }))?;
            }
            let form = ballot.decided().ok_or_else(|| {
                invalid(FieldError::new(
                    "votes",
                    "no_majority",
                    format!(
                        "Số phiếu: không hình thức nào được quá nửa ({}) thành viên tán thành: không kỷ luật.",
                        input.members / 2 + 1
                    ),
                    format!(
                        "Votes: no form has more than half ({}) of the members: no discipline.",
                        input.members / 2 + 1
                    ),
                ))
            })?;
            let decider = load_org(tx, case.org_id).await?;
            let body = body_of(decider.kind(), case.by_inspection, input.decided_on).ok_or_else(|| {
                invalid(FieldError::new(
                    "form",
                    "not_competent",
                    "Chi bộ không có ủy ban kiểm tra.",
                    "A cell has no inspection committee.",
                ))
            })?;
            competence::check(body, org_subject, form, input.decided_on).map_err(invalid)?;
            let event_id = match case.subject_member_id {
                Some(m) => {
                    let member = load_member(tx, m).await?;
                    let event = discipline_event(form, input.decided_on, number, &decider.input.name, &d.reason)?;
                    Some(append_event(tx, v, &member, event, today).await?.event.id)
                }
                None => {
                    let said = OrgDecision { on: input.decided_on, number, body: &decider.input.name };
                    Some(org_events::disciplined(tx, v, case.subject_org_id, form, &said).await?)
                }
            };
            d.body_members = Some(i64::from(input.members));
            d.votes = votes_text(&input.votes);
            d.votes_none = Some(i64::from(input.votes_none));
            (d.decided_form, d.form_in_force) = (Some(form.code().into()), Some(form.code().into()));
            d.decision_number = Some(number.into());
            (d.decided_on, d.received_on, d.event_id) = (Some(input.decided_on), Some(input.received_on), event_id);
            with_counts(tx, case.org_id, case.subject_org_id, async |tx| {
                if store::save_discipline(tx, &d).await? == 0 {
                    return Err(Problem::stale());
                }
                Ok(())
            })
            .await?;
            d.version += 1;
            audit_case(
                tx,
                v,
                "inspection.discipline",
                &case,
                serde_json::json!({"form": form.code(), "event_id": event_id}),
            )
            .await?;
            Ok(d)
        })
    }

    /// File an appeal within its deadline (one month from receiving the decision): the
    /// disciplined member through their own account, or the deciding body recording it. The
    /// level directly above the deciding organisation answers it, by its deadline.
    pub async fn file_appeal(&self, v: &Viewer, case_id: Uuid, input: &AppealInput) -> Outcome<Appeal> {
        let today = self.today();
        write!(self, |tx| {
            let (case, role) = load_case(tx, v, case_id).await?;
            if role == CaseRole::AppealBody {
                return Err(Problem::Forbidden);
            }
            let d = discipline_of(tx, &case).await?;
            let Some(received) = d.received_on.filter(|_| d.decided_on.is_some()) else {
                return Err(conflict(
                    "case",
                    "not_decided",
                    "Chưa có quyết định kỷ luật.",
                    "No discipline decision yet.",
                ));
            };
            dated("filed_on", ("Ngày khiếu nại", "Filed on"), input.filed_on, today, None)?;
            check_filed(received, input.filed_on).map_err(invalid)?;
            if let Some(e) = REVIEW_TEXT.on("content").check(&input.content) {
                return Err(invalid(e));
            }
            refuse_if(
                store::appeal_of(tx, d.id).await?.is_some(),
                "case",
                "appeal_exists",
                "Đã có khiếu nại về quyết định kỷ luật này.",
                "This discipline has an appeal already.",
            )?;
            let decider = load_org(tx, case.org_id).await?;
            let Some(body_id) = answering_body(&[decider.parent_id].into_iter().flatten().collect::<Vec<_>>()) else {
                return Err(conflict(
                    "case",
                    "no_level_above",
                    "Không có cấp trên trong hệ thống để giải quyết khiếu nại.",
                    "No level above in this installation to answer.",
                ));
            };
            let body = load_org(tx, body_id).await?;
            let a = Appeal {
                id: Uuid::now_v7(),
                discipline_id: d.id,
                filed_on: input.filed_on,
                answer_by: settle_by(body.kind(), input.filed_on),
                body_org_id: body.id,
                content: input.content.trim().into(),
                outcome: None,
                new_form: None,
                answer_number: None,
                answered_on: None,
                by_name: v.display_name.clone(),
                created_at: OffsetDateTime::now_utc(),
                version: 1,
            };
            store::insert_appeal(tx, &a).await?;
            audit_case(tx, v, "inspection.appeal", &case, serde_json::json!({"body_org_id": body.id})).await?;
            Ok(a)
        })
    }

    /// Answer an appeal: the body above (its inspection committee or committee). Annulled or
    /// reduced voids the discipline's event; reduced records the lighter form as a new event.
    pub async fn answer_appeal(&self, v: &Viewer, case_id: Uuid, input: &AnswerInput) -> Outcome<Appeal> {
        let today = self.today();
        write!(self, |tx| {
            let (case, role) = load_case(tx, v, case_id).await?;
            if role != CaseRole::AppealBody && !v.console {
                return Err(Problem::Forbidden);
            }
            let mut d = discipline_of(tx, &case).await?;
            let mut a = store::appeal_of(tx, d.id).await?.ok_or(Problem::NotFound)?;
            unanswered(a.outcome.is_some())?;
            let after = After::new(a.filed_on, "before_appeal", "ngày khiếu nại", "the appeal");
            dated("answered_on", ("Ngày giải quyết", "Answered on"), input.answered_on, today, Some(after))?;
            let number =
                decision_number("answer_number", ("Số quyết định giải quyết", "Answer number"), &input.answer_number)?;
            let current = d.form_in_force.as_deref().and_then(Penalty::parse);
            let new_form = match (input.outcome, input.new_form) {
                (AppealOutcome::Reduced, Some(f)) if current.is_some_and(|c| f < c) => Some(f),
                (AppealOutcome::Reduced, _) => {
                    return Err(Problem::field(
                        "new_form",
                        "not_lighter",
                        "Hình thức mới: phải nhẹ hơn hình thức đang có hiệu lực.",
                        "New form: must be lighter than the form in force.",
                    ));
                }
                _ => None,
            };
            if let Some(f) = new_form {
                f.check_subject(case.subject == "org", input.answered_on)
                    .map_err(|e| invalid(FieldError { field: "new_form".into(), ..e }))?;
            }
            if input.outcome.voids() {
                if let (Some(m), Some(old)) = (case.subject_member_id, d.event_id) {
                    let member = load_member(tx, m).await?;
                    let void = Event {
                        id: Uuid::now_v7(),
                        kind: EventKind::Voided,
                        effective: input.answered_on,
                        org_id: None,
                        ref_id: Some(old),
                        decision: Decision {
                            number: Some(number.into()),
                            body: Some(load_org(tx, a.body_org_id).await?.input.name),
                            signed_on: Some(input.answered_on),
                        },
                        detail: Detail {
                            reason: Some(format!("Khiếu nại kỷ luật: {}", input.outcome.label(chibo_domain::Lang::Vi))),
                            ..Detail::default()
                        },
                    };
                    append_event(tx, v, &member, void, today).await?;
                    d.event_id = None;
                    if let Some(f) = new_form {
                        let member = load_member(tx, m).await?;
                        let body = load_org(tx, a.body_org_id).await?;
                        let event = discipline_event(
                            f,
                            d.decided_on.unwrap_or(input.answered_on),
                            number,
                            &body.input.name,
                            &d.reason,
                        )?;
                        d.event_id = Some(append_event(tx, v, &member, event, today).await?.event.id);
                    }
                }
                if let (None, Some(old)) = (case.subject_member_id, d.event_id) {
                    let body = load_org(tx, a.body_org_id).await?.input.name;
                    let said = OrgDecision { on: input.answered_on, number, body: &body };
                    org_events::voided(tx, v, case.subject_org_id, old, input.outcome, &said).await?;
                    d.event_id = match new_form {
                        Some(f) => Some(org_events::disciplined(tx, v, case.subject_org_id, f, &said).await?),
                        None => None,
                    };
                }
                d.form_in_force = new_form.map(|f| f.code().into());
            }
            a.outcome = Some(input.outcome.code().into());
            a.new_form = new_form.map(|f| f.code().into());
            (a.answer_number, a.answered_on) = (Some(number.into()), Some(input.answered_on));
            with_counts(tx, case.org_id, case.subject_org_id, async |tx| {
                unanswered(store::answer_appeal(tx, &a).await? == 0)?;
                if store::save_discipline(tx, &d).await? == 0 {
                    return Err(Problem::stale());
                }
                Ok(())
            })
            .await?;
            a.version += 1;
            audit_case(tx, v, "inspection.appeal_answer", &case, serde_json::json!({"outcome": input.outcome.code()}))
                .await?;
            Ok(a)
        })
    }
}

/// The member's `disciplined` event of a decision.
fn discipline_event(form: Penalty, on: Date, number: &str, body: &str, reason: &str) -> Outcome<Event> {
    let form = form.member_form().ok_or_else(|| {
        invalid(FieldError::new(
            "form",
            "form_not_for_subject",
            "Hình thức kỷ luật: không áp dụng cho đảng viên.",
            "Discipline form: not for a member.",
        ))
    })?;
    Ok(Event {
        id: Uuid::now_v7(),
        kind: EventKind::Disciplined,
        effective: on,
        org_id: None,
        ref_id: None,
        decision: Decision { number: Some(number.into()), body: Some(body.into()), signed_on: Some(on) },
        detail: Detail {
            form: Some(form),
            reason: (!reason.is_empty()).then(|| reason.to_string()),
            ..Detail::default()
        },
    })
}
