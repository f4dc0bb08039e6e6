//! The annual review's pages: an organisation's rounds and the form that opens one
//! (`/orgs/{id}/reviews`), a round seen from an organisation of its subtree with what waits
//! (`/reviews/{id}?at=`), closing it, and the figures with their drill-down and the summary
//! table (`/orgs/{id}/review-figures`, `.xlsx`). The forms of the steps are in
//! `review_forms.rs`.

use super::form::{Field, Kind, place_errors};
use super::page::{Chrome, Ctx, Posted, UiError, form_errors, parse_id, qs};
use super::text::Texts;
use crate::State;
use crate::api::review::period_or_year;
use crate::attachment::{XLSX, attachment};
use crate::input::DateStyle;
use crate::review_input::RoundFields;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State as S};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_access::domain::access::{Action, Target};
use chibo_access::domain::date::format_vn;
use chibo_access::domain::review::{Level, RoundKind};
use chibo_access::{
    Lang, MemberReviewLine, OrgReviewLine, Problem, Round, Validation, period_label, summary_headers, summary_rows_of,
};
use serde::Deserialize;
use uuid::Uuid;

/// A level's label, or empty.
pub(crate) fn level_label(code: &Option<String>, lang: Lang) -> String {
    code.as_deref().and_then(Level::parse).map(|l| l.label(lang).to_string()).unwrap_or_default()
}

/// The choices of a level select.
pub(crate) fn level_choices(lang: Lang) -> Vec<(String, String)> {
    Level::ALL.iter().map(|l| (l.code().to_string(), l.label(lang).to_string())).collect()
}

/// A round as listed.
pub struct RoundRow {
    href: String,
    period: String,
    kind: String,
    status: String,
    deadlines: String,
}

fn round_row(r: &Round, lang: Lang) -> RoundRow {
    RoundRow {
        href: format!("/reviews/{}", r.id),
        period: period_label(&r.period),
        kind: r.kind.label(lang).to_string(),
        status: r.status.label(lang).to_string(),
        deadlines: format!("{} · {} · {}", format_vn(r.self_due), format_vn(r.cell_due), format_vn(r.decision_due)),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "review_rounds.html")]
pub struct RoundsPage {
    c: Chrome,
    t: &'static Texts,
    id: Uuid,
    name: String,
    rounds: Vec<RoundRow>,
    fields: Vec<Field>,
    general: Vec<String>,
    year: i32,
}

fn open_fields(t: &Texts, lang: Lang, f: &RoundFields, errors: &Validation) -> (Vec<Field>, Vec<String>) {
    let kinds = RoundKind::ALL.iter().map(|k| (k.code().to_string(), k.label(lang).to_string()));
    let mut fields = vec![
        Field::select("kind", t.review_kind, &f.kind, kinds, None).required(),
        Field::date("first_day", t.review_first_day, &f.first_day).required(),
        Field::date("last_day", t.review_last_day, &f.last_day).required(),
        Field::date("self_due", t.review_self_due, &f.self_due).required(),
        Field::date("cell_due", t.review_cell_due, &f.cell_due).required(),
        Field::date("decision_due", t.review_decision_due, &f.decision_due).required(),
    ];
    let general = place_errors(&mut fields, errors, lang);
    (fields, general)
}

