//! The cells' meetings (*sinh hoạt chi bộ*) from 1 January of the year before [`AS_OF`] to
//! the month after it, generated commune by commune so that the nation scale (about 3.2
//! million meetings and 60 million attendance lines a year) never sits in memory.
//!
//! Every cell holds one regular meeting a month, on a working day early in the month (each
//! cell has its day, "ngày 5 hằng tháng", moved past weekends, public holidays and Tết), in the
//! evening or the morning for the villages and residential groups and in working hours for the
//! agencies. About 3% of cells miss one or two months in a year. About 88% hold a thematic
//! meeting every quarter, mostly together with a regular one (*kết hợp*); the others miss one
//! or two quarters. About one cell in eight holds an extraordinary meeting in a year.
//! Committee meetings (*họp chi ủy*) are not generated.
//!
//! The roll of each meeting is [`chibo_domain::meeting::roll_row`] of the members' replayed
//! spans and their exemption on the day, as the application computes it. Marks follow each
//! member's habits: most come (about 92% of the attendance base), a few are often away for
//! work ("Đi làm ăn xa") or ill, a few skip without reason, members out of contact are absent
//! without reason, the exempt are marked exempt (some come anyway). Meetings before the month
//! of [`AS_OF`] have approved minutes with a rating from [`assess`] on the default sheet
//! (judged scores drawn mostly good or fair); those of the month of [`AS_OF`] are held, minutes
//! not yet approved nor rated; those after it are scheduled, with their invitations (no mark).
//! Rates are invented for demo purposes.

use crate::admin::admin;
use crate::careers::Category;
use crate::people::People;
use crate::pick::{chance, one_of};
use crate::tree::Built;
use crate::{AS_OF, DemoMember, make_id, mix};
use chibo_domain::date::ymd;
use chibo_domain::life::{Event, EventKind, state_on};
use chibo_domain::meeting::{
    Attachment, Counts, DEFAULT_SHEET, Facts, Line, Mark, MeetingKind, MeetingStatus, MinutesContent, Rating, RollRow,
    assess, counts, roll_row, vote_base,
};
use chibo_domain::rules::{ATTENDANCE_STANDARD, in_force};
use chibo_domain::workdays::is_working_day;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use time::macros::{date, offset, time};
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time};
use uuid::Uuid;

/// Meeting ids follow a counter of their own: [`PER_CELL`] per cell, by cell index (see
/// [`make_id`]), so they increase in the order the meetings are written.
const MEETING_IDS: u64 = 1 << 45;
const PER_CELL: u64 = 128;
const SALT: u64 = 0x3EE7_0000_0000_0000;
const HABIT_SALT: u64 = 0x4AB1_0000_0000_0000;

/// The first year with meetings: the year before [`AS_OF`].
pub const FIRST_YEAR: i32 = AS_OF.year() - 1;

/// One meeting, as the registry keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoMeeting {
    pub id: Uuid,
    pub cell_id: Uuid,
    pub kind: MeetingKind,
    pub status: MeetingStatus,
    pub held_on: Date,
    pub starts_at: Time,
    /// `None` while scheduled.
    pub ends_at: Option<Time>,
    pub place: String,
    pub agenda: String,
    pub chair_id: Option<Uuid>,
    pub recorder_id: Option<Uuid>,
    pub guests: String,
    /// The follow-up of the previous resolution (*kiểm điểm việc thực hiện nghị quyết kỳ trước*).
    pub followup: String,
    pub conclusions: String,
    pub resolution: String,
    /// Votes on the resolution: for, against, abstaining.
    pub votes: Option<(u32, u32, u32)>,
    /// [`counts`] of the attendance lines.
    pub counts: Counts,
    /// Judged scores (criterion code, points) of the rated meetings (approved minutes).
    pub scores: Vec<(&'static str, u32)>,
    pub score: Option<u32>,
    pub rating: Option<Rating>,
    pub approved_at: Option<OffsetDateTime>,
    pub approved_by: Option<String>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl DemoMeeting {
    /// "08:00".
    pub fn time_text(t: Time) -> String {
        format!("{:02}:{:02}", t.hour(), t.minute())
    }

    /// The judged scores as the JSON object the registry stores (`None` when not rated).
    pub fn scores_json(&self) -> Option<String> {
        (!self.scores.is_empty()).then(|| {
            let parts: Vec<String> = self.scores.iter().map(|(c, p)| format!("\"{c}\":{p}")).collect();
            format!("{{{}}}", parts.join(","))
        })
    }
}

/// One member on a meeting's roll, as they stood that day, and their mark (`None`: invited to
/// a meeting not yet held, or attached to another cell).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoAttendance {
    pub meeting_id: Uuid,
    pub row: RollRow,
    pub mark: Option<Mark>,
    pub reason: &'static str,
}

/// A member who spoke, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSpeaker {
    pub meeting_id: Uuid,
    pub seq: u32,
    pub member_id: Uuid,
    pub name: String,
    pub opinion: &'static str,
}

/// The meetings of some communes' cells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingBatch {
    pub meetings: Vec<DemoMeeting>,
    pub attendance: Vec<DemoAttendance>,
    pub speakers: Vec<DemoSpeaker>,
    /// Cells covered (with or without meetings).
    pub cells: usize,
}

impl MeetingBatch {
    pub fn is_empty(&self) -> bool {
        self.cells == 0
    }
}

/// The stream of meetings, commune after commune, from [`crate::Generator::meetings`]. It
/// generates the members again (the same ones, about a million a second), so it does not
/// depend on the member stream having been read.
pub struct Meetings<'g> {
    built: &'g Built,
    people: People,
    seed: u64,
    commune: usize,
    days: Days,
}

