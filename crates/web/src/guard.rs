//! Guards on every text input, in one place, before a handler runs: the query string (a
//! middleware on the whole router), JSON bodies ([`crate::api::extract::ApiJson`]) and form
//! bodies ([`crate::ui::page::Posted`]).
//! - NUL characters (U+0000, "ký tự rỗng") are refused: PostgreSQL cannot store them and
//!   SQLite would; both engines answer the same 422 naming the field.
//! - No text value may be longer than [`MAX_TEXT_VALUE`] characters (the longest field, the
//!   parts of the minutes, allows as much): a backstop for any field without its own limit in
//!   `chibo_domain::text`.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chibo_access::Problem;
use serde_json::Value;

/// The longest text value accepted in any field.
pub const MAX_TEXT_VALUE: usize = chibo_access::domain::text::MINUTES_TEXT.max;

/// The refusal of a text value longer than [`MAX_TEXT_VALUE`] in `field`.
pub fn too_long_problem(field: &str) -> Problem {
    Problem::field(
        field,
        "too_long",
        format!("Dữ liệu quá dài (tối đa {MAX_TEXT_VALUE} ký tự)."),
        format!("The text is too long (at most {MAX_TEXT_VALUE} characters)."),
    )
}

fn too_long(s: &str) -> bool {
    s.len() > MAX_TEXT_VALUE && s.chars().count() > MAX_TEXT_VALUE
}

/// The first problem of a JSON body's texts: a NUL, or a value too long.
pub fn json_problem(v: &Value) -> Option<Problem> {
    if let Some(field) = nul_in_json(v) {
        return Some(nul_problem(&field));
    }
    long_in_json(v, "").map(|f| too_long_problem(&f))
}

fn long_in_json(v: &Value, path: &str) -> Option<String> {
    match v {
        Value::String(s) if too_long(s) => Some(if path.is_empty() { "body".into() } else { path.to_string() }),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, x)| long_in_json(x, &format!("{path}[{i}]"))),
        Value::Object(map) => map
            .iter()
            .find_map(|(k, x)| long_in_json(x, &if path.is_empty() { k.clone() } else { format!("{path}.{k}") })),
        _ => None,
    }
}

/// Whether a raw JSON body must be looked into: it may hold a NUL, or a value too long.
pub fn json_needs_look(raw: &[u8]) -> bool {
    raw.len() > MAX_TEXT_VALUE || json_may_hold_nul(raw)
}

/// The first problem of a form's pairs: a NUL, or a value too long.
pub fn pairs_problem(pairs: &[(String, String)]) -> Option<Problem> {
    if let Some(field) = nul_in_pairs(pairs) {
        return Some(nul_problem(&field));
    }
    pairs.iter().find(|(_, v)| too_long(v)).map(|(k, _)| too_long_problem(k))
}

/// The refusal of a NUL character in `field`.
pub fn nul_problem(field: &str) -> Problem {
    Problem::field(
        field,
        "nul_character",
        "Dữ liệu có ký tự rỗng (NUL, U+0000), không được phép.",
        "The text contains a NUL character (U+0000), which is not allowed.",
    )
}

/// The path (`a.b[2].c`) of the first string or key holding a NUL in a JSON value.
pub fn nul_in_json(v: &Value) -> Option<String> {
    fn walk(v: &Value, path: &str) -> Option<String> {
        let here = || if path.is_empty() { "body".to_string() } else { path.to_string() };
        match v {
            Value::String(s) if s.contains('\0') => Some(here()),
            Value::Array(items) => items.iter().enumerate().find_map(|(i, x)| walk(x, &format!("{path}[{i}]"))),
            Value::Object(map) => map.iter().find_map(|(k, x)| {
                let key = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                if k.contains('\0') { Some(key.replace('\0', "")) } else { walk(x, &key) }
            }),
            _ => None,
        }
    }
    walk(v, "")
}

/// Whether raw JSON may hold a NUL: only as the escape `\u0000` (a raw control character is
/// not valid JSON), so bodies without it skip the second parse.
pub fn json_may_hold_nul(raw: &[u8]) -> bool {
    raw.windows(6).any(|w| w == b"\\u0000")
}

/// The name of the first pair whose name or value holds a NUL.
pub fn nul_in_pairs(pairs: &[(String, String)]) -> Option<String> {
    pairs.iter().find(|(k, v)| k.contains('\0') || v.contains('\0')).map(|(k, _)| k.replace('\0', ""))
}

/// The name of the first query parameter whose name or value decodes to a NUL (`%00`).
pub fn nul_in_query(query: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        pair.as_bytes().windows(3).any(|w| w == b"%00").then(|| {
            let name = pair.split('=').next().unwrap_or("");
            if name.is_empty() || name.contains('%') { "query".to_string() } else { name.to_string() }
        })
    })
}

/// Middleware: a query string with a NUL in it is a 422 naming the parameter, on every route.
pub async fn refuse_nul_query(req: Request, next: Next) -> Response {
    if let Some(field) = req.uri().query().and_then(nul_in_query) {
        let lang = crate::session::request_lang(req.headers());
        return crate::ApiError(nul_problem(&field), lang).into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_the_field() {
        assert_eq!(nul_in_json(&json!({"a": "x", "b": {"c": ["ok", "n\u{0}"]}})), Some("b.c[1]".into()));
        assert_eq!(nul_in_json(&json!({"a": "x"})), None);
        assert_eq!(nul_in_json(&json!("\u{0}")), Some("body".into()));
        assert_eq!(nul_in_pairs(&[("a".into(), "1".into()), ("name".into(), "x\0".into())]), Some("name".into()));
        assert_eq!(nul_in_query("q=an&on=2025%00"), Some("on".into()));
        assert_eq!(nul_in_query("q=an%2500"), None);
        assert!(json_may_hold_nul(br#"{"a":"\u0000"}"#));
        assert!(!json_may_hold_nul(br#"{"a":"u0000"}"#));
        let long = "ố".repeat(MAX_TEXT_VALUE + 1);
        assert!(json_problem(&json!({"a": {"b": long}})).is_some());
        assert!(json_problem(&json!({"a": "ố".repeat(MAX_TEXT_VALUE)})).is_none());
        assert!(pairs_problem(&[("reason".into(), long)]).is_some());
    }
}
