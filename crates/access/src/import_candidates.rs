//! The admission candidates in and out of spreadsheets (*nhập, xuất danh sách quần chúng ưu
//! tú*): one candidate per row, in the template of `chibo_domain::candidate_sheet`.
//!
//! The same steps as the member import (`import.rs`): every row checked by the candidate
//! form's rules (`CandidateInput::validate`, the introducers' standing on the application date
//! replayed from their events as the form does) plus what only the file and the database can
//! break: a cell outside the importer's subtree, an introducer who is not a member of the
//! proposing cell, a citizen ID twice in the file or already held by a member or an open
//! candidate. Then all rows in one transaction, each candidate as the form creates it, with one
//! audit entry naming the file. Export writes open cases in the same template.

use crate::candidates::official_on;
use crate::import::{CellNames, SeenInFile, Sheet, empty_template, header_row, importable_root};
use crate::load::{load_member, load_org};
use crate::transaction::write;
use crate::{Chibo, ImportProblem, ImportReport, Outcome, Viewer};
use chibo_domain::candidate_sheet::{
    CandidateColumn, CandidateHeaderMap, IntroducerMiss, IntroducerRef, candidate_columns, candidate_row_of,
    is_identifier, match_introducer,
};
use chibo_domain::life::{CandidateInput, CandidateState, IntroducerInput};
use chibo_domain::sheet_row::SheetColumn;
use chibo_domain::{FieldError, Lang, path};
use chibo_store::members::{self, Member};
use chibo_store::orgs::{self, Org};
use chibo_store::{Exec, audit, candidates};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use time::Date;
use uuid::Uuid;

header_row!(CandidateHeaderMap, CandidateColumn);

/// The empty candidates template (`.xlsx`).
pub fn candidate_template() -> Outcome<Vec<u8>> {
    let headers: Vec<&str> = candidate_columns().map(|c| c.header(Lang::Vi)).collect();
    empty_template(
        "DANH SÁCH QUẦN CHÚNG ƯU TÚ (MẪU NHẬP)",
        "Mỗi dòng một người; «Chi bộ» ghi tên chi bộ đề nghị; người giới thiệu ghi số thẻ đảng viên, số CCCD hoặc họ tên đảng viên của chi bộ đó.",
        "Ngày ghi dd/mm/yyyy; Giới tính: Nam/Nữ; các bước chưa làm thì bỏ trống.",
        &headers,
    )
}

/// A row ready to write: the dossier and the path of its cell.
struct Planned {
    input: CandidateInput,
    org_path: String,
}

impl Chibo {
    /// Check a candidates file for the subtree of `org_id` and, if `commit` and nothing is
    /// wrong, open every case in it: all rows or none.
    pub async fn import_candidates(
        &self,
        v: &Viewer,
        org_id: Uuid,
        file_name: &str,
        bytes: &[u8],
        commit: bool,
    ) -> Outcome<ImportReport> {
        let mut report = ImportReport::of(file_name);
        let Some(sheet) = self.read_import::<CandidateHeaderMap>(v, org_id, file_name, bytes, &mut report).await?
        else {
            return Ok(report);
        };
        if !commit || !report.errors.is_empty() {
            let mut c = self.pools.read().await?;
            let (_, _, problems) = plan(&mut c, v, org_id, &sheet, self.today()).await?;
            report.add_errors(problems);
            return Ok(report);
        }
        write!(self, |tx| {
            let mut report = report.clone();
            let (root, planned, problems) = plan(tx, v, org_id, &sheet, self.today()).await?;
            report.add_errors(problems);
            if !report.errors.is_empty() {
                return Ok(report);
            }
            for p in &planned {
                candidates::insert(tx, Uuid::now_v7(), &p.org_path, &p.input).await?;
            }
            report.imported = planned.len();
            let after = serde_json::json!({ "file": file_name, "rows": report.rows, "imported": report.imported });
            let entry = v.audit("candidate.import", "org", Some(root.id), Some(&root.path), None, Some(after));
            audit::record(tx, &entry).await?;
            Ok(report)
        })
    }

