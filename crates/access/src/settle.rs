//! Settling a member's events: the replay and everything derived from it (the record's
//! standing and cell, spans, the dated ledger, counters), and the recording of the events
//! that record edits and restructurings append (built by `chibo_domain::life::builders`).
//! Below `life`, `members`, `arrival` and `restructure`; it uses none of them.

use crate::load::{load_member, load_org, province_of};
use crate::{Outcome, Viewer};
use chibo_domain::life::{Effect, Event, History, Span, ancestry, member_ledger, rejection, replay, settle_record};
use chibo_domain::member::{Gender, MemberInput};
use chibo_domain::report::Traits;
use chibo_domain::{Problem, Validation};
use chibo_store::events::{self, EventRecord};
use chibo_store::members::{self, Member, NewMember};
use chibo_store::orgs;
use chibo_store::{Tx, change_counts, history, structure_changes, structure_counts};
use std::collections::HashSet;
use time::OffsetDateTime;
use uuid::Uuid;

pub(crate) fn events_of(records: &[EventRecord]) -> Vec<Event> {
    records.iter().map(|r| r.event.clone()).collect()
}

/// The new event must apply, and every event that applied before must still apply.
pub(crate) fn check_fits(before: &History, after: &History, new_id: Uuid) -> Outcome<()> {
    if let Some((_, why)) = after.rejected().find(|(e, _)| e.id == new_id) {
        return Err(Problem::Invalid(Validation { errors: vec![rejection(why)] }));
    }
    let was_applied: HashSet<Uuid> =
        before.events.iter().filter(|(_, eff)| *eff == Effect::Applied).map(|(e, _)| e.id).collect();
    if let Some((later, _)) = after.rejected().find(|(e, _)| was_applied.contains(&e.id)) {
        return Err(Problem::field(
            "effective",
            "contradicts_later_event",
            format!(
                "Ngày hiệu lực: mâu thuẫn với sự kiện “{}” ngày {} đã ghi.",
                later.kind.label(chibo_domain::Lang::Vi),
                chibo_domain::date::format_vn(later.effective)
            ),
            format!(
                "Effective date: contradicts the recorded event “{}” of {}.",
                later.kind.label(chibo_domain::Lang::En),
                later.effective
            ),
        ));
    }
    Ok(())
}

/// Bring everything derived from a member's events in step with `history` (the replay that
/// was `old`): the record's standing, cell and dates (with `input` as the record's other
/// fields), the stored spans, the dated ledger of every organisation concerned, the kept
/// changes, and the current counters.
pub(crate) async fn settle(
    tx: &mut Tx,
    before: &Member,
    input: &MemberInput,
    old: &History,
    history: &History,
) -> Outcome<Member> {
    let Some((next, life)) = settle_record(input, history) else {
        return Err(admission_needed());
    };
    let org = load_org(tx, next.org_id).await?;
    let old_spans = events::spans_of(tx, before.id).await?;
    check_spans_before_dissolution(tx, &old_spans, &history.spans).await?;
    update_ledger(tx, &old_spans, &before.input, &history.spans, &next).await?;
    change_counts::settled(tx, (old, traits(&before.input)), (history, traits(&next))).await?;
    structure_changes::settled(tx, (&old_spans, &before.input), (&history.spans, &next)).await?;
    if old_spans != history.spans {
        events::replace_spans(tx, before.id, &history.spans).await?;
    }
    let province = province_of(tx, &org).await?;
    let new = NewMember { id: before.id, org_path: &org.path, province_code: province, input: &next };
    if next != before.input || org.path != before.org_path {
        members::update(tx, &new, &before.input, &before.org_path, before.version).await?;
    }
    if life != before.life {
        members::set_life(tx, before.id, &life).await?;
    }
    let after = load_member(tx, before.id).await?;
    orgs::add_stats(tx, &before.org_path, before.stats().negate()).await?;
    orgs::add_stats(tx, &after.org_path, after.stats()).await?;
    let was = before.on_rolls().then_some((before.org_path.as_str(), &before.input, -1));
    let is = after.on_rolls().then_some((after.org_path.as_str(), &after.input, 1));
    structure_counts::shift(tx, &[was, is].into_iter().flatten().collect::<Vec<_>>()).await?;
    Ok(after)
}

