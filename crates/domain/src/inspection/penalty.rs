//! Discipline forms of members and organisations (*hình thức kỷ luật*, 69-QĐ/TW; the dated rule
//! [`crate::rules::DISCIPLINE_FORMS`]), their weight, the level of a violation, and the secret
//! ballot that decides a form (Charter art. 39; 69-QĐ/TW): a form needs the votes of more than
//! half of the body's members; when no form has them, the votes for heavier forms count for the
//! next lighter one.

use crate::FieldError;
use crate::life::DisciplineForm;
use crate::life::event::coded_enum;
use crate::rules::{self, DISCIPLINE_FORMS};
use serde::{Deserialize, Serialize};
use time::Date;

coded_enum! {
    /// A discipline form, of a member or of an organisation, lightest first.
    Penalty {
        Reprimand = "reprimand", "Khiển trách", "Reprimand";
        Warning = "warning", "Cảnh cáo", "Warning";
        /// Members holding a post only.
        Removal = "removal", "Cách chức", "Removal from post";
        Expulsion = "expulsion", "Khai trừ", "Expulsion";
        /// Organisations only (*giải tán*).
        Dissolution = "dissolution", "Giải tán", "Dissolution";
    }
}

/// The level of a violation (*mức độ vi phạm*), which fixes its limitation period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// To the point of a reprimand (*đến mức khiển trách*).
    Reprimand,
    /// To the point of a warning or removal (for an organisation: a warning).
    WarningOrRemoval,
    /// To the point of expulsion (for an organisation: dissolution).
    Expulsion,
}

impl Penalty {
    /// The member's event form, when it is a member's form.
    pub fn member_form(self) -> Option<DisciplineForm> {
        match self {
            Penalty::Reprimand => Some(DisciplineForm::Reprimand),
            Penalty::Warning => Some(DisciplineForm::Warning),
            Penalty::Removal => Some(DisciplineForm::Removal),
            Penalty::Expulsion => Some(DisciplineForm::Expulsion),
            Penalty::Dissolution => None,
        }
    }

    /// The level of violation this form answers.
    pub fn level(self) -> Level {
        match self {
            Penalty::Reprimand => Level::Reprimand,
            Penalty::Warning | Penalty::Removal => Level::WarningOrRemoval,
            Penalty::Expulsion | Penalty::Dissolution => Level::Expulsion,
        }
    }

    /// The forms for an organisation (`org`) or an official member on `on`, lightest first.
    pub fn forms_for(org: bool, on: Date) -> Vec<Penalty> {
        let rule = rules::in_force(DISCIPLINE_FORMS, on).or(DISCIPLINE_FORMS.first());
        let codes = rule.map(|r| if org { r.value.organisations } else { r.value.official }).unwrap_or(&[]);
        codes.iter().filter_map(|c| Penalty::parse(c)).collect()
    }

    /// Whether the form fits an organisation (`org`) or a member on `on`; field `form`.
    pub fn check_subject(self, org: bool, on: Date) -> Result<(), FieldError> {
        if Penalty::forms_for(org, on).contains(&self) {
            return Ok(());
        }
        let (vi, en) =
            if org { ("một tổ chức đảng", "an organisation") } else { ("một đảng viên", "a member") };
        Err(FieldError::new(
            "form",
            "form_not_for_subject",
            format!("Hình thức kỷ luật: «{}» không áp dụng cho {vi}.", self.label(crate::Lang::Vi)),
            format!("Discipline form: «{}» does not apply to {en}.", self.label(crate::Lang::En)),
        ))
    }
}

/// The secret ballot of the competent body (*bỏ phiếu kín*): its members, and the ballots for
/// each form (heaviest first or in any order) and for no discipline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ballot {
    pub members: u32,
    pub for_form: Vec<(Penalty, u32)>,
    pub for_none: u32,
}

impl Ballot {
    /// Fields `votes`: more ballots than members.
    pub fn check(&self) -> Result<(), FieldError> {
        // Summed as u64: each count is a u32 from the form.
        let cast: u64 = self.for_form.iter().map(|(_, n)| u64::from(*n)).sum::<u64>() + u64::from(self.for_none);
        if self.members == 0 || cast > u64::from(self.members) {
            return Err(FieldError::new(
                "votes",
                "votes_over_members",
                format!("Số phiếu: {cast} phiếu nhưng tổ chức có {} thành viên.", self.members),
                format!("Votes: {cast} ballots but the body has {} members.", self.members),
            ));
        }
        Ok(())
    }

    /// The form decided: the heaviest whose votes, with those for heavier forms, are more than
    /// half of the members; `None` when not even the lightest has them.
    pub fn decided(&self) -> Option<Penalty> {
        let mut forms: Vec<(Penalty, u32)> = self.for_form.clone();
        forms.sort_by_key(|(p, _)| std::cmp::Reverse(*p));
        let mut running = 0u64;
        for (p, n) in forms {
            running += u64::from(n);
            if running * 2 > u64::from(self.members) {
                return Some(p);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn forms_by_subject_from_the_dated_rule() {
        let on = date!(2025 - 01 - 01);
        assert_eq!(Penalty::forms_for(true, on), vec![Penalty::Reprimand, Penalty::Warning, Penalty::Dissolution]);
        assert_eq!(Penalty::forms_for(false, on).len(), 4);
        assert_eq!(Penalty::Dissolution.check_subject(false, on).unwrap_err().code, "form_not_for_subject");
        assert!(Penalty::Removal.check_subject(true, on).is_err());
        assert_eq!(Penalty::Warning.member_form(), Some(DisciplineForm::Warning));
        assert_eq!(Penalty::Removal.level(), Level::WarningOrRemoval);
    }

    #[test]
    fn the_ballot_carries_heavier_votes_down() {
        // A cell of 9: 3 for expulsion, 2 for warning, 4 for reprimand: none has 5 alone;
        // expulsion 3, warning 3+2 = 5 > 4.5 → warning.
        let b = Ballot {
            members: 9,
            for_form: vec![(Penalty::Reprimand, 4), (Penalty::Expulsion, 3), (Penalty::Warning, 2)],
            for_none: 0,
        };
        assert_eq!(b.decided(), Some(Penalty::Warning));
        // Exactly half is not more than half.
        let half = Ballot { members: 8, for_form: vec![(Penalty::Reprimand, 4)], for_none: 4 };
        assert_eq!(half.decided(), None);
        let over = Ballot { members: 5, for_form: vec![(Penalty::Reprimand, 4)], for_none: 3 };
        assert_eq!(over.check().unwrap_err().field, "votes");
        // Counts that would wrap round a u32 to one ballot are still more than one member.
        let wrapping =
            Ballot { members: 1, for_form: vec![(Penalty::Warning, u32::MAX), (Penalty::Reprimand, 2)], for_none: 0 };
        assert_eq!(wrapping.check().unwrap_err().code, "votes_over_members");
        assert_eq!(wrapping.decided(), Some(Penalty::Warning));
    }
}
