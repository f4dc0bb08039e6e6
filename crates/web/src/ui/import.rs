//! Import of the member registry from a spreadsheet (`/orgs/{id}/import`): choose the file →
//! its check (rows, errors by row and column, warnings; the file with a column of errors to
//! download) → confirm → done. The checked file waits in memory for the confirmation
//! (`crate::pending`). Export of the registry (`/orgs/{id}/members.xlsx`) and the empty
//! template (`/import/members-template.xlsx`) are here too.

use super::page::{Chrome, Ctx, Posted, UiError, parse_id};
use super::text::Texts;
use super::view::Link;
use crate::State;
use crate::attachment::{XLSX, attachment};
use crate::upload::{Limits, read_with};
use askama::Template;
use askama_web::WebTemplate;
use axum::body::Body;
use axum::extract::{Path, State as S};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chibo_access::{ImportProblem, ImportReport, MAX_IMPORT_BYTES, Org};
use uuid::Uuid;

/// Errors listed on the page; the rest are in the downloadable file.
const LISTED_ERRORS: usize = 200;

const UPLOAD: Limits = Limits { max_file: MAX_IMPORT_BYTES, fields: &["csrf"] };

pub struct ProblemLine {
    row: String,
    column: String,
    message: String,
}

pub struct ReportView {
    file: String,
    header_row: String,
    rows: usize,
    ignored: String,
    error_count: usize,
    errors: Vec<ProblemLine>,
    more: usize,
    warnings: Vec<ProblemLine>,
    errors_href: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "import.html")]
pub struct ImportPage {
    c: Chrome,
    t: &'static Texts,
    org: Link,
    again: String,
    max_mb: usize,
    notice: Option<&'static str>,
    report: Option<ReportView>,
    confirm: Option<String>,
    done: Option<usize>,
}

fn line(p: &ImportProblem, t: &'static Texts, en: bool) -> ProblemLine {
    ProblemLine {
        row: if p.row == 0 { t.import_whole_file.to_string() } else { p.row.to_string() },
        column: p.column.clone().unwrap_or_default(),
        message: if en { p.error.message_en.clone() } else { p.error.message_vi.clone() },
    }
}

fn report_view(ctx: &Ctx, r: &ImportReport, errors_href: String) -> ReportView {
    let en = ctx.lang == chibo_access::Lang::En;
    ReportView {
        file: r.file_name.clone(),
        header_row: r.header_row.map_or("–".to_string(), |h| h.to_string()),
        rows: r.rows,
        ignored: r.ignored_columns.join(", "),
        error_count: r.errors.len(),
        errors: r.errors.iter().take(LISTED_ERRORS).map(|p| line(p, ctx.t, en)).collect(),
        more: r.errors.len().saturating_sub(LISTED_ERRORS),
        warnings: r.warnings.iter().map(|p| line(p, ctx.t, en)).collect(),
        errors_href: (!r.errors.is_empty()).then_some(errors_href),
    }
}

fn page(ctx: &Ctx, org: &Org) -> ImportPage {
    ImportPage {
        c: ctx.chrome(format!("{}: {}", ctx.t.import_title, org.input.name)),
        t: ctx.t,
        org: Link { href: format!("/orgs/{}", org.id), text: org.input.name.clone() },
        again: format!("/orgs/{}/import", org.id),
        max_mb: MAX_IMPORT_BYTES / 1024 / 1024,
        notice: None,
        report: None,
        confirm: None,
        done: None,
    }
}

/// The page with the file chooser.
pub async fn form(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    let org = state.app.may_import_into(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    Ok(page(&ctx, &org).into_response())
}

/// Check an uploaded file (multipart: `csrf`, `file`); nothing is written.
pub async fn check(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    // The organisation and the right first: a refused upload is not read.
    let org = state.app.may_import_into(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    let up = read_with(UPLOAD, &headers, None, body).await.map_err(|p| ctx.fail(p))?;
    ctx.check_upload_csrf(&up)?;
    let report =
        state.app.import_members(&ctx.viewer, id, &up.name, &up.bytes, false).await.map_err(|p| ctx.fail(p))?;
    let token = state.pending.keep(ctx.viewer.user_id(), id, &up.name, up.bytes);
    let mut p = page(&ctx, &org);
    p.confirm = report.is_clean().then(|| format!("/orgs/{id}/import/{token}"));
    p.report = Some(report_view(&ctx, &report, format!("/orgs/{id}/import/{token}/errors.xlsx")));
    Ok(p.into_response())
}

/// Import the checked file (all rows or none).
pub async fn commit(
    S(state): S<State>,
    ctx: Ctx,
    Path((id, token)): Path<(String, String)>,
    form: Posted,
) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    ctx.check_csrf(&form)?;
    let org = state.app.may_import_into(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    let mut p = page(&ctx, &org);
    let Some(file) = state.pending.get(&token, ctx.viewer.user_id(), id) else {
        p.notice = Some(ctx.t.import_expired);
        return Ok(p.into_response());
    };
    let report =
        state.app.import_members(&ctx.viewer, id, &file.name, &file.bytes, true).await.map_err(|p| ctx.fail(p))?;
    if report.is_clean() {
        state.pending.forget(&token);
        p.done = Some(report.imported);
    } else {
        // The records changed since the check (someone entered one of the members meanwhile).
        p.report = Some(report_view(&ctx, &report, format!("/orgs/{id}/import/{token}/errors.xlsx")));
    }
    Ok(p.into_response())
}

/// The checked file again with a column of its errors.
pub async fn errors(
    S(state): S<State>,
    ctx: Ctx,
    Path((id, token)): Path<(String, String)>,
) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    let Some(file) = state.pending.get(&token, ctx.viewer.user_id(), id) else {
        let org = state.app.may_import_into(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
        let mut p = page(&ctx, &org);
        p.notice = Some(ctx.t.import_expired);
        return Ok(p.into_response());
    };
    let report =
        state.app.import_members(&ctx.viewer, id, &file.name, &file.bytes, false).await.map_err(|p| ctx.fail(p))?;
    let sheet = state.app.import_error_sheet(&file.name, &file.bytes, &report).map_err(|p| ctx.fail(p))?;
    let stem = file.name.rsplit_once('.').map_or(file.name.as_str(), |(s, _)| s);
    Ok(attachment(&format!("{stem} - lỗi.xlsx"), XLSX, sheet))
}

/// The empty template.
pub async fn template(ctx: Ctx) -> Result<Response, UiError> {
    let bytes = chibo_access::member_template().map_err(|p| ctx.fail(p))?;
    Ok(attachment("Mẫu danh sách đảng viên.xlsx", XLSX, bytes))
}

/// The members on the rolls of the subtree, in the template.
pub async fn export(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<Response, UiError> {
    let id: Uuid = parse_id(&ctx, &id)?;
    let bytes = state.app.export_members(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    Ok(attachment("Danh sách đảng viên.xlsx", XLSX, bytes))
}
