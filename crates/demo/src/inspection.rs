//! Inspection and supervision of the demo (*kiểm tra, giám sát*): every commune's inspection
//! committee has a programme for 2025 and 2026 naming each of its cells in a month; the items
//! are carried out as inspections or thematic supervisions of the cell (in 2025 about 95% of
//! them, in 2026 those planned before the demo's day, about 85%: coverage is below 100%
//! somewhere, so the work list has something to show), and members are inspected or supervised
//! too, about 11 cases a year per 100 members in all (one commune of 127 members ran 140 cases
//! in 10 years). Each member the demo's life disciplined in 2025 or 2026 has the inspection that
//! led to it (on signs of violation, concluded that discipline was warranted) and the
//! discipline decided by the commune's inspection committee, its event being the one the life
//! already holds. The first such discipline was appealed to the province; the appeals of 2025
//! are answered (upheld), a later one waits.
//!
//! Generated commune by commune (the members again, the same ones), like the review.

use crate::people::People;
use crate::pick::{chance, one_of};
use crate::tree::Built;
use crate::{AS_OF, DemoMember, make_id, mix};
use chibo_domain::inspection::steps::deadlines;
use chibo_domain::inspection::{AppealOutcome, CaseKind, Finding, Mode, Penalty, Step, appeal_deadline, settle_by};
use chibo_domain::life::{EventKind, SpanKind};
use chibo_domain::org::OrgKind;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use time::{Date, Duration};
use uuid::Uuid;

const IDS: u64 = 1 << 47;
/// Ids per commune.
const PER_COMMUNE: u64 = 1 << 14;
const SALT: u64 = 0x1A5E_C700_0000_0000;

/// A planned item of a programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoItem {
    pub id: Uuid,
    pub subject_org_id: Uuid,
    pub content: &'static str,
    pub month: u8,
    pub case_id: Option<Uuid>,
}

/// A commune's programme of a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoProgramme {
    pub id: Uuid,
    pub org_id: Uuid,
    pub year: i32,
    pub created_on: Date,
    pub items: Vec<DemoItem>,
}

/// An appeal against a discipline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAppeal {
    pub id: Uuid,
    pub filed_on: Date,
    pub answer_by: Date,
    pub body_org_id: Uuid,
    pub outcome: Option<(AppealOutcome, Date)>,
}

/// A discipline from a case: its event is the one the member's life holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoDiscipline {
    pub id: Uuid,
    pub form: Penalty,
    pub proposed_on: Date,
    pub decided_on: Date,
    pub received_on: Date,
    pub number: String,
    pub members: u32,
    pub votes: u32,
    pub event_id: Uuid,
    pub appeal: Option<DemoAppeal>,
}

/// A discipline proposed to the competent body and waiting for its decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoProposal {
    pub id: Uuid,
    pub form: Penalty,
    pub proposed_on: Date,
}

/// A recommendation of a conclusion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoRecommendation {
    pub id: Uuid,
    pub content: &'static str,
    pub deadline: Date,
    pub done_on: Option<Date>,
}

/// A case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCase {
    pub id: Uuid,
    pub org_id: Uuid,
    pub kind: CaseKind,
    pub mode: Option<Mode>,
    pub subject_org_id: Uuid,
    pub subject_member_id: Option<Uuid>,
    pub covers: bool,
    pub number: String,
    pub decided_on: Date,
    pub due_on: Date,
    pub content: &'static str,
    pub item_id: Option<Uuid>,
    /// Each step with its deadline and the day taken.
    pub steps: Vec<(Step, Date, Option<Date>)>,
    pub finding: Option<Finding>,
    pub concluded_on: Option<Date>,
    pub violated_on: Option<Date>,
    pub level: Option<Penalty>,
    pub recommendations: Vec<DemoRecommendation>,
    pub discipline: Option<DemoDiscipline>,
    /// A discipline proposed, not decided yet.
    pub proposal: Option<DemoProposal>,
}

