//! The JSON API through the real router: the access matrix, input handling, and a real socket.

use crate::common;
mod accounts;
mod admission;
mod audit;
mod contract;
mod life;
mod meetings;

use axum::http::StatusCode;
use chibo_store::testing::engines;
use common::{Client, World};
use serde_json::{Value, json};

/// Names that only exist outside the subtrees of the X-side accounts.
const OUTSIDE_SECRETS: [&str; 2] = ["Bí Mật Ngoài", "Phạm Bí Mật"];

fn org_body(name: &str, kind: &str, parent: Option<uuid::Uuid>) -> Value {
    json!({"name": name, "kind": kind, "parent_id": parent, "province_code": "1", "established_on": "2025-07-01"})
}

fn member_body(w: &World, cell: uuid::Uuid, version: i64) -> Value {
    json!({
        "org_id": cell, "family_name": "Lê", "middle_name": "Văn", "given_name": "Tám", "birth_date": "1990-01-01",
        "gender": "male", "ethnicity_code": "1", "admission_date": "2020-01-01", "official_date": "2021-01-01",
        "status": "official", "theory_level": "elementary", "version": version.to_string(),
        "_unused": w.m1,
    })
}

/// A possible-duplicate flag in cell X1 and one in cell Y1 (twins of m1 and m3).
async fn flags(w: &World) -> (uuid::Uuid, uuid::Uuid) {
    let c = chibo_access::Viewer::console();
    let mut out = Vec::new();
    for (twin_of, cell) in [(w.m1, w.x1), (w.m3, w.y1)] {
        let mut twin = w.app.member(&c, twin_of).await.unwrap().member.input;
        twin.org_id = cell;
        let view = w.app.create_member(&c, twin).await.unwrap();
        out.push(view.flags[0].id);
    }
    (out[0], out[1])
}

/// A meeting of a cell with a document, for the routes that name them.
struct Meeting {
    id: uuid::Uuid,
    document: uuid::Uuid,
}

async fn meeting_in(w: &World, cell: uuid::Uuid) -> Meeting {
    let c = chibo_access::Viewer::console();
    let input = common::september_plan();
    let id = w.app.schedule_meeting(&c, cell, &input).await.unwrap().meeting.id;
    let document = w.app.attach_document(&c, id, "ke-hoach.txt", "Kế hoạch".as_bytes()).await.unwrap().id;
    Meeting { id, document }
}

/// The default scoring sheet, as a body that configures it.
fn sheet_body() -> Value {
    use chibo_access::domain::meeting::{DEFAULT_SHEET, SheetSpec};
    json!({"name": "Bảng chấm điểm của tỉnh", "effective_from": "2025-01-01", "sheet": SheetSpec::of(&DEFAULT_SHEET)})
}

