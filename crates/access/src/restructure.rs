//! Restructuring the tree as dated decisions (*sắp xếp tổ chức*): move, rename, dissolve,
//! merge and split. Each keeps the tree's history (`org_links`), moves the dated ledger of
//! counts to the new ancestors, records an organisation event, and transfers members with an
//! event each.

use crate::derived::with_derived;
use crate::load::{field_if_hidden, load_org, not_found_field, org_target};
use crate::settle::{recorded, resettle};
use crate::transaction::write;
use crate::tree::{
    Dated, check_date, check_move, check_not_dissolved, dissolve, insert_org, latest_change, org_event, record,
};
use crate::when_missing;
use crate::{Chibo, Outcome, Viewer, snapshot};
use chibo_domain::access::Action;
use chibo_domain::life::builders::transfer_events;
use chibo_domain::life::{Link, ancestry, move_ledger};
use chibo_domain::org::OrgInput;
use chibo_domain::{FieldError, Problem, Validation, collation};
use chibo_store::Tx;
use chibo_store::history;
use chibo_store::members;
use chibo_store::orgs::{self, Org};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::Date;
use uuid::Uuid;

/// One new organisation of a split, and the members it takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitPart {
    pub input: OrgInput,
    #[serde(default)]
    pub member_ids: Vec<Uuid>,
}

/// Refused unless `org` had its place in the tree on `on` (established, not yet dissolved):
/// members and sub-organisations cannot be put under an organisation that did not exist then.
async fn check_in_force(tx: &mut Tx, org: &Org, on: Date) -> Outcome<()> {
    if history::link_on(tx, org.id, on).await?.is_some() {
        return Ok(());
    }
    Err(Problem::field(
        "effective",
        "not_in_force",
        format!(
            "Ngày hiệu lực: vào ngày {} tổ chức “{}” chưa thành lập hoặc đã giải thể.",
            chibo_domain::date::format_vn(on),
            org.input.name
        ),
        format!("Effective date: on {on} “{}” was not yet established or already dissolved.", org.input.name),
    ))
}

/// Give `org` a new parent and name from `on`, and move its subtree's dated counts from the
/// old ancestors to the new ones.
async fn relink(tx: &mut Tx, org: Uuid, parent: Option<Uuid>, name: &str, on: Date) -> Outcome<()> {
    with_derived(tx, org, Some(on), async |tx| relink_only(tx, org, parent, name, on).await).await
}

async fn relink_only(tx: &mut Tx, org: Uuid, parent: Option<Uuid>, name: &str, on: Date) -> Outcome<()> {
    let before_links = history::ancestry_links(tx, &[org]).await?;
    let before = ancestry(org, &before_links);
    let latest = before_links.get(&org).and_then(|ls| ls.iter().max_by_key(|l| l.from)).cloned();
    let parent_changed = latest.as_ref().is_none_or(|l| l.parent_id != parent);
    if latest.as_ref().is_some_and(|l| l.from == Some(on)) {
        // A second change on the same day amends that day's link.
        history::amend_link(tx, org, parent, name, on).await?;
    } else {
        history::close_link(tx, org, on).await?;
        let link = Link { org_id: org, parent_id: parent, name: name.to_string(), from: Some(on), to: None };
        history::insert_links(tx, &[link]).await?;
    }
    if parent_changed {
        let after = ancestry(org, &history::ancestry_links(tx, &[org]).await?);
        let rows = history::ledger_of(tx, org).await?;
        history::apply_ledger(tx, &move_ledger(&rows, &before, &after)).await?;
    }
    Ok(())
}

impl Chibo {
    /// Move an organisation and its subtree under a new parent from a date (*điều chuyển*).
    pub async fn move_org_on(&self, v: &Viewer, id: Uuid, new_parent_id: Uuid, d: &Dated) -> Outcome<Org> {
        write!(self, |tx| {
            let after = self.move_in(tx, v, id, new_parent_id, d).await?;
            Ok(after)
        })
    }

