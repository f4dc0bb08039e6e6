//! The organisation figures of the statistics report, computed a second way: the tree of each
//! date walked down through `org_on`, villages classified by hand, the changes from each
//! organisation's own restructuring events. Both engines, around merges, a split, a
//! dissolution, a move and a new cell in 2025.

use crate::common;

use chibo_access::domain::Lang;
use chibo_access::domain::life::Decision;
use chibo_access::domain::org::{Locality, OrgKind};
use chibo_access::domain::report::OrgFigures;
use chibo_access::{Dated, Org, Report, SplitPart};
use chibo_store::{history, org_changes, org_counts, orgs, report_orgs};
use common::{Env, d, each_engine, org_input, today};
use std::collections::BTreeMap;
use time::Date;
use uuid::Uuid;

fn dated(effective: Date) -> Dated {
    Dated {
        effective,
        decision: Decision {
            number: Some("5-QĐ/HU".into()),
            body: Some("Huyện ủy".into()),
            signed_on: Some(effective),
        },
    }
}

async fn cell(env: &Env, parent: &Org, name: &str, village: Option<&str>, established: Option<Date>) -> Org {
    let input = chibo_access::domain::org::OrgInput {
        locality: Locality { village: village.map(String::from), ..Locality::default() },
        established_on: established,
        ..org_input(name, OrgKind::SubordinateCell)
    };
    env.app.create_org(&env.c, Some(parent.id), input).await.unwrap()
}

/// A province, two communes, five cells (a village, a hamlet, a school, an urban group, an
/// ấp) and a party group: `[province, a, b, thôn 1, bản Na, school, tổ dân phố 2, ấp 3]`.
async fn fixture(env: &Env) -> [Org; 8] {
    let p = env.org(None, "Đảng bộ tỉnh Lào Cai", OrgKind::Provincial).await;
    let a = env.org(Some(&p), "Đảng bộ xã An Bình", OrgKind::Commune).await;
    let b = env.org(Some(&p), "Đảng bộ xã Bảo Hà", OrgKind::Commune).await;
    let thon1 = cell(env, &a, "Chi bộ thôn 1", Some("Thôn 1"), None).await;
    let ban = cell(env, &a, "Chi bộ bản Na", Some("Bản Na"), None).await;
    let school = cell(env, &a, "Chi bộ trường học", None, None).await;
    let tdp = cell(env, &b, "Chi bộ tổ dân phố 2", Some("Tổ dân phố 2"), None).await;
    let ap = cell(env, &b, "Chi bộ ấp 3", Some("Ấp 3"), None).await;
    env.org(Some(&thon1), "Tổ đảng 1", OrgKind::PartyGroup).await;
    [p, a, b, thon1, ban, school, tdp, ap]
}

/// The report's organisation figures as `section/key → count`, zeros left out.
fn figures(r: &Report) -> BTreeMap<String, u64> {
    figures_of(&r.orgs)
}

/// The fixture's village names, classified by hand.
fn village_key(v: Option<&str>) -> &'static str {
    match v {
        None => "none",
        Some(v) if v.starts_with("Thôn") => "village",
        Some(v) if v.starts_with("Bản") => "hamlet",
        Some(v) if v.starts_with("Ấp") => "ap",
        Some(v) if v.starts_with("Tổ dân phố") => "urban",
        Some(_) => "other",
    }
}

/// The organisations under `root` as the tree stood on `on` (the root left out), walked down
/// one organisation at a time.
async fn tree_on(env: &Env, root: &Org, on: Date) -> Vec<Uuid> {
    let mut todo = vec![root.id];
    let mut under = Vec::new();
    while let Some(id) = todo.pop() {
        for ch in env.app.org_on(&env.c, id, on).await.unwrap().children {
            todo.push(ch.id);
            under.push(ch.id);
        }
    }
    under
}

