//! The annual review (*đánh giá, xếp loại chất lượng*): rounds, the line of each member and
//! organisation in a round, decisions (never edited), self-improvement plans and the
//! committees' settings. The figures are kept by [`crate::review_figures`].

use crate::StoreError;
use crate::db::{Exec, dynamic_sql, placeholders, sql};
use crate::insert_rows::{InsertRows, PushArg};
use chibo_domain::review::{Level, Outcome, RoundKind, RoundStatus};
use serde::Serialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// A review round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Round {
    pub id: Uuid,
    pub org_id: Uuid,
    #[sqlx(try_from = "String")]
    pub kind: RoundKind,
    /// The key of its figures (`year:2025`, `quarter:2025-Q4`, `term:2020-10-01..2025-09-30`).
    pub period: String,
    pub first_day: Date,
    pub last_day: Date,
    pub self_due: Date,
    pub cell_due: Date,
    pub decision_due: Date,
    #[sqlx(try_from = "String")]
    pub status: RoundStatus,
    pub rules_source: String,
    /// The member sheet in use (JSON of `review::Sheet`); `None` without a 100-point scale.
    pub sheet: Option<String>,
    /// The quota in use (`None`: none).
    pub quota_num: Option<i64>,
    pub quota_den: Option<i64>,
    pub opened_by: String,
    pub created_at: OffsetDateTime,
    pub closed_at: Option<OffsetDateTime>,
    pub version: i64,
}

const ROUND_COLUMNS: &str = "id, org_id, kind, period, first_day, last_day, self_due, cell_due, decision_due, status, \
     rules_source, sheet, quota_num, quota_den, opened_by, created_at, closed_at, version";

/// A stored level code, decoded.
pub fn level_of(code: &Option<String>) -> Option<Level> {
    code.as_deref().and_then(Level::parse)
}

/// One member in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct MemberLine {
    pub round_id: Uuid,
    pub member_id: Uuid,
    /// The cell the member was reviewed in.
    pub org_id: Uuid,
    /// The base organisation: the quota's unit, whose committee decides.
    pub base_id: Uuid,
    /// Why not rated (`review::NotRated` code).
    pub not_rated: Option<String>,
    #[sqlx(try_from = "String")]
    pub outcome: Outcome,
    pub self_at: Option<OffsetDateTime>,
    pub self_by: Option<String>,
    /// The sheet's entered points, JSON `{code: points}`.
    pub scores: Option<String>,
    pub score: Option<i64>,
    pub tasks_total: Option<i64>,
    pub tasks_on_time: Option<i64>,
    pub tasks_exceeded: Option<i64>,
    pub strengths: String,
    pub shortcomings: String,
    pub causes: String,
    pub remedies: String,
    pub self_level: Option<String>,
    pub cell_level: Option<String>,
    pub cell_comments: String,
    pub votes_for: Option<i64>,
    pub votes_against: Option<i64>,
    pub votes_abstain: Option<i64>,
    pub sick_leave_months: i64,
    pub meeting_id: Option<Uuid>,
    pub cell_at: Option<OffsetDateTime>,
    pub cell_by: Option<String>,
    pub level: Option<String>,
    pub decision_id: Option<Uuid>,
    pub version: i64,
}

impl MemberLine {
    /// A line as opened: nothing entered yet.
    pub fn opened(round_id: Uuid, member_id: Uuid, org_id: Uuid, base_id: Uuid, not_rated: Option<String>) -> Self {
        let outcome = Outcome::of(not_rated.is_some(), None);
        MemberLine {
            round_id,
            member_id,
            org_id,
            base_id,
            not_rated,
            outcome,
            self_at: None,
            self_by: None,
            scores: None,
            score: None,
            tasks_total: None,
            tasks_on_time: None,
            tasks_exceeded: None,
            strengths: String::new(),
            shortcomings: String::new(),
            causes: String::new(),
            remedies: String::new(),
            self_level: None,
            cell_level: None,
            cell_comments: String::new(),
            votes_for: None,
            votes_against: None,
            votes_abstain: None,
            sick_leave_months: 0,
            meeting_id: None,
            cell_at: None,
            cell_by: None,
            level: None,
            decision_id: None,
            version: 1,
        }
    }
}

