//! Rules that change over time, each with its source document and the date it takes effect.
//!
//! A computation about a date asks for the rule in force on that date
//! ([`in_force`]); a date before the first known version gets `None`, and callers must then
//! not enforce a rule they cannot source.

use time::Date;
use time::macros::date;

/// One version of a rule: in force from `effective` until the next version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Versioned<T: 'static> {
    pub effective: Date,
    /// The source document, as cited (e.g. "Quy định 24-QĐ/TW (30/07/2021)").
    pub source: &'static str,
    pub value: T,
}

/// The version in force on `on`, from a list sorted by `effective`.
pub fn in_force<T>(versions: &'static [Versioned<T>], on: Date) -> Option<&'static Versioned<T>> {
    versions.iter().rev().find(|v| v.effective <= on)
}

/// Admission age limits (*tuổi đời khi kết nạp*), counted by calendar month at the time
/// the cell considers the case. Older applicants need a decision of a committee directly
/// under the Centre (recorded as an approved exception).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdmissionAge {
    pub min_years: i32,
    pub max_years: i32,
}

pub static ADMISSION_AGE: &[Versioned<AdmissionAge>] = &[
    Versioned {
        effective: date!(2011 - 11 - 01),
        source: "Quy định 45-QĐ/TW (01/11/2011), điểm 1.1",
        value: AdmissionAge { min_years: 18, max_years: 60 },
    },
    Versioned {
        effective: date!(2021 - 07 - 30),
        source: "Quy định 24-QĐ/TW (30/07/2021), điểm 1.1",
        value: AdmissionAge { min_years: 18, max_years: 60 },
    },
    Versioned {
        effective: date!(2025 - 07 - 01),
        source: "Quy định 294-QĐ/TW (26/05/2025)",
        value: AdmissionAge { min_years: 18, max_years: 60 },
    },
];

/// Probation (*thời gian dự bị*): official membership counts from the date that is this many
/// months after the admission, even when the recognition decision is signed later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probation {
    pub months: i32,
}

pub static PROBATION: &[Versioned<Probation>] = &[
    Versioned {
        effective: date!(2011 - 01 - 19),
        source: "Điều lệ Đảng (Đại hội XI, 19/01/2011), Điều 5",
        value: Probation { months: 12 },
    },
    Versioned {
        effective: date!(2025 - 07 - 01),
        source: "Điều lệ Đảng, Điều 5; Quy định 294-QĐ/TW (26/05/2025)",
        value: Probation { months: 12 },
    },
];

/// Thresholds of the organisation tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrgThresholds {
    /// Official members needed to form a base organisation or a cell.
    pub min_official_to_form: u32,
    /// A base organisation with at least this many members is a base committee
    /// (*đảng bộ cơ sở*); below it, a base cell (*chi bộ cơ sở*).
    pub base_committee_min_members: u32,
    /// A cell with at least this many official members elects a cell committee (*chi ủy*).
    pub cell_committee_min_official: u32,
}

pub static ORG_THRESHOLDS: &[Versioned<OrgThresholds>] = &[
    Versioned {
        effective: date!(2011 - 01 - 19),
        source: "Điều lệ Đảng (2011), Điều 21; Quy định 29-QĐ/TW (25/07/2016), điểm 24",
        value: OrgThresholds {
            min_official_to_form: 3,
            base_committee_min_members: 30,
            cell_committee_min_official: 9,
        },
    },
    Versioned {
        effective: date!(2025 - 07 - 01),
        source: "Quy định 294-QĐ/TW (26/05/2025)",
        value: OrgThresholds {
            min_official_to_form: 3,
            base_committee_min_members: 30,
            cell_committee_min_official: 9,
        },
    },
];

/// The shape of the administrative tree: from 1 Jul 2025 the district level is abolished
/// and communes sit directly under provinces.
pub static DISTRICT_LEVEL_EXISTS: &[Versioned<bool>] = &[
    Versioned {
        effective: date!(1945 - 09 - 02), source: "Hiến pháp; tổ chức hành chính 3 cấp", value: true
    },
    Versioned {
        effective: date!(2025 - 07 - 01),
        source: "Quy định 294-QĐ/TW (26/05/2025); Nghị quyết 202/2025/QH15",
        value: false,
    },
];

