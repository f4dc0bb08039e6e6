//! The reads behind the statistics reports (`chibo_domain::report`): the members on the rolls
//! of a subtree grouped per dimension, and the events of a period that may be its changes.

use crate::StoreError;
use crate::db::{Exec, dynamic_sql, placeholders};
use chibo_domain::path::subtree_end;
use chibo_domain::report::{Dim, Group};
use std::collections::HashMap;
use time::Date;
use uuid::Uuid;

/// The stored column each dimension groups by (dates and codes read as text).
fn column(dim: Dim) -> &'static str {
    match dim {
        Dim::Status => "status",
        Dim::Gender => "gender",
        Dim::Birth => "CAST(birth_date AS TEXT)",
        Dim::Ethnicity => "CAST(ethnicity_code AS TEXT)",
        Dim::Religion => "religion",
        Dim::GeneralEducation => "general_education",
        Dim::ProfessionalEducation => "professional_education",
        Dim::Theory => "theory_level",
        Dim::Occupation => "occupation",
        Dim::Admission => "CAST(admission_date AS TEXT)",
    }
}

#[derive(sqlx::FromRow)]
struct GroupRow {
    dim: i64,
    v: Option<String>,
    n: i64,
}

/// The members on the rolls of the subtree at `root_path` today (official or probationary, not
/// in transit), counted per distinct value of every [`Dim`]: one statement, one range of the
/// path index per dimension.
pub async fn structure_groups(e: &mut impl Exec, root_path: &str) -> Result<Vec<Group>, StoreError> {
    let parts: Vec<String> = Dim::ALL
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let c = column(*d);
            format!(
                "SELECT CAST({i} AS BIGINT) AS dim, {c} AS v, COUNT(*) AS n FROM members WHERE org_path >= $1 AND org_path < $2 \
                 AND status IN ('official', 'probationary') AND transit_org_id IS NULL GROUP BY {c}"
            )
        })
        .collect();
    let rows: Vec<GroupRow> = dynamic_sql(parts.join(" UNION ALL "))
        .bind(root_path.to_string())
        .bind(subtree_end(root_path))
        .fetch_all(e)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let dim = *Dim::ALL.get(usize::try_from(r.dim).ok()?)?;
            Some(Group { dim, value: r.v, count: u64::try_from(r.n).unwrap_or(0) })
        })
        .collect())
}

/// An event of a period that may be a change of the subtree.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventOfPeriod {
    pub member_id: Uuid,
    pub kind: String,
    pub effective_on: Date,
    pub detail: String,
    /// The path of the organisation the event names, if any.
    pub org_path: Option<String>,
    pub gender: String,
    pub ethnicity_code: i64,
    pub birth_date: Date,
}

/// The kinds of event that may be changes (`disciplined`: only expulsions are).
const CHANGE_KINDS: &str = "'admitted', 'recognized', 'transferred_in', 'transferred_out', 'readmitted', 'died', 'left', 'struck_off', 'disciplined'";

/// The events in `[from, to)` of the kinds that may be changes, neither voided nor annulled, of
/// members with a home span in the subtree that touches the period.
pub async fn events_of_period(
    e: &mut impl Exec,
    root_path: &str,
    from: Date,
    to: Date,
) -> Result<Vec<EventOfPeriod>, StoreError> {
    dynamic_sql(format!(
        "SELECT ev.member_id, ev.kind, ev.effective_on, ev.detail, o.path AS org_path, m.gender, m.ethnicity_code, \
         m.birth_date FROM member_events ev JOIN members m ON m.id = ev.member_id \
         LEFT JOIN orgs o ON o.id = ev.org_id \
         WHERE ev.member_id IN (SELECT s.member_id FROM member_spans s JOIN orgs so ON so.id = s.org_id \
           WHERE so.path >= $1 AND so.path < $2 AND s.kind = 'home' AND s.from_on < $4 \
           AND (s.to_on IS NULL OR s.to_on >= $3)) \
         AND ev.effective_on >= $3 AND ev.effective_on < $4 AND ev.kind IN ({CHANGE_KINDS}) \
         AND NOT EXISTS (SELECT 1 FROM member_events v WHERE v.member_id = ev.member_id AND v.ref_id = ev.id)"
    ))
    .bind(root_path.to_string())
    .bind(subtree_end(root_path))
    .bind(from)
    .bind(to)
    .fetch_all(e)
    .await
}

/// A home span with the path of its organisation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HomeSpan {
    pub member_id: Uuid,
    pub from_on: Date,
    pub to_on: Option<Date>,
    pub path: String,
}

/// The home spans of these members, by member.
pub async fn home_spans(e: &mut impl Exec, members: &[Uuid]) -> Result<HashMap<Uuid, Vec<HomeSpan>>, StoreError> {
    let mut out: HashMap<Uuid, Vec<HomeSpan>> = HashMap::new();
    for chunk in members.chunks(500) {
        let mut q = dynamic_sql(format!(
            "SELECT s.member_id, s.from_on, s.to_on, o.path FROM member_spans s JOIN orgs o ON o.id = s.org_id \
             WHERE s.kind = 'home' AND s.member_id IN ({})",
            placeholders(1, chunk.len())
        ));
        for m in chunk {
            q.push_arg(*m);
        }
        for s in q.fetch_all::<HomeSpan>(e).await? {
            out.entry(s.member_id).or_default().push(s);
        }
    }
    Ok(out)
}
