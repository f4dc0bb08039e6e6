//! Spreadsheets in and out (*nhập, xuất Excel*).
//!
//! [`read`] turns an uploaded `.xlsx`, `.xls`, `.ods` or `.csv` file into rows of
//! [`SheetCell`]s (calamine and the csv crate: no hand-written parser); [`write_xlsx`] writes
//! a list as `.xlsx` with a title block (organisation, date, who printed it) above its header
//! row. What the cells mean is the domain's business (`chibo_domain::registry_sheet`).

use chibo_domain::registry_sheet::SheetCell;
use std::io::Cursor;

mod isolated;
mod package;
mod write;
pub use isolated::{
    CHILD_CPU_SECONDS, CHILD_MEMORY, CHILDREN_AT_ONCE, TURN_WAIT, child_main, decode_in_child, in_child,
};
pub use write::{SHEET_ROWS, SheetWriter, TitleBlock, write_xlsx};

/// Why a file could not be read.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum SheetError {
    #[error("unsupported file type: {0}")]
    UnsupportedType(String),
    #[error("the file cannot be read as a spreadsheet: {0}")]
    Unreadable(String),
    #[error("the file holds no sheet")]
    NoSheet,
    /// An older workbook whose decoding went past the child's bounds on memory or time
    /// (`isolated`): how the child ended.
    #[error("the file asks for more memory or time than a spreadsheet may; its reading was stopped ({0})")]
    Exhausted(String),
    /// Every child that decodes older workbooks was busy for longer than a file waits.
    #[error("the readers of older workbooks are all busy; try again in a few minutes")]
    Busy,
    #[error("the text file is not UTF-8 (line {0})")]
    NotUtf8(u64),
    #[error("writing the spreadsheet failed: {0}")]
    Write(String),
    /// A list longer than a sheet holds: `rows` asked, `room` for them.
    #[error("{rows} rows do not fit in one sheet ({room} at most)")]
    TooManyRows { rows: usize, room: usize },
}

impl SheetError {
    /// The error in Vietnamese, for the person who uploaded the file.
    pub fn message_vi(&self) -> String {
        match self {
            SheetError::UnsupportedType(ext) => {
                format!("Không đọc được tệp «{ext}»: chỉ nhận .xlsx, .xls, .ods hoặc .csv.")
            }
            SheetError::Unreadable(e) => format!("Tệp không phải bảng tính đọc được ({e})."),
            SheetError::NoSheet => "Tệp không có trang tính nào.".to_string(),
            SheetError::Busy => {
                "Máy chủ đang bận đọc các tệp khác; hãy thử lại sau ít phút (hoặc lưu tệp dưới dạng .xlsx).".to_string()
            }
            SheetError::Exhausted(_) => {
                "Tệp đòi nhiều bộ nhớ hoặc thời gian hơn mức một bảng tính được phép, nên đã dừng đọc: \
                 hãy mở tệp và lưu lại dưới dạng .xlsx rồi tải lên lại."
                    .to_string()
            }
            SheetError::NotUtf8(line) => {
                format!("Tệp .csv phải lưu theo mã UTF-8 (dòng {line} không phải UTF-8): trong Excel chọn «CSV UTF-8».")
            }
            SheetError::Write(e) => format!("Không tạo được bảng tính ({e})."),
            SheetError::TooManyRows { rows, room } => format!(
                "Danh sách có {rows} dòng, nhiều hơn một trang tính Excel chứa được ({room} dòng): hãy xuất theo từng tổ chức cấp dưới."
            ),
        }
    }
}

/// The kinds of file [`read`] takes, by the name's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Workbook,
    Csv,
}

impl Kind {
    pub fn of(file_name: &str) -> Result<Kind, SheetError> {
        let ext = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        match ext.as_str() {
            "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => Ok(Kind::Workbook),
            "csv" | "txt" => Ok(Kind::Csv),
            _ => Err(SheetError::UnsupportedType(file_name.to_string())),
        }
    }
}

