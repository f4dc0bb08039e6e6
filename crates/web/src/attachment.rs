//! A file sent to be saved (`Content-Disposition: attachment`), its name kept in UTF-8
//! (RFC 6266 `filename*`) with an ASCII stand-in for old clients; never cached.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The content type of an `.xlsx` workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn attachment(file_name: &str, content_type: &str, body: Vec<u8>) -> Response {
    (headers(file_name, content_type), body).into_response()
}

/// A file written to `file` (an unnamed temporary file, rewound here), sent a chunk at a time:
/// memory holds a chunk, however large the file (a province's registry).
pub async fn file_attachment(
    file_name: &str,
    content_type: &str,
    mut file: std::fs::File,
) -> std::io::Result<Response> {
    use std::io::{Seek, SeekFrom};
    let len = file.seek(SeekFrom::End(0))?;
    file.rewind()?;
    let chunks = futures_util::stream::unfold(Some(tokio::fs::File::from_std(file)), |file| async move {
        let mut file = file?;
        let mut buf = vec![0u8; CHUNK];
        match tokio::io::AsyncReadExt::read(&mut file, &mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(axum::body::Bytes::from(buf)), Some(file)))
            }
            // The error ends the body (the client sees a cut download, not a wrong file).
            Err(e) => Some((Err(e), None)),
        }
    });
    let mut response = (headers(file_name, content_type), axum::body::Body::from_stream(chunks)).into_response();
    response.headers_mut().insert(header::CONTENT_LENGTH, header::HeaderValue::from(len));
    Ok(response)
}

/// Bytes read from a file per chunk of a response.
const CHUNK: usize = 256 * 1024;

fn headers(file_name: &str, content_type: &str) -> [(header::HeaderName, String); 3] {
    let ascii: String =
        file_name.chars().map(|c| if c.is_ascii_alphanumeric() || "._- ".contains(c) { c } else { '_' }).collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", crate::ui::qs(file_name));
    [
        (header::CONTENT_TYPE, content_type.to_string()),
        (header::CONTENT_DISPOSITION, disposition),
        (header::CACHE_CONTROL, "private, no-store".to_string()),
    ]
}
