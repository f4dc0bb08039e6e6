//! Cell meetings on every engine: a commune of 127 members in 10 cells over 2025 with a known
//! pattern of missed meetings and absences, recorded through the application, gives exactly
//! the figures worked out by hand at every level and period, equal to a full recount from the
//! attendance rows; the figures follow a restructuring; the life of one meeting (schedule,
//! attendance, minutes, rating, approval, lock, corrections with reason, advance notices,
//! documents) and the subtree rules.

use crate::common;

use chibo_access::domain::access::Role;
use chibo_access::domain::meeting::{Mark, MeetingKind, MeetingStatus, PeriodKey, Rating, Share};
use chibo_access::domain::org::OrgKind;
use chibo_access::{Dated, MarkInput, MeetingInput, MinutesInput, Org, Problem, SpeakerInput};
use chibo_store::meeting_figures;
use common::{Env, Person, assert_refused, d, each_engine, hidden};
use std::collections::BTreeMap;
use time::Date;
use uuid::Uuid;

fn plan(kind: MeetingKind, on: Date) -> MeetingInput {
    MeetingInput {
        kind,
        held_on: on,
        starts_at: Some("19:30".into()),
        place: "Nhà văn hóa thôn".into(),
        agenda: "Đánh giá kết quả tháng, phương hướng tháng tới".into(),
        topic_id: None,
        guests: String::new(),
    }
}

/// Hold a meeting: schedule it and mark everyone present but the given absences.
async fn hold(env: &Env, cell: &Org, kind: MeetingKind, on: Date, absent: &[(Uuid, Mark)]) -> Uuid {
    let v = env.app.schedule_meeting(&env.c, cell.id, &plan(kind, on)).await.expect("schedule");
    let marks: Vec<MarkInput> = v
        .roll
        .iter()
        .map(|l| {
            let mark = absent.iter().find(|(m, _)| *m == l.member_id).map_or(Mark::Present, |(_, k)| *k);
            let reason = if mark == Mark::Excused { "Ốm".into() } else { String::new() };
            MarkInput { member_id: l.member_id, mark, reason }
        })
        .collect();
    let id = v.meeting.id;
    env.app.record_attendance(&env.c, id, &marks, v.meeting.version, None).await.expect("attendance");
    id
}

async fn assert_recount_clean(env: &Env, keys: &[PeriodKey]) {
    let mut c = env.db.pools.read().await.unwrap();
    for k in keys {
        let m = meeting_figures::recount(&mut c, *k).await.unwrap();
        assert!(m.is_empty(), "{}: {m:?}", k.code());
    }
}

/// Opening a period three cells at a time (a load opens 20,000 at a time, to bound its memory),
/// alone or together with the other periods (a load opens a year's at once), gives the figures
/// of opening it at once, and a recount finds them equal to the rows.
async fn assert_opened_in_chunks_alike(env: &Env, org: Uuid, keys: &[PeriodKey]) {
    let figures = async |k: &PeriodKey| {
        let v = env.app.meeting_figures(&env.c, org, &k.code()).await.unwrap();
        format!("{:?} {:?}", v.figures, v.children)
    };
    let mut before = Vec::new();
    for k in keys {
        before.push(figures(k).await);
    }
    let forget = async |keys: &[PeriodKey]| {
        let mut tx = env.db.pools.begin().await.unwrap();
        for k in keys {
            for table in ["meeting_cells", "meeting_rollup", "meeting_periods"] {
                let delete = format!("DELETE FROM {table} WHERE period = $1");
                chibo_store::db::dynamic_sql(delete).bind(k.code()).execute(&mut tx).await.unwrap();
            }
        }
        tx.commit().await.unwrap();
    };
    for (k, before) in keys.iter().zip(&before) {
        forget(std::slice::from_ref(k)).await;
        let mut tx = env.db.pools.begin().await.unwrap();
        assert!(meeting_figures::open_period_by(&mut tx, *k, env.app.today(), 3).await.unwrap());
        tx.commit().await.unwrap();
        assert_eq!(&figures(k).await, before, "{} alone", k.code());
    }
    forget(keys).await;
    let mut tx = env.db.pools.begin().await.unwrap();
    let opened = meeting_figures::open_periods_by(&mut tx, keys, env.app.today(), 3).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(opened, keys);
    for (k, before) in keys.iter().zip(&before) {
        assert_eq!(&figures(k).await, before, "{} together", k.code());
    }
    assert_recount_clean(env, keys).await;
}

const GIVEN: &[&str] =
    &["An", "Bình", "Chi", "Dũng", "Đức", "Giang", "Hà", "Hùng", "Khoa", "Lan", "Minh", "Nga", "Phúc", "Quân"];