async fn rounds_page(
    state: &State,
    ctx: &Ctx,
    id: Uuid,
    f: &RoundFields,
    errors: &Validation,
) -> Result<RoundsPage, UiError> {
    let ov = state.app.org(&ctx.viewer, id, true).await.map_err(|p| ctx.fail(p))?;
    let rounds = state.app.review_rounds(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    let (fields, general) =
        if ov.can_write { open_fields(ctx.t, ctx.lang, f, errors) } else { (Vec::new(), Vec::new()) };
    Ok(RoundsPage {
        c: ctx.chrome(format!("{} · {}", ctx.t.review_rounds, ov.org.input.name)),
        t: ctx.t,
        id,
        name: ov.org.input.name.clone(),
        rounds: rounds.iter().map(|r| round_row(r, ctx.lang)).collect(),
        fields,
        general,
        year: ctx.today().year(),
    })
}

/// The rounds of an organisation and, for a writer, the form that opens one (a whole year by
/// default).
pub async fn rounds(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<RoundsPage, UiError> {
    let id = parse_id(&ctx, &id)?;
    let y = ctx.today().year();
    let f = RoundFields {
        kind: Some("year".into()),
        first_day: Some(format!("01/01/{y}")),
        last_day: Some(format!("31/12/{y}")),
        self_due: Some(format!("05/12/{y}")),
        cell_due: Some(format!("15/12/{y}")),
        decision_due: Some(format!("31/12/{y}")),
    };
    rounds_page(&state, &ctx, id, &f, &Validation::default()).await
}

pub async fn open(S(state): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    ctx.check_csrf(&form)?;
    let f: RoundFields = form.to();
    let outcome = match f.parse(DateStyle::Vietnamese) {
        Ok(input) => state.app.open_review(&ctx.viewer, id, &input).await,
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(r) => Ok(Redirect::to(&format!("/reviews/{}", r.id)).into_response()),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            Ok((status, rounds_page(&state, &ctx, id, &f, &errors).await?).into_response())
        }
    }
}

/// A member's row in a round's table.
pub struct MemberRow {
    href: String,
    name: String,
    cell: String,
    attended: String,
    unexcused: u32,
    disciplined: String,
    score: String,
    self_level: String,
    cell_level: String,
    level: String,
    note: String,
}

pub(crate) fn member_row(round: Uuid, m: &MemberReviewLine, t: &Texts, lang: Lang) -> MemberRow {
    let l = &m.line;
    let caps: Vec<String> = m
        .caps
        .iter()
        .map(|c| format!("{} ({} {})", c.reason.label(lang), t.review_at_most, c.ceiling.abbreviation()))
        .collect();
    MemberRow {
        href: format!("/reviews/{round}/members/{}", l.member_id),
        name: m.full_name.clone(),
        cell: m.cell_name.clone(),
        attended: format!("{}/{}", m.facts.meetings_attended, m.facts.meetings_expected),
        unexcused: m.facts.unexcused,
        disciplined: m.facts.disciplined.iter().map(|d| format_vn(d.on)).collect::<Vec<_>>().join(", "),
        score: l.score.map(|s| s.to_string()).unwrap_or_default(),
        self_level: level_label(&l.self_level, lang),
        cell_level: level_label(&l.cell_level, lang),
        level: level_label(&l.level, lang),
        note: m.not_rated.map(|n| n.label(lang).to_string()).into_iter().chain(caps).collect::<Vec<_>>().join("; "),
    }
}

/// An organisation's row in a round's table.
pub struct OrgRow {
    name: String,
    kind: String,
    decider: String,
    self_level: String,
    level: String,
    note: String,
    self_href: Option<String>,
}

fn org_row(round: Uuid, o: &OrgReviewLine, lang: Lang, may_write: bool) -> OrgRow {
    let l = &o.line;
    let note = l
        .not_rated
        .as_deref()
        .and_then(chibo_access::domain::review::NotRated::parse)
        .map(|n| n.label(lang).to_string())
        .into_iter()
        .chain(o.caps.iter().map(|c| c.reason.label(lang).to_string()))
        .collect::<Vec<_>>()
        .join("; ");
    OrgRow {
        name: o.name.clone(),
        kind: o.kind.label(lang).to_string(),
        decider: o.decider_name.clone(),
        self_level: level_label(&l.self_level, lang),
        level: level_label(&l.level, lang),
        note,
        self_href: (may_write && l.level.is_none()).then(|| format!("/reviews/{round}/orgs/{}", l.org_id)),
    }
}

/// A link with a count (a work list line).
pub struct Counted {
    href: String,
    name: String,
    count: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "review_round.html")]
