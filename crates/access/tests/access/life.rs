//! A member's life through `Chibo::record_event` and record edits, on every engine: after each
//! step the stored row and spans equal a replay of the stored events; the entry order of valid
//! events does not change the outcome; the rules of recognition and discipline hold.

use crate::common;

use chibo_access::domain::life::{DisciplineForm, Effect, EventKind, StrikeOffGround};
use chibo_access::domain::member::MemberStatus;
use chibo_access::domain::org::OrgKind;
use chibo_access::{EventInput, Problem};
use common::{Env, Person, With, assert_refused, d, each_engine, effects, ev};
use time::Date;
use uuid::Uuid;

use EventKind::*;

struct Cells {
    a1: Uuid,
    a2: Uuid,
    b1: Uuid,
}

async fn cells(env: &Env) -> Cells {
    let p = env.org(None, "Đảng bộ Tỉnh", OrgKind::Provincial).await;
    let a = env.org(Some(&p), "Đảng bộ Xã A", OrgKind::Commune).await;
    let b = env.org(Some(&p), "Đảng bộ Xã B", OrgKind::Commune).await;
    let a1 = env.org(Some(&a), "Chi bộ A1", OrgKind::SubordinateCell).await.id;
    let a2 = env.org(Some(&a), "Chi bộ A2", OrgKind::SubordinateCell).await.id;
    let b1 = env.org(Some(&b), "Chi bộ B1", OrgKind::SubordinateCell).await.id;
    Cells { a1, a2, b1 }
}

/// A whole life after admission on 15/03/2015 into A1: recognition, temporary attachment,
/// exemption, out of contact, transfer to A2, discipline, struck off, re-admission and a
/// second recognition.
fn whole_life(c: &Cells) -> Vec<EventInput> {
    vec![
        ev(Recognized, d(2016, 3, 15)).votes(5, 6).signed(d(2016, 4, 20)),
        ev(AttachmentStarted, d(2017, 1, 10)).org(c.b1),
        ev(AttachmentEnded, d(2017, 6, 30)),
        ev(ExemptionStarted, d(2018, 2, 1)),
        ev(ExemptionEnded, d(2018, 12, 1)),
        ev(ContactLost, d(2019, 1, 15)),
        ev(ContactRestored, d(2019, 9, 15)),
        ev(TransferredOut, d(2020, 5, 1)).org(c.a2),
        ev(TransferredIn, d(2020, 5, 20)).org(c.a2),
        ev(Disciplined, d(2021, 3, 1)).form(DisciplineForm::Warning),
        ev(StruckOff, d(2022, 1, 10)).ground(StrikeOffGround::AbandonedActivities),
        ev(Readmitted, d(2023, 2, 1)).org(c.a2),
        ev(Recognized, d(2024, 2, 1)).votes(4, 5),
    ]
}

/// Enter `events` in the given order, putting back each one refused (it may fit once an
/// earlier event is in), until all are in; a wrong reprimand is entered among them and voided
/// as soon as it is in. Checks the stored state after every step.
async fn enter(env: &Env, member: Uuid, events: Vec<EventInput>, seed: u64) {
    let wrong = ev(Disciplined, d(2024, 6, 1)).form(DisciplineForm::Reprimand);
    let mut pending = events;
    let at = (seed as usize * 7) % (pending.len() + 1);
    pending.insert(at, wrong.clone());
    let mut step = 0;
    while !pending.is_empty() {
        let mut refused = Vec::new();
        let mut next = Vec::new();
        let pending_len = pending.len();
        for input in pending {
            match env.record(member, input.clone()).await {
                Ok(t) => {
                    step += 1;
                    env.assert_settled(member, &format!("order {seed}, step {step}: {:?}", input.kind)).await;
                    assert_eq!(t.events.len(), env.stored(member).await.1.len());
                    if input == wrong {
                        let id = t.events.iter().find(|e| e.record.event.effective == wrong.effective).unwrap();
                        next.push(ev(Voided, common::days_ago(0)).refers(id.record.event.id));
                    }
                }
                Err(p) => {
                    refused.push((input.kind, input.effective, p));
                    next.push(input);
                }
            }
        }
        assert!(next.is_empty() || pending_len > refused.len(), "order {seed}: no event fits any more: {refused:#?}");
        pending = next;
    }
}

