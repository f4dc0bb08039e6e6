//! HTTP edges (issue 10): NUL characters in every kind of input, redirects after `/lang`.

use crate::common;

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
        input.profile.home_town = Some("Hà\u{0}Nội".into());
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

/// A meeting of cell X1, scheduled by the console.
async fn meeting_x1(w: &World) -> uuid::Uuid {
    let input = common::september_plan();
    w.app.schedule_meeting(&chibo_access::Viewer::console(), w.x1, &input).await.unwrap().meeting.id
}

/// Send an upload whose body records whether anyone read it.
async fn upload_watched(
    c: &Client,
    uri: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (StatusCode, bool, std::time::Duration) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let read = Arc::new(AtomicBool::new(false));
    let flag = read.clone();
    let stream = futures_util::stream::once(async move {
        flag.store(true, Ordering::SeqCst);
        Ok::<_, std::io::Error>(axum::body::Bytes::from(body))
    });
    let mut req = axum::http::Request::builder().method("POST").uri(uri).header("content-type", content_type);
    if let Some(cookie) = &c.cookie {
        req = req.header("cookie", cookie.as_str());
    }
    if let Some(t) = &c.csrf {
        req = req.header("x-csrf-token", t.as_str());
    }
    let req = req.body(axum::body::Body::from_stream(stream)).unwrap();
    let started = std::time::Instant::now();
    let res = tower::ServiceExt::oneshot(c.router.clone(), req).await.unwrap();
    let status = res.status();
    let _ = axum::body::to_bytes(res.into_body(), 1 << 20).await;
    (status, read.load(Ordering::SeqCst), started.elapsed())
}

