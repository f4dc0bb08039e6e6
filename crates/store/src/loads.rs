//! Bulk loads (nạp dữ liệu hàng loạt) and their progress: a row written when a load starts,
//! its stage moved on as each stage commits, and `finished_at` set in the same transaction as
//! the load's last write. A load without `finished_at` was stopped half-way (killed, crashed):
//! its data is partial and must not be served, checked as whole, or repaired.

use crate::StoreError;
use crate::db::{Exec, Pools, dynamic_sql, sql};
use sqlx::Connection;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// One bulk load.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct BulkLoad {
    pub id: Uuid,
    /// What was loaded: `demo`.
    pub what: String,
    /// The demo scale: commune, province, nation.
    pub scale: String,
    pub seed: i64,
    /// The last stage committed.
    pub stage: String,
    pub started_at: OffsetDateTime,
    pub finished_at: Option<OffsetDateTime>,
    /// The working day the load was generated for (a demo's own day).
    pub as_of: Option<Date>,
}

impl BulkLoad {
    pub fn is_complete(&self) -> bool {
        self.finished_at.is_some()
    }
}

/// The tables a demo load writes, children before parents (the order to empty them in).
/// `users` is not among them: accounts are kept and found again by the next load; `audit_log`
/// is never emptied (it is the history, and its rows are chained).
pub const LOADED_TABLES: &[&str] = &[
    "grants",
    "structure_counts",
    "structure_changes",
    "org_changes",
    "change_counts",
    "org_counts",
    "inspection_owed",
    "inspection_counts",
    "inspection_documents",
    "inspection_appeals",
    "inspection_disciplines",
    "inspection_recommendations",
    "inspection_steps",
    "inspection_cases",
    "inspection_items",
    "inspection_programmes",
    "review_counts",
    "review_plan_items",
    "review_plans",
    "review_decisions",
    "review_orgs",
    "review_members",
    "review_rounds",
    "meeting_periods",
    "meeting_rollup",
    "meeting_cells",
    "meeting_speakers",
    "meeting_attendance",
    "meetings",
    "org_tally",
    "member_spans",
    "member_events",
    "member_word_pairs",
    "member_words",
    "name_words",
    "member_flags",
    "members",
    "org_events",
    "org_links",
    "orgs",
];

/// Tables a demo load never writes: any row in them means someone worked on the database.
/// Children before parents.
pub const NOT_LOADED_TABLES: &[&str] = &[
    "review_settings",
    "badge_awards",
    "candidates",
    "scoring_sheets",
    "meeting_topics",
    "meeting_documents",
    "meeting_notices",
    "meeting_corrections",
];

/// Record the start of a load generated for the day `as_of` (commit it before writing anything
/// else); its id.
pub async fn start(e: &mut impl Exec, what: &str, scale: &str, seed: u64, as_of: Date) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    sql("INSERT INTO bulk_loads (id, what, scale, seed, stage, started_at, as_of) VALUES ($1, $2, $3, $4, 'started', $5, $6)")
        .bind(id)
        .bind(what)
        .bind(scale)
        .bind(i64::try_from(seed).unwrap_or(i64::MAX))
        .bind(OffsetDateTime::now_utc())
        .bind(as_of)
        .execute(e)
        .await?;
    Ok(id)
}

/// Move a load on to `stage` (in the transaction that wrote the stage's last rows).
pub async fn stage(e: &mut impl Exec, id: Uuid, stage: &str) -> Result<(), StoreError> {
    sql("UPDATE bulk_loads SET stage = $2 WHERE id = $1").bind(id).bind(stage).execute(e).await?;
    Ok(())
}

/// Mark a load complete (in the transaction of its last write).
pub async fn finish(e: &mut impl Exec, id: Uuid) -> Result<(), StoreError> {
    sql("UPDATE bulk_loads SET stage = 'done', finished_at = $2 WHERE id = $1")
        .bind(id)
        .bind(OffsetDateTime::now_utc())
        .execute(e)
        .await?;
    Ok(())
}

