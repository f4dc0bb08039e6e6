//! The review's printable lists and their spreadsheets, with the same columns: the cell's list
//! of proposed levels (*danh sách đề xuất xếp loại của chi bộ*) and the summary table of the
//! results by level of the tree (*bảng tổng hợp kết quả xếp loại*).

use crate::list_sheet::{sheet_error, title_block};
use crate::review_lists::{MemberReviewLine, ReviewFigures};
use crate::{Chibo, Outcome, Viewer};
use chibo_domain::Lang;
use chibo_domain::date::format_vn;
use chibo_domain::review::{Level, Subject, Tally};
use std::collections::BTreeMap;
use uuid::Uuid;

fn level_text(code: &Option<String>, lang: Lang) -> String {
    code.as_deref().and_then(Level::parse).map(|l| l.label(lang).to_string()).unwrap_or_default()
}

/// The columns of the cell's list of proposed levels.
pub fn proposal_headers(lang: Lang) -> [&'static str; 10] {
    [
        lang.pick("STT", "No."),
        lang.pick("Họ và tên", "Full name"),
        lang.pick("Chi bộ", "Cell"),
        lang.pick("Điểm tự chấm", "Self score"),
        lang.pick("Tự xếp loại", "Self-assessed level"),
        lang.pick("Dự sinh hoạt (có mặt/phải dự)", "Meetings (present/expected)"),
        lang.pick("Vắng không lý do", "Unexcused absences"),
        lang.pick("Kỷ luật trong kỳ", "Disciplined in the period"),
        lang.pick("Chi bộ đề xuất (tán thành/không/không biểu quyết)", "Cell's proposal (for/against/abstain)"),
        lang.pick("Xếp loại được quyết định", "Level decided"),
    ]
}

/// One member's row of the cell's list.
pub fn proposal_row(i: usize, m: &MemberReviewLine, lang: Lang) -> Vec<String> {
    let l = &m.line;
    let proposal = match (&l.cell_level, m.not_rated) {
        (_, Some(n)) => n.label(lang).to_string(),
        (Some(_), None) => format!(
            "{} ({}/{}/{})",
            level_text(&l.cell_level, lang),
            l.votes_for.unwrap_or(0),
            l.votes_against.unwrap_or(0),
            l.votes_abstain.unwrap_or(0)
        ),
        (None, None) => String::new(),
    };
    vec![
        (i + 1).to_string(),
        m.full_name.clone(),
        m.cell_name.clone(),
        l.score.map(|s| s.to_string()).unwrap_or_default(),
        level_text(&l.self_level, lang),
        format!("{}/{}", m.facts.meetings_attended, m.facts.meetings_expected),
        m.facts.unexcused.to_string(),
        m.facts.disciplined.iter().map(|d| format_vn(d.on)).collect::<Vec<_>>().join(", "),
        proposal,
        level_text(&l.level, lang),
    ]
}

/// The columns of the summary table.
pub fn summary_headers(lang: Lang) -> [&'static str; 10] {
    [
        lang.pick("Tổ chức", "Organisation"),
        lang.pick("Đối tượng", "Who"),
        lang.pick("Tổng số", "Total"),
        lang.pick("Chưa xếp loại", "Not rated"),
        lang.pick("Chưa có quyết định", "Awaiting decision"),
        "HTXSNV",
        "HTTNV",
        "HTNV",
        "KHTNV",
        lang.pick("Tỷ lệ hoàn thành nhiệm vụ trở lên (%)", "Completed or better (%)"),
    ]
}

fn summary_row(name: &str, s: Subject, t: &Tally, lang: Lang) -> Vec<String> {
    let share = t.completed_or_better();
    vec![
        name.to_string(),
        s.label(lang).to_string(),
        t.total().to_string(),
        t.not_rated.to_string(),
        t.pending.to_string(),
        t.excellent.to_string(),
        t.good.to_string(),
        t.completed.to_string(),
        t.not_completed.to_string(),
        share.percent().map(|p| format!("{p:.1} ({}/{})", share.num, share.den)).unwrap_or_default(),
    ]
}

/// The rows of one organisation in the summary table, one per subject.
pub fn summary_rows_of(name: &str, t: &BTreeMap<Subject, Tally>, lang: Lang) -> Vec<Vec<String>> {
    t.iter().map(|(s, v)| summary_row(name, *s, v, lang)).collect()
}

/// The rows of the summary table: the organisation's own, then each organisation under it.
pub fn summary_rows(f: &ReviewFigures, lang: Lang) -> Vec<Vec<String>> {
    let mut out = summary_rows_of(&f.org.input.name, &f.tallies, lang);
    for (o, t) in &f.children {
        out.extend(summary_rows_of(&o.input.name, t, lang));
    }
    out
}

impl Chibo {
    /// The cell's list of proposed levels as `.xlsx` (the columns of the printed list).
    pub async fn cell_proposals_xlsx(&self, v: &Viewer, round_id: Uuid, cell_id: Uuid) -> Outcome<Vec<u8>> {
        let view = self.review_round(v, round_id, Some(cell_id)).await?;
        let lang = v.lang();
        let t = title_block(
            v,
            ("DANH SÁCH ĐỀ XUẤT XẾP LOẠI ĐẢNG VIÊN", "PROPOSED LEVELS OF MEMBERS"),
            view.at.input.name.clone(),
            &crate::review::period_label(&view.round.period),
            self.today(),
        );
        let rows = view.members.iter().enumerate().map(|(i, m)| proposal_row(i, m, lang));
        chibo_sheets::write_xlsx(&t, &proposal_headers(lang), rows).map_err(sheet_error)
    }

    /// The summary table of a subtree's results for a period as `.xlsx`.
    pub async fn review_figures_xlsx(&self, v: &Viewer, org_id: Uuid, period: &str) -> Outcome<Vec<u8>> {
        let f = self.review_figures(v, org_id, period).await?;
        let lang = v.lang();
        let t = title_block(
            v,
            ("BẢNG TỔNG HỢP KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG", "SUMMARY OF REVIEW RESULTS"),
            f.org.input.name.clone(),
            &f.period_label,
            self.today(),
        );
        chibo_sheets::write_xlsx(&t, &summary_headers(lang), summary_rows(&f, lang)).map_err(sheet_error)
    }
}
