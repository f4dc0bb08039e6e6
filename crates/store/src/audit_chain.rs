//! The audit log's hash chain (*chuỗi băm nhật ký*): each row's SHA-256 covers its content and
//! the previous row's hash, so an edited, deleted or inserted row breaks the chain where it is.
//!
//! What is hashed (`canonical`): the sequence number, id, time (microseconds since the epoch,
//! the precision both engines keep), user id, username, action, entity, entity id and the
//! before/after JSON as stored. Not the `org_path`: it says where the entry is read from and
//! follows the tree when a subtree moves (like `members.org_path`), so it is an index, not
//! content. The chain starts from [`GENESIS`] at sequence 1; `audit_head` holds the last
//! sequence number and hash, updated in the same transaction as each insert.

use crate::StoreError;
use crate::db::{Exec, Raw, sql};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use uuid::Uuid;

/// The hash before the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// The head's hash until the rows present at migration time have been chained.
const PENDING: &str = "pending";
/// Rows read per batch when walking the chain.
const BATCH: i64 = 5000;

/// A time as both engines keep it (microseconds).
pub fn micros(t: OffsetDateTime) -> OffsetDateTime {
    t.replace_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t)
}

/// The hashed content of one row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChainRow {
    pub seq: Option<i64>,
    pub id: Uuid,
    pub at: OffsetDateTime,
    pub user_id: Option<Uuid>,
    pub username: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<Uuid>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub row_hash: Option<String>,
}

/// One JSON array, fields in a fixed order: the same bytes on every engine and machine.
fn canonical(seq: i64, r: &ChainRow) -> String {
    let at = (micros(r.at).unix_timestamp_nanos() / 1000).to_string();
    serde_json::json!([
        seq,
        r.id.to_string(),
        at,
        r.user_id.map(|u| u.to_string()),
        r.username,
        r.action,
        r.entity,
        r.entity_id.map(|u| u.to_string()),
        r.before_json,
        r.after_json,
    ])
    .to_string()
}

/// The hash of a row at `seq` after a row whose hash is `prev` (lowercase hex).
pub fn hash(prev: &str, seq: i64, r: &ChainRow) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(canonical(seq, r).as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The chain's head: the last sequence number given and its hash.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

pub async fn head(e: &mut impl Exec) -> Result<Head, StoreError> {
    sql("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(e).await
}

/// Take the next sequence number. The update locks the head row until the transaction ends,
/// so concurrent writers take their turns and the chain cannot fork.
pub(crate) async fn advance(e: &mut impl Exec) -> Result<Head, StoreError> {
    sql("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash").fetch_one(e).await
}

pub(crate) async fn set_head_hash(e: &mut impl Exec, hash: &str) -> Result<(), StoreError> {
    sql("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(hash).execute(e).await?;
    Ok(())
}

const ROW_COLUMNS: &str = "SELECT seq, id, at, user_id, username, action, entity, entity_id, before_json, after_json, row_hash FROM audit_log";

/// Chain the rows that were in the log when the chain was introduced (once: only while the
/// head is pending), in the order they were written, from the genesis hash.
pub async fn chain_pending(e: &mut impl Exec) -> Result<u64, StoreError> {
    if head(e).await?.hash != PENDING {
        return Ok(0);
    }
    let (mut seq, mut prev, mut done) = (0i64, GENESIS.to_string(), 0u64);
    loop {
        let rows: Vec<ChainRow> =
            crate::db::dynamic_sql(format!("{ROW_COLUMNS} WHERE seq IS NULL ORDER BY at, id LIMIT {BATCH}"))
                .fetch_all(e)
                .await?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            seq += 1;
            prev = hash(&prev, seq, r);
            sql("UPDATE audit_log SET seq = $2, row_hash = $3 WHERE id = $1")
                .bind(r.id)
                .bind(seq)
                .bind(prev.as_str())
                .execute(e)
                .await?;
            done += 1;
        }
    }
    sql("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1").bind(seq).bind(prev.as_str()).execute(e).await?;
    Ok(done)
}

/// Where the chain is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The row's content or hash is not what was chained.
    Edited { seq: i64, id: Uuid },
    /// Rows with these sequence numbers are missing.
    Deleted { from_seq: i64, to_seq: i64 },
    /// A row that was never chained (no sequence number, a number given twice, or beyond the
    /// head).
    Inserted { seq: Option<i64>, id: Uuid },
    /// The head does not end where the rows do (its hash or number changed).
    Head { head_seq: i64, last_seq: i64 },
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Break::Edited { seq, id } => {
                write!(f, "sửa đổi / edited: dòng số {seq} (id {id}) không khớp chuỗi băm / does not match its hash")
            }
            Break::Deleted { from_seq, to_seq } if from_seq == to_seq => {
                write!(f, "bị xóa / deleted: thiếu dòng số {from_seq} / row {from_seq} is missing")
            }
            Break::Deleted { from_seq, to_seq } => {
                write!(
                    f,
                    "bị xóa / deleted: thiếu các dòng số {from_seq}–{to_seq} / rows {from_seq}–{to_seq} are missing"
                )
            }
            Break::Inserted { seq: Some(seq), id } => {
                write!(
                    f,
                    "chèn thêm / inserted: dòng id {id} mang số {seq} ngoài chuỗi / row id {id} at {seq} is not in the chain"
                )
            }
            Break::Inserted { seq: None, id } => {
                write!(f, "chèn thêm / inserted: dòng id {id} không có số thứ tự / row id {id} has no sequence number")
            }
            Break::Head { head_seq, last_seq } => write!(
                f,
                "đầu chuỗi / head: đầu chuỗi ở số {head_seq}, dòng cuối số {last_seq}, không khớp / head at {head_seq} does not match the last row {last_seq}"
            ),
        }
    }
}

