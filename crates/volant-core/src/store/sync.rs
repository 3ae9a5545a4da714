//! The store's side of sync: the tablet's sync state, outbox batches and
//! acknowledgements (a watermark, since they are contiguous, plus the few
//! receipts other than `stored`), and catalogue pages applied with their cursor.
//!
//! Architecture invariant: a pending outbox row is never deleted, whatever
//! the number of failed attempts; acknowledged rows are kept `RETENTION_DAYS`
//! so they can be pushed again to a server restored from a backup. Each
//! catalogue page is applied in one transaction together with its cursor.

use chrono::{DateTime, Duration, Utc};
use rusqlite::TransactionBehavior;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use volant_protocol::{
    CatalogueChange, CatalogueChanges, DeviceKind, Fingerprint, Mutation, MutationStatus,
    PushResponse, RecordKind, SUSPICIOUS_CLOCK_OFFSET_MS,
};

use super::{Store, db};
use crate::domain::{Catalogue, CatalogueMeta, Demarche, IdError, Service};
use crate::error::{Error, Result};

/// Acknowledged outbox rows are kept this long.
pub const RETENTION_DAYS: i64 = 30;

/// The server this tablet is enrolled with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Enrollment {
    /// Base URL, e.g. `https://10.0.0.2:8719`.
    pub server: String,
    /// The certificate fingerprint pinned at enrolment; `None`: trust the
    /// system's authorities only.
    #[serde(default)]
    pub pin: Option<Fingerprint>,
    /// Device id on the server.
    pub device_id: Uuid,
    /// Device name.
    pub name: String,
    /// Bearer token.
    pub token: String,
    /// Agent or lead.
    pub kind: DeviceKind,
}

/// What the tablet remembers between syncs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncState {
    /// The server, once enrolled.
    pub enrollment: Option<Enrollment>,
    /// The server epoch last seen by a push.
    pub epoch: Option<Uuid>,
    /// After an epoch change: ask the server to start this install where its retained rows start.
    pub rebase: bool,
    /// The catalogue version applied.
    pub catalogue_cursor: u64,
    /// The server epoch of that cursor.
    pub catalogue_epoch: Option<Uuid>,
    /// A full resync is filling the staging table, up to this cursor.
    pub resync_cursor: Option<u64>,
    /// Last sync attempt (tablet clock).
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// Last complete sync (tablet clock).
    pub last_success_at: Option<DateTime<Utc>>,
    /// Last error, in plain French; `None` after a success.
    pub last_error: Option<String>,
    /// Last measured offset of the tablet clock (server − tablet), in ms.
    pub clock_offset_ms: Option<i64>,
}

/// What the UI shows of sync.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncStatus {
    /// Enrolled with a server.
    pub enrolled: bool,
    /// The last attempt reached the server.
    pub online: bool,
    /// Changes waiting for the server.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub pending: u64,
    /// Last complete sync.
    pub last_success_at: Option<DateTime<Utc>>,
    /// Last error, in plain French.
    pub last_error: Option<String>,
    /// Records the server quarantined.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub quarantined: u64,
    /// Last measured clock offset, in ms.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub clock_offset_ms: Option<i64>,
    /// The tablet's clock looks wrong (more than 5 minutes off).
    pub clock_suspect: bool,
    /// Enrolled as the team lead's device: the lead's screens are shown.
    pub lead: bool,
}

/// What a push's acknowledgement changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AckSummary {
    /// Rows acknowledged.
    pub acknowledged: usize,
    /// Of which quarantined by the server.
    pub quarantined: usize,
    /// Of which deferred by the server.
    pub deferred: usize,
}

fn corrupt(message: String) -> Error {
    Error::Invalid(IdError(message))
}

fn decode_change(change: &CatalogueChange) -> Result<Option<Record>> {
    let Some(value) = &change.record else {
        return Ok(None);
    };
    let record = match change.kind {
        RecordKind::Service => Record::Service(Box::new(serde_json::from_value(value.clone())?)),
        RecordKind::Demarche => Record::Demarche(Box::new(serde_json::from_value(value.clone())?)),
    };
    let problems = match &record {
        Record::Service(s) => s.problems(),
        Record::Demarche(d) => d.problems(),
    };
    match problems.first() {
        Some(p) => Err(corrupt(format!(
            "catalogue du serveur invalide ({} {}) : {} {}",
            change.kind.as_str(),
            change.id,
            p.field,
            p.message
        ))),
        None => Ok(Some(record)),
    }
}

