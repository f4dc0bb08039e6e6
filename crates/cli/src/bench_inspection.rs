//! `chibo bench --inspection-only`: the inspection figures (cases by kind and finding,
//! disciplined members and organisations, own and subtree coverage, the organisations directly
//! under it with their own coverage) of an organisation at every level, for the demo's year
//! and the current term, through the access-checked call the web uses; then the full recount
//! (`chibo check`'s), which must find nothing to correct.

use crate::timing::measure;
use anyhow::{Result, bail};
use chibo_access::{Chibo, Org, Viewer};
use chibo_store::inspection_figures;
use std::time::Instant;

/// The periods measured: the demo's year and the term holding its day.
pub(crate) fn periods() -> [String; 2] {
    let today = chibo_demo::AS_OF;
    [format!("year:{}", today.year()), chibo_access::inspection_period(None, today)]
}

/// p50/p95 of the figures of each level for each period, with what they count.
pub async fn run(app: &Chibo, engine: &str, levels: &[(&str, Org)], runs: usize) -> Result<()> {
    let v = Viewer::console();
    println!("BENCH {engine}: inspection figures of an organisation and its children, {runs} runs; ms");
    println!(
        "{:<9} {:<17} {:>6} {:>7} {:>13} {:>15} {:>8} {:>8}",
        "level", "period", "cases", "under", "own coverage", "subtree cover.", "p50", "p95"
    );
    for (name, org) in levels {
        for period in periods() {
            let (p50, p95, _) =
                measure(runs, || {
                    let (v, period) = (&v, &period);
                    async move {
                        Ok(app.inspection_figures(v, org.id, period).await.map_err(crate::problem)?.children.len())
                    }
                })
                .await?;
            let f = app.inspection_figures(&v, org.id, &period).await.map_err(crate::problem)?;
            let cover = |c: chibo_access::domain::inspection::Coverage| format!("{}/{}", c.covered, c.owed);
            println!(
                "{name:<9} {period:<17} {:>6} {:>7} {:>13} {:>15} {p50:>8.2} {p95:>8.2}",
                f.total_cases,
                f.children.len(),
                cover(f.coverage_own),
                cover(f.coverage_subtree),
            );
        }
    }
    let mut c = app.pools().read().await?;
    let t = Instant::now();
    let wrong = inspection_figures::recount(&mut c).await?;
    let took = t.elapsed().as_secs_f64();
    if !wrong.is_empty() {
        bail!("{} kept inspection figures differ from a recount: {:?}", wrong.len(), &wrong[..wrong.len().min(5)]);
    }
    println!("BENCH {engine}: full recount of the inspection figures from the cases: {took:.1} s, equal");
    Ok(())
}
