//! Races on every engine: many requests at once on the same records, as a busy office makes
//! them. SQLite's single writer serialises them by construction; PostgreSQL runs write
//! transactions at SERIALIZABLE and the application runs the loser again. Either way:
//! exactly the outcomes one-at-a-time would allow, every refusal a 4xx (never
//! `Unavailable`), and every kept figure equal to its recount afterwards (the counters, the kept
//! structure and its changes by month, the kept organisation counts and their changes by
//! month, the meeting figures).

use crate::common;

use chibo_access::domain::life::EventKind::TransferredOut;
use chibo_access::domain::meeting::{Mark, MeetingKind, PeriodKey};
use chibo_access::domain::org::OrgKind;
use chibo_access::{Chibo, MarkInput, MeetingInput, Org, Outcome, Problem, Viewer};
use chibo_store::{meeting_figures, orgs};
use common::{Env, Person, With, d, days_ago, each_engine, ev};
use std::future::Future;
use time::Date;
use uuid::Uuid;

/// The job `make` gives, twice at once ([`all_at_once`]).
pub(crate) async fn twice_at_once<T, F>(mut make: impl FnMut() -> F) -> Vec<Outcome<T>>
where
    T: Send + 'static,
    F: Future<Output = Outcome<T>> + Send + 'static,
{
    all_at_once(vec![make(), make()]).await
}

/// Run every job at once, each on its own task (and so its own connection).
pub(crate) async fn all_at_once<T, F>(jobs: Vec<F>) -> Vec<Outcome<T>>
where
    T: Send + 'static,
    F: Future<Output = Outcome<T>> + Send + 'static,
{
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(jobs.len()));
    let handles: Vec<_> = jobs
        .into_iter()
        .map(|job| {
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                job.await
            })
        })
        .collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}

/// A refusal a client can act on: anything but "the records cannot be reached".
#[track_caller]
fn assert_no_failure<T: std::fmt::Debug>(results: &[Outcome<T>], what: &str) {
    for r in results {
        assert!(!matches!(r, Err(Problem::Unavailable(_))), "{what}: a server failure: {r:?}");
    }
}

async fn assert_counters_clean(env: &Env, what: &str) {
    let mut c = env.db.pools.read().await.unwrap();
    let wrong = orgs::recount(&mut c).await.unwrap();
    assert!(wrong.is_empty(), "{what}: counters unlike a recount: {wrong:?}");
    let mut tx = env.db.pools.begin().await.unwrap();
    let wrong = chibo_store::structure_changes::recount(&mut tx).await.unwrap();
    assert!(wrong.is_empty(), "{what}: changes by month unlike a recount: {wrong:?}");
    let wrong = chibo_store::structure_counts::recount(&mut tx).await.unwrap();
    assert!(wrong.is_empty(), "{what}: kept structure unlike a recount: {wrong:?}");
    let wrong = chibo_store::org_changes::recount(&mut tx).await.unwrap();
    assert!(wrong.is_empty(), "{what}: organisation changes by month unlike a recount: {wrong:?}");
    drop(tx);
    let wrong = chibo_store::org_counts::recount(&mut c).await.unwrap();
    assert!(wrong.is_empty(), "{what}: kept organisation counts unlike a recount: {wrong:?}");
}

async fn assert_figures_clean(env: &Env, keys: &[PeriodKey]) {
    let mut c = env.db.pools.read().await.unwrap();
    for k in keys {
        let wrong = meeting_figures::recount(&mut c, *k).await.unwrap();
        assert!(wrong.is_empty(), "{}: figures unlike a recount: {wrong:?}", k.code());
    }
}

struct Commune {
    cells: Vec<Org>,
}

