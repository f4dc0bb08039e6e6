//! The tree through time, on every engine: backdated events and restructuring (move, rename,
//! merge, split, dissolve) keep every organisation's counts on every date equal to a
//! brute-force recount from the members' spans and the links of that date; reports before a
//! restructuring show the tree of that date; refusals of bad dates and of non-empty dissolutions.

use crate::common;

use chibo_access::domain::life::{Decision, EventKind, StrikeOffGround};
use chibo_access::domain::member::MemberStatus;
use chibo_access::domain::org::OrgKind;
use chibo_access::{Dated, Org, SplitPart};
use common::{Env, Person, With, assert_refused, d, days_ago, each_engine, ev, org_input};
use time::Date;
use uuid::Uuid;

use EventKind::*;

fn on(effective: Date) -> Dated {
    Dated {
        effective,
        decision: Decision {
            number: Some("99-QĐ/TU".into()),
            body: Some("Tỉnh ủy".into()),
            signed_on: Some(effective),
        },
    }
}

fn part(name: &str, members: &[Uuid]) -> SplitPart {
    SplitPart { input: org_input(name, OrgKind::SubordinateCell), member_ids: members.to_vec() }
}

/// The ids of the organisations directly under `org` on `day`, by `org_on`.
async fn children_on(env: &Env, org: &Org, day: Date) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = env.app.org_on(&env.c, org.id, day).await.unwrap().children.iter().map(|c| c.id).collect();
    ids.sort();
    ids
}

fn sorted(mut ids: Vec<Uuid>) -> Vec<Uuid> {
    ids.sort();
    ids
}

