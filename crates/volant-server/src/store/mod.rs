//! The server store: the devices, the idempotent inbox, the visits and
//! tickets as applied with their facts, the authoritative catalogue, the
//! lead's sign-offs and the aggregates kept past retention — on one SQLite
//! file (the embedded default) or on PostgreSQL (the city's), through one
//! storage contract (`db.rs`); the rules in this folder are written once.
//! Everything belongs to a mairie (`mairie.rs`); a new database serves one.
//!
//! Architecture invariant: every request is at most one transaction; an error
//! rolls it back whole, so a failed request changes nothing.
//!
//! Architecture invariant: a request reads and writes one mairie's rows, the
//! mairie of its device's credential (never one named in its body); only
//! the city's indicators read several, one after the other.

mod backend;
mod catalogue;
mod db;
mod devices;
mod lead;
mod mairie;
mod migrate;
mod postgres;
mod push;
mod queue;
mod repair;
mod retention;
mod schema;
mod sqlite;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use volant_protocol::{ApiError, ErrorCode, Fingerprint, Invitation};

pub use backend::Database;
use backend::{Backend, Conn, Tx};
pub use catalogue::CatalogueWrite;
pub use db::{DbError, DeviceRow, MairieId, MairieRow, TABLES};
pub use devices::{AuthenticatedDevice, EnrollmentCode, Post};
pub use lead::{JOURNAL_PAGE_SIZE, MAX_PERIOD_DAYS};
pub use migrate::{TableCopy, copy_mairie};
pub use queue::Ring;
pub use retention::{DEFAULT_RETENTION_DAYS, RetentionReport};

/// Why the store refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed: transient from the client's point of view.
    #[error("base de données indisponible : {0}")]
    Db(#[from] DbError),
    /// The schema could not be upgraded.
    #[error("mise à jour de la base impossible : {0}")]
    Migration(String),
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

/// An epoch as stored.
fn parse_epoch(text: &str) -> Result<Uuid> {
    Uuid::parse_str(text)
        .map_err(|_| StoreError::refused(ErrorCode::Unavailable, "époque du serveur illisible"))
}

/// The server's store.
pub struct ServerStore {
    backend: Backend,
    /// Where rings go once a change to a queue is committed (the live updates).
    bell: Option<tokio::sync::broadcast::Sender<Ring>>,
}

impl ServerStore {
    /// Opens (or creates) the store and upgrades its schema; a new database
    /// gets its first mairie, and a mairie without a catalogue the shipped one.
    pub fn open(database: &Database, now: DateTime<Utc>) -> Result<ServerStore> {
        let backend = Backend::open(database)?;
        let mut store = ServerStore {
            backend,
            bell: None,
        };
        let mairies = store.mairies()?;
        if mairies.is_empty() {
            // Named after the shipped catalogue's mairie until `mairie rename`.
            let shipped = volant_core::catalogue::shipped()?;
            if let Err(e) = store.add_mairie(&shipped.meta.mairie, Some(&shipped), now) {
                // Another instance starting on the same new database added it first.
                if store.mairies()?.is_empty() {
                    return Err(e);
                }
            }
        }
        for m in mairies {
            if store.conn(m.id)?.catalogue_count()? == 0 {
                store.import_catalogue(m.id, &volant_core::catalogue::shipped()?)?;
            }
            store.backfill_facts(m.id)?;
        }
        Ok(store)
    }

    /// Stores on the same PostgreSQL pool and bell, one per pooled
    /// connection but this one's, so that requests run side by side; none on
    /// SQLite (one connection, one writer).
    pub fn siblings(&self) -> Vec<ServerStore> {
        match &self.backend {
            Backend::Sqlite(..) => Vec::new(),
            Backend::Postgres(pool, config) => (1..pool.max_size())
                .map(|_| ServerStore {
                    backend: Backend::Postgres(pool.clone(), config.clone()),
                    bell: self.bell.clone(),
                })
                .collect(),
        }
    }

    /// A connection to read a mairie's rows with.
    fn conn(&self, mairie: MairieId) -> Result<Conn<'_>> {
        Ok(self.backend.conn(mairie)?)
    }

    /// A write transaction on a mairie's rows, serialised with its other writes.
    fn begin(&mut self, mairie: MairieId) -> Result<Tx<'_>> {
        Ok(self.backend.begin(mairie)?)
    }

    /// Sends the rings of every committed change to a queue to `bell` —
    /// on PostgreSQL those of every instance, heard by a listener thread that
    /// ends once the bell is gone.
    pub fn set_bell(&mut self, bell: tokio::sync::broadcast::Sender<Ring>) {
        if let Backend::Postgres(_, config) = &self.backend {
            postgres::listen(config.clone(), bell.downgrade());
        }
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

    /// A mairie's epoch.
    pub fn epoch(&self, mairie: MairieId) -> Result<Uuid> {
        parse_epoch(&self.mairie(mairie)?.epoch)
    }

    /// Gives every mairie a new epoch: run after restoring a backup, so every
    /// tablet re-pushes what it retained and pulls the catalogue again.
    pub fn rotate_epoch(&mut self) -> Result<Vec<(MairieRow, Uuid)>> {
        let mut rotated = Vec::new();
        for m in self.mairies()? {
            let epoch = Uuid::now_v7();
            self.conn(m.id)?.mairie_set_epoch(&epoch.to_string())?;
            rotated.push((m, epoch));
        }
        Ok(rotated)
    }

    /// Records where devices reach the server and the certificate they pin
    /// (`None`: plain HTTP behind a proxy), for the invitations printed later.
    pub fn advertise(&mut self, url: &str, fingerprint: Option<Fingerprint>) -> Result<()> {
        let db = self.conn(MairieId::NONE)?;
        db.meta_set("advertised_url", url)?;
        db.meta_set(
            "advertised_fingerprint",
            &fingerprint.map(|f| f.to_string()).unwrap_or_default(),
        )?;
        Ok(())
    }

    /// An invitation with `code` to the server as last advertised by `serve`.
    pub fn invitation(&self, code: &str) -> Result<Option<Invitation>> {
        let db = self.conn(MairieId::NONE)?;
        let Some(server) = db.meta_get("advertised_url")? else {
            return Ok(None);
        };
        let fingerprint = db
            .meta_get("advertised_fingerprint")?
            .filter(|f| !f.is_empty())
            .and_then(|f| Fingerprint::parse(&f).ok());
        Ok(Some(Invitation {
            server,
            code: code.to_owned(),
            fingerprint,
        }))
    }

    /// Whether this store can serve: its database answers and its schema is
    /// the latest this server knows (another instance may have upgraded it).
    pub fn readiness(&self) -> Result<()> {
        let current = match &self.backend {
            Backend::Sqlite(conn, _) => schema::sqlite_current(conn).map_err(DbError::from)?,
            Backend::Postgres(pool, _) => {
                let mut client = pool.get().map_err(DbError::from)?;
                let (current, known) =
                    schema::postgres_versions(&mut client).map_err(DbError::from)?;
                current == known
            }
        };
        if current {
            Ok(())
        } else {
            Err(StoreError::refused(
                ErrorCode::Unavailable,
                "schéma de la base différent de celui de ce serveur",
            ))
        }
    }

    /// Number of visits a mairie holds, and of ticket codes.
    pub fn counts(&self, mairie: MairieId) -> Result<(u64, u64)> {
        Ok(self.conn(mairie)?.visit_and_ticket_counts()?)
    }
}