async fn commune(env: &Env, cells: usize) -> Commune {
    let p = env.org(None, "Đảng bộ Tỉnh", OrgKind::Provincial).await;
    let x = env.org(Some(&p), "Đảng bộ Xã", OrgKind::Commune).await;
    let mut out = Vec::new();
    for i in 0..cells {
        out.push(env.org(Some(&x), &format!("Chi bộ thôn {}", i + 1), OrgKind::SubordinateCell).await);
    }
    Commune { cells: out }
}

const GIVEN: &[&str] = &["An", "Bình", "Chi", "Dũng", "Đức", "Giang", "Hà", "Hùng", "Khoa", "Lan"];

/// Two transfers out of the same member at once, to different cells: one is recorded, the
/// other refused, and the member's row, spans and every counter agree with the events.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_transfers_of_one_member_at_once_record_one() {
    each_engine(async |env: &Env| {
        let c = commune(env, 3).await;
        let (from, to_a, to_b) = (&c.cells[0], c.cells[1].id, c.cells[2].id);
        let mut members = Vec::new();
        for i in 0..12 {
            members.push(env.member(from, GIVEN[i % GIVEN.len()], Person::official(d(2010, 3, 15))).await);
        }
        let on = days_ago(3);
        let mut jobs = Vec::new();
        for m in &members {
            for to in [to_a, to_b] {
                let (app, v, id) = (env.app.clone(), env.c.clone(), m.id);
                let input = ev(TransferredOut, on).org(to).signed(on);
                jobs.push(async move { app.record_event(&v, id, input).await.map(|_| ()) });
            }
        }
        let results = all_at_once(jobs).await;
        assert_no_failure(&results, "transfers");
        for (m, pair) in members.iter().zip(results.chunks(2)) {
            let recorded = pair.iter().filter(|r| r.is_ok()).count();
            assert_eq!(recorded, 1, "member {}: {pair:?}", m.id);
            env.assert_settled(m.id, "after two transfers at once").await;
        }
        assert_counters_clean(env, "transfers").await;
        env.assert_counts(&common::around(&[on]), "transfers").await;
    })
    .await;
}

fn plan(on: Date) -> MeetingInput {
    MeetingInput {
        kind: MeetingKind::Regular,
        held_on: on,
        starts_at: Some("19:30".into()),
        place: "Nhà văn hóa thôn".into(),
        agenda: "Sinh hoạt thường kỳ".into(),
        topic_id: None,
        guests: String::new(),
    }
}

/// Attendance saved by many clients at once on one meeting: with the same version, one wins
/// and the others are told the record changed (409); clients that reload and save again all
/// get through; the meeting's counts and every figure equal their recount.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn attendance_saved_at_once_on_one_meeting() {
    each_engine(async |env: &Env| {
        let c = commune(env, 1).await;
        let cell = &c.cells[0];
        for g in GIVEN {
            env.member(cell, g, Person::official(d(2012, 6, 1))).await;
        }
        let on = days_ago(2);
        let m = env.app.schedule_meeting(&env.c, cell.id, &plan(on)).await.expect("schedule");
        let id = m.meeting.id;
        let roll: Vec<Uuid> = m.roll.iter().map(|l| l.member_id).collect();
        let marks_with = |absent: usize| -> Vec<MarkInput> {
            roll.iter()
                .enumerate()
                .map(|(i, &member_id)| {
                    let mark = if i == absent { Mark::Unexcused } else { Mark::Present };
                    MarkInput { member_id, mark, reason: String::new() }
                })
                .collect()
        };

        // Everyone saves over the version they loaded.
        let jobs: Vec<_> = (0..8)
            .map(|k| {
                let (app, v, marks, version) = (env.app.clone(), env.c.clone(), marks_with(k), m.meeting.version);
                async move { app.record_attendance(&v, id, &marks, version, None).await.map(|_| ()) }
            })
            .collect();
        let results = all_at_once(jobs).await;
        assert_no_failure(&results, "same version");
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
        assert!(results.iter().all(|r| r.is_ok() || matches!(r, Err(Problem::Conflict(_)))), "{results:?}");

        // Each client reloads and saves again until it gets through (with a reason, since
        // the day has passed and the marks change).
        let jobs: Vec<_> = (0..8)
            .map(|k| {
                let (app, v, marks) = (env.app.clone(), env.c.clone(), marks_with(k));
                async move { save_until_through(&app, &v, id, &marks).await }
            })
            .collect();
        let results = all_at_once(jobs).await;
        assert_no_failure(&results, "reload and save");
        assert!(results.iter().all(|r| r.is_ok()), "{results:?}");

        let after = env.app.meeting(&env.c, id).await.unwrap();
        let unexcused = after.roll.iter().filter(|l| l.mark == Some(Mark::Unexcused)).count();
        assert_eq!((after.meeting.unexcused, unexcused), (1, 1), "the last save's marks, counted once");
        assert_figures_clean(env, &PeriodKey::holding(on)).await;
    })
    .await;
}