async fn second_way(env: &Env, root: &Org, on: Date, from: Date, to: Date) -> BTreeMap<String, u64> {
    let mut out: BTreeMap<String, u64> = BTreeMap::new();
    let under = tree_on(env, root, on).await;
    let mut c = env.db.pools.read().await.unwrap();
    for o in orgs::by_ids(&mut c, &under).await.unwrap() {
        *out.entry(format!("kind/{}", o.kind().code())).or_default() += 1;
        if o.kind().is_cell() {
            *out.entry(format!("village/{}", village_key(o.input.locality.village.as_deref()))).or_default() += 1;
        }
    }
    // Every organisation that ever was; each change counted when the organisation lay under
    // the root in the tree of its day (a creation), or of the day before (an end).
    let ids: Vec<Uuid> = history::all_links(&mut c).await.unwrap().into_keys().collect();
    let within = |d: Option<Date>| d.is_some_and(|d| from <= d && d <= to);
    for o in orgs::by_ids(&mut c, &ids).await.unwrap() {
        let evs = history::org_events(&mut c, o.id).await.unwrap();
        let mut there = BTreeMap::new();
        let days = evs.iter().map(|e| e.effective).chain(o.input.established_on).chain(o.input.dissolved_on);
        for day in days.flat_map(|d| [d, d.previous_day().unwrap()]) {
            if let std::collections::btree_map::Entry::Vacant(v) = there.entry(day) {
                v.insert(tree_on(env, root, day).await.contains(&o.id));
            }
        }
        let on_day = |d: Date| there.get(&d).copied().unwrap_or(false);
        let day_before = |d: Date| on_day(d.previous_day().unwrap());
        let happened =
            |kind: &str| evs.iter().any(|e| e.kind == kind && within(Some(e.effective)) && day_before(e.effective));
        let established =
            evs.iter().any(|e| e.kind == "established" && within(Some(e.effective)) && on_day(e.effective));
        let merged_away = evs.iter().any(|e| {
            e.kind == "merged" && within(Some(e.effective)) && e.detail.get("into").is_some() && day_before(e.effective)
        });
        let mut add = |k: &str| *out.entry(format!("change/{k}")).or_default() += 1;
        if o.input.established_on.is_some_and(|d| within(Some(d)) && on_day(d)) || established {
            add("created");
        }
        if merged_away {
            add("merged");
        }
        if happened("split") {
            add("split");
        }
        if o.input.dissolved_on.is_some_and(|d| within(Some(d)) && day_before(d)) && !merged_away && !happened("split")
        {
            add("dissolved");
        }
    }
    out
}

