//! The annual review (*đánh giá, xếp loại chất lượng*, issue 14): opening a round for a subtree,
//! the committees' settings (their sheet and quota from a date), closing a round; and the
//! loaders and writers the other review modules share. The steps are in `review_steps`
//! (self-assessment, the cell's opinion), the decisions in `review_decide`, the reads in
//! `review_lists`, the facts from the record in `review_facts`.
//!
//! Every write of a line moves its count in the kept figures (`review_figures`) in the same
//! transaction.

use crate::load::load_org;
use crate::transaction::write;
use crate::{Chibo, Outcome, Viewer, snapshot};
use chibo_domain::access::{Action, Target};
use chibo_domain::life::EventKind;
use chibo_domain::org::OrgKind;
use chibo_domain::review::{
    Fraction, NotRated, ReviewRules, RoundKind, RoundPlan, RoundStatus, Sheet, Subject, member_not_rated,
    org_not_rated, sheet_for,
};
use chibo_domain::{FieldError, Problem, Validation};
use chibo_store::orgs::Org;
use chibo_store::review::{self, MemberLine, OrgLine, Round, Settings};
use chibo_store::{Exec, Tx, audit, events, members, orgs, review_figures};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// What opens a round.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RoundInput {
    pub kind: RoundKind,
    pub first_day: Date,
    pub last_day: Date,
    pub self_due: Date,
    pub cell_due: Date,
    pub decision_due: Date,
}

impl RoundInput {
    fn plan(&self) -> RoundPlan {
        RoundPlan {
            kind: self.kind,
            first_day: self.first_day,
            last_day: self.last_day,
            self_due: self.self_due,
            cell_due: self.cell_due,
            decision_due: self.decision_due,
        }
    }
}

/// A committee's settings as entered: its own member sheet (none: the default) and its quota
/// (`quota_percent` none: the rules' default; `quota_off`: no quota).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReviewSettingsInput {
    pub effective_from: Date,
    #[serde(default)]
    pub sheet: Option<Sheet>,
    #[serde(default)]
    pub quota_percent: Option<u32>,
    #[serde(default)]
    pub quota_off: bool,
}

/// The rules judging a round (those in force on its last day).
pub(crate) fn rules_of(r: &Round) -> Outcome<ReviewRules> {
    chibo_domain::review::rules_for(r.last_day)
        .map(|v| v.value)
        .ok_or_else(|| Problem::Unavailable(format!("review round {} has no rules", r.id)))
}

/// The member sheet a round uses.
pub(crate) fn sheet_of(r: &Round) -> Option<Sheet> {
    r.sheet.as_deref().and_then(|s| serde_json::from_str(s).ok())
}

/// The quota a round uses.
pub(crate) fn quota_of(r: &Round) -> Option<Fraction> {
    let (n, d) = (r.quota_num?, r.quota_den?);
    Some(Fraction::new(u32::try_from(n).ok()?, u32::try_from(d).ok()?))
}

pub use chibo_domain::review::period_key;

/// A period key for people: "Năm 2025", "Quý 4/2025", "01/10/2020 – 30/09/2025".
pub fn period_label(key: &str) -> String {
    let (kind, rest) = key.split_once(':').unwrap_or(("", key));
    match kind {
        "year" => format!("Năm {rest}"),
        "quarter" => rest.split_once("-Q").map_or(rest.to_string(), |(y, q)| format!("Quý {q}/{y}")),
        _ => rest
            .split_once("..")
            .and_then(|(a, b)| {
                let (a, b) = (chibo_domain::date::parse_iso(a)?, chibo_domain::date::parse_iso(b)?);
                Some(format!("{} – {}", chibo_domain::date::format_vn(a), chibo_domain::date::format_vn(b)))
            })
            .unwrap_or_else(|| rest.to_string()),
    }
}

/// A round by id (`NotFound`).
pub(crate) async fn load_round(e: &mut impl Exec, id: Uuid) -> Outcome<Round> {
    review::round_by_id(e, id).await?.ok_or(Problem::NotFound)
}

/// A round and the organisation it was opened on, refused (`NotFound`) unless `at` lies in the
/// round's subtree and the viewer may list its people.
pub(crate) async fn round_at(e: &mut impl Exec, v: &Viewer, id: Uuid, at: Option<Uuid>) -> Outcome<(Round, Org, Org)> {
    let r = load_round(e, id).await?;
    let top = load_org(e, r.org_id).await?;
    let at = match at {
        Some(a) if a != top.id => load_org(e, a).await?,
        _ => top.clone(),
    };
    if !chibo_domain::path::is_within(&at.path, &top.path) {
        return Err(Problem::NotFound);
    }
    v.check_list(&at.path)?;
    Ok((r, top, at))
}

