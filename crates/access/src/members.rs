//! Member records: read, list, create, edit, and a member's own corrections.

use crate::arrival::Arrival;
use crate::load::{load_member, load_org, member_target, province_of};
use crate::settle;
use crate::transaction::write;
use crate::when_missing;
use crate::{Chibo, Outcome, Viewer, snapshot};
use chibo_domain::access::{Action, Target};
use chibo_domain::life::{Decision, builders, replay, standing_changed};
use chibo_domain::member::{MemberInput, MemberStatus, OwnCorrection};
use chibo_domain::{FieldError, Problem, Validation, collation};
use chibo_store::members::{self, Cursor, Flag, Member, MemberSummary, NewMember, PageQuery};
use chibo_store::orgs::{self, Org};
use chibo_store::{Exec, Tx, audit, events};
use serde::Serialize;
use uuid::Uuid;

/// A member record as its page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct MemberView {
    pub member: Member,
    pub org: Org,
    /// Open review flags (possible duplicates).
    pub flags: Vec<Flag>,
    pub can_write: bool,
    pub can_correct: bool,
}

/// What a member list asks for.
#[derive(Debug, Clone, Default)]
pub struct PageRequest {
    pub search: Option<String>,
    pub status: Option<MemberStatus>,
    pub after: Option<Cursor>,
    pub limit: i64,
}

/// One page of a subtree's members.
#[derive(Debug, Clone, Serialize)]
pub struct MemberPage {
    pub items: Vec<MemberSummary>,
    #[serde(skip)]
    pub next: Option<Cursor>,
}

fn org_field_error(vi: &str, en: &str) -> Problem {
    Problem::field("org_id", "org_not_allowed", vi, en)
}

impl Chibo {
    /// Open a member's record; the opening is logged (`member.read`).
    pub async fn member(&self, v: &Viewer, id: Uuid) -> Outcome<MemberView> {
        let view = self.member_view(v, id).await?;
        self.log_read(v, "member.read", "member", id, &view.member.org_path).await?;
        Ok(view)
    }

    /// The record as the viewer may see it, without logging a read (the answer to a write,
    /// which is audited itself).
    async fn member_view(&self, v: &Viewer, id: Uuid) -> Outcome<MemberView> {
        let mut c = self.pools.read().await?;
        let member = load_member(&mut c, id).await?;
        v.check(Action::Read, member_target(&member))?;
        let org = load_org(&mut c, member.input.org_id).await?;
        let flags = members::flags(&mut c, id).await?;
        Ok(MemberView {
            can_write: v.may(Action::Write, member_target(&member)),
            can_correct: v.may(Action::CorrectOwn, member_target(&member)),
            member,
            org,
            flags,
        })
    }

    /// A page of the members of an organisation's whole subtree, in Vietnamese name order,
    /// optionally searched (diacritics ignored) and filtered by status.
    pub async fn members_page(&self, v: &Viewer, org_id: Uuid, req: &PageRequest) -> Outcome<MemberPage> {
        let mut c = self.pools.read().await?;
        let org = load_org(&mut c, org_id).await?;
        v.check_list(&org.path)?;
        let total = total_members(&mut c).await?;
        let terms = req.search.as_deref().map(collation::search_terms).unwrap_or_default();
        let q = PageQuery {
            root_path: &org.path,
            subtree_members: org.stats.members,
            all_members: total,
            terms: &terms,
            status: req.status,
            after: req.after.clone(),
            limit: if req.limit <= 0 { 50 } else { req.limit.min(200) },
        };
        let (items, next) = members::page(&mut c, &q).await?;
        Ok(MemberPage { items, next })
    }

    /// Add a member record to a cell. A citizen ID or card number already on file is refused;
    /// the same name and birth date in the same province is accepted and flagged for review.
    pub async fn create_member(&self, v: &Viewer, mut input: MemberInput) -> Outcome<MemberView> {
        input.normalize();
        let id = write!(self, |tx| { self.insert_member(v, tx, &input, Decision::default(), None).await })?;
        self.member_view(v, id).await
    }

    /// Receive a member transferred in from outside this installation (*tiếp nhận sinh hoạt
    /// đảng từ nơi khác đến*): the record's admission and recognition took place elsewhere, and
    /// the member counts here from the arrival.
    pub async fn receive_member(&self, v: &Viewer, mut input: MemberInput, arrival: &Arrival) -> Outcome<MemberView> {
        input.normalize();
        arrival.check(&input, self.today())?;
        let id = write!(self, |tx| { self.insert_member(v, tx, &input, Decision::default(), Some(arrival)).await })?;
        self.member_view(v, id).await
    }

