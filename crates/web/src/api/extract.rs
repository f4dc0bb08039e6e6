//! Extractors that turn bad requests into named-field errors, never into plain-text 400s.

use crate::{ApiError, OrApi, State};
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use chibo_access::Problem;
use serde::de::DeserializeOwned;

/// The request's language (for error messages of unauthenticated routes).
pub struct Lang(pub chibo_access::Lang);

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang(crate::session::request_lang(&parts.headers)))
    }
}

/// A JSON body; a malformed one is a 422 naming the field when it can.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<State> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &State) -> Result<Self, Self::Rejection> {
        let lang = crate::session::request_lang(req.headers());
        if !json_content_type(req.headers()) {
            // Let axum refuse it with its own words (missing JSON content type).
            return match axum::Json::<T>::from_request(req, state).await {
                Ok(axum::Json(v)) => Ok(ApiJson(v)),
                Err(rej) => Err(ApiError(body_problem(&rej), lang)),
            };
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|rej| ApiError(Problem::field("body", "invalid_body", rej.body_text(), rej.body_text()), lang))?;
        if crate::guard::json_needs_look(&bytes)
            && let Ok(v) = serde_json::from_slice::<serde_json::Value>(&bytes)
            && let Some(problem) = crate::guard::json_problem(&v)
        {
            return Err(ApiError(problem, lang));
        }
        match axum::Json::<T>::from_bytes(&bytes) {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rej) => Err(ApiError(body_problem(&rej), lang)),
        }
    }
}

/// `application/json` or `application/*+json`, as axum's `Json` requires.
fn json_content_type(headers: &axum::http::HeaderMap) -> bool {
    let Some(ct) = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

fn body_problem(rej: &JsonRejection) -> Problem {
    let detail = rej.body_text();
    // serde names the field in messages like "…target type: marks[0].mark: invalid type …" or
    // "missing field `x`".
    let path_ok = |f: &&str| !f.is_empty() && f.chars().all(|c| c.is_ascii_alphanumeric() || "_.[]".contains(c));
    let after_prefix = detail.split_once("target type: ").map_or(detail.as_str(), |(_, rest)| rest);
    let field = detail
        .split("missing field `")
        .nth(1)
        .and_then(|s| s.split('`').next())
        .filter(path_ok)
        .or_else(|| after_prefix.split_once(": ").map(|(p, _)| p).filter(path_ok))
        .unwrap_or("body")
        .to_string();
    Problem::field(
        &field,
        "invalid_body",
        format!("Dữ liệu gửi lên không đúng dạng JSON mong đợi ({detail})."),
        format!("The request body is not the JSON expected ({detail})."),
    )
}

/// The viewer of a reading request, and the language for errors.
pub struct Reader(pub chibo_access::Viewer, pub chibo_access::Lang);

impl FromRequestParts<State> for Reader {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<Self, Self::Rejection> {
        let lang = crate::session::request_lang(&parts.headers);
        let crate::CurrentViewer(v) = crate::CurrentViewer::from_request_parts(parts, state).await?;
        Ok(Reader(v, lang))
    }
}

/// The viewer of a state-changing request: also checks the `X-CSRF-Token` header.
pub struct Writer(pub chibo_access::Viewer, pub chibo_access::Lang);

impl FromRequestParts<State> for Writer {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<Self, Self::Rejection> {
        let Reader(v, lang) = Reader::from_request_parts(parts, state).await?;
        crate::session::csrf_header_ok(&v, &parts.headers).or_api(lang)?;
        Ok(Writer(v, lang))
    }
}

/// The client's address, when the server knows it.
pub struct ClientAddr(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(crate::session::client_addr(parts)))
    }
}
