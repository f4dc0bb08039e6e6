//! Bulk loading of the demo data set: the rows a record-by-record creation would write
//! (organisations and their links through time, members, their events and spans, the dated
//! ledger of counts, the counters, the cells' meetings with their rolls, marks and speakers,
//! and the compliance figures of every standard period), written in bulk.

use crate::ledger::{Ancestry, Split, by_org};
use anyhow::{Context, Result, bail};
use chibo_access::domain::access::Role;
use chibo_access::domain::life::Ledger;
use chibo_access::domain::org::OrgKind;
use chibo_access::{Chibo, Viewer};
use chibo_demo::meetings::{DemoMeeting, FIRST_YEAR};
use chibo_demo::{AS_OF, DemoMember, DemoOrgEvent, Generator, Scale};
use chibo_store::events::{self, EventRecord};
use chibo_store::history::{self, OrgEvent};
use chibo_store::loads::{self, BulkLoad};
use chibo_store::meeting_bulk::{self, NewAttendance, NewMeeting, NewSpeaker};
use chibo_store::members::{self, NewMember};
use chibo_store::orgs::{self, NewOrg};
use chibo_store::{Engine, Pools, Tx, schema};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use std::collections::HashSet;
use std::time::{Duration, Instant};
use time::OffsetDateTime;

/// Rows written per transaction.
const ROWS_PER_TX: usize = 50_000;
/// Members written at once (their rows, events, spans and words held as arguments meanwhile).
const MEMBERS_PER_WRITE: usize = 5_000;
/// Attendance lines written per transaction (whole communes).
const LINES_PER_TX: usize = 200_000;

/// What a demo load did and how fast.
#[derive(Debug)]
pub struct LoadReport {
    pub orgs: usize,
    pub members: u64,
    pub meetings: MeetingsReport,
    pub elapsed: Duration,
}

/// The meetings part of a demo load.
#[derive(Debug, Default, Clone)]
pub struct MeetingsReport {
    pub meetings: u64,
    pub attendance: u64,
    pub speakers: u64,
    /// Generating and writing the meetings, their rolls and speakers.
    pub written: Duration,
    /// The standard periods opened (figures computed for the whole tree).
    pub periods: usize,
    pub opened: Duration,
}

