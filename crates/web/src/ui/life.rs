//! A member's life on the member page: the timeline (*quá trình sinh hoạt Đảng*), party age,
//! the form to record an event, and voiding a wrong event after a confirmation page.

use super::form::{Field, FormPage, Kind, Opt, Reload, place_errors};
use super::page::{Ctx, Posted, UiError, form_errors, parse_id};
use super::text::Texts;
use super::view;
use crate::State;
use crate::api::life::corrected_by;
use crate::input::DateStyle;
use crate::life_input::{DatedFields, EventFields};
use axum::extract::{Path, State as S};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_access::domain::date::format_vn;
use chibo_access::domain::life::{
    Decision, Detail, DisciplineForm, Effect, EventKind, StrikeOffGround, party_age, rejection,
};
use chibo_access::{Lang, Problem, Timeline, TimelineEntry, Validation};

/// One line of the timeline.
pub struct EventRow {
    pub id: String,
    pub date: String,
    pub label: &'static str,
    pub org: String,
    pub decision: String,
    pub details: Vec<String>,
    pub recorded: String,
    /// Voided or annulled: drawn struck through.
    pub struck: bool,
    /// What corrected it, what it corrects, or why it has no effect.
    pub note: String,
    pub can_void: bool,
}

/// The form to record an event.
pub struct EventForm {
    pub fields: Vec<Field>,
    pub general: Vec<String>,
}

/// The member's life as shown on the member page.
pub struct LifeView {
    pub party_age: String,
    pub events: Vec<EventRow>,
    pub form: Option<EventForm>,
}

pub fn decision_text(t: &Texts, d: &Decision) -> String {
    let mut parts: Vec<String> = [&d.number, &d.body].into_iter().flatten().cloned().collect();
    if let Some(on) = d.signed_on {
        parts.push(format!("{} {}", t.signed_on, format_vn(on)));
    }
    parts.join(", ")
}

fn detail_lines(t: &Texts, lang: Lang, d: &Detail) -> Vec<String> {
    let mut out = Vec::new();
    let mut add = |label: &str, v: Option<String>| {
        if let Some(v) = v {
            out.push(format!("{label}: {v}"));
        }
    };
    add(t.discipline_form, d.form.map(|f| f.label(lang).to_string()));
    add(t.ground, d.ground.map(|g| g.label(lang).to_string()));
    add(t.reason, d.reason.clone());
    add(t.place, d.place.clone());
    add(t.until, d.until.map(format_vn));
    if let (Some(v), Some(b)) = (d.votes_for, d.vote_base) {
        add(t.votes_for, Some(format!("{v}/{b}")));
    }
    out
}

fn note(t: &Texts, lang: Lang, tl: &Timeline, e: &TimelineEntry) -> String {
    let by = |label: &str| {
        corrected_by(tl, e).map_or_else(String::new, |c| {
            format!("{label}: {} {}", c.record.event.kind.label(lang), format_vn(c.record.event.effective))
        })
    };
    match e.effect {
        Effect::Voided => by(t.voided_by),
        Effect::Cleared => by(t.cleared_by),
        Effect::Rejected(why) => format!("{}: {}", t.not_applied, rejection(why).message(lang)),
        Effect::Applied => {
            let target = e.record.event.ref_id.and_then(|r| tl.events.iter().find(|x| x.record.event.id == r));
            target.map_or_else(String::new, |x| {
                let ev = &x.record.event;
                format!("{}: {} {}", t.voids, ev.kind.label(lang), format_vn(ev.effective))
            })
        }
    }
}

fn row(ctx: &Ctx, tl: &Timeline, e: &TimelineEntry) -> EventRow {
    let (t, lang) = (ctx.t, ctx.lang);
    let ev = &e.record.event;
    EventRow {
        id: ev.id.to_string(),
        date: format_vn(ev.effective),
        label: ev.kind.label(lang),
        org: e.org_name.clone().unwrap_or_default(),
        decision: decision_text(t, &ev.decision),
        details: detail_lines(t, lang, &ev.detail),
        recorded: format!("{}, {}", e.record.recorded_by_name, view::moment(e.record.recorded_at)),
        struck: matches!(e.effect, Effect::Voided | Effect::Cleared),
        note: note(t, lang, tl, e),
        // An admission date is corrected by editing the record (which voids and re-records).
        can_void: tl.can_write
            && e.effect == Effect::Applied
            && !matches!(ev.kind, EventKind::Voided | EventKind::Admitted),
    }
}

