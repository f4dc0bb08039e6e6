//! Members, generated cell by cell from a generator seeded per cell.

use crate::admin::{ALL_OLD_CODES, Admin, UnitKind, admin, ethnic_mix, old_codes};
use crate::careers::{Category, ELDERLY_JOBS, Job, Profile, THEORY_ELDERLY, THEORY_PROBATIONARY, profile};
use crate::names::{self, NameStyle};
use crate::pick::{Names, Weighted, chance, one_of};
use crate::tree::{Built, CellPlan};
use crate::{AS_OF, DemoMember, make_id, mix};
use chibo_domain::date::add_months;
use chibo_domain::member::{Gender, MemberInput, MemberStatus, TheoryLevel, official_date_for};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::OnceLock;
use time::{Date, Month};

/// Age at admission, in whole years, weighted.
const ADMISSION_AGE: &[((i32, i32), u32)] =
    &[((18, 22), 250), ((23, 27), 300), ((28, 35), 280), ((36, 45), 120), ((46, 59), 50)];
const FIRST_ADMISSION_YEAR: i32 = 1965;

struct CategoryTables {
    profile: Profile,
    jobs: Weighted<Job>,
    theory: Weighted<TheoryLevel>,
}

struct Tables {
    kinh_north: Names,
    kinh_south: Names,
    middle_male: Names,
    middle_female: Names,
    given_male: Names,
    given_female: Names,
    hmong_middle_male: Names,
    hmong_middle_female: Names,
    hmong_given_male: Names,
    hmong_given_female: Names,
    highland_middle_male: Names,
    highland_middle_female: Names,
    highland_given_male: Names,
    highland_given_female: Names,
    /// Family names by ethnicity code.
    ethnic: Vec<Option<(NameStyle, Names)>>,
    /// Ethnic mix by province index, in villages of the minorities, and in wards.
    mix: Vec<Weighted<i32>>,
    minority_mix: Vec<Weighted<i32>>,
    urban_mix: Vec<Weighted<i32>>,
    categories: Vec<CategoryTables>,
    elderly_jobs: Weighted<Job>,
    theory_elderly: Weighted<TheoryLevel>,
    theory_probationary: Weighted<TheoryLevel>,
    admission_age: Weighted<(i32, i32)>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let a = admin();
        let mix = a.provinces.iter().map(|p| Weighted::new(ethnic_mix(p.code))).collect();
        // Reweigh the Kinh (code 1) against the others.
        let reweigh = |kinh: u32, others: u32| -> Vec<Weighted<i32>> {
            a.provinces
                .iter()
                .map(|p| {
                    let m: Vec<(i32, u32)> = ethnic_mix(p.code)
                        .iter()
                        .map(|&(code, w)| {
                            let w = if code == 1 { w * kinh } else { w * others };
                            (code, w.max(1))
                        })
                        .collect();
                    Weighted::new(&m)
                })
                .collect()
        };
        let minority_mix = reweigh(1, 6);
        let urban_mix = reweigh(4, 1);
        Tables {
            kinh_north: Names::new(names::KINH_FAMILY_NORTH),
            kinh_south: Names::new(names::KINH_FAMILY_SOUTH),
            middle_male: Names::new(names::MIDDLE_MALE),
            middle_female: Names::new(names::MIDDLE_FEMALE),
            given_male: Names::new(names::GIVEN_MALE),
            given_female: Names::new(names::GIVEN_FEMALE),
            hmong_middle_male: Names::new(names::HMONG_MIDDLE_MALE),
            hmong_middle_female: Names::new(names::HMONG_MIDDLE_FEMALE),
            hmong_given_male: Names::uniform(names::HMONG_GIVEN_MALE),
            hmong_given_female: Names::uniform(names::HMONG_GIVEN_FEMALE),
            highland_middle_male: Names::new(names::HIGHLAND_MIDDLE_MALE),
            highland_middle_female: Names::new(names::HIGHLAND_MIDDLE_FEMALE),
            highland_given_male: Names::uniform(names::HIGHLAND_GIVEN_MALE),
            highland_given_female: Names::uniform(names::HIGHLAND_GIVEN_FEMALE),
            ethnic: (0..=54).map(|code| names::ethnic_family(code).map(|(s, f)| (s, Names::uniform(f)))).collect(),
            mix,
            minority_mix,
            urban_mix,
            categories: Category::ALL
                .iter()
                .map(|&c| {
                    let profile = profile(c);
                    CategoryTables { jobs: Weighted::new(profile.jobs), theory: Weighted::new(profile.theory), profile }
                })
                .collect(),
            elderly_jobs: Weighted::new(ELDERLY_JOBS),
            theory_elderly: Weighted::new(THEORY_ELDERLY),
            theory_probationary: Weighted::new(THEORY_PROBATIONARY),
            admission_age: Weighted::new(ADMISSION_AGE),
        }
    })
}

