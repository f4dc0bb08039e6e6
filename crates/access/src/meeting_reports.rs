//! The compliance figures of cell meetings for any organisation and period, with the drill-down
//! to the organisations below and, for a cell, its meetings and missing months; and the
//! secretary's work list of repeated absences.

use crate::load::load_org;
use crate::transaction::write;
use crate::{Chibo, Outcome, Viewer};
use chibo_domain::access::{Action, Target};
use chibo_domain::meeting::{
    Absentee, CellRecord, Marked, Period, PeriodKey, Rating, Rollup, Share, absence_worklist, active_interval,
    figures_through,
};
use chibo_domain::{FieldError, Problem};
use chibo_store::meeting_figures;
use chibo_store::meetings::{self, Meeting};
use chibo_store::orgs::Org;
use chibo_store::{Exec, history, orgs};
use serde::Serialize;
use std::collections::HashMap;
use time::Date;
use uuid::Uuid;

/// Most cells a custom period is computed for on the fly (standard periods are kept).
pub const CUSTOM_PERIOD_CELLS: usize = 2_000;

/// The figures of one organisation for one period.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FigureSet {
    /// Cells that held the regular meeting in every month owed, of the cells that owed one.
    pub regular: Share,
    /// Cells that held a thematic meeting in every quarter owed.
    pub thematic: Share,
    /// Present over the attendance base, pooled over the meetings.
    pub attendance: Share,
    pub meetings: i64,
    /// Meetings by rating, best first.
    pub ratings: Vec<(Rating, i64)>,
    pub unrated: i64,
}

impl FigureSet {
    pub fn of(r: &Rollup) -> FigureSet {
        FigureSet {
            regular: r.regular(),
            thematic: r.thematic(),
            attendance: r.attendance(),
            meetings: r.meetings,
            ratings: Rating::ALL.iter().map(|k| (*k, r.rating(*k))).collect(),
            unrated: r.unrated,
        }
    }
}

/// An organisation below, with its figures.
#[derive(Debug, Clone, Serialize)]
pub struct ChildFigures {
    pub org_id: Uuid,
    pub name: String,
    pub kind: String,
    pub is_cell: bool,
    pub figures: FigureSet,
}

/// What a cell's figures rest on: its meetings and the months and quarters it missed.
#[derive(Debug, Clone, Serialize)]
pub struct CellDetail {
    pub meetings: Vec<Meeting>,
    pub missing_regular: Vec<(i32, u8)>,
    pub missing_thematic: Vec<(i32, u8)>,
}

/// The figures of an organisation for a period.
#[derive(Debug, Clone, Serialize)]
pub struct FiguresView {
    pub org: Org,
    /// The period's code (`2025`, `2025-Q1`, `2025-01`) or `first..last` for custom dates.
    pub period: String,
    pub from: Date,
    /// The last day of the period.
    pub last: Date,
    /// Months after this day had not ended when the figures were computed.
    pub through: Date,
    pub figures: FigureSet,
    pub children: Vec<ChildFigures>,
    pub cell: Option<CellDetail>,
    /// The cells that missed the regular meeting, by month, and the thematic one, by quarter,
    /// for the months and quarters wholly inside the period (not for a cell: see `cell`).
    pub missing: Option<Missing>,
}

/// The cells that missed meetings: the regular meeting by month, the thematic one by quarter.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Missing {
    pub regular: Vec<MissedIn>,
    pub thematic: Vec<MissedIn>,
}

/// The cells that missed the meeting owed in one month or quarter: how many (from the kept
/// figures), and one page of them in the order of the tree.
#[derive(Debug, Clone, Serialize)]
pub struct MissedIn {
    /// The month (`2025-03`) or quarter (`2025-Q1`).
    pub period: String,
    pub count: i64,
    /// A page of the cells (the first, inline, for small subtrees; empty above them: ask
    /// [`Chibo::missed_meetings`] for pages).
    pub cells: Vec<NamedCell>,
    /// Where the next page starts, when there are more cells than listed.
    pub next: Option<i64>,
}

/// Subtrees of at most this many cells get their missing cells listed inline with the figures.
pub const MISSED_INLINE_CELLS: i64 = 100;
/// Cells per page of a missed-meetings list (inline, and by default).
pub const MISSED_PAGE: usize = 50;
/// The most cells one page may ask for.
pub const MISSED_PAGE_MAX: usize = 500;

