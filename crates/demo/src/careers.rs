//! What members of each kind of cell do: occupations with their training, theory levels,
//! ages, share of women and the positions of the cell's leaders.

use chibo_domain::member::TheoryLevel;

/// The kind of a cell, which decides the profile of its members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Category {
    /// Village cell in the countryside (thôn, bản, ấp, buôn, làng).
    Village,
    /// Residential-group cell in a town (tổ dân phố, khu phố).
    Street,
    PartyOffice,
    Government,
    Front,
    Military,
    Police,
    Health,
    School,
    Coop,
    Credit,
    Company,
    Hospital,
}

impl Category {
    pub(crate) const ALL: [Category; 13] = [
        Category::Village,
        Category::Street,
        Category::PartyOffice,
        Category::Government,
        Category::Front,
        Category::Military,
        Category::Police,
        Category::Health,
        Category::School,
        Category::Coop,
        Category::Credit,
        Category::Company,
        Category::Hospital,
    ];

    pub(crate) fn index(self) -> usize {
        Category::ALL.iter().position(|&c| c == self).unwrap_or_default()
    }
}

/// An occupation, the training that goes with it, and its weight.
pub(crate) type Job = (&'static str, Option<&'static str>);

pub(crate) struct Profile {
    /// Women, per mille.
    pub female: u32,
    /// Retired elderly members (born 1940–1962), per mille.
    pub elderly: u32,
    /// Birth years of the working members.
    pub born: (i32, i32),
    pub jobs: &'static [(Job, u32)],
    pub theory: &'static [(TheoryLevel, u32)],
    /// Position of the cell secretary.
    pub secretary: &'static str,
    /// Position of a third leader (the village head, the deputy head of the agency …).
    pub third: Option<&'static str>,
}

use TheoryLevel as T;

const THEORY_GRASSROOTS: &[(TheoryLevel, u32)] =
    &[(T::None, 280), (T::Elementary, 620), (T::Intermediate, 80), (T::Advanced, 15), (T::Bachelor, 5)];
const THEORY_AGENCY: &[(TheoryLevel, u32)] =
    &[(T::None, 20), (T::Elementary, 380), (T::Intermediate, 450), (T::Advanced, 120), (T::Bachelor, 30)];
const THEORY_PROFESSIONAL: &[(TheoryLevel, u32)] =
    &[(T::None, 100), (T::Elementary, 750), (T::Intermediate, 130), (T::Advanced, 15), (T::Bachelor, 5)];
const THEORY_ARMED: &[(TheoryLevel, u32)] =
    &[(T::None, 50), (T::Elementary, 500), (T::Intermediate, 380), (T::Advanced, 50), (T::Bachelor, 20)];
/// Retired cadres and veterans: more of them studied theory.
pub(crate) const THEORY_ELDERLY: &[(TheoryLevel, u32)] =
    &[(T::None, 250), (T::Elementary, 450), (T::Intermediate, 250), (T::Advanced, 40), (T::Bachelor, 10)];
/// Probationary members have just attended the course on the Party.
pub(crate) const THEORY_PROBATIONARY: &[(TheoryLevel, u32)] = &[(T::None, 850), (T::Elementary, 150)];

pub(crate) const ELDERLY_JOBS: &[(Job, u32)] = &[
    (("Cán bộ hưu trí", None), 400),
    (("Cán bộ hưu trí", Some("Trung cấp Chính trị – Hành chính")), 80),
    (("Nông dân", None), 280),
    (("Quân nhân hưu trí", None), 150),
    (("Giáo viên hưu trí", Some("Cao đẳng Sư phạm")), 50),
    (("Công nhân hưu trí", None), 40),
];

