//! The registry pages: logging in, the tree and the organisation page, the member forms, a
//! secretary's and a member's view.

use super::*;

#[tokio::test]
async fn anonymous_story() {
    each_engine(true, anonymous).await;
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

#[tokio::test]
async fn staff_story() {
    each_engine(true, staff).await;
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

#[tokio::test]
async fn forms_story() {
    each_engine(true, forms).await;
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

#[tokio::test]
async fn secretary_story() {
    each_engine(true, secretary).await;
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

#[tokio::test]
async fn own_record_story() {
    each_engine(true, own_record).await;
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
