//! The annual review of the demo (*đánh giá, xếp loại chất lượng*): the root organisation opens
//! a yearly round for its whole tree every year — the 2025 round finished (every rated member
//! and organisation decided, in December 2025) and the 2026 round in progress on [`AS_OF`]
//! (about half the members have assessed themselves, a quarter of the cells have given their
//! opinion, nothing is decided yet).
//!
//! The 2025 levels follow the rules: a member disciplined in the year is *không hoàn thành*,
//! the members admitted less than six months before the end of the year and the exempt are not
//! rated, and in each base organisation the members rated *xuất sắc* are at most 20% of those
//! rated *tốt* (the excess is lowered to *tốt*, as the committee would). Otherwise about 10%
//! xuất sắc, 70% tốt, 17% hoàn thành, 3% không hoàn thành (invented, plausible). Each member's
//! points on the default sheet agree with the level. Members rated below *tốt* in 2025 have a
//! plan of two items for 2026, most of them done. Organisations: about 15% xuất sắc, 65% tốt,
//! 17% hoàn thành, 3% không hoàn thành, those established less than six months before the end
//! of the year not rated.
//!
//! Generated commune by commune (the members again, the same ones), like the meetings.

use crate::people::People;
use crate::pick::{chance, one_of};
use crate::tree::Built;
use crate::{AS_OF, DemoMember, make_id, mix};
use chibo_domain::life::{EventKind, SpanKind, state_on};
use chibo_domain::org::OrgKind;
use chibo_domain::review::{
    Fraction, Level, NotRated, ReviewRules, RoundKind, Sheet, Tasks, base_of, decider_of, is_reviewed, level_for,
    member_not_rated, org_not_rated, rules_for,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, HashMap};
use time::Date;
use time::macros::date;
use uuid::Uuid;

const ROUND_IDS: u64 = 1 << 44;
const ORG_LINE_IDS: u64 = (1 << 44) + (1 << 40);
/// Decisions and plans of members: [`PER_CELL`] ids per cell.
const LINE_IDS: u64 = 1 << 46;
const PER_CELL: u64 = 1 << 12;
const SALT: u64 = 0x5EE1_0000_0000_0000;

/// A round of the demo.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoRound {
    pub id: Uuid,
    pub org_id: Uuid,
    pub kind: RoundKind,
    pub first_day: Date,
    pub last_day: Date,
    pub self_due: Date,
    pub cell_due: Date,
    pub decision_due: Date,
    pub opened_on: Date,
    pub closed: bool,
    pub rules_source: &'static str,
    pub sheet: Option<Sheet>,
    pub quota: Option<Fraction>,
}

impl DemoRound {
    pub fn period_key(&self) -> String {
        chibo_domain::review::period_key(self.kind, self.first_day, self.last_day)
    }

    fn rules(&self) -> ReviewRules {
        rules_for(self.last_day).map(|r| r.value).unwrap_or(chibo_domain::review::REVIEW_RULES[0].value)
    }

    /// When decisions were signed (a day of the last week of the period).
    fn signed_on(&self, rng: &mut StdRng) -> Date {
        self.last_day - time::Duration::days(rng.random_range(2..8))
    }
}

/// A member's self-assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSelf {
    pub scores: BTreeMap<String, u32>,
    pub score: u32,
    pub tasks: Tasks,
    pub level: Level,
    pub strengths: &'static str,
    pub shortcomings: &'static str,
    pub causes: &'static str,
    pub remedies: &'static str,
    pub on: Date,
}

/// The cell's opinion on a member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOpinion {
    pub level: Option<Level>,
    pub votes_for: u32,
    pub votes_against: u32,
    pub votes_abstain: u32,
    pub on: Date,
}

/// One member in a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoReviewLine {
    /// Index into [`Reviews::rounds`].
    pub round: usize,
    pub member_id: Uuid,
    pub cell_id: Uuid,
    pub base_id: Uuid,
    pub not_rated: Option<NotRated>,
    pub own: Option<DemoSelf>,
    pub opinion: Option<DemoOpinion>,
    pub level: Option<Level>,
    pub decision_id: Option<Uuid>,
}

