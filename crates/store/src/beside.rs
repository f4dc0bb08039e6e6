//! Work done beside the database: a thread that turns the pages a rebuild reads into the rows
//! it writes, while the connection reads the next page and writes what is ready. A rebuild
//! that read, computed and wrote in turn kept one core busy at a time (a profile of the demo
//! load: its kept changes half on the connection's thread, half on the computing one, one
//! after the other; docs/BENCHMARKS.md).

use crate::StoreError;
use tokio::sync::mpsc;

/// The thread and its two channels: pages go in (one waits while one is worked on), rows come
/// back (few: the caller writes them after each page it sends).
pub(crate) struct Beside<P, R> {
    pages: mpsc::Sender<P>,
    rows: mpsc::UnboundedReceiver<R>,
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
        let (rows_in, rows) = mpsc::unbounded_channel();
        let thread = tokio::task::spawn_blocking(move || {
            let mut hand = |r: R| {
                // The caller stopped on an error, which it reports.
                let _ = rows_in.send(r);
            };
            while let Some(page) = pages_out.blocking_recv() {
                work(Some(page), &mut hand);
            }
            work(None, &mut hand);
        });
        Beside { pages, rows, thread, what }
    }

    /// Hand a page to the thread (waiting while it works on the one before).
    pub(crate) async fn send(&mut self, page: P) -> Result<(), StoreError> {
        self.pages.send(page).await.map_err(|_| self.stopped())
    }

    /// Rows ready to write, if any.
    pub(crate) fn ready(&mut self) -> Option<R> {
        self.rows.try_recv().ok()
    }

    /// No more pages: the rows still to come, in turn (`None` once the thread has ended well).
    pub(crate) async fn rest(&mut self) -> Option<R> {
        let (closed, _) = mpsc::channel(1);
        drop(std::mem::replace(&mut self.pages, closed));
        self.rows.recv().await
    }

    /// Wait for the thread's end: an error if it stopped on a panic.
    pub(crate) async fn end(self) -> Result<(), StoreError> {
        let what = self.what;
        drop(self.pages);
        self.thread.await.map_err(|err| StoreError::Corrupt(format!("{what}: the thread beside the database: {err}")))
    }

    fn stopped(&self) -> StoreError {
        StoreError::Corrupt(format!("{}: the thread beside the database stopped", self.what))
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
