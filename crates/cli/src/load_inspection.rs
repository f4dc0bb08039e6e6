//! The demo's inspection and supervision, loaded after the review: programmes and cases commune
//! by commune (one transaction per batch, with their steps, recommendations, disciplines and
//! appeals). The loader counts every case in the kept figures once the indexes are built, with
//! the function the application's writes use (`inspection_figures::count_all`, the same
//! grouping as `attach`).

use anyhow::Result;
use chibo_demo::Generator;
use chibo_demo::inspection::{DemoCase, DemoProgramme};
use chibo_store::Pools;
use chibo_store::inspection::{self as store, Appeal, Case, Discipline, Item, Programme, Recommendation, StepRow};
use indicatif::ProgressBar;
use std::collections::HashMap;
use std::time::Instant;
use time::{Date, OffsetDateTime, Time, UtcOffset};
use uuid::Uuid;

/// Cases per transaction.
const CASES_PER_TX: usize = 5_000;
const BY: &str = "Ủy ban kiểm tra";

fn at(d: Date, hour: u8) -> OffsetDateTime {
    let vietnam = UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC);
    d.with_time(Time::from_hms(hour, 0, 0).unwrap_or(Time::MIDNIGHT)).assume_offset(vietnam)
}

fn programme(p: &DemoProgramme) -> (Programme, Vec<Item>) {
    let row = Programme {
        id: p.id,
        org_id: p.org_id,
        year: i64::from(p.year),
        kind: "inspection".into(),
        title: format!("Chương trình kiểm tra, giám sát năm {}", p.year),
        by_name: BY.into(),
        created_at: at(p.created_on, 9),
        version: 1,
    };
    let items = p
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| Item {
            id: it.id,
            programme_id: p.id,
            seq: i as i64 + 1,
            subject_org_id: it.subject_org_id,
            subject_member_id: None,
            content: it.content.into(),
            planned_month: i64::from(it.month),
            case_id: it.case_id,
        })
        .collect();
    (row, items)
}

/// The rows of one case.
struct Rows {
    case: Case,
    steps: Vec<StepRow>,
    recs: Vec<Recommendation>,
    discipline: Option<Discipline>,
    appeal: Option<Appeal>,
}

fn rows(c: &DemoCase) -> Rows {
    let case = Case {
        id: c.id,
        org_id: c.org_id,
        by_inspection: true,
        kind: c.kind.code().into(),
        mode: c.mode.map(|m| m.code().into()),
        subject: if c.subject_member_id.is_some() { "member" } else { "org" }.into(),
        subject_org_id: c.subject_org_id,
        subject_member_id: c.subject_member_id,
        covers: c.covers,
        decision_number: c.number.clone(),
        decided_on: c.decided_on,
        team: "Tổ kiểm tra của Ủy ban kiểm tra".into(),
        content: c.content.into(),
        due_on: c.due_on,
        item_id: c.item_id,
        result: c.finding.map_or("open", |f| f.code()).into(),
        violated_on: c.violated_on,
        violation_level: c.level.map(|l| l.code().into()),
        grave: None,
        strengths: if c.finding.is_some() {
            "Chấp hành nghiêm các quy định của Đảng".into()
        } else {
            String::new()
        },
        shortcomings: c.recommendations.first().map(|_| "Một số nội dung còn hạn chế".to_string()).unwrap_or_default(),
        violations: if c.level.is_some() {
            "Vi phạm quy định về những điều đảng viên không được làm".into()
        } else {
            String::new()
        },
        concluded_on: c.concluded_on,
        by_name: BY.into(),
        created_at: at(c.decided_on, 8),
        version: 1,
        notice_year: None,
        notice_number: None,
    };
    let steps = c
        .steps
        .iter()
        .enumerate()
        .map(|(i, (s, deadline, taken))| StepRow {
            case_id: c.id,
            step: s.code().into(),
            seq: i as i64,
            deadline: Some(*deadline),
            taken_on: *taken,
            note: String::new(),
            by_name: taken.map(|_| BY.to_string()),
        })
        .collect();
    let recs = c
        .recommendations
        .iter()
        .enumerate()
        .map(|(i, r)| Recommendation {
            id: r.id,
            case_id: c.id,
            seq: i as i64 + 1,
            content: r.content.into(),
            owner: "Chi ủy chi bộ".into(),
            deadline: r.deadline,
            done_on: r.done_on,
            note: String::new(),
        })
        .collect();
    let waiting = c.proposal.as_ref().map(|p| Discipline {
        created_at: at(p.proposed_on, 10),
        ..Discipline::proposed(p.id, c.id, p.form.code(), p.proposed_on, REASON, BY)
    });
    let discipline = c.discipline.as_ref().map(|d| Discipline {
        id: d.id,
        case_id: c.id,
        proposed_form: d.form.code().into(),
        proposed_on: d.proposed_on,
        reason: REASON.into(),
        self_review_on: Some(d.proposed_on),
        self_review: "Nhận thức rõ khuyết điểm, nghiêm túc khắc phục".into(),
        body_members: Some(i64::from(d.members)),
        votes: format!("{}:{}", d.form.code(), d.votes),
        votes_none: Some(i64::from(d.members - d.votes)),
        decided_form: Some(d.form.code().into()),
        decision_number: Some(d.number.clone()),
        decided_on: Some(d.decided_on),
        received_on: Some(d.received_on),
        form_in_force: Some(d.form.code().into()),
        event_id: Some(d.event_id),
        by_name: BY.into(),
        created_at: at(d.decided_on, 10),
        version: 1,
    });
    let appeal = c.discipline.as_ref().and_then(|d| {
        let a = d.appeal.as_ref()?;
        Some(Appeal {
            id: a.id,
            discipline_id: d.id,
            filed_on: a.filed_on,
            answer_by: a.answer_by,
            body_org_id: a.body_org_id,
            content: "Đề nghị xem xét lại hình thức kỷ luật".into(),
            outcome: a.outcome.map(|(o, _)| o.code().into()),
            new_form: None,
            answer_number: a.outcome.map(|_| "15-QĐ/UBKT".into()),
            answered_on: a.outcome.map(|(_, on)| on),
            by_name: "Đảng viên".into(),
            created_at: at(a.filed_on, 9),
            version: 1,
        })
    });
    Rows { case, steps, recs, discipline: discipline.or(waiting), appeal }
}

