//! The changes of one organisation's subtree over a run of days, member by member, each
//! attributed in the tree of its date exactly as the kept rows (`change_counts`) attribute it:
//! the days of a period that are not whole months (a period's first and last days around the
//! kept months), and the members behind a line of the report.
//!
//! The members whose changes may count are found first (an event of the kinds in the days, and
//! for a part of the tree, a home span under the subtree during them); their whole histories
//! are then replayed and attributed by the domain
//! ([`chibo_domain::report::member_changes_of`]), so a member is listed exactly when the kept
//! rows count them.

use crate::StoreError;
use crate::change_counts::{histories, links_for, orgs_of};
use crate::db::{Exec, Sql, dynamic_sql, placeholders};
use chibo_domain::life::ancestry;
use chibo_domain::report::member_changes_of;
use std::collections::{HashMap, HashSet};
use time::Date;
use uuid::Uuid;

/// One change counted in the organisation's subtree: who, on which day, on which line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedChange {
    pub member_id: Uuid,
    pub on: Date,
    pub line: &'static str,
}

/// Members whose histories are replayed at a time.
const CHUNK: usize = 2_000;

/// How the members whose changes may count are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Every event of the kinds in the days (the `effective_on` index); below the top, kept
    /// when its organisation or one of its member's home spans lies under the subtree.
    ByDate,
    /// The members with a home span in an organisation under the subtree during the days (the
    /// spans' organisation index), of whom those with an event of the kinds in them.
    BySubtree,
}

/// The changes of `org`'s subtree (`members` on its rolls, its kept counter) in `[from, to)`
/// from events of the kinds `kinds` (event kind codes; every change's for a whole report), by
/// day then member, read by the plan that reads fewer rows: by date for the top of the tree,
/// or when the days hold no more such events than the subtree has members; else by the
/// subtree.
pub async fn changes_of(
    e: &mut impl Exec,
    org: Uuid,
    members: i64,
    days: (Date, Date),
    kinds: &[&str],
) -> Result<Vec<DatedChange>, StoreError> {
    if days.0 >= days.1 || kinds.is_empty() {
        return Ok(Vec::new());
    }
    let top = crate::history::is_top(e, org).await?;
    let by_date = top || {
        let counted = format!("SELECT COUNT(*) FROM ({} LIMIT {}) AS p", events_in_days(kinds, ""), members + 1);
        bound(counted, days, kinds).fetch_i64(e).await? <= members
    };
    let plan = if by_date { Plan::ByDate } else { Plan::BySubtree };
    changes_with(e, (org, top), plan, days, kinds).await
}

/// [`changes_of`] by the given plan (both give the same changes; tests compare them).
pub async fn changes_by(
    e: &mut impl Exec,
    org: Uuid,
    plan: Plan,
    days: (Date, Date),
    kinds: &[&str],
) -> Result<Vec<DatedChange>, StoreError> {
    let top = crate::history::is_top(e, org).await?;
    changes_with(e, (org, top), plan, days, kinds).await
}

/// [`changes_by`] for an organisation known to be the top of the tree or not.
async fn changes_with(
    e: &mut impl Exec,
    (org, top): (Uuid, bool),
    plan: Plan,
    (from, to): (Date, Date),
    kinds: &[&str],
) -> Result<Vec<DatedChange>, StoreError> {
    // Where the time goes (`RUST_LOG=chibo_store=debug`): finding the members, replaying them.
    let started = std::time::Instant::now();
    let members = match plan {
        Plan::ByDate => by_date(e, (org, top), (from, to), kinds).await?,
        Plan::BySubtree => in_subtree(e, org, (from, to), kinds).await?,
    };
    let found_ms = started.elapsed().as_millis();
    let mut out = Vec::new();
    for chunk in members.chunks(CHUNK) {
        let hs = histories(e, chunk).await?;
        let links = links_for(e, hs.iter().flat_map(|(_, h, _)| orgs_of(h)), None).await?;
        let mut above: HashMap<Uuid, Vec<_>> = HashMap::new();
        for (member_id, h, traits) in &hs {
            for o in orgs_of(h) {
                above.entry(o).or_insert_with(|| ancestry(o, &links));
            }
            let of = |o: Uuid| above.get(&o).cloned().unwrap_or_default();
            let lines = member_changes_of(h, *traits, &of, org, (from, to));
            out.extend(lines.into_iter().map(|(on, line)| DatedChange { member_id: *member_id, on, line }));
        }
    }
    out.sort_by_key(|c| (c.on, c.member_id, c.line));
    let (candidates, all_ms) = (members.len(), started.elapsed().as_millis());
    tracing::debug!(?plan, top, candidates, changes = out.len(), found_ms, all_ms, "changes by day");
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    member_id: Uuid,
}

