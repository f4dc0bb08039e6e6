//! Organisations, member records and accounts as the API shows them.

use super::{iso, iso_opt};
use chibo_access::domain::member::MemberProfile;
use chibo_access::domain::{admin_units, ethnicity};
use chibo_access::{Account, GrantRow, Lang, Member, MemberSummary, MemberView, Org, OrgView};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// The subtree counters of an organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct Stats {
    pub members: i64,
    pub official: i64,
    pub probationary: i64,
    pub female: i64,
    /// Members of an ethnic minority (any group but Kinh).
    pub minority: i64,
    /// Cells not dissolved.
    pub cells: i64,
}

/// An organisation (*tổ chức đảng*).
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgBody {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    /// The materialized path (segments of 4 base-36 characters).
    pub path: String,
    pub depth: i64,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: String,
    pub kind_label: String,
    pub province_code: Option<i32>,
    pub province_name: Option<String>,
    pub commune_code: Option<i32>,
    pub commune_name: Option<String>,
    pub village: Option<String>,
    pub established_on: Option<String>,
    pub dissolved_on: Option<String>,
    pub has_cell_committee: bool,
    pub stats: Stats,
}

impl OrgBody {
    pub fn new(o: &Org, lang: Lang) -> OrgBody {
        let i = &o.input;
        let units = admin_units::units();
        let s = &o.stats;
        OrgBody {
            id: o.id,
            parent_id: o.parent_id,
            path: o.path.clone(),
            depth: o.depth,
            name: i.name.clone(),
            short_name: i.short_name.clone(),
            kind: i.kind.code().to_string(),
            kind_label: i.kind.label(lang).to_string(),
            province_code: i.locality.province_code,
            province_name: i.locality.province_code.and_then(|c| units.province(c)).map(|p| p.name.clone()),
            commune_code: i.locality.commune_code,
            commune_name: i.locality.commune_code.and_then(|c| units.commune(c)).map(|c| c.name.clone()),
            village: i.locality.village.clone(),
            established_on: iso_opt(i.established_on),
            dissolved_on: iso_opt(i.dissolved_on),
            has_cell_committee: i.has_cell_committee,
            stats: Stats {
                members: s.members,
                official: s.official,
                probationary: s.probationary,
                female: s.female,
                minority: s.minority,
                cells: s.cells,
            },
        }
    }

    pub fn list(list: &[Org], lang: Lang) -> Vec<OrgBody> {
        list.iter().map(|o| OrgBody::new(o, lang)).collect()
    }
}

/// An advice about an organisation (a threshold of the rules), not a refusal.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgNotice {
    pub code: String,
    pub message: String,
}

/// An organisation with its ancestors and children.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgPage {
    pub org: OrgBody,
    pub ancestors: Vec<OrgBody>,
    pub children: Vec<OrgBody>,
    pub can_write: bool,
    pub notices: Vec<OrgNotice>,
}

impl OrgPage {
    pub fn new(view: &OrgView, lang: Lang) -> OrgPage {
        OrgPage {
            org: OrgBody::new(&view.org, lang),
            ancestors: OrgBody::list(&view.ancestors, lang),
            children: OrgBody::list(&view.children, lang),
            can_write: view.can_write,
            notices: view
                .notices
                .iter()
                .map(|n| OrgNotice { code: n.code.to_string(), message: n.message(lang).to_string() })
                .collect(),
        }
    }
}

/// A member record (form 2-KNĐ).
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberBody {
    pub id: Uuid,
    pub org_id: Uuid,
    /// The version to send back with an edit.
    pub version: i64,
    pub full_name: String,
    pub family_name: String,
    pub middle_name: String,
    pub given_name: String,
    pub birth_date: String,
    pub gender: String,
    pub ethnicity_code: i32,
    pub ethnicity_name: Option<String>,
    /// The descriptive fields (religion, residences, identity number, education, work, contact).
    #[serde(flatten)]
    pub profile: MemberProfile,
    pub theory_level: String,
    pub theory_level_label: String,
    pub admission_date: String,
    pub official_date: Option<String>,
    pub status: String,
    pub status_label: String,
    pub age_exception_approved: bool,
    /// Unix seconds.
    pub updated_at: i64,
}