enum Record {
    Service(Box<Service>),
    Demarche(Box<Demarche>),
}

impl Store {
    /// The sync state.
    pub fn sync_state(&self) -> Result<SyncState> {
        Ok(match db::meta_get(&self.conn, "sync")? {
            Some(text) => serde_json::from_str(&text)?,
            None => SyncState::default(),
        })
    }

    /// Saves the sync state.
    pub fn set_sync_state(&mut self, state: &SyncState) -> Result<()> {
        db::meta_set(&self.conn, "sync", &serde_json::to_string(state)?)
    }

    /// The status shown to the agent.
    pub fn sync_status(&self) -> Result<SyncStatus> {
        let state = self.sync_state()?;
        Ok(SyncStatus {
            enrolled: state.enrollment.is_some(),
            online: state.enrollment.is_some()
                && state.last_error.is_none()
                && state.last_success_at.is_some(),
            pending: db::outbox_pending_count(&self.conn)?,
            last_success_at: state.last_success_at,
            last_error: state.last_error,
            quarantined: db::outbox_quarantined_count(&self.conn)?,
            clock_offset_ms: state.clock_offset_ms,
            clock_suspect: state
                .clock_offset_ms
                .is_some_and(|o| o.abs() > SUSPICIOUS_CLOCK_OFFSET_MS),
            lead: state.enrollment.is_some_and(|e| e.kind == DeviceKind::Lead),
        })
    }

    /// The next batch to push: the oldest pending rows, capped by count and bytes.
    pub fn pending_batch(&self, max_items: u32, max_bytes: usize) -> Result<Vec<Mutation>> {
        db::outbox_batch(&self.conn, self.install_id, max_items, max_bytes)
    }

