//! Cell meetings (*sinh hoạt chi bộ*): a cell's meetings of a year with the scheduling form, a
//! meeting's page (plan, roll, documents, notices, corrections, the actions of its state), the
//! plan's form, approval and cancellation, documents, the secretary's answer to notices, and
//! the yearly plan of thematic topics.

use super::form::{Field, FormPage, Kind, Opt, SavedQuery, place_errors};
use super::page::{Chrome, Ctx, Posted, UiError, form_errors, parse_id};
use super::text::Texts;
use super::view::{self, Item, Link, item};
use crate::State;
use crate::input::DateStyle;
use crate::meeting_input::{MeetingFields, TopicFields, reason};
use askama::Template;
use askama_web::WebTemplate;
use axum::body::Body;
use axum::extract::{Path, Query, State as S};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_access::domain::date::format_vn;
use chibo_access::domain::meeting::{Mark, MeetingKind, MeetingStatus, Rating, Share};
use chibo_access::domain::member::MemberStatus;
use chibo_access::{Lang, Meeting, MeetingView, OrgView, Problem, Topic, Validation};
use serde::Deserialize;
use uuid::Uuid;

// ---- Shared by the meeting pages ----

pub(super) fn kind_label(m: &Meeting, lang: Lang) -> &'static str {
    m.kind.label(lang)
}

pub(super) fn rating_text(m: &Meeting, t: &Texts, lang: Lang) -> String {
    match (m.rating.as_deref().and_then(Rating::parse), m.score) {
        (Some(r), Some(s)) => format!("{} ({s} {})", r.label(lang), t.points),
        (Some(r), None) => r.label(lang).to_string(),
        _ => String::new(),
    }
}

/// A share as "97,5% (39/40)" (Vietnamese decimal comma) or "—" when nothing is measured.
pub(super) fn share_text(s: Share, lang: Lang, t: &Texts) -> String {
    match s.percent() {
        None => format!("— ({})", t.nothing_to_measure),
        Some(p) => {
            let mut n = format!("{p:.1}");
            if n.ends_with(".0") {
                n.truncate(n.len() - 2);
            }
            if lang == Lang::Vi {
                n = n.replace('.', ",");
            }
            format!("{n}% ({}/{})", s.num, s.den)
        }
    }
}

/// "Sinh hoạt thường kỳ — 05/09/2025".
pub(super) fn heading(m: &Meeting, lang: Lang) -> String {
    format!("{} — {}", kind_label(m, lang), format_vn(m.held_on))
}

/// The meeting's cell and its page of meetings, for breadcrumbs.
pub(super) fn crumbs(view: &MeetingView, t: &Texts) -> Vec<Link> {
    let cell = &view.cell;
    vec![
        Link { href: format!("/orgs/{}", cell.id), text: cell.input.name.clone() },
        Link {
            href: format!("/orgs/{}/meetings?year={}", cell.id, view.meeting.held_on.year()),
            text: t.meetings.into(),
        },
    ]
}

pub(super) async fn load(state: &State, ctx: &Ctx, raw: &str) -> Result<MeetingView, UiError> {
    let id = parse_id(ctx, raw)?;
    state.app.meeting(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))
}

/// A meeting the viewer may change (not approved, not cancelled).
pub(super) async fn writable(state: &State, ctx: &Ctx, raw: &str) -> Result<MeetingView, UiError> {
    let view = load(state, ctx, raw).await?;
    if !view.may_write {
        return Err(ctx.fail(Problem::Forbidden));
    }
    match view.status {
        MeetingStatus::Approved => Err(ctx.fail(Problem::Forbidden).with_message(ctx.t.locked_note)),
        MeetingStatus::Cancelled => Err(ctx.fail(Problem::Forbidden)),
        _ => Ok(view),
    }
}

/// The day of the meeting has passed: changing what was recorded needs a reason.
pub(super) fn day_passed(m: &Meeting, today: time::Date) -> bool {
    m.held_on < today
}