const MEMBER_COLUMNS: &str = "round_id, member_id, org_id, base_id, not_rated, outcome, self_at, self_by, scores, \
     score, tasks_total, tasks_on_time, tasks_exceeded, strengths, shortcomings, causes, remedies, self_level, \
     cell_level, cell_comments, votes_for, votes_against, votes_abstain, sick_leave_months, meeting_id, cell_at, \
     cell_by, level, decision_id, version";

fn bind_member(q: &mut impl PushArg, l: &MemberLine) {
    q.push_arg(l.round_id);
    q.push_arg(l.member_id);
    q.push_arg(l.org_id);
    q.push_arg(l.base_id);
    bind_member_tail(q, l);
}

/// Every column after the key and the places, in [`MEMBER_COLUMNS`] order.
fn bind_member_tail(q: &mut impl PushArg, l: &MemberLine) {
    q.push_arg(l.not_rated.clone());
    q.push_arg(l.outcome.code());
    q.push_arg(l.self_at);
    q.push_arg(l.self_by.clone());
    q.push_arg(l.scores.clone());
    q.push_arg(l.score);
    q.push_arg(l.tasks_total);
    q.push_arg(l.tasks_on_time);
    q.push_arg(l.tasks_exceeded);
    for t in [&l.strengths, &l.shortcomings, &l.causes, &l.remedies] {
        q.push_arg(t.as_str());
    }
    q.push_arg(l.self_level.clone());
    q.push_arg(l.cell_level.clone());
    q.push_arg(l.cell_comments.as_str());
    q.push_arg(l.votes_for);
    q.push_arg(l.votes_against);
    q.push_arg(l.votes_abstain);
    q.push_arg(l.sick_leave_months);
    q.push_arg(l.meeting_id);
    q.push_arg(l.cell_at);
    q.push_arg(l.cell_by.clone());
    q.push_arg(l.level.clone());
    q.push_arg(l.decision_id);
    q.push_arg(l.version);
}

/// One organisation in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct OrgLine {
    pub round_id: Uuid,
    pub org_id: Uuid,
    /// The organisation's kind code.
    pub kind: String,
    /// The organisation whose committee decides.
    pub decider_id: Uuid,
    pub not_rated: Option<String>,
    #[sqlx(try_from = "String")]
    pub outcome: Outcome,
    pub self_level: Option<String>,
    pub self_text: String,
    pub sub_units: i64,
    pub sub_units_disciplined: i64,
    pub targets: i64,
    pub targets_met: i64,
    pub self_at: Option<OffsetDateTime>,
    pub self_by: Option<String>,
    pub level: Option<String>,
    pub decision_id: Option<Uuid>,
    pub version: i64,
}

impl OrgLine {
    pub fn opened(round_id: Uuid, org_id: Uuid, kind: &str, decider_id: Uuid, not_rated: Option<String>) -> Self {
        OrgLine {
            round_id,
            org_id,
            kind: kind.to_string(),
            decider_id,
            outcome: Outcome::of(not_rated.is_some(), None),
            not_rated,
            self_level: None,
            self_text: String::new(),
            sub_units: 0,
            sub_units_disciplined: 0,
            targets: 0,
            targets_met: 0,
            self_at: None,
            self_by: None,
            level: None,
            decision_id: None,
            version: 1,
        }
    }
}

const ORG_COLUMNS: &str = "round_id, org_id, kind, decider_id, not_rated, outcome, self_level, self_text, sub_units, \
     sub_units_disciplined, targets, targets_met, self_at, self_by, level, decision_id, version";

fn bind_org(q: &mut impl PushArg, l: &OrgLine) {
    q.push_arg(l.round_id);
    q.push_arg(l.org_id);
    q.push_arg(l.kind.as_str());
    q.push_arg(l.decider_id);
    bind_org_tail(q, l);
}

