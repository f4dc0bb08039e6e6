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

/// What is behind a line before the page is read.
enum Behind {
    /// Members with the date of the change, if a change.
    Members(Vec<(Uuid, Option<Date>)>),
    Orgs(Vec<Uuid>),
    /// A line of today's structure: its count on the report, and the page already read.
    Page {
        total: usize,
        ids: Vec<Uuid>,
    },
}

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
    /// print or export whole: one computation of the line, the lines numbered from one moment).
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
        let mut c = self.pools.read().await?;
        let s = self.report_scope(v, &mut c, org_id, on, period).await?;
        let lang = v.lang();
        let (section, key) = item.split_once('/').ok_or_else(unknown_item)?;
        let (section_title, label, behind) = lines_behind(&s, &mut c, section, key, (offset, limit), lang).await?;
        let total = match &behind {
            Behind::Members(m) => m.len(),
            Behind::Orgs(o) => o.len(),
            Behind::Page { total, .. } => *total,
        };
        let end = total.min(offset.saturating_add(limit));
        let start = offset.min(end);
        let (members, orgs) = match behind {
            Behind::Members(m) => (listed_members(v, &mut c, &m[start..end]).await?, Vec::new()),
            Behind::Orgs(o) => (Vec::new(), listed_orgs(v, &mut c, &o[start..end]).await?),
            Behind::Page { ids, .. } => {
                let page: Vec<(Uuid, Option<Date>)> = ids.into_iter().map(|id| (id, None)).collect();
                (listed_members(v, &mut c, &page).await?, Vec::new())
            }
        };
        Ok(ReportList {
            org_id,
            org_name: s.name.clone(),
            on: s.on,
            period: period.trim().to_string(),
            from: s.period.from,
            to: s.period.to.previous_day().unwrap_or(s.period.to),
            item: item.to_string(),
            section: section_title,
            label,
            total,
            offset: start,
            next: (end < total).then_some(end),
            members,
            orgs,
        })
    }

    /// The whole list behind a line as `.xlsx`: the page's columns under the title block, the
    /// export logged (`report.export`). Read at once, like the report it comes from.
    pub async fn report_list_xlsx(
        &self,
        v: &Viewer,
        org_id: Uuid,
        on: Option<Date>,
        period: &str,
        item: &str,
    ) -> Outcome<Vec<u8>> {
        let list = self.report_list_whole(v, org_id, on, period, item, usize::MAX).await?;
        let lang = v.lang();
        let (headers, rows) = report_list_table(&list, lang);
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
            headers,
            rows,
            note: String::new(),
        };
        self.list_xlsx(v, org_id, sheet).await
    }
}

/// The columns and cells of a page of the list, as the page, its print and the spreadsheet show
/// them: the ordinal (*STT*, counted from the page's offset) first.
pub fn report_list_table(l: &ReportList, lang: Lang) -> (Vec<String>, Vec<Vec<String>>) {
    let (headers, rows) = list_columns(l, lang);
    let headers = std::iter::once(lang.pick("STT", "No.").to_string()).chain(headers).collect();
    let rows = rows
        .into_iter()
        .enumerate()
        .map(|(i, row)| std::iter::once((l.offset + i + 1).to_string()).chain(row).collect())
        .collect();
    (headers, rows)
}

/// The columns after the ordinal: an organisation's or a member's.
fn list_columns(l: &ReportList, lang: Lang) -> (Vec<String>, Vec<Vec<String>>) {
    let date = |d: Option<Date>| d.map(format_vn).unwrap_or_default();
    if l.item.starts_with("org_") {
        let headers = [
            lang.pick("Tên tổ chức", "Organisation"),
            lang.pick("Loại", "Kind"),
            lang.pick("Thôn, bản, tổ dân phố", "Village"),
            lang.pick("Ngày thành lập", "Established"),
            lang.pick("Ngày giải thể", "Dissolved"),
        ];
        let rows = l
            .orgs
            .iter()
            .map(|o| {
                let kind = lang.pick(o.kind.label_vi(), o.kind.label_en()).to_string();
                vec![
                    o.name.clone(),
                    kind,
                    o.village.clone().unwrap_or_default(),
                    date(o.established_on),
                    date(o.dissolved_on),
                ]
            })
            .collect();
        return (headers.map(str::to_string).to_vec(), rows);
    }
    let mut headers = vec![
        lang.pick("Họ và tên", "Full name"),
        lang.pick("Ngày sinh", "Date of birth"),
        lang.pick("Nơi sinh hoạt hiện nay", "Organisation now"),
        lang.pick("Tình trạng hiện nay", "Standing now"),
    ];
    let changes = l.item.starts_with("changes/");
    if changes {
        headers.push(lang.pick("Ngày biến động", "Date of the change"));
    }
    let rows = l
        .members
        .iter()
        .map(|m| {
            let mut row = vec![
                m.full_name.clone(),
                format_vn(m.birth_date),
                m.org_name.clone(),
                m.status.label(lang).to_string(),
            ];
            if changes {
                row.push(date(m.changed_on));
            }
            row
        })
        .collect();
    (headers.into_iter().map(str::to_string).collect(), rows)
}

/// The title of the line's section, its label, and what is behind it (for a line of today's
/// structure, only the page `(offset, limit)`).
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
        return Ok((lang.pick("Tổng số", "Total").into(), total_label(lang).into(), Behind::Members(all)));
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
        return Ok((dim.title(lang).into(), row.label.clone(), Behind::Members(ids)));
    }
    if section == "changes" {
        let label = Change::ALL
            .into_iter()
            .map(|k| (k.key(), k.label(lang)))
            .chain(admission_labels(lang))
            .find(|(k, _)| *k == key)
            .ok_or_else(unknown_item)?
            .1;
        let found: Vec<(Uuid, Option<Date>)> =
            s.changes_on_line(c, key).await?.into_iter().map(|(id, on)| (id, Some(on))).collect();
        return Ok((changes_title(lang).into(), label.into(), Behind::Members(found)));
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
        return Ok((org_title(section, lang).into(), label.into(), Behind::Orgs(ids)));
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
        let behind = Behind::Page { total: built.total as usize, ids };
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
    Ok((dim.title(lang).into(), row.label.clone(), Behind::Page { total: row.count as usize, ids }))
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