    /// Insert a checked member record with its opening events (admission with `decision`,
    /// recognition if official), counters, duplicate flags and audit entry.
    pub(crate) async fn insert_member(
        &self,
        v: &Viewer,
        tx: &mut Tx,
        input: &MemberInput,
        decision: Decision,
        arrival: Option<&Arrival>,
    ) -> Outcome<Uuid> {
        let id = self.insert_member_unrecorded(v, tx, input, decision, arrival).await?;
        let created = load_member(tx, id).await?;
        record(tx, v, "member.create", &created, None).await?;
        Ok(id)
    }

    /// [`Self::insert_member`] without its audit entry (an import records one for its file).
    pub(crate) async fn insert_member_unrecorded(
        &self,
        v: &Viewer,
        tx: &mut Tx,
        input: &MemberInput,
        decision: Decision,
        arrival: Option<&Arrival>,
    ) -> Outcome<Uuid> {
        let org = self.writable_cell(v, tx, input.org_id).await?;
        let mut val = input.validate(self.today());
        decision.check_texts(&mut val);
        val.finish(())?;
        let id = Uuid::now_v7();
        let province = province_of(tx, &org).await?;
        let new = NewMember { id, org_path: &org.path, province_code: province, input };
        check_unique(v, tx, input, None).await?;
        members::insert_many(tx, std::slice::from_ref(&new)).await?;
        orgs::add_stats(tx, &org.path, members::stats_of(input)).await?;
        if members::stats_of(input).members > 0 {
            chibo_store::structure_counts::shift(tx, &[(org.path.as_str(), input, 1)]).await?;
        }
        for other in members::same_person_candidates(tx, &new).await? {
            members::add_flag(tx, id, other, "possible_duplicate").await?;
        }
        // The record starts its history: admission into this cell and, if official, recognition.
        let inserted = load_member(tx, id).await?;
        let mut opening = builders::opening_events(input);
        if let Some(admitted) = opening.first_mut() {
            admitted.decision = decision;
        }
        if let Some(a) = arrival {
            crate::arrival::receive(&mut opening, input, a);
        }
        settle::resettle(tx, &inserted, input, &settle::recorded(v, id, opening)).await?;
        Ok(id)
    }

    /// Replace a member record (staff and secretaries). `version` is the one the editor read.
    pub async fn update_member(
        &self,
        v: &Viewer,
        id: Uuid,
        mut input: MemberInput,
        version: i64,
    ) -> Outcome<MemberView> {
        input.normalize();
        write!(self, |tx| {
            let before = load_member(tx, id).await?;
            v.check(Action::Write, member_target(&before))?;
            let org = if input.org_id == before.input.org_id {
                load_org(tx, before.input.org_id).await?
            } else {
                self.writable_cell(v, tx, input.org_id).await?
            };
            let mut val = input.validate(self.today());
            // Standing and its dates unchanged were set by events and checked by their replay (an
            // ended or re-admitted member's record does not fit the entry form's rule).
            let b = &before.input;
            if (b.status, b.admission_date, b.official_date)
                == (input.status, input.admission_date, input.official_date)
            {
                val.errors.retain(|e| !matches!(e.field.as_str(), "status" | "official_date"));
            }
            if let Some(e) = standing_changed(&before.input, &input) {
                val.push(e);
            }
            val.finish(())?;
            self.replace(v, tx, &before, &org, &input, version, "member.update").await?;
            Ok(())
        })?;
        self.member_view(v, id).await
    }

    /// A member corrects the personal contact fields of their own record.
    pub async fn correct_own(&self, v: &Viewer, id: Uuid, fix: &OwnCorrection, version: i64) -> Outcome<MemberView> {
        write!(self, |tx| {
            let before = load_member(tx, id).await?;
            v.check(Action::CorrectOwn, member_target(&before))?;
            let mut input = before.input.clone();
            fix.apply(&mut input);
            input.normalize();
            // Only the corrected fields can fail here; older records may break newer rules.
            let val = input.validate(self.today());
            let own_fields = ["phone", "email", "permanent_residence", "current_residence"];
            Validation { errors: val.errors.into_iter().filter(|e| own_fields.contains(&e.field.as_str())).collect() }
                .finish(())?;
            let org = load_org(tx, before.input.org_id).await?;
            self.replace(v, tx, &before, &org, &input, version, "member.correct_own").await?;
            Ok(())
        })?;
        self.member_view(v, id).await
    }

