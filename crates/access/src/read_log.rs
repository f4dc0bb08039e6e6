//! Reads of personal data in the audit chain (*nhật ký truy cập*), grouped: requests that open
//! records at the same moment share one transaction, so the chain's single head (one commit
//! at a time) does not make every read wait for the previous read's commit. Each request still
//! returns only once its own entry is committed.

use chibo_store::Pools;
use chibo_store::audit::{self, AuditEntry};
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;
use uuid::Uuid;

/// One read to log (`member.read` …), owned so that it can wait in the queue.
pub(crate) struct ReadEntry {
    pub user_id: Option<Uuid>,
    pub username: String,
    pub action: &'static str,
    pub entity: &'static str,
    pub entity_id: Uuid,
    pub org_path: String,
}

type Waiter = (ReadEntry, oneshot::Sender<Result<(), String>>);

/// The queue of reads waiting to be written, and the turn to write them.
#[derive(Clone, Default)]
pub(crate) struct ReadLog {
    queue: Arc<Mutex<Vec<Waiter>>>,
    turn: Arc<tokio::sync::Mutex<()>>,
}

impl ReadLog {
    /// Queue `entry`, then take a turn: whoever holds it writes everything queued so far in
    /// one transaction. Returns when `entry` is committed (by this turn or an earlier one).
    pub(crate) async fn log(&self, pools: &Pools, entry: ReadEntry) -> Result<(), String> {
        let (done, written) = oneshot::channel();
        self.queue.lock().map_err(|e| e.to_string())?.push((entry, done));
        {
            let _turn = self.turn.lock().await;
            let batch: Vec<Waiter> = std::mem::take(&mut *self.queue.lock().map_err(|e| e.to_string())?);
            if !batch.is_empty() {
                // In its own task: a caller that goes away does not abandon the others.
                let pools = pools.clone();
                tokio::spawn(async move {
                    let result = write(&pools, &batch).await;
                    for (_, done) in batch {
                        let _ = done.send(result.clone());
                    }
                })
                .await
                .map_err(|e| e.to_string())?;
            }
        }
        written.await.map_err(|e| e.to_string())?
    }
}

async fn write(pools: &Pools, batch: &[Waiter]) -> Result<(), String> {
    let mut tx = pools.begin().await.map_err(|e| e.to_string())?;
    for (r, _) in batch {
        let entry = AuditEntry {
            user_id: r.user_id,
            username: &r.username,
            action: r.action,
            entity: r.entity,
            entity_id: Some(r.entity_id),
            org_path: Some(&r.org_path),
            before: None,
            after: None,
        };
        audit::record(&mut tx, &entry).await.map_err(|e| e.to_string())?;
    }
    tx.commit().await.map_err(|e| e.to_string())
}
