//! Trends over years of a subtree (*xu hướng qua các năm*, `chibo_domain::report::trend`): the
//! members at each year's end from the dated ledger (the tree of that day, one sum per year),
//! the admissions and exits of each year from the changes kept per month (`change_counts`, the
//! tree of each change's date), read once for the whole span. As data, and as `.xlsx` with the
//! page's columns ([`trend_headers`]).

use crate::list_sheet::{sheet_error, title_block};
use crate::{Chibo, Outcome, Viewer};
use chibo_domain::Lang;
use chibo_domain::meeting::Period;
use chibo_domain::report::{YearPoint, whole_months, year_end, year_points};
use chibo_store::{change_counts, history};
use serde::Serialize;
use uuid::Uuid;

/// How many years a trend covers, the year in progress included.
pub const TREND_YEARS: i32 = 10;

#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    pub org_id: Uuid,
    pub org_name: String,
    /// Oldest first.
    pub points: Vec<YearPoint>,
}

/// The columns of the trend's table, on the page and in the spreadsheet (and the charts'
/// series).
pub fn trend_headers(lang: Lang) -> [&'static str; 4] {
    [
        lang.pick("Năm", "Year"),
        lang.pick("Đảng viên cuối năm", "Members at the year's end"),
        lang.pick("Kết nạp, kết nạp lại", "Admitted, re-admitted"),
        lang.pick("Ra khỏi danh sách", "Exits"),
    ]
}

impl Chibo {
    /// The trend as `.xlsx`: a title block (organisation, years, who printed it), then the
    /// page's table, a year a row.
    pub async fn report_trend_xlsx(&self, v: &Viewer, org_id: Uuid) -> Outcome<Vec<u8>> {
        let t = self.report_trend(v, org_id).await?;
        let lang = v.lang();
        let years = match (t.points.first(), t.points.last()) {
            (Some(a), Some(b)) => format!("{} {}–{}", lang.pick("Năm", "Years"), a.year, b.year),
            _ => String::new(),
        };
        let title = title_block(v, ("XU HƯỚNG QUA CÁC NĂM", "TRENDS OVER THE YEARS"), t.org_name, &years, self.today());
        let rows = t
            .points
            .iter()
            .map(|p| vec![p.year.to_string(), p.members.to_string(), p.admissions.to_string(), p.exits.to_string()]);
        chibo_sheets::write_xlsx(&title, &trend_headers(lang), rows).map_err(sheet_error)
    }

    /// The last [`TREND_YEARS`] years of `org_id`'s subtree. The same rights as the report.
    pub async fn report_trend(&self, v: &Viewer, org_id: Uuid) -> Outcome<Trend> {
        let now = self.today();
        let years: Vec<i32> = (now.year() - TREND_YEARS + 1..=now.year()).collect();
        let first = years.first().copied().unwrap_or(now.year());
        let mut c = self.pools.snapshot().await?;
        let span = format!("{first}-01-01..{now}");
        let s = self.report_scope(v, &mut c, org_id, None, &span).await?;
        let mut members = Vec::with_capacity(years.len());
        for &year in &years {
            let n = match year_end(year, now) {
                Some(end) => history::tallies_on(&mut c, &[org_id], end).await?.get(&org_id).map_or(0, |t| t.members),
                None => 0,
            };
            members.push(u64::try_from(n).unwrap_or(0));
        }
        let rows = change_counts::months(&mut c, org_id, &format!("{first}-01"), &format!("{}-12", now.year())).await?;
        let n = |p: Period, line: &str| {
            whole_months(p.from, p.to).map_or(0, |(a, b)| change_counts::sum(&rows, &a, &b, line))
        };
        Ok(Trend { org_id, org_name: s.name, points: year_points(&years, &members, n) })
    }
}
