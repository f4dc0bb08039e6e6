//! `GET /api/v1/orgs/{id}/report`: the statistics report of a subtree.

use super::body::reports::ReportBody;
use super::restructure::on_date;
use super::{Reader, parse_id};
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::extract::{Path, Query, State as S};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// The date of the structure: today only for now (`yyyy-mm-dd` or `dd/mm/yyyy`).
    pub on: Option<String>,
    /// `2025`, `2025-Q1`, `2025-03` or `2025-01-01..2025-06-30`; the current year when absent.
    pub period: Option<String>,
}

/// The statistics report of the subtree: the structure of the members on its rolls today by
/// standing, gender, age and party-age bands, ethnicity, religion, education, theory level and
/// occupation; its changes over ?period=: admissions (young, female, minority), recognitions,
/// transfers in and out, re-admissions, deaths, leaving, striking off, expulsion
#[utoipa::path(get, path = "/orgs/{id}/report", tag = "members", security(("session" = [])),
    params(("id" = uuid::Uuid, Path), ReportQuery), responses((status = 200, body = ReportBody)))]
pub async fn report(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<ReportQuery>,
) -> Result<Json<ReportBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let on = on_date(&q.on, s.app.today()).or_api(lang)?;
    let period = q.period.unwrap_or_else(|| chibo_access::default_period(s.app.today()));
    let r = s.app.report(&v, id, Some(on), &period).await.or_api(lang)?;
    Ok(Json(ReportBody::new(&r)))
}
