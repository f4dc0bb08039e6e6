//! Admission and the work lists: candidates (*quần chúng ưu tú*) and their dossier, the
//! admission that creates the probationary member, probations to consider, party badges due on
//! an award date and those awarded.

use super::{ApiJson, Reader, Writer, parse_id};
use crate::admission_input::{AdmissionFields, AwardFields, CandidateFields, VersionFields, award_date};
use crate::input::DateStyle;
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::extract::{Path, Query, State as S};
use axum::http::StatusCode;
use chibo_access::domain::life::probation::ProbationStatus;
use chibo_access::domain::life::{CandidateState, next_award_date};
use chibo_access::{BadgeAward, BadgeList, CandidateView, Lang, ProbationItem, Problem};
use serde::Deserialize;
use serde_json::{Value, json};

fn candidate(c: &CandidateView, lang: Lang) -> Value {
    let (k, i) = (&c.candidate, &c.candidate.input);
    let day = |d: Option<time::Date>| d.map(|d| d.to_string());
    json!({
        "id": k.id,
        "org_id": i.org_id,
        "full_name": k.full_name,
        "state": k.state.code(),
        "member_id": k.member_id,
        "version": k.version,
        "updated_at": k.updated_at.unix_timestamp(),
        "decision_deadline": day(c.decision_deadline),
        "overdue": c.overdue,
        "family_name": i.family_name,
        "middle_name": i.middle_name,
        "given_name": i.given_name,
        "birth_date": i.birth_date.to_string(),
        "gender": i.gender.code(),
        "gender_label": i.gender.label(lang),
        "ethnicity_code": i.ethnicity_code,
        "citizen_id": i.citizen_id,
        "course_certificate_on": day(i.course_certificate_on),
        "application_on": i.application_on.to_string(),
        "introducers": i.introducers.iter().map(|p| json!({
            "member_id": p.member_id, "known_since": day(p.known_since),
        })).collect::<Vec<_>>(),
        "youth_union_resolution_on": day(i.youth_union_resolution_on),
        "cell_resolution_on": day(i.cell_resolution_on),
        "cell_votes_for": i.cell_votes_for,
        "cell_vote_base": i.cell_vote_base,
        "base_resolution_on": day(i.base_resolution_on),
        "decision_on": day(i.decision_on),
        "age_exception_approved": i.age_exception_approved,
    })
}

#[derive(Deserialize, Default)]
pub struct StateQuery {
    state: Option<String>,
}

pub async fn list(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<StateQuery>,
) -> Result<Json<Value>, ApiError> {
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
    Ok(Json(json!({ "items": list.iter().map(|c| candidate(c, lang)).collect::<Vec<_>>() })))
}

pub async fn create(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(org): Path<String>,
    ApiJson(mut f): ApiJson<CandidateFields>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    // The cell is the one of the path (a body naming another is overruled).
    f.org_id = Some(parse_id(&org, lang)?.to_string());
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    let c = s.app.create_candidate(&v, input).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(candidate(&c, lang))))
}

pub async fn show(S(s): S<State>, Reader(v, lang): Reader, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let c = s.app.candidate(&v, id).await.or_api(lang)?;
    Ok(Json(candidate(&c, lang)))
}

pub async fn update(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<CandidateFields>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let (input, version) = f.parse_edit(DateStyle::Iso).or_api(lang)?;
    let c = s.app.update_candidate(&v, id, input, version).await.or_api(lang)?;
    Ok(Json(candidate(&c, lang)))
}

pub async fn withdraw(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<VersionFields>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let version = f.parse().or_api(lang)?;
    let c = s.app.withdraw_candidate(&v, id, version).await.or_api(lang)?;
    Ok(Json(candidate(&c, lang)))
}

pub async fn admit(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<AdmissionFields>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let a = f.parse(DateStyle::Iso).or_api(lang)?;
    let c = s.app.admit_candidate(&v, id, &a).await.or_api(lang)?;
    Ok(Json(candidate(&c, lang)))
}

/// `ending_soon`, `awaiting_decision` or `overdue`, with its dates.
fn probation_status(s: &ProbationStatus) -> Value {
    match *s {
        ProbationStatus::Running { ends_on } => json!({"kind": "running", "ends_on": ends_on.to_string()}),
        ProbationStatus::EndingSoon { ends_on } => json!({"kind": "ending_soon", "ends_on": ends_on.to_string()}),
        ProbationStatus::AwaitingDecision { ended_on, deadline } => {
            json!({"kind": "awaiting_decision", "ended_on": ended_on.to_string(), "deadline": deadline.to_string()})
        }
        ProbationStatus::Overdue { ended_on, deadline } => {
            json!({"kind": "overdue", "ended_on": ended_on.to_string(), "deadline": deadline.to_string()})
        }
    }
}

fn probation_item(p: &ProbationItem) -> Value {
    json!({
        "member_id": p.member_id,
        "full_name": p.full_name,
        "org_id": p.org_id,
        "admission_date": p.admission_date.to_string(),
        "status": probation_status(&p.status),
    })
}

pub async fn probation(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let list = s.app.probation_worklist(&v, id).await.or_api(lang)?;
    Ok(Json(json!({ "items": list.iter().map(probation_item).collect::<Vec<_>>() })))
}

fn badge_list(l: &BadgeList) -> Value {
    json!({
        "award_on": l.award_on.to_string(),
        "truncated": l.truncated,
        "items": l.items.iter().map(|i| json!({
            "member_id": i.member_id,
            "full_name": i.full_name,
            "org_id": i.org_id,
            "party_age": i.party_age.map(|a| json!({"years": a.years, "months": a.months, "days": a.days})),
            "due": i.due.iter().map(|d| json!({
                "years": d.years, "reached_on": d.reached_on.to_string(), "early": d.early,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

#[derive(Deserialize, Default)]
pub struct AwardQuery {
    award_on: Option<String>,
}

pub async fn badges(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<AwardQuery>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let on = award_date(&q.award_on, next_award_date(chibo_access::today())).or_api(lang)?;
    let list = s.app.badge_worklist(&v, id, on).await.or_api(lang)?;
    Ok(Json(badge_list(&list)))
}

fn award(b: &BadgeAward) -> Value {
    json!({
        "id": b.id,
        "years": b.years,
        "award_on": b.award_on.to_string(),
        "decision_number": b.decision_number,
        "early": b.early,
        "recorded_at": b.recorded_at.unix_timestamp(),
    })
}

pub async fn member_badges(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let list = s.app.badges_of(&v, id).await.or_api(lang)?;
    Ok(Json(json!({ "items": list.iter().map(award).collect::<Vec<_>>() })))
}

pub async fn award_badge(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<AwardFields>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = parse_id(&id, lang)?;
    let a = f.parse(DateStyle::Iso).or_api(lang)?;
    let list = s.app.award_badge(&v, id, &a).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({ "items": list.iter().map(award).collect::<Vec<_>>() }))))
}
