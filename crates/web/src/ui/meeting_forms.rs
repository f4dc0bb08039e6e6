//! The forms of a held meeting: the attendance (one row per member, big tap targets, everyone
//! expected preselected present, one submit), the minutes (times, chair and recorder among the
//! present, speakers, conclusions, resolution and votes against the vote base) and the quality
//! rating on the sheet in force.

use super::form::{Field, Kind, place_errors};
use super::meetings::{AGAIN, crumbs, day_passed, expected, heading, load, standing_note, writable};
use super::page::{Chrome, Ctx, Posted, UiError, form_errors};
use super::text::Texts;
use super::view::{Item, Link, item};
use crate::State;
use crate::meeting_input::{AssessFields, AttendanceFields, MarkFields, MinutesFields, SpeakerFields, reason};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State as S};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_access::domain::meeting::{Assessment, Mark, Measure, MeetingStatus, VoteBase};
use chibo_access::{Lang, MeetingView, Problem, Validation};
use std::collections::BTreeMap;

fn saved(id: uuid::Uuid) -> Response {
    Redirect::to(&format!("/meetings/{id}?saved=1")).into_response()
}

// ---- Attendance ----

/// One choice of mark on a row.
pub struct MarkChoice {
    pub value: &'static str,
    pub label: &'static str,
    pub checked: bool,
    /// Choosing it shows the reason input.
    pub wants_reason: bool,
}

/// One member's row of the attendance form.
pub struct MarkRow {
    pub member_id: String,
    pub name: String,
    pub note: String,
    pub choices: Vec<MarkChoice>,
    pub reason: String,
    /// The reason input stays shown (a reason is there, or an error).
    pub show_reason: bool,
    pub error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "meeting_attendance.html")]
pub struct AttendancePage {
    c: Chrome,
    t: &'static Texts,
    id: String,
    crumbs: Vec<Link>,
    heading: String,
    version: String,
    rows: Vec<MarkRow>,
    not_expected: Vec<String>,
    with_reason: bool,
    reason: String,
    reason_error: Option<String>,
    general: Vec<String>,
}

fn mark_label(t: &Texts, m: Mark) -> &'static str {
    match m {
        Mark::Present => t.mark_present,
        Mark::Excused => t.mark_excused,
        Mark::Unexcused => t.mark_unexcused,
        Mark::SpecialDuty => t.mark_special_duty,
        Mark::Exempt => t.mark_exempt,
    }
}

fn wants_reason(m: Mark) -> bool {
    matches!(m, Mark::Excused | Mark::SpecialDuty)
}

