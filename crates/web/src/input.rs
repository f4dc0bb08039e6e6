//! Turning submitted text into domain inputs, with an error per bad field. Shared by the
//! JSON API (ISO dates) and the HTML forms (dd/mm/yyyy).

use chibo_access::domain::date;
use chibo_access::domain::member::{Gender, MemberInput, MemberProfile, MemberStatus, TheoryLevel};
use chibo_access::domain::org::{Locality, OrgInput, OrgKind};
use chibo_access::{FieldError, Validation};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

/// How dates are written in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    /// `yyyy-mm-dd` (the API).
    Iso,
    /// `dd/mm/yyyy`, also ISO (the forms).
    Vietnamese,
}

/// A parser that collects field errors.
pub struct Fields {
    pub errors: Validation,
    style: DateStyle,
}

pub(crate) fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl Fields {
    pub fn new(style: DateStyle) -> Fields {
        Fields { errors: Validation::default(), style }
    }

    fn bad(&mut self, field: &str, code: &'static str, vi: String, en: String) {
        self.errors.push(FieldError::new(field, code, vi, en));
    }

    pub fn date(&mut self, field: &str, vi: &str, en: &str, v: &Option<String>) -> Option<Date> {
        let s = blank(v)?;
        let parsed = match self.style {
            DateStyle::Iso => date::parse_iso(s).ok_or(date::DateError::Format),
            DateStyle::Vietnamese => date::parse_typed(s),
        };
        match (&parsed, self.style) {
            (Ok(_), _) => {}
            (Err(_), DateStyle::Iso) => self.bad(
                field,
                "invalid_date",
                format!("{vi}: ngày không hợp lệ, nhập theo dạng yyyy-mm-dd."),
                format!("{en}: not a valid date, use yyyy-mm-dd."),
            ),
            (Err(e), DateStyle::Vietnamese) => self.bad(
                field,
                "invalid_date",
                format!("{vi}: {}.", e.message(chibo_access::Lang::Vi)),
                format!("{en}: {}.", e.message(chibo_access::Lang::En)),
            ),
        }
        parsed.ok()
    }

    /// The required ethnic group code (1, Kinh, stands in when it is missing or bad: the error
    /// is recorded).
    pub fn ethnicity(&mut self, v: &Option<String>) -> i32 {
        if blank(v).is_none() {
            self.errors.push(FieldError::required("ethnicity_code", "Dân tộc", "Ethnicity"));
            return 1;
        }
        self.int("ethnicity_code", "Dân tộc", "Ethnicity", v).unwrap_or(1)
    }

    pub fn required_date(&mut self, field: &str, vi: &str, en: &str, v: &Option<String>) -> Date {
        match (blank(v), self.date(field, vi, en, v)) {
            (_, Some(d)) => d,
            (None, None) => {
                self.errors.push(FieldError::required(field, vi, en));
                Date::MIN
            }
            (Some(_), None) => Date::MIN,
        }
    }

    pub fn choice<T>(
        &mut self,
        field: &str,
        vi: &str,
        en: &str,
        v: &Option<String>,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let Some(s) = blank(v) else {
            self.errors.push(FieldError::required(field, vi, en));
            return None;
        };
        let parsed = parse(s);
        if parsed.is_none() {
            self.bad(
                field,
                "invalid_choice",
                format!("{vi}: giá trị không hợp lệ."),
                format!("{en}: not a valid choice."),
            );
        }
        parsed
    }

    pub fn int(&mut self, field: &str, vi: &str, en: &str, v: &Option<String>) -> Option<i32> {
        let s = blank(v)?;
        let parsed = s.parse().ok();
        if parsed.is_none() {
            self.bad(field, "invalid_number", format!("{vi}: phải là một số."), format!("{en}: must be a number."));
        }
        parsed
    }

    /// A choice that may be left blank; a value that is not a choice is an error.
    pub fn optional_choice<T>(
        &mut self,
        field: &str,
        vi: &str,
        en: &str,
        v: &Option<String>,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        blank(v)?;
        self.choice(field, vi, en, v, parse)
    }

    /// An id that may be left blank.
    pub fn optional_uuid(&mut self, field: &str, vi: &str, en: &str, v: &Option<String>) -> Option<Uuid> {
        blank(v)?;
        self.uuid(field, vi, en, v)
    }

    /// A count (a whole number from 0).
    pub fn count(&mut self, field: &str, vi: &str, en: &str, v: &Option<String>) -> Option<u32> {
        let s = blank(v)?;
        let parsed = s.parse().ok();
        if parsed.is_none() {
            self.bad(
                field,
                "invalid_number",
                format!("{vi}: phải là số nguyên không âm."),
                format!("{en}: must be a whole number from 0."),
            );
        }
        parsed
    }

    pub fn uuid(&mut self, field: &str, vi: &str, en: &str, v: &Option<String>) -> Option<Uuid> {
        let Some(s) = blank(v) else {
            self.errors.push(FieldError::required(field, vi, en));
            return None;
        };
        let parsed = Uuid::parse_str(s).ok();
        if parsed.is_none() {
            self.bad(field, "invalid_id", format!("{vi}: mã không hợp lệ."), format!("{en}: not a valid id."));
        }
        parsed
    }
}

