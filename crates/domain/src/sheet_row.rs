//! What every import template shares (the member registry [`crate::registry_sheet`], the
//! organisations [`crate::org_sheet`], the admission candidates [`crate::candidate_sheet`]):
//! a spreadsheet's cells, the matching of a header row against a template's columns, dates as
//! text or day numbers, and the reading of one data row by the template's columns — as text,
//! dates, gender, ethnicity, yes/no or counts, each unreadable or missing cell an error naming
//! its column's header.

use crate::collation::fold;
use crate::error::FieldError;
use crate::member::Gender;
use crate::{Lang, date, ethnicity};
use time::Date;

/// One cell as a spreadsheet holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum SheetCell {
    Empty,
    Text(String),
    Number(f64),
    /// A cell typed as a date by the spreadsheet.
    Date(Date),
}

impl SheetCell {
    /// The cell as text, trimmed ("" for an empty cell; whole numbers without ".0").
    pub fn text(&self) -> String {
        match self {
            SheetCell::Empty => String::new(),
            SheetCell::Text(s) => s.trim().to_string(),
            SheetCell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            SheetCell::Number(n) => n.to_string(),
            SheetCell::Date(d) => date::format_vn(*d),
        }
    }
}

/// Match a header row against a template's columns (by the header in either language or an
/// alias, folded): (index in the row, column) for each matched header, the headers that match
/// none, and an error for each column given twice. Shared by every template
/// ([`crate::org_sheet`] too).
pub fn match_headers<C: Copy + PartialEq>(
    headers: &[SheetCell],
    all: impl Iterator<Item = C> + Clone,
    header: fn(C, Lang) -> &'static str,
    aliases: fn(C) -> &'static [&'static str],
    field: fn(C) -> &'static str,
) -> (Vec<(usize, C)>, Vec<String>, Vec<FieldError>) {
    let (mut columns, mut ignored, mut errors) = (Vec::<(usize, C)>::new(), Vec::new(), Vec::new());
    for (i, cell) in headers.iter().enumerate() {
        let text = cell.text();
        if text.is_empty() {
            continue;
        }
        let folded = fold_header(&text);
        // "STT"/"TT": the row's number in the list; "Lỗi": the error column of a checked file.
        if matches!(folded.as_str(), "stt" | "tt" | "so thu tu" | "loi" | "errors") {
            continue;
        }
        let found = all.clone().find(|c| {
            fold_header(header(*c, Lang::Vi)) == folded
                || fold_header(header(*c, Lang::En)) == folded
                || aliases(*c).contains(&folded.as_str())
        });
        match found {
            Some(c) if columns.iter().any(|(_, x)| *x == c) => errors.push(FieldError::new(
                field(c),
                "column_twice",
                format!("Cột «{}» có hai lần trong tệp.", header(c, Lang::Vi)),
                format!("The column «{}» appears twice in the file.", header(c, Lang::En)),
            )),
            Some(c) => columns.push((i, c)),
            None => ignored.push(text),
        }
    }
    (columns, ignored, errors)
}

/// A header folded for matching: no diacritics, lower case, punctuation as spaces.
pub fn fold_header(h: &str) -> String {
    let spaced: String = h.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    fold(&spaced).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A date cell: a date-typed cell, a spreadsheet serial number (1900 date system), or text in
/// the forms [`date::parse_flexible`] accepts.
pub fn cell_date(cell: &SheetCell) -> Option<Date> {
    match cell {
        SheetCell::Date(d) => Some(*d),
        SheetCell::Number(n) => from_serial(*n),
        SheetCell::Text(s) => match s.trim().parse::<f64>() {
            Ok(n) if s.trim().len() == 5 => from_serial(n),
            _ => date::parse_flexible(s),
        },
        SheetCell::Empty => None,
    }
}

/// A spreadsheet's day number (1900 date system, as Excel and LibreOffice write it) as a date:
/// day 1 is 1 January 1900, and day 60 is the 29 February 1900 that never was, so from day 61
/// on the count starts at 30 December 1899. Only whole days between 1900 and 2100 are dates.
pub fn from_serial(n: f64) -> Option<Date> {
    if !(1.0..=73_050.0).contains(&n) || n.fract() != 0.0 || n == 60.0 {
        return None;
    }
    let epoch = if n > 60.0 { date::ymd(1899, 12, 30)? } else { date::ymd(1899, 12, 31)? };
    epoch.checked_add(time::Duration::days(n as i64))
}

/// Split "Nguyễn Thị Minh Khai" into family "Nguyễn", middle "Thị Minh", given "Khai"; one
/// word is a given name only.
pub fn split_full_name(full: &str) -> (String, String, String) {
    let words: Vec<&str> = full.split_whitespace().collect();
    match words.as_slice() {
        [] => (String::new(), String::new(), String::new()),
        [given] => (String::new(), String::new(), given.to_string()),
        [family, middle @ .., given] => (family.to_string(), middle.join(" "), given.to_string()),
    }
}

/// A column of a template: its header and the record's field it fills.
pub trait SheetColumn: Copy + PartialEq {
    /// The header the template writes.
    fn header(self, lang: Lang) -> &'static str;
    /// The record's field, as the API and the entry form name it.
    fn field(self) -> &'static str;
}

/// "Thiếu «Ngày sinh»."
pub fn required<C: SheetColumn>(c: C) -> FieldError {
    FieldError::new(
        c.field(),
        "required",
        format!("Thiếu «{}».", c.header(Lang::Vi)),
        format!("«{}» is missing.", c.header(Lang::En)),
    )
}

/// A cell that cannot be read as its column expects.
pub fn bad_value<C: SheetColumn>(c: C, value: &str, expected: &str) -> FieldError {
    FieldError::new(
        c.field(),
        "bad_value",
        format!("«{}»: không đọc được «{value}» (nhập {expected}).", c.header(Lang::Vi)),
        format!("«{}»: cannot read «{value}» (expected {expected}).", c.header(Lang::En)),
    )
}

/// A required column the header row lacks.
pub fn missing_column<C: SheetColumn>(c: C) -> FieldError {
    FieldError::new(
        c.field(),
        "column_missing",
        format!("Tệp thiếu cột «{}».", c.header(Lang::Vi)),
        format!("The file lacks the column «{}».", c.header(Lang::En)),
    )
}

/// Whether a matched header row has a column.
pub fn has<C: PartialEq>(columns: &[(usize, C)], c: C) -> bool {
    columns.iter().any(|(_, x)| *x == c)
}

/// Whether a row holds nothing in the matched columns (trailing blank lines of a sheet).
pub fn is_blank<C>(columns: &[(usize, C)], row: &[SheetCell]) -> bool {
    columns.iter().all(|(i, _)| row.get(*i).is_none_or(|c| c.text().is_empty()))
}

/// The person's name in one column ("Họ và tên") or three ("Họ", "Tên đệm", "Tên"): an error
/// when the file has both ways, or neither.
pub fn name_columns_error<C: SheetColumn>(columns: &[(usize, C)], full: C, family: C, given: C) -> Option<FieldError> {
    let split = has(columns, family) && has(columns, given);
    if has(columns, full) && (split || has(columns, family) || has(columns, given)) {
        Some(FieldError::new(
            full.field(),
            "name_both_ways",
            "Tệp có cả cột «Họ và tên» và các cột «Họ», «Tên»: chỉ giữ một cách.",
            "The file has both «Full name» and «Family name»/«Given name» columns: keep one.",
        ))
    } else if !has(columns, full) && !split {
        Some(missing_column(full))
    } else {
        None
    }
}

/// One data row with the template's columns, and the errors of its cells as they are read.
pub struct RowCells<'a, C> {
    columns: &'a [(usize, C)],
    row: &'a [SheetCell],
    pub errors: Vec<FieldError>,
}

