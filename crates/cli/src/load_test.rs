//! `chibo load-test`: a busy office through HTTP. Accounts of cell secretaries are made on
//! the database (console), then `--clients` clients log in to the running server and for
//! `--seconds` read and write at once: member lists and searches, member records, meeting
//! lists and figures (reads); member edits over the version read, attendance saved again,
//! new members (writes). Printed: requests and their status classes, p50/p95/p99 per kind
//! of request, throughput, and the server's peak memory (`--server-pid`). Then the checks
//! that make the figures trustworthy: no 5xx; no lost update (every edit that was answered
//! 2xx gave a distinct version of its record, and each record ends with the content of its
//! newest acknowledged edit); every cell's member count grew by exactly the members created.
//! A login storm (200 wrong passwords at once from rotating loopback addresses) ends the run.
//! Run `chibo check` afterwards (scripts/load-test does).

use anyhow::{Context, Result, bail};
use chibo_access::domain::access::Role;
use chibo_access::{Chibo, Viewer};
use chibo_store::orgs;
use rand::Rng;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use uuid::Uuid;

#[derive(clap::Args)]
pub struct Args {
    /// The database the server runs on (accounts for the clients are created in it).
    #[arg(long, env = "CHIBO_DB", default_value = crate::DEFAULT_DB)]
    db: String,
    /// The server's address.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    #[arg(long, default_value_t = 64)]
    clients: usize,
    #[arg(long, default_value_t = 180)]
    seconds: u64,
    /// The cells the clients work in (the largest ones).
    #[arg(long, default_value_t = 8)]
    cells: usize,
    /// The server's process id, to sample its memory (VmRSS) during the run.
    #[arg(long)]
    server_pid: Option<u32>,
    /// Wrong logins sent at once at the end (0: none).
    #[arg(long, default_value_t = 200)]
    login_storm: usize,
}

const PASSWORD_LEN: usize = 24;

/// One cell's world as a client sees it.
#[derive(Clone)]
struct Cell {
    id: Uuid,
    username: String,
    password: String,
}

/// What every client adds to, shared.
#[derive(Default)]
struct Tally {
    /// (kind of request) → latencies in ms.
    latencies: HashMap<&'static str, Vec<f64>>,
    /// status (0 for no answer) → count.
    statuses: HashMap<u16, usize>,
    /// Each 5xx with its body, the first few.
    failures: Vec<String>,
    /// Acknowledged member edits: member → (version after, phone written).
    edits: HashMap<Uuid, Vec<(i64, String)>>,
    /// Members created and acknowledged, per cell.
    created: HashMap<Uuid, i64>,
}

struct Client {
    http: reqwest::Client,
    base: String,
    csrf: String,
    cell: Cell,
    tally: Arc<Mutex<Tally>>,
}

