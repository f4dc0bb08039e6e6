//! Login throttle (hạn chế đăng nhập sai) and the bound on concurrent password hashing.
//!
//! Failures are counted in the database per (account, client address) and per address alone
//! (`chibo_store::login_failures`), so a restart does not reset them, a wrong password typed
//! from one address does not lock the owner out from another, and one person behind an
//! office's shared address does not lock out the others. Each attempt is counted *before*
//! its password is checked, by compare-and-set, so parallel attempts cannot slip past the
//! count. After the free attempts each new one waits twice as long as the one before.
//!
//! Password hashing (argon2id, about 19 MiB of memory each) runs behind a semaphore sized to
//! the processor cores; requests beyond it wait a bounded time, then are refused with 429.

use crate::Outcome;
use chibo_domain::Problem;
use chibo_store::login_failures::{self as lf, Failures};
use chibo_store::{Pools, StoreError};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::Semaphore;

/// The clock every login rule reads (one place, so it can be replaced in tests later).
pub(crate) fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// How a counter turns failures into waiting.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Backoff {
    /// Failures allowed before any wait.
    pub free: i64,
    /// The first wait, in seconds; each later failure doubles it.
    pub base_secs: i64,
    /// The longest wait, in seconds.
    pub max_secs: i64,
}

/// Per (account, address): 5 free attempts, then 30 s, 1 min, 2 min, … up to 1 hour.
pub(crate) const PER_ACCOUNT_ADDRESS: Backoff = Backoff { free: 5, base_secs: 30, max_secs: 3600 };
/// Per address over every account (password spraying): 30 free, then 1 min doubling to 1 hour.
pub(crate) const PER_ADDRESS: Backoff = Backoff { free: 30, base_secs: 60, max_secs: 3600 };
/// Counters untouched this long start again from zero.
const FORGET_AFTER: time::Duration = time::Duration::hours(24);
/// How often a lost compare-and-set is tried again before answering 429.
const CAS_TRIES: usize = 8;

impl Backoff {
    /// The wait after the `n`-th failure.
    pub fn wait_after(&self, n: i64) -> time::Duration {
        if n < self.free {
            return time::Duration::ZERO;
        }
        let doublings = u32::try_from((n - self.free).min(30)).unwrap_or(30);
        let secs = self.base_secs.saturating_mul(1i64 << doublings).min(self.max_secs);
        time::Duration::seconds(secs)
    }
}

fn too_many(until: OffsetDateTime, now: OffsetDateTime) -> Problem {
    let secs = (until - now).whole_seconds().max(1);
    Problem::TooManyAttempts { retry_after: u64::try_from(secs).unwrap_or(1) }
}

/// Count one attempt on each `(account, addr, rule)` counter, atomically, or refuse with the
/// time to wait when any is blocked. Nothing is counted when the attempt is refused.
pub(crate) async fn count_attempt(pools: &Pools, keys: &[(&str, &str, Backoff)]) -> Outcome<()> {
    for tries in 1..=CAS_TRIES {
        let mut tx = pools.begin().await?;
        // Read the clock once the turn is ours: an attempt that read it earlier but got the
        // turn later would find the one before it "blocked" until that one's own moment.
        let now = now();
        let mut rows: Vec<(Failures, i64)> = Vec::with_capacity(keys.len());
        let mut last_error = None;
        for (account, addr, rule) in keys {
            let mut row = match lf::get_or_create(&mut tx, account, addr, now).await {
                Ok(row) => row,
                // At SERIALIZABLE a concurrent attempt may conflict here: try again.
                Err(e) => {
                    last_error = Some(e);
                    break;
                }
            };
            // Only a counter past its free attempts blocks; a free attempt's row holds no wait.
            if row.failures >= rule.free && row.blocked_until > now {
                return Err(too_many(row.blocked_until, now));
            }
            let expected = row.failures;
            let fresh = now - row.updated_at > FORGET_AFTER;
            row.failures = if fresh { 1 } else { expected + 1 };
            row.blocked_until = now + rule.wait_after(row.failures);
            rows.push((row, expected));
        }
        if last_error.is_none() {
            for (row, expected) in &rows {
                match lf::set_if(&mut tx, row, *expected, now).await {
                    Ok(true) => {}
                    // Another attempt changed the counter first: again.
                    Ok(false) => {
                        last_error = Some(StoreError::Stale);
                        break;
                    }
                    // At SERIALIZABLE, a conflict: again.
                    Err(e) => {
                        last_error = Some(e);
                        break;
                    }
                }
            }
        }
        if last_error.is_none() {
            match tx.commit().await {
                Ok(()) => return Ok(()),
                Err(e) => last_error = Some(e),
            }
        }
        if tries == CAS_TRIES {
            // Lost every race: busy, try again soon. Anything else: the store is unreachable.
            return Err(match last_error {
                Some(StoreError::Stale) | None => Problem::TooManyAttempts { retry_after: 1 },
                Some(e) if e.is_transient() => Problem::TooManyAttempts { retry_after: 1 },
                Some(e) => Problem::from(e),
            });
        }
        tokio::time::sleep(Duration::from_millis(5 + rand::random_range(0..20))).await;
    }
    Err(Problem::TooManyAttempts { retry_after: 1 })
}

