//! The API of admission and the work lists: a candidate's case from creation to the
//! probationary member, the probation and badge work lists, badges never awarded twice, bad
//! input named by field, and the state-changing routes of a case role by role.

use crate::common;

use axum::http::StatusCode;
use chibo_access::Viewer;
use chibo_access::domain::life::{CandidateInput, IntroducerInput};
use chibo_access::domain::member::Gender;
use chibo_store::testing::engines;
use common::today;
use common::{Client, World, admission, dossier, member};
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

async fn a_case_from_dossier_to_probationary_member(w: &World) {
    let mut c = w.client("staff").await;
    let cell = format!("/api/v1/orgs/{}/candidates", w.x1);
    // Refusals name the field: an introducer outside the subtree, a vote over the base.
    let mut bad = dossier(w.m3);
    let (status, e) = call(&mut c, "POST", &cell, Some(bad.clone())).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "introducers"), "{e}");
    bad["introducers"][0]["member_id"] = json!(w.m1);
    bad["cell_votes_for"] = json!(5);
    let (status, e) = call(&mut c, "POST", &cell, Some(bad.clone())).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "cell_votes_for"), "{e}");
    bad["birth_date"] = json!("19/08/2001");
    let (status, e) = call(&mut c, "POST", &cell, Some(bad)).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "birth_date"), "{e}");
    let (status, e) = call(&mut c, "GET", &format!("{cell}?state=bogus"), None).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "state"), "{e}");
    let (_, list) = call(&mut c, "GET", &cell, None).await;
    assert_eq!(list["items"], json!([]), "nothing of the refused cases was written");

    let (status, k) = call(&mut c, "POST", &cell, Some(dossier(w.m1))).await;
    assert_eq!(status, StatusCode::CREATED, "{k}");
    assert_eq!((k["full_name"].as_str(), k["state"].as_str()), (Some("Lò Thị Xuân"), Some("open")));
    // No decision 60 working days after the cell's resolution of 02/06/2025.
    assert_eq!(k["overdue"], true, "{k}");
    assert!(k["decision_deadline"].as_str().is_some_and(|d| d.starts_with("2025-0")), "{k}");
    let id = k["id"].as_str().unwrap_or_default().to_string();
    let (_, list) = call(&mut c, "GET", &format!("/api/v1/orgs/{}/candidates", w.x), None).await;
    assert_eq!(list["items"][0]["id"], json!(id), "listed in the commune's subtree: {list}");

    // Editing needs the version read; the whole dossier is sent again.
    let case = format!("/api/v1/candidates/{id}");
    let mut edit = dossier(w.m1);
    edit["org_id"] = json!(w.x1);
    edit["citizen_id"] = json!("");
    let (status, e) = call(&mut c, "PUT", &case, Some(edit.clone())).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "version"), "{e}");
    edit["version"] = json!(k["version"].as_i64().unwrap_or(0) + 7);
    let (status, e) = call(&mut c, "PUT", &case, Some(edit.clone())).await;
    assert_eq!((status, field(&e)), (StatusCode::CONFLICT, "version"), "{e}");
    edit["version"] = k["version"].clone();
    edit["middle_name"] = json!("Thị Thu");
    let (status, k) = call(&mut c, "PUT", &case, Some(edit)).await;
    assert_eq!(status, StatusCode::OK, "{k}");
    assert_eq!(k["full_name"], "Lò Thị Thu Xuân");

    // The admission: the ceremony cannot precede the decision; then the member exists.
    let mut early = admission(&k["version"]);
    early["ceremony_on"] = json!("2025-07-10");
    let (status, e) = call(&mut c, "POST", &format!("{case}/admit"), Some(early)).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "ceremony_on"), "{e}");
    let (status, e) = call(&mut c, "POST", &format!("{case}/admit"), Some(json!({"version": k["version"]}))).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "ceremony_on"), "{e}");
    let (status, done) = call(&mut c, "POST", &format!("{case}/admit"), Some(admission(&k["version"]))).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["state"], "admitted");
    let member_id = done["member_id"].as_str().unwrap_or_default().to_string();
    let (status, m) = call(&mut c, "GET", &format!("/api/v1/members/{member_id}"), None).await;
    assert_eq!(status, StatusCode::OK, "{m}");
    assert_eq!(m["member"]["status"], "probationary");
    assert_eq!(m["member"]["admission_date"], "2025-07-20");
    assert_eq!(m["member"]["org_id"], json!(w.x1));
    // A closed case is neither edited nor withdrawn.
    let (status, e) =
        call(&mut c, "POST", &format!("{case}/withdraw"), Some(json!({"version": done["version"]}))).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "state"), "{e}");
    let (_, admitted) = call(&mut c, "GET", &format!("{cell}?state=admitted"), None).await;
    assert_eq!(admitted["items"][0]["member_id"], json!(member_id));

    // Probation from 20/07/2025: ended 20/07/2026, listed with its dates.
    let (status, p) = call(&mut c, "GET", &format!("/api/v1/orgs/{}/probation", w.x), None).await;
    assert_eq!(status, StatusCode::OK, "{p}");
    let item = p["items"].as_array().and_then(|a| a.iter().find(|i| i["member_id"] == json!(member_id)));
    let item = item.unwrap_or_else(|| panic!("the new member is listed: {p}"));
    assert_eq!(item["status"]["ended_on"], "2026-07-20", "{item}");
    assert!(["awaiting_decision", "overdue"].contains(&item["status"]["kind"].as_str().unwrap_or("")), "{item}");

    // Withdrawing another case.
    let (_, k2) = call(&mut c, "POST", &cell, Some(dossier(w.m1))).await;
    let case2 = format!("/api/v1/candidates/{}", k2["id"].as_str().unwrap_or_default());
    let (status, e) = call(&mut c, "POST", &format!("{case2}/withdraw"), Some(json!({}))).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "version"), "{e}");
    let (status, k2) =
        call(&mut c, "POST", &format!("{case2}/withdraw"), Some(json!({"version": k2["version"]}))).await;
    assert_eq!((status, k2["state"].as_str()), (StatusCode::OK, Some("withdrawn")), "{k2}");
}

