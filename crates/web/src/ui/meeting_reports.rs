//! What is read from the meetings: the printable minutes (*biên bản*), the compliance figures of
//! any organisation with their drill-down, a cell's absence work list, and a member's upcoming
//! meetings with the advance notice of absence.

use super::form::Opt;
use super::meetings::{
    MeetingRow, YearQuery, count_items, expected, heading, kind_label, load, share_text, topic_of, year_of, years,
};
use super::page::{Chrome, Ctx, UiError, form_errors, parse_id, qs};
use super::text::Texts;
use super::view::{Item, Link, item};
use crate::State;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State as S};
use axum::response::{IntoResponse, Response};
use chibo_access::domain::date::{format_vn, parse_flexible};
use chibo_access::domain::meeting::{Mark, MeetingStatus, PeriodKey};
use chibo_access::{FigureSet, Lang, MissedIn, Problem, Validation};
use serde::Deserialize;
use uuid::Uuid;

// ---- The printable minutes ----

/// One absent member with the reason.
pub struct AbsentRow {
    pub name: String,
    pub mark: String,
    pub reason: String,
}

pub struct SpeakerRow {
    pub name: String,
    pub opinion: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "minutes_print.html")]
pub struct MinutesPage {
    c: Chrome,
    t: &'static Texts,
    id: String,
    /// The organisation above the cell, then the cell (the header's left column).
    parent: String,
    cell: String,
    /// "…, ngày 05 tháng 9 năm 2025".
    dateline: String,
    kind: String,
    draft: bool,
    time: String,
    place: String,
    chair: String,
    recorder: String,
    guests: String,
    totals: Vec<Item>,
    absent: Vec<AbsentRow>,
    agenda: String,
    followup: String,
    speakers: Vec<SpeakerRow>,
    conclusions: String,
    resolution: String,
    votes: String,
    ends: String,
}

/// The place of a document's dateline: the locality (the commune's name without "Xã",
/// "Phường", "Đặc khu"; else the province), not the venue of the meeting.
pub(super) fn dateline_place(l: &chibo_access::domain::org::Locality) -> String {
    let units = chibo_access::domain::admin_units::units();
    let bare = |n: &str| {
        ["Xã ", "Phường ", "Đặc khu ", "Thị trấn ", "Tỉnh ", "Thành phố "]
            .iter()
            .find_map(|p| n.strip_prefix(p))
            .unwrap_or(n)
            .to_string()
    };
    l.commune_code
        .and_then(|c| units.commune(c))
        .map(|c| bare(&c.name))
        .or_else(|| l.province_code.and_then(|p| units.province(p)).map(|p| bare(&p.name)))
        .unwrap_or_default()
}

pub(super) fn dateline(lang: Lang, place: &str, d: time::Date) -> String {
    let place = if place.is_empty() { "……" } else { place };
    match lang {
        Lang::Vi => format!("{place}, ngày {:02} tháng {} năm {}", d.day(), u8::from(d.month()), d.year()),
        Lang::En => format!("{place}, {}", format_vn(d)),
    }
}

