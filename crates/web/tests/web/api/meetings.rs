//! The API of cell meetings through the real router, on every engine: one meeting's life from
//! scheduling to the locked minutes, corrections that need a reason, bad input named by field
//! with nothing written, other cells not found, a member's notice and the secretary's answer,
//! documents, the topic plan, the figures with their drill-down and the absence work list.

use crate::common;

use axum::http::StatusCode;
use chibo_access::Viewer;
use chibo_access::domain::member::MemberStatus;
use chibo_store::testing::engines;
use common::{Client, World, member};
use serde_json::{Value, json};
use time::macros::date;
use uuid::Uuid;

async fn call(c: &mut Client, method: &str, uri: &str, body: Option<Value>) -> (StatusCode, Value) {
    let (status, text) = c.call(method, uri, body).await;
    assert!(status.as_u16() < 500, "{method} {uri}: {status} {text}");
    let v = serde_json::from_str(&text).unwrap_or_else(|_| panic!("{method} {uri}: not JSON: {text}"));
    (status, v)
}

fn field(v: &Value) -> &str {
    v["error"]["field"].as_str().unwrap_or("")
}

/// Cell X1: m1 (Nguyễn Thị Lan) and four more; Đỗ Minh Dung is probationary.
struct Cell {
    an: Uuid,
    binh: Uuid,
    cuong: Uuid,
    dung: Uuid,
}

async fn people(w: &World) -> Cell {
    let c = Viewer::console();
    let mut ids = Vec::new();
    for (family, middle, given) in [("Lê", "Văn", "An"), ("Hoàng", "Thị", "Bình"), ("Vũ", "Đức", "Cường")]
    {
        ids.push(w.app.create_member(&c, member(family, middle, given, w.x1)).await.unwrap().member.id);
    }
    let mut d = member("Đỗ", "Minh", "Dung", w.x1);
    (d.status, d.admission_date, d.official_date) = (MemberStatus::Probationary, date!(2025 - 03 - 01), None);
    let dung = w.app.create_member(&c, d).await.unwrap().member.id;
    Cell { an: ids[0], binh: ids[1], cuong: ids[2], dung }
}

fn marks(list: &[(Uuid, &str, &str)]) -> Value {
    json!(list.iter().map(|(id, m, r)| json!({"member_id": id, "mark": m, "reason": r})).collect::<Vec<_>>())
}

fn minutes(w: &World, p: &Cell, version: &Value) -> Value {
    json!({
        "starts_at": "19:30", "ends_at": "21:30", "place": "Nhà văn hóa tổ dân phố số 1",
        "agenda": "Đánh giá kết quả tháng 8, triển khai nhiệm vụ tháng 9",
        "chair_id": w.m1, "recorder_id": p.an, "guests": "Đồng chí Trần Văn Hải, Đảng ủy viên",
        "followup": "Đã hoàn thành việc vận động quỹ khuyến học",
        "speakers": [
            {"member_id": w.m1, "opinion": "Đề nghị tăng cường vệ sinh môi trường"},
            {"member_id": p.an, "opinion": "Nhất trí"},
            {"name": "Đồng chí Trần Văn Hải", "opinion": "Ghi nhận kết quả của chi bộ"},
        ],
        "conclusions": "Chi bộ thống nhất các nhiệm vụ tháng 9",
        "resolution": "Tổ chức tổng vệ sinh ngày 15/9", "votes_for": 4, "votes_against": 0, "votes_abstain": 0,
        "version": version,
    })
}

