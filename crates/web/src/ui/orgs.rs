//! The organisation page and its member list (searchable, filtered, paged by cursor).

use super::form::Opt;
use super::page::{Chrome, Ctx, UiError, parse_id, qs};
use super::text::Texts;
use super::view::{self, Item, Link, MemberRow, NodeView, item};
use crate::State;
use crate::input::{decode_cursor, encode_cursor};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State as S};
use chibo_access::domain::access::Role;
use chibo_access::domain::member::MemberStatus;
use chibo_access::{Cursor, PageRequest, Problem};
use serde::Deserialize;
use uuid::Uuid;

/// Rows per page of a member list.
const PAGE_SIZE: i64 = 50;

/// What a member list asks for (all optional text: junk means "not given").
#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    status: Option<String>,
    after: Option<String>,
    dissolved: Option<String>,
}

impl ListQuery {
    pub(super) fn search(&self) -> &str {
        self.q.as_deref().map_or("", str::trim)
    }
    pub(super) fn status(&self) -> Option<MemberStatus> {
        self.status.as_deref().and_then(MemberStatus::parse)
    }
    /// The query of this list without the cursor.
    pub(super) fn base(&self) -> String {
        format!("q={}&status={}", qs(self.search()), self.status().map_or("", MemberStatus::code))
    }
    /// The access layer's request for `limit` rows of this list after `after`.
    pub(super) fn request(&self, after: Option<Cursor>, limit: i64) -> PageRequest {
        let search = self.search();
        PageRequest { search: (!search.is_empty()).then(|| search.to_string()), status: self.status(), after, limit }
    }
}

/// A link to another page of the list: the whole page (no JavaScript) and the fragment.
pub struct PageLink {
    pub href: String,
    pub hx: String,
}

/// The member table, also returned alone to htmx.
pub struct MemberTable {
    /// The columns (`view::member_headers`), shared with the print and the spreadsheet.
    pub headers: [&'static str; 5],
    pub rows: Vec<MemberRow>,
    /// The whole list as its filters leave it: the spreadsheet and the printable page.
    pub export: String,
    pub print: String,
    pub next: Option<PageLink>,
    pub first: Option<PageLink>,
    pub searching: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "members_fragment.html")]
pub struct MembersFragment {
    t: &'static Texts,
    table: MemberTable,
}

async fn member_table(state: &State, ctx: &Ctx, id: Uuid, lq: &ListQuery) -> Result<MemberTable, Problem> {
    // A cursor that does not decode is the first page, never an error.
    let req = lq.request(lq.after.as_deref().and_then(decode_cursor), PAGE_SIZE);
    let page = state.app.members_page(&ctx.viewer, id, &req).await?;
    let link = |query: String| PageLink {
        href: format!("/orgs/{id}?{query}#members"),
        hx: format!("/ui/orgs/{id}/members?{query}"),
    };
    Ok(MemberTable {
        headers: view::member_headers(ctx.t),
        rows: page.items.iter().map(|m| MemberRow::of(m, ctx.lang)).collect(),
        export: format!("/orgs/{id}/members/list.xlsx?{}", lq.base()),
        print: format!("/orgs/{id}/members/print?{}", lq.base()),
        next: page.next.as_ref().map(|c| link(format!("{}&after={}", lq.base(), encode_cursor(c)))),
        first: req.after.is_some().then(|| link(lq.base())),
        searching: req.search.is_some() || req.status.is_some(),
    })
}

pub async fn members_fragment(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(lq): Query<ListQuery>,
) -> Result<MembersFragment, UiError> {
    let id = parse_id(&ctx, &id)?;
    let table = member_table(&state, &ctx, id, &lq).await.map_err(|p| ctx.fail(p))?;
    Ok(MembersFragment { t: ctx.t, table })
}

