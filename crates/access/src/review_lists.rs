//! Reading a round: the lines of a subtree with the facts beside each member, one member's
//! review with its decisions and plans, the work lists, and the figures of any subtree and
//! period with their drill-down and the years before.

use crate::load::{load_member, load_org, member_target};
use crate::review::{load_round, period_label, round_at, rules_of, sheet_of};
use crate::review_decide::org_cap_facts;
use crate::review_facts::{MemberFacts, member_facts};
use crate::review_plans::PlanView;
use crate::{Chibo, Outcome, Viewer};
use chibo_domain::Problem;
use chibo_domain::access::{Action, Target};
use chibo_domain::org::OrgKind;
use chibo_domain::review::{
    Cap, MemberCapFacts, NotRated, REVIEW_TARGETS, Sheet, Subject, Tally, Targets, member_caps, org_caps,
};
use chibo_domain::rules::in_force;
use chibo_store::orgs::{self, Org};
use chibo_store::review::{self, Decision, MemberLine, OrgLine, Round};
use chibo_store::{members, review_figures};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// Member lines shown in a round's page at most (a larger subtree shows its figures and lists
/// per organisation instead).
pub const REVIEW_LINES_MAX: i64 = 2_000;

/// Members of a subtree above which its work list counts nothing per cell (the reads would
/// grow with the subtree): a province's or the nation's list shows what its own committee
/// decides, and the organisations below have theirs.
pub const REVIEW_WORKLIST_MAX: i64 = 50_000;

/// A member's line with the name, the cell and the facts from the record.
#[derive(Debug, Clone, Serialize)]
pub struct MemberReviewLine {
    pub line: MemberLine,
    pub full_name: String,
    pub sort_key: String,
    pub cell_name: String,
    pub not_rated: Option<NotRated>,
    pub facts: MemberFacts,
    /// The caps from the record (before any recorded exception).
    pub caps: Vec<Cap>,
}

/// An organisation's line with its name and the caps from its facts.
#[derive(Debug, Clone, Serialize)]
pub struct OrgReviewLine {
    pub line: OrgLine,
    pub name: String,
    pub kind: OrgKind,
    pub decider_name: String,
    pub caps: Vec<Cap>,
}

/// A round seen from an organisation of its subtree.
#[derive(Debug, Clone, Serialize)]
pub struct RoundView {
    pub round: Round,
    pub top: Org,
    pub at: Org,
    pub period_label: String,
    pub sheet: Option<Sheet>,
    /// The members of the subtree (empty when more than [`REVIEW_LINES_MAX`]).
    pub members: Vec<MemberReviewLine>,
    pub too_many: bool,
    /// The organisations of the subtree (when `too_many`, those `at` decides).
    pub orgs: Vec<OrgReviewLine>,
    pub may_write: bool,
}

/// One member's review in a round.
#[derive(Debug, Clone, Serialize)]
pub struct MemberReview {
    pub round: Round,
    pub period_label: String,
    pub line: MemberReviewLine,
    pub sheet: Option<Sheet>,
    /// Every decision on the member in the round, oldest first (corrections after).
    pub decisions: Vec<Decision>,
    /// The member's plans, this round's and the earlier ones (what was and was not fixed).
    pub plans: Vec<PlanView>,
    pub may_self_assess: bool,
}

/// A named count in a work list.
#[derive(Debug, Clone, Serialize)]
pub struct NamedCount {
    pub org_id: Uuid,
    pub name: String,
    pub count: i64,
}

/// What waits in a round, under an organisation.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewWorklist {
    pub round: Round,
    pub at: Org,
    /// Members who have not self-assessed (at most [`REVIEW_LINES_MAX`]), and how many.
    pub not_self_assessed: Vec<MemberReviewLine>,
    pub not_self_assessed_count: i64,
    /// The subtree is larger than [`REVIEW_WORKLIST_MAX`]: nothing counted per cell.
    pub too_many: bool,
    /// Cells with members still without the cell's opinion.
    pub cells_without_opinion: Vec<NamedCount>,
    /// Base organisations with members proposed and awaiting the decision.
    pub awaiting_decision: Vec<NamedCount>,
    /// Organisations awaiting their decision.
    pub orgs_awaiting: Vec<OrgReviewLine>,
    /// Plans of the subtree with an item past its deadline.
    pub plans_overdue: Vec<PlanView>,
}

