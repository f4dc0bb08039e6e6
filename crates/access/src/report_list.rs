//! The list behind a number of the statistics report (*danh sách chi tiết*): the members or the
//! organisations a line counts, paged, and as `.xlsx` with the page's columns. The same scope
//! and the same rules as the report (`chibo_domain::report`): a member is listed under a line
//! exactly when the report counts them there.

use crate::list_sheet::ListSheet;
use crate::load::org_target;
use crate::reports::{Scope, admission_labels, changes_title, org_title, total_label};
use crate::{Chibo, Outcome, Viewer};
use chibo_domain::access::{Action, Target};
use chibo_domain::date::format_vn;
use chibo_domain::org::OrgKind;
use chibo_domain::report::{Change, Dim, Group, ORG_SECTIONS, OrgFigures, Row, Structure, band_window, behind};
use chibo_domain::{Lang, Problem};
use chibo_store::orgs::Org;
use chibo_store::report_list::{self, Narrow};
use chibo_store::reports::DimValues;
use chibo_store::{Exec, members, orgs, structure_counts};
use serde::Serialize;
use std::collections::HashMap;
use time::Date;
use uuid::Uuid;

/// At most this many lines a page.
pub const REPORT_LIST_MAX: usize = 500;

/// A member behind a line, as they are now (and the date of the change for a change's line).
#[derive(Debug, Clone, Serialize)]
pub struct ListedMember {
    pub id: Uuid,
    pub full_name: String,
    pub birth_date: Date,
    /// The standing now.
    pub status: chibo_domain::member::MemberStatus,
    /// The organisation the record names now.
    pub org_name: String,
    /// The date of the change, on the lines of the changes.
    pub changed_on: Option<Date>,
    /// Whether the viewer may open the record (a member listed on a past date may have left
    /// the subtree since).
    pub readable: bool,
}

/// An organisation behind a line.
#[derive(Debug, Clone, Serialize)]
pub struct ListedOrg {
    pub id: Uuid,
    pub name: String,
    pub kind: OrgKind,
    pub village: Option<String>,
    pub established_on: Option<Date>,
    pub dissolved_on: Option<Date>,
    pub readable: bool,
}

/// One page of the list behind a line of the report.
#[derive(Debug, Clone, Serialize)]
pub struct ReportList {
    pub org_id: Uuid,
    pub org_name: String,
    pub on: Date,
    /// The period as asked, and its first and last day.
    pub period: String,
    pub from: Date,
    pub to: Date,
    /// `section/key`, as in [`crate::ReportLine::item`].
    pub item: String,
    pub section: String,
    pub label: String,
    /// The count on the report's line.
    pub total: usize,
    pub offset: usize,
    pub next: Option<usize>,
    /// The members of the page (a line of people), or
    pub members: Vec<ListedMember>,
    /// the organisations of the page (a line of organisations).
    pub orgs: Vec<ListedOrg>,
}

fn unknown_item() -> Problem {
    Problem::field("item", "unknown_item", "Chỉ tiêu: không có trong báo cáo.", "Item: not a line of the report.")
}

/// What is behind a line before its records are read: how many the line counts, and the
/// entries from the `first`-th on (all of them, or for a line of today's structure or of
/// changes the page asked for).
struct Behind {
    total: usize,
    first: usize,
    entries: Entries,
}

enum Entries {
    /// Members with the date of the change, if a change.
    Members(Vec<(Uuid, Option<Date>)>),
    Orgs(Vec<Uuid>),
}

impl Behind {
    fn whole(entries: Entries) -> Behind {
        let total = match &entries {
            Entries::Members(m) => m.len(),
            Entries::Orgs(o) => o.len(),
        };
        Behind { total, first: 0, entries }
    }

    /// The records of the line's entries `from..to` (counted from the line's first), as listed.
    async fn read(
        &self,
        v: &Viewer,
        c: &mut impl Exec,
        from: usize,
        to: usize,
    ) -> Outcome<(Vec<ListedMember>, Vec<ListedOrg>)> {
        fn part<T>(all: &[T], first: usize, from: usize, to: usize) -> &[T] {
            let end = to.saturating_sub(first).min(all.len());
            &all[from.saturating_sub(first).min(end)..end]
        }
        Ok(match &self.entries {
            Entries::Members(m) => (listed_members(v, c, part(m, self.first, from, to)).await?, Vec::new()),
            Entries::Orgs(o) => (Vec::new(), listed_orgs(v, c, part(o, self.first, from, to)).await?),
        })
    }
}