pub async fn print(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<MinutesPage, UiError> {
    let view = load(&state, &ctx, &id).await?;
    let (t, lang, m) = (ctx.t, ctx.lang, &view.meeting);
    if !view.status.was_held() {
        return Err(ctx.fail(Problem::NotFound));
    }
    if !view.sees_roll {
        return Err(ctx.fail(Problem::Forbidden));
    }
    let parent = view.committee_name.as_deref().map(str::to_uppercase).unwrap_or_default();
    let name = |id: Option<uuid::Uuid>| {
        id.and_then(|id| view.roll.iter().find(|r| r.member_id == id)).map_or_else(String::new, |r| r.full_name.clone())
    };
    let time = match (&m.starts_at, &m.ends_at) {
        (Some(s), _) => format!("{} {s}, {} {}", t.minutes_from, lang.pick("ngày", "on"), format_vn(m.held_on)),
        _ => format_vn(m.held_on),
    };
    let base = view.vote_base.base;
    let votes = match m.votes_for {
        Some(f) => {
            let pct = if base > 0 { format!(" ({:.1}%)", f as f64 * 100.0 / f64::from(base)) } else { String::new() };
            let pct = if lang == Lang::Vi { pct.replace('.', ",") } else { pct };
            format!(
                "{}: {f}/{base}{pct}; {}: {}; {}: {}",
                t.votes_for,
                t.votes_against,
                m.votes_against.unwrap_or(0),
                t.votes_abstain,
                m.votes_abstain.unwrap_or(0)
            )
        }
        None => String::new(),
    };
    let topic = topic_of(&state, &ctx, m).await;
    let mut kind = format!(
        "{} {} {:02}/{}",
        kind_label(m, lang),
        t.month.to_lowercase(),
        u8::from(m.held_on.month()),
        m.held_on.year()
    );
    if let Some(p) = topic {
        kind = format!("{kind}: {}", p.title);
    }
    let mut totals = count_items(m, view.roll.len(), t);
    let elsewhere = view.roll.iter().filter(|r| !expected(r)).count();
    if elsewhere > 0 {
        totals.push(item(t.roll_not_expected, elsewhere.to_string()));
    }
    Ok(MinutesPage {
        c: ctx.chrome(format!("{}: {}", t.minutes_heading, heading(m, lang))),
        t,
        id: m.id.to_string(),
        parent,
        cell: view.cell.input.name.to_uppercase(),
        dateline: dateline(lang, &dateline_place(&view.cell.input.locality), m.held_on),
        kind,
        draft: view.status != MeetingStatus::Approved,
        time,
        place: m.place.clone(),
        chair: name(m.chair_id),
        recorder: name(m.recorder_id),
        guests: m.guests.clone(),
        totals,
        absent: view
            .roll
            .iter()
            .filter(|r| expected(r) && r.mark.is_some_and(|k| k != Mark::Present))
            .map(|r| AbsentRow {
                name: r.full_name.clone(),
                mark: r.mark.map_or("", |k| k.label(lang)).to_string(),
                reason: r.reason.clone(),
            })
            .collect(),
        agenda: m.agenda.clone(),
        followup: m.followup.clone(),
        speakers: view
            .speakers
            .iter()
            .map(|s| SpeakerRow { name: s.name.clone(), opinion: s.opinion.clone() })
            .collect(),
        conclusions: m.conclusions.clone(),
        resolution: m.resolution.clone(),
        votes,
        ends: m.ends_at.clone().unwrap_or_default(),
    })
}

// ---- Figures ----

/// What the period selector sends: a period code, or its parts.
#[derive(Deserialize, Default, Clone)]
pub struct PeriodQuery {
    period: Option<String>,
    /// month, quarter, year or custom.
    p: Option<String>,
    year: Option<String>,
    month: Option<String>,
    quarter: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

fn bad_period() -> Problem {
    Problem::field(
        "period",
        "bad_period",
        "Kỳ báo cáo: hãy chọn tháng, quý, năm hoặc nhập khoảng ngày dd/mm/yyyy.",
        "Period: choose a month, quarter, year, or enter dates as dd/mm/yyyy.",
    )
}

impl PeriodQuery {
    /// The period code asked for (`2025`, `2025-Q1`, `2025-03`, `2025-01-01..2025-06-30`).
    pub(super) fn code(&self, today: time::Date) -> Result<String, Problem> {
        let blank = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let year = blank(&self.year).unwrap_or_else(|| today.year().to_string());
        match blank(&self.p).as_deref() {
            None => Ok(blank(&self.period).unwrap_or(year)),
            Some("year") => Ok(year),
            Some("month") => {
                let m: u8 = blank(&self.month).and_then(|m| m.parse().ok()).ok_or_else(bad_period)?;
                Ok(format!("{year}-{m:02}"))
            }
            Some("quarter") => {
                let q: u8 = blank(&self.quarter).and_then(|q| q.parse().ok()).ok_or_else(bad_period)?;
                Ok(format!("{year}-Q{q}"))
            }
            Some("custom") => {
                let d = |v: &Option<String>| blank(v).and_then(|s| parse_flexible(&s)).ok_or_else(bad_period);
                Ok(format!("{}..{}", d(&self.from)?, d(&self.to)?))
            }
            Some(_) => Err(bad_period()),
        }
    }
}

/// "Tháng 03/2025", "Quý 1/2025", "Năm 2025", "01/01/2025 – 30/06/2025".
pub fn period_label(code: &str, t: &Texts) -> String {
    if let Some((a, b)) = code.split_once("..") {
        let f = |s: &str| parse_flexible(s).map_or_else(|| s.to_string(), format_vn);
        return format!("{} – {}", f(a), f(b));
    }
    match PeriodKey::parse(code) {
        Some(PeriodKey::Year(y)) => format!("{} {y}", t.period_year),
        Some(PeriodKey::Quarter(y, q)) => format!("{} {q}/{y}", t.quarter),
        Some(PeriodKey::Month(y, m)) => format!("{} {m:02}/{y}", t.month),
        None => code.to_string(),
    }
}

/// The headline figures of one organisation.
pub struct FigureRow {
    pub regular: String,
    pub thematic: String,
    pub attendance: String,
    pub meetings: i64,
}

impl FigureRow {
    fn of(f: &FigureSet, t: &Texts, lang: Lang) -> FigureRow {
        FigureRow {
            regular: share_text(f.regular, lang, t),
            thematic: share_text(f.thematic, lang, t),
            attendance: share_text(f.attendance, lang, t),
            meetings: f.meetings,
        }
    }
}

pub struct ChildRow {
    pub href: String,
    pub name: String,
    pub figures: FigureRow,
}

/// The columns of the table of the organisations below, on the page and in the spreadsheet.
pub(super) fn figure_headers(t: &Texts) -> [&'static str; 5] {
    [t.org_name, t.regular_share, t.thematic_share, t.attendance_share, t.meetings_count]
}

impl ChildRow {
    /// The cells of the spreadsheet, in the order of [`figure_headers`].
    pub(super) fn cells(&self) -> Vec<String> {
        let f = &self.figures;
        vec![self.name.clone(), f.regular.clone(), f.thematic.clone(), f.attendance.clone(), f.meetings.to_string()]
    }
}

/// The rows of the organisations below, each leading to its own figures for the period.
pub(super) fn child_rows(v: &chibo_access::FiguresView, t: &Texts, lang: Lang) -> Vec<ChildRow> {
    v.children
        .iter()
        .map(|c| ChildRow {
            href: format!("/orgs/{}/meeting-figures?period={}", c.org_id, qs(&v.period)),
            name: c.name.clone(),
            figures: FigureRow::of(&c.figures, t, lang),
        })
        .collect()
}

/// Cells that missed a meeting in one month or quarter: how many, those listed, and where
/// the whole list is when not all are.
pub struct MissingRow {
    pub period: String,
    pub count: i64,
    pub cells: Vec<Link>,
    pub more: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "meeting_figures.html")]
pub struct FiguresPage {
    c: Chrome,
    t: &'static Texts,
    org: Link,
    org_id: String,
    is_cell: bool,
    /// The selector: which kind of period, and its parts.
    p: String,
    years: Vec<Opt>,
    months: Vec<Opt>,
    quarters: Vec<Opt>,
    from: String,
    to: String,
    general: Vec<String>,
    label: String,
    through: String,
    figures: Option<FigureRow>,
    ratings: Vec<Item>,
    children: Vec<ChildRow>,
    headers: [&'static str; 5],
    /// The spreadsheet of the table, for a viewer who may list the subtree.
    xlsx: Option<String>,
    cell_meetings: Vec<MeetingRow>,
    missing_regular: Vec<MissingRow>,
    missing_thematic: Vec<MissingRow>,
}

pub async fn figures(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    let ov = state.app.org(&ctx.viewer, id, true).await.map_err(|p| ctx.fail(p))?;
    let (t, lang) = (ctx.t, ctx.lang);
    let outcome = match q.code(ctx.today()) {
        Ok(code) => state.app.meeting_figures(&ctx.viewer, id, &code).await,
        Err(p) => Err(p),
    };
    let (view, errors, status) = match outcome {
        Ok(v) => (Some(v), Validation::default(), axum::http::StatusCode::OK),
        Err(p) => {
            let (e, s) = form_errors(&ctx, p)?;
            (None, e, s)
        }
    };
    // The selector shows the period computed (or the one asked for).
    let code = view.as_ref().map_or_else(|| q.code(ctx.today()).unwrap_or_default(), |v| v.period.clone());
    let key = PeriodKey::parse(&code);
    let p = match (key, code.contains("..")) {
        (_, true) => "custom",
        (Some(PeriodKey::Month(..)), _) => "month",
        (Some(PeriodKey::Quarter(..)), _) => "quarter",
        _ => q.p.as_deref().filter(|p| ["month", "quarter", "year", "custom"].contains(p)).unwrap_or("year"),
    };
    let year = match key {
        Some(PeriodKey::Year(y) | PeriodKey::Quarter(y, _) | PeriodKey::Month(y, _)) => y,
        None => year_of(&q.year, ctx.today()),
    };
    let (month, quarter) = match key {
        Some(PeriodKey::Month(_, m)) => (m, (m - 1) / 3 + 1),
        Some(PeriodKey::Quarter(_, q)) => (q * 3 - 2, q),
        _ => (u8::from(ctx.today().month()), (u8::from(ctx.today().month()) - 1) / 3 + 1),
    };
    let opts = |n: u8, chosen: u8, label: &str| -> Vec<Opt> {
        (1..=n).map(|i| Opt { value: i.to_string(), label: format!("{label} {i}"), selected: i == chosen }).collect()
    };
    let (from, to) = match &view {
        Some(v) if p == "custom" => (format_vn(v.from), format_vn(v.last)),
        _ => (q.from.clone().unwrap_or_default(), q.to.clone().unwrap_or_default()),
    };
    let general = if errors.errors.is_empty() {
        Vec::new()
    } else {
        errors.errors.iter().map(|e| e.message(lang).to_string()).collect()
    };
    let link_period = qs(&code);
    let missing =
        |list: &[chibo_access::MissedIn]| -> Vec<MissingRow> { list.iter().map(|m| missing_row(id, m, t)).collect() };
    let cell_missing = |list: &[(i32, u8)], quarter: bool| -> Vec<MissingRow> {
        list.iter()
            .map(|(y, n)| MissingRow {
                period: if quarter { format!("{} {n}/{y}", t.quarter) } else { format!("{} {n:02}/{y}", t.month) },
                count: 0,
                cells: Vec::new(),
                more: None,
            })
            .collect()
    };
    let page = FiguresPage {
        c: ctx.chrome(format!("{}: {}", t.figures_heading, ov.org.input.name)),
        t,
        org: Link { href: format!("/orgs/{id}"), text: ov.org.input.name.clone() },
        org_id: id.to_string(),
        is_cell: ov.org.kind().is_cell(),
        p: p.to_string(),
        years: years(year, ctx.today()),
        months: opts(12, month, t.month),
        quarters: opts(4, quarter, t.quarter),
        from,
        to,
        general,
        label: if code.is_empty() { String::new() } else { period_label(&code, t) },
        through: view.as_ref().map(|v| format_vn(v.through.min(v.last))).unwrap_or_default(),
        figures: view.as_ref().map(|v| FigureRow::of(&v.figures, t, lang)),
        ratings: view.as_ref().map_or_else(Vec::new, |v| {
            let mut r: Vec<Item> = v.figures.ratings.iter().map(|(k, n)| item(k.label(lang), n.to_string())).collect();
            r.push(item(t.unrated, v.figures.unrated.to_string()));
            r
        }),
        children: view.as_ref().map_or_else(Vec::new, |v| child_rows(v, t, lang)),
        headers: figure_headers(t),
        // The sheet lists the organisations below under the right to list them.
        xlsx: ctx
            .viewer
            .check_list(&ov.org.path)
            .is_ok()
            .then(|| format!("/orgs/{id}/meeting-figures.xlsx?period={link_period}")),
        cell_meetings: view
            .as_ref()
            .and_then(|v| v.cell.as_ref())
            .map_or_else(Vec::new, |c| c.meetings.iter().map(|m| MeetingRow::of(m, t, lang)).collect()),
        missing_regular: view.as_ref().map_or_else(Vec::new, |v| match (&v.cell, &v.missing) {
            (Some(c), _) => cell_missing(&c.missing_regular, false),
            (None, Some(m)) => missing(&m.regular),
            _ => Vec::new(),
        }),
        missing_thematic: view.as_ref().map_or_else(Vec::new, |v| match (&v.cell, &v.missing) {
            (Some(c), _) => cell_missing(&c.missing_thematic, true),
            (None, Some(m)) => missing(&m.thematic),
            _ => Vec::new(),
        }),
    };
    Ok((status, page).into_response())
}

// ---- Absence work list ----

pub struct AbsenteeRow {
    pub member_id: String,
    /// The member's cell (shown above a cell).
    pub cell: Link,
    pub name: String,
    pub concerns: Vec<&'static str>,
    pub longest: u32,
    pub unexcused: u32,
    pub unexcused_months: u32,
    pub last: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "meeting_absences.html")]
pub struct AbsencesPage {
    c: Chrome,
    t: &'static Texts,
    org: Link,
    org_id: String,
    year: i32,
    years: Vec<Opt>,
    rows: Vec<AbsenteeRow>,
    headers: Vec<&'static str>,
    /// The list gathers several cells: a column names each member's cell.
    many_cells: bool,
    /// The subtree has too many cells to gather (pick a smaller organisation).
    too_many: bool,
}

/// The columns of the absence list, on the page and in the spreadsheet (the cell's column
/// when the list gathers several cells).
pub(super) fn absence_headers(t: &Texts, many_cells: bool) -> Vec<&'static str> {
    let mut h = vec![t.full_name];
    if many_cells {
        h.push(t.cell_column);
    }
    h.extend([t.reason, t.longest_run, t.unexcused_times, t.unexcused_months, t.last_absence]);
    h
}

