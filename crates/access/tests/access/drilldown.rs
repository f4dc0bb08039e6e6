//! The cells that missed meetings, listed from the kept figures on every engine: counts equal
//! to the figures, pages that add up to the whole list in the order of the tree, and — the
//! point — requests whose work does not grow with the size of the subtree: the rows a request
//! reads are counted (`chibo_store::db::count_rows_read`) before and after the subtree grows.

use crate::common;

use chibo_access::domain::meeting::PeriodKey;
use chibo_access::domain::org::OrgKind;
use chibo_access::{MISSED_INLINE_CELLS, Org, Problem};
use chibo_store::db::count_rows_read;
use common::{Env, each_engine};
use uuid::Uuid;

async fn cells(env: &Env, under: &Org, prefix: &str, n: usize) -> Vec<Uuid> {
    let mut out = Vec::new();
    for i in 0..n {
        out.push(env.org(Some(under), &format!("{prefix} {:03}", i + 1), OrgKind::SubordinateCell).await.id);
    }
    out
}

/// Nobody met in 2025: every cell missed every month and quarter.
#[tokio::test]
async fn missed_meetings_page_through_the_tree_from_the_kept_figures() {
    each_engine(async |env: &Env| {
        let province = env.org(None, "Đảng bộ tỉnh Lào Cai", OrgKind::Provincial).await;
        let a = env.org(Some(&province), "Đảng bộ xã An Bình", OrgKind::Commune).await;
        let b = env.org(Some(&province), "Đảng bộ xã Bảo Hà", OrgKind::Commune).await;
        let in_a = cells(env, &a, "Chi bộ thôn", 7).await;
        let in_b = cells(env, &b, "Chi bộ bản", 5).await;
        let app = &env.app;

        // Counts with the figures, and the cells inline for a small subtree.
        let year = app.meeting_figures(&env.c, province.id, "2025").await.unwrap();
        let missing = year.missing.as_ref().expect("missing meetings");
        assert_eq!(missing.regular.len(), 12, "every month");
        assert_eq!(missing.thematic.len(), 4, "every quarter");
        assert!(missing.regular.iter().chain(&missing.thematic).all(|m| m.count == 12 && m.cells.len() == 12));
        assert_eq!(missing.regular[2].period, "2025-03");

        // Pages of 5 add up to the list, in tree order (commune by name, then its cells).
        let mut listed = Vec::new();
        let mut offset = 0;
        loop {
            let page = app.missed_meetings(&env.c, province.id, "2025-03", offset, 5).await.unwrap();
            assert_eq!(page.count, 12);
            listed.extend(page.cells.iter().map(|c| c.id));
            match page.next {
                Some(n) => offset = n,
                None => break,
            }
        }
        let expected: Vec<Uuid> = in_a.iter().chain(&in_b).copied().collect();
        assert_eq!(listed, expected);
        // The list whole: the same cells in one read, cut (and saying so) at its limit.
        for (max, cut) in [(12, false), (100, false), (11, true), (1, true)] {
            let (whole, was_cut) = app.missed_meetings_whole(&env.c, province.id, "2025-03", max).await.unwrap();
            assert_eq!((whole.count, whole.next, was_cut), (12, None, cut), "max {max}");
            assert_eq!(whole.cells.iter().map(|c| c.id).collect::<Vec<_>>(), expected[..max.min(12)], "max {max}");
        }
        let q1 = app.missed_meetings(&env.c, b.id, "2025-Q1", 3, 50).await.unwrap();
        assert_eq!((q1.count, q1.cells.iter().map(|c| c.id).collect::<Vec<_>>()), (5, in_b[3..].to_vec()));

        // Only months and quarters; only inside the grant.
        let r = app.missed_meetings(&env.c, province.id, "2025", 0, 5).await;
        common::assert_refused(&r, "period", Some("bad_period"));
        let outsider = env.user(chibo_access::domain::access::Role::Staff, &b).await;
        assert!(matches!(app.missed_meetings(&outsider, a.id, "2025-03", 0, 5).await, Err(Problem::NotFound)));
        assert!(matches!(app.missed_meetings_whole(&outsider, a.id, "2025-03", 50).await, Err(Problem::NotFound)));
        let mine = app.missed_meetings(&outsider, b.id, "2025-03", 0, 5).await.unwrap();
        assert_eq!(mine.count, 5);
    })
    .await;
}

/// The figures of a province and the first page of its missing cells read as many rows after
/// one of its communes grows by 150 cells as before: nothing loads the subtree.
#[tokio::test]
async fn figures_and_missing_lists_read_the_same_rows_for_a_larger_subtree() {
    each_engine(async |env: &Env| {
        let province = env.org(None, "Đảng bộ tỉnh Điện Biên", OrgKind::Provincial).await;
        let a = env.org(Some(&province), "Đảng bộ xã A Pa Chải", OrgKind::Commune).await;
        let b = env.org(Some(&province), "Đảng bộ xã Mường Nhé", OrgKind::Commune).await;
        cells(env, &a, "Chi bộ bản", MISSED_INLINE_CELLS as usize + 1).await;
        cells(env, &b, "Chi bộ đội", 3).await;
        let app = &env.app;
        let measure = async || {
            let (figures, figure_rows) = count_rows_read(app.meeting_figures(&env.c, province.id, "2025")).await;
            let (page, page_rows) = count_rows_read(app.missed_meetings(&env.c, province.id, "2025-03", 0, 20)).await;
            let (figures, page) = (figures.unwrap(), page.unwrap());
            (figures.figures.regular.den, page.count, figure_rows, page_rows)
        };
        // The periods are opened by the first read; measure the second.
        measure().await;
        let (cells_before, count_before, figures_before, page_before) = measure().await;
        cells(env, &b, "Chi bộ thôn", 150).await;
        let (cells_after, count_after, figures_after, page_after) = measure().await;
        assert_eq!((cells_before, cells_after), (104, 254), "the figures count the new cells");
        assert_eq!((count_before, count_after), (104, 254));
        assert_eq!(figures_after, figures_before, "rows read for the province's figures");
        assert_eq!(page_after, page_before, "rows read for the first page of missing cells");
        // A month's figures at the province are one kept row plus its children's.
        let month = PeriodKey::Month(2025, 3).code();
        let (f, rows) = count_rows_read(app.meeting_figures(&env.c, province.id, &month)).await;
        assert_eq!(f.unwrap().figures.regular.den, 254);
        assert!(rows < 400, "{rows} rows read for a month's figures at the province");
    })
    .await;
}