fn kinds(lang: Lang) -> Vec<(String, String)> {
    MeetingKind::ALL.iter().map(|k| (k.code().to_string(), k.label(lang).to_string())).collect()
}

fn topic_choices(topics: &[Topic], t: &Texts) -> Vec<(String, String)> {
    topics.iter().map(|p| (p.id.to_string(), format!("{} {:02}/{}: {}", t.month, p.month, p.year, p.title))).collect()
}

/// The fields of a meeting's plan (scheduling and changes).
pub(super) fn plan_fields(ctx: &Ctx, f: &MeetingFields, topics: &[Topic], with_reason: bool) -> Vec<Field> {
    let t = ctx.t;
    let mut fields = vec![
        Field::select("kind", t.meeting_kind, &f.kind, kinds(ctx.lang), None).required(),
        Field::date("held_on", t.held_on, &f.held_on).required(),
        Field::text("starts_at", t.starts_at, &f.starts_at).kind(Kind::Time).hint(t.time_hint),
        Field::text("place", t.meeting_place, &f.place),
        Field::text("agenda", t.agenda, &f.agenda).kind(Kind::TextArea),
    ];
    if !topics.is_empty() || f.topic_id.as_deref().is_some_and(|s| !s.trim().is_empty()) {
        fields.push(Field::select("topic_id", t.topic, &f.topic_id, topic_choices(topics, t), Some(t.no_topic)));
    }
    fields.push(Field::text("guests", t.guests, &f.guests));
    if with_reason {
        fields.push(Field::text("reason", t.correction_reason, &f.reason).hint(t.correction_hint));
    }
    fields
}

// ---- A cell's meetings of a year, and scheduling ----

/// One meeting in a list.
pub struct MeetingRow {
    pub id: String,
    pub date: String,
    pub time: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub status_code: &'static str,
    pub attendance: String,
    pub rating: String,
    /// Another meeting of the same kind on the same day (*trùng buổi*).
    pub duplicate: bool,
}

