//! `multipart/form-data` bodies (document uploads), read whole: the body is bounded by the
//! route's limit, so a small parser does instead of a streaming dependency.

/// One part of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    /// Set for a file field.
    pub file_name: Option<String>,
    pub data: Vec<u8>,
}

impl Part {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.data).into_owned()
    }
}

/// The boundary of a `multipart/form-data` content type.
pub fn boundary(content_type: &str) -> Option<String> {
    let (mime, params) = content_type.split_once(';')?;
    if !mime.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.trim().eq_ignore_ascii_case("boundary").then(|| v.trim().trim_matches('"').to_string())
    })
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    let first = needle[0];
    let mut i = from;
    while i + needle.len() <= hay.len() {
        match hay[i..hay.len() - needle.len() + 1].iter().position(|b| *b == first) {
            None => return None,
            Some(p) => i += p,
        }
        if hay[i..].starts_with(needle) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// `%XX` escapes (browsers escape `"` in file names; RFC 5987 values are percent-encoded).
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

/// The value of a `key="value"` (or `key=value`) parameter of a header.
fn param(header: &str, key: &str) -> Option<String> {
    let mut rest = header;
    while let Some(pos) = rest.find(key) {
        let before_ok = pos == 0 || matches!(rest.as_bytes()[pos - 1], b';' | b' ' | b'\t');
        let after = &rest[pos + key.len()..];
        if before_ok && let Some(v) = after.strip_prefix('=') {
            if let Some(q) = v.strip_prefix('"') {
                return q.find('"').map(|end| q[..end].to_string());
            }
            return Some(v.split(';').next().unwrap_or("").trim().to_string());
        }
        rest = after;
    }
    None
}

/// The parts of a body, or `None` when it is not well-formed.
pub fn parse(content_type: &str, body: &[u8]) -> Option<Vec<Part>> {
    let delimiter = format!("--{}", boundary(content_type)?);
    let delimiter = delimiter.as_bytes();
    let next_delimiter = [b"\r\n".as_slice(), delimiter].concat();
    let mut at = find(body, delimiter, 0)? + delimiter.len();
    let mut parts = Vec::new();
    loop {
        if body.get(at..at + 2) == Some(b"--") {
            return Some(parts);
        }
        if body.get(at..at + 2) != Some(b"\r\n") {
            return None;
        }
        let headers_end = find(body, b"\r\n\r\n", at)?;
        let headers = std::str::from_utf8(&body[at + 2..headers_end]).ok()?;
        let data_start = headers_end + 4;
        let data_end = find(body, &next_delimiter, data_start)?;
        let disposition = headers
            .split("\r\n")
            .find_map(|h| h.split_once(':').filter(|(k, _)| k.trim().eq_ignore_ascii_case("content-disposition")))
            .map(|(_, v)| v.trim())?;
        let name = param(disposition, "name")?;
        let file_name = param(disposition, "filename*")
            .map(|v| percent_decode(v.split_once("''").map_or(v.as_str(), |(_, s)| s)))
            .or_else(|| param(disposition, "filename").map(|v| percent_decode(&v)));
        parts.push(Part { name, file_name, data: body[data_start..data_end].to_vec() });
        at = data_end + next_delimiter.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_and_files() {
        let body = "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n\
            --XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"Nghị quyết %22số 1%22.txt\"\r\n\
            Content-Type: text/plain\r\n\r\nline 1\r\n--Xy\r\nline 2\r\n--XyZ--\r\n";
        let parts = parse("multipart/form-data; boundary=XyZ", body.as_bytes()).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!((parts[0].name.as_str(), parts[0].text().as_str(), &parts[0].file_name), ("csrf", "abc", &None));
        assert_eq!(parts[1].file_name.as_deref(), Some("Nghị quyết \"số 1\".txt"));
        assert_eq!(parts[1].text(), "line 1\r\n--Xy\r\nline 2");
        assert!(parse("multipart/form-data; boundary=XyZ", b"--XyZ\r\nno end").is_none());
        assert!(parse("application/json", b"{}").is_none());
        assert_eq!(boundary("multipart/form-data; boundary=\"a b\""), Some("a b".into()));
        let star =
            "--b\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''B%C3%A1o.pdf\r\n\r\n%PDF\r\n--b--";
        assert_eq!(
            parse("multipart/form-data; boundary=b", star.as_bytes()).unwrap()[0].file_name.as_deref(),
            Some("Báo.pdf")
        );
    }
}