/// One organisation in a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOrgLine {
    pub round: usize,
    pub org_id: Uuid,
    pub kind: OrgKind,
    pub decider_id: Uuid,
    pub not_rated: Option<NotRated>,
    pub self_level: Option<Level>,
    pub level: Option<Level>,
    pub decision_id: Option<Uuid>,
}

/// A decision on a level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoDecision {
    pub id: Uuid,
    pub round: usize,
    /// `member` or `org`.
    pub subject: &'static str,
    pub subject_id: Uuid,
    pub level: Level,
    pub number: String,
    pub signed_on: Date,
}

/// One item of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoPlanItem {
    pub id: Uuid,
    pub content: &'static str,
    pub responsible: &'static str,
    pub deadline: Date,
    pub done_on: Option<Date>,
}

/// A member's self-improvement plan after a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoPlan {
    pub id: Uuid,
    pub round: usize,
    pub member_id: Uuid,
    pub cell_id: Uuid,
    pub created_on: Date,
    pub items: Vec<DemoPlanItem>,
}

/// The review of some communes' members.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewBatch {
    pub lines: Vec<DemoReviewLine>,
    pub decisions: Vec<DemoDecision>,
    pub plans: Vec<DemoPlan>,
    /// Cells covered.
    pub cells: usize,
}

impl ReviewBatch {
    pub fn is_empty(&self) -> bool {
        self.cells == 0
    }
}

const STRENGTHS: &[&str] = &[
    "Chấp hành tốt chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước",
    "Gương mẫu, nhiệt tình trong công tác, đoàn kết với quần chúng",
    "Hoàn thành các nhiệm vụ được giao đúng tiến độ",
];
const SHORTCOMINGS: &[&str] = &[
    "Việc nghiên cứu, học tập nghị quyết còn hạn chế",
    "Tham gia ý kiến trong sinh hoạt chi bộ chưa nhiều",
    "Có lúc chưa bố trí thời gian hợp lý cho công việc",
];
const CAUSES: &[&str] = &["Công việc gia đình, sản xuất nhiều", "Tuổi cao, sức khỏe hạn chế", "Chưa chủ động"];
const REMEDIES: &[&str] = &[
    "Bố trí thời gian học tập, nghiên cứu nghị quyết",
    "Tích cực phát biểu, đóng góp ý kiến trong sinh hoạt chi bộ",
    "Chủ động sắp xếp công việc",
];
const PLAN_ITEMS: &[&str] = &[
    "Học tập, quán triệt lại các quy định của Đảng",
    "Tham gia đầy đủ sinh hoạt chi bộ, phát biểu ý kiến",
    "Báo cáo kết quả khắc phục với chi bộ",
];

/// The 2025 round (finished) and the 2026 round (in progress) of the root.
fn rounds(root: Uuid, seed: u64) -> Vec<DemoRound> {
    let mut rng = StdRng::seed_from_u64(mix(seed, SALT));
    [(2025, true, date!(2025 - 11 - 10)), (2026, false, date!(2026 - 11 - 02))]
        .into_iter()
        .enumerate()
        .map(|(i, (y, closed, opened_on))| {
            let day = |m: u8, d: u8| chibo_domain::date::ymd(y, m, d).unwrap_or(opened_on);
            let last_day = day(12, 31);
            let rules = rules_for(last_day);
            DemoRound {
                id: make_id(ROUND_IDS + i as u64, rng.random()),
                org_id: root,
                kind: RoundKind::Year,
                first_day: day(1, 1),
                last_day,
                self_due: day(12, 5),
                cell_due: day(12, 15),
                decision_due: last_day,
                opened_on,
                closed,
                rules_source: rules.map_or("", |r| r.source),
                sheet: Sheet::default_on(last_day),
                quota: rules.and_then(|r| r.value.quota),
            }
        })
        .collect()
}

/// The points of a sheet adding up to `score`, each part in proportion.
fn points(sheet: &Sheet, score: u32) -> BTreeMap<String, u32> {
    let mut left = score.min(sheet.total());
    let mut out = BTreeMap::new();
    for (i, l) in sheet.lines.iter().enumerate() {
        let rest_max: u32 = sheet.lines[i + 1..].iter().map(|l| l.points).sum();
        let fair = (score * l.points).div_ceil(sheet.total().max(1));
        let p = fair.min(l.points).min(left).max(left.saturating_sub(rest_max));
        left -= p;
        out.insert(l.code.to_string(), p);
    }
    out
}

