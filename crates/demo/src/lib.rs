//! chibo demo: a deterministic generator of realistic demo data, at three scales.
//!
//! # Shape of the data
//!
//! The current organisation tree follows the administrative map in force since 1 Jul 2025
//! (no district level; the tree before that date is described under *History* below):
//!
//! - [`Scale::Nation`]: the centre (*Đảng Cộng sản Việt Nam*, kind `Central`) → the 34
//!   provincial committees ("Đảng bộ Thành phố Hà Nội", "Đảng bộ Tỉnh Lạng Sơn") → all 3,321
//!   commune committees ("Đảng bộ Xã Quế Lộc", "Đảng bộ Phường Hoàn Kiếm", "Đảng bộ Đặc khu Cô
//!   Tô") → cells. About 270,000 cells (≈ 81 per commune, more in wards than in rural communes)
//!   and about 5.6 million members (≈ 20 per cell, 5–60).
//! - [`Scale::Province`]: one provincial committee as the root, with all its communes at the
//!   same density. The province is picked by the seed.
//! - [`Scale::Commune`]: one rural commune (*xã*, picked by the seed) as the root, sized like a
//!   commune before the 2025 merger: 10–30 cells and 100–300 members (Quế Lộc, 2023: 127
//!   members in 10 cells).
//!
//! Under each commune: one subordinate cell per village or residential group ("Chi bộ thôn
//! Đông", "Chi bộ bản Nà Lầu", "Chi bộ ấp Tân Hòa", "Chi bộ tổ dân phố số 5", "Chi bộ khu
//! phố 3"), base cells of the commune's agencies (party office, people's committee, front,
//! military, police, health station, schools, cooperative, credit fund) and enterprises, and in
//! some communes the base committee of an enterprise or a hospital with 2–5 cells and at least
//! 30 members. Cells with at least 9 official members have a cell committee.
//!
//! Members are valid under [`chibo_domain::member::MemberInput::validate`] on [`AS_OF`]: names
//! weighted by frequency (Kinh family names differ between North and South; the ethnic
//! minorities of the highland provinces have their own family names), about 35% women, born
//! 1940–2005, admitted at 18–60 (counted by month) between 1965 and [`AS_OF`], about 2.5%
//! probationary, 12-digit citizen IDs that agree with birth date, gender and a pre-merger
//! province code and are unique in the data set, unique party card numbers, addresses in
//! their commune, occupations and training that fit the cell (farmers and retired cadres in
//! villages, teachers in schools, doctors at the health station …).
//!
//! # History
//!
//! Every member's record starts with the events a record-by-record creation writes
//! (admission into the cell, recognition as official on the 12-month date), followed for a
//! few of them by later events ([`life`]): about 3% of official members of working age are
//! transferred to another cell of their commune, 1.5% are out of contact for 3–14 months,
//! 1.5% are temporarily attached to another cell, 0.3% leave, 0.3% are struck off and 0.5%
//! are reprimanded (from 2025, so that the review caps some levels); of
//! those born in 1952 or earlier, 8% have died since 2010 and 15% are exempted from work and
//! activities from 70. Cell leaders and probationary members keep their opening events.
//! [`DemoMember::now`] is the record after replaying the events with
//! [`chibo_domain::life::replay`].
//!
//! The tree has a past ([`Generator::links`], [`Generator::org_events`]): before 1 Jul 2025
//! the communes of a province (at nation scale, and at province scale for the 11 provinces
//! not merged) sat under district committees (*huyện ủy, quận ủy, thị ủy*), dissolved that
//! day, when each commune moved under its province. At nation scale the 23 merged provinces
//! are new organisations established that day, and the 52 provincial committees they
//! replaced exist until then with their districts under them. What is real: the 34 provinces,
//! the 3,321 communes and which old provinces formed each new one (Nghị quyết 202/2025/QH15).
//! What is invented: which communes formed which district (consecutive groups of 3–8, named
//! after their first commune), which part of a merged province belonged to which old one,
//! and the dates committees were established. The communes are shown as if they existed
//! before 2025 with their 2025 names: the merger of about 10,000 communes into 3,321 is not
//! modelled.
//!
//! # Sources
//!
//! - Provinces and communes: `data/vn-admin-units-2025.csv` (General Statistics Office list,
//!   codes and official names), embedded at compile time.
//! - Ethnic groups: [`chibo_domain::ethnicity`]; the ethnic mix of each province is rounded
//!   from the 2019 census.
//! - Scale: `RULES.md` section 9 (5.6 million members; 270,046 cells in 2017; 3,321 communes).
//! - Thresholds: [`chibo_domain::rules::ORG_THRESHOLDS`]; admission age and probation:
//!   [`chibo_domain::rules`].
//!
//! Everything else (village, school and company names, the people) is invented. The same
//! scale and seed always give the same data, ids included; the tree is built eagerly and the
//! members lazily, cell by cell, so the nation scale never holds the members in memory.

