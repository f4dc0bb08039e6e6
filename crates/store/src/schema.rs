//! Migrations and secondary indexes.
//!
//! Tables come from the SQL files under `migrations/<engine>/`. Secondary indexes are declared
//! once here, the same for both engines, so that a bulk load can drop them and build them
//! again after ([`drop_bulk_indexes`], [`ensure_indexes`]).

use crate::StoreError;
use crate::db::{Engine, Exec, Pools, dynamic_sql};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AssertSqlSafe, SqlSafeStr};
use std::time::{Duration, Instant};

const SQLITE: &[(i64, &str, &str)] = &[
    (1, "init", include_str!("../migrations/sqlite/0001_init.sql")),
    (2, "name_words", include_str!("../migrations/sqlite/0002_name_words.sql")),
    (3, "history", include_str!("../migrations/sqlite/0003_history.sql")),
    (4, "meetings", include_str!("../migrations/sqlite/0004_meetings.sql")),
    (5, "auth", include_str!("../migrations/sqlite/0005_auth.sql")),
    (6, "audit", include_str!("../migrations/sqlite/0006_audit.sql")),
    (7, "loads", include_str!("../migrations/sqlite/0007_loads.sql")),
    (8, "load_day", include_str!("../migrations/sqlite/0008_load_day.sql")),
    (11, "review", include_str!("../migrations/sqlite/0011_review.sql")),
    (12, "inspection", include_str!("../migrations/sqlite/0012_inspection.sql")),
    (13, "bulk_foreign_keys", include_str!("../migrations/sqlite/0013_bulk_foreign_keys.sql")),
    (14, "birth_place", include_str!("../migrations/sqlite/0014_birth_place.sql")),
    (15, "inspection_documents", include_str!("../migrations/sqlite/0015_inspection_documents.sql")),
    (16, "inspection_kept", include_str!("../migrations/sqlite/0016_inspection_kept.sql")),
    (17, "structure_counts", include_str!("../migrations/sqlite/0017_structure_counts.sql")),
    (18, "change_counts", include_str!("../migrations/sqlite/0018_change_counts.sql")),
    (19, "org_counts", include_str!("../migrations/sqlite/0019_org_counts.sql")),
    (20, "transfer_back_in", include_str!("../migrations/sqlite/0020_transfer_back_in.sql")),
    (21, "structure_by_date", include_str!("../migrations/sqlite/0021_structure_by_date.sql")),
    (22, "structure_by_month_and_day", include_str!("../migrations/sqlite/0022_structure_by_month_and_day.sql")),
    (23, "changes_by_day", include_str!("../migrations/sqlite/0023_changes_by_day.sql")),
    (24, "structure_changes", include_str!("../migrations/sqlite/0024_structure_changes.sql")),
    (25, "org_changes", include_str!("../migrations/sqlite/0025_org_changes.sql")),
    (26, "structure_changes_by_day", include_str!("../migrations/sqlite/0026_structure_changes_by_day.sql")),
    (
        27,
        "structure_changes_by_date_month",
        include_str!("../migrations/sqlite/0027_structure_changes_by_date_month.sql"),
    ),
    (28, "name_word_pairs", include_str!("../migrations/sqlite/0028_name_word_pairs.sql")),
    (29, "structure_changes_root_days", include_str!("../migrations/sqlite/0029_structure_changes_root_days.sql")),
];
const POSTGRES: &[(i64, &str, &str)] = &[
    (1, "init", include_str!("../migrations/postgres/0001_init.sql")),
    (2, "name_words", include_str!("../migrations/postgres/0002_name_words.sql")),
    (3, "history", include_str!("../migrations/postgres/0003_history.sql")),
    (4, "meetings", include_str!("../migrations/postgres/0004_meetings.sql")),
    (5, "auth", include_str!("../migrations/postgres/0005_auth.sql")),
    (6, "audit", include_str!("../migrations/postgres/0006_audit.sql")),
    (7, "loads", include_str!("../migrations/postgres/0007_loads.sql")),
    (8, "load_day", include_str!("../migrations/postgres/0008_load_day.sql")),
    (11, "review", include_str!("../migrations/postgres/0011_review.sql")),
    (12, "inspection", include_str!("../migrations/postgres/0012_inspection.sql")),
    (13, "bulk_foreign_keys", include_str!("../migrations/postgres/0013_bulk_foreign_keys.sql")),
    (14, "birth_place", include_str!("../migrations/postgres/0014_birth_place.sql")),
    (15, "inspection_documents", include_str!("../migrations/postgres/0015_inspection_documents.sql")),
    (16, "inspection_kept", include_str!("../migrations/postgres/0016_inspection_kept.sql")),
    (17, "structure_counts", include_str!("../migrations/postgres/0017_structure_counts.sql")),
    (18, "change_counts", include_str!("../migrations/postgres/0018_change_counts.sql")),
    (19, "org_counts", include_str!("../migrations/postgres/0019_org_counts.sql")),
    (20, "transfer_back_in", include_str!("../migrations/postgres/0020_transfer_back_in.sql")),
    (21, "structure_by_date", include_str!("../migrations/postgres/0021_structure_by_date.sql")),
    (22, "structure_by_month_and_day", include_str!("../migrations/postgres/0022_structure_by_month_and_day.sql")),
    (23, "changes_by_day", include_str!("../migrations/postgres/0023_changes_by_day.sql")),
    (24, "structure_changes", include_str!("../migrations/postgres/0024_structure_changes.sql")),
    (25, "org_changes", include_str!("../migrations/postgres/0025_org_changes.sql")),
    (26, "structure_changes_by_day", include_str!("../migrations/postgres/0026_structure_changes_by_day.sql")),
    (
        27,
        "structure_changes_by_date_month",
        include_str!("../migrations/postgres/0027_structure_changes_by_date_month.sql"),
    ),
    (28, "name_word_pairs", include_str!("../migrations/postgres/0028_name_word_pairs.sql")),
    (29, "structure_changes_root_days", include_str!("../migrations/postgres/0029_structure_changes_root_days.sql")),
];

