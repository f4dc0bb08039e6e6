//! Account administration (administrators, within their subtree), sessions and the audit log.

use super::body::records::{GrantBody, UserBody};
use super::body::users::{Activity, AuditEntry, LoginBlockBody, SessionBody, Unlocked};
use super::body::{Done, Items};
use super::{ApiJson, Reader, Writer, parse_id};
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::extract::{Path, Query, State as S};
use axum::http::StatusCode;
use chibo_access::Problem;
use chibo_access::domain::access::Role;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// Accounts and their grants (administrators)
#[utoipa::path(get, path = "/users", tag = "users", security(("session" = [])),
    responses((status = 200, body = Items<UserBody>)))]
pub async fn list(S(s): S<State>, Reader(v, lang): Reader) -> Result<Json<Items<UserBody>>, ApiError> {
    let all = s.app.users(&v).await.or_api(lang)?;
    Ok(Json(Items::of(&all, |(u, g)| UserBody::new(u, g, lang))))
}

#[derive(Deserialize, ToSchema)]
pub struct NewUser {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
}

/// Create an account (administrators)
#[utoipa::path(post, path = "/users", tag = "users", security(("session" = [])), request_body = NewUser,
    responses((status = 201, body = UserBody)))]
pub async fn create(
    S(s): S<State>,
    Writer(v, lang): Writer,
    ApiJson(b): ApiJson<NewUser>,
) -> Result<(StatusCode, Json<UserBody>), ApiError> {
    let u = s.app.create_user(&v, &b.username, &b.display_name, &b.password).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(UserBody::new(&u, &[], lang))))
}

#[derive(Deserialize, ToSchema)]
pub struct NewGrant {
    /// `admin`, `staff`, `inspector`, `secretary` or `member`.
    role: Option<String>,
    org_id: Option<String>,
    /// The member record of a `member` grant.
    member_id: Option<String>,
}

fn bad(field: &str, vi: &str, en: &str, lang: chibo_access::Lang) -> ApiError {
    ApiError(Problem::field(field, "invalid", vi, en), lang)
}

/// Grant a role on an organisation
#[utoipa::path(post, path = "/users/{id}/grants", tag = "users", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = NewGrant, responses((status = 201, body = GrantBody)))]
pub async fn grant(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<NewGrant>,
) -> Result<(StatusCode, Json<GrantBody>), ApiError> {
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
    Ok((StatusCode::CREATED, Json(GrantBody::new(&g, lang))))
}

/// Revoke a grant
#[utoipa::path(delete, path = "/grants/{id}", tag = "users", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = Done)))]
pub async fn revoke(S(s): S<State>, Writer(v, lang): Writer, Path(id): Path<String>) -> Result<Json<Done>, ApiError> {
    let id = parse_id(&id, lang)?;
    s.app.revoke(&v, id).await.or_api(lang)?;
    Ok(Json(Done::YES))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only the entries about this record.
    entity_id: Option<String>,
    /// At most this many entries, newest first (100 when absent).
    limit: Option<String>,
}

/// The audit log of the administered subtrees: ?entity_id=&limit=
#[utoipa::path(get, path = "/audit", tag = "audit", security(("session" = [])), params(AuditQuery),
    responses((status = 200, body = Items<AuditEntry>)))]
pub async fn audit(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Items<AuditEntry>>, ApiError> {
    let entity = q.entity_id.as_deref().and_then(|e| uuid::Uuid::parse_str(e).ok());
    let limit = match q.limit.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        None => 100,
        Some(l) => l.parse::<i64>().map_err(|_| {
            ApiError(
                Problem::field("limit", "invalid_number", "Số dòng: phải là một số.", "Limit: must be a number."),
                lang,
            )
        })?,
    };
    let items = s.app.audit_log(&v, entity, limit).await.or_api(lang)?;
    Ok(Json(Items::of(&items, AuditEntry::from)))
}

