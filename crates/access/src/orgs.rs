//! Organisations: read the tree, create, edit, dissolve and move, within the grants.

use crate::derived::with_derived;
use crate::load::{field_if_hidden, load_org, not_found_field, org_target};
use crate::transaction::write;
use crate::tree::{
    Dated, check_date, check_empty_after, dissolve, established_conflict, insert_org, latest_change, record,
};
use crate::when_missing;
use crate::{Chibo, Outcome, Viewer, snapshot};
use chibo_domain::access::{Action, Target};
use chibo_domain::life::Decision;
use chibo_domain::org::{OrgInput, check_not_future};
use chibo_domain::{FieldError, Problem, collation, path};
use chibo_store::Tx;
use chibo_store::orgs::{self, Org, OrgStats};
use serde::Serialize;
use uuid::Uuid;

/// An organisation as its page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct OrgView {
    pub org: Org,
    /// Ancestors the viewer may read, root first.
    pub ancestors: Vec<Org>,
    pub children: Vec<Org>,
    pub can_write: bool,
    /// Whether a move could succeed: the viewer may change the organisation and its parent
    /// (a move needs the organisation and a new parent both writable).
    pub can_move: bool,
    /// Advice from the rules in force today about the organisation's form (cell committee,
    /// minimum size, base committee), from its counters.
    pub notices: Vec<chibo_domain::FieldError>,
}

impl Chibo {
    /// The organisations the viewer starts from: the top of each granted subtree.
    pub async fn home_orgs(&self, v: &Viewer) -> Outcome<Vec<Org>> {
        let mut c = self.pools.read().await?;
        if v.console {
            return orgs::roots(&mut c).await.map_err(Problem::from);
        }
        let mut paths: Vec<&str> = v.grants.iter().map(|g| g.org_path.as_str()).collect();
        paths.sort();
        paths.dedup();
        // Keep only the topmost: drop any path inside another granted one.
        let tops: Vec<&str> =
            paths.iter().copied().filter(|p| !paths.iter().any(|q| q != p && path::is_within(p, q))).collect();
        let ids: Vec<Uuid> =
            v.grants.iter().filter(|g| tops.contains(&g.org_path.as_str())).map(|g| g.org_id).collect();
        let mut found = orgs::by_ids(&mut c, &ids).await?;
        found.dedup_by_key(|o| o.id);
        orgs::sort_by_name(&mut found);
        Ok(found)
    }

    /// One organisation with its readable ancestors and its children.
    pub async fn org(&self, v: &Viewer, id: Uuid, include_dissolved: bool) -> Outcome<OrgView> {
        let mut c = self.pools.snapshot().await?;
        let org = load_org(&mut c, id).await?;
        v.check(Action::Read, org_target(&org))?;
        let ancestors = orgs::ancestors(&mut c, &org.path).await?;
        let ancestors = ancestors.into_iter().filter(|a| v.may(Action::Read, org_target(a))).collect();
        let children = orgs::children(&mut c, org.id, include_dissolved).await?;
        let children = children.into_iter().filter(|ch| v.may(Action::Read, org_target(ch))).collect();
        let can_write = v.may(Action::Write, org_target(&org));
        let parent_path = path::ancestors(&org.path).last().map(|p| p.to_string());
        let can_move = can_write && parent_path.is_some_and(|p| v.may(Action::Write, Target::Org { path: &p }));
        let notices = chibo_domain::org::notices(&org.input, org.stats.official, org.stats.members, self.today());
        Ok(OrgView { org, ancestors, children, can_write, can_move, notices })
    }

    /// Children of an organisation (for expanding the tree).
    pub async fn org_children(&self, v: &Viewer, id: Uuid, include_dissolved: bool) -> Outcome<Vec<Org>> {
        Ok(self.org(v, id, include_dissolved).await?.children)
    }

    /// Organisations matching a name, diacritics ignored, inside the viewer's subtrees.
    pub async fn search_orgs(&self, v: &Viewer, query: &str, limit: i64) -> Outcome<Vec<Org>> {
        let terms = collation::search_terms(query);
        let mut c = self.pools.read().await?;
        let roots: Vec<String> = if v.console {
            orgs::roots(&mut c).await?.into_iter().map(|o| o.path).collect()
        } else {
            chibo_domain::access::listable_roots(&v.grants).into_iter().map(str::to_string).collect()
        };
        let roots: Vec<&str> = roots.iter().map(String::as_str).collect();
        orgs::search(&mut c, &roots, &terms, limit).await.map_err(Problem::from)
    }

