//! Counts through time: the tree's history as dated links, and the ledger of dated count
//! changes per organisation (*sổ biến động*) from which the membership of any subtree on any
//! date is one sum.
//!
//! Each organisation's ledger holds the changes of its whole subtree, each attributed to the
//! organisations that were its ancestors *on the date of the change*. The count of a subtree
//! on date D is the sum of its ledger up to D, so a report on a date before a restructuring
//! sees the tree of that date.

use super::replay::{Span, SpanKind};
use crate::member::MemberStatus;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::ops::{Add, Neg};
use time::Date;
use uuid::Uuid;

/// An organisation under a parent with a name for a period `[from, to)` (*lịch sử tổ chức*).
/// `from = None`: since the beginning of the records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub org_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub name: String,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// A period `[from, to)`; `None` is unbounded.
pub type Interval = (Option<Date>, Option<Date>);

fn intersect(a: Interval, b: Interval) -> Option<Interval> {
    let from = a.0.max(b.0);
    let to = match (a.1, b.1) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    match (from, to) {
        (Some(f), Some(t)) if f >= t => None,
        _ => Some((from, to)),
    }
}

/// Every ancestor of `org` (not itself) with the period it was one, from the links of the
/// organisations involved. An ancestor may appear more than once (moved away and back).
pub fn ancestry(org: Uuid, links: &HashMap<Uuid, Vec<Link>>) -> Vec<(Uuid, Interval)> {
    let mut out = Vec::new();
    let mut todo: Vec<(Uuid, Interval, usize)> = vec![(org, (None, None), 0)];
    while let Some((id, within, depth)) = todo.pop() {
        if depth > 64 {
            break; // a cycle in corrupt data must not hang the server
        }
        for l in links.get(&id).into_iter().flatten() {
            let (Some(parent), Some(iv)) = (l.parent_id, intersect(within, (l.from, l.to))) else { continue };
            out.push((parent, iv));
            todo.push((parent, iv, depth + 1));
        }
    }
    out
}

/// Whether `root` is above `org` on `on` by an `ancestry` of `org` ([`ancestry`]).
pub fn is_above_on(ancestry: &[(Uuid, Interval)], root: Uuid, on: Date) -> bool {
    ancestry.iter().any(|(o, (from, to))| *o == root && from.is_none_or(|f| f <= on) && to.is_none_or(|t| on < t))
}

/// Whether the organisations that were moved after a day (`moved`, each with its [`ancestry`])
/// left `root`'s subtree as it held them: each under `root` on both days or on neither (`root`
/// itself moved keeps its own subtree). Then the subtree holds on `today` the organisations it
/// held on `on`, but those established since: an organisation under `root` on one of the days
/// and not the other has, on its chain of parents, a lowest one that moved, and that one was
/// under `root` on one day and not the other.
pub fn moves_kept_within(moved: &[(Uuid, Vec<(Uuid, Interval)>)], root: Uuid, on: Date, today: Date) -> bool {
    moved.iter().all(|(org, above)| *org == root || is_above_on(above, root, on) == is_above_on(above, root, today))
}

/// The counts a ledger keeps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub members: i64,
    pub official: i64,
    pub probationary: i64,
    pub female: i64,
    pub minority: i64,
}

impl Tally {
    pub fn is_zero(&self) -> bool {
        *self == Tally::default()
    }

    /// One member with this standing and these attributes.
    pub fn of(status: MemberStatus, female: bool, minority: bool) -> Tally {
        Tally {
            members: 1,
            official: i64::from(status == MemberStatus::Official),
            probationary: i64::from(status == MemberStatus::Probationary),
            female: i64::from(female),
            minority: i64::from(minority),
        }
    }
}

impl Add for Tally {
    type Output = Tally;
    fn add(self, o: Tally) -> Tally {
        Tally {
            members: self.members + o.members,
            official: self.official + o.official,
            probationary: self.probationary + o.probationary,
            female: self.female + o.female,
            minority: self.minority + o.minority,
        }
    }
}

impl Neg for Tally {
    type Output = Tally;
    fn neg(self) -> Tally {
        Tally {
            members: -self.members,
            official: -self.official,
            probationary: -self.probationary,
            female: -self.female,
            minority: -self.minority,
        }
    }
}

/// Changes keyed by (organisation, date); zero entries are dropped by [`Ledger::rows`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger(BTreeMap<(Uuid, Date), Tally>);

impl Ledger {
    pub fn add(&mut self, org: Uuid, on: Date, t: Tally) {
        let e = self.0.entry((org, on)).or_default();
        *e = *e + t;
    }

    /// Add `rows` (dated changes of one subtree) to `org` for the part of them that falls in
    /// `iv`: what came before the interval arrives at its start, and all of it leaves at its end.
    pub fn add_within(&mut self, org: Uuid, rows: &[(Date, Tally)], iv: Interval, sign: i64) {
        for &(d, t) in rows {
            let t = if sign < 0 { -t } else { t };
            let at = iv.0.map_or(d, |f| d.max(f));
            if iv.1.is_none_or(|end| at < end) {
                self.add(org, at, t);
                if let Some(end) = iv.1 {
                    self.add(org, end, -t);
                }
            }
        }
    }

    /// Merge another ledger, negated when `sign < 0`.
    pub fn merge(&mut self, other: &Ledger, sign: i64) {
        for (&(org, on), &t) in &other.0 {
            self.add(org, on, if sign < 0 { -t } else { t });
        }
    }

    pub fn rows(&self) -> impl Iterator<Item = (Uuid, Date, Tally)> + '_ {
        self.0.iter().filter(|(_, t)| !t.is_zero()).map(|(&(o, d), &t)| (o, d, t))
    }

    pub fn is_empty(&self) -> bool {
        self.rows().next().is_none()
    }

    /// Rows held, zero sums included.
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// A member's home spans as ledger changes of their organisations and every ancestor of
/// those on each date. `ancestry_of` gives [`ancestry`] for an organisation.
pub fn member_ledger(
    spans: &[Span],
    female: bool,
    minority: bool,
    ancestry_of: &dyn Fn(Uuid) -> Vec<(Uuid, Interval)>,
) -> Ledger {
    let mut ledger = Ledger::default();
    for s in spans.iter().filter(|s| s.kind == SpanKind::Home) {
        let t = Tally::of(s.status, female, minority);
        let mut rows = vec![(s.from, t)];
        if let Some(to) = s.to {
            rows.push((to, -t));
        }
        ledger.add_within(s.org_id, &rows, (None, None), 1);
        for (ancestor, iv) in ancestry_of(s.org_id) {
            ledger.add_within(ancestor, &rows, iv, 1);
        }
    }
    ledger
}

/// The changes to the ancestors' ledgers when an organisation's own ancestry changes from
/// `before` to `after` (a move, a merge into another parent): `rows` is the organisation's own
/// ledger (its whole subtree), which itself does not change.
pub fn move_ledger(rows: &[(Date, Tally)], before: &[(Uuid, Interval)], after: &[(Uuid, Interval)]) -> Ledger {
    let mut ledger = Ledger::default();
    for &(a, iv) in before {
        ledger.add_within(a, rows, iv, -1);
    }
    for &(a, iv) in after {
        ledger.add_within(a, rows, iv, 1);
    }
    ledger
}
