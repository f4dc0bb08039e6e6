//! Trends over years of a subtree (`/orgs/{id}/report/trends`): two server-drawn charts — the
//! members at each year's end; the admissions and exits of each year — and the same figures
//! as a table (read by screen readers, printed with the charts).

use super::chart::{Series, line_chart};
use super::page::{Chrome, Ctx, UiError, parse_id};
use super::text::Texts;
use crate::State;
use crate::attachment::{XLSX, attachment};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State as S};
use axum::response::{IntoResponse, Response};
use chibo_access::domain::report::YearPoint;
use chibo_access::trend_headers;
use uuid::Uuid;

#[derive(Template, WebTemplate)]
#[template(path = "report_trend.html")]
pub struct TrendPage {
    c: Chrome,
    t: &'static Texts,
    back: String,
    /// The same table as a spreadsheet.
    xlsx: String,
    org_name: String,
    heading: String,
    /// The charts, SVG documents drawn here.
    charts: [String; 2],
    headers: [&'static str; 4],
    points: Vec<YearPoint>,
    note: &'static str,
    print: &'static str,
}

pub async fn page(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<Response, UiError> {
    let id: Uuid = parse_id(&ctx, &id)?;
    let lang = ctx.lang;
    let trend = state.app.report_trend(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    let years: Vec<i32> = trend.points.iter().map(|p| p.year).collect();
    let headers = trend_headers(lang);
    let series = |label, f: fn(&YearPoint) -> u64, dashed| Series {
        label,
        values: trend.points.iter().map(f).collect(),
        dashed,
    };
    let members = line_chart(headers[1], &years, &[series(headers[1], |p| p.members, false)]);
    let flows = line_chart(
        &format!("{} · {}", headers[2], headers[3]),
        &years,
        &[series(headers[2], |p| p.admissions, false), series(headers[3], |p| p.exits, true)],
    );
    let heading = lang.pick("Xu hướng qua các năm", "Trends over the years");
    let page = TrendPage {
        c: ctx.chrome(format!("{heading} · {}", trend.org_name)),
        t: ctx.t,
        back: format!("/orgs/{id}/report"),
        xlsx: format!("/orgs/{id}/report/trends.xlsx"),
        org_name: trend.org_name.clone(),
        heading: heading.to_string(),
        charts: [members, flows],
        headers,
        points: trend.points,
        note: lang.pick(
            "Đảng viên trong danh sách ngày 31/12 (năm nay: hôm nay), theo cây tổ chức của ngày đó. Ra khỏi danh sách: từ trần, ra khỏi Đảng, xóa tên, khai trừ; chuyển sinh hoạt không tính.",
            "Members on the rolls on 31 December (this year: today), in the tree of that day. Exits: deaths, leaving, striking off, expulsion; transfers are not counted.",
        ),
        print: lang.pick("In", "Print"),
    };
    Ok(page.into_response())
}

/// `/orgs/{id}/report/trends.xlsx`: the table of the page.
pub async fn xlsx(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<Response, UiError> {
    let id: Uuid = parse_id(&ctx, &id)?;
    let bytes = state.app.report_trend_xlsx(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    Ok(attachment("Xu hướng qua các năm.xlsx", XLSX, bytes))
}
