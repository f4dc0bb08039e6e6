//! Free text typed by people: one table of length limits (*giới hạn độ dài*), the rule for
//! personal names (*họ, tên đệm, tên*) and the earliest date a record may hold.
//!
//! **Names** are normalised (Unicode NFC, the typographic apostrophe `’` and the modifier
//! letter apostrophe `ʼ` read as `'`, runs of spaces as one space, trimmed) and must then be
//! written in the Vietnamese Latin alphabet, the ethnic minority alphabets in Latin script
//! included (Ê Đê, Jrai, Ba Na, Cơ Ho, M'Nông, Thái, Mông RPA …):
//! - letters: `a`–`z` and `A`–`Z` (so `f`, `j`, `w`, `z` too), `đ Đ`, `ƀ Ƀ` (Ê Đê, Jrai);
//! - each letter may carry up to three of these combining marks (as typed or precomposed):
//!   grave, acute, tilde, hook above, dot below (the five tones), circumflex, breve, horn (`â ă
//!   ê ô ơ ư`), and caron (`č` of Ê Đê) — so `ĕ ĭ ŏ ŭ ơ̆ ư̆ ê̆ ñ` are accepted;
//! - between letters: one space, one apostrophe (`H'Hen`, `K'Ho`) or one hyphen.
//!
//! Anything else is refused: digits (full-width ones included), zero-width characters, bidi
//! controls and overrides, emoji, punctuation, and letters of other scripts — in particular the
//! Cyrillic and Greek look-alikes (`а е о р с у х і`, `ο α`), which would otherwise escape the
//! duplicate-person flag and the name search.

use crate::{FieldError, Validation};
use time::Date;
use unicode_normalization::UnicodeNormalization;

/// A length limit on a free-text field, in characters (Unicode scalar values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// The field the error names.
    pub field: &'static str,
    pub max: usize,
    pub label_vi: &'static str,
    pub label_en: &'static str,
}

impl Limit {
    pub(crate) const fn new(field: &'static str, max: usize, label_vi: &'static str, label_en: &'static str) -> Limit {
        Limit { field, max, label_vi, label_en }
    }

    /// The refusal of `value` when it is longer than the limit.
    pub fn check(&self, value: &str) -> Option<FieldError> {
        (value.chars().count() > self.max).then(|| self.error())
    }

    /// Push the refusal of `value` (when set and too long) into `v`.
    pub fn check_into(&self, v: &mut Validation, value: Option<&str>) {
        if let Some(e) = value.and_then(|s| self.check(s)) {
            v.push(e);
        }
    }

    pub fn error(&self) -> FieldError {
        FieldError::new(
            self.field,
            "too_long",
            format!("{}: tối đa {} ký tự.", self.label_vi, self.max),
            format!("{}: at most {} characters.", self.label_en, self.max),
        )
    }

    /// The same limit reported on another field name.
    pub const fn on(self, field: &'static str) -> Limit {
        Limit { field, ..self }
    }
}

/// Personal name parts: family, middle and given name.
pub const FAMILY_NAME: Limit = Limit::new("family_name", 60, "Họ", "Family name");
pub const MIDDLE_NAME: Limit = Limit::new("middle_name", 60, "Tên đệm", "Middle name");
pub const GIVEN_NAME: Limit = Limit::new("given_name", 60, "Tên", "Given name");
/// An account's display name (*họ và tên người dùng*).
pub const DISPLAY_NAME: Limit = Limit::new("display_name", 100, "Họ và tên", "Full name");
/// Organisations.
pub const ORG_NAME: Limit = Limit::new("name", 200, "Tên tổ chức", "Name");
pub const ORG_SHORT_NAME: Limit = Limit::new("short_name", 60, "Tên viết tắt", "Short name");
pub const VILLAGE: Limit = Limit::new("village", 100, "Thôn, bản, tổ dân phố", "Village");
/// Decisions behind events and awards (*số quyết định, cơ quan ban hành*).
pub const DECISION_NUMBER: Limit = Limit::new("decision_number", 50, "Số quyết định", "Decision number");
pub const DECISION_BODY: Limit = Limit::new("decision_body", 200, "Cơ quan ban hành", "Issuing body");
/// An event's reason (discipline, leaving …) and a place outside the installation.
pub const EVENT_REASON: Limit = Limit::new("reason", 2000, "Lý do", "Reason");
pub const EVENT_PLACE: Limit = Limit::new("place", 200, "Nơi chuyển đến/đi", "Place");
/// Scoring sheets (*bảng chấm điểm*): the name and each criterion's label.
pub const SHEET_NAME: Limit = Limit::new("name", 200, "Tên bảng chấm điểm", "Sheet name");
pub const SHEET_LABEL: Limit = Limit::new("criteria", 200, "Tên tiêu chí", "Criterion label");

