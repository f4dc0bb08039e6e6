//! The member record (*hồ sơ đảng viên*, form 2-KNĐ and the member slip) and its checks.

use crate::collation;
use crate::date::{add_months, format_vn, months_by_calendar_month};
use crate::error::{FieldError, Validation};
pub use crate::profile::MemberProfile;
use crate::rules::{self, ADMISSION_AGE, PROBATION};
use crate::text;
use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn code(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }
    pub fn parse(s: &str) -> Option<Gender> {
        match s {
            "male" => Some(Gender::Male),
            "female" => Some(Gender::Female),
            _ => None,
        }
    }
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            Gender::Male => lang.pick("Nam", "Male"),
            Gender::Female => lang.pick("Nữ", "Female"),
        }
    }
}

/// Standing in the Party (*tình trạng đảng viên*). The first two are the standings of a member
/// in the Party; the others end membership and are set only by events (`crate::life`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberStatus {
    /// Probationary member (*đảng viên dự bị*).
    Probationary,
    /// Official member (*đảng viên chính thức*).
    Official,
    /// Struck off the rolls (*xóa tên*).
    StruckOff,
    /// Left the Party on request (*xin ra khỏi Đảng*).
    Left,
    /// Expelled (*khai trừ*), a discipline form.
    Expelled,
    /// Deceased (*từ trần*).
    Deceased,
    /// Transferred to an organisation outside this installation (*chuyển sinh hoạt đi*).
    TransferredAway,
}

impl MemberStatus {
    pub const ALL: [MemberStatus; 7] = [
        MemberStatus::Probationary,
        MemberStatus::Official,
        MemberStatus::StruckOff,
        MemberStatus::Left,
        MemberStatus::Expelled,
        MemberStatus::Deceased,
        MemberStatus::TransferredAway,
    ];
    /// The standings of a member in the Party, the ones a record can be entered with.
    pub const ACTIVE: [MemberStatus; 2] = [MemberStatus::Probationary, MemberStatus::Official];
    pub fn code(self) -> &'static str {
        match self {
            MemberStatus::Probationary => "probationary",
            MemberStatus::Official => "official",
            MemberStatus::StruckOff => "struck_off",
            MemberStatus::Left => "left",
            MemberStatus::Expelled => "expelled",
            MemberStatus::Deceased => "deceased",
            MemberStatus::TransferredAway => "transferred_away",
        }
    }
    pub fn parse(s: &str) -> Option<MemberStatus> {
        MemberStatus::ALL.into_iter().find(|m| m.code() == s)
    }
    /// In the Party and on an organisation's rolls.
    pub fn is_active(self) -> bool {
        matches!(self, MemberStatus::Probationary | MemberStatus::Official)
    }
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            MemberStatus::Probationary => lang.pick("Dự bị", "Probationary"),
            MemberStatus::Official => lang.pick("Chính thức", "Official"),
            MemberStatus::StruckOff => lang.pick("Đã xóa tên", "Struck off"),
            MemberStatus::Left => lang.pick("Đã ra khỏi Đảng", "Left the Party"),
            MemberStatus::Expelled => lang.pick("Đã bị khai trừ", "Expelled"),
            MemberStatus::Deceased => lang.pick("Đã từ trần", "Deceased"),
            MemberStatus::TransferredAway => lang.pick("Đã chuyển sinh hoạt đi", "Transferred away"),
        }
    }
}

/// Political theory level (*trình độ lý luận chính trị*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TheoryLevel {
    None,
    /// Sơ cấp.
    Elementary,
    /// Trung cấp.
    Intermediate,
    /// Cao cấp.
    Advanced,
    /// Cử nhân.
    Bachelor,
}

impl TheoryLevel {
    pub const ALL: [TheoryLevel; 5] = [
        TheoryLevel::None,
        TheoryLevel::Elementary,
        TheoryLevel::Intermediate,
        TheoryLevel::Advanced,
        TheoryLevel::Bachelor,
    ];
    pub fn code(self) -> &'static str {
        match self {
            TheoryLevel::None => "none",
            TheoryLevel::Elementary => "elementary",
            TheoryLevel::Intermediate => "intermediate",
            TheoryLevel::Advanced => "advanced",
            TheoryLevel::Bachelor => "bachelor",
        }
    }
    pub fn parse(s: &str) -> Option<TheoryLevel> {
        TheoryLevel::ALL.into_iter().find(|m| m.code() == s)
    }
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            TheoryLevel::None => lang.pick("Chưa qua đào tạo", "None"),
            TheoryLevel::Elementary => lang.pick("Sơ cấp", "Elementary"),
            TheoryLevel::Intermediate => lang.pick("Trung cấp", "Intermediate"),
            TheoryLevel::Advanced => lang.pick("Cao cấp", "Advanced"),
            TheoryLevel::Bachelor => lang.pick("Cử nhân", "Bachelor"),
        }
    }
}

