//! The audit log (*nhật ký*): who changed or opened what, when, before and after; every row
//! chained to the previous one by a hash (`audit_chain`).

use crate::StoreError;
use crate::audit_chain::{self, ChainRow};
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
    /// The session (its token's hash) the write was asked from: the entry, and with it the
    /// write, is refused when that session has ended meanwhile ([`StoreError::SessionEnded`]:
    /// an account disabled, a password or second factor reset while the request waited for
    /// its turn). `None`: the console, a job.
    pub session: Option<&'a str>,
}

impl AuditEntry<'_> {
    /// The entry of a write that ends the asker's own session (ending a session, resetting or
    /// disabling an account, revoking a grant): recorded after the session is gone, so its
    /// session is not checked here; the write checks it at its start instead.
    pub fn without_session(self) -> Self {
        AuditEntry { session: None, ..self }
    }
}

/// Append an entry to the chain: take the next sequence number (locking the head until the
/// transaction ends), hash the row with the previous hash, insert it, move the head.
pub async fn record(e: &mut impl Exec, a: &AuditEntry<'_>) -> Result<(), StoreError> {
    if let Some(session) = a.session {
        crate::users::check_live(e, session).await?;
    }
    let head = audit_chain::advance(e).await?;
    let row = ChainRow {
        seq: Some(head.seq),
        id: Uuid::now_v7(),
        at: audit_chain::micros(OffsetDateTime::now_utc()),
        user_id: a.user_id,
        username: a.username.to_string(),
        action: a.action.to_string(),
        entity: a.entity.to_string(),
        entity_id: a.entity_id,
        before_json: a.before.as_ref().map(|v| v.to_string()),
        after_json: a.after.as_ref().map(|v| v.to_string()),
        row_hash: None,
    };
    let hash = audit_chain::hash(&head.hash, head.seq, &row);
    sql("INSERT INTO audit_log (id, at, user_id, username, action, entity, entity_id, org_path, before_json, after_json, seq, row_hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
    .bind(row.id)
    .bind(row.at)
    .bind(row.user_id)
    .bind(row.username)
    .bind(row.action)
    .bind(row.entity)
    .bind(row.entity_id)
    .bind(a.org_path)
    .bind(row.before_json)
    .bind(row.after_json)
    .bind(head.seq)
    .bind(hash.as_str())
    .execute(e)
    .await?;
    audit_chain::set_head_hash(e, &hash).await
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

/// Which entries a listing may return.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// Every entry (the console, or an administrator of every root).
    All,
    /// Entries whose `org_path` lies in one of these subtrees, and account entries without
    /// one (account created, password changed) about accounts that have grants and whose
    /// every grant lies in them.
    Within(&'a [&'a str]),
    /// Every entry about one entity, wherever it was recorded (a record the viewer reads now).
    Entity,
}

/// `(col >= $a AND col < $b) OR …` over the subtrees, binding their bounds.
fn in_subtrees(col: &str, roots: &[&str], args: &mut Vec<crate::db::Arg>) -> String {
    let parts: Vec<String> = roots
        .iter()
        .map(|r| {
            args.push((*r).into());
            args.push(path::subtree_end(r).into());
            format!("({col} >= ${} AND {col} < ${})", args.len() - 1, args.len())
        })
        .collect();
    parts.join(" OR ")
}

/// The newest records in `scope`, optionally about one entity.
pub async fn list(
    e: &mut impl Exec,
    scope: Scope<'_>,
    entity_id: Option<Uuid>,
    limit: i64,
) -> Result<Vec<AuditRecord>, StoreError> {
    let mut text = String::from(
        "SELECT id, at, user_id, username, action, entity, entity_id, org_path, before_json, after_json FROM audit_log WHERE 1 = 1",
    );
    let mut args: Vec<crate::db::Arg> = Vec::new();
    match scope {
        Scope::All => {}
        Scope::Entity if entity_id.is_none() => return Ok(Vec::new()),
        Scope::Entity => {}
        Scope::Within([]) => return Ok(Vec::new()),
        Scope::Within(roots) => {
            let rows = in_subtrees("org_path", roots, &mut args);
            let grants = in_subtrees("o.path", roots, &mut args);
            text.push_str(&format!(
                " AND (({rows}) OR (org_path IS NULL AND entity = 'user' \
                 AND EXISTS (SELECT 1 FROM grants g WHERE g.user_id = audit_log.entity_id) \
                 AND NOT EXISTS (SELECT 1 FROM grants g JOIN orgs o ON o.id = g.org_id \
                 WHERE g.user_id = audit_log.entity_id AND NOT ({grants}))))"
            ));
        }
    }
    if let Some(id) = entity_id {
        args.push(id.into());
        text.push_str(&format!(" AND entity_id = ${}", args.len()));
    }
    text.push_str(&format!(" ORDER BY at DESC, id DESC LIMIT {}", limit.clamp(1, 500)));
    let mut q = dynamic_sql(text);
    for a in args {
        q.push_arg(a);
    }
    q.fetch_all(e).await
}

pub async fn count(e: &mut impl Exec) -> Result<i64, StoreError> {
    sql("SELECT COUNT(*) FROM audit_log").fetch_i64(e).await
}
