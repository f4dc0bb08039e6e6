//! The member page, the member form (create and edit), and a member's own corrections.

use super::form::SavedQuery;
use super::form::{Field, FormPage, Kind, place_errors};
use super::life::{LifeView, find_cell, life_view};
use super::page::{Chrome, Ctx, Posted, UiError, form_errors, parse_id};
use super::text::Texts;
use super::view::{self, Item, Link, item};
use crate::State;
use crate::input::{DateStyle, Flag, MemberFields};
use crate::life_input::EventFields;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State as S};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_access::domain::date::format_vn;
use chibo_access::domain::ethnicity;
use chibo_access::domain::member::{Gender, MemberProfile, MemberStatus, OwnCorrection, TheoryLevel};
use chibo_access::domain::profile::{FieldGroup, FieldKind, ProfileField};
use chibo_access::{Lang, Member, MemberView, Org, Problem, Validation};
use serde::Deserialize;

/// The form's text for a stored record.
fn fields_of(m: &Member) -> MemberFields {
    let i = &m.input;
    let s = |v: &str| Some(v.to_string());
    MemberFields {
        org_id: Some(i.org_id.to_string()),
        family_name: s(&i.family_name),
        middle_name: s(&i.middle_name),
        given_name: s(&i.given_name),
        birth_date: Some(format_vn(i.birth_date)),
        gender: s(i.gender.code()),
        ethnicity_code: Some(i.ethnicity_code.to_string()),
        profile: i.profile.clone(),
        theory_level: s(i.theory_level.code()),
        admission_date: Some(format_vn(i.admission_date)),
        official_date: i.official_date.map(format_vn),
        status: s(i.status.code()),
        age_exception_approved: Flag::Bool(i.age_exception_approved),
        version: Some(m.version.to_string()),
    }
}

fn member_fields(t: &'static Texts, lang: Lang, f: &MemberFields, editing: bool) -> Vec<Field> {
    let genders = [Gender::Male, Gender::Female].into_iter().map(|g| (g.code().to_string(), g.label(lang).to_string()));
    let ethnicities = ethnicity::all().iter().map(|e| (e.code.to_string(), e.name.clone()));
    let levels = TheoryLevel::ALL.into_iter().map(|l| (l.code().to_string(), l.label(lang).to_string()));
    let statuses = MemberStatus::ALL.into_iter().map(|s| (s.code().to_string(), s.label(lang).to_string()));
    let mut v = vec![Field::hidden("org_id", f.org_id.as_deref().unwrap_or(""))];
    if editing {
        v.push(Field::hidden("version", f.version.as_deref().unwrap_or("")));
    }
    v.extend([
        Field::text("family_name", t.family_name, &f.family_name).required(),
        Field::text("middle_name", t.middle_name, &f.middle_name),
        Field::text("given_name", t.given_name, &f.given_name).required(),
        Field::date("birth_date", t.birth_date, &f.birth_date).required(),
        Field::select("gender", t.gender, &f.gender, genders, Some(t.choose)).required(),
        Field::select("ethnicity_code", t.ethnicity, &f.ethnicity_code, ethnicities, None).required(),
    ]);
    v.extend(profile_fields(lang, &f.profile));
    v.extend([
        Field::select("theory_level", t.theory_level, &f.theory_level, levels, None),
        Field::date("admission_date", t.admission_date, &f.admission_date).required(),
        Field::date("official_date", t.official_date, &f.official_date),
        Field::select("status", t.status, &f.status, statuses, Some(t.choose)).required(),
        Field::checkbox("age_exception_approved", t.age_exception_approved, f.age_exception_approved.is_set()),
    ]);
    v
}

fn new_form(ctx: &Ctx, org: Option<&Org>, f: &MemberFields, errors: &Validation) -> FormPage {
    let t = ctx.t;
    let mut fields = member_fields(t, ctx.lang, f, false);
    let general = place_errors(&mut fields, errors, ctx.lang);
    FormPage {
        c: ctx.chrome(t.new_member),
        t,
        heading: t.new_member.to_string(),
        intro: org.map_or_else(String::new, |o| format!("{}: {}", t.cell, o.input.name)),
        action: "/members".into(),
        fields,
        general,
        submit: t.save,
        cancel: org.map_or_else(|| "/".into(), |o| format!("/orgs/{}", o.id)),
    }
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    org: Option<String>,
}

