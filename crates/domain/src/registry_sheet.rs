//! The member registry as a spreadsheet (*mẫu danh sách đảng viên*): the one template that
//! import reads and export writes, the headers people actually use for its columns, and the
//! reading of one row into a member record.
//!
//! Headers match with or without diacritics, case and punctuation ("Số CCCD", "so cccd",
//! "CMND/CCCD"); the name comes in one column ("Họ và tên") or three ("Họ", "Tên đệm",
//! "Tên"); dates are dd/mm/yyyy text (and the other forms [`crate::date::parse_flexible`]
//! accepts) or spreadsheet serial numbers. Pure: the crate that reads files hands over
//! [`SheetCell`]s.

use crate::error::FieldError;
use crate::member::{Gender, MemberInput, MemberStatus, TheoryLevel};
use crate::profile::MemberProfile;
use crate::sheet_row::{self, RowCells, SheetColumn, bad_value, missing_column, name_columns_error};
pub use crate::sheet_row::{SheetCell, cell_date, fold_header, from_serial, match_headers, split_full_name};
use crate::{Lang, date, ethnicity};
use time::Date;

/// A column of the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    FullName,
    FamilyName,
    MiddleName,
    GivenName,
    BirthDate,
    Gender,
    Ethnicity,
    /// A field of the member profile, by its index in [`MemberProfile::FIELDS`].
    Profile(usize),
    TheoryLevel,
    AdmissionDate,
    OfficialDate,
    AgeException,
    Cell,
}

/// The template's columns in the order export writes them (the name in three columns, so that
/// a compound family or given name comes back as it was; the profile's fields in the table's
/// order).
pub fn template() -> impl Iterator<Item = Column> + Clone {
    let head = [
        Column::FamilyName,
        Column::MiddleName,
        Column::GivenName,
        Column::BirthDate,
        Column::Gender,
        Column::Ethnicity,
    ];
    let tail = [Column::TheoryLevel, Column::AdmissionDate, Column::OfficialDate, Column::AgeException, Column::Cell];
    head.into_iter().chain((0..MemberProfile::FIELDS.len()).map(Column::Profile)).chain(tail)
}

impl Column {
    /// The header the template writes.
    pub fn header(self, lang: Lang) -> &'static str {
        let (vi, en) = match self {
            Column::FullName => ("Họ và tên", "Full name"),
            Column::FamilyName => ("Họ", "Family name"),
            Column::MiddleName => ("Tên đệm", "Middle name"),
            Column::GivenName => ("Tên", "Given name"),
            Column::BirthDate => ("Ngày sinh", "Birth date"),
            Column::Gender => ("Giới tính", "Gender"),
            Column::Ethnicity => ("Dân tộc", "Ethnicity"),
            Column::TheoryLevel => ("Lý luận chính trị", "Political theory"),
            Column::AdmissionDate => ("Ngày vào Đảng", "Admission date"),
            Column::OfficialDate => ("Ngày chính thức", "Official date"),
            Column::AgeException => ("Ngoại lệ tuổi kết nạp", "Admission age exception"),
            Column::Cell => ("Chi bộ", "Cell"),
            Column::Profile(i) => (MemberProfile::FIELDS[i].limit.label_vi, MemberProfile::FIELDS[i].limit.label_en),
        };
        lang.pick(vi, en)
    }

    /// The record's field this column fills, as the API and the entry form name it.
    pub fn field(self) -> &'static str {
        match self {
            Column::FullName => "full_name",
            Column::FamilyName => "family_name",
            Column::MiddleName => "middle_name",
            Column::GivenName => "given_name",
            Column::BirthDate => "birth_date",
            Column::Gender => "gender",
            Column::Ethnicity => "ethnicity_code",
            Column::TheoryLevel => "theory_level",
            Column::AdmissionDate => "admission_date",
            Column::OfficialDate => "official_date",
            Column::AgeException => "age_exception_approved",
            Column::Cell => "org_id",
            Column::Profile(i) => MemberProfile::FIELDS[i].name(),
        }
    }

    /// Headers people use for the column besides the template's own, folded (no diacritics,
    /// lower case, words separated by one space).
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Column::FullName => &["ho ten", "ho va ten dang vien", "ho ten dang vien", "full name", "name"],
            Column::FamilyName => &["family name", "surname", "last name"],
            Column::MiddleName => &["dem", "ten lot", "ten dem lot", "middle name"],
            Column::GivenName => &["ten goi", "given name", "first name"],
            Column::BirthDate => {
                &["sinh ngay", "ngay thang nam sinh", "ngay sinh dd mm yyyy", "birth date", "date of birth"]
            }
            Column::Gender => &["gioi", "nam nu", "gender", "sex"],
            Column::Ethnicity => &["dan toc", "ethnicity"],
            Column::TheoryLevel => &["trinh do ly luan", "ly luan", "trinh do ly luan chinh tri", "llct"],
            Column::AdmissionDate => {
                &["ngay ket nap", "ngay vao dang csvn", "ngay vao dang cong san viet nam", "admission date"]
            }
            Column::OfficialDate => &[
                "ngay cong nhan chinh thuc",
                "ngay chinh thuc vao dang",
                "ngay vao dang chinh thuc",
                "ngay dang vien chinh thuc",
                "official date",
            ],
            Column::AgeException => &["ngoai le tuoi", "mien tuoi ket nap"],
            Column::Cell => &["chi bo sinh hoat", "sinh hoat tai chi bo", "ten chi bo", "cell"],
            Column::Profile(i) => MemberProfile::FIELDS[i].aliases,
        }
    }

    /// The column of a profile field, by the field's name.
    pub fn profile(name: &str) -> Option<Column> {
        MemberProfile::FIELDS.iter().position(|f| f.name() == name).map(Column::Profile)
    }

    fn all() -> impl Iterator<Item = Column> + Clone {
        std::iter::once(Column::FullName).chain(template())
    }
}