pub struct RoundPage {
    c: Chrome,
    t: &'static Texts,
    id: Uuid,
    at_id: Uuid,
    at_name: String,
    top_name: String,
    period: String,
    status: String,
    rules: String,
    quota: String,
    deadlines: String,
    members: Vec<MemberRow>,
    too_many: bool,
    orgs: Vec<OrgRow>,
    cells: Vec<Counted>,
    bases: Vec<Counted>,
    not_self: i64,
    plans_overdue: usize,
    /// The cell's proposals (when seen from a cell), the decision page (from a base
    /// organisation or a committee that decides organisations).
    cell_href: Option<String>,
    decide_href: Option<String>,
    may_close: bool,
    version: i64,
    figures: String,
    children: Vec<Counted>,
}

#[derive(Deserialize, Default)]
pub struct AtQuery {
    at: Option<String>,
}

/// A round seen from an organisation of its subtree, with what waits there.
pub async fn round(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<AtQuery>,
) -> Result<RoundPage, UiError> {
    let id = parse_id(&ctx, &id)?;
    let at = q.at.as_deref().filter(|s| !s.is_empty()).map(|s| parse_id(&ctx, s)).transpose()?;
    let (t, lang) = (ctx.t, ctx.lang);
    let view = state.app.review_round(&ctx.viewer, id, at).await.map_err(|p| ctx.fail(p))?;
    let w = state.app.review_worklist(&ctx.viewer, id, at).await.map_err(|p| ctx.fail(p))?;
    let r = &view.round;
    let open = r.status == chibo_access::domain::review::RoundStatus::Open;
    let counted = |list: &[chibo_access::NamedCount], path: &str| -> Vec<Counted> {
        list.iter()
            .map(|n| Counted {
                href: format!("/reviews/{id}/{path}/{}", n.org_id),
                name: n.name.clone(),
                count: n.count,
            })
            .collect()
    };
    let children = state.app.org(&ctx.viewer, view.at.id, false).await.map(|o| o.children).unwrap_or_default();
    let quota = match (r.quota_num, r.quota_den) {
        (Some(n), Some(d)) if d > 0 => format!("{}{}", n * 100 / d, t.review_quota_of),
        _ => t.review_quota_none.to_string(),
    };
    Ok(RoundPage {
        c: ctx.chrome(format!("{} · {}", t.review_link, period_label(&r.period))),
        t,
        id,
        at_id: view.at.id,
        at_name: view.at.input.name.clone(),
        top_name: view.top.input.name.clone(),
        period: period_label(&r.period),
        status: r.status.label(lang).to_string(),
        rules: r.rules_source.clone(),
        quota,
        deadlines: format!(
            "{} {} · {} {} · {} {}",
            t.review_self_due,
            format_vn(r.self_due),
            t.review_cell_due,
            format_vn(r.cell_due),
            t.review_decision_due,
            format_vn(r.decision_due)
        ),
        members: view.members.iter().map(|m| member_row(id, m, t, lang)).collect(),
        too_many: view.too_many,
        orgs: view
            .orgs
            .iter()
            .map(|o| org_row(id, o, lang, ctx.viewer.may(Action::Write, Target::Org { path: &view.at.path })))
            .collect(),
        cells: counted(&w.cells_without_opinion, "cells"),
        bases: counted(&w.awaiting_decision, "bases"),
        not_self: w.not_self_assessed_count,
        plans_overdue: w.plans_overdue.len(),
        cell_href: view.at.kind().is_cell().then(|| format!("/reviews/{id}/cells/{}", view.at.id)),
        decide_href: (!view.at.kind().is_cell() || view.members.iter().any(|m| m.line.base_id == view.at.id))
            .then(|| format!("/reviews/{id}/bases/{}", view.at.id)),
        may_close: open
            && ctx.viewer.may(Action::Write, Target::Org { path: &view.top.path })
            && view.at.id == view.top.id,
        version: r.version,
        figures: format!("/orgs/{}/review-figures?period={}", view.at.id, qs(&r.period)),
        children: children
            .iter()
            .map(|o| Counted {
                href: format!("/reviews/{id}?at={}", o.id),
                name: o.input.name.clone(),
                count: o.stats.members,
            })
            .collect(),
    })
}

