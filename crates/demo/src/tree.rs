//! The organisation tree: the centre, provinces, communes and their cells.

use crate::admin::{Admin, Region, UnitKind, admin, old_codes};
use crate::careers::Category;
use crate::pick::chance;
use crate::places::{self, SchoolLevel, Village, VillageKind};
use crate::{AS_OF, DemoOrg, DemoOrgEvent, Scale, make_id, mix};
use chibo_domain::life::Link;
use chibo_domain::org::{Locality, OrgInput, OrgKind};
use chibo_domain::path::segment;
use chibo_domain::rules::{ORG_THRESHOLDS, OrgThresholds, in_force};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashSet;
use std::ops::Range;
use time::Date;
use time::macros::date;
use uuid::Uuid;

mod reform;

/// The day the 34 provinces and 3,321 communes took effect.
pub(crate) const MERGER: Date = date!(2025 - 07 - 01);
/// Founding of the Party.
const FOUNDED: Date = date!(1930 - 02 - 03);
/// Ids of organisation events follow a counter of their own (see [`make_id`]).
const ORG_EVENT_IDS: u64 = 1 << 43;

/// A cell whose members are generated later.
#[derive(Debug, Clone)]
pub(crate) struct CellPlan {
    /// Index into the organisations.
    pub org: u32,
    /// Index into [`Built::communes`].
    pub commune: u32,
    pub category: Category,
    pub members: u32,
    /// The last `probationary` members of the cell are probationary.
    pub probationary: u32,
    /// The cell's own village (index into [`Built::villages`]).
    pub village: Option<u32>,
}

#[derive(Debug, Clone)]
pub(crate) struct CommunePlan {
    /// Index into [`Admin::units`].
    pub unit: usize,
    /// Its villages (indices into [`Built::villages`]).
    pub villages: Range<u32>,
    /// Its cells (indices into [`Built::cells`]).
    pub cells: Range<u32>,
}

/// A village with the address of the people who live there.
#[derive(Debug, Clone)]
pub(crate) struct VillagePlan {
    pub kind: VillageKind,
    /// "Thôn Đông, xã Quế Lộc, thành phố Đà Nẵng".
    pub address: String,
}

pub(crate) struct Built {
    pub orgs: Vec<DemoOrg>,
    pub cells: Vec<CellPlan>,
    pub communes: Vec<CommunePlan>,
    pub villages: Vec<VillagePlan>,
    /// Sum of the members of all cells.
    pub total_members: u64,
    /// The links of the organisations whose history is more than one link (communes that
    /// sat under a district before 1 Jul 2025).
    pub relinked: Vec<Link>,
    /// The restructuring decisions of 1 Jul 2025.
    pub org_events: Vec<DemoOrgEvent>,
}

/// A planned organisation, before it gets an id and a path.
struct Spec {
    name: String,
    kind: OrgKind,
    category: Category,
    members: u32,
    village: Option<Village>,
    established: Date,
    children: Vec<Spec>,
}

impl Spec {
    fn cells(&self) -> usize {
        usize::from(self.kind.is_cell()) + self.children.iter().map(Spec::cells).sum::<usize>()
    }
    fn total_members(&self) -> u32 {
        self.members + self.children.iter().map(Spec::total_members).sum::<u32>()
    }
}

struct Builder {
    rng: StdRng,
    thresholds: OrgThresholds,
    built: Built,
    /// Old provincial committees exist as organisations of their own (nation scale).
    nation: bool,
}

pub(crate) fn build(scale: Scale, seed: u64) -> Built {
    let thresholds = in_force(ORG_THRESHOLDS, AS_OF).expect("organisation thresholds in force").value;
    let mut b = Builder {
        rng: StdRng::seed_from_u64(mix(seed, 0x7EE)),
        thresholds,
        built: Built {
            orgs: Vec::new(),
            cells: Vec::new(),
            communes: Vec::new(),
            villages: Vec::new(),
            total_members: 0,
            relinked: Vec::new(),
            org_events: Vec::new(),
        },
        nation: scale == Scale::Nation,
    };
    let a = admin();
    match scale {
        Scale::Nation => {
            let root = b.add_org(
                None,
                OrgInput {
                    name: "Đảng Cộng sản Việt Nam".into(),
                    short_name: Some("ĐCSVN".into()),
                    kind: OrgKind::Central,
                    locality: Locality::default(),
                    established_on: Some(FOUNDED),
                    dissolved_on: None,
                    has_cell_committee: false,
                },
            );
            for p in 0..a.provinces.len() {
                b.province(a, Some(root), p);
            }
        }
        Scale::Province => {
            let p = (mix(seed, 0x9A0) % a.provinces.len() as u64) as usize;
            b.province(a, None, p);
        }
        Scale::Commune => {
            let rural: Vec<usize> = (0..a.units.len()).filter(|&u| a.units[u].kind == UnitKind::Rural).collect();
            let u = rural[(mix(seed, 0xC0) % rural.len() as u64) as usize];
            b.commune(a, None, u, true, None);
        }
    }
    b.built
}