impl SheetColumn for Column {
    fn header(self, lang: Lang) -> &'static str {
        Column::header(self, lang)
    }
    fn field(self) -> &'static str {
        Column::field(self)
    }
}

/// Which column of the file holds which field of the template.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HeaderMap {
    /// (index in the row, column).
    pub columns: Vec<(usize, Column)>,
    /// Headers that match no column, ignored (shown as a warning).
    pub ignored: Vec<String>,
}

impl HeaderMap {
    /// Match a header row. An error names a missing required column or a column given twice.
    pub fn of(headers: &[SheetCell]) -> Result<HeaderMap, Vec<FieldError>> {
        let (columns, ignored, mut errors) =
            match_headers(headers, Column::all(), Column::header, Column::aliases, Column::field);
        let map = HeaderMap { columns, ignored };
        errors.extend(name_columns_error(&map.columns, Column::FullName, Column::FamilyName, Column::GivenName));
        for c in [Column::BirthDate, Column::Gender, Column::AdmissionDate, Column::Cell] {
            if !sheet_row::has(&map.columns, c) {
                errors.push(missing_column(c));
            }
        }
        if errors.is_empty() { Ok(map) } else { Err(errors) }
    }
}

/// One row read: the record (its `org_id` still unset: the cell is named by `cell`) and the
/// errors of cells that could not be read. The record's own rules are checked afterwards by
/// [`MemberInput::validate`], like the entry form's.
#[derive(Debug, Clone, PartialEq)]
pub struct RowRead {
    pub input: MemberInput,
    /// The cell's name as written (matched against the tree by the caller).
    pub cell: String,
    pub errors: Vec<FieldError>,
}

impl HeaderMap {
    /// Whether a row holds nothing (trailing blank lines of a sheet).
    pub fn is_blank(&self, row: &[SheetCell]) -> bool {
        sheet_row::is_blank(&self.columns, row)
    }

    /// Read one data row.
    pub fn read(&self, row: &[SheetCell]) -> RowRead {
        let mut r = RowCells::new(&self.columns, row);
        let (family_name, middle_name, given_name) =
            r.name(Column::FullName, Column::FamilyName, Column::MiddleName, Column::GivenName);
        let birth_date = r.required_date(Column::BirthDate);
        let admission_date = r.required_date(Column::AdmissionDate);
        let official_date = r.date(Column::OfficialDate);
        let gender = r.gender(Column::Gender);
        let ethnicity_code = r.ethnicity(Column::Ethnicity);
        let theory_level = match theory_of(&r.text(Column::TheoryLevel)) {
            Some(t) => t,
            None => {
                let e =
                    bad_value(Column::TheoryLevel, &r.text(Column::TheoryLevel), "Sơ cấp, Trung cấp, Cao cấp, Cử nhân");
                r.errors.push(e);
                TheoryLevel::None
            }
        };
        let age_exception_approved = r.yes_no(Column::AgeException);
        let mut profile = MemberProfile::default();
        for (i, slot) in profile.values_mut().into_iter().enumerate() {
            *slot = r.optional(Column::Profile(i));
        }
        let input = MemberInput {
            family_name,
            middle_name,
            given_name,
            birth_date: birth_date.unwrap_or(Date::MIN),
            gender: gender.unwrap_or(Gender::Male),
            ethnicity_code,
            profile,
            theory_level,
            admission_date: admission_date.unwrap_or(Date::MIN),
            official_date,
            status: if official_date.is_some() { MemberStatus::Official } else { MemberStatus::Probationary },
            age_exception_approved,
            org_id: uuid::Uuid::nil(),
        };
        let cell = r.text(Column::Cell);
        if cell.is_empty() {
            r.require(Column::Cell);
        }
        RowRead { input, cell, errors: r.errors }
    }
}

