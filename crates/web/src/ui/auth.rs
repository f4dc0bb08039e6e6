//! Logging in and out, the language switch, and the account page (password change).

use super::form::{Field, Kind, place_errors};
use super::page::{Chrome, Ctx, LANG_COOKIE, Posted, UiError, form_errors, page_lang, safe_next};
use super::text::Texts;
use super::view::Link;
use crate::State;
use crate::session::{SESSION_COOKIE, client_addr, cookie, session_cookie};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State as S;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_access::{Lang, LoginStep, Problem, Validation, Viewer};

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    c: Chrome,
    t: &'static Texts,
    username: String,
    error: Option<String>,
    /// The second step: the pending token of a right password.
    pending: Option<String>,
}

impl LoginPage {
    pub fn new(lang: Lang, username: String, error: Option<String>, pending: Option<String>) -> LoginPage {
        let c = Chrome::anonymous(lang, c_title(lang));
        LoginPage { t: c.t, c, username, error, pending }
    }
}

async fn session_viewer(state: &State, headers: &HeaderMap) -> Option<Viewer> {
    let token = cookie(headers, SESSION_COOKIE)?;
    state.app.viewer_for_session(token).await.ok()
}

pub async fn login_form(S(state): S<State>, headers: HeaderMap) -> Response {
    if session_viewer(&state, &headers).await.is_some() {
        return Redirect::to("/").into_response();
    }
    let lang = page_lang(&headers, None);
    LoginPage::new(lang, String::new(), None, None).into_response()
}

fn c_title(lang: Lang) -> &'static str {
    super::text::texts(lang).login
}

pub async fn login(S(state): S<State>, parts: Parts, form: Posted) -> Response {
    let lang = page_lang(&parts.headers, None);
    let username = form.text("username");
    let addr = client_addr(&parts);
    match state.app.login_start(&username, &form.text("password"), addr.as_deref()).await {
        Ok(LoginStep::Session(token, _viewer)) => {
            ([(header::SET_COOKIE, session_cookie(&token.0, state.secure_cookies))], Redirect::to("/")).into_response()
        }
        Ok(LoginStep::SecondFactor(pending)) => LoginPage::new(lang, username, None, Some(pending)).into_response(),
        Err(p) => refusal(lang, &p, LoginPage::new(lang, username, None, None)),
    }
}

/// A refused login as the page again with the message, its status and any Retry-After.
pub fn refusal(lang: Lang, p: &Problem, mut page: LoginPage) -> Response {
    let (_, message, _) = crate::error::describe(p, lang);
    page.error = Some(message);
    let mut response = (crate::error::status_of(p), page).into_response();
    if let Some((name, value)) = crate::error::retry_after(p)
        && let Ok(value) = axum::http::HeaderValue::from_str(&value)
    {
        response.headers_mut().insert(name, value);
    }
    response
}

pub async fn logout(S(state): S<State>, ctx: Ctx, form: Posted) -> Result<Response, UiError> {
    ctx.check_csrf(&form)?;
    state.app.logout(&ctx.viewer).await.map_err(|p| ctx.fail(p))?;
    Ok(([(header::SET_COOKIE, session_cookie("", state.secure_cookies))], Redirect::to("/login")).into_response())
}

/// `POST /lang` (`lang`, `next`, and `csrf` when logged in): set the language cookie and
/// remember the choice on the account.
pub async fn set_lang(S(state): S<State>, headers: HeaderMap, form: Posted) -> Response {
    let lang = Lang::from_tag(form.get("lang").unwrap_or("vi"));
    if let Some(viewer) = session_viewer(&state, &headers).await {
        if !viewer.csrf_ok(form.get("csrf").unwrap_or("")) {
            let ctx = Ctx {
                lang: page_lang(&headers, Some(&viewer)),
                t: super::text::texts(page_lang(&headers, Some(&viewer))),
                here: "/".into(),
                viewer,
                clock: state.app.clock(),
            };
            return ctx.fail(Problem::Forbidden).with_message(ctx.t.csrf_refused).into_response();
        }
        if let Err(p) = state.app.set_lang(&viewer, lang).await {
            tracing::warn!(error = ?p, "could not store the language");
        }
    }
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let set = format!("{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000{secure}", lang.code());
    ([(header::SET_COOKIE, set)], Redirect::to(&safe_next(form.get("next")))).into_response()
}

/// One of the viewer's roles and where it holds.
pub struct RoleView {
    pub role: &'static str,
    pub org: Link,
}

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
pub struct AccountPage {
    c: Chrome,
    t: &'static Texts,
    username: String,
    display_name: String,
    roles: Vec<RoleView>,
    fields: Vec<Field>,
    general: Vec<String>,
    done: bool,
    sessions: Vec<super::accounts::SessionRow>,
    /// Where a session is ended: `{sessions_end}/{id}/end`.
    sessions_end: String,
}

async fn account_page(state: &State, ctx: &Ctx, errors: &Validation, done: bool) -> AccountPage {
    let t = ctx.t;
    let mut roles = Vec::new();
    for g in ctx.viewer.grants() {
        let name = match state.app.org(&ctx.viewer, g.org_id, true).await {
            Ok(o) => o.org.input.name,
            Err(_) => g.org_id.to_string(),
        };
        roles.push(RoleView {
            role: g.role.label(ctx.lang),
            org: Link { href: format!("/orgs/{}", g.org_id), text: name },
        });
    }
    let mut fields = vec![
        Field::new("current_password", t.current_password, Kind::Password, "")
            .required()
            .autocomplete("current-password"),
        Field::new("new_password", t.new_password, Kind::Password, "")
            .required()
            .autocomplete("new-password")
            .hint(t.password_hint),
        Field::new("confirm_password", t.confirm_password, Kind::Password, "").required().autocomplete("new-password"),
    ];
    let general = place_errors(&mut fields, errors, ctx.lang);
    AccountPage {
        c: ctx.chrome(t.account),
        t,
        sessions_end: "/account/sessions".into(),
        username: ctx.viewer.username().to_string(),
        display_name: ctx.viewer.display_name().to_string(),
        roles,
        fields,
        general,
        done,
        sessions: super::accounts::own_sessions(state, &ctx.viewer).await,
    }
}

#[derive(serde::Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn account(S(state): S<State>, ctx: Ctx, q: axum::extract::Query<DoneQuery>) -> Response {
    account_page(&state, &ctx, &Validation::default(), q.done.is_some()).await.into_response()
}

pub async fn change_password(S(state): S<State>, ctx: Ctx, form: Posted) -> Result<Response, UiError> {
    ctx.check_csrf(&form)?;
    let (current, new) = (form.text("current_password"), form.text("new_password"));
    let outcome = if new != form.text("confirm_password") {
        Err(Problem::field(
            "confirm_password",
            "mismatch",
            "Nhập lại mật khẩu mới: không khớp với mật khẩu mới.",
            "Repeat the new password: it does not match.",
        ))
    } else {
        state.app.change_password(&ctx.viewer, &current, &new).await
    };
    match outcome {
        Ok(()) => Ok(Redirect::to("/account?done=1").into_response()),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            Ok((status, account_page(&state, &ctx, &errors, false).await).into_response())
        }
    }
}
