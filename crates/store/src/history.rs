//! The tree through time: organisation links (parent and name per period), restructuring
//! events, and the dated ledger of subtree counts (`org_tally`).

use crate::StoreError;
use crate::db::{Arg, Exec, dynamic_sql, placeholders, sql};
use chibo_domain::life::{Ledger, Link, Tally};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct LinkRow {
    org_id: Uuid,
    parent_id: Option<Uuid>,
    name: String,
    from_on: Option<Date>,
    to_on: Option<Date>,
}

impl From<LinkRow> for Link {
    fn from(r: LinkRow) -> Link {
        Link { org_id: r.org_id, parent_id: r.parent_id, name: r.name, from: r.from_on, to: r.to_on }
    }
}

const LINK_COLUMNS: &str = "org_id, parent_id, name, from_on, to_on";

pub async fn insert_links(e: &mut impl Exec, links: &[Link]) -> Result<(), StoreError> {
    let mut q = crate::insert_rows::InsertRows::new("org_links", LINK_COLUMNS).with_rows(links.len());
    for l in links {
        q.push(l.org_id);
        q.push(l.parent_id);
        q.push(l.name.as_str());
        q.push(l.from);
        q.push(l.to);
    }
    q.run(e).await
}

/// Remove every link of the given organisations (a bulk load that writes their whole history).
pub async fn delete_links_of(e: &mut impl Exec, orgs: &[Uuid]) -> Result<(), StoreError> {
    for chunk in orgs.chunks(500) {
        let mut q = dynamic_sql(format!("DELETE FROM org_links WHERE org_id IN ({})", placeholders(1, chunk.len())));
        for id in chunk {
            q.push_arg(*id);
        }
        q.execute(e).await?;
    }
    Ok(())
}

/// Every link of every organisation (for checks that recompute the ledger).
pub async fn all_links(e: &mut impl Exec) -> Result<HashMap<Uuid, Vec<Link>>, StoreError> {
    let rows: Vec<LinkRow> = dynamic_sql(format!("SELECT {LINK_COLUMNS} FROM org_links")).fetch_all(e).await?;
    let mut map: HashMap<Uuid, Vec<Link>> = HashMap::new();
    for r in rows {
        map.entry(r.org_id).or_default().push(Link::from(r));
    }
    Ok(map)
}

/// End the open link of an organisation on `on`.
pub async fn close_link(e: &mut impl Exec, org: Uuid, on: Date) -> Result<(), StoreError> {
    sql("UPDATE org_links SET to_on = $2 WHERE org_id = $1 AND to_on IS NULL").bind(org).bind(on).execute(e).await?;
    Ok(())
}

/// The links of the given organisations.
pub async fn links_of(e: &mut impl Exec, orgs: &[Uuid]) -> Result<Vec<Link>, StoreError> {
    let mut out = Vec::new();
    for chunk in orgs.chunks(500) {
        let mut q = dynamic_sql(format!(
            "SELECT {LINK_COLUMNS} FROM org_links WHERE org_id IN ({}) ORDER BY from_on",
            placeholders(1, chunk.len())
        ));
        for id in chunk {
            q.push_arg(*id);
        }
        out.extend(q.fetch_all::<LinkRow>(e).await?.into_iter().map(Link::from));
    }
    Ok(out)
}

/// The links of `orgs` and of every organisation that was ever above them, by organisation.
pub async fn ancestry_links(e: &mut impl Exec, orgs: &[Uuid]) -> Result<HashMap<Uuid, Vec<Link>>, StoreError> {
    let mut map: HashMap<Uuid, Vec<Link>> = HashMap::new();
    let mut seen: HashSet<Uuid> = HashSet::new();
    let mut todo: Vec<Uuid> = orgs.iter().copied().filter(|o| seen.insert(*o)).collect();
    while !todo.is_empty() {
        let links = links_of(e, &todo).await?;
        todo = links.iter().filter_map(|l| l.parent_id).filter(|p| seen.insert(*p)).collect();
        for l in links {
            map.entry(l.org_id).or_default().push(l);
        }
    }
    Ok(map)
}

/// Whether `org` is a top of the tree (it never had a parent): whatever happened below a top
/// is worth reading by date alone.
pub async fn is_top(e: &mut impl Exec, org: Uuid) -> Result<bool, StoreError> {
    let above = sql("SELECT COUNT(*) FROM org_links WHERE org_id = $1 AND parent_id IS NOT NULL");
    Ok(above.bind(org).fetch_i64(e).await? == 0)
}