/// A self-assessment whose points and tasks give `level` on the scale.
fn assessment(rng: &mut StdRng, r: &DemoRound, level: Level, on: Date) -> Option<DemoSelf> {
    let sheet = r.sheet.as_ref()?;
    let scale = r.rules().scale?;
    let total = rng.random_range(6..=12u32);
    let (score, tasks) = match level {
        Level::Excellent => {
            (rng.random_range(90..=98), Tasks { total, on_time: total, exceeded: total.div_ceil(3) + 1 })
        }
        Level::Good => (rng.random_range(72..=89), Tasks { total, on_time: total, exceeded: rng.random_range(0..2) }),
        Level::Completed => (rng.random_range(55..=69), Tasks { total, on_time: total - 1, exceeded: 0 }),
        Level::NotCompleted => (rng.random_range(35..=49), Tasks { total, on_time: total / 2, exceeded: 0 }),
    };
    let scores = points(sheet, score);
    let score = sheet.score(&scores.iter().map(|(k, v)| (k.clone(), *v)).collect::<Vec<_>>()).ok()?.total();
    Some(DemoSelf {
        level: level_for(&scale, score, tasks),
        scores,
        score,
        tasks,
        strengths: one_of(rng, STRENGTHS),
        shortcomings: one_of(rng, SHORTCOMINGS),
        causes: one_of(rng, CAUSES),
        remedies: one_of(rng, REMEDIES),
        on,
    })
}

fn drawn_level(rng: &mut StdRng, table: [u32; 3]) -> Level {
    match rng.random_range(0..1000u32) {
        x if x < table[0] => Level::Excellent,
        x if x < table[1] => Level::Good,
        x if x < table[2] => Level::Completed,
        _ => Level::NotCompleted,
    }
}

/// The demo's review: its rounds, the organisations' lines, and the members' commune by
/// commune (see the module's documentation).
pub struct Reviews<'g> {
    built: &'g Built,
    people: People,
    seed: u64,
    commune: usize,
    rounds: Vec<DemoRound>,
    /// Each organisation's index.
    index: HashMap<Uuid, usize>,
}

