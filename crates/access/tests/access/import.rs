//! The member registry in and out of spreadsheets, on every engine: a file with every kind of
//! mistake gives exactly the expected errors and writes nothing; a good file imports all its
//! rows with their histories and counters; export → import into an empty database gives the
//! same records; an import reaches only the importer's subtree.

use crate::common;

use chibo_access::domain::access::Role;
use chibo_access::domain::org::OrgKind;
use chibo_access::domain::registry_sheet::SheetCell;
use chibo_access::{Chibo, ImportKind, ImportProgress, ImportReport, ImportStage, Org, Problem, Viewer};
use chibo_store::testing::TestDb;
use chibo_store::{audit, members};
use common::{Env, Person, each_engine, member_input};
use time::macros::date;
use uuid::Uuid;

const HEADER: &str = "STT,Họ và tên,Ngày sinh,Giới tính,Dân tộc,Số CCCD,Ngày vào Đảng,Ngày chính thức,Chi bộ,Ghi chú\n";

/// The commune "Xã An Bình" with two cells, and the commune "Xã Khác" with one, both in a
/// province (which keeps the structure's changes by month).
async fn tree(env: &Env) -> [chibo_access::Org; 5] {
    let p = env.org(None, "Đảng bộ tỉnh Lào Cai", OrgKind::Provincial).await;
    let a = env.org(Some(&p), "Đảng bộ Xã An Bình", OrgKind::Commune).await;
    let c1 = env.org(Some(&a), "Chi bộ Thôn 1", OrgKind::SubordinateCell).await;
    let c2 = env.org(Some(&a), "Chi bộ Thôn 2", OrgKind::SubordinateCell).await;
    let b = env.org(Some(&p), "Đảng bộ Xã Khác", OrgKind::Commune).await;
    let c9 = env.org(Some(&b), "Chi bộ Thôn 9", OrgKind::SubordinateCell).await;
    [a, c1, c2, b, c9]
}

/// (row, field, code) of each error of a report.
pub(crate) fn problems(r: &ImportReport) -> Vec<(usize, &str, &str)> {
    r.errors.iter().map(|p| (p.row, p.error.field.as_str(), p.error.code)).collect()
}

async fn member_count(env: &Env) -> i64 {
    let mut c = env.db.pools.read().await.unwrap();
    members::count(&mut c).await.unwrap()
}

