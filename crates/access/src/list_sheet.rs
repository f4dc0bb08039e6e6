//! Any list of a subtree as a spreadsheet (*xuất Excel*): the front-end gives the columns and
//! rows it shows on the page (so the page and the file have the same columns); this checks the
//! right to list the subtree, logs the read like every export, and writes the `.xlsx` under the
//! one title block every chibo spreadsheet carries.

use crate::load::load_org;
use crate::{Chibo, Outcome, Problem, Viewer};
use chibo_domain::date::format_vn;
use chibo_sheets::{SheetWriter, TitleBlock};
use chibo_store::orgs::Org;
use time::Date;
use uuid::Uuid;

/// A list as shown on its page.
pub struct ListSheet {
    /// What the read log records (`probation.export`, `candidates.export`, …).
    pub what: &'static str,
    /// The title, Vietnamese and English ("DANH SÁCH …").
    pub title: (&'static str, &'static str),
    /// What narrows the list (a period, a date), shown after the date; may be empty.
    pub detail: String,
    /// What the reader must know about the rows (the list is cut, or could not be gathered):
    /// a line of the title block of its own; may be empty.
    pub note: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The title block: the title, the organisation, then the working date, `detail` and who printed.
pub(crate) fn title_block(
    v: &Viewer,
    title: (&str, &str),
    organisation: String,
    detail: &str,
    today: Date,
) -> TitleBlock {
    let lang = v.lang();
    let detail = if detail.is_empty() { String::new() } else { format!("{detail} · ") };
    TitleBlock {
        title: lang.pick(title.0, title.1).to_string(),
        organisation,
        printed: format!(
            "{} {} · {detail}{}: {}",
            lang.pick("Ngày", "Date"),
            format_vn(today),
            lang.pick("Người in", "Printed by"),
            v.display_name()
        ),
        note: String::new(),
    }
}

/// A list too long for one sheet is the request's fault (`org_id`: export the organisations
/// below one at a time); anything else the writer's.
pub(crate) fn sheet_error(e: chibo_sheets::SheetError) -> Problem {
    match e {
        chibo_sheets::SheetError::TooManyRows { rows, room } => Problem::field(
            "org_id",
            "too_many_rows",
            e.message_vi(),
            format!(
                "The list has {rows} rows, more than one Excel sheet holds ({room}): export each organisation below it."
            ),
        ),
        e => Problem::Unavailable(e.to_string()),
    }
}

impl Chibo {
    /// `sheet` of the subtree of `org_id` as `.xlsx`. Needs the right to list the subtree's
    /// people; the export is logged.
    pub async fn list_xlsx(&self, v: &Viewer, org_id: Uuid, sheet: ListSheet) -> Outcome<Vec<u8>> {
        self.list_sheet(v, org_id, sheet).await?.finish()
    }

    /// [`Chibo::list_xlsx`] begun: the right checked, the export logged, the title block and
    /// `sheet`'s rows written; a list too long to gather then gets its rows a page at a time
    /// ([`ListWriter::push`]), each to the sheet's temporary file.
    pub async fn list_sheet(&self, v: &Viewer, org_id: Uuid, sheet: ListSheet) -> Outcome<ListWriter> {
        let org = {
            let mut c = self.pools.read().await?;
            load_org(&mut c, org_id).await?
        };
        let what = sheet.what;
        let out = self.begin_sheet(v, &org, sheet)?;
        self.log_read(v, what, "org", org.id, &org.path).await?;
        Ok(out)
    }

    /// [`Chibo::list_sheet`] of an organisation already read, the read not yet logged: for a
    /// caller that holds a connection while it writes the rows, and logs once it has let it go
    /// (the log may wait for a connection of the same pool).
    pub(crate) fn begin_sheet(&self, v: &Viewer, org: &Org, sheet: ListSheet) -> Outcome<ListWriter> {
        v.check_list(&org.path)?;
        let title = TitleBlock {
            note: sheet.note,
            ..title_block(v, sheet.title, org.input.name.clone(), &sheet.detail, self.today())
        };
        let headers: Vec<&str> = sheet.headers.iter().map(String::as_str).collect();
        let mut out = ListWriter(SheetWriter::new(&title, &headers).map_err(sheet_error)?);
        out.check_room(sheet.rows.len())?;
        for row in &sheet.rows {
            out.push(row)?;
        }
        Ok(out)
    }
}

/// A list being written ([`Chibo::list_sheet`]): rows in, then the workbook out.
pub struct ListWriter(SheetWriter);

impl ListWriter {
    /// Refused at once when a list of `rows` will not fit in the sheet.
    pub fn check_room(&self, rows: usize) -> Outcome<()> {
        self.0.check_room(rows).map_err(sheet_error)
    }

    pub fn push<S: AsRef<str>>(&mut self, row: &[S]) -> Outcome<()> {
        self.0.push(row).map_err(sheet_error)
    }

    /// The workbook in memory.
    pub fn finish(self) -> Outcome<Vec<u8>> {
        self.0.finish().map_err(sheet_error)
    }

    /// The workbook written into `out` (a file), handed back.
    pub async fn finish_into<W: std::io::Write + Send + 'static>(self, out: W) -> Outcome<W> {
        finish_into(self.0, out).await
    }
}

/// The sheet's workbook zipped into `out`, handed back: seconds for a large sheet, so on a
/// blocking thread, off the request's.
pub(crate) async fn finish_into<W: std::io::Write + Send + 'static>(sheet: SheetWriter, mut out: W) -> Outcome<W> {
    let written = tokio::task::spawn_blocking(move || sheet.finish_into(&mut out).map(|()| out)).await;
    written.map_err(|e| Problem::Unavailable(e.to_string()))?.map_err(sheet_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list longer than a sheet is the request's fault, named (`org_id`), in both languages;
    /// a writer's failure is the service's.
    #[test]
    fn a_list_too_long_for_a_sheet_is_refused_naming_the_organisation() {
        let e = sheet_error(chibo_sheets::SheetError::TooManyRows { rows: 5_532_131, room: 1_048_571 });
        let Problem::Invalid(v) = e else { panic!("{e:?}") };
        let f = &v.errors[0];
        assert_eq!((f.field.as_str(), f.code), ("org_id", "too_many_rows"));
        assert!(f.message_vi.contains("5532131") && f.message_vi.contains("1048571"), "{}", f.message_vi);
        let e = sheet_error(chibo_sheets::SheetError::Write("disk full".into()));
        assert!(matches!(e, Problem::Unavailable(_)), "{e:?}");
    }
}