/// Records read at a time for a spreadsheet of a whole line.
const SHEET_READ: usize = 2_000;

impl Chibo {
    /// The members or organisations behind the line `item` of the report of `org_id` (same
    /// `on` and `period`), `limit` (at most [`REPORT_LIST_MAX`]) from `offset`. The same
    /// rights as the report.
    #[allow(clippy::too_many_arguments)]
    pub async fn report_list(
        &self,
        v: &Viewer,
        org_id: Uuid,
        on: Option<Date>,
        period: &str,
        item: &str,
        offset: usize,
        limit: usize,
    ) -> Outcome<ReportList> {
        self.list_behind(v, org_id, on, period, item, offset, limit.clamp(1, REPORT_LIST_MAX)).await
    }

    /// [`Chibo::report_list`] from its first line, up to `max` lines in one read (a list to
    /// print whole: one computation of the line, the lines numbered from one moment).
    pub async fn report_list_whole(
        &self,
        v: &Viewer,
        org_id: Uuid,
        on: Option<Date>,
        period: &str,
        item: &str,
        max: usize,
    ) -> Outcome<ReportList> {
        self.list_behind(v, org_id, on, period, item, 0, max.max(1)).await
    }

    #[allow(clippy::too_many_arguments)]
    async fn list_behind(
        &self,
        v: &Viewer,
        org_id: Uuid,
        on: Option<Date>,
        period: &str,
        item: &str,
        offset: usize,
        limit: usize,
    ) -> Outcome<ReportList> {
        // One snapshot: the line's count (kept) and its entries (read) from one moment.
        let mut c = self.pools.snapshot().await?;
        let started = std::time::Instant::now();
        let (_, mut list, behind) = self.line_behind(v, &mut c, (org_id, on, period, item), (offset, limit)).await?;
        let line_ms = started.elapsed().as_millis();
        let end = behind.total.min(offset.saturating_add(limit));
        let start = offset.min(end);
        (list.members, list.orgs) = behind.read(v, &mut c, start, end).await?;
        tracing::debug!(item, line_ms, all_ms = started.elapsed().as_millis(), "list behind a line");
        (list.offset, list.next) = (start, (end < behind.total).then_some(end));
        Ok(list)
    }

    /// The line `item` of the report's scope: the organisation, the list's head (no entries
    /// yet) and what is behind the line; for a line of today's structure, the page `page`.
    async fn line_behind(
        &self,
        v: &Viewer,
        c: &mut impl Exec,
        (org_id, on, period, item): (Uuid, Option<Date>, &str, &str),
        page: (usize, usize),
    ) -> Outcome<(Org, ReportList, Behind)> {
        let s = self.report_scope(v, c, org_id, on, period).await?;
        let (section, key) = item.split_once('/').ok_or_else(unknown_item)?;
        let (section, label, behind) = lines_behind(&s, c, section, key, page, v.lang()).await?;
        let list = ReportList {
            org_id,
            org_name: s.name.clone(),
            on: s.on,
            period: period.trim().to_string(),
            from: s.period.from,
            to: s.period.to.previous_day().unwrap_or(s.period.to),
            item: item.to_string(),
            section,
            label,
            total: behind.total,
            offset: 0,
            next: None,
            members: Vec::new(),
            orgs: Vec::new(),
        };
        Ok((s.org, list, behind))
    }

