//! The annual review: rounds, the lines of members and organisations with the facts from the
//! record, decisions, plans, work lists, figures and settings.

use super::meetings::ShareBody;
use super::{iso, iso_opt};
use chibo_access::domain::review::{Cap, Level, Outcome, Subject, Tally};
use chibo_access::{
    Lang, MemberFacts, MemberReview, MemberReviewLine, NamedCount, OrgReviewLine, PlanView, ReviewDecision,
    ReviewFigures, ReviewSettings, ReviewWorklist, Round, RoundView, period_label,
};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// A code with its label in the viewer's language.
#[derive(Debug, Serialize, ToSchema)]
pub struct Coded {
    pub code: String,
    pub label: String,
}

fn level(code: &Option<String>, lang: Lang) -> Option<Coded> {
    let l = Level::parse(code.as_deref()?)?;
    Some(Coded { code: l.code().into(), label: l.label(lang).into() })
}

/// One line of the member sheet.
#[derive(Debug, Serialize, ToSchema)]
pub struct SheetLineBody {
    pub code: String,
    /// `general` or `tasks`.
    pub part: String,
    pub label: String,
    pub points: u32,
}

/// A review round.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundBody {
    pub id: Uuid,
    pub org_id: Uuid,
    pub kind: Coded,
    /// The key of its figures (`year:2025`, `quarter:2025-Q4`, …).
    pub period: String,
    pub period_label: String,
    pub first_day: String,
    pub last_day: String,
    pub self_due: String,
    pub cell_due: String,
    pub decision_due: String,
    pub status: Coded,
    /// The rules judging it (those in force on its last day).
    pub rules_source: String,
    /// Members rated xuất sắc at most this percentage of those rated tốt (null: no quota).
    pub quota_percent: Option<f64>,
    /// The 100-point sheet (null before 366-QĐ/TW).
    pub sheet: Option<Vec<SheetLineBody>>,
    pub opened_by: String,
    pub version: i64,
}

impl RoundBody {
    pub fn new(r: &Round, lang: Lang) -> RoundBody {
        let sheet: Option<chibo_access::domain::review::Sheet> =
            r.sheet.as_deref().and_then(|s| serde_json::from_str(s).ok());
        RoundBody {
            id: r.id,
            org_id: r.org_id,
            kind: Coded { code: r.kind.code().into(), label: r.kind.label(lang).into() },
            period: r.period.clone(),
            period_label: period_label(&r.period),
            first_day: iso(r.first_day),
            last_day: iso(r.last_day),
            self_due: iso(r.self_due),
            cell_due: iso(r.cell_due),
            decision_due: iso(r.decision_due),
            status: Coded { code: r.status.code().into(), label: r.status.label(lang).into() },
            rules_source: r.rules_source.clone(),
            quota_percent: r
                .quota_num
                .zip(r.quota_den)
                .filter(|(_, d)| *d > 0)
                .map(|(n, d)| n as f64 * 100.0 / d as f64),
            sheet: sheet.map(|s| {
                s.lines
                    .iter()
                    .map(|l| SheetLineBody {
                        code: l.code.to_string(),
                        part: l.part.code().into(),
                        label: if lang == Lang::En && !l.label_en.is_empty() {
                            l.label_en.to_string()
                        } else {
                            l.label_vi.to_string()
                        },
                        points: l.points,
                    })
                    .collect()
            }),
            opened_by: r.opened_by.clone(),
            version: r.version,
        }
    }
}

/// A cap on a level and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct CapBody {
    pub ceiling: Coded,
    pub reason: Coded,
}

fn caps(list: &[Cap], lang: Lang) -> Vec<CapBody> {
    list.iter()
        .map(|c| CapBody {
            ceiling: Coded { code: c.ceiling.code().into(), label: c.ceiling.label(lang).into() },
            reason: Coded { code: c.reason.code().into(), label: c.reason.label(lang).into() },
        })
        .collect()
}

/// A dated fact with a code (a discipline with its form, a transfer with its kind).
#[derive(Debug, Serialize, ToSchema)]
pub struct DatedFact {
    pub on: String,
    pub what: Option<Coded>,
}

/// What the record shows about a member over the round's period.
#[derive(Debug, Serialize, ToSchema)]
pub struct FactsBody {
    pub meetings_expected: u32,
    pub meetings_attended: u32,
    pub excused: u32,
    pub unexcused: u32,
    pub disciplined: Vec<DatedFact>,
    pub exempt_since: Option<String>,
    pub admitted: Option<String>,
    pub recognized: Option<String>,
    pub transfers: Vec<DatedFact>,
}

