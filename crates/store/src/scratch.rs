//! Recounts in temporary tables (*bảng tạm để đếm lại*): `chibo check` recomputes a kept table
//! (the dated ledger, the kept changes) into a temporary copy of it, a page of members at a
//! time, and compares the two in SQL. Memory then holds a page, not the nation's rows: held in
//! memory, the kept changes' recount of the nation demo grew to 23.8 GB and was killed.
//!
//! A temporary table belongs to its connection (both engines) and goes with its transaction's
//! rollback. On SQLite it lives in the connection's temporary database, which [`create`] puts
//! on disk (`temp_store = FILE`): the readers keep theirs in memory otherwise.
//!
//! A kept table too large to copy whole is recounted in passes over ranges of organisation ids
//! ([`Scratch::recount_by_orgs`]): the copy then holds one range's rows at a time. PostgreSQL
//! gives back the disk of a table dropped or truncated inside a transaction only at its end,
//! except when the table was made in the same transaction: so the copy is made once and
//! emptied between passes with `TRUNCATE` ([`empty`]), which then frees its pages at once. At the
//! nation the kept changes (74.8 million rows, 10 GB) recounted whole ran out of disk.

use crate::StoreError;
use crate::db::{Engine, Exec, Record, dynamic_sql, sql};
use uuid::Uuid;

/// A range of organisation ids, `(after, upto]`; a side that is `None` is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrgRange {
    pub after: Option<Uuid>,
    pub upto: Option<Uuid>,
}

impl OrgRange {
    /// Every organisation.
    pub const ALL: OrgRange = OrgRange { after: None, upto: None };

    /// Whether `org` is in the range (ids ordered as both engines order them: by their bytes).
    pub fn holds(&self, org: Uuid) -> bool {
        self.after.is_none_or(|a| org > a) && self.upto.is_none_or(|u| org <= u)
    }

    /// The range as a condition on `org_id` whose parameters start at `$first`, and its
    /// arguments.
    fn condition(&self, first: usize) -> (String, Vec<Uuid>) {
        let mut terms = vec!["1 = 1".to_string()];
        let mut args = Vec::new();
        for (op, bound) in [(">", self.after), ("<=", self.upto)] {
            if let Some(b) = bound {
                args.push(b);
                terms.push(format!("org_id {op} ${}", first + args.len() - 1));
            }
        }
        (terms.join(" AND "), args)
    }
}