/// Vietnam's fixed solar public holidays (*ngày nghỉ lễ, tết* in the solar calendar), used to count
/// working days. The lunar holidays (Tết Nguyên đán, Giỗ Tổ Hùng Vương 10/3) are not in this
/// table: see [`crate::workdays`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicHolidays {
    /// (month, day) of each fixed holiday.
    pub fixed: &'static [(u8, u8)],
    /// National Day (2/9) has a second day off, 1/9 or 3/9, chosen each year.
    pub national_day_second: bool,
    /// A holiday on a weekly day off gives a compensatory day (*nghỉ bù*) on the next working day.
    pub compensatory: bool,
}

pub static PUBLIC_HOLIDAYS: &[Versioned<PublicHolidays>] = &[
    Versioned {
        effective: date!(2013 - 05 - 01),
        source: "Bộ luật Lao động 10/2012/QH13, Điều 115",
        value: PublicHolidays {
            fixed: &[(1, 1), (4, 30), (5, 1), (9, 2)],
            national_day_second: false,
            compensatory: true,
        },
    },
    Versioned {
        effective: date!(2021 - 01 - 01),
        source: "Bộ luật Lao động 45/2019/QH14, Điều 111 khoản 3 và Điều 112",
        value: PublicHolidays {
            fixed: &[(1, 1), (4, 30), (5, 1), (9, 2)],
            national_day_second: true,
            compensatory: true,
        },
    },
];

/// A time limit counted in working days (*ngày làm việc*, see [`crate::workdays`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkingDayLimit {
    pub working_days: u32,
}

/// The competent committee decides an admission within this many working days of the cell's
/// resolution proposing it (*kể từ ngày chi bộ có nghị quyết đề nghị kết nạp*).
pub static ADMISSION_DEADLINE: &[Versioned<WorkingDayLimit>] = &[
    Versioned {
        effective: date!(2016 - 07 - 25),
        source: "Quy định 29-QĐ/TW (25/07/2016)",
        value: WorkingDayLimit { working_days: 60 },
    },
    Versioned {
        effective: date!(2021 - 07 - 30),
        source: "Quy định 24-QĐ/TW (30/07/2021), kế thừa Quy định 29-QĐ/TW",
        value: WorkingDayLimit { working_days: 60 },
    },
    Versioned {
        effective: date!(2025 - 07 - 01),
        source: "Quy định 294-QĐ/TW (26/05/2025), kế thừa Quy định 29-QĐ/TW",
        value: WorkingDayLimit { working_days: 60 },
    },
];

/// When probation ends, the cell must consider recognition as official member within this many
/// working days (*chậm nhất là ba mươi ngày làm việc*). Keyed by the end of probation.
pub static RECOGNITION_DEADLINE: &[Versioned<WorkingDayLimit>] = &[
    Versioned {
        effective: date!(2011 - 01 - 19),
        source: "Điều lệ Đảng (Đại hội XI, 19/01/2011), Điều 5",
        value: WorkingDayLimit { working_days: 30 },
    },
    Versioned {
        effective: date!(2025 - 07 - 01),
        source: "Điều lệ Đảng, Điều 5; Quy định 294-QĐ/TW (26/05/2025)",
        value: WorkingDayLimit { working_days: 30 },
    },
];

/// The share of a vote base a resolution needs: `votes_for / base ≥ num / den`, or `>` when
/// `strict` (more than half = `1/2` strict).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoteThreshold {
    pub num: u32,
    pub den: u32,
    pub strict: bool,
}

impl VoteThreshold {
    /// Whether `votes_for` out of `base` passes (a zero base never passes).
    pub fn passes(&self, votes_for: u32, base: u32) -> bool {
        let (lhs, rhs) = (u64::from(votes_for) * u64::from(self.den), u64::from(base) * u64::from(self.num));
        base > 0 && if self.strict { lhs > rhs } else { lhs >= rhs }
    }

    /// The fewest votes in favour that pass with this base (the base itself when none does).
    /// Computed, not searched: a base comes from input (a file's column), up to 4 billion.
    pub fn min_votes(&self, base: u32) -> u32 {
        if base == 0 || self.den == 0 {
            return base;
        }
        let (need, den) = (u64::from(base) * u64::from(self.num), u64::from(self.den));
        let fewest = if self.strict { need / den + 1 } else { need.div_ceil(den) };
        u32::try_from(fewest.min(u64::from(base))).unwrap_or(base)
    }
}