impl FactsBody {
    pub fn new(f: &MemberFacts, lang: Lang) -> FactsBody {
        FactsBody {
            meetings_expected: f.meetings_expected,
            meetings_attended: f.meetings_attended,
            excused: f.excused,
            unexcused: f.unexcused,
            disciplined: f
                .disciplined
                .iter()
                .map(|d| DatedFact {
                    on: iso(d.on),
                    what: d.form.map(|x| Coded { code: x.code().into(), label: x.label(lang).into() }),
                })
                .collect(),
            exempt_since: iso_opt(f.exempt_since),
            admitted: iso_opt(f.admitted),
            recognized: iso_opt(f.recognized),
            transfers: f
                .transfers
                .iter()
                .map(|t| DatedFact {
                    on: iso(t.on),
                    what: Some(Coded { code: t.kind.code().into(), label: t.kind.label(lang).into() }),
                })
                .collect(),
        }
    }
}

/// A member's line in a round.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberLineBody {
    pub member_id: Uuid,
    pub full_name: String,
    pub cell_id: Uuid,
    pub cell_name: String,
    pub base_id: Uuid,
    /// Why not rated (null: rated).
    pub not_rated: Option<Coded>,
    pub outcome: Coded,
    pub self_assessed: bool,
    pub score: Option<i64>,
    pub self_level: Option<Coded>,
    pub cell_level: Option<Coded>,
    pub votes_for: Option<i64>,
    pub votes_against: Option<i64>,
    pub votes_abstain: Option<i64>,
    pub sick_leave_months: i64,
    pub level: Option<Coded>,
    pub facts: FactsBody,
    pub caps: Vec<CapBody>,
    pub version: i64,
}

impl MemberLineBody {
    pub fn new(m: &MemberReviewLine, lang: Lang) -> MemberLineBody {
        let l = &m.line;
        MemberLineBody {
            member_id: l.member_id,
            full_name: m.full_name.clone(),
            cell_id: l.org_id,
            cell_name: m.cell_name.clone(),
            base_id: l.base_id,
            not_rated: m.not_rated.map(|n| Coded { code: n.code().into(), label: n.label(lang).into() }),
            outcome: Coded { code: l.outcome.code().into(), label: l.outcome.label(lang).into() },
            self_assessed: l.self_at.is_some(),
            score: l.score,
            self_level: level(&l.self_level, lang),
            cell_level: level(&l.cell_level, lang),
            votes_for: l.votes_for,
            votes_against: l.votes_against,
            votes_abstain: l.votes_abstain,
            sick_leave_months: l.sick_leave_months,
            level: level(&l.level, lang),
            facts: FactsBody::new(&m.facts, lang),
            caps: caps(&m.caps, lang),
            version: l.version,
        }
    }
}

/// An organisation's line in a round.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgLineBody {
    pub org_id: Uuid,
    pub name: String,
    pub kind: Coded,
    pub decider_id: Uuid,
    pub decider_name: String,
    pub not_rated: Option<Coded>,
    pub outcome: Coded,
    pub self_level: Option<Coded>,
    pub sub_units: i64,
    pub sub_units_disciplined: i64,
    pub targets: i64,
    pub targets_met: i64,
    pub level: Option<Coded>,
    pub caps: Vec<CapBody>,
    pub version: i64,
}

impl OrgLineBody {
    pub fn new(o: &OrgReviewLine, lang: Lang) -> OrgLineBody {
        let l = &o.line;
        OrgLineBody {
            org_id: l.org_id,
            name: o.name.clone(),
            kind: Coded { code: o.kind.code().into(), label: o.kind.label(lang).into() },
            decider_id: l.decider_id,
            decider_name: o.decider_name.clone(),
            not_rated: l
                .not_rated
                .as_deref()
                .and_then(chibo_access::domain::review::NotRated::parse)
                .map(|n| Coded { code: n.code().into(), label: n.label(lang).into() }),
            outcome: Coded { code: l.outcome.code().into(), label: l.outcome.label(lang).into() },
            self_level: level(&l.self_level, lang),
            sub_units: l.sub_units,
            sub_units_disciplined: l.sub_units_disciplined,
            targets: l.targets,
            targets_met: l.targets_met,
            level: level(&l.level, lang),
            caps: caps(&o.caps, lang),
            version: l.version,
        }
    }
}

/// A round seen from an organisation of its subtree.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundViewBody {
    pub round: RoundBody,
    pub at_id: Uuid,
    pub at_name: String,
    /// Empty when the subtree has more members than a page shows (`too_many`).
    pub members: Vec<MemberLineBody>,
    pub too_many: bool,
    pub orgs: Vec<OrgLineBody>,
}

