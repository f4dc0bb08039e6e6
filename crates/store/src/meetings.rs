//! Cell meetings (*sinh hoạt chi bộ*): the meeting rows, their roll and marks, speakers,
//! documents, advance notices of absence, corrections, the yearly topic plans and the
//! scoring sheets. The figures are kept by [`crate::meeting_figures`].

use crate::StoreError;
use crate::db::{Exec, Sql, dynamic_sql, placeholders, sql, values_rows};
use chibo_domain::meeting::{Counts, Mark, Marked, MeetingKind, MeetingStatus};
use serde::Serialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// One meeting as stored. `present` … `exempt_present` are derived from the attendance rows
/// and kept in step; `scores` holds the judged scores as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Meeting {
    pub id: Uuid,
    pub cell_id: Uuid,
    #[sqlx(try_from = "String")]
    pub kind: MeetingKind,
    #[sqlx(try_from = "String")]
    pub status: MeetingStatus,
    pub held_on: Date,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub place: String,
    pub agenda: String,
    pub topic_id: Option<Uuid>,
    pub chair_id: Option<Uuid>,
    pub recorder_id: Option<Uuid>,
    pub guests: String,
    pub followup: String,
    pub conclusions: String,
    pub resolution: String,
    pub votes_for: Option<i64>,
    pub votes_against: Option<i64>,
    pub votes_abstain: Option<i64>,
    pub present: i64,
    pub excused: i64,
    pub unexcused: i64,
    pub exempt: i64,
    pub special_duty: i64,
    pub exempt_present: i64,
    pub scores: Option<String>,
    pub score: Option<i64>,
    pub rating: Option<String>,
    pub approved_at: Option<OffsetDateTime>,
    pub approved_by: Option<String>,
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// The attendance counts kept on a meeting row, in column order (present, excused, unexcused,
/// exempt, special duty, exempt present).
pub fn counts_of(columns: [i64; 6]) -> Counts {
    let [present, excused, unexcused, exempt, special_duty, exempt_present] =
        columns.map(|v| u32::try_from(v).unwrap_or(0));
    Counts { present, excused, unexcused, exempt, special_duty, exempt_present }
}

impl Meeting {
    pub fn counts(&self) -> Counts {
        counts_of([self.present, self.excused, self.unexcused, self.exempt, self.special_duty, self.exempt_present])
    }
}

pub const MEETING_COLUMNS: &str = "id, cell_id, kind, status, held_on, starts_at, ends_at, place, agenda, topic_id, \
     chair_id, recorder_id, guests, followup, conclusions, resolution, votes_for, votes_against, votes_abstain, \
     present, excused, unexcused, exempt, special_duty, exempt_present, scores, score, rating, approved_at, \
     approved_by, version, created_at, updated_at";
const MEETING_WIDTH: usize = 33;

/// Bind every column of `m`, in [`MEETING_COLUMNS`] order.
pub fn bind_meeting(q: &mut Sql, m: &Meeting) {
    q.push_arg(m.id);
    q.push_arg(m.cell_id);
    q.push_arg(m.kind.code());
    q.push_arg(m.status.code());
    q.push_arg(m.held_on);
    q.push_arg(m.starts_at.clone());
    q.push_arg(m.ends_at.clone());
    q.push_arg(m.place.as_str());
    q.push_arg(m.agenda.as_str());
    q.push_arg(m.topic_id);
    q.push_arg(m.chair_id);
    q.push_arg(m.recorder_id);
    q.push_arg(m.guests.as_str());
    q.push_arg(m.followup.as_str());
    q.push_arg(m.conclusions.as_str());
    q.push_arg(m.resolution.as_str());
    q.push_arg(m.votes_for);
    q.push_arg(m.votes_against);
    q.push_arg(m.votes_abstain);
    for v in [m.present, m.excused, m.unexcused, m.exempt, m.special_duty, m.exempt_present] {
        q.push_arg(v);
    }
    q.push_arg(m.scores.clone());
    q.push_arg(m.score);
    q.push_arg(m.rating.clone());
    q.push_arg(m.approved_at);
    q.push_arg(m.approved_by.clone());
    q.push_arg(m.version);
    q.push_arg(m.created_at);
    q.push_arg(m.updated_at);
}

