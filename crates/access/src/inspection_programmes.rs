//! The programmes of inspection and supervision (*chương trình kiểm tra, giám sát*): written
//! once a year of each kind by an organisation's deciding bodies, then edited while they run —
//! items added, changed or removed as long as no case carries them out (an item a case started
//! stays as it is). The items name organisations or members of the subtree.

use crate::inspection::{check_holds, conflict, required_text, subject_of};
use crate::load::load_org;
use crate::transaction::write;
use crate::{Chibo, Outcome, Viewer};
use chibo_domain::text::PLAN_ITEM;
use chibo_domain::{FieldError, Problem, Validation};
use chibo_store::inspection::{self as store, Item, Programme};
use chibo_store::orgs::Org;
use chibo_store::{Tx, audit};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

/// A programme as entered.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProgrammeInput {
    pub year: i32,
    /// `inspection` or `supervision`.
    pub kind: String,
    pub title: String,
    pub items: Vec<ItemInput>,
}

/// One planned item.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ItemInput {
    pub subject_org_id: Option<Uuid>,
    #[serde(default)]
    pub subject_member_id: Option<Uuid>,
    pub content: String,
    pub planned_month: u8,
}

/// A programme's new title and items: each item with the id of the one it changes, or none
/// for a new one; an item left out is removed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProgrammeEdit {
    pub title: String,
    pub items: Vec<ItemEdit>,
    /// The version read (a programme changed since is a conflict).
    pub version: i64,
}

/// One item of an edit.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ItemEdit {
    #[serde(default)]
    pub id: Option<Uuid>,
    #[serde(flatten)]
    pub item: ItemInput,
}

fn check_title(val: &mut Validation, title: &str) {
    required_text(val, "title", title, "Tên chương trình", "Title");
    if let Some(e) = PLAN_ITEM.on("title").check(title) {
        val.push(e);
    }
}

/// The items checked (content, month, a subject of the subtree), numbered from 1; the errors
/// name `items.{i}.{field}`.
async fn checked_items(tx: &mut Tx, org: &Org, items: &[&ItemInput], val: &mut Validation) -> Outcome<Vec<Item>> {
    let mut out = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let field = |f: &str| format!("items.{i}.{f}");
        if it.content.trim().is_empty() {
            val.push(FieldError::required(&field("content"), "Nội dung", "Content"));
        }
        if let Some(e) = PLAN_ITEM.check(&it.content) {
            val.push(FieldError { field: field("content"), ..e });
        }
        if !(1..=12).contains(&it.planned_month) {
            val.push(FieldError::new(
                &field("planned_month"),
                "out_of_range",
                "Tháng: từ 1 đến 12.",
                "Month: 1 to 12.",
            ));
        }
        let subject_org_id = match subject_of(tx, org, it.subject_org_id, it.subject_member_id, None).await {
            Ok((s, _)) => s,
            Err(e) => {
                val.push(FieldError { field: field(&e.field), ..e });
                continue;
            }
        };
        out.push(Item {
            id: Uuid::now_v7(),
            programme_id: Uuid::nil(),
            seq: i as i64 + 1,
            subject_org_id,
            subject_member_id: it.subject_member_id,
            content: it.content.trim().into(),
            planned_month: i64::from(it.planned_month),
            case_id: None,
        });
    }
    Ok(out)
}

fn item_started(i: usize) -> Problem {
    conflict(
        &format!("items.{i}"),
        "item_started",
        "Nội dung này đã được triển khai bằng một cuộc kiểm tra, giám sát: không sửa, không xóa được.",
        "This item is carried out by a case already: it cannot be changed or removed.",
    )
}