impl RoundViewBody {
    pub fn new(v: &RoundView, lang: Lang) -> RoundViewBody {
        RoundViewBody {
            round: RoundBody::new(&v.round, lang),
            at_id: v.at.id,
            at_name: v.at.input.name.clone(),
            members: v.members.iter().map(|m| MemberLineBody::new(m, lang)).collect(),
            too_many: v.too_many,
            orgs: v.orgs.iter().map(|o| OrgLineBody::new(o, lang)).collect(),
        }
    }
}

/// A decision on a level (a correction names the decision it replaces).
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewDecisionBody {
    pub id: Uuid,
    /// `member` or `org`.
    pub subject: String,
    pub subject_id: Uuid,
    pub level: Coded,
    pub number: String,
    pub signed_on: String,
    pub reason: String,
    pub self_corrected: bool,
    pub corrects: Option<Uuid>,
    pub by_name: String,
}

impl ReviewDecisionBody {
    pub fn new(d: &ReviewDecision, lang: Lang) -> ReviewDecisionBody {
        ReviewDecisionBody {
            id: d.id,
            subject: d.subject.clone(),
            subject_id: d.subject_id,
            level: Coded { code: d.level.code().into(), label: d.level.label(lang).into() },
            number: d.number.clone(),
            signed_on: iso(d.signed_on),
            reason: d.reason.clone(),
            self_corrected: d.self_corrected,
            corrects: d.corrects,
            by_name: d.by_name.clone(),
        }
    }
}

/// One item of a plan and how it stands today.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanItemBody {
    pub id: Uuid,
    pub content: String,
    pub responsible: String,
    pub deadline: String,
    pub done_on: Option<String>,
    pub note: String,
    pub state: Coded,
}

/// A self-improvement plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanBody {
    pub id: Uuid,
    pub round_id: Uuid,
    pub round_label: String,
    pub subject: String,
    pub subject_id: Uuid,
    pub items: Vec<PlanItemBody>,
    pub done: u32,
    pub open: u32,
    pub overdue: u32,
}

impl PlanBody {
    pub fn new(p: &PlanView, lang: Lang) -> PlanBody {
        PlanBody {
            id: p.plan.id,
            round_id: p.plan.round_id,
            round_label: p.round_label.clone(),
            subject: p.plan.subject.clone(),
            subject_id: p.plan.subject_id,
            items: p
                .items
                .iter()
                .map(|(i, s)| PlanItemBody {
                    id: i.id,
                    content: i.content.clone(),
                    responsible: i.responsible.clone(),
                    deadline: iso(i.deadline),
                    done_on: iso_opt(i.done_on),
                    note: i.note.clone(),
                    state: Coded { code: s.code().into(), label: s.label(lang).into() },
                })
                .collect(),
            done: p.progress.done,
            open: p.progress.open,
            overdue: p.progress.overdue,
        }
    }
}

/// The self-assessment's texts.
#[derive(Debug, Serialize, ToSchema)]
pub struct SelfTexts {
    pub scores: BTreeMap<String, u32>,
    pub tasks_total: Option<i64>,
    pub tasks_on_time: Option<i64>,
    pub tasks_exceeded: Option<i64>,
    pub strengths: String,
    pub shortcomings: String,
    pub causes: String,
    pub remedies: String,
    pub cell_comments: String,
}

/// One member's review in a round.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberReviewBody {
    pub round: RoundBody,
    pub line: MemberLineBody,
    pub texts: SelfTexts,
    pub decisions: Vec<ReviewDecisionBody>,
    /// This round's plan and the earlier ones (what was and was not fixed).
    pub plans: Vec<PlanBody>,
    pub may_self_assess: bool,
}

impl MemberReviewBody {
    pub fn new(m: &MemberReview, lang: Lang) -> MemberReviewBody {
        let l = &m.line.line;
        MemberReviewBody {
            round: RoundBody::new(&m.round, lang),
            line: MemberLineBody::new(&m.line, lang),
            texts: SelfTexts {
                scores: l.scores.as_deref().and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default(),
                tasks_total: l.tasks_total,
                tasks_on_time: l.tasks_on_time,
                tasks_exceeded: l.tasks_exceeded,
                strengths: l.strengths.clone(),
                shortcomings: l.shortcomings.clone(),
                causes: l.causes.clone(),
                remedies: l.remedies.clone(),
                cell_comments: l.cell_comments.clone(),
            },
            decisions: m.decisions.iter().map(|d| ReviewDecisionBody::new(d, lang)).collect(),
            plans: m.plans.iter().map(|p| PlanBody::new(p, lang)).collect(),
            may_self_assess: m.may_self_assess,
        }
    }
}

/// An organisation with a count (a work list).
#[derive(Debug, Serialize, ToSchema)]
pub struct NamedCountBody {
    pub org_id: Uuid,
    pub name: String,
    pub count: i64,
}

