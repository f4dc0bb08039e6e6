//! Tests of the replay and of the tally: worked cases, and properties over random histories
//! (a small xorshift generator keeps them deterministic).

use super::event::{Decision, Detail, DisciplineForm, Event, EventKind};
use super::replay::{
    Effect, GapKind, History, Placement, Span, SpanKind, State, rejection, replay, state_before, state_on,
};
use super::tally::{
    Interval, Ledger, Link, Tally, ancestry, is_above_on, member_ledger, move_ledger, moves_kept_within,
};
use crate::member::MemberStatus;
use std::collections::HashMap;
use time::macros::date;
use time::{Date, Duration};
use uuid::Uuid;

use EventKind::*;
use MemberStatus::{Deceased, Expelled, Official, Probationary, TransferredAway};

fn org(n: u128) -> Uuid {
    Uuid::from_u128(1000 + n)
}

fn event(id: u128, kind: EventKind, on: Date, org_id: Option<Uuid>) -> Event {
    Event {
        id: Uuid::from_u128(id),
        kind,
        effective: on,
        org_id,
        ref_id: None,
        decision: Decision::default(),
        detail: Detail::default(),
    }
}

/// A member's events as entered, numbered in entry order.
#[derive(Default)]
struct Log(Vec<Event>);

impl Log {
    fn push(&mut self, kind: EventKind, on: Date, org_id: Option<Uuid>) -> Uuid {
        let e = event(self.0.len() as u128 + 1, kind, on, org_id);
        let id = e.id;
        self.0.push(e);
        id
    }
    fn discipline(&mut self, form: DisciplineForm, on: Date) -> Uuid {
        let id = self.push(Disciplined, on, None);
        self.last().detail.form = Some(form);
        id
    }
    fn naming(&mut self, kind: EventKind, on: Date, target: Uuid) -> Uuid {
        let id = self.push(kind, on, None);
        self.last().ref_id = Some(target);
        id
    }
    fn last(&mut self) -> &mut Event {
        let n = self.0.len() - 1;
        &mut self.0[n]
    }
    fn history(&self) -> History {
        replay(&self.0)
    }
    fn on(&self, d: Date) -> State {
        state_on(&self.0, d)
    }
}

fn span(kind: SpanKind, o: Uuid, status: MemberStatus, from: Date, to: Option<Date>) -> Span {
    Span { kind, org_id: o, status, from, to }
}

fn effect_of(h: &History, id: Uuid) -> Effect {
    h.events.iter().find(|(e, _)| e.id == id).map(|(_, eff)| *eff).unwrap()
}

// ---------------------------------------------------------------- replay: worked cases

#[test]
fn admission_then_recognition_splits_the_span_at_the_official_date() {
    let mut log = Log::default();
    log.push(Admitted, date!(2024 - 03 - 15), Some(org(1)));
    log.push(Recognized, date!(2025 - 03 - 15), None);
    let h = log.history();
    assert_eq!(
        h.spans,
        vec![
            span(SpanKind::Home, org(1), Probationary, date!(2024 - 03 - 15), Some(date!(2025 - 03 - 15))),
            span(SpanKind::Home, org(1), Official, date!(2025 - 03 - 15), None),
        ]
    );
    assert_eq!(h.state.official, Some(date!(2025 - 03 - 15)));
    assert_eq!(h.state.first_admission, Some(date!(2024 - 03 - 15)));
    assert_eq!(h.age_from, Some(date!(2024 - 03 - 15)));
    assert_eq!(log.on(date!(2025 - 03 - 14)).standing, Some(Probationary));
    assert_eq!(log.on(date!(2025 - 03 - 15)).standing, Some(Official));
    assert_eq!(log.on(date!(2024 - 03 - 14)).standing, None);
    assert_eq!(log.on(date!(2024 - 03 - 14)).placement, Placement::None);
    assert!(h.gaps.is_empty());
}

#[test]
fn transfer_inside_the_tree_leaves_a_transit_gap() {
    let mut log = Log::default();
    log.push(Admitted, date!(2020 - 01 - 10), Some(org(1)));
    log.push(Recognized, date!(2021 - 01 - 10), None);
    log.push(TransferredOut, date!(2022 - 05 - 01), Some(org(2)));
    log.push(TransferredIn, date!(2022 - 05 - 20), Some(org(2)));
    let h = log.history();
    assert_eq!(
        h.spans[1..],
        [
            span(SpanKind::Home, org(1), Official, date!(2021 - 01 - 10), Some(date!(2022 - 05 - 01))),
            span(SpanKind::Home, org(2), Official, date!(2022 - 05 - 20), None),
        ]
    );
    assert_eq!(h.gaps.len(), 1);
    assert_eq!(
        (h.gaps[0].kind, h.gaps[0].from, h.gaps[0].to),
        (GapKind::Transfer, date!(2022 - 05 - 01), Some(date!(2022 - 05 - 20)))
    );
    let mid = log.on(date!(2022 - 05 - 10));
    assert_eq!(mid.placement, Placement::Transit { from: org(1), to: org(2) });
    assert_eq!((mid.home(), mid.status()), (None, Some(Official)));
    assert_eq!(h.state.home(), Some(org(2)));
    assert_eq!(h.state.last_org, Some(org(2)));
}

