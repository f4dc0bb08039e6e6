//! Inspection and supervision pages: an organisation's work (`hub.rs`, `/orgs/{id}/inspection`:
//! what waits, its programmes, its cases, the forms that decide a case and write a programme, the
//! programme's `.xlsx`), a case (`case.rs`, `/inspection/cases/{id}`: its steps, conclusion,
//! recommendations, discipline and appeal; `case_forms.rs`: the forms its viewer may use and
//! their posts; `documents.rs`: its documents), the figures with coverage and drill-down and their `.xlsx` (`figures.rs`,
//! `/orgs/{id}/inspection-figures`); the printed conclusion and programme (`print.rs`). A form refused is shown again alone with its errors (the
//! one-form page). The pieces every page draws (a table, a form box, a group of links) are here.

mod case;
mod case_forms;
mod documents;
mod figures;
mod hub;
mod print;
mod programme_form;

pub use case::case;
pub use case_forms::{answer, appeal, ballot, conclude, propose, recommendation, self_review, step};
pub use documents::{attach as attach_document, delete as delete_document, download as download_document};
pub use figures::{figures, figures_xlsx};
pub use hub::{decide, hub, programme};
pub use print::{conclusion as conclusion_print, programme as programme_print, programme_xlsx};
pub use programme_form::{edit as programme_edit, edit_page as programme_edit_page};

use super::form::{Field, FormPage, Kind, place_errors};
use super::page::{Ctx, UiError, form_errors};
use axum::response::{IntoResponse, Response};
use chibo_access::domain::date::format_vn;
use chibo_access::domain::inspection::{CaseKind, Finding};
use chibo_access::{CaseLine, Lang, PageRequest, Problem, Validation};
use uuid::Uuid;

/// The organisations directly under `org`, as choices.
async fn children(state: &crate::State, ctx: &Ctx, org: Uuid) -> Vec<(String, String)> {
    state
        .app
        .org_children(&ctx.viewer, org, false)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|o| (o.id.to_string(), o.input.name))
        .collect()
}

/// The members of the subtree by name (the first 200 in the register's order), as choices.
async fn people(state: &crate::State, ctx: &Ctx, org: Uuid) -> Vec<(String, String)> {
    let req = PageRequest { search: None, status: None, after: None, limit: 200 };
    state
        .app
        .members_page(&ctx.viewer, org, &req)
        .await
        .map(|p| p.items.into_iter().map(|m| (m.id.to_string(), m.full_name)).collect())
        .unwrap_or_default()
}

/// A form drawn inline on a page.
pub struct FormBox {
    pub title: String,
    pub action: String,
    pub submit: String,
    pub fields: Vec<Field>,
}

/// A table of texts, with an optional link on the first cell of each row.
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(Option<String>, Vec<String>)>,
}

impl Table {
    /// The table of `items`: its headers in the page's language, one row an item.
    fn of<T>(
        lang: Lang,
        headers: &[(&str, &str)],
        items: impl IntoIterator<Item = T>,
        row: impl FnMut(T) -> (Option<String>, Vec<String>),
    ) -> Table {
        Table { headers: labels(lang, headers), rows: items.into_iter().map(row).collect() }
    }
}

/// A titled list of lines with links.
pub struct WorkGroup {
    pub title: String,
    pub lines: Vec<(String, String)>,
}

impl WorkGroup {
    /// The group of `items`, each a link and its text.
    fn of<T>(title: String, items: &[T], line: impl Fn(&T) -> (String, String)) -> WorkGroup {
        WorkGroup { title, lines: items.iter().map(line).collect() }
    }
}

/// Texts in the page's language from (Vietnamese, English) pairs.
fn labels(lang: Lang, pairs: &[(&str, &str)]) -> Vec<String> {
    pairs.iter().map(|(vi, en)| lang.pick(vi, en).to_string()).collect()
}

fn pick(lang: Lang, vi: &'static str, en: &'static str) -> String {
    lang.pick(vi, en).to_string()
}

fn choices<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T, Lang) -> &'static str,
    lang: Lang,
) -> Vec<(String, String)> {
    all.iter().map(|x| (code(*x).to_string(), label(*x, lang).to_string())).collect()
}

fn kind_label(code: &str, lang: Lang) -> String {
    CaseKind::parse(code).map(|k| k.label(lang).to_string()).unwrap_or_default()
}

fn result_label(code: &str, lang: Lang) -> String {
    Finding::parse(code).map_or_else(|| pick(lang, "Đang tiến hành", "Open"), |f| f.label(lang).to_string())
}

fn case_href(id: uuid::Uuid) -> String {
    format!("/inspection/cases/{id}")
}

/// The cases as a table linking to each.
fn case_rows(lines: &[CaseLine], lang: Lang) -> Table {
    let headers = [
        ("Số quyết định", "Decision"),
        ("Ngày", "Date"),
        ("Loại", "Kind"),
        ("Đối tượng", "Subject"),
        ("Kết quả", "Result"),
    ];
    Table::of(lang, &headers, lines, |l| {
        let c = &l.case;
        (
            Some(case_href(c.id)),
            vec![
                c.decision_number.clone(),
                format_vn(c.decided_on),
                kind_label(&c.kind, lang),
                l.subject_name.clone(),
                result_label(&c.result, lang),
            ],
        )
    })
}

/// A required date field, today by default.
fn date_field(name: &'static str, vi: &'static str, en: &'static str, lang: Lang, today: time::Date) -> Field {
    Field::date(name, pick(lang, vi, en), &Some(format_vn(today))).required()
}

fn text_area(name: &'static str, label: String) -> Field {
    Field::new(name, label, Kind::TextArea, "")
}

/// A refused form shown again alone with its errors, with the status the problem calls for.
fn refused(
    ctx: &Ctx,
    p: Problem,
    heading: String,
    action: String,
    mut fields: Vec<Field>,
    cancel: String,
) -> Result<Response, UiError> {
    let (errors, status): (Validation, _) = form_errors(ctx, p)?;
    let general = place_errors(&mut fields, &errors, ctx.lang);
    let page = FormPage {
        c: ctx.chrome(heading.clone()),
        t: ctx.t,
        heading,
        intro: String::new(),
        action,
        fields,
        general,
        submit: ctx.t.save,
        cancel,
    };
    Ok((status, page).into_response())
}