#[tokio::test]
async fn a_file_with_every_mistake_writes_nothing() {
    each_engine(async |env: &Env| {
        let [a, c1, ..] = tree(env).await;
        let mut held = member_input("Held", c1.id, Person::official(date!(2010 - 01 - 01)));
        held.profile.citizen_id = Some("001080001111".into());
        env.app.create_member(&env.c, held).await.unwrap();
        let before = member_count(env).await;
        let file = format!(
            "{HEADER}\
             1,Lò Văn Một,01/02/1980,Nam,Thái,00108000123,01/01/2010,01/01/2011,Chi bộ Thôn 1,bad CCCD\n\
             2,Lò Văn Hai,31/02/1980,Nam,Thái,,01/01/2010,01/01/2011,Chi bộ Thôn 1,31/02\n\
             3,Lò Văn Ba,01/02/1980,Nam,Thái,,01/01/2010,01/01/2011,Chi bộ Thôn 9,cell of another commune\n\
             4,Lò Văn Bốn,01/02/1980,Nam,Thái,001080002222,01/01/2010,01/01/2011,chi bo thon 2,first\n\
             5,Lò Văn Năm,01/02/1980,Nam,Thái,001080002222,01/01/2010,01/01/2011,Chi bộ Thôn 2,twice in file\n\
             6,Lò Văn Sáu,01/02/1980,Nam,Thái,001080001111,01/01/2010,01/01/2011,Chi bộ Thôn 2,in the database\n\
             7,Lò Văn Bảy,01/02/1980,,Thái,,01/01/2010,01/01/2011,Chi bộ Thôn 2,no gender\n\
             8,Lò Văn Tám,01/02/1980,Nam,Klingon,,01/01/2010,01/01/2011,Chi bộ Thôn 2,unknown ethnicity\n\
             ,,,,,,,,,\n"
        );
        for commit in [false, true] {
            let r = env.app.import_members(&env.c, a.id, "ds.csv", file.as_bytes(), commit).await.unwrap();
            assert_eq!(r.header_row, Some(1));
            assert_eq!(r.rows, 8, "the blank row is skipped");
            assert_eq!(r.ignored_columns, vec!["Ghi chú".to_string()]);
            assert_eq!(
                problems(&r),
                vec![
                    (2, "citizen_id", "cccd_format"),
                    (3, "birth_date", "bad_value"),
                    (4, "org_id", "unknown_cell"),
                    (6, "citizen_id", "duplicate_in_file"),
                    (7, "citizen_id", "duplicate"),
                    (8, "gender", "required"),
                    (9, "ethnicity_code", "unknown_ethnicity"),
                ]
            );
            assert_eq!(r.errors[1].column.as_deref(), Some("Ngày sinh"), "named by the file's own header");
            assert_eq!(r.imported, 0);
            assert_eq!(member_count(env).await, before, "nothing written");
        }
        let r = env.app.import_members(&env.c, a.id, "ds.csv", file.as_bytes(), false).await.unwrap();
        let sheet = env.app.import_error_sheet("ds.csv", file.as_bytes(), &r).await.unwrap();
        let mut rows = Vec::new();
        chibo_sheets::read(&sheet, "errors.xlsx", |row| rows.push(row)).unwrap();
        let header = &rows[4];
        assert_eq!(header.last(), Some(&SheetCell::Text("Lỗi".into())));
        let error_of = |i: usize| rows[i].get(header.len() - 1).map(SheetCell::text).unwrap_or_default();
        assert!(error_of(5).starts_with("Số CCCD:"), "{}", error_of(5));
        assert!(error_of(6).starts_with("Ngày sinh:"), "{}", error_of(6));
        assert_eq!(error_of(8), "", "row 4 (first of the twins) has no error");
        assert_eq!(rows.len(), 4 + 1 + 8, "every row of the file (a blank last row is no row in .xlsx)");
    })
    .await;
}

/// A file of junk lines: the report lists the first mistakes and counts the rest (a few bytes a
/// line must not become a kilobyte of error each in the server's memory); the warnings alike;
/// nothing is written.
#[tokio::test]
async fn a_file_of_junk_lists_its_first_mistakes_and_counts_the_rest() {
    each_engine(async |env: &Env| {
        let [a, ..] = tree(env).await;
        let before = member_count(env).await;
        let lines = chibo_access::PROBLEMS_LISTED + 7;
        let junk: String = (0..lines).map(|_| "x,Lò Văn Một,01/02/1980,?,,,,,,\n").collect();
        let r =
            env.app.import_members(&env.c, a.id, "ds.csv", format!("{HEADER}{junk}").as_bytes(), true).await.unwrap();
        assert_eq!(r.rows, lines);
        assert_eq!(r.errors.len(), chibo_access::PROBLEMS_LISTED);
        assert!(r.errors_not_listed >= 7 && r.error_count() == r.errors.len() + r.errors_not_listed);
        assert_eq!(
            r.warnings.len() + r.warnings_not_listed,
            lines - 1,
            "the same person on every line after the first"
        );
        assert_eq!(r.warnings.len(), chibo_access::PROBLEMS_LISTED);
        assert_eq!(member_count(env).await, before);
    })
    .await;
}