fn bind_org_tail(q: &mut impl PushArg, l: &OrgLine) {
    q.push_arg(l.not_rated.clone());
    q.push_arg(l.outcome.code());
    q.push_arg(l.self_level.clone());
    q.push_arg(l.self_text.as_str());
    for v in [l.sub_units, l.sub_units_disciplined, l.targets, l.targets_met] {
        q.push_arg(v);
    }
    q.push_arg(l.self_at);
    q.push_arg(l.self_by.clone());
    q.push_arg(l.level.clone());
    q.push_arg(l.decision_id);
    q.push_arg(l.version);
}

/// A decision on one member's or organisation's level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Decision {
    pub id: Uuid,
    pub round_id: Uuid,
    /// `member` or `org`.
    pub subject: String,
    pub subject_id: Uuid,
    #[sqlx(try_from = "String")]
    pub level: Level,
    pub number: String,
    pub signed_on: Date,
    pub reason: String,
    /// The recorded exception: the member found and fixed the fault themselves.
    pub self_corrected: bool,
    /// The decision this one corrects.
    pub corrects: Option<Uuid>,
    pub by_name: String,
    pub at: OffsetDateTime,
}

const DECISION_COLUMNS: &str =
    "id, round_id, subject, subject_id, level, number, signed_on, reason, self_corrected, corrects, by_name, at";

/// A self-improvement plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Plan {
    pub id: Uuid,
    pub round_id: Uuid,
    pub subject: String,
    pub subject_id: Uuid,
    /// The cell of the member, or the organisation itself (for access).
    pub org_id: Uuid,
    pub by_name: String,
    pub created_at: OffsetDateTime,
    pub version: i64,
}

/// One item of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PlanItem {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub seq: i64,
    pub content: String,
    pub responsible: String,
    pub deadline: Date,
    pub done_on: Option<Date>,
    pub note: String,
}

/// A committee's review settings from a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Settings {
    pub id: Uuid,
    pub org_id: Uuid,
    pub effective_from: Date,
    pub sheet: Option<String>,
    pub quota_num: Option<i64>,
    pub quota_den: Option<i64>,
    pub quota_off: bool,
    pub by_name: String,
    pub created_at: OffsetDateTime,
}

// ---- rounds ----

pub async fn insert_round(e: &mut impl Exec, r: &Round) -> Result<(), StoreError> {
    let mut q = dynamic_sql(format!("INSERT INTO review_rounds ({ROUND_COLUMNS}) VALUES ({})", placeholders(1, 18)));
    q.push_arg(r.id);
    q.push_arg(r.org_id);
    q.push_arg(r.kind.code());
    q.push_arg(r.period.as_str());
    for d in [r.first_day, r.last_day, r.self_due, r.cell_due, r.decision_due] {
        q.push_arg(d);
    }
    q.push_arg(r.status.code());
    q.push_arg(r.rules_source.as_str());
    q.push_arg(r.sheet.clone());
    q.push_arg(r.quota_num);
    q.push_arg(r.quota_den);
    q.push_arg(r.opened_by.as_str());
    q.push_arg(r.created_at);
    q.push_arg(r.closed_at);
    q.push_arg(r.version);
    q.execute(e).await?;
    Ok(())
}

pub async fn round_by_id(e: &mut impl Exec, id: Uuid) -> Result<Option<Round>, StoreError> {
    dynamic_sql(format!("SELECT {ROUND_COLUMNS} FROM review_rounds WHERE id = $1")).bind(id).fetch_optional(e).await
}

/// The rounds opened on any of `orgs`, newest period first.
pub async fn rounds_on(e: &mut impl Exec, orgs: &[Uuid]) -> Result<Vec<Round>, StoreError> {
    if orgs.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = dynamic_sql(format!(
        "SELECT {ROUND_COLUMNS} FROM review_rounds WHERE org_id IN ({}) ORDER BY last_day DESC, created_at DESC",
        placeholders(1, orgs.len())
    ));
    for o in orgs {
        q.push_arg(*o);
    }
    q.fetch_all(e).await
}

