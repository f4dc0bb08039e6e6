//! Cell meetings (*sinh hoạt chi bộ*): scheduling, the plan, attendance, minutes, approval,
//! the quality rating, documents, advance notices of absence, the yearly topic plan, the
//! compliance figures of any organisation and period, and the absence work list.

use super::body::figures::{AbsenteeBody, FiguresBody, MissedBody};
use super::body::meetings::{
    Assessed, AssessmentBody, DocumentBody, MeetingBody, MeetingRow, NoticeBody, SheetBody, SheetSet, TopicBody,
    UpcomingBody,
};
use super::body::{Deleted, Items, YearItems};
use super::{ApiJson, Reader, Writer, parse_id};
use crate::admission_input::VersionFields;
use crate::input::DateStyle;
use crate::meeting_input::{
    AnswerFields, AssessFields, AttendanceFields, MeetingFields, MinutesFields, NoticeFields, SheetFields, TopicFields,
    reason,
};
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State as S};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chibo_access::{Document, Lang, MISSED_PAGE, MeetingView, Problem};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// The meeting as the viewer now sees it, with the sheet that rates it.
async fn answer(s: &State, v: &chibo_access::Viewer, view: &MeetingView, lang: Lang) -> MeetingBody {
    let in_force = s.app.scoring_sheet(v, view.meeting.cell_id, view.meeting.held_on).await.ok();
    MeetingBody::new(view, in_force.as_ref(), lang)
}

/// A cell outside the viewer's grants, named by the path, is simply not found (the access
/// layer names the field for the forms, which send it).
fn hidden_cell(p: Problem) -> Problem {
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
    year: Option<String>,
}

/// The year asked for (this year when absent); a bad one is an error on `year`.
pub(crate) fn year_of(raw: &Option<String>) -> Result<i32, Problem> {
    match raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(chibo_access::today().year()),
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
    let year = year_of(&q.year).or_api(lang)?;
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

#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FileQuery {
    /// The file name of raw bytes sent without multipart.
    file_name: Option<String>,
}

/// Attach a document (PDF, Word, Excel, PowerPoint, ODT, JPG, PNG, TXT; at most 10 MiB)
///
/// multipart/form-data with a part named `file`, or the raw bytes with `?file_name=`.
#[utoipa::path(post, path = "/meetings/{id}/documents", tag = "meetings", security(("session" = [])),
    params(("id" = uuid::Uuid, Path), FileQuery), request_body(content((UploadForm = "multipart/form-data"), (Vec<u8> = "application/octet-stream"))), responses((status = 201, body = DocumentBody)))]
pub async fn attach(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    Query(q): Query<FileQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<DocumentBody>), ApiError> {
    let id = parse_id(&id, lang)?;
    // The meeting and the right to write it first: a refused upload is not read.
    s.app.may_attach_document(&v, id).await.or_api(lang)?;
    let up = crate::upload::read(&headers, q.file_name.as_deref(), body).await.or_api(lang)?;
    let d = s.app.attach_document(&v, id, &up.name, &up.bytes).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(DocumentBody::from(&d))))
}

/// A document's bytes as a download, with its stored type and name.
pub(crate) fn download(d: &Document, body: Vec<u8>) -> Response {
    let ascii: String =
        d.file_name.chars().map(|c| if c.is_ascii_alphanumeric() || "._- ".contains(c) { c } else { '_' }).collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", crate::ui::qs(&d.file_name));
    (
        [
            (header::CONTENT_TYPE, d.content_type.clone()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// Download a meeting document
#[utoipa::path(get, path = "/documents/{id}", tag = "meetings", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, description = "The document, with its stored content type and name", content_type = "application/octet-stream", body = Vec<u8>)))]
pub async fn get_document(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, lang)?;
    let (d, body) = s.app.document(&v, id).await.or_api(lang)?;
    Ok(download(&d, body))
}

/// Remove a document (not after the minutes are approved)
#[utoipa::path(delete, path = "/documents/{id}", tag = "meetings", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = Deleted)))]
pub async fn delete_document(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
) -> Result<Json<Deleted>, ApiError> {
    let id = parse_id(&id, lang)?;
    s.app.delete_document(&v, id).await.or_api(lang)?;
    Ok(Json(Deleted { deleted: id }))
}

/// A member tells in advance that they will be absent from an upcoming meeting of their cell
#[utoipa::path(post, path = "/meetings/{id}/notice", tag = "meetings", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = NoticeFields, responses((status = 201, body = NoticeBody)))]
pub async fn notify(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<NoticeFields>,
) -> Result<(StatusCode, Json<NoticeBody>), ApiError> {
    let id = parse_id(&id, lang)?;
    let n = s.app.notify_absence(&v, id, f.reason.as_deref().unwrap_or("")).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(NoticeBody::from(&n))))
}

/// The secretary accepts or refuses a member's notice; an accepted one marks the member absent with reason
#[utoipa::path(put, path = "/meetings/{id}/notices/{member_id}", tag = "meetings", security(("session" = [])),
    params(("id" = uuid::Uuid, Path), ("member_id" = uuid::Uuid, Path)), request_body = AnswerFields, responses((status = 200, body = NoticeBody)))]
pub async fn answer_notice(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path((id, member)): Path<(String, String)>,
    ApiJson(f): ApiJson<AnswerFields>,
) -> Result<Json<NoticeBody>, ApiError> {
    let (id, member) = (parse_id(&id, lang)?, parse_id(&member, lang)?);
    let accept = f.parse().or_api(lang)?;
    let n = s.app.answer_notice(&v, id, member, accept).await.or_api(lang)?;
    Ok(Json(NoticeBody::from(&n)))
}

/// The logged-in member's upcoming meetings: agenda, documents and their own notice
#[utoipa::path(get, path = "/me/meetings", tag = "meetings", security(("session" = [])),
    params(), responses((status = 200, body = Items<UpcomingBody>)))]
pub async fn upcoming(S(s): S<State>, Reader(v, lang): Reader) -> Result<Json<Items<UpcomingBody>>, ApiError> {
    let list = s.app.upcoming_meetings(&v).await.or_api(lang)?;
    Ok(Json(Items::of(&list, |u| UpcomingBody::new(u, lang))))
}

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

/// One page of the cells under an organisation that missed the meeting of a month or quarter.
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
    let period = q.period.unwrap_or_else(|| chibo_access::today().year().to_string());
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
    let year = year_of(&q.year).or_api(lang)?;
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
    let year = year_of(&q.year).or_api(lang)?;
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

#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OnQuery {
    /// `yyyy-mm-dd` or `dd/mm/yyyy`; today when absent.
    on: Option<String>,
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
    let in_force = s.app.scoring_sheet(&v, id, on.unwrap_or_else(chibo_access::today)).await.or_api(lang)?;
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

/// A document sent as multipart/form-data.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The file, with its name.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}
