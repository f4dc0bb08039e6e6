//! `/import/progress/{token}`: how far a watched import has come, for the import page's
//! progress bar (`crate::progress`). JSON: the stage, the rows done, the rows the file says it
//! holds, and the sentence to show, in the page's language.

use super::page::Ctx;
use super::text::Texts;
use crate::State;
use axum::Json;
use axum::extract::{Path, State as S};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chibo_access::{ImportProgress, ImportStage, Lang};
use serde::Serialize;

#[derive(Serialize, Debug, PartialEq)]
pub struct ProgressView {
    stage: &'static str,
    rows: usize,
    expected: Option<usize>,
    text: String,
}

/// `n` with its thousands grouped as the language writes them (12.345 / 12,345).
pub fn grouped(n: usize, lang: Lang) -> String {
    let sep = if lang == Lang::Vi { '.' } else { ',' };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(d);
    }
    out
}

pub fn view(p: &ImportProgress, t: &Texts, lang: Lang) -> ProgressView {
    let (rows, expected) = (p.rows(), p.expected());
    let (stage, text) = text_of(p.stage(), rows, expected, t, lang);
    ProgressView { stage, rows, expected, text }
}

/// The stage's name for the page's script, and the sentence to show.
fn text_of(stage: ImportStage, rows: usize, expected: Option<usize>, t: &Texts, lang: Lang) -> (&'static str, String) {
    let counted = |label: &str| match expected {
        Some(all) => format!("{label}: {} / {} {}", grouped(rows, lang), grouped(all, lang), t.import_progress_rows),
        None => format!("{label}: {} {}", grouped(rows, lang), t.import_progress_rows),
    };
    match stage {
        ImportStage::Opening => ("opening", t.import_opening.to_string()),
        ImportStage::Checking => ("checking", counted(t.import_progress_checked)),
        ImportStage::Writing => ("writing", counted(t.import_progress_written)),
        ImportStage::Finishing => ("finishing", t.import_finishing.to_string()),
        ImportStage::Done => ("done", t.import_progress_done.to_string()),
    }
}

/// The progress of the caller's own watched import; 404 for any other token.
pub async fn progress(S(state): S<State>, ctx: Ctx, Path(token): Path<String>) -> Response {
    match state.progress.get(&token, ctx.viewer.user_id()) {
        Some(p) => Json(view(&p, ctx.t, ctx.lang)).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::text::texts;

    #[test]
    fn numbers_are_grouped_the_way_each_language_writes_them() {
        assert_eq!(grouped(0, Lang::Vi), "0");
        assert_eq!(grouped(999, Lang::Vi), "999");
        assert_eq!(grouped(1_000, Lang::Vi), "1.000");
        assert_eq!(grouped(200_000, Lang::Vi), "200.000");
        assert_eq!(grouped(5_632_131, Lang::Vi), "5.632.131");
        assert_eq!(grouped(12_345, Lang::En), "12,345");
    }

    #[test]
    fn the_page_is_told_the_stage_and_the_rows_in_its_language() {
        let vi = |stage, rows, expected| text_of(stage, rows, expected, texts(Lang::Vi), Lang::Vi);
        assert_eq!(vi(ImportStage::Opening, 0, None), ("opening", "Đang mở tệp…".to_string()));
        assert_eq!(vi(ImportStage::Checking, 5_000, Some(200_000)).1, "Đã kiểm tra: 5.000 / 200.000 dòng");
        assert_eq!(vi(ImportStage::Checking, 5_000, None).1, "Đã kiểm tra: 5.000 dòng");
        assert_eq!(vi(ImportStage::Writing, 15_000, Some(200_000)).1, "Đã kiểm tra và ghi: 15.000 / 200.000 dòng");
        assert_eq!(vi(ImportStage::Finishing, 200_000, Some(200_000)).0, "finishing");
        let en = text_of(ImportStage::Writing, 1_234, Some(5_678), texts(Lang::En), Lang::En);
        assert_eq!(en.1, "Checked and written: 1,234 / 5,678 rows");
    }
}
