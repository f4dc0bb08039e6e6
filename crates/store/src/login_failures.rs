//! Failed logins (đăng nhập sai) per (account, client address) and per address alone.
//!
//! A row with `account = ''` counts an address's failures over every account. Rows change
//! only by compare-and-set on `failures` ([`set_if`]), so two concurrent attempts never both
//! act on the same count, on either engine.

use crate::StoreError;
use crate::db::{Exec, sql};
use serde::Serialize;
use time::OffsetDateTime;

/// The account key of the per-address row.
pub const ANY_ACCOUNT: &str = "";

/// One counter.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Failures {
    pub account: String,
    pub addr: String,
    pub failures: i64,
    pub blocked_until: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

const COLUMNS: &str = "SELECT account, addr, failures, blocked_until, updated_at FROM login_failures";

/// The counter of (account, addr), created at zero if absent.
pub async fn get_or_create(
    e: &mut impl Exec,
    account: &str,
    addr: &str,
    now: OffsetDateTime,
) -> Result<Failures, StoreError> {
    sql("INSERT INTO login_failures (account, addr, failures, blocked_until, updated_at) VALUES ($1, $2, 0, $3, $3) \
         ON CONFLICT (account, addr) DO NOTHING")
    .bind(account)
    .bind(addr)
    .bind(now)
    .execute(e)
    .await?;
    crate::db::dynamic_sql(format!("{COLUMNS} WHERE account = $1 AND addr = $2"))
        .bind(account)
        .bind(addr)
        .fetch_one(e)
        .await
}

/// Set a counter if it still holds `expected` failures; whether it was set.
pub async fn set_if(e: &mut impl Exec, row: &Failures, expected: i64, now: OffsetDateTime) -> Result<bool, StoreError> {
    let n = sql("UPDATE login_failures SET failures = $4, blocked_until = $5, updated_at = $6 \
                 WHERE account = $1 AND addr = $2 AND failures = $3")
    .bind(row.account.as_str())
    .bind(row.addr.as_str())
    .bind(expected)
    .bind(row.failures)
    .bind(row.blocked_until)
    .bind(now)
    .execute(e)
    .await?;
    Ok(n == 1)
}

/// Forget the failures of (account, addr) (a successful login).
pub async fn clear(e: &mut impl Exec, account: &str, addr: &str) -> Result<(), StoreError> {
    sql("DELETE FROM login_failures WHERE account = $1 AND addr = $2").bind(account).bind(addr).execute(e).await?;
    Ok(())
}

/// Give back one attempt counted on an address (it turned out to be a success).
pub async fn give_back(e: &mut impl Exec, addr: &str) -> Result<(), StoreError> {
    sql("UPDATE login_failures SET failures = failures - 1 WHERE account = $1 AND addr = $2 AND failures > 0")
        .bind(ANY_ACCOUNT)
        .bind(addr)
        .execute(e)
        .await?;
    Ok(())
}

/// Forget every failure of an account, from every address (an administrator's unlock).
pub async fn clear_account(e: &mut impl Exec, account: &str) -> Result<u64, StoreError> {
    sql("DELETE FROM login_failures WHERE account = $1").bind(account).execute(e).await
}

/// Counters of accounts refused until after `now`.
pub async fn blocked(e: &mut impl Exec, now: OffsetDateTime) -> Result<Vec<Failures>, StoreError> {
    crate::db::dynamic_sql(format!(
        "{COLUMNS} WHERE account <> $1 AND blocked_until > $2 ORDER BY account, addr LIMIT 1000"
    ))
    .bind(ANY_ACCOUNT)
    .bind(now)
    .fetch_all(e)
    .await
}

/// Drop counters untouched since `before` and no longer blocking.
pub async fn forget_before(e: &mut impl Exec, before: OffsetDateTime) -> Result<u64, StoreError> {
    sql("DELETE FROM login_failures WHERE updated_at < $1 AND blocked_until < $1").bind(before).execute(e).await
}
