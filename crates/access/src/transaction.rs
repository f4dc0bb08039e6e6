//! Write transactions that are correct under concurrency on both engines.
//!
//! Every use case that reads, checks and writes runs its work through [`write!`]:
//!
//! ```ignore
//! let member = write!(self, |tx| {
//!     let member = load(tx, id).await?;   // read and check …
//!     members::update(tx, &member).await?;   // … and write
//!     Ok(member)
//! })?;
//! ```
//! On
//! SQLite the one writer connection (`BEGIN IMMEDIATE`) already serialises writers. On
//! PostgreSQL the transaction runs at `SERIALIZABLE` (`Pools::begin`), so two requests that
//! checked the same rows cannot both commit: the database aborts one with a serialization
//! failure (or a deadlock, or a key that became duplicate meanwhile), and the work is run
//! again from the start on a fresh transaction, seeing what the other committed. Each round
//! of a race commits at least one of its transactions, so a write gets through unless the
//! same records stay contended for [`RETRY_FOR`]; then the caller gets a 409 that says to
//! try again, never a 5xx.

use crate::Outcome;
use chibo_domain::Problem;
use chibo_domain::error::CONCURRENT_CODE;
use std::time::{Duration, Instant};

/// How long a write that keeps losing races is tried again before the caller is told to try
/// again (a commune office's burst of writes on the same subtree resolves well within it).
pub const RETRY_FOR: Duration = Duration::from_secs(10);

fn retryable(p: &Problem) -> bool {
    matches!(p, Problem::Conflict(e) if e.code == CONCURRENT_CODE)
}

/// Wait a random time up to a ceiling that doubles after each lost attempt (1, 2, 4 … ms,
/// at most 128 ms), so that the losers of a race do not collide again in step.
async fn back_off(attempt: u32) {
    let ceiling = 1u64 << attempt.min(7);
    tokio::time::sleep(Duration::from_micros(rand::random::<u64>() % (ceiling * 1000) + 200)).await;
}

/// A write in progress: when it started and how many times it lost.
pub(crate) struct Attempts {
    started: Instant,
    lost: u32,
}

impl Attempts {
    pub(crate) fn new() -> Attempts {
        Attempts { started: Instant::now(), lost: 0 }
    }
}

/// What to do after one attempt: its outcome is final, or the work runs again.
pub(crate) async fn after_attempt<T>(outcome: Outcome<T>, attempts: &mut Attempts) -> Option<Outcome<T>> {
    match outcome {
        Err(p) if retryable(&p) && attempts.started.elapsed() < RETRY_FOR => {
            attempts.lost += 1;
            back_off(attempts.lost).await;
            None
        }
        Err(p) if retryable(&p) => {
            tracing::warn!(attempts = attempts.lost + 1, "a write lost to concurrent writes for {RETRY_FOR:?}");
            Some(Err(Problem::concurrent()))
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
        let mut attempts = $crate::transaction::Attempts::new();
        loop {
            let outcome: $crate::Outcome<_> = async {
                let mut transaction = $chibo.pools.begin().await?;
                let value = {
                    let $tx = &mut transaction;
                    async {
                        let value: $crate::Outcome<_> = $body;
                        value
                    }
                    .await?
                };
                transaction.commit().await?;
                Ok(value)
            }
            .await;
            if let Some(done) = $crate::transaction::after_attempt(outcome, &mut attempts).await {
                break done;
            }
        }
    }};
}
pub(crate) use write;
