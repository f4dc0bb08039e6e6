//! Accounts, their grants, and login sessions.

use crate::StoreError;
use crate::db::{Exec, sql};
use chibo_domain::access::{Grant, Role};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

/// An account.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct User {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: String,
    pub is_active: bool,
    pub lang: String,
    pub created_at: OffsetDateTime,
    pub password_changed_at: OffsetDateTime,
    pub last_login_at: Option<OffsetDateTime>,
}

const USER_COLUMNS: &str = "SELECT id, username, display_name, password_hash, is_active, lang, created_at, password_changed_at, last_login_at FROM users";

pub async fn by_username(e: &mut impl Exec, username: &str) -> Result<Option<User>, StoreError> {
    crate::db::dynamic_sql(format!("{USER_COLUMNS} WHERE username = $1")).bind(username).fetch_optional(e).await
}

pub async fn by_id(e: &mut impl Exec, id: Uuid) -> Result<Option<User>, StoreError> {
    crate::db::dynamic_sql(format!("{USER_COLUMNS} WHERE id = $1")).bind(id).fetch_optional(e).await
}

pub async fn list(e: &mut impl Exec) -> Result<Vec<User>, StoreError> {
    crate::db::dynamic_sql(format!("{USER_COLUMNS} ORDER BY username")).fetch_all(e).await
}

pub async fn count(e: &mut impl Exec) -> Result<i64, StoreError> {
    sql("SELECT COUNT(*) FROM users").fetch_i64(e).await
}

pub async fn insert(
    e: &mut impl Exec,
    id: Uuid,
    username: &str,
    display_name: &str,
    password_hash: &str,
) -> Result<(), StoreError> {
    let now = OffsetDateTime::now_utc();
    sql("INSERT INTO users (id, username, display_name, password_hash, is_active, lang, created_at, password_changed_at) \
         VALUES ($1, $2, $3, $4, $5, 'vi', $6, $6)")
    .bind(id)
    .bind(username)
    .bind(display_name)
    .bind(password_hash)
    .bind(true)
    .bind(now)
    .execute(e)
    .await
    .map_err(|err| match err {
        StoreError::Db(d) => StoreError::from_unique(d, &["username"]),
        other => other,
    })?;
    Ok(())
}

pub async fn set_password(e: &mut impl Exec, id: Uuid, password_hash: &str) -> Result<(), StoreError> {
    sql("UPDATE users SET password_hash = $2, password_changed_at = $3 WHERE id = $1")
        .bind(id)
        .bind(password_hash)
        .bind(OffsetDateTime::now_utc())
        .execute(e)
        .await?;
    Ok(())
}

pub async fn set_lang(e: &mut impl Exec, id: Uuid, lang: &str) -> Result<(), StoreError> {
    sql("UPDATE users SET lang = $2 WHERE id = $1").bind(id).bind(lang).execute(e).await?;
    Ok(())
}

pub async fn touch_login(e: &mut impl Exec, id: Uuid) -> Result<(), StoreError> {
    sql("UPDATE users SET last_login_at = $2 WHERE id = $1")
        .bind(id)
        .bind(OffsetDateTime::now_utc())
        .execute(e)
        .await?;
    Ok(())
}

/// A grant as stored, with its organisation's current path and name.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct GrantRow {
    pub id: Uuid,
    pub user_id: Uuid,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub org_id: Uuid,
    pub org_path: String,
    pub org_name: String,
    pub member_id: Option<Uuid>,
}

impl GrantRow {
    pub fn to_grant(&self) -> Grant {
        Grant { role: self.role, org_id: self.org_id, org_path: self.org_path.clone(), member_id: self.member_id }
    }
}

/// The grants of an account. Paths come from the organisations now, so grants follow moves.
pub async fn grants_of(e: &mut impl Exec, user: Uuid) -> Result<Vec<GrantRow>, StoreError> {
    sql("SELECT g.id, g.user_id, g.role, g.org_id, o.path AS org_path, o.name AS org_name, g.member_id \
         FROM grants g JOIN orgs o ON o.id = g.org_id WHERE g.user_id = $1 ORDER BY o.path, g.role")
    .bind(user)
    .fetch_all(e)
    .await
}

/// The grants that decide what an account may do now (*quyền hiện hành*). A member grant
/// (role `member`, linked to a member record) follows the record as of today: it is on the
/// cell the record is in now (after a transfer in, the new cell), and it is gone while the
/// record is in transit between cells or once membership ended (expelled, struck off, left,
/// died, transferred away). Other roles are as granted, with their organisation's current path.
pub async fn effective_grants_of(e: &mut impl Exec, user: Uuid) -> Result<Vec<GrantRow>, StoreError> {
    sql("SELECT g.id, g.user_id, g.role, o.id AS org_id, o.path AS org_path, o.name AS org_name, g.member_id \
         FROM grants g LEFT JOIN members m ON g.role = 'member' AND m.id = g.member_id \
         JOIN orgs o ON o.id = (CASE WHEN g.role = 'member' THEN m.org_id ELSE g.org_id END) \
         WHERE g.user_id = $1 \
         AND (g.role <> 'member' OR (m.status IN ('probationary', 'official') AND m.transit_org_id IS NULL)) \
         ORDER BY o.path, g.role")
    .bind(user)
    .fetch_all(e)
    .await
}

