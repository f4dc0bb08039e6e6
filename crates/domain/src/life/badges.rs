//! Party badges (*Huy hiệu Đảng*): milestones of party age, awarded on the anniversaries of the
//! rule in force ([`rules::BADGES`]: 3/2, 19/5, 2/9, 7/11) at the base organisation.
//!
//! A badge is due on an award date when party age reached the milestone by then. A seriously ill
//! member may receive it early (12 months for 30–65 years, 24 for 70–90); a member who died may
//! receive it posthumously when they lacked at most 12 months at death. Only members in the Party
//! on the award date (or who died in it) are considered, and never for a badge already awarded.

use super::age::{milestone_date, projected_milestone_on};
use super::event::Event;
use super::replay::{History, state_on};
use crate::date::{add_months, ymd};
use crate::member::MemberStatus;
use crate::rules::{self, BADGES, Badges};
use serde::Serialize;
use std::collections::BTreeSet;
use time::Date;

/// A badge due on an award date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DueBadge {
    pub years: i32,
    /// When party age reaches (or would have reached) the milestone.
    pub reached_on: Date,
    /// Awarded before the milestone: serious illness, or posthumously.
    pub early: bool,
}

/// The award dates from `a` to `b`, both included, under the rule in force on each.
pub fn award_dates_between(a: Date, b: Date) -> Vec<Date> {
    let days: BTreeSet<(u8, u8)> = BADGES.iter().flat_map(|r| r.value.award_days.iter().copied()).collect();
    (a.year()..=b.year())
        .flat_map(|y| days.iter().filter_map(move |&(m, d)| ymd(y, m, d)))
        .filter(|d| (a..=b).contains(d))
        .filter(|d| {
            rules::in_force(BADGES, *d).is_some_and(|r| r.value.award_days.contains(&(u8::from(d.month()), d.day())))
        })
        .collect()
}

/// The first award date on or after `after_or_on` (before the first sourced rule: the first one
/// under it).
pub fn next_award_date(after_or_on: Date) -> Date {
    let start = BADGES.first().map_or(after_or_on, |r| r.effective.max(after_or_on));
    // Every version lists at least one day, so one comes within a year.
    award_dates_between(start, add_months(start, 13)).first().copied().unwrap_or(start)
}

/// The standing on `on` from the history's own events.
fn standing_on(h: &History, on: Date) -> (Option<MemberStatus>, Option<Date>) {
    let events: Vec<Event> = h.events.iter().map(|(e, _)| e.clone()).collect();
    let s = state_on(&events, on);
    (s.standing, s.ended_on)
}

/// How early a badge may come, by the rule `r`, for a member who is `ill` or `deceased`.
fn allowance(r: &Badges, years: i32, ill: bool, deceased: bool) -> i32 {
    match (deceased, ill) {
        (true, _) => r.posthumous_early_months,
        (false, true) => r.ill_early_months(years),
        (false, false) => 0,
    }
}

/// The badges due to the member on `award_on`, by increasing milestone: not in `awarded`, reached
/// by the award date (a deceased member: by death), or within the early allowance when `ill`
/// (a deceased member: the posthumous allowance). Gaps are taken as known on the award date; a
/// gap still open then (e.g. out of contact) holds back every later milestone. Members out of
/// the Party on the award date (struck off, left, expelled) get none. The caller decides whether
/// to award every badge listed or only the highest.
pub fn due_badges(h: &History, award_on: Date, awarded: &[i32], ill: bool) -> Vec<DueBadge> {
    let Some(rule) = rules::in_force(BADGES, award_on) else { return Vec::new() };
    let (standing, ended_on) = standing_on(h, award_on);
    // The date party age is judged on: the award date, or the date of death.
    let (judged_on, deceased) = match (standing, ended_on) {
        (Some(s), _) if s.is_active() => (award_on, false),
        (Some(MemberStatus::Deceased), Some(died)) => (died, true),
        _ => return Vec::new(),
    };
    rule.value
        .milestones
        .iter()
        .filter(|y| !awarded.contains(y))
        .filter_map(|&years| {
            let reached_on = projected_milestone_on(h, years, award_on)?;
            let early_by = allowance(&rule.value, years, ill, deceased);
            (add_months(reached_on, -early_by) <= judged_on).then_some(DueBadge {
                years,
                reached_on,
                early: reached_on > judged_on,
            })
        })
        .collect()
}

