//! Inspection rows round-trip; the kept figures follow the cases and a tree change.

use super::*;
use chibo_domain::life::Link;
use chibo_store::inspection::{self as ins, Case, Discipline, StepRow};
use chibo_store::{history, inspection_figures as figs};
use time::OffsetDateTime;

fn now() -> OffsetDateTime {
    let t = OffsetDateTime::now_utc();
    t.replace_microsecond(t.microsecond()).unwrap_or(t)
}

fn link(o: &Org, parent: Option<&Org>) -> Link {
    Link { org_id: o.id, parent_id: parent.map(|p| p.id), name: o.input.name.clone(), from: None, to: None }
}

fn case(decider: &Org, subject_org: &Org, member: Option<Uuid>, number: &str) -> Case {
    Case {
        id: Uuid::now_v7(),
        org_id: decider.id,
        by_inspection: true,
        kind: if member.is_some() { "inspect_member_signs" } else { "inspect_org" }.into(),
        mode: None,
        subject: if member.is_some() { "member" } else { "org" }.into(),
        subject_org_id: subject_org.id,
        subject_member_id: member,
        covers: member.is_none(),
        decision_number: number.into(),
        decided_on: date!(2026 - 03 - 02),
        team: "Tổ kiểm tra".into(),
        content: "Việc thực hiện nhiệm vụ".into(),
        due_on: date!(2026 - 04 - 30),
        item_id: None,
        result: "open".into(),
        violated_on: None,
        violation_level: None,
        grave: None,
        strengths: String::new(),
        shortcomings: String::new(),
        violations: String::new(),
        concluded_on: None,
        by_name: "Tester".into(),
        created_at: now(),
        version: 1,
        notice_year: None,
        notice_number: None,
    }
}

fn n(
    f: &std::collections::HashMap<Uuid, std::collections::BTreeMap<(String, String), i64>>,
    org: Uuid,
    m: &str,
    c: &str,
) -> i64 {
    f.get(&org).and_then(|x| x.get(&(m.to_string(), c.to_string()))).copied().unwrap_or(0)
}