async fn save_until_through(app: &Chibo, v: &Viewer, id: Uuid, marks: &[MarkInput]) -> Outcome<()> {
    for _ in 0..50 {
        let version = app.meeting(v, id).await?.meeting.version;
        match app.record_attendance(v, id, marks, version, Some("Bổ sung điểm danh")).await {
            Ok(_) => return Ok(()),
            Err(Problem::Conflict(_)) => continue,
            Err(other) => return Err(other),
        }
    }
    Err(Problem::Conflict(chibo_access::FieldError::new("version", "gave_up", "", "")))
}

/// A busy commune: members added to every cell and meetings held in every cell at once. All
/// go through, and the commune's counters and meeting figures equal their recounts.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_busy_commune_keeps_its_counters_and_figures() {
    each_engine(async |env: &Env| {
        let c = commune(env, 6).await;
        let mut jobs: Vec<std::pin::Pin<Box<dyn Future<Output = Outcome<()>> + Send>>> = Vec::new();
        for (i, cell) in c.cells.iter().enumerate() {
            for (k, g) in GIVEN.iter().enumerate().take(4) {
                let (app, v) = (env.app.clone(), env.c.clone());
                let mut input = common::member_input(g, cell.id, Person::official(d(2005 + k as i32, 1, 10)));
                input.profile.citizen_id = Some(format!("001080{i:02}{k:04}"));
                jobs.push(Box::pin(async move { app.create_member(&v, input).await.map(|_| ()) }));
            }
        }
        let results = all_at_once(jobs).await;
        assert_no_failure(&results, "members");
        assert!(results.iter().all(|r| r.is_ok()), "{results:?}");
        assert_counters_clean(env, "members at once").await;

        let on = days_ago(1);
        let mut jobs: Vec<std::pin::Pin<Box<dyn Future<Output = Outcome<()>> + Send>>> = Vec::new();
        for cell in &c.cells {
            let (app, v, cell_id) = (env.app.clone(), env.c.clone(), cell.id);
            jobs.push(Box::pin(async move {
                let m = app.schedule_meeting(&v, cell_id, &plan(on)).await?;
                let marks: Vec<MarkInput> = m
                    .roll
                    .iter()
                    .map(|l| MarkInput { member_id: l.member_id, mark: Mark::Present, reason: String::new() })
                    .collect();
                app.record_attendance(&v, m.meeting.id, &marks, m.meeting.version, None).await.map(|_| ())
            }));
        }
        let results = all_at_once(jobs).await;
        assert_no_failure(&results, "meetings");
        assert!(results.iter().all(|r| r.is_ok()), "{results:?}");
        assert_figures_clean(env, &PeriodKey::holding(on)).await;
        assert_counters_clean(env, "meetings at once").await;
    })
    .await;
}

