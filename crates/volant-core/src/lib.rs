//! Volant's core library: the domain and its workflow, the tablet's SQLite
//! store with its outbox, the démarche catalogue and its search.
//!
//! No Tauri, no HTTP server: the shell and the server call into this crate.

#[cfg(feature = "ts")]
pub mod bindings;
pub mod catalogue;
pub mod demo;
pub mod domain;
pub mod error;
pub mod lead;
pub mod log;
pub mod printer;
pub mod review;
pub mod search;
pub mod sqlite;
pub mod store;
pub mod sync;

pub use error::{Error, ErrorBody, Result};
pub use store::{DaySummary, ImportSummary, LogEntry, Settings, Store};