#[tokio::test]
async fn a_whole_life_entered_in_any_valid_order_replays_to_the_stored_row() {
    each_engine(async |env: &Env| {
        let c = cells(env).await;
        let mut outcomes = Vec::new();
        for seed in 0..5u64 {
            let events = match seed {
                0 => whole_life(&c),
                1 => whole_life(&c).into_iter().rev().collect(),
                _ => common::Rng(seed).shuffled(whole_life(&c)),
            };
            let name = ["An", "Bình", "Cường", "Dũng", "Giang"][seed as usize];
            let m = env.member(&env.org_now(c.a1).await, name, Person::probationary(d(2015, 3, 15))).await;
            env.assert_settled(m.id, "created").await;
            enter(env, m.id, events, seed).await;
            let t = env.app.timeline(&env.c, m.id).await.unwrap();
            // 1 admission + 13 events + the wrong one + its void.
            assert_eq!(t.events.len(), 16, "order {seed}");
            let voided = t.events.iter().filter(|e| e.effect == Effect::Voided).count();
            assert_eq!(voided, 1, "order {seed}: the wrong reprimand is voided");
            let (row, _, _) = env.stored(m.id).await;
            assert_eq!(row.input.status, MemberStatus::Official);
            assert_eq!(row.input.org_id, c.a2);
            assert_eq!(row.input.admission_date, d(2015, 3, 15));
            assert_eq!(row.input.official_date, Some(d(2024, 2, 1)));
            let h = t.history;
            outcomes.push((h.state, h.spans, h.gaps, h.age_from));
        }
        assert!(outcomes.windows(2).all(|w| w[0] == w[1]), "the entry order changed the outcome");
        env.assert_counts(&[d(2016, 3, 15), d(2020, 5, 10), d(2022, 6, 1), d(2023, 2, 1)], "lives").await;
    })
    .await;
}

#[tokio::test]
async fn an_event_that_contradicts_a_later_one_is_refused_and_changes_nothing() {
    each_engine(async |env: &Env| {
        let c = cells(env).await;
        let a1 = env.org_now(c.a1).await;
        let m = env.member(&a1, "Lan", Person::official(d(2015, 3, 15))).await;
        env.record(m.id, ev(StruckOff, d(2022, 1, 10)).ground(StrikeOffGround::ReturnedCard)).await.unwrap();
        let before = env.stored(m.id).await;
        // Dying before being struck off would leave the striking off without effect.
        let r = env.record(m.id, ev(Died, d(2021, 1, 1))).await;
        assert_refused(&r, "effective", Some("contradicts_later_event"));
        // A transfer out after the striking off does not fit.
        let r = env.record(m.id, ev(TransferredOut, d(2023, 1, 1)).org(c.a2)).await;
        assert_refused(&r, "effective", Some("not_a_member"));
        // Arrival without a transfer, a second admission, a future date.
        assert_refused(&env.record(m.id, ev(TransferredIn, d(2020, 1, 1)).org(c.a2)).await, "kind", None);
        assert_refused(&env.record(m.id, ev(Admitted, d(2020, 1, 1)).org(c.a2)).await, "kind", None);
        assert_refused(&env.record(m.id, ev(ContactLost, common::days_ago(-1))).await, "effective", Some("in_future"));
        // Voiding the admission would leave the later events without a member: refused.
        let admitted = before.1.iter().find(|r| r.event.kind == Admitted).unwrap().event.id;
        assert_refused(&env.record(m.id, ev(Voided, d(2023, 1, 1)).refers(admitted)).await, "effective", None);
        // And alone, it would leave the record without an admission.
        let fresh = env.member(&a1, "Mới", Person::probationary(d(2025, 3, 1))).await;
        let only = env.stored(fresh.id).await.1[0].event.id;
        let r = env.record(fresh.id, ev(Voided, d(2025, 4, 1)).refers(only)).await;
        assert_refused(&r, "ref_id", Some("admission_needed"));
        env.assert_settled(fresh.id, "admission kept").await;
        // A void of nothing of this member's.
        assert_refused(&env.record(m.id, ev(Voided, d(2023, 1, 1)).refers(Uuid::now_v7())).await, "ref_id", None);
        let after = env.stored(m.id).await;
        assert_eq!(before.1.len(), after.1.len());
        assert_eq!(before.0.version, after.0.version);
        env.assert_settled(m.id, "after refusals").await;
    })
    .await;
}

