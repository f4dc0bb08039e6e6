//! The forms of a round's steps: a member's page with the self-assessment form, the decisions
//! and the plans (`/reviews/{id}/members/{member}`), the cell's proposals
//! (`/reviews/{id}/cells/{cell}`, and its `.xlsx`), the base organisation's decision on its
//! members and on the organisations it decides (`/reviews/{id}/bases/{base}`), a correcting
//! decision, an organisation's own assessment, a plan and the progress of its items.

use super::form::{Field, FormPage, Kind, place_errors};
use super::page::{Chrome, Ctx, Posted, UiError, form_errors, parse_id};
use super::review::{level_choices, level_label, number};
use super::text::Texts;
use crate::State;
use crate::attachment::{XLSX, attachment};
use crate::input::DoneFields;
use crate::input::{DateStyle, Flag};
use crate::review_input::{
    CorrectionFields, DecisionFields, DecisionLineFields, OpinionFields, OpinionLineFields, OrgSelfFields, PlanFields,
    PlanItemFields, SelfFields,
};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State as S};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_access::domain::date::format_vn;
use chibo_access::domain::review::Part;
use chibo_access::{
    Lang, MemberReview, MemberReviewLine, Problem, Validation, period_label, proposal_headers, proposal_row,
};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A group of fields under a title (one member, one item), drawn as a card.
pub struct Card {
    title: String,
    lines: Vec<String>,
    fields: Vec<Field>,
}

/// Place a refusal's errors next to the fields of the cards; the errors of no field.
fn place_in_cards(head: &mut Vec<Field>, cards: &mut [Card], errors: &Validation, lang: Lang) -> Vec<String> {
    let sizes: Vec<usize> = cards.iter().map(|c| c.fields.len()).collect();
    let mut all: Vec<Field> = std::mem::take(head);
    let head_len = all.len();
    for c in cards.iter_mut() {
        all.append(&mut c.fields);
    }
    let general = place_errors(&mut all, errors, lang);
    let mut it = all.into_iter();
    head.extend(it.by_ref().take(head_len));
    for (c, n) in cards.iter_mut().zip(sizes) {
        c.fields.extend(it.by_ref().take(n));
    }
    general
}

/// The rows of a list form: `prefix.<key>.<field>` → key → field → value, in the order posted.
fn rows(form: &Posted, prefix: &str) -> Vec<(String, BTreeMap<String, String>)> {
    let mut out: Vec<(String, BTreeMap<String, String>)> = Vec::new();
    for (k, v) in &form.0 {
        let Some((key, field)) =
            k.strip_prefix(prefix).and_then(|r| r.strip_prefix('.')).and_then(|r| r.split_once('.'))
        else {
            continue;
        };
        match out.iter_mut().find(|(k, _)| k == key) {
            Some((_, m)) => {
                m.insert(field.to_string(), v.clone());
            }
            None => out.push((key.to_string(), BTreeMap::from([(field.to_string(), v.clone())]))),
        }
    }
    out
}

fn get(m: &BTreeMap<String, String>, k: &str) -> Option<String> {
    m.get(k).cloned()
}

fn bad_id(ctx: &Ctx, raw: &str) -> Result<Uuid, UiError> {
    parse_id(ctx, raw)
}

// ---- a member's page ----

#[derive(Template, WebTemplate)]
#[template(path = "review_member.html")]
pub struct MemberPage {
    c: Chrome,
    t: &'static Texts,
    id: Uuid,
    member_id: Uuid,
    name: String,
    period: String,
    summary: Vec<(String, String)>,
    facts: Vec<(String, String)>,
    texts: Vec<(String, String)>,
    decisions: Vec<String>,
    correct_href: Option<String>,
    /// The self-assessment form (when the viewer may fill it).
    head: Vec<Field>,
    sections: Vec<Card>,
    general: Vec<String>,
    plans: Vec<PlanCard>,
    plan_form: Vec<Card>,
    saved: bool,
}

/// A plan with its items, each with the form that marks it.
pub struct PlanCard {
    title: String,
    items: Vec<ItemRow>,
}

pub struct ItemRow {
    id: Uuid,
    content: String,
    responsible: String,
    deadline: String,
    state: String,
    done_on: String,
    note: String,
}

