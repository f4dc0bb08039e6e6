//! The tree through time: an organisation as of a date, incoming transfers, and the dated
//! restructuring decisions (rename, dissolve, merge, split; moving is in `orgs.rs`).

use super::{ApiJson, Reader, Writer, json, parse_id};
use crate::input::{DateStyle, Fields};
use crate::life_input::{DatedFields, MergeFields, RenameFields, SplitFields};
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::extract::{Path, Query, State as S};
use axum::http::StatusCode;
use chibo_access::domain::life::Tally;
use chibo_access::{Lang, MemberOnDate, OrgOnDate, Validation};
use serde::Deserialize;
use serde_json::{Value, json};
use time::Date;

#[derive(Deserialize, Default)]
pub struct OnQuery {
    on: Option<String>,
}

/// The date of `?on=` (yyyy-mm-dd or dd/mm/yyyy); today when absent.
pub(crate) fn on_date(raw: &Option<String>) -> Result<Date, Validation> {
    let mut f = Fields::new(DateStyle::Vietnamese);
    let d = f.date("on", "Ngày xem", "Date", raw);
    f.errors.finish(d.unwrap_or_else(chibo_access::today))
}

fn tally(t: &Tally) -> Value {
    json!({"members": t.members, "official": t.official, "probationary": t.probationary, "female": t.female, "minority": t.minority})
}

fn rolls(list: &[MemberOnDate], lang: Lang) -> Value {
    list.iter()
        .map(|m| {
            json!({
                "id": m.id, "full_name": m.full_name, "birth_date": m.birth_date.to_string(),
                "status": m.status.code(), "status_label": m.status.label(lang),
                "since": m.since.to_string(), "readable": m.readable,
            })
        })
        .collect()
}

fn org_on(o: &OrgOnDate, lang: Lang) -> Value {
    json!({
        "on": o.on.to_string(),
        "existed": o.existed,
        "org": json::org(&o.org, lang),
        "name": o.name,
        "parent": o.parent.as_ref().map(|p| json!({"id": p.id, "name": p.name, "readable": p.readable})),
        "tally": tally(&o.tally),
        "children": o.children.iter().map(|c| json!({
            "id": c.id, "name": c.name, "kind": c.kind.code(), "kind_label": c.kind.label(lang),
            "tally": tally(&c.tally), "readable": c.readable,
        })).collect::<Vec<_>>(),
        "members": rolls(&o.members, lang),
        "attached": rolls(&o.attached, lang),
    })
}

pub async fn as_of(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<OnQuery>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let on = on_date(&q.on).or_api(lang)?;
    let o = s.app.org_on(&v, id, on).await.or_api(lang)?;
    Ok(Json(org_on(&o, lang)))
}

pub async fn incoming(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let list = s.app.incoming_transfers(&v, id).await.or_api(lang)?;
    let mut items = Vec::new();
    for t in &list {
        let m = &t.member;
        // The receiving organisation is in the viewer's subtree; the sending one need not be.
        let to = match m.life.transit_org_id {
            Some(to) => s.app.org(&v, to, true).await.ok().map(|o| json!({"id": to, "name": o.org.input.name})),
            None => None,
        };
        let i = &m.input;
        items.push(json!({
            "id": m.id, "full_name": m.full_name, "birth_date": i.birth_date.to_string(),
            "gender": i.gender.code(), "status": i.status.code(), "status_label": i.status.label(lang),
            "admission_date": i.admission_date.to_string(), "official_date": i.official_date.map(|d| d.to_string()),
            "party_card_number": i.party_card_number, "to": to,
            "sent_on": t.sent_on.to_string(), "from_name": t.from_name,
            "decision_number": t.decision.number, "decision_signed_on": t.decision.signed_on.map(|d| d.to_string()),
        }));
    }
    Ok(Json(json!({ "items": items })))
}

pub async fn rename(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<RenameFields>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let (name, d) = b.parse(DateStyle::Iso).or_api(lang)?;
    let org = s.app.rename_org(&v, id, &name, &d).await.or_api(lang)?;
    Ok(Json(json::org(&org, lang)))
}

pub async fn dissolve(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<DatedFields>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let d = b.parse(DateStyle::Iso, false).or_api(lang)?;
    let org = s.app.dissolve_org(&v, id, &d).await.or_api(lang)?;
    Ok(Json(json::org(&org, lang)))
}

/// Merge the `sources` into this organisation.
pub async fn merge(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<MergeFields>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let (sources, d) = b.parse(DateStyle::Iso).or_api(lang)?;
    let org = s.app.merge_orgs(&v, &sources, id, &d).await.or_api(lang)?;
    Ok(Json(json::org(&org, lang)))
}

pub async fn split(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<SplitFields>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = parse_id(&id, lang)?;
    let (parts, dissolve_source, d) = b.parse(DateStyle::Iso).or_api(lang)?;
    let created = s.app.split_org(&v, id, &parts, dissolve_source, &d).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({ "items": json::orgs(&created, lang) }))))
}
