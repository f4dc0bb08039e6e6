//! Accounts and grants: administrators manage them inside their own subtrees.

use crate::credentials::{Account, check_new_password, random_password, valid_username};
use crate::load::load_org;
use crate::transaction::write;
use crate::{Chibo, Outcome, Viewer, snapshot};
use chibo_domain::access::{Action, Role, Target};
use chibo_domain::{FieldError, Problem, Validation};
use chibo_store::audit;
use chibo_store::db::Exec;
use chibo_store::users::{self, GrantRow};
use uuid::Uuid;

impl Chibo {
    /// Create an account (administrators). Grants are given separately.
    pub async fn create_user(
        &self,
        v: &Viewer,
        username: &str,
        display_name: &str,
        password: &str,
    ) -> Outcome<Account> {
        if !v.is_admin() {
            return Err(Problem::Forbidden);
        }
        let username = username.trim().to_lowercase();
        let mut val = Validation::default();
        if !valid_username(&username) {
            val.push(FieldError::new(
                "username",
                "invalid_username",
                "Tên đăng nhập: 3–40 ký tự gồm chữ thường không dấu, chữ số, dấu chấm, gạch nối, gạch dưới.",
                "Username: 3 to 40 characters: lowercase letters, digits, dot, hyphen, underscore.",
            ));
        }
        let display_name = chibo_domain::text::normalize_text(display_name);
        if display_name.is_empty() {
            val.push(FieldError::required("display_name", "Họ và tên", "Full name"));
        }
        chibo_domain::text::DISPLAY_NAME.check_into(&mut val, Some(&display_name));
        if display_name.chars().any(char::is_control) {
            val.push(FieldError::new(
                "display_name",
                "invalid_text",
                "Họ và tên: không được chứa ký tự điều khiển.",
                "Full name: must not contain control characters.",
            ));
        }
        if let Err(Problem::Invalid(p)) = check_new_password("password", password) {
            val.errors.extend(p.errors);
        }
        val.finish(())?;
        let hash = self.hash_new_password(password).await?;
        write!(self, |tx| {
            if users::by_username(tx, &username).await?.is_some() {
                return Err(Problem::Conflict(FieldError::duplicate("username")));
            }
            let id = Uuid::now_v7();
            users::insert(tx, id, &username, display_name.trim(), &hash).await?;
            let user = users::by_id(tx, id).await?.ok_or(Problem::NotFound)?;
            let entry = v.audit("user.create", "user", Some(id), None, None, snapshot(&user));
            audit::record(tx, &entry).await?;
            Ok(user.into())
        })
    }

    /// Accounts, with their grants (administrators).
    pub async fn users(&self, v: &Viewer) -> Outcome<Vec<(Account, Vec<GrantRow>)>> {
        if !v.is_admin() {
            return Err(Problem::Forbidden);
        }
        let mut c = self.pools.read().await?;
        let all = users::list(&mut c).await?;
        let mut out = Vec::with_capacity(all.len());
        for u in all {
            let grants = users::grants_of(&mut c, u.id).await?;
            // An administrator sees the grants inside their subtrees only.
            let had_grants = !grants.is_empty();
            let grants: Vec<GrantRow> =
                grants.into_iter().filter(|g| v.may(Action::Administer, Target::Org { path: &g.org_path })).collect();
            // Accounts whose every grant lies elsewhere are not listed; accounts without any
            // grant (just created) hold no rights and are listed to every administrator.
            if v.console || !had_grants || !grants.is_empty() {
                out.push((u.into(), grants));
            }
        }
        Ok(out)
    }

    pub async fn user_by_name(&self, v: &Viewer, username: &str) -> Outcome<Account> {
        if !v.is_admin() {
            return Err(Problem::Forbidden);
        }
        let mut c = self.pools.read().await?;
        let user = users::by_username(&mut c, &username.trim().to_lowercase()).await?;
        user.map(Account::from).ok_or(Problem::NotFound)
    }

