//! Fresh databases for tests: a temporary SQLite file always, and a new PostgreSQL database
//! when `CHIBO_TEST_PG_URL` is set (CI always sets it). Under CI (`CI` set), a missing
//! PostgreSQL URL is an error, so a green run cannot silently skip one engine.

use crate::StoreError;
use crate::db::{Engine, Pools};
use sqlx::{AssertSqlSafe, Connection, PgConnection};

/// The working date tests run on: every test application's clock is pinned to it, so that no
/// test depends on the day it runs.
pub const TODAY: time::Date = time::macros::date!(2026 - 12 - 04);

/// One fresh, migrated database. [`TestDb::drop_db`] closes it and removes it; if a test
/// panics first, dropping the value removes it all the same.
pub struct TestDb {
    pub pools: Pools,
    pub name: String,
    /// The URL of this database, for code that connects by itself (the CLI).
    pub url: String,
    cleanup: Option<Cleanup>,
}

enum Cleanup {
    File(std::path::PathBuf),
    Database { admin_url: String, db: String },
}

/// The engines to test on.
pub fn engines() -> Vec<Engine> {
    let pg = std::env::var("CHIBO_TEST_PG_URL").ok().filter(|s| !s.is_empty());
    if pg.is_none() && std::env::var("CI").is_ok() {
        panic!("CHIBO_TEST_PG_URL must be set under CI: every store test runs on PostgreSQL too");
    }
    let mut v = vec![Engine::Sqlite];
    if pg.is_some() {
        v.push(Engine::Postgres);
    }
    v
}

impl TestDb {
    pub async fn new(engine: Engine) -> Result<TestDb, StoreError> {
        let unique = uuid::Uuid::now_v7().simple().to_string();
        let (pools, cleanup, name, url) = match engine {
            Engine::Sqlite => {
                let path = std::env::temp_dir().join(format!("chibo-test-{unique}.db"));
                let url = format!("sqlite://{}", path.display());
                let pools = Pools::connect(&url).await?;
                (pools, Cleanup::File(path), "sqlite".to_string(), url)
            }
            Engine::Postgres => {
                let admin_url =
                    std::env::var("CHIBO_TEST_PG_URL").map_err(|_| StoreError::BadUrl("CHIBO_TEST_PG_URL".into()))?;
                let db = format!("chibo_test_{unique}");
                let mut admin = PgConnection::connect(&admin_url).await?;
                sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {db}"))).execute(&mut admin).await?;
                admin.close().await?;
                let url = with_database(&admin_url, &db);
                let pools = Pools::connect(&url).await?;
                (pools, Cleanup::Database { admin_url, db }, "postgres".to_string(), url)
            }
        };
        crate::schema::migrate(&pools).await?;
        Ok(TestDb { pools, name, url, cleanup: Some(cleanup) })
    }

    /// Close the pools and remove the database.
    pub async fn drop_db(mut self) {
        self.pools.close().await;
        if let Some(c) = self.cleanup.take() {
            c.run().await;
        }
    }
}

impl Drop for TestDb {
    /// A test that panicked before [`TestDb::drop_db`]: remove the database anyway, on a thread
    /// of its own (this may run inside the test's runtime, which cannot be blocked on).
    fn drop(&mut self) {
        if let Some(c) = self.cleanup.take() {
            let done = std::thread::spawn(move || {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() {
                    rt.block_on(c.run());
                }
            });
            let _ = done.join();
        }
    }
}

impl Cleanup {
    async fn run(self) {
        match self {
            Cleanup::File(p) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
                }
            }
            Cleanup::Database { admin_url, db } => {
                if let Ok(mut admin) = PgConnection::connect(&admin_url).await {
                    // FORCE ends the connections a panicked test left open.
                    let _ = sqlx::query(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)")))
                        .execute(&mut admin)
                        .await;
                    let _ = admin.close().await;
                }
            }
        }
    }
}

/// The same server URL with another database name.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    match base[scheme_end..].find('/') {
        Some(slash) => format!("{}/{db}{query}", &base[..scheme_end + slash]),
        None => format!("{base}/{db}{query}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A test database is removed when its value is dropped without `drop_db` (a panic).
    #[tokio::test]
    async fn a_dropped_database_is_removed() {
        for engine in engines() {
            let db = TestDb::new(engine).await.expect("database");
            let (url, name) = (db.url.clone(), db.name.clone());
            drop(db);
            match engine {
                Engine::Sqlite => {
                    let path = url.trim_start_matches("sqlite://");
                    assert!(!std::path::Path::new(path).exists(), "{name}: {path} left behind");
                }
                Engine::Postgres => {
                    let admin = std::env::var("CHIBO_TEST_PG_URL").expect("url");
                    let mut c = PgConnection::connect(&admin).await.expect("admin");
                    let db = url.rsplit('/').next().unwrap_or_default().to_string();
                    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pg_database WHERE datname = $1")
                        .bind(&db)
                        .fetch_one(&mut c)
                        .await
                        .expect("count");
                    assert_eq!(left, 0, "{name}: {db} left behind");
                }
            }
        }
    }

    #[test]
    fn replaces_the_database_name() {
        assert_eq!(
            super::with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            super::with_database("postgres://postgres@127.0.0.1:5432", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            super::with_database("postgres://u@h/test?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
    }
}
