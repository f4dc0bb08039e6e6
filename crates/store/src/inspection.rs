//! Inspection, supervision and discipline (*kiểm tra, giám sát, kỷ luật*): programmes and their
//! items, cases with their steps, conclusion and recommendations, discipline and appeals. The
//! figures are kept by [`crate::inspection_figures`].

use crate::StoreError;
use crate::db::{Arg, Exec, dynamic_sql, placeholders, sql, values_rows};
use serde::Serialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

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
}

const CASE_COLUMNS: &str = "id, org_id, by_inspection, kind, mode, subject, subject_org_id, subject_member_id, covers, \
     decision_number, decided_on, team, content, due_on, item_id, result, violated_on, violation_level, grave, \
     strengths, shortcomings, violations, concluded_on, by_name, created_at, version";

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

/// Insert rows of `width` values each into `table (columns)`, a few hundred rows a statement.
async fn insert_rows(
    e: &mut impl Exec,
    table: &str,
    columns: &str,
    width: usize,
    rows: Vec<Vec<Arg>>,
) -> Result<(), StoreError> {
    let per = (30_000 / width).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Arg>> = rows.by_ref().take(per).collect();
        let mut q = dynamic_sql(format!(
            "INSERT INTO {table} ({columns}) VALUES {}",
            values_rows(e.engine(), chunk.len(), width)
        ));
        for a in chunk.into_iter().flatten() {
            q.push_arg(a);
        }
        q.execute(e).await?;
    }
    Ok(())
}

fn prefixed(cols: &str, p: &str) -> String {
    cols.split(", ").map(|c| format!("{p}.{}", c.trim())).collect::<Vec<_>>().join(", ")
}

// ---- programmes ----

pub async fn insert_programme(e: &mut impl Exec, p: &Programme, items: &[Item]) -> Result<(), StoreError> {
    let mut q =
        dynamic_sql(format!("INSERT INTO inspection_programmes ({PROGRAMME_COLUMNS}) VALUES ({})", placeholders(1, 8)));
    q.push_arg(p.id);
    q.push_arg(p.org_id);
    q.push_arg(p.year);
    q.push_arg(p.kind.as_str());
    q.push_arg(p.title.as_str());
    q.push_arg(p.by_name.as_str());
    q.push_arg(p.created_at);
    q.push_arg(p.version);
    q.execute(e).await?;
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
    insert_rows(e, "inspection_items", ITEM_COLUMNS, 8, rows).await
}

/// Programmes in bulk (the demo), without their items.
pub async fn insert_programmes(e: &mut impl Exec, ps: &[Programme]) -> Result<(), StoreError> {
    let rows = ps
        .iter()
        .map(|p| {
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
        })
        .collect();
    insert_rows(e, "inspection_programmes", PROGRAMME_COLUMNS, 8, rows).await
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
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        p: Programme,
        item_id: Uuid,
        seq: i64,
        subject_org_id: Uuid,
        subject_member_id: Option<Uuid>,
        content: String,
        planned_month: i64,
    }
    let rows: Vec<Row> = dynamic_sql(format!(
        "SELECT {}, i.id AS item_id, i.seq, i.subject_org_id, i.subject_member_id, i.content, i.planned_month \
         FROM inspection_items i JOIN inspection_programmes p ON p.id = i.programme_id \
         WHERE p.org_id = $1 AND p.year = $2 AND i.planned_month < $3 AND i.case_id IS NULL \
         ORDER BY i.planned_month, p.id, i.seq LIMIT 500",
        prefixed(PROGRAMME_COLUMNS, "p")
    ))
    .bind(org)
    .bind(year)
    .bind(month)
    .fetch_all(e)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let item = Item {
                id: r.item_id,
                programme_id: r.p.id,
                seq: r.seq,
                subject_org_id: r.subject_org_id,
                subject_member_id: r.subject_member_id,
                content: r.content,
                planned_month: r.planned_month,
                case_id: None,
            };
            (r.p, item)
        })
        .collect())
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
    ]
}

pub async fn insert_case(e: &mut impl Exec, c: &Case) -> Result<(), StoreError> {
    insert_cases(e, std::slice::from_ref(c)).await
}

