//! The reads behind the statistics reports (`chibo_domain::report`): the members on the rolls
//! of a subtree grouped per dimension, and the events of a period that may be its changes.

use crate::StoreError;
use crate::db::{Arg, Engine, Exec, dynamic_sql, placeholders};
use chibo_domain::member::MemberInput;
use chibo_domain::path::subtree_end;
use chibo_domain::report::{AGE_BANDS, Dim, Group, PARTY_AGE_BANDS};
use std::collections::HashMap;
use time::Date;
use uuid::Uuid;

/// A member's stored values of every [`Dim`] (or a group's: [`GroupRow`]).
#[derive(sqlx::FromRow)]
pub(crate) struct DimRow {
    status: String,
    gender: String,
    birth_date: Date,
    ethnicity_code: i64,
    religion: Option<String>,
    general_education: Option<String>,
    professional_education: Option<String>,
    theory_level: String,
    occupation: Option<String>,
    admission_date: Date,
}

impl DimRow {
    /// The value of each dimension, in the order of [`Dim::ALL`].
    pub(crate) fn values(self) -> DimValues {
        [
            Some(self.status),
            Some(self.gender),
            Some(self.birth_date.to_string()),
            Some(self.ethnicity_code.to_string()),
            self.religion,
            self.general_education,
            self.professional_education,
            Some(self.theory_level),
            self.occupation,
            Some(self.admission_date.to_string()),
        ]
    }
}

#[derive(sqlx::FromRow)]
struct StructureRow {
    id: Uuid,
    org_path: String,
    #[sqlx(flatten)]
    dims: DimRow,
}

/// Rows per read of [`structure_groups`]: bounds the memory a province's report takes.
const STRUCTURE_PAGE: usize = 20_000;

/// A member's values of every [`Dim`], in the order of [`Dim::ALL`].
pub type DimValues = [Option<String>; 10];

/// A member's values of every dimension, as the report groups them (the order of [`Dim::ALL`]).
pub fn values_of(m: &MemberInput) -> DimValues {
    let p = &m.profile;
    [
        Some(m.status.code().to_string()),
        Some(m.gender.code().to_string()),
        Some(m.birth_date.to_string()),
        Some(m.ethnicity_code.to_string()),
        p.religion.clone(),
        p.general_education.clone(),
        p.professional_education.clone(),
        Some(m.theory_level.code().to_string()),
        p.occupation.clone(),
        Some(m.admission_date.to_string()),
    ]
}

/// The members on the rolls of the subtree at `root_path` today (official or probationary, not
/// in transit), counted per distinct value of every [`Dim`]. One pass over the subtree's range
/// of the path index, in pages: a `GROUP BY` per dimension reads the range ten times (4.7 s
/// against 0.55 s of SQL at a province's root; decoding the rows then costs the most there,
/// docs/BENCHMARKS.md).
pub async fn structure_groups(e: &mut impl Exec, root_path: &str) -> Result<Vec<Group>, StoreError> {
    structure_groups_in_pages(e, root_path, STRUCTURE_PAGE).await
}

/// [`structure_groups`] reading `page` rows at a time (tests read in tiny pages).
pub async fn structure_groups_in_pages(
    e: &mut impl Exec,
    root_path: &str,
    page: usize,
) -> Result<Vec<Group>, StoreError> {
    let mut counts = Counts::new();
    visit_members(e, root_path, page, |_, _, values| tally(&mut counts, values)).await?;
    Ok(groups_of(counts))
}

/// Each member on the rolls of the subtree today with its values, in path order, `page` rows
/// per read (the memory stays that of one page).
pub async fn visit_members(
    e: &mut impl Exec,
    root_path: &str,
    page: usize,
    mut visit: impl FnMut(Uuid, &str, DimValues),
) -> Result<(), StoreError> {
    visit_members_where(e, root_path, page, "1 = 1", &[], |id, path, values| {
        visit(id, path, values);
        true
    })
    .await
}

/// [`visit_members`] of the members that also meet `condition` (SQL on the members' columns,
/// its arguments `args` numbered from `$5`), until `visit` returns `false`.
pub async fn visit_members_where(
    e: &mut impl Exec,
    root_path: &str,
    page: usize,
    condition: &str,
    args: &[Arg],
    mut visit: impl FnMut(Uuid, &str, DimValues) -> bool,
) -> Result<(), StoreError> {
    let mut after = (String::new(), Uuid::nil());
    loop {
        let rows = members_after(e, root_path, &after, page, condition, args).await?;
        let full = rows.len() == page.max(1);
        if let Some((id, path, _)) = rows.last() {
            after = (path.clone(), *id);
        }
        for (id, org_path, values) in rows {
            if !visit(id, &org_path, values) {
                return Ok(());
            }
        }
        if !full {
            return Ok(());
        }
    }
}

