//! The changes of every organisation's subtree kept per month and per day (*số liệu biến động
//! lưu sẵn*): per organisation, month (`YYYY-MM`, [`month_key`]) or day (`YYYY-MM-DD`,
//! [`date_key`]) and line of the changes ([`LINES`]), how many changes of its subtree. Every
//! change is kept twice, in its month and on its day, so every line of any period is a sum of
//! one organisation's rows: its whole months by month, the days around them by day
//! ([`month_split`]). The day rows cost little: below the top of the tree a month holds a
//! change or two of an organisation, so its days are not many more rows than its months.
//!
//! A change is attributed as [`place`] says, in **the tree of the change's date**: it counts
//! in the organisation it happened in and in each organisation that was above it on that
//! date, except — for a transfer — in those that held the other end too on that date. So a
//! later restructuring does not move the changes of the months before it, and a transfer
//! between two cells of one commune counts out of the first cell and into the second, but in
//! neither direction for the commune, the same as [`super::Changes::build`] over today's tree.

use super::changes::{Change, admission_traits, place};
use crate::life::{Effect, History, Interval, SpanKind};
use crate::meeting::period::month_start;
use crate::member::Gender;
use std::collections::BTreeMap;
use time::Date;
use uuid::Uuid;

/// The month a date falls in, as kept: `2025-03` ([`MONTH_KEY_LEN`] characters).
pub fn month_key(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month() as u8)
}