#[tokio::test]
async fn a_mistake_in_a_later_batch_rolls_back_the_batches_written() {
    each_engine(async |env: &Env| {
        let [a, ..] = tree(env).await;
        let app = env.app.clone().with_import_batch(2);
        let before = member_count(env).await;
        let file = format!(
            "{HEADER}\
             1,Lò Văn Một,01/02/1980,Nam,Thái,,01/01/2010,01/01/2011,Chi bộ Thôn 1,\n\
             2,Lò Văn Hai,01/02/1981,Nam,Thái,,01/01/2010,01/01/2011,Chi bộ Thôn 1,\n\
             3,Lò Văn Ba,01/02/1982,Nam,Thái,,01/01/2010,01/01/2011,Chi bộ Thôn 2,\n\
             4,Lò Văn Bốn,01/02/1983,Nam,Thái,,01/01/2010,01/01/2011,Chi bộ Thôn 2,\n\
             5,Lò Văn Năm,31/02/1984,Nam,Thái,,01/01/2010,01/01/2011,Chi bộ Thôn 2,31/02\n"
        );
        let r = app.import_members(&env.c, a.id, "ds.csv", file.as_bytes(), true).await.unwrap();
        assert_eq!((r.rows, problems(&r)), (5, vec![(6, "birth_date", "bad_value")]));
        assert_eq!(member_count(env).await, before, "the two batches written before the mistake are rolled back");
        let mut c = env.db.pools.read().await.unwrap();
        let entries = audit::list(&mut c, audit::Scope::All, None, 50).await.unwrap();
        assert!(entries.iter().all(|e| e.action != "member.import"), "no audit entry");
        // Mended, the same file imports in three batches.
        let file = file.replace("31/02/1984", "28/02/1984");
        let r = app.import_members(&env.c, a.id, "ds.csv", file.as_bytes(), true).await.unwrap();
        assert!(r.is_clean(), "{:?}", r.errors);
        assert_eq!((r.rows, r.imported), (5, 5));
        assert_eq!(member_count(env).await, before + 5);
    })
    .await;
}

#[tokio::test]
async fn a_good_file_imports_every_row_with_its_history() {
    each_engine(async |env: &Env| {
        let [a, c1, c2, ..] = tree(env).await;
        // A title block above the headers, names in three columns, a serial-number date, `;`.
        let file = "Danh sách đảng viên;;;;;;;\n\n\
                    Họ;Tên đệm;Tên;Ngày sinh;Giới tính;Ngày vào Đảng;Ngày chính thức;Chi bộ\n\
                    Hà;Thị;Ơn;07/01/1990;Nữ;3/2/2015;3/2/2016;Chi bộ Thôn 1\n\
                    Vàng;A;Páo;32874;nam;12-05-2026;;Chi bộ Thôn 2\n\
                    Đỗ;;Bình;01.02.1975;Nam;19/05/2000;19/05/2001;CHI BỘ THÔN 2\n";
        let dry = env.app.import_members(&env.c, a.id, "ds.csv", file.as_bytes(), false).await.unwrap();
        assert!(dry.is_clean(), "{:?}", dry.errors);
        assert_eq!((dry.header_row, dry.rows, dry.imported), (Some(3), 3, 0));
        assert_eq!(member_count(env).await, 0);
        let r = env.app.import_members(&env.c, a.id, "ds.csv", file.as_bytes(), true).await.unwrap();
        assert!(r.is_clean(), "{:?}", r.errors);
        assert_eq!(r.imported, 3);
        assert_eq!(member_count(env).await, 3);
        let (s1, s2) = (env.org_now(c1.id).await.stats, env.org_now(c2.id).await.stats);
        assert_eq!((s1.members, s1.official, s1.female), (1, 1, 1));
        assert_eq!((s2.members, s2.official, s2.probationary), (2, 1, 1));
        assert_eq!(env.org_now(a.id).await.stats.members, 3);
        let mut c = env.db.pools.read().await.unwrap();
        for cell in [&c1, &c2] {
            for m in members::on_rolls_of(&mut c, cell.id).await.unwrap() {
                env.assert_settled(m.id, "imported").await;
            }
        }
        let entries = audit::list(&mut c, audit::Scope::All, None, 50).await.unwrap();
        let imports: Vec<_> = entries.iter().filter(|e| e.action == "member.import").collect();
        assert_eq!(imports.len(), 1, "one audit entry for the file");
        assert!(format!("{:?}", imports[0]).contains("ds.csv"));
        assert!(!entries.iter().any(|e| e.action == "member.create"), "no entry per member");
    })
    .await;
}