/// Insert meetings (any number, chunked).
pub async fn insert_many(e: &mut impl Exec, meetings: &[Meeting]) -> Result<(), StoreError> {
    for chunk in meetings.chunks(crate::db::rows_per_statement(MEETING_WIDTH)) {
        let mut q = dynamic_sql(format!(
            "INSERT INTO meetings ({MEETING_COLUMNS}) VALUES {}",
            values_rows(e.engine(), chunk.len(), MEETING_WIDTH)
        ));
        for m in chunk {
            bind_meeting(&mut q, m);
        }
        q.execute(e).await?;
    }
    Ok(())
}

/// Replace a meeting's row, if its version is still `m.version - 1`.
pub async fn update(e: &mut impl Exec, m: &Meeting) -> Result<(), StoreError> {
    let set: Vec<String> =
        MEETING_COLUMNS.split(", ").enumerate().skip(1).map(|(i, c)| format!("{c} = ${}", i + 1)).collect();
    let mut q = dynamic_sql(format!(
        "UPDATE meetings SET {} WHERE id = $1 AND version = ${}",
        set.join(", "),
        MEETING_WIDTH + 1
    ));
    bind_meeting(&mut q, m);
    q.push_arg(m.version - 1);
    match q.execute(e).await? {
        0 => Err(StoreError::Stale),
        _ => Ok(()),
    }
}

pub async fn by_id(e: &mut impl Exec, id: Uuid) -> Result<Option<Meeting>, StoreError> {
    dynamic_sql(format!("SELECT {MEETING_COLUMNS} FROM meetings WHERE id = $1")).bind(id).fetch_optional(e).await
}

/// The meetings of a cell between two dates (inclusive), by date.
pub async fn of_cell(e: &mut impl Exec, cell: Uuid, from: Date, to: Date) -> Result<Vec<Meeting>, StoreError> {
    dynamic_sql(format!(
        "SELECT {MEETING_COLUMNS} FROM meetings WHERE cell_id = $1 AND held_on >= $2 AND held_on <= $3 \
         ORDER BY held_on, created_at"
    ))
    .bind(cell)
    .bind(from)
    .bind(to)
    .fetch_all(e)
    .await
}

/// The cell meeting before `on` that was held (for the follow-up of its resolution).
pub async fn previous_held(e: &mut impl Exec, cell: Uuid, on: Date, not: Uuid) -> Result<Option<Meeting>, StoreError> {
    dynamic_sql(format!(
        "SELECT {MEETING_COLUMNS} FROM meetings WHERE cell_id = $1 AND held_on <= $2 AND id <> $3 \
         AND status IN ('held', 'approved') AND kind <> 'committee' ORDER BY held_on DESC LIMIT 1"
    ))
    .bind(cell)
    .bind(on)
    .bind(not)
    .fetch_optional(e)
    .await
}

/// One line of a meeting's roll: who was expected (as they stood on the date) and their mark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AttendanceRow {
    pub meeting_id: Uuid,
    pub member_id: Uuid,
    pub standing: String,
    pub attachment: String,
    pub exempt: bool,
    pub suspended: bool,
    pub mark: Option<String>,
    pub reason: String,
}

const ATTENDANCE_COLUMNS: &str = "meeting_id, member_id, standing, attachment, exempt, suspended, mark, reason";

/// Replace the roll of a meeting.
pub async fn replace_roll(e: &mut impl Exec, meeting: Uuid, rows: &[AttendanceRow]) -> Result<(), StoreError> {
    sql("DELETE FROM meeting_attendance WHERE meeting_id = $1").bind(meeting).execute(e).await?;
    insert_attendance(e, rows).await
}

/// Insert attendance rows (any number, chunked).
pub async fn insert_attendance(e: &mut impl Exec, rows: &[AttendanceRow]) -> Result<(), StoreError> {
    for chunk in rows.chunks(crate::db::rows_per_statement(8)) {
        let mut q = dynamic_sql(format!(
            "INSERT INTO meeting_attendance ({ATTENDANCE_COLUMNS}) VALUES {}",
            values_rows(e.engine(), chunk.len(), 8)
        ));
        for r in chunk {
            q.push_arg(r.meeting_id);
            q.push_arg(r.member_id);
            q.push_arg(r.standing.as_str());
            q.push_arg(r.attachment.as_str());
            q.push_arg(r.exempt);
            q.push_arg(r.suspended);
            q.push_arg(r.mark.clone());
            q.push_arg(r.reason.as_str());
        }
        q.execute(e).await?;
    }
    Ok(())
}

