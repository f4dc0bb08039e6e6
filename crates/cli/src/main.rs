//! `chibo`: the command line. Serve, fill with demo data, migrate, manage accounts, bench.

mod accounts;
mod audit;
mod backup;
mod bench;
mod bench_history;
mod bench_http;
mod bench_inspection;
mod bench_meetings;
mod bench_reports;
mod check;
mod decode_sheet;
mod import;
mod ledger;
mod load;
mod load_inspection;
mod load_review;
mod load_test;
mod manifest;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_loads;
mod timing;

use anyhow::{Context, Result};
use chibo_access::domain::access::Role;
use chibo_access::{Chibo, Viewer};
use chibo_demo::Scale;
use clap::{Parser, Subcommand};

/// mimalloc instead of the C library's allocator: a profile of an import's write of the kept
/// structure had a third of its samples in glibc's malloc and free (docs/BENCHMARKS.md). With
/// its `override` feature the bundled SQLite allocates through it too: a profile of the demo
/// load had a tenth of its samples in glibc's malloc on SQLite's thread.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub(crate) const DEFAULT_DB: &str = "sqlite://chibo-data/chibo.db";

#[derive(Parser)]
#[command(name = "chibo", version, about = "Công tác xây dựng Đảng ở cơ sở — grassroots Party organisation work")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Use today's real date even on a demo database (a demo runs on its own day by default,
    /// so that it shows what it would show on that day).
    #[arg(long, global = true, env = "CHIBO_REAL_CLOCK")]
    real_clock: bool,
}

/// Whether `--real-clock` was given (set once, before any command runs).
static REAL_CLOCK: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

