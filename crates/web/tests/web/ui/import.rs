//! The import pages through the router, on every engine: check a file, see its errors and
//! download them, confirm, and export; the pages reach only the importer's subtree.

use crate::common;

use axum::http::StatusCode;
use chibo_store::testing::engines;
use common::{Client, World};

fn multipart(csrf: &str, file_name: &str, content: &str) -> (String, String) {
    let boundary = "chiboImportBoundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: text/csv\r\n\r\n{content}\r\n--{boundary}--\r\n"
    );
    (body, format!("multipart/form-data; boundary={boundary}"))
}

async fn upload(c: &mut Client, org: uuid::Uuid, content: &str) -> (StatusCode, String) {
    upload_to(c, &format!("/orgs/{org}/import"), content).await
}

async fn upload_to(c: &mut Client, uri: &str, content: &str) -> (StatusCode, String) {
    let csrf = c.csrf.clone().unwrap_or_default();
    let (body, ctype) = multipart(&csrf, "danh sách.csv", content);
    c.raw("POST", uri, Some(body), &ctype).await
}

/// The `action` of the confirmation form on a check page.
fn confirm_action(page: &str) -> Option<String> {
    let at = page.find("data-confirm")?;
    let start = page[..at].rfind("action=\"")? + "action=\"".len();
    Some(page[start..].split('"').next()?.to_string())
}

const HEADER: &str = "Họ và tên,Ngày sinh,Giới tính,Ngày vào Đảng,Ngày chính thức,Chi bộ\n";

