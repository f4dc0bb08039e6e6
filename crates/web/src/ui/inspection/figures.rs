//! `/orgs/{id}/inspection-figures?period=`: cases by kind, findings, disciplined members and
//! organisations, own and subtree coverage, the organisations directly under it (each linking to
//! its figures); and the same as an `.xlsx`.

use super::{Table, kind_label, labels, pick};
use crate::State;
use crate::api::inspection::period_of;
use crate::attachment::{XLSX, attachment};
use crate::ui::page::{Chrome, Ctx, UiError, parse_id};
use crate::ui::text::Texts;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State as S};
use axum::response::Response;
use chibo_access::domain::date::format_vn;
use chibo_access::domain::inspection::{Coverage, Finding, Penalty};
use chibo_access::{InspectionFigures, Lang};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    pub period: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "inspection_figures.html")]
pub struct FiguresPage {
    c: Chrome,
    t: &'static Texts,
    id: Uuid,
    name: String,
    heading: String,
    periods: Vec<(String, String, bool)>,
    summary: Vec<(String, String)>,
    tables: Vec<(String, Table)>,
    xlsx: String,
    labels: Vec<String>,
}

fn coverage_text(c: Coverage) -> String {
    format!("{}/{} ({}%)", c.covered, c.owed, c.percent_text().unwrap_or_else(|| "—".into()))
}

/// The totals above the tables: cases, own coverage, the subtree's coverage.
fn summary(f: &InspectionFigures, lang: Lang) -> Vec<(String, String)> {
    vec![
        (pick(lang, "Tổng số cuộc", "Cases"), f.total_cases.to_string()),
        (
            pick(lang, "Tổ chức trực thuộc được kiểm tra, giám sát", "Own subordinates covered"),
            coverage_text(f.coverage_own),
        ),
        (pick(lang, "Tỷ lệ bao phủ toàn đảng bộ", "Coverage of the whole subtree"), coverage_text(f.coverage_subtree)),
    ]
}

/// The figures' tables: kinds, findings, disciplined, the organisations under it.
fn figure_tables(f: &InspectionFigures, lang: Lang) -> Vec<(String, Table)> {
    let headers = [
        ("Loại", "Kind"),
        ("Tổ chức", "Organisations"),
        ("Đảng viên", "Members"),
        ("Đang tiến hành", "Open"),
        ("Đã kết luận", "Concluded"),
    ];
    let kinds = Table::of(lang, &headers, &f.kinds, |k| {
        let cells = [k.orgs, k.members, k.open, k.concluded].map(|n| n.to_string());
        (None, std::iter::once(kind_label(&k.kind, lang)).chain(cells).collect())
    });
    let coded = |v: &[(String, i64)], label: fn(&str, Lang) -> Option<&'static str>| {
        Table::of(lang, &[("Nội dung", "Item"), ("Số lượng", "Count")], v, |(code, n)| {
            (None, vec![label(code, lang).unwrap_or("").to_string(), n.to_string()])
        })
    };
    let finding = |code: &str, lang| Finding::parse(code).map(|x| x.label(lang));
    let form = |code: &str, lang| Penalty::parse(code).map(|x| x.label(lang));
    let headers = [
        ("Tổ chức trực thuộc", "Organisation under"),
        ("Số cuộc", "Cases"),
        ("Được cấp trên kiểm tra, giám sát", "Covered from above"),
        ("Tỷ lệ bao phủ của cấp dưới", "Its own coverage"),
    ];
    let children = Table::of(lang, &headers, &f.children, |c| {
        let covered = if c.covered_by_parent { pick(lang, "Có", "Yes") } else { pick(lang, "Chưa", "Not yet") };
        (
            Some(format!("/orgs/{}/inspection-figures?period={}", c.org.id, f.period)),
            vec![c.org.input.name.clone(), c.cases.to_string(), covered, coverage_text(c.coverage)],
        )
    });
    vec![
        (pick(lang, "Theo loại", "By kind"), kinds),
        (pick(lang, "Kết quả kết luận", "Findings"), coded(&f.findings, finding)),
        (pick(lang, "Đảng viên bị kỷ luật", "Members disciplined"), coded(&f.disciplined_members, form)),
        (pick(lang, "Tổ chức đảng bị kỷ luật", "Organisations disciplined"), coded(&f.disciplined_orgs, form)),
        (pick(lang, "Tổ chức trực thuộc", "Organisations under"), children),
    ]
}

