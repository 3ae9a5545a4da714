//! The commands the UI calls, listed once in `commands!` (see `ipc.rs`):
//! before `;` what a command takes from the shell, after it what the UI
//! sends. Each is one call into the core; errors cross IPC as
//! `volant_core::ErrorBody` (`{code, message}`, mirrored in `ui/src/bindings.ts`).

use chrono::{NaiveDate, Utc};
use tauri::{Manager, State};
use volant_core::domain::{Action, Catalogue, Visit, VisitId};
use volant_core::lead::{self, Cached, EditOutcome, TeamJournal};
use volant_core::printer::Raster;
use volant_core::search::SearchHit;
use volant_core::store::{CounterWaits, SyncStatus};
use volant_core::{DaySummary, ErrorBody, LogEntry, Settings, Store};
use volant_protocol::{
    CatalogueEdit, DemarcheReplacement, Indicators, JournalQuery, Period, QuarantinedRecord,
    RecordKind, SignOff,
};

use crate::core::Shared;

type Answer<T> = Result<T, ErrorBody>;

/// Any core error as it crosses IPC.
fn body<E>(e: E) -> ErrorBody
where
    for<'a> ErrorBody: From<&'a E>,
{
    ErrorBody::from(&e)
}

fn invalid(message: impl Into<String>) -> ErrorBody {
    ErrorBody {
        code: "invalid".into(),
        message: message.into(),
    }
}

/// One call on the tablet's store: the core opened if need be, the store locked for the call only.
async fn with_store<T, E>(core: &Shared, call: impl FnOnce(&mut Store) -> Result<T, E>) -> Answer<T>
where
    for<'a> ErrorBody: From<&'a E>,
{
    call(&mut *core.get().await?.store.lock().await).map_err(body)
}

fn day(text: &str) -> Answer<NaiveDate> {
    text.parse()
        .map_err(|_| invalid(format!("jour « {text} » invalide (AAAA-MM-JJ)")))
}

commands! {
    /// The whole catalogue.
    async fn catalogue(core: State<'_, Shared>;) -> Catalogue {
        with_store(&core, |s| s.catalogue()).await
    }

    /// Démarches for a visitor's words.
    async fn search(core: State<'_, Shared>; words: String, limit: u32) -> Vec<SearchHit> {
        with_store(&core, |s| s.search(&words, limit.min(50))).await
    }

    /// Starts a visit.
    async fn open_visit(core: State<'_, Shared>;) -> Visit {
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
    async fn record(core: State<'_, Shared>; id: String, action: Action) -> Visit {
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
    async fn day_log(core: State<'_, Shared>; day: String) -> Vec<LogEntry> {
        let day = self::day(&day)?;
        with_store(&core, |s| s.day_log(day, Utc::now())).await
    }

    /// The day's counts and open visits (`YYYY-MM-DD`), for the home screen.
    async fn day_summary(core: State<'_, Shared>; day: String) -> DaySummary {
        let day = self::day(&day)?;
        with_store(&core, |s| s.day_summary(day)).await
    }

    /// The tablet's settings.
    async fn settings(core: State<'_, Shared>;) -> Settings {
        with_store(&core, |s| s.settings()).await
    }

    /// Replaces the tablet's settings.
    async fn set_settings(core: State<'_, Shared>; settings: Settings) -> () {
        with_store(&core, |s| s.set_settings(&settings)).await
    }

    /// Prints the visitor's slip, drawn by the UI, on the hall's receipt printer.
    async fn print_slip(core: State<'_, Shared>; slip: Raster) -> () {
        let printer = with_store(&core, |s| s.settings()).await?.printer;
        volant_core::printer::print(printer, &slip)
            .await
            .map_err(|e| ErrorBody::from(&e))
    }

    /// What the UI shows of sync.
    async fn sync_status(core: State<'_, Shared>;) -> SyncStatus {
        with_store(&core, |s| s.sync_status()).await
    }

    /// The expected wait at each internal counter, as last fetched.
    async fn counter_waits(core: State<'_, Shared>;) -> Option<CounterWaits> {
        with_store(&core, |s| s.counter_waits(Utc::now())).await
    }

    /// The same, asked of the server again first when it answers.
    async fn refresh_counter_waits(core: State<'_, Shared>;) -> Option<CounterWaits> {
        let core = core.get().await?;
        volant_core::sync::refresh_waits(&core.store, &volant_core::sync::SystemClock)
            .await
            .map_err(|e| ErrorBody::from(&e))
    }

    /// Enrols (or re-enrols) the tablet with the server of an invitation, then
    /// wakes the sync loop.
    async fn enroll(core: State<'_, Shared>; invitation: String) -> () {
        let core = core.get().await?;
        volant_core::sync::enroll(&core.store, &invitation)
            .await
            .map_err(|e| ErrorBody::from(&e))?;
        core.wake.notify_one();
        Ok(())
    }

    /// One page of a day's journal across every tablet (lead devices).
    async fn team_journal(
        core: State<'_, Shared>;
        query: JournalQuery,
    ) -> Cached<TeamJournal> {
        let core = core.get().await?;
        lead::team_journal(&core.store, &query, Utc::now())
            .await
            .map_err(body)
    }

    /// The indicators of a period (lead devices).
    async fn team_indicators(core: State<'_, Shared>; period: Period) -> Cached<Indicators> {
        let core = core.get().await?;
        lead::team_indicators(&core.store, period, Utc::now())
            .await
            .map_err(body)
    }

    /// Marks a day reviewed (lead devices).
    async fn sign_off(core: State<'_, Shared>; day: String, comment: String) -> SignOff {
        let day = self::day(&day)?;
        let core = core.get().await?;
        lead::sign_off(&core.store, day, &comment)
            .await
            .map_err(body)
    }

    /// Saves the period's CSV export in the Downloads folder; returns its path.
    async fn export_csv(
        app: tauri::AppHandle,
        core: State<'_, Shared>;
        period: Period,
    ) -> String {
        let dir = app
            .path()
            .download_dir()
            .or_else(|_| app.path().home_dir())
            .map_err(|e| invalid(e.to_string()))?;
        let core = core.get().await?;
        lead::save_csv(&core.store, period, &dir)
            .await
            .map(|p| p.display().to_string())
            .map_err(body)
    }

    /// Re-applies a quarantined visit with its unknown démarches replaced (lead devices).
    async fn repair_quarantined(
        core: State<'_, Shared>;
        install_id: String,
        seq: u64,
        replacements: Vec<DemarcheReplacement>,
    ) -> QuarantinedRecord {
        let install_id = install_id
            .parse()
            .map_err(|_| invalid(format!("installation « {install_id} » invalide")))?;
        let core = core.get().await?;
        lead::repair_quarantined(&core.store, install_id, seq, replacements)
            .await
            .map_err(body)
    }

    /// Creates or changes a catalogue record, then wakes the sync loop to pull it.
    async fn edit_catalogue(
        core: State<'_, Shared>;
        kind: RecordKind,
        id: String,
        edit: CatalogueEdit,
    ) -> EditOutcome {
        let core = core.get().await?;
        let outcome = lead::edit_catalogue(&core.store, kind, &id, &edit)
            .await
            .map_err(body)?;
        core.wake.notify_one();
        Ok(outcome)
    }
}
