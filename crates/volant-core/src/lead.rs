//! The team lead's screens on a lead device: the server's journal of the day
//! across every tablet, the indicators of a period, the sign-off, the CSV
//! export and catalogue edits.
//!
//! What the journal and the indicators last answered is kept in the store, so
//! a lead device offline still shows it, and says when it was fetched. The
//! store is never locked across a request.

use std::future::Future;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::Mutex;
use uuid::Uuid;
use volant_protocol::{
    CatalogueEdit, DemarcheReplacement, DeviceKind, ErrorCode, Indicators, JournalQuery, Period,
    QuarantinedRecord, RecordKind, RepairRequest, SignOff,
};

use crate::domain::{StepDurations, Visit};
use crate::store::Store;
use crate::sync::{Client, ClientError, SyncError};

/// An answer, and whether it comes from the device's cache (offline).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Cached<T> {
    /// The answer.
    pub value: T,
    /// When it was fetched, if the server could not be reached and this is
    /// the last answer kept; `None` when it is fresh.
    pub cached_at: Option<DateTime<Utc>>,
}

/// One visit of the team journal.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TeamVisit {
    /// The visit.
    pub visit: Visit,
    /// Seconds per step (an open step counts up to its start).
    pub durations: StepDurations,
    /// Name of the device that recorded it.
    pub device: String,
    /// The tablet's clock was more than 5 minutes off.
    pub clock_suspect: bool,
    /// Why the server quarantined a later change, if it did.
    pub quarantined: Option<String>,
}

/// One page of the day's journal across every tablet.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TeamJournal {
    /// The day.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub day: NaiveDate,
    /// Visits matching the filters, all pages.
    pub total: u32,
    /// This page, from 0.
    pub page: u32,
    /// Visits per page.
    pub page_size: u32,
    /// The visits of the page, by arrival.
    pub visits: Vec<TeamVisit>,
    /// Changes of that day the server quarantined.
    pub quarantined: Vec<QuarantinedRecord>,
    /// The day's sign-off.
    pub signoff: Option<SignOff>,
    /// Past the retention period: only aggregates remain.
    pub purged: bool,
}

/// What became of a catalogue edit.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum EditOutcome {
    /// Stored; tablets get it with their next catalogue pull.
    Saved {
        /// The record as stored, with its new version.
        record: serde_json::Value,
    },
    /// Someone changed the record first: nothing was written.
    Conflict {
        /// What happened, in French.
        message: String,
        /// The record as it is now.
        current: Option<serde_json::Value>,
    },
}

/// A client for this device's server, if it is enrolled as a lead.
async fn lead_client(store: &Mutex<Store>) -> Result<Client, SyncError> {
    let enrollment = crate::sync::enrollment(store).await?;
    if enrollment.kind != DeviceKind::Lead {
        return Err(SyncError::NotLead);
    }
    Ok(Client::new(
        &enrollment.server,
        enrollment.pin,
        Some(enrollment.token),
    )?)
}

/// The server's answer, kept under `key`; offline, the last one kept.
async fn cached<T: Serialize + DeserializeOwned>(
    store: &Mutex<Store>,
    key: &str,
    day: NaiveDate,
    fetch: impl Future<Output = Result<T, ClientError>>,
    now: DateTime<Utc>,
) -> Result<Cached<T>, SyncError> {
    match fetch.await {
        Ok(value) => {
            let body = serde_json::to_string(&value).map_err(crate::Error::from)?;
            store.lock().await.cache_lead_answer(key, day, &body, now)?;
            Ok(Cached {
                value,
                cached_at: None,
            })
        }
        Err(ClientError::Network(reason)) => match store.lock().await.cached_lead_answer(key)? {
            Some((body, at)) => Ok(Cached {
                value: serde_json::from_str(&body).map_err(crate::Error::from)?,
                cached_at: Some(at),
            }),
            None => Err(ClientError::Network(reason).into()),
        },
        Err(e) => Err(e.into()),
    }
}

