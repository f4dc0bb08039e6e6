//! Spreadsheets in and out (*nhập, xuất Excel*).
//!
//! [`read`] turns an uploaded `.xlsx`, `.xls`, `.ods` or `.csv` file into rows of
//! [`SheetCell`]s (calamine and the csv crate: no hand-written parser); [`write_xlsx`] writes
//! a list as `.xlsx` with a title block (organisation, date, who printed it) above its header
//! row. What the cells mean is the domain's business (`chibo_domain::registry_sheet`).

use chibo_domain::registry_sheet::SheetCell;
use std::io::Cursor;

mod write;
pub use write::{TitleBlock, write_xlsx};

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("unsupported file type: {0}")]
    UnsupportedType(String),
    #[error("the file cannot be read as a spreadsheet: {0}")]
    Unreadable(String),
    #[error("the file holds no sheet")]
    NoSheet,
    #[error("the text file is not UTF-8 (line {0})")]
    NotUtf8(u64),
    #[error("writing the spreadsheet failed: {0}")]
    Write(String),
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
            SheetError::NotUtf8(line) => {
                format!("Tệp .csv phải lưu theo mã UTF-8 (dòng {line} không phải UTF-8): trong Excel chọn «CSV UTF-8».")
            }
            SheetError::Write(e) => format!("Không tạo được bảng tính ({e})."),
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
/// A CSV file is streamed; a workbook's sheet is held as calamine reads it.
pub fn read(bytes: &[u8], file_name: &str, mut row: impl FnMut(Vec<SheetCell>)) -> Result<(), SheetError> {
    match Kind::of(file_name)? {
        Kind::Csv => read_csv(bytes, &mut row),
        Kind::Workbook => read_workbook(bytes, &mut row),
    }
}

fn read_csv(bytes: &[u8], row: &mut impl FnMut(Vec<SheetCell>)) -> Result<(), SheetError> {
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
            row(Vec::new());
            emitted += 1;
        }
        emitted += 1;
        row(record
            .iter()
            .map(|s| if s.trim().is_empty() { SheetCell::Empty } else { SheetCell::Text(s.to_string()) })
            .collect());
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

fn read_workbook(bytes: &[u8], row: &mut impl FnMut(Vec<SheetCell>)) -> Result<(), SheetError> {
    use calamine::Reader;
    let mut book =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| SheetError::Unreadable(e.to_string()))?;
    let range =
        book.worksheet_range_at(0).ok_or(SheetError::NoSheet)?.map_err(|e| SheetError::Unreadable(e.to_string()))?;
    // Rows above the range's first used row are absent from it; count them as empty rows so
    // that row numbers match what the spreadsheet shows.
    let first = range.start().map_or(0, |(r, _)| r);
    let lead = range.start().map_or(0, |(_, c)| c as usize);
    for _ in 0..first {
        row(Vec::new());
    }
    for cells in range.rows() {
        let mut out = vec![SheetCell::Empty; lead];
        out.extend(cells.iter().map(cell_of));
        row(out);
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
