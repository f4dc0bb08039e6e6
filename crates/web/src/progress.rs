//! Imports that a browser watches: the page names each upload with a random token
//! (`?progress=…`), and while the request runs it asks `/import/progress/{token}` how far the
//! import has come. Each token is bound to the account that started it; a finished import's
//! entry goes when its request answers.

use chibo_access::ImportProgress;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Imports watched at once, across all accounts (the oldest go first).
pub const MAX_WATCHED: usize = 64;
/// An entry older than this is forgotten even if its request never answered.
const KEEP_FOR: Duration = Duration::from_secs(2 * 60 * 60);

struct Watched {
    user: Option<Uuid>,
    progress: Arc<ImportProgress>,
    at: Instant,
}

#[derive(Default)]
pub struct ProgressBoard {
    imports: Mutex<HashMap<String, Watched>>,
}

/// A token as the page makes it: 16 to 64 letters and digits (hex from the browser's random
/// source); anything else is not watched.
pub fn valid_token(token: &str) -> bool {
    (16..=64).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_alphanumeric())
}

impl ProgressBoard {
    /// Watch an import under `token` for `user`; `None` when the token is not one the page
    /// makes or is already taken by another import.
    pub fn start(&self, token: &str, user: Option<Uuid>) -> Option<Arc<ImportProgress>> {
        if !valid_token(token) {
            return None;
        }
        let mut imports = self.imports.lock().unwrap_or_else(|e| e.into_inner());
        imports.retain(|_, w| w.at.elapsed() < KEEP_FOR);
        if imports.contains_key(token) {
            return None;
        }
        while imports.len() >= MAX_WATCHED {
            let Some(oldest) = imports.iter().min_by_key(|(_, w)| w.at).map(|(k, _)| k.clone()) else { break };
            imports.remove(&oldest);
        }
        let progress = Arc::new(ImportProgress::default());
        imports.insert(token.to_string(), Watched { user, progress: progress.clone(), at: Instant::now() });
        Some(progress)
    }

    /// The progress of the import watched under `token`, for the account that started it.
    pub fn get(&self, token: &str, user: Option<Uuid>) -> Option<Arc<ImportProgress>> {
        let imports = self.imports.lock().unwrap_or_else(|e| e.into_inner());
        imports.get(token).filter(|w| w.user == user).map(|w| w.progress.clone())
    }

    /// The import has answered.
    pub fn end(&self, token: &str) {
        self.imports.lock().unwrap_or_else(|e| e.into_inner()).remove(token);
    }

    /// Watch an import for as long as the returned guard lives ([`ProgressBoard::start`]).
    pub fn watch(self: &Arc<Self>, token: &str, user: Option<Uuid>) -> Option<Watching> {
        let progress = self.start(token, user)?;
        Some(Watching { board: self.clone(), token: token.to_string(), progress })
    }
}

/// An import being watched; dropping it (the request answered, or failed) ends the watch.
pub struct Watching {
    board: Arc<ProgressBoard>,
    token: String,
    pub progress: Arc<ImportProgress>,
}

impl Drop for Watching {
    fn drop(&mut self) {
        self.board.end(&self.token);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_seen_only_by_its_account_and_only_until_the_end() {
        let board = ProgressBoard::default();
        let (me, other) = (Some(Uuid::now_v7()), Some(Uuid::now_v7()));
        let token = "0123456789abcdef0123456789abcdef";
        assert!(board.start("short", me).is_none());
        assert!(board.start("../../etc/passwd-0123456789", me).is_none());
        let p = board.start(token, me).expect("a valid token");
        assert!(board.start(token, other).is_none(), "a token in use is not taken over");
        assert!(Arc::ptr_eq(&p, &board.get(token, me).expect("watched")));
        assert!(board.get(token, other).is_none());
        board.end(token);
        assert!(board.get(token, me).is_none());
        let board = Arc::new(board);
        let watching = board.watch(token, me).expect("free again");
        assert!(board.get(token, me).is_some());
        drop(watching);
        assert!(board.get(token, me).is_none(), "the watch ends with its guard");
    }

    #[test]
    fn the_board_holds_a_bounded_number_of_imports() {
        let board = ProgressBoard::default();
        let tokens: Vec<String> = (0..MAX_WATCHED + 3).map(|i| format!("{i:032x}")).collect();
        for t in &tokens {
            assert!(board.start(t, None).is_some());
        }
        assert_eq!(board.imports.lock().unwrap().len(), MAX_WATCHED);
        assert!(board.get(&tokens[MAX_WATCHED + 2], None).is_some());
    }
}
