//! The figures of inspection and supervision, kept so that any organisation's figures for a
//! year or a term are a few rows of `inspection_counts`: per period key (`year:2026`,
//! `term:2025-07-01`) and organisation, the cases of its subtree by `kind|result|subject`, the
//! disciplines in force by `subject|form`, and `covered`: the organisations directly under a
//! decider that one of its inspections or supervisions concerned (each once per period),
//! counted in the decider and its ancestors. A case counts in its subject's organisation (the
//! member's cell) and its ancestors, with the tree of the period's last day on which that
//! organisation existed (as the meeting and review figures).
//!
//! Every write takes the counts of the cases of one (decider, subject organisation) pair out and
//! puts them back ([`pair_detach`], [`attach`]); a tree change does the same for the cases under
//! the subtree ([`detach`], [`attach`]). [`recount`] recomputes everything from the cases.

use crate::StoreError;
use crate::db::{Arg, Exec, dynamic_sql, sql};
use crate::history;
use chibo_domain::inspection::{term_of, year_of};
use chibo_domain::meeting::{Period, active_interval, attributed_on, attributed_to};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use time::Date;
use uuid::Uuid;

/// Counts before attribution: (period key, organisation, measure, code) → n.
pub type Groups = BTreeMap<(String, Uuid, String, String), i64>;

/// The contributions taken out, to put back after a change.
#[derive(Debug, Clone, Default)]
pub struct Detached {
    filter: Filter,
}

#[derive(Debug, Clone, Default)]
enum Filter {
    #[default]
    All,
    Under(String),
    Pair(Uuid, Uuid),
    /// The cases whose subject organisation's id is within the two, both included.
    Subjects(Uuid, Uuid),
}

/// The period keys a date counts in: its year and its term.
pub fn periods_of_date(d: Date) -> [String; 2] {
    [format!("year:{}", d.year()), format!("term:{}", term_of(d).0)]
}

/// The first and last day of a period key; `None` for a key not of this module.
pub fn period_days(key: &str) -> Option<(Date, Date)> {
    if let Some(y) = key.strip_prefix("year:") {
        let y: i32 = y.parse().ok().filter(|y| chibo_domain::date::YEARS.contains(y))?;
        return Some(year_of(chibo_domain::date::ymd(y, 6, 1)?));
    }
    let first = chibo_domain::date::parse_iso(key.strip_prefix("term:")?)?;
    Some(term_of(first))
}

#[derive(sqlx::FromRow)]
struct CaseFacts {
    org_id: Uuid,
    kind: String,
    subject: String,
    subject_org_id: Uuid,
    covers: bool,
    decided_on: Date,
    result: String,
    form_in_force: Option<String>,
    disciplined_on: Option<Date>,
}

async fn facts(e: &mut impl Exec, filter: &Filter) -> Result<Vec<CaseFacts>, StoreError> {
    let base = "SELECT c.org_id, c.kind, c.subject, c.subject_org_id, c.covers, c.decided_on, c.result, \
                d.form_in_force, d.decided_on AS disciplined_on \
                FROM inspection_cases c LEFT JOIN inspection_disciplines d ON d.case_id = c.id";
    let q = match filter {
        Filter::All => dynamic_sql(base.to_string()),
        Filter::Pair(org, subject) => {
            dynamic_sql(format!("{base} WHERE c.org_id = $1 AND c.subject_org_id = $2")).bind(*org).bind(*subject)
        }
        Filter::Subjects(first, last) => {
            dynamic_sql(format!("{base} WHERE c.subject_org_id >= $1 AND c.subject_org_id <= $2"))
                .bind(*first)
                .bind(*last)
        }
        Filter::Under(path) => dynamic_sql(format!(
            "{base} JOIN orgs so ON so.id = c.subject_org_id JOIN orgs dor ON dor.id = c.org_id \
             WHERE (so.path >= $1 AND so.path < $2) OR (dor.path >= $1 AND dor.path < $2)"
        ))
        .bind(path.as_str())
        .bind(chibo_domain::path::subtree_end(path)),
    };
    q.fetch_all(e).await
}

