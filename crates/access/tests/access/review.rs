//! The annual review on every engine: a commune's round from the self-assessment (through the
//! member's own account) to the decision, with a cap from the record, a sick-leave cap, the
//! quota refused with its numbers, a decision corrected by a new one, organisations decided,
//! a plan carried into the next round, the figures equal to a full recount written another way
//! after every step (and following a move of a cell), and the access matrix.

use crate::common;

use chibo_access::domain::access::Role;
use chibo_access::domain::life::{DisciplineForm, EventKind};
use chibo_access::domain::org::OrgKind;
use chibo_access::domain::review::sheet::DEFAULT_LINES;
use chibo_access::domain::review::{ItemState, Level, Outcome, Part, RoundKind, RoundStatus, Subject, Tally};
use chibo_access::{
    CellOpinionInput, CorrectionInput, Dated, DecisionInput, DecisionLine, OpinionLine, Org, OrgSelfInput, PlanInput,
    PlanItemInput, Problem, ReviewSettingsInput, Round, RoundInput, SelfAssessmentInput, Viewer,
};
use chibo_store::{review, review_figures};
use common::{Env, PASSWORD, Person, With, assert_refused, d, each_engine, ev, today};
use std::collections::{BTreeMap, HashMap};
use time::{Date, Duration};
use uuid::Uuid;

fn year(y: i32) -> RoundInput {
    common::year_round(y)
}

/// Points on the default sheet adding up to `general` and `tasks`.
fn points(general: u32, tasks: u32) -> BTreeMap<String, u32> {
    let mut left = [(Part::General, general), (Part::Tasks, tasks)];
    let mut out = BTreeMap::new();
    for l in DEFAULT_LINES {
        let rest = &mut left.iter_mut().find(|(p, _)| *p == l.part).map_or(0, |(_, r)| *r);
        let p = (*rest).min(l.points);
        for slot in left.iter_mut().filter(|(part, _)| *part == l.part) {
            slot.1 -= p;
        }
        out.insert(l.code.to_string(), p);
    }
    out
}

fn self_input(general: u32, tasks: u32, exceeded: u32, version: i64) -> SelfAssessmentInput {
    SelfAssessmentInput {
        scores: points(general, tasks),
        tasks_total: 10,
        tasks_on_time: 10,
        tasks_exceeded: exceeded,
        strengths: "Gương mẫu, nhiệt tình".into(),
        shortcomings: "Còn hạn chế trong nghiên cứu nghị quyết".into(),
        causes: "Công việc nhiều".into(),
        remedies: "Bố trí thời gian học tập".into(),
        level: None,
        version,
    }
}

fn opinion(member_id: Uuid, level: Option<Level>) -> OpinionLine {
    OpinionLine {
        member_id,
        level,
        comments: "Chi bộ thống nhất".into(),
        votes_for: 7,
        votes_against: 0,
        votes_abstain: 0,
        sick_leave_months: 0,
    }
}

fn decide(lines: Vec<(Uuid, Level)>) -> DecisionInput {
    DecisionInput {
        number: "45-QĐ/ĐU".into(),
        signed_on: d(2025, 12, 26),
        lines: lines
            .into_iter()
            .map(|(id, level)| DecisionLine { id, level, self_corrected: false, reason: String::new() })
            .collect(),
    }
}

/// The tree: a province with two communes; the first has three cells of 8, 7 and 5 members
/// (the last admitted in September 2025, so not rated), the second one cell of 2.
struct Tree {
    province: Org,
    commune: Org,
    cells: Vec<Org>,
    members: Vec<Vec<Uuid>>,
    other: Org,
    other_cell: Org,
}

