//! Reading the audit log (*nhật ký kiểm toán*) by subtree, and logging reads of personal data.
//!
//! Who sees an entry:
//! - the console, and an administrator of every root, see every entry;
//! - an administrator sees the entries recorded in its administered subtrees (`org_path`,
//!   which follows the tree when subtrees move), and the account entries without a place
//!   (account created, password changed) about accounts that have grants, all of them inside
//!   its administered subtrees;
//! - asking for one entity (`entity_id`) that exists outside the administered subtrees is
//!   `NotFound`, as the entity's own routes answer; a member record administered now gives
//!   every entry about it, wherever it was recorded (its history follows it on transfer).
//!
//! Personal data in before/after images is shown only where the record is readable now: an
//! entry about a member recorded in this subtree whose record has since been transferred
//! elsewhere (or is gone) still shows who did what and when, but its images keep only the
//! non-personal keys ([`KEPT_KEYS`]).

use crate::load::member_target;
use crate::read_log::ReadEntry;
use crate::{Chibo, Outcome, Viewer};
use chibo_domain::access::{Action, Role, Target};
use chibo_domain::{Problem, path};
use chibo_store::Exec;
use chibo_store::audit::{self, AuditRecord, Scope};
use chibo_store::{candidates, meetings, members, orgs, users};
use serde_json::Value;
use std::collections::HashMap;
use uuid::Uuid;

/// Keys of a before/after image that stay when the record is not readable: identifiers,
/// standing, kinds and dates of changes. Every other value is left out.
pub const KEPT_KEYS: &[&str] =
    &["id", "org_id", "ref_id", "status", "kind", "version", "effective_on", "created_at", "updated_at"];

/// What the viewer may know of one entity asked for by id.
enum Seen {
    /// Administered now: every entry about it.
    Administered,
    /// Exists, outside the viewer's administration: not revealed.
    Hidden,
    /// Not a current record (deleted, or never one): the ordinary scope applies.
    Unknown,
}