impl LoadReport {
    /// Organisations, members, meetings, attendance lines and speakers written per second.
    pub fn rows_per_second(&self) -> f64 {
        let m = &self.meetings;
        let rows = self.orgs as u64 + self.members + m.meetings + m.attendance + m.speakers;
        rows as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Whether `serve --demo` / `bench` should run the demo load: the database is empty, or holds a
/// load stopped half-way (which [`demo`] clears and does again, or refuses with the reason).
pub async fn needs_demo(app: &Chibo) -> Result<bool> {
    let mut c = app.pools().read().await?;
    Ok(orgs::count(&mut c).await? == 0 || !loads::incomplete(&mut c).await?.is_empty())
}

/// A load stopped half-way, in words: which, when, how far, and what to do.
pub fn describe_incomplete(l: &BulkLoad) -> String {
    let at = l.started_at;
    let when =
        format!("{:02}/{:02}/{} {:02}:{:02} UTC", at.day(), u8::from(at.month()), at.year(), at.hour(), at.minute());
    format!(
        "lần nạp dữ liệu mẫu (quy mô {scale}, seed {seed}) bắt đầu lúc {when} đã dừng giữa chừng sau bước «{stage}»: \
         dữ liệu không đầy đủ. Chạy lại `chibo demo --scale {scale}` để xóa phần đã nạp và nạp lại, hoặc khôi phục \
         một bản sao lưu (`chibo restore`). / the {what} load (scale {scale}, seed {seed}) started {when} stopped \
         half-way after stage \"{stage}\": the data is partial. Run `chibo demo --scale {scale}` again to clear it and \
         load again, or restore a backup (`chibo restore`).",
        scale = l.scale,
        seed = l.seed,
        stage = l.stage,
        what = l.what,
    )
}

/// Fail when a bulk load stopped half-way: its data must not be served or taken for whole.
pub async fn refuse_incomplete(app: &Chibo) -> Result<()> {
    let mut c = app.pools().read().await?;
    match loads::incomplete(&mut c).await?.last() {
        Some(l) => bail!("{}", describe_incomplete(l)),
        None => Ok(()),
    }
}

/// Before a demo load: an empty database is ready; one whose only content is a demo load
/// stopped half-way is emptied (every table the loader writes, in one transaction); anything
/// else is refused.
async fn prepare(pools: &Pools) -> Result<()> {
    let mut c = pools.read().await?;
    let all = loads::all(&mut c).await?;
    let Some(stopped) = all.iter().rev().find(|l| !l.is_complete()) else {
        if orgs::count(&mut c).await? > 0 {
            bail!("the database already holds organisations: the demo loads into an empty database only");
        }
        return Ok(());
    };
    if stopped.what != DEMO || all.iter().any(BulkLoad::is_complete) || loads::worked_on_since(&mut c, stopped).await? {
        bail!(
            "{}\nCơ sở dữ liệu còn có dữ liệu khác ngoài lần nạp dở dang, không tự xóa được: khôi phục bản sao lưu hoặc dùng \
             một cơ sở dữ liệu mới. / The database holds more than the stopped load: it is not cleared automatically; \
             restore a backup or use a new database.",
            describe_incomplete(stopped)
        );
    }
    drop(c);
    println!(
        "Xóa lần nạp dở dang (quy mô {}, sau bước «{}») rồi nạp lại / clearing the load stopped half-way, then loading again",
        stopped.scale, stopped.stage
    );
    let t = Instant::now();
    loads::clear(pools).await?;
    println!("Đã xóa / cleared in {:.1} s", t.elapsed().as_secs_f64());
    Ok(())
}

/// What a demo load records in `bulk_loads`.
const DEMO: &str = "demo";

/// The stages of a demo load, in order; each is recorded in `bulk_loads` once committed. The
/// meeting figures come last, and the load is marked complete in their last transaction.
pub const STAGES: [&str; 6] = ["orgs", "members", "meetings", "reviews", "inspections", "indexes"];

async fn reached(pools: &Pools, load: uuid::Uuid, stage: &str) -> Result<()> {
    let mut tx = pools.begin().await?;
    loads::stage(&mut tx, load, stage).await?;
    tx.commit().await?;
    Ok(())
}

fn bar(len: u64, what: &str) -> ProgressBar {
    let pb = ProgressBar::new(len);
    let style = ProgressStyle::with_template(&format!(
        "{what} [{{elapsed_precise}}] {{wide_bar}} {{pos}}/{{len}} ({{per_sec}}, còn {{eta}})"
    ))
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    pb.set_style(style);
    pb
}

/// What a demo load writes beside the tree and the members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meetings {
    /// The cells' meetings of the demo's years, with their rolls and speakers.
    With,
    /// None: the registry, the review and the inspection only (at nation scale the meetings
    /// are more than half the file: 34 GB without them, about 72 with them).
    Without,
}

/// Fill an empty database with the demo data set of `scale` (or one whose only content is a
/// demo load stopped half-way, cleared first).
pub async fn demo(app: &Chibo, scale: Scale, seed: u64, meetings: Meetings) -> Result<LoadReport> {
    match load(app, scale, seed, meetings, None).await? {
        Some(report) => Ok(report),
        None => bail!("the load stopped before its end"),
    }
}

/// The demo load, stopped after `stop_after` of [`STAGES`] when given (a test's stand-in for a
/// killed load: the progress recorded so far stays, the load is not marked complete).
pub(crate) async fn load(
    app: &Chibo,
    scale: Scale,
    seed: u64,
    with: Meetings,
    stop_after: Option<usize>,
) -> Result<Option<LoadReport>> {
    let pools = app.pools();
    prepare(pools).await?;
    let started = Instant::now();
    let generator = Generator::new(scale, seed);
    let org_count = generator.orgs().len();
    let expected = generator.expected_members();
    println!("Dữ liệu mẫu / demo: {} — {org_count} tổ chức, {expected} đảng viên", scale.code());

    let mut tx = pools.begin().await?;
    let id = loads::start(&mut tx, DEMO, scale.code(), seed, AS_OF).await?;
    schema::drop_bulk_indexes(&mut tx).await?;
    chibo_store::foreign_keys::set_aside(&mut tx, loads::LOADED_TABLES).await?;
    tx.commit().await?;
    let stop = |done: usize| stop_after == Some(done);
    if stop(0) {
        return Ok(None);
    }

    load_orgs(pools, &generator).await?;
    // Every stage after reads the tree (the links of each batch's cells, to count them).
    chibo_store::db::analyze_loaded(pools, &["orgs", "org_links"]).await?;
    reached(pools, id, STAGES[0]).await?;
    if stop(1) {
        return Ok(None);
    }
    let step = Instant::now();
    let written = load_members(pools, &generator).await?;
    let spent = step.elapsed().as_secs_f64();
    // The figure an import of members is compared with (scripts/import-bench.py).
    println!(
        "Đảng viên / members: {written} trong {spent:.1} s ({:.0} đảng viên/s, members/s)",
        written as f64 / spent.max(f64::EPSILON)
    );
    chibo_store::db::analyze_loaded(pools, &["members", "member_spans", "member_events"]).await?;
    reached(pools, id, STAGES[1]).await?;
    if stop(2) {
        return Ok(None);
    }
    let mut meetings = match with {
        Meetings::With => load_meetings(pools, &generator).await?,
        Meetings::Without => MeetingsReport::default(),
    };
    reached(pools, id, STAGES[2]).await?;
    if stop(3) {
        return Ok(None);
    }
    let cells = generator.meetings().cells_total() as u64;
    crate::load_review::load_reviews(pools, &generator, bar(cells, "Đánh giá")).await?;
    reached(pools, id, STAGES[3]).await?;
    if stop(4) {
        return Ok(None);
    }
    crate::load_inspection::load_inspections(pools, &generator, bar(cells, "Kiểm tra")).await?;
    reached(pools, id, STAGES[4]).await?;
    if stop(5) {
        return Ok(None);
    }

    let step = Instant::now();
    println!("Tạo chỉ mục, đếm lại, thống kê / indexes, counters, statistics …");
    let mut parts = Parts::default();
    for (table, spent) in schema::build_indexes(pools).await? {
        parts.add(format!("indexes of {table}"), spent);
    }
    if pools.engine() == Engine::Postgres {
        // The kept tables are built from the records read a page at a time: without the
        // planner's statistics of the fresh tables, PostgreSQL read them by plans for empty
        // tables (the kept changes took 27.5 s, 20 s of it reading). SQLite's `ANALYZE` covers
        // every table, the kept ones too: it runs once they are built.
        schema::analyze(pools).await?;
        parts.done("statistics of the records");
    }
    let mut tx = pools.begin().await?;
    orgs::rebuild_stats(&mut tx).await?;
    parts.done("counters");
    chibo_store::structure_counts::rebuild(&mut tx).await?;
    parts.done("kept structure");
    chibo_store::structure_changes::rebuild(&mut tx).await?;
    parts.done("kept structure changes by month");
    chibo_store::inspection_owed::rebuild(&mut tx).await?;
    parts.done("inspections owed");
    chibo_store::inspection_figures::count_all(&mut tx).await?;
    parts.done("inspection figures");
    chibo_store::change_counts::rebuild(&mut tx).await?;
    parts.done("kept changes");
    chibo_store::org_counts::rebuild(&mut tx).await?;
    parts.done("organisation counts");
    chibo_store::org_changes::rebuild(&mut tx).await?;
    parts.done("organisation changes by month");
    // After the kept tables are built: each of their keys is checked once, in one pass, where
    // a key in force checks every row as it goes in (on PostgreSQL, a trigger per row).
    chibo_store::foreign_keys::restore(&mut tx).await?;
    parts.done("foreign keys");
    loads::stage(&mut tx, id, STAGES[5]).await?;
    tx.commit().await?;
    parts.done("commit");
    match pools.engine() {
        Engine::Sqlite => schema::analyze(pools).await?,
        Engine::Postgres => {
            meeting_bulk::analyze(pools, meeting_bulk::ROW_TABLES).await?;
            schema::analyze_kept(pools).await?;
        }
    }
    parts.done("statistics");
    parts.print();
    println!("  … {:.1} s", step.elapsed().as_secs_f64());
    if stop(6) {
        return Ok(None);
    }
    open_periods(pools, &mut meetings, id).await?;

    let report = LoadReport { orgs: org_count, members: written, meetings, elapsed: started.elapsed() };
    println!(
        "Xong / done: {} tổ chức + {} đảng viên + {} buổi sinh hoạt trong {:.1} s ({:.0} dòng/s)",
        report.orgs,
        report.members,
        report.meetings.meetings,
        report.elapsed.as_secs_f64(),
        report.rows_per_second()
    );
    Ok(Some(report))
}

/// The cells' meetings, commune by commune, one transaction per [`LINES_PER_TX`] lines.
async fn load_meetings(pools: &Pools, generator: &Generator) -> Result<MeetingsReport> {
    let started = Instant::now();
    let mut stream = generator.meetings();
    let pb = bar(stream.cells_total() as u64, "Sinh hoạt");
    let mut r = MeetingsReport::default();
    // Time spent generating, and writing meetings, lines and speakers.
    let mut spent = [Duration::ZERO; 4];
    loop {
        let t = Instant::now();
        let batch = stream.next_batch(LINES_PER_TX);
        spent[0] += t.elapsed();
        if batch.is_empty() {
            break;
        }
        let scores: Vec<Option<String>> = batch.meetings.iter().map(DemoMeeting::scores_json).collect();
        let meetings: Vec<NewMeeting<'_>> =
            batch.meetings.iter().zip(&scores).map(|(m, scores)| new_meeting(m, scores.as_deref())).collect();
        let attendance: Vec<NewAttendance<'_>> = batch
            .attendance
            .iter()
            .map(|a| NewAttendance {
                meeting_id: a.meeting_id,
                member_id: a.row.member_id,
                standing: a.row.standing,
                attachment: a.row.attachment,
                exempt: a.row.exempt,
                suspended: a.row.suspended,
                mark: a.mark,
                reason: a.reason,
            })
            .collect();
        let speakers: Vec<NewSpeaker<'_>> = batch
            .speakers
            .iter()
            .map(|s| NewSpeaker {
                meeting_id: s.meeting_id,
                seq: s.seq,
                member_id: Some(s.member_id),
                name: &s.name,
                opinion: s.opinion,
            })
            .collect();
        let mut tx = pools.begin().await?;
        let t = Instant::now();
        meeting_bulk::insert_meetings(&mut tx, &meetings).await?;
        spent[1] += t.elapsed();
        let t = Instant::now();
        meeting_bulk::insert_attendance(&mut tx, &attendance).await?;
        spent[2] += t.elapsed();
        let t = Instant::now();
        meeting_bulk::insert_speakers(&mut tx, &speakers).await?;
        tx.commit().await?;
        spent[3] += t.elapsed();
        r.meetings += meetings.len() as u64;
        r.attendance += attendance.len() as u64;
        r.speakers += speakers.len() as u64;
        pb.inc(batch.cells as u64);
    }
    pb.finish();
    r.written = started.elapsed();
    let [generating, meetings, lines, speakers] = spent.map(|d| d.as_secs_f64());
    println!(
        "Sinh hoạt chi bộ / meetings: {} buổi, {} dòng điểm danh, {} lượt phát biểu trong {:.1} s \
         (generating {generating:.1} s, writing meetings {meetings:.1} s, lines {lines:.1} s, speakers {speakers:.1} s)",
        r.meetings,
        r.attendance,
        r.speakers,
        r.written.as_secs_f64()
    );
    Ok(r)
}

fn new_meeting<'a>(m: &'a DemoMeeting, scores: Option<&'a str>) -> NewMeeting<'a> {
    let c = m.counts;
    NewMeeting {
        id: m.id,
        cell_id: m.cell_id,
        kind: m.kind,
        status: m.status,
        held_on: m.held_on,
        starts_at: Some(m.starts_at),
        ends_at: m.ends_at,
        place: &m.place,
        agenda: &m.agenda,
        chair_id: m.chair_id,
        recorder_id: m.recorder_id,
        guests: &m.guests,
        followup: &m.followup,
        conclusions: &m.conclusions,
        resolution: &m.resolution,
        votes: m.votes,
        counts: [c.present, c.excused, c.unexcused, c.exempt, c.special_duty, c.exempt_present],
        scores,
        score: m.score,
        rating: m.rating,
        approved_at: m.approved_at,
        approved_by: m.approved_by.as_deref(),
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

/// Open every standard period from January of [`FIRST_YEAR`] to the demo's day: the figures of
/// each for the whole tree. The last period's transaction marks the load complete.
async fn open_periods(pools: &Pools, r: &mut MeetingsReport, load: uuid::Uuid) -> Result<()> {
    let started = Instant::now();
    let keys = meeting_bulk::standard_periods(FIRST_YEAR, AS_OF);
    let pb = bar(keys.len() as u64, "Kỳ báo cáo");
    let mut slowest = Duration::ZERO;
    meeting_bulk::open_periods(pools, &keys, AS_OF, Some(load), |year, took| {
        slowest = slowest.max(took);
        pb.inc(year.len() as u64);
    })
    .await?;
    pb.finish();
    meeting_bulk::analyze(pools, meeting_bulk::FIGURE_TABLES).await?;
    (r.periods, r.opened) = (keys.len(), started.elapsed());
    println!(
        "Số liệu sinh hoạt / meeting figures: {} kỳ báo cáo trong {:.1} s (a year's months, quarters and the year \
         together; the slowest year {:.1} s)",
        r.periods,
        r.opened.as_secs_f64(),
        slowest.as_secs_f64()
    );
    Ok(())
}

/// The organisations, then the tree's history before them (links and decisions).
async fn load_orgs(pools: &Pools, generator: &Generator) -> Result<()> {
    let pb = bar(generator.orgs().len() as u64, "Tổ chức  ");
    for chunk in generator.orgs().chunks(ROWS_PER_TX) {
        let mut tx = pools.begin().await?;
        for batch in chunk.chunks(1_000) {
            let rows: Vec<NewOrg<'_>> = batch
                .iter()
                .map(|o| NewOrg {
                    id: o.id,
                    parent_id: o.parent_id,
                    path: &o.path,
                    next_child: i64::from(o.next_child),
                    input: &o.input,
                })
                .collect();
            orgs::insert_many(&mut tx, &rows).await?;
            pb.inc(batch.len() as u64);
        }
        tx.commit().await?;
    }
    pb.finish();
    let mut tx = pools.begin().await?;
    org_history(&mut tx, generator).await?;
    tx.commit().await?;
    Ok(())
}

/// Every member in batches of [`ROWS_PER_TX`], one transaction each, with the ledger rows
/// of the batch; the centre's and provinces' ledger rows at the end. Returns the count.
///
/// Another thread generates the members and their ledger rows a batch ahead while the
/// database writes the batch before: a profile of the load had the two one after the other,
/// the generating about a third of this stage's time.
async fn load_members(pools: &Pools, generator: &Generator) -> Result<u64> {
    let ancestry = Ancestry::new(&by_org(generator.links()));
    let top: HashSet<uuid::Uuid> = generator
        .orgs()
        .iter()
        .filter(|o| matches!(o.input.kind, OrgKind::Central | OrgKind::Provincial))
        .map(|o| o.id)
        .collect();
    let mut stream = generator.member_stream();
    let (batches_in, mut batches) = tokio::sync::mpsc::channel::<(Vec<DemoMember>, Ledger)>(1);
    let generating = tokio::task::spawn_blocking(move || {
        let mut ledger = Split::new(top);
        loop {
            let batch = stream.next(ROWS_PER_TX);
            if batch.is_empty() {
                return Some(ledger.top);
            }
            for m in &batch {
                ledger.add(&ancestry.member(&m.now.spans, &m.now.input));
            }
            if batches_in.blocking_send((batch, ledger.take_rest())).is_err() {
                // The writing stopped on an error, which it reports.
                return None;
            }
        }
    });
    let pb = bar(generator.expected_members(), "Đảng viên");
    let mut written = 0u64;
    while let Some((batch, rest)) = batches.recv().await {
        let mut tx = pools.begin().await?;
        for rows in batch.chunks(MEMBERS_PER_WRITE) {
            write_members(&mut tx, rows).await?;
            pb.inc(rows.len() as u64);
        }
        history::apply_ledger(&mut tx, &rest).await?;
        tx.commit().await?;
        written += batch.len() as u64;
    }
    let top = generating.await.context("generating the members")?.context("generating the members stopped")?;
    let mut tx = pools.begin().await?;
    history::apply_ledger(&mut tx, &top).await?;
    tx.commit().await?;
    pb.finish();
    Ok(written)
}

/// Members as `Chibo::create_member` and the recorded events leave them: the record after
/// its events, the state beside it, the events and the spans (their share of the ledger is
/// computed beside them, [`load_members`]).
async fn write_members(tx: &mut Tx, rows: &[DemoMember]) -> Result<()> {
    let news: Vec<NewMember<'_>> = rows
        .iter()
        .map(|m| NewMember { id: m.id, org_path: &m.now.org_path, province_code: m.province_code, input: &m.now.input })
        .collect();
    members::insert_many(tx, &news).await?;
    let lives: Vec<(uuid::Uuid, &chibo_demo::life::Life)> =
        rows.iter().filter(|m| m.now.life != chibo_demo::life::Life::default()).map(|m| (m.id, &m.now.life)).collect();
    members::set_lives(tx, &lives).await?;
    let console = Viewer::console();
    let now = OffsetDateTime::now_utc();
    let records: Vec<EventRecord> = rows
        .iter()
        .flat_map(|m| {
            m.events.iter().map(|e| EventRecord {
                member_id: m.id,
                event: e.clone(),
                recorded_by: console.user_id(),
                recorded_by_name: console.display_name().to_string(),
                recorded_at: now,
            })
        })
        .collect();
    events::insert_many(tx, &records).await?;
    let spans: Vec<(uuid::Uuid, chibo_access::domain::life::Span)> =
        rows.iter().flat_map(|m| m.now.spans.iter().map(|s| (m.id, *s))).collect();
    events::insert_spans(tx, &spans).await?;
    Ok(())
}

/// The tree through time: the links of the communes that sat under a district before
/// 1 Jul 2025 (the others keep the one link written with their row), and the decisions of
/// that day.
async fn org_history(tx: &mut Tx, generator: &Generator) -> Result<()> {
    let relinked: Vec<uuid::Uuid> = generator.relinked().iter().map(|l| l.org_id).collect();
    history::delete_links_of(tx, &relinked).await?;
    history::insert_links(tx, generator.relinked()).await?;
    let console = Viewer::console();
    let now = OffsetDateTime::now_utc();
    for e in generator.org_events() {
        let ev = OrgEvent {
            id: e.id,
            org_id: e.org_id,
            kind: e.kind.to_string(),
            effective: e.effective,
            decision_number: None,
            decision_body: Some(e.decision_body.to_string()),
            detail: org_event_detail(e),
            recorded_by: console.user_id(),
            recorded_by_name: console.display_name().to_string(),
            recorded_at: now,
        };
        history::insert_org_event(tx, &ev).await?;
    }
    Ok(())
}

/// The detail of a reform decision, shaped like the ones `chibo_access::restructure` writes.
fn org_event_detail(e: &DemoOrgEvent) -> serde_json::Value {
    match e.kind {
        "moved" => json!({ "from_parent_id": e.from.first(), "to_parent_id": e.to }),
        "merged" if e.to.is_some() => json!({ "into": e.to, "members": 0 }),
        "established" => json!({ "merged_from": e.from }),
        _ => json!({}),
    }
}

/// Demo accounts, one per role, so every view can be tried. With `known_password`
/// (`--demo-passwords`) they share `CHIBO_DEMO_PASSWORD` or `chibo-demo-2026`, and `admin` is
/// created too; without it each new account gets a random password printed once, and `admin`
/// is left to `serve` (which creates it with `CHIBO_ADMIN_PASSWORD` or a random password).
/// Existing accounts keep their passwords and receive the demo grant.
pub async fn demo_accounts(app: &Chibo, known_password: bool) -> Result<()> {
    let pools = app.pools();
    let console = Viewer::console();
    let known =
        known_password.then(|| std::env::var("CHIBO_DEMO_PASSWORD").unwrap_or_else(|_| "chibo-demo-2026".into()));
    let mut c = pools.read().await?;
    let root = orgs::roots(&mut c).await?.into_iter().next().context("no root organisation")?;
    // A commune (or the root itself at commune scale) and its first cell with a member.
    let mut staff_org = root.clone();
    while !staff_org.kind().is_cell() && staff_org.kind() != chibo_access::domain::org::OrgKind::Commune {
        match orgs::children(&mut c, staff_org.id, false).await?.into_iter().next() {
            Some(child) => staff_org = child,
            None => break,
        }
    }
    let cells = orgs::children(&mut c, staff_org.id, false).await?;
    let cell = cells.into_iter().find(|o| o.kind().is_cell() && o.stats.members > 0).context("no cell with members")?;
    let page = members::page(
        &mut c,
        &members::PageQuery {
            root_path: &cell.path,
            subtree_members: cell.stats.members,
            all_members: root.stats.members,
            terms: &[],
            // A member on the rolls (not one who has died or left).
            status: Some(chibo_access::domain::member::MemberStatus::Official),
            after: None,
            limit: 1,
        },
    )
    .await?;
    let first = page.0.first().context("no member")?;
    let (member, member_name) = (first.id, first.full_name.clone());
    drop(c);
    let accounts: [(&str, &str, Role, uuid::Uuid, Option<uuid::Uuid>); 5] = [
        ("admin", "Quản trị hệ thống", Role::Admin, root.id, None),
        ("canbo", "Cán bộ Ban Tổ chức", Role::Staff, staff_org.id, None),
        ("kiemtra", "Ủy ban Kiểm tra", Role::Inspector, staff_org.id, None),
        ("bithu", "Bí thư chi bộ", Role::Secretary, cell.id, None),
        // The member's account bears the member's name (the account page shows it).
        ("dangvien", member_name.as_str(), Role::Member, cell.id, Some(member)),
    ];
    match &known {
        Some(p) => println!("Tài khoản mẫu / demo accounts (mật khẩu / password: {p}):"),
        None => println!(
            "Tài khoản mẫu, mật khẩu ngẫu nhiên chỉ hiện một lần / demo accounts, random passwords shown once:"
        ),
    }
    for (username, name, role, org, member) in accounts {
        let (user, note) = match app.user_by_name(&console, username).await {
            // `serve` has just reported the administrator's password (created or kept).
            Ok(u) if username == chibo_access::ADMIN => {
                (u, " (mật khẩu như báo ở trên / password as reported above)".to_string())
            }
            Ok(u) => (u, " (tài khoản có sẵn, giữ mật khẩu cũ / existing account, password unchanged)".to_string()),
            Err(_) if username == chibo_access::ADMIN && known.is_none() => {
                println!(
                    "  {username:<9} không tạo: `chibo serve` tạo tài khoản quản trị / not created: `chibo serve` creates it"
                );
                continue;
            }
            Err(_) => {
                let password = known.clone().unwrap_or_else(chibo_access::random_password);
                let u = app.create_user(&console, username, name, &password).await.map_err(crate::problem)?;
                let note =
                    if known.is_some() { String::new() } else { format!("  mật khẩu / password: {password}") };
                (u, note)
            }
        };
        match app.grant(&console, user.id, role, org, member).await {
            Ok(_) | Err(chibo_access::Problem::Conflict(_)) => {}
            Err(p) => return Err(crate::problem(p)),
        }
        println!("  {username:<9} {}{note}", role.label(chibo_access::Lang::Vi));
    }
    Ok(())
}

/// How long each part of a load's last step took, printed one per line (what
/// scripts/import-bench.py reads to set the import beside the loader's work on members).
struct Parts {
    since: Instant,
    spent: Vec<(String, std::time::Duration)>,
}

impl Default for Parts {
    fn default() -> Parts {
        Parts { since: Instant::now(), spent: Vec::new() }
    }
}

impl Parts {
    fn add(&mut self, part: String, spent: std::time::Duration) {
        self.spent.push((part, spent));
        self.since = Instant::now();
    }

    /// A part ended now (it began when the last one ended).
    fn done(&mut self, part: &str) {
        self.add(part.to_string(), self.since.elapsed());
    }

    fn print(&self) {
        for (part, spent) in &self.spent {
            println!("  {part}: {:.1} s", spent.as_secs_f64());
        }
    }
}