#[tokio::test]
async fn import_pages() {
    for engine in engines() {
        let w = World::new(engine).await;
        let mut staff = w.client("staff").await;
        let (status, page) = staff.call("GET", &format!("/orgs/{}/import", w.x), None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("multipart/form-data"));

        // A file with a mistake: listed with its row and column; nothing to confirm.
        let bad = format!("{HEADER}Lò Văn Pá,31/02/1990,Nam,01/01/2015,01/01/2016,Chi bộ Tổ dân phố số 1\n");
        let (status, page) = upload(&mut staff, w.x, &bad).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page.contains("Ngày sinh") && page.contains("31/02/1990"), "{page}");
        assert!(confirm_action(&page).is_none());
        let errors_href =
            page.split("href=\"").filter_map(|s| s.split('"').next()).find(|h| h.ends_with("errors.xlsx"));
        let (status, sheet) = staff.call("GET", errors_href.expect("link to the errors"), None).await;
        assert_eq!((status, &sheet[..2]), (StatusCode::OK, "PK"), "an .xlsx (zip) file");

        // A good file: confirm, then the members are there.
        let good = format!(
            "{HEADER}Lò Văn Pá,07/01/1990,Nam,01/01/2015,01/01/2016,Chi bộ Tổ dân phố số 1\n\
             Hà Thị Ơn,08/03/1992,Nữ,19/05/2020,19/05/2021,chi bo to dan pho so 2\n"
        );
        let (_, page) = upload(&mut staff, w.x, &good).await;
        // The preview: the rows as read, under the file's own headers, before anything is written.
        let preview =
            page.split("class=\"preview\"").nth(1).expect("a preview").split("</details>").next().unwrap_or("");
        assert!(preview.contains("<th scope=\"col\">Ngày sinh</th>"), "{preview}");
        assert!(preview.contains("<td>3</td><td>Hà Thị Ơn</td><td>08/03/1992</td>"), "{preview}");
        let action = confirm_action(&page).expect("a confirmation form");
        let csrf = staff.csrf.clone().unwrap_or_default();
        let (status, done) =
            staff.raw("POST", &action, Some(format!("csrf={csrf}")), "application/x-www-form-urlencoded").await;
        assert_eq!(status, StatusCode::OK);
        assert!(done.contains("Đã nhập đảng viên: <strong>2</strong>"), "{done}");
        let x = w.app.org(&chibo_access::Viewer::console(), w.x, false).await.unwrap();
        assert_eq!(x.org.stats.members, 4, "two before, two imported");
        // The same confirmation again finds no file to import.
        let (_, again) =
            staff.raw("POST", &action, Some(format!("csrf={csrf}")), "application/x-www-form-urlencoded").await;
        assert!(again.contains("không còn được giữ"), "{again}");

        // The registry streamed from its temporary file: the title block's count is its rows'.
        let (status, export) = staff.sheet(&format!("/orgs/{}/members.xlsx", w.x)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(export[2][0].contains(" · 4 đảng viên · Người in: staff"), "{export:?}");
        let at = export.iter().position(|r| r.first().is_some_and(|c| c == "Họ")).expect("the template's header row");
        let names: Vec<&str> = export[at + 1..].iter().map(|r| r[2].as_str()).collect();
        assert_eq!(names.len(), 4, "{names:?}");
        assert!(names.contains(&"Pá") && names.contains(&"Ơn"), "{names:?}");
        let (status, _) = staff.call("GET", "/import/members-template.xlsx", None).await;
        assert_eq!(status, StatusCode::OK);

        // Organisations: the tab, a file naming a parent on an earlier row, confirmed.
        let (status, page) = staff.call("GET", &format!("/orgs/{}/import?what=orgs", w.x), None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Nhập danh sách tổ chức đảng") && page.contains("/import/orgs-template.xlsx"));
        let orgs = "Tên tổ chức,Loại tổ chức,Trực thuộc\n\
                    Chi bộ Tổ dân phố số 3,Chi bộ trực thuộc,\n\
                    Tổ đảng 1,Tổ đảng,Chi bộ Tổ dân phố số 3\n\
                    Tổ đảng 2,Tổ đảng,Chi bộ Không có\n";
        let (_, page) = upload_to(&mut staff, &format!("/orgs/{}/import?what=orgs", w.x), orgs).await;
        assert!(page.contains("Chi bộ Không có") && confirm_action(&page).is_none(), "{page}");
        let orgs = orgs.replace("Tổ đảng 2,Tổ đảng,Chi bộ Không có\n", "");
        let (_, page) = upload_to(&mut staff, &format!("/orgs/{}/import?what=orgs", w.x), &orgs).await;
        let action = confirm_action(&page).expect("a confirmation form");
        assert!(action.ends_with("?what=orgs"), "{action}");
        let (status, done) =
            staff.raw("POST", &action, Some(format!("csrf={csrf}")), "application/x-www-form-urlencoded").await;
        assert_eq!(status, StatusCode::OK);
        assert!(done.contains("Đã tạo tổ chức đảng: <strong>2</strong>"), "{done}");
        let (status, _) = staff.call("GET", "/import/orgs-template.xlsx", None).await;
        assert_eq!(status, StatusCode::OK);

        // Candidates: the third tab; an introducer not of the cell is named; a good file confirmed.
        let tab = format!("/orgs/{}/import?what=candidates", w.x);
        let (status, page) = staff.call("GET", &tab, None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Nhập danh sách quần chúng ưu tú") && page.contains("/import/candidates-template.xlsx"));
        let people = "Họ và tên,Ngày sinh,Giới tính,Chi bộ,Ngày làm đơn,Ngày nghị quyết giới thiệu của Đoàn,\
                      Người giới thiệu 1,Người giới thiệu 1 cùng công tác từ ngày\n\
                      Lò Thị Xuân,19/08/2001,Nữ,Chi bộ Tổ dân phố số 1,01/04/2025,20/03/2025,Nguyễn Thị Lan,01/01/2023\n";
        let stranger = people.replace("Nguyễn Thị Lan", "Trần Văn Đức");
        let (_, page) = upload_to(&mut staff, &tab, &stranger).await;
        assert!(page.contains("Trần Văn Đức") && confirm_action(&page).is_none(), "{page}");
        let (_, page) = upload_to(&mut staff, &tab, people).await;
        let action = confirm_action(&page).expect("a confirmation form");
        assert!(action.ends_with("?what=candidates"), "{action}");
        let (status, done) =
            staff.raw("POST", &action, Some(format!("csrf={csrf}")), "application/x-www-form-urlencoded").await;
        assert_eq!(status, StatusCode::OK);
        assert!(done.contains("Đã nhập hồ sơ quần chúng ưu tú: <strong>1</strong>"), "{done}");
        let (status, _) = staff.call("GET", "/import/candidates-template.xlsx", None).await;
        assert_eq!(status, StatusCode::OK);
        let (status, export) = staff.call("GET", &format!("/orgs/{}/candidates-dossiers.xlsx", w.x), None).await;
        assert_eq!((status, &export[..2]), (StatusCode::OK, "PK"));

        // Another commune's staff: the page, the upload and the export are not there.
        let mut other = w.client("staff_y").await;
        for uri in [
            format!("/orgs/{}/import", w.x),
            format!("/orgs/{}/import?what=orgs", w.x),
            format!("/orgs/{}/members.xlsx", w.x),
            format!("/orgs/{}/import?what=candidates", w.x),
            format!("/orgs/{}/candidates-dossiers.xlsx", w.x),
        ] {
            let (status, _) = other.call("GET", &uri, None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        }
        let (status, _) = upload(&mut other, w.x, &good).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let mut member = w.client("member").await;
        let (status, _) = upload(&mut member, w.x1, &good).await;
        assert!(matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{status}");
        // A member reads their own record, not the cell's registry in any form.
        for uri in ["members.xlsx", "candidates-dossiers.xlsx", "members/list.xlsx", "members/print"] {
            let (status, body) = member.call("GET", &format!("/orgs/{}/{uri}", w.x1), None).await;
            assert!(matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{uri}: {status}");
            assert!(!body.contains("Nguyễn Thị Lan") && !body.starts_with("PK"), "{uri}");
        }
        w.finish().await;
    }
}

/// The page sends the upload with `?progress=TOKEN` and asks `/import/progress/TOKEN` while it
/// runs. Held here with the upload's body half sent: the import is watched from its request's
/// start, only by the account that sent it, and forgotten once it has answered.
#[tokio::test]
async fn an_import_in_flight_tells_its_progress_to_its_own_account_only() {
    use axum::body::{Body, Bytes};
    use tower::ServiceExt;
    for engine in engines() {
        let w = World::new(engine).await;
        let mut staff = w.client("staff").await;
        let mut other = w.client_on(staff.router.clone(), "admin").await;
        let token = "00112233445566778899aabbccddeeff";
        let progress = format!("/import/progress/{token}");
        assert_eq!(staff.call("GET", &progress, None).await.0, StatusCode::NOT_FOUND, "nothing watched yet");

        let good = format!("{HEADER}Lò Văn Pá,07/01/1990,Nam,01/01/2015,01/01/2016,Chi bộ Tổ dân phố số 1\n");
        let (body, ctype) = multipart(&staff.csrf.clone().unwrap_or_default(), "ds.csv", &good);
        let (first, rest) = body.split_at(body.len() / 2);
        let (send, parts) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(2);
        let stream = futures_util::stream::unfold(parts, |mut p| async { p.recv().await.map(|b| (b, p)) });
        let req = axum::http::Request::post(format!("/orgs/{}/import?progress={token}", w.x))
            .header("content-type", ctype)
            .header("cookie", staff.cookie.clone().unwrap_or_default())
            .body(Body::from_stream(stream))
            .unwrap();
        let running = tokio::spawn(staff.router.clone().oneshot(req));
        send.send(Ok(Bytes::from(first.to_string()))).await.unwrap();
        // The handler has started once the token is watched (it waits for the rest of the body).
        let mut seen = None;
        for _ in 0..500 {
            let (status, json) = staff.call("GET", &progress, None).await;
            if status == StatusCode::OK {
                seen = Some(json);
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        let seen: serde_json::Value =
            serde_json::from_str(&seen.expect("the import is watched while it runs")).unwrap();
        assert_eq!((seen["stage"].as_str(), seen["rows"].as_u64()), (Some("opening"), Some(0)), "{seen}");
        assert_eq!(seen["text"].as_str(), Some("Đang mở tệp…"));
        assert_eq!(other.call("GET", &progress, None).await.0, StatusCode::NOT_FOUND, "another account's import");

        send.send(Ok(Bytes::from(rest.to_string()))).await.unwrap();
        drop(send);
        let answer = running.await.unwrap().unwrap();
        assert_eq!(answer.status(), StatusCode::OK);
        let page = axum::body::to_bytes(answer.into_body(), 1 << 20).await.unwrap();
        let page = String::from_utf8_lossy(&page);
        assert!(confirm_action(&page).is_some(), "checked clean: {page}");
        assert_eq!(staff.call("GET", &progress, None).await.0, StatusCode::NOT_FOUND, "forgotten once answered");
        w.finish().await;
    }
}