#[test]
fn arrival_elsewhere_than_the_transfer_target_is_rejected() {
    let mut log = Log::default();
    log.push(Admitted, date!(2020 - 01 - 10), Some(org(1)));
    log.push(TransferredOut, date!(2022 - 05 - 01), Some(org(2)));
    let wrong = log.push(TransferredIn, date!(2022 - 05 - 20), Some(org(3)));
    let same = log.push(TransferredOut, date!(2022 - 06 - 01), Some(org(2)));
    let h = log.history();
    assert_eq!(effect_of(&h, wrong), Effect::Rejected("transfer_elsewhere"));
    assert_eq!(effect_of(&h, same), Effect::Rejected("not_on_rolls"));
    assert_eq!(h.state.placement, Placement::Transit { from: org(1), to: org(2) });
    // Still in transit: the gap is open.
    assert_eq!(h.gaps[0].to, None);
}

#[test]
fn transfer_out_of_the_installation_is_transferred_away() {
    let mut log = Log::default();
    log.push(Admitted, date!(2020 - 01 - 10), Some(org(1)));
    log.push(Recognized, date!(2021 - 01 - 10), None);
    log.push(TransferredOut, date!(2023 - 02 - 01), None);
    let h = log.history();
    assert_eq!(h.state.status(), Some(TransferredAway));
    assert_eq!(h.state.standing, Some(Official));
    assert_eq!(h.state.placement, Placement::Outside);
    assert_eq!(h.state.home(), None);
    assert_eq!(h.spans.last().unwrap().to, Some(date!(2023 - 02 - 01)));
    // Outside the installation the member is still in the Party: no gap.
    assert!(h.gaps.is_empty());
    // Coming back from outside.
    log.push(TransferredIn, date!(2024 - 02 - 01), Some(org(3)));
    let h = log.history();
    assert_eq!(h.state.home(), Some(org(3)));
    assert!(h.gaps.is_empty());
}

#[test]
fn temporary_attachment_runs_beside_the_home_span() {
    let mut log = Log::default();
    log.push(Admitted, date!(2022 - 01 - 10), Some(org(1)));
    log.push(AttachmentStarted, date!(2022 - 06 - 01), Some(org(5)));
    log.push(Recognized, date!(2023 - 01 - 10), None);
    log.push(AttachmentEnded, date!(2023 - 06 - 01), None);
    let h = log.history();
    let attached: Vec<Span> = h.spans.iter().filter(|s| s.kind == SpanKind::Attached).copied().collect();
    let home: Vec<Span> = h.spans.iter().filter(|s| s.kind == SpanKind::Home).copied().collect();
    assert_eq!(
        attached,
        vec![
            span(SpanKind::Attached, org(5), Probationary, date!(2022 - 06 - 01), Some(date!(2023 - 01 - 10))),
            span(SpanKind::Attached, org(5), Official, date!(2023 - 01 - 10), Some(date!(2023 - 06 - 01))),
        ]
    );
    assert_eq!(
        home,
        vec![
            span(SpanKind::Home, org(1), Probationary, date!(2022 - 01 - 10), Some(date!(2023 - 01 - 10))),
            span(SpanKind::Home, org(1), Official, date!(2023 - 01 - 10), None),
        ]
    );
    let mid = log.on(date!(2022 - 09 - 01));
    assert_eq!((mid.home(), mid.attached_to), (Some(org(1)), Some(org(5))));
    assert_eq!(h.state.attached_to, None);
    assert!(h.gaps.is_empty());
    // Not attached to the home organisation, nor twice.
    let mut log = Log::default();
    log.push(Admitted, date!(2022 - 01 - 10), Some(org(1)));
    let own = log.push(AttachmentStarted, date!(2022 - 06 - 01), Some(org(1)));
    log.push(AttachmentStarted, date!(2022 - 06 - 02), Some(org(5)));
    let twice = log.push(AttachmentStarted, date!(2022 - 06 - 03), Some(org(6)));
    let h = log.history();
    assert_eq!(effect_of(&h, own), Effect::Rejected("same_org"));
    assert_eq!(effect_of(&h, twice), Effect::Rejected("already_attached"));
}

#[test]
fn exemption_is_a_state_not_a_span() {
    let mut log = Log::default();
    log.push(Admitted, date!(1980 - 01 - 10), Some(org(1)));
    log.push(Recognized, date!(1981 - 01 - 10), None);
    log.push(ExemptionStarted, date!(2020 - 03 - 01), None);
    let again = log.push(ExemptionStarted, date!(2020 - 04 - 01), None);
    assert_eq!(log.on(date!(2020 - 05 - 01)).exempt_since, Some(date!(2020 - 03 - 01)));
    log.push(ExemptionEnded, date!(2021 - 03 - 01), None);
    let not = log.push(ExemptionEnded, date!(2021 - 04 - 01), None);
    let h = log.history();
    assert_eq!(h.state.exempt_since, None);
    assert_eq!(effect_of(&h, again), Effect::Rejected("already_exempt"));
    assert_eq!(effect_of(&h, not), Effect::Rejected("not_exempt"));
    assert_eq!(h.spans.len(), 2);
    assert!(h.gaps.is_empty());
}