/// A member record as entered (create or full edit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberInput {
    pub family_name: String,
    pub middle_name: String,
    pub given_name: String,
    pub birth_date: Date,
    pub gender: Gender,
    /// Code of one of the 54 ethnic groups.
    pub ethnicity_code: i32,
    /// The descriptive fields (religion, residences, identity number, education, work, contact).
    #[serde(flatten)]
    pub profile: MemberProfile,
    pub theory_level: TheoryLevel,
    /// Ngày vào Đảng: the admission decision.
    pub admission_date: Date,
    /// Ngày chính thức.
    pub official_date: Option<Date>,
    pub status: MemberStatus,
    /// Admitted outside the age limits with the approval of a committee directly under the
    /// Centre.
    pub age_exception_approved: bool,
    pub org_id: Uuid,
}

/// The fields a member may correct in their own record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnCorrection {
    pub phone: Option<String>,
    pub email: Option<String>,
    pub permanent_residence: Option<String>,
    pub current_residence: Option<String>,
}

impl OwnCorrection {
    /// The profile fields a member may correct, by name.
    pub const FIELDS: [&str; 4] = ["phone", "email", "permanent_residence", "current_residence"];

    pub fn apply(&self, m: &mut MemberInput) {
        let p = &mut m.profile;
        p.phone.clone_from(&self.phone);
        p.email.clone_from(&self.email);
        p.permanent_residence.clone_from(&self.permanent_residence);
        p.current_residence.clone_from(&self.current_residence);
    }
}

impl MemberInput {
    pub fn full_name(&self) -> String {
        full_name(&self.family_name, &self.middle_name, &self.given_name)
    }
    pub fn sort_key(&self) -> String {
        collation::sort_key(&self.family_name, &self.middle_name, &self.given_name)
    }
    pub fn search_key(&self) -> String {
        collation::search_key(&self.family_name, &self.middle_name, &self.given_name)
    }

    /// Trim text fields and turn blanks into `None`.
    pub fn normalize(&mut self) {
        for s in [&mut self.family_name, &mut self.middle_name, &mut self.given_name] {
            *s = crate::text::normalize_name(s);
        }
        self.profile.normalize();
    }

    /// Every check of the record, as of `today`. Errors name the field.
    pub fn validate(&self, today: Date) -> Validation {
        let mut v = Validation::default();
        if self.family_name.trim().is_empty() {
            v.push(FieldError::required("family_name", "Họ", "Family name"));
        }
        if self.given_name.trim().is_empty() {
            v.push(FieldError::required("given_name", "Tên", "Given name"));
        }
        for (limit, value) in [
            (text::FAMILY_NAME, &self.family_name),
            (text::MIDDLE_NAME, &self.middle_name),
            (text::GIVEN_NAME, &self.given_name),
        ] {
            if let Some(e) = text::check_name(&limit, value) {
                v.push(e);
            }
        }
        if self.birth_date < text::EARLIEST_DATE {
            v.push(FieldError::new(
                "birth_date",
                "too_early",
                "Ngày sinh: không thể trước 01/01/1900.",
                "Birth date: cannot be before 01/01/1900.",
            ));
        }
        if self.admission_date <= self.birth_date {
            v.push(FieldError::new(
                "admission_date",
                "before_birth",
                "Ngày vào Đảng: phải sau ngày sinh.",
                "Admission date: must be after the birth date.",
            ));
        }
        if self.birth_date > today {
            v.push(FieldError::new(
                "birth_date",
                "in_future",
                "Ngày sinh: không thể ở tương lai.",
                "Birth date: cannot be in the future.",
            ));
        }
        if crate::ethnicity::by_code(self.ethnicity_code).is_none() {
            v.push(FieldError::new(
                "ethnicity_code",
                "unknown_ethnicity",
                "Dân tộc: không có trong danh mục 54 dân tộc.",
                "Ethnicity: not one of the 54 ethnic groups.",
            ));
        }
        if let Some(id) = &self.profile.citizen_id {
            for e in check_citizen_id(id, self.birth_date, self.gender) {
                v.push(e);
            }
        }
        self.profile.validate_into(&mut v);
        if self.admission_date > today {
            v.push(FieldError::new(
                "admission_date",
                "in_future",
                "Ngày vào Đảng: không thể ở tương lai.",
                "Admission date: cannot be in the future.",
            ));
        }
        if let Some(e) = check_admission_age(self.birth_date, self.admission_date, self.age_exception_approved) {
            v.push(e);
        }
        for e in check_official_date(self.admission_date, self.official_date, self.status, today) {
            v.push(e);
        }
        v
    }
}

