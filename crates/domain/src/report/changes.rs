//! The changes in the membership of a subtree over a period (*biến động đảng viên*):
//! admissions (and how many of the new members are young, female, minority), recognitions,
//! transfers in and out, re-admissions, deaths, leaving, striking off, expulsion.
//!
//! Each event is attributed to the organisation it happened in, read from the member's home
//! spans ([`crate::life::Span`]): an arrival (admission, re-admission, transfer in) to the
//! organisation it puts the member in; an ending (transfer out, death, leaving, striking off,
//! expulsion) to the organisation whose span it closes; a recognition to the organisation the
//! member is in that day. A transfer between two organisations of the same subtree is neither
//! in nor out for that subtree. Voided events and expulsions later annulled do not count.

use super::bands::YOUNG_MAX_AGE;
use super::structure::KINH;
use crate::Lang;
use crate::date::full_years;
use crate::life::{DisciplineForm, EventKind};
use crate::meeting::Period;
use crate::member::Gender;
use serde::Serialize;
use time::Date;
use uuid::Uuid;

/// A kind of change, in the order of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Admitted,
    Recognized,
    TransferredIn,
    TransferredOut,
    Readmitted,
    Died,
    Left,
    StruckOff,
    Expelled,
}

impl Change {
    pub const ALL: [Change; 9] = [
        Change::Admitted,
        Change::Recognized,
        Change::TransferredIn,
        Change::TransferredOut,
        Change::Readmitted,
        Change::Died,
        Change::Left,
        Change::StruckOff,
        Change::Expelled,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Change::Admitted => "admitted",
            Change::Recognized => "recognized",
            Change::TransferredIn => "transferred_in",
            Change::TransferredOut => "transferred_out",
            Change::Readmitted => "readmitted",
            Change::Died => "died",
            Change::Left => "left",
            Change::StruckOff => "struck_off",
            Change::Expelled => "expelled",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Change::Admitted => lang.pick("Kết nạp", "Admitted"),
            Change::Recognized => lang.pick("Công nhận chính thức", "Recognized as official"),
            Change::TransferredIn => lang.pick("Chuyển sinh hoạt đến", "Transferred in"),
            Change::TransferredOut => lang.pick("Chuyển sinh hoạt đi", "Transferred out"),
            Change::Readmitted => lang.pick("Kết nạp lại", "Re-admitted"),
            Change::Died => lang.pick("Từ trần", "Died"),
            Change::Left => lang.pick("Ra khỏi Đảng", "Left the Party"),
            Change::StruckOff => lang.pick("Xóa tên", "Struck off"),
            Change::Expelled => lang.pick("Khai trừ", "Expelled"),
        }
    }

    /// The change an event may be (before asking where it happened).
    pub fn of_event(kind: EventKind, form: Option<DisciplineForm>) -> Option<Change> {
        Some(match kind {
            EventKind::Admitted => Change::Admitted,
            EventKind::Recognized => Change::Recognized,
            EventKind::TransferredIn => Change::TransferredIn,
            EventKind::TransferredOut => Change::TransferredOut,
            EventKind::Readmitted => Change::Readmitted,
            EventKind::Died => Change::Died,
            EventKind::Left => Change::Left,
            EventKind::StruckOff => Change::StruckOff,
            EventKind::Disciplined if form == Some(DisciplineForm::Expulsion) => Change::Expelled,
            _ => return None,
        })
    }
}

/// A home span of the member, reduced to whether its organisation lies in the subtree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpanIn {
    pub from: Date,
    pub to: Option<Date>,
    pub inside: bool,
}

/// One event that may be a change, with what deciding it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub member_id: Uuid,
    pub change: Change,
    pub on: Date,
    /// Whether the organisation the event names (an arrival's, a transfer out's destination)
    /// lies in the subtree; `false` when it names none.
    pub org_inside: bool,
    /// The member's home spans, any order.
    pub spans: Vec<SpanIn>,
    pub gender: Gender,
    pub ethnicity_code: i32,
    pub birth_date: Date,
}

impl Candidate {
    /// Whether the event is a change of the subtree.
    pub fn counts(&self) -> bool {
        let on = self.on;
        let holding = || self.spans.iter().find(|s| s.from <= on && s.to.is_none_or(|t| on < t));
        let closed = || self.spans.iter().find(|s| s.to == Some(on));
        let before = || self.spans.iter().filter(|s| s.to.is_some_and(|t| t <= on)).max_by_key(|s| s.to);
        match self.change {
            Change::Admitted | Change::Readmitted => self.org_inside,
            Change::Recognized => holding().is_some_and(|s| s.inside),
            Change::TransferredIn => self.org_inside && !before().is_some_and(|s| s.inside),
            Change::TransferredOut => closed().is_some_and(|s| s.inside) && !self.org_inside,
            Change::Died | Change::Left | Change::StruckOff | Change::Expelled => closed().is_some_and(|s| s.inside),
        }
    }
}

impl Candidate {
    /// Of an admission: whether the new member is young (at most [`YOUNG_MAX_AGE`] that day),
    /// female, of a minority, with the keys of those lines.
    pub fn admission_traits(&self) -> [(&'static str, bool); 3] {
        let admitted = self.change == Change::Admitted;
        [
            ("admitted_young", admitted && full_years(self.birth_date, self.on) <= YOUNG_MAX_AGE),
            ("admitted_female", admitted && self.gender == Gender::Female),
            ("admitted_minority", admitted && self.ethnicity_code != KINH),
        ]
    }

    /// Whether the event, counted in `period`, is behind the line `key` (a [`Change::key`] or
    /// one of the admission traits).
    pub fn in_line(&self, period: Period, key: &str) -> bool {
        period.contains(self.on)
            && self.counts()
            && (self.change.key() == key || self.admission_traits().iter().any(|(k, yes)| *k == key && *yes))
    }
}

/// One line of the changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeRow {
    pub key: &'static str,
    pub label: &'static str,
    pub count: u64,
}

/// The changes of a subtree over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changes {
    /// The first day.
    pub from: Date,
    /// The last day (included).
    pub to: Date,
    pub rows: Vec<ChangeRow>,
    /// Of the admitted (first admissions): at most [`YOUNG_MAX_AGE`] at admission.
    pub admitted_young: u64,
    pub admitted_female: u64,
    pub admitted_minority: u64,
}

impl Changes {
    pub fn build(period: Period, candidates: &[Candidate], lang: Lang) -> Changes {
        let n = |key: &str| candidates.iter().filter(|c| c.in_line(period, key)).count() as u64;
        Changes {
            from: period.from,
            to: period.to.previous_day().unwrap_or(period.to),
            rows: Change::ALL
                .into_iter()
                .map(|k| ChangeRow { key: k.key(), label: k.label(lang), count: n(k.key()) })
                .collect(),
            admitted_young: n("admitted_young"),
            admitted_female: n("admitted_female"),
            admitted_minority: n("admitted_minority"),
        }
    }

    pub fn count(&self, k: Change) -> u64 {
        self.rows.iter().find(|r| r.key == k.key()).map_or(0, |r| r.count)
    }
}
