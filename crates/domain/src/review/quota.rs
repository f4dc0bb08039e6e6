//! The quota of *xuất sắc* (21-HD/BTCTW): members rated *hoàn thành xuất sắc nhiệm vụ* at most
//! 20% of those rated *hoàn thành tốt nhiệm vụ*, per base organisation. The share is the
//! rules' default or the committee's configuration; a decision that would pass it is refused
//! with the numbers.

use super::rules::Fraction;
use crate::error::FieldError;
use serde::Serialize;

/// The decided levels of one base organisation that the quota compares.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct QuotaCount {
    pub excellent: u64,
    pub good: u64,
}

impl QuotaCount {
    /// The most *xuất sắc* the quota allows with these *tốt*.
    pub fn allowed(self, quota: Fraction) -> u64 {
        quota.floor_of(self.good)
    }
}

/// Refuse counts over the quota (field `level`), naming the base organisation and the numbers.
pub fn check_quota(quota: Fraction, count: QuotaCount, base_name: &str) -> Result<(), FieldError> {
    let allowed = count.allowed(quota);
    if count.excellent <= allowed {
        return Ok(());
    }
    let (pct, e, g) = (quota.percent_text(), count.excellent, count.good);
    Err(FieldError::new(
        "level",
        "excellent_over_quota",
        format!(
            "{base_name}: {e} đảng viên hoàn thành xuất sắc nhiệm vụ vượt hạn mức {pct}% của {g} đảng viên hoàn thành tốt nhiệm vụ (tối đa {allowed})."
        ),
        format!(
            "{base_name}: {e} members rated excellent exceed the quota of {pct}% of the {g} rated good (at most {allowed})."
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_a_fifth_of_the_good() {
        let q = Fraction::new(20, 100);
        // 4 excellent with 20 good: at the quota.
        assert!(check_quota(q, QuotaCount { excellent: 4, good: 20 }, "Đảng bộ xã A").is_ok());
        // A fifth one: refused, with the numbers.
        let err = check_quota(q, QuotaCount { excellent: 5, good: 20 }, "Đảng bộ xã A").err();
        assert!(err.as_ref().is_some_and(|e| e.field == "level" && e.code == "excellent_over_quota"));
        let msg = err.map(|e| e.message_vi).unwrap_or_default();
        assert!(msg.contains("Đảng bộ xã A: 5 đảng viên") && msg.contains("20%") && msg.contains("tối đa 4"), "{msg}");
        // 9 good allow 1 (9 × 20% = 1.8); none good allow none.
        assert_eq!(QuotaCount { excellent: 0, good: 9 }.allowed(q), 1);
        assert!(check_quota(q, QuotaCount { excellent: 1, good: 0 }, "X").is_err());
        // A configured 25%.
        assert!(check_quota(Fraction::new(25, 100), QuotaCount { excellent: 5, good: 20 }, "X").is_ok());
    }
}
