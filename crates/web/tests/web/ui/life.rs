//! A member's timeline and the tree through time.

use super::*;

#[tokio::test]
async fn timeline_story() {
    each_engine(false, timeline).await;
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

#[tokio::test]
async fn tree_through_time_story() {
    each_engine(false, tree_through_time).await;
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
