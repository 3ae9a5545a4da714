//! The database under test: a SQLite file by default; a fresh PostgreSQL
//! database per test when `VOLANT_TEST_POSTGRES` names a server
//! (`postgresql://user:password@host:port`, as `scripts/test.sh` sets it
//! inside `pg_virtualenv`). The same tests run on both.
//!
//! PostgreSQL's client blocks on a runtime of its own, so every call here and
//! every use of the store runs on a thread outside the test's runtime.

use std::path::Path;

use chrono::Utc;
use postgres::NoTls;
use uuid::Uuid;
use volant_server::store::{Database, ServerStore};

/// Runs `f` on a thread of its own (outside any tokio runtime).
pub fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| s.spawn(f).join().expect("thread"))
}

/// The server under test's PostgreSQL, if the run names one.
fn postgres_server() -> Option<String> {
    std::env::var("VOLANT_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
}

/// A fresh database for one test.
pub fn fresh(dir: &Path) -> Database {
    match postgres_server() {
        None => Database::Sqlite(dir.join("server.sqlite3")),
        Some(server) => {
            let name = format!("volant_test_{}", Uuid::now_v7().simple());
            off_runtime(|| {
                postgres::Client::connect(&format!("{server}/postgres"), NoTls)
                    .and_then(|mut c| c.batch_execute(&format!("CREATE DATABASE {name}")))
                    .expect("create the test database")
            });
            Database::Postgres(format!("{server}/{name}"))
        }
    }
}

/// The store on `db`, for `f`.
pub fn with_store<T: Send>(db: &Database, f: impl FnOnce(&mut ServerStore) -> T + Send) -> T {
    off_runtime(|| {
        let mut store = ServerStore::open(db, Utc::now()).expect("open server store");
        f(&mut store)
    })
}

/// The first row of `sql`, its columns as text (`NULL` as `None`).
pub fn row(db: &Database, sql: &str) -> Vec<Option<String>> {
    match db {
        Database::Sqlite(path) => {
            let conn = rusqlite::Connection::open(path).expect("open");
            conn.query_row(sql, [], |r| {
                (0..r.as_ref().column_count())
                    .map(|i| {
                        Ok(match r.get_ref(i)? {
                            rusqlite::types::ValueRef::Null => None,
                            rusqlite::types::ValueRef::Integer(n) => Some(n.to_string()),
                            rusqlite::types::ValueRef::Text(t) => {
                                Some(String::from_utf8_lossy(t).into_owned())
                            }
                            other => Some(format!("{other:?}")),
                        })
                    })
                    .collect()
            })
            .expect("query")
        }
        Database::Postgres(url) => off_runtime(|| {
            let mut client = postgres::Client::connect(url, NoTls).expect("connect");
            let sql = format!("SELECT * FROM ({sql}) AS q");
            let rows = client.simple_query(&sql).expect("query");
            rows.iter()
                .find_map(|m| match m {
                    postgres::SimpleQueryMessage::Row(r) => {
                        Some((0..r.len()).map(|i| r.get(i).map(str::to_owned)).collect())
                    }
                    _ => None,
                })
                .expect("one row")
        }),
    }
}

/// Runs `sql` on the database, beside the server.
pub fn execute(db: &Database, sql: &str) {
    match db {
        Database::Sqlite(path) => rusqlite::Connection::open(path)
            .and_then(|c| c.execute_batch(sql))
            .expect("execute"),
        Database::Postgres(url) => off_runtime(|| {
            postgres::Client::connect(url, NoTls)
                .and_then(|mut c| c.batch_execute(sql))
                .expect("execute")
        }),
    }
}

/// A count (the first column of the first row of `sql`).
pub fn count(db: &Database, sql: &str) -> u64 {
    row(db, sql)[0]
        .as_deref()
        .and_then(|n| n.parse().ok())
        .expect("a count")
}

/// Whether `needle` is still anywhere the database keeps data: SQLite's file
/// and WAL, byte for byte; PostgreSQL's tables, row by row.
pub fn holds(db: &Database, needle: &str) -> bool {
    match db {
        Database::Sqlite(path) => {
            let mut bytes = std::fs::read(path).expect("db");
            let wal = path.with_extension("sqlite3-wal");
            bytes.extend(std::fs::read(wal).unwrap_or_default());
            bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        }
        Database::Postgres(url) => off_runtime(|| {
            let mut client = postgres::Client::connect(url, NoTls).expect("connect");
            let tables: Vec<String> = client
                .query(
                    "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'",
                    &[],
                )
                .expect("tables")
                .iter()
                .map(|r| r.get(0))
                .collect();
            tables.iter().any(|t| {
                let n: i64 = client
                    .query_one(
                        &format!("SELECT COUNT(*) FROM {t} AS r WHERE strpos(r::text, $1) > 0"),
                        &[&needle],
                    )
                    .expect("search")
                    .get(0);
                n > 0
            })
        }),
    }
}

/// Another client holding every table of the database, as a backup or a
/// long maintenance would, until dropped.
pub enum Blocker {
    /// SQLite's `BEGIN EXCLUSIVE` on a second connection.
    Sqlite(rusqlite::Connection),
    /// A PostgreSQL transaction holding `ACCESS EXCLUSIVE` locks, on a thread
    /// of its own that rolls back when told.
    Postgres(
        Option<std::sync::mpsc::Sender<()>>,
        Option<std::thread::JoinHandle<()>>,
    ),
}

/// Locks the database until the blocker is dropped.
pub fn block(db: &Database) -> Blocker {
    match db {
        Database::Sqlite(path) => {
            let conn = rusqlite::Connection::open(path).expect("open");
            conn.execute_batch("BEGIN EXCLUSIVE").expect("lock");
            Blocker::Sqlite(conn)
        }
        Database::Postgres(url) => {
            let url = url.clone();
            let (locked_tx, locked) = std::sync::mpsc::channel();
            let (release, released) = std::sync::mpsc::channel::<()>();
            let thread = std::thread::spawn(move || {
                let mut client = postgres::Client::connect(&url, NoTls).expect("connect");
                let mut tx = client.transaction().expect("begin");
                tx.batch_execute("LOCK TABLE device, inbox, visit IN ACCESS EXCLUSIVE MODE")
                    .expect("lock");
                let _ = locked_tx.send(());
                let _ = released.recv();
                tx.rollback().expect("rollback");
            });
            locked.recv().expect("locked");
            Blocker::Postgres(Some(release), Some(thread))
        }
    }
}

impl Drop for Blocker {
    fn drop(&mut self) {
        match self {
            Blocker::Sqlite(conn) => conn.execute_batch("ROLLBACK").expect("unlock"),
            Blocker::Postgres(release, thread) => {
                drop(release.take());
                if let Some(thread) = thread.take() {
                    thread.join().expect("unlocked");
                }
            }
        }
    }
}
