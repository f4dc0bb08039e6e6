//! The admission candidates as a spreadsheet (*danh sách quần chúng ưu tú / người vào Đảng*):
//! the template an import of candidates reads and an export writes, one candidate per row: the
//! person (as in the member registry), the proposing cell, the dated steps of the dossier and
//! the two introducers (*người giới thiệu*).
//!
//! An introducer is written as their party card number, their citizen ID or their full name,
//! and is looked up among the members of the proposing cell ([`match_introducer`]). Headers
//! match as in the member registry ([`crate::registry_sheet::match_headers`]); the person's
//! columns are the registry's own ([`Column`]), so they read the same. The rules of the dossier
//! are [`CandidateInput::validate`], the candidate form's.

use crate::error::FieldError;
use crate::life::{CandidateInput, IntroducerInput};
use crate::member::Gender;
use crate::registry_sheet::{Column, SheetCell, match_headers};
use crate::sheet_row::{RowCells, SheetColumn, is_blank, missing_column, name_columns_error};
use crate::{Lang, date, ethnicity};
use time::Date;
use uuid::Uuid;

/// How many introducers the template has room for (the Charter asks for two).
pub const INTRODUCER_COLUMNS: usize = 2;

/// A column of the candidates template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CandidateColumn {
    /// A column the member registry has too (the name, birth date, gender, ethnicity, citizen
    /// ID, the cell, the admission age exception).
    Person(Column),
    CourseCertificate,
    Application,
    /// The n-th introducer (0-based): party card number, citizen ID or full name.
    Introducer(usize),
    /// Since when the n-th introducer has worked, studied or lived with the applicant.
    KnownSince(usize),
    YouthUnion,
    CellResolution,
    VotesFor,
    VoteBase,
    BaseResolution,
    Decision,
}

use CandidateColumn as C;

fn citizen_id() -> CandidateColumn {
    C::Person(Column::profile("citizen_id").unwrap_or(Column::FullName))
}

/// The template's columns in the order export writes them.
pub fn candidate_columns() -> impl Iterator<Item = CandidateColumn> + Clone {
    let person = [Column::FamilyName, Column::MiddleName, Column::GivenName, Column::BirthDate, Column::Gender];
    let introducers = (0..INTRODUCER_COLUMNS).flat_map(|i| [C::Introducer(i), C::KnownSince(i)]);
    person
        .into_iter()
        .map(C::Person)
        .chain([
            C::Person(Column::Ethnicity),
            citizen_id(),
            C::Person(Column::Cell),
            C::CourseCertificate,
            C::Application,
        ])
        .chain(introducers)
        .chain([
            C::YouthUnion,
            C::CellResolution,
            C::VotesFor,
            C::VoteBase,
            C::BaseResolution,
            C::Decision,
            C::Person(Column::AgeException),
        ])
}

fn all() -> impl Iterator<Item = CandidateColumn> + Clone {
    std::iter::once(C::Person(Column::FullName)).chain(candidate_columns())
}

const INTRODUCER_VI: [&str; INTRODUCER_COLUMNS] = ["Người giới thiệu 1", "Người giới thiệu 2"];
const INTRODUCER_EN: [&str; INTRODUCER_COLUMNS] = ["Introducer 1", "Introducer 2"];
const KNOWN_VI: [&str; INTRODUCER_COLUMNS] =
    ["Người giới thiệu 1 cùng công tác từ ngày", "Người giới thiệu 2 cùng công tác từ ngày"];
const KNOWN_EN: [&str; INTRODUCER_COLUMNS] = ["Introducer 1 known since", "Introducer 2 known since"];
const INTRODUCER_FIELD: [&str; INTRODUCER_COLUMNS] = ["introducers.0.member_id", "introducers.1.member_id"];
const KNOWN_FIELD: [&str; INTRODUCER_COLUMNS] = ["introducers.0.known_since", "introducers.1.known_since"];

