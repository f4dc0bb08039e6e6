//! Restructuring forms (*sắp xếp tổ chức*): rename, dissolve, merge into, split — each with
//! its effective date and decision. Moving is in `org_forms.rs`.

use super::form::{Field, FormPage, Opt, place_errors};
use super::life::{dated_fields, today_dated};
use super::org_forms::{Choice, kinds_under, writable_org};
use super::page::{Chrome, Ctx, Posted, UiError, form_errors};
use super::text::Texts;
use crate::State;
use crate::input::{DateStyle, OrgFields};
use crate::life_input::{DatedFields, MergeFields, RenameFields, SplitFields, SplitPartFields};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State as S};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_access::{FieldError, Org, Problem, Validation};

#[derive(Template, WebTemplate)]
#[template(path = "org_restructure.html")]
pub struct HubPage {
    c: Chrome,
    t: &'static Texts,
    id: String,
    name: String,
    can_move: bool,
}

/// The restructuring choices of an organisation.
pub async fn hub(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<HubPage, UiError> {
    let org = writable_org(&state, &ctx, &id).await?;
    let ov = state.app.org(&ctx.viewer, org.id, false).await.map_err(|p| ctx.fail(p))?;
    Ok(HubPage {
        c: ctx.chrome(ctx.t.restructure),
        t: ctx.t,
        id: org.id.to_string(),
        name: org.input.name,
        can_move: ov.can_move,
    })
}

/// A restructuring form: (heading, intro, action path), its own fields, then date and decision.
fn dated_form(
    ctx: &Ctx,
    org: &Org,
    (heading, intro, action): (&'static str, &str, &str),
    mut fields: Vec<Field>,
    d: &DatedFields,
    errors: &Validation,
) -> FormPage {
    fields.extend(dated_fields(ctx.t, d));
    let general = place_errors(&mut fields, errors, ctx.lang);
    FormPage {
        c: ctx.chrome(heading),
        t: ctx.t,
        heading: format!("{heading}: {}", org.input.name),
        intro: intro.to_string(),
        action: format!("/orgs/{}/{action}", org.id),
        fields,
        general,
        submit: heading,
        cancel: format!("/orgs/{}", org.id),
    }
}

fn rename_form(ctx: &Ctx, org: &Org, f: &RenameFields, errors: &Validation) -> FormPage {
    let name = Field::text("name", ctx.t.new_name, &f.name).required();
    dated_form(ctx, org, (ctx.t.rename, "", "rename"), vec![name], &f.dated, errors)
}

pub async fn rename_page(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<FormPage, UiError> {
    let org = writable_org(&state, &ctx, &id).await?;
    let f = RenameFields { name: Some(org.input.name.clone()), dated: today_dated(ctx.today()) };
    Ok(rename_form(&ctx, &org, &f, &Validation::default()))
}

/// Either back to the organisation, or the form again with its errors.
fn done(
    ctx: &Ctx,
    org: &Org,
    outcome: Result<(), Problem>,
    again: impl FnOnce(&Validation) -> FormPage,
) -> Result<Response, UiError> {
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{}", org.id)).into_response()),
        Err(p) => {
            let (errors, status) = form_errors(ctx, p)?;
            Ok((status, again(&errors)).into_response())
        }
    }
}

pub async fn rename(S(state): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    let org = writable_org(&state, &ctx, &id).await?;
    ctx.check_csrf(&form)?;
    let f: RenameFields = form.to();
    let outcome = match f.parse(DateStyle::Vietnamese) {
        Ok((name, d)) => state.app.rename_org(&ctx.viewer, org.id, &name, &d).await.map(|_| ()),
        Err(v) => Err(Problem::Invalid(v)),
    };
    done(&ctx, &org, outcome, |e| rename_form(&ctx, &org, &f, e))
}

fn dissolve_form(ctx: &Ctx, org: &Org, d: &DatedFields, errors: &Validation) -> FormPage {
    dated_form(ctx, org, (ctx.t.dissolve, ctx.t.dissolve_intro, "dissolve"), Vec::new(), d, errors)
}

pub async fn dissolve_page(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<FormPage, UiError> {
    let org = writable_org(&state, &ctx, &id).await?;
    Ok(dissolve_form(&ctx, &org, &today_dated(ctx.today()), &Validation::default()))
}

pub async fn dissolve(S(state): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    let org = writable_org(&state, &ctx, &id).await?;
    ctx.check_csrf(&form)?;
    let d: DatedFields = form.to();
    let outcome = match d.parse(DateStyle::Vietnamese, None) {
        Ok(dated) => state.app.dissolve_org(&ctx.viewer, org.id, &dated).await.map(|_| ()),
        Err(v) => Err(Problem::Invalid(v)),
    };
    done(&ctx, &org, outcome, |e| dissolve_form(&ctx, &org, &d, e))
}

/// Where one member of the rolls goes in a split.
pub struct Assign {
    pub id: String,
    pub name: String,
    pub options: Vec<Opt>,
}

/// The merge and split forms.
#[derive(Template, WebTemplate)]
#[template(path = "org_combine.html")]
pub struct CombinePage {
    c: Chrome,
    t: &'static Texts,
    id: String,
    name: String,
    heading: &'static str,
    intro: &'static str,
    action: &'static str,
    /// Merge: the organisations that may be merged in.
    choices: Option<Vec<Choice>>,
    choices_error: Option<String>,
    /// Split: the name and kind of each new organisation, and where each member goes.
    parts: Vec<Vec<Field>>,
    assign: Vec<Assign>,
    fields: Vec<Field>,
    general: Vec<String>,
}

impl CombinePage {
    fn new(ctx: &Ctx, org: &Org, merge: bool, d: &DatedFields, errors: &Validation) -> CombinePage {
        let t = ctx.t;
        let mut fields = dated_fields(t, d);
        // Errors shown next to the choices or a part are not repeated above the form.
        let elsewhere = |f: &str| f == "sources" || PART_NAMES.iter().any(|(n, k)| f == *n || f == *k);
        let rest = errors.errors.iter().filter(|e| !elsewhere(&e.field)).cloned().collect();
        let mut general = place_errors(&mut fields, &Validation { errors: rest }, ctx.lang);
        if general.is_empty() && !errors.errors.is_empty() {
            general.push(t.errors_heading.to_string());
        }
        CombinePage {
            c: ctx.chrome(if merge { t.merge } else { t.split }),
            t,
            id: org.id.to_string(),
            name: org.input.name.clone(),
            heading: if merge { t.merge } else { t.split },
            intro: if merge { t.merge_intro } else { t.split_intro },
            action: if merge { "merge" } else { "split" },
            choices: None,
            choices_error: errors.for_field("sources").map(|e| e.message(ctx.lang).to_string()),
            parts: Vec::new(),
            assign: Vec::new(),
            fields,
            general,
        }
    }
}

/// Active organisations under the same parent, that the viewer may see.
async fn siblings(state: &State, ctx: &Ctx, org: &Org, checked: &[String]) -> Vec<Choice> {
    let Some(parent) = org.parent_id else { return Vec::new() };
    let kids = state.app.org_children(&ctx.viewer, parent, false).await.unwrap_or_default();
    kids.iter()
        .filter(|o| o.id != org.id)
        .map(|o| Choice {
            id: o.id.to_string(),
            name: o.input.name.clone(),
            kind: o.kind().label(ctx.lang),
            checked: checked.contains(&o.id.to_string()),
        })
        .collect()
}

async fn merge_page(state: &State, ctx: &Ctx, org: &Org, f: &MergeFields, errors: &Validation) -> CombinePage {
    let mut page = CombinePage::new(ctx, org, true, &f.dated, errors);
    page.choices = Some(siblings(state, ctx, org, &f.sources).await);
    page
}

pub async fn merge_form(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<CombinePage, UiError> {
    let org = writable_org(&state, &ctx, &id).await?;
    let f = MergeFields { sources: Vec::new(), dated: today_dated(ctx.today()) };
    Ok(merge_page(&state, &ctx, &org, &f, &Validation::default()).await)
}

pub async fn merge(S(state): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    let org = writable_org(&state, &ctx, &id).await?;
    ctx.check_csrf(&form)?;
    let f = MergeFields {
        sources: form.0.iter().filter(|(k, _)| k == "sources").map(|(_, v)| v.clone()).collect(),
        dated: form.to(),
    };
    let outcome = match f.parse(DateStyle::Vietnamese) {
        Ok((sources, d)) => state.app.merge_orgs(&ctx.viewer, &sources, org.id, &d).await.map(|_| ()),
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{}", org.id)).into_response()),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            Ok((status, merge_page(&state, &ctx, &org, &f, &errors).await).into_response())
        }
    }
}

/// Up to three new organisations per split form.
const PART_NAMES: [(&str, &str); 3] =
    [("part1_name", "part1_kind"), ("part2_name", "part2_kind"), ("part3_name", "part3_kind")];

/// The split form's errors under the form's own names (`parts[1].name` → `part2_name`).
fn split_errors(errors: &Validation) -> Validation {
    let rename = |e: &FieldError| {
        let (i, rest) = e.field.strip_prefix("parts[")?.split_once("].")?;
        let (name, kind) = PART_NAMES.get(i.parse::<usize>().ok()?)?;
        match rest {
            "name" => Some(name.to_string()),
            "kind" => Some(kind.to_string()),
            _ => None,
        }
    };
    Validation {
        errors: errors
            .errors
            .iter()
            .map(|e| FieldError { field: rename(e).unwrap_or_else(|| e.field.clone()), ..e.clone() })
            .collect(),
    }
}

async fn split_page(
    state: &State,
    ctx: &Ctx,
    org: &Org,
    form: Option<&Posted>,
    errors: &Validation,
) -> Result<CombinePage, UiError> {
    let (t, lang) = (ctx.t, ctx.lang);
    let value = |name: &str| form.map(|p| p.text(name)).filter(|v| !v.is_empty());
    let dated = form.map_or_else(|| today_dated(ctx.today()), Posted::to);
    let errors = split_errors(errors);
    let mut page = CombinePage::new(ctx, org, false, &dated, &errors);
    let parent = match org.parent_id {
        Some(p) => state.app.org(&ctx.viewer, p, false).await.ok().map(|v| v.org),
        None => None,
    };
    let kinds: Vec<(String, String)> =
        kinds_under(parent.as_ref()).iter().map(|k| (k.code().to_string(), k.label(lang).to_string())).collect();
    for (name, kind) in PART_NAMES {
        let kind_value = value(kind).or_else(|| Some(org.input.kind.code().to_string()));
        let mut fields = vec![
            Field::text(name, t.org_name, &value(name)),
            Field::select(kind, t.kind, &kind_value, kinds.clone(), None),
        ];
        place_errors(&mut fields, &errors, lang);
        page.parts.push(fields);
    }
    let today = ctx.today();
    let rolls = state.app.org_on(&ctx.viewer, org.id, today).await.map(|o| o.members).unwrap_or_default();
    page.assign = rolls
        .iter()
        .map(|m| {
            let chosen = value(&format!("to_{}", m.id)).unwrap_or_default();
            let mut options =
                vec![Opt { value: String::new(), label: t.stays.to_string(), selected: chosen.is_empty() }];
            options.extend((1..=PART_NAMES.len()).map(|i| Opt {
                value: i.to_string(),
                label: format!("{} {i}", t.part),
                selected: chosen == i.to_string(),
            }));
            Assign { id: m.id.to_string(), name: m.full_name.clone(), options }
        })
        .collect();
    page.fields.insert(
        0,
        Field::checkbox(
            "dissolve_source",
            t.dissolve_source,
            form.is_some_and(|p| crate::input::truthy(&p.get("dissolve_source").map(str::to_string))),
        ),
    );
    Ok(page)
}

pub async fn split_form(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<CombinePage, UiError> {
    let org = writable_org(&state, &ctx, &id).await?;
    split_page(&state, &ctx, &org, None, &Validation::default()).await
}

/// The split as text, from the form: parts with a name, members by the part chosen for each.
fn split_fields(org: &Org, form: &Posted) -> SplitFields {
    let mut parts: Vec<SplitPartFields> = Vec::new();
    for (i, (name, kind)) in PART_NAMES.iter().enumerate() {
        let name_value = form.text(name);
        if name_value.trim().is_empty() {
            continue;
        }
        let member_ids = form
            .0
            .iter()
            .filter(|(k, v)| k.starts_with("to_") && *v == (i + 1).to_string())
            .map(|(k, _)| k.trim_start_matches("to_").to_string())
            .collect();
        let l = &org.input.locality;
        let input = OrgFields {
            name: Some(name_value),
            kind: Some(form.text(kind)),
            province_code: l.province_code.map(|c| c.to_string()),
            commune_code: l.commune_code.map(|c| c.to_string()),
            village: l.village.clone(),
            ..OrgFields::default()
        };
        parts.push(SplitPartFields { org: input, member_ids });
    }
    SplitFields { parts, dissolve_source: crate::input::Flag::Text(form.text("dissolve_source")), dated: form.to() }
}

pub async fn split(S(state): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    let org = writable_org(&state, &ctx, &id).await?;
    ctx.check_csrf(&form)?;
    let f = split_fields(&org, &form);
    let outcome = match f.parse(DateStyle::Vietnamese) {
        Ok((parts, dissolve, d)) => state.app.split_org(&ctx.viewer, org.id, &parts, dissolve, &d).await.map(|_| ()),
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{}", org.parent_id.unwrap_or(org.id))).into_response()),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            Ok((status, split_page(&state, &ctx, &org, Some(&form), &errors).await?).into_response())
        }
    }
}