/// A history without its admission settles into no record.
pub(crate) fn admission_needed() -> Problem {
    Problem::field(
        "ref_id",
        "admission_needed",
        "Hồ sơ đảng viên phải có sự kiện kết nạp; hãy ghi lại việc kết nạp đúng trước khi hủy bản ghi sai.",
        "A member record needs its admission; record the correct admission before voiding the wrong one.",
    )
}

/// Every new span must end by its organisation's dissolution: a correction (voiding a transfer
/// out, an attachment's end…) must not put a member back into a dissolved organisation, where
/// the counters and the dated ledger would disagree.
async fn check_spans_before_dissolution(tx: &mut Tx, old: &[Span], new: &[Span]) -> Outcome<()> {
    for s in new.iter().filter(|s| !old.contains(s)) {
        let org = load_org(tx, s.org_id).await?;
        if let Some(gone) = org.input.dissolved_on
            && s.to.is_none_or(|to| to > gone)
        {
            return Err(Problem::field(
                "effective",
                "org_dissolved",
                format!(
                    "Ngày hiệu lực: “{}” đã giải thể ngày {}; đảng viên không thể sinh hoạt ở đó sau ngày này.",
                    org.input.name,
                    chibo_domain::date::format_vn(gone)
                ),
                format!(
                    "Effective date: “{}” was dissolved on {gone}; no member can belong to it after that.",
                    org.input.name
                ),
            ));
        }
    }
    Ok(())
}

/// What the lines of an admission need from a record.
pub(crate) fn traits(i: &MemberInput) -> Traits {
    Traits { birth_date: i.birth_date, gender: i.gender, ethnicity_code: i.ethnicity_code }
}

/// What the dated ledger counts of a member besides its spans: (female, of an ethnic minority).
pub(crate) fn attrs(i: &MemberInput) -> (bool, bool) {
    (i.gender == Gender::Female, i.ethnicity_code != 1)
}

/// The ledger change from a member's old spans and attributes to the new ones.
async fn update_ledger(
    tx: &mut Tx,
    old: &[Span],
    old_input: &MemberInput,
    new: &[Span],
    new_input: &MemberInput,
) -> Outcome<()> {
    if old == new && attrs(old_input) == attrs(new_input) {
        return Ok(());
    }
    let org_ids: Vec<Uuid> = old.iter().chain(new).map(|s| s.org_id).collect();
    let links = history::ancestry_links(tx, &org_ids).await?;
    let ancestry_of = |org: Uuid| ancestry(org, &links);
    let (of, om) = attrs(old_input);
    let (nf, nm) = attrs(new_input);
    let mut ledger = member_ledger(new, nf, nm, &ancestry_of);
    ledger.merge(&member_ledger(old, of, om, &ancestry_of), -1);
    history::apply_ledger(tx, &ledger).await.map_err(Problem::from)
}

/// Append `extra` events to a member's and settle them with `input` as the record's fields
/// (a record edit, a transfer made by editing the cell, a restructuring that moves members).
pub(crate) async fn resettle(
    tx: &mut Tx,
    before: &Member,
    input: &MemberInput,
    extra: &[EventRecord],
) -> Outcome<Member> {
    let records = events::of_member(tx, before.id).await?;
    let old = replay(&events_of(&records));
    let mut all = events_of(&records);
    all.extend(extra.iter().map(|r| r.event.clone()));
    let new = replay(&all);
    for r in extra {
        check_fits(&old, &new, r.event.id)?;
    }
    events::insert_many(tx, extra).await?;
    settle(tx, before, input, &old, &new).await
}

/// Events recorded now by `v` in a member's history (the events built by
/// `chibo_domain::life::builders`).
pub(crate) fn recorded(v: &Viewer, member_id: Uuid, events: Vec<Event>) -> Vec<EventRecord> {
    let recorded_at = OffsetDateTime::now_utc();
    events
        .into_iter()
        .map(|event| EventRecord {
            member_id,
            event,
            recorded_by: v.user_id,
            recorded_by_name: v.display_name.clone(),
            recorded_at,
        })
        .collect()
}