/// The state of the lazy member stream.
pub(crate) struct People {
    seed: u64,
    /// Ids of members follow those of the organisations.
    first_id: u64,
    cell: usize,
    index: u32,
    rng: StdRng,
    /// Members generated so far.
    count: u64,
    /// Next citizen-ID serial by (pre-merger province code, century/gender digit, year).
    cccd: Vec<u32>,
    last_official_admission: Date,
    card_offset: u64,
}

impl People {
    pub(crate) fn new(seed: u64, orgs: u64) -> People {
        People {
            seed,
            first_id: orgs,
            cell: 0,
            index: 0,
            rng: StdRng::seed_from_u64(seed),
            count: 0,
            cccd: vec![0; 100 * 4 * 100],
            last_official_admission: add_months(AS_OF, -12),
            card_offset: mix(seed, 0xCA4D) % CARD_RANGE,
        }
    }

    pub(crate) fn next(&mut self, built: &Built, max: usize) -> Vec<DemoMember> {
        let left = built.total_members.saturating_sub(self.count);
        let mut out = Vec::with_capacity(max.min(usize::try_from(left).unwrap_or(max)));
        let t = tables();
        let a = admin();
        while out.len() < max {
            let Some(cell) = built.cells.get(self.cell) else {
                break;
            };
            if self.index >= cell.members {
                self.cell += 1;
                self.index = 0;
                continue;
            }
            if self.index == 0 {
                self.rng = StdRng::seed_from_u64(mix(self.seed, 0xCE11_0000_0000 + self.cell as u64));
            }
            let m = self.member(t, a, built, cell);
            out.push(m);
            self.index += 1;
            self.count += 1;
        }
        out
    }