#[derive(Subcommand)]
enum Command {
    /// Migrate the database, then serve the web interface and the JSON API.
    Serve {
        /// sqlite://PATH (the directory is created) or postgres://…
        #[arg(long, env = "CHIBO_DB", default_value = DEFAULT_DB)]
        db: String,
        #[arg(long, env = "CHIBO_BIND", default_value = "127.0.0.1:8080")]
        bind: String,
        /// Fill an empty database with demo data first: commune, province or nation.
        #[arg(long, value_name = "SCALE")]
        demo: Option<String>,
        /// Mark cookies Secure (sent back only over HTTPS). Default: on unless the bind address
        /// is loopback; on loopback, only for requests a proxy marks `X-Forwarded-Proto: https`.
        /// `--secure-cookies=false` turns it off (plain HTTP on a closed network).
        #[arg(long, env = "CHIBO_SECURE_COOKIES", value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
        secure_cookies: Option<bool>,
        /// Give the demo accounts the known password CHIBO_DEMO_PASSWORD (or chibo-demo-2026)
        /// instead of random ones printed once.
        #[arg(long)]
        demo_passwords: bool,
    },
    /// Fill the database with a realistic, deterministic demo data set.
    Demo {
        #[arg(long, default_value = "commune", value_name = "commune|province|nation")]
        scale: String,
        #[arg(long, env = "CHIBO_DB", default_value = DEFAULT_DB)]
        db: String,
        #[arg(long, default_value_t = 2025)]
        seed: u64,
        /// Create `admin` and the demo accounts with the known password CHIBO_DEMO_PASSWORD (or
        /// chibo-demo-2026); without it they get random passwords printed once and `admin` is
        /// left to `serve`.
        #[arg(long)]
        demo_passwords: bool,
        /// Leave the cells' meetings out: the registry, the review and the inspection only (the
        /// nation's SQLite file in 34 GB instead of about 72).
        #[arg(long)]
        without_meetings: bool,
    },
    /// Bring the database schema up to date.
    Migrate {
        #[arg(long, env = "CHIBO_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// Manage accounts without the web interface.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Check the counters and word counts against the records, every member's history
    /// against its events, and the dated ledger against a recomputation; non-zero exit on
    /// any difference.
    Check {
        #[arg(long, env = "CHIBO_DB", default_value = DEFAULT_DB)]
        db: String,
        /// Rewrite the counters from the records when they differ.
        #[arg(long)]
        repair: bool,
    },
    /// Back up the database into FILE, checked, with FILE.manifest.json (SQLite: VACUUM INTO,
    /// online; PostgreSQL: pg_dump --format=custom).
    Backup {
        file: std::path::PathBuf,
        #[arg(long, env = "CHIBO_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// Restore a backup made by `chibo backup` into the database (stop `chibo serve` on it
    /// first), then check it and compare its figures with the manifest.
    Restore {
        file: std::path::PathBuf,
        #[arg(long, env = "CHIBO_DB", default_value = DEFAULT_DB)]
        db: String,
        /// Replace a database that holds data.
        #[arg(long)]
        force: bool,
    },
    /// The audit log: `verify` walks its hash chain and reports any row edited, deleted or
    /// inserted (sequence number and id); non-zero exit if any.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Import the member registry, the organisation tree or the admission candidates of a
    /// subtree from a spreadsheet
    /// (.xlsx, .xls, .ods, .csv): every row checked first; all rows or none.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Export the member registry or the open admission candidates of a subtree in the import
    /// template (.xlsx).
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// Measure: demo generation, then member pages at every level (see docs/BENCHMARKS.md).
    Bench(bench::Args),
    /// Many clients reading and writing at once through HTTP against a running server; fails
    /// on any 5xx, lost update or inexact count (scripts/load-test runs it on both engines).
    LoadTest(load_test::Args),
    /// Decode an older workbook from standard input (run by chibo itself, in a child process).
    #[command(name = decode_sheet::COMMAND, hide = true)]
    DecodeSheet,
}

#[derive(Subcommand)]
enum ImportWhat {
    /// Members (the template: docs/IMPORT.md).
    Members(ImportArgs),
    /// Organisations: the tree under the organisation imported into (docs/IMPORT.md).
    Orgs(ImportArgs),
    /// Admission candidates (quần chúng ưu tú): one dossier per row (docs/IMPORT.md).
    Candidates(ImportArgs),
}

#[derive(clap::Args)]
struct ImportArgs {
    file: std::path::PathBuf,
    /// The organisation imported into (its id: `chibo user grant` and the web address of the
    /// organisation's page show it); every row must land in its subtree.
    #[arg(long)]
    org: String,
    /// Only check: report every problem, write nothing.
    #[arg(long)]
    dry_run: bool,
    /// When there are problems, write the file again with a column of them here (.xlsx).
    #[arg(long, value_name = "FILE")]
    errors: Option<std::path::PathBuf>,
    #[arg(long, env = "CHIBO_DB", default_value = DEFAULT_DB)]
    db: String,
}

#[derive(Subcommand)]
enum ExportWhat {
    /// Members on the rolls, in the import template.
    Members(ExportArgs),
    /// Open admission candidates' dossiers, in the import template.
    Candidates(ExportArgs),
}

#[derive(clap::Args)]
struct ExportArgs {
    file: std::path::PathBuf,
    /// The organisation whose subtree is exported.
    #[arg(long)]
    org: String,
    #[arg(long, env = "CHIBO_DB", default_value = DEFAULT_DB)]
    db: String,
}

#[derive(Subcommand)]
enum AuditAction {
    /// Walk the hash chain of the audit log.
    Verify {
        #[arg(long, env = "CHIBO_DB", default_value = DEFAULT_DB)]
        db: String,
    },
}

#[derive(Subcommand)]
enum UserAction {
    /// Create an account (password from CHIBO_PASSWORD, else asked for on stdin).
    Add {
        username: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long, env = "CHIBO_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// List accounts and their grants.
    List {
        #[arg(long, env = "CHIBO_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// Grant a role on an organisation: admin, staff, inspector, secretary, member.
    Grant {
        username: String,
        role: String,
        /// The organisation's id.
        org: String,
        /// For the member role: the member record's id.
        #[arg(long)]
        member: Option<String>,
        #[arg(long, env = "CHIBO_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// Set an account's password (from CHIBO_PASSWORD, else stdin); its sessions end.
    Passwd {
        username: String,
        #[arg(long, env = "CHIBO_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// Disable an account; its sessions end.
    Disable {
        username: String,
        #[arg(long, env = "CHIBO_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// Enable a disabled account.
    Enable {
        username: String,
        #[arg(long, env = "CHIBO_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// Remove an account's second factor (a lost phone); it enrols again at its next login.
    TotpReset {
        username: String,
        #[arg(long, env = "CHIBO_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// Forget an account's failed logins from every address.
    Unlock {
        username: String,
        #[arg(long, env = "CHIBO_DB", default_value = DEFAULT_DB)]
        db: String,
    },
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    if let Command::DecodeSheet = cli.command {
        return decode_sheet::run();
    }
    decode_sheet::name_self();
    limit_allocator_arenas();
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(run(cli))
}

/// At most two malloc arenas (glibc). By default glibc gives each busy thread its own arena,
/// up to eight per core, and an arena keeps what it once held: under 64 clients the server
/// grew to 376–477 MB on SQLite (each connection runs on its own thread); with two arenas it
/// stays under 300 MB for the same load (docs/BENCHMARKS.md). Set before any thread starts.
fn limit_allocator_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes a malloc tuning parameter; called before other threads exist.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

async fn run(cli: Cli) -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=error".into()),
        )
        .init();
    let _ = REAL_CLOCK.set(cli.real_clock);
    match cli.command {
        Command::Serve { db, bind, demo, secure_cookies, demo_passwords } => {
            serve(&db, &bind, demo.as_deref(), secure_cookies, demo_passwords).await
        }
        Command::Demo { scale, db, seed, demo_passwords, without_meetings } => {
            let app = open(&db).await?;
            let meetings = if without_meetings { load::Meetings::Without } else { load::Meetings::With };
            load::demo(&app, parse_scale(&scale)?, seed, meetings).await?;
            load::demo_accounts(&app, demo_passwords).await
        }
        Command::Migrate { db } => {
            open(&db).await?;
            println!("Đã cập nhật cấu trúc cơ sở dữ liệu / schema up to date: {db}");
            Ok(())
        }
        Command::User { action } => user(action).await,
        Command::Check { db, repair } => check::check(&open(&db).await?, repair).await,
        Command::Backup { file, db } => backup::backup(&db, &file).await,
        Command::Restore { file, db, force } => backup::restore(&db, &file, force).await,
        Command::Audit { action: AuditAction::Verify { db } } => audit::verify(&open(&db).await?).await,
        Command::Import { what } => {
            let (kind, a) = match what {
                ImportWhat::Members(a) => (chibo_access::ImportKind::Members, a),
                ImportWhat::Orgs(a) => (chibo_access::ImportKind::Orgs, a),
                ImportWhat::Candidates(a) => (chibo_access::ImportKind::Candidates, a),
            };
            import::import(&open(&a.db).await?, kind, &a.file, &a.org, a.dry_run, a.errors.as_deref()).await
        }
        Command::Export { what } => {
            let (kind, a) = match what {
                ExportWhat::Members(a) => (chibo_access::ImportKind::Members, a),
                ExportWhat::Candidates(a) => (chibo_access::ImportKind::Candidates, a),
            };
            import::export(&open(&a.db).await?, kind, &a.file, &a.org).await
        }
        Command::Bench(args) => bench::run(args).await,
        Command::LoadTest(args) => load_test::run(args).await,
        Command::DecodeSheet => decode_sheet::run(),
    }
}

fn parse_scale(s: &str) -> Result<Scale> {
    Scale::parse(s).with_context(|| format!("unknown scale {s:?}: use commune, province or nation"))
}

/// Open the database, its schema brought up to date, on its working day (see [`on_its_day`]).
/// Opening writes (an upgrade, the audit chain's pending entries), so while another process
/// holds the write turn for long (`chibo check`, a load) it is refused after a wait: said so.
async fn open(db: &str) -> Result<Chibo> {
    let app = Chibo::open(db).await.map_err(|e| opening_failed(db, e))?;
    on_its_day(app).await
}

/// What a command says when `db` could not be opened.
fn opening_failed(db: &str, e: chibo_store::StoreError) -> anyhow::Error {
    match e {
        chibo_store::StoreError::Conflict => anyhow::anyhow!(
            "{db}: cơ sở dữ liệu đang bận ghi (chibo check, nạp dữ liệu hoặc nâng cấp đang chạy), hãy thử lại khi \
             việc đó xong / the database is busy writing (a chibo check, a load or an upgrade is running): try \
             again when it has finished"
        ),
        e => anyhow::Error::new(e).context(format!("opening {db}")),
    }
}

/// The application on its working day: a demo database's own day (the day its data was
/// generated for), unless `--real-clock`; today's date otherwise.
async fn on_its_day(app: Chibo) -> Result<Chibo> {
    if REAL_CLOCK.get().copied().unwrap_or(false) {
        return Ok(app.with_clock(chibo_access::Clock::System));
    }
    Ok(match app.working_day().await.map_err(problem)? {
        Some(day) => app.with_clock(chibo_access::Clock::Pinned(day)),
        None => app.with_clock(chibo_access::Clock::System),
    })
}

async fn serve(
    db: &str,
    bind: &str,
    demo: Option<&str>,
    secure_cookies: Option<bool>,
    demo_passwords: bool,
) -> Result<()> {
    let app = open(db).await?;
    if demo.is_none() {
        // A load stopped half-way would show wrong figures as if whole: refuse it.
        load::refuse_incomplete(&app).await.context("chibo serve")?;
    }
    let mut demo_loaded = false;
    if let Some(scale) = demo {
        let scale = parse_scale(scale)?;
        if load::needs_demo(&app).await? {
            load::demo(&app, scale, 2025, load::Meetings::With).await?;
            demo_loaded = true;
        } else {
            println!("Cơ sở dữ liệu đã có dữ liệu, bỏ qua dữ liệu mẫu / the database has data: demo skipped");
        }
    }
    // After a demo load, the application runs on the demo's day.
    let app = on_its_day(app).await?;
    if let Some(day) = app.clock().pinned() {
        println!(
            "Ngày làm việc: {} (ngày của dữ liệu mẫu; --real-clock để dùng ngày thật) / working day: {day} (the demo's day; --real-clock for today)",
            chibo_access::domain::date::format_vn(day)
        );
    }
    // After the demo's organisations exist, so that `admin` administers its root.
    accounts::ensure_admin(&app).await?;
    if demo_loaded {
        load::demo_accounts(&app, demo_passwords).await?;
    }
    // The figures of the current month, quarter and year are computed outside any request.
    let keeper = app.clone();
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            if let Err(p) = keeper.keep_meeting_periods_current().await {
                eprintln!("meeting figures: {}", problem(p));
            }
        }
    });
    let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| format!("binding {bind}"))?;
    let addr = listener.local_addr()?;
    println!("chibo đang chạy / running: http://{addr}/  (đăng nhập / log in: http://{addr}/login)");
    let cookies = chibo_web::SecureCookies::for_bind(bind, secure_cookies);
    match cookies {
        chibo_web::SecureCookies::Always => println!(
            "Cookie đăng nhập chỉ gửi qua HTTPS / session cookie Secure (HTTPS only; --secure-cookies=false for plain HTTP)"
        ),
        chibo_web::SecureCookies::WhenForwardedHttps => {
            println!("Cookie Secure khi proxy báo HTTPS / session cookie Secure when X-Forwarded-Proto: https")
        }
        chibo_web::SecureCookies::Never if !chibo_web::is_loopback_bind(bind) => {
            eprintln!("Cảnh báo / warning: cookie không có Secure trên {bind} / cookies without Secure on {bind}")
        }
        chibo_web::SecureCookies::Never => {}
    }
    // Ctrl-C and SIGTERM both stop accepting and let the requests in flight finish.
    chibo_web::serve_with(listener, app.clone(), cookies).await?;
    // The reads logged in the last moments are written before leaving.
    app.close().await;
    Ok(())
}

pub(crate) fn read_password() -> Result<String> {
    if let Ok(p) = std::env::var("CHIBO_PASSWORD") {
        return Ok(p);
    }
    eprint!("Mật khẩu / password: ");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

fn problem(p: chibo_access::Problem) -> anyhow::Error {
    match p {
        chibo_access::Problem::Invalid(v) => anyhow::anyhow!(
            "{}",
            v.errors.iter().map(|e| format!("{}: {}", e.field, e.message_vi)).collect::<Vec<_>>().join("\n")
        ),
        chibo_access::Problem::Conflict(e) => anyhow::anyhow!("{}: {}", e.field, e.message_vi),
        other => anyhow::anyhow!("{other:?}"),
    }
}

async fn user(action: UserAction) -> Result<()> {
    let console = Viewer::console();
    match action {
        UserAction::Add { username, name, db } => {
            let app = open(&db).await?;
            let pw = read_password()?;
            let u = app
                .create_user(&console, &username, name.as_deref().unwrap_or(&username), &pw)
                .await
                .map_err(problem)?;
            println!("Đã tạo tài khoản / created: {} ({})", u.username, u.id);
        }
        UserAction::List { db } => {
            let app = open(&db).await?;
            for (u, grants) in app.users(&console).await.map_err(problem)? {
                let g: Vec<String> =
                    grants.iter().map(|g| format!("{}@{} ({})", g.role.code(), g.org_name, g.org_id)).collect();
                println!("{}\t{}\t{}", u.username, u.display_name, g.join(", "));
            }
        }
        UserAction::Grant { username, role, org, member, db } => {
            let app = open(&db).await?;
            let role = Role::parse(&role).context("role: admin, staff, inspector, secretary or member")?;
            let org = uuid::Uuid::parse_str(&org).context("org: an organisation id")?;
            let member = member.map(|m| uuid::Uuid::parse_str(&m)).transpose().context("member: a member id")?;
            let u = app.user_by_name(&console, &username).await.map_err(problem)?;
            let g = app.grant(&console, u.id, role, org, member).await.map_err(problem)?;
            println!("Đã cấp quyền / granted: {} {} @ {}", username, g.role.code(), g.org_name);
        }
        UserAction::Passwd { username, db } => accounts::user_change(&open(&db).await?, "passwd", &username).await?,
        UserAction::Disable { username, db } => accounts::user_change(&open(&db).await?, "disable", &username).await?,
        UserAction::Enable { username, db } => accounts::user_change(&open(&db).await?, "enable", &username).await?,
        UserAction::TotpReset { username, db } => {
            accounts::user_change(&open(&db).await?, "totp-reset", &username).await?
        }
        UserAction::Unlock { username, db } => accounts::user_change(&open(&db).await?, "unlock", &username).await?,
    }
    Ok(())
}

#[cfg(test)]
mod opening {
    use chibo_store::StoreError;

    #[test]
    fn a_database_busy_writing_is_said_so_and_other_failures_keep_their_cause() {
        let busy = super::opening_failed("sqlite://x.db", StoreError::Conflict).to_string();
        assert!(busy.contains("đang bận ghi") && busy.contains("busy writing"), "{busy}");
        let other = format!("{:#}", super::opening_failed("sqlite://x.db", StoreError::Stale));
        assert_eq!(other, "opening sqlite://x.db: changed by someone else");
    }
}