/// One page of a day's journal across every tablet.
pub async fn team_journal(
    store: &Mutex<Store>,
    query: &JournalQuery,
    now: DateTime<Utc>,
) -> Result<Cached<TeamJournal>, SyncError> {
    let client = lead_client(store).await?;
    let key = format!(
        "journal {}",
        serde_json::to_string(query).unwrap_or_default()
    );
    let page = cached(store, &key, query.day, client.journal(query), now).await?;
    let visits = page
        .value
        .entries
        .into_iter()
        .map(|e| {
            let visit: Visit = serde_json::from_value(e.visit).map_err(crate::Error::from)?;
            Ok(TeamVisit {
                durations: visit.recorded_durations(),
                visit,
                device: e.device,
                clock_suspect: e.clock_suspect,
                quarantined: e.quarantined,
            })
        })
        .collect::<Result<Vec<_>, SyncError>>()?;
    Ok(Cached {
        value: TeamJournal {
            day: page.value.day,
            total: page.value.total,
            page: page.value.page,
            page_size: page.value.page_size,
            visits,
            quarantined: page.value.quarantined,
            signoff: page.value.signoff,
            purged: page.value.purged,
        },
        cached_at: page.cached_at,
    })
}

/// The indicators of a period.
pub async fn team_indicators(
    store: &Mutex<Store>,
    period: Period,
    now: DateTime<Utc>,
) -> Result<Cached<Indicators>, SyncError> {
    let client = lead_client(store).await?;
    let key = format!("indicators {} {}", period.from, period.to);
    cached(store, &key, period.to, client.indicators(period), now).await
}

/// Marks a day reviewed.
pub async fn sign_off(
    store: &Mutex<Store>,
    day: NaiveDate,
    comment: &str,
) -> Result<SignOff, SyncError> {
    Ok(lead_client(store).await?.sign_off(day, comment).await?)
}

/// The period's visits as CSV (columns: `volant_core::log`).
pub async fn export_csv(store: &Mutex<Store>, period: Period) -> Result<String, SyncError> {
    Ok(lead_client(store).await?.export_csv(period).await?)
}

/// Creates or changes a catalogue record on the server.
pub async fn edit_catalogue(
    store: &Mutex<Store>,
    kind: RecordKind,
    id: &str,
    edit: &CatalogueEdit,
) -> Result<EditOutcome, SyncError> {
    match lead_client(store)
        .await?
        .edit_catalogue(kind, id, edit)
        .await
    {
        Ok(edited) => Ok(EditOutcome::Saved {
            record: edited.record,
        }),
        Err(ClientError::Api { error, .. }) if error.code == ErrorCode::VersionConflict => {
            Ok(EditOutcome::Conflict {
                message: error.message,
                current: error.current.map(|c| *c),
            })
        }
        Err(e) => Err(e.into()),
    }
}

/// Re-applies a quarantined visit on the server with its unknown démarches
/// mapped to current ones; the record as repaired (who, when, what).
pub async fn repair_quarantined(
    store: &Mutex<Store>,
    install_id: Uuid,
    seq: u64,
    replacements: Vec<DemarcheReplacement>,
) -> Result<QuarantinedRecord, SyncError> {
    Ok(lead_client(store)
        .await?
        .repair_quarantined(install_id, seq, &RepairRequest { replacements })
        .await?)
}

/// Writes the period's CSV export into `dir` as `volant-<from>-<to>.csv`;
/// returns the file's path.
pub async fn save_csv(
    store: &Mutex<Store>,
    period: Period,
    dir: &std::path::Path,
) -> Result<std::path::PathBuf, SyncError> {
    let csv = export_csv(store, period).await?;
    let path = dir.join(format!("volant-{}-{}.csv", period.from, period.to));
    let written = path.clone();
    tokio::task::spawn_blocking(move || std::fs::write(&written, csv))
        .await
        .map_err(|e| std::io::Error::other(e.to_string()))
        .flatten()
        .map_err(|e| SyncError::Store(crate::Error::Io(e.to_string())))?;
    Ok(path)
}