    /// Records the server's receipts, in one transaction.
    pub fn acknowledge(&mut self, response: &PushResponse) -> Result<AckSummary> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut summary = AckSummary::default();
        for r in &response.receipts {
            let (status, reason) = match &r.status {
                MutationStatus::Stored => continue,
                MutationStatus::Quarantined { reason } => ("quarantined", Some(reason.as_str())),
                MutationStatus::Deferred => ("deferred", None),
            };
            db::outbox_receipt(&tx, r.seq, status, reason)?;
            summary.quarantined += usize::from(status == "quarantined");
            summary.deferred += usize::from(status == "deferred");
        }
        if let Some(last) = response.receipts.last() {
            db::outbox_ack_through(&tx, last.seq)?;
        }
        summary.acknowledged = response.receipts.len();
        tx.commit()?;
        Ok(summary)
    }

    /// The server expects `seq` next but the tablet thought it had more: makes
    /// retained rows from `seq` on pending again. Returns how many, and the
    /// oldest seq the tablet still has (rows before it are gone).
    pub fn repend_from(&mut self, seq: u64) -> Result<(u64, Option<u64>)> {
        Ok((
            db::outbox_repend_from(&self.conn, seq)?,
            db::outbox_oldest_seq(&self.conn)?,
        ))
    }

    /// The server says it has everything up to `seq`.
    pub fn acknowledge_through(&mut self, seq: u64) -> Result<()> {
        db::outbox_ack_through(&self.conn, seq)
    }

    /// The oldest pending seq, if any.
    pub fn first_pending_seq(&self) -> Result<Option<u64>> {
        let pending = db::outbox_pending_count(&self.conn)?;
        Ok((pending > 0)
            .then(|| db::outbox_acked_seq(&self.conn))
            .transpose()?
            .map(|acked| acked + 1))
    }

    /// The seq up to which the server should hold everything: the last
    /// acknowledged one.
    pub fn server_should_have(&self) -> Result<u64> {
        db::outbox_acked_seq(&self.conn)
    }

    /// The server has a new epoch (recreated or restored): every retained row
    /// is pending again and the next push asks the server to rebase.
    pub fn server_epoch_changed(&mut self, epoch: Option<Uuid>) -> Result<()> {
        let mut state = self.sync_state()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        db::outbox_repend_from(&tx, 0)?;
        state.epoch = epoch;
        state.rebase = true;
        db::meta_set(&tx, "sync", &serde_json::to_string(&state)?)?;
        tx.commit()?;
        Ok(())
    }

    /// The tablet's retention (RGPD): deletes the acknowledged outbox rows
    /// older than the retention period, then the visits (with their tickets)
    /// of the days before it that have no change left to push, and what a
    /// lead device cached about those days. Returns the visits deleted.
    pub fn purge_acknowledged(&mut self, now: DateTime<Utc>) -> Result<usize> {
        let before = now - Duration::days(RETENTION_DAYS);
        let first_kept = crate::domain::mairie_day(before).to_string();
        let tx = self.conn.transaction()?;
        db::outbox_purge_acked(&tx, before)?;
        let visits = db::visits_purge_before(&tx, &first_kept)?;
        db::lead_cache_purge_before(&tx, &first_kept)?;
        tx.commit()?;
        if visits > 0 {
            crate::sqlite::truncate_wal(&self.conn)?;
        }
        Ok(visits)
    }

    /// Applies one page of catalogue changes and its cursor in one transaction.
    pub fn apply_catalogue_page(&mut self, page: &CatalogueChanges) -> Result<()> {
        let records = page
            .changes
            .iter()
            .map(|c| Ok((c, decode_change(c)?)))
            .collect::<Result<Vec<_>>>()?;
        let meta: Option<CatalogueMeta> = serde_json::from_value(page.meta.clone()).ok();
        let mut state = self.sync_state()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.pragma_update(None, "defer_foreign_keys", "ON")?;
        for (change, record) in &records {
            match (record, change.kind) {
                (Some(Record::Service(s)), _) => db::service_upsert(&tx, s)?,
                (Some(Record::Demarche(d)), _) => db::demarche_upsert(&tx, d)?,
                (None, RecordKind::Service) => db::service_delete(&tx, &change.id)?,
                (None, RecordKind::Demarche) => db::demarche_delete(&tx, &change.id)?,
            }
        }
        if let Some(meta) = &meta {
            db::set_catalogue_meta(&tx, meta)?;
        }
        state.catalogue_cursor = page.next_since;
        state.catalogue_epoch = Some(page.epoch);
        db::meta_set(&tx, "sync", &serde_json::to_string(&state)?)?;
        tx.commit()?;
        if !records.is_empty() {
            self.refresh_search()?;
        }
        Ok(())
    }

    /// Starts a full resync: empties the staging table.
    pub fn begin_resync(&mut self) -> Result<()> {
        let mut state = self.sync_state()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        db::staging_clear(&tx)?;
        state.resync_cursor = Some(0);
        state.catalogue_epoch = None;
        db::meta_set(&tx, "sync", &serde_json::to_string(&state)?)?;
        tx.commit()?;
        Ok(())
    }

    /// Adds one page of a full resync to the staging table, with its cursor;
    /// the last page swaps the staged catalogue in, atomically.
    pub fn stage_catalogue_page(&mut self, page: &CatalogueChanges) -> Result<()> {
        let records = page
            .changes
            .iter()
            .map(|c| Ok((c, decode_change(c)?)))
            .collect::<Result<Vec<_>>>()?;
        let mut state = self.sync_state()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (change, record) in &records {
            match (record, &change.record) {
                (Some(_), Some(value)) => {
                    db::staging_put(&tx, change.kind.as_str(), &change.id, &value.to_string())?
                }
                _ => db::staging_delete(&tx, change.kind.as_str(), &change.id)?,
            }
        }
        state.resync_cursor = Some(page.next_since);
        state.catalogue_epoch = Some(page.epoch);
        if !page.has_more {
            let catalogue = Catalogue {
                meta: serde_json::from_value(page.meta.clone())?,
                services: db::staging_records(&tx, "service")?
                    .iter()
                    .map(|t| serde_json::from_str(t))
                    .collect::<Result<_, _>>()?,
                demarches: db::staging_records(&tx, "demarche")?
                    .iter()
                    .map(|t| serde_json::from_str(t))
                    .collect::<Result<_, _>>()?,
            };
            db::replace_catalogue(&tx, &catalogue)?;
            db::staging_clear(&tx)?;
            state.catalogue_cursor = page.next_since;
            state.resync_cursor = None;
        }
        db::meta_set(&tx, "sync", &serde_json::to_string(&state)?)?;
        tx.commit()?;
        if !page.has_more {
            self.refresh_search()?;
        }
        Ok(())
    }
}
