//! Who is not rated in a round (*chưa xếp loại*, 21-HD/BTCTW; 232): members admitted less than
//! six months before the end of the period, members exempt from work and activities on its
//! last day, organisations established less than six months before it. They still
//! self-assess; they are counted apart and left out of the base of every share.

use super::rules::ReviewRules;
use crate::date::add_months;
use crate::life::event::coded_enum;
use serde::{Deserialize, Serialize};
use time::Date;

coded_enum! {
    /// Why a member or an organisation is not rated in a round.
    NotRated {
        /// Admitted (or re-admitted) less than the rule's months before the end of the period.
        RecentlyAdmitted = "recently_admitted", "Kết nạp chưa đủ 6 tháng", "Admitted less than 6 months before";
        /// Exempt from work and activities on the last day of the period.
        Exempt = "exempt", "Được miễn công tác và sinh hoạt đảng", "Exempt from work and activities";
        /// An organisation established less than the rule's months before the end of the period.
        RecentlyEstablished = "recently_established", "Thành lập chưa đủ 6 tháng", "Established less than 6 months before";
    }
}

/// Whether `since` lies at least `months` whole months before the end of the period that
/// closes on `last_day` (admitted 01/07 is rated in a year ending 31/12, admitted 02/07 is not).
fn long_enough(since: Date, months: i32, last_day: Date) -> bool {
    last_day.next_day().is_none_or(|end| add_months(since, months) <= end)
}

/// Why a member is not rated, if so. `admitted`: the latest admission or re-admission.
pub fn member_not_rated(rules: &ReviewRules, last_day: Date, admitted: Option<Date>, exempt: bool) -> Option<NotRated> {
    if admitted.is_some_and(|a| !long_enough(a, rules.member_months, last_day)) {
        Some(NotRated::RecentlyAdmitted)
    } else if exempt && rules.exempt_not_rated {
        Some(NotRated::Exempt)
    } else {
        None
    }
}

/// Why an organisation is not rated, if so.
pub fn org_not_rated(rules: &ReviewRules, last_day: Date, established: Option<Date>) -> Option<NotRated> {
    established.filter(|e| !long_enough(*e, rules.org_months, last_day)).map(|_| NotRated::RecentlyEstablished)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::rules::rules_for;
    use time::macros::date;

    #[test]
    fn six_whole_months_before_the_end() {
        let Some(r) = rules_for(date!(2025 - 12 - 31)).map(|r| r.value) else { return };
        let end = date!(2025 - 12 - 31);
        assert_eq!(member_not_rated(&r, end, Some(date!(2025 - 07 - 01)), false), None);
        assert_eq!(member_not_rated(&r, end, Some(date!(2025 - 07 - 02)), false), Some(NotRated::RecentlyAdmitted));
        assert_eq!(member_not_rated(&r, end, Some(date!(2010 - 03 - 03)), true), Some(NotRated::Exempt));
        // A quarter ending 30/09/2025: admitted on 01/04/2025 is rated, on 02/04/2025 not.
        let q3 = date!(2025 - 09 - 30);
        assert_eq!(member_not_rated(&r, q3, Some(date!(2025 - 04 - 01)), false), None);
        assert_eq!(member_not_rated(&r, q3, Some(date!(2025 - 04 - 02)), false), Some(NotRated::RecentlyAdmitted));
        assert_eq!(org_not_rated(&r, end, Some(date!(2025 - 08 - 15))), Some(NotRated::RecentlyEstablished));
        assert_eq!(org_not_rated(&r, end, Some(date!(2025 - 06 - 15))), None);
        assert_eq!(org_not_rated(&r, end, None), None);
    }
}