struct Commune {
    commune: Org,
    cells: Vec<Org>,
    members: Vec<Vec<Uuid>>,
}

/// 10 cells of 13, 13, 13, 13, 13, 13, 13, 12, 12, 12 official members (127).
async fn commune(env: &Env) -> Commune {
    let province = env.org(None, "Đảng bộ tỉnh Tuyên Quang", OrgKind::Provincial).await;
    let commune = env.org(Some(&province), "Đảng bộ xã Minh Quang", OrgKind::Commune).await;
    let mut cells = Vec::new();
    let mut members = Vec::new();
    for i in 0..10 {
        let cell = env.org(Some(&commune), &format!("Chi bộ thôn {}", i + 1), OrgKind::SubordinateCell).await;
        let n = if i < 7 { 13 } else { 12 };
        let mut ids = Vec::new();
        for j in 0..n {
            ids.push(env.member(&cell, GIVEN[(i + j) % GIVEN.len()], Person::official(d(2015, 1, 1))).await.id);
        }
        cells.push(cell);
        members.push(ids);
    }
    Commune { commune, cells, members }
}

#[tokio::test]
async fn a_commune_year_gives_exact_figures() {
    each_engine(async |env| {
        let Commune { commune, cells, members } = commune(env).await;
        let (a, b) = (members[0][0], members[1][0]);
        for (i, cell) in cells.iter().enumerate() {
            for month in 1..=12u8 {
                // Cell 3 (index 2) misses March; cell 6 (index 5) misses August and September.
                if (i == 2 && month == 3) || (i == 5 && (month == 8 || month == 9)) {
                    continue;
                }
                // Thematic combined with the regular meeting each quarter's last month, except
                // cell 8 (index 7) in the fourth quarter.
                let kind = if month % 3 == 0 && !(i == 7 && month == 12) {
                    MeetingKind::Combined
                } else {
                    MeetingKind::Regular
                };
                let mut absent = Vec::new();
                if i == 0 && month <= 4 {
                    absent.push((a, Mark::Excused));
                }
                if i == 1 && [2, 5, 7].contains(&month) {
                    absent.push((b, Mark::Unexcused));
                }
                hold(env, cell, kind, d(2025, month, 10), &absent).await;
            }
        }
        let year = env.app.meeting_figures(&env.c, commune.id, "2025").await.unwrap();
        let f = &year.figures;
        assert_eq!((f.regular, f.thematic), (Share::new(8, 10), Share::new(7, 10)));
        assert_eq!((f.meetings, f.attendance), (117, Share::new(1478, 1485)));
        assert_eq!(f.unrated, 117);
        // The drill-down: the ten cells, whose figures sum to the commune's.
        assert_eq!(year.children.len(), 10);
        let behind: Vec<&str> =
            year.children.iter().filter(|c| c.figures.regular == Share::new(0, 1)).map(|c| c.name.as_str()).collect();
        assert_eq!(behind, ["Chi bộ thôn 3", "Chi bộ thôn 6"]);
        let sum: i64 = year.children.iter().map(|c| c.figures.meetings).sum();
        assert_eq!(sum, 117);
        let q1 = env.app.meeting_figures(&env.c, commune.id, "2025-Q1").await.unwrap();
        assert_eq!((q1.figures.regular, q1.figures.thematic), (Share::new(9, 10), Share::new(9, 10)));
        let missing = year.missing.as_ref().expect("missing meetings");
        let by_month: Vec<(&str, Vec<&str>)> = missing
            .regular
            .iter()
            .map(|m| (m.period.as_str(), m.cells.iter().map(|c| c.name.as_str()).collect()))
            .collect();
        assert_eq!(
            by_month,
            [
                ("2025-03", vec!["Chi bộ thôn 3"]),
                ("2025-08", vec!["Chi bộ thôn 6"]),
                ("2025-09", vec!["Chi bộ thôn 6"])
            ]
        );
        assert!(missing.regular.iter().all(|m| m.count == m.cells.len() as i64 && m.next.is_none()));
        let quarters: Vec<&str> = missing.thematic.iter().map(|m| m.period.as_str()).collect();
        assert_eq!(quarters, ["2025-Q1", "2025-Q3", "2025-Q4"]);
        let march = env.app.meeting_figures(&env.c, commune.id, "2025-03").await.unwrap();
        assert_eq!((march.figures.regular, march.figures.meetings), (Share::new(9, 10), 9));
        let q4 = env.app.meeting_figures(&env.c, commune.id, "2025-Q4").await.unwrap();
        assert_eq!(q4.figures.thematic, Share::new(9, 10));
        // A custom period computed on the fly agrees with the kept quarter.
        let custom = env.app.meeting_figures(&env.c, commune.id, "2025-01-01..2025-03-31").await.unwrap();
        assert_eq!((custom.figures.regular, custom.figures.attendance), (q1.figures.regular, q1.figures.attendance));
        // A cell's own page: its meetings and the months it missed.
        let c6 = env.app.meeting_figures(&env.c, cells[5].id, "2025").await.unwrap();
        let detail = c6.cell.expect("cell detail");
        assert_eq!(detail.missing_regular, [(2025, 8), (2025, 9)]);
        assert_eq!(detail.missing_thematic, [(2025, 3)]);
        assert_eq!(detail.meetings.len(), 10);
        // The work list of repeated absences.
        let w0 = env.app.absence_worklist(&env.c, cells[0].id, 2025).await.unwrap();
        assert_eq!(w0.len(), 1);
        assert_eq!((w0[0].absentee.member_id, w0[0].absentee.longest_excused_in_a_row), (a, 4));
        let w1 = env.app.absence_worklist(&env.c, cells[1].id, 2025).await.unwrap();
        assert_eq!((w1[0].absentee.unexcused, w1[0].absentee.unexcused_months), (3, 3));
        assert!(w1[0].absentee.concerns.iter().any(|c| c.code() == "strike_off_ground"));
        assert_recount_clean(env, &PeriodKey::of_year(2025)).await;
        assert_opened_in_chunks_alike(env, commune.id, &PeriodKey::of_year(2025)).await;
        // Bad periods name the field.
        for bad in ["2025-13", "x", "2025-06-01..2025-01-01"] {
            assert_refused(&env.app.meeting_figures(&env.c, commune.id, bad).await, "period", Some("bad_period"));
        }
    })
    .await;
}

