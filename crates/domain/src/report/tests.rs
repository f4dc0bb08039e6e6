use super::*;
use crate::Lang;
use crate::life::EventKind;
use crate::meeting::Period;
use time::Date;
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

/// Whether a change counts in a subtree: [`place`] over places that are "inside" or not.
fn counts(change: Change, on: Date, org_inside: bool, spans: &[(Date, Option<Date>, bool)]) -> bool {
    let (counted, unless) = place(change, on, Some(org_inside), spans, false);
    counted == Some(true) && unless != Some(true)
}

#[test]
fn transfers_inside_the_subtree_are_neither_in_nor_out() {
    let (d1, d2, d3) = (date!(2020 - 01 - 01), date!(2025 - 03 - 01), date!(2025 - 03 - 10));
    // Out of an inside cell to an inside cell: not out; arriving from inside: not in.
    assert!(!counts(Change::TransferredOut, d2, true, &[(d1, Some(d2), true)]));
    assert!(!counts(Change::TransferredIn, d3, true, &[(d1, Some(d2), true), (d3, None, true)]));
    // Out to elsewhere; in from elsewhere.
    assert!(counts(Change::TransferredOut, d2, false, &[(d1, Some(d2), true)]));
    assert!(counts(Change::TransferredIn, d3, true, &[(d1, Some(d2), false), (d3, None, true)]));
    // Back from outside the installation to where the member left from: in (as the way out
    // was out).
    let back = place(Change::TransferredIn, d3, Some(true), &[(d1, Some(d2), true), (d3, None, true)], true);
    assert_eq!(back, (Some(true), None));
    // Death closes the span of the organisation it happened in.
    assert!(counts(Change::Died, d2, false, &[(d1, Some(d2), true)]));
    assert!(!counts(Change::Died, d2, false, &[(d1, Some(d2), false)]));
    assert_eq!(Change::of_event(EventKind::Voided, None), None);
}

#[test]
fn village_types_from_the_first_words_of_the_village_name() {
    use VillageType::*;
    let cases = [
        (Some("Thôn 3"), Village),
        (Some("thon Dong"), Village),
        (Some("Làng Chăm"), Village),
        (Some("Bản Nà Khương"), Hamlet),
        (Some("Buôn Đôn"), Hamlet),
        (Some("Ấp 2"), Ap),
        (Some("Tổ dân phố 5"), Urban),
        (Some("Khu phố 1"), Urban),
        (Some("Khóm 4"), Urban),
        (Some("Đội 7"), Other),
        (Some("Bãi Cháy"), Other),
        (Some("  "), None),
        (Option::None, None),
    ];
    for (name, want) in cases {
        assert_eq!(VillageType::of(name), want, "{name:?}");
    }
}

#[test]
fn organisation_changes_count_merges_and_splits_apart_from_dissolutions() {
    let period = Period { from: date!(2025 - 01 - 01), to: date!(2026 - 01 - 01) };
    let facts = |est, dis, events: &[(&str, Date, bool)]| OrgFacts {
        id: uuid::Uuid::nil(),
        established_on: est,
        dissolved_on: dis,
        events: events.iter().map(|(k, d, i)| (k.to_string(), *d, *i)).collect(),
    };
    let d = date!(2025 - 07 - 01);
    assert_eq!(facts(Some(d), None, &[]).changes(period), vec![OrgChange::Created]);
    assert_eq!(facts(Some(date!(2024 - 12 - 31)), None, &[]).changes(period), vec![]);
    assert_eq!(facts(None, None, &[("established", d, false)]).changes(period), vec![OrgChange::Created]);
    assert_eq!(
        facts(None, Some(d), &[("merged", d, true), ("dissolved", d, false)]).changes(period),
        vec![OrgChange::Merged]
    );
    // The organisation merged into is no change.
    assert_eq!(facts(None, None, &[("merged", d, false)]).changes(period), vec![]);
    assert_eq!(facts(None, Some(d), &[("split", d, false)]).changes(period), vec![OrgChange::Split]);
    assert_eq!(facts(None, Some(d), &[("dissolved", d, false)]).changes(period), vec![OrgChange::Dissolved]);
    assert_eq!(facts(None, Some(date!(2026 - 01 - 01)), &[]).changes(period), vec![]);
    use crate::org::OrgKind as K;
    let at = |kind, village: Option<&str>| OrgAt { id: uuid::Uuid::now_v7(), kind, village: village.map(String::from) };
    let orgs = vec![
        at(K::SubordinateCell, Some("Thôn 1")),
        at(K::SubordinateCell, Option::None),
        at(K::PartyGroup, Some("Thôn 1")),
        at(K::Commune, Option::None),
    ];
    let f = OrgFigures::build(&orgs, &[facts(Some(d), None, &[])], period, Lang::Vi);
    assert_eq!((f.count("subordinate_cell"), f.count("commune"), f.count("party_group")), (2, 1, 1));
    assert_eq!((f.count("village"), f.count("none"), f.count("created")), (1, 1, 1));
}

