//! Personal names: family names weighted by their approximate frequency, middle and given
//! names by gender, and the family names of the larger ethnic minorities.
//!
//! Weights are per mille of the population and only approximate (for realistic demo data).

/// Kinh family names in the North and North Central provinces.
pub(crate) const KINH_FAMILY_NORTH: &[(&str, u32)] = &[
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 45),
    ("Phan", 40),
    ("Vũ", 35),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Lý", 5),
    ("Đào", 8),
    ("Đinh", 8),
    ("Trịnh", 7),
    ("Trương", 6),
    ("Đoàn", 5),
    ("Lương", 5),
    ("Mai", 5),
    ("Hà", 5),
    ("Cao", 4),
    ("Tạ", 3),
    ("Tô", 3),
    ("Lưu", 3),
    ("Phùng", 3),
    ("Chu", 2),
    ("Kiều", 2),
    ("Khúc", 1),
    ("Khổng", 1),
    ("Quách", 2),
    ("Nghiêm", 1),
    ("Vương", 2),
    ("Triệu", 2),
    ("Thái", 2),
    ("Lại", 1),
    ("Đồng", 1),
    ("Văn", 1),
    ("Lò", 1),
];

/// Kinh family names from the South Central coast southwards (Huỳnh for Hoàng, Võ for Vũ).
pub(crate) const KINH_FAMILY_SOUTH: &[(&str, u32)] = &[
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Huỳnh", 40),
    ("Hoàng", 5),
    ("Phan", 45),
    ("Võ", 32),
    ("Vũ", 3),
    ("Đặng", 20),
    ("Bùi", 15),
    ("Đỗ", 12),
    ("Hồ", 18),
    ("Ngô", 13),
    ("Dương", 10),
    ("Lý", 8),
    ("Đào", 6),
    ("Đinh", 6),
    ("Trương", 12),
    ("Lâm", 6),
    ("Mai", 6),
    ("Đoàn", 5),
    ("Lương", 4),
    ("Cao", 4),
    ("Tạ", 2),
    ("Tô", 3),
    ("Lưu", 3),
    ("Châu", 4),
    ("La", 2),
    ("Thái", 3),
    ("Tăng", 2),
    ("Quách", 2),
    ("Trịnh", 3),
    ("Từ", 1),
    ("Kiều", 1),
    ("Mạc", 1),
];

pub(crate) const MIDDLE_MALE: &[(&str, u32)] = &[
    ("Văn", 420),
    ("Đức", 60),
    ("Minh", 60),
    ("Hữu", 50),
    ("Quang", 45),
    ("Công", 40),
    ("Xuân", 30),
    ("Thanh", 30),
    ("Ngọc", 25),
    ("Mạnh", 20),
    ("Trọng", 25),
    ("Tiến", 20),
    ("Quốc", 30),
    ("Anh", 15),
    ("Hoàng", 20),
    ("Duy", 20),
    ("Đình", 40),
    ("Bá", 15),
    ("Thế", 15),
    ("Viết", 10),
    ("Tấn", 10),
];

pub(crate) const MIDDLE_FEMALE: &[(&str, u32)] = &[
    ("Thị", 500),
    ("Thị Thu", 50),
    ("Thị Thanh", 40),
    ("Thị Ngọc", 30),
    ("Thị Kim", 25),
    ("Thị Hồng", 25),
    ("Ngọc", 40),
    ("Thu", 40),
    ("Thanh", 35),
    ("Minh", 25),
    ("Phương", 20),
    ("Thùy", 25),
    ("Hồng", 20),
    ("Kim", 15),
    ("Mỹ", 10),
    ("Bích", 15),
    ("Diệu", 10),
    ("Hải", 10),
    ("Khánh", 10),
    ("Hoài", 10),
    ("Lan", 5),
];

