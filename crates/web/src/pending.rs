//! Uploaded files kept between a check and its confirmation (an import's dry run, then its
//! commit), so that the staff do not choose the file twice. Held in memory for
//! [`KEEP_FOR`], at most [`MAX_FILES`] files and [`MAX_BYTES`] at once (the oldest go first, so
//! that a few large uploads cannot hold the server's memory), each bound to the account and the
//! organisation it was checked for; a restart forgets them (the file is simply chosen again).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// How long a checked file waits for its confirmation.
pub const KEEP_FOR: Duration = Duration::from_secs(30 * 60);
/// Files kept at once, across all accounts.
pub const MAX_FILES: usize = 8;
/// Bytes kept at once, across all accounts (one largest upload and then some).
pub const MAX_BYTES: usize = 64 * 1024 * 1024;
/// Files kept at once for one account: its newest, so that an account checking file after
/// file pushes out its own older ones, not the files others are about to confirm.
pub const MAX_FILES_EACH: usize = 2;

/// One checked file.
#[derive(Clone)]
pub struct PendingFile {
    pub user: Option<Uuid>,
    pub org: Uuid,
    pub name: String,
    pub bytes: std::sync::Arc<Vec<u8>>,
    at: Instant,
}

#[derive(Default)]
pub struct PendingFiles {
    files: Mutex<HashMap<String, PendingFile>>,
}

impl PendingFiles {
    /// Keep a file; the token names it in the confirmation form.
    pub fn keep(&self, user: Option<Uuid>, org: Uuid, name: &str, bytes: Vec<u8>) -> String {
        let token = Uuid::now_v7().simple().to_string();
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.retain(|_, f| f.at.elapsed() < KEEP_FOR);
        let mut mine: Vec<(Instant, String)> =
            files.iter().filter(|(_, f)| f.user == user).map(|(k, f)| (f.at, k.clone())).collect();
        mine.sort();
        for (_, old) in mine.iter().rev().skip(MAX_FILES_EACH - 1) {
            files.remove(old);
        }
        let held = |files: &HashMap<String, PendingFile>| files.values().map(|f| f.bytes.len()).sum::<usize>();
        while !files.is_empty() && (files.len() >= MAX_FILES || held(&files) + bytes.len() > MAX_BYTES) {
            let Some(oldest) = files.iter().min_by_key(|(_, f)| f.at).map(|(k, _)| k.clone()) else { break };
            files.remove(&oldest);
        }
        let file = PendingFile { user, org, name: name.to_string(), bytes: bytes.into(), at: Instant::now() };
        files.insert(token.clone(), file);
        token
    }

    /// The file kept under `token` for this account and organisation, if still there.
    pub fn get(&self, token: &str, user: Option<Uuid>, org: Uuid) -> Option<PendingFile> {
        let files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.get(token).filter(|f| f.user == user && f.org == org && f.at.elapsed() < KEEP_FOR).cloned()
    }

    /// Forget a file (after its commit).
    pub fn forget(&self, token: &str) {
        self.files.lock().unwrap_or_else(|e| e.into_inner()).remove(token);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_bound_to_their_account_and_organisation_and_bounded() {
        let p = PendingFiles::default();
        let (u, o) = (Some(Uuid::now_v7()), Uuid::now_v7());
        let t = p.keep(u, o, "a.csv", b"x".to_vec());
        assert_eq!(p.get(&t, u, o).map(|f| f.name), Some("a.csv".to_string()));
        assert!(p.get(&t, Some(Uuid::now_v7()), o).is_none(), "another account");
        assert!(p.get(&t, u, Uuid::now_v7()).is_none(), "another organisation");
        // Another account's files push out the oldest; an account's own push out its own.
        let v = Some(Uuid::now_v7());
        let mut theirs = Vec::new();
        for _ in 0..MAX_FILES - 1 {
            theirs.push(p.keep(v, o, "b.csv", Vec::new()));
        }
        assert!(p.get(&t, u, o).is_some(), "kept: {} files", MAX_FILES);
        assert_eq!(theirs.iter().filter(|t| p.get(t, v, o).is_some()).count(), MAX_FILES_EACH);
        let mine: Vec<String> = (0..5).map(|_| p.keep(u, o, "a.csv", Vec::new())).collect();
        assert!(p.get(&t, u, o).is_none() && p.get(&mine[2], u, o).is_none(), "its own older ones went");
        assert!(mine[3..].iter().all(|m| p.get(m, u, o).is_some()) && p.get(&theirs[MAX_FILES - 2], v, o).is_some());
        for _ in 0..MAX_FILES {
            p.keep(Some(Uuid::now_v7()), o, "c.csv", Vec::new());
        }
        assert!(p.get(&mine[4], u, o).is_none(), "the oldest went first");
        let t2 = p.keep(u, o, "c.csv", Vec::new());
        p.forget(&t2);
        assert!(p.get(&t2, u, o).is_none());
    }

    #[test]
    fn large_files_push_out_the_oldest() {
        let p = PendingFiles::default();
        let (u, o) = (None, Uuid::now_v7());
        let big = MAX_BYTES / 2 + 1;
        let first = p.keep(u, o, "1.xlsx", vec![0; big]);
        let second = p.keep(u, o, "2.xlsx", vec![0; big]);
        assert!(p.get(&first, u, o).is_none(), "two halves and a byte do not fit");
        assert!(p.get(&second, u, o).is_some());
    }
}