impl AbsenteeRow {
    /// The cells of the spreadsheet, in the order of [`absence_headers`].
    pub(super) fn cells(&self, many_cells: bool) -> Vec<String> {
        let mut out = vec![self.name.clone()];
        if many_cells {
            out.push(self.cell.text.clone());
        }
        out.extend([
            self.concerns.join(", "),
            self.longest.to_string(),
            self.unexcused.to_string(),
            self.unexcused_months.to_string(),
            self.last.clone(),
        ]);
        out
    }
}

/// The absence list of `id`'s subtree for `year`: the organisation, the rows, whether it
/// gathers several cells, and whether it has too many cells to gather.
pub(super) async fn absence_rows(
    state: &State,
    ctx: &Ctx,
    id: Uuid,
    year: i32,
) -> Result<(chibo_access::OrgView, Vec<AbsenteeRow>, bool, bool), UiError> {
    let ov = state.app.org(&ctx.viewer, id, true).await.map_err(|p| ctx.fail(p))?;
    let gathered = state.app.absences_under(&ctx.viewer, id, year).await.map_err(|p| ctx.fail(p))?;
    let lang = ctx.lang;
    let too_many = gathered.is_none();
    let gathered = gathered.unwrap_or_default();
    let mut rows = Vec::new();
    for part in &gathered {
        let cell = Link { href: format!("/orgs/{}/absences?year={year}", part.cell_id), text: part.cell_name.clone() };
        rows.extend(part.absentees.iter().map(|a| AbsenteeRow {
            member_id: a.absentee.member_id.to_string(),
            cell: cell.clone(),
            name: a.full_name.clone(),
            concerns: a.absentee.concerns.iter().map(|c| c.label(lang)).collect(),
            longest: a.absentee.longest_in_a_row,
            unexcused: a.absentee.unexcused,
            unexcused_months: a.absentee.unexcused_months,
            last: a.absentee.last_absence.map(format_vn).unwrap_or_default(),
        }));
    }
    let many_cells = !ov.org.kind().is_cell();
    Ok((ov, rows, many_cells, too_many))
}

