//! Cell meetings (*sinh hoạt chi bộ*): scheduling with the roll derived from the membership on
//! the date, attendance, minutes, the quality rating, approval (which locks the minutes) and
//! corrections with their reason. Every write keeps the compliance figures in step in the same
//! transaction (`chibo_store::meeting_figures`).

use crate::load::load_org;
use crate::transaction::write;
use crate::{Chibo, Outcome, Viewer, snapshot};
use chibo_domain::access::{Action, Target};
use chibo_domain::life::{SpanKind, state_on};
use chibo_domain::meeting::life_cycle::{check_date, future_held, need_reason};
use chibo_domain::meeting::{
    Attachment, Line, Mark, MeetingKind, MeetingStatus, MinutesContent, Recorded, RollRow, Step, VoteBase, after_step,
    check_marks, check_resolution, check_step, corrects_record, counts, roll_row, vote_base,
};
use chibo_domain::member::MemberStatus;
use chibo_domain::{FieldError, Problem, Validation};
use chibo_store::meetings::{self, AttendanceRow, Correction, Meeting, Speaker};
use chibo_store::orgs::Org;
use chibo_store::{Exec, Tx, audit, events, meeting_figures, members};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use time::{Date, OffsetDateTime, Time};
use uuid::Uuid;

/// The longest text of a free field (agenda, conclusions, an opinion…).
const MAX_TEXT: usize = chibo_domain::text::MINUTES_TEXT.max;

/// What is entered to schedule a meeting or change its plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MeetingInput {
    pub kind: MeetingKind,
    pub held_on: Date,
    /// `HH:MM`.
    #[serde(default)]
    pub starts_at: Option<String>,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub agenda: String,
    #[serde(default)]
    pub topic_id: Option<Uuid>,
    /// Guests, e.g. the committee member assigned to attend (*cấp ủy viên dự sinh hoạt*).
    #[serde(default)]
    pub guests: String,
}

/// A speaker's opinion as entered.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SpeakerInput {
    #[serde(default)]
    pub member_id: Option<Uuid>,
    /// Needed for a guest; a member's name is taken from the record.
    #[serde(default)]
    pub name: String,
    pub opinion: String,
}

/// The minutes (*biên bản*) as entered.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MinutesInput {
    #[serde(default)]
    pub starts_at: Option<String>,
    #[serde(default)]
    pub ends_at: Option<String>,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub agenda: String,
    #[serde(default)]
    pub chair_id: Option<Uuid>,
    #[serde(default)]
    pub recorder_id: Option<Uuid>,
    #[serde(default)]
    pub guests: String,
    /// Follow-up of the previous meeting's resolution.
    #[serde(default)]
    pub followup: String,
    #[serde(default)]
    pub conclusions: String,
    #[serde(default)]
    pub resolution: String,
    #[serde(default)]
    pub votes_for: Option<u32>,
    #[serde(default)]
    pub votes_against: Option<u32>,
    #[serde(default)]
    pub votes_abstain: Option<u32>,
    #[serde(default)]
    pub speakers: Vec<SpeakerInput>,
}

/// One member's mark as entered.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MarkInput {
    pub member_id: Uuid,
    pub mark: Mark,
    #[serde(default)]
    pub reason: String,
}

/// A line of the roll with the member's name.
#[derive(Debug, Clone, Serialize)]
pub struct RollLine {
    pub member_id: Uuid,
    pub full_name: String,
    pub sort_key: String,
    pub standing: MemberStatus,
    pub attachment: Attachment,
    pub exempt: bool,
    pub suspended: bool,
    pub mark: Option<Mark>,
    pub reason: String,
}

/// A meeting with everything its page and its minutes show.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingView {
    pub meeting: Meeting,
    pub kind: MeetingKind,
    pub status: MeetingStatus,
    pub cell: Org,
    /// Empty for a member who may not list the cell's people (they see their own line only).
    pub roll: Vec<RollLine>,
    pub speakers: Vec<Speaker>,
    pub documents: Vec<meetings::Document>,
    pub notices: Vec<meetings::Notice>,
    pub corrections: Vec<Correction>,
    pub vote_base: VoteBase,
    /// The parts of the minutes still missing, by field.
    pub minutes_missing: Vec<&'static str>,
    /// The previous held meeting's resolution, to follow up.
    pub previous: Option<Meeting>,
    pub may_write: bool,
    /// The viewer sees the whole roll (else their own line only).
    pub sees_roll: bool,
    /// The name of the committee above the cell (the header of the minutes).
    pub committee_name: Option<String>,
    /// The planned thematic topic the meeting takes up.
    pub topic: Option<chibo_store::meetings::Topic>,
}

