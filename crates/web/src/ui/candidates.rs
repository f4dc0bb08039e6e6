//! Candidates for admission (*quần chúng ưu tú*): the list of a subtree by state, a candidate's
//! page, the dossier form (the person, the dated steps, introducers from the cell's members, the
//! cell's vote), the admission form and closing a case.

use super::form::SavedQuery;
use super::form::{Field, FormPage, Kind, place_errors};
use super::page::{Chrome, Ctx, Posted, UiError, form_errors, parse_id};
use super::text::Texts;
use super::view::{self, Item, Link, item};
use crate::State;
use crate::admission_input::{AdmissionFields, CandidateFields, IntroducerFields};
use crate::input::{DateStyle, Flag};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State as S};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_access::domain::date::format_vn;
use chibo_access::domain::ethnicity;
use chibo_access::domain::life::CandidateState;
use chibo_access::domain::member::{Gender, MemberStatus};
use chibo_access::{CandidateView, Lang, OrgView, PageRequest, Problem, Validation};
use serde::Deserialize;
use uuid::Uuid;

const STATES: [CandidateState; 3] = [CandidateState::Open, CandidateState::Admitted, CandidateState::Withdrawn];
/// Names of the introducer rows of the form (the API takes any number).
const INTRODUCERS: [&str; 4] = ["introducer_1", "introducer_2", "introducer_3", "introducer_4"];
const KNOWN_SINCE: [&str; 4] = ["known_since_1", "known_since_2", "known_since_3", "known_since_4"];
/// Most members offered as introducers.
const INTRODUCER_CHOICES: i64 = 200;

fn state_label(t: &Texts, s: CandidateState) -> &'static str {
    match s {
        CandidateState::Open => t.state_open,
        CandidateState::Admitted => t.state_admitted,
        CandidateState::Withdrawn => t.state_withdrawn,
    }
}

/// A state tab of the list.
pub struct Tab {
    pub href: String,
    pub label: &'static str,
    pub current: bool,
}

/// One line of the list.
pub struct CandidateRow {
    pub id: String,
    pub name: String,
    pub birth_date: String,
    pub application_on: String,
    pub cell_resolution_on: String,
    pub deadline: String,
    pub overdue: bool,
}

impl CandidateRow {
    fn of(c: &CandidateView) -> CandidateRow {
        let i = &c.candidate.input;
        CandidateRow {
            id: c.candidate.id.to_string(),
            name: c.candidate.full_name.clone(),
            birth_date: format_vn(i.birth_date),
            application_on: format_vn(i.application_on),
            cell_resolution_on: view::date(i.cell_resolution_on),
            deadline: view::date(c.decision_deadline),
            overdue: c.overdue,
        }
    }

    /// The deadline as the page shows it: "Quá hạn: …" when it has passed.
    pub fn deadline_text(&self, t: &Texts) -> String {
        if self.overdue && !self.deadline.is_empty() {
            format!("{}: {}", t.overdue, self.deadline)
        } else {
            self.deadline.clone()
        }
    }

    /// The cells of the spreadsheet, in the order of [`candidate_headers`].
    fn cells(&self, t: &Texts) -> Vec<String> {
        let i = [&self.name, &self.birth_date, &self.application_on, &self.cell_resolution_on];
        i.into_iter().cloned().chain([self.deadline_text(t)]).collect()
    }
}

/// The columns of the candidate list, on the page, in print and in the spreadsheet.
fn candidate_headers(t: &Texts) -> [&'static str; 5] {
    [t.full_name, t.birth_date, t.application_on, t.cell_resolution_on, t.decision_deadline]
}

