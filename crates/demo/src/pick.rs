//! Weighted choice from static tables, with cumulative weights computed once.

use rand::Rng;

/// A table of items with integer weights, ready for O(log n) weighted picks.
#[derive(Debug, Clone)]
pub(crate) struct Weighted<T: Copy + 'static> {
    items: Vec<T>,
    cumulative: Vec<u32>,
    total: u32,
}

impl<T: Copy + 'static> Weighted<T> {
    pub(crate) fn new(table: &[(T, u32)]) -> Self {
        let mut total = 0u32;
        let mut items = Vec::with_capacity(table.len());
        let mut cumulative = Vec::with_capacity(table.len());
        for &(item, weight) in table.iter().filter(|(_, w)| *w > 0) {
            total += weight;
            items.push(item);
            cumulative.push(total);
        }
        assert!(total > 0, "a weighted table needs a positive total weight");
        Weighted { items, cumulative, total }
    }

    pub(crate) fn index<R: Rng>(&self, rng: &mut R) -> usize {
        let r = rng.random_range(0..self.total);
        self.cumulative.partition_point(|&c| c <= r)
    }

    pub(crate) fn pick<R: Rng>(&self, rng: &mut R) -> T {
        self.items[self.index(rng)]
    }

    pub(crate) fn items(&self) -> &[T] {
        &self.items
    }

    pub(crate) fn get(&self, i: usize) -> T {
        self.items[i]
    }
}

/// A weighted name table that also keeps each name folded to ASCII for e-mail addresses.
#[derive(Debug, Clone)]
pub(crate) struct Names {
    pub(crate) weighted: Weighted<&'static str>,
    folded: Vec<String>,
}

impl Names {
    pub(crate) fn new(table: &[(&'static str, u32)]) -> Self {
        let weighted = Weighted::new(table);
        let folded = weighted.items().iter().map(|n| chibo_domain::collation::fold(n).replace(' ', "")).collect();
        Names { weighted, folded }
    }

    pub(crate) fn uniform(items: &[&'static str]) -> Self {
        let table: Vec<(&'static str, u32)> = items.iter().map(|&i| (i, 1)).collect();
        Self::new(&table)
    }

    /// A name and its ASCII folding.
    pub(crate) fn pick<R: Rng>(&self, rng: &mut R) -> (&'static str, &str) {
        let i = self.weighted.index(rng);
        (self.weighted.get(i), &self.folded[i])
    }
}

/// Uniform pick from a slice.
pub(crate) fn one_of<T: Copy, R: Rng>(rng: &mut R, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

/// True with probability `per_mille / 1000`.
pub(crate) fn chance<R: Rng>(rng: &mut R, per_mille: u32) -> bool {
    rng.random_range(0..1000) < per_mille
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn picks_follow_weights() {
        let w = Weighted::new(&[("a", 1), ("b", 0), ("c", 3)]);
        let mut rng = StdRng::seed_from_u64(1);
        let mut counts = [0u32; 2];
        for _ in 0..40_000 {
            match w.pick(&mut rng) {
                "a" => counts[0] += 1,
                "c" => counts[1] += 1,
                other => panic!("unexpected {other}"),
            }
        }
        assert!((9_000..11_000).contains(&counts[0]), "{counts:?}");
    }

    #[test]
    fn names_are_folded_for_email() {
        let n = Names::uniform(&["Rơ Châm"]);
        let mut rng = StdRng::seed_from_u64(1);
        assert_eq!(n.pick(&mut rng), ("Rơ Châm", "rocham"));
    }
}