impl SheetColumn for CandidateColumn {
    fn header(self, lang: Lang) -> &'static str {
        let (vi, en) = match self {
            C::Person(c) => return c.header(lang),
            C::CourseCertificate => ("Ngày chứng nhận lớp bồi dưỡng nhận thức về Đảng", "Course certificate date"),
            C::Application => ("Ngày làm đơn xin vào Đảng", "Application date"),
            C::Introducer(i) => (INTRODUCER_VI[i % INTRODUCER_COLUMNS], INTRODUCER_EN[i % INTRODUCER_COLUMNS]),
            C::KnownSince(i) => (KNOWN_VI[i % INTRODUCER_COLUMNS], KNOWN_EN[i % INTRODUCER_COLUMNS]),
            C::YouthUnion => ("Ngày nghị quyết giới thiệu của Đoàn", "Youth Union resolution date"),
            C::CellResolution => ("Ngày chi bộ đề nghị kết nạp", "Cell resolution date"),
            C::VotesFor => ("Số phiếu tán thành", "Votes in favour"),
            C::VoteBase => ("Số đảng viên chính thức của chi bộ", "Official members of the cell"),
            C::BaseResolution => ("Ngày nghị quyết của đảng ủy cơ sở", "Base committee resolution date"),
            C::Decision => ("Ngày quyết định kết nạp", "Admission decision date"),
        };
        lang.pick(vi, en)
    }

    /// The dossier's field, as the candidate form and the API name it.
    fn field(self) -> &'static str {
        match self {
            C::Person(c) => c.field(),
            C::CourseCertificate => "course_certificate_on",
            C::Application => "application_on",
            C::Introducer(i) => INTRODUCER_FIELD[i % INTRODUCER_COLUMNS],
            C::KnownSince(i) => KNOWN_FIELD[i % INTRODUCER_COLUMNS],
            C::YouthUnion => "youth_union_resolution_on",
            C::CellResolution => "cell_resolution_on",
            C::VotesFor => "cell_votes_for",
            C::VoteBase => "cell_vote_base",
            C::BaseResolution => "base_resolution_on",
            C::Decision => "decision_on",
        }
    }
}

impl CandidateColumn {
    fn aliases(self) -> &'static [&'static str] {
        match self {
            C::Person(c) => c.aliases(),
            C::CourseCertificate => &[
                "giay chung nhan lop boi duong nhan thuc ve dang",
                "ngay hoc lop nhan thuc ve dang",
                "lop nhan thuc ve dang",
                "lop boi duong nhan thuc ve dang",
                "lop cam tinh dang",
                "course certificate",
            ],
            C::Application => &["ngay lam don", "ngay viet don", "don xin vao dang", "ngay don xin vao dang"],
            C::Introducer(0) => &["nguoi gioi thieu thu 1", "nguoi gioi thieu thu nhat", "dang vien gioi thieu 1"],
            C::Introducer(_) => &["nguoi gioi thieu thu 2", "nguoi gioi thieu thu hai", "dang vien gioi thieu 2"],
            C::KnownSince(0) => &["nguoi gioi thieu 1 cung cong tac tu", "cung cong tac tu ngay 1", "ngt1 tu ngay"],
            C::KnownSince(_) => &["nguoi gioi thieu 2 cung cong tac tu", "cung cong tac tu ngay 2", "ngt2 tu ngay"],
            C::YouthUnion => &["nghi quyet gioi thieu cua doan", "nghi quyet doan", "ngay doan gioi thieu"],
            C::CellResolution => &[
                "ngay nghi quyet chi bo de nghi ket nap",
                "nghi quyet chi bo",
                "ngay chi bo de nghi",
                "ngay chi bo xet",
                "ngay chi bo xet ket nap",
            ],
            C::VotesFor => &["phieu tan thanh", "so dang vien tan thanh"],
            C::VoteBase => &["so dang vien chinh thuc", "tong so dang vien chinh thuc"],
            C::BaseResolution => &["nghi quyet dang uy co so", "ngay dang uy co so xet", "ngay dang uy xet"],
            C::Decision => &["quyet dinh ket nap", "ngay quyet dinh"],
        }
    }

    /// The column where a field error of the dossier belongs (an error of the introducers as a
    /// whole: the first introducer's).
    pub fn of_field(field: &str) -> Option<CandidateColumn> {
        if field == "introducers" {
            return Some(C::Introducer(0));
        }
        all().find(|c| c.field() == field)
    }
}

