//! chibo web: the JSON API under `/api/v1` and the server-rendered interface (askama + htmx).
//!
//! Handlers are thin: they parse input, call the `chibo-access` application with the
//! [`Viewer`] of the request's session, and render the outcome. They never see the store.

pub mod admission_input;
pub mod api;
mod attachment;
mod error;
mod guard;
pub mod input;
pub mod inspection_input;
pub mod life_input;
pub mod meeting_input;
mod pending;
mod progress;
pub mod review_input;
mod session;
pub mod ui;
pub mod upload;
mod url;

pub use error::{ApiError, OrApi};
pub use session::{CurrentViewer, SESSION_COOKIE};

use axum::Router;
use axum::routing::get;
use chibo_access::Chibo;
use std::sync::Arc;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub app: Chibo,
    /// Mark cookies `Secure` on every response ([`SecureCookies::Always`]).
    pub secure_cookies: bool,
    /// Files checked and waiting for their confirmation (imports).
    pub pending: Arc<pending::PendingFiles>,
    /// Imports whose progress a browser is watching.
    pub progress: Arc<progress::ProgressBoard>,
}

pub type State = Arc<AppState>;

/// When cookies get the `Secure` attribute (sent back only over HTTPS).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecureCookies {
    /// Always: the default when the server listens beyond loopback, or when asked.
    Always,
    /// Only on requests a proxy marks as HTTPS (`X-Forwarded-Proto: https` or
    /// `Forwarded: …proto=https`): the default on a loopback address.
    WhenForwardedHttps,
    /// Never (an explicit `--secure-cookies=false`, e.g. plain HTTP on a closed network).
    Never,
}

impl SecureCookies {
    /// The default for a bind address, unless overridden: `Always` unless it is loopback.
    pub fn for_bind(bind: &str, explicit: Option<bool>) -> SecureCookies {
        match explicit {
            Some(true) => SecureCookies::Always,
            Some(false) => SecureCookies::Never,
            None if is_loopback_bind(bind) => SecureCookies::WhenForwardedHttps,
            None => SecureCookies::Always,
        }
    }
}

/// Whether `host:port` names only this machine (127.0.0.0/8, ::1, localhost).
pub fn is_loopback_bind(bind: &str) -> bool {
    let host = bind.rsplit_once(':').map_or(bind, |(h, _)| h).trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The whole HTTP surface (`secure_cookies`: always `Secure`, else when forwarded over HTTPS).
pub fn router(app: Chibo, secure_cookies: bool) -> Router {
    router_with(app, if secure_cookies { SecureCookies::Always } else { SecureCookies::WhenForwardedHttps })
}

/// The whole HTTP surface with a cookie policy.
pub fn router_with(app: Chibo, cookies: SecureCookies) -> Router {
    let state = Arc::new(AppState {
        app,
        secure_cookies: cookies == SecureCookies::Always,
        pending: Default::default(),
        progress: Default::default(),
    });
    Router::new()
        .route("/healthz", get(healthz))
        .nest("/api/v1", api::routes())
        .merge(ui::routes())
        .layer(axum::middleware::from_fn(guard::refuse_nul_query))
        .layer(axum::middleware::from_fn(move |req, next| secure_when_forwarded(cookies, req, next)))
        .layer(axum::middleware::from_fn(security_headers))
        .with_state(state)
}

/// Whether a proxy says the client came over HTTPS.
fn forwarded_https(headers: &axum::http::HeaderMap) -> bool {
    let says = |name: &str, f: fn(&str) -> bool| headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).any(f);
    says("x-forwarded-proto", |v| v.split(',').next().is_some_and(|p| p.trim().eq_ignore_ascii_case("https")))
        || says("forwarded", |v| v.to_ascii_lowercase().split([';', ',']).any(|p| p.trim() == "proto=https"))
}

/// Add `Secure` to the cookies of a response to a request forwarded over HTTPS.
async fn secure_when_forwarded(
    cookies: SecureCookies,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let add = cookies == SecureCookies::WhenForwardedHttps && forwarded_https(req.headers());
    let mut res = next.run(req).await;
    if add {
        use axum::http::{HeaderValue, header};
        let values: Vec<HeaderValue> = res.headers().get_all(header::SET_COOKIE).iter().cloned().collect();
        res.headers_mut().remove(header::SET_COOKIE);
        for v in values {
            let with_secure = v
                .to_str()
                .ok()
                .filter(|t| !t.split(';').any(|p| p.trim().eq_ignore_ascii_case("secure")))
                .and_then(|t| HeaderValue::from_str(&format!("{t}; Secure")).ok());
            let value = with_secure.unwrap_or(v);
            res.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    res
}

async fn healthz(axum::extract::State(s): axum::extract::State<State>) -> (axum::http::StatusCode, &'static str) {
    match s.app.health().await {
        Ok(()) => (axum::http::StatusCode::OK, "ok"),
        Err(_) => (axum::http::StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

async fn security_headers(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
        ),
    );
    res
}

/// Serve until Ctrl-C or SIGTERM, then finish the requests in flight.
pub async fn serve(listener: tokio::net::TcpListener, app: Chibo, secure_cookies: bool) -> std::io::Result<()> {
    let cookies = if secure_cookies { SecureCookies::Always } else { SecureCookies::WhenForwardedHttps };
    serve_with(listener, app, cookies).await
}

/// [`serve`] with a cookie policy.
pub async fn serve_with(listener: tokio::net::TcpListener, app: Chibo, cookies: SecureCookies) -> std::io::Result<()> {
    let router = router_with(app, cookies);
    axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
}

/// Ctrl-C (SIGINT) or SIGTERM (what `systemctl stop`, `docker stop` and Kubernetes send).
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing the requests in flight");
}
