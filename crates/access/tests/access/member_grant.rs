//! A member account (role `member`, linked to a record) follows the record's cell and standing
//! as of today, on every engine: after a transfer out it no longer reads the old cell, its
//! meetings or documents; after the transfer in it reads the new cell; once membership ends
//! (expelled, struck off, left, died) it reads nothing. Live sessions change at once.

use crate::common;

use chibo_access::domain::access::Role;
use chibo_access::domain::life::DisciplineForm;
use chibo_access::domain::life::EventKind::{Died, Disciplined, Left, StruckOff, TransferredIn, TransferredOut};
use chibo_access::domain::life::StrikeOffGround;
use chibo_access::domain::meeting::MeetingKind;
use chibo_access::domain::org::OrgKind;
use chibo_access::{Chibo, EventInput, MeetingInput, Org, Viewer};
use common::{Env, PASSWORD, Person, With, d, days_ago, each_engine, ev, hidden};
use time::Duration;
use uuid::Uuid;

fn plan() -> MeetingInput {
    MeetingInput {
        kind: MeetingKind::Regular,
        held_on: common::today() + Duration::days(5),
        starts_at: Some("19:30".into()),
        place: "Nhà văn hóa".into(),
        agenda: "Sinh hoạt thường kỳ".into(),
        topic_id: None,
        guests: String::new(),
    }
}

struct Cell {
    org: Org,
    meeting: Uuid,
}

async fn cell(env: &Env, parent: &Org, name: &str, secretary: &str) -> Cell {
    let org = env.org(Some(parent), name, OrgKind::SubordinateCell).await;
    env.member(&org, secretary, Person::official(d(2005, 1, 10))).await;
    let meeting = env.app.schedule_meeting(&env.c, org.id, &plan()).await.expect("schedule").meeting.id;
    Cell { org, meeting }
}

/// A member account linked to `member` in `cell`, and its session token.
async fn account(env: &Env, name: &str, cell: &Org, member: Uuid) -> String {
    let u = env.app.create_user(&env.c, name, name, PASSWORD).await.unwrap();
    env.app.grant(&env.c, u.id, Role::Member, cell.id, Some(member)).await.unwrap();
    env.app.login(name, PASSWORD, Some("10.0.0.2")).await.unwrap().0.0
}

/// The viewer of the live session now (grants loaded again, as on every request).
async fn now(app: &Chibo, token: &str) -> Viewer {
    app.viewer_for_session(token).await.expect("session")
}

async fn reads(env: &Env, v: &Viewer, c: &Cell) -> bool {
    let org = env.app.org(v, c.org.id, false).await;
    let meeting = env.app.meeting(v, c.meeting).await;
    assert_eq!(org.is_ok(), meeting.is_ok(), "the cell and its meetings go together");
    if org.is_err() {
        assert!(hidden(&org) && hidden(&meeting), "refused as not found: {org:?} {meeting:?}");
    }
    org.is_ok()
}

#[tokio::test]
async fn a_member_account_follows_the_record_through_a_transfer() {
    each_engine(async |env: &Env| {
        let p = env.org(None, "Đảng bộ Tỉnh", OrgKind::Provincial).await;
        let a = env.org(Some(&p), "Đảng bộ Xã A", OrgKind::Commune).await;
        let b = env.org(Some(&p), "Đảng bộ Xã B", OrgKind::Commune).await;
        let (a1, b1) = (cell(env, &a, "Chi bộ A1", "Bảo").await, cell(env, &b, "Chi bộ B1", "Cúc").await);
        let m = env.member(&a1.org, "An", Person::official(d(2010, 3, 1))).await;
        let token = account(env, "dangvien.an", &a1.org, m.id).await;
        let v = now(&env.app, &token).await;
        assert!(reads(env, &v, &a1).await && !reads(env, &v, &b1).await);
        assert!(env.app.member(&v, m.id).await.is_ok());

        // Transferred out: in transit, on no cell's rolls, reading no cell.
        env.record(m.id, ev(TransferredOut, days_ago(6)).org(b1.org.id)).await.unwrap();
        let v = now(&env.app, &token).await;
        assert!(!reads(env, &v, &a1).await && !reads(env, &v, &b1).await);
        assert!(v.grants().is_empty());

        // Received in B1: reads B1, not A1.
        env.record(m.id, ev(TransferredIn, days_ago(3)).org(b1.org.id)).await.unwrap();
        let v = now(&env.app, &token).await;
        assert!(reads(env, &v, &b1).await && !reads(env, &v, &a1).await);
        assert!(env.app.member(&v, m.id).await.is_ok());
        assert_eq!(v.grants()[0].org_id, b1.org.id);
    })
    .await;
}

#[tokio::test]
async fn a_member_account_ends_with_membership() {
    each_engine(async |env: &Env| {
        let p = env.org(None, "Đảng bộ Tỉnh", OrgKind::Provincial).await;
        let a = env.org(Some(&p), "Đảng bộ Xã A", OrgKind::Commune).await;
        let a1 = cell(env, &a, "Chi bộ A1", "Bảo").await;
        let endings: [(&str, EventInput); 4] = [
            ("khaitru", ev(Disciplined, days_ago(2)).form(DisciplineForm::Expulsion)),
            ("xoaten", ev(StruckOff, days_ago(2)).ground(StrikeOffGround::AbandonedActivities)),
            ("rakhoi", ev(Left, days_ago(2))),
            ("tutran", ev(Died, days_ago(2))),
        ];
        for (name, ending) in endings {
            let given: String = name.chars().take(1).flat_map(char::to_uppercase).chain(name.chars().skip(1)).collect();
            let m = env.member(&a1.org, &given, Person::official(d(2010, 3, 1))).await;
            let token = account(env, name, &a1.org, m.id).await;
            assert!(reads(env, &now(&env.app, &token).await, &a1).await, "{name}");
            env.record(m.id, ending).await.unwrap_or_else(|p| panic!("{name}: {p:?}"));
            let v = now(&env.app, &token).await;
            assert!(!reads(env, &v, &a1).await, "{name}");
            assert!(v.grants().is_empty(), "{name}");
            assert!(hidden(&env.app.member(&v, m.id).await), "{name}");
        }
    })
    .await;
}