fn named(list: &[NamedCount]) -> Vec<NamedCountBody> {
    list.iter().map(|n| NamedCountBody { org_id: n.org_id, name: n.name.clone(), count: n.count }).collect()
}

/// What waits in a round.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorklistBody {
    pub round: RoundBody,
    /// At most 2,000 of them; `not_self_assessed_count` says how many.
    pub not_self_assessed: Vec<MemberLineBody>,
    pub not_self_assessed_count: i64,
    /// The subtree is too large to count per cell: see the organisations below.
    pub too_many: bool,
    pub cells_without_opinion: Vec<NamedCountBody>,
    pub awaiting_decision: Vec<NamedCountBody>,
    pub orgs_awaiting: Vec<OrgLineBody>,
    pub plans_overdue: Vec<PlanBody>,
}

impl WorklistBody {
    pub fn new(w: &ReviewWorklist, lang: Lang) -> WorklistBody {
        WorklistBody {
            round: RoundBody::new(&w.round, lang),
            not_self_assessed: w.not_self_assessed.iter().map(|m| MemberLineBody::new(m, lang)).collect(),
            not_self_assessed_count: w.not_self_assessed_count,
            too_many: w.too_many,
            cells_without_opinion: named(&w.cells_without_opinion),
            awaiting_decision: named(&w.awaiting_decision),
            orgs_awaiting: w.orgs_awaiting.iter().map(|o| OrgLineBody::new(o, lang)).collect(),
            plans_overdue: w.plans_overdue.iter().map(|p| PlanBody::new(p, lang)).collect(),
        }
    }
}

/// Members, or organisations of one kind, per outcome.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewTallyBody {
    /// `member` or an organisation kind.
    pub subject: String,
    pub label: String,
    pub not_rated: i64,
    pub pending: i64,
    pub excellent: i64,
    pub good: i64,
    pub completed: i64,
    pub not_completed: i64,
    /// The base of the shares: all but those not rated.
    pub rated: i64,
    pub completed_or_better: ShareBody,
    pub good_or_better: ShareBody,
}

pub fn tallies(t: &BTreeMap<Subject, Tally>, lang: Lang) -> Vec<ReviewTallyBody> {
    t.iter()
        .map(|(s, v)| ReviewTallyBody {
            subject: s.code().into(),
            label: s.label(lang).into(),
            not_rated: v.get(Outcome::NotRated),
            pending: v.pending,
            excellent: v.excellent,
            good: v.good,
            completed: v.completed,
            not_completed: v.not_completed,
            rated: v.rated(),
            completed_or_better: v.completed_or_better().into(),
            good_or_better: v.good_or_better().into(),
        })
        .collect()
}

/// An organisation below, with its figures (drill-down).
#[derive(Debug, Serialize, ToSchema)]
pub struct ChildTallies {
    pub org_id: Uuid,
    pub name: String,
    pub tallies: Vec<ReviewTallyBody>,
}

/// The review figures of a subtree for a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewFiguresBody {
    pub org_id: Uuid,
    pub name: String,
    pub period: String,
    pub period_label: String,
    pub tallies: Vec<ReviewTallyBody>,
    pub children: Vec<ChildTallies>,
    /// The national target: more than this percentage rated hoàn thành nhiệm vụ or better.
    pub target_percent: Option<String>,
    /// The periods with figures here, newest first.
    pub periods: Vec<String>,
}

impl ReviewFiguresBody {
    pub fn new(f: &ReviewFigures, lang: Lang) -> ReviewFiguresBody {
        ReviewFiguresBody {
            org_id: f.org.id,
            name: f.org.input.name.clone(),
            period: f.period.clone(),
            period_label: f.period_label.clone(),
            tallies: tallies(&f.tallies, lang),
            children: f
                .children
                .iter()
                .map(|(o, t)| ChildTallies { org_id: o.id, name: o.input.name.clone(), tallies: tallies(t, lang) })
                .collect(),
            target_percent: f.targets.map(|t| t.completed_over.percent_text()),
            periods: f.periods.clone(),
        }
    }
}

/// A committee's review settings from a date.
#[derive(Debug, Serialize, ToSchema)]
pub struct SettingsBody {
    pub id: Uuid,
    pub org_id: Uuid,
    pub effective_from: String,
    pub quota_percent: Option<i64>,
    pub quota_off: bool,
    pub has_sheet: bool,
}

impl SettingsBody {
    pub fn new(s: &ReviewSettings) -> SettingsBody {
        SettingsBody {
            id: s.id,
            org_id: s.org_id,
            effective_from: iso(s.effective_from),
            quota_percent: s.quota_num,
            quota_off: s.quota_off,
            has_sheet: s.sheet.is_some(),
        }
    }
}