#[tokio::test]
async fn uploads_check_the_target_and_rights_before_reading_and_refuse_pathological_bodies() {
    for engine in engines() {
        let w = World::new(engine).await;
        let id = meeting_x1(&w).await;
        let uri = format!("/api/v1/meetings/{id}/documents");
        let ten_mb = vec![b'-'; 10 * 1024 * 1024];

        // The pathological request: a 65,000-character boundary and a 10 MB body.
        let secretary = w.client("secretary").await;
        let boundary = "x".repeat(65_000);
        let ctype = format!("multipart/form-data; boundary={boundary}");
        let (status, read, took) = upload_watched(&secretary, &uri, &ctype, ten_mb.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{engine:?}");
        assert!(!read, "{engine:?}: a bad boundary is refused before the body is read");
        assert!(took.as_secs() < 2, "{engine:?}: took {took:?}");

        // A 10 MB body of garbage with a fine boundary: streamed, refused, quickly.
        let (status, _, took) =
            upload_watched(&secretary, &uri, "multipart/form-data; boundary=abc", ten_mb.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{engine:?}");
        assert!(took.as_secs() < 5, "{engine:?}: took {took:?}");

        // More than the limit as one file part: too large.
        let mut big = b"--abc\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n".to_vec();
        big.extend(std::iter::repeat_n(b'a', chibo_access::MAX_DOCUMENT_BYTES + 1));
        big.extend(b"\r\n--abc--\r\n");
        let (status, _, _) = upload_watched(&secretary, &uri, "multipart/form-data; boundary=abc", big).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{engine:?}");

        // A member of the cell (member role) may read but not write: 403, body unread.
        let member = w.client("member").await;
        let (status, read, _) = upload_watched(&member, &uri, &ctype, ten_mb.clone()).await;
        assert_eq!((status, read), (StatusCode::FORBIDDEN, false), "{engine:?} member");
        // An account of another commune does not see the meeting: 404, body unread.
        let outsider = w.client("staff_y").await;
        let (status, read, _) = upload_watched(&outsider, &uri, "text/plain", ten_mb.clone()).await;
        assert_eq!((status, read), (StatusCode::NOT_FOUND, false), "{engine:?} outsider");
        // A meeting that does not exist: 404, body unread.
        let nowhere = format!("/api/v1/meetings/{}/documents?file_name=a.txt", uuid::Uuid::now_v7());
        let (status, read, _) = upload_watched(&secretary, &nowhere, "text/plain", ten_mb).await;
        assert_eq!((status, read), (StatusCode::NOT_FOUND, false), "{engine:?} no meeting");

        // And a good one still goes in.
        let body = "--abc\r\nContent-Disposition: form-data; name=\"file\"; filename=\"Kế hoạch.txt\"\r\n\r\nNội dung\r\n--abc--\r\n";
        let (status, read, _) =
            upload_watched(&secretary, &uri, "multipart/form-data; boundary=abc", body.as_bytes().to_vec()).await;
        assert_eq!((status, read), (StatusCode::CREATED, true), "{engine:?} good upload");
        w.finish().await;
    }
}

fn status_field(r: &(StatusCode, String)) -> (StatusCode, Value) {
    (r.0, field_of(&r.1))
}

/// A year no record has (PostgreSQL stores none before 4713 BC, where `time` reads down to
/// -9999) is bad input naming its field, on both engines: not a database error (503).
#[tokio::test]
async fn years_beyond_the_record_are_bad_input_on_both_engines() {
    for engine in engines() {
        let w = World::new(engine).await;
        let mut staff = w.client("inspector").await;
        let x = w.x;
        for (uri, field) in [
            (format!("/api/v1/orgs/{x}/report?period=-9999-01-01..-9999-01-02"), "period"),
            (format!("/api/v1/orgs/{x}/report?period=2025-01-01..2201-01-02"), "period"),
            (format!("/api/v1/orgs/{x}/meeting-figures?period=-9999-01-01..-9999-01-02"), "period"),
            (format!("/api/v1/orgs/{x}/inspection/figures?period=year:-9999"), "period"),
            (format!("/api/v1/orgs/{x}/inspection/figures?period=-9999"), "period"),
            (format!("/api/v1/orgs/{x}/inspection/cases?year=-9999"), "year"),
        ] {
            let r = staff.call("GET", &uri, None).await;
            assert_eq!(status_field(&r), (StatusCode::UNPROCESSABLE_ENTITY, json!(field)), "{engine:?} {uri}: {}", r.1);
        }
        w.finish().await;
    }
}

#[tokio::test]
async fn free_text_limits_dates_and_names_on_both_engines() {
    for engine in engines() {
        let w = World::new(engine).await;
        let mut staff = w.client("staff").await;
        let unprocessable = |f: &str| (StatusCode::UNPROCESSABLE_ENTITY, json!(f));

        // Village: 100 characters at most; a million refused by the backstop, naming the field.
        for (len, code) in [(101, "too_long"), (1_000_000, "too_long")] {
            let body = json!({"name": "Chi bộ mới", "kind": "subordinate_cell", "parent_id": w.x,
                "province_code": "1", "established_on": "2025-07-01", "village": "a".repeat(len)});
            let r = staff.call("POST", "/api/v1/orgs", Some(body)).await;
            assert_eq!(status_field(&r), unprocessable("village"), "{engine:?} {len}: {}", r.1);
            assert!(r.1.contains(code), "{}", r.1);
        }

        // Decision number and reason of an event.
        let m1 = format!("/api/v1/members/{}/events", w.m1);
        let ev = json!({"kind": "disciplined", "effective": "2025-09-01", "form": "reprimand",
            "decision_number": "1".repeat(51), "reason": "Vi phạm"});
        let r = staff.call("POST", &m1, Some(ev)).await;
        assert_eq!(status_field(&r), unprocessable("decision_number"), "{engine:?}: {}", r.1);
        let ev = json!({"kind": "disciplined", "effective": "2025-09-01", "form": "reprimand",
            "reason": "x".repeat(2001)});
        let r = staff.call("POST", &m1, Some(ev)).await;
        assert_eq!(status_field(&r), unprocessable("reason"), "{engine:?}: {}", r.1);

        // Member records: birth date, admission before birth, names.
        let member = |birth: &str, admission: &str, given: &str| {
            json!({"org_id": w.x1, "family_name": "Lê", "middle_name": "Văn", "given_name": given,
                "birth_date": birth, "gender": "male", "ethnicity_code": "1", "admission_date": admission,
                "status": "probationary", "theory_level": "elementary", "age_exception_approved": true})
        };
        let r = staff.call("POST", "/api/v1/members", Some(member("0000-01-01", "2020-01-01", "Tám"))).await;
        assert_eq!(status_field(&r), unprocessable("birth_date"), "{engine:?}: {}", r.1);
        let r = staff.call("POST", "/api/v1/members", Some(member("1990-01-01", "1980-01-01", "Tám"))).await;
        assert!(r.1.contains("before_birth"), "{engine:?}: {}", r.1);
        for bad in ["T\u{0430}m", "Tám\u{200B}", "Tám\u{202E}", "Tám😀", "Tám１"] {
            let r = staff.call("POST", "/api/v1/members", Some(member("1990-01-01", "2020-01-01", bad))).await;
            assert_eq!(status_field(&r), unprocessable("given_name"), "{engine:?} {bad:?}: {}", r.1);
        }
        let r = staff.call("POST", "/api/v1/members", Some(member("1990-01-01", "2020-01-01", "H’Hen"))).await;
        assert_eq!(r.0, StatusCode::CREATED, "{engine:?}: {}", r.1);
        assert!(r.1.contains("\"given_name\":\"H'Hen\""), "stored normalised: {}", r.1);

        // Display name of an account; the scoring sheet's name.
        let mut admin = w.client("admin").await;
        let user = json!({"username": "moi", "display_name": "x".repeat(101), "password": "mat-khau-rat-dai-1"});
        let r = admin.call("POST", "/api/v1/users", Some(user)).await;
        assert_eq!(status_field(&r), unprocessable("display_name"), "{engine:?}: {}", r.1);
        let sheet = serde_json::to_value(chibo_access::domain::meeting::SheetSpec::of(
            &chibo_access::domain::meeting::DEFAULT_SHEET,
        ))
        .unwrap();
        let body = json!({"name": "b".repeat(201), "effective_from": "2025-01-01", "sheet": sheet});
        let r = staff.call("POST", &format!("/api/v1/orgs/{}/scoring-sheets", w.x), Some(body)).await;
        assert_eq!(status_field(&r), unprocessable("name"), "{engine:?}: {}", r.1);
        w.finish().await;
    }
}

/// The `Set-Cookie` of a login through the API on a router with this policy.
async fn login_cookie(w: &World, cookies: chibo_web::SecureCookies, forwarded: Option<&str>) -> String {
    let body = json!({"username": "staff", "password": common::PASSWORD}).to_string();
    let mut req = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/auth/login")
        .header("content-type", "application/json");
    if let Some(proto) = forwarded {
        req = req.header("x-forwarded-proto", proto);
    }
    let req = req.body(axum::body::Body::from(body)).unwrap();
    let res = tower::ServiceExt::oneshot(chibo_web::router_with(w.app.clone(), cookies), req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
}

#[tokio::test]
async fn session_cookies_are_secure_by_default_beyond_loopback_or_behind_https() {
    use chibo_web::SecureCookies::{Always, Never, WhenForwardedHttps};
    for (bind, explicit, expected) in [
        ("0.0.0.0:8080", None, Always),
        ("192.168.1.5:80", None, Always),
        ("[::]:8080", None, Always),
        ("127.0.0.1:8080", None, WhenForwardedHttps),
        ("[::1]:8080", None, WhenForwardedHttps),
        ("localhost:8080", None, WhenForwardedHttps),
        ("0.0.0.0:8080", Some(false), Never),
        ("127.0.0.1:8080", Some(true), Always),
    ] {
        assert_eq!(chibo_web::SecureCookies::for_bind(bind, explicit), expected, "{bind} {explicit:?}");
    }
    for engine in engines() {
        let w = World::new(engine).await;
        let secure = |c: &str| c.split(';').any(|p| p.trim() == "Secure");
        assert!(!secure(&login_cookie(&w, WhenForwardedHttps, None).await));
        let behind_proxy = login_cookie(&w, WhenForwardedHttps, Some("https")).await;
        assert!(secure(&behind_proxy) && behind_proxy.contains("HttpOnly"), "{behind_proxy}");
        assert!(!secure(&login_cookie(&w, WhenForwardedHttps, Some("http")).await));
        assert!(secure(&login_cookie(&w, WhenForwardedHttps, Some("https, http")).await));
        assert!(secure(&login_cookie(&w, Always, None).await));
        let always = login_cookie(&w, Always, Some("https")).await;
        assert_eq!(always.matches("Secure").count(), 1, "{always}");
        assert!(!secure(&login_cookie(&w, Never, Some("https")).await));
        w.finish().await;
    }
}

#[cfg(unix)]
#[tokio::test]
async fn sigterm_lets_the_requests_in_flight_finish() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let engine = engines()[0];
    let w = World::new(engine).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(chibo_web::serve_with(listener, w.app.clone(), chibo_web::SecureCookies::Never));
    // The server runs (and listens for the signals).
    let mut probe = tokio::net::TcpStream::connect(addr).await.unwrap();
    probe.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut answer = String::new();
    probe.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    // A request in flight: headers sent, half of the body still to come.
    let body = json!({"username": "staff", "password": common::PASSWORD}).to_string();
    let (first, rest) = body.split_at(10);
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{first}",
        body.len()
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;

    let killed = std::process::Command::new("kill").args(["-TERM", &std::process::id().to_string()]).status();
    assert!(killed.is_ok_and(|s| s.success()));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    // New connections are no longer served…
    let refused = match tokio::net::TcpStream::connect(addr).await {
        Err(_) => true,
        Ok(mut s) => {
            let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await;
            let mut buf = [0u8; 16];
            matches!(
                tokio::time::timeout(std::time::Duration::from_secs(2), s.read(&mut buf)).await,
                Ok(Ok(0)) | Ok(Err(_)) | Err(_)
            )
        }
    };
    assert!(refused, "no new requests after SIGTERM");
    // …but the request in flight is finished.
    slow.write_all(rest.as_bytes()).await.unwrap();
    let mut answer = String::new();
    tokio::time::timeout(std::time::Duration::from_secs(10), slow.read_to_string(&mut answer)).await.unwrap().unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let ended = tokio::time::timeout(std::time::Duration::from_secs(10), server).await;
    assert!(matches!(ended, Ok(Ok(Ok(())))), "the server stops once drained");
    w.finish().await;
}

/// Log lines written while a test runs on this thread.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        self.0.lock().map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default()
    }
}

