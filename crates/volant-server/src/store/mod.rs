//! The server store: one SQLite file with the devices, the idempotent inbox,
//! the visits and tickets as applied with their facts, the authoritative
//! catalogue, the lead's sign-offs and the aggregates kept past retention.
//!
//! Architecture invariant: every request is at most one transaction; an error
//! rolls it back whole, so a failed request changes nothing.

mod catalogue;
mod db;
mod devices;
mod lead;
mod push;
mod queue;
mod repair;
mod retention;
mod schema;

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, TransactionBehavior};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use volant_protocol::{ApiError, ErrorCode, Fingerprint, Invitation};

pub use catalogue::CatalogueWrite;
pub use db::DeviceRow;
pub use devices::{AuthenticatedDevice, EnrollmentCode, Post};
pub use lead::{JOURNAL_PAGE_SIZE, MAX_PERIOD_DAYS};
pub use queue::Ring;
pub use retention::{DEFAULT_RETENTION_DAYS, RetentionReport};

/// Why the store refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed: transient from the client's point of view.
    #[error("base de données indisponible : {0}")]
    Db(#[from] rusqlite::Error),
    /// The schema could not be upgraded.
    #[error("mise à jour de la base impossible : {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// A refusal to report to the client as is.
    #[error("{0}")]
    Refused(Box<ApiError>),
    /// A catalogue file was refused.
    #[error("{0}")]
    Catalogue(#[from] volant_core::catalogue::CatalogueFileError),
}

impl From<ApiError> for StoreError {
    fn from(api: ApiError) -> Self {
        StoreError::Refused(Box::new(api))
    }
}

impl StoreError {
    /// A refusal with a code and a message.
    pub fn refused(code: ErrorCode, message: impl Into<String>) -> Self {
        StoreError::from(ApiError::new(code, message))
    }
}

/// The store's result type.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// SHA-256 of `bytes`, in hex.
fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The server's store.
pub struct ServerStore {
    conn: Connection,
    /// Where rings go once a change to a queue is committed (the live updates).
    bell: Option<tokio::sync::broadcast::Sender<Ring>>,
}

impl ServerStore {
    /// Opens (or creates) the store, upgrades its schema, gives a new database
    /// its epoch and loads the shipped catalogue on first start.
    pub fn open(path: &Path, now: DateTime<Utc>) -> Result<ServerStore> {
        let mut conn = Connection::open(path)?;
        volant_core::sqlite::configure(&conn, std::time::Duration::from_millis(2000))?;
        schema::upgrade(&mut conn)?;
        let mut store = ServerStore { conn, bell: None };
        let tx = store
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if db::meta_get(&tx, "epoch")?.is_none() {
            db::meta_set(&tx, "epoch", &Uuid::now_v7().to_string())?;
            db::meta_set(&tx, "created_at", &now.to_rfc3339())?;
        }
        tx.commit()?;
        if db::catalogue_count(&store.conn)? == 0 {
            store.import_catalogue(&volant_core::catalogue::shipped()?)?;
        }
        store.backfill_facts()?;
        Ok(store)
    }

    /// Sends the rings of every committed change to a queue to `bell`.
    pub fn set_bell(&mut self, bell: tokio::sync::broadcast::Sender<Ring>) {
        self.bell = Some(bell);
    }

    /// Rings the doorbell (nobody listening is not an error).
    fn ring(&self, rings: impl IntoIterator<Item = Ring>) {
        if let Some(bell) = &self.bell {
            for ring in rings {
                let _ = bell.send(ring);
            }
        }
    }

    /// The server's epoch.
    pub fn epoch(&self) -> Result<Uuid> {
        let text = db::meta_get(&self.conn, "epoch")?.unwrap_or_default();
        Uuid::parse_str(&text)
            .map_err(|_| StoreError::refused(ErrorCode::Unavailable, "époque du serveur illisible"))
    }

    /// Gives the server a new epoch: run after restoring a backup, so every
    /// tablet re-pushes what it retained and pulls the catalogue again.
    pub fn rotate_epoch(&mut self) -> Result<Uuid> {
        let epoch = Uuid::now_v7();
        db::meta_set(&self.conn, "epoch", &epoch.to_string())?;
        Ok(epoch)
    }

    /// Records where devices reach the server and the certificate they pin
    /// (`None`: plain HTTP behind a proxy), for the invitations printed later.
    pub fn advertise(&mut self, url: &str, fingerprint: Option<Fingerprint>) -> Result<()> {
        db::meta_set(&self.conn, "advertised_url", url)?;
        db::meta_set(
            &self.conn,
            "advertised_fingerprint",
            &fingerprint.map(|f| f.to_string()).unwrap_or_default(),
        )?;
        Ok(())
    }

    /// An invitation with `code` to the server as last advertised by `serve`.
    pub fn invitation(&self, code: &str) -> Result<Option<Invitation>> {
        let Some(server) = db::meta_get(&self.conn, "advertised_url")? else {
            return Ok(None);
        };
        let fingerprint = db::meta_get(&self.conn, "advertised_fingerprint")?
            .filter(|f| !f.is_empty())
            .and_then(|f| Fingerprint::parse(&f).ok());
        Ok(Some(Invitation {
            server,
            code: code.to_owned(),
            fingerprint,
        }))
    }

    /// Number of visits stored, and of ticket codes.
    pub fn counts(&self) -> Result<(u64, u64)> {
        Ok(db::visit_and_ticket_counts(&self.conn)?)
    }
}
