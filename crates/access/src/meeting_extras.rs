//! Around a meeting: documents (checked type, bounded size), a member's advance notice of
//! absence and the secretary's answer, the yearly plan of thematic topics, the scoring sheets
//! configured per organisation, and the quality rating of a meeting on the sheet in force.

use crate::load::load_org;
use crate::meetings::{load, minutes_content};
use crate::transaction::write;
use crate::{Chibo, Outcome, Viewer, snapshot};
use chibo_domain::access::{Action, Target};
use chibo_domain::meeting::{
    Assessment, DEFAULT_SHEET, Facts, Mark, Marked, MeetingStatus, SheetSpec, assess, check_sheet, duration,
    over_excused_run,
};
use chibo_domain::{FieldError, Problem, Validation};
use chibo_store::meetings::{self, Document, Meeting, Notice, SheetRow, Topic};
use chibo_store::{Exec, audit};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// The largest document accepted (10 MiB).
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

/// The document types accepted: extension, content type, and the first bytes the file must
/// start with (`None`: text, which must be UTF-8).
const DOCUMENT_TYPES: &[(&str, &str, Option<&[u8]>)] = &[
    ("pdf", "application/pdf", Some(b"%PDF-")),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Some(b"PK\x03\x04")),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Some(b"PK\x03\x04")),
    ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", Some(b"PK\x03\x04")),
    ("odt", "application/vnd.oasis.opendocument.text", Some(b"PK\x03\x04")),
    ("doc", "application/msword", Some(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")),
    ("xls", "application/vnd.ms-excel", Some(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")),
    ("jpg", "image/jpeg", Some(b"\xFF\xD8\xFF")),
    ("jpeg", "image/jpeg", Some(b"\xFF\xD8\xFF")),
    ("png", "image/png", Some(b"\x89PNG\r\n\x1A\n")),
    ("txt", "text/plain; charset=utf-8", None),
];

/// The content type of a document named `file_name` with these bytes, or the error naming the
/// field `file`.
pub fn document_type(file_name: &str, bytes: &[u8]) -> Result<&'static str, FieldError> {
    let err = |code, vi: String, en: String| FieldError::new("file", code, vi, en);
    if bytes.is_empty() {
        return Err(err("empty", "Tệp: tệp rỗng.".into(), "File: the file is empty.".into()));
    }
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(err(
            "too_large",
            format!("Tệp: lớn hơn {} MB.", MAX_DOCUMENT_BYTES / 1024 / 1024),
            format!("File: larger than {} MB.", MAX_DOCUMENT_BYTES / 1024 / 1024),
        ));
    }
    let ext = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let Some((_, ctype, magic)) = DOCUMENT_TYPES.iter().find(|(e, _, _)| *e == ext) else {
        return Err(err(
            "type_not_allowed",
            "Tệp: chỉ nhận PDF, Word, Excel, PowerPoint, ODT, ảnh JPG/PNG hoặc văn bản TXT.".into(),
            "File: only PDF, Word, Excel, PowerPoint, ODT, JPG/PNG images or TXT text are accepted.".into(),
        ));
    };
    let ok = match magic {
        Some(m) => bytes.starts_with(m),
        None => std::str::from_utf8(bytes).is_ok(),
    };
    if !ok {
        return Err(err(
            "content_mismatch",
            format!("Tệp: nội dung không phải là tệp .{ext} hợp lệ."),
            format!("File: the content is not a valid .{ext} file."),
        ));
    }
    Ok(ctype)
}

/// Documents may be added until the minutes are approved.
fn attachable(m: &Meeting) -> Outcome<()> {
    if m.status == MeetingStatus::Approved {
        return Err(Problem::Conflict(FieldError::new(
            "status",
            "minutes_locked",
            "Biên bản đã được thông qua nên không thêm tài liệu được nữa.",
            "The minutes are approved: no more documents can be added.",
        )));
    }
    Ok(())
}

/// A document's cleaned name, its checked type and its SHA-256, the content checked and hashed
/// on a blocking thread, off the async workers; the error names the field `file`.
pub(crate) async fn checked_file(file_name: &str, bytes: &[u8]) -> Outcome<(String, &'static str, String)> {
    let name = clean_file_name(file_name);
    if name.is_empty() {
        return Err(Problem::Invalid(Validation { errors: vec![FieldError::required("file", "Tệp", "File")] }));
    }
    let (checked, owned) = (name.clone(), bytes.to_vec());
    let (content_type, sha256) = tokio::task::spawn_blocking(move || {
        use sha2::Digest;
        let ctype = document_type(&checked, &owned)?;
        Ok::<_, FieldError>((
            ctype,
            sha2::Sha256::digest(&owned).iter().map(|b| format!("{b:02x}")).collect::<String>(),
        ))
    })
    .await
    .map_err(|e| Problem::Unavailable(e.to_string()))?
    .map_err(|e| Problem::Invalid(Validation { errors: vec![e] }))?;
    Ok((name, content_type, sha256))
}

fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.chars().filter(|c| !c.is_control()).take(200).collect::<String>().trim().to_string()
}