impl Builder {
    fn add_org(&mut self, parent: Option<usize>, input: OrgInput) -> usize {
        let orgs = &mut self.built.orgs;
        let (path, parent_id) = match parent {
            Some(p) => {
                let parent = &mut orgs[p];
                let seg = segment(parent.next_child).expect("fewer than 36⁴ children");
                parent.next_child += 1;
                (format!("{}{seg}", parent.path), Some(parent.id))
            }
            None => (segment(0).expect("segment 0"), None),
        };
        let id = make_id(orgs.len() as u64, self.rng.random());
        orgs.push(DemoOrg { id, parent_id, path, next_child: 0, input });
        orgs.len() - 1
    }

    fn province(&mut self, a: &Admin, parent: Option<usize>, p: usize) {
        let province = &a.provinces[p];
        let merged = province.merged_2025();
        // At nation scale the committees of the provinces merged on 1 Jul 2025 are
        // organisations of their own until then (at province scale they would be extra roots).
        let old: Vec<usize> = if merged && self.nation {
            old_codes(province.code).iter().map(|&c| self.old_province(parent, province.code, c)).collect()
        } else {
            Vec::new()
        };
        let established = if merged { MERGER } else { date_between(&mut self.rng, 1930, 1947) };
        let org = self.add_org(
            parent,
            OrgInput {
                name: province.committee_name(),
                short_name: None,
                kind: OrgKind::Provincial,
                locality: Locality { province_code: Some(province.code), commune_code: None, village: None },
                established_on: Some(established),
                dissolved_on: None,
                has_cell_committee: false,
            },
        );
        if !old.is_empty() {
            let from: Vec<Uuid> = old.iter().map(|&o| self.built.orgs[o].id).collect();
            self.org_event(org, "established", from, None);
            for &o in &old {
                self.org_event(o, "merged", Vec::new(), Some(org));
                self.org_event(o, "dissolved", Vec::new(), None);
            }
        }
        // Before 1 Jul 2025 communes sat under district committees, themselves under the
        // (old) provincial committee. A merged province at province scale has no such layer.
        let heads = match (merged, old.is_empty()) {
            (false, _) => vec![org],
            (true, false) => old,
            (true, true) => Vec::new(),
        };
        let units: Vec<usize> = province.units.clone().collect();
        if heads.is_empty() {
            for u in units {
                self.commune(a, Some(org), u, false, None);
            }
            return;
        }
        for (i, &head) in heads.iter().enumerate() {
            let part = &units[i * units.len() / heads.len()..(i + 1) * units.len() / heads.len()];
            let mut rest = part;
            while !rest.is_empty() {
                let n = self.rng.random_range(3..=8usize).min(rest.len());
                let (group, tail) = rest.split_at(n);
                rest = tail;
                let district = self.district(a, head, group[0]);
                for &u in group {
                    self.commune(a, Some(org), u, false, Some(district));
                }
            }
        }
    }

    /// A commune committee and everything under it; `small` for the commune scale (10–30 cells
    /// and 100–300 members, like a commune before the 2025 merger). With a `district`, the
    /// commune sat under it until 30 Jun 2025 and under the province from 1 Jul 2025.
    fn commune(&mut self, a: &Admin, parent: Option<usize>, u: usize, small: bool, district: Option<usize>) {
        let unit = &a.units[u];
        let province = &a.provinces[unit.province];
        let specs = loop {
            let specs = self.plan_commune(unit.bare, unit.kind, province.region(), small);
            if !small {
                break specs;
            }
            let cells: usize = specs.iter().map(Spec::cells).sum();
            let members: u32 = specs.iter().map(Spec::total_members).sum();
            if (10..=30).contains(&cells) && (100..=300).contains(&members) {
                break specs;
            }
        };
        let established = match district.and_then(|d| self.built.orgs[d].input.established_on) {
            Some(since) => date_between(&mut self.rng, 1945, 1990).max(since),
            None => MERGER,
        };
        let locality = Locality { province_code: Some(province.code), commune_code: Some(unit.code), village: None };
        let name = format!("Đảng bộ {}", unit.name);
        let org = self.add_org(
            parent,
            OrgInput {
                name: name.clone(),
                short_name: None,
                kind: OrgKind::Commune,
                locality: locality.clone(),
                established_on: Some(established),
                dissolved_on: None,
                has_cell_committee: false,
            },
        );
        if let (Some(d), Some(p)) = (district, parent) {
            let (id, district_id, province_id) =
                (self.built.orgs[org].id, self.built.orgs[d].id, self.built.orgs[p].id);
            let link =
                |parent_id, from, to| Link { org_id: id, parent_id: Some(parent_id), name: name.clone(), from, to };
            self.built.relinked.push(link(district_id, Some(established), Some(MERGER)));
            self.built.relinked.push(link(province_id, Some(MERGER), None));
            self.org_event(org, "moved", vec![district_id], Some(p));
        }
        let commune = self.built.communes.len() as u32;
        let first_village = self.built.villages.len() as u32;
        for s in &specs {
            if let Some(v) = &s.village {
                self.built
                    .villages
                    .push(VillagePlan { kind: v.kind, address: format!("{}, {}", v.name, unit.address) });
            }
        }
        let first_cell = self.built.cells.len() as u32;
        self.built.communes.push(CommunePlan {
            unit: u,
            villages: first_village..self.built.villages.len() as u32,
            cells: first_cell..first_cell,
        });
        let mut village = first_village;
        for s in specs {
            self.add_spec(org, commune, &locality, s, &mut village);
        }
        self.built.communes[commune as usize].cells.end = self.built.cells.len() as u32;
    }