fn text_field(v: &mut Validation, field: &str, label: (&str, &str), s: &str) {
    if s.chars().count() > MAX_TEXT {
        v.push(FieldError::new(
            field,
            "too_long",
            format!("{}: quá dài (tối đa {MAX_TEXT} ký tự).", label.0),
            format!("{}: too long (at most {MAX_TEXT} characters).", label.1),
        ));
    }
}

/// Parse `HH:MM` (field `field`).
pub fn parse_time(field: &str, s: &str) -> Result<Time, FieldError> {
    let bad = || {
        FieldError::new(
            field,
            "bad_time",
            "Giờ: hãy nhập theo dạng HH:MM, ví dụ 19:30.",
            "Time: use HH:MM, e.g. 19:30.",
        )
    };
    let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
    let (h, m) = (h.parse::<u8>().map_err(|_| bad())?, m.parse::<u8>().map_err(|_| bad())?);
    Time::from_hms(h, m, 0).map_err(|_| bad())
}

fn time_text(t: Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

fn optional_time(v: &mut Validation, field: &str, s: &Option<String>) -> Option<String> {
    let s = s.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    match parse_time(field, s) {
        Ok(t) => Some(time_text(t)),
        Err(e) => {
            v.push(e);
            None
        }
    }
}

pub(crate) async fn load(e: &mut impl Exec, id: Uuid) -> Outcome<Meeting> {
    meetings::by_id(e, id).await?.ok_or(Problem::NotFound)
}

/// What was recorded of a meeting, for [`corrects_record`].
fn recorded(m: &Meeting) -> Recorded<'_> {
    Recorded {
        status: m.status,
        held_on: m.held_on,
        kind: m.kind,
        conclusions: &m.conclusions,
        resolution: &m.resolution,
        followup: &m.followup,
        votes_for: m.votes_for,
        starts_at: m.starts_at.as_deref(),
        ends_at: m.ends_at.as_deref(),
        chair_id: m.chair_id,
        recorder_id: m.recorder_id,
    }
}

/// The roll of `cell` on `on`: its members (home, attached here or elsewhere) with their
/// standing and exemption that day, from their spans and events.
pub(crate) async fn roll_on(e: &mut impl Exec, cell: Uuid, on: Date, meeting: Uuid) -> Outcome<Vec<AttendanceRow>> {
    let mut ids: Vec<Uuid> = Vec::new();
    for kind in [SpanKind::Home, SpanKind::Attached] {
        let spans = events::in_org_on(e, cell, kind, on).await?;
        ids.extend(spans.into_iter().map(|(m, _)| m));
    }
    ids.sort();
    ids.dedup();
    let spans = events::spans_of_members(e, &ids).await?;
    let mut by_member: HashMap<Uuid, Vec<_>> = HashMap::new();
    for (m, s) in spans {
        by_member.entry(m).or_default().push(s);
    }
    let mut histories = events::of_members(e, &ids).await?;
    let mut out = Vec::new();
    for id in ids {
        let evs: Vec<_> = histories.remove(&id).unwrap_or_default().into_iter().map(|r| r.event).collect();
        let exempt = state_on(&evs, on).exempt_since.is_some();
        let spans = by_member.remove(&id).unwrap_or_default();
        if let Some(row) = roll_row(id, cell, on, &spans, exempt, false)
            && row.standing.is_active()
        {
            out.push(AttendanceRow {
                meeting_id: meeting,
                member_id: id,
                standing: row.standing.code().to_string(),
                attachment: row.attachment.code().to_string(),
                exempt,
                suspended: false,
                mark: None,
                reason: String::new(),
            });
        }
    }
    Ok(out)
}

fn line_of(r: &AttendanceRow) -> Line {
    Line {
        row: RollRow {
            member_id: r.member_id,
            standing: MemberStatus::parse(&r.standing).unwrap_or(MemberStatus::Official),
            exempt: r.exempt,
            suspended: r.suspended,
            attachment: Attachment::parse(&r.attachment).unwrap_or(Attachment::Home),
        },
        mark: r.mark.as_deref().and_then(Mark::parse),
    }
}

