//! Inspection, supervision and discipline (*kiểm tra, giám sát, kỷ luật*): programmes, cases
//! from the decision to the conclusion, discipline and appeals, figures and the work list.
//! Cases are confidential: outside the deciding body, the appeal's body and the inspected once
//! concluded, a case is 404.

use super::body::inspection::{CaseBody, CaseViewBody, InspectionFiguresBody, InspectionWorkBody, ProgrammeBody};
use super::body::{Done, Items};
use super::{ApiJson, Reader, Writer, parse_id};
use crate::input::DateStyle;
use crate::input::DoneFields;
use crate::inspection_input::{
    AppealAnswerFields, AppealFields, BallotFields, CaseFields, ConclusionFields, ProgrammeEditFields, ProgrammeFields,
    ProposalFields, SelfReviewFields, StepFields,
};
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::extract::{Path, Query, State as S};
use axum::http::StatusCode;
use chibo_access::{Lang, Problem, Viewer};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// A year (default: every year).
    pub year: Option<i32>,
}

#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// `year:2026`, `term:2025-07-01`, a year `2026` or `term` (the current term; default: the current year).
    pub period: Option<String>,
}

/// The period key of a query: `2026` → `year:2026`; default the current year.
pub(crate) fn period_of(q: Option<&str>, today: time::Date) -> String {
    match q.map(str::trim).filter(|s| !s.is_empty()) {
        Some(p) if p.chars().all(|c| c.is_ascii_digit()) => format!("year:{p}"),
        Some("term") => chibo_access::inspection_period(None, today),
        Some(p) => p.to_string(),
        None => format!("year:{}", today.year()),
    }
}

async fn case_body(s: &State, v: &Viewer, id: Uuid, lang: Lang) -> Result<Json<CaseViewBody>, ApiError> {
    let view = s.app.case(v, id).await.or_api(lang)?;
    Ok(Json(CaseViewBody::new(&view, lang)))
}

/// The programmes of an organisation (its inspection committee and committee only)
#[utoipa::path(get, path = "/orgs/{id}/inspection/programmes", tag = "inspection", security(("session" = [])),
    params(("id" = Uuid, Path)), responses((status = 200, body = Items<ProgrammeBody>)))]
pub async fn programmes(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
) -> Result<Json<Items<ProgrammeBody>>, ApiError> {
    let id = parse_id(&id, lang)?;
    let (_, list) = s.app.programmes(&v, id).await.or_api(lang)?;
    Ok(Json(Items::of(&list, ProgrammeBody::new)))
}

/// Edit a programme: its title and items (each with its id, or none for a new one; one left out
/// is removed); an item a case carries out stays as it is (409 if changed or removed); the
/// version read (409 when stale)
#[utoipa::path(put, path = "/inspection/programmes/{id}", tag = "inspection", security(("session" = [])),
    params(("id" = Uuid, Path)), request_body = ProgrammeEditFields, responses((status = 200, body = ProgrammeBody)))]
pub async fn edit_programme(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<ProgrammeEditFields>,
) -> Result<Json<ProgrammeBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let input = f.parse().or_api(lang)?;
    let p = s.app.edit_programme(&v, id, &input).await.or_api(lang)?;
    let (_, list) = s.app.programmes(&v, p.org_id).await.or_api(lang)?;
    let view = list.iter().find(|x| x.programme.id == p.id).ok_or(ApiError(Problem::NotFound, lang))?;
    Ok(Json(ProgrammeBody::new(view)))
}

/// Write the year's programme of inspection or supervision
#[utoipa::path(post, path = "/orgs/{id}/inspection/programmes", tag = "inspection", security(("session" = [])),
    params(("id" = Uuid, Path)), request_body = ProgrammeFields, responses((status = 201, body = ProgrammeBody)))]
pub async fn create_programme(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<ProgrammeFields>,
) -> Result<(StatusCode, Json<ProgrammeBody>), ApiError> {
    let id = parse_id(&id, lang)?;
    let input = f.parse().or_api(lang)?;
    let p = s.app.create_programme(&v, id, &input).await.or_api(lang)?;
    let (_, list) = s.app.programmes(&v, id).await.or_api(lang)?;
    let view = list.iter().find(|x| x.programme.id == p.id).ok_or(ApiError(Problem::NotFound, lang))?;
    Ok((StatusCode::CREATED, Json(ProgrammeBody::new(view))))
}

/// The cases an organisation's bodies decided, newest first
#[utoipa::path(get, path = "/orgs/{id}/inspection/cases", tag = "inspection", security(("session" = [])),
    params(("id" = Uuid, Path), YearQuery), responses((status = 200, body = Items<CaseBody>)))]
pub async fn cases(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Json<Items<CaseBody>>, ApiError> {
    let id = parse_id(&id, lang)?;
    let (_, list) = s.app.cases_of(&v, id, q.year).await.or_api(lang)?;
    Ok(Json(Items::of(&list, |l| CaseBody::new(l, lang))))
}

/// Decide a case (a decision number once per organisation)
#[utoipa::path(post, path = "/orgs/{id}/inspection/cases", tag = "inspection", security(("session" = [])),
    params(("id" = Uuid, Path)), request_body = CaseFields, responses((status = 201, body = CaseViewBody)))]
pub async fn decide(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<CaseFields>,
) -> Result<(StatusCode, Json<CaseViewBody>), ApiError> {
    let id = parse_id(&id, lang)?;
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    let c = s.app.decide_case(&v, id, &input).await.or_api(lang)?;
    Ok((StatusCode::CREATED, case_body(&s, &v, c.id, lang).await?))
}

