//! `chibo bench --http`: what a user waits for. The real server runs on the benchmark's
//! database (in this process, on a random loopback port); an account with a grant on the root
//! logs in over HTTP; each request is timed through HTTP with one client and with 16 at once,
//! beside the access-layer call it makes, timed in-process the same number of times. A request
//! through HTTP should take at most twice its in-process time plus 2 ms (p50), the meeting
//! figures of any organisation and period at most 20 ms (p95), the inspection figures 50 ms.

use crate::timing::percentile;
use anyhow::{Context, Result, bail};
use chibo_access::domain::access::Role;
use chibo_access::domain::meeting::PeriodKey;
use chibo_access::{Chibo, Org, PageRequest, Viewer};
use std::sync::Arc;
use std::time::Instant;

/// Clients at once in the concurrent column.
const CONCURRENCY: usize = 16;

/// One measured request: its label, the HTTP path, and the in-process call it makes.
struct Case {
    label: String,
    path: String,
    call: Call,
}

#[derive(Clone)]
enum Call {
    Figures(uuid::Uuid, String),
    Inspection(uuid::Uuid, String),
    Members(uuid::Uuid, Option<&'static str>),
    OrgPage(uuid::Uuid),
}

impl Call {
    async fn run(&self, app: &Chibo, v: &Viewer) -> Result<()> {
        match self {
            Call::Figures(id, p) => app.meeting_figures(v, *id, p).await.map(|_| ()),
            Call::Inspection(id, p) => app.inspection_figures(v, *id, p).await.map(|_| ()),
            Call::Members(id, q) => {
                let req = PageRequest { search: q.map(str::to_string), limit: 50, ..PageRequest::default() };
                app.members_page(v, *id, &req).await.map(|_| ())
            }
            Call::OrgPage(id) => app.org(v, *id, false).await.map(|_| ()),
        }
        .map_err(crate::problem)
    }
}

fn cases(levels: &[(&str, Org)], periods: &[PeriodKey]) -> Vec<Case> {
    let mut out = Vec::new();
    for (level, org) in levels {
        let id = org.id;
        for key in periods {
            let code = key.code();
            out.push(Case {
                label: format!("{level} figures {code} (API)"),
                path: format!("/api/v1/orgs/{id}/meeting-figures?period={code}"),
                call: Call::Figures(id, code.clone()),
            });
        }
        if let Some(year) = periods.iter().find(|k| matches!(k, PeriodKey::Year(_))) {
            let code = year.code();
            out.push(Case {
                label: format!("{level} figures {code} (page)"),
                path: format!("/orgs/{id}/meeting-figures?period={code}"),
                call: Call::Figures(id, code),
            });
        }
        for p in crate::bench_inspection::periods() {
            out.push(Case {
                label: format!("{level} inspection {} (API)", p.split(':').next().unwrap_or_default()),
                path: format!("/api/v1/orgs/{id}/inspection/figures?period={p}"),
                call: Call::Inspection(id, p),
            });
        }
        for q in [Some("lan"), Some("lo van")] {
            let text = q.unwrap_or_default();
            out.push(Case {
                label: format!("{level} search \"{text}\" (API)"),
                path: format!("/api/v1/orgs/{id}/members?q={}", text.replace(' ', "+")),
                call: Call::Members(id, q),
            });
        }
        out.push(Case {
            label: format!("{level} organisation (API)"),
            path: format!("/api/v1/orgs/{id}"),
            call: Call::OrgPage(id),
        });
    }
    out
}

/// p50, p95, p99 of a list of times in ms.
fn summary(mut ms: Vec<f64>) -> [f64; 3] {
    ms.sort_by(f64::total_cmp);
    [percentile(&ms, 0.5), percentile(&ms, 0.95), percentile(&ms, 0.99)]
}

async fn get(http: &reqwest::Client, url: &str) -> Result<f64> {
    let t = Instant::now();
    let r = http.get(url).send().await?;
    let status = r.status();
    let body = r.bytes().await?;
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    if !status.is_success() {
        bail!("{url} answered {status}: {}", String::from_utf8_lossy(&body).chars().take(200).collect::<String>());
    }
    Ok(ms)
}

/// `runs` requests from `clients` clients at once (each its own session).
async fn over_http(clients: &[reqwest::Client], url: &str, runs: usize) -> Result<Vec<f64>> {
    let per = runs.div_ceil(clients.len()).max(1);
    let url = Arc::new(url.to_string());
    let tasks: Vec<_> = clients
        .iter()
        .cloned()
        .map(|http| {
            let url = url.clone();
            tokio::spawn(async move {
                let mut times = Vec::with_capacity(per);
                for _ in 0..per {
                    times.push(get(&http, &url).await?);
                }
                Ok::<_, anyhow::Error>(times)
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await??);
    }
    Ok(all)
}

async fn logged_in(base: &str, username: &str, password: &str) -> Result<reqwest::Client> {
    let http = reqwest::Client::builder().cookie_store(true).build()?;
    let r = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"username": username, "password": password}))
        .send()
        .await?;
    if !r.status().is_success() {
        bail!("bench login answered {}", r.status());
    }
    Ok(http)
}

