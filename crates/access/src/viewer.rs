//! The caller of an operation, with the grants that decide what it may do.

use chibo_domain::Lang;
use chibo_domain::access::{self, Action, Grant, Role, Target};
use uuid::Uuid;

/// Who is asking. Built only by logging in, by resolving a session, or (with the `console`
/// feature, for the command line) as the console operator.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub(crate) user_id: Option<Uuid>,
    pub(crate) username: String,
    pub(crate) display_name: String,
    pub(crate) grants: Vec<Grant>,
    pub(crate) lang: Lang,
    pub(crate) console: bool,
    pub(crate) csrf_token: String,
    pub(crate) session_hash: Option<String>,
    /// The account must enrol a second factor before anything else (it holds no grant
    /// until then).
    pub(crate) enrolment_required: bool,
}

impl Viewer {
    /// The operator at the console: every right. Only the `chibo` binary enables this.
    #[cfg(feature = "console")]
    pub fn console() -> Viewer {
        Viewer {
            user_id: None,
            username: "console".into(),
            // What records made from the command line (imports, the demo) are signed with.
            display_name: "Quản trị viên (dòng lệnh)".into(),
            grants: Vec::new(),
            lang: Lang::Vi,
            console: true,
            csrf_token: String::new(),
            session_hash: None,
            enrolment_required: false,
        }
    }

    pub fn user_id(&self) -> Option<Uuid> {
        self.user_id
    }
    pub fn username(&self) -> &str {
        &self.username
    }
    pub fn display_name(&self) -> &str {
        &self.display_name
    }
    pub fn lang(&self) -> Lang {
        self.lang
    }
    pub fn grants(&self) -> &[Grant] {
        &self.grants
    }
    /// Whether the account must enrol a second factor before anything else.
    pub fn enrolment_required(&self) -> bool {
        self.enrolment_required
    }
    pub fn csrf_token(&self) -> &str {
        &self.csrf_token
    }

    /// Whether a submitted CSRF token is this session's (constant time).
    pub fn csrf_ok(&self, submitted: &str) -> bool {
        let (a, b) = (self.csrf_token.as_bytes(), submitted.as_bytes());
        !a.is_empty() && a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    pub fn may(&self, action: Action, target: Target<'_>) -> bool {
        self.console || access::allowed(&self.grants, action, target)
    }

    /// Refuse unless the viewer may list the people of the subtree at `path` (member rolls,
    /// candidates, work lists): reading it is needed, and the member role sees its cell's
    /// name, not its people.
    pub fn check_list(&self, path: &str) -> Result<(), chibo_domain::Problem> {
        self.check(Action::Read, Target::Org { path })?;
        let lists = self.console
            || self.grants.iter().any(|g| g.role != Role::Member && chibo_domain::path::is_within(path, &g.org_path));
        if lists { Ok(()) } else { Err(chibo_domain::Problem::Forbidden) }
    }

    /// Whether the viewer administers anything (accounts and grants screens).
    pub fn is_admin(&self) -> bool {
        self.console || self.grants.iter().any(|g| g.role == Role::Admin)
    }

    /// The member records linked to this account (the member role).
    pub fn own_member_ids(&self) -> Vec<Uuid> {
        self.grants.iter().filter(|g| g.role == Role::Member).filter_map(|g| g.member_id).collect()
    }

    /// Read access to `path`, else `NotFound` (nothing is revealed outside the grants).
    pub(crate) fn check(&self, action: Action, target: Target<'_>) -> Result<(), chibo_domain::Problem> {
        if self.may(action, target) {
            return Ok(());
        }
        if action != Action::Read && self.may(Action::Read, target) {
            Err(chibo_domain::Problem::Forbidden)
        } else {
            Err(chibo_domain::Problem::NotFound)
        }
    }

    /// The viewer's session is still live in this transaction (the console's always is): the
    /// check of a write that ends sessions, whose entry goes `without_session`.
    pub(crate) async fn check_live(&self, tx: &mut impl chibo_store::Exec) -> Result<(), chibo_domain::Problem> {
        match &self.session_hash {
            Some(h) => chibo_store::users::check_live(tx, h).await.map_err(Into::into),
            None => Ok(()),
        }
    }

    pub(crate) fn audit<'a>(
        &'a self,
        action: &'a str,
        entity: &'a str,
        entity_id: Option<Uuid>,
        org_path: Option<&'a str>,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> chibo_store::audit::AuditEntry<'a> {
        chibo_store::audit::AuditEntry {
            user_id: self.user_id,
            username: &self.username,
            action,
            entity,
            entity_id,
            org_path,
            before,
            after,
            session: self.session_hash.as_deref(),
        }
    }
}
