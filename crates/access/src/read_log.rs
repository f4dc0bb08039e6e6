//! Reads of personal data in the audit chain (*nhật ký truy cập*), written behind the answer:
//! a request queues its entry and goes on; one writer at a time takes everything queued and
//! appends it to the chain in one transaction. Reads therefore never wait for the chain's
//! head (writes take turns at it), and many reads share one commit. What a crash can lose is
//! the reads of its last moments, never a write's entry (that is in the write's transaction);
//! a queue longer than [`MAX_QUEUED`] makes the requests wait for their entry instead.

use chibo_store::Pools;
use chibo_store::audit::{self, AuditEntry};
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// Entries written per transaction at most.
const BATCH: usize = 500;
/// Beyond this many entries waiting, a request waits until the queue is written.
pub(crate) const MAX_QUEUED: usize = 5_000;

/// One read to log (`member.read` …), owned so that it can wait in the queue.
pub(crate) struct ReadEntry {
    pub user_id: Option<Uuid>,
    pub username: String,
    pub action: &'static str,
    pub entity: &'static str,
    pub entity_id: Uuid,
    pub org_path: String,
}

#[derive(Default)]
struct Queue {
    entries: Vec<ReadEntry>,
    /// Whether a writer is running (it keeps going until the queue is empty).
    writing: bool,
}

/// The queue of reads waiting to be written.
#[derive(Clone, Default)]
pub(crate) struct ReadLog {
    queue: Arc<Mutex<Queue>>,
}

impl ReadLog {
    /// Queue `entry`; start the writer if none runs. Waits only when the queue is too long.
    pub(crate) async fn log(&self, pools: &Pools, entry: ReadEntry) -> Result<(), String> {
        let (start, backlog) = {
            let mut q = self.queue.lock().map_err(|e| e.to_string())?;
            q.entries.push(entry);
            let start = !q.writing;
            q.writing = true;
            (start, q.entries.len() > MAX_QUEUED)
        };
        if start {
            let (log, pools) = (self.clone(), pools.clone());
            let writer = tokio::spawn(async move { log.drain(&pools).await });
            if backlog {
                return writer.await.map_err(|e| e.to_string())?;
            }
        } else if backlog {
            self.flush(pools).await?;
        }
        Ok(())
    }

    /// Write until the queue is empty, then mark the writer gone.
    async fn drain(&self, pools: &Pools) -> Result<(), String> {
        loop {
            let batch: Vec<ReadEntry> = {
                let mut q = self.queue.lock().map_err(|e| e.to_string())?;
                if q.entries.is_empty() {
                    q.writing = false;
                    return Ok(());
                }
                let n = q.entries.len().min(BATCH);
                q.entries.drain(..n).collect()
            };
            // A batch that fails (the database gone for a moment) is tried again a few times.
            for attempt in 1..=3 {
                match write(pools, &batch).await {
                    Ok(()) => break,
                    Err(e) if attempt == 3 => tracing::error!("audit: {} reads not logged: {e}", batch.len()),
                    Err(_) => tokio::time::sleep(std::time::Duration::from_millis(50 * attempt)).await,
                }
            }
        }
    }

    /// Wait until everything queued so far is written (tests, shutdown, backlog).
    pub(crate) async fn flush(&self, pools: &Pools) -> Result<(), String> {
        loop {
            // Idle, or no writer running (this caller becomes it), or wait for the writer.
            let (idle, become_writer) = {
                let mut q = self.queue.lock().map_err(|e| e.to_string())?;
                let idle = q.entries.is_empty() && !q.writing;
                let become_writer = !idle && !q.writing;
                if become_writer {
                    q.writing = true;
                }
                (idle, become_writer)
            };
            if idle {
                return Ok(());
            }
            if become_writer {
                return self.drain(pools).await;
            }
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
    }
}

async fn write(pools: &Pools, batch: &[ReadEntry]) -> Result<(), String> {
    let mut tx = pools.begin().await.map_err(|e| e.to_string())?;
    for r in batch {
        let entry = AuditEntry {
            user_id: r.user_id,
            username: &r.username,
            action: r.action,
            entity: r.entity,
            entity_id: Some(r.entity_id),
            org_path: Some(&r.org_path),
            before: None,
            after: None,
            // Logged after the read, for whoever read: not refused when the session has ended.
            session: None,
        };
        audit::record(&mut tx, &entry).await.map_err(|e| e.to_string())?;
    }
    tx.commit().await.map_err(|e| e.to_string())
}
