//! Self-improvement plans (*kế hoạch khắc phục hạn chế, khuyết điểm*): after a round each member
//! or organisation with shortcomings has items, each with who is responsible and a deadline;
//! progress is marked during the year, and the next round shows what was and was not fixed.

use crate::life::event::coded_enum;
use serde::{Deserialize, Serialize};
use time::Date;

coded_enum! {
    /// Where an item of a plan stands on a date.
    ItemState {
        Done = "done", "Đã khắc phục", "Fixed";
        Open = "open", "Đang khắc phục", "In progress";
        Overdue = "overdue", "Quá hạn chưa khắc phục", "Overdue";
    }
}

/// An item's state on `today`: done when marked done, overdue after its deadline.
pub fn item_state(deadline: Date, done_on: Option<Date>, today: Date) -> ItemState {
    match done_on {
        Some(_) => ItemState::Done,
        None if today > deadline => ItemState::Overdue,
        None => ItemState::Open,
    }
}

/// How a plan stands: items done, still open, overdue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PlanProgress {
    pub done: u32,
    pub open: u32,
    pub overdue: u32,
}

impl PlanProgress {
    pub fn of(items: impl IntoIterator<Item = (Date, Option<Date>)>, today: Date) -> PlanProgress {
        let mut p = PlanProgress::default();
        for (deadline, done_on) in items {
            match item_state(deadline, done_on, today) {
                ItemState::Done => p.done += 1,
                ItemState::Open => p.open += 1,
                ItemState::Overdue => p.overdue += 1,
            }
        }
        p
    }

    /// Every item fixed.
    pub fn finished(self) -> bool {
        self.open == 0 && self.overdue == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn items_done_open_and_overdue() {
        let today = date!(2026 - 07 - 01);
        assert_eq!(item_state(date!(2026 - 06 - 30), None, today), ItemState::Overdue);
        assert_eq!(item_state(date!(2026 - 07 - 01), None, today), ItemState::Open);
        assert_eq!(item_state(date!(2026 - 03 - 01), Some(date!(2026 - 05 - 01)), today), ItemState::Done);
        let p = PlanProgress::of(
            [
                (date!(2026 - 03 - 01), Some(date!(2026 - 02 - 01))),
                (date!(2026 - 03 - 01), None),
                (date!(2026 - 12 - 31), None),
            ],
            today,
        );
        assert_eq!(p, PlanProgress { done: 1, open: 1, overdue: 1 });
        assert!(!p.finished());
    }
}
