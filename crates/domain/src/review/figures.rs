//! The figures of a round: for each organisation's subtree, members and organisations (by kind)
//! per outcome, with the shares the reports quote over the base that leaves out those not
//! rated.

use super::level::Level;
use super::rules::Targets;
use crate::life::event::coded_enum;
use crate::meeting::Share;
use crate::org::OrgKind;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// Where one member or organisation of a round stands in the figures.
    Outcome {
        /// Not rated (counted apart, out of every base).
        NotRated = "not_rated", "Chưa xếp loại", "Not rated";
        /// Rated, no decision yet.
        Pending = "pending", "Chưa có quyết định", "Awaiting decision";
        Excellent = "excellent", "Hoàn thành xuất sắc nhiệm vụ", "Completed tasks excellently";
        Good = "good", "Hoàn thành tốt nhiệm vụ", "Completed tasks well";
        Completed = "completed", "Hoàn thành nhiệm vụ", "Completed tasks";
        NotCompleted = "not_completed", "Không hoàn thành nhiệm vụ", "Did not complete tasks";
    }
}

impl Outcome {
    /// The outcome of a line: not rated first, then the decided level, else pending.
    pub fn of(not_rated: bool, decided: Option<Level>) -> Outcome {
        match (not_rated, decided) {
            (true, _) => Outcome::NotRated,
            (false, None) => Outcome::Pending,
            (false, Some(l)) => Outcome::from(l),
        }
    }
}

impl From<Level> for Outcome {
    fn from(l: Level) -> Outcome {
        match l {
            Level::Excellent => Outcome::Excellent,
            Level::Good => Outcome::Good,
            Level::Completed => Outcome::Completed,
            Level::NotCompleted => Outcome::NotCompleted,
        }
    }
}

/// Who is counted: members, or organisations of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    Member,
    Org(OrgKindOrd),
}

/// An organisation kind in the order of [`OrgKind::ALL`] (so subjects sort).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OrgKindOrd(pub u8);

impl OrgKindOrd {
    pub fn kind(self) -> OrgKind {
        OrgKind::ALL[usize::from(self.0).min(OrgKind::ALL.len() - 1)]
    }
}

impl Subject {
    pub fn org(kind: OrgKind) -> Subject {
        Subject::Org(OrgKindOrd(OrgKind::ALL.iter().position(|k| *k == kind).unwrap_or(0) as u8))
    }

    /// `member`, or the organisation kind's code.
    pub fn code(self) -> &'static str {
        match self {
            Subject::Member => "member",
            Subject::Org(k) => k.kind().code(),
        }
    }

    pub fn parse(s: &str) -> Option<Subject> {
        if s == "member" { Some(Subject::Member) } else { OrgKind::parse(s).map(Subject::org) }
    }

    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            Subject::Member => lang.pick("Đảng viên", "Members"),
            Subject::Org(k) => k.kind().label(lang),
        }
    }
}

impl Serialize for Subject {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// Counts per outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub not_rated: i64,
    pub pending: i64,
    pub excellent: i64,
    pub good: i64,
    pub completed: i64,
    pub not_completed: i64,
}

impl Tally {
    pub fn add(&mut self, outcome: Outcome, n: i64) {
        let slot = match outcome {
            Outcome::NotRated => &mut self.not_rated,
            Outcome::Pending => &mut self.pending,
            Outcome::Excellent => &mut self.excellent,
            Outcome::Good => &mut self.good,
            Outcome::Completed => &mut self.completed,
            Outcome::NotCompleted => &mut self.not_completed,
        };
        *slot += n;
    }

    pub fn get(&self, outcome: Outcome) -> i64 {
        match outcome {
            Outcome::NotRated => self.not_rated,
            Outcome::Pending => self.pending,
            Outcome::Excellent => self.excellent,
            Outcome::Good => self.good,
            Outcome::Completed => self.completed,
            Outcome::NotCompleted => self.not_completed,
        }
    }

    pub fn total(&self) -> i64 {
        Outcome::ALL.iter().map(|o| self.get(*o)).sum()
    }

    /// The base of the shares: everyone but those not rated.
    pub fn rated(&self) -> i64 {
        self.total() - self.not_rated
    }

    fn share(&self, num: i64) -> Share {
        Share::new(num.max(0) as u64, self.rated().max(0) as u64)
    }

    /// Share of the rated at *hoàn thành nhiệm vụ* or better.
    pub fn completed_or_better(&self) -> Share {
        self.share(self.excellent + self.good + self.completed)
    }

    /// Share of the rated at *hoàn thành tốt nhiệm vụ* or better.
    pub fn good_or_better(&self) -> Share {
        self.share(self.excellent + self.good)
    }

    /// Share of the rated at a level.
    pub fn at(&self, level: Level) -> Share {
        self.share(self.get(Outcome::from(level)))
    }

    /// Whether the national target is met (`None` with nothing rated or still pending).
    pub fn meets(&self, targets: &Targets) -> Option<bool> {
        (self.rated() > 0 && self.pending == 0).then(|| {
            let s = self.completed_or_better();
            targets.completed_over.exceeded_by(s.num, s.den)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::rules::REVIEW_TARGETS;

    #[test]
    fn shares_leave_out_those_not_rated() {
        let mut t = Tally::default();
        t.add(Outcome::of(true, Some(Level::Good)), 2);
        t.add(Outcome::of(false, Some(Level::Excellent)), 1);
        t.add(Outcome::of(false, Some(Level::Good)), 8);
        t.add(Outcome::of(false, Some(Level::NotCompleted)), 1);
        assert_eq!((t.total(), t.rated()), (12, 10));
        assert_eq!(t.completed_or_better(), Share::new(9, 10));
        assert_eq!(t.good_or_better(), Share::new(9, 10));
        // 90% is not more than 90%.
        assert_eq!(t.meets(&REVIEW_TARGETS[0].value), Some(false));
        t.add(Outcome::Completed, 1);
        assert_eq!(t.meets(&REVIEW_TARGETS[0].value), Some(true));
        t.add(Outcome::Pending, 1);
        assert_eq!(t.meets(&REVIEW_TARGETS[0].value), None);
    }

    #[test]
    fn subjects_have_codes() {
        for s in [Subject::Member, Subject::org(OrgKind::SubordinateCell), Subject::org(OrgKind::Commune)] {
            assert_eq!(Subject::parse(s.code()), Some(s));
        }
        assert!(Subject::Member < Subject::org(OrgKind::Central));
        assert_eq!(Subject::parse("nobody"), None);
    }
}
