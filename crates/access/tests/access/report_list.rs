//! The lists behind the numbers of the statistics report, on every engine: every line's list
//! has as many entries as the line counts, pages add up to it, the members listed hold what the
//! line says (checked from their records), on today and on a past date; the spreadsheet; the
//! same rights as the report.

use crate::common;
use crate::reports::{changes, population, tree};

use chibo_access::domain::access::Role;
use chibo_access::domain::member::MemberStatus;
use chibo_access::domain::report::Dim;
use chibo_access::{Problem, report_lines, report_list_table};
use chibo_store::reports::{self, DimValues};
use chibo_store::{members, orgs};
use common::{Env, d, each_engine};
use std::collections::HashSet;
use uuid::Uuid;

#[tokio::test]
async fn every_line_lists_as_many_as_it_counts_in_pages() {
    each_engine(async |env: &Env| {
        let t = tree(env).await;
        population(env, &t).await;
        changes(env, &t).await;
        let app = &env.app;
        for (org, on) in [(&t.a, None), (&t.province, None), (&t.province, Some(d(2024, 12, 31)))] {
            let r = app.report(&env.c, org.id, on, "2025").await.unwrap();
            for line in report_lines(&r, chibo_access::Lang::Vi) {
                let whole = app.report_list(&env.c, org.id, on, "2025", &line.item, 0, 500).await.unwrap();
                assert_eq!(whole.total as u64, line.count, "{} ({on:?})", line.item);
                assert_eq!(
                    (whole.label.as_str(), whole.section.as_str()),
                    (line.label.as_str(), line.section.as_str())
                );
                let ids: Vec<Uuid> =
                    whole.members.iter().map(|m| m.id).chain(whole.orgs.iter().map(|o| o.id)).collect();
                assert_eq!(ids.len(), whole.total, "{}", line.item);
                // Pages of 3 add up to the whole list, in its order.
                let mut paged = Vec::new();
                let mut offset = Some(0);
                while let Some(o) = offset {
                    let p = app.report_list(&env.c, org.id, on, "2025", &line.item, o, 3).await.unwrap();
                    paged.extend(p.members.iter().map(|m| m.id).chain(p.orgs.iter().map(|o| o.id)));
                    offset = p.next;
                }
                assert_eq!(paged, ids, "{}", line.item);
                // The spreadsheet, its records read two at a time, holds the rows of the list
                // read whole, under the same header row.
                let line_of = (org.id, on, "2025", line.item.as_str());
                let xlsx = app.report_list_sheet(&env.c, line_of, 2, Vec::new()).await.unwrap();
                let (headers, mut want) = report_list_table(&whole, chibo_access::Lang::Vi);
                // (The reader drops a row's empty cells at its end.)
                want.iter_mut().for_each(|r| r.truncate(r.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1)));
                let rows = sheet_rows(&xlsx);
                assert_eq!((&rows[4], &rows[5..]), (&headers, &want[..]), "{}", line.item);
                if !line.item.starts_with("changes/") {
                    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len(), "{} lists nobody twice", line.item);
                }
            }
        }
        // Five admitted on one day, listed in pages of 2 that cut the day: each page is read
        // from the days that hold it (the kept day rows count them), the pages add up to the
        // whole list in its order.
        for given in ["Một", "Hai", "Ba", "Bốn", "Năm"] {
            env.member(&t.a1, given, common::Person::probationary(d(2025, 6, 10))).await;
        }
        for org in [&t.a, &t.province] {
            let whole = app.report_list(&env.c, org.id, None, "2025", "changes/admitted", 0, 500).await.unwrap();
            let on_the_day = whole.members.iter().filter(|m| m.changed_on == Some(d(2025, 6, 10))).count();
            assert_eq!(on_the_day, 5);
            let ids: Vec<Uuid> = whole.members.iter().map(|m| m.id).collect();
            let mut paged = Vec::new();
            let mut offset = Some(0);
            while let Some(o) = offset {
                let p = app.report_list(&env.c, org.id, None, "2025", "changes/admitted", o, 2).await.unwrap();
                assert_eq!(p.total, whole.total);
                paged.extend(p.members.iter().map(|m| m.id));
                offset = p.next;
            }
            assert_eq!(paged, ids, "{}", org.input.name);
        }
        // A kept day row out of step with the events (as before `chibo check --repair`): a page
        // that holds that day is read from the changes found, whole, and counts them.
        let before = app.report_list(&env.c, t.a.id, None, "2025", "changes/admitted", 0, 500).await.unwrap();
        let mut tx = env.db.pools.begin().await.unwrap();
        chibo_store::db::sql(
            "UPDATE change_counts SET n = n + 1 WHERE org_id = $1 AND period = '2025-06-10' AND line = 'admitted'",
        )
        .bind(t.a.id)
        .execute(&mut tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let at = before.members.iter().position(|m| m.changed_on == Some(d(2025, 6, 10))).unwrap();
        let p = app.report_list(&env.c, t.a.id, None, "2025", "changes/admitted", at, 2).await.unwrap();
        assert_eq!(p.total, before.total, "the changes found, not the kept count");
        let ids = |l: &[chibo_access::ListedMember]| l.iter().map(|m| m.id).collect::<Vec<_>>();
        assert_eq!(ids(&p.members), ids(&before.members[at..at + 2]));
        // What the listed members hold, from their records.
        let mut c = env.db.pools.read().await.unwrap();
        let female = app.report_list(&env.c, t.province.id, None, "2025", "gender/female", 0, 500).await.unwrap();
        for m in &female.members {
            let rec = members::by_id(&mut c, m.id).await.unwrap().unwrap();
            assert_eq!(rec.input.gender.code(), "female");
        }
        let died = app.report_list(&env.c, t.a.id, None, "2025", "changes/died", 0, 500).await.unwrap();
        assert_eq!(
            died.members.iter().map(|m| (m.status, m.changed_on)).collect::<Vec<_>>(),
            vec![(MemberStatus::Deceased, Some(d(2025, 7, 1)))]
        );
        let cells = app.report_list(&env.c, t.a.id, None, "2025", "org_kind/subordinate_cell", 0, 500).await.unwrap();
        let mut names: Vec<&str> = cells.orgs.iter().map(|o| o.name.as_str()).collect();
        names.sort();
        assert_eq!(names, ["Chi bộ thôn 1", "Chi bộ thôn 2"]);
        drop(c);
        let xlsx =
            app.report_list_xlsx_into(&env.c, t.a.id, None, "2025", "changes/admitted", Vec::new()).await.unwrap();
        assert!(xlsx.starts_with(b"PK"));
        let rows = sheet_rows(&xlsx);
        assert_eq!(rows[4][..2], ["STT", "Họ và tên"], "the ordinal first, as on the page: {rows:?}");
        assert_eq!(rows[5][0], "1", "{rows:?}");
        // A list that is not whole says so on a line of the title block, above the header row.
        let cut = chibo_access::ListSheet {
            what: "report.export",
            title: ("DANH SÁCH", "LIST"),
            detail: String::new(),
            headers: vec!["STT".into()],
            rows: vec![vec!["1".into()]],
            note: "Danh sách chưa đủ".into(),
        };
        let xlsx = app.list_xlsx(&env.c, t.a.id, cut).await.unwrap();
        let rows = sheet_rows(&xlsx);
        assert_eq!((rows[3][0].as_str(), rows[5][0].as_str(), rows[6][0].as_str()), ("Danh sách chưa đủ", "STT", "1"));

        // The report's rights; a line that is not one names the field.
        let staff_b = env.user(Role::Staff, &t.b).await;
        let outside = app.report_list(&staff_b, t.a.id, None, "2025", "total/all", 0, 50).await;
        assert!(matches!(outside, Err(Problem::NotFound)));
        for bad in ["nothing", "age/none", "changes/born", "org_kind/x", "total"] {
            common::assert_refused(&app.report_list(&staff_b, t.b.id, None, "2025", bad, 0, 50).await, "item", None);
        }
    })
    .await;
}

