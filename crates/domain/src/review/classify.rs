//! From the score to the level (43-HD/BTCTW): *xuất sắc* ≥ 90 points with every task on time
//! and at least 30% of them done beyond what was asked; *tốt* 70 to under 90 (or more, without
//! the excess) with every task on time; *hoàn thành* 50 to under 70, or more with a task late;
//! *không hoàn thành* under 50.

use super::level::Level;
use super::rules::Scale;
use crate::error::{FieldError, Validation};
use serde::{Deserialize, Serialize};

/// The member's tasks in the period, as counted in the self-assessment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tasks {
    /// Tasks assigned.
    pub total: u32,
    /// Of those, done on time (*đúng tiến độ*).
    pub on_time: u32,
    /// Of those, done beyond what was asked (*vượt mức*).
    pub exceeded: u32,
}

impl Tasks {
    /// Fields `tasks_total`, `tasks_on_time`, `tasks_exceeded`: parts not over the whole.
    pub fn check(self) -> Validation {
        let mut v = Validation::default();
        for (field, n, vi, en) in [
            ("tasks_on_time", self.on_time, "Số nhiệm vụ đúng tiến độ", "Tasks on time"),
            ("tasks_exceeded", self.exceeded, "Số nhiệm vụ vượt mức", "Tasks exceeded"),
        ] {
            if n > self.total {
                v.push(FieldError::new(
                    field,
                    "over_tasks_total",
                    format!("{vi}: không được lớn hơn tổng số nhiệm vụ ({}).", self.total),
                    format!("{en}: cannot exceed the tasks assigned ({}).", self.total),
                ));
            }
        }
        v
    }

    /// Every task done on time (true when none was assigned).
    pub fn all_on_time(self) -> bool {
        self.on_time >= self.total
    }
}

/// The level a score and the task counts give on the scale.
pub fn level_for(scale: &Scale, total: u32, tasks: Tasks) -> Level {
    let on_time = tasks.all_on_time();
    let exceeded = scale.excellent_exceeded.reached_by(u64::from(tasks.exceeded), u64::from(tasks.total));
    if total >= scale.excellent && on_time && exceeded {
        Level::Excellent
    } else if total >= scale.good && on_time {
        Level::Good
    } else if total >= scale.completed {
        Level::Completed
    } else {
        Level::NotCompleted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::rules::{Fraction, rules_for};
    use time::macros::date;

    fn scale() -> Scale {
        rules_for(date!(2025 - 12 - 31)).and_then(|r| r.value.scale).unwrap_or(Scale {
            general: 30,
            tasks: 70,
            excellent: 0,
            good: 0,
            completed: 0,
            excellent_exceeded: Fraction::new(0, 1),
        })
    }

    fn tasks(total: u32, on_time: u32, exceeded: u32) -> Tasks {
        Tasks { total, on_time, exceeded }
    }

    #[test]
    fn the_guidance_bands() {
        let s = scale();
        // 95 points, 10 tasks all on time, 3 exceeded (30%): xuất sắc.
        assert_eq!(level_for(&s, 95, tasks(10, 10, 3)), Level::Excellent);
        // 95 points, but only 2 of 10 exceeded: tốt.
        assert_eq!(level_for(&s, 95, tasks(10, 10, 2)), Level::Good);
        // 92 points with a task late: hoàn thành, whatever the score.
        assert_eq!(level_for(&s, 92, tasks(10, 9, 5)), Level::Completed);
        // The band edges: 90 / 89, 70 / 69, 50 / 49.
        assert_eq!(level_for(&s, 90, tasks(10, 10, 3)), Level::Excellent);
        assert_eq!(level_for(&s, 89, tasks(10, 10, 10)), Level::Good);
        assert_eq!(level_for(&s, 70, tasks(4, 4, 0)), Level::Good);
        assert_eq!(level_for(&s, 69, tasks(4, 4, 4)), Level::Completed);
        assert_eq!(level_for(&s, 50, tasks(4, 0, 0)), Level::Completed);
        assert_eq!(level_for(&s, 49, tasks(4, 4, 4)), Level::NotCompleted);
        // No task assigned: nothing exceeded, so at most tốt.
        assert_eq!(level_for(&s, 100, tasks(0, 0, 0)), Level::Good);
    }

    #[test]
    fn task_counts_are_checked() {
        let v = tasks(3, 4, 5).check();
        let fields: Vec<_> = v.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["tasks_on_time", "tasks_exceeded"]);
        assert!(tasks(3, 3, 1).check().is_ok());
    }
}
