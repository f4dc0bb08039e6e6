//! The 34 provinces and 3,321 commune-level units in force from 1 Jul 2025 (General
//! Statistics Office list, Nghị quyết 202/2025/QH15), from `data/vn-admin-units-2025.csv`.

use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Province {
    pub code: i32,
    pub name: String,
    /// "tỉnh" or "thành phố trung ương".
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commune {
    pub code: i32,
    pub province_code: i32,
    pub name: String,
    /// "xã", "phường" or "đặc khu".
    pub kind: String,
}

pub struct AdminUnits {
    pub provinces: Vec<Province>,
    pub communes: Vec<Commune>,
    commune_index: HashMap<i32, usize>,
}

const CSV: &str = include_str!("../../../data/vn-admin-units-2025.csv");

/// The whole list, parsed once.
pub fn units() -> &'static AdminUnits {
    static UNITS: OnceLock<AdminUnits> = OnceLock::new();
    UNITS.get_or_init(|| {
        let mut provinces: Vec<Province> = Vec::new();
        let mut communes = Vec::new();
        for line in CSV.lines().skip(1) {
            let f: Vec<&str> = line.split(',').map(str::trim).collect();
            let (Some(pc), Some(cc)) = (f.first().and_then(|s| s.parse().ok()), f.get(3).and_then(|s| s.parse().ok()))
            else {
                continue;
            };
            if f.len() < 6 {
                continue;
            }
            if !provinces.iter().any(|p| p.code == pc) {
                provinces.push(Province { code: pc, name: f[1].to_string(), kind: f[2].to_string() });
            }
            communes.push(Commune { code: cc, province_code: pc, name: f[4].to_string(), kind: f[5].to_string() });
        }
        let commune_index = communes.iter().enumerate().map(|(i, c)| (c.code, i)).collect();
        AdminUnits { provinces, communes, commune_index }
    })
}

impl AdminUnits {
    pub fn province(&self, code: i32) -> Option<&Province> {
        self.provinces.iter().find(|p| p.code == code)
    }
    pub fn commune(&self, code: i32) -> Option<&Commune> {
        self.commune_index.get(&code).map(|&i| &self.communes[i])
    }
    pub fn communes_of(&self, province: i32) -> impl Iterator<Item = &Commune> {
        self.communes.iter().filter(move |c| c.province_code == province)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_34_provinces_and_3321_communes() {
        let u = units();
        assert_eq!(u.provinces.len(), 34);
        assert_eq!(u.communes.len(), 3321);
        assert_eq!(u.province(1).unwrap().name, "Thành phố Hà Nội");
        assert_eq!(u.commune(70).unwrap().name, "Phường Hoàn Kiếm");
        assert_eq!(u.commune(70).unwrap().province_code, 1);
        assert!(u.commune(-1).is_none());
        assert!(u.communes_of(1).count() > 100);
    }
}