pub(crate) const GIVEN_MALE: &[(&str, u32)] = &[
    ("Anh", 30),
    ("Bảo", 8),
    ("Bình", 20),
    ("Cường", 20),
    ("Chiến", 15),
    ("Công", 10),
    ("Dũng", 30),
    ("Duy", 10),
    ("Đạt", 15),
    ("Đông", 10),
    ("Đức", 25),
    ("Giang", 8),
    ("Hải", 25),
    ("Hào", 8),
    ("Hiếu", 15),
    ("Hiệp", 10),
    ("Hòa", 15),
    ("Hoàng", 12),
    ("Huy", 20),
    ("Hùng", 30),
    ("Hưng", 20),
    ("Khánh", 12),
    ("Khải", 6),
    ("Khoa", 8),
    ("Kiên", 10),
    ("Lâm", 10),
    ("Long", 20),
    ("Lợi", 10),
    ("Luân", 6),
    ("Mạnh", 15),
    ("Minh", 30),
    ("Nam", 25),
    ("Nghĩa", 15),
    ("Nhân", 10),
    ("Phong", 12),
    ("Phúc", 12),
    ("Phương", 10),
    ("Quân", 15),
    ("Quang", 20),
    ("Quý", 10),
    ("Sang", 8),
    ("Sơn", 25),
    ("Tài", 10),
    ("Tâm", 12),
    ("Tân", 10),
    ("Thắng", 20),
    ("Thành", 25),
    ("Thịnh", 10),
    ("Thông", 8),
    ("Tiến", 15),
    ("Toàn", 12),
    ("Trung", 20),
    ("Trường", 12),
    ("Tú", 10),
    ("Tuấn", 30),
    ("Tùng", 15),
    ("Vinh", 15),
    ("Việt", 15),
    ("Vũ", 8),
    ("Hậu", 8),
    ("Thái", 8),
    ("Lộc", 10),
    ("Hợp", 6),
    ("Chung", 6),
    ("Thanh", 12),
    ("Quyết", 8),
    ("Lực", 6),
    ("Định", 6),
    ("Hiển", 6),
    ("Khiêm", 5),
    ("Phát", 6),
    ("Thiện", 6),
    ("Hoan", 5),
    ("Tuyên", 5),
    ("Khang", 5),
];

pub(crate) const GIVEN_FEMALE: &[(&str, u32)] = &[
    ("An", 8),
    ("Anh", 20),
    ("Bích", 8),
    ("Châu", 8),
    ("Chi", 10),
    ("Cúc", 8),
    ("Diệp", 5),
    ("Dung", 15),
    ("Duyên", 10),
    ("Giang", 12),
    ("Hà", 25),
    ("Hạnh", 20),
    ("Hằng", 20),
    ("Hiền", 20),
    ("Hoa", 25),
    ("Hồng", 15),
    ("Huệ", 12),
    ("Huyền", 20),
    ("Hương", 30),
    ("Hường", 10),
    ("Lan", 30),
    ("Liên", 12),
    ("Liễu", 6),
    ("Linh", 25),
    ("Loan", 12),
    ("Luyến", 5),
    ("Lý", 5),
    ("Mai", 25),
    ("Minh", 8),
    ("My", 8),
    ("Nga", 20),
    ("Ngân", 10),
    ("Ngọc", 12),
    ("Nguyệt", 10),
    ("Nhàn", 10),
    ("Nhung", 15),
    ("Oanh", 10),
    ("Phượng", 12),
    ("Phương", 25),
    ("Quyên", 8),
    ("Quỳnh", 12),
    ("Sen", 6),
    ("Tâm", 10),
    ("Thanh", 15),
    ("Thảo", 25),
    ("Thắm", 6),
    ("Thu", 15),
    ("Thúy", 15),
    ("Thủy", 25),
    ("Thư", 10),
    ("Thương", 10),
    ("Trang", 25),
    ("Trinh", 8),
    ("Tuyết", 12),
    ("Uyên", 8),
    ("Vân", 15),
    ("Vy", 6),
    ("Xuân", 10),
    ("Yến", 20),
    ("Hậu", 6),
    ("Lệ", 8),
    ("Hoài", 6),
    ("Đào", 6),
    ("Gấm", 4),
    ("Khánh", 6),
    ("Nhi", 8),
    ("Thơm", 5),
    ("Lụa", 4),
    ("Hiên", 4),
    ("Thoa", 8),
];

