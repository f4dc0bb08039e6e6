//! Logging in and out, sessions, passwords, and the login rate limit.

use crate::credentials::{MAX_PASSWORD_LEN, SessionToken, address_key, check_new_password, hash_token, random_hex};
use crate::throttle::{self, PER_ACCOUNT_ADDRESS, PER_ADDRESS, now};
use crate::transaction::write;
use crate::{Chibo, Outcome, Viewer};
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chibo_domain::{FieldError, Lang, Problem};
use chibo_store::login_failures::ANY_ACCOUNT;
use chibo_store::users::{self, Session, User};

/// Sessions end after this long without use.
const SESSION_IDLE: time::Duration = time::Duration::hours(12);
/// A session's expiry is pushed forward at most this often (saves a write per request).
const SESSION_TOUCH: time::Duration = time::Duration::minutes(5);
/// How long touching a session waits for the write's turn (`Chibo::touch_session`).
const SESSION_TOUCH_WAIT: std::time::Duration = std::time::Duration::from_millis(100);
/// The address key of the counter of wrong current passwords on password change.
const PASSWORD_CHANGE: &str = "~password-change";
/// The argon2id hash checked when the account does not exist, so timing reveals nothing.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG";

/// The outcome of a right password.
#[derive(Debug)]
pub enum LoginStep {
    /// Logged in.
    Session(SessionToken, Viewer),
    /// The second factor is awaited: send this token with the code.
    SecondFactor(String),
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
    /// Verify a password against a stored hash (or a dummy one), behind the hashing gate.
    pub(crate) async fn check_password(&self, password: &str, hash: Option<&str>) -> Outcome<bool> {
        let (password, hash, gate) = (password.to_string(), hash.map(str::to_string), self.gate.clone());
        self.gate
            .run(move || {
                gate.verified();
                match hash {
                    Some(h) => verify_password(&password, &h),
                    None => {
                        let _ = verify_password(&password, DUMMY_HASH);
                        false
                    }
                }
            })
            .await
    }

    /// Hash a new password behind the hashing gate.
    pub(crate) async fn hash_new_password(&self, password: &str) -> Outcome<String> {
        let password = password.to_string();
        self.gate.run(move || hash_password(&password)).await?
    }

    /// Password verifications run since this application started (figures and tests).
    pub fn password_verifications(&self) -> u64 {
        self.gate.verifications()
    }