fn age_text(t: &Texts, tl: &Timeline, today: time::Date) -> String {
    party_age(&tl.history, today)
        .map_or_else(|| t.party_age_none.to_string(), |a| format!("{} {}, {} {}", a.years, t.years, a.months, t.months))
}

fn choices<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter().map(|k| (code(*k).to_string(), label(*k).to_string())).collect()
}

/// The decision and date fields, shared by every dated form.
pub fn dated_fields(t: &'static Texts, d: &DatedFields) -> Vec<Field> {
    vec![
        Field::date("effective", t.event_date, &d.effective).required(),
        Field::text("decision_number", t.decision_number, &d.decision_number),
        Field::text("decision_body", t.decision_body, &d.decision_body),
        Field::date("decision_signed_on", t.decision_signed_on, &d.decision_signed_on),
    ]
}

fn event_fields(ctx: &Ctx, tl: &Timeline, f: &EventFields) -> Vec<Field> {
    let (t, lang) = (ctx.t, ctx.lang);
    let kinds: Vec<EventKind> =
        EventKind::ALL.iter().copied().filter(|k| !matches!(k, EventKind::Admitted | EventKind::Voided)).collect();
    let mut v = vec![
        Field::select(
            "kind",
            t.event_kind,
            &f.kind,
            choices(&kinds, EventKind::code, |k| k.label(lang)),
            Some(t.choose),
        )
        .required(),
    ];
    v.extend(dated_fields(t, &f.dated));
    // A name (or an id, for a cell outside the viewer's subtrees) typed to find the cell.
    let mut find = Field::text("org_q", t.find_cell, &None).hint(t.event_org_hint);
    find.reload = Some(Reload { url: "/ui/cells", target: "#org_id" });
    let current: Vec<(String, String)> =
        f.org_id.iter().map(|id| (id.clone(), format!("{}: {id}", t.org_id))).collect();
    v.extend([find, Field::select("org_id", t.event_org, &f.org_id, current, Some("—"))]);
    let expulsions: Vec<(String, String)> = tl
        .events
        .iter()
        .filter(|e| e.effect == Effect::Applied && e.record.event.detail.form == Some(DisciplineForm::Expulsion))
        .map(|e| {
            (
                e.record.event.id.to_string(),
                format!("{} {}", e.record.event.kind.label(lang), format_vn(e.record.event.effective)),
            )
        })
        .collect();
    if !expulsions.is_empty() {
        v.push(Field::select("ref_id", t.event_ref, &f.ref_id, expulsions, Some("—")));
    }
    v.extend([
        Field::text("reason", t.reason, &f.reason),
        Field::select(
            "ground",
            t.ground,
            &f.ground,
            choices(StrikeOffGround::ALL, StrikeOffGround::code, |g| g.label(lang)),
            Some("—"),
        ),
        Field::select(
            "form",
            t.discipline_form,
            &f.form,
            choices(DisciplineForm::ALL, DisciplineForm::code, |g| g.label(lang)),
            Some("—"),
        ),
        Field::text("place", t.place, &f.place),
        Field::date("until", t.until, &f.until),
        Field::text("votes_for", t.votes_for, &f.votes_for).kind(Kind::Number),
        Field::text("vote_base", t.vote_base, &f.vote_base).kind(Kind::Number),
    ]);
    // Each detail field only for the kinds that carry it (the rule: `EventKind::uses`).
    for field in v.iter_mut() {
        let name = if field.name == "org_q" { "org_id" } else { field.name.as_ref() };
        let used: Vec<&str> = kinds.iter().filter(|k| k.uses(name)).map(|k| k.code()).collect();
        if !used.is_empty() {
            field.kinds = used.join(" ");
        }
    }
    v
}

/// An empty event dated `today`.
fn today_fields(today: time::Date) -> EventFields {
    EventFields { dated: today_dated(today), ..EventFields::default() }
}

/// A date and decision, `today` filled in.
pub fn today_dated(today: time::Date) -> DatedFields {
    DatedFields { effective: Some(format_vn(today)), ..DatedFields::default() }
}

/// The timeline, party age and (for writers) the event form with `posted` values and errors.
pub fn life_view(ctx: &Ctx, tl: &Timeline, posted: Option<&EventFields>, errors: &Validation) -> LifeView {
    let form = tl.can_write.then(|| {
        let blank = today_fields(ctx.today());
        let mut fields = event_fields(ctx, tl, posted.unwrap_or(&blank));
        let general = place_errors(&mut fields, errors, ctx.lang);
        EventForm { fields, general }
    });
    LifeView {
        party_age: age_text(ctx.t, tl, ctx.today()),
        // The latest first: what a secretary looks for.
        events: tl.events.iter().rev().map(|e| row(ctx, tl, e)).collect(),
        form,
    }
}