/// Put the counts of the roll on the meeting row.
fn set_counts(m: &mut Meeting, roll: &[AttendanceRow]) {
    let lines: Vec<Line> = roll.iter().map(line_of).collect();
    let c = counts(&lines);
    (m.present, m.excused, m.unexcused, m.exempt, m.special_duty, m.exempt_present) = (
        i64::from(c.present),
        i64::from(c.excused),
        i64::from(c.unexcused),
        i64::from(c.exempt),
        i64::from(c.special_duty),
        i64::from(c.exempt_present),
    );
}

/// Which parts of the minutes are there.
pub(crate) fn minutes_content(m: &Meeting, speakers: &[Speaker]) -> MinutesContent {
    let filled = |s: &str| !s.trim().is_empty();
    MinutesContent {
        time: m.starts_at.is_some() && m.ends_at.is_some(),
        place: filled(&m.place),
        chair: m.chair_id.is_some(),
        recorder: m.recorder_id.is_some(),
        agenda: filled(&m.agenda),
        opinions: !speakers.is_empty() && speakers.iter().all(|s| filled(&s.opinion)),
        conclusions: filled(&m.conclusions),
    }
}

impl Chibo {
    /// The cell of a meeting, refused unless the viewer may write it; approved minutes are locked.
    async fn writable_meeting(&self, v: &Viewer, tx: &mut Tx, id: Uuid, version: i64) -> Outcome<(Meeting, Org)> {
        let m = load(tx, id).await?;
        let cell = load_org(tx, m.cell_id).await?;
        v.check(Action::Write, Target::Org { path: &cell.path })?;
        check_step(m.status, Step::Other, m.held_on, self.today())?;
        if m.version != version {
            return Err(Problem::stale());
        }
        Ok((m, cell))
    }

    /// Schedule a meeting of a cell: the roll (the invitations) is the cell's membership on the
    /// date — official and probationary members, the members attached here — with the exempt
    /// and those attached elsewhere marked as such.
    pub async fn schedule_meeting(&self, v: &Viewer, cell_id: Uuid, input: &MeetingInput) -> Outcome<MeetingView> {
        let id = write!(self, |tx| {
            let cell = self.writable_cell(v, tx, cell_id).await.map_err(|p| p.renamed("org_id", "cell_id"))?;
            let mut val = Validation::default();
            let starts_at = self.check_plan(tx, &mut val, &cell, input).await?;
            if !val.is_ok() {
                return Err(Problem::Invalid(val));
            }
            let now = OffsetDateTime::now_utc();
            let id = Uuid::now_v7();
            let m = Meeting {
                id,
                cell_id: cell.id,
                kind: input.kind,
                status: MeetingStatus::Scheduled,
                held_on: input.held_on,
                starts_at,
                ends_at: None,
                place: input.place.trim().into(),
                agenda: input.agenda.trim().into(),
                topic_id: input.topic_id,
                chair_id: None,
                recorder_id: None,
                guests: input.guests.trim().into(),
                followup: String::new(),
                conclusions: String::new(),
                resolution: String::new(),
                votes_for: None,
                votes_against: None,
                votes_abstain: None,
                present: 0,
                excused: 0,
                unexcused: 0,
                exempt: 0,
                special_duty: 0,
                exempt_present: 0,
                scores: None,
                score: None,
                rating: None,
                approved_at: None,
                approved_by: None,
                version: 1,
                created_at: now,
                updated_at: now,
            };
            meetings::insert_many(tx, std::slice::from_ref(&m)).await?;
            let roll = roll_on(tx, cell.id, m.held_on, id).await?;
            meetings::insert_attendance(tx, &roll).await?;
            self.record_meeting(tx, v, "meeting.schedule", &m, &cell, None).await?;
            Ok(id)
        })?;
        self.meeting(v, id).await
    }

