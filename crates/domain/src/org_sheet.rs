//! The organisation tree as a spreadsheet (*danh sách tổ chức đảng*): the template an import of
//! the organisations under a commune (or any organisation) reads, one organisation per row, each
//! naming the organisation it sits under.
//!
//! "Trực thuộc" (the parent) is blank for an organisation directly under the one imported
//! into, else the parent's name — or, where names repeat, its names from below the imported
//! organisation joined by " / " ("Đảng bộ bộ phận 2 / Chi bộ 1"). The parent may be an
//! organisation already in chibo or one on an earlier row of the file. Headers match as in the
//! member registry ([`crate::registry_sheet::match_headers`]).

use crate::error::FieldError;
use crate::org::{Locality, OrgInput, OrgKind};
use crate::registry_sheet::{SheetCell, fold_header, match_headers};
use crate::sheet_row::{self, RowCells, SheetColumn, missing_column};
use crate::{Lang, date};

/// A column of the organisations template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrgColumn {
    Name,
    Kind,
    Parent,
    ShortName,
    Village,
    Established,
    CellCommittee,
}

/// The template's columns in order.
pub const ORG_TEMPLATE: [OrgColumn; 7] = [
    OrgColumn::Name,
    OrgColumn::Kind,
    OrgColumn::Parent,
    OrgColumn::ShortName,
    OrgColumn::Village,
    OrgColumn::Established,
    OrgColumn::CellCommittee,
];

impl OrgColumn {
    pub fn header(self, lang: Lang) -> &'static str {
        let (vi, en) = match self {
            OrgColumn::Name => ("Tên tổ chức", "Name"),
            OrgColumn::Kind => ("Loại tổ chức", "Kind"),
            OrgColumn::Parent => ("Trực thuộc", "Parent"),
            OrgColumn::ShortName => ("Tên viết tắt", "Short name"),
            OrgColumn::Village => ("Thôn, bản, tổ dân phố", "Village"),
            OrgColumn::Established => ("Ngày thành lập", "Established on"),
            OrgColumn::CellCommittee => ("Có chi ủy", "Cell committee"),
        };
        lang.pick(vi, en)
    }

    /// The organisation's field this column fills, as the API and the form name it.
    pub fn field(self) -> &'static str {
        match self {
            OrgColumn::Name => "name",
            OrgColumn::Kind => "kind",
            OrgColumn::Parent => "parent_id",
            OrgColumn::ShortName => "short_name",
            OrgColumn::Village => "village",
            OrgColumn::Established => "established_on",
            OrgColumn::CellCommittee => "has_cell_committee",
        }
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            OrgColumn::Name => &["ten", "ten chi bo", "ten to chuc dang", "ten dang bo chi bo", "name"],
            OrgColumn::Kind => &["loai", "loai hinh", "cap", "kind"],
            OrgColumn::Parent => &["cap tren", "cap tren truc tiep", "thuoc", "truc thuoc dang bo", "parent"],
            OrgColumn::ShortName => &["viet tat", "ten tat"],
            OrgColumn::Village => &["thon", "ban", "thon ban", "to dan pho", "dia ban"],
            OrgColumn::Established => &["ngay thanh lap chi bo", "thanh lap", "established"],
            OrgColumn::CellCommittee => &["chi uy", "co chi uy khong"],
        }
    }

    /// The column of a field error of an organisation (for the error report).
    pub fn of_field(field: &str) -> Option<OrgColumn> {
        ORG_TEMPLATE.into_iter().find(|c| c.field() == field)
    }
}

impl SheetColumn for OrgColumn {
    fn header(self, lang: Lang) -> &'static str {
        OrgColumn::header(self, lang)
    }
    fn field(self) -> &'static str {
        OrgColumn::field(self)
    }
}

/// Which column of the file holds which field of the template.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrgHeaderMap {
    pub columns: Vec<(usize, OrgColumn)>,
    pub ignored: Vec<String>,
}

/// One row read: the organisation (its locality still to be completed from where it sits), the
/// parent as written (blank: directly under the imported organisation), and the cells that
/// could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgRowRead {
    pub input: OrgInput,
    pub parent: String,
    pub errors: Vec<FieldError>,
}

impl OrgHeaderMap {
    /// Match a header row; the name and the kind are required.
    pub fn of(headers: &[SheetCell]) -> Result<OrgHeaderMap, Vec<FieldError>> {
        let (columns, ignored, mut errors) =
            match_headers(headers, ORG_TEMPLATE.into_iter(), OrgColumn::header, OrgColumn::aliases, OrgColumn::field);
        let map = OrgHeaderMap { columns, ignored };
        for c in [OrgColumn::Name, OrgColumn::Kind] {
            if !sheet_row::has(&map.columns, c) {
                errors.push(missing_column(c));
            }
        }
        if errors.is_empty() { Ok(map) } else { Err(errors) }
    }

    /// Whether a row holds nothing.
    pub fn is_blank(&self, row: &[SheetCell]) -> bool {
        sheet_row::is_blank(&self.columns, row)
    }

