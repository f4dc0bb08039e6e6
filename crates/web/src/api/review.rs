//! The annual review (*đánh giá, xếp loại chất lượng*): rounds, the self-assessment, the cell's
//! opinion, decisions and their corrections, organisations' own assessments, plans, figures
//! and the committees' settings.

use super::body::review::{
    MemberReviewBody, OrgLineBody, PlanBody, ReviewDecisionBody, ReviewFiguresBody, RoundBody, RoundViewBody,
    SettingsBody, WorklistBody,
};
use super::body::{Done, Items};
use super::{ApiJson, Reader, Writer, parse_id};
use crate::admission_input::VersionFields;
use crate::input::DateStyle;
use crate::input::DoneFields;
use crate::review_input::{
    CorrectionFields, DecisionFields, OpinionFields, OrgSelfFields, PlanFields, RoundFields, SelfFields, SettingsFields,
};
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::extract::{Path, Query, State as S};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AtQuery {
    /// An organisation of the round's subtree to see it from (default: the one that opened it).
    pub at: Option<String>,
}

fn at_of(q: &AtQuery, lang: chibo_access::Lang) -> Result<Option<Uuid>, ApiError> {
    q.at.as_deref().filter(|s| !s.is_empty()).map(|s| parse_id(s, lang)).transpose()
}

/// The rounds that concern an organisation: opened on it, above it or under it, newest first
#[utoipa::path(get, path = "/orgs/{id}/reviews", tag = "review", security(("session" = [])),
    params(("id" = Uuid, Path)), responses((status = 200, body = Items<RoundBody>)))]
pub async fn list(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
) -> Result<Json<Items<RoundBody>>, ApiError> {
    let id = parse_id(&id, lang)?;
    let rounds = s.app.review_rounds(&v, id).await.or_api(lang)?;
    Ok(Json(Items::of(&rounds, |r| RoundBody::new(r, lang))))
}

/// Open a round for the subtree (a base organisation or a committee above)
///
/// The roll is the members on the rolls today; the rules are those in force on `last_day`.
#[utoipa::path(post, path = "/orgs/{id}/reviews", tag = "review", security(("session" = [])),
    params(("id" = Uuid, Path)), request_body = RoundFields, responses((status = 201, body = RoundBody)))]
pub async fn open(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<RoundFields>,
) -> Result<(StatusCode, Json<RoundBody>), ApiError> {
    let id = parse_id(&id, lang)?;
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    let r = s.app.open_review(&v, id, &input).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(RoundBody::new(&r, lang))))
}

/// A round seen from an organisation of its subtree: members with the facts beside each, and
/// organisations
#[utoipa::path(get, path = "/reviews/{id}", tag = "review", security(("session" = [])),
    params(("id" = Uuid, Path), AtQuery), responses((status = 200, body = RoundViewBody)))]
pub async fn show(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<AtQuery>,
) -> Result<Json<RoundViewBody>, ApiError> {
    let (id, at) = (parse_id(&id, lang)?, at_of(&q, lang)?);
    let view = s.app.review_round(&v, id, at).await.or_api(lang)?;
    Ok(Json(RoundViewBody::new(&view, lang)))
}

/// Close a round: every rated member and organisation decided
#[utoipa::path(post, path = "/reviews/{id}/close", tag = "review", security(("session" = [])),
    params(("id" = Uuid, Path)), request_body = VersionFields, responses((status = 200, body = RoundBody)))]
pub async fn close(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<VersionFields>,
) -> Result<Json<RoundBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let version = f.parse().or_api(lang)?;
    let r = s.app.close_review(&v, id, version).await.or_api(lang)?;
    Ok(Json(RoundBody::new(&r, lang)))
}

/// What waits in a round: not self-assessed, cells without opinion, awaiting decision, plans overdue
#[utoipa::path(get, path = "/reviews/{id}/worklist", tag = "review", security(("session" = [])),
    params(("id" = Uuid, Path), AtQuery), responses((status = 200, body = WorklistBody)))]
pub async fn worklist(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<AtQuery>,
) -> Result<Json<WorklistBody>, ApiError> {
    let (id, at) = (parse_id(&id, lang)?, at_of(&q, lang)?);
    let w = s.app.review_worklist(&v, id, at).await.or_api(lang)?;
    Ok(Json(WorklistBody::new(&w, lang)))
}

