//! A case's documents (*hồ sơ, tài liệu*): the upload (multipart with its CSRF field, the
//! checks of meeting documents), the download and the removal; a refused upload shows the case
//! again with the reason.

use super::case::{CasePage, case_page};
use super::case_href;
use crate::State;
use crate::ui::page::{Ctx, Posted, UiError, form_errors, parse_id};
use axum::body::Body;
use axum::extract::{Path, State as S};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use chibo_access::Problem;
use uuid::Uuid;

/// The case again with why the upload or removal was refused, with the status it calls for.
async fn refused(state: &State, ctx: &Ctx, id: Uuid, p: Problem) -> Result<Response, UiError> {
    let (errors, status) = form_errors(ctx, p)?;
    let general = errors.errors.iter().map(|e| e.message(ctx.lang).to_string()).collect();
    let page: CasePage = case_page(state, ctx, id, general).await?;
    Ok((status, page).into_response())
}

fn back(id: Uuid) -> Response {
    Redirect::to(&format!("{}#documents", case_href(id))).into_response()
}

/// `POST /inspection/cases/{id}/documents`: attach a document (multipart: `csrf`, `file`).
pub async fn attach(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    // The case and the right to write it first: a refused upload is not read.
    if let Err(p) = state.app.may_attach_case_document(&ctx.viewer, id).await {
        return refused(&state, &ctx, id, p).await;
    }
    let up = match crate::upload::read(&headers, None, body).await {
        Ok(x) => x,
        // The CSRF field travels in the same body: without a readable body, no write.
        Err(p) => return refused(&state, &ctx, id, p).await,
    };
    ctx.check_upload_csrf(&up)?;
    match state.app.attach_case_document(&ctx.viewer, id, &up.name, &up.bytes).await {
        Ok(_) => Ok(back(id)),
        Err(p) => refused(&state, &ctx, id, p).await,
    }
}

/// `GET /inspection/documents/{id}`: the document's bytes, for whoever may read its case.
pub async fn download(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    let (d, body) = state.app.case_document(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    Ok(crate::attachment::attachment(&d.file_name, &d.content_type, body))
}

/// `POST /inspection/documents/{id}/delete`: remove a document from an open case.
pub async fn delete(S(state): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    ctx.check_csrf(&form)?;
    match state.app.delete_case_document(&ctx.viewer, id).await {
        Ok(d) => Ok(back(d.case_id)),
        Err(p) => match form.get("case_id").and_then(|c| Uuid::parse_str(c.trim()).ok()) {
            Some(case) if matches!(p, Problem::Conflict(_)) => refused(&state, &ctx, case, p).await,
            _ => Err(ctx.fail(p)),
        },
    }
}
