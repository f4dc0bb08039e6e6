//! The member's self-assessment sheet (*phiếu đánh giá, xếp loại chất lượng đảng viên*) on the
//! 100-point scale of 366-QĐ/TW: general criteria (30 points) and task results (70 points). A
//! committee may configure its own criteria from a date (stored as JSON); the parts must keep
//! the points the rules give them. The default criteria and their points within each part are
//! chibo's default (the guidance fixes the parts, not the lines): configure them.

use super::rules::{ReviewRules, Scale};
use crate::error::{FieldError, Validation};
use crate::life::event::coded_enum;
use crate::rules::Versioned;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use time::macros::date;

coded_enum! {
    /// The part of the sheet a criterion belongs to.
    Part {
        /// *Tiêu chí chung* (political ideology, ethics, discipline, work style).
        General = "general", "Tiêu chí chung", "General criteria";
        /// *Kết quả thực hiện nhiệm vụ được giao*.
        Tasks = "tasks", "Kết quả thực hiện nhiệm vụ", "Task results";
    }
}

/// One line of the sheet: scored from 0 to `points`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// Stable code, also the key of an entered score.
    pub code: Cow<'static, str>,
    pub part: Part,
    pub label_vi: Cow<'static, str>,
    #[serde(default)]
    pub label_en: Cow<'static, str>,
    pub points: u32,
}

const fn line(code: &'static str, part: Part, label_vi: &'static str, label_en: &'static str, points: u32) -> Line {
    Line {
        code: Cow::Borrowed(code),
        part,
        label_vi: Cow::Borrowed(label_vi),
        label_en: Cow::Borrowed(label_en),
        points,
    }
}

/// A sheet: its lines in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sheet {
    pub lines: Vec<Line>,
}

/// The default lines of the member sheet.
pub const DEFAULT_LINES: &[Line] = &[
    line("ideology", Part::General, "Tư tưởng chính trị", "Political ideology", 8),
    line("ethics", Part::General, "Phẩm chất đạo đức, lối sống", "Ethics and way of life", 8),
    line("discipline", Part::General, "Ý thức tổ chức kỷ luật", "Organisational discipline", 8),
    line("work_style", Part::General, "Tác phong, lề lối làm việc", "Work style", 6),
    line("assigned", Part::Tasks, "Kết quả thực hiện nhiệm vụ được giao", "Results of assigned tasks", 50),
    line("party_tasks", Part::Tasks, "Thực hiện nhiệm vụ do chi bộ phân công", "Tasks assigned by the cell", 20),
];

/// The default sheet by date (in force from 366-QĐ/TW).
pub static MEMBER_SHEET: &[Versioned<&[Line]>] = &[Versioned {
    effective: date!(2025 - 08 - 30),
    source: "Quy định 366-QĐ/TW (30/08/2025); Hướng dẫn 43-HD/BTCTW (31/10/2025): tiêu chí chung 30 điểm, kết quả thực hiện nhiệm vụ 70 điểm; các dòng và điểm từng dòng là mặc định của chibo",
    value: DEFAULT_LINES,
}];

impl Sheet {
    /// The default sheet in force on `on`; `None` before the 100-point scale.
    pub fn default_on(on: time::Date) -> Option<Sheet> {
        crate::rules::in_force(MEMBER_SHEET, on).map(|v| Sheet { lines: v.value.to_vec() })
    }

    /// Saturating, like the meeting sheet's total: points come from a form.
    pub fn points(&self, part: Part) -> u32 {
        self.lines.iter().filter(|l| l.part == part).fold(0u32, |t, l| t.saturating_add(l.points))
    }

    pub fn total(&self) -> u32 {
        self.lines.iter().fold(0u32, |t, l| t.saturating_add(l.points))
    }

    /// Checks against the scale: each part has its points, codes are unique, labels fit.
    /// Field `lines`.
    pub fn check(&self, scale: &Scale) -> Validation {
        let mut v = Validation::default();
        for (part, want) in [(Part::General, scale.general), (Part::Tasks, scale.tasks)] {
            let got = self.points(part);
            if got != want {
                let (vi, en) = (part.label(crate::Lang::Vi), part.label(crate::Lang::En));
                v.push(FieldError::new(
                    "lines",
                    "review_sheet_part_points",
                    format!("Phiếu đánh giá: phần \"{vi}\" phải có {want} điểm (hiện là {got})."),
                    format!("Review sheet: the part \"{en}\" must have {want} points (now {got})."),
                ));
            }
        }
        let codes: Vec<&str> = self.lines.iter().map(|l| l.code.as_ref()).collect();
        if codes.iter().enumerate().any(|(i, c)| c.is_empty() || codes[i + 1..].contains(c)) {
            v.push(FieldError::new(
                "lines",
                "review_sheet_codes",
                "Phiếu đánh giá: mỗi tiêu chí cần một mã riêng.",
                "Review sheet: each criterion needs its own code.",
            ));
        }
        let limit = crate::text::SHEET_LABEL.on("lines");
        if self.lines.iter().any(|l| [&l.code, &l.label_vi, &l.label_en].iter().any(|t| limit.check(t).is_some())) {
            v.push(limit.error());
        }
        v
    }