/// One member's review: the line with the facts, the texts, the decisions and the plans
#[utoipa::path(get, path = "/reviews/{id}/members/{member}", tag = "review", security(("session" = [])),
    params(("id" = Uuid, Path), ("member" = Uuid, Path)), responses((status = 200, body = MemberReviewBody)))]
pub async fn member(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path((id, member)): Path<(String, String)>,
) -> Result<Json<MemberReviewBody>, ApiError> {
    let (id, member) = (parse_id(&id, lang)?, parse_id(&member, lang)?);
    let m = s.app.review_member(&v, id, member).await.or_api(lang)?;
    Ok(Json(MemberReviewBody::new(&m, lang)))
}

/// The member's self-assessment (their own account, or the secretary)
///
/// `scores` gives the points of each line of the round's sheet; the level proposed may not be
/// better than the score's.
#[utoipa::path(put, path = "/reviews/{id}/members/{member}", tag = "review", security(("session" = [])),
    params(("id" = Uuid, Path), ("member" = Uuid, Path)), request_body = SelfFields,
    responses((status = 200, body = MemberReviewBody)))]
pub async fn self_assess(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path((id, member)): Path<(String, String)>,
    ApiJson(f): ApiJson<SelfFields>,
) -> Result<Json<MemberReviewBody>, ApiError> {
    let (id, member) = (parse_id(&id, lang)?, parse_id(&member, lang)?);
    let input = f.parse().or_api(lang)?;
    s.app.self_assess(&v, id, member, &input).await.or_api(lang)?;
    let m = s.app.review_member(&v, id, member).await.or_api(lang)?;
    Ok(Json(MemberReviewBody::new(&m, lang)))
}

/// The cell's opinion: a proposed level per member with the vote, from a meeting of the cell
#[utoipa::path(put, path = "/reviews/{id}/cells/{cell}/opinion", tag = "review", security(("session" = [])),
    params(("id" = Uuid, Path), ("cell" = Uuid, Path)), request_body = OpinionFields,
    responses((status = 200, body = Done)))]
pub async fn opinion(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path((id, cell)): Path<(String, String)>,
    ApiJson(f): ApiJson<OpinionFields>,
) -> Result<Json<Done>, ApiError> {
    let (id, cell) = (parse_id(&id, lang)?, parse_id(&cell, lang)?);
    let input = f.parse().or_api(lang)?;
    s.app.cell_opinion(&v, id, cell, &input).await.or_api(lang)?;
    Ok(Json(Done::YES))
}

/// The base organisation's decision on its members; the caps and the quota hold or nothing is written
#[utoipa::path(post, path = "/reviews/{id}/decisions/members/{base}", tag = "review", security(("session" = [])),
    params(("id" = Uuid, Path), ("base" = Uuid, Path)), request_body = DecisionFields,
    responses((status = 201, body = Items<ReviewDecisionBody>)))]
pub async fn decide_members(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path((id, base)): Path<(String, String)>,
    ApiJson(f): ApiJson<DecisionFields>,
) -> Result<(StatusCode, Json<Items<ReviewDecisionBody>>), ApiError> {
    let (id, base) = (parse_id(&id, lang)?, parse_id(&base, lang)?);
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    let out = s.app.decide_members(&v, id, base, &input).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(Items::of(&out, |d| ReviewDecisionBody::new(d, lang)))))
}

/// The decision on the organisations this committee decides; the caps hold
#[utoipa::path(post, path = "/reviews/{id}/decisions/orgs/{decider}", tag = "review", security(("session" = [])),
    params(("id" = Uuid, Path), ("decider" = Uuid, Path)), request_body = DecisionFields,
    responses((status = 201, body = Items<ReviewDecisionBody>)))]
pub async fn decide_orgs(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path((id, decider)): Path<(String, String)>,
    ApiJson(f): ApiJson<DecisionFields>,
) -> Result<(StatusCode, Json<Items<ReviewDecisionBody>>), ApiError> {
    let (id, decider) = (parse_id(&id, lang)?, parse_id(&decider, lang)?);
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    let out = s.app.decide_orgs(&v, id, decider, &input).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(Items::of(&out, |d| ReviewDecisionBody::new(d, lang)))))
}

