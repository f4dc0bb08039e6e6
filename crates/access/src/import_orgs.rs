//! The organisation tree from a spreadsheet (*nhập danh sách tổ chức đảng*): the cells and
//! committees under a commune (or any organisation the importer writes), one per row, each
//! naming the organisation it sits under — one already in chibo or one on an earlier row.
//!
//! The same steps as the member import (`import.rs`): every row checked by the rules of the
//! organisation form (the kind allowed under its parent, the lengths, the dates) plus what only
//! the whole tree can break (an unknown or ambiguous parent, a name twice under one parent),
//! reported by row and column; then all rows written in one transaction through the path the
//! form uses (`tree::insert_org`: the path, the cell counters, the derived figures), with one
//! audit entry naming the file.

use crate::import::{Sheet, empty_template, fold_name, importable_root};
use crate::load::load_org;
use crate::transaction::write;
use crate::tree::insert_org;
use crate::{Chibo, ImportProblem, ImportReport, ImportStage, Outcome, Viewer};
use chibo_domain::org::{OrgInput, OrgKind, check_not_future};
use chibo_domain::org_sheet::{ORG_TEMPLATE, OrgColumn, OrgHeaderMap};
use chibo_domain::{FieldError, path};
use chibo_store::orgs::{self, Org};
use chibo_store::{Exec, audit};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::Date;
use uuid::Uuid;

/// An organisation a row may sit under: one already in chibo, or an earlier row's (by its row
/// number while checking, by its index among the planned rows in [`Planned`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Parent {
    Existing(Uuid),
    Row(usize),
}

/// A row ready to write.
struct Planned {
    input: OrgInput,
    parent: Parent,
}

/// The organisations a "Trực thuộc" cell may name: those of the subtree and the file's rows,
/// by their names from below the imported organisation ("A / B") and by their own name.
struct Names {
    by_path: HashMap<String, Parent>,
    by_name: HashMap<String, Vec<Parent>>,
    /// The path of names of each organisation, for the key of the organisations under it.
    path_of: HashMap<Parent, String>,
    /// Folded names of the organisations directly under each parent.
    children: HashMap<Parent, Vec<String>>,
    kind: HashMap<Parent, OrgKind>,
    locality: HashMap<Parent, (Option<i32>, Option<i32>)>,
}

impl Names {
    fn of(root: &Org, subtree: &[Org]) -> Names {
        let mut n = Names {
            by_path: HashMap::new(),
            by_name: HashMap::new(),
            path_of: HashMap::new(),
            children: HashMap::new(),
            kind: HashMap::new(),
            locality: HashMap::new(),
        };
        let by_path: HashMap<&str, &Org> = subtree.iter().map(|o| (o.path.as_str(), o)).collect();
        for o in subtree {
            let p = Parent::Existing(o.id);
            n.kind.insert(p, o.kind());
            n.locality.insert(p, (o.input.locality.province_code, o.input.locality.commune_code));
            if o.id == root.id {
                n.path_of.insert(p, String::new());
                continue;
            }
            let names: Vec<&str> = path::ancestors(&o.path)
                .into_iter()
                .filter(|a| a.len() > root.path.len())
                .filter_map(|a| by_path.get(a).map(|x| x.input.name.as_str()))
                .chain([o.input.name.as_str()])
                .collect();
            n.add(p, names.join(" / "), &o.input.name);
            if let Some(parent) = o.parent_id {
                n.children.entry(Parent::Existing(parent)).or_default().push(fold_name(&o.input.name));
            }
        }
        n
    }

    /// Register an organisation; an earlier one keeps its path (a row repeating an existing
    /// name is refused, and the name still finds the existing one).
    /// `path`: the names from below the imported organisation, as written ("A / B").
    fn add(&mut self, p: Parent, path: String, name: &str) {
        self.by_path.entry(fold_name(&path)).or_insert(p);
        self.by_name.entry(fold_name(name)).or_default().push(p);
        self.path_of.insert(p, path);
    }

    fn find(&self, written: &str) -> Result<Parent, &'static str> {
        let key = fold_name(written);
        if let Some(p) = self.by_path.get(&key) {
            return Ok(*p);
        }
        match self.by_name.get(&key).map(Vec::as_slice) {
            Some([one]) => Ok(*one),
            Some([_, _, ..]) => Err("ambiguous_parent"),
            _ => Err("unknown_parent"),
        }
    }
}

