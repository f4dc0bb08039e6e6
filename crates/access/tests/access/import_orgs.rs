//! The organisation tree from a spreadsheet, on every engine: a file with every kind of mistake
//! gives exactly the expected errors and writes nothing; a good file creates every
//! organisation under the parent it names (in chibo or on an earlier row), with the cell
//! counters and one audit entry; an import reaches only the importer's subtree.

use crate::common;

use chibo_access::domain::access::Role;
use chibo_access::domain::org::OrgKind;
use chibo_access::{ImportReport, Problem};
use chibo_store::{audit, orgs};
use common::{Env, each_engine};

const HEADER: &str = "STT,Tên tổ chức,Loại tổ chức,Trực thuộc,Thôn,Ngày thành lập,Có chi ủy\n";

fn problems(r: &ImportReport) -> Vec<(usize, &str, &str)> {
    r.errors.iter().map(|p| (p.row, p.error.field.as_str(), p.error.code)).collect()
}

async fn org_count(env: &Env) -> i64 {
    let mut c = env.db.pools.read().await.unwrap();
    orgs::count(&mut c).await.unwrap()
}

#[tokio::test]
async fn an_organisations_file_with_every_mistake_writes_nothing() {
    each_engine(async |env: &Env| {
        let a = env.org(None, "Đảng bộ Xã An Bình", OrgKind::Commune).await;
        env.org(Some(&a), "Chi bộ Thôn 1", OrgKind::SubordinateCell).await;
        let before = org_count(env).await;
        let file = format!(
            "{HEADER}\
             1,Chi bộ Thôn 1,Chi bộ trực thuộc,,,,\n\
             2,Chi bộ Thôn 2,Hội phụ nữ,,,,\n\
             3,Tổ đảng 1,Tổ đảng,Chi bộ Thôn 9,,,\n\
             4,Đảng bộ bộ phận A,Đảng bộ bộ phận,Chi bộ Thôn 1,,,\n\
             5,Chi bộ Thôn 3,Chi bộ,,,31/02/2026,có lẽ\n\
             6,Tổ đảng 2,Tổ đảng,Chi bộ Thôn 2,,,\n\
             7,,Chi bộ,,,,\n\
             8,Chi bộ Thôn 4,Chi bộ,,,,\n\
             9,Chi bộ Thôn 4,Chi bộ,,,,\n\
             10,Chi bộ Thôn 5,Chi bộ,,,01/07/2052,\n"
        );
        for commit in [false, true] {
            let r = env.app.import_orgs(&env.c, a.id, "tc.csv", file.as_bytes(), commit).await.unwrap();
            assert_eq!(
                problems(&r),
                vec![
                    (2, "name", "name_taken"),
                    (3, "kind", "bad_value"),
                    (4, "parent_id", "unknown_parent"),
                    (5, "kind", "kind_not_allowed_here"),
                    (6, "established_on", "bad_value"),
                    (6, "has_cell_committee", "bad_value"),
                    (7, "parent_id", "parent_row_has_errors"),
                    (8, "name", "required"),
                    (10, "name", "name_taken"),
                    (11, "established_on", "in_future"),
                ],
                "commit: {commit}"
            );
            assert_eq!(r.errors[0].column.as_deref(), Some("Tên tổ chức"));
            assert_eq!(r.imported, 0);
            assert_eq!(org_count(env).await, before, "nothing written");
        }
    })
    .await;
}

#[tokio::test]
async fn an_organisations_file_builds_the_tree_under_the_commune() {
    each_engine(async |env: &Env| {
        let a = env.org(None, "Đảng bộ Xã An Bình", OrgKind::Commune).await;
        let school = env.org(Some(&a), "Đảng bộ Trường THCS", OrgKind::BaseCommittee).await;
        let file = "Danh sách tổ chức đảng;;;;;\n\n\
                    Tên chi bộ;Loại;Cấp trên;Thôn, bản, tổ dân phố;Ngày thành lập;Chi ủy\n\
                    Chi bộ Thôn Nà Hẩu;Chi bộ trực thuộc;;Thôn Nà Hẩu;01/07/2025;Có\n\
                    Tổ đảng 1;Tổ đảng;Chi bộ Thôn Nà Hẩu;;;\n\
                    Chi bộ Giáo viên;chi bộ;Đảng bộ Trường THCS;;;\n\
                    Tổ đảng 1;Tổ đảng;Đảng bộ Trường THCS / Chi bộ Giáo viên;;;\n";
        let dry = env.app.import_orgs(&env.c, a.id, "tc.csv", file.as_bytes(), false).await.unwrap();
        assert!(dry.is_clean(), "{:?}", dry.errors);
        assert_eq!((dry.header_row, dry.rows, dry.imported), (Some(3), 4, 0));
        let r = env.app.import_orgs(&env.c, a.id, "tc.csv", file.as_bytes(), true).await.unwrap();
        assert!(r.is_clean(), "{:?}", r.errors);
        assert_eq!(r.imported, 4);
        let mut c = env.db.pools.read().await.unwrap();
        let under_a = orgs::children(&mut c, a.id, false).await.unwrap();
        let cell = under_a.iter().find(|o| o.input.name == "Chi bộ Thôn Nà Hẩu").expect("the cell");
        assert_eq!(cell.kind(), OrgKind::SubordinateCell);
        assert!(cell.input.has_cell_committee);
        assert_eq!(cell.input.locality.village.as_deref(), Some("Thôn Nà Hẩu"));
        assert_eq!(cell.input.locality.province_code, a.input.locality.province_code);
        let groups = orgs::children(&mut c, cell.id, false).await.unwrap();
        assert_eq!(groups.iter().map(|o| o.input.name.as_str()).collect::<Vec<_>>(), ["Tổ đảng 1"]);
        let teachers = orgs::children(&mut c, school.id, false).await.unwrap();
        assert_eq!(teachers.len(), 1);
        assert_eq!(orgs::children(&mut c, teachers[0].id, false).await.unwrap().len(), 1);
        // The cell counters: two new cells in the commune, one in the school.
        drop(c);
        assert_eq!(env.org_now(a.id).await.stats.cells, 2);
        assert_eq!(env.org_now(school.id).await.stats.cells, 1);
        let mut c = env.db.pools.read().await.unwrap();
        let entries = audit::list(&mut c, audit::Scope::All, None, 50).await.unwrap();
        let imports: Vec<_> = entries.iter().filter(|e| e.action == "org.import").collect();
        assert_eq!(imports.len(), 1, "one audit entry for the file");
        assert!(format!("{:?}", imports[0]).contains("tc.csv"));
        drop(c);
        // The same file again: every name is taken now.
        let again = env.app.import_orgs(&env.c, a.id, "tc.csv", file.as_bytes(), true).await.unwrap();
        assert_eq!(again.imported, 0);
        assert!(again.errors.iter().any(|p| p.error.code == "name_taken"), "{:?}", again.errors);
    })
    .await;
}

