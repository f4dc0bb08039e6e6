//! A case's documents through the router, on every engine: attached with the page's form (the
//! CSRF field in the multipart body, a refused type shown on the page), listed and downloaded,
//! refused once the case is concluded; and kept inside the case: every other role gets 404 on
//! the list, the download and the writes, the inspected reads them once the case is concluded.

use super::*;
use chibo_access::domain::inspection::{CaseKind, Finding};

/// A case on the member `m1` decided by the commune's inspection committee, still open.
async fn open_case(w: &World) -> Uuid {
    let d = |s: &str| chibo_access::domain::date::parse_iso(s).unwrap();
    let input = chibo_access::CaseInput {
        kind: CaseKind::InspectMemberSigns,
        mode: None,
        by_inspection: true,
        subject_org_id: None,
        subject_member_id: Some(w.m1),
        decision_number: "11-QĐ/UBKT".into(),
        decided_on: d("2026-11-02"),
        team: String::new(),
        content: "Bí Mật Vụ Việc".into(),
        due_on: d("2026-11-30"),
        item_id: None,
    };
    w.app.decide_case(&Viewer::console(), w.x, &input).await.unwrap().id
}

async fn conclude(w: &World, case: Uuid) {
    let input = chibo_access::ConclusionInput {
        on: chibo_access::domain::date::parse_iso("2026-11-20").unwrap(),
        finding: Finding::Good,
        strengths: String::new(),
        shortcomings: String::new(),
        violations: String::new(),
        violated_on: None,
        level: None,
        grave: None,
        recommendations: Vec::new(),
    };
    w.app.conclude_case(&Viewer::console(), case, &input).await.unwrap();
}

#[tokio::test]
async fn case_documents_through_the_page() {
    for engine in engines() {
        let w = World::new(engine).await;
        let case = open_case(&w).await;
        let page_uri = format!("/inspection/cases/{case}");
        let mut b = Browser::login(&w, "inspector").await;
        let page = b.get(&page_uri).await;
        assert!(page.body.contains("enctype=\"multipart/form-data\""), "{}", page.body);
        let upload = format!("{page_uri}/documents");
        let refused = b.upload(&upload, "virus.exe", "MZ").await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("chỉ nhận PDF"), "{}", refused.body);
        let done = b.upload(&upload, "Biên bản xác minh.txt", "Nội dung xác minh").await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let page = b.get(&page_uri).await;
        assert!(page.body.contains("Biên bản xác minh.txt"), "{}", page.body);
        let docs = w.app.case_documents(&Viewer::console(), case).await.unwrap();
        let href = format!("/inspection/documents/{}", docs[0].id);
        let file = b.get(&href).await;
        assert!(file.status == StatusCode::OK && file.content_type.starts_with("text/plain"), "{}", file.content_type);
        assert_eq!(file.body, "Nội dung xác minh");
        // Without the page's token nothing is written.
        b.csrf = "forged".into();
        assert_eq!(b.upload(&upload, "b.txt", "x").await.status, StatusCode::FORBIDDEN);
        // Once concluded the file stays, and nothing is added or removed.
        conclude(&w, case).await;
        let page = b.get(&page_uri).await;
        assert!(page.body.contains("Biên bản xác minh.txt") && !page.body.contains("multipart/form-data"));
        let again = b.upload(&upload, "c.txt", "x").await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
        let removed = b.post(&format!("{href}/delete"), &[("case_id", &case.to_string())]).await;
        assert_eq!(removed.status, StatusCode::CONFLICT, "{}", removed.body);
        assert!(removed.body.contains("đã kết luận"), "{}", removed.body);
        assert_eq!(w.app.case_documents(&Viewer::console(), case).await.unwrap().len(), 1);
        w.finish().await;
    }
}

/// The list, the download and the writes of a case's documents, for every other role: 404
/// (the API and the page alike); the inspected member reads them once the case is concluded.
#[tokio::test]
async fn case_documents_stay_inside_the_case() {
    for engine in engines() {
        let w = World::new(engine).await;
        let case = open_case(&w).await;
        let mut ins = w.client("inspector").await;
        let list = format!("/api/v1/inspection/cases/{case}/documents");
        let (status, text) =
            ins.raw("POST", &format!("{list}?file_name=bi-mat.txt"), Some("Bí Mật Vụ Việc".into()), "text/plain").await;
        assert_eq!(status, StatusCode::CREATED, "{text}");
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        let doc = doc["id"].as_str().unwrap().to_string();
        let reads =
            [list.clone(), format!("/api/v1/inspection/documents/{doc}"), format!("/inspection/documents/{doc}")];
        let check_outside = async |roles: &[&str]| {
            for role in roles {
                let mut c = w.client(role).await;
                for uri in &reads {
                    let (status, text) = c.call("GET", uri, None).await;
                    assert_eq!(status, StatusCode::NOT_FOUND, "{role} GET {uri}: {text}");
                    assert!(!text.contains("Bí Mật Vụ Việc") && !text.contains("bi-mat"), "{role} GET {uri} leaks");
                }
                let (status, _) =
                    c.raw("POST", &format!("{list}?file_name=x.txt"), Some("x".into()), "text/plain").await;
                assert_eq!(status, StatusCode::NOT_FOUND, "{role} attaches");
                let (status, _) = c.call("DELETE", &format!("/api/v1/inspection/documents/{doc}"), None).await;
                assert_eq!(status, StatusCode::NOT_FOUND, "{role} deletes");
            }
        };
        check_outside(&["admin", "staff", "secretary", "member", "staff_y"]).await;
        for uri in &reads {
            let (status, text) = ins.call("GET", uri, None).await;
            assert_eq!(status, StatusCode::OK, "inspector GET {uri}: {text}");
        }
        // Concluded: the inspected member reads the documents, may not remove them; the others
        // still see nothing.
        conclude(&w, case).await;
        let mut member = w.client("member").await;
        for uri in &reads {
            let (status, text) = member.call("GET", uri, None).await;
            assert_eq!(status, StatusCode::OK, "member GET {uri}: {text}");
        }
        let (status, _) = member.call("DELETE", &format!("/api/v1/inspection/documents/{doc}"), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        check_outside(&["admin", "staff", "secretary", "staff_y"]).await;
        w.finish().await;
    }
}