fn parent_problem(code: &'static str, written: &str) -> FieldError {
    if code == "ambiguous_parent" {
        FieldError::new(
            "parent_id",
            code,
            format!("Có nhiều tổ chức tên «{written}»: ghi cả tên tổ chức cấp trên, ví dụ «… / {written}»."),
            format!("Several organisations are named «{written}»: write the one above too, e.g. «… / {written}»."),
        )
    } else {
        FieldError::new(
            "parent_id",
            code,
            format!("Không có tổ chức «{written}» trong tổ chức đang nhập hay ở dòng trên của tệp."),
            format!("No organisation «{written}» in the organisation imported into or on an earlier row."),
        )
    }
}

/// The empty organisations template (`.xlsx`): the title block and the header row.
pub fn org_template() -> Outcome<Vec<u8>> {
    let headers: Vec<&str> = ORG_TEMPLATE.iter().map(|c| c.header(chibo_domain::Lang::Vi)).collect();
    empty_template(
        "DANH SÁCH TỔ CHỨC ĐẢNG (MẪU NHẬP)",
        "Mỗi dòng một tổ chức; «Trực thuộc» bỏ trống nếu trực thuộc tổ chức đang nhập, hoặc ghi tên tổ chức cấp trên (có sẵn hoặc ở dòng trên).",
        "Loại tổ chức: Chi bộ trực thuộc, Đảng bộ bộ phận, Tổ đảng…; Ngày thành lập dd/mm/yyyy; Có chi ủy: Có/Không.",
        &headers,
    )
}

/// What an import file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// The member registry (*danh sách đảng viên*).
    Members,
    /// The organisation tree (*danh sách tổ chức đảng*).
    Orgs,
    /// The admission candidates (*danh sách quần chúng ưu tú*).
    Candidates,
}

impl Chibo {
    /// Check, and with `commit` import, a file of any kind into the subtree of `org_id`.
    pub async fn import(
        &self,
        v: &Viewer,
        kind: ImportKind,
        org_id: Uuid,
        file_name: &str,
        bytes: &[u8],
        commit: bool,
    ) -> Outcome<ImportReport> {
        let progress = self.import_progress.clone();
        progress.begin();
        progress.set(if commit { ImportStage::Writing } else { ImportStage::Checking });
        let outcome = match kind {
            ImportKind::Members => self.import_members(v, org_id, file_name, bytes, commit).await,
            ImportKind::Orgs => self.import_orgs(v, org_id, file_name, bytes, commit).await,
            ImportKind::Candidates => self.import_candidates(v, org_id, file_name, bytes, commit).await,
        };
        if let Ok(report) = &outcome {
            progress.reached(report.rows);
        }
        progress.set(ImportStage::Done);
        outcome
    }

    /// Check an organisations file for the subtree of `org_id` and, if `commit` and nothing is
    /// wrong, create every organisation in it: all rows or none.
    pub async fn import_orgs(
        &self,
        v: &Viewer,
        org_id: Uuid,
        file_name: &str,
        bytes: &[u8],
        commit: bool,
    ) -> Outcome<ImportReport> {
        let mut report = ImportReport::of(file_name);
        let Some(sheet) = self.read_import::<OrgHeaderMap>(v, org_id, file_name, bytes, &mut report).await? else {
            return Ok(report);
        };
        if !commit || !report.errors.is_empty() {
            let mut c = self.pools.read().await?;
            let (_, _, problems) = plan(&mut c, v, (org_id, self.today()), &sheet).await?;
            report.add_errors(problems);
            return Ok(report);
        }
        write!(self, |tx| {
            let mut report = report.clone();
            let (root, planned, problems) = plan(tx, v, (org_id, self.today()), &sheet).await?;
            report.add_errors(problems);
            if !report.errors.is_empty() {
                return Ok(report);
            }
            let mut created: Vec<Uuid> = Vec::with_capacity(planned.len());
            for p in &planned {
                let parent_id = match p.parent {
                    Parent::Existing(id) => id,
                    Parent::Row(k) => created[k],
                };
                let parent = load_org(tx, parent_id).await?;
                created.push(insert_org(tx, Some(&parent), &p.input).await?);
            }
            report.imported = created.len();
            let after = serde_json::json!({ "file": file_name, "rows": report.rows, "imported": report.imported });
            let entry = v.audit("org.import", "org", Some(root.id), Some(&root.path), None, Some(after));
            audit::record(tx, &entry).await?;
            Ok(report)
        })
    }
}

