//! Languages of the interface: Vietnamese first, English second.

use serde::{Deserialize, Serialize};

/// The language a user reads. Vietnamese (*tiếng Việt*) is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// Parse a language tag or an `Accept-Language` header: English only when asked for first.
    pub fn from_tag(tag: &str) -> Lang {
        let first = tag.split(',').next().unwrap_or("").trim().to_ascii_lowercase();
        if first.starts_with("en") { Lang::En } else { Lang::Vi }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// Pick the text for this language.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_unless_english_first() {
        assert_eq!(Lang::from_tag("en-US,en;q=0.9"), Lang::En);
        assert_eq!(Lang::from_tag("vi-VN,en;q=0.8"), Lang::Vi);
        assert_eq!(Lang::from_tag(""), Lang::Vi);
        assert_eq!(Lang::from_tag("fr"), Lang::Vi);
    }
}
