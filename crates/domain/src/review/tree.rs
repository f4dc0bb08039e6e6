//! Who reviews whom in the tree (43-HD/BTCTW: the decision of the level directly above): a base
//! organisation's committee decides on its members and on its subordinate cells and partial
//! committees; the committee directly above decides on the others. A round is opened by a base
//! organisation or a committee above one, for its whole subtree.

use crate::org::OrgKind;
use uuid::Uuid;

/// A base organisation (*tổ chức cơ sở đảng*): a base cell, a base committee, a commune's
/// committee.
pub fn is_base(kind: OrgKind) -> bool {
    matches!(kind, OrgKind::BaseCell | OrgKind::BaseCommittee | OrgKind::Commune)
}

/// May open a round for its subtree.
pub fn may_open(kind: OrgKind) -> bool {
    is_base(kind) || matches!(kind, OrgKind::Central | OrgKind::Provincial | OrgKind::District)
}

/// Reviewed as an organisation (party groups are not).
pub fn is_reviewed(kind: OrgKind) -> bool {
    kind != OrgKind::PartyGroup
}

/// The base organisation of a cell: the first base organisation of `chain`, the cell itself
/// then its ancestors, nearest first.
pub fn base_of(chain: &[(Uuid, OrgKind)]) -> Option<Uuid> {
    chain.iter().find(|(_, k)| is_base(*k)).map(|(id, _)| *id)
}

/// Who decides on an organisation of `kind` with these ancestors (nearest first): a subordinate
/// cell or a partial committee by its base organisation, the others by the committee directly
/// above.
pub fn decider_of(kind: OrgKind, ancestors: &[(Uuid, OrgKind)]) -> Option<Uuid> {
    match kind {
        OrgKind::SubordinateCell | OrgKind::PartialCommittee => base_of(ancestors),
        _ => ancestors.first().map(|(id, _)| *id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deciders_follow_the_tree() {
        let (province, commune, partial, base_committee) =
            (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3), Uuid::from_u128(4));
        let up = [(partial, OrgKind::PartialCommittee), (commune, OrgKind::Commune), (province, OrgKind::Provincial)];
        // A cell of a partial committee: decided (and its members) by the commune.
        assert_eq!(decider_of(OrgKind::SubordinateCell, &up), Some(commune));
        assert_eq!(base_of(&up), Some(commune));
        // A commune by its province; a base committee by the commune above it.
        assert_eq!(decider_of(OrgKind::Commune, &up[2..]), Some(province));
        assert_eq!(decider_of(OrgKind::BaseCommittee, &up[1..]), Some(commune));
        let below = [(base_committee, OrgKind::BaseCommittee), (commune, OrgKind::Commune)];
        assert_eq!(decider_of(OrgKind::SubordinateCell, &below), Some(base_committee));
        assert!(may_open(OrgKind::Commune) && !may_open(OrgKind::SubordinateCell) && !is_reviewed(OrgKind::PartyGroup));
    }
}
