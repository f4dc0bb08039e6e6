//! A member's timeline: events with their effect, the state they lead to, gaps, party age.

use super::records::MemberBody;
use super::{PartyAge, iso, iso_opt};
use chibo_access::domain::life::{Decision, Detail, Effect, party_age};
use chibo_access::{Lang, Timeline, TimelineEntry};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionBody {
    pub number: Option<String>,
    pub body: Option<String>,
    pub signed_on: Option<String>,
}

impl From<&Decision> for DecisionBody {
    fn from(d: &Decision) -> Self {
        DecisionBody { number: d.number.clone(), body: d.body.clone(), signed_on: iso_opt(d.signed_on) }
    }
}

/// What an event says beyond its kind and date.
#[derive(Debug, Serialize, ToSchema)]
pub struct DetailBody {
    pub reason: Option<String>,
    pub ground: Option<String>,
    pub ground_label: Option<String>,
    pub form: Option<String>,
    pub form_label: Option<String>,
    pub place: Option<String>,
    pub until: Option<String>,
    pub votes_for: Option<u32>,
    pub vote_base: Option<u32>,
}

impl DetailBody {
    fn new(d: &Detail, lang: Lang) -> DetailBody {
        DetailBody {
            reason: d.reason.clone(),
            ground: d.ground.map(|g| g.code().to_string()),
            ground_label: d.ground.map(|g| g.label(lang).to_string()),
            form: d.form.map(|f| f.code().to_string()),
            form_label: d.form.map(|f| f.label(lang).to_string()),
            place: d.place.clone(),
            until: iso_opt(d.until),
            votes_for: d.votes_for,
            vote_base: d.vote_base,
        }
    }
}

/// An event of the timeline and how the replay took it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventBody {
    pub id: Uuid,
    pub kind: String,
    pub kind_label: String,
    pub effective: String,
    /// Absent when the organisation is outside the viewer's subtrees.
    pub org_id: Option<Uuid>,
    pub org_name: Option<String>,
    pub ref_id: Option<Uuid>,
    pub decision: DecisionBody,
    pub detail: DetailBody,
    /// `applied`, `voided`, `cleared` or `rejected`.
    pub effect: String,
    pub rejected_because: Option<String>,
    /// The event that voided or cleared this one.
    pub corrected_by: Option<Uuid>,
    pub recorded_by_name: String,
    /// Unix seconds.
    pub recorded_at: i64,
}

impl EventBody {
    fn new(t: &Timeline, e: &TimelineEntry, lang: Lang) -> EventBody {
        let ev = &e.record.event;
        let (effect, rejected) = effect_code(e.effect);
        EventBody {
            id: ev.id,
            kind: ev.kind.code().to_string(),
            kind_label: ev.kind.label(lang).to_string(),
            effective: iso(ev.effective),
            // An organisation outside the viewer's subtrees is not named, nor identified.
            org_id: e.org_name.as_ref().and(ev.org_id),
            org_name: e.org_name.clone(),
            ref_id: ev.ref_id,
            decision: DecisionBody::from(&ev.decision),
            detail: DetailBody::new(&ev.detail, lang),
            effect: effect.to_string(),
            rejected_because: rejected.map(str::to_string),
            corrected_by: corrected_by(t, e).map(|c| c.record.event.id),
            recorded_by_name: e.record.recorded_by_name.clone(),
            recorded_at: e.record.recorded_at.unix_timestamp(),
        }
    }
}

/// Where the events leave the member.
#[derive(Debug, Serialize, ToSchema)]
pub struct LifeState {
    pub status: Option<String>,
    pub first_admission: Option<String>,
    pub admission: Option<String>,
    pub official: Option<String>,
    pub exempt_since: Option<String>,
    pub out_of_contact_since: Option<String>,
    pub ended_on: Option<String>,
    pub in_transit: bool,
}

/// A period that does not count toward party age.
#[derive(Debug, Serialize, ToSchema)]
pub struct GapBody {
    /// `out_of_party`, `out_of_contact` or `transfer`.
    pub kind: String,
    pub from: String,
    pub to: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineBody {
    pub member: MemberBody,
    pub can_write: bool,
    pub state: LifeState,
    pub party_age: Option<PartyAge>,
    pub events: Vec<EventBody>,
    pub gaps: Vec<GapBody>,
}

impl TimelineBody {
    /// The timeline, the party age counted to `today`.
    pub fn new(t: &Timeline, lang: Lang, today: time::Date) -> TimelineBody {
        let s = &t.history.state;
        TimelineBody {
            member: MemberBody::new(&t.member, lang),
            can_write: t.can_write,
            state: LifeState {
                status: s.status().map(|s| s.code().to_string()),
                first_admission: iso_opt(s.first_admission),
                admission: iso_opt(s.admission),
                official: iso_opt(s.official),
                exempt_since: iso_opt(s.exempt_since),
                out_of_contact_since: iso_opt(s.out_of_contact_since),
                ended_on: iso_opt(s.ended_on),
                in_transit: t.member.life.transit_org_id.is_some(),
            },
            party_age: party_age(&t.history, today).as_ref().map(PartyAge::from),
            events: t.events.iter().map(|e| EventBody::new(t, e, lang)).collect(),
            gaps: t
                .history
                .gaps
                .iter()
                .map(|g| GapBody {
                    kind: serde_json::to_value(g.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    from: iso(g.from),
                    to: iso_opt(g.to),
                })
                .collect(),
        }
    }
}

/// The event that voided or cleared `entry`, if any.
pub(crate) fn corrected_by<'a>(t: &'a Timeline, entry: &TimelineEntry) -> Option<&'a TimelineEntry> {
    let id = entry.record.event.id;
    t.events.iter().find(|e| e.record.event.ref_id == Some(id) && e.effect == Effect::Applied)
}

/// `applied`, `voided`, `cleared` or `rejected`, and the reason of a rejection.
pub(crate) fn effect_code(e: Effect) -> (&'static str, Option<&'static str>) {
    match e {
        Effect::Applied => ("applied", None),
        Effect::Voided => ("voided", None),
        Effect::Cleared => ("cleared", None),
        Effect::Rejected(why) => ("rejected", Some(why)),
    }
}
