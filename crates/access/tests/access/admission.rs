//! Admission from a candidate's dossier, the probation work list and recognition, the badge
//! work list and awards: through the application, on every engine.

use crate::common;

use chibo_access::domain::access::Role;
use chibo_access::domain::life::probation::ProbationStatus;
use chibo_access::domain::life::{CandidateInput, CandidateState, Decision, EventKind, IntroducerInput};
use chibo_access::domain::member::{Gender, MemberInput, MemberStatus};
use chibo_access::domain::org::OrgKind;
use chibo_access::{AdmissionInput, AwardInput, Chibo, Problem, Viewer};
use chibo_store::testing::{TestDb, engines};
use common::{Person, ev, member_input, org_input};
use time::Date;
use time::macros::date;
use uuid::Uuid;

/// A member born in 1960, official 12 months after admission when `official`.
fn member(given: &str, cell: Uuid, admitted: Date, official: bool) -> MemberInput {
    let p = if official { Person::official(admitted) } else { Person::probationary(admitted) };
    MemberInput { family_name: "Hoàng".into(), birth_date: date!(1960 - 03 - 10), ..member_input(given, cell, p) }
}

fn candidate(cell: Uuid, introducers: &[Uuid]) -> CandidateInput {
    CandidateInput {
        org_id: cell,
        family_name: "Lò".into(),
        middle_name: "Thị".into(),
        given_name: "Xuân".into(),
        birth_date: date!(2001 - 08 - 19),
        gender: Gender::Female,
        ethnicity_code: 3,
        citizen_id: None,
        course_certificate_on: Some(date!(2025 - 03 - 01)),
        application_on: date!(2025 - 04 - 01),
        introducers: introducers
            .iter()
            .map(|id| IntroducerInput { member_id: *id, known_since: Some(date!(2023 - 01 - 01)) })
            .collect(),
        youth_union_resolution_on: None,
        cell_resolution_on: Some(date!(2025 - 06 - 02)),
        cell_votes_for: Some(3),
        cell_vote_base: Some(3),
        base_resolution_on: Some(date!(2025 - 06 - 20)),
        decision_on: None,
        age_exception_approved: false,
    }
}

fn fields<T: std::fmt::Debug>(r: &Result<T, Problem>) -> Vec<String> {
    match r {
        Err(Problem::Invalid(v)) => v.errors.iter().map(|e| format!("{}:{}", e.field, e.code)).collect(),
        Err(Problem::Conflict(e)) => vec![format!("{}:{}", e.field, e.code)],
        other => vec![format!("{other:?}")],
    }
}

struct World {
    app: Chibo,
    cell: Uuid,
    other_cell: Uuid,
    officials: Vec<Uuid>,
    stranger: Uuid,
    staff: Viewer,
}

async fn world(db: &TestDb) -> World {
    let app = common::app(db);
    let c = Viewer::console();
    let p = app.create_org(&c, None, org_input("Đảng bộ Tỉnh Lai Châu", OrgKind::Provincial)).await.unwrap();
    let x = app.create_org(&c, Some(p.id), org_input("Đảng bộ Xã Sìn Hồ", OrgKind::Commune)).await.unwrap();
    let cell =
        app.create_org(&c, Some(x.id), org_input("Chi bộ bản Nậm Tăm", OrgKind::SubordinateCell)).await.unwrap().id;
    let y = app.create_org(&c, Some(p.id), org_input("Đảng bộ Xã Pa Tần", OrgKind::Commune)).await.unwrap();
    let other_cell =
        app.create_org(&c, Some(y.id), org_input("Chi bộ bản Pa", OrgKind::SubordinateCell)).await.unwrap().id;
    let mut officials = Vec::new();
    for (given, admitted) in
        [("An", date!(1990 - 11 - 07)), ("Bình", date!(1991 - 03 - 01)), ("Cường", date!(1991 - 06 - 01))]
    {
        officials.push(app.create_member(&c, member(given, cell, admitted, true)).await.unwrap().member.id);
    }
    let stranger =
        app.create_member(&c, member("Lạ", other_cell, date!(1995 - 01 - 01), true)).await.unwrap().member.id;
    let u = app.create_user(&c, "staff", "Cán bộ xã", "mat-khau-kiem-thu").await.unwrap();
    app.grant(&c, u.id, Role::Staff, x.id, None).await.unwrap();
    let staff = app.login("staff", "mat-khau-kiem-thu", Some("10.0.0.1")).await.unwrap().1;
    World { app, cell, other_cell, officials, stranger, staff }
}