/// The counts of a set of cases, before attribution.
fn groups(cases: &[CaseFacts]) -> Groups {
    let mut g = Groups::new();
    let mut covered: BTreeSet<(String, Uuid, Uuid)> = BTreeSet::new();
    for c in cases {
        for p in periods_of_date(c.decided_on) {
            let code = format!("{}|{}|{}", c.kind, c.result, c.subject);
            *g.entry((p.clone(), c.subject_org_id, "case".into(), code)).or_default() += 1;
            if c.covers {
                covered.insert((p, c.org_id, c.subject_org_id));
            }
        }
        if let (Some(form), Some(on)) = (&c.form_in_force, c.disciplined_on) {
            for p in periods_of_date(on) {
                *g.entry((p, c.subject_org_id, "disciplined".into(), format!("{}|{form}", c.subject))).or_default() +=
                    1;
            }
        }
    }
    for (p, decider, _) in covered {
        *g.entry((p, decider, "covered".into(), String::new())).or_default() += 1;
    }
    g
}

/// Attribute the groups to the organisations and their ancestors on each period's last day.
async fn attributed(e: &mut impl Exec, g: &Groups) -> Result<Groups, StoreError> {
    let mut orgs: Vec<Uuid> = g.keys().map(|(_, o, _, _)| *o).collect();
    orgs.sort();
    orgs.dedup();
    let links = history::ancestry_links(e, &orgs).await?;
    let mut out = Groups::new();
    for ((period, org, measure, code), n) in g {
        let Some((first, last)) = period_days(period) else { continue };
        let p = Period { from: first, to: last.next_day().unwrap_or(last) };
        let on = links.get(org).and_then(|own| attributed_on(p, active_interval(own))).unwrap_or(last);
        for at in attributed_to(*org, on, &links) {
            *out.entry((period.clone(), at, measure.clone(), code.clone())).or_default() += n;
        }
    }
    Ok(out)
}

async fn apply(e: &mut impl Exec, g: &Groups, sign: i64) -> Result<(), StoreError> {
    let sums = attributed(e, g).await?;
    let rows: Vec<(Vec<Arg>, i64)> = sums
        .into_iter()
        .filter(|(_, n)| *n != 0)
        .map(|((period, org, measure, code), n)| {
            (vec![period.into(), org.into(), measure.into(), code.into()], sign * n)
        })
        .collect();
    crate::db::add_counts(e, "inspection_counts", &["period", "org_id", "measure", "code"], &rows).await
}

async fn take_out(e: &mut impl Exec, filter: Filter) -> Result<Detached, StoreError> {
    let g = groups(&facts(e, &filter).await?);
    apply(e, &g, -1).await?;
    Ok(Detached { filter })
}

/// Take the counts of the cases of one (decider, subject organisation) pair out before a write
/// to one of them (or a new one); [`attach`] after.
pub async fn pair_detach(e: &mut impl Exec, org: Uuid, subject_org: Uuid) -> Result<Detached, StoreError> {
    take_out(e, Filter::Pair(org, subject_org)).await
}

/// Take the counts of the cases under `path` (subject or decider) out before a tree change there.
pub async fn detach(e: &mut impl Exec, path: &str) -> Result<Detached, StoreError> {
    take_out(e, Filter::Under(path.to_string())).await
}

/// Put back what [`detach`] or [`pair_detach`] took out, computed again from the cases as they
/// are now and attributed with the tree as it is now.
pub async fn attach(e: &mut impl Exec, d: &Detached) -> Result<(), StoreError> {
    let g = groups(&facts(e, &d.filter).await?);
    apply(e, &g, 1).await
}

/// Subject organisations counted in one pass of [`count_all`].
const SUBJECTS_PER_PASS: usize = 5_000;