#[derive(Debug, Clone, Serialize)]
pub struct NamedCell {
    pub id: Uuid,
    pub name: String,
}

fn bad_period() -> Problem {
    Problem::field(
        "period",
        "bad_period",
        "Kỳ báo cáo: hãy chọn tháng (2025-03), quý (2025-Q1), năm (2025) hoặc khoảng ngày (2025-01-01..2025-06-30).",
        "Period: choose a month (2025-03), a quarter (2025-Q1), a year (2025) or dates (2025-01-01..2025-06-30).",
    )
}

fn too_many_cells() -> Problem {
    Problem::field(
        "period",
        "too_many_cells",
        format!(
            "Kỳ báo cáo: khoảng ngày tùy chọn chỉ tính được cho tối đa {CUSTOM_PERIOD_CELLS} chi bộ; hãy chọn tháng, quý, năm hoặc một tổ chức nhỏ hơn."
        ),
        format!(
            "Period: custom dates are computed for at most {CUSTOM_PERIOD_CELLS} cells; choose a month, quarter or year, or a smaller organisation."
        ),
    )
}

/// A requested period: a standard one (kept) or custom dates.
pub(crate) enum Requested {
    Standard(PeriodKey, Period),
    Custom(Period),
}

pub(crate) fn parse_period(s: &str) -> Outcome<Requested> {
    let s = s.trim();
    if let Some((a, b)) = s.split_once("..") {
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        let (a, b) = (Date::parse(a.trim(), fmt), Date::parse(b.trim(), fmt));
        let (Ok(a), Ok(b)) = (a, b) else { return Err(bad_period()) };
        if !(chibo_domain::date::in_years(a) && chibo_domain::date::in_years(b)) {
            return Err(bad_period());
        }
        return Period::custom(a, b).map(Requested::Custom).ok_or_else(bad_period);
    }
    let key = PeriodKey::parse(s).ok_or_else(bad_period)?;
    Ok(Requested::Standard(key, key.period().ok_or_else(bad_period)?))
}

/// The months and quarters of `p` whose missed meetings a figures page lists.
fn missed_keys(p: Period) -> Vec<PeriodKey> {
    let months = p.months().into_iter().map(|(y, m, _)| PeriodKey::Month(y, m));
    let quarters = p.quarters().into_iter().map(|(y, q, _)| PeriodKey::Quarter(y, q));
    months.chain(quarters).collect()
}

impl Chibo {
    /// The figures of `org_id`'s subtree for `period`, as of the tree of that period, with the
    /// organisations below (drill-down) and, for a cell, its meetings.
    pub async fn meeting_figures(&self, v: &Viewer, org_id: Uuid, period: &str) -> Outcome<FiguresView> {
        let requested = parse_period(period)?;
        let org = {
            let mut c = self.pools.read().await?;
            load_org(&mut c, org_id).await?
        };
        v.check(Action::Read, Target::Org { path: &org.path })?;
        // The periods are opened first (it may write); then every figure, the drill-down, the
        // cells that missed and a cell's meetings come from one snapshot, so that a count and
        // the list beside it agree whatever is recorded meanwhile.
        let p = match requested {
            Requested::Standard(key, p) => {
                self.open_for_reading(key).await?;
                p
            }
            Requested::Custom(p) => p,
        };
        let missed_keys = (!org.kind().is_cell()).then(|| missed_keys(p));
        if let Some(keys) = &missed_keys {
            self.open_all_for_reading(keys).await?;
        }
        let mut c = self.pools.snapshot().await?;
        let (figures, children, through, code) = match requested {
            Requested::Standard(key, p) => {
                let through =
                    meeting_figures::opened(&mut c, &[key]).await?.first().map_or_else(|| self.cutoff(), |(_, t)| *t);
                let below = meeting_figures::children_during(&mut c, org.id, p.from, p.to).await?;
                let mut ids = below.clone();
                ids.push(org.id);
                let sums = meeting_figures::rollups(&mut c, &ids, key).await?;
                let own = FigureSet::of(&sums.get(&org.id).copied().unwrap_or_default());
                let children = self
                    .children(&mut c, &below, |id| FigureSet::of(&sums.get(&id).copied().unwrap_or_default()))
                    .await?;
                (own, children, through, key.code())
            }
            Requested::Custom(p) => {
                let (own, children) = self.custom_figures(&mut c, &org, p).await?;
                let last = p.to.previous_day().unwrap_or(p.to);
                (own, children, self.cutoff(), format!("{}..{}", p.from, last))
            }
        };
        let missing = match missed_keys {
            Some(keys) => Some(self.missing(&mut c, &org, keys).await?),
            None => None,
        };
        let cell = if org.kind().is_cell() { Some(self.cell_detail(&mut c, &org, p, through).await?) } else { None };
        drop(c);
        Ok(FiguresView {
            last: p.to.previous_day().unwrap_or(p.to),
            from: p.from,
            through,
            period: code,
            org,
            figures,
            children,
            cell,
            missing,
        })
    }

