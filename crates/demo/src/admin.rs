//! The 34 provinces and 3,321 commune-level units of 1 Jul 2025, from the General Statistics
//! Office list embedded at compile time, with the facts the generator needs about each
//! province: the pre-merger province codes (used by citizen IDs), its ethnic mix and the
//! style of its village names.

use std::ops::Range;
use std::sync::OnceLock;

const CSV: &str = include_str!("../../../data/vn-admin-units-2025.csv");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnitKind {
    /// Xã.
    Rural,
    /// Phường.
    Ward,
    /// Đặc khu.
    SpecialZone,
}

#[derive(Debug, Clone)]
pub(crate) struct Province {
    pub code: i32,
    /// As listed: "Thành phố Hà Nội", "Lạng Sơn".
    pub name: &'static str,
    pub is_city: bool,
    /// Index range into [`Admin::units`].
    pub units: Range<usize>,
    /// "thành phố Hà Nội", "tỉnh Lạng Sơn": as written at the end of an address.
    pub address: String,
}

impl Province {
    /// "Đảng bộ Thành phố Hà Nội", "Đảng bộ Tỉnh Lạng Sơn".
    pub fn committee_name(&self) -> String {
        if self.is_city { format!("Đảng bộ {}", self.name) } else { format!("Đảng bộ Tỉnh {}", self.name) }
    }

    pub fn region(&self) -> Region {
        region(self.code)
    }

    /// Whether the province was formed by the merger of 1 Jul 2025.
    pub fn merged_2025(&self) -> bool {
        old_codes(self.code).len() > 1
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Unit {
    pub code: i32,
    /// As listed: "Xã Quế Lộc", "Phường Hoàn Kiếm", "Đặc khu Cô Tô".
    pub name: &'static str,
    /// Without the kind: "Quế Lộc".
    pub bare: &'static str,
    pub kind: UnitKind,
    pub province: usize,
    /// "xã Quế Lộc, thành phố Đà Nẵng".
    pub address: String,
}

#[derive(Debug)]
pub(crate) struct Admin {
    pub provinces: Vec<Province>,
    pub units: Vec<Unit>,
}

pub(crate) fn admin() -> &'static Admin {
    static ADMIN: OnceLock<Admin> = OnceLock::new();
    ADMIN.get_or_init(parse)
}

fn parse() -> Admin {
    let mut provinces: Vec<Province> = Vec::with_capacity(34);
    let mut units: Vec<Unit> = Vec::with_capacity(3321);
    for line in CSV.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&'static str> = line.split(',').map(str::trim).collect();
        assert_eq!(f.len(), 6, "bad line in vn-admin-units-2025.csv: {line}");
        let province_code: i32 = f[0].parse().expect("province code");
        if provinces.last().is_none_or(|p| p.code != province_code) {
            let is_city = f[2].starts_with("thành phố");
            let address = if is_city {
                format!("thành phố {}", f[1].trim_start_matches("Thành phố "))
            } else {
                format!("tỉnh {}", f[1])
            };
            provinces.push(Province {
                code: province_code,
                name: f[1],
                is_city,
                units: units.len()..units.len(),
                address,
            });
        }
        let kind = match f[5] {
            "phường" => UnitKind::Ward,
            "đặc khu" => UnitKind::SpecialZone,
            _ => UnitKind::Rural,
        };
        let (prefix, lower) = match kind {
            UnitKind::Rural => ("Xã ", "xã"),
            UnitKind::Ward => ("Phường ", "phường"),
            UnitKind::SpecialZone => ("Đặc khu ", "đặc khu"),
        };
        let bare = f[4].strip_prefix(prefix).unwrap_or(f[4]);
        let p = provinces.len() - 1;
        provinces[p].units.end += 1;
        units.push(Unit {
            code: f[3].parse().expect("unit code"),
            name: f[4],
            bare,
            kind,
            province: p,
            address: format!("{lower} {bare}, {}", provinces[p].address),
        });
    }
    Admin { provinces, units }
}

/// How villages and residential groups are named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Region {
    /// Thôn / tổ dân phố.
    North,
    /// Thôn or bản (Tày, Thái, Hmông names) / tổ dân phố.
    NorthernHighlands,
    /// Thôn, buôn, làng, plei / tổ dân phố.
    CentralHighlands,
    /// Ấp / khu phố.
    South,
}

pub(crate) fn region(code: i32) -> Region {
    match code {
        4 | 8 | 11 | 12 | 14 | 15 | 19 | 20 => Region::NorthernHighlands,
        51 | 52 | 66 | 68 => Region::CentralHighlands,
        75 | 79 | 80 | 82 | 86 | 91 | 92 | 96 => Region::South,
        _ => Region::North,
    }
}