pub async fn roll(e: &mut impl Exec, meeting: Uuid) -> Result<Vec<AttendanceRow>, StoreError> {
    dynamic_sql(format!("SELECT {ATTENDANCE_COLUMNS} FROM meeting_attendance WHERE meeting_id = $1"))
        .bind(meeting)
        .fetch_all(e)
        .await
}

/// Set one member's mark and reason on a meeting's roll.
pub async fn set_mark(
    e: &mut impl Exec,
    meeting: Uuid,
    member: Uuid,
    mark: Option<&str>,
    reason: &str,
) -> Result<(), StoreError> {
    sql("UPDATE meeting_attendance SET mark = $3, reason = $4 WHERE meeting_id = $1 AND member_id = $2")
        .bind(meeting)
        .bind(member)
        .bind(mark)
        .bind(reason)
        .execute(e)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct MarkRow {
    meeting_id: Uuid,
    held_on: Date,
    kind: String,
    member_id: Uuid,
    mark: Option<String>,
}

/// A cell's held meetings in `[from, to)` with every member's mark, by date: (meeting id,
/// meeting), as the absence runs need them.
pub async fn marks_of_cell(
    e: &mut impl Exec,
    cell: Uuid,
    from: Date,
    to: Date,
) -> Result<Vec<(Uuid, Marked)>, StoreError> {
    let rows: Vec<MarkRow> =
        sql("SELECT a.meeting_id, m.held_on, m.kind, a.member_id, a.mark FROM meeting_attendance a \
         JOIN meetings m ON m.id = a.meeting_id WHERE m.cell_id = $1 AND m.held_on >= $2 AND m.held_on < $3 \
         AND m.status IN ('held', 'approved') ORDER BY m.held_on, m.created_at, a.member_id")
        .bind(cell)
        .bind(from)
        .bind(to)
        .fetch_all(e)
        .await?;
    let mut out: Vec<(Uuid, Marked)> = Vec::new();
    for r in rows {
        if out.last().is_none_or(|(id, _)| *id != r.meeting_id) {
            let kind = MeetingKind::parse(&r.kind).unwrap_or(MeetingKind::Extraordinary);
            out.push((r.meeting_id, Marked { on: r.held_on, kind, marks: Vec::new() }));
        }
        if let (Some((_, m)), Some(mark)) = (out.last_mut(), r.mark.as_deref().and_then(Mark::parse)) {
            m.marks.push((r.member_id, mark));
        }
    }
    Ok(out)
}

/// A speaker and their opinion, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Speaker {
    pub seq: i64,
    pub member_id: Option<Uuid>,
    pub name: String,
    pub opinion: String,
}

pub async fn replace_speakers(e: &mut impl Exec, meeting: Uuid, speakers: &[Speaker]) -> Result<(), StoreError> {
    sql("DELETE FROM meeting_speakers WHERE meeting_id = $1").bind(meeting).execute(e).await?;
    for chunk in speakers.chunks(1000) {
        let mut q = dynamic_sql(format!(
            "INSERT INTO meeting_speakers (meeting_id, seq, member_id, name, opinion) VALUES {}",
            values_rows(e.engine(), chunk.len(), 5)
        ));
        for s in chunk {
            q.push_arg(meeting);
            q.push_arg(s.seq);
            q.push_arg(s.member_id);
            q.push_arg(s.name.as_str());
            q.push_arg(s.opinion.as_str());
        }
        q.execute(e).await?;
    }
    Ok(())
}

pub async fn speakers(e: &mut impl Exec, meeting: Uuid) -> Result<Vec<Speaker>, StoreError> {
    sql("SELECT seq, member_id, name, opinion FROM meeting_speakers WHERE meeting_id = $1 ORDER BY seq")
        .bind(meeting)
        .fetch_all(e)
        .await
}

/// A document attached to a meeting, without its body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Document {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: OffsetDateTime,
}

const DOCUMENT_COLUMNS: &str = "id, meeting_id, file_name, content_type, size, sha256, uploaded_by, uploaded_at";

