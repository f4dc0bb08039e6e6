//! Exact shares (*tỷ lệ*): a numerator and a denominator, compared without rounding.

use serde::Serialize;

/// `num` out of `den`. A zero denominator means "nothing to measure", not 0 %.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Share {
    pub num: u64,
    pub den: u64,
}

impl Share {
    pub fn new(num: u64, den: u64) -> Share {
        Share { num, den }
    }

    /// The share in percent, for display only; `None` when there is nothing to measure.
    pub fn percent(self) -> Option<f64> {
        (self.den > 0).then(|| self.num as f64 * 100.0 / self.den as f64)
    }

    /// Sum of numerators over sum of denominators (pooled share).
    pub fn pooled(shares: impl IntoIterator<Item = Share>) -> Share {
        shares.into_iter().fold(Share::default(), |a, s| Share::new(a.num + s.num, a.den + s.den))
    }

    /// `num/den > p/q` (or `≥` when not `strict`), exactly; false when `den = 0`.
    pub fn exceeds(self, p: u32, q: u32, strict: bool) -> bool {
        let (l, r) = (u128::from(self.num) * u128::from(q), u128::from(self.den) * u128::from(p));
        self.den > 0 && if strict { l > r } else { l >= r }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_exactly() {
        // 26/30 = 86.67 % > 85 %; 17/20 = 85 % is not more than 85 %.
        assert!(Share::new(26, 30).exceeds(85, 100, true));
        assert!(!Share::new(17, 20).exceeds(85, 100, true));
        assert!(Share::new(17, 20).exceeds(85, 100, false));
        assert!(!Share::new(0, 0).exceeds(0, 100, false));
        assert_eq!(Share::new(0, 0).percent(), None);
        assert_eq!(Share::pooled([Share::new(1, 2), Share::new(3, 4)]), Share::new(4, 6));
    }
}
