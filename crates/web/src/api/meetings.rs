//! Cell meetings (*sinh hoạt chi bộ*): scheduling, the plan, attendance, minutes, approval,
//! cancellation and the quality rating. Documents and notices: `meeting_docs.rs`; figures, work
//! lists, topics and scoring sheets: `meeting_plans.rs`.

use super::body::YearItems;
use super::body::meetings::{Assessed, MeetingBody, MeetingRow};
use super::body::sheets::AssessmentBody;
use super::{ApiJson, Reader, Writer, parse_id};
use crate::admission_input::VersionFields;
use crate::input::DateStyle;
use crate::meeting_input::{AssessFields, AttendanceFields, MeetingFields, MinutesFields, reason};
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::extract::{Path, Query, State as S};
use axum::http::StatusCode;
use chibo_access::{Lang, MeetingView, Problem};
use serde::Deserialize;
use utoipa::IntoParams;

/// The meeting as the viewer now sees it, with the sheet that rates it.
async fn answer(s: &State, v: &chibo_access::Viewer, view: &MeetingView, lang: Lang) -> MeetingBody {
    let in_force = s.app.scoring_sheet(v, view.meeting.cell_id, view.meeting.held_on).await.ok();
    MeetingBody::new(view, in_force.as_ref(), lang)
}

/// A cell outside the viewer's grants, named by the path, is simply not found (the access
/// layer names the field for the forms, which send it).
pub(crate) fn hidden_cell(p: Problem) -> Problem {
    match &p {
        Problem::Invalid(v)
            if v.errors.len() == 1 && v.errors[0].field == "cell_id" && v.errors[0].code == "not_found" =>
        {
            Problem::NotFound
        }
        _ => p,
    }
}

#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// This year when absent.
    pub(crate) year: Option<String>,
}

/// The year asked for (the year of `today` when absent); a bad one is an error on `year`.
pub(crate) fn year_of(raw: &Option<String>, today: time::Date) -> Result<i32, Problem> {
    match raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today.year()),
        Some(y) => y.parse::<i32>().ok().filter(|y| (1930..=2200).contains(y)).ok_or_else(|| {
            Problem::field("year", "bad_year", "Năm: không hợp lệ (ví dụ 2025).", "Year: not valid (e.g. 2025).")
        }),
    }
}

/// The meetings of a cell in a year, by date: ?year= (this year when absent)
#[utoipa::path(get, path = "/orgs/{id}/meetings", tag = "meetings", security(("session" = [])),
    params(("id" = uuid::Uuid, Path), YearQuery), responses((status = 200, body = YearItems<MeetingRow>)))]
pub async fn list(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Json<YearItems<MeetingRow>>, ApiError> {
    let id = parse_id(&id, lang)?;
    let year = year_of(&q.year, s.app.today()).or_api(lang)?;
    let list = s.app.meetings_of(&v, id, year).await.or_api(lang)?;
    Ok(Json(YearItems { year, items: list.iter().map(|m| MeetingRow::new(m, lang)).collect() }))
}

/// Schedule a meeting of this cell
///
/// The roll (invitations) is the cell's membership on the date.
#[utoipa::path(post, path = "/orgs/{id}/meetings", tag = "meetings", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = MeetingFields, responses((status = 201, body = MeetingBody)))]
pub async fn schedule(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<MeetingFields>,
) -> Result<(StatusCode, Json<MeetingBody>), ApiError> {
    let id = parse_id(&id, lang)?;
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    let view = s.app.schedule_meeting(&v, id, &input).await.map_err(hidden_cell).or_api(lang)?;
    Ok((StatusCode::CREATED, Json(answer(&s, &v, &view, lang).await)))
}

/// A meeting: plan, counts, roll with marks, speakers, documents, notices, corrections, vote base, missing parts of the minutes, the previous resolution and the scoring sheet in force
///
/// A member sees the plan, documents and their own line.
#[utoipa::path(get, path = "/meetings/{id}", tag = "meetings", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = MeetingBody)))]
pub async fn show(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
) -> Result<Json<MeetingBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let view = s.app.meeting(&v, id).await.or_api(lang)?;
    Ok(Json(answer(&s, &v, &view, lang).await))
}

