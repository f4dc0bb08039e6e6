//! The decision of the level above (*cấp trên quyết định xếp loại*): the base organisation's
//! committee decides on its members (and its cells), the committee directly above on a base
//! organisation. The caps and the quota are enforced here; a decision is never edited — a
//! correction is a new decision with its reason, the earlier one kept.

use crate::load::load_org;
use crate::review::{check_open, load_round, quota_of, rules_of};
use crate::review_facts::member_facts;
use crate::transaction::write;
use crate::{Chibo, Outcome, Viewer};
use chibo_domain::access::{Action, Target};
use chibo_domain::review::{
    Cap, Level, MemberCapFacts, OrgCapFacts, Outcome as Standing, QuotaCount, ReviewRules, check_level, check_quota,
    member_caps, org_caps,
};
use chibo_domain::text::{DECISION_NUMBER, EVENT_REASON};
use chibo_domain::{FieldError, Problem, Validation};
use chibo_store::orgs::Org;
use chibo_store::review::{self, Decision, LineColumn, MemberLine, OrgLine, Round};
use chibo_store::{Tx, audit, members};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// One level decided.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DecisionLine {
    /// The member, or the organisation.
    pub id: Uuid,
    pub level: Level,
    /// The recorded exception: the member found and fixed the fault themselves (lifts the
    /// discipline cap; needs a reason).
    #[serde(default)]
    pub self_corrected: bool,
    #[serde(default)]
    pub reason: String,
}

/// A decision on several members or organisations (one decision number).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DecisionInput {
    pub number: String,
    pub signed_on: Date,
    pub lines: Vec<DecisionLine>,
}

/// A correcting decision: a new level with its reason.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CorrectionInput {
    pub level: Level,
    pub number: String,
    pub signed_on: Date,
    pub reason: String,
    #[serde(default)]
    pub self_corrected: bool,
}

/// The number and date of a decision (fields `number`, `signed_on`).
fn check_signature(val: &mut Validation, r: &Round, number: &str, signed_on: Date, today: Date) {
    if number.trim().is_empty() {
        val.push(FieldError::required("number", "Số quyết định", "Decision number"));
    }
    DECISION_NUMBER.on("number").check_into(val, Some(number));
    if signed_on < r.first_day || signed_on > today {
        val.push(FieldError::new(
            "signed_on",
            "review_signed_on",
            "Ngày ký: không trước đầu kỳ đánh giá và không sau hôm nay.",
            "Date signed: not before the round's period, not after today.",
        ));
    }
}

/// Refuse a level over the caps, on `field`.
fn check_caps(val: &mut Validation, field: &str, level: Level, caps: &[Cap]) {
    if let Err(e) = check_level(field, level, caps) {
        val.push(e);
    }
}

fn decided_already(field: &str) -> FieldError {
    FieldError::new(
        field,
        "review_already_decided",
        "Đã có quyết định xếp loại: hãy điều chỉnh bằng một quyết định mới có lý do.",
        "Already decided: correct it by a new decision with its reason.",
    )
}

impl Chibo {
    /// The caps of a member line from the record and the decision's exception.
    async fn caps_of_members(
        &self,
        tx: &mut Tx,
        r: &Round,
        rules: &ReviewRules,
        lines: &[(&MemberLine, bool)],
    ) -> Outcome<BTreeMap<Uuid, Vec<Cap>>> {
        let ids: Vec<Uuid> = lines.iter().map(|(l, _)| l.member_id).collect();
        let records = members::by_ids(tx, &ids).await?;
        let facts = member_facts(tx, &records, r.first_day, r.last_day).await?;
        Ok(lines
            .iter()
            .map(|(l, self_corrected)| {
                let f = MemberCapFacts {
                    disciplined: facts.get(&l.member_id).is_some_and(|f| f.was_disciplined()),
                    self_corrected: *self_corrected,
                    sick_leave_months: u32::try_from(l.sick_leave_months).unwrap_or(0),
                };
                (l.member_id, member_caps(rules, &f))
            })
            .collect())
    }

