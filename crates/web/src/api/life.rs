//! A member's life in the Party: the timeline, and recording an event (voiding included).

use super::body::life::TimelineBody;
use super::{ApiJson, Reader, Writer, parse_id};
use crate::input::DateStyle;
use crate::life_input::EventFields;
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::extract::{Path, State as S};
use axum::http::StatusCode;
use chibo_access::domain::life::Effect;
use chibo_access::{Timeline, TimelineEntry};

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

/// A member's events with their effect, state, gaps and party age
#[utoipa::path(get, path = "/members/{id}/timeline", tag = "life", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = TimelineBody)))]
pub async fn show(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
) -> Result<Json<TimelineBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let t = s.app.timeline(&v, id).await.or_api(lang)?;
    Ok(Json(TimelineBody::new(&t, lang)))
}

/// Record an event; a wrong event is corrected by kind voided with ref_id
///
/// Answers the timeline with the event.
#[utoipa::path(post, path = "/members/{id}/events", tag = "life", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = EventFields, responses((status = 201, body = TimelineBody)))]
pub async fn record(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<EventFields>,
) -> Result<(StatusCode, Json<TimelineBody>), ApiError> {
    let id = parse_id(&id, lang)?;
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    let t = s.app.record_event(&v, id, input).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(TimelineBody::new(&t, lang))))
}