#[tokio::test]
async fn counts_as_of_any_date_follow_backdated_events_and_restructuring() {
    each_engine(async |env: &Env| {
        let p = env.org(None, "Đảng bộ Tỉnh", OrgKind::Provincial).await;
        let x = env.org(Some(&p), "Đảng bộ Xã X", OrgKind::Commune).await;
        let x1 = env.org(Some(&x), "Chi bộ X1", OrgKind::SubordinateCell).await;
        let x2 = env.org(Some(&x), "Chi bộ X2", OrgKind::SubordinateCell).await;
        let y = env.org(Some(&p), "Đảng bộ Xã Y", OrgKind::Commune).await;
        let y1 = env.org(Some(&y), "Chi bộ Y1", OrgKind::SubordinateCell).await;
        let z = env.org(Some(&p), "Đảng bộ Xã Z", OrgKind::Commune).await;
        let m1 = env.member(&x1, "Một", Person::official(d(2010, 3, 1))).await;
        let m2 = env.member(&x1, "Hai", Person::official(d(2012, 6, 15)).female().minority()).await;
        let m3 = env.member(&x1, "Ba", Person::probationary(d(2026, 6, 1))).await;
        let m4 = env.member(&x2, "Bốn", Person::official(d(2014, 9, 9)).female()).await;
        let m5 = env.member(&x2, "Năm", Person::official(d(2016, 1, 20)).minority()).await;
        let m6 = env.member(&y1, "Sáu", Person::official(d(2011, 11, 11))).await;
        let m7 = env.member(&y1, "Bảy", Person::probationary(d(2018, 4, 10)).female()).await;
        let mut dates = vec![d(2010, 3, 1), d(2018, 4, 10)];

        // Backdated events before any restructuring.
        env.record(m7.id, ev(Recognized, d(2019, 4, 10)).votes(2, 2)).await.unwrap();
        env.record(m4.id, ev(AttachmentStarted, d(2018, 1, 1)).org(y1.id)).await.unwrap();
        env.record(m6.id, ev(StruckOff, d(2020, 2, 1)).ground(StrikeOffGround::AbandonedActivities)).await.unwrap();
        env.record(m6.id, ev(Readmitted, d(2021, 3, 1)).org(y1.id)).await.unwrap();
        dates.extend([d(2019, 4, 10), d(2018, 1, 1), d(2020, 2, 1), d(2021, 3, 1)]);
        env.assert_counts(&common::around(&dates), "backdated events").await;

        // X1 moves from X to Z on 01/01/2020; then a departure from X1 of 2019 and a death
        // of 2022 are entered: each counts under the parent of its own date.
        env.app.move_org_on(&env.c, x1.id, z.id, &on(d(2020, 1, 1))).await.unwrap();
        env.record(m1.id, ev(TransferredOut, d(2019, 5, 1)).org(y1.id)).await.unwrap();
        env.record(m1.id, ev(TransferredIn, d(2019, 5, 10)).org(y1.id)).await.unwrap();
        env.record(m2.id, ev(Died, d(2022, 7, 1))).await.unwrap();
        dates.extend([d(2020, 1, 1), d(2019, 5, 1), d(2019, 5, 10), d(2022, 7, 1)]);
        assert_eq!(children_on(env, &x, d(2019, 12, 31)).await, sorted(vec![x1.id, x2.id]));
        assert_eq!(children_on(env, &x, d(2020, 1, 1)).await, vec![x2.id]);
        assert_eq!(children_on(env, &z, d(2020, 1, 1)).await, vec![x1.id]);
        env.assert_counts(&common::around(&dates), "moved").await;

        // A second move the same day amends the first: Z, then back under X, on 01/01/2020.
        env.app.move_org_on(&env.c, x1.id, x.id, &on(d(2020, 1, 1))).await.unwrap();
        assert_eq!(children_on(env, &x, d(2020, 1, 1)).await, sorted(vec![x1.id, x2.id]));
        assert!(children_on(env, &z, d(2020, 1, 1)).await.is_empty());
        env.assert_counts(&common::around(&dates), "moved back the same day").await;
        env.app.move_org_on(&env.c, x1.id, z.id, &on(d(2020, 1, 1))).await.unwrap();

        // X2 merges into Y1 on 01/06/2021: a transfer per member, X2 dissolved.
        env.app.merge_orgs(&env.c, &[x2.id], y1.id, &on(d(2021, 6, 1))).await.unwrap();
        dates.push(d(2021, 6, 1));
        for m in [&m4, &m5] {
            let t = env.app.timeline(&env.c, m.id).await.unwrap();
            let moves: Vec<_> = t
                .events
                .iter()
                .filter(|e| matches!(e.record.event.kind, TransferredOut | TransferredIn))
                .map(|e| (e.record.event.kind, e.record.event.effective, e.record.event.org_id))
                .collect();
            assert_eq!(
                moves,
                vec![(TransferredOut, d(2021, 6, 1), Some(y1.id)), (TransferredIn, d(2021, 6, 1), Some(y1.id))]
            );
            assert!(t.events.iter().all(|e| e.record.event.effective != d(2021, 6, 1)
                || e.record.event.decision.number.as_deref() == Some("99-QĐ/TU")));
            env.assert_settled(m.id, "merged").await;
        }
        // Before the merge the tree shows the old cell with its members.
        let before = env.app.org_on(&env.c, x2.id, d(2021, 5, 31)).await.unwrap();
        assert!(before.existed);
        assert_eq!(before.name, "Chi bộ X2");
        assert_eq!(before.tally.members, 2);
        assert_eq!(sorted(before.members.iter().map(|m| m.id).collect()), sorted(vec![m4.id, m5.id]));
        assert!(!env.app.org_on(&env.c, x2.id, d(2021, 6, 1)).await.unwrap().existed);
        assert_eq!(children_on(env, &x, d(2021, 5, 31)).await, vec![x2.id]);
        assert!(children_on(env, &x, d(2021, 6, 1)).await.is_empty());
        assert!(env.org_now(x2.id).await.is_dissolved());
        env.assert_counts(&common::around(&dates), "merged").await;

        // Y1 splits on 01/01/2023 into two new cells and is dissolved.
        let a = [m1.id, m4.id];
        let b = [m5.id, m6.id, m7.id];
        let parts = [part("Chi bộ Y1a", &a), part("Chi bộ Y1b", &b)];
        let created = env.app.split_org(&env.c, y1.id, &parts, true, &on(d(2023, 1, 1))).await.unwrap();
        dates.push(d(2023, 1, 1));
        for m in a.iter().chain(&b) {
            env.assert_settled(*m, "split").await;
        }
        assert_eq!(env.stored(m6.id).await.0.input.org_id, created[1].id);
        assert_eq!(children_on(env, &y, d(2022, 12, 31)).await, vec![y1.id]);
        assert_eq!(children_on(env, &y, d(2023, 1, 1)).await, sorted(created.iter().map(|o| o.id).collect()));
        env.assert_counts(&common::around(&dates), "split").await;

        // Y is renamed on 01/01/2024: reports before show the old name.
        env.app.rename_org(&env.c, y.id, "Đảng bộ Phường Y", &on(d(2024, 1, 1))).await.unwrap();
        assert_eq!(env.app.org_on(&env.c, y.id, d(2023, 12, 31)).await.unwrap().name, "Đảng bộ Xã Y");
        assert_eq!(env.app.org_on(&env.c, y.id, d(2024, 1, 1)).await.unwrap().name, "Đảng bộ Phường Y");
        let parent_named = env.app.org_on(&env.c, created[0].id, d(2023, 6, 1)).await.unwrap().parent.unwrap();
        assert_eq!(parent_named.name, "Đảng bộ Xã Y");
        dates.push(d(2024, 1, 1));

        // A backdated event after all that, in a cell that has since been dissolved.
        env.record(m5.id, ev(ContactLost, d(2022, 3, 1))).await.unwrap();
        env.record(m5.id, ev(ContactRestored, d(2022, 9, 1))).await.unwrap();
        env.record(m4.id, ev(Left, d(2024, 5, 5))).await.unwrap();
        dates.extend([d(2022, 3, 1), d(2024, 5, 5)]);
        env.assert_counts(&common::around(&dates), "everything").await;
        assert_eq!(env.stored(m3.id).await.0.input.status, MemberStatus::Probationary);
    })
    .await;
}

