//! The events of a member's life in the Party (*quá trình hoạt động trong Đảng*).
//!
//! History is never edited: a wrong event is corrected by a [`EventKind::Voided`] event that
//! names it, and a wrongful expulsion by [`EventKind::ExpulsionCleared`].

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

macro_rules! coded_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $code:literal, $vi:literal, $en:literal;)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $v,)* }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v,)*];
            pub fn code(self) -> &'static str { match self { $($name::$v => $code,)* } }
            pub fn parse(s: &str) -> Option<$name> { Self::ALL.iter().copied().find(|k| k.code() == s) }
            pub fn label(self, lang: crate::Lang) -> &'static str { match self { $($name::$v => lang.pick($vi, $en),)* } }
        }
        /// Decoding a stored code (the store's rows decode it once, `#[sqlx(try_from = "String")]`).
        impl TryFrom<String> for $name {
            type Error = crate::error::UnknownCode;
            fn try_from(s: String) -> Result<$name, crate::error::UnknownCode> {
                Self::parse(&s).ok_or(crate::error::UnknownCode(s))
            }
        }
    };
}

/// Shared with the other modules that need coded enums (e.g. [`crate::meeting`]).
pub(crate) use coded_enum;

coded_enum! {
    /// What happened.
    EventKind {
        /// Admission (*kết nạp*); `org` is the cell, or none when admitted outside this
        /// installation (a member who later arrives by transfer).
        Admitted = "admitted", "Kết nạp vào Đảng", "Admitted";
        /// Recognition as official member (*công nhận đảng viên chính thức*); the effective
        /// date is the end of probation even when the decision is signed later.
        Recognized = "recognized", "Công nhận đảng viên chính thức", "Recognized as official";
        /// Official transfer out (*chuyển sinh hoạt đảng chính thức đi*): `org` is the receiving
        /// organisation inside this installation, or none with `detail.place` outside it.
        TransferredOut = "transferred_out", "Chuyển sinh hoạt đi", "Transferred out";
        /// Arrival by official transfer (*chuyển sinh hoạt đến*) into `org`.
        TransferredIn = "transferred_in", "Chuyển sinh hoạt đến", "Transferred in";
        /// Temporary attachment (*sinh hoạt tạm thời*) to the host `org`; the member still
        /// belongs to the home organisation.
        AttachmentStarted = "attachment_started", "Sinh hoạt tạm thời", "Temporary attachment";
        AttachmentEnded = "attachment_ended", "Kết thúc sinh hoạt tạm thời", "Temporary attachment ended";
        /// Exemption from work and activities (*miễn công tác và sinh hoạt đảng*).
        ExemptionStarted = "exemption_started", "Miễn công tác và sinh hoạt", "Exempted from work and activities";
        ExemptionEnded = "exemption_ended", "Thôi miễn công tác và sinh hoạt", "Exemption ended";
        /// Out of contact (*mất liên lạc*): the time until contact is restored is a gap in party age.
        ContactLost = "contact_lost", "Mất liên lạc với tổ chức đảng", "Out of contact";
        ContactRestored = "contact_restored", "Liên lạc lại với tổ chức đảng", "Contact restored";
        /// A discipline decision (*kỷ luật*) in its basic form; expulsion ends membership.
        Disciplined = "disciplined", "Kỷ luật", "Disciplined";
        /// A wrongful expulsion annulled: membership counts as continuous.
        ExpulsionCleared = "expulsion_cleared", "Hủy quyết định khai trừ sai", "Wrongful expulsion annulled";
        /// Struck off the rolls (*xóa tên*), with its ground.
        StruckOff = "struck_off", "Xóa tên", "Struck off";
        /// Left the Party on request (*xin ra khỏi Đảng*).
        Left = "left", "Ra khỏi Đảng", "Left the Party";
        Died = "died", "Từ trần", "Died";
        /// Re-admission (*kết nạp lại*): probationary again; party age counts from the first
        /// admission minus the gap.
        Readmitted = "readmitted", "Kết nạp lại", "Re-admitted";
        /// Correction: the event `ref_id` was recorded in error and has no effect.
        Voided = "voided", "Hủy bỏ ghi nhận sai", "Wrong record voided";
    }
}

coded_enum! {
    /// Discipline forms for members (*hình thức kỷ luật đảng viên*), 69-QĐ/TW.
    DisciplineForm {
        Reprimand = "reprimand", "Khiển trách", "Reprimand";
        Warning = "warning", "Cảnh cáo", "Warning";
        /// Only for a member holding a post.
        Removal = "removal", "Cách chức", "Removal from post";
        Expulsion = "expulsion", "Khai trừ", "Expulsion";
    }
}

coded_enum! {
    /// Grounds for striking a member off (*căn cứ xóa tên*), Charter art. 8.
    StrikeOffGround {
        AbandonedActivities = "abandoned_activities", "Bỏ sinh hoạt đảng hoặc không đóng đảng phí 3 tháng trong năm không có lý do chính đáng", "Abandoned activities or unpaid dues 3 months in a year without reason";
        ReturnedCard = "returned_card", "Tự ý trả thẻ đảng viên", "Handed back the party card";
        NoImprovement = "no_improvement", "Giáo dục 12 tháng không tiến bộ", "No improvement after 12 months of education";
        FailedStandards = "failed_standards", "Hai năm liền không hoàn thành nhiệm vụ", "Failed standards two consecutive years";
        UnfitProbationary = "unfit_probationary", "Đảng viên dự bị không đủ tư cách", "Probationary member found unfit";
    }
}

