//! The annual review on the home pages (*kiểm điểm, đánh giá, xếp loại* as a daily task): a
//! member sees the open round they are to assess themselves in, a secretary the open round in
//! which the cell's members wait for the cell's opinion. Reads only; each row links to the page
//! where the step is taken.

use crate::load::{load_member, load_org, member_target};
use crate::review::period_label;
use crate::{Chibo, Outcome, Viewer};
use chibo_domain::access::Action;
use chibo_domain::review::RoundStatus;
use chibo_store::orgs;
use chibo_store::review::{self, LineColumn};
use serde::Serialize;
use uuid::Uuid;

/// An open round in which one of the viewer's own member records has a line.
#[derive(Debug, Clone, Serialize)]
pub struct OwnReview {
    pub round_id: Uuid,
    pub member_id: Uuid,
    /// "năm 2026", "quý IV/2026" …
    pub period_label: String,
    /// The member is rated in this round (not too new, not exempt).
    pub rated: bool,
    /// The self-assessment is saved.
    pub self_assessed: bool,
    /// The last day to assess oneself.
    pub self_due: time::Date,
}

/// An open round over a cell, with what waits for the cell in it.
#[derive(Debug, Clone, Serialize)]
pub struct CellReview {
    pub round_id: Uuid,
    pub period_label: String,
    /// Rated members of the cell without the cell's opinion yet.
    pub without_opinion: usize,
    /// Rated members of the cell who have not assessed themselves yet.
    pub not_self_assessed: usize,
    /// The last day for the cell's opinion.
    pub cell_due: time::Date,
}

impl Chibo {
    /// The open rounds in which the viewer's own member records are reviewed (the member's
    /// home), newest period first.
    pub async fn own_reviews(&self, v: &Viewer) -> Outcome<Vec<OwnReview>> {
        let mut c = self.pools.read().await?;
        let mut out = Vec::new();
        for member_id in v.own_member_ids() {
            let member = load_member(&mut c, member_id).await?;
            if !v.may(Action::CorrectOwn, member_target(&member)) {
                continue;
            }
            for line in review::lines_of_member(&mut c, member_id).await? {
                let Some(round) = review::round_by_id(&mut c, line.round_id).await? else { continue };
                if round.status != RoundStatus::Open || line.level.is_some() {
                    continue;
                }
                out.push(OwnReview {
                    round_id: round.id,
                    member_id,
                    period_label: period_label(&round.period),
                    rated: line.not_rated.is_none(),
                    self_assessed: line.self_at.is_some(),
                    self_due: round.self_due,
                });
            }
        }
        out.sort_by_key(|r| std::cmp::Reverse(r.self_due));
        Ok(out)
    }

    /// The open rounds over a cell (opened on the cell or an organisation above it) with what
    /// waits for the cell in each (the secretary's home). Needs the right to list the cell.
    pub async fn cell_reviews(&self, v: &Viewer, cell_id: Uuid) -> Outcome<Vec<CellReview>> {
        let mut c = self.pools.read().await?;
        let cell = load_org(&mut c, cell_id).await?;
        v.check_list(&cell.path)?;
        let mut over: Vec<Uuid> = orgs::ancestors(&mut c, &cell.path).await?.into_iter().map(|o| o.id).collect();
        over.push(cell.id);
        let mut out = Vec::new();
        for round in review::rounds_on(&mut c, &over).await? {
            if round.status != RoundStatus::Open {
                continue;
            }
            let lines = review::member_lines_by(&mut c, round.id, LineColumn::Cell, cell.id).await?;
            let rated: Vec<_> = lines.iter().filter(|l| l.not_rated.is_none()).collect();
            if rated.is_empty() {
                continue;
            }
            out.push(CellReview {
                round_id: round.id,
                period_label: period_label(&round.period),
                without_opinion: rated.iter().filter(|l| l.cell_level.is_none()).count(),
                not_self_assessed: rated.iter().filter(|l| l.self_at.is_none()).count(),
                cell_due: round.cell_due,
            });
        }
        Ok(out)
    }
}
