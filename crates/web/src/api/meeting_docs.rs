//! Meeting documents, members' advance notices of absence and their upcoming meetings.

use super::body::notices::{DocumentBody, NoticeBody, UpcomingBody};
use super::body::{Deleted, Items};
use super::{ApiJson, Reader, Writer, parse_id};
use crate::meeting_input::{AnswerFields, NoticeFields};
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State as S};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chibo_access::Document;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FileQuery {
    /// The file name of raw bytes sent without multipart.
    pub file_name: Option<String>,
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
    crate::attachment::attachment(&d.file_name, &d.content_type, body)
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

/// A document sent as multipart/form-data.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The file, with its name.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}
