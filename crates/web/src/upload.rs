//! Document uploads (tài liệu cuộc họp), streamed: a `multipart/form-data` body read by multer
//! (the parser behind axum's `Multipart`, used directly for its constraints), or the raw bytes
//! with the name in `?file_name=`. Handlers call [`read`] only after the access layer has said
//! that the meeting exists and the viewer may attach to it, so a refused request is answered
//! without reading its body.
//!
//! Limits: a boundary of at most 70 characters (RFC 2046), at most [`MAX_PARTS`] parts, only
//! the fields `file` and `csrf`, the file at most `MAX_DOCUMENT_BYTES`, the text field at most
//! 1 KiB, the whole body at most `MAX_DOCUMENT_BYTES + UPLOAD_OVERHEAD` (part headers included).

use axum::body::Body;
use axum::http::{HeaderMap, header};
use chibo_access::{FieldError, MAX_DOCUMENT_BYTES, Problem, Validation};

/// The longest boundary RFC 2046 allows.
pub const MAX_BOUNDARY: usize = 70;
/// At most this many parts (the form sends two: `csrf` and `file`).
pub const MAX_PARTS: usize = 4;
const MAX_TEXT_FIELD: u64 = 1024;

/// What an upload may hold: the file's size and the text fields besides `file`.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_file: usize,
    pub fields: &'static [&'static str],
}

/// A meeting document: up to `MAX_DOCUMENT_BYTES`, with the CSRF field.
pub const DOCUMENT: Limits = Limits { max_file: MAX_DOCUMENT_BYTES, fields: &["csrf"] };

/// An uploaded document: its name, its content, and the text fields sent with it.
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
    pub fields: Vec<(String, String)>,
}

fn whole_limit(l: Limits) -> usize {
    l.max_file + crate::api::UPLOAD_OVERHEAD
}

fn no_file() -> Problem {
    Problem::Invalid(Validation { errors: vec![FieldError::required("file", "Tệp", "File")] })
}

fn malformed() -> Problem {
    Problem::field(
        "file",
        "invalid_body",
        "Tệp: nội dung gửi lên không đúng dạng multipart/form-data.",
        "File: the body is not valid multipart/form-data.",
    )
}

/// A body over the limit, as an error on `file`.
pub fn too_large(l: Limits) -> Problem {
    let mb = l.max_file / 1024 / 1024;
    Problem::field("file", "too_large", format!("Tệp: lớn hơn {mb} MB."), format!("File: larger than {mb} MB."))
}

fn multer_problem(l: Limits, e: multer::Error) -> Problem {
    match e {
        multer::Error::FieldSizeExceeded { .. } | multer::Error::StreamSizeExceeded { .. } => too_large(l),
        _ => malformed(),
    }
}

/// Read a meeting document from a body whose target and rights were already checked.
pub async fn read(headers: &HeaderMap, query_name: Option<&str>, body: Body) -> Result<Upload, Problem> {
    read_with(DOCUMENT, headers, query_name, body).await
}

/// Read an upload within `l` from a body whose target and rights were already checked.
pub async fn read_with(
    l: Limits,
    headers: &HeaderMap,
    query_name: Option<&str>,
    body: Body,
) -> Result<Upload, Problem> {
    let ctype = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = ctype.split(';').next().unwrap_or("").trim();
    if essence.eq_ignore_ascii_case("multipart/form-data") {
        return read_multipart(l, ctype, body).await;
    }
    let name = query_name.map(str::trim).filter(|n| !n.is_empty()).ok_or_else(no_file)?;
    let bytes = axum::body::to_bytes(body, l.max_file).await.map_err(|_| too_large(l))?;
    Ok(Upload { name: name.to_string(), bytes: bytes.to_vec(), fields: Vec::new() })
}

async fn read_multipart(l: Limits, ctype: &str, body: Body) -> Result<Upload, Problem> {
    let boundary = multer::parse_boundary(ctype).map_err(|_| malformed())?;
    if boundary.is_empty() || boundary.len() > MAX_BOUNDARY {
        return Err(malformed());
    }
    let mut limits = multer::SizeLimit::new().whole_stream(whole_limit(l) as u64).per_field(l.max_file as u64 + 1);
    for f in l.fields {
        limits = limits.for_field(*f, MAX_TEXT_FIELD);
    }
    let allowed: Vec<&str> = std::iter::once("file").chain(l.fields.iter().copied()).collect();
    let constraints = multer::Constraints::new().allowed_fields(allowed).size_limit(limits);
    let mut parts = multer::Multipart::with_constraints(body.into_data_stream(), boundary, constraints);
    let (mut fields, mut file) = (Vec::new(), None);
    let mut count = 0;
    while let Some(field) = parts.next_field().await.map_err(|e| multer_problem(l, e))? {
        count += 1;
        if count > MAX_PARTS {
            return Err(malformed());
        }
        let name = field.name().unwrap_or("").to_string();
        match file_name(&field) {
            Some(file_name) if name == "file" && file.is_none() => {
                let bytes = field.bytes().await.map_err(|e| multer_problem(l, e))?;
                if bytes.len() > l.max_file {
                    return Err(too_large(l));
                }
                file = Some((file_name, bytes.to_vec()));
            }
            Some(_) => return Err(malformed()),
            None => fields.push((name, field.text().await.map_err(|e| multer_problem(l, e))?)),
        }
    }
    let (name, bytes) = file.ok_or_else(no_file)?;
    Ok(Upload { name, bytes, fields })
}

/// The part's file name: `filename*=UTF-8''…` (RFC 5987) or `filename="…"`, `%XX` decoded
/// (browsers escape `"` as `%22`).
fn file_name(field: &multer::Field<'_>) -> Option<String> {
    let disposition = field.headers().get(header::CONTENT_DISPOSITION).and_then(|v| v.to_str().ok()).unwrap_or("");
    let extended = disposition.split(';').find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.trim().eq_ignore_ascii_case("filename*").then(|| v.trim().split_once("''").map_or(v, |(_, s)| s).to_string())
    });
    extended.or_else(|| field.file_name().map(str::to_string)).map(|n| percent_decode(&n))
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(v) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn parse(ctype: &str, body: &'static str) -> Result<Upload, Problem> {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, ctype.parse().unwrap());
        read(&h, None, Body::from(body)).await
    }

    #[tokio::test]
    async fn reads_fields_and_files() {
        let body = "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n\
            --XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"Nghị quyết %22số 1%22.txt\"\r\n\
            Content-Type: text/plain\r\n\r\nline 1\r\n--Xy\r\nline 2\r\n--XyZ--\r\n";
        let up = parse("multipart/form-data; boundary=XyZ", body).await.ok().unwrap();
        assert_eq!(up.fields, vec![("csrf".to_string(), "abc".to_string())]);
        assert_eq!(up.name, "Nghị quyết \"số 1\".txt");
        assert_eq!(up.bytes, b"line 1\r\n--Xy\r\nline 2");
        assert!(parse("multipart/form-data; boundary=XyZ", "--XyZ\r\nno end").await.is_err());
        let star =
            "--b\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''B%C3%A1o.pdf\r\n\r\n%PDF\r\n--b--";
        assert_eq!(parse("multipart/form-data; boundary=b", star).await.ok().unwrap().name, "Báo.pdf");
        let other = "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--b--";
        assert!(parse("multipart/form-data; boundary=b", other).await.is_err());
        let long = format!("multipart/form-data; boundary={}", "a".repeat(71));
        assert!(parse(&long, "").await.is_err());
    }
}
