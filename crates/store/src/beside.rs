//! Work done beside the database: a thread that turns the pages a rebuild reads into the rows
//! it writes, while the connection reads the next page and writes what is ready. A rebuild
//! that read, computed and wrote in turn kept one core busy at a time (a profile of the demo
//! load: its kept changes half on the connection's thread, half on the computing one, one
//! after the other; docs/BENCHMARKS.md).
//!
//! Both channels are bounded, so memory holds a few pieces of rows however many the thread
//! makes: it waits while [`ROWS_WAITING`] pieces wait to be written. The caller, waiting to
//! hand a page, takes the rows handed meanwhile (else the thread, waiting on the rows, would
//! never take the page); it writes them after the page is handed.

use crate::StoreError;
use std::collections::VecDeque;
use tokio::sync::mpsc;

/// Pieces of rows the thread may hand before it waits for the caller to take one.
const ROWS_WAITING: usize = 4;

/// The thread and its two channels: pages go in (one waits while one is worked on), rows come
/// back (in pieces: the caller writes them after each page it sends).
pub(crate) struct Beside<P, R> {
    pages: mpsc::Sender<P>,
    rows: mpsc::Receiver<R>,
    /// Rows taken while a page waited to be handed ([`Beside::send`]), first out.
    taken: VecDeque<R>,
    thread: tokio::task::JoinHandle<()>,
    what: &'static str,
}

impl<P: Send + 'static, R: Send + 'static> Beside<P, R> {
    /// Start the thread: `work` is handed each page (`Some`), then `None` once the pages end,
    /// and hands rows to write to its second argument whenever it has some.
    pub(crate) fn start(
        what: &'static str,
        mut work: impl FnMut(Option<P>, &mut dyn FnMut(R)) + Send + 'static,
    ) -> Self {
        let (pages, mut pages_out) = mpsc::channel::<P>(1);
        let (rows_in, rows) = mpsc::channel(ROWS_WAITING);
        let thread = tokio::task::spawn_blocking(move || {
            let mut hand = |r: R| {
                // The caller stopped on an error, which it reports.
                let _ = rows_in.blocking_send(r);
            };
            while let Some(page) = pages_out.blocking_recv() {
                work(Some(page), &mut hand);
            }
            work(None, &mut hand);
        });
        Beside { pages, rows, taken: VecDeque::new(), thread, what }
    }

    /// Hand a page to the thread (waiting while it works on the one before, and taking the
    /// rows it hands meanwhile).
    pub(crate) async fn send(&mut self, page: P) -> Result<(), StoreError> {
        loop {
            tokio::select! {
                place = self.pages.reserve() => {
                    place.map_err(|_| StoreError::Corrupt(format!("{}: the thread beside the database stopped", self.what)))?.send(page);
                    return Ok(());
                }
                Some(rows) = self.rows.recv() => self.taken.push_back(rows),
            }
        }
    }

    /// Rows ready to write, if any.
    pub(crate) fn ready(&mut self) -> Option<R> {
        self.taken.pop_front().or_else(|| self.rows.try_recv().ok())
    }

    /// No more pages: the rows still to come, in turn (`None` once the thread has ended well).
    pub(crate) async fn rest(&mut self) -> Option<R> {
        let (closed, _) = mpsc::channel(1);
        drop(std::mem::replace(&mut self.pages, closed));
        match self.taken.pop_front() {
            Some(rows) => Some(rows),
            None => self.rows.recv().await,
        }
    }

    /// Wait for the thread's end: an error if it stopped on a panic.
    pub(crate) async fn end(self) -> Result<(), StoreError> {
        let what = self.what;
        drop(self.pages);
        self.thread.await.map_err(|err| StoreError::Corrupt(format!("{what}: the thread beside the database: {err}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pages of numbers summed beside, handed back every third page and at the end: every
    /// page's sum comes back once, in order, whatever the caller's pace.
    #[tokio::test]
    async fn every_page_comes_back_once_in_order() {
        let mut pending = Vec::new();
        let mut beside = Beside::start("test", move |page: Option<Vec<u64>>, hand| match page {
            Some(p) => {
                pending.push(p.iter().sum::<u64>());
                if pending.len() == 3 {
                    hand(std::mem::take(&mut pending));
                }
            }
            None => hand(std::mem::take(&mut pending)),
        });
        let mut back = Vec::new();
        for i in 0..10u64 {
            beside.send(vec![i, i * 100]).await.unwrap();
            while let Some(rows) = beside.ready() {
                back.extend(rows);
            }
        }
        while let Some(rows) = beside.rest().await {
            back.extend(rows);
        }
        beside.end().await.unwrap();
        assert_eq!(back, (0..10u64).map(|i| i * 101).collect::<Vec<_>>());
    }

    /// A thread handing more pieces per page than wait in the channel neither stops (the caller
    /// takes them while its next page waits) nor runs ahead of the writing once the pages end:
    /// then at most [`ROWS_WAITING`] pieces, and the one being handed, are made and not taken.
    #[tokio::test]
    async fn the_thread_waits_for_the_rows_to_be_taken() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let made = Arc::new(AtomicUsize::new(0));
        let counter = made.clone();
        let mut beside = Beside::start("test", move |page: Option<u32>, hand| {
            let pieces = if page.is_some() { 3 * ROWS_WAITING } else { 100 };
            for _ in 0..pieces {
                counter.fetch_add(1, Ordering::SeqCst);
                hand(1u32);
            }
        });
        let mut taken = 0;
        for n in 0..5 {
            beside.send(n).await.unwrap();
            while let Some(piece) = beside.ready() {
                taken += piece as usize;
            }
        }
        let mut ahead = 0;
        while let Some(piece) = beside.rest().await {
            taken += piece as usize;
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            ahead = ahead.max(made.load(Ordering::SeqCst) - taken);
        }
        beside.end().await.unwrap();
        assert_eq!(taken, 5 * 3 * ROWS_WAITING + 100);
        assert!(ahead <= ROWS_WAITING + 1, "{ahead} pieces made ahead of the writing");
    }

    /// A thread that panics is an error to the caller, never rows taken for whole.
    #[tokio::test]
    async fn a_panic_beside_is_an_error() {
        let mut beside = Beside::start("test", |page: Option<u32>, hand| match page {
            Some(3) => panic!("page 3"),
            Some(n) => hand(n),
            None => hand(0),
        });
        let mut failed = false;
        for n in 0..10 {
            if beside.send(n).await.is_err() {
                failed = true;
                break;
            }
        }
        let mut back = Vec::new();
        while let Some(n) = beside.rest().await {
            back.push(n);
        }
        assert!(back.len() <= 3, "{back:?}");
        assert!(failed || beside.end().await.is_err());
    }
}