/// The template's row for a record (the cell written as `cell`), in [`template`] order.
pub fn row_of(m: &MemberInput, cell: &str) -> Vec<String> {
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    template()
        .map(|c| match c {
            Column::FullName => m.full_name(),
            Column::FamilyName => m.family_name.clone(),
            Column::MiddleName => m.middle_name.clone(),
            Column::GivenName => m.given_name.clone(),
            Column::BirthDate => date::format_vn(m.birth_date),
            Column::Gender => m.gender.label(Lang::Vi).to_string(),
            Column::Ethnicity => ethnicity::by_code(m.ethnicity_code).map(|e| e.name.clone()).unwrap_or_default(),
            Column::TheoryLevel => match m.theory_level {
                TheoryLevel::None => String::new(),
                t => t.label(Lang::Vi).to_string(),
            },
            Column::AdmissionDate => date::format_vn(m.admission_date),
            Column::OfficialDate => m.official_date.map(date::format_vn).unwrap_or_default(),
            Column::AgeException => if m.age_exception_approved { "Có" } else { "" }.to_string(),
            Column::Cell => cell.to_string(),
            Column::Profile(i) => opt(m.profile.values()[i]),
        })
        .collect()
}

fn theory_of(text: &str) -> Option<TheoryLevel> {
    let folded = fold_header(text);
    if folded.is_empty() || matches!(folded.as_str(), "khong" | "chua" | "chua qua dao tao" | "none") {
        return Some(TheoryLevel::None);
    }
    TheoryLevel::ALL.into_iter().find(|t| {
        fold_header(t.label(Lang::Vi)) == folded || t.code() == folded || fold_header(t.label(Lang::En)) == folded
    })
}

