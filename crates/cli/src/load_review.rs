//! The demo's annual review, loaded after the meetings: the rounds, the members' lines commune
//! by commune (one transaction per batch, with their decisions and plans, and their counts in
//! the figures), then the organisations' lines. Each line is counted as it is written, with
//! the function every write of the application uses (`review_figures::lines_added`).

use anyhow::Result;
use chibo_demo::Generator;
use chibo_demo::review::{DemoDecision, DemoOrgLine, DemoPlan, DemoReviewLine, DemoRound};
use chibo_domain::review::{Outcome, RoundStatus, Subject};
use chibo_store::review::{self, Decision, MemberLine, OrgLine, Plan, PlanItem, Round};
use chibo_store::review_figures::{self, Groups};
use chibo_store::{Pools, Tx};
use indicatif::ProgressBar;
use std::time::Instant;
use time::{Date, OffsetDateTime, Time, UtcOffset};

/// Member lines per transaction.
const LINES_PER_TX: usize = 20_000;
/// Organisation lines per transaction.
const ORGS_PER_TX: usize = 20_000;

/// A moment of a day in Vietnam.
fn at(d: Date, hour: u8) -> OffsetDateTime {
    let vietnam = UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC);
    d.with_time(Time::from_hms(hour, 0, 0).unwrap_or(Time::MIDNIGHT)).assume_offset(vietnam)
}

fn round_row(r: &DemoRound) -> Round {
    Round {
        id: r.id,
        org_id: r.org_id,
        kind: r.kind,
        period: r.period_key(),
        first_day: r.first_day,
        last_day: r.last_day,
        self_due: r.self_due,
        cell_due: r.cell_due,
        decision_due: r.decision_due,
        status: if r.closed { RoundStatus::Closed } else { RoundStatus::Open },
        rules_source: r.rules_source.to_string(),
        sheet: r.sheet.as_ref().and_then(|s| serde_json::to_string(s).ok()),
        quota_num: r.quota.map(|q| i64::from(q.num)),
        quota_den: r.quota.map(|q| i64::from(q.den)),
        opened_by: "Văn phòng cấp ủy".into(),
        created_at: at(r.opened_on, 8),
        closed_at: r.closed.then(|| at(r.decision_due, 17)),
        version: 1,
    }
}

fn member_line(rounds: &[Round], l: &DemoReviewLine) -> MemberLine {
    let mut line = MemberLine::opened(
        rounds[l.round].id,
        l.member_id,
        l.cell_id,
        l.base_id,
        l.not_rated.map(|n| n.code().to_string()),
    );
    if let Some(own) = &l.own {
        line.self_at = Some(at(own.on, 20));
        line.self_by = Some("Đảng viên".into());
        line.scores = serde_json::to_string(&own.scores).ok();
        line.score = Some(i64::from(own.score));
        line.tasks_total = Some(i64::from(own.tasks.total));
        line.tasks_on_time = Some(i64::from(own.tasks.on_time));
        line.tasks_exceeded = Some(i64::from(own.tasks.exceeded));
        (line.strengths, line.shortcomings) = (own.strengths.into(), own.shortcomings.into());
        (line.causes, line.remedies) = (own.causes.into(), own.remedies.into());
        line.self_level = Some(own.level.code().into());
    }
    if let Some(o) = &l.opinion {
        line.cell_level = o.level.map(|v| v.code().to_string());
        line.cell_comments = "Chi bộ thống nhất".into();
        line.votes_for = Some(i64::from(o.votes_for));
        line.votes_against = Some(i64::from(o.votes_against));
        line.votes_abstain = Some(i64::from(o.votes_abstain));
        line.cell_at = Some(at(o.on, 21));
        line.cell_by = Some("Bí thư chi bộ".into());
    }
    line.level = l.level.map(|v| v.code().to_string());
    line.decision_id = l.decision_id;
    line.outcome = Outcome::of(l.not_rated.is_some(), l.level);
    line
}

fn decision(rounds: &[Round], d: &DemoDecision) -> Decision {
    Decision {
        id: d.id,
        round_id: rounds[d.round].id,
        subject: d.subject.into(),
        subject_id: d.subject_id,
        level: d.level,
        number: d.number.clone(),
        signed_on: d.signed_on,
        reason: String::new(),
        self_corrected: false,
        corrects: None,
        by_name: "Ban Thường vụ".into(),
        at: at(d.signed_on, 16),
    }
}