/// Refuse a write on a closed round (decisions are then corrected only).
pub(crate) fn check_open(r: &Round) -> Outcome<()> {
    if r.status == RoundStatus::Open {
        return Ok(());
    }
    Err(Problem::Conflict(FieldError::new(
        "round_id",
        "review_round_closed",
        "Kỳ đánh giá đã kết thúc: chỉ có thể điều chỉnh xếp loại bằng một quyết định mới.",
        "The round is closed: a level can only be changed by a new decision.",
    )))
}

/// An organisation and its ancestors within `orgs`, nearest first, as (id, kind).
fn chain(from: &Org, orgs: &HashMap<Uuid, Org>) -> Vec<(Uuid, OrgKind)> {
    let mut out = Vec::new();
    let mut at = Some(from);
    while let Some(o) = at {
        out.push((o.id, o.kind()));
        at = o.parent_id.and_then(|p| orgs.get(&p));
    }
    out
}

/// The base organisation of a cell (within `orgs`).
fn base_of(cell: &Org, orgs: &HashMap<Uuid, Org>) -> Option<Uuid> {
    chibo_domain::review::base_of(&chain(cell, orgs))
}

/// Who decides on an organisation (within `orgs`).
fn decider_of(o: &Org, orgs: &HashMap<Uuid, Org>) -> Option<Uuid> {
    let parent = orgs.get(&o.parent_id?)?;
    chibo_domain::review::decider_of(o.kind(), &chain(parent, orgs))
}

/// The latest admission or re-admission of members (the record keeps the first).
async fn readmissions(e: &mut impl Exec, ids: &[Uuid]) -> Outcome<HashMap<Uuid, Date>> {
    let mut out = HashMap::new();
    for (id, records) in events::of_members(e, ids).await? {
        let voided: Vec<Uuid> =
            records.iter().filter(|r| r.event.kind == EventKind::Voided).filter_map(|r| r.event.ref_id).collect();
        let last = records
            .iter()
            .filter(|r| r.event.kind == EventKind::Readmitted && !voided.contains(&r.event.id))
            .map(|r| r.event.effective)
            .max();
        if let Some(d) = last {
            out.insert(id, d);
        }
    }
    Ok(out)
}

/// Members on the rolls read per page when opening a round.
const ROLL_PAGE: i64 = 5_000;

impl Chibo {
    /// Open a round for the subtree of `org_id` (a base organisation or a committee above): the
    /// roll of members on the rolls today, each with their cell, base organisation and whether
    /// they are rated; a line for every active organisation under it. Refused when a round of
    /// the same period covers any of it.
    pub async fn open_review(&self, v: &Viewer, org_id: Uuid, input: &RoundInput) -> Outcome<Round> {
        write!(self, |tx| {
            let org = load_org(tx, org_id).await?;
            v.check(Action::Write, Target::Org { path: &org.path })?;
            if !chibo_domain::review::may_open(org.kind()) || org.is_dissolved() {
                return Err(Problem::field(
                    "org_id",
                    "review_round_level",
                    "Kỳ đánh giá do cấp ủy cơ sở hoặc cấp trên cơ sở mở cho toàn đảng bộ.",
                    "A round is opened by a base organisation or a committee above one, for its whole subtree.",
                ));
            }
            let rules = input.plan().check().map_err(Problem::Invalid)?;
            let key = period_key(input.kind, input.first_day, input.last_day);
            self.check_no_overlap(tx, &org, &key).await?;
            let settings = self.settings_in_force(tx, &org, input.last_day).await?;
            let configured =
                settings.iter().find_map(|s| s.sheet.as_deref()).and_then(|s| serde_json::from_str(s).ok());
            let sheet = sheet_for(&rules.value, configured, input.last_day);
            let quota = match settings.iter().find(|s| s.quota_off || s.quota_num.is_some()) {
                Some(s) if s.quota_off => None,
                Some(s) => s.quota_num.zip(s.quota_den),
                None => rules.value.quota.map(|q| (i64::from(q.num), i64::from(q.den))),
            };
            let r = Round {
                id: Uuid::now_v7(),
                org_id: org.id,
                kind: input.kind,
                period: key,
                first_day: input.first_day,
                last_day: input.last_day,
                self_due: input.self_due,
                cell_due: input.cell_due,
                decision_due: input.decision_due,
                status: RoundStatus::Open,
                rules_source: rules.source.to_string(),
                sheet: sheet.as_ref().and_then(|s| serde_json::to_string(s).ok()),
                quota_num: quota.map(|q| q.0),
                quota_den: quota.map(|q| q.1),
                opened_by: v.display_name().to_string(),
                created_at: OffsetDateTime::now_utc(),
                closed_at: None,
                version: 1,
            };
            review::insert_round(tx, &r).await?;
            let counted = self.open_lines(tx, &r, &org, &rules.value).await?;
            review_figures::lines_added(tx, &r, &counted).await?;
            let entry = v.audit("review.open", "review_round", Some(r.id), Some(&org.path), None, snapshot(&r));
            audit::record(tx, &entry).await?;
            Ok(r)
        })
    }

