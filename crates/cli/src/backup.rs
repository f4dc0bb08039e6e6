//! `chibo backup FILE` and `chibo restore FILE` (sao lưu, khôi phục), both checked.
//!
//! - SQLite: `VACUUM INTO` — online (readers and the writer go on), one consistent snapshot, a
//!   compact file that is itself a chibo database. Restore copies it into place (a temporary
//!   file renamed over the target, the target's old `-wal`/`-shm` removed).
//! - PostgreSQL: `pg_dump --format=custom` from a snapshot exported by chibo, in which the
//!   manifest's figures are read too, so they describe exactly what the dump holds; restore is
//!   `pg_restore --clean --if-exists --single-transaction` (all or nothing).
//!
//! Each backup has its manifest beside it ([`crate::manifest`]). A restore runs `chibo check`
//! on the restored database and requires its figures equal to the manifest's.

use crate::manifest;
use anyhow::{Context, Result, bail};
use chibo_access::Chibo;
use chibo_store::db::sql;
use chibo_store::sqlx::sqlite::SqliteConnectOptions;
use chibo_store::sqlx::{Connection, SqliteConnection};
use chibo_store::{Pools, schema};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The first bytes of each kind of backup file.
const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";
const PG_DUMP_MAGIC: &[u8] = b"PGDMP";

/// `chibo backup FILE`: a consistent copy of the database, checked, with its manifest.
pub async fn backup(db: &str, file: &Path) -> Result<()> {
    if file.exists() {
        bail!(
            "{} đã có, không ghi đè bản sao lưu: chọn tên khác (ví dụ có ngày) / {} exists: a backup is never \
             overwritten, choose another name (e.g. with the date)",
            file.display(),
            file.display()
        );
    }
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let app = crate::open(db).await?;
    crate::load::refuse_incomplete(&app).await.context("chibo backup")?;
    let made = match app.pools() {
        Pools::Sqlite { read, .. } => sqlite_backup(read, file).await.map(|f| ("sqlite", f)),
        Pools::Postgres(_) => pg_backup(&app, db, file).await.map(|f| ("postgres", f)),
    };
    // Nothing half-made is left under the backup's name.
    let (engine, figures) = made.inspect_err(|_| {
        let _ = std::fs::remove_file(file);
    })?;
    app.close().await;
    let summary = manifest::summary(&figures);
    let m = manifest::write(file, engine, figures)?;
    println!(
        "Đã sao lưu / backed up: {} ({} byte), bản kê / manifest {}\n  {summary}",
        file.display(),
        std::fs::metadata(file)?.len(),
        m.display()
    );
    Ok(())
}

/// `VACUUM INTO` on a reading connection (one read transaction: the snapshot of the moment it
/// starts, while the writer goes on), then the copy checked and its figures read.
async fn sqlite_backup(read: &chibo_store::sqlx::SqlitePool, file: &Path) -> Result<serde_json::Value> {
    let file_text = file.to_str().context("the backup file name must be UTF-8")?;
    let mut c = read.acquire().await?;
    sql("VACUUM INTO $1").bind(file_text).execute(&mut *c).await.context("VACUUM INTO")?;
    drop(c);
    let mut copy = open_sqlite_file(file).await?;
    quick_check(&mut copy).await.context("the backup file")?;
    let figures = manifest::figures(&mut copy).await?;
    copy.close().await?;
    Ok(figures)
}