/// A day, as kept beside its month: `2025-03-17` ([`DAY_KEY_LEN`] characters). A month's key
/// sorts between the days of the month before and its own first day, so a range of day keys
/// leaves the months out by length, and months are read by their own keys ([`month_keys`]).
pub fn date_key(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

/// The keys of the months from `first` to `last` (included, as kept): what a period of whole
/// months reads, each month's rows by their own key and none of the days kept between them.
/// Empty when `last` is before `first` or either is not a month's key.
pub fn month_keys(first: &str, last: &str) -> Vec<String> {
    let parse = |k: &str| -> Option<(i32, u32)> {
        let (y, m) = k.split_once('-')?;
        let m: u32 = m.parse().ok()?;
        (k.len() == MONTH_KEY_LEN && (1..=12).contains(&m)).then_some((y.parse().ok()?, m))
    };
    let (Some((mut y, mut m)), Some(end)) = (parse(first), parse(last)) else { return Vec::new() };
    let mut out = Vec::new();
    while (y, m) <= end {
        out.push(format!("{y:04}-{m:02}"));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// The length of a month's key ([`month_key`]).
pub const MONTH_KEY_LEN: usize = 7;
/// The length of a day's key ([`date_key`]).
pub const DAY_KEY_LEN: usize = 10;

/// What the lines of an admission need from the member's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Traits {
    pub birth_date: Date,
    pub gender: Gender,
    pub ethnicity_code: i32,
}

/// Changes of the kept counts: (organisation, month or day, line) → change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeLedger(BTreeMap<(Uuid, String, &'static str), i64>);

impl ChangeLedger {
    pub fn add(&mut self, org: Uuid, key: &str, line: &'static str, n: i64) {
        *self.0.entry((org, key.to_string(), line)).or_default() += n;
    }

    /// Merge another ledger, negated when `sign < 0`.
    pub fn merge(&mut self, other: &ChangeLedger, sign: i64) {
        for ((org, month, line), n) in &other.0 {
            *self.0.entry((*org, month.clone(), line)).or_default() += if sign < 0 { -n } else { *n };
        }
    }

    /// The rows that change something.
    pub fn rows(&self) -> impl Iterator<Item = (Uuid, &str, &'static str, i64)> + '_ {
        self.0.iter().filter(|(_, n)| **n != 0).map(|((o, m, l), n)| (*o, m.as_str(), *l, *n))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Keep only the rows of the organisations `keep` holds (a recount in passes over ranges
    /// of organisations).
    pub fn retain_orgs(&mut self, keep: impl Fn(Uuid) -> bool) {
        self.0.retain(|(org, _, _), _| keep(*org));
    }

    pub fn is_empty(&self) -> bool {
        self.rows().next().is_none()
    }
}

/// `org` and the organisations above it on `on`, from its [`crate::life::ancestry`].
pub fn holders_on(org: Uuid, ancestry: &[(Uuid, Interval)], on: Date) -> Vec<Uuid> {
    let mut out = vec![org];
    for &(a, (from, to)) in ancestry {
        if from.is_none_or(|f| f <= on) && to.is_none_or(|t| on < t) && !out.contains(&a) {
            out.push(a);
        }
    }
    out
}

/// A member's changes as kept counts: each change its history applied, attributed in the tree
/// of its date (`ancestry_of` gives [`crate::life::ancestry`] of an organisation), in its
/// month and on its day.
pub fn member_changes(
    history: &History,
    traits: Traits,
    ancestry_of: &dyn Fn(Uuid) -> Vec<(Uuid, Interval)>,
) -> ChangeLedger {
    let mut out = ChangeLedger::default();
    each_change(history, traits, ancestry_of, &mut |holders, on, lines| {
        for key in [month_key(on), date_key(on)] {
            for line in lines {
                for &h in holders {
                    out.add(h, &key, line, 1);
                }
            }
        }
    });
    out
}

/// The lines a member's changes of `[from, to)` add to `org`, with their dates: what
/// [`member_changes`] adds to `org`'s rows, day by day (a period that is not whole months, the
/// list behind a line).
pub fn member_changes_of(
    history: &History,
    traits: Traits,
    ancestry_of: &dyn Fn(Uuid) -> Vec<(Uuid, Interval)>,
    org: Uuid,
    (from, to): (Date, Date),
) -> Vec<(Date, &'static str)> {
    let mut out = Vec::new();
    each_change(history, traits, ancestry_of, &mut |holders, on, lines| {
        if from <= on && on < to && holders.contains(&org) {
            out.extend(lines.iter().map(|l| (on, *l)));
        }
    });
    out
}

/// What [`each_change`] hands each change to: the organisations, the day, the lines.
type ChangeVisitor<'a> = dyn FnMut(&[Uuid], Date, &[&'static str]) + 'a;

/// Each change a history applied: the organisations it counts in (the tree of its date), its
/// date, and its lines (the change's own, then the admission's traits).
fn each_change(
    history: &History,
    traits: Traits,
    ancestry_of: &dyn Fn(Uuid) -> Vec<(Uuid, Interval)>,
    f: &mut ChangeVisitor,
) {
    let spans: Vec<(Date, Option<Date>, Uuid)> =
        history.spans.iter().filter(|s| s.kind == SpanKind::Home).map(|s| (s.from, s.to, s.org_id)).collect();
    // Whether the last transfer out took the member outside the installation.
    let mut outside = false;
    for (e, effect) in &history.events {
        let Some(change) = Change::of_event(e.kind, e.detail.form).filter(|_| *effect == Effect::Applied) else {
            continue;
        };
        if change == Change::TransferredOut {
            outside = e.org_id.is_none();
        }
        let on = e.effective;
        let (Some(counted), unless) = place(change, on, e.org_id, &spans, outside) else { continue };
        let mut holders = holders_on(counted, &ancestry_of(counted), on);
        if let Some(other) = unless {
            let others = holders_on(other, &ancestry_of(other), on);
            holders.retain(|h| !others.contains(h));
        }
        let traits = admission_traits(change, on, traits.birth_date, traits.gender, traits.ethnicity_code);
        let lines: Vec<&'static str> =
            [change.key()].into_iter().chain(traits.into_iter().filter(|(_, yes)| *yes).map(|(k, _)| k)).collect();
        f(&holders, on, &lines);
    }
}

/// A period cut where the kept months allow: the days before its first whole month, its whole
/// months (the first and last, as kept), the days after its last whole month. A period without
/// a whole month is days only.
pub type MonthSplit = (Option<(Date, Date)>, Option<(String, String)>, Option<(Date, Date)>);

/// Cut `[from, to)` into [`MonthSplit`].
pub fn month_split(from: Date, to: Date) -> MonthSplit {
    // The first of `d`'s month and of the next one.
    let first = |d: Date, next: u32| month_start(d.year(), u32::from(d.month() as u8) + next).unwrap_or(d);
    let start = if from.day() == 1 { from } else { first(from, 1) };
    let end = first(to, 0);
    if from >= to {
        return (None, None, None);
    }
    if start >= end {
        return (Some((from, to)), None, None);
    }
    let days = |a: Date, b: Date| (a < b).then_some((a, b));
    (days(from, start), whole_months(start, end), days(end, to))
}

/// Whether a period is made of whole months (it starts and ends on the first of a month):
/// its changes are sums of kept rows. The first and last months (included), as kept.
pub fn whole_months(from: Date, to: Date) -> Option<(String, String)> {
    if from.day() != 1 || to.day() != 1 || to <= from {
        return None;
    }
    Some((month_key(from), month_key(to.previous_day()?)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::life::{Decision, Detail, Event, EventKind, Link, ancestry, replay};
    use std::collections::HashMap;
    use time::macros::date;

    fn org(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn ev(n: u128, kind: EventKind, on: Date, org_id: Option<Uuid>) -> Event {
        let decision = Decision::default();
        Event { id: Uuid::from_u128(n), kind, effective: on, org_id, ref_id: None, decision, detail: Detail::default() }
    }

    fn link(o: u128, parent: Option<u128>, from: Option<Date>, to: Option<Date>) -> Link {
        Link { org_id: org(o), parent_id: parent.map(org), name: String::new(), from, to }
    }

    /// Province 1; communes 2 and 3; cells 20, 21 under 2; cell 30 under 3 until 01/07/2025,
    /// under 2 from then.
    fn links() -> HashMap<Uuid, Vec<Link>> {
        let reform = date!(2025 - 07 - 01);
        let all = [
            link(2, Some(1), None, None),
            link(3, Some(1), None, None),
            link(20, Some(2), None, None),
            link(21, Some(2), None, None),
            link(30, Some(3), None, Some(reform)),
            link(30, Some(2), Some(reform), None),
        ];
        let mut map: HashMap<Uuid, Vec<Link>> = HashMap::new();
        for l in all {
            map.entry(l.org_id).or_default().push(l);
        }
        map
    }

    #[test]
    fn a_ledger_keeps_the_rows_of_the_organisations_asked() {
        let mut ledger = ChangeLedger::default();
        for o in [1, 2, 3] {
            ledger.add(org(o), "2025-03", "admitted", 1);
            ledger.add(org(o), "2025-03-14", "admitted", 1);
        }
        ledger.retain_orgs(|o| o != org(2));
        let left: Vec<Uuid> = ledger.rows().map(|(o, ..)| o).collect();
        assert_eq!(left, vec![org(1), org(1), org(3), org(3)]);
    }

    fn counts(events: &[Event], female: bool) -> BTreeMap<(u128, String, &'static str), i64> {
        let links = links();
        let gender = if female { Gender::Female } else { Gender::Male };
        let traits = Traits { birth_date: date!(2000 - 01 - 01), gender, ethnicity_code: 1 };
        let l = member_changes(&replay(events), traits, &|o| ancestry(o, &links));
        l.rows()
            .filter(|(_, key, ..)| key.len() == MONTH_KEY_LEN)
            .map(|(o, m, line, n)| ((o.as_u128(), m.to_string(), line), n))
            .collect()
    }

    /// A ledger's day rows summed by month: what its month rows must be.
    fn days_by_month(l: &ChangeLedger) -> BTreeMap<(Uuid, String, &'static str), i64> {
        let mut out = BTreeMap::new();
        for (o, key, line, n) in l.rows().filter(|(_, key, ..)| key.len() == DAY_KEY_LEN) {
            *out.entry((o, key[..MONTH_KEY_LEN].to_string(), line)).or_default() += n;
        }
        out
    }

    #[test]
    fn each_change_is_kept_in_its_month_and_on_its_day() {
        let links = links();
        let traits = Traits { birth_date: date!(2000 - 01 - 01), gender: Gender::Female, ethnicity_code: 1 };
        let transfers = [
            ev(1, EventKind::Admitted, date!(2025 - 03 - 01), Some(org(20))),
            ev(2, EventKind::TransferredOut, date!(2025 - 03 - 31), Some(org(21))),
            ev(3, EventKind::TransferredIn, date!(2025 - 04 - 05), Some(org(21))),
            ev(4, EventKind::Died, date!(2025 - 07 - 01), None),
        ];
        // In cell 30, which moved from commune 3 to commune 2 on 01/07/2025.
        let moved = [
            ev(1, EventKind::Admitted, date!(2025 - 03 - 01), Some(org(30))),
            ev(2, EventKind::Died, date!(2025 - 07 - 01), None),
        ];
        for events in [&transfers[..], &moved[..]] {
            let l = member_changes(&replay(events), traits, &|o| ancestry(o, &links));
            let months: BTreeMap<_, _> = l
                .rows()
                .filter(|(_, key, ..)| key.len() == MONTH_KEY_LEN)
                .map(|(o, k, line, n)| ((o, k.to_string(), line), n))
                .collect();
            assert!(!months.is_empty());
            assert_eq!(days_by_month(&l), months);
        }
        let at = |events: &[Event], o: u128, key: &str, line: &'static str| {
            let l = member_changes(&replay(events), traits, &|o| ancestry(o, &links));
            l.0.get(&(org(o), key.to_string(), line)).copied()
        };
        assert_eq!(at(&transfers, 20, "2025-03-31", "transferred_out"), Some(1));
        assert_eq!(at(&transfers, 2, "2025-03-31", "transferred_out"), None, "inside the commune");
        assert_eq!(at(&transfers, 1, "2025-03-01", "admitted_young"), Some(1));
        assert_eq!(at(&transfers, 21, "2025-07-01", "died"), Some(1));
        assert_eq!((at(&moved, 3, "2025-03-01", "admitted"), at(&moved, 2, "2025-03-01", "admitted")), (Some(1), None));
        assert_eq!((at(&moved, 2, "2025-07-01", "died"), at(&moved, 3, "2025-07-01", "died")), (Some(1), None));
        assert_eq!(
            (date_key(date!(0999 - 01 - 09)), month_key(date!(2025 - 12 - 31))),
            ("0999-01-09".into(), "2025-12".into())
        );
    }

    fn row(o: u128, m: &str, line: &'static str) -> ((u128, String, &'static str), i64) {
        ((o, m.to_string(), line), 1)
    }

    #[test]
    fn a_transfer_inside_a_commune_moves_its_cells_only() {
        let events = [
            ev(1, EventKind::Admitted, date!(2025 - 03 - 01), Some(org(20))),
            ev(2, EventKind::TransferredOut, date!(2025 - 04 - 01), Some(org(21))),
            ev(3, EventKind::TransferredIn, date!(2025 - 04 - 05), Some(org(21))),
        ];
        let expected: BTreeMap<_, _> = [
            row(20, "2025-03", "admitted"),
            row(2, "2025-03", "admitted"),
            row(1, "2025-03", "admitted"),
            row(20, "2025-03", "admitted_young"),
            row(2, "2025-03", "admitted_young"),
            row(1, "2025-03", "admitted_young"),
            row(20, "2025-03", "admitted_female"),
            row(2, "2025-03", "admitted_female"),
            row(1, "2025-03", "admitted_female"),
            row(20, "2025-04", "transferred_out"),
            row(21, "2025-04", "transferred_in"),
        ]
        .into_iter()
        .collect();
        assert_eq!(counts(&events, true), expected);
    }

    /// Out to an organisation outside the installation and back into the same cell a year
    /// later: out at every level, then in at every level (the member comes from outside); a
    /// transfer between two of its cells is still neither at the commune.
    #[test]
    fn a_member_back_from_outside_the_installation_is_transferred_in() {
        let events = [
            ev(1, EventKind::Admitted, date!(2020 - 03 - 01), Some(org(20))),
            ev(2, EventKind::TransferredOut, date!(2024 - 04 - 01), None),
            ev(3, EventKind::TransferredIn, date!(2025 - 04 - 05), Some(org(20))),
            ev(4, EventKind::TransferredOut, date!(2025 - 09 - 01), Some(org(21))),
            ev(5, EventKind::TransferredIn, date!(2025 - 09 - 03), Some(org(21))),
        ];
        let got = counts(&events, false);
        let at = |o: u128, m: &str, line: &'static str| got.get(&(o, m.to_string(), line)).copied();
        for o in [20, 2, 1] {
            assert_eq!(at(o, "2024-04", "transferred_out"), Some(1), "out of {o}");
            assert_eq!(at(o, "2025-04", "transferred_in"), Some(1), "back into {o}");
        }
        assert_eq!((at(20, "2025-09", "transferred_out"), at(21, "2025-09", "transferred_in")), (Some(1), Some(1)));
        assert_eq!((at(2, "2025-09", "transferred_out"), at(2, "2025-09", "transferred_in")), (None, None));
    }

    #[test]
    fn a_change_counts_in_the_tree_of_its_date() {
        // In cell 30 while it was under commune 3, then after it moved under commune 2.
        let before = [
            ev(1, EventKind::Admitted, date!(2020 - 03 - 01), Some(org(30))),
            ev(2, EventKind::Died, date!(2025 - 06 - 30), None),
        ];
        let after = [
            ev(1, EventKind::Admitted, date!(2020 - 03 - 01), Some(org(30))),
            ev(2, EventKind::Left, date!(2025 - 07 - 01), None),
        ];
        let died = counts(&before, false);
        assert_eq!(died.get(&(3, "2025-06".to_string(), "died")), Some(&1));
        assert_eq!(died.get(&(2, "2025-06".to_string(), "died")), None);
        let left = counts(&after, false);
        assert_eq!(left.get(&(2, "2025-07".to_string(), "left")), Some(&1));
        assert_eq!(left.get(&(3, "2025-07".to_string(), "left")), None);
        assert_eq!(left.get(&(3, "2020-03".to_string(), "admitted")), Some(&1));
        // Voided: nothing.
        let mut voided = before.to_vec();
        voided
            .push(Event { ref_id: Some(Uuid::from_u128(2)), ..ev(3, EventKind::Voided, date!(2025 - 07 - 02), None) });
        assert_eq!(counts(&voided, false).get(&(3, "2025-06".to_string(), "died")), None);
    }

    #[test]
    fn the_changes_of_some_days_are_those_of_the_rows_on_those_days() {
        let links = links();
        let traits = Traits { birth_date: date!(2000 - 01 - 01), gender: Gender::Female, ethnicity_code: 1 };
        let events = [
            ev(1, EventKind::Admitted, date!(2020 - 03 - 01), Some(org(30))),
            ev(2, EventKind::Died, date!(2025 - 06 - 30), None),
        ];
        let h = replay(&events);
        let of =
            |o: u128, from: Date, to: Date| member_changes_of(&h, traits, &|x| ancestry(x, &links), org(o), (from, to));
        // The death of 30/06/2025 counts in commune 3 (cell 30's parent that day), not in 2.
        assert_eq!(of(3, date!(2025 - 06 - 15), date!(2025 - 07 - 01)), vec![(date!(2025 - 06 - 30), "died")]);
        assert_eq!(of(2, date!(2025 - 06 - 15), date!(2025 - 07 - 01)), vec![]);
        assert_eq!(of(3, date!(2025 - 06 - 01), date!(2025 - 06 - 30)), vec![], "the last day is outside");
        // The admission and its traits (young, female) on its day.
        let admitted = date!(2020 - 03 - 01);
        assert_eq!(
            of(1, admitted, admitted.next_day().unwrap()),
            vec![(admitted, "admitted"), (admitted, "admitted_young"), (admitted, "admitted_female")]
        );
    }

    #[test]
    fn a_period_is_cut_into_kept_months_and_the_days_around_them() {
        type Case = ((Date, Date), Option<(Date, Date)>, Option<(&'static str, &'static str)>, Option<(Date, Date)>);
        let cases: [Case; 5] = [
            // 02/01/2025–15/08/2025 (the last day included: to = 16/08).
            (
                (date!(2025 - 01 - 02), date!(2025 - 08 - 16)),
                Some((date!(2025 - 01 - 02), date!(2025 - 02 - 01))),
                Some(("2025-02", "2025-07")),
                Some((date!(2025 - 08 - 01), date!(2025 - 08 - 16))),
            ),
            // Whole months only.
            ((date!(2025 - 03 - 01), date!(2025 - 07 - 01)), None, Some(("2025-03", "2025-06")), None),
            // The days of one month only.
            (
                (date!(2025 - 03 - 02), date!(2025 - 03 - 31)),
                Some((date!(2025 - 03 - 02), date!(2025 - 03 - 31))),
                None,
                None,
            ),
            // Across a year's end.
            (
                (date!(2025 - 12 - 15), date!(2026 - 02 - 10)),
                Some((date!(2025 - 12 - 15), date!(2026 - 01 - 01))),
                Some(("2026-01", "2026-01")),
                Some((date!(2026 - 02 - 01), date!(2026 - 02 - 10))),
            ),
            // Across a month's end without a whole month: days only.
            (
                (date!(2025 - 03 - 20), date!(2025 - 04 - 10)),
                Some((date!(2025 - 03 - 20), date!(2025 - 04 - 10))),
                None,
                None,
            ),
        ];
        for ((from, to), head, months, tail) in cases {
            let months = months.map(|(a, b)| (a.to_string(), b.to_string()));
            assert_eq!(month_split(from, to), (head, months, tail), "{from}..{to}");
        }
    }

    #[test]
    fn each_line_names_the_change_and_the_events_behind_it() {
        use crate::life::DisciplineForm;
        assert_eq!(Change::of_line("admitted_female"), Some(Change::Admitted));
        assert_eq!(Change::of_line("expelled").map(Change::event_kind), Some(EventKind::Disciplined));
        assert_eq!(Change::of_line("nothing"), None);
        for c in Change::ALL {
            assert_eq!(Change::of_line(c.key()), Some(c));
            assert_eq!(Change::of_event(c.event_kind(), Some(DisciplineForm::Expulsion)), Some(c));
        }
    }

    #[test]
    fn the_months_of_a_range_are_each_months_key() {
        assert_eq!(month_keys("2025-11", "2026-02"), ["2025-11", "2025-12", "2026-01", "2026-02"]);
        assert_eq!(month_keys("2025-03", "2025-03"), ["2025-03"]);
        assert_eq!(month_keys("2026-01", "2025-12"), Vec::<String>::new());
        assert_eq!(month_keys("2025-13", "2026-01"), Vec::<String>::new());
        assert_eq!(month_keys("2025-03-01", "2025-04"), Vec::<String>::new(), "a day's key is not a month's");
        assert_eq!(month_keys("2016-01", "2026-12").len(), 132);
    }

    #[test]
    fn whole_months_are_the_periods_that_start_and_end_on_a_first() {
        assert_eq!(
            whole_months(date!(2025 - 01 - 01), date!(2026 - 01 - 01)),
            Some(("2025-01".into(), "2025-12".into()))
        );
        assert_eq!(whole_months(date!(2025 - 01 - 01), date!(2025 - 04 - 06)), None);
        assert_eq!(whole_months(date!(2025 - 02 - 01), date!(2025 - 02 - 01)), None);
    }
}
