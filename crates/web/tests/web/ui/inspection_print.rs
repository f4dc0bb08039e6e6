//! The inspection committee's printed forms and spreadsheets through the router, on every
//! engine: the notice of a conclusion (heading, the decision, strengths, shortcomings, the
//! conclusion, recommendations with owners and deadlines, the signature), the programme printed
//! and as `.xlsx`, the figures as `.xlsx`, a few cells read back; and who reads them: the
//! notice and the programme stay with the deciding body (and the inspected, once concluded),
//! every other role 404; the figures are counts, read by whoever may list the organisation.

use super::*;
use crate::common::Client;
use chibo_access::domain::inspection::{CaseKind, Finding};
use chibo_access::{CaseInput, ConclusionInput, ItemInput, ProgrammeInput, RecommendationInput};

fn d(s: &str) -> time::Date {
    chibo_access::domain::date::parse_iso(s).unwrap()
}

/// The commune's 2026 programme (its first cell in March), carried out by a case on that cell
/// concluded with one recommendation; the case.
async fn concluded_case(w: &World) -> Uuid {
    let c = Viewer::console();
    let item = |org: Uuid, month: u8| ItemInput {
        subject_org_id: Some(org),
        subject_member_id: None,
        content: "Thực hiện nghị quyết".into(),
        planned_month: month,
    };
    let prog = ProgrammeInput {
        year: 2026,
        kind: "inspection".into(),
        title: "Chương trình kiểm tra năm 2026".into(),
        items: vec![item(w.x1, 3), item(w.x2, 11)],
    };
    w.app.create_programme(&c, w.x, &prog).await.unwrap();
    let (_, programmes) = w.app.programmes(&c, w.x).await.unwrap();
    let input = CaseInput {
        kind: CaseKind::InspectOrg,
        mode: None,
        by_inspection: true,
        subject_org_id: Some(w.x1),
        subject_member_id: None,
        decision_number: "21-QĐ/UBKT".into(),
        decided_on: d("2026-03-02"),
        team: "Tổ kiểm tra 3 đồng chí".into(),
        content: "Việc thực hiện nghị quyết".into(),
        due_on: d("2026-04-30"),
        item_id: Some(programmes[0].items[0].0.id),
    };
    let case = w.app.decide_case(&c, w.x, &input).await.unwrap().id;
    let concl = ConclusionInput {
        on: d("2026-04-20"),
        finding: Finding::Shortcomings,
        strengths: "Chấp hành nghiêm chế độ sinh hoạt".into(),
        shortcomings: "Sổ sách chưa đầy đủ".into(),
        violations: String::new(),
        violated_on: None,
        level: None,
        grave: None,
        recommendations: vec![RecommendationInput {
            content: "Bổ sung sổ sách".into(),
            owner: "Bí thư chi bộ".into(),
            deadline: d("2026-06-30"),
        }],
    };
    w.app.conclude_case(&c, case, &concl).await.unwrap();
    case
}

/// The status and content type of `GET uri` for the client's session.
async fn head(c: &Client, uri: &str) -> (StatusCode, String) {
    let req = Request::builder()
        .uri(uri)
        .header(header::COOKIE, c.cookie.clone().unwrap_or_default())
        .body(Body::empty())
        .unwrap();
    let res = c.router.clone().oneshot(req).await.unwrap();
    let ctype = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    (res.status(), ctype)
}

fn has_row(rows: &[Vec<String>], cells: &[&str]) -> bool {
    rows.iter().any(|r| cells.iter().all(|c| r.iter().any(|x| x == c)))
}