/// `pg_dump` from a snapshot exported here, the figures read in the same snapshot.
async fn pg_backup(app: &Chibo, db: &str, file: &Path) -> Result<serde_json::Value> {
    let pg_dump = pg_tool("pg_dump")?;
    let mut c = app.pools().read().await?;
    sql("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut c).await?;
    let (snapshot,): (String,) = sql("SELECT pg_export_snapshot()").fetch_one(&mut c).await?;
    let figures = manifest::figures(&mut c).await?;
    let mut cmd = Command::new(&pg_dump);
    cmd.arg("--format=custom").arg(format!("--snapshot={snapshot}")).arg("--file").arg(file).arg("--dbname").arg(db);
    let ran = run(cmd).await;
    sql("COMMIT").execute(&mut c).await?;
    ran?;
    Ok(figures)
}

/// `chibo restore FILE`: put the backup in place of the database `db`, then check it and
/// compare its figures with the manifest.
pub async fn restore(db: &str, file: &Path, force: bool) -> Result<()> {
    let head = read_head(file)?;
    let want = manifest::read(file)?;
    if want.is_none() {
        println!(
            "CẢNH BÁO / WARNING: không có bản kê {} — chỉ kiểm tra được tính nhất quán, không so được số liệu / no \
             manifest: the restored database is checked, its figures cannot be compared with the source's",
            manifest::path_of(file).display()
        );
    }
    let is_pg = db.starts_with("postgres://") || db.starts_with("postgresql://");
    match (is_pg, head.starts_with(SQLITE_MAGIC), head.starts_with(PG_DUMP_MAGIC)) {
        (false, true, _) => restore_sqlite(db, file, force).await?,
        (true, _, true) => restore_pg(db, file, force).await?,
        (false, _, true) | (true, true, _) => bail!(
            "{} là bản sao lưu của {}, không khôi phục được vào {db}: sao lưu và khôi phục giữ nguyên loại cơ sở dữ liệu \
             / {} is a {} backup: it restores into the same engine only",
            file.display(),
            if is_pg { "SQLite" } else { "PostgreSQL" },
            file.display(),
            if is_pg { "SQLite" } else { "PostgreSQL" },
        ),
        _ => bail!("{} không phải bản sao lưu của chibo / is not a chibo backup", file.display()),
    }
    verify(db, want.as_ref()).await
}

/// The restored database: migrated to this version, `chibo check`, figures against the manifest.
async fn verify(db: &str, want: Option<&serde_json::Value>) -> Result<()> {
    let app = crate::open(db).await?;
    crate::check::check(&app, false).await.context("the restored database fails the check")?;
    let mut c = app.pools().read().await?;
    let got = manifest::figures(&mut c).await?;
    drop(c);
    app.close().await;
    if let Some(want) = want {
        let wrong = manifest::differences(want, &got);
        for w in wrong.iter().take(20) {
            println!("{w}");
        }
        if !wrong.is_empty() {
            bail!("{} figures differ from the backup's manifest", wrong.len());
        }
        println!("Số liệu khớp với bản sao lưu / figures equal the backup's: {}", manifest::summary(&got));
    }
    println!("Đã khôi phục / restored into {db}");
    Ok(())
}

/// Copy the backup into place. The server must not be running on the target.
async fn restore_sqlite(db: &str, file: &Path, force: bool) -> Result<()> {
    let target = sqlite_path(db)?;
    if target.exists() && std::fs::metadata(&target)?.len() > 0 {
        let mut c = open_sqlite_file(&target).await?;
        let rows = schema::held_rows(&mut c).await?;
        c.close().await?;
        if rows > 0 && !force {
            bail!(not_empty(db, rows));
        }
    }
    let mut source = open_sqlite_file(file).await?;
    quick_check(&mut source).await.context("the backup file")?;
    source.close().await?;
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = with_suffix(&target, ".restoring");
    let copied = std::fs::copy(file, &tmp).and_then(|_| std::fs::File::open(&tmp)?.sync_all());
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("copying to {}", tmp.display()));
    }
    for old in [with_suffix(&target, "-wal"), with_suffix(&target, "-shm")] {
        match std::fs::remove_file(&old) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("removing {}", old.display()));
            }
            _ => {}
        }
    }
    std::fs::rename(&tmp, &target).with_context(|| format!("renaming into {}", target.display()))?;
    Ok(())
}

