//! A review round's plan: its kind, its period and the deadline of each step, checked against
//! the rules of its closing date (the last day of the period).

use super::level::RoundKind;
use super::rules::{ReviewRules, rules_for};
use crate::date::format_vn;
use crate::error::{FieldError, Validation};
use crate::meeting::Period;
use crate::rules::Versioned;
use time::Date;

/// The key of a round's figures: `year:2025`, `quarter:2025-Q4`, `term:2020-10-01..2025-09-30`
/// (rounds of one key in disjoint subtrees add up).
pub fn period_key(kind: RoundKind, first_day: Date, last_day: Date) -> String {
    match kind {
        RoundKind::Year => format!("year:{}", first_day.year()),
        RoundKind::Quarter => format!("quarter:{}-Q{}", first_day.year(), (u8::from(first_day.month()) - 1) / 3 + 1),
        RoundKind::Term | RoundKind::AdHoc => format!("{}:{first_day}..{last_day}", kind.code()),
    }
}

/// What opens a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoundPlan {
    pub kind: RoundKind,
    /// The first and the last day of the period reviewed.
    pub first_day: Date,
    pub last_day: Date,
    /// Deadlines of the self-assessment, the cell's opinion and the decision.
    pub self_due: Date,
    pub cell_due: Date,
    pub decision_due: Date,
}

impl RoundPlan {
    pub fn key(&self) -> String {
        period_key(self.kind, self.first_day, self.last_day)
    }

    pub fn period(&self) -> Option<Period> {
        Period::custom(self.first_day, self.last_day)
    }

    /// Check the plan; the rules that will judge the round. Errors name `kind`, `first_day`,
    /// `last_day`, `self_due`, `cell_due`, `decision_due`.
    pub fn check(&self) -> Result<&'static Versioned<ReviewRules>, Validation> {
        let mut v = Validation::default();
        let rules = rules_for(self.last_day);
        if self.last_day < self.first_day {
            v.push(FieldError::new(
                "last_day",
                "period_reversed",
                "Ngày cuối kỳ: phải sau ngày đầu kỳ.",
                "Last day: must be after the first day.",
            ));
        } else if let Some(e) = self.shape_error() {
            v.push(e);
        }
        match rules {
            None => v.push(FieldError::new(
                "last_day",
                "no_review_rule",
                format!(
                    "Ngày cuối kỳ: chibo chưa có quy định đánh giá, xếp loại cho kỳ kết thúc trước {}.",
                    format_vn(super::rules::REVIEW_RULES[0].effective)
                ),
                "Last day: chibo has no review rules for a period ending that early.",
            )),
            Some(r) if !r.value.kinds.contains(&self.kind) => v.push(FieldError::new(
                "kind",
                "round_kind_not_allowed",
                format!(
                    "Loại kỳ đánh giá: \"{}\" chưa được quy định ({}).",
                    self.kind.label(crate::Lang::Vi),
                    r.source
                ),
                format!("Round kind: \"{}\" is not provided for by {}.", self.kind.label(crate::Lang::En), r.source),
            )),
            Some(_) => {}
        }
        let steps = [
            ("self_due", self.self_due, "Hạn tự đánh giá", "Self-assessment deadline"),
            ("cell_due", self.cell_due, "Hạn chi bộ đề xuất", "Cell opinion deadline"),
            ("decision_due", self.decision_due, "Hạn quyết định", "Decision deadline"),
        ];
        let mut before = self.first_day;
        for (field, due, vi, en) in steps {
            if due < before {
                v.push(FieldError::new(
                    field,
                    "deadline_out_of_order",
                    format!("{vi}: không được trước {}.", format_vn(before)),
                    format!("{en}: cannot be before {}.", format_vn(before)),
                ));
            }
            before = before.max(due);
        }
        match rules {
            Some(r) if v.is_ok() => Ok(r),
            _ => Err(v),
        }
    }

    /// A yearly round covers a calendar year, a quarterly one a calendar quarter.
    fn shape_error(&self) -> Option<FieldError> {
        let y = self.first_day.year();
        let (ok, vi, en) = match self.kind {
            RoundKind::Year => (
                Period::year(y).is_some_and(|p| p == Period { from: self.first_day, to: next(self.last_day) }),
                "kỳ hằng năm là trọn một năm (01/01 đến 31/12)",
                "a yearly round covers a calendar year",
            ),
            RoundKind::Quarter => (
                (1..=4)
                    .filter_map(|q| Period::quarter(y, q))
                    .any(|p| p.from == self.first_day && p.to == next(self.last_day)),
                "kỳ hằng quý là trọn một quý",
                "a quarterly round covers a calendar quarter",
            ),
            RoundKind::Term | RoundKind::AdHoc => return None,
        };
        (!ok).then(|| {
            FieldError::new("first_day", "round_period_shape", format!("Kỳ đánh giá: {vi}."), format!("Period: {en}."))
        })
    }
}

fn next(d: Date) -> Date {
    d.next_day().unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn year(y: i32) -> RoundPlan {
        let (first_day, last_day) = (date!(2025 - 01 - 01).replace_year(y), date!(2025 - 12 - 31).replace_year(y));
        let (first_day, last_day) = (first_day.unwrap_or(Date::MIN), last_day.unwrap_or(Date::MIN));
        RoundPlan {
            kind: RoundKind::Year,
            first_day,
            last_day,
            self_due: date!(2025 - 12 - 05),
            cell_due: date!(2025 - 12 - 15),
            decision_due: date!(2025 - 12 - 31),
        }
    }

    #[test]
    fn a_yearly_round_and_its_rules() {
        assert!(year(2025).check().is_ok_and(|r| r.source.contains("366-QĐ/TW")));
        let quarter = RoundPlan { kind: RoundKind::Quarter, last_day: date!(2025 - 03 - 31), ..year(2025) };
        let codes = |p: RoundPlan| p.check().err().map(|v| v.errors.iter().map(|e| e.code).collect::<Vec<_>>());
        // A quarter ending 31/03/2025 falls under 124-QĐ/TW, which knows only yearly rounds.
        assert_eq!(codes(quarter), Some(vec!["round_kind_not_allowed"]));
        let q4 = RoundPlan { kind: RoundKind::Quarter, first_day: date!(2025 - 10 - 01), ..year(2025) };
        assert!(q4.check().is_ok());
        let odd = RoundPlan { first_day: date!(2025 - 02 - 01), ..year(2025) };
        assert_eq!(codes(odd), Some(vec!["round_period_shape"]));
        let late = RoundPlan { cell_due: date!(2025 - 12 - 01), ..year(2025) };
        assert_eq!(codes(late), Some(vec!["deadline_out_of_order"]));
        let early = RoundPlan { self_due: date!(2022 - 12 - 01), ..year(2022) };
        assert_eq!(codes(early), Some(vec!["no_review_rule"]));
    }
}
