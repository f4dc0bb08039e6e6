//! Replaying a member's events into their state on any date, their spans of membership in
//! organisations, and the gaps that do not count toward party age.
//!
//! The result depends only on the set of events, never on the order they were entered in:
//! events are applied in a canonical order (date, then the kind's rank: transfers out, admissions and arrivals first, endings last; then content).

use super::event::{DisciplineForm, Event, EventKind};
use crate::member::MemberStatus;
use serde::Serialize;
use std::collections::HashSet;
use time::Date;
use uuid::Uuid;

/// Where the member is on the rolls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Placement {
    /// Not yet admitted.
    None,
    /// On the rolls of this organisation (home, *nơi sinh hoạt chính thức*).
    Home { org_id: Uuid },
    /// Transferred out of `from`, not yet received by `to` (both inside this installation).
    Transit { from: Uuid, to: Uuid },
    /// Outside this installation (admitted elsewhere and not yet arrived, or transferred away).
    Outside,
}

/// A member's state on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct State {
    /// `None` before admission.
    pub standing: Option<MemberStatus>,
    pub placement: Placement,
    /// The last organisation the member belonged to (kept when the membership ends).
    pub last_org: Option<Uuid>,
    pub first_admission: Option<Date>,
    /// The latest admission or re-admission: the start of the current probation.
    pub admission: Option<Date>,
    pub official: Option<Date>,
    pub attached_to: Option<Uuid>,
    pub exempt_since: Option<Date>,
    pub out_of_contact_since: Option<Date>,
    /// When membership ended (struck off, left, expelled, died).
    pub ended_on: Option<Date>,
}

impl State {
    fn empty() -> State {
        State {
            standing: None,
            placement: Placement::None,
            last_org: None,
            first_admission: None,
            admission: None,
            official: None,
            attached_to: None,
            exempt_since: None,
            out_of_contact_since: None,
            ended_on: None,
        }
    }

    /// The status the registry shows: the standing, or "transferred away" for an active member
    /// outside this installation.
    pub fn status(&self) -> Option<MemberStatus> {
        match (self.standing, self.placement) {
            (Some(s), Placement::Outside) if s.is_active() => Some(MemberStatus::TransferredAway),
            (s, _) => s,
        }
    }

    /// The organisation that counts the member (home), if any.
    pub fn home(&self) -> Option<Uuid> {
        match (self.standing, self.placement) {
            (Some(s), Placement::Home { org_id }) if s.is_active() => Some(org_id),
            _ => None,
        }
    }
}

/// What a span records: membership of the home organisation, or temporary attachment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpanKind {
    Home,
    Attached,
}

impl SpanKind {
    pub fn code(self) -> &'static str {
        match self {
            SpanKind::Home => "home",
            SpanKind::Attached => "attached",
        }
    }
    pub fn parse(s: &str) -> Option<SpanKind> {
        [SpanKind::Home, SpanKind::Attached].into_iter().find(|k| k.code() == s)
    }
}

/// A period `[from, to)` in one organisation with one standing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    pub kind: SpanKind,
    pub org_id: Uuid,
    pub status: MemberStatus,
    pub from: Date,
    pub to: Option<Date>,
}

/// Why a period does not count toward party age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GapKind {
    /// Between an ending (struck off, left, expelled) and re-admission.
    OutOfParty,
    OutOfContact,
    /// Between leaving one organisation and arriving in the next.
    Transfer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub kind: GapKind,
    pub from: Date,
    pub to: Option<Date>,
}

/// How one event fared in the replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    Applied,
    /// Named by a `Voided` event.
    Voided,
    /// An expulsion annulled as wrongful.
    Cleared,
    /// Did not fit the state on its date (the reason code).
    Rejected(&'static str),
}

/// A member's whole history, replayed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct History {
    /// Every event in canonical order with its effect.
    pub events: Vec<(Event, Effect)>,
    /// The state after every event.
    pub state: State,
    pub spans: Vec<Span>,
    pub gaps: Vec<Gap>,
    /// The date party age counts from: the first admission decision's signing date, or the
    /// first admission's date.
    pub age_from: Option<Date>,
}

impl History {
    pub fn rejected(&self) -> impl Iterator<Item = (&Event, &'static str)> {
        self.events.iter().filter_map(|(e, eff)| match eff {
            Effect::Rejected(why) => Some((e, *why)),
            _ => None,
        })
    }
}

/// The canonical order: date, rank, then content, so that entry order never matters.
fn canonical(a: &Event, b: &Event) -> std::cmp::Ordering {
    (a.effective, a.kind.rank(), a.kind, a.org_id, a.ref_id, &a.decision.number, a.id).cmp(&(
        b.effective,
        b.kind.rank(),
        b.kind,
        b.org_id,
        b.ref_id,
        &b.decision.number,
        b.id,
    ))
}