impl<'g> Meetings<'g> {
    pub(crate) fn new(built: &'g Built, seed: u64) -> Meetings<'g> {
        Meetings { built, people: People::new(seed, built.orgs.len() as u64), seed, commune: 0, days: Days::new() }
    }

    /// Every cell the stream covers.
    pub fn cells_total(&self) -> usize {
        self.built.cells.len()
    }

    /// The meetings of the next communes: whole communes until at least `min_lines` attendance
    /// lines (one commune at least); an empty batch at the end. The sequence does not depend
    /// on `min_lines`.
    pub fn next_batch(&mut self, min_lines: usize) -> MeetingBatch {
        let mut out = MeetingBatch::default();
        while out.attendance.len() < min_lines.max(1) && self.commune < self.built.communes.len() {
            self.commune_meetings(self.commune, &mut out);
            self.commune += 1;
        }
        out
    }

    fn commune_meetings(&mut self, c: usize, out: &mut MeetingBatch) {
        let built = self.built;
        let plan = &built.communes[c];
        // Transfers and attachments stay within the commune: its members are every roll.
        let mut members: Vec<DemoMember> = Vec::new();
        for i in plan.cells.clone() {
            let cell = &built.cells[i as usize];
            let batch = self.people.next(built, cell.members as usize);
            debug_assert!(batch.iter().all(|m| m.org_id == built.orgs[cell.org as usize].id));
            members.extend(batch);
        }
        let mut by_cell: HashMap<Uuid, Vec<usize>> = HashMap::new();
        for (k, m) in members.iter().enumerate() {
            let mut seen: Vec<Uuid> = Vec::with_capacity(2);
            for s in &m.now.spans {
                if !seen.contains(&s.org_id) {
                    seen.push(s.org_id);
                    by_cell.entry(s.org_id).or_default().push(k);
                }
            }
        }
        let unit = &admin().units[plan.unit];
        let commune_name = lower_first(unit.name);
        for i in plan.cells.clone() {
            let cell_id = built.orgs[built.cells[i as usize].org as usize].id;
            let mut roll = by_cell.remove(&cell_id).unwrap_or_default();
            // The cell's own members first, in the order admitted (the leaders lead).
            roll.sort_by_key(|&k| (members[k].org_id != cell_id, k));
            self.cell_meetings(i as usize, &commune_name, &members, &roll, out);
            out.cells += 1;
        }
    }

    fn cell_meetings(&self, i: usize, commune: &str, members: &[DemoMember], roll: &[usize], out: &mut MeetingBatch) {
        let built = self.built;
        let plan = &built.cells[i];
        let org = &built.orgs[plan.org as usize];
        let mut rng = StdRng::seed_from_u64(mix(self.seed, SALT + i as u64));
        let style = Style::new(&mut rng, plan.category, &org.input.name, commune);
        let planned = self.plan(&mut rng, plan.category);
        let people: Vec<Person> = roll.iter().map(|&k| Person::new(self.seed, &members[k])).collect();
        let mut habits: Vec<Habit> = people.iter().map(|p| p.habit).collect();
        let mut runs: Vec<(i32, u32)> = vec![(0, 0); roll.len()];
        let max_run = |on: Date| in_force(ATTENDANCE_STANDARD, on).map(|r| r.value.max_excused_run);
        let mut previous: Option<(i32, u8)> = None;
        for (n, p) in planned.iter().enumerate() {
            let id = make_id(MEETING_IDS + i as u64 * PER_CELL + n as u64, rng.random());
            let held = p.status.was_held();
            let mut lines: Vec<(usize, Line, &'static str)> = Vec::with_capacity(roll.len());
            for (j, &k) in roll.iter().enumerate() {
                let m = &members[k];
                let (exempt, lost) = people[j].on(p.on);
                let Some(row) = roll_row(m.id, org.id, p.on, &m.now.spans, exempt, false) else { continue };
                if !row.standing.is_active() {
                    continue;
                }
                let (mark, reason) = if !held || row.attachment == Attachment::AttachedElsewhere {
                    (None, "")
                } else if row.exempt {
                    (Some(if chance(&mut rng, 100) { Mark::Present } else { Mark::Exempt }), "")
                } else if lost {
                    (Some(Mark::Unexcused), "")
                } else {
                    let (mark, reason) = habits[j].mark(&mut rng, plan.category);
                    (Some(mark), reason)
                };
                lines.push((j, Line { row, mark }, reason));
            }
            if !lines.iter().any(|(_, l, _)| l.row.attachment != Attachment::AttachedElsewhere) {
                continue;
            }
            let just: Vec<Line> = lines.iter().map(|(_, l, _)| *l).collect();
            let c = counts(&just);
            // Runs of absences with reason within the year, as `streak::over_excused_run` walks them.
            let mut over = 0;
            if held && p.kind.is_cell_meeting() {
                let limit = max_run(p.on);
                for (j, l, _) in &lines {
                    let Some(mark) = l.mark else { continue };
                    let r = &mut runs[*j];
                    if r.0 != p.on.year() {
                        *r = (p.on.year(), 0);
                    }
                    match mark {
                        Mark::Present | Mark::Unexcused => r.1 = 0,
                        Mark::Excused => r.1 += 1,
                        Mark::Exempt | Mark::SpecialDuty => {}
                    }
                    if mark == Mark::Excused && limit.is_some_and(|max| r.1 > max) {
                        over += 1;
                    }
                }
            }
            let present: Vec<usize> = lines
                .iter()
                .filter(|(_, l, _)| l.mark == Some(Mark::Present) && !l.row.exempt)
                .map(|(j, _, _)| *j)
                .collect();
            let leads: Vec<usize> = lines
                .iter()
                .filter(|(_, l, _)| {
                    l.mark == Some(Mark::Present) && !l.row.exempt && l.row.attachment == Attachment::Home
                })
                .map(|(j, _, _)| *j)
                .collect();
            let member_of = |j: usize| &members[roll[j]];
            let chair = held.then(|| leads.first().copied()).flatten();
            let recorder = held.then(|| leads.get(1).copied()).flatten();
            let duration = if held { minutes(p.kind, &mut rng) } else { 0 };
            let starts_at = style.start;
            let ends_at = held.then(|| starts_at + Duration::minutes(i64::from(duration)));

            // Speakers: at least a third of those present, now and then fewer.
            let mut speakers: Vec<usize> = Vec::new();
            if held {
                let pool: Vec<usize> =
                    present.iter().copied().filter(|j| Some(*j) != chair || present.len() < 2).collect();
                let need = present.len().div_ceil(3);
                let k = if chance(&mut rng, 60) {
                    need.saturating_sub(rng.random_range(1..=2)).max(1)
                } else {
                    need + rng.random_range(0..=present.len() / 5)
                };
                speakers = pool;
                for s in 0..k.min(speakers.len()) {
                    let t = rng.random_range(s..speakers.len());
                    speakers.swap(s, t);
                }
                speakers.truncate(k);
            }

            let (y, month) = (p.on.year(), u8::from(p.on.month()));
            let task = task(plan.category, month, y);
            let topic = p.topic;
            let agenda = agenda(p.kind, month, y, task, topic, p.reason);
            let mut followup = String::new();
            let mut conclusions = String::new();
            let mut resolution = String::new();
            let mut votes = None;
            let mut guests = String::new();
            if held {
                if let Some((py, pm)) = previous.filter(|_| p.kind.counts_as_regular()) {
                    followup = one_of(&mut rng, FOLLOWUP).replace("{m}", &format!("{pm}/{py}"));
                }
                conclusions = match p.kind {
                    MeetingKind::Thematic => one_of(&mut rng, THEMATIC_CONCLUSIONS).to_string(),
                    _ => one_of(&mut rng, CONCLUSIONS).to_string(),
                };
                resolution = match (p.kind, p.reason) {
                    (MeetingKind::Thematic, _) => String::new(),
                    (MeetingKind::Extraordinary, Some(r)) => format!("Chi bộ thống nhất: {}.", lower_first(r)),
                    _ => format!("Nghị quyết tháng {month}/{y}: {task}; đảng viên đóng đảng phí đầy đủ, đúng hạn."),
                };
                if !resolution.is_empty() {
                    let b = vote_base(&just);
                    let against = u32::from(b.present > 4 && chance(&mut rng, 50));
                    let f = b.present - against;
                    if chibo_domain::meeting::check_resolution(p.on, f, b.base).is_ok() {
                        votes = Some((f, against, 0));
                    }
                }
                let guest_share = if p.kind == MeetingKind::Regular { 200 } else { 500 };
                if chance(&mut rng, guest_share) {
                    guests = format!("Đồng chí {}, đảng ủy viên phụ trách chi bộ", style.guest);
                }
            }
            let mut scores = Vec::new();
            let (mut score, mut rating) = (None, None);
            if p.status == MeetingStatus::Approved {
                let facts = Facts {
                    on: p.on,
                    kind: p.kind,
                    duration_minutes: duration,
                    counts: c,
                    speakers: speakers.len() as u32,
                    minutes: MinutesContent {
                        time: true,
                        place: true,
                        chair: chair.is_some(),
                        recorder: recorder.is_some(),
                        agenda: true,
                        opinions: !speakers.is_empty(),
                        conclusions: true,
                    },
                    over_excused_run: over,
                };
                scores = judged(&mut rng);
                if let Ok(a) = assess(&DEFAULT_SHEET, &facts, &scores) {
                    (score, rating) = (Some(a.score), Some(a.rating));
                }
            }
            let at = |d: Date, t: Time| PrimitiveDateTime::new(d, t).assume_offset(offset!(+7));
            let created_at = at(p.on - Duration::days(rng.random_range(5..=12)), time!(08:30));
            let approved_at = (p.status == MeetingStatus::Approved)
                .then(|| at(p.on + Duration::days(rng.random_range(1..=6)), time!(16:30)));
            let updated_at = approved_at.or_else(|| ends_at.map(|e| at(p.on, e))).unwrap_or(created_at);
            out.meetings.push(DemoMeeting {
                id,
                cell_id: org.id,
                kind: p.kind,
                status: p.status,
                held_on: p.on,
                starts_at,
                ends_at,
                place: style.place.clone(),
                agenda,
                chair_id: chair.map(|j| member_of(j).id),
                recorder_id: recorder.map(|j| member_of(j).id),
                guests,
                followup,
                conclusions,
                resolution,
                votes,
                counts: c,
                scores,
                score,
                rating,
                approved_at,
                approved_by: approved_at.and_then(|_| chair.map(|j| member_of(j).now.input.full_name())),
                created_at,
                updated_at,
            });
            out.attendance.extend(lines.iter().map(|(_, l, reason)| DemoAttendance {
                meeting_id: id,
                row: l.row,
                mark: l.mark,
                reason,
            }));
            for (seq, &j) in speakers.iter().enumerate() {
                out.speakers.push(DemoSpeaker {
                    meeting_id: id,
                    seq: seq as u32 + 1,
                    member_id: member_of(j).id,
                    name: member_of(j).now.input.full_name(),
                    opinion: one_of(&mut rng, OPINIONS),
                });
            }
            if held && p.kind.counts_as_regular() {
                previous = Some((y, month));
            }
        }
    }

    /// The meetings a cell plans from January of [`FIRST_YEAR`] to the month after [`AS_OF`],
    /// by date.
    fn plan(&self, rng: &mut StdRng, category: Category) -> Vec<Planned> {
        let day = rng.random_range(1..=8u8);
        let last = chibo_domain::date::add_months(AS_OF.replace_day(1).unwrap_or(AS_OF), 1);
        let mut out: Vec<Planned> = Vec::new();
        for y in FIRST_YEAR..=last.year() {
            // Months missed (about 3% of cells a year) and quarters without a thematic meeting.
            let mut missed: Vec<u8> = Vec::new();
            if chance(rng, 30) {
                for _ in 0..rng.random_range(1..=2) {
                    missed.push(rng.random_range(1..=12));
                }
            }
            let mut no_thematic: Vec<u8> = Vec::new();
            if !chance(rng, 880) {
                for _ in 0..rng.random_range(1..=2) {
                    no_thematic.push(rng.random_range(1..=4));
                }
            }
            // Per quarter: the month of the thematic meeting and whether it is held apart.
            let mut thematic: [(u8, bool); 4] = [(0, false); 4];
            for (q, t) in thematic.iter_mut().enumerate() {
                if no_thematic.contains(&(q as u8 + 1)) {
                    continue;
                }
                let m = q as u8 * 3 + [1, 2, 2, 3, 3][rng.random_range(0..5)];
                *t = (m, !chance(rng, 850));
            }
            let topics = topics(y, category);
            let extraordinary = chance(rng, 120).then(|| rng.random_range(1..=12u8));
            for m in 1..=12u8 {
                let Some(first) = ymd(y, m, 1) else { continue };
                if first > last {
                    break;
                }
                let next_month = first == last;
                let (tm, apart) = thematic[usize::from((m - 1) / 3)];
                let topic = (tm == m).then(|| one_of(rng, topics));
                if !missed.contains(&m) || next_month {
                    let on = self.days.on_or_after(ymd(y, m, day).unwrap_or(first));
                    let kind = if topic.is_some() && !apart { MeetingKind::Combined } else { MeetingKind::Regular };
                    let topic = if kind == MeetingKind::Combined { topic } else { None };
                    out.push(Planned::new(on, kind, topic, None));
                }
                if let Some(t) = topic.filter(|_| apart) {
                    let on = self.days.on_or_after(ymd(y, m, rng.random_range(14..=24)).unwrap_or(first));
                    out.push(Planned::new(on, MeetingKind::Thematic, Some(t), None));
                }
                if extraordinary == Some(m) {
                    let on = self.days.on_or_after(ymd(y, m, rng.random_range(12..=26)).unwrap_or(first));
                    let reason = extraordinary_reason(rng, y, m);
                    if on <= AS_OF && !out.iter().any(|p| p.on == on) {
                        out.push(Planned::new(on, MeetingKind::Extraordinary, None, Some(reason)));
                    }
                }
            }
        }
        out.sort_by_key(|p| p.on);
        out
    }
}

/// A meeting a cell plans.
struct Planned {
    on: Date,
    kind: MeetingKind,
    status: MeetingStatus,
    topic: Option<&'static str>,
    reason: Option<&'static str>,
}

impl Planned {
    fn new(on: Date, kind: MeetingKind, topic: Option<&'static str>, reason: Option<&'static str>) -> Planned {
        let this_month = (on.year(), on.month()) == (AS_OF.year(), AS_OF.month());
        let status = if on > AS_OF {
            MeetingStatus::Scheduled
        } else if this_month {
            MeetingStatus::Held
        } else {
            MeetingStatus::Approved
        };
        Planned { on, kind, status, topic, reason }
    }
}

/// How long a meeting of `kind` lasts in minutes, now and then too short.
fn minutes(kind: MeetingKind, rng: &mut StdRng) -> u32 {
    let short = chance(rng, 35);
    let m = match (kind, short) {
        (MeetingKind::Combined, false) => rng.random_range(24..=33),
        (MeetingKind::Combined, true) => rng.random_range(20..=23),
        (_, false) => rng.random_range(18..=28),
        (_, true) => rng.random_range(14..=17),
    };
    m * 5
}

/// Where and when a cell meets, and who from the commune committee follows it.
struct Style {
    place: String,
    start: Time,
    guest: &'static str,
}

impl Style {
    fn new(rng: &mut StdRng, category: Category, name: &str, commune: &str) -> Style {
        let rest = name.strip_prefix("Chi bộ ").unwrap_or(name);
        let place = match category {
            Category::Village => format!("Nhà văn hóa {rest}"),
            Category::Street if chance(rng, 400) => format!("Nhà sinh hoạt cộng đồng {rest}"),
            Category::Street => format!("Nhà văn hóa {rest}"),
            Category::PartyOffice => format!("Phòng họp Đảng ủy {commune}"),
            Category::Government => format!("Phòng họp Ủy ban nhân dân {commune}"),
            Category::Front => format!("Phòng họp Ủy ban Mặt trận Tổ quốc Việt Nam {commune}"),
            Category::Military => format!("Phòng họp Ban Chỉ huy Quân sự {commune}"),
            Category::Police => format!("Phòng họp Công an {commune}"),
            _ if rest.starts_with("Phòng ") || rest.starts_with("Khoa ") => format!("Phòng giao ban {rest}"),
            _ => format!("Phòng họp {rest}"),
        };
        let start = match category {
            Category::Village | Category::Street => {
                one_of(rng, &[time!(19:30), time!(19:30), time!(19:30), time!(19:00), time!(08:00), time!(14:00)])
            }
            _ => one_of(rng, &[time!(14:00), time!(14:00), time!(08:00), time!(08:00), time!(15:30), time!(16:00)]),
        };
        Style { place, start, guest: one_of(rng, GUESTS) }
    }
}

/// A member's habits of attendance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Habit {
    /// Almost always there.
    Steady,
    /// Works away for spells of months (*đi làm ăn xa*).
    Away { away: bool },
    /// Often absent, now and then without a reason.
    Lax,
    /// Old or ill: often excused.
    Frail,
}

impl Habit {
    fn mark(&mut self, rng: &mut StdRng, category: Category) -> (Mark, &'static str) {
        let duty = matches!(category, Category::Police | Category::Military);
        if duty && matches!(self, Habit::Steady) && chance(rng, 30) {
            return (Mark::SpecialDuty, "Làm nhiệm vụ");
        }
        let r = rng.random_range(0..1000u32);
        match self {
            Habit::Steady => match r {
                0..950 => (Mark::Present, ""),
                950..996 => (Mark::Excused, one_of(rng, REASONS)),
                _ => (Mark::Unexcused, ""),
            },
            Habit::Away { away } => {
                let turn = rng.random_range(0..1000u32);
                *away = if *away { turn >= 300 } else { turn < 120 };
                match (*away, r) {
                    (true, 0..100) | (false, 0..880) => (Mark::Present, ""),
                    (true, 100..950) => (Mark::Excused, "Đi làm ăn xa"),
                    (false, 880..985) => (Mark::Excused, one_of(rng, REASONS)),
                    _ => (Mark::Unexcused, ""),
                }
            }
            Habit::Lax => match r {
                0..600 => (Mark::Present, ""),
                600..760 => (Mark::Excused, one_of(rng, REASONS)),
                _ => (Mark::Unexcused, ""),
            },
            Habit::Frail => match r {
                0..620 => (Mark::Present, ""),
                _ => (Mark::Excused, one_of(rng, &["Ốm", "Ốm", "Tuổi cao, sức yếu", "Đi viện"])),
            },
        }
    }
}

/// A member on a cell's roll: habits, and the events that change the roll or the mark on a day.
struct Person<'a> {
    habit: Habit,
    /// The events, when some of them exempt the member or mark them out of contact.
    events: Option<&'a [Event]>,
}