/// The attendance form: the marks given (posted or recorded), else the default of each row
/// (present, or exempt for an exempt member); an accepted notice is already a recorded mark.
fn attendance_page(
    ctx: &Ctx,
    view: &MeetingView,
    given: &BTreeMap<uuid::Uuid, (Option<Mark>, String)>,
    f: &AttendanceFields,
    errors: &Validation,
) -> AttendancePage {
    let (t, lang) = (ctx.t, ctx.lang);
    let mut general = Vec::new();
    if !errors.errors.is_empty() {
        general.push(t.errors_heading.to_string());
    }
    let mut row_errors: BTreeMap<String, String> = BTreeMap::new();
    let mut reason_error = None;
    // Errors by position name the mark sent at that position.
    let sent: Vec<String> = f.marks.iter().map(|m| m.member_id.clone().unwrap_or_default()).collect();
    for e in &errors.errors {
        let key = e.field.strip_prefix("marks.").map(|rest| {
            let (head, _) = rest.split_once('.').unwrap_or((rest, ""));
            head.parse::<usize>().ok().and_then(|i| sent.get(i).cloned()).unwrap_or_else(|| head.to_string())
        });
        match key {
            Some(member) if view.roll.iter().any(|r| r.member_id.to_string() == member) => {
                row_errors.entry(member).or_insert_with(|| e.message(lang).to_string());
            }
            _ if e.field == "reason" => reason_error = Some(e.message(lang).to_string()),
            _ => general.push(e.message(lang).to_string()),
        }
    }
    let notices: BTreeMap<uuid::Uuid, &chibo_access::Notice> =
        view.notices.iter().filter(|n| n.answer.as_deref() == Some("accepted")).map(|n| (n.member_id, n)).collect();
    let rows = view
        .roll
        .iter()
        .filter(|r| expected(r))
        .map(|r| {
            let (mark, reason) = given.get(&r.member_id).cloned().unwrap_or((r.mark, r.reason.clone()));
            let chosen = mark.unwrap_or(if r.exempt { Mark::Exempt } else { Mark::Present });
            let options: &[Mark] = if r.exempt {
                &[Mark::Exempt, Mark::Present]
            } else {
                &[Mark::Present, Mark::Excused, Mark::Unexcused, Mark::SpecialDuty]
            };
            let mut note = standing_note(r, t, lang);
            if notices.contains_key(&r.member_id) {
                note = [note, t.notice_from.to_lowercase()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(", ");
            }
            let error = row_errors.get(&r.member_id.to_string()).cloned();
            MarkRow {
                member_id: r.member_id.to_string(),
                name: r.full_name.clone(),
                note,
                choices: options
                    .iter()
                    .map(|m| MarkChoice {
                        value: m.code(),
                        label: mark_label(t, *m),
                        checked: *m == chosen,
                        wants_reason: wants_reason(*m),
                    })
                    .collect(),
                show_reason: error.is_some() || (!reason.is_empty() && wants_reason(chosen)),
                reason,
                error,
            }
        })
        .collect();
    let m = &view.meeting;
    AttendancePage {
        c: ctx.chrome(t.attendance_heading),
        t,
        id: m.id.to_string(),
        crumbs: crumbs(view, t),
        heading: heading(m, lang),
        version: f.version.clone().unwrap_or_else(|| m.version.to_string()),
        rows,
        not_expected: view.roll.iter().filter(|r| !expected(r)).map(|r| r.full_name.clone()).collect(),
        with_reason: (day_passed(m, ctx.today()) && view.roll.iter().any(|r| r.mark.is_some()))
            || reason_error.is_some(),
        reason: f.reason.clone().unwrap_or_default(),
        reason_error,
        general,
    }
}

pub async fn attendance_form(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<AttendancePage, UiError> {
    let view = writable(&state, &ctx, &id).await?;
    Ok(attendance_page(&ctx, &view, &BTreeMap::new(), &AttendanceFields::default(), &Validation::default()))
}

/// The posted rows (`mark.<member id>`, `reason.<member id>`) of the members expected.
fn posted_marks(form: &Posted, view: &MeetingView) -> (AttendanceFields, BTreeMap<uuid::Uuid, (Option<Mark>, String)>) {
    let mut marks = Vec::new();
    let mut given = BTreeMap::new();
    for r in view.roll.iter().filter(|r| expected(r)) {
        let id = r.member_id.to_string();
        let mark = form.get(&format!("mark.{id}")).map(str::to_string);
        let parsed = mark.as_deref().and_then(Mark::parse);
        let reason = form.text(&format!("reason.{id}")).trim().to_string();
        // A reason typed then left under "present" is not kept.
        let kept = if parsed.is_some_and(wants_reason) { reason.clone() } else { String::new() };
        given.insert(r.member_id, (parsed, reason));
        if mark.is_some() {
            marks.push(MarkFields { member_id: Some(id), mark, reason: Some(kept) });
        }
    }
    let f = AttendanceFields {
        marks,
        version: form.get("version").map(str::to_string),
        reason: form.get("reason").map(str::to_string),
    };
    (f, given)
}

pub async fn attendance(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: Posted,
) -> Result<Response, UiError> {
    let view = writable(&state, &ctx, &id).await?;
    ctx.check_csrf(&form)?;
    let (f, given) = posted_marks(&form, &view);
    let outcome = match f.parse() {
        Ok((marks, version)) => {
            state.app.record_attendance(&ctx.viewer, view.meeting.id, &marks, version, reason(&f.reason)).await
        }
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(_) => Ok(saved(view.meeting.id)),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            Ok((status, attendance_page(&ctx, &view, &given, &f, &errors)).into_response())
        }
    }
}

// ---- Minutes ----

/// A titled group of fields, with lines of text shown above them.
pub struct Group {
    pub title: &'static str,
    pub notes: Vec<String>,
    pub fields: Vec<Field>,
}

#[derive(Template, WebTemplate)]
#[template(path = "meeting_minutes_form.html")]
pub struct MinutesForm {
    c: Chrome,
    t: &'static Texts,
    id: String,
    crumbs: Vec<Link>,
    heading: String,
    hidden: Vec<Field>,
    counts: Vec<Item>,
    groups: Vec<Group>,
    general: Vec<String>,
}

/// Blank speaker rows offered after those entered.
const SPARE_SPEAKERS: usize = 3;
/// Most speaker rows read from a form.
const MAX_SPEAKERS: usize = 200;

/// "12 (15 đảng viên chính thức, trừ 1 …)".
fn vote_base_text(b: &VoteBase, t: &Texts, lang: Lang) -> String {
    let less: Vec<String> = [
        (b.attached_elsewhere, lang.pick("sinh hoạt tạm thời nơi khác", "attached elsewhere")),
        (b.exempt_absent, lang.pick("miễn sinh hoạt vắng mặt", "exempt and absent")),
        (b.suspended, lang.pick("bị đình chỉ sinh hoạt", "suspended")),
        (b.excused, lang.pick("vắng có lý do", "absent with reason")),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    let base = if less.is_empty() {
        format!("{}: {} ({} {})", t.vote_base_line, b.base, b.official, t.count_official.to_lowercase())
    } else {
        format!("{}: {} ({} {} {})", t.vote_base_line, b.base, b.official, t.vote_base_detail, less.join(", "))
    };
    // Both numbers the checks use, so the hint and an error never disagree.
    format!("{base}. {}: {}. {}", t.vote_present_line, b.present, t.vote_rule_line)
}

fn minutes_form(ctx: &Ctx, view: &MeetingView, f: &MinutesFields, spare: usize, errors: &Validation) -> MinutesForm {
    let (t, lang, m) = (ctx.t, ctx.lang, &view.meeting);
    let present: Vec<(String, String)> = view
        .roll
        .iter()
        .filter(|r| r.mark == Some(Mark::Present))
        .map(|r| (r.member_id.to_string(), r.full_name.clone()))
        .collect();
    let previous = match &view.previous {
        Some(p) if !p.resolution.trim().is_empty() => {
            format!(
                "{} ({}): {}",
                t.previous_resolution,
                chibo_access::domain::date::format_vn(p.held_on),
                p.resolution
            )
        }
        Some(p) => format!("{} ({}): —", t.previous_resolution, chibo_access::domain::date::format_vn(p.held_on)),
        None => t.no_previous.to_string(),
    };
    let mut speakers = Vec::new();
    let rows = f.speakers.len() + spare;
    for i in 0..rows {
        let s = f.speakers.get(i).cloned().unwrap_or_default();
        let mut choices = present.clone();
        if let Some(id) =
            s.member_id.as_deref().filter(|v| !v.trim().is_empty() && !present.iter().any(|(p, _)| p == *v))
        {
            // A speaker no longer marked present: their name, never their id.
            let name = view.roll.iter().find(|r| r.member_id.to_string() == id).map_or_else(
                || t.speaker_other.to_string(),
                |r| format!("{} ({})", r.full_name, t.speaker_not_present),
            );
            choices.push((id.to_string(), name));
        }
        speakers.push(Field::select(
            format!("speakers.{i}.member_id"),
            format!("{} {}", t.speaker, i + 1),
            &s.member_id,
            choices,
            Some(t.speaker_other),
        ));
        speakers.push(Field::text(format!("speakers.{i}.name"), t.speaker_name, &s.name));
        speakers.push(Field::text(format!("speakers.{i}.opinion"), t.opinion, &s.opinion).kind(Kind::TextArea));
    }
    let with_reason = (day_passed(m, ctx.today()) && m.status != MeetingStatus::Scheduled && minutes_recorded(view))
        || errors.has("reason");
    let mut groups = vec![
        Group {
            title: t.section_time,
            notes: Vec::new(),
            fields: vec![
                Field::text("starts_at", t.starts_at, &f.starts_at).kind(Kind::Time).hint(t.time_hint).required(),
                Field::text("ends_at", t.ends_at, &f.ends_at).kind(Kind::Time).hint(t.time_hint).required(),
                Field::text("place", t.meeting_place, &f.place).required(),
                Field::text("agenda", t.agenda, &f.agenda).kind(Kind::TextArea).required(),
            ],
        },
        Group {
            title: t.section_people,
            notes: Vec::new(),
            fields: vec![
                Field::select("chair_id", t.chair, &f.chair_id, present.clone(), Some(t.choose)).required(),
                Field::select("recorder_id", t.recorder, &f.recorder_id, present.clone(), Some(t.choose)).required(),
                Field::text("guests", t.guests, &f.guests),
            ],
        },
        Group {
            title: t.followup,
            notes: vec![previous],
            fields: vec![Field::text("followup", t.followup, &f.followup).kind(Kind::TextArea)],
        },
        Group { title: t.speakers, notes: Vec::new(), fields: speakers },
        Group {
            title: t.resolution,
            notes: Vec::new(),
            fields: vec![
                Field::text("conclusions", t.conclusions, &f.conclusions).kind(Kind::TextArea).required(),
                Field::text("resolution", t.resolution, &f.resolution).kind(Kind::TextArea),
            ],
        },
        Group {
            title: t.section_votes,
            notes: vec![vote_base_text(&view.vote_base, t, lang)],
            fields: vec![
                Field::text("votes_for", t.votes_for, &f.votes_for).kind(Kind::Number),
                Field::text("votes_against", t.votes_against, &f.votes_against).kind(Kind::Number),
                Field::text("votes_abstain", t.votes_abstain, &f.votes_abstain).kind(Kind::Number),
            ],
        },
    ];
    if with_reason {
        groups.push(Group {
            title: t.correction_reason,
            notes: Vec::new(),
            fields: vec![Field::text("reason", t.correction_reason, &f.reason).hint(t.correction_hint).required()],
        });
    }
    let sizes: Vec<usize> = groups.iter().map(|g| g.fields.len()).collect();
    let mut flat: Vec<Field> = groups.iter_mut().flat_map(|g| std::mem::take(&mut g.fields)).collect();
    let general = place_errors(&mut flat, errors, lang);
    let mut rest = flat.into_iter();
    for (g, n) in groups.iter_mut().zip(sizes) {
        g.fields = rest.by_ref().take(n).collect();
    }
    MinutesForm {
        c: ctx.chrome(t.minutes_heading),
        t,
        id: m.id.to_string(),
        crumbs: crumbs(view, t),
        heading: heading(m, lang),
        hidden: vec![Field::hidden("version", f.version.as_deref().unwrap_or(""))],
        counts: super::meetings::count_items(m, view.roll.len(), t),
        groups,
        general,
    }
}

/// Something of the minutes was recorded already (a change of it after the day needs a reason).
fn minutes_recorded(view: &MeetingView) -> bool {
    let m = &view.meeting;
    m.starts_at.is_some() && m.ends_at.is_some()
        || m.chair_id.is_some()
        || !m.conclusions.is_empty()
        || !m.resolution.is_empty()
        || !m.followup.is_empty()
        || !view.speakers.is_empty()
}

fn fields_of(view: &MeetingView) -> MinutesFields {
    let m = &view.meeting;
    let id = |v: Option<uuid::Uuid>| v.map(|v| v.to_string());
    let n = |v: Option<i64>| v.map(|v| v.to_string());
    MinutesFields {
        starts_at: m.starts_at.clone(),
        ends_at: m.ends_at.clone(),
        place: Some(m.place.clone()),
        agenda: Some(m.agenda.clone()),
        chair_id: id(m.chair_id),
        recorder_id: id(m.recorder_id),
        guests: Some(m.guests.clone()),
        followup: Some(m.followup.clone()),
        conclusions: Some(m.conclusions.clone()),
        resolution: Some(m.resolution.clone()),
        votes_for: n(m.votes_for),
        votes_against: n(m.votes_against),
        votes_abstain: n(m.votes_abstain),
        speakers: view
            .speakers
            .iter()
            .map(|s| SpeakerFields {
                member_id: id(s.member_id),
                name: if s.member_id.is_some() { None } else { Some(s.name.clone()) },
                opinion: Some(s.opinion.clone()),
            })
            .collect(),
        version: Some(m.version.to_string()),
        reason: None,
    }
}

/// A meeting whose minutes may be written: held, not approved.
async fn held(state: &State, ctx: &Ctx, raw: &str) -> Result<MeetingView, UiError> {
    let view = writable(state, ctx, raw).await?;
    if view.status != MeetingStatus::Held {
        return Err(ctx.fail(Problem::field(
            "status",
            "not_held",
            "Biên bản: hãy điểm danh trước (buổi sinh hoạt chưa được ghi là đã họp).",
            "Minutes: record the attendance first (the meeting is not recorded as held).",
        )));
    }
    Ok(view)
}

pub async fn minutes_form_page(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<MinutesForm, UiError> {
    let view = held(&state, &ctx, &id).await?;
    let f = fields_of(&view);
    Ok(minutes_form(&ctx, &view, &f, SPARE_SPEAKERS, &Validation::default()))
}

/// The posted minutes; blank speaker rows are left out and the others numbered again, so the
/// errors of the access layer (`speakers.<n>.…`) fall on the rows shown again.
fn posted_minutes(form: &Posted) -> MinutesFields {
    let mut f: MinutesFields = form.to();
    let get = |i: usize, k: &str| form.get(&format!("speakers.{i}.{k}")).map(str::to_string);
    f.speakers = (0..MAX_SPEAKERS)
        .map(|i| SpeakerFields { member_id: get(i, "member_id"), name: get(i, "name"), opinion: get(i, "opinion") })
        .filter(|s| !s.is_blank())
        .collect();
    f
}

pub async fn minutes(S(state): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    let view = held(&state, &ctx, &id).await?;
    ctx.check_csrf(&form)?;
    let f = posted_minutes(&form);
    if form.get("more").is_some() {
        return Ok((AGAIN, minutes_form(&ctx, &view, &f, SPARE_SPEAKERS + 2, &Validation::default())).into_response());
    }
    let outcome = match f.parse() {
        Ok((input, version)) => {
            state.app.record_minutes(&ctx.viewer, view.meeting.id, &input, version, reason(&f.reason)).await
        }
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(_) => Ok(saved(view.meeting.id)),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            Ok((status, minutes_form(&ctx, &view, &f, SPARE_SPEAKERS, &errors)).into_response())
        }
    }
}

// ---- Quality rating ----

/// One criterion of the sheet on the form.
pub struct CriterionRow {
    pub label: String,
    pub points: u32,
    /// The judged criteria have a field; the others are computed.
    pub field: Option<Field>,
}

/// A scored line of a result.
pub struct ResultLine {
    pub label: String,
    pub points: u32,
    pub max: u32,
    pub failed: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "meeting_assess.html")]
pub struct AssessPage {
    c: Chrome,
    t: &'static Texts,
    id: String,
    crumbs: Vec<Link>,
    heading: String,
    sheet_name: String,
    version: String,
    criteria: Vec<CriterionRow>,
    reason: Option<Field>,
    general: Vec<String>,
    result: Option<(String, Vec<ResultLine>)>,
    current: Vec<Item>,
}

fn failure_label(t: &Texts, code: &str) -> &'static str {
    match code {
        "attendance_too_low" => t.failed_attendance_too_low,
        "unexcused_absence" => t.failed_unexcused_absence,
        "excused_run" => t.failed_excused_run,
        "too_short" => t.failed_too_short,
        "too_few_speakers" => t.failed_too_few_speakers,
        "minutes_incomplete" => t.failed_minutes_incomplete,
        _ => "",
    }
}

