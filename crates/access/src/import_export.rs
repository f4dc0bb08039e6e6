//! The import's way back out (*xuất*): the checked file again with its errors, and the member
//! registry in the import template (`export_members`; the candidates' is in
//! `import_candidates.rs`), both written through `export_sheet`'s title block.

use crate::import::{CellNames, ImportReport};
use crate::list_sheet::{finish_into, sheet_error, title_block};
use crate::load::load_org;
use crate::{Chibo, Outcome, Viewer};
use chibo_domain::registry_sheet::{SheetCell, row_of, template};
use chibo_domain::{Lang, Problem};
use chibo_sheets::{SheetWriter, TitleBlock};
use chibo_store::members;
use chibo_store::orgs::{self, Org};
use std::collections::HashMap;
use uuid::Uuid;

impl Chibo {
    /// The file again as `.xlsx` with a column of its problems ("Lỗi") after the last, so that
    /// the staff correct it where it is and upload it again. Written on a blocking thread
    /// (seconds for a large file), the file read twice — once for its width, once to write
    /// it row by row — never held decoded.
    pub async fn import_error_sheet(&self, file_name: &str, bytes: &[u8], report: &ImportReport) -> Outcome<Vec<u8>> {
        let mut by_row: HashMap<usize, Vec<String>> = HashMap::new();
        for p in &report.errors {
            let text = match &p.column {
                Some(c) => format!("{c}: {}", p.error.message_vi),
                None => p.error.message_vi.clone(),
            };
            by_row.entry(p.row).or_default().push(text);
        }
        let file_errors = by_row.remove(&0).unwrap_or_default().join("; ");
        let title = TitleBlock {
            title: format!("KẾT QUẢ KIỂM TRA TỆP «{file_name}»"),
            organisation: format!("{} lỗi trong {} dòng", report.error_count(), report.rows),
            printed: file_errors,
            ..TitleBlock::default()
        };
        let header_at = report.header_row.unwrap_or(1).saturating_sub(1);
        let (name, bytes) = (file_name.to_string(), std::sync::Arc::<[u8]>::from(bytes));
        let written = tokio::task::spawn_blocking(move || error_sheet(&name, &bytes, header_at, &by_row, &title)).await;
        written.map_err(|e| Problem::Unavailable(e.to_string()))?
    }

    /// The members on the rolls of a subtree as the import template (`.xlsx`), in the order of
    /// the tree, with a title block naming the organisation, the date, how many and who
    /// exported it ([`Chibo::export_members_into`] in memory).
    pub async fn export_members(&self, v: &Viewer, org_id: Uuid) -> Outcome<Vec<u8>> {
        self.export_members_into(v, org_id, Vec::new()).await
    }

    /// [`Chibo::export_members`] written into `out` (a file), and `out` handed back. The
    /// members are read a page at a time from one snapshot of the database (the count in the
    /// title block and the rows agree whatever is written meanwhile) and each page goes to the
    /// sheet's temporary file: memory holds a page, not the registry (a province's registry
    /// once took 375 MB).
    pub async fn export_members_into<W: std::io::Write + Send + 'static>(
        &self,
        v: &Viewer,
        org_id: Uuid,
        out: W,
    ) -> Outcome<W> {
        let mut c = self.pools.snapshot().await?;
        let root = load_org(&mut c, org_id).await?;
        // Records of people: the right to list them (the member role reads its own record only).
        v.check_list(&root.path)?;
        let subtree = orgs::active_in_subtree(&mut c, &root.path).await?;
        let names = CellNames::of(&root, &subtree);
        let count = members::count_on_rolls_under(&mut c, &root.path).await?;
        let headers: Vec<&str> = template().map(|c| c.header(Lang::Vi)).collect();
        let mut sheet =
            self.export_sheet(v, &root, ("DANH SÁCH ĐẢNG VIÊN", ("đảng viên", "members")), &headers, count)?;
        sheet.check_room(usize::try_from(count).unwrap_or(usize::MAX)).map_err(sheet_error)?;
        let mut after: Option<(String, Uuid)> = None;
        loop {
            let page =
                members::on_rolls_under(&mut c, &root.path, after.as_ref().map(|(p, id)| (p.as_str(), *id)), 5_000)
                    .await?;
            let Some(last) = page.last() else { break };
            after = Some((last.org_path.clone(), last.id));
            for m in &page {
                let cell = names.written.get(&m.input.org_id).cloned().unwrap_or_default();
                sheet.push(&row_of(&m.input, &cell)).map_err(sheet_error)?;
            }
        }
        drop(c);
        self.log_read(v, "member.export", "org", root.id, &root.path).await?;
        finish_into(sheet, out).await
    }

    /// Records of a subtree in an import template (`.xlsx`): a title block naming the
    /// organisation, the date, how many rows (`noun`, Vietnamese and English) and who printed it: the title block of
    /// every list (`list_sheet::title_block`).
    pub(crate) fn export_sheet(
        &self,
        v: &Viewer,
        root: &Org,
        (title, noun): (&str, (&str, &str)),
        headers: &[&str],
        rows: i64,
    ) -> Outcome<SheetWriter> {
        // The one title block of every list; the template's title stays Vietnamese (the file
        // is read back by the import), the line under it in the viewer's language.
        let count = format!("{rows} {}", v.lang().pick(noun.0, noun.1));
        let title = title_block(v, (title, title), root.input.name.clone(), &count, self.today());
        SheetWriter::new(&title, headers).map_err(sheet_error)
    }
}

/// The file's rows under its header row (the `header_at`-th, from 0), each with its problems
/// (`by_row`, by row number from 1) in a last column.
fn error_sheet(
    file_name: &str,
    bytes: &[u8],
    header_at: usize,
    by_row: &HashMap<usize, Vec<String>>,
    title: &TitleBlock,
) -> Outcome<Vec<u8>> {
    let unreadable = crate::import::unreadable;
    let (mut width, mut headers, mut at) = (0, Vec::new(), 0);
    chibo_sheets::read(bytes, file_name, |row| {
        width = width.max(row.len());
        if at == header_at {
            headers = row.iter().map(SheetCell::text).collect();
        }
        at += 1;
    })
    .map_err(unreadable)?;
    headers.resize(width, String::new());
    headers.push("Lỗi".to_string());
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut sheet = SheetWriter::new(title, &header_refs).map_err(sheet_error)?;
    let (mut at, mut failed) = (0, None);
    chibo_sheets::read(bytes, file_name, |row| {
        at += 1;
        if at <= header_at + 1 || failed.is_some() {
            return;
        }
        let mut cells: Vec<String> = row.iter().map(SheetCell::text).collect();
        cells.resize(width, String::new());
        cells.push(by_row.get(&at).map(|e| e.join("; ")).unwrap_or_default());
        failed = sheet.push(&cells).err();
    })
    .map_err(unreadable)?;
    if let Some(e) = failed {
        return Err(sheet_error(e));
    }
    sheet.finish().map_err(sheet_error)
}
