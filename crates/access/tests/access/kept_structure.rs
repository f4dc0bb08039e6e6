//! The structure kept per organisation (`structure_counts`) against the records: after every
//! kind of write (admissions, record edits of grouped fields, every change of the life cycle, a
//! cell moved to another commune, a merge), the kept counts equal a recount, and the report of
//! today and of past dates (the kept counts netted with the members who changed since) equals
//! the structure computed a second way from each member's events. Both engines. The same for
//! the structure's changes kept by month at the provincial and central levels, and by day at
//! the root (`structure_changes`), through which their reports of past dates are read.

use crate::common::{Env, Person, d, each_engine, today};
use crate::reports::{population, structure_figures, structure_on_second_way, tree, tree_under};
use chibo_access::Dated;
use chibo_access::domain::Lang;
use chibo_access::domain::org::OrgKind;
use chibo_access::domain::report::OrgFigures;
use chibo_store::{org_changes, report_orgs, structure_changes, structure_counts};

async fn assert_kept_equals_records(env: &Env, orgs: &[&chibo_access::Org], when: &str) {
    let mut tx = env.db.pools.begin().await.unwrap();
    assert_eq!(structure_counts::recount(&mut tx).await.unwrap(), vec![], "{when}: kept ≠ recount");
    assert_eq!(structure_changes::recount(&mut tx).await.unwrap(), vec![], "{when}: changes ≠ recount");
    assert_eq!(org_changes::recount(&mut tx).await.unwrap(), vec![], "{when}: organisation changes ≠ recount");
    tx.commit().await.unwrap();
    for org in orgs {
        // Past dates: month ends (the kept months alone), days reached from their month's
        // start (10/06: a readmission on 01/06; 05/04: a transfer out on 01/04) and from its
        // end (19/12: a transfer out on 20/12).
        let days = [d(2020, 1, 1), d(2025, 6, 30), d(2025, 6, 10), d(2025, 4, 5), d(2025, 12, 19), d(2025, 12, 31)];
        for on in std::iter::once(None).chain(days.map(Some)) {
            let r = env.app.report(&env.c, org.id, on, "2026").await.unwrap();
            assert_eq!(
                structure_figures(&r),
                structure_on_second_way(env, org, on.unwrap_or(today())).await,
                "{when}: {} on {on:?}",
                org.input.name
            );
            // The organisation figures from the tree of that day (a province reads its kept
            // months when nothing was moved since).
            if let Some(on) = on {
                let mut c = env.db.pools.read().await.unwrap();
                let tree = report_orgs::tree_on(&mut c, org.id, on).await.unwrap();
                let facts = report_orgs::facts_in(&mut c, org.id, r.changes.from, r.changes.to).await.unwrap();
                let period = chibo_access::domain::meeting::Period { from: r.changes.from, to: r.changes.to };
                let want = OrgFigures::build(tree.get(1..).unwrap_or_default(), &facts, period, Lang::Vi);
                assert_eq!(r.orgs, want, "{when}: {}'s organisations on {on}", org.input.name);
            }
        }
    }
}

