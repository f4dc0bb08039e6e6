//! Inspection, supervision and discipline (*kiểm tra, giám sát, kỷ luật*): programmes and their
//! items, cases with their steps, conclusion and recommendations, discipline and appeals. The
//! figures are kept by [`crate::inspection_figures`].

use crate::StoreError;
use crate::db::{Arg, Exec, dynamic_sql, placeholders, sql};
use crate::insert_rows::InsertRows;
use serde::Serialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

mod discipline;
mod documents;
mod steps;

pub use discipline::*;
pub use documents::*;
pub use steps::*;

/// A programme of inspection or of supervision for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Programme {
    pub id: Uuid,
    pub org_id: Uuid,
    pub year: i64,
    /// `inspection` or `supervision`.
    pub kind: String,
    pub title: String,
    pub by_name: String,
    pub created_at: OffsetDateTime,
    pub version: i64,
}

const PROGRAMME_COLUMNS: &str = "id, org_id, year, kind, title, by_name, created_at, version";

/// One planned item of a programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Item {
    pub id: Uuid,
    pub programme_id: Uuid,
    pub seq: i64,
    pub subject_org_id: Uuid,
    pub subject_member_id: Option<Uuid>,
    pub content: String,
    pub planned_month: i64,
    pub case_id: Option<Uuid>,
}

const ITEM_COLUMNS: &str = "id, programme_id, seq, subject_org_id, subject_member_id, content, planned_month, case_id";

/// A case (*cuộc kiểm tra, giám sát; vụ tố cáo, khiếu nại*).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Case {
    pub id: Uuid,
    /// The deciding organisation.
    pub org_id: Uuid,
    /// Decided by its inspection committee (*ủy ban kiểm tra*), not the committee.
    pub by_inspection: bool,
    /// `inspection::CaseKind` code.
    pub kind: String,
    pub mode: Option<String>,
    /// `org` or `member`.
    pub subject: String,
    /// The organisation inspected, or the member's cell on the decision's day.
    pub subject_org_id: Uuid,
    pub subject_member_id: Option<Uuid>,
    /// Counts for the decider's coverage.
    pub covers: bool,
    pub decision_number: String,
    pub decided_on: Date,
    pub team: String,
    pub content: String,
    pub due_on: Date,
    pub item_id: Option<Uuid>,
    /// `open`, or the finding's code once concluded.
    pub result: String,
    pub violated_on: Option<Date>,
    pub violation_level: Option<String>,
    pub grave: Option<String>,
    pub strengths: String,
    pub shortcomings: String,
    pub violations: String,
    pub concluded_on: Option<Date>,
    pub by_name: String,
    pub created_at: OffsetDateTime,
    pub version: i64,
    /// The notice of the conclusion (*Số …-TB/UBKT*): its year and its number in the year for
    /// the issuing body (the deciding organisation's inspection committee, or its committee).
    pub notice_year: Option<i64>,
    pub notice_number: Option<i64>,
}

const CASE_COLUMNS: &str = "id, org_id, by_inspection, kind, mode, subject, subject_org_id, subject_member_id, covers, \
     decision_number, decided_on, team, content, due_on, item_id, result, violated_on, violation_level, grave, \
     strengths, shortcomings, violations, concluded_on, by_name, created_at, version, notice_year, notice_number";

/// Insert rows into `table (columns)`, each its values in column order ([`InsertRows`]:
/// PostgreSQL's `COPY` for many rows).
pub(crate) async fn insert_rows(
    e: &mut impl Exec,
    table: &'static str,
    columns: &str,
    rows: Vec<Vec<Arg>>,
) -> Result<(), StoreError> {
    let mut q = InsertRows::new(table, columns).with_rows(rows.len());
    for a in rows.into_iter().flatten() {
        q.push(a);
    }
    q.run(e).await
}

pub(crate) fn prefixed(cols: &str, p: &str) -> String {
    cols.split(", ").map(|c| format!("{p}.{}", c.trim())).collect::<Vec<_>>().join(", ")
}

// ---- programmes ----

