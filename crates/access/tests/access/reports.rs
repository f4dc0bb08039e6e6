//! The statistics report, computed a second way: the structure from the member rows read
//! directly and banded by hand, the changes by replaying each member's events and asking where
//! the member was just before and just after each one. Both engines, a fixture with members in
//! every band and every kind of change; and who may read it.

use crate::common;

use chibo_access::domain::Lang;
use chibo_access::domain::access::Role;
use chibo_access::domain::life::Decision;
use chibo_access::domain::life::{
    DisciplineForm, Effect, Event, EventKind, Placement, StrikeOffGround, replay, state_before, state_on,
};
use chibo_access::domain::member::{MemberStatus, TheoryLevel};
use chibo_access::domain::org::OrgKind;
use chibo_access::domain::report::Structure;
use chibo_access::{Dated, Org, Problem, Report};
use chibo_store::{change_days, events, history, members, orgs, reports};
use common::today;
use common::{Env, Person, With, d, each_engine, ev, member_input};
use std::collections::{BTreeMap, HashMap};
use time::Date;
use uuid::Uuid;

pub(crate) struct Tree {
    pub province: Org,
    pub a: Org,
    pub b: Org,
    pub a1: Org,
    pub a2: Org,
    pub b1: Org,
}

pub(crate) async fn tree(env: &Env) -> Tree {
    tree_under(env, None).await
}

/// [`tree`] with its province under `parent` (the centre).
pub(crate) async fn tree_under(env: &Env, parent: Option<&Org>) -> Tree {
    let province = env.org(parent, "Đảng bộ tỉnh Lào Cai", OrgKind::Provincial).await;
    let a = env.org(Some(&province), "Đảng bộ xã An Bình", OrgKind::Commune).await;
    let b = env.org(Some(&province), "Đảng bộ xã Bảo Hà", OrgKind::Commune).await;
    let a1 = env.org(Some(&a), "Chi bộ thôn 1", OrgKind::SubordinateCell).await;
    let a2 = env.org(Some(&a), "Chi bộ thôn 2", OrgKind::SubordinateCell).await;
    let b1 = env.org(Some(&b), "Chi bộ bản 1", OrgKind::SubordinateCell).await;
    Tree { province, a, b, a1, a2, b1 }
}

const RELIGIONS: [Option<&str>; 4] = [None, Some("Không"), Some("Phật giáo"), Some("phật  giáo ")];
const TEXTS: [Option<&str>; 4] = [None, Some("12/12"), Some("Đại học"), Some("đại học")];
const JOBS: [Option<&str>; 4] = [Some("Nông dân"), Some("Giáo viên"), Some("nông dân"), None];

/// Members in every age and party-age band, with varied free text, in every cell.
pub(crate) async fn population(env: &Env, t: &Tree) {
    let cells = [&t.a1, &t.a2, &t.b1];
    for i in 0..18usize {
        let born = 2000 - 10 * (i % 6) as i32;
        let admitted = d(born + 20 + (i % 3) as i32, 3, 1);
        let p = Person { admitted, official: i % 4 != 0, female: i % 2 == 0, minority: i % 5 == 0 };
        let mut m = member_input(&format!("Người {i}"), cells[i % 3].id, p);
        m.given_name = ["An", "Bình", "Chi", "Dũng", "Em", "Giang"][i % 6].into();
        m.birth_date = d(born, 1 + (i % 12) as u8, 10);
        m.ethnicity_code = if i % 5 == 0 { [2, 3, 5][i % 3] } else { 1 };
        m.profile.religion = RELIGIONS[i % 4].map(String::from);
        m.profile.general_education = TEXTS[i % 4].map(String::from);
        m.profile.professional_education = TEXTS[(i + 1) % 4].map(String::from);
        m.profile.occupation = JOBS[i % 4].map(String::from);
        m.theory_level = TheoryLevel::ALL[i % 5];
        env.app.create_member(&env.c, m).await.expect("member");
    }
}

