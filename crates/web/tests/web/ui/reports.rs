//! The statistics report through the router, on every engine: the page (linked from the
//! organisation page, Vietnamese, its spreadsheet), the JSON, and the refusals.

use super::{header_row, page_headers};
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
        for text in [
            "Báo cáo thống kê đảng viên",
            "Giới tính",
            "Tuổi đảng",
            "Biến động trong kỳ",
            "Xuất Excel",
            "Chi bộ theo địa bàn",
            "Biến động tổ chức trong kỳ",
            // The printed report's foot.
            "NGƯỜI LẬP BIỂU",
            "BÍ THƯ",
            "(Ký, ghi rõ họ tên)",
        ] {
            assert!(page.contains(text), "page lacks {text}");
        }
        // Drill-down from every number to the list behind it: the page, its spreadsheet, JSON.
        let list_href = format!("/orgs/{}/report/list?item=total%2Fall&#38;on=", w.x);
        assert!(page.contains(&list_href), "{page}");
        let base = format!("/orgs/{}/report/list?item=total%2Fall&period=2025", w.x);
        let (status, list) = staff.call("GET", &base, None).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        for text in ["Đảng viên trong danh sách", "Họ và tên", "Nơi sinh hoạt hiện nay", "Xuất Excel", "/members/"]
        {
            assert!(list.contains(text), "list lacks {text}: {list}");
        }
        // The page and its spreadsheet: the same columns, the ordinal first.
        let (status, rows) = staff.sheet(&format!("/orgs/{}/report/list.xlsx?item=total%2Fall&period=2025", w.x)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(header_row(&rows, "STT"), page_headers(&list));
        assert_eq!(page_headers(&list)[..2], ["STT", "Họ và tên"]);
        let first = rows.iter().skip_while(|r| r.first().is_none_or(|c| c != "STT")).nth(1).expect("a row");
        assert_eq!(first[0], "1", "{rows:?}");
        // A list of one page prints itself; from a later page the print button opens the whole
        // list on one page (no pager), numbered from 1.
        assert!(list.contains("data-print") && !list.contains("print-all"), "{list}");
        let (_, later) = staff.call("GET", &format!("{base}&offset=1"), None).await;
        assert!(later.contains("class=\"button print-all\"") && later.contains("print=1"), "{later}");
        let (status, whole) = staff.call("GET", &format!("{base}&offset=1&print=1"), None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(whole.contains("Nguyễn Thị Lan") && whole.contains("Trần Văn Đức"), "{whole}");
        assert!(whole.contains("<td data-label=\"STT\">1</td>") && whole.contains("data-print"), "{whole}");
        assert!(later.contains("Về trang đầu"), "{later}");
        assert!(!whole.contains("Về trang đầu") && !whole.contains("print-all"), "no pager when printing: {whole}");
        let (status, list) =
            staff.call("GET", &format!("/orgs/{}/report/list?item=org_kind/subordinate_cell", w.x), None).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        assert!(list.contains("Tên tổ chức") && list.contains(&format!("/orgs/{}", w.x1)), "{list}");
        let (status, sheet) =
            staff.call("GET", &format!("/orgs/{}/report/list.xlsx?item=gender/male", w.x), None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(sheet.starts_with("PK"));
        let (status, body) =
            staff.call("GET", &format!("/api/v1/orgs/{}/report/list?item=total/all&limit=1", w.x), None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            (v["total"].as_u64(), v["members"].as_array().map(Vec::len), v["next"].as_u64()),
            (Some(2), Some(1), Some(1))
        );
        let (status, body) = staff.call("GET", &format!("/api/v1/orgs/{}/report/list?item=nope/x", w.x), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("\"field\":\"item\""), "{body}");
        let mut other = w.client("staff_y").await;
        let (status, _) = other.call("GET", &format!("/orgs/{}/report/list?item=total/all", w.x), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // Trends over years: linked from the report, two charts drawn as SVG and the table.
        assert!(page.contains(&format!("/orgs/{}/report/trends", w.x)));
        let (status, trend) = staff.call("GET", &format!("/orgs/{}/report/trends", w.x), None).await;
        assert_eq!(status, StatusCode::OK, "{trend}");
        assert_eq!(trend.matches("<svg class=\"chart\" role=\"img\"").count(), 2, "{trend}");
        for text in
            ["Xu hướng qua các năm", "Đảng viên cuối năm", "Ra khỏi danh sách", "viewBox=\"0 0 640 360\"", "<title>"]
        {
            assert!(trend.contains(text), "trend lacks {text}");
        }
        assert!(!trend.contains("<svg width="), "no fixed width: it scales to 360 px");
        let (status, _) = other.call("GET", &format!("/orgs/{}/report/trends", w.x), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // Its spreadsheet and its API: the page's columns and numbers, year by year.
        assert!(trend.contains(&format!("/orgs/{}/report/trends.xlsx", w.x)) && trend.contains("Xuất Excel"));
        let (status, rows) = staff.sheet(&format!("/orgs/{}/report/trends.xlsx", w.x)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(header_row(&rows, "Năm"), page_headers(&trend));
        assert!(rows.iter().any(|r| r.iter().any(|c| c.contains("XU HƯỚNG QUA CÁC NĂM"))), "title block: {rows:?}");
        let years: Vec<Vec<String>> =
            rows.iter().skip_while(|r| r.first().is_none_or(|c| c != "Năm")).skip(1).cloned().collect();
        let (status, body) = staff.call("GET", &format!("/api/v1/orgs/{}/report/trend", w.x), None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        let api: Vec<Vec<String>> = v["years"]
            .as_array()
            .unwrap()
            .iter()
            .map(|y| ["year", "members", "admissions", "exits"].map(|k| y[k].to_string()).to_vec())
            .collect();
        assert_eq!(api.len(), 10, "{v}");
        assert_eq!(years, api, "the sheet's rows are the API's years");
        for y in &api {
            let cells = y.iter().map(|c| format!("\">{c}</td>")).collect::<Vec<_>>();
            assert!(cells.iter().all(|c| trend.contains(c.as_str())), "the page shows {y:?}");
        }
        assert!(api.last().is_some_and(|y| y[1] == "2"), "two members today: {v}");
        let (status, _) = other.call("GET", &format!("/orgs/{}/report/trends.xlsx", w.x), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = other.call("GET", &format!("/api/v1/orgs/{}/report/trend", w.x), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
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
        let cells: i64 =
            v["orgs"]["cells_by_village"].as_array().unwrap().iter().map(|r| r["count"].as_i64().unwrap()).sum();
        assert!(cells > 0, "{v}");
        assert_eq!(v["orgs"]["changes"].as_array().unwrap().len(), 4);

        // The structure on a past date: the page, its spreadsheet and the JSON; a future date is
        // refused on `on`.
        let (status, page) = staff.call("GET", &format!("/orgs/{}/report?period=2025&on=31/12/2025", w.x), None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page.contains("Cơ cấu ngày 31/12/2025") && page.contains("value=\"31/12/2025\""), "{page}");
        assert!(page.contains("report.xlsx?period=2025&#38;on=2025-12-31"), "{page}");
        let (status, sheet) =
            staff.call("GET", &format!("/orgs/{}/report.xlsx?period=2025&on=2025-12-31", w.x), None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(sheet.starts_with("PK"));
        let (status, body) = staff.call("GET", &format!("/api/v1/orgs/{}/report?on=2025-12-31", w.x), None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["on"], "2025-12-31");
        let (status, body) = staff.call("GET", &format!("/api/v1/orgs/{}/report?on=2099-01-01", w.x), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("\"field\":\"on\""), "{body}");

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

#[tokio::test]
async fn badges_absences_and_missed_cells_export_with_the_page_columns() {
    for engine in engines() {
        let w = World::new(engine).await;
        let mut staff = w.client("staff").await;
        // Badges: the page's labels are the sheet's columns.
        let (status, page) = staff.call("GET", &format!("/orgs/{}/badges", w.x), None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains(&format!("/orgs/{}/badges.xlsx?award_on=", w.x)) && page.contains("Xuất Excel"));
        let (status, rows) = staff.sheet(&format!("/orgs/{}/badges.xlsx", w.x)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(header_row(&rows, "Họ và tên"), ["Họ và tên", "Tuổi đảng", "Huy hiệu", "Ngày đủ tuổi đảng"]);
        assert!(rows.iter().any(|r| r.iter().any(|c| c.contains("HUY HIỆU"))), "title block: {rows:?}");

        // Absences: the same columns as the table, the cell's column above a cell.
        let (status, page) = staff.call("GET", &format!("/orgs/{}/absences?year=2025", w.x), None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains(&format!("/orgs/{}/absences.xlsx?year=2025", w.x)));
        let (status, rows) = staff.sheet(&format!("/orgs/{}/absences.xlsx?year=2025", w.x)).await;
        assert_eq!(status, StatusCode::OK);
        let head = header_row(&rows, "Họ và tên");
        assert_eq!(head[1], "Chi bộ");
        if page.contains("<th scope=\"col\">") {
            assert_eq!(head, page_headers(&page));
        }

        // The cells that missed October 2025.
        let uri = format!("/orgs/{}/meeting-figures/missing?period=2025-10", w.x);
        let (status, page) = staff.call("GET", &uri, None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page.contains("missing.xlsx?period=2025-10"), "{page}");
        let (status, rows) = staff.sheet(&format!("/orgs/{}/meeting-figures/missing.xlsx?period=2025-10", w.x)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("class=\"missed-link\""), "cells missed the month: {page}");
        let head = header_row(&rows, "STT");
        assert_eq!(head, page_headers(&page));
        let listed = rows.iter().skip_while(|r| r.first().is_none_or(|c| c != "STT")).skip(1).count();
        assert_eq!(listed, page.matches("class=\"missed-link\"").count(), "{rows:?}");
        // From a later page the print button opens the whole list, every cell on one page.
        let (_, later) = staff.call("GET", &format!("{uri}&offset=1"), None).await;
        assert!(later.contains("print-all") && later.matches("class=\"missed-link\"").count() == listed - 1);
        let (status, whole) = staff.call("GET", &format!("{uri}&offset=1&print=1"), None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(whole.matches("class=\"missed-link\"").count(), listed, "{whole}");
        assert!(whole.contains("data-print") && !whole.contains("Về trang đầu"), "{whole}");

        // Outside the grant: nothing.
        let mut other = w.client("staff_y").await;
        for uri in ["badges.xlsx", "absences.xlsx?year=2025", "meeting-figures/missing.xlsx?period=2025-03"] {
            let (status, _) = other.call("GET", &format!("/orgs/{}/{uri}", w.x), None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        }
        w.finish().await;
    }
}

#[tokio::test]
async fn meeting_figures_export_with_the_page_columns() {
    for engine in engines() {
        let w = World::new(engine).await;
        let mut staff = w.client("staff").await;
        let (status, page) = staff.call("GET", &format!("/orgs/{}/meeting-figures?period=2025-10", w.x), None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let xlsx = format!("/orgs/{}/meeting-figures.xlsx?period=2025-10", w.x);
        assert!(page.contains(&xlsx) && page.contains("data-print"), "{page}");
        let (status, rows) = staff.sheet(&xlsx).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(rows[0][0], "SỐ LIỆU SINH HOẠT CHI BỘ", "{rows:?}");
        assert_eq!(rows[1][0], "Đảng bộ Phường Hoàn Kiếm", "{rows:?}");
        assert!(rows[2][0].contains("Tháng 10/2025") && rows[2][0].contains("Người in"), "{rows:?}");
        let head = header_row(&rows, "Tên tổ chức");
        assert_eq!(head, page_headers(&page));
        // Every organisation of the table, in its order.
        let listed: Vec<&str> = rows
            .iter()
            .skip_while(|r| r.first().is_none_or(|c| c != "Tên tổ chức"))
            .skip(1)
            .map(|r| r[0].as_str())
            .collect();
        let on_page: Vec<&str> = page
            .split("<td data-label=\"Tên tổ chức\"><a href=\"")
            .skip(1)
            .filter_map(|s| s.split('>').nth(1)?.split("</a").next())
            .collect();
        assert!(!listed.is_empty(), "{rows:?}");
        assert_eq!(listed, on_page);
        // A bad period is named, not a server error; outside the grant, nothing.
        let (status, _) = staff.call("GET", &format!("/orgs/{}/meeting-figures.xlsx?p=month&month=x", w.x), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let mut other = w.client("staff_y").await;
        assert_eq!(other.sheet(&xlsx).await.0, StatusCode::NOT_FOUND);
        w.finish().await;
    }
}

/// An absence list that cannot be gathered (too many cells) is not an empty sheet: the page and
/// the sheet's title block both tell to open a smaller organisation.
#[tokio::test]
async fn an_absence_list_of_too_many_cells_says_so_in_the_sheet() {
    use chibo_access::domain::org::OrgKind;
    for engine in engines() {
        let w = World::new(engine).await;
        let c = chibo_access::Viewer::console();
        for i in 0..=chibo_access::ABSENCE_CELLS_MAX {
            let cell = common::org(&format!("Chi bộ Tổ dân phố số {}", i + 10), OrgKind::SubordinateCell);
            w.app.create_org(&c, Some(w.x), cell).await.unwrap();
        }
        let mut staff = w.client("staff").await;
        let (status, page) = staff.call("GET", &format!("/orgs/{}/absences?year=2025", w.x), None).await;
        assert_eq!(status, StatusCode::OK);
        let note = "Tổ chức này có quá nhiều chi bộ để gộp một danh sách";
        assert!(page.contains(note), "{page}");
        let (status, rows) = staff.sheet(&format!("/orgs/{}/absences.xlsx?year=2025", w.x)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(rows[3][0].starts_with(note), "a line of the title block: {rows:?}");
        assert_eq!(header_row(&rows, "Họ và tên")[1], "Chi bộ", "{rows:?}");
        w.finish().await;
    }
}