impl MeetingRow {
    pub fn of(m: &Meeting, t: &Texts, lang: Lang) -> MeetingRow {
        let status = m.status;
        let a = m.counts().rate();
        MeetingRow {
            id: m.id.to_string(),
            date: format_vn(m.held_on),
            time: m.starts_at.clone().unwrap_or_default(),
            kind: kind_label(m, lang),
            status: status.label(lang),
            status_code: status.code(),
            attendance: if status.was_held() { format!("{}/{}", a.num, a.den) } else { String::new() },
            rating: rating_text(m, t, lang),
            duplicate: false,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "meetings.html")]
pub struct MeetingsPage {
    c: Chrome,
    t: &'static Texts,
    org: Link,
    org_id: String,
    year: i32,
    years: Vec<Opt>,
    rows: Vec<MeetingRow>,
    can_write: bool,
    can_list: bool,
    fields: Vec<Field>,
    general: Vec<String>,
    /// Months of the year without a held regular meeting ("03/2025").
    missed: Vec<String>,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    pub year: Option<String>,
}

/// The year of a page: the one asked for when valid, else the year of `today`.
pub(super) fn year_of(raw: &Option<String>, today: time::Date) -> i32 {
    crate::api::meetings::year_of(raw, today).unwrap_or(today.year())
}

/// The years offered around `year` (and `today`'s).
pub(super) fn years(year: i32, today: time::Date) -> Vec<Opt> {
    let now = today.year();
    let (from, to) = (year.min(now) - 3, year.max(now) + 1);
    (from..=to).rev().map(|y| Opt { value: y.to_string(), label: y.to_string(), selected: y == year }).collect()
}

async fn org_of(state: &State, ctx: &Ctx, raw: &str) -> Result<OrgView, UiError> {
    let id = parse_id(ctx, raw)?;
    state.app.org(&ctx.viewer, id, true).await.map_err(|p| ctx.fail(p))
}

async fn meetings_page(
    state: &State,
    ctx: &Ctx,
    ov: &OrgView,
    year: i32,
    f: &MeetingFields,
    errors: &Validation,
) -> Result<MeetingsPage, UiError> {
    let (t, lang, id) = (ctx.t, ctx.lang, ov.org.id);
    let mut list = state.app.meetings_of(&ctx.viewer, id, year).await.map_err(|p| ctx.fail(p))?;
    if year == ctx.today().year() {
        // Meetings already scheduled for next year (January's, planned in December) show too.
        let next = state.app.meetings_of(&ctx.viewer, id, year + 1).await.map_err(|p| ctx.fail(p))?;
        list.extend(next.into_iter().filter(|m| m.status == MeetingStatus::Scheduled));
    }
    let missed = match state.app.meeting_figures(&ctx.viewer, id, &year.to_string()).await {
        Ok(f) => f.cell.map(|c| c.missing_regular.iter().map(|(y, m)| format!("{m:02}/{y}")).collect()),
        Err(_) => None,
    }
    .unwrap_or_default();
    let topics = state.app.topics(&ctx.viewer, id, year).await.unwrap_or_default();
    let mut fields = plan_fields(ctx, f, &topics, false);
    let general = place_errors(&mut fields, errors, lang);
    Ok(MeetingsPage {
        c: ctx.chrome(format!("{}: {}", t.meetings, ov.org.input.name)),
        t,
        org: Link { href: format!("/orgs/{id}"), text: ov.org.input.name.clone() },
        org_id: id.to_string(),
        year,
        years: years(year, ctx.today()),
        rows: newest_first(&list, t, lang),
        missed,
        can_write: ov.can_write && !ov.org.is_dissolved(),
        can_list: ctx.viewer.check_list(&ov.org.path).is_ok(),
        fields,
        general,
    })
}

/// The rows of a list of meetings, newest first, a second meeting of the same kind on the same
/// day (not cancelled) flagged.
fn newest_first(list: &[Meeting], t: &Texts, lang: Lang) -> Vec<MeetingRow> {
    let live = |m: &&Meeting| m.status != MeetingStatus::Cancelled;
    let mut rows: Vec<(time::Date, MeetingRow)> = list
        .iter()
        .map(|m| {
            let mut row = MeetingRow::of(m, t, lang);
            row.duplicate =
                live(&m) && list.iter().filter(live).filter(|o| o.held_on == m.held_on && o.kind == m.kind).count() > 1;
            (m.held_on, row)
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.0));
    rows.into_iter().map(|(_, r)| r).collect()
}

/// A cell's meetings; another organisation's address leads to its figures.
pub async fn list(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Response, UiError> {
    let ov = org_of(&state, &ctx, &id).await?;
    if !ov.org.kind().is_cell() {
        return Ok(Redirect::to(&format!("/orgs/{}/meeting-figures", ov.org.id)).into_response());
    }
    let year = year_of(&q.year, ctx.today());
    let f = MeetingFields { kind: Some(MeetingKind::Regular.code().into()), ..MeetingFields::default() };
    Ok(meetings_page(&state, &ctx, &ov, year, &f, &Validation::default()).await?.into_response())
}

pub async fn schedule(S(state): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    let ov = org_of(&state, &ctx, &id).await?;
    ctx.check_csrf(&form)?;
    let f: MeetingFields = form.to();
    let outcome = match f.parse(DateStyle::Vietnamese) {
        Ok(input) => state.app.schedule_meeting(&ctx.viewer, ov.org.id, &input).await,
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(view) => Ok(Redirect::to(&format!("/meetings/{}?saved=1", view.meeting.id)).into_response()),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            let year = chibo_access::domain::date::parse_flexible(f.held_on.as_deref().unwrap_or(""))
                .map_or_else(|| ctx.today().year(), |d| d.year());
            Ok((status, meetings_page(&state, &ctx, &ov, year, &f, &errors).await?).into_response())
        }
    }
}

// ---- A meeting's page ----

/// One member of the roll.
pub struct RollRow {
    pub name: String,
    pub standing: String,
    pub mark: String,
    pub mark_code: &'static str,
    pub reason: String,
}

pub struct DocumentRow {
    pub id: String,
    pub name: String,
    pub size: String,
    pub by: String,
}

pub struct NoticeRow {
    pub member_id: String,
    pub name: String,
    pub reason: String,
    pub answer: &'static str,
}

pub struct CorrectionRow {
    pub at: String,
    pub by: String,
    pub reason: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "meeting.html")]
