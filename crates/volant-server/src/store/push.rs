//! The idempotent inbox: a push is stored and applied in one transaction.
//!
//! Per mutation: a seq already stored with the same content replays its
//! original receipt; with other content it is a `seq_conflict`. A new seq must
//! follow the last one (`gap` otherwise). A stored mutation is then applied: a
//! permanently invalid one is quarantined with its reason, an unknown payload
//! version is deferred, and the queue moves on. A stored mutation lives on in
//! its visit (only the newest snapshot of each visit in a request is written);
//! the inbox keeps the raw payload of those quarantined or deferred, which are
//! needed later.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, TransactionBehavior};
use volant_core::domain::{Qualification, Visit, VisitId};
use volant_core::review::VisitFact;
use volant_protocol::{
    ApiError, ErrorCode, Mutation, MutationReceipt, MutationStatus, PushRequest, PushResponse,
    SUSPICIOUS_CLOCK_OFFSET_MS, VISIT_PAYLOAD_VERSION,
};

use super::{AuthenticatedDevice, Result, ServerStore, StoreError, db, sha256_hex};

fn refused(error: ApiError) -> StoreError {
    StoreError::from(error)
}

fn receipt(
    seq: u64,
    mutation_id: uuid::Uuid,
    status: &str,
    reason: Option<String>,
) -> MutationReceipt {
    let status = match (status, reason) {
        ("quarantined", reason) => MutationStatus::Quarantined {
            reason: reason.unwrap_or_default(),
        },
        ("deferred", _) => MutationStatus::Deferred,
        _ => MutationStatus::Stored,
    };
    MutationReceipt {
        seq,
        mutation_id,
        status,
    }
}

/// Ticket codes claimed by the snapshots of the request being applied, by
/// (day, code), with the visit holding each.
pub(super) type Claims = HashMap<(String, String), String>;

/// Checks a visit snapshot against the server's catalogue and tickets (those
/// stored and those claimed earlier in the same request), without writing
/// anything; `Ok(Err(reason))` quarantines it. A valid snapshot's tickets are
/// added to `claims`.
fn check_visit(
    conn: &Connection,
    m: &Mutation,
    claims: &mut Claims,
) -> Result<Result<Visit, String>> {
    let visit: Visit = match serde_json::from_str(m.payload.get()) {
        Ok(v) => v,
        Err(e) => return Ok(Err(format!("instantané de visite illisible : {e}"))),
    };
    if visit.id.0 != m.entity_id {
        return Ok(Err(
            "l'instantané ne correspond pas à l'entité annoncée".into()
        ));
    }
    check_snapshot(conn, visit, claims)
}

/// The démarches a visit names that the catalogue does not have.
pub(super) fn unknown_demarches(conn: &Connection, visit: &Visit) -> Result<Vec<String>> {
    let mut unknown = Vec::new();
    if let Some(Qualification::Demarches { ids }) = &visit.qualification {
        for id in ids {
            if !db::catalogue_has(conn, "demarche", id.as_str())? {
                unknown.push(id.to_string());
            }
        }
    }
    Ok(unknown)
}

/// Checks a parsed snapshot: its démarches, its service and its tickets.
pub(super) fn check_snapshot(
    conn: &Connection,
    visit: Visit,
    claims: &mut Claims,
) -> Result<Result<Visit, String>> {
    if let Some(id) = unknown_demarches(conn, &visit)?.first() {
        return Ok(Err(format!("démarche « {id} » inconnue du catalogue")));
    }
    if let Some(service) = visit
        .orientation
        .as_ref()
        .and_then(|o| o.destination.service())
        && !db::catalogue_has(conn, "service", service.as_str())?
    {
        return Ok(Err(format!("service « {service} » inconnu du catalogue")));
    }
    let visit_id = visit.id.to_string();
    let mut mine = Vec::new();
    for ticket in visit.ticket().into_iter().chain(&visit.replaced_tickets) {
        let key = (ticket.day.to_string(), ticket.code.to_string());
        let holder = match claims.get(&key) {
            Some(h) => Some(h.clone()),
            None => db::ticket_holder(conn, &key.0, &key.1)?,
        };
        if holder.is_some_and(|h| h != visit_id) {
            return Ok(Err(format!(
                "ticket {} du {} déjà attribué à une autre visite",
                key.1, key.0
            )));
        }
        mine.push(key);
    }
    for key in mine {
        claims.insert(key, visit_id.clone());
    }
    Ok(Ok(visit))
}