/// The link in force for an organisation on a date.
pub async fn link_on(e: &mut impl Exec, org: Uuid, on: Date) -> Result<Option<Link>, StoreError> {
    let row: Option<LinkRow> = dynamic_sql(format!(
        "SELECT {LINK_COLUMNS} FROM org_links WHERE org_id = $1 AND (from_on IS NULL OR from_on <= $2) \
         AND (to_on IS NULL OR to_on > $2)"
    ))
    .bind(org)
    .bind(on)
    .fetch_optional(e)
    .await?;
    Ok(row.map(Link::from))
}

/// The first day anything happened in `org` before `on`: a home or attached span on its rolls,
/// a link of an organisation under it, or a meeting it held (each its index's first entry);
/// `None` when nothing did. A date of establishment may not come after it.
pub async fn first_activity_before(e: &mut impl Exec, org: Uuid, on: Date) -> Result<Option<Date>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct DayRow {
        day: Date,
    }
    let mut first: Option<Date> = None;
    for q in [
        "SELECT from_on AS day FROM member_spans WHERE org_id = $1 AND from_on < $2 ORDER BY from_on LIMIT 1",
        "SELECT from_on AS day FROM org_links WHERE parent_id = $1 AND from_on < $2 ORDER BY from_on LIMIT 1",
        "SELECT held_on AS day FROM meetings WHERE cell_id = $1 AND held_on < $2 ORDER BY held_on LIMIT 1",
    ] {
        if let Some(r) = sql(q).bind(org).bind(on).fetch_optional::<DayRow>(&mut *e).await? {
            first = Some(first.map_or(r.day, |f| f.min(r.day)));
        }
    }
    Ok(first)
}

/// Whether an organisation under `parent` has no date of establishment: its first link under
/// `parent` starts with no date, so it lay there for ever.
pub async fn has_undated_child(e: &mut impl Exec, parent: Uuid) -> Result<bool, StoreError> {
    let q = sql("SELECT COUNT(*) FROM (SELECT 1 FROM org_links WHERE parent_id = $1 AND from_on IS NULL LIMIT 1) AS k");
    Ok(q.bind(parent).fetch_i64(e).await? > 0)
}

/// The links under `parent` that are still open or end after `on`: the organisations that
/// were under it after that date.
pub async fn children_after(e: &mut impl Exec, parent: Uuid, on: Date) -> Result<Vec<Link>, StoreError> {
    let rows: Vec<LinkRow> = dynamic_sql(format!(
        "SELECT {LINK_COLUMNS} FROM org_links WHERE parent_id = $1 AND (to_on IS NULL OR to_on > $2)"
    ))
    .bind(parent)
    .bind(on)
    .fetch_all(e)
    .await?;
    Ok(rows.into_iter().map(Link::from).collect())
}

/// The organisations directly under `parent` on a date, with their names then.
pub async fn children_on(e: &mut impl Exec, parent: Uuid, on: Date) -> Result<Vec<Link>, StoreError> {
    let rows: Vec<LinkRow> = dynamic_sql(format!(
        "SELECT {LINK_COLUMNS} FROM org_links WHERE parent_id = $1 AND (from_on IS NULL OR from_on <= $2) \
         AND (to_on IS NULL OR to_on > $2)"
    ))
    .bind(parent)
    .bind(on)
    .fetch_all(e)
    .await?;
    Ok(rows.into_iter().map(Link::from).collect())
}

/// The roots of the tree on a date.
pub async fn roots_on(e: &mut impl Exec, on: Date) -> Result<Vec<Link>, StoreError> {
    let rows: Vec<LinkRow> = dynamic_sql(format!(
        "SELECT {LINK_COLUMNS} FROM org_links WHERE parent_id IS NULL AND (from_on IS NULL OR from_on <= $1) \
         AND (to_on IS NULL OR to_on > $1)"
    ))
    .bind(on)
    .fetch_all(e)
    .await?;
    Ok(rows.into_iter().map(Link::from).collect())
}

/// Add a ledger's changes to `org_tally` (rows of one ledger have distinct keys).
pub async fn apply_ledger(e: &mut impl Exec, ledger: &Ledger) -> Result<(), StoreError> {
    add_ledger(e, "org_tally", ledger).await
}

/// Add a ledger's changes to `table`: `org_tally`, or a recount's copy of it
/// (`crate::ledger_check`).
pub(crate) async fn add_ledger(e: &mut impl Exec, table: &str, ledger: &Ledger) -> Result<(), StoreError> {
    let rows: Vec<([Arg; 2], [i64; 5])> = ledger
        .rows()
        .map(|(org, on, t)| ([org.into(), on.into()], [t.members, t.official, t.probationary, t.female, t.minority]))
        .collect();
    let rows: Vec<(&[Arg], &[i64])> = rows.iter().map(|(k, v)| (k.as_slice(), v.as_slice())).collect();
    let values = ["members", "official", "probationary", "female", "minority"];
    crate::db::add_sums(e, table, &["org_id", "on_date"], &values, &rows).await
}

