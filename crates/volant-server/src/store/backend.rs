//! Which database a store runs on, and how the rules get at it: a
//! connection to read ([`Conn`]) or a write transaction ([`Tx`]), both
//! dereferencing to the storage contract [`Db`].
//!
//! Both are opened for one mairie: every statement reads and writes that
//! mairie's rows only, through the SQL function `mairie()` the session
//! answers (SQLite: a function of the connection; PostgreSQL: the setting
//! `volant.mairie`, see `schema/server-postgres/0002_mairie.sql`). A session
//! opened for no mairie ([`MairieId::NONE`]) sees no mairie's rows.
//!
//! Architecture invariant: a write transaction is serialised with every other
//! write of its mairie — SQLite's `BEGIN IMMEDIATE` (all writes of the file),
//! PostgreSQL's transaction-scoped advisory lock keyed by the mairie — so the
//! rules' read-then-write steps (next catalogue version, next ticket event, a
//! code used once) hold across server instances, and mairies do not wait for
//! each other.

use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use rusqlite::{Connection, TransactionBehavior};

use super::db::{Db, DbError, DbResult, MairieId};
use super::postgres::{Manager, PgSession, Pool};
use super::{Ring, StoreError, schema};

/// Where the server's data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// One SQLite file: the embedded default, one mairie.
    Sqlite(PathBuf),
    /// A PostgreSQL database (`postgres://…`), the city's.
    Postgres(String),
}

impl Database {
    /// `postgres://…` or `postgresql://…` is PostgreSQL; anything else a file.
    pub fn parse(text: &str) -> Database {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Database::Postgres(text.to_owned())
        } else {
            Database::Sqlite(PathBuf::from(text))
        }
    }

    /// The database as logs show it: a file's path, or PostgreSQL's address
    /// without its password.
    pub fn describe(&self) -> String {
        match self {
            Database::Sqlite(path) => path.display().to_string(),
            Database::Postgres(url) => match url.parse::<postgres::Config>() {
                Ok(c) => {
                    let host = match c.get_hosts().first() {
                        Some(postgres::config::Host::Tcp(host)) => host.clone(),
                        Some(postgres::config::Host::Unix(path)) => path.display().to_string(),
                        None => String::new(),
                    };
                    let port = c
                        .get_ports()
                        .first()
                        .map(|p| format!(":{p}"))
                        .unwrap_or_default();
                    format!(
                        "postgres://{host}{port}/{}",
                        c.get_dbname().unwrap_or_default()
                    )
                }
                Err(_) => "postgres://…".into(),
            },
        }
    }
}

impl From<&Path> for Database {
    fn from(path: &Path) -> Database {
        Database::Sqlite(path.to_owned())
    }
}

/// How long a statement waits for a lock held by another writer before the
/// request fails as unavailable (503) and the client retries.
pub const LOCK_WAIT: Duration = Duration::from_millis(2000);

/// Connections one server instance keeps to PostgreSQL at most (the default
/// `max_connections` of 100 leaves room for several instances and the DBA).
const POOL_SIZE: u32 = 8;

/// An open database.
pub enum Backend {
    /// The SQLite file's one connection, and the mairie its `mairie()` answers.
    Sqlite(Connection, Arc<AtomicI64>),
    /// A pool of PostgreSQL connections, and how to open one more (the
    /// doorbell's listener holds its own).
    Postgres(Pool, postgres::Config),
}

impl Backend {
    /// Opens `database` and brings its schema up to date; writes nothing else.
    pub fn open(database: &Database) -> Result<Backend, StoreError> {
        match database {
            Database::Sqlite(path) => {
                let mut conn = sqlite(path)?;
                schema::upgrade(&mut conn).map_err(|e| StoreError::Migration(e.to_string()))?;
                let mairie = Arc::new(AtomicI64::new(MairieId::NONE.0));
                let answered = mairie.clone();
                conn.create_scalar_function(
                    "mairie",
                    0,
                    rusqlite::functions::FunctionFlags::SQLITE_UTF8,
                    move |_| Ok(answered.load(Ordering::Relaxed)),
                )
                .map_err(DbError::from)?;
                Ok(Backend::Sqlite(conn, mairie))
            }
            Database::Postgres(url) => {
                let (pool, config) = postgres(url)?;
                let mut client = pool.get().map_err(DbError::from)?;
                schema::upgrade_postgres(&mut client).map_err(StoreError::Migration)?;
                Ok(Backend::Postgres(pool, config))
            }
        }
    }

