//! Bulk writing of meetings for the demo loader: multi-row inserts of meetings, their rolls and
//! marks, and their speakers, then the standard periods opened over the whole tree
//! ([`meeting_figures::open_period`]). The rows must be consistent already (counts equal to the
//! marks, ratings from the sheet): nothing here derives or checks them.
//!
//! The rolls are tens of millions of lines at nation scale. On SQLite, codes of the domain's
//! enums, numbers and times are written into the statement as literals (they come from typed
//! values, never from text) and only ids, dates and free text are bound: every bound text is
//! copied three times on its way. On PostgreSQL the rows go through `COPY … FROM STDIN`
//! (also supported by Citus and CockroachDB): one statement per batch, nothing to parse or plan.

use crate::copy_rows::CopyRows;
use crate::db::{Arg, Engine, Exec, Pools, dynamic_sql, values_rows};
use crate::{StoreError, meeting_figures};
use chibo_domain::meeting::{Attachment, Mark, MeetingKind, MeetingStatus, PeriodKey, Rating};
use chibo_domain::member::MemberStatus;
use std::fmt::Write;
use std::time::{Duration, Instant};
use time::{Date, OffsetDateTime, Time};
use uuid::Uuid;

/// Bound parameters per statement: under both engines' limits (SQLite 32,766; PostgreSQL 65,535).
const PARAMS: usize = 30_000;
/// Rows per statement at most (the statement text stays under a megabyte).
const ROWS: usize = 5_000;

/// One meeting row.
#[derive(Debug, Clone)]
pub struct NewMeeting<'a> {
    pub id: Uuid,
    pub cell_id: Uuid,
    pub kind: MeetingKind,
    pub status: MeetingStatus,
    pub held_on: Date,
    pub starts_at: Option<Time>,
    pub ends_at: Option<Time>,
    pub place: &'a str,
    pub agenda: &'a str,
    pub chair_id: Option<Uuid>,
    pub recorder_id: Option<Uuid>,
    pub guests: &'a str,
    pub followup: &'a str,
    pub conclusions: &'a str,
    pub resolution: &'a str,
    /// For, against, abstaining.
    pub votes: Option<(u32, u32, u32)>,
    /// present, excused, unexcused, exempt, special duty, exempt present.
    pub counts: [u32; 6],
    /// Judged scores as JSON.
    pub scores: Option<&'a str>,
    pub score: Option<u32>,
    pub rating: Option<Rating>,
    pub approved_at: Option<OffsetDateTime>,
    pub approved_by: Option<&'a str>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

const MEETING_COLUMNS: &str = "id, cell_id, kind, status, held_on, starts_at, ends_at, place, agenda, topic_id, \
     chair_id, recorder_id, guests, followup, conclusions, resolution, votes_for, votes_against, votes_abstain, \
     present, excused, unexcused, exempt, special_duty, exempt_present, scores, score, rating, approved_at, \
     approved_by, version, created_at, updated_at";
/// Bound parameters of a meeting row.
const MEETING_BOUND: usize = 16;

/// One line of a meeting's roll (`mark` `None`: invited, not marked).
#[derive(Debug, Clone, Copy)]
pub struct NewAttendance<'a> {
    pub meeting_id: Uuid,
    pub member_id: Uuid,
    pub standing: MemberStatus,
    pub attachment: Attachment,
    pub exempt: bool,
    pub suspended: bool,
    pub mark: Option<Mark>,
    pub reason: &'a str,
}

const ATTENDANCE_COLUMNS: &str = "meeting_id, member_id, standing, attachment, exempt, suspended, mark, reason";

/// One speaker of a meeting, in order.
#[derive(Debug, Clone, Copy)]
pub struct NewSpeaker<'a> {
    pub meeting_id: Uuid,
    pub seq: u32,
    pub member_id: Option<Uuid>,
    pub name: &'a str,
    pub opinion: &'a str,
}

const SPEAKER_COLUMNS: &str = "meeting_id, seq, member_id, name, opinion";
const SPEAKER_WIDTH: usize = 5;

/// A multi-row `VALUES` list for SQLite, mixing anonymous `?` placeholders and literals.
struct Values {
    sql: String,
    args: Vec<Arg>,
}

impl Values {
    fn new(head: String) -> Values {
        Values { sql: head, args: Vec::new() }
    }

    fn row(&mut self, first: bool) {
        self.sql.push_str(if first { "(" } else { ", (" });
    }

    fn sep(&mut self) {
        self.sql.push_str(", ");
    }

    fn bind(&mut self, a: impl Into<Arg>) {
        self.args.push(a.into());
        self.sql.push('?');
    }

