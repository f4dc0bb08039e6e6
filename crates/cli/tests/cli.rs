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
        // Without --demo-passwords: no known password, random ones shown once, no `admin`.
        assert!(!out.contains("mat-khau-demo-2026") && !out.contains("chibo-demo-2026"), "{out}");
        assert!(out.contains("mật khẩu ngẫu nhiên") && out.contains("not created"), "{out}");
        let (ok, out) = chibo(&["check"], &db.url);
        assert!(ok && out.contains("khớp") && out.contains("kept changes equal the events"), "{out}");
        // A kept change count altered by hand: found, then repaired from the events.
        let mut tx = db.pools.begin().await.unwrap();
        chibo_store::db::sql("UPDATE change_counts SET n = n + 1 WHERE line = 'admitted'")
            .execute(&mut tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let (ok, out) = chibo(&["check"], &db.url);
        assert!(!ok && out.contains("kept change counts that differ"), "{out}");
        let (ok, out) = chibo(&["check", "--repair"], &db.url);
        assert!(ok && out.contains("kept changes repaired"), "{out}");
        let (ok, out) = chibo(&["check"], &db.url);
        assert!(ok && out.contains("kept changes equal the events"), "{out}");
        // A second demo into a filled database is refused, not doubled.
        let (ok, out) = chibo(&["demo", "--scale", "commune"], &db.url);
        assert!(!ok && out.contains("empty database"), "{out}");
        // Accounts from the command line.
        let (ok, out) = chibo(&["user", "add", "bantochuc", "--name", "Ban Tổ chức"], &db.url);
        assert!(ok, "{out}");
        let (ok, out) = chibo(&["user", "list"], &db.url);
        assert!(ok && out.contains("bantochuc") && out.contains("bithu"), "{out}");
        assert!(!out.lines().any(|l| l.starts_with("admin\t")), "{out}");
        // A lost password is set again at the console; accounts are disabled and enabled.
        for action in ["passwd", "disable", "enable", "unlock", "totp-reset"] {
            let (ok, out) = chibo(&["user", action, "bithu"], &db.url);
            assert!(ok && out.contains("bithu"), "{action}: {out}");
        }
        let (ok, out) = chibo(&["user", "passwd", "khongco"], &db.url);
        assert!(!ok, "{out}");
        let (ok, out) =
            chibo(&["user", "grant", "bantochuc", "overlord", "00000000-0000-0000-0000-000000000000"], &db.url);
        assert!(!ok && out.contains("role"), "{out}");
        db.drop_db().await;
    }
}

/// A load killed before its last commit (simulated: the completion taken back) fails the
/// check, is not served, and is loaded again by the next `chibo demo`.
#[tokio::test]
async fn a_load_stopped_half_way_is_refused_then_loaded_again() {
    for engine in engines() {
        let db = TestDb::new(engine).await.expect("database");
        let (ok, out) = chibo(&["demo", "--scale", "commune"], &db.url);
        assert!(ok, "{out}");
        let mut tx = db.pools.begin().await.expect("tx");
        chibo_store::db::sql("UPDATE bulk_loads SET finished_at = NULL, stage = 'indexes'")
            .execute(&mut tx)
            .await
            .expect("taken back");
        tx.commit().await.expect("commit");
        let (ok, out) = chibo(&["check"], &db.url);
        assert!(!ok && out.contains("dừng giữa chừng") && out.contains("«indexes»"), "{out}");
        let (ok, out) = chibo(&["serve", "--bind", "127.0.0.1:0"], &db.url);
        assert!(!ok && out.contains("stopped half-way") && out.contains("chibo demo --scale commune"), "{out}");
        let (ok, out) = chibo(&["demo", "--scale", "commune"], &db.url);
        assert!(ok && out.contains("loading again"), "{out}");
        let (ok, out) = chibo(&["check"], &db.url);
        assert!(ok && out.contains("khớp"), "{out}");
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
        vec!["backup", "--help"],
        vec!["restore", "--help"],
        vec!["audit", "verify", "--help"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_chibo")).args(&cmd).output().expect("run chibo");
        assert!(out.status.success(), "{cmd:?}");
    }
}

#[tokio::test]
async fn demo_passwords_only_when_asked() {
    for engine in engines() {
        let db = TestDb::new(engine).await.expect("database");
        let (ok, out) = chibo(&["demo", "--scale", "commune", "--demo-passwords"], &db.url);
        assert!(ok && out.contains("mat-khau-demo-2026"), "{out}");
        let (ok, out) = chibo(&["user", "list"], &db.url);
        assert!(ok && out.lines().any(|l| l.starts_with("admin\t")), "{out}");
        db.drop_db().await;
    }
}
