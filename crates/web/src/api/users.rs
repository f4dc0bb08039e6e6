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

/// `POST /users/{id}/disable` and `/enable`: an account's sessions end when it is disabled.
pub async fn disable(S(s): S<State>, Writer(v, lang): Writer, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    set_active(s, v, lang, &id, false).await
}

pub async fn enable(S(s): S<State>, Writer(v, lang): Writer, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    set_active(s, v, lang, &id, true).await
}

async fn set_active(
    s: State,
    v: chibo_access::Viewer,
    lang: chibo_access::Lang,
    id: &str,
    active: bool,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(id, lang)?;
    let u = s.app.set_account_active(&v, id, active).await.or_api(lang)?;
    Ok(Json(json!({"id": u.id, "username": u.username, "is_active": u.is_active})))
}

#[derive(Deserialize)]
pub struct ResetBody {
    #[serde(default)]
    new_password: String,
}

/// `POST /users/{id}/password {new_password}`: an administrator sets the password.
pub async fn reset_password(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ResetBody>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    s.app.reset_password(&v, id, &b.new_password).await.or_api(lang)?;
    Ok(Json(json!({"ok": true})))
}

/// `POST /users/{id}/unlock`: forget the account's failed logins.
pub async fn unlock(S(s): S<State>, Writer(v, lang): Writer, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let n = s.app.unlock_logins(&v, id).await.or_api(lang)?;
    Ok(Json(json!({"ok": true, "cleared": n})))
}

/// `GET /login-blocks`: the accounts refused at some address now (administrators).
pub async fn login_blocks(S(s): S<State>, Reader(v, lang): Reader) -> Result<Json<Value>, ApiError> {
    let rows = s.app.login_blocks(&v).await.or_api(lang)?;
    Ok(Json(json!({ "items": rows.iter().map(|r| json!({
        "username": r.account, "addr": r.addr, "failures": r.failures,
        "blocked_until": r.blocked_until.unix_timestamp(),
    })).collect::<Vec<_>>() })))
}

/// `GET /users/{id}/sessions`: one's own sessions, or those of an account one manages.
pub async fn sessions(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let own = s.app.own_session_id(&v);
    let rows = s.app.sessions(&v, id).await.or_api(lang)?;
    Ok(Json(json!({ "items": rows.iter().map(|r| json!({
        "id": r.id, "created_at": r.created_at.unix_timestamp(), "last_seen_at": r.last_seen_at.unix_timestamp(),
        "expires_at": r.expires_at.unix_timestamp(), "client_addr": r.client_addr,
        "current": own.as_deref() == Some(r.id.as_str()),
    })).collect::<Vec<_>>() })))
}

/// `DELETE /users/{id}/sessions/{session}`: end one session.
pub async fn end_session(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path((id, session)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    s.app.end_session(&v, id, &session).await.or_api(lang)?;
    Ok(Json(json!({"ok": true})))
}

/// `POST /users/{id}/totp/reset`: remove a managed account's second factor.
pub async fn totp_reset(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    s.app.totp_reset(&v, id).await.or_api(lang)?;
    Ok(Json(json!({"ok": true})))
}