#[test]
fn a_voided_event_has_no_effect_on_any_date() {
    let mut log = Log::default();
    log.push(Admitted, date!(2020 - 01 - 10), Some(org(1)));
    let wrong = log.push(TransferredOut, date!(2021 - 05 - 01), Some(org(2)));
    let void = log.naming(Voided, date!(2021 - 09 - 01), wrong);
    let h = log.history();
    assert_eq!(effect_of(&h, wrong), Effect::Voided);
    assert_eq!(effect_of(&h, void), Effect::Applied);
    assert_eq!(h.spans, vec![span(SpanKind::Home, org(1), Probationary, date!(2020 - 01 - 10), None)]);
    assert!(h.gaps.is_empty());
    // Even before the correction was recorded.
    assert_eq!(log.on(date!(2021 - 06 - 01)).home(), Some(org(1)));
}

#[test]
fn a_cleared_expulsion_is_continuous_membership() {
    let mut log = Log::default();
    log.push(Admitted, date!(2000 - 01 - 10), Some(org(1)));
    log.push(Recognized, date!(2001 - 01 - 10), None);
    let expelled = log.discipline(DisciplineForm::Expulsion, date!(2015 - 06 - 01));
    // Before the annulment is recorded, the expulsion stands.
    assert_eq!(log.history().state.standing, Some(Expelled));
    assert_eq!(log.history().gaps[0].kind, GapKind::OutOfParty);
    log.naming(ExpulsionCleared, date!(2016 - 02 - 01), expelled);
    let h = log.history();
    assert_eq!(effect_of(&h, expelled), Effect::Cleared);
    assert_eq!(h.state.standing, Some(Official));
    assert_eq!(h.state.ended_on, None);
    assert!(h.gaps.is_empty());
    assert_eq!(h.spans.last(), Some(&span(SpanKind::Home, org(1), Official, date!(2001 - 01 - 10), None)));
    assert_eq!(log.on(date!(2015 - 09 - 01)).home(), Some(org(1)));
}

#[test]
fn struck_off_then_readmitted_leaves_an_out_of_party_gap() {
    let mut log = Log::default();
    log.push(Admitted, date!(2000 - 01 - 10), Some(org(1)));
    log.push(Recognized, date!(2001 - 01 - 10), None);
    log.push(StruckOff, date!(2010 - 03 - 01), None);
    let early = log.push(Readmitted, date!(2009 - 01 - 01), Some(org(2)));
    log.push(Readmitted, date!(2013 - 04 - 01), Some(org(2)));
    let h = log.history();
    assert_eq!(effect_of(&h, early), Effect::Rejected("not_out_of_party"));
    assert_eq!(h.gaps.len(), 1);
    assert_eq!(
        (h.gaps[0].kind, h.gaps[0].from, h.gaps[0].to),
        (GapKind::OutOfParty, date!(2010 - 03 - 01), Some(date!(2013 - 04 - 01)))
    );
    assert_eq!(h.state.standing, Some(Probationary));
    assert_eq!(
        (h.state.first_admission, h.state.admission),
        (Some(date!(2000 - 01 - 10)), Some(date!(2013 - 04 - 01)))
    );
    assert_eq!((h.state.official, h.state.ended_on), (None, None));
    assert_eq!(h.age_from, Some(date!(2000 - 01 - 10)));
    let out = log.on(date!(2011 - 01 - 01));
    assert_eq!(
        (out.standing, out.home(), out.ended_on),
        (Some(MemberStatus::StruckOff), None, Some(date!(2010 - 03 - 01)))
    );
    assert_eq!(out.last_org, Some(org(1)));
    assert_eq!(h.spans.last(), Some(&span(SpanKind::Home, org(2), Probationary, date!(2013 - 04 - 01), None)));
}

#[test]
fn death_ends_every_span() {
    let mut log = Log::default();
    log.push(Admitted, date!(1970 - 01 - 10), Some(org(1)));
    log.push(Recognized, date!(1971 - 01 - 10), None);
    log.push(AttachmentStarted, date!(2019 - 01 - 01), Some(org(4)));
    log.push(ExemptionStarted, date!(2019 - 02 - 01), None);
    log.push(Died, date!(2019 - 07 - 01), None);
    let after = log.push(TransferredOut, date!(2019 - 08 - 01), Some(org(2)));
    let h = log.history();
    assert!(h.spans.iter().all(|s| s.to.is_some_and(|t| t <= date!(2019 - 07 - 01))));
    assert_eq!((h.state.standing, h.state.ended_on), (Some(Deceased), Some(date!(2019 - 07 - 01))));
    assert_eq!((h.state.attached_to, h.state.exempt_since), (None, None));
    assert_eq!(effect_of(&h, after), Effect::Rejected("not_a_member"));
    assert!(h.gaps.is_empty());
}

