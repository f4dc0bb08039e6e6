//! Logging in and out, sessions, passwords, and the login rate limit.

use crate::{Chibo, Outcome, Viewer, unavailable};
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chibo_domain::{FieldError, Lang, Problem};
use chibo_store::users::{self, Session, User};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

/// Sessions end after this long without use.
const SESSION_IDLE: time::Duration = time::Duration::hours(12);
/// A session's expiry is pushed forward at most this often (saves a write per request).
const SESSION_TOUCH: time::Duration = time::Duration::minutes(5);
/// Failed logins allowed per account, and per client address, in one window.
const MAX_FAILURES_PER_ACCOUNT: u32 = 5;
const MAX_FAILURES_PER_ADDRESS: u32 = 20;
const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);
pub const MIN_PASSWORD_LEN: usize = 10;

/// The secret a client holds for its session (the cookie's value). Only its hash is stored.
#[derive(Debug, Clone)]
pub struct SessionToken(pub String);

fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn random_hex(bytes: usize) -> String {
    (0..bytes).map(|_| format!("{:02x}", rand::random::<u8>())).collect()
}

/// An argon2id hash (PHC string) of a password.
pub fn hash_password(password: &str) -> Result<String, Problem> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| Problem::Unavailable(format!("password hash: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), hash).is_ok()
}

/// A password strong enough to set, or an error naming the field.
pub(crate) fn check_new_password(field: &str, password: &str) -> Result<(), Problem> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(Problem::field(
            field,
            "password_too_short",
            format!("Mật khẩu: cần ít nhất {MIN_PASSWORD_LEN} ký tự."),
            format!("Password: at least {MIN_PASSWORD_LEN} characters."),
        ));
    }
    Ok(())
}

/// Failed logins in a sliding window, per account and per client address, in memory.
#[derive(Clone, Default)]
pub struct LoginThrottle {
    failures: Arc<Mutex<HashMap<String, (Instant, u32)>>>,
}

impl LoginThrottle {
    fn blocked(&self, key: &str, max: u32) -> bool {
        let Ok(map) = self.failures.lock() else {
            return false;
        };
        map.get(key).is_some_and(|(start, n)| start.elapsed() < FAILURE_WINDOW && *n >= max)
    }

    fn fail(&self, key: &str) {
        let Ok(mut map) = self.failures.lock() else {
            return;
        };
        if map.len() > 100_000 {
            map.retain(|_, (start, _)| start.elapsed() < FAILURE_WINDOW);
        }
        let entry = map.entry(key.to_string()).or_insert((Instant::now(), 0));
        if entry.0.elapsed() >= FAILURE_WINDOW {
            *entry = (Instant::now(), 0);
        }
        entry.1 += 1;
    }

    fn clear(&self, key: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(key);
        }
    }
}

fn bad_credentials() -> Problem {
    Problem::Invalid(chibo_domain::Validation {
        errors: vec![FieldError::new(
            "password",
            "bad_credentials",
            "Tên đăng nhập hoặc mật khẩu không đúng.",
            "Wrong username or password.",
        )],
    })
}