    /// The whole list behind a line as `.xlsx` written into `out` (a file), handed back: the
    /// page's columns under the title block, the export logged (`report.export`). The line is
    /// computed once and its records read [`SHEET_READ`] at a time from one snapshot of the
    /// database, each part written to the sheet's temporary file as it comes: memory holds the
    /// line's ids and one part of its records, not the records behind a province's total
    /// (220,000).
    pub async fn report_list_xlsx_into<W: std::io::Write + Send + 'static>(
        &self,
        v: &Viewer,
        org_id: Uuid,
        on: Option<Date>,
        period: &str,
        item: &str,
        out: W,
    ) -> Outcome<W> {
        self.report_list_sheet(v, (org_id, on, period, item), SHEET_READ, out).await
    }

    /// [`Chibo::report_list_xlsx_into`] reading `read` records at a time (tests read a few, so
    /// that the parts meet inside their lists).
    #[doc(hidden)]
    pub async fn report_list_sheet<W: std::io::Write + Send + 'static>(
        &self,
        v: &Viewer,
        line: (Uuid, Option<Date>, &str, &str),
        read: usize,
        out: W,
    ) -> Outcome<W> {
        let mut c = self.pools.snapshot().await?;
        let (org, list, behind) = self.line_behind(v, &mut c, line, (0, usize::MAX)).await?;
        let lang = v.lang();
        let detail = format!(
            "{}: {} · {} {} · {} {}",
            list.section,
            list.label,
            lang.pick("cơ cấu ngày", "structure on"),
            format_vn(list.on),
            lang.pick("kỳ", "period"),
            list.period
        );
        let sheet = ListSheet {
            what: "report.export",
            title: ("DANH SÁCH CHI TIẾT BÁO CÁO THỐNG KÊ", "STATISTICS REPORT DETAIL"),
            detail,
            headers: report_list_headers(&list.item, lang),
            rows: Vec::new(),
            note: String::new(),
        };
        let what = sheet.what;
        let mut sheet = self.begin_sheet(v, &org, sheet)?;
        sheet.check_room(behind.total)?;
        let changes = list.item.starts_with("changes/");
        let mut number = 0;
        for from in (0..behind.total).step_by(read.max(1)) {
            let (members, orgs) = behind.read(v, &mut c, from, from.saturating_add(read)).await?;
            let members = members.iter().map(|m| member_cells(m, changes, lang));
            for row in members.chain(orgs.iter().map(|o| org_cells(o, lang))) {
                number += 1;
                sheet.push(&numbered(number, row))?;
            }
        }
        drop(c);
        self.log_read(v, what, "org", org.id, &org.path).await?;
        sheet.finish_into(out).await
    }
}

/// The columns and cells of a page of the list, as the page, its print and the spreadsheet show
/// them: the ordinal (*STT*, counted from the page's offset) first.
pub fn report_list_table(l: &ReportList, lang: Lang) -> (Vec<String>, Vec<Vec<String>>) {
    let changes = l.item.starts_with("changes/");
    let members = l.members.iter().map(|m| member_cells(m, changes, lang));
    let cells = members.chain(l.orgs.iter().map(|o| org_cells(o, lang)));
    let rows = cells.enumerate().map(|(i, row)| numbered(l.offset + i + 1, row)).collect();
    (report_list_headers(&l.item, lang), rows)
}

/// The ordinal, then the cells.
fn numbered(number: usize, cells: Vec<String>) -> Vec<String> {
    std::iter::once(number.to_string()).chain(cells).collect()
}

/// The header row of the list behind `item`: the ordinal, then an organisation's columns or a
/// member's (with the date of the change on a line of the changes).
fn report_list_headers(item: &str, lang: Lang) -> Vec<String> {
    const ORG: &[(&str, &str)] = &[
        ("Tên tổ chức", "Organisation"),
        ("Loại", "Kind"),
        ("Thôn, bản, tổ dân phố", "Village"),
        ("Ngày thành lập", "Established"),
        ("Ngày giải thể", "Dissolved"),
    ];
    const MEMBER: &[(&str, &str)] = &[
        ("Họ và tên", "Full name"),
        ("Ngày sinh", "Date of birth"),
        ("Nơi sinh hoạt hiện nay", "Organisation now"),
        ("Tình trạng hiện nay", "Standing now"),
    ];
    const CHANGED_ON: (&str, &str) = ("Ngày biến động", "Date of the change");
    let columns: Vec<(&str, &str)> = match item {
        _ if item.starts_with("org_") => ORG.to_vec(),
        _ if item.starts_with("changes/") => MEMBER.iter().copied().chain([CHANGED_ON]).collect(),
        _ => MEMBER.to_vec(),
    };
    std::iter::once(("STT", "No.")).chain(columns).map(|(vi, en)| lang.pick(vi, en).to_string()).collect()
}

