//! The facts beside each member of a round, computed for the round's period from the records:
//! cell meetings expected and attended, excused and unexcused absences, discipline decided in
//! the period, exemption, admission and recognition dates, transfers. The secretary sees them
//! while proposing, the committee while deciding; the caps read the discipline from here.

use crate::Outcome;
use chibo_domain::life::{DisciplineForm, EventKind};
use chibo_domain::meeting::Mark;
use chibo_store::members::Member;
use chibo_store::{Exec, events, review};
use serde::Serialize;
use std::collections::HashMap;
use time::Date;
use uuid::Uuid;

/// A discipline decided in the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DisciplineFact {
    pub on: Date,
    pub form: Option<DisciplineForm>,
}

/// A transfer in the period (out or in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TransferFact {
    pub kind: EventKind,
    pub on: Date,
}

/// What the record shows about one member over a round's period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MemberFacts {
    /// Cell meetings held in the period where the member was expected (exempt and special duty
    /// left out), and attended.
    pub meetings_expected: u32,
    pub meetings_attended: u32,
    pub excused: u32,
    pub unexcused: u32,
    pub disciplined: Vec<DisciplineFact>,
    pub exempt_since: Option<Date>,
    pub admitted: Option<Date>,
    pub recognized: Option<Date>,
    pub transfers: Vec<TransferFact>,
}

impl MemberFacts {
    /// Disciplined in the period (for the cap).
    pub fn was_disciplined(&self) -> bool {
        !self.disciplined.is_empty()
    }
}

/// The facts of `members` over `[first, last]`.
pub(crate) async fn member_facts(
    e: &mut impl Exec,
    members: &[Member],
    first: Date,
    last: Date,
) -> Outcome<HashMap<Uuid, MemberFacts>> {
    let mut out: HashMap<Uuid, MemberFacts> = members
        .iter()
        .map(|m| {
            let f = MemberFacts {
                exempt_since: m.life.exempt_since,
                admitted: Some(m.input.admission_date),
                recognized: m.input.official_date,
                ..Default::default()
            };
            (m.id, f)
        })
        .collect();
    let ids: Vec<Uuid> = members.iter().map(|m| m.id).collect();
    for (member, mark, n) in review::marks_between(e, &ids, first, last).await? {
        let (Some(f), Some(mark)) = (out.get_mut(&member), Mark::parse(&mark)) else { continue };
        let n = u32::try_from(n).unwrap_or(0);
        match mark {
            Mark::Present => {
                (f.meetings_expected, f.meetings_attended) = (f.meetings_expected + n, f.meetings_attended + n)
            }
            Mark::Excused => (f.meetings_expected, f.excused) = (f.meetings_expected + n, f.excused + n),
            Mark::Unexcused => (f.meetings_expected, f.unexcused) = (f.meetings_expected + n, f.unexcused + n),
            Mark::Exempt | Mark::SpecialDuty => {}
        }
    }
    let inside = |d: Date| first <= d && d <= last;
    for (id, records) in events::of_members(e, &ids).await? {
        let Some(f) = out.get_mut(&id) else { continue };
        let voided: Vec<Uuid> =
            records.iter().filter(|r| r.event.kind == EventKind::Voided).filter_map(|r| r.event.ref_id).collect();
        for ev in records.iter().map(|r| &r.event).filter(|ev| !voided.contains(&ev.id) && inside(ev.effective)) {
            match ev.kind {
                EventKind::Disciplined => f.disciplined.push(DisciplineFact { on: ev.effective, form: ev.detail.form }),
                EventKind::TransferredIn | EventKind::TransferredOut => {
                    f.transfers.push(TransferFact { kind: ev.kind, on: ev.effective })
                }
                EventKind::Readmitted => f.admitted = Some(ev.effective),
                _ => {}
            }
        }
        f.disciplined.sort_by_key(|d| d.on);
        f.transfers.sort_by_key(|t| t.on);
    }
    Ok(out)
}
