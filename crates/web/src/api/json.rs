//! JSON shapes of the records: dates as ISO strings, labels in the viewer's language.

use chibo_access::domain::{access::Role, admin_units, ethnicity};
use chibo_access::{Account, GrantRow, Lang, Member, MemberSummary, Org};
use serde_json::{Value, json};
use time::Date;

fn date(d: Option<Date>) -> Value {
    d.map_or(Value::Null, |d| Value::String(d.to_string()))
}

pub fn org(o: &Org, lang: Lang) -> Value {
    let i = &o.input;
    let units = admin_units::units();
    json!({
        "id": o.id,
        "parent_id": o.parent_id,
        "path": o.path,
        "depth": o.depth,
        "name": i.name,
        "short_name": i.short_name,
        "kind": i.kind.code(),
        "kind_label": i.kind.label(lang),
        "province_code": i.locality.province_code,
        "province_name": i.locality.province_code.and_then(|c| units.province(c)).map(|p| p.name.clone()),
        "commune_code": i.locality.commune_code,
        "commune_name": i.locality.commune_code.and_then(|c| units.commune(c)).map(|c| c.name.clone()),
        "village": i.locality.village,
        "established_on": date(i.established_on),
        "dissolved_on": date(i.dissolved_on),
        "has_cell_committee": i.has_cell_committee,
        "stats": o.stats,
    })
}

pub fn orgs(list: &[Org], lang: Lang) -> Value {
    Value::Array(list.iter().map(|o| org(o, lang)).collect())
}

pub fn member(m: &Member, lang: Lang) -> Value {
    let i = &m.input;
    json!({
        "id": m.id,
        "org_id": i.org_id,
        "version": m.version,
        "full_name": m.full_name,
        "family_name": i.family_name,
        "middle_name": i.middle_name,
        "given_name": i.given_name,
        "birth_date": date(Some(i.birth_date)),
        "gender": i.gender.code(),
        "ethnicity_code": i.ethnicity_code,
        "ethnicity_name": ethnicity::by_code(i.ethnicity_code).map(|e| e.name.clone()),
        "religion": i.religion,
        "home_town": i.home_town,
        "permanent_residence": i.permanent_residence,
        "current_residence": i.current_residence,
        "citizen_id": i.citizen_id,
        "party_card_number": i.party_card_number,
        "general_education": i.general_education,
        "professional_education": i.professional_education,
        "theory_level": i.theory_level.code(),
        "theory_level_label": i.theory_level.label(lang),
        "occupation": i.occupation,
        "position": i.position,
        "admission_date": date(Some(i.admission_date)),
        "official_date": date(i.official_date),
        "status": i.status.code(),
        "status_label": i.status.label(lang),
        "age_exception_approved": i.age_exception_approved,
        "phone": i.phone,
        "email": i.email,
        "updated_at": m.updated_at.unix_timestamp(),
    })
}

pub fn summary(s: &MemberSummary) -> Value {
    json!({
        "id": s.id,
        "org_id": s.org_id,
        "full_name": s.full_name,
        "birth_date": s.birth_date.to_string(),
        "gender": s.gender,
        "status": s.status,
        "admission_date": s.admission_date.to_string(),
    })
}

pub fn grant(g: &GrantRow, lang: Lang) -> Value {
    json!({
        "id": g.id,
        "user_id": g.user_id,
        "role": g.role,
        "role_label": Role::parse(&g.role).map(|r| r.label(lang)),
        "org_id": g.org_id,
        "org_name": g.org_name,
        "member_id": g.member_id,
    })
}

pub fn user(u: &Account, grants: &[GrantRow], lang: Lang) -> Value {
    json!({
        "id": u.id,
        "username": u.username,
        "display_name": u.display_name,
        "is_active": u.is_active,
        "last_login_at": u.last_login_at.map(|t| t.unix_timestamp()),
        "grants": grants.iter().map(|g| grant(g, lang)).collect::<Vec<_>>(),
    })
}