fn programme_args(p: &Programme) -> Vec<Arg> {
    vec![
        p.id.into(),
        p.org_id.into(),
        p.year.into(),
        p.kind.as_str().into(),
        p.title.as_str().into(),
        p.by_name.as_str().into(),
        p.created_at.into(),
        p.version.into(),
    ]
}

pub async fn insert_programme(e: &mut impl Exec, p: &Programme, items: &[Item]) -> Result<(), StoreError> {
    insert_programmes(e, std::slice::from_ref(p)).await?;
    insert_items(e, items).await
}

pub async fn insert_items(e: &mut impl Exec, items: &[Item]) -> Result<(), StoreError> {
    let rows = items
        .iter()
        .map(|i| {
            vec![
                i.id.into(),
                i.programme_id.into(),
                i.seq.into(),
                i.subject_org_id.into(),
                i.subject_member_id.into(),
                i.content.as_str().into(),
                i.planned_month.into(),
                i.case_id.into(),
            ]
        })
        .collect();
    insert_rows(e, "inspection_items", ITEM_COLUMNS, rows).await
}

/// Programmes in bulk (the demo), without their items.
pub async fn insert_programmes(e: &mut impl Exec, ps: &[Programme]) -> Result<(), StoreError> {
    insert_rows(e, "inspection_programmes", PROGRAMME_COLUMNS, ps.iter().map(programme_args).collect()).await
}

/// Save a programme's title; bumps its version. 0 when `version` is stale.
pub async fn save_programme_title(e: &mut impl Exec, p: &Programme) -> Result<u64, StoreError> {
    sql("UPDATE inspection_programmes SET title = $2, version = version + 1 WHERE id = $1 AND version = $3")
        .bind(p.id)
        .bind(p.title.as_str())
        .bind(p.version)
        .execute(e)
        .await
}

/// Change an item of a programme (its place, subject, content and month). 0 when missing.
pub async fn update_item(e: &mut impl Exec, i: &Item) -> Result<u64, StoreError> {
    sql("UPDATE inspection_items SET seq = $3, subject_org_id = $4, subject_member_id = $5, content = $6, \
         planned_month = $7 WHERE id = $1 AND programme_id = $2")
    .bind(i.id)
    .bind(i.programme_id)
    .bind(i.seq)
    .bind(i.subject_org_id)
    .bind(i.subject_member_id)
    .bind(i.content.as_str())
    .bind(i.planned_month)
    .execute(e)
    .await
}

/// Remove an item no case carries out. 0 when it is started (or gone).
pub async fn delete_item_not_started(e: &mut impl Exec, id: Uuid) -> Result<u64, StoreError> {
    sql("DELETE FROM inspection_items WHERE id = $1 AND case_id IS NULL").bind(id).execute(e).await
}

pub async fn programme_by_id(e: &mut impl Exec, id: Uuid) -> Result<Option<Programme>, StoreError> {
    dynamic_sql(format!("SELECT {PROGRAMME_COLUMNS} FROM inspection_programmes WHERE id = $1"))
        .bind(id)
        .fetch_optional(e)
        .await
}

/// The programme of `org` for `year` and `kind`, if any.
pub async fn programme_of(
    e: &mut impl Exec,
    org: Uuid,
    year: i64,
    kind: &str,
) -> Result<Option<Programme>, StoreError> {
    dynamic_sql(format!(
        "SELECT {PROGRAMME_COLUMNS} FROM inspection_programmes WHERE org_id = $1 AND year = $2 AND kind = $3"
    ))
    .bind(org)
    .bind(year)
    .bind(kind)
    .fetch_optional(e)
    .await
}

/// The programmes of `org`, newest year first.
pub async fn programmes_of(e: &mut impl Exec, org: Uuid) -> Result<Vec<Programme>, StoreError> {
    dynamic_sql(format!(
        "SELECT {PROGRAMME_COLUMNS} FROM inspection_programmes WHERE org_id = $1 ORDER BY year DESC, kind"
    ))
    .bind(org)
    .fetch_all(e)
    .await
}

