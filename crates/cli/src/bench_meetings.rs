//! `chibo bench`, cell meetings: the compliance figures of an organisation and its children for
//! a month and a year (the kept rows of `meeting_figures`, one per organisation and period), and
//! a full recount of a month and a year from the attendance rows, which must find nothing to
//! correct.

use crate::timing::measure;
use anyhow::{Context, Result, bail};
use chibo_access::domain::meeting::{PeriodKey, Rating, Rollup};
use chibo_access::{Chibo, Org};
use chibo_store::meeting_figures;
use std::time::Instant;
use uuid::Uuid;

/// The periods measured: the last month ended before the demo's day, and its year before.
pub(crate) fn periods() -> [PeriodKey; 2] {
    let last = chibo_demo::AS_OF.replace_day(1).ok().and_then(|d| d.previous_day()).unwrap_or(chibo_demo::AS_OF);
    [PeriodKey::Month(last.year(), u8::from(last.month())), PeriodKey::Year(chibo_demo::meetings::FIRST_YEAR)]
}

/// The figures of `org` and of the organisations under it during the period (what a report
/// page shows): the organisations read.
async fn figures(app: &Chibo, org: Uuid, key: PeriodKey) -> Result<(Option<Rollup>, usize)> {
    let p = key.period().context("period")?;
    let mut c = app.pools().read().await?;
    let mut ids = vec![org];
    ids.extend(meeting_figures::children_during(&mut c, org, p.from, p.to).await?);
    let mut sums = meeting_figures::rollups(&mut c, &ids, key).await?;
    Ok((sums.remove(&org), ids.len()))
}

fn percent(num: i64, den: i64) -> String {
    if den == 0 { "–".into() } else { format!("{:.1}%", num as f64 * 100.0 / den as f64) }
}

/// p50/p95 of the figures at each level for each period; then a timed recount of each period.
pub async fn run(app: &Chibo, engine: &str, levels: &[(&str, Org)], runs: usize) -> Result<()> {
    println!("BENCH {engine}: meeting compliance figures of an organisation and its children, {runs} runs; ms");
    println!(
        "{:<9} {:<8} {:>6} {:>6} {:>9} {:>9} {:>7} {:>6}  {:>8} {:>8}",
        "level", "period", "orgs", "cells", "regular", "thematic", "attend", "good", "p50", "p95"
    );
    for (name, org) in levels {
        for key in periods() {
            let (p50, p95, orgs) = measure(runs, || async move { Ok(figures(app, org.id, key).await?.1) }).await?;
            let (sums, _) = figures(app, org.id, key).await?;
            let f = sums.unwrap_or_default();
            let rated: i64 = f.ratings.iter().sum();
            println!(
                "{name:<9} {:<8} {orgs:>6} {:>6} {:>9} {:>9} {:>7} {:>6}  {p50:>8.2} {p95:>8.2}",
                key.code(),
                f.regular_cells,
                percent(f.regular_met, f.regular_cells),
                percent(f.thematic_met, f.thematic_cells),
                percent(f.present, f.base),
                percent(f.rating(Rating::Good), rated),
            );
        }
    }
    let mut c = app.pools().read().await?;
    for key in periods() {
        let t = Instant::now();
        let wrong = meeting_figures::recount(&mut c, key).await?;
        let took = t.elapsed().as_secs_f64();
        for m in wrong.iter().take(10) {
            println!("{} {} {}: kept {} ≠ recomputed {}", m.period, m.what, m.id, m.kept, m.recomputed);
        }
        if !wrong.is_empty() {
            bail!("{} meeting figures of {} differ from a recount", wrong.len(), key.code());
        }
        println!("BENCH {engine}: full recount of {} from the attendance rows: {took:.1} s, equal", key.code());
    }
    Ok(())
}
