//! Party age (*tuổi đảng*): the time from the admission decision (or the card's admission date,
//! [`History::age_from`]) minus the gaps (*thời gian gián đoạn*): out of the Party, out of
//! contact, between organisations in a transfer. A re-admitted member counts from the first
//! admission minus the time out; a wrongful expulsion that was annulled leaves no gap (the replay
//! gives none). Counting stops at death.
//!
//! A gap delays every later milestone by its calendar length (whole months, then days): eight
//! months out of contact move the 30-year date by exactly eight months. Full months and years of
//! party age are defined by the same rule, so `party_age(h, d).years >= n` exactly when
//! `milestone_date(h, n) <= d`.

use super::replay::History;
use crate::date::{add_months, months_by_calendar_month};
use crate::member::MemberStatus;
use serde::Serialize;
use time::{Date, Duration};

/// Party age on a date: full years and months of counted time, the days after the last full
/// month, and the total of counted days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PartyAge {
    pub years: i32,
    pub months: i32,
    pub days: i64,
    pub counted_days: i64,
}

/// A gap as `[from, to)`; `to = None` is still open.
type Period = (Date, Option<Date>);

/// The calendar length of `[from, to)`: whole months, then the remaining days.
fn calendar_length(from: Date, to: Date) -> (i32, i64) {
    let mut months = months_by_calendar_month(from, to).max(0);
    while months > 0 && add_months(from, months) > to {
        months -= 1;
    }
    (months, (to - add_months(from, months)).whole_days())
}

/// The date on which counted time since `from` reaches `months` months: the plain date delayed
/// by the calendar length of each gap that starts before it (as delayed so far). `None` when such
/// a gap is still open. `gaps` are sorted by start.
fn reach(from: Date, gaps: &[Period], months: i32) -> Option<Date> {
    let mut at = add_months(from, months);
    for &(start, end) in gaps.iter().filter(|(start, _)| *start >= from) {
        if start >= at {
            break;
        }
        let (m, d) = calendar_length(start, end?);
        at = add_months(at, m).saturating_add(Duration::days(d));
    }
    Some(at)
}

/// The replay's gaps as periods, sorted by start.
fn gaps_of(h: &History) -> Vec<Period> {
    let mut gaps: Vec<Period> = h.gaps.iter().map(|g| (g.from, g.to)).collect();
    gaps.sort();
    gaps
}

/// The gaps as known on `on`: those started by then, and any not ended by then still open.
pub(crate) fn gaps_known_on(h: &History, on: Date) -> Vec<Period> {
    gaps_of(h).into_iter().filter(|(from, _)| *from <= on).map(|(from, to)| (from, to.filter(|t| *t <= on))).collect()
}

/// The date of death, if the member died.
fn death(h: &History) -> Option<Date> {
    (h.state.standing == Some(MemberStatus::Deceased)).then_some(h.state.ended_on).flatten()
}

fn overlap(gaps: &[Period], from: Date, to: Date) -> i64 {
    gaps.iter()
        .filter_map(|&(s, e)| {
            let (s, e) = (s.max(from), e.unwrap_or(to).min(to));
            (s < e).then(|| (e - s).whole_days())
        })
        .sum()
}

/// Party age on `on` (counting stops at death). `None` before the party age starts.
pub fn party_age(h: &History, on: Date) -> Option<PartyAge> {
    let from = h.age_from?;
    let end = death(h).map_or(on, |d| d.min(on));
    if end < from {
        return None;
    }
    // Gaps up to `end`, open ones running to it.
    let gaps: Vec<Period> = gaps_of(h)
        .into_iter()
        .filter(|(s, _)| *s < end)
        .map(|(s, e)| (s, Some(e.map_or(end, |e| e.min(end)))))
        .collect();
    let reached = |months: i32| reach(from, &gaps, months).is_some_and(|d| d <= end);
    // The largest number of full months reached by `end`, by bisection (`reach` is monotone).
    let (mut lo, mut hi) = (0, months_by_calendar_month(from, end).max(0));
    while lo < hi {
        let mid = lo + (hi - lo + 1) / 2;
        if reached(mid) { lo = mid } else { hi = mid - 1 }
    }
    let last = reach(from, &gaps, lo).unwrap_or(from);
    Some(PartyAge {
        years: lo / 12,
        months: lo % 12,
        days: (end - last).whole_days() - overlap(&gaps, last, end),
        counted_days: (end - from).whole_days() - overlap(&gaps, from, end),
    })
}

