//! What a member sees of meetings ahead: documents, notices of absence, topics, the plan.

use super::iso;
use chibo_access::domain::meeting::MeetingKind;
use chibo_access::{Document, Lang, Notice, Topic, UpcomingMeeting};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A document attached to a meeting; `href` downloads it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentBody {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: String,
    /// Unix seconds.
    pub uploaded_at: i64,
    pub href: String,
}

impl From<&Document> for DocumentBody {
    fn from(d: &Document) -> Self {
        DocumentBody {
            id: d.id,
            meeting_id: d.meeting_id,
            file_name: d.file_name.clone(),
            content_type: d.content_type.clone(),
            size: d.size,
            sha256: d.sha256.clone(),
            uploaded_by: d.uploaded_by.clone(),
            uploaded_at: d.uploaded_at.unix_timestamp(),
            href: format!("/api/v1/documents/{}", d.id),
        }
    }
}

/// A member's advance notice of absence and the secretary's answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeBody {
    pub meeting_id: Uuid,
    pub member_id: Uuid,
    pub reason: String,
    /// Unix seconds.
    pub sent_at: i64,
    /// `accepted` or `refused`; null while unanswered.
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<i64>,
}

impl From<&Notice> for NoticeBody {
    fn from(n: &Notice) -> Self {
        NoticeBody {
            meeting_id: n.meeting_id,
            member_id: n.member_id,
            reason: n.reason.clone(),
            sent_at: n.sent_at.unix_timestamp(),
            answer: n.answer.clone(),
            answered_by: n.answered_by.clone(),
            answered_at: n.answered_at.map(|t| t.unix_timestamp()),
        }
    }
}

/// A planned thematic topic.
#[derive(Debug, Serialize, ToSchema)]
pub struct TopicBody {
    pub id: Uuid,
    pub cell_id: Uuid,
    pub year: i64,
    pub month: i64,
    pub title: String,
}

impl From<&Topic> for TopicBody {
    fn from(t: &Topic) -> Self {
        TopicBody { id: t.id, cell_id: t.cell_id, year: t.year, month: t.month, title: t.title.clone() }
    }
}

/// The plan of an upcoming meeting, as a member sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct UpcomingPlan {
    pub id: Uuid,
    pub cell_id: Uuid,
    pub kind: String,
    pub kind_label: Option<String>,
    pub held_on: String,
    pub starts_at: Option<String>,
    pub place: String,
    pub agenda: String,
    pub guests: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UpcomingBody {
    pub meeting: UpcomingPlan,
    pub cell_name: String,
    pub member_id: Uuid,
    pub documents: Vec<DocumentBody>,
    /// The member's own notice of absence, if sent.
    pub notice: Option<NoticeBody>,
}

impl UpcomingBody {
    pub fn new(u: &UpcomingMeeting, lang: Lang) -> UpcomingBody {
        let m = &u.meeting;
        UpcomingBody {
            meeting: UpcomingPlan {
                id: m.id,
                cell_id: m.cell_id,
                kind: m.kind.clone(),
                kind_label: MeetingKind::parse(&m.kind).map(|k| k.label(lang).to_string()),
                held_on: iso(m.held_on),
                starts_at: m.starts_at.clone(),
                place: m.place.clone(),
                agenda: m.agenda.clone(),
                guests: m.guests.clone(),
            },
            cell_name: u.cell_name.clone(),
            member_id: u.member_id,
            documents: u.documents.iter().map(DocumentBody::from).collect(),
            notice: u.notice.as_ref().map(NoticeBody::from),
        }
    }
}
