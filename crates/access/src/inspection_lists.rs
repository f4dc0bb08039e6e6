//! The reads of inspection and supervision: programmes, cases and a case, the figures with
//! coverage and their drill-down, and the work lists. Cases are confidential (see
//! `inspection.rs`); the figures are counts, read by whoever may list the organisation.

use crate::inspection::{CaseRole, check_holds, expiry_of, load_case};
use crate::load::load_org;
use crate::{Chibo, Outcome, Viewer};
use chibo_domain::Problem;
use chibo_domain::access::{Action, Target};
use chibo_domain::inspection::limitation::{Expiry, expires_within};
use chibo_domain::inspection::{CaseKind, Coverage, Finding, Penalty, Step, next_step, term_of};
use chibo_domain::org::OrgKind;
use chibo_store::inspection::{
    self as store, Appeal, Case, CaseScope, Discipline, Item, Programme, Recommendation, StepRow,
};
use chibo_store::inspection_figures::{self as figs, period_days};
use chibo_store::orgs::{self, Org};
use chibo_store::{Exec, inspection_owed, members};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use time::Date;
use uuid::Uuid;

/// Days before a limitation period ends that the work list warns.
pub const LIMITATION_WARNING_DAYS: i64 = 90;

/// A programme with its items and the names of their subjects.
#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeView {
    pub programme: Programme,
    pub items: Vec<(Item, String)>,
}

/// A case with the names around it.
#[derive(Debug, Clone, Serialize)]
pub struct CaseLine {
    pub case: Case,
    pub decider_name: String,
    pub subject_name: String,
}

/// A case with everything recorded on it.
#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    pub line: CaseLine,
    pub role: CaseRole,
    pub steps: Vec<StepRow>,
    pub next: Option<Step>,
    pub recommendations: Vec<Recommendation>,
    pub discipline: Option<Discipline>,
    pub appeal: Option<Appeal>,
    pub appeal_body_name: Option<String>,
    /// When the violation's limitation ends (`None`: no violation recorded, or no limitation).
    pub limitation_ends: Option<Date>,
}

/// One kind's cases in the figures.
#[derive(Debug, Clone, Default, Serialize)]
pub struct KindRow {
    pub kind: String,
    pub orgs: i64,
    pub members: i64,
    pub open: i64,
    pub concluded: i64,
}

/// An organisation under the one whose figures are shown.
#[derive(Debug, Clone, Serialize)]
pub struct ChildRow {
    pub org: Org,
    pub cases: i64,
    /// Inspected or supervised by the organisation above in the period.
    pub covered_by_parent: bool,
    /// Its own subtree's coverage (pooled).
    pub coverage: Coverage,
}

/// The figures of a subtree for a period.
#[derive(Debug, Clone, Serialize)]
pub struct InspectionFigures {
    pub org: Org,
    pub period: String,
    pub first_day: Date,
    pub last_day: Date,
    pub kinds: Vec<KindRow>,
    pub findings: Vec<(String, i64)>,
    pub disciplined_members: Vec<(String, i64)>,
    pub disciplined_orgs: Vec<(String, i64)>,
    pub total_cases: i64,
    /// The organisations directly under it covered by its own cases.
    pub coverage_own: Coverage,
    /// Every decider of the subtree's direct subordinates, pooled.
    pub coverage_subtree: Coverage,
    pub children: Vec<ChildRow>,
}

/// The work list of a deciding body.
#[derive(Debug, Clone, Default, Serialize)]
pub struct InspectionWork {
    pub items_not_started: Vec<(Programme, Item, String)>,
    pub steps_overdue: Vec<(CaseLine, StepRow)>,
    pub recommendations_overdue: Vec<(CaseLine, Recommendation)>,
    pub limitation_soon: Vec<(CaseLine, Date)>,
    pub appeals_waiting: Vec<(CaseLine, Appeal)>,
}

impl InspectionWork {
    pub fn count(&self) -> usize {
        self.items_not_started.len()
            + self.steps_overdue.len()
            + self.recommendations_overdue.len()
            + self.limitation_soon.len()
            + self.appeals_waiting.len()
    }
}

/// The period key of a year, or of the term holding `on`.
pub fn inspection_period(year: Option<i32>, on: Date) -> String {
    match year {
        Some(y) => format!("year:{y}"),
        None => format!("term:{}", term_of(on).0),
    }
}

