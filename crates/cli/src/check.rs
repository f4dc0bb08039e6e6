//! `chibo check`: what is stored against a recomputation from the records — the counters and
//! the word index (repairable), every member's history (replayed events against the stored
//! row and spans), the dated ledger (against a full recomputation from the replayed spans and
//! the links) and the current counters (against the ledger as of today); the cell meetings'
//! counts and the figures kept for every opened period (against a recount from the attendance
//! rows and the links); the review figures kept per period (against a recount from the review
//! lines and the links); the audit log's hash chain (`chibo audit verify`).

use crate::ledger::Ancestry;
use anyhow::{Result, bail};
use chibo_access::Chibo;
use chibo_demo::life::settle;
use chibo_domain::life::{Ledger, Span, Tally, replay};
use chibo_store::orgs::{self, Org};
use chibo_store::{Exec, events, history, inspection_figures, ledger_check, meeting_figures, members, review_figures};
use std::collections::HashMap;
use time::Date;
use uuid::Uuid;

/// Differences printed per kind.
const SHOWN: usize = 20;
/// Members replayed per round trip.
const CHUNK: usize = 2_000;

/// Differences of one kind: how many, and the first few described.
#[derive(Default)]
struct Found {
    count: usize,
    shown: Vec<String>,
}

impl Found {
    fn push(&mut self, what: impl FnOnce() -> String) {
        self.count += 1;
        if self.shown.len() < SHOWN {
            self.shown.push(what());
        }
    }

    /// Print them; the failure message if any.
    fn report(self, label: &str) -> Option<String> {
        for s in &self.shown {
            println!("{label}: {s}");
        }
        (self.count > 0).then(|| format!("{} {label}", self.count))
    }
}

pub async fn check(app: &Chibo, repair: bool) -> Result<()> {
    // A load stopped half-way is partial data, not differences to repair: nothing else is
    // checked, nothing is rewritten.
    if let Err(stopped) = crate::load::refuse_incomplete(app).await {
        if repair {
            bail!("không sửa / nothing repaired: {stopped}");
        }
        bail!("{stopped}");
    }
    let mut failures = foreign_keys(app, repair).await?;
    failures.extend(counters(app, repair).await?);
    let mut c = app.pools().read().await?;
    failures.extend(histories(&mut c, app.today()).await?);
    failures.extend(meeting_figures(&mut c).await?);
    failures.extend(review_counts(&mut c).await?);
    failures.extend(inspection_counts(&mut c).await?);
    failures.extend(crate::audit::chain(&mut c).await?);
    if !failures.is_empty() {
        bail!("differences found: {}", failures.join(", "));
    }
    println!("Quá trình, sổ biến động khớp / every history, the dated ledger and the counters agree");
    Ok(())
}

/// Foreign keys a bulk load set aside and did not add back (PostgreSQL); with `repair`, added
/// back, which checks every row.
async fn foreign_keys(app: &Chibo, repair: bool) -> Result<Vec<String>> {
    let mut tx = app.pools().begin().await?;
    let aside = chibo_store::foreign_keys::set_aside_count(&mut tx).await?;
    if aside == 0 {
        return Ok(Vec::new());
    }
    if !repair {
        return Ok(vec![format!("{aside} foreign keys set aside by a bulk load (--repair adds them back)")]);
    }
    chibo_store::foreign_keys::restore(&mut tx).await?;
    tx.commit().await?;
    println!("Đã khôi phục {aside} khóa ngoại / foreign keys added back, every row checked");
    Ok(Vec::new())
}