    #[allow(clippy::too_many_arguments)]
    async fn replace(
        &self,
        v: &Viewer,
        tx: &mut Tx,
        before: &Member,
        org: &Org,
        input: &MemberInput,
        version: i64,
        action: &str,
    ) -> Outcome<()> {
        check_unique(v, tx, input, Some(before.id)).await?;
        if version != before.version {
            return Err(Problem::stale());
        }
        // Corrected entry dates void the wrong events and record the right ones; changing the
        // cell in the record is an official transfer today. All as events.
        let records = events::of_member(tx, before.id).await?;
        let history = replay(&settle::events_of(&records));
        let mut extra = builders::date_corrections(&history, &before.input, input, self.today());
        if org.id != before.input.org_id {
            extra.extend(builders::transfer_events(org.id, self.today(), &Decision::default()));
        }
        let after = settle::resettle(tx, before, input, &settle::recorded(v, before.id, extra)).await?;
        let new = NewMember { id: before.id, org_path: &after.org_path, province_code: after.province_code, input };
        let name_or_birth_changed =
            before.input.search_key() != input.search_key() || before.input.birth_date != input.birth_date;
        if name_or_birth_changed {
            for other in members::same_person_candidates(tx, &new).await? {
                members::add_flag(tx, before.id, other, "possible_duplicate").await?;
            }
        }
        let after = load_member(tx, before.id).await?;
        record(tx, v, action, &after, snapshot(before)).await
    }

    /// Close a possible-duplicate flag after review: needs the right to change the flagged
    /// record. Closing a closed flag changes nothing.
    pub async fn resolve_flag(&self, v: &Viewer, flag_id: Uuid) -> Outcome<()> {
        write!(self, |tx| {
            let flag = members::flag_by_id(tx, flag_id).await?.ok_or(Problem::NotFound)?;
            let member = load_member(tx, flag.member_id).await?;
            v.check(Action::Write, member_target(&member))?;
            if flag.resolved_at.is_some() {
                return Ok(());
            }
            members::resolve_flag(tx, flag_id, v.user_id).await?;
            let entry = v.audit(
                "member.flag_resolve",
                "member",
                Some(member.id),
                Some(&member.org_path),
                snapshot(&flag),
                None,
            );
            audit::record(tx, &entry).await?;
            Ok(())
        })
    }

    /// The cell a record may be written into: a cell, not dissolved, writable by the viewer.
    pub(crate) async fn writable_cell(&self, v: &Viewer, tx: &mut Tx, org_id: Uuid) -> Outcome<Org> {
        let hidden = || Problem::field("org_id", "not_found", "Chi bộ: không tìm thấy.", "Cell: not found.");
        let org = load_org(tx, org_id).await.map_err(when_missing(hidden))?;
        match v.check(Action::Write, Target::Org { path: &org.path }) {
            Ok(()) => {}
            Err(Problem::NotFound) => return Err(hidden()),
            Err(other) => return Err(other),
        }
        if !org.kind().is_cell() {
            return Err(org_field_error(
                "Chi bộ: đảng viên sinh hoạt tại một chi bộ (chi bộ cơ sở hoặc chi bộ trực thuộc).",
                "Cell: members belong to a cell (a base cell or a subordinate cell).",
            ));
        }
        if org.is_dissolved() {
            return Err(org_field_error("Chi bộ: chi bộ này đã giải thể.", "Cell: this cell is dissolved."));
        }
        Ok(org)
    }
}

/// All member records (the size of the global name index), from the roots' counters.
pub(crate) async fn total_members(e: &mut impl Exec) -> Outcome<i64> {
    let roots = orgs::roots(e).await?;
    Ok(roots.iter().map(|r| r.stats.members).sum())
}

/// A citizen ID or card number already on someone else's record is a conflict.
/// Citizen ID (*CCCD*) and party card number are unique across the whole installation, so a
/// refusal tells the viewer that the number exists, even on a record outside their subtree.
/// That is accepted (two records for one person would be worse); when the holder is outside
/// the viewer's reach the refusal is logged (viewer and holder ids, never the number).
async fn check_unique(v: &Viewer, tx: &mut Tx, input: &MemberInput, except: Option<Uuid>) -> Outcome<()> {
    for (field, value) in
        [("citizen_id", &input.profile.citizen_id), ("party_card_number", &input.profile.party_card_number)]
    {
        let Some(value) = value else { continue };
        if let Some(holder) = members::holder_of(tx, field, value, except).await? {
            let held = load_member(tx, holder).await?;
            if !v.may(Action::Read, member_target(&held)) {
                tracing::warn!(
                    viewer = v.username(),
                    viewer_id = ?v.user_id,
                    field,
                    holder = %holder,
                    "uniqueness refusal names a record outside the viewer's subtree"
                );
            }
            return Err(Problem::Conflict(FieldError::duplicate(field)));
        }
    }
    Ok(())
}

async fn record(tx: &mut Tx, v: &Viewer, action: &str, m: &Member, before: Option<serde_json::Value>) -> Outcome<()> {
    let entry = v.audit(action, "member", Some(m.id), Some(&m.org_path), before, snapshot(m));
    audit::record(tx, &entry).await.map_err(Problem::from)
}
