//! One code path for two databases.
//!
//! Every query is written once, as SQL text with `$1, $2 …` placeholders (both drivers bind
//! them by number) and a list of typed [`Arg`]s. [`Sql`] binds them to SQLite or PostgreSQL
//! and decodes rows with one `FromRow` type. SQLite gets one writer connection (write
//! transactions start with `BEGIN IMMEDIATE`) and a read-only pool, as its locking wants.

use crate::StoreError;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous};
use sqlx::{AssertSqlSafe, Connection, FromRow, PgConnection, Postgres, Row, Sqlite, SqliteConnection, Transaction};
use std::borrow::Cow;
use std::str::FromStr;
use std::time::Duration;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The size the write-ahead log is cut back to after a checkpoint (64 MiB).
const WAL_LIMIT_BYTES: &str = "67108864";
/// SQLite page cache of the one writer connection, in MiB, unless `CHIBO_SQLITE_WRITE_CACHE_MIB`
/// says otherwise (a large import into a large file goes faster with more; docs/BENCHMARKS.md).
const WRITER_CACHE_MIB: u32 = 64;
/// SQLite page cache of the writer during an import, in MiB, unless
/// `CHIBO_SQLITE_BULK_CACHE_MIB` says otherwise ([`bulk_cache`]).
const BULK_CACHE_MIB: u32 = 256;
/// SQLite page cache of each of the four reader connections, in MiB, unless
/// `CHIBO_SQLITE_READ_CACHE_MIB` says otherwise.
const READER_CACHE_MIB: u32 = 16;
/// How much of the file each reader maps into memory (`mmap_size`, MiB; 0: none) unless
/// `CHIBO_SQLITE_READ_MMAP_MIB` says otherwise. Mapped, a reader's page misses cost no system
/// call: a province's past-date report at its root 1.5× faster, its anonymous memory the same,
/// but the pages it touched count in the server's resident size (file pages of the operating
/// system's cache, which it may drop), and an I/O error on the file becomes a signal that ends
/// the process. Off unless an operator asks (docs/BENCHMARKS.md).
const READER_MMAP_MIB: u32 = 0;

/// A page cache size in MiB: the variable `var`, or `default_mib`.
fn cache_mib(var: &str, default_mib: u32) -> u32 {
    std::env::var(var).ok().and_then(|v| v.trim().parse::<u32>().ok()).unwrap_or(default_mib)
}

/// A page cache size as the pragma takes it (negative: KiB).
fn cache_kib(mib: u32) -> String {
    format!("-{}", u64::from(mib) * 1024)
}

fn writer_cache_mib() -> u32 {
    cache_mib("CHIBO_SQLITE_WRITE_CACHE_MIB", WRITER_CACHE_MIB)
}

/// Give SQLite's writer the large page cache of a bulk write (`bulk`: an import), or its usual
/// one back (and the memory the large one held). An import's rows go into every index of the
/// members and of their words, more pages than the usual cache holds: they went out to the
/// write-ahead log and were read back: a quarter of a profile of a province's import
/// (docs/BENCHMARKS.md). PostgreSQL's cache is the server's: nothing to do.
pub async fn bulk_cache(e: &mut impl Exec, bulk: bool) -> Result<(), StoreError> {
    if e.engine() == Engine::Sqlite {
        let usual = writer_cache_mib();
        let mib = if bulk { usual.max(cache_mib("CHIBO_SQLITE_BULK_CACHE_MIB", BULK_CACHE_MIB)) } else { usual };
        dynamic_sql(format!("PRAGMA cache_size = {}", cache_kib(mib))).execute_once(e).await?;
        if !bulk {
            dynamic_sql("PRAGMA shrink_memory".to_string()).execute_once(e).await?;
        }
    }
    Ok(())
}

/// A connection pool to either database.
#[derive(Clone, Debug)]
pub enum Pools {
    Sqlite { write: sqlx::SqlitePool, read: sqlx::SqlitePool },
    Postgres(sqlx::PgPool),
}

