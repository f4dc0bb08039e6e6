//! The review's rows round-trip, and its kept figures follow the lines and the tree.

use super::*;
use chibo_domain::life::Link;
use chibo_domain::review::{Level, Outcome, RoundKind, RoundStatus, Subject};
use chibo_store::review::{self, Decision, LineColumn, MemberLine, OrgLine, Plan, PlanItem, Round, Settings};
use chibo_store::{history, review_figures};
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// Now, to the microsecond PostgreSQL keeps.
fn now() -> OffsetDateTime {
    let t = OffsetDateTime::now_utc();
    t.replace_microsecond(t.microsecond()).unwrap_or(t)
}

fn link(o: &Org, parent: Option<&Org>) -> Link {
    Link { org_id: o.id, parent_id: parent.map(|p| p.id), name: o.input.name.clone(), from: None, to: None }
}

fn round(org: &Org) -> Round {
    Round {
        id: Uuid::now_v7(),
        org_id: org.id,
        kind: RoundKind::Year,
        period: "year:2025".into(),
        first_day: date!(2025 - 01 - 01),
        last_day: date!(2025 - 12 - 31),
        self_due: date!(2025 - 12 - 05),
        cell_due: date!(2025 - 12 - 15),
        decision_due: date!(2025 - 12 - 31),
        status: RoundStatus::Open,
        rules_source: "Quy định 366-QĐ/TW".into(),
        sheet: None,
        quota_num: Some(20),
        quota_den: Some(100),
        opened_by: "Tester".into(),
        created_at: now(),
        closed_at: None,
        version: 1,
    }
}

fn kept(f: &std::collections::HashMap<Uuid, BTreeMap<Subject, chibo_domain::review::Tally>>, org: Uuid) -> (i64, i64) {
    let t = f.get(&org).and_then(|m| m.get(&Subject::Member)).copied().unwrap_or_default();
    (t.pending, t.good)
}