/// The cells of a spreadsheet, row by row, as text.
fn sheet_rows(xlsx: &[u8]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    chibo_sheets::read(xlsx, "x.xlsx", |r| rows.push(r.iter().map(|c| c.text()).collect::<Vec<_>>())).unwrap();
    rows
}

/// Today's structure lines read a page at a time by their stored values (`report_list::line_page`)
/// list what the whole subtree's members read at once and asked one by one list, in the same
/// order: every line of the report of four organisations, in pages of 1, 3 and 500.
#[tokio::test]
async fn a_page_of_a_structure_line_equals_the_whole_subtree_filtered() {
    each_engine(async |env: &Env| {
        let t = tree(env).await;
        population(env, &t).await;
        changes(env, &t).await;
        let app = &env.app;
        let mut c = env.db.pools.read().await.unwrap();
        for org in [&t.province, &t.a, &t.b, &t.a1] {
            let r = app.report(&env.c, org.id, None, "2025").await.unwrap();
            let path = orgs::by_id(&mut c, org.id).await.unwrap().unwrap().path;
            let all = reports::members_today(&mut c, &path).await.unwrap();
            let on = r.structure.on;
            let mut lines = 0;
            for line in report_lines(&r, chibo_access::Lang::Vi) {
                let (section, key) = line.item.split_once('/').unwrap();
                let want: Vec<Uuid> = match Dim::of_key(section) {
                    _ if section == "total" => all.iter().map(|(id, _)| *id).collect(),
                    Some(dim) => {
                        let i = Dim::ALL.iter().position(|d| *d == dim).unwrap();
                        let holds = |v: &DimValues| dim.row_keys(v[i].as_deref(), on).iter().any(|k| k == key);
                        all.iter().filter(|(_, v)| holds(v)).map(|(id, _)| *id).collect()
                    }
                    None => continue,
                };
                lines += 1;
                assert_eq!(want.len() as u64, line.count, "{}", line.item);
                for size in [1, 3, 500] {
                    let mut paged = Vec::new();
                    let mut offset = Some(0);
                    while let Some(o) = offset {
                        let p = app.report_list(&env.c, org.id, None, "2025", &line.item, o, size).await.unwrap();
                        assert_eq!(p.total, want.len(), "{}", line.item);
                        paged.extend(p.members.iter().map(|m| m.id));
                        offset = p.next;
                    }
                    assert_eq!(paged, want, "{} in pages of {size}", line.item);
                }
            }
            assert!(lines > 20, "{lines} lines");
        }
    })
    .await;
}

