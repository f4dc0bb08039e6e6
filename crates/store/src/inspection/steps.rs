//! A case's steps with their deadlines and the recommendations of its conclusion (*kiến nghị*).

use super::{Case, insert_rows, prefixed, with_cases};
use crate::StoreError;
use crate::db::{Exec, dynamic_sql, sql};
use serde::Serialize;
use time::Date;
use uuid::Uuid;

/// A step of a case: its deadline and the day taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct StepRow {
    pub case_id: Uuid,
    pub step: String,
    pub seq: i64,
    pub deadline: Option<Date>,
    pub taken_on: Option<Date>,
    pub note: String,
    pub by_name: Option<String>,
}

const STEP_COLUMNS: &str = "case_id, step, seq, deadline, taken_on, note, by_name";

/// A recommendation of a conclusion (*kiến nghị*).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Recommendation {
    pub id: Uuid,
    pub case_id: Uuid,
    pub seq: i64,
    pub content: String,
    pub owner: String,
    pub deadline: Date,
    pub done_on: Option<Date>,
    pub note: String,
}

const RECOMMENDATION_COLUMNS: &str = "id, case_id, seq, content, owner, deadline, done_on, note";

pub async fn insert_steps(e: &mut impl Exec, steps: &[StepRow]) -> Result<(), StoreError> {
    let rows = steps
        .iter()
        .map(|s| {
            vec![
                s.case_id.into(),
                s.step.as_str().into(),
                s.seq.into(),
                s.deadline.into(),
                s.taken_on.into(),
                s.note.as_str().into(),
                s.by_name.clone().into(),
            ]
        })
        .collect();
    insert_rows(e, "inspection_steps", STEP_COLUMNS, rows).await
}

pub async fn steps_of(e: &mut impl Exec, case: Uuid) -> Result<Vec<StepRow>, StoreError> {
    dynamic_sql(format!("SELECT {STEP_COLUMNS} FROM inspection_steps WHERE case_id = $1 ORDER BY seq"))
        .bind(case)
        .fetch_all(e)
        .await
}

/// Take a step (only while not taken: 0 when it was).
pub async fn take_step(
    e: &mut impl Exec,
    case: Uuid,
    step: &str,
    on: Date,
    note: &str,
    by: &str,
) -> Result<u64, StoreError> {
    sql("UPDATE inspection_steps SET taken_on = $3, note = $4, by_name = $5 \
         WHERE case_id = $1 AND step = $2 AND taken_on IS NULL")
    .bind(case)
    .bind(step)
    .bind(on)
    .bind(note)
    .bind(by)
    .execute(e)
    .await
}

/// Steps of cases decided by `org` past their deadline on `today` and not taken: (case, step).
pub async fn steps_overdue(e: &mut impl Exec, org: Uuid, today: Date) -> Result<Vec<(Case, StepRow)>, StoreError> {
    let steps: Vec<StepRow> = dynamic_sql(format!(
        "SELECT {} FROM inspection_steps s JOIN inspection_cases c ON c.id = s.case_id \
         WHERE c.org_id = $1 AND s.taken_on IS NULL \
         AND s.deadline < $2 AND c.concluded_on IS NULL ORDER BY s.deadline, c.id, s.seq LIMIT 500",
        prefixed(STEP_COLUMNS, "s")
    ))
    .bind(org)
    .bind(today)
    .fetch_all(e)
    .await?;
    with_cases(e, steps, |s| s.case_id).await
}

// ---- recommendations ----

pub async fn insert_recommendations(e: &mut impl Exec, rs: &[Recommendation]) -> Result<(), StoreError> {
    let rows = rs
        .iter()
        .map(|r| {
            vec![
                r.id.into(),
                r.case_id.into(),
                r.seq.into(),
                r.content.as_str().into(),
                r.owner.as_str().into(),
                r.deadline.into(),
                r.done_on.into(),
                r.note.as_str().into(),
            ]
        })
        .collect();
    insert_rows(e, "inspection_recommendations", RECOMMENDATION_COLUMNS, rows).await
}

pub async fn recommendations_of(e: &mut impl Exec, case: Uuid) -> Result<Vec<Recommendation>, StoreError> {
    dynamic_sql(format!(
        "SELECT {RECOMMENDATION_COLUMNS} FROM inspection_recommendations WHERE case_id = $1 ORDER BY seq"
    ))
    .bind(case)
    .fetch_all(e)
    .await
}

pub async fn recommendation_by_id(e: &mut impl Exec, id: Uuid) -> Result<Option<Recommendation>, StoreError> {
    dynamic_sql(format!("SELECT {RECOMMENDATION_COLUMNS} FROM inspection_recommendations WHERE id = $1"))
        .bind(id)
        .fetch_optional(e)
        .await
}

pub async fn set_recommendation_done(
    e: &mut impl Exec,
    id: Uuid,
    done_on: Option<Date>,
    note: &str,
) -> Result<(), StoreError> {
    sql("UPDATE inspection_recommendations SET done_on = $2, note = $3 WHERE id = $1")
        .bind(id)
        .bind(done_on)
        .bind(note)
        .execute(e)
        .await?;
    Ok(())
}

/// Recommendations of cases decided by `org` past their deadline and not done: (case, rec).
pub async fn recommendations_overdue(
    e: &mut impl Exec,
    org: Uuid,
    today: Date,
) -> Result<Vec<(Case, Recommendation)>, StoreError> {
    let recs: Vec<Recommendation> = dynamic_sql(format!(
        "SELECT {} FROM inspection_recommendations r JOIN inspection_cases c ON c.id = r.case_id \
         WHERE c.org_id = $1 AND r.done_on IS NULL AND r.deadline < $2 \
         ORDER BY r.deadline, c.id, r.seq LIMIT 500",
        prefixed(RECOMMENDATION_COLUMNS, "r")
    ))
    .bind(org)
    .bind(today)
    .fetch_all(e)
    .await?;
    with_cases(e, recs, |r| r.case_id).await
}