/// The inspection of some communes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InspectionBatch {
    pub programmes: Vec<DemoProgramme>,
    pub cases: Vec<DemoCase>,
    /// Cells covered.
    pub cells: usize,
}

impl InspectionBatch {
    pub fn is_empty(&self) -> bool {
        self.cells == 0
    }
}

const CONTENTS: &[&str] = &[
    "Việc chấp hành Điều lệ Đảng, nghị quyết của cấp ủy",
    "Việc thực hiện chế độ sinh hoạt chi bộ",
    "Việc thực hiện nhiệm vụ đảng viên và giữ gìn phẩm chất đạo đức",
    "Việc lãnh đạo thực hiện nhiệm vụ phát triển kinh tế - xã hội ở địa phương",
];
const RECOMMENDATIONS: &[&str] = &[
    "Bổ sung đầy đủ sổ sách, biên bản sinh hoạt chi bộ",
    "Kiểm điểm, rút kinh nghiệm trong chi bộ",
    "Nâng cao chất lượng sinh hoạt chuyên đề",
];

/// The demo's inspection, commune by commune (see the module's documentation).
pub struct Inspections<'g> {
    built: &'g Built,
    people: People,
    seed: u64,
    commune: usize,
    index: HashMap<Uuid, usize>,
    appeals: usize,
}

