//! HTTP edges (issue 10): NUL characters in every kind of input, redirects after `/lang`.

mod common;

use axum::http::StatusCode;
use chibo_store::testing::engines;
use common::{Client, World};
use serde_json::{Value, json};

fn field_of(body: &str) -> Value {
    serde_json::from_str::<Value>(body).map(|v| v["error"]["field"].clone()).unwrap_or(Value::Null)
}

#[tokio::test]
async fn nul_characters_are_bad_input_on_both_engines() {
    for engine in engines() {
        let w = World::new(engine).await;
        let mut staff = w.client("staff").await;

        // A JSON field.
        let body = json!({"name": "Chi bộ\u{0}mới", "kind": "subordinate_cell", "parent_id": w.x,
            "province_code": "1", "established_on": "2025-07-01"});
        let (status, text) = staff.call("POST", "/api/v1/orgs", Some(body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{engine:?} json: {text}");
        assert_eq!(field_of(&text), json!("name"), "{text}");
        assert!(text.contains("nul_character"), "{text}");

        // A query parameter.
        let (status, text) = staff.call("GET", &format!("/api/v1/orgs/{}/members?q=an%00", w.x), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{engine:?} query: {text}");
        assert_eq!(field_of(&text), json!("q"), "{text}");

        // The login username (JSON API) and password.
        let mut anon = Client::anonymous(w.router());
        let (status, text) =
            anon.call("POST", "/api/v1/auth/login", Some(json!({"username": "sta\u{0}ff", "password": "x"}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{engine:?} login: {text}");
        assert_eq!(field_of(&text), json!("username"), "{text}");
        let (status, text) =
            anon.call("POST", "/api/v1/auth/login", Some(json!({"username": "staff", "password": "\u{0}"}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{engine:?} password: {text}");
        assert_eq!(field_of(&text), json!("password"), "{text}");

        // A form field (the login form of the UI).
        let form = "username=sta%00ff&password=x".to_string();
        let (status, text) = anon.raw("POST", "/login", Some(form), "application/x-www-form-urlencoded").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{engine:?} form: {text}");
        assert!(text.starts_with("username:"), "{text}");

        // The store refuses it too, as bad input (the last line of defence).
        let console = chibo_access::Viewer::console();
        let mut input = common::member("Lê", "Văn", "Tám", w.x1);
        input.home_town = Some("Hà\u{0}Nội".into());
        match w.app.create_member(&console, input).await {
            Err(chibo_access::Problem::Invalid(v)) => assert!(!v.errors.is_empty()),
            other => panic!("{engine:?}: expected a refusal, got {other:?}"),
        }
        w.finish().await;
    }
}

#[tokio::test]
async fn lang_redirects_only_to_a_local_path() {
    for engine in engines() {
        let w = World::new(engine).await;
        let mut anon = Client::anonymous(w.router());
        for (next, expected) in [
            ("/%09/example.com", "/"),
            ("//x", "/"),
            ("/%5Cx", "/"),
            ("https:example.com", "/"),
            ("https://example.com/", "/"),
            ("/%0A/example.com", "/"),
            ("/orgs/1?x=2", "/orgs/1?x=2"),
        ] {
            let form = format!("lang=en&next={next}");
            let req = axum::http::Request::builder()
                .method("POST")
                .uri("/lang")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(axum::body::Body::from(form))
                .unwrap();
            let res = tower::ServiceExt::oneshot(anon.router.clone(), req).await.unwrap();
            assert!(res.status().is_redirection(), "{engine:?} {next}: {}", res.status());
            let location = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("");
            assert_eq!(location, expected, "{engine:?} next={next}");
        }
        let _ = &mut anon;
        w.finish().await;
    }
}