#[tokio::test]
async fn the_kept_structure_follows_every_write_and_gives_any_day() {
    each_engine(async |env: &Env| {
        let t = tree(env).await;
        population(env, &t).await;
        crate::reports::changes(env, &t).await;
        let all = [&t.province, &t.a, &t.b, &t.a1, &t.a2, &t.b1];
        assert_kept_equals_records(env, &all, "after the admissions and changes").await;

        // Edits of grouped fields: a birth date into another band, an occupation, a religion.
        let m = env.member(&t.a1, "Hạnh", Person::official(d(2015, 5, 1))).await;
        let mut edited = m.input.clone();
        edited.birth_date = d(1970, 2, 3);
        edited.profile.occupation = Some("Giáo viên".into());
        edited.profile.religion = Some("Phật giáo".into());
        env.app.update_member(&env.c, m.id, edited, m.version).await.unwrap();
        assert_kept_equals_records(env, &all, "after a record edit").await;

        // A cell moved to the other commune, then merged into a cell there.
        env.app.move_org_on(&env.c, t.a2.id, t.b.id, &Dated::on(today())).await.unwrap();
        assert_kept_equals_records(env, &all, "after a move").await;
        env.app.merge_orgs(&env.c, &[t.a2.id], t.b1.id, &Dated::on(today())).await.unwrap();
        assert_kept_equals_records(env, &[&t.province, &t.a, &t.b, &t.a1, &t.b1], "after a merge").await;

        // A kept row made wrong (a birth date's day row of the province) is found by the
        // recount, and only it; the rebuild mends it.
        let mut tx = env.db.pools.begin().await.unwrap();
        chibo_store::db::sql(
            "UPDATE structure_counts SET n = n + 2 WHERE org_id = $1 AND dim = 'age_day' AND value = '1970-02-03'",
        )
        .bind(t.province.id)
        .execute(&mut tx)
        .await
        .unwrap();
        let wrong = structure_counts::recount(&mut tx).await.unwrap();
        assert_eq!(wrong, vec![(t.province.id, "age_day", "1970-02-03".to_string(), 3, 1)]);
        structure_counts::rebuild(&mut tx).await.unwrap();
        assert_eq!(structure_counts::recount(&mut tx).await.unwrap(), vec![]);
        tx.commit().await.unwrap();
    })
    .await;
}

