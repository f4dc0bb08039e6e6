//! A member's meetings: the upcoming meetings of their cell with a notice of absence to give or
//! withdraw (`/my/meetings`), and the member's home page, which leads with them and with a
//! link to the member's own record.

use super::meetings::{heading, size_text};
use super::page::{Chrome, Ctx, Posted, UiError, form_errors, parse_id};
use super::text::Texts;
use super::view::{Item, Link, item};
use crate::State;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State as S};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

pub struct DocLink {
    pub href: String,
    pub name: String,
    pub size: String,
}

pub struct UpcomingRow {
    pub id: String,
    pub title: String,
    pub cell: String,
    pub details: Vec<Item>,
    pub documents: Vec<DocLink>,
    pub notice: String,
    pub notice_answer: &'static str,
    pub error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "upcoming.html")]
pub struct UpcomingPage {
    c: Chrome,
    t: &'static Texts,
    rows: Vec<UpcomingRow>,
    saved: bool,
    /// Where the forms come back to.
    back: &'static str,
}

/// The member's home: their record, then their upcoming meetings.
#[derive(Template, WebTemplate)]
#[template(path = "home_member.html")]
pub struct MemberHome {
    c: Chrome,
    t: &'static Texts,
    rows: Vec<UpcomingRow>,
    saved: bool,
    back: &'static str,
    records: Vec<Link>,
    /// Open review rounds the member is in (*tự kiểm điểm*).
    reviews: Vec<super::review_home::ReviewLink>,
}

async fn rows(state: &State, ctx: &Ctx, error: Option<(uuid::Uuid, String)>) -> Result<Vec<UpcomingRow>, UiError> {
    let (t, lang) = (ctx.t, ctx.lang);
    let list = state.app.upcoming_meetings(&ctx.viewer).await.map_err(|p| ctx.fail(p))?;
    Ok(list
        .iter()
        .map(|u| {
            let m = &u.meeting;
            UpcomingRow {
                id: m.id.to_string(),
                title: heading(m, lang),
                cell: u.cell_name.clone(),
                details: vec![
                    item(t.meeting_time, m.starts_at.clone().unwrap_or_default()),
                    item(t.meeting_place, m.place.clone()),
                    item(t.agenda, m.agenda.clone()),
                ],
                documents: u
                    .documents
                    .iter()
                    .map(|d| DocLink {
                        href: format!("/documents/{}", d.id),
                        name: d.file_name.clone(),
                        size: size_text(d.size),
                    })
                    .collect(),
                notice: u.notice.as_ref().map_or_else(String::new, |n| n.reason.clone()),
                notice_answer: match u.notice.as_ref().and_then(|n| n.answer.as_deref()) {
                    Some("accepted") => t.notice_accepted,
                    Some("refused") => t.notice_refused,
                    _ => t.notice_waiting,
                },
                error: error.as_ref().filter(|(id, _)| *id == m.id).map(|(_, e)| e.clone()),
            }
        })
        .collect())
}

const UPCOMING: &str = "/my/meetings";

async fn upcoming_page(
    state: &State,
    ctx: &Ctx,
    saved: bool,
    error: Option<(uuid::Uuid, String)>,
) -> Result<UpcomingPage, UiError> {
    Ok(UpcomingPage {
        c: ctx.chrome(ctx.t.upcoming),
        t: ctx.t,
        rows: rows(state, ctx, error).await?,
        saved,
        back: UPCOMING,
    })
}

/// The member's home page (`/` for the member role).
pub async fn member_home(state: &State, ctx: &Ctx, saved: bool) -> Result<MemberHome, UiError> {
    let t = ctx.t;
    let mut records = Vec::new();
    for id in ctx.viewer.own_member_ids() {
        if let Ok(v) = state.app.member(&ctx.viewer, id).await {
            records.push(Link {
                href: format!("/members/{id}"),
                text: format!("{} · {}", v.member.full_name, v.org.input.name),
            });
        }
    }
    let reviews = super::review_home::own_reviews(state, ctx).await?;
    Ok(MemberHome { c: ctx.chrome(t.home), t, rows: rows(state, ctx, None).await?, saved, back: "/", records, reviews })
}

#[derive(Deserialize, Default)]
pub struct SavedOnly {
    saved: Option<String>,
}

pub async fn upcoming(S(state): S<State>, ctx: Ctx, Query(q): Query<SavedOnly>) -> Result<UpcomingPage, UiError> {
    upcoming_page(&state, &ctx, q.saved.is_some(), None).await
}

/// A member's advance notice (from the home page, the upcoming page or the meeting's page).
pub async fn notify(S(state): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    ctx.check_csrf(&form)?;
    match state.app.notify_absence(&ctx.viewer, id, &form.text("reason")).await {
        Ok(_) => {
            let next = form.get("next").map_or_else(|| UPCOMING.to_string(), |n| super::page::safe_next(Some(n)));
            let sep = if next.contains('?') { '&' } else { '?' };
            Ok(Redirect::to(&format!("{next}{sep}saved=1")).into_response())
        }
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            let message = errors.errors.iter().map(|e| e.message(ctx.lang).to_string()).collect::<Vec<_>>().join(" ");
            Ok((status, upcoming_page(&state, &ctx, false, Some((id, message))).await?).into_response())
        }
    }
}
