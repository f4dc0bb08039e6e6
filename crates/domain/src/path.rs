//! Materialized paths of the organisation tree: fixed-width segments, so that a subtree is
//! one range `path >= P AND path < P || '~'` on an index, on every database.

/// Characters of one segment, in ascending byte order.
const DIGITS: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
/// Width of one segment: 36⁴ = 1,679,616 children per parent.
pub const SEGMENT_WIDTH: usize = 4;
/// Upper bound suffix: greater than every segment character in byte order ("C" collation).
pub const SUBTREE_END: char = '~';

/// The segment for the `n`-th child (n starts at 0).
pub fn segment(mut n: u32) -> Option<String> {
    if n >= 36u32.pow(SEGMENT_WIDTH as u32) {
        return None;
    }
    let mut out = [b'0'; SEGMENT_WIDTH];
    for slot in out.iter_mut().rev() {
        *slot = DIGITS[(n % 36) as usize];
        n /= 36;
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// The exclusive upper bound of the subtree under `path`.
pub fn subtree_end(path: &str) -> String {
    format!("{path}{SUBTREE_END}")
}

/// Depth of a path: the root has depth 0.
pub fn depth(path: &str) -> usize {
    (path.len() / SEGMENT_WIDTH).saturating_sub(1)
}

/// The paths of all ancestors, root first, excluding `path` itself.
pub fn ancestors(path: &str) -> Vec<&str> {
    (1..path.len() / SEGMENT_WIDTH).map(|i| &path[..i * SEGMENT_WIDTH]).collect()
}

/// Whether `path` lies in the subtree rooted at `root` (itself included).
pub fn is_within(path: &str, root: &str) -> bool {
    path.starts_with(root)
}

/// Whether a path is well formed.
pub fn is_valid(path: &str) -> bool {
    !path.is_empty() && path.len().is_multiple_of(SEGMENT_WIDTH) && path.bytes().all(|b| DIGITS.contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_sort_like_numbers() {
        assert_eq!(segment(0).unwrap(), "0000");
        assert_eq!(segment(35).unwrap(), "000Z");
        assert_eq!(segment(36).unwrap(), "0010");
        assert!(segment(36u32.pow(4)).is_none());
        let mut prev = segment(0).unwrap();
        for n in 1..3000 {
            let s = segment(n).unwrap();
            assert!(s > prev, "{s} should sort after {prev}");
            prev = s;
        }
    }

    #[test]
    fn subtree_ranges_hold_descendants_only() {
        let root = "0001";
        let end = subtree_end(root);
        for p in ["0001", "00010000", "0001ZZZZ", "0001ZZZZZZZZ"] {
            assert!(p >= root && p < end.as_str(), "{p}");
            assert!(is_within(p, root));
        }
        for p in ["0002", "0000ZZZZ", "0000", "00020000"] {
            assert!(!(p >= root && p < end.as_str()), "{p}");
        }
    }

    #[test]
    fn ancestors_and_depth() {
        assert_eq!(ancestors("000100020003"), vec!["0001", "00010002"]);
        assert_eq!(depth("000100020003"), 2);
        assert_eq!(depth("0001"), 0);
        assert!(is_valid("0001000A"));
        assert!(!is_valid("001"));
        assert!(!is_valid("00a1"));
    }
}
