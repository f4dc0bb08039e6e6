//! Cell meetings (*sinh hoạt chi bộ*): scheduling, the plan, attendance, minutes, approval,
//! the quality rating, documents, advance notices of absence, the yearly topic plan, the
//! compliance figures of any organisation and period, and the absence work list.

use super::{ApiJson, Reader, Writer, parse_id};
use crate::admission_input::VersionFields;
use crate::input::DateStyle;
use crate::meeting_input::{
    AnswerFields, AssessFields, AttendanceFields, MeetingFields, MinutesFields, NoticeFields, SheetFields, TopicFields,
    reason,
};
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State as S};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chibo_access::domain::meeting::{
    Assessment, Mark, Measure, MeetingKind, MeetingStatus, Rating, Share, SheetSpec, VoteBase,
};
use chibo_access::{
    AbsenteeView, Document, FigureSet, FiguresView, Lang, MISSED_PAGE, Meeting, MeetingView, MissedIn, Notice, Problem,
    SheetInForce, Topic, UpcomingMeeting, minutes_part_label,
};
use serde::Deserialize;
use serde_json::{Value, json};
use time::{Date, OffsetDateTime};

fn day(d: Option<Date>) -> Value {
    d.map_or(Value::Null, |d| Value::String(d.to_string()))
}

fn moment(t: Option<OffsetDateTime>) -> Value {
    t.map_or(Value::Null, |t| json!(t.unix_timestamp()))
}

pub(crate) fn share(s: Share) -> Value {
    json!({"num": s.num, "den": s.den, "percent": s.percent()})
}

/// The attendance base and rate of a meeting from its stored counts.
pub(crate) fn attendance_of(m: &Meeting) -> Share {
    let base = m.present + m.excused + m.unexcused;
    Share::new(u64::try_from(m.present).unwrap_or(0), u64::try_from(base).unwrap_or(0))
}

/// A meeting row (lists).
pub(crate) fn meeting_row(m: &Meeting, lang: Lang) -> Value {
    let kind = MeetingKind::parse(&m.kind);
    let status = MeetingStatus::parse(&m.status);
    let rating = m.rating.as_deref().and_then(Rating::parse);
    json!({
        "id": m.id,
        "cell_id": m.cell_id,
        "kind": m.kind,
        "kind_label": kind.map(|k| k.label(lang)),
        "status": m.status,
        "status_label": status.map(|s| s.label(lang)),
        "held_on": m.held_on.to_string(),
        "starts_at": m.starts_at,
        "ends_at": m.ends_at,
        "place": m.place,
        "agenda": m.agenda,
        "topic_id": m.topic_id,
        "chair_id": m.chair_id,
        "recorder_id": m.recorder_id,
        "guests": m.guests,
        "followup": m.followup,
        "conclusions": m.conclusions,
        "resolution": m.resolution,
        "votes_for": m.votes_for,
        "votes_against": m.votes_against,
        "votes_abstain": m.votes_abstain,
        "counts": {
            "present": m.present,
            "excused": m.excused,
            "unexcused": m.unexcused,
            "exempt": m.exempt,
            "special_duty": m.special_duty,
            "exempt_present": m.exempt_present,
        },
        "attendance": share(attendance_of(m)),
        "scores": m.scores.as_deref().and_then(|s| serde_json::from_str::<Value>(s).ok()),
        "score": m.score,
        "rating": m.rating,
        "rating_label": rating.map(|r| r.label(lang)),
        "approved_at": moment(m.approved_at),
        "approved_by": m.approved_by,
        "version": m.version,
        "updated_at": m.updated_at.unix_timestamp(),
    })
}

fn document(d: &Document) -> Value {
    json!({
        "id": d.id,
        "meeting_id": d.meeting_id,
        "file_name": d.file_name,
        "content_type": d.content_type,
        "size": d.size,
        "sha256": d.sha256,
        "uploaded_by": d.uploaded_by,
        "uploaded_at": d.uploaded_at.unix_timestamp(),
        "href": format!("/api/v1/documents/{}", d.id),
    })
}

