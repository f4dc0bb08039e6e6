//! The statistics report of a subtree (*báo cáo thống kê*): the structure of its membership
//! on a date (today, or a past date with the tree of that date) and its changes over a period (`chibo_domain::report`), as data, and as `.xlsx` with
//! the same rows and columns as the page.

use crate::list_sheet::{sheet_error, title_block};
use crate::meeting_reports::{Requested, parse_period};
use crate::{Chibo, Outcome, Viewer};
use chibo_domain::date::format_vn;
use chibo_domain::meeting::Period;
use chibo_domain::org::{Locality, OrgKind};
use chibo_domain::report::{Change, Changes, OrgAt, OrgFacts, OrgFigures, Structure, month_split};
use chibo_domain::{Lang, Problem};
use chibo_store::history;
use chibo_store::report_orgs;
use chibo_store::reports::{self, DimValues};
use chibo_store::{Exec, orgs::Org};
use chibo_store::{change_counts, change_days, org_changes, org_counts, structure_counts};
use serde::Serialize;
use std::borrow::Cow;
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
    /// The organisations under it on the structure's date, and their changes in the period.
    pub orgs: OrgFigures,
    /// Its kind and place (today's), for the foot of the printed report.
    pub kind: OrgKind,
    pub locality: Locality,
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

fn future_structure() -> Problem {
    Problem::field(
        "on",
        "in_future",
        "Ngày báo cáo: không được sau ngày hôm nay.",
        "Report date: may not be after today.",
    )
}

fn absent_on(on: Date) -> Problem {
    Problem::field(
        "on",
        "not_existing",
        format!("Ngày báo cáo: tổ chức chưa có trong cây tổ chức ngày {}.", format_vn(on)),
        format!("Report date: the organisation was not in the tree on {}.", format_vn(on)),
    )
}

fn ids(orgs: &[OrgAt]) -> Vec<Uuid> {
    orgs.iter().map(|o| o.id).collect()
}

/// What a report and the lists behind its lines are read over: the organisation, the date of
/// the structure, the period of the changes, and for a past date how the subtree of that date
/// is known.
pub(crate) struct Scope {
    pub org: Org,
    /// The organisation's name on `on`.
    pub name: String,
    pub on: Date,
    pub period: Period,
    /// For a past date, the subtree of that date.
    pub past: Option<Past>,
}

/// The subtree of a report's past date.
pub(crate) enum Past {
    /// The organisations of the subtree that day (the root first), with their kind and village.
    Tree(Vec<OrgAt>),
    /// The subtree of that day is today's, less the organisations established since: the root
    /// was the only top of the tree then and is now, or every organisation moved since stayed
    /// under it or outside it (`report_orgs::moves_kept_within`), so none came into its
    /// subtree or left it. Its kind keeps changes by month (`OrgKind::keeps_changes_by_month`):
    /// the report reads the kept rows by month and the few days' changes left in the date's
    /// month, not the tree of that day (at the nation's top, 277,000 organisations; at a
    /// province, 15,000). The lists behind its lines read the tree ([`Scope::tree`]).
    Whole,
}

