//! Write transactions that are correct under concurrency on both engines.
//!
//! Every use case that reads, checks and writes runs its work through [`write!`]:
//!
//! ```ignore
//! let member = write!(self, |tx| {
//!     let member = load(tx, id).await?;   // read and check …
//!     members::update(tx, &member).await.map_err(unavailable)?;   // … and write
//!     Ok(member)
//! })?;
//! ```
//! On
//! SQLite the one writer connection (`BEGIN IMMEDIATE`) already serialises writers. On
//! PostgreSQL the transaction runs at `SERIALIZABLE` (`Pools::begin`), so two requests that
//! checked the same rows cannot both commit: the database aborts one with a serialization
//! failure (or a deadlock, or a key that became duplicate meanwhile), and the work is run
//! again from the start on a fresh transaction, seeing what the other committed. After
//! [`MAX_ATTEMPTS`] the caller gets a 409 that says to try again, never a 5xx.

use crate::Outcome;
use chibo_domain::{FieldError, Problem};
use std::time::Duration;

/// How many times a write is tried before the caller is told to try again.
pub const MAX_ATTEMPTS: u32 = 12;

/// The refusal code of a write that lost to concurrent writes every time it was tried.
pub const CONCURRENT_CODE: &str = "concurrent_write";

/// The 409 for a write that kept conflicting with concurrent writes.
pub(crate) fn concurrent() -> Problem {
    Problem::Conflict(FieldError::new(
        "version",
        CONCURRENT_CODE,
        "Có người khác đang ghi vào cùng hồ sơ này. Hãy thử lại sau giây lát.",
        "Someone else is writing the same records right now. Try again in a moment.",
    ))
}

fn retryable(p: &Problem) -> bool {
    matches!(p, Problem::Conflict(e) if e.code == CONCURRENT_CODE)
}

/// Wait a little longer after each lost attempt, with jitter so the losers do not collide
/// again in step: about 2, 4, 8 … ms, at most about 100 ms.
async fn back_off(attempt: u32) {
    let base = 2u64 << attempt.min(6);
    let jitter = rand::random::<u64>() % base.max(1);
    tokio::time::sleep(Duration::from_millis((base + jitter).min(120))).await;
}

/// What to do after one attempt: its outcome is final, or the work runs again.
pub(crate) async fn after_attempt<T>(outcome: Outcome<T>, attempt: &mut u32) -> Option<Outcome<T>> {
    match outcome {
        Err(p) if retryable(&p) && *attempt + 1 < MAX_ATTEMPTS => {
            *attempt += 1;
            back_off(*attempt).await;
            None
        }
        Err(p) if retryable(&p) => {
            tracing::warn!(attempts = *attempt + 1, "a write lost to concurrent writes every time it was tried");
            Some(Err(concurrent()))
        }
        other => Some(other),
    }
}

/// Run a block in a write transaction bound to `tx` (a `&mut Tx`) and commit it; run it
/// again on a fresh transaction when the database reports a conflict that a retry resolves.
/// The block is an `async` body returning `Outcome<T>` (`?` and `return` leave the block and
/// roll back on an error); it must do nothing outside the transaction that cannot be done
/// twice. The compiler enforces that input moved into the block is cloned for each attempt.
macro_rules! write {
    ($chibo:expr, |$tx:ident| $body:block) => {{
        let mut attempt = 0u32;
        loop {
            let outcome: $crate::Outcome<_> = async {
                let mut transaction = $chibo.pools.begin().await.map_err($crate::unavailable)?;
                let value = {
                    let $tx = &mut transaction;
                    async {
                        let value: $crate::Outcome<_> = $body;
                        value
                    }
                    .await?
                };
                transaction.commit().await.map_err($crate::unavailable)?;
                Ok(value)
            }
            .await;
            if let Some(done) = $crate::transaction::after_attempt(outcome, &mut attempt).await {
                break done;
            }
        }
    }};
}
pub(crate) use write;