#[tokio::test]
async fn record_edits_of_entry_dates_void_and_re_record() {
    each_engine(async |env: &Env| {
        let c = cells(env).await;
        let a1 = env.org_now(c.a1).await;
        let m = env.member(&a1, "Hoa", Person::official(d(2015, 3, 15))).await;
        let mut input = m.input.clone();
        input.admission_date = d(2015, 3, 10);
        input.official_date = Some(d(2016, 3, 10));
        let after = env.app.update_member(&env.c, m.id, input.clone(), m.version).await.unwrap().member;
        assert_eq!(after.input.admission_date, d(2015, 3, 10));
        assert_eq!(after.input.official_date, Some(d(2016, 3, 10)));
        env.assert_settled(m.id, "dates corrected").await;
        let t = env.app.timeline(&env.c, m.id).await.unwrap();
        let of = |kind: EventKind, on: Date| {
            t.events.iter().find(|e| e.record.event.kind == kind && e.record.event.effective == on).map(|e| e.effect)
        };
        // The timeline keeps the wrong entries, voided, beside the corrected ones.
        assert_eq!(of(Admitted, d(2015, 3, 15)), Some(Effect::Voided));
        assert_eq!(of(Recognized, d(2016, 3, 15)), Some(Effect::Voided));
        assert_eq!(of(Admitted, d(2015, 3, 10)), Some(Effect::Applied));
        assert_eq!(of(Recognized, d(2016, 3, 10)), Some(Effect::Applied));
        assert_eq!(t.events.iter().filter(|e| e.record.event.kind == Voided).count(), 2);
        assert_eq!(t.history.spans.len(), 2);
        assert_eq!(t.history.spans[0].from, d(2015, 3, 10));

        // An edit that leaves the dates alone records no event.
        let mut same = after.input.clone();
        same.profile.phone = Some("0912 345 678".into());
        let edited = env.app.update_member(&env.c, m.id, same, after.version).await.unwrap().member;
        assert_eq!(env.stored(m.id).await.1.len(), t.events.len());

        // Back to probationary by removing a wrong recognition: voided, kept in the timeline.
        let mut back = edited.input.clone();
        back.status = MemberStatus::Probationary;
        back.official_date = None;
        let back = env.app.update_member(&env.c, m.id, back, edited.version).await.unwrap().member;
        assert_eq!(back.input.status, MemberStatus::Probationary);
        env.assert_settled(m.id, "recognition removed").await;
        let t = env.app.timeline(&env.c, m.id).await.unwrap();
        assert_eq!(effects(&t).values().filter(|e| **e == Effect::Voided).count(), 3);

        // An ended status is an event, never a record edit.
        for status in
            [MemberStatus::Deceased, MemberStatus::StruckOff, MemberStatus::Left, MemberStatus::TransferredAway]
        {
            let mut ended = back.input.clone();
            ended.status = status;
            let r = env.app.update_member(&env.c, m.id, ended, back.version).await;
            assert_refused(&r, "status", None);
        }
        env.assert_settled(m.id, "after refused edits").await;
        assert_eq!(env.stored(m.id).await.0.version, back.version);
        env.assert_counts(&[d(2015, 3, 12), d(2016, 3, 12)], "record edits").await;
        // Gender and ethnicity are the record's: every date's counts follow the correction.
        let mut fixed = back.input.clone();
        fixed.gender = chibo_access::domain::member::Gender::Female;
        fixed.middle_name = "Thị".into();
        fixed.ethnicity_code = 5;
        env.app.update_member(&env.c, m.id, fixed, back.version).await.unwrap();
        env.assert_settled(m.id, "attributes corrected").await;
        env.assert_counts(&[d(2015, 3, 12), d(2016, 3, 12)], "attributes corrected").await;
        let cell_then = env.app.org_on(&env.c, c.a1, d(2015, 6, 1)).await.unwrap();
        assert_eq!((cell_then.tally.female, cell_then.tally.minority), (1, 1));
    })
    .await;
}