/// Cells created at once under one commune of a province, dated in different months, then
/// their villages edited and half of them dissolved at once: every write gets through, and
/// the counters, the kept organisation counts and their changes by month (the province's rows
/// of one month written by several transactions) equal their recounts.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn organisations_created_edited_and_dissolved_at_once() {
    each_engine(async |env: &Env| {
        let c = commune(env, 1).await;
        let x = c.cells[0].parent_id.expect("a commune");
        let mut jobs: Vec<std::pin::Pin<Box<dyn Future<Output = Outcome<Org>> + Send>>> = Vec::new();
        for i in 0..8 {
            let (app, v) = (env.app.clone(), env.c.clone());
            let input = chibo_access::domain::org::OrgInput {
                established_on: Some(d(2025, 1 + i % 3, 1 + i)),
                ..common::org_input(&format!("Chi bộ bản {}", i + 1), OrgKind::SubordinateCell)
            };
            jobs.push(Box::pin(async move { app.create_org(&v, Some(x), input).await }));
        }
        let created = all_at_once(jobs).await;
        assert_no_failure(&created, "created");
        let cells: Vec<Org> = created.into_iter().map(|r| r.expect("created")).collect();
        assert_counters_clean(env, "cells created at once").await;

        let mut jobs: Vec<std::pin::Pin<Box<dyn Future<Output = Outcome<Org>> + Send>>> = Vec::new();
        for (i, cell) in cells.iter().enumerate() {
            let (app, v, id) = (env.app.clone(), env.c.clone(), cell.id);
            if i % 2 == 0 {
                let mut input = cell.input.clone();
                input.locality.village = Some(format!("Bản {}", i + 1));
                jobs.push(Box::pin(async move { app.update_org(&v, id, input).await }));
            } else {
                jobs.push(Box::pin(
                    async move { app.dissolve_org(&v, id, &chibo_access::Dated::on(d(2025, 6, 30))).await },
                ));
            }
        }
        let results = all_at_once(jobs).await;
        assert_no_failure(&results, "edited and dissolved");
        assert!(results.iter().all(|r| r.is_ok()), "{results:?}");
        assert_counters_clean(env, "cells edited and dissolved at once").await;
    })
    .await;
}

/// The same citizen ID entered twice at once: one record, one refusal naming the field.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_citizen_id_entered_twice_at_once() {
    each_engine(async |env: &Env| {
        let c = commune(env, 2).await;
        let jobs: Vec<_> = c
            .cells
            .iter()
            .map(|cell| {
                let (app, v) = (env.app.clone(), env.c.clone());
                let mut input = common::member_input("Lan", cell.id, Person::official(d(2015, 2, 3)));
                input.profile.citizen_id = Some("001080012345".into());
                async move { app.create_member(&v, input).await.map(|_| ()) }
            })
            .collect();
        let results = all_at_once(jobs).await;
        assert_no_failure(&results, "duplicate");
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
        let refused = results.iter().find_map(|r| match r {
            Err(Problem::Conflict(e)) => Some(e.field.clone()),
            _ => None,
        });
        assert_eq!(refused.as_deref(), Some("citizen_id"), "{results:?}");
        assert_counters_clean(env, "duplicate").await;
    })
    .await;
}

/// A two-row registry file of a fresh two-cell commune, imported (`true`) or checked (`false`)
/// by as many callers at once as `commits` has entries.
async fn one_file_at_once(env: &Env, commits: &[bool]) -> Vec<Outcome<chibo_access::ImportReport>> {
    let c = commune(env, 2).await;
    let root = c.cells[0].parent_id.expect("the commune");
    let file = "Họ và tên,Ngày sinh,Giới tính,Số CCCD,Ngày vào Đảng,Ngày chính thức,Chi bộ\n\
                Lò Văn Pá,07/01/1980,Nam,001080054321,01/01/2010,01/01/2011,Chi bộ thôn 1\n\
                Hà Thị Ơn,08/03/1982,Nữ,001182054321,19/05/2012,19/05/2013,Chi bộ thôn 2\n";
    let jobs: Vec<_> = commits
        .iter()
        .map(|&commit| {
            let (app, v) = (env.app.clone(), env.c.clone());
            async move { app.import_members(&v, root, "ds.csv", file.as_bytes(), commit).await }
        })
        .collect();
    all_at_once(jobs).await
}

