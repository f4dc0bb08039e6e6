//! Candidates for admission (*quần chúng ưu tú*): the dossier step by step, checked under the
//! rules in force on its dates, and the admission that creates the probationary member.

use crate::load::{load_member, load_org, member_target};
use crate::transaction::write;
use crate::{Chibo, Outcome, Viewer, snapshot};
use chibo_domain::access::{Action, Target};
use chibo_domain::life::admission::{decision_deadline, is_overdue};
use chibo_domain::life::{CandidateInput, CandidateState, Decision, state_on};
use chibo_domain::member::MemberStatus;
use chibo_domain::{FieldError, Problem, Validation};
use chibo_store::candidates::{self, Candidate};
use chibo_store::{Exec, Tx, audit, events, members};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::Date;
use uuid::Uuid;

/// A candidate with where the case stands.
#[derive(Debug, Clone, Serialize)]
pub struct CandidateView {
    pub candidate: Candidate,
    /// The last day for the admission decision after the cell's resolution (60 working days).
    pub decision_deadline: Option<Date>,
    /// The deadline has passed without a decision.
    pub overdue: bool,
}

impl CandidateView {
    fn of(candidate: Candidate, today: Date) -> CandidateView {
        let i = &candidate.input;
        let open = candidate.state == CandidateState::Open;
        CandidateView {
            decision_deadline: i.cell_resolution_on.and_then(decision_deadline),
            overdue: open && i.cell_resolution_on.is_some_and(|c| is_overdue(c, i.decision_on, today)),
            candidate,
        }
    }
}

/// The admission: the decision (number, body, date signed) and the ceremony that starts the
/// probation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AdmissionInput {
    pub ceremony_on: Date,
    pub decision: Decision,
    pub version: i64,
}

fn candidate_target(c: &Candidate) -> Target<'_> {
    Target::Org { path: &c.org_path }
}

async fn load(e: &mut impl Exec, id: Uuid) -> Outcome<Candidate> {
    candidates::by_id(e, id).await?.ok_or(Problem::NotFound)
}

fn not_open() -> Problem {
    Problem::field(
        "state",
        "case_closed",
        "Hồ sơ: đã kết nạp hoặc đã dừng, không sửa được nữa.",
        "Dossier: already admitted or withdrawn, no longer editable.",
    )
}

impl Chibo {
    /// The candidates of a subtree in a state, in name order.
    pub async fn candidates(&self, v: &Viewer, org_id: Uuid, state: CandidateState) -> Outcome<Vec<CandidateView>> {
        let mut c = self.pools.read().await?;
        let org = load_org(&mut c, org_id).await?;
        v.check_list(&org.path)?;
        let list = candidates::in_subtree(&mut c, &org.path, state).await?;
        Ok(list.into_iter().map(|c| CandidateView::of(c, self.today())).collect())
    }

    pub async fn candidate(&self, v: &Viewer, id: Uuid) -> Outcome<CandidateView> {
        let mut c = self.pools.read().await?;
        let candidate = load(&mut c, id).await?;
        v.check_list(&candidate.org_path)?;
        Ok(CandidateView::of(candidate, self.today()))
    }

    /// Open a candidate's case in a cell the viewer may write.
    pub async fn create_candidate(&self, v: &Viewer, mut input: CandidateInput) -> Outcome<CandidateView> {
        input.normalize();
        let id = write!(self, |tx| {
            let org = self.writable_cell(v, tx, input.org_id).await?;
            check(v, tx, &input, None, self.today()).await?;
            let id = Uuid::now_v7();
            candidates::insert(tx, id, &org.path, &input).await?;
            let created = load(tx, id).await?;
            record(tx, v, "candidate.create", &created, None).await?;
            Ok(id)
        })?;
        self.candidate(v, id).await
    }

    /// Enter the next steps of an open case (the whole dossier as it now stands).
    pub async fn update_candidate(
        &self,
        v: &Viewer,
        id: Uuid,
        mut input: CandidateInput,
        version: i64,
    ) -> Outcome<CandidateView> {
        input.normalize();
        write!(self, |tx| {
            let before = self.writable_open(v, tx, id, version).await?;
            let org = self.writable_cell(v, tx, input.org_id).await?;
            check(v, tx, &input, Some(id), self.today()).await?;
            candidates::update(tx, &before, &org.path, &input, CandidateState::Open, None).await?;
            let after = load(tx, id).await?;
            record(tx, v, "candidate.update", &after, snapshot(&before)).await?;
            Ok(())
        })?;
        self.candidate(v, id).await
    }

    /// Close an open case without admission.
    pub async fn withdraw_candidate(&self, v: &Viewer, id: Uuid, version: i64) -> Outcome<CandidateView> {
        write!(self, |tx| {
            let before = self.writable_open(v, tx, id, version).await?;
            candidates::update(tx, &before, &before.org_path, &before.input, CandidateState::Withdrawn, None).await?;
            let after = load(tx, id).await?;
            record(tx, v, "candidate.withdraw", &after, snapshot(&before)).await?;
            Ok(())
        })?;
        self.candidate(v, id).await
    }

