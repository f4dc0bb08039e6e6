//! Second factor (xác thực hai bước): TOTP secrets, recovery codes, logins awaiting a code.

use crate::StoreError;
use crate::db::{Exec, sql};
use time::OffsetDateTime;
use uuid::Uuid;

/// An account's TOTP secret (base32) and whether it is confirmed.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct TotpRow {
    pub user_id: Uuid,
    pub secret: String,
    pub confirmed_at: Option<OffsetDateTime>,
    pub last_step: i64,
}

pub async fn of_user(e: &mut impl Exec, user: Uuid) -> Result<Option<TotpRow>, StoreError> {
    sql("SELECT user_id, secret, confirmed_at, last_step FROM user_totp WHERE user_id = $1")
        .bind(user)
        .fetch_optional(e)
        .await
}

/// Store a new, unconfirmed secret (replacing any earlier one) and drop recovery codes.
pub async fn set_unconfirmed(e: &mut impl Exec, user: Uuid, secret: &str) -> Result<(), StoreError> {
    remove(e, user).await?;
    sql("INSERT INTO user_totp (user_id, secret, confirmed_at, last_step) VALUES ($1, $2, $3, 0)")
        .bind(user)
        .bind(secret)
        .bind(None::<OffsetDateTime>)
        .execute(e)
        .await?;
    Ok(())
}

/// Mark the secret confirmed, accepting time step `step`.
pub async fn confirm(e: &mut impl Exec, user: Uuid, step: i64, now: OffsetDateTime) -> Result<(), StoreError> {
    sql("UPDATE user_totp SET confirmed_at = $2, last_step = $3 WHERE user_id = $1")
        .bind(user)
        .bind(now)
        .bind(step)
        .execute(e)
        .await?;
    Ok(())
}

/// Accept time step `step` if it is later than the last one accepted (each code once).
pub async fn accept_step(e: &mut impl Exec, user: Uuid, step: i64) -> Result<bool, StoreError> {
    let n = sql("UPDATE user_totp SET last_step = $2 WHERE user_id = $1 AND last_step < $2")
        .bind(user)
        .bind(step)
        .execute(e)
        .await?;
    Ok(n == 1)
}

/// Forget the secret and the recovery codes (an administrator's reset, or a new enrolment).
pub async fn remove(e: &mut impl Exec, user: Uuid) -> Result<(), StoreError> {
    sql("DELETE FROM totp_recovery WHERE user_id = $1").bind(user).execute(e).await?;
    sql("DELETE FROM user_totp WHERE user_id = $1").bind(user).execute(e).await?;
    Ok(())
}

pub async fn add_recovery(e: &mut impl Exec, user: Uuid, code_hash: &str) -> Result<(), StoreError> {
    sql("INSERT INTO totp_recovery (user_id, code_hash, used_at) VALUES ($1, $2, $3)")
        .bind(user)
        .bind(code_hash)
        .bind(None::<OffsetDateTime>)
        .execute(e)
        .await?;
    Ok(())
}

/// Use an unused recovery code; whether it was one.
pub async fn use_recovery(
    e: &mut impl Exec,
    user: Uuid,
    code_hash: &str,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let n = sql("UPDATE totp_recovery SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL")
        .bind(user)
        .bind(code_hash)
        .bind(now)
        .execute(e)
        .await?;
    Ok(n == 1)
}

pub async fn unused_recovery(e: &mut impl Exec, user: Uuid) -> Result<i64, StoreError> {
    sql("SELECT COUNT(*) FROM totp_recovery WHERE user_id = $1 AND used_at IS NULL").bind(user).fetch_i64(e).await
}

/// A login awaiting its second factor.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Pending {
    pub token_hash: String,
    pub user_id: Uuid,
    pub expires_at: OffsetDateTime,
}

pub async fn add_pending(e: &mut impl Exec, p: &Pending, now: OffsetDateTime) -> Result<(), StoreError> {
    sql("DELETE FROM login_pending WHERE expires_at <= $1").bind(now).execute(e).await?;
    sql("INSERT INTO login_pending (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
        .bind(p.token_hash.as_str())
        .bind(p.user_id)
        .bind(p.expires_at)
        .execute(e)
        .await?;
    Ok(())
}

pub async fn pending(e: &mut impl Exec, token_hash: &str, now: OffsetDateTime) -> Result<Option<Pending>, StoreError> {
    sql("SELECT token_hash, user_id, expires_at FROM login_pending WHERE token_hash = $1 AND expires_at > $2")
        .bind(token_hash)
        .bind(now)
        .fetch_optional(e)
        .await
}

/// Remove a pending login; whether it was there (a token is used once).
pub async fn remove_pending(e: &mut impl Exec, token_hash: &str) -> Result<bool, StoreError> {
    Ok(sql("DELETE FROM login_pending WHERE token_hash = $1").bind(token_hash).execute(e).await? == 1)
}
