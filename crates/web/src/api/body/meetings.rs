//! Cell meetings: the meeting, its roll, minutes, counts, vote base and rating.

use super::iso;
use super::notices::{DocumentBody, NoticeBody};
use super::sheets::{AssessmentBody, SheetBody};
use chibo_access::domain::meeting::{Mark, MeetingKind, MeetingStatus, Rating, Share, VoteBase};
use chibo_access::{Lang, Meeting, MeetingView, SheetInForce};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

/// `num` of `den`, and the percentage (null when `den` is 0).
#[derive(Debug, Serialize, ToSchema)]
pub struct ShareBody {
    pub num: u64,
    pub den: u64,
    pub percent: Option<f64>,
}

impl From<Share> for ShareBody {
    fn from(s: Share) -> Self {
        ShareBody { num: s.num, den: s.den, percent: s.percent() }
    }
}

/// The attendance marks counted on a meeting.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountsBody {
    pub present: i64,
    pub excused: i64,
    pub unexcused: i64,
    pub exempt: i64,
    pub special_duty: i64,
    /// Exempt members who came anyway: present, but out of the base.
    pub exempt_present: i64,
}

/// A meeting (*buổi sinh hoạt*) as listed: plan, minutes, counts and rating.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingRow {
    pub id: Uuid,
    pub cell_id: Uuid,
    pub kind: String,
    pub kind_label: Option<String>,
    pub status: String,
    pub status_label: Option<String>,
    pub held_on: String,
    /// `HH:MM`.
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
    pub counts: CountsBody,
    pub attendance: ShareBody,
    /// The points given per judged criterion code.
    #[schema(value_type = Option<Object>)]
    pub scores: Option<Value>,
    pub score: Option<i64>,
    pub rating: Option<String>,
    pub rating_label: Option<String>,
    /// Unix seconds.
    pub approved_at: Option<i64>,
    pub approved_by: Option<String>,
    pub version: i64,
    /// Unix seconds.
    pub updated_at: i64,
}

impl MeetingRow {
    pub fn new(m: &Meeting, lang: Lang) -> MeetingRow {
        let label = |l: Option<&'static str>| l.map(str::to_string);
        MeetingRow {
            id: m.id,
            cell_id: m.cell_id,
            kind: m.kind.clone(),
            kind_label: label(MeetingKind::parse(&m.kind).map(|k| k.label(lang))),
            status: m.status.clone(),
            status_label: label(MeetingStatus::parse(&m.status).map(|s| s.label(lang))),
            held_on: iso(m.held_on),
            starts_at: m.starts_at.clone(),
            ends_at: m.ends_at.clone(),
            place: m.place.clone(),
            agenda: m.agenda.clone(),
            topic_id: m.topic_id,
            chair_id: m.chair_id,
            recorder_id: m.recorder_id,
            guests: m.guests.clone(),
            followup: m.followup.clone(),
            conclusions: m.conclusions.clone(),
            resolution: m.resolution.clone(),
            votes_for: m.votes_for,
            votes_against: m.votes_against,
            votes_abstain: m.votes_abstain,
            counts: CountsBody {
                present: m.present,
                excused: m.excused,
                unexcused: m.unexcused,
                exempt: m.exempt,
                special_duty: m.special_duty,
                exempt_present: m.exempt_present,
            },
            attendance: ShareBody::from(m.counts().rate()),
            scores: m.scores.as_deref().and_then(|s| serde_json::from_str::<Value>(s).ok()),
            score: m.score,
            rating: m.rating.clone(),
            rating_label: label(m.rating.as_deref().and_then(Rating::parse).map(|r| r.label(lang))),
            approved_at: m.approved_at.map(|t| t.unix_timestamp()),
            approved_by: m.approved_by.clone(),
            version: m.version,
            updated_at: m.updated_at.unix_timestamp(),
        }
    }
}
/// A member expected at the meeting, and their mark.
#[derive(Debug, Serialize, ToSchema)]
pub struct RollBody {
    pub member_id: Uuid,
    pub full_name: String,
    pub standing: String,
    pub standing_label: String,
    /// `home`, `attached_elsewhere` or `attached_here`.
    pub attachment: String,
    pub exempt: bool,
    pub suspended: bool,
    pub mark: Option<String>,
    pub mark_label: Option<String>,
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SpeakerBody {
    pub seq: i64,
    pub member_id: Option<Uuid>,
    pub name: String,
    pub opinion: String,
}

/// A change to what was recorded of a past meeting, with its reason.
#[derive(Debug, Serialize, ToSchema)]
pub struct CorrectionBody {
    pub id: Uuid,
    pub reason: String,
    /// What changed (any JSON).
    pub changes: Value,
    pub by_name: String,
    /// Unix seconds.
    pub at: i64,
}

/// Who may vote, and who is left out of the base.
#[derive(Debug, Serialize, ToSchema)]
pub struct VoteBaseBody {
    pub official: u32,
    pub attached_elsewhere: u32,
    pub exempt_absent: u32,
    pub suspended: u32,
    pub excused: u32,
    pub present: u32,
    pub base: u32,
}

impl From<&VoteBase> for VoteBaseBody {
    fn from(b: &VoteBase) -> Self {
        VoteBaseBody {
            official: b.official,
            attached_elsewhere: b.attached_elsewhere,
            exempt_absent: b.exempt_absent,
            suspended: b.suspended,
            excused: b.excused,
            present: b.present,
            base: b.base,
        }
    }
}

/// A part of the minutes still missing.
#[derive(Debug, Serialize, ToSchema)]
pub struct MissingPart {
    pub field: String,
    pub label: String,
}

/// The previous meeting's resolution, to follow up.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreviousBody {
    pub id: Uuid,
    pub held_on: String,
    pub kind: String,
    pub resolution: String,
}