/// Every load, oldest first.
pub async fn all(e: &mut impl Exec) -> Result<Vec<BulkLoad>, StoreError> {
    sql("SELECT id, what, scale, seed, stage, started_at, finished_at, as_of FROM bulk_loads ORDER BY started_at, id")
        .fetch_all(e)
        .await
}

/// The day of the last complete load that was generated for one (a demo's own day), if any.
pub async fn working_day(e: &mut impl Exec) -> Result<Option<Date>, StoreError> {
    Ok(all(e).await?.into_iter().rev().find(BulkLoad::is_complete).and_then(|l| l.as_of))
}

/// The loads stopped half-way, oldest first.
pub async fn incomplete(e: &mut impl Exec) -> Result<Vec<BulkLoad>, StoreError> {
    Ok(all(e).await?.into_iter().filter(|l| !l.is_complete()).collect())
}

/// Whether anything was written since `load` started other than by the load: rows in a table
/// a load never writes, or audit entries of a person (the loader writes as the console, with
/// no user id). A partial load with such work on top must not be cleared automatically.
pub async fn worked_on_since(e: &mut impl Exec, load: &BulkLoad) -> Result<bool, StoreError> {
    for table in NOT_LOADED_TABLES {
        if dynamic_sql(format!("SELECT COUNT(*) FROM {table}")).fetch_i64(e).await? > 0 {
            return Ok(true);
        }
    }
    let people = sql("SELECT COUNT(*) FROM audit_log WHERE user_id IS NOT NULL AND at >= $1")
        .bind(load.started_at)
        .fetch_i64(e)
        .await?;
    Ok(people > 0)
}

/// Empty every table a load writes ([`LOADED_TABLES`], and those of [`NOT_LOADED_TABLES`] that
/// refer to them — empty when [`worked_on_since`] says no) and forget the loads stopped
/// half-way, in one transaction. Accounts and the audit log stay.
///
/// Every table that refers to one of these is among them, so no reference is left dangling
/// (PostgreSQL's `TRUNCATE` refuses otherwise). SQLite checks foreign keys row by row, and a
/// self-reference without an index (`member_events.ref_id`) makes that quadratic — minutes for
/// a province — so its connection runs this one transaction with the checks off.
pub async fn clear(pools: &Pools) -> Result<(), StoreError> {
    let tables = NOT_LOADED_TABLES.iter().chain(LOADED_TABLES);
    match pools {
        Pools::Postgres(_) => {
            let mut tx = pools.begin().await?;
            // One statement: PostgreSQL empties the tables without visiting their rows.
            let list: Vec<&str> = tables.copied().collect();
            dynamic_sql(format!("TRUNCATE {}", list.join(", "))).execute(&mut tx).await?;
            // The keys a load stopped half-way had set aside, on empty tables now.
            crate::foreign_keys::restore(&mut tx).await?;
            forget_incomplete(&mut tx).await?;
            tx.commit().await
        }
        Pools::Sqlite { write, .. } => {
            let mut c = write.acquire().await?;
            sql("PRAGMA foreign_keys = OFF").execute(&mut *c).await?;
            let done = async {
                let mut tx = c.begin_with("BEGIN IMMEDIATE").await?;
                for table in tables {
                    dynamic_sql(format!("DELETE FROM {table}")).execute(&mut *tx).await?;
                }
                forget_incomplete(&mut *tx).await?;
                tx.commit().await?;
                Ok::<(), StoreError>(())
            }
            .await;
            let back_on = sql("PRAGMA foreign_keys = ON").execute(&mut *c).await;
            if back_on.is_err() {
                // Never hand the connection back without its checks.
                c.close_on_drop();
            }
            done?;
            back_on.map(|_| ())
        }
    }
}

async fn forget_incomplete(e: &mut impl Exec) -> Result<(), StoreError> {
    sql("DELETE FROM bulk_loads WHERE finished_at IS NULL").execute(e).await?;
    Ok(())
}
