//! Self-improvement plans (*kế hoạch khắc phục hạn chế, khuyết điểm*): after the decision, a
//! member (through their own account, or the secretary) or an organisation writes its plan —
//! items, who is responsible, deadlines — and marks progress during the year; the next round
//! shows what was and was not fixed.

use crate::load::{load_member, load_org, member_target};
use crate::review::{load_round, period_label};
use crate::transaction::write;
use crate::{Chibo, Outcome, Viewer, snapshot};
use chibo_domain::access::{Action, Target};
use chibo_domain::review::{ItemState, PlanProgress, item_state};
use chibo_domain::text::{PLAN_ITEM, PLAN_RESPONSIBLE, REVIEW_TEXT};
use chibo_domain::{FieldError, Problem, Validation};
use chibo_store::review::{self, Plan, PlanItem};
use chibo_store::{Exec, Tx, audit};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// One item as entered.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlanItemInput {
    pub content: String,
    #[serde(default)]
    pub responsible: String,
    pub deadline: Date,
}

/// A plan as entered: whose (a member or an organisation of the round) and its items.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlanInput {
    pub subject_id: Uuid,
    pub items: Vec<PlanItemInput>,
}

/// A plan with its items, their states today, and the round it follows.
#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub plan: Plan,
    pub round_label: String,
    pub items: Vec<(PlanItem, ItemState)>,
    pub progress: PlanProgress,
}

impl Chibo {
    /// Refuse unless the viewer may write the plans of `subject` in round `round`: the member
    /// themselves or whoever writes the cell; for an organisation, whoever writes it. The
    /// organisation the plan is filed under (the member's cell, or the organisation itself),
    /// its path, and whether the subject is decided.
    async fn plan_subject(
        &self,
        tx: &mut Tx,
        v: &Viewer,
        round: Uuid,
        subject: Uuid,
    ) -> Outcome<(String, Uuid, String, bool)> {
        if let Some(l) = review::member_line(tx, round, subject).await? {
            let m = load_member(tx, subject).await?;
            v.check(Action::CorrectOwn, member_target(&m))?;
            return Ok(("member".into(), l.org_id, m.org_path, l.level.is_some()));
        }
        let l = review::org_line(tx, round, subject).await?.ok_or(Problem::NotFound)?;
        let o = load_org(tx, l.org_id).await?;
        v.check(Action::Write, Target::Org { path: &o.path })?;
        Ok(("org".into(), o.id, o.path, l.level.is_some()))
    }

    /// Write the plan of a member or an organisation after its decision.
    pub async fn create_plan(&self, v: &Viewer, round_id: Uuid, input: &PlanInput) -> Outcome<PlanView> {
        let plan = write!(self, |tx| {
            let r = load_round(tx, round_id).await?;
            let (subject, org_id, path, decided) = self.plan_subject(tx, v, r.id, input.subject_id).await?;
            if !decided {
                return Err(Problem::Conflict(FieldError::new(
                    "subject_id",
                    "review_not_decided",
                    "Kế hoạch khắc phục được lập sau khi có quyết định xếp loại.",
                    "The plan follows the decision on the level.",
                )));
            }
            if review::plans_of(tx, input.subject_id).await?.iter().any(|p| p.round_id == r.id) {
                return Err(Problem::Conflict(FieldError::new(
                    "subject_id",
                    "review_plan_exists",
                    "Đã có kế hoạch khắc phục của kỳ này: hãy cập nhật tiến độ từng nội dung.",
                    "This round's plan exists already: mark the progress of its items.",
                )));
            }
            let mut val = Validation::default();
            if input.items.is_empty() {
                val.push(FieldError::required("items", "Nội dung khắc phục", "Items"));
            }
            for (i, item) in input.items.iter().enumerate() {
                let field = |f: &str| format!("items.{i}.{f}");
                if item.content.trim().is_empty() {
                    val.push(FieldError::required(&field("content"), "Nội dung khắc phục", "Item"));
                }
                for (limit, name, text) in
                    [(PLAN_ITEM, "content", &item.content), (PLAN_RESPONSIBLE, "responsible", &item.responsible)]
                {
                    if let Some(e) = limit.check(text) {
                        val.push(FieldError { field: field(name), ..e });
                    }
                }
                if item.deadline < r.first_day {
                    val.push(FieldError::new(
                        &field("deadline"),
                        "deadline_before_round",
                        "Thời hạn: không trước kỳ đánh giá.",
                        "Deadline: not before the round's period.",
                    ));
                }
            }
            val.finish(()).map_err(Problem::Invalid)?;
            let plan = Plan {
                id: Uuid::now_v7(),
                round_id: r.id,
                subject,
                subject_id: input.subject_id,
                org_id,
                by_name: v.display_name().to_string(),
                created_at: OffsetDateTime::now_utc(),
                version: 1,
            };
            let items: Vec<PlanItem> = input
                .items
                .iter()
                .enumerate()
                .map(|(i, it)| PlanItem {
                    id: Uuid::now_v7(),
                    plan_id: plan.id,
                    seq: i as i64 + 1,
                    content: it.content.trim().into(),
                    responsible: it.responsible.trim().into(),
                    deadline: it.deadline,
                    done_on: None,
                    note: String::new(),
                })
                .collect();
            review::insert_plan(tx, &plan, &items).await?;
            let entry =
                v.audit("review.plan", "review_plan", Some(plan.id), Some(&path), None, snapshot(&(&plan, &items)));
            audit::record(tx, &entry).await?;
            Ok(plan)
        })?;
        let mut c = self.pools.read().await?;
        self.plan_view(&mut c, plan).await
    }

