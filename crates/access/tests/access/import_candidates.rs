//! The admission candidates from a spreadsheet, on every engine: a file with every kind of
//! mistake gives exactly the expected errors and writes nothing; a good file opens every case
//! with one audit entry; export → import into an empty database gives the same dossiers; an
//! import reaches only the importer's subtree.

use crate::common;

use crate::import::{below_title, empty_commune, problems};
use chibo_access::domain::access::Role;
use chibo_access::domain::life::{CandidateInput, CandidateState, IntroducerInput};
use chibo_access::domain::member::Gender;
use chibo_access::domain::org::OrgKind;
use chibo_access::{Org, Problem, Viewer};
use chibo_store::{audit, candidates};
use common::{Env, Person, each_engine, member_input};
use time::macros::date;
use uuid::Uuid;

const HEADER: &str = "STT,Họ và tên,Ngày sinh,Giới tính,Dân tộc,Số CCCD,Chi bộ,Ngày làm đơn xin vào Đảng,\
                      Người giới thiệu 1,Người giới thiệu 1 cùng công tác từ ngày,\
                      Người giới thiệu 2,Người giới thiệu 2 cùng công tác từ ngày,Ghi chú\n";

/// Two introducers of "Chi bộ Thôn 1" as a row writes them: by card number and by name.
const INTRODUCERS: &str = "90000001,01/01/2024,Nguyễn Văn Hai,01/01/2024";

struct World {
    a: Org,
    c1: Org,
    b: Org,
    /// The official members of "Chi bộ Thôn 1" introducing by default.
    introducers: [Uuid; 2],
}

/// The commune "Xã An Bình" (cells Thôn 1 and Thôn 2, with members) and "Xã Khác" (Thôn 9).
async fn world(env: &Env) -> World {
    let a = env.org(None, "Đảng bộ Xã An Bình", OrgKind::Commune).await;
    let c1 = env.org(Some(&a), "Chi bộ Thôn 1", OrgKind::SubordinateCell).await;
    let c2 = env.org(Some(&a), "Chi bộ Thôn 2", OrgKind::SubordinateCell).await;
    let b = env.org(None, "Đảng bộ Xã Khác", OrgKind::Commune).await;
    env.org(Some(&b), "Chi bộ Thôn 9", OrgKind::SubordinateCell).await;
    let mut ids = Vec::new();
    for (given, cell, p, card, cccd) in [
        ("Một", &c1, Person::official(date!(2010 - 01 - 01)), Some("90000001"), Some("001080001111")),
        ("Hai", &c1, Person::official(date!(2012 - 01 - 01)), Some("90000002"), None),
        ("Ba", &c2, Person::official(date!(2012 - 01 - 01)), Some("90000003"), None),
        ("Tư", &c1, Person::official(date!(2012 - 01 - 01)), None, None),
        ("Tư", &c1, Person::official(date!(2013 - 01 - 01)), None, None),
        ("Năm", &c1, Person::probationary(date!(2026 - 06 - 01)), None, None),
    ] {
        let mut m = member_input(given, cell.id, p);
        m.profile.party_card_number = card.map(str::to_string);
        m.profile.citizen_id = cccd.map(str::to_string);
        ids.push(env.app.create_member(&env.c, m).await.unwrap().member.id);
    }
    World { a, c1, b, introducers: [ids[0], ids[1]] }
}

fn dossier(cell: Uuid, introducers: [Uuid; 2], citizen_id: &str) -> CandidateInput {
    CandidateInput {
        org_id: cell,
        family_name: "Lò".into(),
        middle_name: "Văn".into(),
        given_name: "Pá".into(),
        birth_date: date!(2000 - 05 - 01),
        gender: Gender::Male,
        ethnicity_code: 3,
        citizen_id: Some(citizen_id.into()),
        course_certificate_on: Some(date!(2026 - 03 - 01)),
        application_on: date!(2026 - 04 - 01),
        introducers: introducers
            .iter()
            .map(|id| IntroducerInput { member_id: *id, known_since: Some(date!(2024 - 01 - 01)) })
            .collect(),
        youth_union_resolution_on: None,
        cell_resolution_on: Some(date!(2026 - 06 - 02)),
        cell_votes_for: Some(4),
        cell_vote_base: Some(4),
        base_resolution_on: None,
        decision_on: None,
        age_exception_approved: false,
    }
}

async fn open_cases(env: &Env, org: &Org) -> Vec<chibo_access::Candidate> {
    let mut c = env.db.pools.read().await.unwrap();
    candidates::in_subtree(&mut c, &org.path, CandidateState::Open).await.unwrap()
}