#[tokio::test]
async fn restructuring_refuses_future_dates_and_dates_before_the_last_change() {
    each_engine(async |env: &Env| {
        let p = env.org(None, "Đảng bộ Tỉnh", OrgKind::Provincial).await;
        let x = env.org(Some(&p), "Đảng bộ Xã X", OrgKind::Commune).await;
        let y = env.org(Some(&p), "Đảng bộ Xã Y", OrgKind::Commune).await;
        let x1 = env.org(Some(&x), "Chi bộ X1", OrgKind::SubordinateCell).await;
        let app = &env.app;
        let tomorrow = days_ago(-1);
        assert_refused(&app.move_org_on(&env.c, x1.id, y.id, &on(tomorrow)).await, "effective", Some("in_future"));
        assert_refused(
            &app.rename_org(&env.c, x1.id, "Chi bộ Mới", &on(tomorrow)).await,
            "effective",
            Some("in_future"),
        );
        assert_refused(&app.dissolve_org(&env.c, x1.id, &on(tomorrow)).await, "effective", Some("in_future"));
        let r = app.split_org(&env.c, x1.id, &[part("Chi bộ X1a", &[])], false, &on(tomorrow)).await;
        assert_refused(&r, "effective", Some("in_future"));
        let x0 = env.org(Some(&y), "Chi bộ Y0", OrgKind::SubordinateCell).await;
        assert_refused(&app.merge_orgs(&env.c, &[x0.id], x1.id, &on(tomorrow)).await, "effective", Some("in_future"));
        assert!(!env.org_now(x0.id).await.is_dissolved());

        app.move_org_on(&env.c, x1.id, y.id, &on(d(2022, 1, 1))).await.unwrap();
        let r = app.move_org_on(&env.c, x1.id, x.id, &on(d(2021, 12, 31))).await;
        assert_refused(&r, "effective", Some("before_last_change"));
        let r = app.rename_org(&env.c, x1.id, "Chi bộ Mới", &on(d(2021, 6, 1))).await;
        assert_refused(&r, "effective", Some("before_last_change"));
        assert_refused(&app.dissolve_org(&env.c, x1.id, &on(d(2021, 6, 1))).await, "effective", None);
        // The same day amends that day's change; a later one adds to the history.
        app.rename_org(&env.c, x1.id, "Chi bộ Một", &on(d(2022, 1, 1))).await.unwrap();
        assert_eq!(app.org_on(&env.c, x1.id, d(2022, 1, 1)).await.unwrap().name, "Chi bộ Một");
        assert_eq!(app.org_on(&env.c, x1.id, d(2021, 12, 31)).await.unwrap().name, "Chi bộ X1");
        app.rename_org(&env.c, x1.id, "Chi bộ Hai", &on(d(2023, 1, 1))).await.unwrap();
        assert_eq!(app.org_on(&env.c, x1.id, d(2022, 12, 31)).await.unwrap().name, "Chi bộ Một");
        // Moving into its own subtree, or under its own parent, is refused.
        let r = app.move_org_on(&env.c, y.id, y.id, &on(d(2024, 1, 1))).await;
        assert_refused(&r, "new_parent_id", Some("cycle"));
        let r = app.move_org_on(&env.c, x1.id, y.id, &on(d(2024, 1, 1))).await;
        assert_refused(&r, "new_parent_id", Some("same_parent"));
        // A dissolved organisation is neither renamed nor moved: it would come back to life.
        let x2 = env.org(Some(&x), "Chi bộ X2", OrgKind::SubordinateCell).await;
        app.dissolve_org(&env.c, x2.id, &on(d(2024, 1, 1))).await.unwrap();
        for day in [d(2023, 6, 1), d(2024, 6, 1)] {
            let r = app.rename_org(&env.c, x2.id, "Chi bộ Ma", &on(day)).await;
            assert_refused(&r, "effective", Some("already_dissolved"));
            let r = app.move_org_on(&env.c, x2.id, y.id, &on(day)).await;
            assert_refused(&r, "effective", Some("already_dissolved"));
            let r = app.split_org(&env.c, x2.id, &[part("Chi bộ Ma", &[])], false, &on(day)).await;
            assert_refused(&r, "effective", Some("already_dissolved"));
        }
        assert_eq!(app.org_on(&env.c, x2.id, d(2023, 6, 1)).await.unwrap().name, "Chi bộ X2");
        // Nor is an organisation moved before it was established.
        let mut input = org_input("Chi bộ Trẻ", OrgKind::SubordinateCell);
        input.established_on = Some(d(2024, 3, 1));
        let young = app.create_org(&env.c, Some(y.id), input).await.unwrap();
        let r = app.move_org_on(&env.c, young.id, x.id, &on(d(2024, 2, 1))).await;
        assert_refused(&r, "effective", Some("before_last_change"));
        assert!(!app.org_on(&env.c, x2.id, d(2024, 6, 1)).await.unwrap().existed);
        assert!(children_on(env, &x, d(2024, 6, 1)).await.is_empty());
        env.assert_counts(&[d(2021, 12, 31), d(2022, 1, 1), d(2023, 1, 1), d(2024, 6, 1)], "refusals").await;
    })
    .await;
}