    async fn move_in(&self, tx: &mut Tx, v: &Viewer, id: Uuid, new_parent_id: Uuid, d: &Dated) -> Outcome<Org> {
        let org = load_org(tx, id).await?;
        v.check(Action::Write, org_target(&org))?;
        let parent = load_org(tx, new_parent_id).await.map_err(when_missing(|| not_found_field("new_parent_id")))?;
        v.check(Action::Write, org_target(&parent)).map_err(|e| field_if_hidden(e, "new_parent_id"))?;
        check_move(&org, &parent).finish(())?;
        check_not_dissolved(&org)?;
        check_date(d, latest_change(tx, id).await?, self.today())?;
        check_in_force(tx, &parent, d.effective).await?;
        relink(tx, id, Some(parent.id), &org.input.name, d.effective).await?;
        orgs::move_subtree(tx, &org, &parent).await?;
        let after = load_org(tx, id).await?;
        let detail = json!({ "from_parent_id": org.parent_id, "to_parent_id": parent.id });
        org_event(tx, v, &after, "moved", d, detail).await?;
        record(tx, v, "org.move", &after, snapshot(&org), snapshot(&after)).await?;
        Ok(after)
    }

    /// Rename an organisation from a date (*đổi tên*); reports before the date keep the old name.
    pub async fn rename_org(&self, v: &Viewer, id: Uuid, name: &str, d: &Dated) -> Outcome<Org> {
        let name = name.trim();
        write!(self, |tx| {
            let org = load_org(tx, id).await?;
            v.check(Action::Write, org_target(&org))?;
            let mut input = org.input.clone();
            input.name = name.to_string();
            let parent_kind = match org.parent_id {
                Some(p) => Some(load_org(tx, p).await?.kind()),
                None => None,
            };
            let errors = input.validate(parent_kind).errors.into_iter().filter(|e| e.field == "name").collect();
            Validation { errors }.finish(())?;
            check_not_dissolved(&org)?;
            check_date(d, latest_change(tx, id).await?, self.today())?;
            relink(tx, id, org.parent_id, name, d.effective).await?;
            orgs::update_fields(tx, id, &input).await?;
            let after = load_org(tx, id).await?;
            let detail = json!({ "from_name": org.input.name, "to_name": name, "search": collation::fold(name) });
            org_event(tx, v, &after, "renamed", d, detail).await?;
            record(tx, v, "org.rename", &after, snapshot(&org), snapshot(&after)).await?;
            Ok(after)
        })
    }

    /// Dissolve an empty organisation from a date (*giải thể*).
    pub async fn dissolve_org(&self, v: &Viewer, id: Uuid, d: &Dated) -> Outcome<Org> {
        write!(self, |tx| {
            let after = dissolve(tx, v, id, d, self.today()).await?;
            Ok(after)
        })
    }

    /// Merge organisations into `target` (*hợp nhất, sáp nhập*): the members on each source's
    /// rolls are transferred to the target (an event each), the sources' sub-organisations
    /// move under it, and the sources are dissolved — all on the same date, in one transaction.
    pub async fn merge_orgs(&self, v: &Viewer, sources: &[Uuid], target_id: Uuid, d: &Dated) -> Outcome<Org> {
        write!(self, |tx| {
            let target = load_org(tx, target_id).await.map_err(when_missing(|| not_found_field("target_id")))?;
            v.check(Action::Write, org_target(&target)).map_err(|e| field_if_hidden(e, "target_id"))?;
            if target.is_dissolved() || sources.is_empty() || sources.contains(&target_id) {
                return Err(Problem::field(
                    "sources",
                    "bad_merge",
                    "Hợp nhất: cần ít nhất một tổ chức khác với tổ chức nhận, và tổ chức nhận phải đang hoạt động.",
                    "Merge: needs at least one organisation other than the receiving one, which must be active.",
                ));
            }
            check_date(d, None, self.today())?;
            check_in_force(tx, &target, d.effective).await?;
            for &source_id in sources {
                let source = load_org(tx, source_id).await.map_err(when_missing(|| not_found_field("sources")))?;
                v.check(Action::Write, org_target(&source)).map_err(|e| field_if_hidden(e, "sources"))?;
                let on_rolls = members::on_rolls_of(tx, source_id).await?;
                if !on_rolls.is_empty() && !target.kind().is_cell() {
                    return Err(Problem::field(
                        "target_id",
                        "not_a_cell",
                        "Tổ chức nhận: đảng viên chỉ chuyển vào một chi bộ.",
                        "Receiving organisation: members can only move into a cell.",
                    ));
                }
                for m in &on_rolls {
                    let events = recorded(v, m.id, transfer_events(target_id, d.effective, &d.decision));
                    resettle(tx, m, &m.input, &events).await?;
                }
                for child in orgs::children(tx, source_id, false).await? {
                    self.move_in(tx, v, child.id, target_id, d).await?;
                }
                let source = load_org(tx, source_id).await?;
                dissolve(tx, v, source_id, d, self.today()).await?;
                org_event(tx, v, &source, "merged", d, json!({ "into": target_id, "members": on_rolls.len() })).await?;
            }
            org_event(tx, v, &target, "merged", d, json!({ "from": sources })).await?;
            let after = load_org(tx, target_id).await?;
            record(tx, v, "org.merge", &after, snapshot(&target), snapshot(&after)).await?;
            Ok(after)
        })
    }

