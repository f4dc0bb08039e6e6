//! Shared fixtures of the access tests on members' lives and the tree through time: a fresh
//! database per engine, organisations, members and viewers, event inputs, and the two checks
//! every story leans on — the stored member row and spans equal a replay of the stored events
//! ([`Env::assert_settled`]), and the counts of any organisation on any date equal a
//! brute-force recount from the spans and the links of that date ([`Env::assert_counts`]).
#![allow(dead_code)]

use chibo_access::domain::access::Role;
use chibo_access::domain::life::{
    Decision, Detail, DisciplineForm, Effect, EventKind, Link, Placement, Span, SpanKind, StrikeOffGround, Tally,
    replay,
};
use chibo_access::domain::member::{Gender, MemberInput, MemberStatus};
use chibo_access::domain::org::{OrgInput, OrgKind};
use chibo_access::domain::review::RoundKind;
use chibo_access::{Chibo, Clock, EventInput, Member, Org, Problem, RoundInput, Timeline, Viewer};
use chibo_store::testing::{TODAY, TestDb, engines};
use chibo_store::{events, history, members, orgs};
use std::collections::{BTreeSet, HashMap};
use time::{Date, Duration};
use uuid::Uuid;

pub const PASSWORD: &str = "mat-khau-kiem-thu";

/// One fresh database with the application over it and the console viewer.
pub struct Env {
    pub db: TestDb,
    pub app: Chibo,
    pub c: Viewer,
    seq: std::sync::atomic::AtomicU32,
}

/// The application over `db`, its clock pinned to [`TODAY`].
pub fn app(db: &TestDb) -> Chibo {
    Chibo::with_pools(db.pools.clone()).with_clock(Clock::Pinned(TODAY))
}

/// The tests' working date.
pub fn today() -> Date {
    TODAY
}

/// Run `story` on a fresh database of every engine.
pub async fn each_engine(story: impl AsyncFn(&Env)) {
    for engine in engines() {
        let db = TestDb::new(engine).await.expect("test database");
        eprintln!("on {}", db.name);
        let env = Env { app: app(&db), c: Viewer::console(), db, seq: Default::default() };
        story(&env).await;
        env.db.drop_db().await;
    }
}

/// What a member record is created with.
#[derive(Debug, Clone, Copy)]
pub struct Person {
    pub admitted: Date,
    pub official: bool,
    pub female: bool,
    pub minority: bool,
}

impl Person {
    pub fn probationary(admitted: Date) -> Person {
        Person { admitted, official: false, female: false, minority: false }
    }
    pub fn official(admitted: Date) -> Person {
        Person { official: true, ..Person::probationary(admitted) }
    }
    pub fn female(self) -> Person {
        Person { female: true, ..self }
    }
    pub fn minority(self) -> Person {
        Person { minority: true, ..self }
    }
}

pub fn org_input(name: &str, kind: OrgKind) -> OrgInput {
    chibo_testkit::org(name, kind)
}

pub fn member_input(given: &str, cell: Uuid, p: Person) -> MemberInput {
    let official = p.official.then(|| chibo_access::domain::date::add_months(p.admitted, 12));
    MemberInput {
        gender: if p.female { Gender::Female } else { Gender::Male },
        ethnicity_code: if p.minority { 2 } else { 1 },
        admission_date: p.admitted,
        official_date: official,
        status: if p.official { MemberStatus::Official } else { MemberStatus::Probationary },
        ..chibo_testkit::member("Nguyễn", if p.female { "Thị" } else { "Văn" }, given, cell)
    }
}

/// An event as entered, built up with the methods of [`With`].
pub fn ev(kind: EventKind, on: Date) -> EventInput {
    EventInput {
        kind,
        effective: on,
        org_id: None,
        ref_id: None,
        decision: Decision::default(),
        detail: Detail::default(),
    }
}

pub trait With {
    fn org(self, id: Uuid) -> Self;
    fn refers(self, id: Uuid) -> Self;
    fn form(self, f: DisciplineForm) -> Self;
    fn ground(self, g: StrikeOffGround) -> Self;
    fn votes(self, votes_for: u32, base: u32) -> Self;
    fn signed(self, on: Date) -> Self;
}

impl With for EventInput {
    fn org(mut self, id: Uuid) -> Self {
        self.org_id = Some(id);
        self
    }
    fn refers(mut self, id: Uuid) -> Self {
        self.ref_id = Some(id);
        self
    }
    fn form(mut self, f: DisciplineForm) -> Self {
        self.detail.form = Some(f);
        self
    }
    fn ground(mut self, g: StrikeOffGround) -> Self {
        self.detail.ground = Some(g);
        self
    }
    fn votes(mut self, votes_for: u32, base: u32) -> Self {
        self.detail.votes_for = Some(votes_for);
        self.detail.vote_base = Some(base);
        self
    }
    fn signed(mut self, on: Date) -> Self {
        self.decision =
            Decision { number: Some("01-QĐ/ĐU".into()), body: Some("Đảng ủy".into()), signed_on: Some(on) };
        self
    }
}

