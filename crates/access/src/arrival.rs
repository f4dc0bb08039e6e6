//! A member received from outside this installation: admitted (and maybe recognized) elsewhere,
//! counted here from the arrival.

use crate::{Outcome, Viewer, today};
use chibo_domain::life::{Decision, EventKind};
use chibo_domain::member::MemberInput;
use chibo_domain::{FieldError, Validation};
use chibo_store::events::EventRecord;
use serde::{Deserialize, Serialize};
use time::Date;

/// Where and when the member came from, and the decision receiving them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arrival {
    pub on: Date,
    /// The party organisation the member comes from (outside this installation).
    pub from_place: String,
    #[serde(default)]
    pub decision: Decision,
}

impl Arrival {
    pub(crate) fn check(&self, input: &MemberInput) -> Outcome<()> {
        let mut v = Validation::default();
        if self.from_place.trim().is_empty() {
            v.push(FieldError::required("arrival.from_place", "Nơi chuyển đến từ", "Coming from"));
        }
        chibo_domain::text::EVENT_PLACE.on("arrival.from_place").check_into(&mut v, Some(&self.from_place));
        self.decision.check_texts(&mut v);
        if self.on > today() || self.on < input.admission_date {
            v.push(FieldError::new(
                "arrival.on",
                "arrival_out_of_range",
                "Ngày đến: từ ngày vào Đảng đến hôm nay.",
                "Arrival date: from the admission date up to today.",
            ));
        }
        Ok(v.finish(())?)
    }
}

/// The opening events of a received member: the admission took place elsewhere, then the
/// arrival into the cell.
pub(crate) fn receive(opening: &mut Vec<EventRecord>, input: &MemberInput, a: &Arrival, v: &Viewer) {
    let Some(first) = opening.first_mut() else { return };
    let member_id = first.member_id;
    first.event.org_id = None;
    first.event.detail.place = Some(a.from_place.trim().to_string());
    let mut arrived =
        crate::settle::event_record(v, member_id, EventKind::TransferredIn, a.on, Some(input.org_id), None);
    arrived.event.decision = a.decision.clone();
    arrived.event.detail.place = Some(a.from_place.trim().to_string());
    opening.push(arrived);
}