impl Scope {
    /// The organisations of the subtree on a past date (the root first); `None` for today.
    pub async fn tree(&self, c: &mut impl Exec) -> Outcome<Option<Cow<'_, [OrgAt]>>> {
        Ok(match &self.past {
            None => None,
            Some(Past::Tree(orgs)) => Some(Cow::Borrowed(orgs)),
            Some(Past::Whole) => Some(Cow::Owned(report_orgs::tree_on(c, self.org.id, self.on).await?)),
        })
    }

    /// The members on the rolls on `on` with their values of every dimension.
    pub async fn members(&self, c: &mut impl Exec) -> Outcome<Vec<(Uuid, DimValues)>> {
        Ok(match self.tree(c).await? {
            None => reports::members_today(c, &self.org.path).await?,
            Some(orgs) => reports::members_on(c, &ids(&orgs), self.on).await?,
        })
    }

    /// The organisations under the root on `on`.
    pub async fn orgs(&self, c: &mut impl Exec) -> Outcome<Vec<OrgAt>> {
        Ok(match self.tree(c).await? {
            None => report_orgs::kinds_under(c, &self.org.path).await?,
            Some(orgs) => orgs.get(1..).unwrap_or_default().to_vec(),
        })
    }

    /// The organisations that changed in the period under the root, each change in the tree
    /// of its date.
    pub async fn org_facts(&self, c: &mut impl Exec) -> Outcome<Vec<OrgFacts>> {
        Ok(report_orgs::facts_in(c, self.org.id, self.period.from, self.period.to).await?)
    }

    /// The organisation figures: today's from the kept counts of the organisation
    /// (`org_counts`), a past date's of the whole tree from its kept changes by month
    /// (`org_changes`), any other past date's from the organisations of the tree of that date;
    /// the changes of the period from the organisations restructured then
    /// ([`Self::org_facts`]).
    pub async fn org_figures(&self, c: &mut impl Exec, lang: Lang) -> Outcome<OrgFigures> {
        let facts = self.org_facts(c).await?;
        let kept = match &self.past {
            None => org_counts::of(c, self.org.id).await?,
            Some(Past::Whole) => org_changes::on(c, (self.org.id, &self.org.path), self.on).await?,
            Some(Past::Tree(_)) => return Ok(OrgFigures::build(&self.orgs(c).await?, &facts, self.period, lang)),
        };
        let count = |item: &str| kept.get(item).copied().unwrap_or(0).max(0) as u64;
        Ok(OrgFigures::kept(count, &facts, self.period, lang))
    }

    /// The changes of the period, each counted in the tree of its date: the sums of the kept
    /// rows of the organisation (`change_counts`), by month over the period's whole months and
    /// by day over the days around them (a period that does not start or end on the first of a
    /// month). What a report costs depends on its period's length, not on its subtree's changes.
    pub async fn changes(&self, c: &mut impl Exec, lang: Lang) -> Outcome<Changes> {
        let p = self.period;
        let (head, months, tail) = month_split(p.from, p.to);
        let kept = match &months {
            Some((first, last)) => change_counts::months(c, self.org.id, first, last).await?,
            None => Vec::new(),
        };
        let mut days = Vec::new();
        for range in [head, tail].into_iter().flatten() {
            days.extend(change_counts::days(c, self.org.id, range).await?);
        }
        Ok(Changes::of(p, lang, |line| {
            let in_months = months.as_ref().map_or(0, |(first, last)| change_counts::sum(&kept, first, last, line));
            let in_days: i64 = days.iter().filter(|d| d.line == line).map(|d| d.n).sum();
            in_months + u64::try_from(in_days).unwrap_or(0)
        }))
    }

    /// The changes of the period on the line `key`, member by member with their dates (the
    /// list behind the line), in the order of their day then member: the entries from the
    /// `offset`-th, at most `limit`, and how many the line counts in all (as the report
    /// counts them). The kept day rows of the line say how many changes fall on each day, so
    /// only the days that hold the page are read member by member, however long the period
    /// and large the subtree (a year's admissions at the nation's root: one or two days).
    pub async fn changes_on_line(
        &self,
        c: &mut impl Exec,
        key: &str,
        (offset, limit): (usize, usize),
    ) -> Outcome<(usize, Vec<(Uuid, Date)>)> {
        let Some(change) = Change::of_line(key) else { return Ok((0, Vec::new())) };
        let (org, members) = (self.org.id, self.org.stats.members);
        let per_day = change_counts::line_days(c, org, key, (self.period.from, self.period.to)).await?;
        let per_day: Vec<(Date, usize)> =
            per_day.into_iter().map(|(d, n)| (d, usize::try_from(n).unwrap_or(0))).collect();
        let total = per_day.iter().map(|(_, n)| n).sum();
        let end = offset.saturating_add(limit).min(total);
        let Some((days, before)) = days_holding(&per_day, offset, end) else { return Ok((total, Vec::new())) };
        let kinds = [change.event_kind().code()];
        let mut found = change_days::changes_of(c, org, members, days, &kinds).await?;
        found.retain(|d| d.line == key);
        // The kept rows of the page's days out of step with the events (before `chibo check
        // --repair`): the page is cut from the period's changes found member by member, whole,
        // and counts them (a warning names the line). Pages whose days are in step are cut by
        // the kept counts, so an out-of-step day before them shifts them by its difference
        // until the repair.
        let kept_days = per_day.iter().filter(|(d, n)| days.0 <= *d && *d < days.1 && *n > 0);
        if !found.iter().map(|d| d.on).eq(kept_days.flat_map(|(d, n)| std::iter::repeat_n(*d, *n))) {
            tracing::warn!(%org, line = key, "the kept day rows differ from the events: the whole list is read");
            let period = (self.period.from, self.period.to);
            let mut all = change_days::changes_of(c, org, members, period, &kinds).await?;
            all.retain(|d| d.line == key);
            let page = all.iter().skip(offset).take(limit).map(|d| (d.member_id, d.on)).collect();
            return Ok((all.len(), page));
        }
        let page = found.into_iter().skip(offset - before).take(end - offset);
        Ok((total, page.map(|d| (d.member_id, d.on)).collect()))
    }
}

