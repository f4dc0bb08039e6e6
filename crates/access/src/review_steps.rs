//! The first two steps of a round: the member's self-assessment (through their own account, or
//! entered by the secretary) on the round's sheet, and the cell's opinion — a proposed level per
//! member with the cell's vote, linked to the meeting that discussed it. Organisations assess
//! themselves too, with the facts that cap them.

use crate::inspection_org_events::sub_units_disciplined;
use crate::load::{load_member, load_org, member_target};
use crate::review::{check_open, load_round, sheet_of};
use crate::transaction::write;
use crate::{Chibo, Outcome, Viewer, snapshot};
use chibo_domain::access::{Action, Target};
use chibo_domain::review::{Level, Tasks, level_for};
use chibo_domain::text::REVIEW_TEXT;
use chibo_domain::{FieldError, Problem, Validation};
use chibo_store::review::{self, LineColumn, MemberLine, OrgLine};
use chibo_store::{Tx, audit, meetings, orgs};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::OffsetDateTime;
use uuid::Uuid;

/// A member's self-assessment as entered.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SelfAssessmentInput {
    /// Points per criterion of the round's sheet (none without a 100-point scale).
    #[serde(default)]
    pub scores: BTreeMap<String, u32>,
    #[serde(default)]
    pub tasks_total: u32,
    #[serde(default)]
    pub tasks_on_time: u32,
    #[serde(default)]
    pub tasks_exceeded: u32,
    #[serde(default)]
    pub strengths: String,
    #[serde(default)]
    pub shortcomings: String,
    #[serde(default)]
    pub causes: String,
    #[serde(default)]
    pub remedies: String,
    /// The level the member proposes (default: the score's).
    #[serde(default)]
    pub level: Option<Level>,
    pub version: i64,
}

/// The cell's opinion on one member.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OpinionLine {
    pub member_id: Uuid,
    /// The proposed level (none for a member not rated).
    #[serde(default)]
    pub level: Option<Level>,
    #[serde(default)]
    pub comments: String,
    #[serde(default)]
    pub votes_for: u32,
    #[serde(default)]
    pub votes_against: u32,
    #[serde(default)]
    pub votes_abstain: u32,
    /// Months of sick leave in the period (caps the level at three).
    #[serde(default)]
    pub sick_leave_months: u32,
}

/// The cell's opinion on its members, from one meeting.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CellOpinionInput {
    /// The cell meeting that discussed the review.
    #[serde(default)]
    pub meeting_id: Option<Uuid>,
    pub lines: Vec<OpinionLine>,
}

/// An organisation's own assessment.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OrgSelfInput {
    #[serde(default)]
    pub level: Option<Level>,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub sub_units_disciplined: u32,
    #[serde(default)]
    pub targets: u32,
    #[serde(default)]
    pub targets_met: u32,
    pub version: i64,
}

fn text_into(v: &mut Validation, field: &'static str, value: &str) {
    REVIEW_TEXT.on(field).check_into(v, Some(value));
}

fn already_decided(field: &str) -> Problem {
    Problem::Conflict(FieldError::new(
        field,
        "review_already_decided",
        "Đã có quyết định xếp loại: chỉ điều chỉnh được bằng một quyết định mới.",
        "Already decided: only a new decision can change it.",
    ))
}

fn not_rated_level(field: &str) -> FieldError {
    FieldError::new(
        field,
        "review_not_rated",
        "Đảng viên này chưa xếp loại trong kỳ (vẫn tự đánh giá).",
        "This member is not rated in this round (still self-assesses).",
    )
}