impl<'g> Inspections<'g> {
    pub(crate) fn new(built: &'g Built, seed: u64) -> Inspections<'g> {
        let index = built.orgs.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
        Inspections { built, people: People::new(seed, built.orgs.len() as u64), seed, commune: 0, index, appeals: 0 }
    }

    /// The commune organisation above `org` (itself or its nearest ancestor of that kind) and
    /// the commune's parent.
    fn commune_of(&self, org: Uuid) -> Option<(Uuid, Option<Uuid>)> {
        let mut at = self.index.get(&org).map(|i| &self.built.orgs[*i]);
        while let Some(o) = at {
            if matches!(o.input.kind, OrgKind::Commune | OrgKind::BaseCommittee) {
                return Some((o.id, o.parent_id));
            }
            at = o.parent_id.and_then(|p| self.index.get(&p)).map(|i| &self.built.orgs[*i]);
        }
        None
    }

    /// The cases of the next communes: whole communes until at least `min_cases`; an empty
    /// batch at the end.
    pub fn next_batch(&mut self, min_cases: usize) -> InspectionBatch {
        let mut out = InspectionBatch::default();
        while out.cases.len() < min_cases.max(1) && self.commune < self.built.communes.len() {
            let cells = self.built.communes[self.commune].cells.clone();
            let mut members: Vec<DemoMember> = Vec::new();
            for i in cells.clone() {
                let cell = &self.built.cells[i as usize];
                members.extend(self.people.next(self.built, cell.members as usize));
            }
            let cell_orgs: Vec<Uuid> =
                cells.clone().map(|i| self.built.orgs[self.built.cells[i as usize].org as usize].id).collect();
            self.commune_cases(&cell_orgs, &members, &mut out);
            out.cells += cells.len();
            self.commune += 1;
        }
        out
    }

    fn commune_cases(&mut self, cells: &[Uuid], members: &[DemoMember], out: &mut InspectionBatch) {
        let Some((commune, above)) = cells.first().and_then(|c| self.commune_of(*c)) else { return };
        let base = IDS + self.commune as u64 * PER_COMMUNE;
        let mut n = 0u64;
        let mut rng = StdRng::seed_from_u64(mix(self.seed, SALT + self.commune as u64));
        let mut next_id = |rng: &mut StdRng| {
            n += 1;
            make_id(base + n, rng.random())
        };
        let parent_of = |o: Uuid| self.index.get(&o).and_then(|i| self.built.orgs[*i].parent_id);
        let mut number = 0u32;
        let mut appeals = self.appeals;
        for year in [2025, 2026] {
            let day = |m: u8, d: u8| chibo_domain::date::ymd(year, m, d).unwrap_or(AS_OF);
            let mut programme = DemoProgramme {
                id: next_id(&mut rng),
                org_id: commune,
                year,
                created_on: day(1, 10),
                items: Vec::new(),
            };
            for (k, cell) in cells.iter().enumerate() {
                let month = 2 + (k % 10) as u8;
                let item = DemoItem {
                    id: next_id(&mut rng),
                    subject_org_id: *cell,
                    content: one_of(&mut rng, CONTENTS),
                    month,
                    case_id: None,
                };
                programme.items.push(item);
            }
            // The cells' cases, from the programme.
            for item in &mut programme.items {
                let decided_on = day(item.month, rng.random_range(1..=25));
                let carried = if year == 2025 { chance(&mut rng, 950) } else { chance(&mut rng, 850) };
                if decided_on > AS_OF - Duration::days(3) || !carried {
                    continue;
                }
                number += 1;
                let kind = if chance(&mut rng, 600) { CaseKind::InspectOrg } else { CaseKind::SuperviseThematic };
                let case = self.case(
                    &mut rng,
                    &mut next_id,
                    kind,
                    commune,
                    (item.subject_org_id, None),
                    parent_of(item.subject_org_id) == Some(commune),
                    number,
                    year,
                    decided_on,
                    item.content,
                );
                item.case_id = Some(case.id);
                out.cases.push(DemoCase { item_id: Some(item.id), ..case });
            }
            // Members inspected or supervised: about 11 cases a year per 100 members in all.
            let on_rolls: Vec<&DemoMember> = members.iter().filter(|m| home_on(m, day(6, 30)).is_some()).collect();
            let wanted = (on_rolls.len() * 11).div_ceil(100).saturating_sub(programme.items.len());
            for _ in 0..wanted {
                let Some(m) = on_rolls.get(rng.random_range(0..on_rolls.len().max(1))) else { break };
                let decided_on = day(rng.random_range(2..=11), rng.random_range(1..=25));
                let Some(cell) = home_on(m, decided_on) else { continue };
                if decided_on > AS_OF - Duration::days(3) {
                    continue;
                }
                number += 1;
                let kind = if chance(&mut rng, 700) { CaseKind::InspectMember } else { CaseKind::SuperviseRegular };
                let content = one_of(&mut rng, CONTENTS);
                out.cases.push(self.case(
                    &mut rng,
                    &mut next_id,
                    kind,
                    commune,
                    (cell, Some(m.id)),
                    false,
                    number,
                    year,
                    decided_on,
                    content,
                ));
            }
            // The disciplines the members' lives hold, each with the case that led to it.
            for m in members {
                for e in m.events.iter().filter(|e| e.kind == EventKind::Disciplined && e.effective.year() == year) {
                    let (Some(form), Some(cell)) = (e.detail.form, home_on(m, e.effective)) else { continue };
                    let decided_on = e.effective - Duration::days(40);
                    number += 1;
                    let mut case = self.case(
                        &mut rng,
                        &mut next_id,
                        CaseKind::InspectMemberSigns,
                        commune,
                        (cell, Some(m.id)),
                        false,
                        number,
                        year,
                        decided_on,
                        CONTENTS[2],
                    );
                    let concluded = e.effective - Duration::days(12);
                    for s in &mut case.steps {
                        s.2 = Some(s.1.min(concluded));
                    }
                    let level = match form {
                        chibo_domain::life::DisciplineForm::Reprimand => Penalty::Reprimand,
                        chibo_domain::life::DisciplineForm::Warning => Penalty::Warning,
                        chibo_domain::life::DisciplineForm::Removal => Penalty::Removal,
                        chibo_domain::life::DisciplineForm::Expulsion => Penalty::Expulsion,
                    };
                    (case.finding, case.concluded_on, case.violated_on, case.level) = (
                        Some(Finding::DisciplineWarranted),
                        Some(concluded),
                        Some(decided_on - Duration::days(rng.random_range(20..200))),
                        Some(level),
                    );
                    case.recommendations.clear();
                    let received_on = e.effective + Duration::days(2);
                    let appeal = (appeals < 2 && (appeals == 0 || year == 2026)).then(|| {
                        appeals += 1;
                        let filed_on = (received_on + Duration::days(10)).min(appeal_deadline(received_on));
                        let body = above.unwrap_or(commune);
                        let answer_by = settle_by(OrgKind::Provincial, filed_on);
                        let answered = answer_by < AS_OF;
                        DemoAppeal {
                            id: next_id(&mut rng),
                            filed_on,
                            answer_by,
                            body_org_id: body,
                            outcome: answered.then(|| (AppealOutcome::Upheld, answer_by - Duration::days(5))),
                        }
                    });
                    case.discipline = Some(DemoDiscipline {
                        id: next_id(&mut rng),
                        form: level,
                        proposed_on: concluded + Duration::days(2),
                        decided_on: e.effective,
                        received_on,
                        number: format!("{}-QĐ/UBKT", 200 + number),
                        members: 5,
                        votes: 4,
                        event_id: e.id,
                        appeal,
                    });
                    out.cases.push(case);
                }
            }
            if year == 2026 {
                let waiting = self.waiting_proposal(&mut rng, &mut next_id, commune, members, number + 1);
                if let Some(case) = waiting {
                    number += 1;
                    out.cases.push(case);
                }
            }
            out.programmes.push(programme);
        }
        let _ = number;
        self.appeals = appeals;
    }

    /// A member of the commune never disciplined, on the rolls since before the case, inspected on
    /// signs of violation and concluded a month before the demo's day: a reprimand proposed to
    /// the inspection committee, waiting for its decision (the work of the coming days).
    fn waiting_proposal(
        &self,
        rng: &mut StdRng,
        next_id: &mut impl FnMut(&mut StdRng) -> Uuid,
        commune: Uuid,
        members: &[DemoMember],
        number: u32,
    ) -> Option<DemoCase> {
        let concluded = AS_OF - Duration::days(30);
        let decided_on = concluded - Duration::days(40);
        let m = members.iter().find(|m| {
            !m.events.iter().any(|e| e.kind == EventKind::Disciplined)
                && home_on(m, decided_on).is_some()
                && home_on(m, decided_on) == home_on(m, AS_OF)
        })?;
        let cell = home_on(m, decided_on)?;
        let kind = CaseKind::InspectMemberSigns;
        let mut case =
            self.case(rng, next_id, kind, commune, (cell, Some(m.id)), false, number, 2026, decided_on, CONTENTS[2]);
        for s in &mut case.steps {
            s.2 = Some(s.1.min(concluded));
        }
        (case.finding, case.concluded_on, case.violated_on, case.level) = (
            Some(Finding::DisciplineWarranted),
            Some(concluded),
            Some(decided_on - Duration::days(60)),
            Some(Penalty::Reprimand),
        );
        case.recommendations.clear();
        let proposed_on = concluded + Duration::days(5);
        case.proposal = Some(DemoProposal { id: next_id(rng), form: Penalty::Reprimand, proposed_on });
        Some(case)
    }

    #[allow(clippy::too_many_arguments)]
    fn case(
        &self,
        rng: &mut StdRng,
        next_id: &mut impl FnMut(&mut StdRng) -> Uuid,
        kind: CaseKind,
        commune: Uuid,
        (subject_org_id, subject_member_id): (Uuid, Option<Uuid>),
        covers: bool,
        number: u32,
        year: i32,
        decided_on: Date,
        content: &'static str,
    ) -> DemoCase {
        let due_on = decided_on + Duration::days(rng.random_range(30..60));
        // Most cases run on time; a few lag behind their steps.
        let late = chance(rng, 80);
        let steps: Vec<(Step, Date, Option<Date>)> = deadlines(kind, decided_on, due_on)
            .into_iter()
            .map(|(s, d)| {
                let taken = if s == Step::Decision {
                    Some(decided_on)
                } else {
                    Some(d - Duration::days(rng.random_range(0..4)))
                };
                (s, d, taken.filter(|t| *t <= AS_OF && !(late && s != Step::Decision)))
            })
            .collect();
        let concluded_on = steps.last().and_then(|s| s.2);
        let finding = concluded_on.map(|_| if chance(rng, 600) { Finding::Good } else { Finding::Shortcomings });
        let recommendations = match (finding, concluded_on) {
            (Some(Finding::Shortcomings), Some(c)) => {
                let deadline = c + Duration::days(60);
                let done =
                    (deadline < AS_OF && chance(rng, 800)).then(|| deadline - Duration::days(rng.random_range(1..20)));
                vec![DemoRecommendation {
                    id: next_id(rng),
                    content: one_of(rng, RECOMMENDATIONS),
                    deadline,
                    done_on: done,
                }]
            }
            _ => Vec::new(),
        };
        DemoCase {
            id: next_id(rng),
            org_id: commune,
            kind,
            mode: kind.is_supervision().then(|| if chance(rng, 500) { Mode::Direct } else { Mode::Indirect }),
            subject_org_id,
            subject_member_id,
            covers,
            number: format!("{number}-QĐ/UBKT-{year}"),
            decided_on,
            due_on,
            content,
            item_id: None,
            steps,
            finding,
            concluded_on,
            violated_on: None,
            level: None,
            recommendations,
            discipline: None,
            proposal: None,
        }
    }
}

/// The cell a member was on the rolls of on `on`.
fn home_on(m: &DemoMember, on: Date) -> Option<Uuid> {
    m.now
        .spans
        .iter()
        .find(|s| s.kind == SpanKind::Home && s.from <= on && s.to.is_none_or(|t| on < t))
        .map(|s| s.org_id)
}

#[cfg(test)]
mod tests {
    use crate::{Generator, Scale};