    /// A code of one of the domain's enums (lowercase ASCII and `_`).
    fn code(&mut self, c: Option<&'static str>) {
        match c {
            Some(c) if c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') => {
                self.sql.push('\'');
                self.sql.push_str(c);
                self.sql.push('\'');
            }
            Some(c) => self.bind(c),
            None => self.sql.push_str("NULL"),
        }
    }

    fn int(&mut self, v: Option<u32>) {
        match v {
            Some(v) => {
                let _ = write!(self.sql, "{v}");
            }
            None => self.sql.push_str("NULL"),
        }
    }

    fn flag(&mut self, v: bool) {
        self.sql.push_str(if v { "TRUE" } else { "FALSE" });
    }

    fn time(&mut self, t: Option<Time>) {
        match t {
            Some(t) => {
                let _ = write!(self.sql, "'{:02}:{:02}'", t.hour(), t.minute());
            }
            None => self.sql.push_str("NULL"),
        }
    }

    /// Free text: bound, except the empty text.
    fn text(&mut self, s: &str) {
        if s.is_empty() {
            self.sql.push_str("''");
        } else {
            self.bind(s);
        }
    }

    /// Run the statement. Every text differs, so it is not kept among the connection's
    /// prepared statements (a hundred of them would hold hundreds of megabytes).
    async fn run(self, e: &mut impl Exec) -> Result<(), StoreError> {
        let mut q = dynamic_sql(self.sql);
        for a in self.args {
            q.push_arg(a);
        }
        q.execute_once(e).await?;
        Ok(())
    }
}