/// Secondary indexes: (name, table and columns). Subtree ranges need `path`/`org_path`
/// first; large-subtree member pages walk `sort_key` and filter on the covered columns.
pub const INDEXES: &[(&str, &str, bool)] = &[
    ("orgs_parent", "orgs (parent_id, name)", false),
    ("orgs_name_search", "orgs (name_search)", false),
    ("members_path_keys", "members (org_path, sort_key, id, search_key)", true),
    ("members_sort", "members (sort_key, id, org_path, search_key)", true),
    ("members_org", "members (org_id)", true),
    // The word index in name order (page::Plan::WordWalk); its table's key is by path.
    ("member_words_sort", "member_words (word, sort_key, member_id, org_path, search_key)", true),
    ("members_birth_name", "members (birth_date, search_key)", true),
    ("members_admission", "members (admission_date)", true),
    ("member_flags_member", "member_flags (member_id)", false),
    ("grants_user", "grants (user_id)", false),
    ("grants_org", "grants (org_id)", false),
    ("sessions_user", "sessions (user_id)", false),
    ("audit_at", "audit_log (at)", false),
    ("audit_entity", "audit_log (entity_id, at)", false),
    ("member_events_member", "member_events (member_id)", true),
    ("member_events_on", "member_events (effective_on)", true),
    ("member_spans_member", "member_spans (member_id)", true),
    ("member_spans_org", "member_spans (org_id, from_on)", true),
    // A past date's structure reads the members who changed since (structure_counts::
    // groups_past): the spans still open that started since (organisation, no end, start
    // after: SQLite takes `to_on IS NULL` as an equality) and those closed since.
    ("member_spans_org_end", "member_spans (org_id, to_on, from_on)", true),
    // The same at the root of the whole tree, by date alone: one range of each instead of a
    // probe per organisation (11,000 in a province, 277,000 in the nation), covering what the
    // query reads of a span (without it, each span read by date was a random read of the
    // table, slower than the probes; docs/BENCHMARKS.md).
    ("member_spans_dates", "member_spans (to_on, from_on, kind, status, member_id)", true),
    ("org_links_org", "org_links (org_id)", false),
    ("org_links_parent", "org_links (parent_id, from_on)", false),
    // The places that start or end in a few days (`org_changes::on`, a report's day within its
    // month at the top of the tree).
    ("org_links_from", "org_links (from_on)", false),
    ("org_links_to", "org_links (to_on)", false),
    ("org_events_org", "org_events (org_id, effective_on)", false),
    ("org_events_on", "org_events (effective_on)", false),
    ("orgs_established", "orgs (established_on)", false),
    ("orgs_dissolved", "orgs (dissolved_on)", false),
    ("candidates_path", "candidates (org_path, sort_key)", false),
    ("meetings_cell", "meetings (cell_id, held_on)", true),
    ("meetings_on", "meetings (held_on)", true),
    ("meeting_attendance_member", "meeting_attendance (member_id)", true),
    ("meeting_documents_meeting", "meeting_documents (meeting_id)", false),
    ("meeting_corrections_meeting", "meeting_corrections (meeting_id)", false),
    ("meeting_topics_cell", "meeting_topics (cell_id, year)", false),
    ("scoring_sheets_org", "scoring_sheets (org_id, effective_from)", false),
    ("login_failures_updated", "login_failures (updated_at)", false),
    ("review_rounds_org", "review_rounds (org_id, period)", false),
    ("review_rounds_period", "review_rounds (period)", false),
    ("review_members_org", "review_members (round_id, org_id)", true),
    ("review_members_base", "review_members (round_id, base_id, outcome)", true),
    ("review_members_member", "review_members (member_id)", true),
    ("review_orgs_decider", "review_orgs (round_id, decider_id)", false),
    ("review_decisions_subject", "review_decisions (round_id, subject_id)", true),
    ("review_plans_subject", "review_plans (subject_id)", false),
    ("review_plans_org", "review_plans (org_id)", false),
    ("review_plan_items_plan", "review_plan_items (plan_id, seq)", false),
    ("review_settings_org", "review_settings (org_id, effective_from)", false),
    ("inspection_programmes_org", "inspection_programmes (org_id, year)", false),
    ("inspection_items_programme", "inspection_items (programme_id, seq)", false),
    ("inspection_cases_org", "inspection_cases (org_id, decided_on)", false),
    ("inspection_cases_subject_org", "inspection_cases (subject_org_id, decided_on)", false),
    ("inspection_cases_member", "inspection_cases (subject_member_id)", false),
    ("inspection_recommendations_case", "inspection_recommendations (case_id, seq)", false),
    ("inspection_documents_case", "inspection_documents (case_id)", false),
];

