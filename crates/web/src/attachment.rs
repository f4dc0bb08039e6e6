//! A file sent to be saved (`Content-Disposition: attachment`), its name kept in UTF-8
//! (RFC 6266 `filename*`) with an ASCII stand-in for old clients; never cached.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The content type of an `.xlsx` workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn attachment(file_name: &str, content_type: &str, body: Vec<u8>) -> Response {
    let ascii: String =
        file_name.chars().map(|c| if c.is_ascii_alphanumeric() || "._- ".contains(c) { c } else { '_' }).collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", crate::ui::qs(file_name));
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response()
}
