//! Limitation periods (*thời hiệu xử lý kỷ luật*, RULES.md §5): a violation at reprimand level
//! may be disciplined within 5 years, at warning or removal level within 10, at expulsion level
//! or of a grave kind at any time; a new violation within the period restarts it. A case past
//! its limitation is refused with the dates that show it.

use super::penalty::Level;
use super::rules::{GraveKind, LIMITATION};
use crate::FieldError;
use crate::date::{add_months, format_vn};
use crate::rules::in_force;
use time::Date;

/// When the limitation of a violation ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expiry {
    /// No limitation (expulsion level or a grave kind), with the source.
    None { source: &'static str },
    /// Discipline is possible before `on` (the anniversary of the violation or of the last
    /// new violation that restarted it, `from`).
    On { on: Date, from: Date, years: i32, source: &'static str },
}

/// The limitation of a violation of `level` (and `grave` kind, if any) committed on
/// `violated_on`, with the later violations `new_violations` (any order) that may restart it.
/// The rules in force on the violation's date apply (before the first sourced version: the
/// first).
pub fn expiry(level: Level, grave: Option<GraveKind>, violated_on: Date, new_violations: &[Date]) -> Expiry {
    let Some(rule) = in_force(LIMITATION, violated_on).or(LIMITATION.first()) else {
        return Expiry::None { source: "" };
    };
    let years = match level {
        Level::Expulsion => return Expiry::None { source: rule.source },
        _ if grave.is_some_and(|g| rule.value.no_limit.contains(&g)) => return Expiry::None { source: rule.source },
        Level::Reprimand => rule.value.reprimand_years,
        Level::WarningOrRemoval => rule.value.warning_years,
    };
    let mut later: Vec<Date> = new_violations.iter().copied().filter(|d| *d > violated_on).collect();
    later.sort();
    let mut from = violated_on;
    let mut on = add_months(from, years * 12);
    for d in later {
        if d < on {
            from = d;
            on = add_months(d, years * 12);
        }
    }
    Expiry::On { on, from, years, source: rule.source }
}

/// Refuse a conclusion on `concluded_on` past the limitation; field `violated_on`.
pub fn check(expiry: &Expiry, violated_on: Date, concluded_on: Date) -> Result<(), FieldError> {
    let Expiry::On { on, from, years, source } = expiry else { return Ok(()) };
    if concluded_on < *on {
        return Ok(());
    }
    let restarted = if *from == violated_on {
        String::new()
    } else {
        format!(" (tính lại từ vi phạm mới ngày {})", format_vn(*from))
    };
    let restarted_en = if *from == violated_on {
        String::new()
    } else {
        format!(" (restarted by the new violation of {})", format_vn(*from))
    };
    Err(FieldError::new(
        "violated_on",
        "limitation_expired",
        format!(
            "Đã hết thời hiệu xử lý kỷ luật: vi phạm ngày {}{restarted}, thời hiệu {years} năm, hết ngày {}; ngày kết luận {}. Căn cứ: {source}.",
            format_vn(violated_on),
            format_vn(on.previous_day().unwrap_or(*on)),
            format_vn(concluded_on)
        ),
        format!(
            "Past the limitation period: violation of {}{restarted_en}, {years} years, ended {}; concluded on {}. Source: {source}.",
            format_vn(violated_on),
            format_vn(on.previous_day().unwrap_or(*on)),
            format_vn(concluded_on)
        ),
    ))
}

/// The limitation ends within `days` after `today` (for the work list), not yet passed.
pub fn expires_within(expiry: &Expiry, today: Date, days: i64) -> bool {
    matches!(expiry, Expiry::On { on, .. } if *on > today && (*on - today).whole_days() <= days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn five_years_for_a_reprimand_level_ten_for_a_warning() {
        let v = date!(2020 - 03 - 01);
        let e = expiry(Level::Reprimand, None, v, &[]);
        assert!(matches!(e, Expiry::On { on, years: 5, .. } if on == date!(2025 - 03 - 01)));
        check(&e, v, date!(2025 - 02 - 28)).unwrap();
        let err = check(&e, v, date!(2025 - 03 - 01)).unwrap_err();
        assert_eq!((err.field.as_str(), err.code), ("violated_on", "limitation_expired"));
        assert!(err.message_vi.contains("01/03/2020") && err.message_vi.contains("28/02/2025"), "{}", err.message_vi);
        assert!(err.message_vi.contains("01/03/2025") && err.message_vi.contains("102-QĐ/TW"));
        let w = expiry(Level::WarningOrRemoval, None, v, &[]);
        check(&w, v, date!(2029 - 12 - 31)).unwrap();
        assert!(check(&w, v, date!(2030 - 03 - 01)).is_err());
    }

    #[test]
    fn no_limitation_for_expulsion_level_and_the_grave_kinds() {
        let v = date!(2000 - 01 - 01);
        assert!(matches!(expiry(Level::Expulsion, None, v, &[]), Expiry::None { .. }));
        let diplomas = expiry(Level::Reprimand, Some(GraveKind::IllegalDiplomas), date!(2023 - 01 - 01), &[]);
        check(&diplomas, date!(2023 - 01 - 01), date!(2040 - 01 - 01)).unwrap();
        // Under 102-QĐ/TW (2019) diplomas were not named: the 5 years apply.
        let old = expiry(Level::Reprimand, Some(GraveKind::IllegalDiplomas), date!(2019 - 01 - 01), &[]);
        assert!(matches!(old, Expiry::On { .. }));
        let politics = expiry(Level::Reprimand, Some(GraveKind::InternalPolitics), date!(2019 - 01 - 01), &[]);
        assert!(matches!(politics, Expiry::None { .. }));
    }

    #[test]
    fn a_new_violation_restarts_the_clock() {
        let v = date!(2018 - 06 - 10);
        // A new violation in 2022 (within the 5 years) restarts from 2022; one in 2030 (after
        // the restarted period ended in 2027) does not.
        let e = expiry(Level::Reprimand, None, v, &[date!(2030 - 01 - 01), date!(2022 - 04 - 01)]);
        assert!(
            matches!(e, Expiry::On { on, from, .. } if on == date!(2027 - 04 - 01) && from == date!(2022 - 04 - 01))
        );
        check(&e, v, date!(2026 - 12 - 04)).unwrap();
        let err = check(&e, v, date!(2027 - 04 - 01)).unwrap_err();
        assert!(err.message_vi.contains("tính lại từ vi phạm mới ngày 01/04/2022"), "{}", err.message_vi);
        // A violation after the period ended does not revive it.
        let late = expiry(Level::Reprimand, None, v, &[date!(2023 - 07 - 01)]);
        assert!(matches!(late, Expiry::On { on, .. } if on == date!(2023 - 06 - 10)));
        assert!(expires_within(&late, date!(2023 - 05 - 20), 30));
        assert!(!expires_within(&late, date!(2023 - 06 - 10), 30));
    }
}
