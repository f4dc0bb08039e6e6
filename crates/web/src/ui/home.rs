//! Each role's home page (`/`): a secretary lands on their cell (the next meeting, what waits,
//! the month's status, scheduling at the top); a member on their next meetings and their own
//! record; staff and administrators on their organisations with one search of members and
//! organisations; an inspector on the same with a place for the inspection work. The tree
//! that used to be the home page is at `/tree`.

use super::meetings::{MeetingRow, heading, plan_fields};
use super::page::{Chrome, Ctx, Posted, UiError, parse_id};
use super::text::Texts;
use super::tree::{SearchQuery, TreePage};
use super::view::{Link, NodeView};
use crate::State;
use crate::meeting_input::MeetingFields;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State as S};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_access::domain::access::Role;
use chibo_access::domain::date::format_vn;
use chibo_access::domain::meeting::MeetingKind;
use chibo_access::{CellHome, FoundMember, Org};
use serde::Deserialize;

/// Which home a viewer lands on: the widest role wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HomeKind {
    Staff,
    Inspector,
    Secretary,
    Member,
}

pub fn home_kind(ctx: &Ctx) -> HomeKind {
    let has = |r: Role| ctx.viewer.grants().iter().any(|g| g.role == r);
    if ctx.viewer.is_admin() || has(Role::Staff) {
        HomeKind::Staff
    } else if has(Role::Inspector) {
        HomeKind::Inspector
    } else if has(Role::Secretary) {
        HomeKind::Secretary
    } else if !ctx.viewer.own_member_ids().is_empty() {
        HomeKind::Member
    } else {
        HomeKind::Staff
    }
}

#[derive(Deserialize, Default)]
pub struct HomeQuery {
    q: Option<String>,
    /// Include members no longer in the Party.
    all: Option<String>,
    saved: Option<String>,
}

pub async fn home(S(state): S<State>, ctx: Ctx, Query(hq): Query<HomeQuery>) -> Result<Response, UiError> {
    Ok(match home_kind(&ctx) {
        HomeKind::Secretary => secretary(&state, &ctx).await?.into_response(),
        HomeKind::Member => super::upcoming::member_home(&state, &ctx, hq.saved.is_some()).await?.into_response(),
        kind => staff(&state, &ctx, &hq, kind == HomeKind::Inspector).await?.into_response(),
    })
}

/// `GET /tree`: the organisation tree with its search (the former home page).
pub async fn tree(S(state): S<State>, ctx: Ctx, Query(sq): Query<SearchQuery>) -> Result<TreePage, UiError> {
    super::tree::page(&state, &ctx, sq).await
}

// ---- Staff, administrators, inspectors ----

/// A member found, with their cell.
pub struct FoundRow {
    pub id: String,
    pub name: String,
    pub cell: Link,
    pub birth_date: String,
    pub status: &'static str,
}