impl Pools {
    /// Connect to `sqlite://path` (the file and its directory are created) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Pools, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            // JIT compilation costs tens of milliseconds per query: wrong for short interactive
            // queries. Each statement is planned for its arguments (`force_custom_plan`): after
            // five runs PostgreSQL may keep a generic plan for any arguments, and the reports'
            // statements are selective or not by their dates and paths. At the nation, the new
            // organisations under the root since a date took 224 ms by the generic plan (every
            // organisation by path) against 0.01 ms by the date's index (docs/BENCHMARKS.md).
            let opts =
                PgConnectOptions::from_str(url)?.options([("jit", "off"), ("plan_cache_mode", "force_custom_plan")]);
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            return Ok(Pools::Postgres(pool));
        }
        let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) else {
            return Err(StoreError::BadUrl(url.to_string()));
        };
        if let Some(dir) = std::path::Path::new(path).parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::BadUrl(format!("{url}: {e}")))?;
        }
        let base = SqliteConnectOptions::new()
            .filename(path)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            .pragma("temp_store", "memory")
            // A large transaction (a bulk load, an import) grows the write-ahead log to its
            // size; without a limit the file keeps that size for good once checkpointed.
            .pragma("journal_size_limit", WAL_LIMIT_BYTES);
        // Page cache per connection (negative: KiB). The writer gets the large one: bulk
        // loads and index builds live in it. Readers share the operating system's file cache
        // and keep a small one each, so that four busy readers do not hold 256 MiB of copies
        // of the same pages (docs/BENCHMARKS.md, "A busy office": memory).
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            // Temporary files on disk for the writer: with `temp_store = memory` SQLite's sorter
            // never spills, so building an index holds all its entries in memory (9 GB for
            // the attendance index of the nation demo).
            .connect_with(
                base.clone()
                    .pragma("cache_size", cache_kib(writer_cache_mib()))
                    .pragma("temp_store", "file")
                    .create_if_missing(true),
            )
            .await?;
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(
                base.pragma("cache_size", cache_kib(cache_mib("CHIBO_SQLITE_READ_CACHE_MIB", READER_CACHE_MIB)))
                    .pragma(
                        "mmap_size",
                        (u64::from(cache_mib("CHIBO_SQLITE_READ_MMAP_MIB", READER_MMAP_MIB)) << 20).to_string(),
                    )
                    .read_only(true),
            )
            .await?;
        Ok(Pools::Sqlite { write, read })
    }

    pub fn engine(&self) -> Engine {
        match self {
            Pools::Sqlite { .. } => Engine::Sqlite,
            Pools::Postgres(_) => Engine::Postgres,
        }
    }

    /// A connection for reading.
    pub async fn read(&self) -> Result<Conn, StoreError> {
        Ok(match self {
            Pools::Sqlite { read, .. } => Conn::Sqlite(read.acquire().await?),
            Pools::Postgres(p) => Conn::Postgres(p.acquire().await?),
        })
    }

    /// A read transaction that sees the database as it was at its first read, however long it
    /// runs (a registry exported a page at a time counts and lists the same members): on SQLite
    /// a deferred `BEGIN` on a reader (its write-ahead-log snapshot; writers go on), on
    /// PostgreSQL `REPEATABLE READ READ ONLY`. Nothing is written; dropping it ends it.
    pub async fn snapshot(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Pools::Sqlite { read, .. } => Tx::Sqlite(read.begin_with("BEGIN").await?),
            Pools::Postgres(p) => Tx::Postgres(p.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?),
        })
    }

    /// A write transaction: on SQLite `BEGIN IMMEDIATE` on the one writer connection, on
    /// PostgreSQL `SERIALIZABLE`, so that on both engines a transaction that read, checked
    /// and wrote behaves as if it ran alone; on PostgreSQL the loser of a race fails with
    /// [`StoreError::Conflict`] and is run again by the caller. Every PostgreSQL write
    /// transaction first takes its turn at the audit chain's head
    /// ([`take_turn`]).
    ///
    /// A write waits at most [`WRITE_WAIT`] for its turn, then fails with
    /// [`StoreError::Conflict`] (a 409 to try again), not a 5xx nor a request left hanging
    /// behind a long write (a province's import holds the turn for a minute).
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        self.begin_waiting(WRITE_WAIT).await
    }

    /// [`Pools::begin`], waiting at most `wait` for the turn: SQLite's one writer connection,
    /// PostgreSQL's lock on the audit chain's head (`lock_timeout`).
    pub async fn begin_waiting(&self, wait: Duration) -> Result<Tx, StoreError> {
        Ok(match self {
            Pools::Sqlite { write, .. } => {
                let begun = tokio::time::timeout(wait, write.begin_with("BEGIN IMMEDIATE")).await;
                Tx::Sqlite(begun.map_err(|_| StoreError::Conflict)??)
            }
            Pools::Postgres(p) => {
                // The wait covers the pool's connection too: behind a long write, the writers
                // waiting their turn hold connections, and a write waiting for one of them is
                // a conflict to run again like the rest, not the pool's timeout (a 503).
                let asked = std::time::Instant::now();
                let begun = tokio::time::timeout(wait, p.begin_with("BEGIN ISOLATION LEVEL SERIALIZABLE")).await;
                let mut tx = Tx::Postgres(begun.map_err(|_| StoreError::Conflict)??);
                take_turn(&mut tx, wait.saturating_sub(asked.elapsed())).await?;
                tx
            }
        })
    }

    pub async fn close(&self) {
        match self {
            Pools::Sqlite { write, read } => {
                read.close().await;
                write.close().await;
            }
            Pools::Postgres(p) => p.close().await,
        }
    }
}