#[tokio::test]
async fn a_candidates_file_with_every_mistake_writes_nothing() {
    each_engine(async |env: &Env| {
        let w = world(env).await;
        env.app.create_candidate(&env.c, dossier(w.c1.id, w.introducers, "001200009999")).await.unwrap();
        let before = open_cases(env, &w.a).await.len();
        let file = format!(
            "{HEADER}\
             1,Lò Văn Một,01/05/2000,Nam,Thái,00120000123,Chi bộ Thôn 1,01/09/2026,{INTRODUCERS},bad CCCD\n\
             2,Lò Văn Hai,31/02/2000,Nam,Thái,,Chi bộ Thôn 1,01/09/2026,{INTRODUCERS},31/02\n\
             3,Lò Văn Ba,01/05/2000,Nam,Thái,,Chi bộ Thôn 9,01/09/2026,{INTRODUCERS},cell of another commune\n\
             4,Lò Văn Bốn,01/05/2000,Nam,Thái,,Chi bộ Thôn 1,01/09/2026,Nguyễn Văn Không,01/01/2024,90000002,01/01/2024,unknown introducer\n\
             5,Lò Văn Năm,01/05/2000,Nam,Thái,,Chi bộ Thôn 1,01/09/2026,90000001,01/01/2024,90000003,01/01/2024,introducer of Thôn 2\n\
             6,Lò Văn Sáu,01/05/2000,Nam,Thái,001200005555,chi bo thon 1,01/09/2026,{INTRODUCERS},first\n\
             7,Lò Văn Bảy,01/05/2000,Nam,Thái,001200005555,Chi bộ Thôn 1,01/09/2026,{INTRODUCERS},twice in file\n\
             8,Lò Văn Tám,01/02/1980,Nam,Thái,001080001111,Chi bộ Thôn 1,01/09/2026,{INTRODUCERS},a member's\n\
             9,Lò Văn Chín,01/05/2000,Nam,Thái,001200009999,Chi bộ Thôn 1,01/09/2026,{INTRODUCERS},a candidate's\n\
             10,Lò Văn Mười,01/05/2000,,Thái,,Chi bộ Thôn 1,01/09/2026,{INTRODUCERS},no gender\n\
             11,Lò Văn Mươi,01/05/2000,Nam,Thái,,Chi bộ Thôn 1,,{INTRODUCERS},no application date\n\
             12,Lò Văn Tư,01/05/2000,Nam,Thái,,Chi bộ Thôn 1,01/09/2026,Nguyễn Văn Tư,01/01/2024,90000002,01/01/2024,two of that name\n\
             13,Lò Văn Mốt,01/05/2000,Nam,Thái,,Chi bộ Thôn 1,01/09/2026,90000001,01/01/2024,Nguyễn Văn Năm,01/01/2024,probationary\n\
             14,Lò Văn Lăm,01/05/2000,Nam,Klingon,,Chi bộ Thôn 1,01/09/2026,{INTRODUCERS},unknown ethnicity\n\
             ,,,,,,,,,,,,\n"
        );
        for commit in [false, true] {
            let r = env.app.import_candidates(&env.c, w.a.id, "qc.csv", file.as_bytes(), commit).await.unwrap();
            assert_eq!((r.header_row, r.rows), (Some(1), 14), "the blank row is skipped");
            assert_eq!(r.ignored_columns, vec!["Ghi chú".to_string()]);
            assert_eq!(
                problems(&r),
                vec![
                    (2, "citizen_id", "cccd_format"),
                    (3, "birth_date", "bad_value"),
                    (4, "org_id", "unknown_cell"),
                    (5, "introducers.0.member_id", "unknown_introducer"),
                    (6, "introducers.1.member_id", "introducer_not_in_cell"),
                    (8, "citizen_id", "duplicate_in_file"),
                    (9, "citizen_id", "duplicate"),
                    (10, "citizen_id", "candidate_duplicate"),
                    (11, "gender", "required"),
                    (12, "application_on", "required"),
                    (13, "introducers.0.member_id", "ambiguous_introducer"),
                    (14, "introducers", "introducer_not_official"),
                    (15, "ethnicity_code", "unknown_ethnicity"),
                ],
                "commit: {commit}"
            );
            let column = |row: usize| r.errors.iter().find(|p| p.row == row).and_then(|p| p.column.as_deref());
            assert_eq!(column(3), Some("Ngày sinh"), "named by the file's own header");
            assert_eq!(column(6), Some("Người giới thiệu 2"));
            assert_eq!(r.imported, 0);
            assert_eq!(open_cases(env, &w.a).await.len(), before, "nothing written");
        }
        let r = env.app.import_candidates(&env.c, w.a.id, "qc.csv", file.as_bytes(), false).await.unwrap();
        let sheet = env.app.import_error_sheet("qc.csv", file.as_bytes(), &r).await.unwrap();
        let mut rows = Vec::new();
        chibo_sheets::read(&sheet, "errors.xlsx", |row| rows.push(row)).unwrap();
        let last = rows[4].len() - 1;
        let error_of = |i: usize| rows[i].get(last).map(|c| c.text()).unwrap_or_default();
        assert!(error_of(8).starts_with("Người giới thiệu 1: Không có đảng viên"), "{}", error_of(8));
        assert_eq!(error_of(10), "", "row 6 (first of the twins) has no error");
    })
    .await;
}