/// Each text of a self-assessment, the cell's comments, a decision's reason (the review).
pub const REVIEW_TEXT: Limit = Limit::new("text", 5000, "Nội dung", "Text");
/// One item of a self-improvement plan, and who is responsible for it.
pub const PLAN_ITEM: Limit = Limit::new("content", 1000, "Nội dung khắc phục", "Item");
pub const PLAN_RESPONSIBLE: Limit = Limit::new("responsible", 200, "Người chịu trách nhiệm", "Responsible");

/// Each part of a meeting's plan and minutes (place, agenda, guests, follow-up, conclusions,
/// resolution, opinions); also the longest text any field accepts (the web layer's backstop).
pub const MINUTES_TEXT: Limit = Limit::new("text", 20_000, "Nội dung", "Text");

/// Every limit but the member profile's (those are in [`crate::profile::MemberProfile::FIELDS`]),
/// for the documentation and the tests.
pub const LIMITS: &[Limit] = &[
    FAMILY_NAME,
    MIDDLE_NAME,
    GIVEN_NAME,
    DISPLAY_NAME,
    ORG_NAME,
    ORG_SHORT_NAME,
    VILLAGE,
    DECISION_NUMBER,
    DECISION_BODY,
    EVENT_REASON,
    EVENT_PLACE,
    SHEET_NAME,
    SHEET_LABEL,
    REVIEW_TEXT,
    PLAN_ITEM,
    PLAN_RESPONSIBLE,
    MINUTES_TEXT,
];

/// The earliest birth date (and any date of a record) accepted: 01/01/1900.
pub const EARLIEST_DATE: Date = match Date::from_calendar_date(1900, time::Month::January, 1) {
    Ok(d) => d,
    Err(_) => Date::MIN,
};

/// A name part as stored: NFC, apostrophes unified, spaces collapsed, trimmed.
pub fn normalize_name(s: &str) -> String {
    let unified: String = s.chars().map(|c| if matches!(c, '\u{2019}' | '\u{02BC}') { '\'' } else { c }).collect();
    unified.split_whitespace().collect::<Vec<_>>().join(" ").nfc().collect()
}

/// A free text as stored: NFC, trimmed.
pub fn normalize_text(s: &str) -> String {
    s.trim().nfc().collect()
}

/// The combining marks a name's letters may carry.
fn name_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0300}' // grave (huyền)
            | '\u{0301}' // acute (sắc)
            | '\u{0302}' // circumflex (â ê ô)
            | '\u{0303}' // tilde (ngã; ñ)
            | '\u{0306}' // breve (ă; ĕ ĭ ŏ ŭ of Ê Đê, Jrai, Ba Na)
            | '\u{0309}' // hook above (hỏi)
            | '\u{030C}' // caron (č of Ê Đê)
            | '\u{031B}' // horn (ơ ư)
            | '\u{0323}' // dot below (nặng)
    )
}

fn name_base(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, 'đ' | 'Đ' | 'ƀ' | 'Ƀ')
}

/// Whether a normalised name part is written in the accepted alphabet (see the module): it
/// starts with a letter; an apostrophe follows a letter and may end a word (the Cơ Ho family
/// name `K'`, as in `K' Bi`); a hyphen stands between letters; a space follows a letter or an
/// apostrophe. The empty string is accepted (a missing middle name); requiredness is checked
/// elsewhere.
pub fn is_valid_name(s: &str) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum Prev {
        Start,
        Letter,
        Apostrophe,
        Space,
        Hyphen,
    }
    let mut prev = Prev::Start;
    let mut marks = 0;
    for c in s.nfd() {
        prev = if name_base(c) {
            marks = 0;
            Prev::Letter
        } else if name_mark(c) {
            marks += 1;
            if prev != Prev::Letter || marks > 3 {
                return false;
            }
            Prev::Letter
        } else {
            let (next, ok) = match c {
                '\'' => (Prev::Apostrophe, prev == Prev::Letter),
                '-' => (Prev::Hyphen, prev == Prev::Letter),
                ' ' => (Prev::Space, matches!(prev, Prev::Letter | Prev::Apostrophe)),
                _ => (Prev::Start, false),
            };
            if !ok {
                return false;
            }
            next
        };
    }
    matches!(prev, Prev::Start | Prev::Letter | Prev::Apostrophe)
}