mod admin;
mod careers;
pub mod inspection;
pub mod life;
pub mod meetings;
mod names;
mod people;
mod pick;
mod places;
pub mod review;
mod tree;

use time::Date;
use time::macros::date;
use uuid::Uuid;

/// The day the generated data describes: no date in it is later, and every member is valid
/// when checked on this day.
pub const AS_OF: Date = date!(2026 - 11 - 22);

/// The members of a [`Generator`], batch after batch ([`Generator::member_stream`]).
pub struct MemberStream {
    built: std::sync::Arc<tree::Built>,
    people: people::People,
}

impl MemberStream {
    /// The next at most `max` members; an empty Vec once all are out.
    pub fn next(&mut self, max: usize) -> Vec<DemoMember> {
        self.people.next(&self.built, max)
    }
}

/// How much data to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scale {
    /// One commune: 10–30 cells, 100–300 members.
    Commune,
    /// One province with all its communes.
    Province,
    /// The whole country: 34 provinces, 3,321 communes, about 5.6 million members.
    Nation,
}

impl Scale {
    /// `commune`, `province` or `nation` (also Vietnamese `xa`, `tinh`, `toan-quoc`).
    pub fn parse(s: &str) -> Option<Scale> {
        match chibo_domain::collation::fold(s).as_str() {
            "commune" | "xa" => Some(Scale::Commune),
            "province" | "tinh" => Some(Scale::Province),
            "nation" | "national" | "country" | "toan quoc" | "toan-quoc" | "toanquoc" => Some(Scale::Nation),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Scale::Commune => "commune",
            Scale::Province => "province",
            Scale::Nation => "nation",
        }
    }
}

/// One organisation, with its place in the tree already computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOrg {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    /// Materialized path: the parent's path plus [`chibo_domain::path::segment`] of the
    /// child's index among its siblings; the root is `segment(0)`.
    pub path: String,
    /// Number of children generated, i.e. the index the next child inserted later gets.
    pub next_child: u32,
    pub input: chibo_domain::org::OrgInput,
}

/// One member of a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoMember {
    pub id: Uuid,
    /// The cell that admitted the member.
    pub org_id: Uuid,
    pub org_path: String,
    /// Code of the province the cell is in.
    pub province_code: Option<i32>,
    /// The record as entered on admission (`input.org_id` equals `org_id`): valid on [`AS_OF`].
    pub input: chibo_domain::member::MemberInput,
    /// The member's whole history: the opening events a record starts with (admission into
    /// the cell, recognition) and what happened later (transfer, exemption, out of contact,
    /// temporary attachment, death, leaving, striking off).
    pub events: Vec<chibo_domain::life::Event>,
    /// The record and the state beside it after replaying `events`: what the registry stores.
    pub now: life::Settled,
}

/// A restructuring decision (an `org_events` row) of the 1 Jul 2025 reform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOrgEvent {
    pub id: Uuid,
    pub org_id: Uuid,
    /// `established` (a merged province, `from` the old ones), `merged` (an old province,
    /// `to` the new one), `dissolved` (old provinces and districts), `moved` (a commune,
    /// `from` its district `to` its province).
    pub kind: &'static str,
    pub effective: Date,
    pub decision_body: &'static str,
    pub from: Vec<Uuid>,
    pub to: Option<Uuid>,
}

/// The generator: organisations eagerly, members lazily in batches.
pub struct Generator {
    scale: Scale,
    seed: u64,
    built: std::sync::Arc<tree::Built>,
    expected: u64,
    people: people::People,
}