/// The figures of one organisation for one period, with its children for the drill-down.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewFigures {
    pub org: Org,
    pub period: String,
    pub period_label: String,
    pub tallies: BTreeMap<Subject, Tally>,
    pub children: Vec<(Org, BTreeMap<Subject, Tally>)>,
    pub targets: Option<Targets>,
    /// The periods with figures for this organisation, newest first.
    pub periods: Vec<String>,
}

/// Members' tallies summed over kinds of organisation (cells, base organisations…).
pub fn org_total(t: &BTreeMap<Subject, Tally>) -> Tally {
    let mut out = Tally::default();
    for v in t.iter().filter(|(s, _)| **s != Subject::Member).map(|(_, v)| v) {
        for o in chibo_domain::review::Outcome::ALL {
            out.add(*o, v.get(*o));
        }
    }
    out
}

impl Chibo {
    /// Member lines with names, cells, facts and caps.
    pub(crate) async fn named_lines(
        &self,
        e: &mut impl chibo_store::db::Exec,
        r: &Round,
        lines: Vec<MemberLine>,
    ) -> Outcome<Vec<MemberReviewLine>> {
        let rules = rules_of(r)?;
        let ids: Vec<Uuid> = lines.iter().map(|l| l.member_id).collect();
        let records: HashMap<Uuid, chibo_store::members::Member> =
            members::by_ids(e, &ids).await?.into_iter().map(|m| (m.id, m)).collect();
        let list: Vec<_> = records.values().cloned().collect();
        let mut facts = member_facts(e, &list, r.first_day, r.last_day).await?;
        let mut cells: Vec<Uuid> = lines.iter().map(|l| l.org_id).collect();
        cells.sort();
        cells.dedup();
        let names: HashMap<Uuid, String> =
            orgs::by_ids(e, &cells).await?.into_iter().map(|o| (o.id, o.input.name)).collect();
        let mut out: Vec<MemberReviewLine> = lines
            .into_iter()
            .filter_map(|line| {
                let m = records.get(&line.member_id)?;
                let facts = facts.remove(&line.member_id).unwrap_or_default();
                let cap_facts = MemberCapFacts {
                    disciplined: facts.was_disciplined(),
                    self_corrected: false,
                    sick_leave_months: u32::try_from(line.sick_leave_months).unwrap_or(0),
                };
                Some(MemberReviewLine {
                    full_name: m.full_name.clone(),
                    sort_key: chibo_domain::collation::sort_key(
                        &m.input.family_name,
                        &m.input.middle_name,
                        &m.input.given_name,
                    ),
                    cell_name: names.get(&line.org_id).cloned().unwrap_or_default(),
                    not_rated: line.not_rated.as_deref().and_then(NotRated::parse),
                    caps: member_caps(&rules, &cap_facts),
                    facts,
                    line,
                })
            })
            .collect();
        out.sort_by(|a, b| (&a.cell_name, &a.sort_key).cmp(&(&b.cell_name, &b.sort_key)));
        Ok(out)
    }