/// Read the first sheet of a file, row by row, calling `row` with each row's cells in order.
/// A CSV file and an `.xlsx` workbook are streamed; the other workbooks (`.xls`, `.xlsb`,
/// `.ods`) are held as calamine reads them, in a child process when the program named one
/// ([`decode_in_child`]).
pub fn read(bytes: &[u8], file_name: &str, mut row: impl FnMut(Vec<SheetCell>)) -> Result<(), SheetError> {
    read_while(bytes, file_name, &mut |_| {}, &mut |r| {
        row(r);
        true
    })
}

/// [`read`], stopping when `row` returns false; `rows` is told how many rows the file holds
/// (blank ones and the headers included) before the first row, where the file says or shows it.
///
/// A panic inside a decoder (a file no one foresaw) is an unreadable file, never the end of
/// the rows: a stream that ended early would look like a whole file, and an import would
/// commit part of it.
fn read_while(
    bytes: &[u8],
    file_name: &str,
    rows: &mut dyn FnMut(usize),
    row: &mut dyn FnMut(Vec<SheetCell>) -> bool,
) -> Result<(), SheetError> {
    match Kind::of(file_name)? {
        Kind::Csv => caught(|| {
            rows(lines_in(bytes));
            read_csv(bytes, row)
        }),
        Kind::Workbook if is_xlsx(file_name) => caught(|| read_xlsx(bytes, rows, row)),
        Kind::Workbook => {
            isolated::read_in_child(bytes, rows, row).unwrap_or_else(|| decode_workbook(bytes, rows, row))
        }
    }
}

/// An older workbook (`.xls`, `.xlsb`, `.ods`) decoded here, whole (`isolated` runs this in a
/// child process).
fn decode_workbook(
    bytes: &[u8],
    rows: &mut dyn FnMut(usize),
    row: &mut dyn FnMut(Vec<SheetCell>) -> bool,
) -> Result<(), SheetError> {
    caught(|| read_workbook(bytes, rows, row))
}

/// A decoder's panic as an unreadable file.
fn caught(read: impl FnOnce() -> Result<(), SheetError>) -> Result<(), SheetError> {
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    read.unwrap_or_else(|_| Err(SheetError::Unreadable("the decoder stopped on this file".into())))
}

/// Excel's limits: 1,048,576 rows, 16,384 columns (A to XFD). A cell beyond them is not in
/// any spreadsheet a program wrote, only in a file made to exhaust the reader.
const EXCEL_ROWS: u32 = 1_048_576;
/// The columns a row is read across (A to AMJ): an import's template has a few dozen; a row
/// is held as a vector as wide as its last cell, and the reader holds [`READ_AHEAD`] rows.
pub const READ_COLUMNS: u32 = 1_024;

/// The lines of a text file: its rows, but for line breaks inside quoted cells (an estimate
/// for a progress bar, never for a count that matters).
fn lines_in(bytes: &[u8]) -> usize {
    let breaks = bytes.iter().filter(|b| **b == b'\n').count();
    breaks + usize::from(bytes.last().is_some_and(|b| *b != b'\n'))
}

/// The rows of a file read on a thread of its own ([`stream`]), handed over a few at a time.
pub struct RowStream {
    rows: tokio::sync::mpsc::Receiver<Result<Vec<SheetCell>, SheetError>>,
    expected: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl RowStream {
    /// The next row; `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<Result<Vec<SheetCell>, SheetError>> {
        self.rows.recv().await
    }

    /// How many rows the file holds (headers and blank rows included), once the reader knows:
    /// what an `.xlsx` sheet declares as its size, the lines of a `.csv`, the rows of another
    /// workbook. For progress only: an `.xlsx` written by a careless program may declare
    /// anything.
    pub fn expected_rows(&self) -> Option<usize> {
        Some(self.expected.load(std::sync::atomic::Ordering::Relaxed)).filter(|n| *n > 0)
    }
}

