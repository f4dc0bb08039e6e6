//! The changes kept per organisation and month (`change_counts`) against a second computation
//! from the replayed events (`reports::second_way_by`): in today's tree while the tree does not
//! change; after corrections and record edits; and after a restructuring, where each change
//! counts in the tree of its date, found here by walking the stored links up from the
//! organisation on that date. Both engines. And `chibo check`'s recount finds nothing.

use crate::common;
use crate::reports::{changes, population, second_way, second_way_by, tree};
use chibo_access::domain::life::{Decision, EventKind};
use chibo_access::domain::member::Gender;
use chibo_access::{Dated, Org, Report};
use chibo_store::{change_counts, history};
use common::{Env, With, d, each_engine, ev};
use std::collections::BTreeMap;
use time::Date;
use uuid::Uuid;

/// The changes of a report as `changes/key → count`, zero lines left out.
fn changes_of(r: &Report) -> BTreeMap<String, u64> {
    let c = &r.changes;
    let traits = [
        ("admitted_young", c.admitted_young),
        ("admitted_female", c.admitted_female),
        ("admitted_minority", c.admitted_minority),
    ];
    c.rows
        .iter()
        .map(|row| (row.key, row.count))
        .chain(traits)
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| (format!("changes/{k}"), n))
        .collect()
}

fn only_changes(all: BTreeMap<String, u64>) -> BTreeMap<String, u64> {
    all.into_iter().filter(|(k, _)| k.starts_with("changes/")).collect()
}

/// Periods of whole months (read from the kept rows) and one that is not (from the events).
const PERIODS: [&str; 9] = [
    "2024",
    "2025",
    "2025-Q1",
    "2025-Q2",
    "2025-Q3",
    "2025-Q4",
    "2025-04",
    "2025-03-01..2025-06-30",
    "2025-03-02..2025-08-15",
];

async fn assert_recount_clean(env: &Env, when: &str) {
    let mut c = env.db.pools.read().await.unwrap();
    assert_eq!(change_counts::recount(&mut c).await.unwrap(), vec![], "recount {when}");
}

async fn assert_today_tree(env: &Env, orgs: &[&Org], when: &str) {
    for org in orgs {
        for period in PERIODS {
            let r = env.app.report(&env.c, org.id, None, period).await.unwrap();
            let second = only_changes(second_way(env, org, r.changes.from, r.changes.to).await);
            assert_eq!(changes_of(&r), second, "{} {period} {when}", org.input.name);
        }
    }
    assert_recount_clean(env, when).await;
}

#[tokio::test]
async fn kept_changes_equal_the_events_through_corrections_and_edits() {
    each_engine(async |env: &Env| {
        let t = tree(env).await;
        population(env, &t).await;
        changes(env, &t).await;
        let all = [&t.province, &t.a, &t.b, &t.a1, &t.a2, &t.b1];
        assert_today_tree(env, &all, "after the changes").await;

        // An expulsion annulled on appeal, a death voided, a record's gender corrected.
        let tam = env.member(&t.a2, "Tâm Hai", common::Person::official(d(2005, 1, 1))).await;
        let tl = env.record(tam.id, ev(EventKind::Disciplined, d(2025, 10, 3)).form(expulsion())).await.unwrap();
        let expelled = tl.events.iter().find(|e| e.record.event.kind == EventKind::Disciplined).unwrap();
        let expelled = expelled.record.event.id;
        assert_today_tree(env, &all, "after a second expulsion").await;
        env.record(tam.id, ev(EventKind::ExpulsionCleared, d(2025, 11, 3)).refers(expelled)).await.unwrap();
        let young = env.member(&t.b1, "Phúc", common::Person::probationary(d(2025, 2, 10)).female()).await;
        let mut edited = young.input.clone();
        edited.gender = Gender::Male;
        edited.birth_date = d(1990, 1, 1);
        env.app.update_member(&env.c, young.id, edited, young.version).await.unwrap();
        assert_today_tree(env, &all, "after an annulment and a record edit").await;
        let b = env.app.report(&env.c, t.b.id, None, "2025-02").await.unwrap();
        assert_eq!((b.changes.admitted_female, b.changes.admitted_young), (0, 0));
        assert_eq!(b.changes.count(chibo_access::domain::report::Change::Admitted), 1);
    })
    .await;
}

fn expulsion() -> chibo_access::domain::life::DisciplineForm {
    chibo_access::domain::life::DisciplineForm::Expulsion
}

fn dated(effective: Date) -> Dated {
    Dated {
        effective,
        decision: Decision {
            number: Some("1-QĐ/TU".into()), body: Some("Tỉnh ủy".into()), signed_on: Some(effective)
        },
    }
}