/// An image without personal values: kept keys at any depth, nothing else.
pub fn redact(v: &Value) -> Value {
    match v {
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (k, val) in map {
                match val {
                    Value::Object(_) | Value::Array(_) => {
                        out.insert(k.clone(), redact(val));
                    }
                    _ if KEPT_KEYS.contains(&k.as_str()) => {
                        out.insert(k.clone(), val.clone());
                    }
                    _ => {}
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(redact).filter(|x| !x.is_null()).collect()),
        _ => Value::Null,
    }
}

fn redact_text(s: &Option<String>) -> Option<String> {
    let mut v = redact(&serde_json::from_str::<Value>(s.as_deref()?).ok()?);
    if let Value::Object(m) = &mut v {
        m.insert("redacted".into(), Value::Bool(true));
    }
    Some(v.to_string())
}

/// The subtrees the viewer administers, without those inside another.
fn admin_roots(v: &Viewer) -> Vec<&str> {
    let roots: Vec<&str> = v.grants.iter().filter(|g| g.role == Role::Admin).map(|g| g.org_path.as_str()).collect();
    roots.iter().copied().filter(|p| !roots.iter().any(|q| q != p && path::is_within(p, q))).collect()
}

impl Chibo {
    /// The audit log as the viewer may read it, newest first, optionally about one entity.
    pub async fn audit_log(&self, v: &Viewer, entity_id: Option<Uuid>, limit: i64) -> Outcome<Vec<AuditRecord>> {
        if !v.is_admin() {
            return Err(Problem::Forbidden);
        }
        self.flush_audit().await?;
        let mut c = self.pools.read().await?;
        let roots = admin_roots(v);
        let every_root = v.console || {
            let all = orgs::roots(&mut c).await?;
            !all.is_empty() && all.iter().all(|r| roots.iter().any(|p| path::is_within(&r.path, p)))
        };
        let seen = match entity_id {
            Some(id) => self.seen(v, &mut c, id, &roots, every_root).await?,
            None => Seen::Unknown,
        };
        let scope = match seen {
            Seen::Hidden => return Err(Problem::NotFound),
            Seen::Administered => Scope::Entity,
            Seen::Unknown if every_root => Scope::All,
            Seen::Unknown => Scope::Within(&roots),
        };
        let mut rows = audit::list(&mut c, scope, entity_id, limit).await?;
        if !v.console {
            self.redact_unreadable(v, &mut c, &mut rows).await?;
        }
        Ok(rows)
    }

    /// Whether the entity `id` is administered by the viewer, exists outside, or is unknown.
    async fn seen(&self, v: &Viewer, c: &mut impl Exec, id: Uuid, roots: &[&str], every_root: bool) -> Outcome<Seen> {
        let administers = |path: &str| v.may(Action::Administer, Target::Org { path });
        let verdict = |ok: bool| if ok { Seen::Administered } else { Seen::Hidden };
        if let Some(m) = members::by_id(c, id).await? {
            return Ok(verdict(v.may(Action::Administer, member_target(&m))));
        }
        if let Some(o) = orgs::by_id(c, id).await? {
            return Ok(verdict(administers(&o.path)));
        }
        if let Some(m) = meetings::by_id(c, id).await? {
            let cell = orgs::by_id(c, m.cell_id).await?;
            return Ok(verdict(cell.is_some_and(|o| administers(&o.path))));
        }
        if let Some(k) = candidates::by_id(c, id).await? {
            return Ok(verdict(administers(&k.org_path)));
        }
        if users::by_id(c, id).await?.is_some() {
            let grants = users::grants_of(c, id).await?;
            let ok = if grants.is_empty() {
                every_root
            } else {
                grants.iter().all(|g| roots.iter().any(|r| path::is_within(&g.org_path, r)))
            };
            return Ok(verdict(v.console || ok));
        }
        Ok(Seen::Unknown)
    }

    /// Leave out the personal values of entries about member records the viewer cannot read
    /// now (transferred elsewhere since, or removed).
    async fn redact_unreadable(&self, v: &Viewer, c: &mut impl Exec, rows: &mut [AuditRecord]) -> Outcome<()> {
        let mut ids: Vec<Uuid> = rows.iter().filter(|r| r.entity == "member").filter_map(|r| r.entity_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let found = members::by_ids(c, &ids).await?;
        let readable: HashMap<Uuid, bool> =
            found.iter().map(|m| (m.id, v.may(Action::Read, member_target(m)))).collect();
        for r in rows.iter_mut().filter(|r| r.entity == "member") {
            if !r.entity_id.and_then(|id| readable.get(&id).copied()).unwrap_or(false) {
                r.before_json = redact_text(&r.before_json);
                r.after_json = redact_text(&r.after_json);
            }
        }
        Ok(())
    }

    /// Wait until every read logged so far is in the chain.
    pub async fn flush_audit(&self) -> Outcome<()> {
        self.reads.flush(&self.pools).await.map_err(Problem::Unavailable)
    }

    /// Log that the viewer opened personal data (`action`, e.g. `member.read`): one chained
    /// insert, written just after the answer together with other reads (`read_log`).
    pub(crate) async fn log_read(
        &self,
        v: &Viewer,
        action: &'static str,
        entity: &'static str,
        id: Uuid,
        org_path: &str,
    ) -> Outcome<()> {
        let entry = ReadEntry {
            user_id: v.user_id,
            username: v.username.clone(),
            action,
            entity,
            entity_id: id,
            org_path: org_path.to_string(),
        };
        self.reads.log(&self.pools, entry).await.map_err(Problem::Unavailable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_identifiers_and_drops_personal_values() {
        let v = serde_json::json!({
            "id": "m1", "org_path": "0001", "full_name": "Đỗ Văn Bình", "version": 2,
            "input": {"citizen_id": "001075000001", "phone": "0987", "birth_date": "1975-09-02",
                      "status": "official", "org_id": "o1", "permanent_residence": "Hà Nội"},
            "life": {"ended_on": null}
        });
        let r = redact(&v);
        let text = r.to_string();
        for personal in ["001075000001", "0987", "1975-09-02", "Hà Nội", "Bình", "0001"] {
            assert!(!text.contains(personal), "{personal} left in {text}");
        }
        assert_eq!(r["input"]["status"], "official");
        assert_eq!(r["id"], "m1");
        assert_eq!(r["version"], 2);
    }
}
