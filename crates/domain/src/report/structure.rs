//! The structure of the membership on a date (*cơ cấu đội ngũ đảng viên*): counts and shares by
//! gender, age, ethnicity, religion, education, theory level, occupation, party age and standing.
//!
//! The store hands over, per dimension, the distinct stored values with how many members hold
//! each ([`Group`]); this module turns them into the report's rows. Free-text fields are
//! grouped by a normalised value ([`normalise`]) and shown with their most common spelling.

use super::bands::{AGE_BANDS, Bands, PARTY_AGE_BANDS};
use crate::Lang;
use crate::collation::fold;
use crate::date::{full_years, parse_iso};
use crate::meeting::Share;
use crate::member::{Gender, MemberStatus, TheoryLevel};
use serde::Serialize;
use std::collections::HashMap;
use time::Date;

/// The statistical code of the Kinh group; every other group is a minority.
pub const KINH: i32 = 1;

/// What a report groups members by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dim {
    Status,
    Gender,
    /// Grouped by birth date (ISO), banded on the report date.
    Birth,
    /// The ethnicity code.
    Ethnicity,
    Religion,
    GeneralEducation,
    ProfessionalEducation,
    Theory,
    Occupation,
    /// Grouped by admission date (ISO), banded by party age on the report date.
    Admission,
}

impl Dim {
    /// In the order of the report.
    pub const ALL: [Dim; 10] = [
        Dim::Status,
        Dim::Gender,
        Dim::Birth,
        Dim::Ethnicity,
        Dim::Religion,
        Dim::GeneralEducation,
        Dim::ProfessionalEducation,
        Dim::Theory,
        Dim::Occupation,
        Dim::Admission,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Dim::Status => "status",
            Dim::Gender => "gender",
            Dim::Birth => "age",
            Dim::Ethnicity => "ethnicity",
            Dim::Religion => "religion",
            Dim::GeneralEducation => "general_education",
            Dim::ProfessionalEducation => "professional_education",
            Dim::Theory => "theory_level",
            Dim::Occupation => "occupation",
            Dim::Admission => "party_age",
        }
    }

    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Dim::Status => lang.pick("Đảng viên chính thức, dự bị", "Official and probationary"),
            Dim::Gender => lang.pick("Giới tính", "Gender"),
            Dim::Birth => lang.pick("Tuổi đời", "Age"),
            Dim::Ethnicity => lang.pick("Dân tộc", "Ethnicity"),
            Dim::Religion => lang.pick("Tôn giáo", "Religion"),
            Dim::GeneralEducation => lang.pick("Trình độ giáo dục phổ thông", "General education"),
            Dim::ProfessionalEducation => lang.pick("Trình độ chuyên môn", "Professional education"),
            Dim::Theory => lang.pick("Trình độ lý luận chính trị", "Political theory"),
            Dim::Occupation => lang.pick("Nghề nghiệp", "Occupation"),
            Dim::Admission => lang.pick("Tuổi đảng", "Party age"),
        }
    }
}

impl Dim {
    /// The dimension of a section key ([`Dim::key`]).
    pub fn of_key(key: &str) -> Option<Dim> {
        Dim::ALL.into_iter().find(|d| d.key() == key)
    }

    /// The keys of the rows of this dimension's section that a member holding the stored
    /// `value` counts in, on `on`: the same grouping as [`Structure::build`] (a unit test
    /// checks each dimension against it), for listing the members behind a row.
    pub fn row_keys(self, value: Option<&str>, on: Date) -> Vec<String> {
        let band = |bands: &Bands| {
            value.and_then(parse_iso).map(|d| bands.bands[bands.index_of(full_years(d, on))].key.to_string())
        };
        match self {
            Dim::Status | Dim::Gender | Dim::Theory => value.map(str::to_string).into_iter().collect(),
            Dim::Birth => band(&AGE_BANDS).into_iter().collect(),
            Dim::Admission => band(&PARTY_AGE_BANDS).into_iter().collect(),
            Dim::Ethnicity => match value.and_then(|v| v.parse::<i32>().ok()) {
                Some(KINH) => vec!["kinh".into()],
                Some(c) => vec!["minority".into(), format!("eth:{c}")],
                None => vec!["minority".into()],
            },
            Dim::Religion => {
                let key = normalise(value.unwrap_or("").trim());
                vec![if no_religion(&key) { "none".into() } else { key }]
            }
            _ => vec![normalise(value.unwrap_or("").trim())],
        }
    }
}

/// How many members hold one stored value of a dimension (`None`: the field is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub dim: Dim,
    pub value: Option<String>,
    pub count: u64,
}

/// One line of a section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// Stable: a code, a band key, `eth:<code>`, or the normalised text (empty: not recorded).
    pub key: String,
    pub label: String,
    pub count: u64,
    /// Out of the members on the rolls.
    pub share: Share,
    /// A detail of the row above it (each minority group under "minorities").
    pub detail: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub key: &'static str,
    pub title: &'static str,
    pub rows: Vec<Row>,
}

/// The structure of the members on the rolls of a subtree on `on`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Structure {
    pub on: Date,
    pub total: u64,
    pub sections: Vec<Section>,
}

/// The form a free-text value is grouped by: folded (no case, no diacritics, no punctuation),
/// single spaces, trimmed. `"Đại học "` and `"đại  hoc"` are one group.
pub fn normalise(s: &str) -> String {
    fold(s.trim())
}

