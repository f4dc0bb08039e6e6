//! chibo web: the JSON API under `/api/v1` and the server-rendered interface (askama + htmx).
//!
//! Handlers are thin: they parse input, call the `chibo-access` application with the
//! [`Viewer`] of the request's session, and render the outcome. They never see the store.

pub mod admission_input;
pub mod api;
mod error;
mod guard;
pub mod input;
pub mod life_input;
pub mod meeting_input;
mod session;
pub mod ui;
pub mod upload;

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
    /// Mark cookies `Secure` (when served over TLS, directly or behind a proxy).
    pub secure_cookies: bool,
}

pub type State = Arc<AppState>;

/// The whole HTTP surface.
pub fn router(app: Chibo, secure_cookies: bool) -> Router {
    let state = Arc::new(AppState { app, secure_cookies });
    Router::new()
        .route("/healthz", get(healthz))
        .nest("/api/v1", api::routes())
        .merge(ui::routes())
        .layer(axum::middleware::from_fn(guard::refuse_nul_query))
        .layer(axum::middleware::from_fn(security_headers))
        .with_state(state)
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

/// Serve until Ctrl-C (or SIGTERM).
pub async fn serve(listener: tokio::net::TcpListener, app: Chibo, secure_cookies: bool) -> std::io::Result<()> {
    let router = router(app, secure_cookies);
    axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
