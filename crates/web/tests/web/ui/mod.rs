//! The HTML interface through the real router, on every engine: a browser (cookies, the CSRF
//! token of the last page) and the stories of each page, one test each — logging in with the
//! form, the tree, the organisation page (Vietnamese order, diacritic-free search, cursors),
//! forms that keep values and show errors next to fields, CSRF, access, the language switch,
//! 404 pages for bad ids, members' lives, admission, meetings, import and reports.

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

mod accounts;
mod admission;
mod import;
mod inspection;
mod inspection_docs;
mod inspection_print;
mod life;
mod meetings;
mod member_list;
mod registry;
mod reports;
mod review;

/// The header row of a sheet: the first row that starts with `first`.
fn header_row(rows: &[Vec<String>], first: &str) -> Vec<String> {
    let row = rows.iter().find(|r| r.first().is_some_and(|c| c == first)).cloned().unwrap_or_default();
    row.into_iter().filter(|c| !c.is_empty()).collect()
}

/// Each `<th>` of a page, in order (a sorted column's mark left out).
fn page_headers(page: &str) -> Vec<String> {
    page.replace(" aria-sort=\"ascending\"", "")
        .split("<th scope=\"col\">")
        .skip(1)
        .filter_map(|s| s.split("</th>").next())
        .map(|h| h.trim_end_matches(" ↑").to_string())
        .collect()
}

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

fn link_starting<'a>(body: &'a str, prefix: &str) -> &'a str {
    let start = body.find(prefix).unwrap_or_else(|| panic!("no link {prefix}"));
    let rest = &body[start..];
    &rest[..rest.find('"').unwrap_or(rest.len())]
}

fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// The meeting's id in a redirect to its page.
fn meeting_of(location: &str) -> String {
    location.trim_start_matches("/meetings/").split('?').next().unwrap_or_default().to_string()
}

/// Five more members of cell X1 (the registry stories sort and search them).
async fn with_x1_members(w: &World) {
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
}

/// Run `story` on a fresh world of every engine; with the five members of [`with_x1_members`]
/// when `x1_members`.
async fn each_engine(x1_members: bool, story: impl AsyncFn(&World)) {
    for engine in engines() {
        let w = World::new(engine).await;
        if x1_members {
            with_x1_members(&w).await;
        }
        story(&w).await;
        w.finish().await;
    }
}
