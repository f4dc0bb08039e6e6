//! The annual review's steps on the home pages: the member's own self-assessment, the cell's
//! opinion for a secretary (what `chibo_access::Chibo::own_reviews` and `cell_reviews` read).

use super::page::{Ctx, UiError};
use crate::State;
use chibo_access::domain::date::format_vn;

/// A step of the review to take, and where.
pub struct ReviewLink {
    pub action: &'static str,
    pub text: String,
    pub href: String,
}

/// The open rounds the viewer's own records are in, each linking to the member's page of the
/// round (where the self-assessment is written).
pub async fn own_reviews(state: &State, ctx: &Ctx) -> Result<Vec<ReviewLink>, UiError> {
    let t = ctx.t;
    let reviews = state.app.own_reviews(&ctx.viewer).await.map_err(|p| ctx.fail(p))?;
    Ok(reviews
        .into_iter()
        .map(|r| {
            let state = if !r.rated {
                t.home_review_not_rated.to_string()
            } else if r.self_assessed {
                t.home_review_self_done.to_string()
            } else {
                format!("{} {}", t.home_review_due, format_vn(r.self_due))
            };
            ReviewLink {
                action: t.home_review_self,
                text: format!("{} — {state}", lower_first(&r.period_label)),
                href: format!("/reviews/{}/members/{}", r.round_id, r.member_id),
            }
        })
        .collect())
}

/// The open rounds over a secretary's cell in which members wait for the cell's opinion.
pub async fn cell_reviews(state: &State, ctx: &Ctx, cell: uuid::Uuid) -> Result<Vec<ReviewLink>, UiError> {
    let t = ctx.t;
    let reviews = state.app.cell_reviews(&ctx.viewer, cell).await.map_err(|p| ctx.fail(p))?;
    Ok(reviews
        .into_iter()
        .filter(|r| r.without_opinion > 0)
        .map(|r| ReviewLink {
            action: t.home_review_cell,
            text: format!(
                "{}: {} {} ({} {}; {} {})",
                r.period_label,
                r.without_opinion,
                t.home_review_without,
                r.not_self_assessed,
                t.home_review_not_self,
                t.home_review_due,
                format_vn(r.cell_due)
            ),
            href: format!("/reviews/{}/cells/{cell}", r.round_id),
        })
        .collect())
}

/// "Năm 2026" as it reads after another word: "năm 2026".
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}