/// One page of [`visit_members_where`]: the members after `after` (path, id) in path order,
/// each with its path and values.
pub async fn members_after(
    e: &mut impl Exec,
    root_path: &str,
    after: &(String, Uuid),
    page: usize,
    condition: &str,
    args: &[Arg],
) -> Result<Vec<(Uuid, String, DimValues)>, StoreError> {
    let mut q = dynamic_sql(format!(
        "SELECT id, org_path, status, gender, birth_date, ethnicity_code, religion, general_education, \
         professional_education, theory_level, occupation, admission_date FROM members \
         WHERE org_path >= $1 AND org_path < $2 AND status IN ('official', 'probationary') \
         AND transit_org_id IS NULL AND {} AND ({condition}) ORDER BY org_path, id LIMIT {}",
        crate::db::MEMBERS_AFTER_PATH_AND_ID,
        page.max(1)
    ))
    .bind(root_path.to_string())
    .bind(subtree_end(root_path))
    .bind(after.0.clone())
    .bind(after.1);
    for a in args {
        q.push_arg(a.clone());
    }
    let rows: Vec<StructureRow> = q.fetch_all(e).await?;
    Ok(rows.into_iter().map(|r| (r.id, r.org_path.clone(), r.dims.values())).collect())
}

/// Each member at [`visit_members`], all at once (the members behind a line of the report).
pub async fn members_today(e: &mut impl Exec, root_path: &str) -> Result<Vec<(Uuid, DimValues)>, StoreError> {
    let mut out = Vec::new();
    visit_members(e, root_path, STRUCTURE_PAGE, |id, _, v| out.push((id, v))).await?;
    Ok(out)
}

type Counts = HashMap<(usize, Option<String>), u64>;

fn tally(counts: &mut Counts, values: DimValues) {
    for (i, v) in values.into_iter().enumerate() {
        *counts.entry((i, v)).or_default() += 1;
    }
}

fn groups_of(counts: Counts) -> Vec<Group> {
    counts.into_iter().map(|((i, value), count)| Group { dim: Dim::ALL[i], value, count }).collect()
}
/// `root` and the organisations under it by the links of some day in `[from, to)` (of any
/// date: `None`), each once, in no particular order. Over several days this is every
/// organisation that was under `root` on one of them, and perhaps more (an organisation under
/// a child on a day the child was elsewhere). One recursive query down the links by parent, to
/// the deepest tree the kinds allow (every day's tree is within it): a province of the nation
/// demo, 14,800 organisations, took one query per level and 500 parents, about 140 ms.
pub(crate) async fn walk_down(
    e: &mut impl Exec,
    root: Uuid,
    during: Option<(Date, Date)>,
) -> Result<Vec<Uuid>, StoreError> {
    let window = if during.is_some() {
        "AND (l.from_on IS NULL OR l.from_on < $4) AND (l.to_on IS NULL OR l.to_on > $3)"
    } else {
        ""
    };
    let mut q = dynamic_sql(format!(
        "WITH RECURSIVE t(id, depth) AS (SELECT id, 0 FROM orgs WHERE id = $1 \
         UNION ALL SELECT l.org_id, t.depth + 1 FROM t CROSS JOIN org_links l \
         WHERE l.parent_id = t.id AND t.depth < $2 {window}) SELECT id FROM t"
    ))
    .bind(root)
    .bind(chibo_domain::org::OrgKind::MAX_DEPTH as i64);
    if let Some((from, to)) = during {
        q = q.bind(from).bind(to);
    }
    let mut seen = std::collections::HashSet::new();
    let rows: Vec<IdRow> = q.fetch_all(e).await?;
    Ok(rows.into_iter().map(|r| r.id).filter(|o| seen.insert(*o)).collect())
}

#[derive(sqlx::FromRow)]
struct IdRow {
    id: Uuid,
}