/// The cell's resolution proposing an admission (*chi bộ xét, đề nghị kết nạp*): at least two
/// thirds of the cell's official members in favour.
pub static ADMISSION_VOTE: &[Versioned<VoteThreshold>] = &[Versioned {
    effective: date!(2011 - 01 - 19),
    source: "Điều lệ Đảng (Đại hội XI, 19/01/2011), Điều 4 khoản 3",
    value: VoteThreshold { num: 2, den: 3, strict: false },
}];

/// The cell's resolution recognising a probationary member as official: at least two thirds of
/// the cell's official members in favour.
pub static RECOGNITION_VOTE: &[Versioned<VoteThreshold>] = &[Versioned {
    effective: date!(2011 - 01 - 19),
    source: "Điều lệ Đảng (Đại hội XI, 19/01/2011), Điều 5",
    value: VoteThreshold { num: 2, den: 3, strict: false },
}];

/// Introducers of an applicant (*người giới thiệu*): official members who have worked, studied or
/// lived with the applicant in the same unit for at least `known_months`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Introducers {
    /// Official members needed normally.
    pub official: u32,
    /// Official members needed with a resolution of the Youth Union introducing the applicant.
    pub with_youth_union: u32,
    pub known_months: i32,
}

pub static INTRODUCERS: &[Versioned<Introducers>] = &[
    Versioned {
        effective: date!(2011 - 01 - 19),
        source: "Điều lệ Đảng (Đại hội XI, 19/01/2011), Điều 4",
        value: Introducers { official: 2, with_youth_union: 1, known_months: 12 },
    },
    Versioned {
        effective: date!(2021 - 07 - 30),
        source: "Điều lệ Đảng, Điều 4; Quy định 24-QĐ/TW (30/07/2021)",
        value: Introducers { official: 2, with_youth_union: 1, known_months: 12 },
    },
    Versioned {
        effective: date!(2025 - 07 - 01),
        source: "Điều lệ Đảng, Điều 4; Quy định 294-QĐ/TW (26/05/2025)",
        value: Introducers { official: 2, with_youth_union: 1, known_months: 12 },
    },
];

/// Party badges (*Huy hiệu Đảng*) by years of party age.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Badges {
    pub milestones: &'static [i32],
    /// (month, day) of the anniversaries the badges are awarded on.
    pub award_days: &'static [(u8, u8)],
    /// Early award for serious illness: `(from_milestone, months)`, the last entry whose
    /// milestone is ≤ the badge's applies.
    pub ill_early: &'static [(i32, i32)],
    /// A deceased member may be awarded posthumously this many months early.
    pub posthumous_early_months: i32,
}

impl Badges {
    /// Months a seriously ill member may receive the badge for `years` early.
    pub fn ill_early_months(&self, years: i32) -> i32 {
        self.ill_early.iter().rev().find(|(from, _)| *from <= years).map_or(0, |(_, m)| *m)
    }
}

/// The earliest version known here is the current one; earlier rules (29-QĐ/TW of 25/07/2016
/// added the 45-year badge) are not modelled, so award dates before 30/07/2021 get no rule.
pub static BADGES: &[Versioned<Badges>] = &[Versioned {
    effective: date!(2021 - 07 - 30),
    source: "Quy định 24-QĐ/TW (30/07/2021); Hướng dẫn 01-HD/TW (28/09/2021), mục 18",
    value: Badges {
        milestones: &[30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90],
        award_days: &[(2, 3), (5, 19), (9, 2), (11, 7)],
        ill_early: &[(30, 12), (70, 24)],
        posthumous_early_months: 12,
    },
}];

/// A resolution of the cell (*nghị quyết chi bộ*) passes with more than half of the vote base in
/// favour (see [`crate::meeting::attendance`] for the base).
pub static RESOLUTION_VOTE: &[Versioned<VoteThreshold>] = &[Versioned {
    effective: date!(2011 - 01 - 19),
    source: "Điều lệ Đảng (Đại hội XI, 19/01/2011), Điều 10; hướng dẫn thi hành Điều lệ",
    value: VoteThreshold { num: 1, den: 2, strict: true },
}];

/// How often a cell must meet: the regular meeting every `months` (*sinh hoạt thường kỳ*).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeetingEvery {
    pub months: u32,
}

/// Regular cell meeting (*sinh hoạt chi bộ thường kỳ*): monthly.
pub static REGULAR_MEETING: &[Versioned<MeetingEvery>] = &[Versioned {
    effective: date!(2011 - 01 - 19),
    source: "Điều lệ Đảng (Đại hội XI, 19/01/2011), Điều 24",
    value: MeetingEvery { months: 1 },
}];

