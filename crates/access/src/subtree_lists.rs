//! Work lists of an organisation above the cells, gathered from its cells so that they agree
//! with the cells' own lists: the absence work list of a commune is its cells' lists together.

use crate::load::load_org;
use crate::{AbsenteeView, Chibo, Outcome, Viewer};
use chibo_store::{meeting_figures, orgs};
use uuid::Uuid;

/// The most cells gathered into one list (a commune has tens; a province is asked cell by
/// cell or commune by commune).
pub const ABSENCE_CELLS_MAX: usize = 300;

/// One cell's part of a gathered absence list.
#[derive(Debug, Clone)]
pub struct CellAbsences {
    pub cell_id: Uuid,
    pub cell_name: String,
    pub absentees: Vec<AbsenteeView>,
}

impl Chibo {
    /// The absence work list of `org_id` in `year`: its own when it is a cell, else its cells'
    /// lists (the cells with nobody listed left out), cells in name order. `None` when the
    /// subtree has more than [`ABSENCE_CELLS_MAX`] cells.
    pub async fn absences_under(&self, v: &Viewer, org_id: Uuid, year: i32) -> Outcome<Option<Vec<CellAbsences>>> {
        let cells = {
            let mut c = self.pools.read().await?;
            let org = load_org(&mut c, org_id).await?;
            v.check_list(&org.path)?;
            let ids = meeting_figures::cells_under(&mut c, std::slice::from_ref(&org.path)).await?;
            if ids.len() > ABSENCE_CELLS_MAX {
                return Ok(None);
            }
            let mut cells = orgs::by_ids(&mut c, &ids).await?;
            orgs::sort_by_name(&mut cells);
            cells
        };
        let mut out = Vec::new();
        for cell in cells {
            let absentees = self.absence_worklist(v, cell.id, year).await?;
            if !absentees.is_empty() || cell.id == org_id {
                out.push(CellAbsences { cell_id: cell.id, cell_name: cell.input.name, absentees });
            }
        }
        Ok(Some(out))
    }
}
