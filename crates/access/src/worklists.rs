//! Work lists computed from the records: probations ending or overdue for recognition, and
//! the party badges due on an award date; and the recording of a badge awarded.

use crate::load::{load_member, load_org, member_target};
use crate::transaction::write;
use crate::{Chibo, Outcome, Viewer, snapshot};
use chibo_domain::access::Action;
use chibo_domain::date::add_months;
use chibo_domain::life::probation::{ProbationStatus, probation_status};
use chibo_domain::life::{DueBadge, PartyAge, admitted_on_or_before_for, due_badges, party_age, replay};
use chibo_domain::{FieldError, Problem, rules};
use chibo_store::awards::{self, BadgeAward};
use chibo_store::members::{self, Member};
use chibo_store::{audit, events};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Calendar days before the end of probation from which a member is listed.
pub const PROBATION_NOTICE_DAYS: i64 = 30;
/// Most members one badge list examines (a commune or a province at a time).
pub const BADGE_LIST_LIMIT: i64 = 5_000;

/// A probationary member the cell must consider soon or now.
#[derive(Debug, Clone, Serialize)]
pub struct ProbationItem {
    pub member_id: Uuid,
    pub full_name: String,
    pub org_id: Uuid,
    pub admission_date: Date,
    pub status: ProbationStatus,
}

/// A member due one or more badges on the award date.
#[derive(Debug, Clone, Serialize)]
pub struct BadgeItem {
    pub member_id: Uuid,
    pub full_name: String,
    pub org_id: Uuid,
    pub party_age: Option<PartyAge>,
    pub due: Vec<DueBadge>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BadgeList {
    pub award_on: Date,
    pub items: Vec<BadgeItem>,
    /// More members were candidates than one list examines: narrow the organisation.
    pub truncated: bool,
}

/// A badge awarded, as entered.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AwardInput {
    pub years: i32,
    pub award_on: Date,
    #[serde(default)]
    pub decision_number: Option<String>,
    /// Awarded early because the member is seriously ill.
    #[serde(default)]
    pub ill: bool,
}

impl Chibo {
    /// Probationary members of a subtree whose probation ends within the notice period, has
    /// ended awaiting the cell's decision, or is overdue; soonest first.
    pub async fn probation_worklist(&self, v: &Viewer, org_id: Uuid) -> Outcome<Vec<ProbationItem>> {
        let all = self.probationers(v, org_id).await?;
        Ok(all.into_iter().filter(|p| !matches!(p.status, ProbationStatus::Running { .. })).collect())
    }

    /// Every probationary member of a subtree (not in transit), with where their probation
    /// stands; soonest first.
    pub async fn probationers(&self, v: &Viewer, org_id: Uuid) -> Outcome<Vec<ProbationItem>> {
        let mut c = self.pools.read().await?;
        let org = load_org(&mut c, org_id).await?;
        v.check_list(&org.path)?;
        let list = members::probationary_in(&mut c, &org.path).await?;
        let now = self.today();
        Ok(list
            .into_iter()
            .filter(|m| m.life.transit_org_id.is_none())
            .filter_map(|m| {
                let status = probation_status(m.input.admission_date, now, PROBATION_NOTICE_DAYS)?;
                Some(ProbationItem {
                    member_id: m.id,
                    full_name: m.full_name,
                    org_id: m.input.org_id,
                    admission_date: m.input.admission_date,
                    status,
                })
            })
            .collect())
    }

    /// The members of a subtree due a badge on `award_on` (an award date of the rule in force),
    /// with the badges due, from their replayed histories and the awards already recorded.
    pub async fn badge_worklist(&self, v: &Viewer, org_id: Uuid, award_on: Date) -> Outcome<BadgeList> {
        let rule = rules::in_force(rules::BADGES, award_on)
            .filter(|r| r.value.award_days.contains(&(u8::from(award_on.month()), award_on.day())))
            .ok_or_else(not_an_award_date)?;
        let mut c = self.pools.read().await?;
        let org = load_org(&mut c, org_id).await?;
        v.check_list(&org.path)?;
        let first = rule.value.milestones.first().copied().unwrap_or(30);
        // Gaps only delay milestones: admitted later than this, no badge can be due.
        let admitted_by = admitted_on_or_before_for(first, award_on, true);
        // Posthumous awards are considered within the rule's allowance after death.
        let died_since = add_months(award_on, -rule.value.posthumous_early_months);
        let list = members::badge_prefilter(&mut c, &org.path, admitted_by, died_since, BADGE_LIST_LIMIT + 1).await?;
        let truncated = list.len() as i64 > BADGE_LIST_LIMIT;
        let list: Vec<Member> = list.into_iter().take(BADGE_LIST_LIMIT as usize).collect();
        let ids: Vec<Uuid> = list.iter().map(|m| m.id).collect();
        let mut histories = events::of_members(&mut c, &ids).await?;
        let awarded = awards::years_of(&mut c, &ids).await?;
        let mut items = Vec::new();
        for m in list {
            let evs: Vec<_> = histories.remove(&m.id).unwrap_or_default().into_iter().map(|r| r.event).collect();
            let h = replay(&evs);
            let due = due_badges(&h, award_on, awarded.get(&m.id).map_or(&[][..], Vec::as_slice), false);
            if !due.is_empty() {
                items.push(BadgeItem {
                    member_id: m.id,
                    full_name: m.full_name,
                    org_id: m.input.org_id,
                    party_age: party_age(&h, award_on),
                    due,
                });
            }
        }
        Ok(BadgeList { award_on, items, truncated })
    }

