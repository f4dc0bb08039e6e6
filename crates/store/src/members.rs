//! Member records: reads, writes, the sorted and searchable page, duplicate checks.

use crate::StoreError;
use crate::db::{Exec, dynamic_sql, sql};
use crate::orgs::OrgStats;
use chibo_domain::member::{Gender, MemberInput, MemberStatus, TheoryLevel};
use chibo_domain::profile::MemberProfile;
use serde::Serialize;
use std::sync::LazyLock;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// A member record as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    pub id: Uuid,
    pub org_path: String,
    pub province_code: Option<i32>,
    pub full_name: String,
    pub input: MemberInput,
    /// State kept from the events that the record form does not carry.
    pub life: MemberLife,
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// The parts of a member's replayed state stored beside the record.
pub use chibo_domain::life::RecordLife as MemberLife;

impl Member {
    /// This record's contribution to the subtree counters: active members on the rolls
    /// (not in transit between organisations).
    pub fn stats(&self) -> OrgStats {
        if self.life.transit_org_id.is_some() { OrgStats::default() } else { stats_of(&self.input) }
    }

    /// On the rolls of its organisation: counted in the counters and the kept structure.
    pub fn on_rolls(&self) -> bool {
        self.stats().members > 0
    }
}

/// What one member adds to the counters of its organisations (nothing once membership ended).
pub fn stats_of(m: &MemberInput) -> OrgStats {
    if !m.status.is_active() {
        return OrgStats::default();
    }
    OrgStats {
        members: 1,
        official: i64::from(m.status == MemberStatus::Official),
        probationary: i64::from(m.status == MemberStatus::Probationary),
        female: i64::from(m.gender == Gender::Female),
        minority: i64::from(m.ethnicity_code != 1),
        cells: 0,
    }
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: Uuid,
    org_id: Uuid,
    org_path: String,
    province_code: Option<i64>,
    family_name: String,
    middle_name: String,
    given_name: String,
    full_name: String,
    birth_date: Date,
    gender: String,
    ethnicity_code: i64,
    #[sqlx(flatten)]
    profile: ProfileRow,
    theory_level: String,
    admission_date: Date,
    official_date: Option<Date>,
    status: String,
    age_exception_approved: bool,
    exempt_since: Option<Date>,
    attached_org_id: Option<Uuid>,
    transit_org_id: Option<Uuid>,
    ended_on: Option<Date>,
    version: i64,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

/// The stored columns but the profile's, which [`profile_columns`] adds.
const CORE_COLUMNS: &str = "id, org_id, org_path, province_code, family_name, middle_name, given_name, full_name, \
     birth_date, gender, ethnicity_code, theory_level, admission_date, official_date, status, age_exception_approved, \
     exempt_since, attached_org_id, transit_org_id, ended_on, version, created_at, updated_at";

/// The profile's columns (one per field of [`MemberProfile::FIELDS`], named as the field), joined
/// with `, `.
fn profile_columns() -> &'static str {
    static COLUMNS: LazyLock<String> =
        LazyLock::new(|| MemberProfile::FIELDS.iter().map(|f| f.name()).collect::<Vec<_>>().join(", "));
    &COLUMNS
}

/// Every stored column of a member, for the reads.
fn columns() -> &'static str {
    static COLUMNS: LazyLock<String> = LazyLock::new(|| format!("{CORE_COLUMNS}, {}", profile_columns()));
    &COLUMNS
}

/// The profile read from its columns.
struct ProfileRow(MemberProfile);

impl<'r, R: sqlx::Row> sqlx::FromRow<'r, R> for ProfileRow
where
    &'r str: sqlx::ColumnIndex<R>,
    Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    fn from_row(row: &'r R) -> Result<ProfileRow, sqlx::Error> {
        let mut p = MemberProfile::default();
        for (f, slot) in MemberProfile::FIELDS.iter().zip(p.values_mut()) {
            *slot = row.try_get(f.name())?;
        }
        Ok(ProfileRow(p))
    }
}

fn corrupt(id: Uuid, what: &str) -> StoreError {
    StoreError::Corrupt(format!("member {id}: {what}"))
}

