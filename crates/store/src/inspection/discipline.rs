//! Discipline from a case (*kỷ luật*) and the appeal against it (*khiếu nại kỷ luật*).

use super::{Case, insert_rows, prefixed, with_cases};
use crate::StoreError;
use crate::db::{Arg, Exec, dynamic_sql, sql};
use serde::Serialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Discipline from a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Discipline {
    pub id: Uuid,
    pub case_id: Uuid,
    pub proposed_form: String,
    pub proposed_on: Date,
    pub reason: String,
    pub self_review_on: Option<Date>,
    pub self_review: String,
    pub body_members: Option<i64>,
    /// The ballots per form, `form:n,…`.
    pub votes: String,
    pub votes_none: Option<i64>,
    pub decided_form: Option<String>,
    pub decision_number: Option<String>,
    pub decided_on: Option<Date>,
    pub received_on: Option<Date>,
    /// The form in force: the decided one, a lighter one after an appeal, none once annulled.
    pub form_in_force: Option<String>,
    /// The member's `disciplined` event in force.
    pub event_id: Option<Uuid>,
    pub by_name: String,
    pub created_at: OffsetDateTime,
    pub version: i64,
}

impl Discipline {
    /// A discipline as proposed, nothing decided yet.
    pub fn proposed(id: Uuid, case_id: Uuid, form: &str, on: Date, reason: &str, by_name: &str) -> Discipline {
        Discipline {
            id,
            case_id,
            proposed_form: form.into(),
            proposed_on: on,
            reason: reason.into(),
            self_review_on: None,
            self_review: String::new(),
            body_members: None,
            votes: String::new(),
            votes_none: None,
            decided_form: None,
            decision_number: None,
            decided_on: None,
            received_on: None,
            form_in_force: None,
            event_id: None,
            by_name: by_name.into(),
            created_at: OffsetDateTime::now_utc(),
            version: 1,
        }
    }
}

const DISCIPLINE_COLUMNS: &str = "id, case_id, proposed_form, proposed_on, reason, self_review_on, self_review, \
     body_members, votes, votes_none, decided_form, decision_number, decided_on, received_on, form_in_force, event_id, \
     by_name, created_at, version";

/// An appeal against a discipline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Appeal {
    pub id: Uuid,
    pub discipline_id: Uuid,
    pub filed_on: Date,
    pub answer_by: Date,
    pub body_org_id: Uuid,
    pub content: String,
    pub outcome: Option<String>,
    pub new_form: Option<String>,
    pub answer_number: Option<String>,
    pub answered_on: Option<Date>,
    pub by_name: String,
    pub created_at: OffsetDateTime,
    pub version: i64,
}

const APPEAL_COLUMNS: &str = "id, discipline_id, filed_on, answer_by, body_org_id, content, outcome, new_form, \
     answer_number, answered_on, by_name, created_at, version";

fn discipline_args(d: &Discipline) -> Vec<Arg> {
    vec![
        d.id.into(),
        d.case_id.into(),
        d.proposed_form.as_str().into(),
        d.proposed_on.into(),
        d.reason.as_str().into(),
        d.self_review_on.into(),
        d.self_review.as_str().into(),
        d.body_members.into(),
        d.votes.as_str().into(),
        d.votes_none.into(),
        d.decided_form.clone().into(),
        d.decision_number.clone().into(),
        d.decided_on.into(),
        d.received_on.into(),
        d.form_in_force.clone().into(),
        d.event_id.into(),
        d.by_name.as_str().into(),
        d.created_at.into(),
        d.version.into(),
    ]
}

pub async fn insert_discipline(e: &mut impl Exec, d: &Discipline) -> Result<(), StoreError> {
    insert_rows(e, "inspection_disciplines", DISCIPLINE_COLUMNS, vec![discipline_args(d)]).await
}

