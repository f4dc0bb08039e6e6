//! A member received from outside this installation: admitted (and maybe recognized) elsewhere,
//! counted here from the arrival.

use crate::Outcome;
use chibo_domain::life::{Decision, Event, EventKind, builders};
use chibo_domain::member::MemberInput;
use chibo_domain::{FieldError, Validation};
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
    pub(crate) fn check(&self, input: &MemberInput, today: time::Date) -> Outcome<()> {
        let mut v = Validation::default();
        if self.from_place.trim().is_empty() {
            v.push(FieldError::required("arrival.from_place", "Nơi chuyển đến từ", "Coming from"));
        }
        chibo_domain::text::EVENT_PLACE.on("arrival.from_place").check_into(&mut v, Some(&self.from_place));
        self.decision.check_texts(&mut v);
        if self.on > today || self.on < input.admission_date {
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
pub(crate) fn receive(opening: &mut Vec<Event>, input: &MemberInput, a: &Arrival) {
    let Some(first) = opening.first_mut() else { return };
    first.org_id = None;
    first.detail.place = Some(a.from_place.trim().to_string());
    let mut arrived = builders::event(EventKind::TransferredIn, a.on, Some(input.org_id), None);
    arrived.decision = a.decision.clone();
    arrived.detail.place = Some(a.from_place.trim().to_string());
    opening.push(arrived);
}
