//! The member record as the registry keeps it after the member's events: one derivation for
//! the application, the bulk loader and `chibo check`.

use super::replay::{History, Placement};
use crate::error::FieldError;
use crate::member::MemberInput;
use serde::Serialize;
use time::Date;
use uuid::Uuid;

/// The parts of a member's replayed state stored beside the record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RecordLife {
    /// Exempt from work and activities since (*miễn công tác và sinh hoạt*).
    pub exempt_since: Option<Date>,
    /// Temporarily attached to this host organisation (*sinh hoạt tạm thời*).
    pub attached_org_id: Option<Uuid>,
    /// Transferred out to this organisation, not yet received there.
    pub transit_org_id: Option<Uuid>,
    /// When membership ended (struck off, left, expelled, died).
    pub ended_on: Option<Date>,
}

/// The record `entered` (its other fields as entered) with the standing, cell and dates that
/// its events give, and the state beside it. `None` before any admission.
pub fn settle_record(entered: &MemberInput, history: &History) -> Option<(MemberInput, RecordLife)> {
    let state = &history.state;
    let status = state.status()?;
    let mut input = entered.clone();
    input.status = status;
    input.org_id = state.home().or(state.last_org).unwrap_or(entered.org_id);
    input.admission_date = state.first_admission.unwrap_or(entered.admission_date);
    input.official_date = state.official;
    let life = RecordLife {
        exempt_since: state.exempt_since,
        attached_org_id: state.attached_to,
        transit_org_id: match state.placement {
            Placement::Transit { to, .. } if status.is_active() => Some(to),
            _ => None,
        },
        ended_on: state.ended_on,
    };
    Some((input, life))
}

/// A record edit may not change the standing itself: leaving, striking off, death… are events.
/// Moving between probationary and official follows the official date (see [`super::builders::date_corrections`]).
pub fn standing_changed(before: &MemberInput, after: &MemberInput) -> Option<FieldError> {
    let between_active = before.status.is_active() && after.status.is_active();
    (before.status != after.status && !between_active).then(|| {
        FieldError::new(
            "status",
            "changed_by_event",
            "Tình trạng: thay đổi bằng sự kiện trên trang quá trình của đảng viên (chuyển sinh hoạt, xóa tên, từ trần…), không sửa trực tiếp.",
            "Status: changed by an event on the member's history page (transfer, striking off, death…), not edited directly.",
        )
    })
}
