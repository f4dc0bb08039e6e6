//! What each role's home page reads: a secretary's cell (the next meeting and what waits), the
//! counts of what waits for the header, a member search across the viewer's subtrees with the
//! cell of each result, and a member withdrawing a notice of absence. Reads only, except the
//! withdrawal, which runs in the `write!` transaction like every change.

use crate::load::load_org;
use crate::meetings::load as load_meeting;
use crate::transaction::write;
use crate::{Chibo, Outcome, Viewer, snapshot};
use chibo_domain::access::{Action, Role, Target};
use chibo_domain::life::probation::{ProbationStatus, probation_status};
use chibo_domain::meeting::MeetingStatus;
use chibo_domain::member::MemberStatus;
use chibo_domain::{Problem, collation};
use chibo_store::meetings::{self, Meeting, Notice};
use chibo_store::members::MemberSummary;
use chibo_store::orgs::{self, Org};
use chibo_store::page::PageQuery;
use chibo_store::{Exec, audit};
use serde::Serialize;
use time::Duration;
use uuid::Uuid;

/// How far back a cell's home looks for meetings still waiting for their attendance or
/// minutes, and how far ahead for the next one.
const LOOK_BACK_DAYS: i64 = 180;
const LOOK_AHEAD_DAYS: i64 = 400;

/// A notice of absence not yet answered by the secretary.
#[derive(Debug, Clone, Serialize)]
pub struct PendingNotice {
    pub meeting: Meeting,
    pub notice: Notice,
    pub member_name: String,
}

/// A secretary's cell as its home page shows it (*chi bộ của bí thư*).
#[derive(Debug, Clone, Serialize)]
pub struct CellHome {
    pub cell: Org,
    /// The next scheduled meeting (today or later).
    pub next: Option<Meeting>,
    /// Notices of absence waiting for an answer.
    pub notices: Vec<PendingNotice>,
    /// Scheduled meetings whose day has passed: the attendance is to be recorded.
    pub to_record: Vec<Meeting>,
    /// Held meetings whose minutes are not approved yet.
    pub to_approve: Vec<Meeting>,
    /// Probationary members whose probation ends soon or has ended (to be recognised).
    pub to_recognise: usize,
    /// Meetings of this month held or approved, and whether one is scheduled still.
    pub month_held: usize,
    pub month_scheduled: usize,
}

impl CellHome {
    /// Everything that waits for the secretary.
    pub fn waiting(&self) -> usize {
        self.notices.len() + self.to_record.len() + self.to_approve.len() + self.to_recognise
    }
}

/// A member found by the home search, with the cell they belong to.
#[derive(Debug, Clone, Serialize)]
pub struct FoundMember {
    pub member: MemberSummary,
    pub cell_name: String,
}

/// Results of a search, at most this many.
pub const FIND_LIMIT: i64 = 30;

impl Chibo {
    /// The cells this viewer is secretary of, by name.
    pub async fn secretary_cells(&self, v: &Viewer) -> Outcome<Vec<Org>> {
        let ids: Vec<Uuid> = v.grants.iter().filter(|g| g.role == Role::Secretary).map(|g| g.org_id).collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut c = self.pools.read().await?;
        let mut found = orgs::by_ids(&mut c, &ids).await?;
        found.retain(|o| !o.is_dissolved());
        orgs::sort_by_name(&mut found);
        Ok(found)
    }

    /// A cell's home: next meeting, notices, meetings waiting for attendance or minutes,
    /// members to recognise, and the month's status. Needs the right to list the cell.
    pub async fn cell_home(&self, v: &Viewer, cell_id: Uuid) -> Outcome<CellHome> {
        let mut c = self.pools.read().await?;
        let cell = load_org(&mut c, cell_id).await?;
        v.check_list(&cell.path)?;
        let now = self.today();
        let from = now.checked_sub(Duration::days(LOOK_BACK_DAYS)).unwrap_or(now);
        let to = now.checked_add(Duration::days(LOOK_AHEAD_DAYS)).unwrap_or(now);
        let list = meetings::of_cell(&mut c, cell.id, from, to).await?;
        let scheduled = MeetingStatus::Scheduled;
        let next = list.iter().find(|m| m.status == scheduled && m.held_on >= now).cloned();
        let to_record = list.iter().filter(|m| m.status == scheduled && m.held_on < now).cloned().collect();
        let to_approve = list.iter().filter(|m| m.status == MeetingStatus::Held).cloned().collect();
        let this_month = |m: &&Meeting| m.held_on.year() == now.year() && m.held_on.month() == now.month();
        let month_held = list.iter().filter(this_month).filter(|m| m.status.was_held()).count();
        let month_scheduled = list.iter().filter(this_month).filter(|m| m.status == scheduled).count();
        let mut notices = Vec::new();
        for m in list.iter().filter(|m| m.status == scheduled && m.held_on >= now) {
            let waiting: Vec<Notice> =
                meetings::notices(&mut c, m.id).await?.into_iter().filter(|n| n.answer.is_none()).collect();
            let ids: Vec<Uuid> = waiting.iter().map(|n| n.member_id).collect();
            let people = chibo_store::members::by_ids(&mut c, &ids).await?;
            for n in waiting {
                let member_name =
                    people.iter().find(|p| p.id == n.member_id).map(|p| p.full_name.clone()).unwrap_or_default();
                notices.push(PendingNotice { meeting: m.clone(), notice: n, member_name });
            }
        }
        let to_recognise = chibo_store::members::probationary_in(&mut c, &cell.path)
            .await?
            .iter()
            .filter(|m| m.life.transit_org_id.is_none())
            .filter_map(|m| probation_status(m.input.admission_date, now, crate::worklists::PROBATION_NOTICE_DAYS))
            .filter(|s| !matches!(s, ProbationStatus::Running { .. }))
            .count();
        Ok(CellHome { cell, next, notices, to_record, to_approve, to_recognise, month_held, month_scheduled })
    }

