//! `chibo bench`: demo generation at a scale, then the member page of an organisation at
//! every level, through the same access-checked API the web uses, the tree through time and
//! the meeting figures; apart, the reports and the inspection figures. Prints p50/p95.

use crate::load;
use crate::timing::measure;
use anyhow::{Context, Result};
use chibo_access::domain::org::OrgKind;
use chibo_access::{Chibo, Org, PageRequest, Viewer};
use chibo_demo::Scale;

#[derive(clap::Args)]
pub struct Args {
    /// The database to measure (loaded with the demo first if empty).
    #[arg(long, env = "CHIBO_DB", default_value = "sqlite://chibo-data/bench.db")]
    db: String,
    #[arg(long, default_value = "nation")]
    scale: String,
    #[arg(long, default_value_t = 2025)]
    seed: u64,
    /// Repetitions of each measured request.
    #[arg(long, default_value_t = 200)]
    runs: usize,
    /// Only the tree through time (as-of counts, bulk move), not the member pages.
    #[arg(long)]
    history_only: bool,
    /// Only the meeting figures (and the recount of a month and a year).
    #[arg(long)]
    meetings_only: bool,
    /// Only the statistics reports.
    #[arg(long)]
    reports_only: bool,
    /// Only the member pages and searches (and the organisation page).
    #[arg(long)]
    members_only: bool,
    /// Only the inspection figures (and their full recount).
    #[arg(long)]
    inspection_only: bool,
    /// Only the requests through HTTP (a real server on this database) beside their
    /// in-process calls.
    #[arg(long)]
    http: bool,
}

/// The first descendant (depth-first, biggest child first) satisfying `pred`.
async fn descend(app: &Chibo, v: &Viewer, from: &Org, pred: impl Fn(&Org) -> bool) -> Result<Org> {
    let mut at = from.clone();
    for _ in 0..10 {
        if pred(&at) {
            return Ok(at);
        }
        let mut kids = app.org_children(v, at.id, false).await.map_err(crate::problem)?;
        kids.sort_by_key(|k| -k.stats.members);
        at = kids.into_iter().next().context("ran out of levels")?;
    }
    anyhow::bail!("no such level")
}

