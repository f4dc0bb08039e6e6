//! Inspection, supervision and discipline on every engine: a commune's programme, a case on a
//! cell and one on a member from the decision through the steps to the conclusion (one refused
//! past its limitation period with the dates), the discipline decided by ballot within the
//! body's competence becoming the member's event, the appeal filed in time and answered by the
//! province, annulling it (the event voided, the history keeping both); confidentiality against
//! every other role (the case's documents too); the figures and coverage equal to a recount from the raw rows after each
//! step; the work list; and the same decision or step taken twice at once written once.

use crate::common;

use chibo_access::domain::access::Role;
use chibo_access::domain::inspection::{AppealOutcome, CaseKind, Finding, Penalty, Step};
use chibo_access::domain::life::{DisciplineForm, Effect, EventKind};
use chibo_access::domain::org::OrgKind;
use chibo_access::{
    AnswerInput, AppealInput, CaseInput, CaseRole, ConclusionInput, Dated, DisciplineInput, InspectionFigures,
    ItemInput, Org, Problem, ProgrammeInput, ProposalInput, RecommendationInput, SelfReviewInput, StepInput, Viewer,
};
use chibo_store::db::sql;
use chibo_store::{inspection_figures, inspection_owed};
use common::{Env, PASSWORD, Person, assert_refused, d, each_engine};
use std::collections::{BTreeMap, BTreeSet};
use time::Date;
use uuid::Uuid;

fn case_input(kind: CaseKind, org: Option<Uuid>, member: Option<Uuid>, number: &str, on: Date, due: Date) -> CaseInput {
    CaseInput {
        kind,
        mode: None,
        by_inspection: true,
        subject_org_id: org,
        subject_member_id: member,
        decision_number: number.into(),
        decided_on: on,
        team: "Đồng chí Trưởng đoàn và 2 thành viên".into(),
        content: "Việc chấp hành Điều lệ Đảng".into(),
        due_on: due,
        item_id: None,
    }
}

fn step(s: Step, on: Date) -> StepInput {
    StepInput { step: s, on, note: String::new() }
}

fn conclusion(on: Date, finding: Finding) -> ConclusionInput {
    ConclusionInput {
        on,
        finding,
        strengths: "Chấp hành nghiêm".into(),
        shortcomings: String::new(),
        violations: String::new(),
        violated_on: None,
        level: None,
        grave: None,
        recommendations: Vec::new(),
    }
}

/// An account linked to a member record (the member role).
async fn member_account(env: &Env, cell: &Org, member: Uuid) -> Viewer {
    let u = env.app.create_user(&env.c, "dangvien-an", "Nguyễn An", PASSWORD).await.unwrap();
    env.app.grant(&env.c, u.id, Role::Member, cell.id, Some(member)).await.unwrap();
    env.app.login("dangvien-an", PASSWORD, Some("10.0.0.2")).await.unwrap().1
}

/// The figures recounted from the raw rows another way: every case with its subject's and its
/// decider's current paths, its discipline, grouped by hand for the subtree at `path`.
#[derive(Debug, Default, PartialEq, Eq)]
struct Recount {
    kinds: BTreeMap<String, (i64, i64, i64, i64)>,
    disciplined_members: BTreeMap<String, i64>,
    covered: i64,
    owed: i64,
}

