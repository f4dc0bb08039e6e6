//! A candidate's dossier, an admission and a badge award, from submitted text. The field names
//! are the same in the JSON API and the forms, and the same as in the access layer's refusals
//! (`introducers`, `cell_votes_for`, `ceremony_on`, `years`…), so every error names a field the
//! caller sent.

use crate::input::{DateStyle, Fields, Flag, blank, loose};
use chibo_access::domain::life::{CandidateInput, Decision, IntroducerInput};
use chibo_access::domain::member::Gender;
use chibo_access::{AdmissionInput, AwardInput, FieldError, Validation};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

/// The version the editor read; a missing or garbled one is named.
fn version(v: &Option<String>) -> Result<i64, Validation> {
    blank(v).and_then(|v| v.parse().ok()).ok_or_else(|| Validation {
        errors: vec![FieldError::required("version", "Phiên bản hồ sơ", "Record version")],
    })
}

/// A body that carries only the version the editor read (withdrawing a case).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct VersionFields {
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub version: Option<String>,
}

impl VersionFields {
    pub fn parse(&self) -> Result<i64, Validation> {
        version(&self.version)
    }
}

/// One introducer as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct IntroducerFields {
    pub member_id: Option<String>,
    pub known_since: Option<String>,
}

/// A candidate and their dossier as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct CandidateFields {
    pub org_id: Option<String>,
    pub family_name: Option<String>,
    pub middle_name: Option<String>,
    pub given_name: Option<String>,
    pub birth_date: Option<String>,
    pub gender: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub ethnicity_code: Option<String>,
    pub citizen_id: Option<String>,
    pub course_certificate_on: Option<String>,
    pub application_on: Option<String>,
    pub introducers: Vec<IntroducerFields>,
    pub youth_union_resolution_on: Option<String>,
    pub cell_resolution_on: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub cell_votes_for: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub cell_vote_base: Option<String>,
    pub base_resolution_on: Option<String>,
    pub decision_on: Option<String>,
    #[schema(schema_with = crate::input::flag_schema)]
    pub age_exception_approved: Flag,
    /// The version the editor read (edits only).
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub version: Option<String>,
}

impl CandidateFields {
    /// The dossier, every error of the text at once (the rules are checked by the access layer).
    pub fn parse(&self, style: DateStyle) -> Result<CandidateInput, Validation> {
        let mut f = Fields::new(style);
        let mut introducers = Vec::new();
        // Blank rows (the form has room for more introducers than needed) are no introducer.
        let rows = self.introducers.iter().filter(|p| blank(&p.member_id).is_some() || blank(&p.known_since).is_some());
        for (i, p) in rows.enumerate() {
            let (vi, en) = (format!("Người giới thiệu thứ {}", i + 1), format!("Introducer {}", i + 1));
            let member_id = f.uuid("introducers", &vi, &en, &p.member_id);
            let known_since = f.date("introducers", &vi, &en, &p.known_since);
            if let Some(member_id) = member_id {
                introducers.push(IntroducerInput { member_id, known_since });
            }
        }
        let input = CandidateInput {
            org_id: f.uuid("org_id", "Chi bộ", "Cell", &self.org_id).unwrap_or(Uuid::nil()),
            family_name: self.family_name.clone().unwrap_or_default(),
            middle_name: self.middle_name.clone().unwrap_or_default(),
            given_name: self.given_name.clone().unwrap_or_default(),
            birth_date: f.required_date("birth_date", "Ngày sinh", "Birth date", &self.birth_date),
            gender: f.choice("gender", "Giới tính", "Gender", &self.gender, Gender::parse).unwrap_or(Gender::Male),
            ethnicity_code: f.ethnicity(&self.ethnicity_code),
            citizen_id: blank(&self.citizen_id).map(str::to_string),
            course_certificate_on: f.date(
                "course_certificate_on",
                "Giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng",
                "Course certificate",
                &self.course_certificate_on,
            ),
            application_on: f.required_date("application_on", "Ngày làm đơn", "Application date", &self.application_on),
            introducers,
            youth_union_resolution_on: f.date(
                "youth_union_resolution_on",
                "Nghị quyết giới thiệu của Đoàn",
                "Youth Union resolution",
                &self.youth_union_resolution_on,
            ),
            cell_resolution_on: f.date(
                "cell_resolution_on",
                "Nghị quyết của chi bộ",
                "Cell resolution",
                &self.cell_resolution_on,
            ),
            cell_votes_for: f.count("cell_votes_for", "Số phiếu tán thành", "Votes in favour", &self.cell_votes_for),
            cell_vote_base: f.count(
                "cell_vote_base",
                "Số đảng viên chính thức",
                "Official members",
                &self.cell_vote_base,
            ),
            base_resolution_on: f.date(
                "base_resolution_on",
                "Nghị quyết của đảng ủy cơ sở",
                "Base committee resolution",
                &self.base_resolution_on,
            ),
            decision_on: f.date("decision_on", "Ngày quyết định kết nạp", "Decision date", &self.decision_on),
            age_exception_approved: self.age_exception_approved.is_set(),
        };
        f.errors.finish(input)
    }

    pub fn version(&self) -> Result<i64, Validation> {
        version(&self.version)
    }

