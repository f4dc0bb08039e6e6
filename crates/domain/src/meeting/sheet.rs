//! The scoring sheet (*bảng chấm điểm chất lượng sinh hoạt chi bộ*): criteria with points and
//! how each is measured, and the bands of the ratings. Provinces use their own 100-point sheets,
//! so a sheet is data; [`DEFAULT_SHEET`] (in force through [`crate::rules::QUALITY_SHEET`])
//! follows the criteria of 12-HD/BTCTW and the bands of the published provincial sheets: Tốt
//! ≥ 90 with full marks on attendance, time, speakers and minutes; Khá 70–<90; Trung bình
//! 50–<70; Kém < 50.

use crate::error::{FieldError, Validation};
use serde::{Deserialize, Serialize};

pub use crate::scoring::{Bands, Criterion, DEFAULT_SHEET, Measure, Sheet};

/// A sheet as configured by a province (owned; stored as JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetSpec {
    pub criteria: Vec<CriterionSpec>,
    pub bands: Bands,
}

/// One line of a configured sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionSpec {
    pub code: String,
    pub label_vi: String,
    #[serde(default)]
    pub label_en: String,
    pub points: u32,
    pub measure: Measure,
    #[serde(default)]
    pub required_for_top: bool,
}

impl SheetSpec {
    pub fn of(sheet: &Sheet) -> SheetSpec {
        SheetSpec {
            criteria: sheet
                .criteria
                .iter()
                .map(|c| CriterionSpec {
                    code: c.code.into(),
                    label_vi: c.label_vi.into(),
                    label_en: c.label_en.into(),
                    points: c.points,
                    measure: c.measure,
                    required_for_top: c.required_for_top,
                })
                .collect(),
            bands: sheet.bands,
        }
    }

    /// Use the configured sheet as a [`Sheet`].
    pub fn with<R>(&self, f: impl FnOnce(&Sheet) -> R) -> R {
        let criteria: Vec<Criterion> = self
            .criteria
            .iter()
            .map(|c| Criterion {
                code: &c.code,
                label_vi: &c.label_vi,
                label_en: &c.label_en,
                points: c.points,
                measure: c.measure,
                required_for_top: c.required_for_top,
            })
            .collect();
        f(&Sheet { criteria: &criteria, bands: self.bands })
    }
}

/// Checks of a sheet: 100 points in all, unique codes, bands decreasing within the total.
/// Fields `criteria` and `bands`.
pub fn check_sheet(sheet: &Sheet) -> Validation {
    let mut v = Validation::default();
    let total = sheet.total();
    if total != 100 {
        v.push(FieldError::new(
            "criteria",
            "sheet_not_100_points",
            format!("Bảng chấm điểm: tổng điểm các tiêu chí phải là 100 (hiện là {total})."),
            format!("Scoring sheet: the criteria must add up to 100 points (now {total})."),
        ));
    }
    let codes = sheet.criteria.iter().map(|c| c.code);
    if codes.clone().enumerate().any(|(i, c)| c.is_empty() || codes.clone().skip(i + 1).any(|d| d == c)) {
        v.push(FieldError::new(
            "criteria",
            "sheet_codes_not_unique",
            "Bảng chấm điểm: mỗi tiêu chí cần một mã riêng.",
            "Scoring sheet: each criterion needs its own code.",
        ));
    }
    if sheet.criteria.iter().any(|c| {
        crate::text::SHEET_LABEL.check(c.label_vi).is_some()
            || crate::text::SHEET_LABEL.check(c.label_en).is_some()
            || crate::text::SHEET_LABEL.check(c.code).is_some()
    }) {
        v.push(crate::text::SHEET_LABEL.error());
    }
    let b = sheet.bands;
    if !(b.good <= total && b.fair < b.good && b.average < b.fair) {
        v.push(FieldError::new(
            "bands",
            "sheet_bands_not_decreasing",
            "Bảng chấm điểm: mức Tốt > Khá > Trung bình, không vượt tổng điểm.",
            "Scoring sheet: the bands must decrease (Good > Fair > Average) within the total.",
        ));
    }
    v
}

#[cfg(test)]
mod spec_tests {
    use super::*;

    #[test]
    fn a_configured_sheet_round_trips_and_is_checked() {
        let spec = SheetSpec::of(&DEFAULT_SHEET);
        let json = serde_json::to_string(&spec).unwrap_or_default();
        let back: SheetSpec = serde_json::from_str(&json).unwrap_or_else(|_| SheetSpec::of(&DEFAULT_SHEET));
        assert_eq!(back, spec);
        assert!(back.with(check_sheet).is_ok());
        let mut short = spec.clone();
        short.criteria[0].points = 10;
        assert!(short.with(|s| check_sheet(s).has("criteria")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_sheet_is_valid() {
        assert!(check_sheet(&DEFAULT_SHEET).is_ok());
        assert_eq!(DEFAULT_SHEET.total(), 100);
    }

    #[test]
    fn a_wrong_sheet_is_refused() {
        let criteria = [DEFAULT_SHEET.criteria[0], DEFAULT_SHEET.criteria[0]];
        let bad = Sheet { criteria: &criteria, bands: Bands { good: 90, fair: 90, average: 10 } };
        let v = check_sheet(&bad);
        let codes: Vec<_> = v.errors.iter().map(|e| e.code).collect();
        assert_eq!(codes, ["sheet_not_100_points", "sheet_codes_not_unique", "sheet_bands_not_decreasing"]);
        // Points that would wrap round a u32 to exactly 100 do not add up to 100.
        let (mut huge, mut rest) = (DEFAULT_SHEET.criteria[0], DEFAULT_SHEET.criteria[1]);
        (huge.points, rest.points) = (u32::MAX, 101);
        let criteria = [huge, rest];
        let wrapping = Sheet { criteria: &criteria, bands: DEFAULT_SHEET.bands };
        assert!(check_sheet(&wrapping).errors.iter().any(|e| e.code == "sheet_not_100_points"));
    }
}
