//! A member's life as events: record, correct, and read the timeline. Every change runs
//! through [`settle`], which replays the events and brings what is derived from them in step.

use crate::members::{load, member_target, province_of};
use crate::orgs::load as load_org;
use crate::transaction::write;
use crate::when_missing;
use crate::{Chibo, Outcome, Viewer, snapshot, today, unavailable};
use chibo_domain::access::{Action, Target};
use chibo_domain::life::{
    Decision, Detail, Effect, Event, EventKind, History, Placement, Span, ancestry, member_ledger, probation,
    rejection, replay, settle_record, state_before,
};
use chibo_domain::member::{Gender, MemberInput};
use chibo_domain::{FieldError, Problem, Validation};
use chibo_store::events::{self, EventRecord};
use chibo_store::members::{self, Member, NewMember};
use chibo_store::orgs;
use chibo_store::{Tx, audit, history};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
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

fn events_of(records: &[EventRecord]) -> Vec<Event> {
    records.iter().map(|r| r.event.clone()).collect()
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
        let mut c = self.pools.read().await.map_err(unavailable)?;
        let member = load(&mut c, id).await?;
        v.check(Action::Read, member_target(&member))?;
        let records = events::of_member(&mut c, id).await.map_err(unavailable)?;
        let history = replay(&events_of(&records));
        let org_ids: Vec<Uuid> = records.iter().filter_map(|r| r.event.org_id).collect();
        let named = orgs::by_ids(&mut c, &org_ids).await.map_err(unavailable)?;
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
            let member = load(tx, member_id).await?;
            let records = events::of_member(tx, member_id).await.map_err(unavailable)?;
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
            check_event_input(&event, &records, &before)?;
            let record = EventRecord {
                member_id,
                event: event.clone(),
                recorded_by: v.user_id,
                recorded_by_name: v.display_name.clone(),
                recorded_at: OffsetDateTime::now_utc(),
            };
            let mut all = events_of(&records);
            all.push(event.clone());
            let after = replay(&all);
            check_fits(&before, &after, event.id)?;
            events::insert_many(tx, std::slice::from_ref(&record)).await.map_err(unavailable)?;
            settle(tx, &member, &member.input, &after).await?;
            let entry =
                v.audit("member.event", "member", Some(member_id), Some(&member.org_path), None, snapshot(&record));
            audit::record(tx, &entry).await.map_err(unavailable)
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
            if history::link_on(tx, org_id, input.effective).await.map_err(unavailable)?.is_none() {
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

fn org_missing() -> Problem {
    Problem::field("org_id", "not_found", "Tổ chức: không tìm thấy.", "Organisation: not found.")
}

/// Checks of the input itself, before the replay. Standing and probation are judged as they
/// were when the event takes effect, not as they are now (a discipline of 2021 entered after a
/// striking off of 2022 is judged on the 2021 standing).
fn check_event_input(input: &Event, records: &[EventRecord], before: &History) -> Outcome<()> {
    let mut val = Validation::default();
    if input.effective > today() {
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
                if let Some(e) = probation::check_discipline(form, standing, true) {
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

/// The new event must apply, and every event that applied before must still apply.
fn check_fits(before: &History, after: &History, new_id: Uuid) -> Outcome<()> {
    if let Some((_, why)) = after.rejected().find(|(e, _)| e.id == new_id) {
        return Err(Problem::Invalid(Validation { errors: vec![rejection(why)] }));
    }
    let was_applied: HashSet<Uuid> =
        before.events.iter().filter(|(_, eff)| *eff == Effect::Applied).map(|(e, _)| e.id).collect();
    if let Some((later, _)) = after.rejected().find(|(e, _)| was_applied.contains(&e.id)) {
        return Err(Problem::field(
            "effective",
            "contradicts_later_event",
            format!(
                "Ngày hiệu lực: mâu thuẫn với sự kiện “{}” ngày {} đã ghi.",
                later.kind.label(chibo_domain::Lang::Vi),
                chibo_domain::date::format_vn(later.effective)
            ),
            format!(
                "Effective date: contradicts the recorded event “{}” of {}.",
                later.kind.label(chibo_domain::Lang::En),
                later.effective
            ),
        ));
    }
    Ok(())
}

/// Bring everything derived from a member's events in step with `history`: the record's
/// standing, cell and dates (with `input` as the record's other fields), the stored spans,
/// the dated ledger of every organisation concerned, and the current counters.
pub(crate) async fn settle(tx: &mut Tx, before: &Member, input: &MemberInput, history: &History) -> Outcome<Member> {
    let Some((next, life)) = settle_record(input, history) else {
        return Err(Problem::field(
            "ref_id",
            "admission_needed",
            "Hồ sơ đảng viên phải có sự kiện kết nạp; hãy ghi lại việc kết nạp đúng trước khi hủy bản ghi sai.",
            "A member record needs its admission; record the correct admission before voiding the wrong one.",
        ));
    };
    let org = load_org(tx, next.org_id).await?;
    let old_spans = events::spans_of(tx, before.id).await.map_err(unavailable)?;
    check_spans_before_dissolution(tx, &old_spans, &history.spans).await?;
    update_ledger(tx, &old_spans, &before.input, &history.spans, &next).await?;
    if old_spans != history.spans {
        events::replace_spans(tx, before.id, &history.spans).await.map_err(unavailable)?;
    }
    let province = province_of(tx, &org).await?;
    let new = NewMember { id: before.id, org_path: &org.path, province_code: province, input: &next };
    if next != before.input || org.path != before.org_path {
        members::update(tx, &new, &before.input, &before.org_path, before.version).await.map_err(unavailable)?;
    }
    if life != before.life {
        members::set_life(tx, before.id, &life).await.map_err(unavailable)?;
    }
    let after = load(tx, before.id).await?;
    orgs::add_stats(tx, &before.org_path, before.stats().negate()).await.map_err(unavailable)?;
    orgs::add_stats(tx, &after.org_path, after.stats()).await.map_err(unavailable)?;
    Ok(after)
}

/// Every new span must end by its organisation's dissolution: a correction (voiding a transfer
/// out, an attachment's end…) must not put a member back into a dissolved organisation, where
/// the counters and the dated ledger would disagree.
async fn check_spans_before_dissolution(tx: &mut Tx, old: &[Span], new: &[Span]) -> Outcome<()> {
    for s in new.iter().filter(|s| !old.contains(s)) {
        let org = load_org(tx, s.org_id).await?;
        if let Some(gone) = org.input.dissolved_on
            && s.to.is_none_or(|to| to > gone)
        {
            return Err(Problem::field(
                "effective",
                "org_dissolved",
                format!(
                    "Ngày hiệu lực: “{}” đã giải thể ngày {}; đảng viên không thể sinh hoạt ở đó sau ngày này.",
                    org.input.name,
                    chibo_domain::date::format_vn(gone)
                ),
                format!(
                    "Effective date: “{}” was dissolved on {gone}; no member can belong to it after that.",
                    org.input.name
                ),
            ));
        }
    }
    Ok(())
}

/// The ledger change from a member's old spans and attributes to the new ones.
async fn update_ledger(
    tx: &mut Tx,
    old: &[Span],
    old_input: &MemberInput,
    new: &[Span],
    new_input: &MemberInput,
) -> Outcome<()> {
    let attrs = |i: &MemberInput| (i.gender == Gender::Female, i.ethnicity_code != 1);
    if old == new && attrs(old_input) == attrs(new_input) {
        return Ok(());
    }
    let org_ids: Vec<Uuid> = old.iter().chain(new).map(|s| s.org_id).collect();
    let links = history::ancestry_links(tx, &org_ids).await.map_err(unavailable)?;
    let ancestry_of = |org: Uuid| ancestry(org, &links);
    let (of, om) = attrs(old_input);
    let (nf, nm) = attrs(new_input);
    let mut ledger = member_ledger(new, nf, nm, &ancestry_of);
    ledger.merge(&member_ledger(old, of, om, &ancestry_of), -1);
    history::apply_ledger(tx, &ledger).await.map_err(unavailable)
}

/// Append `extra` events to a member's and settle them with `input` as the record's fields
/// (a record edit, a transfer made by editing the cell, a restructuring that moves members).
pub(crate) async fn resettle(
    tx: &mut Tx,
    before: &Member,
    input: &MemberInput,
    extra: &[EventRecord],
) -> Outcome<Member> {
    let records = events::of_member(tx, before.id).await.map_err(unavailable)?;
    let old = replay(&events_of(&records));
    let mut all = events_of(&records);
    all.extend(extra.iter().map(|r| r.event.clone()));
    let new = replay(&all);
    for r in extra {
        check_fits(&old, &new, r.event.id)?;
    }
    events::insert_many(tx, extra).await.map_err(unavailable)?;
    settle(tx, before, input, &new).await
}

/// An official transfer inside the installation, out and in on the same day (today).
pub(crate) fn transfer_events(member_id: Uuid, to: Uuid, v: &Viewer) -> Vec<EventRecord> {
    transfer_events_on(member_id, to, today(), &Decision::default(), v)
}

pub(crate) fn transfer_events_on(
    member_id: Uuid,
    to: Uuid,
    on: Date,
    decision: &Decision,
    v: &Viewer,
) -> Vec<EventRecord> {
    [EventKind::TransferredOut, EventKind::TransferredIn]
        .into_iter()
        .map(|kind| {
            let mut r = event_record(v, member_id, kind, on, Some(to), None);
            r.event.decision = decision.clone();
            r
        })
        .collect()
}

/// A record edit may not change the standing itself: leaving, striking off, death… are events.
/// Moving between probationary and official follows the official date (see [`date_corrections`]).
pub(crate) fn standing_changed(before: &MemberInput, after: &MemberInput) -> Option<FieldError> {
    let between_active = before.status.is_active() && after.status.is_active();
    (before.status != after.status && !between_active).then(|| {
        FieldError::new(
            "status",
            "changed_by_event",
            "Tình trạng: thay đổi bằng sự kiện trên trang quá trình của đảng viên (chuyển sinh hoạt, xóa tên, từ trần…), không sửa trực tiếp.",
            "Status: changed by an event on the member's history page (transfer, striking off, death…), not edited directly.",
        )
    })
}

/// A record edit that corrects the admission or official date becomes events: the event that
/// carried the wrong date is voided and the corrected one recorded, so the history keeps both.
pub(crate) fn date_corrections(
    member_id: Uuid,
    records: &[EventRecord],
    before: &MemberInput,
    after: &MemberInput,
    v: &Viewer,
) -> Vec<EventRecord> {
    let history = replay(&events_of(records));
    let applied = |kind: EventKind, on: Date| {
        history.events.iter().find(|(e, eff)| e.kind == kind && e.effective == on && *eff == Effect::Applied)
    };
    let mut out = Vec::new();
    let mut fix = |kind: EventKind, old: Option<Date>, new: Option<Date>| {
        if old == new {
            return;
        }
        let wrong = old.and_then(|d| applied(kind, d)).map(|(e, _)| e.clone());
        if let Some(wrong) = &wrong {
            out.push(event_record(v, member_id, EventKind::Voided, today(), None, Some(wrong.id)));
        }
        if let Some(on) = new {
            let org = wrong.and_then(|w| w.org_id).or((kind == EventKind::Admitted).then_some(after.org_id));
            out.push(event_record(v, member_id, kind, on, org, None));
        }
    };
    fix(EventKind::Admitted, Some(before.admission_date), Some(after.admission_date));
    fix(EventKind::Recognized, before.official_date, after.official_date);
    out
}

/// One event recorded now by `v`, without decision or detail.
pub(crate) fn event_record(
    v: &Viewer,
    member_id: Uuid,
    kind: EventKind,
    on: Date,
    org: Option<Uuid>,
    ref_id: Option<Uuid>,
) -> EventRecord {
    EventRecord {
        member_id,
        event: Event {
            id: Uuid::now_v7(),
            kind,
            effective: on,
            org_id: org,
            ref_id,
            decision: Decision::default(),
            detail: Detail::default(),
        },
        recorded_by: v.user_id,
        recorded_by_name: v.display_name.clone(),
        recorded_at: OffsetDateTime::now_utc(),
    }
}

/// The events that start a record entered for someone already a member: admission into the
/// cell and, for an official member, recognition.
pub(crate) fn opening_events(member_id: Uuid, input: &MemberInput, v: &Viewer) -> Vec<EventRecord> {
    let mut out = vec![event_record(v, member_id, EventKind::Admitted, input.admission_date, Some(input.org_id), None)];
    if let Some(official) = input.official_date {
        out.push(event_record(v, member_id, EventKind::Recognized, official, None, None));
    }
    out
}