impl<'a> Person<'a> {
    fn new(seed: u64, m: &'a DemoMember) -> Person<'a> {
        let r = mix(seed, HABIT_SALT ^ m.id.as_u128() as u64) % 1000;
        let old = m.now.input.birth_date.year() <= 1950;
        let habit = match r {
            _ if old && r < 150 => Habit::Frail,
            0..905 => Habit::Steady,
            905..965 => Habit::Away { away: false },
            965..988 => Habit::Lax,
            _ => Habit::Frail,
        };
        let special = m.events.iter().any(|e| matches!(e.kind, EventKind::ExemptionStarted | EventKind::ContactLost));
        Person { habit, events: special.then_some(m.events.as_slice()) }
    }

    /// Exempt, and out of contact, on `on`.
    fn on(&self, on: Date) -> (bool, bool) {
        match self.events {
            None => (false, false),
            Some(events) => {
                let s = state_on(events, on);
                (s.exempt_since.is_some(), s.out_of_contact_since.is_some())
            }
        }
    }
}

/// Working days for meetings: [`is_working_day`] and the lunar holidays it does not compute
/// (Tết Nguyên đán and Giỗ Tổ Hùng Vương, the days off announced for 2024–2027).
struct Days {
    first: Date,
    working: Vec<bool>,
}

const LUNAR_HOLIDAYS: &[(Date, Date)] = &[
    (date!(2024 - 02 - 08), date!(2024 - 02 - 14)),
    (date!(2024 - 04 - 18), date!(2024 - 04 - 18)),
    (date!(2025 - 01 - 25), date!(2025 - 02 - 02)),
    (date!(2025 - 04 - 07), date!(2025 - 04 - 07)),
    (date!(2026 - 02 - 14), date!(2026 - 02 - 22)),
    (date!(2026 - 04 - 27), date!(2026 - 04 - 27)),
    (date!(2027 - 02 - 05), date!(2027 - 02 - 10)),
    (date!(2027 - 04 - 16), date!(2027 - 04 - 16)),
];

impl Days {
    fn new() -> Days {
        let first = ymd(FIRST_YEAR, 1, 1).unwrap_or(AS_OF);
        let end = ymd(AS_OF.year() + 2, 1, 1).unwrap_or(AS_OF);
        let mut working = Vec::new();
        let mut d = first;
        while d < end {
            let lunar = LUNAR_HOLIDAYS.iter().any(|(a, b)| *a <= d && d <= *b);
            working.push(!lunar && is_working_day(d));
            d += Duration::days(1);
        }
        Days { first, working }
    }

