//! Accounts: the administrator's pages, the language switch, an account's life and the
//! second factor.

use super::*;

#[tokio::test]
async fn admin_story() {
    each_engine(true, admin).await;
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

#[tokio::test]
async fn english_story() {
    each_engine(true, english).await;
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

#[tokio::test]
async fn account_life_story() {
    each_engine(true, account_life).await;
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

#[tokio::test]
async fn two_step_story() {
    each_engine(true, two_step).await;
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