/// A topic as entered in the yearly plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TopicInput {
    pub year: i32,
    pub month: u8,
    pub title: String,
}

/// A scoring sheet as entered for an organisation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SheetInput {
    pub name: String,
    pub effective_from: Date,
    pub sheet: SheetSpec,
}

/// The sheet that rates a meeting, and where it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct SheetInForce {
    /// `None`: the default sheet of the rules.
    pub configured: Option<SheetRow>,
    pub sheet: SheetSpec,
}

/// A scheduled meeting of the member's cell, with their own notice.
#[derive(Debug, Clone, Serialize)]
pub struct UpcomingMeeting {
    pub meeting: Meeting,
    pub cell_name: String,
    pub documents: Vec<Document>,
    pub notice: Option<Notice>,
    pub member_id: Uuid,
}

impl Chibo {
    async fn meeting_cell(
        &self,
        e: &mut impl Exec,
        v: &Viewer,
        id: Uuid,
        action: Action,
    ) -> Outcome<(Meeting, chibo_store::orgs::Org)> {
        let m = load(e, id).await?;
        let cell = load_org(e, m.cell_id).await?;
        v.check(action, Target::Org { path: &cell.path })?;
        Ok((m, cell))
    }

    /// Whether the viewer may attach a document to this meeting now: it exists, the viewer may
    /// write its cell, and its minutes are not approved. Asked before an upload's body is read,
    /// so a refused request costs nothing; [`Chibo::attach_document`] asks again in its
    /// transaction.
    pub async fn may_attach_document(&self, v: &Viewer, meeting_id: Uuid) -> Outcome<()> {
        let mut c = self.pools.read().await?;
        let (m, _) = self.meeting_cell(&mut c, v, meeting_id, Action::Write).await?;
        attachable(&m)
    }

    /// Attach a document to a meeting (not after its minutes are approved), its content checked
    /// ([`checked_file`]).
    pub async fn attach_document(
        &self,
        v: &Viewer,
        meeting_id: Uuid,
        file_name: &str,
        bytes: &[u8],
    ) -> Outcome<Document> {
        self.may_attach_document(v, meeting_id).await?;
        let (name, content_type, sha256) = checked_file(file_name, bytes).await?;
        write!(self, |tx| {
            let (m, cell) = self.meeting_cell(tx, v, meeting_id, Action::Write).await?;
            attachable(&m)?;
            let d = Document {
                id: Uuid::now_v7(),
                meeting_id,
                file_name: name.clone(),
                content_type: content_type.into(),
                size: bytes.len() as i64,
                sha256: sha256.clone(),
                uploaded_by: v.display_name().into(),
                uploaded_at: OffsetDateTime::now_utc(),
            };
            meetings::insert_document(tx, &d, bytes).await?;
            let entry = v.audit("meeting.document", "meeting", Some(meeting_id), Some(&cell.path), None, snapshot(&d));
            audit::record(tx, &entry).await?;
            Ok(d)
        })
    }

    /// A document with its content, for whoever may read the meeting's cell (its members too).
    pub async fn document(&self, v: &Viewer, id: Uuid) -> Outcome<(Document, Vec<u8>)> {
        let mut c = self.pools.read().await?;
        let (d, body) = meetings::document(&mut c, id).await?.ok_or(Problem::NotFound)?;
        self.meeting_cell(&mut c, v, d.meeting_id, Action::Read).await?;
        Ok((d, body))
    }