async fn badges_on_award_dates_and_never_twice(w: &World) {
    let console = Viewer::console();
    let mut veteran = member("Hoàng", "Văn", "Cựu", w.x1);
    veteran.birth_date = date!(1960 - 03 - 10);
    veteran.gender = Gender::Male;
    veteran.admission_date = date!(1990 - 11 - 07);
    veteran.official_date = Some(date!(1991 - 11 - 07));
    let vet = w.app.create_member(&console, veteran).await.unwrap().member.id;
    let mut c = w.client("secretary").await;
    let list = format!("/api/v1/orgs/{}/badges", w.x1);
    let (status, e) = call(&mut c, "GET", &format!("{list}?award_on=2021-11-08"), None).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "award_on"), "{e}");
    let (status, e) = call(&mut c, "GET", &format!("{list}?award_on=31/02/2021"), None).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "award_on"), "{e}");
    // Both spellings of the date; the veteran reached 30 years on 07/11/2020.
    for on in ["2021-11-07", "07/11/2021"] {
        let (status, l) = call(&mut c, "GET", &format!("{list}?award_on={on}"), None).await;
        assert_eq!(status, StatusCode::OK, "{l}");
        assert_eq!(l["award_on"], "2021-11-07");
        let due: Vec<&Value> = l["items"].as_array().map(|a| a.iter().collect()).unwrap_or_default();
        assert_eq!(due.len(), 1, "{l}");
        assert_eq!((due[0]["member_id"].clone(), due[0]["due"][0]["years"].clone()), (json!(vet), json!(30)));
    }
    // Without a date: the next award date, on or after today.
    let (_, l) = call(&mut c, "GET", &list, None).await;
    assert!(l["award_on"].as_str().is_some_and(|d| d >= today().to_string().as_str()), "{l}");

    let badges = format!("/api/v1/members/{vet}/badges");
    let (status, e) = call(&mut c, "POST", &badges, Some(json!({"years": "ba mươi", "award_on": "2021-11-07"}))).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "years"), "{e}");
    let (status, e) = call(&mut c, "POST", &badges, Some(json!({"years": 40, "award_on": "2021-11-07"}))).await;
    assert_eq!((status, field(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "years"), "not due: {e}");
    let award = json!({"years": 30, "award_on": "2021-11-07", "decision_number": "08-QĐ/TU"});
    let (status, got) = call(&mut c, "POST", &badges, Some(award.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{got}");
    assert_eq!(
        (got["items"][0]["years"].clone(), got["items"][0]["decision_number"].clone()),
        (json!(30), json!("08-QĐ/TU"))
    );
    let (status, e) = call(&mut c, "POST", &badges, Some(award)).await;
    assert_eq!((status, field(&e)), (StatusCode::CONFLICT, "years"), "never twice: {e}");
    let (_, mine) = call(&mut c, "GET", &badges, None).await;
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(1), "{mine}");
    let (_, l) = call(&mut c, "GET", &format!("{list}?award_on=2022-02-03"), None).await;
    assert_eq!(l["items"], json!([]), "the badge is recorded: {l}");
}

/// A fresh open case in a cell with a whole dossier, opened by the console.
async fn open_case(w: &World, cell: Uuid, introducer: Uuid) -> Uuid {
    let input = CandidateInput {
        org_id: cell,
        family_name: "Mùa".into(),
        middle_name: "A".into(),
        given_name: "Sử".into(),
        birth_date: date!(2000 - 01 - 15),
        gender: Gender::Male,
        ethnicity_code: 1,
        citizen_id: None,
        course_certificate_on: Some(date!(2025 - 03 - 01)),
        application_on: date!(2025 - 04 - 01),
        introducers: vec![IntroducerInput { member_id: introducer, known_since: Some(date!(2023 - 01 - 01)) }],
        youth_union_resolution_on: Some(date!(2025 - 03 - 20)),
        cell_resolution_on: Some(date!(2025 - 06 - 02)),
        cell_votes_for: Some(1),
        cell_vote_base: Some(1),
        base_resolution_on: Some(date!(2025 - 06 - 20)),
        decision_on: None,
        age_exception_approved: false,
    };
    w.app.create_candidate(&Viewer::console(), input).await.unwrap().candidate.id
}

/// Edit, withdraw and admit one case, and award a badge: writers inside may, readers may
/// not, nobody outside (and nothing of the outside shows in the answers).
async fn state_changes_role_by_role(w: &World) {
    for role in ["staff", "inspector", "secretary", "member"] {
        let writer = matches!(role, "staff" | "secretary");
        let mut c = w.client(role).await;
        for (inside, cell, introducer) in [(true, w.x1, w.m1), (false, w.y1, w.m3)] {
            let mut cases = Vec::new();
            for _ in 0..3 {
                cases.push(format!("/api/v1/candidates/{}", open_case(w, cell, introducer).await));
            }
            let (status, k) = call(&mut c, "GET", &cases[0], None).await;
            // The member role does not read the people of its cell beyond itself.
            assert_eq!(status.is_success(), inside && role != "member", "{role} reads a case inside={inside}: {k}");
            let mut edit = dossier(introducer);
            edit["org_id"] = json!(cell);
            edit["version"] = json!(1);
            let requests = [
                ("PUT", cases[0].clone(), edit),
                ("POST", format!("{}/withdraw", cases[1]), json!({"version": 1})),
                ("POST", format!("{}/admit", cases[2]), admission(&json!(1))),
            ];
            for (method, uri, body) in requests {
                let (status, text) = c.call(method, &uri, Some(body)).await;
                assert!(status.as_u16() < 500, "{role} {method} {uri}: {status} {text}");
                assert_eq!(status.is_success(), inside && writer, "{role} {method} {uri}: {status} {text}");
                assert!(!text.contains("Bí Mật"), "{role} {method} {uri} leaks: {text}");
                if !inside {
                    assert_eq!(status, StatusCode::NOT_FOUND, "{role} {method} {uri}");
                }
            }
        }
    }
}

#[tokio::test]
async fn admission_and_work_lists_through_the_api() {
    for engine in engines() {
        let w = World::new(engine).await;
        a_case_from_dossier_to_probationary_member(&w).await;
        badges_on_award_dates_and_never_twice(&w).await;
        state_changes_role_by_role(&w).await;
        w.finish().await;
    }
}
