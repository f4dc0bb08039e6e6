//! Sessions and the second factor.

use chibo_access::Viewer;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A role the logged-in account holds.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeGrant {
    pub role: String,
    pub org_id: Uuid,
    pub member_id: Option<Uuid>,
}

/// The logged-in account, its grants and the CSRF token for state-changing calls.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// Absent for the console.
    pub id: Option<Uuid>,
    pub username: String,
    pub display_name: String,
    pub lang: String,
    /// Send it as `X-CSRF-Token` with every state-changing call.
    pub csrf_token: String,
    /// The account must enrol a second factor before anything else.
    pub enrolment_required: bool,
    pub grants: Vec<MeGrant>,
}

impl From<&Viewer> for Me {
    fn from(v: &Viewer) -> Self {
        Me {
            id: v.user_id(),
            username: v.username().to_string(),
            display_name: v.display_name().to_string(),
            lang: v.lang().code().to_string(),
            csrf_token: v.csrf_token().to_string(),
            enrolment_required: v.enrolment_required(),
            grants: v
                .grants()
                .iter()
                .map(|g| MeGrant { role: g.role.code().to_string(), org_id: g.org_id, member_id: g.member_id })
                .collect(),
        }
    }
}

/// The password was right; the session needs a code: `POST /auth/login/code`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SecondFactorRequired {
    pub second_factor_required: bool,
    pub pending_token: String,
}

/// A login answers the session's account, or asks for the second factor.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum LoginAnswer {
    Session(Me),
    SecondFactor(SecondFactorRequired),
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TotpStatus {
    pub enabled: bool,
    pub recovery_codes_left: Option<i64>,
    pub required: bool,
}

/// The secret of a second factor being enrolled, as text and as an `otpauth://` address.
#[derive(Debug, Serialize, ToSchema)]
pub struct TotpEnrolment {
    pub secret: String,
    pub otpauth_url: String,
}

/// The recovery codes, shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}