    pub async fn delete_document(&self, v: &Viewer, id: Uuid) -> Outcome<()> {
        write!(self, |tx| {
            let (d, _) = meetings::document(tx, id).await?.ok_or(Problem::NotFound)?;
            let (m, cell) = self.meeting_cell(tx, v, d.meeting_id, Action::Write).await?;
            if m.status == MeetingStatus::Approved {
                return Err(Problem::Conflict(FieldError::new(
                    "status",
                    "minutes_locked",
                    "Biên bản đã được thông qua nên không xóa tài liệu được.",
                    "The minutes are approved: documents cannot be removed.",
                )));
            }
            meetings::delete_document(tx, id).await?;
            let entry = v.audit("meeting.document_delete", "meeting", Some(m.id), Some(&cell.path), snapshot(&d), None);
            audit::record(tx, &entry).await?;
            Ok(())
        })
    }

    /// The scheduled meetings of the cells of the viewer's own member records.
    pub async fn upcoming_meetings(&self, v: &Viewer) -> Outcome<Vec<UpcomingMeeting>> {
        let mut c = self.pools.read().await?;
        let mut out = Vec::new();
        for member in v.own_member_ids() {
            let rows = chibo_store::members::by_ids(&mut c, &[member]).await?;
            let Some(m) = rows.first() else { continue };
            let cells: Vec<Uuid> = [Some(m.input.org_id), m.life.attached_org_id].into_iter().flatten().collect();
            for meeting in meetings::upcoming(&mut c, &cells, self.today()).await? {
                let cell = load_org(&mut c, meeting.cell_id).await?;
                if v.check(Action::Read, Target::Org { path: &cell.path }).is_err() {
                    continue;
                }
                let roll = meetings::roll(&mut c, meeting.id).await?;
                if !roll.iter().any(|r| r.member_id == member) {
                    continue;
                }
                let documents = meetings::documents(&mut c, meeting.id).await?;
                let notice = meetings::notices(&mut c, meeting.id).await?.into_iter().find(|n| n.member_id == member);
                let mut meeting = meeting;
                crate::meetings::plan_only(&mut meeting);
                out.push(UpcomingMeeting { meeting, cell_name: cell.input.name, documents, notice, member_id: member });
            }
        }
        out.sort_by_key(|u| u.meeting.held_on);
        Ok(out)
    }