    /// The open cases of a subtree in the import template (`.xlsx`), introducers written by
    /// card number (else citizen ID, else name), so that the file imports back.
    pub async fn export_candidates(&self, v: &Viewer, org_id: Uuid) -> Outcome<Vec<u8>> {
        let mut c = self.pools.read().await?;
        let root = load_org(&mut c, org_id).await?;
        // Records of people: the right to list them (the member role reads its own record only).
        v.check_list(&root.path)?;
        let subtree = orgs::active_in_subtree(&mut c, &root.path).await?;
        let names = CellNames::of(&root, &subtree);
        let list = candidates::in_subtree(&mut c, &root.path, CandidateState::Open).await?;
        let ids: Vec<Uuid> = list.iter().flat_map(|x| x.input.introducers.iter().map(|i| i.member_id)).collect();
        let written: HashMap<Uuid, String> =
            members::by_ids(&mut c, &ids).await?.iter().map(|m| (m.id, introducer_ref(m).written())).collect();
        drop(c);
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|x| {
                let cell = names.written.get(&x.input.org_id).cloned().unwrap_or_default();
                let intro: Vec<String> = x
                    .input
                    .introducers
                    .iter()
                    .map(|i| written.get(&i.member_id).cloned().unwrap_or_default())
                    .collect();
                candidate_row_of(&x.input, &cell, &intro)
            })
            .collect();
        self.log_read(v, "candidate.export", "org", root.id, &root.path).await?;
        let headers: Vec<&str> = candidate_columns().map(|c| c.header(Lang::Vi)).collect();
        let count = i64::try_from(rows.len()).unwrap_or(i64::MAX);
        let mut sheet =
            self.export_sheet(v, &root, ("DANH SÁCH QUẦN CHÚNG ƯU TÚ", ("người", "people")), &headers, count)?;
        for row in &rows {
            sheet.push(row).map_err(crate::list_sheet::sheet_error)?;
        }
        sheet.finish().map_err(crate::list_sheet::sheet_error)
    }
}

fn introducer_ref(m: &Member) -> IntroducerRef {
    IntroducerRef {
        member_id: m.id,
        full_name: m.full_name.clone(),
        citizen_id: m.input.profile.citizen_id.clone(),
        party_card_number: m.input.profile.party_card_number.clone(),
    }
}

/// The members of each cell a file names, loaded once.
struct CellMembers(HashMap<Uuid, Vec<IntroducerRef>>);

impl CellMembers {
    async fn of(&mut self, e: &mut impl Exec, cell: Uuid) -> Outcome<&[IntroducerRef]> {
        let list = match self.0.entry(cell) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(new) => new.insert(members::on_rolls_of(e, cell).await?.iter().map(introducer_ref).collect()),
        };
        Ok(list.as_slice())
    }
}

/// An introducer cell naming no member of the cell (the report names the column).
fn introducer_problem(c: CandidateColumn, code: &'static str, written: &str) -> FieldError {
    let (vi, en) = match code {
        "ambiguous_introducer" => (
            format!("Chi bộ có nhiều đảng viên tên «{written}»: ghi số thẻ đảng viên hoặc số CCCD."),
            format!("Several members of the cell are named «{written}»: write the card number or citizen ID."),
        ),
        "introducer_not_in_cell" => (
            format!("«{written}» không phải đảng viên của chi bộ đề nghị kết nạp."),
            format!("«{written}» is not a member of the proposing cell."),
        ),
        _ => (
            format!("Không có đảng viên «{written}» trong chi bộ (theo số thẻ, số CCCD hoặc họ tên)."),
            format!("No member «{written}» in the cell (by card number, citizen ID or name)."),
        ),
    };
    FieldError::new(c.field(), code, vi, en)
}

