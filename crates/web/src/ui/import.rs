//! Import of the member registry, the organisation tree or the admission candidates from a
//! spreadsheet (`/orgs/{id}/import`, `?what=orgs` for organisations, `?what=candidates` for
//! candidates): choose the file →
//! its check (rows, errors by row and column, warnings; the file with a column of errors to
//! download) → confirm → done. The checked file waits in memory for the confirmation
//! (`crate::pending`). Export of the registry (`/orgs/{id}/members.xlsx`) and of the open
//! candidates' dossiers (`/orgs/{id}/candidates-dossiers.xlsx`) in their templates, and the
//! empty templates (`/import/{members,orgs,candidates}-template.xlsx`) are here too.

use super::page::{Chrome, Ctx, Posted, UiError, parse_id};
use super::text::Texts;
use super::view::Link;
use crate::State;
use crate::attachment::{XLSX, attachment, file_attachment};
use crate::progress::Watching;
use crate::upload::{Limits, read_with};
use askama::Template;
use askama_web::WebTemplate;
use axum::body::Body;
use axum::extract::{Path, Query, State as S};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chibo_access::{Chibo, ImportKind, ImportProblem, ImportReport, MAX_IMPORT_BYTES, Org, Problem};
use serde::Deserialize;
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
    warnings_more: usize,
    errors_href: Option<String>,
    /// The first rows as read, under the file's headers of the columns read.
    preview_headers: Vec<String>,
    preview: Vec<chibo_access::PreviewRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "import.html")]
pub struct ImportPage {
    c: Chrome,
    t: &'static Texts,
    org: Link,
    /// The kinds, the one shown marked.
    kinds: Vec<(Link, bool)>,
    title: &'static str,
    intro: &'static str,
    template: (&'static str, &'static str),
    /// The export in the same template, where there is one for this kind.
    export: Option<(String, &'static str)>,
    done_text: &'static str,
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
        error_count: r.error_count(),
        errors: r.errors.iter().take(LISTED_ERRORS).map(|p| line(p, ctx.t, en)).collect(),
        more: r.error_count().saturating_sub(LISTED_ERRORS),
        warnings: r.warnings.iter().take(LISTED_ERRORS).map(|p| line(p, ctx.t, en)).collect(),
        warnings_more: r.warning_count().saturating_sub(LISTED_ERRORS),
        errors_href: (!r.errors.is_empty()).then_some(errors_href),
        preview_headers: r.preview_headers.clone(),
        preview: r.preview.clone(),
    }
}

/// `?what=orgs` imports organisations, `?what=candidates` candidates; anything else, members.
/// `progress`: the token under which the page asks how far the import has come.
#[derive(Deserialize, Default)]
pub struct What {
    what: Option<String>,
    progress: Option<String>,
}

impl What {
    /// The application handle for this import, and the watch on it when the page asked for
    /// one (dropped when the request answers).
    fn importer(&self, state: &State, ctx: &Ctx) -> (Chibo, Option<Watching>) {
        let watching = self.progress.as_deref().and_then(|t| state.progress.watch(t, ctx.viewer.user_id()));
        let app = match &watching {
            Some(w) => state.app.reporting_to(w.progress.clone()),
            None => state.app.clone(),
        };
        (app, watching)
    }

    fn kind(&self) -> ImportKind {
        match self.what.as_deref() {
            Some("orgs") => ImportKind::Orgs,
            Some("candidates") => ImportKind::Candidates,
            _ => ImportKind::Members,
        }
    }
}

/// The query string that keeps the kind on the next step's address.
fn query(kind: ImportKind) -> &'static str {
    match kind {
        ImportKind::Members => "",
        ImportKind::Orgs => "?what=orgs",
        ImportKind::Candidates => "?what=candidates",
    }
}

fn page(ctx: &Ctx, org: &Org, kind: ImportKind) -> ImportPage {
    let t = ctx.t;
    let (title, intro, template, done_text) = match kind {
        ImportKind::Members => {
            (t.import_title, t.import_intro, ("/import/members-template.xlsx", t.import_template), t.import_done)
        }
        ImportKind::Orgs => (
            t.import_title_orgs,
            t.import_intro_orgs,
            ("/import/orgs-template.xlsx", t.import_template_orgs),
            t.import_done_orgs,
        ),
        ImportKind::Candidates => (
            t.import_title_candidates,
            t.import_intro_candidates,
            ("/import/candidates-template.xlsx", t.import_template_candidates),
            t.import_done_candidates,
        ),
    };
    let export = match kind {
        ImportKind::Members => Some((format!("/orgs/{}/members.xlsx", org.id), t.registry)),
        ImportKind::Orgs => None,
        ImportKind::Candidates => {
            Some((format!("/orgs/{}/candidates-dossiers.xlsx", org.id), t.import_export_candidates))
        }
    };
    let tab = |k: ImportKind, text: &str| {
        (Link { href: format!("/orgs/{}/import{}", org.id, query(k)), text: text.to_string() }, k == kind)
    };
    ImportPage {
        c: ctx.chrome(format!("{title}: {}", org.input.name)),
        t,
        org: Link { href: format!("/orgs/{}", org.id), text: org.input.name.clone() },
        kinds: vec![
            tab(ImportKind::Members, t.import_members_tab),
            tab(ImportKind::Orgs, t.import_orgs_tab),
            tab(ImportKind::Candidates, t.import_candidates_tab),
        ],
        title,
        intro,
        template,
        export,
        done_text,
        again: format!("/orgs/{}/import{}", org.id, query(kind)),
        max_mb: MAX_IMPORT_BYTES / 1024 / 1024,
        notice: None,
        report: None,
        confirm: None,
        done: None,
    }
}