const VILLAGE_JOBS: &[(Job, u32)] = &[
    (("Nông dân", None), 400),
    (("Nông dân", Some("Trung cấp Nông nghiệp")), 50),
    (("Kinh doanh tự do", None), 90),
    (("Công nhân", None), 100),
    (("Công nhân", Some("Trung cấp nghề")), 40),
    (("Lao động tự do", None), 90),
    (("Buôn bán", None), 70),
    (("Thợ xây", None), 40),
    (("Nuôi trồng thủy sản", None), 30),
    (("Kỹ sư nông nghiệp", Some("Đại học Nông nghiệp")), 20),
    (("Viên chức", Some("Cử nhân Kế toán")), 20),
    (("Giáo viên", Some("Cao đẳng Sư phạm")), 20),
    (("Y sĩ", Some("Trung cấp Y")), 10),
    (("Bộ đội xuất ngũ", None), 20),
];
const STREET_JOBS: &[(Job, u32)] = &[
    (("Kinh doanh", None), 180),
    (("Công nhân", Some("Trung cấp nghề")), 120),
    (("Viên chức", Some("Cử nhân Kinh tế")), 100),
    (("Lao động tự do", None), 120),
    (("Nhân viên văn phòng", Some("Cử nhân Quản trị kinh doanh")), 120),
    (("Kỹ sư", Some("Kỹ sư Xây dựng")), 60),
    (("Kỹ sư", Some("Kỹ sư Điện")), 40),
    (("Giáo viên", Some("Đại học Sư phạm")), 60),
    (("Bác sĩ", Some("Bác sĩ đa khoa")), 40),
    (("Luật sư", Some("Cử nhân Luật")), 20),
    (("Kế toán", Some("Cử nhân Kế toán")), 40),
];
const AGENCY_JOBS: &[(Job, u32)] = &[
    (("Công chức", Some("Cử nhân Luật")), 250),
    (("Công chức", Some("Cử nhân Kinh tế")), 150),
    (("Công chức", Some("Cử nhân Hành chính")), 150),
    (("Công chức", Some("Thạc sĩ Quản lý công")), 80),
    (("Công chức", Some("Kỹ sư Nông nghiệp")), 100),
    (("Công chức", Some("Cử nhân Xây dựng Đảng và Chính quyền nhà nước")), 100),
    (("Công chức", Some("Cử nhân Kế toán")), 100),
    (("Viên chức", Some("Trung cấp Văn thư – Lưu trữ")), 50),
    (("Công chức", Some("Kỹ sư Xây dựng")), 20),
];
const MILITARY_JOBS: &[(Job, u32)] = &[
    (("Sĩ quan quân đội", Some("Trung cấp Quân sự")), 400),
    (("Sĩ quan quân đội", Some("Đại học Chính trị")), 200),
    (("Quân nhân chuyên nghiệp", Some("Cao đẳng Quân sự cơ sở")), 300),
    (("Quân nhân", None), 100),
];
const POLICE_JOBS: &[(Job, u32)] = &[
    (("Công an", Some("Đại học An ninh nhân dân")), 300),
    (("Công an", Some("Đại học Cảnh sát nhân dân")), 350),
    (("Công an", Some("Trung cấp Cảnh sát nhân dân")), 350),
];
const HEALTH_JOBS: &[(Job, u32)] = &[
    (("Bác sĩ", Some("Bác sĩ đa khoa")), 300),
    (("Y sĩ", Some("Y sĩ đa khoa")), 250),
    (("Điều dưỡng", Some("Cao đẳng Điều dưỡng")), 250),
    (("Y sĩ", Some("Trung cấp Y")), 100),
    (("Dược sĩ", Some("Trung cấp Dược")), 50),
    (("Hộ sinh", Some("Trung cấp Hộ sinh")), 50),
];
const SCHOOL_JOBS: &[(Job, u32)] = &[
    (("Giáo viên", Some("Đại học Sư phạm")), 550),
    (("Giáo viên", Some("Cao đẳng Sư phạm")), 200),
    (("Giáo viên", Some("Cử nhân Sư phạm Toán")), 50),
    (("Giáo viên", Some("Cử nhân Sư phạm Ngữ văn")), 50),
    (("Nhân viên kế toán", Some("Cử nhân Kế toán")), 80),
    (("Nhân viên văn thư", Some("Trung cấp Văn thư – Lưu trữ")), 70),
];
const COOP_JOBS: &[(Job, u32)] = &[
    (("Nông dân", None), 600),
    (("Cán bộ hợp tác xã", Some("Trung cấp Nông nghiệp")), 250),
    (("Kế toán", Some("Trung cấp Kế toán")), 150),
];
const CREDIT_JOBS: &[(Job, u32)] = &[
    (("Nhân viên tín dụng", Some("Cử nhân Tài chính – Ngân hàng")), 700),
    (("Kế toán", Some("Cử nhân Kế toán")), 300),
];
const COMPANY_JOBS: &[(Job, u32)] = &[
    (("Công nhân", Some("Trung cấp nghề")), 350),
    (("Công nhân", None), 200),
    (("Kỹ sư", Some("Kỹ sư Cơ khí")), 100),
    (("Kỹ sư", Some("Kỹ sư Điện")), 100),
    (("Nhân viên văn phòng", Some("Cử nhân Quản trị kinh doanh")), 150),
    (("Kế toán", Some("Cử nhân Kế toán")), 100),
];
const HOSPITAL_JOBS: &[(Job, u32)] = &[
    (("Bác sĩ", Some("Bác sĩ đa khoa")), 350),
    (("Bác sĩ", Some("Thạc sĩ Y học")), 100),
    (("Điều dưỡng", Some("Cử nhân Điều dưỡng")), 350),
    (("Dược sĩ", Some("Dược sĩ đại học")), 50),
    (("Kỹ thuật viên y tế", Some("Cao đẳng Kỹ thuật y học")), 150),
];