#[tokio::test]
async fn a_good_candidates_file_opens_every_case() {
    each_engine(async |env: &Env| {
        let w = world(env).await;
        // A title block above the headers, names in three columns, every step of a dossier.
        let file = "Danh sách quần chúng ưu tú;;;;\n\n\
                    Họ;Tên đệm;Tên;Ngày sinh;Giới tính;Số CCCD;Chi bộ;Ngày làm đơn;Người giới thiệu thứ nhất;\
                    Người giới thiệu 1 cùng công tác từ;Người giới thiệu thứ hai;Người giới thiệu 2 cùng công tác từ;\
                    Lớp cảm tình Đảng;Ngày chi bộ đề nghị kết nạp;Số phiếu tán thành;Số đảng viên chính thức\n\
                    Hà;Thị;Ơn;07/01/2001;Nữ;001301001234;Chi bộ Thôn 1;01/04/2026;90000001;01/01/2024;\
                    nguyễn văn hai;01/01/2024;01/03/2026;02/06/2026;4;4\n\
                    Vàng;A;Páo;37000;nam;;CHI BỘ THÔN 1;02/09/2026;001080001111;01/01/2024;90000002;01/01/2024;;;;\n\
                    Đỗ;;Bình;01.02.2003;Nam;;Chi bộ Thôn 1;03/09/2026;Nguyễn Văn Hai;01/01/2024;Nguyễn Văn Một;01/01/2024;;;;\n";
        let dry = env.app.import_candidates(&env.c, w.a.id, "qc.csv", file.as_bytes(), false).await.unwrap();
        assert!(dry.is_clean(), "{:?}", dry.errors);
        assert_eq!((dry.header_row, dry.rows, dry.imported), (Some(3), 3, 0));
        assert!(open_cases(env, &w.a).await.is_empty());
        let r = env.app.import_candidates(&env.c, w.a.id, "qc.csv", file.as_bytes(), true).await.unwrap();
        assert!(r.is_clean(), "{:?}", r.errors);
        assert_eq!(r.imported, 3);
        let cases = open_cases(env, &w.a).await;
        assert_eq!(cases.len(), 3);
        assert!(cases.iter().all(|c| c.input.org_id == w.c1.id && c.input.introducers.len() == 2));
        let on = cases.iter().find(|c| c.input.given_name == "Ơn").expect("Hà Thị Ơn");
        assert_eq!(on.input.introducers.iter().map(|i| i.member_id).collect::<Vec<_>>(), w.introducers);
        assert_eq!((on.input.cell_votes_for, on.input.cell_resolution_on), (Some(4), Some(date!(2026 - 06 - 02))));
        let mut c = env.db.pools.read().await.unwrap();
        let entries = audit::list(&mut c, audit::Scope::All, None, 50).await.unwrap();
        let imports: Vec<_> = entries.iter().filter(|e| e.action == "candidate.import").collect();
        assert_eq!(imports.len(), 1, "one audit entry for the file");
        assert!(format!("{:?}", imports[0]).contains("qc.csv"));
        assert!(!entries.iter().any(|e| e.action == "candidate.create"), "no entry per candidate");
        drop(c);
        // The same file again: the citizen ID is a candidate's now.
        let again = env.app.import_candidates(&env.c, w.a.id, "qc.csv", file.as_bytes(), true).await.unwrap();
        assert_eq!(problems(&again), vec![(4, "citizen_id", "candidate_duplicate")]);
        assert_eq!(open_cases(env, &w.a).await.len(), 3);
    })
    .await;
}

