//! Member records: the list of a subtree, a record, create, edit, the member's own correction,
//! and closing a possible-duplicate flag.

use super::body::Done;
use super::body::records::{MemberLine, MemberPage, MemberPageBody};
use super::{ApiJson, Reader, Writer, parse_id};
use crate::input::{DateStyle, MemberFields, decode_cursor, encode_cursor};
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::extract::{Path, Query, State as S};
use axum::http::StatusCode;
use chibo_access::domain::member::{MemberStatus, OwnCorrection};
use chibo_access::{PageRequest, Problem};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Words of the name, diacritics optional (word prefixes).
    q: Option<String>,
    /// A member status code (`official`, `probationary`, …).
    status: Option<String>,
    /// The `next` cursor of the previous page.
    after: Option<String>,
    /// Rows per page, 1 to 200 (50 when absent).
    limit: Option<String>,
}

/// Members of the subtree in Vietnamese name order: ?q=&status=&after=&limit=
#[utoipa::path(get, path = "/orgs/{id}/members", tag = "members", security(("session" = [])),
    params(("id" = uuid::Uuid, Path), PageParams), responses((status = 200, body = MemberPage)))]
pub async fn list(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(p): Query<PageParams>,
) -> Result<Json<MemberPage>, ApiError> {
    let id = parse_id(&id, lang)?;
    let status = match p.status.as_deref().filter(|s| !s.is_empty()) {
        Some(code) => Some(MemberStatus::parse(code).ok_or_else(|| {
            ApiError(
                Problem::field(
                    "status",
                    "invalid_choice",
                    "Tình trạng: giá trị không hợp lệ.",
                    "Status: not a valid choice.",
                ),
                lang,
            )
        })?),
        None => None,
    };
    let limit = match p.limit.as_deref() {
        Some(l) => l.parse::<i64>().ok().filter(|l| (1..=200).contains(l)).ok_or_else(|| {
            ApiError(Problem::field("limit", "invalid_number", "Số dòng: từ 1 đến 200.", "Limit: from 1 to 200."), lang)
        })?,
        None => 50,
    };
    let req = PageRequest { search: p.q, status, after: p.after.as_deref().and_then(decode_cursor), limit };
    let page = s.app.members_page(&v, id, &req).await.or_api(lang)?;
    Ok(Json(MemberPage {
        items: page.items.iter().map(MemberLine::from).collect(),
        next: page.next.as_ref().map(encode_cursor),
    }))
}

/// Create a member record
#[utoipa::path(post, path = "/members", tag = "members", security(("session" = [])), request_body = MemberFields,
    responses((status = 201, body = MemberPageBody)))]
pub async fn create(
    S(s): S<State>,
    Writer(v, lang): Writer,
    ApiJson(f): ApiJson<MemberFields>,
) -> Result<(StatusCode, Json<MemberPageBody>), ApiError> {
    let input = f.parse(DateStyle::Iso, s.app.today()).or_api(lang)?;
    let view = s.app.create_member(&v, input).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(MemberPageBody::new(&view, lang))))
}

/// A member record
#[utoipa::path(get, path = "/members/{id}", tag = "members", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = MemberPageBody)))]
pub async fn show(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
) -> Result<Json<MemberPageBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let view = s.app.member(&v, id).await.or_api(lang)?;
    Ok(Json(MemberPageBody::new(&view, lang)))
}

/// Replace a member record (with its version)
#[utoipa::path(put, path = "/members/{id}", tag = "members", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = MemberFields, responses((status = 200, body = MemberPageBody)))]
pub async fn update(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<MemberFields>,
) -> Result<Json<MemberPageBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let version = f.version().or_api(lang)?;
    let input = f.parse(DateStyle::Iso, s.app.today()).or_api(lang)?;
    let view = s.app.update_member(&v, id, input, version).await.or_api(lang)?;
    Ok(Json(MemberPageBody::new(&view, lang)))
}

/// The contact fields a member may correct on their own record.
#[derive(Deserialize, ToSchema)]
pub struct OwnBody {
    phone: Option<String>,
    email: Option<String>,
    permanent_residence: Option<String>,
    current_residence: Option<String>,
    /// The version read.
    version: Option<i64>,
}

/// A member corrects contact fields of their own record
#[utoipa::path(patch, path = "/members/{id}/own", tag = "members", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = OwnBody, responses((status = 200, body = MemberPageBody)))]
pub async fn correct_own(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<OwnBody>,
) -> Result<Json<MemberPageBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let version = b.version.ok_or_else(|| {
        ApiError(Problem::field("version", "required", "Phiên bản hồ sơ: bắt buộc.", "Version: required."), lang)
    })?;
    let fix = OwnCorrection {
        phone: b.phone,
        email: b.email,
        permanent_residence: b.permanent_residence,
        current_residence: b.current_residence,
    };
    let view = s.app.correct_own(&v, id, &fix, version).await.or_api(lang)?;
    Ok(Json(MemberPageBody::new(&view, lang)))
}

/// Close a possible-duplicate flag after review
#[utoipa::path(post, path = "/flags/{id}/resolve", tag = "members", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = Done)))]
pub async fn resolve_flag(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
) -> Result<Json<Done>, ApiError> {
    let id = parse_id(&id, lang)?;
    s.app.resolve_flag(&v, id).await.or_api(lang)?;
    Ok(Json(Done::YES))
}
