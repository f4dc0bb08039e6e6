//! The figures of the review, kept so that any organisation's figures for a round's period are
//! a few rows: `review_counts` holds, per period key (`year:2025` …) and organisation, how many
//! members and organisations (by kind) of its subtree stand at each outcome. A member counts in
//! its cell and the cell's ancestors, an organisation in its ancestors (not in itself), with
//! the tree of the last day of the period on which the cell existed (as the meeting figures
//! do), so rounds in disjoint subtrees add up and a later restructuring leaves a closed year
//! where it was.
//!
//! Every write of a line moves one count ([`line_changed`]); opening a round adds its lines
//! ([`lines_added`]); a tree change takes the subtree's counts out before and puts them back
//! after ([`detach`], [`attach`]). [`recount`] recomputes everything from the lines.

use crate::StoreError;
use crate::db::{Arg, Exec, dynamic_sql, sql};
use crate::history;
use crate::review::Round;
use chibo_domain::life::Link;
use chibo_domain::meeting::{Period, active_interval, attributed_on, attributed_to};
use chibo_domain::review::{Outcome, Subject, Tally};
use std::collections::{BTreeMap, HashMap};
use time::Date;
use uuid::Uuid;

/// Lines of one period, grouped: (the line's organisation, subject, outcome) → how many. For
/// a member the organisation is its cell; for an organisation, itself.
pub type Groups = BTreeMap<(Uuid, Subject, Outcome), i64>;

/// The lines of a period's rounds: the key, its days and its groups.
#[derive(Debug, Clone, Default)]
pub struct Detached {
    pub periods: Vec<(String, Date, Date, Groups)>,
}

/// Where a line of `org` counts on `last_day`: a member line in the cell and its ancestors, an
/// organisation line in its ancestors.
fn counted_in(
    org: Uuid,
    subject: Subject,
    first_day: Date,
    last_day: Date,
    links: &HashMap<Uuid, Vec<Link>>,
) -> Vec<Uuid> {
    let period = Period { from: first_day, to: last_day.next_day().unwrap_or(last_day) };
    let as_of = links.get(&org).and_then(|own| attributed_on(period, active_interval(own))).unwrap_or(last_day);
    let mut orgs = attributed_to(org, as_of, links);
    if subject != Subject::Member {
        orgs.retain(|o| *o != org);
    }
    orgs
}

/// Add `sign ×` the groups to the kept counts of `period`, attributed with the links as they
/// are now.
async fn apply(
    e: &mut impl Exec,
    period: &str,
    first_day: Date,
    last_day: Date,
    groups: &Groups,
    sign: i64,
) -> Result<(), StoreError> {
    if groups.is_empty() {
        return Ok(());
    }
    let mut orgs: Vec<Uuid> = groups.keys().map(|(o, _, _)| *o).collect();
    orgs.dedup();
    let links = history::ancestry_links(e, &orgs).await?;
    let mut sums: BTreeMap<(Uuid, Subject, Outcome), i64> = BTreeMap::new();
    for ((org, subject, outcome), n) in groups {
        for at in counted_in(*org, *subject, first_day, last_day, &links) {
            *sums.entry((at, *subject, *outcome)).or_default() += sign * n;
        }
    }
    let rows: Vec<(Vec<Arg>, i64)> = sums
        .into_iter()
        .filter(|(_, n)| *n != 0)
        .map(|((org, subject, outcome), n)| {
            (vec![period.into(), org.into(), subject.code().into(), outcome.code().into()], n)
        })
        .collect();
    crate::db::add_counts(e, "review_counts", &["period", "org_id", "subject", "outcome"], &rows).await
}

/// Count lines just added to a round.
pub async fn lines_added(e: &mut impl Exec, round: &Round, groups: &Groups) -> Result<(), StoreError> {
    apply(e, &round.period, round.first_day, round.last_day, groups, 1).await
}

/// Move one line of `org` from outcome `from` to `to` (the same: nothing to do).
pub async fn line_changed(
    e: &mut impl Exec,
    round: &Round,
    org: Uuid,
    subject: Subject,
    from: Outcome,
    to: Outcome,
) -> Result<(), StoreError> {
    if from == to {
        return Ok(());
    }
    let groups = Groups::from([((org, subject, from), -1), ((org, subject, to), 1)]);
    apply(e, &round.period, round.first_day, round.last_day, &groups, 1).await
}