fn date_cell(d: Option<Date>) -> String {
    d.map(format_vn).unwrap_or_default()
}

/// A member's cells (after the ordinal); the date of the change on a line of the changes.
fn member_cells(m: &ListedMember, changes: bool, lang: Lang) -> Vec<String> {
    let mut row =
        vec![m.full_name.clone(), format_vn(m.birth_date), m.org_name.clone(), m.status.label(lang).to_string()];
    if changes {
        row.push(date_cell(m.changed_on));
    }
    row
}

/// An organisation's cells (after the ordinal).
fn org_cells(o: &ListedOrg, lang: Lang) -> Vec<String> {
    vec![
        o.name.clone(),
        lang.pick(o.kind.label_vi(), o.kind.label_en()).to_string(),
        o.village.clone().unwrap_or_default(),
        date_cell(o.established_on),
        date_cell(o.dissolved_on),
    ]
}

/// The title of the line's section, its label, and what is behind it (for a line of today's
/// structure and a line of changes, only the page `(offset, limit)`).
async fn lines_behind(
    s: &Scope,
    c: &mut impl Exec,
    section: &str,
    key: &str,
    page: (usize, usize),
    lang: Lang,
) -> Outcome<(String, String, Behind)> {
    let total = section == "total" && key == "all";
    if s.past.is_none() && (total || Dim::of_key(section).is_some()) {
        return today_line(s, c, Dim::of_key(section), key, page, lang).await;
    }
    if total {
        let all = s.members(c).await?.into_iter().map(|(id, _)| (id, None)).collect();
        return Ok((
            lang.pick("Tổng số", "Total").into(),
            total_label(lang).into(),
            Behind::whole(Entries::Members(all)),
        ));
    }
    if let Some(dim) = Dim::of_key(section) {
        let i = Dim::ALL.iter().position(|d| *d == dim).unwrap_or_default();
        let mut groups: HashMap<Option<String>, u64> = HashMap::new();
        let mut ids = Vec::new();
        for (id, values) in s.members(c).await? {
            let value = values.into_iter().nth(i).flatten();
            if dim.row_keys(value.as_deref(), s.on).iter().any(|k| k == key) {
                ids.push((id, None));
                *groups.entry(value).or_default() += 1;
            }
        }
        // The label as the report gives it (a free text's commonest spelling among them).
        let groups: Vec<Group> = groups.into_iter().map(|(value, count)| Group { dim, value, count }).collect();
        let built = Structure::build(s.on, &groups, lang);
        let row = row_of(&built, dim, key)?;
        return Ok((dim.title(lang).into(), row.label.clone(), Behind::whole(Entries::Members(ids))));
    }
    if section == "changes" {
        let label = Change::ALL
            .into_iter()
            .map(|k| (k.key(), k.label(lang)))
            .chain(admission_labels(lang))
            .find(|(k, _)| *k == key)
            .ok_or_else(unknown_item)?
            .1;
        let (total, found) = s.changes_on_line(c, key, page).await?;
        let found = found.into_iter().map(|(id, on)| (id, Some(on))).collect();
        let behind = Behind { total, first: page.0, entries: Entries::Members(found) };
        return Ok((changes_title(lang).into(), label.into(), behind));
    }
    if ORG_SECTIONS.contains(&section) {
        let (at, facts) = (s.orgs(c).await?, s.org_facts(c).await?);
        let figures = OrgFigures::build(&at, &facts, s.period, lang);
        let label = [&figures.by_kind, &figures.cells_by_village, &figures.changes]
            .into_iter()
            .zip(ORG_SECTIONS)
            .filter(|(_, sec)| *sec == section)
            .flat_map(|(rows, _)| rows.iter())
            .find(|r| r.key == key)
            .ok_or_else(unknown_item)?
            .label;
        let ids = behind(section, key, &at, &facts, s.period);
        return Ok((org_title(section, lang).into(), label.into(), Behind::whole(Entries::Orgs(ids))));
    }
    Err(unknown_item())
}

/// The row `key` of the section of `dim`.
fn row_of<'a>(built: &'a Structure, dim: Dim, key: &str) -> Outcome<&'a Row> {
    built
        .sections
        .iter()
        .filter(|x| x.key == dim.key())
        .flat_map(|x| &x.rows)
        .find(|r| r.key == key)
        .ok_or_else(unknown_item)
}