/// A pooled connection (reads).
pub enum Conn {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

/// A write transaction: commit it, or it rolls back when dropped.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
    pub fn engine(&self) -> Engine {
        match self {
            Tx::Sqlite(_) => Engine::Sqlite,
            Tx::Postgres(_) => Engine::Postgres,
        }
    }
}

/// A raw connection of either kind.
pub enum Raw<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

/// Anything that can run a query.
pub trait Exec: Send {
    fn raw(&mut self) -> Raw<'_>;

    fn engine(&mut self) -> Engine {
        match self.raw() {
            Raw::Sqlite(_) => Engine::Sqlite,
            Raw::Postgres(_) => Engine::Postgres,
        }
    }
}

impl Exec for Conn {
    fn raw(&mut self) -> Raw<'_> {
        match self {
            Conn::Sqlite(c) => Raw::Sqlite(c),
            Conn::Postgres(c) => Raw::Postgres(c),
        }
    }
}

impl Exec for Tx {
    fn raw(&mut self) -> Raw<'_> {
        match self {
            Tx::Sqlite(t) => Raw::Sqlite(t),
            Tx::Postgres(t) => Raw::Postgres(t),
        }
    }
}

impl Exec for SqliteConnection {
    fn raw(&mut self) -> Raw<'_> {
        Raw::Sqlite(self)
    }
}

impl Exec for PgConnection {
    fn raw(&mut self) -> Raw<'_> {
        Raw::Postgres(self)
    }
}

/// Add each row's count to a kept count table: `key` names the key columns (the table's primary
/// key), the last column is `n`; missing rows are inserted. The rows of one call have distinct
/// keys. Every kept count (structure, changes, organisations, review, inspection) is written
/// through here.
pub async fn add_counts(
    e: &mut impl Exec,
    table: &str,
    key: &[&str],
    rows: &[(Vec<Arg>, i64)],
) -> Result<(), StoreError> {
    let rows: Vec<(&[Arg], &[i64])> = rows.iter().map(|(k, n)| (k.as_slice(), std::slice::from_ref(n))).collect();
    add_sums(e, table, key, &["n"], &rows).await
}