/// A value sent as JSON text, number or boolean, kept as its text (forms send text only).
pub(crate) fn loose<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        Some(serde_json::Value::String(s)) => Some(s),
        Some(v @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) => Some(v.to_string()),
        _ => None,
    })
}

/// Checkbox or JSON boolean as text: "true", "on", "1", "yes".
pub fn truthy(v: &Option<String>) -> bool {
    matches!(blank(v), Some("true" | "on" | "1" | "yes"))
}

/// The schema of a value sent as JSON text or number (a form sends text).
pub fn text_or_number() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
    OneOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::String))
        .item(ObjectBuilder::new().schema_type(Type::Number))
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .build()
        .into()
}

/// The schema of a [`Flag`]: a JSON boolean, or text (`true`, `on`, `1`, `yes`).
pub fn flag_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
    OneOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::Boolean))
        .item(ObjectBuilder::new().schema_type(Type::String))
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .build()
        .into()
}

/// A boolean that arrives as JSON `true` or as form text.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Flag {
    Bool(bool),
    Text(String),
    #[default]
    Missing,
}

impl Flag {
    pub fn is_set(&self) -> bool {
        match self {
            Flag::Bool(b) => *b,
            Flag::Text(t) => truthy(&Some(t.clone())),
            Flag::Missing => false,
        }
    }
}

/// The fields of an organisation, as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct OrgFields {
    pub parent_id: Option<String>,
    pub name: Option<String>,
    pub short_name: Option<String>,
    pub kind: Option<String>,
    pub province_code: Option<String>,
    pub commune_code: Option<String>,
    pub village: Option<String>,
    pub established_on: Option<String>,
    pub dissolved_on: Option<String>,
    #[schema(schema_with = crate::input::flag_schema)]
    #[serde(default)]
    pub has_cell_committee: Flag,
}

impl OrgFields {
    pub fn parse(&self, style: DateStyle) -> Result<OrgInput, Validation> {
        let mut f = Fields::new(style);
        let kind = f.choice("kind", "Loại tổ chức", "Kind", &self.kind, OrgKind::parse);
        let input = OrgInput {
            name: self.name.clone().unwrap_or_default(),
            short_name: blank(&self.short_name).map(str::to_string),
            kind: kind.unwrap_or(OrgKind::PartyGroup),
            locality: Locality {
                province_code: f.int("province_code", "Tỉnh/thành phố", "Province", &self.province_code),
                commune_code: f.int("commune_code", "Xã/phường", "Commune", &self.commune_code),
                village: blank(&self.village).map(str::to_string),
            },
            established_on: f.date("established_on", "Ngày thành lập", "Established on", &self.established_on),
            dissolved_on: f.date("dissolved_on", "Ngày giải thể", "Dissolved on", &self.dissolved_on),
            has_cell_committee: self.has_cell_committee.is_set(),
        };
        if input.name.trim().is_empty() {
            f.errors.push(FieldError::required("name", "Tên tổ chức", "Name"));
        }
        f.errors.finish(input)
    }
}