/// Disable an account managed by the administrator; its sessions end
#[utoipa::path(post, path = "/users/{id}/disable", tag = "users", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = Activity)))]
pub async fn disable(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
) -> Result<Json<Activity>, ApiError> {
    set_active(s, v, lang, &id, false).await
}

/// Enable an account
#[utoipa::path(post, path = "/users/{id}/enable", tag = "users", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = Activity)))]
pub async fn enable(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
) -> Result<Json<Activity>, ApiError> {
    set_active(s, v, lang, &id, true).await
}

async fn set_active(
    s: State,
    v: chibo_access::Viewer,
    lang: chibo_access::Lang,
    id: &str,
    active: bool,
) -> Result<Json<Activity>, ApiError> {
    let id = parse_id(id, lang)?;
    let u = s.app.set_account_active(&v, id, active).await.or_api(lang)?;
    Ok(Json(Activity::from(&u)))
}

#[derive(Deserialize, ToSchema)]
pub struct ResetBody {
    #[serde(default)]
    new_password: String,
}

/// Set a managed account's password: {new_password}; its sessions end
#[utoipa::path(post, path = "/users/{id}/password", tag = "users", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = ResetBody, responses((status = 200, body = Done)))]
pub async fn reset_password(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ResetBody>,
) -> Result<Json<Done>, ApiError> {
    let id = parse_id(&id, lang)?;
    s.app.reset_password(&v, id, &b.new_password).await.or_api(lang)?;
    Ok(Json(Done::YES))
}

/// Forget a managed account's failed logins from every address
#[utoipa::path(post, path = "/users/{id}/unlock", tag = "users", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = Unlocked)))]
pub async fn unlock(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
) -> Result<Json<Unlocked>, ApiError> {
    let id = parse_id(&id, lang)?;
    let cleared = s.app.unlock_logins(&v, id).await.or_api(lang)?;
    Ok(Json(Unlocked { ok: true, cleared }))
}

/// Accounts refused at some address after failed logins (administrators)
#[utoipa::path(get, path = "/login-blocks", tag = "users", security(("session" = [])),
    responses((status = 200, body = Items<LoginBlockBody>)))]
pub async fn login_blocks(S(s): S<State>, Reader(v, lang): Reader) -> Result<Json<Items<LoginBlockBody>>, ApiError> {
    let rows = s.app.login_blocks(&v).await.or_api(lang)?;
    Ok(Json(Items::of(&rows, LoginBlockBody::from)))
}

/// Live sessions of one's own or a managed account
#[utoipa::path(get, path = "/users/{id}/sessions", tag = "users", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = Items<SessionBody>)))]
pub async fn sessions(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
) -> Result<Json<Items<SessionBody>>, ApiError> {
    let id = parse_id(&id, lang)?;
    let own = s.app.own_session_id(&v);
    let rows = s.app.sessions(&v, id).await.or_api(lang)?;
    Ok(Json(Items::of(&rows, |r| SessionBody::new(r, own.as_deref()))))
}

/// End one session of one's own or a managed account
#[utoipa::path(delete, path = "/users/{id}/sessions/{session}", tag = "users", security(("session" = [])),
    params(("id" = uuid::Uuid, Path), ("session" = String, Path, description = "The session's id from the list")),
    responses((status = 200, body = Done)))]
pub async fn end_session(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path((id, session)): Path<(String, String)>,
) -> Result<Json<Done>, ApiError> {
    let id = parse_id(&id, lang)?;
    s.app.end_session(&v, id, &session).await.or_api(lang)?;
    Ok(Json(Done::YES))
}

/// Remove a managed account's second factor; it enrols again
#[utoipa::path(post, path = "/users/{id}/totp/reset", tag = "users", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = Done)))]
pub async fn totp_reset(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
) -> Result<Json<Done>, ApiError> {
    let id = parse_id(&id, lang)?;
    s.app.totp_reset(&v, id).await.or_api(lang)?;
    Ok(Json(Done::YES))
}