/// The entry form's rule on status and official date (no ended status, official 12 months
/// after the *first* admission) does not apply to a record whose standing came from events:
/// its other fields stay editable.
#[tokio::test]
async fn a_record_ended_or_readmitted_by_events_can_still_be_edited() {
    each_engine(async |env: &Env| {
        let c = cells(env).await;
        let a1 = env.org_now(c.a1).await;
        // Struck off: the record's other fields stay editable.
        let m = env.member(&a1, "Khoa", Person::official(d(2015, 3, 15))).await;
        env.record(m.id, ev(StruckOff, d(2022, 1, 10)).ground(StrikeOffGround::ReturnedCard)).await.unwrap();
        let row = env.stored(m.id).await.0;
        let mut input = row.input.clone();
        input.profile.phone = Some("0912 000 111".into());
        let struck_off_edit = env.app.update_member(&env.c, m.id, input, row.version).await;
        // Re-admitted and recognised again: the official date is the second probation's end.
        env.record(m.id, ev(Readmitted, d(2023, 2, 1)).org(c.a1)).await.unwrap();
        env.record(m.id, ev(Recognized, d(2024, 2, 1)).votes(3, 3)).await.unwrap();
        env.assert_settled(m.id, "readmitted and recognised").await;
        let row = env.stored(m.id).await.0;
        let mut input = row.input.clone();
        input.profile.phone = Some("0912 000 222".into());
        let readmitted_edit = env.app.update_member(&env.c, m.id, input, row.version).await;
        env.assert_settled(m.id, "edited after re-admission").await;
        assert!(struck_off_edit.is_ok(), "editing a struck-off member's phone: {struck_off_edit:?}");
        assert!(readmitted_edit.is_ok(), "editing a re-admitted member's phone: {readmitted_edit:?}");
    })
    .await;
}

#[tokio::test]
async fn recognition_needs_the_vote_and_the_12_month_date() {
    each_engine(async |env: &Env| {
        let c = cells(env).await;
        let a1 = env.org_now(c.a1).await;
        let m = env.member(&a1, "Minh", Person::probationary(d(2024, 3, 15))).await;
        let signed_later = d(2025, 4, 20);
        // The decision's date is not the effective date.
        let r = env.record(m.id, ev(Recognized, signed_later).votes(6, 9).signed(signed_later)).await;
        assert_refused(&r, "effective", Some("official_date_not_end_of_probation"));
        // Below two thirds of the official members, and no vote at all.
        let r = env.record(m.id, ev(Recognized, d(2025, 3, 15)).votes(5, 9).signed(signed_later)).await;
        assert_refused(&r, "votes_for", Some("vote_below_threshold"));
        let r = env.record(m.id, ev(Recognized, d(2025, 3, 15)).signed(signed_later)).await;
        assert_refused(&r, "votes_for", Some("required"));
        assert_refused(&r, "vote_base", Some("required"));
        let r = env.record(m.id, ev(Recognized, d(2025, 3, 15)).votes(10, 9)).await;
        assert_refused(&r, "votes_for", Some("votes_exceed_base"));
        assert_eq!(env.stored(m.id).await.1.len(), 1, "refusals record nothing");
        // Admitted 15/03/2024, official from 15/03/2025 though the decision is of 20/04/2025.
        let t = env.record(m.id, ev(Recognized, d(2025, 3, 15)).votes(6, 9).signed(signed_later)).await.unwrap();
        assert_eq!(t.member.input.status, MemberStatus::Official);
        assert_eq!(t.member.input.official_date, Some(d(2025, 3, 15)));
        let rec = t.events.iter().find(|e| e.record.event.kind == Recognized).unwrap();
        assert_eq!(rec.record.event.decision.signed_on, Some(signed_later));
        env.assert_settled(m.id, "recognised").await;
        // Twice is refused.
        let r = env.record(m.id, ev(Recognized, d(2025, 3, 15)).votes(6, 9)).await;
        assert!(matches!(r, Err(Problem::Invalid(_))), "{r:?}");
    })
    .await;
}

