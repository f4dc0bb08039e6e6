//! The tree through time: an organisation as of a date, incoming transfers, and the dated
//! restructuring decisions (rename, dissolve, merge, split; moving is in `orgs.rs`).

use super::body::Items;
use super::body::records::OrgBody;
use super::body::restructure::{IdName, IncomingBody, OrgOnDateBody};
use super::{ApiJson, Reader, Writer, parse_id};
use crate::input::{DateStyle, Fields};
use crate::life_input::{DatedFields, MergeFields, RenameFields, SplitFields};
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::extract::{Path, Query, State as S};
use axum::http::StatusCode;
use chibo_access::Validation;
use serde::Deserialize;
use time::Date;
use utoipa::IntoParams;

#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OnQuery {
    /// `yyyy-mm-dd` or `dd/mm/yyyy`; today when absent.
    pub(crate) on: Option<String>,
}

/// The date of `?on=` (yyyy-mm-dd or dd/mm/yyyy); `today` when absent.
pub(crate) fn on_date(raw: &Option<String>, today: Date) -> Result<Date, Validation> {
    let mut f = Fields::new(DateStyle::Vietnamese);
    let d = f.date("on", "Ngày xem", "Date", raw);
    f.errors.finish(d.unwrap_or(today))
}

/// The organisation, its sub-organisations, counts and rolls as of ?on=
#[utoipa::path(get, path = "/orgs/{id}/as-of", tag = "restructure", security(("session" = [])),
    params(("id" = uuid::Uuid, Path), OnQuery), responses((status = 200, body = OrgOnDateBody)))]
pub async fn as_of(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<OnQuery>,
) -> Result<Json<OrgOnDateBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let on = on_date(&q.on, s.app.today()).or_api(lang)?;
    let o = s.app.org_on(&v, id, on).await.or_api(lang)?;
    Ok(Json(OrgOnDateBody::new(&o, lang)))
}

/// Members transferred to an organisation of this subtree, waiting to be received
///
/// Record `transferred_in` to accept one.
#[utoipa::path(get, path = "/orgs/{id}/incoming", tag = "life", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = Items<IncomingBody>)))]
pub async fn incoming(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
) -> Result<Json<Items<IncomingBody>>, ApiError> {
    let id = parse_id(&id, lang)?;
    let list = s.app.incoming_transfers(&v, id).await.or_api(lang)?;
    let mut items = Vec::new();
    for t in &list {
        // The receiving organisation is in the viewer's subtree; the sending one need not be.
        let to = match t.member.life.transit_org_id {
            Some(to) => s.app.org(&v, to, true).await.ok().map(|o| IdName { id: to, name: o.org.input.name }),
            None => None,
        };
        items.push(IncomingBody::new(t, to, lang));
    }
    Ok(Json(Items { items }))
}

/// Rename from a date
#[utoipa::path(post, path = "/orgs/{id}/rename", tag = "restructure", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = RenameFields, responses((status = 200, body = OrgBody)))]
pub async fn rename(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<RenameFields>,
) -> Result<Json<OrgBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let (name, d) = b.parse(DateStyle::Iso).or_api(lang)?;
    let org = s.app.rename_org(&v, id, &name, &d).await.or_api(lang)?;
    Ok(Json(OrgBody::new(&org, lang)))
}

/// Dissolve an empty organisation from a date
#[utoipa::path(post, path = "/orgs/{id}/dissolve", tag = "restructure", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = DatedFields, responses((status = 200, body = OrgBody)))]
pub async fn dissolve(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<DatedFields>,
) -> Result<Json<OrgBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let d = b.parse(DateStyle::Iso, None).or_api(lang)?;
    let org = s.app.dissolve_org(&v, id, &d).await.or_api(lang)?;
    Ok(Json(OrgBody::new(&org, lang)))
}

/// Merge organisations into this one
///
/// Members are transferred, sub-organisations moved, the sources dissolved.
#[utoipa::path(post, path = "/orgs/{id}/merge", tag = "restructure", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = MergeFields, responses((status = 200, body = OrgBody)))]
pub async fn merge(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<MergeFields>,
) -> Result<Json<OrgBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let (sources, d) = b.parse(DateStyle::Iso).or_api(lang)?;
    let org = s.app.merge_orgs(&v, &sources, id, &d).await.or_api(lang)?;
    Ok(Json(OrgBody::new(&org, lang)))
}

/// Split into new organisations under the same parent
///
/// Answers the organisations created.
#[utoipa::path(post, path = "/orgs/{id}/split", tag = "restructure", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = SplitFields, responses((status = 201, body = Items<OrgBody>)))]
pub async fn split(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<SplitFields>,
) -> Result<(StatusCode, Json<Items<OrgBody>>), ApiError> {
    let id = parse_id(&id, lang)?;
    let (parts, dissolve_source, d) = b.parse(DateStyle::Iso).or_api(lang)?;
    let created = s.app.split_org(&v, id, &parts, dissolve_source, &d).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(Items { items: OrgBody::list(&created, lang) })))
}