    /// The first working day on or after `d`.
    fn on_or_after(&self, mut d: Date) -> Date {
        for _ in 0..30 {
            let i = (d - self.first).whole_days();
            let working = usize::try_from(i).ok().and_then(|i| self.working.get(i).copied());
            if working != Some(false) {
                return d;
            }
            d += Duration::days(1);
        }
        d
    }
}

/// Judged scores: preparation (20), principles and criticism (10), the resolution carried out
/// (15); mostly good, some fair, a few average, rarely poor.
fn judged(rng: &mut StdRng) -> Vec<(&'static str, u32)> {
    let ((p0, p1), (c0, c1), (r0, r1)) = match rng.random_range(0..1000u32) {
        0..560 => ((18, 20), (9, 10), (13, 15)),
        560..900 => ((15, 18), (7, 9), (11, 14)),
        900..985 => ((10, 15), (5, 8), (7, 11)),
        _ => ((4, 10), (2, 5), (3, 7)),
    };
    vec![
        ("preparation", rng.random_range(p0..=p1)),
        ("principles", rng.random_range(c0..=c1)),
        ("resolution", rng.random_range(r0..=r1)),
    ]
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    let first: String = chars.next().into_iter().flat_map(char::to_lowercase).collect();
    format!("{first}{}", chars.as_str())
}

fn agenda(kind: MeetingKind, month: u8, year: i32, task: &str, topic: Option<&str>, reason: Option<&str>) -> String {
    let prev = if month == 1 { format!("12/{}", year - 1) } else { format!("{}/{year}", month - 1) };
    let regular = format!(
        "1. Thông tin thời sự, quán triệt văn bản mới của cấp trên.\n\
         2. Kiểm điểm việc thực hiện nghị quyết tháng {prev}.\n\
         3. Bàn nhiệm vụ tháng {month}/{year}: {task}.\n\
         4. Thu đảng phí tháng {month}/{year}."
    );
    match (kind, topic, reason) {
        (MeetingKind::Combined, Some(t), _) => format!("{regular}\n5. Sinh hoạt chuyên đề: {t}."),
        (MeetingKind::Thematic, Some(t), _) => format!(
            "Sinh hoạt chuyên đề: {t}.\n1. Đồng chí bí thư chi bộ giới thiệu nội dung chuyên đề.\n\
             2. Đảng viên thảo luận, liên hệ thực tiễn của chi bộ.\n3. Đăng ký việc làm cụ thể."
        ),
        (MeetingKind::Extraordinary, _, Some(r)) => format!("Sinh hoạt bất thường: {}.", lower_first(r)),
        _ => regular,
    }
}

/// The month's main task of a cell.
fn task(category: Category, month: u8, year: i32) -> &'static str {
    let i = usize::from(month.clamp(1, 12) - 1);
    if month == 12 {
        return "kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên cuối năm";
    }
    if year == 2025 && month == 6 && !matches!(category, Category::Village | Category::Street) {
        return "chuẩn bị vận hành chính quyền địa phương hai cấp từ ngày 01/7/2025";
    }
    match category {
        Category::Village => VILLAGE_TASKS[i],
        Category::Street => STREET_TASKS[i],
        Category::PartyOffice => "tham mưu công tác xây dựng Đảng, kiểm tra, giám sát của Đảng ủy",
        Category::Government => "cải cách hành chính, giải quyết thủ tục hành chính cho người dân đúng hạn",
        Category::Front => "vận động nhân dân, chăm lo an sinh xã hội và Quỹ Vì người nghèo",
        Category::Military => "huấn luyện dân quân, trực sẵn sàng chiến đấu, công tác tuyển quân",
        Category::Police => "giữ gìn an ninh chính trị, trật tự an toàn xã hội trên địa bàn",
        Category::Health => "khám, chữa bệnh ban đầu, tiêm chủng mở rộng, phòng, chống dịch bệnh",
        Category::School => "nâng cao chất lượng dạy và học, giữ gìn kỷ cương, nề nếp nhà trường",
        Category::Coop => "cung ứng giống, vật tư, dịch vụ thủy lợi phục vụ sản xuất của xã viên",
        Category::Credit => "huy động vốn, cho vay, thu hồi nợ, bảo đảm an toàn hoạt động của Quỹ",
        Category::Company => "sản xuất kinh doanh, bảo đảm việc làm, thu nhập cho người lao động",
        Category::Hospital => "khám, chữa bệnh, nâng cao chất lượng phục vụ người bệnh",
    }
}

