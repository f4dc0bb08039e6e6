//! Creating, editing and moving organisations.

use super::form::{Field, FormPage, Opt, Reload, place_errors};
use super::page::{Chrome, Ctx, Posted, UiError, form_errors, parse_id};
use super::text::Texts;
use crate::State;
use crate::input::{DateStyle, Flag, OrgFields};
use crate::life_input::DatedFields;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State as S};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chibo_access::domain::admin_units;
use chibo_access::domain::date::format_vn;
use chibo_access::domain::org::{OrgInput, OrgKind};
use chibo_access::{Org, Problem, Validation};
use serde::Deserialize;
use uuid::Uuid;

/// The form's text for a stored organisation.
fn fields_of(input: &OrgInput) -> OrgFields {
    OrgFields {
        parent_id: None,
        name: Some(input.name.clone()),
        short_name: input.short_name.clone(),
        kind: Some(input.kind.code().to_string()),
        province_code: input.locality.province_code.map(|c| c.to_string()),
        commune_code: input.locality.commune_code.map(|c| c.to_string()),
        village: input.locality.village.clone(),
        established_on: input.established_on.map(format_vn),
        dissolved_on: input.dissolved_on.map(format_vn),
        has_cell_committee: Flag::Bool(input.has_cell_committee),
    }
}

/// The province and commune selects; choosing a province reloads the communes.
pub fn locality_fields(t: &'static Texts, province: &Option<String>, commune: &Option<String>) -> Vec<Field> {
    let units = admin_units::units();
    let provinces = units.provinces.iter().map(|p| (p.code.to_string(), p.name.clone()));
    let mut p = Field::select("province_code", t.province, province, provinces, Some("—"));
    p.reload = Some(Reload { url: "/ui/communes", target: "#commune_code" });
    let communes: Vec<(String, String)> = province
        .as_deref()
        .and_then(|s| s.trim().parse::<i32>().ok())
        .map(|code| units.communes_of(code).map(|c| (c.code.to_string(), c.name.clone())).collect())
        .unwrap_or_default();
    let c = Field::select("commune_code", t.commune, commune, communes, Some("—"));
    vec![p, c]
}

/// The fields of the form. `kinds` empty: the kind is fixed (editing).
fn org_fields(
    t: &'static Texts,
    f: &OrgFields,
    kinds: &[OrgKind],
    lang: chibo_access::Lang,
    editing: bool,
) -> Vec<Field> {
    let mut v = Vec::new();
    if !editing {
        v.push(Field::hidden("parent_id", f.parent_id.as_deref().unwrap_or("")));
    }
    v.push(Field::text("name", t.org_name, &f.name).required());
    v.push(Field::text("short_name", t.short_name, &f.short_name));
    if editing {
        v.push(Field::hidden("kind", f.kind.as_deref().unwrap_or("")));
    } else {
        let choices = kinds.iter().map(|k| (k.code().to_string(), k.label(lang).to_string()));
        v.push(Field::select("kind", t.kind, &f.kind, choices, Some(t.choose)).required());
    }
    v.extend(locality_fields(t, &f.province_code, &f.commune_code));
    v.push(Field::text("village", t.village, &f.village));
    v.push(Field::date("established_on", t.established_on, &f.established_on));
    if editing {
        v.push(Field::date("dissolved_on", t.dissolved_on, &f.dissolved_on).hint(t.dissolved_hint));
    }
    v.push(Field::checkbox("has_cell_committee", t.has_cell_committee, f.has_cell_committee.is_set()));
    v
}

pub(super) fn kinds_under(parent: Option<&Org>) -> Vec<OrgKind> {
    OrgKind::ALL
        .into_iter()
        .filter(|k| match parent {
            Some(p) => p.kind().may_contain(*k),
            None => k.may_be_root(),
        })
        .collect()
}

fn new_form(ctx: &Ctx, parent: Option<&Org>, f: &OrgFields, errors: &Validation) -> FormPage {
    let t = ctx.t;
    let mut fields = org_fields(t, f, &kinds_under(parent), ctx.lang, false);
    let general = place_errors(&mut fields, errors, ctx.lang);
    FormPage {
        c: ctx.chrome(t.new_org),
        t,
        heading: t.new_org.to_string(),
        intro: parent.map_or_else(|| t.new_root.to_string(), |p| format!("{}: {}", t.parent, p.input.name)),
        action: "/orgs".into(),
        fields,
        general,
        submit: t.save,
        cancel: parent.map_or_else(|| "/".into(), |p| format!("/orgs/{}", p.id)),
    }
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    parent: Option<String>,
}

