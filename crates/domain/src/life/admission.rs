//! The admission dossier of a candidate (*hồ sơ kết nạp quần chúng ưu tú vào Đảng*) and its
//! checks: age when the cell considers the case, introducers, the course on the Party, the
//! steps in date order and the cell's vote; and the time limit for the admission decision.
//!
//! The cell's resolution needs at least two thirds of the cell's official members in favour
//! ([`rules::ADMISSION_VOTE`], Party Charter art. 4 cl. 3: *"khi được ít nhất hai phần ba số đảng
//! viên chính thức trong chi bộ tán thành thì đề nghị lên cấp uỷ cấp trên"*), the same share as
//! recognition as official member.

use crate::date::{add_months, format_vn};
use crate::error::{FieldError, Validation};
use crate::member::check_admission_age;
use crate::rules::{self, ADMISSION_DEADLINE, ADMISSION_VOTE, INTRODUCERS, Versioned, VoteThreshold};
use crate::workdays;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use time::Date;
use uuid::Uuid;

/// A member introducing the applicant (*đảng viên giới thiệu người vào Đảng*).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Introducer {
    pub member_id: Uuid,
    /// An official member on the application date (the caller replays the introducer's events,
    /// `replay::state_on`).
    pub official_on_introduction: bool,
    /// Since when they have worked, studied or lived with the applicant in the same unit.
    pub known_since: Option<Date>,
}

/// The dated steps of an admission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateDossier {
    pub birth_date: Date,
    /// Certificate of the course on the Party (*lớp bồi dưỡng nhận thức về Đảng*).
    pub course_certificate_on: Option<Date>,
    /// The application (*đơn xin vào Đảng*).
    pub application_on: Date,
    pub introducers: Vec<Introducer>,
    /// Resolution of the Youth Union introducing the applicant (*nghị quyết giới thiệu của Đoàn*),
    /// which stands for one of the two introducers.
    pub youth_union_resolution_on: Option<Date>,
    /// The cell's resolution proposing the admission (*nghị quyết chi bộ đề nghị kết nạp*).
    pub cell_resolution_on: Option<Date>,
    pub cell_votes_for: Option<u32>,
    /// The cell's official members (the vote base).
    pub cell_vote_base: Option<u32>,
    /// The base committee's resolution (*nghị quyết của đảng ủy cơ sở*).
    pub base_resolution_on: Option<Date>,
    /// The admission decision of the competent committee (*quyết định kết nạp*).
    pub decision_on: Option<Date>,
    /// Over the age limit with the approval of a committee directly under the Centre.
    pub age_exception_approved: bool,
}

