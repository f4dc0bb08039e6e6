//! A member's life in the Party: the timeline, and recording an event (voiding included).

use super::{ApiJson, Reader, Writer, json, parse_id};
use crate::input::DateStyle;
use crate::life_input::EventFields;
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::extract::{Path, State as S};
use axum::http::StatusCode;
use chibo_access::domain::life::{Decision, Detail, Effect, party_age};
use chibo_access::{Lang, Timeline, TimelineEntry};
use serde_json::{Value, json};
use time::Date;

fn date(d: Option<Date>) -> Value {
    d.map_or(Value::Null, |d| Value::String(d.to_string()))
}

/// The event that voided or cleared `entry`, if any.
pub(crate) fn corrected_by<'a>(t: &'a Timeline, entry: &TimelineEntry) -> Option<&'a TimelineEntry> {
    let id = entry.record.event.id;
    t.events.iter().find(|e| e.record.event.ref_id == Some(id) && e.effect == Effect::Applied)
}

/// `applied`, `voided`, `cleared` or `rejected`, and the reason of a rejection.
pub(crate) fn effect_code(e: Effect) -> (&'static str, Option<&'static str>) {
    match e {
        Effect::Applied => ("applied", None),
        Effect::Voided => ("voided", None),
        Effect::Cleared => ("cleared", None),
        Effect::Rejected(why) => ("rejected", Some(why)),
    }
}

fn decision(d: &Decision) -> Value {
    json!({"number": d.number, "body": d.body, "signed_on": date(d.signed_on)})
}

fn detail(d: &Detail, lang: Lang) -> Value {
    json!({
        "reason": d.reason,
        "ground": d.ground.map(|g| g.code()),
        "ground_label": d.ground.map(|g| g.label(lang)),
        "form": d.form.map(|f| f.code()),
        "form_label": d.form.map(|f| f.label(lang)),
        "place": d.place,
        "until": date(d.until),
        "votes_for": d.votes_for,
        "vote_base": d.vote_base,
    })
}

fn entry(t: &Timeline, e: &TimelineEntry, lang: Lang) -> Value {
    let ev = &e.record.event;
    let (effect, rejected) = effect_code(e.effect);
    json!({
        "id": ev.id,
        "kind": ev.kind.code(),
        "kind_label": ev.kind.label(lang),
        "effective": ev.effective.to_string(),
        // An organisation outside the viewer's subtrees is not named, nor identified.
        "org_id": e.org_name.as_ref().and(ev.org_id),
        "org_name": e.org_name,
        "ref_id": ev.ref_id,
        "decision": decision(&ev.decision),
        "detail": detail(&ev.detail, lang),
        "effect": effect,
        "rejected_because": rejected,
        "corrected_by": corrected_by(t, e).map(|c| c.record.event.id),
        "recorded_by_name": e.record.recorded_by_name,
        "recorded_at": e.record.recorded_at.unix_timestamp(),
    })
}

pub(crate) fn timeline(t: &Timeline, lang: Lang) -> Value {
    let s = &t.history.state;
    let age = party_age(&t.history, chibo_access::today());
    json!({
        "member": json::member(&t.member, lang),
        "can_write": t.can_write,
        "state": {
            "status": s.status().map(|s| s.code()),
            "first_admission": date(s.first_admission),
            "admission": date(s.admission),
            "official": date(s.official),
            "exempt_since": date(s.exempt_since),
            "out_of_contact_since": date(s.out_of_contact_since),
            "ended_on": date(s.ended_on),
            "in_transit": t.member.life.transit_org_id.is_some(),
        },
        "party_age": age.map(|a| json!({"years": a.years, "months": a.months, "days": a.days})),
        "events": t.events.iter().map(|e| entry(t, e, lang)).collect::<Vec<_>>(),
        "gaps": t.history.gaps.iter().map(|g| json!({
            "kind": serde_json::to_value(g.kind).unwrap_or(Value::Null),
            "from": g.from.to_string(),
            "to": date(g.to),
        })).collect::<Vec<_>>(),
    })
}

pub async fn show(S(s): S<State>, Reader(v, lang): Reader, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let t = s.app.timeline(&v, id).await.or_api(lang)?;
    Ok(Json(timeline(&t, lang)))
}

pub async fn record(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<EventFields>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = parse_id(&id, lang)?;
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    let t = s.app.record_event(&v, id, input).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(timeline(&t, lang))))
}
