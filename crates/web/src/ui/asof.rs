//! An organisation as of a date (*xem theo ngày*), and the members transferred to it waiting
//! to be received (*đảng viên chuyển đến*), with the accepting form.

use super::life::today_dated;
use super::page::{Chrome, Ctx, Posted, UiError, form_errors, parse_id};
use super::text::Texts;
use super::view::{Item, item};
use crate::State;
use crate::api::restructure::on_date;
use crate::input::DateStyle;
use crate::life_input::{DatedFields, EventFields};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State as S};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_access::domain::date::format_vn;
use chibo_access::domain::life::{EventKind, Tally};
use chibo_access::{MemberOnDate, Problem, Validation};
use serde::Deserialize;
use uuid::Uuid;

fn counts(t: &Texts, s: &Tally) -> Vec<Item> {
    vec![
        item(t.count_members, s.members.to_string()),
        item(t.count_official, s.official.to_string()),
        item(t.count_probationary, s.probationary.to_string()),
        item(t.count_female, s.female.to_string()),
        item(t.count_minority, s.minority.to_string()),
    ]
}

/// A sub-organisation on the date: a link to its own view of that date when readable.
pub struct ChildRow {
    pub href: Option<String>,
    pub name: String,
    pub kind: &'static str,
    pub members: i64,
    pub official: i64,
}

pub struct RollRow {
    pub href: Option<String>,
    pub name: String,
    pub birth_date: String,
    pub status: &'static str,
    pub since: String,
}