/// The rounds opened on organisations of the subtree at `path`, newest period first.
pub async fn rounds_under(e: &mut impl Exec, path: &str) -> Result<Vec<Round>, StoreError> {
    let cols = ROUND_COLUMNS.split(", ").map(|c| format!("r.{c}")).collect::<Vec<_>>().join(", ");
    dynamic_sql(format!(
        "SELECT {cols} FROM review_rounds r JOIN orgs o ON o.id = r.org_id \
         WHERE o.path >= $1 AND o.path < $2 ORDER BY r.last_day DESC, r.created_at DESC"
    ))
    .bind(path)
    .bind(chibo_domain::path::subtree_end(path))
    .fetch_all(e)
    .await
}

/// Every round, in the order opened (the recount).
pub async fn all_rounds(e: &mut impl Exec) -> Result<Vec<Round>, StoreError> {
    dynamic_sql(format!("SELECT {ROUND_COLUMNS} FROM review_rounds ORDER BY created_at, id")).fetch_all(e).await
}

/// Set a round's status (and when it was closed); bumps the version.
pub async fn set_round_status(
    e: &mut impl Exec,
    id: Uuid,
    status: RoundStatus,
    closed_at: Option<OffsetDateTime>,
) -> Result<(), StoreError> {
    sql("UPDATE review_rounds SET status = $2, closed_at = $3, version = version + 1 WHERE id = $1")
        .bind(id)
        .bind(status.code())
        .bind(closed_at)
        .execute(e)
        .await?;
    Ok(())
}

// ---- lines, member and organisation alike ----

/// Insert `lines` into `table` ([`InsertRows`]: PostgreSQL's `COPY` for many lines).
async fn insert_lines<L>(
    e: &mut impl Exec,
    table: &'static str,
    columns: &str,
    lines: &[L],
    bind: fn(&mut InsertRows, &L),
) -> Result<(), StoreError> {
    let mut rows = InsertRows::new(table, columns).with_rows(lines.len());
    for l in lines {
        bind(&mut rows, l);
    }
    rows.run(e).await
}

/// `UPDATE table SET` every column after the first four (the key and the places) `WHERE
/// round_id = $1 AND key = $2`; the values bind from `$3` in column order.
fn update_line_sql(table: &str, key: &str, columns: &str) -> String {
    let set: Vec<String> = columns.split(", ").skip(4).enumerate().map(|(i, c)| format!("{c} = ${}", i + 3)).collect();
    format!("UPDATE {table} SET {} WHERE round_id = $1 AND {key} = $2", set.join(", "))
}

// ---- member lines ----

pub async fn insert_member_lines(e: &mut impl Exec, lines: &[MemberLine]) -> Result<(), StoreError> {
    insert_lines(e, "review_members", MEMBER_COLUMNS, lines, bind_member).await
}

/// Write every column of a line but its key and places.
pub async fn save_member_line(e: &mut impl Exec, l: &MemberLine) -> Result<(), StoreError> {
    let mut q =
        dynamic_sql(update_line_sql("review_members", "member_id", MEMBER_COLUMNS)).bind(l.round_id).bind(l.member_id);
    bind_member_tail(&mut q, l);
    q.execute(e).await?;
    Ok(())
}

pub async fn member_line(e: &mut impl Exec, round: Uuid, member: Uuid) -> Result<Option<MemberLine>, StoreError> {
    dynamic_sql(format!("SELECT {MEMBER_COLUMNS} FROM review_members WHERE round_id = $1 AND member_id = $2"))
        .bind(round)
        .bind(member)
        .fetch_optional(e)
        .await
}

/// The member lines of a round whose `column` (`org_id` or `base_id`) is `org`.
pub async fn member_lines_by(
    e: &mut impl Exec,
    round: Uuid,
    column: LineColumn,
    org: Uuid,
) -> Result<Vec<MemberLine>, StoreError> {
    dynamic_sql(format!("SELECT {MEMBER_COLUMNS} FROM review_members WHERE round_id = $1 AND {} = $2", column.name()))
        .bind(round)
        .bind(org)
        .fetch_all(e)
        .await
}