/// The ids of the organisations under a path today (the subtree at `path`, itself included),
/// or only those established after a date (read by the date of establishment, index
/// `orgs_established`).
pub(crate) async fn org_ids_under(
    e: &mut impl Exec,
    path: &str,
    established_after: Option<Date>,
) -> Result<Vec<Uuid>, StoreError> {
    let established = if established_after.is_some() { "established_on > $3" } else { "1 = 1" };
    let mut q = dynamic_sql(format!("SELECT id FROM orgs WHERE path >= $1 AND path < $2 AND {established}"))
        .bind(path.to_string())
        .bind(subtree_end(path));
    if let Some(on) = established_after {
        q.push_arg(on);
    }
    let rows: Vec<IdRow> = q.fetch_all(e).await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// The members on the rolls of these organisations on `on` (a home span holding that date),
/// counted per distinct value of every [`Dim`]: the standing is the span's (the standing of
/// that day), the other fields the record's. This reads every member of that day: the report
/// takes today's kept structure netted with the members who changed since
/// (`structure_counts::groups_past`), and the tests compare the two.
pub async fn structure_groups_on(e: &mut impl Exec, orgs: &[Uuid], on: Date) -> Result<Vec<Group>, StoreError> {
    grouped(e, Members::OnRolls { closed_since: false }, Orgs::List(orgs), on).await
}

/// The organisations [`grouped`] reads: a list (bound, [`grouped_orgs`] a query), or those
/// under a path today (a subquery on `orgs`: no list to bind, however large the subtree —
/// SQLite looks each bound `$N` up by name, so a list of thousands costs more to bind than
/// to read).
#[derive(Clone, Copy)]
pub(crate) enum Orgs<'a> {
    List(&'a [Uuid]),
    Under(&'a str),
    /// Every organisation: a subtree that holds the whole table (a root of a one-root
    /// tree). No condition on the organisation, so the spans are read by their dates (index
    /// `member_spans_dates`) instead of probed once per organisation (SQLite; PostgreSQL for
    /// a window of days: `structure_counts::groups_past`).
    All,
}

/// Which members of some organisations [`grouped`] counts, about the report's day.
#[derive(Clone, Copy)]
pub(crate) enum Members {
    /// On the rolls that day by a home span in the organisations, with the span's standing:
    /// all, or only those whose span has closed since.
    OnRolls { closed_since: bool },
    /// On the rolls today (the record's standing, not in transit) by an open home span in the
    /// organisations that started after that day.
    ArrivedSince,
    /// A home span on the rolls in the organisations that started in `days` (after the first,
    /// on or before the second), still open (`open`) or closed since (each a range of the
    /// spans' date index: the closed ones end after they start, so after the first day).
    StartedWithin { days: (Date, Date), open: bool },
    /// A home span on the rolls in the organisations that ended in `days` (after the first, on
    /// or before the second).
    EndedWithin { days: (Date, Date) },
}

impl Members {
    /// The tables and conditions (`$1` the day), the standing column and the organisation
    /// column. Each join names its driving table first (`CROSS JOIN` keeps that order on
    /// SQLite; PostgreSQL plans it as any join).
    fn sql(self) -> (String, &'static str, &'static str) {
        const SPANS: &str = "member_spans s CROSS JOIN members m WHERE m.id = s.member_id AND s.kind = 'home'";
        const ON_ROLLS: &str = "s.status IN ('official', 'probationary') AND s.from_on <= $1";
        const TODAY: &str = "m.status IN ('official', 'probationary') AND m.transit_org_id IS NULL";
        match self {
            Members::OnRolls { closed_since } => {
                let ends = if closed_since { "s.to_on > $1" } else { "(s.to_on IS NULL OR s.to_on > $1)" };
                (format!("{SPANS} AND {ON_ROLLS} AND {ends}"), "s.status", "s.org_id")
            }
            Members::ArrivedSince => {
                (format!("{SPANS} AND s.to_on IS NULL AND s.from_on > $1 AND {TODAY}"), "m.status", "s.org_id")
            }
            // The window's days are dates the caller computed, written into the text ($1 is the
            // day the dates are banded on).
            Members::StartedWithin { days: (after, until), open } => {
                let ends = if open { "s.to_on IS NULL".to_string() } else { format!("s.to_on > '{after}'") };
                let starts = format!("s.from_on > '{after}' AND s.from_on <= '{until}'");
                (
                    format!("{SPANS} AND {ends} AND {starts} AND s.status IN ('official', 'probationary')"),
                    "s.status",
                    "s.org_id",
                )
            }
            Members::EndedWithin { days: (after, until) } => (
                format!(
                    "{SPANS} AND s.to_on > '{after}' AND s.to_on <= '{until}' \
                     AND s.status IN ('official', 'probationary')"
                ),
                "s.status",
                "s.org_id",
            ),
        }
    }
}

/// `CASE WHEN {column} <= $first THEN $first … ELSE $1 END`: a date as the latest date of its
/// band, the bands' `cuts` bound from `$first` on, the report's day `$1` for the first band.
pub(crate) fn banded_sql(column: &str, cuts: usize, first: usize) -> String {
    let whens: String = (first..first + cuts).map(|i| format!("WHEN {column} <= ${i} THEN ${i} ")).collect();
    format!("CASE {whens}ELSE $1 END")
}

/// The `members` of these organisations counted by the database per distinct value of every
/// [`Dim`], in one `GROUP BY` of every dimension at once, each birth and admission date
/// replaced by the latest date of its band on `on` (the bands' cuts,
/// [`chibo_domain::report::Bands::cuts_on`]): a few thousand groups come back where the
/// members are hundreds of thousands (a province's root: 8,000 to 17,000 groups for 211,000
/// members); [`grouped_orgs`] organisations a query.
pub(crate) async fn grouped(
    e: &mut impl Exec,
    members: Members,
    orgs: Orgs<'_>,
    on: Date,
) -> Result<Vec<Group>, StoreError> {
    let age = AGE_BANDS.cuts_on(on);
    let party = PARTY_AGE_BANDS.cuts_on(on);
    // $1 the date, then the cuts of the ages and of the party ages, then the organisations.
    let age_sql = banded_sql("m.birth_date", age.len(), 2);
    let party_sql = banded_sql("m.admission_date", party.len(), 2 + age.len());
    let first_org = 2 + age.len() + party.len();
    let (from_where, status, org) = members.sql();
    let under = [Uuid::nil()];
    let (list, chunk_len) = match orgs {
        Orgs::List(ids) => (ids, grouped_orgs(e.engine())),
        Orgs::Under(_) | Orgs::All => (&under[..], 1),
    };
    let mut counts = Counts::new();
    for chunk in list.chunks(chunk_len) {
        let within = match orgs {
            Orgs::List(_) => format!(" AND {org} IN ({})", placeholders(first_org, chunk.len())),
            Orgs::Under(_) => {
                format!(" AND {org} IN (SELECT id FROM orgs WHERE path >= ${first_org} AND path < ${})", first_org + 1)
            }
            Orgs::All => String::new(),
        };
        let mut q = dynamic_sql(format!(
            "SELECT {status} AS status, m.gender, {age_sql} AS birth_date, m.ethnicity_code, m.religion, \
             m.general_education, m.professional_education, m.theory_level, m.occupation, \
             {party_sql} AS admission_date, COUNT(*) AS n FROM {from_where}{within} \
             GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10"
        ));
        q.push_arg(on);
        for (cut, _) in age.iter().chain(&party) {
            q.push_arg(*cut);
        }
        match orgs {
            Orgs::List(_) => chunk.iter().for_each(|id| q.push_arg(*id)),
            Orgs::Under(path) => {
                q.push_arg(path);
                q.push_arg(subtree_end(path));
            }
            Orgs::All => {}
        }
        for r in q.fetch_all::<GroupRow>(e).await? {
            let n = r.n.max(0) as u64;
            for (i, v) in r.dims.values().into_iter().enumerate() {
                *counts.entry((i, v)).or_default() += n;
            }
        }
    }
    Ok(groups_of(counts))
}

/// Organisations per grouped query, by engine, within both engines' limits on parameters
/// (SQLite 32,766, PostgreSQL 65,535). PostgreSQL scans the spans once per query, so a
/// province's tree in one query halves its time at the root (psql: 635 ms in lists of 5,000,
/// 290–320 ms in one; `chibo bench`: 558 → 413 ms); SQLite probes the spans' index once per
/// organisation and sorts the groups, and one list of 11,000 was slower there (1.29 → 1.48 s).
fn grouped_orgs(engine: Engine) -> usize {
    match engine {
        Engine::Sqlite => 5_000,
        Engine::Postgres => 30_000,
    }
}

/// One group of [`structure_groups_on`]: the values of every dimension (a date dimension as
/// the latest date of its band on the report's day), and how many members.
#[derive(sqlx::FromRow)]
struct GroupRow {
    #[sqlx(flatten)]
    dims: DimRow,
    n: i64,
}

/// Each member at [`structure_groups_on`], all at once.
pub async fn members_on(e: &mut impl Exec, orgs: &[Uuid], on: Date) -> Result<Vec<(Uuid, DimValues)>, StoreError> {
    let mut out = Vec::new();
    visit_members_on(e, orgs, on, |id, v| out.push((id, v))).await?;
    Ok(out)
}

/// Each member on the rolls of these organisations on `on` with its values of that day, read
/// 500 organisations at a time.
async fn visit_members_on(
    e: &mut impl Exec,
    orgs: &[Uuid],
    on: Date,
    mut visit: impl FnMut(Uuid, DimValues),
) -> Result<(), StoreError> {
    for chunk in orgs.chunks(500) {
        let mut q = dynamic_sql(format!(
            "SELECT m.id, m.org_path, s.status, m.gender, m.birth_date, m.ethnicity_code, m.religion, \
             m.general_education, m.professional_education, m.theory_level, m.occupation, m.admission_date \
             FROM member_spans s JOIN members m ON m.id = s.member_id \
             WHERE s.kind = 'home' AND s.status IN ('official', 'probationary') AND s.from_on <= $1 \
             AND (s.to_on IS NULL OR s.to_on > $1) AND s.org_id IN ({})",
            placeholders(2, chunk.len())
        ));
        q.push_arg(on);
        for id in chunk {
            q.push_arg(*id);
        }
        for r in q.fetch_all::<StructureRow>(e).await? {
            visit(r.id, r.dims.values());
        }
    }
    Ok(())
}