/// A meeting with everything about it (a member sees the plan, documents and their own line).
#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingBody {
    #[serde(flatten)]
    pub row: MeetingRow,
    pub cell_name: String,
    pub may_write: bool,
    pub roll: Vec<RollBody>,
    pub speakers: Vec<SpeakerBody>,
    pub documents: Vec<DocumentBody>,
    pub notices: Vec<NoticeBody>,
    pub corrections: Vec<CorrectionBody>,
    pub vote_base: VoteBaseBody,
    pub minutes_missing: Vec<MissingPart>,
    pub previous: Option<PreviousBody>,
    /// The scoring sheet that rates the meeting.
    pub sheet: Option<SheetBody>,
}

impl MeetingBody {
    pub fn new(view: &MeetingView, in_force: Option<&SheetInForce>, lang: Lang) -> MeetingBody {
        MeetingBody {
            row: MeetingRow::new(&view.meeting, lang),
            cell_name: view.cell.input.name.clone(),
            may_write: view.may_write,
            roll: view
                .roll
                .iter()
                .map(|r| RollBody {
                    member_id: r.member_id,
                    full_name: r.full_name.clone(),
                    standing: r.standing.code().to_string(),
                    standing_label: r.standing.label(lang).to_string(),
                    attachment: r.attachment.code().to_string(),
                    exempt: r.exempt,
                    suspended: r.suspended,
                    mark: r.mark.map(|m| Mark::code(m).to_string()),
                    mark_label: r.mark.map(|m| m.label(lang).to_string()),
                    reason: r.reason.clone(),
                })
                .collect(),
            speakers: view
                .speakers
                .iter()
                .map(|s| SpeakerBody {
                    seq: s.seq,
                    member_id: s.member_id,
                    name: s.name.clone(),
                    opinion: s.opinion.clone(),
                })
                .collect(),
            documents: view.documents.iter().map(DocumentBody::from).collect(),
            notices: view.notices.iter().map(NoticeBody::from).collect(),
            corrections: view
                .corrections
                .iter()
                .map(|c| CorrectionBody {
                    id: c.id,
                    reason: c.reason.clone(),
                    changes: serde_json::from_str::<Value>(&c.changes).unwrap_or(Value::Null),
                    by_name: c.by_name.clone(),
                    at: c.at.unix_timestamp(),
                })
                .collect(),
            vote_base: VoteBaseBody::from(&view.vote_base),
            minutes_missing: view
                .minutes_missing
                .iter()
                .map(|f| MissingPart {
                    field: (*f).to_string(),
                    label: chibo_access::minutes_part_label(f, lang).to_string(),
                })
                .collect(),
            previous: view.previous.as_ref().map(|p| PreviousBody {
                id: p.id,
                held_on: iso(p.held_on),
                kind: p.kind.clone(),
                resolution: p.resolution.clone(),
            }),
            sheet: in_force.map(|s| SheetBody::new(s, lang)),
        }
    }
}
/// The rating just given, and the meeting rated.
#[derive(Debug, Serialize, ToSchema)]
pub struct Assessed {
    pub assessment: AssessmentBody,
    pub meeting: MeetingBody,
}