/// An organisation's five counts, as a grouped query returns them.
#[derive(sqlx::FromRow)]
pub(crate) struct OrgTally {
    pub(crate) org_id: Uuid,
    members: i64,
    official: i64,
    probationary: i64,
    female: i64,
    minority: i64,
}

impl OrgTally {
    pub(crate) fn tally(&self) -> Tally {
        Tally {
            members: self.members,
            official: self.official,
            probationary: self.probationary,
            female: self.female,
            minority: self.minority,
        }
    }
}

/// A ledger row: an organisation's counts on a date.
#[derive(sqlx::FromRow)]
struct TallyRow {
    on_date: Date,
    #[sqlx(flatten)]
    counts: OrgTally,
}

/// An organisation's own ledger (its whole subtree), by date.
pub async fn ledger_of(e: &mut impl Exec, org: Uuid) -> Result<Vec<(Date, Tally)>, StoreError> {
    let rows: Vec<TallyRow> =
        sql("SELECT org_id, on_date, members, official, probationary, female, minority FROM org_tally \
         WHERE org_id = $1 ORDER BY on_date")
        .bind(org)
        .fetch_all(e)
        .await?;
    Ok(rows.iter().map(|r| (r.on_date, r.counts.tally())).collect())
}

#[derive(sqlx::FromRow)]
struct SumRow {
    org_id: Uuid,
    members: Option<i64>,
    official: Option<i64>,
    probationary: Option<i64>,
    female: Option<i64>,
    minority: Option<i64>,
}

