//! The HTTP contract, checked on every answer: each `/api/v1` response a test receives must be
//! declared in the OpenAPI document for its route and status, and a JSON body must validate
//! against the declared schema. Schemas are made strict for the check (an object may not carry
//! a field its schema does not declare), so a body and its document cannot drift apart.

use jsonschema::Validator;
use serde_json::{Value, json};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex};

/// The document, with every object schema closed.
static DOC: LazyLock<Value> = LazyLock::new(|| strict(chibo_web::api::document().clone()));
static VALIDATORS: LazyLock<Mutex<HashMap<String, Arc<Validator>>>> = LazyLock::new(Default::default);

thread_local! {
    /// (method, route, status) of the answers checked on this thread (a `#[tokio::test]` runs
    /// on one thread).
    static SEEN: RefCell<BTreeSet<(String, String, u16)>> = RefCell::default();
}

/// The operations of the document: (method in upper case, path after `/api/v1`).
pub fn operations() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (path, item) in DOC["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            out.push((method.to_uppercase(), path.trim_start_matches("/api/v1").to_string()));
        }
    }
    out
}

/// What this thread has seen answered.
pub fn seen() -> BTreeSet<(String, String, u16)> {
    SEEN.with(|s| s.borrow().clone())
}

/// The route template of a request path, when one matches (the most literal one).
pub fn route_of(path: &str) -> Option<String> {
    let segments: Vec<&str> = path.split('/').collect();
    DOC["paths"]
        .as_object()?
        .keys()
        .filter_map(|t| {
            let ts: Vec<&str> = t.split('/').collect();
            let fits = ts.len() == segments.len()
                && ts.iter().zip(&segments).all(|(t, s)| t == s || (t.starts_with('{') && !s.is_empty()));
            fits.then(|| (ts.iter().filter(|t| !t.starts_with('{')).count(), t.clone()))
        })
        .max()
        .map(|(_, t)| t)
}

/// Check one answer against the document; panics with what does not fit.
pub fn check(method: &str, uri: &str, status: u16, content_type: Option<&str>, body: &[u8]) {
    let path = uri.split('?').next().unwrap_or(uri);
    if !path.starts_with("/api/v1/") {
        return;
    }
    let Some(route) = route_of(path) else {
        // Not a route: the API's fallback answers a declared error body.
        assert_eq!(status, 404, "{method} {uri}: no route in the OpenAPI document, answered {status}");
        validate("#/components/schemas/ErrorBody", &json!({"$ref": "#/components/schemas/ErrorBody"}), body, uri);
        return;
    };
    let m = method.to_lowercase();
    let Some(op) = DOC["paths"][&route].get(&m) else {
        assert_eq!(status, 405, "{method} {uri}: {route} has no {method} in the document, answered {status}");
        return;
    };
    let mut response = op["responses"].get(status.to_string()).unwrap_or_else(|| {
        panic!("{method} {route}: status {status} is not declared ({})", String::from_utf8_lossy(body))
    });
    if let Some(r) = response["$ref"].as_str() {
        response = DOC.pointer(&r[1..]).expect("response reference");
    }
    SEEN.with(|s| s.borrow_mut().insert((method.to_string(), route.trim_start_matches("/api/v1").to_string(), status)));
    let Some(content) = response["content"].as_object() else {
        assert!(body.is_empty(), "{method} {route} {status}: declared without a body, sent one");
        return;
    };
    match content.get("application/json") {
        Some(json_content) => {
            let is_json = content_type.is_some_and(|c| c.starts_with("application/json"));
            assert!(is_json, "{method} {route} {status}: declared JSON, sent {content_type:?}");
            let key = format!("{m} {route} {status}");
            validate(&key, &json_content["schema"], body, &format!("{method} {uri} {status}"));
        }
        None => assert!(
            !content_type.is_some_and(|c| c.starts_with("application/json")),
            "{method} {route} {status}: sent JSON where the document declares {:?}",
            content.keys().collect::<Vec<_>>()
        ),
    }
}

fn validate(key: &str, schema: &Value, body: &[u8], what: &str) {
    let validator = {
        let mut cache = VALIDATORS.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(key.to_string())
            .or_insert_with(|| {
                let mut root = schema.as_object().cloned().unwrap_or_default();
                root.insert("components".into(), DOC["components"].clone());
                Arc::new(jsonschema::draft202012::new(&Value::Object(root)).expect("a valid schema"))
            })
            .clone()
    };
    let instance: Value = serde_json::from_slice(body)
        .unwrap_or_else(|e| panic!("{what}: the body is not JSON ({e}): {}", String::from_utf8_lossy(body)));
    let errors: Vec<String> =
        validator.iter_errors(&instance).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{what}: the body does not fit its declared schema:\n{}\n{instance}", errors.join("\n"));
}

/// Close every object schema (`additionalProperties: false`); a composition (`allOf`) is closed
/// as a whole (`unevaluatedProperties: false`) and its parts are left open.
fn strict(mut doc: Value) -> Value {
    let mut parts = HashSet::new();
    if let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") {
        for s in schemas.values() {
            for part in s["allOf"].as_array().into_iter().flatten() {
                if let Some(r) = part["$ref"].as_str() {
                    parts.insert(r.rsplit('/').next().unwrap_or_default().to_string());
                }
            }
        }
    }
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        for (name, s) in schemas.iter_mut() {
            close(s, !parts.contains(name));
        }
    }
    doc
}

fn close(s: &mut Value, this_level: bool) {
    let Value::Object(o) = s else { return };
    if o.contains_key("allOf") {
        o.insert("unevaluatedProperties".into(), json!(false));
        for part in o["allOf"].as_array_mut().into_iter().flatten() {
            close(part, false);
        }
    } else if this_level && o.contains_key("properties") && !o.contains_key("additionalProperties") {
        o.insert("additionalProperties".into(), json!(false));
    }
    for key in ["properties"] {
        if let Some(Value::Object(props)) = o.get_mut(key) {
            for p in props.values_mut() {
                close(p, true);
            }
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(v) = o.get_mut(key) {
            close(v, true);
        }
    }
    for key in ["oneOf", "anyOf"] {
        for v in o.get_mut(key).and_then(Value::as_array_mut).into_iter().flatten() {
            close(v, true);
        }
    }
}