/// The highest milestone of the rule in force on `on` that party age has reached by then.
pub fn latest_milestone_by(h: &History, on: Date) -> Option<i32> {
    let rule = rules::in_force(BADGES, on)?;
    rule.value.milestones.iter().rev().copied().find(|&y| milestone_date(h, y).is_some_and(|d| d <= on))
}

/// For prefiltering a work list: the latest date party age can have started ([`History::age_from`],
/// the admission decision's date) for the badge for `years` to be due on `award_on`. Gaps only
/// delay milestones, so later starts can be skipped. `ill = true` also allows for any early award
/// (illness or posthumous); `false` gives the bound for on-time awards. Without a rule in force,
/// the on-time bound.
pub fn admitted_on_or_before_for(years: i32, award_on: Date, ill: bool) -> Date {
    let early_by = rules::in_force(BADGES, award_on).map_or(0, |r| {
        if ill { allowance(&r.value, years, true, false).max(allowance(&r.value, years, false, true)) } else { 0 }
    });
    let months = years.saturating_mul(12);
    // Due at the earliest on this date when party age starts on `start` with no gap.
    let earliest = |start: Date| add_months(add_months(start, months), -early_by);
    let mut bound = add_months(add_months(award_on, early_by), -months);
    // `add_months` clamps month ends, so step to the exact bound.
    while earliest(bound) > award_on {
        let Some(d) = bound.previous_day() else { break };
        bound = d;
    }
    while let Some(next) = bound.next_day().filter(|d| earliest(*d) <= award_on) {
        bound = next;
    }
    bound
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::life::event::EventKind;
    use crate::life::replay::replay;
    use time::macros::date;

    use crate::life::event::test_event as ev;

    fn member(admitted: Date, more: &[(EventKind, Date)]) -> History {
        let mut e = vec![ev(1, EventKind::Admitted, admitted), ev(2, EventKind::Recognized, add_months(admitted, 12))];
        for (i, &(k, d)) in more.iter().enumerate() {
            e.push(ev(10 + i as u128, k, d));
        }
        replay(&e)
    }

    fn years(v: &[DueBadge]) -> Vec<(i32, bool)> {
        v.iter().map(|b| (b.years, b.early)).collect()
    }

    #[test]
    fn the_badge_rule_is_sourced() {
        assert!(BADGES.windows(2).all(|w| w[0].effective < w[1].effective));
        assert!(BADGES.iter().all(|b| !b.value.award_days.is_empty() && b.source.contains("24-QĐ/TW")));
        let r = &BADGES[0].value;
        assert_eq!((r.ill_early_months(30), r.ill_early_months(65), r.ill_early_months(70)), (12, 12, 24));
        assert_eq!(r.ill_early_months(90), 24);
    }

    #[test]
    fn award_dates() {
        assert_eq!(
            award_dates_between(date!(2025 - 01 - 01), date!(2025 - 12 - 31)),
            vec![date!(2025 - 02 - 03), date!(2025 - 05 - 19), date!(2025 - 09 - 02), date!(2025 - 11 - 07)]
        );
        assert_eq!(award_dates_between(date!(2025 - 05 - 19), date!(2025 - 09 - 02)).len(), 2);
        assert!(award_dates_between(date!(2025 - 05 - 20), date!(2025 - 09 - 01)).is_empty());
        assert_eq!(next_award_date(date!(2025 - 05 - 19)), date!(2025 - 05 - 19));
        assert_eq!(next_award_date(date!(2025 - 11 - 08)), date!(2026 - 02 - 03));
        // Before the first sourced rule: the first award date under it.
        assert_eq!(next_award_date(date!(2010 - 01 - 01)), date!(2021 - 09 - 02));
    }

    #[test]
    fn due_on_time_and_never_twice() {
        let h = member(date!(1995 - 05 - 10), &[]);
        let award = date!(2025 - 05 - 19);
        assert_eq!(years(&due_badges(&h, award, &[], false)), vec![(30, false)]);
        assert_eq!(due_badges(&h, award, &[], false)[0].reached_on, date!(2025 - 05 - 10));
        assert!(due_badges(&h, award, &[30], false).is_empty());
        // Not yet on the previous award date.
        assert!(due_badges(&h, date!(2025 - 02 - 03), &[], false).is_empty());
        assert_eq!(latest_milestone_by(&h, award), Some(30));
        assert_eq!(latest_milestone_by(&h, date!(2025 - 05 - 09)), None);
    }

    #[test]
    fn early_for_serious_illness() {
        // 30 years on 10/05/2026: up to 12 months early when seriously ill.
        let h = member(date!(1996 - 05 - 10), &[]);
        assert!(due_badges(&h, date!(2025 - 05 - 19), &[], false).is_empty());
        assert_eq!(years(&due_badges(&h, date!(2025 - 05 - 19), &[], true)), vec![(30, true)]);
        assert!(due_badges(&h, date!(2025 - 05 - 09), &[], true).is_empty());
        // 70 years: up to 24 months early.
        let h = member(date!(1957 - 01 - 10), &[]);
        assert_eq!(
            years(&due_badges(&h, date!(2025 - 02 - 03), &[30, 40, 45, 50, 55, 60, 65], true)),
            vec![(70, true)]
        );
        assert!(due_badges(&h, date!(2025 - 02 - 03), &[30, 40, 45, 50, 55, 60, 65], false).is_empty());
    }

    #[test]
    fn posthumous_within_twelve_months() {
        // 55 years on 10/07/2020, died 14/01/2020 lacking 6 months: posthumous, early.
        let h = member(date!(1965 - 07 - 10), &[(EventKind::Died, date!(2020 - 01 - 14))]);
        let awarded = [30, 40, 45, 50];
        let due = due_badges(&h, date!(2025 - 02 - 03), &awarded, false);
        assert_eq!(years(&due), vec![(55, true)]);
        // Lacking more than 12 months: not due.
        let h = member(date!(1966 - 02 - 10), &[(EventKind::Died, date!(2020 - 01 - 14))]);
        assert!(due_badges(&h, date!(2025 - 02 - 03), &awarded, false).is_empty());
    }

    #[test]
    fn out_of_the_party_gets_none() {
        let h = member(date!(1990 - 01 - 10), &[(EventKind::StruckOff, date!(2024 - 01 - 01))]);
        assert!(due_badges(&h, date!(2025 - 02 - 03), &[], false).is_empty());
        // But on an award date before the striking off, the badge was due.
        assert_eq!(years(&due_badges(&h, date!(2022 - 02 - 03), &[], false)), vec![(30, false)]);
        // Out of contact on the award date: the open gap holds the milestone back.
        let h = member(date!(1990 - 01 - 10), &[(EventKind::ContactLost, date!(2010 - 01 - 01))]);
        assert!(due_badges(&h, date!(2025 - 02 - 03), &[], false).is_empty());
    }

    #[test]
    fn prefilter_bound_is_exact_without_gaps() {
        for (award, ill) in
            [(date!(2025 - 02 - 03), false), (date!(2025 - 05 - 19), true), (date!(2024 - 02 - 29), false)]
        {
            for years in [30, 45, 70] {
                let bound = admitted_on_or_before_for(years, award, ill);
                for (start, due) in [(bound, true), (bound.next_day().unwrap(), false)] {
                    let h = member(start, &[]);
                    let got = due_badges(&h, award, &[], ill).iter().any(|b| b.years == years);
                    assert_eq!(got, due, "{years} {award} {ill} {start}");
                }
            }
        }
        assert_eq!(admitted_on_or_before_for(30, date!(2025 - 09 - 02), false), date!(1995 - 09 - 02));
        assert_eq!(admitted_on_or_before_for(70, date!(2025 - 09 - 02), true), date!(1957 - 09 - 02));
    }
}
