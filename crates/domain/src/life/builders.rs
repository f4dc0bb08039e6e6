//! The events that record edits and restructurings append to a member's history: the opening
//! events of a record, a transfer inside the installation, and the corrections of the
//! admission and official dates. Who recorded them, and when, is added by the caller.

use super::{Decision, Detail, Effect, Event, EventKind, History};
use crate::member::MemberInput;
use time::Date;
use uuid::Uuid;

/// One event with a new id, without decision or detail.
pub fn event(kind: EventKind, on: Date, org: Option<Uuid>, ref_id: Option<Uuid>) -> Event {
    Event {
        id: Uuid::now_v7(),
        kind,
        effective: on,
        org_id: org,
        ref_id,
        decision: Decision::default(),
        detail: Detail::default(),
    }
}

/// The events that start a record entered for someone already a member: admission into the
/// cell and, for an official member, recognition.
pub fn opening_events(input: &MemberInput) -> Vec<Event> {
    let mut out = vec![event(EventKind::Admitted, input.admission_date, Some(input.org_id), None)];
    if let Some(official) = input.official_date {
        out.push(event(EventKind::Recognized, official, None, None));
    }
    out
}

/// An official transfer inside the installation to `to`: out and in on the same day.
pub fn transfer_events(to: Uuid, on: Date, decision: &Decision) -> Vec<Event> {
    [EventKind::TransferredOut, EventKind::TransferredIn]
        .into_iter()
        .map(|kind| Event { decision: decision.clone(), ..event(kind, on, Some(to), None) })
        .collect()
}

/// A record edit that corrects the admission or official date becomes events: the event that
/// carried the wrong date is voided (on `today`) and the corrected one recorded, so the
/// history keeps both.
pub fn date_corrections(history: &History, before: &MemberInput, after: &MemberInput, today: Date) -> Vec<Event> {
    let applied = |kind: EventKind, on: Date| {
        history.events.iter().find(|(e, eff)| e.kind == kind && e.effective == on && *eff == Effect::Applied)
    };
    let mut out = Vec::new();
    let mut fix = |kind: EventKind, old: Option<Date>, new: Option<Date>| {
        if old == new {
            return;
        }
        let wrong = old.and_then(|d| applied(kind, d)).map(|(e, _)| e.clone());
        if let Some(wrong) = &wrong {
            out.push(event(EventKind::Voided, today, None, Some(wrong.id)));
        }
        if let Some(on) = new {
            let org = wrong.and_then(|w| w.org_id).or((kind == EventKind::Admitted).then_some(after.org_id));
            out.push(event(kind, on, org, None));
        }
    };
    fix(EventKind::Admitted, Some(before.admission_date), Some(after.admission_date));
    fix(EventKind::Recognized, before.official_date, after.official_date);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::life::replay;
    use time::macros::date;

    fn input(admitted: Date, official: Option<Date>) -> MemberInput {
        let mut i = crate::member::tests::member();
        i.admission_date = admitted;
        i.official_date = official;
        i
    }

    fn kinds(events: &[Event]) -> Vec<(EventKind, Date)> {
        events.iter().map(|e| (e.kind, e.effective)).collect()
    }

    #[test]
    fn a_record_opens_with_its_admission_and_recognition() {
        let official = input(date!(2015 - 03 - 01), Some(date!(2016 - 03 - 01)));
        let opening = opening_events(&official);
        assert_eq!(
            kinds(&opening),
            [(EventKind::Admitted, date!(2015 - 03 - 01)), (EventKind::Recognized, date!(2016 - 03 - 01))]
        );
        assert_eq!(opening[0].org_id, Some(official.org_id));
        assert_eq!(
            kinds(&opening_events(&input(date!(2026 - 01 - 01), None))),
            [(EventKind::Admitted, date!(2026 - 01 - 01))]
        );
    }

    #[test]
    fn a_transfer_is_out_and_in_on_one_day_with_the_decision() {
        let to = Uuid::now_v7();
        let decision = Decision { number: Some("12-QĐ/ĐU".into()), ..Decision::default() };
        let t = transfer_events(to, date!(2026 - 02 - 01), &decision);
        assert_eq!(
            kinds(&t),
            [(EventKind::TransferredOut, date!(2026 - 02 - 01)), (EventKind::TransferredIn, date!(2026 - 02 - 01))]
        );
        assert!(t.iter().all(|e| e.org_id == Some(to) && e.decision == decision));
        assert_ne!(t[0].id, t[1].id);
    }

    #[test]
    fn a_corrected_date_voids_the_wrong_event_and_records_the_right_one() {
        let before = input(date!(2015 - 03 - 01), Some(date!(2016 - 03 - 01)));
        let history = replay(&opening_events(&before));
        let today = date!(2026 - 05 - 20);
        assert!(date_corrections(&history, &before, &before, today).is_empty());
        let after = input(date!(2015 - 04 - 01), Some(date!(2016 - 03 - 01)));
        let fixes = date_corrections(&history, &before, &after, today);
        assert_eq!(kinds(&fixes), [(EventKind::Voided, today), (EventKind::Admitted, date!(2015 - 04 - 01))]);
        let admitted = history.events.iter().find(|(e, _)| e.kind == EventKind::Admitted).map(|(e, _)| e.id);
        assert_eq!(fixes[0].ref_id, admitted);
        assert_eq!(fixes[1].org_id, Some(before.org_id));
    }
}
