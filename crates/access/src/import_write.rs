//! Writing an import's members at once (*ghi danh sách đảng viên nhập từ tệp*): the records,
//! their opening events and spans, the dated ledger, the kept changes, the counters and the kept
//! structure of a whole file in a few statements per thousand rows, leaving exactly what
//! entering the members one by one (`Chibo::insert_member_unrecorded`) leaves; a test writes
//! the same rows both ways and compares every derived table.
//!
//! One by one, each member costs some thirty statements (its row, the counters of each
//! ancestor, its events read back and replayed, its spans, its ledger rows…): 515 rows/s on the
//! province demo. Here the replay runs in memory and each derived table is written once per
//! batch, summed.

use crate::load::province_of;
use crate::settle::{admission_needed, attrs, events_of, recorded, traits};
use crate::{Chibo, Outcome, Viewer};
use chibo_domain::Problem;
use chibo_domain::life::{History, ancestry, builders, member_ledger, replay, settle_record};
use chibo_domain::member::MemberInput;
use chibo_domain::report::Traits;
use chibo_store::events::{self, EventRecord};
use chibo_store::members::{self, MemberLife, NewMember};
use chibo_store::orgs::{self, Org, OrgStats};
use chibo_store::{Tx, change_counts, history, structure_changes, structure_counts};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use uuid::Uuid;

/// A member about to be written: the record as its events settle it.
struct Settled {
    id: Uuid,
    record: MemberInput,
    life: MemberLife,
    org_path: String,
    province: Option<i32>,
    events: Vec<EventRecord>,
    history: History,
}

impl Settled {
    fn new_member(&self) -> NewMember<'_> {
        NewMember { id: self.id, org_path: &self.org_path, province_code: self.province, input: &self.record }
    }

    /// What it adds to the counters (as `Member::stats`).
    fn stats(&self) -> OrgStats {
        if self.life.transit_org_id.is_some() { OrgStats::default() } else { members::stats_of(&self.record) }
    }
}

impl Chibo {
    /// Write new members admitted in their cells (the rows of an import, checked), in the order
    /// given: the same rows, events, spans, ledger, kept changes, counters, structure and
    /// possible-duplicate flags as [`Chibo::insert_member_unrecorded`] called for each in turn;
    /// the dated ledger's, the kept changes', the counters' and the kept structure's changes are
    /// summed into `sums`, written by [`KeptSums::flush`].
    pub(crate) async fn insert_members_unrecorded(
        &self,
        v: &Viewer,
        tx: &mut Tx,
        inputs: &[MemberInput],
        sums: &mut KeptSums,
    ) -> Outcome<Vec<Uuid>> {
        let today = self.today();
        let mut steps = Steps::start();
        let mut cells: HashMap<Uuid, (Org, Option<i32>)> = HashMap::new();
        let mut settled = Vec::with_capacity(inputs.len());
        for input in inputs {
            input.validate(today).finish(())?;
            self.note_cell(v, tx, &mut cells, input.org_id).await?;
            let id = Uuid::now_v7();
            let events = recorded(v, id, builders::opening_events(input));
            let history = replay(&events_of(&events));
            let Some((record, life)) = settle_record(input, &history) else {
                return Err(admission_needed());
            };
            self.note_cell(v, tx, &mut cells, record.org_id).await?;
            let (org, province) = &cells[&record.org_id];
            settled.push(Settled {
                id,
                record,
                life,
                org_path: org.path.clone(),
                province: *province,
                events,
                history,
            });
        }
        steps.done("settled");
        let rows: Vec<NewMember<'_>> = settled.iter().map(Settled::new_member).collect();
        members::insert_many(tx, &rows).await?;
        let lives: Vec<(Uuid, &MemberLife)> =
            settled.iter().filter(|s| s.life != MemberLife::default()).map(|s| (s.id, &s.life)).collect();
        members::set_lives(tx, &lives).await?;
        steps.done("records");
        let records: Vec<EventRecord> = settled.iter().flat_map(|s| s.events.iter().cloned()).collect();
        events::insert_many(tx, &records).await?;
        let spans: Vec<(Uuid, _)> = settled.iter().flat_map(|s| s.history.spans.iter().map(|sp| (s.id, *sp))).collect();
        events::insert_spans(tx, &spans).await?;
        steps.done("events and spans");
        sums.ledger.merge(&ledger_of(tx, &settled).await?, 1);
        steps.done("ledger");
        let changes: Vec<(&History, Traits)> = settled.iter().map(|s| (&s.history, traits(&s.record))).collect();
        sums.changes.merge(&change_counts::of_added(tx, &changes).await?, 1);
        steps.done("kept changes");
        // Timed by its own steps ("flush: …").
        sums.flush_if_large(tx).await?;
        steps.restart();
        for s in &settled {
            let e = sums.stats.entry(s.org_path.clone()).or_default();
            *e = e.plus(s.stats());
        }
        let on_rolls: Vec<(&str, &MemberInput, i64)> =
            settled.iter().filter(|s| s.stats().members > 0).map(|s| (s.org_path.as_str(), &s.record, 1)).collect();
        sums.structure.add(&on_rolls);
        for s in &settled {
            sums.structure_changes.add(tx, &s.history.spans, &s.record, 1).await?;
        }
        steps.done("counters and structure");
        flag_same_people(tx, &settled).await?;
        steps.done("possible duplicates");
        Ok(settled.iter().map(|s| s.id).collect())
    }