fn facts_of(m: &MemberReviewLine, t: &Texts, lang: Lang) -> Vec<(String, String)> {
    let f = &m.facts;
    let day = |d: Option<time::Date>| d.map(format_vn).unwrap_or_default();
    let mut out = vec![
        (t.review_attended.to_string(), format!("{}/{}", f.meetings_attended, f.meetings_expected)),
        (t.review_excused.to_string(), f.excused.to_string()),
        (t.review_unexcused.to_string(), f.unexcused.to_string()),
        (t.review_admitted.to_string(), day(f.admitted)),
        (t.review_recognized.to_string(), day(f.recognized)),
    ];
    if !f.disciplined.is_empty() {
        let list = f
            .disciplined
            .iter()
            .map(|d| format!("{} {}", format_vn(d.on), d.form.map(|x| x.label(lang)).unwrap_or_default()));
        out.push((t.review_disciplined.to_string(), list.collect::<Vec<_>>().join(", ")));
    }
    if let Some(e) = f.exempt_since {
        out.push((t.review_exempt.to_string(), format_vn(e)));
    }
    if !f.transfers.is_empty() {
        let list = f.transfers.iter().map(|x| format!("{} {}", x.kind.label(lang), format_vn(x.on)));
        out.push((t.review_transfers.to_string(), list.collect::<Vec<_>>().join(", ")));
    }
    for c in &m.caps {
        out.push((
            t.review_caps.to_string(),
            format!("{}: {} {}", c.reason.label(lang), t.review_at_most, c.ceiling.label(lang)),
        ));
    }
    out
}

/// The self-assessment form: the sheet's lines by part, the task counts, the texts, the level.
fn self_form(m: &MemberReview, f: &SelfFields, t: &Texts, lang: Lang) -> (Vec<Field>, Vec<Card>) {
    let mut sections = Vec::new();
    if let Some(sheet) = &m.sheet {
        for (part, title) in [(Part::General, t.review_general), (Part::Tasks, t.review_tasks)] {
            let fields = sheet
                .lines
                .iter()
                .filter(|l| l.part == part)
                .map(|l| {
                    let label = if lang == Lang::En && !l.label_en.is_empty() { &l.label_en } else { &l.label_vi };
                    let value =
                        f.scores.get(l.code.as_ref()).map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string));
                    Field::text(format!("scores.{}", l.code), format!("{label} (0–{})", l.points), &value)
                        .kind(Kind::Number)
                })
                .collect();
            sections.push(Card { title: format!("{title} ({})", sheet.points(part)), lines: Vec::new(), fields });
        }
        sections.push(Card {
            title: t.review_tasks.to_string(),
            lines: Vec::new(),
            fields: vec![
                number("tasks_total".into(), t.review_tasks_total, f.tasks_total.clone()),
                number("tasks_on_time".into(), t.review_tasks_on_time, f.tasks_on_time.clone()),
                number("tasks_exceeded".into(), t.review_tasks_exceeded, f.tasks_exceeded.clone()),
            ],
        });
    }
    let area =
        |name: &'static str, label: &'static str, v: &Option<String>| Field::text(name, label, v).kind(Kind::TextArea);
    sections.push(Card {
        title: t.review_self_form.to_string(),
        lines: Vec::new(),
        fields: vec![
            area("strengths", t.review_strengths, &f.strengths),
            area("shortcomings", t.review_shortcomings, &f.shortcomings),
            area("causes", t.review_causes, &f.causes),
            area("remedies", t.review_remedies, &f.remedies),
            Field::select(
                "level",
                t.review_propose,
                &f.level,
                level_choices(lang),
                m.sheet.as_ref().map(|_| t.review_by_score),
            ),
        ],
    });
    let head = vec![Field::hidden("version", f.version.as_deref().unwrap_or(""))];
    (head, sections)
}

fn plan_form(t: &Texts, items: &[PlanItemFields]) -> Vec<Card> {
    (0..3)
        .map(|i| {
            let it = items.get(i).cloned().unwrap_or_default();
            Card {
                title: format!("{} {}", t.review_plan_item, i + 1),
                lines: Vec::new(),
                fields: vec![
                    Field::text(format!("items.{i}.content"), t.review_plan_item, &it.content).kind(Kind::TextArea),
                    Field::text(format!("items.{i}.responsible"), t.review_plan_responsible, &it.responsible),
                    Field::date(format!("items.{i}.deadline"), t.review_plan_deadline, &it.deadline),
                ],
            }
        })
        .collect()
}