/// Insert meetings (any number, chunked).
pub async fn insert_meetings(e: &mut impl Exec, rows: &[NewMeeting<'_>]) -> Result<(), StoreError> {
    if e.engine() == Engine::Postgres {
        let mut c = CopyRows::new();
        for m in rows {
            c.uuid(Some(m.id));
            c.uuid(Some(m.cell_id));
            c.text(Some(m.kind.code()));
            c.text(Some(m.status.code()));
            c.date(m.held_on);
            c.time(m.starts_at);
            c.time(m.ends_at);
            for t in [m.place, m.agenda] {
                c.text(Some(t));
            }
            for id in [None, m.chair_id, m.recorder_id] {
                c.uuid(id);
            }
            for t in [m.guests, m.followup, m.conclusions, m.resolution] {
                c.text(Some(t));
            }
            let (f, a, b) = match m.votes {
                Some((f, a, b)) => (Some(f), Some(a), Some(b)),
                None => (None, None, None),
            };
            for n in [f, a, b].into_iter().chain(m.counts.map(Some)) {
                c.int(n);
            }
            c.text(m.scores);
            c.int(m.score);
            c.text(m.rating.map(Rating::code));
            c.at(m.approved_at);
            c.text(m.approved_by);
            c.int(Some(1));
            c.at(Some(m.created_at));
            c.at(Some(m.updated_at));
            c.end();
        }
        return c.send(e, "meetings", MEETING_COLUMNS).await;
    }
    for chunk in rows.chunks((PARAMS / MEETING_BOUND).min(ROWS)) {
        let mut v = Values::new(format!("INSERT INTO meetings ({MEETING_COLUMNS}) VALUES "));
        for (i, m) in chunk.iter().enumerate() {
            v.row(i == 0);
            v.bind(m.id);
            v.sep();
            v.bind(m.cell_id);
            v.sep();
            v.code(Some(m.kind.code()));
            v.sep();
            v.code(Some(m.status.code()));
            v.sep();
            v.bind(m.held_on);
            v.sep();
            v.time(m.starts_at);
            v.sep();
            v.time(m.ends_at);
            v.sep();
            v.text(m.place);
            v.sep();
            v.text(m.agenda);
            v.sep();
            v.code(None);
            v.sep();
            v.bind(m.chair_id);
            v.sep();
            v.bind(m.recorder_id);
            for t in [m.guests, m.followup, m.conclusions, m.resolution] {
                v.sep();
                v.text(t);
            }
            let (f, a, b) = match m.votes {
                Some((f, a, b)) => (Some(f), Some(a), Some(b)),
                None => (None, None, None),
            };
            for n in [f, a, b].into_iter().chain(m.counts.map(Some)) {
                v.sep();
                v.int(n);
            }
            v.sep();
            v.bind(m.scores);
            v.sep();
            v.int(m.score);
            v.sep();
            v.code(m.rating.map(Rating::code));
            v.sep();
            v.bind(m.approved_at);
            v.sep();
            v.bind(m.approved_by);
            v.sep();
            v.int(Some(1));
            v.sep();
            v.bind(m.created_at);
            v.sep();
            v.bind(m.updated_at);
            v.sql.push(')');
        }
        v.run(e).await?;
    }
    Ok(())
}

/// Insert roll lines (any number, chunked). Lines sorted by meeting and member insert fastest.
pub async fn insert_attendance(e: &mut impl Exec, rows: &[NewAttendance<'_>]) -> Result<(), StoreError> {
    if e.engine() == Engine::Postgres {
        let mut c = CopyRows::new();
        for r in rows {
            c.uuid(Some(r.meeting_id));
            c.uuid(Some(r.member_id));
            c.text(Some(r.standing.code()));
            c.text(Some(r.attachment.code()));
            c.flag(r.exempt);
            c.flag(r.suspended);
            c.text(r.mark.map(Mark::code));
            c.text(Some(r.reason));
            c.end();
        }
        return c.send(e, "meeting_attendance", ATTENDANCE_COLUMNS).await;
    }
    for chunk in rows.chunks((PARAMS / 3).min(ROWS)) {
        let mut v = Values::new(format!("INSERT INTO meeting_attendance ({ATTENDANCE_COLUMNS}) VALUES "));
        for (i, r) in chunk.iter().enumerate() {
            v.row(i == 0);
            v.bind(r.meeting_id);
            v.sep();
            v.bind(r.member_id);
            v.sep();
            v.code(Some(r.standing.code()));
            v.sep();
            v.code(Some(r.attachment.code()));
            v.sep();
            v.flag(r.exempt);
            v.sep();
            v.flag(r.suspended);
            v.sep();
            v.code(r.mark.map(Mark::code));
            v.sep();
            v.text(r.reason);
            v.sql.push(')');
        }
        v.run(e).await?;
    }
    Ok(())
}

/// Insert speakers (any number, chunked).
pub async fn insert_speakers(e: &mut impl Exec, rows: &[NewSpeaker<'_>]) -> Result<(), StoreError> {
    if e.engine() == Engine::Postgres {
        let mut c = CopyRows::new();
        for s in rows {
            c.uuid(Some(s.meeting_id));
            c.int(Some(s.seq));
            c.uuid(s.member_id);
            c.text(Some(s.name));
            c.text(Some(s.opinion));
            c.end();
        }
        return c.send(e, "meeting_speakers", SPEAKER_COLUMNS).await;
    }
    for chunk in rows.chunks(PARAMS / SPEAKER_WIDTH) {
        let mut q = dynamic_sql(format!(
            "INSERT INTO meeting_speakers ({SPEAKER_COLUMNS}) VALUES {}",
            values_rows(e.engine(), chunk.len(), SPEAKER_WIDTH)
        ));
        for s in chunk {
            q.push_arg(s.meeting_id);
            q.push_arg(s.seq);
            q.push_arg(s.member_id);
            q.push_arg(s.name);
            q.push_arg(s.opinion);
        }
        q.execute(e).await?;
    }
    Ok(())
}

/// Every standard period (year, quarters, months) of the years `first..=today`'s year that has
/// started by `today`.
pub fn standard_periods(first: i32, today: Date) -> Vec<PeriodKey> {
    (first..=today.year())
        .flat_map(PeriodKey::of_year)
        .filter(|k| k.period().is_some_and(|p| p.from <= today))
        .collect()
}

/// Open the periods of `keys` as of `today`, a year's together in one transaction
/// ([`meeting_figures::open_periods_by`]), calling `done` after each year with its periods and
/// the time it took. Periods opened already are left as they are. With `finish`, the bulk load
/// of that id is marked complete in the transaction of the last year (or one of its own when
/// there is none): the figures are a load's last write.
pub async fn open_periods(
    pools: &Pools,
    keys: &[PeriodKey],
    today: Date,
    finish: Option<Uuid>,
    mut done: impl FnMut(&[PeriodKey], Duration),
) -> Result<(), StoreError> {
    let years = keys.chunk_by(|a, b| a.year() == b.year()).collect::<Vec<_>>();
    for (i, year) in years.iter().enumerate() {
        let t = Instant::now();
        let mut tx = pools.begin().await?;
        meeting_figures::open_periods_by(&mut tx, year, today, meeting_figures::OPEN_CELLS).await?;
        if let Some(load) = finish.filter(|_| i + 1 == years.len()) {
            crate::loads::finish(&mut tx, load).await?;
        }
        tx.commit().await?;
        done(year, t.elapsed());
    }
    if let Some(load) = finish.filter(|_| years.is_empty()) {
        let mut tx = pools.begin().await?;
        crate::loads::finish(&mut tx, load).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// The tables of the meetings themselves.
pub const ROW_TABLES: &[&str] = &["meetings", "meeting_attendance", "meeting_speakers"];
/// The tables of the kept figures.
pub const FIGURE_TABLES: &[&str] = &["meeting_cells", "meeting_rollup", "meeting_periods"];

/// Refresh the planner's statistics of `tables` (among [`ROW_TABLES`] and [`FIGURE_TABLES`])
/// after a bulk load; on PostgreSQL with VACUUM, which index-only scans need.
pub async fn analyze(pools: &Pools, tables: &[&'static str]) -> Result<(), StoreError> {
    let known = |t: &&str| ROW_TABLES.contains(t) || FIGURE_TABLES.contains(t);
    let tables: Vec<&str> = tables.iter().copied().filter(known).collect();
    if tables.is_empty() {
        return Ok(());
    }
    match pools {
        Pools::Postgres(_) => {
            let mut c = pools.read().await?;
            dynamic_sql(format!("VACUUM ANALYZE {}", tables.join(", "))).execute(&mut c).await?;
        }
        Pools::Sqlite { .. } => {
            let mut tx = pools.begin().await?;
            for t in tables {
                dynamic_sql(format!("ANALYZE {t}")).execute(&mut tx).await?;
            }
            tx.commit().await?;
        }
    }
    Ok(())
}