    /// Change the plan of a meeting not yet held (a new date derives the roll again, keeping
    /// the marks and notices of members still on it), or of a held one with a reason.
    pub async fn update_meeting(
        &self,
        v: &Viewer,
        id: Uuid,
        input: &MeetingInput,
        version: i64,
        reason: Option<&str>,
    ) -> Outcome<MeetingView> {
        write!(self, |tx| {
            let (before, cell) = self.writable_meeting(v, tx, id, version).await?;
            check_step(before.status, Step::Replan, before.held_on, self.today())?;
            let mut val = Validation::default();
            let starts_at = self.check_plan(tx, &mut val, &cell, input).await?;
            let held = before.status.was_held();
            if held && input.held_on > self.today() {
                val.push(future_held());
            }
            if !val.is_ok() {
                return Err(Problem::Invalid(val));
            }
            let mut m = before.clone();
            m.kind = input.kind;
            m.held_on = input.held_on;
            m.starts_at = starts_at.or(m.starts_at);
            m.place = input.place.trim().into();
            m.agenda = input.agenda.trim().into();
            m.topic_id = input.topic_id;
            m.guests = input.guests.trim().into();
            if m.held_on != before.held_on {
                let old: HashMap<Uuid, AttendanceRow> =
                    meetings::roll(tx, id).await?.into_iter().map(|r| (r.member_id, r)).collect();
                let mut roll = roll_on(tx, cell.id, m.held_on, id).await?;
                for r in roll.iter_mut() {
                    if let Some(o) = old.get(&r.member_id) {
                        (r.mark, r.reason) = (o.mark.clone(), o.reason.clone());
                    }
                }
                if held {
                    let lines: Vec<Line> = roll.iter().map(line_of).collect();
                    check_marks(&lines).finish(()).map_err(Problem::Invalid)?;
                }
                set_counts(&mut m, &roll);
                meetings::replace_roll(tx, id, &roll).await?;
            }
            self.save(tx, v, &before, m, &cell, reason, "meeting.update").await?;
            Ok(())
        })?;
        self.meeting(v, id).await
    }

    /// Record the attendance (every member on the roll who is expected needs a mark). A
    /// scheduled meeting becomes held; marks already recorded change only with a reason once
    /// the day has passed.
    pub async fn record_attendance(
        &self,
        v: &Viewer,
        id: Uuid,
        marks: &[MarkInput],
        version: i64,
        reason: Option<&str>,
    ) -> Outcome<MeetingView> {
        write!(self, |tx| {
            let (before, cell) = self.writable_meeting(v, tx, id, version).await?;
            check_step(before.status, Step::Attend, before.held_on, self.today())?;
            let mut roll = meetings::roll(tx, id).await?;
            let old = roll.clone();
            let mut val = Validation::default();
            let mut given: BTreeMap<Uuid, &MarkInput> = BTreeMap::new();
            for (i, mk) in marks.iter().enumerate() {
                if !roll.iter().any(|r| r.member_id == mk.member_id) {
                    val.push(FieldError::new(
                        &format!("marks.{i}.member_id"),
                        "not_on_roll",
                        "Điểm danh: đảng viên này không có trong danh sách sinh hoạt của chi bộ ngày họp.",
                        "Attendance: this member is not on the cell's roll on the meeting date.",
                    ));
                }
                text_field(&mut val, &format!("marks.{i}.reason"), ("Lý do", "Reason"), &mk.reason);
                given.insert(mk.member_id, mk);
            }
            for r in roll.iter_mut() {
                if let Some(mk) = given.get(&r.member_id) {
                    r.mark = Some(mk.mark.code().to_string());
                    r.reason = mk.reason.trim().to_string();
                }
            }
            roll.sort_by_key(|r| r.member_id);
            let lines: Vec<Line> = roll.iter().map(line_of).collect();
            for e in check_marks(&lines).errors {
                // Report by member, not by position in the stored roll.
                let idx: usize = e.field.trim_start_matches("marks.").parse().unwrap_or(0);
                let member = roll.get(idx).map(|r| r.member_id).unwrap_or_default();
                val.push(FieldError { field: format!("marks.{member}"), ..e });
            }
            if !val.is_ok() {
                return Err(Problem::Invalid(val));
            }
            let changed_marks = old.iter().any(|o| {
                o.mark.is_some()
                    && roll.iter().any(|r| r.member_id == o.member_id && (r.mark != o.mark || r.reason != o.reason))
            });
            let mut m = before.clone();
            set_counts(&mut m, &roll);
            m.status = after_step(m.status, Step::Attend);
            meetings::replace_roll(tx, id, &roll).await?;
            let reason = reason.map(str::trim).filter(|r| !r.is_empty());
            if changed_marks && before.held_on < self.today() {
                let Some(reason) = reason else { return Err(need_reason()) };
                let changes: Vec<_> = old
                    .iter()
                    .filter_map(|o| {
                        let r = roll.iter().find(|r| r.member_id == o.member_id)?;
                        (o.mark.is_some() && (r.mark != o.mark || r.reason != o.reason))
                            .then(|| serde_json::json!({"member_id": o.member_id, "from": o.mark, "to": r.mark}))
                    })
                    .collect();
                self.correction(tx, v, id, reason, serde_json::json!({ "marks": changes })).await?;
            }
            self.save(tx, v, &before, m, &cell, None, "meeting.attendance").await?;
            Ok(())
        })?;
        self.meeting(v, id).await
    }