/// Compare every organisation's counters, the word counts and the pairs of words with a
/// recount of the records; rewrite them from the records with `repair`. The failures left.
async fn counters(app: &Chibo, repair: bool) -> Result<Vec<String>> {
    let mut failures = Vec::new();
    let mut tx = app.pools().begin().await?;
    let wrong_words = chibo_store::words::recount(&mut tx).await?;
    for (word, stored, counted) in wrong_words.iter().take(SHOWN) {
        println!("từ / word {word:?}: stored {stored} ≠ counted {counted}");
    }
    if !wrong_words.is_empty() {
        if repair {
            chibo_store::words::rebuild_counts(&mut tx).await?;
        } else {
            failures.push(format!("{} name words whose counts differ from the index (--repair)", wrong_words.len()));
        }
    }
    let wrong_pairs = chibo_store::words::pairs_differ(&mut tx).await?;
    if wrong_pairs > 0 {
        println!("cặp từ của tên / pairs of name words: {wrong_pairs} rows differ from the word index");
        if repair {
            chibo_store::words::rebuild_pairs(&mut tx).await?;
        } else {
            failures.push(format!("{wrong_pairs} pairs of name words unlike the word index (--repair)"));
        }
    }
    let wrong = orgs::recount(&mut tx).await?;
    for (id, stored, computed) in wrong.iter().take(SHOWN) {
        println!("{id}: stored {stored:?} ≠ computed {computed:?}");
    }
    let ok = "Số liệu khớp với hồ sơ / every counter equals the records";
    let failure = || format!("{} organisations whose counters differ from the records (--repair)", wrong.len());
    if to_repair(wrong.len(), repair, ok, failure, &mut failures) {
        orgs::rebuild_stats(&mut tx).await?;
        println!("Đã sửa {} tổ chức / repaired", wrong.len());
    }
    let wrong = chibo_store::structure_counts::recount(&mut tx).await?;
    for (id, dim, value, stored, counted) in wrong.iter().take(SHOWN) {
        println!("{id} {dim} {value:?}: stored {stored} ≠ counted {counted}");
    }
    let ok = "Cơ cấu lưu sẵn khớp với hồ sơ / the kept structure equals the records";
    let failure = || format!("{} kept structure counts that differ from the records (--repair)", wrong.len());
    if to_repair(wrong.len(), repair, ok, failure, &mut failures) {
        chibo_store::structure_counts::rebuild(&mut tx).await?;
        println!("Đã sửa cơ cấu lưu sẵn / kept structure repaired ({} rows)", wrong.len());
    }
    let wrong = chibo_store::structure_changes::recount(&mut tx).await?;
    for (id, month, dim, value, stored, counted) in wrong.iter().take(SHOWN) {
        println!("{id} {month} {dim} {value:?}: stored {stored} ≠ counted {counted}");
    }
    let ok = "Biến động cơ cấu theo tháng khớp với hồ sơ / the structure's changes by month equal the records";
    let failure =
        || format!("{} kept changes of the structure by month that differ from the records (--repair)", wrong.len());
    if to_repair(wrong.len(), repair, ok, failure, &mut failures) {
        chibo_store::structure_changes::rebuild(&mut tx).await?;
        println!("Đã sửa biến động cơ cấu theo tháng / repaired ({} rows)", wrong.len());
    }
    let wrong = chibo_store::change_counts::recount(&mut tx).await?;
    for (id, period, line, stored, counted) in wrong.iter().take(SHOWN) {
        println!("{id} {period} {line}: stored {stored} ≠ counted {counted}");
    }
    let ok = "Biến động lưu sẵn khớp với các sự kiện / the kept changes equal the events";
    let failure = || format!("{} kept change counts that differ from the events (--repair)", wrong.len());
    if to_repair(wrong.len(), repair, ok, failure, &mut failures) {
        chibo_store::change_counts::rebuild(&mut tx).await?;
        println!("Đã sửa biến động lưu sẵn / kept changes repaired ({} rows)", wrong.len());
    }
    let wrong = chibo_store::org_counts::recount(&mut tx).await?;
    for (id, item, stored, counted) in wrong.iter().take(SHOWN) {
        println!("{id} {item}: stored {stored} ≠ counted {counted}");
    }
    let ok = "Số tổ chức lưu sẵn khớp với cây tổ chức / the kept organisation counts equal the tree";
    let failure = || format!("{} kept organisation counts that differ from the tree (--repair)", wrong.len());
    if to_repair(wrong.len(), repair, ok, failure, &mut failures) {
        chibo_store::org_counts::rebuild(&mut tx).await?;
        println!("Đã sửa số tổ chức lưu sẵn / kept organisation counts repaired ({} rows)", wrong.len());
    }
    let wrong = chibo_store::org_changes::recount(&mut tx).await?;
    for (id, month, item, stored, counted) in wrong.iter().take(SHOWN) {
        println!("{id} {month} {item}: stored {stored} ≠ counted {counted}");
    }
    let ok = "Biến động tổ chức theo tháng khớp với cây tổ chức / the organisation changes by month equal the tree";
    let failure = || format!("{} kept organisation changes by month that differ from the tree (--repair)", wrong.len());
    if to_repair(wrong.len(), repair, ok, failure, &mut failures) {
        chibo_store::org_changes::rebuild(&mut tx).await?;
        println!("Đã sửa biến động tổ chức theo tháng / organisation changes by month repaired ({} rows)", wrong.len());
    }
    let wrong = chibo_store::inspection_owed::recount(&mut tx).await?;
    for (id, stored, counted) in wrong.iter().take(SHOWN) {
        println!("{id} owed coverage: stored {stored} ≠ counted {counted}");
    }
    let ok = "Số tổ chức phải kiểm tra, giám sát khớp / the organisations owed coverage agree";
    let failure = || format!("{} counts of organisations owed coverage that differ (--repair)", wrong.len());
    if to_repair(wrong.len(), repair, ok, failure, &mut failures) {
        chibo_store::inspection_owed::rebuild(&mut tx).await?;
        println!("Đã sửa / repaired {} organisations owed coverage", wrong.len());
    }
    tx.commit().await?;
    Ok(failures)
}