impl TryFrom<MemberRow> for Member {
    type Error = StoreError;
    fn try_from(r: MemberRow) -> Result<Member, StoreError> {
        Ok(Member {
            id: r.id,
            org_path: r.org_path,
            province_code: r.province_code.map(|c| c as i32),
            full_name: r.full_name,
            life: MemberLife {
                exempt_since: r.exempt_since,
                attached_org_id: r.attached_org_id,
                transit_org_id: r.transit_org_id,
                ended_on: r.ended_on,
            },
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
            input: MemberInput {
                family_name: r.family_name,
                middle_name: r.middle_name,
                given_name: r.given_name,
                birth_date: r.birth_date,
                gender: Gender::parse(&r.gender).ok_or_else(|| corrupt(r.id, "gender"))?,
                ethnicity_code: r.ethnicity_code as i32,
                profile: r.profile.0,
                theory_level: TheoryLevel::parse(&r.theory_level).ok_or_else(|| corrupt(r.id, "theory_level"))?,
                admission_date: r.admission_date,
                official_date: r.official_date,
                status: MemberStatus::parse(&r.status).ok_or_else(|| corrupt(r.id, "status"))?,
                age_exception_approved: r.age_exception_approved,
                org_id: r.org_id,
            },
        })
    }
}

/// The members on the rolls of a subtree (official and probationary, not in transit out), in
/// (path, id) order, `limit` at a time after `after` (export reads the registry page by page).
pub async fn on_rolls_under(
    e: &mut impl Exec,
    root_path: &str,
    after: Option<(&str, Uuid)>,
    limit: i64,
) -> Result<Vec<Member>, StoreError> {
    let (after_path, after_id) = after.map_or((String::new(), Uuid::nil()), |(p, id)| (p.to_string(), id));
    let q = dynamic_sql(format!(
        "SELECT {} FROM members WHERE org_path >= $1 AND org_path < $2 \
         AND status IN ('official', 'probationary') \
         AND {} ORDER BY org_path, id LIMIT {}",
        columns(),
        crate::db::MEMBERS_AFTER_PATH_AND_ID,
        limit.clamp(1, 10_000)
    ))
    .bind(root_path.to_string())
    .bind(chibo_domain::path::subtree_end(root_path))
    .bind(after_path)
    .bind(after_id);
    q.fetch_all::<MemberRow>(e).await?.into_iter().map(Member::try_from).collect()
}

/// How many members [`on_rolls_under`] lists for `root_path`, counted by the database.
pub async fn count_on_rolls_under(e: &mut impl Exec, root_path: &str) -> Result<i64, StoreError> {
    sql("SELECT COUNT(*) FROM members WHERE org_path >= $1 AND org_path < $2 AND status IN ('official', 'probationary')")
        .bind(root_path.to_string())
        .bind(chibo_domain::path::subtree_end(root_path))
        .fetch_i64(e)
        .await
}

pub async fn by_id(e: &mut impl Exec, id: Uuid) -> Result<Option<Member>, StoreError> {
    let q = dynamic_sql(format!("SELECT {} FROM members WHERE id = $1", columns())).bind(id);
    q.fetch_optional::<MemberRow>(e).await?.map(Member::try_from).transpose()
}

/// A new or replaced member record with where it sits.
pub struct NewMember<'a> {
    pub id: Uuid,
    pub org_path: &'a str,
    pub province_code: Option<i32>,
    pub input: &'a MemberInput,
}

/// The columns an insert writes but the profile's (which follow them).
const INSERT_CORE: &str = "id, org_id, org_path, province_code, family_name, middle_name, given_name, full_name, sort_key, \
     search_key, birth_date, gender, ethnicity_code, theory_level, admission_date, official_date, status, \
     age_exception_approved, created_at, updated_at";
const UNIQUE_FIELDS: &[&str] = &["citizen_id", "party_card_number"];

