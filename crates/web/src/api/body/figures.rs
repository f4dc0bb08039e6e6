//! Compliance figures of an organisation for a period, the cells that missed meetings, and the
//! absence work list.

use super::iso;
use super::meetings::{MeetingRow, ShareBody};
use chibo_access::{AbsenteeView, FigureSet, FiguresView, Lang, MissedIn};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// How many meetings got a rating.
#[derive(Debug, Serialize, ToSchema)]
pub struct RatingCount {
    pub rating: String,
    pub label: String,
    pub count: i64,
}

/// Shares of cells holding the regular and thematic meetings, pooled attendance, ratings.
#[derive(Debug, Serialize, ToSchema)]
pub struct FigureSetBody {
    pub regular: ShareBody,
    pub thematic: ShareBody,
    pub attendance: ShareBody,
    pub meetings: i64,
    pub ratings: Vec<RatingCount>,
    pub unrated: i64,
}

impl FigureSetBody {
    pub fn new(f: &FigureSet, lang: Lang) -> FigureSetBody {
        FigureSetBody {
            regular: f.regular.into(),
            thematic: f.thematic.into(),
            attendance: f.attendance.into(),
            meetings: f.meetings,
            ratings: f
                .ratings
                .iter()
                .map(|(r, n)| RatingCount { rating: r.code().to_string(), label: r.label(lang).to_string(), count: *n })
                .collect(),
            unrated: f.unrated,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FiguresOrg {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
}

/// An organisation below, with its figures (drill-down).
#[derive(Debug, Serialize, ToSchema)]
pub struct ChildFiguresBody {
    pub org_id: Uuid,
    pub name: String,
    pub kind: String,
    pub is_cell: bool,
    pub figures: FigureSetBody,
}

/// A cell's meetings in the period and the months (`yyyy-mm`) and quarters (`yyyy-Qn`) it missed.
#[derive(Debug, Serialize, ToSchema)]
pub struct CellFiguresBody {
    pub meetings: Vec<MeetingRow>,
    pub missing_regular: Vec<String>,
    pub missing_thematic: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CellRef {
    pub id: Uuid,
    pub name: String,
}

/// The cells that missed the meeting of one month or quarter (one page; `next` is the offset of
/// the following page).
#[derive(Debug, Serialize, ToSchema)]
pub struct MissedBody {
    pub period: String,
    pub count: i64,
    pub cells: Vec<CellRef>,
    pub next: Option<i64>,
}

impl From<&MissedIn> for MissedBody {
    fn from(m: &MissedIn) -> Self {
        MissedBody {
            period: m.period.clone(),
            count: m.count,
            cells: m.cells.iter().map(|c| CellRef { id: c.id, name: c.name.clone() }).collect(),
            next: m.next,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MissingBody {
    pub regular: Vec<MissedBody>,
    pub thematic: Vec<MissedBody>,
}

/// The figures of an organisation for a period, as of the tree of the period.
#[derive(Debug, Serialize, ToSchema)]
pub struct FiguresBody {
    pub org: FiguresOrg,
    pub period: String,
    pub from: String,
    pub last: String,
    pub through: String,
    pub figures: FigureSetBody,
    pub children: Vec<ChildFiguresBody>,
    /// For a cell: its meetings and the periods it missed.
    pub cell: Option<CellFiguresBody>,
    /// Above a cell: the cells missing meetings.
    pub missing: Option<MissingBody>,
}

impl FiguresBody {
    pub fn new(f: &FiguresView, lang: Lang) -> FiguresBody {
        let named = |list: &[MissedIn]| list.iter().map(MissedBody::from).collect::<Vec<_>>();
        let periods = |list: &[(i32, u8)], quarter: bool| {
            list.iter()
                .map(|(y, n)| if quarter { format!("{y:04}-Q{n}") } else { format!("{y:04}-{n:02}") })
                .collect::<Vec<_>>()
        };
        FiguresBody {
            org: FiguresOrg {
                id: f.org.id,
                name: f.org.input.name.clone(),
                kind: f.org.kind().code().to_string(),
                kind_label: f.org.kind().label(lang).to_string(),
            },
            period: f.period.clone(),
            from: iso(f.from),
            last: iso(f.last),
            through: iso(f.through),
            figures: FigureSetBody::new(&f.figures, lang),
            children: f
                .children
                .iter()
                .map(|c| ChildFiguresBody {
                    org_id: c.org_id,
                    name: c.name.clone(),
                    kind: c.kind.clone(),
                    is_cell: c.is_cell,
                    figures: FigureSetBody::new(&c.figures, lang),
                })
                .collect(),
            cell: f.cell.as_ref().map(|c| CellFiguresBody {
                meetings: c.meetings.iter().map(|m| MeetingRow::new(m, lang)).collect(),
                missing_regular: periods(&c.missing_regular, false),
                missing_thematic: periods(&c.missing_thematic, true),
            }),
            missing: f
                .missing
                .as_ref()
                .map(|m| MissingBody { regular: named(&m.regular), thematic: named(&m.thematic) }),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConcernBody {
    pub code: String,
    pub label: String,
}

/// A member absent repeatedly or without reason in a year.
#[derive(Debug, Serialize, ToSchema)]
pub struct AbsenteeBody {
    pub member_id: Uuid,
    pub full_name: String,
    pub year: i32,
    pub longest_in_a_row: u32,
    pub longest_excused_in_a_row: u32,
    pub unexcused: u32,
    pub unexcused_months: u32,
    pub last_absence: Option<String>,
    pub concerns: Vec<ConcernBody>,
}

impl AbsenteeBody {
    pub fn new(a: &AbsenteeView, lang: Lang) -> AbsenteeBody {
        let x = &a.absentee;
        AbsenteeBody {
            member_id: x.member_id,
            full_name: a.full_name.clone(),
            year: x.year,
            longest_in_a_row: x.longest_in_a_row,
            longest_excused_in_a_row: x.longest_excused_in_a_row,
            unexcused: x.unexcused,
            unexcused_months: x.unexcused_months,
            last_absence: x.last_absence.map(iso),
            concerns: x
                .concerns
                .iter()
                .map(|c| ConcernBody { code: c.code().to_string(), label: c.label(lang).to_string() })
                .collect(),
        }
    }
}
