use super::{ApiJson, Reader, Writer, json, parse_id};
use crate::input::{DateStyle, Fields, OrgFields};
use crate::life_input::DatedFields;
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::extract::{Path, Query, State as S};
use axum::http::StatusCode;
use chibo_access::Problem;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    #[serde(default)]
    dissolved: Option<String>,
}

pub async fn list(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    let found = match q.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        Some(text) => s.app.search_orgs(&v, text, 50).await,
        None => s.app.home_orgs(&v).await,
    }
    .or_api(lang)?;
    Ok(Json(json!({ "items": json::orgs(&found, lang) })))
}

pub async fn create(
    S(s): S<State>,
    Writer(v, lang): Writer,
    ApiJson(f): ApiJson<OrgFields>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
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
    Ok((StatusCode::CREATED, Json(json::org(&org, lang))))
}

pub async fn show(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let view = s.app.org(&v, id, q.dissolved.is_some()).await.or_api(lang)?;
    Ok(Json(json!({
        "org": json::org(&view.org, lang),
        "ancestors": json::orgs(&view.ancestors, lang),
        "children": json::orgs(&view.children, lang),
        "can_write": view.can_write,
        "notices": view.notices.iter().map(|n| json!({"code": n.code, "message": n.message(lang)})).collect::<Vec<_>>(),
    })))
}

pub async fn update(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<OrgFields>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    let org = s.app.update_org(&v, id, input).await.or_api(lang)?;
    Ok(Json(json::org(&org, lang)))
}

pub async fn children(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let kids = s.app.org_children(&v, id, q.dissolved.is_some()).await.or_api(lang)?;
    Ok(Json(json!({ "items": json::orgs(&kids, lang) })))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MoveBody {
    new_parent_id: Option<String>,
    /// Optional: today when absent.
    #[serde(flatten)]
    dated: DatedFields,
}

pub async fn move_to(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<MoveBody>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let mut f = Fields::new(DateStyle::Iso);
    let parent = f.uuid("new_parent_id", "Cấp trên mới", "New parent", &b.new_parent_id);
    let d = b.dated.dated_in(&mut f, true);
    let parent = f.errors.finish(parent).or_api(lang)?.unwrap_or_default();
    let org = s.app.move_org_on(&v, id, parent, &d).await.or_api(lang)?;
    Ok(Json(json::org(&org, lang)))
}