#[test]
fn row_keys_name_the_rows_build_counts_a_value_in() {
    let on = date!(2026 - 12 - 04);
    let values: [(Dim, &str); 14] = [
        (Dim::Status, "official"),
        (Dim::Gender, "female"),
        (Dim::Birth, "1990-05-01"),
        (Dim::Birth, "1950-01-01"),
        (Dim::Ethnicity, "1"),
        (Dim::Ethnicity, "5"),
        (Dim::Religion, "không có"),
        (Dim::Religion, "Phật  giáo"),
        (Dim::GeneralEducation, "12/12"),
        (Dim::ProfessionalEducation, ""),
        (Dim::Theory, "advanced"),
        (Dim::Occupation, " Nông dân"),
        (Dim::Admission, "2000-03-01"),
        (Dim::Admission, "2020-03-01"),
    ];
    for (dim, value) in values {
        let s = Structure::build(on, &[g(dim, value, 1)], Lang::Vi);
        let sec = s.sections.iter().find(|x| x.key == dim.key()).expect("section");
        let mut counted: Vec<String> = sec.rows.iter().filter(|r| r.count == 1).map(|r| r.key.clone()).collect();
        let v = (!value.is_empty()).then_some(value);
        let mut keys = dim.row_keys(v, on);
        counted.sort();
        keys.sort();
        assert_eq!(keys, counted, "{dim:?} {value:?}");
        assert_eq!(Dim::of_key(dim.key()), Some(dim));
    }
}

#[test]
fn a_year_counts_admissions_and_exits_in_it_and_members_at_its_end() {
    let today = date!(2026 - 12 - 04);
    assert_eq!(year_end(2025, today), Some(date!(2025 - 12 - 31)));
    assert_eq!(year_end(2026, today), Some(today));
    // The changes counted in the subtree, by day.
    let counted = [
        (Change::Admitted, date!(2025 - 03 - 01)),
        (Change::Readmitted, date!(2024 - 03 - 01)),
        (Change::Died, date!(2025 - 05 - 01)),
        (Change::TransferredOut, date!(2025 - 05 - 01)),
    ];
    let n = |p: Period, key: &str| counted.iter().filter(|(c, on)| c.key() == key && p.contains(*on)).count() as u64;
    let points = year_points(&[2024, 2025], &[10, 11], n);
    assert_eq!(
        points,
        vec![
            YearPoint { year: 2024, members: 10, admissions: 1, exits: 0 },
            YearPoint { year: 2025, members: 11, admissions: 1, exits: 1 }
        ]
    );
}

/// A cell (30) established under commune 3 on 01/03/2025, moved under commune 2 on 01/07/2025,
/// merged away on 01/09/2025; both communes under province 1. Each change counts where the
/// cell lay on its day: its creation in commune 3, its end in commune 2 (it lay there the day
/// before), both in the province; none in the cell itself.
#[test]
fn organisation_changes_count_in_the_tree_of_their_date() {
    use crate::life::{Link, ancestry};
    let id = |n: u128| uuid::Uuid::from_u128(n);
    let (created, moved, merged) = (date!(2025 - 03 - 01), date!(2025 - 07 - 01), date!(2025 - 09 - 01));
    let link =
        |o, p: Option<u128>, from, to| Link { org_id: id(o), parent_id: p.map(id), name: String::new(), from, to };
    let mut links = std::collections::HashMap::new();
    for l in [
        link(2, Some(1), None, None),
        link(3, Some(1), None, None),
        link(30, Some(3), Some(created), Some(moved)),
        link(30, Some(2), Some(moved), Some(merged)),
    ] {
        links.entry(l.org_id).or_insert_with(Vec::new).push(l);
    }
    let above = ancestry(id(30), &links);
    let facts = OrgFacts {
        id: id(30),
        established_on: Some(created),
        dissolved_on: Some(merged),
        events: vec![
            ("established".into(), created, false),
            ("moved".into(), moved, false),
            ("merged".into(), merged, true),
        ],
    };
    let period = Period { from: date!(2025 - 01 - 01), to: date!(2026 - 01 - 01) };
    let changes = |root: u128| facts.clone().within(id(root), &above).map(|f| f.changes(period)).unwrap_or_default();
    assert_eq!(changes(1), vec![OrgChange::Created, OrgChange::Merged]);
    assert_eq!(changes(3), vec![OrgChange::Created]);
    assert_eq!(changes(2), vec![OrgChange::Merged]);
    assert_eq!(changes(30), vec![]);
    // Dissolved on the very day it came: the day before it lay in commune 3.
    let early = OrgFacts { dissolved_on: Some(moved), events: vec![], ..facts.clone() };
    let ended = |root: u128| early.clone().within(id(root), &above).map(|f| f.changes(period)).unwrap_or_default();
    assert_eq!(ended(3), vec![OrgChange::Created, OrgChange::Dissolved]);
    assert_eq!(ended(2), vec![]);
    // Dates edited outside the links (established a month before its first link, dissolved
    // a month after its last): counted where it first and last lay.
    let edited = OrgFacts {
        established_on: Some(date!(2025 - 02 - 01)),
        dissolved_on: Some(date!(2025 - 10 - 01)),
        events: vec![],
        ..facts.clone()
    };
    let moved = |root: u128| edited.clone().within(id(root), &above).map(|f| f.changes(period)).unwrap_or_default();
    assert_eq!(moved(3), vec![OrgChange::Created]);
    assert_eq!(moved(2), vec![OrgChange::Dissolved]);
    assert_eq!(moved(1), vec![OrgChange::Created, OrgChange::Dissolved]);
}
