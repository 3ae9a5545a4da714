//! Shared helpers of the end-to-end tests: a fresh store per test, fixed
//! instants, the real server (in-process or as a child process), a fault
//! injecting TCP proxy, sync-ready tablets, the exactly-once check and the
//! search relevance suite.

pub mod city;
pub mod floor;
pub mod proxy;
pub mod relevance;
pub mod server;
pub mod tablet;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use volant_core::Store;
use volant_server::store::Database;

pub use tablet::Tablet;

/// A store on a fresh database file in its own temporary directory.
pub struct TestStore {
    /// The store.
    pub store: Store,
    /// The database file.
    pub path: PathBuf,
    _dir: tempfile::TempDir,
}

/// The runtime of a benchmark: two workers, as the machine has two cores.
pub fn bench_runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
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

fn rows<T: rusqlite::types::FromSql>(db: &Path, sql: &str) -> Vec<(String, T)> {
    let conn = rusqlite::Connection::open(db).unwrap_or_else(|e| panic!("{e}"));
    let mut stmt = conn.prepare(sql).unwrap_or_else(|e| panic!("{e}"));
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap_or_else(|e| panic!("{e}"))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The rows of a two-column query on the server's database, as text.
fn server_rows(server: &Database, sql: &str) -> Vec<(String, String)> {
    match server {
        Database::Sqlite(path) => rows::<rusqlite::types::Value>(path, sql)
            .into_iter()
            .map(|(k, v)| {
                let v = match v {
                    rusqlite::types::Value::Integer(n) => n.to_string(),
                    rusqlite::types::Value::Text(t) => t,
                    other => format!("{other:?}"),
                };
                (k, v)
            })
            .collect(),
        Database::Postgres(url) => city::text_rows(url, sql),
    }
}

/// Checks that every change of every tablet reached the server exactly once:
/// per install, the inbox holds seqs 1..=last with the tablet's mutation ids;
/// nothing is pending; every tablet visit is on the server at its latest
/// revision; and no ticket code is held by two visits. Returns a description
/// of what is wrong, if anything.
pub fn exactly_once(server_db: &Path, tablets: &[&Path]) -> Result<(), String> {
    exactly_once_on(&Database::Sqlite(server_db.to_owned()), tablets)
}

/// [`exactly_once`] on a server of either database.
pub fn exactly_once_on(server: &Database, tablets: &[&Path]) -> Result<(), String> {
    let inbox: Vec<(String, String)> = server_rows(
        server,
        "SELECT install_id || ':' || seq, mutation_id FROM inbox",
    );
    let inbox: HashMap<String, String> = inbox.into_iter().collect();
    let mut ours = 0;
    let server_visits: HashMap<String, String> =
        server_rows(server, "SELECT id, revision FROM visit")
            .into_iter()
            .collect();
    // Ticket codes are unique within a mairie: each tablet's, by its device's.
    let mairie_of: HashMap<String, String> = server_rows(
        server,
        "SELECT install_id, CAST(mairie_id AS TEXT) FROM device",
    )
    .into_iter()
    .collect();
    let mut issued = Vec::new();
    let mut expected_inbox = 0;
    for db in tablets {
        let install: Vec<(String, String)> = rows(
            db,
            "SELECT 'install', value FROM meta WHERE key = 'install_id'",
        );
        let install = &install[0].1;
        let mairie = mairie_of.get(install).cloned().unwrap_or_default();
        issued.extend(
            rows::<String>(db, "SELECT day || ' ' || code, visit_id FROM ticket")
                .into_iter()
                .map(|(k, _)| format!("{mairie} {k}")),
        );
        ours += inbox
            .keys()
            .filter(|k| k.starts_with(&format!("{install}:")))
            .count();
        let outbox: Vec<(String, String)> =
            rows(db, "SELECT CAST(seq AS TEXT), mutation_id FROM outbox");
        let last: Vec<(String, i64)> = rows(db, "SELECT 'last', last_seq FROM outbox_counter");
        expected_inbox += last[0].1 as usize;
        for (seq, mutation_id) in &outbox {
            match inbox.get(&format!("{install}:{seq}")) {
                Some(m) if m == mutation_id => {}
                Some(m) => {
                    return Err(format!(
                        "{install}:{seq} holds {m}, tablet wrote {mutation_id}"
                    ));
                }
                None => return Err(format!("{install}:{seq} never reached the server")),
            }
        }
        let pending: Vec<(String, i64)> = rows(
            db,
            "SELECT 'pending', last_seq - acked_seq FROM outbox_counter",
        );
        if pending[0].1 != 0 {
            return Err(format!(
                "{} rows still pending on {}",
                pending[0].1,
                db.display()
            ));
        }
        for (id, revision) in rows::<i64>(db, "SELECT id, revision FROM visit") {
            if server_visits.get(&id) != Some(&revision.to_string()) {
                return Err(format!(
                    "visit {id} at revision {revision} is {:?} on the server",
                    server_visits.get(&id)
                ));
            }
        }
    }
    if issued.iter().collect::<HashSet<_>>().len() != issued.len() {
        return Err("two tablets issued the same ticket code on the same day".into());
    }
    if ours != expected_inbox {
        return Err(format!(
            "the server holds {ours} mutations of these tablets, they wrote {expected_inbox}"
        ));
    }
    let tickets: Vec<(String, String)> = server_rows(
        server,
        "SELECT CAST(mairie_id AS TEXT) || ' ' || day || ' ' || code, visit_id FROM ticket",
    );
    let unique: HashSet<&String> = tickets.iter().map(|(k, _)| k).collect();
    if unique.len() != tickets.len() {
        return Err("a ticket code is held twice".into());
    }
    Ok(())
}
