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

/// Write the list: title block, header row (bold, frozen), then every row as text.
pub fn write_xlsx<I>(title: &TitleBlock, headers: &[&str], rows: I) -> Result<Vec<u8>, SheetError>
where
    I: IntoIterator<Item = Vec<String>>,
{
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
    for (r, row) in rows.into_iter().enumerate() {
        let r = header_row + 1 + u32::try_from(r).map_err(|_| SheetError::Write("too many rows".into()))?;
        for (c, value) in row.iter().enumerate() {
            if !value.is_empty() {
                sheet.write_string(r, c as u16, value).map_err(xlsx_error)?;
            }
        }
    }
    book.save_to_buffer().map_err(xlsx_error)
}