/// Add each row's `values` (counts) to a kept table whose primary key is `key`; missing rows are
/// inserted. The rows of one call have distinct keys. (Sending many rows to PostgreSQL through
/// `COPY` and one `INSERT … SELECT` instead was measured and did not help: docs/BENCHMARKS.md.)
pub async fn add_sums(
    e: &mut impl Exec,
    table: &str,
    key: &[&str],
    values: &[&str],
    rows: &[(&[Arg], &[i64])],
) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let keys = key.join(", ");
    let columns = format!("{keys}, {}", values.join(", "));
    let set: Vec<String> = values.iter().map(|v| format!("{v} = {table}.{v} + excluded.{v}")).collect();
    let set = set.join(", ");
    let width = key.len() + values.len();
    // In key order, each statement's rows fall on neighbouring pages of the table's key index
    // instead of all over it (the callers sum their rows in hash maps).
    let mut rows: Vec<&(&[Arg], &[i64])> = rows.iter().collect();
    rows.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let per = rows_per_statement(width);
    for chunk in rows.chunks(per) {
        let mut q = dynamic_sql(format!(
            "INSERT INTO {table} ({columns}) VALUES {} ON CONFLICT ({keys}) DO UPDATE SET {set}",
            values_rows(e.engine(), chunk.len(), width),
        ));
        for (k, v) in chunk.iter().copied() {
            for a in *k {
                q.push_arg(a.clone());
            }
            for n in *v {
                q.push_arg(*n);
            }
        }
        q.execute_chunk(e, chunk.len(), per).await?;
    }
    Ok(())
}

/// Rows one bulk statement of `width` columns carries: under both engines' parameter limits
/// (SQLite 32,766, PostgreSQL 65,535), the one rule of every multi-row statement.
pub const fn rows_per_statement(width: usize) -> usize {
    let rows = 30_000 / width;
    if rows == 0 { 1 } else { rows }
}

/// Rows of a bulk statement short enough to keep prepared whatever their number
/// ([`Sql::execute_chunk`]).
pub(crate) const FEW_ROWS: usize = 16;

/// A typed query argument, bound the right way for each database. Arguments of the same kind
/// order as their stored values do (a UUID's bytes, text by its bytes, dates by day), which
/// [`add_sums`] uses to write rows in key order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Arg {
    Uuid(Option<Uuid>),
    Text(Option<String>),
    Int(Option<i64>),
    Date(Option<Date>),
    Bool(bool),
    Time(OffsetDateTime),
    MaybeTime(Option<OffsetDateTime>),
    Bytes(Vec<u8>),
}

macro_rules! arg_from {
    ($t:ty, $v:ident, $e:expr) => {
        impl From<$t> for Arg {
            fn from($v: $t) -> Arg {
                $e
            }
        }
    };
}
arg_from!(Uuid, v, Arg::Uuid(Some(v)));
arg_from!(Option<Uuid>, v, Arg::Uuid(v));
arg_from!(String, v, Arg::Text(Some(v)));
arg_from!(&str, v, Arg::Text(Some(v.to_string())));
arg_from!(&String, v, Arg::Text(Some(v.clone())));
arg_from!(Option<String>, v, Arg::Text(v));
arg_from!(Option<&str>, v, Arg::Text(v.map(str::to_string)));
arg_from!(i64, v, Arg::Int(Some(v)));
arg_from!(i32, v, Arg::Int(Some(i64::from(v))));
arg_from!(u32, v, Arg::Int(Some(i64::from(v))));
arg_from!(Option<i64>, v, Arg::Int(v));
arg_from!(Option<i32>, v, Arg::Int(v.map(i64::from)));
arg_from!(Date, v, Arg::Date(Some(v)));
arg_from!(Option<Date>, v, Arg::Date(v));
arg_from!(bool, v, Arg::Bool(v));
arg_from!(OffsetDateTime, v, Arg::Time(v));
arg_from!(Option<OffsetDateTime>, v, Arg::MaybeTime(v));
arg_from!(Vec<u8>, v, Arg::Bytes(v));

/// The last line of defence against NUL characters in text (the web layer refuses them first):
/// PostgreSQL would fail the statement, SQLite would store them.
pub(crate) fn refuse_nul(args: &[Arg]) -> Result<(), StoreError> {
    let nul = |a: &Arg| matches!(a, Arg::Text(Some(t)) if t.contains('\0'));
    if args.iter().any(nul) { Err(StoreError::NulInText) } else { Ok(()) }
}

/// A query: SQL text written once for both databases, and its arguments.
#[derive(Debug)]
pub struct Sql {
    text: Cow<'static, str>,
    args: Vec<Arg>,
}