async fn tree(env: &Env) -> Tree {
    let province = env.org(None, "Đảng bộ tỉnh Lào Cai", OrgKind::Provincial).await;
    let commune = env.org(Some(&province), "Đảng bộ xã Bảo Hà", OrgKind::Commune).await;
    let other = env.org(Some(&province), "Đảng bộ xã Bảo Thắng", OrgKind::Commune).await;
    let other_cell = env.org(Some(&other), "Chi bộ thôn Cốc Lếu", OrgKind::SubordinateCell).await;
    for g in ["Hải", "Hà"] {
        env.member(&other_cell, g, Person::official(d(2012, 3, 3))).await;
    }
    let names = ["An", "Bình", "Chi", "Dũng", "Giang", "Hùng", "Khoa", "Lan"];
    let mut cells = Vec::new();
    let mut members = Vec::new();
    for (i, n) in [8, 7, 5].into_iter().enumerate() {
        let cell = env.org(Some(&commune), &format!("Chi bộ thôn {}", i + 1), OrgKind::SubordinateCell).await;
        let mut ids = Vec::new();
        for (j, name) in names.iter().enumerate().take(n) {
            let p =
                if i == 2 && j == 4 { Person::probationary(d(2025, 9, 1)) } else { Person::official(d(2015, 1, 1)) };
            ids.push(env.member(&cell, name, p).await.id);
        }
        cells.push(cell);
        members.push(ids);
    }
    Tree { province, commune, cells, members, other, other_cell }
}

/// An account with the member role linked to `member`, logged in.
async fn member_account(env: &Env, cell: &Org, member: Uuid) -> Viewer {
    let name = format!("dv{}", member.simple());
    let u = env.app.create_user(&env.c, &name, &name, PASSWORD).await.expect("user");
    env.app.grant(&env.c, u.id, Role::Member, cell.id, Some(member)).await.expect("grant");
    env.app.login(&name, PASSWORD, Some("10.0.0.2")).await.expect("login").1
}

/// The kept figures of `orgs` for a round's period equal a recount written another way: the
/// lines of the round read by the current paths of the subtree (members with their cell,
/// organisations strictly below), and the store's own recount from the links is empty.
async fn assert_figures(env: &Env, r: &Round, orgs: &[&Org]) {
    let mut c = env.db.pools.read().await.unwrap();
    assert!(review_figures::recount(&mut c).await.unwrap().is_empty(), "recount");
    for o in orgs {
        let o = env.org_now(o.id).await;
        let mut want: BTreeMap<Subject, Tally> = BTreeMap::new();
        for l in review::member_lines_under(&mut c, r.id, &o.path).await.unwrap() {
            want.entry(Subject::Member).or_default().add(l.outcome, 1);
        }
        for l in review::org_lines_under(&mut c, r.id, &o.path).await.unwrap().into_iter().filter(|l| l.org_id != o.id)
        {
            want.entry(Subject::parse(&l.kind).unwrap()).or_default().add(l.outcome, 1);
        }
        let kept = env.app.review_figures(&env.c, o.id, &r.period).await.unwrap().tallies;
        let kept: BTreeMap<Subject, Tally> = kept.into_iter().filter(|(_, t)| t.total() != 0).collect();
        assert_eq!(kept, want, "{}", o.input.name);
    }
}

fn members_of(env_fig: &BTreeMap<Subject, Tally>) -> Tally {
    env_fig.get(&Subject::Member).copied().unwrap_or_default()
}

