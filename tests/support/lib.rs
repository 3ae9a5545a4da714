//! Shared helpers of the end-to-end tests: a fresh store per test and
//! fixed instants.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use volant_core::Store;

/// A store on a fresh database file in its own temporary directory.
pub struct TestStore {
    /// The store.
    pub store: Store,
    /// The database file.
    pub path: PathBuf,
    _dir: tempfile::TempDir,
}

/// A fixed instant: 2026-11-24 (a Tuesday) at `hh:mm` in UTC.
pub fn at(hh: u32, mm: u32) -> DateTime<Utc> {
    format!("2026-11-24T{hh:02}:{mm:02}:00Z")
        .parse()
        .unwrap_or_default()
}

/// Opens a fresh store with the shipped catalogue.
pub fn fresh_store() -> TestStore {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary directory: {e}"));
    let path = dir.path().join("tablet.sqlite3");
    let store = Store::open(&path, at(8, 0)).unwrap_or_else(|e| panic!("open store: {e}"));
    TestStore {
        store,
        path,
        _dir: dir,
    }
}
