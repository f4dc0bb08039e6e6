//! Cell meetings from submitted text: the plan, the attendance, the minutes, the rating, a topic
//! of the yearly plan, a scoring sheet, a notice of absence and its answer. The field names are
//! the same in the JSON API and the forms, and the same as in the access layer's refusals
//! (`held_on`, `starts_at`, `marks.<member id>`, `speakers.0.opinion`, `votes_for`, `reason`…),
//! so every error names a field the caller sent.

use crate::input::{DateStyle, Fields, Flag, blank, loose};
use chibo_access::domain::meeting::{Mark, MeetingKind, SheetSpec};
use chibo_access::{FieldError, MarkInput, MeetingInput, MinutesInput, SpeakerInput, TopicInput, Validation};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// The version the editor read, as an error on `version` when missing or garbled.
fn version_in(f: &mut Fields, v: &Option<String>) -> i64 {
    match blank(v).and_then(|v| v.parse().ok()) {
        Some(n) => n,
        None => {
            f.errors.push(FieldError::required("version", "Phiên bản", "Version"));
            0
        }
    }
}

/// A time `HH:MM` checked here too, so that one round shows every error.
fn time_in(f: &mut Fields, field: &str, v: &Option<String>) -> Option<String> {
    let s = blank(v)?;
    if let Err(e) = chibo_access::parse_time(field, s) {
        f.errors.push(e);
    }
    Some(s.to_string())
}

fn text(v: &Option<String>) -> String {
    v.as_deref().map(str::trim).unwrap_or_default().to_string()
}

/// The reason of a correction, when one is given.
pub fn reason(v: &Option<String>) -> Option<&str> {
    blank(v)
}

/// The plan of a meeting as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct MeetingFields {
    pub kind: Option<String>,
    pub held_on: Option<String>,
    pub starts_at: Option<String>,
    pub place: Option<String>,
    pub agenda: Option<String>,
    pub topic_id: Option<String>,
    pub guests: Option<String>,
    /// The version read (changes of the plan).
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub version: Option<String>,
    /// Why a held meeting's date, kind or time changes.
    pub reason: Option<String>,
}

impl MeetingFields {
    fn input(&self, f: &mut Fields) -> MeetingInput {
        let kind = f.choice("kind", "Loại buổi sinh hoạt", "Kind of meeting", &self.kind, MeetingKind::parse);
        MeetingInput {
            kind: kind.unwrap_or(MeetingKind::Regular),
            held_on: f.required_date("held_on", "Ngày họp", "Date", &self.held_on),
            starts_at: time_in(f, "starts_at", &self.starts_at),
            place: text(&self.place),
            agenda: text(&self.agenda),
            topic_id: f.optional_uuid("topic_id", "Chuyên đề", "Topic", &self.topic_id),
            guests: text(&self.guests),
        }
    }

    /// A new meeting's plan.
    pub fn parse(&self, style: DateStyle) -> Result<MeetingInput, Validation> {
        let mut f = Fields::new(style);
        let input = self.input(&mut f);
        f.errors.finish(input)
    }

    /// A changed plan and the version read, every error at once.
    pub fn parse_edit(&self, style: DateStyle) -> Result<(MeetingInput, i64), Validation> {
        let mut f = Fields::new(style);
        let input = self.input(&mut f);
        let version = version_in(&mut f, &self.version);
        f.errors.finish((input, version))
    }
}

/// One member's mark as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct MarkFields {
    pub member_id: Option<String>,
    pub mark: Option<String>,
    pub reason: Option<String>,
}

/// The attendance as text: a mark for every member expected.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct AttendanceFields {
    pub marks: Vec<MarkFields>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub version: Option<String>,
    pub reason: Option<String>,
}

impl AttendanceFields {
    /// The marks (errors `marks.<index>.member_id`, `marks.<index>.mark`) and the version.
    pub fn parse(&self) -> Result<(Vec<MarkInput>, i64), Validation> {
        let mut f = Fields::new(DateStyle::Iso);
        let mut marks = Vec::new();
        for (i, m) in self.marks.iter().enumerate() {
            let id = f.uuid(&format!("marks.{i}.member_id"), "Đảng viên", "Member", &m.member_id);
            let mark = f.choice(&format!("marks.{i}.mark"), "Điểm danh", "Attendance", &m.mark, Mark::parse);
            if let (Some(member_id), Some(mark)) = (id, mark) {
                marks.push(MarkInput { member_id, mark, reason: text(&m.reason) });
            }
        }
        let version = version_in(&mut f, &self.version);
        f.errors.finish((marks, version))
    }
}

