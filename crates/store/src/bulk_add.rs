//! Counts added to a kept table in bulk (a rebuild, a recount): many rows, whose keys repeat
//! from one batch to the next. SQLite adds each batch with `ON CONFLICT` ([`db::add_counts`]).
//! PostgreSQL copies the batches into a temporary table without an index (`COPY`) and adds
//! them, summed by key and in key order, in one statement at the end: an upsert per row took
//! 44 s of a province's demo load for the kept changes and 17 s for the kept structure
//! (docs/BENCHMARKS.md).

use crate::StoreError;
use crate::beside::Beside;
use crate::copy_rows::CopyRows;
use crate::db::{self, Arg, Engine, Exec, dynamic_sql};

/// Rows on their way into `table`: call [`BulkAdd::add`] for each batch, then
/// [`BulkAdd::finish`] (until then, on PostgreSQL, the table holds none of them).
pub(crate) struct BulkAdd {
    table: &'static str,
    key: &'static [&'static str],
    /// PostgreSQL's temporary table of the rows copied so far.
    staged: Option<String>,
}

impl BulkAdd {
    pub(crate) async fn new(
        e: &mut impl Exec,
        table: &'static str,
        key: &'static [&'static str],
    ) -> Result<BulkAdd, StoreError> {
        let staged = match e.engine() {
            Engine::Sqlite => None,
            Engine::Postgres => {
                let staged = format!("{table}_staged");
                dynamic_sql(format!("DROP TABLE IF EXISTS {staged}")).execute(e).await?;
                dynamic_sql(format!(
                    "CREATE TEMPORARY TABLE {staged} AS SELECT {}, n FROM {table} WHERE 1 = 0",
                    key.join(", ")
                ))
                .execute(e)
                .await?;
                Some(staged)
            }
        };
        Ok(BulkAdd { table, key, staged })
    }

    /// Add rows: (key values in the order of the key's columns, count).
    pub(crate) async fn add(&mut self, e: &mut impl Exec, rows: &[(Vec<Arg>, i64)]) -> Result<(), StoreError> {
        let Some(staged) = &self.staged else {
            return db::add_counts(e, self.table, self.key, rows).await;
        };
        for chunk in rows.chunks(COPY_ROWS) {
            let mut copy = CopyRows::new();
            for (key, n) in chunk {
                for a in key {
                    copy.arg(a);
                }
                copy.big(Some(*n));
                copy.end();
            }
            copy.send(e, staged, &format!("{}, n", self.key.join(", "))).await?;
        }
        Ok(())
    }

    /// Add the rows a thread beside the database has ready ([`Beside::ready`]): how many.
    pub(crate) async fn add_ready<P: Send + 'static>(
        &mut self,
        e: &mut impl Exec,
        beside: &mut Beside<P, Rows>,
    ) -> Result<usize, StoreError> {
        let mut added = 0;
        while let Some(rows) = beside.ready() {
            self.add(e, &rows).await?;
            added += rows.len();
        }
        Ok(added)
    }

    /// No more pages for the thread: add the rows it still hands, wait for its end, and
    /// [`BulkAdd::finish`]: how many rows were added so.
    pub(crate) async fn add_rest<P: Send + 'static>(
        mut self,
        e: &mut impl Exec,
        mut beside: Beside<P, Rows>,
    ) -> Result<usize, StoreError> {
        let mut added = 0;
        while let Some(rows) = beside.rest().await {
            self.add(e, &rows).await?;
            added += rows.len();
        }
        beside.end().await?;
        self.finish(e).await?;
        Ok(added)
    }

    /// Every row added is in the table, summed into the rows it held. Into an empty table (a
    /// rebuild) PostgreSQL writes the sums without the table's primary key and builds the key
    /// afterwards, in one pass: measured on the province's kept changes, 5.2 + 1.8 s against
    /// 12.0 s with the key in place. Readers of the table then wait for the transaction's end
    /// (a rebuild: the demo load, the start's backfill, `chibo check --repair`).
    pub(crate) async fn finish(self, e: &mut impl Exec) -> Result<(), StoreError> {
        let Some(staged) = self.staged else { return Ok(()) };
        let (table, key) = (self.table, self.key.join(", "));
        let sums = format!("SELECT {key}, SUM(n) FROM {staged} GROUP BY {key}");
        let primary = format!("{table}_pkey");
        if !db::has_rows(e, table).await? && has_primary_key(e, table, &primary).await? {
            dynamic_sql(format!("ALTER TABLE {table} DROP CONSTRAINT {primary}")).execute(e).await?;
            // In key order, so that an organisation's rows lie together in the table: written in
            // the aggregate's order, the central root's months after a date at the nation were
            // 152,913 rows over 94,000 pages (1.3 s for a report of a past date).
            dynamic_sql(format!("INSERT INTO {table} ({key}, n) {sums} ORDER BY {key}")).execute(e).await?;
            dynamic_sql(format!("ALTER TABLE {table} ADD CONSTRAINT {primary} PRIMARY KEY ({key})")).execute(e).await?;
        } else {
            dynamic_sql(format!(
                "INSERT INTO {table} ({key}, n) {sums} ORDER BY {key} \
                 ON CONFLICT ({key}) DO UPDATE SET n = {table}.n + excluded.n"
            ))
            .execute(e)
            .await?;
        }
        // Its pages go back at once, not when the transaction ends (a recount in passes
        // stages rows once per pass).
        crate::scratch::drop_emptied(e, &staged).await
    }
}

/// Whether `table` has the primary key named `name` (PostgreSQL's catalogue).
async fn has_primary_key(e: &mut impl Exec, table: &str, name: &str) -> Result<bool, StoreError> {
    let n = db::sql(
        "SELECT COUNT(*) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
         WHERE c.contype = 'p' AND c.conname = $1 AND t.relname = $2 AND pg_table_is_visible(t.oid)",
    )
    .bind(name)
    .bind(table)
    .fetch_i64(e)
    .await?;
    Ok(n > 0)
}

/// Rows as [`BulkAdd::add`] takes them.
type Rows = Vec<(Vec<Arg>, i64)>;

/// Rows per `COPY` (a few megabytes of text).
const COPY_ROWS: usize = 50_000;
