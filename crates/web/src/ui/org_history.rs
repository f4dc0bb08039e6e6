//! An organisation's history on its page: its restructurings and its disciplines, dated, each
//! with its decision; a discipline voided on appeal stays, marked, beside the event voiding it.

use chibo_access::domain::date::format_vn;
use chibo_access::domain::inspection::Penalty;
use chibo_access::{DISCIPLINE_VOIDED, DISCIPLINED, Lang, OrgHistoryLine};

/// The label of an event kind of `org_events`.
fn kind_label(kind: &str, lang: Lang) -> &'static str {
    let (vi, en) = match kind {
        "established" => ("Thành lập", "Established"),
        "renamed" => ("Đổi tên", "Renamed"),
        "moved" => ("Điều chuyển", "Moved"),
        "merged" => ("Hợp nhất, sáp nhập", "Merged"),
        "split" => ("Chia tách", "Split"),
        "dissolved" => ("Giải thể", "Dissolved"),
        DISCIPLINED => ("Kỷ luật", "Disciplined"),
        DISCIPLINE_VOIDED => ("Hủy, sửa quyết định kỷ luật (giải quyết khiếu nại)", "Discipline voided on appeal"),
        _ => ("Sự kiện", "Event"),
    };
    lang.pick(vi, en)
}

/// One line per event, oldest first: (date dd/mm/yyyy, what).
pub fn lines(history: &[OrgHistoryLine], lang: Lang) -> Vec<(String, String)> {
    history
        .iter()
        .map(|l| {
            let e = &l.event;
            let mut what = kind_label(&e.kind, lang).to_string();
            if let Some(form) = l.form.as_deref().and_then(Penalty::parse) {
                what = format!("{what}: {}", form.label(lang));
            }
            let decision: Vec<&str> =
                [e.decision_number.as_deref(), e.decision_body.as_deref()].into_iter().flatten().collect();
            if !decision.is_empty() {
                what = format!("{what} ({})", decision.join(", "));
            }
            if l.voided_by.is_some() {
                what = format!("{what} — {}", lang.pick("đã bị hủy", "voided"));
            }
            (format_vn(e.effective), what)
        })
        .collect()
}
