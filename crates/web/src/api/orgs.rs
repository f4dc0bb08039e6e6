//! The organisation tree: lists, search, an organisation with its surroundings, create, edit,
//! move.

use super::body::Items;
use super::body::records::{OrgBody, OrgPage};
use super::{ApiJson, Reader, Writer, parse_id};
use crate::input::{DateStyle, Fields, OrgFields};
use crate::life_input::DatedFields;
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::extract::{Path, Query, State as S};
use axum::http::StatusCode;
use chibo_access::Problem;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// A name to search for (diacritics optional).
    q: Option<String>,
    /// Present: include dissolved organisations.
    #[serde(default)]
    dissolved: Option<String>,
}

/// The viewer's top organisations, or a name search with ?q=
#[utoipa::path(get, path = "/orgs", tag = "orgs", security(("session" = [])), params(ListQuery),
    responses((status = 200, body = Items<OrgBody>)))]
pub async fn list(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Query(q): Query<ListQuery>,
) -> Result<Json<Items<OrgBody>>, ApiError> {
    let found = match q.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        Some(text) => s.app.search_orgs(&v, text, 50).await,
        None => s.app.home_orgs(&v).await,
    }
    .or_api(lang)?;
    Ok(Json(Items { items: OrgBody::list(&found, lang) }))
}

/// Create an organisation
#[utoipa::path(post, path = "/orgs", tag = "orgs", security(("session" = [])), request_body = OrgFields,
    responses((status = 201, body = OrgBody)))]
pub async fn create(
    S(s): S<State>,
    Writer(v, lang): Writer,
    ApiJson(f): ApiJson<OrgFields>,
) -> Result<(StatusCode, Json<OrgBody>), ApiError> {
    let err = |p: Problem| ApiError(p, lang);
    let input = f.parse(DateStyle::Iso).map_err(|e| err(e.into()))?;
    let parent = match f.parent_id.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => Some(uuid::Uuid::parse_str(p).map_err(|_| {
            err(Problem::field(
                "parent_id",
                "invalid_id",
                "Cấp trên trực tiếp: mã không hợp lệ.",
                "Parent: not a valid id.",
            ))
        })?),
        None => None,
    };
    let org = s.app.create_org(&v, parent, input).await.map_err(err)?;
    Ok((StatusCode::CREATED, Json(OrgBody::new(&org, lang))))
}

/// An organisation with ancestors, children and counts
#[utoipa::path(get, path = "/orgs/{id}", tag = "orgs", security(("session" = [])),
    params(("id" = uuid::Uuid, Path), ListQuery), responses((status = 200, body = OrgPage)))]
pub async fn show(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Json<OrgPage>, ApiError> {
    let id = parse_id(&id, lang)?;
    let view = s.app.org(&v, id, q.dissolved.is_some()).await.or_api(lang)?;
    Ok(Json(OrgPage::new(&view, lang)))
}

/// Edit an organisation (dissolve with dissolved_on)
#[utoipa::path(put, path = "/orgs/{id}", tag = "orgs", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = OrgFields, responses((status = 200, body = OrgBody)))]
pub async fn update(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<OrgFields>,
) -> Result<Json<OrgBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    let org = s.app.update_org(&v, id, input).await.or_api(lang)?;
    Ok(Json(OrgBody::new(&org, lang)))
}

/// Direct sub-organisations
#[utoipa::path(get, path = "/orgs/{id}/children", tag = "orgs", security(("session" = [])),
    params(("id" = uuid::Uuid, Path), ListQuery), responses((status = 200, body = Items<OrgBody>)))]
pub async fn children(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Items<OrgBody>>, ApiError> {
    let id = parse_id(&id, lang)?;
    let kids = s.app.org_children(&v, id, q.dissolved.is_some()).await.or_api(lang)?;
    Ok(Json(Items { items: OrgBody::list(&kids, lang) }))
}

/// Where a subtree moves, from a date (today when `effective` is absent).
#[derive(Deserialize, Serialize, Default, ToSchema)]
#[serde(default)]
pub struct MoveBody {
    new_parent_id: Option<String>,
    #[serde(flatten)]
    dated: DatedFields,
}

/// Move the subtree under a new parent (effective defaults to today)
#[utoipa::path(post, path = "/orgs/{id}/move", tag = "orgs", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = MoveBody, responses((status = 200, body = OrgBody)))]
pub async fn move_to(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<MoveBody>,
) -> Result<Json<OrgBody>, ApiError> {
    let id = parse_id(&id, lang)?;
    let mut f = Fields::new(DateStyle::Iso);
    let parent = f.uuid("new_parent_id", "Cấp trên mới", "New parent", &b.new_parent_id);
    let d = b.dated.dated_in(&mut f, Some(s.app.today()));
    let parent = f.errors.finish(parent).or_api(lang)?.unwrap_or_default();
    let org = s.app.move_org_on(&v, id, parent, &d).await.or_api(lang)?;
    Ok(Json(OrgBody::new(&org, lang)))
}