async fn recount(env: &Env, path: &str, year: i32) -> Recount {
    #[derive(sqlx::FromRow)]
    struct Row {
        kind: String,
        result: String,
        subject: String,
        subject_path: String,
        decider_path: String,
        decider: Uuid,
        subject_org_id: Uuid,
        covers: bool,
        decided_on: Date,
        form_in_force: Option<String>,
        disciplined_on: Option<Date>,
    }
    let mut c = env.db.pools.read().await.unwrap();
    let rows: Vec<Row> = sql(
        "SELECT c.kind, c.result, c.subject, s.path AS subject_path, o.path AS decider_path, c.org_id AS decider, \
         c.subject_org_id, c.covers, c.decided_on, d.form_in_force, d.decided_on AS disciplined_on \
         FROM inspection_cases c JOIN orgs s ON s.id = c.subject_org_id JOIN orgs o ON o.id = c.org_id \
         LEFT JOIN inspection_disciplines d ON d.case_id = c.id",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    let mut out = Recount::default();
    let mut pairs = BTreeSet::new();
    for r in rows {
        let inside = |p: &str| p.starts_with(path);
        if r.decided_on.year() == year && inside(&r.subject_path) {
            let k = out.kinds.entry(r.kind.clone()).or_default();
            if r.subject == "member" {
                k.1 += 1
            } else {
                k.0 += 1
            }
            if r.result == "open" { k.2 += 1 } else { k.3 += 1 }
        }
        if r.covers && r.decided_on.year() == year && inside(&r.decider_path) {
            pairs.insert((r.decider, r.subject_org_id));
        }
        if let (Some(f), Some(on)) = (r.form_in_force, r.disciplined_on)
            && on.year() == year
            && inside(&r.subject_path)
            && r.subject == "member"
        {
            *out.disciplined_members.entry(f).or_default() += 1;
        }
    }
    out.covered = pairs.len() as i64;
    // Owed: the organisations strictly under the path now, active, not party groups.
    let orgs: Vec<(String, String, Option<Date>)> =
        sql("SELECT path, kind, dissolved_on FROM orgs").fetch_all(&mut c).await.unwrap();
    out.owed = orgs
        .iter()
        .filter(|(p, kind, gone)| p.starts_with(path) && p != path && kind != "party_group" && gone.is_none())
        .count() as i64;
    out
}

fn kept(f: &InspectionFigures) -> Recount {
    Recount {
        kinds: f.kinds.iter().map(|k| (k.kind.clone(), (k.orgs, k.members, k.open, k.concluded))).collect(),
        disciplined_members: f.disciplined_members.iter().cloned().collect(),
        covered: f.coverage_subtree.covered as i64,
        owed: f.coverage_subtree.owed as i64,
    }
}

/// The kept figures of each organisation equal the recount, and `chibo check`'s recount agrees.
async fn assert_figures(env: &Env, orgs: &[&Org], what: &str) {
    for o in orgs {
        let f = env.app.inspection_figures(&env.c, o.id, "year:2026").await.unwrap();
        assert_eq!(kept(&f), recount(env, &o.path, 2026).await, "{what}: {}", o.input.name);
    }
    let mut c = env.db.pools.read().await.unwrap();
    assert!(inspection_figures::recount(&mut c).await.unwrap().is_empty(), "{what}");
    assert_eq!(inspection_owed::recount(&mut c).await.unwrap(), Vec::new(), "{what}");
    drop(c);
    // The loader's count from nothing, one subject organisation a pass, gives the same figures
    // (in a transaction rolled back).
    let mut tx = env.db.pools.begin().await.unwrap();
    sql("DELETE FROM inspection_counts").execute(&mut tx).await.unwrap();
    inspection_figures::count_in_passes(&mut tx, 1).await.unwrap();
    assert!(inspection_figures::recount(&mut tx).await.unwrap().is_empty(), "{what}: counted in passes");
}

fn hidden<T: std::fmt::Debug>(r: Result<T, Problem>, who: &str) {
    assert!(matches!(r, Err(Problem::NotFound)), "{who} must not see the case: {r:?}");
}

async fn a_case_from_decision_to_appeal(env: &Env) {
    let province = env.org(None, "Đảng bộ tỉnh Quảng Nam", OrgKind::Provincial).await;
    let commune = env.org(Some(&province), "Đảng bộ xã Quế Lộc", OrgKind::Commune).await;
    let other = env.org(Some(&province), "Đảng bộ xã Quế Sơn", OrgKind::Commune).await;
    let other_cell = env.org(Some(&other), "Chi bộ thôn Phú Lộc", OrgKind::SubordinateCell).await;
    let mut cells = Vec::new();
    for n in ["Chi bộ thôn Đông An", "Chi bộ thôn Tây An", "Chi bộ thôn Nam An"] {
        cells.push(env.org(Some(&commune), n, OrgKind::SubordinateCell).await);
    }
    let an = env.member(&cells[0], "An", Person::official(d(2010, 5, 19))).await;
    env.member(&cells[0], "Bình", Person::official(d(2012, 5, 19))).await;
    env.member(&other_cell, "Chi", Person::official(d(2012, 5, 19))).await;
    let all = [&province, &commune, &cells[0], &other];

    let ins = env.user(Role::Inspector, &commune).await;
    let province_ins = env.user(Role::Inspector, &province).await;
    let others = [
        ("admin", env.user(Role::Admin, &province).await),
        ("staff", env.user(Role::Staff, &commune).await),
        ("other inspector", env.user(Role::Inspector, &other).await),
        ("province inspector", province_ins.clone()),
        ("cell secretary", env.user(Role::Secretary, &cells[0]).await),
        ("member", member_account(env, &cells[0], an.id).await),
    ];

    // The programme: three cells planned in March, May and November.
    let items = [(0, 3), (1, 5), (2, 11)].map(|(i, m)| ItemInput {
        subject_org_id: Some(cells[i].id),
        subject_member_id: None,
        content: "Thực hiện nghị quyết".into(),
        planned_month: m,
    });
    let prog = ProgrammeInput {
        year: 2026,
        kind: "inspection".into(),
        title: "Chương trình kiểm tra năm 2026".into(),
        items: items.to_vec(),
    };
    let p = env.app.create_programme(&ins, commune.id, &prog).await.unwrap();
    assert!(matches!(env.app.create_programme(&ins, commune.id, &prog).await, Err(Problem::Conflict(_))));
    for (who, v) in &others {
        hidden(env.app.create_programme(v, commune.id, &prog).await, who);
    }
    let (_, programmes) = env.app.programmes(&ins, commune.id).await.unwrap();
    let first_item = programmes[0].items[0].0.id;
    assert_eq!(programmes[0].programme.id, p.id);

    // Case A: the cell, from the programme.
    let mut a_in =
        case_input(CaseKind::InspectOrg, Some(cells[0].id), None, "01-QĐ/UBKT", d(2026, 3, 2), d(2026, 4, 30));
    a_in.item_id = Some(first_item);
    let a = env.app.decide_case(&ins, commune.id, &a_in).await.unwrap();
    assert!(a.covers);
    let again = env.app.decide_case(&ins, commune.id, &a_in).await;
    assert!(matches!(&again, Err(Problem::Conflict(e)) if e.field == "decision_number"), "{again:?}");
    let wrong = case_input(CaseKind::InspectOrg, None, Some(an.id), "09-QĐ/UBKT", d(2026, 3, 2), d(2026, 4, 30));
    assert_refused(
        &env.app.decide_case(&ins, commune.id, &wrong).await,
        "subject_member_id",
        Some("subject_not_for_kind"),
    );
    let outside =
        case_input(CaseKind::InspectOrg, Some(other_cell.id), None, "09-QĐ/UBKT", d(2026, 3, 2), d(2026, 4, 30));
    assert_refused(&env.app.decide_case(&ins, commune.id, &outside).await, "subject_org_id", Some("not_found"));
    assert_figures(env, &all, "case A decided").await;

    // Case B: a member on signs of violation.
    let b_in = case_input(CaseKind::InspectMemberSigns, None, Some(an.id), "02-QĐ/UBKT", d(2026, 5, 4), d(2026, 6, 30));
    let b = env.app.decide_case(&ins, commune.id, &b_in).await.unwrap();
    assert!(!b.covers);
    for (who, v) in &others {
        hidden(env.app.case(v, b.id).await, who);
        hidden(env.app.case(v, a.id).await, who);
        hidden(env.app.cases_of(v, commune.id, Some(2026)).await.map(|x| x.1.len()), who);
        hidden(env.app.take_step(v, b.id, &step(Step::Announcement, d(2026, 5, 6))).await, who);
    }
    assert!(env.app.my_cases(&others[5].1).await.unwrap().is_empty(), "not before the conclusion");
    // Its documents: the deciding body attaches them; every other role finds neither the list,
    // the file nor a way to write.
    let doc = env.app.attach_case_document(&ins, b.id, "Đơn phản ánh.pdf", b"%PDF-1.4 ...").await.unwrap();
    assert_eq!(doc.content_type, "application/pdf");
    assert_refused(&env.app.attach_case_document(&ins, b.id, "x.exe", b"MZ").await, "file", Some("type_not_allowed"));
    for (who, v) in &others {
        hidden(env.app.case_documents(v, b.id).await, who);
        hidden(env.app.case_document(v, doc.id).await, who);
        hidden(env.app.attach_case_document(v, b.id, "x.txt", b"x").await, who);
        hidden(env.app.delete_case_document(v, doc.id).await, who);
    }
    assert_eq!(env.app.case_document(&ins, doc.id).await.unwrap().1, b"%PDF-1.4 ...");

    // Steps in order, dated, once.
    env.app.take_step(&ins, b.id, &step(Step::Announcement, d(2026, 5, 6))).await.unwrap();
    let twice = env.app.take_step(&ins, b.id, &step(Step::Announcement, d(2026, 5, 7))).await;
    assert!(matches!(&twice, Err(Problem::Conflict(e)) if e.code == "taken"), "{twice:?}");
    assert_refused(
        &env.app.take_step(&ins, b.id, &step(Step::Report, d(2026, 5, 5))).await,
        "on",
        Some("before_previous"),
    );
    env.app.take_step(&ins, b.id, &step(Step::Verification, d(2026, 6, 1))).await.unwrap();
    assert_refused(
        &env.app.take_step(&ins, b.id, &step(Step::Report, d(2026, 6, 2))).await,
        "step",
        Some("out_of_order"),
    );
    env.app.take_step(&ins, b.id, &step(Step::DraftConclusion, d(2026, 6, 10))).await.unwrap();

    // The conclusion: a reprimand-level violation of 2019 is past its 5 years.
    let mut concl = conclusion(d(2026, 6, 20), Finding::DisciplineWarranted);
    concl.violations = "Vi phạm quy định về những điều đảng viên không được làm".into();
    (concl.violated_on, concl.level) = (Some(d(2019, 1, 10)), Some(Penalty::Reprimand));
    let late = env.app.conclude_case(&ins, b.id, &concl).await;
    assert_refused(&late, "violated_on", Some("limitation_expired"));
    if let Err(Problem::Invalid(v)) = &late {
        let m = &v.errors[0].message_vi;
        assert!(m.contains("10/01/2019") && m.contains("09/01/2024") && m.contains("20/06/2026"), "{m}");
    }
    (concl.violated_on, concl.level) = (Some(d(2023, 2, 1)), Some(Penalty::Warning));
    concl.recommendations = vec![RecommendationInput {
        content: "Kiểm điểm trước chi bộ".into(),
        owner: "Chi bộ thôn Đông An".into(),
        deadline: d(2026, 8, 31),
    }];
    let concluded = env.app.conclude_case(&ins, b.id, &concl).await.unwrap();
    assert_eq!(concluded.result, "discipline");
    assert_figures(env, &all, "case B concluded").await;

    // Concluded: the member sees their case; nobody else does.
    let member = &others[5].1;
    assert_eq!(env.app.case(member, b.id).await.unwrap().role, CaseRole::Inspected);
    assert_eq!(env.app.my_cases(member).await.unwrap().len(), 1);
    for (who, v) in others.iter().take(5) {
        hidden(env.app.case(v, b.id).await, who);
    }
    assert!(matches!(
        env.app.take_step(member, b.id, &step(Step::Report, d(2026, 6, 2))).await,
        Err(Problem::Forbidden)
    ));

    // Discipline: proposal, self-review by the member, the ballot within competence.
    env.app
        .propose_discipline(
            &ins,
            b.id,
            &ProposalInput {
                form: Penalty::Warning,
                on: d(2026, 6, 22),
                reason: "Vi phạm những điều đảng viên không được làm".into(),
            },
        )
        .await
        .unwrap();
    env.app
        .record_self_review(member, b.id, &SelfReviewInput { on: d(2026, 6, 25), text: "Tôi nhận khuyết điểm".into() })
        .await
        .unwrap();
    let mut ballot = DisciplineInput {
        members: 7,
        votes: vec![(Penalty::Expulsion, 5), (Penalty::Warning, 1)],
        votes_none: 1,
        decision_number: "15-QĐ/UBKT".into(),
        decided_on: d(2026, 6, 30),
        received_on: d(2026, 7, 1),
    };
    assert_refused(&env.app.decide_discipline(&ins, b.id, &ballot).await, "form", Some("not_competent"));
    ballot.votes = vec![(Penalty::Warning, 2), (Penalty::Reprimand, 1)];
    ballot.votes_none = 4;
    assert_refused(&env.app.decide_discipline(&ins, b.id, &ballot).await, "votes", Some("no_majority"));
    ballot.votes = vec![(Penalty::Removal, 2), (Penalty::Warning, 3), (Penalty::Reprimand, 1)];
    ballot.votes_none = 1;
    // 2 for removal + 3 for warning = 5 of 7: a warning.
    let disc = env.app.decide_discipline(&ins, b.id, &ballot).await.unwrap();
    assert_eq!(disc.form_in_force.as_deref(), Some("warning"));
    let tl = env.app.timeline(&env.c, an.id).await.unwrap();
    let ev = tl.events.iter().find(|e| e.record.event.kind == EventKind::Disciplined).expect("the discipline event");
    assert_eq!((ev.record.event.detail.form, ev.effect), (Some(DisciplineForm::Warning), Effect::Applied));
    assert_eq!(Some(ev.record.event.id), disc.event_id);
    assert_figures(env, &all, "discipline decided").await;
    let f = env.app.inspection_figures(&env.c, province.id, "year:2026").await.unwrap();
    assert_eq!(f.disciplined_members, vec![("warning".to_string(), 1)]);

    // The appeal: late is refused with the dates; in time it goes to the province.
    let late =
        env.app.file_appeal(member, b.id, &AppealInput { filed_on: d(2026, 8, 5), content: String::new() }).await;
    assert_refused(&late, "filed_on", Some("appeal_late"));
    let appeal = env
        .app
        .file_appeal(member, b.id, &AppealInput { filed_on: d(2026, 7, 10), content: "Đề nghị xem xét lại".into() })
        .await
        .unwrap();
    assert_eq!((appeal.body_org_id, appeal.answer_by), (province.id, d(2026, 9, 8)));
    assert_eq!(env.app.case(&province_ins, b.id).await.unwrap().role, CaseRole::AppealBody);
    let (_, work) = env.app.inspection_work(&province_ins, province.id).await.unwrap();
    assert_eq!(work.appeals_waiting.len(), 1);
    assert!(matches!(
        env.app
            .answer_appeal(
                &ins,
                b.id,
                &AnswerInput {
                    outcome: AppealOutcome::Annulled,
                    new_form: None,
                    answer_number: "3-QĐ/UBKT".into(),
                    answered_on: d(2026, 8, 20)
                }
            )
            .await,
        Err(Problem::Forbidden)
    ));
    hidden(env.app.case(&others[0].1, b.id).await, "admin");
    env.app
        .answer_appeal(
            &province_ins,
            b.id,
            &AnswerInput {
                outcome: AppealOutcome::Annulled,
                new_form: None,
                answer_number: "3-QĐ/UBKT".into(),
                answered_on: d(2026, 8, 20),
            },
        )
        .await
        .unwrap();
    let tl = env.app.timeline(&env.c, an.id).await.unwrap();
    let effects: Vec<(EventKind, Effect)> = tl
        .events
        .iter()
        .map(|e| (e.record.event.kind, e.effect))
        .filter(|(k, _)| matches!(k, EventKind::Disciplined | EventKind::Voided))
        .collect();
    assert_eq!(effects.len(), 2, "the history keeps both: {effects:?}");
    assert!(effects.contains(&(EventKind::Disciplined, Effect::Voided)), "{effects:?}");
    assert_figures(env, &all, "appeal answered").await;
    let f = env.app.inspection_figures(&env.c, province.id, "year:2026").await.unwrap();
    assert!(f.disciplined_members.is_empty());

    // Case A concluded: the cell's secretary sees it, the member does not.
    env.app.conclude_case(&ins, a.id, &conclusion(d(2026, 4, 20), Finding::Shortcomings)).await.unwrap();
    assert_eq!(env.app.case(&others[4].1, a.id).await.unwrap().role, CaseRole::Inspected);
    hidden(env.app.case(member, a.id).await, "member");
    assert_figures(env, &all, "case A concluded").await;

    // Coverage: one cell of three under the commune (below 100%).
    let f = env.app.inspection_figures(&ins, commune.id, "year:2026").await.unwrap();
    assert_eq!((f.coverage_own.covered, f.coverage_own.owed), (1, 3));
    assert_eq!(f.children.iter().filter(|c| c.covered_by_parent).count(), 1);
    let term = env.app.inspection_figures(&ins, commune.id, "term:2025-07-01").await.unwrap();
    assert_eq!(term.coverage_own.covered, 1);
    let f = env.app.inspection_figures(&env.c, province.id, "year:2026").await.unwrap();
    assert_eq!((f.coverage_subtree.covered, f.coverage_subtree.owed), (1, 6));
    assert!(matches!(
        env.app.inspection_figures(member, commune.id, "year:2026").await,
        Err(Problem::NotFound | Problem::Forbidden)
    ));

    // The work list: the items not started, the recommendation overdue until done.
    let (_, work) = env.app.inspection_work(&ins, commune.id).await.unwrap();
    assert_eq!(work.items_not_started.len(), 2, "{:?}", work.items_not_started);
    assert_eq!(work.recommendations_overdue.len(), 1);
    let rec = work.recommendations_overdue[0].1.id;
    env.app.mark_recommendation(&ins, rec, Some(d(2026, 9, 2)), "Đã kiểm điểm").await.unwrap();
    let (_, work) = env.app.inspection_work(&ins, commune.id).await.unwrap();
    assert!(work.recommendations_overdue.is_empty());

    // The inspected cell moves to the other commune: its cases follow it in the figures, the
    // commune keeps what it covered.
    env.app.move_org_on(&env.c, cells[0].id, other.id, &Dated::on(common::today())).await.unwrap();
    let moved = env.org_now(cells[0].id).await;
    let (commune, other) = (env.org_now(commune.id).await, env.org_now(other.id).await);
    assert_figures(env, &[&province, &commune, &moved, &other], "after the move").await;
    let f = env.app.inspection_figures(&env.c, other.id, "year:2026").await.unwrap();
    assert_eq!(f.total_cases, 2);
    let f = env.app.inspection_figures(&env.c, commune.id, "year:2026").await.unwrap();
    assert_eq!((f.coverage_own.owed, f.coverage_subtree.owed), (2, 2));

    // A new cell and a party group under it are owed, the group not; a dissolved cell no longer.
    let new_cell = env.org(Some(&commune), "Chi bộ thôn Bắc An", OrgKind::SubordinateCell).await;
    env.org(Some(&new_cell), "Tổ đảng 1", OrgKind::PartyGroup).await;
    let f = env.app.inspection_figures(&env.c, province.id, "year:2026").await.unwrap();
    assert_eq!(f.coverage_subtree.owed, 7);
    env.app.dissolve_org(&env.c, cells[2].id, &Dated::on(common::today())).await.unwrap();
    let (commune, other) = (env.org_now(commune.id).await, env.org_now(other.id).await);
    assert_figures(env, &[&province, &commune, &moved, &other], "after a new cell and a dissolution").await;
    let f = env.app.inspection_figures(&env.c, commune.id, "year:2026").await.unwrap();
    assert_eq!((f.coverage_own.owed, f.coverage_subtree.owed), (2, 2));
    assert_eq!(f.children.iter().map(|c| c.coverage.owed).sum::<u64>(), 0);
}

#[tokio::test]
async fn a_case_from_decision_to_conclusion_to_discipline_to_appeal() {
    each_engine(a_case_from_decision_to_appeal).await;
}

/// The same decision and the same step taken twice at once are written once; the loser is a 409.
async fn twice_at_once(env: &Env) {
    let province = env.org(None, "Đảng bộ tỉnh Sơn La", OrgKind::Provincial).await;
    let commune = env.org(Some(&province), "Đảng bộ xã Chiềng Cơi", OrgKind::Commune).await;
    let cell = env.org(Some(&commune), "Chi bộ bản Hìn", OrgKind::SubordinateCell).await;
    let input =
        case_input(CaseKind::SuperviseThematic, Some(cell.id), None, "07-QĐ/ĐU", d(2026, 9, 1), d(2026, 10, 30));
    let out = crate::races::twice_at_once(|| {
        let (app, c, input, org) = (env.app.clone(), env.c.clone(), input.clone(), commune.id);
        async move { app.decide_case(&c, org, &input).await }
    })
    .await;
    assert_eq!(out.iter().filter(|o| o.is_ok()).count(), 1, "{out:?}");
    assert!(out.iter().any(|o| matches!(o, Err(Problem::Conflict(_)))), "{out:?}");
    let case = out.into_iter().find_map(Result::ok).unwrap();
    let out = crate::races::twice_at_once(|| {
        let (app, c, id) = (env.app.clone(), env.c.clone(), case.id);
        async move { app.take_step(&c, id, &step(Step::Announcement, d(2026, 9, 3))).await }
    })
    .await;
    assert_eq!(out.iter().filter(|o| o.is_ok()).count(), 1, "{out:?}");
    assert!(out.iter().any(|o| matches!(o, Err(Problem::Conflict(_)))), "{out:?}");
    let mut c = env.db.pools.read().await.unwrap();
    assert_eq!(sql("SELECT COUNT(*) FROM inspection_cases").fetch_i64(&mut c).await.unwrap(), 1);
    assert!(inspection_figures::recount(&mut c).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_same_decision_or_step_twice_at_once_is_written_once() {
    each_engine(twice_at_once).await;
}

/// Conclusions of one body at once take different notice numbers (1, 2, 3 in the year); the
/// committee's own notices and another year's start from 1.
async fn notices_at_once(env: &Env) {
    let province = env.org(None, "Đảng bộ tỉnh Lai Châu", OrgKind::Provincial).await;
    let commune = env.org(Some(&province), "Đảng bộ xã Bình Lư", OrgKind::Commune).await;
    let mut cases = Vec::new();
    for i in 0..5 {
        let cell = env.org(Some(&commune), &format!("Chi bộ bản {i}"), OrgKind::SubordinateCell).await;
        let mut input =
            case_input(CaseKind::InspectOrg, Some(cell.id), None, &format!("{i}-QĐ"), d(2025, 3, 2), d(2025, 4, 30));
        input.by_inspection = i != 3;
        cases.push(env.app.decide_case(&env.c, commune.id, &input).await.unwrap());
    }
    let jobs: Vec<_> = cases[..3]
        .iter()
        .map(|case| {
            let (app, c, id) = (env.app.clone(), env.c.clone(), case.id);
            async move { app.conclude_case(&c, id, &conclusion(d(2025, 5, 2), Finding::Shortcomings)).await }
        })
        .collect();
    let out = crate::races::all_at_once(jobs).await;
    let mut numbers: Vec<(Option<i64>, Option<i64>)> =
        out.into_iter().map(|o| o.map(|c| (c.notice_year, c.notice_number)).unwrap()).collect();
    numbers.sort();
    assert_eq!(numbers, [(Some(2025), Some(1)), (Some(2025), Some(2)), (Some(2025), Some(3))]);
    let committee = env.app.conclude_case(&env.c, cases[3].id, &conclusion(d(2025, 5, 3), Finding::Good)).await;
    assert_eq!(committee.map(|c| c.notice_number).unwrap(), Some(1));
    let next_year = env.app.conclude_case(&env.c, cases[4].id, &conclusion(d(2026, 1, 5), Finding::Good)).await;
    assert_eq!(next_year.map(|c| (c.notice_year, c.notice_number)).unwrap(), (Some(2026), Some(1)));
}

#[tokio::test]
async fn conclusions_at_once_take_different_notice_numbers() {
    each_engine(notices_at_once).await;
}
