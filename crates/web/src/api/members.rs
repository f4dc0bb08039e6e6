use super::{ApiJson, Reader, Writer, json, parse_id};
use crate::input::{DateStyle, MemberFields, decode_cursor, encode_cursor};
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::extract::{Path, Query, State as S};
use axum::http::StatusCode;
use chibo_access::domain::member::{MemberStatus, OwnCorrection};
use chibo_access::{MemberView, PageRequest, Problem};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
pub struct PageParams {
    q: Option<String>,
    status: Option<String>,
    after: Option<String>,
    limit: Option<String>,
}

pub async fn list(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(p): Query<PageParams>,
) -> Result<Json<Value>, ApiError> {
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
    Ok(Json(json!({
        "items": page.items.iter().map(json::summary).collect::<Vec<_>>(),
        "next": page.next.as_ref().map(encode_cursor),
    })))
}

fn view_json(view: &MemberView, lang: chibo_access::Lang) -> Value {
    json!({
        "member": json::member(&view.member, lang),
        "org": json::org(&view.org, lang),
        "flags": view.flags.iter().map(|f| json!({"id": f.id, "kind": f.kind, "other_member_id": if f.member_id == view.member.id { f.other_member_id } else { f.member_id }})).collect::<Vec<_>>(),
        "can_write": view.can_write,
        "can_correct": view.can_correct,
    })
}

pub async fn create(
    S(s): S<State>,
    Writer(v, lang): Writer,
    ApiJson(f): ApiJson<MemberFields>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    let view = s.app.create_member(&v, input).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(view_json(&view, lang))))
}

pub async fn show(S(s): S<State>, Reader(v, lang): Reader, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let view = s.app.member(&v, id).await.or_api(lang)?;
    Ok(Json(view_json(&view, lang)))
}

pub async fn update(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<MemberFields>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let version = f.version().or_api(lang)?;
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    let view = s.app.update_member(&v, id, input, version).await.or_api(lang)?;
    Ok(Json(view_json(&view, lang)))
}

#[derive(Deserialize)]
pub struct OwnBody {
    phone: Option<String>,
    email: Option<String>,
    permanent_residence: Option<String>,
    current_residence: Option<String>,
    version: Option<i64>,
}

pub async fn correct_own(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<OwnBody>,
) -> Result<Json<Value>, ApiError> {
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
    Ok(Json(view_json(&view, lang)))
}

pub async fn resolve_flag(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    s.app.resolve_flag(&v, id).await.or_api(lang)?;
    Ok(Json(json!({"ok": true})))
}