/// The demo's reason for a discipline.
const REASON: &str = "Vi phạm quy định về những điều đảng viên không được làm";

/// Number the notices of the concluded cases in the order of their conclusions, from 1 in each
/// year for each deciding body, `last` holding the numbers given in the batches before.
fn number_notices(cases: &mut [Case], last: &mut HashMap<(Uuid, bool, i64), i64>) {
    let mut concluded: Vec<&mut Case> = cases.iter_mut().filter(|c| c.concluded_on.is_some()).collect();
    concluded.sort_by_key(|c| (c.concluded_on, c.id));
    for c in concluded {
        let year = c.concluded_on.map_or(0, |d| i64::from(d.year()));
        let n = last.entry((c.org_id, c.by_inspection, year)).or_default();
        *n += 1;
        (c.notice_year, c.notice_number) = (Some(year), Some(*n));
    }
}

/// Load the inspection, `pb` counting the cells done; the rows written.
pub(crate) async fn load_inspections(pools: &Pools, generator: &Generator, pb: ProgressBar) -> Result<u64> {
    let started = Instant::now();
    let mut stream = generator.inspections();
    let mut written = 0u64;
    let mut notices = HashMap::new();
    loop {
        let batch = stream.next_batch(CASES_PER_TX);
        if batch.is_empty() {
            break;
        }
        let (programmes, items): (Vec<Programme>, Vec<Vec<Item>>) = batch.programmes.iter().map(programme).unzip();
        let items: Vec<Item> = items.into_iter().flatten().collect();
        let all: Vec<Rows> = batch.cases.iter().map(rows).collect();
        let mut cases: Vec<Case> = all.iter().map(|r| r.case.clone()).collect();
        number_notices(&mut cases, &mut notices);
        let steps: Vec<StepRow> = all.iter().flat_map(|r| r.steps.clone()).collect();
        let recs: Vec<Recommendation> = all.iter().flat_map(|r| r.recs.clone()).collect();
        let mut tx = pools.begin().await?;
        store::insert_programmes(&mut tx, &programmes).await?;
        store::insert_items(&mut tx, &items).await?;
        store::insert_cases(&mut tx, &cases).await?;
        store::insert_steps(&mut tx, &steps).await?;
        store::insert_recommendations(&mut tx, &recs).await?;
        for r in &all {
            if let Some(d) = &r.discipline {
                store::insert_discipline(&mut tx, d).await?;
            }
            if let Some(a) = &r.appeal {
                store::insert_appeal(&mut tx, a).await?;
            }
        }
        tx.commit().await?;
        written += (programmes.len() + items.len() + cases.len() + steps.len() + recs.len()) as u64;
        pb.inc(batch.cells as u64);
    }
    pb.finish();
    println!("Kiểm tra, giám sát / inspection: {written} dòng trong {:.1} s", started.elapsed().as_secs_f64());
    Ok(written)
}