    /// Record the minutes of a held meeting (after the day, a change to what was recorded needs
    /// a reason). The votes are checked against the vote base of the attendance.
    pub async fn record_minutes(
        &self,
        v: &Viewer,
        id: Uuid,
        input: &MinutesInput,
        version: i64,
        reason: Option<&str>,
    ) -> Outcome<MeetingView> {
        write!(self, |tx| {
            let (before, cell) = self.writable_meeting(v, tx, id, version).await?;
            check_step(before.status, Step::WriteMinutes, before.held_on, self.today())?;
            let roll = meetings::roll(tx, id).await?;
            let mut val = Validation::default();
            let starts_at = optional_time(&mut val, "starts_at", &input.starts_at);
            let ends_at = optional_time(&mut val, "ends_at", &input.ends_at);
            if let (Some(s), Some(e)) = (&starts_at, &ends_at)
                && let (Ok(s), Ok(e)) = (parse_time("starts_at", s), parse_time("ends_at", e))
                && let Err(err) = chibo_domain::meeting::duration(s, e)
            {
                val.push(FieldError { field: "ends_at".into(), ..err });
            }
            for (field, label, text) in [
                ("place", ("Địa điểm", "Place"), &input.place),
                ("agenda", ("Nội dung", "Agenda"), &input.agenda),
                ("guests", ("Khách mời", "Guests"), &input.guests),
                ("followup", ("Kiểm điểm nghị quyết kỳ trước", "Follow-up"), &input.followup),
                ("conclusions", ("Kết luận", "Conclusions"), &input.conclusions),
                ("resolution", ("Nghị quyết", "Resolution"), &input.resolution),
            ] {
                text_field(&mut val, field, label, text);
            }
            let on_roll = |m: Uuid| roll.iter().any(|r| r.member_id == m && r.mark.as_deref() == Some("present"));
            for (field, who) in [("chair_id", input.chair_id), ("recorder_id", input.recorder_id)] {
                if who.is_some_and(|m| !on_roll(m)) {
                    val.push(FieldError::new(
                        field,
                        "not_present",
                        "Chủ trì / thư ký: phải là đảng viên có mặt.",
                        "Chair / recorder: must be a member who was present.",
                    ));
                }
            }
            let names = self.names(tx, &input.speakers.iter().filter_map(|s| s.member_id).collect::<Vec<_>>()).await?;
            let mut speakers = Vec::new();
            for (i, s) in input.speakers.iter().enumerate() {
                let name = match s.member_id {
                    Some(m) if on_roll(m) => names.get(&m).cloned().unwrap_or_default(),
                    Some(_) => {
                        val.push(FieldError::new(
                            &format!("speakers.{i}.member_id"),
                            "not_present",
                            "Người phát biểu: đảng viên này không có mặt.",
                            "Speaker: this member was not present.",
                        ));
                        continue;
                    }
                    None if s.name.trim().is_empty() => {
                        val.push(FieldError::required(&format!("speakers.{i}.name"), "Người phát biểu", "Speaker"));
                        continue;
                    }
                    None => s.name.trim().to_string(),
                };
                text_field(&mut val, &format!("speakers.{i}.opinion"), ("Ý kiến", "Opinion"), &s.opinion);
                speakers.push(Speaker {
                    seq: i as i64 + 1,
                    member_id: s.member_id,
                    name,
                    opinion: s.opinion.trim().into(),
                });
            }
            let lines: Vec<Line> = roll.iter().map(line_of).collect();
            let base = vote_base(&lines);
            if let Some(f) = input.votes_for {
                for e in check_resolution(before.held_on, f, base.base).errors {
                    val.push(e);
                }
                // Added as u64: each count is a u32 from the form.
                let total = [Some(f), input.votes_against, input.votes_abstain]
                    .into_iter()
                    .map(|n| u64::from(n.unwrap_or(0)))
                    .sum::<u64>();
                if total > u64::from(base.present) {
                    val.push(FieldError::new(
                        "votes_for",
                        "more_votes_than_present",
                        format!(
                            "Biểu quyết: tổng số phiếu ({total}) nhiều hơn số đảng viên chính thức có mặt ({}).",
                            base.present
                        ),
                        format!("Votes: the total ({total}) exceeds the official members present ({}).", base.present),
                    ));
                }
            }
            if !val.is_ok() {
                return Err(Problem::Invalid(val));
            }
            let mut m = before.clone();
            m.starts_at = starts_at;
            m.ends_at = ends_at;
            m.place = input.place.trim().into();
            m.agenda = input.agenda.trim().into();
            m.chair_id = input.chair_id;
            m.recorder_id = input.recorder_id;
            m.guests = input.guests.trim().into();
            m.followup = input.followup.trim().into();
            m.conclusions = input.conclusions.trim().into();
            m.resolution = input.resolution.trim().into();
            m.votes_for = input.votes_for.map(i64::from);
            m.votes_against = input.votes_against.map(i64::from);
            m.votes_abstain = input.votes_abstain.map(i64::from);
            let old_speakers = meetings::speakers(tx, id).await?;
            if !old_speakers.is_empty() && old_speakers != speakers && before.held_on < self.today() {
                let reason = reason.map(str::trim).filter(|r| !r.is_empty()).ok_or_else(need_reason)?;
                self.correction(
                    tx,
                    v,
                    id,
                    reason,
                    serde_json::json!({ "speakers": { "from": old_speakers, "to": speakers } }),
                )
                .await?;
            }
            meetings::replace_speakers(tx, id, &speakers).await?;
            self.save(tx, v, &before, m, &cell, reason, "meeting.minutes").await?;
            Ok(())
        })?;
        self.meeting(v, id).await
    }