impl FoundRow {
    fn of(f: &FoundMember, ctx: &Ctx) -> FoundRow {
        let m = &f.member;
        FoundRow {
            id: m.id.to_string(),
            name: m.full_name.clone(),
            cell: Link { href: format!("/orgs/{}", m.org_id), text: f.cell_name.clone() },
            birth_date: format_vn(m.birth_date),
            status: m.status.label(ctx.lang),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "home_staff.html")]
pub struct StaffHome {
    c: Chrome,
    t: &'static Texts,
    inspector: bool,
    /// For an inspector: each organisation whose inspection work it holds, with what waits.
    inspection: Vec<Link>,
    nodes: Vec<NodeView>,
    /// The first organisation's figures of this year and the last (one tap to the drill-down).
    figures: Vec<Link>,
    q: String,
    everyone: bool,
    members: Option<Vec<FoundRow>>,
    orgs: Vec<NodeView>,
    empty: &'static str,
}

async fn staff(state: &State, ctx: &Ctx, hq: &HomeQuery, inspector: bool) -> Result<StaffHome, UiError> {
    let t = ctx.t;
    let homes = state.app.home_orgs(&ctx.viewer).await.map_err(|p| ctx.fail(p))?;
    let q = hq.q.as_deref().unwrap_or("").trim().to_string();
    let everyone = hq.all.is_some();
    let (members, orgs) = if q.is_empty() {
        (None, Vec::new())
    } else {
        let found = state.app.find_members(&ctx.viewer, &q, everyone).await.map_err(|p| ctx.fail(p))?;
        let orgs = state.app.search_orgs(&ctx.viewer, &q, 10).await.map_err(|p| ctx.fail(p))?;
        (
            Some(found.iter().map(|f| FoundRow::of(f, ctx)).collect()),
            orgs.iter().map(|o| NodeView::of(o, ctx.lang)).collect(),
        )
    };
    let year = ctx.today().year();
    let figures = homes
        .first()
        .map(|o| {
            [year, year - 1]
                .iter()
                .map(|y| Link {
                    href: format!("/orgs/{}/meeting-figures?period={y}", o.id),
                    text: format!("{} {y}", t.figures_of_year),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut inspection = Vec::new();
    if inspector {
        for o in state.app.inspection_bodies(&ctx.viewer).await.map_err(|p| ctx.fail(p))? {
            let waiting = state.app.inspection_work(&ctx.viewer, o.id).await.map(|(_, w)| w.count()).unwrap_or(0);
            inspection.push(Link {
                href: format!("/orgs/{}/inspection", o.id),
                text: format!("{} — {} {}", o.input.name, waiting, t.inspection_waiting),
            });
        }
    }
    Ok(StaffHome {
        c: ctx.chrome(if inspector { t.inspection_heading } else { t.home }),
        t,
        inspector,
        inspection,
        nodes: homes.iter().map(|o| NodeView::of(o, ctx.lang)).collect(),
        figures,
        q,
        everyone,
        members,
        orgs,
        empty: t.no_orgs,
    })
}

// ---- The secretary ----

/// A meeting that waits, with the tap that resolves it.
pub struct WaitRow {
    pub text: String,
    pub href: String,
    pub action: &'static str,
}

pub struct NoticeWait {
    pub meeting_id: String,
    pub member_id: String,
    pub name: String,
    pub meeting: String,
    pub reason: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "home_secretary.html")]
pub struct SecretaryHome {
    c: Chrome,
    t: &'static Texts,
    cell_id: String,
    cell_name: String,
    year: i32,
    next: Option<MeetingRow>,
    next_attendance: bool,
    notices: Vec<NoticeWait>,
    waits: Vec<WaitRow>,
    recognise: usize,
    waiting: usize,
    month: &'static str,
    month_ok: bool,
    own_record: Option<String>,
    others: Vec<Link>,
    fields: Vec<super::form::Field>,
    general: Vec<String>,
}

async fn secretary(state: &State, ctx: &Ctx) -> Result<SecretaryHome, UiError> {
    let (t, lang) = (ctx.t, ctx.lang);
    let cells = state.app.secretary_cells(&ctx.viewer).await.map_err(|p| ctx.fail(p))?;
    let Some(first) = cells.first() else {
        return Err(ctx.fail(chibo_access::Problem::NotFound));
    };
    let h: CellHome = state.app.cell_home(&ctx.viewer, first.id).await.map_err(|p| ctx.fail(p))?;
    let now = ctx.today();
    let mut waits = Vec::new();
    for m in &h.to_record {
        waits.push(WaitRow {
            text: heading(m, lang),
            href: format!("/meetings/{}/attendance", m.id),
            action: t.record_attendance,
        });
    }
    for m in &h.to_approve {
        waits.push(WaitRow {
            text: heading(m, lang),
            href: format!("/meetings/{}/minutes/edit", m.id),
            action: t.write_minutes,
        });
    }
    let cell_reviews = super::review_home::cell_reviews(state, ctx, first.id).await?;
    let own_reviews = super::review_home::own_reviews(state, ctx).await?;
    for r in cell_reviews.into_iter().chain(own_reviews) {
        waits.push(WaitRow { text: r.text, href: r.href, action: r.action });
    }
    let (month, month_ok) = if h.month_held > 0 {
        (t.month_held, true)
    } else if h.month_scheduled > 0 {
        (t.month_planned, true)
    } else {
        (t.month_missing, false)
    };
    let topics = state.app.topics(&ctx.viewer, first.id, now.year()).await.unwrap_or_default();
    let f = MeetingFields { kind: Some(MeetingKind::Regular.code().into()), ..MeetingFields::default() };
    let fields = plan_fields(ctx, &f, &topics, false);
    Ok(SecretaryHome {
        c: ctx.chrome(first.input.name.clone()),
        t,
        cell_id: first.id.to_string(),
        cell_name: first.input.name.clone(),
        year: now.year(),
        next_attendance: h.next.as_ref().is_some_and(|m| m.held_on <= now),
        next: h.next.as_ref().map(|m| MeetingRow::of(m, t, lang)),
        notices: h
            .notices
            .iter()
            .map(|n| NoticeWait {
                meeting_id: n.meeting.id.to_string(),
                member_id: n.notice.member_id.to_string(),
                name: n.member_name.clone(),
                meeting: heading(&n.meeting, lang),
                reason: n.notice.reason.clone(),
            })
            .collect(),
        waiting: h.notices.len() + waits.len() + h.to_recognise,
        waits,
        recognise: h.to_recognise,
        month,
        month_ok,
        own_record: ctx.viewer.own_member_ids().first().map(|id| format!("/members/{id}")),
        others: cells
            .iter()
            .skip(1)
            .map(|o: &Org| Link { href: format!("/orgs/{}", o.id), text: o.input.name.clone() })
            .collect(),
        fields,
        general: Vec::new(),
    })
}

/// `GET /ui/waiting`: the header's count of what waits (empty when nothing does).
pub async fn waiting_badge(S(state): S<State>, ctx: Ctx) -> Response {
    let n = state.app.waiting_count(&ctx.viewer).await.unwrap_or(0);
    if n == 0 {
        return String::new().into_response();
    }
    let label = ctx.t.waiting_label;
    axum::response::Html(format!("<span class=\"count\" title=\"{n} {label}\">{n}</span>")).into_response()
}

/// `POST /meetings/{id}/notice/withdraw`: a member takes back their notice of absence.
pub async fn withdraw(S(state): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    ctx.check_csrf(&form)?;
    state.app.withdraw_notice(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    let next = super::page::safe_next(form.get("next"));
    let sep = if next.contains('?') { '&' } else { '?' };
    Ok(Redirect::to(&format!("{next}{sep}saved=1")).into_response())
}
