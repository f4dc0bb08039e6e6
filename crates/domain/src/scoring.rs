//! The shape of a scoring sheet for meetings (*bảng chấm điểm*) and the default sheet, the value
//! of the dated rule [`crate::rules::QUALITY_SHEET`]. Below `rules` and `meeting` (both use it;
//! it uses neither); `meeting::sheet` re-exports it with the configured sheets and their checks.

use serde::{Deserialize, Serialize};

/// How a criterion is scored: computed from the record (all or nothing), or entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Measure {
    /// The attendance standard in force ([`crate::rules::ATTENDANCE_STANDARD`]).
    Attendance,
    /// The least duration in force ([`crate::rules::MEETING_DURATION`]).
    Duration,
    /// At least `num/den` of the members present spoke (*phát biểu*).
    Speakers { num: u32, den: u32 },
    /// The minutes hold every required part ([`crate::meeting::MinutesContent`]).
    Minutes,
    /// Entered by the level that rates the meeting, 0 to the criterion's points.
    Judged,
}

/// One line of the sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Criterion<'a> {
    /// Stable code, also the key of an entered score.
    pub code: &'a str,
    pub label_vi: &'a str,
    pub label_en: &'a str,
    pub points: u32,
    pub measure: Measure,
    /// Full marks here are needed for the top rating.
    pub required_for_top: bool,
}

/// The least scores of the ratings Tốt, Khá and Trung bình (below: Kém).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bands {
    pub good: u32,
    pub fair: u32,
    pub average: u32,
}

/// A scoring sheet; the store builds one from a province's configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Sheet<'a> {
    pub criteria: &'a [Criterion<'a>],
    pub bands: Bands,
}

impl Sheet<'_> {
    /// The points of every criterion, saturating: points come from a form, and a sum that
    /// wrapped round to exactly 100 would pass the sheet's check.
    pub fn total(&self) -> u32 {
        self.criteria.iter().fold(0u32, |t, c| t.saturating_add(c.points))
    }
}

const fn criterion(
    code: &'static str,
    label_vi: &'static str,
    label_en: &'static str,
    points: u32,
    measure: Measure,
    required_for_top: bool,
) -> Criterion<'static> {
    Criterion { code, label_vi, label_en, points, measure, required_for_top }
}

/// The default sheet. The points per criterion and the speakers' share (one third of those
/// present) are not sourced in RULES.md: they are a local-practice default to configure.
pub const DEFAULT_SHEET: Sheet<'static> = Sheet {
    criteria: &[
        criterion(
            "preparation",
            "Chuẩn bị nội dung, tài liệu",
            "Preparation and materials",
            20,
            Measure::Judged,
            false,
        ),
        criterion("attendance", "Tỷ lệ dự sinh hoạt", "Attendance", 20, Measure::Attendance, true),
        criterion("duration", "Thời gian sinh hoạt", "Duration", 10, Measure::Duration, true),
        criterion(
            "speakers",
            "Đảng viên phát biểu",
            "Members speaking",
            15,
            Measure::Speakers { num: 1, den: 3 },
            true,
        ),
        criterion("minutes", "Biên bản đầy đủ", "Complete minutes", 10, Measure::Minutes, true),
        criterion(
            "principles",
            "Nguyên tắc, tự phê bình và phê bình",
            "Principles, criticism",
            10,
            Measure::Judged,
            false,
        ),
        criterion("resolution", "Nghị quyết được thực hiện", "Resolution carried out", 15, Measure::Judged, false),
    ],
    bands: Bands { good: 90, fair: 70, average: 50 },
};