#[tokio::test]
async fn a_candidate_is_admitted_from_a_checked_dossier() {
    for engine in engines() {
        let db = TestDb::new(engine).await.unwrap();
        let w = world(&db).await;
        let (app, v) = (&w.app, &w.staff);
        // An introducer outside the viewer's subtree does not exist for them.
        let r = app.create_candidate(v, candidate(w.cell, &[w.officials[0], w.stranger])).await;
        assert!(fields(&r).contains(&"introducers:introducer_not_found".to_string()), "{:?}", fields(&r));
        // A cell vote under two thirds of the official members is refused, naming the field.
        let mut weak = candidate(w.cell, &w.officials[..2]);
        weak.cell_votes_for = Some(1);
        let r = app.create_candidate(v, weak).await;
        assert!(fields(&r).iter().any(|f| f.starts_with("cell_votes_for")), "{:?}", fields(&r));
        // Nothing of the refused cases was written.
        assert!(app.candidates(v, w.cell, CandidateState::Open).await.unwrap().is_empty());
        // Outside the grant: not found.
        assert!(matches!(
            app.create_candidate(v, candidate(w.other_cell, &[w.stranger, w.stranger])).await,
            Err(Problem::Invalid(_)) | Err(Problem::NotFound)
        ));

        let mut with_cccd = candidate(w.cell, &w.officials[..2]);
        with_cccd.citizen_id = Some("001301123456".into());
        let created = app.create_candidate(v, with_cccd.clone()).await.unwrap();
        let id = created.candidate.id;
        // A second open dossier for the same citizen ID is refused, naming the field; the case
        // itself keeps its number when edited.
        let twice = app.create_candidate(v, with_cccd.clone()).await;
        assert_eq!(fields(&twice), ["citizen_id:candidate_duplicate"], "{twice:?}");
        let created = app.update_candidate(v, id, with_cccd, created.candidate.version).await.unwrap();
        // The cell's resolution of 02/06/2025 called for a decision within 60 working days.
        assert!(created.overdue, "no decision long after the deadline");
        let deadline = created.decision_deadline.unwrap();
        assert!(deadline > date!(2025 - 08 - 20) && deadline < date!(2025 - 09 - 15), "{deadline}");

        // The ceremony cannot precede the decision.
        let bad = AdmissionInput {
            ceremony_on: date!(2025 - 07 - 10),
            decision: Decision {
                number: Some("125-QĐ/ĐU".into()),
                body: Some("Đảng ủy xã".into()),
                signed_on: Some(date!(2025 - 07 - 15)),
            },
            version: created.candidate.version,
        };
        assert!(fields(&app.admit_candidate(v, id, &bad).await).contains(&"ceremony_on:ceremony_out_of_range".into()));
        let admission = AdmissionInput { ceremony_on: date!(2025 - 07 - 20), ..bad };
        let admitted = app.admit_candidate(v, id, &admission).await.unwrap();
        assert_eq!(admitted.candidate.state, CandidateState::Admitted);
        assert!(!admitted.overdue);
        let member_id = admitted.candidate.member_id.unwrap();
        let timeline = app.timeline(v, member_id).await.unwrap();
        assert_eq!(timeline.member.input.status, MemberStatus::Probationary);
        assert_eq!(timeline.member.input.admission_date, date!(2025 - 07 - 20));
        let first = &timeline.events[0].record.event;
        assert_eq!(first.kind, EventKind::Admitted);
        assert_eq!(first.decision.signed_on, Some(date!(2025 - 07 - 15)));
        // Party age counts from the decision.
        assert_eq!(timeline.history.age_from, Some(date!(2025 - 07 - 15)));
        // A closed case is not edited again, nor admitted twice.
        let again =
            app.admit_candidate(v, id, &AdmissionInput { version: admitted.candidate.version, ..admission }).await;
        assert!(fields(&again).contains(&"state:case_closed".into()), "{:?}", fields(&again));
        db.drop_db().await;
    }
}

