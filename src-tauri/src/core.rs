//! The core behind the commands: the store, opened once off the main thread
//! (on first use or at start-up), and the background sync loop.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Mutex, Notify, OnceCell};
use volant_core::sync::{SystemClock, run_until};
use volant_core::{ErrorBody, Store};

/// The open store and the sync loop's wake-up call.
pub struct Core {
    /// The tablet's store (one writer).
    pub store: Mutex<Store>,
    /// Notified after every change, so the sync loop pushes it soon.
    pub wake: Notify,
}

/// The core, shared by the commands and the sync loop.
#[derive(Clone, Default)]
pub struct Shared(Arc<OnceCell<Core>>);

/// The database file: `VOLANT_DB` if set, else in the user's data directory.
fn database() -> Result<PathBuf, ErrorBody> {
    if let Some(path) = std::env::var_os("VOLANT_DB") {
        return Ok(PathBuf::from(path));
    }
    let dirs =
        directories::ProjectDirs::from("fr", "Volant", "volant").ok_or_else(|| ErrorBody {
            code: "no_data_dir".into(),
            message: "dossier de données introuvable".into(),
        })?;
    std::fs::create_dir_all(dirs.data_dir()).map_err(|e| ErrorBody {
        code: "io".into(),
        message: e.to_string(),
    })?;
    Ok(dirs.data_dir().join("volant.sqlite3"))
}

impl Shared {
    /// The core, opening the store off the async threads on first use.
    pub async fn get(&self) -> Result<&Core, ErrorBody> {
        self.0
            .get_or_try_init(|| async {
                let path = database()?;
                let store =
                    tokio::task::spawn_blocking(move || Store::open(&path, chrono::Utc::now()))
                        .await
                        .map_err(|e| ErrorBody {
                            code: "internal".into(),
                            message: e.to_string(),
                        })?
                        .map_err(|e| ErrorBody::from(&e))?;
                Ok(Core {
                    store: Mutex::new(store),
                    wake: Notify::new(),
                })
            })
            .await
    }

    /// Opens the store and runs the sync loop for the life of the app.
    pub async fn start(&self) {
        match self.get().await {
            Ok(core) => {
                run_until(
                    &core.store,
                    &SystemClock,
                    &core.wake,
                    Duration::from_secs(30),
                    std::future::pending(),
                )
                .await
            }
            Err(e) => tracing::error!(code = e.code, message = e.message, "store unavailable"),
        }
    }
}