pub async fn items_of(e: &mut impl Exec, programme: Uuid) -> Result<Vec<Item>, StoreError> {
    dynamic_sql(format!("SELECT {ITEM_COLUMNS} FROM inspection_items WHERE programme_id = $1 ORDER BY seq"))
        .bind(programme)
        .fetch_all(e)
        .await
}

pub async fn item_by_id(e: &mut impl Exec, id: Uuid) -> Result<Option<Item>, StoreError> {
    dynamic_sql(format!("SELECT {ITEM_COLUMNS} FROM inspection_items WHERE id = $1")).bind(id).fetch_optional(e).await
}

/// Link an item to the case that carries it out (only while it has none: 0 when taken).
pub async fn link_item(e: &mut impl Exec, item: Uuid, case: Uuid) -> Result<u64, StoreError> {
    sql("UPDATE inspection_items SET case_id = $2 WHERE id = $1 AND case_id IS NULL")
        .bind(item)
        .bind(case)
        .execute(e)
        .await
}

/// Items of the programmes of `org` for `year` planned before `month` with no case yet (the
/// work list), with their programme.
pub async fn items_not_started(
    e: &mut impl Exec,
    org: Uuid,
    year: i64,
    month: i64,
) -> Result<Vec<(Programme, Item)>, StoreError> {
    let items: Vec<Item> = dynamic_sql(format!(
        "SELECT {} FROM inspection_items i JOIN inspection_programmes p ON p.id = i.programme_id \
         WHERE p.org_id = $1 AND p.year = $2 AND i.planned_month < $3 AND i.case_id IS NULL \
         ORDER BY i.planned_month, p.id, i.seq LIMIT 500",
        prefixed(ITEM_COLUMNS, "i")
    ))
    .bind(org)
    .bind(year)
    .bind(month)
    .fetch_all(e)
    .await?;
    with_owners(e, "inspection_programmes", PROGRAMME_COLUMNS, items, |i| i.programme_id, |p: &Programme| p.id).await
}

/// `rows` each with the row it belongs to (its programme or case), read in one more statement
/// from `table` by the ids `owner` names, in the order of `rows`.
async fn with_owners<P: crate::db::Record + Clone, T>(
    e: &mut impl Exec,
    table: &str,
    columns: &str,
    rows: Vec<T>,
    owner: impl Fn(&T) -> Uuid,
    id: impl Fn(&P) -> Uuid,
) -> Result<Vec<(P, T)>, StoreError> {
    let mut ids: Vec<Uuid> = rows.iter().map(&owner).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut owners: std::collections::HashMap<Uuid, P> = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let mut q =
            dynamic_sql(format!("SELECT {columns} FROM {table} WHERE id IN ({})", placeholders(1, chunk.len())));
        for i in chunk {
            q.push_arg(*i);
        }
        owners.extend(q.fetch_all::<P>(&mut *e).await?.into_iter().map(|p| (id(&p), p)));
    }
    Ok(rows.into_iter().filter_map(|r| owners.get(&owner(&r)).map(|p| (p.clone(), r))).collect())
}

/// `rows` each with its case.
pub(crate) async fn with_cases<T>(
    e: &mut impl Exec,
    rows: Vec<T>,
    case: impl Fn(&T) -> Uuid,
) -> Result<Vec<(Case, T)>, StoreError> {
    with_owners(e, "inspection_cases", CASE_COLUMNS, rows, case, |c: &Case| c.id).await
}

// ---- cases ----

fn case_args(c: &Case) -> Vec<Arg> {
    vec![
        c.id.into(),
        c.org_id.into(),
        c.by_inspection.into(),
        c.kind.as_str().into(),
        c.mode.clone().into(),
        c.subject.as_str().into(),
        c.subject_org_id.into(),
        c.subject_member_id.into(),
        c.covers.into(),
        c.decision_number.as_str().into(),
        c.decided_on.into(),
        c.team.as_str().into(),
        c.content.as_str().into(),
        c.due_on.into(),
        c.item_id.into(),
        c.result.as_str().into(),
        c.violated_on.into(),
        c.violation_level.clone().into(),
        c.grave.clone().into(),
        c.strengths.as_str().into(),
        c.shortcomings.as_str().into(),
        c.violations.as_str().into(),
        c.concluded_on.into(),
        c.by_name.as_str().into(),
        c.created_at.into(),
        c.version.into(),
        c.notice_year.into(),
        c.notice_number.into(),
    ]
}

