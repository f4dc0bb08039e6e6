//! The member list whole, on every engine: "Xuất Excel" and the printable page carry the
//! page's columns in its order, the Vietnamese name order and the list's filters; outside the
//! grant there is nothing.

use crate::common;

use super::page_headers;
use axum::http::StatusCode;
use chibo_access::domain::member::MemberStatus;
use chibo_store::testing::engines;
use common::{World, member};

/// The rows under the sheet's header row (the row that starts with "Họ và tên").
fn sheet_body(rows: &[Vec<String>]) -> (Vec<String>, Vec<Vec<String>>) {
    let at = rows.iter().position(|r| r.first().is_some_and(|c| c == "Họ và tên")).expect("a header row");
    (rows[at].clone(), rows[at + 1..].to_vec())
}

#[tokio::test]
async fn the_whole_list_exports_and_prints_with_the_page_columns_and_filters() {
    for engine in engines() {
        let w = World::new(engine).await;
        let c = chibo_access::Viewer::console();
        // The cell holds Lan; two more, one of them probationary, sort around her.
        w.app.create_member(&c, member("Lê", "Văn", "An", w.x1)).await.unwrap();
        let mut young = member("Vũ", "Thị", "Ánh", w.x1);
        young.status = MemberStatus::Probationary;
        young.official_date = None;
        young.admission_date = time::macros::date!(2026 - 06 - 01);
        w.app.create_member(&c, young).await.unwrap();
        let mut staff = w.client("staff").await;

        let (status, page) = staff.call("GET", &format!("/orgs/{}", w.x1), None).await;
        assert_eq!(status, StatusCode::OK);
        let headers = page_headers(&page);
        assert_eq!(headers, ["Họ và tên", "Ngày sinh", "Giới tính", "Tình trạng", "Ngày vào Đảng"], "{page}");
        let xlsx = format!("/orgs/{}/members/list.xlsx?q=", w.x1);
        let print = format!("/orgs/{}/members/print?q=", w.x1);
        assert!(page.contains(&xlsx) && page.contains(&print), "{page}");

        // The spreadsheet: the title block, the page's columns, every member in the page's order.
        let (status, rows) = staff.sheet(&format!("/orgs/{}/members/list.xlsx", w.x1)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(rows[0][0], "DANH SÁCH ĐẢNG VIÊN");
        assert_eq!(rows[1][0], "Chi bộ Tổ dân phố số 1");
        assert!(rows[2][0].contains("Người in: staff"), "{rows:?}");
        let (head, body) = sheet_body(&rows);
        assert_eq!(head, headers);
        let names: Vec<&str> = body.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(names, ["Lê Văn An", "Vũ Thị Ánh", "Nguyễn Thị Lan"]);
        assert_eq!(body[1][3], "Dự bị");
        assert_eq!(body[1][4], "01/06/2026");

        // Filtered as the page is: by name without diacritics, by standing; the filter is named.
        let (_, rows) = staff.sheet(&format!("/orgs/{}/members/list.xlsx?q=anh&status=probationary", w.x)).await;
        let (_, body) = sheet_body(&rows);
        assert_eq!(body.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), ["Vũ Thị Ánh"]);
        assert!(rows[2][0].contains("anh") && rows[2][0].contains("Dự bị"), "{rows:?}");

        // The printable page: the same columns, the same order, the filter.
        let (status, print) = staff.call("GET", &format!("/orgs/{}/members/print?status=official", w.x), None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page_headers(&print), headers);
        let (an, lan, duc) = (print.find("Lê Văn An"), print.find("Nguyễn Thị Lan"), print.find("Trần Văn Đức"));
        assert!(an.is_some() && an < duc && duc < lan, "given name first: An, Đức, Lan");
        assert!(!print.contains("Vũ Thị Ánh") && print.contains("data-print"), "{print}");

        // Outside the grant: nothing, as for the page.
        let mut other = w.client("staff_y").await;
        for uri in ["members/list.xlsx", "members/print"] {
            let (status, _) = other.call("GET", &format!("/orgs/{}/{uri}", w.x), None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        }
        w.finish().await;
    }
}
