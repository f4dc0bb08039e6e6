//! The bulk loader writes what record-by-record creation would: the commune demo loads and
//! `chibo check` finds no difference, also after events recorded through the application; its
//! meetings have rolls and marks, and the figures kept for every period equal a recount.

use crate::{check, load};
use chibo_access::domain::life::{EventKind, Tally};
use chibo_access::domain::member::MemberStatus;
use chibo_access::{Chibo, Clock, EventInput, PageRequest, Viewer};
use chibo_demo::Scale;
use chibo_demo::meetings::DemoMeeting;
use chibo_store::meeting_figures;
use chibo_store::testing::{TestDb, engines};
use time::macros::date;

#[tokio::test]
async fn commune_demo_loads_and_checks_clean() {
    for engine in engines() {
        let db = TestDb::new(engine).await.expect("test database");
        let app = Chibo::open(&db.url).await.expect("open").with_clock(Clock::Pinned(chibo_demo::AS_OF));
        let report = load::demo(&app, Scale::Commune, 2025, load::Meetings::With).await.expect("load");
        assert_eq!(app.working_day().await.expect("day"), Some(chibo_demo::AS_OF), "the demo records its day");
        assert!(report.members >= 100, "{}", db.name);
        meetings_and_figures(&app, &report).await;
        check::check(&app, false).await.expect("no difference after the load");
        counts_as_of_equal_the_ledger(&app).await;

        // Events recorded through the application on top of the bulk-loaded rows.
        let v = Viewer::console();
        let root = app.home_orgs(&v).await.expect("roots").remove(0);
        let req = PageRequest { limit: 20, status: Some(MemberStatus::Official), ..PageRequest::default() };
        let page = app.members_page(&v, root.id, &req).await.expect("page");
        let mut members = page.items.iter();
        for kind in [EventKind::ExemptionStarted, EventKind::Died, EventKind::ContactLost] {
            let input = EventInput {
                kind,
                effective: app.today(),
                org_id: None,
                ref_id: None,
                decision: Default::default(),
                detail: Default::default(),
            };
            // The first member the event fits (one may already be exempt or out of contact).
            let mut recorded = false;
            for m in members.by_ref() {
                if app.record_event(&v, m.id, input.clone()).await.is_ok() {
                    recorded = true;
                    break;
                }
            }
            assert!(recorded, "{kind:?} recorded");
        }
        check::check(&app, false).await.expect("no difference after recorded events");
        counts_as_of_equal_the_ledger(&app).await;
        tampered_rows_are_found(&app).await;
        app.close().await;
        db.drop_db().await;
    }
}

/// The demo's meetings are stored with their rolls and marks, every standard period up to the
/// demo's day is opened, and a recount from the attendance rows finds each equal.
async fn meetings_and_figures(app: &Chibo, report: &load::LoadReport) {
    let r = &report.meetings;
    let mut c = app.pools().read().await.expect("connection");
    let count = chibo_store::db::sql;
    let meetings = count("SELECT COUNT(*) FROM meetings").fetch_i64(&mut c).await.expect("meetings");
    assert!(meetings > 100 && meetings as u64 == r.meetings, "{meetings} meetings, {r:?}");
    let lines = count("SELECT COUNT(*) FROM meeting_attendance").fetch_i64(&mut c).await.expect("lines");
    assert!(lines > 1_000 && lines as u64 == r.attendance, "{lines} lines");
    let marked = count("SELECT COUNT(*) FROM meeting_attendance WHERE mark IS NOT NULL")
        .fetch_i64(&mut c)
        .await
        .expect("marked");
    let invited = count(
        "SELECT COUNT(*) FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id \
         WHERE m.status = 'scheduled' AND a.mark IS NULL",
    )
    .fetch_i64(&mut c)
    .await
    .expect("invited");
    assert!(marked > lines / 2 && invited > 0, "{marked} marked, {invited} invited of {lines}");
    let approved = count("SELECT COUNT(*) FROM meetings WHERE status = 'approved' AND rating IS NOT NULL")
        .fetch_i64(&mut c)
        .await
        .expect("approved");
    assert!(approved > meetings / 2, "{approved} rated of {meetings}");
    // Rows read back as generated: text with line breaks, times, codes, counts, the rating.
    let generated = chibo_demo::Generator::new(Scale::Commune, 2025).meetings().next_batch(usize::MAX);
    for m in generated.meetings.iter().step_by(50) {
        let stored = chibo_store::meetings::by_id(&mut c, m.id).await.expect("read").expect("stored");
        let n = m.counts;
        assert_eq!(
            (stored.kind.code(), stored.status.code(), stored.held_on, stored.agenda.as_str()),
            (m.kind.code(), m.status.code(), m.held_on, m.agenda.as_str())
        );
        assert_eq!(
            (stored.starts_at, stored.ends_at),
            (Some(DemoMeeting::time_text(m.starts_at)), m.ends_at.map(DemoMeeting::time_text))
        );
        assert_eq!(
            [
                stored.present,
                stored.excused,
                stored.unexcused,
                stored.exempt,
                stored.special_duty,
                stored.exempt_present
            ],
            [n.present, n.excused, n.unexcused, n.exempt, n.special_duty, n.exempt_present].map(i64::from)
        );
        assert_eq!((stored.rating.as_deref(), stored.scores), (m.rating.map(|r| r.code()), m.scores_json()));
        assert_eq!((stored.approved_at, stored.created_at), (m.approved_at, m.created_at));
        assert_eq!(stored.votes_for, m.votes.map(|v| i64::from(v.0)));
    }
    let periods = meeting_figures::opened_since(&mut c, None).await.expect("periods");
    assert_eq!(periods.len(), r.periods);
    let keys: Vec<_> = periods.iter().map(|(k, _)| *k).collect();
    let mut standard = chibo_store::meeting_bulk::standard_periods(chibo_demo::meetings::FIRST_YEAR, chibo_demo::AS_OF);
    standard.sort();
    assert_eq!(keys, standard);
    for (key, _) in periods {
        let wrong = meeting_figures::recount(&mut c, key).await.expect("recount");
        assert!(wrong.is_empty(), "{}: {wrong:?}", key.code());
    }
    // The root's figures for the first year: every cell owed its months, most held them all.
    let root = app.home_orgs(&Viewer::console()).await.expect("roots").remove(0);
    let year = chibo_access::domain::meeting::PeriodKey::Year(chibo_demo::meetings::FIRST_YEAR);
    let sums = meeting_figures::rollups(&mut c, &[root.id], year).await.expect("rollups");
    let f = sums.get(&root.id).expect("the root has figures");
    assert_eq!(f.regular_cells, root.stats.cells);
    assert!(f.regular_met * 10 >= f.regular_cells * 8 && f.present * 100 >= f.base * 85, "{f:?}");
}