pub fn full_name(family: &str, middle: &str, given: &str) -> String {
    [family, middle, given].iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join(" ")
}

/// Check a citizen ID (*CCCD*): 12 digits; digits 1–3 the province of birth registration,
/// digit 4 the century of birth and gender (0/1 = 20th century male/female, 2/3 = 21st,
/// 4/5 = 22nd …), digits 5–6 the last two digits of the birth year. Source: Thông tư
/// 59/2021/TT-BCA, Điều 7. Reports each disagreement with the record separately.
pub fn check_citizen_id(id: &str, birth_date: Date, gender: Gender) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
        errors.push(FieldError::new(
            "citizen_id",
            "cccd_format",
            "Số CCCD: phải gồm đúng 12 chữ số.",
            "Citizen ID: must be exactly 12 digits.",
        ));
        return errors;
    }
    let digit = |i: usize| i32::from(id.as_bytes()[i] - b'0');
    let century_gender = digit(3);
    let century_start = 1900 + 100 * (century_gender / 2);
    let id_gender = if century_gender % 2 == 0 { Gender::Male } else { Gender::Female };
    let year = birth_date.year();
    if year < century_start || year >= century_start + 100 {
        errors.push(FieldError::new(
            "citizen_id",
            "cccd_century",
            format!(
                "Số CCCD: chữ số thứ 4 ({century_gender}) chỉ thế kỷ sinh {}–{}, nhưng năm sinh là {year}.",
                century_start,
                century_start + 99
            ),
            format!(
                "Citizen ID: digit 4 ({century_gender}) means born {}–{}, but the birth year is {year}.",
                century_start,
                century_start + 99
            ),
        ));
    }
    if id_gender != gender {
        errors.push(FieldError::new(
            "citizen_id",
            "cccd_gender",
            format!(
                "Số CCCD: chữ số thứ 4 ({century_gender}) chỉ giới tính {}, nhưng hồ sơ ghi {}.",
                id_gender.label(crate::Lang::Vi),
                gender.label(crate::Lang::Vi)
            ),
            format!(
                "Citizen ID: digit 4 ({century_gender}) means {}, but the record says {}.",
                id_gender.label(crate::Lang::En).to_lowercase(),
                gender.label(crate::Lang::En).to_lowercase()
            ),
        ));
    }
    let yy = digit(4) * 10 + digit(5);
    if yy != year.rem_euclid(100) {
        errors.push(FieldError::new(
            "citizen_id",
            "cccd_birth_year",
            format!("Số CCCD: chữ số thứ 5–6 ({yy:02}) phải là hai số cuối của năm sinh {year}."),
            format!("Citizen ID: digits 5–6 ({yy:02}) must be the last two digits of the birth year {year}."),
        ));
    }
    let province = digit(0) * 100 + digit(1) * 10 + digit(2);
    if !(1..=96).contains(&province) {
        errors.push(FieldError::new(
            "citizen_id",
            "cccd_province",
            format!("Số CCCD: mã tỉnh nơi đăng ký khai sinh ({province:03}) không tồn tại (001–096)."),
            format!("Citizen ID: province code {province:03} does not exist (001–096)."),
        ));
    }
    errors
}