pub async fn insert_document(e: &mut impl Exec, d: &Document, body: &[u8]) -> Result<(), StoreError> {
    dynamic_sql(format!("INSERT INTO meeting_documents ({DOCUMENT_COLUMNS}, body) VALUES ({})", placeholders(1, 9)))
        .bind(d.id)
        .bind(d.meeting_id)
        .bind(d.file_name.as_str())
        .bind(d.content_type.as_str())
        .bind(d.size)
        .bind(d.sha256.as_str())
        .bind(d.uploaded_by.as_str())
        .bind(d.uploaded_at)
        .bind(body.to_vec())
        .execute(e)
        .await?;
    Ok(())
}

pub async fn documents(e: &mut impl Exec, meeting: Uuid) -> Result<Vec<Document>, StoreError> {
    dynamic_sql(format!(
        "SELECT {DOCUMENT_COLUMNS} FROM meeting_documents WHERE meeting_id = $1 ORDER BY uploaded_at, file_name"
    ))
    .bind(meeting)
    .fetch_all(e)
    .await
}

/// A document with its body.
pub async fn document(e: &mut impl Exec, id: Uuid) -> Result<Option<(Document, Vec<u8>)>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        doc: Document,
        body: Vec<u8>,
    }
    let row: Option<Row> = dynamic_sql(format!("SELECT {DOCUMENT_COLUMNS}, body FROM meeting_documents WHERE id = $1"))
        .bind(id)
        .fetch_optional(e)
        .await?;
    Ok(row.map(|r| (r.doc, r.body)))
}

pub async fn delete_document(e: &mut impl Exec, id: Uuid) -> Result<(), StoreError> {
    sql("DELETE FROM meeting_documents WHERE id = $1").bind(id).execute(e).await?;
    Ok(())
}

/// A member's advance notice of absence and the answer (`accepted` / `refused`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Notice {
    pub meeting_id: Uuid,
    pub member_id: Uuid,
    pub reason: String,
    pub sent_at: OffsetDateTime,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<OffsetDateTime>,
}

const NOTICE_COLUMNS: &str = "meeting_id, member_id, reason, sent_at, answer, answered_by, answered_at";

/// Record or replace a member's notice (a new notice clears any earlier answer).
pub async fn put_notice(e: &mut impl Exec, n: &Notice) -> Result<(), StoreError> {
    sql("DELETE FROM meeting_notices WHERE meeting_id = $1 AND member_id = $2")
        .bind(n.meeting_id)
        .bind(n.member_id)
        .execute(e)
        .await?;
    dynamic_sql(format!("INSERT INTO meeting_notices ({NOTICE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"))
        .bind(n.meeting_id)
        .bind(n.member_id)
        .bind(n.reason.as_str())
        .bind(n.sent_at)
        .bind(n.answer.clone())
        .bind(n.answered_by.clone())
        .bind(n.answered_at)
        .execute(e)
        .await?;
    Ok(())
}

pub async fn notices(e: &mut impl Exec, meeting: Uuid) -> Result<Vec<Notice>, StoreError> {
    dynamic_sql(format!("SELECT {NOTICE_COLUMNS} FROM meeting_notices WHERE meeting_id = $1 ORDER BY sent_at"))
        .bind(meeting)
        .fetch_all(e)
        .await
}

/// A change to a held meeting, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Correction {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub reason: String,
    pub changes: String,
    pub by_name: String,
    pub at: OffsetDateTime,
}

pub async fn insert_correction(e: &mut impl Exec, c: &Correction) -> Result<(), StoreError> {
    sql("INSERT INTO meeting_corrections (id, meeting_id, reason, changes, by_name, at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(c.id)
        .bind(c.meeting_id)
        .bind(c.reason.as_str())
        .bind(c.changes.as_str())
        .bind(c.by_name.as_str())
        .bind(c.at)
        .execute(e)
        .await?;
    Ok(())
}

pub async fn corrections(e: &mut impl Exec, meeting: Uuid) -> Result<Vec<Correction>, StoreError> {
    sql("SELECT id, meeting_id, reason, changes, by_name, at FROM meeting_corrections WHERE meeting_id = $1 ORDER BY at")
        .bind(meeting)
        .fetch_all(e)
        .await
}

/// A planned thematic topic (*chuyên đề*) of a cell for a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Topic {
    pub id: Uuid,
    pub cell_id: Uuid,
    pub year: i64,
    pub month: i64,
    pub title: String,
    pub created_at: OffsetDateTime,
}

