//! Credentials: session tokens, password and username rules, random secrets. The bottom of
//! the account modules (`auth`, `second_factor`, `accounts`, `users` use it; it uses none).

use chibo_domain::Problem;
use chibo_store::users::User;
use serde::Serialize;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use uuid::Uuid;

/// The shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 10;
/// Longer passwords are refused before hashing (bounded work per request).
pub const MAX_PASSWORD_LEN: usize = 1024;

/// An account as the application shows it: the stored row without its password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub is_active: bool,
    pub lang: String,
    pub created_at: OffsetDateTime,
    pub password_changed_at: OffsetDateTime,
    pub last_login_at: Option<OffsetDateTime>,
}

impl From<User> for Account {
    fn from(u: User) -> Account {
        Account {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            is_active: u.is_active,
            lang: u.lang,
            created_at: u.created_at,
            password_changed_at: u.password_changed_at,
            last_login_at: u.last_login_at,
        }
    }
}

/// The secret a client holds for its session (the cookie's value). Only its hash is stored.
#[derive(Debug, Clone)]
pub struct SessionToken(pub String);

pub(crate) fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn random_hex(bytes: usize) -> String {
    (0..bytes).map(|_| format!("{:02x}", rand::random::<u8>())).collect()
}

/// A password strong enough to set, or an error naming the field.
pub(crate) fn check_new_password(field: &str, password: &str) -> Result<(), Problem> {
    if password.chars().count() > MAX_PASSWORD_LEN {
        return Err(Problem::field(
            field,
            "password_too_long",
            format!("Mật khẩu: tối đa {MAX_PASSWORD_LEN} ký tự."),
            format!("Password: at most {MAX_PASSWORD_LEN} characters."),
        ));
    }
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

/// The counter key of a client address (bounded length, printable).
pub(crate) fn address_key(client_addr: Option<&str>) -> String {
    let a: String = client_addr.unwrap_or("-").chars().filter(|c| c.is_ascii_graphic()).take(64).collect();
    if a.is_empty() { "-".into() } else { a }
}

/// Whether a username has the allowed form (3 to 40 of `a-z 0-9 . _ -`).
pub(crate) fn valid_username(u: &str) -> bool {
    (3..=40).contains(&u.len())
        && u.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

/// A random password of 16 letters and digits without look-alikes (about 79 bits).
pub fn random_password() -> String {
    (0..16).map(|_| char::from(b"abcdefghjkmnpqrstuvwxyz23456789"[rand::random_range(0..31)])).collect()
}