pub async fn close(S(state): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    ctx.check_csrf(&form)?;
    let version = form.get("version").and_then(|v| v.parse().ok()).unwrap_or(0);
    state.app.close_review(&ctx.viewer, id, version).await.map_err(|p| ctx.fail(p))?;
    Ok(Redirect::to(&format!("/reviews/{id}")).into_response())
}

/// A row of the figures: the subject and its counts and shares.
pub struct FigureRow {
    who: String,
    cells: Vec<String>,
}

pub struct ChildRow {
    href: String,
    name: String,
    rows: Vec<FigureRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "review_figures.html")]
pub struct FiguresPage {
    c: Chrome,
    t: &'static Texts,
    id: Uuid,
    name: String,
    label: String,
    headers: [&'static str; 10],
    rows: Vec<FigureRow>,
    children: Vec<ChildRow>,
    periods: Vec<(String, String, bool)>,
    target: String,
    xlsx: String,
}

#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    period: Option<String>,
}

/// The figures of a subtree for a period: the same columns as the summary table, then each
/// organisation below (drill-down to its own figures).
pub async fn figures(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<FiguresPage, UiError> {
    let id = parse_id(&ctx, &id)?;
    let (t, lang) = (ctx.t, ctx.lang);
    let period = period_or_year(&q.period, ctx.today());
    let f = state.app.review_figures(&ctx.viewer, id, &period).await.map_err(|p| ctx.fail(p))?;
    let to_rows = |rows: Vec<Vec<String>>| -> Vec<FigureRow> {
        rows.into_iter().map(|mut r| FigureRow { who: r.remove(1), cells: r.into_iter().skip(1).collect() }).collect()
    };
    let own = summary_rows_of(&f.org.input.name, &f.tallies, lang);
    let children = f
        .children
        .iter()
        .map(|(o, tallies)| ChildRow {
            href: format!("/orgs/{}/review-figures?period={}", o.id, qs(&period)),
            name: o.input.name.clone(),
            rows: to_rows(summary_rows_of(&o.input.name, tallies, lang)),
        })
        .collect();
    let members = f.tallies.get(&chibo_access::domain::review::Subject::Member);
    let target = match (f.targets, members.and_then(|m| f.targets.and_then(|tg| m.meets(&tg)))) {
        (Some(tg), Some(met)) => format!(
            "{} {}% · {}",
            t.review_target,
            tg.completed_over.percent_text(),
            if met { t.review_target_met } else { t.review_target_missed }
        ),
        (Some(tg), None) => format!("{} {}%", t.review_target, tg.completed_over.percent_text()),
        _ => String::new(),
    };
    let mut periods: Vec<(String, String, bool)> =
        f.periods.iter().map(|p| (p.clone(), period_label(p), *p == period)).collect();
    if !periods.iter().any(|p| p.2) {
        periods.insert(0, (period.clone(), period_label(&period), true));
    }
    Ok(FiguresPage {
        c: ctx.chrome(format!("{} · {}", t.review_figures, f.org.input.name)),
        t,
        id,
        name: f.org.input.name.clone(),
        label: f.period_label.clone(),
        xlsx: format!("/orgs/{id}/review-figures.xlsx?period={}", qs(&period)),
        headers: summary_headers(lang),
        rows: to_rows(own),
        children,
        periods,
        target,
    })
}

pub async fn figures_xlsx(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    let bytes = state
        .app
        .review_figures_xlsx(&ctx.viewer, id, &period_or_year(&q.period, ctx.today()))
        .await
        .map_err(|p| ctx.fail(p))?;
    Ok(attachment("Tổng hợp kết quả xếp loại.xlsx", XLSX, bytes))
}

/// The kind of a field, for templates that build their own rows.
pub(crate) fn number(name: String, label: &'static str, value: Option<String>) -> Field {
    Field::text(name, label, &value).kind(Kind::Number)
}