/// Every kind of change in 2025, in and across the communes; a voided death; one before.
pub(crate) async fn changes(env: &Env, t: &Tree) {
    let (a1, a2, b1) = (&t.a1, &t.a2, &t.b1);
    let young = Person::probationary(d(2025, 3, 1)).female().minority();
    let mut m = member_input("Mai", a1.id, young);
    m.birth_date = d(2000, 6, 1);
    env.app.create_member(&env.c, m).await.expect("young admission");
    env.member(a2, "Nam", Person::probationary(d(2025, 4, 1))).await;
    let r = env.member(a1, "Quang", Person::probationary(d(2024, 2, 1))).await;
    env.record(r.id, ev(EventKind::Recognized, d(2025, 2, 1)).votes(3, 3)).await.unwrap();
    // A1 → B1 (out of A, into B), A1 → A2 (inside A).
    let x = env.member(a1, "Xuân", Person::official(d(2010, 1, 1))).await;
    env.record(x.id, ev(EventKind::TransferredOut, d(2025, 4, 1)).org(b1.id)).await.unwrap();
    env.record(x.id, ev(EventKind::TransferredIn, d(2025, 4, 10)).org(b1.id)).await.unwrap();
    let y = env.member(a1, "Yến", Person::official(d(2010, 1, 1)).female()).await;
    env.record(y.id, ev(EventKind::TransferredOut, d(2025, 5, 1)).org(a2.id)).await.unwrap();
    env.record(y.id, ev(EventKind::TransferredIn, d(2025, 5, 5)).org(a2.id)).await.unwrap();
    // Out of the installation in February, back into another cell of A in June: out of A,
    // then into A (a member who arrives from outside, not a transfer inside A).
    let h = env.member(a2, "Hương", Person::official(d(2011, 1, 1)).female()).await;
    env.record(h.id, ev(EventKind::TransferredOut, d(2025, 2, 1))).await.unwrap();
    env.record(h.id, ev(EventKind::TransferredIn, d(2025, 6, 15)).org(a1.id)).await.unwrap();
    // Still in transit to B at the end of the period.
    let z = env.member(a2, "Zung", Person::official(d(2010, 1, 1))).await;
    env.record(z.id, ev(EventKind::TransferredOut, d(2025, 12, 20)).org(b1.id)).await.unwrap();
    let k = env.member(a1, "Khoa", Person::official(d(2012, 3, 15))).await;
    env.record(k.id, ev(EventKind::StruckOff, d(2022, 1, 10)).ground(StrikeOffGround::ReturnedCard)).await.unwrap();
    env.record(k.id, ev(EventKind::Readmitted, d(2025, 6, 1)).org(a1.id)).await.unwrap();
    let died = env.member(a2, "Đức", Person::official(d(1990, 1, 1))).await;
    env.record(died.id, ev(EventKind::Died, d(2025, 7, 1))).await.unwrap();
    let left = env.member(b1, "Lan", Person::official(d(2000, 1, 1)).female()).await;
    env.record(left.id, ev(EventKind::Left, d(2025, 8, 1))).await.unwrap();
    let off = env.member(a1, "Sơn", Person::official(d(2005, 1, 1))).await;
    env.record(off.id, ev(EventKind::StruckOff, d(2025, 9, 1)).ground(StrikeOffGround::AbandonedActivities))
        .await
        .unwrap();
    let exp = env.member(a2, "Tâm", Person::official(d(2005, 1, 1))).await;
    env.record(exp.id, ev(EventKind::Disciplined, d(2025, 10, 1)).form(DisciplineForm::Expulsion)).await.unwrap();
    let warned = env.member(a2, "Vinh", Person::official(d(2005, 1, 1))).await;
    env.record(warned.id, ev(EventKind::Disciplined, d(2025, 10, 2)).form(DisciplineForm::Warning)).await.unwrap();
    // A death recorded in error and voided; a death of 2024.
    let v = env.member(b1, "Hòa", Person::official(d(2001, 1, 1))).await;
    let t = env.record(v.id, ev(EventKind::Died, d(2025, 11, 1))).await.unwrap();
    let wrong = t.events.iter().find(|e| e.record.event.kind == EventKind::Died).unwrap().record.event.id;
    env.record(v.id, ev(EventKind::Voided, d(2025, 11, 2)).refers(wrong)).await.unwrap();
    let old = env.member(b1, "Cúc", Person::official(d(2001, 1, 1))).await;
    env.record(old.id, ev(EventKind::Died, d(2024, 5, 1))).await.unwrap();
}

