//! The 54 officially recognised ethnic groups (*dân tộc*), with their statistical codes.
//! Source: General Statistics Office list (Quyết định 121-TCTK/PPCĐ, 02/03/1979), in
//! `data/vn-ethnic-groups.csv`, embedded at compile time.

use std::sync::OnceLock;

/// One ethnic group: its statistical code, name and approximate 2019 census population
/// in thousands (for realistic demo data only, never as reference figures).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ethnicity {
    pub code: i32,
    pub name: String,
    pub population_thousands: u32,
}

const CSV: &str = include_str!("../../../data/vn-ethnic-groups.csv");

/// All 54 groups, in code order.
pub fn all() -> &'static [Ethnicity] {
    static ALL: OnceLock<Vec<Ethnicity>> = OnceLock::new();
    ALL.get_or_init(|| {
        CSV.lines()
            .skip(1)
            .filter_map(|line| {
                let mut f = line.split(',');
                Some(Ethnicity {
                    code: f.next()?.trim().parse().ok()?,
                    name: f.next()?.trim().to_string(),
                    population_thousands: f.next()?.trim().parse().unwrap_or(0),
                })
            })
            .collect()
    })
}

pub fn by_code(code: i32) -> Option<&'static Ethnicity> {
    all().iter().find(|e| e.code == code)
}

/// Find a group by name, ignoring case and diacritics ("thai" finds Thái).
pub fn by_name(name: &str) -> Option<&'static Ethnicity> {
    let folded = crate::collation::fold(name);
    all().iter().find(|e| crate::collation::fold(&e.name) == folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_the_54_groups() {
        assert_eq!(all().len(), 54);
        assert_eq!(by_code(1).unwrap().name, "Kinh");
        assert_eq!(by_name("tay").unwrap().code, 2);
        assert!(by_code(0).is_none());
        assert!(by_code(55).is_none());
        let mut codes: Vec<i32> = all().iter().map(|e| e.code).collect();
        codes.dedup();
        assert_eq!(codes.len(), 54);
    }
}
