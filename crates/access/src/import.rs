//! The member registry in and out of spreadsheets (*nhập, xuất danh sách đảng viên*).
//!
//! Import reads a file of the template (`chibo_domain::registry_sheet`), checks every row by the
//! entry form's rules plus what only a whole file can break (a cell that is not in the
//! importer's subtree, a citizen ID twice in the file or already in the database), and either
//! reports (dry run, or any error) or writes every row in one transaction: each member with the
//! events and counters that entering them one by one would write, and one audit entry naming
//! the file. Export (`import_export.rs`) writes the same template, so that an export imports back.

use crate::import_write::{KeptSums, Steps};
use crate::load::load_org;
use crate::transaction::write;
use crate::{Chibo, ImportStage, Outcome, Viewer};
use chibo_domain::access::{Action, Target};
use chibo_domain::collation::fold;
use chibo_domain::member::MemberInput;
use chibo_domain::org_sheet::{OrgColumn, OrgHeaderMap};
use chibo_domain::registry_sheet::{Column, HeaderMap, SheetCell, column_of_field, template};
use chibo_domain::{FieldError, Lang, Problem, path};
use chibo_sheets::{RowStream, SheetError, TitleBlock};
use chibo_store::db::Conn;
use chibo_store::members;
use chibo_store::orgs::{self, Org};
use chibo_store::{Exec, Tx, audit};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use uuid::Uuid;

/// How many rows above the data the header row may be (an export's title block is four).
const HEADER_SEARCH_ROWS: usize = 15;

/// Rows an import checks and writes at a time: memory holds this many rows decoded and settled
/// (about 40 MB at 5,000), and each batch costs a few statements per derived table.
pub const IMPORT_BATCH: usize = 5_000;

/// The largest file an import takes through the web (about 200,000 rows of .xlsx); the console
/// reads any size.
pub const MAX_IMPORT_BYTES: usize = 40 * 1024 * 1024;

/// The empty template (`.xlsx`): the title block and the header row.
pub fn member_template() -> Outcome<Vec<u8>> {
    let headers: Vec<&str> = template().map(|c| c.header(Lang::Vi)).collect();
    empty_template(
        "DANH SÁCH ĐẢNG VIÊN (MẪU NHẬP)",
        "Mỗi dòng một đảng viên; cột «Chi bộ» ghi tên chi bộ như trong chibo.",
        "Ngày ghi dd/mm/yyyy; Giới tính: Nam/Nữ; bỏ trống «Ngày chính thức» nếu còn dự bị.",
        &headers,
    )
}

/// One problem of an import, placed in the file.
#[derive(Debug, Clone, Serialize)]
pub struct ImportProblem {
    /// The spreadsheet's row number (1 = the first row); 0 for the file as a whole.
    pub row: usize,
    /// The column's header as written in the file, when the problem is in one cell.
    pub column: Option<String>,
    #[serde(flatten)]
    pub error: FieldError,
}

/// Data rows a check shows as the file gave them, before anything is written.
pub const PREVIEW_ROWS: usize = 10;

/// A data row as read: its number in the file and its cells under the columns read.
#[derive(Debug, Clone, Serialize)]
pub struct PreviewRow {
    pub row: usize,
    pub cells: Vec<String>,
}

/// What an import found, and did.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub file_name: String,
    /// The row holding the headers (1-based), once found.
    pub header_row: Option<usize>,
    /// Data rows read (blank rows skipped).
    pub rows: usize,
    /// Headers that match no column of the template (their cells are not read).
    pub ignored_columns: Vec<String>,
    /// The file's headers of the columns read, in the file's order (the preview's columns).
    pub preview_headers: Vec<String>,
    /// The first [`PREVIEW_ROWS`] data rows, as read.
    pub preview: Vec<PreviewRow>,
    /// Mistakes: while there is one, nothing is written. The first [`PROBLEMS_LISTED`].
    pub errors: Vec<ImportProblem>,
    /// Mistakes beyond those listed, counted only (a file of junk lines must not fill the
    /// server's memory with its errors).
    pub errors_not_listed: usize,
    /// Worth a look but not blocking (the same person twice in the file). The first
    /// [`PROBLEMS_LISTED`].
    pub warnings: Vec<ImportProblem>,
    pub warnings_not_listed: usize,
    /// Members written (0 on a dry run or when there are errors).
    pub imported: usize,
}