    /// Create an organisation under `parent` (or a root: see `create_root_allowed`).
    pub async fn create_org(&self, v: &Viewer, parent_id: Option<Uuid>, mut input: OrgInput) -> Outcome<Org> {
        input.name = input.name.trim().to_string();
        input.short_name = input.short_name.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        write!(self, |tx| {
            let parent = match parent_id {
                Some(pid) => {
                    let p = load_org(tx, pid).await.map_err(when_missing(|| not_found_field("parent_id")))?;
                    v.check(Action::Write, org_target(&p)).map_err(|e| field_if_hidden(e, "parent_id"))?;
                    if p.is_dissolved() {
                        return Err(Problem::field(
                            "parent_id",
                            "parent_dissolved",
                            "Cấp trên trực tiếp: tổ chức này đã giải thể.",
                            "Parent: this organisation is dissolved.",
                        ));
                    }
                    Some(p)
                }
                None => {
                    if !self.create_root_allowed(v, tx).await? {
                        return Err(Problem::Forbidden);
                    }
                    None
                }
            };
            let mut val = input.validate(parent.as_ref().map(Org::kind));
            if let Some(Err(e)) = input.established_on.map(|on| check_not_future(on, self.today())) {
                val.push(e);
            }
            val.finish(())?;
            let id = insert_org(tx, parent.as_ref(), &input).await?;
            let org = load_org(tx, id).await?;
            if parent.is_none()
                && let Some(uid) = v.user_id
            {
                // The creator of a root administers it.
                chibo_store::users::add_grant(tx, uid, chibo_domain::access::Role::Admin, id, None).await?;
            }
            record(tx, v, "org.create", &org, None, snapshot(&org)).await?;
            Ok(org)
        })
    }

    /// A root may be created from the console, by an administrator of an existing root, or
    /// by anyone logged in while no organisation exists yet (the first set-up).
    async fn create_root_allowed(&self, v: &Viewer, tx: &mut Tx) -> Outcome<bool> {
        if v.console {
            return Ok(true);
        }
        let roots = orgs::roots(tx).await?;
        if roots.is_empty() {
            return Ok(v.user_id.is_some());
        }
        Ok(v.grants.iter().any(|g| g.role == chibo_domain::access::Role::Admin && path::depth(&g.org_path) == 0))
    }

    /// Edit an organisation's fields. Its kind is fixed; dissolving needs it empty.
    pub async fn update_org(&self, v: &Viewer, id: Uuid, mut input: OrgInput) -> Outcome<Org> {
        input.name = input.name.trim().to_string();
        input.short_name = input.short_name.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        write!(self, |tx| {
            let before = load_org(tx, id).await?;
            v.check(Action::Write, org_target(&before))?;
            let parent_kind = match before.parent_id {
                Some(p) => Some(load_org(tx, p).await?.kind()),
                None => None,
            };
            let mut val = input.validate(parent_kind);
            if input.kind != before.kind() {
                val.push(FieldError::new(
                    "kind",
                    "kind_fixed",
                    "Loại tổ chức: không đổi được sau khi thành lập (hãy thành lập tổ chức mới và chuyển đảng viên).",
                    "Kind: cannot change after creation (create a new organisation and move the members).",
                ));
            }
            if input.established_on != before.input.established_on
                && let Some(refused) =
                    established_conflict(tx, id, (before.input.established_on, input.established_on), self.today())
                        .await?
            {
                val.push(refused);
            }
            val.finish(())?;
            // Dissolving takes the one dissolution path (`tree::dissolve`) after the other
            // fields are saved; correcting the date of a past dissolution is an edit.
            let dissolving = input.dissolved_on.filter(|_| !before.is_dissolved());
            let mut fields = input.clone();
            if dissolving.is_some() {
                fields.dissolved_on = None;
            } else if let Some(on) = fields.dissolved_on.filter(|on| before.input.dissolved_on != Some(*on)) {
                // Not before the latest link begins (it ends on the corrected date), nor after
                // today; nobody may have been on its rolls or under it after the corrected date.
                let dated = Dated { effective: on, decision: Decision::default() };
                let in_order = check_date(&dated, latest_change(tx, id).await?, self.today());
                in_order.map_err(|p| p.renamed("effective", "dissolved_on"))?;
                check_empty_after(tx, id, on).await.map_err(|p| p.renamed("effective", "dissolved_on"))?;
            }
            with_derived(tx, id, None, async |tx| orgs::update_fields(tx, id, &fields).await.map_err(Problem::from))
                .await?;
            let was_active_cell = before.kind().is_cell() && !before.is_dissolved();
            let is_active_cell = fields.kind.is_cell() && fields.dissolved_on.is_none();
            if was_active_cell != is_active_cell {
                let delta = if is_active_cell { 1 } else { -1 };
                orgs::add_stats(tx, &before.path, OrgStats { cells: delta, ..OrgStats::default() }).await?;
            }
            let edited = load_org(tx, id).await?;
            record(tx, v, "org.update", &edited, snapshot(&before), snapshot(&edited)).await?;
            if let Some(on) = dissolving {
                let d = Dated { effective: on, decision: Decision::default() };
                return dissolve(tx, v, id, &d, self.today()).await.map_err(|p| p.renamed("effective", "dissolved_on"));
            }
            Ok(edited)
        })
    }

    /// Move an organisation and its whole subtree under a new parent, today. Needs the right
    /// to change both the organisation and the new parent.
    pub async fn move_org(&self, v: &Viewer, id: Uuid, new_parent_id: Uuid) -> Outcome<Org> {
        self.move_org_on(v, id, new_parent_id, &Dated::on(self.today())).await
    }
}