/// Rows a stream reads ahead of its reader: an import's batch (`IMPORT_BATCH` in
/// `chibo-access`), so that the next batch is decoded on the reader's thread while the last one
/// is written (a province file's 3 s of decoding otherwise waited between the batches; about
/// 10 MB of decoded rows).
const READ_AHEAD: usize = 5_000;

/// Read a file as [`read`] does, on a blocking thread of the runtime, while the caller works on
/// the rows read so far: memory holds the file and a batch of rows ([`READ_AHEAD`]), never the
/// whole sheet decoded. Dropping the stream stops the reading.
pub fn stream(bytes: std::sync::Arc<[u8]>, file_name: &str) -> Result<RowStream, SheetError> {
    Kind::of(file_name)?;
    let (send, rows) = tokio::sync::mpsc::channel(READ_AHEAD);
    let name = file_name.to_string();
    let expected = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let told = expected.clone();
    tokio::task::spawn_blocking(move || {
        // The reader went away before the reading began (a request cancelled while waiting).
        if send.is_closed() {
            return;
        }
        let mut tell = |n: usize| told.store(n, std::sync::atomic::Ordering::Relaxed);
        let read = read_while(&bytes, &name, &mut tell, &mut |r| send.blocking_send(Ok(r)).is_ok());
        if let Err(e) = read {
            // The reader may be gone already; nothing else to tell.
            let _ = send.blocking_send(Err(e));
        }
    });
    Ok(RowStream { rows, expected })
}

fn is_xlsx(file_name: &str) -> bool {
    let ext = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    matches!(ext.as_str(), "xlsx" | "xlsm")
}

fn read_csv(bytes: &[u8], row: &mut dyn FnMut(Vec<SheetCell>) -> bool) -> Result<(), SheetError> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter_of(bytes)).from_reader(bytes);
    // The csv crate skips empty lines; count them so that row numbers are the file's lines.
    let mut emitted = 0u64;
    for record in reader.records() {
        let record = record.map_err(|e| match e.kind() {
            csv::ErrorKind::Utf8 { pos, .. } => SheetError::NotUtf8(pos.as_ref().map_or(0, |p| p.line())),
            _ => SheetError::Unreadable(e.to_string()),
        })?;
        // A record's position is where the reader started looking: before the blank lines.
        let line = record.position().map_or(emitted + 1, |p| {
            let from = usize::try_from(p.byte()).unwrap_or(usize::MAX);
            let blank = bytes.get(from..).unwrap_or_default().iter().take_while(|b| matches!(b, b'\n' | b'\r'));
            p.line() + blank.filter(|b| **b == b'\n').count() as u64
        });
        while emitted + 1 < line {
            if !row(Vec::new()) {
                return Ok(());
            }
            emitted += 1;
        }
        emitted += 1;
        let cells = record
            .iter()
            .map(|s| if s.trim().is_empty() { SheetCell::Empty } else { SheetCell::Text(s.to_string()) })
            .collect();
        if !row(cells) {
            return Ok(());
        }
    }
    Ok(())
}

/// `;` or tab when the first line has more of them than commas (Excel in Vietnamese and
/// European locales writes `;`).
fn delimiter_of(bytes: &[u8]) -> u8 {
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |c: u8| first.iter().filter(|b| **b == c).count();
    [b';', b'\t'].into_iter().filter(|d| count(*d) > count(b',')).max_by_key(|d| count(*d)).unwrap_or(b',')
}

