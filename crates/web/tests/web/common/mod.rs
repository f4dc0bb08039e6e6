//! A fresh database per test with a small tree, accounts for every role, and a client that
//! drives the real router.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chibo_access::domain::access::Role;
use chibo_access::domain::member::{Gender, MemberInput, TheoryLevel};
use chibo_access::domain::org::{OrgInput, OrgKind};
use chibo_access::{Chibo, Viewer};
use chibo_store::testing::{TODAY, TestDb};
use serde_json::{Value, json};
use time::macros::date;
use tower::ServiceExt;
use uuid::Uuid;

pub mod contract;

/// The tests' working date (the application's clock is pinned to it).
pub fn today() -> time::Date {
    TODAY
}

pub const PASSWORD: &str = "mat-khau-thu-nghiem";

/// province P → commune X (cells X1, X2) and commune Y (cell Y1); members m1 (X1), m2 (X2),
/// m3 (Y1); accounts: admin@P, staff@X, inspector@X, secretary@X1, member@X1 (m1), staff_y@Y.
pub struct World {
    pub db: TestDb,
    pub app: Chibo,
    pub province: Uuid,
    pub x: Uuid,
    pub x1: Uuid,
    pub x2: Uuid,
    pub y: Uuid,
    pub y1: Uuid,
    pub m1: Uuid,
    pub m2: Uuid,
    pub m3: Uuid,
    pub users: Vec<(String, Uuid)>,
}

/// The plan of a regular meeting on 10/09/2025.
pub fn september_plan() -> chibo_access::MeetingInput {
    chibo_access::MeetingInput {
        kind: chibo_access::domain::meeting::MeetingKind::Regular,
        held_on: time::macros::date!(2025 - 09 - 10),
        starts_at: Some("19:30".into()),
        place: "Nhà văn hóa".into(),
        agenda: "Sinh hoạt thường kỳ tháng 9".into(),
        topic_id: None,
        guests: String::new(),
    }
}

pub fn org(name: &str, kind: OrgKind) -> OrgInput {
    OrgInput { established_on: Some(date!(2025 - 07 - 01)), ..chibo_testkit::org(name, kind) }
}

pub fn member(family: &str, middle: &str, given: &str, cell: Uuid) -> MemberInput {
    MemberInput {
        birth_date: date!(1980 - 02 - 29),
        gender: Gender::Female,
        theory_level: TheoryLevel::Intermediate,
        ..chibo_testkit::member(family, middle, given, cell)
    }
}

/// A whole dossier: one official member of the cell and the Youth Union introduce the
/// candidate; the cell voted 1 of 1 on 02/06/2025.
pub fn dossier(introducer: Uuid) -> Value {
    json!({
        "family_name": "Lò", "middle_name": "Thị", "given_name": "Xuân", "birth_date": "2001-08-19",
        "gender": "female", "ethnicity_code": 3, "course_certificate_on": "2025-03-01",
        "application_on": "2025-04-01", "youth_union_resolution_on": "2025-03-20",
        "introducers": [{"member_id": introducer, "known_since": "2023-01-01"}],
        "cell_resolution_on": "2025-06-02", "cell_votes_for": 1, "cell_vote_base": 1,
        "base_resolution_on": "2025-06-20",
    })
}

pub fn admission(version: &Value) -> Value {
    json!({"decision_number": "125-QĐ/ĐU", "decision_body": "Đảng ủy Phường Hoàn Kiếm",
        "decision_signed_on": "2025-07-15", "ceremony_on": "2025-07-20", "version": version})
}

impl World {
    pub async fn new(engine: chibo_store::Engine) -> World {
        let db = TestDb::new(engine).await.expect("database");
        let app = Chibo::with_pools(db.pools.clone()).with_clock(chibo_access::Clock::Pinned(TODAY));
        let c = Viewer::console();
        let p = app.create_org(&c, None, org("Đảng bộ Thành phố Hà Nội", OrgKind::Provincial)).await.unwrap().id;
        let x = app.create_org(&c, Some(p), org("Đảng bộ Phường Hoàn Kiếm", OrgKind::Commune)).await.unwrap().id;
        let x1 = app.create_org(&c, Some(x), org("Chi bộ Tổ dân phố số 1", OrgKind::SubordinateCell)).await.unwrap().id;
        let x2 = app.create_org(&c, Some(x), org("Chi bộ Tổ dân phố số 2", OrgKind::SubordinateCell)).await.unwrap().id;
        let y = app.create_org(&c, Some(p), org("Đảng bộ Phường Cửa Nam", OrgKind::Commune)).await.unwrap().id;
        let y1 = app.create_org(&c, Some(y), org("Chi bộ Bí Mật Ngoài", OrgKind::SubordinateCell)).await.unwrap().id;
        let m1 = app.create_member(&c, member("Nguyễn", "Thị", "Lan", x1)).await.unwrap().member.id;
        let m2 = app.create_member(&c, member("Trần", "Văn", "Đức", x2)).await.unwrap().member.id;
        let m3 = app.create_member(&c, member("Phạm", "Bí", "Mật", y1)).await.unwrap().member.id;
        let mut users = Vec::new();
        for (name, role, at, linked) in [
            ("admin", Role::Admin, p, None),
            ("staff", Role::Staff, x, None),
            ("inspector", Role::Inspector, x, None),
            ("secretary", Role::Secretary, x1, None),
            ("member", Role::Member, x1, Some(m1)),
            ("staff_y", Role::Staff, y, None),
        ] {
            let u = app.create_user(&c, name, name, PASSWORD).await.unwrap();
            app.grant(&c, u.id, role, at, linked).await.unwrap();
            users.push((name.to_string(), u.id));
        }
        World { db, app, province: p, x, x1, x2, y, y1, m1, m2, m3, users }
    }