    /// A connection to read a mairie's rows with (autocommit).
    pub fn conn(&self, mairie: MairieId) -> DbResult<Conn<'_>> {
        Ok(match self {
            Backend::Sqlite(conn, current) => {
                current.store(mairie.0, Ordering::Relaxed);
                Conn::Sqlite(conn)
            }
            Backend::Postgres(pool, _) => {
                Conn::Postgres(Box::new(PgSession::session(pool.get()?, mairie)?))
            }
        })
    }

    /// After a purge: SQLite truncates its WAL (deleted pages were zeroed,
    /// `secure_delete`); PostgreSQL vacuums the purged tables so their dead
    /// rows' space is reused.
    pub fn compact(&self) -> DbResult<()> {
        match self {
            Backend::Sqlite(conn, _) => Ok(volant_core::sqlite::truncate_wal(conn)?),
            Backend::Postgres(pool, _) => Ok(pool.get()?.batch_execute(
                "VACUUM inbox, visit, visit_fact, ticket, queue_ticket, ticket_event",
            )?),
        }
    }

    /// A write transaction on a mairie's rows, serialised with every other
    /// write of that mairie.
    pub fn begin(&mut self, mairie: MairieId) -> DbResult<Tx<'_>> {
        Ok(match self {
            Backend::Sqlite(conn, current) => {
                current.store(mairie.0, Ordering::Relaxed);
                Tx::Sqlite(conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
            }
            Backend::Postgres(pool, _) => {
                Tx::Postgres(Box::new(PgSession::begin(pool.get()?, mairie)?))
            }
        })
    }
}

/// A SQLite file's connection with the store's pragmas.
fn sqlite(path: &Path) -> DbResult<Connection> {
    let conn = Connection::open(path)?;
    volant_core::sqlite::configure(&conn, LOCK_WAIT)?;
    Ok(conn)
}

/// A pool of PostgreSQL connections whose statements wait at most
/// [`LOCK_WAIT`] for a lock, and the configuration it connects with.
fn postgres(url: &str) -> DbResult<(Pool, postgres::Config)> {
    let mut config: postgres::Config = url
        .parse()
        .map_err(|e: postgres::Error| DbError::Range(format!("adresse PostgreSQL : {e}")))?;
    config
        .options(&format!("-c lock_timeout={}", LOCK_WAIT.as_millis()))
        .application_name("volant-server")
        .connect_timeout(Duration::from_secs(5));
    let pool = r2d2::Pool::builder()
        .max_size(POOL_SIZE)
        .min_idle(Some(1))
        .connection_timeout(Duration::from_secs(5))
        .build(Manager(config.clone()))?;
    Ok((pool, config))
}

/// A connection to read with.
pub enum Conn<'a> {
    /// SQLite's connection.
    Sqlite(&'a Connection),
    /// A pooled PostgreSQL session.
    Postgres(Box<PgSession>),
}

impl Deref for Conn<'_> {
    type Target = dyn Db;

    fn deref(&self) -> &(dyn Db + 'static) {
        match self {
            Conn::Sqlite(conn) => *conn,
            Conn::Postgres(session) => &**session,
        }
    }
}

/// A write transaction: rolled back when dropped uncommitted.
pub enum Tx<'a> {
    /// SQLite's `BEGIN IMMEDIATE`.
    Sqlite(rusqlite::Transaction<'a>),
    /// PostgreSQL's transaction holding the write lock.
    Postgres(Box<PgSession>),
}

impl Tx<'_> {
    /// Commits.
    pub fn commit(self) -> DbResult<()> {
        self.commit_ringing(Vec::new()).map(drop)
    }

    /// Commits changes to queues; returns the rings this process must send
    /// itself. On PostgreSQL none: they leave as notifications delivered with
    /// the commit, which every instance's listener rings (`postgres::listen`).
    pub fn commit_ringing(self, rings: Vec<Ring>) -> DbResult<Vec<Ring>> {
        match self {
            Tx::Sqlite(tx) => {
                tx.commit()?;
                Ok(rings)
            }
            Tx::Postgres(session) => {
                for ring in &rings {
                    session.notify(ring)?;
                }
                session.commit()?;
                Ok(Vec::new())
            }
        }
    }
}

impl Deref for Tx<'_> {
    type Target = dyn Db;

    fn deref(&self) -> &(dyn Db + 'static) {
        match self {
            Tx::Sqlite(tx) => &**tx,
            Tx::Postgres(session) => &**session,
        }
    }
}
