//! The schema's own operations on a file of real size.

use chibo_store::db::dynamic_sql;
use chibo_store::testing::{TestDb, engines};

/// Rows of the test table: each index entry about 80 bytes, so the index takes some 40 MB, well
/// above the 24 MiB statement-journal threshold once tried (the journal holds the pages the
/// dropped index freed, as the new one reuses them).
const ROWS: i64 = 500_000;

/// Run `statements` in one write transaction, each failure named with its statement.
async fn in_one_transaction(db: &TestDb, statements: &[&str]) {
    let mut tx = db.pools.begin().await.expect("begin");
    for statement in statements {
        dynamic_sql(statement.to_string())
            .execute(&mut tx)
            .await
            .unwrap_or_else(|e| panic!("{ROWS} rows on {}: {statement}: {e}", db.name));
    }
    tx.commit().await.expect("commit");
}

/// An index dropped and built again in one transaction, as a migration that changes an index
/// does and as `ensure_indexes` does after a bulk load stopped half-way: the new index's pages
/// come back from the free list, so the statement journals each one. SQLite built with a
/// statement-journal spill threshold above about 200 KB failed here with "database or disk is
/// full" once the journal spilled (`.cargo/config.toml`).
#[tokio::test]
async fn an_index_dropped_and_built_again_in_one_transaction() {
    for engine in engines() {
        let db = TestDb::new(engine).await.expect("test database");
        let fill = format!(
            "INSERT INTO journal_probe (id, v) WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s \
             WHERE i < {ROWS}) SELECT i, 'entry ' || ((CAST(i AS BIGINT) * 7919) % {ROWS}) || \
             ' of the probe, long enough to fill pages quickly' FROM s"
        );
        in_one_transaction(&db, &["CREATE TABLE journal_probe (id BIGINT PRIMARY KEY, v TEXT NOT NULL)"]).await;
        in_one_transaction(&db, &[&fill]).await;
        in_one_transaction(&db, &["CREATE INDEX journal_probe_v ON journal_probe (v)"]).await;
        // The case itself: both in one transaction.
        in_one_transaction(&db, &["DROP INDEX journal_probe_v", "CREATE INDEX journal_probe_v ON journal_probe (v)"])
            .await;
        db.drop_db().await;
    }
}