pub struct MeetingPage {
    c: Chrome,
    t: &'static Texts,
    id: String,
    crumbs: Vec<Link>,
    heading: String,
    status: &'static str,
    status_code: &'static str,
    saved: bool,
    /// Another live meeting of the same kind on the same day (*trùng buổi*).
    duplicate: bool,
    general: Vec<String>,
    plan: Vec<Item>,
    counts: Vec<Item>,
    rating: String,
    version: i64,
    can_write: bool,
    scheduled: bool,
    held: bool,
    approved: bool,
    /// Attendance can be recorded (the day has come).
    day_come: bool,
    /// The viewer sees the whole roll (and so the minutes).
    lists: bool,
    minutes_missing: Vec<&'static str>,
    roll: Vec<RollRow>,
    not_expected: Vec<RollRow>,
    /// The viewer's own line when they see no more of the roll (the member role).
    own: Vec<RollRow>,
    /// The viewer may tell an absence in advance here.
    may_notify: bool,
    documents: Vec<DocumentRow>,
    may_upload: bool,
    notices: Vec<NoticeRow>,
    may_answer: bool,
    corrections: Vec<CorrectionRow>,
}

impl DocumentRow {
    /// A document's line: its name, size and who uploaded it when.
    pub(super) fn new(id: Uuid, name: &str, size: i64, by: &str, at: time::OffsetDateTime) -> DocumentRow {
        DocumentRow {
            id: id.to_string(),
            name: name.to_string(),
            size: size_text(size),
            by: format!("{by} · {}", view::moment(at)),
        }
    }
}

pub(super) fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / 1024.0 / 1024.0)
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

fn standing_text(r: &chibo_access::RollLine, t: &Texts, lang: Lang) -> String {
    let mut s = r.standing.label(lang).to_string();
    if r.attachment == chibo_access::domain::meeting::Attachment::AttachedHere {
        s = format!("{s}, {}", t.attached_here);
    }
    if r.exempt {
        s = format!("{s}, {}", t.mark_exempt.to_lowercase());
    }
    s
}

fn roll_row(r: &chibo_access::RollLine, t: &Texts, lang: Lang) -> RollRow {
    RollRow {
        name: r.full_name.clone(),
        standing: standing_text(r, t, lang),
        mark: r.mark.map_or(t.not_marked, |m| m.label(lang)).to_string(),
        mark_code: r.mark.map_or("none", Mark::code),
        reason: r.reason.clone(),
    }
}

/// Whether a roll line is expected to attend (others are listed apart).
pub(super) fn expected(r: &chibo_access::RollLine) -> bool {
    r.attachment != chibo_access::domain::meeting::Attachment::AttachedElsewhere && !r.suspended
}

pub(super) fn plan_items(view: &MeetingView, topic: Option<&Topic>, t: &Texts, lang: Lang) -> Vec<Item> {
    let m = &view.meeting;
    let time = match (&m.starts_at, &m.ends_at) {
        (Some(s), Some(e)) => format!("{s} – {e}"),
        (Some(s), None) => s.clone(),
        _ => String::new(),
    };
    let mut items = vec![
        item(t.meeting_kind, kind_label(m, lang)),
        item(t.held_on, format_vn(m.held_on)),
        item(t.meeting_time, time),
        item(t.meeting_place, m.place.clone()),
        item(t.agenda, m.agenda.clone()),
    ];
    if let Some(p) = topic {
        items.push(item(t.topic, p.title.clone()));
    }
    items.push(item(t.guests, m.guests.clone()));
    items
}

