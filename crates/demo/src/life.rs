//! A member's life after admission: the opening events every record starts with, a few
//! realistic later events (transfer to another cell of the commune, temporary attachment,
//! exemption in old age, out of contact for a while, death, leaving, striking off), and the
//! record the registry keeps after replaying them.
//!
//! Later events come from a generator of their own, seeded per member, so the records
//! themselves are the same with or without them. Rates are invented for demo purposes.

use crate::tree::{Built, CellPlan};
use crate::{AS_OF, DemoOrg, make_id, mix};
use chibo_domain::date::add_months;
use chibo_domain::life::{Decision, Detail, Event, EventKind, Span, StrikeOffGround, replay};
use chibo_domain::member::MemberInput;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use time::{Date, Duration};
use uuid::Uuid;

/// Ids of member events follow a counter of their own, eight per member (see [`make_id`]).
const EVENT_IDS: u64 = 1 << 44;
const SALT: u64 = 0x11FE_0000_0000_0000;

pub use chibo_domain::life::{RecordLife as Life, settle_record as settle};

/// The record as the registry keeps it after the member's events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled {
    pub input: MemberInput,
    /// The path of `input.org_id`.
    pub org_path: String,
    pub life: Life,
    /// The replayed spans of membership and attachment.
    pub spans: Vec<Span>,
}

/// The events of one member, numbered for their ids.
struct Story {
    n: u64,
    rng: StdRng,
    events: Vec<Event>,
}

impl Story {
    fn add(&mut self, kind: EventKind, effective: Date, org_id: Option<Uuid>, detail: Detail) {
        let id = make_id(EVENT_IDS + self.n * 8 + self.events.len() as u64, self.rng.random());
        self.events.push(Event { id, kind, effective, org_id, ref_id: None, decision: Decision::default(), detail });
    }

    /// A day in `from..=to`, if there is one.
    fn day(&mut self, from: Date, to: Date) -> Option<Date> {
        let (a, b) = (from.to_julian_day(), to.to_julian_day());
        (a <= b).then(|| Date::from_julian_day(self.rng.random_range(a..=b)).unwrap_or(to))
    }

    /// Another cell of the commune that existed by `after`, and the first day it can be used.
    fn other_cell<'a>(&mut self, built: &'a Built, cell: &CellPlan, after: Date) -> Option<(&'a DemoOrg, Date)> {
        let cells = built.communes[cell.commune as usize].cells.clone();
        if cells.len() < 2 {
            return None;
        }
        let pick = &built.cells[self.rng.random_range(cells) as usize];
        let org = &built.orgs[pick.org as usize];
        let ready = org.input.established_on.map_or(after, |e| after.max(e + Duration::days(1)));
        (pick.org != cell.org).then_some((org, ready))
    }
}

/// The history of the `n`-th member (`entered`, admitted in `cell`), and the record after it.
/// Leaders of the cell and probationary members keep their opening events only.
pub(crate) fn live(
    seed: u64,
    n: u64,
    entered: &MemberInput,
    leader: bool,
    built: &Built,
    cell: &CellPlan,
) -> (Vec<Event>, Settled) {
    let home = &built.orgs[cell.org as usize];
    let mut s = Story { n, rng: StdRng::seed_from_u64(mix(seed, SALT + n)), events: Vec::with_capacity(4) };
    s.add(EventKind::Admitted, entered.admission_date, Some(home.id), Detail::default());
    let mut moved_to: Option<&DemoOrg> = None;
    if let Some(official) = entered.official_date {
        s.add(EventKind::Recognized, official, None, Detail::default());
        let after = official + Duration::days(1);
        let roll = s.rng.random_range(0..1000u32);
        if leader {
            // The cell's leaders stay as they are.
        } else if entered.birth_date.year() <= 1952 {
            match roll {
                0..80 => {
                    if let Some(d) = s.day(after.max(time::macros::date!(2010 - 01 - 01)), AS_OF) {
                        s.add(EventKind::Died, d, None, Detail::default());
                    }
                }
                80..230 => {
                    let seventy = add_months(entered.birth_date, 70 * 12);
                    if let Some(d) = s.day(after.max(seventy), AS_OF) {
                        let reason = Some("Tuổi cao, sức yếu".to_string());
                        s.add(EventKind::ExemptionStarted, d, None, Detail { reason, ..Detail::default() });
                    }
                }
                _ => {}
            }
        } else {
            match roll {
                0..30 => {
                    if let Some((to, ready)) = s.other_cell(built, cell, after)
                        && let Some(d) = s.day(ready, AS_OF)
                    {
                        s.add(EventKind::TransferredOut, d, Some(to.id), Detail::default());
                        s.add(EventKind::TransferredIn, d, Some(to.id), Detail::default());
                        moved_to = Some(to);
                    }
                }
                30..45 => {
                    if let Some(lost) = s.day(after, AS_OF - Duration::days(90)) {
                        s.add(EventKind::ContactLost, lost, None, Detail::default());
                        let back = add_months(lost, s.rng.random_range(3..=14));
                        if back <= AS_OF {
                            s.add(EventKind::ContactRestored, back, None, Detail::default());
                        }
                    }
                }
                45..60 => {
                    if let Some((host, ready)) = s.other_cell(built, cell, after)
                        && let Some(d) = s.day(ready, AS_OF)
                    {
                        let until = add_months(d, s.rng.random_range(3..=18));
                        let detail = Detail { until: Some(until), ..Detail::default() };
                        s.add(EventKind::AttachmentStarted, d, Some(host.id), detail);
                        if until <= AS_OF {
                            s.add(EventKind::AttachmentEnded, until, None, Detail::default());
                        }
                    }
                }
                60..63 => {
                    if let Some(d) = s.day(after, AS_OF) {
                        s.add(EventKind::Left, d, None, Detail::default());
                    }
                }
                63..66 => {
                    if let Some(d) = s.day(after, AS_OF) {
                        let ground = Some(StrikeOffGround::AbandonedActivities);
                        s.add(EventKind::StruckOff, d, None, Detail { ground, ..Detail::default() });
                    }
                }
                66..71 => {
                    // A reprimand in the last two years (the review caps the year's level).
                    if let Some(d) = s.day(after.max(time::macros::date!(2025 - 01 - 01)), AS_OF) {
                        let reason = Some("Vi phạm chế độ sinh hoạt đảng".to_string());
                        let form = Some(chibo_domain::life::DisciplineForm::Reprimand);
                        s.add(EventKind::Disciplined, d, None, Detail { reason, form, ..Detail::default() });
                    }
                }
                _ => {}
            }
        }
    }
    let history = replay(&s.events);
    let (input, life) = settle(entered, &history).unwrap_or_else(|| (entered.clone(), Life::default()));
    let org_path = match moved_to {
        Some(to) if to.id == input.org_id => to.path.clone(),
        _ => home.path.clone(),
    };
    (s.events, Settled { input, org_path, life, spans: history.spans })
}

impl Settled {
    /// Whether the member is counted (on the rolls, probationary or official).
    pub fn is_active(&self) -> bool {
        self.input.status.is_active() && self.life.transit_org_id.is_none()
    }
}