    /// A member's badges.
    pub async fn badges_of(&self, v: &Viewer, member_id: Uuid) -> Outcome<Vec<BadgeAward>> {
        let mut c = self.pools.read().await?;
        let m = load_member(&mut c, member_id).await?;
        v.check(Action::Read, member_target(&m))?;
        awards::of_member(&mut c, member_id).await.map_err(Problem::from)
    }

    /// Record a badge awarded: it must be due on that date by the rules (early only when the
    /// member is seriously ill, or posthumously), and never the same badge twice.
    pub async fn award_badge(&self, v: &Viewer, member_id: Uuid, a: &AwardInput) -> Outcome<Vec<BadgeAward>> {
        write!(self, |tx| {
            let m = load_member(tx, member_id).await?;
            v.check(Action::Write, member_target(&m))?;
            if let Some(e) = a.decision_number.as_deref().and_then(|n| chibo_domain::text::DECISION_NUMBER.check(n)) {
                return Err(Problem::Invalid(chibo_domain::Validation { errors: vec![e] }));
            }
            if a.award_on > self.today() {
                return Err(Problem::field(
                    "award_on",
                    "in_future",
                    "Ngày trao: không thể ở tương lai.",
                    "Award date: cannot be in the future.",
                ));
            }
            let evs: Vec<_> = events::of_member(tx, member_id).await?.into_iter().map(|r| r.event).collect();
            let h = replay(&evs);
            let mine = awards::of_member(tx, member_id).await?;
            if mine.iter().any(|b| b.years == i64::from(a.years)) {
                return Err(Problem::Conflict(FieldError::new(
                    "years",
                    "already_awarded",
                    format!("Huy hiệu {} năm tuổi Đảng: đã trao cho đảng viên này.", a.years),
                    format!("{}-year badge: already awarded to this member.", a.years),
                )));
            }
            let awarded: Vec<i32> = mine.iter().map(|b| b.years as i32).collect();
            let Some(due) = due_badges(&h, a.award_on, &awarded, a.ill).into_iter().find(|d| d.years == a.years) else {
                return Err(Problem::field(
                    "years",
                    "badge_not_due",
                    format!(
                        "Huy hiệu {} năm tuổi Đảng: chưa đến hạn vào ngày trao theo quy định (tuổi đảng đã trừ thời gian gián đoạn), hoặc ngày trao không phải ngày trao huy hiệu.",
                        a.years
                    ),
                    format!(
                        "{}-year badge: not due on the award date under the rules (party age net of gaps), or not an award date.",
                        a.years
                    ),
                ));
            };
            let early = due.early.then(|| if m.input.status.is_active() { "ill" } else { "posthumous" }.to_string());
            let award = BadgeAward {
                id: Uuid::now_v7(),
                member_id,
                years: i64::from(a.years),
                award_on: a.award_on,
                decision_number: a.decision_number.clone().filter(|s| !s.trim().is_empty()),
                early,
                recorded_by: v.user_id,
                recorded_at: OffsetDateTime::now_utc(),
            };
            awards::insert(tx, &award).await?;
            let entry = v.audit("member.badge", "member", Some(member_id), Some(&m.org_path), None, snapshot(&award));
            audit::record(tx, &entry).await?;
            Ok(())
        })?;
        self.badges_of(v, member_id).await
    }
}

fn not_an_award_date() -> Problem {
    Problem::field(
        "award_on",
        "not_an_award_date",
        "Ngày trao: phải là một ngày trao Huy hiệu Đảng (03/02, 19/05, 02/09, 07/11) theo quy định đang có hiệu lực.",
        "Award date: must be a Party badge award date (3 Feb, 19 May, 2 Sep, 7 Nov) under the rule in force.",
    )
}
