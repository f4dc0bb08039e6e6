//! The binary end to end: demo load, counter check, accounts, on every engine.

use chibo_store::testing::{TestDb, engines};
use std::process::Command;

fn chibo(args: &[&str], db: &str) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chibo"))
        .args(args)
        .args(["--db", db])
        .env("CHIBO_PASSWORD", "mot-mat-khau-dai")
        .env("CHIBO_DEMO_PASSWORD", "mat-khau-demo-2026")
        .output()
        .expect("run chibo");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

#[tokio::test]
async fn demo_loads_and_every_counter_equals_the_records() {
    for engine in engines() {
        let db = TestDb::new(engine).await.expect("database");
        let (ok, out) = chibo(&["demo", "--scale", "commune", "--seed", "7"], &db.url);
        assert!(ok, "{out}");
        assert!(out.contains("đảng viên"), "{out}");
        let (ok, out) = chibo(&["check"], &db.url);
        assert!(ok && out.contains("khớp"), "{out}");
        // A second demo into a filled database is refused, not doubled.
        let (ok, out) = chibo(&["demo", "--scale", "commune"], &db.url);
        assert!(!ok && out.contains("empty database"), "{out}");
        // Accounts from the command line.
        let (ok, out) = chibo(&["user", "add", "bantochuc", "--name", "Ban Tổ chức"], &db.url);
        assert!(ok, "{out}");
        let (ok, out) = chibo(&["user", "list"], &db.url);
        assert!(ok && out.contains("bantochuc") && out.contains("bithu"), "{out}");
        let (ok, out) =
            chibo(&["user", "grant", "bantochuc", "overlord", "00000000-0000-0000-0000-000000000000"], &db.url);
        assert!(!ok && out.contains("role"), "{out}");
        db.drop_db().await;
    }
}

#[tokio::test]
async fn audit_verify_reports_an_edited_row_by_its_number() {
    for engine in engines() {
        let db = TestDb::new(engine).await.expect("database");
        for name in ["bantochuc", "kiemtra", "vanphong"] {
            let (ok, out) = chibo(&["user", "add", name, "--name", "Cán bộ"], &db.url);
            assert!(ok, "{out}");
        }
        let (ok, out) = chibo(&["audit", "verify"], &db.url);
        assert!(ok && out.contains("3 dòng"), "{out}");
        let mut tx = db.pools.begin().await.unwrap();
        chibo_store::db::sql("UPDATE audit_log SET username = 'ke-gian' WHERE seq = 2").execute(&mut tx).await.unwrap();
        tx.commit().await.unwrap();
        let (ok, out) = chibo(&["audit", "verify"], &db.url);
        assert!(!ok && out.contains("dòng số 2") && out.contains("edited"), "{out}");
        let (ok, out) = chibo(&["check"], &db.url);
        assert!(!ok && out.contains("audit chain"), "{out}");
        db.drop_db().await;
    }
}

#[test]
fn every_command_has_help() {
    for cmd in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["demo", "--help"],
        vec!["user", "grant", "--help"],
        vec!["bench", "--help"],
        vec!["audit", "verify", "--help"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_chibo")).args(&cmd).output().expect("run chibo");
        assert!(out.status.success(), "{cmd:?}");
    }
}