/// Change the plan: the fields of scheduling with version
///
/// After the meeting day a change of date, kind or time of a held meeting needs `reason`.
#[utoipa::path(put, path = "/meetings/{id}", tag = "meetings", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = MeetingFields, responses((status = 200, body = MeetingBody)))]
pub async fn update(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<MeetingFields>,
) -> Result<Json<MeetingBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let (input, version) = f.parse_edit(DateStyle::Iso).or_api(lang)?;
    let view = s.app.update_meeting(&v, id, &input, version, reason(&f.reason)).await.or_api(lang)?;
    Ok(Json(answer(&s, &v, &view, lang).await))
}

/// Record the attendance; the meeting becomes held
///
/// Every expected member needs a mark (errors name `marks.<member id>`); after the day a changed mark needs `reason`.
#[utoipa::path(put, path = "/meetings/{id}/attendance", tag = "meetings", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = AttendanceFields, responses((status = 200, body = MeetingBody)))]
pub async fn attendance(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<AttendanceFields>,
) -> Result<Json<MeetingBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let (marks, version) = f.parse().or_api(lang)?;
    let view = s.app.record_attendance(&v, id, &marks, version, reason(&f.reason)).await.or_api(lang)?;
    Ok(Json(answer(&s, &v, &view, lang).await))
}

/// Record the minutes of a held meeting
#[utoipa::path(put, path = "/meetings/{id}/minutes", tag = "meetings", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = MinutesFields, responses((status = 200, body = MeetingBody)))]
pub async fn minutes(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<MinutesFields>,
) -> Result<Json<MeetingBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let (input, version) = f.parse().or_api(lang)?;
    let view = s.app.record_minutes(&v, id, &input, version, reason(&f.reason)).await.or_api(lang)?;
    Ok(Json(answer(&s, &v, &view, lang).await))
}

/// Approve the minutes (every part present); approved minutes are locked (later changes: 409)
#[utoipa::path(post, path = "/meetings/{id}/approve", tag = "meetings", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = VersionFields, responses((status = 200, body = MeetingBody)))]
pub async fn approve(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<VersionFields>,
) -> Result<Json<MeetingBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let version = f.parse().or_api(lang)?;
    let view = s.app.approve_minutes(&v, id, version).await.or_api(lang)?;
    Ok(Json(answer(&s, &v, &view, lang).await))
}

/// Cancel a meeting not held
#[utoipa::path(post, path = "/meetings/{id}/cancel", tag = "meetings", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = VersionFields, responses((status = 200, body = MeetingBody)))]
pub async fn cancel(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<VersionFields>,
) -> Result<Json<MeetingBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let version = f.parse().or_api(lang)?;
    let view = s.app.cancel_meeting(&v, id, version).await.or_api(lang)?;
    Ok(Json(answer(&s, &v, &view, lang).await))
}

/// Rate a held meeting on the sheet in force
///
/// `scores` gives the points of each judged criterion; computed criteria come from the record.
#[utoipa::path(put, path = "/meetings/{id}/rating", tag = "meetings", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = AssessFields, responses((status = 200, body = Assessed)))]
pub async fn assess(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<AssessFields>,
) -> Result<Json<Assessed>, ApiError> {
    let id = parse_id(&id, lang)?;
    let (scores, version) = f.parse().or_api(lang)?;
    let (a, view) = s.app.assess_meeting(&v, id, &scores, version, reason(&f.reason)).await.or_api(lang)?;
    Ok(Json(Assessed { assessment: AssessmentBody::new(&a, lang), meeting: answer(&s, &v, &view, lang).await }))
}

pub(crate) use super::meeting_docs::download;