/// `pg_restore` into the database `db` in one transaction, its chibo tables replaced.
async fn restore_pg(db: &str, file: &Path, force: bool) -> Result<()> {
    let pg_restore = pg_tool("pg_restore")?;
    let pools = Pools::connect(db).await.with_context(|| format!("opening {db}"))?;
    let mut c = pools.read().await?;
    let rows = schema::held_rows(&mut c).await?;
    drop(c);
    pools.close().await;
    if rows > 0 && !force {
        bail!(not_empty(db, rows));
    }
    let mut cmd = Command::new(&pg_restore);
    cmd.args(["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"])
        .arg("--dbname")
        .arg(db)
        .arg(file);
    run(cmd).await
}

fn not_empty(db: &str, rows: i64) -> String {
    format!(
        "{db} đang có dữ liệu ({rows} dòng): thêm --force để thay bằng bản sao lưu (dừng `chibo serve` trên cơ sở dữ liệu \
         này trước) / {db} holds data ({rows} rows): add --force to replace it with the backup (stop `chibo serve` on \
         it first)"
    )
}

/// A SQLite file opened for reading only, as it is (no WAL set up beside it).
async fn open_sqlite_file(path: &Path) -> Result<SqliteConnection> {
    let opts = SqliteConnectOptions::new().filename(path).read_only(true).immutable(true);
    SqliteConnection::connect_with(&opts).await.with_context(|| format!("opening {}", path.display()))
}

async fn quick_check(c: &mut SqliteConnection) -> Result<()> {
    let rows: Vec<(String,)> = sql("PRAGMA quick_check").fetch_all(c).await?;
    if rows.len() != 1 || rows[0].0 != "ok" {
        bail!("PRAGMA quick_check: {:?}", rows.iter().take(5).map(|r| &r.0).collect::<Vec<_>>());
    }
    Ok(())
}

fn read_head(file: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut head = vec![0u8; 16];
    let mut f = std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
    let n = f.read(&mut head)?;
    head.truncate(n);
    Ok(head)
}

fn sqlite_path(db: &str) -> Result<PathBuf> {
    db.strip_prefix("sqlite://")
        .or_else(|| db.strip_prefix("sqlite:"))
        .map(PathBuf::from)
        .with_context(|| format!("{db}: expected sqlite://PATH or postgres://…"))
}

fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// A PostgreSQL client program: in `CHIBO_PG_BIN`, on the PATH, or the newest under
/// /usr/lib/postgresql/*/bin (Debian, Ubuntu).
fn pg_tool(name: &str) -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("CHIBO_PG_BIN") {
        let p = Path::new(&dir).join(name);
        return if p.is_file() { Ok(p) } else { bail!("{name} not found in CHIBO_PG_BIN ({})", p.display()) };
    }
    let on_path = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).map(|d| d.join(name)).find(|p| p.is_file()))
        .unwrap_or_default();
    let debian = || {
        let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok())
            .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin").join(name))))
            .filter(|(_, p): &(u32, PathBuf)| p.is_file())
            .collect();
        found.sort();
        found.pop().map(|(_, p)| p)
    };
    on_path.or_else(debian).with_context(|| {
        format!(
            "không tìm thấy {name}: cài gói PostgreSQL client (apt-get install postgresql-client, cùng phiên bản hoặc mới \
             hơn máy chủ) hoặc đặt CHIBO_PG_BIN / {name} not found: install the PostgreSQL client tools (the server's \
             version or newer) or set CHIBO_PG_BIN to their directory"
        )
    })
}

/// Run a client program off the async workers; its error output on failure.
async fn run(mut cmd: Command) -> Result<()> {
    let shown = format!("{:?}", cmd.get_program());
    let out = tokio::task::spawn_blocking(move || cmd.output()).await?.with_context(|| format!("running {shown}"))?;
    if !out.status.success() {
        bail!("{shown} failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(())
}
