//! Refusals as HTTP: JSON `{"error": {"code", "message", "field"}}` with the right status.

use crate::api::body::{ErrorBody, ErrorDetail, FieldProblem};
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chibo_access::{Lang, Problem};

/// A refusal and the language to explain it in.
#[derive(Debug)]
pub struct ApiError(pub Problem, pub Lang);

pub fn status_of(p: &Problem) -> StatusCode {
    match p {
        Problem::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Problem::NotFound => StatusCode::NOT_FOUND,
        Problem::Forbidden => StatusCode::FORBIDDEN,
        Problem::Conflict(_) => StatusCode::CONFLICT,
        Problem::Unauthenticated => StatusCode::UNAUTHORIZED,
        Problem::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
        Problem::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// (code, message, field) of a refusal.
pub fn describe(p: &Problem, lang: Lang) -> (String, String, Option<String>) {
    let plain = |code: &str, vi: &str, en: &str| (code.to_string(), lang.pick(vi, en).to_string(), None);
    match p {
        Problem::Invalid(v) => match v.errors.first() {
            Some(e) => (e.code.to_string(), e.message(lang).to_string(), Some(e.field.clone())),
            None => plain("invalid", "Dữ liệu không hợp lệ.", "Invalid input."),
        },
        Problem::Conflict(e) => (e.code.to_string(), e.message(lang).to_string(), Some(e.field.clone())),
        Problem::NotFound => plain("not_found", "Không tìm thấy.", "Not found."),
        Problem::Forbidden => plain("forbidden", "Bạn không có quyền làm việc này.", "You may not do this."),
        Problem::Unauthenticated => plain("unauthenticated", "Cần đăng nhập.", "Please log in."),
        Problem::TooManyAttempts { retry_after } => {
            let (vi, en) = wait_text(*retry_after);
            (
                "too_many_attempts".to_string(),
                lang.pick(
                    &format!("Quá nhiều lần thử; hãy thử lại sau {vi}."),
                    &format!("Too many attempts; try again in {en}."),
                )
                .to_string(),
                None,
            )
        }
        Problem::Unavailable(_) => plain(
            "unavailable",
            "Hệ thống tạm thời không truy cập được dữ liệu.",
            "The records cannot be reached right now.",
        ),
    }
}

/// A wait in words: seconds under two minutes, else minutes (rounded up).
fn wait_text(secs: u64) -> (String, String) {
    if secs < 120 {
        (format!("{secs} giây"), format!("{secs} seconds"))
    } else {
        let m = secs.div_ceil(60);
        (format!("{m} phút"), format!("{m} minutes"))
    }
}

/// The `Retry-After` header of a refusal that has one.
pub fn retry_after(p: &Problem) -> Option<(axum::http::HeaderName, String)> {
    match p {
        Problem::TooManyAttempts { retry_after } => Some((axum::http::header::RETRY_AFTER, retry_after.to_string())),
        _ => None,
    }
}

impl ApiError {
    /// The body of the refusal, as the API declares it.
    pub fn body(&self) -> ErrorBody {
        let (code, message, field) = describe(&self.0, self.1);
        let details = match &self.0 {
            Problem::Invalid(v) if v.errors.len() > 1 => Some(
                v.errors
                    .iter()
                    .map(|e| FieldProblem {
                        field: e.field.clone(),
                        code: e.code.to_string(),
                        message: e.message(self.1).to_string(),
                    })
                    .collect(),
            ),
            _ => None,
        };
        ErrorBody { error: ErrorDetail { code, message, field, details } }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (status_of(&self.0), Json(self.body())).into_response();
        if let Some((name, value)) = retry_after(&self.0)
            && let Ok(value) = axum::http::HeaderValue::from_str(&value)
        {
            response.headers_mut().insert(name, value);
        }
        response
    }
}

/// `result.or_api(lang)`: a refusal (or a validation) as an [`ApiError`] in that language.
pub trait OrApi<T> {
    fn or_api(self, lang: Lang) -> Result<T, ApiError>;
}

impl<T, E: Into<Problem>> OrApi<T> for Result<T, E> {
    fn or_api(self, lang: Lang) -> Result<T, ApiError> {
        self.map_err(|e| ApiError(e.into(), lang))
    }
}