    pub fn user(&self, name: &str) -> Uuid {
        self.users.iter().find(|(n, _)| n == name).map(|(_, id)| *id).unwrap()
    }

    pub fn router(&self) -> axum::Router {
        chibo_web::router(self.app.clone(), false)
    }

    /// Log in through the API; a client holding the session.
    pub async fn client(&self, username: &str) -> Client {
        self.client_on(self.router(), username).await
    }

    /// [`World::client`] on a router given (two accounts on the same server's state).
    pub async fn client_on(&self, router: axum::Router, username: &str) -> Client {
        let mut c = Client::anonymous(router);
        let (status, body) = c
            .call("POST", "/api/v1/auth/login", Some(serde_json::json!({"username": username, "password": PASSWORD})))
            .await;
        assert_eq!(status, StatusCode::OK, "login {username}: {body}");
        c.csrf = serde_json::from_str::<Value>(&body).ok().and_then(|v| v["csrf_token"].as_str().map(str::to_string));
        c
    }

    pub async fn finish(self) {
        self.db.drop_db().await;
    }
}

pub struct Client {
    pub router: axum::Router,
    pub cookie: Option<String>,
    pub csrf: Option<String>,
    /// The body of the last answer, as bytes.
    pub last_bytes: Vec<u8>,
}

impl Client {
    pub fn anonymous(router: axum::Router) -> Client {
        Client { router, cookie: None, csrf: None, last_bytes: Vec::new() }
    }

    pub async fn call(&mut self, method: &str, uri: &str, body: Option<Value>) -> (StatusCode, String) {
        self.raw(method, uri, body.map(|b| b.to_string()), "application/json").await
    }

    pub async fn raw(
        &mut self,
        method: &str,
        uri: &str,
        body: Option<String>,
        content_type: &str,
    ) -> (StatusCode, String) {
        let mut req = Request::builder().method(method).uri(uri).header(header::CONTENT_TYPE, content_type);
        if let Some(c) = &self.cookie {
            req = req.header(header::COOKIE, c.as_str());
        }
        if let Some(t) = &self.csrf {
            req = req.header("x-csrf-token", t.as_str());
        }
        let req = req.body(body.map_or_else(Body::empty, Body::from)).unwrap();
        let res = self.router.clone().oneshot(req).await.unwrap();
        if let Some(set) = res.headers().get(header::SET_COOKIE).and_then(|v| v.to_str().ok()) {
            self.cookie = set.split(';').next().map(str::to_string);
        }
        let status = res.status();
        let content_type = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
        let bytes = axum::body::to_bytes(res.into_body(), 4 << 20).await.unwrap();
        contract::check(method, uri, status.as_u16(), content_type.as_deref(), &bytes);
        self.last_bytes = bytes.to_vec();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    /// A spreadsheet's rows, as text (`GET uri`): its status and every row's cells.
    pub async fn sheet(&mut self, uri: &str) -> (StatusCode, Vec<Vec<String>>) {
        let (status, _) = self.call("GET", uri, None).await;
        let mut rows = Vec::new();
        if status == StatusCode::OK {
            chibo_sheets::read(&self.last_bytes, "file.xlsx", |cells| rows.push(cells.iter().map(cell_text).collect()))
                .expect("an .xlsx file");
        }
        (status, rows)
    }
}

fn cell_text(c: &chibo_access::domain::registry_sheet::SheetCell) -> String {
    use chibo_access::domain::registry_sheet::SheetCell;
    match c {
        SheetCell::Empty => String::new(),
        SheetCell::Text(s) => s.clone(),
        SheetCell::Number(n) => n.to_string(),
        SheetCell::Date(d) => chibo_access::domain::date::format_vn(*d),
    }
}