    /// How many cells under `org` missed the meetings of each of `keys` (opened for reading),
    /// from the kept figures of `org` alone; the cells themselves for small subtrees.
    async fn missing(&self, c: &mut impl Exec, org: &Org, keys: Vec<PeriodKey>) -> Outcome<Missing> {
        let sums = meeting_figures::rollups_of(c, org.id, &keys).await?;
        let inline = org.stats.cells <= MISSED_INLINE_CELLS;
        let mut out = Missing::default();
        for key in keys {
            let thematic = matches!(key, PeriodKey::Quarter(..));
            let count = sums.get(&key.code()).map_or(0, |r| r.missed(thematic));
            if count <= 0 {
                continue;
            }
            let page = if inline {
                self.missed_page(c, org, key, 0, MISSED_PAGE).await?
            } else {
                MissedIn { period: key.code(), count, cells: Vec::new(), next: Some(0) }
            };
            let list = if thematic { &mut out.thematic } else { &mut out.regular };
            list.push(MissedIn { count, ..page });
        }
        Ok(out)
    }

    /// One page of the cells under `org_id` that missed the meeting owed in `period` (a month:
    /// the regular meeting; a quarter: the thematic one), from `offset`.
    pub async fn missed_meetings(
        &self,
        v: &Viewer,
        org_id: Uuid,
        period: &str,
        offset: i64,
        limit: usize,
    ) -> Outcome<MissedIn> {
        self.missed_read(v, (org_id, period), offset.max(0), limit.clamp(1, MISSED_PAGE_MAX)).await
    }

    /// [`Chibo::missed_meetings`] from the first cell, at most `max` of them, and whether there
    /// were more: a list to print or export whole, its count and cells read in one snapshot.
    pub async fn missed_meetings_whole(
        &self,
        v: &Viewer,
        org_id: Uuid,
        period: &str,
        max: usize,
    ) -> Outcome<(MissedIn, bool)> {
        let mut all = self.missed_read(v, (org_id, period), 0, max.saturating_add(1)).await?;
        let cut = all.cells.len() > max;
        all.cells.truncate(max);
        all.next = None;
        Ok((all, cut))
    }

    async fn missed_read(
        &self,
        v: &Viewer,
        (org_id, period): (Uuid, &str),
        offset: i64,
        limit: usize,
    ) -> Outcome<MissedIn> {
        let key = match PeriodKey::parse(period.trim()) {
            Some(k @ (PeriodKey::Month(..) | PeriodKey::Quarter(..))) => k,
            _ => {
                return Err(Problem::field(
                    "period",
                    "bad_period",
                    "Kỳ: hãy chọn một tháng (2025-03) hoặc một quý (2025-Q1).",
                    "Period: choose a month (2025-03) or a quarter (2025-Q1).",
                ));
            }
        };
        let org = {
            let mut c = self.pools.read().await?;
            load_org(&mut c, org_id).await?
        };
        v.check(Action::Read, Target::Org { path: &org.path })?;
        self.open_all_for_reading(&[key]).await?;
        // One snapshot: the count and the cells from one moment.
        let mut c = self.pools.snapshot().await?;
        let thematic = matches!(key, PeriodKey::Quarter(..));
        let sums = meeting_figures::rollups_of(&mut c, org.id, &[key]).await?;
        let count = sums.get(&key.code()).map_or(0, |r| r.missed(thematic));
        let page = self.missed_page(&mut c, &org, key, offset, limit).await?;
        Ok(MissedIn { count, ..page })
    }