    /// Refuse levels of a base organisation's members over the round's quota, counting the
    /// lines as they will stand after `changes` (outcome before, after).
    async fn check_member_quota(
        &self,
        tx: &mut Tx,
        r: &Round,
        base: &Org,
        changes: &[(Standing, Standing)],
    ) -> Outcome<()> {
        let Some(quota) = quota_of(r) else { return Ok(()) };
        let mut counts: BTreeMap<Standing, i64> =
            review::outcomes_of_base(tx, r.id, base.id).await?.into_iter().collect();
        for (from, to) in changes {
            *counts.entry(*from).or_default() -= 1;
            *counts.entry(*to).or_default() += 1;
        }
        let n = |o| u64::try_from(counts.get(&o).copied().unwrap_or(0)).unwrap_or(0);
        let count = QuotaCount { excellent: n(Standing::Excellent), good: n(Standing::Good) };
        check_quota(quota, count, &base.input.name).map_err(|e| Problem::Invalid(Validation { errors: vec![e] }))
    }

    fn decision(&self, v: &Viewer, r: &Round, subject: &str, id: Uuid, level: Level, sig: (&str, Date)) -> Decision {
        Decision {
            id: Uuid::now_v7(),
            round_id: r.id,
            subject: subject.into(),
            subject_id: id,
            level,
            number: sig.0.trim().into(),
            signed_on: sig.1,
            reason: String::new(),
            self_corrected: false,
            corrects: None,
            by_name: v.display_name().to_string(),
            at: OffsetDateTime::now_utc(),
        }
    }

    /// The base organisation's decision on its members: each needs the cell's proposal; the
    /// caps and the quota hold or nothing is written.
    pub async fn decide_members(
        &self,
        v: &Viewer,
        round_id: Uuid,
        base_id: Uuid,
        input: &DecisionInput,
    ) -> Outcome<Vec<Decision>> {
        write!(self, |tx| {
            let r = load_round(tx, round_id).await?;
            let base = load_org(tx, base_id).await?;
            v.check(Action::Write, Target::Org { path: &base.path })?;
            check_open(&r)?;
            let rules = rules_of(&r)?;
            let lines: BTreeMap<Uuid, MemberLine> = review::member_lines_by(tx, r.id, LineColumn::Base, base.id)
                .await?
                .into_iter()
                .map(|l| (l.member_id, l))
                .collect();
            if lines.is_empty() {
                return Err(Problem::NotFound);
            }
            let mut val = Validation::default();
            check_signature(&mut val, &r, &input.number, input.signed_on, self.today());
            let mut chosen = Vec::new();
            let mut seen = HashSet::new();
            for d in &input.lines {
                let field = format!("lines.{}.level", d.id);
                if !seen.insert(d.id) {
                    val.push(listed_twice(d.id));
                    continue;
                }
                match lines.get(&d.id) {
                    None => val.push(FieldError::new(
                        &format!("lines.{}", d.id),
                        "not_found",
                        "Đảng viên này không thuộc danh sách của tổ chức cơ sở.",
                        "This member is not on the base organisation's list.",
                    )),
                    Some(l) if l.level.is_some() => val.push(decided_already(&field)),
                    Some(l) if l.not_rated.is_some() => val.push(FieldError::new(
                        &field,
                        "review_not_rated",
                        "Đảng viên này chưa xếp loại trong kỳ.",
                        "This member is not rated in this round.",
                    )),
                    Some(l) if l.cell_level.is_none() => val.push(FieldError::new(
                        &field,
                        "review_no_cell_opinion",
                        "Chưa có ý kiến đề xuất của chi bộ.",
                        "The cell has not given its opinion yet.",
                    )),
                    Some(l) => chosen.push((l, d)),
                }
                if d.self_corrected && d.reason.trim().is_empty() {
                    val.push(FieldError::required(&format!("lines.{}.reason", d.id), "Lý do", "Reason"));
                }
                EVENT_REASON.on("reason").check_into(&mut val, Some(&d.reason));
            }
            let pairs: Vec<(&MemberLine, bool)> = chosen.iter().map(|(l, d)| (*l, d.self_corrected)).collect();
            let caps = self.caps_of_members(tx, &r, &rules, &pairs).await?;
            for (l, d) in &chosen {
                check_caps(
                    &mut val,
                    &format!("lines.{}.level", d.id),
                    d.level,
                    caps.get(&l.member_id).map_or(&[], |c| c),
                );
            }
            val.finish(()).map_err(Problem::Invalid)?;
            let changes: Vec<(Standing, Standing)> =
                chosen.iter().map(|(l, d)| (l.outcome, Standing::from(d.level))).collect();
            self.check_member_quota(tx, &r, &base, &changes).await?;
            let mut out = Vec::new();
            for (l, d) in chosen {
                let mut dec = self.decision(v, &r, "member", l.member_id, d.level, (&input.number, input.signed_on));
                (dec.self_corrected, dec.reason) = (d.self_corrected, d.reason.trim().to_string());
                let mut line = l.clone();
                (line.level, line.decision_id) = (Some(d.level.code().into()), Some(dec.id));
                self.put_member_line(tx, &r, l, line).await?;
                out.push(dec);
            }
            review::insert_decisions(tx, &out).await?;
            let entry = v.audit(
                "review.decide",
                "review_round",
                Some(r.id),
                Some(&base.path),
                None,
                serde_json::to_value(&out).ok(),
            );
            audit::record(tx, &entry).await?;
            Ok(out)
        })
    }

