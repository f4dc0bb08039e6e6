//! Sessions: login (with the second step), logout, the second factor, one's own password.

use super::body::Done;
use super::body::auth::{LoginAnswer, Me, RecoveryCodes, SecondFactorRequired, TotpEnrolment, TotpStatus};
use super::{ApiJson, ClientAddr, Reader, Writer};
use crate::session::{request_lang, session_cookie};
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::extract::State as S;
use axum::http::{HeaderMap, header};
use axum::response::{AppendHeaders, IntoResponse};
use chibo_access::LoginStep;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct LoginBody {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

/// Open a session: {username, password}
///
/// Answers the account (and sets the session cookie), or asks for the second factor.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginBody,
    responses((status = 200, body = LoginAnswer)))]
pub async fn login(
    S(s): S<State>,
    headers: HeaderMap,
    addr: ClientAddr,
    ApiJson(b): ApiJson<LoginBody>,
) -> Result<axum::response::Response, ApiError> {
    let lang = request_lang(&headers);
    match s.app.login_start(&b.username, &b.password, addr.0.as_deref()).await.or_api(lang)? {
        LoginStep::Session(token, viewer) => Ok((
            AppendHeaders([(header::SET_COOKIE, session_cookie(&token.0, s.secure_cookies))]),
            Json(LoginAnswer::Session(Me::from(&viewer))),
        )
            .into_response()),
        // The password was right; the session needs the code too.
        LoginStep::SecondFactor(pending) => Ok(Json(LoginAnswer::SecondFactor(SecondFactorRequired {
            second_factor_required: true,
            pending_token: pending,
        }))
        .into_response()),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CodeBody {
    #[serde(default)]
    pending_token: String,
    /// The code of the authenticator app, or a recovery code.
    #[serde(default)]
    code: String,
}

/// Second step of a login with a second factor: {pending_token, code}
#[utoipa::path(post, path = "/auth/login/code", tag = "auth", request_body = CodeBody,
    responses((status = 200, body = Me)))]
pub async fn login_code(
    S(s): S<State>,
    headers: HeaderMap,
    addr: ClientAddr,
    ApiJson(b): ApiJson<CodeBody>,
) -> Result<impl IntoResponse, ApiError> {
    let lang = request_lang(&headers);
    let (token, viewer) = s.app.login_code(&b.pending_token, &b.code, addr.0.as_deref()).await.or_api(lang)?;
    Ok((AppendHeaders([(header::SET_COOKIE, session_cookie(&token.0, s.secure_cookies))]), Json(Me::from(&viewer))))
}

/// Whether the second factor is on, recovery codes left, whether enrolment is required
#[utoipa::path(get, path = "/auth/totp", tag = "auth", security(("session" = [])),
    responses((status = 200, body = TotpStatus)))]
pub async fn totp_status(S(s): S<State>, Reader(v, lang): Reader) -> Result<Json<TotpStatus>, ApiError> {
    let left = s.app.totp_status(&v).await.or_api(lang)?;
    Ok(Json(TotpStatus { enabled: left.is_some(), recovery_codes_left: left, required: v.enrolment_required() }))
}

/// Start enrolling a second factor: the secret and the otpauth address
#[utoipa::path(post, path = "/auth/totp", tag = "auth", security(("session" = [])),
    responses((status = 200, body = TotpEnrolment)))]
pub async fn totp_begin(S(s): S<State>, Writer(v, lang): Writer) -> Result<Json<TotpEnrolment>, ApiError> {
    let e = s.app.totp_begin(&v).await.or_api(lang)?;
    Ok(Json(TotpEnrolment { secret: e.secret, otpauth_url: e.otpauth_url }))
}

#[derive(Deserialize, ToSchema)]
pub struct ConfirmBody {
    #[serde(default)]
    code: String,
}

/// Confirm the second factor with a code: {code}; answers the 10 recovery codes once
#[utoipa::path(post, path = "/auth/totp/confirm", tag = "auth", security(("session" = [])),
    request_body = ConfirmBody, responses((status = 200, body = RecoveryCodes)))]
pub async fn totp_confirm(
    S(s): S<State>,
    Writer(v, lang): Writer,
    ApiJson(b): ApiJson<ConfirmBody>,
) -> Result<Json<RecoveryCodes>, ApiError> {
    let recovery_codes = s.app.totp_confirm(&v, &b.code).await.or_api(lang)?;
    Ok(Json(RecoveryCodes { recovery_codes }))
}

/// End the session
#[utoipa::path(post, path = "/auth/logout", tag = "auth", security(("session" = [])),
    responses((status = 200, body = Done)))]
pub async fn logout(S(s): S<State>, Writer(v, lang): Writer) -> Result<impl IntoResponse, ApiError> {
    s.app.logout(&v).await.or_api(lang)?;
    Ok((AppendHeaders([(header::SET_COOKIE, session_cookie("", s.secure_cookies))]), Json(Done::YES)))
}

/// The logged-in account, its grants and CSRF token
#[utoipa::path(get, path = "/auth/me", tag = "auth", security(("session" = [])),
    responses((status = 200, body = Me)))]
pub async fn me(Reader(v, _): Reader) -> Json<Me> {
    Json(Me::from(&v))
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordBody {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

/// Change one's password: {current_password, new_password}
#[utoipa::path(post, path = "/auth/password", tag = "auth", security(("session" = [])),
    request_body = PasswordBody, responses((status = 200, body = Done)))]
pub async fn password(
    S(s): S<State>,
    Writer(v, lang): Writer,
    ApiJson(b): ApiJson<PasswordBody>,
) -> Result<Json<Done>, ApiError> {
    s.app.change_password(&v, &b.current_password, &b.new_password).await.or_api(lang)?;
    Ok(Json(Done::YES))
}