impl ImportReport {
    /// Nothing read yet.
    pub(crate) fn of(file_name: &str) -> ImportReport {
        ImportReport {
            file_name: file_name.to_string(),
            header_row: None,
            rows: 0,
            ignored_columns: Vec::new(),
            preview_headers: Vec::new(),
            preview: Vec::new(),
            errors: Vec::new(),
            errors_not_listed: 0,
            warnings: Vec::new(),
            warnings_not_listed: 0,
            imported: 0,
        }
    }

    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }

    /// Every mistake found, listed or not.
    pub fn error_count(&self) -> usize {
        self.errors.len() + self.errors_not_listed
    }

    /// Every warning, listed or not.
    pub fn warning_count(&self) -> usize {
        self.warnings.len() + self.warnings_not_listed
    }

    /// Mistakes found: listed up to [`PROBLEMS_LISTED`], counted beyond.
    pub(crate) fn add_errors(&mut self, found: impl IntoIterator<Item = ImportProblem>) {
        keep(&mut self.errors, &mut self.errors_not_listed, found);
    }

    pub(crate) fn add_warning(&mut self, found: ImportProblem) {
        keep(&mut self.warnings, &mut self.warnings_not_listed, [found]);
    }
}

/// Mistakes (and warnings) an import report lists; beyond, it counts them.
pub const PROBLEMS_LISTED: usize = 10_000;

fn keep(listed: &mut Vec<ImportProblem>, more: &mut usize, found: impl IntoIterator<Item = ImportProblem>) {
    for p in found {
        if listed.len() < PROBLEMS_LISTED {
            listed.push(p);
        } else {
            *more += 1;
        }
    }
}

/// The file read: its header row and data rows with their row numbers.
pub(crate) struct Sheet<M> {
    pub(crate) headers: Vec<SheetCell>,
    pub(crate) map: M,
    pub(crate) rows: Vec<(usize, Vec<SheetCell>)>,
}

/// A template's header row matched (the member registry's, the organisations', the
/// candidates').
pub(crate) trait HeaderRow: Sized {
    type Column: Copy + PartialEq;
    fn of(row: &[SheetCell]) -> Result<Self, Vec<FieldError>>;
    /// (index in the row, column) for each matched header.
    fn columns(&self) -> &[(usize, Self::Column)];
    fn ignored(&self) -> Vec<String>;
    fn is_blank(&self, row: &[SheetCell]) -> bool {
        chibo_domain::sheet_row::is_blank(self.columns(), row)
    }
}

/// The [`HeaderRow`] of a header map with `columns` and `ignored` fields.
macro_rules! header_row {
    ($map:ty, $column:ty) => {
        impl $crate::import::HeaderRow for $map {
            type Column = $column;
            fn of(row: &[chibo_domain::registry_sheet::SheetCell]) -> Result<Self, Vec<chibo_domain::FieldError>> {
                <$map>::of(row)
            }
            fn columns(&self) -> &[(usize, $column)] {
                &self.columns
            }
            fn ignored(&self) -> Vec<String> {
                self.ignored.clone()
            }
        }
    };
}
pub(crate) use header_row;

header_row!(HeaderMap, Column);
header_row!(OrgHeaderMap, OrgColumn);

impl<M: HeaderRow> Sheet<M> {
    /// The file's own header text for a column of the template (what the error report names).
    pub(crate) fn header_for(&self, c: M::Column) -> Option<String> {
        self.map.columns().iter().find(|(_, x)| *x == c).and_then(|(i, _)| self.headers.get(*i)).map(SheetCell::text)
    }
}

