//! The statistics report page (`/orgs/{id}/report`) and its spreadsheet
//! (`/orgs/{id}/report.xlsx`): the same rows and columns (`chibo_access::report_rows`).

use super::page::{Chrome, Ctx, UiError, parse_id, qs};
use super::text::Texts;
use crate::State;
use crate::api::restructure::on_date;
use crate::attachment::{XLSX, attachment};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State as S};
use axum::response::{IntoResponse, Response};
use chibo_access::domain::date::format_vn;
use chibo_access::domain::org::OrgKind;
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

/// A report line with the list behind its number (`/orgs/{id}/report/list`).
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
    /// The date of the structure as typed (dd/mm/yyyy), empty for today.
    on: String,
    heading: String,
    headers: [&'static str; 4],
    blocks: Vec<Block>,
    xlsx: String,
    labels: [&'static str; 7],
    /// The printed report's foot (*chữ ký*): the place and date, then who prepared it and for
    /// whom the secretary signs.
    signatures: Signatures,
}

/// The signatures at the foot of the printed report, as the statistics forms end: the one who
/// prepared it (*người lập biểu*, the account printing it) and the organisation's secretary
/// for its committee, or for the cell (*T/M chi bộ*), with the place and date.
pub struct Signatures {
    dateline: String,
    prepared: &'static str,
    prepared_by: String,
    for_whom: &'static str,
    role: &'static str,
}

impl Signatures {
    fn of(ctx: &Ctx, r: &Report) -> Signatures {
        let lang = ctx.lang;
        let place = super::meeting_reports::dateline_place(&r.locality);
        let (for_whom, role) = match r.kind {
            OrgKind::PartyGroup => (lang.pick("T/M TỔ ĐẢNG", "FOR THE PARTY GROUP"), lang.pick("TỔ TRƯỞNG", "LEADER")),
            k if k.is_cell() => (lang.pick("T/M CHI BỘ", "FOR THE CELL"), lang.pick("BÍ THƯ", "SECRETARY")),
            _ => (lang.pick("T/M CẤP ỦY", "FOR THE COMMITTEE"), lang.pick("BÍ THƯ", "SECRETARY")),
        };
        Signatures {
            dateline: super::meeting_reports::dateline(lang, &place, ctx.today()),
            prepared: lang.pick("NGƯỜI LẬP BIỂU", "PREPARED BY"),
            prepared_by: ctx.viewer.display_name().to_string(),
            for_whom,
            role,
        }
    }
}

fn blocks(r: &Report, lang: Lang) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    for line in report_lines(r, lang) {
        let href = (line.count > 0).then(|| {
            format!(
                "/orgs/{}/report/list?item={}&on={}&period={}",
                r.org_id,
                qs(&line.item),
                r.structure.on,
                qs(&r.period)
            )
        });
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
        on: if on == ctx.today() { String::new() } else { format_vn(on) },
        heading,
        headers: report_headers(lang),
        blocks: blocks(&r, lang),
        xlsx: format!("/orgs/{id}/report.xlsx?period={}&on={}", qs(&r.period), on),
        labels: [
            lang.pick("Kỳ báo cáo", "Period"),
            lang.pick(
                "Năm (2025), quý (2025-Q1), tháng (2025-03) hoặc khoảng ngày (2025-01-01..2025-06-30)",
                "Year (2025), quarter (2025-Q1), month (2025-03) or dates (2025-01-01..2025-06-30)",
            ),
            lang.pick("Xem", "Show"),
            lang.pick("In", "Print"),
            lang.pick("Cơ cấu tại ngày", "Structure on"),
            lang.pick(
                "Để trống: hôm nay. Ngày đã qua: theo cây tổ chức của ngày đó.",
                "Empty: today. A past date: the tree of that date.",
            ),
            lang.pick("Xu hướng qua các năm", "Trends over the years"),
        ],
        signatures: Signatures::of(&ctx, &r),
    };
    Ok(page.into_response())
}

pub async fn report_xlsx(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<ReportQuery>,
) -> Result<Response, UiError> {
    let id: Uuid = parse_id(&ctx, &id)?;
    let on = on_date(&q.on, ctx.today()).map_err(|v| ctx.fail(chibo_access::Problem::Invalid(v)))?;
    let period = q.period.clone().unwrap_or_else(|| default_period(ctx.today()));
    let bytes = state.app.report_xlsx(&ctx.viewer, id, Some(on), &period).await.map_err(|p| ctx.fail(p))?;
    Ok(attachment("Báo cáo thống kê đảng viên.xlsx", XLSX, bytes))
}