/// Rows of the kept changes, of the dated ledger and of the pairs of name words changed behind
/// the application's back are each counted by `chibo check`; `--repair` rebuilds the kept
/// changes from the events and the pairs from the members.
async fn tampered_rows_are_found(app: &Chibo) {
    let run = |text: &'static str| async move {
        let mut tx = app.pools().begin().await.expect("transaction");
        let n = chibo_store::db::sql(text).execute(&mut tx).await.expect(text);
        tx.commit().await.expect("commit");
        n
    };
    let changed = run("UPDATE change_counts SET n = n + 2 WHERE line = 'admitted' AND period = \
                       (SELECT MIN(period) FROM change_counts WHERE line = 'admitted')")
    .await;
    let deleted = run("DELETE FROM change_counts WHERE line = 'died' AND n <> 0").await;
    let ledger =
        run("UPDATE org_tally SET female = female + 1 WHERE on_date = (SELECT MIN(on_date) FROM org_tally)").await;
    let pairs = run("DELETE FROM member_word_pairs WHERE first = (SELECT MIN(first) FROM member_word_pairs)").await;
    assert!(changed > 0 && deleted > 0 && ledger > 0 && pairs > 0, "{changed} {deleted} {ledger} {pairs}");
    let found = check::check(app, false).await.expect_err("tampered rows").to_string();
    assert!(found.contains(&format!("{pairs} pairs of name words unlike the word index")), "{found}");
    let kept = format!("{} kept change counts that differ from the events", changed + deleted);
    assert!(found.contains(&kept), "{found}");
    assert!(found.contains(&format!("{ledger} ledger rows unlike the recomputation")), "{found}");
    run("UPDATE org_tally SET female = female - 1 WHERE on_date = (SELECT MIN(on_date) FROM org_tally)").await;
    check::check(app, true).await.expect("the kept changes repaired");
    check::check(app, false).await.expect("no difference after the repair");
}

/// `org_on` counts (read forward or backward from the counters) equal the stored ledger summed
/// up to the date, for early, recent and current dates.
async fn counts_as_of_equal_the_ledger(app: &Chibo) {
    let v = Viewer::console();
    let mut c = app.pools().read().await.expect("connection");
    let ledger = chibo_store::history::all_ledger(&mut c).await.expect("ledger");
    drop(c);
    let root = app.home_orgs(&v).await.expect("roots").remove(0);
    for on in [date!(1990 - 01 - 01), date!(2025 - 06 - 01), app.today()] {
        let view = app.org_on(&v, root.id, on).await.expect("as of");
        let expect =
            |org| ledger.rows().filter(|(o, d, _)| *o == org && *d <= on).fold(Tally::default(), |a, (_, _, t)| a + t);
        assert_eq!(view.tally, expect(root.id), "{on}");
        for child in &view.children {
            assert_eq!(child.tally, expect(child.id), "{} {on}", child.name);
        }
    }
}