/// A query from literal SQL.
pub fn sql(text: &'static str) -> Sql {
    Sql { text: Cow::Borrowed(text), args: Vec::new() }
}

/// A query from SQL built at run time. Only for SQL assembled from fixed fragments and
/// placeholders, never from input.
pub fn dynamic_sql(text: String) -> Sql {
    Sql { text: Cow::Owned(text), args: Vec::new() }
}

macro_rules! bind_all {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Arg::Uuid(v) => q.bind(v),
                Arg::Text(v) => q.bind(v),
                Arg::Int(v) => q.bind(v),
                Arg::Date(v) => q.bind(v),
                Arg::Bool(v) => q.bind(v),
                Arg::Time(v) => q.bind(v),
                Arg::MaybeTime(v) => q.bind(v),
                Arg::Bytes(v) => q.bind(v),
            };
        }
        q
    }};
}

tokio::task_local! {
    static ROWS_READ: std::cell::Cell<u64>;
}

/// Run `work` and count the rows every query in it returned (tests use it to show that a
/// request reads as many rows for a large subtree as for a small one).
pub async fn count_rows_read<T>(work: impl std::future::Future<Output = T>) -> (T, u64) {
    ROWS_READ
        .scope(std::cell::Cell::new(0), async {
            let out = work.await;
            (out, ROWS_READ.with(std::cell::Cell::get))
        })
        .await
}

fn note_rows(n: usize) {
    let _ = ROWS_READ.try_with(|c| c.set(c.get() + n as u64));
}

/// A row type readable from both databases.
pub trait Record: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> Record for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

impl Sql {
    pub fn bind(mut self, a: impl Into<Arg>) -> Sql {
        self.args.push(a.into());
        self
    }