async fn one_meeting_from_plan_to_locked_minutes(w: &World) {
    let p = people(w).await;
    let mut sec = w.client("secretary").await;
    let cell = format!("/api/v1/orgs/{}/meetings", w.x1);
    let plan = json!({"kind": "regular", "held_on": "2025-09-10", "starts_at": "19:30",
        "place": "Nhà văn hóa tổ dân phố số 1", "agenda": "Sinh hoạt thường kỳ tháng 9"});

    // Bad plans: the field is named and nothing is written.
    for (key, bad) in [("starts_at", json!("25:99")), ("kind", json!("party")), ("held_on", json!("10/09/2025"))] {
        let mut body = plan.clone();
        body[key] = bad;
        let (status, e) = call(&mut sec, "POST", &cell, Some(body)).await;
        assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, key), "{e}");
    }
    let (status, e) = sec.raw("POST", &cell, Some("{\"kind\": ".into()), "application/json").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (_, list) = call(&mut sec, "GET", &format!("{cell}?year=2025"), None).await;
    assert_eq!(list["items"], json!([]), "nothing of the refused plans was written");

    let (status, m) = call(&mut sec, "POST", &cell, Some(plan.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    assert_eq!((m["status"].as_str(), m["roll"].as_array().map(Vec::len)), (Some("scheduled"), Some(5)), "{m}");
    assert_eq!(m["sheet"]["criteria"].as_array().map(Vec::len), Some(7), "the default sheet is in force: {m}");
    let id = m["id"].as_str().unwrap().to_string();
    let uri = format!("/api/v1/meetings/{id}");
    // The roll is in Vietnamese name order (An, Bình, Cường, Dung, Lan).
    let names: Vec<&str> = m["roll"].as_array().unwrap().iter().filter_map(|r| r["full_name"].as_str()).collect();
    assert_eq!(names, ["Lê Văn An", "Hoàng Thị Bình", "Vũ Đức Cường", "Đỗ Minh Dung", "Nguyễn Thị Lan"]);

    // Other cells and subtrees: not found.
    let console = Viewer::console();
    let input = chibo_access::MeetingInput {
        kind: chibo_access::domain::meeting::MeetingKind::Regular,
        held_on: date!(2025 - 09 - 12),
        starts_at: None,
        place: String::new(),
        agenda: String::new(),
        topic_id: None,
        guests: String::new(),
    };
    let other = w.app.schedule_meeting(&console, w.x2, &input).await.unwrap().meeting.id;
    for (method, path, body) in [
        ("GET", format!("/api/v1/meetings/{other}"), None),
        ("PUT", format!("/api/v1/meetings/{other}/attendance"), Some(json!({"marks": [], "version": 1}))),
        ("POST", format!("/api/v1/meetings/{other}/cancel"), Some(json!({"version": 1}))),
        ("POST", format!("/api/v1/orgs/{}/meetings", w.x2), Some(plan.clone())),
        ("POST", format!("/api/v1/orgs/{}/topics", w.x2), Some(json!({"year": 2025, "month": 9, "title": "x"}))),
    ] {
        let (status, e) = call(&mut sec, method, &path, body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "secretary of X1: {method} {path}: {e}");
    }
    let mut outsider = w.client("staff_y").await;
    let (status, e) = call(&mut outsider, "GET", &uri, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{e}");
    assert!(!e.to_string().contains("Lan"), "{e}");

    // Bad attendance: unknown member, a mark missing, a bad mark; nothing written.
    let all = |c: &'static str| -> Vec<(Uuid, &'static str, &'static str)> {
        vec![
            (p.an, "present", ""),
            (p.binh, "present", ""),
            (p.cuong, c, ""),
            (p.dung, "excused", "Ốm"),
            (w.m1, "present", ""),
        ]
    };
    let mut unknown = all("unexcused");
    unknown.push((w.m2, "present", ""));
    let (status, e) =
        call(&mut sec, "PUT", &format!("{uri}/attendance"), Some(json!({"marks": marks(&unknown), "version": 1})))
            .await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "marks.5.member_id"), "{e}");
    let missing: Vec<_> = all("unexcused").into_iter().filter(|(id, _, _)| *id != p.binh).collect();
    let (status, e) =
        call(&mut sec, "PUT", &format!("{uri}/attendance"), Some(json!({"marks": marks(&missing), "version": 1})))
            .await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, format!("marks.{}", p.binh).as_str()), "{e}");
    let (status, e) =
        call(&mut sec, "PUT", &format!("{uri}/attendance"), Some(json!({"marks": marks(&all("late")), "version": 1})))
            .await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "marks.2.mark"), "{e}");
    let (status, e) =
        call(&mut sec, "PUT", &format!("{uri}/attendance"), Some(json!({"marks": "all present", "version": 1}))).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "marks"), "{e}");
    let (status, e) = call(&mut sec, "PUT", &format!("{uri}/minutes"), Some(minutes(w, &p, &json!(1)))).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "status"), "minutes before attendance: {e}");
    let (_, m) = call(&mut sec, "GET", &uri, None).await;
    assert_eq!((m["status"].as_str(), m["version"].as_i64()), (Some("scheduled"), Some(1)), "nothing written: {m}");
    assert!(m["roll"].as_array().unwrap().iter().all(|r| r["mark"].is_null()), "{m}");

    // Attendance: the meeting is held.
    let (status, m) = call(
        &mut sec,
        "PUT",
        &format!("{uri}/attendance"),
        Some(json!({"marks": marks(&all("unexcused")), "version": 1})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{m}");
    assert_eq!(m["status"], "held");
    assert_eq!(
        m["counts"],
        json!({"present": 3, "excused": 1, "unexcused": 1, "exempt": 0, "special_duty": 0, "exempt_present": 0})
    );
    assert_eq!(m["attendance"]["num"], 3);
    assert_eq!(m["attendance"]["den"], 5);
    // A stale version is a conflict.
    let (status, e) = call(
        &mut sec,
        "PUT",
        &format!("{uri}/attendance"),
        Some(json!({"marks": marks(&all("present")), "version": 1})),
    )
    .await;
    assert_eq!((status, field(&e)), (StatusCode::CONFLICT, "version"), "{e}");
    // The day has passed: changing a recorded mark needs a reason, named `reason`.
    let (status, e) = call(
        &mut sec,
        "PUT",
        &format!("{uri}/attendance"),
        Some(json!({"marks": marks(&all("present")), "version": 2})),
    )
    .await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "reason"), "{e}");
    let (_, m) = call(&mut sec, "GET", &uri, None).await;
    assert_eq!((m["counts"]["unexcused"].as_i64(), m["version"].as_i64()), (Some(1), Some(2)), "not written: {m}");
    let body =
        json!({"marks": marks(&all("present")), "version": 2, "reason": "Đồng chí Cường đến muộn, thư ký ghi nhầm"});
    let (status, m) = call(&mut sec, "PUT", &format!("{uri}/attendance"), Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{m}");
    assert_eq!((m["counts"]["present"].as_i64(), m["corrections"].as_array().map(Vec::len)), (Some(4), Some(1)), "{m}");
    assert_eq!(m["corrections"][0]["reason"], "Đồng chí Cường đến muộn, thư ký ghi nhầm");

    // Minutes: bad times and a chair who was absent are named; then the whole minutes.
    let version = m["version"].clone();
    let mut bad = minutes(w, &p, &version);
    bad["starts_at"] = json!("7h");
    let (status, e) = call(&mut sec, "PUT", &format!("{uri}/minutes"), Some(bad)).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "starts_at"), "{e}");
    let mut bad = minutes(w, &p, &version);
    bad["ends_at"] = json!("18:00");
    let (status, e) = call(&mut sec, "PUT", &format!("{uri}/minutes"), Some(bad)).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "ends_at"), "{e}");
    let mut bad = minutes(w, &p, &version);
    bad["chair_id"] = json!(p.dung);
    let (status, e) = call(&mut sec, "PUT", &format!("{uri}/minutes"), Some(bad)).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "chair_id"), "{e}");
    let mut bad = minutes(w, &p, &version);
    bad["votes_for"] = json!(9);
    let (status, e) = call(&mut sec, "PUT", &format!("{uri}/minutes"), Some(bad)).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "votes_for"), "{e}");
    let (status, m) = call(&mut sec, "PUT", &format!("{uri}/minutes"), Some(minutes(w, &p, &version))).await;
    assert_eq!(status, StatusCode::OK, "{m}");
    assert_eq!(m["minutes_missing"], json!([]), "{m}");
    assert_eq!(m["vote_base"]["base"], 4, "four official members present, the probationary one does not vote: {m}");
    assert_eq!(m["speakers"][0]["name"], "Nguyễn Thị Lan");
    // A member (member role) sees the plan, the documents and their own line, not the minutes.
    let mut member = w.client("member").await;
    for path in [uri.clone(), format!("{cell}?year=2025")] {
        let (status, seen) = call(&mut member, "GET", &path, None).await;
        assert_eq!(status, StatusCode::OK, "{seen}");
        let text = seen.to_string();
        assert!(text.contains("Đánh giá kết quả tháng 8"), "the agenda is part of the plan: {seen}");
        for minutes in ["Chi bộ thống nhất", "tổng vệ sinh", "Trần Văn Hải", "quỹ khuyến học", "Nhất trí", "21:30"]
        {
            assert!(!text.contains(minutes), "{path}: {minutes:?} shown to a member: {seen}");
        }
    }

    // Rating on the sheet in force: judged criteria entered, the rest from the record.
    let version = m["version"].clone();
    let (status, e) = call(
        &mut sec,
        "PUT",
        &format!("{uri}/rating"),
        Some(json!({"scores": {"preparation": 99}, "version": version})),
    )
    .await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "scores.preparation"), "{e}");
    let scores = json!({"preparation": 18, "principles": 9, "resolution": 14});
    let (status, r) =
        call(&mut sec, "PUT", &format!("{uri}/rating"), Some(json!({"scores": scores, "version": version}))).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert!(r["assessment"]["score"].as_u64().is_some_and(|s| s > 0 && s <= 100), "{r}");
    assert_eq!(r["meeting"]["rating"], r["assessment"]["rating"]);

    // Approval locks the minutes: every later change is a 409.
    let version = r["meeting"]["version"].clone();
    let (status, m) = call(&mut sec, "POST", &format!("{uri}/approve"), Some(json!({"version": version}))).await;
    assert_eq!((status, m["status"].as_str()), (StatusCode::OK, Some("approved")), "{m}");
    let version = m["version"].clone();
    let mut again = plan.clone();
    again["version"] = version.clone();
    again["reason"] = json!("Sửa địa điểm");
    for (method, path, body) in [
        ("PUT", format!("{uri}/minutes"), minutes(w, &p, &version)),
        (
            "PUT",
            format!("{uri}/attendance"),
            json!({"marks": marks(&all("present")), "version": version, "reason": "x"}),
        ),
        ("PUT", uri.clone(), again),
        ("POST", format!("{uri}/cancel"), json!({"version": version})),
        ("POST", format!("{uri}/approve"), json!({"version": version})),
        ("PUT", format!("{uri}/rating"), json!({"scores": scores, "version": version, "reason": "x"})),
    ] {
        let (status, e) = call(&mut sec, method, &path, Some(body)).await;
        assert_eq!(status, StatusCode::CONFLICT, "{method} {path} after approval: {e}");
    }
    let (status, e) =
        sec.raw("POST", &format!("{uri}/documents?file_name=a.txt"), Some("Nội dung".into()), "text/plain").await;
    assert_eq!(status, StatusCode::CONFLICT, "{e}");
    let (_, m) = call(&mut sec, "GET", &uri, None).await;
    assert_eq!((m["status"].as_str(), &m["version"]), (Some("approved"), &version), "{m}");

    // The next month: Bình absent without reason; the work list names her, not the others.
    let mut october = plan.clone();
    october["held_on"] = json!("2025-10-08");
    let (_, m) = call(&mut sec, "POST", &cell, Some(october)).await;
    let oct = m["id"].as_str().unwrap().to_string();
    let absent = vec![
        (p.an, "present", ""),
        (p.binh, "unexcused", ""),
        (p.cuong, "present", ""),
        (p.dung, "present", ""),
        (w.m1, "present", ""),
    ];
    let (status, m) = call(
        &mut sec,
        "PUT",
        &format!("/api/v1/meetings/{oct}/attendance"),
        Some(json!({"marks": marks(&absent), "version": 1})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{m}");
    let (status, list) = call(&mut sec, "GET", &format!("/api/v1/orgs/{}/absences?year=2025", w.x1), None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let names: Vec<&str> = list["items"].as_array().unwrap().iter().filter_map(|a| a["full_name"].as_str()).collect();
    assert_eq!(names, ["Hoàng Thị Bình"], "{list}");
    assert!(list["items"][0]["concerns"].as_array().unwrap().iter().any(|c| c["code"] == "unexcused"), "{list}");
    let (status, e) = call(&mut sec, "GET", &format!("/api/v1/orgs/{}/absences?year=20x5", w.x1), None).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "year"), "{e}");
    let mut member = w.client("member").await;
    let (status, _) = call(&mut member, "GET", &format!("/api/v1/orgs/{}/absences?year=2025", w.x1), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a member does not see the work list");

    // The figures of the commune for September: X1 held its regular meeting, X2 did not.
    let mut staff = w.client("staff").await;
    let (status, f) =
        call(&mut staff, "GET", &format!("/api/v1/orgs/{}/meeting-figures?period=2025-09", w.x), None).await;
    assert_eq!(status, StatusCode::OK, "{f}");
    assert_eq!(
        (f["figures"]["regular"]["num"].as_u64(), f["figures"]["regular"]["den"].as_u64()),
        (Some(1), Some(2)),
        "{f}"
    );
    assert_eq!(
        (f["figures"]["attendance"]["num"].as_u64(), f["figures"]["attendance"]["den"].as_u64()),
        (Some(4), Some(5)),
        "{f}"
    );
    let children: Vec<&str> = f["children"].as_array().unwrap().iter().filter_map(|c| c["name"].as_str()).collect();
    assert_eq!(children, ["Chi bộ Tổ dân phố số 1", "Chi bộ Tổ dân phố số 2"], "{f}");
    let missing = &f["missing"]["regular"];
    assert_eq!(missing[0]["period"], "2025-09", "{f}");
    assert_eq!(missing[0]["cells"][0]["name"], "Chi bộ Tổ dân phố số 2", "{f}");
    assert_eq!((missing[0]["count"].as_i64(), &missing[0]["next"]), (Some(1), &Value::Null), "{f}");
    // The same list, page by page.
    let uri = format!("/api/v1/orgs/{}/meeting-figures/missing?period=2025-09&offset=0&limit=10", w.x);
    let (status, page) = call(&mut staff, "GET", &uri, None).await;
    assert_eq!((status, page["count"].as_i64()), (StatusCode::OK, Some(1)), "{page}");
    assert_eq!(page["cells"][0]["name"], "Chi bộ Tổ dân phố số 2", "{page}");
    let uri = format!("/api/v1/orgs/{}/meeting-figures/missing?period=2025&offset=-1", w.x);
    let (status, page) = call(&mut staff, "GET", &uri, None).await;
    assert_eq!((status, &page["error"]["field"]), (StatusCode::UNPROCESSABLE_ENTITY, &json!("offset")), "{page}");
    // Drill-down to the cell: its meetings of the period.
    let (_, f) = call(&mut staff, "GET", &format!("/api/v1/orgs/{}/meeting-figures?period=2025-09", w.x1), None).await;
    assert_eq!(f["cell"]["meetings"][0]["id"], json!(id), "{f}");
    assert_eq!(f["cell"]["missing_regular"], json!([]), "{f}");
    // A custom period and a year.
    let (status, f) =
        call(&mut staff, "GET", &format!("/api/v1/orgs/{}/meeting-figures?period=2025-09-01..2025-10-31", w.x), None)
            .await;
    assert_eq!((status, f["figures"]["meetings"].as_i64()), (StatusCode::OK, Some(2)), "{f}");
    let (status, e) =
        call(&mut staff, "GET", &format!("/api/v1/orgs/{}/meeting-figures?period=2025-13", w.x), None).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "period"), "{e}");
}