#[derive(Template, WebTemplate)]
#[template(path = "candidates.html")]
pub struct CandidatesPage {
    c: Chrome,
    t: &'static Texts,
    org: Link,
    org_id: String,
    tabs: Vec<Tab>,
    state: &'static str,
    state_code: &'static str,
    headers: [&'static str; 5],
    rows: Vec<CandidateRow>,
    can_add: bool,
}

#[derive(Deserialize, Default)]
pub struct StateQuery {
    state: Option<String>,
}

fn org_link(ov: &OrgView) -> Link {
    Link { href: format!("/orgs/{}", ov.org.id), text: ov.org.input.name.clone() }
}

/// The organisation of a work list page; a bad id is not found.
pub(super) async fn org_of(state: &State, ctx: &Ctx, raw: &str) -> Result<OrgView, UiError> {
    let id = parse_id(ctx, raw)?;
    state.app.org(&ctx.viewer, id, false).await.map_err(|p| ctx.fail(p))
}

pub async fn list(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<StateQuery>,
) -> Result<CandidatesPage, UiError> {
    let ov = org_of(&state, &ctx, &id).await?;
    let current = q.state.as_deref().and_then(CandidateState::parse).unwrap_or(CandidateState::Open);
    let list = state.app.candidates(&ctx.viewer, ov.org.id, current).await.map_err(|p| ctx.fail(p))?;
    let t = ctx.t;
    Ok(CandidatesPage {
        c: ctx.chrome(t.candidates_link),
        t,
        org: org_link(&ov),
        org_id: ov.org.id.to_string(),
        tabs: STATES
            .iter()
            .map(|s| Tab {
                href: format!("/orgs/{}/candidates?state={}", ov.org.id, s.code()),
                label: state_label(t, *s),
                current: *s == current,
            })
            .collect(),
        state: state_label(t, current),
        state_code: current.code(),
        headers: candidate_headers(t),
        rows: list.iter().map(CandidateRow::of).collect(),
        can_add: ov.can_write && ov.org.kind().is_cell() && !ov.org.is_dissolved(),
    })
}

/// A group of details on the candidate's page.
pub struct Section {
    pub title: &'static str,
    pub items: Vec<Item>,
}

#[derive(Template, WebTemplate)]
#[template(path = "candidate.html")]
pub struct CandidatePage {
    c: Chrome,
    t: &'static Texts,
    id: String,
    name: String,
    org: Link,
    state: &'static str,
    open: bool,
    overdue: bool,
    deadline: String,
    version: i64,
    member: Option<String>,
    sections: Vec<Section>,
    can_write: bool,
    saved: bool,
}

/// The introducer's name when the viewer may read the record, else its id.
async fn member_name(state: &State, ctx: &Ctx, id: Uuid) -> String {
    state.app.member(&ctx.viewer, id).await.map_or_else(|_| id.to_string(), |m| m.member.full_name)
}

async fn sections(state: &State, ctx: &Ctx, c: &CandidateView) -> Vec<Section> {
    let (t, lang, i) = (ctx.t, ctx.lang, &c.candidate.input);
    let ethnicity =
        ethnicity::by_code(i.ethnicity_code).map_or_else(|| i.ethnicity_code.to_string(), |e| e.name.clone());
    let mut introducers = Vec::new();
    for (n, p) in i.introducers.iter().enumerate() {
        let label = [t.introducer_1, t.introducer_2].get(n).copied().unwrap_or(t.introducer_more);
        let since = p.known_since.map(|d| format!(" · {}: {}", t.known_since, format_vn(d))).unwrap_or_default();
        introducers.push(item(label, format!("{}{since}", member_name(state, ctx, p.member_id).await)));
    }
    let votes = match (i.cell_votes_for, i.cell_vote_base) {
        (Some(a), Some(b)) => format!("{a}/{b}"),
        (Some(a), None) => a.to_string(),
        _ => String::new(),
    };
    vec![
        Section {
            title: t.section_person,
            items: vec![
                item(t.full_name, c.candidate.full_name.clone()),
                item(t.birth_date, format_vn(i.birth_date)),
                item(t.gender, i.gender.label(lang)),
                item(t.ethnicity, ethnicity),
                item(t.citizen_id, i.citizen_id.clone().unwrap_or_default()),
            ],
        },
        Section {
            title: t.section_steps,
            items: vec![
                item(t.course_certificate_on, view::date(i.course_certificate_on)),
                item(t.application_on, format_vn(i.application_on)),
                item(t.youth_union_resolution_on, view::date(i.youth_union_resolution_on)),
            ],
        },
        Section { title: t.section_introducers, items: introducers },
        Section {
            title: t.section_cell_vote,
            items: vec![
                item(t.cell_resolution_on, view::date(i.cell_resolution_on)),
                item(t.cell_votes_for, votes),
                item(t.base_resolution_on, view::date(i.base_resolution_on)),
                item(t.decision_deadline, view::date(c.decision_deadline)),
                item(t.decision_on, view::date(i.decision_on)),
                item(t.age_exception_approved, if i.age_exception_approved { t.yes } else { t.no }),
            ],
        },
    ]
}

async fn load(state: &State, ctx: &Ctx, raw: &str) -> Result<(CandidateView, OrgView), UiError> {
    let id = parse_id(ctx, raw)?;
    let c = state.app.candidate(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    let ov = state.app.org(&ctx.viewer, c.candidate.input.org_id, true).await.map_err(|p| ctx.fail(p))?;
    Ok((c, ov))
}

pub async fn show(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<CandidatePage, UiError> {
    let (c, ov) = load(&state, &ctx, &id).await?;
    let k = &c.candidate;
    Ok(CandidatePage {
        c: ctx.chrome(k.full_name.clone()),
        t: ctx.t,
        id: k.id.to_string(),
        name: k.full_name.clone(),
        org: org_link(&ov),
        state: state_label(ctx.t, k.state),
        open: k.state == CandidateState::Open,
        overdue: c.overdue,
        deadline: view::date(c.decision_deadline),
        version: k.version,
        member: k.member_id.map(|m| m.to_string()),
        sections: sections(&state, &ctx, &c).await,
        can_write: ov.can_write,
        saved: q.saved.is_some(),
    })
}

/// The form's text for a stored dossier.
fn fields_of(c: &CandidateView) -> CandidateFields {
    let (i, day) = (&c.candidate.input, |d: Option<time::Date>| d.map(format_vn));
    let count = |n: Option<u32>| n.map(|n| n.to_string());
    CandidateFields {
        org_id: Some(i.org_id.to_string()),
        family_name: Some(i.family_name.clone()),
        middle_name: Some(i.middle_name.clone()),
        given_name: Some(i.given_name.clone()),
        birth_date: Some(format_vn(i.birth_date)),
        gender: Some(i.gender.code().to_string()),
        ethnicity_code: Some(i.ethnicity_code.to_string()),
        citizen_id: i.citizen_id.clone(),
        course_certificate_on: day(i.course_certificate_on),
        application_on: Some(format_vn(i.application_on)),
        introducers: i
            .introducers
            .iter()
            .map(|p| IntroducerFields { member_id: Some(p.member_id.to_string()), known_since: day(p.known_since) })
            .collect(),
        youth_union_resolution_on: day(i.youth_union_resolution_on),
        cell_resolution_on: day(i.cell_resolution_on),
        cell_votes_for: count(i.cell_votes_for),
        cell_vote_base: count(i.cell_vote_base),
        base_resolution_on: day(i.base_resolution_on),
        decision_on: day(i.decision_on),
        age_exception_approved: Flag::Bool(i.age_exception_approved),
        version: Some(c.candidate.version.to_string()),
    }
}

/// The form as posted: the text fields, and the introducer rows.
fn posted(form: &Posted) -> CandidateFields {
    let mut f: CandidateFields = form.to();
    let text = |name: &str| form.get(name).map(str::to_string);
    f.introducers = INTRODUCERS
        .iter()
        .zip(KNOWN_SINCE)
        .map(|(id, since)| IntroducerFields { member_id: text(id), known_since: text(since) })
        .collect();
    f
}

/// A titled group of fields of the dossier form.
pub struct Group {
    pub title: &'static str,
    pub hint: &'static str,
    pub fields: Vec<Field>,
}

#[derive(Template, WebTemplate)]
#[template(path = "candidate_form.html")]
pub struct CandidateForm {
    c: Chrome,
    t: &'static Texts,
    heading: String,
    intro: String,
    action: String,
    hidden: Vec<Field>,
    groups: Vec<Group>,
    general: Vec<String>,
    cancel: String,
}

/// The official members of the cell, in Vietnamese order, offered as introducers; a chosen one
/// not among them stays offered.
async fn introducer_choices(state: &State, ctx: &Ctx, cell: Uuid, f: &CandidateFields) -> Vec<(String, String)> {
    let req = PageRequest { status: Some(MemberStatus::Official), limit: INTRODUCER_CHOICES, ..PageRequest::default() };
    let mut out: Vec<(String, String)> = match state.app.members_page(&ctx.viewer, cell, &req).await {
        Ok(page) => page
            .items
            .iter()
            .map(|m| (m.id.to_string(), format!("{} ({})", m.full_name, format_vn(m.birth_date))))
            .collect(),
        Err(_) => Vec::new(),
    };
    for p in &f.introducers {
        let Some(id) = p.member_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) else { continue };
        if !out.iter().any(|(v, _)| v == id) {
            let name = match Uuid::parse_str(id) {
                Ok(uid) => member_name(state, ctx, uid).await,
                Err(_) => id.to_string(),
            };
            out.push((id.to_string(), name));
        }
    }
    out
}

fn groups(t: &'static Texts, lang: Lang, f: &CandidateFields, choices: &[(String, String)]) -> Vec<Group> {
    let genders = [Gender::Male, Gender::Female].into_iter().map(|g| (g.code().to_string(), g.label(lang).to_string()));
    let ethnicities = ethnicity::all().iter().map(|e| (e.code.to_string(), e.name.clone()));
    let rows = f.introducers.iter().filter(|p| p.member_id.as_deref().is_some_and(|s| !s.trim().is_empty())).count();
    let mut introducers = Vec::new();
    for n in 0..rows.clamp(2, INTRODUCERS.len()) {
        let p = f.introducers.get(n).cloned().unwrap_or_default();
        let label = [t.introducer_1, t.introducer_2].get(n).copied().unwrap_or(t.introducer_more);
        introducers.push(Field::select(INTRODUCERS[n], label, &p.member_id, choices.to_vec(), Some(t.choose)));
        introducers.push(Field::date(KNOWN_SINCE[n], t.known_since, &p.known_since));
    }
    vec![
        Group {
            title: t.section_person,
            hint: "",
            fields: vec![
                Field::text("family_name", t.family_name, &f.family_name).required(),
                Field::text("middle_name", t.middle_name, &f.middle_name),
                Field::text("given_name", t.given_name, &f.given_name).required(),
                Field::date("birth_date", t.birth_date, &f.birth_date).required(),
                Field::select("gender", t.gender, &f.gender, genders, Some(t.choose)).required(),
                Field::select("ethnicity_code", t.ethnicity, &f.ethnicity_code, ethnicities, None).required(),
                Field::text("citizen_id", t.citizen_id, &f.citizen_id).kind(Kind::Number).hint(t.citizen_id_hint),
            ],
        },
        Group {
            title: t.section_steps,
            hint: "",
            fields: vec![
                Field::date("course_certificate_on", t.course_certificate_on, &f.course_certificate_on),
                Field::date("application_on", t.application_on, &f.application_on).required(),
                Field::date("youth_union_resolution_on", t.youth_union_resolution_on, &f.youth_union_resolution_on),
            ],
        },
        Group { title: t.section_introducers, hint: t.introducers_hint, fields: introducers },
        Group {
            title: t.section_cell_vote,
            hint: t.deadline_note,
            fields: vec![
                Field::date("cell_resolution_on", t.cell_resolution_on, &f.cell_resolution_on),
                Field::text("cell_votes_for", t.cell_votes_for, &f.cell_votes_for).kind(Kind::Number),
                Field::text("cell_vote_base", t.cell_vote_base, &f.cell_vote_base).kind(Kind::Number),
                Field::date("base_resolution_on", t.base_resolution_on, &f.base_resolution_on),
                Field::date("decision_on", t.decision_on, &f.decision_on),
                Field::checkbox("age_exception_approved", t.age_exception_approved, f.age_exception_approved.is_set()),
            ],
        },
    ]
}

/// The dossier form with the errors of a refusal beside their fields. The access layer names
/// every introducer error `introducers`: they are shown at the first introducer.
async fn dossier_form(
    state: &State,
    ctx: &Ctx,
    ov: &OrgView,
    editing: Option<&CandidateView>,
    f: &CandidateFields,
    errors: &Validation,
) -> CandidateForm {
    let t = ctx.t;
    let choices = introducer_choices(state, ctx, ov.org.id, f).await;
    let mut groups = groups(t, ctx.lang, f, &choices);
    let mut errors = errors.clone();
    for e in errors.errors.iter_mut().filter(|e| e.field == "introducers") {
        e.field = INTRODUCERS[0].to_string();
    }
    let sizes: Vec<usize> = groups.iter().map(|g| g.fields.len()).collect();
    let mut flat: Vec<Field> = groups.iter_mut().flat_map(|g| std::mem::take(&mut g.fields)).collect();
    let general = place_errors(&mut flat, &errors, ctx.lang);
    let mut rest = flat.into_iter();
    for (g, n) in groups.iter_mut().zip(sizes) {
        g.fields = rest.by_ref().take(n).collect();
    }
    let mut hidden = vec![Field::hidden("org_id", f.org_id.as_deref().unwrap_or(""))];
    let (heading, action, cancel) = match editing {
        Some(c) => {
            hidden.push(Field::hidden("version", f.version.as_deref().unwrap_or("")));
            let id = c.candidate.id;
            (
                format!("{}: {}", t.edit_candidate, c.candidate.full_name),
                format!("/candidates/{id}"),
                format!("/candidates/{id}"),
            )
        }
        None => (t.add_candidate.to_string(), "/candidates".to_string(), format!("/orgs/{}/candidates", ov.org.id)),
    };
    CandidateForm {
        c: ctx.chrome(heading.clone()),
        t,
        heading,
        intro: format!("{}: {}", t.cell, ov.org.input.name),
        action,
        hidden,
        groups,
        general,
        cancel,
    }
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    org: Option<String>,
}

/// The cell a new case is opened in: a cell the viewer may write, still active.
async fn writable_cell(state: &State, ctx: &Ctx, raw: &str) -> Result<OrgView, UiError> {
    let ov = org_of(state, ctx, raw).await?;
    if !ov.can_write {
        return Err(ctx.fail(Problem::Forbidden));
    }
    if !ov.org.kind().is_cell() || ov.org.is_dissolved() {
        return Err(ctx.fail(Problem::Forbidden).with_message(ctx.t.candidates_in_cells));
    }
    Ok(ov)
}

pub async fn new_form(S(state): S<State>, ctx: Ctx, Query(q): Query<NewQuery>) -> Result<CandidateForm, UiError> {
    let ov = writable_cell(&state, &ctx, q.org.as_deref().unwrap_or("")).await?;
    let f = CandidateFields {
        org_id: Some(ov.org.id.to_string()),
        ethnicity_code: Some("1".into()),
        ..CandidateFields::default()
    };
    Ok(dossier_form(&state, &ctx, &ov, None, &f, &Validation::default()).await)
}

pub async fn create(S(state): S<State>, ctx: Ctx, form: Posted) -> Result<Response, UiError> {
    ctx.check_csrf(&form)?;
    let f = posted(&form);
    let ov = writable_cell(&state, &ctx, f.org_id.as_deref().unwrap_or("")).await?;
    let outcome = match f.parse(DateStyle::Vietnamese) {
        Ok(input) => state.app.create_candidate(&ctx.viewer, input).await,
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(c) => Ok(Redirect::to(&format!("/candidates/{}?saved=1", c.candidate.id)).into_response()),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            Ok((status, dossier_form(&state, &ctx, &ov, None, &f, &errors).await).into_response())
        }
    }
}

/// An open case the viewer may change.
async fn open_case(state: &State, ctx: &Ctx, raw: &str) -> Result<(CandidateView, OrgView), UiError> {
    let (c, ov) = load(state, ctx, raw).await?;
    if !ov.can_write {
        return Err(ctx.fail(Problem::Forbidden));
    }
    if c.candidate.state != CandidateState::Open {
        return Err(ctx.fail(Problem::Forbidden).with_message(ctx.t.withdraw_note));
    }
    Ok((c, ov))
}

pub async fn edit_form(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<CandidateForm, UiError> {
    let (c, ov) = open_case(&state, &ctx, &id).await?;
    Ok(dossier_form(&state, &ctx, &ov, Some(&c), &fields_of(&c), &Validation::default()).await)
}

pub async fn update(S(state): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    let (c, ov) = open_case(&state, &ctx, &id).await?;
    ctx.check_csrf(&form)?;
    let f = posted(&form);
    let outcome = match f.parse_edit(DateStyle::Vietnamese) {
        Ok((input, version)) => state.app.update_candidate(&ctx.viewer, c.candidate.id, input, version).await,
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/candidates/{}?saved=1", c.candidate.id)).into_response()),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            Ok((status, dossier_form(&state, &ctx, &ov, Some(&c), &f, &errors).await).into_response())
        }
    }
}

pub async fn withdraw(S(state): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    let (c, _) = open_case(&state, &ctx, &id).await?;
    ctx.check_csrf(&form)?;
    let version = form.text("version").trim().parse::<i64>().unwrap_or(-1);
    state.app.withdraw_candidate(&ctx.viewer, c.candidate.id, version).await.map_err(|p| ctx.fail(p))?;
    Ok(Redirect::to(&format!("/candidates/{}?saved=1", c.candidate.id)).into_response())
}

fn admission_form(ctx: &Ctx, c: &CandidateView, ov: &OrgView, f: &AdmissionFields, errors: &Validation) -> FormPage {
    let t = ctx.t;
    let mut fields = vec![
        Field::hidden("version", f.version.as_deref().unwrap_or("")),
        Field::text("decision_number", t.decision_number, &f.decision_number).hint("125-QĐ/ĐU"),
        Field::text("decision_body", t.decision_body, &f.decision_body),
        Field::date("decision_signed_on", t.decision_signed_on, &f.decision_signed_on).required(),
        Field::date("ceremony_on", t.ceremony_on, &f.ceremony_on).required(),
    ];
    let general = place_errors(&mut fields, errors, ctx.lang);
    FormPage {
        c: ctx.chrome(t.admit_heading),
        t,
        heading: format!("{}: {}", t.admit_heading, c.candidate.full_name),
        intro: format!("{}: {}. {}", t.cell, ov.org.input.name, t.admit_intro),
        action: format!("/candidates/{}/admit", c.candidate.id),
        fields,
        general,
        submit: t.admit,
        cancel: format!("/candidates/{}", c.candidate.id),
    }
}

pub async fn admit_form(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<FormPage, UiError> {
    let (c, ov) = open_case(&state, &ctx, &id).await?;
    let f = AdmissionFields {
        version: Some(c.candidate.version.to_string()),
        decision_signed_on: c.candidate.input.decision_on.map(format_vn),
        ..AdmissionFields::default()
    };
    Ok(admission_form(&ctx, &c, &ov, &f, &Validation::default()))
}

pub async fn admit(S(state): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    let (c, ov) = open_case(&state, &ctx, &id).await?;
    ctx.check_csrf(&form)?;
    let f: AdmissionFields = form.to();
    let outcome = match f.parse(DateStyle::Vietnamese) {
        Ok(a) => state.app.admit_candidate(&ctx.viewer, c.candidate.id, &a).await,
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(done) => {
            let to = done.candidate.member_id.map_or_else(
                || format!("/candidates/{}?saved=1", done.candidate.id),
                |m| format!("/members/{m}?saved=1"),
            );
            Ok(Redirect::to(&to).into_response())
        }
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            Ok((status, admission_form(&ctx, &c, &ov, &f, &errors)).into_response())
        }
    }
}

/// `GET /orgs/{id}/candidates.xlsx?state=`: the list of the tab as a spreadsheet, the page's
/// columns.
pub async fn list_xlsx(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<StateQuery>,
) -> Result<axum::response::Response, UiError> {
    let id = super::page::parse_id(&ctx, &id)?;
    let current = q.state.as_deref().and_then(CandidateState::parse).unwrap_or(CandidateState::Open);
    let list = state.app.candidates(&ctx.viewer, id, current).await.map_err(|p| ctx.fail(p))?;
    let t = ctx.t;
    let sheet = chibo_access::ListSheet {
        what: "candidates.export",
        title: ("DANH SÁCH QUẦN CHÚNG ĐỀ NGHỊ KẾT NẠP", "ADMISSION CANDIDATES"),
        detail: state_label(t, current).to_string(),
        headers: candidate_headers(t).map(str::to_string).to_vec(),
        rows: list.iter().map(|c| CandidateRow::of(c).cells(t)).collect(),
        note: String::new(),
    };
    let bytes = state.app.list_xlsx(&ctx.viewer, id, sheet).await.map_err(|p| ctx.fail(p))?;
    Ok(crate::attachment::attachment("Danh sách đề nghị kết nạp.xlsx", crate::attachment::XLSX, bytes))
}