fn notice(n: &Notice) -> Value {
    json!({
        "meeting_id": n.meeting_id,
        "member_id": n.member_id,
        "reason": n.reason,
        "sent_at": n.sent_at.unix_timestamp(),
        "answer": n.answer,
        "answered_by": n.answered_by,
        "answered_at": moment(n.answered_at),
    })
}

fn vote_base(b: &VoteBase) -> Value {
    serde_json::to_value(b).unwrap_or(Value::Null)
}

pub(crate) fn sheet(s: &SheetInForce, lang: Lang) -> Value {
    let spec: &SheetSpec = &s.sheet;
    json!({
        "configured": s.configured.as_ref().map(|r| json!({
            "id": r.id, "org_id": r.org_id, "name": r.name, "effective_from": r.effective_from.to_string(),
        })),
        "bands": spec.bands,
        "criteria": spec.criteria.iter().map(|c| json!({
            "code": c.code,
            "label": lang.pick(&c.label_vi, if c.label_en.is_empty() { &c.label_vi } else { &c.label_en }),
            "points": c.points,
            "measure": c.measure,
            "judged": c.measure == Measure::Judged,
            "required_for_top": c.required_for_top,
        })).collect::<Vec<_>>(),
    })
}

/// A meeting with its roll, speakers, documents, notices, corrections and the sheet in force.
pub(crate) fn meeting(view: &MeetingView, in_force: Option<&SheetInForce>, lang: Lang) -> Value {
    let mut v = meeting_row(&view.meeting, lang);
    v["cell_name"] = json!(view.cell.input.name);
    v["may_write"] = json!(view.may_write);
    v["roll"] = json!(
        view.roll
            .iter()
            .map(|r| json!({
                "member_id": r.member_id,
                "full_name": r.full_name,
                "standing": r.standing.code(),
                "standing_label": r.standing.label(lang),
                "attachment": serde_json::to_value(r.attachment).unwrap_or(Value::Null),
                "exempt": r.exempt,
                "suspended": r.suspended,
                "mark": r.mark.map(Mark::code),
                "mark_label": r.mark.map(|m| m.label(lang)),
                "reason": r.reason,
            }))
            .collect::<Vec<_>>()
    );
    v["speakers"] = json!(
        view.speakers
            .iter()
            .map(|s| json!({"seq": s.seq, "member_id": s.member_id, "name": s.name, "opinion": s.opinion}))
            .collect::<Vec<_>>()
    );
    v["documents"] = json!(view.documents.iter().map(document).collect::<Vec<_>>());
    v["notices"] = json!(view.notices.iter().map(notice).collect::<Vec<_>>());
    v["corrections"] = json!(
        view.corrections
            .iter()
            .map(|c| json!({
                "id": c.id,
                "reason": c.reason,
                "changes": serde_json::from_str::<Value>(&c.changes).unwrap_or(Value::Null),
                "by_name": c.by_name,
                "at": c.at.unix_timestamp(),
            }))
            .collect::<Vec<_>>()
    );
    v["vote_base"] = vote_base(&view.vote_base);
    v["minutes_missing"] = json!(
        view.minutes_missing
            .iter()
            .map(|f| json!({"field": f, "label": minutes_part_label(f, lang)}))
            .collect::<Vec<_>>()
    );
    v["previous"] = view.previous.as_ref().map_or(
        Value::Null,
        |p| json!({"id": p.id, "held_on": p.held_on.to_string(), "kind": p.kind, "resolution": p.resolution}),
    );
    v["sheet"] = in_force.map_or(Value::Null, |s| sheet(s, lang));
    v
}

/// The meeting as the viewer now sees it, with the sheet that rates it.
async fn answer(s: &State, v: &chibo_access::Viewer, view: &MeetingView, lang: Lang) -> Value {
    let in_force = s.app.scoring_sheet(v, view.meeting.cell_id, view.meeting.held_on).await.ok();
    meeting(view, in_force.as_ref(), lang)
}

/// A cell outside the viewer's grants, named by the path, is simply not found (the access
/// layer names the field for the forms, which send it).
fn hidden_cell(p: Problem) -> Problem {
    match &p {
        Problem::Invalid(v)
            if v.errors.len() == 1 && v.errors[0].field == "cell_id" && v.errors[0].code == "not_found" =>
        {
            Problem::NotFound
        }
        _ => p,
    }
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<String>,
}