/// The decision behind an event (*số quyết định, cơ quan ban hành, ngày ký*).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub number: Option<String>,
    pub body: Option<String>,
    pub signed_on: Option<Date>,
}

impl Decision {
    /// Push the refusals of over-long texts (fields `decision_number`, `decision_body`).
    pub fn check_texts(&self, v: &mut crate::Validation) {
        crate::text::DECISION_NUMBER.check_into(v, self.number.as_deref());
        crate::text::DECISION_BODY.check_into(v, self.body.as_deref());
    }
}

/// What an event carries besides its kind and date. Unused fields stay empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detail {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ground: Option<StrikeOffGround>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<DisciplineForm>,
    /// A place outside this installation (transfers to or from elsewhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// Planned end (temporary attachment, exemption).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    /// Recognition: votes in favour, and the cell's official members (the vote base).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub votes_for: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vote_base: Option<u32>,
}

impl Detail {
    /// Push the refusals of over-long texts (fields `reason`, `place`).
    pub fn check_texts(&self, v: &mut crate::Validation) {
        crate::text::EVENT_REASON.check_into(v, self.reason.as_deref());
        crate::text::EVENT_PLACE.check_into(v, self.place.as_deref());
    }
}

/// One event as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: Uuid,
    pub kind: EventKind,
    /// The date it takes effect (*ngày có hiệu lực*).
    pub effective: Date,
    /// The organisation it puts the member in (admission, transfer, attachment host,
    /// re-admission) or the receiving one of an outgoing transfer.
    pub org_id: Option<Uuid>,
    /// The event it voids or clears.
    pub ref_id: Option<Uuid>,
    pub decision: Decision,
    pub detail: Detail,
}

impl EventKind {
    /// Order of events on the same day: leaving before arriving, arriving before
    /// recognition, starts after ends, endings last.
    pub(crate) fn rank(self) -> u8 {
        use EventKind::*;
        match self {
            TransferredOut => 0,
            Admitted | Readmitted => 1,
            TransferredIn => 2,
            Recognized => 3,
            AttachmentEnded => 4,
            AttachmentStarted => 5,
            ExemptionEnded => 6,
            ExemptionStarted => 7,
            ContactRestored => 8,
            ContactLost => 9,
            Disciplined | ExpulsionCleared => 10,
            StruckOff | Left => 11,
            Died => 12,
            Voided => 13,
        }
    }

    /// Events that need an organisation.
    pub fn needs_org(self) -> bool {
        matches!(self, EventKind::TransferredIn | EventKind::AttachmentStarted | EventKind::Readmitted)
    }

    /// Events that name another event.
    pub fn needs_ref(self) -> bool {
        matches!(self, EventKind::Voided | EventKind::ExpulsionCleared)
    }

    /// Whether an event of this kind carries `field` of its form besides the kind, the date
    /// and the decision (`org_id`, `ref_id`, `reason`, `ground`, `form`, `place`, `until`,
    /// `votes_for`, `vote_base`): the event form shows only these.
    pub fn uses(self, field: &str) -> bool {
        use EventKind::*;
        match field {
            "org_id" => matches!(self, Admitted | TransferredOut | TransferredIn | AttachmentStarted | Readmitted),
            "ref_id" => self.needs_ref(),
            "reason" => !matches!(
                self,
                Recognized | TransferredIn | Readmitted | AttachmentEnded | ExemptionEnded | ContactRestored
            ),
            "ground" => self == StruckOff,
            "form" => self == Disciplined,
            "place" => matches!(self, TransferredOut | TransferredIn),
            "until" => matches!(self, AttachmentStarted | ExemptionStarted),
            "votes_for" | "vote_base" => self == Recognized,
            _ => false,
        }
    }
}

/// Event `n` of kind `kind` on `on` in a fixed cell, for tests.
#[cfg(test)]
pub(crate) fn test_event(n: u128, kind: EventKind, on: Date) -> Event {
    Event {
        id: Uuid::from_u128(n),
        kind,
        effective: on,
        org_id: Some(Uuid::from_u128(1000)),
        ref_id: None,
        decision: Decision::default(),
        detail: Detail::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Stored details and API bodies use the serde names; forms and columns use the codes.
    #[test]
    fn each_kind_uses_its_own_fields() {
        assert!(EventKind::StruckOff.uses("ground") && !EventKind::Disciplined.uses("ground"));
        assert!(EventKind::Disciplined.uses("form") && EventKind::Recognized.uses("vote_base"));
        assert!(EventKind::TransferredOut.uses("place") && EventKind::TransferredOut.uses("org_id"));
        assert!(!EventKind::Died.uses("org_id") && !EventKind::Recognized.uses("reason"));
        assert!(EventKind::Voided.uses("ref_id") && !EventKind::Left.uses("until"));
        assert!(!EventKind::Left.uses("kind"), "only the optional fields");
    }

    #[test]
    fn serde_names_are_the_codes() {
        for k in EventKind::ALL {
            assert_eq!(serde_json::to_value(k).ok(), Some(serde_json::json!(k.code())));
        }
        for f in DisciplineForm::ALL {
            assert_eq!(serde_json::to_value(f).ok(), Some(serde_json::json!(f.code())));
        }
        for g in StrikeOffGround::ALL {
            assert_eq!(serde_json::to_value(g).ok(), Some(serde_json::json!(g.code())));
        }
    }
}