    /// A page of the cells under `org` that missed `key`, in the order of the tree (each level
    /// by name), found by walking down the kept figures: a subtree that missed nothing is never
    /// opened, and one wholly before `offset` is skipped by its count, so the work follows the
    /// page and the depth, not the size of the subtree. A cell moved during the period is
    /// listed under each organisation it was under then.
    async fn missed_page(
        &self,
        c: &mut impl Exec,
        org: &Org,
        key: PeriodKey,
        offset: i64,
        limit: usize,
    ) -> Outcome<MissedIn> {
        let p = key.period().ok_or_else(bad_period)?;
        let thematic = matches!(key, PeriodKey::Quarter(..));
        let mut stack: Vec<(Org, i64)> = Vec::new();
        let open = async |c: &mut _, id: Uuid, stack: &mut Vec<(Org, i64)>| -> Outcome<()> {
            let ids = meeting_figures::children_during(c, id, p.from, p.to).await?;
            let sums = meeting_figures::rollups(c, &ids, key).await?;
            let missed = |id: &Uuid| sums.get(id).map_or(0, |r| r.missed(thematic));
            let with: Vec<Uuid> = ids.iter().filter(|id| missed(id) > 0).copied().collect();
            let mut kids = orgs::by_ids(c, &with).await?;
            orgs::sort_by_name(&mut kids);
            stack.extend(kids.into_iter().rev().map(|o| {
                let n = missed(&o.id);
                (o, n)
            }));
            Ok(())
        };
        open(c, org.id, &mut stack).await?;
        let (mut skip, mut cells, mut seen) = (offset, Vec::new(), offset);
        while let Some((o, n)) = stack.pop() {
            if cells.len() == limit {
                return Ok(MissedIn { period: key.code(), count: 0, cells, next: Some(seen) });
            }
            if skip >= n {
                skip -= n;
                continue;
            }
            if o.kind().is_cell() {
                cells.push(NamedCell { id: o.id, name: o.input.name });
                seen += 1;
            } else {
                open(c, o.id, &mut stack).await?;
            }
        }
        Ok(MissedIn { period: key.code(), count: 0, cells, next: None })
    }

    /// Open (or bring up to date) the standard periods not yet readable, with one read for
    /// all of them.
    async fn open_all_for_reading(&self, keys: &[PeriodKey]) -> Outcome<()> {
        let mut c = self.pools.read().await?;
        let opened: HashMap<PeriodKey, Date> = meeting_figures::opened(&mut c, keys).await?.into_iter().collect();
        drop(c);
        let now = self.cutoff();
        for key in keys {
            let fresh = opened.get(key).is_some_and(|t| *t >= now || key.period().is_some_and(|p| *t >= p.to));
            if !fresh {
                self.open_for_reading(*key).await?;
            }
        }
        Ok(())
    }

    /// Open the month, quarter and year of today, or compute them again if a month has ended
    /// since (a system task, run by the server at start and every hour, so that the first
    /// meeting written in a new month does not pay for the whole tree).
    pub async fn keep_meeting_periods_current(&self) -> Outcome<()> {
        for key in PeriodKey::holding(self.today()) {
            self.open_for_reading(key).await?;
        }
        Ok(())
    }

    /// The first day of the working month: the months before it have ended.
    fn cutoff(&self) -> Date {
        meeting_figures::cutoff(self.today())
    }

    /// Open (or bring up to date) a standard period so that its figures can be read.
    async fn open_for_reading(&self, key: PeriodKey) -> Outcome<()> {
        let mut c = self.pools.read().await?;
        let now = self.cutoff();
        let fresh = meeting_figures::opened(&mut c, &[key])
            .await?
            .first()
            .is_some_and(|(_, t)| *t >= now || key.period().is_some_and(|p| *t >= p.to));
        drop(c);
        if !fresh {
            let today = self.today();
            write!(self, |tx| {
                meeting_figures::ensure_open(tx, &[key], today).await?;
                Ok(())
            })?;
        }
        Ok(())
    }

    async fn children(
        &self,
        c: &mut impl Exec,
        ids: &[Uuid],
        figures: impl Fn(Uuid) -> FigureSet,
    ) -> Outcome<Vec<ChildFigures>> {
        let mut list = orgs::by_ids(c, ids).await?;
        orgs::sort_by_name(&mut list);
        Ok(list
            .into_iter()
            .map(|o| ChildFigures {
                figures: figures(o.id),
                org_id: o.id,
                is_cell: o.kind().is_cell(),
                kind: o.kind().code().to_string(),
                name: o.input.name,
            })
            .collect())
    }