    /// A cell the rows write into, checked once: writable by the viewer, with its province.
    async fn note_cell(
        &self,
        v: &Viewer,
        tx: &mut Tx,
        cells: &mut HashMap<Uuid, (Org, Option<i32>)>,
        id: Uuid,
    ) -> Outcome<()> {
        if let Entry::Vacant(slot) = cells.entry(id) {
            let org = self.writable_cell(v, tx, id).await?;
            let province = province_of(tx, &org).await?;
            slot.insert((org, province));
        }
        Ok(())
    }
}

/// How long each step of a write took, logged at debug level (`RUST_LOG=chibo_access=debug`):
/// where an import's time goes.
pub(crate) struct Steps(std::time::Instant);

impl Steps {
    pub(crate) fn start() -> Steps {
        Steps(std::time::Instant::now())
    }

    pub(crate) fn done(&mut self, step: &str) {
        tracing::debug!(step, ms = self.0.elapsed().as_millis(), "import write");
        self.restart();
    }

    /// Time the next step from now (what came between is timed elsewhere).
    pub(crate) fn restart(&mut self) {
        self.0 = std::time::Instant::now();
    }
}

/// What an import adds to the dated ledger, the kept changes, the counters and the kept
/// structure, summed over its batches and written when it grows large and at the end
/// ([`KeptSums::flush`]): the rows of the upper levels recur in every batch, and PostgreSQL
/// slows down with each update of a row the same transaction already updated (each batch's
/// ledger took longer than the one before: 0.3 s for the first of 40, 3.9 s for the last;
/// docs/BENCHMARKS.md). Nothing in the transaction reads them before the end.
#[derive(Default)]
pub(crate) struct KeptSums {
    ledger: chibo_domain::life::Ledger,
    changes: chibo_domain::report::ChangeLedger,
    /// The counters' changes by the cell's path (spread to the ancestors when written).
    stats: HashMap<String, OrgStats>,
    structure: structure_counts::Summed,
    /// The structure's changes by month at the upper levels (a few rows per month and value).
    structure_changes: structure_changes::Summed,
}

/// Rows of the dated ledger and the kept changes summed before they are written (about 260
/// bytes each).
const FLUSH_AT: usize = 500_000;

/// Rows of the kept structure summed before they are written: interned, about 25 bytes each
/// with the hash table's own (`structure_counts::Summed`; at most some 100 MB), so that a
/// province's import writes each row once — each flush wrote the upper levels' rows again,
/// and most of a province's rows are the dates by day of its cells and communes
/// (docs/BENCHMARKS.md).
const STRUCTURE_FLUSH_AT: usize = 3_500_000;