#[tokio::test]
async fn an_organisations_import_reaches_only_the_importers_subtree() {
    each_engine(async |env: &Env| {
        let a = env.org(None, "Đảng bộ Xã An Bình", OrgKind::Commune).await;
        env.org(Some(&a), "Chi bộ Thôn 1", OrgKind::SubordinateCell).await;
        let b = env.org(None, "Đảng bộ Xã Khác", OrgKind::Commune).await;
        let staff_b = env.user(Role::Staff, &b).await;
        let inspector = env.user(Role::Inspector, &b).await;
        let before = org_count(env).await;
        let file = format!("{HEADER}1,Tổ đảng 1,Tổ đảng,Chi bộ Thôn 1,,,\n");
        let r = env.app.import_orgs(&staff_b, a.id, "tc.csv", file.as_bytes(), true).await;
        assert!(matches!(r, Err(Problem::NotFound)), "another commune is not even there: {r:?}");
        let r = env.app.import_orgs(&staff_b, b.id, "tc.csv", file.as_bytes(), true).await.unwrap();
        assert_eq!(problems(&r), vec![(2, "parent_id", "unknown_parent")], "a cell outside the grant is unknown");
        let r = env.app.import_orgs(&inspector, b.id, "tc.csv", file.as_bytes(), false).await;
        assert!(matches!(r, Err(Problem::Forbidden)), "an inspector reads, does not write: {r:?}");
        assert_eq!(org_count(env).await, before);
        // Nothing is imported under a dissolved organisation, members or organisations.
        let gone = env.org(Some(&b), "Đảng bộ bộ phận cũ", OrgKind::PartialCommittee).await;
        let effective = chibo_access::domain::date::ymd(2025, 1, 1).unwrap();
        let dated = chibo_access::Dated { effective, decision: chibo_access::domain::life::Decision::default() };
        env.app.dissolve_org(&env.c, gone.id, &dated).await.unwrap();
        let file = format!("{HEADER}1,Chi bộ mới,Chi bộ trực thuộc,,,,\n");
        let r = env.app.import_orgs(&staff_b, gone.id, "tc.csv", file.as_bytes(), true).await;
        common::assert_refused(&r, "org_id", Some("org_dissolved"));
        let r = env.app.import_members(&staff_b, gone.id, "ds.csv", b"x", false).await;
        common::assert_refused(&r, "org_id", Some("org_dissolved"));
        assert_eq!(org_count(env).await, before + 1);
    })
    .await;
}

/// The same organisations file imported twice at once: its organisations are created once; the
/// other import writes nothing and names the names now taken (or is refused as a conflict).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_organisations_file_imported_twice_at_once() {
    each_engine(async |env: &Env| {
        let a = env.org(None, "Đảng bộ Xã An Bình", OrgKind::Commune).await;
        let before = org_count(env).await;
        let file = format!(
            "{HEADER}1,Chi bộ Thôn 7,Chi bộ trực thuộc,,,,\n\
             2,Chi bộ Thôn 8,Chi bộ trực thuộc,,,,\n"
        );
        let results = crate::races::twice_at_once(|| {
            let (app, v, file, root) = (env.app.clone(), env.c.clone(), file.clone(), a.id);
            async move { app.import_orgs(&v, root, "tc.csv", file.as_bytes(), true).await }
        })
        .await;
        let imported: usize = results.iter().filter_map(|r| r.as_ref().ok()).map(|r| r.imported).sum();
        assert_eq!(imported, 2, "the rows once: {results:?}");
        for r in &results {
            match r {
                Ok(report) if report.imported == 0 => {
                    assert_eq!(problems(report), [(2, "name", "name_taken"), (3, "name", "name_taken")])
                }
                Ok(_) => {}
                Err(Problem::Conflict(_)) => {}
                Err(other) => panic!("unexpected refusal: {other:?}"),
            }
        }
        assert_eq!(org_count(env).await, before + 2);
        let a_now = env.org_now(a.id).await;
        assert_eq!(a_now.stats.cells, 2, "the cell counter counts each once");
    })
    .await;
}