/// Check every row: readable cells, a parent that exists (in chibo or on an earlier row), the
/// organisation form's rules under that parent (a date of establishment not after `today`), no
/// name twice under one parent.
async fn plan(
    e: &mut impl Exec,
    v: &Viewer,
    (org_id, today): (Uuid, Date),
    sheet: &Sheet<OrgHeaderMap>,
) -> Outcome<(Org, Vec<Planned>, Vec<ImportProblem>)> {
    let root = importable_root(e, v, org_id).await?;
    let subtree = orgs::active_in_subtree(e, &root.path).await?;
    let mut names = Names::of(&root, &subtree);
    let mut planned: Vec<Planned> = Vec::new();
    let mut problems = Vec::new();
    // A row's index among the planned rows, by its row number (rows with errors have none).
    let mut planned_at: HashMap<usize, usize> = HashMap::new();
    for (row, cells) in &sheet.rows {
        let read = sheet.map.read(cells);
        let mut input = read.input;
        let mut errors = read.errors;
        let parent = if read.parent.is_empty() {
            Some(Parent::Existing(root.id))
        } else {
            match names.find(&read.parent) {
                Ok(p) => Some(p),
                Err(code) => {
                    errors.push(parent_problem(code, &read.parent));
                    None
                }
            }
        };
        // A parent on a row that has errors: this row waits for it to be corrected.
        let parent = match parent {
            Some(Parent::Row(r)) if !planned_at.contains_key(&r) => {
                errors.push(FieldError::new(
                    "parent_id",
                    "parent_row_has_errors",
                    format!("Tổ chức cấp trên (dòng {r}) có lỗi: sửa dòng đó trước."),
                    format!("The parent (row {r}) has errors: correct that row first."),
                ));
                None
            }
            other => other,
        };
        let name = fold_name(&input.name);
        if let Some(p) = parent {
            let (province, commune) = names.locality.get(&p).copied().unwrap_or_default();
            input.locality.province_code = province;
            input.locality.commune_code = commune;
            let unread: Vec<String> = errors.iter().map(|e| e.field.clone()).collect();
            let future = input.established_on.and_then(|on| check_not_future(on, today).err());
            for e in input.validate(names.kind.get(&p).copied()).errors.into_iter().chain(future) {
                if !unread.contains(&e.field) {
                    errors.push(e);
                }
            }
            if !name.is_empty() && names.children.get(&p).is_some_and(|c| c.contains(&name)) {
                errors.push(FieldError::new(
                    "name",
                    "name_taken",
                    format!("Tên tổ chức: đã có «{}» trực thuộc cùng tổ chức cấp trên.", input.name),
                    format!("Name: «{}» already exists under the same parent.", input.name),
                ));
            }
        }
        // Later rows may name this one, even with errors (they are then told to wait for it).
        let me = Parent::Row(*row);
        let parent_path = parent.and_then(|p| names.path_of.get(&p).cloned());
        let key = match parent_path.as_deref() {
            Some("") | None => input.name.clone(),
            Some(above) => format!("{above} / {}", input.name),
        };
        if !name.is_empty() {
            names.add(me, key, &input.name);
        }
        if errors.is_empty()
            && let Some(p) = parent
        {
            names.children.entry(p).or_default().push(name);
            names.kind.insert(me, input.kind);
            names.locality.insert(me, (input.locality.province_code, input.locality.commune_code));
            // Rows naming this one find it as `Row(row number)`; the plan refers to a parent
            // row by its index among the planned rows.
            planned_at.insert(*row, planned.len());
            let parent = match p {
                Parent::Row(r) => Parent::Row(planned_at[&r]),
                existing => existing,
            };
            planned.push(Planned { input, parent });
        } else {
            problems.extend(errors.into_iter().map(|e| ImportProblem {
                row: *row,
                column: OrgColumn::of_field(&e.field).and_then(|c| sheet.header_for(c)),
                error: e,
            }));
        }
    }
    Ok((root, planned, problems))
}