#[test]
fn events_that_do_not_fit_are_reported() {
    let mut log = Log::default();
    let before = log.push(Recognized, date!(2019 - 01 - 01), None);
    log.push(Admitted, date!(2020 - 01 - 10), Some(org(1)));
    log.push(Recognized, date!(2021 - 01 - 10), None);
    let twice = log.push(Recognized, date!(2021 - 02 - 10), None);
    let again = log.push(Admitted, date!(2021 - 03 - 10), Some(org(2)));
    let formless = log.push(Disciplined, date!(2021 - 04 - 10), None);
    let h = log.history();
    let rejected: Vec<(Uuid, &str)> = h.rejected().map(|(e, why)| (e.id, why)).collect();
    assert_eq!(
        rejected,
        vec![
            (before, "not_a_member"),
            (twice, "not_probationary"),
            (again, "already_admitted"),
            (formless, "form_required")
        ]
    );
    assert_eq!(rejection("not_probationary").field, "kind");
    assert_eq!(rejection("form_required").field, "form");
    assert!(rejection("not_a_member").message_vi.contains("đảng viên"));
    // A probationary member cannot be expelled (struck off instead).
    let mut log = Log::default();
    log.push(Admitted, date!(2020 - 01 - 10), Some(org(1)));
    let x = log.discipline(DisciplineForm::Expulsion, date!(2020 - 06 - 01));
    assert_eq!(effect_of(&log.history(), x), Effect::Rejected("form_not_for_probationary"));
}

#[test]
fn out_of_contact_during_a_transfer_keeps_the_gap_open_until_both_end() {
    // Lost contact while in transit, arrived, then contact restored: one gap to the restoration.
    let mut log = Log::default();
    log.push(Admitted, date!(2000 - 01 - 10), Some(org(1)));
    log.push(TransferredOut, date!(2005 - 01 - 01), Some(org(2)));
    log.push(ContactLost, date!(2005 - 02 - 01), None);
    log.push(TransferredIn, date!(2005 - 03 - 01), Some(org(2)));
    log.push(ContactRestored, date!(2005 - 09 - 01), None);
    let gaps: Vec<(Date, Option<Date>)> = log.history().gaps.iter().map(|g| (g.from, g.to)).collect();
    assert_eq!(gaps, vec![(date!(2005 - 01 - 01), Some(date!(2005 - 09 - 01)))]);
    // Contact restored while still in transit: the transfer gap runs on to the arrival.
    let mut log = Log::default();
    log.push(Admitted, date!(2000 - 01 - 10), Some(org(1)));
    log.push(ContactLost, date!(2004 - 06 - 01), None);
    log.push(TransferredOut, date!(2005 - 01 - 01), Some(org(2)));
    log.push(ContactRestored, date!(2005 - 02 - 01), None);
    log.push(TransferredIn, date!(2005 - 03 - 01), Some(org(2)));
    let gaps: Vec<(Date, Option<Date>)> = log.history().gaps.iter().map(|g| (g.from, g.to)).collect();
    assert_eq!(gaps, vec![(date!(2004 - 06 - 01), Some(date!(2005 - 03 - 01)))]);
}

#[test]
fn same_day_events_follow_the_canonical_order() {
    // Transferred out and received the same day: no transit gap, no empty span.
    let mut log = Log::default();
    log.push(Admitted, date!(2020 - 01 - 10), Some(org(1)));
    log.push(TransferredIn, date!(2021 - 01 - 10), Some(org(2)));
    log.push(TransferredOut, date!(2021 - 01 - 10), Some(org(2)));
    let h = log.history();
    assert!(h.gaps.is_empty());
    assert_eq!(h.spans.len(), 2);
    assert!(h.rejected().next().is_none());
}

#[test]
fn a_new_event_is_judged_on_the_state_just_before_it() {
    // Struck off in 2022, then re-admitted: a discipline of 2021 meets an official member, a
    // recognition of 2024 the re-admission's probation, and a same-day event ranked after
    // the striking off meets someone struck off.
    let mut log = Log::default();
    log.push(Admitted, date!(2015 - 03 - 15), Some(org(1)));
    log.push(Recognized, date!(2016 - 03 - 15), None);
    log.push(StruckOff, date!(2022 - 01 - 10), None);
    let voided = log.push(ContactLost, date!(2020 - 01 - 01), None);
    log.naming(Voided, date!(2025 - 01 - 01), voided);
    log.push(Readmitted, date!(2023 - 02 - 01), Some(org(2)));
    let at = |kind: EventKind, on: Date| state_before(&log.0, &event(999, kind, on, None));
    let s = at(Disciplined, date!(2021 - 03 - 01));
    assert_eq!((s.standing, s.admission, s.out_of_contact_since), (Some(Official), Some(date!(2015 - 03 - 15)), None));
    let s = at(Recognized, date!(2024 - 02 - 01));
    assert_eq!((s.standing, s.admission), (Some(Probationary), Some(date!(2023 - 02 - 01))));
    assert_eq!(at(Died, date!(2022 - 01 - 10)).standing, Some(MemberStatus::StruckOff));
    assert_eq!(at(Disciplined, date!(2022 - 01 - 10)).standing, Some(Official));
    assert_eq!(at(Admitted, date!(2015 - 03 - 15)).standing, None);
}

// ---------------------------------------------------------------- random histories