#[tokio::test]
async fn export_then_import_into_an_empty_database_gives_the_same_dossiers() {
    each_engine(async |env: &Env| {
        let w = world(env).await;
        env.app.create_candidate(&env.c, dossier(w.c1.id, w.introducers, "001200009999")).await.unwrap();
        let mut second = dossier(w.c1.id, w.introducers, "001301001234");
        (second.given_name, second.gender, second.birth_date) = ("Ơn".into(), Gender::Female, date!(2001 - 01 - 07));
        (second.cell_resolution_on, second.cell_votes_for, second.cell_vote_base) = (None, None, None);
        env.app.create_candidate(&env.c, second).await.unwrap();
        let members = env.app.export_members(&env.c, w.a.id).await.unwrap();
        let first = env.app.export_candidates(&env.c, w.a.id).await.unwrap();

        let (fresh, app, a2) = empty_commune(env).await;
        let console = Viewer::console();
        let m = app.import_members(&console, a2.id, "dv.xlsx", &members, true).await.unwrap();
        assert!(m.is_clean(), "{:?}", m.errors);
        let r = app.import_candidates(&console, a2.id, "qc.xlsx", &first, true).await.unwrap();
        assert!(r.is_clean(), "{:?}", r.errors);
        assert_eq!((r.header_row, r.imported), (Some(5), 2));
        let again = app.export_candidates(&console, a2.id).await.unwrap();
        assert_eq!(below_title(&first), below_title(&again), "the same dossiers, field for field");
        assert_eq!(below_title(&first).len(), 4, "a blank row, the header and two rows");
        fresh.drop_db().await;
    })
    .await;
}

#[tokio::test]
async fn a_candidates_import_reaches_only_the_importers_subtree() {
    each_engine(async |env: &Env| {
        let w = world(env).await;
        let staff_b = env.user(Role::Staff, &w.b).await;
        let inspector = env.user(Role::Inspector, &w.a).await;
        let file = format!("{HEADER}1,Lò Văn Một,01/05/2000,Nam,Thái,,Chi bộ Thôn 1,01/09/2026,{INTRODUCERS},\n");
        let r = env.app.import_candidates(&staff_b, w.a.id, "qc.csv", file.as_bytes(), true).await;
        assert!(matches!(r, Err(Problem::NotFound)), "another commune is not even there: {r:?}");
        let r = env.app.import_candidates(&staff_b, w.b.id, "qc.csv", file.as_bytes(), true).await.unwrap();
        assert_eq!(problems(&r), vec![(2, "org_id", "unknown_cell")], "a cell outside the grant is unknown");
        let r = env.app.import_candidates(&inspector, w.a.id, "qc.csv", file.as_bytes(), false).await;
        assert!(matches!(r, Err(Problem::Forbidden)), "an inspector reads, does not write: {r:?}");
        let export = env.app.export_candidates(&staff_b, w.a.id).await;
        assert!(matches!(export, Err(Problem::NotFound)));
        assert!(open_cases(env, &w.a).await.is_empty());
    })
    .await;
}

/// The same candidates file imported twice at once: its cases are opened once; the other
/// import writes nothing and names the citizen IDs now held (or is refused on the field).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_candidates_file_imported_twice_at_once() {
    each_engine(async |env: &Env| {
        let w = world(env).await;
        let file = format!(
            "{HEADER}1,Lò Văn Pá,01/05/2000,Nam,Thái,001200054321,Chi bộ Thôn 1,01/09/2026,{INTRODUCERS},\n\
             2,Hà Thị Ơn,07/01/2001,Nữ,Kinh,001301054321,Chi bộ Thôn 1,02/09/2026,{INTRODUCERS},\n"
        );
        let results = crate::races::twice_at_once(|| {
            let (app, v, file, root) = (env.app.clone(), env.c.clone(), file.clone(), w.a.id);
            async move { app.import_candidates(&v, root, "qc.csv", file.as_bytes(), true).await }
        })
        .await;
        let imported: usize = results.iter().filter_map(|r| r.as_ref().ok()).map(|r| r.imported).sum();
        assert_eq!(imported, 2, "the rows once: {results:?}");
        for r in &results {
            match r {
                Ok(report) if report.imported == 0 => {
                    assert_eq!(
                        problems(report),
                        [(2, "citizen_id", "candidate_duplicate"), (3, "citizen_id", "candidate_duplicate")]
                    )
                }
                Ok(_) => {}
                Err(Problem::Conflict(e)) => assert_eq!(e.field, "citizen_id"),
                Err(other) => panic!("unexpected refusal: {other:?}"),
            }
        }
        assert_eq!(open_cases(env, &w.a).await.len(), 2);
    })
    .await;
}
