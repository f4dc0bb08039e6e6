//! A candidate for admission (*quần chúng ưu tú*) as entered: the person, and the dated steps
//! of the dossier. The checks are those of [`admission::check`] plus the personal fields of
//! the member record the admission will create.

use super::admission::{self, CandidateDossier, Introducer};
use crate::error::{FieldError, Validation};
use crate::member::{Gender, MemberInput, MemberStatus, TheoryLevel};
use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

/// An introducer as entered: who, and since when they have known the applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntroducerInput {
    pub member_id: Uuid,
    #[serde(default)]
    pub known_since: Option<Date>,
}

/// A candidate and their dossier, as entered step by step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateInput {
    /// The cell proposing the candidate.
    pub org_id: Uuid,
    pub family_name: String,
    #[serde(default)]
    pub middle_name: String,
    pub given_name: String,
    pub birth_date: Date,
    pub gender: Gender,
    pub ethnicity_code: i32,
    #[serde(default)]
    pub citizen_id: Option<String>,
    #[serde(default)]
    pub course_certificate_on: Option<Date>,
    pub application_on: Date,
    #[serde(default)]
    pub introducers: Vec<IntroducerInput>,
    #[serde(default)]
    pub youth_union_resolution_on: Option<Date>,
    #[serde(default)]
    pub cell_resolution_on: Option<Date>,
    #[serde(default)]
    pub cell_votes_for: Option<u32>,
    #[serde(default)]
    pub cell_vote_base: Option<u32>,
    #[serde(default)]
    pub base_resolution_on: Option<Date>,
    #[serde(default)]
    pub decision_on: Option<Date>,
    #[serde(default)]
    pub age_exception_approved: bool,
}

/// Where a candidate's case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CandidateState {
    /// The dossier is being prepared.
    Open,
    /// Admitted: the member record exists.
    Admitted,
    /// The case was closed without admission.
    Withdrawn,
}

impl CandidateState {
    pub fn code(self) -> &'static str {
        match self {
            CandidateState::Open => "open",
            CandidateState::Admitted => "admitted",
            CandidateState::Withdrawn => "withdrawn",
        }
    }
    pub fn parse(s: &str) -> Option<CandidateState> {
        [CandidateState::Open, CandidateState::Admitted, CandidateState::Withdrawn].into_iter().find(|k| k.code() == s)
    }
}

/// The personal fields of the member record a candidate shares.
const PERSONAL_FIELDS: &[&str] =
    &["family_name", "middle_name", "given_name", "birth_date", "gender", "ethnicity_code", "citizen_id"];

impl CandidateInput {
    /// Names with single spaces, empty optional text as none.
    pub fn normalize(&mut self) {
        for s in [&mut self.family_name, &mut self.middle_name, &mut self.given_name] {
            *s = crate::text::normalize_name(s);
        }
        if let Some(id) = self.citizen_id.as_mut() {
            *id = id.trim().to_string();
        }
        if self.citizen_id.as_deref() == Some("") {
            self.citizen_id = None;
        }
    }

    /// The member record an admission on `admitted_on` creates (probationary, in the proposing
    /// cell); the other fields are completed on the member's page.
    pub fn member_input(&self, admitted_on: Date) -> MemberInput {
        MemberInput {
            family_name: self.family_name.clone(),
            middle_name: self.middle_name.clone(),
            given_name: self.given_name.clone(),
            birth_date: self.birth_date,
            gender: self.gender,
            ethnicity_code: self.ethnicity_code,
            profile: crate::profile::MemberProfile { citizen_id: self.citizen_id.clone(), ..Default::default() },
            theory_level: TheoryLevel::None,
            admission_date: admitted_on,
            official_date: None,
            status: MemberStatus::Probationary,
            age_exception_approved: self.age_exception_approved,
            org_id: self.org_id,
        }
    }

