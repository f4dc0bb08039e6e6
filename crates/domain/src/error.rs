//! Validation errors that name the field, in Vietnamese and English.

use crate::Lang;
use serde::Serialize;

/// One problem with one field of an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's name as the API spells it (`birth_date`, `citizen_id`, …).
    pub field: String,
    /// A stable machine code (`required`, `cccd_century_gender`, …).
    pub code: &'static str,
    pub message_vi: String,
    pub message_en: String,
}

impl FieldError {
    pub fn new(field: &str, code: &'static str, vi: impl Into<String>, en: impl Into<String>) -> Self {
        FieldError { field: field.to_string(), code, message_vi: vi.into(), message_en: en.into() }
    }

    pub fn required(field: &str, label_vi: &str, label_en: &str) -> Self {
        Self::new(
            field,
            "required",
            format!("{label_vi}: bắt buộc phải nhập."),
            format!("{label_en}: this field is required."),
        )
    }

    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.message_vi, &self.message_en)
    }
}

/// All the problems found in one input. Empty means valid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Validation {
    pub errors: Vec<FieldError>,
}

impl Validation {
    pub fn push(&mut self, e: FieldError) {
        self.errors.push(e);
    }
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
    pub fn has(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }
    pub fn for_field(&self, field: &str) -> Option<&FieldError> {
        self.errors.iter().find(|e| e.field == field)
    }
    /// `Ok(v)` when there is no error, else the errors.
    pub fn finish<T>(self, v: T) -> Result<T, Validation> {
        if self.is_ok() { Ok(v) } else { Err(self) }
    }
}

/// Why an operation was refused, independent of the transport that reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The input is invalid; each error names its field (HTTP 422).
    Invalid(Validation),
    /// Nothing there, or nothing the caller may see (HTTP 404).
    NotFound,
    /// The caller may see it but not do this (HTTP 403).
    Forbidden,
    /// The request conflicts with the records, e.g. a duplicate (HTTP 409).
    Conflict(FieldError),
    /// Not logged in (HTTP 401).
    Unauthenticated,
    /// Too many attempts, or too many at once; try again after this many seconds (HTTP 429).
    TooManyAttempts { retry_after: u64 },
    /// The records cannot be reached right now (HTTP 503); the text is for the log.
    Unavailable(String),
}

impl Problem {
    pub fn field(field: &str, code: &'static str, vi: impl Into<String>, en: impl Into<String>) -> Self {
        Problem::Invalid(Validation { errors: vec![FieldError::new(field, code, vi, en)] })
    }

    /// The same problem with errors on field `from` reported on field `to` (one check serving
    /// two forms that name the date differently).
    pub fn renamed(self, from: &str, to: &str) -> Self {
        match self {
            Problem::Invalid(mut v) => {
                for e in v.errors.iter_mut().filter(|e| e.field == from) {
                    e.field = to.to_string();
                }
                Problem::Invalid(v)
            }
            other => other,
        }
    }
}

impl From<Validation> for Problem {
    fn from(v: Validation) -> Self {
        Problem::Invalid(v)
    }
}

/// The refusal code of a write that lost to concurrent writes every time it was tried.
pub const CONCURRENT_CODE: &str = "concurrent_write";

/// The refusals of a store failure the caller can act on (the store maps its errors to them).
impl Problem {
    /// A write that kept conflicting with concurrent writes (HTTP 409; the write is retried
    /// while this is its outcome).
    pub fn concurrent() -> Problem {
        Problem::Conflict(FieldError::new(
            "version",
            CONCURRENT_CODE,
            "Có người khác đang ghi vào cùng hồ sơ này. Hãy thử lại sau giây lát.",
            "Someone else is writing the same records right now. Try again in a moment.",
        ))
    }

    /// The record changed since it was read.
    pub fn stale() -> Problem {
        Problem::Conflict(FieldError::new(
            "version",
            "stale",
            "Hồ sơ vừa được người khác sửa. Hãy tải lại trang và nhập lại thay đổi.",
            "Someone else changed this record meanwhile. Reload it and enter your change again.",
        ))
    }

    /// A text holding a NUL character.
    pub fn nul_in_text() -> Problem {
        Problem::field(
            "text",
            "nul_character",
            "Dữ liệu có ký tự rỗng (NUL, U+0000), không được phép.",
            "The text contains a NUL character (U+0000), which is not allowed.",
        )
    }
}

impl FieldError {
    /// A value that must be unique is already on another record.
    pub fn duplicate(field: &str) -> FieldError {
        let (vi, en) = match field {
            "citizen_id" => (
                "Số CCCD này đã có trong hồ sơ của một đảng viên khác.",
                "This citizen ID is already on another member's record.",
            ),
            "party_card_number" => {
                ("Số thẻ đảng viên này đã có trong hồ sơ khác.", "This party card number is already on another record.")
            }
            "username" => ("Tên đăng nhập này đã có người dùng.", "This username is taken."),
            "role" => ("Tài khoản đã có vai trò này tại tổ chức này.", "The account already has this role here."),
            _ => ("Giá trị này đã tồn tại.", "This value already exists."),
        };
        FieldError::new(field, "duplicate", vi, en)
    }
}

/// A stored code that names no value of its enum (a bug or a hand edit of the database).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode(pub String);

impl std::fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown code {:?}", self.0)
    }
}

impl std::error::Error for UnknownCode {}

/// `TryFrom<String>` through the type's `parse` of its stored code, for enums written by hand
/// (the store's rows decode them once, `#[sqlx(try_from = "String")]`).
macro_rules! decode_code {
    ($($name:ty),*) => {$(
        impl TryFrom<String> for $name {
            type Error = $crate::error::UnknownCode;
            fn try_from(s: String) -> Result<$name, $crate::error::UnknownCode> {
                <$name>::parse(&s).ok_or($crate::error::UnknownCode(s))
            }
        }
    )*};
}

pub(crate) use decode_code;