    /// Refuse a round of period `key` when another covers part of the subtree of `org`.
    async fn check_no_overlap(&self, tx: &mut Tx, org: &Org, key: &str) -> Outcome<()> {
        let mut ids: Vec<Uuid> = orgs::ancestors(tx, &org.path).await?.iter().map(|o| o.id).collect();
        ids.push(org.id);
        let above = review::rounds_on(tx, &ids).await?;
        let below = review::rounds_under(tx, &org.path).await?;
        if let Some(r) = above.iter().chain(&below).find(|r| r.period == key) {
            let other = load_org(tx, r.org_id).await?;
            return Err(Problem::Conflict(FieldError::new(
                "first_day",
                "review_round_overlaps",
                format!("Đã có kỳ đánh giá {} do {} mở, bao gồm tổ chức này.", period_label(key), other.input.name),
                format!("{} already opened a round for {} that covers this organisation.", other.input.name, key),
            )));
        }
        Ok(())
    }

    /// The settings made on `org` and its ancestors in force on `on`, nearest organisation
    /// first, then the latest.
    pub(crate) async fn settings_in_force(&self, e: &mut impl Exec, org: &Org, on: Date) -> Outcome<Vec<Settings>> {
        let chain: Vec<Org> = orgs::ancestors(e, &org.path).await?;
        let mut ids: Vec<Uuid> = chain.iter().map(|o| o.id).collect();
        ids.push(org.id);
        let mut all = review::settings_for(e, &ids, on).await?;
        let depth = |id: Uuid| ids.iter().position(|i| *i == id).unwrap_or(0);
        all.sort_by(|a, b| depth(b.org_id).cmp(&depth(a.org_id)).then(b.effective_from.cmp(&a.effective_from)));
        Ok(all)
    }

    /// Write the lines of a new round; their groups for the figures.
    async fn open_lines(
        &self,
        tx: &mut Tx,
        r: &Round,
        top: &Org,
        rules: &ReviewRules,
    ) -> Outcome<review_figures::Groups> {
        let all: HashMap<Uuid, Org> =
            orgs::active_in_subtree(tx, &top.path).await?.into_iter().map(|o| (o.id, o)).collect();
        let mut groups = review_figures::Groups::new();
        let mut org_lines = Vec::new();
        for o in all.values().filter(|o| o.id != top.id && chibo_domain::review::is_reviewed(o.kind())) {
            let Some(decider) = decider_of(o, &all) else { continue };
            let not_rated = org_not_rated(rules, r.last_day, o.input.established_on).map(|n| n.code().to_string());
            let line = OrgLine::opened(r.id, o.id, o.kind().code(), decider, not_rated);
            *groups.entry((o.id, Subject::org(o.kind()), line.outcome)).or_default() += 1;
            org_lines.push(line);
        }
        review::insert_org_lines(tx, &org_lines).await?;
        let mut after = None;
        loop {
            let page = members::on_rolls_under(
                tx,
                &top.path,
                after.as_ref().map(|(p, id): &(String, Uuid)| (p.as_str(), *id)),
                ROLL_PAGE,
            )
            .await?;
            let Some(last) = page.last() else { break };
            after = Some((last.org_path.clone(), last.id));
            let ids: Vec<Uuid> = page.iter().map(|m| m.id).collect();
            let again = readmissions(tx, &ids).await?;
            let mut lines = Vec::new();
            for m in page.iter().filter(|m| m.life.transit_org_id.is_none()) {
                let Some(cell) = all.get(&m.input.org_id) else { continue };
                let Some(base) = base_of(cell, &all) else { continue };
                let admitted = again.get(&m.id).copied().unwrap_or(m.input.admission_date).max(m.input.admission_date);
                let not_rated = member_not_rated(rules, r.last_day, Some(admitted), m.life.exempt_since.is_some());
                let line = MemberLine::opened(r.id, m.id, cell.id, base, not_rated.map(|n: NotRated| n.code().into()));
                *groups.entry((cell.id, Subject::Member, line.outcome)).or_default() += 1;
                lines.push(line);
            }
            review::insert_member_lines(tx, &lines).await?;
            if (page.len() as i64) < ROLL_PAGE {
                break;
            }
        }
        Ok(groups)
    }