/// Names of the subjects and deciders of `cases`.
async fn lines(e: &mut impl Exec, cases: Vec<Case>) -> Outcome<Vec<CaseLine>> {
    let mut org_ids: Vec<Uuid> = cases.iter().flat_map(|c| [c.org_id, c.subject_org_id]).collect();
    org_ids.sort();
    org_ids.dedup();
    let named: HashMap<Uuid, String> =
        orgs::by_ids(e, &org_ids).await?.into_iter().map(|o| (o.id, o.input.name)).collect();
    let member_ids: Vec<Uuid> = cases.iter().filter_map(|c| c.subject_member_id).collect();
    let people: HashMap<Uuid, String> =
        members::by_ids(e, &member_ids).await?.into_iter().map(|m| (m.id, m.full_name)).collect();
    Ok(cases
        .into_iter()
        .map(|c| {
            let subject_name = match c.subject_member_id {
                Some(m) => people.get(&m).cloned().unwrap_or_default(),
                None => named.get(&c.subject_org_id).cloned().unwrap_or_default(),
            };
            CaseLine { decider_name: named.get(&c.org_id).cloned().unwrap_or_default(), subject_name, case: c }
        })
        .collect())
}

async fn line(e: &mut impl Exec, case: Case) -> Outcome<CaseLine> {
    lines(e, vec![case]).await?.pop().ok_or(Problem::NotFound)
}

/// The organisations that are owed coverage: active, not party groups.
fn owed(o: &Org) -> bool {
    !o.is_dissolved() && o.kind() != OrgKind::PartyGroup
}

impl Chibo {
    /// The programmes of an organisation, with their items: its deciding bodies only.
    pub async fn programmes(&self, v: &Viewer, org_id: Uuid) -> Outcome<(Org, Vec<ProgrammeView>)> {
        let mut c = self.pools.read().await?;
        let org = load_org(&mut c, org_id).await?;
        check_holds(v, &org)?;
        let mut out = Vec::new();
        for p in store::programmes_of(&mut c, org.id).await? {
            let items = store::items_of(&mut c, p.id).await?;
            let orgs_named: HashMap<Uuid, String> =
                orgs::by_ids(&mut c, &items.iter().map(|i| i.subject_org_id).collect::<Vec<_>>())
                    .await?
                    .into_iter()
                    .map(|o| (o.id, o.input.name))
                    .collect();
            let people: HashMap<Uuid, String> =
                members::by_ids(&mut c, &items.iter().filter_map(|i| i.subject_member_id).collect::<Vec<_>>())
                    .await?
                    .into_iter()
                    .map(|m| (m.id, m.full_name))
                    .collect();
            let items = items
                .into_iter()
                .map(|i| {
                    let name = i
                        .subject_member_id
                        .and_then(|m| people.get(&m).cloned())
                        .or_else(|| orgs_named.get(&i.subject_org_id).cloned())
                        .unwrap_or_default();
                    (i, name)
                })
                .collect();
            out.push(ProgrammeView { programme: p, items });
        }
        Ok((org, out))
    }

    /// The cases an organisation's bodies decided in a year (all years: `None`), newest first:
    /// its deciding bodies only.
    pub async fn cases_of(&self, v: &Viewer, org_id: Uuid, year: Option<i32>) -> Outcome<(Org, Vec<CaseLine>)> {
        let mut c = self.pools.read().await?;
        let org = load_org(&mut c, org_id).await?;
        check_holds(v, &org)?;
        let years = chibo_domain::date::YEARS;
        if year.is_some_and(|y| !years.contains(&y)) {
            let (first, last) = (years.start(), years.end());
            let (vi, en) = (format!("Năm: từ {first} đến {last}."), format!("Year: from {first} to {last}."));
            return Err(Problem::field("year", "invalid", vi, en));
        }
        let (from, to) = year_range(year);
        let cases = store::cases(&mut c, CaseScope::DecidedBy(org.id), from, to, 2_000).await?;
        Ok((org, lines(&mut c, cases).await?))
    }

    /// The concluded cases about the viewer's own member records (the inspected's view).
    pub async fn my_cases(&self, v: &Viewer) -> Outcome<Vec<CaseLine>> {
        let mut c = self.pools.read().await?;
        let mut cases = Vec::new();
        let (from, to) = year_range(None);
        for m in v.own_member_ids() {
            cases.extend(store::cases(&mut c, CaseScope::ConcludedOnMember(m), from, to, 200).await?);
        }
        lines(&mut c, cases).await
    }