/// Push a member's columns; `keys` its sort and search keys (computed once for the row and its
/// words).
fn push_member(
    q: &mut crate::insert_rows::InsertRows,
    m: &NewMember<'_>,
    keys: &(String, String),
    now: OffsetDateTime,
) {
    let i = m.input;
    q.push(m.id);
    q.push(i.org_id);
    q.push(m.org_path);
    q.push(m.province_code);
    q.push(i.family_name.as_str());
    q.push(i.middle_name.as_str());
    q.push(i.given_name.as_str());
    q.push(i.full_name());
    q.push(keys.0.as_str());
    q.push(keys.1.as_str());
    q.push(i.birth_date);
    q.push(i.gender.code());
    q.push(i.ethnicity_code);
    q.push(i.theory_level.code());
    q.push(i.admission_date);
    q.push(i.official_date);
    q.push(i.status.code());
    q.push(i.age_exception_approved);
    q.push(now);
    q.push(now);
    for v in i.profile.values() {
        q.push(v.clone());
    }
}

fn map_unique(err: StoreError) -> StoreError {
    match err {
        StoreError::Db(d) => StoreError::from_unique(d, UNIQUE_FIELDS),
        other => other,
    }
}

/// Insert members (any number: [`crate::insert_rows`] writes them in bulk) and their words.
/// The caller maintains the counters.
pub async fn insert_many(e: &mut impl Exec, members: &[NewMember<'_>]) -> Result<(), StoreError> {
    if members.is_empty() {
        return Ok(());
    }
    let mut q = crate::insert_rows::InsertRows::new("members", &format!("{INSERT_CORE}, {}", profile_columns()))
        .with_rows(members.len());
    let now = OffsetDateTime::now_utc();
    let keys: Vec<(String, String)> = members.iter().map(|m| (m.input.sort_key(), m.input.search_key())).collect();
    for (m, k) in members.iter().zip(&keys) {
        push_member(&mut q, m, k, now);
    }
    q.run(e).await.map_err(map_unique)?;
    let entries: Vec<crate::words::Entry<'_>> = members
        .iter()
        .zip(&keys)
        .map(|(m, (sort, search))| crate::words::Entry {
            id: m.id,
            org_path: m.org_path,
            sort_key: sort,
            search_key: search,
        })
        .collect();
    crate::words::add(e, &entries).await
}

/// Replace a member record (whose stored fields are `previous`, at `previous_path`) if it is still at
/// `expected_version`; the caller maintains the counters. Fails with [`StoreError::Stale`]
/// if someone changed it meanwhile.
pub async fn update(
    e: &mut impl Exec,
    m: &NewMember<'_>,
    previous: &MemberInput,
    previous_path: &str,
    expected_version: i64,
) -> Result<(), StoreError> {
    let i = m.input;
    static UPDATE: LazyLock<String> = LazyLock::new(|| {
        let profile: Vec<String> =
            MemberProfile::FIELDS.iter().enumerate().map(|(k, f)| format!("{} = ${}", f.name(), 20 + k)).collect();
        format!(
            "UPDATE members SET org_id = $2, org_path = $3, province_code = $4, family_name = $5, middle_name = $6, \
             given_name = $7, full_name = $8, sort_key = $9, search_key = $10, birth_date = $11, gender = $12, \
             ethnicity_code = $13, theory_level = $14, admission_date = $15, official_date = $16, status = $17, \
             age_exception_approved = $18, updated_at = $19, {}, version = version + 1 WHERE id = $1 AND version = ${}",
            profile.join(", "),
            20 + MemberProfile::FIELDS.len()
        )
    });
    let mut q = sql(UPDATE.as_str())
        .bind(m.id)
        .bind(i.org_id)
        .bind(m.org_path)
        .bind(m.province_code)
        .bind(i.family_name.as_str())
        .bind(i.middle_name.as_str())
        .bind(i.given_name.as_str())
        .bind(i.full_name())
        .bind(i.sort_key())
        .bind(i.search_key())
        .bind(i.birth_date)
        .bind(i.gender.code())
        .bind(i.ethnicity_code)
        .bind(i.theory_level.code())
        .bind(i.admission_date)
        .bind(i.official_date)
        .bind(i.status.code())
        .bind(i.age_exception_approved)
        .bind(OffsetDateTime::now_utc());
    for v in i.profile.values() {
        q.push_arg(v.clone());
    }
    let n = q.bind(expected_version).execute(e).await.map_err(map_unique)?;
    if n != 1 {
        return Err(StoreError::Stale);
    }
    let (old_sort, old_search) = (previous.sort_key(), previous.search_key());
    let (new_sort, new_search) = (i.sort_key(), i.search_key());
    if old_sort != new_sort || old_search != new_search || previous_path != m.org_path {
        let entry = |org_path, sort_key, search_key| crate::words::Entry { id: m.id, org_path, sort_key, search_key };
        crate::words::remove(e, entry(previous_path, &old_sort, &old_search)).await?;
        crate::words::add(e, &[entry(m.org_path, &new_sort, &new_search)]).await?;
    }
    Ok(())
}

/// Store the replayed state that the record form does not carry.
pub async fn set_life(e: &mut impl Exec, id: Uuid, life: &MemberLife) -> Result<(), StoreError> {
    sql("UPDATE members SET exempt_since = $2, attached_org_id = $3, transit_org_id = $4, ended_on = $5 WHERE id = $1")
        .bind(id)
        .bind(life.exempt_since)
        .bind(life.attached_org_id)
        .bind(life.transit_org_id)
        .bind(life.ended_on)
        .execute(e)
        .await?;
    Ok(())
}

/// [`set_life`] of many members at once (a bulk load, an import): a statement per
/// [`crate::db::rows_per_statement`] members, where one each was a round trip each (on PostgreSQL
/// about 10,000 of them in a province's demo load).
pub async fn set_lives(e: &mut impl Exec, lives: &[(Uuid, &MemberLife)]) -> Result<(), StoreError> {
    for chunk in lives.chunks(crate::db::rows_per_statement(5)) {
        // A `VALUES` list names its columns column1, column2 … on both engines.
        let mut q = dynamic_sql(format!(
            "UPDATE members SET exempt_since = v.column2, attached_org_id = v.column3, transit_org_id = v.column4, \
             ended_on = v.column5 FROM (VALUES {}) AS v WHERE members.id = v.column1",
            crate::db::values_rows(e.engine(), chunk.len(), 5)
        ));
        for (id, life) in chunk {
            q.push_arg(*id);
            q.push_arg(life.exempt_since);
            q.push_arg(life.attached_org_id);
            q.push_arg(life.transit_org_id);
            q.push_arg(life.ended_on);
        }
        q.execute(e).await?;
    }
    Ok(())
}

/// The member holding a unique identifier, other than `except`.
pub async fn holder_of(
    e: &mut impl Exec,
    field: &'static str,
    value: &str,
    except: Option<Uuid>,
) -> Result<Option<Uuid>, StoreError> {
    let text = match field {
        "citizen_id" => "SELECT id FROM members WHERE citizen_id = $1",
        "party_card_number" => "SELECT id FROM members WHERE party_card_number = $1",
        _ => return Ok(None),
    };
    let rows: Vec<IdRow> = sql(text).bind(value).fetch_all(e).await?;
    Ok(rows.into_iter().map(|r| r.id).find(|id| Some(*id) != except))
}

/// Which of `values` some member holds as its `field` (a citizen ID or party card number): one
/// query per 500 values, for checking a whole import file.
pub async fn held_values(
    e: &mut impl Exec,
    field: &'static str,
    values: &[&str],
) -> Result<std::collections::HashSet<String>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct ValueRow {
        value: String,
    }
    if !matches!(field, "citizen_id" | "party_card_number") {
        return Ok(Default::default());
    }
    let mut out = std::collections::HashSet::new();
    for chunk in values.chunks(500) {
        let list = crate::db::placeholders(1, chunk.len());
        let mut q = dynamic_sql(format!("SELECT {field} AS value FROM members WHERE {field} IN ({list})"));
        for v in chunk {
            q.push_arg(v.to_string());
        }
        out.extend(q.fetch_all::<ValueRow>(e).await?.into_iter().map(|r| r.value));
    }
    Ok(out)
}