#[tokio::test]
async fn probation_work_list_and_recognition_by_the_cells_vote() {
    for engine in engines() {
        let db = TestDb::new(engine).await.unwrap();
        let w = world(&db).await;
        let (app, v) = (&w.app, &w.staff);
        // Admitted 15/03/2024: probation ended 15/03/2025, long overdue by today.
        let mut young = member("Dự", w.cell, date!(2024 - 03 - 15), false);
        young.birth_date = date!(1998 - 10 - 20);
        let m = app.create_member(v, young).await.unwrap().member;
        let list = app.probation_worklist(v, w.cell).await.unwrap();
        assert_eq!(list.len(), 1);
        assert!(
            matches!(list[0].status, ProbationStatus::Overdue { ended_on, .. } if ended_on == date!(2025 - 03 - 15))
        );

        let mut recognition = ev(EventKind::Recognized, date!(2025 - 03 - 15));
        recognition.decision.signed_on = Some(date!(2025 - 04 - 20));
        // Two of four official members is not two thirds.
        recognition.detail.votes_for = Some(2);
        recognition.detail.vote_base = Some(4);
        let r = app.record_event(v, m.id, recognition.clone()).await;
        assert!(fields(&r).iter().any(|f| f.starts_with("votes_for")), "{:?}", fields(&r));
        // The effective date is the 12-month date, not the decision's.
        let mut late = recognition.clone();
        late.effective = date!(2025 - 04 - 20);
        late.detail.votes_for = Some(3);
        let r = app.record_event(v, m.id, late).await;
        assert!(fields(&r).contains(&"effective:official_date_not_end_of_probation".into()), "{:?}", fields(&r));
        recognition.detail.votes_for = Some(3);
        let t = app.record_event(v, m.id, recognition).await.unwrap();
        assert_eq!(t.member.input.status, MemberStatus::Official);
        assert_eq!(t.member.input.official_date, Some(date!(2025 - 03 - 15)));
        assert!(app.probation_worklist(v, w.cell).await.unwrap().is_empty());
        db.drop_db().await;
    }
}

