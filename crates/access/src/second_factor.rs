//! Second factor (xác thực hai bước, TOTP): required of accounts holding an administrator,
//! staff or inspector grant. Enrolment shows the secret and its `otpauth://` address as text
//! and is confirmed with a code; 10 one-time recovery codes are shown once and stored as
//! SHA-256 hashes. Logging in: the right password gives a pending token (5 minutes), and the
//! token with a code (or a recovery code) gives the session. Wrong codes count on the same
//! login throttle as wrong passwords. Each time step is accepted once.

use crate::accounts::managed;
use crate::credentials::{SessionToken, address_key, hash_token, random_hex, random_password};
use crate::throttle::{self, PER_ACCOUNT_ADDRESS, PER_ADDRESS, now};
use crate::transaction::write;
use crate::{Chibo, Outcome, Viewer};
use chibo_domain::access::Role;
use chibo_domain::{FieldError, Problem};
use chibo_store::login_failures::ANY_ACCOUNT;
use chibo_store::totp::{self as st, Pending};
use chibo_store::users::{self, GrantRow};
use chibo_store::{Exec, audit};
use sha2::{Digest, Sha256};
use totp_rs::{Builder, Secret, Totp};
use uuid::Uuid;

/// How long a right password waits for its code.
const PENDING_FOR: time::Duration = time::Duration::minutes(5);
/// Recovery codes given at enrolment.
pub const RECOVERY_CODES: usize = 10;
const ISSUER: &str = "chibo";

/// What the owner enters in an authenticator app.
#[derive(Debug, Clone)]
pub struct Enrolment {
    /// The secret in base32 (typed by hand).
    pub secret: String,
    /// The `otpauth://totp/…` address (pasted or turned into a QR code elsewhere).
    pub otpauth_url: String,
}

/// Whether these grants make a second factor required.
pub(crate) fn required_for(grants: &[GrantRow]) -> bool {
    grants.iter().any(|g| matches!(g.role, Role::Admin | Role::Staff | Role::Inspector))
}

pub(crate) async fn enrolled(e: &mut impl Exec, user: Uuid) -> Outcome<bool> {
    Ok(st::of_user(e, user).await?.is_some_and(|t| t.confirmed_at.is_some()))
}

pub(crate) fn code_needed() -> Problem {
    Problem::field(
        "code",
        "second_factor_required",
        "Cần nhập mã xác thực hai bước.",
        "The second-factor code is needed.",
    )
}

fn bad_code() -> Problem {
    Problem::field("code", "bad_code", "Mã xác thực không đúng.", "Wrong code.")
}

fn totp_of(secret_base32: &str, account: &str) -> Outcome<Totp> {
    let secret = Secret::try_from_base32(secret_base32).map_err(|e| Problem::Unavailable(format!("totp: {e}")))?;
    Builder::new()
        .with_secret(secret)
        .with_account_name(account)
        .with_issuer(Some(ISSUER))
        .build()
        .map_err(|e| Problem::Unavailable(format!("totp: {e}")))
}

/// The time step a 6-digit code matches now (one step of skew either way).
fn matching_step(totp: &Totp, code: &str) -> Option<i64> {
    let t = u64::try_from(now().unix_timestamp()).ok()?;
    totp.check(code, t).and_then(|s| i64::try_from(s).ok())
}