    /// The decision on organisations by the committee that decides them; the caps hold.
    pub async fn decide_orgs(
        &self,
        v: &Viewer,
        round_id: Uuid,
        decider_id: Uuid,
        input: &DecisionInput,
    ) -> Outcome<Vec<Decision>> {
        write!(self, |tx| {
            let r = load_round(tx, round_id).await?;
            let decider = load_org(tx, decider_id).await?;
            v.check(Action::Write, Target::Org { path: &decider.path })?;
            check_open(&r)?;
            let rules = rules_of(&r)?;
            let mut val = Validation::default();
            check_signature(&mut val, &r, &input.number, input.signed_on, self.today());
            let mut chosen = Vec::new();
            let mut seen = HashSet::new();
            for d in &input.lines {
                let field = format!("lines.{}.level", d.id);
                if !seen.insert(d.id) {
                    val.push(listed_twice(d.id));
                    continue;
                }
                match review::org_line(tx, r.id, d.id).await?.filter(|l| l.decider_id == decider.id) {
                    None => val.push(FieldError::new(
                        &format!("lines.{}", d.id),
                        "not_found",
                        "Tổ chức này không do cấp ủy này xếp loại trong kỳ.",
                        "This committee does not decide on that organisation in this round.",
                    )),
                    Some(l) if l.level.is_some() => val.push(decided_already(&field)),
                    Some(l) if l.not_rated.is_some() => val.push(FieldError::new(
                        &field,
                        "review_not_rated",
                        "Tổ chức này chưa xếp loại trong kỳ (thành lập chưa đủ 6 tháng).",
                        "This organisation is not rated in this round (established less than 6 months before).",
                    )),
                    Some(l) => {
                        check_caps(&mut val, &field, d.level, &org_caps(&rules, &org_cap_facts(&l)));
                        chosen.push((l, d));
                    }
                }
            }
            val.finish(()).map_err(Problem::Invalid)?;
            let mut out = Vec::new();
            for (l, d) in chosen {
                let mut dec = self.decision(v, &r, "org", l.org_id, d.level, (&input.number, input.signed_on));
                dec.reason = d.reason.trim().to_string();
                let mut line = l.clone();
                (line.level, line.decision_id) = (Some(d.level.code().into()), Some(dec.id));
                self.put_org_line(tx, &r, &l, line).await?;
                out.push(dec);
            }
            review::insert_decisions(tx, &out).await?;
            let entry = v.audit(
                "review.decide_orgs",
                "review_round",
                Some(r.id),
                Some(&decider.path),
                None,
                serde_json::to_value(&out).ok(),
            );
            audit::record(tx, &entry).await?;
            Ok(out)
        })
    }

