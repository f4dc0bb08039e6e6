//! Work lists of an organisation: probations ending or overdue for recognition, party badges
//! due on an award date with the action to record each as awarded; and a member's badges (a
//! page with the award form, and a fragment the member page loads).

use super::candidates::org_of;
use super::form::SavedQuery;
use super::form::{Field, Opt, place_errors};
use super::page::{Chrome, Ctx, Posted, UiError, form_errors, parse_id, qs, safe_next};
use super::text::Texts;
use super::view::Link;
use crate::State;
use crate::admission_input::{AwardFields, award_date};
use crate::input::{DateStyle, Flag};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State as S};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_access::domain::date::{add_months, format_vn};
use chibo_access::domain::life::probation::ProbationStatus;
use chibo_access::domain::life::{PartyAge, award_dates_between, next_award_date};
use chibo_access::domain::rules;
use chibo_access::{BadgeAward, Lang, MemberView, ProbationItem, Problem, Validation};
use serde::Deserialize;

/// "Huy hiệu 30 năm tuổi Đảng" / "30-year badge".
fn badge_label(lang: Lang, years: impl std::fmt::Display) -> String {
    match lang {
        Lang::Vi => format!("Huy hiệu {years} năm tuổi Đảng"),
        Lang::En => format!("{years}-year Party badge"),
    }
}

fn party_age(t: &Texts, a: Option<PartyAge>) -> String {
    a.map(|a| format!("{} {} {} {}", a.years, t.years, a.months, t.months)).unwrap_or_default()
}

/// One probationer: to consider now, or with the probation running.
pub struct ProbationRow {
    pub member_id: String,
    pub name: String,
    pub admission_date: String,
    pub status: &'static str,
    pub dates: String,
    pub overdue: bool,
    /// The probation has ended or ends soon: the cell considers recognition.
    pub to_consider: bool,
}

/// The columns of the probation list, on the page (both sections), in print and in the
/// spreadsheet.
fn probation_headers(t: &Texts) -> [&'static str; 4] {
    [t.full_name, t.admission_date, t.status, t.probation_dates]
}

impl ProbationRow {
    fn of(t: &Texts, p: &ProbationItem) -> ProbationRow {
        let ended = |on, deadline| {
            format!("{}: {} · {}: {}", t.probation_ends_on, format_vn(on), t.recognition_deadline, format_vn(deadline))
        };
        let (status, dates, overdue) = match p.status {
            ProbationStatus::Running { ends_on } => {
                (t.probation_running, format!("{}: {}", t.probation_ends_on, format_vn(ends_on)), false)
            }
            ProbationStatus::EndingSoon { ends_on } => {
                (t.probation_ending, format!("{}: {}", t.probation_ends_on, format_vn(ends_on)), false)
            }
            ProbationStatus::AwaitingDecision { ended_on, deadline } => {
                (t.probation_awaiting, ended(ended_on, deadline), false)
            }
            ProbationStatus::Overdue { ended_on, deadline } => (t.probation_overdue, ended(ended_on, deadline), true),
        };
        ProbationRow {
            member_id: p.member_id.to_string(),
            name: p.full_name.clone(),
            admission_date: format_vn(p.admission_date),
            status,
            dates,
            overdue,
            to_consider: !matches!(p.status, ProbationStatus::Running { .. }),
        }
    }

    /// The cells of the spreadsheet, in the order of [`probation_headers`].
    fn cells(&self) -> Vec<String> {
        vec![self.name.clone(), self.admission_date.clone(), self.status.to_string(), self.dates.clone()]
    }
}

/// The probationers of a list: those to consider first, then those whose probation runs.
fn probation_rows(t: &Texts, list: &[ProbationItem]) -> (Vec<ProbationRow>, Vec<ProbationRow>) {
    list.iter().map(|p| ProbationRow::of(t, p)).partition(|r| r.to_consider)
}

/// A section of the probation page: its heading, a note, what it says when empty, its rows.
pub struct ProbationSection {
    pub id: &'static str,
    pub heading: &'static str,
    pub note: &'static str,
    pub empty: &'static str,
    pub rows: Vec<ProbationRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "probation.html")]