    /// Approve the minutes: every expected member has a mark and every required part is there.
    /// Approved minutes are locked.
    pub async fn approve_minutes(&self, v: &Viewer, id: Uuid, version: i64) -> Outcome<MeetingView> {
        write!(self, |tx| {
            let (before, cell) = self.writable_meeting(v, tx, id, version).await?;
            check_step(before.status, Step::Approve, before.held_on, self.today())?;
            let speakers = meetings::speakers(tx, id).await?;
            let missing = minutes_content(&before, &speakers).missing();
            if !missing.is_empty() {
                let errors = missing
                    .iter()
                    .map(|f| {
                        FieldError::new(
                            f,
                            "minutes_incomplete",
                            format!("Biên bản còn thiếu: {}.", minutes_part_label(f, chibo_domain::Lang::Vi)),
                            format!("The minutes lack: {}.", minutes_part_label(f, chibo_domain::Lang::En)),
                        )
                    })
                    .collect();
                return Err(Problem::Invalid(Validation { errors }));
            }
            let mut m = before.clone();
            m.status = after_step(before.status, Step::Approve);
            m.approved_at = Some(OffsetDateTime::now_utc());
            m.approved_by = Some(v.display_name().to_string());
            self.save(tx, v, &before, m, &cell, None, "meeting.approve").await?;
            Ok(())
        })?;
        self.meeting(v, id).await
    }

    /// Cancel a meeting that was not held.
    pub async fn cancel_meeting(&self, v: &Viewer, id: Uuid, version: i64) -> Outcome<MeetingView> {
        write!(self, |tx| {
            let (before, cell) = self.writable_meeting(v, tx, id, version).await?;
            check_step(before.status, Step::Cancel, before.held_on, self.today())?;
            let mut m = before.clone();
            m.status = after_step(before.status, Step::Cancel);
            self.save(tx, v, &before, m, &cell, None, "meeting.cancel").await?;
            Ok(())
        })?;
        self.meeting(v, id).await
    }

