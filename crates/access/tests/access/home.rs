//! Each role's home on every engine: a secretary's cell shows the next meeting and what waits
//! (notices to answer, meetings past their day, minutes to approve); a member withdraws a
//! notice (an accepted one's excused mark goes with it); the member search finds people by
//! name without diacritics in the viewer's subtrees only, with their cell, the living current
//! members by default.

use crate::common;

use chibo_access::domain::access::Role;
use chibo_access::domain::meeting::MeetingKind;
use chibo_access::domain::org::OrgKind;
use chibo_access::{MeetingInput, Problem};
use common::today;
use common::{Env, Person, d, each_engine};
use time::Duration;

fn plan(on: time::Date) -> MeetingInput {
    MeetingInput {
        kind: MeetingKind::Regular,
        held_on: on,
        starts_at: Some("19:30".into()),
        place: "Nhà văn hóa".into(),
        agenda: "Sinh hoạt thường kỳ".into(),
        topic_id: None,
        guests: String::new(),
    }
}

#[tokio::test]
async fn the_secretary_sees_what_waits_and_a_member_withdraws_a_notice() {
    each_engine(async |env: &Env| {
        let commune = env.org(None, "Đảng bộ xã", OrgKind::Commune).await;
        let cell = env.org(Some(&commune), "Chi bộ thôn Đông", OrgKind::SubordinateCell).await;
        let other = env.org(Some(&commune), "Chi bộ thôn Tây", OrgKind::SubordinateCell).await;
        let m = env.member(&cell, "Hà", Person::official(d(2010, 1, 1))).await;
        env.member(&cell, "Khoa", Person::official(d(2010, 1, 1))).await;
        let secretary = env.user(Role::Secretary, &cell).await;
        let h = env.app.cell_home(&secretary, cell.id).await.unwrap();
        assert!(h.next.is_none() && h.waiting() == 0);
        assert!(matches!(env.app.cell_home(&secretary, other.id).await, Err(Problem::NotFound)));

        let soon = today().saturating_add(Duration::days(7));
        let id = env.app.schedule_meeting(&secretary, cell.id, &plan(soon)).await.unwrap().meeting.id;
        let u = env.app.create_user(&env.c, "dangvien", "Đảng viên", common::PASSWORD).await.unwrap();
        env.app.grant(&env.c, u.id, Role::Member, cell.id, Some(m.id)).await.unwrap();
        let member = env.app.login("dangvien", common::PASSWORD, None).await.unwrap().1;
        env.app.notify_absence(&member, id, "Đi công tác").await.unwrap();
        let h = env.app.cell_home(&secretary, cell.id).await.unwrap();
        assert_eq!(h.next.as_ref().map(|n| n.id), Some(id));
        assert_eq!((h.notices.len(), h.notices[0].member_name.as_str()), (1, m.full_name.as_str()));
        assert_eq!(env.app.waiting_count(&secretary).await.unwrap(), 1);
        assert_eq!(env.app.waiting_count(&member).await.unwrap(), 0, "only secretaries count");

        // Accepted, then withdrawn: the notice and its excused mark are gone.
        env.app.answer_notice(&secretary, id, m.id, true).await.unwrap();
        env.app.withdraw_notice(&member, id).await.unwrap();
        let v = env.app.meeting(&env.c, id).await.unwrap();
        assert!(v.notices.is_empty());
        assert_eq!(v.roll.iter().find(|l| l.member_id == m.id).and_then(|l| l.mark), None);
        assert!(matches!(env.app.withdraw_notice(&member, id).await, Err(Problem::NotFound)));
        assert!(matches!(env.app.withdraw_notice(&secretary, id).await, Err(Problem::NotFound)));

        // A meeting past its day waits for its attendance.
        let past = today().saturating_sub(Duration::days(3));
        env.app.schedule_meeting(&secretary, cell.id, &plan(past)).await.unwrap();
        let h = env.app.cell_home(&secretary, cell.id).await.unwrap();
        assert_eq!((h.to_record.len(), h.waiting()), (1, 1));
    })
    .await;
}