/// Which organisation column of a member line to select on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineColumn {
    /// The cell.
    Cell,
    /// The base organisation.
    Base,
}

impl LineColumn {
    fn name(self) -> &'static str {
        match self {
            LineColumn::Cell => "org_id",
            LineColumn::Base => "base_id",
        }
    }
}

/// The member lines of a round in the subtree at `path` (by the cell's current path).
pub async fn member_lines_under(e: &mut impl Exec, round: Uuid, path: &str) -> Result<Vec<MemberLine>, StoreError> {
    let cols = MEMBER_COLUMNS.split(", ").map(|c| format!("l.{c}")).collect::<Vec<_>>().join(", ");
    dynamic_sql(format!(
        "SELECT {cols} FROM review_members l JOIN orgs o ON o.id = l.org_id \
         WHERE l.round_id = $1 AND o.path >= $2 AND o.path < $3"
    ))
    .bind(round)
    .bind(path)
    .bind(chibo_domain::path::subtree_end(path))
    .fetch_all(e)
    .await
}

/// What waits among the member lines of a round under `path`: per cell, the rated lines
/// without the cell's opinion; per base organisation, the lines proposed and not decided.
pub async fn waiting_under(
    e: &mut impl Exec,
    round: Uuid,
    path: &str,
) -> Result<(Vec<(Uuid, i64)>, Vec<(Uuid, i64)>), StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        org: Uuid,
        n: i64,
    }
    let mut out = Vec::new();
    for (column, proposed) in [("org_id", "IS NULL"), ("base_id", "IS NOT NULL")] {
        let rows: Vec<Row> = dynamic_sql(format!(
            "SELECT l.{column} AS org, COUNT(*) AS n FROM review_members l JOIN orgs o ON o.id = l.org_id \
             WHERE l.round_id = $1 AND o.path >= $2 AND o.path < $3 AND l.level IS NULL AND l.not_rated IS NULL \
             AND l.cell_level {proposed} GROUP BY l.{column}"
        ))
        .bind(round)
        .bind(path)
        .bind(chibo_domain::path::subtree_end(path))
        .fetch_all(e)
        .await?;
        out.push(rows.into_iter().map(|r| (r.org, r.n)).collect());
    }
    let awaiting = out.pop().unwrap_or_default();
    Ok((out.pop().unwrap_or_default(), awaiting))
}

/// At most `limit` member lines of a round under `path` not self-assessed, and how many there
/// are.
pub async fn not_self_assessed_under(
    e: &mut impl Exec,
    round: Uuid,
    path: &str,
    limit: i64,
) -> Result<(Vec<MemberLine>, i64), StoreError> {
    let cols = MEMBER_COLUMNS.split(", ").map(|c| format!("l.{c}")).collect::<Vec<_>>().join(", ");
    let from = "FROM review_members l JOIN orgs o ON o.id = l.org_id \
                WHERE l.round_id = $1 AND o.path >= $2 AND o.path < $3 AND l.self_at IS NULL AND l.level IS NULL";
    let end = chibo_domain::path::subtree_end(path);
    let n =
        dynamic_sql(format!("SELECT COUNT(*) {from}")).bind(round).bind(path).bind(end.clone()).fetch_i64(e).await?;
    let lines = dynamic_sql(format!("SELECT {cols} {from} LIMIT {}", limit.max(0)))
        .bind(round)
        .bind(path)
        .bind(end)
        .fetch_all(e)
        .await?;
    Ok((lines, n))
}

/// Every line of one member, in any round.
pub async fn lines_of_member(e: &mut impl Exec, member: Uuid) -> Result<Vec<MemberLine>, StoreError> {
    dynamic_sql(format!("SELECT {MEMBER_COLUMNS} FROM review_members WHERE member_id = $1"))
        .bind(member)
        .fetch_all(e)
        .await
}