impl KeptSums {
    async fn flush_if_large(&mut self, tx: &mut Tx) -> Outcome<()> {
        if self.ledger.len() + self.changes.len() >= FLUSH_AT {
            self.flush_dated(tx).await?;
        }
        if self.structure.len() >= STRUCTURE_FLUSH_AT {
            self.flush_structure(tx).await?;
        }
        Ok(())
    }

    /// Write what is summed.
    pub(crate) async fn flush(&mut self, tx: &mut Tx) -> Outcome<()> {
        self.flush_dated(tx).await?;
        self.flush_structure(tx).await
    }

    /// Write the dated ledger, the kept changes and the counters summed.
    async fn flush_dated(&mut self, tx: &mut Tx) -> Outcome<()> {
        tracing::debug!(ledger = self.ledger.len(), changes = self.changes.len(), "import flush: rows summed");
        let mut steps = Steps::start();
        history::apply_ledger(tx, &std::mem::take(&mut self.ledger)).await?;
        steps.done("flush: dated ledger");
        change_counts::apply(tx, &std::mem::take(&mut self.changes)).await?;
        steps.done("flush: kept changes");
        orgs::add_stats_summed(tx, &std::mem::take(&mut self.stats)).await?;
        steps.done("flush: counters");
        Ok(())
    }

    async fn flush_structure(&mut self, tx: &mut Tx) -> Outcome<()> {
        tracing::debug!(structure = self.structure.len(), "import flush: rows summed");
        let mut steps = Steps::start();
        self.structure.apply(tx).await?;
        steps.done("flush: kept structure");
        self.structure_changes.apply(tx).await?;
        steps.done("flush: kept changes by month");
        Ok(())
    }
}

/// The dated ledger of every organisation the new members' spans touch, summed.
async fn ledger_of(tx: &mut Tx, settled: &[Settled]) -> Outcome<chibo_domain::life::Ledger> {
    let orgs: Vec<Uuid> = settled.iter().flat_map(|s| s.history.spans.iter().map(|sp| sp.org_id)).collect();
    let links = history::ancestry_links(tx, &orgs).await?;
    let mut above: HashMap<Uuid, Vec<_>> = HashMap::new();
    let mut ledger = chibo_domain::life::Ledger::default();
    for s in settled {
        for sp in &s.history.spans {
            above.entry(sp.org_id).or_insert_with(|| ancestry(sp.org_id, &links));
        }
        let ancestry_of = |org: Uuid| above.get(&org).cloned().unwrap_or_default();
        let (female, minority) = attrs(&s.record);
        ledger.merge(&member_ledger(&s.history.spans, female, minority, &ancestry_of), 1);
    }
    Ok(ledger)
}

/// A member holding a (birth date, search key) pair: its id and province.
type Holder = (Uuid, Option<i32>);

/// A new member with the same name, birth date and province as a member already written (or
/// an earlier row of this import) is flagged as a possible duplicate, as one-by-one entry
/// flags it: against the members before it, never the rows after it.
async fn flag_same_people(tx: &mut Tx, settled: &[Settled]) -> Outcome<()> {
    let position: HashMap<Uuid, usize> = settled.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
    let mut keys: Vec<(time::Date, String)> =
        settled.iter().map(|s| (s.record.birth_date, s.record.search_key())).collect();
    keys.sort_unstable();
    keys.dedup();
    let mut holders: HashMap<(time::Date, String), Vec<Holder>> = HashMap::new();
    for (id, date, key, province) in members::same_person_keys(tx, &keys).await? {
        holders.entry((date, key)).or_default().push((id, province));
    }
    let mut pairs = Vec::new();
    for (i, s) in settled.iter().enumerate() {
        let Some(same) = holders.get(&(s.record.birth_date, s.record.search_key())) else { continue };
        for (other, province) in same {
            let earlier = position.get(other).is_none_or(|j| *j < i);
            if *other != s.id && *province == s.province && earlier {
                pairs.push((s.id, *other));
            }
        }
    }
    members::add_flags(tx, &pairs, "possible_duplicate").await.map_err(Problem::from)
}
