//! Who should attend a cell meeting on a date (*thành phần triệu tập*): official and
//! probationary members on the cell's rolls, and members temporarily attached to the cell
//! (*sinh hoạt tạm thời*), minus the exempt (*miễn sinh hoạt*, 232-QĐ/TW §7), the suspended, and
//! the cell's own members attached elsewhere (they attend in the host cell). The totals are those
//! the minutes must state (RULES.md §3, "minutes").

use crate::life::{Span, SpanKind};
use crate::member::MemberStatus;
use serde::Serialize;
use time::Date;
use uuid::Uuid;

/// Where a member stands relative to the cell holding the meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Attachment {
    /// On the cell's rolls and attending here.
    Home,
    /// On the cell's rolls, temporarily attached to another cell (*sinh hoạt tạm thời nơi khác*).
    AttachedElsewhere,
    /// On another cell's rolls, temporarily attached here.
    AttachedHere,
}

impl Attachment {
    pub fn code(self) -> &'static str {
        match self {
            Attachment::Home => "home",
            Attachment::AttachedElsewhere => "attached_elsewhere",
            Attachment::AttachedHere => "attached_here",
        }
    }

    pub fn parse(s: &str) -> Option<Attachment> {
        [Attachment::Home, Attachment::AttachedElsewhere, Attachment::AttachedHere].into_iter().find(|a| a.code() == s)
    }
}

/// One member in the snapshot of a cell on a date, as the store derives it from `member_spans`
/// and the exemption events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RollRow {
    pub member_id: Uuid,
    pub standing: MemberStatus,
    /// Exempt from work and activities on that date.
    pub exempt: bool,
    /// Suspended from activities (*đình chỉ sinh hoạt*) or detained (*tạm giam*) on that date.
    pub suspended: bool,
    pub attachment: Attachment,
}

/// The roll of a meeting: who is invited, and the totals of the minutes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Roll {
    /// The members who should attend, in the order given.
    pub expected: Vec<Uuid>,
    /// Exempt members (not expected; they may still come).
    pub exempt: Vec<Uuid>,
    pub suspended: Vec<Uuid>,
    pub attached_elsewhere: Vec<Uuid>,
    /// Official and probationary members on the cell's rolls (attached elsewhere included).
    pub official: u32,
    pub probationary: u32,
    /// Members of other cells attached here.
    pub attached_here: u32,
}

/// The roll from a snapshot. Rows whose standing is not active (struck off, left, …) are
/// ignored.
pub fn roll(rows: &[RollRow]) -> Roll {
    let mut r = Roll::default();
    for row in rows.iter().filter(|row| row.standing.is_active()) {
        if row.attachment == Attachment::AttachedHere {
            r.attached_here += 1;
        } else if row.standing == MemberStatus::Official {
            r.official += 1;
        } else {
            r.probationary += 1;
        }
        let list = match row.attachment {
            Attachment::AttachedElsewhere => &mut r.attached_elsewhere,
            _ if row.suspended => &mut r.suspended,
            _ if row.exempt => &mut r.exempt,
            _ => &mut r.expected,
        };
        list.push(row.member_id);
    }
    r
}

fn covers(s: &Span, on: Date) -> bool {
    s.from <= on && s.to.is_none_or(|to| on < to)
}

/// A member's row in `cell`'s snapshot on `on`, from their replayed spans; `None` when the
/// member is neither on the cell's rolls nor attached to it then.
pub fn roll_row(
    member_id: Uuid,
    cell: Uuid,
    on: Date,
    spans: &[Span],
    exempt: bool,
    suspended: bool,
) -> Option<RollRow> {
    let at = |kind: SpanKind| spans.iter().find(|s| s.kind == kind && covers(s, on));
    let row = |standing, attachment| RollRow { member_id, standing, exempt, suspended, attachment };
    match (at(SpanKind::Home), at(SpanKind::Attached)) {
        (_, Some(a)) if a.org_id == cell => Some(row(a.status, Attachment::AttachedHere)),
        (Some(h), a) if h.org_id == cell => {
            Some(row(h.status, if a.is_some() { Attachment::AttachedElsewhere } else { Attachment::Home }))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn row(n: u128, standing: MemberStatus, attachment: Attachment) -> RollRow {
        RollRow { member_id: id(n), standing, exempt: false, suspended: false, attachment }
    }

    #[test]
    fn invites_members_and_attached_but_not_exempt() {
        use Attachment::*;
        use MemberStatus::*;
        let rows = [
            row(1, Official, Home),
            row(2, Probationary, Home),
            RollRow { exempt: true, ..row(3, Official, Home) },
            row(4, Official, AttachedElsewhere),
            row(5, Probationary, AttachedHere),
            RollRow { suspended: true, ..row(6, Official, Home) },
            row(7, StruckOff, Home),
        ];
        let r = roll(&rows);
        assert_eq!(r.expected, vec![id(1), id(2), id(5)]);
        assert_eq!(
            (r.exempt.clone(), r.attached_elsewhere.clone(), r.suspended.clone()),
            (vec![id(3)], vec![id(4)], vec![id(6)])
        );
        // Minutes totals: 4 official (the exempt and the attached-elsewhere still on the rolls),
        // 1 probationary, 1 attached here.
        assert_eq!((r.official, r.probationary, r.attached_here), (4, 1, 1));
    }

    #[test]
    fn attachment_codes_round_trip() {
        for a in [Attachment::Home, Attachment::AttachedElsewhere, Attachment::AttachedHere] {
            assert_eq!(Attachment::parse(a.code()), Some(a));
            assert_eq!(serde_json::to_value(a).ok(), Some(serde_json::json!(a.code())));
        }
        assert_eq!(Attachment::parse("elsewhere"), None);
    }

    #[test]
    fn rows_from_spans() {
        let (home, host) = (id(100), id(200));
        let span = |kind, org_id, status, from, to| Span { kind, org_id, status, from, to };
        let spans = [
            span(SpanKind::Home, home, MemberStatus::Official, date!(2020 - 01 - 01), None),
            span(SpanKind::Attached, host, MemberStatus::Official, date!(2024 - 03 - 01), Some(date!(2024 - 09 - 01))),
        ];
        let r = |cell, on| roll_row(id(1), cell, on, &spans, false, false).map(|r| r.attachment);
        assert_eq!(r(home, date!(2024 - 02 - 29)), Some(Attachment::Home));
        assert_eq!(r(home, date!(2024 - 03 - 01)), Some(Attachment::AttachedElsewhere));
        assert_eq!(r(host, date!(2024 - 03 - 01)), Some(Attachment::AttachedHere));
        assert_eq!(r(host, date!(2024 - 09 - 01)), None);
        assert_eq!(r(home, date!(2019 - 12 - 31)), None);
    }
}