/// The year asked for (this year when absent); a bad one is an error on `year`.
pub(crate) fn year_of(raw: &Option<String>) -> Result<i32, Problem> {
    match raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(chibo_access::today().year()),
        Some(y) => y.parse::<i32>().ok().filter(|y| (1930..=2200).contains(y)).ok_or_else(|| {
            Problem::field("year", "bad_year", "Năm: không hợp lệ (ví dụ 2025).", "Year: not valid (e.g. 2025).")
        }),
    }
}

pub async fn list(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let year = year_of(&q.year).or_api(lang)?;
    let list = s.app.meetings_of(&v, id, year).await.or_api(lang)?;
    Ok(Json(json!({"year": year, "items": list.iter().map(|m| meeting_row(m, lang)).collect::<Vec<_>>()})))
}

pub async fn schedule(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<MeetingFields>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = parse_id(&id, lang)?;
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    let view = s.app.schedule_meeting(&v, id, &input).await.map_err(hidden_cell).or_api(lang)?;
    Ok((StatusCode::CREATED, Json(answer(&s, &v, &view, lang).await)))
}

pub async fn show(S(s): S<State>, Reader(v, lang): Reader, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let view = s.app.meeting(&v, id).await.or_api(lang)?;
    Ok(Json(answer(&s, &v, &view, lang).await))
}

pub async fn update(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<MeetingFields>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let (input, version) = f.parse_edit(DateStyle::Iso).or_api(lang)?;
    let view = s.app.update_meeting(&v, id, &input, version, reason(&f.reason)).await.or_api(lang)?;
    Ok(Json(answer(&s, &v, &view, lang).await))
}

pub async fn attendance(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<AttendanceFields>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let (marks, version) = f.parse().or_api(lang)?;
    let view = s.app.record_attendance(&v, id, &marks, version, reason(&f.reason)).await.or_api(lang)?;
    Ok(Json(answer(&s, &v, &view, lang).await))
}

pub async fn minutes(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<MinutesFields>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let (input, version) = f.parse().or_api(lang)?;
    let view = s.app.record_minutes(&v, id, &input, version, reason(&f.reason)).await.or_api(lang)?;
    Ok(Json(answer(&s, &v, &view, lang).await))
}

pub async fn approve(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<VersionFields>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let version = f.parse().or_api(lang)?;
    let view = s.app.approve_minutes(&v, id, version).await.or_api(lang)?;
    Ok(Json(answer(&s, &v, &view, lang).await))
}

pub async fn cancel(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<VersionFields>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let version = f.parse().or_api(lang)?;
    let view = s.app.cancel_meeting(&v, id, version).await.or_api(lang)?;
    Ok(Json(answer(&s, &v, &view, lang).await))
}

pub(crate) fn assessment(a: &Assessment, lang: Lang) -> Value {
    json!({
        "score": a.score,
        "rating": a.rating.code(),
        "rating_label": a.rating.label(lang),
        "lines": a.lines.iter().map(|l| json!({
            "code": l.code, "points": l.points, "max": l.max, "failed": l.failed,
        })).collect::<Vec<_>>(),
    })
}

pub async fn assess(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<AssessFields>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let (scores, version) = f.parse().or_api(lang)?;
    let (a, view) = s.app.assess_meeting(&v, id, &scores, version, reason(&f.reason)).await.or_api(lang)?;
    Ok(Json(json!({"assessment": assessment(&a, lang), "meeting": answer(&s, &v, &view, lang).await})))
}

#[derive(Deserialize, Default)]
pub struct FileQuery {
    file_name: Option<String>,
}

pub async fn attach(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    Query(q): Query<FileQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = parse_id(&id, lang)?;
    // The meeting and the right to write it first: a refused upload is not read.
    s.app.may_attach_document(&v, id).await.or_api(lang)?;
    let up = crate::upload::read(&headers, q.file_name.as_deref(), body).await.or_api(lang)?;
    let d = s.app.attach_document(&v, id, &up.name, &up.bytes).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(document(&d))))
}

/// A document's bytes as a download, with its stored type and name.
pub(crate) fn download(d: &Document, body: Vec<u8>) -> Response {
    crate::attachment::attachment(&d.file_name, &d.content_type, body)
}