/// Applies a checked visit snapshot: its tickets and the visit row. Within a
/// request only the newest valid snapshot of each visit is written.
pub(super) fn write_visit(
    conn: &Connection,
    device_id: &str,
    visit: &Visit,
    snapshot: &str,
    offset: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Vec<super::queue::Ring>> {
    let received_at = now.to_rfc3339();
    let visit_id = visit.id.to_string();
    for ticket in visit.ticket().into_iter().chain(&visit.replaced_tickets) {
        db::ticket_record(
            conn,
            &ticket.day.to_string(),
            ticket.code.as_str(),
            &visit_id,
            ticket.service.as_str(),
            &ticket.issued_at.to_rfc3339(),
        )?;
    }
    let written = db::visit_upsert(
        conn,
        &db::VisitRow {
            id: &visit_id,
            device_id,
            tablet: &visit.tablet.to_string(),
            day: &visit.day.to_string(),
            step: visit.step.as_str(),
            outcome: visit.outcome(),
            revision: visit.revision,
            opened_at: &visit.opened_at().to_rfc3339(),
            received_at: &received_at,
            clock_suspect: offset.is_some_and(|o| o.abs() > SUSPICIOUS_CLOCK_OFFSET_MS),
            snapshot,
        },
    )?;
    if written {
        db::fact_put(conn, &visit_id, &VisitFact::of(visit))?;
    }
    super::queue::enqueue(conn, visit, device_id, offset, now)
}

impl ServerStore {
    /// Stores and applies a push from `device`, all or nothing.
    pub fn push(
        &mut self,
        device: &AuthenticatedDevice,
        request: &PushRequest,
        max_items: u32,
        now: DateTime<Utc>,
    ) -> Result<PushResponse> {
        let epoch = self.epoch()?;
        let install = request.install_id.to_string();
        if install != device.install_id {
            return Err(StoreError::refused(
                ErrorCode::Forbidden,
                "ce jeton appartient à une autre installation",
            ));
        }
        if request.mutations.len() > max_items as usize {
            return Err(StoreError::refused(
                ErrorCode::TooLarge,
                format!("{max_items} mutations au plus par envoi"),
            ));
        }
        let first = request.mutations.first().map_or(0, |m| m.seq);
        for (i, m) in request.mutations.iter().enumerate() {
            if m.install_id != request.install_id || m.seq != first + i as u64 || m.seq == 0 {
                return Err(refused(ApiError {
                    field: Some(format!("mutations[{i}]")),
                    ..ApiError::new(
                        ErrorCode::InvalidField,
                        "les mutations d'un envoi doivent être consécutives et de la même installation",
                    )
                }));
            }
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let state = db::device_get(&tx, &device.id)?
            .ok_or_else(|| StoreError::refused(ErrorCode::Unauthenticated, "appareil inconnu"))?;
        let mut last_seq = state.last_seq;
        if request.epoch.is_some_and(|e| e != epoch) {
            return Err(refused(ApiError {
                epoch: Some(epoch),
                expected_seq: Some(last_seq + 1),
                ..ApiError::new(
                    ErrorCode::EpochChanged,
                    "le serveur a changé d'époque : renvoyer ce qui a été conservé",
                )
            }));
        }
        if request.rebase && last_seq == 0 && first > 1 {
            last_seq = first - 1;
        }
        let received_at = now.to_rfc3339();
        let (mut receipts, mut duplicates, mut counts) = (
            Vec::with_capacity(request.mutations.len()),
            0u32,
            (0u64, 0u64, 0u64),
        );
        let mut claims = Claims::new();
        let mut newest: HashMap<VisitId, (Visit, &Mutation)> = HashMap::new();
        for m in &request.mutations {
            let hash = sha256_hex(&serde_json::to_vec(m).unwrap_or_default());
            if let Some(stored) = db::inbox_get(&tx, &install, m.seq)? {
                if stored.payload_hash != hash || stored.mutation_id != m.mutation_id.to_string() {
                    return Err(StoreError::refused(
                        ErrorCode::SeqConflict,
                        format!(
                            "la position {} de cette installation a déjà un autre contenu",
                            m.seq
                        ),
                    ));
                }
                duplicates += 1;
                receipts.push(receipt(m.seq, m.mutation_id, &stored.status, stored.reason));
                continue;
            }
            if m.seq > last_seq + 1 {
                return Err(refused(ApiError {
                    expected_seq: Some(last_seq + 1),
                    ..ApiError::new(
                        ErrorCode::Gap,
                        format!("envoi attendu à partir de la position {}", last_seq + 1),
                    )
                }));
            }
            if db::inbox_has_mutation(&tx, &m.mutation_id.to_string())? {
                return Err(StoreError::refused(
                    ErrorCode::SeqConflict,
                    format!("mutation {} déjà reçue à une autre position", m.mutation_id),
                ));
            }
            let outcome = if m.payload_version > VISIT_PAYLOAD_VERSION {
                Err(None)
            } else if m.payload_version == 0 {
                Err(Some("version de contenu 0 invalide".to_owned()))
            } else {
                match check_visit(&tx, m, &mut claims)? {
                    Ok(visit) => {
                        newest.insert(visit.id, (visit, m));
                        Ok(())
                    }
                    Err(reason) => Err(Some(reason)),
                }
            };
            let (status, reason) = match outcome {
                Ok(()) => ("stored", None),
                Err(None) => ("deferred", None),
                Err(Some(reason)) => ("quarantined", Some(reason)),
            };
            db::inbox_insert(
                &tx,
                &db::InboxRow {
                    install_id: &install,
                    seq: m.seq,
                    mutation_id: &m.mutation_id.to_string(),
                    payload_hash: &hash,
                    kind: m.kind.as_str(),
                    entity_id: &m.entity_id.to_string(),
                    payload_version: m.payload_version,
                    device_time: &m.device_time.to_rfc3339(),
                    received_at: &received_at,
                    clock_offset_ms: request.clock_offset_ms,
                    payload: (status != "stored").then(|| m.payload.get()),
                    status,
                    reason: reason.as_deref(),
                },
            )?;
            counts.0 += 1;
            counts.1 += u64::from(status == "quarantined");
            counts.2 += u64::from(status == "deferred");
            last_seq = last_seq.max(m.seq);
            receipts.push(receipt(m.seq, m.mutation_id, status, reason));
        }
        let mut rings = Vec::new();
        for (visit, m) in newest.values() {
            rings.extend(write_visit(
                &tx,
                &device.id,
                visit,
                m.payload.get(),
                request.clock_offset_ms,
                now,
            )?);
        }
        db::device_after_push(
            &tx,
            &device.id,
            last_seq,
            counts,
            request.clock_offset_ms,
            &received_at,
        )?;
        tx.commit()?;
        self.ring(rings);
        Ok(PushResponse {
            epoch,
            acked_through: last_seq,
            receipts,
            duplicates,
            server_time: now,
        })
    }
}