fn period_label(key: &str, lang: Lang) -> String {
    match key.split_once(':') {
        Some(("year", y)) => format!("{} {y}", pick(lang, "Năm", "Year")),
        Some(("term", from)) => format!(
            "{} {}",
            pick(lang, "Nhiệm kỳ từ", "Term from"),
            chibo_access::domain::date::parse_iso(from).map(format_vn).unwrap_or_default()
        ),
        _ => key.to_string(),
    }
}

/// `GET /orgs/{id}/inspection-figures?period=`.
pub async fn figures(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<FiguresPage, UiError> {
    let id = parse_id(&ctx, &id)?;
    let lang = ctx.lang;
    let today = ctx.today();
    let period = period_of(q.period.as_deref(), today);
    let f = state.app.inspection_figures(&ctx.viewer, id, &period).await.map_err(|p| ctx.fail(p))?;
    let term = chibo_access::inspection_period(None, today);
    let mut keys: Vec<String> = (today.year() - 2..=today.year()).rev().map(|y| format!("year:{y}")).collect();
    keys.push(term);
    let periods = keys.iter().map(|k| (k.clone(), period_label(k, lang), *k == period)).collect();
    let heading =
        format!("{}: {}", pick(lang, "Số liệu kiểm tra, giám sát", "Inspection figures"), period_label(&period, lang));
    Ok(FiguresPage {
        c: ctx.chrome(heading.clone()),
        t: ctx.t,
        id,
        name: f.org.input.name.clone(),
        heading,
        xlsx: format!("/orgs/{id}/inspection-figures.xlsx?period={period}"),
        periods,
        summary: summary(&f, lang),
        tables: figure_tables(&f, lang),
        labels: labels(
            lang,
            &[
                ("Kỳ", "Period"),
                ("Xem", "Show"),
                ("Tải (.xlsx)", "Download (.xlsx)"),
                ("Không có", "None"),
                ("Công tác kiểm tra", "Inspection"),
            ],
        ),
    })
}

/// The widest table of the figures: every row of the sheet is this wide.
const WIDTH: usize = 5;

/// `cells` filled out with empty ones to the sheet's width.
fn padded(cells: impl IntoIterator<Item = String>) -> Vec<String> {
    cells.into_iter().chain(std::iter::repeat(String::new())).take(WIDTH).collect()
}

/// `GET /orgs/{id}/inspection-figures.xlsx?period=`: the same tables, one after the other.
pub async fn figures_xlsx(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    let lang = ctx.lang;
    let period = period_of(q.period.as_deref(), ctx.today());
    let f = state.app.inspection_figures(&ctx.viewer, id, &period).await.map_err(|p| ctx.fail(p))?;
    let mut rows: Vec<Vec<String>> = summary(&f, lang).into_iter().map(|(k, v)| padded([k, v])).collect();
    for (title, t) in figure_tables(&f, lang) {
        rows.push(padded([title]));
        rows.push(padded(t.headers));
        rows.extend(t.rows.into_iter().map(|(_, r)| padded(r)));
    }
    let sheet = chibo_access::ListSheet {
        what: "inspection.figures.export",
        title: ("SỐ LIỆU KIỂM TRA, GIÁM SÁT", "INSPECTION AND SUPERVISION FIGURES"),
        detail: period_label(&period, lang),
        headers: padded(labels(lang, &[("Nội dung", "Item"), ("Số liệu", "Figure")])),
        rows,
        note: String::new(),
    };
    let bytes = state.app.list_xlsx(&ctx.viewer, id, sheet).await.map_err(|p| ctx.fail(p))?;
    Ok(attachment("Số liệu kiểm tra, giám sát.xlsx", XLSX, bytes))
}