    #[test]
    fn a_commune_has_programmes_cases_disciplines_and_coverage_below_full() {
        let g = Generator::new(Scale::Commune, 2025);
        let mut ins = g.inspections();
        let mut all = super::InspectionBatch::default();
        loop {
            let b = ins.next_batch(1000);
            if b.is_empty() {
                break;
            }
            all.programmes.extend(b.programmes);
            all.cases.extend(b.cases);
        }
        let members = g.expected_members() as usize;
        let per_year = all.cases.len() / 2;
        assert!(
            per_year * 100 >= members * 8 && per_year * 100 <= members * 16,
            "{per_year} cases a year for {members}"
        );
        let planned: usize = all.programmes.iter().map(|p| p.items.len()).sum();
        let started = all.programmes.iter().flat_map(|p| &p.items).filter(|i| i.case_id.is_some()).count();
        assert!(started < planned, "some programme items are not started");
        let disciplines = all.cases.iter().filter(|c| c.discipline.is_some()).count();
        let waiting: Vec<_> = all.cases.iter().filter(|c| c.proposal.is_some()).collect();
        assert!(!waiting.is_empty(), "a discipline proposal waits for its decision");
        assert!(waiting.iter().all(|c| c.discipline.is_none() && c.concluded_on.is_some()));
        assert!(
            all.cases.iter().all(|c| c.decided_on <= crate::AS_OF && c.concluded_on.is_none_or(|d| d <= crate::AS_OF))
        );
        let mut numbers: Vec<(&uuid::Uuid, &String)> = all.cases.iter().map(|c| (&c.org_id, &c.number)).collect();
        numbers.sort();
        numbers.dedup();
        assert_eq!(numbers.len(), all.cases.len(), "decision numbers are unique per organisation");
        eprintln!(
            "DEMO {} cases, {} members, {} disciplines, {} appeals, {started}/{planned}",
            all.cases.len(),
            members,
            disciplines,
            all.cases.iter().filter(|c| c.discipline.as_ref().is_some_and(|d| d.appeal.is_some())).count()
        );
    }
}
