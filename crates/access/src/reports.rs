//! The statistics report of a subtree (*báo cáo thống kê*): the structure of its membership
//! today and its changes over a period (`chibo_domain::report`), as data, and as `.xlsx` with
//! the same rows and columns as the page.

use crate::list_sheet::{sheet_error, title_block};
use crate::meeting_reports::{Requested, parse_period};
use crate::{Chibo, Outcome, Viewer};
use chibo_domain::life::{Detail, EventKind};
use chibo_domain::meeting::Period;
use chibo_domain::member::Gender;
use chibo_domain::report::{Candidate, Change, Changes, SpanIn, Structure};
use chibo_domain::{Lang, Problem, path};
use chibo_store::reports::{self, EventOfPeriod};
use serde::Serialize;
use time::Date;
use uuid::Uuid;

/// The report of one organisation's subtree.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub org_id: Uuid,
    pub org_name: String,
    /// The period as asked (`2025`, `2025-Q1`, `2025-03`, `2025-01-01..2025-06-30`).
    pub period: String,
    pub structure: Structure,
    pub changes: Changes,
}

/// The period a report covers when none is asked: the year of `today`.
pub fn default_period(today: Date) -> String {
    today.year().to_string()
}

fn period_of(code: &str) -> Outcome<Period> {
    Ok(match parse_period(code)? {
        Requested::Standard(_, p) | Requested::Custom(p) => p,
    })
}

fn past_structure() -> Problem {
    Problem::field(
        "on",
        "structure_today_only",
        "Ngày báo cáo: cơ cấu đảng viên hiện chỉ tính được cho ngày hôm nay.",
        "Report date: the structure of the membership can only be computed for today for now.",
    )
}

impl Chibo {
    /// The report of `org_id`'s subtree: the structure on `on` (today only, for now) and the
    /// changes over `period`. Needs the right to list the subtree's people (members refused).
    pub async fn report(&self, v: &Viewer, org_id: Uuid, on: Option<Date>, period: &str) -> Outcome<Report> {
        let period_dates = period_of(period)?;
        let now = self.today();
        if on.is_some_and(|d| d != now) {
            return Err(past_structure());
        }
        let mut c = self.pools.read().await?;
        let org = crate::load::load_org(&mut c, org_id).await?;
        v.check_list(&org.path)?;
        let lang = v.lang();
        let groups = reports::structure_groups(&mut c, &org.path).await?;
        let events = reports::events_of_period(&mut c, &org.path, period_dates.from, period_dates.to).await?;
        let mut ids: Vec<Uuid> = events.iter().map(|e| e.member_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let spans = reports::home_spans(&mut c, &ids).await?;
        let inside = |p: &str| path::is_within(p, &org.path);
        let candidates: Vec<Candidate> = events
            .iter()
            .filter_map(|e| {
                let member_spans = spans.get(&e.member_id).map(Vec::as_slice).unwrap_or_default();
                candidate(
                    e,
                    member_spans.iter().map(|s| SpanIn { from: s.from_on, to: s.to_on, inside: inside(&s.path) }),
                    &inside,
                )
            })
            .collect();
        Ok(Report {
            org_id,
            org_name: org.input.name.clone(),
            period: period.trim().to_string(),
            structure: Structure::build(now, &groups, lang),
            changes: Changes::build(period_dates, &candidates, lang),
        })
    }

    /// The report as `.xlsx`: a title block (organisation, date, who printed it), then the same
    /// sections, rows and columns as the page.
    pub async fn report_xlsx(&self, v: &Viewer, org_id: Uuid, on: Option<Date>, period: &str) -> Outcome<Vec<u8>> {
        let r = self.report(v, org_id, on, period).await?;
        let lang = v.lang();
        let detail = format!("{} {}", lang.pick("Kỳ", "Period"), r.period);
        let title = title_block(
            v,
            ("BÁO CÁO THỐNG KÊ ĐẢNG VIÊN", "MEMBERSHIP STATISTICS"),
            r.org_name.clone(),
            &detail,
            r.structure.on,
        );
        let headers = report_headers(lang);
        chibo_sheets::write_xlsx(&title, &headers, report_lines(&r, lang).iter().map(ReportLine::cells))
            .map_err(sheet_error)
    }
}

/// The columns of the report, on the page and in the spreadsheet.
pub fn report_headers(lang: Lang) -> [&'static str; 4] {
    [
        lang.pick("Mục", "Section"),
        lang.pick("Chỉ tiêu", "Item"),
        lang.pick("Số lượng", "Count"),
        lang.pick("Tỷ lệ (%)", "Share (%)"),
    ]
}

/// A share as the page and the spreadsheet show it: one decimal, Vietnamese decimal comma.
pub fn percent_text(num: u64, den: u64, lang: Lang) -> String {
    if den == 0 {
        return String::new();
    }
    let s = format!("{:.1}", num as f64 * 100.0 / den as f64);
    if lang == Lang::Vi { s.replace('.', ",") } else { s }
}

/// One line of the report as the page and the spreadsheet show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportLine {
    pub section: String,
    pub label: String,
    pub count: u64,
    /// In percent, one decimal; empty where there is no share.
    pub share: String,
    /// A detail of the line above (each minority group, the new members' structure).
    pub detail: bool,
    /// The standing code, on the lines of the standing section (the member list's filter).
    pub status: Option<String>,
}