impl MemberBody {
    pub fn new(m: &Member, lang: Lang) -> MemberBody {
        let i = &m.input;
        MemberBody {
            id: m.id,
            org_id: i.org_id,
            version: m.version,
            full_name: m.full_name.clone(),
            family_name: i.family_name.clone(),
            middle_name: i.middle_name.clone(),
            given_name: i.given_name.clone(),
            birth_date: iso(i.birth_date),
            gender: i.gender.code().to_string(),
            ethnicity_code: i.ethnicity_code,
            ethnicity_name: ethnicity::by_code(i.ethnicity_code).map(|e| e.name.clone()),
            profile: i.profile.clone(),
            theory_level: i.theory_level.code().to_string(),
            theory_level_label: i.theory_level.label(lang).to_string(),
            admission_date: iso(i.admission_date),
            official_date: iso_opt(i.official_date),
            status: i.status.code().to_string(),
            status_label: i.status.label(lang).to_string(),
            age_exception_approved: i.age_exception_approved,
            updated_at: m.updated_at.unix_timestamp(),
        }
    }
}

/// A line of a member list.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberLine {
    pub id: Uuid,
    pub org_id: Uuid,
    pub full_name: String,
    pub birth_date: String,
    pub gender: String,
    pub status: String,
    pub admission_date: String,
}

impl From<&MemberSummary> for MemberLine {
    fn from(s: &MemberSummary) -> Self {
        MemberLine {
            id: s.id,
            org_id: s.org_id,
            full_name: s.full_name.clone(),
            birth_date: iso(s.birth_date),
            gender: s.gender.code().to_string(),
            status: s.status.code().to_string(),
            admission_date: iso(s.admission_date),
        }
    }
}

/// One page of a member list; `next` is the cursor of the following page (`?after=`).
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberPage {
    pub items: Vec<MemberLine>,
    pub next: Option<String>,
}

/// A possible duplicate to review.
#[derive(Debug, Serialize, ToSchema)]
pub struct FlagBody {
    pub id: Uuid,
    pub kind: String,
    pub other_member_id: Uuid,
}

/// A member record with its organisation, review flags and what the viewer may do.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberPageBody {
    pub member: MemberBody,
    pub org: OrgBody,
    pub flags: Vec<FlagBody>,
    pub can_write: bool,
    /// The viewer may correct the contact fields (their own record).
    pub can_correct: bool,
}

impl MemberPageBody {
    pub fn new(view: &MemberView, lang: Lang) -> MemberPageBody {
        let me = view.member.id;
        MemberPageBody {
            member: MemberBody::new(&view.member, lang),
            org: OrgBody::new(&view.org, lang),
            flags: view
                .flags
                .iter()
                .map(|f| FlagBody {
                    id: f.id,
                    kind: f.kind.clone(),
                    other_member_id: if f.member_id == me { f.other_member_id } else { f.member_id },
                })
                .collect(),
            can_write: view.can_write,
            can_correct: view.can_correct,
        }
    }
}

/// A role granted on an organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct GrantBody {
    pub id: Uuid,
    pub user_id: Uuid,
    pub role: String,
    pub role_label: Option<String>,
    pub org_id: Uuid,
    pub org_name: String,
    pub member_id: Option<Uuid>,
}

impl GrantBody {
    pub fn new(g: &GrantRow, lang: Lang) -> GrantBody {
        GrantBody {
            id: g.id,
            user_id: g.user_id,
            role: g.role.code().to_string(),
            role_label: Some(g.role.label(lang).to_string()),
            org_id: g.org_id,
            org_name: g.org_name.clone(),
            member_id: g.member_id,
        }
    }
}

/// An account and its grants.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserBody {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub is_active: bool,
    /// Unix seconds.
    pub last_login_at: Option<i64>,
    pub grants: Vec<GrantBody>,
}

impl UserBody {
    pub fn new(u: &Account, grants: &[GrantRow], lang: Lang) -> UserBody {
        UserBody {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            is_active: u.is_active,
            last_login_at: u.last_login_at.map(|t| t.unix_timestamp()),
            grants: grants.iter().map(|g| GrantBody::new(g, lang)).collect(),
        }
    }
}
