//! Names of villages, residential groups, schools, agencies and enterprises.

use crate::admin::{Region, UnitKind};
use crate::pick::{chance, one_of};
use rand::Rng;
use std::collections::HashSet;

/// The kind of a village or residential group, which names its head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VillageKind {
    Thon,
    Ban,
    Ap,
    Buon,
    Lang,
    ToDanPho,
    KhuPho,
}

impl VillageKind {
    fn prefix(self) -> &'static str {
        match self {
            VillageKind::Thon => "Thôn",
            VillageKind::Ban => "Bản",
            VillageKind::Ap => "Ấp",
            VillageKind::Buon => "Buôn",
            VillageKind::Lang => "Làng",
            VillageKind::ToDanPho => "Tổ dân phố số",
            VillageKind::KhuPho => "Khu phố",
        }
    }

    /// The head of the village (*trưởng thôn* …).
    pub(crate) fn head(self) -> &'static str {
        match self {
            VillageKind::Thon => "Trưởng thôn",
            VillageKind::Ban => "Trưởng bản",
            VillageKind::Ap => "Trưởng ấp",
            VillageKind::Buon => "Trưởng buôn",
            VillageKind::Lang => "Trưởng làng",
            VillageKind::ToDanPho => "Tổ trưởng tổ dân phố",
            VillageKind::KhuPho => "Trưởng khu phố",
        }
    }

    /// Villages of the ethnic minorities (bản, buôn, làng).
    pub(crate) fn is_minority(self) -> bool {
        matches!(self, VillageKind::Ban | VillageKind::Buon | VillageKind::Lang)
    }

    pub(crate) fn is_urban(self) -> bool {
        matches!(self, VillageKind::ToDanPho | VillageKind::KhuPho)
    }
}

/// One village: its kind and its full name ("Thôn Đông", "Bản Nà Lầu", "Tổ dân phố số 5").
#[derive(Debug, Clone)]
pub(crate) struct Village {
    pub kind: VillageKind,
    pub name: String,
}

impl Village {
    /// "Chi bộ thôn Đông", "Chi bộ tổ dân phố số 5".
    pub(crate) fn cell_name(&self) -> String {
        let mut chars = self.name.chars();
        let first: String = chars.next().into_iter().flat_map(char::to_lowercase).collect();
        format!("Chi bộ {first}{}", chars.as_str())
    }
}

const SYLLABLE_FIRST: &[&str] = &[
    "An",
    "Bình",
    "Phú",
    "Tân",
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Hòa",
    "Mỹ",
    "Phước",
    "Thạnh",
    "Trung",
    "Hưng",
    "Thịnh",
    "Vĩnh",
    "Long",
    "Thái",
    "Xuân",
    "Hạ",
    "Thượng",
    "Kim",
    "Ngọc",
    "Đại",
    "Tiên",
    "Cẩm",
    "Quang",
    "Phúc",
    "Yên",
    "Hà",
];
const SYLLABLE_SECOND: &[&str] = &[
    "Lợi", "Phú", "Mỹ", "Lập", "Hòa", "Thành", "An", "Bình", "Hưng", "Thịnh", "Lộc", "Phước", "Xuân", "Đông", "Tây",
    "Trung", "Nam", "Bắc", "Sơn", "Thủy", "Lâm", "Hải", "Giang", "Khánh", "Quý", "Yên",
];
const BAN_FIRST: &[&str] = &[
    "Nà", "Pác", "Khuổi", "Nậm", "Huổi", "Phiêng", "Co", "Bó", "Lũng", "Pá", "Tà", "Pắc", "Cốc", "Khau", "Sín", "Lao",
];
const BAN_SECOND: &[&str] = &[
    "Lầu", "Bó", "Mòn", "Cọ", "Hẹ", "Sang", "Khoang", "Tông", "Chè", "Pền", "Luông", "Mường", "Phăng", "Kham", "Nưa",
    "Pe", "Lếch", "Ban", "Cáy", "Ngòa", "Chải", "Phìn", "Thàng", "Sả",
];
const BUON_FIRST: &[&str] = &["Ea", "Kô", "Ko", "Drai", "Cư", "Tơ", "Plei"];
const BUON_SECOND: &[&str] = &[
    "Kmăt", "Siêr", "Tam", "Sim", "Yang", "Pốc", "Kram", "Blang", "Drang", "Knia", "Bông", "Ring", "Đrông", "Jut",
    "Ơi", "Kpă", "Leo", "Mnang", "Ktur", "Kần", "Chư", "Tuar",
];