async fn a_communes_round(env: &Env) {
    let t = tree(env).await;
    let m = &t.members;
    // Disciplined in May 2025: capped at Không hoàn thành.
    env.record(
        m[0][1],
        ev(EventKind::Disciplined, d(2025, 5, 10)).form(DisciplineForm::Reprimand).signed(d(2025, 5, 10)),
    )
    .await
    .expect("discipline");
    let staff = env.user(Role::Staff, &t.commune).await;
    let secretaries: Vec<Viewer> = {
        let mut v = Vec::new();
        for c in &t.cells {
            v.push(env.user(Role::Secretary, c).await);
        }
        v
    };

    // A cell cannot open a round; the commune opens the 2025 round.
    assert_refused(&env.app.open_review(&secretaries[0], t.cells[0].id, &year(2025)).await, "org_id", None);
    let r = env.app.open_review(&staff, t.commune.id, &year(2025)).await.expect("open");
    assert_eq!((r.period.as_str(), r.quota_num, r.quota_den), ("year:2025", Some(20), Some(100)));
    assert!(r.rules_source.contains("366-QĐ/TW") && r.sheet.is_some());
    assert!(matches!(env.app.open_review(&env.c, t.province.id, &year(2025)).await, Err(Problem::Conflict(_))));
    let orgs = [&t.province, &t.commune, &t.cells[0], &t.cells[1], &t.cells[2], &t.other];
    assert_figures(env, &r, &orgs).await;
    let f = env.app.review_figures(&staff, t.commune.id, &r.period).await.unwrap();
    assert_eq!((members_of(&f.tallies).pending, members_of(&f.tallies).not_rated), (19, 1));

    // The member assesses themselves through their own account: 95 points with 3 of 10 tasks
    // exceeded gives xuất sắc; proposing more than the score allows is refused.
    let own = member_account(env, &t.cells[0], m[0][0]).await;
    // The homes: the member's round to assess oneself in, the cell's members waiting.
    let mine = env.app.own_reviews(&own).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert!(mine[0].round_id == r.id && mine[0].rated && !mine[0].self_assessed, "{mine:?}");
    let cell0 = env.app.cell_reviews(&secretaries[0], t.cells[0].id).await.unwrap();
    assert_eq!((cell0.len(), cell0[0].without_opinion, cell0[0].not_self_assessed), (1, m[0].len(), m[0].len()));
    assert!(matches!(env.app.cell_reviews(&secretaries[0], t.cells[1].id).await, Err(Problem::NotFound)));
    let mut over = self_input(24, 60, 5, 1);
    over.level = Some(Level::Excellent);
    assert_refused(&env.app.self_assess(&own, r.id, m[0][0], &over).await, "level", Some("level_over_score"));
    let line = env.app.self_assess(&own, r.id, m[0][0], &self_input(29, 66, 3, 1)).await.expect("self");
    assert_eq!((line.score, line.self_level.as_deref()), (Some(95), Some("excellent")));
    assert!(env.app.own_reviews(&own).await.unwrap()[0].self_assessed);
    let cell0 = env.app.cell_reviews(&secretaries[0], t.cells[0].id).await.unwrap();
    assert_eq!((cell0[0].without_opinion, cell0[0].not_self_assessed), (m[0].len(), m[0].len() - 1));
    assert!(matches!(
        env.app.self_assess(&own, r.id, m[0][1], &self_input(25, 60, 0, 1)).await,
        Err(Problem::NotFound)
    ));
    // The secretary enters the others'.
    for (i, cell) in m.iter().enumerate() {
        for id in cell.iter().filter(|id| **id != m[0][0]) {
            env.app
                .self_assess(&secretaries[i], r.id, *id, &self_input(25, 60, 0, 1))
                .await
                .expect("self by secretary");
        }
    }
    assert_figures(env, &r, &orgs).await;

    // The cell's opinion, from the review meeting; a level for the member not rated is refused.
    let rated = |i: usize| m[i].iter().copied().filter(|id| *id != m[2][4]);
    let mut lines: Vec<OpinionLine> = rated(0).map(|id| opinion(id, Some(Level::Good))).collect();
    lines[0].level = Some(Level::Excellent);
    lines[1].level = Some(Level::NotCompleted);
    env.app
        .cell_opinion(&secretaries[0], r.id, t.cells[0].id, &CellOpinionInput { meeting_id: None, lines })
        .await
        .expect("opinion 1");
    assert_eq!(env.app.cell_reviews(&secretaries[0], t.cells[0].id).await.unwrap()[0].without_opinion, 0);
    let mut lines: Vec<OpinionLine> = rated(1).map(|id| opinion(id, Some(Level::Good))).collect();
    lines[0].sick_leave_months = 4;
    env.app
        .cell_opinion(&secretaries[1], r.id, t.cells[1].id, &CellOpinionInput { meeting_id: None, lines })
        .await
        .expect("opinion 2");
    let mut lines: Vec<OpinionLine> = rated(2).map(|id| opinion(id, Some(Level::Good))).collect();
    lines.push(opinion(m[2][4], Some(Level::Good)));
    let refused = env
        .app
        .cell_opinion(
            &secretaries[2],
            r.id,
            t.cells[2].id,
            &CellOpinionInput { meeting_id: None, lines: lines.clone() },
        )
        .await;
    assert_refused(&refused, &format!("lines.{}.level", m[2][4]), Some("review_not_rated"));
    lines.last_mut().unwrap().level = None;
    env.app
        .cell_opinion(&secretaries[2], r.id, t.cells[2].id, &CellOpinionInput { meeting_id: None, lines })
        .await
        .expect("opinion 3");
    assert_figures(env, &r, &orgs).await;

    // The work list: everyone self-assessed, every cell met, 19 await the commune's decision.
    let w = env.app.review_worklist(&staff, r.id, None).await.unwrap();
    assert!(w.not_self_assessed.is_empty() && w.cells_without_opinion.is_empty());
    assert_eq!(w.awaiting_decision.iter().map(|n| n.count).sum::<i64>(), 19);
    assert_eq!(w.orgs_awaiting.len(), 3);
    // The facts beside the disciplined member.
    let view = env.app.review_member(&staff, r.id, m[0][1]).await.unwrap();
    assert_eq!(view.line.facts.disciplined.len(), 1);
    assert_eq!(view.line.caps.first().map(|c| c.ceiling), Some(Level::NotCompleted));

    // The decision: the caps first (discipline, sick leave), then everything at once.
    let mut all: Vec<(Uuid, Level)> = rated(0).chain(rated(1)).chain(rated(2)).map(|id| (id, Level::Good)).collect();
    all[0].1 = Level::Excellent;
    let refused = env.app.decide_members(&staff, r.id, t.commune.id, &decide(all.clone())).await;
    assert_refused(&refused, &format!("lines.{}.level", m[0][1]), Some("level_over_cap"));
    assert_refused(&refused, &format!("lines.{}.level", m[1][0]), Some("level_over_cap"));
    all[1].1 = Level::NotCompleted;
    all[8].1 = Level::Completed;
    assert_eq!(all[8].0, m[1][0]);
    // A line named twice is refused (it would be decided, and counted, twice).
    let mut twice = all.clone();
    twice.push((all[2].0, Level::Completed));
    let refused = env.app.decide_members(&staff, r.id, t.commune.id, &decide(twice)).await;
    assert_refused(&refused, &format!("lines.{}", all[2].0), Some("listed_twice"));
    let decided = env.app.decide_members(&staff, r.id, t.commune.id, &decide(all)).await.expect("decide");
    assert_eq!(decided.len(), 19);
    assert!(env.app.own_reviews(&own).await.unwrap().is_empty(), "decided: nothing left to do");
    assert_figures(env, &r, &orgs).await;
    let f = env.app.review_figures(&env.c, t.province.id, &r.period).await.unwrap();
    let t_members = members_of(&f.tallies);
    assert_eq!(
        (t_members.excellent, t_members.good, t_members.completed, t_members.not_completed, t_members.not_rated),
        (1, 16, 1, 1, 1)
    );
    assert_eq!(t_members.completed_or_better().num, 18);
    assert_eq!(t_members.completed_or_better().den, 19);

    // Organisations: each cell assesses itself, the commune decides.
    for (i, cell) in t.cells.iter().enumerate() {
        let input =
            OrgSelfInput {
                level: Some(Level::Good), text: "Hoàn thành tốt".into(), version: 1, ..Default::default()
            };
        env.app.org_self_assess(&secretaries[i], r.id, cell.id, &input).await.expect("org self");
    }
    let cells: Vec<(Uuid, Level)> = t.cells.iter().map(|c| (c.id, Level::Good)).collect();
    let twice: Vec<(Uuid, Level)> = cells.iter().copied().chain([(t.cells[0].id, Level::Good)]).collect();
    let refused = env.app.decide_orgs(&staff, r.id, t.commune.id, &decide(twice)).await;
    assert_refused(&refused, &format!("lines.{}", t.cells[0].id), Some("listed_twice"));
    env.app.decide_orgs(&staff, r.id, t.commune.id, &decide(cells)).await.expect("decide cells");
    assert_figures(env, &r, &orgs).await;

    // The access matrix on this round.
    access_matrix(env, &t, &r, &secretaries[0], m).await;

    // Closed; the disciplined member's level corrected by a new decision (the exception
    // recorded), the first kept.
    let r = env.app.close_review(&staff, r.id, r.version).await.expect("close");
    assert_eq!(r.status, RoundStatus::Closed);
    let fix = CorrectionInput {
        level: Level::Completed,
        number: "52-QĐ/ĐU".into(),
        signed_on: d(2026, 1, 15),
        reason: "Đảng viên tự phát hiện và khắc phục khuyết điểm".into(),
        self_corrected: true,
    };
    assert_refused(
        &env.app
            .correct_decision(&staff, r.id, m[0][1], &CorrectionInput { self_corrected: false, ..fix.clone() })
            .await,
        "level",
        Some("level_over_cap"),
    );
    let dec = env.app.correct_decision(&staff, r.id, m[0][1], &fix).await.expect("correct");
    let view = env.app.review_member(&staff, r.id, m[0][1]).await.unwrap();
    assert_eq!(view.decisions.iter().map(|d| d.level).collect::<Vec<_>>(), [Level::NotCompleted, Level::Completed]);
    assert_eq!(view.decisions[1].corrects, Some(view.decisions[0].id));
    assert_eq!(dec.corrects, Some(view.decisions[0].id));
    assert_figures(env, &r, &orgs).await;

    // A plan for the shortcomings, carried into the 2026 round.
    let plan = PlanInput {
        subject_id: m[0][1],
        items: vec![
            PlanItemInput {
                content: "Học tập lại quy định".into(),
                responsible: "Đảng viên".into(),
                deadline: d(2026, 3, 31),
            },
            PlanItemInput {
                content: "Báo cáo chi bộ".into(),
                responsible: "Bí thư".into(),
                deadline: today() - Duration::days(10),
            },
            PlanItemInput {
                content: "Tự kiểm điểm".into(),
                responsible: String::new(),
                deadline: today() + Duration::days(60),
            },
        ],
    };
    let p = env.app.create_plan(&secretaries[0], r.id, &plan).await.expect("plan");
    assert!(matches!(env.app.create_plan(&secretaries[0], r.id, &plan).await, Err(Problem::Conflict(_))));
    let first = p.items[0].0.id;
    let p = env.app.mark_plan_item(&secretaries[0], first, Some(d(2026, 2, 15)), "Đã học").await.expect("mark");
    let states: Vec<ItemState> = p.items.iter().map(|(_, s)| *s).collect();
    assert_eq!(states, [ItemState::Done, ItemState::Overdue, ItemState::Open]);
    let r26 = env.app.open_review(&staff, t.commune.id, &year(2026)).await.expect("open 2026");
    let next = env.app.review_member(&staff, r26.id, m[0][1]).await.unwrap();
    assert_eq!(next.plans.len(), 1);
    assert_eq!(next.plans[0].round_label, "Năm 2025");
    assert_eq!((next.plans[0].progress.done, next.plans[0].progress.overdue), (1, 1));
    let w = env.app.review_worklist(&staff, r26.id, None).await.unwrap();
    assert_eq!(w.plans_overdue.iter().map(|p| p.plan.subject_id).collect::<Vec<_>>(), [m[0][1]]);
    assert_eq!(w.not_self_assessed.len(), 20);
    assert_figures(env, &r26, &orgs).await;

    // A cell moved to the other commune today: the 2026 figures follow it, 2025 stays.
    env.app.move_org_on(&env.c, t.cells[2].id, t.other.id, &Dated::on(today())).await.expect("move");
    assert_figures(env, &r26, &[&t.province, &t.commune, &t.other, &t.cells[2]]).await;
    let other26 = env.app.review_figures(&env.c, t.other.id, &r26.period).await.unwrap();
    assert_eq!(members_of(&other26.tallies).total(), 5);
    let commune25 = env.app.review_figures(&env.c, t.commune.id, &r.period).await.unwrap();
    assert_eq!(members_of(&commune25.tallies).total(), 20);
    let mut c = env.db.pools.read().await.unwrap();
    assert!(review_figures::recount(&mut c).await.unwrap().is_empty());
    let _ = t.other_cell;
}

