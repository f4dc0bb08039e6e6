//! Writing a list as `.xlsx`: a title block, the header row, the rows, in constant memory (each
//! row goes to a temporary file as it is written, so the province's registry does not sit in
//! memory twice).

use crate::SheetError;
use rust_xlsxwriter::{Format, Workbook};

/// The lines above a list's header row: what it is, of which organisation, as of when, and
/// who printed it.
#[derive(Debug, Clone, Default)]
pub struct TitleBlock {
    /// "DANH SÁCH ĐẢNG VIÊN".
    pub title: String,
    /// The organisation's name.
    pub organisation: String,
    /// "Ngày 04/12/2026 · Người in: Cán bộ tổ chức".
    pub printed: String,
    /// What the reader must know about the list (it is cut, or left empty); a line of its own
    /// when not empty.
    pub note: String,
}

impl TitleBlock {
    /// How many rows the block takes, the blank line after it included.
    pub fn rows(&self) -> u32 {
        if self.note.is_empty() { 4 } else { 5 }
    }
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> SheetError {
    SheetError::Write(e.to_string())
}

/// A list being written as `.xlsx` in constant memory: the title block and the header row
/// (bold, frozen) first, then each row as text as it comes (each goes to the writer's
/// temporary file, not to memory), then the workbook to memory ([`SheetWriter::finish`]) or to
/// a file ([`SheetWriter::finish_into`]), so a caller reading its rows a page at a time never
/// holds the list.
/// The rows of a sheet, in Excel and in rust_xlsxwriter.
pub const SHEET_ROWS: u32 = 1_048_576;

pub struct SheetWriter {
    book: Workbook,
    /// The row the next [`SheetWriter::push`] writes.
    next: u32,
}

impl SheetWriter {
    pub fn new(title: &TitleBlock, headers: &[&str]) -> Result<SheetWriter, SheetError> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet_with_constant_memory().map_err(xlsx_error)?;
        let bold = Format::new().set_bold();
        let heading = Format::new().set_bold().set_font_size(14);
        sheet.write_string_with_format(0, 0, &title.title, &heading).map_err(xlsx_error)?;
        sheet.write_string(1, 0, &title.organisation).map_err(xlsx_error)?;
        sheet.write_string(2, 0, &title.printed).map_err(xlsx_error)?;
        if !title.note.is_empty() {
            sheet.write_string_with_format(3, 0, &title.note, &bold).map_err(xlsx_error)?;
        }
        let header_row = title.rows();
        for (c, h) in headers.iter().enumerate() {
            let col = u16::try_from(c).map_err(|_| SheetError::Write("too many columns".into()))?;
            sheet.write_string_with_format(header_row, col, *h, &bold).map_err(xlsx_error)?;
            sheet.set_column_width(col, (h.chars().count() as f64 + 4.0).max(12.0)).map_err(xlsx_error)?;
        }
        sheet.set_freeze_panes(header_row + 1, 0).map_err(xlsx_error)?;
        Ok(SheetWriter { book, next: header_row + 1 })
    }

    /// How many more rows the sheet takes (Excel's 1,048,576 less the title block and header).
    pub fn room(&self) -> usize {
        SHEET_ROWS.saturating_sub(self.next) as usize
    }

    /// Refused before any is written when `rows` will not fit ([`SheetError::TooManyRows`]):
    /// a list's size known up front, so that the user is told at once, not after minutes.
    pub fn check_room(&self, rows: usize) -> Result<(), SheetError> {
        if rows > self.room() {
            return Err(SheetError::TooManyRows { rows, room: self.room() });
        }
        Ok(())
    }

    /// Write the next row (empty values leave their cells empty).
    pub fn push<S: AsRef<str>>(&mut self, row: &[S]) -> Result<(), SheetError> {
        if self.next >= SHEET_ROWS {
            return Err(SheetError::TooManyRows { rows: self.room() + 1, room: self.room() });
        }
        let sheet = self.book.worksheet_from_index(0).map_err(xlsx_error)?;
        for (c, value) in row.iter().enumerate() {
            let value = value.as_ref();
            if !value.is_empty() {
                let col = u16::try_from(c).map_err(|_| SheetError::Write("too many columns".into()))?;
                sheet.write_string(self.next, col, value).map_err(xlsx_error)?;
            }
        }
        self.next = self.next.checked_add(1).ok_or_else(|| SheetError::Write("too many rows".into()))?;
        Ok(())
    }

    /// The workbook in memory.
    pub fn finish(mut self) -> Result<Vec<u8>, SheetError> {
        self.book.save_to_buffer().map_err(xlsx_error)
    }

    /// The workbook written into `file` (a temporary file the caller then sends).
    pub fn finish_into<W: std::io::Write + Send>(mut self, file: W) -> Result<(), SheetError> {
        self.book.save_to_writer(file).map_err(xlsx_error)
    }
}

/// Write the list: title block, header row, then every row ([`SheetWriter`]).
pub fn write_xlsx<I>(title: &TitleBlock, headers: &[&str], rows: I) -> Result<Vec<u8>, SheetError>
where
    I: IntoIterator<Item = Vec<String>>,
{
    let mut out = SheetWriter::new(title, headers)?;
    for row in rows {
        out.push(&row)?;
    }
    out.finish()
}