/// Which column of the file holds which field of the template.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CandidateHeaderMap {
    pub columns: Vec<(usize, CandidateColumn)>,
    pub ignored: Vec<String>,
}

/// An introducer as written in a row: by whom (card number, citizen ID or name) and since when.
#[derive(Debug, Clone, PartialEq)]
pub struct WrittenIntroducer {
    /// 0-based, the template's "Người giới thiệu 1" being 0.
    pub index: usize,
    pub written: String,
    pub known_since: Option<Date>,
}

/// One row read: the dossier (its `org_id` and introducers still unset), the cell and the
/// introducers as written, and the cells that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateRowRead {
    pub input: CandidateInput,
    pub cell: String,
    pub introducers: Vec<WrittenIntroducer>,
    pub errors: Vec<FieldError>,
}

impl CandidateHeaderMap {
    /// Match a header row; the name, birth date, gender, cell and application date are required.
    pub fn of(headers: &[SheetCell]) -> Result<CandidateHeaderMap, Vec<FieldError>> {
        let (columns, ignored, mut errors) =
            match_headers(headers, all(), SheetColumn::header, CandidateColumn::aliases, SheetColumn::field);
        let name = name_columns_error(
            &columns,
            C::Person(Column::FullName),
            C::Person(Column::FamilyName),
            C::Person(Column::GivenName),
        );
        errors.extend(name);
        for c in [C::Person(Column::BirthDate), C::Person(Column::Gender), C::Person(Column::Cell), C::Application] {
            if !crate::sheet_row::has(&columns, c) {
                errors.push(missing_column(c));
            }
        }
        if errors.is_empty() { Ok(CandidateHeaderMap { columns, ignored }) } else { Err(errors) }
    }

    pub fn is_blank(&self, row: &[SheetCell]) -> bool {
        is_blank(&self.columns, row)
    }

    /// Read one data row.
    pub fn read(&self, row: &[SheetCell]) -> CandidateRowRead {
        let mut r = RowCells::new(&self.columns, row);
        let p = C::Person;
        let (family_name, middle_name, given_name) =
            r.name(p(Column::FullName), p(Column::FamilyName), p(Column::MiddleName), p(Column::GivenName));
        let birth_date = r.required_date(p(Column::BirthDate));
        let gender = r.gender(p(Column::Gender));
        let ethnicity_code = r.ethnicity(p(Column::Ethnicity));
        let cell = r.text(p(Column::Cell));
        if cell.is_empty() {
            r.require(p(Column::Cell));
        }
        let course_certificate_on = r.date(C::CourseCertificate);
        let application_on = r.required_date(C::Application);
        let mut introducers = Vec::new();
        for index in 0..INTRODUCER_COLUMNS {
            let written = r.text(C::Introducer(index));
            let known_since = r.date(C::KnownSince(index));
            if !written.is_empty() {
                introducers.push(WrittenIntroducer { index, written, known_since });
            } else if known_since.is_some() {
                r.require(C::Introducer(index));
            }
        }
        let input = CandidateInput {
            org_id: Uuid::nil(),
            family_name,
            middle_name,
            given_name,
            birth_date: birth_date.unwrap_or(Date::MIN),
            gender: gender.unwrap_or(Gender::Male),
            ethnicity_code,
            citizen_id: r.optional(citizen_id()),
            course_certificate_on,
            application_on: application_on.unwrap_or(Date::MIN),
            introducers: Vec::new(),
            youth_union_resolution_on: r.date(C::YouthUnion),
            cell_resolution_on: r.date(C::CellResolution),
            cell_votes_for: r.count(C::VotesFor),
            cell_vote_base: r.count(C::VoteBase),
            base_resolution_on: r.date(C::BaseResolution),
            decision_on: r.date(C::Decision),
            age_exception_approved: r.yes_no(p(Column::AgeException)),
        };
        CandidateRowRead { input, cell, introducers, errors: r.errors }
    }
}

