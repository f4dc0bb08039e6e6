//! Account administration and the audit log.

use chibo_access::{AuditRecord, LoginBlock, SessionInfo, User};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

/// An account enabled or disabled.
#[derive(Debug, Serialize, ToSchema)]
pub struct Activity {
    pub id: Uuid,
    pub username: String,
    pub is_active: bool,
}

impl From<&User> for Activity {
    fn from(u: &User) -> Self {
        Activity { id: u.id, username: u.username.clone(), is_active: u.is_active }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Unlocked {
    pub ok: bool,
    /// Addresses whose failed logins were forgotten.
    pub cleared: u64,
}

/// An account refused at an address after failed logins.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginBlockBody {
    pub username: String,
    pub addr: String,
    pub failures: i64,
    /// Unix seconds.
    pub blocked_until: i64,
}

impl From<&LoginBlock> for LoginBlockBody {
    fn from(r: &LoginBlock) -> Self {
        LoginBlockBody {
            username: r.account.clone(),
            addr: r.addr.clone(),
            failures: r.failures,
            blocked_until: r.blocked_until.unix_timestamp(),
        }
    }
}

/// A live session (times in Unix seconds).
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionBody {
    pub id: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    pub client_addr: Option<String>,
    /// The session of this request.
    pub current: bool,
}

impl SessionBody {
    pub fn new(r: &SessionInfo, own: Option<&str>) -> SessionBody {
        SessionBody {
            id: r.id.clone(),
            created_at: r.created_at.unix_timestamp(),
            last_seen_at: r.last_seen_at.unix_timestamp(),
            expires_at: r.expires_at.unix_timestamp(),
            client_addr: r.client_addr.clone(),
            current: own == Some(r.id.as_str()),
        }
    }
}

/// An audit entry: who did what to which record, with the record before and after.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: Uuid,
    /// Unix seconds.
    pub at: i64,
    pub username: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<Uuid>,
    /// The record before (any JSON).
    pub before: Option<Value>,
    /// The record after (any JSON).
    pub after: Option<Value>,
}

impl From<&AuditRecord> for AuditEntry {
    fn from(a: &AuditRecord) -> Self {
        let parse = |s: &Option<String>| s.as_deref().and_then(|s| serde_json::from_str::<Value>(s).ok());
        AuditEntry {
            id: a.id,
            at: a.at.unix_timestamp(),
            username: a.username.clone(),
            action: a.action.clone(),
            entity: a.entity.clone(),
            entity_id: a.entity_id,
            before: parse(&a.before_json),
            after: parse(&a.after_json),
        }
    }
}
