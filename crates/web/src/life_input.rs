//! Events of a member's life and dated restructuring decisions, from submitted text. The field
//! names are the same in the JSON API and the forms, and the same as in the access layer's
//! refusals (`effective`, `ground`, `votes_for`…), so every error names a field the caller sent.

use crate::input::{DateStyle, Fields, Flag, OrgFields, blank};
use chibo_access::domain::life::{Decision, Detail, DisciplineForm, EventKind, StrikeOffGround};
use chibo_access::{Dated, EventInput, FieldError, SplitPart, Validation};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Text, or a JSON number taken as its text (vote counts arrive either way).
fn text_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Int(i64),
        Float(f64),
    }
    Ok(Option::<Raw>::deserialize(d)?.map(|r| match r {
        Raw::Text(s) => s,
        Raw::Int(i) => i.to_string(),
        Raw::Float(f) => f.to_string(),
    }))
}

/// When a decision takes effect and the decision itself.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct DatedFields {
    pub effective: Option<String>,
    pub decision_number: Option<String>,
    pub decision_body: Option<String>,
    pub decision_signed_on: Option<String>,
}

impl DatedFields {
    fn decision(&self, f: &mut Fields) -> Decision {
        let text = |v: &Option<String>| blank(v).map(str::to_string);
        Decision {
            number: text(&self.decision_number),
            body: text(&self.decision_body),
            signed_on: f.date(
                "decision_signed_on",
                "Ngày ký quyết định",
                "Decision signed on",
                &self.decision_signed_on,
            ),
        }
    }

    fn effective(&self, f: &mut Fields) -> time::Date {
        f.required_date("effective", "Ngày hiệu lực", "Effective date", &self.effective)
    }

    /// The date and decision; a blank date is `blank_is` when given (a plain move: today).
    pub fn dated_in(&self, f: &mut Fields, blank_is: Option<time::Date>) -> Dated {
        let effective = match blank_is {
            Some(day) if blank(&self.effective).is_none() => day,
            _ => self.effective(f),
        };
        Dated { effective, decision: self.decision(f) }
    }

    pub fn parse(&self, style: DateStyle, blank_is: Option<time::Date>) -> Result<Dated, Validation> {
        let mut f = Fields::new(style);
        let d = self.dated_in(&mut f, blank_is);
        f.errors.finish(d)
    }
}

/// An event as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct EventFields {
    pub kind: Option<String>,
    #[serde(flatten)]
    pub dated: DatedFields,
    pub org_id: Option<String>,
    pub ref_id: Option<String>,
    pub reason: Option<String>,
    pub ground: Option<String>,
    pub form: Option<String>,
    pub place: Option<String>,
    pub until: Option<String>,
    #[serde(deserialize_with = "text_or_number")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub votes_for: Option<String>,
    #[serde(deserialize_with = "text_or_number")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub vote_base: Option<String>,
}

impl EventFields {
    pub fn parse(&self, style: DateStyle) -> Result<EventInput, Validation> {
        let mut f = Fields::new(style);
        let text = |v: &Option<String>| blank(v).map(str::to_string);
        let kind = f.choice("kind", "Loại sự kiện", "Kind of event", &self.kind, EventKind::parse);
        let effective = self.dated.effective(&mut f);
        let decision = self.dated.decision(&mut f);
        let detail = Detail {
            reason: text(&self.reason),
            ground: f.optional_choice("ground", "Căn cứ xóa tên", "Ground", &self.ground, StrikeOffGround::parse),
            form: f.optional_choice("form", "Hình thức kỷ luật", "Discipline form", &self.form, DisciplineForm::parse),
            place: text(&self.place),
            until: f.date("until", "Đến ngày", "Until", &self.until),
            votes_for: f.count("votes_for", "Số phiếu tán thành", "Votes in favour", &self.votes_for),
            vote_base: f.count("vote_base", "Số đảng viên chính thức", "Official members", &self.vote_base),
        };
        let input = EventInput {
            kind: kind.unwrap_or(EventKind::Voided),
            effective,
            org_id: f.optional_uuid("org_id", "Tổ chức", "Organisation", &self.org_id),
            ref_id: f.optional_uuid("ref_id", "Sự kiện liên quan", "Referenced event", &self.ref_id),
            decision,
            detail,
        };
        f.errors.finish(input)
    }
}

/// A new name from a date.
#[derive(Debug, Clone, Deserialize, Serialize, Default, ToSchema)]
#[serde(default)]
pub struct RenameFields {
    pub name: Option<String>,
    #[serde(flatten)]
    pub dated: DatedFields,
}

