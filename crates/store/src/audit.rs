//! The audit log: who changed what, when, before and after.

use crate::StoreError;
use crate::db::{Exec, dynamic_sql, sql};
use chibo_domain::path;
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

/// One write, as it will be recorded.
pub struct AuditEntry<'a> {
    pub user_id: Option<Uuid>,
    pub username: &'a str,
    /// e.g. `member.create`, `org.move`, `user.grant`.
    pub action: &'a str,
    /// e.g. `member`, `org`, `user`.
    pub entity: &'a str,
    pub entity_id: Option<Uuid>,
    /// Where in the tree the entity is, so the log can be read by subtree.
    pub org_path: Option<&'a str>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub async fn record(e: &mut impl Exec, a: &AuditEntry<'_>) -> Result<(), StoreError> {
    sql("INSERT INTO audit_log (id, at, user_id, username, action, entity, entity_id, org_path, before_json, after_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
    .bind(Uuid::now_v7())
    .bind(OffsetDateTime::now_utc())
    .bind(a.user_id)
    .bind(a.username)
    .bind(a.action)
    .bind(a.entity)
    .bind(a.entity_id)
    .bind(a.org_path)
    .bind(a.before.as_ref().map(|v| v.to_string()))
    .bind(a.after.as_ref().map(|v| v.to_string()))
    .execute(e)
    .await?;
    Ok(())
}

/// A recorded write.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct AuditRecord {
    pub id: Uuid,
    pub at: OffsetDateTime,
    pub user_id: Option<Uuid>,
    pub username: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<Uuid>,
    pub org_path: Option<String>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// The newest records inside the subtrees (all records when `within` is `None`), optionally
/// for one entity.
pub async fn list(
    e: &mut impl Exec,
    within: Option<&[&str]>,
    entity_id: Option<Uuid>,
    limit: i64,
) -> Result<Vec<AuditRecord>, StoreError> {
    let mut text = String::from(
        "SELECT id, at, user_id, username, action, entity, entity_id, org_path, before_json, after_json FROM audit_log WHERE 1 = 1",
    );
    let mut args: Vec<crate::db::Arg> = Vec::new();
    if let Some(roots) = within {
        if roots.is_empty() {
            return Ok(Vec::new());
        }
        let parts: Vec<String> = roots
            .iter()
            .map(|r| {
                args.push((*r).into());
                args.push(path::subtree_end(r).into());
                format!("(org_path >= ${} AND org_path < ${})", args.len() - 1, args.len())
            })
            .collect();
        text.push_str(&format!(" AND ({})", parts.join(" OR ")));
    }
    if let Some(id) = entity_id {
        args.push(id.into());
        text.push_str(&format!(" AND entity_id = ${}", args.len()));
    }
    text.push_str(&format!(" ORDER BY at DESC LIMIT {}", limit.clamp(1, 500)));
    let mut q = dynamic_sql(text);
    for a in args {
        q.push_arg(a);
    }
    q.fetch_all(e).await
}

pub async fn count(e: &mut impl Exec) -> Result<i64, StoreError> {
    sql("SELECT COUNT(*) FROM audit_log").fetch_i64(e).await
}