/// Codes of the provinces before 1 Jul 2025 that form each new province (the codes that
/// citizen IDs of people born there carry in digits 1–3). Source: Nghị quyết 202/2025/QH15.
pub(crate) fn old_codes(code: i32) -> &'static [i32] {
    match code {
        8 => &[8, 2],
        15 => &[10, 15],
        19 => &[19, 6],
        24 => &[27, 24],
        25 => &[25, 26, 17],
        31 => &[31, 30],
        33 => &[33, 34],
        37 => &[37, 35, 36],
        44 => &[44, 45],
        48 => &[48, 49],
        51 => &[51, 62],
        52 => &[64, 52],
        56 => &[56, 58],
        66 => &[66, 54],
        68 => &[68, 67, 60],
        75 => &[75, 70],
        79 => &[79, 74, 77],
        80 => &[72, 80],
        82 => &[82, 87],
        86 => &[86, 83, 84],
        91 => &[89, 91],
        92 => &[92, 94, 93],
        96 => &[96, 95],
        1 => &[1],
        4 => &[4],
        11 => &[11],
        12 => &[12],
        14 => &[14],
        20 => &[20],
        22 => &[22],
        38 => &[38],
        40 => &[40],
        42 => &[42],
        46 => &[46],
        _ => &[],
    }
}

/// The name of a province before 1 Jul 2025 by its code, and whether it was a
/// centrally-governed city (used for the pre-2025 committees of the demo's reform history).
pub(crate) fn old_name(code: i32) -> Option<(&'static str, bool)> {
    const OLD: &[(i32, &str, bool)] = &[
        (1, "Hà Nội", true),
        (2, "Hà Giang", false),
        (4, "Cao Bằng", false),
        (6, "Bắc Kạn", false),
        (8, "Tuyên Quang", false),
        (10, "Lào Cai", false),
        (11, "Điện Biên", false),
        (12, "Lai Châu", false),
        (14, "Sơn La", false),
        (15, "Yên Bái", false),
        (17, "Hòa Bình", false),
        (19, "Thái Nguyên", false),
        (20, "Lạng Sơn", false),
        (22, "Quảng Ninh", false),
        (24, "Bắc Giang", false),
        (25, "Phú Thọ", false),
        (26, "Vĩnh Phúc", false),
        (27, "Bắc Ninh", false),
        (30, "Hải Dương", false),
        (31, "Hải Phòng", true),
        (33, "Hưng Yên", false),
        (34, "Thái Bình", false),
        (35, "Hà Nam", false),
        (36, "Nam Định", false),
        (37, "Ninh Bình", false),
        (38, "Thanh Hóa", false),
        (40, "Nghệ An", false),
        (42, "Hà Tĩnh", false),
        (44, "Quảng Bình", false),
        (45, "Quảng Trị", false),
        (46, "Huế", true),
        (48, "Đà Nẵng", true),
        (49, "Quảng Nam", false),
        (51, "Quảng Ngãi", false),
        (52, "Bình Định", false),
        (54, "Phú Yên", false),
        (56, "Khánh Hòa", false),
        (58, "Ninh Thuận", false),
        (60, "Bình Thuận", false),
        (62, "Kon Tum", false),
        (64, "Gia Lai", false),
        (66, "Đắk Lắk", false),
        (67, "Đắk Nông", false),
        (68, "Lâm Đồng", false),
        (70, "Bình Phước", false),
        (72, "Tây Ninh", false),
        (74, "Bình Dương", false),
        (75, "Đồng Nai", false),
        (77, "Bà Rịa - Vũng Tàu", false),
        (79, "Hồ Chí Minh", true),
        (80, "Long An", false),
        (82, "Tiền Giang", false),
        (83, "Bến Tre", false),
        (84, "Trà Vinh", false),
        (86, "Vĩnh Long", false),
        (87, "Đồng Tháp", false),
        (89, "An Giang", false),
        (91, "Kiên Giang", false),
        (92, "Cần Thơ", true),
        (93, "Hậu Giang", false),
        (94, "Sóc Trăng", false),
        (95, "Bạc Liêu", false),
        (96, "Cà Mau", false),
    ];
    OLD.iter().find(|(c, _, _)| *c == code).map(|&(_, name, city)| (name, city))
}

/// Every code that existed before 1 Jul 2025 (for people born in another province).
pub(crate) const ALL_OLD_CODES: [i32; 63] = [
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40, 42, 44, 45,
    46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92,
    93, 94, 95, 96,
];