const VILLAGE_TASKS: [&str; 12] = [
    "chuẩn bị đón Tết Nguyên đán, thăm hỏi, tặng quà gia đình chính sách, hộ nghèo",
    "tổ chức vui xuân, đón Tết an toàn, tiết kiệm; phát động Tết trồng cây",
    "chăm sóc lúa và hoa màu vụ đông xuân, phòng trừ sâu bệnh",
    "kỷ niệm ngày Giải phóng miền Nam, thống nhất đất nước 30/4 và Quốc tế Lao động 1/5",
    "thu hoạch vụ đông xuân; kỷ niệm ngày sinh Chủ tịch Hồ Chí Minh 19/5",
    "chuẩn bị sản xuất vụ hè thu; phòng, chống đuối nước cho trẻ em dịp hè",
    "kỷ niệm ngày Thương binh – Liệt sĩ 27/7, thăm hỏi các gia đình chính sách",
    "phòng, chống thiên tai, bão lũ; kỷ niệm Cách mạng Tháng Tám và Quốc khánh 2/9",
    "tổ chức Tết Trung thu cho thiếu nhi; vận động học sinh đến trường năm học mới",
    "thu hoạch vụ hè thu, chuẩn bị vụ đông; kỷ niệm ngày Phụ nữ Việt Nam 20/10",
    "tổ chức Ngày hội Đại đoàn kết toàn dân tộc 18/11 ở khu dân cư",
    "",
];