/// The verdict on `wrong` differences a recount found: `ok` printed when there are none;
/// with `repair`, whether to rebuild; else `failure` added to the failures.
fn to_repair(
    wrong: usize,
    repair: bool,
    ok: &str,
    failure: impl FnOnce() -> String,
    failures: &mut Vec<String>,
) -> bool {
    if wrong == 0 {
        println!("{ok}");
        return false;
    }
    if !repair {
        failures.push(failure());
    }
    repair
}

/// Every opened period of the meeting figures recounted from the attendance rows and the links:
/// each held meeting's counts, each cell's row, each organisation's sums.
async fn meeting_figures(c: &mut impl Exec) -> Result<Vec<String>> {
    let mut found = Found::default();
    let periods = meeting_figures::opened_since(c, None).await?;
    for (key, _) in &periods {
        for m in meeting_figures::recount(c, *key).await? {
            found.push(|| format!("{} {} {}: kept {} ≠ recomputed {}", m.period, m.what, m.id, m.kept, m.recomputed));
        }
    }
    println!(
        "Đã kiểm tra / checked: số liệu sinh hoạt chi bộ của {} kỳ / meeting figures of {} periods",
        periods.len(),
        periods.len()
    );
    Ok(found.report("meeting figures unlike a recount from the attendance").into_iter().collect())
}

/// The review figures recounted from the lines of every round and the links.
async fn review_counts(c: &mut impl Exec) -> Result<Vec<String>> {
    let mut found = Found::default();
    for m in review_figures::recount(c).await? {
        found.push(|| {
            format!(
                "{} {} {} {}: kept {} ≠ recounted {}",
                m.period, m.org_id, m.subject, m.outcome, m.kept, m.recounted
            )
        });
    }
    println!("Đã kiểm tra / checked: số liệu đánh giá, xếp loại / review figures");
    Ok(found.report("review figures unlike a recount from the review lines").into_iter().collect())
}

/// The inspection figures recounted from the cases, their disciplines and the links.
async fn inspection_counts(c: &mut impl Exec) -> Result<Vec<String>> {
    let mut found = Found::default();
    for m in inspection_figures::recount(c).await? {
        found.push(|| {
            format!("{} {} {} {}: kept {} ≠ recounted {}", m.period, m.org_id, m.measure, m.code, m.kept, m.recounted)
        });
    }
    println!("Đã kiểm tra / checked: số liệu kiểm tra, giám sát / inspection figures");
    Ok(found.report("inspection figures unlike a recount from the cases").into_iter().collect())
}

/// Every organisation, by id.
async fn all_orgs(c: &mut impl Exec, ids: &[Uuid]) -> Result<HashMap<Uuid, Org>> {
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        out.extend(orgs::by_ids(c, chunk).await?.into_iter().map(|o| (o.id, o)));
    }
    Ok(out)
}

fn sorted(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_by_key(|s| (s.from, s.kind.code(), s.org_id, s.to));
    spans
}