/// The report's figures as `section/key → count`, zero rows left out.
fn figures(r: &Report) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    out.insert("total".to_string(), r.structure.total);
    for s in &r.structure.sections {
        for row in s.rows.iter().filter(|row| row.count > 0) {
            out.insert(format!("{}/{}", s.key, row.key), row.count);
        }
    }
    for row in r.changes.rows.iter().filter(|row| row.count > 0) {
        out.insert(format!("changes/{}", row.key), row.count);
    }
    for (k, n) in [
        ("young", r.changes.admitted_young),
        ("female", r.changes.admitted_female),
        ("minority", r.changes.admitted_minority),
    ] {
        if n > 0 {
            out.insert(format!("changes/admitted_{k}"), n);
        }
    }
    out
}

/// Full years from `a` to `b`, by comparing (month, day).
fn years(a: Date, b: Date) -> i32 {
    b.year() - a.year() - i32::from((b.month() as u8, b.day()) < (a.month() as u8, a.day()))
}

fn squash(s: Option<&str>) -> String {
    let t = s.unwrap_or("").to_lowercase();
    let t: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
    // The fixture's spellings only: diacritics of the words used.
    t.replace(['ậ', 'ạ', 'â', 'á', 'ă'], "a")
        .replace(['ọ', 'ô'], "o")
        .replace('ê', "e")
        .replace('đ', "d")
        .replace('/', "")
}

/// Count one member on the rolls with `status` on `on` under every dimension, banded by hand.
fn add_structure(out: &mut BTreeMap<String, u64>, m: &members::Member, status: MemberStatus, on: Date) {
    let i = &m.input;
    let mut add = |k: String| *out.entry(k).or_default() += 1;
    add("total".into());
    add(format!("status/{}", status.code()));
    add(format!("gender/{}", i.gender.code()));
    let age = years(i.birth_date, on);
    let band = if age <= 30 {
        "to30"
    } else if age <= 40 {
        "31_40"
    } else if age <= 50 {
        "41_50"
    } else if age <= 60 {
        "51_60"
    } else if age <= 70 {
        "61_70"
    } else {
        "over70"
    };
    add(format!("age/{band}"));
    if i.ethnicity_code == 1 {
        add("ethnicity/kinh".into());
    } else {
        add("ethnicity/minority".into());
        add(format!("ethnicity/eth:{}", i.ethnicity_code));
    }
    let religion = squash(i.profile.religion.as_deref());
    add(format!("religion/{}", if religion.is_empty() || religion == "khong" { "none" } else { &religion }));
    add(format!("general_education/{}", squash(i.profile.general_education.as_deref())));
    add(format!("professional_education/{}", squash(i.profile.professional_education.as_deref())));
    add(format!("occupation/{}", squash(i.profile.occupation.as_deref())));
    add(format!("theory_level/{}", i.theory_level.code()));
    let pa = years(i.admission_date, on);
    let band = match pa / 10 {
        0 => "under10",
        1 => "10_19",
        2 => "20_29",
        3 => "30_39",
        4 => "40_49",
        _ => "50plus",
    };
    add(format!("party_age/{band}"));
}