#[tokio::test]
async fn the_member_search_ignores_diacritics_and_keeps_to_the_subtree() {
    each_engine(async |env: &Env| {
        let commune = env.org(None, "Đảng bộ xã", OrgKind::Commune).await;
        let east = env.org(Some(&commune), "Chi bộ thôn Đông", OrgKind::SubordinateCell).await;
        let west = env.org(Some(&commune), "Chi bộ thôn Tây", OrgKind::SubordinateCell).await;
        let a = env.member(&east, "Hương", Person::official(d(2010, 1, 1))).await;
        let b = env.member(&west, "Hương", Person::probationary(d(2026, 1, 1))).await;
        env.member(&west, "Khoa", Person::official(d(2010, 1, 1))).await;
        let staff = env.user(Role::Staff, &commune).await;
        let found = env.app.find_members(&staff, "nguyen huong", false).await.unwrap();
        let mut got: Vec<_> = found.iter().map(|f| (f.member.id, f.cell_name.as_str())).collect();
        got.sort();
        let mut want = vec![(a.id, "Chi bộ thôn Đông"), (b.id, "Chi bộ thôn Tây")];
        want.sort();
        assert_eq!(got, want);
        // A secretary of one cell finds only its people; a member finds nobody.
        let sec = env.user(Role::Secretary, &east).await;
        let found = env.app.find_members(&sec, "huong", false).await.unwrap();
        assert_eq!(found.iter().map(|f| f.member.id).collect::<Vec<_>>(), vec![a.id]);
        let u = env.app.create_user(&env.c, "dangvien", "Nguyễn Hương", common::PASSWORD).await.unwrap();
        env.app.grant(&env.c, u.id, Role::Member, east.id, Some(a.id)).await.unwrap();
        let member = env.app.login("dangvien", common::PASSWORD, None).await.unwrap().1;
        assert!(env.app.find_members(&member, "huong", false).await.unwrap().is_empty());
        assert!(env.app.find_members(&staff, "   ", false).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_communes_absence_list_is_its_cells_lists() {
    use chibo_access::MarkInput;
    use chibo_access::domain::meeting::Mark;
    each_engine(async |env: &Env| {
        let commune = env.org(None, "Đảng bộ xã", OrgKind::Commune).await;
        let east = env.org(Some(&commune), "Chi bộ thôn Đông", OrgKind::SubordinateCell).await;
        let west = env.org(Some(&commune), "Chi bộ thôn Tây", OrgKind::SubordinateCell).await;
        let away = env.member(&east, "Hà", Person::official(d(2010, 1, 1))).await;
        env.member(&east, "Khoa", Person::official(d(2010, 1, 1))).await;
        env.member(&west, "Lan", Person::official(d(2010, 1, 1))).await;
        // Absent without reason three months running in one cell.
        for month in [3, 4, 5] {
            let v = env.app.schedule_meeting(&env.c, east.id, &plan(d(2025, month, 10))).await.unwrap();
            let marks: Vec<MarkInput> = v
                .roll
                .iter()
                .map(|l| MarkInput {
                    member_id: l.member_id,
                    mark: if l.member_id == away.id { Mark::Unexcused } else { Mark::Present },
                    reason: String::new(),
                })
                .collect();
            env.app.record_attendance(&env.c, v.meeting.id, &marks, v.meeting.version, None).await.unwrap();
        }
        let cell = env.app.absence_worklist(&env.c, east.id, 2025).await.unwrap();
        assert_eq!(cell.iter().map(|a| a.absentee.member_id).collect::<Vec<_>>(), vec![away.id]);
        let staff = env.user(Role::Staff, &commune).await;
        let gathered = env.app.absences_under(&staff, commune.id, 2025).await.unwrap().unwrap();
        assert_eq!(gathered.len(), 1, "the cell with nobody listed is left out");
        assert_eq!((gathered[0].cell_id, gathered[0].cell_name.as_str()), (east.id, "Chi bộ thôn Đông"));
        let ids: Vec<_> = gathered[0].absentees.iter().map(|a| a.absentee.member_id).collect();
        assert_eq!(ids, vec![away.id]);
        // Outside the grants: not found.
        let other = env.org(None, "Đảng bộ xã khác", OrgKind::Commune).await;
        assert!(matches!(env.app.absences_under(&staff, other.id, 2025).await, Err(Problem::NotFound)));
    })
    .await;
}
