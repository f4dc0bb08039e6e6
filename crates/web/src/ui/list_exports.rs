//! "Xuất Excel" of the meeting lists: the figures of the organisations below, the absence list
//! and the cells that missed a meeting. Each goes through the one path every list takes
//! (`Chibo::list_xlsx`: the right to list the subtree, the read logged, the title block), with
//! the columns its page shows.

use super::meeting_reports::{PeriodQuery, absence_headers, absence_rows, child_rows, figure_headers, period_label};
use super::meetings::{YearQuery, year_of};
use super::missed::{MissedQuery, all_missed, missed_headers};
use super::page::{Ctx, UiError, parse_id};
use crate::State;
use crate::attachment::{XLSX, attachment};
use axum::extract::{Path, Query, State as S};
use axum::response::Response;
use chibo_access::ListSheet;

/// `GET /orgs/{id}/meeting-figures.xlsx?period=`: the table of the organisations below, as on
/// the page.
pub async fn figures(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    let code = q.code(ctx.today()).map_err(|p| ctx.fail(p))?;
    let view = state.app.meeting_figures(&ctx.viewer, id, &code).await.map_err(|p| ctx.fail(p))?;
    let t = ctx.t;
    let sheet = ListSheet {
        what: "meeting_figures.export",
        title: ("SỐ LIỆU SINH HOẠT CHI BỘ", "CELL MEETING FIGURES"),
        detail: period_label(&view.period, t),
        headers: figure_headers(t).map(str::to_string).to_vec(),
        rows: child_rows(&view, t, ctx.lang).iter().map(|r| r.cells()).collect(),
        note: String::new(),
    };
    let bytes = state.app.list_xlsx(&ctx.viewer, id, sheet).await.map_err(|p| ctx.fail(p))?;
    Ok(attachment("Số liệu sinh hoạt chi bộ.xlsx", XLSX, bytes))
}

/// `GET /orgs/{id}/absences.xlsx?year=`: the page's list.
pub async fn absences(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    let year = year_of(&q.year, ctx.today());
    let (_, rows, many_cells, too_many) = absence_rows(&state, &ctx, id, year).await?;
    let t = ctx.t;
    let sheet = ListSheet {
        what: "absences.export",
        title: ("DANH SÁCH ĐẢNG VIÊN VẮNG SINH HOẠT CẦN QUAN TÂM", "MEMBERS ABSENT FROM MEETINGS"),
        detail: format!("{} {year}", t.year),
        headers: absence_headers(t, many_cells).into_iter().map(str::to_string).collect(),
        rows: rows.iter().map(|r| r.cells(many_cells)).collect(),
        note: if too_many { t.absences_too_many.to_string() } else { String::new() },
    };
    let bytes = state.app.list_xlsx(&ctx.viewer, id, sheet).await.map_err(|p| ctx.fail(p))?;
    Ok(attachment("Đảng viên vắng sinh hoạt.xlsx", XLSX, bytes))
}

/// `GET /orgs/{id}/meeting-figures/missing.xlsx?period=`: every cell that missed the period's
/// meeting, in the order of the tree, read in the list's largest pages.
pub async fn missed(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<MissedQuery>,
) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    let period = q.period.clone().unwrap_or_default();
    let (all, _) = all_missed(&state, &ctx, id, &period, usize::MAX).await.map_err(|p| ctx.fail(p))?;
    let rows = all.cells.iter().enumerate().map(|(i, c)| vec![(i + 1).to_string(), c.name.clone()]).collect();
    let t = ctx.t;
    let sheet = ListSheet {
        what: "missed.export",
        title: ("DANH SÁCH CHI BỘ THIẾU BUỔI SINH HOẠT", "CELLS THAT MISSED THE MEETING"),
        detail: format!("{} {period}", t.period),
        headers: missed_headers(t).map(str::to_string).to_vec(),
        rows,
        note: String::new(),
    };
    let bytes = state.app.list_xlsx(&ctx.viewer, id, sheet).await.map_err(|p| ctx.fail(p))?;
    Ok(attachment("Chi bộ thiếu buổi sinh hoạt.xlsx", XLSX, bytes))
}
