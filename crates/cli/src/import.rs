//! `chibo import members|orgs|candidates FILE --org ID [--dry-run]` and
//! `chibo export members|candidates FILE --org ID`: the member registry, the organisation tree
//! and the admission candidates in and out of spreadsheets from the console, through the same
//! application calls as the web interface.

use anyhow::{Context, Result, bail};
use chibo_access::{Chibo, ImportKind, ImportReport, Viewer};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::Path;
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
    let bar = spinner(if dry_run { "Đang kiểm tra / checking" } else { "Đang nhập / importing" });
    let report = app.import(&Viewer::console(), kind, org, &name, &bytes, !dry_run).await.map_err(crate::problem);
    bar.finish_and_clear();
    let report = report?;
    print_report(&report);
    if !report.is_clean() {
        if let Some(out) = errors_to {
            let sheet = app.import_error_sheet(&name, &bytes, &report).map_err(crate::problem)?;
            write_new(out, &sheet)?;
            println!("Tệp kèm cột lỗi / the file with its errors: {}", out.display());
        }
        bail!("{} lỗi: không nhập dòng nào / {} errors: nothing imported", report.errors.len(), report.errors.len());
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
    for (label, list) in [("Lỗi", &r.errors), ("Lưu ý", &r.warnings)] {
        for p in list {
            let place = if p.row == 0 { "tệp".to_string() } else { format!("dòng {}", p.row) };
            let column = p.column.as_deref().map(|c| format!(" · {c}")).unwrap_or_default();
            println!("  {label} ({place}{column}): {}", p.error.message_vi);
        }
    }
}

/// Export the registry (or the open candidates) of the subtree of `org` into `file` (`.xlsx`).
pub async fn export(app: &Chibo, kind: ImportKind, file: &Path, org: &str) -> Result<()> {
    let org = org_id(org)?;
    let bar = spinner("Đang xuất / exporting");
    let bytes = match kind {
        ImportKind::Candidates => app.export_candidates(&Viewer::console(), org).await,
        _ => app.export_members(&Viewer::console(), org).await,
    }
    .map_err(crate::problem);
    bar.finish_and_clear();
    write_new(file, &bytes?)?;
    println!("Đã xuất / exported: {}", file.display());
    Ok(())
}

fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(path).with_context(|| {
        format!("{}: đã có tệp này hoặc không ghi được / exists or cannot be written", path.display())
    })?;
    f.write_all(bytes)?;
    Ok(())
}