pub async fn insert_case(e: &mut impl Exec, c: &Case) -> Result<(), StoreError> {
    insert_cases(e, std::slice::from_ref(c)).await
}

/// Cases in bulk (the demo).
pub async fn insert_cases(e: &mut impl Exec, cs: &[Case]) -> Result<(), StoreError> {
    insert_rows(e, "inspection_cases", CASE_COLUMNS, cs.iter().map(case_args).collect()).await
}

pub async fn case_by_id(e: &mut impl Exec, id: Uuid) -> Result<Option<Case>, StoreError> {
    dynamic_sql(format!("SELECT {CASE_COLUMNS} FROM inspection_cases WHERE id = $1")).bind(id).fetch_optional(e).await
}

/// The case `org` decided with this number, if any.
pub async fn case_by_number(e: &mut impl Exec, org: Uuid, number: &str) -> Result<Option<Case>, StoreError> {
    dynamic_sql(format!("SELECT {CASE_COLUMNS} FROM inspection_cases WHERE org_id = $1 AND decision_number = $2"))
        .bind(org)
        .bind(number)
        .fetch_optional(e)
        .await
}

/// Save the conclusion and the violation of a case; bumps its version. 0 when `version` is stale.
///
/// The notice takes the next number of the conclusion's year for the issuing body, read and
/// written in the one statement of the write transaction (SQLite: the one writer; PostgreSQL:
/// SERIALIZABLE, a concurrent conclusion of the same body retried), the unique index
/// `inspection_cases_notice` behind it.
pub async fn save_conclusion(e: &mut impl Exec, c: &Case) -> Result<u64, StoreError> {
    let year = c.concluded_on.map(|d| i64::from(d.year()));
    sql("UPDATE inspection_cases SET result = $2, violated_on = $3, violation_level = $4, grave = $5, strengths = $6, \
         shortcomings = $7, violations = $8, concluded_on = $9, version = version + 1, notice_year = $11, \
         notice_number = (SELECT COALESCE(MAX(n.notice_number), 0) + 1 FROM inspection_cases n \
           WHERE n.org_id = $12 AND n.by_inspection = $13 AND n.notice_year = $11) \
         WHERE id = $1 AND version = $10")
    .bind(c.id)
    .bind(c.result.as_str())
    .bind(c.violated_on)
    .bind(c.violation_level.clone())
    .bind(c.grave.clone())
    .bind(c.strengths.as_str())
    .bind(c.shortcomings.as_str())
    .bind(c.violations.as_str())
    .bind(c.concluded_on)
    .bind(c.version)
    .bind(year)
    .bind(c.org_id)
    .bind(c.by_inspection)
    .execute(e)
    .await
}

/// Bump a case's version (a step or a recommendation changed under it).
pub async fn touch_case(e: &mut impl Exec, id: Uuid) -> Result<(), StoreError> {
    sql("UPDATE inspection_cases SET version = version + 1 WHERE id = $1").bind(id).execute(e).await?;
    Ok(())
}

/// Which cases a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseScope {
    /// Decided by this organisation's bodies.
    DecidedBy(Uuid),
    /// Concluded cases whose subject is this member.
    ConcludedOnMember(Uuid),
    /// Concluded cases whose subject is this organisation.
    ConcludedOnOrg(Uuid),
}