/// Whether `org` lay under `root` (or was it) on `on`, by the stored links.
fn under_on(
    links: &std::collections::HashMap<Uuid, Vec<chibo_access::domain::life::Link>>,
    org: Uuid,
    root: Uuid,
    on: Date,
) -> bool {
    let mut at = org;
    for _ in 0..32 {
        if at == root {
            return true;
        }
        let parent = links
            .get(&at)
            .into_iter()
            .flatten()
            .find(|l| l.from.is_none_or(|f| f <= on) && l.to.is_none_or(|t| on < t));
        match parent.and_then(|l| l.parent_id) {
            Some(p) => at = p,
            None => return false,
        }
    }
    false
}

#[tokio::test]
async fn after_a_restructuring_each_change_counts_in_the_tree_of_its_date() {
    each_engine(async |env: &Env| {
        let t = tree(env).await;
        population(env, &t).await;
        changes(env, &t).await;
        // 01/07/2025: cell B1 moves from commune B to commune A; 01/09/2025: a new commune C
        // takes cell A2.
        env.app.move_org_on(&env.c, t.b1.id, t.a.id, &dated(d(2025, 7, 1))).await.unwrap();
        let c = env.org(Some(&t.province), "Đảng bộ xã Cam Đường", chibo_access::domain::org::OrgKind::Commune).await;
        env.app.move_org_on(&env.c, t.a2.id, c.id, &dated(d(2025, 9, 1))).await.unwrap();
        assert_recount_clean(env, "after the moves").await;
        let links = {
            let mut conn = env.db.pools.read().await.unwrap();
            history::all_links(&mut conn).await.unwrap()
        };
        for org in [&t.province, &t.a, &t.b, &c, &t.a1, &t.a2, &t.b1] {
            for period in PERIODS {
                let r = env.app.report(&env.c, org.id, None, period).await.unwrap();
                let inside = |id: Option<Uuid>, on: Date| id.is_some_and(|i| under_on(&links, i, org.id, on));
                let second = only_changes(second_way_by(env, org, r.changes.from, r.changes.to, &inside).await);
                let counted = changes_of(&r);
                assert_eq!(counted, second, "{} {period}", org.input.name);
                // The list behind each line holds as many members as the line counts.
                for (item, n) in &counted {
                    let list = env.app.report_list(&env.c, org.id, None, period, item, 0, 500).await.unwrap();
                    assert_eq!(list.total as u64, *n, "{} {period} {item}", org.input.name);
                }
            }
        }
        // Commune B keeps what happened in B1 before the move: the arrival of April from A1.
        let b = env.app.report(&env.c, t.b.id, None, "2025").await.unwrap();
        assert_eq!(changes_of(&b).get("changes/transferred_in"), Some(&1));
        assert_eq!(changes_of(&b).get("changes/left"), None);
        let a = env.app.report(&env.c, t.a.id, None, "2025").await.unwrap();
        assert_eq!(changes_of(&a).get("changes/left"), Some(&1), "B1's leaving of August, under A");
        let trend = env.app.report_trend(&env.c, t.b.id).await.unwrap();
        let y2024 = trend.points.iter().find(|p| p.year == 2024).unwrap();
        assert_eq!(y2024.exits, 1, "the death of 2024 in B1, then under B");
        // A later correction in the moved cell follows the tree of its date.
        let late = env.member(&t.b1, "Muộn", common::Person::official(d(2001, 1, 1))).await;
        env.record(late.id, ev(EventKind::Died, d(2025, 6, 15))).await.unwrap();
        let b_june = env.app.report(&env.c, t.b.id, None, "2025-06").await.unwrap();
        assert_eq!(changes_of(&b_june).get("changes/died"), Some(&1));
        assert_recount_clean(env, "after a death recorded late").await;
    })
    .await;
}

