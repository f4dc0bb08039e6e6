//! The dated ledger of counts (`org_tally`) computed in memory from the members' spans, the
//! way `chibo_access` writes it member by member (`member_ledger` over each organisation's
//! ancestry through time): the bulk loader aggregates it, the check recomputes it.

use chibo_domain::life::{Interval, Ledger, Link, Span, ancestry, member_ledger};
use chibo_domain::member::{Gender, MemberInput};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Every organisation's ancestors through time, computed once from all the links.
pub struct Ancestry(HashMap<Uuid, Vec<(Uuid, Interval)>>);

impl Ancestry {
    pub fn new(links: &HashMap<Uuid, Vec<Link>>) -> Ancestry {
        Ancestry(links.keys().map(|&org| (org, ancestry(org, links))).collect())
    }

    /// A member's changes to the ledger: the female and minority counts follow the record,
    /// as in `chibo_access::life`.
    pub fn member(&self, spans: &[Span], input: &MemberInput) -> Ledger {
        let of = |org: Uuid| self.0.get(&org).cloned().unwrap_or_default();
        member_ledger(spans, input.gender == Gender::Female, input.ethnicity_code != 1, &of)
    }
}

/// Links grouped by organisation.
pub fn by_org(links: Vec<Link>) -> HashMap<Uuid, Vec<Link>> {
    let mut map: HashMap<Uuid, Vec<Link>> = HashMap::new();
    for l in links {
        map.entry(l.org_id).or_default().push(l);
    }
    map
}

/// A ledger in two parts: the organisations whose rows gather changes from the whole data
/// set (`top`: the centre and the provinces, a few thousand dates each), kept until the end;
/// and the rest, which a bulk load writes after every batch (a commune's rows come from its
/// own members, so batches rarely share a row, and `apply_ledger` adds when they do).
pub struct Split {
    top_orgs: HashSet<Uuid>,
    pub top: Ledger,
    rest: Ledger,
}

impl Split {
    pub fn new(top_orgs: HashSet<Uuid>) -> Split {
        Split { top_orgs, top: Ledger::default(), rest: Ledger::default() }
    }

    pub fn add(&mut self, changes: &Ledger) {
        for (org, on, t) in changes.rows() {
            let part = if self.top_orgs.contains(&org) { &mut self.top } else { &mut self.rest };
            part.add(org, on, t);
        }
    }

    /// The rows gathered since the last call, outside the top.
    pub fn take_rest(&mut self) -> Ledger {
        std::mem::take(&mut self.rest)
    }
}
