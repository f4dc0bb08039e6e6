use super::{ApiJson, Reader, Writer, json, parse_id};
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::extract::{Path, Query, State as S};
use axum::http::StatusCode;
use chibo_access::Problem;
use chibo_access::domain::access::Role;
use serde::Deserialize;
use serde_json::{Value, json};

pub async fn list(S(s): S<State>, Reader(v, lang): Reader) -> Result<Json<Value>, ApiError> {
    let all = s.app.users(&v).await.or_api(lang)?;
    Ok(Json(json!({ "items": all.iter().map(|(u, g)| json::user(u, g, lang)).collect::<Vec<_>>() })))
}

#[derive(Deserialize)]
pub struct NewUser {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
}

pub async fn create(
    S(s): S<State>,
    Writer(v, lang): Writer,
    ApiJson(b): ApiJson<NewUser>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let u = s.app.create_user(&v, &b.username, &b.display_name, &b.password).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(json::user(&u, &[], lang))))
}

#[derive(Deserialize)]
pub struct GrantBody {
    role: Option<String>,
    org_id: Option<String>,
    member_id: Option<String>,
}

fn bad(field: &str, vi: &str, en: &str, lang: chibo_access::Lang) -> ApiError {
    ApiError(Problem::field(field, "invalid", vi, en), lang)
}

pub async fn grant(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<GrantBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let user = parse_id(&id, lang)?;
    let role = b
        .role
        .as_deref()
        .and_then(Role::parse)
        .ok_or_else(|| bad("role", "Vai trò: không hợp lệ.", "Role: not valid.", lang))?;
    let org = b
        .org_id
        .as_deref()
        .and_then(|o| uuid::Uuid::parse_str(o).ok())
        .ok_or_else(|| bad("org_id", "Tổ chức: mã không hợp lệ.", "Organisation: not a valid id.", lang))?;
    let member = match b.member_id.as_deref().filter(|m| !m.is_empty()) {
        Some(m) => Some(
            uuid::Uuid::parse_str(m)
                .map_err(|_| bad("member_id", "Đảng viên: mã không hợp lệ.", "Member: not a valid id.", lang))?,
        ),
        None => None,
    };
    let g = s.app.grant(&v, user, role, org, member).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(json::grant(&g, lang))))
}

pub async fn revoke(S(s): S<State>, Writer(v, lang): Writer, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    s.app.revoke(&v, id).await.or_api(lang)?;
    Ok(Json(json!({"ok": true})))
}

#[derive(Deserialize)]
pub struct AuditQuery {
    entity_id: Option<String>,
    limit: Option<i64>,
}

pub async fn audit(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Value>, ApiError> {
    let entity = q.entity_id.as_deref().and_then(|e| uuid::Uuid::parse_str(e).ok());
    let items = s.app.audit_log(&v, entity, q.limit.unwrap_or(100)).await.or_api(lang)?;
    Ok(Json(json!({ "items": items.iter().map(|a| json!({
        "id": a.id, "at": a.at.unix_timestamp(), "username": a.username, "action": a.action, "entity": a.entity,
        "entity_id": a.entity_id, "before": a.before_json.as_deref().and_then(|s| serde_json::from_str::<Value>(s).ok()),
        "after": a.after_json.as_deref().and_then(|s| serde_json::from_str::<Value>(s).ok()),
    })).collect::<Vec<_>>() })))
}