async fn member_page(
    state: &State,
    ctx: &Ctx,
    (id, member): (Uuid, Uuid),
    f: Option<&SelfFields>,
    plan: &[PlanItemFields],
    errors: &Validation,
    saved: bool,
) -> Result<MemberPage, UiError> {
    let (t, lang) = (ctx.t, ctx.lang);
    let m = state.app.review_member(&ctx.viewer, id, member).await.map_err(|p| ctx.fail(p))?;
    let l = &m.line.line;
    let stored = SelfFields {
        scores: l.scores.as_deref().and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default(),
        tasks_total: l.tasks_total.map(|v| v.to_string()),
        tasks_on_time: l.tasks_on_time.map(|v| v.to_string()),
        tasks_exceeded: l.tasks_exceeded.map(|v| v.to_string()),
        strengths: Some(l.strengths.clone()),
        shortcomings: Some(l.shortcomings.clone()),
        causes: Some(l.causes.clone()),
        remedies: Some(l.remedies.clone()),
        level: l.self_level.clone(),
        version: Some(l.version.to_string()),
    };
    let f = f.cloned().map(|f| SelfFields { version: Some(l.version.to_string()), ..f }).unwrap_or(stored);
    let (mut head, mut sections) =
        if m.may_self_assess { self_form(&m, &f, t, lang) } else { (Vec::new(), Vec::new()) };
    let decided = l.level.is_some();
    let has_plan = m.plans.iter().any(|p| p.plan.round_id == id);
    let mut plan_cards = if decided && !has_plan { plan_form(t, plan) } else { Vec::new() };
    let mut general = place_in_cards(&mut head, &mut sections, errors, lang);
    general.extend(place_in_cards(&mut Vec::new(), &mut plan_cards, errors, lang).into_iter().skip(1));
    let summary = vec![
        (t.review_cell.to_string(), m.line.cell_name.clone()),
        (t.review_status.to_string(), m.round.status.label(lang).to_string()),
        (t.review_not_rated.to_string(), m.line.not_rated.map(|n| n.label(lang).to_string()).unwrap_or_default()),
        (t.review_score.to_string(), l.score.map(|s| s.to_string()).unwrap_or_default()),
        (t.review_self_level.to_string(), level_label(&l.self_level, lang)),
        (t.review_cell_level.to_string(), level_label(&l.cell_level, lang)),
        (t.review_level.to_string(), level_label(&l.level, lang)),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect();
    let texts = [
        (t.review_strengths, &l.strengths),
        (t.review_shortcomings, &l.shortcomings),
        (t.review_causes, &l.causes),
        (t.review_remedies, &l.remedies),
        (t.review_comments, &l.cell_comments),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty() && !m.may_self_assess)
    .map(|(k, v)| (k.to_string(), v.clone()))
    .collect();
    let decisions = m
        .decisions
        .iter()
        .map(|d| {
            let mut s = format!("{} {} ({}): {}", d.number, format_vn(d.signed_on), d.by_name, d.level.label(lang));
            if d.corrects.is_some() {
                s.push_str(&format!(" — {}: {}", t.review_corrects, d.reason));
            }
            s
        })
        .collect();
    let plans = m
        .plans
        .iter()
        .map(|p| PlanCard {
            title: format!("{} {}", t.review_plan_from, p.round_label),
            items: p
                .items
                .iter()
                .map(|(i, s)| ItemRow {
                    id: i.id,
                    content: i.content.clone(),
                    responsible: i.responsible.clone(),
                    deadline: format_vn(i.deadline),
                    state: s.label(lang).to_string(),
                    done_on: i.done_on.map(format_vn).unwrap_or_default(),
                    note: i.note.clone(),
                })
                .collect(),
        })
        .collect();
    Ok(MemberPage {
        c: ctx.chrome(format!("{} · {}", t.review_link, m.line.full_name)),
        t,
        id,
        member_id: member,
        name: m.line.full_name.clone(),
        period: period_label(&m.round.period),
        summary,
        facts: facts_of(&m.line, t, lang),
        texts,
        decisions,
        correct_href: decided.then(|| format!("/reviews/{id}/corrections/{member}")),
        head,
        sections,
        general,
        plans,
        plan_form: plan_cards,
        saved,
    })
}

#[derive(serde::Deserialize, Default)]
pub struct SavedQuery {
    saved: Option<String>,
}

pub async fn member(
    S(state): S<State>,
    ctx: Ctx,
    Path((id, member)): Path<(String, String)>,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> Result<MemberPage, UiError> {
    let (id, member) = (bad_id(&ctx, &id)?, bad_id(&ctx, &member)?);
    member_page(&state, &ctx, (id, member), None, &[], &Validation::default(), q.saved.is_some()).await
}

pub async fn self_assess(
    S(state): S<State>,
    ctx: Ctx,
    Path((id, member)): Path<(String, String)>,
    form: Posted,
) -> Result<Response, UiError> {
    let (id, member) = (bad_id(&ctx, &id)?, bad_id(&ctx, &member)?);
    ctx.check_csrf(&form)?;
    let mut f: SelfFields = form.to();
    f.scores = form
        .0
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("scores.").map(|c| (c.to_string(), serde_json::Value::String(v.clone()))))
        .collect();
    let outcome = match f.parse() {
        Ok(input) => state.app.self_assess(&ctx.viewer, id, member, &input).await.map(|_| ()),
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/reviews/{id}/members/{member}?saved=1")).into_response()),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            Ok((status, member_page(&state, &ctx, (id, member), Some(&f), &[], &errors, false).await?).into_response())
        }
    }
}

