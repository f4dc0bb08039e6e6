//! The cells that missed the meeting of one month (regular) or quarter (thematic) under an
//! organisation, page by page, in the order of the tree (`/orgs/{id}/meeting-figures/missing`).

use super::meeting_reports::{cell_link, period_label};
use super::page::{Chrome, Ctx, PRINT_MAX, UiError, parse_id, qs};
use super::text::Texts;
use super::view::Link;
use crate::State;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State as S};
use axum::response::{IntoResponse, Response};
use chibo_access::domain::meeting::PeriodKey;
use chibo_access::{MISSED_PAGE, MissedIn, Problem};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize, Default)]
pub struct MissedQuery {
    pub(super) period: Option<String>,
    offset: Option<String>,
    /// Present: the whole list (at most [`PRINT_MAX`] cells) on one page, to print.
    print: Option<String>,
}

/// The cells that missed the period, from the first: at most `max`, and whether there were
/// more (the page to print, the spreadsheet), read in one snapshot.
pub(super) async fn all_missed(
    state: &State,
    ctx: &Ctx,
    id: Uuid,
    period: &str,
    max: usize,
) -> Result<(MissedIn, bool), Problem> {
    state.app.missed_meetings_whole(&ctx.viewer, id, period, max).await
}

/// The columns of the list, on the page and in the spreadsheet.
pub(super) fn missed_headers(t: &Texts) -> [&'static str; 2] {
    [t.ordinal, t.cell_column]
}

#[derive(Template, WebTemplate)]
#[template(path = "meeting_missed.html")]
pub struct MissedPage {
    c: Chrome,
    t: &'static Texts,
    org: Link,
    figures: String,
    heading: String,
    count: i64,
    first: usize,
    cells: Vec<Link>,
    next: Option<String>,
    restart: Option<String>,
    headers: [&'static str; 2],
    xlsx: String,
    /// More than one page: the print button opens the whole list to print.
    print_all: Option<String>,
    /// The whole list was longer than [`PRINT_MAX`] cells.
    cut: bool,
}

pub async fn page(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<MissedQuery>,
) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    let t = ctx.t;
    let period = q.period.clone().unwrap_or_default();
    let offset = crate::input::offset_of(q.offset.as_deref()).map_err(|p| ctx.fail(p))?;
    let ov = state.app.org(&ctx.viewer, id, false).await.map_err(|p| ctx.fail(p))?;
    let printing = q.print.is_some();
    let (m, cut) = if printing {
        all_missed(&state, &ctx, id, &period, PRINT_MAX).await
    } else {
        state.app.missed_meetings(&ctx.viewer, id, &period, offset, MISSED_PAGE).await.map(|m| (m, false))
    }
    .map_err(|p| ctx.fail(p))?;
    let offset = if printing { 0 } else { offset };
    let what = if matches!(PeriodKey::parse(&period), Some(PeriodKey::Quarter(..))) {
        t.missed_thematic_in
    } else {
        t.missed_regular_in
    };
    let heading = format!("{what}: {}", period_label(&m.period, t));
    let here = |from: i64| format!("/orgs/{id}/meeting-figures/missing?period={}&offset={from}", qs(&m.period));
    let page = MissedPage {
        c: ctx.chrome(format!("{}: {}", t.missed_heading, ov.org.input.name)),
        t,
        figures: format!("/orgs/{id}/meeting-figures?period={}", qs(&m.period)),
        org: Link { href: format!("/orgs/{id}"), text: ov.org.input.name },
        heading,
        count: m.count,
        first: usize::try_from(offset).unwrap_or(0) + 1,
        cells: m.cells.iter().map(|c| cell_link(c, &m.period)).collect(),
        next: m.next.map(here),
        restart: (offset > 0).then(|| here(0)),
        print_all: (m.next.is_some() || offset > 0)
            .then(|| format!("/orgs/{id}/meeting-figures/missing?period={}&print=1", qs(&m.period))),
        cut,
        headers: missed_headers(t),
        xlsx: format!("/orgs/{id}/meeting-figures/missing.xlsx?period={}", qs(&m.period)),
    };
    debug_assert!(printing || page.cells.len() <= MISSED_PAGE);
    Ok(page.into_response())
}
