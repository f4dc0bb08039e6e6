use super::{ApiJson, ClientAddr, Reader, Writer};
use crate::session::{request_lang, session_cookie};
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::extract::State as S;
use axum::http::{HeaderMap, header};
use axum::response::{AppendHeaders, IntoResponse};
use chibo_access::Viewer;
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
        "grants": v.grants().iter().map(|g| json!({"role": g.role.code(), "org_id": g.org_id, "member_id": g.member_id})).collect::<Vec<_>>(),
    })
}

pub async fn login(
    S(s): S<State>,
    headers: HeaderMap,
    addr: ClientAddr,
    ApiJson(b): ApiJson<LoginBody>,
) -> Result<impl IntoResponse, ApiError> {
    let lang = request_lang(&headers);
    let (token, viewer) = s.app.login(&b.username, &b.password, addr.0.as_deref()).await.or_api(lang)?;
    Ok((AppendHeaders([(header::SET_COOKIE, session_cookie(&token.0, s.secure_cookies))]), Json(me_json(&viewer))))
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
