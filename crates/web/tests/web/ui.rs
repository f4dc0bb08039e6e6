//! The HTML interface through the real router, on every engine: logging in with the form,
//! the tree, the organisation page (Vietnamese order, diacritic-free search, cursors), forms
//! that keep values and show errors next to fields, CSRF, access, the language switch, and
//! 404 pages for bad ids.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chibo_access::{PageRequest, Viewer};
use chibo_store::testing::engines;
use chibo_web::ui::qs;
use common::{PASSWORD, World, member};
use std::collections::BTreeMap;
use tower::ServiceExt;
use uuid::Uuid;

/// A browser: cookies by name, the CSRF token of the last page that carried one.
struct Browser {
    router: axum::Router,
    cookies: BTreeMap<String, String>,
    csrf: String,
}

struct Page {
    status: StatusCode,
    location: String,
    content_type: String,
    cache_control: String,
    body: String,
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", qs(k), qs(v))).collect::<Vec<_>>().join("&")
}

impl Browser {
    fn new(w: &World) -> Browser {
        Browser { router: w.router(), cookies: BTreeMap::new(), csrf: String::new() }
    }

    async fn send(&mut self, method: &str, uri: &str, body: Option<String>, htmx: bool) -> Page {
        let mut req = Request::builder().method(method).uri(uri);
        if body.is_some() {
            req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
        if htmx {
            req = req.header("hx-request", "true");
        }
        if !self.cookies.is_empty() {
            let c: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            req = req.header(header::COOKIE, c.join("; "));
        }
        let req = req.body(body.map_or_else(Body::empty, Body::from)).unwrap();
        let res = self.router.clone().oneshot(req).await.unwrap();
        for set in res.headers().get_all(header::SET_COOKIE) {
            let first = set.to_str().unwrap().split(';').next().unwrap();
            let (k, v) = first.split_once('=').unwrap();
            if v.is_empty() {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), v.to_string());
            }
        }
        let h = |name| res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let (location, content_type, cache_control) =
            (h(header::LOCATION), h(header::CONTENT_TYPE), h(header::CACHE_CONTROL));
        let status = res.status();
        let bytes = axum::body::to_bytes(res.into_body(), 8 << 20).await.unwrap();
        let body = String::from_utf8(bytes.to_vec()).expect("UTF-8 page");
        assert!(status != StatusCode::INTERNAL_SERVER_ERROR, "{method} {uri}: 500\n{body}");
        if let Some(rest) = body.split("<meta name=\"csrf-token\" content=\"").nth(1) {
            self.csrf = rest.split('"').next().unwrap().to_string();
        }
        Page { status, location, content_type, cache_control, body }
    }

    async fn get(&mut self, uri: &str) -> Page {
        self.send("GET", uri, None, false).await
    }

    async fn fragment(&mut self, uri: &str) -> Page {
        self.send("GET", uri, None, true).await
    }

    /// A form post carrying the page's CSRF token.
    async fn post(&mut self, uri: &str, pairs: &[(&str, &str)]) -> Page {
        let csrf = self.csrf.clone();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(pairs);
        self.send("POST", uri, Some(form(&all)), false).await
    }

    /// A multipart form post (a file upload) carrying the page's CSRF token.
    async fn upload(&mut self, uri: &str, file_name: &str, bytes: &str) -> Page {
        let boundary = "----chibo-test";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n{bytes}\r\n--{boundary}--\r\n",
            self.csrf
        );
        let mut req = Request::builder()
            .method("POST")
            .uri(uri)
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"));
        let c: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
        req = req.header(header::COOKIE, c.join("; "));
        let res = self.router.clone().oneshot(req.body(Body::from(body)).unwrap()).await.unwrap();
        let status = res.status();
        let location = res.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let bytes = axum::body::to_bytes(res.into_body(), 8 << 20).await.unwrap();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        assert!(status != StatusCode::INTERNAL_SERVER_ERROR, "POST {uri}: 500\n{body}");
        Page { status, location, content_type: String::new(), cache_control: String::new(), body }
    }

    async fn post_without_csrf(&mut self, uri: &str, pairs: &[(&str, &str)]) -> Page {
        self.send("POST", uri, Some(form(pairs)), false).await
    }

    async fn login(w: &World, username: &str) -> Browser {
        let mut b = Browser::new(w);
        let p = b.post_without_csrf("/login", &[("username", username), ("password", PASSWORD)]).await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "login {username}: {}", p.body);
        assert_eq!(p.location, "/");
        assert!(b.cookies.contains_key("chibo_session"));
        let home = b.get("/").await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(!b.csrf.is_empty());
        b
    }
}

/// Positions of the names in the page, which must be increasing.
fn assert_in_order(body: &str, names: &[&str]) {
    let body = &body[body.find("<main").expect("a page")..];
    let pos: Vec<usize> = names.iter().map(|n| body.find(n).unwrap_or_else(|| panic!("{n} missing"))).collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "order {names:?}: {pos:?}");
}

/// The HTML of one field's block (`<div … id="field-NAME">` to its end).
fn field_block<'a>(body: &'a str, name: &str) -> &'a str {
    let start = body.find(&format!("id=\"field-{name}\"")).unwrap_or_else(|| panic!("no field {name}"));
    let rest = &body[start..];
    &rest[..rest.find("</div>").unwrap_or(rest.len())]
}

fn member_form<'a>(org: &'a str, citizen_id: &'a str, given: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("org_id", org),
        ("family_name", "Lê"),
        ("middle_name", "Văn"),
        ("given_name", given),
        ("birth_date", "15/03/1990"),
        ("gender", "male"),
        ("ethnicity_code", "1"),
        ("citizen_id", citizen_id),
        ("theory_level", "elementary"),
        ("admission_date", "01/02/2020"),
        ("official_date", "01/02/2021"),
        ("status", "official"),
    ]
}

async fn member_count(w: &World, org: Uuid) -> i64 {
    w.app.org(&Viewer::console(), org, false).await.unwrap().org.stats.members
}

#[tokio::test]
async fn ui_end_to_end() {
    for engine in engines() {
        let w = World::new(engine).await;
        let c = Viewer::console();
        for (family, middle, given) in [
            ("Hoàng", "Thị", "Đào"),
            ("Vũ", "Văn", "Bình"),
            ("Lê", "Văn", "An"),
            ("Phan", "Văn", "Dũng"),
            ("Trần", "Thị", "Ánh"),
        ] {
            w.app.create_member(&c, member(family, middle, given, w.x1)).await.unwrap();
        }
        anonymous(&w).await;
        staff(&w).await;
        forms(&w).await;
        secretary(&w).await;
        own_record(&w).await;
        admin(&w).await;
        english(&w).await;
        account_life(&w).await;
        two_step(&w).await;
        w.finish().await;
    }
}

async fn anonymous(w: &World) {
    let mut b = Browser::new(w);
    let p = b.get("/").await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_eq!(p.location, "/login");
    let p = b.fragment(&format!("/ui/orgs/{}/children", w.x)).await;
    assert_eq!(p.status, StatusCode::UNAUTHORIZED);
    let p = b.get("/login").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("Đăng nhập") && p.body.contains("lang=\"vi\""));
    assert!(!p.body.contains("style="), "no inline styles (CSP)");
    let p = b.post_without_csrf("/login", &[("username", "staff"), ("password", "sai-mat-khau-roi")]).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("Tên đăng nhập hoặc mật khẩu không đúng."), "{}", p.body);
    assert!(p.body.contains("value=\"staff\""), "the username is kept");
    let p = b.get("/static/htmx.min.js").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.content_type.starts_with("text/javascript"));
    assert!(p.cache_control.contains("immutable"));
    assert!(p.body.starts_with("var htmx="));
    for asset in ["/static/app.css", "/static/app.js"] {
        assert_eq!(b.get(asset).await.status, StatusCode::OK);
    }
}