/// Count the cases as loaded in bulk (the demo): every case, nothing kept before, a few
/// thousand subject organisations at a time. A case counts in its subject organisation's
/// figures (and covers a decider once per subject organisation), so the passes add up to the
/// whole; the nation's cases grouped at once held about a gigabyte.
pub async fn count_all(e: &mut impl Exec) -> Result<(), StoreError> {
    count_in_passes(e, SUBJECTS_PER_PASS).await
}

/// [`count_all`] with `per_pass` subject organisations a pass (a test takes one).
pub async fn count_in_passes(e: &mut impl Exec, per_pass: usize) -> Result<(), StoreError> {
    let subjects: Vec<(Uuid,)> =
        sql("SELECT DISTINCT subject_org_id FROM inspection_cases ORDER BY subject_org_id").fetch_all(e).await?;
    for pass in subjects.chunks(per_pass.max(1)) {
        if let (Some((first,)), Some((last,))) = (pass.first(), pass.last()) {
            attach(e, &Detached { filter: Filter::Subjects(*first, *last) }).await?;
        }
    }
    Ok(())
}

/// The kept figures of `orgs` for a period key: organisation → (measure, code) → n.
pub async fn figures(
    e: &mut impl Exec,
    period: &str,
    orgs: &[Uuid],
) -> Result<HashMap<Uuid, BTreeMap<(String, String), i64>>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        org_id: Uuid,
        measure: String,
        code: String,
        n: i64,
    }
    let mut out: HashMap<Uuid, BTreeMap<(String, String), i64>> = HashMap::new();
    for chunk in orgs.chunks(500) {
        let mut q = dynamic_sql(format!(
            "SELECT org_id, measure, code, n FROM inspection_counts WHERE period = $1 AND n <> 0 AND org_id IN ({})",
            crate::db::placeholders(2, chunk.len())
        ))
        .bind(period);
        for o in chunk {
            q.push_arg(*o);
        }
        for r in q.fetch_all::<Row>(e).await? {
            out.entry(r.org_id).or_default().insert((r.measure, r.code), r.n);
        }
    }
    Ok(out)
}

/// A difference found by [`recount`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Mismatch {
    pub period: String,
    pub org_id: Uuid,
    pub measure: String,
    pub code: String,
    pub kept: i64,
    pub recounted: i64,
}

/// Recompute every count from the cases and the links and compare with what is kept.
pub async fn recount(e: &mut impl Exec) -> Result<Vec<Mismatch>, StoreError> {
    let g = groups(&facts(e, &Filter::All).await?);
    let mut want = attributed(e, &g).await?;
    #[derive(sqlx::FromRow)]
    struct Kept {
        period: String,
        org_id: Uuid,
        measure: String,
        code: String,
        n: i64,
    }
    let kept: Vec<Kept> =
        sql("SELECT period, org_id, measure, code, n FROM inspection_counts WHERE n <> 0").fetch_all(e).await?;
    let mut out = Vec::new();
    for k in kept {
        let recounted = want.remove(&(k.period.clone(), k.org_id, k.measure.clone(), k.code.clone())).unwrap_or(0);
        if recounted != k.n {
            out.push(Mismatch {
                period: k.period,
                org_id: k.org_id,
                measure: k.measure,
                code: k.code,
                kept: k.n,
                recounted,
            });
        }
    }
    for ((period, org_id, measure, code), n) in want.into_iter().filter(|(_, n)| *n != 0) {
        out.push(Mismatch { period, org_id, measure, code, kept: 0, recounted: n });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_date_counts_in_its_year_and_term() {
        let [y, t] = periods_of_date(date!(2026 - 03 - 02));
        assert_eq!((y.as_str(), t.as_str()), ("year:2026", "term:2025-07-01"));
        assert_eq!(period_days(&y), Some((date!(2026 - 01 - 01), date!(2026 - 12 - 31))));
        assert_eq!(period_days(&t), Some((date!(2025 - 07 - 01), date!(2030 - 06 - 30))));
        assert_eq!(period_days("quarter:2026-Q1"), None);
        assert_eq!(period_days("year:-9999"), None, "beyond the years of the record");
    }
}