    async fn named_org_lines(
        &self,
        e: &mut impl chibo_store::db::Exec,
        r: &Round,
        lines: Vec<OrgLine>,
    ) -> Outcome<Vec<OrgReviewLine>> {
        let rules = rules_of(r)?;
        let mut ids: Vec<Uuid> = lines.iter().flat_map(|l| [l.org_id, l.decider_id]).collect();
        ids.sort();
        ids.dedup();
        let all: HashMap<Uuid, Org> = orgs::by_ids(e, &ids).await?.into_iter().map(|o| (o.id, o)).collect();
        let mut out: Vec<OrgReviewLine> = lines
            .into_iter()
            .filter_map(|line| {
                let o = all.get(&line.org_id)?;
                Some(OrgReviewLine {
                    name: o.input.name.clone(),
                    kind: o.kind(),
                    decider_name: all.get(&line.decider_id).map(|d| d.input.name.clone()).unwrap_or_default(),
                    caps: org_caps(&rules, &org_cap_facts(&line)),
                    line,
                })
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// A round seen from `at` (default: the organisation that opened it): its members with the
    /// facts beside each (up to [`REVIEW_LINES_MAX`]) and its organisations.
    pub async fn review_round(&self, v: &Viewer, round_id: Uuid, at: Option<Uuid>) -> Outcome<RoundView> {
        let mut c = self.pools.snapshot().await?;
        let (round, top, at) = round_at(&mut c, v, round_id, at).await?;
        let too_many = at.stats.members > REVIEW_LINES_MAX;
        let members = if too_many {
            Vec::new()
        } else {
            let lines = review::member_lines_under(&mut c, round.id, &at.path).await?;
            self.named_lines(&mut c, &round, lines).await?
        };
        let org_lines = if too_many {
            review::org_lines_decided_by(&mut c, round.id, at.id).await?
        } else {
            review::org_lines_under(&mut c, round.id, &at.path).await?
        };
        let orgs = self.named_org_lines(&mut c, &round, org_lines).await?;
        Ok(RoundView {
            period_label: period_label(&round.period),
            sheet: sheet_of(&round),
            may_write: v.may(Action::Write, Target::Org { path: &at.path }),
            round,
            top,
            at,
            members,
            too_many,
            orgs,
        })
    }

    /// The rounds that concern an organisation: opened on it, above it or under it, newest
    /// first.
    pub async fn review_rounds(&self, v: &Viewer, org_id: Uuid) -> Outcome<Vec<Round>> {
        let mut c = self.pools.read().await?;
        let org = load_org(&mut c, org_id).await?;
        v.check(Action::Read, Target::Org { path: &org.path })?;
        let mut ids: Vec<Uuid> = orgs::ancestors(&mut c, &org.path).await?.iter().map(|o| o.id).collect();
        ids.push(org.id);
        let mut out = review::rounds_on(&mut c, &ids).await?;
        out.extend(review::rounds_under(&mut c, &org.path).await?.into_iter().filter(|r| r.org_id != org.id));
        out.sort_by(|a, b| b.last_day.cmp(&a.last_day).then(b.created_at.cmp(&a.created_at)));
        Ok(out)
    }

    /// One member's review in a round: the line with the facts, the decisions, the plans.
    pub async fn review_member(&self, v: &Viewer, round_id: Uuid, member_id: Uuid) -> Outcome<MemberReview> {
        let mut c = self.pools.snapshot().await?;
        let member = load_member(&mut c, member_id).await?;
        v.check(Action::Read, member_target(&member))?;
        let round = load_round(&mut c, round_id).await?;
        let line = review::member_line(&mut c, round.id, member_id).await?.ok_or(Problem::NotFound)?;
        let line = self.named_lines(&mut c, &round, vec![line]).await?.pop().ok_or(Problem::NotFound)?;
        let decisions = review::decisions_of(&mut c, round.id, member_id).await?;
        let plans = self.plan_views(&mut c, member_id).await?;
        Ok(MemberReview {
            period_label: period_label(&round.period),
            sheet: sheet_of(&round),
            may_self_assess: v.may(Action::CorrectOwn, member_target(&member))
                && round.status == chibo_domain::review::RoundStatus::Open
                && line.line.level.is_none(),
            round,
            line,
            decisions,
            plans,
        })
    }

    /// What waits in a round under `at` (per cell and base organisation up to
    /// [`REVIEW_WORKLIST_MAX`] members; above, what the organisation itself decides).
    pub async fn review_worklist(&self, v: &Viewer, round_id: Uuid, at: Option<Uuid>) -> Outcome<ReviewWorklist> {
        let mut c = self.pools.snapshot().await?;
        let (round, _, at) = round_at(&mut c, v, round_id, at).await?;
        let too_many = at.stats.members > REVIEW_WORKLIST_MAX;
        let (no_opinion, awaiting, not_self, not_self_count) = if too_many {
            (Vec::new(), Vec::new(), Vec::new(), 0)
        } else {
            let (no_opinion, awaiting) = review::waiting_under(&mut c, round.id, &at.path).await?;
            let (lines, n) = review::not_self_assessed_under(&mut c, round.id, &at.path, REVIEW_LINES_MAX).await?;
            (no_opinion, awaiting, lines, n)
        };
        let not_self_assessed = self.named_lines(&mut c, &round, not_self).await?;
        let org_lines = if too_many {
            review::org_lines_decided_by(&mut c, round.id, at.id).await?
        } else {
            review::org_lines_under(&mut c, round.id, &at.path).await?
        };
        let pending: Vec<OrgLine> =
            org_lines.into_iter().filter(|l| l.level.is_none() && l.not_rated.is_none()).collect();
        let orgs_awaiting = self.named_org_lines(&mut c, &round, pending).await?;
        let ids: Vec<Uuid> = no_opinion.iter().chain(&awaiting).map(|(o, _)| *o).collect();
        let names: HashMap<Uuid, String> =
            orgs::by_ids(&mut c, &ids).await?.into_iter().map(|o| (o.id, o.input.name)).collect();
        let named = |m: Vec<(Uuid, i64)>| -> Vec<NamedCount> {
            let mut v: Vec<NamedCount> = m
                .into_iter()
                .map(|(org_id, count)| NamedCount {
                    org_id,
                    name: names.get(&org_id).cloned().unwrap_or_default(),
                    count,
                })
                .collect();
            v.sort_by(|a, b| a.name.cmp(&b.name));
            v
        };
        let overdue = review::overdue_under(&mut c, &at.path, self.today()).await?;
        let mut plans_overdue: Vec<PlanView> = Vec::new();
        for (plan, _) in overdue {
            if !plans_overdue.iter().any(|p| p.plan.id == plan.id) {
                plans_overdue.push(self.plan_view(&mut c, plan).await?);
            }
        }
        Ok(ReviewWorklist {
            cells_without_opinion: named(no_opinion),
            awaiting_decision: named(awaiting),
            round,
            at,
            not_self_assessed,
            not_self_assessed_count: not_self_count,
            too_many,
            orgs_awaiting,
            plans_overdue,
        })
    }

    /// The figures of an organisation's subtree for a period key (`year:2025` …): members and
    /// organisations by kind per outcome, with the organisations directly under it for the
    /// drill-down, and the national target.
    pub async fn review_figures(&self, v: &Viewer, org_id: Uuid, period: &str) -> Outcome<ReviewFigures> {
        let mut c = self.pools.snapshot().await?;
        let org = load_org(&mut c, org_id).await?;
        v.check(Action::Read, Target::Org { path: &org.path })?;
        let children = orgs::children(&mut c, org.id, true).await?;
        let mut ids: Vec<Uuid> = children.iter().map(|o| o.id).collect();
        ids.push(org.id);
        let mut kept = review_figures::figures(&mut c, period, &ids).await?;
        let tallies = kept.remove(&org.id).unwrap_or_default();
        let mut children: Vec<(Org, BTreeMap<Subject, Tally>)> =
            children.into_iter().filter_map(|o| kept.remove(&o.id).map(|t| (o, t))).collect();
        children.sort_by(|a, b| a.0.input.name.cmp(&b.0.input.name));
        let periods = review_figures::periods_of(&mut c, org.id).await?;
        let last_day = period_last_day(period);
        Ok(ReviewFigures {
            targets: last_day.and_then(|d| in_force(REVIEW_TARGETS, d)).map(|t| t.value),
            period_label: period_label(period),
            period: period.to_string(),
            org,
            tallies,
            children,
            periods,
        })
    }

    /// The same subtree over the years: the yearly figures of every year with any.
    pub async fn review_years(&self, v: &Viewer, org_id: Uuid) -> Outcome<Vec<(String, BTreeMap<Subject, Tally>)>> {
        let mut c = self.pools.read().await?;
        let org = load_org(&mut c, org_id).await?;
        v.check(Action::Read, Target::Org { path: &org.path })?;
        let years: Vec<String> =
            review_figures::periods_of(&mut c, org.id).await?.into_iter().filter(|p| p.starts_with("year:")).collect();
        let mut out: Vec<(String, BTreeMap<Subject, Tally>)> =
            review_figures::figures_over(&mut c, org.id, &years).await?.into_iter().collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }
}

/// The last day of a period key, when it names one.
pub fn period_last_day(key: &str) -> Option<time::Date> {
    let (kind, rest) = key.split_once(':')?;
    match kind {
        "year" => chibo_domain::date::ymd(rest.parse().ok()?, 12, 31),
        "quarter" => {
            let (y, q) = rest.split_once("-Q")?;
            let p = chibo_domain::meeting::Period::quarter(y.parse().ok()?, q.parse().ok()?)?;
            p.to.previous_day()
        }
        _ => chibo_domain::date::parse_iso(rest.split_once("..")?.1),
    }
}