pub async fn new_member(S(state): S<State>, ctx: Ctx, Query(q): Query<NewQuery>) -> Result<FormPage, UiError> {
    let id = parse_id(&ctx, q.org.as_deref().unwrap_or(""))?;
    let ov = state.app.org(&ctx.viewer, id, false).await.map_err(|p| ctx.fail(p))?;
    if !ov.can_write {
        return Err(ctx.fail(Problem::Forbidden));
    }
    if !ov.org.kind().is_cell() || ov.org.is_dissolved() {
        return Err(ctx.fail(Problem::Forbidden).with_message(ctx.t.members_in_cells));
    }
    let f = MemberFields {
        org_id: Some(id.to_string()),
        ethnicity_code: Some("1".into()),
        theory_level: Some(TheoryLevel::None.code().into()),
        ..MemberFields::default()
    };
    Ok(new_form(&ctx, Some(&ov.org), &f, &Validation::default()))
}

pub async fn create_member(S(state): S<State>, ctx: Ctx, form: Posted) -> Result<Response, UiError> {
    ctx.check_csrf(&form)?;
    let f: MemberFields = form.to();
    let outcome = match f.parse(DateStyle::Vietnamese, ctx.today()) {
        Ok(input) => state.app.create_member(&ctx.viewer, input).await,
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(mv) => Ok(Redirect::to(&format!("/members/{}", mv.member.id)).into_response()),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            let org = match f.org_id.as_deref().map(|s| uuid::Uuid::parse_str(s.trim())) {
                Some(Ok(id)) => state.app.org(&ctx.viewer, id, false).await.ok(),
                _ => None,
            };
            let page = new_form(&ctx, org.as_ref().map(|o| &o.org), &f, &errors);
            Ok((status, page).into_response())
        }
    }
}

fn edit_form(ctx: &Ctx, mv: &MemberView, f: &MemberFields, errors: &Validation) -> FormPage {
    let t = ctx.t;
    let mut fields = member_fields(t, ctx.lang, f, true);
    let general = place_errors(&mut fields, errors, ctx.lang);
    FormPage {
        c: ctx.chrome(t.edit_member),
        t,
        heading: format!("{}: {}", t.edit_member, mv.member.full_name),
        intro: format!("{}: {}", t.cell, mv.org.input.name),
        action: format!("/members/{}", mv.member.id),
        fields,
        general,
        submit: t.save,
        cancel: format!("/members/{}", mv.member.id),
    }
}

pub(super) async fn load(state: &State, ctx: &Ctx, raw: &str) -> Result<MemberView, UiError> {
    let id = parse_id(ctx, raw)?;
    state.app.member(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))
}

pub async fn edit_member(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<FormPage, UiError> {
    let mv = load(&state, &ctx, &id).await?;
    if !mv.can_write {
        return Err(ctx.fail(Problem::Forbidden));
    }
    Ok(edit_form(&ctx, &mv, &fields_of(&mv.member), &Validation::default()))
}

pub async fn update_member(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: Posted,
) -> Result<Response, UiError> {
    let mv = load(&state, &ctx, &id).await?;
    ctx.check_csrf(&form)?;
    let f: MemberFields = form.to();
    let outcome = match (f.parse(DateStyle::Vietnamese, ctx.today()), f.version()) {
        (Ok(input), Ok(version)) => state.app.update_member(&ctx.viewer, mv.member.id, input, version).await,
        (Err(mut a), Err(b)) => {
            a.errors.extend(b.errors);
            Err(Problem::Invalid(a))
        }
        (Err(v), _) | (_, Err(v)) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/members/{}?saved=1", mv.member.id)).into_response()),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            Ok((status, edit_form(&ctx, &mv, &f, &errors)).into_response())
        }
    }
}

/// A group of details on the member page.
pub struct Section {
    pub title: &'static str,
    pub items: Vec<Item>,
}