#[tokio::test]
async fn discipline_forms_fit_the_standing_on_their_date() {
    each_engine(async |env: &Env| {
        let c = cells(env).await;
        let a1 = env.org_now(c.a1).await;
        // A probationary member: reprimand or warning only.
        let p = env.member(&a1, "Quân", Person::probationary(d(2025, 1, 10))).await;
        for form in [DisciplineForm::Expulsion, DisciplineForm::Removal] {
            let r = env.record(p.id, ev(Disciplined, d(2025, 6, 1)).form(form)).await;
            assert_refused(&r, "form", Some("form_not_for_probationary"));
        }
        assert_refused(&env.record(p.id, ev(Disciplined, d(2025, 6, 1))).await, "form", Some("form_required"));
        env.record(p.id, ev(Disciplined, d(2025, 6, 1)).form(DisciplineForm::Warning)).await.unwrap();
        // Unfit: struck off, with its ground.
        let r = env.record(p.id, ev(StruckOff, d(2025, 8, 1))).await;
        assert_refused(&r, "ground", None);
        env.record(p.id, ev(StruckOff, d(2025, 8, 1)).ground(StrikeOffGround::UnfitProbationary)).await.unwrap();
        env.assert_settled(p.id, "probationary struck off").await;

        // An official member, later struck off: a discipline of an earlier date still fits
        // the standing of its date; one after the striking off does not.
        let o = env.member(&a1, "Sơn", Person::official(d(2015, 3, 15))).await;
        env.record(o.id, ev(StruckOff, d(2022, 1, 10)).ground(StrikeOffGround::NoImprovement)).await.unwrap();
        let r = env.record(o.id, ev(Disciplined, d(2022, 6, 1)).form(DisciplineForm::Warning)).await;
        assert!(matches!(r, Err(Problem::Invalid(_))), "{r:?}");
        env.record(o.id, ev(Disciplined, d(2021, 6, 1)).form(DisciplineForm::Removal)).await.unwrap();
        env.assert_settled(o.id, "disciplined before being struck off").await;

        // A member probationary on the date of an expulsion is refused even though official now.
        let q = env.member(&a1, "Tâm", Person::official(d(2023, 3, 1))).await;
        let r = env.record(q.id, ev(Disciplined, d(2023, 9, 1)).form(DisciplineForm::Expulsion)).await;
        assert_refused(&r, "form", Some("form_not_for_probationary"));
        // Expelled, then the expulsion cleared as wrongful: membership continuous.
        let t = env.record(q.id, ev(Disciplined, d(2024, 9, 1)).form(DisciplineForm::Expulsion)).await.unwrap();
        assert_eq!(t.member.input.status, MemberStatus::Expelled);
        env.assert_settled(q.id, "expelled").await;
        let exp = t.events.iter().find(|e| e.record.event.kind == Disciplined).unwrap().record.event.id;
        let t = env.record(q.id, ev(ExpulsionCleared, d(2025, 1, 5)).refers(exp)).await.unwrap();
        assert_eq!(t.member.input.status, MemberStatus::Official);
        assert!(t.history.gaps.is_empty());
        env.assert_settled(q.id, "expulsion cleared").await;
        env.assert_counts(&[d(2024, 9, 1), d(2025, 1, 5), d(2025, 8, 1)], "discipline").await;
    })
    .await;
}