/// The same figures from the member rows and the events, written independently of the report.
pub(crate) async fn second_way(env: &Env, root: &Org, from: Date, to: Date) -> BTreeMap<String, u64> {
    let mut c = env.db.pools.read().await.unwrap();
    let paths: HashMap<Uuid, String> =
        orgs::active_in_subtree(&mut c, "").await.unwrap().into_iter().map(|o| (o.id, o.path)).collect();
    drop(c);
    let inside = |id: Option<Uuid>, _: Date| id.and_then(|i| paths.get(&i)).is_some_and(|p| p.starts_with(&root.path));
    second_way_by(env, root, from, to, &inside).await
}

/// [`second_way`] with the changes counted in the subtree where `inside(org, date)` says the
/// organisation lay in it on the date of the change.
pub(crate) async fn second_way_by(
    env: &Env,
    root: &Org,
    from: Date,
    to: Date,
    inside: &dyn Fn(Option<Uuid>, Date) -> bool,
) -> BTreeMap<String, u64> {
    let mut c = env.db.pools.read().await.unwrap();
    let mut out: BTreeMap<String, u64> = BTreeMap::new();
    let on = today();
    for id in events::member_ids(&mut c).await.unwrap() {
        let m = members::by_id(&mut c, id).await.unwrap().unwrap();
        let i = &m.input;
        let on_rolls = matches!(i.status, MemberStatus::Official | MemberStatus::Probationary)
            && m.life.transit_org_id.is_none()
            && m.org_path.starts_with(&root.path);
        if on_rolls {
            add_structure(&mut out, &m, i.status, on);
        }
        let mut add = |k: String| *out.entry(k).or_default() += 1;
        let evs: Vec<Event> = events::of_member(&mut c, id).await.unwrap().into_iter().map(|r| r.event).collect();
        for (e, effect) in replay(&evs).events {
            if effect != Effect::Applied || e.effective < from || e.effective > to {
                continue;
            }
            let before = state_before(&evs, &e);
            let after = state_on(&evs, e.effective);
            let inside = |id: Option<Uuid>| inside(id, e.effective);
            let (was_in, is_in) = (inside(before.home()), inside(after.home()));
            let key = match e.kind {
                EventKind::Admitted if is_in => {
                    if years(i.birth_date, e.effective) <= 30 {
                        add("changes/admitted_young".into());
                    }
                    if i.gender.code() == "female" {
                        add("changes/admitted_female".into());
                    }
                    if i.ethnicity_code != 1 {
                        add("changes/admitted_minority".into());
                    }
                    "admitted"
                }
                EventKind::Readmitted if is_in => "readmitted",
                EventKind::Recognized if is_in => "recognized",
                EventKind::TransferredIn
                    if is_in && !matches!(before.placement, Placement::Transit { from, .. } if inside(Some(from))) =>
                {
                    "transferred_in"
                }
                EventKind::TransferredOut if was_in && !inside(e.org_id) => "transferred_out",
                EventKind::Died if was_in => "died",
                EventKind::Left if was_in => "left",
                EventKind::StruckOff if was_in => "struck_off",
                EventKind::Disciplined if was_in && e.detail.form == Some(DisciplineForm::Expulsion) => "expelled",
                _ => continue,
            };
            add(format!("changes/{key}"));
        }
    }
    out
}