pub async fn plan(
    S(state): S<State>,
    ctx: Ctx,
    Path((id, member)): Path<(String, String)>,
    form: Posted,
) -> Result<Response, UiError> {
    let (id, member) = (bad_id(&ctx, &id)?, bad_id(&ctx, &member)?);
    ctx.check_csrf(&form)?;
    let items: Vec<PlanItemFields> = rows(&form, "items")
        .into_iter()
        .map(|(_, m)| PlanItemFields {
            content: get(&m, "content"),
            responsible: get(&m, "responsible"),
            deadline: get(&m, "deadline"),
        })
        .filter(|i| {
            [&i.content, &i.responsible, &i.deadline].iter().any(|v| v.as_deref().is_some_and(|s| !s.trim().is_empty()))
        })
        .collect();
    let f = PlanFields { subject_id: Some(member.to_string()), items: items.clone() };
    let outcome = match f.parse(DateStyle::Vietnamese) {
        Ok(input) => state.app.create_plan(&ctx.viewer, id, &input).await.map(|_| ()),
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/reviews/{id}/members/{member}?saved=1#plans")).into_response()),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            Ok((status, member_page(&state, &ctx, (id, member), None, &items, &errors, false).await?).into_response())
        }
    }
}

/// Mark an item of a plan; back to the page the form was on.
pub async fn item(S(state): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    let id = bad_id(&ctx, &id)?;
    ctx.check_csrf(&form)?;
    let f = DoneFields { done_on: form.get("done_on").map(str::to_string), note: form.get("note").map(str::to_string) };
    let (done, note) = f.parse(DateStyle::Vietnamese).map_err(|v| ctx.fail(Problem::Invalid(v)))?;
    state.app.mark_plan_item(&ctx.viewer, id, done, &note).await.map_err(|p| ctx.fail(p))?;
    let back = super::page::safe_next(form.get("next"));
    Ok(Redirect::to(&back).into_response())
}

// ---- the cell's proposals ----

