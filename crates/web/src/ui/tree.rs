//! The tree page: the viewer's organisations as a tree that opens lazily, and a name search.

use super::page::{Chrome, Ctx, UiError, parse_id};
use super::text::Texts;
use super::view::NodeView;
use crate::State;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State as S};
use chibo_access::Org;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "tree.html")]
pub struct TreePage {
    c: Chrome,
    t: &'static Texts,
    nodes: Vec<NodeView>,
    q: String,
    results: Option<Vec<NodeView>>,
    empty: &'static str,
}

/// A list of organisations (children of a node, or search results).
#[derive(Template, WebTemplate)]
#[template(path = "tree_nodes.html")]
pub struct NodesFragment {
    t: &'static Texts,
    nodes: Vec<NodeView>,
    /// Shown when the list is empty.
    empty: &'static str,
}

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    pub q: Option<String>,
}

fn nodes(ctx: &Ctx, orgs: Vec<Org>) -> Vec<NodeView> {
    orgs.iter().map(|o| NodeView::of(o, ctx.lang)).collect()
}

async fn search(state: &State, ctx: &Ctx, q: &str) -> Result<Vec<NodeView>, UiError> {
    let found = state.app.search_orgs(&ctx.viewer, q, 30).await.map_err(|p| ctx.fail(p))?;
    Ok(nodes(ctx, found))
}

/// The tree page (`/tree`): the viewer's organisations, and the search's results.
pub async fn page(state: &State, ctx: &Ctx, sq: SearchQuery) -> Result<TreePage, UiError> {
    let homes = state.app.home_orgs(&ctx.viewer).await.map_err(|p| ctx.fail(p))?;
    let q = sq.q.unwrap_or_default().trim().to_string();
    let results = if q.is_empty() { None } else { Some(search(state, ctx, &q).await?) };
    Ok(TreePage { c: ctx.chrome(ctx.t.tree), t: ctx.t, nodes: nodes(ctx, homes), q, results, empty: ctx.t.no_orgs })
}

pub async fn children(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<NodesFragment, UiError> {
    let id = parse_id(&ctx, &id)?;
    let kids = state.app.org_children(&ctx.viewer, id, false).await.map_err(|p| ctx.fail(p))?;
    Ok(NodesFragment { t: ctx.t, nodes: nodes(&ctx, kids), empty: ctx.t.no_children })
}

pub async fn search_fragment(
    S(state): S<State>,
    ctx: Ctx,
    Query(sq): Query<SearchQuery>,
) -> Result<NodesFragment, UiError> {
    let q = sq.q.unwrap_or_default();
    let (nodes, empty) =
        if q.trim().is_empty() { (Vec::new(), "") } else { (search(&state, &ctx, q.trim()).await?, ctx.t.no_orgs) };
    Ok(NodesFragment { t: ctx.t, nodes, empty })
}