#[derive(Template, WebTemplate)]
#[template(path = "org.html")]
pub struct OrgPage {
    c: Chrome,
    t: &'static Texts,
    /// Advice from the rules in force (cell committee, minimum size), in the viewer's language.
    notices: Vec<String>,
    id: String,
    name: String,
    kind: &'static str,
    dissolved: bool,
    crumbs: Vec<Link>,
    details: Vec<Item>,
    counts: Vec<Item>,
    children: Vec<NodeView>,
    show_dissolved: bool,
    can_write: bool,
    can_add_child: bool,
    can_move: bool,
    can_add_member: bool,
    /// `None` when the viewer may not list the members (the member role).
    table: Option<MemberTable>,
    q: String,
    statuses: Vec<Opt>,
    /// Members waiting to be received here (writers only).
    incoming: Option<Vec<super::asof::IncomingRow>>,
    /// Today, dd/mm/yyyy (the "as of" box).
    today: String,
    is_cell: bool,
    /// The viewer is an inspection body here (an inspector or secretary grant on this very
    /// organisation): the link to its inspection work.
    inspects: bool,
    /// This year (links to the meetings of the year).
    year: i32,
    /// The organisation's dated history (restructurings, disciplines): (date, what).
    history: Vec<(String, String)>,
}

pub async fn org_page(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(lq): Query<ListQuery>,
) -> Result<OrgPage, UiError> {
    let id = parse_id(&ctx, &id)?;
    let show_dissolved = lq.dissolved.is_some();
    let ov = state.app.org(&ctx.viewer, id, show_dissolved).await.map_err(|p| ctx.fail(p))?;
    let table = match member_table(&state, &ctx, id, &lq).await {
        Ok(t) => Some(t),
        Err(Problem::Forbidden) => None,
        Err(p) => return Err(ctx.fail(p)),
    };
    let incoming = if ov.can_write {
        Some(super::asof::incoming_rows(&state, &ctx, id).await.map_err(|p| ctx.fail(p))?)
    } else {
        None
    };
    let history = state.app.org_history(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    let (t, lang, o) = (ctx.t, ctx.lang, &ov.org);
    let kind = o.kind();
    let yes_no = |b: bool| if b { t.yes } else { t.no };
    let mut details = vec![item(t.kind, kind.label(lang))];
    if let Some(s) = &o.input.short_name {
        details.push(item(t.short_name, s.clone()));
    }
    details.push(item(t.locality, view::locality(&o.input.locality)));
    details.push(item(t.established_on, view::date(o.input.established_on)));
    if o.input.dissolved_on.is_some() {
        details.push(item(t.dissolved_on, view::date(o.input.dissolved_on)));
    }
    if kind.is_cell() {
        details.push(item(t.has_cell_committee, yes_no(o.input.has_cell_committee)));
    }
    let s = &o.stats;
    let counts = vec![
        item(t.count_members, s.members.to_string()),
        item(t.count_official, s.official.to_string()),
        item(t.count_probationary, s.probationary.to_string()),
        item(t.count_female, s.female.to_string()),
        item(t.count_minority, s.minority.to_string()),
        item(t.count_cells, s.cells.to_string()),
    ];
    let status = lq.status();
    let statuses =
        std::iter::once(Opt { value: String::new(), label: t.all_statuses.to_string(), selected: status.is_none() })
            .chain(MemberStatus::ALL.iter().map(|s| Opt {
                value: s.code().to_string(),
                label: s.label(lang).to_string(),
                selected: Some(*s) == status,
            }))
            .collect();
    let active = !o.is_dissolved();
    let can_add_child =
        ov.can_write && active && chibo_access::domain::org::OrgKind::ALL.iter().any(|k| kind.may_contain(*k));
    Ok(OrgPage {
        c: ctx.chrome(o.input.name.clone()),
        t,
        id: o.id.to_string(),
        name: o.input.name.clone(),
        kind: kind.label(lang),
        dissolved: o.is_dissolved(),
        crumbs: ov
            .ancestors
            .iter()
            .map(|a| Link { href: format!("/orgs/{}", a.id), text: a.input.name.clone() })
            .collect(),
        details,
        counts,
        children: ov.children.iter().map(|c| NodeView::of(c, lang)).collect(),
        show_dissolved,
        can_write: ov.can_write,
        can_add_child,
        can_move: ov.can_move,
        notices: ov.notices.iter().map(|n| n.message(ctx.lang).to_string()).collect(),
        can_add_member: ov.can_write && active && kind.is_cell(),
        table,
        q: lq.search().to_string(),
        statuses,
        incoming,
        today: view::date(Some(ctx.today())),
        is_cell: kind.is_cell(),
        inspects: ctx
            .viewer
            .grants()
            .iter()
            .any(|g| g.org_id == o.id && matches!(g.role, Role::Inspector | Role::Secretary)),
        year: ctx.today().year(),
        history: super::org_history::lines(&history, lang),
    })
}