/// A recovery code as typed: letters and digits only, lower case.
fn normalise(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

fn recovery_hash(code: &str) -> String {
    Sha256::digest(normalise(code).as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn new_recovery_code() -> String {
    let raw = random_password();
    format!("{}-{}", &raw[..5], &raw[5..10])
}

impl Chibo {
    pub(crate) async fn has_second_factor(&self, user: Uuid) -> Outcome<bool> {
        let mut c = self.pools.read().await?;
        enrolled(&mut c, user).await
    }

    pub(crate) async fn pending_login(&self, user: Uuid) -> Outcome<String> {
        let token = random_hex(32);
        let now = now();
        let p = Pending { token_hash: hash_token(&token), user_id: user, expires_at: now + PENDING_FOR };
        write!(self, |tx| {
            st::add_pending(tx, &p, now).await?;
            Ok(token.clone())
        })
    }

    /// The second step of a login: the pending token and a code from the app or a recovery
    /// code.
    pub async fn login_code(
        &self,
        pending: &str,
        code: &str,
        client_addr: Option<&str>,
    ) -> Outcome<(SessionToken, Viewer)> {
        let expired = || {
            Problem::field(
                "pending_token",
                "expired",
                "Lượt đăng nhập đã hết hạn; hãy nhập lại mật khẩu.",
                "This login has expired; enter the password again.",
            )
        };
        if pending.is_empty() || pending.len() > 128 || code.len() > 64 {
            return Err(expired());
        }
        let hash = hash_token(pending);
        let mut c = self.pools.read().await?;
        let p = st::pending(&mut c, &hash, now()).await?.ok_or_else(expired)?;
        let user = users::by_id(&mut c, p.user_id).await?.filter(|u| u.is_active);
        let row = st::of_user(&mut c, p.user_id).await?;
        drop(c);
        let (Some(user), Some(row)) = (user, row.filter(|r| r.confirmed_at.is_some())) else {
            return Err(expired());
        };
        let addr = address_key(client_addr);
        let keys = [(user.username.as_str(), addr.as_str(), PER_ACCOUNT_ADDRESS), (ANY_ACCOUNT, &addr, PER_ADDRESS)];
        throttle::count_attempt(&self.pools, &keys).await?;
        let code = code.trim();
        write!(self, |tx| {
            let ok = if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
                match matching_step(&totp_of(&row.secret, &user.username)?, code) {
                    Some(step) => st::accept_step(tx, user.id, step).await?,
                    None => false,
                }
            } else {
                st::use_recovery(tx, user.id, &recovery_hash(code), now()).await?
            };
            if !ok {
                return Err(bad_code());
            }
            // Used once: a code and a recovery code sent at once with one token open one session.
            if !st::remove_pending(tx, &hash).await? {
                return Err(expired());
            }
            Ok(())
        })?;
        throttle::succeeded(&self.pools, &user.username, &addr).await?;
        self.open_session(user, client_addr).await
    }

    /// Start enrolling a second factor for one's own account: a new secret, not yet in force.
    pub async fn totp_begin(&self, v: &Viewer) -> Outcome<Enrolment> {
        let id = v.user_id.ok_or(Problem::Forbidden)?;
        write!(self, |tx| {
            if enrolled(tx, id).await? {
                return Err(Problem::Conflict(FieldError::new(
                    "code",
                    "already_enrolled",
                    "Tài khoản đã bật xác thực hai bước; muốn đổi thiết bị, hãy nhờ quản trị đặt lại.",
                    "The second factor is already on; to change device, ask an administrator to reset it.",
                )));
            }
            let secret = Secret::generate().to_base32();
            let totp = totp_of(&secret, &v.username)?;
            let otpauth_url = totp.to_url().map_err(|e| Problem::Unavailable(format!("totp: {e}")))?;
            st::set_unconfirmed(tx, id, &secret).await?;
            Ok(Enrolment { secret, otpauth_url })
        })
    }

    /// Confirm the enrolment with a code from the app; the recovery codes, shown once.
    pub async fn totp_confirm(&self, v: &Viewer, code: &str) -> Outcome<Vec<String>> {
        let id = v.user_id.ok_or(Problem::Forbidden)?;
        write!(self, |tx| {
            let row = st::of_user(tx, id).await?.filter(|r| r.confirmed_at.is_none());
            let Some(row) = row else {
                return Err(Problem::field(
                    "code",
                    "not_started",
                    "Chưa bắt đầu đăng ký xác thực hai bước.",
                    "No second-factor enrolment has been started.",
                ));
            };
            let code = code.trim();
            let step = matching_step(&totp_of(&row.secret, &v.username)?, code).ok_or_else(bad_code)?;
            st::confirm(tx, id, step, now()).await?;
            let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
            for c in &codes {
                st::add_recovery(tx, id, &recovery_hash(c)).await?;
            }
            let entry = v.audit("user.totp_enrol", "user", Some(id), None, None, None);
            audit::record(tx, &entry).await?;
            Ok(codes)
        })
    }

    /// Whether the viewer has a second factor, and how many recovery codes are left.
    pub async fn totp_status(&self, v: &Viewer) -> Outcome<Option<i64>> {
        let id = v.user_id.ok_or(Problem::Forbidden)?;
        let mut c = self.pools.read().await?;
        if !enrolled(&mut c, id).await? {
            return Ok(None);
        }
        Ok(Some(st::unused_recovery(&mut c, id).await?))
    }

    /// An administrator removes another account's second factor (a lost phone); the account
    /// enrols again at its next login, and its sessions end.
    pub async fn totp_reset(&self, v: &Viewer, id: Uuid) -> Outcome<()> {
        write!(self, |tx| {
            v.check_live(tx).await?;
            managed(tx, v, id).await?;
            st::remove(tx, id).await?;
            users::delete_sessions_of(tx, id).await?;
            let entry = v.audit("user.totp_reset", "user", Some(id), None, None, None).without_session();
            audit::record(tx, &entry).await?;
            Ok(())
        })
    }
}

/// The code of a secret `offset_secs` from now (tests; an app shows the same).
pub fn code_at(secret_base32: &str, offset_secs: i64) -> Option<String> {
    let totp = totp_of(secret_base32, "x").ok()?;
    let t = u64::try_from(now().unix_timestamp() + offset_secs).ok()?;
    Some(totp.generate(t).to_string())
}