    fn add_spec(&mut self, parent: usize, commune: u32, locality: &Locality, spec: Spec, village: &mut u32) {
        let own_village = spec.village.as_ref().map(|_| {
            *village += 1;
            *village - 1
        });
        let mut probationary = 0;
        if spec.kind.is_cell() {
            for _ in 0..spec.members {
                probationary += u32::from(chance(&mut self.rng, 25));
            }
            let min_official = self.thresholds.min_official_to_form;
            probationary = probationary.min(spec.members.saturating_sub(min_official));
        }
        let official = spec.members - probationary;
        let org = self.add_org(
            Some(parent),
            OrgInput {
                name: spec.name,
                short_name: None,
                kind: spec.kind,
                locality: Locality { village: spec.village.map(|v| v.name), ..locality.clone() },
                established_on: Some(spec.established),
                dissolved_on: None,
                has_cell_committee: spec.kind.is_cell() && official >= self.thresholds.cell_committee_min_official,
            },
        );
        if spec.kind.is_cell() {
            self.built.total_members += u64::from(spec.members);
            self.built.cells.push(CellPlan {
                org: org as u32,
                commune,
                category: spec.category,
                members: spec.members,
                probationary,
                village: own_village,
            });
        }
        for child in spec.children {
            self.add_spec(org, commune, locality, child, village);
        }
    }

    fn plan_commune(&mut self, bare: &str, kind: UnitKind, region: Region, small: bool) -> Vec<Spec> {
        let rng = &mut self.rng;
        let urban = kind == UnitKind::Ward;
        let n_villages = match (small, kind) {
            (true, _) => rng.random_range(6..=18),
            (false, UnitKind::Ward) => rng.random_range(40..=110),
            (false, UnitKind::Rural) => rng.random_range(30..=92),
            (false, UnitKind::SpecialZone) => rng.random_range(12..=40),
        };
        let mut specs = Vec::new();
        for v in places::villages(rng, region, kind, n_villages) {
            let members =
                if small { rng.random_range(5..=12) + rng.random_range(0..=6) } else { village_members(rng, urban) };
            let category = if v.kind.is_urban() { Category::Street } else { Category::Village };
            specs.push(Spec {
                name: v.cell_name(),
                kind: OrgKind::SubordinateCell,
                category,
                members,
                village: Some(v),
                established: date_between(rng, 1945, 2015),
                children: Vec::new(),
            });
        }
        let scale_down = |r: (u32, u32)| if small { (3, r.1 / 2 + 3) } else { r };
        if small {
            specs.push(agency_cell(rng, "Chi bộ Cơ quan Đảng – Chính quyền".into(), Category::Government, (4, 10)));
        } else {
            specs.push(agency_cell(rng, "Chi bộ Cơ quan Đảng".into(), Category::PartyOffice, (8, 20)));
            specs.push(agency_cell(
                rng,
                "Chi bộ Cơ quan Hội đồng nhân dân và Ủy ban nhân dân".into(),
                Category::Government,
                (10, 26),
            ));
            specs.push(agency_cell(
                rng,
                "Chi bộ Cơ quan Ủy ban Mặt trận Tổ quốc và các đoàn thể".into(),
                Category::Front,
                (6, 16),
            ));
        }
        specs.push(agency_cell(rng, "Chi bộ Quân sự".into(), Category::Military, scale_down((5, 16))));
        specs.push(agency_cell(rng, "Chi bộ Công an".into(), Category::Police, scale_down((8, 26))));
        if !small || chance(rng, 700) {
            let name = format!("Chi bộ Trạm Y tế {bare}");
            specs.push(agency_cell(rng, name, Category::Health, scale_down((5, 15))));
        }
        let levels: Vec<(SchoolLevel, usize)> = if small {
            vec![
                (SchoolLevel::Preschool, usize::from(chance(rng, 500))),
                (SchoolLevel::Primary, 1),
                (SchoolLevel::LowerSecondary, 1),
            ]
        } else {
            vec![
                (SchoolLevel::Preschool, rng.random_range(1..=3)),
                (SchoolLevel::Primary, rng.random_range(1..=3)),
                (SchoolLevel::LowerSecondary, rng.random_range(1..=3)),
                (SchoolLevel::UpperSecondary, usize::from(chance(rng, 500))),
            ]
        };
        for (level, name) in places::schools(rng, bare, &levels) {
            let range = match level {
                SchoolLevel::Preschool => (4, 14),
                SchoolLevel::Primary => (6, 22),
                SchoolLevel::LowerSecondary => (7, 25),
                SchoolLevel::UpperSecondary => (10, 29),
            };
            specs.push(agency_cell(rng, format!("Chi bộ {name}"), Category::School, scale_down(range)));
        }
        if small {
            return specs;
        }
        if !urban && chance(rng, 600) {
            let name = format!("Chi bộ Hợp tác xã Nông nghiệp {bare}");
            specs.push(agency_cell(rng, name, Category::Coop, (3, 12)));
        }
        if chance(rng, 300) {
            let name = format!("Chi bộ Quỹ Tín dụng nhân dân {bare}");
            specs.push(agency_cell(rng, name, Category::Credit, (3, 9)));
        }
        let mut companies = HashSet::new();
        let (company_cells, company_committees) = if urban {
            (rng.random_range(2..=12), rng.random_range(0..=3))
        } else {
            (rng.random_range(0..=3), usize::from(chance(rng, 250)))
        };
        for _ in 0..company_cells {
            let name = format!("Chi bộ {}", places::company(rng, &mut companies));
            let mut s = agency_cell(rng, name, Category::Company, (3, 24));
            s.established = date_between(rng, 1995, 2022);
            specs.push(s);
        }
        for _ in 0..company_committees {
            let name = format!("Đảng bộ {}", places::company(rng, &mut companies));
            specs.push(base_committee(rng, name, Category::Company, places::COMPANY_CELLS));
        }
        if urban && chance(rng, 250) {
            let name = format!("Đảng bộ Bệnh viện Đa khoa {bare}");
            specs.push(base_committee(rng, name, Category::Hospital, places::HOSPITAL_CELLS));
        }
        specs
    }
}

