//! An organisation's discipline on every engine: decided by the commune's inspection committee
//! on one of its cells, it becomes a dated `disciplined` event of the cell's history; the appeal
//! answered by the province annuls it with a `discipline_voided` event naming it (the history
//! keeps both); while in force it raises the commune's "sub-units disciplined" in the annual
//! review to what the records hold, whatever was typed.

use crate::common;

use chibo_access::domain::access::Role;
use chibo_access::domain::inspection::{AppealOutcome, CaseKind, Finding, Penalty};
use chibo_access::domain::org::OrgKind;
use chibo_access::domain::review::Level;
use chibo_access::{
    AnswerInput, AppealInput, CaseInput, ConclusionInput, DISCIPLINE_VOIDED, DISCIPLINED, DisciplineInput,
    OrgSelfInput, ProposalInput, RoundInput,
};
use common::{Env, d, each_engine};

fn year_2026() -> RoundInput {
    common::year_round(2026)
}

/// A case on the first of a commune's two cells, concluded and its discipline proposed, with
/// the ballot that decides it.
struct Proposed {
    province: chibo_access::Org,
    commune: chibo_access::Org,
    cells: [chibo_access::Org; 2],
    ins: chibo_access::Viewer,
    province_ins: chibo_access::Viewer,
    case_id: uuid::Uuid,
    ballot: DisciplineInput,
}

async fn proposed(env: &Env) -> Proposed {
    let province = env.org(None, "Đảng bộ tỉnh Hà Tĩnh", OrgKind::Provincial).await;
    let commune = env.org(Some(&province), "Đảng bộ xã Kỳ Anh", OrgKind::Commune).await;
    let cells = [
        env.org(Some(&commune), "Chi bộ thôn Một", OrgKind::SubordinateCell).await,
        env.org(Some(&commune), "Chi bộ thôn Hai", OrgKind::SubordinateCell).await,
    ];
    let ins = env.user(Role::Inspector, &commune).await;
    let province_ins = env.user(Role::Inspector, &province).await;
    let input = CaseInput {
        kind: CaseKind::InspectOrgSigns,
        mode: None,
        by_inspection: true,
        subject_org_id: Some(cells[0].id),
        subject_member_id: None,
        decision_number: "09-QĐ/UBKT".into(),
        decided_on: d(2026, 3, 2),
        team: "Tổ kiểm tra".into(),
        content: "Dấu hiệu vi phạm trong quản lý tài chính".into(),
        due_on: d(2026, 4, 30),
        item_id: None,
    };
    let case = env.app.decide_case(&ins, commune.id, &input).await.unwrap();
    let conclusion = ConclusionInput {
        on: d(2026, 4, 20),
        finding: Finding::DisciplineWarranted,
        strengths: String::new(),
        shortcomings: String::new(),
        violations: "Buông lỏng lãnh đạo".into(),
        violated_on: Some(d(2025, 11, 1)),
        level: Some(Penalty::Warning),
        grave: None,
        recommendations: Vec::new(),
    };
    env.app.conclude_case(&ins, case.id, &conclusion).await.unwrap();
    let proposal =
        ProposalInput { form: Penalty::Reprimand, on: d(2026, 5, 4), reason: "Buông lỏng lãnh đạo".into() };
    env.app.propose_discipline(&ins, case.id, &proposal).await.unwrap();
    let ballot = DisciplineInput {
        members: 5,
        votes: vec![(Penalty::Reprimand, 4)],
        votes_none: 1,
        decision_number: "12-QĐ/UBKT".into(),
        decided_on: d(2026, 5, 20),
        received_on: d(2026, 5, 22),
    };
    Proposed { province, commune, cells, ins, province_ins, case_id: case.id, ballot }
}