/// The member's own correction form.
pub struct OwnForm {
    pub fields: Vec<Field>,
    pub general: Vec<String>,
}

/// A possible duplicate: the other record, and the flag to close after review.
pub struct DuplicateFlag {
    link: Link,
    flag_id: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "member.html")]
pub struct MemberPage {
    c: Chrome,
    t: &'static Texts,
    id: String,
    name: String,
    org: Link,
    sections: Vec<Section>,
    /// Other records that may be the same person.
    duplicates: Vec<DuplicateFlag>,
    can_write: bool,
    own: Option<OwnForm>,
    saved: bool,
    life: LifeView,
    /// No longer on the rolls (transferred away, left, died…): said above everything, with the
    /// last organisation, so the page does not read as if nothing happened.
    gone: Option<String>,
}

fn sections(t: &'static Texts, lang: Lang, m: &Member) -> Vec<Section> {
    let i = &m.input;
    let ethnicity =
        ethnicity::by_code(i.ethnicity_code).map_or_else(|| i.ethnicity_code.to_string(), |e| e.name.clone());
    let profile = |group: FieldGroup| {
        i.profile
            .entries()
            .filter(move |(f, _)| f.group == group)
            .map(move |(f, v)| item(f.label(lang), v.unwrap_or("")))
    };
    let identity = [
        item(t.full_name, m.full_name.clone()),
        item(t.birth_date, format_vn(i.birth_date)),
        item(t.gender, i.gender.label(lang)),
        item(t.ethnicity, ethnicity),
    ];
    let party = [
        item(t.status, i.status.label(lang)),
        item(t.admission_date, format_vn(i.admission_date)),
        item(t.official_date, view::date(i.official_date)),
        item(t.age_exception_approved, if i.age_exception_approved { t.yes } else { t.no }),
    ];
    vec![
        Section {
            title: t.section_identity,
            items: identity.into_iter().chain(profile(FieldGroup::Identity)).collect(),
        },
        Section { title: t.section_party, items: party.into_iter().chain(profile(FieldGroup::Party)).collect() },
        Section {
            title: t.section_education,
            items: profile(FieldGroup::Education).chain([item(t.theory_level, i.theory_level.label(lang))]).collect(),
        },
    ]
}

fn own_form(ctx: &Ctx, m: &Member, fix: Option<&Posted>, errors: &Validation) -> OwnForm {
    let value = |name: &str, current: &Option<String>| match fix {
        Some(p) => Some(p.text(name)),
        None => current.clone(),
    };
    let i = &m.input;
    let mut fields = vec![Field::hidden("version", &m.version.to_string())];
    fields.extend(
        i.profile
            .entries()
            .filter(|(f, _)| OwnCorrection::FIELDS.contains(&f.name()))
            .map(|(f, v)| profile_field(ctx.lang, f, &value(f.name(), &v.map(str::to_string)))),
    );
    let general = place_errors(&mut fields, errors, ctx.lang);
    OwnForm { fields, general }
}

pub(super) fn member_page(ctx: &Ctx, mv: &MemberView, own: Option<OwnForm>, saved: bool, life: LifeView) -> MemberPage {
    let t = ctx.t;
    let m = &mv.member;
    let own = own.or_else(|| (mv.can_correct && !mv.can_write).then(|| own_form(ctx, m, None, &Validation::default())));
    MemberPage {
        c: ctx.chrome(m.full_name.clone()),
        t,
        id: m.id.to_string(),
        name: m.full_name.clone(),
        org: Link { href: format!("/orgs/{}", mv.org.id), text: mv.org.input.name.clone() },
        sections: sections(t, ctx.lang, m),
        duplicates: mv
            .flags
            .iter()
            .map(|f| {
                let other = if f.member_id == m.id { f.other_member_id } else { f.member_id };
                DuplicateFlag {
                    link: Link { href: format!("/members/{other}"), text: t.possible_duplicate.to_string() },
                    flag_id: f.id.to_string(),
                }
            })
            .collect(),
        can_write: mv.can_write,
        own,
        saved,
        life,
        gone: (!m.input.status.is_active())
            .then(|| format!("{}. {}: {}", m.input.status.label(ctx.lang), t.last_org, mv.org.input.name)),
    }
}