/// How many lines of a base organisation stand at each outcome in a round.
pub async fn outcomes_of_base(e: &mut impl Exec, round: Uuid, base: Uuid) -> Result<Vec<(Outcome, i64)>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        outcome: String,
        n: i64,
    }
    let rows: Vec<Row> =
        sql("SELECT outcome, COUNT(*) AS n FROM review_members WHERE round_id = $1 AND base_id = $2 GROUP BY outcome")
            .bind(round)
            .bind(base)
            .fetch_all(e)
            .await?;
    Ok(rows.into_iter().filter_map(|r| Some((Outcome::parse(&r.outcome)?, r.n))).collect())
}

// ---- organisation lines ----

pub async fn insert_org_lines(e: &mut impl Exec, lines: &[OrgLine]) -> Result<(), StoreError> {
    insert_lines(e, "review_orgs", ORG_COLUMNS, lines, bind_org).await
}

/// Write every column of a line but its key and places.
pub async fn save_org_line(e: &mut impl Exec, l: &OrgLine) -> Result<(), StoreError> {
    let mut q = dynamic_sql(update_line_sql("review_orgs", "org_id", ORG_COLUMNS)).bind(l.round_id).bind(l.org_id);
    bind_org_tail(&mut q, l);
    q.execute(e).await?;
    Ok(())
}

pub async fn org_line(e: &mut impl Exec, round: Uuid, org: Uuid) -> Result<Option<OrgLine>, StoreError> {
    dynamic_sql(format!("SELECT {ORG_COLUMNS} FROM review_orgs WHERE round_id = $1 AND org_id = $2"))
        .bind(round)
        .bind(org)
        .fetch_optional(e)
        .await
}

/// The organisation lines of a round decided by `decider`.
pub async fn org_lines_decided_by(e: &mut impl Exec, round: Uuid, decider: Uuid) -> Result<Vec<OrgLine>, StoreError> {
    dynamic_sql(format!("SELECT {ORG_COLUMNS} FROM review_orgs WHERE round_id = $1 AND decider_id = $2"))
        .bind(round)
        .bind(decider)
        .fetch_all(e)
        .await
}

/// The organisation lines of a round in the subtree at `path` (by current paths).
pub async fn org_lines_under(e: &mut impl Exec, round: Uuid, path: &str) -> Result<Vec<OrgLine>, StoreError> {
    let cols = ORG_COLUMNS.split(", ").map(|c| format!("l.{c}")).collect::<Vec<_>>().join(", ");
    dynamic_sql(format!(
        "SELECT {cols} FROM review_orgs l JOIN orgs o ON o.id = l.org_id \
         WHERE l.round_id = $1 AND o.path >= $2 AND o.path < $3"
    ))
    .bind(round)
    .bind(path)
    .bind(chibo_domain::path::subtree_end(path))
    .fetch_all(e)
    .await
}

// ---- decisions ----

pub async fn insert_decisions(e: &mut impl Exec, ds: &[Decision]) -> Result<(), StoreError> {
    let mut q = InsertRows::new("review_decisions", DECISION_COLUMNS).with_rows(ds.len());
    for d in ds {
        q.push(d.id);
        q.push(d.round_id);
        q.push(d.subject.as_str());
        q.push(d.subject_id);
        q.push(d.level.code());
        q.push(d.number.as_str());
        q.push(d.signed_on);
        q.push(d.reason.as_str());
        q.push(d.self_corrected);
        q.push(d.corrects);
        q.push(d.by_name.as_str());
        q.push(d.at);
    }
    q.run(e).await
}

/// The decisions on one member or organisation in a round, oldest first.
pub async fn decisions_of(e: &mut impl Exec, round: Uuid, subject_id: Uuid) -> Result<Vec<Decision>, StoreError> {
    dynamic_sql(format!(
        "SELECT {DECISION_COLUMNS} FROM review_decisions WHERE round_id = $1 AND subject_id = $2 ORDER BY at, id"
    ))
    .bind(round)
    .bind(subject_id)
    .fetch_all(e)
    .await
}

