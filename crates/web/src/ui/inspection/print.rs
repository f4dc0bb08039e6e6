//! The inspection committee's printed forms (A4, the house's print stylesheet): the notice of
//! a case's conclusion (*thông báo kết luận kiểm tra, giám sát*: heading, the deciding body,
//! the decision and the case, strengths, shortcomings, violations, the conclusion,
//! recommendations with owners and deadlines, recipients and the signature block), at
//! `/inspection/cases/{id}/print` once concluded, read by whoever may read the case; and an
//! organisation's programmes of a year (`/orgs/{id}/inspection/programmes/print?year=`) and the
//! same as a spreadsheet (`programmes.xlsx?year=`).

use super::hub::{PROGRAMME_HEADERS, programme_table};
use super::{Table, case_href, kind_label, labels, pick, result_label};
use crate::State;
use crate::attachment::{XLSX, attachment};
use crate::ui::meeting_reports::{dateline, dateline_place};
use crate::ui::page::{Chrome, Ctx, UiError, parse_id};
use crate::ui::text::Texts;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State as S};
use axum::response::Response;
use chibo_access::ProgrammeView;
use chibo_access::domain::date::format_vn;
use chibo_access::domain::inspection::{CaseKind, notice_number};
use chibo_access::domain::org::OrgKind;
use chibo_access::{Lang, Problem};
use serde::Deserialize;
use uuid::Uuid;

/// The few words around a printed form.
pub struct PrintLabels {
    back: String,
    print: String,
    recommendations: String,
    recipients: String,
    none: String,
}

impl PrintLabels {
    fn new(lang: Lang) -> PrintLabels {
        PrintLabels {
            back: pick(lang, "Quay lại", "Back"),
            print: pick(lang, "In", "Print"),
            recommendations: pick(lang, "V. Kiến nghị", "V. Recommendations"),
            recipients: pick(lang, "Nơi nhận:", "To:"),
            none: pick(lang, "Chưa có chương trình của năm này.", "No programme for this year."),
        }
    }
}

/// The heading of a form issued by `org_id`'s committee or its inspection committee: the
/// issuer's parent and the issuer (capitals) and the dateline of `on`. An organisation the
/// reader may not read (the inspected member reading their case) is named from `fallback`.
async fn heading(
    state: &State,
    ctx: &Ctx,
    org_id: Uuid,
    fallback: &str,
    by_inspection: bool,
    on: time::Date,
) -> (String, String, String, Option<OrgKind>) {
    let org = state.app.org(&ctx.viewer, org_id, true).await.ok();
    let kind = org.as_ref().map(|o| o.org.kind());
    let name = org.as_ref().map_or_else(|| fallback.to_string(), |o| o.org.input.name.clone()).to_uppercase();
    let above = org.as_ref().and_then(|o| o.ancestors.last()).map(|o| o.input.name.to_uppercase()).unwrap_or_default();
    let place = org.map(|o| dateline_place(&o.org.input.locality)).unwrap_or_default();
    let (parent, cell) = if by_inspection {
        (name, pick(ctx.lang, "ỦY BAN KIỂM TRA", "INSPECTION COMMITTEE"))
    } else {
        (above, name)
    };
    (parent, cell, dateline(ctx.lang, &place, on), kind)
}

/// Who signs for the issuing body, and as what.
fn signer(lang: Lang, by_inspection: bool) -> (String, String) {
    if by_inspection {
        (pick(lang, "T/M ỦY BAN KIỂM TRA", "FOR THE INSPECTION COMMITTEE"), pick(lang, "CHỦ NHIỆM", "CHAIR"))
    } else {
        (pick(lang, "T/M CẤP ỦY", "FOR THE COMMITTEE"), pick(lang, "BÍ THƯ", "SECRETARY"))
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "inspection_conclusion_print.html")]
pub struct ConclusionPrint {
    c: Chrome,
    t: &'static Texts,
    back: String,
    parent: String,
    cell: String,
    dateline: String,
    /// `Số 12-TB/UBKT`.
    number: String,
    title: String,
    sub: String,
    intro: String,
    sections: Vec<(String, String)>,
    recommendations: Table,
    recipients: Vec<String>,
    sign_for: String,
    sign_as: String,
    labels: PrintLabels,
}