impl<'a, C: SheetColumn> RowCells<'a, C> {
    pub fn new(columns: &'a [(usize, C)], row: &'a [SheetCell]) -> Self {
        RowCells { columns, row, errors: Vec::new() }
    }

    pub fn has(&self, c: C) -> bool {
        has(self.columns, c)
    }

    pub fn cell(&self, c: C) -> Option<&'a SheetCell> {
        self.columns.iter().find(|(_, x)| *x == c).and_then(|(i, _)| self.row.get(*i))
    }

    /// The cell as trimmed text ("" when absent).
    pub fn text(&self, c: C) -> String {
        self.cell(c).map(SheetCell::text).unwrap_or_default()
    }

    /// The cell's text, none when blank.
    pub fn optional(&self, c: C) -> Option<String> {
        Some(self.text(c)).filter(|s| !s.is_empty())
    }

    /// A missing value is an error.
    pub fn require(&mut self, c: C) {
        self.errors.push(required(c));
    }

    /// A date (blank: none; unreadable: an error).
    pub fn date(&mut self, c: C) -> Option<Date> {
        let cell = self.cell(c)?;
        let read = cell_date(cell);
        if read.is_none() && !cell.text().is_empty() {
            self.errors.push(bad_value(c, &cell.text(), "dd/mm/yyyy"));
        }
        read
    }

    /// A date that must be there.
    pub fn required_date(&mut self, c: C) -> Option<Date> {
        let read = self.date(c);
        if read.is_none() && self.text(c).is_empty() {
            self.require(c);
        }
        read
    }

    /// Nam or Nữ (required).
    pub fn gender(&mut self, c: C) -> Option<Gender> {
        match fold_header(&self.text(c)).as_str() {
            "nam" | "male" | "m" => Some(Gender::Male),
            "nu" | "female" | "f" => Some(Gender::Female),
            "" => {
                self.require(c);
                None
            }
            other => {
                self.errors.push(bad_value(c, other, "Nam, Nữ"));
                None
            }
        }
    }

    /// One of the 54 groups by name or code; blank is Kinh (code 1).
    pub fn ethnicity(&mut self, c: C) -> i32 {
        let s = self.text(c);
        if s.is_empty() {
            return 1;
        }
        match ethnicity::by_name(&s).or_else(|| s.parse().ok().and_then(ethnicity::by_code)) {
            Some(e) => e.code,
            None => {
                self.errors.push(FieldError::new(
                    c.field(),
                    "unknown_ethnicity",
                    format!("«{s}» không có trong danh mục 54 dân tộc."),
                    format!("«{s}» is not one of the 54 ethnic groups."),
                ));
                1
            }
        }
    }

    /// Có/Không (blank: no).
    pub fn yes_no(&mut self, c: C) -> bool {
        match fold_header(&self.text(c)).as_str() {
            "" | "khong" | "no" | "0" => false,
            "co" | "yes" | "x" | "1" => true,
            other => {
                self.errors.push(bad_value(c, other, "Có, Không"));
                false
            }
        }
    }

    /// A whole number (blank: none).
    pub fn count(&mut self, c: C) -> Option<u32> {
        let s = self.text(c);
        if s.is_empty() {
            return None;
        }
        let read = s.parse::<u32>().ok();
        if read.is_none() {
            self.errors.push(bad_value(c, &s, "0, 1, 2…"));
        }
        read
    }

    /// The name from one column or three: (family, middle, given).
    pub fn name(&self, full: C, family: C, middle: C, given: C) -> (String, String, String) {
        if self.has(full) {
            split_full_name(&self.text(full))
        } else {
            (self.text(family), self.text(middle), self.text(given))
        }
    }
}