const STREET_TASKS: [&str; 12] = [
    "chuẩn bị đón Tết Nguyên đán, thăm hỏi, tặng quà gia đình chính sách, hộ nghèo",
    "đón Tết an toàn, tiết kiệm; bảo đảm an ninh trật tự dịp lễ hội đầu xuân",
    "giữ gìn vệ sinh môi trường, trật tự đô thị; ra quân tháng Thanh niên",
    "kỷ niệm ngày Giải phóng miền Nam, thống nhất đất nước 30/4 và Quốc tế Lao động 1/5",
    "kỷ niệm ngày sinh Chủ tịch Hồ Chí Minh 19/5; phòng, chống sốt xuất huyết",
    "phòng, chống đuối nước cho trẻ em dịp hè; phòng cháy, chữa cháy ở khu dân cư",
    "kỷ niệm ngày Thương binh – Liệt sĩ 27/7, thăm hỏi các gia đình chính sách",
    "phòng, chống thiên tai, bão lũ; kỷ niệm Cách mạng Tháng Tám và Quốc khánh 2/9",
    "tổ chức Tết Trung thu cho thiếu nhi; vận động học sinh đến trường năm học mới",
    "kỷ niệm ngày Phụ nữ Việt Nam 20/10; xây dựng tổ dân phố văn minh, sạch đẹp",
    "tổ chức Ngày hội Đại đoàn kết toàn dân tộc 18/11 ở khu dân cư",
    "",
];

/// The thematic topics a cell may choose in `year`.
fn topics(year: i32, category: Category) -> &'static [&'static str] {
    let rural = matches!(category, Category::Village | Category::Coop);
    match (year, rural) {
        (2025, true) => TOPICS_2025_RURAL,
        (2025, false) => TOPICS_2025,
        (2026, true) => TOPICS_2026_RURAL,
        (2026, false) => TOPICS_2026,
        (_, true) => TOPICS_RURAL,
        (_, false) => TOPICS,
    }
}

macro_rules! topic_lists {
    ($($name:ident = [$($extra:literal),*];)*) => {
        $(const $name: &[&str] = &[
            $($extra,)*
            "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về tinh thần trách nhiệm, gương mẫu của đảng viên",
            "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về thực hành tiết kiệm, chống lãng phí",
            "Nâng cao chất lượng sinh hoạt chi bộ",
            "Bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác các quan điểm sai trái, thù địch",
            "Phòng, chống tham nhũng, lãng phí, tiêu cực",
            "Đẩy mạnh chuyển đổi số ở cơ sở",
        ];)*
    };
}

topic_lists! {
    TOPICS = [];
    TOPICS_RURAL = ["Xây dựng nông thôn mới nâng cao, nông thôn mới kiểu mẫu"];
    TOPICS_2025 = [
        "Quán triệt Chỉ thị 45-CT/TW về đại hội đảng bộ các cấp tiến tới Đại hội XIV của Đảng",
        "Sắp xếp tổ chức bộ máy, vận hành chính quyền địa phương hai cấp"
    ];
    TOPICS_2025_RURAL = [
        "Quán triệt Chỉ thị 45-CT/TW về đại hội đảng bộ các cấp tiến tới Đại hội XIV của Đảng",
        "Xây dựng nông thôn mới nâng cao, nông thôn mới kiểu mẫu"
    ];
    TOPICS_2026 = [
        "Nghiên cứu, học tập, quán triệt Nghị quyết Đại hội XIV của Đảng",
        "Bầu cử đại biểu Quốc hội khóa XVI và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026–2031"
    ];
    TOPICS_2026_RURAL = [
        "Nghiên cứu, học tập, quán triệt Nghị quyết Đại hội XIV của Đảng",
        "Xây dựng nông thôn mới nâng cao, nông thôn mới kiểu mẫu"
    ];
}