/// A cell of an agency, unit or school of the commune: under the commune's committee it is a
/// *chi bộ trực thuộc* like the village cells (a *chi bộ cơ sở* has no committee above it at
/// the grassroots).
fn agency_cell(rng: &mut StdRng, name: String, category: Category, range: (u32, u32)) -> Spec {
    let members = rng.random_range(range.0..=range.1.min(29));
    Spec {
        name,
        kind: OrgKind::SubordinateCell,
        category,
        members,
        village: None,
        established: date_between(rng, 1960, 2020),
        children: Vec::new(),
    }
}

/// Members of a village or residential-group cell: 5–60, most around 20.
fn village_members(rng: &mut StdRng, urban: bool) -> u32 {
    let spread = if urban { 17 } else { 16 };
    let mut n = 5 + rng.random_range(0..=spread) + rng.random_range(0..=spread);
    if chance(rng, 80) {
        n += rng.random_range(10..=25);
    }
    n.min(60)
}

/// An enterprise or hospital committee with 2–5 cells and at least 30 members.
fn base_committee(rng: &mut StdRng, name: String, category: Category, cells: &[&str]) -> Spec {
    let established = date_between(rng, 1998, 2020);
    let n = rng.random_range(2..=5usize);
    let mut names: Vec<&str> = cells.to_vec();
    let mut children = Vec::with_capacity(n);
    for _ in 0..n {
        let i = rng.random_range(0..names.len());
        let members = rng.random_range(8..=30);
        children.push(Spec {
            name: names.swap_remove(i).to_string(),
            kind: OrgKind::SubordinateCell,
            category,
            members,
            village: None,
            established: date_between(rng, established.year(), 2022),
            children: Vec::new(),
        });
    }
    let total: u32 = children.iter().map(|c| c.members).sum();
    if total < 30 {
        children[0].members += 30 - total;
    }
    Spec { name, kind: OrgKind::BaseCommittee, category, members: 0, village: None, established, children }
}

/// A day in the years `from..=to`.
pub(crate) fn date_between<R: Rng>(rng: &mut R, from: i32, to: i32) -> Date {
    let start = Date::from_calendar_date(from, time::Month::January, 1).expect("valid year").to_julian_day();
    let end = Date::from_calendar_date(to, time::Month::December, 31).expect("valid year").to_julian_day();
    Date::from_julian_day(rng.random_range(start..=end)).expect("valid day")
}