/// xorshift64*: deterministic and small.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }
    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            xs.swap(i, j);
        }
    }
}

const POOL: u128 = 5;

fn random_org(rng: &mut Rng) -> Uuid {
    org(rng.below(POOL as u64) as u128)
}

/// A kind that usually fits the member's state (sometimes one that does not, to exercise the
/// rejections).
fn plausible_kind(rng: &mut Rng, s: &State) -> EventKind {
    if rng.chance(12) {
        return rng.pick(EventKind::ALL);
    }
    let active = s.standing.is_some_and(|st| st.is_active());
    let kinds: &[EventKind] = match (s.standing, s.placement) {
        (None, _) => &[Admitted],
        (_, Placement::Transit { .. }) if active => {
            &[TransferredIn, TransferredIn, ContactLost, ContactRestored, Recognized, Died, StruckOff]
        }
        (_, Placement::Outside) if active => &[TransferredIn, Recognized, ContactLost, ContactRestored, Left],
        _ if active => &[
            Recognized,
            Recognized,
            TransferredOut,
            TransferredOut,
            AttachmentStarted,
            AttachmentEnded,
            ExemptionStarted,
            ExemptionEnded,
            ContactLost,
            ContactRestored,
            Disciplined,
            StruckOff,
            Left,
            Died,
            Voided,
        ],
        (Some(Deceased), _) => &[Voided, Died],
        _ => &[Readmitted, Readmitted, ExpulsionCleared, Voided, ContactRestored],
    };
    rng.pick(kinds)
}

fn random_events(rng: &mut Rng, count: usize) -> Vec<Event> {
    let mut log = Log::default();
    let mut on = date!(1995 - 01 - 01) + Duration::days(rng.below(4000) as i64);
    let first = if rng.chance(90) { Some(random_org(rng)) } else { None };
    log.push(Admitted, on, first);
    for _ in 0..count {
        if !rng.chance(25) {
            on += Duration::days(1 + rng.below(400) as i64);
        }
        let s = log.history().state;
        let kind = plausible_kind(rng, &s);
        let target = match (kind, s.placement) {
            (TransferredIn, Placement::Transit { to, .. }) if rng.chance(85) => Some(to),
            (TransferredOut, _) if rng.chance(30) => None,
            (Admitted | Readmitted, _) if rng.chance(10) => None,
            _ => Some(random_org(rng)),
        };
        let uses_org = matches!(kind, Admitted | Readmitted | TransferredIn | TransferredOut | AttachmentStarted);
        log.push(kind, on, if uses_org { target } else { None });
        match kind {
            Disciplined => {
                log.last().detail.form = Some(rng.pick(&[
                    DisciplineForm::Reprimand,
                    DisciplineForm::Warning,
                    DisciplineForm::Removal,
                    DisciplineForm::Expulsion,
                    DisciplineForm::Expulsion,
                ]))
            }
            Voided | ExpulsionCleared => {
                let expulsion = log.0.iter().rev().find(|e| e.kind == Disciplined).map(|e| e.id);
                let any = log.0[rng.below(log.0.len() as u64 - 1) as usize].id;
                let r = if kind == ExpulsionCleared { expulsion.unwrap_or(any) } else { any };
                log.last().ref_id = Some(r);
                // Corrections are often recorded with an earlier date than the last event.
                if rng.chance(30) {
                    log.last().effective = on - Duration::days(rng.below(300) as i64);
                }
            }
            _ => {}
        }
    }
    log.0
}

/// The dates on which the state may change, with the days before and after.
fn checkpoints(events: &[Event]) -> Vec<Date> {
    let mut ds: Vec<Date> = events
        .iter()
        .flat_map(|e| [e.effective - Duration::days(1), e.effective, e.effective + Duration::days(1)])
        .collect();
    ds.push(date!(2060 - 01 - 01));
    ds.sort();
    ds.dedup();
    ds
}

#[test]
fn state_does_not_depend_on_the_order_of_entry() {
    let mut rng = Rng::new(7);
    for round in 0..200 {
        let count = 3 + rng.below(12) as usize;
        let events = random_events(&mut rng, count);
        let dates = checkpoints(&events);
        let whole = replay(&events);
        let states: Vec<State> = dates.iter().map(|d| state_on(&events, *d)).collect();
        let mut shuffled = events.clone();
        for _ in 0..5 {
            rng.shuffle(&mut shuffled);
            assert_eq!(replay(&shuffled), whole, "round {round}");
            for (d, s) in dates.iter().zip(&states) {
                assert_eq!(&state_on(&shuffled, *d), s, "round {round} on {d}");
            }
        }
    }
}

fn covers(from: Option<Date>, to: Option<Date>, d: Date) -> bool {
    from.is_none_or(|f| f <= d) && to.is_none_or(|t| d < t)
}

/// Whether party age stands still on a state's date.
fn out_of_count(s: &State) -> bool {
    match s.standing {
        Some(MemberStatus::StruckOff | MemberStatus::Left | Expelled) => true,
        Some(st) if st.is_active() => {
            s.out_of_contact_since.is_some() || matches!(s.placement, Placement::Transit { .. })
        }
        _ => false,
    }
}