pub async fn decision_by_id(e: &mut impl Exec, id: Uuid) -> Result<Option<Decision>, StoreError> {
    dynamic_sql(format!("SELECT {DECISION_COLUMNS} FROM review_decisions WHERE id = $1"))
        .bind(id)
        .fetch_optional(e)
        .await
}

// ---- plans ----

pub async fn insert_plan(e: &mut impl Exec, p: &Plan, items: &[PlanItem]) -> Result<(), StoreError> {
    insert_plans(e, std::slice::from_ref(p)).await?;
    insert_items(e, items).await
}

/// Insert plans (any number; their items apart).
pub async fn insert_plans(e: &mut impl Exec, plans: &[Plan]) -> Result<(), StoreError> {
    let mut q = InsertRows::new("review_plans", PLAN_COLUMNS).with_rows(plans.len());
    for p in plans {
        q.push(p.id);
        q.push(p.round_id);
        q.push(p.subject.as_str());
        q.push(p.subject_id);
        q.push(p.org_id);
        q.push(p.by_name.as_str());
        q.push(p.created_at);
        q.push(p.version);
    }
    q.run(e).await
}

pub async fn insert_items(e: &mut impl Exec, items: &[PlanItem]) -> Result<(), StoreError> {
    let mut q = InsertRows::new("review_plan_items", ITEM_COLUMNS).with_rows(items.len());
    for i in items {
        q.push(i.id);
        q.push(i.plan_id);
        q.push(i.seq);
        q.push(i.content.as_str());
        q.push(i.responsible.as_str());
        q.push(i.deadline);
        q.push(i.done_on);
        q.push(i.note.as_str());
    }
    q.run(e).await
}

const PLAN_COLUMNS: &str = "id, round_id, subject, subject_id, org_id, by_name, created_at, version";
const ITEM_COLUMNS: &str = "id, plan_id, seq, content, responsible, deadline, done_on, note";

pub async fn plan_by_id(e: &mut impl Exec, id: Uuid) -> Result<Option<Plan>, StoreError> {
    dynamic_sql(format!("SELECT {PLAN_COLUMNS} FROM review_plans WHERE id = $1")).bind(id).fetch_optional(e).await
}

/// The plans of one member or organisation, oldest first.
pub async fn plans_of(e: &mut impl Exec, subject_id: Uuid) -> Result<Vec<Plan>, StoreError> {
    dynamic_sql(format!("SELECT {PLAN_COLUMNS} FROM review_plans WHERE subject_id = $1 ORDER BY created_at, id"))
        .bind(subject_id)
        .fetch_all(e)
        .await
}

/// The items of plans, by plan then order.
pub async fn items_of(e: &mut impl Exec, plans: &[Uuid]) -> Result<Vec<PlanItem>, StoreError> {
    let mut out = Vec::new();
    for chunk in plans.chunks(500) {
        let mut q = dynamic_sql(format!(
            "SELECT {ITEM_COLUMNS} FROM review_plan_items WHERE plan_id IN ({}) ORDER BY plan_id, seq",
            placeholders(1, chunk.len())
        ));
        for p in chunk {
            q.push_arg(*p);
        }
        out.extend(q.fetch_all::<PlanItem>(e).await?);
    }
    Ok(out)
}

pub async fn item_by_id(e: &mut impl Exec, id: Uuid) -> Result<Option<PlanItem>, StoreError> {
    dynamic_sql(format!("SELECT {ITEM_COLUMNS} FROM review_plan_items WHERE id = $1")).bind(id).fetch_optional(e).await
}

/// Mark an item done (or not) with a note; bumps the plan's version.
pub async fn set_item_done(
    e: &mut impl Exec,
    item: &PlanItem,
    done_on: Option<Date>,
    note: &str,
) -> Result<(), StoreError> {
    sql("UPDATE review_plan_items SET done_on = $2, note = $3 WHERE id = $1")
        .bind(item.id)
        .bind(done_on)
        .bind(note)
        .execute(e)
        .await?;
    sql("UPDATE review_plans SET version = version + 1 WHERE id = $1").bind(item.plan_id).execute(e).await?;
    Ok(())
}