    /// Split an organisation (*chia tách*): new organisations under the same parent, each
    /// taking the listed members from the source's rolls (a transfer event each); the source
    /// is dissolved when `dissolve_source` (it must then be left empty).
    pub async fn split_org(
        &self,
        v: &Viewer,
        source_id: Uuid,
        parts: &[SplitPart],
        dissolve_source: bool,
        d: &Dated,
    ) -> Outcome<Vec<Org>> {
        write!(self, |tx| {
            let source = load_org(tx, source_id).await?;
            v.check(Action::Write, org_target(&source))?;
            let parent = match source.parent_id {
                Some(p) => Some(load_org(tx, p).await?),
                None => None,
            };
            if let Some(p) = &parent {
                v.check(Action::Write, org_target(p))?;
            }
            check_not_dissolved(&source)?;
            check_date(d, latest_change(tx, source_id).await?, self.today())?;
            if let Some(p) = &parent {
                check_in_force(tx, p, d.effective).await?;
            }
            let on_rolls = members::on_rolls_of(tx, source_id).await?;
            let mut val = Validation::default();
            if parts.is_empty() {
                val.push(FieldError::required("parts", "Các tổ chức mới", "New organisations"));
            }
            for (i, part) in parts.iter().enumerate() {
                for e in part.input.validate(parent.as_ref().map(Org::kind)).errors {
                    val.push(FieldError { field: format!("parts[{i}].{}", e.field), ..e });
                }
                if !part.member_ids.is_empty() && !part.input.kind.is_cell() {
                    val.push(FieldError::new(
                        &format!("parts[{i}].member_ids"),
                        "not_a_cell",
                        "Đảng viên chỉ chuyển vào một chi bộ.",
                        "Members can only move into a cell.",
                    ));
                }
                if part.member_ids.iter().any(|m| !on_rolls.iter().any(|r| r.id == *m)) {
                    val.push(FieldError::new(
                        &format!("parts[{i}].member_ids"),
                        "not_on_rolls",
                        "Có đảng viên không thuộc danh sách sinh hoạt của tổ chức bị chia tách.",
                        "Some members are not on the rolls of the organisation being split.",
                    ));
                }
            }
            let taken: usize = parts.iter().map(|p| p.member_ids.len()).sum();
            if dissolve_source && taken < on_rolls.len() {
                val.push(FieldError::new(
                    "parts",
                    "members_left",
                    format!("Còn {} đảng viên chưa được phân về tổ chức mới.", on_rolls.len() - taken),
                    format!("{} members are not assigned to a new organisation.", on_rolls.len() - taken),
                ));
            }
            val.finish(())?;
            let mut created = Vec::new();
            for part in parts {
                let mut input = part.input.clone();
                input.established_on = Some(d.effective);
                let id = insert_org(tx, parent.as_ref(), &input).await?;
                for m in on_rolls.iter().filter(|m| part.member_ids.contains(&m.id)) {
                    let events = recorded(v, m.id, transfer_events(id, d.effective, &d.decision));
                    resettle(tx, m, &m.input, &events).await?;
                }
                let org = load_org(tx, id).await?;
                org_event(tx, v, &org, "established", d, json!({ "split_from": source_id })).await?;
                record(tx, v, "org.create", &org, None, snapshot(&org)).await?;
                created.push(org);
            }
            let ids: Vec<Uuid> = created.iter().map(|o| o.id).collect();
            org_event(tx, v, &source, "split", d, json!({ "into": ids })).await?;
            let after = load_org(tx, source_id).await?;
            record(tx, v, "org.split", &after, snapshot(&source), snapshot(&after)).await?;
            if dissolve_source {
                dissolve(tx, v, source_id, d, self.today()).await?;
            }
            Ok(created)
        })
    }
}
