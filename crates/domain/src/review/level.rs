//! The four levels of the annual review (*bốn mức xếp loại chất lượng*), the kinds of round
//! and where a round stands, each with a stable code and labels.

use crate::life::event::coded_enum;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// A level of the review, for members and organisations alike. Sorted from the best, so
    /// `a < b` means `a` is the better level.
    Level {
        /// *Hoàn thành xuất sắc nhiệm vụ* (HTXSNV).
        Excellent = "excellent", "Hoàn thành xuất sắc nhiệm vụ", "Completed tasks excellently";
        /// *Hoàn thành tốt nhiệm vụ* (HTTNV).
        Good = "good", "Hoàn thành tốt nhiệm vụ", "Completed tasks well";
        /// *Hoàn thành nhiệm vụ* (HTNV).
        Completed = "completed", "Hoàn thành nhiệm vụ", "Completed tasks";
        /// *Không hoàn thành nhiệm vụ* (KHTNV).
        NotCompleted = "not_completed", "Không hoàn thành nhiệm vụ", "Did not complete tasks";
    }
}

impl Level {
    /// The short form used in tables (HTXSNV, HTTNV, HTNV, KHTNV).
    pub fn abbreviation(self) -> &'static str {
        match self {
            Level::Excellent => "HTXSNV",
            Level::Good => "HTTNV",
            Level::Completed => "HTNV",
            Level::NotCompleted => "KHTNV",
        }
    }

    /// At least *Hoàn thành nhiệm vụ* (the base of the national target).
    pub fn completed_or_better(self) -> bool {
        self <= Level::Completed
    }

    /// At least *Hoàn thành tốt nhiệm vụ*.
    pub fn good_or_better(self) -> bool {
        self <= Level::Good
    }

    /// The worse of two levels.
    pub fn worst(self, other: Level) -> Level {
        self.max(other)
    }
}

coded_enum! {
    /// The kind of a review round (366-QĐ/TW allows, besides the year, a term, a quarter or a
    /// round when needed).
    RoundKind {
        /// Yearly (*hằng năm*).
        Year = "year", "Hằng năm", "Yearly";
        /// One quarter (*hằng quý*).
        Quarter = "quarter", "Hằng quý", "Quarterly";
        /// The end of a term (*cuối nhiệm kỳ*).
        Term = "term", "Cuối nhiệm kỳ", "End of term";
        /// When needed (*đột xuất, khi cần thiết*).
        AdHoc = "ad_hoc", "Đột xuất", "Ad hoc";
    }
}

coded_enum! {
    /// Where a round stands. Open: every step may be taken; closed: results are final, a
    /// decision is changed only by a correcting decision.
    RoundStatus {
        Open = "open", "Đang đánh giá", "Open";
        Closed = "closed", "Đã kết thúc", "Closed";
    }
}

coded_enum! {
    /// The steps of a round (43-HD/BTCTW): self-assessment, the cell's opinion, the decision of
    /// the level directly above.
    ReviewStep {
        /// *Tự đánh giá, xếp loại*.
        SelfAssessment = "self_assessment", "Tự đánh giá, xếp loại", "Self-assessment";
        /// *Chi bộ nhận xét, đề xuất mức xếp loại*.
        CellOpinion = "cell_opinion", "Chi bộ nhận xét, đề xuất", "The cell's opinion";
        /// *Cấp ủy cấp trên quyết định xếp loại*.
        Decision = "decision", "Cấp trên quyết định xếp loại", "Decision of the level above";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn levels_are_sorted_from_the_best_with_codes_and_labels() {
        assert!(Level::Excellent < Level::Good && Level::Good < Level::Completed);
        assert_eq!(Level::parse("not_completed"), Some(Level::NotCompleted));
        assert_eq!(Level::Good.label(Lang::Vi), "Hoàn thành tốt nhiệm vụ");
        assert_eq!(Level::Completed.abbreviation(), "HTNV");
        assert!(Level::Completed.completed_or_better() && !Level::NotCompleted.completed_or_better());
        assert!(Level::Good.good_or_better() && !Level::Completed.good_or_better());
        assert_eq!(Level::Good.worst(Level::Completed), Level::Completed);
        for k in RoundKind::ALL {
            assert_eq!(serde_json::to_value(k).ok(), Some(serde_json::json!(k.code())));
        }
    }
}
