//! A date of the record that is never after today and never before the fact it follows (an
//! inspection case's step, the discipline's proposal and decision, an appeal's answer; an
//! organisation's date of establishment). One check with the dates in its message.

use crate::FieldError;
use crate::date::format_vn;
use time::Date;

/// The fact a date follows: its date, the error's code and its name in both languages
/// (`"ngày kết luận"`, `"the conclusion"`).
#[derive(Debug, Clone)]
pub struct After {
    pub on: Date,
    pub code: &'static str,
    pub vi: String,
    pub en: String,
}

impl After {
    pub fn new(on: Date, code: &'static str, vi: impl Into<String>, en: impl Into<String>) -> After {
        After { on, code, vi: vi.into(), en: en.into() }
    }
}

/// `on` (the field `field`, named `label` in Vietnamese and English) is not after `today` nor
/// before `after`: the field's error with the dates otherwise (`in_future`, or `after.code`).
pub fn check_dated(
    field: &str,
    label: (&str, &str),
    on: Date,
    today: Date,
    after: Option<&After>,
) -> Result<(), FieldError> {
    let (vi, en) = label;
    if on > today {
        return Err(FieldError::new(
            field,
            "in_future",
            format!("{vi}: {} là ngày sau hôm nay ({}).", format_vn(on), format_vn(today)),
            format!("{en}: {} is after today ({}).", format_vn(on), format_vn(today)),
        ));
    }
    match after {
        Some(a) if on < a.on => Err(FieldError::new(
            field,
            a.code,
            format!("{vi}: {} trước {} ({}).", format_vn(on), a.vi, format_vn(a.on)),
            format!("{en}: {} is before {} ({}).", format_vn(on), a.en, format_vn(a.on)),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 04);

    fn code(r: Result<(), FieldError>) -> Option<String> {
        r.err().map(|e| e.code.to_string())
    }

    #[test]
    fn future_and_before_are_refused_with_their_codes() {
        let after = After::new(date!(2026 - 11 - 10), "before_conclusion", "ngày kết luận", "the conclusion");
        let label = ("Ngày đề nghị", "Proposed on");
        assert_eq!(
            code(check_dated("on", label, date!(2026 - 12 - 05), TODAY, Some(&after))).as_deref(),
            Some("in_future")
        );
        assert_eq!(
            code(check_dated("on", label, date!(2026 - 11 - 09), TODAY, Some(&after))).as_deref(),
            Some("before_conclusion")
        );
        assert_eq!(code(check_dated("on", label, date!(2026 - 11 - 10), TODAY, Some(&after))), None);
        assert_eq!(code(check_dated("on", label, TODAY, TODAY, None)), None);
        let e = check_dated("on", label, date!(2026 - 11 - 09), TODAY, Some(&after)).unwrap_err();
        assert!(e.message_vi.contains("09/11/2026") && e.message_vi.contains("10/11/2026"), "{}", e.message_vi);
    }
}