pub async fn absences(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<AbsencesPage, UiError> {
    let id = parse_id(&ctx, &id)?;
    let year = year_of(&q.year, ctx.today());
    let (ov, rows, many_cells, too_many) = absence_rows(&state, &ctx, id, year).await?;
    let t = ctx.t;
    Ok(AbsencesPage {
        c: ctx.chrome(t.absences_heading),
        t,
        org: Link { href: format!("/orgs/{id}"), text: ov.org.input.name.clone() },
        org_id: id.to_string(),
        year,
        years: years(year, ctx.today()),
        rows,
        headers: absence_headers(t, many_cells),
        many_cells,
        too_many,
    })
}

/// One period's line on the figures page: the count, the cells listed inline, and a link to
/// the whole list when they are not all there.
fn missing_row(org: Uuid, m: &MissedIn, t: &'static Texts) -> MissingRow {
    let listed_all = m.next.is_none() && m.cells.len() as i64 >= m.count;
    MissingRow {
        period: period_label(&m.period, t),
        count: m.count,
        cells: m.cells.iter().map(|c| cell_link(c, &m.period)).collect(),
        more: (!listed_all).then(|| format!("/orgs/{org}/meeting-figures/missing?period={}", qs(&m.period))),
    }
}

/// A cell that missed a meeting: its meetings of the period's year, the missed months marked.
pub(super) fn cell_link(c: &chibo_access::NamedCell, period: &str) -> Link {
    let year = period.get(..4).and_then(|y| y.parse::<i32>().ok());
    let href = match year {
        Some(y) => format!("/orgs/{}/meetings?year={y}#missed", c.id),
        None => format!("/orgs/{}/meetings", c.id),
    };
    Link { href, text: c.name.clone() }
}