#[tokio::test(flavor = "current_thread")]
async fn another_roots_citizen_id_is_refused_and_logged_without_the_number() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt().with_writer(move || writer.clone()).with_ansi(false).finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    const CCCD: &str = "001180012345";
    for engine in engines() {
        let w = World::new(engine).await;
        let mut held = common::member("Hoàng", "Thị", "Mai", w.x1);
        held.profile.citizen_id = Some(CCCD.into());
        w.app.create_member(&chibo_access::Viewer::console(), held).await.unwrap();
        let body = |cell: uuid::Uuid| {
            json!({"org_id": cell, "family_name": "Lê", "middle_name": "Thị", "given_name": "Mai",
                "birth_date": "1980-02-29", "gender": "female", "ethnicity_code": "1", "citizen_id": CCCD,
                "admission_date": "2015-06-01", "official_date": "2016-06-01", "status": "official",
                "theory_level": "elementary"})
        };
        // Inside the viewer's subtree: refused, nothing to log.
        let mut staff = w.client("staff").await;
        let r = staff.call("POST", "/api/v1/members", Some(body(w.x2))).await;
        assert_eq!(status_field(&r), (StatusCode::CONFLICT, json!("citizen_id")), "{engine:?}: {}", r.1);
        assert!(!logs.text().contains("uniqueness refusal"), "{}", logs.text());
        // From another subtree: the same refusal (uniqueness holds everywhere), and a warning.
        let mut other = w.client("staff_y").await;
        let r = other.call("POST", "/api/v1/members", Some(body(w.y1))).await;
        assert_eq!(status_field(&r), (StatusCode::CONFLICT, json!("citizen_id")), "{engine:?}: {}", r.1);
        let text = logs.text();
        assert!(text.contains("uniqueness refusal") && text.contains("staff_y"), "{engine:?}: {text}");
        assert!(!text.contains(CCCD), "the number is not logged: {text}");
        logs.0.lock().unwrap().clear();
        w.finish().await;
    }
}
