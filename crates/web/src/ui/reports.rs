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
use chibo_access::{Lang, Report, admission_detail, default_period, percent_text, report_headers};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    on: Option<String>,
    period: Option<String>,
}

/// One line of the page: label, count, share, and where its members are listed (if anywhere).
pub struct Line {
    label: String,
    count: u64,
    share: String,
    detail: bool,
    href: Option<String>,
}

pub struct Block {
    title: String,
    lines: Vec<Line>,
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
    let id = r.org_id;
    let mut out: Vec<Block> = r
        .structure
        .sections
        .iter()
        .map(|s| Block {
            title: s.title.to_string(),
            lines: s
                .rows
                .iter()
                .map(|row| Line {
                    label: row.label.clone(),
                    count: row.count,
                    share: percent_text(row.share.num, row.share.den, lang),
                    detail: row.detail,
                    // The member list filters by standing only.
                    href: (s.key == "status" && row.count > 0)
                        .then(|| format!("/orgs/{id}?status={}#members", row.key)),
                })
                .collect(),
        })
        .collect();
    let admitted = r.changes.count(chibo_access::domain::report::Change::Admitted);
    let mut changes: Vec<Line> = r
        .changes
        .rows
        .iter()
        .map(|row| Line {
            label: row.label.to_string(),
            count: row.count,
            share: String::new(),
            detail: false,
            href: None,
        })
        .collect();
    changes.extend(admission_detail(&r.changes, lang).into_iter().map(|(label, n)| Line {
        label: label.to_string(),
        count: n,
        share: percent_text(n, admitted, lang),
        detail: true,
        href: None,
    }));
    out.push(Block {
        title: lang.pick("Biến động trong kỳ", "Changes in the period").to_string(), lines: changes
    });
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
    let on = on_date(&q.on).map_err(|v| ctx.fail(chibo_access::Problem::Invalid(v)))?;
    let period = q.period.clone().unwrap_or_else(default_period);
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
    let period = q.period.clone().unwrap_or_else(default_period);
    let bytes = state.app.report_xlsx(&ctx.viewer, id, None, &period).await.map_err(|p| ctx.fail(p))?;
    Ok(attachment("Báo cáo thống kê đảng viên.xlsx", XLSX, bytes))
}
