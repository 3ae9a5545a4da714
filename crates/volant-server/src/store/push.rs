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

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use uuid::Uuid;
use volant_core::domain::{Qualification, Visit, VisitId};
use volant_core::review::VisitFact;
use volant_protocol::{
    ApiError, ErrorCode, Mutation, MutationReceipt, MutationStatus, PushRequest, PushResponse,
    SUSPICIOUS_CLOCK_OFFSET_MS, VISIT_PAYLOAD_VERSION,
};

use super::{AuthenticatedDevice, Result, ServerStore, StoreError, db, sha256_hex};
use db::Db;

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

/// What the request being applied has checked so far: the ticket codes its
/// snapshots claimed, by (day, code), with the visit holding each; the
/// catalogue records looked up (the snapshots of one visit name the same);
/// and, read once for the request, its visit ids another mairie holds.
#[derive(Default)]
pub(super) struct Checked {
    claims: HashMap<(String, String), String>,
    known: HashMap<(&'static str, String), bool>,
    foreign: HashSet<String>,
}

impl Checked {
    /// Whether the catalogue holds a live record of `kind` and `id`.
    fn knows(&mut self, conn: &dyn Db, kind: &'static str, id: &str) -> Result<bool> {
        if let Some(known) = self.known.get(&(kind, id.to_owned())) {
            return Ok(*known);
        }
        let known = conn.catalogue_has(kind, id)?;
        self.known.insert((kind, id.to_owned()), known);
        Ok(known)
    }
}

/// Checks a visit snapshot against the server's catalogue and tickets (those
/// stored and those claimed earlier in the same request), without writing
/// anything; `Ok(Err(reason))` quarantines it. A valid snapshot's tickets are
/// added to `claims`.
fn check_visit(
    conn: &dyn Db,
    m: &Mutation,
    checked: &mut Checked,
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
    if checked.foreign.contains(&visit.id.to_string()) {
        return Ok(Err(
            "identifiant de visite déjà pris dans une autre mairie".into()
        ));
    }
    check_snapshot(conn, visit, checked)
}

/// The démarches a visit names that the catalogue does not have.
pub(super) fn unknown_demarches(
    conn: &dyn Db,
    visit: &Visit,
    checked: &mut Checked,
) -> Result<Vec<String>> {
    let mut unknown = Vec::new();
    if let Some(Qualification::Demarches { ids }) = &visit.qualification {
        for id in ids {
            if !checked.knows(conn, "demarche", id.as_str())? {
                unknown.push(id.to_string());
            }
        }
    }
    Ok(unknown)
}

/// Checks a parsed snapshot: its démarches, its service and its tickets.
pub(super) fn check_snapshot(
    conn: &dyn Db,
    visit: Visit,
    checked: &mut Checked,
) -> Result<Result<Visit, String>> {
    if let Some(id) = unknown_demarches(conn, &visit, checked)?.first() {
        return Ok(Err(format!("démarche « {id} » inconnue du catalogue")));
    }
    if let Some(service) = visit
        .orientation
        .as_ref()
        .and_then(|o| o.destination.service())
        && !checked.knows(conn, "service", service.as_str())?
    {
        return Ok(Err(format!("service « {service} » inconnu du catalogue")));
    }
    let visit_id = visit.id.to_string();
    let mut mine = Vec::new();
    for ticket in visit.ticket().into_iter().chain(&visit.replaced_tickets) {
        let key = (ticket.day.to_string(), ticket.code.to_string());
        let holder = match checked.claims.get(&key) {
            Some(h) => Some(h.clone()),
            None => conn.ticket_holder(&key.0, &key.1)?,
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
        checked.claims.insert(key, visit_id.clone());
    }
    Ok(Ok(visit))
}

/// Applies a checked visit snapshot: its tickets and the visit row. Within a
/// request only the newest valid snapshot of each visit is written.
pub(super) fn write_visit(
    conn: &dyn Db,
    device_id: &str,
    visit: &Visit,
    snapshot: &str,
    offset: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Vec<super::queue::Ring>> {
    let received_at = now.to_rfc3339();
    let visit_id = visit.id.to_string();
    for ticket in visit.ticket().into_iter().chain(&visit.replaced_tickets) {
        conn.ticket_record(
            &ticket.day.to_string(),
            ticket.code.as_str(),
            &visit_id,
            ticket.service.as_str(),
            &ticket.issued_at.to_rfc3339(),
        )?;
    }
    let written = conn.visit_upsert(&db::VisitRow {
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
    })?;
    if written {
        conn.fact_put(&visit_id, &VisitFact::of(visit))?;
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
        let tx = self.begin(device.mairie)?;
        let epoch = super::parse_epoch(
            &tx.mairie_get()?
                .ok_or_else(|| StoreError::refused(ErrorCode::Unauthenticated, "mairie inconnue"))?
                .epoch,
        )?;
        let state = tx
            .device_get(&device.id)?
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
        let mut checked = Checked::default();
        let mut newest: HashMap<VisitId, (Visit, &Mutation)> = HashMap::new();
        // What the inbox holds of this request, and which of its visits
        // another mairie holds, in three statements whatever its size.
        let last = request.mutations.last().map_or(first, |m| m.seq);
        let mut stored: HashMap<u64, db::StoredReceipt> = tx
            .inbox_between(&install, first, last)?
            .into_iter()
            .collect();
        let fresh: Vec<&Mutation> = request
            .mutations
            .iter()
            .filter(|m| !stored.contains_key(&m.seq))
            .collect();
        let ids = |id: fn(&Mutation) -> Uuid| -> Vec<String> {
            let unique: HashSet<String> = fresh.iter().map(|m| id(m).to_string()).collect();
            unique.into_iter().collect()
        };
        let mut known: HashSet<String> = tx
            .inbox_known(&ids(|m| m.mutation_id))?
            .into_iter()
            .collect();
        checked.foreign = tx
            .visits_of_other_mairies(&ids(|m| m.entity_id))?
            .into_iter()
            .collect();
        let mut accepted = Vec::new();
        for m in &request.mutations {
            let hash = sha256_hex(&serde_json::to_vec(m).unwrap_or_default());
            if let Some(stored) = stored.remove(&m.seq) {
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
            // Known already, or earlier in this request.
            if !known.insert(m.mutation_id.to_string()) {
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
                match check_visit(&*tx, m, &mut checked)? {
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
            counts.0 += 1;
            counts.1 += u64::from(status == "quarantined");
            counts.2 += u64::from(status == "deferred");
            last_seq = last_seq.max(m.seq);
            receipts.push(receipt(m.seq, m.mutation_id, status, reason.clone()));
            let texts = [
                m.mutation_id.to_string(),
                m.entity_id.to_string(),
                m.device_time.to_rfc3339(),
            ];
            accepted.push((m, hash, status, reason, texts));
        }
        let rows: Vec<db::InboxRow<'_>> = accepted
            .iter()
            .map(
                |(m, hash, status, reason, [id, entity, time])| db::InboxRow {
                    install_id: &install,
                    seq: m.seq,
                    mutation_id: id,
                    payload_hash: hash,
                    kind: m.kind.as_str(),
                    entity_id: entity,
                    payload_version: m.payload_version,
                    device_time: time,
                    received_at: &received_at,
                    clock_offset_ms: request.clock_offset_ms,
                    payload: (*status != "stored").then(|| m.payload.get()),
                    status,
                    reason: reason.as_deref(),
                },
            )
            .collect();
        tx.inbox_insert(&rows)?;
        let mut rings = Vec::new();
        for (visit, m) in newest.values() {
            rings.extend(write_visit(
                &*tx,
                &device.id,
                visit,
                m.payload.get(),
                request.clock_offset_ms,
                now,
            )?);
        }
        tx.device_after_push(
            &device.id,
            last_seq,
            counts,
            request.clock_offset_ms,
            &received_at,
        )?;
        let rings = tx.commit_ringing(rings)?;
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
