//! `chibo bench`, the tree through time: membership counts of a subtree as of past dates
//! (`Chibo::org_on`: the tree and counts of that date, from the links and the dated ledger),
//! and a dated bulk move of a whole subtree with its cells and members (`move_org_on`).

use crate::timing::measure;
use anyhow::{Context, Result};
use chibo_access::domain::org::OrgKind;
use chibo_access::{Chibo, Dated, Org, Viewer};
use std::time::Instant;
use time::Date;
use time::macros::date;

/// Before and after the reform of 1 Jul 2025, and a year earlier.
const DATES: [Date; 2] = [date!(2025 - 06 - 01), date!(2024 - 01 - 01)];

/// Counts as of each date at each level; prints p50/p95 and what the tree looked like.
pub async fn as_of(app: &Chibo, v: &Viewer, engine: &str, levels: &[(&str, Org)], runs: usize) -> Result<()> {
    println!("BENCH {engine}: membership as of a date (org_on: the tree and counts of that date), {runs} runs; ms");
    println!(
        "{:<9} {:<10} {:>9} {:>9} {:>8}  {:>8} {:>8}",
        "level", "as of", "members", "today", "children", "p50", "p95"
    );
    for (name, org) in levels {
        for on in DATES.into_iter().chain([app.today()]) {
            let (p50, p95, _) =
                measure(
                    runs,
                    || async move { Ok(app.org_on(v, org.id, on).await.map_err(crate::problem)?.children.len()) },
                )
                .await?;
            let view = app.org_on(v, org.id, on).await.map_err(crate::problem)?;
            let districts = view.children.iter().filter(|c| c.kind == OrgKind::District).count();
            println!(
                "{name:<9} {on:<10} {:>9} {:>9} {:>8}  {p50:>8.2} {p95:>8.2}{}",
                view.tally.members,
                org.stats.members,
                view.children.len(),
                match (view.existed, districts) {
                    (false, _) => "  (not yet established)".to_string(),
                    (true, 0) => String::new(),
                    (true, n) => format!("  ({n} district committees)"),
                }
            );
        }
    }
    Ok(())
}

/// Move `org` (with its whole subtree) under `to` from today, then back the same day (which
/// amends that day's link): both timed, and the counts checked against the ledger after.
pub async fn bulk_move(app: &Chibo, v: &Viewer, engine: &str, org: &Org, to: &Org) -> Result<()> {
    let home = org.parent_id.context("the moved organisation has a parent")?;
    let today = Dated::on(app.today());
    println!(
        "BENCH {engine}: bulk move of {} ({} members, {} cells) under {}",
        org.input.name, org.stats.members, org.stats.cells, to.input.name
    );
    let t = Instant::now();
    app.move_org_on(v, org.id, to.id, &today).await.map_err(crate::problem)?;
    let there = t.elapsed();
    let after = app.org_on(v, to.id, today.effective).await.map_err(crate::problem)?;
    let t = Instant::now();
    app.move_org_on(v, org.id, home, &today).await.map_err(crate::problem)?;
    let back = t.elapsed();
    println!(
        "move there {:.1} ms, back {:.1} ms; receiving side as of today while moved: {} members ({} before)",
        there.as_secs_f64() * 1000.0,
        back.as_secs_f64() * 1000.0,
        after.tally.members,
        to.stats.members
    );
    Ok(())
}