#[derive(Template, WebTemplate)]
#[template(path = "review_cell.html")]
pub struct CellPage {
    c: Chrome,
    t: &'static Texts,
    id: Uuid,
    cell_id: Uuid,
    name: String,
    period: String,
    headers: [&'static str; 10],
    table: Vec<Vec<String>>,
    head: Vec<Field>,
    cards: Vec<Card>,
    general: Vec<String>,
    may_write: bool,
}

async fn cell_page(
    state: &State,
    ctx: &Ctx,
    id: Uuid,
    cell: Uuid,
    posted: Option<&OpinionFields>,
    errors: &Validation,
) -> Result<CellPage, UiError> {
    let (t, lang) = (ctx.t, ctx.lang);
    let view = state.app.review_round(&ctx.viewer, id, Some(cell)).await.map_err(|p| ctx.fail(p))?;
    let year = view.round.last_day.year();
    let meetings = state.app.meetings_of(&ctx.viewer, cell, year).await.unwrap_or_default();
    let choices = meetings
        .iter()
        .filter(|m| m.status.was_held())
        .map(|m| (m.id.to_string(), format!("{} · {}", format_vn(m.held_on), m.kind.label(lang))));
    let meeting = posted.and_then(|p| p.meeting_id.clone());
    let mut head = vec![Field::select("meeting_id", t.review_meeting, &meeting, choices, Some(t.review_no_meeting))];
    let mut cards: Vec<Card> = view
        .members
        .iter()
        .filter(|m| m.line.level.is_none())
        .map(|m| {
            let l = &m.line;
            let given =
                posted.and_then(|p| p.lines.iter().find(|x| x.member_id.as_deref() == Some(&l.member_id.to_string())));
            let pick = |f: fn(&OpinionLineFields) -> Option<String>, stored: Option<String>| given.map_or(stored, f);
            let name = |part: &str| format!("lines.{}.{part}", l.member_id);
            let level = pick(|g| g.level.clone(), l.cell_level.clone().or_else(|| l.self_level.clone()));
            let mut fields = vec![Field::hidden(name("member_id"), &l.member_id.to_string())];
            if m.not_rated.is_none() {
                fields.push(Field::select(name("level"), t.review_cell_level, &level, level_choices(lang), Some("")));
                fields.push(number(
                    name("votes_for"),
                    t.review_votes_for,
                    pick(|g| g.votes_for.clone(), l.votes_for.map(|v| v.to_string())),
                ));
                fields.push(number(
                    name("votes_against"),
                    t.review_votes_against,
                    pick(|g| g.votes_against.clone(), l.votes_against.map(|v| v.to_string())),
                ));
                fields.push(number(
                    name("votes_abstain"),
                    t.review_votes_abstain,
                    pick(|g| g.votes_abstain.clone(), l.votes_abstain.map(|v| v.to_string())),
                ));
                fields.push(number(
                    name("sick_leave_months"),
                    t.review_sick_leave,
                    pick(|g| g.sick_leave_months.clone(), Some(l.sick_leave_months.to_string())),
                ));
            }
            fields.push(
                Field::text(
                    name("comments"),
                    t.review_comments,
                    &pick(|g| g.comments.clone(), Some(l.cell_comments.clone())),
                )
                .kind(Kind::TextArea),
            );
            let mut lines = vec![format!(
                "{}: {}/{} · {}: {}",
                t.review_attended,
                m.facts.meetings_attended,
                m.facts.meetings_expected,
                t.review_unexcused,
                m.facts.unexcused
            )];
            if let Some(n) = m.not_rated {
                lines.push(n.label(lang).to_string());
            }
            if l.self_level.is_some() {
                lines.push(format!(
                    "{}: {} {}",
                    t.review_self_level,
                    level_label(&l.self_level, lang),
                    l.score.map(|s| format!("({s})")).unwrap_or_default()
                ));
            }
            lines.extend(
                m.caps
                    .iter()
                    .map(|c| format!("{}: {} {}", c.reason.label(lang), t.review_at_most, c.ceiling.label(lang))),
            );
            Card { title: m.full_name.clone(), lines, fields }
        })
        .collect();
    let general = place_in_cards(&mut head, &mut cards, errors, lang);
    Ok(CellPage {
        c: ctx.chrome(format!("{} · {}", t.review_cell_page, view.at.input.name)),
        t,
        id,
        cell_id: cell,
        name: view.at.input.name.clone(),
        period: period_label(&view.round.period),
        headers: proposal_headers(lang),
        table: view.members.iter().enumerate().map(|(i, m)| proposal_row(i, m, lang)).collect(),
        head,
        may_write: view.may_write
            && view.round.status == chibo_access::domain::review::RoundStatus::Open
            && !cards.is_empty(),
        cards,
        general,
    })
}

pub async fn cell(S(state): S<State>, ctx: Ctx, Path((id, cell)): Path<(String, String)>) -> Result<CellPage, UiError> {
    let (id, cell) = (bad_id(&ctx, &id)?, bad_id(&ctx, &cell)?);
    cell_page(&state, &ctx, id, cell, None, &Validation::default()).await
}

pub async fn cell_xlsx(
    S(state): S<State>,
    ctx: Ctx,
    Path((id, cell)): Path<(String, String)>,
) -> Result<Response, UiError> {
    let (id, cell) = (bad_id(&ctx, &id)?, bad_id(&ctx, &cell)?);
    let bytes = state.app.cell_proposals_xlsx(&ctx.viewer, id, cell).await.map_err(|p| ctx.fail(p))?;
    Ok(attachment("Danh sách đề xuất xếp loại.xlsx", XLSX, bytes))
}

pub async fn opinion(
    S(state): S<State>,
    ctx: Ctx,
    Path((id, cell)): Path<(String, String)>,
    form: Posted,
) -> Result<Response, UiError> {
    let (id, cell) = (bad_id(&ctx, &id)?, bad_id(&ctx, &cell)?);
    ctx.check_csrf(&form)?;
    let f = OpinionFields {
        meeting_id: form.get("meeting_id").map(str::to_string),
        lines: rows(&form, "lines")
            .into_iter()
            .map(|(key, m)| OpinionLineFields {
                member_id: Some(key),
                level: get(&m, "level"),
                comments: get(&m, "comments"),
                votes_for: get(&m, "votes_for"),
                votes_against: get(&m, "votes_against"),
                votes_abstain: get(&m, "votes_abstain"),
                sick_leave_months: get(&m, "sick_leave_months"),
            })
            .collect(),
    };
    let outcome = match f.parse() {
        Ok(input) => state.app.cell_opinion(&ctx.viewer, id, cell, &input).await.map(|_| ()),
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/reviews/{id}?at={cell}")).into_response()),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            Ok((status, cell_page(&state, &ctx, id, cell, Some(&f), &errors).await?).into_response())
        }
    }
}