impl Client {
    async fn login(base: &str, cell: Cell, tally: Arc<Mutex<Tally>>) -> Result<Client> {
        let http = reqwest::Client::builder().cookie_store(true).timeout(Duration::from_secs(60)).build()?;
        let r = http
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({"username": cell.username, "password": cell.password}))
            .send()
            .await?;
        let status = r.status();
        let body: Value = r.json().await.unwrap_or(Value::Null);
        let Some(csrf) = body["csrf_token"].as_str() else {
            bail!("login of {} answered {status}: {body}", cell.username);
        };
        Ok(Client { http, base: base.to_string(), csrf: csrf.to_string(), cell, tally })
    }

    /// Send a request, record its time and status, return the status and the JSON body.
    async fn call(&self, kind: &'static str, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req =
            self.http.request(method, format!("{}/api/v1{path}", self.base)).header("X-CSRF-Token", &self.csrf);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let t = Instant::now();
        let (status, text) = match req.send().await {
            Ok(r) => {
                let s = r.status().as_u16();
                (s, r.text().await.unwrap_or_default())
            }
            Err(e) => (0, e.to_string()),
        };
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let mut t = self.tally.lock().unwrap_or_else(|e| e.into_inner());
        t.latencies.entry(kind).or_default().push(ms);
        *t.statuses.entry(status).or_default() += 1;
        if (status >= 500 || status == 0) && t.failures.len() < 20 {
            t.failures.push(format!("{kind} {path} → {status}: {}", text.chars().take(300).collect::<String>()));
        }
        drop(t);
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn get(&self, kind: &'static str, path: &str) -> (u16, Value) {
        self.call(kind, reqwest::Method::GET, path, None).await
    }

    async fn member_ids(&self) -> Vec<String> {
        let (_, page) = self.get("members list", &format!("/orgs/{}/members?limit=200", self.cell.id)).await;
        page["items"].as_array().into_iter().flatten().filter_map(|m| m["id"].as_str().map(str::to_string)).collect()
    }

    async fn held_meetings(&self, year: i32) -> Vec<String> {
        let (_, list) = self.get("meetings list", &format!("/orgs/{}/meetings?year={year}", self.cell.id)).await;
        list["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|m| m["status"] == "held")
            .filter_map(|m| m["id"].as_str().map(str::to_string))
            .collect()
    }

    /// Read a member, change the phone, save over the version read.
    async fn edit_member(&self, id: &str, seq: u64) {
        let (status, view) = self.get("member", &format!("/members/{id}")).await;
        if status != 200 {
            return;
        }
        let m = &view["member"];
        let phone = format!("09{:08}", seq % 100_000_000);
        let mut body = serde_json::Map::new();
        for (k, v) in m.as_object().into_iter().flatten() {
            let text = match v {
                Value::String(s) => Value::String(s.clone()),
                Value::Number(n) => Value::String(n.to_string()),
                Value::Bool(b) => Value::Bool(*b),
                _ => continue,
            };
            body.insert(k.clone(), text);
        }
        body.insert("phone".into(), json!(phone));
        let (status, after) =
            self.call("member edit", reqwest::Method::PUT, &format!("/members/{id}"), Some(Value::Object(body))).await;
        if status == 200
            && let (Some(v), Ok(uuid)) = (after["member"]["version"].as_i64(), Uuid::parse_str(id))
        {
            let mut t = self.tally.lock().unwrap_or_else(|e| e.into_inner());
            t.edits.entry(uuid).or_default().push((v, phone));
        }
    }

    /// Save a held meeting's attendance again (everyone present but one, with a reason).
    async fn save_attendance(&self, id: &str, absent: usize) {
        let (status, m) = self.get("meeting", &format!("/meetings/{id}")).await;
        if status != 200 {
            return;
        }
        let marks: Vec<Value> = m["roll"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|l| l["mark"].is_string())
            .enumerate()
            .map(|(i, l)| {
                let (mark, reason) = if i == absent { ("excused", "Ốm") } else { ("present", "") };
                json!({"member_id": l["member_id"], "mark": mark, "reason": reason})
            })
            .collect();
        let body = json!({"marks": marks, "version": m["version"], "reason": "Kiểm thử tải: điểm danh lại"});
        self.call("attendance save", reqwest::Method::PUT, &format!("/meetings/{id}/attendance"), Some(body)).await;
    }

    async fn create_member(&self, seq: u64) {
        let given = ["An", "Bình", "Chi", "Dũng", "Hà", "Lan", "Minh", "Nga"][(seq % 8) as usize];
        let body = json!({
            "org_id": self.cell.id.to_string(), "family_name": "Trần", "middle_name": "Văn", "given_name": given,
            "birth_date": "1990-04-12", "gender": "male", "ethnicity_code": "1", "theory_level": "none",
            "admission_date": "2024-05-19", "status": "probationary",
        });
        let (status, _) = self.call("member create", reqwest::Method::POST, "/members", Some(body)).await;
        if status == 201 {
            *self.tally.lock().unwrap_or_else(|e| e.into_inner()).created.entry(self.cell.id).or_default() += 1;
        }
    }

    /// The client's loop until the deadline.
    async fn work(self, until: Instant, year: i32, seed: u64) {
        let mut rng = rand::rngs::StdRng::seed_from_u64_compat(seed);
        let members = self.member_ids().await;
        let meetings = self.held_meetings(year).await;
        let terms = ["an", "lan", "van", "thi", "nguyen", "minh", "hoang", "lo"];
        let mut seq = seed * 1_000_000;
        while Instant::now() < until {
            seq += 1;
            let roll: u32 = rng.random_range(0..100);
            let pick = |rng: &mut rand::rngs::StdRng, v: &[String]| v.get(rng.random_range(0..v.len().max(1))).cloned();
            match roll {
                0..30 => {
                    let q = terms[rng.random_range(0..terms.len())];
                    self.get("members search", &format!("/orgs/{}/members?q={q}", self.cell.id)).await;
                }
                30..45 => {
                    if let Some(id) = pick(&mut rng, &members) {
                        self.get("member", &format!("/members/{id}")).await;
                    }
                }
                45..55 => {
                    self.get("meeting figures", &format!("/orgs/{}/meeting-figures?period={year}", self.cell.id)).await;
                }
                55..65 => {
                    self.get("meetings list", &format!("/orgs/{}/meetings?year={year}", self.cell.id)).await;
                }
                65..80 => {
                    // A few records per cell, so that edits collide.
                    if let Some(id) = pick(&mut rng, &members[..members.len().min(4)]) {
                        self.edit_member(&id, seq).await;
                    }
                }
                80..95 => {
                    if let Some(id) = pick(&mut rng, &meetings[..meetings.len().min(3)]) {
                        self.save_attendance(&id, rng.random_range(0..12)).await;
                    }
                }
                _ => self.create_member(seq).await,
            }
        }
    }
}

/// Seeded generators without pulling in another trait import at each call site.
trait SeedCompat {
    fn seed_from_u64_compat(seed: u64) -> Self;
}
impl SeedCompat for rand::rngs::StdRng {
    fn seed_from_u64_compat(seed: u64) -> Self {
        <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(seed)
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len().max(1) as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or(f64::NAN)
}

/// The resident memory of a process in MB, from /proc.
fn rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Secretary accounts on the largest cells, with fresh random passwords.
async fn accounts(app: &Chibo, n: usize) -> Result<Vec<Cell>> {
    let console = Viewer::console();
    let pools = app.pools();
    let mut c = pools.read().await?;
    let mut cells = orgs::largest_cells(&mut c, n as i64).await?;
    drop(c);
    if cells.is_empty() {
        bail!("the database holds no cells: load the demo first");
    }
    cells.truncate(n);
    let run = Uuid::now_v7().simple().to_string();
    let mut out = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        let username = format!("tai-{}-{i}", &run[run.len() - 8..]);
        let password: String =
            rand::rng().sample_iter(rand::distr::Alphanumeric).take(PASSWORD_LEN).map(char::from).collect();
        let user = app.create_user(&console, &username, "Kiểm thử tải", &password).await.map_err(crate::problem)?;
        app.grant(&console, user.id, Role::Secretary, cell.id, None).await.map_err(crate::problem)?;
        out.push(Cell { id: cell.id, username, password });
    }
    Ok(out)
}

async fn member_counts(app: &Chibo, cells: &[Cell]) -> Result<HashMap<Uuid, i64>> {
    let mut c = app.pools().read().await?;
    let mut out = HashMap::new();
    for cell in cells {
        let org = orgs::by_id(&mut c, cell.id).await?.context("cell vanished")?;
        out.insert(cell.id, org.stats.members);
    }
    Ok(out)
}

/// Acknowledged edits that the records do not show: a version acknowledged twice, or a
/// record whose content is not that of its newest acknowledged edit.
async fn lost_updates(app: &Chibo, edits: &HashMap<Uuid, Vec<(i64, String)>>) -> Result<Vec<String>> {
    let mut c = app.pools().read().await?;
    let mut lost = Vec::new();
    for (id, list) in edits {
        let mut versions: Vec<i64> = list.iter().map(|(v, _)| *v).collect();
        versions.sort_unstable();
        let before = versions.len();
        versions.dedup();
        if versions.len() != before {
            lost.push(format!("member {id}: {} edits acknowledged with the same version", before - versions.len()));
        }
        let Some((newest, phone)) = list.iter().max_by_key(|(v, _)| *v) else { continue };
        let m = chibo_store::members::by_id(&mut c, *id).await?.context("member vanished")?;
        if m.version < *newest || (m.version == *newest && m.input.profile.phone.as_deref() != Some(phone.as_str())) {
            lost.push(format!(
                "member {id}: stored version {} phone {:?}, acknowledged {newest} {phone}",
                m.version, m.input.profile.phone
            ));
        }
    }
    Ok(lost)
}

/// Wrong passwords at once from rotating loopback addresses; (answers by status, peak RSS).
async fn login_storm(base: &str, n: usize, username: &str, pid: Option<u32>) -> Result<HashMap<u16, usize>> {
    let mut handles = Vec::new();
    for i in 0..n {
        let addr = IpAddr::V4(Ipv4Addr::new(127, 0, (i / 250) as u8, (i % 250 + 2) as u8));
        let http = reqwest::Client::builder().local_address(addr).timeout(Duration::from_secs(120)).build()?;
        let url = format!("{base}/api/v1/auth/login");
        let body = json!({"username": username, "password": format!("sai-mat-khau-{i}")});
        handles.push(tokio::spawn(async move { http.post(url).json(&body).send().await.map(|r| r.status().as_u16()) }));
    }
    let mut out: HashMap<u16, usize> = HashMap::new();
    for h in handles {
        let s = h.await?.unwrap_or(0);
        *out.entry(s).or_default() += 1;
    }
    if let Some(pid) = pid {
        println!("LOAD server memory after the login storm: {:.0} MB", rss_mb(pid).unwrap_or(f64::NAN));
    }
    Ok(out)
}

pub async fn run(args: Args) -> Result<()> {
    let app = crate::open(&args.db).await?;
    let engine = format!("{:?}", app.engine());
    let cells = accounts(&app, args.cells).await?;
    let counts_before = member_counts(&app, &cells).await?;
    let year = app.today().year();
    let tally = Arc::new(Mutex::new(Tally::default()));
    let mut clients = Vec::new();
    for i in 0..args.clients {
        clients.push(Client::login(&args.url, cells[i % cells.len()].clone(), tally.clone()).await?);
    }
    let peak = Arc::new(Mutex::new(0f64));
    let sampler = args.server_pid.map(|pid| {
        let peak = peak.clone();
        tokio::spawn(async move {
            loop {
                if let Some(mb) = rss_mb(pid) {
                    let mut p = peak.lock().unwrap_or_else(|e| e.into_inner());
                    *p = p.max(mb);
                }
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        })
    });
    println!("LOAD {engine}: {} clients on {} cells for {} s …", args.clients, cells.len(), args.seconds);
    let start = Instant::now();
    let until = start + Duration::from_secs(args.seconds);
    let handles: Vec<_> =
        clients.into_iter().enumerate().map(|(i, c)| tokio::spawn(c.work(until, year, i as u64 + 1))).collect();
    for h in handles {
        h.await?;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let load_peak = *peak.lock().unwrap_or_else(|e| e.into_inner());
    let storm = if args.login_storm > 0 {
        Some(login_storm(&args.url, args.login_storm, &cells[0].username, args.server_pid).await?)
    } else {
        None
    };
    if let Some(s) = sampler {
        s.abort();
    }

    let t = std::mem::take(&mut *tally.lock().unwrap_or_else(|e| e.into_inner()));
    let total: usize = t.statuses.values().sum();
    let class = |c: u16| t.statuses.iter().filter(|(s, _)| **s / 100 == c).map(|(_, n)| n).sum::<usize>();
    let mut by_status: Vec<_> = t.statuses.iter().collect();
    by_status.sort();
    println!(
        "LOAD {engine}: {total} requests in {elapsed:.0} s = {:.0} req/s; 2xx {} 4xx {} 5xx {} no answer {}; by status {by_status:?}",
        total as f64 / elapsed,
        class(2),
        class(4),
        class(5),
        class(0),
    );
    let mut kinds: Vec<_> = t.latencies.into_iter().collect();
    kinds.sort_by(|a, b| a.0.cmp(b.0));
    for (kind, mut ms) in kinds {
        ms.sort_by(f64::total_cmp);
        println!(
            "LOAD {engine} {kind:<16} n={:>6}  p50 {:>7.1} ms  p95 {:>7.1} ms  p99 {:>7.1} ms",
            ms.len(),
            percentile(&ms, 0.5),
            percentile(&ms, 0.95),
            percentile(&ms, 0.99)
        );
    }
    if args.server_pid.is_some() {
        println!(
            "LOAD {engine} server peak memory (VmRSS, sampled every 250 ms): {load_peak:.0} MB under load, {:.0} MB \
             with the login storm",
            *peak.lock().unwrap_or_else(|e| e.into_inner())
        );
    }
    if let Some(s) = &storm {
        let mut s: Vec<_> = s.iter().collect();
        s.sort();
        println!("LOAD {engine} login storm of {} wrong passwords: answers {s:?}", args.login_storm);
    }

    let mut problems = t.failures.clone();
    problems.extend(lost_updates(&app, &t.edits).await?);
    let counts_after = member_counts(&app, &cells).await?;
    for cell in &cells {
        let created = t.created.get(&cell.id).copied().unwrap_or(0);
        if counts_after[&cell.id] != counts_before[&cell.id] + created {
            problems.push(format!(
                "cell {}: {} members before, {created} created, {} after",
                cell.id, counts_before[&cell.id], counts_after[&cell.id]
            ));
        }
    }
    let edits: usize = t.edits.values().map(Vec::len).sum();
    let created: i64 = t.created.values().sum();
    println!(
        "LOAD {engine}: {edits} acknowledged member edits, {created} members created, checked against the records"
    );
    if storm.as_ref().is_some_and(|s| s.keys().any(|k| *k >= 500 || *k == 0)) {
        problems.push("the login storm got server failures or no answer".into());
    }
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("LOAD FAIL {p}");
        }
        bail!("{} problems under load", problems.len());
    }
    println!("LOAD {engine}: no 5xx, no lost update, member counts exact");
    Ok(())
}
