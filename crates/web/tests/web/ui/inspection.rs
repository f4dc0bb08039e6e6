//! Inspection through the router, on every engine: the inspector's home links to the work, a
//! case decided with the form (refused first, the error on the page), its steps and conclusion
//! on the case page, the figures with coverage and both spreadsheets; and every inspection
//! route stays inside the grant: a case is seen by the deciding body only (administrators,
//! staff, the cell's secretary and the member before the conclusion, another commune: 404).

use crate::common;

use axum::http::StatusCode;
use chibo_access::domain::inspection::CaseKind;
use chibo_store::testing::engines;
use chibo_web::ui::qs;
use common::{Client, World};

/// The id of the first item in an edit form (its hidden `items.0.id`).
fn page_item_id(page: &str) -> String {
    let at = page.find("name=\"items.0.id\"").expect("the first item's id");
    let rest = &page[at..];
    let v = rest.find("value=\"").expect("its value") + 7;
    rest[v..v + 36].to_string()
}

async fn post(c: &mut Client, uri: &str, pairs: &[(&str, &str)]) -> (StatusCode, String) {
    let mut all = vec![("csrf".to_string(), c.csrf.clone().unwrap_or_default())];
    all.extend(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let body = all.iter().map(|(k, v)| format!("{}={}", qs(k), qs(v))).collect::<Vec<_>>().join("&");
    c.raw("POST", uri, Some(body), "application/x-www-form-urlencoded").await
}

#[tokio::test]
async fn a_case_through_the_pages() {
    for engine in engines() {
        let w = World::new(engine).await;
        let mut ins = w.client("inspector").await;
        let (status, home) = ins.call("GET", "/", None).await;
        assert!(status == StatusCode::OK && home.contains(&format!("/orgs/{}/inspection", w.x)), "{home}");
        let hub = format!("/orgs/{}/inspection", w.x);
        // The organisation's page links its inspection work for the body, not for staff.
        let (_, org_page) = ins.call("GET", &format!("/orgs/{}", w.x), None).await;
        assert!(org_page.contains(&format!("href=\"{hub}\"")), "{org_page}");
        let mut staff = w.client("staff").await;
        let (_, org_page) = staff.call("GET", &format!("/orgs/{}", w.x), None).await;
        assert!(!org_page.contains("inspection-link"), "staff is not an inspection body");
        let figures = format!("/orgs/{}/inspection-figures?period=year:", w.x);
        assert!(org_page.contains(&figures), "whoever lists the organisation reads its figures: {org_page}");
        let mut secretary = w.client("secretary").await;
        let (_, home) = secretary.call("GET", "/", None).await;
        assert!(home.contains(&format!("/orgs/{}/inspection", w.x1)), "the secretary's cell links its inspection work");
        let (status, page) = ins.call("GET", &hub, None).await;
        assert!(status == StatusCode::OK && page.contains("Công tác kiểm tra, giám sát"), "{page}");
        let x1 = w.x1.to_string();
        let decide = format!("{hub}/cases");
        let fields = [
            ("kind", "inspect_org"),
            ("subject_org_id", x1.as_str()),
            ("by_inspection", "on"),
            ("decided_on", "02/11/2026"),
            ("due_on", "30/11/2026"),
        ];
        let (status, page) = post(&mut ins, &decide, &fields).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("Số quyết định"), "{page}");
        let (status, _) = post(&mut ins, &decide, &[&fields[..], &[("decision_number", "05-QĐ/UBKT")]].concat()).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, list) = ins.call("GET", &format!("/api/v1/orgs/{}/inspection/cases", w.x), None).await;
        let list: serde_json::Value = serde_json::from_str(&list).unwrap();
        let case = format!("/inspection/cases/{}", list["items"][0]["id"].as_str().unwrap());
        let (status, page) = ins.call("GET", &case, None).await;
        assert!(status == StatusCode::OK && page.contains("05-QĐ/UBKT") && page.contains("Ghi một bước"), "{page}");
        let (status, page) =
            post(&mut ins, &format!("{case}/steps"), &[("step", "announcement"), ("on", "01/11/2026")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "before the decision");
        assert!(page.contains("02/11/2026"), "{page}");
        let (status, _) =
            post(&mut ins, &format!("{case}/steps"), &[("step", "announcement"), ("on", "04/11/2026")]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let concl = [
            ("on", "20/11/2026"),
            ("finding", "shortcomings"),
            ("shortcomings", "Sổ sách chưa đầy đủ"),
            ("recommendations.0.content", "Bổ sung sổ sách"),
            ("recommendations.0.deadline", "30/12/2026"),
        ];
        let (status, _) = post(&mut ins, &format!("{case}/conclusion"), &concl).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, page) = ins.call("GET", &case, None).await;
        assert!(page.contains("Sổ sách chưa đầy đủ") && page.contains("Bổ sung sổ sách"), "{page}");
        let figures = format!("/orgs/{}/inspection-figures?period=year:2026", w.x);
        let (status, page) = ins.call("GET", &figures, None).await;
        assert!(status == StatusCode::OK && page.contains("Tỷ lệ bao phủ") && page.contains("1/2 (50%)"), "{page}");
        let (status, page) = ins.call("GET", &format!("/orgs/{}/inspection-figures?period=term", w.x), None).await;
        assert!(status == StatusCode::OK && page.contains("Nhiệm kỳ từ 01/07/2025"), "{page}");
        let (_, sheet) =
            ins.call("GET", &format!("/orgs/{}/inspection-figures.xlsx?period=year:2026", w.x), None).await;
        assert!(sheet.starts_with("PK"), "an .xlsx file");
        let (_, sheet) = ins.call("GET", &format!("{hub}/programmes.xlsx"), None).await;
        assert!(sheet.starts_with("PK"), "an .xlsx file");
        w.finish().await;
    }
}

