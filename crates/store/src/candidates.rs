//! Candidates for admission (*quần chúng ưu tú*) and their dossiers. The dossier is stored as
//! entered (JSON of [`CandidateInput`]); the columns beside it serve listing and sorting.

use crate::StoreError;
use crate::db::{Exec, Sql, dynamic_sql};
use chibo_domain::life::{CandidateInput, CandidateState};
use chibo_domain::member::full_name;
use chibo_domain::{collation, path};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

/// A candidate as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub id: Uuid,
    pub org_path: String,
    pub full_name: String,
    pub input: CandidateInput,
    pub state: CandidateState,
    /// The member record created by the admission.
    pub member_id: Option<Uuid>,
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct CandidateRow {
    id: Uuid,
    org_path: String,
    full_name: String,
    dossier: String,
    state: String,
    member_id: Option<Uuid>,
    version: i64,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

const COLUMNS: &str = "id, org_path, full_name, dossier, state, member_id, version, created_at, updated_at";

impl TryFrom<CandidateRow> for Candidate {
    type Error = StoreError;
    fn try_from(r: CandidateRow) -> Result<Candidate, StoreError> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("candidate {}: {what}", r.id));
        Ok(Candidate {
            id: r.id,
            input: serde_json::from_str(&r.dossier).map_err(|_| corrupt("dossier"))?,
            state: CandidateState::parse(&r.state).ok_or_else(|| corrupt("state"))?,
            org_path: r.org_path,
            full_name: r.full_name,
            member_id: r.member_id,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

/// The cell, the person's columns and the dossier, in the column order both statements use.
fn bind_person(q: Sql, org_path: &str, input: &CandidateInput) -> Result<Sql, StoreError> {
    let (family, middle, given) = (&input.family_name, &input.middle_name, &input.given_name);
    Ok(q.bind(input.org_id)
        .bind(org_path)
        .bind(family.as_str())
        .bind(middle.as_str())
        .bind(given.as_str())
        .bind(full_name(family, middle, given))
        .bind(collation::sort_key(family, middle, given))
        .bind(input.birth_date)
        .bind(input.gender.code())
        .bind(input.ethnicity_code)
        .bind(input.citizen_id.clone())
        .bind(input.youth_union_resolution_on.is_some())
        .bind(dossier_json(input)?))
}

fn dossier_json(input: &CandidateInput) -> Result<String, StoreError> {
    serde_json::to_string(input).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Insert a new open candidate in the cell at `org_path`.
pub async fn insert(e: &mut impl Exec, id: Uuid, org_path: &str, input: &CandidateInput) -> Result<(), StoreError> {
    let now = OffsetDateTime::now_utc();
    let q = dynamic_sql(
        "INSERT INTO candidates (id, org_id, org_path, family_name, middle_name, given_name, full_name, sort_key, \
         birth_date, gender, ethnicity_code, citizen_id, youth_union_member, dossier, state, member_id, version, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, NULL, 1, $16, $16)"
            .to_string(),
    )
    .bind(id);
    bind_person(q, org_path, input)?.bind(CandidateState::Open.code()).bind(now).execute(e).await?;
    Ok(())
}

/// Replace a candidate's dossier, state and member link if it is still at `version`.
pub async fn update(
    e: &mut impl Exec,
    c: &Candidate,
    org_path: &str,
    input: &CandidateInput,
    state: CandidateState,
    member_id: Option<Uuid>,
) -> Result<(), StoreError> {
    let q = dynamic_sql(
        "UPDATE candidates SET org_id = $1, org_path = $2, family_name = $3, middle_name = $4, given_name = $5, \
         full_name = $6, sort_key = $7, birth_date = $8, gender = $9, ethnicity_code = $10, citizen_id = $11, \
         youth_union_member = $12, dossier = $13, state = $14, member_id = $15, version = version + 1, \
         updated_at = $16 WHERE id = $17 AND version = $18"
            .to_string(),
    );
    let changed = bind_person(q, org_path, input)?
        .bind(state.code())
        .bind(member_id)
        .bind(OffsetDateTime::now_utc())
        .bind(c.id)
        .bind(c.version)
        .execute(e)
        .await?;
    if changed == 0 {
        return Err(StoreError::Stale);
    }
    Ok(())
}

pub async fn by_id(e: &mut impl Exec, id: Uuid) -> Result<Option<Candidate>, StoreError> {
    let q = dynamic_sql(format!("SELECT {COLUMNS} FROM candidates WHERE id = $1")).bind(id);
    q.fetch_optional::<CandidateRow>(e).await?.map(Candidate::try_from).transpose()
}

/// The candidates of a subtree in a state, in Vietnamese name order.
pub async fn in_subtree(
    e: &mut impl Exec,
    org_path: &str,
    state: CandidateState,
) -> Result<Vec<Candidate>, StoreError> {
    let rows: Vec<CandidateRow> = dynamic_sql(format!(
        "SELECT {COLUMNS} FROM candidates WHERE org_path >= $1 AND org_path < $2 AND state = $3 ORDER BY sort_key, id"
    ))
    .bind(org_path)
    .bind(path::subtree_end(org_path))
    .bind(state.code())
    .fetch_all(e)
    .await?;
    rows.into_iter().map(Candidate::try_from).collect()
}

/// A candidate other than `except` whose case is not withdrawn holding a citizen ID (an
/// admitted one's member record holds it too).
pub async fn holder_of_citizen_id(
    e: &mut impl Exec,
    citizen_id: &str,
    except: Option<Uuid>,
) -> Result<Option<Uuid>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct IdRow {
        id: Uuid,
    }
    let rows: Vec<IdRow> =
        dynamic_sql("SELECT id FROM candidates WHERE citizen_id = $1 AND state <> 'withdrawn'".to_string())
            .bind(citizen_id)
            .fetch_all(e)
            .await?;
    Ok(rows.into_iter().map(|r| r.id).find(|id| Some(*id) != except))
}
