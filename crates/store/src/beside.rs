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