/// Every API route, for a target inside and one outside the X subtree.
fn requests(
    w: &World,
    inside: bool,
    flag: uuid::Uuid,
    meeting: &Meeting,
) -> Vec<(&'static str, String, Option<Value>)> {
    let (org, cell, member, user) =
        if inside { (w.x1, w.x1, w.m1, w.user("secretary")) } else { (w.y1, w.y1, w.m3, w.user("staff_y")) };
    let (meeting, document) = (meeting.id, meeting.document);
    vec![
        ("GET", format!("/api/v1/orgs/{org}"), None),
        ("PUT", format!("/api/v1/orgs/{org}"), Some(org_body("Chi bộ đổi tên", "subordinate_cell", None))),
        ("GET", format!("/api/v1/orgs/{org}/children"), None),
        ("POST", format!("/api/v1/orgs/{org}/move"), Some(json!({"new_parent_id": if inside { w.x } else { w.y }}))),
        ("GET", format!("/api/v1/orgs/{org}/members"), None),
        ("POST", "/api/v1/orgs".into(), Some(org_body("Tổ đảng mới", "party_group", Some(cell)))),
        ("POST", "/api/v1/members".into(), Some(member_body(w, cell, 1))),
        ("GET", format!("/api/v1/members/{member}"), None),
        ("PUT", format!("/api/v1/members/{member}"), Some(member_body(w, cell, 1))),
        ("PATCH", format!("/api/v1/members/{member}/own"), Some(json!({"phone": "0912345678", "version": 1}))),
        ("POST", format!("/api/v1/users/{user}/grants"), Some(json!({"role": "inspector", "org_id": org}))),
        ("GET", format!("/api/v1/audit?entity_id={member}"), None),
        ("POST", format!("/api/v1/users/{user}/unlock"), None),
        ("POST", format!("/api/v1/users/{user}/password"), Some(json!({"new_password": "mat-khau-moi-dai"}))),
        ("POST", format!("/api/v1/users/{user}/enable"), None),
        ("POST", format!("/api/v1/users/{user}/totp/reset"), None),
        ("POST", format!("/api/v1/users/{user}/disable"), None),
        ("POST", format!("/api/v1/flags/{flag}/resolve"), None),
        ("GET", format!("/api/v1/members/{member}/timeline"), None),
        ("POST", format!("/api/v1/members/{member}/events"), Some(reprimand())),
        ("GET", format!("/api/v1/orgs/{org}/as-of?on=2025-08-01"), None),
        ("GET", format!("/api/v1/orgs/{org}/incoming"), None),
        ("GET", format!("/api/v1/orgs/{org}/report?period=2025"), None),
        ("GET", format!("/api/v1/orgs/{org}/report/list?period=2025&item=total/all"), None),
        ("GET", format!("/api/v1/orgs/{org}/report/trend"), None),
        ("POST", format!("/api/v1/orgs/{org}/rename"), Some(json!({"name": "Chi bộ tên mới", "effective": today()}))),
        ("POST", format!("/api/v1/orgs/{org}/dissolve"), Some(json!({"effective": today()}))),
        ("POST", format!("/api/v1/orgs/{org}/merge"), Some(json!({"sources": [org], "effective": today()}))),
        ("POST", format!("/api/v1/orgs/{org}/split"), Some(json!({"parts": [], "effective": today()}))),
        // Admission and work lists; the state-changing routes of one case (edit, withdraw,
        // admit) and awards are checked role by role in tests/api_admission.rs.
        ("GET", format!("/api/v1/orgs/{org}/candidates?state=open"), None),
        ("POST", format!("/api/v1/orgs/{org}/candidates"), Some(candidate_body(member))),
        ("GET", format!("/api/v1/orgs/{org}/probation"), None),
        ("GET", format!("/api/v1/orgs/{org}/badges?award_on=2025-09-02"), None),
        ("GET", format!("/api/v1/members/{member}/badges"), None),
        // Cell meetings; the state-changing routes of one meeting are checked role by role in
        // tests/api_meetings.rs.
        ("GET", format!("/api/v1/orgs/{org}/meetings?year=2025"), None),
        (
            "POST",
            format!("/api/v1/orgs/{org}/meetings"),
            Some(json!({"kind": "regular", "held_on": "2025-10-08", "starts_at": "19:30"})),
        ),
        ("GET", format!("/api/v1/meetings/{meeting}"), None),
        ("GET", format!("/api/v1/documents/{document}"), None),
        ("GET", format!("/api/v1/orgs/{org}/meeting-figures?period=2025-09"), None),
        ("GET", format!("/api/v1/orgs/{org}/meeting-figures/missing?period=2025-09"), None),
        ("GET", format!("/api/v1/orgs/{org}/absences?year=2025"), None),
        ("GET", format!("/api/v1/orgs/{org}/topics?year=2025"), None),
        (
            "POST",
            format!("/api/v1/orgs/{org}/topics"),
            Some(json!({"year": 2025, "month": 10, "title": "Học tập Nghị quyết"})),
        ),
        ("GET", format!("/api/v1/orgs/{org}/scoring-sheet?on=2025-09-10"), None),
        ("POST", format!("/api/v1/orgs/{org}/scoring-sheets"), Some(sheet_body())),
    ]
}

