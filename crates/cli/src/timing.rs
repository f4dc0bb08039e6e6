//! Timing of repeated calls for the benchmarks (`bench`, `bench_history`, `bench_http`,
//! `bench_meetings` use it; it uses none of them).

use anyhow::Result;
use std::time::Instant;

/// The value at quantile `p` (0…1) of sorted samples.
pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Time `runs` calls; (p50, p95) in milliseconds and the rows of the last call.
pub(crate) async fn measure<F, Fut>(runs: usize, mut f: F) -> Result<(f64, f64, usize)>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<usize>>,
{
    let mut times = Vec::with_capacity(runs);
    let mut rows = 0;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        rows = f().await?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok((percentile(&times, 0.5), percentile(&times, 0.95), rows))
}