/// Outsiders see nothing (404), readers may not write (403), a secretary decides nothing.
async fn access_matrix(env: &Env, t: &Tree, r: &Round, secretary: &Viewer, m: &[Vec<Uuid>]) {
    let outsider = env.user(Role::Staff, &t.other).await;
    let reader = env.user(Role::Inspector, &t.commune).await;
    let hidden = |p: &Result<_, Problem>| matches!(p, Err(Problem::NotFound));
    let forbidden = |p: &Result<_, Problem>| matches!(p, Err(Problem::Forbidden));
    let own = &self_input(25, 60, 0, 2);
    let op = CellOpinionInput { meeting_id: None, lines: vec![opinion(m[0][2], Some(Level::Good))] };
    let dec = decide(vec![(m[0][2], Level::Good)]);
    let fix = CorrectionInput {
        level: Level::Good,
        number: "1".into(),
        signed_on: d(2025, 12, 30),
        reason: "x".into(),
        self_corrected: false,
    };
    let plan = PlanInput {
        subject_id: m[0][2],
        items: vec![PlanItemInput { content: "x".into(), responsible: String::new(), deadline: d(2026, 6, 1) }],
    };
    let settings =
        ReviewSettingsInput { effective_from: d(2026, 1, 1), sheet: None, quota_percent: Some(30), quota_off: false };
    for (who, expect) in [(&outsider, hidden as fn(&Result<_, Problem>) -> bool), (&reader, forbidden)] {
        assert!(expect(&env.app.self_assess(who, r.id, m[0][2], own).await.map(|_| ())));
        assert!(expect(&env.app.cell_opinion(who, r.id, t.cells[0].id, &op).await.map(|_| ())));
        assert!(expect(&env.app.decide_members(who, r.id, t.commune.id, &dec).await.map(|_| ())));
        assert!(expect(&env.app.decide_orgs(who, r.id, t.commune.id, &dec).await.map(|_| ())));
        assert!(expect(&env.app.correct_decision(who, r.id, m[0][2], &fix).await.map(|_| ())));
        assert!(expect(&env.app.close_review(who, r.id, r.version).await.map(|_| ())));
        assert!(expect(&env.app.open_review(who, t.commune.id, &year(2024)).await.map(|_| ())));
        assert!(expect(&env.app.create_plan(who, r.id, &plan).await.map(|_| ())));
        assert!(expect(&env.app.set_review_settings(who, t.commune.id, &settings).await.map(|_| ())));
        let org_self = OrgSelfInput { level: Some(Level::Good), version: 2, ..Default::default() };
        assert!(expect(&env.app.org_self_assess(who, r.id, t.cells[0].id, &org_self).await.map(|_| ())));
    }
    for read in [
        env.app.review_round(&outsider, r.id, None).await.map(|_| ()),
        env.app.review_member(&outsider, r.id, m[0][2]).await.map(|_| ()),
        env.app.review_worklist(&outsider, r.id, None).await.map(|_| ()),
        env.app.review_figures(&outsider, t.commune.id, &r.period).await.map(|_| ()),
        env.app.review_rounds(&outsider, t.commune.id).await.map(|_| ()),
        env.app.review_round(&secretary.clone(), r.id, None).await.map(|_| ()),
        env.app.decide_members(secretary, r.id, t.commune.id, &dec).await.map(|_| ()),
        env.app.cell_opinion(secretary, r.id, t.cells[1].id, &op).await.map(|_| ()),
    ] {
        assert!(hidden(&read), "{read:?}");
    }
    assert!(env.app.review_round(&reader, r.id, None).await.is_ok());
    assert!(env.app.review_round(secretary, r.id, Some(t.cells[0].id)).await.is_ok_and(|v| v.members.len() == 8));
    assert!(env.app.review_figures(&reader, t.commune.id, &r.period).await.is_ok());
}