#[tokio::test]
async fn every_figure_equals_a_second_computation_from_the_rows_and_events() {
    each_engine(async |env: &Env| {
        let t = tree(env).await;
        population(env, &t).await;
        changes(env, &t).await;
        for (org, name) in [
            (&t.province, "province"),
            (&t.a, "commune A"),
            (&t.b, "commune B"),
            (&t.a1, "cell A1"),
            (&t.a2, "cell A2"),
            (&t.b1, "cell B1"),
        ] {
            for period in ["2025", "2025-Q2", "2025-05", "2024-06-01..2025-04-05"] {
                let r = env.app.report(&env.c, org.id, None, period).await.unwrap();
                let (from, to) = (r.changes.from, r.changes.to);
                assert_eq!(figures(&r), second_way(env, org, from, to).await, "{name}, {period}");
            }
        }
        // Both plans of finding a period's changes member by member find the same changes.
        let mut c = env.db.pools.read().await.unwrap();
        let kinds = chibo_access::domain::report::Change::event_kinds();
        for org in [&t.province, &t.a, &t.b, &t.a1, &t.a2, &t.b1] {
            for days in [(d(2025, 1, 1), d(2026, 1, 1)), (d(2025, 5, 1), d(2025, 6, 1)), (d(2024, 6, 1), d(2025, 4, 6))]
            {
                let mut plans = Vec::new();
                for plan in [change_days::Plan::BySubtree, change_days::Plan::ByDate] {
                    plans.push(change_days::changes_by(&mut c, org.id, plan, days, &kinds).await.unwrap());
                }
                let whole_year = days.0 == d(2025, 1, 1);
                let quiet = org.id == t.b.id || org.id == t.b1.id;
                assert!(!whole_year || quiet || !plans[0].is_empty(), "{} {days:?}", org.input.name);
                assert_eq!(plans[0], plans[1], "{} {days:?}", org.input.name);
                // The kept day rows sum to the changes found member by member.
                let mut listed: BTreeMap<String, i64> = BTreeMap::new();
                for change in &plans[0] {
                    *listed.entry(change.line.to_string()).or_default() += 1;
                }
                let kept: BTreeMap<String, i64> = chibo_store::change_counts::days(&mut c, org.id, days)
                    .await
                    .unwrap()
                    .into_iter()
                    .filter(|s| s.n != 0)
                    .map(|s| (s.line, s.n))
                    .collect();
                assert_eq!(kept, listed, "{} {days:?}", org.input.name);
            }
        }
        // Read in pages of 1, 4 and 7 rows, the groups are the same as in one read.
        let sorted = |mut g: Vec<chibo_access::domain::report::Group>| {
            g.sort_by(|a, b| (a.dim as u8, &a.value).cmp(&(b.dim as u8, &b.value)));
            g
        };
        let whole = sorted(reports::structure_groups(&mut c, &t.province.path).await.unwrap());
        for page in [1, 4, 7] {
            let paged = sorted(reports::structure_groups_in_pages(&mut c, &t.province.path, page).await.unwrap());
            assert_eq!(paged, whole, "pages of {page}");
        }
        drop(c);
        // The fixture reaches what it is meant to: every band, every change.
        let all = env.app.report(&env.c, t.province.id, None, "2025").await.unwrap();
        for s in all.structure.sections.iter().filter(|s| matches!(s.key, "age" | "party_age" | "gender" | "status")) {
            assert!(s.rows.iter().all(|row| row.count > 0), "{} has an empty band: {:?}", s.key, s.rows);
        }
        let r = env.app.report(&env.c, t.a.id, None, "2025").await.unwrap();
        let expected = [
            ("admitted", 2),
            ("recognized", 1),
            ("transferred_in", 1),
            ("transferred_out", 3),
            ("readmitted", 1),
            ("died", 1),
            ("left", 0),
            ("struck_off", 1),
            ("expelled", 1),
        ];
        let got: Vec<(&str, u64)> = r.changes.rows.iter().map(|row| (row.key, row.count)).collect();
        assert_eq!(got, expected);
        assert_eq!((r.changes.admitted_young, r.changes.admitted_female, r.changes.admitted_minority), (1, 1, 1));
        let religion = all.structure.sections.iter().find(|s| s.key == "religion").unwrap();
        assert_eq!(
            religion.rows.iter().find(|row| row.key == "phat giao").map(|row| row.label.as_str()),
            Some("Phật giáo")
        );
        let b = env.app.report(&env.c, t.b.id, None, "2025").await.unwrap();
        assert_eq!(b.changes.count(chibo_access::domain::report::Change::TransferredIn), 1);
        assert_eq!(b.changes.count(chibo_access::domain::report::Change::Left), 1);
    })
    .await;
}