pub(super) async fn review_rows_and_figures(db: &TestDb) {
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
    let m2 = add_member(&mut tx, &cell_b, &member("Lê", "Văn", "Tám", cell_b.id)).await;
    let r = round(&commune);
    review::insert_round(&mut tx, &r).await.unwrap();
    let lines = [
        MemberLine::opened(r.id, m1, cell_a.id, commune.id, None),
        MemberLine::opened(r.id, m2, cell_b.id, commune.id, None),
    ];
    review::insert_member_lines(&mut tx, &lines).await.unwrap();
    let org_lines = [
        OrgLine::opened(r.id, cell_a.id, "subordinate_cell", commune.id, None),
        OrgLine::opened(r.id, cell_b.id, "subordinate_cell", commune.id, Some("recently_established".into())),
    ];
    review::insert_org_lines(&mut tx, &org_lines).await.unwrap();
    let mut groups = review_figures::Groups::new();
    for l in &lines {
        *groups.entry((l.org_id, Subject::Member, l.outcome)).or_default() += 1;
    }
    for l in &org_lines {
        *groups.entry((l.org_id, Subject::org(OrgKind::SubordinateCell), l.outcome)).or_default() += 1;
    }
    review_figures::lines_added(&mut tx, &r, &groups).await.unwrap();

    // A decision moves one line from pending to good.
    let mut line = review::member_line(&mut tx, r.id, m1).await.unwrap().unwrap();
    let d = Decision {
        id: Uuid::now_v7(),
        round_id: r.id,
        subject: "member".into(),
        subject_id: m1,
        level: Level::Good,
        number: "12-QĐ/ĐU".into(),
        signed_on: date!(2025 - 12 - 20),
        reason: String::new(),
        self_corrected: false,
        corrects: None,
        by_name: "Tester".into(),
        at: now(),
    };
    review::insert_decisions(&mut tx, std::slice::from_ref(&d)).await.unwrap();
    let before = line.outcome;
    (line.level, line.decision_id, line.outcome, line.version) =
        (Some("good".into()), Some(d.id), Outcome::Good, line.version + 1);
    line.strengths = "Gương mẫu".into();
    review::save_member_line(&mut tx, &line).await.unwrap();
    review_figures::line_changed(&mut tx, &r, cell_a.id, Subject::Member, before, Outcome::Good).await.unwrap();

    let plan = Plan {
        id: Uuid::now_v7(),
        round_id: r.id,
        subject: "member".into(),
        subject_id: m1,
        org_id: cell_a.id,
        by_name: "Tester".into(),
        created_at: now(),
        version: 1,
    };
    let item = PlanItem {
        id: Uuid::now_v7(),
        plan_id: plan.id,
        seq: 1,
        content: "Đọc tài liệu".into(),
        responsible: "Ngô Quyền".into(),
        deadline: date!(2026 - 03 - 31),
        done_on: None,
        note: String::new(),
    };
    review::insert_plan(&mut tx, &plan, std::slice::from_ref(&item)).await.unwrap();
    review::insert_settings(
        &mut tx,
        &Settings {
            id: Uuid::now_v7(),
            org_id: province.id,
            effective_from: date!(2025 - 01 - 01),
            sheet: None,
            quota_num: Some(25),
            quota_den: Some(100),
            quota_off: false,
            by_name: "Tester".into(),
            created_at: now(),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let mut c = db.pools.read().await.unwrap();
    assert_eq!(review::round_by_id(&mut c, r.id).await.unwrap(), Some(r.clone()));
    assert_eq!(review::member_line(&mut c, r.id, m1).await.unwrap(), Some(line.clone()));
    assert_eq!(review::member_lines_by(&mut c, r.id, LineColumn::Base, commune.id).await.unwrap().len(), 2);
    assert_eq!(review::member_lines_under(&mut c, r.id, &cell_b.path).await.unwrap().len(), 1);
    assert_eq!(review::org_lines_under(&mut c, r.id, &commune.path).await.unwrap().len(), 2);
    assert_eq!(review::decisions_of(&mut c, r.id, m1).await.unwrap(), vec![d]);
    assert_eq!(review::items_of(&mut c, &[plan.id]).await.unwrap(), vec![item.clone()]);
    let overdue = review::overdue_under(&mut c, &province.path, date!(2026 - 04 - 01)).await.unwrap();
    assert_eq!(overdue.iter().map(|(p, i)| (p.id, i.id)).collect::<Vec<_>>(), [(plan.id, item.id)]);
    assert!(review::overdue_under(&mut c, &other.path, date!(2026 - 04 - 01)).await.unwrap().is_empty());
    let s = review::settings_for(&mut c, &[province.id, commune.id], date!(2025 - 12 - 31)).await.unwrap();
    assert_eq!(s.first().and_then(|s| s.quota_num), Some(25));
    assert_eq!(review::rounds_under(&mut c, &province.path).await.unwrap().len(), 1);
    assert!(review::rounds_under(&mut c, &other.path).await.unwrap().is_empty());

    // Members count in the cell and up; organisations above themselves only.
    let orgs = [province.id, commune.id, cell_a.id, cell_b.id, other.id];
    let f = review_figures::figures(&mut c, "year:2025", &orgs).await.unwrap();
    assert_eq!(kept(&f, province.id), (1, 1));
    assert_eq!(kept(&f, commune.id), (1, 1));
    assert_eq!((kept(&f, cell_a.id), kept(&f, cell_b.id), kept(&f, other.id)), ((0, 1), (1, 0), (0, 0)));
    let cells = f.get(&commune.id).and_then(|m| m.get(&Subject::org(OrgKind::SubordinateCell))).copied();
    assert_eq!(cells.map(|t| (t.pending, t.not_rated, t.rated())), Some((1, 1, 1)));
    assert!(f.get(&cell_a.id).is_none_or(|m| !m.contains_key(&Subject::org(OrgKind::SubordinateCell))));
    assert!(review_figures::recount(&mut c).await.unwrap().is_empty());
    drop(c);

    // Taken out and put back around a change of the tree: equal again, and a wrong count is found.
    let mut tx = db.pools.begin().await.unwrap();
    let d = review_figures::detach(&mut tx, &commune.path, Some(date!(2025 - 06 - 01))).await.unwrap();
    assert_eq!(review_figures::recount(&mut tx).await.unwrap().len(), 10);
    review_figures::attach(&mut tx, &d).await.unwrap();
    assert!(review_figures::recount(&mut tx).await.unwrap().is_empty());
    sql_bump(&mut tx, province.id).await;
    let wrong = review_figures::recount(&mut tx).await.unwrap();
    assert_eq!(wrong.iter().map(|m| (m.org_id, m.kept, m.recounted)).collect::<Vec<_>>(), [(province.id, 2, 1)]);
}

async fn sql_bump(tx: &mut Tx, org: Uuid) {
    chibo_store::db::sql(
        "UPDATE review_counts SET n = n + 1 WHERE org_id = $1 AND subject = 'member' AND outcome = 'good'",
    )
    .bind(org)
    .execute(tx)
    .await
    .unwrap();
}