/// A case with its steps, conclusion, recommendations, discipline and appeal
#[utoipa::path(get, path = "/inspection/cases/{id}", tag = "inspection", security(("session" = [])),
    params(("id" = Uuid, Path)), responses((status = 200, body = CaseViewBody)))]
pub async fn show(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
) -> Result<Json<CaseViewBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    case_body(&s, &v, id, lang).await
}

/// Take a step (in order, dated, once)
#[utoipa::path(post, path = "/inspection/cases/{id}/steps", tag = "inspection", security(("session" = [])),
    params(("id" = Uuid, Path)), request_body = StepFields, responses((status = 200, body = CaseViewBody)))]
pub async fn step(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<StepFields>,
) -> Result<Json<CaseViewBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    s.app.take_step(&v, id, &input).await.or_api(lang)?;
    case_body(&s, &v, id, lang).await
}

/// Conclude a case (a violation past its limitation period is refused with the dates)
#[utoipa::path(post, path = "/inspection/cases/{id}/conclusion", tag = "inspection", security(("session" = [])),
    params(("id" = Uuid, Path)), request_body = ConclusionFields, responses((status = 200, body = CaseViewBody)))]
pub async fn conclude(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<ConclusionFields>,
) -> Result<Json<CaseViewBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    s.app.conclude_case(&v, id, &input).await.or_api(lang)?;
    case_body(&s, &v, id, lang).await
}

/// Mark a recommendation done (a blank date: not done)
#[utoipa::path(post, path = "/inspection/recommendations/{id}", tag = "inspection", security(("session" = [])),
    params(("id" = Uuid, Path)), request_body = DoneFields, responses((status = 200, body = Done)))]
pub async fn recommendation(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<DoneFields>,
) -> Result<Json<Done>, ApiError> {
    let id = parse_id(&id, lang)?;
    let (done, note) = f.parse(DateStyle::Iso).or_api(lang)?;
    s.app.mark_recommendation(&v, id, done, &note).await.or_api(lang)?;
    Ok(Json(Done::YES))
}

/// Propose discipline after a conclusion that found it warranted
#[utoipa::path(post, path = "/inspection/cases/{id}/discipline", tag = "inspection", security(("session" = [])),
    params(("id" = Uuid, Path)), request_body = ProposalFields, responses((status = 200, body = CaseViewBody)))]
pub async fn propose(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<ProposalFields>,
) -> Result<Json<CaseViewBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    s.app.propose_discipline(&v, id, &input).await.or_api(lang)?;
    case_body(&s, &v, id, lang).await
}

/// The inspected's self-review (the member through their own account)
#[utoipa::path(post, path = "/inspection/cases/{id}/self-review", tag = "inspection", security(("session" = [])),
    params(("id" = Uuid, Path)), request_body = SelfReviewFields, responses((status = 200, body = CaseViewBody)))]
pub async fn self_review(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<SelfReviewFields>,
) -> Result<Json<CaseViewBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    s.app.record_self_review(&v, id, &input).await.or_api(lang)?;
    case_body(&s, &v, id, lang).await
}

/// The ballot and decision of the competent body; a member's discipline becomes their event
#[utoipa::path(post, path = "/inspection/cases/{id}/discipline/decision", tag = "inspection", security(("session" = [])),
    params(("id" = Uuid, Path)), request_body = BallotFields, responses((status = 200, body = CaseViewBody)))]
pub async fn decide_discipline(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<BallotFields>,
) -> Result<Json<CaseViewBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    s.app.decide_discipline(&v, id, &input).await.or_api(lang)?;
    case_body(&s, &v, id, lang).await
}

/// File an appeal within one month of receiving the decision
#[utoipa::path(post, path = "/inspection/cases/{id}/appeal", tag = "inspection", security(("session" = [])),
    params(("id" = Uuid, Path)), request_body = AppealFields, responses((status = 200, body = CaseViewBody)))]
pub async fn appeal(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<AppealFields>,
) -> Result<Json<CaseViewBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    s.app.file_appeal(&v, id, &input).await.or_api(lang)?;
    case_body(&s, &v, id, lang).await
}

/// Answer an appeal (the level above); annulled or reduced voids the discipline's event
#[utoipa::path(post, path = "/inspection/cases/{id}/appeal/answer", tag = "inspection", security(("session" = [])),
    params(("id" = Uuid, Path)), request_body = AppealAnswerFields, responses((status = 200, body = CaseViewBody)))]
pub async fn answer(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<AppealAnswerFields>,
) -> Result<Json<CaseViewBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    s.app.answer_appeal(&v, id, &input).await.or_api(lang)?;
    case_body(&s, &v, id, lang).await
}

/// The figures of a subtree for a year or the term, with coverage and the organisations under it
#[utoipa::path(get, path = "/orgs/{id}/inspection/figures", tag = "inspection", security(("session" = [])),
    params(("id" = Uuid, Path), PeriodQuery), responses((status = 200, body = InspectionFiguresBody)))]
pub async fn figures(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Json<InspectionFiguresBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let period = period_of(q.period.as_deref(), s.app.today());
    let f = s.app.inspection_figures(&v, id, &period).await.or_api(lang)?;
    Ok(Json(InspectionFiguresBody::new(&f, lang)))
}

/// The work list of an organisation's deciding bodies
#[utoipa::path(get, path = "/orgs/{id}/inspection/work", tag = "inspection", security(("session" = [])),
    params(("id" = Uuid, Path)), responses((status = 200, body = InspectionWorkBody)))]
pub async fn work(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
) -> Result<Json<InspectionWorkBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let (_, w) = s.app.inspection_work(&v, id).await.or_api(lang)?;
    Ok(Json(InspectionWorkBody::new(&w, lang)))
}