fn extraordinary_reason(rng: &mut StdRng, year: i32, month: u8) -> &'static str {
    let mut reasons = vec![
        "Xem xét, đề nghị kết nạp quần chúng ưu tú vào Đảng",
        "Xét, đề nghị công nhận đảng viên chính thức",
        "Kiện toàn, bầu bổ sung chi ủy viên",
        "Xem xét, đề nghị thi hành kỷ luật đảng viên vi phạm",
    ];
    if year == 2025 && month <= 8 {
        reasons.push("Góp ý dự thảo văn kiện Đại hội Đảng bộ nhiệm kỳ 2025–2030");
    }
    if (7..=11).contains(&month) {
        reasons.push("Triển khai khẩn cấp công tác phòng, chống bão lũ");
    }
    one_of(rng, &reasons)
}

const REASONS: &[&str] = &[
    "Ốm",
    "Ốm",
    "Đi công tác",
    "Đi công tác",
    "Việc gia đình",
    "Đi học",
    "Con ốm",
    "Có việc đột xuất",
    "Đi làm ăn xa",
];

const GUESTS: &[&str] = &[
    "Nguyễn Văn Hùng",
    "Trần Thị Hương",
    "Lê Văn Thắng",
    "Phạm Thị Lan",
    "Hoàng Văn Nam",
    "Vũ Thị Hà",
    "Đặng Văn Tuấn",
    "Bùi Thị Thu",
    "Đỗ Văn Long",
    "Ngô Thị Mai",
    "Dương Văn Hải",
    "Lý Thị Hằng",
];

const FOLLOWUP: &[&str] = &[
    "Các nhiệm vụ theo nghị quyết tháng {m} cơ bản hoàn thành.",
    "Thực hiện tốt nghị quyết tháng {m}; đảng viên gương mẫu tham gia các phong trào ở địa phương.",
    "Nghị quyết tháng {m} hoàn thành phần lớn chỉ tiêu; còn chậm thu đảng phí của đảng viên đi làm ăn xa.",
    "Hoàn thành nghị quyết tháng {m}; một số việc chuyển sang tháng này tiếp tục thực hiện.",
];

const CONCLUSIONS: &[&str] = &[
    "Chi bộ thống nhất cao các nội dung đã thảo luận; giao chi ủy cụ thể hóa thành kế hoạch và phân công đảng viên thực hiện.",
    "Chi bộ nhất trí với báo cáo; các ý kiến đóng góp được tiếp thu, bổ sung vào nghị quyết.",
    "Sinh hoạt dân chủ, nhiều ý kiến tâm huyết; chi bộ thống nhất nhiệm vụ trọng tâm của tháng.",
    "Chi bộ thống nhất nội dung nghị quyết; đảng viên được phân công phụ trách từng việc cụ thể.",
];

const THEMATIC_CONCLUSIONS: &[&str] = &[
    "Đảng viên liên hệ bản thân, đăng ký việc làm cụ thể để thực hiện chuyên đề.",
    "Chi bộ thống nhất các giải pháp thực hiện chuyên đề, đưa vào nghị quyết tháng sau.",
];

