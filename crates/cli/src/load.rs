//! Bulk loading of the demo data set, and the counter check.

use anyhow::{Context, Result, bail};
use chibo_access::domain::access::Role;
use chibo_access::{Chibo, Viewer};
use chibo_demo::{Generator, Scale};
use chibo_store::members::{self, NewMember};
use chibo_store::orgs::{self, NewOrg};
use chibo_store::{Pools, schema};
use indicatif::{ProgressBar, ProgressStyle};
use std::time::{Duration, Instant};

/// Rows written per transaction.
const ROWS_PER_TX: usize = 50_000;

/// What a demo load did and how fast.
pub struct LoadReport {
    pub orgs: usize,
    pub members: u64,
    pub elapsed: Duration,
}

impl LoadReport {
    pub fn rows_per_second(&self) -> f64 {
        (self.orgs as f64 + self.members as f64) / self.elapsed.as_secs_f64().max(1e-9)
    }
}

pub async fn is_empty(app: &Chibo) -> Result<bool> {
    let mut c = app.pools().read().await?;
    Ok(orgs::count(&mut c).await? == 0)
}

fn bar(len: u64, what: &str) -> ProgressBar {
    let pb = ProgressBar::new(len);
    let style = ProgressStyle::with_template(&format!(
        "{what} [{{elapsed_precise}}] {{wide_bar}} {{pos}}/{{len}} ({{per_sec}}, còn {{eta}})"
    ))
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    pb.set_style(style);
    pb
}

/// Fill an empty database with the demo data set of `scale`.
pub async fn demo(app: &Chibo, scale: Scale, seed: u64) -> Result<LoadReport> {
    if !is_empty(app).await? {
        bail!("the database already holds organisations: the demo loads into an empty database only");
    }
    let started = Instant::now();
    let pools = app.pools();
    let mut generator = Generator::new(scale, seed);
    let org_count = generator.orgs().len();
    let expected = generator.expected_members();
    println!("Dữ liệu mẫu / demo: {} — {org_count} tổ chức, {expected} đảng viên", scale.code());

    let mut tx = pools.begin().await?;
    schema::drop_bulk_indexes(&mut tx).await?;
    tx.commit().await?;

    let pb = bar(org_count as u64, "Tổ chức  ");
    for chunk in generator.orgs().chunks(ROWS_PER_TX) {
        let mut tx = pools.begin().await?;
        for batch in chunk.chunks(1_000) {
            let rows: Vec<NewOrg<'_>> = batch
                .iter()
                .map(|o| NewOrg {
                    id: o.id,
                    parent_id: o.parent_id,
                    path: &o.path,
                    next_child: i64::from(o.next_child),
                    input: &o.input,
                })
                .collect();
            orgs::insert_many(&mut tx, &rows).await?;
            pb.inc(batch.len() as u64);
        }
        tx.commit().await?;
    }
    pb.finish();

    let pb = bar(expected, "Đảng viên");
    let mut written = 0u64;
    loop {
        let batch = generator.next_members(ROWS_PER_TX);
        if batch.is_empty() {
            break;
        }
        let mut tx = pools.begin().await?;
        for rows in batch.chunks(members::INSERT_BATCH) {
            let news: Vec<NewMember<'_>> = rows
                .iter()
                .map(|m| NewMember { id: m.id, org_path: &m.org_path, province_code: m.province_code, input: &m.input })
                .collect();
            members::insert_many(&mut tx, &news).await?;
            pb.inc(rows.len() as u64);
        }
        tx.commit().await?;
        written += batch.len() as u64;
    }
    pb.finish();

    let step = Instant::now();
    print!("Tạo chỉ mục, đếm lại, thống kê / indexes, counters, statistics … ");
    let mut tx = pools.begin().await?;
    schema::ensure_indexes(&mut tx).await?;
    orgs::rebuild_stats(&mut tx).await?;
    tx.commit().await?;
    schema::analyze(pools).await?;
    println!("{:.1} s", step.elapsed().as_secs_f64());

    demo_accounts(app, pools).await?;
    let report = LoadReport { orgs: org_count, members: written, elapsed: started.elapsed() };
    println!(
        "Xong / done: {} tổ chức + {} đảng viên trong {:.1} s ({:.0} dòng/s)",
        report.orgs,
        report.members,
        report.elapsed.as_secs_f64(),
        report.rows_per_second()
    );
    Ok(report)
}