/// The spans and gaps of the whole replay agree with the state on every date.
fn assert_consistent(events: &[Event], round: usize) {
    let h = replay(events);
    for d in checkpoints(events) {
        let s = state_on(events, d);
        let at = |kind: SpanKind| -> Vec<Span> {
            h.spans.iter().filter(|sp| sp.kind == kind && covers(Some(sp.from), sp.to, d)).copied().collect()
        };
        let status = s.standing.unwrap_or(Official);
        let expect = |o: Option<Uuid>| o.map(|o| (o, status)).into_iter().collect::<Vec<_>>();
        let got = |v: Vec<Span>| v.iter().map(|sp| (sp.org_id, sp.status)).collect::<Vec<_>>();
        assert_eq!(got(at(SpanKind::Home)), expect(s.home()), "round {round}, home on {d}: {h:#?}");
        assert_eq!(got(at(SpanKind::Attached)), expect(s.attached_to), "round {round}, attached on {d}: {h:#?}");
        let in_gap = h.gaps.iter().any(|g| covers(Some(g.from), g.to, d));
        assert_eq!(in_gap, out_of_count(&s), "round {round}, gap on {d}: {h:#?}");
    }
    assert!(h.spans.iter().all(|s| s.to.is_none_or(|t| s.from < t)));
    assert!(h.gaps.windows(2).all(|w| w[0].to.is_some_and(|t| t <= w[1].from)));
}

#[test]
fn spans_and_gaps_agree_with_the_state_on_every_date() {
    let mut rng = Rng::new(11);
    for round in 0..300 {
        let count = 3 + rng.below(14) as usize;
        assert_consistent(&random_events(&mut rng, count), round);
    }
}

// ---------------------------------------------------------------- tally

fn link(o: Uuid, parent: Option<Uuid>, from: Option<Date>, to: Option<Date>) -> Link {
    Link { org_id: o, parent_id: parent, name: format!("{o}"), from, to }
}

type Links = HashMap<Uuid, Vec<Link>>;

fn links_of(all: Vec<Link>) -> Links {
    let mut m: Links = HashMap::new();
    for l in all {
        m.entry(l.org_id).or_default().push(l);
    }
    m
}

/// The ancestors of `o` on `d`, by walking the links valid that day.
fn ancestors_on(o: Uuid, d: Date, links: &Links) -> Vec<Uuid> {
    let mut out = Vec::new();
    let mut cur = o;
    while let Some(p) =
        links.get(&cur).into_iter().flatten().find(|l| covers(l.from, l.to, d)).and_then(|l| l.parent_id)
    {
        if out.len() > 64 {
            break;
        }
        out.push(p);
        cur = p;
    }
    out
}

/// A member's home spans with their attributes.
struct Person {
    spans: Vec<Span>,
    female: bool,
    minority: bool,
}

fn ledger_of(people: &[Person], links: &Links) -> Ledger {
    let mut total = Ledger::default();
    for p in people {
        total.merge(&member_ledger(&p.spans, p.female, p.minority, &|o| ancestry(o, links)), 1);
    }
    total
}

fn count(l: &Ledger, o: Uuid, d: Date) -> Tally {
    l.rows().filter(|(r, day, _)| *r == o && *day <= d).fold(Tally::default(), |a, (_, _, t)| a + t)
}

/// The count by brute force: each member whose home that day is `o` or under it that day.
fn brute(people: &[Person], links: &Links, o: Uuid, d: Date) -> Tally {
    let mut t = Tally::default();
    for p in people {
        for s in p.spans.iter().filter(|s| s.kind == SpanKind::Home && covers(Some(s.from), s.to, d)) {
            if s.org_id == o || ancestors_on(s.org_id, d, links).contains(&o) {
                t = t + Tally::of(s.status, p.female, p.minority);
            }
        }
    }
    t
}

fn assert_ledger_matches(l: &Ledger, people: &[Person], links: &Links, orgs: &[Uuid], dates: &[Date], what: &str) {
    for &o in orgs {
        for &d in dates {
            assert_eq!(count(l, o, d), brute(people, links, o, d), "{what}: org {o} on {d}");
        }
    }
}

fn daily(from: Date, to: Date, step: i64) -> Vec<Date> {
    let mut v = Vec::new();
    let mut d = from;
    while d <= to {
        v.push(d);
        d += Duration::days(step);
    }
    v
}

