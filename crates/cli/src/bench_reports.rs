//! `chibo bench --reports-only`: the statistics report (structure today, changes over a year
//! and a month) at every level, through the access-checked call the web uses.

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
    Ok(())
}
