//! The commands the UI calls. Each is one call into the core; errors cross
//! IPC as `volant_core::ErrorBody` (`{code, message}`, mirrored in
//! `ui/src/bindings.ts`).

use chrono::{NaiveDate, Utc};
use tauri::State;
use volant_core::domain::{Action, Catalogue, Visit, VisitId};
use volant_core::search::SearchHit;
use volant_core::store::SyncStatus;
use volant_core::{ErrorBody, LogEntry, Settings};

use crate::core::Shared;

type Answer<T> = Result<T, ErrorBody>;

fn body(e: volant_core::Error) -> ErrorBody {
    ErrorBody::from(&e)
}

fn invalid(message: impl Into<String>) -> ErrorBody {
    ErrorBody {
        code: "invalid".into(),
        message: message.into(),
    }
}

/// The whole catalogue.
#[tauri::command]
pub async fn catalogue(core: State<'_, Shared>) -> Answer<Catalogue> {
    core.get()
        .await?
        .store
        .lock()
        .await
        .catalogue()
        .map_err(body)
}

/// Démarches for a visitor's words.
#[tauri::command]
pub async fn search(core: State<'_, Shared>, words: String, limit: u32) -> Answer<Vec<SearchHit>> {
    core.get()
        .await?
        .store
        .lock()
        .await
        .search(&words, limit.min(50))
        .map_err(body)
}

/// Starts a visit.
#[tauri::command]
pub async fn open_visit(core: State<'_, Shared>) -> Answer<Visit> {
    let core = core.get().await?;
    let visit = core
        .store
        .lock()
        .await
        .open_visit(Utc::now())
        .map_err(body)?;
    core.wake.notify_one();
    Ok(visit)
}

/// Applies the agent's action to a visit.
#[tauri::command]
pub async fn record(core: State<'_, Shared>, id: String, action: Action) -> Answer<Visit> {
    let id: VisitId = id
        .parse()
        .map_err(|e: volant_core::domain::IdError| invalid(e.0))?;
    let core = core.get().await?;
    let visit = core
        .store
        .lock()
        .await
        .record(id, action, Utc::now())
        .map_err(body)?;
    core.wake.notify_one();
    Ok(visit)
}

/// The log of a mairie day (`YYYY-MM-DD`).
#[tauri::command]
pub async fn day_log(core: State<'_, Shared>, day: String) -> Answer<Vec<LogEntry>> {
    let day: NaiveDate = day
        .parse()
        .map_err(|_| invalid(format!("jour « {day} » invalide (AAAA-MM-JJ)")))?;
    core.get()
        .await?
        .store
        .lock()
        .await
        .day_log(day, Utc::now())
        .map_err(body)
}

/// The tablet's settings.
#[tauri::command]
pub async fn settings(core: State<'_, Shared>) -> Answer<Settings> {
    core.get()
        .await?
        .store
        .lock()
        .await
        .settings()
        .map_err(body)
}

/// Replaces the tablet's settings.
#[tauri::command]
pub async fn set_settings(core: State<'_, Shared>, settings: Settings) -> Answer<()> {
    core.get()
        .await?
        .store
        .lock()
        .await
        .set_settings(&settings)
        .map_err(body)
}

/// What the UI shows of sync.
#[tauri::command]
pub async fn sync_status(core: State<'_, Shared>) -> Answer<SyncStatus> {
    core.get()
        .await?
        .store
        .lock()
        .await
        .sync_status()
        .map_err(body)
}

/// Enrols the tablet with the mairie server, then wakes the sync loop.
#[tauri::command]
pub async fn enroll(core: State<'_, Shared>, server: String, code: String) -> Answer<()> {
    let core = core.get().await?;
    volant_core::sync::enroll(&core.store, &server, &code)
        .await
        .map_err(|e| ErrorBody {
            code: "enroll".into(),
            message: e.to_string(),
        })?;
    core.wake.notify_one();
    Ok(())
}