/// The refusal of a name part outside the alphabet, or too long.
pub fn check_name(limit: &Limit, value: &str) -> Option<FieldError> {
    if value.chars().count() > limit.max || !is_valid_name(value) {
        return Some(FieldError::new(
            limit.field,
            "invalid_name",
            format!(
                "{}: chỉ gồm chữ cái tiếng Việt (kể cả chữ của các dân tộc thiểu số), dấu cách, dấu nháy ' hoặc gạch nối; tối đa {} ký tự.",
                limit.label_vi, limit.max
            ),
            format!(
                "{}: Vietnamese letters only (those of ethnic minority alphabets included), spaces, apostrophes or hyphens; at most {} characters.",
                limit.label_en, limit.max
            ),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> bool {
        is_valid_name(&normalize_name(s))
    }

    #[test]
    fn real_names_are_accepted() {
        for name in [
            "Nguyễn Thị Ánh",
            "Lò Văn Pằng",
            "H'Hen Niê",
            "H’Hen Niê",
            "Ksor Y Phun",
            "Đinh Thị Hồng Nhung",
            "Trần Quốc Vượng",
            "Phạm Ngọc Thạch",
            "Hoàng Thị Ngọc Ánh",
            "Bùi Thị Xuân",
            "Y Ngông Niê Kdăm",
            "K'Ho",
            "Rơ Châm Y Nguyên",
            "Nông Đức Mạnh",
            "Sùng A Páo",
            "Giàng Seo Phử",
            "Lê-Nguyễn Minh",
            "Ayŭn H'Bŏ",
            "Êban Ƀuôn",
            "Ñuôl Čư",
            "Josephine Fang Wazu",
            "Ơ̆",
            "K'",
            "K' Bi",
            "",
        ] {
            assert!(ok(name), "{name:?} should be accepted");
        }
        // Typed decomposed (NFD), stored composed (NFC).
        let nfd = "Nguye\u{0302}\u{0303}n";
        assert_eq!(normalize_name(nfd), "Nguyễn");
        assert_eq!(normalize_name("  Lò   Văn  Pằng "), "Lò Văn Pằng");
        assert_eq!(normalize_name("H\u{2019}Hen"), "H'Hen");
    }

    #[test]
    fn attacks_are_refused() {
        for name in [
            "Ngu\u{200B}yễn",        // zero-width space
            "Lan\u{200D}",           // zero-width joiner
            "\u{FEFF}Lan",           // BOM
            "Lan\u{202E}nahT",       // right-to-left override
            "Lan\u{2066}x",          // bidi isolate
            "Lan 😀",                // emoji
            "Lan１",                 // full-width digit
            "Lan 2",                 // digit
            "Nguyễn Thị \u{0410}nh", // Cyrillic А
            "Nguy\u{0435}n",         // Cyrillic е
            "L\u{03BF}n",            // Greek omicron
            "Ｌan",                  // full-width Latin
            "Lan.",                  // punctuation
            "'Lan",
            "Lan-",
            "H''Hen",
            "K '",
            "Lan-'",
            "Lan  \u{0301}",                     // a mark on nothing
            "a\u{0301}\u{0301}\u{0301}\u{0301}", // four marks on one letter
            "Lan\u{0308}",                       // diaeresis: not in the alphabet
            "Ł",
            "ß",
            "Lan\u{0}",
        ] {
            assert!(!ok(name), "{name:?} should be refused");
        }
        // A tab or a newline becomes a space on normalisation.
        assert_eq!(normalize_name("Lan\tAnh\n"), "Lan Anh");
    }

    #[test]
    fn limits_name_their_field() {
        let e = VILLAGE.check(&"a".repeat(101)).unwrap();
        assert_eq!((e.field.as_str(), e.code), ("village", "too_long"));
        assert!(VILLAGE.check(&"ố".repeat(100)).is_none());
        assert!(check_name(&GIVEN_NAME, &"a".repeat(61)).is_some());
        assert_eq!(DECISION_NUMBER.on("decision.number").error().field, "decision.number");
        assert!(LIMITS.iter().all(|l| l.max > 0 && !l.field.is_empty()));
        assert_eq!(EARLIEST_DATE.year(), 1900);
    }
}