async fn staff(w: &World) {
    let mut b = Browser::login(w, "staff").await;
    let home = b.get("/").await;
    assert!(home.body.contains("Đảng bộ Phường Hoàn Kiếm"), "{}", home.body);
    assert!(!home.body.contains("Cửa Nam"), "nothing outside the grants");
    assert!(home.body.contains(&format!("hx-get=\"/ui/orgs/{}/children\"", w.x)));

    let kids = b.fragment(&format!("/ui/orgs/{}/children", w.x)).await;
    assert_eq!(kids.status, StatusCode::OK);
    assert!(kids.body.contains("Chi bộ Tổ dân phố số 1") && kids.body.contains("Chi bộ Tổ dân phố số 2"));
    assert!(!kids.body.contains("<html"), "a fragment, not a page");

    let found = b.fragment("/ui/orgs/search?q=to+dan+pho+so+2").await;
    assert!(found.body.contains("Chi bộ Tổ dân phố số 2") && !found.body.contains("số 1"), "{}", found.body);
    let found = b.fragment("/ui/orgs/search?q=bi+mat").await;
    assert!(!found.body.contains("Bí Mật"), "search stays inside the grants");
    let page = b.get("/tree?q=hoan+kiem").await;
    assert!(page.body.contains("id=\"search-results\""));
    // The home page searches members and organisations at once.
    let page = b.get("/?q=hoan+kiem").await;
    assert!(page.body.contains("id=\"found\"") && page.body.contains("Đảng bộ Phường Hoàn Kiếm"), "{}", page.body);

    // The cell: Vietnamese order (given name, then family, then middle; đ after d).
    let org = b.get(&format!("/orgs/{}", w.x1)).await;
    assert_eq!(org.status, StatusCode::OK);
    assert_in_order(
        &org.body,
        &["Lê Văn An", "Trần Thị Ánh", "Vũ Văn Bình", "Phan Văn Dũng", "Hoàng Thị Đào", "Nguyễn Thị Lan"],
    );
    for text in
        ["Đảng bộ Phường Hoàn Kiếm", "Chi bộ trực thuộc", "01/07/2025", "Thêm đảng viên", "Sửa", "Chuyển tổ chức"]
    {
        assert!(org.body.contains(text), "{text}");
    }

    // The subtree list of the commune, searched without diacritics.
    let hits = b.fragment(&format!("/ui/orgs/{}/members?q=duc", w.x)).await;
    assert_eq!(hits.status, StatusCode::OK);
    assert!(hits.body.contains("Trần Văn Đức") && !hits.body.contains("Nguyễn Thị Lan"), "{}", hits.body);
    let none = b.fragment(&format!("/ui/orgs/{}/members?q=khong+ai+ten+nay", w.x)).await;
    assert!(none.body.contains("Không có đảng viên nào khớp."));
    let official = b.fragment(&format!("/ui/orgs/{}/members?status=probationary", w.x)).await;
    assert!(!official.body.contains("Trần Văn Đức"));

    // Cursors: after An comes Ánh; junk cursors are the first page.
    let first = w
        .app
        .members_page(&Viewer::console(), w.x1, &PageRequest { limit: 1, ..PageRequest::default() })
        .await
        .unwrap();
    let cursor = chibo_access::Cursor { sort_key: first.items[0].sort_key.clone(), id: first.items[0].id };
    let after = chibo_web::input::encode_cursor(&cursor);
    let next = b.fragment(&format!("/ui/orgs/{}/members?after={after}", w.x1)).await;
    assert!(!next.body.contains("Lê Văn An") && next.body.contains("Trần Thị Ánh"), "{}", next.body);
    assert!(next.body.contains("Về trang đầu"));
    for junk in ["zz", "%FF%FE", "41.x", "", "~", "not-a-cursor~0000"] {
        let p = b.fragment(&format!("/ui/orgs/{}/members?after={junk}", w.x1)).await;
        assert_eq!(p.status, StatusCode::OK, "after={junk}");
        assert!(p.body.contains("Lê Văn An"), "after={junk} is the first page");
    }
    let p = b.get(&format!("/orgs/{}?after=zz&status=bogus&q=", w.x1)).await;
    assert_eq!(p.status, StatusCode::OK);

    // Bad or unknown ids: 404 pages, never 500.
    for uri in [
        "/orgs/not-a-uuid".to_string(),
        "/orgs/123".to_string(),
        format!("/orgs/{}", Uuid::now_v7()),
        "/members/xyz".to_string(),
        format!("/members/{}", Uuid::now_v7()),
        "/orgs/%E2%9C%93/edit".to_string(),
        "/members/../edit".to_string(),
        "/ui/orgs/nope/children".to_string(),
        "/ui/orgs/nope/members?q=a".to_string(),
        "/members/new?org=junk".to_string(),
        "/orgs/new?parent=junk".to_string(),
    ] {
        let p = b.get(&uri).await;
        assert_eq!(p.status, StatusCode::NOT_FOUND, "{uri}");
    }
    let p = b.get("/orgs/not-a-uuid").await;
    assert!(p.body.contains("Không tìm thấy"));

    // The member page: labels, dd/mm/yyyy dates.
    let m = b.get(&format!("/members/{}", w.m1)).await;
    assert_eq!(m.status, StatusCode::OK);
    for text in ["Nguyễn Thị Lan", "29/02/1980", "01/06/2015", "Chính thức", "Kinh", "Nữ", "Trung cấp"] {
        assert!(m.body.contains(text), "{text}");
    }
    assert_eq!(b.get("/admin/users").await.status, StatusCode::FORBIDDEN);
}

