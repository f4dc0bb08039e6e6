//! Candidates for admission and their dossier, probations to consider, party badges.

use super::{Items, PartyAge, iso, iso_opt};
use chibo_access::domain::life::probation::ProbationStatus;
use chibo_access::{BadgeAward, BadgeList, CandidateView, Lang, ProbationItem};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A member who introduces the candidate (*người giới thiệu*).
#[derive(Debug, Serialize, ToSchema)]
pub struct IntroducerBody {
    pub member_id: Uuid,
    pub known_since: Option<String>,
}

/// A candidate (*quần chúng ưu tú*) and their dossier.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateBody {
    pub id: Uuid,
    pub org_id: Uuid,
    pub full_name: String,
    /// `open`, `admitted` or `withdrawn`.
    pub state: String,
    /// The probationary member created by the admission.
    pub member_id: Option<Uuid>,
    pub version: i64,
    /// Unix seconds.
    pub updated_at: i64,
    pub decision_deadline: Option<String>,
    pub overdue: bool,
    pub family_name: String,
    pub middle_name: String,
    pub given_name: String,
    pub birth_date: String,
    pub gender: String,
    pub gender_label: String,
    pub ethnicity_code: i32,
    pub citizen_id: Option<String>,
    pub course_certificate_on: Option<String>,
    pub application_on: String,
    pub introducers: Vec<IntroducerBody>,
    pub youth_union_resolution_on: Option<String>,
    pub cell_resolution_on: Option<String>,
    pub cell_votes_for: Option<u32>,
    pub cell_vote_base: Option<u32>,
    pub base_resolution_on: Option<String>,
    pub decision_on: Option<String>,
    pub age_exception_approved: bool,
}

impl CandidateBody {
    pub fn new(c: &CandidateView, lang: Lang) -> CandidateBody {
        let (k, i) = (&c.candidate, &c.candidate.input);
        CandidateBody {
            id: k.id,
            org_id: i.org_id,
            full_name: k.full_name.clone(),
            state: k.state.code().to_string(),
            member_id: k.member_id,
            version: k.version,
            updated_at: k.updated_at.unix_timestamp(),
            decision_deadline: iso_opt(c.decision_deadline),
            overdue: c.overdue,
            family_name: i.family_name.clone(),
            middle_name: i.middle_name.clone(),
            given_name: i.given_name.clone(),
            birth_date: iso(i.birth_date),
            gender: i.gender.code().to_string(),
            gender_label: i.gender.label(lang).to_string(),
            ethnicity_code: i.ethnicity_code,
            citizen_id: i.citizen_id.clone(),
            course_certificate_on: iso_opt(i.course_certificate_on),
            application_on: iso(i.application_on),
            introducers: i
                .introducers
                .iter()
                .map(|p| IntroducerBody { member_id: p.member_id, known_since: iso_opt(p.known_since) })
                .collect(),
            youth_union_resolution_on: iso_opt(i.youth_union_resolution_on),
            cell_resolution_on: iso_opt(i.cell_resolution_on),
            cell_votes_for: i.cell_votes_for,
            cell_vote_base: i.cell_vote_base,
            base_resolution_on: iso_opt(i.base_resolution_on),
            decision_on: iso_opt(i.decision_on),
            age_exception_approved: i.age_exception_approved,
        }
    }
}

/// Where a probation stands.
#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProbationStatusBody {
    Running {
        ends_on: String,
    },
    /// Ends within the warning period.
    EndingSoon {
        ends_on: String,
    },
    /// Ended; the cell has until `deadline` to consider recognition.
    AwaitingDecision {
        ended_on: String,
        deadline: String,
    },
    Overdue {
        ended_on: String,
        deadline: String,
    },
}

impl From<&ProbationStatus> for ProbationStatusBody {
    fn from(s: &ProbationStatus) -> Self {
        match *s {
            ProbationStatus::Running { ends_on } => ProbationStatusBody::Running { ends_on: iso(ends_on) },
            ProbationStatus::EndingSoon { ends_on } => ProbationStatusBody::EndingSoon { ends_on: iso(ends_on) },
            ProbationStatus::AwaitingDecision { ended_on, deadline } => {
                ProbationStatusBody::AwaitingDecision { ended_on: iso(ended_on), deadline: iso(deadline) }
            }
            ProbationStatus::Overdue { ended_on, deadline } => {
                ProbationStatusBody::Overdue { ended_on: iso(ended_on), deadline: iso(deadline) }
            }
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProbationLine {
    pub member_id: Uuid,
    pub full_name: String,
    pub org_id: Uuid,
    pub admission_date: String,
    pub status: ProbationStatusBody,
}

impl From<&ProbationItem> for ProbationLine {
    fn from(p: &ProbationItem) -> Self {
        ProbationLine {
            member_id: p.member_id,
            full_name: p.full_name.clone(),
            org_id: p.org_id,
            admission_date: iso(p.admission_date),
            status: ProbationStatusBody::from(&p.status),
        }
    }
}

/// A badge a member has reached (`early`: given early, e.g. for illness).
#[derive(Debug, Serialize, ToSchema)]
pub struct DueBadgeBody {
    pub years: i32,
    pub reached_on: String,
    pub early: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BadgeLine {
    pub member_id: Uuid,
    pub full_name: String,
    pub org_id: Uuid,
    pub party_age: Option<PartyAge>,
    pub due: Vec<DueBadgeBody>,
}

/// The badges due on an award date.
#[derive(Debug, Serialize, ToSchema)]
pub struct BadgeListBody {
    pub award_on: String,
    /// More members are due than the list holds.
    pub truncated: bool,
    pub items: Vec<BadgeLine>,
}

impl From<&BadgeList> for BadgeListBody {
    fn from(l: &BadgeList) -> Self {
        BadgeListBody {
            award_on: iso(l.award_on),
            truncated: l.truncated,
            items: l
                .items
                .iter()
                .map(|i| BadgeLine {
                    member_id: i.member_id,
                    full_name: i.full_name.clone(),
                    org_id: i.org_id,
                    party_age: i.party_age.as_ref().map(PartyAge::from),
                    due: i
                        .due
                        .iter()
                        .map(|d| DueBadgeBody { years: d.years, reached_on: iso(d.reached_on), early: d.early })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// A badge awarded.
#[derive(Debug, Serialize, ToSchema)]
pub struct AwardBody {
    pub id: Uuid,
    pub years: i64,
    pub award_on: String,
    pub decision_number: Option<String>,
    /// Why it was given early, if it was.
    pub early: Option<String>,
    /// Unix seconds.
    pub recorded_at: i64,
}

impl AwardBody {
    pub fn list(list: &[BadgeAward]) -> Items<AwardBody> {
        Items::of(list, |b| AwardBody {
            id: b.id,
            years: b.years,
            award_on: iso(b.award_on),
            decision_number: b.decision_number.clone(),
            early: b.early.clone(),
            recorded_at: b.recorded_at.unix_timestamp(),
        })
    }
}