/// The outcome of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub rows: i64,
    pub head: Head,
    pub breaks: Vec<Break>,
}

/// Walk the whole chain in one consistent snapshot of the database (so rows appended while it
/// runs are not mistaken for forgeries), and report every break.
pub async fn verify(e: &mut impl Exec) -> Result<Verification, StoreError> {
    let begin = match e.raw() {
        Raw::Sqlite(_) => "BEGIN",
        Raw::Postgres(_) => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    };
    crate::db::dynamic_sql(begin.to_string()).execute_once(e).await?;
    let out = walk(e).await;
    crate::db::dynamic_sql("COMMIT".to_string()).execute_once(e).await?;
    out
}

async fn walk(e: &mut impl Exec) -> Result<Verification, StoreError> {
    let head = head(e).await?;
    let mut breaks = Vec::new();
    let unchained: Vec<ChainRow> =
        crate::db::dynamic_sql(format!("{ROW_COLUMNS} WHERE seq IS NULL ORDER BY at, id")).fetch_all(e).await?;
    breaks.extend(unchained.iter().map(|r| Break::Inserted { seq: None, id: r.id }));
    let (mut prev_seq, mut prev_hash, mut rows) = (0i64, GENESIS.to_string(), 0i64);
    let (mut cursor_seq, mut cursor_id) = (0i64, Uuid::nil());
    loop {
        let batch: Vec<ChainRow> = crate::db::dynamic_sql(format!(
            // The bound on `seq` apart, so the index range starts at the cursor (as an `OR`
            // alone it is a filter: `db::MEMBERS_AFTER_PATH_AND_ID`).
            "{ROW_COLUMNS} WHERE seq >= $1 AND (seq > $1 OR (seq = $1 AND id > $2)) ORDER BY seq, id LIMIT {BATCH}"
        ))
        .bind(cursor_seq)
        .bind(cursor_id)
        .fetch_all(e)
        .await?;
        let Some(last) = batch.last() else { break };
        (cursor_seq, cursor_id) = (last.seq.unwrap_or_default(), last.id);
        for r in &batch {
            rows += 1;
            let seq = r.seq.unwrap_or_default();
            // A number given twice (possible only without the unique index) or past the head.
            if seq <= prev_seq || seq > head.seq {
                breaks.push(Break::Inserted { seq: Some(seq), id: r.id });
                continue;
            }
            let gap = seq > prev_seq + 1;
            if gap {
                breaks.push(Break::Deleted { from_seq: prev_seq + 1, to_seq: seq - 1 });
            }
            let stored = r.row_hash.clone().unwrap_or_default();
            if !gap && hash(&prev_hash, seq, r) != stored {
                breaks.push(Break::Edited { seq, id: r.id });
            }
            prev_seq = seq;
            prev_hash = stored;
        }
    }
    if head.seq > prev_seq {
        breaks.push(Break::Deleted { from_seq: prev_seq + 1, to_seq: head.seq });
    } else if head.hash != prev_hash && head.hash != PENDING {
        breaks.push(Break::Head { head_seq: head.seq, last_seq: prev_seq });
    }
    Ok(Verification { rows, head, breaks })
}