/// A speaker's opinion as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct SpeakerFields {
    pub member_id: Option<String>,
    pub name: Option<String>,
    pub opinion: Option<String>,
}

impl SpeakerFields {
    /// Nothing entered on this row (the form has room for more speakers than needed).
    pub fn is_blank(&self) -> bool {
        blank(&self.member_id).is_none() && blank(&self.name).is_none() && blank(&self.opinion).is_none()
    }
}

/// The minutes as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct MinutesFields {
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub place: Option<String>,
    pub agenda: Option<String>,
    pub chair_id: Option<String>,
    pub recorder_id: Option<String>,
    pub guests: Option<String>,
    pub followup: Option<String>,
    pub conclusions: Option<String>,
    pub resolution: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub votes_for: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub votes_against: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub votes_abstain: Option<String>,
    pub speakers: Vec<SpeakerFields>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub version: Option<String>,
    pub reason: Option<String>,
}

impl MinutesFields {
    pub fn parse(&self) -> Result<(MinutesInput, i64), Validation> {
        let mut f = Fields::new(DateStyle::Iso);
        let mut speakers = Vec::new();
        for (i, s) in self.speakers.iter().enumerate() {
            let member_id =
                f.optional_uuid(&format!("speakers.{i}.member_id"), "Người phát biểu", "Speaker", &s.member_id);
            speakers.push(SpeakerInput { member_id, name: text(&s.name), opinion: text(&s.opinion) });
        }
        let input = MinutesInput {
            starts_at: time_in(&mut f, "starts_at", &self.starts_at),
            ends_at: time_in(&mut f, "ends_at", &self.ends_at),
            place: text(&self.place),
            agenda: text(&self.agenda),
            chair_id: f.optional_uuid("chair_id", "Người chủ trì", "Chair", &self.chair_id),
            recorder_id: f.optional_uuid("recorder_id", "Thư ký", "Recorder", &self.recorder_id),
            guests: text(&self.guests),
            followup: text(&self.followup),
            conclusions: text(&self.conclusions),
            resolution: text(&self.resolution),
            votes_for: f.count("votes_for", "Số phiếu tán thành", "Votes in favour", &self.votes_for),
            votes_against: f.count("votes_against", "Số phiếu không tán thành", "Votes against", &self.votes_against),
            votes_abstain: f.count("votes_abstain", "Số không biểu quyết", "Abstentions", &self.votes_abstain),
            speakers,
        };
        let version = version_in(&mut f, &self.version);
        f.errors.finish((input, version))
    }
}

/// The judged scores of the rating sheet (criterion code → points) as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct AssessFields {
    pub scores: BTreeMap<String, serde_json::Value>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub version: Option<String>,
    pub reason: Option<String>,
}

impl AssessFields {
    /// Errors `scores.<code>`.
    pub fn parse(&self) -> Result<(BTreeMap<String, u32>, i64), Validation> {
        let mut f = Fields::new(DateStyle::Iso);
        let mut scores = BTreeMap::new();
        for (code, v) in &self.scores {
            let raw = match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                serde_json::Value::Null => None,
                other => Some(other.to_string()),
            };
            // A judged criterion left blank is scored 0 by the sheet.
            if let Some(n) =
                f.count(&format!("scores.{code}"), &format!("Điểm '{code}'"), &format!("Score '{code}'"), &raw)
            {
                scores.insert(code.clone(), n);
            }
        }
        let version = version_in(&mut f, &self.version);
        f.errors.finish((scores, version))
    }
}

/// A topic of the yearly plan as text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct TopicFields {
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub year: Option<String>,
    #[serde(deserialize_with = "loose")]
    #[schema(schema_with = crate::input::text_or_number)]
    pub month: Option<String>,
    pub title: Option<String>,
}

impl TopicFields {
    pub fn parse(&self) -> Result<TopicInput, Validation> {
        let mut f = Fields::new(DateStyle::Iso);
        let year = f.int("year", "Năm", "Year", &self.year);
        if blank(&self.year).is_none() {
            f.errors.push(FieldError::required("year", "Năm", "Year"));
        }
        let month = f.count("month", "Tháng", "Month", &self.month);
        if blank(&self.month).is_none() {
            f.errors.push(FieldError::required("month", "Tháng", "Month"));
        }
        let input = TopicInput {
            year: year.unwrap_or_default(),
            month: month.and_then(|m| u8::try_from(m).ok()).unwrap_or(0),
            title: text(&self.title),
        };
        f.errors.finish(input)
    }
}

