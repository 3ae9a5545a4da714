//! A tablet for sync tests: its store behind the lock the sync engine uses,
//! and a clock that can be skewed or made to jump.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, Utc};
use tokio::sync::Mutex;
use uuid::Uuid;
use volant_core::Store;
use volant_core::domain::{
    Accompaniment, Action, DemarcheId, Destination, Listening, Qualification, ServiceId,
};
use volant_core::sync::{Clock, SyncReport, enroll, sync_once};
use volant_protocol::Mutation;

/// A clock `offset` milliseconds away from the real one.
#[derive(Debug, Default)]
pub struct SkewedClock {
    offset_ms: AtomicI64,
}

impl SkewedClock {
    /// Moves the clock by `by` (negative: backwards).
    pub fn jump(&self, by: Duration) {
        self.offset_ms
            .fetch_add(by.num_milliseconds(), Ordering::SeqCst);
    }
}

impl Clock for SkewedClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::milliseconds(self.offset_ms.load(Ordering::SeqCst))
    }
}

/// A tablet.
pub struct Tablet {
    /// Its store.
    pub store: Mutex<Store>,
    /// Its clock.
    pub clock: SkewedClock,
    /// Its database file.
    pub path: PathBuf,
}

impl Tablet {
    /// A tablet on a new database file in `dir`.
    pub fn new(dir: &Path, name: &str) -> Tablet {
        let path = dir.join(format!("{name}.sqlite3"));
        Self::open(&path)
    }

    /// A tablet on an existing (or new) database file.
    pub fn open(path: &Path) -> Tablet {
        let store = Store::open(path, Utc::now()).unwrap_or_else(|e| panic!("tablet store: {e}"));
        Tablet {
            store: Mutex::new(store),
            clock: SkewedClock::default(),
            path: path.to_owned(),
        }
    }

    /// Enrols with the server of `invitation` (its link).
    pub async fn enroll(&self, invitation: &str) {
        enroll(&self.store, invitation)
            .await
            .unwrap_or_else(|e| panic!("enrol: {e}"));
    }

    /// One sync.
    pub async fn sync(&self) -> SyncReport {
        sync_once(&self.store, &self.clock)
            .await
            .unwrap_or_else(|e| panic!("sync: {e}"))
    }

    /// Syncs until nothing is pending and no error remains (at most `tries`).
    pub async fn sync_until_quiet(&self, tries: usize) -> SyncReport {
        let mut last = SyncReport::default();
        for _ in 0..tries {
            last = self.sync().await;
            if last.error.is_none() && last.pending == 0 {
                return last;
            }
        }
        panic!("still not quiet after {tries} syncs: {last:?}")
    }

    /// Walks `count` demo visits at the tablet's clock.
    pub async fn visits(&self, count: usize, seed: u64) {
        let mut store = self.store.lock().await;
        volant_core::demo::walk_visits(&mut store, count, 1, self.clock.now(), seed)
            .unwrap_or_else(|e| panic!("visits: {e}"));
    }

    /// A visit for a birth certificate, oriented to État civil: one ticket.
    pub async fn issue_ticket(&self) {
        let now = Utc::now();
        let mut s = self.store.lock().await;
        let v = s.open_visit(now).unwrap_or_else(|e| panic!("{e}"));
        s.record(v.id, Action::Listened(Listening::default()), now)
            .unwrap_or_else(|e| panic!("{e}"));
        let ids = vec![
            DemarcheId::try_from("etat-civil.acte-naissance").unwrap_or_else(|e| panic!("{e}")),
        ];
        s.record(
            v.id,
            Action::Qualified(Qualification::Demarches { ids }),
            now,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let service = ServiceId::try_from("etat-civil").unwrap_or_else(|e| panic!("{e}"));
        s.record(
            v.id,
            Action::Oriented(Destination::Counter { service }),
            now,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        s.record(
            v.id,
            Action::Accompanied(Accompaniment { accompanied: false }),
            now,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }

    /// What a push of everything pending sends: its body (install and
    /// mutations, oldest first) and the tablet's credential.
    pub async fn outbox(&self) -> (Uuid, Vec<Mutation>, String) {
        let store = self.store.lock().await;
        let mutations = store
            .pending_mutations(u32::MAX)
            .unwrap_or_else(|e| panic!("{e}"));
        let token = store
            .sync_state()
            .ok()
            .and_then(|s| s.enrollment)
            .map(|e| e.token)
            .unwrap_or_else(|| panic!("not enrolled"));
        (store.install_id(), mutations, token)
    }

    /// The last seq written by this tablet.
    pub fn last_seq(&self) -> u64 {
        let conn = rusqlite::Connection::open(&self.path).unwrap_or_else(|e| panic!("{e}"));
        conn.query_row("SELECT last_seq FROM outbox_counter", [], |r| r.get(0))
            .unwrap_or(0)
    }
}
