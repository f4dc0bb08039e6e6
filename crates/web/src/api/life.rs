//! A member's life in the Party: the timeline, and recording an event (voiding included).

use super::body::life::TimelineBody;
use super::{ApiJson, Reader, Writer, parse_id};
use crate::input::DateStyle;
use crate::life_input::EventFields;
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::extract::{Path, State as S};
use axum::http::StatusCode;

pub(crate) use super::body::life::corrected_by;

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
    Ok(Json(TimelineBody::new(&t, lang, s.app.today())))
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
    Ok((StatusCode::CREATED, Json(TimelineBody::new(&t, lang, s.app.today()))))
}
