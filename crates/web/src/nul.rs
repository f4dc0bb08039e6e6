//! NUL characters (U+0000, "ký tự rỗng") in any text input are refused here, in one place,
//! before a handler runs: the query string (a middleware on the whole router), JSON bodies
//! ([`crate::api::extract::ApiJson`]) and form bodies ([`crate::ui::page::Posted`]). PostgreSQL
//! cannot store them and SQLite would; both engines answer the same 422 naming the field.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chibo_access::Problem;
use serde_json::Value;

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
    }
}