    fn member(&mut self, t: &Tables, a: &Admin, built: &Built, cell: &CellPlan) -> DemoMember {
        let org = &built.orgs[cell.org as usize];
        let commune = &built.communes[cell.commune as usize];
        let unit = &a.units[commune.unit];
        let province = &a.provinces[unit.province];
        let ct = &t.categories[cell.category.index()];
        let p = &ct.profile;
        let i = self.index;
        let probationary = i >= cell.members - cell.probationary;
        let rng = &mut self.rng;

        let gender = if chance(rng, p.female) { Gender::Female } else { Gender::Male };
        let female = gender == Gender::Female;
        // The secretary, the deputy and the third leader: middle-aged or just retired.
        let leader = i < 3 && !probationary;
        let triangular = |rng: &mut StdRng, (lo, hi): (i32, i32)| {
            let half = (hi - lo) / 2;
            lo + rng.random_range(0..=half) + rng.random_range(0..=hi - lo - half)
        };
        let (year, elderly) = if leader {
            let range = if p.elderly > 0 { (1955, 1985) } else { (p.born.0.max(1966), 1988) };
            let year = triangular(rng, range);
            (year, p.elderly > 0 && year <= 1962)
        } else if probationary {
            let year = if chance(rng, 800) { rng.random_range(1993..=2005) } else { rng.random_range(1975..=1992) };
            (year, false)
        } else if chance(rng, p.elderly) {
            (triangular(rng, (1940, 1962)), true)
        } else {
            (triangular(rng, p.born), false)
        };
        let birth = day_in_year(rng, year);
        let admission = if probationary {
            let from = self.last_official_admission.to_julian_day() + 1;
            Date::from_julian_day(rng.random_range(from..=AS_OF.to_julian_day())).unwrap_or(AS_OF)
        } else {
            official_admission(rng, t, birth, self.last_official_admission)
        };
        let (status, official_date) = if probationary {
            (MemberStatus::Probationary, None)
        } else {
            let date = official_date_for(admission).unwrap_or_else(|| add_months(admission, 12));
            (MemberStatus::Official, Some(date))
        };

        // Ethnicity and names.
        let own_village = cell.village.map(|v| &built.villages[v as usize]);
        let minority_village = own_village.is_some_and(|v| v.kind.is_minority());
        let ethnicity_code = if minority_village {
            t.minority_mix[unit.province].pick(rng)
        } else if unit.kind == UnitKind::Ward {
            t.urban_mix[unit.province].pick(rng)
        } else {
            t.mix[unit.province].pick(rng)
        };
        let (style, family) = match t.ethnic.get(ethnicity_code as usize) {
            Some(Some((style, fams))) => (*style, fams.pick(rng)),
            _ if province.code >= 48 => (NameStyle::Vietnamese, t.kinh_south.pick(rng)),
            _ => (NameStyle::Vietnamese, t.kinh_north.pick(rng)),
        };
        let (middle, given) = match (style, female) {
            (NameStyle::Vietnamese, false) => (t.middle_male.pick(rng), t.given_male.pick(rng)),
            (NameStyle::Vietnamese, true) => (t.middle_female.pick(rng), t.given_female.pick(rng)),
            (NameStyle::Hmong, false) => (t.hmong_middle_male.pick(rng), t.hmong_given_male.pick(rng)),
            (NameStyle::Hmong, true) => (t.hmong_middle_female.pick(rng), t.hmong_given_female.pick(rng)),
            (NameStyle::Highland, false) => (t.highland_middle_male.pick(rng), t.highland_given_male.pick(rng)),
            (NameStyle::Highland, true) => (t.highland_middle_female.pick(rng), t.highland_given_female.pick(rng)),
        };
        let religion = religion(rng, ethnicity_code, province.code);

        // Addresses.
        let villages = commune.villages.clone();
        let residence_index = match cell.village {
            Some(v) if chance(rng, 880) => v,
            _ => rng.random_range(villages),
        };
        let residence = &built.villages[residence_index as usize].address;
        let home_town = match rng.random_range(0..100) {
            0..70 => residence.clone(),
            70..92 => a.units[rng.random_range(province.units.clone())].address.clone(),
            _ => a.units[rng.random_range(0..a.units.len())].address.clone(),
        };
        let current_residence = if chance(rng, 40) {
            let other = rng.random_range(commune.villages.clone());
            built.villages[other as usize].address.clone()
        } else {
            residence.clone()
        };

        // Identity documents.
        let citizen_id = self.citizen_id(birth, gender, province.code);
        let rng = &mut self.rng;
        let party_card_number = (status == MemberStatus::Official).then(|| {
            let mut digits = [0u8; 8];
            write_digits(&mut digits, (self.count * CARD_STEP + self.card_offset) % CARD_RANGE + 10_000_000);
            ascii(&digits)
        });

        // Education and work.
        let general_education = Some(general_education(rng, year, elderly).to_string());
        let (occupation, training) = if elderly { t.elderly_jobs.pick(rng) } else { ct.jobs.pick(rng) };
        let mut theory_level = if probationary {
            t.theory_probationary.pick(rng)
        } else if elderly {
            t.theory_elderly.pick(rng)
        } else {
            ct.theory.pick(rng)
        };
        if leader && theory_level == TheoryLevel::None {
            theory_level = TheoryLevel::Elementary;
        }
        let position = match i {
            0 => Some(p.secretary),
            1 if org.input.has_cell_committee => Some("Phó Bí thư chi bộ"),
            2 => own_village.map(|v| v.kind.head()).or(p.third),
            _ if elderly && chance(rng, 40) => Some("Chi hội trưởng Chi hội Cựu chiến binh"),
            _ if female && own_village.is_some() && chance(rng, 40) => Some("Chi hội trưởng Chi hội Phụ nữ"),
            _ if year >= 1991 && chance(rng, 80) => Some("Bí thư Chi đoàn"),
            _ => None,
        };

        // Contact.
        let phone = chance(rng, if elderly { 700 } else { 930 }).then(|| phone(rng));
        let email = chance(rng, if elderly { 40 } else { 330 }).then(|| {
            // "lan.nguyen90@example.vn", built without reallocating.
            const DOMAIN: &str = "@example.vn";
            let mut e = String::with_capacity(given.1.len() + family.1.len() + 3 + DOMAIN.len());
            e.push_str(given.1);
            e.push('.');
            e.push_str(family.1);
            let mut yy = [0u8; 2];
            write_digits(&mut yy, year.rem_euclid(100) as u64);
            e.push(char::from(yy[0]));
            e.push(char::from(yy[1]));
            e.push_str(DOMAIN);
            e
        });

        let input = MemberInput {
            family_name: family.0.to_string(),
            middle_name: middle.0.to_string(),
            given_name: given.0.to_string(),
            birth_date: birth,
            gender,
            ethnicity_code,
            profile: chibo_domain::member::MemberProfile {
                religion: religion.map(str::to_string),
                home_town: Some(home_town),
                permanent_residence: Some(residence.clone()),
                current_residence: Some(current_residence),
                citizen_id: Some(citizen_id),
                party_card_number,
                general_education,
                professional_education: training.map(str::to_string),
                occupation: Some(occupation.to_string()),
                position: position.map(str::to_string),
                phone,
                email,
                // The fields the demo does not generate (the place of birth …) stay empty.
                ..Default::default()
            },
            theory_level,
            admission_date: admission,
            official_date,
            status,
            age_exception_approved: false,
            org_id: org.id,
        };
        let (events, now) = crate::life::live(self.seed, self.count, &input, leader, built, cell);
        DemoMember {
            id: make_id(self.first_id + self.count, self.rng.random()),
            org_id: org.id,
            org_path: org.path.clone(),
            province_code: Some(province.code),
            input,
            events,
            now,
        }
    }