/// Every inspection route, for every other role: not found (nothing revealed); the inspector
/// of the deciding organisation succeeds.
#[tokio::test]
async fn inspection_routes_stay_inside_the_grant() {
    use serde_json::json;
    for engine in engines() {
        let w = World::new(engine).await;
        let c = chibo_access::Viewer::console();
        let d = |s: &str| chibo_access::domain::date::parse_iso(s).unwrap();
        let input = chibo_access::CaseInput {
            kind: CaseKind::InspectMemberSigns,
            mode: None,
            by_inspection: true,
            subject_org_id: None,
            subject_member_id: Some(w.m1),
            decision_number: "07-QĐ/UBKT".into(),
            decided_on: d("2026-11-02"),
            team: String::new(),
            content: "Bí Mật Vụ Việc".into(),
            due_on: d("2026-11-30"),
            item_id: None,
        };
        let case = w.app.decide_case(&c, w.x, &input).await.unwrap().id;
        let x = w.x;
        let programme = chibo_access::ProgrammeInput {
            year: 2026,
            kind: "supervision".into(),
            title: "Chương trình giám sát".into(),
            items: vec![chibo_access::ItemInput {
                subject_org_id: Some(w.x2),
                subject_member_id: None,
                content: "Bí Mật Vụ Việc".into(),
                planned_month: 5,
            }],
        };
        let pid = w.app.create_programme(&c, x, &programme).await.unwrap().id;
        let edit_page = format!("/orgs/{x}/inspection/programmes/{pid}/edit");
        let edit_post = format!("/orgs/{x}/inspection/programmes/{pid}");
        let edit_api = format!("/api/v1/inspection/programmes/{pid}");
        let body = json!({"step": "announcement", "on": "2026-11-03", "finding": "good", "form": "reprimand",
            "members": 5, "decision_number": "1", "decided_on": "2026-11-03", "received_on": "2026-11-03",
            "filed_on": "2026-11-04", "outcome": "upheld", "answer_number": "1", "answered_on": "2026-11-05",
            "text": "x", "year": 2026, "kind": "inspection", "title": "x", "items": [], "due_on": "2026-11-30"});
        let case_reads = [format!("/api/v1/inspection/cases/{case}"), format!("/inspection/cases/{case}")];
        let org_reads = [
            format!("/api/v1/orgs/{x}/inspection/programmes"),
            format!("/api/v1/orgs/{x}/inspection/cases"),
            format!("/api/v1/orgs/{x}/inspection/work"),
            format!("/orgs/{x}/inspection"),
        ];
        let writes = [
            format!("/api/v1/orgs/{x}/inspection/programmes"),
            format!("/api/v1/orgs/{x}/inspection/cases"),
            format!("/api/v1/inspection/cases/{case}/steps"),
            format!("/api/v1/inspection/cases/{case}/conclusion"),
            format!("/api/v1/inspection/cases/{case}/discipline"),
            format!("/api/v1/inspection/cases/{case}/self-review"),
            format!("/api/v1/inspection/cases/{case}/discipline/decision"),
            format!("/api/v1/inspection/cases/{case}/appeal"),
            format!("/api/v1/inspection/cases/{case}/appeal/answer"),
            format!("/api/v1/inspection/recommendations/{case}"),
        ];
        for role in ["admin", "staff", "secretary", "member", "staff_y"] {
            let mut cl = w.client(role).await;
            for uri in case_reads.iter().chain(&org_reads) {
                let (status, text) = cl.call("GET", uri, None).await;
                assert_eq!(status, StatusCode::NOT_FOUND, "{role} GET {uri}: {text}");
                assert!(!text.contains("Bí Mật Vụ Việc"), "{role} GET {uri} leaks the case");
            }
            for uri in &writes {
                let (status, text) = cl.call("POST", uri, Some(body.clone())).await;
                assert!(matches!(status.as_u16(), 404 | 422), "{role} POST {uri}: {status} {text}");
            }
            let (status, text) = cl.call("GET", &edit_page, None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{role} GET {edit_page}: {text}");
            let (status, text) = post(&mut cl, &edit_post, &[("title", "x"), ("version", "1")]).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{role} POST {edit_post}: {text}");
            let (status, text) =
                cl.call("PUT", &edit_api, Some(json!({"title": "x", "items": [], "version": 1}))).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{role} PUT {edit_api}: {text}");
            // The figures are counts: whoever may list the organisation reads them.
            let (status, _) = cl.call("GET", &format!("/api/v1/orgs/{x}/inspection/figures"), None).await;
            let reads = matches!(role, "admin" | "staff");
            assert_eq!(status.is_success(), reads, "{role} figures: {status}");
        }
        let mut ins = w.client("inspector").await;
        for uri in case_reads.iter().chain(&org_reads) {
            let (status, text) = ins.call("GET", uri, None).await;
            assert_eq!(status, StatusCode::OK, "inspector GET {uri}: {text}");
        }
        // The deciding body edits the programme: the item moves to June, a member added by name.
        let (status, page) = ins.call("GET", &edit_page, None).await;
        assert!(status == StatusCode::OK && page.contains("items.0.subject_member_id"), "{page}");
        let (item, m1, x2) = (page_item_id(&page), w.m1.to_string(), w.x2.to_string());
        let fields = [
            ("title", "Chương trình giám sát (điều chỉnh)"),
            ("version", "1"),
            ("items.0.id", item.as_str()),
            ("items.0.subject_org_id", x2.as_str()),
            ("items.0.planned_month", "6"),
            ("items.0.content", "Bí Mật Vụ Việc"),
            ("items.1.subject_member_id", m1.as_str()),
            ("items.1.planned_month", "13"),
            ("items.1.content", "Kê khai tài sản"),
        ];
        let (status, page) = post(&mut ins, &edit_post, &fields).await;
        assert!(status == StatusCode::UNPROCESSABLE_ENTITY && page.contains("Tháng"), "{status} {page}");
        let fields: Vec<_> =
            fields.iter().map(|(k, v)| (*k, if *k == "items.1.planned_month" { "9" } else { *v })).collect();
        let (status, _) = post(&mut ins, &edit_post, &fields).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, hub) = ins.call("GET", &format!("/orgs/{x}/inspection"), None).await;
        assert!(hub.contains("Chương trình giám sát (điều chỉnh)") && hub.contains("Kê khai tài sản"), "{hub}");
        assert!(hub.contains(&edit_page), "the hub links the edit: {hub}");
        let (status, text) = ins.call("PUT", &edit_api, Some(json!({"title": "y", "items": [], "version": 1}))).await;
        assert_eq!(status, StatusCode::CONFLICT, "a stale version: {text}");
        w.finish().await;
    }
}

