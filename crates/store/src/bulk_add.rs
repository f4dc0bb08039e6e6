//! Counts added to a kept table in bulk (a rebuild, a recount): many rows, whose keys repeat
//! from one batch to the next. SQLite adds each batch with `ON CONFLICT` ([`db::add_counts`]).
//! PostgreSQL copies the batches into a temporary table without an index (`COPY`) and adds
//! them, summed by key and in key order, in one statement at the end: an upsert per row took
//! 44 s of a province's demo load for the kept changes and 17 s for the kept structure
//! (docs/BENCHMARKS.md).

use crate::StoreError;
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
                    copy.arg(a)?;
                }
                copy.big(Some(*n));
                copy.end();
            }
            copy.send(e, staged, &format!("{}, n", self.key.join(", "))).await?;
        }
        Ok(())
    }

    /// Every row added is in the table, summed into the rows it held.
    pub(crate) async fn finish(self, e: &mut impl Exec) -> Result<(), StoreError> {
        let Some(staged) = self.staged else { return Ok(()) };
        let (table, key) = (self.table, self.key.join(", "));
        dynamic_sql(format!(
            "INSERT INTO {table} ({key}, n) SELECT {key}, SUM(n) FROM {staged} GROUP BY {key} ORDER BY {key} \
             ON CONFLICT ({key}) DO UPDATE SET n = {table}.n + excluded.n"
        ))
        .execute(e)
        .await?;
        dynamic_sql(format!("DROP TABLE {staged}")).execute(e).await?;
        Ok(())
    }
}

/// Rows per `COPY` (a few megabytes of text).
const COPY_ROWS: usize = 50_000;