    /// A custom period, computed from the meetings of the cells under `org` (bounded).
    async fn custom_figures(&self, c: &mut impl Exec, org: &Org, p: Period) -> Outcome<(FigureSet, Vec<ChildFigures>)> {
        // The counter first: the subtree's cells are loaded only when few enough to compute.
        if org.stats.cells > CUSTOM_PERIOD_CELLS as i64 {
            return Err(too_many_cells());
        }
        let cells = meeting_figures::cells_under(c, std::slice::from_ref(&org.path)).await?;
        if cells.len() > CUSTOM_PERIOD_CELLS {
            return Err(too_many_cells());
        }
        let links = history::ancestry_links(c, &cells).await?;
        let mut held = meeting_figures::held_meetings(c, Some(&cells), p.from, p.to).await?;
        let records: Vec<CellRecord> = cells
            .iter()
            .map(|id| {
                let (from, to) = active_interval(links.get(id).map_or(&[][..], Vec::as_slice));
                CellRecord { cell_id: *id, from, to, meetings: held.remove(id).unwrap_or_default() }
            })
            .collect();
        let through = Some(self.cutoff());
        let sum = |recs: &[CellRecord]| FigureSet::of(&chibo_domain::meeting::tally::recompute(recs, p, through));
        let own = sum(&records);
        let below = orgs::children(c, org.id, true).await?;
        let mut by_child: HashMap<Uuid, Vec<CellRecord>> = HashMap::new();
        for r in &records {
            let chain = chibo_domain::meeting::attributed_to(r.cell_id, p.to.previous_day().unwrap_or(p.to), &links);
            if let Some(child) = below.iter().find(|b| chain.contains(&b.id)) {
                by_child.entry(child.id).or_default().push(r.clone());
            }
        }
        let ids: Vec<Uuid> = below.iter().map(|b| b.id).collect();
        let children = self.children(c, &ids, |id| sum(by_child.get(&id).map_or(&[][..], Vec::as_slice))).await?;
        Ok((own, children))
    }

    async fn cell_detail(&self, c: &mut impl Exec, cell: &Org, p: Period, through: Date) -> Outcome<CellDetail> {
        let last = p.to.previous_day().unwrap_or(p.to);
        let list = meetings::of_cell(c, cell.id, p.from, last).await?;
        let links = history::links_of(c, &[cell.id]).await?;
        let (from, to) = active_interval(&links);
        let held = meeting_figures::held_meetings(c, Some(&[cell.id]), p.from, p.to).await?;
        let record =
            CellRecord { cell_id: cell.id, from, to, meetings: held.get(&cell.id).cloned().unwrap_or_default() };
        let f = figures_through(std::slice::from_ref(&record), p, Some(through));
        Ok(CellDetail {
            meetings: list,
            missing_regular: f.missing_regular.into_keys().collect(),
            missing_thematic: f.missing_thematic.into_keys().collect(),
        })
    }

    /// The members of a cell absent repeatedly or without reason in `year`, worst first.
    pub async fn absence_worklist(&self, v: &Viewer, cell_id: Uuid, year: i32) -> Outcome<Vec<AbsenteeView>> {
        let mut c = self.pools.read().await?;
        let cell = load_org(&mut c, cell_id).await?;
        v.check_list(&cell.path)?;
        let (Some(from), Some(to)) = (chibo_domain::date::ymd(year, 1, 1), chibo_domain::date::ymd(year + 1, 1, 1))
        else {
            return Err(Problem::Invalid(chibo_domain::Validation {
                errors: vec![FieldError::new("year", "bad_year", "Năm: không hợp lệ.", "Year: not valid.")],
            }));
        };
        let marked: Vec<Marked> =
            meetings::marks_of_cell(&mut c, cell.id, from, to).await?.into_iter().map(|(_, m)| m).collect();
        let list = absence_worklist(&marked);
        let ids: Vec<Uuid> = list.iter().map(|a| a.member_id).collect();
        let names = self.names(&mut c, &ids).await?;
        let mut out: Vec<AbsenteeView> = list
            .into_iter()
            .map(|a| AbsenteeView { full_name: names.get(&a.member_id).cloned().unwrap_or_default(), absentee: a })
            .collect();
        out.sort_by(|a, b| {
            (b.absentee.unexcused_months, b.absentee.longest_in_a_row, b.absentee.unexcused).cmp(&(
                a.absentee.unexcused_months,
                a.absentee.longest_in_a_row,
                a.absentee.unexcused,
            ))
        });
        Ok(out)
    }
}

/// A member on the absence work list, with their name.
#[derive(Debug, Clone, Serialize)]
pub struct AbsenteeView {
    pub full_name: String,
    #[serde(flatten)]
    pub absentee: Absentee,
}
