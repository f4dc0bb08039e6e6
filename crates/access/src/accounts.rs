//! Account life (vòng đời tài khoản): disable and enable, reset a password, unlock logins,
//! list and end sessions.
//!
//! An administrator manages an account only when every grant of that account lies inside
//! the administrator's subtrees (an account without grants holds no rights and is managed by
//! any administrator). Everyone may list and end their own sessions.

use crate::credentials::Account;
use crate::credentials::check_new_password;
use crate::throttle::now;
use crate::transaction::write;
use crate::{Chibo, Outcome, Viewer};
use chibo_domain::Problem;
use chibo_domain::access::{Action, Target};
use chibo_store::login_failures::{self as lf, Failures};
use chibo_store::users::{self, GrantRow, SessionInfo, User};
use chibo_store::{Exec, audit};
use uuid::Uuid;

/// Whether `v` administers every grant in `grants`.
pub(crate) fn manages(v: &Viewer, grants: &[GrantRow]) -> bool {
    v.console || (v.is_admin() && grants.iter().all(|g| v.may(Action::Administer, Target::Org { path: &g.org_path })))
}

/// The account `id` if `v` manages it; else `NotFound` when none of its grants is visible to
/// `v`, `Forbidden` when some are.
pub(crate) async fn managed(e: &mut impl Exec, v: &Viewer, id: Uuid) -> Outcome<(User, Vec<GrantRow>)> {
    let user = users::by_id(e, id).await?.ok_or(Problem::NotFound)?;
    let grants = users::grants_of(e, id).await?;
    if manages(v, &grants) {
        return Ok((user, grants));
    }
    let sees_one = v.is_admin() && grants.iter().any(|g| v.may(Action::Administer, Target::Org { path: &g.org_path }));
    Err(if sees_one { Problem::Forbidden } else { Problem::NotFound })
}

fn not_self(v: &Viewer, id: Uuid) -> Outcome<()> {
    if v.user_id == Some(id) {
        return Err(Problem::field(
            "user_id",
            "own_account",
            "Không thể tự khóa tài khoản của chính mình.",
            "You cannot disable your own account.",
        ));
    }
    Ok(())
}

impl Chibo {
    /// Disable (`active = false`) or enable an account. Disabling ends its sessions.
    pub async fn set_account_active(&self, v: &Viewer, id: Uuid, active: bool) -> Outcome<Account> {
        if !active {
            not_self(v, id)?;
        }
        write!(self, |tx| {
            v.check_live(tx).await?;
            let (before, _) = managed(tx, v, id).await?;
            users::set_active(tx, id, active).await?;
            if !active {
                users::delete_sessions_of(tx, id).await?;
            }
            let after = users::by_id(tx, id).await?.ok_or(Problem::NotFound)?;
            let action = if active { "user.enable" } else { "user.disable" };
            let entry = v
                .audit(action, "user", Some(id), None, crate::snapshot(&before), crate::snapshot(&after))
                .without_session();
            audit::record(tx, &entry).await?;
            Ok(after.into())
        })
    }

    /// Set another account's password (administrators; or the console for a lost password).
    /// Every session of the account ends and its login failures are forgotten.
    pub async fn reset_password(&self, v: &Viewer, id: Uuid, new: &str) -> Outcome<()> {
        check_new_password("new_password", new)?;
        {
            let mut c = self.pools.read().await?;
            managed(&mut c, v, id).await?;
        }
        let hashed = self.hash_new_password(new).await?;
        write!(self, |tx| {
            v.check_live(tx).await?;
            let (user, _) = managed(tx, v, id).await?;
            users::set_password(tx, id, &hashed).await?;
            users::delete_sessions_of(tx, id).await?;
            lf::clear_account(tx, &user.username).await?;
            let entry = v.audit("user.password_reset", "user", Some(id), None, None, None).without_session();
            audit::record(tx, &entry).await?;
            Ok(())
        })
    }

    /// Forget an account's failed logins from every address (an administrator's unlock).
    pub async fn unlock_logins(&self, v: &Viewer, id: Uuid) -> Outcome<u64> {
        write!(self, |tx| {
            let (user, _) = managed(tx, v, id).await?;
            let n = lf::clear_account(tx, &user.username).await?;
            let entry = v.audit("user.unlock", "user", Some(id), None, None, None);
            audit::record(tx, &entry).await?;
            Ok(n)
        })
    }

    /// Login counters now refusing attempts on accounts the viewer manages.
    pub async fn login_blocks(&self, v: &Viewer) -> Outcome<Vec<Failures>> {
        if !v.is_admin() {
            return Err(Problem::Forbidden);
        }
        let mut c = self.pools.read().await?;
        let mut out = Vec::new();
        for row in lf::blocked(&mut c, now()).await? {
            let Some(user) = users::by_username(&mut c, &row.account).await? else {
                continue;
            };
            let grants = users::grants_of(&mut c, user.id).await?;
            if manages(v, &grants) {
                out.push(row);
            }
        }
        Ok(out)
    }

    /// The live sessions of an account: one's own, or one an administrator manages.
    pub async fn sessions(&self, v: &Viewer, id: Uuid) -> Outcome<Vec<SessionInfo>> {
        let mut c = self.pools.read().await?;
        if v.user_id != Some(id) {
            managed(&mut c, v, id).await?;
        }
        users::sessions_of(&mut c, id, now()).await.map_err(Problem::from)
    }

    /// End one session of an account (own, or managed); `NotFound` if there is none by that id.
    pub async fn end_session(&self, v: &Viewer, id: Uuid, session: &str) -> Outcome<()> {
        write!(self, |tx| {
            v.check_live(tx).await?;
            if v.user_id != Some(id) {
                managed(tx, v, id).await?;
            }
            if session.len() != 16 || !session.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(Problem::NotFound);
            }
            if users::delete_session_by_id(tx, id, session).await? == 0 {
                return Err(Problem::NotFound);
            }
            let entry = v.audit("user.session_end", "user", Some(id), None, None, None).without_session();
            audit::record(tx, &entry).await?;
            Ok(())
        })
    }

    /// The id shown for the viewer's own session (to mark it in a list).
    pub fn own_session_id(&self, v: &Viewer) -> Option<String> {
        v.session_hash.as_ref().map(|h| h.chars().take(16).collect())
    }
}