fn roll(ctx: &Ctx, list: &[MemberOnDate]) -> Vec<RollRow> {
    list.iter()
        .map(|m| RollRow {
            href: m.readable.then(|| format!("/members/{}", m.id)),
            name: m.full_name.clone(),
            birth_date: format_vn(m.birth_date),
            status: m.status.label(ctx.lang),
            since: format_vn(m.since),
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "org_asof.html")]
pub struct AsOfPage {
    c: Chrome,
    t: &'static Texts,
    id: String,
    /// The organisation's name today (the breadcrumb back).
    current_name: String,
    name: String,
    on: String,
    error: Option<String>,
    existed: bool,
    /// When it was not yet in the tree: its establishment date, and whether the counts below
    /// are of organisations that now belong to it.
    founded: String,
    counted_elsewhere: bool,
    parent: Option<(Option<String>, String)>,
    counts: Vec<Item>,
    children: Vec<ChildRow>,
    /// The rolls and the temporarily attached, each under its title (empty ones left out).
    rolls: Vec<(&'static str, Vec<RollRow>)>,
}

#[derive(Deserialize, Default)]
pub struct OnQuery {
    on: Option<String>,
}

pub async fn as_of(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<OnQuery>,
) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    let t = ctx.t;
    let (on, error) = match on_date(&q.on, ctx.today()) {
        Ok(d) => (d, None),
        Err(v) => (ctx.today(), v.errors.first().map(|e| e.message(ctx.lang).to_string())),
    };
    let o = state.app.org_on(&ctx.viewer, id, on).await.map_err(|p| ctx.fail(p))?;
    let day = format_vn(on);
    let link = |id: Uuid| format!("/orgs/{id}/as-of?on={day}");
    let page = AsOfPage {
        c: ctx.chrome(format!("{} · {}", o.name, day)),
        t,
        id: id.to_string(),
        current_name: o.org.input.name.clone(),
        name: o.name.clone(),
        // The text typed stays in the box when it was not a date.
        on: if error.is_some() { q.on.clone().unwrap_or_default() } else { day.clone() },
        existed: o.existed,
        founded: o.org.input.established_on.map(format_vn).unwrap_or_default(),
        counted_elsewhere: !o.existed && o.tally.members > 0,
        parent: o.parent.as_ref().map(|p| (p.readable.then(|| link(p.id)), p.name.clone())),
        counts: counts(t, &o.tally),
        children: o
            .children
            .iter()
            .map(|c| ChildRow {
                href: c.readable.then(|| link(c.id)),
                name: c.name.clone(),
                kind: c.kind.label(ctx.lang),
                members: c.tally.members,
                official: c.tally.official,
            })
            .collect(),
        rolls: [(t.rolls, roll(&ctx, &o.members)), (t.attached, roll(&ctx, &o.attached))]
            .into_iter()
            .filter(|(_, l)| !l.is_empty())
            .collect(),
        error: error.clone(),
    };
    let status =
        if error.is_some() { axum::http::StatusCode::UNPROCESSABLE_ENTITY } else { axum::http::StatusCode::OK };
    Ok((status, page).into_response())
}

/// A member waiting to be received, and the accepting form's values and error.
pub struct IncomingRow {
    pub id: String,
    pub name: String,
    pub birth_date: String,
    pub status: &'static str,
    pub to: String,
    /// The sending cell and the date of the transfer out.
    pub from: String,
    pub sent_on: String,
    pub dated: DatedFields,
    pub error: Option<String>,
}

/// The incoming transfers of an organisation, for those who may receive them.
pub async fn incoming_rows(state: &State, ctx: &Ctx, org: Uuid) -> Result<Vec<IncomingRow>, Problem> {
    let list = state.app.incoming_transfers(&ctx.viewer, org).await?;
    let mut rows = Vec::new();
    for t in &list {
        let m = &t.member;
        let to = match m.life.transit_org_id {
            Some(to) => state.app.org(&ctx.viewer, to, true).await.map(|o| o.org.input.name).unwrap_or_default(),
            None => String::new(),
        };
        rows.push(IncomingRow {
            id: m.id.to_string(),
            name: m.full_name.clone(),
            birth_date: format_vn(m.input.birth_date),
            status: m.input.status.label(ctx.lang),
            to,
            from: t.from_name.clone().unwrap_or_default(),
            sent_on: format_vn(t.sent_on),
            dated: today_dated(ctx.today()),
            error: None,
        });
    }
    Ok(rows)
}

#[derive(Template, WebTemplate)]
#[template(path = "incoming.html")]
pub struct IncomingPage {
    c: Chrome,
    t: &'static Texts,
    id: String,
    name: String,
    incoming: Vec<IncomingRow>,
}

async fn incoming_page(state: &State, ctx: &Ctx, id: Uuid) -> Result<IncomingPage, UiError> {
    let ov = state.app.org(&ctx.viewer, id, true).await.map_err(|p| ctx.fail(p))?;
    let incoming = incoming_rows(state, ctx, id).await.map_err(|p| ctx.fail(p))?;
    Ok(IncomingPage { c: ctx.chrome(ctx.t.incoming), t: ctx.t, id: id.to_string(), name: ov.org.input.name, incoming })
}

pub async fn incoming(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<IncomingPage, UiError> {
    let id = parse_id(&ctx, &id)?;
    incoming_page(&state, &ctx, id).await
}

/// Receive a member: the arrival (`transferred_in`) into the cell the transfer named.
pub async fn accept(
    S(state): S<State>,
    ctx: Ctx,
    Path((id, member)): Path<(String, String)>,
    form: Posted,
) -> Result<Response, UiError> {
    let (id, member) = (parse_id(&ctx, &id)?, parse_id(&ctx, &member)?);
    ctx.check_csrf(&form)?;
    let list = state.app.incoming_transfers(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    let m = &list.iter().find(|t| t.member.id == member).ok_or_else(|| ctx.fail(Problem::NotFound))?.member;
    let dated: DatedFields = form.to();
    let f = EventFields {
        kind: Some(EventKind::TransferredIn.code().to_string()),
        org_id: m.life.transit_org_id.map(|o| o.to_string()),
        dated: dated.clone(),
        ..EventFields::default()
    };
    let outcome = match f.parse(DateStyle::Vietnamese) {
        Ok(input) => state.app.record_event(&ctx.viewer, member, input).await.map(|_| ()),
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/members/{member}?saved=1#timeline")).into_response()),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            let mut page = incoming_page(&state, &ctx, id).await?;
            if let Some(row) = page.incoming.iter_mut().find(|r| r.id == member.to_string()) {
                row.error = Some(messages(&errors, ctx.lang));
                row.dated = dated;
            }
            Ok((status, page).into_response())
        }
    }
}

fn messages(v: &Validation, lang: chibo_access::Lang) -> String {
    v.errors.iter().map(|e| e.message(lang)).collect::<Vec<_>>().join(" ")
}