impl ReportLine {
    /// The spreadsheet's cells: section, item, count, share.
    pub fn cells(&self) -> Vec<String> {
        let label = if self.detail { format!("  – {}", self.label) } else { self.label.clone() };
        vec![self.section.clone(), label, self.count.to_string(), self.share.clone()]
    }
}

/// The report's lines in the order of the page: the total, each structure section, then the
/// changes and the structure of the new members.
pub fn report_lines(r: &Report, lang: Lang) -> Vec<ReportLine> {
    let line = |section: &str, label: &str, count: u64, share: String, detail: bool| ReportLine {
        section: section.to_string(),
        label: label.to_string(),
        count,
        share,
        detail,
        status: None,
    };
    let mut out = vec![line(
        lang.pick("Tổng số", "Total"),
        lang.pick("Đảng viên trong danh sách", "Members on the rolls"),
        r.structure.total,
        String::new(),
        false,
    )];
    for s in &r.structure.sections {
        for row in &s.rows {
            let mut l =
                line(s.title, &row.label, row.count, percent_text(row.share.num, row.share.den, lang), row.detail);
            l.status = (s.key == "status").then(|| row.key.clone());
            out.push(l);
        }
    }
    let changes = lang.pick("Biến động trong kỳ", "Changes in the period");
    for row in &r.changes.rows {
        out.push(line(changes, row.label, row.count, String::new(), false));
    }
    let admitted = r.changes.count(Change::Admitted);
    for (label, n) in admission_detail(&r.changes, lang) {
        out.push(line(changes, label, n, percent_text(n, admitted, lang), true));
    }
    out
}

/// The structure of the new members: young, female, minority.
fn admission_detail(c: &Changes, lang: Lang) -> [(&'static str, u64); 3] {
    [
        (lang.pick("Kết nạp: đảng viên trẻ (đến 30 tuổi)", "Admitted: young (up to 30)"), c.admitted_young),
        (lang.pick("Kết nạp: nữ", "Admitted: female"), c.admitted_female),
        (lang.pick("Kết nạp: dân tộc thiểu số", "Admitted: minority"), c.admitted_minority),
    ]
}

/// An event of the period as a possible change; `None` for kinds that are no change (a
/// discipline short of expulsion).
fn candidate(
    e: &EventOfPeriod,
    spans: impl Iterator<Item = SpanIn>,
    inside: &dyn Fn(&str) -> bool,
) -> Option<Candidate> {
    let kind = EventKind::parse(&e.kind)?;
    let form = serde_json::from_str::<Detail>(&e.detail).ok().and_then(|d| d.form);
    Some(Candidate {
        change: Change::of_event(kind, form)?,
        on: e.effective_on,
        org_inside: e.org_path.as_deref().is_some_and(inside),
        spans: spans.collect(),
        gender: Gender::parse(&e.gender)?,
        ethnicity_code: i32::try_from(e.ethnicity_code).ok()?,
        birth_date: e.birth_date,
    })
}
