//! The tree and its membership as of a date (*tại thời điểm*): names, parents and counts of
//! that date, from the organisation links, the dated ledger and the members' spans.

use crate::load::{load_org, org_target};
use crate::{Chibo, Outcome, Viewer};
use chibo_domain::access::{Action, Target};
use chibo_domain::life::{Decision, Effect, EventKind, SpanKind, Tally, replay};
use chibo_domain::member::MemberStatus;
use chibo_domain::org::OrgKind;
use chibo_domain::{Problem, collation};
use chibo_store::members::{self, Member};
use chibo_store::orgs::{self, Org};
use chibo_store::{Exec, events, history};
use serde::Serialize;
use std::collections::HashMap;
use time::Date;
use uuid::Uuid;

/// An organisation on a date.
#[derive(Debug, Clone, Serialize)]
pub struct OrgOnDate {
    pub on: Date,
    /// The organisation as it is now.
    pub org: Org,
    /// Whether it existed (had a place in the tree) on that date.
    pub existed: bool,
    /// Its name and parent on that date.
    pub name: String,
    pub parent: Option<NamedOrg>,
    /// Counts of its subtree on that date, as the tree stood then.
    pub tally: Tally,
    pub children: Vec<ChildOnDate>,
    /// Its own rolls on that date (cells), in Vietnamese name order.
    pub members: Vec<MemberOnDate>,
    /// Members of other organisations temporarily attached here on that date.
    pub attached: Vec<MemberOnDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NamedOrg {
    pub id: Uuid,
    pub name: String,
    /// Whether the viewer may open it.
    pub readable: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChildOnDate {
    pub id: Uuid,
    pub name: String,
    pub kind: OrgKind,
    pub tally: Tally,
    pub readable: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct MemberOnDate {
    pub id: Uuid,
    pub full_name: String,
    pub birth_date: Date,
    pub status: MemberStatus,
    pub since: Date,
    pub readable: bool,
}

impl Chibo {
    /// An organisation, its sub-organisations and its rolls as they stood on `on`.
    pub async fn org_on(&self, v: &Viewer, id: Uuid, on: Date) -> Outcome<OrgOnDate> {
        let mut c = self.pools.snapshot().await?;
        let org = load_org(&mut c, id).await?;
        v.check(Action::Read, org_target(&org))?;
        if !v.console && v.grants.iter().all(|g| g.role == chibo_domain::access::Role::Member) {
            return Err(Problem::Forbidden);
        }
        let link = history::link_on(&mut c, id, on).await?;
        let parent = match link.as_ref().and_then(|l| l.parent_id) {
            Some(p) => Some(named(v, &mut c, p, on).await?),
            None => None,
        };
        let child_links = history::children_on(&mut c, id, on).await?;
        let mut ids: Vec<Uuid> = child_links.iter().map(|l| l.org_id).collect();
        ids.push(id);
        let tallies = history::tallies_on(&mut c, &ids, on).await?;
        let now = orgs::by_ids(&mut c, &ids).await?;
        let now: HashMap<Uuid, &Org> = now.iter().map(|o| (o.id, o)).collect();
        let mut children: Vec<ChildOnDate> = child_links
            .iter()
            .filter_map(|l| {
                let o = now.get(&l.org_id)?;
                Some(ChildOnDate {
                    id: l.org_id,
                    name: l.name.clone(),
                    kind: o.kind(),
                    tally: tallies.get(&l.org_id).copied().unwrap_or_default(),
                    readable: v.may(Action::Read, org_target(o)),
                })
            })
            .collect();
        children.sort_by_cached_key(|c| collation::sort_key("", "", &c.name));
        let members = rolls(v, &mut c, id, SpanKind::Home, on).await?;
        let attached = rolls(v, &mut c, id, SpanKind::Attached, on).await?;
        Ok(OrgOnDate {
            on,
            existed: link.is_some(),
            name: link.as_ref().map_or_else(|| org.input.name.clone(), |l| l.name.clone()),
            parent,
            tally: tallies.get(&id).copied().unwrap_or_default(),
            children,
            members,
            attached,
            org,
        })
    }

    /// Members transferred to an organisation of the subtree and waiting to be received, with
    /// the transfer out they are waiting on (the acceptance cannot be dated before it).
    pub async fn incoming_transfers(&self, v: &Viewer, id: Uuid) -> Outcome<Vec<IncomingTransfer>> {
        let mut c = self.pools.read().await?;
        let org = load_org(&mut c, id).await?;
        v.check(Action::Write, org_target(&org))?;
        let list = members::in_transit_to(&mut c, &org.path).await?;
        let ids: Vec<Uuid> = list.iter().map(|m| m.id).collect();
        let mut histories = events::of_members(&mut c, &ids).await?;
        let senders = orgs::by_ids(&mut c, &list.iter().map(|m| m.input.org_id).collect::<Vec<_>>()).await?;
        let mut out = Vec::new();
        for member in list {
            let evs: Vec<_> = histories.remove(&member.id).unwrap_or_default().into_iter().map(|r| r.event).collect();
            let h = replay(&evs);
            let Some((sent, _)) = h.events.iter().rev().find(|(e, eff)| {
                e.kind == EventKind::TransferredOut && *eff == Effect::Applied && e.org_id == member.life.transit_org_id
            }) else {
                continue;
            };
            out.push(IncomingTransfer {
                sent_on: sent.effective,
                decision: sent.decision.clone(),
                from_name: senders.iter().find(|o| o.id == member.input.org_id).map(|o| o.input.name.clone()),
                member,
            });
        }
        Ok(out)
    }
}

/// A member in transit to this subtree.
#[derive(Debug, Clone, Serialize)]
pub struct IncomingTransfer {
    pub member: Member,
    /// The transfer out: its date, decision, and the sending cell's name.
    pub sent_on: Date,
    pub decision: Decision,
    pub from_name: Option<String>,
}

async fn named(v: &Viewer, c: &mut impl Exec, id: Uuid, on: Date) -> Outcome<NamedOrg> {
    let org = load_org(c, id).await?;
    let name = history::link_on(c, id, on).await?.map_or(org.input.name.clone(), |l| l.name);
    Ok(NamedOrg { id, name, readable: v.may(Action::Read, org_target(&org)) })
}

async fn rolls(v: &Viewer, c: &mut impl Exec, org: Uuid, kind: SpanKind, on: Date) -> Outcome<Vec<MemberOnDate>> {
    let spans = events::in_org_on(c, org, kind, on).await?;
    let ids: Vec<Uuid> = spans.iter().map(|(m, _)| *m).collect();
    let found = members::by_ids(c, &ids).await?;
    let mut out: Vec<(String, MemberOnDate)> = spans
        .iter()
        .filter_map(|(mid, s)| {
            let m = found.iter().find(|m| m.id == *mid)?;
            let readable = v.may(Action::Read, Target::Member { org_path: &m.org_path, member_id: m.id });
            Some((
                m.input.sort_key(),
                MemberOnDate {
                    id: m.id,
                    full_name: m.full_name.clone(),
                    birth_date: m.input.birth_date,
                    status: s.status,
                    since: s.from,
                    readable,
                },
            ))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out.into_iter().map(|(_, m)| m).collect())
}