/// Save a discipline as it is now (version checked and bumped): 0 when stale.
pub async fn save_discipline(e: &mut impl Exec, d: &Discipline) -> Result<u64, StoreError> {
    let sets = DISCIPLINE_COLUMNS
        .split(", ")
        .map(str::trim)
        .enumerate()
        .skip(2)
        .filter(|(_, c)| *c != "version")
        .map(|(i, c)| format!("{c} = ${}", i + 1))
        .collect::<Vec<_>>()
        .join(", ");
    let mut q = dynamic_sql(format!(
        "UPDATE inspection_disciplines SET {sets}, version = version + 1 WHERE id = $1 AND case_id = $2 AND version = $19"
    ));
    for a in discipline_args(d) {
        q.push_arg(a);
    }
    q.execute(e).await
}

pub async fn discipline_of_case(e: &mut impl Exec, case: Uuid) -> Result<Option<Discipline>, StoreError> {
    dynamic_sql(format!("SELECT {DISCIPLINE_COLUMNS} FROM inspection_disciplines WHERE case_id = $1"))
        .bind(case)
        .fetch_optional(e)
        .await
}

pub async fn insert_appeal(e: &mut impl Exec, a: &Appeal) -> Result<(), StoreError> {
    let row = vec![
        a.id.into(),
        a.discipline_id.into(),
        a.filed_on.into(),
        a.answer_by.into(),
        a.body_org_id.into(),
        a.content.as_str().into(),
        a.outcome.clone().into(),
        a.new_form.clone().into(),
        a.answer_number.clone().into(),
        a.answered_on.into(),
        a.by_name.as_str().into(),
        a.created_at.into(),
        a.version.into(),
    ];
    insert_rows(e, "inspection_appeals", APPEAL_COLUMNS, vec![row]).await
}

pub async fn appeal_of(e: &mut impl Exec, discipline: Uuid) -> Result<Option<Appeal>, StoreError> {
    dynamic_sql(format!("SELECT {APPEAL_COLUMNS} FROM inspection_appeals WHERE discipline_id = $1"))
        .bind(discipline)
        .fetch_optional(e)
        .await
}

/// Answer an appeal (only while unanswered: 0 when it was).
pub async fn answer_appeal(e: &mut impl Exec, a: &Appeal) -> Result<u64, StoreError> {
    sql("UPDATE inspection_appeals SET outcome = $2, new_form = $3, answer_number = $4, answered_on = $5, \
         version = version + 1 WHERE id = $1 AND outcome IS NULL")
    .bind(a.id)
    .bind(a.outcome.clone())
    .bind(a.new_form.clone())
    .bind(a.answer_number.clone())
    .bind(a.answered_on)
    .execute(e)
    .await
}

/// Appeals waiting for an answer by `org`: (case, appeal).
pub async fn appeals_waiting(e: &mut impl Exec, org: Uuid) -> Result<Vec<(Case, Appeal)>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        a: Appeal,
        case_key: Uuid,
    }
    let rows: Vec<Row> = dynamic_sql(format!(
        "SELECT {}, d.case_id AS case_key FROM inspection_appeals a \
         JOIN inspection_disciplines d ON d.id = a.discipline_id \
         WHERE a.body_org_id = $1 AND a.outcome IS NULL ORDER BY a.answer_by, a.id LIMIT 500",
        prefixed(APPEAL_COLUMNS, "a")
    ))
    .bind(org)
    .fetch_all(e)
    .await?;
    Ok(with_cases(e, rows, |r| r.case_key).await?.into_iter().map(|(c, r)| (c, r.a)).collect())
}

/// How many organisations directly under `org` (not party groups) have a discipline in force
/// decided from `from` to `to` (each once).
pub async fn orgs_disciplined_under(e: &mut impl Exec, org: Uuid, from: Date, to: Date) -> Result<i64, StoreError> {
    sql("SELECT COUNT(DISTINCT c.subject_org_id) FROM inspection_cases c \
         JOIN inspection_disciplines d ON d.case_id = c.id JOIN orgs o ON o.id = c.subject_org_id \
         WHERE c.subject = 'org' AND o.parent_id = $1 AND o.kind <> 'party_group' \
         AND d.form_in_force IS NOT NULL AND d.decided_on >= $2 AND d.decided_on <= $3")
    .bind(org)
    .bind(from)
    .bind(to)
    .fetch_i64(e)
    .await
}