/// A cell disciplined by the commune's inspection committee: the cell's page shows the dated
/// discipline in its history to whoever reads the cell; nothing of the case's content.
#[tokio::test]
async fn an_organisations_discipline_on_its_page() {
    use chibo_access::domain::inspection::{Finding, Penalty};
    use chibo_access::{CaseInput, ConclusionInput, DisciplineInput, ProposalInput, Viewer};
    let d = |s: &str| chibo_access::domain::date::parse_iso(s).unwrap();
    for engine in engines() {
        let w = World::new(engine).await;
        let c = Viewer::console();
        let input = CaseInput {
            kind: CaseKind::InspectOrgSigns,
            mode: None,
            by_inspection: true,
            subject_org_id: Some(w.x1),
            subject_member_id: None,
            decision_number: "31-QĐ/UBKT".into(),
            decided_on: d("2026-03-02"),
            team: String::new(),
            content: "Nội dung mật của cuộc kiểm tra".into(),
            due_on: d("2026-04-30"),
            item_id: None,
        };
        let case = w.app.decide_case(&c, w.x, &input).await.unwrap().id;
        let conclusion = ConclusionInput {
            on: d("2026-04-20"),
            finding: Finding::DisciplineWarranted,
            strengths: String::new(),
            shortcomings: String::new(),
            violations: "Buông lỏng lãnh đạo".into(),
            violated_on: Some(d("2025-11-01")),
            level: Some(Penalty::Warning),
            grave: None,
            recommendations: Vec::new(),
        };
        w.app.conclude_case(&c, case, &conclusion).await.unwrap();
        let proposal = ProposalInput { form: Penalty::Warning, on: d("2026-05-04"), reason: String::new() };
        w.app.propose_discipline(&c, case, &proposal).await.unwrap();
        let ballot = DisciplineInput {
            members: 5,
            votes: vec![(Penalty::Warning, 3)],
            votes_none: 2,
            decision_number: "12-QĐ/UBKT".into(),
            decided_on: d("2026-05-20"),
            received_on: d("2026-05-22"),
        };
        w.app.decide_discipline(&c, case, &ballot).await.unwrap();
        let mut staff = w.client("staff").await;
        let (status, page) = staff.call("GET", &format!("/orgs/{}", w.x1), None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Lịch sử tổ chức") && page.contains("20/05/2026"), "{page}");
        assert!(page.contains("Kỷ luật: Cảnh cáo (12-QĐ/UBKT, Đảng bộ Phường Hoàn Kiếm)"), "{page}");
        assert!(!page.contains("Nội dung mật"), "the case's content stays with the case");
        w.finish().await;
    }
}