// ---- the decision ----

#[derive(Template, WebTemplate)]
#[template(path = "review_decide.html")]
pub struct DecidePage {
    c: Chrome,
    t: &'static Texts,
    id: Uuid,
    base_id: Uuid,
    name: String,
    period: String,
    head: Vec<Field>,
    cards: Vec<Card>,
    general: Vec<String>,
    org_head: Vec<Field>,
    org_cards: Vec<Card>,
    org_general: Vec<String>,
    decided: Vec<(String, String, String)>,
}

/// Which of the two forms a refusal belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Members,
    Orgs,
}

fn decision_head(t: &Texts, f: Option<&DecisionFields>, today: time::Date) -> Vec<Field> {
    let today = format_vn(today);
    vec![
        Field::text("number", t.review_number, &f.and_then(|f| f.number.clone())).required(),
        Field::date("signed_on", t.review_signed_on, &f.and_then(|f| f.signed_on.clone()).or(Some(today))).required(),
    ]
}

async fn decide_page(
    state: &State,
    ctx: &Ctx,
    id: Uuid,
    base: Uuid,
    posted: Option<(&DecisionFields, Which)>,
    errors: &Validation,
) -> Result<DecidePage, UiError> {
    let (t, lang) = (ctx.t, ctx.lang);
    let view = state.app.review_round(&ctx.viewer, id, Some(base)).await.map_err(|p| ctx.fail(p))?;
    let given = |id: Uuid, which: Which| {
        posted
            .filter(|(_, w)| *w == which)
            .and_then(|(f, _)| f.lines.iter().find(|l| l.id.as_deref() == Some(&id.to_string())).cloned())
    };
    let line_fields = |id: Uuid, level: Option<String>, which: Which| {
        let g = given(id, which).unwrap_or_default();
        let name = |part: &str| format!("lines.{id}.{part}");
        let checked =
            matches!(&g.self_corrected, Flag::Text(s) if !s.is_empty()) || matches!(g.self_corrected, Flag::Bool(true));
        let mut fields = vec![
            Field::hidden(name("id"), &id.to_string()),
            Field::select(name("level"), t.review_level, &g.level.or(level), level_choices(lang), None),
        ];
        if which == Which::Members {
            fields.push(Field::checkbox(name("self_corrected"), t.review_self_corrected, checked));
            fields.push(Field::text(name("reason"), t.review_reason, &g.reason));
        }
        fields
    };
    let mut cards: Vec<Card> = view
        .members
        .iter()
        .filter(|m| m.line.base_id == base && m.line.level.is_none() && m.line.cell_level.is_some())
        .map(|m| {
            let mut lines =
                vec![format!("{} · {}: {}", m.cell_name, t.review_cell_level, level_label(&m.line.cell_level, lang))];
            lines.extend(
                m.caps
                    .iter()
                    .map(|c| format!("{}: {} {}", c.reason.label(lang), t.review_at_most, c.ceiling.label(lang))),
            );
            Card {
                title: m.full_name.clone(),
                lines,
                fields: line_fields(m.line.member_id, m.line.cell_level.clone(), Which::Members),
            }
        })
        .collect();
    let mut org_cards: Vec<Card> = view
        .orgs
        .iter()
        .filter(|o| o.line.decider_id == base && o.line.level.is_none() && o.line.not_rated.is_none())
        .map(|o| {
            let mut lines = vec![format!("{}: {}", t.review_self_level, level_label(&o.line.self_level, lang))];
            lines.extend(o.caps.iter().map(|c| c.reason.label(lang).to_string()));
            Card {
                title: o.name.clone(),
                lines,
                fields: line_fields(o.line.org_id, o.line.self_level.clone(), Which::Orgs),
            }
        })
        .collect();
    let which = posted.map(|(_, w)| w);
    let none = Validation::default();
    let mut head = decision_head(t, posted.filter(|(_, w)| *w == Which::Members).map(|(f, _)| f), ctx.today());
    let mut org_head = decision_head(t, posted.filter(|(_, w)| *w == Which::Orgs).map(|(f, _)| f), ctx.today());
    let general =
        place_in_cards(&mut head, &mut cards, if which == Some(Which::Members) { errors } else { &none }, lang);
    let org_general =
        place_in_cards(&mut org_head, &mut org_cards, if which == Some(Which::Orgs) { errors } else { &none }, lang);
    let decided = view
        .members
        .iter()
        .filter(|m| m.line.base_id == base && m.line.level.is_some())
        .map(|m| {
            (
                m.full_name.clone(),
                level_label(&m.line.level, lang),
                format!("/reviews/{id}/corrections/{}", m.line.member_id),
            )
        })
        .chain(view.orgs.iter().filter(|o| o.line.decider_id == base && o.line.level.is_some()).map(|o| {
            (o.name.clone(), level_label(&o.line.level, lang), format!("/reviews/{id}/corrections/{}", o.line.org_id))
        }))
        .collect();
    Ok(DecidePage {
        c: ctx.chrome(format!("{} · {}", t.review_decide_page, view.at.input.name)),
        t,
        id,
        base_id: base,
        name: view.at.input.name.clone(),
        period: period_label(&view.round.period),
        head,
        cards,
        general,
        org_head,
        org_cards,
        org_general,
        decided,
    })
}

