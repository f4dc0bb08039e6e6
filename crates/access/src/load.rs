//! The loaders and access targets every use case shares: the bottom of the use-case modules
//! (each of them may use this one; it uses none of them).

use crate::Outcome;
use chibo_domain::Problem;
use chibo_domain::access::Target;
use chibo_store::Exec;
use chibo_store::members::{self, Member};
use chibo_store::orgs::{self, Org};
use uuid::Uuid;

/// Where an organisation sits, for the access rules.
pub(crate) fn org_target(o: &Org) -> Target<'_> {
    Target::Org { path: &o.path }
}

/// An organisation by id (`NotFound` when there is none).
pub(crate) async fn load_org(tx: &mut impl Exec, id: Uuid) -> Outcome<Org> {
    orgs::by_id(tx, id).await?.ok_or(Problem::NotFound)
}

/// Where a member record sits, for the access rules.
pub(crate) fn member_target(m: &Member) -> Target<'_> {
    Target::Member { org_path: &m.org_path, member_id: m.id }
}

/// A member record by id (`NotFound` when there is none).
pub(crate) async fn load_member(e: &mut impl Exec, id: Uuid) -> Outcome<Member> {
    members::by_id(e, id).await?.ok_or(Problem::NotFound)
}

/// The province a member's record belongs to, for duplicate checks: the nearest locality.
pub(crate) async fn province_of(e: &mut impl Exec, org: &Org) -> Outcome<Option<i32>> {
    if org.input.locality.province_code.is_some() {
        return Ok(org.input.locality.province_code);
    }
    let ancestors = orgs::ancestors(e, &org.path).await?;
    Ok(ancestors.iter().rev().find_map(|a| a.input.locality.province_code))
}

/// A referenced organisation that does not exist (or is hidden) is a field error.
pub(crate) fn not_found_field(field: &str) -> Problem {
    Problem::field(field, "not_found", "Không tìm thấy tổ chức này.", "No such organisation.")
}

/// A hidden referenced organisation as a field error naming `field`.
pub(crate) fn field_if_hidden(p: Problem, field: &str) -> Problem {
    match p {
        Problem::NotFound => not_found_field(field),
        other => other,
    }
}
