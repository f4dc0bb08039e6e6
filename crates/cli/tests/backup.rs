//! `chibo backup` and `chibo restore` round trip on every engine: the commune demo backed up,
//! restored into a fresh database, checked, with the same rows per table and the same figures.

use chibo_store::testing::{TestDb, engines};
use chibo_store::{Engine, Pools, orgs, schema};
use std::path::Path;
use std::process::Command;

fn chibo(args: &[&str], db: &str) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chibo"))
        .args(args)
        .args(["--db", db])
        .env("CHIBO_DEMO_PASSWORD", "mat-khau-demo-2026")
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("run chibo");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

async fn rows_and_roots(pools: &Pools) -> (Vec<(String, i64)>, Vec<(uuid::Uuid, orgs::OrgStats)>) {
    let mut c = pools.read().await.expect("connection");
    let rows = schema::row_counts(&mut c).await.expect("counts");
    let roots = orgs::roots(&mut c).await.expect("roots").into_iter().map(|o| (o.id, o.stats)).collect();
    (rows, roots)
}

#[tokio::test]
async fn backup_and_restore_round_trip() {
    let dir = std::env::temp_dir().join(format!("chibo-backup-{}", uuid::Uuid::now_v7().simple()));
    for engine in engines() {
        let source = TestDb::new(engine).await.expect("database");
        let (ok, out) = chibo(&["demo", "--scale", "commune"], &source.url);
        assert!(ok, "{out}");
        let file = dir.join(format!("{}.backup", source.name));
        let file_s = file.to_str().expect("path");
        let (ok, out) = chibo(&["backup", file_s], &source.url);
        assert!(ok && out.contains("backed up") && out.contains("33 meeting periods"), "{out}");
        // A backup is never overwritten.
        let (ok, out) = chibo(&["backup", file_s], &source.url);
        assert!(!ok && out.contains("never overwritten"), "{out}");

        // Into a fresh database: a new file for SQLite, a new (migrated, empty) database for PostgreSQL.
        let fresh = match engine {
            Engine::Sqlite => None,
            Engine::Postgres => Some(TestDb::new(engine).await.expect("database")),
        };
        let target =
            fresh.as_ref().map_or_else(|| format!("sqlite://{}", dir.join("restored.db").display()), |t| t.url.clone());
        let (ok, out) = chibo(&["restore", file_s], &target);
        assert!(ok && out.contains("khớp") && out.contains("figures equal the backup's"), "{out}");
        let restored = Pools::connect(&target).await.expect("restored");
        let (want, got) = (rows_and_roots(&source.pools).await, rows_and_roots(&restored).await);
        assert_eq!(want, got, "{}", source.name);
        assert!(want.0.iter().any(|(t, n)| t == "members" && *n > 100), "{want:?}");
        restored.close().await;

        // A database holding data is replaced only with --force.
        let (ok, out) = chibo(&["restore", file_s], &target);
        assert!(!ok && out.contains("--force"), "{out}");
        // A manifest unlike the backup fails the restore.
        let manifest = Path::new(&format!("{file_s}.manifest.json")).to_path_buf();
        let text = std::fs::read_to_string(&manifest).expect("manifest");
        let n = want.0.iter().find(|(t, _)| t == "meetings").expect("meetings").1;
        let edited = text.replacen(&format!("\"meetings\": {n}"), &format!("\"meetings\": {}", n + 1), 1);
        assert_ne!(edited, text);
        std::fs::write(&manifest, edited).expect("edit");
        let (ok, out) = chibo(&["restore", file_s, "--force"], &target);
        assert!(!ok && out.contains("/rows/meetings") && out.contains("differ from the backup's manifest"), "{out}");
        std::fs::write(&manifest, text).expect("put back");
        let (ok, out) = chibo(&["restore", file_s, "--force"], &target);
        assert!(ok, "{out}");

        // Each engine's backup goes back into the same engine only.
        if engine == Engine::Postgres {
            let sqlite_backup = dir.join("sqlite.backup");
            let (ok, out) = chibo(&["restore", sqlite_backup.to_str().expect("path")], &target);
            assert!(!ok && out.contains("same engine only"), "{out}");
        }
        if let Some(t) = fresh {
            t.drop_db().await;
        }
        source.drop_db().await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}