#[test]
fn member_ledger_counts_the_member_under_the_parent_of_each_date() {
    // Cell C under P1 until 2022-01-01, then under P2; P2 under R2 until 2023-01-01, then under R.
    let (r, r2, p1, p2, c, d) = (org(0), org(9), org(1), org(2), org(3), org(4));
    let links = links_of(vec![
        link(p1, Some(r), None, None),
        link(c, Some(p1), None, Some(date!(2022 - 01 - 01))),
        link(c, Some(p2), Some(date!(2022 - 01 - 01)), None),
        link(p2, Some(r2), None, Some(date!(2023 - 01 - 01))),
        link(p2, Some(r), Some(date!(2023 - 01 - 01)), None),
        link(d, Some(p1), None, None),
    ]);
    let mut log = Log::default();
    log.push(Admitted, date!(2021 - 03 - 15), Some(c));
    log.push(Recognized, date!(2022 - 03 - 15), None);
    log.push(TransferredOut, date!(2023 - 06 - 01), Some(d));
    log.push(TransferredIn, date!(2023 - 06 - 20), Some(d));
    log.push(Died, date!(2024 - 01 - 01), None);
    let people = vec![Person { spans: log.history().spans, female: true, minority: false }];
    let ledger = ledger_of(&people, &links);
    let dates = daily(date!(2021 - 01 - 01), date!(2024 - 03 - 01), 1);
    assert_ledger_matches(&ledger, &people, &links, &[r, r2, p1, p2, c, d], &dates, "worked case");
    // Spot checks.
    assert_eq!(count(&ledger, r2, date!(2022 - 06 - 01)).official, 1);
    assert_eq!(count(&ledger, r2, date!(2023 - 01 - 01)).members, 0);
    assert_eq!(count(&ledger, p1, date!(2021 - 12 - 31)).probationary, 1);
    assert_eq!(count(&ledger, p1, date!(2022 - 01 - 01)).members, 0);
    assert_eq!(count(&ledger, p1, date!(2023 - 06 - 20)).female, 1);
    assert_eq!(count(&ledger, r, date!(2023 - 06 - 10)).members, 0);
    assert!(count(&ledger, r, date!(2024 - 01 - 01)).is_zero());
}

/// Link histories for organisations 1..n: consecutive periods split at up to two dates, each
/// under an organisation with a smaller number (no cycles) or none.
fn random_links_for(rng: &mut Rng, k: u128) -> Vec<Link> {
    let mut cuts: Vec<Date> =
        (0..rng.below(3)).map(|_| date!(1995 - 01 - 01) + Duration::days(rng.below(9000) as i64)).collect();
    cuts.sort();
    cuts.dedup();
    let bounds: Vec<Option<Date>> =
        std::iter::once(None).chain(cuts.iter().copied().map(Some)).chain(std::iter::once(None)).collect();
    bounds
        .windows(2)
        .map(|w| {
            let parent = if k > 0 && rng.chance(85) { Some(org(rng.below(k as u64) as u128)) } else { None };
            link(org(k), parent, w[0], w[1])
        })
        .collect()
}

fn random_people(rng: &mut Rng) -> Vec<Person> {
    (0..6)
        .map(|_| {
            let count = 3 + rng.below(10) as usize;
            Person { spans: replay(&random_events(rng, count)).spans, female: rng.chance(50), minority: rng.chance(30) }
        })
        .collect()
}

fn interesting_dates(people: &[Person], links: &Links) -> Vec<Date> {
    let mut ds: Vec<Date> = people
        .iter()
        .flat_map(|p| p.spans.iter().flat_map(|s| [Some(s.from), s.to]))
        .chain(links.values().flatten().flat_map(|l| [l.from, l.to]))
        .flatten()
        .flat_map(|d| [d - Duration::days(1), d])
        .collect();
    ds.push(date!(2070 - 01 - 01));
    ds.sort();
    ds.dedup();
    ds
}

#[test]
fn ledgers_of_random_trees_match_brute_force() {
    let mut rng = Rng::new(23);
    let orgs: Vec<Uuid> = (0..POOL).map(org).collect();
    for round in 0..40 {
        let links = links_of((0..POOL).flat_map(|k| random_links_for(&mut rng, k)).collect());
        let people = random_people(&mut rng);
        let ledger = ledger_of(&people, &links);
        let dates = interesting_dates(&people, &links);
        assert_ledger_matches(&ledger, &people, &links, &orgs, &dates, &format!("round {round}"));
    }
}

#[test]
fn move_ledger_equals_recomputing_with_the_new_links() {
    let mut rng = Rng::new(31);
    let orgs: Vec<Uuid> = (0..POOL).map(org).collect();
    for round in 0..40 {
        let before: Vec<Link> = (0..POOL).flat_map(|k| random_links_for(&mut rng, k)).collect();
        // One organisation's history of parents changes (a move, a merge into another parent).
        let moved = 1 + rng.below(POOL as u64 - 1) as u128;
        let after: Vec<Link> = before
            .iter()
            .filter(|l| l.org_id != org(moved))
            .cloned()
            .chain(random_links_for(&mut rng, moved))
            .collect();
        let (before, after) = (links_of(before), links_of(after));
        let people = random_people(&mut rng);
        let mut ledger = ledger_of(&people, &before);
        let rows: Vec<(Date, Tally)> =
            ledger.rows().filter(|(o, _, _)| *o == org(moved)).map(|(_, d, t)| (d, t)).collect();
        let old: Vec<(Uuid, Interval)> = ancestry(org(moved), &before);
        let new: Vec<(Uuid, Interval)> = ancestry(org(moved), &after);
        ledger.merge(&move_ledger(&rows, &old, &new), 1);
        let recomputed = ledger_of(&people, &after);
        assert_eq!(ledger.rows().collect::<Vec<_>>(), recomputed.rows().collect::<Vec<_>>(), "round {round}");
        let mut dates = interesting_dates(&people, &after);
        dates.extend(interesting_dates(&people, &before));
        dates.sort();
        dates.dedup();
        assert_ledger_matches(&ledger, &people, &after, &orgs, &dates, &format!("round {round}"));
    }
}