#[tokio::test]
async fn dissolving_needs_an_empty_organisation_on_and_after_its_date() {
    each_engine(async |env: &Env| {
        let p = env.org(None, "Đảng bộ Tỉnh", OrgKind::Provincial).await;
        let x = env.org(Some(&p), "Đảng bộ Xã X", OrgKind::Commune).await;
        let x1 = env.org(Some(&x), "Chi bộ X1", OrgKind::SubordinateCell).await;
        let x2 = env.org(Some(&x), "Chi bộ X2", OrgKind::SubordinateCell).await;
        let m = env.member(&x1, "Lan", Person::official(d(2015, 3, 15)).female()).await;
        let app = &env.app;
        // Members, sub-organisations: refused, naming what is left.
        assert_refused(&app.dissolve_org(&env.c, x1.id, &on(days_ago(5))).await, "effective", Some("not_empty"));
        assert_refused(&app.dissolve_org(&env.c, x.id, &on(days_ago(5))).await, "effective", Some("not_empty"));
        // A member transferred in to it: refused too.
        env.record(m.id, ev(TransferredOut, days_ago(20)).org(x2.id)).await.unwrap();
        assert_refused(&app.dissolve_org(&env.c, x2.id, &on(days_ago(5))).await, "effective", Some("not_empty"));
        env.record(m.id, ev(TransferredIn, days_ago(10)).org(x2.id)).await.unwrap();
        // X1 is empty now, but was not on the date asked: the member left it 20 days ago.
        let r = app.dissolve_org(&env.c, x1.id, &on(days_ago(30))).await;
        assert_refused(&r, "effective", None);
        env.assert_counts(&common::around(&[days_ago(30), days_ago(20), days_ago(10)]), "early dissolution").await;
        // On or after the departure it may go.
        let gone = app.dissolve_org(&env.c, x1.id, &on(days_ago(20))).await.unwrap();
        assert!(gone.is_dissolved());
        assert_eq!(env.org_now(x.id).await.stats.cells, 1);
        assert_refused(
            &app.dissolve_org(&env.c, x1.id, &on(days_ago(1))).await,
            "effective",
            Some("already_dissolved"),
        );
        assert!(!app.org_on(&env.c, x1.id, days_ago(20)).await.unwrap().existed);
        assert!(app.org_on(&env.c, x1.id, days_ago(21)).await.unwrap().existed);
        // A member sent away from a cell that is then dissolved cannot come back to it by
        // voiding the transfer.
        let x3 = env.org(Some(&x), "Chi bộ X3", OrgKind::SubordinateCell).await;
        let n = env.member(&x3, "Nam", Person::official(d(2016, 3, 15)).minority()).await;
        let t = env.record(n.id, ev(TransferredOut, days_ago(15)).org(x2.id)).await.unwrap();
        let sent = t.events.iter().find(|e| e.record.event.kind == TransferredOut).unwrap().record.event.id;
        app.dissolve_org(&env.c, x3.id, &on(days_ago(15))).await.unwrap();
        let r = env.record(n.id, ev(Voided, days_ago(1)).refers(sent)).await;
        assert_refused(&r, "effective", Some("org_dissolved"));
        env.assert_settled(n.id, "still in transit").await;
        env.record(n.id, ev(TransferredIn, days_ago(1)).org(x2.id)).await.unwrap();
        // Nobody can be sent to or received into a dissolved cell.
        let r = env.record(m.id, ev(TransferredOut, days_ago(2)).org(x1.id)).await;
        assert_refused(&r, "org_id", Some("not_an_active_cell"));
        env.assert_counts(&common::around(&[days_ago(30), days_ago(20), days_ago(15), days_ago(10)]), "dissolved")
            .await;
    })
    .await;
}

#[tokio::test]
async fn merges_and_splits_check_their_organisations_and_members() {
    each_engine(async |env: &Env| {
        let p = env.org(None, "Đảng bộ Tỉnh", OrgKind::Provincial).await;
        let x = env.org(Some(&p), "Đảng bộ Xã X", OrgKind::Commune).await;
        let x1 = env.org(Some(&x), "Chi bộ X1", OrgKind::SubordinateCell).await;
        let x2 = env.org(Some(&x), "Chi bộ X2", OrgKind::SubordinateCell).await;
        let m1 = env.member(&x1, "Một", Person::official(d(2015, 3, 15))).await;
        let m2 = env.member(&x1, "Hai", Person::official(d(2016, 3, 15))).await;
        let late = env.member(&x2, "Muộn", Person::probationary(d(2025, 10, 1))).await;
        let app = &env.app;
        // Into itself, into nothing, members into a committee: refused.
        assert_refused(&app.merge_orgs(&env.c, &[x1.id], x1.id, &on(days_ago(5))).await, "sources", None);
        assert_refused(&app.merge_orgs(&env.c, &[], x1.id, &on(days_ago(5))).await, "sources", None);
        assert_refused(&app.merge_orgs(&env.c, &[x1.id], x.id, &on(days_ago(5))).await, "target_id", None);
        // A merge dated before one of the members was admitted: refused, nothing changes.
        let r = app.merge_orgs(&env.c, &[x2.id], x1.id, &on(d(2025, 1, 1))).await;
        assert!(r.is_err(), "{r:?}");
        assert!(!env.org_now(x2.id).await.is_dissolved());
        env.assert_settled(late.id, "merge refused").await;
        // A merge into a cell established after the merge date: refused.
        let mut input = org_input("Chi bộ Mới", OrgKind::SubordinateCell);
        input.established_on = Some(days_ago(10));
        let young = app.create_org(&env.c, Some(x.id), input).await.unwrap();
        let r = app.merge_orgs(&env.c, &[x2.id], young.id, &on(days_ago(20))).await;
        assert_refused(&r, "effective", None);
        assert!(!env.org_now(x2.id).await.is_dissolved());

        // A member temporarily attached to the source keeps the merge back until the
        // attachment ends; then the source's own member moves with a transfer.
        env.record(m2.id, ev(AttachmentStarted, days_ago(30)).org(x2.id)).await.unwrap();
        let r = app.merge_orgs(&env.c, &[x2.id], x1.id, &on(days_ago(5))).await;
        assert_refused(&r, "effective", Some("not_empty"));
        env.record(m2.id, ev(AttachmentEnded, days_ago(6))).await.unwrap();
        app.merge_orgs(&env.c, &[x2.id], x1.id, &on(days_ago(5))).await.unwrap();
        assert_eq!(env.stored(late.id).await.0.input.org_id, x1.id);
        env.assert_settled(late.id, "merged").await;
        env.assert_settled(m2.id, "attachment ended").await;
        // Split: members must come from the source's rolls, all of them if it is dissolved.
        let stranger = env.member(&young, "Lạ", Person::official(d(2016, 3, 15))).await;
        let r = app.split_org(&env.c, x1.id, &[part("Chi bộ X1a", &[stranger.id])], false, &on(days_ago(5))).await;
        assert_refused(&r, "parts[0].member_ids", Some("not_on_rolls"));
        let r = app.split_org(&env.c, x1.id, &[part("Chi bộ X1a", &[m1.id])], true, &on(days_ago(5))).await;
        assert_refused(&r, "parts", Some("members_left"));
        let r = app.split_org(&env.c, x1.id, &[], false, &on(days_ago(5))).await;
        assert_refused(&r, "parts", None);
        // Keeping the source: one member leaves with the new cell, the other stays.
        let made =
            app.split_org(&env.c, x1.id, &[part("Chi bộ X1a", &[m1.id])], false, &on(days_ago(5))).await.unwrap();
        assert_eq!(env.stored(m1.id).await.0.input.org_id, made[0].id);
        assert_eq!(env.stored(m2.id).await.0.input.org_id, x1.id);
        assert!(!env.org_now(x1.id).await.is_dissolved());
        assert!(!app.org_on(&env.c, made[0].id, days_ago(6)).await.unwrap().existed);
        env.assert_settled(m1.id, "split off").await;
        env.assert_counts(
            &common::around(&[days_ago(30), days_ago(20), days_ago(10), days_ago(6), days_ago(5)]),
            "merge and split",
        )
        .await;
    })
    .await;
}

