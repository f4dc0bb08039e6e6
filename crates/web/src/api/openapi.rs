//! The OpenAPI 3.1 document, generated from [`super::ROUTES`].

use super::ROUTES;
use axum::Json;
use serde_json::{Map, Value, json};

pub async fn serve() -> Json<Value> {
    Json(document())
}

fn error_schema() -> Value {
    json!({
        "type": "object",
        "properties": { "error": { "type": "object", "properties": {
            "code": {"type": "string"}, "message": {"type": "string"}, "field": {"type": ["string", "null"]}
        }, "required": ["code", "message"] } }
    })
}

pub fn document() -> Value {
    let mut paths = Map::new();
    for r in ROUTES {
        let params: Vec<Value> = r
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}))
            .collect();
        let mut responses = json!({
            "200": {"description": "OK", "content": {"application/json": {}}},
            "404": {"description": "Not found, or outside the caller's subtree", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            "422": {"description": "Invalid input; `field` names the field", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        });
        if r.auth {
            responses["401"] = json!({"description": "Not logged in"});
            responses["403"] = json!({"description": "Visible but not allowed"});
        }
        let mut op = json!({
            "summary": r.summary,
            "tags": [r.tag],
            "parameters": params,
            "responses": responses,
        });
        if r.auth {
            op["security"] = json!([{"session": []}]);
        }
        if matches!(r.method, "POST" | "PUT" | "PATCH") {
            op["requestBody"] = json!({"content": {"application/json": {"schema": {"type": "object"}}}});
        }
        let entry = paths.entry(format!("/api/v1{}", r.path)).or_insert_with(|| json!({}));
        entry[r.method.to_lowercase()] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "chibo API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Grassroots Party organisation work: the organisation tree, the member registry, accounts and access. \
                Log in with POST /api/v1/auth/login; the session cookie authenticates later calls; state-changing calls \
                carry the X-CSRF-Token header given by login and /auth/me. Dates are ISO yyyy-mm-dd. Send \
                Accept-Language: en for English messages (Vietnamese by default)."
        },
        "paths": paths,
        "components": {
            "schemas": { "Error": error_schema() },
            "securitySchemes": { "session": {"type": "apiKey", "in": "cookie", "name": "chibo_session"} }
        }
    })
}
