//! Appeals against discipline (*khiếu nại kỷ luật đảng*, Charter art. 37; 296-QĐ/TW) and the
//! deadlines of denunciations and complaints: the disciplined may appeal within one month of
//! receiving the decision, to the level directly above the body that decided; that level
//! answers within its deadline (90 days at the centre, 60 at a province, 30 below — see
//! [`super::rules::DEADLINES`]). An appeal that annuls or reduces the discipline voids its
//! event; the history keeps both.

use super::rules::{DEADLINES, Deadlines};
use crate::FieldError;
use crate::date::{add_months, format_vn};
use crate::life::event::coded_enum;
use crate::org::OrgKind;
use crate::rules::{Versioned, in_force};
use serde::{Deserialize, Serialize};
use time::{Date, Duration};

coded_enum! {
    /// How an appeal was answered.
    AppealOutcome {
        /// The decision stands (*giữ nguyên*).
        Upheld = "upheld", "Giữ nguyên hình thức kỷ luật", "Upheld";
        /// A lighter form instead (*giảm hình thức*).
        Reduced = "reduced", "Giảm hình thức kỷ luật", "Reduced";
        /// Annulled (*xóa bỏ quyết định kỷ luật*).
        Annulled = "annulled", "Xóa bỏ quyết định kỷ luật", "Annulled";
    }
}

impl AppealOutcome {
    /// The discipline's event is voided.
    pub fn voids(self) -> bool {
        self != AppealOutcome::Upheld
    }
}

fn rule(on: Date) -> Option<&'static Versioned<Deadlines>> {
    in_force(DEADLINES, on).or(DEADLINES.first())
}

/// The last day to appeal a decision received on `received_on`.
pub fn appeal_deadline(received_on: Date) -> Date {
    let months = rule(received_on).map_or(1, |r| r.value.appeal_months);
    add_months(received_on, months)
}

/// Refuse an appeal filed after its deadline; field `filed_on`.
pub fn check_filed(received_on: Date, filed_on: Date) -> Result<(), FieldError> {
    let last = appeal_deadline(received_on);
    if filed_on < received_on {
        return Err(FieldError::new(
            "filed_on",
            "before_decision",
            format!("Ngày khiếu nại: {} trước ngày nhận quyết định ({}).", format_vn(filed_on), format_vn(received_on)),
            format!(
                "Filed on: {} is before the decision was received ({}).",
                format_vn(filed_on),
                format_vn(received_on)
            ),
        ));
    }
    if filed_on > last {
        let source = rule(received_on).map_or("", |r| r.source);
        return Err(FieldError::new(
            "filed_on",
            "appeal_late",
            format!(
                "Ngày khiếu nại: quá hạn. Nhận quyết định ngày {}, hạn khiếu nại đến hết ngày {}, khiếu nại ngày {}. Căn cứ: {source}.",
                format_vn(received_on),
                format_vn(last),
                format_vn(filed_on)
            ),
            format!(
                "Filed on: too late. Decision received on {}, appeal allowed until {}, filed on {}. Source: {source}.",
                format_vn(received_on),
                format_vn(last),
                format_vn(filed_on)
            ),
        ));
    }
    Ok(())
}

/// The day by which a body of `kind` must settle a denunciation, a complaint or an appeal
/// received on `received_on`.
pub fn settle_by(kind: OrgKind, received_on: Date) -> Date {
    let days = rule(received_on).map_or(30, |r| match kind {
        OrgKind::Central => r.value.central_days,
        OrgKind::Provincial => r.value.provincial_days,
        _ => r.value.other_days,
    });
    received_on.saturating_add(Duration::days(days))
}

/// The body that answers an appeal: the organisation directly above the deciding one
/// (`ancestors` of the decider, nearest first). An appeal of an expulsion may go on up to the
/// Central Committee, whose answer is final; chibo records the first answer.
pub fn answering_body<T: Copy>(ancestors: &[T]) -> Option<T> {
    ancestors.first().copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn one_month_to_appeal() {
        let got = date!(2026 - 01 - 31);
        assert_eq!(appeal_deadline(got), date!(2026 - 02 - 28));
        check_filed(got, date!(2026 - 02 - 28)).unwrap();
        let e = check_filed(got, date!(2026 - 03 - 01)).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("filed_on", "appeal_late"));
        assert!(e.message_vi.contains("31/01/2026") && e.message_vi.contains("28/02/2026"), "{}", e.message_vi);
        assert_eq!(check_filed(got, date!(2026 - 01 - 30)).unwrap_err().code, "before_decision");
    }

    #[test]
    fn settling_deadlines_by_level() {
        let r = date!(2026 - 03 - 01);
        assert_eq!(settle_by(OrgKind::Commune, r), date!(2026 - 03 - 31));
        assert_eq!(settle_by(OrgKind::Provincial, r), date!(2026 - 04 - 30));
        assert_eq!(settle_by(OrgKind::Central, r), date!(2026 - 05 - 30));
        assert_eq!(answering_body(&[7, 3, 1]), Some(7));
        assert!(AppealOutcome::Annulled.voids() && AppealOutcome::Reduced.voids() && !AppealOutcome::Upheld.voids());
    }
}