/// The history checks; the failures found (empty when everything agrees).
async fn histories(c: &mut impl Exec, today: Date) -> Result<Vec<String>> {
    let links = history::all_links(c).await?;
    let ancestry = Ancestry::new(&links);
    let org_ids: Vec<Uuid> = links.keys().copied().collect();
    let orgs = all_orgs(c, &org_ids).await?;
    let (mut rows, mut spans_found) = (Found::default(), Found::default());
    let mut recount = ledger_check::Recount::start(c).await?;
    let ids = events::member_ids(c).await?;
    for chunk in ids.chunks(CHUNK) {
        let stored = members::by_ids(c, chunk).await?;
        let mut evs = events::of_members(c, chunk).await?;
        let mut spans: HashMap<Uuid, Vec<Span>> = HashMap::new();
        for (m, s) in events::spans_of_members(c, chunk).await? {
            spans.entry(m).or_default().push(s);
        }
        let mut recomputed = Ledger::default();
        for m in &stored {
            let records = evs.remove(&m.id).unwrap_or_default();
            let events: Vec<_> = records.into_iter().map(|r| r.event).collect();
            let h = replay(&events);
            match settle(&m.input, &h) {
                None => rows.push(|| format!("{}: no admission in the events", m.id)),
                Some((want, life)) => {
                    let got = (m.input.status, m.input.org_id, m.input.admission_date, m.input.official_date);
                    let exp = (want.status, want.org_id, want.admission_date, want.official_date);
                    if got != exp {
                        rows.push(|| format!("{}: stored {got:?} ≠ replayed {exp:?}", m.id));
                    }
                    let stored_life =
                        (m.life.exempt_since, m.life.attached_org_id, m.life.transit_org_id, m.life.ended_on);
                    let replayed = (life.exempt_since, life.attached_org_id, life.transit_org_id, life.ended_on);
                    if stored_life != replayed {
                        rows.push(|| format!("{}: stored state {stored_life:?} ≠ replayed {replayed:?}", m.id));
                    }
                    if orgs.get(&m.input.org_id).is_none_or(|o| o.path != m.org_path) {
                        rows.push(|| format!("{}: org_path {} is not the path of its organisation", m.id, m.org_path));
                    }
                }
            }
            let (have, want) = (sorted(spans.remove(&m.id).unwrap_or_default()), sorted(h.spans.clone()));
            if have != want {
                spans_found.push(|| format!("{}: stored {have:?} ≠ replayed {want:?}", m.id));
            }
            recomputed.merge(&ancestry.member(&h.spans, &m.input), 1);
        }
        recount.add(c, &recomputed).await?;
    }
    let mut failures: Vec<String> = Vec::new();
    failures.extend(rows.report("member rows unlike their replayed events"));
    failures.extend(spans_found.report("members whose spans differ from the replay"));
    let (differences, recomputed) = recount.finish(c).await?;
    let mut ledger_found = Found::default();
    for (o, d, kept, counted) in differences {
        ledger_found.push(|| format!("{o} {d}: stored {kept:?} ≠ recomputed {counted:?}"));
    }
    failures.extend(ledger_found.report("ledger rows unlike the recomputation"));
    failures
        .extend(counters_against_ledger(c, &orgs, today).await?.report("organisations whose counters ≠ ledger today"));
    println!(
        "Đã kiểm tra / checked: {} đảng viên, {} tổ chức, {} dòng sổ biến động / ledger rows",
        ids.len(),
        orgs.len(),
        recomputed
    );
    Ok(failures)
}

/// Each organisation's counters against its stored ledger rows up to today (summed from the
/// rows: `history::tallies_on` itself may start from the counters).
async fn counters_against_ledger(c: &mut impl Exec, orgs: &HashMap<Uuid, Org>, today: Date) -> Result<Found> {
    let sums = ledger_check::sums_through(c, today).await?;
    let mut found = Found::default();
    let mut ids: Vec<&Uuid> = orgs.keys().collect();
    ids.sort_unstable();
    for id in ids {
        let s = orgs[id].stats;
        let stats = Tally {
            members: s.members,
            official: s.official,
            probationary: s.probationary,
            female: s.female,
            minority: s.minority,
        };
        let ledger = sums.get(id).copied().unwrap_or_default();
        if stats != ledger {
            found.push(|| format!("{id} {}: counters {stats:?} ≠ ledger {ledger:?}", orgs[id].input.name));
        }
    }
    Ok(found)
}