/// A line of today's structure (`None`: the total): its label and count from the kept
/// structure (as the report shows them), and one page of its members read by the stored values
/// that count in it (`report_list::line_page`), each asked with the report's rule.
async fn today_line(
    s: &Scope,
    c: &mut impl Exec,
    dim: Option<Dim>,
    key: &str,
    (offset, limit): (usize, usize),
    lang: Lang,
) -> Outcome<(String, String, Behind)> {
    let groups = structure_counts::groups_on(c, s.org.id, s.on).await?;
    let built = Structure::build(s.on, &groups, lang);
    let Some(dim) = dim else {
        let ids = report_list::line_page(c, &s.org.path, &Narrow::All, |_| true, offset, limit).await?;
        let behind = Behind { total: built.total as usize, first: offset, entries: today_entries(ids) };
        return Ok((lang.pick("Tổng số", "Total").into(), total_label(lang).into(), behind));
    };
    let row = row_of(&built, dim, key)?;
    let counts = |value: Option<&str>| dim.row_keys(value, s.on).iter().any(|k| k == key);
    let narrow = match band_window(dim, key, s.on) {
        Some((from, to)) => Narrow::Dates { dim, from, to },
        None => {
            let held = groups.iter().filter(|g| g.dim == dim && counts(g.value.as_deref()));
            let (mut values, mut empty) = (Vec::new(), false);
            for g in held {
                match &g.value {
                    Some(v) => values.push(v.clone()),
                    None => empty = true,
                }
            }
            Narrow::Values { dim, values, empty }
        }
    };
    let i = Dim::ALL.iter().position(|d| *d == dim).unwrap_or_default();
    let keep = |values: &DimValues| counts(values[i].as_deref());
    let ids = report_list::line_page(c, &s.org.path, &narrow, keep, offset, limit).await?;
    let behind = Behind { total: row.count as usize, first: offset, entries: today_entries(ids) };
    Ok((dim.title(lang).into(), row.label.clone(), behind))
}

/// A page of today's structure: members, no date of a change.
fn today_entries(ids: Vec<Uuid>) -> Entries {
    Entries::Members(ids.into_iter().map(|id| (id, None)).collect())
}

async fn listed_members(v: &Viewer, c: &mut impl Exec, page: &[(Uuid, Option<Date>)]) -> Outcome<Vec<ListedMember>> {
    let ids: Vec<Uuid> = page.iter().map(|(id, _)| *id).collect();
    let found = members::by_ids(c, &ids).await?;
    let by_id: HashMap<Uuid, &members::Member> = found.iter().map(|m| (m.id, m)).collect();
    let org_ids: Vec<Uuid> = found.iter().map(|m| m.input.org_id).collect();
    let names: HashMap<Uuid, String> =
        orgs::by_ids(c, &org_ids).await?.into_iter().map(|o| (o.id, o.input.name)).collect();
    Ok(page
        .iter()
        .filter_map(|(id, changed_on)| {
            let m = by_id.get(id)?;
            Some(ListedMember {
                id: m.id,
                full_name: m.full_name.clone(),
                birth_date: m.input.birth_date,
                status: m.input.status,
                org_name: names.get(&m.input.org_id).cloned().unwrap_or_default(),
                changed_on: *changed_on,
                readable: v.may(Action::Read, Target::Member { org_path: &m.org_path, member_id: m.id }),
            })
        })
        .collect())
}

async fn listed_orgs(v: &Viewer, c: &mut impl Exec, page: &[Uuid]) -> Outcome<Vec<ListedOrg>> {
    let found = orgs::by_ids(c, page).await?;
    let by_id: HashMap<Uuid, &orgs::Org> = found.iter().map(|o| (o.id, o)).collect();
    Ok(page
        .iter()
        .filter_map(|id| {
            let o = by_id.get(id)?;
            Some(ListedOrg {
                id: o.id,
                name: o.input.name.clone(),
                kind: o.kind(),
                village: o.input.locality.village.clone(),
                established_on: o.input.established_on,
                dissolved_on: o.input.dissolved_on,
                readable: v.may(Action::Read, org_target(o)),
            })
        })
        .collect())
}