    /// What waits for this viewer across its secretary cells (the header's count). Zero for
    /// the other roles.
    pub async fn waiting_count(&self, v: &Viewer) -> Outcome<usize> {
        let mut total = 0;
        for cell in self.secretary_cells(v).await? {
            total += self.cell_home(v, cell.id).await?.waiting();
        }
        Ok(total)
    }

    /// Members whose name matches `query` (diacritics ignored, each word starting a word of
    /// the name) in every subtree whose people the viewer may list, with their cell's name.
    /// By default only those in the Party today (probationary and official); `everyone` adds
    /// the dead, those who left and those transferred away.
    pub async fn find_members(&self, v: &Viewer, query: &str, everyone: bool) -> Outcome<Vec<FoundMember>> {
        let terms = collation::search_terms(query);
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let mut c = self.pools.read().await?;
        let roots = self.listable_roots(&mut c, v).await?;
        let total = crate::members::total_members(&mut c).await?;
        let statuses: Vec<Option<MemberStatus>> =
            if everyone { vec![None] } else { MemberStatus::ACTIVE.iter().copied().map(Some).collect() };
        let mut found: Vec<MemberSummary> = Vec::new();
        for root in &roots {
            for status in &statuses {
                let q = PageQuery {
                    root_path: &root.path,
                    subtree_members: root.stats.members,
                    all_members: total,
                    terms: &terms,
                    status: *status,
                    after: None,
                    limit: FIND_LIMIT,
                };
                let (items, _) = chibo_store::page::page(&mut c, &q).await?;
                found.extend(items);
            }
        }
        found.sort_by(|a, b| a.sort_key.cmp(&b.sort_key).then(a.id.cmp(&b.id)));
        found.dedup_by_key(|m| m.id);
        found.truncate(FIND_LIMIT as usize);
        let mut cell_ids: Vec<Uuid> = found.iter().map(|m| m.org_id).collect();
        cell_ids.sort();
        cell_ids.dedup();
        let cells = orgs::by_ids(&mut c, &cell_ids).await?;
        Ok(found
            .into_iter()
            .map(|member| {
                let cell_name =
                    cells.iter().find(|o| o.id == member.org_id).map(|o| o.input.name.clone()).unwrap_or_default();
                FoundMember { member, cell_name }
            })
            .collect())
    }

    /// The tops of the subtrees whose people the viewer may list (every grant but the member
    /// role), without one inside another.
    async fn listable_roots(&self, c: &mut impl Exec, v: &Viewer) -> Outcome<Vec<Org>> {
        if v.console {
            return Ok(orgs::roots(c).await?);
        }
        let grants: Vec<_> = v.grants.iter().filter(|g| g.role != Role::Member).collect();
        let tops: Vec<Uuid> = grants
            .iter()
            .filter(|g| {
                !grants
                    .iter()
                    .any(|o| o.org_path != g.org_path && chibo_domain::path::is_within(&g.org_path, &o.org_path))
            })
            .map(|g| g.org_id)
            .collect();
        let mut found = orgs::by_ids(c, &tops).await?;
        found.sort_by(|a, b| a.path.cmp(&b.path));
        found.dedup_by_key(|o| o.id);
        Ok(found)
    }

    /// A member takes back their notice of absence for an upcoming meeting (before the
    /// meeting; an accepted notice's "excused" mark is cleared with it).
    pub async fn withdraw_notice(&self, v: &Viewer, meeting_id: Uuid) -> Outcome<()> {
        write!(self, |tx| {
            let m = load_meeting(tx, meeting_id).await?;
            let cell = load_org(tx, m.cell_id).await?;
            v.check(Action::Read, Target::Org { path: &cell.path })?;
            let own = v.own_member_ids();
            let notices = meetings::notices(tx, meeting_id).await?;
            let Some(n) = notices.into_iter().find(|n| own.contains(&n.member_id)) else {
                return Err(Problem::NotFound);
            };
            if m.status != MeetingStatus::Scheduled || m.held_on < self.today() {
                return Err(Problem::field(
                    "meeting_id",
                    "not_upcoming",
                    "Chỉ rút lại báo vắng được trước buổi sinh hoạt.",
                    "A notice can be withdrawn only before the meeting.",
                ));
            }
            meetings::delete_notice(tx, meeting_id, n.member_id).await?;
            if n.answer.as_deref() == Some("accepted") {
                meetings::set_mark(tx, meeting_id, n.member_id, None, "").await?;
            }
            let entry =
                v.audit("meeting.notice_withdraw", "meeting", Some(meeting_id), Some(&cell.path), snapshot(&n), None);
            audit::record(tx, &entry).await?;
            Ok(())
        })
    }
}
