//! The OpenAPI 3.1 document. Operations, parameters and bodies come from the handlers'
//! `#[utoipa::path]` and the body types' `ToSchema` (see [`super::router_and_document`]); this
//! module adds what every operation shares: the `/api/v1` prefix, the session scheme and the
//! error answers (`ErrorBody`) each kind of operation can give.

use super::body::ErrorBody;
use axum::Json;
use serde_json::{Map, Value, json};
use std::sync::OnceLock;
use utoipa::{PartialSchema, ToSchema};

/// This document
#[utoipa::path(get, path = "/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", body = Object)))]
pub async fn serve() -> Json<Value> {
    Json(document().clone())
}

/// The error answers, by status: (status, component name, description, for whom).
const ERRORS: &[(&str, &str, &str, Answers)] = &[
    ("401", "Unauthenticated", "Not logged in, or the session has ended", Answers::Session),
    ("403", "Forbidden", "Visible but not allowed, or the CSRF token is missing or wrong", Answers::Session),
    ("404", "NotFound", "Not found, or outside the caller's subtree", Answers::All),
    (
        "409",
        "Conflict",
        "In conflict with the records (a stale version, a duplicate, a locked record)",
        Answers::Writes,
    ),
    ("422", "Invalid", "Invalid input; `field` names the field, `details` lists every field error", Answers::All),
    ("429", "TooManyAttempts", "Too many password or code attempts; see Retry-After", Answers::Passwords),
    ("503", "Unavailable", "The records cannot be reached right now", Answers::All),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Answers {
    All,
    /// Operations that need a session.
    Session,
    /// Operations that change something.
    Writes,
    /// Operations that check a password or a code.
    Passwords,
}

fn answers(kind: Answers, method: &str, path: &str, secured: bool) -> bool {
    match kind {
        Answers::All => true,
        Answers::Session => secured,
        Answers::Writes => method != "get",
        Answers::Passwords => path.starts_with("/auth/") || path.ends_with("/password"),
    }
}

/// The document served at `/api/v1/openapi.json` (built once).
pub fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| {
        let (_, api) = super::router_and_document();
        finish(serde_json::to_value(api).unwrap_or_default())
    })
}

/// `operationId` is the handler's name, which repeats across modules: prefix the tag.
fn name_operation(op: &mut Value) {
    let tag = op["tags"][0].as_str().unwrap_or("api").to_string();
    if let Some(id) = op["operationId"].as_str() {
        op["operationId"] = json!(format!("{tag}_{id}"));
    }
}

/// A declared response gets the description OpenAPI requires, and raw bytes their schema.
fn describe(status: &str, r: &mut Value) {
    if r.get("description").is_none_or(|d| d.as_str().is_none_or(str::is_empty)) {
        r["description"] = json!(if status == "201" { "Created" } else { "OK" });
    }
    if let Some(raw) = r.pointer_mut("/content/application~1octet-stream") {
        *raw = json!({"schema": {"type": "string", "format": "binary"}});
    }
}

fn finish(mut doc: Value) -> Value {
    let mut paths = Map::new();
    if let Some(Value::Object(generated)) = doc.get_mut("paths").map(Value::take) {
        for (path, mut item) in generated {
            if let Value::Object(ops) = &mut item {
                for (method, op) in ops.iter_mut() {
                    name_operation(op);
                    let secured = op.get("security").is_some();
                    let responses = &mut op["responses"];
                    if let Value::Object(declared) = responses {
                        for (status, r) in declared.iter_mut() {
                            describe(status, r);
                        }
                    }
                    for (status, name, _, kind) in ERRORS {
                        if answers(*kind, method, &path, secured) {
                            responses[*status] = json!({"$ref": format!("#/components/responses/{name}")});
                        }
                    }
                }
            }
            if let Some(raw) = item.pointer_mut("/post/requestBody/content/application~1octet-stream") {
                *raw = json!({"schema": {"type": "string", "format": "binary"}});
            }
            paths.insert(format!("/api/v1{path}"), item);
        }
    }
    doc["paths"] = Value::Object(paths);
    doc["info"] = json!({
        "title": "chibo API",
        "version": env!("CARGO_PKG_VERSION"),
        "description": "Grassroots Party organisation work: the organisation tree, the member registry, accounts and access. \
            Log in with POST /api/v1/auth/login; the session cookie authenticates later calls; state-changing calls \
            carry the X-CSRF-Token header given by login and /auth/me. Dates are ISO yyyy-mm-dd, moments Unix seconds. \
            Send Accept-Language: en for English messages (Vietnamese by default)."
    });
    let components = &mut doc["components"];
    let mut errors = vec![(ErrorBody::name().to_string(), ErrorBody::schema())];
    ErrorBody::schemas(&mut errors);
    for (name, schema) in errors {
        components["schemas"][name] = serde_json::to_value(schema).unwrap_or_default();
    }
    for (_, name, description, _) in ERRORS {
        components["responses"][*name] = json!({
            "description": description,
            "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{}", ErrorBody::name())}}}
        });
    }
    components["securitySchemes"] = json!({"session": {"type": "apiKey", "in": "cookie", "name": "chibo_session"}});
    doc
}