pub async fn get_document(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, lang)?;
    let (d, body) = s.app.document(&v, id).await.or_api(lang)?;
    Ok(download(&d, body))
}

pub async fn delete_document(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    s.app.delete_document(&v, id).await.or_api(lang)?;
    Ok(Json(json!({"deleted": id})))
}

pub async fn notify(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<NoticeFields>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = parse_id(&id, lang)?;
    let n = s.app.notify_absence(&v, id, f.reason.as_deref().unwrap_or("")).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(notice(&n))))
}

pub async fn answer_notice(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path((id, member)): Path<(String, String)>,
    ApiJson(f): ApiJson<AnswerFields>,
) -> Result<Json<Value>, ApiError> {
    let (id, member) = (parse_id(&id, lang)?, parse_id(&member, lang)?);
    let accept = f.parse().or_api(lang)?;
    let n = s.app.answer_notice(&v, id, member, accept).await.or_api(lang)?;
    Ok(Json(notice(&n)))
}

fn upcoming_item(u: &UpcomingMeeting, lang: Lang) -> Value {
    json!({
        "meeting": {
            "id": u.meeting.id,
            "cell_id": u.meeting.cell_id,
            "kind": u.meeting.kind,
            "kind_label": MeetingKind::parse(&u.meeting.kind).map(|k| k.label(lang)),
            "held_on": u.meeting.held_on.to_string(),
            "starts_at": u.meeting.starts_at,
            "place": u.meeting.place,
            "agenda": u.meeting.agenda,
            "guests": u.meeting.guests,
        },
        "cell_name": u.cell_name,
        "member_id": u.member_id,
        "documents": u.documents.iter().map(document).collect::<Vec<_>>(),
        "notice": u.notice.as_ref().map(notice),
    })
}

pub async fn upcoming(S(s): S<State>, Reader(v, lang): Reader) -> Result<Json<Value>, ApiError> {
    let list = s.app.upcoming_meetings(&v).await.or_api(lang)?;
    Ok(Json(json!({"items": list.iter().map(|u| upcoming_item(u, lang)).collect::<Vec<_>>()})))
}

pub(crate) fn figure_set(f: &FigureSet, lang: Lang) -> Value {
    json!({
        "regular": share(f.regular),
        "thematic": share(f.thematic),
        "attendance": share(f.attendance),
        "meetings": f.meetings,
        "ratings": f.ratings.iter().map(|(r, n)| json!({
            "rating": r.code(), "label": r.label(lang), "count": n,
        })).collect::<Vec<_>>(),
        "unrated": f.unrated,
    })
}

fn figures(f: &FiguresView, lang: Lang) -> Value {
    let named = |list: &[MissedIn]| list.iter().map(missed).collect::<Vec<_>>();
    let ym = |list: &[(i32, u8)], quarter: bool| {
        list.iter()
            .map(|(y, n)| if quarter { format!("{y:04}-Q{n}") } else { format!("{y:04}-{n:02}") })
            .collect::<Vec<_>>()
    };
    json!({
        "org": {"id": f.org.id, "name": f.org.input.name, "kind": f.org.kind().code(), "kind_label": f.org.kind().label(lang)},
        "period": f.period,
        "from": f.from.to_string(),
        "last": f.last.to_string(),
        "through": f.through.to_string(),
        "figures": figure_set(&f.figures, lang),
        "children": f.children.iter().map(|c| json!({
            "org_id": c.org_id, "name": c.name, "kind": c.kind, "is_cell": c.is_cell,
            "figures": figure_set(&c.figures, lang),
        })).collect::<Vec<_>>(),
        "cell": f.cell.as_ref().map(|c| json!({
            "meetings": c.meetings.iter().map(|m| meeting_row(m, lang)).collect::<Vec<_>>(),
            "missing_regular": ym(&c.missing_regular, false),
            "missing_thematic": ym(&c.missing_thematic, true),
        })),
        "missing": f.missing.as_ref().map(|m| json!({
            "regular": named(&m.regular),
            "thematic": named(&m.thematic),
        })),
    })
}

#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    period: Option<String>,
}

