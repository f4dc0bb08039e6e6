//! A member's life as events: record, correct, and read the timeline. Every change runs
//! through [`crate::settle`], which replays the events and brings what is derived from them in step.

use crate::load::{load_member, load_org, member_target};
use crate::settle::{check_fits, events_of, settle};
use crate::transaction::write;
use crate::when_missing;
use crate::{Chibo, Outcome, Viewer, snapshot};
use chibo_domain::access::{Action, Target};
use chibo_domain::life::{
    Decision, Detail, Effect, Event, EventKind, History, Placement, probation, rejection, replay, state_before,
};
use chibo_domain::{FieldError, Problem, Validation};
use chibo_store::events::{self, EventRecord};
use chibo_store::members::Member;
use chibo_store::orgs;
use chibo_store::{Tx, audit, history};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// An event as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventInput {
    pub kind: EventKind,
    pub effective: Date,
    #[serde(default)]
    pub org_id: Option<Uuid>,
    #[serde(default)]
    pub ref_id: Option<Uuid>,
    #[serde(default)]
    pub decision: Decision,
    #[serde(default)]
    pub detail: Detail,
}

/// A member's page of history.
#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    pub member: Member,
    /// Events in the order they took effect, with what became of each.
    pub events: Vec<TimelineEntry>,
    pub history: History,
    pub can_write: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    pub record: EventRecord,
    pub effect: Effect,
    /// The organisation the event names, if the viewer may read it.
    pub org_name: Option<String>,
}

fn in_future() -> Problem {
    Problem::field(
        "effective",
        "in_future",
        "Ngày hiệu lực: không thể ở tương lai.",
        "Effective date: cannot be in the future.",
    )
}

impl Chibo {
    /// A member's events, replayed state, spans and gaps.
    pub async fn timeline(&self, v: &Viewer, id: Uuid) -> Outcome<Timeline> {
        let mut c = self.pools.snapshot().await?;
        let member = load_member(&mut c, id).await?;
        v.check(Action::Read, member_target(&member))?;
        let records = events::of_member(&mut c, id).await?;
        let history = replay(&events_of(&records));
        let org_ids: Vec<Uuid> = records.iter().filter_map(|r| r.event.org_id).collect();
        let named = orgs::by_ids(&mut c, &org_ids).await?;
        let name_of = |id: Option<Uuid>| {
            let o = named.iter().find(|o| Some(o.id) == id)?;
            v.may(Action::Read, Target::Org { path: &o.path }).then(|| o.input.name.clone())
        };
        let events = history
            .events
            .iter()
            .filter_map(|(e, effect)| {
                let record = records.iter().find(|r| r.event.id == e.id)?.clone();
                Some(TimelineEntry { org_name: name_of(e.org_id), record, effect: *effect })
            })
            .collect();
        Ok(Timeline { can_write: v.may(Action::Write, member_target(&member)), member, events, history })
    }

    /// Record an event in a member's life. The sending side records a transfer out; the
    /// receiving side records the arrival (`transferred_in`) with the right to change the
    /// receiving organisation. Refused when it does not fit the history or would contradict a
    /// later event.
    pub async fn record_event(&self, v: &Viewer, member_id: Uuid, input: EventInput) -> Outcome<Timeline> {
        write!(self, |tx| {
            let member = load_member(tx, member_id).await?;
            let records = events::of_member(tx, member_id).await?;
            let before = replay(&events_of(&records));
            self.check_event_rights(v, tx, &member, &before, &input).await?;
            let event = Event {
                id: Uuid::now_v7(),
                kind: input.kind,
                effective: input.effective,
                org_id: input.org_id,
                ref_id: input.ref_id,
                decision: input.decision.clone(),
                detail: input.detail.clone(),
            };
            let record = append_event(tx, v, &member, event, self.today()).await?;
            let entry =
                v.audit("member.event", "member", Some(member_id), Some(&member.org_path), None, snapshot(&record));
            audit::record(tx, &entry).await.map_err(Problem::from)
        })?;
        self.timeline(v, member_id).await.map_err(|p| match p {
            // A member transferred away from the viewer's subtree is no longer theirs to read.
            Problem::Forbidden => Problem::NotFound,
            other => other,
        })
    }

    async fn check_event_rights(
        &self,
        v: &Viewer,
        tx: &mut Tx,
        member: &Member,
        before: &History,
        input: &EventInput,
    ) -> Outcome<()> {
        let receiving = input.kind == EventKind::TransferredIn
            && matches!(before.state.placement, Placement::Transit { to, .. } if Some(to) == input.org_id);
        if !receiving {
            v.check(Action::Write, member_target(member))?;
        }
        if let Some(org_id) = input.org_id {
            let org = load_org(tx, org_id).await.map_err(when_missing(org_missing))?;
            if !org.kind().is_cell() || org.is_dissolved() {
                return Err(Problem::field(
                    "org_id",
                    "not_an_active_cell",
                    "Tổ chức: phải là một chi bộ đang hoạt động.",
                    "Organisation: must be an active cell.",
                ));
            }
            // Nobody joins a cell before it was established.
            if history::link_on(tx, org_id, input.effective).await?.is_none() {
                return Err(Problem::field(
                    "org_id",
                    "not_yet_established",
                    "Tổ chức: chi bộ này chưa thành lập vào ngày hiệu lực.",
                    "Organisation: this cell was not yet established on the effective date.",
                ));
            }
            // Arriving and re-admission write into the organisation; a transfer out or a
            // temporary attachment only names it.
            if matches!(input.kind, EventKind::TransferredIn | EventKind::Readmitted) {
                v.check(Action::Write, Target::Org { path: &org.path }).map_err(|p| match p {
                    Problem::NotFound => org_missing(),
                    other => other,
                })?;
            }
        }
        Ok(())
    }
}