    /// Mark an item of a plan done on a date (or not done), with a note.
    pub async fn mark_plan_item(
        &self,
        v: &Viewer,
        item_id: Uuid,
        done_on: Option<Date>,
        note: &str,
    ) -> Outcome<PlanView> {
        let plan = write!(self, |tx| {
            let item = review::item_by_id(tx, item_id).await?.ok_or(Problem::NotFound)?;
            let plan = review::plan_by_id(tx, item.plan_id).await?.ok_or(Problem::NotFound)?;
            let (_, _, path, _) = self.plan_subject(tx, v, plan.round_id, plan.subject_id).await?;
            let mut val = Validation::default();
            if done_on.is_some_and(|d| d > self.today()) {
                val.push(FieldError::new(
                    "done_on",
                    "date_in_future",
                    "Ngày hoàn thành: không sau hôm nay.",
                    "Date done: not after today.",
                ));
            }
            REVIEW_TEXT.on("note").check_into(&mut val, Some(note));
            val.finish(()).map_err(Problem::Invalid)?;
            review::set_item_done(tx, &item, done_on, note.trim()).await?;
            let after = PlanItem { done_on, note: note.trim().into(), ..item.clone() };
            let entry = v.audit(
                "review.plan_item",
                "review_plan",
                Some(plan.id),
                Some(&path),
                snapshot(&item),
                snapshot(&after),
            );
            audit::record(tx, &entry).await?;
            Ok(plan)
        })?;
        let mut c = self.pools.read().await?;
        self.plan_view(&mut c, plan).await
    }

    /// A plan with its items as they stand today.
    pub(crate) async fn plan_view(&self, e: &mut impl Exec, plan: Plan) -> Outcome<PlanView> {
        let items = review::items_of(e, &[plan.id]).await?;
        let round = load_round(e, plan.round_id).await?;
        let today = self.today();
        let progress = PlanProgress::of(items.iter().map(|i| (i.deadline, i.done_on)), today);
        let items = items.into_iter().map(|i| {
            let s = item_state(i.deadline, i.done_on, today);
            (i, s)
        });
        Ok(PlanView { plan, round_label: period_label(&round.period), items: items.collect(), progress })
    }

    /// Every plan of a member or an organisation, oldest first.
    pub(crate) async fn plan_views(&self, e: &mut impl Exec, subject_id: Uuid) -> Outcome<Vec<PlanView>> {
        let mut out = Vec::new();
        for p in review::plans_of(e, subject_id).await? {
            out.push(self.plan_view(e, p).await?);
        }
        Ok(out)
    }
}