#[tokio::test]
async fn export_then_import_into_an_empty_database_gives_the_same_records() {
    each_engine(async |env: &Env| {
        let [a, c1, c2, ..] = tree(env).await;
        for (i, (cell, p)) in [
            (&c1, Person::official(date!(2001 - 03 - 01)).female()),
            (&c1, Person::probationary(date!(2026 - 06 - 01)).minority()),
            (&c2, Person::official(date!(1999 - 09 - 02))),
        ]
        .into_iter()
        .enumerate()
        {
            let mut m = member_input(["Một", "Hai", "Ba"][i], cell.id, p);
            m.profile.party_card_number = Some(format!("9000000{i}"));
            m.profile.home_town = Some("Xã An Bình, tỉnh Lào Cai".into());
            env.app.create_member(&env.c, m).await.unwrap();
        }
        let first = env.app.export_members(&env.c, a.id).await.unwrap();
        // The title block of every list: the date, how many, who printed it.
        let mut head = Vec::new();
        chibo_sheets::read(&first, "x.xlsx", |r| head.push(r)).unwrap();
        let printed = head[2][0].text();
        assert!(printed.starts_with("Ngày ") && printed.contains(" · 3 đảng viên · Người in: "), "{printed}");

        let (fresh, app, a2) = empty_commune(env).await;
        let console = Viewer::console();
        let r = app.import_members(&console, a2.id, "export.xlsx", &first, true).await.unwrap();
        assert!(r.is_clean(), "{:?}", r.errors);
        assert_eq!((r.header_row, r.imported), (Some(5), 3));
        let second = app.export_members(&console, a2.id).await.unwrap();
        assert_eq!(below_title(&first), below_title(&second), "the same records, field for field");
        fresh.drop_db().await;
    })
    .await;
}

/// A new database holding only the commune "Xã An Bình" and its cells Thôn 1 and Thôn 2 (the
/// same tree as `tree`, other ids): where an export is imported back.
pub(crate) async fn empty_commune(env: &Env) -> (TestDb, Chibo, Org) {
    let fresh = TestDb::new(env.db.pools.engine()).await.unwrap();
    let app = common::app(&fresh);
    let console = Viewer::console();
    let a = app.create_org(&console, None, common::org_input("Đảng bộ Xã An Bình", OrgKind::Commune)).await.unwrap();
    for name in ["Chi bộ Thôn 1", "Chi bộ Thôn 2"] {
        app.create_org(&console, Some(a.id), common::org_input(name, OrgKind::SubordinateCell)).await.unwrap();
    }
    (fresh, app, a)
}

/// The rows of an exported spreadsheet below its title block.
pub(crate) fn below_title(bytes: &[u8]) -> Vec<Vec<SheetCell>> {
    let mut rows = Vec::new();
    chibo_sheets::read(bytes, "x.xlsx", |r| rows.push(r)).unwrap();
    rows.split_off(3)
}

#[tokio::test]
async fn an_import_reaches_only_the_importers_subtree() {
    each_engine(async |env: &Env| {
        let [a, _, _, b, _] = tree(env).await;
        let staff_b = env.user(Role::Staff, &b).await;
        let file = format!("{HEADER}1,Lò Văn Một,01/02/1980,Nam,Thái,,01/01/2010,01/01/2011,Chi bộ Thôn 1,\n");
        let r = env.app.import_members(&staff_b, a.id, "ds.csv", file.as_bytes(), true).await;
        assert!(matches!(r, Err(Problem::NotFound)), "another commune is not even there: {r:?}");
        let r = env.app.import_members(&staff_b, b.id, "ds.csv", file.as_bytes(), true).await.unwrap();
        assert_eq!(problems(&r), vec![(2, "org_id", "unknown_cell")], "a cell outside the grant is unknown");
        let export = env.app.export_members(&staff_b, a.id).await;
        assert!(matches!(export, Err(Problem::NotFound)));
        assert_eq!(member_count(env).await, 0);
    })
    .await;
}

/// The rows of a file are written at once (`import_write.rs`), and leave what entering them one
/// by one leaves: each member settled from its events, the counters, the dated ledger and the
/// kept changes and structure equal to their recounts from the rows, and a possible duplicate
/// flagged against the member entered before it, never the one after.
#[tokio::test]
async fn an_import_writes_what_entering_each_row_writes() {
    // In one batch, and in batches of two: the same person's rows 2 and 3 then fall in
    // different batches, and row 3 is flagged against row 2 already written.
    for batch in [chibo_access::IMPORT_BATCH, 2] {
        each_engine(async |env: &Env| writes_what_entering_each_row_writes(env, batch).await).await;
    }
}