/// `n` distinct villages of one commune.
pub(crate) fn villages<R: Rng>(rng: &mut R, region: Region, kind: UnitKind, n: usize) -> Vec<Village> {
    let mut out = Vec::with_capacity(n);
    let mut seen = HashSet::with_capacity(n);
    if kind == UnitKind::Ward {
        let vk = if region == Region::South { VillageKind::KhuPho } else { VillageKind::ToDanPho };
        for i in 1..=n {
            out.push(Village { kind: vk, name: format!("{} {i}", vk.prefix()) });
        }
        return out;
    }
    let lowland = if region == Region::South { VillageKind::Ap } else { VillageKind::Thon };
    // Share of numbered lowland villages in this commune: none, half or all.
    let numbered = one_of(rng, &[0u32, 500, 1000]);
    let minority = match region {
        Region::NorthernHighlands | Region::CentralHighlands => 550,
        _ => 0,
    };
    let mut number = 0;
    while out.len() < n {
        let (vk, name) = if chance(rng, minority) {
            if region == Region::NorthernHighlands {
                let name = format!("{} {}", one_of(rng, BAN_FIRST), one_of(rng, BAN_SECOND));
                (VillageKind::Ban, name)
            } else {
                let vk = if chance(rng, 600) { VillageKind::Buon } else { VillageKind::Lang };
                let name = format!("{} {}", one_of(rng, BUON_FIRST), one_of(rng, BUON_SECOND));
                (vk, name)
            }
        } else if chance(rng, numbered) {
            number += 1;
            (lowland, number.to_string())
        } else {
            let (a, b) = (one_of(rng, SYLLABLE_FIRST), one_of(rng, SYLLABLE_SECOND));
            if a == b {
                continue;
            }
            (lowland, format!("{a} {b}"))
        };
        let full = format!("{} {name}", vk.prefix());
        if seen.insert(full.clone()) {
            out.push(Village { kind: vk, name: full });
        }
    }
    out
}

/// People schools are named after.
const NAMESAKES: &[&str] = &[
    "Kim Đồng",
    "Nguyễn Du",
    "Lê Quý Đôn",
    "Trần Phú",
    "Lý Tự Trọng",
    "Nguyễn Trãi",
    "Chu Văn An",
    "Quang Trung",
    "Võ Thị Sáu",
    "Nguyễn Văn Trỗi",
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Phan Bội Châu",
    "Hoàng Hoa Thám",
    "Nguyễn Bỉnh Khiêm",
    "Lương Thế Vinh",
    "Ngô Quyền",
    "Hai Bà Trưng",
    "Bế Văn Đàn",
    "Nguyễn Viết Xuân",
    "Phan Đình Phùng",
    "Nguyễn Huệ",
    "Tô Hiệu",
    "Trần Quốc Toản",
    "Lê Văn Tám",
    "Nguyễn Đình Chiểu",
    "Phan Châu Trinh",
    "Huỳnh Thúc Kháng",
];
const PRESCHOOL_NAMES: &[&str] = &["Hoa Sen", "Hoa Mai", "Sơn Ca", "Họa Mi", "Hoa Hồng", "Vành Khuyên"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SchoolLevel {
    Preschool,
    Primary,
    LowerSecondary,
    UpperSecondary,
}

impl SchoolLevel {
    fn label(self) -> &'static str {
        match self {
            SchoolLevel::Preschool => "Mầm non",
            SchoolLevel::Primary => "Tiểu học",
            SchoolLevel::LowerSecondary => "THCS",
            SchoolLevel::UpperSecondary => "THPT",
        }
    }
}

/// Names of the schools of a commune: the first of each level after the commune, the others
/// after people ("Trường Tiểu học Quế Lộc", "Trường Tiểu học Kim Đồng").
pub(crate) fn schools<R: Rng>(rng: &mut R, bare: &str, levels: &[(SchoolLevel, usize)]) -> Vec<(SchoolLevel, String)> {
    let mut out = Vec::new();
    let mut used: HashSet<&str> = HashSet::new();
    for &(level, count) in levels {
        let pool = if level == SchoolLevel::Preschool { PRESCHOOL_NAMES } else { NAMESAKES };
        for i in 0..count {
            let free: Vec<&str> = pool.iter().copied().filter(|n| !used.contains(n)).collect();
            let name = if i == 0 && level != SchoolLevel::UpperSecondary {
                format!("Trường {} {bare}", level.label())
            } else if free.is_empty() {
                format!("Trường {} số {} {bare}", level.label(), i + 1)
            } else {
                let n = one_of(rng, &free);
                used.insert(n);
                format!("Trường {} {n}", level.label())
            };
            out.push((level, name));
        }
    }
    out
}

