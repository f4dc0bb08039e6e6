use super::{ApiJson, ClientAddr, Reader, Writer};
use crate::session::{request_lang, session_cookie};
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::extract::State as S;
use axum::http::{HeaderMap, header};
use axum::response::{AppendHeaders, IntoResponse};
use chibo_access::{LoginStep, Viewer};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
pub struct LoginBody {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

fn me_json(v: &Viewer) -> Value {
    json!({
        "id": v.user_id(),
        "username": v.username(),
        "display_name": v.display_name(),
        "lang": v.lang().code(),
        "csrf_token": v.csrf_token(),
        "enrolment_required": v.enrolment_required(),
        "grants": v.grants().iter().map(|g| json!({"role": g.role.code(), "org_id": g.org_id, "member_id": g.member_id})).collect::<Vec<_>>(),
    })
}

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
            Json(me_json(&viewer)),
        )
            .into_response()),
        // The password was right; the session needs the code too.
        LoginStep::SecondFactor(pending) => {
            Ok(Json(json!({"second_factor_required": true, "pending_token": pending})).into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct CodeBody {
    #[serde(default)]
    pending_token: String,
    #[serde(default)]
    code: String,
}

/// `POST /auth/login/code {pending_token, code}`: the second step of a login.
pub async fn login_code(
    S(s): S<State>,
    headers: HeaderMap,
    addr: ClientAddr,
    ApiJson(b): ApiJson<CodeBody>,
) -> Result<impl IntoResponse, ApiError> {
    let lang = request_lang(&headers);
    let (token, viewer) = s.app.login_code(&b.pending_token, &b.code, addr.0.as_deref()).await.or_api(lang)?;
    Ok((AppendHeaders([(header::SET_COOKIE, session_cookie(&token.0, s.secure_cookies))]), Json(me_json(&viewer))))
}

/// `GET /auth/totp`: whether the second factor is on, and the recovery codes left.
pub async fn totp_status(S(s): S<State>, Reader(v, lang): Reader) -> Result<Json<Value>, ApiError> {
    let left = s.app.totp_status(&v).await.or_api(lang)?;
    Ok(Json(json!({"enabled": left.is_some(), "recovery_codes_left": left, "required": v.enrolment_required()})))
}

/// `POST /auth/totp`: start enrolling; the secret and the otpauth address, as text.
pub async fn totp_begin(S(s): S<State>, Writer(v, lang): Writer) -> Result<Json<Value>, ApiError> {
    let e = s.app.totp_begin(&v).await.or_api(lang)?;
    Ok(Json(json!({"secret": e.secret, "otpauth_url": e.otpauth_url})))
}

#[derive(Deserialize)]
pub struct ConfirmBody {
    #[serde(default)]
    code: String,
}

/// `POST /auth/totp/confirm {code}`: turn the second factor on; the recovery codes, once.
pub async fn totp_confirm(
    S(s): S<State>,
    Writer(v, lang): Writer,
    ApiJson(b): ApiJson<ConfirmBody>,
) -> Result<Json<Value>, ApiError> {
    let codes = s.app.totp_confirm(&v, &b.code).await.or_api(lang)?;
    Ok(Json(json!({"recovery_codes": codes})))
}

pub async fn logout(S(s): S<State>, Writer(v, lang): Writer) -> Result<impl IntoResponse, ApiError> {
    s.app.logout(&v).await.or_api(lang)?;
    Ok((AppendHeaders([(header::SET_COOKIE, session_cookie("", s.secure_cookies))]), Json(json!({"ok": true}))))
}

pub async fn me(Reader(v, _): Reader) -> Json<Value> {
    Json(me_json(&v))
}

#[derive(Deserialize)]
pub struct PasswordBody {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

pub async fn password(
    S(s): S<State>,
    Writer(v, lang): Writer,
    ApiJson(b): ApiJson<PasswordBody>,
) -> Result<Json<Value>, ApiError> {
    s.app.change_password(&v, &b.current_password, &b.new_password).await.or_api(lang)?;
    Ok(Json(json!({"ok": true})))
}