pub async fn run(args: Args) -> Result<()> {
    let scale = crate::parse_scale(&args.scale)?;
    let app = Chibo::open(&args.db).await?;
    let engine = format!("{:?}", app.engine());
    if load::needs_demo(&app).await? {
        let r = load::demo(&app, scale, args.seed, load::Meetings::With).await?;
        let m = &r.meetings;
        println!(
            "BENCH {engine} demo generation ({}): {} orgs + {} members + {} meetings ({} attendance lines, {} \
             speakers) in {:.1} s = {:.0} rows/s; meetings written in {:.1} s, {} periods opened in {:.1} s",
            scale.code(),
            r.orgs,
            r.members,
            m.meetings,
            m.attendance,
            m.speakers,
            r.elapsed.as_secs_f64(),
            r.rows_per_second(),
            m.written.as_secs_f64(),
            m.periods,
            m.opened.as_secs_f64()
        );
    }
    let v = Viewer::console();
    // Measured on the demo's day, as `serve` runs it.
    let app = crate::on_its_day(app).await?;
    let root = app.home_orgs(&v).await.map_err(crate::problem)?.into_iter().next().context("empty database")?;
    let mut levels = vec![("root", root.clone())];
    if scale == Scale::Nation {
        levels.push(("province", descend(&app, &v, &root, |o| o.kind() == OrgKind::Provincial).await?));
    }
    if scale != Scale::Commune {
        levels.push(("commune", descend(&app, &v, &root, |o| o.kind() == OrgKind::Commune).await?));
    }
    levels.push(("cell", descend(&app, &v, &root, |o| o.kind().is_cell()).await?));
    if args.http {
        crate::bench_http::run(&app, &engine, &levels, &crate::bench_meetings::periods(), args.runs).await?;
        app.close().await;
        return Ok(());
    }
    if args.inspection_only {
        crate::bench_inspection::run(&app, &engine, &levels, args.runs).await?;
        app.close().await;
        return Ok(());
    }
    if args.reports_only {
        crate::bench_reports::run(&app, &engine, &levels, args.runs).await?;
        app.close().await;
        return Ok(());
    }
    if !args.history_only && !args.members_only {
        crate::bench_meetings::run(&app, &engine, &levels, args.runs).await?;
    }
    if args.meetings_only {
        app.close().await;
        return Ok(());
    }
    if !args.members_only {
        crate::bench_history::as_of(&app, &v, &engine, &levels, args.runs).await?;
        if let Some((org, to)) = move_case(&app, &v, scale, &levels).await? {
            crate::bench_history::bulk_move(&app, &v, &engine, &org, &to).await?;
        }
    }
    if args.history_only {
        app.close().await;
        return Ok(());
    }
    println!("BENCH {engine}: member page, 50 rows, {} runs each; ms", args.runs);
    println!("{:<9} {:>9}  {:<22} {:>8} {:>8} {:>5}", "level", "members", "request", "p50", "p95", "rows");
    for (name, org) in &levels {
        // Common names, a rarer one, and one that matches nobody (the worst case: every
        // index entry of the subtree is read).
        let cases: [(&str, Option<&str>, usize); 6] = [
            ("sorted, page 1", None, 0),
            ("sorted, page 5", None, 4),
            ("search \"lan\"", Some("lan"), 0),
            ("search \"nguyen thi\"", Some("nguyen thi"), 0),
            ("search \"lo van\"", Some("lo van"), 0),
            ("search absent", Some("zzyzx"), 0),
        ];
        for (label, q, skip) in cases {
            // Walk to the page first (cursor of page `skip`), then time that page.
            let mut after = None;
            for _ in 0..skip {
                let req = PageRequest {
                    search: q.map(str::to_string),
                    after: after.clone(),
                    limit: 50,
                    ..PageRequest::default()
                };
                after = app.members_page(&v, org.id, &req).await.map_err(crate::problem)?.next;
            }
            let req = PageRequest { search: q.map(str::to_string), after, limit: 50, ..PageRequest::default() };
            let (p50, p95, rows) = measure(args.runs, || {
                let (app, v, req) = (&app, &v, &req);
                async move { Ok(app.members_page(v, org.id, req).await.map_err(crate::problem)?.items.len()) }
            })
            .await?;
            println!("{name:<9} {:>9}  {label:<22} {p50:>8.2} {p95:>8.2} {rows:>5}", org.stats.members);
        }
        let (p50, p95, _) = measure(args.runs, || {
            let (app, v) = (&app, &v);
            async move { Ok(app.org(v, org.id, false).await.map_err(crate::problem)?.children.len()) }
        })
        .await?;
        println!("{name:<9} {:>9}  {:<22} {p50:>8.2} {p95:>8.2}", org.stats.members, "org page (counts)");
    }
    app.close().await;
    Ok(())
}

/// What the bulk move measures: at nation scale the measured commune under another province,
/// at province scale the measured cell under another commune; nothing at commune scale.
async fn move_case(app: &Chibo, v: &Viewer, scale: Scale, levels: &[(&str, Org)]) -> Result<Option<(Org, Org)>> {
    let pick = |name: &str| levels.iter().find(|(n, _)| *n == name).map(|(_, o)| o.clone());
    let (moved, above) = match scale {
        Scale::Nation => (pick("commune"), pick("root")),
        Scale::Province => (pick("cell"), pick("root")),
        Scale::Commune => (None, None),
    };
    let (Some(moved), Some(above)) = (moved, above) else { return Ok(None) };
    let mut candidates = app.org_children(v, above.id, false).await.map_err(crate::problem)?;
    candidates.sort_by_key(|k| -k.stats.members);
    let kind = if scale == Scale::Nation { OrgKind::Provincial } else { OrgKind::Commune };
    // Another organisation of that kind, not one the moved subtree already sits in.
    let to = candidates.into_iter().find(|c| c.kind() == kind && !moved.path.starts_with(&c.path));
    Ok(to.map(|to| (moved, to)))
}
