//! The list behind a number of the statistics report (`/orgs/{id}/report/list?item=`) and its
//! spreadsheet (`/orgs/{id}/report/list.xlsx`): the same columns
//! (`chibo_access::report_list_table`), a page at a time.

use super::page::{Chrome, Ctx, PRINT_MAX, UiError, parse_id, qs};
use super::text::Texts;
use crate::State;
use crate::api::restructure::on_date;
use crate::attachment::{XLSX, file_attachment};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State as S};
use axum::response::{IntoResponse, Response};
use chibo_access::domain::date::format_vn;
use chibo_access::{REPORT_LIST_MAX, ReportList, default_period, report_list_table};
use serde::Deserialize;
use uuid::Uuid;

/// Lines a page.
const PAGE: usize = 100;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    item: Option<String>,
    on: Option<String>,
    period: Option<String>,
    offset: Option<String>,
    /// Present: the whole list (at most [`PRINT_MAX`] lines) on one page, to print.
    print: Option<String>,
}

/// A row: the cells (the ordinal, then the name), and where the name links (the record or the
/// organisation, when the viewer may open it).
pub struct Row {
    href: Option<String>,
    cells: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "report_list.html")]
pub struct ListPage {
    c: Chrome,
    t: &'static Texts,
    back: String,
    org_name: String,
    heading: String,
    detail: String,
    total: usize,
    headers: Vec<String>,
    rows: Vec<Row>,
    xlsx: String,
    next: Option<String>,
    restart: Option<String>,
    print: &'static str,
    /// More than one page: the print button opens the whole list ([`PRINT_MAX`] lines) to print.
    print_all: Option<String>,
    /// The whole list asked for was longer than [`PRINT_MAX`] lines.
    cut: bool,
}

/// The query every link of the list carries: the line, the date, the period.
fn query_of(l: &ReportList) -> String {
    format!("item={}&on={}&period={}", qs(&l.item), l.on, qs(&l.period))
}

pub async fn page(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, UiError> {
    let id: Uuid = parse_id(&ctx, &id)?;
    let lang = ctx.lang;
    let on = on_date(&q.on, ctx.today()).map_err(|v| ctx.fail(chibo_access::Problem::Invalid(v)))?;
    let period = q.period.clone().unwrap_or_else(|| default_period(ctx.today()));
    let offset = crate::input::offset_of(q.offset.as_deref()).map_err(|p| ctx.fail(p))?;
    let offset = usize::try_from(offset).unwrap_or(0);
    let item = q.item.clone().unwrap_or_default();
    let printing = q.print.is_some();
    let l = if printing {
        state.app.report_list_whole(&ctx.viewer, id, Some(on), &period, &item, PRINT_MAX).await
    } else {
        state.app.report_list(&ctx.viewer, id, Some(on), &period, &item, offset, PAGE).await
    }
    .map_err(|p| ctx.fail(p))?;
    let (headers, rows) = rows_of(&l, lang);
    // Printing: the whole list but for what is past PRINT_MAX (said on the page).
    let cut = printing && l.next.is_some();
    let paged = l.next.is_some() || l.offset > 0;
    let here = |from: usize| format!("/orgs/{id}/report/list?{}&offset={from}", query_of(&l));
    let page = ListPage {
        c: ctx.chrome(format!("{}: {} · {}", l.section, l.label, l.org_name)),
        t: ctx.t,
        back: format!("/orgs/{id}/report?on={}&period={}", l.on, qs(&l.period)),
        org_name: l.org_name.clone(),
        heading: format!("{}: {}", l.section, l.label),
        detail: format!(
            "{} {} · {} {} – {}",
            lang.pick("Cơ cấu ngày", "Structure on"),
            format_vn(l.on),
            lang.pick("biến động từ", "changes from"),
            format_vn(l.from),
            format_vn(l.to)
        ),
        total: l.total,
        headers,
        rows,
        xlsx: format!("/orgs/{id}/report/list.xlsx?{}", query_of(&l)),
        next: l.next.filter(|_| !printing).map(here),
        restart: (l.offset > 0 && !printing).then(|| here(0)),
        print: lang.pick("In", "Print"),
        print_all: (paged && !printing).then(|| format!("/orgs/{id}/report/list?{}&print=1", query_of(&l))),
        cut,
    };
    const { assert!(PAGE <= REPORT_LIST_MAX) };
    Ok(page.into_response())
}

/// The columns of a page of the list and its rows, each name linked where the viewer may open it.
fn rows_of(l: &ReportList, lang: chibo_access::Lang) -> (Vec<String>, Vec<Row>) {
    let (headers, cells) = report_list_table(l, lang);
    let links = l
        .members
        .iter()
        .map(|m| m.readable.then(|| format!("/members/{}", m.id)))
        .chain(l.orgs.iter().map(|o| o.readable.then(|| format!("/orgs/{}", o.id))));
    (headers, links.zip(cells).map(|(href, cells)| Row { href, cells }).collect())
}

/// `GET /orgs/{id}/report/list.xlsx?item=&on=&period=`: every line of the list, its records
/// read a part at a time and sent from a temporary file (a province's total lists 220,000).
pub async fn xlsx(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, UiError> {
    let id: Uuid = parse_id(&ctx, &id)?;
    let on = on_date(&q.on, ctx.today()).map_err(|v| ctx.fail(chibo_access::Problem::Invalid(v)))?;
    let period = q.period.clone().unwrap_or_else(|| default_period(ctx.today()));
    let item = q.item.clone().unwrap_or_default();
    let unavailable = |e: std::io::Error| ctx.fail(chibo_access::Problem::Unavailable(e.to_string()));
    let file = tempfile::tempfile().map_err(unavailable)?;
    let file = state.app.report_list_xlsx_into(&ctx.viewer, id, Some(on), &period, &item, file).await;
    let file = file.map_err(|p| ctx.fail(p))?;
    file_attachment("Danh sách chi tiết báo cáo.xlsx", XLSX, file).await.map_err(unavailable)
}