/// A date from its parts (tests only use valid ones).
pub fn d(y: i32, m: u8, day: u8) -> Date {
    Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), day).unwrap()
}

pub fn days_ago(n: i64) -> Date {
    today() - Duration::days(n)
}

/// Refused as if the target did not exist (a hidden organisation named in a field counts).
pub fn hidden<T: std::fmt::Debug>(r: &Result<T, Problem>) -> bool {
    matches!(r, Err(Problem::NotFound))
        || matches!(r, Err(Problem::Invalid(v)) if v.errors.iter().all(|e| e.code == "not_found"))
}

/// The field and code of a refusal for invalid input.
pub fn invalid<T: std::fmt::Debug>(r: &Result<T, Problem>) -> Vec<(String, &'static str)> {
    match r {
        Err(Problem::Invalid(v)) => v.errors.iter().map(|e| (e.field.clone(), e.code)).collect(),
        other => panic!("expected an invalid-input refusal, got {other:?}"),
    }
}

/// Assert a refusal names `field` (with `code` when given).
#[track_caller]
pub fn assert_refused<T: std::fmt::Debug>(r: &Result<T, Problem>, field: &str, code: Option<&str>) {
    let errors = invalid(r);
    assert!(
        errors.iter().any(|(f, c)| f == field && code.is_none_or(|code| code == *c)),
        "expected a refusal on {field} {code:?}, got {errors:?}"
    );
}

fn sorted_spans(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_by_key(|s| (s.kind.code(), s.from, s.org_id, s.to, s.status.code()));
    spans
}

/// Whether a link is in force on `on`.
fn covers(l: &Link, on: Date) -> bool {
    l.from.is_none_or(|f| f <= on) && l.to.is_none_or(|t| on < t)
}

/// Everything needed to recount by brute force.
pub struct World {
    pub orgs: Vec<Org>,
    pub links: HashMap<Uuid, Vec<Link>>,
    pub spans: Vec<(Uuid, Span)>,
    pub attrs: HashMap<Uuid, (bool, bool)>,
}

impl World {
    /// The organisation and its ancestors on `on`, walking the links in force that day.
    pub fn chain_on(&self, org: Uuid, on: Date) -> Vec<Uuid> {
        let mut out = vec![org];
        let mut cur = org;
        while out.len() < 64 {
            let inforce: Vec<&Link> = self.links.get(&cur).into_iter().flatten().filter(|l| covers(l, on)).collect();
            assert!(inforce.len() <= 1, "two links of {cur} in force on {on}: {inforce:?}");
            match inforce.first().and_then(|l| l.parent_id) {
                Some(p) => {
                    out.push(p);
                    cur = p;
                }
                None => break,
            }
        }
        out
    }

    /// The counts of `org`'s subtree on `on`: every home span that day whose organisation
    /// had `org` above it (or was it) that day.
    pub fn brute(&self, org: Uuid, on: Date) -> Tally {
        let mut t = Tally::default();
        for (m, s) in &self.spans {
            let inside = s.from <= on && s.to.is_none_or(|to| on < to);
            if s.kind == chibo_access::domain::life::SpanKind::Home
                && inside
                && self.chain_on(s.org_id, on).contains(&org)
            {
                let (female, minority) = self.attrs[m];
                t = t + Tally::of(s.status, female, minority);
            }
        }
        t
    }

    /// The members with a span of `kind` in `org` itself on `on`.
    pub fn on_rolls(&self, org: Uuid, kind: SpanKind, on: Date) -> BTreeSet<Uuid> {
        let inside = |s: &Span| s.kind == kind && s.org_id == org && s.from <= on && s.to.is_none_or(|to| on < to);
        self.spans.iter().filter(|(_, s)| inside(s)).map(|(m, _)| *m).collect()
    }

    /// The organisations directly under `org` on `on`, by their links.
    pub fn children_on(&self, org: Uuid, on: Date) -> BTreeSet<Uuid> {
        self.links.values().flatten().filter(|l| l.parent_id == Some(org) && covers(l, on)).map(|l| l.org_id).collect()
    }
}

impl Env {
    fn next(&self) -> u32 {
        self.seq.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }

    pub async fn org(&self, parent: Option<&Org>, name: &str, kind: OrgKind) -> Org {
        self.app.create_org(&self.c, parent.map(|p| p.id), org_input(name, kind)).await.expect("create org")
    }

    pub async fn member(&self, cell: &Org, given: &str, p: Person) -> Member {
        self.app.create_member(&self.c, member_input(given, cell.id, p)).await.expect("create member").member
    }

    /// An account with one role on one organisation, logged in.
    pub async fn user(&self, role: Role, at: &Org) -> Viewer {
        let name = format!("user{}", self.next());
        let u = self.app.create_user(&self.c, &name, &name, PASSWORD).await.expect("create user");
        self.app.grant(&self.c, u.id, role, at.id, None).await.expect("grant");
        self.app.login(&name, PASSWORD, Some("10.0.0.1")).await.expect("login").1
    }

    pub async fn record(&self, member: Uuid, input: EventInput) -> Result<Timeline, Problem> {
        self.app.record_event(&self.c, member, input).await
    }

    /// The stored row, events (as recorded) and spans of a member.
    pub async fn stored(&self, id: Uuid) -> (Member, Vec<events::EventRecord>, Vec<Span>) {
        let mut c = self.db.pools.read().await.unwrap();
        let m = members::by_id(&mut c, id).await.unwrap().expect("member row");
        let evs = events::of_member(&mut c, id).await.unwrap();
        let spans = events::spans_of(&mut c, id).await.unwrap();
        (m, evs, spans)
    }

    pub async fn org_now(&self, id: Uuid) -> Org {
        let mut c = self.db.pools.read().await.unwrap();
        orgs::by_id(&mut c, id).await.unwrap().expect("org row")
    }

    /// The stored row and spans of a member equal a replay of its stored events, and no stored
    /// event is left without effect except by a correction.
    pub async fn assert_settled(&self, id: Uuid, what: &str) {
        let (m, records, spans) = self.stored(id).await;
        let events: Vec<_> = records.iter().map(|r| r.event.clone()).collect();
        let h = replay(&events);
        let s = &h.state;
        let rejected: Vec<_> = h.rejected().map(|(e, why)| (e.kind, e.effective, why)).collect();
        assert!(rejected.is_empty(), "{what}: stored events without effect: {rejected:?}");
        assert_eq!(Some(m.input.status), s.status(), "{what}: status");
        assert_eq!(m.input.org_id, s.home().or(s.last_org).unwrap(), "{what}: org");
        assert_eq!(Some(m.input.admission_date), s.first_admission, "{what}: admission date");
        assert_eq!(m.input.official_date, s.official, "{what}: official date");
        assert_eq!(m.life.exempt_since, s.exempt_since, "{what}: exempt since");
        assert_eq!(m.life.attached_org_id, s.attached_to, "{what}: attached to");
        let transit = match s.placement {
            Placement::Transit { to, .. } if s.status().is_some_and(MemberStatus::is_active) => Some(to),
            _ => None,
        };
        assert_eq!(m.life.transit_org_id, transit, "{what}: in transit to");
        assert_eq!(m.life.ended_on, s.ended_on, "{what}: ended on");
        assert_eq!(m.org_path, self.org_now(m.input.org_id).await.path, "{what}: org path");
        assert_eq!(sorted_spans(spans), sorted_spans(h.spans.clone()), "{what}: spans");
    }

    /// Every organisation (dissolved too), its links, every span and member attributes.
    pub async fn world(&self) -> World {
        let mut c = self.db.pools.read().await.unwrap();
        let mut all = orgs::roots(&mut c).await.unwrap();
        let mut i = 0;
        while i < all.len() {
            let kids = orgs::children(&mut c, all[i].id, true).await.unwrap();
            all.extend(kids);
            i += 1;
        }
        let ids: Vec<Uuid> = all.iter().map(|o| o.id).collect();
        let mut links: HashMap<Uuid, Vec<Link>> = HashMap::new();
        for l in history::links_of(&mut c, &ids).await.unwrap() {
            links.entry(l.org_id).or_default().push(l);
        }
        let spans = events::all_spans(&mut c).await.unwrap();
        let member_ids: Vec<Uuid> = spans.iter().map(|(m, _)| *m).collect::<BTreeSet<_>>().into_iter().collect();
        let attrs = members::by_ids(&mut c, &member_ids)
            .await
            .unwrap()
            .into_iter()
            .map(|m| (m.id, (m.input.gender == Gender::Female, m.input.ethnicity_code != 1)))
            .collect();
        World { orgs: all, links, spans, attrs }
    }