#[tokio::test]
async fn badges_follow_party_age_net_of_gaps_and_are_never_awarded_twice() {
    for engine in engines() {
        let db = TestDb::new(engine).await.unwrap();
        let w = world(&db).await;
        let (app, v) = (&w.app, &w.staff);
        let (an, binh, cuong) = (w.officials[0], w.officials[1], w.officials[2]);
        // Bình and Cường were out of contact for 8 months.
        for m in [binh, cuong] {
            app.record_event(v, m, ev(EventKind::ContactLost, date!(2000 - 01 - 01))).await.unwrap();
            app.record_event(v, m, ev(EventKind::ContactRestored, date!(2000 - 09 - 01))).await.unwrap();
        }
        let names = |l: &chibo_access::BadgeList| -> Vec<(Uuid, Vec<i32>)> {
            l.items.iter().map(|i| (i.member_id, i.due.iter().map(|d| d.years).collect())).collect()
        };
        assert!(matches!(app.badge_worklist(v, w.cell, date!(2021 - 11 - 08)).await, Err(Problem::Invalid(_))));
        // 07/11/2021: An (1990-11-07) reached 30 years; Bình (1991-03-01 + 8 months = 2021-11-01) too;
        // Cường (1991-06-01 + 8 months = 2022-02-01) not yet.
        let l = app.badge_worklist(v, w.cell, date!(2021 - 11 - 07)).await.unwrap();
        let mut got = names(&l);
        got.sort();
        let mut want = vec![(an, vec![30]), (binh, vec![30])];
        want.sort();
        assert_eq!(got, want);
        // 03/02/2022: Cường's milestone has come.
        let l = app.badge_worklist(v, w.cell, date!(2022 - 02 - 03)).await.unwrap();
        assert!(names(&l).contains(&(cuong, vec![30])), "{:?}", names(&l));

        let award = AwardInput { years: 30, award_on: date!(2021 - 11 - 07), decision_number: None, ill: false };
        let r = app.award_badge(v, cuong, &award).await;
        assert!(fields(&r).contains(&"years:badge_not_due".into()), "{:?}", fields(&r));
        let badges = app.award_badge(v, an, &award).await.unwrap();
        assert_eq!(badges.len(), 1);
        let twice = app.award_badge(v, an, &AwardInput { award_on: date!(2022 - 02 - 03), ..award.clone() }).await;
        assert!(fields(&twice).contains(&"years:already_awarded".into()), "{:?}", fields(&twice));
        let l = app.badge_worklist(v, w.cell, date!(2022 - 02 - 03)).await.unwrap();
        assert!(!l.items.iter().any(|i| i.member_id == an), "An's badge is recorded");
        // Outside the grant: the stranger's cell is not listed, the stranger not awarded.
        assert!(matches!(app.badge_worklist(v, w.other_cell, date!(2021 - 11 - 07)).await, Err(Problem::NotFound)));
        assert!(matches!(app.award_badge(v, w.stranger, &award).await, Err(Problem::NotFound)));
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_member_received_from_elsewhere_counts_from_the_arrival() {
    for engine in engines() {
        let db = TestDb::new(engine).await.unwrap();
        let w = world(&db).await;
        let (app, v) = (&w.app, &w.staff);
        let arrival = chibo_access::Arrival {
            on: date!(2024 - 05 - 10),
            from_place: "Đảng bộ Phường Ba Đình, Thành phố Hà Nội".into(),
            decision: Decision {
                number: Some("88-QĐ/ĐU".into()), body: None, signed_on: Some(date!(2024 - 05 - 02))
            },
        };
        let mut early = arrival.clone();
        early.on = date!(1980 - 01 - 01);
        let r = app.receive_member(v, member("Đến", w.cell, date!(2001 - 02 - 03), true), &early).await;
        assert!(fields(&r).contains(&"arrival.on:arrival_out_of_range".into()), "{:?}", fields(&r));
        let m =
            app.receive_member(v, member("Đến", w.cell, date!(2001 - 02 - 03), true), &arrival).await.unwrap().member;
        assert_eq!(m.input.status, MemberStatus::Official);
        assert_eq!(m.input.admission_date, date!(2001 - 02 - 03));
        let t = app.timeline(v, m.id).await.unwrap();
        let kinds: Vec<EventKind> = t.events.iter().map(|e| e.record.event.kind).collect();
        assert_eq!(kinds, vec![EventKind::Admitted, EventKind::Recognized, EventKind::TransferredIn]);
        assert!(t.history.gaps.is_empty(), "time elsewhere is not a gap: {:?}", t.history.gaps);
        // The cell counted the three founders before the arrival, four after.
        let before = app.org_on(v, w.cell, date!(2024 - 05 - 09)).await.unwrap();
        let after = app.org_on(v, w.cell, date!(2024 - 05 - 10)).await.unwrap();
        assert_eq!((before.tally.members, after.tally.members), (3, 4));
        db.drop_db().await;
    }
}
