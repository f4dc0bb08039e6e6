//! `GET /api/v1/orgs/{id}/report`: the statistics report of a subtree.

use super::body::reports::{ReportBody, ReportListBody, TrendBody};
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
    /// The date of the structure (`yyyy-mm-dd` or `dd/mm/yyyy`), today when absent; a past date
    /// counts the members on the rolls that day in the tree of that day.
    pub on: Option<String>,
    /// `2025`, `2025-Q1`, `2025-03` or `2025-01-01..2025-06-30`; the current year when absent.
    pub period: Option<String>,
}

/// The statistics report of the subtree: the structure of the members on its rolls on ?on= (today when absent) by
/// standing, gender, age and party-age bands (on ?on=, the tree of that date), ethnicity, religion, education, theory level and
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

#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportListQuery {
    /// The line, `section/key` as the report's keys give it: `total/all`, `gender/female`,
    /// `age/31_40`, `ethnicity/eth:5`, `religion/none`, `changes/died`,
    /// `changes/admitted_young`, `org_kind/subordinate_cell`, `org_village/ap`,
    /// `org_change/merged`…
    pub item: Option<String>,
    /// As for the report.
    pub on: Option<String>,
    /// As for the report.
    pub period: Option<String>,
    /// Lines to skip (0 when absent).
    pub offset: Option<String>,
    /// Lines per page, up to 500 (50 when absent).
    pub limit: Option<String>,
}

/// The members or organisations behind one line of the statistics report
///
/// Exactly those the report counts on that line (same date, period and tree), a page at a time,
/// with the line's count and the next offset. Members are listed as they are now (their
/// organisation and standing today, the date of the change on the lines of the changes).
#[utoipa::path(get, path = "/orgs/{id}/report/list", tag = "members", security(("session" = [])),
    params(("id" = uuid::Uuid, Path), ReportListQuery), responses((status = 200, body = ReportListBody)))]
pub async fn report_list(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<ReportListQuery>,
) -> Result<Json<ReportListBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let on = on_date(&q.on, s.app.today()).or_api(lang)?;
    let period = q.period.unwrap_or_else(|| chibo_access::default_period(s.app.today()));
    let offset = crate::input::offset_of(q.offset.as_deref()).or_api(lang)?;
    let limit = q.limit.as_deref().and_then(|l| l.trim().parse::<usize>().ok()).unwrap_or(50);
    let item = q.item.unwrap_or_default();
    let offset = usize::try_from(offset).unwrap_or(0);
    let l = s.app.report_list(&v, id, Some(on), &period, &item, offset, limit).await.or_api(lang)?;
    Ok(Json(ReportListBody::new(&l)))
}

/// The trend of the subtree over the last ten years: the members on the rolls at each year's
/// end (the tree of that day), the admissions and the exits of each year (each in the tree of
/// its date). The same rights as the report
#[utoipa::path(get, path = "/orgs/{id}/report/trend", tag = "members", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = TrendBody)))]
pub async fn report_trend(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
) -> Result<Json<TrendBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let t = s.app.report_trend(&v, id).await.or_api(lang)?;
    Ok(Json(TrendBody::new(&t)))
}