pub async fn add_grant(
    e: &mut impl Exec,
    user: Uuid,
    role: Role,
    org: Uuid,
    member: Option<Uuid>,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    sql("INSERT INTO grants (id, user_id, role, org_id, member_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(id)
        .bind(user)
        .bind(role.code())
        .bind(org)
        .bind(member)
        .bind(OffsetDateTime::now_utc())
        .execute(e)
        .await
        .map_err(|err| match err {
            StoreError::Db(d) => StoreError::from_unique(d, &["role"]),
            other => other,
        })?;
    Ok(id)
}

pub async fn remove_grant(e: &mut impl Exec, grant: Uuid) -> Result<u64, StoreError> {
    sql("DELETE FROM grants WHERE id = $1").bind(grant).execute(e).await
}

pub async fn grant_by_id(e: &mut impl Exec, grant: Uuid) -> Result<Option<GrantRow>, StoreError> {
    sql("SELECT g.id, g.user_id, g.role, g.org_id, o.path AS org_path, o.name AS org_name, g.member_id \
         FROM grants g JOIN orgs o ON o.id = g.org_id WHERE g.id = $1")
    .bind(grant)
    .fetch_optional(e)
    .await
}

/// A login session. The token itself is never stored, only its hash.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Session {
    pub token_hash: String,
    pub user_id: Uuid,
    pub csrf_token: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
}

pub async fn insert_session(e: &mut impl Exec, s: &Session, client_addr: Option<&str>) -> Result<(), StoreError> {
    sql("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at, client_addr) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)")
    .bind(s.token_hash.as_str())
    .bind(s.user_id)
    .bind(s.csrf_token.as_str())
    .bind(s.created_at)
    .bind(s.expires_at)
    .bind(s.last_seen_at)
    .bind(client_addr)
    .execute(e)
    .await?;
    Ok(())
}

/// A session that has not expired.
pub async fn live_session(
    e: &mut impl Exec,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<Option<Session>, StoreError> {
    sql("SELECT token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at FROM sessions \
         WHERE token_hash = $1 AND expires_at > $2")
    .bind(token_hash)
    .bind(now)
    .fetch_optional(e)
    .await
}

/// Whether the session of `token_hash` is still live, now; [`StoreError::SessionEnded`] if not.
pub async fn check_live(e: &mut impl Exec, token_hash: &str) -> Result<(), StoreError> {
    let live = sql("SELECT COUNT(*) FROM sessions WHERE token_hash = $1 AND expires_at > $2")
        .bind(token_hash)
        .bind(OffsetDateTime::now_utc())
        .fetch_i64(e)
        .await?;
    if live == 0 { Err(StoreError::SessionEnded) } else { Ok(()) }
}

pub async fn extend_session(
    e: &mut impl Exec,
    token_hash: &str,
    now: OffsetDateTime,
    expires: OffsetDateTime,
) -> Result<(), StoreError> {
    // Never backwards: a touch that read the clock earlier but wrote later changes nothing.
    sql("UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE token_hash = $1 AND last_seen_at < $2")
        .bind(token_hash)
        .bind(now)
        .bind(expires)
        .execute(e)
        .await?;
    Ok(())
}

pub async fn delete_session(e: &mut impl Exec, token_hash: &str) -> Result<(), StoreError> {
    sql("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(e).await?;
    Ok(())
}

/// End every session of an account but one (after a password change).
pub async fn delete_other_sessions(e: &mut impl Exec, user: Uuid, keep: &str) -> Result<(), StoreError> {
    sql("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2").bind(user).bind(keep).execute(e).await?;
    Ok(())
}

pub async fn delete_expired_sessions(e: &mut impl Exec, now: OffsetDateTime) -> Result<u64, StoreError> {
    sql("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(e).await
}

/// Enable or disable an account.
pub async fn set_active(e: &mut impl Exec, id: Uuid, active: bool) -> Result<(), StoreError> {
    sql("UPDATE users SET is_active = $2 WHERE id = $1").bind(id).bind(active).execute(e).await?;
    Ok(())
}

/// End every session of an account.
pub async fn delete_sessions_of(e: &mut impl Exec, user: Uuid) -> Result<u64, StoreError> {
    sql("DELETE FROM sessions WHERE user_id = $1").bind(user).execute(e).await
}

/// A live session as shown to its owner or an administrator; `id` is the first 16 hex digits
/// of the token's hash (neither the token nor its whole hash leaves the server).
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct SessionInfo {
    pub id: String,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub client_addr: Option<String>,
}

/// The live sessions of an account, newest first.
pub async fn sessions_of(e: &mut impl Exec, user: Uuid, now: OffsetDateTime) -> Result<Vec<SessionInfo>, StoreError> {
    sql("SELECT substr(token_hash, 1, 16) AS id, created_at, last_seen_at, expires_at, client_addr FROM sessions \
         WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC")
    .bind(user)
    .bind(now)
    .fetch_all(e)
    .await
}

/// End one session of an account by its shown id; how many ended.
pub async fn delete_session_by_id(e: &mut impl Exec, user: Uuid, id: &str) -> Result<u64, StoreError> {
    sql("DELETE FROM sessions WHERE user_id = $1 AND substr(token_hash, 1, 16) = $2")
        .bind(user)
        .bind(id)
        .execute(e)
        .await
}

/// Active accounts administering a root organisation.
pub async fn count_root_admins(e: &mut impl Exec) -> Result<i64, StoreError> {
    sql("SELECT COUNT(*) FROM grants g JOIN orgs o ON o.id = g.org_id JOIN users u ON u.id = g.user_id \
         WHERE g.role = 'admin' AND o.depth = 0 AND u.is_active = $1")
    .bind(true)
    .fetch_i64(e)
    .await
}