pub async fn run(app: &Chibo, engine: &str, levels: &[(&str, Org)], periods: &[PeriodKey], runs: usize) -> Result<()> {
    // The benchmark's own server asks no second factor, so its 16 clients log in with a
    // password (a code is accepted once per 30 s); every request after the login is the same.
    let app = &app.clone().with_second_factor(false);
    let root = &levels.first().context("no levels")?.1;
    let console = Viewer::console();
    let suffix = uuid::Uuid::now_v7().simple().to_string();
    let username = format!("bench-{}", &suffix[suffix.len() - 8..]);
    let password = format!("{suffix}-bench");
    let user = app.create_user(&console, &username, "Đo hiệu năng", &password).await.map_err(crate::problem)?;
    // The organisation staff of the root: it reads the whole subtree.
    app.grant(&console, user.id, Role::Staff, root.id, None).await.map_err(crate::problem)?;
    let (_, viewer) = app.login(&username, &password, Some("127.0.0.1")).await.map_err(crate::problem)?;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let server = tokio::spawn(chibo_web::serve(listener, app.clone(), false));
    let mut clients = Vec::new();
    for _ in 0..CONCURRENCY {
        clients.push(logged_in(&base, &username, &password).await?);
    }

    println!(
        "BENCH {engine}: through HTTP (real server, logged-in session) beside the in-process call, {runs} runs each; \
         p50/p95/p99 ms"
    );
    println!("{:<34} {:>15}   {:>23}   {:>23}  goal", "request", "in-process", "HTTP, 1 client", "HTTP, 16 clients");
    let mut misses = Vec::new();
    for case in cases(levels, periods) {
        // Once first, so that opening a period or a cold cache is not in the figures.
        case.call.run(app, &viewer).await?;
        let url = format!("{base}{}", case.path);
        get(&clients[0], &url).await?;
        let mut inproc = Vec::with_capacity(runs);
        for _ in 0..runs {
            let t = Instant::now();
            case.call.run(app, &viewer).await?;
            inproc.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        let [i50, i95, _] = summary(inproc);
        let [a50, a95, a99] = summary(over_http(&clients[..1], &url, runs).await?);
        let [c50, c95, c99] = summary(over_http(&clients, &url, runs).await?);
        let goal_p50 = 2.0 * i50 + 2.0;
        // The meeting figures within 20 ms (p95), the inspection figures within 50 ms.
        let p95_goal = match case.call {
            Call::Figures(..) => 20.0,
            Call::Inspection(..) => 50.0,
            _ => f64::INFINITY,
        };
        let ok = a50 <= goal_p50 && a95 <= p95_goal;
        if !ok {
            misses.push(case.label.clone());
        }
        println!(
            "{:<34} {i50:>7.2} {i95:>7.2}   {a50:>7.2} {a95:>7.2} {a99:>7.2}   {c50:>7.2} {c95:>7.2} {c99:>7.2}  {}",
            case.label,
            if ok { "ok" } else { "MISSED" }
        );
    }
    server.abort();
    if misses.is_empty() {
        println!(
            "BENCH {engine}: every request through HTTP within 2 × in-process + 2 ms (p50), figures p95 ≤ 20 ms \
             (inspection 50 ms)"
        );
    } else {
        println!("BENCH {engine}: goal missed by {}: {}", misses.len(), misses.join("; "));
    }
    Ok(())
}
