//! Account life from the pages: an administrator disables, enables, unlocks and resets the
//! password of an account it manages (accounts page); everyone ends their own sessions
//! (account page). The rules are in `chibo_access` (`accounts.rs`).

use super::page::{Chrome, Ctx, Posted, UiError, parse_id};
use super::text::Texts;
use super::view::moment;
use crate::State;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State as S};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_access::Viewer;

/// One live session as shown on the account page.
pub struct SessionRow {
    pub id: String,
    pub started: String,
    pub last_seen: String,
    pub addr: String,
    pub current: bool,
}

/// The viewer's own live sessions (empty when they cannot be read).
pub async fn own_sessions(state: &State, viewer: &Viewer) -> Vec<SessionRow> {
    let Some(id) = viewer.user_id() else {
        return Vec::new();
    };
    rows(state, viewer, state.app.sessions(viewer, id).await.unwrap_or_default())
}

fn rows(state: &State, viewer: &Viewer, sessions: Vec<chibo_access::SessionInfo>) -> Vec<SessionRow> {
    let own = state.app.own_session_id(viewer);
    sessions
        .into_iter()
        .map(|s| SessionRow {
            current: own.as_deref() == Some(s.id.as_str()),
            started: moment(s.created_at),
            last_seen: moment(s.last_seen_at),
            addr: s.client_addr.unwrap_or_default(),
            id: s.id,
        })
        .collect()
}

const BACK: &str = "/admin/users?done=1";

async fn act(state: &State, ctx: &Ctx, id: &str, form: &Posted, what: &str) -> Result<Response, UiError> {
    let id = parse_id(ctx, id)?;
    ctx.check_csrf(form)?;
    let v = &ctx.viewer;
    let done = match what {
        "disable" => state.app.set_account_active(v, id, false).await.map(|_| ()),
        "enable" => state.app.set_account_active(v, id, true).await.map(|_| ()),
        "unlock" => state.app.unlock_logins(v, id).await.map(|_| ()),
        "totp" => state.app.totp_reset(v, id).await,
        _ => state.app.reset_password(v, id, &form.text("new_password")).await,
    };
    done.map_err(|p| ctx.fail(p))?;
    Ok(Redirect::to(BACK).into_response())
}

pub async fn disable(S(s): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    act(&s, &ctx, &id, &form, "disable").await
}

pub async fn enable(S(s): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    act(&s, &ctx, &id, &form, "enable").await
}

pub async fn unlock(S(s): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    act(&s, &ctx, &id, &form, "unlock").await
}

pub async fn totp_reset(S(s): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    act(&s, &ctx, &id, &form, "totp").await
}

pub async fn reset_password(
    S(s): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: Posted,
) -> Result<Response, UiError> {
    act(&s, &ctx, &id, &form, "password").await
}

/// `POST /account/sessions/{id}/end`: end one of one's own sessions.
pub async fn end_own_session(
    S(s): S<State>,
    ctx: Ctx,
    Path(session): Path<String>,
    form: Posted,
) -> Result<Response, UiError> {
    ctx.check_csrf(&form)?;
    let me = ctx.viewer.user_id().ok_or_else(|| ctx.fail(chibo_access::Problem::Forbidden))?;
    s.app.end_session(&ctx.viewer, me, &session).await.map_err(|p| ctx.fail(p))?;
    Ok(Redirect::to("/account#sessions").into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_sessions.html")]
pub struct SessionsPage {
    c: Chrome,
    t: &'static Texts,
    sessions: Vec<SessionRow>,
    /// Where a session is ended: `{sessions_end}/{id}/end`.
    sessions_end: String,
}

/// `GET /admin/users/{id}/sessions`: the live sessions of an account the viewer manages.
pub async fn sessions(S(s): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<SessionsPage, UiError> {
    let uid = parse_id(&ctx, &id)?;
    let list = s.app.sessions(&ctx.viewer, uid).await.map_err(|p| ctx.fail(p))?;
    Ok(SessionsPage {
        c: ctx.chrome(ctx.t.sessions),
        t: ctx.t,
        sessions_end: format!("/admin/users/{uid}/sessions"),
        sessions: rows(&s, &ctx.viewer, list),
    })
}

/// `POST /admin/users/{id}/sessions/{session}/end`.
pub async fn end_session(
    S(s): S<State>,
    ctx: Ctx,
    Path((id, session)): Path<(String, String)>,
    form: Posted,
) -> Result<Response, UiError> {
    let uid = parse_id(&ctx, &id)?;
    ctx.check_csrf(&form)?;
    s.app.end_session(&ctx.viewer, uid, &session).await.map_err(|p| ctx.fail(p))?;
    Ok(Redirect::to(&format!("/admin/users/{uid}/sessions")).into_response())
}