async fn the_quota(env: &Env) {
    let province = env.org(None, "Đảng bộ tỉnh Hà Giang", OrgKind::Provincial).await;
    let commune = env.org(Some(&province), "Đảng bộ xã Lũng Cú", OrgKind::Commune).await;
    let cell = env.org(Some(&commune), "Chi bộ thôn Lô Lô Chải", OrgKind::SubordinateCell).await;
    let mut ids = Vec::new();
    for g in ["An", "Bình", "Chi", "Dũng", "Giang", "Hùng", "Khoa", "Lan", "Minh", "Nga", "Phúc", "Quân"] {
        ids.push(env.member(&cell, g, Person::official(d(2014, 6, 1))).await.id);
    }
    let r = env.app.open_review(&env.c, commune.id, &year(2025)).await.unwrap();
    let lines: Vec<OpinionLine> = ids.iter().map(|id| opinion(*id, Some(Level::Good))).collect();
    env.app.cell_opinion(&env.c, r.id, cell.id, &CellOpinionInput { meeting_id: None, lines }).await.unwrap();
    // 4 xuất sắc with 8 tốt: at most 1.
    let levels: Vec<(Uuid, Level)> =
        ids.iter().enumerate().map(|(i, id)| (*id, if i < 4 { Level::Excellent } else { Level::Good })).collect();
    let refused = env.app.decide_members(&env.c, r.id, commune.id, &decide(levels.clone())).await;
    assert_refused(&refused, "level", Some("excellent_over_quota"));
    let Err(Problem::Invalid(v)) = refused else { unreachable!() };
    let msg = &v.errors[0].message_vi;
    assert!(
        msg.contains("Đảng bộ xã Lũng Cú: 4 đảng viên")
            && msg.contains("20%")
            && msg.contains("8 đảng viên")
            && msg.contains("tối đa 1"),
        "{msg}"
    );
    // Half now: the first eight, 2 xuất sắc with 6 tốt is over too (at most 1); 1 with 7 passes.
    let refused = env.app.decide_members(&env.c, r.id, commune.id, &decide(levels[2..10].to_vec())).await;
    assert_refused(&refused, "level", Some("excellent_over_quota"));
    env.app.decide_members(&env.c, r.id, commune.id, &decide(levels[3..10].to_vec())).await.expect("1 of 7");
    // The rest with two more xuất sắc: 3 with 9 tốt (at most 1).
    let rest: Vec<(Uuid, Level)> = [levels[0], levels[1], levels[2], levels[10], levels[11]]
        .iter()
        .map(|(id, _)| (*id, if *id == levels[0].0 || *id == levels[1].0 { Level::Excellent } else { Level::Good }))
        .collect();
    assert_refused(
        &env.app.decide_members(&env.c, r.id, commune.id, &decide(rest)).await,
        "level",
        Some("excellent_over_quota"),
    );
    // The quota as configured by the province from 2026: 50%.
    let s =
        ReviewSettingsInput { effective_from: d(2026, 1, 1), sheet: None, quota_percent: Some(50), quota_off: false };
    env.app.set_review_settings(&env.c, province.id, &s).await.unwrap();
    let r26 = env.app.open_review(&env.c, commune.id, &year(2026)).await.unwrap();
    assert_eq!((r26.quota_num, r26.quota_den), (Some(50), Some(100)));
    let mut c = env.db.pools.read().await.unwrap();
    assert!(review_figures::recount(&mut c).await.unwrap().is_empty());
    let counts: HashMap<Outcome, i64> =
        review::outcomes_of_base(&mut c, r.id, commune.id).await.unwrap().into_iter().collect();
    assert_eq!((counts.get(&Outcome::Excellent), counts.get(&Outcome::Good)), (Some(&1), Some(&6)));
}