fn migrator(engine: Engine) -> Migrator {
    let files = match engine {
        Engine::Sqlite => SQLITE,
        Engine::Postgres => POSTGRES,
    };
    Migrator::with_migrations(
        files
            .iter()
            .map(|(v, d, sql)| {
                Migration::new(*v, (*d).into(), MigrationType::Simple, AssertSqlSafe(*sql).into_sql_str(), false)
            })
            .collect(),
    )
}

/// Bring the schema up to date (idempotent). Each step checks in its write turn whether it has
/// work to do, so servers started at once on one database do it once.
pub async fn migrate(pools: &Pools) -> Result<(), StoreError> {
    match pools {
        Pools::Sqlite { write, .. } => migrator(Engine::Sqlite).run(write).await?,
        Pools::Postgres(p) => migrator(Engine::Postgres).run(p).await?,
    }
    let mut tx = pools.begin_waiting(crate::db::UPGRADE_WAIT).await?;
    ensure_indexes(&mut tx).await?;
    tx.commit().await?;
    crate::words::backfill(pools).await?;
    crate::words::backfill_pairs(pools).await?;
    crate::structure_counts::backfill(pools).await?;
    crate::structure_changes::backfill(pools).await?;
    crate::change_counts::backfill(pools).await?;
    crate::org_counts::backfill(pools).await?;
    crate::org_changes::backfill(pools).await?;
    let mut tx = pools.begin_waiting(crate::db::UPGRADE_WAIT).await?;
    crate::audit_chain::chain_pending(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Create every secondary index that does not exist.
pub async fn ensure_indexes(e: &mut impl Exec) -> Result<(), StoreError> {
    for (name, on, _) in INDEXES {
        create_index(e, name, on).await?;
    }
    Ok(())
}

async fn create_index(e: &mut impl Exec, name: &str, on: &str) -> Result<(), StoreError> {
    dynamic_sql(format!("CREATE INDEX IF NOT EXISTS {name} ON {on}")).execute(e).await?;
    Ok(())
}

/// Create every missing secondary index, each in its own transaction: after a bulk load the
/// indexes of the nation's rows are gigabytes each, and SQLite's write-ahead log holds all that
/// one transaction writes until it ends, so one transaction for them all would need their whole
/// size again on disk (about 12 GB at nation scale). [`ensure_indexes`] is idempotent, so a
/// load stopped between two of them is finished by the next one.
///
/// Returns how long each index took, by its table (what a bulk load prints).
pub async fn build_indexes(pools: &crate::Pools) -> Result<Vec<(&'static str, Duration)>, StoreError> {
    let mut spent: Vec<(&'static str, Duration)> = Vec::new();
    for (name, on, _) in INDEXES {
        let started = Instant::now();
        let mut tx = pools.begin().await?;
        create_index(&mut tx, name, on).await?;
        tx.commit().await?;
        let table = on.split_once(' ').map_or(*on, |(t, _)| t);
        match spent.iter_mut().find(|(t, _)| *t == table) {
            Some((_, d)) => *d += started.elapsed(),
            None => spent.push((table, started.elapsed())),
        }
    }
    Ok(spent)
}

/// Drop the indexes that slow a bulk load of members (rebuilt by [`ensure_indexes`]).
pub async fn drop_bulk_indexes(e: &mut impl Exec) -> Result<(), StoreError> {
    for (name, _, bulk) in INDEXES {
        if *bulk {
            dynamic_sql(format!("DROP INDEX IF EXISTS {name}")).execute(e).await?;
        }
    }
    Ok(())
}

/// Refresh the planner's statistics after a bulk change. On PostgreSQL also VACUUM, which
/// sets the visibility map that index-only scans need after a bulk load (it cannot run inside
/// a transaction, so this takes the pools).
pub async fn analyze(pools: &Pools) -> Result<(), StoreError> {
    let mut c = match pools {
        Pools::Sqlite { .. } => {
            let mut tx = pools.begin().await?;
            dynamic_sql("ANALYZE".to_string()).execute(&mut tx).await?;
            return tx.commit().await;
        }
        Pools::Postgres(_) => pools.read().await?,
    };
    dynamic_sql(
        "VACUUM ANALYZE orgs, members, member_words, member_word_pairs, name_words, member_events, member_spans, \
         org_tally, org_links"
            .to_string(),
    )
    .execute(&mut c)
    .await?;
    Ok(())
}

/// The figures kept per organisation that a bulk load builds at its end, from the records.
pub const KEPT_TABLES: &[&str] = &[
    "structure_counts",
    "structure_changes",
    "change_counts",
    "org_counts",
    "org_changes",
    "inspection_owed",
    "inspection_counts",
    "review_counts",
];

/// PostgreSQL: the planner's statistics of the kept tables once a load has built them (at the
/// nation, a report of a past date at the top read the central root's kept months by a plan
/// made without them; SQLite's whole `ANALYZE` covers them).
pub async fn analyze_kept(pools: &Pools) -> Result<(), StoreError> {
    crate::db::analyze_loaded(pools, KEPT_TABLES).await
}

/// The tables of the schema (sqlx's own migration table left out), by name.
pub async fn tables(e: &mut impl Exec) -> Result<Vec<String>, StoreError> {
    let q = match e.engine() {
        Engine::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name <> '_sqlx_migrations' ORDER BY name"
        }
        Engine::Postgres => {
            "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() \
             AND tablename <> '_sqlx_migrations' ORDER BY tablename"
        }
    };
    let rows: Vec<(String,)> = crate::db::sql(q).fetch_all(e).await?;
    Ok(rows.into_iter().map(|(t,)| t).collect())
}

/// Tables that migrating an empty database already fills (the audit chain's head).
pub const SEEDED_BY_MIGRATION: &[&str] = &["audit_head"];

/// The rows a database holds beyond what migrating an empty one writes.
pub async fn held_rows(e: &mut impl Exec) -> Result<i64, StoreError> {
    let counts = row_counts(e).await?;
    Ok(counts.iter().filter(|(t, _)| !SEEDED_BY_MIGRATION.contains(&t.as_str())).map(|(_, n)| n).sum())
}

/// The number of rows of every table of [`tables`], by name.
pub async fn row_counts(e: &mut impl Exec) -> Result<Vec<(String, i64)>, StoreError> {
    let mut out = Vec::new();
    for t in tables(e).await? {
        // Names read from the catalog, quoted.
        let n = dynamic_sql(format!("SELECT COUNT(*) FROM \"{}\"", t.replace('"', "\"\""))).fetch_i64(e).await?;
        out.push((t, n));
    }
    Ok(out)
}
