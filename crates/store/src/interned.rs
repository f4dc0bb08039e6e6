//! Values numbered in the order they are met (*đánh số giá trị*): the kept tables' sums hold
//! small numbers in their hash maps instead of strings (`structure_counts::Summed`,
//! `structure_changes::Summed`).

/// Values numbered in the order they are met.
pub(crate) struct Interned<T> {
    ids: foldhash::HashMap<T, u32>,
    /// The values by their numbers.
    pub(crate) all: Vec<T>,
}

impl<T> Default for Interned<T> {
    fn default() -> Self {
        Interned { ids: foldhash::HashMap::default(), all: Vec::new() }
    }
}

impl<T: std::hash::Hash + Ord + Clone> Interned<T> {
    /// Each value's place in the values' order, by its number.
    pub(crate) fn ranks(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..u32::try_from(self.all.len()).unwrap_or(u32::MAX)).collect();
        order.sort_unstable_by(|a, b| self.all[*a as usize].cmp(&self.all[*b as usize]));
        let mut rank = vec![0; order.len()];
        for (r, at) in (0u32..).zip(order) {
            rank[at as usize] = r;
        }
        rank
    }

    pub(crate) fn id<Q: ?Sized + std::hash::Hash + Eq + ToOwned<Owned = T>>(&mut self, v: &Q) -> u32
    where
        T: std::borrow::Borrow<Q>,
    {
        if let Some(id) = self.ids.get(v) {
            return *id;
        }
        let id = u32::try_from(self.all.len()).unwrap_or(u32::MAX);
        self.all.push(v.to_owned());
        self.ids.insert(v.to_owned(), id);
        id
    }
}