impl Chibo {
    /// A member's self-assessment: the sheet's points (the level they give is the best the
    /// member may propose), the task counts, the texts and the proposed level. The member
    /// through their own account, or whoever writes the cell.
    pub async fn self_assess(
        &self,
        v: &Viewer,
        round_id: Uuid,
        member_id: Uuid,
        input: &SelfAssessmentInput,
    ) -> Outcome<MemberLine> {
        write!(self, |tx| {
            let r = load_round(tx, round_id).await?;
            let before = review::member_line(tx, r.id, member_id).await?.ok_or(Problem::NotFound)?;
            let member = load_member(tx, member_id).await?;
            v.check(Action::CorrectOwn, member_target(&member))?;
            check_open(&r)?;
            if before.level.is_some() {
                return Err(already_decided("level"));
            }
            if before.version != input.version {
                return Err(Problem::stale());
            }
            let mut val = Validation::default();
            for (field, t) in [
                ("strengths", &input.strengths),
                ("shortcomings", &input.shortcomings),
                ("causes", &input.causes),
                ("remedies", &input.remedies),
            ] {
                text_into(&mut val, field, t);
            }
            let tasks =
                Tasks { total: input.tasks_total, on_time: input.tasks_on_time, exceeded: input.tasks_exceeded };
            let mut line = before.clone();
            let scale = crate::review::rules_of(&r)?.scale;
            match (sheet_of(&r), scale) {
                (Some(sheet), Some(scale)) => {
                    val.errors.extend(tasks.check().errors);
                    let scores: Vec<(String, u32)> = input.scores.iter().map(|(k, p)| (k.clone(), *p)).collect();
                    match sheet.score(&scores) {
                        Err(e) => val.errors.extend(e.errors),
                        Ok(score) if val.is_ok() => {
                            let by_score = level_for(&scale, score.total(), tasks);
                            let level = input.level.unwrap_or(by_score);
                            if level < by_score {
                                val.push(FieldError::new(
                                    "level",
                                    "level_over_score",
                                    format!(
                                        "Mức tự xếp loại: {} điểm cho mức cao nhất là \"{}\".",
                                        score.total(),
                                        by_score.label(chibo_domain::Lang::Vi)
                                    ),
                                    format!(
                                        "Proposed level: {} points allow at most \"{}\".",
                                        score.total(),
                                        by_score.label(chibo_domain::Lang::En)
                                    ),
                                ));
                            }
                            line.scores = serde_json::to_string(&input.scores).ok();
                            line.score = Some(i64::from(score.total()));
                            line.self_level = Some(level.code().into());
                        }
                        Ok(_) => {}
                    }
                    line.tasks_total = Some(i64::from(tasks.total));
                    line.tasks_on_time = Some(i64::from(tasks.on_time));
                    line.tasks_exceeded = Some(i64::from(tasks.exceeded));
                }
                _ => match input.level {
                    Some(l) => line.self_level = Some(l.code().into()),
                    None if before.not_rated.is_none() => {
                        val.push(FieldError::required("level", "Mức tự xếp loại", "Proposed level"))
                    }
                    None => line.self_level = None,
                },
            }
            val.finish(()).map_err(Problem::Invalid)?;
            (line.strengths, line.shortcomings) = (input.strengths.trim().into(), input.shortcomings.trim().into());
            (line.causes, line.remedies) = (input.causes.trim().into(), input.remedies.trim().into());
            (line.self_at, line.self_by) = (Some(OffsetDateTime::now_utc()), Some(v.display_name().to_string()));
            let line = self.put_member_line(tx, &r, &before, line).await?;
            let entry = v.audit(
                "review.self_assess",
                "review_line",
                Some(member_id),
                Some(&member.org_path),
                snapshot(&before),
                snapshot(&line),
            );
            audit::record(tx, &entry).await?;
            Ok(line)
        })
    }

    /// The cell's opinion: a proposed level per member with the vote, from a meeting of the
    /// cell. Whoever writes the cell; not on a member already decided.
    pub async fn cell_opinion(
        &self,
        v: &Viewer,
        round_id: Uuid,
        cell_id: Uuid,
        input: &CellOpinionInput,
    ) -> Outcome<Vec<MemberLine>> {
        write!(self, |tx| {
            let r = load_round(tx, round_id).await?;
            let cell = load_org(tx, cell_id).await?;
            v.check(Action::Write, Target::Org { path: &cell.path })?;
            check_open(&r)?;
            let lines: BTreeMap<Uuid, MemberLine> = review::member_lines_by(tx, r.id, LineColumn::Cell, cell.id)
                .await?
                .into_iter()
                .map(|l| (l.member_id, l))
                .collect();
            if lines.is_empty() {
                return Err(Problem::NotFound);
            }
            let mut val = Validation::default();
            self.check_review_meeting(tx, &mut val, cell.id, &r, input.meeting_id).await?;
            let now = OffsetDateTime::now_utc();
            let mut changed = Vec::new();
            for o in &input.lines {
                let field = |part: &str| format!("lines.{}.{part}", o.member_id);
                let Some(before) = lines.get(&o.member_id) else {
                    val.push(FieldError::new(
                        &format!("lines.{}", o.member_id),
                        "not_found",
                        "Đảng viên này không có trong danh sách đánh giá của chi bộ.",
                        "This member is not on the cell's review list.",
                    ));
                    continue;
                };
                if before.level.is_some() {
                    return Err(already_decided(&field("level")));
                }
                if before.not_rated.is_some() && o.level.is_some() {
                    val.push(not_rated_level(&field("level")));
                }
                if before.not_rated.is_none() && o.level.is_none() {
                    val.push(FieldError::required(&field("level"), "Mức đề xuất", "Proposed level"));
                }
                if o.sick_leave_months > 12 {
                    val.push(FieldError::new(
                        &field("sick_leave_months"),
                        "out_of_range",
                        "Số tháng nghỉ ốm: từ 0 đến 12.",
                        "Months of sick leave: 0 to 12.",
                    ));
                }
                if let Some(e) = REVIEW_TEXT.check(&o.comments) {
                    val.push(FieldError { field: field("comments"), ..e });
                }
                let mut line = before.clone();
                line.cell_level = o.level.map(|l| l.code().to_string());
                line.cell_comments = o.comments.trim().to_string();
                line.votes_for = Some(i64::from(o.votes_for));
                line.votes_against = Some(i64::from(o.votes_against));
                line.votes_abstain = Some(i64::from(o.votes_abstain));
                line.sick_leave_months = i64::from(o.sick_leave_months);
                line.meeting_id = input.meeting_id;
                (line.cell_at, line.cell_by) = (Some(now), Some(v.display_name().to_string()));
                changed.push((before, line));
            }
            val.finish(()).map_err(Problem::Invalid)?;
            let mut out = Vec::new();
            for (before, line) in changed {
                out.push(self.put_member_line(tx, &r, before, line).await?);
            }
            let entry = v.audit(
                "review.cell_opinion",
                "review_round",
                Some(r.id),
                Some(&cell.path),
                None,
                serde_json::to_value(&out).ok(),
            );
            audit::record(tx, &entry).await?;
            Ok(out)
        })
    }