    /// Admit a candidate: the whole dossier must pass with the decision's date, and the member
    /// record is created as probationary from the ceremony, its admission event carrying the
    /// decision (party age counts from the date signed).
    pub async fn admit_candidate(&self, v: &Viewer, id: Uuid, a: &AdmissionInput) -> Outcome<CandidateView> {
        write!(self, |tx| {
            let before = self.writable_open(v, tx, id, a.version).await?;
            let Some(signed_on) = a.decision.signed_on else {
                return Err(Problem::Invalid(Validation {
                    errors: vec![FieldError::required("decision.signed_on", "Ngày ký quyết định", "Decision date")],
                }));
            };
            if a.ceremony_on < signed_on || a.ceremony_on > self.today() {
                return Err(Problem::field(
                    "ceremony_on",
                    "ceremony_out_of_range",
                    "Ngày lễ kết nạp: từ ngày ký quyết định đến hôm nay.",
                    "Ceremony date: from the decision's date up to today.",
                ));
            }
            let mut input = before.input.clone();
            input.decision_on = Some(signed_on);
            check(v, tx, &input, Some(id), self.today()).await?;
            let member_id =
                self.insert_member(v, tx, &input.member_input(a.ceremony_on), a.decision.clone(), None).await?;
            candidates::update(tx, &before, &before.org_path, &input, CandidateState::Admitted, Some(member_id))
                .await?;
            let after = load(tx, id).await?;
            record(tx, v, "candidate.admit", &after, snapshot(&before)).await?;
            Ok(())
        })?;
        self.candidate(v, id).await
    }

    /// An open case the viewer may change, at the version they read.
    async fn writable_open(&self, v: &Viewer, tx: &mut Tx, id: Uuid, version: i64) -> Outcome<Candidate> {
        let c = load(tx, id).await?;
        v.check(Action::Write, candidate_target(&c))?;
        if c.state != CandidateState::Open {
            return Err(not_open());
        }
        if c.version != version {
            return Err(Problem::stale());
        }
        Ok(c)
    }
}

/// Every check of the dossier today, with each introducer's standing on the application date
/// replayed from their events. An introducer the viewer may not read does not exist for them.
/// Whether a citizen ID belongs to a member or to another candidate whose case is not withdrawn
/// (the form and the import): the error naming `citizen_id`.
pub(crate) async fn citizen_id_taken(
    e: &mut impl Exec,
    citizen_id: &str,
    this: Option<Uuid>,
) -> Outcome<Option<FieldError>> {
    if members::holder_of(e, "citizen_id", citizen_id, None).await?.is_some() {
        return Ok(Some(FieldError::duplicate("citizen_id")));
    }
    Ok(candidates::holder_of_citizen_id(e, citizen_id, this).await?.map(|_| {
        FieldError::new(
            "citizen_id",
            "candidate_duplicate",
            "Số CCCD: đã có hồ sơ quần chúng ưu tú với số này.",
            "Citizen ID: a candidate's dossier with this number exists already.",
        )
    }))
}

/// The form's checks: readable introducers, the domain's rules, a citizen ID no one else holds.
async fn check(v: &Viewer, tx: &mut Tx, input: &CandidateInput, this: Option<Uuid>, today: Date) -> Outcome<()> {
    let mut val = Validation::default();
    if let Some(cccd) = input.citizen_id.as_deref()
        && let Some(taken) = citizen_id_taken(tx, cccd, this).await?
    {
        val.push(taken);
    }
    let mut readable = Vec::new();
    for i in &input.introducers {
        let may = match load_member(tx, i.member_id).await {
            Ok(m) => v.may(Action::Read, member_target(&m)),
            Err(_) => false,
        };
        if may {
            readable.push(i.member_id);
        } else {
            val.push(FieldError::new(
                "introducers",
                "introducer_not_found",
                "Người giới thiệu: không tìm thấy đảng viên.",
                "Introducer: member not found.",
            ));
        }
    }
    let official = official_on(tx, &readable, input.application_on).await?;
    val.errors.extend(input.validate(|id| official.get(&id).copied().unwrap_or(false), today).errors);
    Ok(val.finish(())?)
}

/// Whether each member was an official member on a date, replayed from their events (the
/// introducers' standing on the application date: the candidate form and the import).
pub(crate) async fn official_on(e: &mut impl Exec, ids: &[Uuid], on: Date) -> Outcome<HashMap<Uuid, bool>> {
    let mut official = HashMap::new();
    for id in ids {
        let evs: Vec<_> = events::of_member(e, *id).await?.into_iter().map(|r| r.event).collect();
        official.insert(*id, state_on(&evs, on).standing == Some(MemberStatus::Official));
    }
    Ok(official)
}

async fn record(
    tx: &mut Tx,
    v: &Viewer,
    action: &str,
    c: &Candidate,
    before: Option<serde_json::Value>,
) -> Outcome<()> {
    let entry = v.audit(action, "candidate", Some(c.id), Some(&c.org_path), before, snapshot(c));
    audit::record(tx, &entry).await.map_err(Problem::from)
}
