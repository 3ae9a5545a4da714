//! Pulling catalogue changes from the server.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Which kind of catalogue record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum RecordKind {
    /// A service (counter, permanence, partner, online service).
    Service,
    /// A démarche.
    Demarche,
}

impl RecordKind {
    /// Name as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Service => "service",
            RecordKind::Demarche => "demarche",
        }
    }
}

/// One catalogue write: the record at its new version, or a tombstone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CatalogueChange {
    /// Record kind.
    pub kind: RecordKind,
    /// Record id.
    pub id: String,
    /// The catalogue version of this write (strictly increasing).
    pub version: u64,
    /// The record, or `null` when it was deleted.
    pub record: Option<serde_json::Value>,
}

/// `GET /v1/catalogue/changes?since=V&epoch=E&limit=N`: one page of changes
/// after version `since`, oldest first. A too-old cursor or another epoch
/// answers `410 resync_required`: start again from `since=0`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CatalogueChanges {
    /// The server's epoch: send it back with the next page.
    pub epoch: Uuid,
    /// The changes, by increasing version.
    pub changes: Vec<CatalogueChange>,
    /// The cursor for the next page.
    pub next_since: u64,
    /// Whether more changes follow.
    pub has_more: bool,
    /// The catalogue's metadata (mairie, edition, credits).
    pub meta: serde_json::Value,
}
