//! Above one meeting: the compliance figures of any organisation and period, the cells that
//! missed meetings, the absence work list, the yearly topic plan and the scoring sheets.

use super::body::figures::{AbsenteeBody, FiguresBody, MissedBody};
use super::body::notices::TopicBody;
use super::body::sheets::{SheetBody, SheetSet};
use super::body::{Deleted, YearItems};
use super::meetings::{YearQuery, hidden_cell, year_of};
use super::restructure::OnQuery;
use super::{ApiJson, Reader, Writer, parse_id};
use crate::input::DateStyle;
use crate::meeting_input::{SheetFields, TopicFields};
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::extract::{Path, Query, State as S};
use axum::http::StatusCode;
use chibo_access::MISSED_PAGE;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// `2025`, `2025-Q1`, `2025-01` or `2025-01-01..2025-06-30` (this year when absent).
    period: Option<String>,
}

#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MissedQuery {
    /// A month (`2025-03`: the regular meeting) or a quarter (`2025-Q1`: the thematic one).
    period: Option<String>,
    /// Cells to skip (0 when absent).
    offset: Option<String>,
    /// Cells per page, up to 500 (50 when absent).
    limit: Option<String>,
}

/// One page of the cells under the organisation that missed the regular meeting of a month or the thematic one of a quarter
///
/// In the order of the tree, with their count and the next offset.
#[utoipa::path(get, path = "/orgs/{id}/meeting-figures/missing", tag = "meetings", security(("session" = [])),
    params(("id" = uuid::Uuid, Path), MissedQuery), responses((status = 200, body = MissedBody)))]
pub async fn missed_meetings(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<MissedQuery>,
) -> Result<Json<MissedBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let offset = crate::input::offset_of(q.offset.as_deref()).or_api(lang)?;
    let limit = q.limit.as_deref().and_then(|l| l.trim().parse::<usize>().ok()).unwrap_or(MISSED_PAGE);
    let page =
        s.app.missed_meetings(&v, id, q.period.as_deref().unwrap_or_default(), offset, limit).await.or_api(lang)?;
    Ok(Json(MissedBody::from(&page)))
}

/// Compliance figures of the subtree for a period, as of the tree of the period
///
/// Shares of cells holding the regular and thematic meetings, pooled attendance, ratings, with the organisations below (drill-down), a cell's meetings and missing months, and the cells missing meetings.
#[utoipa::path(get, path = "/orgs/{id}/meeting-figures", tag = "meetings", security(("session" = [])),
    params(("id" = uuid::Uuid, Path), PeriodQuery), responses((status = 200, body = FiguresBody)))]
pub async fn org_figures(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Json<FiguresBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let period = q.period.unwrap_or_else(|| s.app.today().year().to_string());
    let f = s.app.meeting_figures(&v, id, &period).await.or_api(lang)?;
    Ok(Json(FiguresBody::new(&f, lang)))
}

/// A cell's members absent repeatedly or without reason in ?year=, worst first
#[utoipa::path(get, path = "/orgs/{id}/absences", tag = "meetings", security(("session" = [])),
    params(("id" = uuid::Uuid, Path), YearQuery), responses((status = 200, body = YearItems<AbsenteeBody>)))]
pub async fn absences(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Json<YearItems<AbsenteeBody>>, ApiError> {
    let id = parse_id(&id, lang)?;
    let year = year_of(&q.year, s.app.today()).or_api(lang)?;
    let list = s.app.absence_worklist(&v, id, year).await.or_api(lang)?;
    Ok(Json(YearItems { year, items: list.iter().map(|a| AbsenteeBody::new(a, lang)).collect() }))
}

/// A cell's plan of thematic topics for ?year=
#[utoipa::path(get, path = "/orgs/{id}/topics", tag = "meetings", security(("session" = [])),
    params(("id" = uuid::Uuid, Path), YearQuery), responses((status = 200, body = YearItems<TopicBody>)))]
pub async fn topics(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Json<YearItems<TopicBody>>, ApiError> {
    let id = parse_id(&id, lang)?;
    let year = year_of(&q.year, s.app.today()).or_api(lang)?;
    let list = s.app.topics(&v, id, year).await.or_api(lang)?;
    Ok(Json(YearItems { year, items: list.iter().map(TopicBody::from).collect() }))
}

/// Plan a thematic topic
#[utoipa::path(post, path = "/orgs/{id}/topics", tag = "meetings", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = TopicFields, responses((status = 201, body = TopicBody)))]
pub async fn plan_topic(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<TopicFields>,
) -> Result<(StatusCode, Json<TopicBody>), ApiError> {
    let id = parse_id(&id, lang)?;
    let input = f.parse().or_api(lang)?;
    let t = s.app.plan_topic(&v, id, &input).await.map_err(hidden_cell).or_api(lang)?;
    Ok((StatusCode::CREATED, Json(TopicBody::from(&t))))
}

/// Remove a planned topic (not one a meeting uses)
#[utoipa::path(delete, path = "/topics/{id}", tag = "meetings", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = Deleted)))]
pub async fn delete_topic(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
) -> Result<Json<Deleted>, ApiError> {
    let id = parse_id(&id, lang)?;
    s.app.delete_topic(&v, id).await.or_api(lang)?;
    Ok(Json(Deleted { deleted: id }))
}

/// The scoring sheet in force for the organisation on ?on= (today when absent)
///
/// Configured here or above, else the default of the rules.
#[utoipa::path(get, path = "/orgs/{id}/scoring-sheet", tag = "meetings", security(("session" = [])),
    params(("id" = uuid::Uuid, Path), OnQuery), responses((status = 200, body = SheetBody)))]
pub async fn scoring_sheet(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<OnQuery>,
) -> Result<Json<SheetBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let mut f = crate::input::Fields::new(DateStyle::Vietnamese);
    let on = f.date("on", "Ngày", "Date", &q.on);
    f.errors.finish(()).or_api(lang)?;
    let in_force = s.app.scoring_sheet(&v, id, on.unwrap_or_else(|| s.app.today())).await.or_api(lang)?;
    Ok(Json(SheetBody::new(&in_force, lang)))
}

/// Configure a 100-point scoring sheet for the subtree from a date
#[utoipa::path(post, path = "/orgs/{id}/scoring-sheets", tag = "meetings", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = SheetFields, responses((status = 201, body = SheetSet)))]
pub async fn set_scoring_sheet(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<SheetFields>,
) -> Result<(StatusCode, Json<SheetSet>), ApiError> {
    let id = parse_id(&id, lang)?;
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    let row = s.app.set_scoring_sheet(&v, id, &input).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(SheetSet::from(&row))))
}