/// The members with any of these (birth date, search key) pairs, each with its pair and
/// province: the candidates of [`same_person_candidates`] for many records at once, 500 pairs
/// per query.
pub async fn same_person_keys(
    e: &mut impl Exec,
    keys: &[(Date, String)],
) -> Result<Vec<(Uuid, Date, String, Option<i32>)>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct KeyRow {
        id: Uuid,
        birth_date: Date,
        search_key: String,
        province_code: Option<i64>,
    }
    let mut out = Vec::new();
    for chunk in keys.chunks(500) {
        let rows = crate::db::values_rows(e.engine(), chunk.len(), 2);
        // A join on the pairs, not `(birth_date, search_key) IN (VALUES …)`: SQLite plans the
        // latter as a scan of every member for each chunk.
        let mut q = dynamic_sql(format!(
            "SELECT m.id, m.birth_date, m.search_key, m.province_code FROM (VALUES {rows}) AS k \
             JOIN members m ON m.birth_date = k.column1 AND m.search_key = k.column2"
        ));
        for (date, key) in chunk {
            q.push_arg(*date);
            q.push_arg(key.clone());
        }
        let found: Vec<KeyRow> = q.fetch_all(e).await?;
        out.extend(found.into_iter().map(|r| {
            let province = r.province_code.and_then(|p| i32::try_from(p).ok());
            (r.id, r.birth_date, r.search_key, province)
        }));
    }
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct IdRow {
    id: Uuid,
}