#[tokio::test]
async fn a_meeting_from_plan_to_locked_minutes() {
    for engine in engines() {
        let w = World::new(engine).await;
        one_meeting_from_plan_to_locked_minutes(&w).await;
        w.finish().await;
    }
}

async fn notices_documents_and_topics(w: &World) {
    people(w).await;
    let mut sec = w.client("secretary").await;
    let mut member = w.client("member").await;
    let soon = common::today().saturating_add(time::Duration::days(7));
    let (status, m) = call(&mut sec, "POST", &format!("/api/v1/orgs/{}/meetings", w.x1),
        Some(json!({"kind": "combined", "held_on": soon.to_string(), "starts_at": "08:00", "agenda": "Học tập chuyên đề"}))).await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let id = m["id"].as_str().unwrap().to_string();
    let uri = format!("/api/v1/meetings/{id}");
    // Not yet held: no attendance.
    let (status, e) =
        call(&mut sec, "PUT", &format!("{uri}/attendance"), Some(json!({"marks": [], "version": 1}))).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "held_on"), "{e}");

    // The member sees the meeting coming, the plan and their own line only.
    let (status, up) = call(&mut member, "GET", "/api/v1/me/meetings", None).await;
    assert_eq!(status, StatusCode::OK, "{up}");
    assert_eq!(up["items"][0]["meeting"]["id"], json!(id), "{up}");
    let (_, seen) = call(&mut member, "GET", &uri, None).await;
    assert_eq!(seen["roll"].as_array().map(Vec::len), Some(1), "{seen}");
    assert_eq!(seen["roll"][0]["member_id"], json!(w.m1));
    let (status, e) = call(&mut member, "POST", &format!("{uri}/notice"), Some(json!({"reason": "  "}))).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "reason"), "{e}");
    let (status, n) =
        call(&mut member, "POST", &format!("{uri}/notice"), Some(json!({"reason": "Đi công tác Đà Nẵng"}))).await;
    assert_eq!((status, n["answer"].clone()), (StatusCode::CREATED, Value::Null), "{n}");
    let (status, _) =
        call(&mut member, "PUT", &format!("{uri}/attendance"), Some(json!({"marks": [], "version": 1}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a member does not record attendance");
    let (status, _) = call(&mut member, "PUT", &format!("{uri}/notices/{}", w.m1), Some(json!({"accept": true}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "nor answer notices");

    // The secretary accepts: the member is marked absent with that reason.
    let answer = format!("{uri}/notices/{}", w.m1);
    let (status, e) = call(&mut sec, "PUT", &answer, Some(json!({"accept": "maybe"}))).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "accept"), "{e}");
    let (status, n) = call(&mut sec, "PUT", &answer, Some(json!({"accept": true}))).await;
    assert_eq!((status, n["answer"].as_str()), (StatusCode::OK, Some("accepted")), "{n}");
    let (_, m) = call(&mut sec, "GET", &uri, None).await;
    let lan = m["roll"].as_array().unwrap().iter().find(|r| r["member_id"] == json!(w.m1)).unwrap().clone();
    assert_eq!((lan["mark"].as_str(), lan["reason"].as_str()), (Some("excused"), Some("Đi công tác Đà Nẵng")), "{m}");
    let (_, up) = call(&mut member, "GET", "/api/v1/me/meetings", None).await;
    assert_eq!(up["items"][0]["notice"]["answer"], "accepted", "{up}");

    // Documents: multipart or raw; type and content checked; read by the cell, members included.
    let boundary = "----chibo";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"Kế hoạch.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 tài liệu\r\n--{boundary}--\r\n"
    );
    let (status, d) = sec
        .raw("POST", &format!("{uri}/documents"), Some(body), &format!("multipart/form-data; boundary={boundary}"))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let d: Value = serde_json::from_str(&d).unwrap();
    assert_eq!(
        (d["file_name"].as_str(), d["content_type"].as_str()),
        (Some("Kế hoạch.pdf"), Some("application/pdf")),
        "{d}"
    );
    let doc = format!("/api/v1/documents/{}", d["id"].as_str().unwrap());
    for (name, bytes, code) in
        [("virus.exe", "MZ", "type_not_allowed"), ("gia.pdf", "<html>", "content_mismatch"), ("rong.txt", "", "empty")]
    {
        let (status, e) = sec
            .raw("POST", &format!("{uri}/documents?file_name={name}"), Some(bytes.into()), "application/octet-stream")
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {e}");
        assert!(e.contains("\"field\":\"file\"") && e.contains(code), "{name}: {e}");
    }
    let huge = "a".repeat(chibo_access::MAX_DOCUMENT_BYTES + chibo_web::api::UPLOAD_OVERHEAD + 1);
    let (status, e) = sec.raw("POST", &format!("{uri}/documents?file_name=big.txt"), Some(huge), "text/plain").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "over the limit");
    assert!(e.contains("\"field\":\"file\"") && e.contains("too_large"), "{e}");
    let (status, e) = sec.raw("POST", &format!("{uri}/documents"), Some("x".into()), "application/octet-stream").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "no file name: {e}");
    let (status, body) = member.raw("GET", &doc, None, "").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "%PDF-1.4 tài liệu"));
    let mut outsider = w.client("staff_y").await;
    assert_eq!(outsider.raw("GET", &doc, None, "").await.0, StatusCode::NOT_FOUND);
    assert_eq!(member.call("DELETE", &doc, None).await.0, StatusCode::FORBIDDEN);
    let (_, up) = call(&mut member, "GET", "/api/v1/me/meetings", None).await;
    assert_eq!(up["items"][0]["documents"][0]["file_name"], "Kế hoạch.pdf", "{up}");
    assert_eq!(sec.call("DELETE", &doc, None).await.0, StatusCode::OK);
    assert_eq!(sec.raw("GET", &doc, None, "").await.0, StatusCode::NOT_FOUND);

    // Topics: planned, used by a meeting (then kept), removed when unused.
    let topics = format!("/api/v1/orgs/{}/topics", w.x1);
    let (status, e) =
        call(&mut sec, "POST", &topics, Some(json!({"year": 2025, "month": 13, "title": "Chuyển đổi số"}))).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "month"), "{e}");
    let (status, e) = call(&mut sec, "POST", &topics, Some(json!({"year": 2025, "month": 10, "title": " "}))).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "title"), "{e}");
    let (status, t1) = call(
        &mut sec,
        "POST",
        &topics,
        Some(json!({"year": 2025, "month": 10, "title": "Chuyển đổi số trong khu dân cư"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{t1}");
    let (_, t2) = call(
        &mut sec,
        "POST",
        &topics,
        Some(json!({"year": "2025", "month": "11", "title": "Xây dựng nếp sống văn minh"})),
    )
    .await;
    let (_, list) = call(&mut sec, "GET", &format!("{topics}?year=2025"), None).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(2), "{list}");
    let (status, m) = call(
        &mut sec,
        "POST",
        &format!("/api/v1/orgs/{}/meetings", w.x1),
        Some(json!({"kind": "thematic", "held_on": "2025-10-20", "topic_id": t1["id"]})),
    )
    .await;
    assert_eq!((status, m["topic_id"].clone()), (StatusCode::CREATED, t1["id"].clone()), "{m}");
    let (status, e) = call(
        &mut sec,
        "POST",
        &format!("/api/v1/orgs/{}/meetings", w.x1),
        Some(json!({"kind": "thematic", "held_on": "2025-10-20", "topic_id": Uuid::now_v7()})),
    )
    .await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "topic_id"), "{e}");
    let (status, e) = call(&mut sec, "DELETE", &format!("/api/v1/topics/{}", t1["id"].as_str().unwrap()), None).await;
    assert_eq!((status, field(&e)), (StatusCode::CONFLICT, "topic_id"), "{e}");
    let (status, _) = call(&mut sec, "DELETE", &format!("/api/v1/topics/{}", t2["id"].as_str().unwrap()), None).await;
    assert_eq!(status, StatusCode::OK);

    // Cancelling a meeting not held; a held one cannot be cancelled.
    let (status, m) = call(&mut sec, "POST", &format!("{uri}/cancel"), Some(json!({"version": "x"}))).await;
    assert_eq!((status, field(&m)), (StatusCode::UNPROCESSABLE_ENTITY, "version"), "{m}");
    let (_, current) = call(&mut sec, "GET", &uri, None).await;
    let (status, m) =
        call(&mut sec, "POST", &format!("{uri}/cancel"), Some(json!({"version": current["version"]}))).await;
    assert_eq!((status, m["status"].as_str()), (StatusCode::OK, Some("cancelled")), "{m}");

    // Scoring sheets: a configured sheet must add up to 100.
    let mut staff = w.client("staff").await;
    let mut sheet = serde_json::to_value(chibo_access::domain::meeting::SheetSpec::of(
        &chibo_access::domain::meeting::DEFAULT_SHEET,
    ))
    .unwrap();
    sheet["criteria"][0]["points"] = json!(25);
    let (status, e) = call(
        &mut staff,
        "POST",
        &format!("/api/v1/orgs/{}/scoring-sheets", w.x),
        Some(json!({"name": "Bảng của phường", "effective_from": "2025-01-01", "sheet": sheet})),
    )
    .await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "criteria"), "{e}");
    sheet["criteria"][0]["points"] = json!(20);
    let (status, s) = call(
        &mut staff,
        "POST",
        &format!("/api/v1/orgs/{}/scoring-sheets", w.x),
        Some(json!({"name": "Bảng của phường", "effective_from": "2025-01-01", "sheet": sheet})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{s}");
    let (_, in_force) =
        call(&mut sec, "GET", &format!("/api/v1/orgs/{}/scoring-sheet?on=2025-09-10", w.x1), None).await;
    assert_eq!(in_force["configured"]["name"], "Bảng của phường", "{in_force}");
}

#[tokio::test]
async fn notices_documents_topics_and_sheets() {
    for engine in engines() {
        let w = World::new(engine).await;
        notices_documents_and_topics(&w).await;
        w.finish().await;
    }
}