/// Demo accounts, one per role, so every view can be tried. The password is the
/// `CHIBO_DEMO_PASSWORD` environment variable, or `chibo-demo-2026`.
async fn demo_accounts(app: &Chibo, pools: &Pools) -> Result<()> {
    let console = Viewer::console();
    let password = std::env::var("CHIBO_DEMO_PASSWORD").unwrap_or_else(|_| "chibo-demo-2026".into());
    let mut c = pools.read().await?;
    let root = orgs::roots(&mut c).await?.into_iter().next().context("no root organisation")?;
    // A commune (or the root itself at commune scale) and its first cell with a member.
    let mut staff_org = root.clone();
    while !staff_org.kind().is_cell() && staff_org.kind() != chibo_access::domain::org::OrgKind::Commune {
        match orgs::children(&mut c, staff_org.id, false).await?.into_iter().next() {
            Some(child) => staff_org = child,
            None => break,
        }
    }
    let cells = orgs::children(&mut c, staff_org.id, false).await?;
    let cell = cells.into_iter().find(|o| o.kind().is_cell() && o.stats.members > 0).context("no cell with members")?;
    let page = members::page(
        &mut c,
        &members::PageQuery {
            root_path: &cell.path,
            subtree_members: cell.stats.members,
            all_members: root.stats.members,
            terms: &[],
            status: None,
            after: None,
            limit: 1,
        },
    )
    .await?;
    let member = page.0.first().context("no member")?.id;
    drop(c);
    let accounts: [(&str, &str, Role, uuid::Uuid, Option<uuid::Uuid>); 5] = [
        ("admin", "Quản trị hệ thống", Role::Admin, root.id, None),
        ("canbo", "Cán bộ Ban Tổ chức", Role::Staff, staff_org.id, None),
        ("kiemtra", "Ủy ban Kiểm tra", Role::Inspector, staff_org.id, None),
        ("bithu", "Bí thư chi bộ", Role::Secretary, cell.id, None),
        ("dangvien", "Đảng viên", Role::Member, cell.id, Some(member)),
    ];
    println!("Tài khoản mẫu / demo accounts (mật khẩu / password: {password}):");
    for (username, name, role, org, member) in accounts {
        let (user, note) = match app.user_by_name(&console, username).await {
            Ok(u) => (u, " (tài khoản có sẵn, giữ mật khẩu cũ / existing account, password unchanged)"),
            Err(_) => (app.create_user(&console, username, name, &password).await.map_err(crate::problem)?, ""),
        };
        app.grant(&console, user.id, role, org, member).await.map_err(crate::problem)?;
        println!("  {username:<9} {}{note}", role.label(chibo_access::Lang::Vi));
    }
    Ok(())
}

/// Compare every organisation's counters with a recount of the records.
pub async fn check(app: &Chibo, repair: bool) -> Result<()> {
    let mut tx = app.pools().begin().await?;
    let wrong_words = chibo_store::words::recount(&mut tx).await?;
    if !wrong_words.is_empty() {
        for (word, stored, counted) in wrong_words.iter().take(20) {
            println!("từ / word {word:?}: stored {stored} ≠ counted {counted}");
        }
        if !repair {
            bail!("{} name words have counts that differ from the index (run with --repair)", wrong_words.len());
        }
        chibo_store::words::rebuild_counts(&mut tx).await?;
    }
    let wrong = orgs::recount(&mut tx).await?;
    if wrong.is_empty() {
        tx.commit().await?;
        println!("Số liệu khớp với hồ sơ / every counter equals the records");
        return Ok(());
    }
    for (id, stored, computed) in wrong.iter().take(20) {
        println!("{id}: stored {stored:?} ≠ computed {computed:?}");
    }
    if repair {
        orgs::rebuild_stats(&mut tx).await?;
        tx.commit().await?;
        println!("Đã sửa {} tổ chức / repaired", wrong.len());
        Ok(())
    } else {
        bail!("{} organisations have counters that differ from the records (run with --repair)", wrong.len())
    }
}