fn plan(rounds: &[Round], p: &DemoPlan) -> (Plan, Vec<PlanItem>) {
    let plan = Plan {
        id: p.id,
        round_id: rounds[p.round].id,
        subject: "member".into(),
        subject_id: p.member_id,
        org_id: p.cell_id,
        by_name: "Đảng viên".into(),
        created_at: at(p.created_on, 9),
        version: 1,
    };
    let items = p
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| PlanItem {
            id: it.id,
            plan_id: p.id,
            seq: i as i64 + 1,
            content: it.content.into(),
            responsible: it.responsible.into(),
            deadline: it.deadline,
            done_on: it.done_on,
            note: String::new(),
        })
        .collect();
    (plan, items)
}

fn org_line(rounds: &[Round], l: &DemoOrgLine) -> OrgLine {
    let mut line = OrgLine::opened(
        rounds[l.round].id,
        l.org_id,
        l.kind.code(),
        l.decider_id,
        l.not_rated.map(|n| n.code().into()),
    );
    line.self_level = l.self_level.map(|v| v.code().to_string());
    if line.self_level.is_some() {
        (line.self_at, line.self_by) = (Some(at(rounds[l.round].self_due, 9)), Some("Bí thư".into()));
    }
    line.level = l.level.map(|v| v.code().to_string());
    line.decision_id = l.decision_id;
    line.outcome = Outcome::of(l.not_rated.is_some(), l.level);
    line
}

/// Count lines in the figures of their round, one round at a time.
async fn count(
    tx: &mut Tx,
    rounds: &[Round],
    lines: impl Iterator<Item = (usize, uuid::Uuid, Subject, Outcome)>,
) -> Result<()> {
    let mut by_round: Vec<Groups> = vec![Groups::new(); rounds.len()];
    for (r, org, subject, outcome) in lines {
        *by_round[r].entry((org, subject, outcome)).or_default() += 1;
    }
    for (r, groups) in rounds.iter().zip(&by_round) {
        review_figures::lines_added(tx, r, groups).await?;
    }
    Ok(())
}

/// Load the review, `pb` counting the cells done; the rows written.
pub(crate) async fn load_reviews(pools: &Pools, generator: &Generator, pb: ProgressBar) -> Result<u64> {
    let started = Instant::now();
    let mut stream = generator.reviews();
    let rounds: Vec<Round> = stream.rounds().iter().map(round_row).collect();
    let mut tx = pools.begin().await?;
    for r in &rounds {
        review::insert_round(&mut tx, r).await?;
    }
    tx.commit().await?;
    let mut written = rounds.len() as u64;
    let mut generating = std::time::Duration::ZERO;
    loop {
        let t = Instant::now();
        let batch = stream.next_batch(LINES_PER_TX);
        generating += t.elapsed();
        if batch.is_empty() {
            break;
        }
        let lines: Vec<MemberLine> = batch.lines.iter().map(|l| member_line(&rounds, l)).collect();
        let decisions: Vec<Decision> = batch.decisions.iter().map(|d| decision(&rounds, d)).collect();
        let (plans, items): (Vec<Plan>, Vec<Vec<PlanItem>>) = batch.plans.iter().map(|p| plan(&rounds, p)).unzip();
        let items: Vec<PlanItem> = items.into_iter().flatten().collect();
        let mut tx = pools.begin().await?;
        review::insert_member_lines(&mut tx, &lines).await?;
        review::insert_decisions(&mut tx, &decisions).await?;
        review::insert_plans(&mut tx, &plans).await?;
        review::insert_items(&mut tx, &items).await?;
        count(
            &mut tx,
            &rounds,
            batch.lines.iter().zip(&lines).map(|(d, l)| (d.round, l.org_id, Subject::Member, l.outcome)),
        )
        .await?;
        tx.commit().await?;
        written += (lines.len() + decisions.len() + plans.len() + items.len()) as u64;
        pb.inc(batch.cells as u64);
    }
    let (org_lines, org_decisions) = stream.org_lines();
    for (chunk, n) in org_lines.chunks(ORGS_PER_TX).zip(0..) {
        let lines: Vec<OrgLine> = chunk.iter().map(|l| org_line(&rounds, l)).collect();
        let mut tx = pools.begin().await?;
        review::insert_org_lines(&mut tx, &lines).await?;
        if n == 0 {
            let decisions: Vec<Decision> = org_decisions.iter().map(|d| decision(&rounds, d)).collect();
            review::insert_decisions(&mut tx, &decisions).await?;
            written += decisions.len() as u64;
        }
        count(
            &mut tx,
            &rounds,
            chunk
                .iter()
                .map(|l| (l.round, l.org_id, Subject::org(l.kind), Outcome::of(l.not_rated.is_some(), l.level))),
        )
        .await?;
        tx.commit().await?;
        written += lines.len() as u64;
    }
    pb.finish();
    println!("Đánh giá, xếp loại / review: {written} dòng (2 kỳ) trong {:.1} s", started.elapsed().as_secs_f64());
    Ok(written)
}