impl Chibo {
    /// The scope of a report of `org_id`'s subtree, after the checks: the period, the date (not
    /// after today, the organisation in the tree that day) and the right to list the subtree's
    /// people (members refused).
    pub(crate) async fn report_scope(
        &self,
        v: &Viewer,
        c: &mut impl Exec,
        org_id: Uuid,
        on: Option<Date>,
        period: &str,
    ) -> Outcome<Scope> {
        let period = period_of(period)?;
        let now = self.today();
        let on = on.unwrap_or(now);
        if on > now {
            return Err(future_structure());
        }
        let org = crate::load::load_org(c, org_id).await?;
        v.check_list(&org.path)?;
        if on == now {
            return Ok(Scope { name: org.input.name.clone(), org, on, period, past: None });
        }
        let link = history::link_on(c, org_id, on).await?.ok_or_else(|| absent_on(on))?;
        let whole = org.kind().keeps_changes_by_month()
            && (report_orgs::sole_top(c, org_id, on, now).await?
                || report_orgs::moves_kept_within(c, org_id, on, now).await?);
        let past = Some(if whole { Past::Whole } else { Past::Tree(report_orgs::tree_on(c, org_id, on).await?) });
        Ok(Scope { name: link.name, org, on, period, past })
    }

    /// The report of `org_id`'s subtree: the structure on `on` (today when absent) and the
    /// changes over `period`. Needs the right to list the subtree's people (members refused).
    ///
    /// Today's structure is read from the counts kept per organisation (`structure_counts`); a
    /// past date's from the same kept counts netted with the members who changed since, by
    /// their home spans of that date in the organisations that were under `org_id` that day
    /// (the tree of the date), with the standing of that day. The changes of any period are
    /// read from the changes kept per organisation, by month and by day ([`Scope::changes`]).
    pub async fn report(&self, v: &Viewer, org_id: Uuid, on: Option<Date>, period: &str) -> Outcome<Report> {
        // One snapshot: a past date nets the kept counts with the members who changed since,
        // and a member written between the two reads would be counted once too few or too many.
        let mut c = self.pools.snapshot().await?;
        let started = std::time::Instant::now();
        let ms = |since: std::time::Instant| since.elapsed().as_secs_f64() * 1000.0;
        let s = self.report_scope(v, &mut c, org_id, on, period).await?;
        let (scope_ms, at) = (ms(started), std::time::Instant::now());
        let lang = v.lang();
        let root = (s.org.id, s.org.path.as_str(), s.org.kind());
        let groups = match &s.past {
            None => structure_counts::groups_on(&mut c, s.org.id, s.on).await?,
            Some(Past::Tree(orgs)) => structure_counts::groups_past(&mut c, root, s.on, Some(&ids(orgs))).await?,
            Some(Past::Whole) => structure_counts::groups_past(&mut c, root, s.on, None).await?,
        };
        let (structure_ms, at) = (ms(at), std::time::Instant::now());
        let orgs = s.org_figures(&mut c, lang).await?;
        let (orgs_ms, at) = (ms(at), std::time::Instant::now());
        let changes = s.changes(&mut c, lang).await?;
        // Where a report's time goes (`RUST_LOG=chibo_access=debug`; docs/BENCHMARKS.md).
        tracing::debug!(scope_ms, structure_ms, orgs_ms, changes_ms = ms(at), past = s.past.is_some(), "report");
        Ok(Report {
            org_id,
            period: period.trim().to_string(),
            structure: Structure::build(s.on, &groups, lang),
            changes,
            orgs,
            kind: s.org.kind(),
            locality: s.org.input.locality.clone(),
            org_name: s.name,
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
    /// What the line counts, `section/key` (`age/31_40`, `changes/died`, `org_kind/commune`):
    /// the list behind it is [`Chibo::report_list`] of this item.
    pub item: String,
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
    let line = |section: &str, label: &str, count: u64, share: String, detail: bool, item: String| ReportLine {
        section: section.to_string(),
        label: label.to_string(),
        count,
        share,
        detail,
        item,
    };
    let mut out = vec![line(
        lang.pick("Tổng số", "Total"),
        total_label(lang),
        r.structure.total,
        String::new(),
        false,
        "total/all".into(),
    )];
    for s in &r.structure.sections {
        for row in &s.rows {
            let share = percent_text(row.share.num, row.share.den, lang);
            out.push(line(s.title, &row.label, row.count, share, row.detail, format!("{}/{}", s.key, row.key)));
        }
    }
    let changes = changes_title(lang);
    for row in &r.changes.rows {
        out.push(line(changes, row.label, row.count, String::new(), false, format!("changes/{}", row.key)));
    }
    let admitted = r.changes.count(Change::Admitted);
    for (key, label) in admission_labels(lang) {
        let n = match key {
            "admitted_young" => r.changes.admitted_young,
            "admitted_female" => r.changes.admitted_female,
            _ => r.changes.admitted_minority,
        };
        out.push(line(changes, label, n, percent_text(n, admitted, lang), true, format!("changes/{key}")));
    }
    let o = &r.orgs;
    let cells: u64 = o.cells_by_village.iter().map(|row| row.count).sum();
    for (section, rows) in [("org_kind", &o.by_kind), ("org_village", &o.cells_by_village), ("org_change", &o.changes)]
    {
        for row in rows.iter().filter(|row| section != "org_kind" || row.count > 0) {
            let share = if section == "org_village" { percent_text(row.count, cells, lang) } else { String::new() };
            out.push(line(
                org_title(section, lang),
                row.label,
                row.count,
                share,
                false,
                format!("{section}/{}", row.key),
            ));
        }
    }
    out
}

pub(crate) fn total_label(lang: Lang) -> &'static str {
    lang.pick("Đảng viên trong danh sách", "Members on the rolls")
}

pub(crate) fn changes_title(lang: Lang) -> &'static str {
    lang.pick("Biến động trong kỳ", "Changes in the period")
}

/// The title of a section of the organisation figures.
pub(crate) fn org_title(section: &str, lang: Lang) -> &'static str {
    match section {
        "org_kind" => lang.pick("Tổ chức đảng trực thuộc", "Organisations under it"),
        "org_village" => lang.pick("Chi bộ theo địa bàn", "Cells by residential area"),
        _ => lang.pick("Biến động tổ chức trong kỳ", "Changes of organisations in the period"),
    }
}

