//! Documents attached to a case (*hồ sơ, tài liệu*): attached and removed by the deciding body
//! while the case is open, listed and downloaded by whoever may read the case; everyone else
//! gets 404, as for the case.

use super::body::inspection::CaseDocumentBody;
use super::body::{Deleted, Items};
use super::meeting_docs::FileQuery;
use super::{Reader, Writer, parse_id};
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State as S};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

/// The documents of a case (whoever may read the case)
#[utoipa::path(get, path = "/inspection/cases/{id}/documents", tag = "inspection", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = Items<CaseDocumentBody>)))]
pub async fn list(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
) -> Result<Json<Items<CaseDocumentBody>>, ApiError> {
    let id = parse_id(&id, lang)?;
    let list = s.app.case_documents(&v, id).await.or_api(lang)?;
    Ok(Json(Items::of(&list, CaseDocumentBody::from)))
}

/// Attach a document to an open case (the deciding body; the types and size of meeting documents)
///
/// multipart/form-data with a part named `file`, or the raw bytes with `?file_name=`.
#[utoipa::path(post, path = "/inspection/cases/{id}/documents", tag = "inspection", security(("session" = [])),
    params(("id" = uuid::Uuid, Path), FileQuery), request_body(content((super::meeting_docs::UploadForm = "multipart/form-data"), (Vec<u8> = "application/octet-stream"))), responses((status = 201, body = CaseDocumentBody)))]
pub async fn attach(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    Query(q): Query<FileQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<CaseDocumentBody>), ApiError> {
    let id = parse_id(&id, lang)?;
    // The case and the right to write it first: a refused upload is not read.
    s.app.may_attach_case_document(&v, id).await.or_api(lang)?;
    let up = crate::upload::read(&headers, q.file_name.as_deref(), body).await.or_api(lang)?;
    let d = s.app.attach_case_document(&v, id, &up.name, &up.bytes).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(CaseDocumentBody::from(&d))))
}

/// Download a case document (whoever may read the case)
#[utoipa::path(get, path = "/inspection/documents/{id}", tag = "inspection", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, description = "The document, with its stored content type and name", content_type = "application/octet-stream", body = Vec<u8>)))]
pub async fn download(S(s): S<State>, Reader(v, lang): Reader, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = parse_id(&id, lang)?;
    let (d, body) = s.app.case_document(&v, id).await.or_api(lang)?;
    Ok(crate::attachment::attachment(&d.file_name, &d.content_type, body))
}

/// Remove a document from an open case (the deciding body)
#[utoipa::path(delete, path = "/inspection/documents/{id}", tag = "inspection", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = Deleted)))]
pub async fn delete(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
) -> Result<Json<Deleted>, ApiError> {
    let id = parse_id(&id, lang)?;
    s.app.delete_case_document(&v, id).await.or_api(lang)?;
    Ok(Json(Deleted { deleted: id }))
}
