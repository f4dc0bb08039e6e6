//! `chibo import members|orgs|candidates FILE --org ID [--dry-run]` and
//! `chibo export members|candidates FILE --org ID`: the member registry, the organisation tree
//! and the admission candidates in and out of spreadsheets from the console, through the same
//! application calls as the web interface.

use anyhow::{Context, Result, bail};
use chibo_access::{Chibo, ImportKind, ImportProgress, ImportReport, ImportStage, Viewer};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

fn spinner(message: &str) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {elapsed}").unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(message.to_string());
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// Run an import while a bar on the console follows its progress: rows checked (or checked
/// and written) out of the rows the file says it holds, then the writing of the kept figures.
async fn with_progress_bar<T>(progress: &ImportProgress, import: impl Future<Output = T>) -> T {
    let bar = ProgressBar::new(0);
    let counted = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} dòng / rows, {per_sec} {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    let uncounted = ProgressStyle::with_template("{spinner} {msg} {pos} dòng / rows {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(uncounted.clone());
    bar.enable_steady_tick(Duration::from_millis(200));
    let mut import = std::pin::pin!(import);
    let out = loop {
        let message = match progress.stage() {
            ImportStage::Opening => "Đang mở tệp / opening",
            ImportStage::Checking => "Đang kiểm tra / checking",
            ImportStage::Writing => "Đang nhập / importing",
            ImportStage::Finishing => "Đang ghi số liệu tổng hợp / writing the kept figures",
            ImportStage::Done => "Xong / done",
        };
        bar.set_message(message);
        if let Some(all) = progress.expected().filter(|all| bar.length() != Some(*all as u64)) {
            bar.set_style(counted.clone());
            bar.set_length(all as u64);
        }
        bar.set_position(progress.rows() as u64);
        tokio::select! {
            out = &mut import => break out,
            () = tokio::time::sleep(Duration::from_millis(250)) => {}
        }
    };
    bar.finish_and_clear();
    out
}

fn org_id(org: &str) -> Result<Uuid> {
    Uuid::parse_str(org.trim())
        .with_context(|| format!("--org: «{org}» không phải mã tổ chức (uuid) / not an organisation id"))
}

/// Check, and unless `dry_run` import, a file of members, organisations or candidates into the subtree of
/// `org`. With `errors_to`, the file with a column of its problems is written there when there
/// are any.
pub async fn import(
    app: &Chibo,
    kind: ImportKind,
    file: &Path,
    org: &str,
    dry_run: bool,
    errors_to: Option<&Path>,
) -> Result<()> {
    let org = org_id(org)?;
    let bytes = std::fs::read(file).with_context(|| format!("{}", file.display()))?;
    let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let progress = Arc::new(ImportProgress::default());
    let watched = app.reporting_to(progress.clone());
    let console = Viewer::console();
    let import = watched.import(&console, kind, org, &name, &bytes, !dry_run);
    let report = with_progress_bar(&progress, import).await.map_err(crate::problem)?;
    print_report(&report);
    if !report.is_clean() {
        if let Some(out) = errors_to {
            let sheet = app.import_error_sheet(&name, &bytes, &report).await.map_err(crate::problem)?;
            write_new(out, &sheet)?;
            println!("Tệp kèm cột lỗi / the file with its errors: {}", out.display());
        }
        bail!("{} lỗi: không nhập dòng nào / {} errors: nothing imported", report.error_count(), report.error_count());
    }
    if dry_run {
        println!(
            "Kiểm tra xong, không có lỗi: {} dòng sẵn sàng / checked, no errors: {} rows ready",
            report.rows, report.rows
        );
    } else {
        let what = match kind {
            ImportKind::Members => "đảng viên / members",
            ImportKind::Orgs => "tổ chức đảng / organisations",
            ImportKind::Candidates => "quần chúng ưu tú / admission candidates",
        };
        println!("Đã nhập / imported: {} {what}", report.imported);
    }
    Ok(())
}

fn print_report(r: &ImportReport) {
    println!(
        "{}: dòng tiêu đề / header row {}, {} dòng dữ liệu / data rows",
        r.file_name,
        r.header_row.map_or("?".to_string(), |h| h.to_string()),
        r.rows
    );
    if !r.ignored_columns.is_empty() {
        println!("Cột không dùng / ignored columns: {}", r.ignored_columns.join(", "));
    }
    for (label, list, more) in [("Lỗi", &r.errors, r.errors_not_listed), ("Lưu ý", &r.warnings, r.warnings_not_listed)]
    {
        for p in list {
            let place = if p.row == 0 { "tệp".to_string() } else { format!("dòng {}", p.row) };
            let column = p.column.as_deref().map(|c| format!(" · {c}")).unwrap_or_default();
            println!("  {label} ({place}{column}): {}", p.error.message_vi);
        }
        if more > 0 {
            println!("  {label}: {more} nữa, không liệt kê / {more} more, not listed");
        }
    }
}

/// Export the registry (or the open candidates) of the subtree of `org` into `file` (`.xlsx`).
pub async fn export(app: &Chibo, kind: ImportKind, file: &Path, org: &str) -> Result<()> {
    let org = org_id(org)?;
    if file.exists() {
        bail!("{}: đã có tệp này / the file exists", file.display());
    }
    // Written beside the file asked for, moved into place once whole: an export cut short
    // (an error, Ctrl-C) leaves no truncated file under that name, and on Ctrl-C the part
    // written is removed (the export is dropped, and its temporary files with it).
    let dir = file.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let part = tempfile::Builder::new()
        .prefix(".chibo-export-")
        .suffix(".part")
        .tempfile_in(dir)
        .with_context(|| format!("{}: không ghi được / cannot be written", dir.display()))?;
    let out = std::io::BufWriter::new(part);
    let bar = spinner("Đang xuất / exporting");
    // The registry goes into the file as it is written (a province's would not fit memory
    // twice); the candidates are few.
    let export = async {
        match kind {
            ImportKind::Candidates => match app.export_candidates(&Viewer::console(), org).await {
                Ok(bytes) => {
                    let mut out = out;
                    out.write_all(&bytes).map(|()| out).map_err(anyhow::Error::from)
                }
                Err(p) => Err(crate::problem(p)),
            },
            _ => app.export_members_into(&Viewer::console(), org, out).await.map_err(crate::problem),
        }
    };
    let written = tokio::select! {
        written = export => written,
        _ = tokio::signal::ctrl_c() => Err(anyhow::anyhow!("đã dừng / interrupted")),
    };
    bar.finish_and_clear();
    let part = written?.into_inner().map_err(|e| anyhow::anyhow!("{}", e.error()))?;
    part.persist_noclobber(file).map_err(|e| {
        anyhow::anyhow!(
            "{}: đã có tệp này hoặc không ghi được / exists or cannot be written: {}",
            file.display(),
            e.error
        )
    })?;
    println!("Đã xuất / exported: {}", file.display());
    Ok(())
}

/// `bytes` into a new file at `path`; an existing one is never overwritten.
fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(path).with_context(|| {
        format!("{}: đã có tệp này hoặc không ghi được / exists or cannot be written", path.display())
    })?;
    f.write_all(bytes)?;
    Ok(())
}