/// `update_org` dissolves by setting `dissolved_on`, which also ends the organisation's link:
/// a date before a member left would make the ancestors' dated ledger disagree with the tree
/// of that date, so it is refused as `dissolve_org` refuses it.
#[tokio::test]
async fn a_record_edit_cannot_dissolve_before_the_last_member_left() {
    each_engine(async |env: &Env| {
        let p = env.org(None, "Đảng bộ Tỉnh", OrgKind::Provincial).await;
        let x = env.org(Some(&p), "Đảng bộ Xã X", OrgKind::Commune).await;
        let x1 = env.org(Some(&x), "Chi bộ X1", OrgKind::SubordinateCell).await;
        let x2 = env.org(Some(&x), "Chi bộ X2", OrgKind::SubordinateCell).await;
        let m = env.member(&x1, "Lan", Person::official(d(2015, 3, 15))).await;
        env.record(m.id, ev(TransferredOut, days_ago(20)).org(x2.id)).await.unwrap();
        env.record(m.id, ev(TransferredIn, days_ago(10)).org(x2.id)).await.unwrap();
        let mut input = env.org_now(x1.id).await.input;
        input.dissolved_on = Some(days_ago(30));
        let r = env.app.update_org(&env.c, x1.id, input).await;
        assert_refused(&r, "dissolved_on", None);
        env.assert_counts(&common::around(&[days_ago(30), days_ago(20), days_ago(10)]), "dissolved by edit").await;
    })
    .await;
}

/// A corrected date of dissolution ends the latest link then: not before that link begins
/// (the organisation would lie in the tree after its dissolution), nor after today.
#[tokio::test]
async fn a_corrected_date_of_dissolution_stays_after_the_latest_change() {
    each_engine(async |env: &Env| {
        let p = env.org(None, "Đảng bộ Tỉnh", OrgKind::Provincial).await;
        let x = env.org(Some(&p), "Đảng bộ Xã X", OrgKind::Commune).await;
        let x1 = env.org(Some(&x), "Chi bộ X1", OrgKind::SubordinateCell).await;
        let app = &env.app;
        app.rename_org(&env.c, x1.id, "Chi bộ X1 mới", &on(days_ago(20))).await.unwrap();
        app.dissolve_org(&env.c, x1.id, &on(days_ago(10))).await.unwrap();
        let correct = async |to: Date| {
            let mut input = env.org_now(x1.id).await.input;
            input.dissolved_on = Some(to);
            app.update_org(&env.c, x1.id, input).await
        };
        assert_refused(&correct(days_ago(30)).await, "dissolved_on", Some("before_last_change"));
        assert_refused(&correct(days_ago(-1)).await, "dissolved_on", Some("in_future"));
        assert!(app.org_on(&env.c, x1.id, days_ago(11)).await.unwrap().existed);
        correct(days_ago(15)).await.unwrap();
        assert!(app.org_on(&env.c, x1.id, days_ago(16)).await.unwrap().existed);
        assert!(!app.org_on(&env.c, x1.id, days_ago(15)).await.unwrap().existed);
        let dates = [days_ago(30), days_ago(20), days_ago(15), days_ago(10)];
        env.assert_counts(&common::around(&dates), "dissolution corrected").await;
    })
    .await;
}

