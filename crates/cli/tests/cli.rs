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
        assert!(
            ok && out.contains("kept changes equal the events")
                && out.contains("kept organisation counts equal the tree"),
            "{out}"
        );
        // A kept organisation count altered by hand: found, then repaired from the tree.
        let mut tx = db.pools.begin().await.unwrap();
        chibo_store::db::sql("UPDATE org_counts SET n = n + 1 WHERE line LIKE 'org_kind/%'")
            .execute(&mut tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let (ok, out) = chibo(&["check"], &db.url);
        assert!(!ok && out.contains("kept organisation counts that differ"), "{out}");
        let (ok, out) = chibo(&["check", "--repair"], &db.url);
        assert!(ok && out.contains("kept organisation counts repaired"), "{out}");
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

/// The older workbooks are decoded by `chibo decode-sheet` in a child process: the fixtures
/// read as in-process (crates/sheets), and a file whose sheet declares some 4 billion rows
/// by 65,536 columns, which makes calamine ask for petabytes and abort the process it runs
/// in, stops only the child: an unreadable file, and this process goes on.
#[test]
fn older_workbooks_are_decoded_in_a_bounded_child() {
    use chibo_access::domain::registry_sheet::SheetCell;
    chibo_sheets::decode_in_child(env!("CARGO_BIN_EXE_chibo").into(), &["decode-sheet"]);
    let fixture = |name: &str| std::fs::read(format!("{}/../sheets/fixtures/{name}", env!("CARGO_MANIFEST_DIR")));
    let rows = |bytes: &[u8], name: &str| {
        let mut rows = Vec::new();
        chibo_sheets::read(bytes, name, |r| rows.push(r.iter().map(SheetCell::text).collect::<Vec<_>>())).map(|()| rows)
    };
    let xls = fixture("members.xls").expect("fixture");
    for name in ["members.xls", "members.ods"] {
        let got = rows(&fixture(name).expect("fixture"), name).expect(name);
        assert_eq!(got[1], ["Nguyễn Thị Lan", "30/04/1975", "12.5"], "{name}");
        assert_eq!((got.len(), got[3][0].as_str()), (4, "Lò Văn Páo"), "{name}");
    }
    // The sheet's DIMENSIONS record (BIFF8: type 0x0200, 14 bytes) made to declare rows
    // 0..4,294,967,279 and columns 0..65,535.
    let at = xls.windows(4).position(|w| w == [0x00, 0x02, 0x0E, 0x00]).expect("dimensions record");
    let mut hostile = xls.clone();
    hostile[at + 8..at + 12].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    hostile[at + 14..at + 16].copy_from_slice(&0xFFFFu16.to_le_bytes());
    let refused = rows(&hostile, "members.xls");
    assert!(matches!(&refused, Err(chibo_sheets::SheetError::Exhausted(_))), "{refused:?}");
    // 390,625 rows by 256 columns: about 4 GB asked for and never touched, which the machine
    // would give this process (the file holds four rows); the child's bound refuses it.
    let mut big = xls.clone();
    big[at + 8..at + 12].copy_from_slice(&390_624u32.to_le_bytes());
    big[at + 14..at + 16].copy_from_slice(&255u16.to_le_bytes());
    let bounded = rows(&big, "members.xls");
    assert!(matches!(&bounded, Err(chibo_sheets::SheetError::Exhausted(_))), "{bounded:?}");
    let told = refused.err().map(|e| e.message_vi()).unwrap_or_default();
    assert!(told.contains("bộ nhớ") && told.contains(".xlsx"), "{told}");
}