    /// Read one data row.
    pub fn read(&self, row: &[SheetCell]) -> OrgRowRead {
        let mut r = RowCells::new(&self.columns, row);
        let kind_text = r.text(OrgColumn::Kind);
        let kind = kind_of(&kind_text);
        if kind.is_none() {
            r.errors.push(if kind_text.is_empty() {
                FieldError::required("kind", "Loại tổ chức", "Kind")
            } else {
                FieldError::new(
                    "kind",
                    "bad_value",
                    format!(
                        "«Loại tổ chức»: không đọc được «{kind_text}» (nhập ví dụ Chi bộ trực thuộc, Đảng bộ bộ phận)."
                    ),
                    format!("«Kind»: cannot read «{kind_text}» (e.g. Subordinate cell, Partial committee)."),
                )
            });
        }
        let established_on = r.date(OrgColumn::Established);
        let has_cell_committee = r.yes_no(OrgColumn::CellCommittee);
        let input = OrgInput {
            name: crate::text::normalize_text(&r.text(OrgColumn::Name)),
            short_name: r.optional(OrgColumn::ShortName),
            kind: kind.unwrap_or(OrgKind::PartyGroup),
            locality: Locality { province_code: None, commune_code: None, village: r.optional(OrgColumn::Village) },
            established_on,
            dissolved_on: None,
            has_cell_committee,
        };
        OrgRowRead { input, parent: r.text(OrgColumn::Parent), errors: r.errors }
    }
}

/// An organisation's kind from its label (either language, with or without diacritics) or code;
/// "Chi bộ" alone is a subordinate cell, "Đảng bộ" alone a base committee.
pub fn kind_of(text: &str) -> Option<OrgKind> {
    let folded = fold_header(text);
    match folded.as_str() {
        "" => return None,
        "chi bo" | "chi bo truc thuoc dang uy" => return Some(OrgKind::SubordinateCell),
        "dang bo" => return Some(OrgKind::BaseCommittee),
        _ => {}
    }
    OrgKind::ALL
        .into_iter()
        .find(|k| fold_header(k.label_vi()) == folded || fold_header(k.label_en()) == folded || k.code() == text.trim())
}

/// The template's row for an organisation (its parent written as `parent`).
pub fn org_row_of(o: &OrgInput, parent: &str) -> Vec<String> {
    ORG_TEMPLATE
        .iter()
        .map(|c| match c {
            OrgColumn::Name => o.name.clone(),
            OrgColumn::Kind => o.kind.label_vi().to_string(),
            OrgColumn::Parent => parent.to_string(),
            OrgColumn::ShortName => o.short_name.clone().unwrap_or_default(),
            OrgColumn::Village => o.locality.village.clone().unwrap_or_default(),
            OrgColumn::Established => o.established_on.map(date::format_vn).unwrap_or_default(),
            OrgColumn::CellCommittee => if o.has_cell_committee { "Có" } else { "" }.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> SheetCell {
        SheetCell::Text(s.to_string())
    }

    #[test]
    fn headers_people_write_are_understood() {
        let map =
            OrgHeaderMap::of(&[t("STT"), t("Tên chi bộ"), t("Loại"), t("Cấp trên"), t("Thôn"), t("Ghi chú")]).unwrap();
        assert_eq!(
            map.columns,
            vec![(1, OrgColumn::Name), (2, OrgColumn::Kind), (3, OrgColumn::Parent), (4, OrgColumn::Village)]
        );
        assert_eq!(map.ignored, vec!["Ghi chú".to_string()]);
        let missing = OrgHeaderMap::of(&[t("Tên tổ chức")]).unwrap_err();
        assert_eq!(
            missing.iter().map(|e| (e.field.as_str(), e.code)).collect::<Vec<_>>(),
            [("kind", "column_missing")]
        );
    }

    #[test]
    fn kinds_by_label_code_or_short_word() {
        assert_eq!(kind_of("Chi bộ trực thuộc"), Some(OrgKind::SubordinateCell));
        assert_eq!(kind_of("chi bo"), Some(OrgKind::SubordinateCell));
        assert_eq!(kind_of("ĐẢNG BỘ BỘ PHẬN"), Some(OrgKind::PartialCommittee));
        assert_eq!(kind_of("base_cell"), Some(OrgKind::BaseCell));
        assert_eq!(kind_of("Tổ đảng"), Some(OrgKind::PartyGroup));
        assert_eq!(kind_of("hội nông dân"), None);
    }

    #[test]
    fn a_row_read_and_written_back() {
        let map = OrgHeaderMap::of(&ORG_TEMPLATE.map(|c| t(c.header(Lang::Vi)))).unwrap();
        let row =
            [t("Chi bộ thôn Nà Hẩu"), t("Chi bộ trực thuộc"), t(""), t(""), t("Thôn Nà Hẩu"), t("12/03/2026"), t("Có")];
        let read = map.read(&row);
        assert!(read.errors.is_empty(), "{:?}", read.errors);
        assert_eq!((read.input.kind, read.input.has_cell_committee), (OrgKind::SubordinateCell, true));
        assert_eq!(read.input.established_on, date::ymd(2026, 3, 12));
        assert_eq!(org_row_of(&read.input, ""), row.iter().map(SheetCell::text).collect::<Vec<_>>());
        let bad = map.read(&[t("X"), t("Hội"), t(""), t(""), t(""), t("31/02/2026"), t("có lẽ")]);
        let fields: Vec<_> = bad.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["kind", "established_on", "has_cell_committee"]);
    }
}