fn missed(m: &MissedIn) -> Value {
    json!({
        "period": m.period,
        "count": m.count,
        "cells": m.cells.iter().map(|c| json!({"id": c.id, "name": c.name})).collect::<Vec<_>>(),
        "next": m.next,
    })
}

#[derive(Deserialize, Default)]
pub struct MissedQuery {
    period: Option<String>,
    offset: Option<String>,
    limit: Option<String>,
}

/// One page of the cells under an organisation that missed the meeting of a month or quarter.
pub async fn missed_meetings(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<MissedQuery>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let offset = crate::input::offset_of(q.offset.as_deref()).or_api(lang)?;
    let limit = q.limit.as_deref().and_then(|l| l.trim().parse::<usize>().ok()).unwrap_or(MISSED_PAGE);
    let page =
        s.app.missed_meetings(&v, id, q.period.as_deref().unwrap_or_default(), offset, limit).await.or_api(lang)?;
    Ok(Json(missed(&page)))
}

pub async fn org_figures(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let period = q.period.unwrap_or_else(|| chibo_access::today().year().to_string());
    let f = s.app.meeting_figures(&v, id, &period).await.or_api(lang)?;
    Ok(Json(figures(&f, lang)))
}

pub(crate) fn absentee(a: &AbsenteeView, lang: Lang) -> Value {
    let x = &a.absentee;
    json!({
        "member_id": x.member_id,
        "full_name": a.full_name,
        "year": x.year,
        "longest_in_a_row": x.longest_in_a_row,
        "longest_excused_in_a_row": x.longest_excused_in_a_row,
        "unexcused": x.unexcused,
        "unexcused_months": x.unexcused_months,
        "last_absence": day(x.last_absence),
        "concerns": x.concerns.iter().map(|c| json!({"code": c.code(), "label": c.label(lang)})).collect::<Vec<_>>(),
    })
}

pub async fn absences(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let year = year_of(&q.year).or_api(lang)?;
    let list = s.app.absence_worklist(&v, id, year).await.or_api(lang)?;
    Ok(Json(json!({"year": year, "items": list.iter().map(|a| absentee(a, lang)).collect::<Vec<_>>()})))
}

fn topic(t: &Topic) -> Value {
    json!({"id": t.id, "cell_id": t.cell_id, "year": t.year, "month": t.month, "title": t.title})
}

pub async fn topics(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let year = year_of(&q.year).or_api(lang)?;
    let list = s.app.topics(&v, id, year).await.or_api(lang)?;
    Ok(Json(json!({"year": year, "items": list.iter().map(topic).collect::<Vec<_>>()})))
}

pub async fn plan_topic(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<TopicFields>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = parse_id(&id, lang)?;
    let input = f.parse().or_api(lang)?;
    let t = s.app.plan_topic(&v, id, &input).await.map_err(hidden_cell).or_api(lang)?;
    Ok((StatusCode::CREATED, Json(topic(&t))))
}

pub async fn delete_topic(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    s.app.delete_topic(&v, id).await.or_api(lang)?;
    Ok(Json(json!({"deleted": id})))
}

#[derive(Deserialize, Default)]
pub struct OnQuery {
    on: Option<String>,
}

pub async fn scoring_sheet(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<OnQuery>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let mut f = crate::input::Fields::new(DateStyle::Vietnamese);
    let on = f.date("on", "Ngày", "Date", &q.on);
    f.errors.finish(()).or_api(lang)?;
    let in_force = s.app.scoring_sheet(&v, id, on.unwrap_or_else(chibo_access::today)).await.or_api(lang)?;
    Ok(Json(sheet(&in_force, lang)))
}

pub async fn set_scoring_sheet(
    S(s): S<State>,
    Writer(v, lang): Writer,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<SheetFields>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = parse_id(&id, lang)?;
    let input = f.parse(DateStyle::Iso).or_api(lang)?;
    let row = s.app.set_scoring_sheet(&v, id, &input).await.or_api(lang)?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "id": row.id, "org_id": row.org_id, "name": row.name, "effective_from": row.effective_from.to_string(),
            "sheet": serde_json::from_str::<Value>(&row.body).unwrap_or(Value::Null),
        })),
    ))
}