/// A scoring sheet configured for an organisation: its name, the first day it applies, and the
/// sheet (criteria and bands) as JSON.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct SheetFields {
    pub name: Option<String>,
    pub effective_from: Option<String>,
    pub sheet: Option<serde_json::Value>,
}

impl SheetFields {
    pub fn parse(&self, style: DateStyle) -> Result<chibo_access::SheetInput, Validation> {
        let mut f = Fields::new(style);
        let effective_from =
            f.required_date("effective_from", "Áp dụng từ ngày", "In force from", &self.effective_from);
        let sheet = match &self.sheet {
            None => {
                f.errors.push(FieldError::required("sheet", "Bảng chấm điểm", "Scoring sheet"));
                None
            }
            Some(v) => match serde_json::from_value::<SheetSpec>(v.clone()) {
                Ok(s) => Some(s),
                Err(e) => {
                    f.errors.push(FieldError::new(
                        "sheet",
                        "invalid_sheet",
                        format!("Bảng chấm điểm: không đúng dạng ({e})."),
                        format!("Scoring sheet: not in the expected form ({e})."),
                    ));
                    None
                }
            },
        };
        let name = text(&self.name);
        match sheet {
            Some(sheet) if f.errors.is_ok() => Ok(chibo_access::SheetInput { name, effective_from, sheet }),
            _ => Err(f.errors),
        }
    }
}

/// A member's notice of absence.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct NoticeFields {
    pub reason: Option<String>,
}

/// The secretary's answer to a notice.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct AnswerFields {
    #[schema(schema_with = crate::input::flag_schema)]
    pub accept: Flag,
}

impl AnswerFields {
    /// `accept` must be given (true or false).
    pub fn parse(&self) -> Result<bool, Validation> {
        match &self.accept {
            Flag::Bool(b) => Ok(*b),
            Flag::Text(t) if matches!(t.trim(), "true" | "on" | "1" | "yes") => Ok(true),
            Flag::Text(t) if matches!(t.trim(), "false" | "off" | "0" | "no") => Ok(false),
            _ => Err(Validation {
                errors: vec![FieldError::new(
                    "accept",
                    "invalid_choice",
                    "Trả lời: chấp nhận (true) hoặc không chấp nhận (false).",
                    "Answer: accept (true) or refuse (false).",
                )],
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn meetings_name_their_bad_fields() {
        let f: MeetingFields =
            serde_json::from_value(json!({"kind": "party", "held_on": "2025-02-30", "starts_at": "25:00"})).unwrap();
        let err = f.parse_edit(DateStyle::Iso).unwrap_err();
        for field in ["kind", "held_on", "starts_at", "version"] {
            assert!(err.has(field), "{field}: {err:?}");
        }
        let ok: MeetingFields = serde_json::from_value(
            json!({"kind": "regular", "held_on": "05/09/2025", "starts_at": "19:30", "version": 3}),
        )
        .unwrap();
        let (m, v) = ok.parse_edit(DateStyle::Vietnamese).unwrap();
        assert_eq!((m.kind, m.starts_at.as_deref(), v), (MeetingKind::Regular, Some("19:30"), 3));
    }

    #[test]
    fn marks_and_minutes_name_their_rows() {
        let a: AttendanceFields = serde_json::from_value(json!({
            "marks": [{"member_id": "x", "mark": "present"}, {"member_id": uuid::Uuid::nil(), "mark": "late"}],
            "version": "2"
        }))
        .unwrap();
        let err = a.parse().unwrap_err();
        assert!(err.has("marks.0.member_id") && err.has("marks.1.mark") && !err.has("version"), "{err:?}");
        let m: MinutesFields = serde_json::from_value(json!({
            "starts_at": "7h", "votes_for": -1, "speakers": [{"member_id": "?", "opinion": "Đồng ý"}], "version": 1
        }))
        .unwrap();
        let err = m.parse().unwrap_err();
        for field in ["starts_at", "votes_for", "speakers.0.member_id"] {
            assert!(err.has(field), "{field}: {err:?}");
        }
        let s: AssessFields =
            serde_json::from_value(json!({"scores": {"preparation": 18, "principles": "x"}, "version": 1})).unwrap();
        assert!(s.parse().unwrap_err().has("scores.principles"));
        assert!(AnswerFields::default().parse().is_err());
        let t = TopicFields { year: Some("2025".into()), month: Some("13".into()), title: None }.parse().unwrap();
        assert_eq!(t.month, 13, "the access layer judges the month");
    }
}