#[tokio::test]
async fn the_report_is_read_within_the_grant_and_not_by_members() {
    each_engine(async |env: &Env| {
        let t = tree(env).await;
        population(env, &t).await;
        let staff_b = env.user(Role::Staff, &t.b).await;
        assert!(matches!(env.app.report(&staff_b, t.a.id, None, "2025").await, Err(Problem::NotFound)));
        assert!(matches!(env.app.report(&staff_b, t.a1.id, None, "2025").await, Err(Problem::NotFound)));
        assert!(matches!(env.app.report(&staff_b, t.province.id, None, "2025").await, Err(Problem::NotFound)));
        assert_eq!(env.app.report(&staff_b, t.b.id, None, "2025").await.unwrap().structure.total, 6);
        let m = env.member(&t.b1, "Phúc", Person::official(d(2010, 1, 1))).await;
        let u = env.app.create_user(&env.c, "dangvien", "Đảng viên", common::PASSWORD).await.unwrap();
        env.app.grant(&env.c, u.id, Role::Member, t.b1.id, Some(m.id)).await.unwrap();
        let member = env.app.login("dangvien", common::PASSWORD, None).await.unwrap().1;
        assert!(matches!(env.app.report(&member, t.b1.id, None, "2025").await, Err(Problem::Forbidden)));
        common::assert_refused(&env.app.report(&staff_b, t.b.id, None, "2025-13").await, "period", None);
        let tomorrow = today().next_day().unwrap();
        common::assert_refused(
            &env.app.report(&staff_b, t.b.id, Some(tomorrow), "2025").await,
            "on",
            Some("in_future"),
        );
        let input = chibo_access::domain::org::OrgInput {
            established_on: Some(d(2020, 1, 1)),
            ..common::org_input("Chi bộ mới", OrgKind::SubordinateCell)
        };
        let later = env.app.create_org(&env.c, Some(t.b.id), input).await.unwrap();
        let before = Some(d(2000, 1, 1));
        common::assert_refused(&env.app.report(&staff_b, later.id, before, "2025").await, "on", Some("not_existing"));
        assert_eq!(env.app.report(&staff_b, t.b.id, Some(d(2024, 1, 1)), "2025").await.unwrap().structure.total, 7);
        let xlsx = env.app.report_xlsx(&staff_b, t.b.id, None, "2025").await.unwrap();
        assert!(xlsx.starts_with(b"PK"));
    })
    .await;
}

/// The structure on a past date, a second way: each member's events replayed to that date,
/// the home organisation of that day placed in the tree of that day by walking up its links.
pub(crate) async fn structure_on_second_way(env: &Env, root: &Org, on: Date) -> BTreeMap<String, u64> {
    let mut c = env.db.pools.read().await.unwrap();
    let links = history::all_links(&mut c).await.unwrap();
    let parent_on = |org: Uuid| {
        links
            .get(&org)?
            .iter()
            .find(|l| l.from.is_none_or(|f| f <= on) && l.to.is_none_or(|t| t > on))
            .map(|l| l.parent_id)
    };
    let under_root = |org: Uuid| {
        let mut at = Some(org);
        while let Some(o) = at {
            if o == root.id {
                return true;
            }
            at = parent_on(o).flatten();
        }
        false
    };
    let mut out = BTreeMap::new();
    for id in events::member_ids(&mut c).await.unwrap() {
        let m = members::by_id(&mut c, id).await.unwrap().unwrap();
        let evs: Vec<Event> = events::of_member(&mut c, id).await.unwrap().into_iter().map(|r| r.event).collect();
        let state = state_on(&evs, on);
        if let (Some(home), Some(standing)) = (state.home(), state.standing)
            && under_root(home)
        {
            add_structure(&mut out, &m, standing, on);
        }
    }
    out
}

/// The structure figures of a report (the changes left out).
pub(crate) fn structure_figures(r: &Report) -> BTreeMap<String, u64> {
    figures(r).into_iter().filter(|(k, n)| !k.starts_with("changes/") && *n > 0).collect()
}

