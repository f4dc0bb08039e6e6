//! A demo load stopped half-way (the stand-in for `kill -9`: the loader returns after some of
//! its stages, its progress recorded, the load not marked complete) is seen by `chibo check`,
//! refused by `check --repair`, and cleared and loaded again by the next `chibo demo` — which
//! then gives exactly the rows of a load never interrupted.

use crate::{check, load};
use chibo_access::Chibo;
use chibo_demo::Scale;
use chibo_store::db::{dynamic_sql, sql};
use chibo_store::loads::{self, LOADED_TABLES};
use chibo_store::testing::{TestDb, engines};

/// Rows per table the loader writes, and the accounts.
async fn row_counts(app: &Chibo) -> Vec<(String, i64)> {
    let mut c = app.pools().read().await.expect("connection");
    let mut out = Vec::new();
    for t in LOADED_TABLES.iter().chain(&["users"]) {
        let n = dynamic_sql(format!("SELECT COUNT(*) FROM {t}")).fetch_i64(&mut c).await.expect("count");
        out.push((t.to_string(), n));
    }
    out
}

/// The foreign keys of the schema, and none set aside.
async fn foreign_keys(app: &Chibo) -> Vec<(String, String, String)> {
    let mut c = app.pools().read().await.expect("connection");
    assert_eq!(chibo_store::foreign_keys::set_aside_count(&mut c).await.expect("set aside"), 0);
    chibo_store::foreign_keys::current(&mut c).await.expect("keys")
}

#[tokio::test]
async fn a_stopped_load_fails_the_check_and_is_loaded_again() {
    for engine in engines() {
        // The rows of a load never interrupted.
        let whole = TestDb::new(engine).await.expect("database");
        let app = Chibo::open(&whole.url).await.expect("open");
        let keys = foreign_keys(&app).await;
        assert_eq!(keys.is_empty(), engine == chibo_store::Engine::Sqlite, "PostgreSQL lists its keys");
        load::demo(&app, Scale::Commune, 2025, load::Meetings::With).await.expect("load");
        assert_eq!(foreign_keys(&app).await, keys, "the load added back every key it set aside");
        let expected = row_counts(&app).await;
        // Empty in a commune demo: flags, restructurings, the structure's and the organisations'
        // changes by month (no province keeps them), and the accounts (made after the load).
        let filled = expected.iter().filter(|(_, n)| *n > 0).count();
        assert!(filled >= LOADED_TABLES.len() - 6, "{expected:?}");
        app.close().await;
        whole.drop_db().await;

        // Stopped after the members, and after the indexes (everything but the figures).
        for stages in [2, 6] {
            let db = TestDb::new(engine).await.expect("database");
            let app = Chibo::open(&db.url).await.expect("open");
            assert!(
                load::load(&app, Scale::Commune, 2025, load::Meetings::With, Some(stages))
                    .await
                    .expect("partial load")
                    .is_none()
            );
            let mut c = app.pools().read().await.expect("connection");
            let stopped = loads::incomplete(&mut c).await.expect("loads");
            if engine == chibo_store::Engine::Postgres {
                // The stages after the members read the tree and the members by plans made
                // with the planner's statistics of the fresh tables (autovacuum may be off).
                let analyzed =
                    sql("SELECT COUNT(*) FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL AND relname IN \
                     ('orgs', 'org_links', 'members', 'member_spans', 'member_events')")
                    .fetch_i64(&mut c)
                    .await
                    .expect("statistics");
                assert_eq!(analyzed, 5, "after {stages} stages");
            }
            drop(c);
            assert_eq!(stopped.len(), 1, "{stopped:?}");
            assert_eq!((stopped[0].what.as_str(), stopped[0].stage.as_str()), ("demo", load::STAGES[stages - 1]));

            let err = check::check(&app, false).await.expect_err("a stopped load fails the check").to_string();
            assert!(err.contains("dừng giữa chừng") && err.contains("chibo demo --scale commune"), "{err}");
            let err = check::check(&app, true).await.expect_err("and is not repaired").to_string();
            assert!(err.contains("nothing repaired"), "{err}");
            assert!(load::needs_demo(&app).await.expect("needs demo"), "serve --demo loads again");

            // Loaded again from the start, not refused as "already holds organisations".
            load::demo(&app, Scale::Commune, 2025, load::Meetings::With).await.expect("loaded again");
            assert_eq!(foreign_keys(&app).await, keys, "every key back after the second load");
            check::check(&app, false).await.expect("whole after the second load");
            assert_eq!(row_counts(&app).await, expected, "{} after stopping at {stages}", db.name);
            let mut c = app.pools().read().await.expect("connection");
            let all = loads::all(&mut c).await.expect("loads");
            assert!(all.len() == 1 && all[0].is_complete() && all[0].stage == "done", "{all:?}");
            drop(c);
            // A whole database is not loaded again.
            assert!(!load::needs_demo(&app).await.expect("needs demo"));
            let err = load::demo(&app, Scale::Commune, 2025, load::Meetings::With).await.err().map(|e| e.to_string());
            assert!(err.is_some_and(|e| e.contains("empty database")));
            app.close().await;
            db.drop_db().await;
        }
    }
}