    /// One case with its steps, conclusion, recommendations, discipline and appeal.
    pub async fn case(&self, v: &Viewer, id: Uuid) -> Outcome<CaseView> {
        let mut c = self.pools.snapshot().await?;
        let (case, role) = load_case(&mut c, v, id).await?;
        let kind = CaseKind::parse(&case.kind);
        let steps = store::steps_of(&mut c, case.id).await?;
        let taken: Vec<chibo_domain::inspection::Taken> = steps
            .iter()
            .filter_map(|s| Some(chibo_domain::inspection::Taken { step: Step::parse(&s.step)?, on: s.taken_on? }))
            .collect();
        let next = kind.and_then(|k| next_step(k, &taken));
        let recommendations = store::recommendations_of(&mut c, case.id).await?;
        let discipline = store::discipline_of_case(&mut c, case.id).await?;
        let appeal = match &discipline {
            Some(d) => store::appeal_of(&mut c, d.id).await?,
            None => None,
        };
        let appeal_body_name = match &appeal {
            Some(a) => orgs::by_id(&mut c, a.body_org_id).await?.map(|o| o.input.name),
            None => None,
        };
        let limitation_ends = match expiry_of(&case) {
            Some(Expiry::On { on, .. }) => Some(on),
            _ => None,
        };
        Ok(CaseView {
            line: line(&mut c, case).await?,
            role,
            steps,
            next,
            recommendations,
            discipline,
            appeal,
            appeal_body_name,
            limitation_ends,
        })
    }

    /// The figures of a subtree for a period key (`year:2026`, `term:2025-07-01`), with coverage
    /// and the organisations directly under it: whoever may list the organisation.
    pub async fn inspection_figures(&self, v: &Viewer, org_id: Uuid, period: &str) -> Outcome<InspectionFigures> {
        let Some((first_day, last_day)) = period_days(period) else {
            return Err(Problem::field(
                "period",
                "invalid",
                "Kỳ: năm (2026) hoặc nhiệm kỳ.",
                "Period: a year (2026) or the term.",
            ));
        };
        let mut c = self.pools.snapshot().await?;
        let org = load_org(&mut c, org_id).await?;
        v.check_list(&org.path)?;
        let children: Vec<Org> = orgs::children(&mut c, org.id, false).await?.into_iter().filter(owed).collect();
        let mut ids = vec![org.id];
        ids.extend(children.iter().map(|o| o.id));
        let kept = figs::figures(&mut c, period, &ids).await?;
        let empty = BTreeMap::new();
        let own = kept.get(&org.id).unwrap_or(&empty);
        let mut kinds: BTreeMap<String, KindRow> = BTreeMap::new();
        let mut findings: BTreeMap<String, i64> = BTreeMap::new();
        let (mut dm, mut dor): (BTreeMap<String, i64>, BTreeMap<String, i64>) = Default::default();
        for ((measure, code), n) in own {
            let parts: Vec<&str> = code.split('|').collect();
            match (measure.as_str(), parts.as_slice()) {
                ("case", [kind, result, subject]) => {
                    let row = kinds
                        .entry((*kind).into())
                        .or_insert_with(|| KindRow { kind: (*kind).into(), ..KindRow::default() });
                    if *subject == "member" {
                        row.members += n
                    } else {
                        row.orgs += n
                    }
                    if *result == "open" {
                        row.open += n
                    } else {
                        row.concluded += n;
                        *findings.entry((*result).into()).or_default() += n;
                    }
                }
                ("disciplined", [subject, form]) => {
                    *if *subject == "member" { &mut dm } else { &mut dor }.entry((*form).into()).or_default() += n;
                }
                _ => {}
            }
        }
        let covered_kept =
            |o: Uuid| kept.get(&o).and_then(|m| m.get(&("covered".to_string(), String::new()))).copied().unwrap_or(0);
        let cases_kept = |o: Uuid| {
            kept.get(&o).map_or(0, |m| m.iter().filter(|((measure, _), _)| measure == "case").map(|(_, n)| n).sum())
        };
        let by_parent = store::covered_by(&mut c, org.id, first_day, last_day).await?;
        let coverage_own = Coverage::of(&children.iter().map(|o| o.id).collect::<Vec<_>>(), by_parent.iter().copied());
        let pooled =
            |covered: i64, owed: i64| Coverage { covered: covered.clamp(0, owed) as u64, owed: owed.max(0) as u64 };
        let owed_n = inspection_owed::owed(&mut c, &ids).await?;
        let owed_of = |o: Uuid| owed_n.get(&o).copied().unwrap_or(0);
        let rows: Vec<ChildRow> = children
            .into_iter()
            .map(|ch| ChildRow {
                cases: cases_kept(ch.id),
                covered_by_parent: by_parent.contains(&ch.id),
                coverage: pooled(covered_kept(ch.id), owed_of(ch.id)),
                org: ch,
            })
            .collect();
        let coverage_subtree = pooled(covered_kept(org.id), owed_of(org.id));
        let order = |m: BTreeMap<String, i64>| {
            let mut v: Vec<(String, i64)> = m.into_iter().collect();
            v.sort_by_key(|(code, _)| Penalty::parse(code).map_or(99, |p| p as u8));
            v
        };
        let mut findings: Vec<(String, i64)> = findings.into_iter().collect();
        findings.sort_by_key(|(code, _)| Finding::parse(code).map_or(99, |f| f as u8));
        let mut kinds: Vec<KindRow> = kinds.into_values().collect();
        kinds.sort_by_key(|k| CaseKind::parse(&k.kind).map_or(99, |k| k as u8));
        Ok(InspectionFigures {
            total_cases: cases_kept(org.id),
            org,
            period: period.to_string(),
            first_day,
            last_day,
            kinds,
            findings,
            disciplined_members: order(dm),
            disciplined_orgs: order(dor),
            coverage_own,
            coverage_subtree,
            children: rows,
        })
    }