#[tokio::test]
async fn figures_follow_the_tree_of_their_period() {
    each_engine(async |env| {
        let province = env.org(None, "Tỉnh", OrgKind::Provincial).await;
        let old = env.org(Some(&province), "Xã cũ", OrgKind::Commune).await;
        let new = env.org(Some(&province), "Xã mới", OrgKind::Commune).await;
        let cell = env.org(Some(&old), "Chi bộ thôn Đồng", OrgKind::SubordinateCell).await;
        for given in &GIVEN[..3] {
            env.member(&cell, given, Person::official(d(2010, 1, 1))).await;
        }
        for month in 1..=12u8 {
            hold(env, &cell, MeetingKind::Combined, d(2025, month, 5), &[]).await;
        }
        let dated = Dated { effective: d(2025, 7, 1), decision: Default::default() };
        env.app.move_org_on(&env.c, cell.id, new.id, &dated).await.unwrap();
        let meetings = |org: Uuid, p: &'static str| async move {
            env.app.meeting_figures(&env.c, org, p).await.unwrap().figures.meetings
        };
        // The first half belongs to the old commune, the year and the second half to the new.
        assert_eq!((meetings(old.id, "2025-Q2").await, meetings(new.id, "2025-Q2").await), (3, 0));
        assert_eq!((meetings(old.id, "2025-Q3").await, meetings(new.id, "2025-Q3").await), (0, 3));
        assert_eq!((meetings(old.id, "2025").await, meetings(new.id, "2025").await), (0, 12));
        assert_eq!(meetings(province.id, "2025").await, 12);
        assert_recount_clean(env, &PeriodKey::of_year(2025)).await;
    })
    .await;
}