    pub fn push_arg(&mut self, a: impl Into<Arg>) {
        self.args.push(a.into());
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Run a statement; the number of rows it touched.
    pub async fn execute(self, e: &mut impl Exec) -> Result<u64, StoreError> {
        let Sql { text, args } = self;
        refuse_nul(&args)?;
        Ok(match e.raw() {
            Raw::Sqlite(c) => bind_all!(sqlx::query(AssertSqlSafe(text)), args).execute(c).await?.rows_affected(),
            Raw::Postgres(c) => bind_all!(sqlx::query(AssertSqlSafe(text)), args).execute(c).await?.rows_affected(),
        })
    }

    /// Run a statement whose text will not come again (e.g. a bulk insert with literals)
    /// without keeping it among the connection's prepared statements.
    pub async fn execute_once(self, e: &mut impl Exec) -> Result<u64, StoreError> {
        let Sql { text, args } = self;
        refuse_nul(&args)?;
        Ok(match e.raw() {
            Raw::Sqlite(c) => {
                bind_all!(sqlx::query(AssertSqlSafe(text)).persistent(false), args).execute(c).await?.rows_affected()
            }
            Raw::Postgres(c) => {
                bind_all!(sqlx::query(AssertSqlSafe(text)).persistent(false), args).execute(c).await?.rows_affected()
            }
        })
    }

    /// Run one chunk of `rows` rows of a bulk statement cut in chunks of `per` (its text sized
    /// to the chunk): a full chunk's text comes again and stays prepared, and so does a
    /// few rows' (one member's words, one event); a longer odd-length last chunk is run once.
    /// Kept, every odd length would be prepared anew and held in the connection's cache of 100
    /// statements, each with its program of thousands of rows; run once, every full chunk
    /// would be prepared again (7 ms for 7,500 rows of four columns on SQLite).
    pub async fn execute_chunk(self, e: &mut impl Exec, rows: usize, per: usize) -> Result<u64, StoreError> {
        if rows == per || rows <= FEW_ROWS { self.execute(e).await } else { self.execute_once(e).await }
    }

    pub async fn fetch_all<T: Record>(self, e: &mut impl Exec) -> Result<Vec<T>, StoreError> {
        let Sql { text, args } = self;
        refuse_nul(&args)?;
        Ok(match e.raw() {
            Raw::Sqlite(c) => {
                let rows = bind_all!(sqlx::query(AssertSqlSafe(text)), args).fetch_all(c).await?;
                note_rows(rows.len());
                rows.iter().map(T::from_row).collect::<Result<_, _>>()?
            }
            Raw::Postgres(c) => {
                let rows = bind_all!(sqlx::query(AssertSqlSafe(text)), args).fetch_all(c).await?;
                note_rows(rows.len());
                rows.iter().map(T::from_row).collect::<Result<_, _>>()?
            }
        })
    }

    pub async fn fetch_optional<T: Record>(self, e: &mut impl Exec) -> Result<Option<T>, StoreError> {
        note_rows(1);
        let Sql { text, args } = self;
        refuse_nul(&args)?;
        Ok(match e.raw() {
            Raw::Sqlite(c) => match bind_all!(sqlx::query(AssertSqlSafe(text)), args).fetch_optional(c).await? {
                Some(r) => Some(T::from_row(&r)?),
                None => None,
            },
            Raw::Postgres(c) => match bind_all!(sqlx::query(AssertSqlSafe(text)), args).fetch_optional(c).await? {
                Some(r) => Some(T::from_row(&r)?),
                None => None,
            },
        })
    }

    pub async fn fetch_one<T: Record>(self, e: &mut impl Exec) -> Result<T, StoreError> {
        self.fetch_optional(e).await?.ok_or(StoreError::NotFound)
    }

    /// The first column of the first row, as an integer (counts).
    pub async fn fetch_i64(self, e: &mut impl Exec) -> Result<i64, StoreError> {
        note_rows(1);
        let Sql { text, args } = self;
        refuse_nul(&args)?;
        Ok(match e.raw() {
            Raw::Sqlite(c) => {
                bind_all!(sqlx::query(AssertSqlSafe(text)), args).fetch_one(c).await?.try_get::<i64, _>(0)?
            }
            Raw::Postgres(c) => {
                bind_all!(sqlx::query(AssertSqlSafe(text)), args).fetch_one(c).await?.try_get::<i64, _>(0)?
            }
        })
    }
}

/// Whether `table` holds any row (one row read, not a count: the kept tables run to tens of
/// millions of rows, and each start asks this of them). `table` is a fixed name, never input.
pub async fn has_rows(e: &mut impl Exec, table: &str) -> Result<bool, StoreError> {
    Ok(dynamic_sql(format!("SELECT COUNT(*) FROM (SELECT 1 FROM {table} LIMIT 1) AS k")).fetch_i64(e).await? > 0)
}

/// Build a kept table at a start when it is empty (the migration that created or emptied it):
/// `rebuild` fills it in one transaction, which a second server started beside waits for
/// ([`UPGRADE_WAIT`]) and then finds the work done. `what` names the table's rows in the log.
pub async fn backfill_empty(
    pools: &Pools,
    table: &str,
    what: &str,
    rebuild: impl AsyncFnOnce(&mut Tx) -> Result<usize, StoreError>,
) -> Result<(), StoreError> {
    let mut tx = pools.begin_waiting(UPGRADE_WAIT).await?;
    let mut built = 0;
    if !has_rows(&mut tx, table).await? {
        built = rebuild(&mut tx).await?;
        if built > 0 {
            tracing::info!(rows = built, what, "kept rows built");
        }
    }
    tx.commit().await?;
    // Read at once by plans that need its statistics (the nation's 15.7 million rows of the
    // structure's changes, rebuilt by migration 0027) and, for index-only scans, its
    // visibility map (the pairs of name words of migration 0028: before a VACUUM, each entry
    // walked read its row too, and the root's search "lo van" took 14.9 ms where it takes 1.6).
    if built > 0 {
        statistics(pools, &[table], "VACUUM ANALYZE").await?;
    }
    Ok(())
}

/// PostgreSQL: the planner's statistics of tables a load has just written, for the stages
/// after it that read them (a sample of each table: seconds at the nation). Without them a
/// fresh table is planned as empty or as any size, and autovacuum, which would gather them,
/// may be late or off: at the nation the review stage read the links of each batch's 500
/// cells (`history::links_of`) by walking every link in date order, 0.3–0.9 s a statement
/// where the organisation index takes 6 ms. SQLite plans these reads by its indexes alone.
pub async fn analyze_loaded(pools: &Pools, tables: &[&str]) -> Result<(), StoreError> {
    statistics(pools, tables, "ANALYZE").await
}

/// PostgreSQL: `command` (`ANALYZE`, `VACUUM ANALYZE`) on `tables`, outside a transaction.
async fn statistics(pools: &Pools, tables: &[&str], command: &str) -> Result<(), StoreError> {
    if let Pools::Postgres(_) = pools {
        let mut c = pools.read().await?;
        dynamic_sql(format!("{command} {}", tables.join(", "))).execute(&mut c).await?;
    }
    Ok(())
}

/// Placeholders `$from, $from+1, …` for `n` values, comma-separated.
pub fn placeholders(from: usize, n: usize) -> String {
    (from..from + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// Check that a connection answers.
pub async fn ping(e: &mut impl Exec) -> Result<(), StoreError> {
    match e.raw() {
        Raw::Sqlite(c) => c.ping().await?,
        Raw::Postgres(c) => c.ping().await?,
    }
    Ok(())
}

/// `rows` groups of `width` placeholders for a multi-row `VALUES`, numbered in order. On
/// SQLite they are anonymous `?`: SQLite finds a named `$n` by walking a list, which makes
/// binding a statement with thousands of named parameters quadratic.
pub fn values_rows(engine: Engine, rows: usize, width: usize) -> String {
    let group = |r: usize| match engine {
        Engine::Sqlite => format!("({})", vec!["?"; width].join(", ")),
        Engine::Postgres => format!("({})", placeholders(r * width + 1, width)),
    };
    (0..rows).map(group).collect::<Vec<_>>().join(", ")
}

/// Wait for this write transaction's turn at the chain (PostgreSQL; SQLite's single writer
/// already gives one), on the head of the audit chain (`crate::audit_chain`). Every write appends to the one chain, so writes take turns: the lock
/// is taken by the transaction's first statement, before its `SERIALIZABLE` snapshot, so the
/// head it reads later is the last committed one and the transaction does not fail on it as
/// it would if it only locked the head row when writing its entry (held to the commit).
/// `LOCK TABLE` takes no snapshot (PostgreSQL documents this use), unlike
/// `pg_advisory_xact_lock` in a `SELECT`. Needs the schema migrated.
/// The wait is bounded by `lock_timeout` (set first: `SET` takes no snapshot either); past it
/// PostgreSQL answers 55P03, a conflict to try again.
async fn take_turn(e: &mut impl Exec, wait: Duration) -> Result<(), StoreError> {
    if let Raw::Postgres(_) = e.raw() {
        let ms = wait.as_micros().div_ceil(1000).max(1);
        dynamic_sql(format!("SET LOCAL lock_timeout = '{ms}ms'")).execute_once(e).await?;
        dynamic_sql("LOCK TABLE audit_head IN EXCLUSIVE MODE".to_string()).execute_once(e).await?;
    }
    Ok(())
}

/// How long a write waits for its turn before it is told to try again: a burst of an office's
/// writes takes turns well within it (the busy office at nation scale: p95 0.7 s), a write
/// behind an import does not hang. Below the read pool's wait on PostgreSQL (10 s), where a
/// waiting write holds a connection that reads share.
pub const WRITE_WAIT: Duration = Duration::from_secs(8);

/// How long each step of a start's upgrade (`schema::migrate`) waits for its write turn: a
/// second server started beside one that is rebuilding a kept table (minutes at the nation's
/// scale, after a migration that empties it) waits for it and then finds the work done,
/// instead of failing to start after a write's usual wait.
pub const UPGRADE_WAIT: Duration = Duration::from_secs(600);

/// Members after the cursor (`$3` a path, `$4` an id) in (path, id) order. The path's bound
/// comes first, apart, so that the engines start their range of the path index there: as an
/// `OR` alone it was a filter, and each page read the subtree again from its start (on
/// PostgreSQL at the nation, the kept structure's rebuild took 923 s, page after page of a
/// longer scan).
pub(crate) const MEMBERS_AFTER_PATH_AND_ID: &str = "org_path >= $3 AND (org_path > $3 OR (org_path = $3 AND id > $4))";