pub async fn decide(
    S(state): S<State>,
    ctx: Ctx,
    Path((id, base)): Path<(String, String)>,
) -> Result<DecidePage, UiError> {
    let (id, base) = (bad_id(&ctx, &id)?, bad_id(&ctx, &base)?);
    decide_page(&state, &ctx, id, base, None, &Validation::default()).await
}

fn decision_fields(form: &Posted) -> DecisionFields {
    DecisionFields {
        number: form.get("number").map(str::to_string),
        signed_on: form.get("signed_on").map(str::to_string),
        lines: rows(form, "lines")
            .into_iter()
            .map(|(key, m)| DecisionLineFields {
                id: Some(key),
                level: get(&m, "level"),
                self_corrected: get(&m, "self_corrected").map_or(Flag::Missing, Flag::Text),
                reason: get(&m, "reason"),
            })
            .collect(),
    }
}

async fn decide_post(
    state: &State,
    ctx: &Ctx,
    id: &str,
    base: &str,
    form: &Posted,
    which: Which,
) -> Result<Response, UiError> {
    let (id, base) = (bad_id(ctx, id)?, bad_id(ctx, base)?);
    ctx.check_csrf(form)?;
    let f = decision_fields(form);
    let outcome = match f.parse(DateStyle::Vietnamese) {
        Ok(input) if which == Which::Members => {
            state.app.decide_members(&ctx.viewer, id, base, &input).await.map(|_| ())
        }
        Ok(input) => state.app.decide_orgs(&ctx.viewer, id, base, &input).await.map(|_| ()),
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/reviews/{id}/bases/{base}")).into_response()),
        Err(p) => {
            let (errors, status) = form_errors(ctx, p)?;
            Ok((status, decide_page(state, ctx, id, base, Some((&f, which)), &errors).await?).into_response())
        }
    }
}

pub async fn decide_members(
    S(state): S<State>,
    ctx: Ctx,
    Path((id, base)): Path<(String, String)>,
    form: Posted,
) -> Result<Response, UiError> {
    decide_post(&state, &ctx, &id, &base, &form, Which::Members).await
}

pub async fn decide_orgs(
    S(state): S<State>,
    ctx: Ctx,
    Path((id, base)): Path<(String, String)>,
    form: Posted,
) -> Result<Response, UiError> {
    decide_post(&state, &ctx, &id, &base, &form, Which::Orgs).await
}

// ---- a correcting decision ----

fn correction_page(ctx: &Ctx, id: Uuid, subject: Uuid, f: &CorrectionFields, errors: &Validation) -> FormPage {
    let (t, lang) = (ctx.t, ctx.lang);
    let mut fields = vec![
        Field::select("level", t.review_level, &f.level, level_choices(lang), None).required(),
        Field::text("number", t.review_number, &f.number).required(),
        Field::date("signed_on", t.review_signed_on, &f.signed_on).required(),
        Field::text("reason", t.review_reason, &f.reason).kind(Kind::TextArea).required(),
        Field::checkbox("self_corrected", t.review_self_corrected, f.self_corrected.is_set()),
    ];
    let general = place_errors(&mut fields, errors, lang);
    FormPage {
        c: ctx.chrome(t.review_correct),
        t,
        heading: t.review_correct.to_string(),
        intro: String::new(),
        action: format!("/reviews/{id}/corrections/{subject}"),
        fields,
        general,
        submit: t.review_correct_submit,
        cancel: format!("/reviews/{id}"),
    }
}