/// How names of an ethnic group are built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameStyle {
    /// Family, Vietnamese middle name (Văn/Thị …), Vietnamese given name.
    Vietnamese,
    /// Family, A/Seo/Mí/Văn or Thị, Hmông given names.
    Hmong,
    /// Family (Ksor, Niê …), rarely a middle name, Central Highlands given names.
    Highland,
}

/// Family names of an ethnic group and how its names are built (`None`: use Kinh names).
pub(crate) fn ethnic_family(code: i32) -> Option<(NameStyle, &'static [&'static str])> {
    use NameStyle::*;
    let names: (NameStyle, &'static [&'static str]) = match code {
        2 => (
            Vietnamese,
            &["Hoàng", "Nông", "Lương", "Hà", "Ma", "Đinh", "Lục", "Triệu", "Vi", "Bế", "Nguyễn", "Hứa", "La"],
        ),
        3 => (Vietnamese, &["Lò", "Lường", "Cầm", "Quàng", "Vì", "Lù", "Tòng", "Hà", "Điêu", "Bạc", "Sầm", "Lê"]),
        4 => (Vietnamese, &["Lâm", "Trương", "Quách", "Lý", "Mã", "Hứa", "Diệp", "Tạ", "Châu", "Lưu"]),
        5 => (Vietnamese, &["Thạch", "Sơn", "Kim", "Danh", "Lâm", "Châu", "Lý", "Trần"]),
        6 => (Vietnamese, &["Bùi", "Đinh", "Quách", "Hà", "Xa", "Cao", "Trương"]),
        7 => (Vietnamese, &["Hoàng", "Nông", "Vi", "Lăng", "Chu", "Mã", "Lương", "Dương", "Lục", "Hà"]),
        8 => (Hmong, &["Giàng", "Sùng", "Vàng", "Lý", "Hầu", "Thào", "Mùa", "Vừ", "Hạng", "Cứ", "Lầu", "Chảo"]),
        9 => (Vietnamese, &["Triệu", "Bàn", "Đặng", "Lý", "Chảo", "Phùng", "Tẩn", "Lò"]),
        10 => (Highland, &["Ksor", "Siu", "Rơ Châm", "Rơ Mah", "Kpă", "Nay", "Puih", "Rah Lan"]),
        12 => (Highland, &["Niê", "Êban", "Mlô", "Ayun", "Byă", "Hwing", "Adrơng", "Knul"]),
        13 | 14 | 27 => (Highland, &["Đinh", "A", "Y", "Hiêng", "Hà"]),
        16 | 28 => (Highland, &["K'", "Ka", "Kơ Să", "Liêng", "Điểu"]),
        15 => (Vietnamese, &["Trần", "Lâm", "Hoàng", "Lý", "Nịnh"]),
        17 => (Vietnamese, &["Đàng", "Lộ", "Quảng", "Thuận", "Châu", "Thành"]),
        18 => (Vietnamese, &["Lý", "Trần", "Diệp", "Lưu", "Tạ"]),
        19 => (Vietnamese, &["Đinh", "Phạm", "Nguyễn"]),
        20 | 22 | 32 => (Highland, &["Điểu", "Y", "Lâm", "K'"]),
        21 => (Highland, &["Chamaléa", "Katơr", "Pinăng", "Mấu"]),
        23 | 31 => (Vietnamese, &["Hồ", "Lê", "Nguyễn", "Kăn", "Pả"]),
        24 | 29 | 42 => (Vietnamese, &["Vi", "Lò", "Quàng", "Cầm", "Lù"]),
        25 => (Vietnamese, &["Hoàng", "Lù", "Vàng", "Sèn", "Giàng"]),
        26 => (Highland, &["Alăng", "Bhling", "Pơloong", "Zơrâm", "Hôih", "Bríu"]),
        30 | 39 => (Highland, &["Đinh", "Hồ", "Phạm"]),
        33 | 35 | 40 | 43 => (Hmong, &["Ly", "Chu", "Pờ", "Lỳ", "Vàng", "Sình"]),
        _ => return None,
    };
    Some(names)
}

