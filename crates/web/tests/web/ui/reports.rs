//! The statistics report through the router, on every engine: the page (linked from the
//! organisation page, Vietnamese, its spreadsheet), the JSON, and the refusals.

use crate::common;

use axum::http::StatusCode;
use chibo_store::testing::engines;
use common::World;
use serde_json::Value;

#[tokio::test]
async fn report_page_spreadsheet_and_api() {
    for engine in engines() {
        let w = World::new(engine).await;
        let mut staff = w.client("staff").await;
        let (status, org) = staff.call("GET", &format!("/orgs/{}", w.x), None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(org.contains(&format!("/orgs/{}/report?period=", w.x)), "linked from the organisation page");

        let (status, page) = staff.call("GET", &format!("/orgs/{}/report?period=2025", w.x), None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        for text in ["Báo cáo thống kê đảng viên", "Giới tính", "Tuổi đảng", "Biến động trong kỳ", "Xuất Excel"]
        {
            assert!(page.contains(text), "page lacks {text}");
        }
        // Drill-down from the standing rows to the member list filtered by standing.
        assert!(page.contains(&format!("/orgs/{}?status=", w.x)));
        let (status, sheet) = staff.call("GET", &format!("/orgs/{}/report.xlsx?period=2025", w.x), None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(sheet.starts_with("PK"), "an .xlsx file");

        let (status, body) = staff.call("GET", &format!("/api/v1/orgs/{}/report?period=2025-Q3", w.x), None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["total"], 2, "{v}");
        assert_eq!(
            (v["period"]["from"].as_str(), v["period"]["to"].as_str()),
            (Some("2025-07-01"), Some("2025-09-30"))
        );
        let gender = v["structure"].as_array().unwrap().iter().find(|s| s["key"] == "gender").unwrap();
        let counts: Vec<i64> =
            gender["rows"].as_array().unwrap().iter().map(|r| r["count"].as_i64().unwrap()).collect();
        assert_eq!(counts.iter().sum::<i64>(), 2);

        // A bad period names the field; another commune's staff and a member are refused.
        let (status, body) = staff.call("GET", &format!("/api/v1/orgs/{}/report?period=2025-Q5", w.x), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("\"field\":\"period\""), "{body}");
        let mut other = w.client("staff_y").await;
        let (status, _) = other.call("GET", &format!("/api/v1/orgs/{}/report", w.x), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = other.call("GET", &format!("/orgs/{}/report", w.x), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let mut member = w.client("member").await;
        let (status, _) = member.call("GET", &format!("/api/v1/orgs/{}/report", w.x1), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        w.finish().await;
    }
}
