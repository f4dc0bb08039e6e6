//! Recounts in temporary tables (*bảng tạm để đếm lại*): `chibo check` recomputes a kept table
//! (the dated ledger, the kept changes) into a temporary copy of it, a page of members at a
//! time, and compares the two in SQL. Memory then holds a page, not the nation's rows: held in
//! memory, the kept changes' recount of the nation demo grew to 23.8 GB and was killed.
//!
//! A temporary table belongs to its connection (both engines) and goes with its transaction's
//! rollback. On SQLite it lives in the connection's temporary database, which [`create`] puts
//! on disk (`temp_store = FILE`): the readers keep theirs in memory otherwise.

use crate::StoreError;
use crate::db::{Engine, Exec, Record, dynamic_sql};

/// A kept table and its temporary copy for a recount.
pub struct Scratch {
    /// The kept table.
    pub kept: &'static str,
    /// The temporary copy's name.
    pub name: &'static str,
    /// The key columns (the kept table's primary key).
    pub key: &'static [&'static str],
    /// The counted columns.
    pub values: &'static [&'static str],
}

impl Scratch {
    /// Create the copy, empty, with the kept table's column types and a unique key (so that
    /// rows add up with `ON CONFLICT`); a copy a failed run left on this connection is dropped
    /// first.
    pub async fn create(&self, e: &mut impl Exec) -> Result<(), StoreError> {
        if e.engine() == Engine::Sqlite {
            dynamic_sql("PRAGMA temp_store = FILE".to_string()).execute(e).await?;
        }
        self.drop(e).await?;
        let columns = [self.key, self.values].concat().join(", ");
        dynamic_sql(format!("CREATE TEMPORARY TABLE {} AS SELECT {columns} FROM {} WHERE 1 = 0", self.name, self.kept))
            .execute(e)
            .await?;
        dynamic_sql(format!("CREATE UNIQUE INDEX {0}_key ON {0} ({1})", self.name, self.key.join(", ")))
            .execute(e)
            .await?;
        Ok(())
    }

    /// Recount into the copy (`count` fills the table it is named), read the rows that differ
    /// ([`Scratch::differences`]' columns) and drop the copy.
    pub async fn recount<E: Exec, T: Record, N>(
        &self,
        e: &mut E,
        count: impl AsyncFnOnce(&mut E, &'static str) -> Result<N, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        self.create(e).await?;
        count(e, self.name).await?;
        let differ = dynamic_sql(self.differences()).fetch_all(e).await?;
        self.drop(e).await?;
        Ok(differ)
    }

    pub async fn drop(&self, e: &mut impl Exec) -> Result<(), StoreError> {
        dynamic_sql(format!("DROP TABLE IF EXISTS {}", self.name)).execute(e).await?;
        Ok(())
    }

    /// The keys whose counts differ between the kept table and the copy, in key order: the key
    /// columns, then `kept_<v>` and `counted_<v>` for each counted column `v`. Rows whose counts
    /// are all zero are as good as absent.
    pub fn differences(&self) -> String {
        let key = self.key.join(", ");
        let values = self.values.join(", ");
        let side = |s: i32, v: &str| format!("CAST(SUM(CASE WHEN side = {s} THEN {v} ELSE 0 END) AS BIGINT)");
        let sums: Vec<String> = self
            .values
            .iter()
            .flat_map(|v| [format!("{} AS kept_{v}", side(1, v)), format!("{} AS counted_{v}", side(2, v))])
            .collect();
        let differ: Vec<String> =
            self.values.iter().map(|v| format!("SUM(CASE WHEN side = 1 THEN {v} ELSE -{v} END) <> 0")).collect();
        format!(
            "SELECT {key}, {} FROM (SELECT {key}, {values}, 1 AS side FROM {} \
             UNION ALL SELECT {key}, {values}, 2 AS side FROM {}) AS both_sides \
             GROUP BY {key} HAVING {} ORDER BY {key}",
            sums.join(", "),
            self.kept,
            self.name,
            differ.join(" OR ")
        )
    }
}