    /// Check a username and password and open a session. An account with a second factor
    /// is refused here with an error on `code`: front-ends use [`Chibo::login_start`].
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        client_addr: Option<&str>,
    ) -> Outcome<(SessionToken, Viewer)> {
        match self.login_start(username, password, client_addr).await? {
            LoginStep::Session(token, viewer) => Ok((token, viewer)),
            LoginStep::SecondFactor(_) => Err(crate::second_factor::code_needed()),
        }
    }

    /// Check a username and password: a session, or (second factor enrolled and required) a
    /// short-lived pending token to send with the code to [`Chibo::login_code`].
    pub async fn login_start(&self, username: &str, password: &str, client_addr: Option<&str>) -> Outcome<LoginStep> {
        let username = username.trim().to_lowercase();
        let valid = crate::credentials::valid_username(&username);
        // Every malformed name shares one counter: rows stay few and free of odd characters.
        let account = if valid { username.as_str() } else { "?" };
        let addr = address_key(client_addr);
        throttle::count_attempt(
            &self.pools,
            &[(account, &addr, PER_ACCOUNT_ADDRESS), (ANY_ACCOUNT, &addr, PER_ADDRESS)],
        )
        .await?;
        let user = if valid {
            let mut c = self.pools.read().await?;
            users::by_username(&mut c, &username).await?
        } else {
            None
        };
        let ok = password.chars().count() <= MAX_PASSWORD_LEN
            && self.check_password(password, user.as_ref().map(|u| u.password_hash.as_str())).await?;
        let Some(user) = user.filter(|u| ok && u.is_active) else {
            return Err(bad_credentials());
        };
        if self.second_factor && self.has_second_factor(user.id).await? {
            // The failures are forgotten only once the code is right too.
            return self.pending_login(user.id).await.map(LoginStep::SecondFactor);
        }
        throttle::succeeded(&self.pools, account, &addr).await?;
        let (token, viewer) = self.open_session(user, client_addr).await?;
        Ok(LoginStep::Session(token, viewer))
    }

    /// A new session for an account whose credentials were checked.
    pub(crate) async fn open_session(&self, user: User, client_addr: Option<&str>) -> Outcome<(SessionToken, Viewer)> {
        let token = random_hex(32);
        let now = now();
        let session = Session {
            token_hash: hash_token(&token),
            user_id: user.id,
            csrf_token: random_hex(24),
            created_at: now,
            expires_at: now + SESSION_IDLE,
            last_seen_at: now,
        };
        write!(self, |tx| {
            // The password checked is still the account's, and the account still active: a
            // reset (which ends every session) committed while the password was being checked
            // must not be followed by a session opened with the old one.
            let now_user = users::by_id(tx, user.id).await?;
            if !now_user.is_some_and(|u| u.is_active && u.password_hash == user.password_hash) {
                return Err(bad_credentials());
            }
            users::insert_session(tx, &session, client_addr).await?;
            users::touch_login(tx, user.id).await?;
            users::delete_expired_sessions(tx, now).await?;
            Ok(())
        })?;
        let viewer = self.viewer_of(user, session).await?;
        Ok((SessionToken(token), viewer))
    }

    async fn viewer_of(&self, user: User, session: Session) -> Outcome<Viewer> {
        let mut c = self.pools.read().await?;
        let grants = users::effective_grants_of(&mut c, user.id).await?;
        // Until a required second factor is enrolled, the session carries no right at all.
        let enrolment_required = self.second_factor
            && crate::second_factor::required_for(&grants)
            && !crate::second_factor::enrolled(&mut c, user.id).await?;
        Ok(Viewer {
            user_id: Some(user.id),
            username: user.username,
            display_name: user.display_name,
            grants: if enrolment_required { Vec::new() } else { grants.iter().map(|g| g.to_grant()).collect() },
            enrolment_required,
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
        let now = now();
        let mut c = self.pools.read().await?;
        let session = users::live_session(&mut c, &hash, now).await?.ok_or(Problem::Unauthenticated)?;
        let user = users::by_id(&mut c, session.user_id).await?.filter(|u| u.is_active);
        drop(c);
        let user = user.ok_or(Problem::Unauthenticated)?;
        if now - session.last_seen_at > SESSION_TOUCH {
            self.touch_session(&hash).await;
        }
        self.viewer_of(user, session).await
    }

    /// Move a session's idle expiry forward, if the write's turn comes at once: a page read
    /// behind a long write (an import holds the turn for a minute) is not made to wait for
    /// it nor refused; the next request touches it again.
    async fn touch_session(&self, hash: &str) {
        let touched = async {
            let mut tx = self.pools.begin_waiting(SESSION_TOUCH_WAIT).await?;
            let now = now();
            users::extend_session(&mut tx, hash, now, now + SESSION_IDLE).await?;
            tx.commit().await
        };
        if let Err(e) = touched.await {
            tracing::debug!(error = %e, "session not touched this time");
        }
    }

    /// End the viewer's session.
    pub async fn logout(&self, viewer: &Viewer) -> Outcome<()> {
        let Some(hash) = &viewer.session_hash else {
            return Ok(());
        };
        write!(self, |tx| {
            users::delete_session(tx, hash).await?;
            Ok(())
        })
    }

    /// Change one's own password; other sessions of the account end.
    pub async fn change_password(&self, viewer: &Viewer, current: &str, new: &str) -> Outcome<()> {
        let user_id = viewer.user_id.ok_or(Problem::Forbidden)?;
        check_new_password("new_password", new)?;
        let mut c = self.pools.read().await?;
        let user = users::by_id(&mut c, user_id).await?.ok_or(Problem::Unauthenticated)?;
        drop(c);
        throttle::count_attempt(&self.pools, &[(&user.username, PASSWORD_CHANGE, PER_ACCOUNT_ADDRESS)]).await?;
        if current.chars().count() > MAX_PASSWORD_LEN
            || !self.check_password(current, Some(&user.password_hash)).await?
        {
            return Err(Problem::field(
                "current_password",
                "bad_credentials",
                "Mật khẩu hiện tại không đúng.",
                "The current password is wrong.",
            ));
        }
        throttle::succeeded(&self.pools, &user.username, PASSWORD_CHANGE).await?;
        let hashed = self.hash_new_password(new).await?;
        write!(self, |tx| {
            // What was checked still holds: the same password (no reset meanwhile) and the
            // session asking is still open (a reset ends it).
            let now_user = users::by_id(tx, user_id).await?;
            let live = match &viewer.session_hash {
                Some(h) => users::live_session(tx, h, now()).await?.is_some(),
                None => true,
            };
            if !live || !now_user.is_some_and(|u| u.is_active && u.password_hash == user.password_hash) {
                return Err(Problem::stale());
            }
            users::set_password(tx, user_id, &hashed).await?;
            if let Some(keep) = &viewer.session_hash {
                users::delete_other_sessions(tx, user_id, keep).await?;
            }
            let entry = viewer.audit("user.password", "user", Some(user_id), None, None, None);
            chibo_store::audit::record(tx, &entry).await?;
            Ok(())
        })
    }

    /// Remember the viewer's interface language.
    pub async fn set_lang(&self, viewer: &Viewer, lang: Lang) -> Outcome<()> {
        let Some(id) = viewer.user_id else {
            return Ok(());
        };
        write!(self, |tx| {
            users::set_lang(tx, id, lang.code()).await?;
            Ok(())
        })
    }
}