pub(super) fn count_items(m: &Meeting, roll_len: usize, t: &Texts) -> Vec<Item> {
    let mut items = vec![
        item(t.total_members, roll_len.to_string()),
        item(t.count_present, m.present.to_string()),
        item(t.count_excused, m.excused.to_string()),
        item(t.count_unexcused, m.unexcused.to_string()),
        item(t.count_exempt, m.exempt.to_string()),
    ];
    if m.special_duty > 0 {
        items.push(item(t.count_special_duty, m.special_duty.to_string()));
    }
    if m.exempt_present > 0 {
        items.push(item(t.count_exempt_present, m.exempt_present.to_string()));
    }
    items
}

pub(super) async fn topic_of(state: &State, ctx: &Ctx, m: &Meeting) -> Option<Topic> {
    let id = m.topic_id?;
    let list = state.app.topics(&ctx.viewer, m.cell_id, m.held_on.year()).await.ok()?;
    list.into_iter().find(|p| p.id == id)
}

async fn meeting_page(state: &State, ctx: &Ctx, view: MeetingView, saved: bool, general: Vec<String>) -> MeetingPage {
    let (t, lang, m) = (ctx.t, ctx.lang, &view.meeting);
    let status = view.status;
    let own_ids = ctx.viewer.own_member_ids();
    let lists = view.sees_roll;
    let name_of =
        |id: Uuid| view.roll.iter().find(|r| r.member_id == id).map_or_else(String::new, |r| r.full_name.clone());
    let topic = topic_of(state, ctx, m).await;
    let live = |o: &Meeting| o.status != MeetingStatus::Cancelled;
    let duplicate = live(m)
        && state.app.meetings_of(&ctx.viewer, view.cell.id, m.held_on.year()).await.is_ok_and(|list| {
            list.iter().any(|o| o.id != m.id && o.held_on == m.held_on && o.kind == m.kind && live(o))
        });
    let open = view.may_write && matches!(status, MeetingStatus::Scheduled | MeetingStatus::Held);
    let own: Vec<RollRow> = if lists {
        Vec::new()
    } else {
        view.roll.iter().filter(|r| own_ids.contains(&r.member_id)).map(|r| roll_row(r, t, lang)).collect()
    };
    MeetingPage {
        c: ctx.chrome(heading(m, lang)),
        t,
        duplicate,
        id: m.id.to_string(),
        crumbs: crumbs(&view, t),
        heading: heading(m, lang),
        status: status.label(lang),
        status_code: status.code(),
        saved,
        general,
        plan: plan_items(&view, topic.as_ref(), t, lang),
        counts: if status.was_held() && lists { count_items(m, view.roll.len(), t) } else { Vec::new() },
        rating: rating_text(m, t, lang),
        version: m.version,
        can_write: open,
        scheduled: status == MeetingStatus::Scheduled,
        held: status == MeetingStatus::Held,
        approved: status == MeetingStatus::Approved,
        day_come: m.held_on <= ctx.today(),
        lists,
        minutes_missing: if status.was_held() {
            view.minutes_missing.iter().map(|f| chibo_access::minutes_part_label(f, lang)).collect()
        } else {
            Vec::new()
        },
        roll: if lists {
            view.roll.iter().filter(|r| expected(r)).map(|r| roll_row(r, t, lang)).collect()
        } else {
            Vec::new()
        },
        not_expected: if lists {
            view.roll.iter().filter(|r| !expected(r)).map(|r| roll_row(r, t, lang)).collect()
        } else {
            Vec::new()
        },
        may_notify: !own.is_empty() && status == MeetingStatus::Scheduled && m.held_on >= ctx.today(),
        own,
        documents: view
            .documents
            .iter()
            .map(|d| DocumentRow::new(d.id, &d.file_name, d.size, &d.uploaded_by, d.uploaded_at))
            .collect(),
        may_upload: open,
        notices: view
            .notices
            .iter()
            .map(|n| NoticeRow {
                member_id: n.member_id.to_string(),
                name: name_of(n.member_id),
                reason: n.reason.clone(),
                answer: match n.answer.as_deref() {
                    Some("accepted") => t.notice_accepted,
                    Some("refused") => t.notice_refused,
                    _ => t.notice_waiting,
                },
            })
            .collect(),
        may_answer: view.may_write && status == MeetingStatus::Scheduled,
        corrections: view
            .corrections
            .iter()
            .map(|c| CorrectionRow { at: view::moment(c.at), by: c.by_name.clone(), reason: c.reason.clone() })
            .collect(),
    }
}

