//! An organisation's discipline as a dated event of its history (`org_events`, beside its
//! restructurings): `disciplined` (the form, the decision, the body) when the competent body
//! decides it, `discipline_voided` naming it when an appeal annuls or reduces it (a reduced one
//! gets a new `disciplined` event with the lighter form); the history keeps both. The event holds
//! no content of the case — only what the decision itself announces. The organisation page lists
//! the history ([`Chibo::org_history`]); the annual review counts the sub-units disciplined from
//! the disciplines in force ([`sub_units_disciplined`]).

use crate::load::{load_org, org_target};
use crate::{Chibo, Outcome, Viewer};
use chibo_domain::access::Action;
use chibo_domain::inspection::{AppealOutcome, Penalty};
use chibo_store::Tx;
use chibo_store::history::{self, OrgEvent};
use chibo_store::inspection as store;
use serde_json::json;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// The kind of an organisation's discipline event.
pub const DISCIPLINED: &str = "disciplined";
/// The kind of the event that voids it.
pub const DISCIPLINE_VOIDED: &str = "discipline_voided";

/// The decision an event records: its date, number and body.
pub(crate) struct OrgDecision<'a> {
    pub on: Date,
    pub number: &'a str,
    pub body: &'a str,
}

async fn insert(
    tx: &mut Tx,
    v: &Viewer,
    org_id: Uuid,
    kind: &str,
    d: &OrgDecision<'_>,
    detail: serde_json::Value,
) -> Outcome<Uuid> {
    let ev = OrgEvent {
        id: Uuid::now_v7(),
        org_id,
        kind: kind.into(),
        effective: d.on,
        decision_number: Some(d.number.into()),
        decision_body: Some(d.body.into()),
        detail,
        recorded_by: v.user_id,
        recorded_by_name: v.display_name.clone(),
        recorded_at: OffsetDateTime::now_utc(),
    };
    history::insert_org_event(tx, &ev).await?;
    Ok(ev.id)
}

/// The organisation's `disciplined` event of a decision; its id.
pub(crate) async fn disciplined(
    tx: &mut Tx,
    v: &Viewer,
    org_id: Uuid,
    form: Penalty,
    d: &OrgDecision<'_>,
) -> Outcome<Uuid> {
    insert(tx, v, org_id, DISCIPLINED, d, json!({ "form": form.code() })).await
}

/// Void the organisation's discipline event `old` on an appeal's answer.
pub(crate) async fn voided(
    tx: &mut Tx,
    v: &Viewer,
    org_id: Uuid,
    old: Uuid,
    outcome: AppealOutcome,
    d: &OrgDecision<'_>,
) -> Outcome<Uuid> {
    insert(tx, v, org_id, DISCIPLINE_VOIDED, d, json!({ "voids": old, "outcome": outcome.code() })).await
}

/// One event of an organisation's history, as the organisation page shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OrgHistoryLine {
    pub event: OrgEvent,
    /// A discipline's form (`Penalty` code).
    pub form: Option<String>,
    /// The event voiding this one, if any.
    pub voided_by: Option<Uuid>,
}

impl Chibo {
    /// An organisation's history — restructurings and disciplines, oldest first — for whoever
    /// may read the organisation.
    pub async fn org_history(&self, v: &Viewer, id: Uuid) -> Outcome<Vec<OrgHistoryLine>> {
        let mut c = self.pools.read().await?;
        let org = load_org(&mut c, id).await?;
        v.check(Action::Read, org_target(&org))?;
        let events = history::org_events(&mut c, org.id).await?;
        let voids = |e: &OrgEvent| -> Option<Uuid> {
            (e.kind == DISCIPLINE_VOIDED)
                .then(|| e.detail.get("voids").and_then(|x| x.as_str()).and_then(|s| s.parse().ok()))?
        };
        let voided: Vec<(Uuid, Uuid)> = events.iter().filter_map(|e| Some((voids(e)?, e.id))).collect();
        Ok(events
            .into_iter()
            .map(|e| OrgHistoryLine {
                form: e.detail.get("form").and_then(|f| f.as_str()).map(str::to_string),
                voided_by: voided.iter().find(|(old, _)| *old == e.id).map(|(_, by)| *by),
                event: e,
            })
            .collect())
    }
}

/// How many of `org_id`'s direct sub-units (not party groups) have a discipline in force
/// decided from `from` to `to`: the annual review's "sub-units disciplined" from the records.
pub(crate) async fn sub_units_disciplined(tx: &mut Tx, org_id: Uuid, from: Date, to: Date) -> Outcome<u32> {
    Ok(u32::try_from(store::orgs_disciplined_under(tx, org_id, from, to).await?).unwrap_or(u32::MAX))
}