    /// Correct a decision by a new one with its reason (also after the round is closed); the
    /// caps and the quota hold for the new level.
    pub async fn correct_decision(
        &self,
        v: &Viewer,
        round_id: Uuid,
        subject_id: Uuid,
        input: &CorrectionInput,
    ) -> Outcome<Decision> {
        write!(self, |tx| {
            let r = load_round(tx, round_id).await?;
            let rules = rules_of(&r)?;
            let mut val = Validation::default();
            check_signature(&mut val, &r, &input.number, input.signed_on, self.today());
            if input.reason.trim().is_empty() {
                val.push(FieldError::required("reason", "Lý do điều chỉnh", "Reason for the correction"));
            }
            EVENT_REASON.on("reason").check_into(&mut val, Some(&input.reason));
            let member = review::member_line(tx, r.id, subject_id).await?;
            let (decider_id, previous) = match &member {
                Some(l) => (l.base_id, l.decision_id),
                None => {
                    let l = review::org_line(tx, r.id, subject_id).await?.ok_or(Problem::NotFound)?;
                    (l.decider_id, l.decision_id)
                }
            };
            let decider = load_org(tx, decider_id).await?;
            v.check(Action::Write, Target::Org { path: &decider.path })?;
            let Some(previous) = previous else {
                return Err(Problem::Conflict(FieldError::new(
                    "level",
                    "review_no_decision",
                    "Chưa có quyết định xếp loại để điều chỉnh.",
                    "There is no decision to correct yet.",
                )));
            };
            let before = review::decision_by_id(tx, previous).await?.ok_or(Problem::NotFound)?;
            if input.signed_on < before.signed_on {
                val.push(FieldError::new(
                    "signed_on",
                    "review_correction_before",
                    "Ngày ký: không trước quyết định được điều chỉnh.",
                    "Date signed: not before the decision it corrects.",
                ));
            }
            let mut dec = self.decision(
                v,
                &r,
                before.subject.as_str(),
                subject_id,
                input.level,
                (&input.number, input.signed_on),
            );
            (dec.reason, dec.self_corrected, dec.corrects) =
                (input.reason.trim().into(), input.self_corrected, Some(before.id));
            match member {
                Some(l) => {
                    let caps = self.caps_of_members(tx, &r, &rules, &[(&l, input.self_corrected)]).await?;
                    check_caps(&mut val, "level", input.level, caps.get(&l.member_id).map_or(&[], |c| c));
                    val.finish(()).map_err(Problem::Invalid)?;
                    self.check_member_quota(tx, &r, &decider, &[(l.outcome, Standing::from(input.level))]).await?;
                    let mut line = l.clone();
                    (line.level, line.decision_id) = (Some(input.level.code().into()), Some(dec.id));
                    self.put_member_line(tx, &r, &l, line).await?;
                }
                None => {
                    let l = review::org_line(tx, r.id, subject_id).await?.ok_or(Problem::NotFound)?;
                    check_caps(&mut val, "level", input.level, &org_caps(&rules, &org_cap_facts(&l)));
                    val.finish(()).map_err(Problem::Invalid)?;
                    let mut line = l.clone();
                    (line.level, line.decision_id) = (Some(input.level.code().into()), Some(dec.id));
                    self.put_org_line(tx, &r, &l, line).await?;
                }
            }
            review::insert_decisions(tx, std::slice::from_ref(&dec)).await?;
            let entry = v.audit(
                "review.correct",
                "review_decision",
                Some(dec.id),
                Some(&decider.path),
                crate::snapshot(&before),
                crate::snapshot(&dec),
            );
            audit::record(tx, &entry).await?;
            Ok(dec)
        })
    }
}

/// The facts of an organisation line that cap its level.
pub(crate) fn org_cap_facts(l: &OrgLine) -> OrgCapFacts {
    let n = |v: i64| u32::try_from(v).unwrap_or(0);
    OrgCapFacts {
        sub_units: n(l.sub_units),
        sub_units_disciplined: n(l.sub_units_disciplined),
        targets: n(l.targets),
        targets_met: n(l.targets_met),
    }
}

/// A line named twice in one decision: each line is decided once (twice would move the
/// review's kept figures twice, and store two decisions).
fn listed_twice(id: Uuid) -> FieldError {
    FieldError::new(
        &format!("lines.{id}"),
        "listed_twice",
        "Dòng này có hai lần trong quyết định.",
        "This line is listed twice in the decision.",
    )
}