/// Cases in `scope` decided in `[from, to]`, newest first, at most `limit`.
pub async fn cases(
    e: &mut impl Exec,
    scope: CaseScope,
    from: Date,
    to: Date,
    limit: i64,
) -> Result<Vec<Case>, StoreError> {
    let cols = prefixed(CASE_COLUMNS, "c");
    let q = match scope {
        CaseScope::DecidedBy(org) => dynamic_sql(format!(
            "SELECT {cols} FROM inspection_cases c WHERE c.org_id = $1 AND c.decided_on >= $2 AND c.decided_on <= $3 \
             ORDER BY c.decided_on DESC, c.id LIMIT $4"
        ))
        .bind(org),
        CaseScope::ConcludedOnMember(m) => dynamic_sql(format!(
            "SELECT {cols} FROM inspection_cases c WHERE c.subject_member_id = $1 AND c.concluded_on IS NOT NULL \
             AND c.decided_on >= $2 AND c.decided_on <= $3 ORDER BY c.decided_on DESC, c.id LIMIT $4"
        ))
        .bind(m),
        CaseScope::ConcludedOnOrg(o) => dynamic_sql(format!(
            "SELECT {cols} FROM inspection_cases c WHERE c.subject_org_id = $1 AND c.subject = 'org' \
             AND c.concluded_on IS NOT NULL AND c.decided_on >= $2 AND c.decided_on <= $3 \
             ORDER BY c.decided_on DESC, c.id LIMIT $4"
        ))
        .bind(o),
    };
    q.bind(from).bind(to).bind(limit).fetch_all(e).await
}

/// Every case decided by `org` with `subject_org` as subject's organisation (the figures).
pub async fn cases_of_pair(e: &mut impl Exec, org: Uuid, subject_org: Uuid) -> Result<Vec<Case>, StoreError> {
    dynamic_sql(format!("SELECT {CASE_COLUMNS} FROM inspection_cases WHERE org_id = $1 AND subject_org_id = $2"))
        .bind(org)
        .bind(subject_org)
        .fetch_all(e)
        .await
}

/// Open cases decided by `org` with a violation date (the limitation work list).
pub async fn open_with_violation(e: &mut impl Exec, org: Uuid) -> Result<Vec<Case>, StoreError> {
    dynamic_sql(format!(
        "SELECT {} FROM inspection_cases c \
         WHERE c.org_id = $1 AND c.violated_on IS NOT NULL AND c.concluded_on IS NULL \
         ORDER BY c.violated_on LIMIT 500",
        prefixed(CASE_COLUMNS, "c")
    ))
    .bind(org)
    .fetch_all(e)
    .await
}

/// Set the violation of an open case (its date, level, grave kind) before the conclusion.
pub async fn set_violation(
    e: &mut impl Exec,
    case: Uuid,
    on: Option<Date>,
    level: Option<&str>,
    grave: Option<&str>,
) -> Result<(), StoreError> {
    sql("UPDATE inspection_cases SET violated_on = $2, violation_level = $3, grave = $4, version = version + 1 WHERE id = $1")
        .bind(case)
        .bind(on)
        .bind(level)
        .bind(grave)
        .execute(e)
        .await?;
    Ok(())
}

/// The dates of the violations concluded on a member or an organisation after `after` (the new
/// violations that restart a limitation period).
pub async fn violations_after(
    e: &mut impl Exec,
    member: Option<Uuid>,
    org: Uuid,
    after: Date,
) -> Result<Vec<Date>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        violated_on: Date,
    }
    let rows: Vec<Row> = match member {
        Some(m) => sql("SELECT violated_on FROM inspection_cases WHERE subject_member_id = $1 AND violated_on > $2")
            .bind(m)
            .bind(after),
        None => sql(
            "SELECT violated_on FROM inspection_cases WHERE subject = 'org' AND subject_org_id = $1 AND violated_on > $2",
        )
        .bind(org)
        .bind(after),
    }
    .fetch_all(e)
    .await?;
    Ok(rows.into_iter().map(|r| r.violated_on).collect())
}

/// The organisations `org`'s cases covered (inspected or supervised directly under it) with a
/// decision in `[from, to]`.
pub async fn covered_by(e: &mut impl Exec, org: Uuid, from: Date, to: Date) -> Result<Vec<Uuid>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        subject_org_id: Uuid,
    }
    let rows: Vec<Row> = sql("SELECT DISTINCT subject_org_id FROM inspection_cases \
         WHERE org_id = $1 AND covers = $2 AND decided_on >= $3 AND decided_on <= $4")
    .bind(org)
    .bind(true)
    .bind(from)
    .bind(to)
    .fetch_all(e)
    .await?;
    Ok(rows.into_iter().map(|r| r.subject_org_id).collect())
}