    /// Score the entered points (criterion code, points). Errors name `scores.<code>`: a
    /// criterion missing, unknown or over its points.
    pub fn score(&self, scores: &[(String, u32)]) -> Result<Score, Validation> {
        let mut v = Validation::default();
        for (code, _) in scores.iter().filter(|(c, _)| !self.lines.iter().any(|l| l.code == c.as_str())) {
            v.push(FieldError::new(
                &format!("scores.{code}"),
                "unknown_criterion",
                format!("Điểm '{code}': không có tiêu chí này trong phiếu đánh giá."),
                format!("Score '{code}': the review sheet has no such criterion."),
            ));
        }
        let mut score = Score::default();
        for l in &self.lines {
            let field = format!("scores.{}", l.code);
            match scores.iter().find(|(c, _)| c.as_str() == l.code) {
                None => v.push(FieldError::required(&field, &l.label_vi, &l.label_en)),
                Some((_, p)) if *p > l.points => v.push(FieldError::new(
                    &field,
                    "over_points",
                    format!("{}: tối đa {} điểm.", l.label_vi, l.points),
                    format!("{}: at most {} points.", l.label_en, l.points),
                )),
                Some((_, p)) => match l.part {
                    Part::General => score.general += p,
                    Part::Tasks => score.tasks += p,
                },
            }
        }
        v.finish(score)
    }
}

/// The points of a filled sheet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub general: u32,
    pub tasks: u32,
}

impl Score {
    pub fn total(self) -> u32 {
        self.general.saturating_add(self.tasks)
    }
}

/// The sheet a round uses: the committee's configured sheet if any, else the default of the
/// rules; `None` when the rules have no scale.
pub fn sheet_for(rules: &ReviewRules, configured: Option<Sheet>, last_day: time::Date) -> Option<Sheet> {
    rules.scale?;
    configured.or_else(|| Sheet::default_on(last_day))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::rules::rules_for;

    fn scale() -> Scale {
        rules_for(date!(2025 - 12 - 31)).and_then(|r| r.value.scale).unwrap_or(Scale {
            general: 0,
            tasks: 0,
            excellent: 0,
            good: 0,
            completed: 0,
            excellent_exceeded: super::super::rules::Fraction::new(0, 1),
        })
    }

    #[test]
    fn the_default_sheet_has_30_and_70_points() {
        let sheet = Sheet::default_on(date!(2025 - 12 - 31)).unwrap_or(Sheet { lines: Vec::new() });
        assert_eq!((sheet.points(Part::General), sheet.points(Part::Tasks), sheet.total()), (30, 70, 100));
        assert!(sheet.check(&scale()).is_ok());
        assert!(Sheet::default_on(date!(2024 - 12 - 31)).is_none());
    }

    #[test]
    fn a_configured_sheet_keeps_the_parts() {
        let mut sheet = Sheet { lines: DEFAULT_LINES.to_vec() };
        sheet.lines[0].points = 10;
        sheet.lines[1].code = "ideology".into();
        let v = sheet.check(&scale());
        let codes: Vec<_> = v.errors.iter().map(|e| e.code).collect();
        assert_eq!(codes, ["review_sheet_part_points", "review_sheet_codes"]);
        let json = serde_json::to_string(&Sheet { lines: DEFAULT_LINES.to_vec() }).unwrap_or_default();
        let back: Option<Sheet> = serde_json::from_str(&json).ok();
        assert_eq!(back.map(|s| s.total()), Some(100));
    }

    #[test]
    fn scores_are_checked_per_line() {
        let sheet = Sheet { lines: DEFAULT_LINES.to_vec() };
        let full: Vec<(String, u32)> = DEFAULT_LINES.iter().map(|l| (l.code.to_string(), l.points)).collect();
        assert_eq!(sheet.score(&full).map(|s| (s.general, s.tasks, s.total())), Ok((30, 70, 100)));
        let mut bad = full.clone();
        bad[0].1 = 9;
        bad.pop();
        bad.push(("extra".into(), 1));
        let err = sheet.score(&bad).err().unwrap_or_default();
        let fields: Vec<_> = err.errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            [
                ("scores.extra", "unknown_criterion"),
                ("scores.ideology", "over_points"),
                ("scores.party_tasks", "required")
            ]
        );
    }
}