/// A corrected date of establishment moves the organisation's first link, so the tree of
/// every date follows it; a date after the first member, sub-organisation or meeting, or on or
/// after the first renaming, is refused, naming the field, and writes nothing.
#[tokio::test]
async fn a_corrected_date_of_establishment_moves_the_first_link() {
    each_engine(async |env: &Env| {
        let p = env.org(None, "Đảng bộ Tỉnh", OrgKind::Provincial).await;
        let x = env.org(Some(&p), "Đảng bộ Xã X", OrgKind::Commune).await;
        let x1 = env.org(Some(&x), "Chi bộ X1", OrgKind::SubordinateCell).await;
        let x2 = env.org(Some(&x), "Chi bộ X2", OrgKind::SubordinateCell).await;
        env.member(&x1, "Lan", Person::official(d(2015, 3, 15))).await;
        let app = &env.app;
        let edit = async |org: &Org, on: Date| {
            let mut input = env.org_now(org.id).await.input;
            input.established_on = Some(on);
            app.update_org(&env.c, org.id, input).await
        };
        // The commune's cells have no date yet: they lay under it for ever, so no date of the
        // commune fits until they have theirs.
        assert_refused(&edit(&x, d(1990, 1, 1)).await, "established_on", Some("undated_child"));
        // An empty cell, established later and then earlier: the tree of each date follows.
        edit(&x2, d(2020, 1, 1)).await.unwrap();
        assert_eq!(children_on(env, &x, d(2019, 12, 31)).await, vec![x1.id]);
        assert_eq!(children_on(env, &x, d(2020, 1, 1)).await, sorted(vec![x1.id, x2.id]));
        edit(&x2, d(2010, 6, 1)).await.unwrap();
        assert_eq!(children_on(env, &x, d(2019, 12, 31)).await, sorted(vec![x1.id, x2.id]));
        assert!(!app.org_on(&env.c, x2.id, d(2010, 5, 31)).await.unwrap().existed);
        assert!(app.org_on(&env.c, x2.id, d(2010, 6, 1)).await.unwrap().existed);
        // A member on the cell's rolls from 15/03/2015: not a day later.
        assert_refused(&edit(&x1, d(2015, 3, 16)).await, "established_on", Some("after_first_activity"));
        assert!(app.org_on(&env.c, x1.id, d(2015, 3, 15)).await.unwrap().existed);
        edit(&x1, d(2015, 3, 15)).await.unwrap();
        assert!(!app.org_on(&env.c, x1.id, d(2015, 3, 14)).await.unwrap().existed);
        // The commune has had a cell under it from 01/06/2010.
        assert_refused(&edit(&x, d(2012, 1, 1)).await, "established_on", Some("after_first_activity"));
        edit(&x, d(2010, 6, 1)).await.unwrap();
        // Renamed ten days ago: established before that, not on it.
        app.rename_org(&env.c, x2.id, "Chi bộ X2 mới", &on(days_ago(10))).await.unwrap();
        assert_refused(&edit(&x2, days_ago(10)).await, "established_on", Some("after_first_change"));
        assert!(app.org_on(&env.c, x2.id, d(2010, 6, 1)).await.unwrap().existed);
        edit(&x2, days_ago(11)).await.unwrap();
        assert!(!app.org_on(&env.c, x2.id, days_ago(12)).await.unwrap().existed);
        // A known date is corrected, never taken away (the history would reach back for ever).
        let mut cleared = env.org_now(x2.id).await.input;
        cleared.established_on = None;
        assert_refused(&app.update_org(&env.c, x2.id, cleared).await, "established_on", Some("established_known"));
        assert!(!app.org_on(&env.c, x2.id, days_ago(12)).await.unwrap().existed);
        // Never after today, corrected or at its creation (a typo of 2052 for 2025 would take
        // it out of today's tree).
        assert_refused(&edit(&x1, days_ago(-1)).await, "established_on", Some("in_future"));
        let mut planned = common::org_input("Chi bộ X3", OrgKind::SubordinateCell);
        planned.established_on = Some(days_ago(-1));
        assert_refused(&app.create_org(&env.c, Some(x.id), planned).await, "established_on", Some("in_future"));
        let dates = [d(2010, 6, 1), d(2015, 3, 15), d(2020, 1, 1), days_ago(11), days_ago(10)];
        env.assert_counts(&common::around(&dates), "establishment corrected").await;
    })
    .await;
}