/// The organisations moved after `on` (a link starting after it that is not their first),
/// each with its ancestry.
fn moved_after(links: &Links, on: Date) -> Vec<(Uuid, Vec<(Uuid, Interval)>)> {
    links
        .iter()
        .filter(|(_, ls)| {
            ls.iter()
                .any(|l| l.from.is_some_and(|f| f > on) && ls.iter().any(|p| p.from.is_none_or(|pf| Some(pf) < l.from)))
        })
        .map(|(o, _)| (*o, ancestry(*o, links)))
        .collect()
}

/// A commune moved from one province to another after 30/06/2025: the third province and the
/// centre hold the same organisations on both days, the two provinces do not.
#[test]
fn a_move_between_two_provinces_leaves_the_third_and_the_centre_whole() {
    let (centre, p1, p2, p3, commune, cell) = (org(1), org(2), org(3), org(4), org(5), org(6));
    let moved_on = Some(date!(2025 - 07 - 01));
    let links = links_of(vec![
        link(centre, None, None, None),
        link(p1, Some(centre), None, None),
        link(p2, Some(centre), None, None),
        link(p3, Some(centre), None, None),
        link(commune, Some(p1), None, moved_on),
        link(commune, Some(p2), moved_on, None),
        link(cell, Some(commune), None, None),
    ]);
    let (on, today) = (date!(2025 - 06 - 30), date!(2026 - 11 - 30));
    let moved = moved_after(&links, on);
    assert_eq!(moved.len(), 1);
    assert!(is_above_on(&moved[0].1, p1, on) && !is_above_on(&moved[0].1, p1, today));
    for (root, whole) in [(centre, true), (p1, false), (p2, false), (p3, true), (commune, true), (cell, true)] {
        assert_eq!(moves_kept_within(&moved, root, on, today), whole, "{root}");
    }
    // After the move, nothing moved since.
    assert!(moves_kept_within(&moved_after(&links, date!(2025 - 07 - 01)), p1, date!(2025 - 07 - 01), today));
}

/// Over random trees with random histories of parents: wherever the moves after a day are kept
/// within a root, every organisation there on both days is under the root on both or on
/// neither (brute force by the links of each day).
#[test]
fn moves_kept_within_a_root_leave_its_subtree_as_it_was() {
    let mut rng = Rng::new(53);
    let mut whole_seen = (0, 0);
    for round in 0..200 {
        let links = links_of((0..POOL).flat_map(|k| random_links_for(&mut rng, k)).collect());
        let dates = interesting_dates(&[], &links);
        for _ in 0..8 {
            let on = dates[rng.below(dates.len() as u64) as usize];
            let today = dates[rng.below(dates.len() as u64) as usize].max(on);
            let root = org(rng.below(POOL as u64) as u128);
            let moved = moved_after(&links, on);
            if !moves_kept_within(&moved, root, on, today) {
                whole_seen.1 += 1;
                continue;
            }
            whole_seen.0 += 1;
            let exists = |o: Uuid, d: Date| links.get(&o).into_iter().flatten().any(|l| covers(l.from, l.to, d));
            for o in (0..POOL).map(org).filter(|o| *o != root && exists(*o, on) && exists(*o, today)) {
                let (then, now) =
                    (ancestors_on(o, on, &links).contains(&root), ancestors_on(o, today, &links).contains(&root));
                assert_eq!(then, now, "round {round}: {o} under {root} on {on} and {today}");
            }
        }
    }
    // Both answers were given often enough for the property to be tried.
    assert!(whole_seen.0 > 100 && whole_seen.1 > 100, "{whole_seen:?}");
}

// ---------------------------------------------------------------- party age over random histories

#[test]
fn party_age_and_milestones_agree_on_random_histories() {
    use super::age::{milestone_date, party_age};
    let mut rng = Rng::new(41);
    for round in 0..200 {
        let count = 3 + rng.below(12) as usize;
        let events = random_events(&mut rng, count);
        let h = replay(&events);
        for years in 1..=30 {
            let Some(m) = milestone_date(&h, years) else { continue };
            let at = party_age(&h, m).map(|a| a.years);
            let before = m.previous_day().and_then(|d| party_age(&h, d)).map(|a| a.years);
            assert!(at >= Some(years), "round {round}: {years} years on {m}: {at:?}");
            assert!(before.is_none_or(|b| b < years), "round {round}: {years} years before {m}: {before:?}");
        }
        // Counted time never runs backwards and never runs faster than the calendar.
        let dates = checkpoints(&events);
        for w in dates.windows(2) {
            let (a, b) = (party_age(&h, w[0]), party_age(&h, w[1]));
            if let (Some(a), Some(b)) = (a, b) {
                assert!(b.counted_days >= a.counted_days, "round {round}: {w:?}");
                assert!(b.counted_days - a.counted_days <= (w[1] - w[0]).whole_days(), "round {round}: {w:?}");
                assert!((b.years, b.months) >= (a.years, a.months), "round {round}: {w:?}");
            }
        }
    }
}