impl RenameFields {
    /// The new name and the decision, every error at once (shared with the form).
    pub fn parse(&self, style: DateStyle) -> Result<(String, Dated), Validation> {
        let mut f = Fields::new(style);
        let d = self.dated.dated_in(&mut f, None);
        let name = self.name.as_deref().map(str::trim).unwrap_or_default().to_string();
        if name.is_empty() {
            f.errors.push(FieldError::required("name", "Tên mới", "New name"));
        }
        f.errors.finish((name, d))
    }
}

/// Parse a list of ids; a bad one is an error on `field`.
fn ids(f: &mut Fields, field: &str, raw: &[String]) -> Vec<Uuid> {
    let mut out = Vec::new();
    for r in raw.iter().map(|r| r.trim()).filter(|r| !r.is_empty()) {
        match Uuid::parse_str(r) {
            Ok(id) => out.push(id),
            Err(_) => f.errors.push(FieldError::new(
                field,
                "invalid_id",
                format!("Mã không hợp lệ: {r}."),
                format!("Not a valid id: {r}."),
            )),
        }
    }
    out
}

/// Organisations merged into another.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct MergeFields {
    pub sources: Vec<String>,
    #[serde(flatten)]
    pub dated: DatedFields,
}

impl MergeFields {
    pub fn parse(&self, style: DateStyle) -> Result<(Vec<Uuid>, Dated), Validation> {
        let mut f = Fields::new(style);
        let sources = ids(&mut f, "sources", &self.sources);
        if sources.is_empty() && !f.errors.has("sources") {
            f.errors.push(FieldError::required("sources", "Các tổ chức hợp nhất vào", "Organisations merged in"));
        }
        let d = self.dated.dated_in(&mut f, None);
        f.errors.finish((sources, d))
    }
}

/// One new organisation of a split.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct SplitPartFields {
    #[serde(flatten)]
    pub org: OrgFields,
    pub member_ids: Vec<String>,
}

/// A split: the new organisations and whether the source is dissolved.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct SplitFields {
    pub parts: Vec<SplitPartFields>,
    #[schema(schema_with = crate::input::flag_schema)]
    pub dissolve_source: Flag,
    #[serde(flatten)]
    pub dated: DatedFields,
}

impl SplitFields {
    pub fn parse(&self, style: DateStyle) -> Result<(Vec<SplitPart>, bool, Dated), Validation> {
        let mut f = Fields::new(style);
        let mut parts = Vec::new();
        for (i, p) in self.parts.iter().enumerate() {
            let member_ids = ids(&mut f, &format!("parts[{i}].member_ids"), &p.member_ids);
            match p.org.parse(style) {
                Ok(input) => parts.push(SplitPart { input, member_ids }),
                Err(v) => {
                    for e in v.errors {
                        f.errors.push(FieldError { field: format!("parts[{i}].{}", e.field), ..e });
                    }
                }
            }
        }
        if self.parts.is_empty() {
            f.errors.push(FieldError::required("parts", "Các tổ chức mới", "New organisations"));
        }
        let d = self.dated.dated_in(&mut f, None);
        f.errors.finish((parts, self.dissolve_source.is_set(), d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_name_their_bad_fields() {
        let f: EventFields = serde_json::from_value(serde_json::json!({
            "kind": "nonsense", "effective": "2025-13-01", "votes_for": -1, "vote_base": 7, "ground": "x"
        }))
        .unwrap();
        let err = f.parse(DateStyle::Iso).unwrap_err();
        for field in ["kind", "effective", "votes_for", "ground"] {
            assert!(err.has(field), "{field}: {err:?}");
        }
        assert!(!err.has("vote_base"));
        let ok: EventFields = serde_json::from_value(serde_json::json!({
            "kind": "recognized", "effective": "15/03/2025", "votes_for": "5", "vote_base": 6,
            "decision_number": "12-QĐ/ĐU", "decision_signed_on": "20/04/2025"
        }))
        .unwrap();
        let e = ok.parse(DateStyle::Vietnamese).unwrap();
        assert_eq!((e.kind, e.detail.votes_for, e.detail.vote_base), (EventKind::Recognized, Some(5), Some(6)));
        assert_eq!(e.decision.number.as_deref(), Some("12-QĐ/ĐU"));
        assert!(e.decision.signed_on.is_some());
    }

    #[test]
    fn splits_prefix_the_part() {
        let s: SplitFields = serde_json::from_value(serde_json::json!({
            "effective": "2025-08-01",
            "parts": [{"name": "", "kind": "subordinate_cell", "member_ids": ["nope"]}]
        }))
        .unwrap();
        let err = s.parse(DateStyle::Iso).unwrap_err();
        assert!(err.has("parts[0].name") && err.has("parts[0].member_ids"), "{err:?}");
        let m = MergeFields::default().parse(DateStyle::Iso).unwrap_err();
        assert!(m.has("sources") && m.has("effective"), "{m:?}");
    }
}