const OPINIONS: &[&str] = &[
    "Nhất trí với báo cáo của chi ủy; đề nghị bổ sung giải pháp cụ thể cho từng nhiệm vụ.",
    "Đề nghị chi bộ phân công đảng viên phụ trách từng nhóm hộ.",
    "Báo cáo kết quả thực hiện nhiệm vụ được giao trong tháng.",
    "Đề nghị quan tâm hơn đến đảng viên cao tuổi, gia đình có hoàn cảnh khó khăn.",
    "Góp ý về giữ gìn vệ sinh môi trường, an ninh trật tự ở địa bàn.",
    "Liên hệ bản thân, đăng ký việc làm cụ thể theo chuyên đề.",
    "Đề nghị tăng cường tuyên truyền để nhân dân đồng thuận, hưởng ứng.",
    "Nêu khó khăn trong công việc, đề nghị chi bộ kiến nghị cấp trên hỗ trợ.",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Generator, Scale};
    use chibo_domain::meeting::streak::Marked;
    use chibo_domain::meeting::{CellRecord, MeetingRow, Period, absence_worklist, figures, over_excused_run};
    use std::collections::BTreeMap;

    fn all(scale: Scale, seed: u64, min_lines: usize) -> MeetingBatch {
        let g = Generator::new(scale, seed);
        let mut stream = g.meetings();
        let mut out = MeetingBatch::default();
        loop {
            let b = stream.next_batch(min_lines);
            if b.is_empty() {
                return out;
            }
            out.meetings.extend(b.meetings);
            out.attendance.extend(b.attendance);
            out.speakers.extend(b.speakers);
            out.cells += b.cells;
        }
    }

    #[test]
    fn same_seed_same_meetings_whatever_the_batches() {
        let a = all(Scale::Commune, 7, usize::MAX);
        assert!(!a.meetings.is_empty());
        assert_eq!(a, all(Scale::Commune, 7, 1));
        assert_ne!(a.meetings, all(Scale::Commune, 8, usize::MAX).meetings);
        // Ids are unique and increase in the order written.
        assert!(a.meetings.windows(2).all(|w| w[0].id < w[1].id));
    }

    /// Ten communes' worth of cells: the shares and the consistency of every meeting.
    #[test]
    fn realistic_rates_and_consistent_records() {
        let mut cells: BTreeMap<Uuid, Vec<&DemoMeeting>> = BTreeMap::new();
        let batches: Vec<MeetingBatch> = (2020..2030).map(|seed| all(Scale::Commune, seed, usize::MAX)).collect();
        let total_cells: usize = batches.iter().map(|b| b.cells).sum();
        let mut lines: HashMap<Uuid, Vec<&DemoAttendance>> = HashMap::new();
        let mut speakers: HashMap<Uuid, usize> = HashMap::new();
        for b in &batches {
            for m in &b.meetings {
                cells.entry(m.cell_id).or_default().push(m);
            }
            for a in &b.attendance {
                lines.entry(a.meeting_id).or_default().push(a);
            }
            for s in &b.speakers {
                *speakers.entry(s.meeting_id).or_default() += 1;
            }
        }
        assert_eq!(cells.len(), total_cells, "every cell meets");
        let next_month = chibo_domain::date::add_months(AS_OF.replace_day(1).unwrap(), 1);
        let (mut ratings, mut marks) = (BTreeMap::<Option<Rating>, u32>::new(), BTreeMap::<Option<Mark>, u32>::new());
        let mut records = Vec::new();
        let mut worklist = 0;
        for (cell, meetings) in &cells {
            let scheduled: Vec<_> = meetings.iter().filter(|m| m.status == MeetingStatus::Scheduled).collect();
            assert!(scheduled.iter().any(|m| m.held_on >= next_month && m.kind.counts_as_regular()), "{cell}");
            let mut marked: Vec<Marked> = Vec::new();
            for m in meetings {
                let roll = &lines[&m.id];
                let ls: Vec<Line> = roll.iter().map(|a| Line { row: a.row, mark: a.mark }).collect();
                assert_eq!(counts(&ls), m.counts);
                assert!(m.held_on >= ymd(FIRST_YEAR, 1, 1).unwrap() && is_working_day(m.held_on), "{}", m.held_on);
                assert!(!m.agenda.is_empty() && !m.place.is_empty());
                let held = m.status.was_held();
                assert_eq!(held, m.held_on <= AS_OF);
                assert_eq!(
                    m.status == MeetingStatus::Held,
                    held && m.held_on.month() == AS_OF.month() && m.held_on.year() == AS_OF.year()
                );
                for a in roll {
                    let expected = a.row.attachment != Attachment::AttachedElsewhere;
                    assert_eq!(a.mark.is_some(), held && expected);
                    assert!(a.mark != Some(Mark::Exempt) || a.row.exempt);
                    *marks.entry(a.mark).or_default() += 1;
                }
                if !held {
                    continue;
                }
                let minutes = (m.ends_at.unwrap() - m.starts_at).whole_minutes() as u32;
                assert!((70..=170).contains(&minutes));
                marked.push(Marked {
                    on: m.held_on,
                    kind: m.kind,
                    marks: roll.iter().filter_map(|a| Some((a.row.member_id, a.mark?))).collect(),
                });
                // The rating is what the sheet gives for the records, the run of absences
                // computed by the domain's walk over the cell's meetings of the year.
                if m.status == MeetingStatus::Approved {
                    let year: Vec<Marked> =
                        marked.iter().filter(|x| x.on.year() == m.held_on.year()).cloned().collect();
                    let facts = Facts {
                        on: m.held_on,
                        kind: m.kind,
                        duration_minutes: minutes,
                        counts: m.counts,
                        speakers: speakers.get(&m.id).copied().unwrap_or(0) as u32,
                        minutes: MinutesContent {
                            time: true,
                            place: true,
                            chair: m.chair_id.is_some(),
                            recorder: m.recorder_id.is_some(),
                            agenda: true,
                            opinions: speakers.contains_key(&m.id),
                            conclusions: true,
                        },
                        over_excused_run: over_excused_run(&year),
                    };
                    let a = assess(&DEFAULT_SHEET, &facts, &m.scores).unwrap();
                    assert_eq!((Some(a.score), Some(a.rating)), (m.score, m.rating), "{}", m.id);
                    assert!(m.scores_json().unwrap().starts_with("{\"preparation\":"));
                }
                *ratings.entry(m.rating).or_default() += 1;
            }
            for y in FIRST_YEAR..=AS_OF.year() {
                let year: Vec<Marked> = marked.iter().filter(|x| x.on.year() == y).cloned().collect();
                worklist += absence_worklist(&year).len();
            }
            let rows = meetings
                .iter()
                .filter(|m| m.status.was_held())
                .map(|m| MeetingRow { id: m.id, on: m.held_on, kind: m.kind, counts: m.counts, rating: m.rating })
                .collect();
            records.push(CellRecord { cell_id: *cell, from: None, to: None, meetings: rows });
        }
        let f = figures(&records, Period::year(FIRST_YEAR).unwrap());
        let pct = |s: chibo_domain::meeting::Share| s.percent().unwrap_or(0.0);
        assert!((90.0..=100.0).contains(&pct(f.regular.share)), "regular {:?}", f.regular.share);
        assert!(pct(f.regular.share) < 100.0 || total_cells < 100, "some cells miss a month");
        assert!((78.0..=96.0).contains(&pct(f.thematic.share)), "thematic {:?}", f.thematic.share);
        assert!((88.0..=95.0).contains(&pct(f.attendance)), "attendance {:?}", f.attendance);
        let held: u32 = ratings.values().sum();
        let share = |r: Rating| f64::from(ratings.get(&Some(r)).copied().unwrap_or(0)) / f64::from(held);
        assert!(share(Rating::Good) + share(Rating::Fair) > 0.8, "{ratings:?}");
        assert!(
            share(Rating::Good) > 0.3 && share(Rating::Average) > 0.02 && share(Rating::Poor) < 0.03,
            "{ratings:?}"
        );
        assert!(ratings.get(&None).is_some_and(|n| *n > 0), "this month's meetings are not rated yet");
        let n = |m: Mark| marks.get(&Some(m)).copied().unwrap_or(0);
        assert!(n(Mark::Excused) > 0 && n(Mark::Unexcused) > 0 && n(Mark::Exempt) > 0, "{marks:?}");
        assert!(n(Mark::Unexcused) * 50 < n(Mark::Present), "{marks:?}");
        assert!(worklist > 0, "the absence work lists are not empty");
    }

    /// `cargo test --release -p chibo-demo -- --ignored meetings_at_scale --nocapture`
    #[test]
    #[ignore]
    fn meetings_at_scale() {
        let scale = std::env::var("CHIBO_DEMO_SCALE").ok().and_then(|s| Scale::parse(&s)).unwrap_or(Scale::Province);
        let t = std::time::Instant::now();
        let g = Generator::new(scale, 2025);
        let mut stream = g.meetings();
        let (mut meetings, mut lines, mut speakers, mut cells) = (0, 0, 0, 0);
        loop {
            let b = stream.next_batch(200_000);
            if b.is_empty() {
                break;
            }
            (meetings, lines, speakers, cells) =
                (meetings + b.meetings.len(), lines + b.attendance.len(), speakers + b.speakers.len(), cells + b.cells);
        }
        eprintln!(
            "{}: {cells} cells, {meetings} meetings, {lines} attendance lines, {speakers} speakers in {:.1} s",
            scale.code(),
            t.elapsed().as_secs_f64()
        );
    }
}