/// Admission age (*tuổi đời*), counted by calendar month at admission, under the rules in force
/// on the admission date. `None` when it is within the limits, approved as an exception, or
/// no sourced rule covers that date.
pub fn check_admission_age(birth: Date, admission: Date, exception_approved: bool) -> Option<FieldError> {
    let rule = rules::in_force(ADMISSION_AGE, admission)?;
    let months = months_by_calendar_month(birth, admission);
    let (min, max) = (rule.value.min_years, rule.value.max_years);
    if months < min * 12 {
        return Some(FieldError::new(
            "admission_date",
            "admission_too_young",
            format!(
                "Ngày vào Đảng: khi kết nạp phải đủ {min} tuổi (tính theo tháng); người này mới {} tuổi {} tháng. Căn cứ: {}.",
                months / 12,
                months % 12,
                rule.source
            ),
            format!(
                "Admission date: must be {min} full years old at admission (counted by month); this person was {} years {} months. Source: {}.",
                months / 12,
                months % 12,
                rule.source
            ),
        ));
    }
    if months > max * 12 && !exception_approved {
        return Some(FieldError::new(
            "admission_date",
            "admission_too_old",
            format!(
                "Ngày vào Đảng: người trên {max} tuổi chỉ được kết nạp khi cấp ủy trực thuộc Trung ương đồng ý (đánh dấu “ngoại lệ đã được duyệt”). Căn cứ: {}.",
                rule.source
            ),
            format!(
                "Admission date: a person over {max} may be admitted only with the approval of a committee directly under the Centre (mark the approved exception). Source: {}.",
                rule.source
            ),
        ));
    }
    None
}

/// The date a probationary member admitted on `admission` becomes official under the rules in
/// force on the admission date, or `None` if no sourced rule covers it.
pub fn official_date_for(admission: Date) -> Option<Date> {
    rules::in_force(PROBATION, admission).map(|r| add_months(admission, r.value.months))
}

/// The official date must be exactly the end of probation (even when the decision is signed
/// later); a probationary member has no official date; an official member has one once
/// probation has ended.
pub fn check_official_date(
    admission: Date,
    official: Option<Date>,
    status: MemberStatus,
    today: Date,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let expected = official_date_for(admission);
    match (status, official) {
        (MemberStatus::Probationary, Some(_)) => errors.push(FieldError::new(
            "official_date",
            "probationary_has_official_date",
            "Ngày chính thức: đảng viên dự bị chưa có ngày chính thức.",
            "Official date: a probationary member has no official date yet.",
        )),
        (MemberStatus::Official, None) => {
            errors.push(FieldError::required("official_date", "Ngày chính thức", "Official date"))
        }
        (MemberStatus::Official, Some(date)) => {
            if date <= admission {
                errors.push(FieldError::new(
                    "official_date",
                    "official_before_admission",
                    "Ngày chính thức: phải sau ngày vào Đảng.",
                    "Official date: must be after the admission date.",
                ));
            } else if let Some(exp) = expected
                && date != exp
            {
                errors.push(FieldError::new(
                    "official_date",
                    "official_date_not_end_of_probation",
                    format!("Ngày chính thức: phải là ngày đủ 12 tháng dự bị, tức {} (kể cả khi quyết định ký sau).", format_vn(exp)),
                    format!("Official date: must be the end of the 12-month probation, {} (even when the decision is signed later).", exp),
                ));
            }
            if date > today {
                errors.push(FieldError::new(
                    "official_date",
                    "in_future",
                    "Ngày chính thức: không thể ở tương lai.",
                    "Official date: cannot be in the future.",
                ));
            }
        }
        (MemberStatus::Probationary, None) => {}
        (ended, _) => errors.push(FieldError::new(
            "status",
            "status_set_by_event",
            format!(
                "Tình trạng: “{}” chỉ được ghi bằng sự kiện (xóa tên, khai trừ, từ trần…) trên trang đảng viên.",
                ended.label(crate::Lang::Vi)
            ),
            format!(
                "Status: “{}” is recorded only by an event (struck off, expelled, deceased…) on the member's page.",
                ended.label(crate::Lang::En)
            ),
        )),
    }
    errors
}

