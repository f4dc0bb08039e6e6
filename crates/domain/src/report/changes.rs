//! The changes in the membership of a subtree over a period (*biến động đảng viên*):
//! admissions (and how many of the new members are young, female, minority), recognitions,
//! transfers in and out, re-admissions, deaths, leaving, striking off, expulsion.
//!
//! Each event is attributed to the organisation it happened in, read from the member's home
//! spans ([`crate::life::Span`]): an arrival (admission, re-admission, transfer in) to the
//! organisation it puts the member in; an ending (transfer out, death, leaving, striking off,
//! expulsion) to the organisation whose span it closes; a recognition to the organisation the
//! member is in that day ([`place`]). A transfer between two organisations of the same
//! subtree is neither in nor out for that subtree. Voided events and expulsions later annulled
//! do not count.

use super::bands::YOUNG_MAX_AGE;
use super::structure::KINH;
use crate::Lang;
use crate::date::full_years;
use crate::life::{DisciplineForm, EventKind};
use crate::meeting::Period;
use crate::member::Gender;
use serde::Serialize;
use time::Date;

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

    /// The kind of event a change comes from.
    pub fn event_kind(self) -> EventKind {
        match self {
            Change::Admitted => EventKind::Admitted,
            Change::Recognized => EventKind::Recognized,
            Change::TransferredIn => EventKind::TransferredIn,
            Change::TransferredOut => EventKind::TransferredOut,
            Change::Readmitted => EventKind::Readmitted,
            Change::Died => EventKind::Died,
            Change::Left => EventKind::Left,
            Change::StruckOff => EventKind::StruckOff,
            Change::Expelled => EventKind::Disciplined,
        }
    }

    /// The kinds of event the changes come from (`disciplined`: only expulsions are changes).
    pub fn event_kinds() -> [&'static str; 9] {
        Change::ALL.map(|c| c.event_kind().code())
    }

    /// The change a line of the report counts: its own, or an admission's for the lines of
    /// the new members' structure (`admitted_young`…).
    pub fn of_line(key: &str) -> Option<Change> {
        Change::ALL
            .into_iter()
            .find(|c| c.key() == key)
            .or_else(|| key.starts_with("admitted_").then_some(Change::Admitted))
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

/// Where a change happened, over places of any kind `T` (an organisation, or whether an
/// organisation lies in a subtree): the change counts in a subtree that holds `counted` and
/// not `unless` (the other end of a transfer). `event_org` is the organisation the event names;
/// `spans` the member's home spans `(from, to, place)`, any order; `from_outside`, for a
/// transfer in, whether the member arrives from outside the installation (the transfer out
/// before it named no organisation of it).
///
/// An arrival (admission, re-admission, transfer in) counts where it puts the member; an
/// ending (transfer out, death, leaving, striking off, expulsion) where the span it closes
/// was; a recognition where the member is that day. A transfer in does not count where the
/// member's previous span was, a transfer out not where it sends the member: a transfer
/// between two organisations of one subtree is neither in nor out for that subtree. A member
/// who went to an organisation outside the installation and comes back arrives from there:
/// the transfer in counts wherever it puts the member, as the transfer out counted wherever
/// it took the member from.
pub fn place<T: Copy>(
    change: Change,
    on: Date,
    event_org: Option<T>,
    spans: &[(Date, Option<Date>, T)],
    from_outside: bool,
) -> (Option<T>, Option<T>) {
    let holding = || spans.iter().find(|s| s.0 <= on && s.1.is_none_or(|t| on < t)).map(|s| s.2);
    let closed = || spans.iter().find(|s| s.1 == Some(on)).map(|s| s.2);
    let before = || spans.iter().filter(|s| s.1.is_some_and(|t| t <= on)).max_by_key(|s| s.1).map(|s| s.2);
    match change {
        Change::Admitted | Change::Readmitted => (event_org, None),
        Change::Recognized => (holding(), None),
        Change::TransferredIn => (event_org, if from_outside { None } else { before() }),
        Change::TransferredOut => (closed(), event_org),
        Change::Died | Change::Left | Change::StruckOff | Change::Expelled => (closed(), None),
    }
}

/// The lines an admission adds beside its own (the structure of the new members): whether
/// the new member is young (at most [`YOUNG_MAX_AGE`] that day), female, of a minority, with
/// the keys of those lines. All `false` for any other change.
pub fn admission_traits(
    change: Change,
    on: Date,
    birth_date: Date,
    gender: Gender,
    ethnicity_code: i32,
) -> [(&'static str, bool); 3] {
    let admitted = change == Change::Admitted;
    [
        ("admitted_young", admitted && full_years(birth_date, on) <= YOUNG_MAX_AGE),
        ("admitted_female", admitted && gender == Gender::Female),
        ("admitted_minority", admitted && ethnicity_code != KINH),
    ]
}

/// Every line of the changes: each [`Change::key`], then the admission traits.
pub const LINES: [&str; 12] = [
    "admitted",
    "recognized",
    "transferred_in",
    "transferred_out",
    "readmitted",
    "died",
    "left",
    "struck_off",
    "expelled",
    "admitted_young",
    "admitted_female",
    "admitted_minority",
];

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
    /// The changes over the period with the count of each line ([`LINES`]) from `n`.
    pub fn of(period: Period, lang: Lang, n: impl Fn(&str) -> u64) -> Changes {
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