impl Chibo {
    /// Write the programme of inspection or supervision of `org` for a year (one of each kind a
    /// year): its items name organisations or members of its subtree.
    pub async fn create_programme(&self, v: &Viewer, org_id: Uuid, input: &ProgrammeInput) -> Outcome<Programme> {
        write!(self, |tx| {
            let org = load_org(tx, org_id).await?;
            check_holds(v, &org)?;
            let mut val = Validation::default();
            if !matches!(input.kind.as_str(), "inspection" | "supervision") {
                val.push(FieldError::new(
                    "kind",
                    "unknown",
                    "Loại chương trình: kiểm tra hoặc giám sát.",
                    "Kind: inspection or supervision.",
                ));
            }
            if !(2000..=2100).contains(&input.year) {
                val.push(FieldError::new("year", "out_of_range", "Năm: không hợp lệ.", "Year: not valid."));
            }
            check_title(&mut val, &input.title);
            let mut items = checked_items(tx, &org, &input.items.iter().collect::<Vec<_>>(), &mut val).await?;
            val.finish(()).map_err(Problem::Invalid)?;
            if store::programme_of(tx, org.id, i64::from(input.year), &input.kind).await?.is_some() {
                return Err(conflict(
                    "year",
                    "programme_exists",
                    "Đã có chương trình loại này của năm: hãy bổ sung nội dung vào chương trình đó.",
                    "This year's programme of this kind exists already.",
                ));
            }
            let p = Programme {
                id: Uuid::now_v7(),
                org_id: org.id,
                year: i64::from(input.year),
                kind: input.kind.clone(),
                title: input.title.trim().into(),
                by_name: v.display_name.clone(),
                created_at: OffsetDateTime::now_utc(),
                version: 1,
            };
            for i in &mut items {
                i.programme_id = p.id;
            }
            store::insert_programme(tx, &p, &items).await?;
            let detail = serde_json::json!({"org_id": org.id, "year": p.year, "kind": p.kind, "items": items.len()});
            let entry = v.audit("inspection.programme", "inspection_programme", Some(p.id), None, None, Some(detail));
            audit::record(tx, &entry).await?;
            Ok(p)
        })
    }

    /// Edit a programme: its title, and its items while no case carries them out — a started
    /// item must come back unchanged (else 409, as for a removed one). The deciding bodies only;
    /// a programme changed since `version` is a conflict.
    pub async fn edit_programme(&self, v: &Viewer, id: Uuid, input: &ProgrammeEdit) -> Outcome<Programme> {
        write!(self, |tx| {
            let mut p = store::programme_by_id(tx, id).await?.ok_or(Problem::NotFound)?;
            let org = load_org(tx, p.org_id).await?;
            check_holds(v, &org)?;
            let mut val = Validation::default();
            check_title(&mut val, &input.title);
            let inputs: Vec<&ItemInput> = input.items.iter().map(|e| &e.item).collect();
            let mut items = checked_items(tx, &org, &inputs, &mut val).await?;
            val.finish(()).map_err(Problem::Invalid)?;
            if p.version != input.version {
                return Err(Problem::stale());
            }
            let before = store::items_of(tx, p.id).await?;
            for (i, (item, edit)) in items.iter_mut().zip(&input.items).enumerate() {
                item.programme_id = p.id;
                let Some(old) = edit.id else { continue };
                let was = before.iter().find(|b| b.id == old).ok_or_else(|| {
                    Problem::field(&format!("items.{i}.id"), "not_found", "Nội dung: không có.", "Item: not found.")
                })?;
                item.id = old;
                item.case_id = was.case_id;
                let same = (was.subject_org_id, was.subject_member_id, &was.content, was.planned_month)
                    == (item.subject_org_id, item.subject_member_id, &item.content, item.planned_month);
                if was.case_id.is_some() && !same {
                    return Err(item_started(i));
                }
            }
            // Removed: those not named again, never a started one.
            for gone in before.iter().filter(|b| !items.iter().any(|i| i.id == b.id)) {
                if store::delete_item_not_started(tx, gone.id).await? == 0 {
                    return Err(item_started(before.iter().position(|b| b.id == gone.id).unwrap_or(0)));
                }
            }
            for item in &items {
                let kept = before.iter().any(|b| b.id == item.id);
                if kept && store::update_item(tx, item).await? == 0 {
                    return Err(Problem::stale());
                }
            }
            let new: Vec<Item> = items.iter().filter(|i| !before.iter().any(|b| b.id == i.id)).cloned().collect();
            store::insert_items(tx, &new).await?;
            p.title = input.title.trim().into();
            if store::save_programme_title(tx, &p).await? == 0 {
                return Err(Problem::stale());
            }
            p.version += 1;
            let detail = serde_json::json!({"items": items.len(), "added": new.len()});
            let entry =
                v.audit("inspection.programme_edit", "inspection_programme", Some(p.id), None, None, Some(detail));
            audit::record(tx, &entry).await?;
            Ok(p)
        })
    }
}