/// The template column a field error of the record belongs to (for the error report).
pub fn column_of_field(field: &str) -> Option<Column> {
    Column::all().find(|c| c.field() == field)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> SheetCell {
        SheetCell::Text(s.to_string())
    }

    #[test]
    fn serial_numbers_are_dates_of_the_1900_system() {
        assert_eq!(from_serial(1.0), date::ymd(1900, 1, 1));
        assert_eq!(from_serial(59.0), date::ymd(1900, 2, 28));
        assert_eq!(from_serial(60.0), None, "29/02/1900 never was");
        assert_eq!(from_serial(61.0), date::ymd(1900, 3, 1));
        assert_eq!(from_serial(45_658.0), date::ymd(2025, 1, 1));
        assert_eq!(from_serial(45_658.5), None);
        assert_eq!(cell_date(&t("45658")), date::ymd(2025, 1, 1));
        assert_eq!(cell_date(&t("07/01/2027")), date::ymd(2027, 1, 7));
        assert_eq!(cell_date(&t("31/02/2020")), None);
    }

    #[test]
    fn headers_match_with_or_without_diacritics() {
        let row: Vec<SheetCell> = [
            "STT",
            "Họ và tên",
            "NGAY SINH",
            "Giới tính",
            "Ngày vào Đảng",
            "ngay chinh thuc",
            "Số CCCD",
            "Chi bộ",
            "Ghi chú",
        ]
        .iter()
        .map(|s| t(s))
        .collect();
        let map = HeaderMap::of(&row).unwrap();
        assert_eq!(map.columns.len(), 7);
        assert_eq!(map.ignored, vec!["Ghi chú".to_string()]);
        assert!(map.columns.contains(&(6, Column::profile("citizen_id").unwrap())));
        let cccd = HeaderMap::of(&[
            t("Ho ten"),
            t("Ngày sinh"),
            t("Gioi tinh"),
            t("Ngày kết nạp"),
            t("CMND/CCCD"),
            t("Chi bo"),
        ])
        .unwrap();
        assert!(cccd.columns.contains(&(4, Column::profile("citizen_id").unwrap())));
        assert!(cccd.columns.contains(&(3, Column::AdmissionDate)));
    }

    #[test]
    fn missing_and_repeated_columns_are_named() {
        let errs = HeaderMap::of(&[t("Họ và tên"), t("Họ và tên"), t("Ngày sinh")]).unwrap_err();
        let codes: Vec<(&str, &str)> = errs.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert!(codes.contains(&("full_name", "column_twice")));
        assert!(codes.contains(&("gender", "column_missing")));
        assert!(codes.contains(&("admission_date", "column_missing")));
        assert!(codes.contains(&("org_id", "column_missing")));
    }

    #[test]
    fn a_row_reads_into_a_record() {
        let map = HeaderMap::of(&[
            t("Họ và tên"),
            t("Ngày sinh"),
            t("Giới tính"),
            t("Dân tộc"),
            t("Ngày vào Đảng"),
            t("Ngày chính thức"),
            t("LLCT"),
            t("Chi bộ"),
        ])
        .unwrap();
        let r = map.read(&[
            t("Nguyễn Thị Minh Khai"),
            SheetCell::Number(32_874.0),
            t("nữ"),
            t("Tay"),
            t("3/2/2015"),
            t("03-02-2016"),
            t("Trung cấp"),
            t("Chi bộ thôn 1"),
        ]);
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(
            (r.input.family_name.as_str(), r.input.middle_name.as_str(), r.input.given_name.as_str()),
            ("Nguyễn", "Thị Minh", "Khai")
        );
        assert_eq!(r.input.birth_date, date::ymd(1990, 1, 1).unwrap());
        assert_eq!(r.input.gender, Gender::Female);
        assert_eq!(r.input.ethnicity_code, 2);
        assert_eq!(r.input.theory_level, TheoryLevel::Intermediate);
        assert_eq!(r.input.status, MemberStatus::Official);
        assert_eq!(r.cell, "Chi bộ thôn 1");
    }

    #[test]
    fn unreadable_cells_name_their_column() {
        let map = HeaderMap::of(&[
            t("Họ"),
            t("Tên"),
            t("Ngày sinh"),
            t("Giới tính"),
            t("Dân tộc"),
            t("Ngày vào Đảng"),
            t("Chi bộ"),
        ])
        .unwrap();
        let r = map.read(&[t("Lò"), t("Văn"), t("31/02/1990"), t("x"), t("Klingon"), t(""), t("")]);
        let got: Vec<(&str, &str)> = r.errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            got,
            vec![
                ("birth_date", "bad_value"),
                ("admission_date", "required"),
                ("gender", "bad_value"),
                ("ethnicity_code", "unknown_ethnicity"),
                ("org_id", "required"),
            ]
        );
        assert_eq!(r.input.status, MemberStatus::Probationary);
    }

    #[test]
    fn export_rows_read_back_the_same() {
        let map = HeaderMap::of(&template().map(|c| t(c.header(Lang::Vi))).collect::<Vec<_>>()).unwrap();
        let m = MemberInput {
            family_name: "Hoàng".into(),
            middle_name: "Thị".into(),
            given_name: "Hoa".into(),
            birth_date: date::ymd(1988, 12, 5).unwrap(),
            gender: Gender::Female,
            ethnicity_code: 4,
            profile: MemberProfile {
                religion: Some("Phật giáo".into()),
                home_town: Some("Xã Yên Bình".into()),
                current_residence: Some("Thôn 3".into()),
                citizen_id: Some("001188012345".into()),
                party_card_number: Some("12345678".into()),
                general_education: Some("12/12".into()),
                occupation: Some("Giáo viên".into()),
                phone: Some("0912345678".into()),
                ..Default::default()
            },
            theory_level: TheoryLevel::Elementary,
            admission_date: date::ymd(2015, 5, 19).unwrap(),
            official_date: Some(date::ymd(2016, 5, 19).unwrap()),
            status: MemberStatus::Official,
            age_exception_approved: false,
            org_id: uuid::Uuid::nil(),
        };
        let row: Vec<SheetCell> = row_of(&m, "Chi bộ 1").into_iter().map(SheetCell::Text).collect();
        let r = map.read(&row);
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(r.input, m);
        assert_eq!(r.cell, "Chi bộ 1");
    }
}