/// Replay every event.
pub fn replay(events: &[Event]) -> History {
    replay_until(events, None)
}

/// The state on `on`: the events effective on or before that date (corrections apply to
/// every date: a voided event never happened).
pub fn state_on(events: &[Event], on: Date) -> State {
    replay_until(events, Some(on)).state
}

/// The state just before `event` takes effect: every event before it in the canonical order
/// (so the same-day events ranked before it count), corrections applying to every date. The
/// checks of a new event are judged on this state, not on the latest one.
pub fn state_before(events: &[Event], event: &Event) -> State {
    replay_where(events, &|e| canonical(e, event).is_lt()).state
}

fn replay_until(events: &[Event], until: Option<Date>) -> History {
    replay_where(events, &|e| until.is_none_or(|u| e.effective <= u))
}

/// Replay the events that `keep` selects; corrections are honoured whichever events are kept.
fn replay_where(events: &[Event], keep: &dyn Fn(&Event) -> bool) -> History {
    let live = |e: &Event| !events.iter().any(|v| v.kind == EventKind::Voided && v.ref_id == Some(e.id));
    let voided: HashSet<Uuid> = events.iter().filter(|e| !live(e)).map(|e| e.id).collect();
    // Voids of voids are not honoured: a void is itself corrected by recording the event again.
    let cleared: HashSet<Uuid> = events
        .iter()
        .filter(|e| e.kind == EventKind::ExpulsionCleared && !voided.contains(&e.id))
        .filter_map(|e| e.ref_id)
        .collect();
    let mut sorted: Vec<&Event> = events.iter().filter(|e| keep(e)).collect();
    sorted.sort_by(|a, b| canonical(a, b));
    let mut r = Replayer { s: State::empty(), spans: Vec::new(), gaps: Vec::new(), age_from: None };
    let mut out = Vec::with_capacity(sorted.len());
    for e in sorted {
        let effect = if voided.contains(&e.id) {
            Effect::Voided
        } else if cleared.contains(&e.id) && e.kind == EventKind::Disciplined {
            Effect::Cleared
        } else {
            match r.apply(e) {
                Ok(()) => Effect::Applied,
                Err(why) => Effect::Rejected(why),
            }
        };
        out.push((e.clone(), effect));
    }
    History { events: out, state: r.s, spans: r.spans, gaps: r.gaps, age_from: r.age_from }
}

struct Replayer {
    s: State,
    spans: Vec<Span>,
    gaps: Vec<Gap>,
    age_from: Option<Date>,
}