crate::error::decode_code!(Gender, MemberStatus);

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use time::macros::date;

    /// A valid record of an official member (for the tests of other modules too).
    pub(crate) fn member() -> MemberInput {
        MemberInput {
            family_name: "Nguyễn".into(),
            middle_name: "Thị".into(),
            given_name: "Lan".into(),
            birth_date: date!(1990 - 05 - 20),
            gender: Gender::Female,
            ethnicity_code: 1,
            profile: MemberProfile {
                home_town: Some("Xã Quế Lộc, Quảng Nam".into()),
                citizen_id: Some("049190001234".into()),
                general_education: Some("12/12".into()),
                phone: Some("0912 345 678".into()),
                email: Some("lan@example.vn".into()),
                ..Default::default()
            },
            theory_level: TheoryLevel::Elementary,
            admission_date: date!(2024 - 03 - 15),
            official_date: Some(date!(2025 - 03 - 15)),
            status: MemberStatus::Official,
            age_exception_approved: false,
            org_id: Uuid::nil(),
        }
    }
    const TODAY: Date = date!(2026 - 11 - 22);

    #[test]
    fn a_correct_record_passes() {
        assert_eq!(member().validate(TODAY).errors, vec![]);
    }

    fn codes(m: &MemberInput) -> Vec<(String, &'static str)> {
        m.validate(TODAY).errors.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn dates_before_1900_or_admission_before_birth_are_refused() {
        let mut m = member();
        m.birth_date = date!(0000 - 01 - 01);
        m.age_exception_approved = true;
        assert!(codes(&m).contains(&("birth_date".into(), "too_early")), "{:?}", codes(&m));
        let mut m = member();
        m.age_exception_approved = true;
        m.admission_date = date!(1989 - 01 - 01);
        m.official_date = None;
        m.status = MemberStatus::Probationary;
        assert!(codes(&m).contains(&("admission_date".into(), "before_birth")), "{:?}", codes(&m));
        let mut m = member();
        m.birth_date = date!(1900 - 01 - 01);
        m.profile.citizen_id = None;
        assert!(!codes(&m).iter().any(|(f, _)| f == "birth_date"), "{:?}", codes(&m));
    }

    #[test]
    fn names_are_normalised_and_kept_to_the_alphabet() {
        for (family, middle, given) in
            [("Nguyễn", "Thị", "Ánh"), ("Lò", "Văn", "Pằng"), ("Niê", "", "H’Hen"), ("Ksor", "Y", "Phun")]
        {
            let mut m = member();
            (m.family_name, m.middle_name, m.given_name) = (family.into(), middle.into(), given.into());
            m.profile.citizen_id = None;
            m.normalize();
            assert_eq!(codes(&m), vec![], "{family} {middle} {given}");
        }
        let mut m = member();
        m.given_name = "H\u{2019}Hen".into();
        m.normalize();
        assert_eq!(m.given_name, "H'Hen");
        for bad in ["La\u{200B}n", "Lan\u{202E}", "Lan😀", "Lan１", "L\u{0430}n", "x".repeat(61).as_str()] {
            let mut m = member();
            m.given_name = bad.into();
            m.normalize();
            assert_eq!(codes(&m), vec![("given_name".into(), "invalid_name")], "{bad:?}");
        }
        let mut m = member();
        m.profile.home_town = Some("x".repeat(201));
        assert_eq!(codes(&m), vec![("home_town".into(), "too_long")]);
    }

    #[test]
    fn official_date_is_the_12_month_date_even_if_decided_later() {
        // Admitted 15/03/2024: official from 15/03/2025 even if the decision is signed 20/04/2025.
        assert_eq!(official_date_for(date!(2024 - 03 - 15)), Some(date!(2025 - 03 - 15)));
        let mut m = member();
        m.official_date = Some(date!(2025 - 04 - 20));
        let v = m.validate(TODAY);
        assert_eq!(v.errors[0].code, "official_date_not_end_of_probation");
        assert!(v.errors[0].message_vi.contains("15/03/2025"));
    }

    #[test]
    fn official_date_from_29_february() {
        assert_eq!(official_date_for(date!(2024 - 02 - 29)), Some(date!(2025 - 02 - 28)));
    }

    #[test]
    fn official_date_not_checked_before_the_first_sourced_rule() {
        let mut m = member();
        m.birth_date = date!(1950 - 01 - 01);
        m.profile.citizen_id = None;
        m.admission_date = date!(1975 - 04 - 30);
        m.official_date = Some(date!(1976 - 01 - 30));
        assert!(m.validate(TODAY).is_ok(), "{:?}", m.validate(TODAY));
    }

    #[test]
    fn probationary_member_has_no_official_date() {
        let mut m = member();
        m.status = MemberStatus::Probationary;
        assert!(m.validate(TODAY).has("official_date"));
        m.official_date = None;
        assert!(m.validate(TODAY).is_ok());
        m.status = MemberStatus::Official;
        assert_eq!(m.validate(TODAY).errors[0].code, "required");
    }

    #[test]
    fn admission_age_counted_by_month() {
        // 18 years minus one day, in the birth month: full 18 by month.
        assert!(check_admission_age(date!(2006 - 05 - 20), date!(2024 - 05 - 19), false).is_none());
        // 18 years minus one day across a month boundary: 17 years 11 months.
        let e = check_admission_age(date!(2006 - 06 - 01), date!(2024 - 05 - 31), false).unwrap();
        assert_eq!(e.code, "admission_too_young");
        assert!(e.message_vi.contains("17 tuổi 11 tháng"));
        // Exactly 18.
        assert!(check_admission_age(date!(2006 - 06 - 01), date!(2024 - 06 - 01), false).is_none());
        // Born 29 Feb: full 18 in February 18 years later.
        assert!(check_admission_age(date!(2004 - 02 - 29), date!(2022 - 02 - 28), false).is_none());
        assert!(check_admission_age(date!(2004 - 02 - 29), date!(2022 - 01 - 31), false).is_some());
    }

    #[test]
    fn admission_over_60_needs_an_approved_exception() {
        let birth = date!(1960 - 03 - 10);
        assert!(check_admission_age(birth, date!(2020 - 03 - 31), false).is_none());
        let e = check_admission_age(birth, date!(2020 - 04 - 01), false).unwrap();
        assert_eq!(e.code, "admission_too_old");
        assert!(check_admission_age(birth, date!(2020 - 04 - 01), true).is_none());
    }

    #[test]
    fn admission_age_cites_the_rule_in_force() {
        let e = check_admission_age(date!(2005 - 01 - 01), date!(2022 - 01 - 01), false).unwrap();
        assert!(e.message_vi.contains("24-QĐ/TW"));
        let e = check_admission_age(date!(2009 - 01 - 01), date!(2026 - 01 - 01), false).unwrap();
        assert!(e.message_vi.contains("294-QĐ/TW"));
    }

    #[test]
    fn citizen_id_digits_must_agree_with_the_record() {
        let b = date!(1990 - 05 - 20);
        assert!(check_citizen_id("049190001234", b, Gender::Female).is_empty());
        assert!(check_citizen_id("049090001234", b, Gender::Male).is_empty());
        // Wrong gender digit.
        let e = check_citizen_id("049090001234", b, Gender::Female);
        assert_eq!(e.iter().map(|e| e.code).collect::<Vec<_>>(), ["cccd_gender"]);
        // Wrong century and year digits: both reported.
        let e = check_citizen_id("049385001234", b, Gender::Female);
        assert_eq!(e.iter().map(|e| e.code).collect::<Vec<_>>(), ["cccd_century", "cccd_birth_year"]);
        // 21st century.
        assert!(check_citizen_id("001303001234", date!(2003 - 01 - 01), Gender::Female).is_empty());
        assert_eq!(check_citizen_id("001303001234", date!(1903 - 01 - 01), Gender::Female)[0].code, "cccd_century");
        // Format.
        for bad in ["04919000123", "0491900012345", "04919000123a", ""] {
            assert_eq!(check_citizen_id(bad, b, Gender::Female)[0].code, "cccd_format", "{bad}");
        }
        assert_eq!(check_citizen_id("000190001234", b, Gender::Female)[0].code, "cccd_province");
    }

    #[test]
    fn errors_name_their_fields() {
        let mut m = member();
        m.family_name = " ".into();
        m.given_name = "".into();
        m.ethnicity_code = 99;
        m.profile.phone = Some("12ab".into());
        m.profile.email = Some("no-at-sign".into());
        m.birth_date = date!(2030 - 01 - 01);
        let v = m.validate(TODAY);
        for f in ["family_name", "given_name", "ethnicity_code", "phone", "email", "birth_date", "citizen_id"] {
            assert!(v.has(f), "{f}: {v:?}");
        }
    }

    #[test]
    fn normalize_trims_and_blanks() {
        let mut m = member();
        m.given_name = "  Thu   Hà ".into();
        m.profile.religion = Some("  ".into());
        m.normalize();
        assert_eq!(m.given_name, "Thu Hà");
        assert_eq!(m.profile.religion, None);
        assert_eq!(m.full_name(), "Nguyễn Thị Thu Hà");
    }
}