/// The date party age reaches `years` full years. `None` when no party age is recorded, when a
/// gap that starts before the milestone is still open, or when the member died before it (see
/// [`projected_milestone`]).
pub fn milestone_date(h: &History, years: i32) -> Option<Date> {
    projected_milestone(h, years).filter(|m| death(h).is_none_or(|d| *m <= d))
}

/// The date party age would reach `years` full years, ignoring death: for a deceased member,
/// the date they would have reached it (posthumous badges).
pub fn projected_milestone(h: &History, years: i32) -> Option<Date> {
    reach(h.age_from?, &gaps_of(h), years.checked_mul(12)?)
}

/// [`projected_milestone`] with the gaps as they were known on `on`.
pub(crate) fn projected_milestone_on(h: &History, years: i32, on: Date) -> Option<Date> {
    reach(h.age_from?, &gaps_known_on(h, on), years.checked_mul(12)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::life::event::{DisciplineForm, Event, EventKind};
    use crate::life::replay::replay;
    use time::macros::date;
    use uuid::Uuid;

    use crate::life::event::test_event as ev;

    fn admitted(on: Date) -> Vec<Event> {
        vec![ev(1, EventKind::Admitted, on), ev(2, EventKind::Recognized, add_months(on, 12))]
    }

    #[test]
    fn plain_party_age() {
        let h = replay(&admitted(date!(1990 - 01 - 15)));
        let a = party_age(&h, date!(2020 - 03 - 20)).unwrap();
        assert_eq!((a.years, a.months, a.days), (30, 2, 5));
        assert_eq!(a.counted_days, (date!(2020 - 03 - 20) - date!(1990 - 01 - 15)).whole_days());
        assert_eq!(party_age(&h, date!(1990 - 01 - 14)), None);
        assert_eq!(party_age(&h, date!(1990 - 01 - 15)).unwrap().counted_days, 0);
        assert_eq!(milestone_date(&h, 30), Some(date!(2020 - 01 - 15)));
    }

    #[test]
    fn counts_from_the_decision_signing_date() {
        let mut e = admitted(date!(1990 - 01 - 20));
        e[0].decision.signed_on = Some(date!(1990 - 01 - 15));
        assert_eq!(milestone_date(&replay(&e), 30), Some(date!(2020 - 01 - 15)));
    }

    #[test]
    fn out_of_contact_delays_the_milestone_by_its_calendar_length() {
        // Admitted 15/01/1990, out of contact 01/03/2000–01/11/2000 (8 months): 30 years on 15/09/2020.
        let mut e = admitted(date!(1990 - 01 - 15));
        e.push(ev(3, EventKind::ContactLost, date!(2000 - 03 - 01)));
        e.push(ev(4, EventKind::ContactRestored, date!(2000 - 11 - 01)));
        let h = replay(&e);
        assert_eq!(milestone_date(&h, 30), Some(date!(2020 - 09 - 15)));
        assert_eq!(party_age(&h, date!(2020 - 09 - 14)).unwrap().years, 29);
        let a = party_age(&h, date!(2020 - 09 - 15)).unwrap();
        assert_eq!((a.years, a.months, a.days), (30, 0, 0));
        // A gap after the milestone does not move it.
        assert_eq!(milestone_date(&h, 10), Some(date!(2000 - 01 - 15)));
        // During the gap the age stands still.
        assert_eq!(party_age(&h, date!(2000 - 03 - 01)), party_age(&h, date!(2000 - 10 - 31)));
    }

    #[test]
    fn an_open_gap_before_the_milestone_leaves_it_unknown() {
        let mut e = admitted(date!(1990 - 01 - 15));
        e.push(ev(3, EventKind::ContactLost, date!(2000 - 03 - 01)));
        let h = replay(&e);
        assert_eq!(milestone_date(&h, 30), None);
        assert_eq!(milestone_date(&h, 10), Some(date!(2000 - 01 - 15)));
        // The open gap runs to the date asked about.
        let a = party_age(&h, date!(2030 - 01 - 01)).unwrap();
        assert_eq!((a.years, a.months), (10, 1));
        assert_eq!(a.counted_days, (date!(2000 - 03 - 01) - date!(1990 - 01 - 15)).whole_days());
    }

    #[test]
    fn readmission_counts_from_the_first_admission_minus_the_time_out() {
        let mut e = admitted(date!(1980 - 06 - 10));
        e.push(ev(3, EventKind::StruckOff, date!(1990 - 02 - 01)));
        e.push(ev(4, EventKind::Readmitted, date!(1993 - 05 - 11)));
        let h = replay(&e);
        // 3 years 3 months 10 days out.
        assert_eq!(milestone_date(&h, 30), Some(date!(2013 - 09 - 20)));
        let a = party_age(&h, date!(2013 - 09 - 20)).unwrap();
        assert_eq!((a.years, a.months, a.days), (30, 0, 0));
        // Out of the Party: the age stands still.
        assert_eq!(party_age(&h, date!(1991 - 01 - 01)).unwrap().years, 9);
    }

    #[test]
    fn a_cleared_wrongful_expulsion_is_continuous() {
        let mut e = admitted(date!(1980 - 06 - 10));
        let mut x = ev(3, EventKind::Disciplined, date!(1990 - 02 - 01));
        x.detail.form = Some(DisciplineForm::Expulsion);
        e.push(x);
        let mut c = ev(4, EventKind::ExpulsionCleared, date!(1992 - 01 - 01));
        c.ref_id = Some(Uuid::from_u128(3));
        e.push(c);
        let h = replay(&e);
        assert!(h.gaps.is_empty());
        assert_eq!(milestone_date(&h, 30), Some(date!(2010 - 06 - 10)));
    }

    #[test]
    fn counting_stops_at_death() {
        let mut e = admitted(date!(1970 - 01 - 10));
        e.push(ev(3, EventKind::Died, date!(2019 - 07 - 01)));
        let h = replay(&e);
        assert_eq!(party_age(&h, date!(2025 - 01 - 01)), party_age(&h, date!(2019 - 07 - 01)));
        assert_eq!(party_age(&h, date!(2025 - 01 - 01)).unwrap().years, 49);
        assert_eq!(milestone_date(&h, 45), Some(date!(2015 - 01 - 10)));
        assert_eq!(milestone_date(&h, 50), None);
        assert_eq!(projected_milestone(&h, 50), Some(date!(2020 - 01 - 10)));
    }

    #[test]
    fn month_ends_and_several_gaps() {
        let e = vec![
            ev(1, EventKind::Admitted, date!(2000 - 01 - 31)),
            ev(2, EventKind::ContactLost, date!(2001 - 01 - 31)),
            ev(3, EventKind::ContactRestored, date!(2001 - 02 - 28)),
            ev(4, EventKind::ContactLost, date!(2003 - 05 - 05)),
            ev(5, EventKind::ContactRestored, date!(2003 - 05 - 25)),
        ];
        let h = replay(&e);
        for years in [1, 2, 5, 10, 30] {
            let m = milestone_date(&h, years).unwrap();
            assert_eq!(party_age(&h, m).unwrap().years, years, "{years}: {m}");
            assert_eq!(party_age(&h, m.previous_day().unwrap()).unwrap().years, years - 1, "{years}: {m}");
        }
        // Counted days are the calendar days minus the gaps.
        let a = party_age(&h, date!(2004 - 01 - 01)).unwrap();
        assert_eq!(a.counted_days, (date!(2004 - 01 - 01) - date!(2000 - 01 - 31)).whole_days() - 28 - 20);
    }
}
