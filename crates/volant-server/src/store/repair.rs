//! The lead's repair of a quarantined visit: its unknown démarches mapped to
//! current ones, checked as a push would check it, then applied — the visit,
//! its tickets, its facts (so the indicators follow) — and the repair
//! recorded (who, when, what), all in one transaction.

use chrono::{DateTime, Utc};
use uuid::Uuid;
use volant_core::domain::{DemarcheId, Visit};
use volant_core::sqlite::stored_time;
use volant_protocol::{
    DemarcheReplacement, ErrorCode, QuarantineRepair, QuarantinedRecord, RepairRequest,
};

use super::push::{Checked, check_snapshot, unknown_demarches, write_visit};
use super::{AuthenticatedDevice, Result, ServerStore, StoreError, db};
use db::Db;

fn invalid(message: impl Into<String>) -> StoreError {
    StoreError::refused(ErrorCode::InvalidField, message)
}

/// A journal's view of a quarantined (or repaired) row.
pub(super) fn record(conn: &dyn Db, row: db::QuarantineRow) -> Result<QuarantinedRecord> {
    let visit: Option<Visit> = serde_json::from_str(&row.payload).ok();
    let unknown_demarches = match (&visit, &row.repair) {
        (Some(visit), None) => unknown_demarches(conn, visit, &mut Checked::default())?,
        _ => Vec::new(),
    };
    let repair = row.repair.map(|(by, at, replacements)| QuarantineRepair {
        by,
        at: stored_time(&at),
        replacements: serde_json::from_str(&replacements).unwrap_or_default(),
    });
    Ok(QuarantinedRecord {
        device: row.device,
        entity_id: row.entity_id,
        device_time: stored_time(&row.device_time),
        reason: row.reason,
        install_id: Uuid::parse_str(&row.install_id).unwrap_or_default(),
        seq: row.seq,
        unknown_demarches,
        repair,
    })
}

impl ServerStore {
    /// Re-applies the quarantined visit at (`install_id`, `seq`) with
    /// `request`'s démarches, on behalf of `lead`. Refused, it changes nothing.
    pub fn repair_quarantined(
        &mut self,
        lead: &AuthenticatedDevice,
        install_id: Uuid,
        seq: u64,
        request: &RepairRequest,
        now: DateTime<Utc>,
    ) -> Result<QuarantinedRecord> {
        let tx = self.begin(lead.mairie)?;
        let row = tx
            .quarantined_get(&install_id.to_string(), seq)?
            .ok_or_else(|| {
                StoreError::refused(
                    ErrorCode::NotFound,
                    "rien en quarantaine à cet endroit (déjà réparé ?)",
                )
            })?;
        let mut visit: Visit = serde_json::from_str(&row.payload)
            .map_err(|e| invalid(format!("instantané illisible, non réparable : {e}")))?;
        if request.replacements.is_empty() {
            return Err(invalid("aucune démarche à remplacer"));
        }
        for DemarcheReplacement { from, to } in &request.replacements {
            let (from_id, to_id) = DemarcheId::try_from(from.as_str())
                .and_then(|f| DemarcheId::try_from(to.as_str()).map(|t| (f, t)))
                .map_err(|e| invalid(e.0))?;
            if !tx.catalogue_has("demarche", to_id.as_str())? {
                return Err(invalid(format!("démarche « {to} » absente du catalogue")));
            }
            if !visit.replace_demarche(&from_id, to_id) {
                return Err(invalid(format!(
                    "la visite ne nomme pas la démarche « {from} »"
                )));
            }
        }
        let visit = check_snapshot(&*tx, visit, &mut Checked::default())?
            .map_err(|reason| invalid(format!("toujours refusée : {reason}")))?;
        let snapshot = serde_json::to_string(&visit).map_err(|e| invalid(e.to_string()))?;
        let rings = write_visit(&*tx, &row.device_id, &visit, &snapshot, None, now)?;
        let by = tx
            .device_get(&lead.id)?
            .map(|d| d.name)
            .unwrap_or_else(|| lead.id.clone());
        let replacements =
            serde_json::to_string(&request.replacements).map_err(|e| invalid(e.to_string()))?;
        tx.quarantine_repaired(&row, &by, &now.to_rfc3339(), &replacements)?;
        let repaired = db::QuarantineRow {
            repair: Some((by, now.to_rfc3339(), replacements)),
            ..row
        };
        let record = record(&*tx, repaired)?;
        let rings = tx.commit_ringing(rings)?;
        self.ring(rings);
        Ok(record)
    }
}