    /// The dossier for the rules, with each introducer's standing on the application date
    /// given by `official_on_application`.
    pub fn dossier(&self, official_on_application: impl Fn(Uuid) -> bool) -> CandidateDossier {
        CandidateDossier {
            birth_date: self.birth_date,
            course_certificate_on: self.course_certificate_on,
            application_on: self.application_on,
            introducers: self
                .introducers
                .iter()
                .map(|i| Introducer {
                    member_id: i.member_id,
                    official_on_introduction: official_on_application(i.member_id),
                    known_since: i.known_since,
                })
                .collect(),
            youth_union_resolution_on: self.youth_union_resolution_on,
            cell_resolution_on: self.cell_resolution_on,
            cell_votes_for: self.cell_votes_for,
            cell_vote_base: self.cell_vote_base,
            base_resolution_on: self.base_resolution_on,
            decision_on: self.decision_on,
            age_exception_approved: self.age_exception_approved,
        }
    }

    /// Every check as of `today`: the personal fields as the member record checks them, and
    /// the dossier under the rules in force on its dates. Errors name the field.
    pub fn validate(&self, official_on_application: impl Fn(Uuid) -> bool, today: Date) -> Validation {
        let personal = self.member_input(today).validate(today);
        let mut v = Validation {
            errors: personal.errors.into_iter().filter(|e| PERSONAL_FIELDS.contains(&e.field.as_str())).collect(),
        };
        for e in admission::check(&self.dossier(official_on_application), today).errors {
            // The age is checked once, on the date the cell considers the case.
            if !v.errors.iter().any(|x: &FieldError| x.field == e.field && x.code == e.code) {
                v.push(e);
            }
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::ymd;

    fn d(y: i32, m: u8, day: u8) -> Date {
        ymd(y, m, day).unwrap_or(Date::MIN)
    }

    fn candidate() -> CandidateInput {
        CandidateInput {
            org_id: Uuid::nil(),
            family_name: " Lò ".into(),
            middle_name: "Văn".into(),
            given_name: "Pá".into(),
            birth_date: d(2000, 5, 1),
            gender: Gender::Male,
            ethnicity_code: 3,
            citizen_id: Some(" ".into()),
            course_certificate_on: Some(d(2025, 3, 1)),
            application_on: d(2025, 4, 1),
            introducers: vec![
                IntroducerInput { member_id: Uuid::from_u128(1), known_since: Some(d(2023, 1, 1)) },
                IntroducerInput { member_id: Uuid::from_u128(2), known_since: Some(d(2022, 6, 1)) },
            ],
            youth_union_resolution_on: None,
            cell_resolution_on: Some(d(2025, 6, 2)),
            cell_votes_for: Some(8),
            cell_vote_base: Some(9),
            base_resolution_on: Some(d(2025, 6, 20)),
            decision_on: Some(d(2025, 7, 15)),
            age_exception_approved: false,
        }
    }

    #[test]
    fn a_complete_dossier_passes_and_becomes_a_probationary_record() {
        let mut c = candidate();
        c.normalize();
        assert_eq!(c.family_name, "Lò");
        assert_eq!(c.citizen_id, None);
        let v = c.validate(|_| true, d(2026, 1, 1));
        assert!(v.errors.is_empty(), "{:?}", v.errors);
        let m = c.member_input(d(2025, 7, 20));
        assert_eq!(m.status, MemberStatus::Probationary);
        assert_eq!(m.admission_date, d(2025, 7, 20));
    }

    #[test]
    fn introducers_not_official_and_personal_errors_name_their_fields() {
        let mut c = candidate();
        c.given_name = String::new();
        c.ethnicity_code = 99;
        let v = c.validate(|id| id != Uuid::from_u128(2), d(2026, 1, 1));
        let fields: Vec<&str> = v.errors.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"given_name"), "{fields:?}");
        assert!(fields.contains(&"ethnicity_code"), "{fields:?}");
        assert!(fields.iter().any(|f| f.starts_with("introducers")), "{fields:?}");
    }

    #[test]
    fn a_cell_vote_under_two_thirds_is_refused() {
        let mut c = candidate();
        c.cell_votes_for = Some(5);
        let v = c.validate(|_| true, d(2026, 1, 1));
        assert!(v.errors.iter().any(|e| e.field == "cell_votes_for"), "{:?}", v.errors);
    }

    #[test]
    fn state_codes_round_trip() {
        for s in [CandidateState::Open, CandidateState::Admitted, CandidateState::Withdrawn] {
            assert_eq!(CandidateState::parse(s.code()), Some(s));
        }
    }
}
