//! Account life over HTTP on every engine: the login throttle's 429 with Retry-After, an
//! administrator's unlock, disable and enable, password reset, and sessions.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chibo_store::testing::engines;
use common::{Client, PASSWORD, World};
use serde_json::{Value, json};
use tower::ServiceExt;

fn body(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

async fn login_from(w: &World, username: &str, password: &str) -> (StatusCode, Option<String>) {
    let req = Request::builder()
        .method("POST")
        .uri("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({"username": username, "password": password}).to_string()))
        .unwrap();
    let res = w.router().oneshot(req).await.unwrap();
    let retry = res.headers().get(header::RETRY_AFTER).and_then(|v| v.to_str().ok()).map(str::to_string);
    (res.status(), retry)
}

async fn account_life(w: &World) {
    let secretary = w.user("secretary");
    let staff_y = w.user("staff_y");
    // Five wrong passwords, then 429 with the wait in seconds.
    for _ in 0..5 {
        assert_eq!(login_from(w, "secretary", "sai-mat-khau-roi").await.0, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (status, retry) = login_from(w, "secretary", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(retry.as_deref().and_then(|r| r.parse::<u64>().ok()).is_some_and(|s| s >= 1), "{retry:?}");
    // The administrator sees the block and unlocks; a staff account may do neither.
    let mut staff = w.client("staff").await;
    assert_eq!(staff.call("GET", "/api/v1/login-blocks", None).await.0, StatusCode::FORBIDDEN);
    let (status, _) = staff.call("POST", &format!("/api/v1/users/{secretary}/unlock"), None).await;
    assert!(status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND, "{status}");
    let mut admin = w.client("admin").await;
    let (status, text) = admin.call("GET", "/api/v1/login-blocks", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("\"username\":\"secretary\""), "{text}");
    let (status, text) = admin.call("POST", &format!("/api/v1/users/{secretary}/unlock"), None).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let mut sec = w.client("secretary").await;
    // Own sessions: listed, the current one marked; another account's are not readable.
    let mut sec2 = w.client("secretary").await;
    let (status, text) = sec.call("GET", &format!("/api/v1/users/{secretary}/sessions"), None).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let items = body(&text)["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 2, "{text}");
    assert_eq!(items.iter().filter(|s| s["current"] == json!(true)).count(), 1);
    let other = items.iter().find(|s| s["current"] == json!(false)).and_then(|s| s["id"].as_str()).unwrap();
    let (status, _) = sec.call("GET", &format!("/api/v1/users/{staff_y}/sessions"), None).await;
    assert!(!status.is_success());
    let (status, _) = sec.call("DELETE", &format!("/api/v1/users/{secretary}/sessions/{other}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(sec2.call("GET", "/api/v1/auth/me", None).await.0, StatusCode::UNAUTHORIZED);
    // Disable: sessions end, logins are refused; enable again.
    let (status, text) = admin.call("POST", &format!("/api/v1/users/{secretary}/disable"), None).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(body(&text)["is_active"], json!(false));
    assert_eq!(sec.call("GET", "/api/v1/auth/me", None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(login_from(w, "secretary", PASSWORD).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = admin.call("POST", &format!("/api/v1/users/{secretary}/enable"), None).await;
    assert_eq!(status, StatusCode::OK);
    // Reset: a short password names the field; then the new password works.
    let uri = format!("/api/v1/users/{secretary}/password");
    let (status, text) = admin.call("POST", &uri, Some(json!({"new_password": "ngan"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("\"field\":\"new_password\""), "{text}");
    let (status, _) = admin.call("POST", &uri, Some(json!({"new_password": "mat-khau-dat-lai"}))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(login_from(w, "secretary", "mat-khau-dat-lai").await.0, StatusCode::OK);
    // Without the CSRF header nothing changes.
    let mut no_csrf = w.client("admin").await;
    no_csrf.csrf = None;
    let (status, _) = no_csrf.call("POST", &format!("/api/v1/users/{staff_y}/disable"), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut y = Client::anonymous(w.router());
    let (status, _) =
        y.call("POST", "/api/v1/auth/login", Some(json!({"username": "staff_y", "password": PASSWORD}))).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn account_life_over_http() {
    for engine in engines() {
        let w = World::new(engine).await;
        account_life(&w).await;
        w.finish().await;
    }
}

/// Enrol through the API; the secret.
async fn enrol(c: &mut Client) -> String {
    let (status, text) = c.call("POST", "/api/v1/auth/totp", None).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let secret = body(&text)["secret"].as_str().expect("secret").to_string();
    assert!(body(&text)["otpauth_url"].as_str().is_some_and(|u| u.starts_with("otpauth://totp/")), "{text}");
    let code = chibo_access::code_at(&secret, 0).expect("code");
    let (status, text) = c.call("POST", "/api/v1/auth/totp/confirm", Some(json!({"code": code}))).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(body(&text)["recovery_codes"].as_array().map(Vec::len), Some(10), "{text}");
    secret
}

async fn second_factor(w: &World) {
    let router = chibo_web::router(w.app.clone().with_second_factor(true), false);
    let login = |name: &str| {
        let router = router.clone();
        let name = name.to_string();
        async move {
            let mut c = Client::anonymous(router);
            let (status, text) =
                c.call("POST", "/api/v1/auth/login", Some(json!({"username": name, "password": PASSWORD}))).await;
            assert_eq!(status, StatusCode::OK, "{text}");
            c.csrf = body(&text)["csrf_token"].as_str().map(str::to_string);
            (c, body(&text))
        }
    };
    // Staff without a second factor: a session that can do nothing but enrol.
    let (mut staff, me) = login("staff").await;
    assert_eq!(me["enrolment_required"], json!(true), "{me}");
    assert_eq!(staff.call("GET", &format!("/api/v1/orgs/{}", w.x), None).await.0, StatusCode::NOT_FOUND);
    let secret = enrol(&mut staff).await;
    assert_eq!(staff.call("GET", &format!("/api/v1/orgs/{}", w.x), None).await.0, StatusCode::OK);
    let (_, text) = staff.call("GET", "/api/v1/auth/totp", None).await;
    assert_eq!(body(&text)["recovery_codes_left"], json!(10), "{text}");
    // Logging in now takes two calls; the first gives no session.
    let mut c = Client::anonymous(router.clone());
    let (status, text) =
        c.call("POST", "/api/v1/auth/login", Some(json!({"username": "staff", "password": PASSWORD}))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body(&text)["second_factor_required"], json!(true), "{text}");
    assert!(c.cookie.is_none());
    let pending = body(&text)["pending_token"].as_str().expect("pending").to_string();
    let (status, text) =
        c.call("POST", "/api/v1/auth/login/code", Some(json!({"pending_token": "nope", "code": "123456"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("\"field\":\"pending_token\""), "{text}");
    let code = chibo_access::code_at(&secret, 30).expect("code");
    let (status, text) =
        c.call("POST", "/api/v1/auth/login/code", Some(json!({"pending_token": pending, "code": code}))).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(c.call("GET", "/api/v1/auth/me", None).await.0, StatusCode::OK);
    // The administrator must enrol before resetting anyone's second factor.
    let staff_id = w.user("staff");
    let (mut admin, _) = login("admin").await;
    let uri = format!("/api/v1/users/{staff_id}/totp/reset");
    assert!(!admin.call("POST", &uri, None).await.0.is_success());
    enrol(&mut admin).await;
    assert_eq!(admin.call("POST", &uri, None).await.0, StatusCode::OK);
    assert_eq!(c.call("GET", "/api/v1/auth/me", None).await.0, StatusCode::UNAUTHORIZED);
    let (_, me) = login("staff").await;
    assert_eq!(me["enrolment_required"], json!(true), "{me}");
}

#[tokio::test]
async fn second_factor_over_http() {
    for engine in engines() {
        let w = World::new(engine).await;
        second_factor(&w).await;
        w.finish().await;
    }
}
