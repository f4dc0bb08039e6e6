//! Any list of a subtree as a spreadsheet (*xuất Excel*): the front-end gives the columns and
//! rows it shows on the page (so the page and the file have the same columns); this checks the
//! right to list the subtree, logs the read like every export, and writes the `.xlsx` under the
//! one title block every chibo spreadsheet carries.

use crate::load::load_org;
use crate::{Chibo, Outcome, Problem, Viewer};
use chibo_domain::date::format_vn;
use chibo_sheets::TitleBlock;
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

pub(crate) fn sheet_error(e: chibo_sheets::SheetError) -> Problem {
    Problem::Unavailable(e.to_string())
}

impl Chibo {
    /// `sheet` of the subtree of `org_id` as `.xlsx`. Needs the right to list the subtree's
    /// people; the export is logged.
    pub async fn list_xlsx(&self, v: &Viewer, org_id: Uuid, sheet: ListSheet) -> Outcome<Vec<u8>> {
        let org = {
            let mut c = self.pools.read().await?;
            load_org(&mut c, org_id).await?
        };
        v.check_list(&org.path)?;
        self.log_read(v, sheet.what, "org", org.id, &org.path).await?;
        let title = TitleBlock {
            note: sheet.note,
            ..title_block(v, sheet.title, org.input.name.clone(), &sheet.detail, self.today())
        };
        let headers: Vec<&str> = sheet.headers.iter().map(String::as_str).collect();
        chibo_sheets::write_xlsx(&title, &headers, sheet.rows).map_err(sheet_error)
    }
}