    /// A citizen ID: pre-merger province of birth registration, century and gender, year of
    /// birth, and a serial unique within those (a bijective scramble of a counter).
    fn citizen_id(&mut self, birth: Date, gender: Gender, province: i32) -> String {
        let rng = &mut self.rng;
        let year = birth.year();
        let century_gender = (if year >= 2000 { 2 } else { 0 }) + usize::from(gender == Gender::Female);
        let yy = year.rem_euclid(100) as usize;
        let mut code = if chance(rng, 900) { one_of(rng, old_codes(province)) } else { one_of(rng, &ALL_OLD_CODES) };
        let mut tries = 0;
        let serial = loop {
            let bucket = (code as usize * 4 + century_gender) * 100 + yy;
            let n = self.cccd[bucket];
            if n < 1_000_000 {
                self.cccd[bucket] += 1;
                let salt = mix(self.seed, bucket as u64) % 1_000_000;
                break (u64::from(n) * 388_237 + salt) % 1_000_000;
            }
            // A million people of one year, gender and province: borrow the next code.
            tries += 1;
            code = ALL_OLD_CODES[(tries + code as usize) % ALL_OLD_CODES.len()];
        };
        let mut digits = [0u8; 12];
        write_digits(&mut digits[0..3], code as u64);
        digits[3] = b'0' + century_gender as u8;
        write_digits(&mut digits[4..6], yy as u64);
        write_digits(&mut digits[6..12], serial);
        ascii(&digits)
    }
}