/// Members with the same full name and birth date in the same province: possible
/// duplicates to review (not refused).
pub async fn same_person_candidates(e: &mut impl Exec, m: &NewMember<'_>) -> Result<Vec<Uuid>, StoreError> {
    let rows: Vec<IdRow> = sql("SELECT id FROM members WHERE birth_date = $1 AND search_key = $2 AND id <> $3 \
         AND (province_code = $4 OR (province_code IS NULL AND $4 IS NULL))")
    .bind(m.input.birth_date)
    .bind(m.input.search_key())
    .bind(m.id)
    .bind(m.province_code)
    .fetch_all(e)
    .await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// A review flag on a member record.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Flag {
    pub id: Uuid,
    pub member_id: Uuid,
    pub other_member_id: Uuid,
    pub kind: String,
    pub created_at: OffsetDateTime,
    pub resolved_at: Option<OffsetDateTime>,
}

pub async fn add_flag(e: &mut impl Exec, member: Uuid, other: Uuid, kind: &str) -> Result<(), StoreError> {
    add_flags(e, &[(member, other)], kind).await
}

/// Flag many (member, other member) pairs at once, a few statements for thousands (an import).
pub async fn add_flags(e: &mut impl Exec, pairs: &[(Uuid, Uuid)], kind: &str) -> Result<(), StoreError> {
    let now = OffsetDateTime::now_utc();
    for chunk in pairs.chunks(crate::db::rows_per_statement(5)) {
        let mut q = dynamic_sql(format!(
            "INSERT INTO member_flags (id, member_id, other_member_id, kind, created_at) VALUES {}",
            crate::db::values_rows(e.engine(), chunk.len(), 5)
        ));
        for (member, other) in chunk {
            q.push_arg(Uuid::now_v7());
            q.push_arg(*member);
            q.push_arg(*other);
            q.push_arg(kind.to_string());
            q.push_arg(now);
        }
        q.execute_once(e).await?;
    }
    Ok(())
}

pub async fn flag_by_id(e: &mut impl Exec, id: Uuid) -> Result<Option<Flag>, StoreError> {
    sql("SELECT id, member_id, other_member_id, kind, created_at, resolved_at FROM member_flags WHERE id = $1")
        .bind(id)
        .fetch_optional(e)
        .await
}

/// Close a review flag (the records were looked at and are different people, or merged).
pub async fn resolve_flag(e: &mut impl Exec, id: Uuid, by: Option<Uuid>) -> Result<(), StoreError> {
    sql("UPDATE member_flags SET resolved_at = $2, resolved_by = $3 WHERE id = $1 AND resolved_at IS NULL")
        .bind(id)
        .bind(OffsetDateTime::now_utc())
        .bind(by)
        .execute(e)
        .await?;
    Ok(())
}