async fn an_earlier_year_under_124(env: &Env) {
    let province = env.org(None, "Đảng bộ tỉnh Yên Bái", OrgKind::Provincial).await;
    let commune = env.org(Some(&province), "Đảng bộ xã Tân Lĩnh", OrgKind::Commune).await;
    let cell = env.org(Some(&commune), "Chi bộ thôn Đồng Tâm", OrgKind::SubordinateCell).await;
    let id = env.member(&cell, "Tâm", Person::official(d(2010, 1, 1))).await.id;
    let r = env.app.open_review(&env.c, commune.id, &year(2024)).await.unwrap();
    assert!(r.rules_source.contains("124-QĐ/TW") && r.sheet.is_none());
    // No points under 124: the level is proposed directly; a quarter is not a round then.
    let mut input = SelfAssessmentInput { version: 1, ..Default::default() };
    assert_refused(&env.app.self_assess(&env.c, r.id, id, &input).await, "level", Some("required"));
    input.level = Some(Level::Good);
    assert_eq!(env.app.self_assess(&env.c, r.id, id, &input).await.unwrap().score, None);
    let q = RoundInput { kind: RoundKind::Quarter, first_day: d(2024, 10, 1), ..year(2024) };
    assert_refused(&env.app.open_review(&env.c, commune.id, &q).await, "kind", Some("round_kind_not_allowed"));
    let _: Date = r.last_day;
}