impl Generator {
    pub fn new(scale: Scale, seed: u64) -> Generator {
        let built = std::sync::Arc::new(tree::build(scale, seed));
        let expected = built.total_members;
        let people = people::People::new(seed, built.orgs.len() as u64);
        Generator { scale, seed, built, expected, people }
    }

    pub fn scale(&self) -> Scale {
        self.scale
    }

    /// All organisations, parents before children.
    pub fn orgs(&self) -> &[DemoOrg] {
        &self.built.orgs
    }

    /// Every organisation's place and name through time: one link per organisation from its
    /// establishment to its dissolution, except the communes that sat under a district before
    /// 1 Jul 2025 (two links).
    pub fn links(&self) -> Vec<chibo_domain::life::Link> {
        let relinked: std::collections::HashSet<Uuid> = self.built.relinked.iter().map(|l| l.org_id).collect();
        let mut out: Vec<chibo_domain::life::Link> = self
            .built
            .orgs
            .iter()
            .filter(|o| !relinked.contains(&o.id))
            .map(|o| chibo_domain::life::Link {
                org_id: o.id,
                parent_id: o.parent_id,
                name: o.input.name.clone(),
                from: o.input.established_on,
                to: o.input.dissolved_on,
            })
            .collect();
        out.extend(self.built.relinked.iter().cloned());
        out
    }

    /// The organisations whose history is more than the one link their row implies.
    pub fn relinked(&self) -> &[chibo_domain::life::Link] {
        &self.built.relinked
    }

    /// The restructuring decisions of the reform of 1 Jul 2025.
    pub fn org_events(&self) -> &[DemoOrgEvent] {
        &self.built.org_events
    }

    /// The total number of members [`Generator::next_members`] yields from the start.
    pub fn expected_members(&self) -> u64 {
        self.expected
    }

    /// The next at most `max` members, cell after cell in the order of [`Generator::orgs`];
    /// an empty Vec once all are out. The sequence does not depend on the batch sizes.
    pub fn next_members(&mut self, max: usize) -> Vec<DemoMember> {
        self.people.next(&self.built, max)
    }

    /// The members from the start, as [`Generator::next_members`] yields them, from a stream
    /// of its own that another thread can own (the loader generates the next batch while the
    /// database writes one).
    pub fn member_stream(&self) -> MemberStream {
        MemberStream {
            built: std::sync::Arc::clone(&self.built),
            people: people::People::new(self.seed, self.built.orgs.len() as u64),
        }
    }

    /// The cells' meetings from January of [`meetings::FIRST_YEAR`] to the month after
    /// [`AS_OF`], commune by commune (the members are generated again, the same ones, whatever
    /// [`Generator::next_members`] has yielded).
    pub fn meetings(&self) -> meetings::Meetings<'_> {
        meetings::Meetings::new(&self.built, self.seed)
    }

    /// The annual review: the 2025 round finished and the 2026 round in progress, opened by the
    /// root for its whole tree; the members' lines commune by commune (the members are
    /// generated again, the same ones).
    pub fn reviews(&self) -> review::Reviews<'_> {
        review::Reviews::new(&self.built, self.seed)
    }

    /// Inspection and supervision: programmes and cases of 2025 and 2026 commune by commune,
    /// the disciplines of the members' lives with their cases, an appeal.
    pub fn inspections(&self) -> inspection::Inspections<'_> {
        inspection::Inspections::new(&self.built, self.seed)
    }
}

/// A UUID in the version 7 layout: the timestamp field is 1 Jul 2025 plus `counter`
/// milliseconds (so ids are unique and increase in insertion order, which suits B-tree
/// indexes), the other 74 bits come from the seeded generator.
pub(crate) fn make_id(counter: u64, random: u128) -> Uuid {
    const BASE_MS: u64 = 1_751_328_000_000; // 2025-07-01T00:00:00Z
    let ts = u128::from((BASE_MS + counter) & 0xFFFF_FFFF_FFFF);
    let rand_a = (random >> 64) & 0x0FFF;
    let rand_b = random & 0x3FFF_FFFF_FFFF_FFFF;
    Uuid::from_u128(ts << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b)
}

/// SplitMix64 of a seed and a salt: independent streams from one seed.
pub(crate) fn mix(seed: u64, salt: u64) -> u64 {
    let mut z = seed ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests;