/// The changes kept by month at the centre and two provinces follow a commune moved from one
/// province to the other (backdated, with members on its rolls), a member admitted there
/// after it and a record edit: the kept rows equal their recount, and every month-end report
/// (read from them) equals the second computation in the tree of its date.
#[tokio::test]
async fn the_changes_kept_by_month_follow_a_commune_moved_to_another_province() {
    each_engine(async |env: &Env| {
        let centre = env.org(None, "Ban Chấp hành Trung ương", OrgKind::Central).await;
        let t = tree_under(env, Some(&centre)).await;
        let other = env.org(Some(&centre), "Đảng bộ tỉnh Lai Châu", OrgKind::Provincial).await;
        // A third province that no move touches, with members of its own.
        let third = env.org(Some(&centre), "Đảng bộ tỉnh Điện Biên", OrgKind::Provincial).await;
        let third_commune = env.org(Some(&third), "Đảng bộ xã Mường Phăng", OrgKind::Commune).await;
        let third_cell = env.org(Some(&third_commune), "Chi bộ bản Khoang", OrgKind::SubordinateCell).await;
        env.member(&third_cell, "Lò", Person::official(d(2012, 3, 2))).await;
        env.member(&third_cell, "Quàng", Person::official(d(2025, 6, 20))).await;
        population(env, &t).await;
        crate::reports::changes(env, &t).await;
        let all = [&centre, &t.province, &other, &third, &t.a, &t.b];
        assert_kept_equals_records(env, &all, "before the move").await;

        env.app.move_org_on(&env.c, t.b.id, other.id, &Dated::on(d(2025, 7, 1))).await.unwrap();
        assert_kept_equals_records(env, &all, "after commune B moved to the other province").await;
        // Which past dates read the kept months without the tree of the day: before the move,
        // the centre and the third province (the move stayed within the one, outside the
        // other), not the two provinces it joined; after it, every one.
        let mut c = env.db.pools.read().await.unwrap();
        for (org, on, whole) in [
            (&centre, d(2025, 6, 30), true),
            (&third, d(2025, 6, 30), true),
            (&t.province, d(2025, 6, 30), false),
            (&other, d(2025, 6, 10), false),
            (&t.province, d(2025, 12, 31), true),
            (&other, d(2025, 12, 31), true),
        ] {
            let kept = report_orgs::moves_kept_within(&mut c, org.id, on, today()).await.unwrap();
            assert_eq!(kept, whole, "{} on {on}", org.input.name);
        }
        drop(c);

        let m = env.member(&t.b1, "Phúc", Person::official(d(2016, 8, 1))).await;
        let mut edited = m.input.clone();
        edited.birth_date = d(1961, 12, 3);
        edited.profile.occupation = Some("Giáo viên".into());
        env.app.update_member(&env.c, m.id, edited, m.version).await.unwrap();
        assert_kept_equals_records(env, &all, "after an admission and a record edit there").await;

        // A cell established since the month-end dates, with a member admitted long before
        // (the form allows it): the centre's reports of those dates (the whole tree, read
        // without the tree of the day) leave the member out, as the tree of each date does.
        let input = chibo_access::domain::org::OrgInput {
            established_on: Some(d(2025, 9, 1)),
            ..crate::common::org_input("Chi bộ thôn Mới", OrgKind::SubordinateCell)
        };
        let new_cell = env.app.create_org(&env.c, Some(t.a.id), input).await.unwrap();
        env.member(&new_cell, "Tâm", Person::official(d(2016, 8, 1))).await;
        assert_kept_equals_records(env, &all, "after a cell established since, with a member").await;

        // The rows are there to be read: the other province keeps B's members' months.
        let mut tx = env.db.pools.begin().await.unwrap();
        let rows = chibo_store::db::sql("SELECT COUNT(*) FROM structure_changes WHERE org_id = $1 AND n <> 0")
            .bind(other.id)
            .fetch_i64(&mut tx)
            .await
            .unwrap();
        assert!(rows > 0);
        // Only the root keeps its days: the centre has day rows, no province has.
        let days = "SELECT COUNT(*) FROM structure_changes WHERE org_id = $1 AND changed_in LIKE 'd%'";
        for (org, keeps) in [(&centre, true), (&t.province, false), (&other, false), (&third, false)] {
            let n = chibo_store::db::sql(days).bind(org.id).fetch_i64(&mut tx).await.unwrap();
            assert_eq!(n > 0, keeps, "{}: {n} day rows", org.input.name);
        }
        // A kept row made wrong is found by the recount, and only it, a month's and a day's
        // (the day keeps the birth date by day alone); the rebuild mends them.
        let day: String = chibo_store::db::sql(
            "SELECT MIN(changed_in) FROM structure_changes WHERE org_id = $1 AND changed_in LIKE 'd2016-08%' \
             AND dim = 'age_day' AND value = '1961-12-03'",
        )
        .bind(centre.id)
        .fetch_one::<(String,)>(&mut tx)
        .await
        .unwrap()
        .0;
        for (period, dim, value) in [("2016-08", "age", "1961-12"), (day.as_str(), "age_day", "1961-12-03")] {
            chibo_store::db::sql(
                "UPDATE structure_changes SET n = n + 2 WHERE org_id = $1 AND changed_in = $2 AND dim = $3 \
                 AND value = $4",
            )
            .bind(centre.id)
            .bind(period)
            .bind(dim)
            .bind(value)
            .execute(&mut tx)
            .await
            .unwrap();
        }
        let wrong = structure_changes::recount(&mut tx).await.unwrap();
        let row = |period: &str, dim: &str, value: &str| (centre.id, period.into(), dim.into(), value.into(), 3, 1);
        assert_eq!(wrong, vec![row("2016-08", "age", "1961-12"), row(&day, "age_day", "1961-12-03")]);
        structure_changes::rebuild(&mut tx).await.unwrap();
        assert_eq!(structure_changes::recount(&mut tx).await.unwrap(), vec![]);
        // Built again with every keeper's sums handed on in pieces (as the nation's root's
        // are): the pieces add up to the same rows.
        structure_changes::rebuild_holding(&mut tx, 1).await.unwrap();
        assert_eq!(structure_changes::recount(&mut tx).await.unwrap(), vec![]);
        tx.commit().await.unwrap();
    })
    .await;
}
