//! The bulk loader writes what record-by-record creation would: the commune demo loads and
//! `chibo check` finds no difference, also after events recorded through the application.

use crate::{check, load};
use chibo_access::domain::life::{EventKind, Tally};
use chibo_access::domain::member::MemberStatus;
use chibo_access::{Chibo, EventInput, PageRequest, Viewer};
use chibo_demo::Scale;
use chibo_store::testing::{TestDb, engines};
use time::macros::date;

#[tokio::test]
async fn commune_demo_loads_and_checks_clean() {
    for engine in engines() {
        let db = TestDb::new(engine).await.expect("test database");
        let app = Chibo::open(&db.url).await.expect("open");
        let report = load::demo(&app, Scale::Commune, 2025).await.expect("load");
        assert!(report.members >= 100, "{}", db.name);
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
                effective: chibo_access::today(),
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
        app.close().await;
        db.drop_db().await;
    }
}

/// `org_on` counts (read forward or backward from the counters) equal the stored ledger summed
/// up to the date, for early, recent and current dates.
async fn counts_as_of_equal_the_ledger(app: &Chibo) {
    let v = Viewer::console();
    let mut c = app.pools().read().await.expect("connection");
    let ledger = chibo_store::history::all_ledger(&mut c).await.expect("ledger");
    drop(c);
    let root = app.home_orgs(&v).await.expect("roots").remove(0);
    for on in [date!(1990 - 01 - 01), date!(2025 - 06 - 01), chibo_access::today()] {
        let view = app.org_on(&v, root.id, on).await.expect("as of");
        let expect =
            |org| ledger.rows().filter(|(o, d, _)| *o == org && *d <= on).fold(Tally::default(), |a, (_, _, t)| a + t);
        assert_eq!(view.tally, expect(root.id), "{on}");
        for child in &view.children {
            assert_eq!(child.tally, expect(child.id), "{} {on}", child.name);
        }
    }
}