/// The fields of a member record, as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct MemberFields {
    pub org_id: Option<String>,
    pub family_name: Option<String>,
    pub middle_name: Option<String>,
    pub given_name: Option<String>,
    pub birth_date: Option<String>,
    pub gender: Option<String>,
    pub ethnicity_code: Option<String>,
    /// The descriptive fields, as typed (blanks are dropped when the record is read).
    #[serde(flatten)]
    pub profile: MemberProfile,
    pub theory_level: Option<String>,
    pub admission_date: Option<String>,
    pub official_date: Option<String>,
    pub status: Option<String>,
    #[schema(schema_with = crate::input::flag_schema)]
    #[serde(default)]
    pub age_exception_approved: Flag,
    /// The version the editor read (edits only).
    pub version: Option<String>,
}

impl MemberFields {
    /// The record, checked as of `today`.
    pub fn parse(&self, style: DateStyle, today: time::Date) -> Result<MemberInput, Validation> {
        let mut f = Fields::new(style);
        let input = MemberInput {
            family_name: self.family_name.clone().unwrap_or_default(),
            middle_name: self.middle_name.clone().unwrap_or_default(),
            given_name: self.given_name.clone().unwrap_or_default(),
            birth_date: f.required_date("birth_date", "Ngày sinh", "Birth date", &self.birth_date),
            gender: f.choice("gender", "Giới tính", "Gender", &self.gender, Gender::parse).unwrap_or(Gender::Male),
            ethnicity_code: f.ethnicity(&self.ethnicity_code),
            profile: {
                let mut p = self.profile.clone();
                p.normalize();
                p
            },
            theory_level: blank(&self.theory_level).map_or(Some(TheoryLevel::None), TheoryLevel::parse).unwrap_or_else(
                || {
                    f.errors.push(FieldError::new(
                        "theory_level",
                        "invalid_choice",
                        "Lý luận chính trị: giá trị không hợp lệ.",
                        "Political theory: not a valid choice.",
                    ));
                    TheoryLevel::None
                },
            ),
            admission_date: f.required_date("admission_date", "Ngày vào Đảng", "Admission date", &self.admission_date),
            official_date: f.date("official_date", "Ngày chính thức", "Official date", &self.official_date),
            status: f
                .choice("status", "Tình trạng", "Status", &self.status, MemberStatus::parse)
                .unwrap_or(MemberStatus::Probationary),
            age_exception_approved: self.age_exception_approved.is_set(),
            org_id: f.uuid("org_id", "Chi bộ", "Cell", &self.org_id).unwrap_or(Uuid::nil()),
        };
        if !f.errors.is_ok() {
            add_domain_errors(&mut f.errors, &input, today);
        }
        f.errors.finish(input)
    }