/// A member an introducer cell may name: who, by which identifiers.
#[derive(Debug, Clone, PartialEq)]
pub struct IntroducerRef {
    pub member_id: Uuid,
    pub full_name: String,
    pub citizen_id: Option<String>,
    pub party_card_number: Option<String>,
}

impl IntroducerRef {
    /// How an export writes the introducer: the card number, else the citizen ID, else the name.
    pub fn written(&self) -> String {
        self.party_card_number.clone().or_else(|| self.citizen_id.clone()).unwrap_or_else(|| self.full_name.clone())
    }
}

/// Why an introducer cell names no member of the cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntroducerMiss {
    /// No member of the cell has this card number, citizen ID or name.
    Unknown,
    /// Several members of the cell have this name.
    Ambiguous,
}

/// Whether an introducer cell holds an identifier (a card number or citizen ID: digits only)
/// rather than a name.
pub fn is_identifier(written: &str) -> bool {
    let compact: String = written.chars().filter(|c| !c.is_whitespace()).collect();
    !compact.is_empty() && compact.chars().all(|c| c.is_ascii_digit())
}

/// The member of the cell an introducer cell names: by party card number or citizen ID, or by
/// the exact full name (case and spacing aside; diacritics count: Hà is not Hạ).
pub fn match_introducer(written: &str, cell_members: &[IntroducerRef]) -> Result<Uuid, IntroducerMiss> {
    if is_identifier(written) {
        let compact: String = written.chars().filter(|c| !c.is_whitespace()).collect();
        let same = |v: &Option<String>| v.as_deref() == Some(compact.as_str());
        return cell_members
            .iter()
            .find(|m| same(&m.party_card_number) || same(&m.citizen_id))
            .map(|m| m.member_id)
            .ok_or(IntroducerMiss::Unknown);
    }
    let key = name_key(written);
    let found: Vec<Uuid> = cell_members.iter().filter(|m| name_key(&m.full_name) == key).map(|m| m.member_id).collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(IntroducerMiss::Unknown),
        _ => Err(IntroducerMiss::Ambiguous),
    }
}

fn name_key(s: &str) -> String {
    crate::text::normalize_name(s).to_lowercase()
}

/// The template's row for a dossier: its cell as `cell`, its introducers as `introducers`
/// write them ([`IntroducerRef::written`]), in [`candidate_columns`] order.
pub fn candidate_row_of(c: &CandidateInput, cell: &str, introducers: &[String]) -> Vec<String> {
    let d = |o: Option<Date>| o.map(date::format_vn).unwrap_or_default();
    let n = |o: Option<u32>| o.map(|v| v.to_string()).unwrap_or_default();
    candidate_columns()
        .map(|col| match col {
            C::Person(Column::FamilyName) => c.family_name.clone(),
            C::Person(Column::MiddleName) => c.middle_name.clone(),
            C::Person(Column::GivenName) => c.given_name.clone(),
            C::Person(Column::BirthDate) => date::format_vn(c.birth_date),
            C::Person(Column::Gender) => c.gender.label(Lang::Vi).to_string(),
            C::Person(Column::Ethnicity) => {
                ethnicity::by_code(c.ethnicity_code).map(|e| e.name.clone()).unwrap_or_default()
            }
            C::Person(Column::Cell) => cell.to_string(),
            C::Person(Column::AgeException) => if c.age_exception_approved { "Có" } else { "" }.to_string(),
            C::Person(_) => c.citizen_id.clone().unwrap_or_default(),
            C::CourseCertificate => d(c.course_certificate_on),
            C::Application => date::format_vn(c.application_on),
            C::Introducer(i) => introducers.get(i).cloned().unwrap_or_default(),
            C::KnownSince(i) => d(c.introducers.get(i).and_then(|x: &IntroducerInput| x.known_since)),
            C::YouthUnion => d(c.youth_union_resolution_on),
            C::CellResolution => d(c.cell_resolution_on),
            C::VotesFor => n(c.cell_votes_for),
            C::VoteBase => n(c.cell_vote_base),
            C::BaseResolution => d(c.base_resolution_on),
            C::Decision => d(c.decision_on),
        })
        .collect()
}

#[cfg(test)]
#[path = "candidate_sheet_tests.rs"]
mod tests;