/// The page with the file chooser.
pub async fn form(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(w): Query<What>,
) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    let org = state.app.may_import_into(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    Ok(page(&ctx, &org, w.kind()).into_response())
}

/// Check an uploaded file (multipart: `csrf`, `file`); nothing is written.
pub async fn check(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(w): Query<What>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, UiError> {
    let kind = w.kind();
    let id = parse_id(&ctx, &id)?;
    // The organisation and the right first: a refused upload is not read.
    let org = state.app.may_import_into(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    let (app, _watching) = w.importer(&state, &ctx);
    let up = read_with(UPLOAD, &headers, None, body).await.map_err(|p| ctx.fail(p))?;
    ctx.check_upload_csrf(&up)?;
    let report = app.import(&ctx.viewer, kind, id, &up.name, &up.bytes, false).await.map_err(|p| ctx.fail(p))?;
    let token = state.pending.keep(ctx.viewer.user_id(), id, &up.name, up.bytes);
    let mut p = page(&ctx, &org, kind);
    let q = query(kind);
    p.confirm = report.is_clean().then(|| format!("/orgs/{id}/import/{token}{q}"));
    p.report = Some(report_view(&ctx, &report, format!("/orgs/{id}/import/{token}/errors.xlsx{q}")));
    Ok(p.into_response())
}

/// Import the checked file (all rows or none).
pub async fn commit(
    S(state): S<State>,
    ctx: Ctx,
    Path((id, token)): Path<(String, String)>,
    Query(w): Query<What>,
    form: Posted,
) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    ctx.check_csrf(&form)?;
    let kind = w.kind();
    let org = state.app.may_import_into(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    let mut p = page(&ctx, &org, kind);
    let Some(file) = state.pending.get(&token, ctx.viewer.user_id(), id) else {
        p.notice = Some(ctx.t.import_expired);
        return Ok(p.into_response());
    };
    let (app, _watching) = w.importer(&state, &ctx);
    let report = app.import(&ctx.viewer, kind, id, &file.name, &file.bytes, true).await.map_err(|p| ctx.fail(p))?;
    if report.is_clean() {
        state.pending.forget(&token);
        p.done = Some(report.imported);
    } else {
        // The records changed since the check (someone entered one of the rows meanwhile).
        let href = format!("/orgs/{id}/import/{token}/errors.xlsx{}", query(kind));
        p.report = Some(report_view(&ctx, &report, href));
    }
    Ok(p.into_response())
}

/// The checked file again with a column of its errors.
pub async fn errors(
    S(state): S<State>,
    ctx: Ctx,
    Path((id, token)): Path<(String, String)>,
    Query(w): Query<What>,
) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    let kind = w.kind();
    let Some(file) = state.pending.get(&token, ctx.viewer.user_id(), id) else {
        let org = state.app.may_import_into(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
        let mut p = page(&ctx, &org, kind);
        p.notice = Some(ctx.t.import_expired);
        return Ok(p.into_response());
    };
    let report =
        state.app.import(&ctx.viewer, kind, id, &file.name, &file.bytes, false).await.map_err(|p| ctx.fail(p))?;
    let sheet = state.app.import_error_sheet(&file.name, &file.bytes, &report).await.map_err(|p| ctx.fail(p))?;
    let stem = file.name.rsplit_once('.').map_or(file.name.as_str(), |(s, _)| s);
    Ok(attachment(&format!("{stem} - lỗi.xlsx"), XLSX, sheet))
}

/// The empty template.
pub async fn template(ctx: Ctx) -> Result<Response, UiError> {
    let bytes = chibo_access::member_template().map_err(|p| ctx.fail(p))?;
    Ok(attachment("Mẫu danh sách đảng viên.xlsx", XLSX, bytes))
}

/// The empty organisations template.
pub async fn org_template(ctx: Ctx) -> Result<Response, UiError> {
    let bytes = chibo_access::org_template().map_err(|p| ctx.fail(p))?;
    Ok(attachment("Mẫu danh sách tổ chức đảng.xlsx", XLSX, bytes))
}

/// The empty candidates template.
pub async fn candidate_template(ctx: Ctx) -> Result<Response, UiError> {
    let bytes = chibo_access::candidate_template().map_err(|p| ctx.fail(p))?;
    Ok(attachment("Mẫu danh sách quần chúng ưu tú.xlsx", XLSX, bytes))
}

/// The open candidates' dossiers of the subtree, in the template.
pub async fn export_candidates(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<Response, UiError> {
    let id: Uuid = parse_id(&ctx, &id)?;
    let bytes = state.app.export_candidates(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    Ok(attachment("Danh sách quần chúng ưu tú.xlsx", XLSX, bytes))
}

/// The members on the rolls of the subtree, in the template.
pub async fn export(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<Response, UiError> {
    let id: Uuid = parse_id(&ctx, &id)?;
    let unavailable = |e: std::io::Error| ctx.fail(Problem::Unavailable(e.to_string()));
    let file = tempfile::tempfile().map_err(unavailable)?;
    let file = state.app.export_members_into(&ctx.viewer, id, file).await.map_err(|p| ctx.fail(p))?;
    file_attachment("Danh sách đảng viên.xlsx", XLSX, file).await.map_err(unavailable)
}
