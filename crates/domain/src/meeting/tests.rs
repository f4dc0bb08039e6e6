//! Scenario: a commune of 127 members in 10 cells over 2025 (the size of Quế Lộc commune,
//! RULES.md §9), with a known pattern of missed meetings and absences; every figure is checked
//! exactly, from the roll through attendance, ratings and the work list to the compliance
//! figures.
//!
//! - Cells of 15, 14, 13, 13 and six of 12 members; in each, the last member is probationary.
//! - Every cell meets on the 10th of each month, the thematic meeting combined with the regular
//!   one in the last month of each quarter (95 minutes regular, 110 combined), except: cell 8
//!   holds nothing in July and August; cell 9 holds nothing in March, combines in February
//!   instead, and holds no thematic meeting in the third quarter.
//! - Absences: cell 0 member 0 excused January–April (4 in a row); cell 1 member 0 absent without
//!   reason in May, June and September; cell 2 member 0 exempt all year; cell 3 member 0 excused
//!   in January and February, absent without reason in March; cell 4 member 0 on special duty
//!   June–August.

use super::*;
use crate::date::ymd;
use crate::member::MemberStatus;
use std::collections::BTreeMap;
use time::macros::date;
use uuid::Uuid;

const SIZES: [u32; 10] = [15, 14, 13, 13, 12, 12, 12, 12, 12, 12];

fn cell_id(c: usize) -> Uuid {
    Uuid::from_u128(1000 + c as u128)
}

fn member_id(c: usize, m: u32) -> Uuid {
    Uuid::from_u128(((c as u128) << 16) | u128::from(m))
}

fn kind(c: usize, month: u8) -> Option<MeetingKind> {
    match (c, month) {
        (8, 7 | 8) | (9, 3) => None,
        (9, 2) => Some(MeetingKind::Combined),
        (9, 9) => Some(MeetingKind::Regular),
        (_, 3 | 6 | 9 | 12) => Some(MeetingKind::Combined),
        _ => Some(MeetingKind::Regular),
    }
}

fn mark(c: usize, m: u32, month: u8) -> Mark {
    match (c, m, month) {
        (0, 0, 1..=4) | (3, 0, 1 | 2) => Mark::Excused,
        (1, 0, 5 | 6 | 9) | (3, 0, 3) => Mark::Unexcused,
        (2, 0, _) => Mark::Exempt,
        (4, 0, 6..=8) => Mark::SpecialDuty,
        _ => Mark::Present,
    }
}

fn rows(c: usize) -> Vec<RollRow> {
    (0..SIZES[c])
        .map(|m| RollRow {
            member_id: member_id(c, m),
            standing: if m + 1 == SIZES[c] { MemberStatus::Probationary } else { MemberStatus::Official },
            exempt: c == 2 && m == 0,
            suspended: false,
            attachment: Attachment::Home,
        })
        .collect()
}

fn lines(c: usize, month: u8) -> Vec<Line> {
    rows(c).into_iter().zip(0..).map(|(row, m)| Line { row, mark: Some(mark(c, m, month)) }).collect()
}

struct Commune {
    records: Vec<CellRecord>,
    marked: Vec<Vec<Marked>>,
}

/// The year of meetings, each rated on the default sheet with full judged scores.
fn commune() -> Commune {
    let judged = [("preparation", 20), ("principles", 10), ("resolution", 15)];
    let full = MinutesContent {
        time: true,
        place: true,
        chair: true,
        recorder: true,
        agenda: true,
        opinions: true,
        conclusions: true,
    };
    let (mut records, mut marked) = (Vec::new(), Vec::new());
    for c in 0..SIZES.len() {
        let (mut meetings, mut history) = (Vec::new(), Vec::new());
        for month in 1..=12u8 {
            let Some(kind) = kind(c, month) else { continue };
            let on = ymd(2025, month, 10).unwrap();
            let lines = lines(c, month);
            assert!(check_marks(&lines).is_ok());
            history.push(Marked {
                on,
                kind,
                marks: lines.iter().map(|l| (l.row.member_id, l.mark.unwrap())).collect(),
            });
            let counts = counts(&lines);
            let duration_minutes = if kind == MeetingKind::Combined { 110 } else { 95 };
            let facts = Facts {
                on,
                kind,
                duration_minutes,
                counts,
                speakers: counts.present / 2,
                minutes: full,
                over_excused_run: over_excused_run(&history),
            };
            let rating = assess(&DEFAULT_SHEET, &facts, &judged).unwrap().rating;
            let id = Uuid::from_u128(((c as u128) << 8) | u128::from(month));
            meetings.push(MeetingRow { id, on, kind, counts, rating: Some(rating) });
        }
        records.push(CellRecord { cell_id: cell_id(c), from: Some(date!(2020 - 01 - 01)), to: None, meetings });
        marked.push(history);
    }
    Commune { records, marked }
}

fn meeting_id(c: usize, month: u8) -> Uuid {
    Uuid::from_u128(((c as u128) << 8) | u128::from(month))
}