#[tokio::test]
async fn printed_forms_and_spreadsheets() {
    for engine in engines() {
        let w = World::new(engine).await;
        let case = concluded_case(&w).await;
        let mut b = Browser::login(&w, "inspector").await;
        let page = b.get(&format!("/inspection/cases/{case}")).await;
        assert!(page.body.contains(&format!("/inspection/cases/{case}/print")), "the case links its notice");
        let print = b.get(&format!("/inspection/cases/{case}/print")).await;
        assert!(print.status == StatusCode::OK && print.content_type.starts_with("text/html"), "{}", print.body);
        for text in [
            "THÔNG BÁO KẾT LUẬN KIỂM TRA",
            "ĐẢNG BỘ PHƯỜNG HOÀN KIẾM",
            "ỦY BAN KIỂM TRA",
            "Quyết định số 21-QĐ/UBKT ngày 02/03/2026",
            "Chấp hành nghiêm chế độ sinh hoạt",
            "Sổ sách chưa đầy đủ",
            "Có khuyết điểm cần khắc phục",
            "Bổ sung sổ sách",
            "Bí thư chi bộ",
            "30/06/2026",
            "T/M ỦY BAN KIỂM TRA",
            "CHỦ NHIỆM",
            "Số 1-TB/UBKT",
            "data-print",
        ] {
            assert!(print.body.contains(text), "the notice lacks {text}: {}", print.body);
        }
        let programme = b.get(&format!("/orgs/{}/inspection/programmes/print?year=2026", w.x)).await;
        assert_eq!(programme.status, StatusCode::OK);
        for text in
            ["CHƯƠNG TRÌNH KIỂM TRA, GIÁM SÁT NĂM 2026", "Chi bộ Tổ dân phố số 2", "Đã triển khai", "Chưa triển khai"]
        {
            assert!(programme.body.contains(text), "the programme lacks {text}: {}", programme.body);
        }
        let mut ins = w.client("inspector").await;
        let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        let programme_xlsx = format!("/orgs/{}/inspection/programmes.xlsx?year=2026", w.x);
        assert_eq!(head(&ins, &programme_xlsx).await, (StatusCode::OK, xlsx.to_string()));
        let (_, rows) = ins.sheet(&programme_xlsx).await;
        assert!(has_row(&rows, &["CHƯƠNG TRÌNH KIỂM TRA, GIÁM SÁT"]), "{rows:?}");
        assert!(rows.iter().any(|r| r.iter().any(|c| c.contains("Năm 2026"))), "{rows:?}");
        assert!(has_row(&rows, &["STT", "Đối tượng", "Nội dung", "Tháng", "Tình hình"]), "{rows:?}");
        assert!(has_row(&rows, &["1", "Chi bộ Tổ dân phố số 1", "3", "Đã triển khai"]), "{rows:?}");
        assert!(has_row(&rows, &["2", "Chi bộ Tổ dân phố số 2", "11", "Chưa triển khai"]), "{rows:?}");
        let (_, other_year) = ins.sheet(&format!("/orgs/{}/inspection/programmes.xlsx?year=2025", w.x)).await;
        assert!(!has_row(&other_year, &["Chi bộ Tổ dân phố số 1"]), "{other_year:?}");
        let figures_xlsx = format!("/orgs/{}/inspection-figures.xlsx?period=year:2026", w.x);
        assert_eq!(head(&ins, &figures_xlsx).await, (StatusCode::OK, xlsx.to_string()));
        let (_, rows) = ins.sheet(&figures_xlsx).await;
        assert!(has_row(&rows, &["SỐ LIỆU KIỂM TRA, GIÁM SÁT"]), "{rows:?}");
        assert!(has_row(&rows, &["Tổng số cuộc", "1"]), "{rows:?}");
        assert!(has_row(&rows, &["Tổ chức trực thuộc được kiểm tra, giám sát", "1/2 (50%)"]), "{rows:?}");
        assert!(has_row(&rows, &["Loại", "Tổ chức", "Đảng viên", "Đang tiến hành", "Đã kết luận"]), "{rows:?}");
        assert!(has_row(&rows, &["Có khuyết điểm cần khắc phục", "1"]), "{rows:?}");
        assert!(has_row(&rows, &["Chi bộ Tổ dân phố số 1", "1", "Có"]), "{rows:?}");
        // An open case has no notice yet.
        let open = CaseInput {
            kind: CaseKind::InspectOrg,
            mode: None,
            by_inspection: true,
            subject_org_id: Some(w.x2),
            subject_member_id: None,
            decision_number: "22-QĐ/UBKT".into(),
            decided_on: d("2026-11-02"),
            team: String::new(),
            content: String::new(),
            due_on: d("2026-11-30"),
            item_id: None,
        };
        let open = w.app.decide_case(&Viewer::console(), w.x, &open).await.unwrap().id;
        assert_eq!(b.get(&format!("/inspection/cases/{open}/print")).await.status, StatusCode::NOT_FOUND);
        w.finish().await;
    }
}

/// The notice, the printed programme and its spreadsheet for every other role: 404; the cell's
/// secretary reads the notice on its cell once concluded (the inspected), not the programme;
/// the figures' spreadsheet for whoever may list the commune.
#[tokio::test]
async fn printed_forms_stay_with_the_case() {
    for engine in engines() {
        let w = World::new(engine).await;
        let case = concluded_case(&w).await;
        let x = w.x;
        let notice = format!("/inspection/cases/{case}/print");
        let private = [
            format!("/orgs/{x}/inspection/programmes/print?year=2026"),
            format!("/orgs/{x}/inspection/programmes.xlsx?year=2026"),
        ];
        let figures = format!("/orgs/{x}/inspection-figures.xlsx?period=year:2026");
        for role in ["admin", "staff", "secretary", "member", "staff_y"] {
            let c = w.client(role).await;
            let inspected = role == "secretary";
            let (status, _) = head(&c, &notice).await;
            let expected = if inspected { StatusCode::OK } else { StatusCode::NOT_FOUND };
            assert_eq!(status, expected, "{role} GET {notice}");
            for uri in &private {
                assert_eq!(head(&c, uri).await.0, StatusCode::NOT_FOUND, "{role} GET {uri}");
            }
            let reads = matches!(role, "admin" | "staff");
            assert_eq!(head(&c, &figures).await.0.is_success(), reads, "{role} GET {figures}");
        }
        let ins = w.client("inspector").await;
        for uri in std::iter::once(&notice).chain(&private).chain([&figures]) {
            assert_eq!(head(&ins, uri).await.0, StatusCode::OK, "inspector GET {uri}");
        }
        w.finish().await;
    }
}