impl Replayer {
    fn active(&self) -> Result<MemberStatus, &'static str> {
        self.s.standing.filter(|s| s.is_active()).ok_or("not_a_member")
    }

    fn home(&self) -> Result<Uuid, &'static str> {
        self.active()?;
        match self.s.placement {
            Placement::Home { org_id } => Ok(org_id),
            _ => Err("not_on_rolls"),
        }
    }

    fn open(&mut self, kind: SpanKind, org_id: Uuid, status: MemberStatus, from: Date) {
        self.spans.push(Span { kind, org_id, status, from, to: None });
    }

    /// Close the open spans of `kind` (all kinds when `None`) at `on`; empty spans vanish.
    fn close(&mut self, kind: Option<SpanKind>, on: Date) {
        for s in self.spans.iter_mut().filter(|s| s.to.is_none() && kind.is_none_or(|k| k == s.kind)) {
            s.to = Some(on);
        }
        self.spans.retain(|s| s.to != Some(s.from));
    }

    /// Why party age is not counting in the current state, if it is not.
    fn gap_reason(&self) -> Option<GapKind> {
        match self.s.standing? {
            MemberStatus::StruckOff | MemberStatus::Left | MemberStatus::Expelled => Some(GapKind::OutOfParty),
            s if s.is_active() && self.s.out_of_contact_since.is_some() => Some(GapKind::OutOfContact),
            s if s.is_active() && matches!(self.s.placement, Placement::Transit { .. }) => Some(GapKind::Transfer),
            _ => None,
        }
    }

    /// Open a gap when party age stops counting, and close the open one only when no reason is
    /// left (out of contact during a transfer: the gap lasts until both are over). An open gap
    /// keeps the kind it started with.
    fn sync_gap(&mut self, on: Date) {
        let open = self.gaps.iter().any(|g| g.to.is_none());
        match self.gap_reason() {
            Some(kind) if !open => self.gaps.push(Gap { kind, from: on, to: None }),
            None if open => {
                for g in self.gaps.iter_mut().filter(|g| g.to.is_none()) {
                    g.to = Some(on);
                }
                self.gaps.retain(|g| g.to != Some(g.from));
            }
            _ => {}
        }
    }

    /// Re-open the home and attachment spans with a new standing from `on`.
    fn restate(&mut self, status: MemberStatus, on: Date) {
        let open: Vec<Span> = self.spans.iter().filter(|s| s.to.is_none()).copied().collect();
        self.close(None, on);
        for s in open {
            self.open(s.kind, s.org_id, status, on);
        }
    }

    /// Membership ends: spans close, attachment and exemption end.
    fn end(&mut self, status: MemberStatus, on: Date) {
        self.close(None, on);
        self.s.standing = Some(status);
        self.s.ended_on = Some(on);
        self.s.attached_to = None;
        self.s.exempt_since = None;
        self.s.out_of_contact_since = None;
        if let Placement::Transit { from, .. } = self.s.placement {
            self.s.placement = Placement::Home { org_id: from };
        }
    }

    fn arrive(&mut self, org: Option<Uuid>, status: MemberStatus, on: Date) {
        match org {
            Some(org_id) => {
                self.s.placement = Placement::Home { org_id };
                self.s.last_org = Some(org_id);
                self.open(SpanKind::Home, org_id, status, on);
            }
            None => self.s.placement = Placement::Outside,
        }
    }

    fn apply(&mut self, e: &Event) -> Result<(), &'static str> {
        self.apply_kind(e)?;
        self.sync_gap(e.effective);
        Ok(())
    }

    fn apply_kind(&mut self, e: &Event) -> Result<(), &'static str> {
        use EventKind::*;
        let on = e.effective;
        match e.kind {
            Admitted => {
                if self.s.standing.is_some() {
                    return Err("already_admitted");
                }
                self.s.standing = Some(MemberStatus::Probationary);
                self.s.first_admission = Some(on);
                self.s.admission = Some(on);
                self.age_from = Some(e.decision.signed_on.filter(|d| *d <= on).unwrap_or(on));
                self.arrive(e.org_id, MemberStatus::Probationary, on);
            }
            Readmitted => {
                match self.s.standing {
                    Some(MemberStatus::StruckOff | MemberStatus::Left | MemberStatus::Expelled) => {}
                    _ => return Err("not_out_of_party"),
                }
                self.s.standing = Some(MemberStatus::Probationary);
                self.s.admission = Some(on);
                self.s.official = None;
                self.s.ended_on = None;
                self.arrive(e.org_id, MemberStatus::Probationary, on);
            }
            Recognized => {
                if self.active()? != MemberStatus::Probationary {
                    return Err("not_probationary");
                }
                self.s.standing = Some(MemberStatus::Official);
                self.s.official = Some(on);
                self.restate(MemberStatus::Official, on);
            }
            TransferredOut => {
                let from = self.home()?;
                if e.org_id == Some(from) {
                    return Err("same_org");
                }
                self.close(None, on);
                self.s.attached_to = None;
                match e.org_id {
                    Some(to) => self.s.placement = Placement::Transit { from, to },
                    None => self.s.placement = Placement::Outside,
                }
            }
            TransferredIn => {
                let status = self.active()?;
                let org = e.org_id.ok_or("org_required")?;
                match self.s.placement {
                    Placement::Transit { to, .. } if to == org => {}
                    Placement::Transit { .. } => return Err("transfer_elsewhere"),
                    Placement::Outside => {}
                    _ => return Err("not_transferring"),
                }
                self.arrive(Some(org), status, on);
            }
            AttachmentStarted => {
                let (status, home) = (self.active()?, self.home()?);
                let host = e.org_id.ok_or("org_required")?;
                if host == home {
                    return Err("same_org");
                }
                if self.s.attached_to.is_some() {
                    return Err("already_attached");
                }
                self.s.attached_to = Some(host);
                self.open(SpanKind::Attached, host, status, on);
            }
            AttachmentEnded => {
                self.s.attached_to.ok_or("not_attached")?;
                self.s.attached_to = None;
                self.close(Some(SpanKind::Attached), on);
            }
            ExemptionStarted => {
                self.active()?;
                if self.s.exempt_since.is_some() {
                    return Err("already_exempt");
                }
                self.s.exempt_since = Some(on);
            }
            ExemptionEnded => {
                self.s.exempt_since.take().ok_or("not_exempt")?;
            }
            ContactLost => {
                self.active()?;
                if self.s.out_of_contact_since.is_some() {
                    return Err("already_out_of_contact");
                }
                self.s.out_of_contact_since = Some(on);
            }
            ContactRestored => {
                self.s.out_of_contact_since.take().ok_or("not_out_of_contact")?;
            }
            Disciplined => {
                let status = self.active()?;
                let form = e.detail.form.ok_or("form_required")?;
                if status == MemberStatus::Probationary
                    && matches!(form, DisciplineForm::Removal | DisciplineForm::Expulsion)
                {
                    return Err("form_not_for_probationary");
                }
                if form == DisciplineForm::Expulsion {
                    self.end(MemberStatus::Expelled, on);
                }
            }
            StruckOff => {
                self.active()?;
                self.end(MemberStatus::StruckOff, on);
            }
            Left => {
                self.active()?;
                self.end(MemberStatus::Left, on);
            }
            Died => {
                self.active()?;
                self.end(MemberStatus::Deceased, on);
            }
            // Corrections act through the sets computed before the replay.
            ExpulsionCleared | Voided => {}
        }
        Ok(())
    }
}