    /// Write the meeting row (version + 1), keep the figures in step and record the audit.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn save(
        &self,
        tx: &mut Tx,
        v: &Viewer,
        before: &Meeting,
        mut m: Meeting,
        cell: &Org,
        reason: Option<&str>,
        action: &str,
    ) -> Outcome<Meeting> {
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        let recorded_changed = corrects_record(&recorded(before), &recorded(&m), self.today());
        if recorded_changed {
            let reason = reason.ok_or_else(need_reason)?;
            self.correction(tx, v, m.id, reason, serde_json::json!({ "from": snapshot(before), "to": snapshot(&m) }))
                .await?;
        }
        m.version = before.version + 1;
        m.updated_at = OffsetDateTime::now_utc();
        meetings::update(tx, &m).await?;
        let dates = if before.held_on == m.held_on { vec![m.held_on] } else { vec![before.held_on, m.held_on] };
        if before.status.was_held() || m.status.was_held() {
            meeting_figures::meetings_changed(tx, m.cell_id, &dates, self.today()).await?;
        }
        self.record_meeting(tx, v, action, &m, cell, snapshot(before)).await?;
        Ok(m)
    }

    pub(crate) async fn record_meeting(
        &self,
        tx: &mut Tx,
        v: &Viewer,
        action: &str,
        m: &Meeting,
        cell: &Org,
        before: Option<serde_json::Value>,
    ) -> Outcome<()> {
        let entry = v.audit(action, "meeting", Some(m.id), Some(&cell.path), before, snapshot(m));
        audit::record(tx, &entry).await.map_err(Problem::from)
    }

    async fn correction(
        &self,
        tx: &mut Tx,
        v: &Viewer,
        id: Uuid,
        reason: &str,
        changes: serde_json::Value,
    ) -> Outcome<()> {
        if reason.chars().count() > 2_000 {
            return Err(Problem::field("reason", "too_long", "Lý do sửa: quá dài.", "Reason: too long."));
        }
        let c = Correction {
            id: Uuid::now_v7(),
            meeting_id: id,
            reason: reason.to_string(),
            changes: changes.to_string(),
            by_name: v.display_name().to_string(),
            at: OffsetDateTime::now_utc(),
        };
        meetings::insert_correction(tx, &c).await.map_err(Problem::from)
    }

    /// Check a plan as entered; returns the start time normalised.
    async fn check_plan(
        &self,
        tx: &mut Tx,
        val: &mut Validation,
        cell: &Org,
        input: &MeetingInput,
    ) -> Outcome<Option<String>> {
        let starts_at = optional_time(val, "starts_at", &input.starts_at);
        text_field(val, "place", ("Địa điểm", "Place"), &input.place);
        text_field(val, "agenda", ("Nội dung", "Agenda"), &input.agenda);
        text_field(val, "guests", ("Khách mời", "Guests"), &input.guests);
        check_date(val, cell.input.established_on, cell.input.dissolved_on, input.held_on, self.today());
        self.check_topic(tx, val, cell.id, input.topic_id).await?;
        Ok(starts_at)
    }

    async fn check_topic(&self, tx: &mut Tx, val: &mut Validation, cell: Uuid, topic: Option<Uuid>) -> Outcome<()> {
        let Some(t) = topic else { return Ok(()) };
        let found = meetings::topic(tx, t).await?;
        if found.is_none_or(|t| t.cell_id != cell) {
            val.push(FieldError::new(
                "topic_id",
                "not_found",
                "Chuyên đề: không có trong kế hoạch của chi bộ.",
                "Topic: not in the cell's plan.",
            ));
        }
        Ok(())
    }

    pub(crate) async fn names(&self, e: &mut impl Exec, ids: &[Uuid]) -> Outcome<HashMap<Uuid, String>> {
        let list = members::by_ids(e, ids).await?;
        Ok(list.into_iter().map(|m| (m.id, m.full_name)).collect())
    }

    /// A meeting with its roll, speakers, documents, notices and corrections. A member who may
    /// not list the cell's people sees the plan, the documents and their own line only: the
    /// minutes, counts, vote base and rating are cleared ([`plan_only`]).
    pub async fn meeting(&self, v: &Viewer, id: Uuid) -> Outcome<MeetingView> {
        let mut c = self.pools.snapshot().await?;
        let mut m = load(&mut c, id).await?;
        let cell = load_org(&mut c, m.cell_id).await?;
        v.check(Action::Read, Target::Org { path: &cell.path })?;
        let lists = v.check_list(&cell.path).is_ok();
        let own = v.own_member_ids();
        let rows = meetings::roll(&mut c, id).await?;
        let vote_base =
            if lists { vote_base(&rows.iter().map(line_of).collect::<Vec<_>>()) } else { VoteBase::default() };
        let visible: Vec<&AttendanceRow> = rows.iter().filter(|r| lists || own.contains(&r.member_id)).collect();
        let ids: Vec<Uuid> = visible.iter().map(|r| r.member_id).collect();
        let people = members::by_ids(&mut c, &ids).await?;
        let mut roll: Vec<RollLine> = visible
            .iter()
            .map(|r| {
                let p = people.iter().find(|p| p.id == r.member_id);
                let l = line_of(r);
                RollLine {
                    member_id: r.member_id,
                    full_name: p.map(|p| p.full_name.clone()).unwrap_or_default(),
                    sort_key: p.map(|p| p.input.sort_key()).unwrap_or_default(),
                    standing: l.row.standing,
                    attachment: l.row.attachment,
                    exempt: r.exempt,
                    suspended: r.suspended,
                    mark: l.mark,
                    reason: r.reason.clone(),
                }
            })
            .collect();
        roll.sort_by(|a, b| a.sort_key.cmp(&b.sort_key));
        let speakers = if lists { meetings::speakers(&mut c, id).await? } else { Vec::new() };
        let documents = meetings::documents(&mut c, id).await?;
        let mut notices = meetings::notices(&mut c, id).await?;
        notices.retain(|n| lists || own.contains(&n.member_id));
        let corrections = if lists { meetings::corrections(&mut c, id).await? } else { Vec::new() };
        let previous = if lists { meetings::previous_held(&mut c, m.cell_id, m.held_on, m.id).await? } else { None };
        let minutes_missing = if lists { minutes_content(&m, &speakers).missing() } else { Vec::new() };
        if !lists {
            plan_only(&mut m);
        }
        let may_write = v.may(Action::Write, Target::Org { path: &cell.path });
        // The committee's name heads the minutes; it is shown to whoever may read the cell.
        let committee_name = match cell.parent_id {
            Some(p) => chibo_store::orgs::by_id(&mut c, p).await?.map(|o| o.input.name),
            None => None,
        };
        let topic = match m.topic_id {
            Some(t) => meetings::topic(&mut c, t).await?,
            None => None,
        };
        Ok(MeetingView {
            sees_roll: lists,
            committee_name,
            topic,
            kind: m.kind,
            status: m.status,
            meeting: m,
            cell,
            roll,
            speakers,
            documents,
            notices,
            corrections,
            vote_base,
            minutes_missing,
            previous,
            may_write,
        })
    }

    /// The meetings of a cell in a year, by date.
    pub async fn meetings_of(&self, v: &Viewer, cell_id: Uuid, year: i32) -> Outcome<Vec<Meeting>> {
        let mut c = self.pools.read().await?;
        let cell = load_org(&mut c, cell_id).await?;
        v.check(Action::Read, Target::Org { path: &cell.path })?;
        let (Some(from), Some(to)) = (chibo_domain::date::ymd(year, 1, 1), chibo_domain::date::ymd(year, 12, 31))
        else {
            return Err(Problem::field("year", "bad_year", "Năm: không hợp lệ.", "Year: not valid."));
        };
        let mut list = meetings::of_cell(&mut c, cell.id, from, to).await?;
        if v.check_list(&cell.path).is_err() {
            list.iter_mut().for_each(plan_only);
        }
        Ok(list)
    }
}