    pub fn version(&self) -> Result<i64, Validation> {
        blank(&self.version).and_then(|v| v.parse().ok()).ok_or_else(|| Validation {
            errors: vec![FieldError::required("version", "Phiên bản hồ sơ", "Record version")],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_follow_the_style() {
        let mut f = Fields::new(DateStyle::Vietnamese);
        assert_eq!(f.date("d", "Ngày", "Date", &Some("15/03/2024".into())), date::ymd(2024, 3, 15));
        assert_eq!(f.date("d", "Ngày", "Date", &Some("15032024".into())), date::ymd(2024, 3, 15));
        assert_eq!(f.date("d", "Ngày", "Date", &Some("31/02/2024".into())), None);
        assert_eq!(f.errors.errors[0].message_vi, "Ngày: tháng 2 không có ngày 31.");
        let mut f = Fields::new(DateStyle::Iso);
        assert_eq!(f.date("d", "Ngày", "Date", &Some("15/03/2024".into())), None);
        assert_eq!(f.errors.errors[0].field, "d");
        assert!(f.errors.errors[0].message_vi.contains("yyyy-mm-dd"));
    }

    #[test]
    fn one_round_shows_parse_and_domain_errors() {
        let f = MemberFields {
            family_name: Some("Nguyễn".into()),
            given_name: Some("".into()),
            birth_date: Some("20/05/1990".into()),
            gender: Some("female".into()),
            ethnicity_code: Some("1".into()),
            profile: MemberProfile { citizen_id: Some("001090001234".into()), ..Default::default() },
            admission_date: Some("not a date".into()),
            status: Some("official".into()),
            org_id: Some(Uuid::nil().to_string()),
            ..MemberFields::default()
        };
        let err = f.parse(DateStyle::Vietnamese, time::macros::date!(2026 - 12 - 04)).unwrap_err();
        assert!(err.has("admission_date"), "{err:?}");
        // Domain checks of the fields that did parse, in the same round.
        assert!(err.has("given_name"), "{err:?}");
        assert_eq!(err.for_field("citizen_id").map(|e| e.code), Some("cccd_gender"));
        // No judgement of the placeholder admission date.
        assert!(!err.has("official_date"), "{err:?}");
    }

    #[test]
    fn missing_member_fields_are_named() {
        let err = MemberFields::default().parse(DateStyle::Iso, time::macros::date!(2026 - 12 - 04)).unwrap_err();
        for field in ["birth_date", "gender", "ethnicity_code", "admission_date", "status", "org_id"] {
            assert!(err.has(field), "{field}");
        }
    }
}

/// When some fields did not parse, also report what the domain finds in the others, so one
/// round of corrections shows every problem. Checks that depend on an unparsed field are
/// left out (they would judge a placeholder).
fn add_domain_errors(errors: &mut Validation, input: &MemberInput, today: time::Date) {
    let failed = |f: &str| errors.has(f);
    let mut tainted: Vec<&str> = Vec::new();
    if failed("birth_date") {
        tainted.extend(["admission_date", "citizen_id", "birth_date"]);
    }
    if failed("gender") {
        tainted.push("citizen_id");
    }
    if failed("admission_date") || failed("status") {
        tainted.extend(["official_date", "admission_date"]);
    }
    if failed("ethnicity_code") {
        tainted.push("ethnicity_code");
    }
    let mut partial = input.clone();
    partial.normalize();
    let extra: Vec<FieldError> = partial
        .validate(today)
        .errors
        .into_iter()
        .filter(|e| !errors.has(&e.field) && !tainted.contains(&e.field.as_str()))
        .collect();
    errors.errors.extend(extra);
}

/// A page cursor as an opaque, URL-safe text: hex of the sort key, a dot, the id.
pub fn encode_cursor(c: &chibo_access::Cursor) -> String {
    let hex: String = c.sort_key.bytes().map(|b| format!("{b:02x}")).collect();
    format!("{hex}.{}", c.id.simple())
}

/// The cursor from [`encode_cursor`]; anything else is `None` (the first page).
pub fn decode_cursor(s: &str) -> Option<chibo_access::Cursor> {
    let (hex, id) = s.trim().split_once('.')?;
    if !hex.len().is_multiple_of(2) || hex.len() > 2000 {
        return None;
    }
    let bytes: Option<Vec<u8>> =
        (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect();
    let sort_key = String::from_utf8(bytes?).ok()?;
    Some(chibo_access::Cursor { sort_key, id: Uuid::parse_str(id).ok()? })
}

#[cfg(test)]
mod cursor_tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_junk() {
        let c = chibo_access::Cursor { sort_key: "LAR!0 X#Y!10 ".into(), id: Uuid::from_u128(42) };
        assert_eq!(decode_cursor(&encode_cursor(&c)), Some(c));
        for junk in ["", ".", "zz.1", "4.", "41.not-a-uuid", "ff.00000000000000000000000000000000"] {
            assert!(decode_cursor(junk).is_none(), "{junk}");
        }
    }
}

/// A page offset: a whole number from 0, else an error naming `offset`.
pub fn offset_of(s: Option<&str>) -> Result<i64, chibo_access::Problem> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(0),
        Some(s) => s.parse::<i64>().ok().filter(|n| (0..=10_000_000).contains(n)).ok_or_else(|| {
            chibo_access::Problem::field(
                "offset",
                "bad_offset",
                "Vị trí: phải là một số nguyên không âm.",
                "Offset: must be a whole number, 0 or more.",
            )
        }),
    }
}

/// A free text as typed (absent: empty).
pub(crate) fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

/// The progress of a follow-up, as text: done on a date (blank: not done), with a note — an item
/// of a review's self-improvement plan, an inspection's recommendation.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct DoneFields {
    pub done_on: Option<String>,
    pub note: Option<String>,
}

impl DoneFields {
    pub fn parse(&self, style: DateStyle) -> Result<(Option<Date>, String), Validation> {
        let mut f = Fields::new(style);
        let done = f.date("done_on", "Ngày hoàn thành", "Date done", &self.done_on);
        f.errors.finish((done, self.note.clone().unwrap_or_default()))
    }
}
