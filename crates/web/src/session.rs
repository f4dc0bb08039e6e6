//! The session cookie and the viewer of a request.

use crate::State;
use crate::error::ApiError;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use chibo_access::{Lang, Problem, Viewer};
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "chibo_session";

/// The value of a cookie in the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The `Set-Cookie` value that opens (or, with an empty token, ends) a session.
pub fn session_cookie(token: &str, secure: bool) -> String {
    let max_age = if token.is_empty() { 0 } else { 12 * 3600 };
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

/// The client's address, for the login rate limit.
pub fn client_addr(parts: &Parts) -> Option<String> {
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string())
}

/// The language asked for: a `lang` cookie, else `Accept-Language`; Vietnamese by default.
pub fn request_lang(headers: &HeaderMap) -> Lang {
    if let Some(l) = cookie(headers, "chibo_lang") {
        return Lang::from_tag(l);
    }
    headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map_or(Lang::Vi, Lang::from_tag)
}

/// The logged-in viewer of a request (401 otherwise).
pub struct CurrentViewer(pub Viewer);

impl FromRequestParts<State> for CurrentViewer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<Self, Self::Rejection> {
        let lang = request_lang(&parts.headers);
        let token = cookie(&parts.headers, SESSION_COOKIE).unwrap_or("");
        state.app.viewer_for_session(token).await.map(CurrentViewer).map_err(|p| ApiError(p, lang))
    }
}

/// Whether a state-changing request carries this session's CSRF token (header
/// `X-CSRF-Token`; forms put it in the `csrf` field and check it themselves).
pub fn csrf_header_ok(viewer: &Viewer, headers: &HeaderMap) -> Result<(), Problem> {
    let sent = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
    if viewer.csrf_ok(sent) { Ok(()) } else { Err(Problem::Forbidden) }
}
