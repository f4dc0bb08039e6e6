//! The kinds of meeting (*loại hình sinh hoạt*), the attendance marks (*điểm danh*) and the
//! quality ratings (*xếp loại chất lượng sinh hoạt*), each with a stable code and labels.

use crate::life::event::coded_enum;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// The kind of a cell meeting.
    MeetingKind {
        /// Regular monthly meeting (*sinh hoạt thường kỳ*), Charter art. 24.
        Regular = "regular", "Sinh hoạt thường kỳ", "Regular meeting";
        /// Thematic meeting (*sinh hoạt chuyên đề*), at least once a quarter (12-HD/BTCTW, 42-HD/BTCTW).
        Thematic = "thematic", "Sinh hoạt chuyên đề", "Thematic meeting";
        /// A regular meeting held together with a thematic one (*sinh hoạt thường kỳ kết hợp
        /// chuyên đề*): counts as both, and needs the longer duration.
        Combined = "combined", "Sinh hoạt thường kỳ kết hợp chuyên đề", "Regular and thematic meeting";
        /// Extraordinary meeting (*sinh hoạt bất thường*).
        Extraordinary = "extraordinary", "Sinh hoạt bất thường", "Extraordinary meeting";
        /// Cell committee meeting (*họp chi ủy*), monthly where the cell has a committee.
        Committee = "committee", "Họp chi ủy", "Cell committee meeting";
    }
}

impl MeetingKind {
    /// Holds the month's regular meeting.
    pub fn counts_as_regular(self) -> bool {
        matches!(self, MeetingKind::Regular | MeetingKind::Combined)
    }

    /// Holds the quarter's thematic meeting.
    pub fn counts_as_thematic(self) -> bool {
        matches!(self, MeetingKind::Thematic | MeetingKind::Combined)
    }

    /// A meeting of the whole cell (every kind but the committee's): it has a roll of members,
    /// an attendance rate and a quality rating.
    pub fn is_cell_meeting(self) -> bool {
        self != MeetingKind::Committee
    }
}

coded_enum! {
    /// A member's attendance at one meeting.
    Mark {
        /// Present (*có mặt*).
        Present = "present", "Có mặt", "Present";
        /// Absent with a reason accepted by the cell (*vắng mặt có lý do*).
        Excused = "excused", "Vắng mặt có lý do", "Absent with reason";
        /// Absent without a reason (*vắng mặt không có lý do*).
        Unexcused = "unexcused", "Vắng mặt không lý do", "Absent without reason";
        /// Absent and exempt from activities (*miễn sinh hoạt*, 232-QĐ/TW §7): left out of the
        /// attendance base. An exempt member who comes is marked present.
        Exempt = "exempt", "Miễn sinh hoạt", "Exempt";
        /// Absent on special duty (*đi làm nhiệm vụ đặc biệt*): left out of the attendance base.
        SpecialDuty = "special_duty", "Làm nhiệm vụ đặc biệt", "On special duty";
    }
}

coded_enum! {
    /// Where a meeting stands: planned, held (minutes being written; changes need a reason), the
    /// minutes approved (locked), or cancelled. Only held and approved meetings count.
    MeetingStatus {
        Scheduled = "scheduled", "Đã lên lịch", "Scheduled";
        Held = "held", "Đã họp", "Held";
        Approved = "approved", "Biên bản đã thông qua", "Minutes approved";
        Cancelled = "cancelled", "Đã hủy", "Cancelled";
    }
}

impl MeetingStatus {
    /// The meeting took place and counts in the figures.
    pub fn was_held(self) -> bool {
        matches!(self, MeetingStatus::Held | MeetingStatus::Approved)
    }
}

coded_enum! {
    /// Quality rating of a meeting (12-HD/BTCTW): Tốt / Khá / Trung bình / Kém. Sorted from the
    /// best.
    Rating {
        Good = "good", "Tốt", "Good";
        Fair = "fair", "Khá", "Fair";
        Average = "average", "Trung bình", "Average";
        Poor = "poor", "Kém", "Poor";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn codes_labels_and_serde_agree() {
        for k in MeetingKind::ALL {
            assert_eq!(MeetingKind::parse(k.code()), Some(*k));
            assert_eq!(serde_json::to_value(k).ok(), Some(serde_json::json!(k.code())));
        }
        for m in Mark::ALL {
            assert_eq!(serde_json::to_value(m).ok(), Some(serde_json::json!(m.code())));
        }
        assert_eq!(Mark::Unexcused.label(Lang::Vi), "Vắng mặt không lý do");
        assert_eq!(Rating::Average.label(Lang::Vi), "Trung bình");
        assert!(Rating::Good < Rating::Poor);
    }

    #[test]
    fn combined_counts_as_both() {
        assert!(MeetingKind::Combined.counts_as_regular() && MeetingKind::Combined.counts_as_thematic());
        assert!(!MeetingKind::Thematic.counts_as_regular());
        assert!(!MeetingKind::Extraordinary.counts_as_regular() && !MeetingKind::Extraordinary.counts_as_thematic());
        assert!(!MeetingKind::Committee.is_cell_meeting());
    }
}