    /// A meeting named by the cell's opinion must be a cell meeting of this cell, held in the
    /// round's period or after it.
    async fn check_review_meeting(
        &self,
        tx: &mut Tx,
        val: &mut Validation,
        cell: Uuid,
        r: &review::Round,
        meeting: Option<Uuid>,
    ) -> Outcome<()> {
        let Some(id) = meeting else { return Ok(()) };
        let ok = meetings::by_id(tx, id).await?.is_some_and(|m| {
            m.cell_id == cell && m.status.was_held() && m.kind.is_cell_meeting() && m.held_on >= r.first_day
        });
        if !ok {
            val.push(FieldError::new(
                "meeting_id",
                "review_meeting",
                "Cuộc họp: phải là một buổi sinh hoạt đã họp của chi bộ này, trong hoặc sau kỳ đánh giá.",
                "Meeting: must be a held meeting of this cell, in or after the round's period.",
            ));
        }
        Ok(())
    }

    /// An organisation's own assessment: its proposed level, its text, and the facts that cap it
    /// (sub-units disciplined, targets met). Whoever writes the organisation.
    pub async fn org_self_assess(
        &self,
        v: &Viewer,
        round_id: Uuid,
        org_id: Uuid,
        input: &OrgSelfInput,
    ) -> Outcome<OrgLine> {
        write!(self, |tx| {
            let r = load_round(tx, round_id).await?;
            let org = load_org(tx, org_id).await?;
            v.check(Action::Write, Target::Org { path: &org.path })?;
            let before = review::org_line(tx, r.id, org.id).await?.ok_or(Problem::NotFound)?;
            check_open(&r)?;
            if before.level.is_some() {
                return Err(already_decided("level"));
            }
            if before.version != input.version {
                return Err(Problem::stale());
            }
            let sub_units = orgs::children(tx, org.id, false)
                .await?
                .iter()
                .filter(|c| c.kind() != chibo_domain::org::OrgKind::PartyGroup)
                .count() as u32;
            // The sub-units disciplined: those the records hold (the organisations' disciplines in
            // force decided in the period), or more when typed (a discipline decided outside chibo).
            let recorded = sub_units_disciplined(tx, org.id, r.first_day, r.last_day).await?;
            let mut val = Validation::default();
            text_into(&mut val, "text", &input.text);
            if input.sub_units_disciplined > sub_units {
                val.push(FieldError::new(
                    "sub_units_disciplined",
                    "over_sub_units",
                    format!("Số tổ chức trực thuộc bị kỷ luật: không quá {sub_units}."),
                    format!("Sub-units disciplined: at most {sub_units}."),
                ));
            }
            if input.targets_met > input.targets {
                val.push(FieldError::new(
                    "targets_met",
                    "over_targets",
                    "Số chỉ tiêu đạt: không quá tổng số chỉ tiêu.",
                    "Targets met: at most the targets set.",
                ));
            }
            if before.not_rated.is_none() && input.level.is_none() {
                val.push(FieldError::required("level", "Mức tự xếp loại", "Proposed level"));
            }
            val.finish(()).map_err(Problem::Invalid)?;
            let mut line = before.clone();
            line.self_level = input.level.map(|l| l.code().to_string());
            line.self_text = input.text.trim().to_string();
            line.sub_units = i64::from(sub_units);
            line.sub_units_disciplined = i64::from(input.sub_units_disciplined.max(recorded));
            (line.targets, line.targets_met) = (i64::from(input.targets), i64::from(input.targets_met));
            (line.self_at, line.self_by) = (Some(OffsetDateTime::now_utc()), Some(v.display_name().to_string()));
            let line = self.put_org_line(tx, &r, &before, line).await?;
            let entry = v.audit(
                "review.org_self_assess",
                "review_org",
                Some(org.id),
                Some(&org.path),
                snapshot(&before),
                snapshot(&line),
            );
            audit::record(tx, &entry).await?;
            Ok(line)
        })
    }
}