pub async fn insert_topic(e: &mut impl Exec, t: &Topic) -> Result<(), StoreError> {
    sql("INSERT INTO meeting_topics (id, cell_id, year, month, title, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(t.id)
        .bind(t.cell_id)
        .bind(t.year)
        .bind(t.month)
        .bind(t.title.as_str())
        .bind(t.created_at)
        .execute(e)
        .await?;
    Ok(())
}

pub async fn topics(e: &mut impl Exec, cell: Uuid, year: i32) -> Result<Vec<Topic>, StoreError> {
    sql("SELECT id, cell_id, year, month, title, created_at FROM meeting_topics WHERE cell_id = $1 AND year = $2 \
         ORDER BY month, created_at")
    .bind(cell)
    .bind(year)
    .fetch_all(e)
    .await
}

pub async fn topic(e: &mut impl Exec, id: Uuid) -> Result<Option<Topic>, StoreError> {
    sql("SELECT id, cell_id, year, month, title, created_at FROM meeting_topics WHERE id = $1")
        .bind(id)
        .fetch_optional(e)
        .await
}

/// Delete a topic no meeting refers to; false when a meeting does.
pub async fn delete_topic(e: &mut impl Exec, id: Uuid) -> Result<bool, StoreError> {
    let used = sql("SELECT COUNT(*) FROM meetings WHERE topic_id = $1").bind(id).fetch_i64(e).await?;
    if used > 0 {
        return Ok(false);
    }
    sql("DELETE FROM meeting_topics WHERE id = $1").bind(id).execute(e).await?;
    Ok(true)
}

/// A scoring sheet configured for an organisation's subtree from a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SheetRow {
    pub id: Uuid,
    pub org_id: Uuid,
    pub name: String,
    pub effective_from: Date,
    pub body: String,
    pub created_at: OffsetDateTime,
}

pub async fn insert_sheet(e: &mut impl Exec, s: &SheetRow) -> Result<(), StoreError> {
    sql("INSERT INTO scoring_sheets (id, org_id, name, effective_from, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(s.id)
        .bind(s.org_id)
        .bind(s.name.as_str())
        .bind(s.effective_from)
        .bind(s.body.as_str())
        .bind(s.created_at)
        .execute(e)
        .await?;
    Ok(())
}

/// The sheets configured on any of `orgs` (a cell and its ancestors), in force by `on`.
pub async fn sheets_for(e: &mut impl Exec, orgs: &[Uuid], on: Date) -> Result<Vec<SheetRow>, StoreError> {
    let mut q = dynamic_sql(format!(
        "SELECT id, org_id, name, effective_from, body, created_at FROM scoring_sheets \
         WHERE effective_from <= $1 AND org_id IN ({}) ORDER BY effective_from DESC, created_at DESC",
        placeholders(2, orgs.len().max(1))
    ))
    .bind(on);
    if orgs.is_empty() {
        q.push_arg(Uuid::nil());
    }
    for o in orgs {
        q.push_arg(*o);
    }
    q.fetch_all(e).await
}

/// The sheets configured on an organisation.
pub async fn sheets_of(e: &mut impl Exec, org: Uuid) -> Result<Vec<SheetRow>, StoreError> {
    sql("SELECT id, org_id, name, effective_from, body, created_at FROM scoring_sheets WHERE org_id = $1 \
         ORDER BY effective_from DESC")
    .bind(org)
    .fetch_all(e)
    .await
}

/// Upcoming meetings (on or after `from`) of `cells`, by date.
pub async fn upcoming(e: &mut impl Exec, cells: &[Uuid], from: Date) -> Result<Vec<Meeting>, StoreError> {
    if cells.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = dynamic_sql(format!(
        "SELECT {MEETING_COLUMNS} FROM meetings WHERE held_on >= $1 AND status = 'scheduled' AND cell_id IN ({}) \
         ORDER BY held_on LIMIT 50",
        placeholders(2, cells.len())
    ))
    .bind(from);
    for c in cells {
        q.push_arg(*c);
    }
    q.fetch_all(e).await
}

/// Remove a member's notice of absence (the member withdrew it).
pub async fn delete_notice(e: &mut impl Exec, meeting: Uuid, member: Uuid) -> Result<(), StoreError> {
    sql("DELETE FROM meeting_notices WHERE meeting_id = $1 AND member_id = $2")
        .bind(meeting)
        .bind(member)
        .execute(e)
        .await?;
    Ok(())
}
