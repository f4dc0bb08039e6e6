//! Party badges awarded (*Huy hiệu Đảng*): at most one per member and milestone.

use crate::StoreError;
use crate::db::{Exec, dynamic_sql, placeholders, sql};
use serde::Serialize;
use std::collections::HashMap;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// A badge awarded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct BadgeAward {
    pub id: Uuid,
    pub member_id: Uuid,
    pub years: i64,
    pub award_on: Date,
    pub decision_number: Option<String>,
    /// Why it came before the milestone (`ill`, `posthumous`), if it did.
    pub early: Option<String>,
    pub recorded_by: Option<Uuid>,
    pub recorded_at: OffsetDateTime,
}

const COLUMNS: &str = "id, member_id, years, award_on, decision_number, early, recorded_by, recorded_at";

pub async fn insert(e: &mut impl Exec, a: &BadgeAward) -> Result<(), StoreError> {
    dynamic_sql(format!("INSERT INTO badge_awards ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"))
        .bind(a.id)
        .bind(a.member_id)
        .bind(a.years)
        .bind(a.award_on)
        .bind(a.decision_number.clone())
        .bind(a.early.clone())
        .bind(a.recorded_by)
        .bind(a.recorded_at)
        .execute(e)
        .await?;
    Ok(())
}

/// A member's badges, by milestone.
pub async fn of_member(e: &mut impl Exec, member: Uuid) -> Result<Vec<BadgeAward>, StoreError> {
    sql("SELECT id, member_id, years, award_on, decision_number, early, recorded_by, recorded_at \
         FROM badge_awards WHERE member_id = $1 ORDER BY years")
    .bind(member)
    .fetch_all(e)
    .await
}

/// The milestones already awarded to each of `members`.
pub async fn years_of(e: &mut impl Exec, members: &[Uuid]) -> Result<HashMap<Uuid, Vec<i32>>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        member_id: Uuid,
        years: i64,
    }
    let mut out: HashMap<Uuid, Vec<i32>> = HashMap::new();
    for chunk in members.chunks(500) {
        let mut q = dynamic_sql(format!(
            "SELECT member_id, years FROM badge_awards WHERE member_id IN ({})",
            placeholders(1, chunk.len())
        ));
        for id in chunk {
            q.push_arg(*id);
        }
        for r in q.fetch_all::<Row>(e).await? {
            out.entry(r.member_id).or_default().push(r.years as i32);
        }
    }
    Ok(out)
}