    /// On every date given (and today), every organisation's counts as `org_on` reports them —
    /// its own and its children's — equal a brute-force recount from the spans and the links
    /// of that date, and its children are the organisations linked under it that day; the
    /// current counters equal the ledger as of today and the records.
    pub async fn assert_counts(&self, dates: &[Date], what: &str) {
        let w = self.world().await;
        let mut dates: Vec<Date> = dates.to_vec();
        dates.push(today());
        dates.sort();
        dates.dedup();
        for o in &w.orgs {
            for &on in &dates {
                let view = self.app.org_on(&self.c, o.id, on).await.expect("org_on");
                assert_eq!(view.tally, w.brute(o.id, on), "{what}: {} on {on}", o.input.name);
                let kids: BTreeSet<Uuid> = view.children.iter().map(|c| c.id).collect();
                assert_eq!(kids, w.children_on(o.id, on), "{what}: children of {} on {on}", o.input.name);
                let link = w.links.get(&o.id).into_iter().flatten().find(|l| covers(l, on));
                assert_eq!(view.existed, link.is_some(), "{what}: {} existed on {on}", o.input.name);
                if let Some(l) = link {
                    assert_eq!((&view.name, view.parent.as_ref().map(|p| p.id)), (&l.name, l.parent_id));
                }
                for (kind, listed) in [(SpanKind::Home, &view.members), (SpanKind::Attached, &view.attached)] {
                    let listed: BTreeSet<Uuid> = listed.iter().map(|m| m.id).collect();
                    assert_eq!(
                        listed,
                        w.on_rolls(o.id, kind, on),
                        "{what}: {kind:?} rolls of {} on {on}",
                        o.input.name
                    );
                }
                for k in &view.children {
                    assert_eq!(k.tally, w.brute(k.id, on), "{what}: child {} of {} on {on}", k.name, o.input.name);
                }
            }
        }
        let mut c = self.db.pools.read().await.unwrap();
        // The kept changes equal a recount from every member's events and the links.
        let wrong = chibo_store::change_counts::recount(&mut c).await.unwrap();
        assert_eq!(wrong, vec![], "{what}: kept changes");
        // The kept organisation counts equal a recount from the organisation rows.
        let wrong = chibo_store::org_counts::recount(&mut c).await.unwrap();
        assert_eq!(wrong, vec![], "{what}: kept organisation counts");
        for o in &w.orgs {
            // The whole ledger, summed here: `tallies_on` may itself count back from the
            // counters, which would make this comparison hold by construction.
            let rows = history::ledger_of(&mut c, o.id).await.unwrap();
            let ledger = rows.iter().fold(Tally::default(), |a, (_, t)| a + *t);
            let s = o.stats;
            let now = Tally {
                members: s.members,
                official: s.official,
                probationary: s.probationary,
                female: s.female,
                minority: s.minority,
            };
            assert_eq!(ledger, now, "{what}: counters of {}", o.input.name);
            assert_eq!(ledger, w.brute(o.id, today()), "{what}: ledger of {} today", o.input.name);
        }
        assert!(orgs::recount(&mut c).await.unwrap().is_empty(), "{what}: counters differ from the records");
    }
}

/// Interesting dates around the given ones: each, the day before and the day after.
pub fn around(dates: &[Date]) -> Vec<Date> {
    dates.iter().flat_map(|&x| [x - Duration::days(1), x, x + Duration::days(1)]).collect()
}

/// The effect each of a member's events had, by id.
pub fn effects(t: &Timeline) -> HashMap<Uuid, Effect> {
    t.events.iter().map(|e| (e.record.event.id, e.effect)).collect()
}

/// A small deterministic generator (xorshift), so a failing history can be replayed.
pub struct Rng(pub u64);

impl Rng {
    /// Seeded from `SEED` in the environment when set.
    pub fn from_env(default: u64) -> Rng {
        Rng(std::env::var("SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(default))
    }

    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    pub fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }

    /// A day from `from` to yesterday.
    pub fn date(&mut self, from: Date) -> Date {
        let span = (days_ago(0) - from).whole_days().max(1) as usize;
        from + Duration::days(self.below(span) as i64)
    }

    pub fn shuffled<T>(&mut self, mut xs: Vec<T>) -> Vec<T> {
        for i in (1..xs.len()).rev() {
            xs.swap(i, self.below(i + 1));
        }
        xs
    }
}

/// A year's review round of year `y` with the usual due dates.
pub fn year_round(y: i32) -> RoundInput {
    RoundInput {
        kind: RoundKind::Year,
        first_day: d(y, 1, 1),
        last_day: d(y, 12, 31),
        self_due: d(y, 12, 10),
        cell_due: d(y, 12, 20),
        decision_due: d(y, 12, 31),
    }
}