pub async fn correction_form(ctx: Ctx, Path((id, subject)): Path<(String, String)>) -> Result<FormPage, UiError> {
    let (id, subject) = (bad_id(&ctx, &id)?, bad_id(&ctx, &subject)?);
    let f = CorrectionFields { signed_on: Some(format_vn(ctx.today())), ..Default::default() };
    Ok(correction_page(&ctx, id, subject, &f, &Validation::default()))
}

pub async fn correct(
    S(state): S<State>,
    ctx: Ctx,
    Path((id, subject)): Path<(String, String)>,
    form: Posted,
) -> Result<Response, UiError> {
    let (id, subject) = (bad_id(&ctx, &id)?, bad_id(&ctx, &subject)?);
    ctx.check_csrf(&form)?;
    let mut f: CorrectionFields = form.to();
    f.self_corrected = form.get("self_corrected").map_or(Flag::Missing, |v| Flag::Text(v.to_string()));
    let outcome = match f.parse(DateStyle::Vietnamese) {
        Ok(input) => state.app.correct_decision(&ctx.viewer, id, subject, &input).await.map(|_| ()),
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/reviews/{id}")).into_response()),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            Ok((status, correction_page(&ctx, id, subject, &f, &errors)).into_response())
        }
    }
}

// ---- an organisation's own assessment ----

async fn org_self_page(
    state: &State,
    ctx: &Ctx,
    id: Uuid,
    org: Uuid,
    f: Option<&OrgSelfFields>,
    errors: &Validation,
) -> Result<FormPage, UiError> {
    let (t, lang) = (ctx.t, ctx.lang);
    let view = state.app.review_round(&ctx.viewer, id, Some(org)).await.map_err(|p| ctx.fail(p))?;
    let line = view.orgs.iter().find(|o| o.line.org_id == org).ok_or_else(|| ctx.fail(Problem::NotFound))?;
    let l = &line.line;
    let stored = OrgSelfFields {
        level: l.self_level.clone(),
        text: None,
        sub_units_disciplined: Some(l.sub_units_disciplined.to_string()),
        targets: Some(l.targets.to_string()),
        targets_met: Some(l.targets_met.to_string()),
        version: None,
    };
    let f = f.cloned().unwrap_or(stored);
    let mut fields = vec![
        Field::hidden("version", &l.version.to_string()),
        Field::select("level", t.review_propose, &f.level, level_choices(lang), Some("")),
        Field::text("text", t.review_org_text, &f.text).kind(Kind::TextArea),
        number("sub_units_disciplined".into(), t.review_sub_disciplined, f.sub_units_disciplined.clone()),
        number("targets".into(), t.review_targets, f.targets.clone()),
        number("targets_met".into(), t.review_targets_met, f.targets_met.clone()),
    ];
    let general = place_errors(&mut fields, errors, lang);
    Ok(FormPage {
        c: ctx.chrome(t.review_org_self),
        t,
        heading: t.review_org_self.to_string(),
        intro: format!("{} · {}", line.name, period_label(&view.round.period)),
        action: format!("/reviews/{id}/orgs/{org}"),
        fields,
        general,
        submit: t.review_save,
        cancel: format!("/reviews/{id}"),
    })
}

pub async fn org_self_form(
    S(state): S<State>,
    ctx: Ctx,
    Path((id, org)): Path<(String, String)>,
) -> Result<FormPage, UiError> {
    let (id, org) = (bad_id(&ctx, &id)?, bad_id(&ctx, &org)?);
    org_self_page(&state, &ctx, id, org, None, &Validation::default()).await
}

pub async fn org_self(
    S(state): S<State>,
    ctx: Ctx,
    Path((id, org)): Path<(String, String)>,
    form: Posted,
) -> Result<Response, UiError> {
    let (id, org) = (bad_id(&ctx, &id)?, bad_id(&ctx, &org)?);
    ctx.check_csrf(&form)?;
    let f: OrgSelfFields = form.to();
    let outcome = match f.parse() {
        Ok(input) => state.app.org_self_assess(&ctx.viewer, id, org, &input).await.map(|_| ()),
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/reviews/{id}?at={org}")).into_response()),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            Ok((status, org_self_page(&state, &ctx, id, org, Some(&f), &errors).await?).into_response())
        }
    }
}