/// Cases in bulk (the demo).
pub async fn insert_cases(e: &mut impl Exec, cs: &[Case]) -> Result<(), StoreError> {
    insert_rows(e, "inspection_cases", CASE_COLUMNS, 26, cs.iter().map(case_args).collect()).await
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
pub async fn save_conclusion(e: &mut impl Exec, c: &Case) -> Result<u64, StoreError> {
    sql("UPDATE inspection_cases SET result = $2, violated_on = $3, violation_level = $4, grave = $5, strengths = $6, \
         shortcomings = $7, violations = $8, concluded_on = $9, version = version + 1 WHERE id = $1 AND version = $10")
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

// ---- steps ----

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
    insert_rows(e, "inspection_steps", "case_id, step, seq, deadline, taken_on, note, by_name", 7, rows).await
}

pub async fn steps_of(e: &mut impl Exec, case: Uuid) -> Result<Vec<StepRow>, StoreError> {
    sql("SELECT case_id, step, seq, deadline, taken_on, note, by_name FROM inspection_steps WHERE case_id = $1 ORDER BY seq")
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
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        c: Case,
        step: String,
        seq: i64,
        deadline: Option<Date>,
    }
    let rows: Vec<Row> = dynamic_sql(format!(
        "SELECT {}, s.step, s.seq, s.deadline FROM inspection_steps s JOIN inspection_cases c ON c.id = s.case_id \
         WHERE c.org_id = $1 AND s.taken_on IS NULL \
         AND s.deadline < $2 AND c.concluded_on IS NULL ORDER BY s.deadline, c.id, s.seq LIMIT 500",
        prefixed(CASE_COLUMNS, "c")
    ))
    .bind(org)
    .bind(today)
    .fetch_all(e)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let s = StepRow {
                case_id: r.c.id,
                step: r.step,
                seq: r.seq,
                deadline: r.deadline,
                taken_on: None,
                note: String::new(),
                by_name: None,
            };
            (r.c, s)
        })
        .collect())
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
    insert_rows(e, "inspection_recommendations", "id, case_id, seq, content, owner, deadline, done_on, note", 8, rows)
        .await
}

pub async fn recommendations_of(e: &mut impl Exec, case: Uuid) -> Result<Vec<Recommendation>, StoreError> {
    sql("SELECT id, case_id, seq, content, owner, deadline, done_on, note FROM inspection_recommendations \
         WHERE case_id = $1 ORDER BY seq")
    .bind(case)
    .fetch_all(e)
    .await
}

pub async fn recommendation_by_id(e: &mut impl Exec, id: Uuid) -> Result<Option<Recommendation>, StoreError> {
    sql("SELECT id, case_id, seq, content, owner, deadline, done_on, note FROM inspection_recommendations WHERE id = $1")
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
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        c: Case,
        rec_id: Uuid,
        seq: i64,
        rec_content: String,
        owner: String,
        deadline: Date,
        note: String,
    }
    let rows: Vec<Row> = dynamic_sql(format!(
        "SELECT {}, r.id AS rec_id, r.seq, r.content AS rec_content, r.owner, r.deadline, r.note \
         FROM inspection_recommendations r JOIN inspection_cases c ON c.id = r.case_id \
         WHERE c.org_id = $1 AND r.done_on IS NULL AND r.deadline < $2 \
         ORDER BY r.deadline, c.id, r.seq LIMIT 500",
        prefixed(CASE_COLUMNS, "c")
    ))
    .bind(org)
    .bind(today)
    .fetch_all(e)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let rec = Recommendation {
                id: r.rec_id,
                case_id: r.c.id,
                seq: r.seq,
                content: r.rec_content,
                owner: r.owner,
                deadline: r.deadline,
                done_on: None,
                note: r.note,
            };
            (r.c, rec)
        })
        .collect())
}

// ---- discipline and appeals ----

pub async fn insert_discipline(e: &mut impl Exec, d: &Discipline) -> Result<(), StoreError> {
    let mut q = dynamic_sql(format!(
        "INSERT INTO inspection_disciplines ({DISCIPLINE_COLUMNS}) VALUES ({})",
        placeholders(1, 19)
    ));
    push_discipline(&mut q, d);
    q.execute(e).await?;
    Ok(())
}