/// The same registry file imported twice at once: its members are written once; the other
/// import writes nothing and names the duplicated citizen IDs (or is refused on the field).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_file_imported_twice_at_once() {
    each_engine(async |env: &Env| {
        let results = one_file_at_once(env, &[true, true]).await;
        assert_no_failure(&results, "import");
        let imported: Vec<usize> = results.iter().filter_map(|r| r.as_ref().ok()).map(|r| r.imported).collect();
        assert_eq!(imported.iter().sum::<usize>(), 2, "the rows once: {results:?}");
        for r in &results {
            match r {
                Ok(report) if report.imported == 0 => {
                    assert!(report.errors.iter().all(|p| p.error.field == "citizen_id"), "{report:?}")
                }
                Ok(_) => {}
                Err(Problem::Conflict(e)) => assert_eq!(e.field, "citizen_id"),
                Err(other) => panic!("unexpected refusal: {other:?}"),
            }
        }
        assert_counters_clean(env, "import").await;
    })
    .await;
}

/// Many checks of a registry file at once, beside an import of it: each check holds one reading
/// connection (its rows are checked on a task of their own), so they take turns at the
/// readers and every one answers; none waits for a second connection that its neighbours hold.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_checks_of_a_file_at_once_all_answer() {
    each_engine(async |env: &Env| {
        let commits: Vec<bool> = (0..13).map(|k| k == 0).collect();
        let results = one_file_at_once(env, &commits).await;
        assert_no_failure(&results, "check");
        for r in &results {
            let report = r.as_ref().expect("every check answers");
            assert_eq!(report.rows, 2, "{report:?}");
        }
        let imported: usize = results.iter().filter_map(|r| r.as_ref().ok()).map(|r| r.imported).sum();
        assert_eq!(imported, 2, "the import wrote its rows: {results:?}");
        assert_counters_clean(env, "import").await;
    })
    .await;
}

/// A year's review round opened at once by a commune and by its province, whose rounds would
/// overlap on the commune's subtree: one is opened, the other refused with a conflict naming
/// the round in the way, and the review figures equal their recount.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn overlapping_review_rounds_opened_at_once_open_one() {
    each_engine(async |env: &Env| {
        let p = env.org(None, "Đảng bộ Tỉnh", OrgKind::Provincial).await;
        let x = env.org(Some(&p), "Đảng bộ Xã", OrgKind::Commune).await;
        let cell = env.org(Some(&x), "Chi bộ thôn 1", OrgKind::SubordinateCell).await;
        for name in &GIVEN[..4] {
            env.member(&cell, name, Person::official(d(2010, 3, 15))).await;
        }
        // Three years, each a race of its own.
        for (n, y) in [2024, 2025, 2026].into_iter().enumerate() {
            let year = common::year_round(y);
            let jobs = [p.id, x.id].map(|org| {
                let (app, c, year) = (env.app.clone(), env.c.clone(), year.clone());
                async move { app.open_review(&c, org, &year).await }
            });
            let results = all_at_once(jobs.into_iter().collect()).await;
            assert_no_failure(&results, "open_review");
            assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{y}: {results:?}");
            assert!(results.iter().any(|r| matches!(r, Err(Problem::Conflict(_)))), "{y}: {results:?}");
            let mut c = env.db.pools.read().await.unwrap();
            let rounds = chibo_store::review::rounds_under(&mut c, &p.path).await.unwrap();
            assert_eq!(rounds.len(), n + 1, "{y}: {rounds:?}");
            assert!(chibo_store::review_figures::recount(&mut c).await.unwrap().is_empty(), "{y}: review figures");
        }
    })
    .await;
}
