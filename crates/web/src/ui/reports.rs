//! The statistics report page (`/orgs/{id}/report`) and its spreadsheet
//! (`/orgs/{id}/report.xlsx`): the same rows and columns (`chibo_access::report_rows`).

use super::page::{Chrome, Ctx, UiError, parse_id};
use super::text::Texts;
use crate::State;
use crate::api::restructure::on_date;
use crate::attachment::{XLSX, attachment};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State as S};
use axum::response::{IntoResponse, Response};
use chibo_access::domain::date::format_vn;
use chibo_access::{Lang, Report, ReportLine, default_period, report_headers, report_lines};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    on: Option<String>,
    period: Option<String>,
}

/// The lines of one section.
pub struct Block {
    title: String,
    lines: Vec<Line>,
}

/// A report line with where its members are listed, if anywhere (the member list filters by
/// standing only).
pub struct Line {
    line: ReportLine,
    href: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "report.html")]
pub struct ReportPage {
    c: Chrome,
    t: &'static Texts,
    id: String,
    name: String,
    period: String,
    heading: String,
    headers: [&'static str; 4],
    blocks: Vec<Block>,
    xlsx: String,
    labels: [&'static str; 4],
}

fn blocks(r: &Report, lang: Lang) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    for line in report_lines(r, lang) {
        let href = line
            .status
            .as_ref()
            .filter(|_| line.count > 0)
            .map(|code| format!("/orgs/{}?status={code}#members", r.org_id));
        match out.last_mut() {
            Some(b) if b.title == line.section => b.lines.push(Line { line, href }),
            _ => out.push(Block { title: line.section.clone(), lines: vec![Line { line, href }] }),
        }
    }
    out
}

pub async fn report(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<ReportQuery>,
) -> Result<Response, UiError> {
    let id: Uuid = parse_id(&ctx, &id)?;
    let lang = ctx.lang;
    let on = on_date(&q.on, ctx.today()).map_err(|v| ctx.fail(chibo_access::Problem::Invalid(v)))?;
    let period = q.period.clone().unwrap_or_else(|| default_period(ctx.today()));
    let r = state.app.report(&ctx.viewer, id, Some(on), &period).await.map_err(|p| ctx.fail(p))?;
    let heading = format!(
        "{} {} · {} {} – {}",
        lang.pick("Cơ cấu ngày", "Structure on"),
        format_vn(r.structure.on),
        lang.pick("biến động từ", "changes from"),
        format_vn(r.changes.from),
        format_vn(r.changes.to)
    );
    let page = ReportPage {
        c: ctx.chrome(format!("{} · {}", lang.pick("Báo cáo thống kê", "Statistics"), r.org_name)),
        t: ctx.t,
        id: id.to_string(),
        name: r.org_name.clone(),
        period: r.period.clone(),
        heading,
        headers: report_headers(lang),
        blocks: blocks(&r, lang),
        xlsx: format!("/orgs/{id}/report.xlsx?period={}", urlencode(&r.period)),
        labels: [
            lang.pick("Kỳ báo cáo", "Period"),
            lang.pick(
                "Năm (2025), quý (2025-Q1), tháng (2025-03) hoặc khoảng ngày (2025-01-01..2025-06-30)",
                "Year (2025), quarter (2025-Q1), month (2025-03) or dates (2025-01-01..2025-06-30)",
            ),
            lang.pick("Xem", "Show"),
            lang.pick("In", "Print"),
        ],
    };
    Ok(page.into_response())
}

fn urlencode(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.')).collect()
}

pub async fn report_xlsx(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<ReportQuery>,
) -> Result<Response, UiError> {
    let id: Uuid = parse_id(&ctx, &id)?;
    let period = q.period.clone().unwrap_or_else(|| default_period(ctx.today()));
    let bytes = state.app.report_xlsx(&ctx.viewer, id, None, &period).await.map_err(|p| ctx.fail(p))?;
    Ok(attachment("Báo cáo thống kê đảng viên.xlsx", XLSX, bytes))
}