fn push_discipline(q: &mut crate::db::Sql, d: &Discipline) {
    q.push_arg(d.id);
    q.push_arg(d.case_id);
    q.push_arg(d.proposed_form.as_str());
    q.push_arg(d.proposed_on);
    q.push_arg(d.reason.as_str());
    q.push_arg(d.self_review_on);
    q.push_arg(d.self_review.as_str());
    q.push_arg(d.body_members);
    q.push_arg(d.votes.as_str());
    q.push_arg(d.votes_none);
    q.push_arg(d.decided_form.clone());
    q.push_arg(d.decision_number.clone());
    q.push_arg(d.decided_on);
    q.push_arg(d.received_on);
    q.push_arg(d.form_in_force.clone());
    q.push_arg(d.event_id);
    q.push_arg(d.by_name.as_str());
    q.push_arg(d.created_at);
    q.push_arg(d.version);
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
    push_discipline(&mut q, d);
    q.execute(e).await
}

pub async fn discipline_of_case(e: &mut impl Exec, case: Uuid) -> Result<Option<Discipline>, StoreError> {
    dynamic_sql(format!("SELECT {DISCIPLINE_COLUMNS} FROM inspection_disciplines WHERE case_id = $1"))
        .bind(case)
        .fetch_optional(e)
        .await
}

pub async fn insert_appeal(e: &mut impl Exec, a: &Appeal) -> Result<(), StoreError> {
    let mut q =
        dynamic_sql(format!("INSERT INTO inspection_appeals ({APPEAL_COLUMNS}) VALUES ({})", placeholders(1, 13)));
    q.push_arg(a.id);
    q.push_arg(a.discipline_id);
    q.push_arg(a.filed_on);
    q.push_arg(a.answer_by);
    q.push_arg(a.body_org_id);
    q.push_arg(a.content.as_str());
    q.push_arg(a.outcome.clone());
    q.push_arg(a.new_form.clone());
    q.push_arg(a.answer_number.clone());
    q.push_arg(a.answered_on);
    q.push_arg(a.by_name.as_str());
    q.push_arg(a.created_at);
    q.push_arg(a.version);
    q.execute(e).await?;
    Ok(())
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
        c: Case,
        appeal_id: Uuid,
        discipline_id: Uuid,
        filed_on: Date,
        answer_by: Date,
        body_org_id: Uuid,
        appeal_content: String,
        appeal_by: String,
        appeal_at: OffsetDateTime,
        appeal_version: i64,
    }
    let rows: Vec<Row> = dynamic_sql(format!(
        "SELECT {}, a.id AS appeal_id, a.discipline_id, a.filed_on, a.answer_by, a.body_org_id, \
         a.content AS appeal_content, a.by_name AS appeal_by, a.created_at AS appeal_at, a.version AS appeal_version \
         FROM inspection_appeals a JOIN inspection_disciplines d ON d.id = a.discipline_id \
         JOIN inspection_cases c ON c.id = d.case_id \
         WHERE a.body_org_id = $1 AND a.outcome IS NULL ORDER BY a.answer_by, a.id LIMIT 500",
        prefixed(CASE_COLUMNS, "c")
    ))
    .bind(org)
    .fetch_all(e)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let a = Appeal {
                id: r.appeal_id,
                discipline_id: r.discipline_id,
                filed_on: r.filed_on,
                answer_by: r.answer_by,
                body_org_id: r.body_org_id,
                content: r.appeal_content,
                outcome: None,
                new_form: None,
                answer_number: None,
                answered_on: None,
                by_name: r.appeal_by,
                created_at: r.appeal_at,
                version: r.appeal_version,
            };
            (r.c, a)
        })
        .collect())
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

/// The organisations strictly under `path` owed coverage: active, not party groups (each is
/// directly under one organisation of the subtree).
pub async fn owed_under(e: &mut impl Exec, path: &str) -> Result<i64, StoreError> {
    sql("SELECT COUNT(*) FROM orgs WHERE path > $1 AND path < $2 AND dissolved_on IS NULL AND kind <> 'party_group'")
        .bind(path)
        .bind(chibo_domain::path::subtree_end(path))
        .fetch_i64(e)
        .await
}
