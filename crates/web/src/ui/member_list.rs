//! A member list as its filters leave it, whole rather than a page at a time: "Xuất Excel"
//! (`.xlsx` under the title block every list carries) and the printable page, both with the
//! page's columns (`view::member_headers`, `MemberRow::cells`).

use super::orgs::ListQuery;
use super::page::{Chrome, Ctx, PRINT_MAX, UiError, parse_id};
use super::text::Texts;
use super::view::{MemberRow, member_headers};
use crate::State;
use crate::attachment::{XLSX, file_attachment};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State as S};
use axum::response::Response;
use chibo_access::{ListSheet, MemberSummary, Problem};
use uuid::Uuid;

/// Rows read a time (the access layer's largest page).
const READ_PAGE: i64 = 200;

/// Each page of the list in its order, read in the access layer's largest pages, to `visit`
/// until it says stop (`false`) or the list ends. The one read of the whole list: the print
/// gathers up to its cap, the spreadsheet writes each page as it comes.
async fn each_page(
    state: &State,
    ctx: &Ctx,
    id: Uuid,
    lq: &ListQuery,
    mut visit: impl FnMut(&[MemberSummary]) -> Result<bool, Problem>,
) -> Result<(), Problem> {
    let mut after = None;
    loop {
        let page = state.app.members_page(&ctx.viewer, id, &lq.request(after, READ_PAGE)).await?;
        if !visit(&page.items)? || page.next.is_none() {
            return Ok(());
        }
        after = page.next;
    }
}

/// What narrows the list ("Tìm …: lan · Trạng thái: Chính thức"), empty when nothing does.
fn detail(t: &Texts, ctx: &Ctx, lq: &ListQuery) -> String {
    let mut parts = Vec::new();
    if !lq.search().is_empty() {
        parts.push(format!("{}: {}", t.search_members, lq.search()));
    }
    if let Some(s) = lq.status() {
        parts.push(format!("{}: {}", t.status, s.label(ctx.lang)));
    }
    parts.join(" · ")
}

/// `GET /orgs/{id}/members/list.xlsx?q=&status=`: every member of the list, written to the
/// sheet a page at a time and sent from a temporary file (a province's root lists 220,000).
pub async fn export(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(lq): Query<ListQuery>,
) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    let t = ctx.t;
    let sheet = ListSheet {
        what: "members.list.export",
        title: ("DANH SÁCH ĐẢNG VIÊN", "LIST OF PARTY MEMBERS"),
        detail: detail(t, &ctx, &lq),
        headers: member_headers(t).map(str::to_string).to_vec(),
        rows: Vec::new(),
        note: String::new(),
    };
    let unavailable = |e: std::io::Error| ctx.fail(Problem::Unavailable(e.to_string()));
    let mut out = state.app.list_sheet(&ctx.viewer, id, sheet).await.map_err(|p| ctx.fail(p))?;
    each_page(&state, &ctx, id, &lq, |page| {
        for m in page {
            out.push(&MemberRow::of(m, ctx.lang).cells())?;
        }
        Ok(true)
    })
    .await
    .map_err(|p| ctx.fail(p))?;
    let file = tempfile::tempfile().map_err(unavailable)?;
    let file = out.finish_into(file).await.map_err(|p| ctx.fail(p))?;
    file_attachment("Danh sách đảng viên.xlsx", XLSX, file).await.map_err(unavailable)
}

#[derive(Template, WebTemplate)]
#[template(path = "member_list_print.html")]
pub struct MemberListPrint {
    c: Chrome,
    t: &'static Texts,
    id: Uuid,
    name: String,
    detail: String,
    export: String,
    headers: [&'static str; 5],
    rows: Vec<MemberRow>,
    /// More than [`PRINT_MAX`] rows: the print holds the first ones.
    cut: bool,
}

/// `GET /orgs/{id}/members/print?q=&status=`: the list on A4.
pub async fn print(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(lq): Query<ListQuery>,
) -> Result<MemberListPrint, UiError> {
    let id = parse_id(&ctx, &id)?;
    let mut rows = Vec::new();
    each_page(&state, &ctx, id, &lq, |page| {
        rows.extend(page.iter().map(|m| MemberRow::of(m, ctx.lang)));
        Ok(rows.len() <= PRINT_MAX)
    })
    .await
    .map_err(|p| ctx.fail(p))?;
    let cut = rows.len() > PRINT_MAX;
    rows.truncate(PRINT_MAX);
    let org = state.app.org(&ctx.viewer, id, false).await.map_err(|p| ctx.fail(p))?.org;
    let t = ctx.t;
    Ok(MemberListPrint {
        c: ctx.chrome(format!("{} · {}", t.member_list_title, org.input.name)),
        t,
        id,
        name: org.input.name,
        detail: detail(t, &ctx, &lq),
        export: format!("/orgs/{id}/members/list.xlsx?{}", lq.base()),
        headers: member_headers(t),
        rows,
        cut,
    })
}