/// Open flags concerning a member (on either side).
pub async fn flags(e: &mut impl Exec, member: Uuid) -> Result<Vec<Flag>, StoreError> {
    sql("SELECT id, member_id, other_member_id, kind, created_at, resolved_at FROM member_flags \
         WHERE (member_id = $1 OR other_member_id = $1) AND resolved_at IS NULL ORDER BY created_at")
    .bind(member)
    .fetch_all(e)
    .await
}

pub use crate::page::{Cursor, MemberSummary, PageQuery, Plan, page};

/// Number of member rows.
pub async fn count(e: &mut impl Exec) -> Result<i64, StoreError> {
    sql("SELECT COUNT(*) FROM members").fetch_i64(e).await
}

/// The active members on an organisation's own rolls (not in transit).
pub async fn on_rolls_of(e: &mut impl Exec, org: Uuid) -> Result<Vec<Member>, StoreError> {
    let rows: Vec<MemberRow> = dynamic_sql(format!(
        "SELECT {} FROM members WHERE org_id = $1 AND status IN ('official', 'probationary') \
         AND transit_org_id IS NULL",
        columns()
    ))
    .bind(org)
    .fetch_all(e)
    .await?;
    rows.into_iter().map(Member::try_from).collect()
}

/// Members transferred to an organisation in the subtree at `path`, not yet received.
pub async fn in_transit_to(e: &mut impl Exec, path: &str) -> Result<Vec<Member>, StoreError> {
    let cols = columns().split(", ").map(|c| format!("m.{}", c.trim())).collect::<Vec<_>>().join(", ");
    let rows: Vec<MemberRow> = dynamic_sql(format!(
        "SELECT {cols} FROM members m JOIN orgs o ON o.id = m.transit_org_id WHERE o.path >= $1 AND o.path < $2"
    ))
    .bind(path)
    .bind(chibo_domain::path::subtree_end(path))
    .fetch_all(e)
    .await?;
    rows.into_iter().map(Member::try_from).collect()
}

/// Members by id.
pub async fn by_ids(e: &mut impl Exec, ids: &[Uuid]) -> Result<Vec<Member>, StoreError> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let mut q = dynamic_sql(format!(
            "SELECT {} FROM members WHERE id IN ({})",
            columns(),
            crate::db::placeholders(1, chunk.len())
        ));
        for id in chunk {
            q.push_arg(*id);
        }
        for r in q.fetch_all::<MemberRow>(e).await? {
            out.push(Member::try_from(r)?);
        }
    }
    Ok(out)
}

/// Probationary members on the rolls of a subtree (the recognition work list).
pub async fn probationary_in(e: &mut impl Exec, org_path: &str) -> Result<Vec<Member>, StoreError> {
    let rows: Vec<MemberRow> = dynamic_sql(format!(
        "SELECT {} FROM members WHERE org_path >= $1 AND org_path < $2 AND status = 'probationary' \
         ORDER BY admission_date, id",
        columns()
    ))
    .bind(org_path)
    .bind(chibo_domain::path::subtree_end(org_path))
    .fetch_all(e)
    .await?;
    rows.into_iter().map(Member::try_from).collect()
}

/// Members of a subtree who may be due a badge: in the Party and admitted by `admitted_by`, or
/// deceased since `died_since` (posthumous awards). At most `limit`, oldest admission first.
pub async fn badge_prefilter(
    e: &mut impl Exec,
    org_path: &str,
    admitted_by: Date,
    died_since: Date,
    limit: i64,
) -> Result<Vec<Member>, StoreError> {
    let rows: Vec<MemberRow> = dynamic_sql(format!(
        "SELECT {} FROM members WHERE org_path >= $1 AND org_path < $2 AND admission_date <= $3 \
         AND (status IN ('official', 'probationary') OR (status = 'deceased' AND ended_on >= $4)) \
         ORDER BY admission_date, id LIMIT {limit}",
        columns()
    ))
    .bind(org_path)
    .bind(chibo_domain::path::subtree_end(org_path))
    .bind(admitted_by)
    .bind(died_since)
    .fetch_all(e)
    .await?;
    rows.into_iter().map(Member::try_from).collect()
}