#[derive(sqlx::FromRow)]
struct GroupRow {
    period: String,
    first_day: Date,
    last_day: Date,
    org_id: Uuid,
    subject: String,
    outcome: String,
    n: i64,
}

/// The member lines grouped by cell, and the organisation lines by organisation, of rounds
/// ending on or after `since` (all: `None`), for lines of organisations under `path` (all:
/// `None`), by period.
async fn grouped(e: &mut impl Exec, path: Option<&str>, since: Option<Date>) -> Result<Detached, StoreError> {
    let mut filter = String::from("r.last_day >= $1");
    if path.is_some() {
        filter.push_str(" AND o.path >= $2 AND o.path < $3");
    }
    let text = format!(
        "SELECT r.period, r.first_day, r.last_day, l.org_id, 'member' AS subject, l.outcome, COUNT(*) AS n \
         FROM review_members l JOIN review_rounds r ON r.id = l.round_id JOIN orgs o ON o.id = l.org_id \
         WHERE {filter} GROUP BY r.period, r.first_day, r.last_day, l.org_id, l.outcome \
         UNION ALL \
         SELECT r.period, r.first_day, r.last_day, l.org_id, l.kind AS subject, l.outcome, COUNT(*) AS n \
         FROM review_orgs l JOIN review_rounds r ON r.id = l.round_id JOIN orgs o ON o.id = l.org_id \
         WHERE {filter} GROUP BY r.period, r.first_day, r.last_day, l.org_id, l.kind, l.outcome"
    );
    let mut q = dynamic_sql(text).bind(since.unwrap_or(chibo_domain::text::EARLIEST_DATE));
    if let Some(p) = path {
        q = q.bind(p).bind(chibo_domain::path::subtree_end(p));
    }
    let rows: Vec<GroupRow> = q.fetch_all(e).await?;
    let mut by: BTreeMap<(String, Date, Date), Groups> = BTreeMap::new();
    for r in rows {
        let (Some(subject), Some(outcome)) = (Subject::parse(&r.subject), Outcome::parse(&r.outcome)) else {
            return Err(StoreError::Corrupt(format!("review line of {}: {} {}", r.org_id, r.subject, r.outcome)));
        };
        *by.entry((r.period, r.first_day, r.last_day)).or_default().entry((r.org_id, subject, outcome)).or_default() +=
            r.n;
    }
    Ok(Detached { periods: by.into_iter().map(|((p, f, l), g)| (p, f, l, g)).collect() })
}

/// Take the counts of the lines under `path` (rounds ending on or after `since`) out of the
/// figures. Call before a change of the tree there; give the result to [`attach`] after.
pub async fn detach(e: &mut impl Exec, path: &str, since: Option<Date>) -> Result<Detached, StoreError> {
    let d = grouped(e, Some(path), since).await?;
    for (period, first, last, groups) in &d.periods {
        apply(e, period, *first, *last, groups, -1).await?;
    }
    Ok(d)
}