pub struct ProbationPage {
    c: Chrome,
    t: &'static Texts,
    org: Link,
    headers: [&'static str; 4],
    /// Those to consider, then those whose probation runs (not yet to consider).
    sections: [ProbationSection; 2],
}

pub async fn probation(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<ProbationPage, UiError> {
    let ov = org_of(&state, &ctx, &id).await?;
    // Those to consider first, then every other probationer (the list never looks empty while
    // the organisation has probationers).
    let list = state.app.probationers(&ctx.viewer, ov.org.id).await.map_err(|p| ctx.fail(p))?;
    let t = ctx.t;
    let (due, running) = probation_rows(t, &list);
    Ok(ProbationPage {
        c: ctx.chrome(t.probation_link),
        t,
        org: Link { href: format!("/orgs/{}", ov.org.id), text: ov.org.input.name.clone() },
        headers: probation_headers(t),
        sections: [
            ProbationSection {
                id: "due",
                heading: t.probation_due_heading,
                note: t.probation_note,
                empty: t.no_probation,
                rows: due,
            },
            ProbationSection {
                id: "running",
                heading: t.probation_running_heading,
                note: "",
                empty: t.no_probation_running,
                rows: running,
            },
        ],
    })
}

/// A badge due, with what its "awarded" form sends.
pub struct DueView {
    pub years: i32,
    pub label: String,
    pub reached_on: String,
    /// "truy tặng" when the badge is due early, posthumously; else empty.
    pub mark: &'static str,
}

impl DueView {
    /// The date the party age was reached, with the early mark: as the page and the sheet say.
    pub fn reached(&self) -> String {
        if self.mark.is_empty() { self.reached_on.clone() } else { format!("{} · {}", self.reached_on, self.mark) }
    }
}

pub struct BadgeRow {
    pub member_id: String,
    pub name: String,
    pub party_age: String,
    pub due: Vec<DueView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "badges.html")]
pub struct BadgesPage {
    c: Chrome,
    t: &'static Texts,
    org: Link,
    org_id: String,
    award_on: String,
    xlsx: String,
    headers: [&'static str; 4],
    dates: Vec<Opt>,
    rows: Vec<BadgeRow>,
    truncated: bool,
    /// The award date has come and the viewer may write: each due badge can be recorded.
    can_record: bool,
    future: bool,
    /// Where an award form comes back to.
    back: String,
    general: Vec<String>,
    saved: bool,
}

#[derive(Deserialize, Default)]
pub struct AwardQuery {
    award_on: Option<String>,
    saved: Option<String>,
}

/// The award dates offered: from a year back to a year ahead, and the one shown.
fn date_choices(on: time::Date, today: time::Date) -> Vec<Opt> {
    let mut dates = award_dates_between(add_months(today, -12), add_months(today, 12));
    if !dates.contains(&on) {
        dates.push(on);
        dates.sort();
    }
    dates.into_iter().map(|d| Opt { value: d.to_string(), label: format_vn(d), selected: d == on }).collect()
}

/// The columns of the badge list, on the page and in the spreadsheet.
fn badge_headers(t: &Texts) -> [&'static str; 4] {
    [t.full_name, t.party_age, t.badge_column, t.reached_column]
}

fn badge_rows(t: &'static Texts, lang: Lang, list: &chibo_access::BadgeList) -> Vec<BadgeRow> {
    list.items
        .iter()
        .map(|i| BadgeRow {
            member_id: i.member_id.to_string(),
            name: i.full_name.clone(),
            party_age: party_age(t, i.party_age),
            due: i
                .due
                .iter()
                .map(|d| DueView {
                    years: d.years,
                    label: badge_label(lang, d.years),
                    reached_on: format_vn(d.reached_on),
                    mark: if d.early { t.early_posthumous } else { "" },
                })
                .collect(),
        })
        .collect()
}

pub async fn badges(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<AwardQuery>,
) -> Result<BadgesPage, UiError> {
    let ov = org_of(&state, &ctx, &id).await?;
    let (t, lang) = (ctx.t, ctx.lang);
    let today = ctx.today();
    let next = next_award_date(today);
    let (on, list) = match award_date(&q.award_on, next) {
        Ok(on) => (on, state.app.badge_worklist(&ctx.viewer, ov.org.id, on).await),
        Err(v) => (next, Err(Problem::Invalid(v))),
    };
    let (list, general) = match list {
        Ok(l) => (Some(l), Vec::new()),
        Err(Problem::Invalid(v)) => (None, place_errors(&mut [], &v, lang)),
        Err(p) => return Err(ctx.fail(p)),
    };
    let rows = list.as_ref().map(|l| badge_rows(t, lang, l)).unwrap_or_default();
    Ok(BadgesPage {
        c: ctx.chrome(t.badges_link),
        t,
        org: Link { href: format!("/orgs/{}", ov.org.id), text: ov.org.input.name.clone() },
        org_id: ov.org.id.to_string(),
        award_on: format_vn(on),
        xlsx: format!("/orgs/{}/badges.xlsx?award_on={}", ov.org.id, qs(&on.to_string())),
        headers: badge_headers(t),
        dates: date_choices(on, today),
        rows,
        truncated: list.as_ref().is_some_and(|l| l.truncated),
        can_record: ov.can_write && on <= today,
        future: on > today,
        back: format!("/orgs/{}/badges?award_on={}", ov.org.id, qs(&on.to_string())),
        general,
        saved: q.saved.is_some(),
    })
}

/// `GET /orgs/{id}/badges.xlsx?award_on=`: the badges due on an award date, a line per badge,
/// with the page's columns.
pub async fn badges_xlsx(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<AwardQuery>,
) -> Result<axum::response::Response, UiError> {
    let id = super::page::parse_id(&ctx, &id)?;
    let (t, lang) = (ctx.t, ctx.lang);
    let on = award_date(&q.award_on, next_award_date(ctx.today())).map_err(|v| ctx.fail(Problem::Invalid(v)))?;
    let list = state.app.badge_worklist(&ctx.viewer, id, on).await.map_err(|p| ctx.fail(p))?;
    let rows = badge_rows(t, lang, &list)
        .into_iter()
        .flat_map(|r| {
            r.due
                .into_iter()
                .map(move |d| vec![r.name.clone(), r.party_age.clone(), d.label.clone(), d.reached()])
                .collect::<Vec<_>>()
        })
        .collect();
    let sheet = chibo_access::ListSheet {
        what: "badges.export",
        title: ("DANH SÁCH ĐẢNG VIÊN ĐẾN HẠN NHẬN HUY HIỆU ĐẢNG", "MEMBERS DUE A PARTY BADGE"),
        detail: format!("{} {}", t.award_on, format_vn(on)),
        headers: badge_headers(t).map(str::to_string).to_vec(),
        rows,
        note: if list.truncated { t.badges_truncated.to_string() } else { String::new() },
    };
    let bytes = state.app.list_xlsx(&ctx.viewer, id, sheet).await.map_err(|p| ctx.fail(p))?;
    Ok(crate::attachment::attachment("Huy hiệu Đảng đến hạn.xlsx", crate::attachment::XLSX, bytes))
}

/// A badge awarded, for display.
pub struct AwardRow {
    pub label: String,
    pub award_on: String,
    pub decision_number: String,
    pub early: &'static str,
}

fn award_rows(t: &Texts, lang: Lang, list: &[BadgeAward]) -> Vec<AwardRow> {
    list.iter()
        .map(|b| AwardRow {
            label: badge_label(lang, b.years),
            award_on: format_vn(b.award_on),
            decision_number: b.decision_number.clone().unwrap_or_default(),
            early: match b.early.as_deref() {
                Some("ill") => t.early_ill,
                Some(_) => t.early_posthumous,
                None => "",
            },
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "member_badges_fragment.html")]
pub struct BadgesFragment {
    t: &'static Texts,
    id: String,
    awards: Vec<AwardRow>,
}

/// The badges of a member, for the member page (htmx).
pub async fn member_badges_fragment(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<BadgesFragment, UiError> {
    let id = parse_id(&ctx, &id)?;
    let list = state.app.badges_of(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    Ok(BadgesFragment { t: ctx.t, id: id.to_string(), awards: award_rows(ctx.t, ctx.lang, &list) })
}

#[derive(Template, WebTemplate)]
#[template(path = "member_badges.html")]
pub struct MemberBadgesPage {
    c: Chrome,
    t: &'static Texts,
    id: String,
    name: String,
    org: Link,
    awards: Vec<AwardRow>,
    /// The award form, for those who may write the record.
    fields: Option<Vec<Field>>,
    general: Vec<String>,
    saved: bool,
}

fn award_fields(t: &'static Texts, lang: Lang, f: &AwardFields, today: time::Date) -> Vec<Field> {
    let milestones = rules::in_force(rules::BADGES, today).map_or(&[][..], |r| r.value.milestones);
    let choices = milestones.iter().map(|y| (y.to_string(), badge_label(lang, y)));
    vec![
        Field::select("years", t.badge_years, &f.years, choices, Some(t.choose)).required(),
        Field::date("award_on", t.award_on, &f.award_on).required(),
        Field::text("decision_number", t.decision_number, &f.decision_number),
        Field::checkbox("ill", t.ill, f.ill.is_set()),
    ]
}

async fn member_badges_page(
    state: &State,
    ctx: &Ctx,
    mv: &MemberView,
    f: &AwardFields,
    errors: &Validation,
    saved: bool,
) -> Result<MemberBadgesPage, UiError> {
    let m = &mv.member;
    let list = state.app.badges_of(&ctx.viewer, m.id).await.map_err(|p| ctx.fail(p))?;
    let mut fields = mv.can_write.then(|| award_fields(ctx.t, ctx.lang, f, ctx.today()));
    let general = place_errors(fields.as_deref_mut().unwrap_or_default(), errors, ctx.lang);
    Ok(MemberBadgesPage {
        c: ctx.chrome(format!("{} · {}", ctx.t.badges_link, m.full_name)),
        t: ctx.t,
        id: m.id.to_string(),
        name: m.full_name.clone(),
        org: Link { href: format!("/orgs/{}", mv.org.id), text: mv.org.input.name.clone() },
        awards: award_rows(ctx.t, ctx.lang, &list),
        fields,
        general,
        saved,
    })
}

pub async fn member_badges(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<MemberBadgesPage, UiError> {
    let id = parse_id(&ctx, &id)?;
    let mv = state.app.member(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    let f = AwardFields { award_on: Some(format_vn(ctx.today())), ill: Flag::Missing, ..AwardFields::default() };
    member_badges_page(&state, &ctx, &mv, &f, &Validation::default(), q.saved.is_some()).await
}

/// Record a badge awarded (from the member's badges page or a work list, which `next` names);
/// a refusal shows the member's badges page with the form and its errors.
pub async fn award(S(state): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    let mv = state.app.member(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    ctx.check_csrf(&form)?;
    let f: AwardFields = form.to();
    let outcome = match f.parse(DateStyle::Vietnamese) {
        Ok(a) => state.app.award_badge(&ctx.viewer, id, &a).await,
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(_) => {
            let to = match form.get("next") {
                Some(next) => {
                    let next = safe_next(Some(next));
                    format!("{next}{}saved=1", if next.contains('?') { '&' } else { '?' })
                }
                None => format!("/members/{id}/badges?saved=1"),
            };
            Ok(Redirect::to(&to).into_response())
        }
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            let page = member_badges_page(&state, &ctx, &mv, &f, &errors, false).await?;
            Ok((status, page).into_response())
        }
    }
}

/// `GET /orgs/{id}/probation.xlsx`: every probationer of the subtree as a spreadsheet, those to
/// consider first, with the page's columns.
pub async fn probation_xlsx(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<axum::response::Response, UiError> {
    let id = super::page::parse_id(&ctx, &id)?;
    let list = state.app.probationers(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    let t = ctx.t;
    let (due, running) = probation_rows(t, &list);
    let sheet = chibo_access::ListSheet {
        what: "probation.export",
        title: ("DANH SÁCH ĐẢNG VIÊN DỰ BỊ", "PROBATIONARY MEMBERS"),
        detail: String::new(),
        headers: probation_headers(t).map(str::to_string).to_vec(),
        rows: due.iter().chain(&running).map(ProbationRow::cells).collect(),
        note: String::new(),
    };
    let bytes = state.app.list_xlsx(&ctx.viewer, id, sheet).await.map_err(|p| ctx.fail(p))?;
    Ok(crate::attachment::attachment("Đảng viên dự bị.xlsx", crate::attachment::XLSX, bytes))
}