#[tokio::test]
async fn organisation_figures_equal_a_second_computation_around_a_restructuring() {
    each_engine(async |env: &Env| {
        let [p, a, b, thon1, ban, school, tdp, ap] = fixture(env).await;
        let app = &env.app;
        app.merge_orgs(&env.c, &[ban.id], thon1.id, &dated(d(2025, 3, 1))).await.unwrap();
        let parts = ["Chi bộ tổ dân phố 2A", "Chi bộ tổ dân phố 2B"]
            .map(|n| SplitPart { input: org_input(n, OrgKind::SubordinateCell), member_ids: vec![] });
        app.split_org(&env.c, tdp.id, &parts, true, &dated(d(2025, 6, 1))).await.unwrap();
        app.move_org_on(&env.c, ap.id, a.id, &dated(d(2025, 7, 1))).await.unwrap();
        app.dissolve_org(&env.c, school.id, &dated(d(2025, 8, 1))).await.unwrap();
        cell(env, &a, "Chi bộ thôn 4", Some("Thôn 4"), Some(d(2025, 9, 1))).await;
        // Created in commune A, then moved to commune B: its creation counts in A (the tree of
        // its date), not in B where it lies today.
        let thon5 = cell(env, &a, "Chi bộ thôn 5", Some("Thôn 5"), Some(d(2025, 2, 1))).await;
        app.move_org_on(&env.c, thon5.id, b.id, &dated(d(2025, 10, 1))).await.unwrap();
        // Established within a month: a report of a day before it in that month counts it
        // out (the top's figures are its kept months less the rest of the month).
        cell(env, &a, "Chi bộ thôn 6", Some("Thôn 6"), Some(d(2025, 9, 20))).await;
        let mut tx = env.db.pools.begin().await.unwrap();
        assert_eq!(org_changes::recount(&mut tx).await.unwrap(), vec![], "changes by month ≠ recount");
        tx.commit().await.unwrap();

        // The changes read by date and by the walk down each subtree are the same (the report
        // takes whichever reads less).
        let mut c = env.db.pools.read().await.unwrap();
        for org in [&p, &a, &b, &thon1, &ap, &school] {
            for (from, to) in
                [(d(2025, 1, 1), d(2026, 1, 1)), (d(2025, 7, 1), d(2025, 10, 1)), (d(2024, 1, 1), d(2025, 1, 1))]
            {
                let by_date = report_orgs::facts_read(&mut c, org.id, from, to, true).await.unwrap();
                let walked = report_orgs::facts_read(&mut c, org.id, from, to, false).await.unwrap();
                assert_eq!(by_date, walked, "{} from {from}", org.input.name);
            }
        }
        drop(c);
        for (org, name) in [(&p, "province"), (&a, "commune A"), (&b, "commune B"), (&thon1, "cell")] {
            for on in [d(2024, 12, 31), d(2025, 3, 1), d(2025, 6, 30), d(2025, 9, 10), d(2025, 12, 31), today()] {
                for period in ["2025", "2025-Q1", "2025-Q3", "2024"] {
                    let r = app.report(&env.c, org.id, Some(on), period).await.unwrap();
                    let want = second_way(env, org, on, r.changes.from, r.changes.to).await;
                    assert_eq!(figures(&r), want, "{name} on {on}, {period}");
                }
            }
        }
        // What the fixture is meant to reach.
        let r = app.report(&env.c, a.id, None, "2025").await.unwrap();
        let got = |k: &str| r.orgs.count(k);
        assert_eq!((got("created"), got("merged"), got("split"), got("dissolved")), (3, 1, 0, 1));
        assert_eq!((got("village"), got("ap"), got("hamlet"), got("none")), (3, 1, 0, 0));
        assert_eq!((got("subordinate_cell"), got("party_group")), (4, 1));
        let r = app.report(&env.c, b.id, None, "2025").await.unwrap();
        assert_eq!((r.orgs.count("created"), r.orgs.count("split"), r.orgs.count("none")), (2, 1, 2));
        let then = app.report(&env.c, a.id, Some(d(2024, 12, 31)), "2025").await.unwrap();
        assert_eq!((then.orgs.count("village"), then.orgs.count("hamlet"), then.orgs.count("none")), (1, 1, 1));
    })
    .await;
}

/// Today's figures of every organisation of the tree from the raw organisation rows (the
/// subtree's active organisations, each classified by `behind`), and the kept counts equal to
/// a recount. The kinds and villages only: the changes are the report's own reading
/// (`facts_in`), compared with a second computation in
/// `organisation_figures_equal_a_second_computation_around_a_restructuring`.
async fn kept_equal_raw(env: &Env, all: &[&Org], when: &str) {
    let mut tx = env.db.pools.begin().await.unwrap();
    assert_eq!(org_changes::recount(&mut tx).await.unwrap(), vec![], "{when}: changes by month ≠ recount");
    tx.commit().await.unwrap();
    let mut c = env.db.pools.read().await.unwrap();
    assert_eq!(org_counts::recount(&mut c).await.unwrap(), vec![], "{when}: recount");
    for org in all {
        let org = orgs::by_id(&mut c, org.id).await.unwrap().unwrap();
        let r = env.app.report(&env.c, org.id, None, "2025").await.unwrap();
        let period = chibo_access::domain::meeting::Period { from: d(2025, 1, 1), to: d(2026, 1, 1) };
        let raw = report_orgs::kinds_under(&mut c, &org.path).await.unwrap();
        let want = OrgFigures::build(&raw, &[], period, Lang::Vi);
        let today = |f: BTreeMap<String, u64>| -> BTreeMap<String, u64> {
            f.into_iter().filter(|(k, _)| !k.starts_with("change/")).collect()
        };
        assert_eq!(today(figures(&r)), figures_of(&want), "{when}: {}", org.input.name);
    }
}

