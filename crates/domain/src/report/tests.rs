use super::*;
use crate::Lang;
use crate::life::EventKind;
use crate::meeting::Period;
use crate::member::Gender;
use time::macros::date;

fn g(dim: Dim, value: &str, count: u64) -> Group {
    Group { dim, value: (!value.is_empty()).then(|| value.to_string()), count }
}

fn section<'a>(s: &'a Structure, key: &str) -> Vec<(&'a str, &'a str, u64)> {
    let sec = s.sections.iter().find(|x| x.key == key).expect("section");
    sec.rows.iter().map(|r| (r.key.as_str(), r.label.as_str(), r.count)).collect()
}

#[test]
fn free_text_groups_by_normalised_value_with_the_commonest_spelling() {
    let groups = [
        g(Dim::Status, "official", 8),
        g(Dim::Status, "probationary", 2),
        g(Dim::Occupation, "Nông dân", 3),
        g(Dim::Occupation, "nông  dân ", 1),
        g(Dim::Occupation, "Giáo viên", 4),
        g(Dim::Occupation, "", 2),
        g(Dim::Religion, "Phật giáo", 2),
        g(Dim::Religion, "Không", 5),
        g(Dim::Religion, "", 3),
    ];
    let s = Structure::build(date!(2026 - 01 - 01), &groups, Lang::Vi);
    assert_eq!(s.total, 10);
    assert_eq!(
        section(&s, "occupation"),
        [("giao vien", "Giáo viên", 4), ("nong dan", "Nông dân", 4), ("", "Chưa ghi", 2)]
    );
    assert_eq!(section(&s, "religion"), [("none", "Không", 8), ("phat giao", "Phật giáo", 2)]);
    let occ = &s.sections.iter().find(|x| x.key == "occupation").expect("occupation").rows[0];
    assert_eq!((occ.share.num, occ.share.den), (4, 10));
}

#[test]
fn ages_and_ethnicities_fall_in_their_bands() {
    let on = date!(2026 - 06 - 30);
    let groups = [
        g(Dim::Birth, "1996-06-30", 1),     // 30 today
        g(Dim::Birth, "1996-07-01", 2),     // 29
        g(Dim::Birth, "1995-06-30", 3),     // 31
        g(Dim::Birth, "1955-06-30", 4),     // 71
        g(Dim::Admission, "2016-07-01", 5), // 9 years
        g(Dim::Admission, "1976-06-30", 6), // 50 years
        g(Dim::Ethnicity, "1", 7),
        g(Dim::Ethnicity, "2", 1),
        g(Dim::Ethnicity, "3", 2),
    ];
    let s = Structure::build(on, &groups, Lang::Vi);
    let counts = |k: &str| section(&s, k).iter().map(|r| r.2).collect::<Vec<_>>();
    assert_eq!(counts("age"), [3, 3, 0, 0, 0, 4]);
    assert_eq!(counts("party_age"), [5, 0, 0, 0, 0, 6]);
    assert_eq!(counts("ethnicity"), [7, 3, 2, 1]);
}

fn cand(change: Change, on: time::Date, org_inside: bool, spans: Vec<SpanIn>) -> Candidate {
    Candidate {
        change,
        on,
        org_inside,
        spans,
        gender: Gender::Female,
        ethnicity_code: 1,
        birth_date: date!(1990 - 01 - 01),
    }
}

fn span(from: time::Date, to: Option<time::Date>, inside: bool) -> SpanIn {
    SpanIn { from, to, inside }
}

#[test]
fn transfers_inside_the_subtree_are_neither_in_nor_out() {
    let (d1, d2, d3) = (date!(2020 - 01 - 01), date!(2025 - 03 - 01), date!(2025 - 03 - 10));
    // Out of an inside cell to an inside cell: not out; arriving from inside: not in.
    let out_internal = cand(Change::TransferredOut, d2, true, vec![span(d1, Some(d2), true)]);
    let in_internal = cand(Change::TransferredIn, d3, true, vec![span(d1, Some(d2), true), span(d3, None, true)]);
    assert!(!out_internal.counts() && !in_internal.counts());
    // Out to elsewhere; in from elsewhere.
    let out = cand(Change::TransferredOut, d2, false, vec![span(d1, Some(d2), true)]);
    let arrived = cand(Change::TransferredIn, d3, true, vec![span(d1, Some(d2), false), span(d3, None, true)]);
    assert!(out.counts() && arrived.counts());
    // Death closes the span of the organisation it happened in.
    assert!(cand(Change::Died, d2, false, vec![span(d1, Some(d2), true)]).counts());
    assert!(!cand(Change::Died, d2, false, vec![span(d1, Some(d2), false)]).counts());
    let p = Period::year(2025).expect("year");
    let c = Changes::build(p, &[out, arrived, out_internal, in_internal], Lang::Vi);
    assert_eq!((c.count(Change::TransferredOut), c.count(Change::TransferredIn)), (1, 1));
    assert_eq!(Change::of_event(EventKind::Voided, None), None);
}