/// Random events and restructurings at random past dates, in random order: whatever is
/// accepted keeps every member's row equal to its replay and every count of every date equal
/// to the brute-force recount; whatever is refused is refused as invalid input, never as a
/// store failure.
#[tokio::test]
async fn random_lives_and_restructurings_keep_every_date_consistent() {
    use chibo_access::Problem;
    each_engine(async |env: &Env| {
        // SEED=n tries another history.
        let mut rng = common::Rng::from_env(0x5EED_1234_ABCD_0001);
        let p = env.org(None, "Đảng bộ Tỉnh", OrgKind::Provincial).await;
        let mut communes = Vec::new();
        let mut cells = Vec::new();
        for (i, c) in ["X", "Y", "Z"].iter().enumerate() {
            let commune = env.org(Some(&p), &format!("Đảng bộ Xã {c}"), OrgKind::Commune).await;
            for k in 0..2 - i / 2 {
                cells.push(
                    env.org(Some(&commune), &format!("Chi bộ {c} {}", ["Một", "Hai"][k]), OrgKind::SubordinateCell)
                        .await
                        .id,
                );
            }
            communes.push(commune.id);
        }
        let names = ["An", "Bình", "Chi", "Dung", "Giao", "Hà", "Khánh", "Linh"];
        let mut people = Vec::new();
        for (i, n) in names.iter().enumerate() {
            let admitted = d(2005 + i as i32 * 2, 1 + i as u8, 10);
            let mut person = if i % 3 == 0 { Person::probationary(admitted) } else { Person::official(admitted) };
            person.female = i % 2 == 0;
            person.minority = i % 4 == 1;
            let cell = env.org_now(rng.pick(&cells)).await;
            people.push(env.member(&cell, n, person).await.id);
        }
        let mut dates = Vec::new();
        let (mut accepted, mut refused) = (0, 0);
        for step in 0..70 {
            let day = rng.date(d(2006, 1, 1));
            let m = rng.pick(&people);
            let cell = rng.pick(&cells);
            let r: Result<(), Problem> = match rng.below(16) {
                0 => env.record(m, ev(TransferredOut, day).org(cell)).await.map(|_| ()),
                1 => env.record(m, ev(TransferredIn, day).org(cell)).await.map(|_| ()),
                2 => env.record(m, ev(StruckOff, day).ground(StrikeOffGround::NoImprovement)).await.map(|_| ()),
                3 => env.record(m, ev(Readmitted, day).org(cell)).await.map(|_| ()),
                4 => env.record(m, ev(AttachmentStarted, day).org(cell)).await.map(|_| ()),
                5 => env.record(m, ev(AttachmentEnded, day)).await.map(|_| ()),
                6 => env.record(m, ev(Died, day)).await.map(|_| ()),
                7 => {
                    let (row, recs, _) = env.stored(m).await;
                    let _ = row;
                    let target = recs[rng.below(recs.len())].event.id;
                    env.record(m, ev(Voided, days_ago(0)).refers(target)).await.map(|_| ())
                }
                8 => {
                    let row = env.stored(m).await.0;
                    let due = chibo_access::domain::date::add_months(row.input.admission_date, 12);
                    let due = if due > days_ago(0) { day } else { due };
                    env.record(m, ev(Recognized, due).votes(3, 3)).await.map(|_| ())
                }
                9 => {
                    let commune = rng.pick(&communes);
                    env.app.move_org_on(&env.c, cell, commune, &on(day)).await.map(|_| ())
                }
                10 => {
                    let other = rng.pick(&cells);
                    env.app.merge_orgs(&env.c, &[other], cell, &on(day)).await.map(|_| ())
                }
                11 => env.app.rename_org(&env.c, cell, &format!("Chi bộ số {step}"), &on(day)).await.map(|_| ()),
                12 => {
                    let mut taken = Vec::new();
                    for &m in &people {
                        let row = env.stored(m).await.0;
                        let on_rolls = row.input.status.is_active() && row.life.transit_org_id.is_none();
                        if row.input.org_id == cell && on_rolls && rng.below(2) == 0 {
                            taken.push(m);
                        }
                    }
                    let name = format!("Chi bộ tách {step}");
                    let made = env.app.split_org(&env.c, cell, &[part(&name, &taken)], false, &on(day)).await;
                    made.map(|made| cells.push(made[0].id))
                }
                13 => env.app.dissolve_org(&env.c, cell, &on(day)).await.map(|_| ()),
                14 => {
                    // A record edit: another cell (a transfer today) or corrected entry dates.
                    let row = env.stored(m).await.0;
                    let mut input = row.input.clone();
                    if rng.below(2) == 0 {
                        input.org_id = cell;
                    } else {
                        input.admission_date -= time::Duration::days(rng.below(40) as i64);
                        if input.official_date.is_some() {
                            input.official_date =
                                Some(chibo_access::domain::date::add_months(input.admission_date, 12));
                        }
                    }
                    env.app.update_member(&env.c, m, input, row.version).await.map(|_| ())
                }
                _ => env.record(m, ev(ContactLost, day)).await.map(|_| ()),
            };
            match r {
                Ok(()) => {
                    accepted += 1;
                    dates.push(day);
                }
                Err(Problem::Invalid(_)) => refused += 1,
                Err(other) => panic!("step {step}: refused as {other:?}"),
            }
            if step % 10 == 9 {
                for &m in &people {
                    env.assert_settled(m, &format!("step {step}")).await;
                }
                let mut check = common::around(&dates);
                check.sort();
                check.dedup();
                env.assert_counts(&check, &format!("step {step}")).await;
                // The organisations owed inspection coverage, kept through every restructuring.
                let mut c = env.db.pools.read().await.unwrap();
                let owed = chibo_store::inspection_owed::recount(&mut c).await.unwrap();
                assert!(owed.is_empty(), "step {step}: owed coverage unlike the paths: {owed:?}");
            }
        }
        assert!(accepted >= 10 && refused >= 10, "accepted {accepted}, refused {refused}");
    })
    .await;
}

