//! `chibo bench --reports-only`: the statistics report (structure today, changes over a year
//! and a month; the structure on 31/12/2024, before the 2025 restructuring; the trend over ten
//! years) at every level, through the access-checked call the web uses.

use crate::timing::measure;
use anyhow::Result;
use chibo_access::{Chibo, Org, Viewer};

/// p50/p95 of the report of each level for the demo's last year and last month.
pub async fn run(app: &Chibo, engine: &str, levels: &[(&str, Org)], runs: usize) -> Result<()> {
    let v = Viewer::console();
    let periods = crate::bench_meetings::periods().map(|k| k.code());
    println!("BENCH {engine}: statistics report (structure today + changes), {runs} runs; ms");
    println!("{:<9} {:>9} {:<8} {:>8} {:>8} {:>8}", "level", "members", "period", "changes", "p50", "p95");
    for (name, org) in levels {
        for period in &periods {
            let (p50, p95, changes) = measure(runs, || async {
                let r = app.report(&v, org.id, None, period).await.map_err(crate::problem)?;
                Ok(r.changes.rows.iter().map(|row| row.count as usize).sum())
            })
            .await?;
            println!("{name:<9} {:>9} {period:<8} {changes:>8} {p50:>8.1} {p95:>8.1}", org.stats.members);
        }
    }
    // A period of whole months reads the kept changes by month; another adds the days around
    // its whole months, by day.
    println!("changes of a year less its first day (kept months + the days of January, by day)");
    let year = periods.last().cloned().unwrap_or_default();
    let period = format!("{year}-01-02..{year}-12-31");
    for (name, org) in levels {
        let (p50, p95, changes) = measure(runs, || async {
            let r = app.report(&v, org.id, None, &period).await.map_err(crate::problem)?;
            Ok(r.changes.rows.iter().map(|row| row.count as usize).sum())
        })
        .await?;
        println!("{name:<9} {:>9} {:<8} {changes:>8} {p50:>8.1} {p95:>8.1}", org.stats.members, "days");
    }
    // The same days of January member by member, as the report read them before they were kept
    // by day (`change_days`, which the lists behind the lines still use): the two side by side.
    println!("the days of January alone: kept by day, then member by member (events replayed)");
    let y: i32 = year.parse()?;
    let january = (
        time::Date::from_calendar_date(y, time::Month::January, 2)?,
        time::Date::from_calendar_date(y, time::Month::February, 1)?,
    );
    for (name, org) in levels {
        let (p50, p95, changes) = measure(runs, || async {
            let mut c = app.pools().read().await?;
            Ok(chibo_store::change_counts::days(&mut c, org.id, january).await?.iter().map(|s| s.n as usize).sum())
        })
        .await?;
        println!("{name:<9} {:>9} {:<8} {changes:>8} {p50:>8.1} {p95:>8.1}", org.stats.members, "by day");
        let (p50, p95, changes) = measure(runs, || async {
            let mut c = app.pools().read().await?;
            let kinds = chibo_access::domain::report::Change::event_kinds();
            Ok(chibo_store::change_days::changes_of(&mut c, org.id, org.stats.members, january, &kinds).await?.len())
        })
        .await?;
        println!("{name:<9} {:>9} {:<8} {changes:>8} {p50:>8.1} {p95:>8.1}", org.stats.members, "members");
    }
    // The list behind a line: the year's admissions, member by member (the first page, the
    // last, and the whole list).
    println!("the list behind the year's admissions (the members admitted: first page of 50, last, whole)");
    for (name, org) in levels {
        let (p50, p95, total) = measure(runs, || async {
            let list = app.report_list(&v, org.id, None, &year, "changes/admitted", 0, 50).await;
            Ok(list.map_err(crate::problem)?.total)
        })
        .await?;
        println!("{name:<9} {:>9} {:<8} {total:>8} {p50:>8.1} {p95:>8.1}", org.stats.members, "list");
        // Its last page, and the list read whole (print, spreadsheet: every day of the year).
        let first = app.report_list(&v, org.id, None, &year, "changes/admitted", 0, 1).await;
        let last = first.map_err(crate::problem)?.total.saturating_sub(50);
        let (p50, p95, total) = measure(runs, || async {
            let list = app.report_list(&v, org.id, None, &year, "changes/admitted", last, 50).await;
            Ok(list.map_err(crate::problem)?.members.len())
        })
        .await?;
        println!("{name:<9} {:>9} {:<8} {total:>8} {p50:>8.1} {p95:>8.1}", org.stats.members, "last");
        let (p50, p95, total) = measure(runs, || async {
            let list = app.report_list_whole(&v, org.id, None, &year, "changes/admitted", usize::MAX).await;
            Ok(list.map_err(crate::problem)?.members.len())
        })
        .await?;
        println!("{name:<9} {:>9} {:<8} {total:>8} {p50:>8.1} {p95:>8.1}", org.stats.members, "whole");
    }
    // Two year ends and a day within a month (read from the kept months less the rest of the
    // month, member by member).
    let dates =
        [time::macros::date!(2024 - 12 - 31), time::macros::date!(2025 - 04 - 15), time::macros::date!(2025 - 12 - 31)];
    println!("structure on a past date (the tree of that day) + changes of 2025; the trend over ten years");
    for (name, org) in levels {
        for on in dates {
            let (p50, p95, total) = measure(runs, || async {
                match app.report(&v, org.id, Some(on), "2025").await {
                    Ok(r) => Ok(r.structure.total as usize),
                    // Not in the tree that day (a unit created by the restructuring).
                    Err(chibo_access::Problem::Invalid(_)) => Ok(0),
                    Err(p) => Err(crate::problem(p)),
                }
            })
            .await?;
            println!("{name:<9} on {on} members then {total:>8} {p50:>8.1} {p95:>8.1}");
        }
        let (p50, p95, years) =
            measure(runs, || async { Ok(app.report_trend(&v, org.id).await.map_err(crate::problem)?.points.len()) })
                .await?;
        println!("{name:<9} trend    years {years:>15} {p50:>8.1} {p95:>8.1}");
    }
    Ok(())
}