/// The timeline part of the member page, without a posted event.
async fn life(state: &State, ctx: &Ctx, mv: &MemberView) -> Result<LifeView, UiError> {
    let tl = state.app.timeline(&ctx.viewer, mv.member.id).await.map_err(|p| ctx.fail(p))?;
    Ok(life_view(ctx, &tl, None, &Validation::default()))
}

pub async fn member(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<MemberPage, UiError> {
    let mv = load(&state, &ctx, &id).await?;
    let life = life(&state, &ctx, &mv).await?;
    Ok(member_page(&ctx, &mv, None, q.saved.is_some(), life))
}

pub async fn correct_own(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: Posted,
) -> Result<Response, UiError> {
    let mv = load(&state, &ctx, &id).await?;
    ctx.check_csrf(&form)?;
    let text = |name: &str| Some(form.text(name)).filter(|s| !s.trim().is_empty());
    let fix = OwnCorrection {
        phone: text("phone"),
        email: text("email"),
        permanent_residence: text("permanent_residence"),
        current_residence: text("current_residence"),
    };
    let outcome = match form.text("version").trim().parse::<i64>() {
        Ok(version) => state.app.correct_own(&ctx.viewer, mv.member.id, &fix, version).await,
        Err(_) => Err(Problem::field(
            "version",
            "required",
            "Phiên bản hồ sơ: thiếu; hãy tải lại trang.",
            "Record version: missing; reload the page.",
        )),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/members/{}?saved=1", mv.member.id)).into_response()),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            let own = own_form(&ctx, &mv.member, Some(&form), &errors);
            let life = life(&state, &ctx, &mv).await?;
            Ok((status, member_page(&ctx, &mv, Some(own), false, life)).into_response())
        }
    }
}

/// Close a possible-duplicate flag after review, then back to the record.
pub async fn resolve_flag(
    S(state): S<State>,
    ctx: Ctx,
    Path((id, flag)): Path<(String, String)>,
    form: Posted,
) -> Result<Response, UiError> {
    let mv = load(&state, &ctx, &id).await?;
    ctx.check_csrf(&form)?;
    let flag = parse_id(&ctx, &flag)?;
    state.app.resolve_flag(&ctx.viewer, flag).await.map_err(|p| ctx.fail(p))?;
    Ok(Redirect::to(&format!("/members/{}?saved=1", mv.member.id)).into_response())
}

/// Record an event from the member page.
pub async fn record_event(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: Posted,
) -> Result<Response, UiError> {
    let mv = load(&state, &ctx, &id).await?;
    ctx.check_csrf(&form)?;
    let mut f: EventFields = form.to();
    if crate::input::blank(&f.org_id).is_none() {
        f.org_id = find_cell(&state, &ctx, form.get("org_q").unwrap_or("")).await;
    }
    let outcome = match f.parse(DateStyle::Vietnamese) {
        Ok(input) => state.app.record_event(&ctx.viewer, mv.member.id, input).await.map(|_| ()),
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/members/{}?saved=1#timeline", mv.member.id)).into_response()),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            let tl = state.app.timeline(&ctx.viewer, mv.member.id).await.map_err(|p| ctx.fail(p))?;
            let life = life_view(&ctx, &tl, Some(&f), &errors);
            Ok((status, member_page(&ctx, &mv, None, false, life)).into_response())
        }
    }
}

/// The profile's fields in the table's order.
fn profile_fields(lang: Lang, p: &MemberProfile) -> Vec<Field> {
    MemberProfile::FIELDS.iter().zip(p.values()).map(|(f, value)| profile_field(lang, f, value)).collect()
}

/// A field of the profile, asked for as its kind is.
fn profile_field(lang: Lang, f: &ProfileField, value: &Option<String>) -> Field {
    let kind = match f.kind {
        FieldKind::CitizenId => Kind::Number,
        FieldKind::Phone => Kind::Tel,
        FieldKind::Email => Kind::Email,
        FieldKind::Text | FieldKind::Code => Kind::Text,
    };
    Field::text(f.name(), f.label(lang), value).kind(kind).hint(f.example(lang))
}