/// A stopped load with someone's work on top (an audit entry of a person) is not cleared.
#[tokio::test]
async fn a_stopped_load_with_work_on_top_is_not_cleared() {
    for engine in engines() {
        let db = TestDb::new(engine).await.expect("database");
        let app = Chibo::open(&db.url).await.expect("open");
        assert!(
            load::load(&app, Scale::Commune, 2025, load::Meetings::With, Some(1)).await.expect("partial").is_none()
        );
        let mut tx = app.pools().begin().await.expect("tx");
        sql("INSERT INTO audit_log (id, at, user_id, username, action, entity) VALUES ($1, $2, $3, 'lan', 'update', 'org')")
            .bind(uuid::Uuid::now_v7())
            .bind(time::OffsetDateTime::now_utc())
            .bind(uuid::Uuid::now_v7())
            .execute(&mut tx)
            .await
            .expect("audit row");
        tx.commit().await.expect("commit");
        let err = load::demo(&app, Scale::Commune, 2025, load::Meetings::With).await.expect_err("refused").to_string();
        assert!(err.contains("not cleared automatically"), "{err}");
        let mut c = app.pools().read().await.expect("connection");
        assert!(sql("SELECT COUNT(*) FROM orgs").fetch_i64(&mut c).await.expect("orgs") > 0, "nothing cleared");
        drop(c);
        app.close().await;
        db.drop_db().await;
    }
}

/// `chibo demo --without-meetings`: the same rows as the whole demo but the meetings' own ones,
/// and a clean check (the meeting figures of the periods open over no meeting).
#[tokio::test]
async fn a_load_without_meetings_has_every_other_row() {
    for engine in engines() {
        let mut counts = Vec::new();
        for with in [load::Meetings::With, load::Meetings::Without] {
            let db = TestDb::new(engine).await.expect("database");
            let app = Chibo::open(&db.url).await.expect("open");
            load::demo(&app, Scale::Commune, 2025, with).await.expect("load");
            check::check(&app, false).await.expect("no difference after the load");
            counts.push(row_counts(&app).await);
            app.close().await;
            db.drop_db().await;
        }
        let (whole, without) = (&counts[0], &counts[1]);
        // No meeting, roll or speaker; the periods are opened all the same, their kept figures
        // over no meeting (checked above); every row outside the meetings is the same.
        let differ: Vec<_> = whole
            .iter()
            .zip(without)
            .filter(|((table, n), (_, m))| match table.as_str() {
                "meetings" | "meeting_attendance" | "meeting_speakers" => *m != 0,
                t if t.starts_with("meeting") => false,
                _ => m != n,
            })
            .collect();
        assert!(differ.is_empty(), "{differ:?}");
        let meetings = whole.iter().find(|(t, _)| t == "meetings").map(|(_, n)| *n);
        assert!(meetings.is_some_and(|n| n > 0), "{whole:?}");
    }
}