    /// A member tells in advance that they will be absent, with the reason.
    pub async fn notify_absence(&self, v: &Viewer, meeting_id: Uuid, reason: &str) -> Outcome<Notice> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Problem::Invalid(Validation {
                errors: vec![FieldError::required("reason", "Lý do vắng mặt", "Reason")],
            }));
        }
        if reason.chars().count() > 1_000 {
            return Err(Problem::field("reason", "too_long", "Lý do vắng mặt: quá dài.", "Reason: too long."));
        }
        write!(self, |tx| {
            let (m, cell) = self.meeting_cell(tx, v, meeting_id, Action::Read).await?;
            let roll = meetings::roll(tx, meeting_id).await?;
            let own = v.own_member_ids();
            let Some(member) = roll.iter().map(|r| r.member_id).find(|id| own.contains(id)) else {
                return Err(Problem::Forbidden);
            };
            if m.status != MeetingStatus::Scheduled || m.held_on < self.today() {
                return Err(Problem::field(
                    "meeting_id",
                    "not_upcoming",
                    "Chỉ báo vắng trước được cho buổi sinh hoạt sắp tới.",
                    "An absence can be notified only for an upcoming meeting.",
                ));
            }
            let n = Notice {
                meeting_id,
                member_id: member,
                reason: reason.into(),
                sent_at: OffsetDateTime::now_utc(),
                answer: None,
                answered_by: None,
                answered_at: None,
            };
            meetings::put_notice(tx, &n).await?;
            let entry = v.audit("meeting.notice", "meeting", Some(meeting_id), Some(&cell.path), None, snapshot(&n));
            audit::record(tx, &entry).await?;
            Ok(n)
        })
    }

    /// The secretary accepts or refuses a notice; an accepted one marks the member absent with
    /// that reason on the roll (still changeable until the attendance is recorded).
    pub async fn answer_notice(&self, v: &Viewer, meeting_id: Uuid, member_id: Uuid, accept: bool) -> Outcome<Notice> {
        write!(self, |tx| {
            let (m, cell) = self.meeting_cell(tx, v, meeting_id, Action::Write).await?;
            let notices = meetings::notices(tx, meeting_id).await?;
            let Some(mut n) = notices.into_iter().find(|n| n.member_id == member_id) else {
                return Err(Problem::NotFound);
            };
            if m.status != MeetingStatus::Scheduled {
                return Err(Problem::field(
                    "status",
                    "not_scheduled",
                    "Buổi sinh hoạt đã họp hoặc đã hủy: hãy ghi vào điểm danh.",
                    "The meeting was held or cancelled: use the attendance instead.",
                ));
            }
            let before = snapshot(&n);
            n.answer = Some(if accept { "accepted" } else { "refused" }.into());
            n.answered_by = Some(v.display_name().into());
            n.answered_at = Some(OffsetDateTime::now_utc());
            meetings::put_notice(tx, &n).await?;
            let (mark, reason) = if accept { (Some(Mark::Excused.code()), n.reason.as_str()) } else { (None, "") };
            meetings::set_mark(tx, meeting_id, member_id, mark, reason).await?;
            let entry =
                v.audit("meeting.notice_answer", "meeting", Some(meeting_id), Some(&cell.path), before, snapshot(&n));
            audit::record(tx, &entry).await?;
            Ok(n)
        })
    }

    /// A cell's plan of thematic topics for a year.
    pub async fn topics(&self, v: &Viewer, cell_id: Uuid, year: i32) -> Outcome<Vec<Topic>> {
        let mut c = self.pools.read().await?;
        let cell = load_org(&mut c, cell_id).await?;
        v.check(Action::Read, Target::Org { path: &cell.path })?;
        meetings::topics(&mut c, cell.id, year).await.map_err(Problem::from)
    }

    pub async fn plan_topic(&self, v: &Viewer, cell_id: Uuid, input: &TopicInput) -> Outcome<Topic> {
        write!(self, |tx| {
            let cell = self.writable_cell(v, tx, cell_id).await.map_err(|p| p.renamed("org_id", "cell_id"))?;
            let mut val = Validation::default();
            if !(1..=12).contains(&input.month) {
                val.push(FieldError::new("month", "bad_month", "Tháng: từ 1 đến 12.", "Month: 1 to 12."));
            }
            if !(1930..=2200).contains(&input.year) {
                val.push(FieldError::new("year", "bad_year", "Năm: không hợp lệ.", "Year: not valid."));
            }
            let title = input.title.trim();
            if title.is_empty() {
                val.push(FieldError::required("title", "Tên chuyên đề", "Topic"));
            } else if title.chars().count() > 500 {
                val.push(FieldError::new("title", "too_long", "Tên chuyên đề: quá dài.", "Topic: too long."));
            }
            val.finish(()).map_err(Problem::Invalid)?;
            let t = Topic {
                id: Uuid::now_v7(),
                cell_id: cell.id,
                year: i64::from(input.year),
                month: i64::from(input.month),
                title: title.into(),
                created_at: OffsetDateTime::now_utc(),
            };
            meetings::insert_topic(tx, &t).await?;
            let entry = v.audit("meeting.topic", "org", Some(cell.id), Some(&cell.path), None, snapshot(&t));
            audit::record(tx, &entry).await?;
            Ok(t)
        })
    }

    pub async fn delete_topic(&self, v: &Viewer, id: Uuid) -> Outcome<()> {
        write!(self, |tx| {
            let t = meetings::topic(tx, id).await?.ok_or(Problem::NotFound)?;
            let cell = load_org(tx, t.cell_id).await?;
            v.check(Action::Write, Target::Org { path: &cell.path })?;
            if !meetings::delete_topic(tx, id).await? {
                return Err(Problem::Conflict(FieldError::new(
                    "topic_id",
                    "in_use",
                    "Chuyên đề đã gắn với một buổi sinh hoạt nên không xóa được.",
                    "The topic belongs to a meeting and cannot be removed.",
                )));
            }
            let entry = v.audit("meeting.topic_delete", "org", Some(cell.id), Some(&cell.path), snapshot(&t), None);
            audit::record(tx, &entry).await?;
            Ok(())
        })
    }

    /// Configure a scoring sheet for an organisation's subtree from a date: a committee (not a
    /// cell) that the viewer may write.
    pub async fn set_scoring_sheet(&self, v: &Viewer, org_id: Uuid, input: &SheetInput) -> Outcome<SheetRow> {
        write!(self, |tx| {
            let org = load_org(tx, org_id).await?;
            v.check(Action::Write, Target::Org { path: &org.path })?;
            if org.kind().is_cell() {
                // The committee above rates its cells' meetings: a cell does not set its own sheet.
                return Err(Problem::Forbidden);
            }
            let mut val = input.sheet.with(check_sheet);
            if input.name.trim().is_empty() {
                val.push(FieldError::required("name", "Tên bảng chấm điểm", "Sheet name"));
            }
            chibo_domain::text::SHEET_NAME.check_into(&mut val, Some(input.name.trim()));
            val.finish(()).map_err(Problem::Invalid)?;
            let row = SheetRow {
                id: Uuid::now_v7(),
                org_id,
                name: input.name.trim().into(),
                effective_from: input.effective_from,
                body: serde_json::to_string(&input.sheet).unwrap_or_default(),
                created_at: OffsetDateTime::now_utc(),
            };
            meetings::insert_sheet(tx, &row).await?;
            let entry = v.audit("meeting.sheet", "org", Some(org.id), Some(&org.path), None, snapshot(&row));
            audit::record(tx, &entry).await?;
            Ok(row)
        })
    }

    /// The sheet in force for a cell on a date: the latest configured on the cell or an
    /// organisation above it, else the default of the rules.
    pub async fn sheet_in_force(
        &self,
        e: &mut impl Exec,
        cell: &chibo_store::orgs::Org,
        on: Date,
    ) -> Outcome<SheetInForce> {
        let mut ids: Vec<Uuid> = chibo_store::orgs::ancestors(e, &cell.path).await?.into_iter().map(|o| o.id).collect();
        ids.push(cell.id);
        let rows = meetings::sheets_for(e, &ids, on).await?;
        // The nearest organisation's sheet wins; among its sheets the latest in force.
        let best = ids.iter().rev().find_map(|id| rows.iter().find(|r| r.org_id == *id).cloned());
        let sheet = best.as_ref().and_then(|r| serde_json::from_str::<SheetSpec>(&r.body).ok()).unwrap_or_else(|| {
            SheetSpec::of(
                &chibo_domain::rules::in_force(chibo_domain::rules::QUALITY_SHEET, on)
                    .map_or(DEFAULT_SHEET, |r| r.value),
            )
        });
        Ok(SheetInForce { configured: best, sheet })
    }

    /// What the record of a held meeting shows, for its rating.
    async fn facts(&self, e: &mut impl Exec, m: &Meeting) -> Outcome<Facts> {
        let kind = m.kind;
        let minutes_of = |t: &Option<String>| t.as_deref().and_then(|s| crate::meetings::parse_time("t", s).ok());
        let duration_minutes = match (minutes_of(&m.starts_at), minutes_of(&m.ends_at)) {
            (Some(s), Some(e)) => duration(s, e).unwrap_or(0),
            _ => 0,
        };
        let speakers = meetings::speakers(e, m.id).await?;
        let mut who: Vec<Uuid> = speakers.iter().filter_map(|s| s.member_id).collect();
        who.sort();
        who.dedup();
        let year_start = chibo_domain::date::ymd(m.held_on.year(), 1, 1).unwrap_or(m.held_on);
        let mut marked =
            meetings::marks_of_cell(e, m.cell_id, year_start, m.held_on.next_day().unwrap_or(m.held_on)).await?;
        // Up to and including this meeting.
        if let Some(pos) = marked.iter().position(|(id, _)| *id == m.id) {
            marked.truncate(pos + 1);
        }
        let marked: Vec<Marked> = marked.into_iter().map(|(_, mk)| mk).collect();
        Ok(Facts {
            on: m.held_on,
            kind,
            duration_minutes,
            counts: m.counts(),
            speakers: who.len() as u32,
            minutes: minutes_content(m, &speakers),
            over_excused_run: over_excused_run(&marked),
        })
    }

    /// Rate a held meeting on the sheet in force: the computed criteria from the record, the
    /// judged ones from `scores` (criterion code → points). After the day, a new rating of a
    /// rated meeting needs a reason.
    pub async fn assess_meeting(
        &self,
        v: &Viewer,
        id: Uuid,
        scores: &BTreeMap<String, u32>,
        version: i64,
        reason: Option<&str>,
    ) -> Outcome<(Assessment, crate::MeetingView)> {
        let a = write!(self, |tx| {
            let (before, cell) = self.meeting_cell(tx, v, id, Action::Write).await?;
            if before.status == MeetingStatus::Approved && before.rating.is_some() {
                return Err(Problem::Conflict(FieldError::new(
                    "status",
                    "minutes_locked",
                    "Biên bản đã được thông qua và đã xếp loại.",
                    "The minutes are approved and rated.",
                )));
            }
            if !before.status.was_held() {
                return Err(Problem::field(
                    "status",
                    "not_held",
                    "Buổi sinh hoạt chưa họp.",
                    "The meeting was not held.",
                ));
            }
            if before.version != version {
                return Err(Problem::stale());
            }
            let facts = self.facts(tx, &before).await?;
            let in_force = self.sheet_in_force(tx, &cell, before.held_on).await?;
            let judged: Vec<(&str, u32)> = scores.iter().map(|(k, v)| (k.as_str(), *v)).collect();
            let a = in_force.sheet.with(|s| assess(s, &facts, &judged)).map_err(Problem::Invalid)?;
            let mut m = before.clone();
            m.scores = Some(serde_json::to_string(scores).unwrap_or_default());
            m.score = Some(i64::from(a.score));
            m.rating = Some(a.rating.code().into());
            let rerated = before.rating.is_some() && before.rating != m.rating;
            let reason = if rerated && before.held_on < self.today() {
                Some(reason.ok_or_else(|| {
                    Problem::field(
                        "reason",
                        "reason_required",
                        "Lý do sửa: cần ghi lý do khi xếp loại lại.",
                        "Reason: a reason is needed to rate again.",
                    )
                })?)
            } else {
                reason
            };
            self.save(tx, v, &before, m, &cell, reason, "meeting.assess").await?;
            Ok(a)
        })?;
        Ok((a, self.meeting(v, id).await?))
    }

    /// The sheet that would rate a meeting of this cell on this date (for the rating form).
    pub async fn scoring_sheet(&self, v: &Viewer, cell_id: Uuid, on: Date) -> Outcome<SheetInForce> {
        let mut c = self.pools.read().await?;
        let cell = load_org(&mut c, cell_id).await?;
        v.check(Action::Read, Target::Org { path: &cell.path })?;
        self.sheet_in_force(&mut c, &cell, on).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_checked_by_extension_and_content() {
        assert_eq!(document_type("Nghị quyết.pdf", b"%PDF-1.7 ..."), Ok("application/pdf"));
        assert_eq!(document_type("a.PNG", b"\x89PNG\r\n\x1A\n...").map(|_| ()), Ok(()));
        assert_eq!(document_type("a.txt", "Nội dung".as_bytes()).map(|_| ()), Ok(()));
        let code = |n: &str, b: &[u8]| document_type(n, b).err().map(|e| e.code);
        assert_eq!(code("a.exe", b"MZ"), Some("type_not_allowed"));
        assert_eq!(code("a.pdf", b"<html>"), Some("content_mismatch"));
        assert_eq!(code("a.txt", b"\xFF\xFE\x00"), Some("content_mismatch"));
        assert_eq!(code("a.pdf", b""), Some("empty"));
        assert_eq!(code("a.pdf", &vec![b'%'; MAX_DOCUMENT_BYTES + 1]), Some("too_large"));
        assert_eq!(clean_file_name("C:\\x\\..\\bien-ban.pdf"), "bien-ban.pdf");
    }
}
