//! Who may do what: roles granted on an organisation, valid for its whole subtree.
//!
//! The decision is a pure function of the caller's grants and the target's place in the tree
//! (its materialized path). The access crate calls it below every interface.

use crate::path;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A role granted on an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// System administrator: everything in the subtree, plus accounts and the audit log.
    Admin,
    /// Organisation staff (*cán bộ ban tổ chức*): read and write the subtree.
    Staff,
    /// Inspector (*kiểm tra*): read the subtree.
    Inspector,
    /// Cell secretary (*bí thư chi bộ*): read and write one cell.
    Secretary,
    /// A party member: read and correct their own record.
    Member,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Admin, Role::Staff, Role::Inspector, Role::Secretary, Role::Member];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
            Role::Inspector => "inspector",
            Role::Secretary => "secretary",
            Role::Member => "member",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s)
    }

    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            Role::Admin => lang.pick("Quản trị hệ thống", "System administrator"),
            Role::Staff => lang.pick("Cán bộ tổ chức", "Organisation staff"),
            Role::Inspector => lang.pick("Kiểm tra", "Inspector"),
            Role::Secretary => lang.pick("Bí thư chi bộ", "Cell secretary"),
            Role::Member => lang.pick("Đảng viên", "Member"),
        }
    }
}

/// A role on an organisation (identified by its current path) for one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub org_id: Uuid,
    /// The organisation's materialized path, kept current when subtrees move.
    pub org_path: String,
    /// For the member role: the member record this account is linked to.
    pub member_id: Option<Uuid>,
}

/// What is being reached: an organisation, or a member record in an organisation.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    Org { path: &'a str },
    Member { org_path: &'a str, member_id: Uuid },
}

/// What the caller wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    /// Create, edit, move organisations and member records.
    Write,
    /// Correct the personal contact fields of one's own record.
    CorrectOwn,
    /// Manage accounts and grants, read the audit log.
    Administer,
}

impl Grant {
    /// Whether this grant alone allows `action` on `target`.
    pub fn allows(&self, action: Action, target: Target<'_>) -> bool {
        let target_path = match target {
            Target::Org { path } => path,
            Target::Member { org_path, .. } => org_path,
        };
        let in_subtree = path::is_within(target_path, &self.org_path);
        match self.role {
            Role::Admin => in_subtree,
            Role::Staff => in_subtree && action != Action::Administer,
            Role::Inspector => in_subtree && action == Action::Read,
            // A secretary works in one cell: the cell itself and its party groups.
            Role::Secretary => in_subtree && matches!(action, Action::Read | Action::Write | Action::CorrectOwn),
            Role::Member => match target {
                Target::Member { member_id, .. } => {
                    Some(member_id) == self.member_id && matches!(action, Action::Read | Action::CorrectOwn)
                }
                // A member sees their own cell's name and place, nothing below it.
                Target::Org { path } => action == Action::Read && path == self.org_path,
            },
        }
    }
}

/// Whether any of the grants allows `action` on `target`.
pub fn allowed(grants: &[Grant], action: Action, target: Target<'_>) -> bool {
    grants.iter().any(|g| g.allows(action, target))
}

/// The subtrees in which the caller may list members: the paths of grants that read a
/// whole subtree (the member role lists nothing).
pub fn listable_roots(grants: &[Grant]) -> Vec<&str> {
    grants.iter().filter(|g| g.role != Role::Member).map(|g| g.org_path.as_str()).collect()
}

crate::error::decode_code!(Role);

#[cfg(test)]
mod tests {
    use super::*;

    const PROVINCE: &str = "00000001";
    const COMMUNE: &str = "000000010002";
    const CELL: &str = "0000000100020003";
    const OTHER_CELL: &str = "0000000100020004";
    const OTHER_PROVINCE: &str = "00000002";

    fn grant(role: Role, path: &str) -> Grant {
        Grant { role, org_id: Uuid::nil(), org_path: path.into(), member_id: None }
    }

    #[test]
    fn staff_reads_and_writes_its_subtree_only() {
        let g = [grant(Role::Staff, COMMUNE)];
        assert!(allowed(&g, Action::Write, Target::Org { path: CELL }));
        assert!(allowed(&g, Action::Read, Target::Org { path: COMMUNE }));
        assert!(!allowed(&g, Action::Read, Target::Org { path: PROVINCE }));
        assert!(!allowed(&g, Action::Read, Target::Org { path: OTHER_PROVINCE }));
        assert!(!allowed(&g, Action::Administer, Target::Org { path: CELL }));
    }

    #[test]
    fn inspector_reads_only() {
        let g = [grant(Role::Inspector, PROVINCE)];
        assert!(allowed(&g, Action::Read, Target::Member { org_path: CELL, member_id: Uuid::nil() }));
        assert!(!allowed(&g, Action::Write, Target::Org { path: CELL }));
    }

    #[test]
    fn secretary_works_in_one_cell() {
        let g = [grant(Role::Secretary, CELL)];
        assert!(allowed(&g, Action::Write, Target::Org { path: CELL }));
        assert!(!allowed(&g, Action::Read, Target::Org { path: OTHER_CELL }));
        assert!(!allowed(&g, Action::Read, Target::Org { path: COMMUNE }));
    }

    #[test]
    fn member_sees_own_record_only() {
        let me = Uuid::from_u128(7);
        let g = [Grant { role: Role::Member, org_id: Uuid::nil(), org_path: CELL.into(), member_id: Some(me) }];
        assert!(allowed(&g, Action::Read, Target::Member { org_path: CELL, member_id: me }));
        assert!(allowed(&g, Action::CorrectOwn, Target::Member { org_path: CELL, member_id: me }));
        assert!(!allowed(&g, Action::Write, Target::Member { org_path: CELL, member_id: me }));
        let other = Uuid::from_u128(8);
        assert!(!allowed(&g, Action::Read, Target::Member { org_path: CELL, member_id: other }));
        assert!(listable_roots(&g).is_empty());
    }

    #[test]
    fn sibling_prefix_is_not_a_subtree() {
        // "00000001" must not grant "00000001X…" unless it is a real child path; paths are
        // fixed-width, so a sibling never shares the full prefix.
        let g = [grant(Role::Admin, "00000001")];
        assert!(!allowed(&g, Action::Read, Target::Org { path: "00000002" }));
        assert!(!allowed(&g, Action::Read, Target::Org { path: "0000" }));
    }

    #[test]
    fn several_grants_add_up() {
        let g = [grant(Role::Inspector, PROVINCE), grant(Role::Secretary, OTHER_CELL)];
        assert!(allowed(&g, Action::Write, Target::Org { path: OTHER_CELL }));
        assert!(!allowed(&g, Action::Write, Target::Org { path: CELL }));
        assert!(allowed(&g, Action::Read, Target::Org { path: CELL }));
    }
}