/// An `.xlsx` sheet read cell by cell from its XML (calamine's cells reader), a row handed
/// on when the next one starts: rows missing from the file (blank) are handed on empty, so
/// that row numbers match what the spreadsheet shows.
fn read_xlsx(
    bytes: &[u8],
    rows: &mut dyn FnMut(usize),
    row: &mut dyn FnMut(Vec<SheetCell>) -> bool,
) -> Result<(), SheetError> {
    use calamine::Reader;
    let unreadable = |e: calamine::XlsxError| SheetError::Unreadable(e.to_string());
    package::check(bytes)?;
    let mut book = calamine::Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let first = book.sheet_names().first().cloned().ok_or(SheetError::NoSheet)?;
    let mut cells = book.worksheet_cells_reader(&first).map_err(unreadable)?;
    let declared = cells.dimensions().end.0 as usize;
    if declared > 0 {
        rows(declared + 1);
    }
    let (mut at, mut current): (u32, Vec<SheetCell>) = (0, Vec::new());
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (r, c) = cell.get_position();
        if r >= EXCEL_ROWS || c >= READ_COLUMNS || r < at {
            let why = match (r >= EXCEL_ROWS, c >= READ_COLUMNS) {
                (true, _) => format!("a cell in row {}, beyond Excel's last row", u64::from(r) + 1),
                (_, true) => format!("a cell in column {}, beyond the {READ_COLUMNS} columns read", u64::from(c) + 1),
                _ => format!("row {} after row {}", u64::from(r) + 1, u64::from(at) + 1),
            };
            return Err(SheetError::Unreadable(why));
        }
        while at < r {
            if !row(std::mem::take(&mut current)) {
                return Ok(());
            }
            at += 1;
        }
        let value = cell_of(&calamine::Data::from(cell.get_value().clone()));
        let c = c as usize;
        if current.len() <= c {
            current.resize(c + 1, SheetCell::Empty);
        }
        current[c] = value;
    }
    if !current.is_empty() {
        row(current);
    }
    Ok(())
}

fn read_workbook(
    bytes: &[u8],
    rows: &mut dyn FnMut(usize),
    row: &mut dyn FnMut(Vec<SheetCell>) -> bool,
) -> Result<(), SheetError> {
    use calamine::Reader;
    let mut book =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| SheetError::Unreadable(e.to_string()))?;
    let range =
        book.worksheet_range_at(0).ok_or(SheetError::NoSheet)?.map_err(|e| SheetError::Unreadable(e.to_string()))?;
    if let Some((_, last)) = range.end().filter(|(_, c)| *c >= READ_COLUMNS) {
        return Err(SheetError::Unreadable(format!(
            "a cell in column {}, beyond the {READ_COLUMNS} columns read",
            u64::from(last) + 1
        )));
    }
    // Rows above the range's first used row are absent from it; count them as empty rows so
    // that row numbers match what the spreadsheet shows.
    let first = range.start().map_or(0, |(r, _)| r);
    let lead = range.start().map_or(0, |(_, c)| c as usize);
    rows(range.end().map_or(0, |(r, _)| r as usize + 1));
    for _ in 0..first {
        if !row(Vec::new()) {
            return Ok(());
        }
    }
    for cells in range.rows() {
        let mut out = vec![SheetCell::Empty; lead];
        out.extend(cells.iter().map(cell_of));
        if !row(out) {
            return Ok(());
        }
    }
    Ok(())
}

fn cell_of(d: &calamine::Data) -> SheetCell {
    use calamine::Data;
    match d {
        Data::Empty | Data::Error(_) => SheetCell::Empty,
        Data::String(s) if s.trim().is_empty() => SheetCell::Empty,
        Data::String(s) => SheetCell::Text(s.clone()),
        Data::Int(i) => SheetCell::Number(*i as f64),
        Data::Float(f) => SheetCell::Number(*f),
        Data::Bool(b) => SheetCell::Text(if *b { "Có" } else { "Không" }.to_string()),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            chibo_domain::date::ymd(i32::from(y), m, d).map(SheetCell::Date).unwrap_or(SheetCell::Number(dt.as_f64()))
        }
        Data::DateTime(dt) => SheetCell::Number(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => chibo_domain::date::parse_iso(s.get(..10).unwrap_or(s))
            .map(SheetCell::Date)
            .unwrap_or(SheetCell::Text(s.clone())),
    }
}

#[cfg(test)]
mod tests;
