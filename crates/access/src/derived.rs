//! Data derived from the tree, kept in step with every change of it in one place.
//!
//! A tree change (an edit of an organisation, a move, a renaming, a dissolution, a new
//! organisation) runs inside [`with_derived`], which takes the derived data of the subtree out
//! before the change and computes it again after: the meeting figures (`meeting_figures`: each
//! cell's figures summed into its ancestors per period), the review figures
//! (`review_figures`: each review line counted in its ancestors per period) and the inspection
//! figures (`inspection_figures`: each case counted in its subject's ancestors per period), the
//! organisations owed coverage (`inspection_owed`: each active organisation counted in the
//! organisations above it now); and when the change moved the organisation's links, the kept
//! changes of the members of its subtree since then (`change_counts`: each change counted in
//! the tree of its date).

use crate::Outcome;
use chibo_domain::Problem;
use chibo_domain::life::Link;
use chibo_domain::meeting::PeriodKey;
use chibo_store::{Tx, change_counts, history, orgs};
use chibo_store::{inspection_figures, inspection_owed, meeting_figures, review_figures};
use time::Date;
use uuid::Uuid;

/// Run `change` on the tree at `org` (its subtree; `org` may be created by the change) with
/// the derived data of the subtree from `since` (`None`: every period) taken out before and
/// put back after, attributed with the links as they are then.
pub(crate) async fn with_derived<T>(
    tx: &mut Tx,
    org: Uuid,
    since: Option<Date>,
    change: impl AsyncFnOnce(&mut Tx) -> Outcome<T>,
) -> Outcome<T> {
    let figures = detach_figures(tx, org, since).await?;
    let (reviews, inspections, owed) = match orgs::by_id(tx, org).await? {
        Some(o) => (
            Some(review_figures::detach(tx, &o.path, since).await?),
            Some(inspection_figures::detach(tx, &o.path).await?),
            inspection_owed::detach(tx, &o.path).await?,
        ),
        None => (None, None, inspection_owed::Detached::default()),
    };
    let links = history::links_of(tx, &[org]).await?;
    let value = change(tx).await?;
    inspection_owed::attach(tx, owed, org).await?;
    // A new organisation (no links before) has no member's change to move.
    if !links.is_empty() && placement(&history::links_of(tx, &[org]).await?) != placement(&links) {
        change_counts::relinked(tx, org, since, &links).await?;
    }
    attach_figures(tx, org, figures).await?;
    if let Some(r) = reviews {
        review_figures::attach(tx, &r).await?;
    }
    if let Some(i) = inspections {
        inspection_figures::attach(tx, &i).await?;
    }
    Ok(value)
}

/// Where links put an organisation (names left out: a renaming moves no count).
fn placement(links: &[Link]) -> Vec<(Option<Uuid>, Option<Date>, Option<Date>)> {
    let mut out: Vec<_> = links.iter().map(|l| (l.parent_id, l.from, l.to)).collect();
    out.sort();
    out
}

/// The meeting figures taken out of the sums: the cells and the open periods.
struct Detached {
    cells: Vec<Uuid>,
    keys: Vec<(PeriodKey, Date)>,
}

/// The cells under `org` (none while it does not exist).
async fn cells_under(tx: &mut Tx, org: Uuid) -> Outcome<Vec<Uuid>> {
    match orgs::by_id(tx, org).await? {
        Some(o) => meeting_figures::cells_under(tx, std::slice::from_ref(&o.path)).await.map_err(Problem::from),
        None => Ok(Vec::new()),
    }
}

async fn detach_figures(tx: &mut Tx, org: Uuid, since: Option<Date>) -> Outcome<Detached> {
    let keys = meeting_figures::opened_since(tx, since).await?;
    if keys.is_empty() {
        return Ok(Detached { cells: Vec::new(), keys });
    }
    let cells = cells_under(tx, org).await?;
    meeting_figures::detach(tx, &cells, &keys).await?;
    Ok(Detached { cells, keys })
}

/// Compute the figures of the cells taken out, and of any cell the change created, again.
async fn attach_figures(tx: &mut Tx, org: Uuid, d: Detached) -> Outcome<()> {
    if d.keys.is_empty() {
        return Ok(());
    }
    let mut cells = d.cells;
    for cell in cells_under(tx, org).await? {
        if !cells.contains(&cell) {
            cells.push(cell);
        }
    }
    meeting_figures::attach(tx, &cells, &d.keys).await.map_err(Problem::from)
}