    /// The work list of an organisation's deciding bodies: programme items planned for a past
    /// month of this year and not started, steps past their deadline, recommendations overdue,
    /// limitation periods ending within 90 days, appeals it must answer.
    pub async fn inspection_work(&self, v: &Viewer, org_id: Uuid) -> Outcome<(Org, InspectionWork)> {
        let today = self.today();
        let mut c = self.pools.read().await?;
        let org = load_org(&mut c, org_id).await?;
        check_holds(v, &org)?;
        let month = i64::from(u8::from(today.month()));
        let items = store::items_not_started(&mut c, org.id, i64::from(today.year()), month).await?;
        let mut names: HashMap<Uuid, String> =
            orgs::by_ids(&mut c, &items.iter().map(|(_, i)| i.subject_org_id).collect::<Vec<_>>())
                .await?
                .into_iter()
                .map(|o| (o.id, o.input.name))
                .collect();
        for m in
            members::by_ids(&mut c, &items.iter().filter_map(|(_, i)| i.subject_member_id).collect::<Vec<_>>()).await?
        {
            names.insert(m.id, m.full_name);
        }
        let items_not_started = items
            .into_iter()
            .map(|(p, i)| {
                let name = names.get(&i.subject_member_id.unwrap_or(i.subject_org_id)).cloned().unwrap_or_default();
                (p, i, name)
            })
            .collect();
        // The first step past its deadline of each case (the later ones follow from it).
        let mut seen = std::collections::HashSet::new();
        let mut steps = store::steps_overdue(&mut c, org.id, today).await?;
        steps.retain(|(case, _)| seen.insert(case.id));
        let recs = store::recommendations_overdue(&mut c, org.id, today).await?;
        let appeals = store::appeals_waiting(&mut c, org.id).await?;
        let soon: Vec<(Case, Date)> = store::open_with_violation(&mut c, org.id)
            .await?
            .into_iter()
            .filter_map(|case| match expiry_of(&case) {
                Some(e @ Expiry::On { on, .. }) if expires_within(&e, today, LIMITATION_WARNING_DAYS) => {
                    Some((case, on))
                }
                _ => None,
            })
            .collect();
        let (steps_cases, step_rows): (Vec<Case>, Vec<StepRow>) = steps.into_iter().unzip();
        let (rec_cases, rec_rows): (Vec<Case>, Vec<Recommendation>) = recs.into_iter().unzip();
        let (appeal_cases, appeal_rows): (Vec<Case>, Vec<Appeal>) = appeals.into_iter().unzip();
        let (soon_cases, soon_days): (Vec<Case>, Vec<Date>) = soon.into_iter().unzip();
        Ok((
            org,
            InspectionWork {
                items_not_started,
                steps_overdue: lines(&mut c, steps_cases).await?.into_iter().zip(step_rows).collect(),
                recommendations_overdue: lines(&mut c, rec_cases).await?.into_iter().zip(rec_rows).collect(),
                limitation_soon: lines(&mut c, soon_cases).await?.into_iter().zip(soon_days).collect(),
                appeals_waiting: lines(&mut c, appeal_cases).await?.into_iter().zip(appeal_rows).collect(),
            },
        ))
    }

    /// The organisations where the viewer holds cases (inspector or secretary grants), for the
    /// home page and menus.
    pub async fn inspection_bodies(&self, v: &Viewer) -> Outcome<Vec<Org>> {
        let mut c = self.pools.read().await?;
        let ids: Vec<Uuid> = v
            .grants
            .iter()
            .filter(|g| matches!(g.role, chibo_domain::access::Role::Inspector | chibo_domain::access::Role::Secretary))
            .map(|g| g.org_id)
            .collect();
        let found = orgs::by_ids(&mut c, &ids).await?;
        Ok(found.into_iter().filter(|o| v.may(Action::Read, Target::Org { path: &o.path })).collect())
    }
}

fn year_range(year: Option<i32>) -> (Date, Date) {
    match year.and_then(|y| chibo_domain::date::ymd(y, 1, 1).zip(chibo_domain::date::ymd(y, 12, 31))) {
        Some(r) => r,
        None => (
            chibo_domain::text::EARLIEST_DATE,
            chibo_domain::date::ymd(9999, 12, 31).unwrap_or(chibo_domain::text::EARLIEST_DATE),
        ),
    }
}