pub async fn new_org(S(state): S<State>, ctx: Ctx, Query(q): Query<NewQuery>) -> Result<FormPage, UiError> {
    let parent = match q.parent.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(raw) => {
            let ov = state.app.org(&ctx.viewer, parse_id(&ctx, raw)?, false).await.map_err(|p| ctx.fail(p))?;
            if !ov.can_write {
                return Err(ctx.fail(Problem::Forbidden));
            }
            Some(ov.org)
        }
        None => None,
    };
    let f = OrgFields { parent_id: parent.as_ref().map(|p| p.id.to_string()), ..OrgFields::default() };
    Ok(new_form(&ctx, parent.as_ref(), &f, &Validation::default()))
}

pub async fn create_org(S(state): S<State>, ctx: Ctx, form: Posted) -> Result<Response, UiError> {
    ctx.check_csrf(&form)?;
    let f: OrgFields = form.to();
    let raw_parent = f.parent_id.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let parent_id = match raw_parent.map(Uuid::parse_str) {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(_)) => return Err(ctx.fail(Problem::NotFound)),
    };
    let parent = match parent_id {
        Some(id) => state.app.org(&ctx.viewer, id, false).await.ok().map(|v| v.org),
        None => None,
    };
    let outcome = match f.parse(DateStyle::Vietnamese) {
        Ok(input) => state.app.create_org(&ctx.viewer, parent_id, input).await,
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(org) => Ok(Redirect::to(&format!("/orgs/{}", org.id)).into_response()),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            Ok((status, new_form(&ctx, parent.as_ref(), &f, &errors)).into_response())
        }
    }
}

fn edit_form(ctx: &Ctx, org: &Org, f: &OrgFields, errors: &Validation) -> FormPage {
    let t = ctx.t;
    let mut fields = org_fields(t, f, &[], ctx.lang, true);
    let general = place_errors(&mut fields, errors, ctx.lang);
    FormPage {
        c: ctx.chrome(t.edit_org),
        t,
        heading: format!("{}: {}", t.edit_org, org.input.name),
        intro: format!("{}: {}", t.kind, org.kind().label(ctx.lang)),
        action: format!("/orgs/{}", org.id),
        fields,
        general,
        submit: t.save,
        cancel: format!("/orgs/{}", org.id),
    }
}

pub(super) async fn writable_org(state: &State, ctx: &Ctx, raw: &str) -> Result<Org, UiError> {
    let ov = state.app.org(&ctx.viewer, parse_id(ctx, raw)?, true).await.map_err(|p| ctx.fail(p))?;
    if !ov.can_write {
        return Err(ctx.fail(Problem::Forbidden));
    }
    Ok(ov.org)
}

pub async fn edit_org(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<FormPage, UiError> {
    let org = writable_org(&state, &ctx, &id).await?;
    Ok(edit_form(&ctx, &org, &fields_of(&org.input), &Validation::default()))
}

pub async fn update_org(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: Posted,
) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    ctx.check_csrf(&form)?;
    let f: OrgFields = form.to();
    let outcome = match f.parse(DateStyle::Vietnamese) {
        Ok(input) => state.app.update_org(&ctx.viewer, id, input).await,
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(org) => Ok(Redirect::to(&format!("/orgs/{}", org.id)).into_response()),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            let org = writable_org(&state, &ctx, &id.to_string()).await?;
            Ok((status, edit_form(&ctx, &org, &f, &errors)).into_response())
        }
    }
}

/// A possible new parent in the move form.
pub struct Choice {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub checked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "org_move.html")]
pub struct MovePage {
    c: Chrome,
    t: &'static Texts,
    id: String,
    name: String,
    parent: String,
    q: String,
    choices: Vec<Choice>,
    error: Option<String>,
    general: Vec<String>,
    /// The effective date and decision of the move.
    fields: Vec<Field>,
}

#[derive(Template, WebTemplate)]
#[template(path = "org_pick.html")]
pub struct PickFragment {
    t: &'static Texts,
    q: String,
    choices: Vec<Choice>,
}

#[derive(Deserialize, Default)]
pub struct PickQuery {
    q: Option<String>,
}