/// Whether an identifier (card number or citizen ID) belongs to a member elsewhere in the
/// subtree at `root_path` (so the cell was wrong rather than the number).
async fn held_elsewhere(e: &mut impl Exec, written: &str, root_path: &str) -> Outcome<bool> {
    let compact: String = written.chars().filter(|c| !c.is_whitespace()).collect();
    for field in ["party_card_number", "citizen_id"] {
        if let Some(id) = members::holder_of(e, field, &compact, None).await?
            && path::is_within(&load_member(e, id).await?.org_path, root_path)
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Check every row: readable cells, a cell of the subtree, introducers among its members, the
/// candidate form's rules, citizen IDs unique in the file and the database.
async fn plan(
    e: &mut impl Exec,
    v: &Viewer,
    org_id: Uuid,
    sheet: &Sheet<CandidateHeaderMap>,
    today: Date,
) -> Outcome<(Org, Vec<Planned>, Vec<ImportProblem>)> {
    let root = importable_root(e, v, org_id).await?;
    let subtree = orgs::active_in_subtree(e, &root.path).await?;
    let cells = CellNames::of(&root, &subtree);
    let path_of: HashMap<Uuid, &str> = subtree.iter().map(|o| (o.id, o.path.as_str())).collect();
    let mut cell_members = CellMembers(HashMap::new());
    let mut seen = SeenInFile::default();
    let (mut planned, mut problems) = (Vec::new(), Vec::new());
    for (row, cells_of_row) in &sheet.rows {
        let read = sheet.map.read(cells_of_row);
        let (mut input, mut errors) = (read.input, read.errors);
        cells.place(&read.cell, &mut input.org_id, &mut errors);
        let mut unresolved = false;
        if !input.org_id.is_nil() {
            for w in &read.introducers {
                let column = CandidateColumn::Introducer(w.index);
                match match_introducer(&w.written, cell_members.of(e, input.org_id).await?) {
                    Ok(member_id) => input.introducers.push(IntroducerInput { member_id, known_since: w.known_since }),
                    Err(miss) => {
                        unresolved = true;
                        let code = match miss {
                            IntroducerMiss::Ambiguous => "ambiguous_introducer",
                            _ if is_identifier(&w.written) && held_elsewhere(e, &w.written, &root.path).await? => {
                                "introducer_not_in_cell"
                            }
                            IntroducerMiss::Unknown => "unknown_introducer",
                        };
                        errors.push(introducer_problem(column, code, &w.written));
                    }
                }
            }
        }
        input.normalize();
        // The form's rules, where the cells could be read and the introducers found.
        let ids: Vec<Uuid> = input.introducers.iter().map(|i| i.member_id).collect();
        let official = official_on(e, &ids, input.application_on).await?;
        let unreadable: Vec<String> = errors.iter().map(|e| e.field.clone()).collect();
        for err in input.validate(|id| official.get(&id).copied().unwrap_or(false), today).errors {
            let skip = unreadable.contains(&err.field)
                || (err.field == "introducers" && (unresolved || input.org_id.is_nil()))
                || (err.field == "application_on" && input.application_on == Date::MIN);
            if !skip {
                errors.push(err);
            }
        }
        if let Some(cccd) = input.citizen_id.as_deref() {
            if let Err(twice) = seen.note("citizen_id", cccd, *row) {
                errors.push(twice);
            } else if let Some(taken) = crate::candidates::citizen_id_taken(e, cccd, None).await? {
                errors.push(taken);
            }
        }
        match path_of.get(&input.org_id) {
            Some(org_path) if errors.is_empty() => planned.push(Planned { input, org_path: org_path.to_string() }),
            _ => problems.extend(errors.into_iter().map(|e| ImportProblem {
                row: *row,
                column: CandidateColumn::of_field(&e.field).and_then(|c| sheet.header_for(c)),
                error: e,
            })),
        }
    }
    Ok((root, planned, problems))
}