#[tokio::test]
async fn the_life_of_one_meeting() {
    each_engine(async |env| {
        let commune = env.org(None, "Đảng bộ xã", OrgKind::Commune).await;
        let cell = env.org(Some(&commune), "Chi bộ thôn Bắc", OrgKind::SubordinateCell).await;
        let other = env.org(Some(&commune), "Chi bộ thôn Nam", OrgKind::SubordinateCell).await;
        let ids: Vec<Uuid> = [
            env.member(&cell, "Bình", Person::official(d(2010, 1, 1))).await.id,
            env.member(&cell, "Chi", Person::official(d(2012, 1, 1))).await.id,
            env.member(&cell, "Dũng", Person::official(d(2014, 1, 1))).await.id,
            env.member(&cell, "Giang", Person::probationary(d(2026, 3, 1))).await.id,
        ]
        .to_vec();
        let on = d(2026, 10, 5);
        let v = env.app.schedule_meeting(&env.c, cell.id, &plan(MeetingKind::Regular, on)).await.unwrap();
        assert_eq!(v.roll.len(), 4);
        assert_eq!(v.status, MeetingStatus::Scheduled);
        let id = v.meeting.id;
        // Bad input names the field and writes nothing.
        let mut bad = plan(MeetingKind::Regular, on);
        bad.starts_at = Some("25:99".into());
        assert_refused(&env.app.schedule_meeting(&env.c, cell.id, &bad).await, "starts_at", Some("bad_time"));
        assert_eq!(env.app.meetings_of(&env.c, cell.id, 2026).await.unwrap().len(), 1);
        // A secretary of another cell sees nothing; of this cell may record.
        let stranger = env.user(Role::Secretary, &other).await;
        assert!(hidden(&env.app.meeting(&stranger, id).await));
        let secretary = env.user(Role::Secretary, &cell).await;
        // A missing mark is refused, naming the member.
        let partial = vec![MarkInput { member_id: ids[0], mark: Mark::Present, reason: String::new() }];
        let r = env.app.record_attendance(&secretary, id, &partial, 1, None).await;
        assert!(matches!(&r, Err(Problem::Invalid(v)) if v.errors.iter().any(|e| e.code == "required")), "{r:?}");
        let marks: Vec<MarkInput> = ids
            .iter()
            .enumerate()
            .map(|(i, m)| MarkInput {
                member_id: *m,
                mark: if i == 3 { Mark::Excused } else { Mark::Present },
                reason: if i == 3 { "Đi công tác".into() } else { String::new() },
            })
            .collect();
        let v = env.app.record_attendance(&secretary, id, &marks, 1, None).await.unwrap();
        assert_eq!((v.status, v.meeting.present, v.meeting.excused), (MeetingStatus::Held, 3, 1));
        // Changing a recorded mark after the day needs a reason.
        let mut changed = marks.clone();
        changed[2].mark = Mark::Unexcused;
        let r = env.app.record_attendance(&secretary, id, &changed, v.meeting.version, None).await;
        assert_refused(&r, "reason", Some("reason_required"));
        let v = env.app.record_attendance(&secretary, id, &changed, v.meeting.version, Some("Ghi nhầm")).await.unwrap();
        assert_eq!((v.meeting.present, v.meeting.unexcused, v.corrections.len()), (2, 1, 1));
        let v = env.app.record_attendance(&secretary, id, &marks, v.meeting.version, Some("Sửa lại")).await.unwrap();
        // Minutes: incomplete minutes cannot be approved.
        let r = env.app.approve_minutes(&secretary, id, v.meeting.version).await;
        assert!(matches!(&r, Err(Problem::Invalid(v)) if v.errors.iter().any(|e| e.field == "chair")), "{r:?}");
        let minutes = MinutesInput {
            starts_at: Some("19:30".into()),
            ends_at: Some("21:15".into()),
            place: "Nhà văn hóa thôn Bắc".into(),
            agenda: "Nghị quyết tháng 10".into(),
            chair_id: Some(ids[0]),
            recorder_id: Some(ids[1]),
            conclusions: "Thống nhất kế hoạch tháng 11.".into(),
            resolution: "Hoàn thành thu hoạch vụ mùa.".into(),
            votes_for: Some(3),
            votes_against: Some(0),
            votes_abstain: Some(0),
            speakers: vec![
                SpeakerInput { member_id: Some(ids[1]), name: String::new(), opinion: "Nhất trí.".into() },
                SpeakerInput {
                    member_id: None,
                    name: "Đồng chí Phó Bí thư Đảng ủy xã".into(),
                    opinion: "Chỉ đạo.".into(),
                },
            ],
            ..MinutesInput::default()
        };
        let mut bad = minutes.clone();
        bad.chair_id = Some(ids[3]);
        bad.ends_at = Some("19:00".into());
        let r = env.app.record_minutes(&secretary, id, &bad, v.meeting.version, None).await;
        let fields: Vec<String> = match &r {
            Err(Problem::Invalid(v)) => v.errors.iter().map(|e| e.field.clone()).collect(),
            other => panic!("{other:?}"),
        };
        assert_eq!(fields, ["ends_at", "chair_id"]);
        // Counts that would wrap round a u32 to a small total are still more than present.
        let mut wrapping = minutes.clone();
        wrapping.votes_against = Some(u32::MAX - 2);
        let r = env.app.record_minutes(&secretary, id, &wrapping, v.meeting.version, None).await;
        assert_refused(&r, "votes_for", Some("more_votes_than_present"));
        let v = env.app.record_minutes(&secretary, id, &minutes, v.meeting.version, None).await.unwrap();
        assert!(v.minutes_missing.is_empty(), "{:?}", v.minutes_missing);
        assert_eq!(v.speakers.len(), 2);
        // The rating: computed criteria from the record, judged ones entered.
        let scores = BTreeMap::from([
            ("preparation".to_string(), 20),
            ("principles".to_string(), 10),
            ("resolution".to_string(), 15),
        ]);
        let (a, v) = env.app.assess_meeting(&secretary, id, &scores, v.meeting.version, None).await.unwrap();
        // 3 of 4 present (75 %): attendance fails, so not Tốt.
        assert_eq!((a.score, a.rating), (80, Rating::Fair));
        let v = env.app.approve_minutes(&secretary, id, v.meeting.version).await.unwrap();
        assert_eq!(v.status, MeetingStatus::Approved);
        // Approved minutes are locked.
        let r = env.app.record_minutes(&secretary, id, &minutes, v.meeting.version, Some("x")).await;
        assert!(matches!(r, Err(Problem::Conflict(ref e)) if e.code == "minutes_locked"), "{r:?}");
        let r = env.app.attach_document(&secretary, id, "a.pdf", b"%PDF-1.4").await;
        assert!(matches!(r, Err(Problem::Conflict(_))), "{r:?}");
        let oct = env.app.meeting_figures(&env.c, cell.id, "2026-10").await.unwrap();
        assert_eq!((oct.figures.attendance, oct.figures.ratings[1]), (Share::new(3, 4), (Rating::Fair, 1)));
        assert_recount_clean(env, &[PeriodKey::Month(2026, 10), PeriodKey::Year(2026)]).await;
    })
    .await;
}