impl<'g> Reviews<'g> {
    pub(crate) fn new(built: &'g Built, seed: u64) -> Reviews<'g> {
        let root = built.orgs.first().map_or(Uuid::nil(), |o| o.id);
        let index = built.orgs.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
        Reviews {
            built,
            people: People::new(seed, built.orgs.len() as u64),
            seed,
            commune: 0,
            rounds: rounds(root, seed),
            index,
        }
    }

    pub fn rounds(&self) -> &[DemoRound] {
        &self.rounds
    }

    /// `org` and its ancestors, nearest first.
    fn chain(&self, org: Uuid) -> Vec<(Uuid, OrgKind)> {
        let mut out = Vec::new();
        let mut at = self.index.get(&org).map(|i| &self.built.orgs[*i]);
        while let Some(o) = at {
            out.push((o.id, o.input.kind));
            at = o.parent_id.and_then(|p| self.index.get(&p)).map(|i| &self.built.orgs[*i]);
        }
        out
    }

    /// Every organisation reviewed in each round (active on its opening day, not the root, not
    /// a party group), with the decisions of the finished round.
    pub fn org_lines(&self) -> (Vec<DemoOrgLine>, Vec<DemoDecision>) {
        let (mut lines, mut decisions) = (Vec::new(), Vec::new());
        for (ri, r) in self.rounds.iter().enumerate() {
            let rules = r.rules();
            let mut rng = StdRng::seed_from_u64(mix(self.seed, SALT + 1 + ri as u64));
            for (i, o) in self.built.orgs.iter().enumerate().skip(1) {
                let active = o.input.established_on.is_none_or(|e| e <= r.opened_on)
                    && o.input.dissolved_on.is_none_or(|d| d > r.opened_on);
                if !active || !is_reviewed(o.input.kind) {
                    continue;
                }
                let Some(parent) = o.parent_id else { continue };
                let Some(decider_id) = decider_of(o.input.kind, &self.chain(parent)) else { continue };
                let not_rated = org_not_rated(&rules, r.last_day, o.input.established_on);
                let level = drawn_level(&mut rng, [150, 800, 970]);
                let own = not_rated.is_none() && (r.closed || chance(&mut rng, 300));
                let mut line = DemoOrgLine {
                    round: ri,
                    org_id: o.id,
                    kind: o.input.kind,
                    decider_id,
                    not_rated,
                    self_level: own.then_some(level),
                    level: None,
                    decision_id: None,
                };
                if r.closed && not_rated.is_none() {
                    let id = make_id(ORG_LINE_IDS + (i as u64) * 4 + ri as u64, rng.random());
                    let number = format!("{}-QĐ/TU", 100 + self.index.get(&decider_id).copied().unwrap_or(0) % 800);
                    let signed_on = r.signed_on(&mut rng);
                    decisions.push(DemoDecision {
                        id,
                        round: ri,
                        subject: "org",
                        subject_id: o.id,
                        level,
                        number,
                        signed_on,
                    });
                    (line.level, line.decision_id) = (Some(level), Some(id));
                }
                lines.push(line);
            }
        }
        (lines, decisions)
    }

    /// The members' lines of the next communes: whole communes until at least `min_lines`
    /// lines; an empty batch at the end. The sequence does not depend on `min_lines`.
    pub fn next_batch(&mut self, min_lines: usize) -> ReviewBatch {
        let mut out = ReviewBatch::default();
        while out.lines.len() < min_lines.max(1) && self.commune < self.built.communes.len() {
            let cells = self.built.communes[self.commune].cells.clone();
            let mut members: Vec<(usize, DemoMember)> = Vec::new();
            for i in cells.clone() {
                let cell = &self.built.cells[i as usize];
                members
                    .extend(self.people.next(self.built, cell.members as usize).into_iter().map(|m| (i as usize, m)));
            }
            for ri in 0..self.rounds.len() {
                self.commune_round(ri, &members, &mut out);
            }
            out.cells += cells.len();
            self.commune += 1;
        }
        out
    }

    /// One round for the members of one commune (cell index, member).
    fn commune_round(&self, ri: usize, members: &[(usize, DemoMember)], out: &mut ReviewBatch) {
        let r = &self.rounds[ri];
        let rules = r.rules();
        let first = out.lines.len();
        let mut cells_with_opinion: HashMap<Uuid, bool> = HashMap::new();
        let mut on_roll: HashMap<Uuid, u32> = HashMap::new();
        for (_, m) in members {
            *on_roll.entry(m.now.input.org_id).or_default() += 1;
        }
        for (k, (ci, m)) in members.iter().enumerate() {
            let mut rng =
                StdRng::seed_from_u64(mix(self.seed, SALT + 16 + (*ci as u64) * 64 + ri as u64 * 8 + k as u64));
            let Some(span) =
                m.now.spans.iter().find(|s| {
                    s.kind == SpanKind::Home && s.from <= r.opened_on && s.to.is_none_or(|t| r.opened_on < t)
                })
            else {
                continue;
            };
            let Some(base_id) = base_of(&self.chain(span.org_id)) else { continue };
            let admitted = m
                .events
                .iter()
                .filter(|e| matches!(e.kind, EventKind::Admitted | EventKind::Readmitted))
                .map(|e| e.effective)
                .max();
            let exempt = state_on(&m.events, r.opened_on).exempt_since.is_some();
            let not_rated = member_not_rated(&rules, r.last_day, admitted, exempt);
            let disciplined = m
                .events
                .iter()
                .any(|e| e.kind == EventKind::Disciplined && r.first_day <= e.effective && e.effective <= r.last_day);
            let level = if disciplined { Level::NotCompleted } else { drawn_level(&mut rng, [100, 800, 970]) };
            let opinion_given =
                *cells_with_opinion.entry(span.org_id).or_insert_with(|| r.closed || chance(&mut rng, 250));
            let assessed = r.closed || opinion_given || chance(&mut rng, 550);
            let on = r.self_due - time::Duration::days(rng.random_range(1..20));
            let own = if assessed { assessment(&mut rng, r, level, on.min(AS_OF)) } else { None };
            let cell_count = on_roll.get(&span.org_id).copied().unwrap_or(1);
            let opinion = opinion_given.then(|| {
                let votes_for = cell_count.saturating_sub(rng.random_range(0..3)).max(1);
                DemoOpinion {
                    level: not_rated.is_none().then_some(level),
                    votes_for,
                    votes_against: 0,
                    votes_abstain: cell_count.saturating_sub(votes_for).min(1),
                    on: (r.cell_due - time::Duration::days(rng.random_range(1..10))).min(AS_OF),
                }
            });
            out.lines.push(DemoReviewLine {
                round: ri,
                member_id: m.id,
                cell_id: span.org_id,
                base_id,
                not_rated,
                own,
                opinion,
                level: None,
                decision_id: None,
            });
        }
        if r.closed {
            self.decide(ri, first, members, out);
        }
    }

    /// Decide the lines from `first` on (a commune's, of a finished round): the proposals, with
    /// the quota of each base organisation held; plans for those below tốt.
    fn decide(&self, ri: usize, first: usize, members: &[(usize, DemoMember)], out: &mut ReviewBatch) {
        let r = &self.rounds[ri];
        let cell_of: HashMap<Uuid, usize> = members.iter().map(|(ci, m)| (m.id, *ci)).collect();
        let mut by_base: BTreeMap<Uuid, Vec<usize>> = BTreeMap::new();
        for (i, l) in out.lines.iter().enumerate().skip(first).filter(|(_, l)| l.not_rated.is_none()) {
            by_base.entry(l.base_id).or_default().push(i);
        }
        for (base, lines) in by_base {
            let mut levels: Vec<Level> = lines
                .iter()
                .map(|i| out.lines[*i].opinion.as_ref().and_then(|o| o.level).unwrap_or(Level::Good))
                .collect();
            if let Some(q) = r.quota {
                let count = |ls: &[Level], l: Level| ls.iter().filter(|x| **x == l).count() as u64;
                while count(&levels, Level::Excellent) > q.floor_of(count(&levels, Level::Good)) {
                    let Some(last) = levels.iter().rposition(|l| *l == Level::Excellent) else { break };
                    levels[last] = Level::Good;
                }
            }
            let mut rng = StdRng::seed_from_u64(mix(
                self.seed,
                SALT + 0x100 + self.index.get(&base).copied().unwrap_or(0) as u64,
            ));
            let signed_on = r.signed_on(&mut rng);
            let number = format!("{}-QĐ/ĐU", 10 + rng.random_range(0..190u32));
            for (i, level) in lines.iter().zip(levels) {
                let l = &out.lines[*i];
                let ci = cell_of.get(&l.member_id).copied().unwrap_or(0) as u64;
                let n = (ci * PER_CELL) + ((*i - first) as u64 % (PER_CELL / 4)) * 4;
                let id = make_id(LINE_IDS + n, rng.random());
                out.decisions.push(DemoDecision {
                    id,
                    round: ri,
                    subject: "member",
                    subject_id: l.member_id,
                    level,
                    number: number.clone(),
                    signed_on,
                });
                if level >= Level::Completed {
                    out.plans.push(plan(&mut rng, ri, l, LINE_IDS + n + 1, r.last_day));
                }
                let l = &mut out.lines[*i];
                (l.level, l.decision_id) = (Some(level), Some(id));
            }
        }
    }
}

/// A plan of two items for the next year, most of them done by [`AS_OF`].
fn plan(rng: &mut StdRng, round: usize, l: &DemoReviewLine, counter: u64, after: Date) -> DemoPlan {
    let item = |rng: &mut StdRng, k: u64, months: i32, done: u32| {
        let deadline = chibo_domain::date::add_months(after, months);
        let done_on = chance(rng, done).then(|| (deadline - time::Duration::days(rng.random_range(3..40))).min(AS_OF));
        DemoPlanItem {
            id: make_id(counter + k, rng.random()),
            content: one_of(rng, PLAN_ITEMS),
            responsible: "Đảng viên",
            deadline,
            done_on,
        }
    };
    DemoPlan {
        id: make_id(counter, rng.random()),
        round,
        member_id: l.member_id,
        cell_id: l.cell_id,
        created_on: after + time::Duration::days(10),
        items: vec![item(rng, 1, 3, 800), item(rng, 2, 6, 600)],
    }
}
