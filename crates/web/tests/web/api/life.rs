//! The API of a member's life and of the tree through time: transfers between subtrees,
//! voiding, the tree as of a date before and after a move, and bad input named by field.

use crate::common;

use axum::http::StatusCode;
use chibo_store::testing::engines;
use common::{Client, World};
use serde_json::{Value, json};

async fn call(c: &mut Client, method: &str, uri: &str, body: Option<Value>) -> (StatusCode, Value) {
    let (status, text) = c.call(method, uri, body).await;
    assert!(status.as_u16() < 500, "{method} {uri}: {status} {text}");
    let v = serde_json::from_str(&text).unwrap_or_else(|_| panic!("{method} {uri}: not JSON: {text}"));
    (status, v)
}

fn today() -> String {
    common::today().to_string()
}

/// The events of a timeline of this kind.
fn events_of<'a>(t: &'a Value, kind: &str) -> Vec<&'a Value> {
    t["events"].as_array().map(|a| a.iter().filter(|e| e["kind"] == kind).collect()).unwrap_or_default()
}

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .map(|a| a.iter().filter_map(|o| o["name"].as_str().or(o["full_name"].as_str()).map(str::to_string)).collect())
        .unwrap_or_default()
}

async fn transfer_between_subtrees(w: &World) {
    let mut sender = w.client("staff").await;
    let mut receiver = w.client("staff_y").await;
    let m1 = format!("/api/v1/members/{}", w.m1);
    // The sending side records the transfer out, naming the receiving cell.
    let out = json!({"kind": "transferred_out", "effective": "2025-09-01", "org_id": w.y1,
        "decision_number": "15-QĐ/ĐU", "decision_body": "Đảng ủy Phường Hoàn Kiếm"});
    let (status, t) = call(&mut sender, "POST", &format!("{m1}/events"), Some(out)).await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    assert_eq!(t["state"]["in_transit"], true, "{t}");
    let ev = events_of(&t, "transferred_out")[0];
    assert_eq!(ev["decision"]["number"], "15-QĐ/ĐU");
    assert_eq!(ev["org_id"], Value::Null, "the receiving cell is outside the sender's subtree: {ev}");
    assert_eq!(ev["recorded_by_name"], "staff");

    // The receiver sees the member only as an incoming transfer.
    for uri in [m1.clone(), format!("{m1}/timeline")] {
        assert_eq!(call(&mut receiver, "GET", &uri, None).await.0, StatusCode::NOT_FOUND, "{uri}");
    }
    let (_, list) = call(&mut receiver, "GET", &format!("/api/v1/orgs/{}/members", w.y), None).await;
    assert!(!list.to_string().contains("Nguyễn Thị Lan"), "{list}");
    let (status, incoming) = call(&mut receiver, "GET", &format!("/api/v1/orgs/{}/incoming", w.y), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(names(&incoming["items"]), ["Nguyễn Thị Lan"], "{incoming}");
    assert_eq!(incoming["items"][0]["to"]["name"], "Chi bộ Bí Mật Ngoài");
    // With the transfer it waits on: the acceptance cannot be dated before it.
    assert_eq!(incoming["items"][0]["sent_on"], "2025-09-01", "{incoming}");
    assert_eq!(incoming["items"][0]["decision_number"], "15-QĐ/ĐU", "{incoming}");
    let (_, theirs) = call(&mut sender, "GET", &format!("/api/v1/orgs/{}/incoming", w.x), None).await;
    assert!(names(&theirs["items"]).is_empty(), "{theirs}");

    // The sender may not receive on the other side.
    let arrive = json!({"kind": "transferred_in", "effective": "2025-09-15", "org_id": w.y1});
    let (status, e) = call(&mut sender, "POST", &format!("{m1}/events"), Some(arrive.clone())).await;
    assert!(status.is_client_error(), "{status} {e}");
    // The receiver accepts with rights on its side only.
    let (status, t) = call(&mut receiver, "POST", &format!("{m1}/events"), Some(arrive)).await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    assert_eq!(t["member"]["org_id"], json!(w.y1));
    assert_eq!(t["state"]["in_transit"], false);
    assert_eq!(call(&mut receiver, "GET", &m1, None).await.0, StatusCode::OK);
    assert_eq!(call(&mut sender, "GET", &m1, None).await.0, StatusCode::NOT_FOUND);
    let (_, incoming) = call(&mut receiver, "GET", &format!("/api/v1/orgs/{}/incoming", w.y), None).await;
    assert!(names(&incoming["items"]).is_empty(), "{incoming}");
    // The rolls of each cell by date.
    let (_, before) = call(&mut sender, "GET", &format!("/api/v1/orgs/{}/as-of?on=2025-08-01", w.x1), None).await;
    assert_eq!(names(&before["members"]), ["Nguyễn Thị Lan"], "{before}");
    let (_, after) = call(&mut receiver, "GET", &format!("/api/v1/orgs/{}/as-of", w.y1), None).await;
    assert!(names(&after["members"]).contains(&"Nguyễn Thị Lan".to_string()), "{after}");
}

async fn voiding(w: &World) {
    let mut c = w.client("staff").await;
    let events = format!("/api/v1/members/{}/events", w.m2);
    let lost = json!({"kind": "contact_lost", "effective": "2025-10-01", "reason": "Không liên lạc được"});
    let (status, t) = call(&mut c, "POST", &events, Some(lost)).await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    assert_eq!(t["state"]["out_of_contact_since"], "2025-10-01");
    let wrong = events_of(&t, "contact_lost")[0]["id"].clone();
    let mut inspector = w.client("inspector").await;
    let void = json!({"kind": "voided", "effective": today(), "ref_id": wrong, "reason": "Ghi nhầm"});
    assert_eq!(call(&mut inspector, "POST", &events, Some(void.clone())).await.0, StatusCode::FORBIDDEN);
    let (status, t) = call(&mut c, "POST", &events, Some(void.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    let voided = events_of(&t, "contact_lost")[0];
    assert_eq!(voided["effect"], "voided");
    assert_eq!(voided["corrected_by"], events_of(&t, "voided")[0]["id"]);
    assert_eq!(t["state"]["out_of_contact_since"], Value::Null);
    let (status, e) = call(&mut c, "POST", &events, Some(void)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["field"], "ref_id", "{e}");
    // The timeline reads the same afterwards.
    let (status, again) = call(&mut c, "GET", &format!("/api/v1/members/{}/timeline", w.m2), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["events"], t["events"]);
    assert!(again["party_age"]["years"].as_i64().unwrap_or(0) >= 10, "{again}");
}

async fn tree_as_of_a_move(w: &World) {
    let mut c = w.client("staff").await;
    let body = json!({"name": "Đảng bộ Cơ quan Phường", "kind": "base_committee", "parent_id": w.x,
        "province_code": "1", "established_on": "2025-07-01"});
    let (status, b) = call(&mut c, "POST", "/api/v1/orgs", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{b}");
    let base = b["id"].as_str().unwrap().to_string();
    let mv = |on: &str| json!({"new_parent_id": base, "effective": on, "decision_number": "20-QĐ/ĐU"});
    let uri = format!("/api/v1/orgs/{}/move", w.x2);
    let (status, e) = call(&mut c, "POST", &uri, Some(mv("2025-06-01"))).await;
    assert_eq!((status, e["error"]["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("effective")), "{e}");
    let (status, e) = call(&mut c, "POST", &uri, Some(mv("2025-09-01"))).await;
    assert_eq!(status, StatusCode::OK, "{e}");
    let as_of = |org: &str, on: &str| format!("/api/v1/orgs/{org}/as-of?on={on}");
    let x = w.x.to_string();
    let (_, before) = call(&mut c, "GET", &as_of(&x, "2025-08-15"), None).await;
    assert!(names(&before["children"]).contains(&"Chi bộ Tổ dân phố số 2".to_string()), "{before}");
    let (_, after) = call(&mut c, "GET", &as_of(&x, "15/09/2025"), None).await;
    assert!(!names(&after["children"]).contains(&"Chi bộ Tổ dân phố số 2".to_string()), "{after}");
    let (_, b_before) = call(&mut c, "GET", &as_of(&base, "2025-08-15"), None).await;
    let (_, b_after) = call(&mut c, "GET", &as_of(&base, "2025-09-15"), None).await;
    assert!(names(&b_before["children"]).is_empty(), "{b_before}");
    assert_eq!(names(&b_after["children"]), ["Chi bộ Tổ dân phố số 2"], "{b_after}");
    assert_eq!((b_before["tally"]["members"].clone(), b_after["tally"]["members"].clone()), (json!(0), json!(1)));
    let x2 = w.x2.to_string();
    let (_, p) = call(&mut c, "GET", &as_of(&x2, "2025-08-15"), None).await;
    assert_eq!(p["parent"]["name"], "Đảng bộ Phường Hoàn Kiếm", "{p}");
    let (_, p) = call(&mut c, "GET", &as_of(&x2, "2025-09-15"), None).await;
    assert_eq!(p["parent"]["name"], "Đảng bộ Cơ quan Phường", "{p}");
    // A rename keeps the old name before its date.
    let rename = json!({"name": "Chi bộ Khu phố 1", "effective": "2025-10-01", "decision_number": "30-QĐ/ĐU"});
    let (status, e) = call(&mut c, "POST", &format!("/api/v1/orgs/{}/rename", w.x1), Some(rename)).await;
    assert_eq!(status, StatusCode::OK, "{e}");
    let x1 = w.x1.to_string();
    assert_eq!(call(&mut c, "GET", &as_of(&x1, "2025-09-30"), None).await.1["name"], "Chi bộ Tổ dân phố số 1");
    assert_eq!(call(&mut c, "GET", &as_of(&x1, "2025-10-01"), None).await.1["name"], "Chi bộ Khu phố 1");
    let (status, e) = call(&mut c, "GET", &as_of(&x1, "31/02/2025"), None).await;
    assert_eq!((status, e["error"]["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("on")), "{e}");
    // Split the cell, then merge the new one into another; dissolve what is left empty.
    let console = chibo_access::Viewer::console();
    let ba = w.app.create_member(&console, common::member("Lê", "Văn", "Ba", w.x1)).await.unwrap().member.id;
    let split = json!({"effective": "2025-11-01", "parts": [{"name": "Chi bộ Khu phố 1B", "kind": "subordinate_cell",
        "province_code": "1", "member_ids": [ba]}]});
    let (status, made) = call(&mut c, "POST", &format!("/api/v1/orgs/{}/split", w.x1), Some(split)).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let part = made["items"][0]["id"].as_str().unwrap().to_string();
    let (status, e) =
        call(&mut c, "POST", &format!("/api/v1/orgs/{}/dissolve", w.x1), Some(json!({"effective": "2025-11-01"})))
            .await;
    assert_eq!(status, StatusCode::OK, "the source is empty: {e}");
    let merge = json!({"sources": [part], "effective": "2025-12-01"});
    let (status, e) = call(&mut c, "POST", &format!("/api/v1/orgs/{}/merge", w.x2), Some(merge)).await;
    assert_eq!(status, StatusCode::OK, "{e}");
    let (_, m) = call(&mut c, "GET", &format!("/api/v1/members/{ba}"), None).await;
    assert_eq!(m["member"]["org_id"], json!(w.x2), "{m}");
}

async fn bad_inputs_are_named(w: &World) {
    let mut c = w.client("staff").await;
    let events = format!("/api/v1/members/{}/events", w.m2);
    let future = (common::today() + time::Duration::days(30)).to_string();
    let timeline = format!("/api/v1/members/{}/timeline", w.m2);
    let before = call(&mut c, "GET", &timeline, None).await.1;
    let cases = [
        (json!({"kind": "promoted", "effective": "2025-01-01"}), "kind"),
        (json!({"effective": "2025-01-01"}), "kind"),
        (json!({"kind": "left", "effective": future}), "effective"),
        (json!({"kind": "left", "effective": "01/01/2025"}), "effective"),
        (json!({"kind": "struck_off", "effective": "2025-01-01"}), "ground"),
        (json!({"kind": "struck_off", "effective": "2025-01-01", "ground": "laziness"}), "ground"),
        (json!({"kind": "voided", "effective": "2025-01-01", "ref_id": "zzz"}), "ref_id"),
        (json!({"kind": "voided", "effective": "2025-01-01", "ref_id": uuid::Uuid::now_v7()}), "ref_id"),
        (json!({"kind": "recognized", "effective": "2025-01-01", "votes_for": "nhiều", "vote_base": 3}), "votes_for"),
        (json!({"kind": "disciplined", "effective": "2025-01-01", "form": "exile"}), "form"),
        (json!({"kind": "attachment_started", "effective": "2025-01-01", "org_id": "x"}), "org_id"),
        (
            json!({"kind": "contact_lost", "effective": "2025-01-01", "decision_signed_on": "hôm qua"}),
            "decision_signed_on",
        ),
    ];
    for (body, field) in cases {
        let (status, e) = call(&mut c, "POST", &events, Some(body.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {e}");
        let named = e["error"]["field"] == field
            || e["error"]["details"].as_array().is_some_and(|d| d.iter().any(|x| x["field"] == field));
        assert!(named, "{body}: expected {field}: {e}");
    }
    let x1 = w.x1;
    let org_cases = [
        (format!("/api/v1/orgs/{x1}/rename"), json!({"name": " ", "effective": "2025-08-01"}), "name"),
        (format!("/api/v1/orgs/{x1}/rename"), json!({"name": "Mới"}), "effective"),
        (format!("/api/v1/orgs/{}/dissolve", w.x2), json!({"effective": "2025-08-01"}), "effective"),
        (format!("/api/v1/orgs/{x1}/merge"), json!({"sources": ["zzz"], "effective": "2025-08-01"}), "sources"),
        (format!("/api/v1/orgs/{x1}/split"), json!({"parts": [], "effective": "2025-08-01"}), "parts"),
        (format!("/api/v1/orgs/{x1}/move"), json!({"new_parent_id": "nope"}), "new_parent_id"),
    ];
    for (uri, body, field) in org_cases {
        let (status, e) = call(&mut c, "POST", &uri, Some(body.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{uri} {body}: {e}");
        assert_eq!(e["error"]["field"], field, "{uri} {body}: {e}");
    }
    for raw in ["{not json", "[]", "{\"kind\": 5}"] {
        let (status, text) = c.raw("POST", &events, Some(raw.into()), "application/json").await;
        assert!(status.is_client_error(), "{raw}: {status} {text}");
    }
    // Nothing of the above was written.
    assert_eq!(call(&mut c, "GET", &timeline, None).await.1, before);
}

#[tokio::test]
async fn life_and_tree_through_time() {
    for engine in engines() {
        let w = World::new(engine).await;
        transfer_between_subtrees(&w).await;
        voiding(&w).await;
        bad_inputs_are_named(&w).await;
        tree_as_of_a_move(&w).await;
        w.finish().await;
    }
}