pub(crate) fn profile(c: Category) -> Profile {
    let p = |female, elderly, born, jobs, theory, secretary, third| Profile {
        female,
        elderly,
        born,
        jobs,
        theory,
        secretary,
        third,
    };
    match c {
        Category::Village => p(300, 380, (1963, 2005), VILLAGE_JOBS, THEORY_GRASSROOTS, "Bí thư chi bộ", None),
        Category::Street => p(380, 500, (1963, 2005), STREET_JOBS, THEORY_GRASSROOTS, "Bí thư chi bộ", None),
        Category::PartyOffice => p(
            400,
            0,
            (1966, 2002),
            AGENCY_JOBS,
            THEORY_AGENCY,
            "Bí thư chi bộ, Chánh Văn phòng Đảng ủy",
            Some("Phó Chánh Văn phòng Đảng ủy"),
        ),
        Category::Government => p(
            350,
            0,
            (1966, 2002),
            AGENCY_JOBS,
            THEORY_AGENCY,
            "Bí thư chi bộ, Phó Chủ tịch Ủy ban nhân dân",
            Some("Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân"),
        ),
        Category::Front => p(
            600,
            0,
            (1966, 2002),
            AGENCY_JOBS,
            THEORY_AGENCY,
            "Bí thư chi bộ, Chủ tịch Ủy ban Mặt trận Tổ quốc",
            Some("Chủ tịch Hội Liên hiệp Phụ nữ"),
        ),
        Category::Military => p(
            30,
            0,
            (1975, 2003),
            MILITARY_JOBS,
            THEORY_ARMED,
            "Bí thư chi bộ, Chính trị viên Ban Chỉ huy quân sự",
            Some("Chỉ huy trưởng Ban Chỉ huy quân sự"),
        ),
        Category::Police => p(
            120,
            0,
            (1975, 2003),
            POLICE_JOBS,
            THEORY_ARMED,
            "Bí thư chi bộ, Trưởng Công an",
            Some("Phó Trưởng Công an"),
        ),
        Category::Health => p(
            650,
            0,
            (1967, 2002),
            HEALTH_JOBS,
            THEORY_PROFESSIONAL,
            "Bí thư chi bộ, Trạm trưởng Trạm Y tế",
            Some("Phó Trạm trưởng Trạm Y tế"),
        ),
        Category::School => p(
            750,
            0,
            (1967, 2002),
            SCHOOL_JOBS,
            THEORY_PROFESSIONAL,
            "Bí thư chi bộ, Hiệu trưởng",
            Some("Phó Hiệu trưởng"),
        ),
        Category::Coop => p(
            250,
            200,
            (1963, 2004),
            COOP_JOBS,
            THEORY_GRASSROOTS,
            "Bí thư chi bộ, Giám đốc Hợp tác xã",
            Some("Kế toán trưởng"),
        ),
        Category::Credit => p(
            550,
            0,
            (1968, 2002),
            CREDIT_JOBS,
            THEORY_PROFESSIONAL,
            "Bí thư chi bộ, Giám đốc Quỹ",
            Some("Phó Giám đốc Quỹ"),
        ),
        Category::Company => {
            p(350, 0, (1968, 2004), COMPANY_JOBS, THEORY_GRASSROOTS, "Bí thư chi bộ", Some("Tổ trưởng sản xuất"))
        }
        Category::Hospital => p(
            650,
            0,
            (1967, 2001),
            HOSPITAL_JOBS,
            THEORY_PROFESSIONAL,
            "Bí thư chi bộ, Trưởng khoa",
            Some("Điều dưỡng trưởng"),
        ),
    }
}