#[tokio::test]
async fn members_see_upcoming_meetings_and_tell_their_absence() {
    each_engine(async |env| {
        let commune = env.org(None, "Đảng bộ xã", OrgKind::Commune).await;
        let cell = env.org(Some(&commune), "Chi bộ thôn Đông", OrgKind::SubordinateCell).await;
        let m = env.member(&cell, "Hà", Person::official(d(2010, 1, 1))).await;
        env.member(&cell, "Khoa", Person::official(d(2010, 1, 1))).await;
        let soon = common::today().saturating_add(time::Duration::days(7));
        let v = env.app.schedule_meeting(&env.c, cell.id, &plan(MeetingKind::Regular, soon)).await.unwrap();
        let id = v.meeting.id;
        let doc = env.app.attach_document(&env.c, id, "Tài liệu.pdf", "%PDF-1.7 nội dung".as_bytes()).await.unwrap();
        let r = env.app.attach_document(&env.c, id, "virus.exe", b"MZ").await;
        assert_refused(&r, "file", Some("type_not_allowed"));
        // The member's account.
        let u = env.app.create_user(&env.c, "dangvien", "Đảng viên", common::PASSWORD).await.unwrap();
        env.app.grant(&env.c, u.id, Role::Member, cell.id, Some(m.id)).await.unwrap();
        let member = env.app.login("dangvien", common::PASSWORD, None).await.unwrap().1;
        let up = env.app.upcoming_meetings(&member).await.unwrap();
        assert_eq!((up.len(), up[0].documents.len()), (1, 1));
        let (got, body) = env.app.document(&member, doc.id).await.unwrap();
        assert_eq!((got.file_name.as_str(), body.len()), ("Tài liệu.pdf", "%PDF-1.7 nội dung".len()));
        // The member sees their own line, not the others'.
        assert_eq!(env.app.meeting(&member, id).await.unwrap().roll.len(), 1);
        assert_refused(&env.app.notify_absence(&member, id, "  ").await, "reason", Some("required"));
        env.app.notify_absence(&member, id, "Đi viện khám bệnh").await.unwrap();
        // The member may not answer; the secretary accepts, which pre-marks the absence.
        assert!(env.app.answer_notice(&member, id, m.id, true).await.is_err());
        let n = env.app.answer_notice(&env.c, id, m.id, true).await.unwrap();
        assert_eq!(n.answer.as_deref(), Some("accepted"));
        let v = env.app.meeting(&env.c, id).await.unwrap();
        let line = v.roll.iter().find(|l| l.member_id == m.id).unwrap();
        assert_eq!((line.mark, line.reason.as_str()), (Some(Mark::Excused), "Đi viện khám bệnh"));
        // Nothing can be recorded for a meeting not yet held.
        let r = env.app.record_attendance(&env.c, id, &[], v.meeting.version, None).await;
        assert_refused(&r, "held_on", Some("in_future"));
    })
    .await;
}