/// The confirmation page before voiding an event, with the date and decision of the voiding.
fn void_form(ctx: &Ctx, member: &str, e: &TimelineEntry, f: &EventFields, errors: &Validation) -> FormPage {
    let t = ctx.t;
    let ev = &e.record.event;
    let mut fields = dated_fields(t, &f.dated);
    fields.push(Field::text("reason", t.reason, &f.reason));
    let general = place_errors(&mut fields, errors, ctx.lang);
    let org = e.org_name.as_deref().map_or_else(String::new, |o| format!(", {o}"));
    FormPage {
        c: ctx.chrome(t.void_heading),
        t,
        heading: t.void_heading.to_string(),
        intro: format!("{} {}{org}. {}", ev.kind.label(ctx.lang), format_vn(ev.effective), t.void_intro),
        action: format!("/members/{member}/events/{}/void", ev.id),
        fields,
        general,
        submit: t.void_submit,
        cancel: format!("/members/{member}#timeline"),
    }
}

async fn voidable(state: &State, ctx: &Ctx, id: &str, event: &str) -> Result<(Timeline, usize), UiError> {
    let (id, event) = (parse_id(ctx, id)?, parse_id(ctx, event)?);
    let tl = state.app.timeline(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    if !tl.can_write {
        return Err(ctx.fail(Problem::Forbidden));
    }
    let i = tl.events.iter().position(|e| e.record.event.id == event).ok_or_else(|| ctx.fail(Problem::NotFound))?;
    Ok((tl, i))
}

pub async fn void_page(
    S(state): S<State>,
    ctx: Ctx,
    Path((id, event)): Path<(String, String)>,
) -> Result<FormPage, UiError> {
    let (tl, i) = voidable(&state, &ctx, &id, &event).await?;
    Ok(void_form(&ctx, &tl.member.id.to_string(), &tl.events[i], &today_fields(ctx.today()), &Validation::default()))
}

pub async fn void(
    S(state): S<State>,
    ctx: Ctx,
    Path((id, event)): Path<(String, String)>,
    form: Posted,
) -> Result<Response, UiError> {
    let (tl, i) = voidable(&state, &ctx, &id, &event).await?;
    ctx.check_csrf(&form)?;
    let target = &tl.events[i];
    let mut f: EventFields = form.to();
    f.kind = Some(EventKind::Voided.code().to_string());
    f.ref_id = Some(target.record.event.id.to_string());
    let outcome = match f.parse(DateStyle::Vietnamese) {
        Ok(input) => state.app.record_event(&ctx.viewer, tl.member.id, input).await.map(|_| ()),
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/members/{}?saved=1#timeline", tl.member.id)).into_response()),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            Ok((status, void_form(&ctx, &tl.member.id.to_string(), target, &f, &errors)).into_response())
        }
    }
}

/// Active cells matching a typed name inside the viewer's subtrees; an id is taken as typed
/// (a receiving cell elsewhere is known by its id).
async fn cells(state: &State, ctx: &Ctx, q: &str) -> Vec<Opt> {
    let q = q.trim();
    if let Ok(id) = uuid::Uuid::parse_str(q) {
        return vec![Opt { value: id.to_string(), label: format!("{}: {id}", ctx.t.org_id), selected: true }];
    }
    if q.is_empty() {
        return Vec::new();
    }
    let found = state.app.search_orgs(&ctx.viewer, q, 30).await.unwrap_or_default();
    found
        .iter()
        .filter(|o| o.kind().is_cell() && !o.is_dissolved())
        .enumerate()
        .map(|(i, o)| Opt { value: o.id.to_string(), label: o.input.name.clone(), selected: i == 0 })
        .collect()
}

/// Without JavaScript the typed text arrives alone: one match (or an id) is the cell.
pub(super) async fn find_cell(state: &State, ctx: &Ctx, q: &str) -> Option<String> {
    match cells(state, ctx, q).await.as_slice() {
        [one] => Some(one.value.clone()),
        _ => None,
    }
}

#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "cell_options.html")]
pub struct CellOptions {
    options: Vec<Opt>,
}

#[derive(serde::Deserialize, Default)]
pub struct CellQuery {
    org_q: Option<String>,
}

/// `<option>`s of the cells matching `org_q`, for the event form's organisation select.
pub async fn cell_options(
    S(state): S<State>,
    ctx: Ctx,
    axum::extract::Query(q): axum::extract::Query<CellQuery>,
) -> CellOptions {
    CellOptions { options: cells(&state, &ctx, q.org_q.as_deref().unwrap_or("")).await }
}