/// Whether a religion text means "none" (empty, "Không", "không có").
fn no_religion(norm: &str) -> bool {
    matches!(norm, "" | "khong" | "khong co" | "none")
}

impl Structure {
    pub fn build(on: Date, groups: &[Group], lang: Lang) -> Structure {
        let total: u64 = groups.iter().filter(|g| g.dim == Dim::Status).map(|g| g.count).sum();
        let sections = Dim::ALL
            .into_iter()
            .map(|dim| {
                let of: Vec<&Group> = groups.iter().filter(|g| g.dim == dim).collect();
                let lines = match dim {
                    Dim::Status => {
                        coded(&of, &[MemberStatus::Official, MemberStatus::Probationary], |s| (s.code(), s.label(lang)))
                    }
                    Dim::Gender => coded(&of, &[Gender::Male, Gender::Female], |g| (g.code(), g.label(lang))),
                    Dim::Theory => coded(&of, &TheoryLevel::ALL, |t| (t.code(), t.label(lang))),
                    Dim::Birth => banded(&of, &AGE_BANDS, on, lang),
                    Dim::Admission => banded(&of, &PARTY_AGE_BANDS, on, lang),
                    Dim::Ethnicity => ethnic(&of, lang),
                    Dim::Religion => texts(&of, true, lang),
                    _ => texts(&of, false, lang),
                };
                let rows = lines
                    .into_iter()
                    .map(|(key, label, count, detail)| Row {
                        key,
                        label,
                        count,
                        share: Share::new(count, total),
                        detail,
                    })
                    .collect();
                Section { key: dim.key(), title: dim.title(lang), rows }
            })
            .collect();
        Structure { on, total, sections }
    }
}

type Line = (String, String, u64, bool);

fn coded<T: Copy>(of: &[&Group], all: &[T], code_label: impl Fn(T) -> (&'static str, &'static str)) -> Vec<Line> {
    all.iter()
        .map(|&t| {
            let (code, label) = code_label(t);
            let count = of.iter().filter(|g| g.value.as_deref() == Some(code)).map(|g| g.count).sum();
            (code.to_string(), label.to_string(), count, false)
        })
        .collect()
}

fn banded(of: &[&Group], bands: &Bands, on: Date, lang: Lang) -> Vec<Line> {
    let mut counts = vec![0u64; bands.bands.len()];
    for g in of {
        let value = g.value.as_deref().unwrap_or_default();
        if let Some(i) = parse_iso(value).map(|d| bands.index_of(full_years(d, on))) {
            counts[i] += g.count;
        }
    }
    bands
        .bands
        .iter()
        .zip(counts)
        .map(|(b, n)| (b.key.to_string(), lang.pick(b.vi, b.en).to_string(), n, false))
        .collect()
}

fn ethnic(of: &[&Group], lang: Lang) -> Vec<Line> {
    let code = |g: &Group| g.value.as_deref().and_then(|v| v.parse::<i32>().ok());
    let kinh: u64 = of.iter().filter(|g| code(g) == Some(KINH)).map(|g| g.count).sum();
    let mut groups: Vec<(i32, u64)> =
        of.iter().filter_map(|g| Some((code(g)?, g.count))).filter(|(c, _)| *c != KINH).collect();
    groups.sort_by_key(|&(c, n)| (std::cmp::Reverse(n), c));
    let minority: u64 = of.iter().filter(|g| code(g) != Some(KINH)).map(|g| g.count).sum();
    let mut out = vec![
        ("kinh".to_string(), lang.pick("Dân tộc Kinh", "Kinh").to_string(), kinh, false),
        ("minority".to_string(), lang.pick("Dân tộc thiểu số", "Ethnic minorities").to_string(), minority, false),
    ];
    for (c, n) in groups {
        let name = crate::ethnicity::by_code(c).map_or_else(|| c.to_string(), |e| e.name.clone());
        out.push((format!("eth:{c}"), name, n, true));
    }
    out
}

/// Free text grouped by its normalised form, each group labelled with its most common spelling
/// (ties: the first in code-point order), largest first; the empty group is "none" for religion
/// (first) and "not recorded" otherwise (last).
fn texts(of: &[&Group], religion: bool, lang: Lang) -> Vec<Line> {
    let mut by: HashMap<String, (u64, Vec<(u64, String)>)> = HashMap::new();
    for g in of {
        let raw = g.value.as_deref().unwrap_or("").trim();
        let mut key = normalise(raw);
        if religion && no_religion(&key) {
            key = "none".into();
        }
        let e = by.entry(key).or_default();
        e.0 += g.count;
        e.1.push((g.count, raw.to_string()));
    }
    let empty = if religion { "none" } else { "" };
    let mut out: Vec<Line> = by
        .into_iter()
        .map(|(key, (n, mut spellings))| {
            spellings.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            let label = if key == empty {
                if religion { lang.pick("Không", "None") } else { lang.pick("Chưa ghi", "Not recorded") }.to_string()
            } else {
                spellings.first().map(|s| s.1.clone()).unwrap_or_default()
            };
            (key, label, n, false)
        })
        .collect();
    out.sort_by(|a, b| (a.0 == empty).cmp(&(b.0 == empty)).then(b.2.cmp(&a.2)).then_with(|| a.1.cmp(&b.1)));
    if religion {
        match out.iter().position(|l| l.0 == "none") {
            Some(i) => out[..=i].rotate_right(1),
            None => out.insert(0, ("none".into(), lang.pick("Không", "None").into(), 0, false)),
        }
    }
    out
}