/// What a member (member role) sees of a meeting: the plan — kind, status, date, start time,
/// place, agenda, topic. The minutes (end time, chair, recorder, guests, follow-up,
/// conclusions, resolution, votes), the attendance counts and the rating are cleared.
pub(crate) fn plan_only(m: &mut Meeting) {
    m.ends_at = None;
    m.chair_id = None;
    m.recorder_id = None;
    for text in [&mut m.guests, &mut m.followup, &mut m.conclusions, &mut m.resolution] {
        text.clear();
    }
    (m.votes_for, m.votes_against, m.votes_abstain) = (None, None, None);
    (m.present, m.excused, m.unexcused, m.exempt, m.special_duty, m.exempt_present) = (0, 0, 0, 0, 0, 0);
    (m.scores, m.score, m.rating, m.approved_by) = (None, None, None, None);
}

/// The label of a part of the minutes.
pub fn minutes_part_label(part: &str, lang: chibo_domain::Lang) -> &'static str {
    match part {
        "time" => lang.pick("thời gian bắt đầu và kết thúc", "start and end time"),
        "place" => lang.pick("địa điểm", "place"),
        "chair" => lang.pick("người chủ trì", "chair"),
        "recorder" => lang.pick("thư ký", "recorder"),
        "agenda" => lang.pick("nội dung sinh hoạt", "agenda"),
        "opinions" => lang.pick("ý kiến phát biểu", "opinions of the speakers"),
        "conclusions" => lang.pick("kết luận", "conclusions"),
        _ => lang.pick("nội dung khác", "other content"),
    }
}