/// The rule for a member back from outside the installation changed (migration 0020): a
/// database whose kept changes were built by the old rule gets them built again from the
/// events when it is next migrated (at every start), and the recount then finds nothing. The
/// same for the table kept by month alone (migration 0023 keeps the days too).
#[tokio::test]
async fn a_changed_rule_rebuilds_the_kept_changes_at_the_next_start() {
    each_engine(async |env: &Env| {
        let t = tree(env).await;
        population(env, &t).await;
        changes(env, &t).await;
        let want = changes_of(&env.app.report(&env.c, t.a.id, None, "2025").await.unwrap());
        assert_eq!(want.get("changes/transferred_in"), Some(&1), "the member back from outside");
        // As before the migration: not yet applied, the arrival missing from the kept rows.
        let mut tx = env.db.pools.begin().await.unwrap();
        chibo_store::db::sql("DELETE FROM _sqlx_migrations WHERE version = 20").execute(&mut tx).await.unwrap();
        chibo_store::db::sql("DELETE FROM change_counts WHERE line = 'transferred_in'").execute(&mut tx).await.unwrap();
        tx.commit().await.unwrap();
        let mut c = env.db.pools.read().await.unwrap();
        assert!(!change_counts::recount(&mut c).await.unwrap().is_empty());
        drop(c);
        chibo_store::schema::migrate(&env.db.pools).await.unwrap();
        let mut c = env.db.pools.read().await.unwrap();
        assert_eq!(change_counts::recount(&mut c).await.unwrap(), vec![]);
        drop(c);
        assert_eq!(changes_of(&env.app.report(&env.c, t.a.id, None, "2025").await.unwrap()), want);

        // Kept by month alone, as migration 0018 made the table (before 0023): remade by month
        // and by day at the next start, and a period that is not whole months read from it.
        let custom = "2025-03-02..2025-08-15";
        let want = changes_of(&env.app.report(&env.c, t.a.id, None, custom).await.unwrap());
        assert!(!want.is_empty());
        let by_month = match env.db.pools.engine() {
            chibo_store::db::Engine::Sqlite => include_str!("../../../store/migrations/sqlite/0018_change_counts.sql"),
            chibo_store::db::Engine::Postgres => {
                include_str!("../../../store/migrations/postgres/0018_change_counts.sql")
            }
        };
        let mut tx = env.db.pools.begin().await.unwrap();
        chibo_store::db::sql("DELETE FROM _sqlx_migrations WHERE version = 23").execute(&mut tx).await.unwrap();
        chibo_store::db::sql("DROP TABLE change_counts").execute(&mut tx).await.unwrap();
        chibo_store::db::dynamic_sql(by_month.to_string()).execute(&mut tx).await.unwrap();
        tx.commit().await.unwrap();
        chibo_store::schema::migrate(&env.db.pools).await.unwrap();
        let mut c = env.db.pools.read().await.unwrap();
        assert_eq!(change_counts::recount(&mut c).await.unwrap(), vec![]);
        drop(c);
        assert_eq!(changes_of(&env.app.report(&env.c, t.a.id, None, custom).await.unwrap()), want);
    })
    .await;
}

/// `chibo check` recounts a large table in passes over ranges of organisations: in as many
/// passes as there are organisations, or three, it finds what one pass finds, nothing on clean
/// rows, and each tampered row at the first, a middle and the last organisation by id (the
/// edges of the ranges). Inside a transaction, as the check runs it.
#[tokio::test]
async fn a_recount_in_passes_over_organisations_finds_what_one_pass_finds() {
    each_engine(async |env: &Env| {
        let t = tree(env).await;
        population(env, &t).await;
        changes(env, &t).await;
        let mut tx = env.db.pools.begin().await.unwrap();
        let rows = chibo_store::db::sql("SELECT COUNT(*) FROM change_counts").fetch_i64(&mut tx).await.unwrap();
        let orgs = chibo_store::db::sql("SELECT COUNT(DISTINCT org_id) FROM change_counts").fetch_i64(&mut tx).await;
        assert!(orgs.unwrap() >= 3, "rows in several organisations");
        let passes = [1, rows / 3 + 1, i64::MAX];
        for per in passes {
            assert_eq!(change_counts::recount_by(&mut tx, per).await.unwrap(), vec![], "clean, {per} rows a pass");
        }
        #[derive(sqlx::FromRow)]
        struct Key {
            org_id: Uuid,
            period: String,
            line: String,
        }
        let keys: Vec<Key> = chibo_store::db::sql(
            "SELECT org_id, period, line FROM change_counts WHERE n > 0 ORDER BY org_id, period, line",
        )
        .fetch_all(&mut tx)
        .await
        .unwrap();
        let tampered = [&keys[0], &keys[keys.len() / 2], &keys[keys.len() - 1]];
        for k in tampered {
            chibo_store::db::sql("UPDATE change_counts SET n = n + 1 WHERE org_id = $1 AND period = $2 AND line = $3")
                .bind(k.org_id)
                .bind(k.period.as_str())
                .bind(k.line.as_str())
                .execute(&mut tx)
                .await
                .unwrap();
        }
        let want: Vec<(Uuid, String, String)> =
            tampered.iter().map(|k| (k.org_id, k.period.clone(), k.line.clone())).collect();
        for per in passes {
            let found = change_counts::recount_by(&mut tx, per).await.unwrap();
            let keys: Vec<(Uuid, String, String)> =
                found.iter().map(|(o, p, l, ..)| (*o, p.clone(), l.clone())).collect();
            assert_eq!(keys, want, "{per} rows a pass");
            assert!(found.iter().all(|(.., kept, counted)| *kept == counted + 1), "{per} rows a pass");
        }
    })
    .await;
}