/// Party card numbers: 8 digits, a bijective scramble of the member's rank.
const CARD_RANGE: u64 = 90_000_000;
/// Coprime with 90,000,000 (= 2⁷·3²·5⁷).
const CARD_STEP: u64 = 7_919_311;

/// A string of ASCII bytes (digits).
fn ascii(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap_or_default()
}

fn write_digits(out: &mut [u8], mut n: u64) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

fn day_in_year<R: Rng>(rng: &mut R, year: i32) -> Date {
    let start = Date::from_calendar_date(year, Month::January, 1).expect("valid year").to_julian_day();
    let days = if time::util::is_leap_year(year) { 366 } else { 365 };
    Date::from_julian_day(start + rng.random_range(0..days)).expect("valid day")
}

/// An admission date for an official member: at 18–60 by calendar month, from 1965, and at
/// least 12 months before [`AS_OF`].
fn official_admission<R: Rng>(rng: &mut R, t: &Tables, birth: Date, last: Date) -> Date {
    let month_index = |d: Date| d.year() * 12 + i32::from(u8::from(d.month())) - 1;
    let b = month_index(birth);
    let last_m = month_index(last);
    let lo = (18 * 12).max(FIRST_ADMISSION_YEAR * 12 - b);
    let hi = (60 * 12).min(last_m - b);
    let (from, to) = t.admission_age.pick(rng);
    let mut age = rng.random_range(from..=to) * 12 + rng.random_range(0..12);
    if age < lo || age > hi {
        age = rng.random_range(lo..=hi.max(lo));
    }
    let a = b + age;
    let (year, month) = (a.div_euclid(12), (a.rem_euclid(12) + 1) as u8);
    let month = Month::try_from(month).unwrap_or(Month::January);
    let mut days = month.length(year);
    if a == last_m {
        days = days.min(last.day());
    }
    Date::from_calendar_date(year, month, rng.random_range(1..=days)).unwrap_or(last)
}

fn religion<R: Rng>(rng: &mut R, ethnicity: i32, province: i32) -> Option<&'static str> {
    let r = rng.random_range(0..1000);
    let table: &[(&'static str, u32)] = match ethnicity {
        5 => &[("Phật giáo", 400)],
        4 => &[("Phật giáo", 200)],
        8 => &[("Tin lành", 50)],
        17 => &[("Hồi giáo", 150), ("Bà-la-môn", 100)],
        10 | 12 | 13 | 14 | 16 | 20 | 22 | 28 => &[("Tin lành", 80), ("Công giáo", 50)],
        _ => match province {
            80 => &[("Cao Đài", 40), ("Phật giáo", 40)],
            91 => &[("Phật giáo Hòa Hảo", 40), ("Phật giáo", 30)],
            37 | 75 => &[("Công giáo", 60), ("Phật giáo", 30)],
            _ => &[("Phật giáo", 40), ("Công giáo", 15)],
        },
    };
    let mut acc = 0;
    for &(name, w) in table {
        acc += w;
        if r < acc {
            return Some(name);
        }
    }
    None
}

fn general_education<R: Rng>(rng: &mut R, year: i32, elderly: bool) -> &'static str {
    if year < 1975 || elderly {
        match rng.random_range(0..100) {
            0..40 => "10/10",
            40..55 => "7/10",
            55..70 => "9/12",
            _ => "12/12",
        }
    } else if chance(rng, 900) {
        "12/12"
    } else {
        "9/12"
    }
}

fn phone<R: Rng>(rng: &mut R) -> String {
    let mut digits = [b'0'; 10];
    digits[1] = match rng.random_range(0..10) {
        0..7 => b'9',
        7..9 => b'3',
        _ => b'8',
    };
    write_digits(&mut digits[2..], rng.random_range(0..100_000_000));
    ascii(&digits)
}