/// Correct a decision by a new one with its reason (the earlier one is kept)
#[utoipa::path(post, path = "/reviews/{id}/corrections/{subject}", tag = "review", security(("session" = [])),
    params(("id" = Uuid, Path), ("subject" = Uuid, Path)), request_body = CorrectionFields,
    responses((status = 201, body = ReviewDecisionBody)))]
pub async fn correct(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path((id, subject)): Path<(String, String)>,
    ApiJson(f): ApiJson<CorrectionFields>,
) -> Result<(StatusCode, Json<ReviewDecisionBody>), ApiError> {
    let (id, subject) = (parse_id(&id, lang)?, parse_id(&subject, lang)?);
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    let d = s.app.correct_decision(&v, id, subject, &input).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(ReviewDecisionBody::new(&d, lang))))
}

/// An organisation's own assessment with the facts that cap it
#[utoipa::path(put, path = "/reviews/{id}/orgs/{org}", tag = "review", security(("session" = [])),
    params(("id" = Uuid, Path), ("org" = Uuid, Path)), request_body = OrgSelfFields,
    responses((status = 200, body = OrgLineBody)))]
pub async fn org_self(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path((id, org)): Path<(String, String)>,
    ApiJson(f): ApiJson<OrgSelfFields>,
) -> Result<Json<OrgLineBody>, ApiError> {
    let (id, org) = (parse_id(&id, lang)?, parse_id(&org, lang)?);
    let input = f.parse().or_api(lang)?;
    s.app.org_self_assess(&v, id, org, &input).await.or_api(lang)?;
    let view = s.app.review_round(&v, id, Some(org)).await.or_api(lang)?;
    let line = view.orgs.iter().find(|o| o.line.org_id == org).ok_or(chibo_access::Problem::NotFound).or_api(lang)?;
    Ok(Json(OrgLineBody::new(line, lang)))
}

/// The self-improvement plan of a member or an organisation after its decision
#[utoipa::path(post, path = "/reviews/{id}/plans", tag = "review", security(("session" = [])),
    params(("id" = Uuid, Path)), request_body = PlanFields, responses((status = 201, body = PlanBody)))]
pub async fn plan(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<PlanFields>,
) -> Result<(StatusCode, Json<PlanBody>), ApiError> {
    let id = parse_id(&id, lang)?;
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    let p = s.app.create_plan(&v, id, &input).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(PlanBody::new(&p, lang))))
}

/// Mark an item of a plan done on a date (blank: not done), with a note
#[utoipa::path(put, path = "/plan-items/{id}", tag = "review", security(("session" = [])),
    params(("id" = Uuid, Path)), request_body = DoneFields, responses((status = 200, body = PlanBody)))]
pub async fn item(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<DoneFields>,
) -> Result<Json<PlanBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let (done, note) = f.parse(DateStyle::Iso).or_api(lang)?;
    let p = s.app.mark_plan_item(&v, id, done, &note).await.or_api(lang)?;
    Ok(Json(PlanBody::new(&p, lang)))
}

#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// `year:2025`, `quarter:2025-Q4`, …; this year when absent.
    pub period: Option<String>,
}

/// The period asked for, or the year of `today`.
pub(crate) fn period_or_year(p: &Option<String>, today: time::Date) -> String {
    p.clone().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| format!("year:{}", today.year()))
}

/// The review figures of a subtree for a period: members and organisations by kind per level,
/// with the organisations directly under it (drill-down) and the national target
#[utoipa::path(get, path = "/orgs/{id}/review-figures", tag = "review", security(("session" = [])),
    params(("id" = Uuid, Path), PeriodQuery), responses((status = 200, body = ReviewFiguresBody)))]
pub async fn figures(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Json<ReviewFiguresBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let f = s.app.review_figures(&v, id, &period_or_year(&q.period, s.app.today())).await.or_api(lang)?;
    Ok(Json(ReviewFiguresBody::new(&f, lang)))
}

/// A committee's review settings from a date: the quota of xuất sắc (a percentage of those
/// rated tốt) or none
#[utoipa::path(post, path = "/orgs/{id}/review-settings", tag = "review", security(("session" = [])),
    params(("id" = Uuid, Path)), request_body = SettingsFields, responses((status = 201, body = SettingsBody)))]
pub async fn settings(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<SettingsFields>,
) -> Result<(StatusCode, Json<SettingsBody>), ApiError> {
    let id = parse_id(&id, lang)?;
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    let out = s.app.set_review_settings(&v, id, &input).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(SettingsBody::new(&out))))
}