pub async fn show(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<MeetingPage, UiError> {
    let view = load(&state, &ctx, &id).await?;
    Ok(meeting_page(&state, &ctx, view, q.saved.is_some(), Vec::new()).await)
}

/// The meeting's page again with the messages of a refusal above it.
async fn refused(state: &State, ctx: &Ctx, id: Uuid, p: Problem) -> Result<Response, UiError> {
    let (errors, status) = form_errors(ctx, p)?;
    let view = state.app.meeting(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    let mut general = vec![ctx.t.err_other.to_string()];
    general.extend(errors.errors.iter().map(|e| e.message(ctx.lang).to_string()));
    Ok((status, meeting_page(state, ctx, view, false, general).await).into_response())
}

fn back(id: Uuid, anchor: &str) -> Response {
    Redirect::to(&format!("/meetings/{id}?saved=1{anchor}")).into_response()
}

// ---- The plan ----

fn plan_form(ctx: &Ctx, view: &MeetingView, f: &MeetingFields, topics: &[Topic], errors: &Validation) -> FormPage {
    let t = ctx.t;
    let with_reason = view.status.was_held() && day_passed(&view.meeting, ctx.today()) || errors.has("reason");
    let mut fields = vec![Field::hidden("version", f.version.as_deref().unwrap_or(""))];
    fields.extend(plan_fields(ctx, f, topics, with_reason));
    let general = place_errors(&mut fields, errors, ctx.lang);
    FormPage {
        c: ctx.chrome(t.edit_plan),
        t,
        heading: format!("{}: {}", t.edit_plan, heading(&view.meeting, ctx.lang)),
        intro: format!("{}: {}", t.cell, view.cell.input.name),
        action: format!("/meetings/{}/edit", view.meeting.id),
        fields,
        general,
        submit: t.save,
        cancel: format!("/meetings/{}", view.meeting.id),
    }
}

pub async fn edit_form(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<FormPage, UiError> {
    let view = writable(&state, &ctx, &id).await?;
    let m = &view.meeting;
    let f = MeetingFields {
        kind: Some(m.kind.code().to_string()),
        held_on: Some(format_vn(m.held_on)),
        starts_at: m.starts_at.clone(),
        place: Some(m.place.clone()),
        agenda: Some(m.agenda.clone()),
        topic_id: m.topic_id.map(|t| t.to_string()),
        guests: Some(m.guests.clone()),
        version: Some(m.version.to_string()),
        reason: None,
    };
    let topics = state.app.topics(&ctx.viewer, m.cell_id, m.held_on.year()).await.unwrap_or_default();
    Ok(plan_form(&ctx, &view, &f, &topics, &Validation::default()))
}

pub async fn update(S(state): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    let view = writable(&state, &ctx, &id).await?;
    ctx.check_csrf(&form)?;
    let f: MeetingFields = form.to();
    let outcome = match f.parse_edit(DateStyle::Vietnamese) {
        Ok((input, version)) => {
            state.app.update_meeting(&ctx.viewer, view.meeting.id, &input, version, reason(&f.reason)).await
        }
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(_) => Ok(back(view.meeting.id, "")),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            let m = &view.meeting;
            let topics = state.app.topics(&ctx.viewer, m.cell_id, m.held_on.year()).await.unwrap_or_default();
            Ok((status, plan_form(&ctx, &view, &f, &topics, &errors)).into_response())
        }
    }
}

fn version_of(form: &Posted) -> i64 {
    form.text("version").trim().parse::<i64>().unwrap_or(-1)
}

pub async fn approve(S(state): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    let view = writable(&state, &ctx, &id).await?;
    ctx.check_csrf(&form)?;
    let id = view.meeting.id;
    match state.app.approve_minutes(&ctx.viewer, id, version_of(&form)).await {
        Ok(_) => Ok(back(id, "")),
        Err(p) => refused(&state, &ctx, id, p).await,
    }
}

pub async fn cancel(S(state): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    let view = writable(&state, &ctx, &id).await?;
    ctx.check_csrf(&form)?;
    let id = view.meeting.id;
    match state.app.cancel_meeting(&ctx.viewer, id, version_of(&form)).await {
        Ok(_) => Ok(back(id, "")),
        Err(p) => refused(&state, &ctx, id, p).await,
    }
}

// ---- Documents ----

/// Upload (multipart form with the CSRF field and the file).
pub async fn attach(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    // The meeting and the right to write it first: a refused upload is not read.
    if let Err(p) = state.app.may_attach_document(&ctx.viewer, id).await {
        return refused(&state, &ctx, id, p).await;
    }
    let up = match crate::upload::read(&headers, None, body).await {
        Ok(x) => x,
        Err(p) => {
            // The CSRF field travels in the same body: without a readable body, no write.
            return refused(&state, &ctx, id, p).await;
        }
    };
    ctx.check_upload_csrf(&up)?;
    match state.app.attach_document(&ctx.viewer, id, &up.name, &up.bytes).await {
        Ok(_) => Ok(back(id, "#documents")),
        Err(p) => refused(&state, &ctx, id, p).await,
    }
}

pub async fn download(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    let (d, body) = state.app.document(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    Ok(crate::api::meetings::download(&d, body))
}

pub async fn delete_document(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: Posted,
) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    ctx.check_csrf(&form)?;
    let meeting = Uuid::parse_str(form.text("meeting_id").trim()).map_err(|_| ctx.fail(Problem::NotFound))?;
    match state.app.delete_document(&ctx.viewer, id).await {
        Ok(()) => Ok(back(meeting, "#documents")),
        Err(p) => refused(&state, &ctx, meeting, p).await,
    }
}

// ---- Notices ----

/// The secretary accepts (`accept=1`) or refuses (`accept=0`) a member's notice.
pub async fn answer_notice(
    S(state): S<State>,
    ctx: Ctx,
    Path((id, member)): Path<(String, String)>,
    form: Posted,
) -> Result<Response, UiError> {
    let (id, member) = (parse_id(&ctx, &id)?, parse_id(&ctx, &member)?);
    ctx.check_csrf(&form)?;
    let accept = form.get("accept") == Some("1");
    match state.app.answer_notice(&ctx.viewer, id, member, accept).await {
        Ok(_) => Ok(back(id, "#notices")),
        Err(p) => refused(&state, &ctx, id, p).await,
    }
}

// ---- The yearly plan of thematic topics ----

pub struct TopicRow {
    pub id: String,
    pub month: String,
    pub title: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "topics.html")]
pub struct TopicsPage {
    c: Chrome,
    t: &'static Texts,
    org: Link,
    org_id: String,
    year: i32,
    years: Vec<Opt>,
    rows: Vec<TopicRow>,
    can_write: bool,
    fields: Vec<Field>,
    general: Vec<String>,
    saved: bool,
}

async fn topics_page(
    state: &State,
    ctx: &Ctx,
    ov: &OrgView,
    year: i32,
    f: &TopicFields,
    errors: &Validation,
    saved: bool,
) -> Result<TopicsPage, UiError> {
    let t = ctx.t;
    let list = state.app.topics(&ctx.viewer, ov.org.id, year).await.map_err(|p| ctx.fail(p))?;
    let months = (1..=12).map(|m| (m.to_string(), format!("{} {m:02}", t.month)));
    let mut fields = vec![
        Field::hidden("year", &year.to_string()),
        Field::select("month", t.month, &f.month, months, Some(t.choose)).required(),
        Field::text("title", t.topic_title, &f.title).required(),
    ];
    let general = place_errors(&mut fields, errors, ctx.lang);
    Ok(TopicsPage {
        c: ctx.chrome(t.topics_heading),
        t,
        org: Link { href: format!("/orgs/{}", ov.org.id), text: ov.org.input.name.clone() },
        org_id: ov.org.id.to_string(),
        year,
        years: years(year, ctx.today()),
        rows: list
            .iter()
            .map(|p| TopicRow {
                id: p.id.to_string(),
                month: format!("{:02}/{}", p.month, p.year),
                title: p.title.clone(),
            })
            .collect(),
        can_write: ov.can_write && ov.org.kind().is_cell() && !ov.org.is_dissolved(),
        fields,
        general,
        saved,
    })
}

#[derive(Deserialize, Default)]
pub struct TopicsQuery {
    year: Option<String>,
    saved: Option<String>,
}

pub async fn topics(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<TopicsQuery>,
) -> Result<TopicsPage, UiError> {
    let ov = org_of(&state, &ctx, &id).await?;
    let year = year_of(&q.year, ctx.today());
    topics_page(&state, &ctx, &ov, year, &TopicFields::default(), &Validation::default(), q.saved.is_some()).await
}

pub async fn plan_topic(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: Posted,
) -> Result<Response, UiError> {
    let ov = org_of(&state, &ctx, &id).await?;
    ctx.check_csrf(&form)?;
    let f: TopicFields = form.to();
    let outcome = match f.parse() {
        Ok(input) => state.app.plan_topic(&ctx.viewer, ov.org.id, &input).await,
        Err(v) => Err(Problem::Invalid(v)),
    };
    let year = year_of(&f.year, ctx.today());
    match outcome {
        Ok(p) => Ok(Redirect::to(&format!("/orgs/{}/topics?year={}&saved=1", ov.org.id, p.year)).into_response()),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            Ok((status, topics_page(&state, &ctx, &ov, year, &f, &errors, false).await?).into_response())
        }
    }
}