#[tokio::test]
async fn the_structure_on_a_past_date_follows_the_tree_of_that_date() {
    each_engine(async |env: &Env| {
        let t = tree(env).await;
        population(env, &t).await;
        changes(env, &t).await;
        // The restructuring of 01/07/2025: cell B1 moves from commune B to commune A, renamed;
        // a new commune C takes cell A2.
        let dated = |effective| Dated {
            effective,
            decision: Decision {
                number: Some("1-QĐ/TU".into()),
                body: Some("Tỉnh ủy".into()),
                signed_on: Some(effective),
            },
        };
        let reform = d(2025, 7, 1);
        env.app.move_org_on(&env.c, t.b1.id, t.a.id, &dated(reform)).await.unwrap();
        env.app.rename_org(&env.c, t.b1.id, "Chi bộ thôn 3", &dated(reform)).await.unwrap();
        let c = env.org(Some(&t.province), "Đảng bộ xã Cam Đường", OrgKind::Commune).await;
        env.app.move_org_on(&env.c, t.a2.id, c.id, &dated(d(2025, 9, 1))).await.unwrap();
        let dates =
            [d(2020, 1, 1), d(2024, 12, 31), d(2025, 4, 5), d(2025, 6, 30), reform, d(2025, 9, 1), d(2026, 1, 1)];
        for (org, name) in [
            (&t.province, "province"),
            (&t.a, "commune A"),
            (&t.b, "commune B"),
            (&t.a1, "cell A1"),
            (&t.b1, "cell B1"),
        ] {
            for on in dates {
                let r = env.app.report(&env.c, org.id, Some(on), "2025").await.unwrap();
                assert_eq!(r.structure.on, on);
                assert_eq!(structure_figures(&r), structure_on_second_way(env, org, on).await, "{name} on {on}");
                // The report nets today's kept counts with the members who changed since; the
                // direct count reads every member of that day.
                let mut c = env.db.pools.read().await.unwrap();
                let tree = chibo_store::report_orgs::tree_on(&mut c, org.id, on).await.unwrap();
                let orgs: Vec<Uuid> = tree.iter().map(|o| o.id).collect();
                let direct = reports::structure_groups_on(&mut c, &orgs, on).await.unwrap();
                assert_eq!(r.structure, Structure::build(on, &direct, Lang::Vi), "{name} on {on}, direct");
            }
        }
        // Before the reform commune A is cells A1 and A2; after it, A1 and B1 (A2 moved on).
        let rolls = |on| async move {
            let r = env.app.report(&env.c, t.a.id, Some(on), "2025").await.unwrap();
            r.structure.total
        };
        let count_in = |org: &Org, on| {
            let id = org.id;
            async move { env.app.org_on(&env.c, id, on).await.unwrap().members.len() as u64 }
        };
        let before = d(2024, 12, 31);
        assert_eq!(rolls(before).await, count_in(&t.a1, before).await + count_in(&t.a2, before).await);
        let after = d(2025, 12, 31);
        assert_eq!(rolls(after).await, count_in(&t.a1, after).await + count_in(&t.b1, after).await);
        let b_then = env.app.report(&env.c, t.b.id, Some(before), "2025").await.unwrap();
        assert_eq!(b_then.structure.total, count_in(&t.b1, before).await);
        assert!(b_then.structure.total > 0);
        assert_eq!(env.app.report(&env.c, t.b.id, Some(after), "2025").await.unwrap().structure.total, 0);
        assert_eq!(env.app.report(&env.c, t.b1.id, Some(before), "2025").await.unwrap().org_name, "Chi bộ bản 1");
        // Today's structure (read from the records) equals the spans' of today.
        let now = env.app.report(&env.c, t.province.id, None, "2025").await.unwrap();
        assert_eq!(structure_figures(&now), structure_on_second_way(env, &t.province, today()).await);
        let _ = c;
    })
    .await;
}