/// The audit actions recorded on an organisation, oldest first.
async fn audit_actions(env: &Env, org: Uuid) -> Vec<String> {
    let mut rows = env.app.audit_log(&env.c, Some(org), 100).await.unwrap();
    rows.sort_by_key(|r| r.at);
    rows.into_iter().map(|r| r.action).collect()
}

/// The kinds of the dated events of an organisation's history.
async fn org_event_kinds(env: &Env, org: Uuid) -> Vec<String> {
    let mut c = env.db.pools.read().await.unwrap();
    chibo_store::history::org_events(&mut c, org).await.unwrap().into_iter().map(|e| e.kind).collect()
}

/// Setting `dissolved_on` in the edit form takes the one dissolution path: the incoming
/// transfers and the date of the last change are checked as by `dissolve_org`, and the
/// dissolution gets its dated event and its audit row.
#[tokio::test]
async fn an_edit_that_dissolves_takes_the_dissolution_path() {
    each_engine(async |env: &Env| {
        let p = env.org(None, "Đảng bộ Tỉnh", OrgKind::Provincial).await;
        let x = env.org(Some(&p), "Đảng bộ Xã X", OrgKind::Commune).await;
        let x1 = env.org(Some(&x), "Chi bộ X1", OrgKind::SubordinateCell).await;
        let x2 = env.org(Some(&x), "Chi bộ X2", OrgKind::SubordinateCell).await;
        let x3 = env.org(Some(&x), "Chi bộ X3", OrgKind::SubordinateCell).await;
        let x4 = env.org(Some(&x), "Chi bộ X4", OrgKind::SubordinateCell).await;
        let m = env.member(&x1, "Lan", Person::official(d(2015, 3, 15))).await;
        let app = &env.app;
        let dissolving = |org: &Org, on: Date| {
            let mut input = org.input.clone();
            input.dissolved_on = Some(on);
            input
        };
        // A member on the way to X2 (transferred out of X1, not yet received).
        env.record(m.id, ev(TransferredOut, days_ago(3)).org(x2.id)).await.unwrap();
        let r = app.update_org(&env.c, x2.id, dissolving(&env.org_now(x2.id).await, days_ago(1))).await;
        assert_refused(&r, "dissolved_on", Some("not_empty"));
        // Renamed five days ago: a dissolution cannot go back before that.
        app.rename_org(&env.c, x4.id, "Chi bộ Bốn", &on(days_ago(5))).await.unwrap();
        let r = app.update_org(&env.c, x4.id, dissolving(&env.org_now(x4.id).await, days_ago(10))).await;
        assert_refused(&r, "dissolved_on", Some("before_last_change"));
        assert!(!env.org_now(x4.id).await.is_dissolved());
        // An empty cell: dissolved, with the dated event and the audit rows of both steps.
        let before = env.org_now(x.id).await.stats.cells;
        let gone = app.update_org(&env.c, x3.id, dissolving(&x3, days_ago(1))).await.unwrap();
        assert_eq!(gone.input.dissolved_on, Some(days_ago(1)));
        assert_eq!(env.org_now(x.id).await.stats.cells, before - 1);
        assert_eq!(org_event_kinds(env, x3.id).await, ["dissolved"]);
        assert_eq!(audit_actions(env, x3.id).await, ["org.create", "org.update", "org.dissolve"]);
        assert!(!app.org_on(&env.c, x3.id, days_ago(1)).await.unwrap().existed);
        env.assert_counts(&common::around(&[days_ago(10), days_ago(5), days_ago(3), days_ago(1)]), "edits").await;
    })
    .await;
}

/// A merge and a split leave an audit row on every organisation they touch: the sources, the
/// receiving organisation, the organisation split and the new ones.
#[tokio::test]
async fn every_organisation_a_restructuring_touches_gets_an_audit_row() {
    each_engine(async |env: &Env| {
        let p = env.org(None, "Đảng bộ Tỉnh", OrgKind::Provincial).await;
        let x = env.org(Some(&p), "Đảng bộ Xã X", OrgKind::Commune).await;
        let x1 = env.org(Some(&x), "Chi bộ X1", OrgKind::SubordinateCell).await;
        let x2 = env.org(Some(&x), "Chi bộ X2", OrgKind::SubordinateCell).await;
        let m1 = env.member(&x1, "Một", Person::official(d(2012, 1, 1))).await;
        let m2 = env.member(&x2, "Hai", Person::official(d(2013, 1, 1))).await;
        let app = &env.app;
        app.merge_orgs(&env.c, &[x1.id], x2.id, &on(days_ago(10))).await.unwrap();
        assert_eq!(audit_actions(env, x1.id).await, ["org.create", "org.dissolve"]);
        assert_eq!(audit_actions(env, x2.id).await, ["org.create", "org.merge"]);
        let made = app.split_org(&env.c, x2.id, &[part("Chi bộ X5", &[m1.id])], false, &on(days_ago(5))).await.unwrap();
        assert_eq!(audit_actions(env, x2.id).await, ["org.create", "org.merge", "org.split"]);
        assert_eq!(audit_actions(env, made[0].id).await, ["org.create"]);
        assert_eq!(env.stored(m2.id).await.0.input.org_id, x2.id);
        env.assert_counts(&common::around(&[days_ago(10), days_ago(5)]), "merge and split").await;
    })
    .await;
}