#[tokio::test]
async fn a_communes_round_from_self_assessment_to_decision() {
    each_engine(a_communes_round).await;
}

#[tokio::test]
async fn the_quota_of_excellent_is_refused_with_its_numbers() {
    each_engine(the_quota).await;
}

#[tokio::test]
async fn an_earlier_year_is_judged_by_the_rules_of_its_time() {
    each_engine(an_earlier_year_under_124).await;
}

/// Two decisions on the same members at once (PostgreSQL runs them SERIALIZABLE and the loser
/// again): one is written, the other sees it and is refused; each member has one decision and
/// the kept figures equal their recount.
async fn one_decision_twice_at_once(env: &Env) {
    let province = env.org(None, "Đảng bộ tỉnh Sơn La", OrgKind::Provincial).await;
    let commune = env.org(Some(&province), "Đảng bộ xã Chiềng Cơi", OrgKind::Commune).await;
    let cell = env.org(Some(&commune), "Chi bộ bản Hìn", OrgKind::SubordinateCell).await;
    let mut ids = Vec::new();
    for g in ["An", "Bình", "Chi", "Dũng", "Giang", "Hùng"] {
        ids.push(env.member(&cell, g, Person::official(d(2014, 6, 1))).await.id);
    }
    let r = env.app.open_review(&env.c, commune.id, &year(2025)).await.unwrap();
    let lines: Vec<OpinionLine> = ids.iter().map(|id| opinion(*id, Some(Level::Good))).collect();
    env.app.cell_opinion(&env.c, r.id, cell.id, &CellOpinionInput { meeting_id: None, lines }).await.unwrap();
    let input = decide(ids.iter().map(|id| (*id, Level::Good)).collect());
    let out = crate::races::twice_at_once(|| {
        let (app, c, input) = (env.app.clone(), env.c.clone(), input.clone());
        let (round, base) = (r.id, commune.id);
        async move { app.decide_members(&c, round, base, &input).await }
    })
    .await;
    assert_eq!(out.iter().filter(|o| o.is_ok()).count(), 1, "{out:?}");
    for o in &out {
        assert!(!matches!(o, Err(Problem::Unavailable(_))), "{o:?}");
    }
    let mut c = env.db.pools.read().await.unwrap();
    assert!(review_figures::recount(&mut c).await.unwrap().is_empty());
    let counts: HashMap<Outcome, i64> =
        review::outcomes_of_base(&mut c, r.id, commune.id).await.unwrap().into_iter().collect();
    assert_eq!(counts.get(&Outcome::Good), Some(&6), "{counts:?}");
}

#[tokio::test]
async fn one_decision_taken_twice_at_once_is_written_once() {
    each_engine(one_decision_twice_at_once).await;
}