/// Approximate ethnic mix of a province's population, per mille, by ethnicity code (1 = Kinh).
/// Rounded from the 2019 census for realistic demo data only, never as reference figures.
pub(crate) fn ethnic_mix(code: i32) -> &'static [(i32, u32)] {
    match code {
        // Cao Bằng: Tày, Nùng, Hmông, Dao.
        4 => &[(1, 60), (2, 410), (7, 310), (8, 110), (9, 100), (24, 10)],
        // Tuyên Quang (with Hà Giang).
        8 => &[(1, 300), (2, 250), (8, 200), (9, 120), (7, 60), (15, 30), (25, 15), (43, 5), (35, 10), (40, 10)],
        11 => &[(1, 180), (3, 380), (8, 350), (29, 30), (9, 20), (35, 20), (42, 20)],
        12 => &[(1, 170), (3, 300), (8, 350), (9, 100), (35, 30), (25, 40), (42, 10)],
        14 => &[(1, 170), (3, 530), (8, 160), (6, 80), (29, 20), (9, 20), (33, 20)],
        // Lào Cai (with Yên Bái).
        15 => &[(1, 450), (2, 120), (8, 170), (9, 120), (3, 40), (7, 30), (25, 20), (40, 10), (35, 10), (6, 30)],
        // Thái Nguyên (with Bắc Kạn).
        19 => &[(1, 650), (2, 170), (7, 60), (9, 50), (18, 30), (15, 20), (8, 20)],
        20 => &[(1, 160), (7, 420), (2, 350), (9, 40), (15, 10), (8, 10), (4, 10)],
        22 => &[(1, 880), (9, 50), (2, 30), (18, 20), (15, 10), (4, 10)],
        24 => &[(1, 900), (7, 40), (2, 25), (15, 15), (18, 15), (4, 5)],
        // Phú Thọ (with Hòa Bình and Vĩnh Phúc).
        25 => &[(1, 700), (6, 260), (9, 20), (2, 10), (18, 10)],
        37 => &[(1, 980), (6, 20)],
        38 => &[(1, 840), (6, 90), (3, 60), (8, 5), (33, 5)],
        40 => &[(1, 860), (3, 100), (29, 20), (8, 15), (6, 5)],
        44 => &[(1, 950), (23, 40), (31, 10)],
        46 => &[(1, 970), (31, 20), (26, 10)],
        48 => &[(1, 930), (26, 40), (14, 20), (27, 10)],
        // Quảng Ngãi (with Kon Tum).
        51 => &[(1, 700), (19, 100), (14, 100), (13, 40), (30, 20), (27, 20), (39, 20)],
        // Gia Lai (with Bình Định).
        52 => &[(1, 700), (10, 200), (13, 90), (2, 5), (7, 5)],
        56 => &[(1, 850), (21, 70), (17, 60), (16, 20)],
        // Đắk Lắk (with Phú Yên).
        66 => &[(1, 700), (12, 160), (20, 20), (2, 25), (7, 35), (13, 10), (17, 10), (8, 10)],
        // Lâm Đồng (with Đắk Nông and Bình Thuận).
        68 => &[(1, 800), (16, 70), (20, 30), (28, 20), (17, 20), (7, 20), (2, 15), (21, 10), (4, 15)],
        75 => &[(1, 900), (4, 30), (22, 30), (7, 15), (2, 10), (32, 10), (5, 5)],
        79 => &[(1, 940), (4, 50), (5, 5), (17, 5)],
        80 => &[(1, 985), (5, 10), (17, 5)],
        86 => &[(1, 850), (5, 140), (4, 10)],
        91 => &[(1, 880), (5, 100), (4, 15), (17, 5)],
        92 => &[(1, 800), (5, 170), (4, 30)],
        96 => &[(1, 920), (5, 50), (4, 30)],
        1 => &[(1, 985), (6, 10), (2, 5)],
        _ => &[(1, 1000)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_all_units() {
        let a = admin();
        assert_eq!(a.provinces.len(), 34);
        assert_eq!(a.units.len(), 3321);
        let hanoi = &a.provinces[0];
        assert_eq!(hanoi.committee_name(), "Đảng bộ Thành phố Hà Nội");
        assert_eq!(hanoi.address, "thành phố Hà Nội");
        let ls = a.provinces.iter().find(|p| p.code == 20).unwrap();
        assert_eq!(ls.committee_name(), "Đảng bộ Tỉnh Lạng Sơn");
        let u = &a.units[hanoi.units.start];
        assert_eq!(u.name, "Phường Hoàn Kiếm");
        assert_eq!(u.bare, "Hoàn Kiếm");
        assert_eq!(u.address, "phường Hoàn Kiếm, thành phố Hà Nội");
        let total: usize = a.provinces.iter().map(|p| p.units.len()).sum();
        assert_eq!(total, 3321);
    }

    #[test]
    fn every_province_has_old_codes_and_a_mix() {
        let mut seen = Vec::new();
        for p in &admin().provinces {
            let codes = old_codes(p.code);
            assert!(!codes.is_empty(), "{}", p.name);
            assert!(codes.contains(&p.code), "{}", p.name);
            seen.extend_from_slice(codes);
            for &(eth, _) in ethnic_mix(p.code) {
                assert!(chibo_domain::ethnicity::by_code(eth).is_some(), "{eth}");
            }
        }
        seen.sort_unstable();
        assert_eq!(seen, ALL_OLD_CODES.to_vec());
        assert!(ALL_OLD_CODES.iter().all(|&c| old_name(c).is_some()));
    }
}