    /// Close a round: every rated member and organisation has a decision.
    pub async fn close_review(&self, v: &Viewer, round_id: Uuid, version: i64) -> Outcome<Round> {
        write!(self, |tx| {
            let r = load_round(tx, round_id).await?;
            let org = load_org(tx, r.org_id).await?;
            v.check(Action::Write, Target::Org { path: &org.path })?;
            check_open(&r)?;
            if r.version != version {
                return Err(Problem::stale());
            }
            let pending: i64 = review_figures::figures(tx, &r.period, &[org.id])
                .await?
                .get(&org.id)
                .map_or(0, |m| m.values().map(|t| t.pending).sum());
            if pending > 0 {
                return Err(Problem::Conflict(FieldError::new(
                    "round_id",
                    "review_pending",
                    format!("Còn {pending} đảng viên, tổ chức chưa có quyết định xếp loại."),
                    format!("{pending} members and organisations still await a decision."),
                )));
            }
            review::set_round_status(tx, r.id, RoundStatus::Closed, Some(OffsetDateTime::now_utc())).await?;
            let after = load_round(tx, r.id).await?;
            let entry =
                v.audit("review.close", "review_round", Some(r.id), Some(&org.path), snapshot(&r), snapshot(&after));
            audit::record(tx, &entry).await?;
            Ok(after)
        })
    }

    /// Set a committee's review settings from a date (its sheet is checked against the
    /// 100-point scale, the quota is a percentage of those rated *tốt*).
    pub async fn set_review_settings(
        &self,
        v: &Viewer,
        org_id: Uuid,
        input: &ReviewSettingsInput,
    ) -> Outcome<Settings> {
        write!(self, |tx| {
            let org = load_org(tx, org_id).await?;
            v.check(Action::Write, Target::Org { path: &org.path })?;
            let mut val = Validation::default();
            if let Some(sheet) = &input.sheet {
                let scale = chibo_domain::review::rules_for(input.effective_from).and_then(|r| r.value.scale);
                match scale {
                    Some(s) => val.errors.extend(sheet.check(&s).errors),
                    None => val.push(FieldError::new(
                        "sheet",
                        "review_sheet_before_scale",
                        "Phiếu chấm điểm chỉ áp dụng từ khi có thang điểm 100 (Quy định 366-QĐ/TW).",
                        "A sheet applies only from the 100-point scale (366-QĐ/TW).",
                    )),
                }
            }
            if input.quota_percent.is_some_and(|p| p == 0 || p > 100) {
                val.push(FieldError::new(
                    "quota_percent",
                    "quota_out_of_range",
                    "Hạn mức: từ 1 đến 100 (%).",
                    "Quota: from 1 to 100 (%).",
                ));
            }
            val.finish(()).map_err(Problem::Invalid)?;
            let s = Settings {
                id: Uuid::now_v7(),
                org_id: org.id,
                effective_from: input.effective_from,
                sheet: input.sheet.as_ref().and_then(|s| serde_json::to_string(s).ok()),
                quota_num: input.quota_percent.map(i64::from),
                quota_den: input.quota_percent.map(|_| 100),
                quota_off: input.quota_off,
                by_name: v.display_name().to_string(),
                created_at: OffsetDateTime::now_utc(),
            };
            review::insert_settings(tx, &s).await?;
            let entry = v.audit("review.settings", "review_settings", Some(s.id), Some(&org.path), None, snapshot(&s));
            audit::record(tx, &entry).await?;
            Ok(s)
        })
    }

    /// Save a member line and move its count (the outcome is derived from it here).
    pub(crate) async fn put_member_line(
        &self,
        tx: &mut Tx,
        r: &Round,
        before: &MemberLine,
        mut line: MemberLine,
    ) -> Outcome<MemberLine> {
        line.outcome = chibo_domain::review::Outcome::of(line.not_rated.is_some(), review::level_of(&line.level));
        line.version = before.version + 1;
        review::save_member_line(tx, &line).await?;
        review_figures::line_changed(tx, r, line.org_id, Subject::Member, before.outcome, line.outcome).await?;
        Ok(line)
    }

    /// Save an organisation line and move its count.
    pub(crate) async fn put_org_line(
        &self,
        tx: &mut Tx,
        r: &Round,
        before: &OrgLine,
        mut line: OrgLine,
    ) -> Outcome<OrgLine> {
        line.outcome = chibo_domain::review::Outcome::of(line.not_rated.is_some(), review::level_of(&line.level));
        line.version = before.version + 1;
        review::save_org_line(tx, &line).await?;
        let subject = Subject::parse(&line.kind).unwrap_or(Subject::Member);
        review_figures::line_changed(tx, r, line.org_id, subject, before.outcome, line.outcome).await?;
        Ok(line)
    }
}