const COMPANY_FORMS: &[&str] = &["Cổ phần", "TNHH", "TNHH MTV"];
const COMPANY_SECTORS: &[&str] = &[
    "May",
    "Xây dựng",
    "Cơ khí",
    "Thực phẩm",
    "Vận tải",
    "Thương mại",
    "Dược phẩm",
    "Điện tử",
    "Chế biến Gỗ",
    "Thủy sản",
    "Nông sản",
    "Xi măng",
    "Giày da",
    "Gạch men",
    "Bao bì",
    "Môi trường",
    "Du lịch",
];
const COMPANY_BRANDS: &[&str] = &[
    "An Phát",
    "Hòa Bình",
    "Minh Long",
    "Thành Công",
    "Việt Hưng",
    "Đại Dương",
    "Sao Mai",
    "Hoàng Long",
    "Phú Thái",
    "Tân Tiến",
    "Hưng Thịnh",
    "Phúc An",
    "Trường Sơn",
    "Hồng Hà",
    "Bình Minh",
    "Thăng Long",
    "Nam Việt",
    "Đông Á",
    "Kim Long",
    "Thiên Phú",
    "Hải Âu",
    "Quang Minh",
    "Tiến Đạt",
];

/// A company name not yet in `used` ("Công ty Cổ phần May Sao Mai").
pub(crate) fn company<R: Rng>(rng: &mut R, used: &mut HashSet<String>) -> String {
    loop {
        let name = format!(
            "Công ty {} {} {}",
            one_of(rng, COMPANY_FORMS),
            one_of(rng, COMPANY_SECTORS),
            one_of(rng, COMPANY_BRANDS)
        );
        if used.insert(name.clone()) {
            return name;
        }
    }
}

/// Cells inside an enterprise's base committee.
pub(crate) const COMPANY_CELLS: &[&str] = &[
    "Chi bộ Phân xưởng 1",
    "Chi bộ Phân xưởng 2",
    "Chi bộ Phân xưởng 3",
    "Chi bộ Phòng Kỹ thuật",
    "Chi bộ Văn phòng",
    "Chi bộ Phòng Kinh doanh",
    "Chi bộ Phân xưởng Cơ điện",
    "Chi bộ Đội Xe",
    "Chi bộ Phòng Tài chính – Kế toán",
    "Chi bộ Phòng Tổ chức – Hành chính",
];

/// Cells inside a hospital's base committee.
pub(crate) const HOSPITAL_CELLS: &[&str] = &[
    "Chi bộ Khoa Nội",
    "Chi bộ Khoa Ngoại",
    "Chi bộ Khoa Sản",
    "Chi bộ Khoa Nhi",
    "Chi bộ Khoa Khám bệnh",
    "Chi bộ Khoa Hồi sức cấp cứu",
    "Chi bộ Khoa Cận lâm sàng",
    "Chi bộ Hành chính – Tổng hợp",
];

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn village_names_and_cell_names() {
        let v = Village { kind: VillageKind::Thon, name: "Thôn Đông".into() };
        assert_eq!(v.cell_name(), "Chi bộ thôn Đông");
        let v = Village { kind: VillageKind::Ap, name: "Ấp 3".into() };
        assert_eq!(v.cell_name(), "Chi bộ ấp 3");
        let mut rng = StdRng::seed_from_u64(3);
        let wards = villages(&mut rng, Region::North, UnitKind::Ward, 12);
        assert_eq!(wards[4].name, "Tổ dân phố số 5");
        assert_eq!(wards[4].cell_name(), "Chi bộ tổ dân phố số 5");
        for region in [Region::North, Region::NorthernHighlands, Region::CentralHighlands, Region::South] {
            let vs = villages(&mut rng, region, UnitKind::Rural, 110);
            let set: HashSet<&str> = vs.iter().map(|v| v.name.as_str()).collect();
            assert_eq!(set.len(), 110);
        }
    }

    #[test]
    fn school_names() {
        let mut rng = StdRng::seed_from_u64(3);
        let s = schools(&mut rng, "Quế Lộc", &[(SchoolLevel::Primary, 3), (SchoolLevel::Preschool, 2)]);
        assert_eq!(s[0].1, "Trường Tiểu học Quế Lộc");
        assert_eq!(s.len(), 5);
        let set: HashSet<&str> = s.iter().map(|x| x.1.as_str()).collect();
        assert_eq!(set.len(), 5);
    }
}