    /// Give an account a role on an organisation inside the viewer's administered subtree.
    /// The member role links the account to a member record in that cell.
    pub async fn grant(
        &self,
        v: &Viewer,
        user_id: Uuid,
        role: Role,
        org_id: Uuid,
        member_id: Option<Uuid>,
    ) -> Outcome<GrantRow> {
        write!(self, |tx| {
            let org = load_org(tx, org_id).await.map_err(|_| {
                Problem::field("org_id", "not_found", "Không tìm thấy tổ chức.", "No such organisation.")
            })?;
            v.check(Action::Administer, Target::Org { path: &org.path })?;
            users::by_id(tx, user_id).await?.ok_or_else(|| {
                Problem::field("user_id", "not_found", "Không tìm thấy tài khoản.", "No such account.")
            })?;
            if matches!(role, Role::Secretary | Role::Member) && !org.kind().is_cell() {
                return Err(Problem::field(
                    "org_id",
                    "not_a_cell",
                    "Tổ chức: vai trò này chỉ gán tại một chi bộ.",
                    "Organisation: this role is granted on a cell only.",
                ));
            }
            let member_id = if role == Role::Member {
                let mid = member_id
                    .ok_or_else(|| FieldError::required("member_id", "Đảng viên", "Member"))
                    .map_err(|e| Problem::Invalid(Validation { errors: vec![e] }))?;
                let m = chibo_store::members::by_id(tx, mid).await?;
                if m.as_ref().is_none_or(|m| m.input.org_id != org.id) {
                    return Err(Problem::field(
                        "member_id",
                        "not_in_cell",
                        "Đảng viên: không có trong chi bộ này.",
                        "Member: not in this cell.",
                    ));
                }
                Some(mid)
            } else {
                None
            };
            let existing = users::grants_of(tx, user_id).await?;
            if existing.iter().any(|g| g.org_id == org_id && g.role == role) {
                return Err(Problem::Conflict(FieldError::duplicate("role")));
            }
            let gid = users::add_grant(tx, user_id, role, org_id, member_id).await?;
            let grant = users::grant_by_id(tx, gid).await?.ok_or(Problem::NotFound)?;
            let entry = v.audit("user.grant", "user", Some(user_id), Some(&org.path), None, snapshot(&grant));
            audit::record(tx, &entry).await?;
            Ok(grant)
        })
    }

    /// Remove a grant. The account's sessions end, so that no request it has in flight, nor
    /// any page it holds open, acts on the right once it is gone; it logs in again with the
    /// grants it keeps.
    pub async fn revoke(&self, v: &Viewer, grant_id: Uuid) -> Outcome<()> {
        write!(self, |tx| {
            v.check_live(tx).await?;
            let grant = users::grant_by_id(tx, grant_id).await?.ok_or(Problem::NotFound)?;
            v.check(Action::Administer, Target::Org { path: &grant.org_path })?;
            users::remove_grant(tx, grant_id).await?;
            users::delete_sessions_of(tx, grant.user_id).await?;
            let entry = v
                .audit("user.revoke", "user", Some(grant.user_id), Some(&grant.org_path), snapshot(&grant), None)
                .without_session();
            audit::record(tx, &entry).await?;
            Ok(())
        })
    }

    /// Make sure someone administers the installation: when no account is named `admin` and
    /// no active account administers a root organisation, create `admin` with administration
    /// of every root, with `password` (from `CHIBO_ADMIN_PASSWORD`) or a random one.
    ///
    /// The check is made again in the write's turn, and what it finds is the answer: of two
    /// servers started at once on one database, one creates `admin` and the other finds it.
    pub async fn ensure_admin(&self, password: Option<&str>) -> Outcome<AdminStatus> {
        let mut c = self.pools.read().await?;
        if let Some(existing) = existing_admin(&mut c, password).await? {
            return Ok(existing);
        }
        drop(c);
        let generated = password.is_none();
        let pw = password.map_or_else(random_password, str::to_string);
        check_new_password("CHIBO_ADMIN_PASSWORD", &pw)?;
        let hashed = self.hash_new_password(&pw).await?;
        let existing = write!(self, |tx| {
            if let Some(existing) = existing_admin(tx, password).await? {
                return Ok(Some(existing));
            }
            let id = Uuid::now_v7();
            users::insert(tx, id, ADMIN, "Quản trị hệ thống", &hashed).await?;
            for root in chibo_store::orgs::roots(tx).await? {
                users::add_grant(tx, id, Role::Admin, root.id, None).await?;
            }
            Ok(None)
        })?;
        Ok(existing.unwrap_or(AdminStatus::Created { generated: generated.then_some(pw) }))
    }
}

/// The administrator already there, as [`Chibo::ensure_admin`] reports it (`None`: none).
async fn existing_admin(e: &mut impl Exec, password: Option<&str>) -> Outcome<Option<AdminStatus>> {
    let named = users::by_username(e, ADMIN).await?;
    let root_admins = users::count_root_admins(e).await?;
    Ok((named.is_some() || root_admins > 0)
        .then(|| AdminStatus::Existing { username: named.map(|u| u.username), password_ignored: password.is_some() }))
}

/// The name of the administrator account `serve` creates.
pub const ADMIN: &str = "admin";

/// Which administrator password is in force after [`Chibo::ensure_admin`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminStatus {
    /// `admin` was created now: with this random password (shown once), or with the one
    /// given (`None`).
    Created { generated: Option<String> },
    /// An administrator existed (`username` when it is `admin`); its password is unchanged,
    /// and `password_ignored` says a given password was not applied.
    Existing { username: Option<String>, password_ignored: bool },
}