async fn writes_what_entering_each_row_writes(env: &Env, batch: usize) {
    {
        let app = env.app.clone().with_import_batch(batch);
        let [a, c1, c2, ..] = tree(env).await;
        // Nguyễn Văn Cũ, born 20/05/1980 (the test kit's birth date).
        let held = env.member(&c1, "Cũ", Person::official(date!(2000 - 01 - 01))).await;
        let file = format!(
            "{HEADER}\
             1,Nguyễn Văn Cũ,20/05/1980,Nam,Kinh,,01/03/2012,01/03/2013,Chi bộ Thôn 2,the member held\n\
             2,Lò Thị Mai,02/02/1990,Nữ,Thái,,15/06/2026,,Chi bộ Thôn 1,probationary\n\
             3,Lò Thị Mai,02/02/1990,Nữ,Thái,,15/06/2019,15/06/2020,Chi bộ Thôn 2,the same person again\n\
             4,Hà Văn Đông,03/03/1960,Nam,Tày,,19/05/1985,19/05/1986,Chi bộ Thôn 2,admitted long ago\n"
        );
        // Watched as the web page and the console watch it: the rows done, of the rows the file
        // holds below its header line.
        let progress = std::sync::Arc::new(ImportProgress::default());
        let watched = app.reporting_to(progress.clone());
        let dry = watched.import(&env.c, ImportKind::Members, a.id, "ds.csv", file.as_bytes(), false).await.unwrap();
        assert_eq!(
            (dry.rows, progress.rows(), progress.expected(), progress.stage()),
            (4, 4, Some(4), ImportStage::Done)
        );
        let r = watched.import(&env.c, ImportKind::Members, a.id, "ds.csv", file.as_bytes(), true).await.unwrap();
        assert!(r.is_clean(), "{:?}", r.errors);
        assert_eq!((r.imported, r.warnings.len()), (4, 1), "{:?}", r.warnings);
        assert_eq!((progress.rows(), progress.expected(), progress.stage()), (4, Some(4), ImportStage::Done));
        let mut c = env.db.pools.read().await.unwrap();
        let mut imported = members::on_rolls_of(&mut c, c2.id).await.unwrap();
        imported.extend(members::on_rolls_of(&mut c, c1.id).await.unwrap().into_iter().filter(|m| m.id != held.id));
        let id_of = |given: &str, cell: &Org| {
            imported.iter().find(|m| m.input.given_name == given && m.input.org_id == cell.id).map(|m| m.id).unwrap()
        };
        let (cu, mai1, mai2) = (id_of("Cũ", &c2), id_of("Mai", &c1), id_of("Mai", &c2));
        for m in &imported {
            env.assert_settled(m.id, "imported").await;
        }
        let dates = [date!(1985 - 05 - 19), date!(2012 - 03 - 01), date!(2019 - 06 - 15), date!(2026 - 06 - 15)];
        env.assert_counts(&common::around(&dates), "imported at once").await;
        let mut tx = env.db.pools.begin().await.unwrap();
        assert_eq!(chibo_store::structure_counts::recount(&mut tx).await.unwrap(), vec![], "kept structure");
        assert_eq!(chibo_store::structure_changes::recount(&mut tx).await.unwrap(), vec![], "changes by month");
        drop(tx);
        let pairs = |flags: Vec<members::Flag>| -> Vec<(Uuid, Uuid)> {
            flags.into_iter().map(|f| (f.member_id, f.other_member_id)).collect()
        };
        assert_eq!(pairs(members::flags(&mut c, cu).await.unwrap()), vec![(cu, held.id)], "against the member held");
        assert_eq!(pairs(members::flags(&mut c, mai1).await.unwrap()), vec![(mai2, mai1)], "only the later row");
        assert_eq!(pairs(members::flags(&mut c, mai2).await.unwrap()), vec![(mai2, mai1)]);
    }
}