async fn an_organisation_disciplined(env: &Env) {
    let Proposed { province, commune, cells, ins, province_ins, case_id, ballot } = proposed(env).await;
    let disc = env.app.decide_discipline(&ins, case_id, &ballot).await.unwrap();

    // The cell's history: the discipline, dated, with its decision and form, read by whoever
    // may read the cell.
    let history = env.app.org_history(&env.c, cells[0].id).await.unwrap();
    let ev = history.iter().find(|l| l.event.kind == DISCIPLINED).expect("the discipline event");
    assert_eq!(Some(ev.event.id), disc.event_id);
    assert_eq!((ev.event.effective, ev.event.decision_number.as_deref()), (d(2026, 5, 20), Some("12-QĐ/UBKT")));
    assert_eq!((ev.form.as_deref(), ev.voided_by), (Some("reprimand"), None));
    assert!(env.app.org_history(&env.c, cells[1].id).await.unwrap().iter().all(|l| l.event.kind != DISCIPLINED));

    // The annual review: one of two sub-units disciplined (over 20%), whatever was typed.
    let round = env.app.open_review(&env.c, province.id, &year_2026()).await.unwrap();
    let typed = OrgSelfInput { level: Some(Level::Good), sub_units_disciplined: 0, version: 1, ..Default::default() };
    let line = env.app.org_self_assess(&env.c, round.id, commune.id, &typed).await.unwrap();
    assert_eq!((line.sub_units, line.sub_units_disciplined), (2, 1));

    // The appeal, answered by the province: annulled, the event voided, the history keeps both.
    env.app.file_appeal(&ins, case_id, &AppealInput { filed_on: d(2026, 6, 1), content: String::new() }).await.unwrap();
    let answer = AnswerInput {
        outcome: AppealOutcome::Annulled,
        new_form: None,
        answer_number: "4-QĐ/UBKT".into(),
        answered_on: d(2026, 7, 15),
    };
    env.app.answer_appeal(&province_ins, case_id, &answer).await.unwrap();
    let history = env.app.org_history(&env.c, cells[0].id).await.unwrap();
    let kinds: Vec<&str> = history.iter().map(|l| l.event.kind.as_str()).filter(|k| k.contains("discipline")).collect();
    assert_eq!(kinds, [DISCIPLINED, DISCIPLINE_VOIDED]);
    let voiding = history.iter().find(|l| l.event.kind == DISCIPLINE_VOIDED).unwrap();
    assert_eq!(history.iter().find(|l| l.event.kind == DISCIPLINED).unwrap().voided_by, Some(voiding.event.id));
    assert_eq!(voiding.event.effective, d(2026, 7, 15));
    let f = env.app.inspection_figures(&env.c, commune.id, "year:2026").await.unwrap();
    assert!(f.disciplined_orgs.is_empty(), "{:?}", f.disciplined_orgs);
}

#[tokio::test]
async fn an_organisations_discipline_is_an_event_of_its_history() {
    each_engine(an_organisation_disciplined).await;
}

/// The discipline decided twice at once, the appeal filed twice, the answer given twice: each
/// written once (one event, one voiding), the other refused; the kept inspection figures equal
/// their recount.
async fn discipline_twice_at_once(env: &Env) {
    let Proposed { cells, ins, province_ins, case_id, ballot, .. } = proposed(env).await;
    let once = |out: &[chibo_access::Outcome<_>], what: &str| {
        assert_eq!(out.iter().filter(|o| o.is_ok()).count(), 1, "{what}");
        assert!(out.iter().all(|o| !matches!(o, Err(chibo_access::Problem::Unavailable(_)))), "{what}");
    };
    once(
        &crate::races::twice_at_once(|| {
            let (app, v, ballot) = (env.app.clone(), ins.clone(), ballot.clone());
            async move { app.decide_discipline(&v, case_id, &ballot).await.map(|_| ()) }
        })
        .await,
        "decided",
    );
    let appeal = AppealInput { filed_on: d(2026, 6, 1), content: String::new() };
    once(
        &crate::races::twice_at_once(|| {
            let (app, v, appeal) = (env.app.clone(), ins.clone(), appeal.clone());
            async move { app.file_appeal(&v, case_id, &appeal).await.map(|_| ()) }
        })
        .await,
        "appealed",
    );
    let answer = AnswerInput {
        outcome: AppealOutcome::Annulled,
        new_form: None,
        answer_number: "4-QĐ/UBKT".into(),
        answered_on: d(2026, 7, 15),
    };
    once(
        &crate::races::twice_at_once(|| {
            let (app, v, answer) = (env.app.clone(), province_ins.clone(), answer.clone());
            async move { app.answer_appeal(&v, case_id, &answer).await.map(|_| ()) }
        })
        .await,
        "answered",
    );
    let history = env.app.org_history(&env.c, cells[0].id).await.unwrap();
    let kinds: Vec<&str> = history.iter().map(|l| l.event.kind.as_str()).filter(|k| k.contains("discipline")).collect();
    assert_eq!(kinds, [DISCIPLINED, DISCIPLINE_VOIDED]);
    let mut c = env.db.pools.read().await.unwrap();
    assert!(chibo_store::inspection_figures::recount(&mut c).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_discipline_and_its_appeal_twice_at_once_are_written_once() {
    each_engine(discipline_twice_at_once).await;
}