pub(crate) const HMONG_MIDDLE_MALE: &[(&str, u32)] = &[("A", 40), ("Seo", 20), ("Văn", 30), ("Mí", 10)];
pub(crate) const HMONG_MIDDLE_FEMALE: &[(&str, u32)] = &[("Thị", 85), ("Seo", 5), ("Mỷ", 10)];

pub(crate) const HMONG_GIVEN_MALE: &[&str] = &[
    "Páo", "Dình", "Chứ", "Sử", "Lềnh", "Tủa", "Pó", "Sính", "Vư", "Chính", "Của", "Mua", "Súa", "Thề", "Pao", "Chư",
    "Dế", "Nhà",
];
pub(crate) const HMONG_GIVEN_FEMALE: &[&str] =
    &["Mỷ", "Dở", "Sua", "Pà", "Dợ", "Mai", "Chứ", "Xé", "Sinh", "Mỉ", "Say", "Chía", "Lan", "Máy", "Dua", "Pàng"];

pub(crate) const HIGHLAND_MIDDLE_MALE: &[(&str, u32)] = &[("", 60), ("Y", 25), ("Văn", 15)];
pub(crate) const HIGHLAND_MIDDLE_FEMALE: &[(&str, u32)] = &[("", 60), ("Thị", 40)];

pub(crate) const HIGHLAND_GIVEN_MALE: &[&str] = &[
    "Blơng", "Hơn", "Thuyên", "Đăm", "Biêr", "Rin", "Bhin", "Nhô", "Khoa", "Klơng", "Siêng", "Plui", "Hiăng", "Krông",
    "Bi", "Tơ", "Ngông", "Thông", "Kơ", "Nhiên", "Điêng",
];
pub(crate) const HIGHLAND_GIVEN_FEMALE: &[&str] = &[
    "H'Hen", "H'Nhi", "H'Bla", "Nhí", "Blúi", "Hlin", "Ngơ", "Thuyết", "H'Yâo", "Mai", "Hoa", "H'Linh", "Hiền",
    "H'Ngọc", "Bông", "Lơi", "Hơ", "Chim",
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn distinct(names: impl Iterator<Item = &'static str>) -> usize {
        let v: Vec<&str> = names.collect();
        let set: HashSet<&str> = v.iter().copied().collect();
        assert_eq!(set.len(), v.len(), "duplicates in a name table");
        v.len()
    }

    #[test]
    fn tables_are_large_and_without_duplicates() {
        assert!(distinct(GIVEN_MALE.iter().map(|n| n.0)) >= 60);
        assert!(distinct(GIVEN_FEMALE.iter().map(|n| n.0)) >= 60);
        distinct(KINH_FAMILY_NORTH.iter().map(|n| n.0));
        distinct(KINH_FAMILY_SOUTH.iter().map(|n| n.0));
        distinct(MIDDLE_MALE.iter().map(|n| n.0));
        distinct(MIDDLE_FEMALE.iter().map(|n| n.0));
        distinct(HMONG_GIVEN_MALE.iter().copied());
        distinct(HMONG_GIVEN_FEMALE.iter().copied());
        distinct(HIGHLAND_GIVEN_MALE.iter().copied());
        distinct(HIGHLAND_GIVEN_FEMALE.iter().copied());
        let north: u32 = KINH_FAMILY_NORTH.iter().map(|n| n.1).sum();
        let nguyen = KINH_FAMILY_NORTH[0].1 as f64 / north as f64;
        assert!((0.35..0.41).contains(&nguyen), "{nguyen}");
    }

    #[test]
    fn minority_names_have_no_digits() {
        for code in 1..=54 {
            if let Some((_, fams)) = ethnic_family(code) {
                for f in fams {
                    assert!(!f.chars().any(|c| c.is_ascii_digit()), "{f}");
                }
            }
        }
    }
}