/// A candidate introduced by one official member of the cell and the Youth Union.
fn candidate_body(introducer: uuid::Uuid) -> Value {
    json!({
        "family_name": "Lò", "middle_name": "Thị", "given_name": "Xuân", "birth_date": "2001-08-19",
        "gender": "female", "ethnicity_code": 3, "application_on": "2025-04-01",
        "introducers": [{"member_id": introducer, "known_since": "2023-01-01"}],
        "youth_union_resolution_on": "2025-03-20",
    })
}

fn today() -> String {
    common::today().to_string()
}

/// An event every writer may record again (a reprimand).
fn reprimand() -> Value {
    json!({"kind": "disciplined", "effective": today(), "form": "reprimand", "reason": "Vi phạm chế độ sinh hoạt"})
}

/// Routes refused inside the grant too, whoever asks: the cell already sits under its commune,
/// is not empty, cannot merge into itself, a split needs parts, and a scoring sheet is set by a
/// committee, not by a cell.
const ALWAYS_REFUSED: [&str; 5] = ["/move", "/dissolve", "/merge", "/split", "/scoring-sheets"];

fn is_success(s: StatusCode) -> bool {
    s.is_success()
}

async fn access_matrix(w: &World) {
    // Every route of the table is exercised below or by the dedicated checks after it.
    let covered = [
        "/orgs/{id}",
        "/orgs/{id}/children",
        "/orgs/{id}/move",
        "/orgs/{id}/members",
        "/orgs",
        "/members",
        "/members/{id}",
        "/members/{id}/own",
        "/users/{id}/grants",
        "/audit",
        "/flags/{id}/resolve",
        "/users",
        "/grants/{id}",
        "/users/{id}/disable",
        "/users/{id}/totp/reset",
        "/auth/login/code",
        "/auth/totp",
        "/auth/totp/confirm",
        "/users/{id}/enable",
        "/users/{id}/password",
        "/users/{id}/unlock",
        "/users/{id}/sessions",
        "/users/{id}/sessions/{session}",
        "/login-blocks",
        "/auth/login",
        "/auth/logout",
        "/auth/me",
        "/auth/password",
        "/openapi.json",
        "/members/{id}/timeline",
        "/members/{id}/events",
        "/orgs/{id}/as-of",
        "/orgs/{id}/report",
        "/orgs/{id}/report/list",
        "/orgs/{id}/report/trend",
        "/orgs/{id}/incoming",
        "/orgs/{id}/rename",
        "/orgs/{id}/dissolve",
        "/orgs/{id}/merge",
        "/orgs/{id}/split",
        "/orgs/{id}/candidates",
        "/candidates/{id}",
        "/candidates/{id}/withdraw",
        "/candidates/{id}/admit",
        "/orgs/{id}/probation",
        "/orgs/{id}/badges",
        "/members/{id}/badges",
        "/orgs/{id}/meetings",
        "/meetings/{id}",
        "/meetings/{id}/attendance",
        "/meetings/{id}/minutes",
        "/meetings/{id}/approve",
        "/meetings/{id}/cancel",
        "/meetings/{id}/rating",
        "/meetings/{id}/documents",
        "/documents/{id}",
        "/meetings/{id}/notice",
        "/meetings/{id}/notices/{member_id}",
        "/me/meetings",
        "/orgs/{id}/meeting-figures",
        "/orgs/{id}/meeting-figures/missing",
        "/orgs/{id}/absences",
        "/orgs/{id}/topics",
        "/topics/{id}",
        "/orgs/{id}/scoring-sheet",
        "/orgs/{id}/scoring-sheets",
        // The review's routes: `ui_review.rs`, `review_routes_stay_inside_the_grant`.
        "/orgs/{id}/reviews",
        "/reviews/{id}",
        "/reviews/{id}/close",
        "/reviews/{id}/worklist",
        "/reviews/{id}/members/{member}",
        "/reviews/{id}/cells/{cell}/opinion",
        "/reviews/{id}/decisions/members/{base}",
        "/reviews/{id}/decisions/orgs/{decider}",
        "/reviews/{id}/corrections/{subject}",
        "/reviews/{id}/orgs/{org}",
        "/reviews/{id}/plans",
        "/plan-items/{id}",
        "/orgs/{id}/review-figures",
        "/orgs/{id}/review-settings",
        // Inspection's routes: `ui/inspection.rs`, `inspection_routes_stay_inside_the_grant`.
        "/orgs/{id}/inspection/programmes",
        "/inspection/programmes/{id}",
        "/orgs/{id}/inspection/cases",
        "/inspection/cases/{id}",
        "/inspection/cases/{id}/steps",
        "/inspection/cases/{id}/conclusion",
        "/inspection/recommendations/{id}",
        "/inspection/cases/{id}/discipline",
        "/inspection/cases/{id}/self-review",
        "/inspection/cases/{id}/discipline/decision",
        "/inspection/cases/{id}/appeal",
        "/inspection/cases/{id}/appeal/answer",
        "/orgs/{id}/inspection/figures",
        "/orgs/{id}/inspection/work",
        // Case documents: `ui/inspection_docs.rs`, `case_documents_stay_inside_the_case`.
        "/inspection/cases/{id}/documents",
        "/inspection/documents/{id}",
    ];
    for (method, path) in common::contract::operations() {
        assert!(covered.contains(&path.as_str()), "route {method} {path} is not in the access matrix");
    }
    let (flag_inside, flag_outside) = flags(w).await;
    let (meeting_inside, meeting_outside) = (meeting_in(w, w.x1).await, meeting_in(w, w.y1).await);
    for role in ["staff", "inspector", "secretary", "member"] {
        let mut c = w.client(role).await;
        for (method, uri, body) in requests(w, false, flag_outside, &meeting_outside) {
            let (status, text) = c.call(method, &uri, body).await;
            assert!(!is_success(status), "{role} {method} {uri} outside the grant: {status} {text}");
            assert!(status.as_u16() < 500, "{role} {method} {uri}: {status}");
            for s in OUTSIDE_SECRETS {
                assert!(!text.contains(s), "{role} {method} {uri} leaks {s}: {text}");
            }
        }
        // Lists and searches never show what is outside.
        for uri in ["/api/v1/orgs?q=bi%20mat", "/api/v1/orgs", &format!("/api/v1/orgs/{}/members?q=mat", w.x)] {
            let (_, text) = c.call("GET", uri, None).await;
            for s in OUTSIDE_SECRETS {
                assert!(!text.contains(s), "{role} GET {uri} leaks {s}: {text}");
            }
        }
        // The province above the grant is not readable either.
        let (status, _) = c.call("GET", &format!("/api/v1/orgs/{}/members", w.province), None).await;
        assert!(!is_success(status), "{role} lists the province");
        // Inside: what each role may do.
        let expect_write = matches!(role, "staff" | "secretary");
        for (method, uri, mut body) in requests(w, true, flag_inside, &meeting_inside) {
            // Writes to m1 carry the version the client has just read (earlier roles edit it).
            if let Some(b) = body.as_mut().filter(|_| uri.contains(&w.m1.to_string())) {
                let (_, current) = c.call("GET", &format!("/api/v1/members/{}", w.m1), None).await;
                let version = serde_json::from_str::<Value>(&current)
                    .ok()
                    .and_then(|v| v["member"]["version"].as_i64())
                    .unwrap_or(1);
                b["version"] = if uri.ends_with("/own") { json!(version) } else { json!(version.to_string()) };
            }
            let (status, text) = c.call(method, &uri, body).await;
            assert!(status.as_u16() < 500, "{role} {method} {uri}: {status} {text}");
            let reading = method == "GET";
            let admin_only = uri.contains("/grants") || uri.contains("/audit") || uri.contains("/users/");
            let own = uri.ends_with("/own");
            // A member reads its cell (children filtered to what it may read), not its list,
            // the cell as of a date, its candidates or work lists.
            let org_people =
                ["/candidates", "/probation", "/badges", "/absences", "/report"].iter().any(|p| uri.contains(p));
            let member_list =
                uri.ends_with("/members") || uri.contains("/as-of") || (uri.contains("/orgs/") && org_people);
            let expected_ok = if admin_only {
                false
            } else if own || uri.ends_with("/incoming") {
                // The narrow correction is part of every right to write the record; incoming
                // transfers are shown to those who may receive them.
                (own && role == "member") || expect_write
            } else if reading {
                !(role == "member" && member_list)
            } else {
                expect_write && !ALWAYS_REFUSED.iter().any(|r| uri.ends_with(r))
            };
            if expected_ok {
                assert!(is_success(status), "{role} {method} {uri} inside the grant: {status} {text}");
            } else {
                assert!(!is_success(status), "{role} {method} {uri} should be refused: {status} {text}");
            }
        }
    }
    // Account administration belongs to administrators, within their subtree.
    let mut staff = w.client("staff").await;
    let (status, _) = staff.call("GET", "/api/v1/users", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = staff
        .call(
            "POST",
            "/api/v1/users",
            Some(json!({"username": "newbie", "display_name": "N", "password": "0123456789ab"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut admin = w.client("admin").await;
    let (status, text) = admin
        .call(
            "POST",
            "/api/v1/users",
            Some(json!({"username": "newbie", "display_name": "N", "password": "0123456789ab"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let new_id = serde_json::from_str::<Value>(&text).unwrap()["id"].as_str().unwrap().to_string();
    let (status, text) = admin
        .call("POST", &format!("/api/v1/users/{new_id}/grants"), Some(json!({"role": "inspector", "org_id": w.y})))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let grant_id = serde_json::from_str::<Value>(&text).unwrap()["id"].as_str().unwrap().to_string();
    let (status, _) = staff.call("DELETE", &format!("/api/v1/grants/{grant_id}"), None).await;
    assert!(!is_success(status), "staff revokes a grant outside its subtree");
    let (status, _) = admin.call("DELETE", &format!("/api/v1/grants/{grant_id}"), None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, text) = admin.call("GET", "/api/v1/audit", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("user.revoke"), "the revocation is audited: {text}");
}

#[tokio::test]
async fn no_route_reaches_outside_the_grant() {
    for engine in engines() {
        let w = World::new(engine).await;
        access_matrix(&w).await;
        w.finish().await;
    }
}

async fn sessions_and_csrf(w: &World) {
    let router = w.router();
    let mut anon = Client::anonymous(router.clone());
    // Unknown addresses: JSON under the API, the HTML page elsewhere; never a blank 404.
    let (status, text) = anon.call("GET", "/api/v1/nothing/here", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(text.contains("\"code\":\"not_found\""), "{text}");
    let (status, text) = anon.call("GET", "/nothing/here", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(text.contains("<html") && text.contains("Không tìm thấy"), "{text}");
    let (status, text) = anon.call("GET", &format!("/api/v1/orgs/{}", w.x1), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{text}");
    assert!(text.contains("\"code\":\"unauthenticated\""));
    let (status, text) =
        anon.call("POST", "/api/v1/auth/login", Some(json!({"username": "staff", "password": "wrong-password"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("\"field\":\"password\""), "{text}");
    // A write without the CSRF header is refused even with a live session.
    let mut c = w.client("staff").await;
    let token = c.csrf.take();
    let (status, _) =
        c.call("POST", "/api/v1/orgs", Some(json!({"name": "x", "kind": "party_group", "parent_id": w.x1}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    c.csrf = token;
    let (status, text) = c.call("GET", "/api/v1/auth/me", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("\"username\":\"staff\""));
    let (status, _) = c.call("POST", "/api/v1/auth/logout", None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = c.call("GET", "/api/v1/auth/me", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the session ended");
    // Password change: too short is a field error; then the new password works.
    let mut c = w.client("inspector").await;
    let (status, text) = c
        .call(
            "POST",
            "/api/v1/auth/password",
            Some(json!({"current_password": common::PASSWORD, "new_password": "short"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("new_password"));
    let (status, _) = c
        .call(
            "POST",
            "/api/v1/auth/password",
            Some(json!({"current_password": common::PASSWORD, "new_password": "mot-mat-khau-moi"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let mut again = Client::anonymous(router.clone());
    let (status, _) = again
        .call("POST", "/api/v1/auth/login", Some(json!({"username": "inspector", "password": "mot-mat-khau-moi"})))
        .await;
    assert_eq!(status, StatusCode::OK);
    // Rate limit: five failures lock the account for a while, even with the right password.
    let mut anon = Client::anonymous(router);
    for _ in 0..5 {
        anon.call("POST", "/api/v1/auth/login", Some(json!({"username": "secretary", "password": "nope-nope-nope"})))
            .await;
    }
    let (status, _) = anon
        .call("POST", "/api/v1/auth/login", Some(json!({"username": "secretary", "password": common::PASSWORD})))
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn sessions_csrf_passwords_and_rate_limits() {
    for engine in engines() {
        let w = World::new(engine).await;
        sessions_and_csrf(&w).await;
        w.finish().await;
    }
}

async fn bad_input_is_named_and_nothing_is_half_written(w: &World) {
    let mut c = w.client("staff").await;
    let before = c.call("GET", &format!("/api/v1/orgs/{}", w.x1), None).await.1;
    let bodies: Vec<(&str, String, String)> = vec![
        ("POST", "/api/v1/members".into(), "{not json".into()),
        ("POST", "/api/v1/members".into(), "[]".into()),
        ("POST", "/api/v1/members".into(), json!({"family_name": 5}).to_string()),
        ("POST", "/api/v1/members".into(), json!({"org_id": "zzz", "birth_date": "31/02/1990"}).to_string()),
        (
            "POST",
            "/api/v1/orgs".into(),
            json!({"name": "A".repeat(100_000), "kind": "commune", "parent_id": w.x1}).to_string(),
        ),
        ("PUT", format!("/api/v1/orgs/{}", w.x1), json!({"name": "", "kind": "nonsense"}).to_string()),
        ("GET", "/api/v1/orgs/not-a-uuid".into(), String::new()),
        ("GET", format!("/api/v1/orgs/{}/members?limit=-3", w.x), String::new()),
        ("GET", format!("/api/v1/orgs/{}/members?after=%00%ff&status=x", w.x), String::new()),
        ("GET", "/api/v1/no-such-route".into(), String::new()),
    ];
    for (method, uri, body) in bodies {
        let (status, text) = c.raw(method, &uri, (!body.is_empty()).then_some(body.clone()), "application/json").await;
        assert!(status.is_client_error(), "{method} {uri} {body:.60}: {status} {text:.300}");
        let v: Value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("JSON error body for {uri}: {text}"));
        assert!(v["error"]["code"].is_string() && v["error"]["message"].is_string(), "{text}");
    }
    // A CCCD that disagrees with the record: refused, the field named, in Vietnamese.
    let mut m = member_body(w, w.x1, 1);
    m["citizen_id"] = json!("001385001234");
    let (status, text) = c.call("POST", "/api/v1/members", Some(m.clone())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["error"]["field"], "citizen_id");
    assert!(v["error"]["message"].as_str().unwrap().contains("năm sinh"), "{text}");
    // English on request.
    let mut en = w.client("staff").await;
    let req_en = en.call("POST", "/api/v1/members", Some(m)).await;
    assert_eq!(req_en.0, StatusCode::UNPROCESSABLE_ENTITY);
    // Nothing was written by any of the refused requests.
    let after = c.call("GET", &format!("/api/v1/orgs/{}", w.x1), None).await.1;
    assert_eq!(before, after);
    // The same CCCD twice: the second is refused with 409.
    let mut ok = member_body(w, w.x1, 1);
    ok["citizen_id"] = json!("001090001234");
    assert_eq!(c.call("POST", "/api/v1/members", Some(ok.clone())).await.0, StatusCode::CREATED);
    ok["given_name"] = json!("Chín");
    let (status, text) = c.call("POST", "/api/v1/members", Some(ok)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{text}");
    assert!(text.contains("\"field\":\"citizen_id\""));
    // Same name and birth date in the same province: accepted and flagged.
    let twin = member_body(w, w.x2, 1);
    let (status, text) = c.call("POST", "/api/v1/members", Some(twin)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(text.contains("possible_duplicate"), "{text}");
}

#[tokio::test]
async fn bad_input_never_crashes_or_half_writes() {
    for engine in engines() {
        let w = World::new(engine).await;
        bad_input_is_named_and_nothing_is_half_written(&w).await;
        w.finish().await;
    }
}

#[tokio::test]
async fn serves_on_a_real_socket() {
    let engine = engines()[0];
    let w = World::new(engine).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(chibo_web::serve(listener, w.app.clone(), false));
    let http = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let base = format!("http://{addr}");
    assert_eq!(http.get(format!("{base}/healthz")).send().await.unwrap().status(), 200);
    let doc: Value = http.get(format!("{base}/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(&doc, chibo_web::api::document(), "the document served is the one the tests check against");
    let res = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": "staff", "password": common::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let set_cookie = res.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"), "{set_cookie}");
    let page: Value =
        http.get(format!("{base}/api/v1/orgs/{}/members", w.x)).send().await.unwrap().json().await.unwrap();
    let names: Vec<&str> = page["items"].as_array().unwrap().iter().map(|m| m["full_name"].as_str().unwrap()).collect();
    // A cell of one official member is advised that it is under the minimum of three.
    let cell: Value = http.get(format!("{base}/api/v1/orgs/{}", w.x1)).send().await.unwrap().json().await.unwrap();
    let codes: Vec<&str> = cell["notices"].as_array().unwrap().iter().filter_map(|n| n["code"].as_str()).collect();
    assert_eq!(codes, ["below_minimum"], "{cell}");
    // Vietnamese order by given name: Đức before Lan.
    assert_eq!(names, ["Trần Văn Đức", "Nguyễn Thị Lan"]);
    server.abort();
    w.finish().await;
}

#[tokio::test]
async fn pages_speak_vietnamese_whatever_the_browser_locale() {
    use tower::ServiceExt;
    let engine = engines()[0];
    let w = World::new(engine).await;
    for accept in ["en-US,en;q=0.9", "vi-VN", ""] {
        let req = axum::http::Request::builder()
            .uri("/login")
            .header("accept-language", accept)
            .body(axum::body::Body::empty())
            .unwrap();
        let res = w.router().oneshot(req).await.unwrap();
        let body = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
        let text = String::from_utf8_lossy(&body);
        assert!(text.contains("Đăng nhập"), "{accept}: {text:.400}");
    }
    // English only when the user chooses it.
    let req = axum::http::Request::builder()
        .uri("/login")
        .header("cookie", "chibo_lang=en")
        .body(axum::body::Body::empty())
        .unwrap();
    let res = w.router().oneshot(req).await.unwrap();
    let body = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    assert!(String::from_utf8_lossy(&body).contains("Log in"));
    w.finish().await;
}
