//! Admission and the work lists: candidates (*quần chúng ưu tú*) and their dossier, the
//! admission that creates the probationary member, probations to consider, party badges due on
//! an award date and those awarded.

use super::body::Items;
use super::body::admission::{AwardBody, BadgeListBody, CandidateBody, ProbationLine};
use super::{ApiJson, Reader, Writer, parse_id};
use crate::admission_input::{AdmissionFields, AwardFields, CandidateFields, VersionFields, award_date};
use crate::input::DateStyle;
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::extract::{Path, Query, State as S};
use axum::http::StatusCode;
use chibo_access::Problem;
use chibo_access::domain::life::{CandidateState, next_award_date};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StateQuery {
    /// `open` (when absent), `admitted` or `withdrawn`.
    state: Option<String>,
}

/// Candidates for admission of the subtree in name order, with their decision deadline and overdue flag
#[utoipa::path(get, path = "/orgs/{id}/candidates", tag = "admission", security(("session" = [])),
    params(("id" = uuid::Uuid, Path), StateQuery), responses((status = 200, body = Items<CandidateBody>)))]
pub async fn list(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<StateQuery>,
) -> Result<Json<Items<CandidateBody>>, ApiError> {
    let id = parse_id(&id, lang)?;
    let state = match q.state.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => CandidateState::Open,
        Some(code) => CandidateState::parse(code).ok_or_else(|| {
            ApiError(
                Problem::field(
                    "state",
                    "invalid_choice",
                    "Trạng thái hồ sơ: open, admitted hoặc withdrawn.",
                    "State: open, admitted or withdrawn.",
                ),
                lang,
            )
        })?,
    };
    let list = s.app.candidates(&v, id, state).await.or_api(lang)?;
    Ok(Json(Items::of(&list, |c| CandidateBody::new(c, lang))))
}

/// Open a candidate's case in this cell
#[utoipa::path(post, path = "/orgs/{id}/candidates", tag = "admission", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = CandidateFields, responses((status = 201, body = CandidateBody)))]
pub async fn create(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(org): Path<String>,
    ApiJson(mut f): ApiJson<CandidateFields>,
) -> Result<(StatusCode, Json<CandidateBody>), ApiError> {
    // The cell is the one of the path (a body naming another is overruled).
    f.org_id = Some(parse_id(&org, lang)?.to_string());
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    let c = s.app.create_candidate(&v, input).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(CandidateBody::new(&c, lang))))
}

/// A candidate and their dossier
#[utoipa::path(get, path = "/candidates/{id}", tag = "admission", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = CandidateBody)))]
pub async fn show(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
) -> Result<Json<CandidateBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let c = s.app.candidate(&v, id).await.or_api(lang)?;
    Ok(Json(CandidateBody::new(&c, lang)))
}

/// Replace an open dossier (the fields of creation with org_id, and the version read)
#[utoipa::path(put, path = "/candidates/{id}", tag = "admission", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = CandidateFields, responses((status = 200, body = CandidateBody)))]
pub async fn update(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<CandidateFields>,
) -> Result<Json<CandidateBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let (input, version) = f.parse_edit(DateStyle::Iso).or_api(lang)?;
    let c = s.app.update_candidate(&v, id, input, version).await.or_api(lang)?;
    Ok(Json(CandidateBody::new(&c, lang)))
}

/// Close an open case without admission: {version}
#[utoipa::path(post, path = "/candidates/{id}/withdraw", tag = "admission", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = VersionFields, responses((status = 200, body = CandidateBody)))]
pub async fn withdraw(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<VersionFields>,
) -> Result<Json<CandidateBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let version = f.parse().or_api(lang)?;
    let c = s.app.withdraw_candidate(&v, id, version).await.or_api(lang)?;
    Ok(Json(CandidateBody::new(&c, lang)))
}

/// Admit: creates the probationary member (member_id in the answer)
#[utoipa::path(post, path = "/candidates/{id}/admit", tag = "admission", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = AdmissionFields, responses((status = 200, body = CandidateBody)))]
pub async fn admit(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<AdmissionFields>,
) -> Result<Json<CandidateBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let a = f.parse(DateStyle::Iso).or_api(lang)?;
    let c = s.app.admit_candidate(&v, id, &a).await.or_api(lang)?;
    Ok(Json(CandidateBody::new(&c, lang)))
}

/// Probationary members of the subtree whose probation ends within 30 days, awaits the cell's decision or is overdue
#[utoipa::path(get, path = "/orgs/{id}/probation", tag = "admission", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = Items<ProbationLine>)))]
pub async fn probation(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
) -> Result<Json<Items<ProbationLine>>, ApiError> {
    let id = parse_id(&id, lang)?;
    let list = s.app.probation_worklist(&v, id).await.or_api(lang)?;
    Ok(Json(Items::of(&list, ProbationLine::from)))
}

#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AwardQuery {
    /// 03/02, 19/05, 02/09 or 07/11 of a year (`yyyy-mm-dd` or `dd/mm/yyyy`); the next award
    /// date when absent.
    award_on: Option<String>,
}

/// Party badges due on an award date
#[utoipa::path(get, path = "/orgs/{id}/badges", tag = "admission", security(("session" = [])),
    params(("id" = uuid::Uuid, Path), AwardQuery), responses((status = 200, body = BadgeListBody)))]
pub async fn badges(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<AwardQuery>,
) -> Result<Json<BadgeListBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let on = award_date(&q.award_on, next_award_date(s.app.today())).or_api(lang)?;
    let list = s.app.badge_worklist(&v, id, on).await.or_api(lang)?;
    Ok(Json(BadgeListBody::from(&list)))
}

/// The party badges awarded to a member
#[utoipa::path(get, path = "/members/{id}/badges", tag = "admission", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = Items<AwardBody>)))]
pub async fn member_badges(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
) -> Result<Json<Items<AwardBody>>, ApiError> {
    let id = parse_id(&id, lang)?;
    let list = s.app.badges_of(&v, id).await.or_api(lang)?;
    Ok(Json(AwardBody::list(&list)))
}

/// Record a badge awarded; never the same badge twice (409 naming years)
///
/// Answers the member's badges.
#[utoipa::path(post, path = "/members/{id}/badges", tag = "admission", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = AwardFields, responses((status = 201, body = Items<AwardBody>)))]
pub async fn award_badge(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<AwardFields>,
) -> Result<(StatusCode, Json<Items<AwardBody>>), ApiError> {
    let id = parse_id(&id, lang)?;
    let a = f.parse(DateStyle::Iso).or_api(lang)?;
    let list = s.app.award_badge(&v, id, &a).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(AwardBody::list(&list))))
}