/// The trend over years, a second way: the members at each year's end from the report of that
/// date (the spans, not the ledger), admissions and exits from the replayed events.
#[tokio::test]
async fn the_trend_equals_year_end_reports_and_replayed_changes() {
    each_engine(async |env: &Env| {
        let t = tree(env).await;
        population(env, &t).await;
        changes(env, &t).await;
        for org in [&t.province, &t.a, &t.b1] {
            let trend = env.app.report_trend(&env.c, org.id).await.unwrap();
            let years: Vec<i32> = trend.points.iter().map(|p| p.year).collect();
            assert_eq!(years, (2017..=2026).collect::<Vec<_>>());
            for p in &trend.points {
                let end = d(p.year, 12, 31).min(common::today());
                let r = env.app.report(&env.c, org.id, Some(end), "2025").await.unwrap();
                let second = crate::reports::second_way(env, org, d(p.year, 1, 1), d(p.year, 12, 31)).await;
                let n = |keys: &[&str]| {
                    keys.iter().map(|k| second.get(&format!("changes/{k}")).copied().unwrap_or(0)).sum::<u64>()
                };
                assert_eq!(p.members, r.structure.total, "{} members", p.year);
                assert_eq!(p.admissions, n(&["admitted", "readmitted"]), "{} admissions", p.year);
                assert_eq!(p.exits, n(&["died", "left", "struck_off", "expelled"]), "{} exits", p.year);
            }
        }
        let t2025 = env.app.report_trend(&env.c, t.a.id).await.unwrap();
        let y = t2025.points.iter().find(|p| p.year == 2025).unwrap();
        assert_eq!((y.admissions, y.exits), (3, 3));
        let staff_b = env.user(Role::Staff, &t.b).await;
        assert!(matches!(env.app.report_trend(&staff_b, t.a.id).await, Err(Problem::NotFound)));
    })
    .await;
}