/// `GET /inspection/cases/{id}/print`: the notice of the conclusion, once concluded.
pub async fn conclusion(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<ConclusionPrint, UiError> {
    let id = parse_id(&ctx, &id)?;
    let lang = ctx.lang;
    let v = state.app.case(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    let c = &v.line.case;
    let Some(concluded) = c.concluded_on else {
        return Err(ctx.fail(Problem::NotFound));
    };
    let (parent, cell, dateline, kind) =
        heading(&state, &ctx, c.org_id, &v.line.decider_name, c.by_inspection, concluded).await;
    let number = c.notice_number.map(|n| notice_number(n, kind, c.by_inspection)).unwrap_or_default();
    let supervision = CaseKind::parse(&c.kind).is_some_and(CaseKind::is_supervision);
    let title = match (lang, supervision) {
        (Lang::Vi, false) => "THÔNG BÁO KẾT LUẬN KIỂM TRA",
        (Lang::Vi, true) => "THÔNG BÁO KẾT LUẬN GIÁM SÁT",
        (Lang::En, false) => "NOTICE OF THE INSPECTION'S CONCLUSION",
        (Lang::En, true) => "NOTICE OF THE SUPERVISION'S CONCLUSION",
    };
    let body = if c.by_inspection {
        pick(lang, "Ủy ban Kiểm tra ", "the inspection committee of ")
    } else {
        String::new()
    };
    let team = if c.team.is_empty() { pick(lang, "đoàn kiểm tra, giám sát", "the team") } else { c.team.clone() };
    let (n, on, by, to) = (&c.decision_number, format_vn(c.decided_on), &v.line.decider_name, format_vn(concluded));
    let (kind, who) = (kind_label(&c.kind, lang).to_lowercase(), &v.line.subject_name);
    let mut intro = match lang {
        Lang::Vi => format!(
            "Thực hiện Quyết định số {n} ngày {on} của {body}{by} về {kind} đối với {who}, {team} đã tiến hành \
             từ ngày {on} đến ngày {to}."
        ),
        Lang::En => format!(
            "Under decision {n} of {on} by {body}{by}, {team} carried out the {kind} of {who} from {on} to {to}."
        ),
    };
    if !c.content.trim().is_empty() {
        intro = format!("{intro}\n{}: {}", pick(lang, "Nội dung", "Content"), c.content.trim());
    }
    let mut violations = c.violations.clone();
    if let Some(on) = c.violated_on {
        violations = format!("{violations} ({} {})", pick(lang, "ngày vi phạm", "violated on"), format_vn(on));
    }
    let sections = vec![
        (pick(lang, "I. Ưu điểm", "I. Strengths"), c.strengths.clone()),
        (pick(lang, "II. Khuyết điểm, hạn chế", "II. Shortcomings"), c.shortcomings.clone()),
        (pick(lang, "III. Vi phạm", "III. Violations"), violations.trim().to_string()),
        (pick(lang, "IV. Kết luận", "IV. Conclusion"), result_label(&c.result, lang)),
    ];
    let headers = [
        ("STT", "No."),
        ("Nội dung", "Recommendation"),
        ("Người, tổ chức thực hiện", "Owner"),
        ("Thời hạn", "Deadline"),
    ];
    let recommendations = Table::of(lang, &headers, v.recommendations.iter().enumerate(), |(i, r)| {
        (None, vec![(i + 1).to_string(), r.content.clone(), r.owner.clone(), format_vn(r.deadline)])
    });
    let (sign_for, sign_as) = signer(lang, c.by_inspection);
    Ok(ConclusionPrint {
        c: ctx.chrome(format!("{title} · {}", c.decision_number)),
        t: ctx.t,
        back: case_href(id),
        parent,
        cell,
        dateline,
        number,
        title: title.to_string(),
        sub: format!("{} {}", pick(lang, "đối với", "on"), v.line.subject_name),
        intro,
        sections,
        recommendations,
        recipients: vec![v.line.subject_name.clone(), pick(lang, "Lưu hồ sơ.", "File.")],
        sign_for,
        sign_as,
        labels: PrintLabels::new(lang),
    })
}

/// The programmes of `year`, each titled, its items numbered (the columns of the printed
/// programme and of its spreadsheet).
fn year_tables(list: &[ProgrammeView], year: i64, lang: Lang) -> Vec<(String, Table)> {
    list.iter()
        .filter(|p| p.programme.year == year)
        .map(|p| {
            let mut t = programme_table(p, lang);
            t.headers.insert(0, pick(lang, "STT", "No."));
            for (i, (_, cells)) in t.rows.iter_mut().enumerate() {
                cells.insert(0, (i + 1).to_string());
            }
            (p.programme.title.clone(), t)
        })
        .collect()
}

/// `GET /orgs/{id}/inspection/programmes.xlsx?year=`: the year's programmes (default this
/// year) with the printed programme's columns, under the title block: a row with each
/// programme's title, then its items numbered.
pub async fn programme_xlsx(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Response, UiError> {
    let lang = ctx.lang;
    let (id, year, _, list) = year_programmes(&state, &ctx, &id, &q).await?;
    let mut rows = Vec::new();
    for (title, table) in year_tables(&list, year, lang) {
        rows.push(vec![title]);
        rows.extend(table.rows.into_iter().map(|(_, cells)| cells));
    }
    let sheet = chibo_access::ListSheet {
        what: "inspection.programme.export",
        title: ("CHƯƠNG TRÌNH KIỂM TRA, GIÁM SÁT", "INSPECTION AND SUPERVISION PROGRAMME"),
        detail: format!("{} {year}", pick(lang, "Năm", "Year")),
        headers: labels(lang, &[("STT", "No.")]).into_iter().chain(labels(lang, &PROGRAMME_HEADERS)).collect(),
        rows,
        note: String::new(),
    };
    let bytes = state.app.list_xlsx(&ctx.viewer, id, sheet).await.map_err(|p| ctx.fail(p))?;
    Ok(attachment(&format!("Chương trình kiểm tra, giám sát năm {year}.xlsx"), XLSX, bytes))
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    pub year: Option<i64>,
}

/// What both forms of the year's programmes read: the organisation's id, the year asked (this
/// year by default), the organisation and its programmes (the access layer checks the right).
async fn year_programmes(
    state: &State,
    ctx: &Ctx,
    id: &str,
    q: &YearQuery,
) -> Result<(Uuid, i64, chibo_access::Org, Vec<ProgrammeView>), UiError> {
    let id = parse_id(ctx, id)?;
    let year = q.year.unwrap_or(i64::from(ctx.today().year()));
    let (org, list) = state.app.programmes(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    Ok((id, year, org, list))
}

#[derive(Template, WebTemplate)]
#[template(path = "inspection_programme_print.html")]
pub struct ProgrammePrint {
    c: Chrome,
    t: &'static Texts,
    back: String,
    parent: String,
    cell: String,
    dateline: String,
    title: String,
    sub: String,
    programmes: Vec<(String, Table)>,
    sign_for: String,
    sign_as: String,
    labels: PrintLabels,
}

/// `GET /orgs/{id}/inspection/programmes/print?year=`: the year's programmes (default this
/// year), each with its items numbered.
pub async fn programme(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<ProgrammePrint, UiError> {
    let lang = ctx.lang;
    let (id, year, org, list) = year_programmes(&state, &ctx, &id, &q).await?;
    let programmes = year_tables(&list, year, lang);
    let on = list.iter().filter(|p| p.programme.year == year).map(|p| p.programme.created_at.date()).min();
    let (parent, cell, dateline, _) =
        heading(&state, &ctx, id, &org.input.name, true, on.unwrap_or_else(|| ctx.today())).await;
    let (sign_for, sign_as) = signer(lang, true);
    let title =
        format!("{} {year}", pick(lang, "CHƯƠNG TRÌNH KIỂM TRA, GIÁM SÁT NĂM", "INSPECTION AND SUPERVISION PROGRAMME"));
    Ok(ProgrammePrint {
        c: ctx.chrome(title.clone()),
        t: ctx.t,
        back: format!("/orgs/{id}/inspection#programmes"),
        parent,
        cell,
        dateline,
        title,
        sub: org.input.name,
        programmes,
        sign_for,
        sign_as,
        labels: PrintLabels::new(lang),
    })
}