#[test]
fn rolls_and_vote_base() {
    assert_eq!(SIZES.iter().sum::<u32>(), 127);
    let totals = (0..10)
        .map(|c| roll(&rows(c)))
        .fold((0, 0, 0), |(o, p, e), r| (o + r.official, p + r.probationary, e + r.expected.len()));
    assert_eq!(totals, (117, 10, 126));
    assert_eq!(roll(&rows(2)).exempt, [member_id(2, 0)]);
    // Cell 0 in April: 14 official, member 0 excused → base 13, 13 official present.
    let b = vote_base(&lines(0, 4));
    assert_eq!((b.official, b.excused, b.present, b.base), (14, 1, 13, 13));
    assert!(check_resolution(date!(2025 - 04 - 10), 7, b.base).is_ok());
    assert!(!check_resolution(date!(2025 - 04 - 10), 6, b.base).is_ok());
}

#[test]
fn the_year_figures() {
    let c = commune();
    let f = figures(&c.records, Period::year(2025).unwrap());
    let cells = |ids: &[usize]| ids.iter().map(|&i| cell_id(i)).collect::<Vec<_>>();
    assert_eq!(f.regular.share, Share::new(8, 10));
    assert_eq!(f.regular.behind, cells(&[8, 9]));
    assert_eq!(f.regular.met, cells(&[0, 1, 2, 3, 4, 5, 6, 7]));
    assert_eq!(f.thematic.share, Share::new(9, 10));
    assert_eq!(f.thematic.behind, cells(&[9]));
    assert_eq!(
        f.missing_regular,
        BTreeMap::from([((2025, 3), cells(&[9])), ((2025, 7), cells(&[8])), ((2025, 8), cells(&[8]))])
    );
    assert_eq!(f.missing_thematic, BTreeMap::from([((2025, 3), cells(&[9]))]));
    // 117 meetings. Base: 103 members × 12 in cells 0–7, less 12 exempt marks and 3 special duty,
    // + 12 × 10 (cell 8) + 12 × 11 (cell 9) = 1,473; 10 absences in the base.
    assert_eq!(f.meetings.len(), 117);
    assert_eq!(f.attendance, Share::new(1463, 1473));
    // Khá: cell 0 in April (4th excused absence in a row), cell 1 in May, June and September and
    // cell 3 in March (absent without reason), and every December meeting (combined, 110 minutes
    // < 120 under 42-HD/BTCTW from 28/10/2025). Everything else is Tốt.
    let mut fair = vec![meeting_id(0, 4), meeting_id(1, 5), meeting_id(1, 6), meeting_id(1, 9), meeting_id(3, 3)];
    fair.extend((0..10).map(|c| meeting_id(c, 12)));
    fair.sort();
    let mut got = f.ratings[&Rating::Fair].clone();
    got.sort();
    assert_eq!(got, fair);
    assert_eq!(f.ratings[&Rating::Good].len(), 102);
    assert_eq!(f.ratings.len(), 2);
    assert!(f.unrated.is_empty());
}

#[test]
fn quarter_and_month_figures() {
    let c = commune();
    let q = |n| figures(&c.records, Period::quarter(2025, n).unwrap());
    let (q1, q3) = (q(1), q(3));
    assert_eq!((q1.regular.share, q1.thematic.share), (Share::new(9, 10), Share::new(10, 10)));
    assert_eq!((q3.regular.share, q3.thematic.share), (Share::new(9, 10), Share::new(9, 10)));
    assert_eq!((q3.regular.behind.clone(), q3.thematic.behind.clone()), (vec![cell_id(8)], vec![cell_id(9)]));
    let march = figures(&c.records, Period::month(2025, 3).unwrap());
    assert_eq!(march.regular.share, Share::new(9, 10));
    assert_eq!(march.thematic.not_assessed.len(), 10);
    // March: cells 0–8 meet (115 members, 1 exempt → base 114); 2 absent (cells 0 and 3).
    assert_eq!(march.attendance, Share::new(112, 114));
}

#[test]
fn the_work_list() {
    let c = commune();
    let list: Vec<Absentee> = c.marked.iter().flat_map(|m| absence_worklist(m)).collect();
    let brief: Vec<_> = list
        .iter()
        .map(|a| (a.member_id, a.longest_in_a_row, a.longest_excused_in_a_row, a.unexcused, a.concerns.clone()))
        .collect();
    assert_eq!(
        brief,
        [
            (member_id(0, 0), 4, 4, 0, vec![Concern::InARow, Concern::ExcusedOverLimit]),
            (member_id(1, 0), 2, 0, 3, vec![Concern::Unexcused, Concern::StrikeOffGround]),
            (member_id(3, 0), 3, 2, 1, vec![Concern::InARow, Concern::Unexcused]),
        ]
    );
    assert_eq!(list[1].last_absence, Some(date!(2025 - 09 - 10)));
}
