//! How far an import has come, read by another task while it runs: the web page's progress
//! bar (polled by the browser) and the console's. The import writes, readers only look.

use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

/// The step an import is at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportStage {
    /// The file is opened, its header row looked for.
    Opening,
    /// Rows are read and checked (a dry run).
    Checking,
    /// Rows are read, checked and written.
    Writing,
    /// The rows are written; the kept figures they change are being written.
    Finishing,
    /// The import has answered.
    Done,
}

impl ImportStage {
    const ALL: [ImportStage; 5] =
        [ImportStage::Opening, ImportStage::Checking, ImportStage::Writing, ImportStage::Finishing, ImportStage::Done];
}

/// Shared between an import and whoever shows its progress.
#[derive(Debug, Default)]
pub struct ImportProgress {
    stage: AtomicU8,
    /// Data rows checked (and, when writing, written) so far.
    rows: AtomicUsize,
    /// Data rows the file holds, by what it says of its size (0: not known).
    expected: AtomicUsize,
}

impl ImportProgress {
    pub fn stage(&self) -> ImportStage {
        ImportStage::ALL.get(usize::from(self.stage.load(Ordering::Relaxed))).copied().unwrap_or(ImportStage::Done)
    }

    /// Data rows done so far.
    pub fn rows(&self) -> usize {
        self.rows.load(Ordering::Relaxed)
    }

    /// Data rows expected in all, when the file says (an estimate: never below the rows done).
    pub fn expected(&self) -> Option<usize> {
        Some(self.expected.load(Ordering::Relaxed)).filter(|n| *n > 0).map(|n| n.max(self.rows()))
    }

    /// A new start (a transaction retried starts over).
    pub(crate) fn begin(&self) {
        self.rows.store(0, Ordering::Relaxed);
        self.expected.store(0, Ordering::Relaxed);
        self.set(ImportStage::Opening);
    }

    pub(crate) fn set(&self, stage: ImportStage) {
        self.stage.store(stage as u8, Ordering::Relaxed);
    }

    pub(crate) fn expect(&self, rows: usize) {
        self.expected.store(rows, Ordering::Relaxed);
    }

    pub(crate) fn advance(&self, rows: usize) {
        self.rows.fetch_add(rows, Ordering::Relaxed);
    }

    /// All rows done at once (the small files read whole: organisations, candidates).
    pub(crate) fn reached(&self, rows: usize) {
        self.rows.store(rows, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stages_and_counts_read_back_as_written() {
        let p = ImportProgress::default();
        assert_eq!((p.stage(), p.rows(), p.expected()), (ImportStage::Opening, 0, None));
        p.set(ImportStage::Writing);
        p.expect(10);
        p.advance(4);
        p.advance(4);
        assert_eq!((p.stage(), p.rows(), p.expected()), (ImportStage::Writing, 8, Some(10)));
        // A file that said less than it holds: the expected count follows the rows done.
        p.advance(5);
        assert_eq!(p.expected(), Some(13));
        p.set(ImportStage::Done);
        assert_eq!(p.stage(), ImportStage::Done);
        p.begin();
        assert_eq!((p.stage(), p.rows(), p.expected()), (ImportStage::Opening, 0, None));
    }
}