/// Thematic meeting (*sinh hoạt chuyên đề*): at least once a quarter, besides the regular one.
/// No rule is sourced here before 12-HD/BTCTW, so earlier quarters are not assessed.
pub static THEMATIC_MEETING: &[Versioned<MeetingEvery>] = &[
    Versioned {
        effective: date!(2018 - 07 - 06),
        source: "Hướng dẫn 12-HD/BTCTW (06/07/2018)",
        value: MeetingEvery { months: 3 },
    },
    Versioned {
        effective: date!(2025 - 10 - 28),
        source: "Hướng dẫn 42-HD/BTCTW (28/10/2025)",
        value: MeetingEvery { months: 3 },
    },
];

/// Least duration of a cell meeting, in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeetingDuration {
    pub minutes: u32,
    /// When the regular and the thematic meeting are held together; `None`: no separate rule
    /// sourced, `minutes` applies.
    pub combined_minutes: Option<u32>,
}

pub static MEETING_DURATION: &[Versioned<MeetingDuration>] = &[
    Versioned {
        effective: date!(2018 - 07 - 06),
        source: "Hướng dẫn 12-HD/BTCTW (06/07/2018)",
        value: MeetingDuration { minutes: 90, combined_minutes: None },
    },
    Versioned {
        effective: date!(2025 - 10 - 28),
        source: "Hướng dẫn 42-HD/BTCTW (28/10/2025)",
        value: MeetingDuration { minutes: 90, combined_minutes: Some(120) },
    },
];

/// The attendance part of the quality standard of a meeting: attendance above `attendance`
/// (exempt members and members on special duty left out), no unexcused absence
/// (`unexcused_allowed = 0`), and no member absent with reason more than `max_excused_run`
/// times in a row within the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttendanceStandard {
    pub attendance: VoteThreshold,
    pub unexcused_allowed: u32,
    pub max_excused_run: u32,
}

pub static ATTENDANCE_STANDARD: &[Versioned<AttendanceStandard>] = &[Versioned {
    effective: date!(2018 - 07 - 06),
    source: "Hướng dẫn 12-HD/BTCTW (06/07/2018)",
    value: AttendanceStandard {
        attendance: VoteThreshold { num: 85, den: 100, strict: true },
        unexcused_allowed: 0,
        max_excused_run: 3,
    },
}];

/// The default 100-point sheet for rating a meeting (see [`crate::meeting::sheet`]). The criteria
/// are those of 12-HD/BTCTW; the points and bands follow published provincial sheets (local
/// practice, confidence M/L: provinces configure their own).
pub static QUALITY_SHEET: &[Versioned<crate::scoring::Sheet<'static>>] = &[Versioned {
    effective: date!(2018 - 07 - 06),
    source: "Hướng dẫn 12-HD/BTCTW (06/07/2018); thang điểm 100 theo mẫu của tỉnh (Bình Thuận; Nghệ An 27-QĐ/TU (2023))",
    value: crate::scoring::DEFAULT_SHEET,
}];

/// The discipline forms (*hình thức kỷ luật*) a member's standing allows, as the codes of
/// `life::DisciplineForm`: a probationary member only the lighter forms (one found unfit is
/// struck off instead); removal from a post (*cách chức*) only for a member holding one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DisciplineForms {
    pub probationary: &'static [&'static str],
    pub removal_needs_post: bool,
    /// The forms for an official member, lightest first (codes of `inspection::Penalty`).
    pub official: &'static [&'static str],
    /// The forms for an organisation (*tổ chức đảng*), lightest first: reprimand, warning,
    /// dissolution (*giải tán*).
    pub organisations: &'static [&'static str],
}

pub static DISCIPLINE_FORMS: &[Versioned<DisciplineForms>] = &[Versioned {
    effective: date!(2022 - 07 - 06),
    source: "Quy định 69-QĐ/TW (06/07/2022); sửa đổi, bổ sung: 264-QĐ/TW (2025)",
    value: DisciplineForms {
        probationary: &["reprimand", "warning"],
        removal_needs_post: true,
        official: &["reprimand", "warning", "removal", "expulsion"],
        organisations: &["reprimand", "warning", "dissolution"],
    },
}];

/// Striking off (*xóa tên*) for abandoning activities: absent without reason (or dues unpaid)
/// in this many months of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AbandonedActivities {
    pub months_in_year: u32,
}