/// The organisations split into `passes` ranges of about as many organisations each, in id
/// order; the first and last are open, so that together they hold every id.
pub async fn org_ranges(e: &mut impl Exec, passes: i64) -> Result<Vec<OrgRange>, StoreError> {
    let orgs = sql("SELECT COUNT(*) FROM orgs").fetch_i64(e).await?;
    let passes = passes.clamp(1, orgs.max(1));
    #[derive(sqlx::FromRow)]
    struct IdRow {
        id: Uuid,
    }
    let mut ranges = Vec::new();
    let mut after = None;
    for i in 1..passes {
        let bound = sql("SELECT id FROM orgs ORDER BY id LIMIT 1 OFFSET $1")
            .bind(i * orgs / passes - 1)
            .fetch_one::<IdRow>(e)
            .await?
            .id;
        ranges.push(OrgRange { after, upto: Some(bound) });
        after = Some(bound);
    }
    ranges.push(OrgRange { after, upto: None });
    Ok(ranges)
}

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
        let columns = [self.key, self.values].concat().join(", ");
        create_copy(e, self.name, self.kept, &columns).await?;
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

    /// Recount in passes of about `rows_per_pass` kept rows, each over a range of organisation
    /// ids ([`org_ranges`]; the key's first column is `org_id`): `count` fills the table it is
    /// named with the range's rows (a row outside the range is a difference). The differences
    /// of every pass, in key order.
    pub async fn recount_by_orgs<E: Exec, T: Record>(
        &self,
        e: &mut E,
        rows_per_pass: i64,
        mut count: impl AsyncFnMut(&mut E, &'static str, OrgRange) -> Result<(), StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        let kept = dynamic_sql(format!("SELECT COUNT(*) FROM {}", self.kept)).fetch_i64(e).await?;
        let per = rows_per_pass.max(1);
        let passes = kept / per + i64::from(kept % per != 0);
        let ranges = org_ranges(e, passes).await?;
        tracing::debug!(table = self.kept, kept, passes = ranges.len(), "recount by ranges of organisations");
        self.create(e).await?;
        let mut differ = Vec::new();
        for range in ranges {
            count(e, self.name, range).await?;
            let (condition, args) = range.condition(1);
            let mut q = dynamic_sql(self.differences_where(&condition));
            for a in args {
                q.push_arg(a);
            }
            differ.extend(q.fetch_all(e).await?);
            empty(e, self.name).await?;
        }
        self.drop(e).await?;
        Ok(differ)
    }

    /// Drop the copy ([`drop_emptied`]).
    pub async fn drop(&self, e: &mut impl Exec) -> Result<(), StoreError> {
        drop_emptied(e, self.name).await
    }

    /// The keys whose counts differ between the kept table and the copy, in key order: the key
    /// columns, then `kept_<v>` and `counted_<v>` for each counted column `v`. Rows whose counts
    /// are all zero are as good as absent.
    pub fn differences(&self) -> String {
        self.differences_where("1 = 1")
    }

    /// [`Scratch::differences`] among the kept rows that meet `condition` and every row of the
    /// copy.
    fn differences_where(&self, condition: &str) -> String {
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
            "SELECT {key}, {} FROM (SELECT {key}, {values}, 1 AS side FROM {} WHERE {condition} \
             UNION ALL SELECT {key}, {values}, 2 AS side FROM {}) AS both_sides \
             GROUP BY {key} HAVING {} ORDER BY {key}",
            sums.join(", "),
            self.kept,
            self.name,
            differ.join(" OR ")
        )
    }
}

/// Empty a temporary table if it exists, giving its disk back at once on PostgreSQL when the
/// transaction made it: `TRUNCATE` of a table made in the same transaction is done in place,
/// while `DROP` and `DELETE` keep the pages until the transaction ends.
pub(crate) async fn empty(e: &mut impl Exec, table: &str) -> Result<(), StoreError> {
    let (exists, statement) = match e.engine() {
        Engine::Sqlite => (
            "SELECT COUNT(*) FROM sqlite_temp_master WHERE type = 'table' AND name = $1",
            format!("DELETE FROM {table}"),
        ),
        Engine::Postgres => (
            "SELECT COUNT(*) FROM pg_class WHERE relname = $1 AND relpersistence = 't' AND pg_table_is_visible(oid)",
            format!("TRUNCATE {table}"),
        ),
    };
    if sql(exists).bind(table).fetch_i64(e).await? > 0 {
        dynamic_sql(statement).execute(e).await?;
    }
    Ok(())
}

/// Drop a temporary table if it exists, [`empty`]ed first.
pub(crate) async fn drop_emptied(e: &mut impl Exec, table: &str) -> Result<(), StoreError> {
    empty(e, table).await?;
    dynamic_sql(format!("DROP TABLE IF EXISTS {table}")).execute(e).await?;
    Ok(())
}

/// Make `name` an empty temporary table with `columns` of `kept` (their types), on disk on
/// SQLite (`temp_store = FILE`); a table of that name a failed run left on this connection is
/// dropped first.
pub(crate) async fn create_copy(e: &mut impl Exec, name: &str, kept: &str, columns: &str) -> Result<(), StoreError> {
    if e.engine() == Engine::Sqlite {
        dynamic_sql("PRAGMA temp_store = FILE".to_string()).execute(e).await?;
    }
    drop_emptied(e, name).await?;
    dynamic_sql(format!("CREATE TEMPORARY TABLE {name} AS SELECT {columns} FROM {kept} WHERE 1 = 0"))
        .execute(e)
        .await?;
    Ok(())
}