#[tokio::test]
async fn a_transfer_between_subtrees_is_sent_by_one_side_and_received_by_the_other() {
    use chibo_access::domain::access::Role;
    each_engine(async |env: &Env| {
        let p = env.org(None, "Đảng bộ Tỉnh", OrgKind::Provincial).await;
        let x = env.org(Some(&p), "Đảng bộ Xã X", OrgKind::Commune).await;
        let x1 = env.org(Some(&x), "Chi bộ X1", OrgKind::SubordinateCell).await;
        let y = env.org(Some(&p), "Đảng bộ Xã Y", OrgKind::Commune).await;
        let y1 = env.org(Some(&y), "Chi bộ Y1", OrgKind::SubordinateCell).await;
        let y2 = env.org(Some(&y), "Chi bộ Y2", OrgKind::SubordinateCell).await;
        let w = env.org(Some(&p), "Đảng bộ Xã W", OrgKind::Commune).await;
        let m = env.member(&x1, "Lâm", Person::official(d(2012, 5, 2)).female()).await;
        let sender = env.user(Role::Staff, &x).await;
        let inspector = env.user(Role::Inspector, &x).await;
        let receiver = env.user(Role::Staff, &y).await;
        let outsider = env.user(Role::Staff, &w).await;
        let app = &env.app;
        let (out_on, in_on) = (common::days_ago(20), common::days_ago(10));
        let out = || ev(TransferredOut, out_on).org(y1.id).signed(out_on);
        let arrive = |cell: Uuid| ev(TransferredIn, in_on).org(cell).signed(in_on);

        // Before the transfer the receiving side neither sees nor touches the member.
        assert!(common::hidden(&app.member(&receiver, m.id).await));
        assert!(common::hidden(&app.record_event(&receiver, m.id, arrive(y1.id)).await));
        assert!(common::hidden(&app.record_event(&receiver, m.id, ev(ContactLost, in_on)).await));
        assert!(app.incoming_transfers(&receiver, y.id).await.unwrap().is_empty());
        // The sending side cannot record an arrival into a cell it cannot write.
        assert!(common::hidden(&app.record_event(&sender, m.id, arrive(y1.id)).await));
        // Reading is not writing.
        assert!(matches!(app.record_event(&inspector, m.id, out()).await, Err(Problem::Forbidden)));

        let t = app.record_event(&sender, m.id, out()).await.unwrap();
        assert!(t.can_write, "the sender still holds the member in transit");
        env.assert_settled(m.id, "in transit").await;
        assert_eq!(env.org_now(x.id).await.stats.members, 0);
        assert_eq!(env.org_now(y.id).await.stats.members, 0);

        // Waiting on the receiving side, and only there.
        let incoming = app.incoming_transfers(&receiver, y.id).await.unwrap();
        assert_eq!(incoming.iter().map(|i| i.member.id).collect::<Vec<_>>(), vec![m.id]);
        assert_eq!((incoming[0].sent_on, incoming[0].decision.signed_on), (out_on, Some(out_on)));
        assert!(common::hidden(&app.incoming_transfers(&sender, y.id).await));
        assert!(common::hidden(&app.incoming_transfers(&outsider, y.id).await));
        assert!(app.incoming_transfers(&outsider, w.id).await.unwrap().is_empty());
        // Nobody outside reads or touches the member; the receiver only receives, and only
        // into the cell it was sent to; the sender still cannot receive for them.
        assert!(common::hidden(&app.member(&outsider, m.id).await));
        assert!(common::hidden(&app.timeline(&outsider, m.id).await));
        assert!(common::hidden(&app.record_event(&outsider, m.id, arrive(y1.id)).await));
        assert!(common::hidden(&app.record_event(&receiver, m.id, ev(ContactLost, in_on)).await));
        assert!(common::hidden(&app.record_event(&receiver, m.id, arrive(y2.id)).await));
        assert!(common::hidden(&app.record_event(&sender, m.id, arrive(y1.id)).await));
        // An arrival before the departure does not fit.
        let early = ev(TransferredIn, out_on - time::Duration::days(1)).org(y1.id);
        assert_refused(&app.record_event(&receiver, m.id, early).await, "kind", Some("not_transferring"));

        let t = app.record_event(&receiver, m.id, arrive(y1.id)).await.unwrap();
        assert_eq!(t.member.input.org_id, y1.id);
        assert!(t.can_write);
        env.assert_settled(m.id, "received").await;
        assert!(app.incoming_transfers(&receiver, y.id).await.unwrap().is_empty());
        // Now the sender has lost the member, and cannot undo the transfer.
        assert!(common::hidden(&app.member(&sender, m.id).await));
        let out_id = t.events.iter().find(|e| e.record.event.kind == TransferredOut).unwrap().record.event.id;
        assert!(common::hidden(&app.record_event(&sender, m.id, ev(Voided, in_on).refers(out_id)).await));
        // The receiver cannot void the departure either: the arrival depends on it.
        let r = app.record_event(&receiver, m.id, ev(Voided, in_on).refers(out_id)).await;
        assert_refused(&r, "effective", Some("contradicts_later_event"));
        assert_eq!(env.org_now(y.id).await.stats.members, 1);
        assert_eq!(env.org_now(y.id).await.stats.female, 1);
        env.assert_counts(&common::around(&[out_on, in_on]), "transfer").await;
    })
    .await;
}

#[tokio::test]
async fn events_name_cells_that_exist_on_their_date() {
    each_engine(async |env: &Env| {
        let c = cells(env).await;
        let a1 = env.org_now(c.a1).await;
        let a = env.org_now(a1.parent_id.unwrap()).await;
        let m = env.member(&a1, "Nga", Person::official(d(2015, 3, 15))).await;
        let mut input = common::org_input("Chi bộ Mới", OrgKind::SubordinateCell);
        input.established_on = Some(common::days_ago(10));
        let young = env.app.create_org(&env.c, Some(a.id), input).await.unwrap();
        for e in [
            ev(TransferredOut, common::days_ago(20)).org(young.id),
            ev(AttachmentStarted, common::days_ago(20)).org(young.id),
        ] {
            assert_refused(&env.record(m.id, e).await, "org_id", Some("not_yet_established"));
        }
        env.record(m.id, ev(TransferredOut, common::days_ago(10)).org(young.id)).await.unwrap();
        env.record(m.id, ev(TransferredIn, common::days_ago(9)).org(young.id)).await.unwrap();
        env.assert_settled(m.id, "moved into the young cell").await;
        // A dissolved cell takes nobody.
        env.app.dissolve_org(&env.c, c.b1, &chibo_access::Dated::on(common::today())).await.unwrap();
        let r = env.record(m.id, ev(AttachmentStarted, common::days_ago(1)).org(c.b1)).await;
        assert_refused(&r, "org_id", Some("not_an_active_cell"));
        env.assert_counts(&common::around(&[common::days_ago(20), common::days_ago(10)]), "young cell").await;
    })
    .await;
}