/// Put counts taken out by [`detach`] back, attributed with the tree as it is now.
pub async fn attach(e: &mut impl Exec, d: &Detached) -> Result<(), StoreError> {
    for (period, first, last, groups) in &d.periods {
        apply(e, period, *first, *last, groups, 1).await?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct CountRow {
    org_id: Uuid,
    subject: String,
    outcome: String,
    n: i64,
}

fn tallies(rows: Vec<CountRow>) -> HashMap<Uuid, BTreeMap<Subject, Tally>> {
    let mut out: HashMap<Uuid, BTreeMap<Subject, Tally>> = HashMap::new();
    for r in rows {
        if let (Some(s), Some(o)) = (Subject::parse(&r.subject), Outcome::parse(&r.outcome)) {
            out.entry(r.org_id).or_default().entry(s).or_default().add(o, r.n);
        }
    }
    out
}

/// The kept figures of `orgs` for a period key: per organisation, per subject.
pub async fn figures(
    e: &mut impl Exec,
    period: &str,
    orgs: &[Uuid],
) -> Result<HashMap<Uuid, BTreeMap<Subject, Tally>>, StoreError> {
    let mut rows = Vec::new();
    for chunk in orgs.chunks(500) {
        let mut q = dynamic_sql(format!(
            "SELECT org_id, subject, outcome, n FROM review_counts WHERE period = $1 AND n <> 0 AND org_id IN ({})",
            crate::db::placeholders(2, chunk.len())
        ))
        .bind(period);
        for o in chunk {
            q.push_arg(*o);
        }
        rows.extend(q.fetch_all::<CountRow>(e).await?);
    }
    Ok(tallies(rows))
}

/// The kept figures of one organisation for several periods: period → subject → tally.
pub async fn figures_over(
    e: &mut impl Exec,
    org: Uuid,
    periods: &[String],
) -> Result<BTreeMap<String, BTreeMap<Subject, Tally>>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        period: String,
        #[sqlx(flatten)]
        count: CountRow,
    }
    let mut out: BTreeMap<String, BTreeMap<Subject, Tally>> = BTreeMap::new();
    if periods.is_empty() {
        return Ok(out);
    }
    let mut q = dynamic_sql(format!(
        "SELECT period, org_id, subject, outcome, n FROM review_counts WHERE org_id = $1 AND n <> 0 AND period IN ({})",
        crate::db::placeholders(2, periods.len())
    ))
    .bind(org);
    for p in periods {
        q.push_arg(p.as_str());
    }
    for r in q.fetch_all::<Row>(e).await? {
        if let (Some(s), Some(o)) = (Subject::parse(&r.count.subject), Outcome::parse(&r.count.outcome)) {
            out.entry(r.period).or_default().entry(s).or_default().add(o, r.count.n);
        }
    }
    Ok(out)
}

/// The period keys with kept figures for `org`, newest first.
pub async fn periods_of(e: &mut impl Exec, org: Uuid) -> Result<Vec<String>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        period: String,
    }
    let rows: Vec<Row> =
        sql("SELECT DISTINCT period FROM review_counts WHERE org_id = $1 AND n <> 0 ORDER BY period DESC")
            .bind(org)
            .fetch_all(e)
            .await?;
    Ok(rows.into_iter().map(|r| r.period).collect())
}

/// A difference found by [`recount`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Mismatch {
    pub period: String,
    pub org_id: Uuid,
    pub subject: String,
    pub outcome: String,
    pub kept: i64,
    pub recounted: i64,
}

/// Recompute every count from the lines and the links and compare with what is kept. Empty when
/// equal.
pub async fn recount(e: &mut impl Exec) -> Result<Vec<Mismatch>, StoreError> {
    let all = grouped(e, None, None).await?;
    let mut orgs: Vec<Uuid> = all.periods.iter().flat_map(|(_, _, _, g)| g.keys().map(|(o, _, _)| *o)).collect();
    orgs.sort();
    orgs.dedup();
    let links = history::ancestry_links(e, &orgs).await?;
    let mut want: BTreeMap<(String, Uuid, String, String), i64> = BTreeMap::new();
    for (period, first, last, groups) in &all.periods {
        for ((org, subject, outcome), n) in groups {
            for at in counted_in(*org, *subject, *first, *last, &links) {
                *want.entry((period.clone(), at, subject.code().into(), outcome.code().into())).or_default() += n;
            }
        }
    }
    #[derive(sqlx::FromRow)]
    struct Kept {
        period: String,
        org_id: Uuid,
        subject: String,
        outcome: String,
        n: i64,
    }
    let kept: Vec<Kept> =
        sql("SELECT period, org_id, subject, outcome, n FROM review_counts WHERE n <> 0").fetch_all(e).await?;
    let mut out = Vec::new();
    for k in kept {
        let recounted = want.remove(&(k.period.clone(), k.org_id, k.subject.clone(), k.outcome.clone())).unwrap_or(0);
        if recounted != k.n {
            out.push(Mismatch {
                period: k.period,
                org_id: k.org_id,
                subject: k.subject,
                outcome: k.outcome,
                kept: k.n,
                recounted,
            });
        }
    }
    for ((period, org_id, subject, outcome), n) in want.into_iter().filter(|(_, n)| *n != 0) {
        out.push(Mismatch { period, org_id, subject, outcome, kept: 0, recounted: n });
    }
    Ok(out)
}