/// Append `event` to a member's history inside `tx`: checked as any recorded event is (its
/// input under the rules of its date, the replay, no contradiction of a later event), stored,
/// and settled (record, spans, ledger, counters). The one path by which a use case writes a
/// member's event: [`Chibo::record_event`], and the inspection's discipline decision and its
/// annulment on appeal (`inspection_discipline.rs`). Rights are the caller's to check.
pub(crate) async fn append_event(
    tx: &mut Tx,
    v: &Viewer,
    member: &Member,
    event: Event,
    today: Date,
) -> Outcome<EventRecord> {
    let records = events::of_member(tx, member.id).await?;
    let before = replay(&events_of(&records));
    check_event_input(&event, &records, &before, today)?;
    let record = EventRecord {
        member_id: member.id,
        event: event.clone(),
        recorded_by: v.user_id,
        recorded_by_name: v.display_name.clone(),
        recorded_at: OffsetDateTime::now_utc(),
    };
    let mut all = events_of(&records);
    all.push(event.clone());
    let after = replay(&all);
    check_fits(&before, &after, event.id)?;
    events::insert_many(tx, std::slice::from_ref(&record)).await?;
    settle(tx, member, &member.input, &before, &after).await?;
    Ok(record)
}

fn org_missing() -> Problem {
    Problem::field("org_id", "not_found", "Tổ chức: không tìm thấy.", "Organisation: not found.")
}

/// Checks of the input itself, before the replay. Standing and probation are judged as they
/// were when the event takes effect, not as they are now (a discipline of 2021 entered after a
/// striking off of 2022 is judged on the 2021 standing).
fn check_event_input(input: &Event, records: &[EventRecord], before: &History, today: Date) -> Outcome<()> {
    let mut val = Validation::default();
    input.decision.check_texts(&mut val);
    input.detail.check_texts(&mut val);
    if input.effective > today {
        return Err(in_future());
    }
    if input.kind == EventKind::Admitted {
        val.push(FieldError::new(
            "kind",
            "admission_by_record",
            "Loại sự kiện: kết nạp được ghi khi lập hồ sơ đảng viên hoặc từ hồ sơ kết nạp của quần chúng.",
            "Kind: an admission is recorded when the member record is created, or from a candidate's dossier.",
        ));
    }
    if input.kind.needs_org() && input.org_id.is_none() {
        val.push(rejection("org_required"));
    }
    if input.kind.needs_ref() {
        let target = input.ref_id.and_then(|id| records.iter().find(|r| r.event.id == id));
        let ok = match (input.kind, target) {
            (EventKind::Voided, Some(t)) => t.event.kind != EventKind::Voided,
            (EventKind::ExpulsionCleared, Some(t)) => {
                t.event.kind == EventKind::Disciplined
                    && t.event.detail.form == Some(chibo_domain::life::DisciplineForm::Expulsion)
            }
            _ => false,
        };
        if !ok {
            val.push(FieldError::new(
                "ref_id",
                "bad_reference",
                "Sự kiện được hủy: phải là một sự kiện của đảng viên này (hủy khai trừ: một quyết định khai trừ).",
                "Referenced event: must be one of this member's events (annulment: an expulsion).",
            ));
        } else if before.events.iter().any(|(e, eff)| Some(e.id) == input.ref_id && *eff != Effect::Applied) {
            val.push(FieldError::new(
                "ref_id",
                "already_corrected",
                "Sự kiện được hủy: đã bị hủy hoặc không có hiệu lực.",
                "Referenced event: already voided or without effect.",
            ));
        }
    }
    let state = &state_before(&events_of(records), input);
    match input.kind {
        EventKind::StruckOff if input.detail.ground.is_none() => {
            val.push(FieldError::required("ground", "Căn cứ xóa tên", "Ground for striking off"))
        }
        EventKind::Disciplined => match (input.detail.form, state.standing) {
            (None, _) => val.push(rejection("form_required")),
            (Some(form), Some(standing)) => {
                // The record does not know the posts held yet: removal is checked by the body.
                if let Some(e) = probation::check_discipline(form, standing, true, input.effective) {
                    val.push(e);
                }
            }
            (Some(_), None) => {}
        },
        // The cell's vote and the 12-month date, from the admission that started the probation.
        EventKind::Recognized => {
            let (votes, base) = (input.detail.votes_for, input.detail.vote_base);
            if votes.is_none() {
                val.push(FieldError::required("votes_for", "Số phiếu tán thành", "Votes in favour"));
            }
            if base.is_none() {
                val.push(FieldError::required("vote_base", "Số đảng viên chính thức", "Official members"));
            }
            if let (Some(admission), Some(votes), Some(base)) = (state.admission, votes, base) {
                val.errors.extend(probation::check_recognition(admission, input.effective, votes, base).errors);
            }
        }
        _ => {}
    }
    Ok(val.finish(())?)
}