#[allow(clippy::too_many_arguments)]
fn assess_page(
    ctx: &Ctx,
    view: &MeetingView,
    sheet: &chibo_access::SheetInForce,
    scores: &BTreeMap<String, String>,
    f: &AssessFields,
    errors: &Validation,
    result: Option<&Assessment>,
) -> AssessPage {
    let (t, lang, m) = (ctx.t, ctx.lang, &view.meeting);
    let label = |c: &chibo_access::domain::meeting::CriterionSpec| -> String {
        if lang == Lang::En && !c.label_en.is_empty() { c.label_en.clone() } else { c.label_vi.clone() }
    };
    let with_reason = (m.rating.is_some() && day_passed(m, ctx.today())) || errors.has("reason");
    let mut fields: Vec<Field> = sheet
        .sheet
        .criteria
        .iter()
        .filter(|c| c.measure == Measure::Judged)
        .map(|c| {
            let value = scores.get(&c.code).cloned();
            Field::text(format!("scores.{}", c.code), format!("{} (0–{} {})", label(c), c.points, t.points), &value)
                .kind(Kind::Number)
        })
        .collect();
    if with_reason {
        fields.push(Field::text("reason", t.correction_reason, &f.reason).hint(t.correction_hint));
    }
    let general = place_errors(&mut fields, errors, lang);
    let mut it = fields.into_iter();
    let criteria: Vec<CriterionRow> = sheet
        .sheet
        .criteria
        .iter()
        .map(|c| CriterionRow {
            label: label(c),
            points: c.points,
            field: if c.measure == Measure::Judged { it.next() } else { None },
        })
        .collect();
    let reason = it.next();
    let result = result.map(|a| {
        let lines = a
            .lines
            .iter()
            .map(|l| ResultLine {
                label: sheet.sheet.criteria.iter().find(|c| c.code == l.code).map_or_else(|| l.code.clone(), label),
                points: l.points,
                max: l.max,
                failed: l
                    .failed
                    .iter()
                    .map(|f| failure_label(t, f))
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect();
        (format!("{}: {} {} — {}", t.result, a.score, t.points, a.rating.label(lang)), lines)
    });
    AssessPage {
        c: ctx.chrome(t.assess_heading),
        t,
        id: m.id.to_string(),
        crumbs: crumbs(view, t),
        heading: heading(m, lang),
        sheet_name: sheet
            .configured
            .as_ref()
            .map_or_else(|| t.sheet_default.to_string(), |r| format!("{}: {}", t.sheet_configured, r.name)),
        version: f.version.clone().unwrap_or_else(|| m.version.to_string()),
        criteria,
        reason,
        general,
        result,
        current: Some(super::meetings::rating_text(m, t, lang))
            .filter(|r| !r.is_empty())
            .map(|r| item(t.rating, r))
            .into_iter()
            .collect(),
    }
}

/// A meeting that may be rated: held (an approved one only while not yet rated).
async fn ratable(state: &State, ctx: &Ctx, raw: &str) -> Result<MeetingView, UiError> {
    let view = load(state, ctx, raw).await?;
    if !view.may_write {
        return Err(ctx.fail(Problem::Forbidden));
    }
    let ok =
        view.status == MeetingStatus::Held || (view.status == MeetingStatus::Approved && view.meeting.rating.is_none());
    if !ok {
        return Err(ctx.fail(Problem::Forbidden).with_message(ctx.t.locked_note));
    }
    Ok(view)
}

fn stored_scores(view: &MeetingView) -> BTreeMap<String, String> {
    view.meeting
        .scores
        .as_deref()
        .and_then(|s| serde_json::from_str::<BTreeMap<String, u32>>(s).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect()
}

pub async fn assess_form(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<AssessPage, UiError> {
    let view = ratable(&state, &ctx, &id).await?;
    let sheet = state
        .app
        .scoring_sheet(&ctx.viewer, view.meeting.cell_id, view.meeting.held_on)
        .await
        .map_err(|p| ctx.fail(p))?;
    let scores = stored_scores(&view);
    Ok(assess_page(&ctx, &view, &sheet, &scores, &AssessFields::default(), &Validation::default(), None))
}

pub async fn assess(S(state): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    let view = ratable(&state, &ctx, &id).await?;
    ctx.check_csrf(&form)?;
    let sheet = state
        .app
        .scoring_sheet(&ctx.viewer, view.meeting.cell_id, view.meeting.held_on)
        .await
        .map_err(|p| ctx.fail(p))?;
    let scores: BTreeMap<String, String> =
        form.0.iter().filter_map(|(k, v)| k.strip_prefix("scores.").map(|c| (c.to_string(), v.clone()))).collect();
    let f = AssessFields {
        scores: scores.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect(),
        version: form.get("version").map(str::to_string),
        reason: form.get("reason").map(str::to_string),
    };
    let outcome = match f.parse() {
        Ok((parsed, version)) => {
            state.app.assess_meeting(&ctx.viewer, view.meeting.id, &parsed, version, reason(&f.reason)).await
        }
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok((a, after)) => {
            // The result on the page, with the new version for another round.
            let f = AssessFields { version: Some(after.meeting.version.to_string()), ..AssessFields::default() };
            Ok(assess_page(&ctx, &after, &sheet, &scores, &f, &Validation::default(), Some(&a)).into_response())
        }
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            Ok((status, assess_page(&ctx, &view, &sheet, &scores, &f, &errors, None)).into_response())
        }
    }
}