/// The lines of the structure of the new members: young, female, minority.
pub(crate) fn admission_labels(lang: Lang) -> [(&'static str, &'static str); 3] {
    [
        ("admitted_young", lang.pick("Kết nạp: đảng viên trẻ (đến 30 tuổi)", "Admitted: young (up to 30)")),
        ("admitted_female", lang.pick("Kết nạp: nữ", "Admitted: female")),
        ("admitted_minority", lang.pick("Kết nạp: dân tộc thiểu số", "Admitted: minority")),
    ]
}

/// The days `[first, last + 1)` that hold the entries `offset..end` of a list counted per day
/// (`per_day` in day order), and how many entries the days before them hold; `None` for an
/// empty page.
fn days_holding(per_day: &[(Date, usize)], offset: usize, end: usize) -> Option<((Date, Date), usize)> {
    if offset >= end {
        return None;
    }
    let (mut seen, mut first) = (0, None);
    for &(day, n) in per_day {
        if first.is_none() && seen + n > offset {
            first = Some((day, seen));
        }
        seen += n;
        if let Some((from, before)) = first.filter(|_| seen >= end) {
            return Some(((from, day.next_day()?), before));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::days_holding;
    use time::macros::date;

    #[test]
    fn a_page_of_a_list_counted_per_day_reads_the_days_that_hold_it() {
        let per_day = [(date!(2025 - 01 - 03), 2), (date!(2025 - 01 - 07), 3), (date!(2025 - 02 - 01), 1)];
        let (d3, d4, d7, d8) =
            (date!(2025 - 01 - 03), date!(2025 - 01 - 04), date!(2025 - 01 - 07), date!(2025 - 01 - 08));
        let (f1, f2) = (date!(2025 - 02 - 01), date!(2025 - 02 - 02));
        // Entries 0..6: 0, 1 on the 3rd; 2, 3, 4 on the 7th; 5 on 1 February.
        assert_eq!(days_holding(&per_day, 0, 2), Some(((d3, d4), 0)));
        assert_eq!(days_holding(&per_day, 1, 3), Some(((d3, d8), 0)));
        assert_eq!(days_holding(&per_day, 2, 5), Some(((d7, d8), 2)));
        assert_eq!(days_holding(&per_day, 4, 6), Some(((d7, f2), 2)));
        assert_eq!(days_holding(&per_day, 5, 6), Some(((f1, f2), 5)));
        assert_eq!(days_holding(&per_day, 0, 6), Some(((d3, f2), 0)));
        assert_eq!(days_holding(&per_day, 6, 6), None, "past the end");
        assert_eq!(days_holding(&per_day, 3, 3), None, "an empty page");
    }
}