    /// The dossier and the version together, every error at once (edits).
    pub fn parse_edit(&self, style: DateStyle) -> Result<(CandidateInput, i64), Validation> {
        match (self.parse(style), self.version()) {
            (Ok(input), Ok(v)) => Ok((input, v)),
            (Err(mut a), Err(b)) => {
                a.errors.extend(b.errors);
                Err(a)
            }
            (Err(e), _) | (_, Err(e)) => Err(e),
        }
    }
}

/// The admission decision and ceremony as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct AdmissionFields {
    pub ceremony_on: Option<String>,
    pub decision_number: Option<String>,
    pub decision_body: Option<String>,
    pub decision_signed_on: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub version: Option<String>,
}

impl AdmissionFields {
    pub fn parse(&self, style: DateStyle) -> Result<AdmissionInput, Validation> {
        let mut f = Fields::new(style);
        let ceremony_on = f.required_date("ceremony_on", "Ngày lễ kết nạp", "Ceremony date", &self.ceremony_on);
        let signed_on =
            f.required_date("decision_signed_on", "Ngày ký quyết định", "Decision signed on", &self.decision_signed_on);
        let version = version(&self.version).map_err(|v| f.errors.errors.extend(v.errors)).unwrap_or_default();
        let input = AdmissionInput {
            ceremony_on,
            decision: Decision {
                number: blank(&self.decision_number).map(str::to_string),
                body: blank(&self.decision_body).map(str::to_string),
                signed_on: Some(signed_on),
            },
            version,
        };
        f.errors.finish(input)
    }
}

/// A badge awarded, as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct AwardFields {
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub years: Option<String>,
    pub award_on: Option<String>,
    pub decision_number: Option<String>,
    #[schema(schema_with = crate::input::flag_schema)]
    pub ill: Flag,
}

impl AwardFields {
    pub fn parse(&self, style: DateStyle) -> Result<AwardInput, Validation> {
        let mut f = Fields::new(style);
        let years = match blank(&self.years) {
            None => {
                f.errors.push(FieldError::required("years", "Huy hiệu (số năm tuổi Đảng)", "Badge (years)"));
                None
            }
            Some(_) => f.int("years", "Huy hiệu (số năm tuổi Đảng)", "Badge (years)", &self.years),
        };
        let award_on = f.required_date("award_on", "Ngày trao", "Award date", &self.award_on);
        let input = AwardInput {
            years: years.unwrap_or_default(),
            award_on,
            decision_number: blank(&self.decision_number).map(str::to_string),
            ill: self.ill.is_set(),
        };
        f.errors.finish(input)
    }
}

/// An award date from a query (yyyy-mm-dd or dd/mm/yyyy); `default` when absent.
pub fn award_date(raw: &Option<String>, default: Date) -> Result<Date, Validation> {
    let mut f = Fields::new(DateStyle::Vietnamese);
    let d = f.date("award_on", "Ngày trao", "Award date", raw);
    f.errors.finish(d.unwrap_or(default))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn candidates_name_their_bad_fields_and_skip_blank_introducers() {
        let f: CandidateFields = serde_json::from_value(json!({
            "org_id": "nope", "birth_date": "2001-13-01", "gender": "x", "ethnicity_code": 3,
            "application_on": "2025-04-01", "cell_votes_for": -2, "cell_vote_base": 3,
            "introducers": [{"member_id": "bad", "known_since": "2023-01-01"}, {"member_id": "", "known_since": ""}],
        }))
        .unwrap();
        let err = f.parse(DateStyle::Iso).unwrap_err();
        for field in ["org_id", "birth_date", "gender", "cell_votes_for", "introducers"] {
            assert!(err.has(field), "{field}: {err:?}");
        }
        assert!(!err.has("ethnicity_code") && !err.has("cell_vote_base") && !err.has("application_on"));
        let ok: CandidateFields = serde_json::from_value(json!({
            "org_id": Uuid::nil(), "family_name": "Lò", "given_name": "Xuân", "birth_date": "19/08/2001",
            "gender": "female", "ethnicity_code": "3", "application_on": "01/04/2025",
            "introducers": [{"member_id": Uuid::from_u128(1), "known_since": "01/01/2023"}, {}],
            "cell_votes_for": "3", "cell_vote_base": 3, "version": 4,
        }))
        .unwrap();
        let (c, v) = ok.parse_edit(DateStyle::Vietnamese).unwrap();
        assert_eq!((c.introducers.len(), c.cell_votes_for, c.cell_vote_base, v), (1, Some(3), Some(3), 4));
    }

    #[test]
    fn admissions_and_awards_need_their_dates() {
        let err = AdmissionFields::default().parse(DateStyle::Iso).unwrap_err();
        for field in ["ceremony_on", "decision_signed_on", "version"] {
            assert!(err.has(field), "{field}: {err:?}");
        }
        let err = AwardFields { years: Some("ba mươi".into()), ..AwardFields::default() }.parse(DateStyle::Iso);
        let err = err.unwrap_err();
        assert!(err.has("years") && err.has("award_on"), "{err:?}");
        let a: AwardFields =
            serde_json::from_value(json!({"years": 30, "award_on": "2025-11-07", "ill": true})).unwrap();
        let a = a.parse(DateStyle::Iso).unwrap();
        assert_eq!((a.years, a.ill), (30, true));
        assert!(award_date(&Some("31/02/2025".into()), Date::MIN).is_err());
    }
}