/// Organisations matching `q` that could take `org`: not inside it, not its parent, and of
/// a kind that may hold it.
async fn choices(state: &State, ctx: &Ctx, org: &Org, q: &str, checked: &str) -> Result<Vec<Choice>, UiError> {
    if q.trim().is_empty() {
        return Ok(Vec::new());
    }
    let found = state.app.search_orgs(&ctx.viewer, q, 30).await.map_err(|p| ctx.fail(p))?;
    Ok(found
        .iter()
        .filter(|o| !o.path.starts_with(&org.path))
        .filter(|o| Some(o.id) != org.parent_id && !o.is_dissolved())
        .filter(|o| o.kind().may_contain(org.kind()))
        .map(|o| Choice {
            id: o.id.to_string(),
            name: o.input.name.clone(),
            kind: o.kind().label(ctx.lang),
            checked: o.id.to_string() == checked,
        })
        .collect())
}

async fn move_page(
    state: &State,
    ctx: &Ctx,
    org: &Org,
    q: &str,
    checked: &str,
    dated: &DatedFields,
    errors: &Validation,
) -> Result<MovePage, UiError> {
    let parent = match org.parent_id {
        Some(p) => state.app.org(&ctx.viewer, p, true).await.map_or_else(|_| p.to_string(), |v| v.org.input.name),
        None => String::new(),
    };
    let t = ctx.t;
    let error = errors.for_field("new_parent_id").map(|e| e.message(ctx.lang).to_string());
    let mut fields = super::life::dated_fields(t, dated);
    fields[0].hint = t.effective_hint;
    fields[0].required = false;
    let rest = errors.errors.iter().filter(|e| e.field != "new_parent_id").cloned().collect();
    let general = place_errors(&mut fields, &Validation { errors: rest }, ctx.lang);
    Ok(MovePage {
        c: ctx.chrome(t.move_org),
        t,
        id: org.id.to_string(),
        name: org.input.name.clone(),
        parent,
        q: q.to_string(),
        choices: choices(state, ctx, org, q, checked).await?,
        error,
        general,
        fields,
    })
}

pub async fn move_form(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(pq): Query<PickQuery>,
) -> Result<MovePage, UiError> {
    let org = writable_org(&state, &ctx, &id).await?;
    let q = pq.q.unwrap_or_default();
    move_page(&state, &ctx, &org, &q, "", &super::life::today_dated(ctx.today()), &Validation::default()).await
}

pub async fn pick(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(pq): Query<PickQuery>,
) -> Result<PickFragment, UiError> {
    let org = writable_org(&state, &ctx, &id).await?;
    let q = pq.q.unwrap_or_default();
    Ok(PickFragment { t: ctx.t, choices: choices(&state, &ctx, &org, &q, "").await?, q })
}

pub async fn move_org(S(state): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    let org = writable_org(&state, &ctx, &id).await?;
    ctx.check_csrf(&form)?;
    let raw = form.text("new_parent_id");
    let dated: DatedFields = form.to();
    let outcome = match (Uuid::parse_str(raw.trim()), dated.parse(DateStyle::Vietnamese, Some(ctx.today()))) {
        (Ok(parent), Ok(d)) => state.app.move_org_on(&ctx.viewer, org.id, parent, &d).await,
        (Err(_), _) => Err(Problem::field(
            "new_parent_id",
            "required",
            "Cấp trên mới: hãy tìm và chọn một tổ chức.",
            "New parent: search for an organisation and choose one.",
        )),
        (_, Err(v)) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/orgs/{}", org.id)).into_response()),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            let page = move_page(&state, &ctx, &org, &form.text("q"), raw.trim(), &dated, &errors).await?;
            Ok((status, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "communes.html")]
pub struct CommuneOptions {
    options: Vec<Opt>,
}

#[derive(Deserialize, Default)]
pub struct CommuneQuery {
    province_code: Option<String>,
}

/// `<option>`s of the communes of a province, for the locality select.
pub async fn communes(_ctx: Ctx, Query(q): Query<CommuneQuery>) -> Response {
    let options = q
        .province_code
        .as_deref()
        .and_then(|s| s.trim().parse::<i32>().ok())
        .map(|code| {
            admin_units::units()
                .communes_of(code)
                .map(|c| Opt { value: c.code.to_string(), label: c.name.clone(), selected: false })
                .collect()
        })
        .unwrap_or_default();
    (StatusCode::OK, CommuneOptions { options }).into_response()
}
