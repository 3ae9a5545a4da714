//! The core's error type. Every variant has a stable `code` for the IPC and
//! CLI boundaries and a message in French for the agent.

use crate::catalogue::CatalogueFileError;
use crate::domain::{IdError, WorkflowError};

/// Anything the core can refuse or fail at.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database failed.
    #[error("base de données : {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The schema could not be brought up to date.
    #[error("mise à jour de la base impossible : {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// The workflow refused the action.
    #[error("{0}")]
    Workflow(#[from] WorkflowError),
    /// A catalogue file was refused.
    #[error("{0}")]
    CatalogueFile(#[from] CatalogueFileError),
    /// A value was refused.
    #[error("{0}")]
    Invalid(#[from] IdError),
    /// A record the request names does not exist.
    #[error("{what} « {id} » introuvable")]
    NotFound {
        /// What was looked for.
        what: &'static str,
        /// Its id.
        id: String,
    },
    /// A file could not be written.
    #[error("écriture impossible : {0}")]
    Io(String),
    /// A stored record could not be read back.
    #[error("donnée enregistrée illisible : {0}")]
    Corrupt(#[from] serde_json::Error),
}

impl Error {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Sqlite(_) => "database",
            Error::Migration(_) => "migration",
            Error::Workflow(_) => "workflow",
            Error::CatalogueFile(_) => "catalogue_invalid",
            Error::Invalid(_) => "invalid",
            Error::NotFound { .. } => "not_found",
            Error::Corrupt(_) => "corrupt",
            Error::Io(_) => "io",
        }
    }
}

/// An error as it crosses the IPC boundary: a stable code and a French message.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ErrorBody {
    /// See [`Error::code`].
    pub code: String,
    /// For the agent, in French.
    pub message: String,
}

impl From<&Error> for ErrorBody {
    fn from(e: &Error) -> Self {
        ErrorBody {
            code: e.code().to_owned(),
            message: e.to_string(),
        }
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