pub(super) async fn inspection_rows_and_figures(db: &TestDb) {
    let (province, commune, cell_a, cell_b, other) = small_tree(db).await;
    let mut tx = db.pools.begin().await.unwrap();
    let links = [
        link(&province, None),
        link(&commune, Some(&province)),
        link(&cell_a, Some(&commune)),
        link(&cell_b, Some(&commune)),
        link(&other, Some(&province)),
    ];
    history::insert_links(&mut tx, &links).await.unwrap();
    let m1 = add_member(&mut tx, &cell_a, &member("Ngô", "", "Quyền", cell_a.id)).await;
    let on_cell = case(&commune, &cell_a, None, "01-QĐ/UBKT");
    let on_member = case(&commune, &cell_a, Some(m1), "02-QĐ/UBKT");
    let again = case(&commune, &cell_a, None, "03-QĐ/UBKT");
    for c in [&on_cell, &on_member, &again] {
        let d = figs::pair_detach(&mut tx, c.org_id, c.subject_org_id).await.unwrap();
        ins::insert_case(&mut tx, c).await.unwrap();
        figs::attach(&mut tx, &d).await.unwrap();
    }
    let steps = [
        StepRow {
            case_id: on_member.id,
            step: "decision".into(),
            seq: 0,
            deadline: None,
            taken_on: Some(on_member.decided_on),
            note: String::new(),
            by_name: Some("Tester".into()),
        },
        StepRow {
            case_id: on_member.id,
            step: "conclusion".into(),
            seq: 5,
            deadline: Some(on_member.due_on),
            taken_on: None,
            note: String::new(),
            by_name: None,
        },
    ];
    ins::insert_steps(&mut tx, &steps).await.unwrap();
    assert_eq!(
        ins::take_step(&mut tx, on_member.id, "conclusion", date!(2026 - 04 - 20), "", "Tester").await.unwrap(),
        1
    );
    assert_eq!(
        ins::take_step(&mut tx, on_member.id, "conclusion", date!(2026 - 04 - 21), "", "Tester").await.unwrap(),
        0
    );
    // Concluded with discipline, decided: the case's result and the form move.
    let d = figs::pair_detach(&mut tx, commune.id, cell_a.id).await.unwrap();
    let mut concluded = ins::case_by_id(&mut tx, on_member.id).await.unwrap().unwrap();
    (concluded.result, concluded.concluded_on) = ("discipline".into(), Some(date!(2026 - 04 - 20)));
    assert_eq!(ins::save_conclusion(&mut tx, &concluded).await.unwrap(), 1);
    assert_eq!(ins::save_conclusion(&mut tx, &concluded).await.unwrap(), 0, "stale version");
    let disc = Discipline {
        id: Uuid::now_v7(),
        case_id: on_member.id,
        proposed_form: "warning".into(),
        proposed_on: date!(2026 - 04 - 21),
        reason: "Vi phạm".into(),
        self_review_on: None,
        self_review: String::new(),
        body_members: Some(7),
        votes: "warning:5".into(),
        votes_none: Some(2),
        decided_form: Some("warning".into()),
        decision_number: Some("05-QĐ/ĐU".into()),
        decided_on: Some(date!(2026 - 05 - 02)),
        received_on: Some(date!(2026 - 05 - 03)),
        form_in_force: Some("warning".into()),
        event_id: None,
        by_name: "Tester".into(),
        created_at: now(),
        version: 1,
    };
    ins::insert_discipline(&mut tx, &disc).await.unwrap();
    let mut saved = ins::discipline_of_case(&mut tx, on_member.id).await.unwrap().unwrap();
    assert_eq!(saved, disc);
    saved.self_review = "Nhận khuyết điểm".into();
    assert_eq!(ins::save_discipline(&mut tx, &saved).await.unwrap(), 1);
    figs::attach(&mut tx, &d).await.unwrap();
    tx.commit().await.unwrap();

    let mut c = db.pools.read().await.unwrap();
    let f = figs::figures(&mut c, "year:2026", &[province.id, commune.id, cell_a.id, other.id]).await.unwrap();
    assert_eq!(n(&f, province.id, "case", "inspect_org|open|org"), 2);
    assert_eq!(n(&f, cell_a.id, "case", "inspect_member_signs|discipline|member"), 1);
    assert_eq!(n(&f, province.id, "disciplined", "member|warning"), 1);
    // Two cases on cell A cover it once; the commune and the province see it.
    assert_eq!(
        (n(&f, commune.id, "covered", ""), n(&f, province.id, "covered", ""), n(&f, cell_a.id, "covered", "")),
        (1, 1, 0)
    );
    assert!(!f.contains_key(&other.id));
    let t = figs::figures(&mut c, "term:2025-07-01", &[commune.id]).await.unwrap();
    assert_eq!(n(&t, commune.id, "covered", ""), 1);
    assert!(figs::recount(&mut c).await.unwrap().is_empty());
    assert_eq!(ins::steps_of(&mut c, on_member.id).await.unwrap()[1].taken_on, Some(date!(2026 - 04 - 20)));
    drop(c);

    // Cell A moves to the other commune: its cases follow it, the commune keeps its coverage.
    let mut tx = db.pools.begin().await.unwrap();
    let d = figs::detach(&mut tx, &cell_a.path).await.unwrap();
    history::delete_links_of(&mut tx, &[cell_a.id]).await.unwrap();
    history::insert_links(&mut tx, &[link(&cell_a, Some(&other))]).await.unwrap();
    figs::attach(&mut tx, &d).await.unwrap();
    tx.commit().await.unwrap();
    let mut c = db.pools.read().await.unwrap();
    let f = figs::figures(&mut c, "year:2026", &[commune.id, other.id]).await.unwrap();
    assert_eq!(n(&f, other.id, "case", "inspect_org|open|org"), 2);
    assert_eq!(n(&f, commune.id, "case", "inspect_org|open|org"), 0);
    assert_eq!(n(&f, commune.id, "covered", ""), 1);
    assert!(figs::recount(&mut c).await.unwrap().is_empty());
}
