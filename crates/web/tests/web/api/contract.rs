//! The OpenAPI document against the real API, on every engine: every operation it declares is
//! called with a request that succeeds, and the common refusals (401, 403, 404, 409, 422) are
//! provoked; the client checks each answer against the document (`common::contract`). Then:
//! every operation was answered with a declared success, and every route the router serves is
//! in the document.

use super::{member_body, org_body, reprimand, sheet_body, today};
use crate::common::{self, Client, World, admission, contract, dossier};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chibo_access::Viewer;
use chibo_access::domain::member::MemberStatus;
use chibo_store::testing::engines;
use serde_json::{Value, json};
use time::macros::date;
use tower::ServiceExt;
use uuid::Uuid;

async fn ok(c: &mut Client, method: &str, uri: &str, body: Option<Value>) -> Value {
    let (status, text) = c.call(method, uri, body).await;
    assert!(status.is_success(), "{method} {uri}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

async fn refused(c: &mut Client, method: &str, uri: &str, body: Option<Value>, expected: StatusCode) {
    let (status, text) = c.call(method, uri, body).await;
    assert_eq!(status, expected, "{method} {uri}: {text}");
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_else(|| panic!("no id in {v}")).to_string()
}

#[tokio::test]
async fn every_operation_answers_as_declared() {
    for engine in engines() {
        let w = World::new(engine).await;
        refusals(&w).await;
        reviews(&w).await;
        tree(&w).await;
        members_and_admission(&w).await;
        meetings(&w).await;
        accounts(&w).await;
        inspections(&w).await;
        w.finish().await;
    }
    let seen = contract::seen();
    for (method, path) in contract::operations() {
        assert!(
            seen.iter().any(|(m, p, s)| *m == method && *p == path && (200..300).contains(s)),
            "{method} {path} was never answered with success"
        );
    }
    for status in [401, 403, 404, 409, 422] {
        assert!(seen.iter().any(|(_, _, s)| *s == status), "no {status} was checked");
    }
}

async fn refusals(w: &World) {
    let mut anon = Client::anonymous(w.router());
    ok(&mut anon, "GET", "/api/v1/openapi.json", None).await;
    refused(&mut anon, "GET", "/api/v1/auth/me", None, StatusCode::UNAUTHORIZED).await;
    let mut staff = w.client("staff").await;
    refused(&mut staff, "GET", &format!("/api/v1/orgs/{}", Uuid::now_v7()), None, StatusCode::NOT_FOUND).await;
    refused(&mut staff, "GET", "/api/v1/no-such-route", None, StatusCode::NOT_FOUND).await;
    refused(&mut staff, "POST", "/api/v1/orgs", Some(json!({})), StatusCode::UNPROCESSABLE_ENTITY).await;
    let stale = member_body(w, w.x1, 0);
    refused(&mut staff, "PUT", &format!("/api/v1/members/{}", w.m1), Some(stale), StatusCode::CONFLICT).await;
    staff.csrf = None;
    refused(&mut staff, "POST", "/api/v1/orgs", Some(json!({})), StatusCode::FORBIDDEN).await;
}

/// The annual review: a 2025 round of X from the member's self-assessment to its close, with
/// a correction, the cells decided, a plan and its progress, the figures and the settings.
async fn reviews(w: &World) {
    let (mut staff, mut secretary, mut member) =
        (w.client("staff").await, w.client("secretary").await, w.client("member").await);
    let round = json!({"kind": "year", "first_day": "2025-01-01", "last_day": "2025-12-31",
        "self_due": "2025-12-05", "cell_due": "2025-12-15", "decision_due": "2025-12-31"});
    let r = id(&ok(&mut staff, "POST", &format!("/api/v1/orgs/{}/reviews", w.x), Some(round)).await);
    ok(&mut staff, "GET", &format!("/api/v1/orgs/{}/reviews", w.x), None).await;
    ok(&mut staff, "GET", &format!("/api/v1/reviews/{r}?at={}", w.x1), None).await;
    ok(&mut staff, "GET", &format!("/api/v1/reviews/{r}/worklist"), None).await;
    let mine = format!("/api/v1/reviews/{r}/members/{}", w.m1);
    let before = ok(&mut member, "GET", &mine, None).await;
    let scores: serde_json::Map<String, Value> = before["round"]["sheet"]
        .as_array()
        .expect("the 100-point sheet")
        .iter()
        .map(|l| (l["code"].as_str().unwrap_or("").to_string(), json!(l["points"].as_u64().unwrap_or(0) * 8 / 10)))
        .collect();
    let own = json!({"scores": scores, "tasks_total": 5, "tasks_on_time": 5, "tasks_exceeded": 0,
        "strengths": "Gương mẫu", "version": before["line"]["version"]});
    ok(&mut member, "PUT", &mine, Some(own)).await;
    let line = |m: uuid::Uuid| json!({"member_id": m, "level": "good", "votes_for": 3, "votes_against": 0, "votes_abstain": 0});
    let op = json!({"lines": [line(w.m1)]});
    ok(&mut secretary, "PUT", &format!("/api/v1/reviews/{r}/cells/{}/opinion", w.x1), Some(op)).await;
    let op = json!({"lines": [line(w.m2)]});
    ok(&mut staff, "PUT", &format!("/api/v1/reviews/{r}/cells/{}/opinion", w.x2), Some(op)).await;
    let decide = |ids: [uuid::Uuid; 2]| {
        json!({"number": "45-QĐ/ĐU", "signed_on": "2025-12-26",
            "lines": ids.iter().map(|i| json!({"id": i, "level": "good"})).collect::<Vec<_>>()})
    };
    let path = format!("/api/v1/reviews/{r}/decisions/members/{}", w.x);
    ok(&mut staff, "POST", &path, Some(decide([w.m1, w.m2]))).await;
    refused(&mut staff, "POST", &path, Some(decide([w.m1, w.m2])), StatusCode::UNPROCESSABLE_ENTITY).await;
    let fix = json!({"level": "completed", "number": "46-QĐ/ĐU", "signed_on": "2025-12-28", "reason": "Rà soát lại"});
    ok(&mut staff, "POST", &format!("/api/v1/reviews/{r}/corrections/{}", w.m2), Some(fix)).await;
    let own_org = json!({"level": "good", "text": "Hoàn thành tốt", "targets": 4, "targets_met": 4, "version": 1});
    ok(&mut secretary, "PUT", &format!("/api/v1/reviews/{r}/orgs/{}", w.x1), Some(own_org)).await;
    ok(&mut staff, "POST", &format!("/api/v1/reviews/{r}/decisions/orgs/{}", w.x), Some(decide([w.x1, w.x2]))).await;
    let plan = json!({"subject_id": w.m1, "items": [{"content": "Học tập nghị quyết", "responsible": "Bản thân", "deadline": "2026-06-30"}]});
    let p = ok(&mut member, "POST", &format!("/api/v1/reviews/{r}/plans"), Some(plan)).await;
    let item = p["items"][0]["id"].as_str().expect("item id").to_string();
    ok(
        &mut member,
        "PUT",
        &format!("/api/v1/plan-items/{item}"),
        Some(json!({"done_on": "2026-05-01", "note": "Xong"})),
    )
    .await;
    ok(&mut staff, "GET", &format!("/api/v1/orgs/{}/review-figures?period=year:2025", w.x), None).await;
    let settings = json!({"effective_from": "2026-01-01", "quota_percent": 25});
    ok(&mut staff, "POST", &format!("/api/v1/orgs/{}/review-settings", w.x), Some(settings)).await;
    let version = ok(&mut staff, "GET", &format!("/api/v1/reviews/{r}"), None).await["round"]["version"].clone();
    ok(&mut staff, "POST", &format!("/api/v1/reviews/{r}/close"), Some(json!({"version": version}))).await;
}

/// Inspection: a programme, a case on a cell and one on a member from the decision to the
/// conclusion, the discipline, the appeal answered by the province's inspection committee, the
/// figures and the work list.
async fn inspections(w: &World) {
    let c = Viewer::console();
    let u = w.app.create_user(&c, "inspector_p", "inspector_p", common::PASSWORD).await.unwrap();
    w.app.grant(&c, u.id, chibo_access::domain::access::Role::Inspector, w.province, None).await.unwrap();
    let (mut ins, mut member, mut above) =
        (w.client("inspector").await, w.client("member").await, w.client("inspector_p").await);
    let x = w.x;
    let programme = json!({"year": 2026, "kind": "supervision", "title": "Chương trình giám sát 2026",
        "items": [{"subject_org_id": w.x2, "content": "Sinh hoạt chi bộ", "planned_month": 3}]});
    let written = ok(&mut ins, "POST", &format!("/api/v1/orgs/{x}/inspection/programmes"), Some(programme)).await;
    ok(&mut ins, "GET", &format!("/api/v1/orgs/{x}/inspection/programmes"), None).await;
    let edit = json!({"title": "Chương trình giám sát 2026 (điều chỉnh)", "version": written["version"], "items": [
        {"id": written["items"][0]["id"], "subject_org_id": w.x2, "content": "Sinh hoạt chi bộ", "planned_month": 4},
        {"subject_member_id": w.m1, "content": "Kê khai tài sản", "planned_month": 9}]});
    let edited = ok(&mut ins, "PUT", &format!("/api/v1/inspection/programmes/{}", id(&written)), Some(edit)).await;
    assert_eq!(edited["items"].as_array().map(Vec::len), Some(2), "{edited}");
    let on_cell = json!({"kind": "inspect_org", "by_inspection": true, "subject_org_id": w.x1,
        "decision_number": "01-QĐ/UBKT", "decided_on": "2026-10-01", "due_on": "2026-11-15"});
    let cell_case =
        id(&ok(&mut ins, "POST", &format!("/api/v1/orgs/{x}/inspection/cases"), Some(on_cell)).await["case"]);
    ok(&mut ins, "GET", &format!("/api/v1/orgs/{x}/inspection/cases?year=2026"), None).await;
    let step = json!({"step": "announcement", "on": "2026-10-03"});
    ok(&mut ins, "POST", &format!("/api/v1/inspection/cases/{cell_case}/steps"), Some(step.clone())).await;
    refused(&mut ins, "POST", &format!("/api/v1/inspection/cases/{cell_case}/steps"), Some(step), StatusCode::CONFLICT)
        .await;
    // Its documents while open: attached, listed, downloaded and removed.
    let docs = format!("/api/v1/inspection/cases/{cell_case}/documents");
    let (status, text) = ins
        .raw("POST", &format!("{docs}?file_name=bien-ban.txt"), Some("Biên bản làm việc".into()), "text/plain")
        .await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let doc = id(&serde_json::from_str(&text).unwrap());
    ok(&mut ins, "GET", &docs, None).await;
    let (status, _) = ins.call("GET", &format!("/api/v1/inspection/documents/{doc}"), None).await;
    assert_eq!(status, StatusCode::OK);
    ok(&mut ins, "DELETE", &format!("/api/v1/inspection/documents/{doc}"), None).await;
    let concl = json!({"on": "2026-10-20", "finding": "shortcomings", "shortcomings": "Sổ sách chưa đầy đủ",
        "recommendations": [{"content": "Bổ sung sổ sách", "owner": "Bí thư chi bộ", "deadline": "2026-11-30"}]});
    let view = ok(&mut ins, "POST", &format!("/api/v1/inspection/cases/{cell_case}/conclusion"), Some(concl)).await;
    let rec = id(&view["recommendations"][0]);
    ok(&mut ins, "POST", &format!("/api/v1/inspection/recommendations/{rec}"), Some(json!({"done_on": "2026-11-20"})))
        .await;
    let on_member = json!({"kind": "inspect_member_signs", "by_inspection": true, "subject_member_id": w.m1,
        "decision_number": "02-QĐ/UBKT", "decided_on": "2026-10-05", "due_on": "2026-11-15"});
    let case = id(&ok(&mut ins, "POST", &format!("/api/v1/orgs/{x}/inspection/cases"), Some(on_member)).await["case"]);
    let concl = json!({"on": "2026-10-25", "finding": "discipline", "violations": "Vi phạm", "violated_on": "2026-05-01",
        "level": "reprimand"});
    ok(&mut ins, "POST", &format!("/api/v1/inspection/cases/{case}/conclusion"), Some(concl)).await;
    let base = format!("/api/v1/inspection/cases/{case}");
    ok(&mut member, "GET", &base, None).await;
    ok(
        &mut ins,
        "POST",
        &format!("{base}/discipline"),
        Some(json!({"form": "reprimand", "on": "2026-10-26", "reason": "Vi phạm"})),
    )
    .await;
    ok(
        &mut member,
        "POST",
        &format!("{base}/self-review"),
        Some(json!({"on": "2026-10-28", "text": "Nhận khuyết điểm"})),
    )
    .await;
    let ballot = json!({"members": 5, "votes_reprimand": 4, "votes_none": 1, "decision_number": "09-QĐ/UBKT",
        "decided_on": "2026-11-02", "received_on": "2026-11-03"});
    ok(&mut ins, "POST", &format!("{base}/discipline/decision"), Some(ballot)).await;
    ok(
        &mut member,
        "POST",
        &format!("{base}/appeal"),
        Some(json!({"filed_on": "2026-11-10", "content": "Xin xem xét lại"})),
    )
    .await;
    let answer = json!({"outcome": "upheld", "answer_number": "3-QĐ/UBKT", "answered_on": "2026-11-25"});
    ok(&mut above, "POST", &format!("{base}/appeal/answer"), Some(answer)).await;
    ok(&mut ins, "GET", &format!("/api/v1/orgs/{x}/inspection/figures?period=2026"), None).await;
    ok(
        &mut w.client("staff").await,
        "GET",
        &format!("/api/v1/orgs/{x}/inspection/figures?period=term:2025-07-01"),
        None,
    )
    .await;
    ok(&mut ins, "GET", &format!("/api/v1/orgs/{x}/inspection/work"), None).await;
    refused(&mut w.client("staff").await, "GET", &base, None, StatusCode::NOT_FOUND).await;
}

/// The tree: lists, create, edit, move and the dated restructuring.
async fn tree(w: &World) {
    let (mut staff, mut admin) = (w.client("staff").await, w.client("admin").await);
    ok(&mut staff, "GET", "/api/v1/orgs", None).await;
    ok(&mut staff, "GET", "/api/v1/orgs?q=hoan%20kiem", None).await;
    ok(&mut staff, "GET", &format!("/api/v1/orgs/{}/children", w.x), None).await;
    ok(&mut staff, "GET", &format!("/api/v1/orgs/{}/report?period=2025-Q3", w.x), None).await;
    ok(&mut staff, "GET", &format!("/api/v1/orgs/{}/report/list?item=gender/male&on=2025-12-31", w.x), None).await;
    ok(&mut staff, "GET", &format!("/api/v1/orgs/{}/report/list?item=org_kind/subordinate_cell", w.x), None).await;
    ok(&mut staff, "GET", &format!("/api/v1/orgs/{}/report/trend", w.x), None).await;
    let cell = |name: &str| org_body(name, "subordinate_cell", Some(w.x));
    let x3 = id(&ok(&mut staff, "POST", "/api/v1/orgs", Some(cell("Chi bộ Tổ dân phố số 3"))).await);
    ok(&mut staff, "GET", &format!("/api/v1/orgs/{x3}"), None).await;
    ok(&mut staff, "PUT", &format!("/api/v1/orgs/{x3}"), Some(cell("Chi bộ Tổ dân phố 3"))).await;
    let z = org_body("Đảng bộ Phường Ba Đình", "commune", Some(w.province));
    let z = id(&ok(&mut admin, "POST", "/api/v1/orgs", Some(z)).await);
    let on = json!({"effective": today()});
    ok(&mut admin, "POST", &format!("/api/v1/orgs/{x3}/move"), Some(json!({"new_parent_id": z}))).await;
    let rename = json!({"name": "Chi bộ Tổ dân phố số 3 mới", "effective": today()});
    ok(&mut admin, "POST", &format!("/api/v1/orgs/{x3}/rename"), Some(rename)).await;
    let part = json!({"name": "Chi bộ Tổ dân phố số 4", "kind": "subordinate_cell", "member_ids": []});
    let split = json!({"parts": [part], "effective": today()});
    let parts = ok(&mut admin, "POST", &format!("/api/v1/orgs/{x3}/split"), Some(split)).await;
    let x4 = id(&parts["items"][0]);
    let merge = json!({"sources": [x4], "effective": today()});
    ok(&mut admin, "POST", &format!("/api/v1/orgs/{x3}/merge"), Some(merge)).await;
    ok(&mut admin, "POST", &format!("/api/v1/orgs/{x3}/dissolve"), Some(on)).await;
    ok(&mut staff, "GET", &format!("/api/v1/orgs/{}/as-of?on={}", w.x, today()), None).await;
    ok(&mut staff, "GET", &format!("/api/v1/orgs/{}/incoming", w.x), None).await;
}

async fn members_and_admission(w: &World) {
    let (mut staff, mut member) = (w.client("staff").await, w.client("member").await);
    ok(&mut staff, "GET", &format!("/api/v1/orgs/{}/members?q=lan&limit=10", w.x), None).await;
    let created = ok(&mut staff, "POST", "/api/v1/members", Some(member_body(w, w.x1, 1))).await;
    let m = created["member"]["id"].as_str().expect("member id").to_string();
    ok(&mut staff, "GET", &format!("/api/v1/members/{m}"), None).await;
    ok(&mut staff, "PUT", &format!("/api/v1/members/{m}"), Some(member_body(w, w.x1, 1))).await;
    ok(&mut staff, "GET", &format!("/api/v1/members/{m}/timeline"), None).await;
    ok(&mut staff, "POST", &format!("/api/v1/members/{m}/events"), Some(reprimand())).await;
    let own = ok(&mut member, "GET", &format!("/api/v1/members/{}", w.m1), None).await;
    let fix = json!({"phone": "0912345678", "version": own["member"]["version"]});
    ok(&mut member, "PATCH", &format!("/api/v1/members/{}/own", w.m1), Some(fix)).await;
    // A twin of m1 raises a possible-duplicate flag.
    let c = Viewer::console();
    let twin = w.app.member(&c, w.m1).await.expect("m1").member.input;
    let flag = w.app.create_member(&c, twin).await.expect("twin").flags[0].id;
    ok(&mut staff, "POST", &format!("/api/v1/flags/{flag}/resolve"), None).await;

    // Admission: a case admitted, another withdrawn; the work lists.
    let cases = format!("/api/v1/orgs/{}/candidates", w.x1);
    let k = id(&ok(&mut staff, "POST", &cases, Some(dossier(w.m1))).await);
    ok(&mut staff, "GET", &format!("{cases}?state=open"), None).await;
    let mut edit = dossier(w.m1);
    edit["org_id"] = json!(w.x1);
    edit["version"] = json!(1);
    let k1 = ok(&mut staff, "PUT", &format!("/api/v1/candidates/{k}"), Some(edit)).await;
    ok(&mut staff, "GET", &format!("/api/v1/candidates/{k}"), None).await;
    ok(&mut staff, "POST", &format!("/api/v1/candidates/{k}/admit"), Some(admission(&k1["version"]))).await;
    let k2 = id(&ok(&mut staff, "POST", &cases, Some(dossier(w.m1))).await);
    ok(&mut staff, "POST", &format!("/api/v1/candidates/{k2}/withdraw"), Some(json!({"version": 1}))).await;
    ok(&mut staff, "GET", &format!("/api/v1/orgs/{}/probation", w.x), None).await;
    ok(&mut staff, "GET", &format!("/api/v1/orgs/{}/badges?award_on=2025-09-02", w.x), None).await;
    let mut veteran = common::member("Cao", "Văn", "Lão", w.x1);
    (veteran.birth_date, veteran.admission_date, veteran.official_date) =
        (date!(1960 - 01 - 01), date!(1985 - 01 - 01), Some(date!(1986 - 01 - 01)));
    veteran.status = MemberStatus::Official;
    let veteran = w.app.create_member(&c, veteran).await.expect("veteran").member.id;
    let badges = format!("/api/v1/members/{veteran}/badges");
    ok(&mut staff, "POST", &badges, Some(json!({"years": 30, "award_on": "2021-11-07"}))).await;
    ok(&mut staff, "GET", &badges, None).await;
}

async fn meetings(w: &World) {
    let (mut sec, mut staff, mut member) =
        (w.client("secretary").await, w.client("staff").await, w.client("member").await);
    let cell = format!("/api/v1/orgs/{}/meetings", w.x1);
    let plan = json!({"kind": "regular", "held_on": "2025-09-10", "starts_at": "19:30",
        "place": "Nhà văn hóa tổ dân phố số 1", "agenda": "Sinh hoạt thường kỳ tháng 9"});
    let mt = id(&ok(&mut sec, "POST", &cell, Some(plan.clone())).await);
    let uri = format!("/api/v1/meetings/{mt}");
    ok(&mut sec, "GET", &format!("{cell}?year=2025"), None).await;
    let mut edit = plan;
    edit["agenda"] = json!("Sinh hoạt thường kỳ tháng 9 năm 2025");
    edit["version"] = json!(1);
    ok(&mut sec, "PUT", &uri, Some(edit)).await;
    let (status, text) = sec
        .raw("POST", &format!("{uri}/documents?file_name=ke-hoach.txt"), Some("Kế hoạch".into()), "text/plain")
        .await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let doc = id(&serde_json::from_str(&text).expect("document"));
    let (status, _) = sec.call("GET", &format!("/api/v1/documents/{doc}"), None).await;
    assert_eq!(status, StatusCode::OK);
    ok(&mut sec, "DELETE", &format!("/api/v1/documents/{doc}"), None).await;
    // Attendance, minutes, rating, approval.
    let m = ok(&mut sec, "GET", &uri, None).await;
    let roll: Vec<Value> = m["roll"].as_array().expect("roll").clone();
    let marks: Vec<Value> = roll.iter().map(|r| json!({"member_id": r["member_id"], "mark": "present"})).collect();
    let m =
        ok(&mut sec, "PUT", &format!("{uri}/attendance"), Some(json!({"marks": marks, "version": m["version"]}))).await;
    let minutes = json!({
        "starts_at": "19:30", "ends_at": "21:30", "place": "Nhà văn hóa tổ dân phố số 1",
        "agenda": "Đánh giá kết quả tháng 8, triển khai nhiệm vụ tháng 9",
        "chair_id": roll[0]["member_id"], "recorder_id": roll[roll.len() - 1]["member_id"],
        "guests": "Không", "followup": "Đã hoàn thành việc vận động quỹ khuyến học",
        "speakers": [{"member_id": roll[0]["member_id"], "opinion": "Nhất trí"}],
        "conclusions": "Chi bộ thống nhất các nhiệm vụ tháng 9", "resolution": "Tổ chức tổng vệ sinh ngày 15/9",
        "votes_for": m["vote_base"]["base"], "votes_against": 0, "votes_abstain": 0, "version": m["version"],
    });
    let m = ok(&mut sec, "PUT", &format!("{uri}/minutes"), Some(minutes)).await;
    let scores: serde_json::Map<String, Value> = m["sheet"]["criteria"]
        .as_array()
        .expect("criteria")
        .iter()
        .filter(|c| c["judged"] == json!(true))
        .map(|c| (c["code"].as_str().unwrap_or_default().to_string(), json!(c["points"].as_u64().unwrap_or(0) / 2)))
        .collect();
    let r =
        ok(&mut sec, "PUT", &format!("{uri}/rating"), Some(json!({"scores": scores, "version": m["version"]}))).await;
    ok(&mut sec, "POST", &format!("{uri}/approve"), Some(json!({"version": r["meeting"]["version"]}))).await;
    // An upcoming meeting: a member's notice, the answer, then cancelled.
    let soon = (common::today() + time::Duration::days(7)).to_string();
    let next = id(&ok(&mut sec, "POST", &cell, Some(json!({"kind": "thematic", "held_on": soon}))).await);
    let next_uri = format!("/api/v1/meetings/{next}");
    ok(&mut member, "POST", &format!("{next_uri}/notice"), Some(json!({"reason": "Đi công tác"}))).await;
    ok(&mut member, "GET", "/api/v1/me/meetings", None).await;
    ok(&mut sec, "PUT", &format!("{next_uri}/notices/{}", w.m1), Some(json!({"accept": true}))).await;
    let version = ok(&mut sec, "GET", &next_uri, None).await["version"].clone();
    ok(&mut sec, "POST", &format!("{next_uri}/cancel"), Some(json!({"version": version}))).await;
    // Figures, work lists, topics and scoring sheets.
    ok(&mut staff, "GET", &format!("/api/v1/orgs/{}/meeting-figures?period=2025-09", w.x), None).await;
    ok(&mut staff, "GET", &format!("/api/v1/orgs/{}/meeting-figures/missing?period=2025-09", w.x), None).await;
    ok(&mut sec, "GET", &format!("/api/v1/orgs/{}/absences?year=2025", w.x1), None).await;
    let topics = format!("/api/v1/orgs/{}/topics", w.x1);
    let topic = json!({"year": 2025, "month": 11, "title": "Học tập Nghị quyết"});
    let t = id(&ok(&mut sec, "POST", &topics, Some(topic)).await);
    ok(&mut sec, "GET", &format!("{topics}?year=2025"), None).await;
    ok(&mut sec, "DELETE", &format!("/api/v1/topics/{t}"), None).await;
    ok(&mut sec, "GET", &format!("/api/v1/orgs/{}/scoring-sheet?on=2025-09-10", w.x1), None).await;
    ok(&mut staff, "POST", &format!("/api/v1/orgs/{}/scoring-sheets", w.x), Some(sheet_body())).await;
}

async fn accounts(w: &World) {
    let mut admin = w.client("admin").await;
    ok(&mut admin, "GET", "/api/v1/users", None).await;
    let new = json!({"username": "moi", "display_name": "Người Mới", "password": "0123456789ab"});
    let u = id(&ok(&mut admin, "POST", "/api/v1/users", Some(new)).await);
    let g =
        ok(&mut admin, "POST", &format!("/api/v1/users/{u}/grants"), Some(json!({"role": "inspector", "org_id": w.x})))
            .await;
    ok(&mut admin, "DELETE", &format!("/api/v1/grants/{}", id(&g)), None).await;
    for action in ["disable", "enable", "unlock", "totp/reset"] {
        ok(&mut admin, "POST", &format!("/api/v1/users/{u}/{action}"), None).await;
    }
    let reset = json!({"new_password": "mat-khau-moi-dai"});
    ok(&mut admin, "POST", &format!("/api/v1/users/{u}/password"), Some(reset)).await;
    w.client("staff").await;
    let staff = w.user("staff");
    let sessions = ok(&mut admin, "GET", &format!("/api/v1/users/{staff}/sessions"), None).await;
    let session = id(&sessions["items"][0]);
    ok(&mut admin, "DELETE", &format!("/api/v1/users/{staff}/sessions/{session}"), None).await;
    ok(&mut admin, "GET", "/api/v1/login-blocks", None).await;
    ok(&mut admin, "GET", "/api/v1/audit?limit=5", None).await;
    let mut sec = w.client("secretary").await;
    ok(&mut sec, "GET", "/api/v1/auth/me", None).await;
    let change = json!({"current_password": common::PASSWORD, "new_password": "mat-khau-moi-cua-bi-thu"});
    ok(&mut sec, "POST", "/api/v1/auth/password", Some(change)).await;
    ok(&mut sec, "POST", "/api/v1/auth/logout", None).await;
    second_factor(w).await;
}

/// Enrol a second factor, then log in with it.
async fn second_factor(w: &World) {
    let router = chibo_web::router(w.app.clone().with_second_factor(true), false);
    let login = json!({"username": "inspector", "password": common::PASSWORD});
    let mut c = Client::anonymous(router.clone());
    let me = ok(&mut c, "POST", "/api/v1/auth/login", Some(login.clone())).await;
    c.csrf = me["csrf_token"].as_str().map(str::to_string);
    ok(&mut c, "GET", "/api/v1/auth/totp", None).await;
    let secret = ok(&mut c, "POST", "/api/v1/auth/totp", None).await["secret"].as_str().expect("secret").to_string();
    let code = chibo_access::code_at(&secret, 0).expect("code");
    ok(&mut c, "POST", "/api/v1/auth/totp/confirm", Some(json!({"code": code}))).await;
    let mut again = Client::anonymous(router);
    let step = ok(&mut again, "POST", "/api/v1/auth/login", Some(login)).await;
    let code = chibo_access::code_at(&secret, 30).expect("code");
    let body = json!({"pending_token": step["pending_token"], "code": code});
    ok(&mut again, "POST", "/api/v1/auth/login/code", Some(body)).await;
}

/// Every path the router serves is in the document, with no method the document leaves out;
/// and every operation of the document reaches a handler.
#[tokio::test]
async fn the_router_serves_what_the_document_declares() {
    let (router, _) = chibo_web::api::router_and_document();
    let served = served_paths(&format!("{router:?}"));
    let documented: Vec<(String, String)> = contract::operations();
    assert!(served.len() >= 60, "the router's paths could not be read: {served:?}");
    for path in &served {
        assert!(documented.iter().any(|(_, p)| p == path), "{path} is served but not in the OpenAPI document");
    }
    for (method, path) in &documented {
        assert!(served.contains(path), "{method} {path} is in the OpenAPI document but not served");
    }
    let engine = engines()[0];
    let w = World::new(engine).await;
    let app = w.router();
    for path in served {
        let uri = format!("/api/v1{}", path.replace("{id}", &Uuid::now_v7().to_string()));
        let uri = uri.replace("{member_id}", &Uuid::now_v7().to_string()).replace("{session}", "s");
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            let req = Request::builder().method(method).uri(&uri).body(Body::empty()).expect("request");
            let status = app.clone().oneshot(req).await.expect("answer").status();
            let declared = documented.iter().any(|(m, p)| m == method && *p == path);
            // Unauthenticated, every declared operation answers from its handler (401 when it
            // needs a session; the public ones refuse the empty body), never 405.
            assert_eq!(status == StatusCode::METHOD_NOT_ALLOWED, !declared, "{method} {uri}: {status}");
        }
    }
    w.finish().await;
}

/// The route paths in axum's debug view of a router (`Node { paths: {RouteId(n): "/x", …} }`).
fn served_paths(debug: &str) -> Vec<String> {
    let mut out: Vec<String> = debug
        .split("RouteId(")
        .skip(1)
        .filter_map(|s| s.split_once("): \"").and_then(|(_, rest)| rest.split_once('"')).map(|(p, _)| p.to_string()))
        // The fallback's own entries are not routes.
        .filter(|p| p.len() > 1 && p.starts_with('/') && !p.contains("__private__"))
        .collect();
    out.sort();
    out.dedup();
    out
}
