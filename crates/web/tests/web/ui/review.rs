//! The annual review through the router, on every engine: a round opened with the form, the
//! member's own self-assessment, the cell's proposals, the decision with the quota refused on
//! the page, a correction, the figures and both spreadsheets, the JSON, and the refusals
//! (another commune's staff: 404; a reader posting: 403).

use crate::common;

use axum::http::StatusCode;
use chibo_access::domain::review::sheet::DEFAULT_LINES;
use chibo_store::testing::engines;
use chibo_web::ui::qs;
use common::{Client, World};

fn form(pairs: &[(String, String)]) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", qs(k), qs(v))).collect::<Vec<_>>().join("&")
}

/// Post a form with the session's CSRF token.
async fn post(c: &mut Client, uri: &str, pairs: &[(&str, &str)]) -> (StatusCode, String) {
    let mut all = vec![("csrf".to_string(), c.csrf.clone().unwrap_or_default())];
    all.extend(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    c.raw("POST", uri, Some(form(&all)), "application/x-www-form-urlencoded").await
}

#[tokio::test]
async fn a_round_through_the_pages() {
    for engine in engines() {
        let w = World::new(engine).await;
        let (mut staff, mut member, mut secretary) =
            (w.client("staff").await, w.client("member").await, w.client("secretary").await);
        let (status, org) = staff.call("GET", &format!("/orgs/{}", w.x), None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(org.contains(&format!("/orgs/{}/reviews", w.x)), "linked from the organisation page");

        // Opened with the form (dates typed dd/mm/yyyy).
        let open = format!("/orgs/{}/reviews", w.x);
        let (status, page) = staff.call("GET", &open, None).await;
        assert!(status == StatusCode::OK && page.contains("Mở kỳ đánh giá"), "{page}");
        let dates = [("first_day", "01/01/2025"), ("last_day", "31/12/2025"), ("self_due", "05/12/2025")];
        let (status, page) =
            post(&mut staff, &open, &[&[("kind", "year")][..], &dates, &[("cell_due", "15/12/2025")]].concat()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "the decision deadline is missing");
        assert!(page.contains("Hạn quyết định"), "{page}");
        let all =
            [&[("kind", "year")][..], &dates, &[("cell_due", "15/12/2025"), ("decision_due", "31/12/2025")]].concat();
        let (status, _) = post(&mut staff, &open, &all).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, list) = staff.call("GET", &format!("/api/v1/orgs/{}/reviews", w.x), None).await;
        let list: serde_json::Value = serde_json::from_str(&list).unwrap();
        let r = list["items"][0]["id"].as_str().unwrap().to_string();
        let (status, page) = staff.call("GET", &format!("/reviews/{r}"), None).await;
        assert_eq!(status, StatusCode::OK);
        for text in ["Đánh giá, xếp loại chất lượng", "Năm 2025", "Nguyễn Thị Lan", "Chưa tự đánh giá", "366-QĐ/TW"]
        {
            assert!(page.contains(text), "round page lacks {text}");
        }

        // The member's own form: more than the score allows is refused on the page, then saved.
        let mine = format!("/reviews/{r}/members/{}", w.m1);
        let (status, page) = member.call("GET", &mine, None).await;
        assert!(status == StatusCode::OK && page.contains("Phiếu tự đánh giá, xếp loại"), "{page}");
        let scores: Vec<(String, String)> =
            DEFAULT_LINES.iter().map(|l| (format!("scores.{}", l.code), (l.points * 8 / 10).to_string())).collect();
        let mut pairs: Vec<(&str, &str)> = scores.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        pairs.extend([("tasks_total", "4"), ("tasks_on_time", "4"), ("tasks_exceeded", "0"), ("version", "1")]);
        let (status, page) = post(&mut member, &mine, &[&pairs[..], &[("level", "excellent")]].concat()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("cho mức cao nhất là"), "{page}");
        let (status, _) = post(&mut member, &mine, &pairs).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        // The paper the member signs: the sheet's lines with the points entered, the total.
        let (status, page) = member.call("GET", &format!("{mine}/print"), None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let total = format!("<strong>{}</strong>", DEFAULT_LINES.iter().map(|l| l.points * 8 / 10).sum::<u32>());
        for text in ["BẢN TỰ KIỂM ĐIỂM CÁ NHÂN", "NGƯỜI TỰ KIỂM ĐIỂM", "Tư tưởng chính trị", total.as_str()]
        {
            assert!(page.contains(text), "the printed self-assessment lacks {text}: {page}");
        }

        // The cell's proposals; another cell's page is not the secretary's.
        let cell = format!("/reviews/{r}/cells/{}", w.x1);
        let (status, page) = secretary.call("GET", &cell, None).await;
        assert!(status == StatusCode::OK && page.contains("Đề xuất của chi bộ"), "{page}");
        let m1 = w.m1.to_string();
        let level = format!("lines.{m1}.level");
        let votes = format!("lines.{m1}.votes_for");
        let (status, _) = post(&mut secretary, &cell, &[(&level, "excellent"), (&votes, "3")]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (status, _) = secretary.call("GET", &format!("/reviews/{r}/cells/{}", w.x2), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let m2 = w.m2.to_string();
        let (l2, v2) = (format!("lines.{m2}.level"), format!("lines.{m2}.votes_for"));
        let (status, _) = post(&mut staff, &format!("/reviews/{r}/cells/{}", w.x2), &[(&l2, "good"), (&v2, "2")]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, sheet) = staff.call("GET", &format!("{cell}/proposals.xlsx"), None).await;
        assert!(sheet.starts_with("PK"), "an .xlsx file");

        // The decision: one xuất sắc with one tốt is over the quota (at most 0), refused on the page.
        let base = format!("/reviews/{r}/bases/{}", w.x);
        let (status, page) = staff.call("GET", &base, None).await;
        assert!(status == StatusCode::OK && page.contains("Quyết định xếp loại đảng viên"), "{page}");
        let sig = [("number", "45-QĐ/ĐU"), ("signed_on", "26/12/2025")];
        let (id1, id2) = (format!("lines.{m1}.id"), format!("lines.{m2}.id"));
        let lines = [
            (id1.as_str(), m1.as_str()),
            (level.as_str(), "excellent"),
            (id2.as_str(), m2.as_str()),
            (l2.as_str(), "good"),
        ];
        let (status, page) = post(&mut staff, &base, &[&sig[..], &lines].concat()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("vượt hạn mức 20%"), "{page}");
        let mut inspector = w.client("inspector").await;
        let (status, _) = post(&mut inspector, &base, &[&sig[..], &lines].concat()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let lines =
            [(id1.as_str(), m1.as_str()), (level.as_str(), "good"), (id2.as_str(), m2.as_str()), (l2.as_str(), "good")];
        let (status, _) = post(&mut staff, &base, &[&sig[..], &lines].concat()).await;
        assert_eq!(status, StatusCode::SEE_OTHER);

        // A correction by a new decision; both stay on the member's page.
        let fix = format!("/reviews/{r}/corrections/{m2}");
        let (status, _) = staff.call("GET", &fix, None).await;
        assert_eq!(status, StatusCode::OK);
        let pairs =
            [("level", "completed"), ("number", "50-QĐ/ĐU"), ("signed_on", "28/12/2025"), ("reason", "Rà soát")];
        let (status, _) = post(&mut staff, &fix, &pairs).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, page) = staff.call("GET", &format!("/reviews/{r}/members/{m2}"), None).await;
        assert!(page.contains("45-QĐ/ĐU") && page.contains("50-QĐ/ĐU") && page.contains("Rà soát"), "{page}");

        // The figures with the drill-down, the summary table, the JSON.
        let figures = format!("/orgs/{}/review-figures?period=year:2025", w.x);
        let (status, page) = staff.call("GET", &figures, None).await;
        assert!(
            status == StatusCode::OK && page.contains("HTTNV") && page.contains("Chi bộ Tổ dân phố số 1"),
            "{page}"
        );
        let (_, sheet) = staff.call("GET", &format!("/orgs/{}/review-figures.xlsx?period=year:2025", w.x), None).await;
        assert!(sheet.starts_with("PK"));
        let (status, body) =
            staff.call("GET", &format!("/api/v1/orgs/{}/review-figures?period=year:2025", w.x), None).await;
        assert_eq!(status, StatusCode::OK);
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        let members = v["tallies"].as_array().unwrap().iter().find(|t| t["subject"] == "member").unwrap().clone();
        assert_eq!((members["good"].as_i64(), members["completed"].as_i64()), (Some(1), Some(1)), "{members}");

        // Another commune's staff sees nothing of it.
        let mut other = w.client("staff_y").await;
        for uri in [format!("/reviews/{r}"), mine.clone(), figures.clone(), format!("/api/v1/reviews/{r}")] {
            let (status, _) = other.call("GET", &uri, None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        }
        w.finish().await;
    }
}

/// Every review route of the API: another commune's staff gets 404 (nothing revealed), a reader
/// of the commune 403 on every write, the member role 404 on another member's line and on the
/// commune's lists; the writers of the commune succeed.
#[tokio::test]
async fn review_routes_stay_inside_the_grant() {
    use chibo_access::domain::review::RoundKind;
    use serde_json::json;
    for engine in engines() {
        let w = World::new(engine).await;
        let c = chibo_access::Viewer::console();
        let d = |s: &str| chibo_access::domain::date::parse_iso(s).unwrap();
        let input = chibo_access::RoundInput {
            kind: RoundKind::Year,
            first_day: d("2025-01-01"),
            last_day: d("2025-12-31"),
            self_due: d("2025-12-05"),
            cell_due: d("2025-12-15"),
            decision_due: d("2025-12-31"),
        };
        let r = w.app.open_review(&c, w.x, &input).await.unwrap().id;
        let (x, x1, m1, m2) = (w.x, w.x1, w.m1, w.m2);
        let body = json!({"lines": [], "items": [], "version": 1, "number": "1", "signed_on": "2025-12-20",
            "level": "good", "reason": "x", "kind": "year", "first_day": "2026-01-01", "last_day": "2026-12-31",
            "self_due": "2026-12-05", "cell_due": "2026-12-15", "decision_due": "2026-12-31",
            "effective_from": "2026-01-01", "subject_id": m1});
        let reads = [
            format!("/api/v1/orgs/{x}/reviews"),
            format!("/api/v1/reviews/{r}"),
            format!("/api/v1/reviews/{r}/worklist"),
            format!("/api/v1/reviews/{r}/members/{m2}"),
            format!("/api/v1/orgs/{x}/review-figures?period=year:2025"),
        ];
        let writes = [
            ("POST", format!("/api/v1/orgs/{x}/reviews")),
            ("POST", format!("/api/v1/reviews/{r}/close")),
            ("PUT", format!("/api/v1/reviews/{r}/members/{m2}")),
            ("PUT", format!("/api/v1/reviews/{r}/cells/{x1}/opinion")),
            ("POST", format!("/api/v1/reviews/{r}/decisions/members/{x}")),
            ("POST", format!("/api/v1/reviews/{r}/decisions/orgs/{x}")),
            ("POST", format!("/api/v1/reviews/{r}/corrections/{m2}")),
            ("PUT", format!("/api/v1/reviews/{r}/orgs/{x1}")),
            ("POST", format!("/api/v1/reviews/{r}/plans")),
            ("POST", format!("/api/v1/orgs/{x}/review-settings")),
        ];
        let mut outsider = w.client("staff_y").await;
        for uri in &reads {
            assert_eq!(outsider.call("GET", uri, None).await.0, StatusCode::NOT_FOUND, "outsider GET {uri}");
        }
        let print = format!("/reviews/{r}/members/{m2}/print");
        assert_eq!(outsider.call("GET", &print, None).await.0, StatusCode::NOT_FOUND, "outsider GET {print}");
        for (method, uri) in &writes {
            let (status, text) = outsider.call(method, uri, Some(body.clone())).await;
            assert!(matches!(status.as_u16(), 404 | 422), "outsider {method} {uri}: {status} {text}");
            assert!(!text.contains("Nguyễn Thị Lan"), "{text}");
        }
        let mut reader = w.client("inspector").await;
        for uri in &reads {
            assert_eq!(reader.call("GET", uri, None).await.0, StatusCode::OK, "inspector GET {uri}");
        }
        for (method, uri) in &writes {
            let (status, text) = reader.call(method, uri, Some(body.clone())).await;
            assert!(matches!(status.as_u16(), 403 | 422), "inspector {method} {uri}: {status} {text}");
        }
        let mut member = w.client("member").await;
        for uri in &reads[1..4] {
            assert_eq!(member.call("GET", uri, None).await.0, StatusCode::NOT_FOUND, "member GET {uri}");
        }
        let own = format!("/api/v1/reviews/{r}/members/{m1}");
        assert_eq!(member.call("GET", &own, None).await.0, StatusCode::OK);
        // The plan item route: no such item is simply not found.
        let item = format!("/api/v1/plan-items/{}", uuid::Uuid::now_v7());
        assert_eq!(reader.call("PUT", &item, Some(json!({}))).await.0, StatusCode::NOT_FOUND);
        w.finish().await;
    }
}