impl Chibo {
    /// Check a username and password and open a session.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        client_addr: Option<&str>,
    ) -> Outcome<(SessionToken, Viewer)> {
        let username = username.trim().to_lowercase();
        let account_key = format!("user:{username}");
        let address_key = format!("addr:{}", client_addr.unwrap_or("-"));
        if self.throttle.blocked(&account_key, MAX_FAILURES_PER_ACCOUNT)
            || self.throttle.blocked(&address_key, MAX_FAILURES_PER_ADDRESS)
        {
            return Err(Problem::TooManyAttempts);
        }
        let mut c = self.pools.read().await.map_err(unavailable)?;
        let user = users::by_username(&mut c, &username).await.map_err(unavailable)?;
        drop(c);
        let hash = user.as_ref().map(|u| u.password_hash.clone());
        let password = password.to_string();
        // Verify even for unknown accounts, so timing does not reveal which exist.
        let ok = tokio::task::spawn_blocking(move || match hash {
            Some(h) => verify_password(&password, &h),
            None => {
                let _ = verify_password(
                    &password,
                    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
                );
                false
            }
        })
        .await
        .unwrap_or(false);
        let Some(user) = user.filter(|u| ok && u.is_active) else {
            self.throttle.fail(&account_key);
            self.throttle.fail(&address_key);
            return Err(bad_credentials());
        };
        self.throttle.clear(&account_key);
        let token = random_hex(32);
        let now = OffsetDateTime::now_utc();
        let session = Session {
            token_hash: hash_token(&token),
            user_id: user.id,
            csrf_token: random_hex(24),
            created_at: now,
            expires_at: now + SESSION_IDLE,
            last_seen_at: now,
        };
        let mut tx = self.pools.begin().await.map_err(unavailable)?;
        users::insert_session(&mut tx, &session, client_addr).await.map_err(unavailable)?;
        users::touch_login(&mut tx, user.id).await.map_err(unavailable)?;
        users::delete_expired_sessions(&mut tx, now).await.map_err(unavailable)?;
        tx.commit().await.map_err(unavailable)?;
        let viewer = self.viewer_of(user, session).await?;
        Ok((SessionToken(token), viewer))
    }

    async fn viewer_of(&self, user: User, session: Session) -> Outcome<Viewer> {
        let mut c = self.pools.read().await.map_err(unavailable)?;
        let grants = users::effective_grants_of(&mut c, user.id).await.map_err(unavailable)?;
        Ok(Viewer {
            user_id: Some(user.id),
            username: user.username,
            display_name: user.display_name,
            grants: grants.iter().filter_map(|g| g.to_grant()).collect(),
            lang: Lang::from_tag(&user.lang),
            console: false,
            csrf_token: session.csrf_token,
            session_hash: Some(session.token_hash),
        })
    }

    /// The viewer of a live session, or `Unauthenticated`.
    pub async fn viewer_for_session(&self, token: &str) -> Outcome<Viewer> {
        if token.is_empty() || token.len() > 128 {
            return Err(Problem::Unauthenticated);
        }
        let hash = hash_token(token);
        let now = OffsetDateTime::now_utc();
        let mut c = self.pools.read().await.map_err(unavailable)?;
        let session =
            users::live_session(&mut c, &hash, now).await.map_err(unavailable)?.ok_or(Problem::Unauthenticated)?;
        let user = users::by_id(&mut c, session.user_id).await.map_err(unavailable)?.filter(|u| u.is_active);
        drop(c);
        let user = user.ok_or(Problem::Unauthenticated)?;
        if now - session.last_seen_at > SESSION_TOUCH {
            let mut tx = self.pools.begin().await.map_err(unavailable)?;
            users::extend_session(&mut tx, &hash, now, now + SESSION_IDLE).await.map_err(unavailable)?;
            tx.commit().await.map_err(unavailable)?;
        }
        self.viewer_of(user, session).await
    }

    /// End the viewer's session.
    pub async fn logout(&self, viewer: &Viewer) -> Outcome<()> {
        let Some(hash) = &viewer.session_hash else {
            return Ok(());
        };
        let mut tx = self.pools.begin().await.map_err(unavailable)?;
        users::delete_session(&mut tx, hash).await.map_err(unavailable)?;
        tx.commit().await.map_err(unavailable)
    }

    /// Change one's own password; other sessions of the account end.
    pub async fn change_password(&self, viewer: &Viewer, current: &str, new: &str) -> Outcome<()> {
        let user_id = viewer.user_id.ok_or(Problem::Forbidden)?;
        check_new_password("new_password", new)?;
        let mut c = self.pools.read().await.map_err(unavailable)?;
        let user = users::by_id(&mut c, user_id).await.map_err(unavailable)?.ok_or(Problem::Unauthenticated)?;
        drop(c);
        let (cur, hash) = (current.to_string(), user.password_hash.clone());
        if !tokio::task::spawn_blocking(move || verify_password(&cur, &hash)).await.unwrap_or(false) {
            return Err(Problem::field(
                "current_password",
                "bad_credentials",
                "Mật khẩu hiện tại không đúng.",
                "The current password is wrong.",
            ));
        }
        let new = new.to_string();
        let hashed = tokio::task::spawn_blocking(move || hash_password(&new))
            .await
            .map_err(|e| Problem::Unavailable(e.to_string()))??;
        let mut tx = self.pools.begin().await.map_err(unavailable)?;
        users::set_password(&mut tx, user_id, &hashed).await.map_err(unavailable)?;
        if let Some(keep) = &viewer.session_hash {
            users::delete_other_sessions(&mut tx, user_id, keep).await.map_err(unavailable)?;
        }
        let entry = viewer.audit("user.password", "user", Some(user_id), None, None, None);
        chibo_store::audit::record(&mut tx, &entry).await.map_err(unavailable)?;
        tx.commit().await.map_err(unavailable)
    }

    /// Remember the viewer's interface language.
    pub async fn set_lang(&self, viewer: &Viewer, lang: Lang) -> Outcome<()> {
        let Some(id) = viewer.user_id else {
            return Ok(());
        };
        let mut tx = self.pools.begin().await.map_err(unavailable)?;
        users::set_lang(&mut tx, id, lang.code()).await.map_err(unavailable)?;
        tx.commit().await.map_err(unavailable)
    }
}