/// A dated step: field, Vietnamese and English labels, date.
type Step = (&'static str, &'static str, &'static str, Option<Date>);

impl CandidateDossier {
    /// The procedure's steps in the order they must happen.
    fn steps(&self) -> [Step; 4] {
        [
            ("application_on", "Ngày làm đơn xin vào Đảng", "Application date", Some(self.application_on)),
            ("cell_resolution_on", "Nghị quyết chi bộ đề nghị kết nạp", "Cell resolution", self.cell_resolution_on),
            (
                "base_resolution_on",
                "Nghị quyết của đảng ủy cơ sở",
                "Base committee resolution",
                self.base_resolution_on,
            ),
            ("decision_on", "Quyết định kết nạp", "Admission decision", self.decision_on),
        ]
    }

    /// Every dated field, for the "not in the future" check.
    fn dates(&self) -> Vec<Step> {
        let mut all = vec![
            ("birth_date", "Ngày sinh", "Birth date", Some(self.birth_date)),
            (
                "course_certificate_on",
                "Giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng",
                "Certificate of the course on the Party",
                self.course_certificate_on,
            ),
            (
                "youth_union_resolution_on",
                "Nghị quyết giới thiệu của Đoàn",
                "Youth Union resolution",
                self.youth_union_resolution_on,
            ),
        ];
        all.extend(self.steps());
        all
    }
}

/// Every check of the dossier as of `today`. Errors name the field.
pub fn check(d: &CandidateDossier, today: Date) -> Validation {
    let mut v = Validation::default();
    for (field, vi, en, on) in d.dates() {
        if on.is_some_and(|on| on > today) {
            v.push(FieldError::new(
                field,
                "in_future",
                format!("{vi}: không thể ở tương lai."),
                format!("{en}: cannot be in the future."),
            ));
        }
    }
    if let Some(cell) = d.cell_resolution_on
        && let Some(e) = check_admission_age(d.birth_date, cell, d.age_exception_approved)
    {
        v.push(relabel(e, "birth_date", "Ngày sinh", "Birth date"));
    }
    check_introducers(d, &mut v);
    check_course(d, &mut v);
    check_order(d, &mut v);
    if let Some(cell) = d.cell_resolution_on {
        match (d.cell_votes_for, d.cell_vote_base) {
            (Some(votes), Some(base)) => {
                if let Some(rule) = rules::in_force(ADMISSION_VOTE, cell) {
                    check_vote(&mut v, ("cell_votes_for", "cell_vote_base"), votes, base, rule);
                }
            }
            (votes, base) => {
                if votes.is_none() {
                    v.push(FieldError::required("cell_votes_for", "Số phiếu tán thành", "Votes in favour"));
                }
                if base.is_none() {
                    v.push(FieldError::required("cell_vote_base", "Số đảng viên chính thức", "Official members"));
                }
            }
        }
    }
    v
}

/// The same error under another field, its message relabelled.
fn relabel(mut e: FieldError, field: &str, vi: &str, en: &str) -> FieldError {
    let swap =
        |msg: &str, label: &str| msg.split_once(": ").map_or(msg.to_string(), |(_, rest)| format!("{label}: {rest}"));
    e.field = field.to_string();
    e.message_vi = swap(&e.message_vi, vi);
    e.message_en = swap(&e.message_en, en);
    e
}

fn introducer_error(code: &'static str, vi: String, en: String) -> FieldError {
    FieldError::new("introducers", code, vi, en)
}

fn check_introducers(d: &CandidateDossier, v: &mut Validation) {
    let Some(rule) = rules::in_force(INTRODUCERS, d.application_on) else { return };
    let (r, src) = (rule.value, rule.source);
    let known_by = add_months(d.application_on, -r.known_months);
    let mut seen = HashSet::new();
    for (i, p) in d.introducers.iter().enumerate() {
        let n = i + 1;
        if !seen.insert(p.member_id) {
            v.push(introducer_error(
                "introducer_duplicate",
                format!("Người giới thiệu thứ {n}: đã có trong danh sách."),
                format!("Introducer {n}: already listed."),
            ));
            continue;
        }
        if !p.official_on_introduction {
            v.push(introducer_error(
                "introducer_not_official",
                format!("Người giới thiệu thứ {n}: phải là đảng viên chính thức vào ngày làm đơn. Căn cứ: {src}."),
                format!("Introducer {n}: must be an official member on the application date. Source: {src}."),
            ));
        }
        match p.known_since {
            None => v.push(introducer_error(
                "introducer_known_since_required",
                format!("Người giới thiệu thứ {n}: phải ghi từ khi nào cùng công tác, học tập hoặc sinh hoạt với người vào Đảng."),
                format!("Introducer {n}: state since when they have worked, studied or lived with the applicant."),
            )),
            Some(k) if k > known_by => v.push(introducer_error(
                "introducer_known_too_short",
                format!(
                    "Người giới thiệu thứ {n}: phải cùng công tác, học tập hoặc sinh hoạt với người vào Đảng ít nhất {} tháng, tức từ {} trở về trước (mới từ {}). Căn cứ: {src}.",
                    r.known_months,
                    format_vn(known_by),
                    format_vn(k)
                ),
                format!(
                    "Introducer {n}: must have worked, studied or lived with the applicant for at least {} months, i.e. since {} or earlier (only since {}). Source: {src}.",
                    r.known_months,
                    format_vn(known_by),
                    format_vn(k)
                ),
            )),
            Some(_) => {}
        }
    }
    let needed = if d.youth_union_resolution_on.is_some() { r.with_youth_union } else { r.official };
    if (seen.len() as u64) < u64::from(needed) {
        v.push(introducer_error(
            "introducers_too_few",
            format!(
                "Người giới thiệu: cần {} đảng viên chính thức ({} người khi có nghị quyết giới thiệu của Đoàn); hồ sơ có {}. Căn cứ: {src}.",
                r.official,
                r.with_youth_union,
                seen.len()
            ),
            format!(
                "Introducers: {} official members are needed ({} with a Youth Union resolution); the dossier has {}. Source: {src}.",
                r.official,
                r.with_youth_union,
                seen.len()
            ),
        ));
    }
}

fn check_course(d: &CandidateDossier, v: &mut Validation) {
    let Some(cell) = d.cell_resolution_on else { return };
    match d.course_certificate_on {
        None => v.push(FieldError::new(
            "course_certificate_on",
            "required",
            "Giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng: bắt buộc trước khi chi bộ xét kết nạp.",
            "Certificate of the course on the Party: required before the cell considers the admission.",
        )),
        Some(c) if c > cell => v.push(FieldError::new(
            "course_certificate_on",
            "after_cell_resolution",
            format!(
                "Giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng: phải có trước ngày chi bộ xét kết nạp ({}).",
                format_vn(cell)
            ),
            format!("Certificate of the course on the Party: must predate the cell resolution ({}).", format_vn(cell)),
        )),
        Some(_) => {}
    }
}

/// Each step needs the earlier ones, on the same day or before.
fn check_order(d: &CandidateDossier, v: &mut Validation) {
    let steps = d.steps();
    let mut last: Option<(&str, &str, Date)> = None;
    for (i, &(field, vi, en, on)) in steps.iter().enumerate() {
        let Some(on) = on else { continue };
        for &(missing, mvi, men, _) in steps[..i].iter().filter(|s| s.3.is_none()) {
            if !v.has(missing) {
                v.push(FieldError::new(
                    missing,
                    "required",
                    format!("{mvi}: bắt buộc trước bước “{vi}”."),
                    format!("{men}: required before the step “{en}”."),
                ));
            }
        }
        if let Some((pvi, pen, prev)) = last
            && on < prev
        {
            v.push(FieldError::new(
                field,
                "out_of_order",
                format!("{vi}: phải cùng ngày hoặc sau {} ({}).", pvi.to_lowercase(), format_vn(prev)),
                format!("{en}: must be on or after the {} ({}).", pen.to_lowercase(), format_vn(prev)),
            ));
        }
        last = Some((vi, en, on));
    }
    if let (Some(y), Some(cell)) = (d.youth_union_resolution_on, d.cell_resolution_on)
        && y > cell
    {
        v.push(FieldError::new(
            "youth_union_resolution_on",
            "out_of_order",
            format!("Nghị quyết giới thiệu của Đoàn: phải có trước ngày chi bộ xét kết nạp ({}).", format_vn(cell)),
            format!("Youth Union resolution: must predate the cell resolution ({}).", format_vn(cell)),
        ));
    }
}

/// A cell vote: a base of at least one, no more votes than the base, and the share the rule
/// asks for. `fields` are the votes-for and base fields.
pub(crate) fn check_vote(
    v: &mut Validation,
    fields: (&str, &str),
    votes_for: u32,
    base: u32,
    rule: &Versioned<VoteThreshold>,
) {
    let (votes_field, base_field) = fields;
    if base == 0 {
        v.push(FieldError::new(
            base_field,
            "vote_base_zero",
            "Số đảng viên chính thức của chi bộ: phải lớn hơn 0.",
            "Official members of the cell: must be more than 0.",
        ));
        return;
    }
    if votes_for > base {
        v.push(FieldError::new(
            votes_field,
            "votes_exceed_base",
            format!("Số phiếu tán thành ({votes_for}): không thể nhiều hơn số đảng viên chính thức ({base})."),
            format!("Votes in favour ({votes_for}): cannot exceed the official members ({base})."),
        ));
        return;
    }
    let t = rule.value;
    if !t.passes(votes_for, base) {
        let (share_vi, share_en) = if t.strict { ("hơn", "more than") } else { ("ít nhất", "at least") };
        v.push(FieldError::new(
            votes_field,
            "vote_below_threshold",
            format!(
                "Số phiếu tán thành: cần {share_vi} {}/{} số đảng viên chính thức, tức ít nhất {} trên {base}; mới có {votes_for}. Căn cứ: {}.",
                t.num,
                t.den,
                t.min_votes(base),
                rule.source
            ),
            format!(
                "Votes in favour: {share_en} {}/{} of the official members are needed, i.e. at least {} of {base}; only {votes_for}. Source: {}.",
                t.num,
                t.den,
                t.min_votes(base),
                rule.source
            ),
        ));
    }
}

/// The last day for the competent committee's admission decision: 60 working days from the
/// cell's resolution ([`rules::ADMISSION_DEADLINE`]); `None` before the first sourced rule. Lunar
/// holidays are not skipped (see [`crate::workdays`]).
pub fn decision_deadline(cell_resolution_on: Date) -> Option<Date> {
    workdays::deadline(ADMISSION_DEADLINE, cell_resolution_on)
}

/// Whether the decision came (or, not yet made, is) after the deadline.
pub fn is_overdue(cell_resolution_on: Date, decision_on: Option<Date>, today: Date) -> bool {
    decision_deadline(cell_resolution_on).is_some_and(|deadline| decision_on.unwrap_or(today) > deadline)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn introducer(n: u128, known_since: Date) -> Introducer {
        Introducer { member_id: Uuid::from_u128(n), official_on_introduction: true, known_since: Some(known_since) }
    }

    fn dossier() -> CandidateDossier {
        CandidateDossier {
            birth_date: date!(2000 - 05 - 20),
            course_certificate_on: Some(date!(2024 - 11 - 10)),
            application_on: date!(2025 - 01 - 06),
            introducers: vec![introducer(1, date!(2023 - 09 - 01)), introducer(2, date!(2024 - 01 - 06))],
            youth_union_resolution_on: None,
            cell_resolution_on: Some(date!(2025 - 03 - 10)),
            cell_votes_for: Some(6),
            cell_vote_base: Some(9),
            base_resolution_on: Some(date!(2025 - 03 - 20)),
            decision_on: Some(date!(2025 - 04 - 15)),
            age_exception_approved: false,
        }
    }
    const TODAY: Date = date!(2025 - 06 - 01);

    fn codes(v: &Validation) -> Vec<(&str, &str)> {
        v.errors.iter().map(|e| (e.field.as_str(), e.code)).collect()
    }

    #[test]
    fn a_complete_dossier_passes() {
        assert_eq!(check(&dossier(), TODAY).errors, vec![]);
        // An early dossier: only the application so far.
        let mut d = dossier();
        (d.cell_resolution_on, d.base_resolution_on, d.decision_on) = (None, None, None);
        d.course_certificate_on = None;
        assert_eq!(check(&d, TODAY).errors, vec![]);
    }

    #[test]
    fn age_is_judged_when_the_cell_considers_the_case() {
        let mut d = dossier();
        d.birth_date = date!(2007 - 04 - 01);
        let v = check(&d, TODAY);
        let e = v.for_field("birth_date").unwrap();
        assert_eq!(e.code, "admission_too_young");
        assert!(e.message_vi.starts_with("Ngày sinh: ") && e.message_vi.contains("24-QĐ/TW"), "{}", e.message_vi);
        assert!(e.message_en.starts_with("Birth date: "));
        d.birth_date = date!(2007 - 03 - 31);
        assert!(check(&d, TODAY).is_ok());
    }

    #[test]
    fn introducers_two_officials_known_for_a_year() {
        let mut d = dossier();
        d.introducers[1].known_since = Some(date!(2024 - 01 - 07));
        let v = check(&d, TODAY);
        assert_eq!(codes(&v), vec![("introducers", "introducer_known_too_short")]);
        assert!(v.errors[0].message_vi.contains("06/01/2024") && v.errors[0].message_vi.contains("Căn cứ"));
        d.introducers[1].known_since = None;
        assert_eq!(codes(&check(&d, TODAY)), vec![("introducers", "introducer_known_since_required")]);
        let mut d = dossier();
        d.introducers[0].official_on_introduction = false;
        assert_eq!(codes(&check(&d, TODAY)), vec![("introducers", "introducer_not_official")]);
        let mut d = dossier();
        d.introducers[1].member_id = d.introducers[0].member_id;
        assert_eq!(
            codes(&check(&d, TODAY)),
            vec![("introducers", "introducer_duplicate"), ("introducers", "introducers_too_few")]
        );
    }

    #[test]
    fn one_introducer_with_a_youth_union_resolution() {
        let mut d = dossier();
        d.introducers.pop();
        assert_eq!(codes(&check(&d, TODAY)), vec![("introducers", "introducers_too_few")]);
        d.youth_union_resolution_on = Some(date!(2025 - 02 - 20));
        assert!(check(&d, TODAY).is_ok());
        d.youth_union_resolution_on = Some(date!(2025 - 03 - 11));
        assert_eq!(codes(&check(&d, TODAY)), vec![("youth_union_resolution_on", "out_of_order")]);
    }

    #[test]
    fn course_certificate_before_the_cell_resolution() {
        let mut d = dossier();
        d.course_certificate_on = None;
        assert_eq!(codes(&check(&d, TODAY)), vec![("course_certificate_on", "required")]);
        d.course_certificate_on = Some(date!(2025 - 03 - 11));
        assert_eq!(codes(&check(&d, TODAY)), vec![("course_certificate_on", "after_cell_resolution")]);
        d.course_certificate_on = Some(date!(2025 - 03 - 10));
        assert!(check(&d, TODAY).is_ok());
    }

    #[test]
    fn steps_in_date_order() {
        let mut d = dossier();
        d.base_resolution_on = Some(date!(2025 - 03 - 09));
        let v = check(&d, TODAY);
        assert_eq!(codes(&v), vec![("base_resolution_on", "out_of_order")]);
        assert!(v.errors[0].message_vi.contains("10/03/2025"));
        let mut d = dossier();
        d.cell_resolution_on = None;
        (d.cell_votes_for, d.cell_vote_base) = (None, None);
        assert_eq!(codes(&check(&d, TODAY)), vec![("cell_resolution_on", "required")]);
        let mut d = dossier();
        d.decision_on = Some(date!(2025 - 07 - 01));
        assert_eq!(codes(&check(&d, TODAY)), vec![("decision_on", "in_future")]);
    }

    #[test]
    fn the_cell_vote_needs_two_thirds_of_official_members() {
        let mut d = dossier();
        d.cell_votes_for = Some(5);
        let v = check(&d, TODAY);
        assert_eq!(codes(&v), vec![("cell_votes_for", "vote_below_threshold")]);
        assert!(v.errors[0].message_vi.contains("ít nhất 6 trên 9") && v.errors[0].message_vi.contains("Điều 4"));
        d.cell_votes_for = Some(10);
        assert_eq!(codes(&check(&d, TODAY)), vec![("cell_votes_for", "votes_exceed_base")]);
        d.cell_vote_base = Some(0);
        assert_eq!(codes(&check(&d, TODAY)), vec![("cell_vote_base", "vote_base_zero")]);
        d.cell_vote_base = None;
        assert_eq!(codes(&check(&d, TODAY)), vec![("cell_vote_base", "required")]);
        // 2 of 3.
        (d.cell_votes_for, d.cell_vote_base) = (Some(2), Some(3));
        assert!(check(&d, TODAY).is_ok());
    }

    #[test]
    fn decision_within_sixty_working_days() {
        // Cell resolution Monday 14/7/2025: 60 working days, with 1/9 and 2/9 off, end on 8/10/2025.
        let cell = date!(2025 - 07 - 14);
        assert_eq!(decision_deadline(cell), Some(date!(2025 - 10 - 08)));
        assert!(!is_overdue(cell, Some(date!(2025 - 10 - 08)), date!(2026 - 01 - 01)));
        assert!(is_overdue(cell, Some(date!(2025 - 10 - 09)), date!(2025 - 10 - 09)));
        assert!(!is_overdue(cell, None, date!(2025 - 10 - 08)));
        assert!(is_overdue(cell, None, date!(2025 - 10 - 09)));
        // No sourced rule before 29-QĐ/TW.
        assert_eq!(decision_deadline(date!(2015 - 01 - 05)), None);
        assert!(!is_overdue(date!(2015 - 01 - 05), None, date!(2025 - 01 - 01)));
    }
}