pub async fn delete_topic(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: Posted,
) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    ctx.check_csrf(&form)?;
    let cell = Uuid::parse_str(form.text("org_id").trim()).map_err(|_| ctx.fail(Problem::NotFound))?;
    let year = year_of(&Some(form.text("year")), ctx.today());
    match state.app.delete_topic(&ctx.viewer, id).await {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{cell}/topics?year={year}&saved=1")).into_response()),
        Err(p) => {
            let ov = org_of(&state, &ctx, &cell.to_string()).await?;
            let (errors, status) = form_errors(&ctx, p)?;
            Ok((status, topics_page(&state, &ctx, &ov, year, &TopicFields::default(), &errors, false).await?)
                .into_response())
        }
    }
}

/// The label of a member's standing, for the attendance rows.
pub(super) fn standing_note(r: &chibo_access::RollLine, t: &Texts, lang: Lang) -> String {
    let mut parts = Vec::new();
    if r.standing != MemberStatus::Official {
        parts.push(r.standing.label(lang).to_lowercase());
    }
    if r.attachment == chibo_access::domain::meeting::Attachment::AttachedHere {
        parts.push(t.attached_here.to_string());
    }
    parts.join(", ")
}

/// The HTTP status of a form shown again without saving (more rows asked for).
pub(super) const AGAIN: StatusCode = StatusCode::OK;
