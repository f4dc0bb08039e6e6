//! Two-step verification pages: the code form of a login, and enrolment (the secret and the
//! otpauth address as text, a code to confirm, the recovery codes shown once).

use super::auth::{LoginPage, refusal};
use super::page::{Chrome, Ctx, Posted, UiError, page_lang};
use super::text::Texts;
use crate::State;
use crate::session::{client_addr, session_cookie};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State as S;
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use chibo_access::Problem;

/// `POST /login/code` (`pending_token`, `code`): the second step of a login.
pub async fn login_code(S(state): S<State>, parts: Parts, form: Posted) -> Response {
    let lang = page_lang(&parts.headers, None);
    let addr = client_addr(&parts);
    let pending = form.text("pending_token");
    match state.app.login_code(&pending, &form.text("code"), addr.as_deref()).await {
        Ok((token, _)) => {
            ([(header::SET_COOKIE, session_cookie(&token.0, state.secure_cookies))], Redirect::to("/")).into_response()
        }
        Err(p) => {
            // A wrong code keeps the code form; an expired login goes back to the password.
            let again = matches!(&p, Problem::Invalid(v) if v.has("code"));
            let page = LoginPage::new(lang, String::new(), None, again.then_some(pending));
            refusal(lang, &p, page)
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "second_factor.html")]
pub struct EnrolPage {
    c: Chrome,
    t: &'static Texts,
    required: bool,
    /// Recovery codes left, when the second factor is on.
    enabled: Option<i64>,
    secret: String,
    otpauth_url: String,
    /// The recovery codes, right after confirming.
    codes: Vec<String>,
    error: Option<String>,
}

fn enrol_page(ctx: &Ctx, enabled: Option<i64>, secret: String, otpauth_url: String) -> EnrolPage {
    EnrolPage {
        c: ctx.chrome(ctx.t.totp_title),
        t: ctx.t,
        required: ctx.viewer.enrolment_required(),
        enabled,
        secret,
        otpauth_url,
        codes: Vec::new(),
        error: None,
    }
}

/// `GET /account/2fa`: the state of the second factor, or a new secret to enrol.
pub async fn page(S(state): S<State>, ctx: Ctx) -> Result<EnrolPage, UiError> {
    let status = state.app.totp_status(&ctx.viewer).await.map_err(|p| ctx.fail(p))?;
    if status.is_some() {
        return Ok(enrol_page(&ctx, status, String::new(), String::new()));
    }
    let e = state.app.totp_begin(&ctx.viewer).await.map_err(|p| ctx.fail(p))?;
    Ok(enrol_page(&ctx, None, e.secret, e.otpauth_url))
}

/// `POST /account/2fa` (`code`, and the secret shown, for showing it again on a wrong code).
pub async fn confirm(S(state): S<State>, ctx: Ctx, form: Posted) -> Result<Response, UiError> {
    ctx.check_csrf(&form)?;
    match state.app.totp_confirm(&ctx.viewer, &form.text("code")).await {
        Ok(codes) => {
            let mut page = enrol_page(&ctx, Some(codes.len() as i64), String::new(), String::new());
            page.required = false;
            page.codes = codes;
            Ok(page.into_response())
        }
        Err(p @ Problem::Invalid(_)) => {
            let status = crate::error::status_of(&p);
            let mut page = enrol_page(&ctx, None, form.text("secret"), form.text("otpauth_url"));
            page.error = Some(crate::error::describe(&p, ctx.lang).1);
            Ok((status, page).into_response())
        }
        Err(p) => Err(ctx.fail(p)),
    }
}