pub static ABANDONED_ACTIVITIES: &[Versioned<AbandonedActivities>] = &[Versioned {
    effective: date!(2011 - 01 - 19),
    source: "Điều lệ Đảng (Đại hội XI, 19/01/2011), Điều 8",
    value: AbandonedActivities { months_in_year: 3 },
}];

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted<T>(v: &[Versioned<T>]) -> bool {
        v.windows(2).all(|w| w[0].effective < w[1].effective)
    }

    /// The fewest votes that pass, computed, equal the search through every count (two thirds
    /// of 9 is 6, more than half of 10 is 6), and a base of four billion is answered at once.
    #[test]
    fn fewest_votes_computed_equal_the_search() {
        let thresholds = [
            VoteThreshold { num: 2, den: 3, strict: false },
            VoteThreshold { num: 1, den: 2, strict: true },
            VoteThreshold { num: 1, den: 2, strict: false },
            VoteThreshold { num: 1, den: 1, strict: true },
            VoteThreshold { num: 0, den: 1, strict: false },
        ];
        for t in thresholds {
            for base in 0..=300 {
                let searched = (0..=base).find(|v| t.passes(*v, base)).unwrap_or(base);
                assert_eq!(t.min_votes(base), searched, "{t:?} of {base}");
            }
        }
        assert_eq!((thresholds[0].min_votes(9), thresholds[1].min_votes(10)), (6, 6));
        assert_eq!(thresholds[0].min_votes(u32::MAX), 2_863_311_530);
        assert_eq!(thresholds[3].min_votes(u32::MAX), u32::MAX, "none passes: the base");
    }

    #[test]
    fn every_rule_list_is_sorted_and_sourced() {
        assert!(sorted(ADMISSION_AGE));
        assert!(sorted(PROBATION));
        assert!(sorted(ORG_THRESHOLDS));
        assert!(sorted(DISTRICT_LEVEL_EXISTS));
        assert!(sorted(THEMATIC_MEETING) && sorted(MEETING_DURATION));
        for s in ADMISSION_AGE.iter().map(|v| v.source).chain(PROBATION.iter().map(|v| v.source)) {
            assert!(!s.is_empty());
        }
    }

    #[test]
    fn picks_the_version_in_force() {
        assert!(in_force(ADMISSION_AGE, date!(2010 - 01 - 01)).is_none());
        assert!(in_force(ADMISSION_AGE, date!(2021 - 07 - 29)).unwrap().source.contains("45-QĐ/TW"));
        assert!(in_force(ADMISSION_AGE, date!(2021 - 07 - 30)).unwrap().source.contains("24-QĐ/TW"));
        assert!(in_force(ADMISSION_AGE, date!(2026 - 01 - 01)).unwrap().source.contains("294-QĐ/TW"));
        assert!(in_force(DISTRICT_LEVEL_EXISTS, date!(2025 - 06 - 30)).unwrap().value);
        assert!(!in_force(DISTRICT_LEVEL_EXISTS, date!(2025 - 07 - 01)).unwrap().value);
    }

    #[test]
    fn meeting_rules_by_date() {
        assert_eq!(in_force(MEETING_DURATION, date!(2025 - 10 - 27)).unwrap().value.combined_minutes, None);
        assert_eq!(in_force(MEETING_DURATION, date!(2025 - 10 - 28)).unwrap().value.combined_minutes, Some(120));
        assert!(in_force(THEMATIC_MEETING, date!(2018 - 07 - 05)).is_none());
        assert!(in_force(REGULAR_MEETING, date!(2018 - 07 - 05)).unwrap().source.contains("Điều 24"));
        assert!(in_force(ATTENDANCE_STANDARD, date!(2018 - 07 - 06)).unwrap().value.attendance.strict);
        assert_eq!(in_force(QUALITY_SHEET, date!(2025 - 01 - 01)).unwrap().value.total(), 100);
        assert!(!RESOLUTION_VOTE[0].value.passes(5, 10) && RESOLUTION_VOTE[0].value.passes(6, 10));
    }

    #[test]
    fn discipline_forms_by_date() {
        assert!(sorted(DISCIPLINE_FORMS));
        assert!(in_force(DISCIPLINE_FORMS, date!(2022 - 07 - 05)).is_none());
        let rule = in_force(DISCIPLINE_FORMS, date!(2022 - 07 - 06)).unwrap();
        assert!(rule.source.contains("69-QĐ/TW"));
        assert_eq!(rule.value.probationary, ["reprimand", "warning"]);
    }
}