/// A successful login: forget the account's failures from this address and give back the
/// attempt counted on the address.
pub(crate) async fn succeeded(pools: &Pools, account: &str, addr: &str) -> Outcome<()> {
    let mut tx = pools.begin().await?;
    lf::clear(&mut tx, account, addr).await?;
    lf::give_back(&mut tx, addr).await?;
    lf::forget_before(&mut tx, now() - FORGET_AFTER).await?;
    tx.commit().await.map_err(Problem::from)
}

/// How many password hashes may run at once, and how long a request waits for its turn.
#[derive(Clone)]
pub struct HashGate {
    permits: Arc<Semaphore>,
    workers: Arc<HashWorkers>,
    size: usize,
    waiting: Arc<AtomicUsize>,
    checks: Arc<AtomicU64>,
}

/// Longest wait for a hashing slot before answering 429.
const HASH_WAIT: Duration = Duration::from_secs(5);
/// Requests allowed to wait per slot; beyond it the answer is 429 at once (bounded memory).
const WAITING_PER_SLOT: usize = 16;

impl Default for HashGate {
    fn default() -> Self {
        let size = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        HashGate::new(size)
    }
}

/// A job of password work.
type HashJob = Box<dyn FnOnce() + Send>;

/// The threads that do password work: as many as the gate has slots, started once and kept.
/// Not tokio's blocking pool: each of its many threads would keep its own allocator arena
/// holding argon2's 19 MiB after the hash, so a login storm would leave hundreds of MB behind;
/// a fixed few threads reuse theirs. They end when the gate is dropped.
struct HashWorkers {
    jobs: std::sync::Mutex<std::sync::mpsc::Sender<HashJob>>,
}

impl HashWorkers {
    fn start(n: usize) -> HashWorkers {
        let (jobs, queue) = std::sync::mpsc::channel::<HashJob>();
        let queue = Arc::new(std::sync::Mutex::new(queue));
        for i in 0..n {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new().name(format!("chibo-hash-{i}")).spawn(move || {
                loop {
                    let job = match queue.lock() {
                        Ok(q) => q.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                }
            });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "starting a password thread");
            }
        }
        HashWorkers { jobs: std::sync::Mutex::new(jobs) }
    }

    fn send(&self, job: HashJob) -> Outcome<()> {
        let jobs = self.jobs.lock().map_err(|_| Problem::Unavailable("password work: queue poisoned".into()))?;
        jobs.send(job).map_err(|_| Problem::Unavailable("password work: no thread".into()))
    }
}

struct Waiting<'a>(&'a AtomicUsize);
impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl HashGate {
    pub fn new(size: usize) -> HashGate {
        let size = size.max(1);
        HashGate {
            permits: Arc::new(Semaphore::new(size)),
            workers: Arc::new(HashWorkers::start(size)),
            size,
            waiting: Arc::new(AtomicUsize::new(0)),
            checks: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Run password work `f` on a blocking thread once a slot is free.
    pub(crate) async fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Outcome<T> {
        let busy = Problem::TooManyAttempts { retry_after: 2 };
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.size * WAITING_PER_SLOT {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(busy);
        }
        let guard = Waiting(&self.waiting);
        let permit = match tokio::time::timeout(HASH_WAIT, self.permits.clone().acquire_owned()).await {
            Ok(Ok(p)) => p,
            _ => return Err(busy),
        };
        drop(guard);
        // The permit moves into the job: it is held until the hash is done, even when the
        // request is dropped meanwhile.
        let (done, answer) = tokio::sync::oneshot::channel();
        self.workers.send(Box::new(move || {
            let _ = done.send(f());
            drop(permit);
        }))?;
        answer.await.map_err(|e| Problem::Unavailable(format!("password work: {e}")))
    }

    /// Count one password verification (tests and figures).
    pub(crate) fn verified(&self) {
        self.checks.fetch_add(1, Ordering::SeqCst);
    }

    /// Password verifications run since start.
    pub fn verifications(&self) -> u64 {
        self.checks.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_after_the_free_attempts() {
        let b = PER_ACCOUNT_ADDRESS;
        assert_eq!(b.wait_after(1), time::Duration::ZERO);
        assert_eq!(b.wait_after(4), time::Duration::ZERO);
        assert_eq!(b.wait_after(5), time::Duration::seconds(30));
        assert_eq!(b.wait_after(6), time::Duration::seconds(60));
        assert_eq!(b.wait_after(8), time::Duration::seconds(240));
        assert_eq!(b.wait_after(500), time::Duration::seconds(3600));
    }

    #[tokio::test]
    async fn the_gate_runs_at_most_its_size_at_once() {
        let gate = HashGate::new(2);
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let (gate, running, peak) = (gate.clone(), running.clone(), peak.clone());
            tasks.push(tokio::spawn(async move {
                gate.run(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(10));
                    running.fetch_sub(1, Ordering::SeqCst);
                })
                .await
            }));
        }
        for t in tasks {
            assert!(t.await.expect("task").is_ok());
        }
        assert!(peak.load(Ordering::SeqCst) <= 2, "peak {}", peak.load(Ordering::SeqCst));
    }
}