/// `SELECT DISTINCT member_id` of the events of `kinds` in the days (`$1`, `$2`), with `more`
/// conditions whose arguments follow the kinds.
fn events_in_days(kinds: &[&str], more: &str) -> String {
    format!(
        "SELECT DISTINCT member_id FROM member_events WHERE effective_on >= $1 AND effective_on < $2 \
         AND kind IN ({}){more}",
        placeholders(3, kinds.len())
    )
}

/// A query with the days (`$1`, `$2`) and the kinds (`$3`…) bound.
fn bound(text: String, (from, to): (Date, Date), kinds: &[&str]) -> Sql {
    let mut q = dynamic_sql(text).bind(from).bind(to);
    for k in kinds {
        q.push_arg(k.to_string());
    }
    q
}

#[derive(sqlx::FromRow)]
struct EventRow {
    member_id: Uuid,
    org_id: Option<Uuid>,
}

#[derive(sqlx::FromRow)]
struct SpanRow {
    member_id: Uuid,
    org_id: Uuid,
}

/// [`Plan::ByDate`]'s members: with an event of the kinds in the days; below the top, only
/// those whose event names an organisation under the subtree during the days or who had a home
/// span in one then (a change counts where its event or one of the member's spans places it).
async fn by_date(
    e: &mut impl Exec,
    (org, top): (Uuid, bool),
    (from, to): (Date, Date),
    kinds: &[&str],
) -> Result<Vec<Uuid>, StoreError> {
    let text = format!(
        "SELECT member_id, org_id FROM member_events WHERE effective_on >= $1 AND effective_on < $2 \
         AND kind IN ({})",
        placeholders(3, kinds.len())
    );
    let started = std::time::Instant::now();
    let events: Vec<EventRow> = bound(text, (from, to), kinds).fetch_all(e).await?;
    if top {
        return Ok(sorted(events.into_iter().map(|r| r.member_id)));
    }
    let events_ms = started.elapsed().as_millis();
    let under: HashSet<Uuid> = crate::reports::walk_down(e, org, Some((from, to))).await?.into_iter().collect();
    let walk_ms = started.elapsed().as_millis();
    let (named, others): (Vec<EventRow>, Vec<EventRow>) =
        events.into_iter().partition(|r| r.org_id.is_some_and(|o| under.contains(&o)));
    let mut found: HashSet<Uuid> = named.into_iter().map(|r| r.member_id).collect();
    let others = sorted(others.into_iter().map(|r| r.member_id).filter(|m| !found.contains(m)));
    let spans = spans_in_days(e, "member_id", &others, (from, to)).await?;
    found.extend(spans.into_iter().filter(|s| under.contains(&s.org_id)).map(|s| s.member_id));
    let (others, spans_ms) = (others.len(), started.elapsed().as_millis());
    tracing::debug!(events_ms, walk_ms, under = under.len(), others, spans_ms, "changes by date below the top");
    Ok(sorted(found.into_iter()))
}

/// The home spans overlapping the days whose `column` (`member_id` or `org_id`) is one of `ids`,
/// 500 ids a query.
async fn spans_in_days(
    e: &mut impl Exec,
    column: &str,
    ids: &[Uuid],
    (from, to): (Date, Date),
) -> Result<Vec<SpanRow>, StoreError> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let mut q = dynamic_sql(format!(
            "SELECT member_id, org_id FROM member_spans WHERE kind = 'home' AND from_on < $1 \
             AND (to_on IS NULL OR to_on >= $2) AND {column} IN ({})",
            placeholders(3, chunk.len())
        ))
        .bind(to)
        .bind(from);
        for id in chunk {
            q.push_arg(*id);
        }
        out.extend(q.fetch_all::<SpanRow>(e).await?);
    }
    Ok(out)
}

/// [`Plan::BySubtree`]'s members.
async fn in_subtree(
    e: &mut impl Exec,
    org: Uuid,
    (from, to): (Date, Date),
    kinds: &[&str],
) -> Result<Vec<Uuid>, StoreError> {
    let under = crate::reports::walk_down(e, org, Some((from, to))).await?;
    let spans = spans_in_days(e, "org_id", &under, (from, to)).await?;
    let spanned = sorted(spans.into_iter().map(|s| s.member_id));
    let mut out = Vec::new();
    for chunk in spanned.chunks(500) {
        let more = format!(" AND member_id IN ({})", placeholders(3 + kinds.len(), chunk.len()));
        let mut q = bound(events_in_days(kinds, &more), (from, to), kinds);
        for m in chunk {
            q.push_arg(*m);
        }
        out.extend(q.fetch_all::<MemberRow>(e).await?.into_iter().map(|r| r.member_id));
    }
    Ok(sorted(out.into_iter()))
}

fn sorted(ids: impl Iterator<Item = Uuid>) -> Vec<Uuid> {
    let mut out: Vec<Uuid> = ids.collect::<HashSet<_>>().into_iter().collect();
    out.sort_unstable();
    out
}