async fn forms(w: &World) {
    let mut b = Browser::login(w, "staff").await;
    let x1 = w.x1.to_string();

    // A bad CCCD: shown next to the field, values kept, nothing written.
    let before = member_count(w, w.x1).await;
    let p = b.get(&format!("/members/new?org={x1}")).await;
    assert_eq!(p.status, StatusCode::OK);
    let p = b.post("/members", &member_form(&x1, "12345", "Tám")).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.body);
    let block = field_block(&p.body, "citizen_id");
    assert!(block.contains("class=\"error\"") && block.contains("Số CCCD"), "{block}");
    assert!(field_block(&p.body, "given_name").contains("value=\"Tám\""));
    assert!(field_block(&p.body, "birth_date").contains("value=\"15/03/1990\""));
    assert!(!field_block(&p.body, "given_name").contains("class=\"error\""));
    assert_eq!(member_count(w, w.x1).await, before);

    // Without the CSRF token: refused, nothing written.
    let p = b.post_without_csrf("/members", &member_form(&x1, "", "Tám")).await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    let p = b.post_without_csrf("/logout", &[]).await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    let p = b.post_without_csrf(&format!("/orgs/{x1}"), &[("csrf", "forged"), ("name", "X")]).await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    assert_eq!(member_count(w, w.x1).await, before);

    // A good record: saved, then shown.
    let p = b.post("/members", &member_form(&x1, "", "Tám")).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert!(p.location.starts_with("/members/"));
    let page = b.get(&p.location).await;
    assert!(page.body.contains("Lê Văn Tám") && page.body.contains("15/03/1990"));
    assert_eq!(member_count(w, w.x1).await, before + 1);

    // Editing with a stale version: the conflict is shown.
    let edit = b.get(&format!("{}/edit", p.location)).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(field_block(&edit.body, "family_name").contains("value=\"Lê\""));
    let mut stale = member_form(&x1, "", "Tám");
    stale.push(("version", "999"));
    let res = b.post(&p.location, &stale).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert!(res.body.contains("Hồ sơ vừa được người khác sửa"), "{}", res.body);

    // Organisations: create under the commune, edit, move a cell under it.
    let p = b.get(&format!("/orgs/new?parent={}", w.x)).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("value=\"base_committee\""));
    let x = w.x.to_string();
    let bad = b
        .post("/orgs", &[("parent_id", &x), ("name", ""), ("kind", "base_committee"), ("established_on", "31/02/2025")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_block(&bad.body, "name").contains("class=\"error\""));
    assert!(field_block(&bad.body, "established_on").contains("dd/mm/yyyy"));
    assert!(field_block(&bad.body, "established_on").contains("tháng 2 không có ngày 31"), "{}", bad.body);
    let made = b
        .post(
            "/orgs",
            &[
                ("parent_id", &x),
                ("name", "Đảng bộ Cơ quan Phường"),
                ("kind", "base_committee"),
                ("province_code", "1"),
                ("established_on", "01/08/2025"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let new_id = made.location.trim_start_matches("/orgs/").to_string();
    let communes = b.fragment("/ui/communes?province_code=1").await;
    assert!(communes.body.matches("<option").count() > 2);

    let edit = b.get(&format!("/orgs/{}/edit", w.x2)).await;
    assert!(field_block(&edit.body, "name").contains("Chi bộ Tổ dân phố số 2"));
    let saved = b
        .post(
            &format!("/orgs/{}", w.x2),
            &[
                ("name", "Chi bộ Tổ dân phố số 2 (mới)"),
                ("kind", "subordinate_cell"),
                ("province_code", "1"),
                ("established_on", "01/07/2025"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    let pick = b.fragment(&format!("/ui/orgs/{}/pick?q=co+quan", w.x2)).await;
    assert!(pick.body.contains(&format!("value=\"{new_id}\"")), "{}", pick.body);
    let mv = b.get(&format!("/orgs/{}/move?q=co+quan", w.x2)).await;
    assert!(mv.body.contains(&new_id));
    let none = b.post(&format!("/orgs/{}/move", w.x2), &[]).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_block(&none.body, "new_parent_id").contains("class=\"error\""));
    let moved = b.post(&format!("/orgs/{}/move", w.x2), &[("new_parent_id", &new_id)]).await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    let page = b.get(&format!("/orgs/{}", w.x2)).await;
    assert_in_order(
        &page.body,
        &["Đảng bộ Phường Hoàn Kiếm", "Đảng bộ Cơ quan Phường", "Chi bộ Tổ dân phố số 2 (mới)"],
    );
}

async fn secretary(w: &World) {
    let mut b = Browser::login(w, "secretary").await;
    assert_eq!(b.get(&format!("/orgs/{}", w.x1)).await.status, StatusCode::OK);
    for uri in [
        format!("/orgs/{}", w.x2),
        format!("/members/{}", w.m2),
        format!("/ui/orgs/{}/members", w.x2),
        format!("/ui/orgs/{}/children", w.x2),
        format!("/members/{}/edit", w.m2),
    ] {
        let p = b.get(&uri).await;
        assert_eq!(p.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(!p.body.contains("Trần Văn Đức"));
    }
    let home = b.get("/").await;
    assert!(home.body.contains("Chi bộ Tổ dân phố số 1") && !home.body.contains("số 2"));
    let p = b.post(&format!("/members/{}", w.m2), &member_form(&w.x2.to_string(), "", "Đức")).await;
    assert_eq!(p.status, StatusCode::NOT_FOUND);
    let mut inspector = Browser::login(w, "inspector").await;
    assert_eq!(inspector.get(&format!("/orgs/{}", w.x1)).await.status, StatusCode::OK);
    for uri in [format!("/orgs/{}/edit", w.x1), format!("/members/{}/edit", w.m1), format!("/members/new?org={}", w.x1)]
    {
        assert_eq!(inspector.get(&uri).await.status, StatusCode::FORBIDDEN, "{uri}");
    }
    let page = inspector.get(&format!("/orgs/{}", w.x1)).await;
    assert!(!page.body.contains("Thêm đảng viên") && !page.body.contains("/edit\""));
}

async fn own_record(w: &World) {
    let mut b = Browser::login(w, "member").await;
    let page = b.get(&format!("/members/{}", w.m1)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Sửa thông tin liên hệ của tôi"));
    assert!(!page.body.contains(&format!("/members/{}/edit", w.m1)));
    let org = b.get(&format!("/orgs/{}", w.x1)).await;
    assert!(org.body.contains("Vai trò của bạn không xem được danh sách đảng viên"));
    let version = page.body.split("name=\"version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let p = b
        .post(
            &format!("/members/{}/own", w.m1),
            &[("version", &version), ("phone", "0912345678"), ("email", "khong-phai-email")],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.body);
    assert!(field_block(&p.body, "email").contains("class=\"error\""), "{}", p.body);
    assert!(field_block(&p.body, "phone").contains("0912345678"));
    let p = b.post(&format!("/members/{}/own", w.m1), &[("version", &version), ("phone", "0912345678")]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let page = b.get(&p.location).await;
    assert!(page.body.contains("0912345678") && page.body.contains("Đã lưu."));
    assert_eq!(b.get(&format!("/members/{}/edit", w.m1)).await.status, StatusCode::FORBIDDEN);
}

async fn admin(w: &World) {
    let mut b = Browser::login(w, "admin").await;
    let p = b.get("/admin/users").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("secretary") && p.body.contains("Bí thư chi bộ"));
    let bad = b.post("/admin/users", &[("username", "X Y"), ("display_name", "Người Mới"), ("password", "ngan")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_block(&bad.body, "username").contains("class=\"error\""));
    assert!(field_block(&bad.body, "display_name").contains("Người Mới"));
    let ok = b
        .post(
            "/admin/users",
            &[("username", "nguoi.moi"), ("display_name", "Người Mới"), ("password", "mat-khau-du-dai")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let user = w.app.user_by_name(&Viewer::console(), "nguoi.moi").await.unwrap();
    let (uid, y1) = (user.id.to_string(), w.y1.to_string());
    let g = b.post("/admin/grants", &[("user_id", &uid), ("role", "secretary"), ("org_id", "not-an-id")]).await;
    assert_eq!(g.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_block(&g.body, "org_id").contains("class=\"error\""));
    let g = b.post("/admin/grants", &[("user_id", &uid), ("role", "secretary"), ("org_id", &y1)]).await;
    assert_eq!(g.status, StatusCode::SEE_OTHER, "{}", g.body);
    let p = b.get("/admin/users").await;
    // The revoke button of the new account's grant.
    let after_user = p.body.split("nguoi.moi").nth(1).unwrap();
    let grant_id = after_user.split("/admin/grants/").nth(1).unwrap().split('/').next().unwrap().to_string();
    assert!(Uuid::parse_str(&grant_id).is_ok(), "{grant_id}");
    let r = b.post_without_csrf(&format!("/admin/grants/{grant_id}/revoke"), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = b.post(&format!("/admin/grants/{grant_id}/revoke"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let audit = b.get("/admin/audit").await;
    assert_eq!(audit.status, StatusCode::OK);
    assert!(audit.body.contains("user.grant") && audit.body.contains("member.create"), "{}", audit.body);
    let acct = b.get("/account").await;
    assert!(acct.body.contains("Quản trị hệ thống"));
    let p = b
        .post(
            "/account/password",
            &[("current_password", PASSWORD), ("new_password", "mat-khau-moi-dai"), ("confirm_password", "khac")],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_block(&p.body, "confirm_password").contains("class=\"error\""));
    let p = b.post("/logout", &[]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_eq!(p.location, "/login");
    assert_eq!(b.get("/").await.status, StatusCode::SEE_OTHER);
}

/// The accounts page's buttons (unlock, disable, enable, reset) and one's own sessions.
async fn account_life(w: &World) {
    let member = w.user("member").to_string();
    let mut stranger = Browser::new(w);
    for _ in 0..5 {
        let p = stranger.post_without_csrf("/login", &[("username", "member"), ("password", "sai-mat-khau-roi")]).await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let p = stranger.post_without_csrf("/login", &[("username", "member"), ("password", PASSWORD)]).await;
    assert_eq!(p.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(p.body.contains("Quá nhiều lần thử"), "{}", p.body);
    let mut b = Browser::login(w, "staff").await;
    let staff_page = b.get("/account").await;
    assert!(staff_page.body.contains("Phiên này"), "{}", staff_page.body);
    let mut a = Browser::login(w, "admin").await;
    let p = a.get("/admin/users").await;
    assert!(p.body.contains("Đang bị chặn đăng nhập"), "{}", p.body);
    let unlock = format!("/admin/users/{member}/unlock");
    assert!(p.body.contains(&unlock));
    assert_eq!(a.post_without_csrf(&unlock, &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(a.post(&unlock, &[]).await.status, StatusCode::SEE_OTHER);
    let mut m = Browser::login(w, "member").await;
    // The administrator sees the member's sessions and ends one.
    let p = a.get(&format!("/admin/users/{member}/sessions")).await;
    assert_eq!(p.status, StatusCode::OK);
    let end =
        p.body.split(&format!("/admin/users/{member}/sessions/")).nth(1).and_then(|r| r.split('/').next()).unwrap();
    let end = end.to_string();
    let mut m2 = Browser::login(w, "member").await;
    assert_eq!(a.post(&format!("/admin/users/{member}/sessions/{end}/end"), &[]).await.status, StatusCode::SEE_OTHER);
    let alive = [m.get("/").await.status, m2.get("/").await.status];
    assert_eq!(alive.iter().filter(|s| **s == StatusCode::SEE_OTHER).count(), 1, "{alive:?}");
    let mut m = Browser::login(w, "member").await;
    let p = a.post(&format!("/admin/users/{member}/disable"), &[]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert_eq!(m.get("/").await.status, StatusCode::SEE_OTHER, "the disabled account's session ended");
    assert!(a.get("/admin/users").await.body.contains(&format!("/admin/users/{member}/enable")));
    assert_eq!(a.post(&format!("/admin/users/{member}/enable"), &[]).await.status, StatusCode::SEE_OTHER);
    let p = a.post(&format!("/admin/users/{member}/password"), &[("new_password", "mat-khau-cua-dang-vien")]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let p =
        stranger.post_without_csrf("/login", &[("username", "member"), ("password", "mat-khau-cua-dang-vien")]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
}

/// Two-step verification from the pages: enrolment first, then logins with a code.
async fn two_step(w: &World) {
    let router = chibo_web::router(w.app.clone().with_second_factor(true), false);
    let mut b = Browser { router: router.clone(), cookies: BTreeMap::new(), csrf: String::new() };
    let p = b.post_without_csrf("/login", &[("username", "inspector"), ("password", PASSWORD)]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let p = b.get("/").await;
    assert_eq!((p.status, p.location.as_str()), (StatusCode::SEE_OTHER, "/account/2fa"));
    let p = b.get("/account/2fa").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("otpauth://totp/"), "{}", p.body);
    let secret = p.body.split("id=\"totp-secret\">").nth(1).and_then(|r| r.split('<').next()).unwrap().to_string();
    let valid: Vec<String> = [-30, 0, 30].iter().filter_map(|o| chibo_access::code_at(&secret, *o)).collect();
    let wrong = (0..10).map(|d| d.to_string().repeat(6)).find(|c| !valid.contains(c)).unwrap();
    let p = b.post("/account/2fa", &[("code", &wrong), ("secret", &secret)]).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains(&secret));
    let code = chibo_access::code_at(&secret, 0).unwrap();
    let p = b.post("/account/2fa", &[("code", &code), ("secret", &secret)]).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(p.body.contains("recovery-codes"), "{}", p.body);
    assert_eq!(b.get("/").await.status, StatusCode::OK);
    // The next login asks for the code on a second form.
    let mut n = Browser { router, cookies: BTreeMap::new(), csrf: String::new() };
    let p = n.post_without_csrf("/login", &[("username", "inspector"), ("password", PASSWORD)]).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("action=\"/login/code\"") && !n.cookies.contains_key("chibo_session"), "{}", p.body);
    let pending = p.body.split("name=\"pending_token\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap();
    let pending = pending.to_string();
    let p = n.post_without_csrf("/login/code", &[("pending_token", &pending), ("code", &wrong)]).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("action=\"/login/code\""));
    let next = chibo_access::code_at(&secret, 30).unwrap();
    let p = n.post_without_csrf("/login/code", &[("pending_token", &pending), ("code", &next)]).await;
    assert_eq!((p.status, p.location.as_str()), (StatusCode::SEE_OTHER, "/"), "{}", p.body);
    assert_eq!(n.get("/").await.status, StatusCode::OK);
}

async fn english(w: &World) {
    let mut b = Browser::login(w, "staff").await;
    let p = b.post_without_csrf("/lang", &[("lang", "en"), ("next", "/")]).await;
    assert_eq!(p.status, StatusCode::FORBIDDEN, "the switch needs the token when logged in");
    let p = b.post("/lang", &[("lang", "en"), ("next", &format!("/orgs/{}", w.x1))]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_eq!(p.location, format!("/orgs/{}", w.x1));
    assert_eq!(b.cookies.get("chibo_lang").map(String::as_str), Some("en"));
    let org = b.get(&p.location).await;
    assert!(org.body.contains("lang=\"en\""));
    for text in ["Members (sub-organisations included)", "Subordinate cell", "Birth date", "Official", "Tiếng Việt"]
    {
        assert!(org.body.contains(text), "{text}");
    }
    assert!(!org.body.contains("Đảng viên (cả các tổ chức trực thuộc)"));
    let nf = b.get("/orgs/nope").await;
    assert!(nf.body.contains("Not found"));
    let bad = b.post("/members", &member_form(&w.x1.to_string(), "12345", "Tám")).await;
    assert!(field_block(&bad.body, "citizen_id").contains("Citizen ID: "), "{}", bad.body);
    // Another site as `next` is refused: home instead.
    let p = b.post("/lang", &[("lang", "vi"), ("next", "//evil.example/")]).await;
    assert_eq!(p.location, "/");
    assert!(b.get("/").await.body.contains("Cây tổ chức"));
    // Without a session the switch needs no token.
    let mut anon = Browser::new(w);
    let p = anon.post_without_csrf("/lang", &[("lang", "en"), ("next", "/login")]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert!(anon.get("/login").await.body.contains("Log in"));
}

/// The first link in `body` that starts with `prefix`, up to its closing quote.
fn link_starting<'a>(body: &'a str, prefix: &str) -> &'a str {
    let start = body.find(prefix).unwrap_or_else(|| panic!("no link {prefix}"));
    let rest = &body[start..];
    &rest[..rest.find('"').unwrap_or(rest.len())]
}

#[tokio::test]
async fn ui_life_and_tree_through_time() {
    for engine in engines() {
        let w = World::new(engine).await;
        timeline(&w).await;
        tree_through_time(&w).await;
        w.finish().await;
    }
}

async fn timeline(w: &World) {
    let mut b = Browser::login(w, "staff").await;
    let page = format!("/members/{}", w.m1);
    let p = b.get(&page).await;
    for text in ["Quá trình sinh hoạt Đảng", "Tuổi đảng", "Kết nạp vào Đảng", "01/06/2015", "Ghi sự kiện"]
    {
        assert!(p.body.contains(text), "{text}");
    }
    // A striking off without its ground: the error next to the field, values kept.
    let events = format!("{page}/events");
    let bad = b.post(&events, &[("kind", "struck_off"), ("effective", "01/10/2025"), ("reason", "Bỏ sinh hoạt")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(field_block(&bad.body, "ground").contains("class=\"error\""), "{}", bad.body);
    assert!(field_block(&bad.body, "effective").contains("value=\"01/10/2025\""));
    // Each detail field names the kinds that use it (the form shows only those); the error
    // summary names the field to correct.
    assert!(bad.body.contains("id=\"field-ground\" data-kinds=\" struck_off \""), "{}", bad.body);
    assert!(bad.body.contains("id=\"field-form\" data-kinds=\" disciplined \""));
    assert!(bad.body.contains("Chưa lưu được. Hãy sửa: "), "{}", bad.body);
    let future = b.post(&events, &[("kind", "left"), ("effective", "01/01/2099")]).await;
    assert!(field_block(&future.body, "effective").contains("tương lai"), "{}", future.body);
    // Recorded, then shown with its decision and who recorded it.
    let ok = b
        .post(&events, &[("kind", "contact_lost"), ("effective", "01/10/2025"), ("decision_number", "05-QĐ/CB")])
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let p = b.get(&page).await;
    assert_in_order(&p.body, &["Mất liên lạc với tổ chức đảng", "05-QĐ/CB", "staff", "Kết nạp vào Đảng"]);
    // Voiding asks for a confirmation, then strikes the event through.
    let void = link_starting(&p.body, &format!("/members/{}/events/", w.m1)).to_string();
    let confirm = b.get(&void).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains("Hủy bỏ ghi nhận sai") && confirm.body.contains("Mất liên lạc"), "{}", confirm.body);
    assert_eq!(b.post_without_csrf(&void, &[("effective", "01/11/2025")]).await.status, StatusCode::FORBIDDEN);
    let done = b.post(&void, &[("effective", "01/11/2025"), ("reason", "Ghi nhầm")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let p = b.get(&page).await;
    assert!(p.body.contains("<del>Mất liên lạc với tổ chức đảng</del>"), "{}", p.body);
    assert!(p.body.contains("Đã hủy bởi: Hủy bỏ ghi nhận sai 01/11/2025"));
    assert_eq!(b.post(&void, &[("effective", "02/11/2025")]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Readers see the timeline without the form or the void buttons.
    let mut inspector = Browser::login(w, "inspector").await;
    let p = inspector.get(&page).await;
    assert!(p.body.contains("Quá trình sinh hoạt Đảng") && !p.body.contains("Ghi sự kiện"));
    assert!(!p.body.contains("/void\""));
    assert_eq!(inspector.get(&void).await.status, StatusCode::FORBIDDEN);
    for uri in [format!("{page}/events/nope/void"), format!("/members/{}/events/{}/void", w.m1, Uuid::now_v7())] {
        assert_eq!(b.get(&uri).await.status, StatusCode::NOT_FOUND, "{uri}");
    }
    // The cell is found by name: as one types (htmx), or from the typed text alone.
    let found = b.fragment("/ui/cells?org_q=to+dan+pho").await;
    assert!(found.body.contains(&w.x1.to_string()) && found.body.contains(&w.x2.to_string()), "{}", found.body);
    assert!(!b.fragment("/ui/cells?org_q=bi+mat").await.body.contains(&w.y1.to_string()));
    let host =
        b.post(&events, &[("kind", "attachment_started"), ("effective", "01/12/2025"), ("org_q", "pho so 2")]).await;
    assert_eq!(host.status, StatusCode::SEE_OTHER, "{}", host.body);
    assert!(b.get(&page).await.body.contains("Sinh hoạt tạm thời</strong> · Chi bộ Tổ dân phố số 2"));
}

async fn tree_through_time(w: &World) {
    let c = Viewer::console();
    let base = common::org("Đảng bộ Cơ quan Phường", chibo_access::domain::org::OrgKind::BaseCommittee);
    let base = w.app.create_org(&c, Some(w.x), base).await.unwrap().id.to_string();
    let mut b = Browser::login(w, "staff").await;
    // Move with a date and decision.
    let mv = format!("/orgs/{}/move", w.x2);
    assert!(b.get(&mv).await.body.contains("Ngày hiệu lực"));
    let bad = b.post(&mv, &[("new_parent_id", &base), ("effective", "01/06/2025")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_block(&bad.body, "effective").contains("class=\"error\""), "{}", bad.body);
    let ok =
        b.post(&mv, &[("new_parent_id", &base), ("effective", "01/09/2025"), ("decision_number", "20-QĐ/ĐU")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    // The commune as of a date before and after.
    let org = b.get(&format!("/orgs/{}", w.x)).await;
    assert!(org.body.contains("Xem theo ngày") && org.body.contains("Đảng viên chuyển đến"));
    let before = b.get(&format!("/orgs/{}/as-of?on=15/08/2025", w.x)).await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(before.body.contains("Chi bộ Tổ dân phố số 2"), "{}", before.body);
    let after = b.get(&format!("/orgs/{}/as-of?on=2025-09-15", w.x)).await;
    assert!(!after.body.contains("Chi bộ Tổ dân phố số 2") && after.body.contains("Đảng bộ Cơ quan Phường"));
    let cell = b.get(&format!("/orgs/{}/as-of?on=15/09/2025", w.x2)).await;
    assert!(cell.body.contains("Trần Văn Đức") && cell.body.contains(&format!("/orgs/{base}/as-of?on=15/09/2025")));
    let junk = b.get(&format!("/orgs/{}/as-of?on=31%2F02%2F2025", w.x)).await;
    assert_eq!(junk.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(junk.body.contains("tháng 2 không có ngày 31") && junk.body.contains("value=\"31/02/2025\""));
    assert_eq!(b.get(&format!("/orgs/{}/as-of", w.y)).await.status, StatusCode::NOT_FOUND);
    // Rename from a date: the old name before it.
    let rename = format!("/orgs/{}/rename", w.x1);
    assert_eq!(b.get(&format!("/orgs/{}/restructure", w.x1)).await.status, StatusCode::OK);
    let blank = b.post(&rename, &[("name", " "), ("effective", "01/10/2025")]).await;
    assert!(field_block(&blank.body, "name").contains("class=\"error\""), "{}", blank.body);
    let ok = b.post(&rename, &[("name", "Chi bộ Khu phố 1"), ("effective", "01/10/2025")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert!(b.get(&format!("/orgs/{}/as-of?on=30/09/2025", w.x1)).await.body.contains("Chi bộ Tổ dân phố số 1"));
    for page in ["merge", "split", "dissolve"] {
        assert_eq!(b.get(&format!("/orgs/{}/{page}", w.x1)).await.status, StatusCode::OK, "{page}");
    }
    let split = b.get(&format!("/orgs/{}/split", w.x1)).await;
    assert!(split.body.contains(&format!("name=\"to_{}\"", w.m1)), "{}", split.body);
    // Split a member off into a new cell, merge that cell back, dissolve an empty one.
    let ba = w.app.create_member(&c, member("Lê", "Văn", "Ba", w.x1)).await.unwrap().member.id;
    let to_ba = format!("to_{ba}");
    let split = format!("/orgs/{}/split", w.x1);
    let bad = b.post(&split, &[("part1_name", ""), ("effective", "01/11/2025")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let ok = b
        .post(
            &split,
            &[
                ("part1_name", "Chi bộ Khu phố 1B"),
                ("part1_kind", "subordinate_cell"),
                (&to_ba, "1"),
                ("effective", "01/11/2025"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let new_cell = w.app.search_orgs(&c, "khu pho 1b", 5).await.unwrap()[0].id.to_string();
    let roll = b.get(&format!("/orgs/{new_cell}/as-of?on=15/11/2025")).await;
    assert!(roll.body.contains("Lê Văn Ba"), "{}", roll.body);
    let merge = format!("/orgs/{}/merge", w.x1);
    assert!(b.get(&merge).await.body.contains(&format!("value=\"{new_cell}\"")));
    let none = b.post(&merge, &[("effective", "01/12/2025")]).await;
    assert!(none.body.contains("id=\"sources-error\""), "{}", none.body);
    let ok = b.post(&merge, &[("sources", &new_cell), ("effective", "01/12/2025")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let empty = common::org("Chi bộ Tạm", chibo_access::domain::org::OrgKind::SubordinateCell);
    let empty = w.app.create_org(&c, Some(w.x), empty).await.unwrap().id;
    let full = b.post(&format!("/orgs/{}/dissolve", w.x1), &[("effective", "01/12/2025")]).await;
    assert_eq!(full.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", full.body);
    let gone = b.post(&format!("/orgs/{empty}/dissolve"), &[("effective", "01/12/2025")]).await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER, "{}", gone.body);
    // A transfer to the other commune: received there from its incoming list.
    let out = b
        .post(
            &format!("/members/{}/events", w.m2),
            &[("kind", "transferred_out"), ("effective", "01/10/2025"), ("org_id", &w.y1.to_string())],
        )
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER, "{}", out.body);
    let mut y = Browser::login(w, "staff_y").await;
    assert_eq!(y.get(&format!("/members/{}", w.m2)).await.status, StatusCode::NOT_FOUND);
    let org = y.get(&format!("/orgs/{}", w.y)).await;
    assert!(org.body.contains("Trần Văn Đức") && org.body.contains("Tiếp nhận"), "{}", org.body);
    let accept = format!("/orgs/{}/incoming/{}", w.y, w.m2);
    let bad = y.post(&accept, &[("effective", "31/02/2025")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("class=\"error\"") && bad.body.contains("Trần Văn Đức"));
    let ok = y.post(&accept, &[("effective", "05/10/2025"), ("decision_number", "07-QĐ/ĐU")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let member = y.get(&ok.location).await;
    assert!(member.body.contains("Chuyển sinh hoạt đến") && member.body.contains("Chi bộ Bí Mật Ngoài"));
    assert_eq!(b.get(&format!("/members/{}", w.m2)).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn ui_admission_and_work_lists() {
    for engine in engines() {
        let w = World::new(engine).await;
        candidate_pages(&w).await;
        badge_pages(&w).await;
        w.finish().await;
    }
}

fn candidate_form<'a>(org: &'a str, introducer: &'a str, birth: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("org_id", org),
        ("family_name", "Lò"),
        ("middle_name", "Thị"),
        ("given_name", "Xuân"),
        ("birth_date", birth),
        ("gender", "female"),
        ("ethnicity_code", "3"),
        ("course_certificate_on", "01/03/2025"),
        ("application_on", "01/04/2025"),
        ("youth_union_resolution_on", "20/03/2025"),
        ("introducer_1", introducer),
        ("known_since_1", "01/01/2023"),
        ("introducer_2", ""),
        ("known_since_2", ""),
        ("cell_resolution_on", "02/06/2025"),
        ("cell_votes_for", "1"),
        ("cell_vote_base", "1"),
        ("base_resolution_on", "20/06/2025"),
    ]
}

async fn candidate_pages(w: &World) {
    let mut b = Browser::login(w, "staff").await;
    let (x1, m1) = (w.x1.to_string(), w.m1.to_string());
    let org = b.get(&format!("/orgs/{x1}")).await;
    for link in ["candidates", "probation", "badges"] {
        assert!(org.body.contains(&format!("href=\"/orgs/{x1}/{link}\"")), "{link}");
    }
    assert!(org.body.contains("Quần chúng ưu tú / Hồ sơ kết nạp") && org.body.contains("Huy hiệu Đảng"));
    let list = b.get(&format!("/orgs/{x1}/candidates")).await;
    assert_eq!(list.status, StatusCode::OK);
    for text in ["Quần chúng ưu tú / Hồ sơ kết nạp", "Đang làm hồ sơ", "Đã kết nạp", "Thêm quần chúng ưu tú"]
    {
        assert!(list.body.contains(text), "{text}");
    }
    // The form offers the cell's official members as introducers.
    let form = b.get(&format!("/candidates/new?org={x1}")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(field_block(&form.body, "introducer_1").contains(&format!("value=\"{m1}\"")), "{}", form.body);
    assert!(form.body.contains("Người vào Đảng") && form.body.contains("Người giới thiệu"));
    // Bad input: shown beside the fields, values kept; an introducer from outside is refused.
    let bad = b.post("/candidates", &candidate_form(&x1, &m1, "31/02/2001")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(field_block(&bad.body, "birth_date").contains("class=\"error\""));
    assert!(field_block(&bad.body, "given_name").contains("value=\"Xuân\""));
    let m3 = w.m3.to_string();
    let bad = b.post("/candidates", &candidate_form(&x1, &m3, "19/08/2001")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(field_block(&bad.body, "introducer_1").contains("class=\"error\""), "{}", bad.body);
    assert!(!bad.body.contains("Bí Mật"), "nothing of the outside is named");
    let p = b.post_without_csrf("/candidates", &candidate_form(&x1, &m1, "19/08/2001")).await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    let made = b.post("/candidates", &candidate_form(&x1, &m1, "19/08/2001")).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let case = made.location.split('?').next().unwrap_or_default().to_string();
    let page = b.get(&made.location).await;
    for text in ["Lò Thị Xuân", "Quá hạn", "Đã lưu.", "Nguyễn Thị Lan", "02/06/2025", "Dừng hồ sơ"] {
        assert!(page.body.contains(text), "{text}");
    }
    let list = b.get(&format!("/orgs/{}/candidates", w.x)).await;
    assert!(list.body.contains("Lò Thị Xuân") && list.body.contains("tag overdue"), "{}", list.body);
    let edit = b.get(&format!("{case}/edit")).await;
    assert!(field_block(&edit.body, "application_on").contains("value=\"01/04/2025\""));
    let version = edit.body.split("name=\"version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let mut changed = candidate_form(&x1, &m1, "19/08/2001");
    changed.extend([("version", version.as_str()), ("middle_name", "Thị Thu")]);
    let saved = b.post(&case, &changed).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    // The admission form: the ceremony before the decision is refused beside its field.
    let admit = b.get(&format!("{case}/admit")).await;
    assert_eq!(admit.status, StatusCode::OK);
    assert!(admit.body.contains("Kết nạp vào Đảng") && admit.body.contains("Ngày tổ chức lễ kết nạp"));
    let version = admit.body.split("name=\"version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let decision = |ceremony| {
        vec![
            ("version", version.clone()),
            ("decision_number", "125-QĐ/ĐU".to_string()),
            ("decision_body", "Đảng ủy Phường Hoàn Kiếm".to_string()),
            ("decision_signed_on", "15/07/2025".to_string()),
            ("ceremony_on", ceremony),
        ]
    };
    let pairs = decision("10/07/2025".into());
    let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let p = b.post(&format!("{case}/admit"), &refs).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.body);
    assert!(field_block(&p.body, "ceremony_on").contains("class=\"error\""), "{}", p.body);
    let pairs = decision("20/07/2025".into());
    let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let p = b.post(&format!("{case}/admit"), &refs).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert!(p.location.starts_with("/members/"), "{}", p.location);
    let member = b.get(&p.location).await;
    assert!(member.body.contains("Lò Thị Thu Xuân") && member.body.contains("Dự bị"));
    assert!(member.body.contains("/ui/members/") && member.body.contains("hx-trigger=\"load\""));
    let closed = b.get(&case).await;
    assert!(closed.body.contains("Đã kết nạp") && !closed.body.contains("Dừng hồ sơ"));
    assert_eq!(b.get(&format!("{case}/edit")).await.status, StatusCode::FORBIDDEN);

    // Probation from 20/07/2025 ended 20/07/2026: on the work list with its dates.
    let prob = b.get(&format!("/orgs/{}/probation", w.x)).await;
    assert_eq!(prob.status, StatusCode::OK);
    for text in ["Đảng viên dự bị sắp hết hạn / quá hạn xét chính thức", "Lò Thị Thu Xuân", "20/07/2026"]
    {
        assert!(prob.body.contains(text), "{text}: {}", prob.body);
    }

    // Withdrawing another case from its page.
    let made = b.post("/candidates", &candidate_form(&x1, &m1, "19/08/2001")).await;
    let case = made.location.split('?').next().unwrap_or_default().to_string();
    let page = b.get(&case).await;
    let version = page.body.split("name=\"version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let p = b.post(&format!("{case}/withdraw"), &[("version", &version)]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let list = b.get(&format!("/orgs/{x1}/candidates?state=withdrawn")).await;
    assert!(list.body.contains("Lò Thị Xuân"), "{}", list.body);

    // Readers see the lists, not the actions; bad ids are not found.
    let mut inspector = Browser::login(w, "inspector").await;
    let list = inspector.get(&format!("/orgs/{x1}/candidates")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.body.contains("Thêm quần chúng ưu tú"));
    assert_eq!(inspector.get(&format!("/candidates/new?org={x1}")).await.status, StatusCode::FORBIDDEN);
    for uri in ["/candidates/nope", "/orgs/nope/candidates", "/orgs/nope/probation", "/orgs/nope/badges"] {
        assert_eq!(inspector.get(uri).await.status, StatusCode::NOT_FOUND, "{uri}");
    }
    let mut secretary = Browser::login(w, "secretary").await;
    let y1 = w.y1.to_string();
    assert_eq!(secretary.get(&format!("/orgs/{y1}/candidates")).await.status, StatusCode::NOT_FOUND);
}

async fn badge_pages(w: &World) {
    let mut veteran = member("Hoàng", "Văn", "Cựu", w.x1);
    veteran.admission_date = time::macros::date!(1990 - 11 - 07);
    veteran.official_date = Some(time::macros::date!(1991 - 11 - 07));
    let vet = w.app.create_member(&Viewer::console(), veteran).await.unwrap().member.id;
    let mut b = Browser::login(w, "secretary").await;
    let x1 = w.x1.to_string();
    let page = b.get(&format!("/orgs/{x1}/badges")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Huy hiệu Đảng") && page.body.contains("<option value=\""), "{}", page.body);
    let bad = b.get(&format!("/orgs/{x1}/badges?award_on=2021-11-08")).await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.body.contains("ngày trao Huy hiệu Đảng"), "{}", bad.body);
    let list = b.get(&format!("/orgs/{x1}/badges?award_on=2021-11-07")).await;
    for text in ["Hoàng Văn Cựu", "Huy hiệu 30 năm tuổi Đảng", "07/11/2020", "Ghi nhận đã trao"] {
        assert!(list.body.contains(text), "{text}: {}", list.body);
    }
    let back = format!("/orgs/{x1}/badges?award_on=2021-11-07");
    let award = [("years", "30"), ("award_on", "07/11/2021"), ("decision_number", "08-QĐ/TU"), ("next", back.as_str())];
    let p = b.post(&format!("/members/{vet}/badges"), &award).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert_eq!(p.location, format!("{back}&saved=1"));
    let list = b.get(&p.location).await;
    assert!(list.body.contains("Đã lưu.") && !list.body.contains("Hoàng Văn Cựu"), "{}", list.body);
    // Twice: refused beside the badge field on the member's badges page.
    let p = b.post(&format!("/members/{vet}/badges"), &award).await;
    assert_eq!(p.status, StatusCode::CONFLICT, "{}", p.body);
    assert!(field_block(&p.body, "years").contains("đã trao"), "{}", p.body);
    let frag = b.fragment(&format!("/ui/members/{vet}/badges")).await;
    assert_eq!(frag.status, StatusCode::OK);
    assert!(frag.body.contains("Huy hiệu 30 năm tuổi Đảng") && frag.body.contains("08-QĐ/TU"));
    assert!(!frag.body.contains("<html"), "a fragment");
    let own = b.get(&format!("/members/{vet}/badges")).await;
    assert!(own.body.contains("Ghi nhận huy hiệu đã trao") && own.body.contains("07/11/2021"));
    let mut inspector = Browser::login(w, "inspector").await;
    let list = inspector.get(&format!("/orgs/{x1}/badges?award_on=2022-02-03")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.body.contains("Ghi nhận đã trao"));
    let own = inspector.get(&format!("/members/{vet}/badges")).await;
    assert!(own.body.contains("Huy hiệu 30 năm tuổi Đảng") && !own.body.contains("Ghi nhận huy hiệu đã trao"));
}

#[tokio::test]
async fn ui_cell_meetings() {
    for engine in engines() {
        let w = World::new(engine).await;
        meeting_pages(&w).await;
        w.finish().await;
    }
}

fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// The meeting's id in a redirect to its page.
fn meeting_of(location: &str) -> String {
    location.trim_start_matches("/meetings/").split('?').next().unwrap_or_default().to_string()
}

async fn meeting_pages(w: &World) {
    let c = Viewer::console();
    let mut ids = Vec::new();
    for (family, middle, given) in [("Lê", "Văn", "An"), ("Hoàng", "Thị", "Bình"), ("Vũ", "Đức", "Cường")]
    {
        ids.push(w.app.create_member(&c, member(family, middle, given, w.x1)).await.unwrap().member.id.to_string());
    }
    let (an, binh, cuong, lan) = (ids[0].clone(), ids[1].clone(), ids[2].clone(), w.m1.to_string());
    // Cường is exempt from activities from 01/08/2025.
    let mut api = w.client("staff").await;
    let (status, text) = api
        .call(
            "POST",
            &format!("/api/v1/members/{cuong}/events"),
            Some(serde_json::json!({"kind": "exemption_started", "effective": "2025-08-01", "reason": "Tuổi cao"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let x1 = w.x1.to_string();
    let mut b = Browser::login(w, "secretary").await;

    // From the cell's page to its meetings and the scheduling form.
    let org = b.get(&format!("/orgs/{x1}")).await;
    assert!(org.body.contains(&format!("href=\"/orgs/{x1}/meetings?year=")), "{}", org.body);
    assert!(org.body.contains("Sinh hoạt chi bộ") && org.body.contains("Số liệu sinh hoạt chi bộ"));
    let list = b.get(&format!("/orgs/{x1}/meetings?year=2025")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Lên lịch sinh hoạt") && list.body.contains("Chưa có buổi sinh hoạt nào"));
    let plan = |time: &'static str| {
        vec![
            ("kind", "regular"),
            ("held_on", "10/09/2025"),
            ("starts_at", time),
            ("place", "Nhà văn hóa tổ dân phố số 1"),
            ("agenda", "Sinh hoạt thường kỳ tháng 9"),
            ("guests", ""),
        ]
    };
    let bad = b.post(&format!("/orgs/{x1}/meetings"), &plan("25:00")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(field_block(&bad.body, "starts_at").contains("class=\"error\""), "{}", bad.body);
    assert!(field_block(&bad.body, "held_on").contains("value=\"10/09/2025\""), "values are kept");
    let made = b.post(&format!("/orgs/{x1}/meetings"), &plan("19:30")).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let id = meeting_of(&made.location);
    let page = b.get(&made.location).await;
    for text in ["Sinh hoạt thường kỳ — 10/09/2025", "Đã lưu.", "Đã lên lịch", "Nhà văn hóa tổ dân phố số 1"]
    {
        assert!(page.body.contains(text), "{text}");
    }
    assert!(page.body.contains(&format!("href=\"/meetings/{id}/attendance\"")));
    let list = b.get(&format!("/orgs/{x1}/meetings?year=2025")).await;
    assert!(list.body.contains("10/09/2025 · 19:30"), "{}", list.body);

    // The attendance form for a phone: one row per member, everyone present but the exempt
    // member, big radio labels, no table, no correction reason before anything is recorded.
    let form = b.get(&format!("/meetings/{id}/attendance")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let body = &form.body;
    assert!(body.contains("name=\"viewport\" content=\"width=device-width, initial-scale=1\""));
    assert_eq!(body.matches("<fieldset class=\"mark-row").count(), 4, "{body}");
    for m in [&an, &binh, &lan] {
        assert!(body.contains(&format!("name=\"mark.{m}\" value=\"present\" class=\"m-present\" checked")), "{m}");
        assert!(body.contains(&format!("name=\"mark.{m}\" value=\"excused\"")), "{m}");
    }
    assert!(body.contains(&format!("name=\"mark.{cuong}\" value=\"exempt\" class=\"m-exempt\" checked")), "{body}");
    assert!(!body.contains(&format!("name=\"mark.{cuong}\" value=\"unexcused\"")));
    assert!(body.contains("Miễn sinh hoạt") && body.contains("Vắng có lý do") && body.contains("Vắng không lý do"));
    assert!(!body.contains("<table") && !body.contains("style="), "stacked rows, no inline style");
    assert!(!body.contains("id=\"reason\""), "no correction reason before any mark");
    assert_eq!(body.matches("type=\"submit\"").count(), 1 + 2, "one submit (and the header's two)");
    let marks = |binh_mark: &'static str| {
        vec![
            (format!("mark.{an}"), "excused".to_string()),
            (format!("reason.{an}"), "Ốm".to_string()),
            (format!("mark.{binh}"), binh_mark.to_string()),
            (format!("reason.{binh}"), String::new()),
            (format!("mark.{cuong}"), "exempt".to_string()),
            (format!("mark.{lan}"), "present".to_string()),
            ("version".to_string(), "1".to_string()),
        ]
    };
    let first = marks("unexcused");
    let done = b.post(&format!("/meetings/{id}/attendance"), &pairs(&first)).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let again = b.get(&format!("/meetings/{id}/attendance")).await;
    assert!(again.body.contains("id=\"reason\""), "the day has passed and marks exist: a reason is asked");
    assert!(
        again.body.contains(&format!("name=\"mark.{an}\" value=\"excused\" class=\"m-excused wants-reason\" checked"))
    );
    assert!(again.body.contains(&format!("name=\"reason.{an}\" value=\"Ốm\"")));
    // A changed mark without the reason: refused, the reason field says why.
    let mut second = marks("present");
    second.push(("version".into(), "2".into()));
    let refused = b.post(&format!("/meetings/{id}/attendance"), &pairs(&second)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(field_block(&refused.body, "reason").contains("class=\"error\""), "{}", refused.body);
    second.push(("reason".into(), "Ghi nhầm".into()));
    let done = b.post(&format!("/meetings/{id}/attendance"), &pairs(&second)).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = b.get(&format!("/meetings/{id}")).await;
    assert!(page.body.contains("Ghi nhầm") && page.body.contains("Đã họp"), "{}", page.body);

    // The minutes: the vote base shown, more speaker rows on request, errors beside fields.
    let form = b.get(&format!("/meetings/{id}/minutes/edit")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("Số đảng viên chính thức được tính để biểu quyết: 2"), "{}", form.body);
    assert!(field_block(&form.body, "chair_id").contains(&format!("value=\"{lan}\"")));
    assert!(!field_block(&form.body, "chair_id").contains(&format!("value=\"{an}\"")), "only those present");
    assert!(form.body.contains("Không có buổi sinh hoạt trước."));
    let minutes = |start: &'static str| {
        vec![
            ("version", "3"),
            ("starts_at", start),
            ("ends_at", "21:30"),
            ("place", "Nhà văn hóa tổ dân phố số 1"),
            ("agenda", "Đánh giá tháng 8, nhiệm vụ tháng 9"),
            ("guests", "Đồng chí Trần Văn Hải"),
            ("followup", ""),
            ("speakers.0.member_id", ""),
            ("speakers.0.name", ""),
            ("speakers.0.opinion", ""),
            ("speakers.1.member_id", ""),
            ("speakers.1.name", "Đồng chí Trần Văn Hải"),
            ("speakers.1.opinion", "Ghi nhận kết quả"),
            ("conclusions", "Thống nhất nhiệm vụ tháng 9"),
            ("resolution", "Tổng vệ sinh ngày 15/9"),
            ("votes_for", "2"),
            ("votes_against", "0"),
            ("votes_abstain", "0"),
        ]
    };
    let mut more = minutes("19:30");
    more.push(("more", "1"));
    let more = b.post(&format!("/meetings/{id}/minutes/edit"), &more).await;
    assert_eq!(more.status, StatusCode::OK);
    assert!(more.body.contains("name=\"speakers.5.opinion\""), "more rows");
    assert!(field_block(&more.body, "speakers.0.name").contains("Đồng chí Trần Văn Hải"), "blank rows closed up");
    let bad = b.post(&format!("/meetings/{id}/minutes/edit"), &minutes("7h")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(field_block(&bad.body, "starts_at").contains("class=\"error\""));
    let mut good = minutes("19:30");
    good.extend([("chair_id", lan.as_str()), ("recorder_id", binh.as_str())]);
    good.extend([("speakers.0.member_id", lan.as_str()), ("speakers.0.opinion", "Đề nghị giữ gìn vệ sinh")]);
    let done = b.post(&format!("/meetings/{id}/minutes/edit"), &good).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);

    // The printable minutes carry the header, the totals and the absent with their reasons.
    let print = b.get(&format!("/meetings/{id}/minutes")).await;
    assert_eq!(print.status, StatusCode::OK, "{}", print.body);
    for text in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "BIÊN BẢN SINH HOẠT CHI BỘ",
        "CHI BỘ TỔ DÂN PHỐ SỐ 1",
        "ngày 10 tháng 9 năm 2025",
        "Tổng số đảng viên: <strong>4</strong>",
        "Có mặt: <strong>2</strong>",
        "Vắng có lý do: <strong>1</strong>",
        "Vắng không lý do: <strong>0</strong>",
        "Miễn sinh hoạt: <strong>1</strong>",
        "Lê Văn An — Vắng mặt có lý do: Ốm",
        "Nguyễn Thị Lan</strong>: <span class=\"pre\">Đề nghị giữ gìn vệ sinh",
        "Tổng vệ sinh ngày 15/9",
        "Số phiếu tán thành: 2/2",
        "CHỦ TRÌ",
        "THƯ KÝ",
        "data-print",
        "Bản nháp",
    ] {
        assert!(print.body.contains(text), "{text}: {}", print.body);
    }
    let css = b.get("/static/app.css").await;
    assert!(css.body.contains("@media print"));

    // Rating: judged criteria entered, the result shown.
    let rate = b.get(&format!("/meetings/{id}/assess")).await;
    assert!(rate.body.contains("name=\"scores.preparation\"") && rate.body.contains("Tính từ hồ sơ"), "{}", rate.body);
    let rated = b
        .post(
            &format!("/meetings/{id}/assess"),
            &[("version", "4"), ("scores.preparation", "18"), ("scores.principles", "9"), ("scores.resolution", "")],
        )
        .await;
    assert_eq!(rated.status, StatusCode::UNPROCESSABLE_ENTITY, "a judged criterion is missing");
    assert!(field_block(&rated.body, "scores.resolution").contains("class=\"error\""), "{}", rated.body);
    let rated = b
        .post(
            &format!("/meetings/{id}/assess"),
            &[("version", "4"), ("scores.preparation", "18"), ("scores.principles", "9"), ("scores.resolution", "14")],
        )
        .await;
    assert_eq!(rated.status, StatusCode::OK, "{}", rated.body);
    assert!(rated.body.contains("Kết quả:"), "{}", rated.body);

    // Documents: uploaded with the form, downloaded, refused when the type is not allowed.
    let up = b.upload(&format!("/meetings/{id}/documents"), "Nghị quyết.txt", "Nội dung nghị quyết").await;
    assert_eq!(up.status, StatusCode::SEE_OTHER, "{}", up.body);
    let page = b.get(&format!("/meetings/{id}")).await;
    let doc = link_starting(&page.body, "/documents/").to_string();
    assert!(page.body.contains("Nghị quyết.txt"));
    assert_eq!(b.get(&doc).await.body, "Nội dung nghị quyết");
    let up = b.upload(&format!("/meetings/{id}/documents"), "virus.exe", "MZ").await;
    assert_eq!(up.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(up.body.contains("Tệp: chỉ nhận PDF"), "{}", up.body);
    let mut stranger = Browser::new(w);
    stranger.csrf = "forged".into();
    stranger.cookies = b.cookies.clone();
    assert_eq!(stranger.upload(&format!("/meetings/{id}/documents"), "a.txt", "x").await.status, StatusCode::FORBIDDEN);

    // Approval locks the minutes.
    let page = b.get(&format!("/meetings/{id}")).await;
    let version = page.body.split("name=\"version\" value=\"").nth(1).and_then(|s| s.split('"').next()).unwrap();
    let version = version.to_string();
    let done = b.post(&format!("/meetings/{id}/approve"), &[("version", version.as_str())]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = b.get(&format!("/meetings/{id}")).await;
    assert!(page.body.contains("Biên bản đã thông qua"));
    assert_eq!(b.get(&format!("/meetings/{id}/attendance")).await.status, StatusCode::FORBIDDEN);
    assert!(!b.get(&format!("/meetings/{id}/minutes")).await.body.contains("Bản nháp"));

    // A member sees the coming meeting and tells an absence; the secretary accepts it.
    let soon = chibo_access::domain::date::format_vn(common::today().saturating_add(time::Duration::days(5)));
    let next = b
        .post(
            &format!("/orgs/{x1}/meetings"),
            &[("kind", "thematic"), ("held_on", soon.as_str()), ("agenda", "Chuyên đề")],
        )
        .await;
    assert_eq!(next.status, StatusCode::SEE_OTHER, "{}", next.body);
    let next = meeting_of(&next.location);
    // A second meeting of the same kind on the same day is said to be one, and listed as such.
    let again = b
        .post(
            &format!("/orgs/{x1}/meetings"),
            &[("kind", "thematic"), ("held_on", soon.as_str()), ("agenda", "Chuyên đề")],
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    let page = b.get(&again.location).await;
    assert!(page.body.contains("alert warn duplicate"), "{}", page.body);
    assert!(b.get(&format!("/meetings/{next}")).await.body.contains("alert warn duplicate"), "both are flagged");
    let version = page.body.split("name=\"version\" value=\"").nth(1).and_then(|s| s.split('"').next()).unwrap();
    let version = version.to_string();
    let again = meeting_of(&again.location);
    let gone = b.post(&format!("/meetings/{again}/cancel"), &[("version", version.as_str())]).await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER, "{}", gone.body);
    assert!(
        !b.get(&format!("/meetings/{next}")).await.body.contains("alert warn duplicate"),
        "a cancelled one is no twin"
    );
    let mut m = Browser::login(w, "member").await;
    let home = m.get("/").await;
    assert!(home.body.contains("Sinh hoạt sắp tới") && home.body.contains(&soon), "the member's home: {}", home.body);
    assert!(!home.body.contains("href=\"/tree\""), "a member alone has no tree in the menu");
    let up = m.get("/my/meetings").await;
    assert!(up.body.contains("Sinh hoạt chuyên đề") && up.body.contains(&soon), "{}", up.body);
    let bad = m.post(&format!("/meetings/{next}/notice"), &[("reason", ""), ("next", "/my/meetings")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("class=\"error\""));
    let sent =
        m.post(&format!("/meetings/{next}/notice"), &[("reason", "Đi công tác"), ("next", "/my/meetings")]).await;
    assert_eq!((sent.status, sent.location.as_str()), (StatusCode::SEE_OTHER, "/my/meetings?saved=1"));
    assert!(m.get("/my/meetings").await.body.contains("Chờ bí thư xác nhận"));
    let seen = m.get(&format!("/meetings/{next}")).await;
    assert!(seen.body.contains("Điểm danh của bạn") && !seen.body.contains("Lê Văn An"), "own line only");
    assert_eq!(
        m.get(&format!("/meetings/{id}/minutes")).await.status,
        StatusCode::FORBIDDEN,
        "the minutes name everyone"
    );
    // The secretary's home leads with what waits: the notice, answered in place; the header counts.
    let home = b.get("/").await;
    assert!(home.body.contains("Việc đang chờ") && home.body.contains("Đi công tác"), "{}", home.body);
    assert!(home.body.contains(&format!("action=\"/meetings/{next}/notices/{lan}\"")));
    assert!(home.body.contains("hx-get=\"/ui/waiting\""));
    assert!(b.fragment("/ui/waiting").await.body.contains("class=\"count\""));
    assert!(!m.fragment("/ui/waiting").await.body.contains("count"), "a member has no count");
    let page = b.get(&format!("/meetings/{next}")).await;
    assert!(page.body.contains("Đi công tác") && page.body.contains("Đồng ý (vắng có lý do)"), "{}", page.body);
    let done = b.post(&format!("/meetings/{next}/notices/{lan}"), &[("accept", "1")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert!(m.get("/my/meetings").await.body.contains("Đã đồng ý"));
    // The member's home: their own record and the meeting, where the notice is withdrawn.
    let home = m.get("/").await;
    assert!(home.body.contains(&format!("href=\"/members/{lan}\"")), "{}", home.body);
    assert!(home.body.contains("Rút lại báo vắng") && home.body.contains("Sinh hoạt chuyên đề"));
    let gone = m.post(&format!("/meetings/{next}/notice/withdraw"), &[("next", "/")]).await;
    assert_eq!((gone.status, gone.location.as_str()), (StatusCode::SEE_OTHER, "/?saved=1"));
    assert!(!m.get("/").await.body.contains("Rút lại báo vắng"));
    let page = b.get(&format!("/meetings/{next}")).await;
    assert!(!page.body.contains("Đồng ý (vắng có lý do)"), "the notice is gone for the secretary too");

    // Topics of the year.
    let bad = b.post(&format!("/orgs/{x1}/topics"), &[("year", "2025"), ("month", "10"), ("title", "")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_block(&bad.body, "title").contains("class=\"error\""));
    let done =
        b.post(&format!("/orgs/{x1}/topics"), &[("year", "2025"), ("month", "10"), ("title", "Chuyển đổi số")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert!(b.get(&done.location).await.body.contains("Chuyển đổi số"));

    // Figures of the commune: the period selector, shares with num/den, drill-down links.
    let mut s = Browser::login(w, "staff").await;
    let x = w.x.to_string();
    let f = s.get(&format!("/orgs/{x}/meeting-figures?period=2025-09")).await;
    assert_eq!(f.status, StatusCode::OK, "{}", f.body);
    for text in [
        "Số liệu sinh hoạt chi bộ: Tháng 09/2025",
        "50% (1/2)",
        "2/3",
        &format!("href=\"/orgs/{x1}/meeting-figures?period=2025-09\""),
        "Chi bộ Tổ dân phố số 2",
        "Chi bộ chưa sinh hoạt thường kỳ, theo tháng",
    ] {
        assert!(f.body.contains(text), "{text}: {}", f.body);
    }
    // The whole list of a month, page by page, with the count.
    let list = s.get(&format!("/orgs/{x}/meeting-figures/missing?period=2025-09")).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    for text in ["Chưa sinh hoạt thường kỳ: Tháng 09/2025", "<strong>1</strong>", "Chi bộ Tổ dân phố số 2"]
    {
        assert!(list.body.contains(text), "{text}: {}", list.body);
    }
    let bad = s.get(&format!("/orgs/{x}/meeting-figures/missing?period=2025-09&offset=x")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let f = s.get(&format!("/orgs/{x}/meeting-figures?p=quarter&year=2025&quarter=3")).await;
    assert!(f.body.contains("Quý 3/2025"), "{}", f.body);
    let f = s.get(&format!("/orgs/{x}/meeting-figures?p=custom&from=01/09/2025&to=31/10/2025")).await;
    assert_eq!(f.status, StatusCode::OK);
    assert!(f.body.contains("01/09/2025 – 31/10/2025"), "{}", f.body);
    let f = s.get(&format!("/orgs/{x}/meeting-figures?p=custom&from=h%C3%B4m%20qua&to=")).await;
    assert_eq!(f.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(f.body.contains("Kỳ báo cáo"), "{}", f.body);
    // The committee above the cell heads the minutes for whoever may read it.
    assert!(s.get(&format!("/meetings/{id}/minutes")).await.body.contains("ĐẢNG BỘ PHƯỜNG HOÀN KIẾM"));
    let cell = s.get(&format!("/orgs/{x1}/meeting-figures?period=2025-09")).await;
    assert!(cell.body.contains(&format!("href=\"/meetings/{id}\"")), "the cell's meetings: {}", cell.body);
    let absences = s.get(&format!("/orgs/{x1}/absences?year=2025")).await;
    assert_eq!(absences.status, StatusCode::OK);
    assert!(absences.body.contains("Không có đảng viên nào cần quan tâm."), "{}", absences.body);
    // The commune's list gathers its cells' lists (the same here: nobody), with a cell column.
    let absences = s.get(&format!("/orgs/{}/absences?year=2025", w.x)).await;
    assert_eq!(absences.status, StatusCode::OK);
    assert!(absences.body.contains("Không có đảng viên nào cần quan tâm."), "{}", absences.body);
    // Outside the grants: not found.
    let mut y = Browser::login(w, "staff_y").await;
    for uri in
        [format!("/meetings/{id}"), format!("/meetings/{id}/minutes"), format!("/orgs/{x1}/meetings"), doc.clone()]
    {
        assert_eq!(y.get(&uri).await.status, StatusCode::NOT_FOUND, "{uri}");
    }
}