/// Plans of the subtree at `path` (by the organisation's current path) with an item past its
/// deadline on `today` and not done: (plan, item).
pub async fn overdue_under(e: &mut impl Exec, path: &str, today: Date) -> Result<Vec<(Plan, PlanItem)>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        plan: Plan,
        item_id: Uuid,
        seq: i64,
        content: String,
        responsible: String,
        deadline: Date,
        note: String,
    }
    let cols = PLAN_COLUMNS.split(", ").map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", ");
    let rows: Vec<Row> = dynamic_sql(format!(
        "SELECT {cols}, i.id AS item_id, i.seq, i.content, i.responsible, i.deadline, i.note \
         FROM review_plan_items i JOIN review_plans p ON p.id = i.plan_id JOIN orgs o ON o.id = p.org_id \
         WHERE o.path >= $1 AND o.path < $2 AND i.done_on IS NULL AND i.deadline < $3 \
         ORDER BY i.deadline, p.id, i.seq LIMIT 500"
    ))
    .bind(path)
    .bind(chibo_domain::path::subtree_end(path))
    .bind(today)
    .fetch_all(e)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let item = PlanItem {
                id: r.item_id,
                plan_id: r.plan.id,
                seq: r.seq,
                content: r.content,
                responsible: r.responsible,
                deadline: r.deadline,
                done_on: None,
                note: r.note,
            };
            (r.plan, item)
        })
        .collect())
}

// ---- settings ----

pub async fn insert_settings(e: &mut impl Exec, s: &Settings) -> Result<(), StoreError> {
    sql("INSERT INTO review_settings (id, org_id, effective_from, sheet, quota_num, quota_den, quota_off, by_name, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
    .bind(s.id)
    .bind(s.org_id)
    .bind(s.effective_from)
    .bind(s.sheet.clone())
    .bind(s.quota_num)
    .bind(s.quota_den)
    .bind(s.quota_off)
    .bind(s.by_name.as_str())
    .bind(s.created_at)
    .execute(e)
    .await?;
    Ok(())
}

/// The settings made on any of `orgs` (an organisation and its ancestors) in force by `on`,
/// the latest first.
pub async fn settings_for(e: &mut impl Exec, orgs: &[Uuid], on: Date) -> Result<Vec<Settings>, StoreError> {
    if orgs.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = dynamic_sql(format!(
        "SELECT id, org_id, effective_from, sheet, quota_num, quota_den, quota_off, by_name, created_at \
         FROM review_settings WHERE effective_from <= $1 AND org_id IN ({}) \
         ORDER BY effective_from DESC, created_at DESC",
        placeholders(2, orgs.len())
    ))
    .bind(on);
    for o in orgs {
        q.push_arg(*o);
    }
    q.fetch_all(e).await
}

/// Cell meetings held between `first` and `last` (both included) with the marks of `members`:
/// (member, mark code, how many).
pub async fn marks_between(
    e: &mut impl Exec,
    members: &[Uuid],
    first: Date,
    last: Date,
) -> Result<Vec<(Uuid, String, i64)>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        member_id: Uuid,
        mark: Option<String>,
        n: i64,
    }
    let mut out = Vec::new();
    for chunk in members.chunks(500) {
        let mut q = dynamic_sql(format!(
            "SELECT a.member_id, a.mark, COUNT(*) AS n FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id \
             WHERE m.status IN ('held', 'approved') AND m.kind <> 'committee' AND m.held_on >= $1 AND m.held_on <= $2 \
             AND a.member_id IN ({}) GROUP BY a.member_id, a.mark",
            placeholders(3, chunk.len())
        ))
        .bind(first)
        .bind(last);
        for id in chunk {
            q.push_arg(*id);
        }
        out.extend(q.fetch_all::<Row>(e).await?.into_iter().filter_map(|r| Some((r.member_id, r.mark?, r.n))));
    }
    Ok(out)
}