fn figures_of(o: &OrgFigures) -> BTreeMap<String, u64> {
    [("kind", &o.by_kind), ("village", &o.cells_by_village), ("change", &o.changes)]
        .into_iter()
        .flat_map(|(s, rows)| rows.iter().filter(|r| r.count > 0).map(move |r| (format!("{s}/{}", r.key), r.count)))
        .collect()
}

#[tokio::test]
async fn kept_organisation_counts_follow_creations_a_move_an_edit_a_dissolution_and_a_merge() {
    each_engine(async |env: &Env| {
        let [p, a, b, thon1, ban, school, tdp, ap] = fixture(env).await;
        let all = [&p, &a, &b, &thon1, &ban, &school, &tdp, &ap];
        kept_equal_raw(env, &all, "created").await;
        let app = &env.app;
        app.move_org_on(&env.c, ap.id, a.id, &dated(d(2025, 7, 1))).await.unwrap();
        kept_equal_raw(env, &all, "moved").await;
        let mut edited = app.org(&env.c, thon1.id, false).await.unwrap().org.input;
        edited.locality.village = Some("Tổ dân phố 1".into());
        app.update_org(&env.c, thon1.id, edited).await.unwrap();
        kept_equal_raw(env, &all, "village edited").await;
        app.dissolve_org(&env.c, school.id, &dated(d(2025, 8, 1))).await.unwrap();
        kept_equal_raw(env, &all, "dissolved").await;
        app.merge_orgs(&env.c, &[ban.id], thon1.id, &dated(d(2025, 9, 1))).await.unwrap();
        kept_equal_raw(env, &all, "merged").await;
        let got = app.report(&env.c, a.id, None, "2025").await.unwrap();
        assert_eq!((got.orgs.count("subordinate_cell"), got.orgs.count("urban"), got.orgs.count("ap")), (2, 1, 1));
        assert_eq!((got.orgs.count("merged"), got.orgs.count("dissolved")), (1, 1));
        // A repair rebuilds the same rows.
        let mut tx = env.db.pools.begin().await.unwrap();
        org_counts::rebuild(&mut tx).await.unwrap();
        tx.commit().await.unwrap();
        kept_equal_raw(env, &all, "rebuilt").await;
    })
    .await;
}

/// A report's organisation changes read the subtree's organisations only: once commune B's
/// restructuring of 2025 outnumbers commune A's subtree (the report then walks down A's
/// subtree rather than read the period's changes by date), three times more of it adds nothing
/// to what commune A's report of 2025 reads (it once read every organisation event of the
/// period in the nation).
#[tokio::test]
async fn a_report_reads_no_other_subtree_s_restructuring() {
    each_engine(async |env: &Env| {
        let [_, a, b, ..] = fixture(env).await;
        let app = &env.app;
        let read = async || {
            let (r, rows) = chibo_store::db::count_rows_read(app.report(&env.c, a.id, None, "2025")).await;
            (figures(&r.unwrap()), rows)
        };
        let restructure = async |cells: std::ops::Range<usize>| {
            for i in cells {
                let c = cell(env, &b, &format!("Chi bộ khu {i}"), None, Some(d(2025, 2, 1))).await;
                app.dissolve_org(&env.c, c.id, &dated(d(2025, 8, 1))).await.unwrap();
            }
        };
        let (before, _) = read().await;
        restructure(0..30).await;
        let (after, rows_after) = read().await;
        restructure(30..120).await;
        let (again, rows_again) = read().await;
        assert_eq!((&after, &again), (&before, &before), "commune A's figures");
        assert_eq!(rows_again, rows_after, "rows read for commune A's report of 2025");
    })
    .await;
}