impl Sheet<HeaderMap> {
    /// The column of the file where a field error of the record belongs.
    fn column_of(&self, field: &str) -> Option<String> {
        let c = column_of_field(field)?;
        self.header_for(c).or_else(|| {
            matches!(c, Column::FamilyName | Column::MiddleName | Column::GivenName)
                .then(|| self.header_for(Column::FullName))
                .flatten()
        })
    }
}

/// The values of unique fields (citizen ID, card number) met so far in a file, by the row that
/// first had them.
#[derive(Default)]
pub(crate) struct SeenInFile(HashMap<(&'static str, String), usize>);

impl SeenInFile {
    /// Note a value at a row; an error naming the first row when an earlier row had it.
    pub(crate) fn note(&mut self, field: &'static str, value: &str, row: usize) -> Result<(), FieldError> {
        match self.0.get(&(field, value.to_string())) {
            Some(first) => Err(FieldError::new(
                field,
                "duplicate_in_file",
                format!("Trùng với dòng {first} của tệp."),
                format!("The same as row {first} of the file."),
            )),
            None => {
                self.0.insert((field, value.to_string()), row);
                Ok(())
            }
        }
    }
}

/// An empty template (`.xlsx`): a title block of three lines and the header row.
pub(crate) fn empty_template(title: &str, line: &str, note: &str, headers: &[&str]) -> Outcome<Vec<u8>> {
    let title = TitleBlock {
        title: title.to_string(),
        organisation: line.to_string(),
        printed: note.to_string(),
        ..TitleBlock::default()
    };
    chibo_sheets::write_xlsx(&title, headers, std::iter::empty()).map_err(|e| Problem::Unavailable(e.to_string()))
}

fn file_problem(e: FieldError) -> ImportProblem {
    ImportProblem { row: 0, column: None, error: e }
}

fn no_rows() -> ImportProblem {
    file_problem(FieldError::new(
        "file",
        "no_rows",
        "Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.",
        "The file has no data rows under its header row.",
    ))
}

/// A file read as a stream of rows (`chibo_sheets::stream`): its header row found among the
/// first rows, then its data rows handed out a batch at a time, so that a large file is never
/// held decoded in memory.
pub(crate) struct SheetRows<M> {
    /// The header row and its map (no rows: they are in the batches).
    pub(crate) head: Sheet<M>,
    stream: RowStream,
    /// The number of the last row read (1 = the first row).
    at: usize,
    /// The indexes of the columns read, in the file's order (the preview's cells).
    read: Vec<usize>,
}

pub(crate) fn unreadable(e: SheetError) -> Problem {
    match e {
        // Not the file's fault: the same file goes through later (409, to try again).
        SheetError::Busy => Problem::Conflict(FieldError::new("file", "busy", e.message_vi(), e.to_string())),
        e => Problem::field("file", "unreadable", e.message_vi(), e.to_string()),
    }
}

impl<M: HeaderRow> SheetRows<M> {
    /// Open a file and find its header row among the first rows; `None` when there is none
    /// (reported).
    pub(crate) async fn open(file_name: &str, bytes: Arc<[u8]>, report: &mut ImportReport) -> Outcome<Option<Self>> {
        let mut stream = chibo_sheets::stream(bytes, file_name).map_err(unreadable)?;
        let mut first_errors = None;
        let mut at = 0;
        while at < HEADER_SEARCH_ROWS {
            let Some(row) = stream.next().await else { break };
            let row = row.map_err(unreadable)?;
            at += 1;
            if row.iter().all(|c| c.text().is_empty()) {
                continue;
            }
            match M::of(&row) {
                Ok(map) => {
                    report.header_row = Some(at);
                    report.ignored_columns = map.ignored();
                    let mut read: Vec<usize> = map.columns().iter().map(|(i, _)| *i).collect();
                    read.sort_unstable();
                    report.preview_headers =
                        read.iter().map(|i| row.get(*i).map(SheetCell::text).unwrap_or_default()).collect();
                    let head = Sheet { headers: row, map, rows: Vec::new() };
                    return Ok(Some(SheetRows { head, stream, at, read }));
                }
                Err(errors) => {
                    first_errors.get_or_insert((at, errors));
                }
            }
        }
        let (row, errors) = first_errors.unwrap_or((
            0,
            vec![FieldError::new("file", "empty", "Tệp không có dòng tiêu đề nào.", "The file has no header row.")],
        ));
        report.add_errors(errors.into_iter().map(|e| ImportProblem { row, column: None, error: e }));
        Ok(None)
    }

    /// The data rows the file holds below its header row, by what it says of its size.
    pub(crate) fn expected_rows(&self) -> Option<usize> {
        self.stream.expected_rows().map(|n| n.saturating_sub(self.at))
    }

    /// Up to `n` more data rows (blank rows skipped) with their row numbers, counted into the
    /// report; empty after the last row.
    pub(crate) async fn next_rows(
        &mut self,
        n: usize,
        report: &mut ImportReport,
    ) -> Outcome<Vec<(usize, Vec<SheetCell>)>> {
        let mut out = Vec::new();
        while out.len() < n {
            let Some(row) = self.stream.next().await else { break };
            let row = row.map_err(unreadable)?;
            self.at += 1;
            if !self.head.map.is_blank(&row) {
                if report.preview.len() < PREVIEW_ROWS {
                    let cells =
                        self.read.iter().map(|i| row.get(*i).map(SheetCell::text).unwrap_or_default()).collect();
                    report.preview.push(PreviewRow { row: self.at, cells });
                }
                out.push((self.at, row));
            }
        }
        report.rows += out.len();
        Ok(out)
    }
}

/// A file read whole into its rows, with its header row (the small files: organisations,
/// candidates).
async fn read_sheet<M: HeaderRow>(
    file_name: &str,
    bytes: &[u8],
    report: &mut ImportReport,
) -> Outcome<Option<Sheet<M>>> {
    let Some(mut rows) = SheetRows::<M>::open(file_name, Arc::from(bytes), report).await? else {
        return Ok(None);
    };
    let all = rows.next_rows(usize::MAX, report).await?;
    let mut sheet = rows.head;
    sheet.rows = all;
    Ok(Some(sheet))
}

/// The cells of a subtree by the name a file may give them: the cell's name, or its path of
/// names below the subtree's root ("Đảng bộ bộ phận 2 / Chi bộ 1") where names repeat.
pub(crate) struct CellNames {
    by_name: HashMap<String, Vec<Uuid>>,
    by_path: HashMap<String, Uuid>,
    pub(crate) written: HashMap<Uuid, String>,
}

impl CellNames {
    pub(crate) fn of(root: &Org, subtree: &[Org]) -> CellNames {
        let name_at: HashMap<&str, &str> = subtree.iter().map(|o| (o.path.as_str(), o.input.name.as_str())).collect();
        let mut names = CellNames { by_name: HashMap::new(), by_path: HashMap::new(), written: HashMap::new() };
        let cells: Vec<&Org> = subtree.iter().filter(|o| o.kind().is_cell()).collect();
        for c in &cells {
            names.by_name.entry(fold_name(&c.input.name)).or_default().push(c.id);
        }
        for c in &cells {
            let mut parts: Vec<&str> = path::ancestors(&c.path)
                .into_iter()
                .filter(|p| p.len() > root.path.len())
                .filter_map(|p| name_at.get(p).copied())
                .collect();
            parts.push(&c.input.name);
            let long = parts.join(" / ");
            names.by_path.insert(fold_name(&long), c.id);
            let unique = names.by_name.get(&fold_name(&c.input.name)).is_some_and(|ids| ids.len() == 1);
            names.written.insert(c.id, if unique { c.input.name.clone() } else { long });
        }
        names
    }

    /// Where a row names its cell (if it does): the cell's id into `org_id`, or the problem
    /// into `errors`.
    pub(crate) fn place(&self, written: &str, org_id: &mut Uuid, errors: &mut Vec<FieldError>) {
        if written.is_empty() {
            return;
        }
        match self.find(written) {
            Ok(id) => *org_id = id,
            Err(kind) => errors.push(cell_problem(kind, written)),
        }
    }

    pub(crate) fn find(&self, written: &str) -> Result<Uuid, &'static str> {
        let key = fold_name(written);
        if let Some(id) = self.by_path.get(&key) {
            return Ok(*id);
        }
        match self.by_name.get(&key).map(Vec::as_slice) {
            Some([one]) => Ok(*one),
            Some([_, _, ..]) => Err("ambiguous"),
            _ => Err("unknown"),
        }
    }
}

/// A name folded for matching: no diacritics or case, single spaces, "/" as the separator.
pub(crate) fn fold_name(s: &str) -> String {
    fold(s).split('/').map(|p| p.split_whitespace().collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join(" / ")
}

pub(crate) fn cell_problem(kind: &str, written: &str) -> FieldError {
    if kind == "ambiguous" {
        FieldError::new(
            "org_id",
            "ambiguous_cell",
            format!(
                "Có nhiều chi bộ tên «{written}»: ghi cả tên tổ chức cấp trên, ví dụ «Đảng bộ bộ phận … / {written}»."
            ),
            format!("Several cells are named «{written}»: write the organisation above too, e.g. «… / {written}»."),
        )
    } else {
        FieldError::new(
            "org_id",
            "unknown_cell",
            format!("Không có chi bộ «{written}» trong tổ chức đang nhập (hoặc chi bộ đã giải thể)."),
            format!("No cell «{written}» in the organisation being imported into (or it is dissolved)."),
        )
    }
}

impl Chibo {
    /// The organisation an import would write into, if the viewer may (asked before an upload
    /// is read, so that a refused upload is not).
    pub async fn may_import_into(&self, v: &Viewer, org_id: Uuid) -> Outcome<Org> {
        let mut c = self.pools.read().await?;
        importable_root(&mut c, v, org_id).await
    }

    /// Read an import file of a template into its rows (`None`: no header row found, reported),
    /// the file without data rows reported too. The target is checked even when the file is
    /// wrong: a caller learns nothing of an organisation it may not import into.
    pub(crate) async fn read_import<M: HeaderRow>(
        &self,
        v: &Viewer,
        org_id: Uuid,
        file_name: &str,
        bytes: &[u8],
        report: &mut ImportReport,
    ) -> Outcome<Option<Sheet<M>>> {
        let Some(sheet) = read_sheet::<M>(file_name, bytes, report).await? else {
            let mut c = self.pools.read().await?;
            importable_root(&mut c, v, org_id).await?;
            return Ok(None);
        };
        if sheet.rows.is_empty() {
            report.add_errors([no_rows()]);
        }
        Ok(Some(sheet))
    }

    /// Check a member registry file for the subtree of `org_id` and, if `commit` and nothing is
    /// wrong, import it: all rows or none.
    ///
    /// The file is read as a stream and checked and written [`Chibo::with_import_batch`] rows
    /// at a time, in one transaction: memory holds a batch, not the file's rows. A row found
    /// wrong after batches were written rolls the transaction back.
    pub async fn import_members(
        &self,
        v: &Viewer,
        org_id: Uuid,
        file_name: &str,
        bytes: &[u8],
        commit: bool,
    ) -> Outcome<ImportReport> {
        let bytes: Arc<[u8]> = Arc::from(bytes);
        if !commit {
            let (_, report) = self.member_file(&mut DryRun, v, org_id, file_name, &bytes).await?;
            return Ok(report);
        }
        let mut refused = None;
        let written = write!(self, |tx| {
            chibo_store::db::bulk_cache(tx, true).await?;
            let (root, report) = self.member_file(tx, v, org_id, file_name, &bytes).await?;
            let Some(root) = root.filter(|_| report.is_clean()) else {
                refused = Some(report);
                // Roll back the batches written; the report goes back as the answer.
                return Err(Problem::Invalid(Default::default()));
            };
            let after = serde_json::json!({ "file": file_name, "rows": report.rows, "imported": report.imported });
            let entry = v.audit("member.import", "org", Some(root.id), Some(&root.path), None, Some(after));
            audit::record(tx, &entry).await?;
            Ok(report)
        });
        if let Err(e) = self.usual_cache().await {
            // The import's outcome stands; the next start gives the writer its usual cache.
            tracing::warn!(error = ?e, "the writer's page cache was not set back after an import");
        }
        match refused {
            Some(report) => Ok(report),
            None => written,
        }
    }

    /// The writer's usual page cache back after an import, written or not.
    async fn usual_cache(&self) -> Outcome<()> {
        if self.pools.engine() != chibo_store::db::Engine::Sqlite {
            return Ok(());
        }
        let mut tx = self.pools.begin().await?;
        chibo_store::db::bulk_cache(&mut tx, false).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Read, check and (into a write transaction, while no row is wrong) write a member file
    /// batch by batch; the organisation imported into (`None`: the file has no header row) and
    /// the report.
    ///
    /// The file is read and checked on a task of its own ([`check_file`]) one batch ahead of
    /// the writing, so that the check of the next rows runs on the other core while SQLite or
    /// PostgreSQL writes the last ones. The check reads through one reading connection (a dry
    /// run holds no other): the organisation and its cells, and the members committed before
    /// the import; the file's earlier rows it remembers in memory. That is what the write
    /// transaction sees too: the import's own rows are all in the file, and while it writes, no
    /// other write can commit (SQLite's one writer; PostgreSQL's writes take turns at the audit
    /// chain, `chibo_store::db::Pools::begin`).
    async fn member_file(
        &self,
        e: &mut impl RowSink,
        v: &Viewer,
        org_id: Uuid,
        file_name: &str,
        bytes: &Arc<[u8]>,
    ) -> Outcome<(Option<Org>, ImportReport)> {
        let progress = &self.import_progress;
        progress.begin();
        let mut report = ImportReport::of(file_name);
        let file = SheetRows::<HeaderMap>::open(file_name, bytes.clone(), &mut report).await?;
        let mut reader = self.pools.read().await?;
        let root = importable_root(&mut reader, v, org_id).await?;
        let Some(file) = file else { return Ok((None, report)) };
        progress.expect(file.expected_rows().unwrap_or(0));
        progress.set(if e.writes() { ImportStage::Writing } else { ImportStage::Checking });
        let check = MemberCheck::new(&mut reader, &root, self.today()).await?;
        let (checked, mut batches) = tokio::sync::mpsc::channel(1);
        let checking = tokio::spawn(check_file(file, check, reader, report, self.import_batch, checked));
        let mut writer = RowWriter { app: self, v, sums: KeptSums::default() };
        let mut imported = 0;
        while let Some(batch) = batches.recv().await {
            if let Some(rows) = batch.clean_rows {
                imported += e.write_rows(&mut writer, &rows).await?;
            }
            progress.advance(batch.read);
        }
        let mut report = checking.await.map_err(|e| Problem::Unavailable(format!("the check of the file: {e}")))??;
        report.imported = imported;
        if report.is_clean() && e.writes() {
            progress.set(ImportStage::Finishing);
            e.finish(&mut writer).await?;
        }
        if report.rows == 0 {
            report.add_errors([no_rows()]);
        }
        Ok((Some(root), report))
    }
}

/// A batch of a file checked: the rows read, and those to write while the file has no error
/// so far (`None` from the first error on: the rest is only checked, for the report).
struct CheckedBatch {
    read: usize,
    clean_rows: Option<Vec<MemberInput>>,
}

/// Read and check a member file batch by batch, each sent to `out` as it is checked; the
/// report once the file is read (or the writer stopped listening).
async fn check_file(
    mut file: SheetRows<HeaderMap>,
    mut check: MemberCheck,
    mut reader: Conn,
    mut report: ImportReport,
    batch_rows: usize,
    out: tokio::sync::mpsc::Sender<CheckedBatch>,
) -> Outcome<ImportReport> {
    let mut steps = Steps::start();
    loop {
        let batch = file.next_rows(batch_rows, &mut report).await?;
        steps.done("read");
        if batch.is_empty() {
            return Ok(report);
        }
        let read = batch.len();
        let ready = check.rows(&mut reader, &file.head, batch, &mut report).await?;
        steps.done("checked");
        let clean_rows = report.is_clean().then_some(ready);
        if out.send(CheckedBatch { read, clean_rows }).await.is_err() {
            // The writer failed; its error is the import's answer.
            return Ok(report);
        }
        steps.restart();
    }
}

/// What writing an import's rows needs beside the transaction: the application, the importer,
/// and what the rows add to the kept tables, summed over the batches ([`KeptSums`]).
pub(crate) struct RowWriter<'a> {
    app: &'a Chibo,
    v: &'a Viewer,
    sums: KeptSums,
}

/// Where an import's checked rows go: a write transaction writes them, a dry run drops them.
pub(crate) trait RowSink: Send {
    /// Whether rows checked clean are written (a write transaction) or only checked.
    fn writes(&self) -> bool;

    /// Write rows checked clean; how many were written.
    async fn write_rows(&mut self, w: &mut RowWriter<'_>, rows: &[MemberInput]) -> Outcome<usize>;

    /// After the last rows: write the sums.
    async fn finish(&mut self, w: &mut RowWriter<'_>) -> Outcome<()>;
}

impl RowSink for Tx {
    fn writes(&self) -> bool {
        true
    }

    async fn write_rows(&mut self, w: &mut RowWriter<'_>, rows: &[MemberInput]) -> Outcome<usize> {
        Ok(w.app.insert_members_unrecorded(w.v, self, rows, &mut w.sums).await?.len())
    }

    async fn finish(&mut self, w: &mut RowWriter<'_>) -> Outcome<()> {
        w.sums.flush(self).await
    }
}

/// A dry run's [`RowSink`]: the rows are only checked.
pub(crate) struct DryRun;

impl RowSink for DryRun {
    fn writes(&self) -> bool {
        false
    }

    async fn write_rows(&mut self, _: &mut RowWriter<'_>, _: &[MemberInput]) -> Outcome<usize> {
        Ok(0)
    }

    async fn finish(&mut self, _: &mut RowWriter<'_>) -> Outcome<()> {
        Ok(())
    }
}

/// The organisation imported into: readable (else not found) and writable by the viewer.
pub(crate) async fn importable_root(e: &mut impl Exec, v: &Viewer, org_id: Uuid) -> Outcome<Org> {
    let root = load_org(e, org_id).await?;
    v.check(Action::Write, Target::Org { path: &root.path })?;
    if root.is_dissolved() {
        // Nothing is created under a dissolved organisation (the entry forms refuse it too).
        return Err(Problem::field(
            "org_id",
            "org_dissolved",
            "Tổ chức nhận dữ liệu đã giải thể.",
            "The organisation to import into is dissolved.",
        ));
    }
    Ok(root)
}

/// The check of a member file, batch by batch: every row by the entry form's rules, its cell
/// in the subtree, its identifiers against the database and against the rows before it.
struct MemberCheck {
    cells: CellNames,
    today: time::Date,
    /// Identifiers met so far in the file.
    seen: SeenInFile,
    /// (folded full name, birth date) → the first row with them.
    people: HashMap<(String, time::Date), usize>,
}

impl MemberCheck {
    async fn new(e: &mut impl Exec, root: &Org, today: time::Date) -> Outcome<MemberCheck> {
        let subtree = orgs::active_in_subtree(e, &root.path).await?;
        let cells = CellNames::of(root, &subtree);
        Ok(MemberCheck { cells, today, seen: SeenInFile::default(), people: HashMap::new() })
    }

    /// Check a batch of rows: their problems into `report`, the rows ready to write returned.
    async fn rows(
        &mut self,
        e: &mut impl Exec,
        sheet: &Sheet<HeaderMap>,
        batch: Vec<(usize, Vec<SheetCell>)>,
        report: &mut ImportReport,
    ) -> Outcome<Vec<MemberInput>> {
        // First the rows as read, each with the problems of its own cells.
        let rows: Vec<(usize, MemberInput, Vec<FieldError>)> = batch
            .into_iter()
            .map(|(row, cells_of_row)| {
                let read = sheet.map.read(&cells_of_row);
                let (mut input, mut errors) = (read.input, read.errors);
                self.cells.place(&read.cell, &mut input.org_id, &mut errors);
                input.normalize();
                (row, input, errors)
            })
            .collect();
        let held = held_in_database(e, rows.iter().map(|(_, input, _)| input)).await?;
        let mut ready = Vec::with_capacity(rows.len());
        for (row, input, mut errors) in rows {
            // The record's own rules, where the cells could be read.
            let unreadable: Vec<String> = errors.iter().map(|e| e.field.clone()).collect();
            for e in input.validate(self.today).errors {
                if !(unreadable.contains(&e.field) || e.field == "org_id" && input.org_id.is_nil()) {
                    errors.push(e);
                }
            }
            for (field, value) in unique_values(&input) {
                if let Err(twice) = self.seen.note(field, value, row) {
                    errors.push(twice);
                } else if held.contains(&(field, value.to_string())) {
                    errors.push(FieldError::duplicate(field));
                }
            }
            let person = (fold(&input.full_name()), input.birth_date);
            if let Some(first) = self.people.get(&person) {
                report.add_warning(ImportProblem {
                    row,
                    column: None,
                    error: FieldError::new(
                        "full_name",
                        "same_person_in_file",
                        format!("Cùng họ tên và ngày sinh với dòng {first}: kiểm tra có phải một người không."),
                        format!("Same name and birth date as row {first}: check whether it is one person."),
                    ),
                });
            } else {
                self.people.insert(person, row);
            }
            if errors.is_empty() {
                ready.push(input);
            } else {
                report.add_errors(errors.into_iter().map(|e| ImportProblem {
                    row,
                    column: sheet.column_of(&e.field),
                    error: e,
                }));
            }
        }
        Ok(ready)
    }
}

/// A record's identifiers that no other member may hold: (field, value).
fn unique_values(input: &MemberInput) -> impl Iterator<Item = (&'static str, &str)> {
    [("citizen_id", &input.profile.citizen_id), ("party_card_number", &input.profile.party_card_number)]
        .into_iter()
        .filter_map(|(field, value)| value.as_deref().map(|v| (field, v)))
}

/// Which of the rows' identifiers members in the database already hold, read for the whole
/// file at once (one query per 500 values, not one per row).
async fn held_in_database<'a>(
    e: &mut impl Exec,
    inputs: impl Iterator<Item = &'a MemberInput>,
) -> Outcome<HashSet<(&'static str, String)>> {
    let mut values: HashMap<&'static str, Vec<&str>> = HashMap::new();
    for input in inputs {
        for (field, value) in unique_values(input) {
            values.entry(field).or_default().push(value);
        }
    }
    let mut held = HashSet::new();
    for (field, list) in values {
        held.extend(members::held_values(e, field, &list).await?.into_iter().map(|v| (field, v)));
    }
    Ok(held)
}