/// The counts of each organisation's subtree on a date, as the tree stood on that date.
///
/// Two exact ways to the same sum, chosen by which reads fewer ledger rows: forward, the
/// changes up to the date; or backward, the current counters (`orgs.member_count` …, which
/// always equal the sum of all of an organisation's ledger rows: both are written in the same
/// transaction from the same replay, and `chibo check` verifies it) minus the changes after
/// the date. A date in the recent past — the usual question — reads only the last months.
/// The direction follows the first organisation's ledger (the subject; its children share
/// its span of dates).
pub async fn tallies_on(e: &mut impl Exec, orgs: &[Uuid], on: Date) -> Result<HashMap<Uuid, Tally>, StoreError> {
    let Some(&first) = orgs.first() else { return Ok(HashMap::new()) };
    let backward = nearer_the_end(e, first, on).await?;
    let mut out = HashMap::new();
    for chunk in orgs.chunks(500) {
        let text = if backward {
            let minus = |c: &str, col: &str| format!("o.{col} - COALESCE(CAST(SUM(t.{c}) AS BIGINT), 0) AS {c}");
            format!(
                "SELECT o.id AS org_id, {}, {}, {}, {}, {} FROM orgs o LEFT JOIN org_tally t ON t.org_id = o.id \
                 AND t.on_date > $1 WHERE o.id IN ({}) GROUP BY o.id, o.member_count, o.official_count, \
                 o.probationary_count, o.female_count, o.minority_count",
                minus("members", "member_count"),
                minus("official", "official_count"),
                minus("probationary", "probationary_count"),
                minus("female", "female_count"),
                minus("minority", "minority_count"),
                placeholders(2, chunk.len())
            )
        } else {
            format!(
                "SELECT org_id, CAST(SUM(members) AS BIGINT) AS members, CAST(SUM(official) AS BIGINT) AS official, \
                 CAST(SUM(probationary) AS BIGINT) AS probationary, CAST(SUM(female) AS BIGINT) AS female, \
                 CAST(SUM(minority) AS BIGINT) AS minority FROM org_tally \
                 WHERE org_id IN ({}) AND on_date <= $1 GROUP BY org_id",
                placeholders(2, chunk.len())
            )
        };
        let mut q = dynamic_sql(text).bind(on);
        for id in chunk {
            q.push_arg(*id);
        }
        for r in q.fetch_all::<SumRow>(e).await? {
            let t = Tally {
                members: r.members.unwrap_or(0),
                official: r.official.unwrap_or(0),
                probationary: r.probationary.unwrap_or(0),
                female: r.female.unwrap_or(0),
                minority: r.minority.unwrap_or(0),
            };
            out.insert(r.org_id, t);
        }
    }
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct DateRow {
    on_date: Date,
}

/// Whether `on` is nearer the last date of an organisation's ledger than the first (two
/// index seeks on the primary key).
async fn nearer_the_end(e: &mut impl Exec, org: Uuid, on: Date) -> Result<bool, StoreError> {
    let mut ends = Vec::with_capacity(2);
    for order in ["ASC", "DESC"] {
        let row: Option<DateRow> =
            dynamic_sql(format!("SELECT on_date FROM org_tally WHERE org_id = $1 ORDER BY on_date {order} LIMIT 1"))
                .bind(org)
                .fetch_optional(e)
                .await?;
        ends.push(row.map(|r| r.on_date));
    }
    Ok(match (ends[0], ends[1]) {
        (Some(first), Some(last)) => (last - on) < (on - first),
        _ => false,
    })
}

/// The whole ledger (for checks that recompute it).
pub async fn all_ledger(e: &mut impl Exec) -> Result<Ledger, StoreError> {
    let rows: Vec<TallyRow> =
        sql("SELECT org_id, on_date, members, official, probationary, female, minority FROM org_tally")
            .fetch_all(e)
            .await?;
    let mut l = Ledger::default();
    for r in &rows {
        l.add(r.counts.org_id, r.on_date, r.counts.tally());
    }
    Ok(l)
}

/// A restructuring decision on an organisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgEvent {
    pub id: Uuid,
    pub org_id: Uuid,
    /// `established`, `renamed`, `moved`, `merged`, `split`, `dissolved`.
    pub kind: String,
    pub effective: Date,
    pub decision_number: Option<String>,
    pub decision_body: Option<String>,
    /// What changed, as JSON (old and new parent or name, the organisations involved).
    pub detail: serde_json::Value,
    pub recorded_by: Option<Uuid>,
    pub recorded_by_name: String,
    pub recorded_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct OrgEventRow {
    id: Uuid,
    org_id: Uuid,
    kind: String,
    effective_on: Date,
    decision_number: Option<String>,
    decision_body: Option<String>,
    detail: String,
    recorded_by: Option<Uuid>,
    recorded_by_name: String,
    recorded_at: OffsetDateTime,
}

pub async fn insert_org_event(e: &mut impl Exec, ev: &OrgEvent) -> Result<(), StoreError> {
    sql(
        "INSERT INTO org_events (id, org_id, kind, effective_on, decision_number, decision_body, detail, recorded_by, \
         recorded_by_name, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(ev.id)
    .bind(ev.org_id)
    .bind(ev.kind.as_str())
    .bind(ev.effective)
    .bind(ev.decision_number.clone())
    .bind(ev.decision_body.clone())
    .bind(ev.detail.to_string())
    .bind(ev.recorded_by)
    .bind(ev.recorded_by_name.as_str())
    .bind(ev.recorded_at)
    .execute(e)
    .await?;
    Ok(())
}

/// An organisation's restructuring events, by date.
pub async fn org_events(e: &mut impl Exec, org: Uuid) -> Result<Vec<OrgEvent>, StoreError> {
    let rows: Vec<OrgEventRow> =
        sql("SELECT id, org_id, kind, effective_on, decision_number, decision_body, detail, recorded_by, \
         recorded_by_name, recorded_at FROM org_events WHERE org_id = $1")
        .bind(org)
        .fetch_all(e)
        .await?;
    // Sorted here: SQLite's RFC 3339 text of `recorded_at` does not sort as time.
    let mut out: Vec<OrgEvent> = rows
        .into_iter()
        .map(|r| OrgEvent {
            id: r.id,
            org_id: r.org_id,
            kind: r.kind,
            effective: r.effective_on,
            decision_number: r.decision_number,
            decision_body: r.decision_body,
            detail: serde_json::from_str(&r.detail).unwrap_or(serde_json::Value::Null),
            recorded_by: r.recorded_by,
            recorded_by_name: r.recorded_by_name,
            recorded_at: r.recorded_at,
        })
        .collect();
    out.sort_by_key(|e| (e.effective, e.recorded_at, e.id));
    Ok(out)
}

/// Change the link that starts on `on` (a second change the same day).
pub async fn amend_link(
    e: &mut impl Exec,
    org: Uuid,
    parent: Option<Uuid>,
    name: &str,
    on: Date,
) -> Result<(), StoreError> {
    sql("UPDATE org_links SET parent_id = $2, name = $3 WHERE org_id = $1 AND from_on = $4")
        .bind(org)
        .bind(parent)
        .bind(name)
        .bind(on)
        .execute(e)
        .await?;
    Ok(())
}