/// Why an event does not fit the history, as a field error (the reason codes of
/// [`Effect::Rejected`]).
pub fn rejection(code: &'static str) -> crate::FieldError {
    let (field, vi, en) = match code {
        "already_admitted" => (
            "kind",
            "Đảng viên đã được kết nạp; dùng “Kết nạp lại” nếu đã ra khỏi Đảng.",
            "The member is already admitted; use re-admission after leaving.",
        ),
        "not_out_of_party" => (
            "kind",
            "Chỉ kết nạp lại người đã bị xóa tên, khai trừ hoặc đã ra khỏi Đảng.",
            "Only someone struck off, expelled or who left can be re-admitted.",
        ),
        "not_probationary" => (
            "kind",
            "Chỉ công nhận chính thức cho đảng viên dự bị.",
            "Only a probationary member can be recognised as official.",
        ),
        "not_a_member" => {
            ("effective", "Vào ngày này người này không phải là đảng viên.", "On this date the person is not a member.")
        }
        "not_on_rolls" => (
            "effective",
            "Vào ngày này đảng viên không sinh hoạt tại một tổ chức của hệ thống (đang chuyển hoặc ở nơi khác).",
            "On this date the member is not on an organisation's rolls here (in transfer or elsewhere).",
        ),
        "same_org" => (
            "org_id",
            "Tổ chức: phải khác nơi đảng viên đang sinh hoạt.",
            "Organisation: must differ from the member's own.",
        ),
        "org_required" => ("org_id", "Tổ chức: bắt buộc phải chọn.", "Organisation: required."),
        "transfer_elsewhere" => (
            "org_id",
            "Tổ chức: đảng viên đang được chuyển đến một tổ chức khác.",
            "Organisation: the member is being transferred to another organisation.",
        ),
        "not_transferring" => (
            "kind",
            "Đảng viên không có quyết định chuyển sinh hoạt đang chờ tiếp nhận.",
            "The member has no transfer waiting to be received.",
        ),
        "already_attached" => (
            "kind",
            "Đảng viên đang sinh hoạt tạm thời ở nơi khác.",
            "The member is already temporarily attached elsewhere.",
        ),
        "not_attached" => ("kind", "Đảng viên không sinh hoạt tạm thời.", "The member is not temporarily attached."),
        "already_exempt" => ("kind", "Đảng viên đã được miễn công tác và sinh hoạt.", "The member is already exempt."),
        "not_exempt" => ("kind", "Đảng viên không được miễn công tác và sinh hoạt.", "The member is not exempt."),
        "already_out_of_contact" => {
            ("kind", "Đảng viên đã được ghi là mất liên lạc.", "The member is already out of contact.")
        }
        "not_out_of_contact" => {
            ("kind", "Đảng viên không ở tình trạng mất liên lạc.", "The member is not out of contact.")
        }
        "form_required" => ("form", "Hình thức kỷ luật: bắt buộc phải chọn.", "Discipline form: required."),
        "form_not_for_probationary" => (
            "form",
            "Hình thức kỷ luật: đảng viên dự bị chỉ bị khiển trách hoặc cảnh cáo (không đủ tư cách thì xóa tên). Căn cứ: Quy định 69-QĐ/TW.",
            "Discipline form: a probationary member can only be reprimanded or warned (unfit ones are struck off). Source: 69-QĐ/TW.",
        ),
        _ => (
            "kind",
            "Sự kiện không phù hợp với quá trình của đảng viên.",
            "The event does not fit the member's history.",
        ),
    };
    crate::FieldError::new(field, code, vi, en)
}
