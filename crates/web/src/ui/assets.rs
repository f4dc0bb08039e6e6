//! Static files embedded in the binary: htmx (vendored from the npm package htmx.org 2.0.4),
//! the stylesheet and the small script. URLs carry a content hash, so they are cached for
//! a year.

use axum::http::header;
use axum::response::IntoResponse;

const HTMX: &[u8] = include_bytes!("../../static/htmx.min.js");
const CSS: &[u8] = include_bytes!("../../static/app.css");
const JS: &[u8] = include_bytes!("../../static/app.js");

/// FNV-1a of all assets, so a new build never reuses a cached old file.
const fn fnv(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut p = 0;
    while p < parts.len() {
        let bytes = parts[p];
        let mut i = 0;
        while i < bytes.len() {
            h ^= bytes[i] as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
            i += 1;
        }
        p += 1;
    }
    h
}

const HASH: u64 = fnv(&[HTMX, CSS, JS]);

/// The version tag put in asset URLs (`?v=…`).
pub fn version() -> &'static str {
    static V: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    V.get_or_init(|| format!("{:012x}", HASH & 0xffff_ffff_ffff))
}

fn serve(body: &'static [u8], content_type: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=31536000, immutable")], body)
}

pub async fn htmx() -> impl IntoResponse {
    serve(HTMX, "text/javascript; charset=utf-8")
}

pub async fn css() -> impl IntoResponse {
    serve(CSS, "text/css; charset=utf-8")
}

pub async fn js() -> impl IntoResponse {
    serve(JS, "text/javascript; charset=utf-8")
}
