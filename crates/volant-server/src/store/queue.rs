//! The queues of the counters: tickets entering from their tablets' visits or
//! adopted at a counter by their code, the counters' actions recorded as
//! events (idempotent by event id), the displays' calls, and the states a
//! tablet reads back. The rules are the domain's (`volant_core::domain::queue`);
//! this module loads, applies and stores them, one transaction per request.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use volant_core::domain::queue::{MIN_RECALL_INTERVAL_S, corrected_issue_time};
use volant_core::domain::wait::{self, OPEN_COUNTER_SILENCE_S};
use volant_core::domain::{
    CounterRef, CounterStep, Qualification, QueueError, QueuedTicket, Service, ServiceId,
    ServiceKind, TicketCode, Visit, mairie_day,
};
use volant_core::sqlite::stored_time;
use volant_protocol::{
    ApiError, Call, CounterAction, CounterActionRequest, CounterActionResult, CounterView,
    DisplayView, ErrorCode, Qualified, QualifiedDemarche, QueueTicket, ServiceChoice,
    ServiceOutcome, TicketState, TicketStatus, TicketStatuses, WaitBoard,
};

use super::{AuthenticatedDevice, MairieId, Result, ServerStore, StoreError, db, sha256_hex};
use db::Db;

/// Calls a display is sent: the latest is shown very large, and the five
/// tickets called before it below (a recalled ticket once), so a few more.
const DISPLAY_CALLS: u32 = 12;

/// A doorbell ring: something changed in a service's queue (event `seq`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ring {
    /// The event.
    pub seq: u64,
    /// The mairie of the queue.
    pub mairie: MairieId,
    /// The queue it changed.
    pub service: String,
}

fn refused(code: ErrorCode, message: impl Into<String>) -> StoreError {
    StoreError::refused(code, message)
}

/// A value of the request refused, naming the field at fault.
fn field_refusal(field: &str, message: String) -> StoreError {
    StoreError::from(ApiError {
        field: Some(field.into()),
        ..ApiError::new(ErrorCode::InvalidField, message)
    })
}

fn queue_refusal(e: QueueError) -> StoreError {
    match e {
        QueueError::Taken { .. } => refused(ErrorCode::TicketTaken, e.to_string()),
        QueueError::NotHere(_) => refused(ErrorCode::NoCurrentTicket, e.to_string()),
        QueueError::TooSoon { retry_after_s } => StoreError::from(ApiError {
            retry_after_s: Some(retry_after_s),
            ..ApiError::new(ErrorCode::TooSoon, e.to_string())
        }),
        QueueError::WrongState { .. }
        | QueueError::SameService
        | QueueError::OtherService { .. } => refused(ErrorCode::InvalidField, e.to_string()),
    }
}

fn time(text: &Option<String>) -> Option<DateTime<Utc>> {
    text.as_deref().map(stored_time)
}

fn text(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(|t| t.to_rfc3339())
}

fn corrupt(what: &str) -> StoreError {
    refused(
        ErrorCode::Unavailable,
        format!("file d'attente illisible : {what}"),
    )
}

/// A stored ticket as the domain knows it.
pub(super) fn domain_ticket(row: &db::QueueRow) -> Result<QueuedTicket> {
    Ok(QueuedTicket {
        code: TicketCode::parse(&row.code).ok_or_else(|| corrupt(&row.code))?,
        service: ServiceId::try_from(row.service_id.clone())
            .map_err(|_| corrupt(&row.service_id))?,
        issued_at: stored_time(&row.issued_at),
        state: TicketState::parse(&row.state).ok_or_else(|| corrupt(&row.state))?,
        counter: row.counter_id.clone().map(|device| CounterRef {
            device,
            label: row.counter_label.clone().unwrap_or_default(),
        }),
        calls: row.calls,
        called_at: time(&row.called_at),
        last_call_at: time(&row.last_call_at),
        arrived_at: time(&row.arrived_at),
        served_at: time(&row.served_at),
        outcome: row.outcome.as_deref().and_then(ServiceOutcome::parse),
        quoted_max_min: row.quoted_max_min,
    })
}

/// The domain's ticket as stored, on `day`, with its visit once known and
/// when a counter adopted it.
fn stored(
    t: &QueuedTicket,
    day: &str,
    visit_id: Option<String>,
    adopted_at: Option<String>,
) -> db::QueueRow {
    db::QueueRow {
        day: day.to_owned(),
        code: t.code.to_string(),
        service_id: t.service.to_string(),
        issued_at: t.issued_at.to_rfc3339(),
        visit_id,
        adopted_at,
        state: t.state.as_str().to_owned(),
        counter_id: t.counter.as_ref().map(|c| c.device.clone()),
        counter_label: t.counter.as_ref().map(|c| c.label.clone()),
        calls: t.calls,
        called_at: text(t.called_at),
        last_call_at: text(t.last_call_at),
        arrived_at: text(t.arrived_at),
        served_at: text(t.served_at),
        outcome: t.outcome.map(|o| o.as_str().to_owned()),
        quoted_max_min: t.quoted_max_min,
    }
}

/// `row` with what the domain changed.
fn stored_ticket(t: &QueuedTicket, row: &db::QueueRow) -> db::QueueRow {
    stored(t, &row.day, row.visit_id.clone(), row.adopted_at.clone())
}

/// The kind of event an action records.
fn event_kind(step: &CounterStep, adopted: bool) -> &'static str {
    match step {
        CounterStep::Call if adopted => "adopted",
        CounterStep::Call => "called",
        CounterStep::Recall => "recalled",
        CounterStep::Arrived => "arrived",
        CounterStep::Served(_) => "served",
        CounterStep::NoShow => "no_show",
        CounterStep::Transfer(_) => "transferred",
        CounterStep::Reactivate => "reactivated",
    }
}

/// An active counter of the catalogue: its name and ticket letter.
fn counter_service(conn: &dyn Db, id: &str) -> Result<Option<(String, char)>> {
    let Some(json) = conn.catalogue_record("service", id)? else {
        return Ok(None);
    };
    let service: Service = serde_json::from_str(&json).map_err(|_| corrupt(id))?;
    Ok(match service.kind {
        ServiceKind::Counter { ticket_letter, .. } if service.active => {
            Some((service.name, ticket_letter))
        }
        _ => None,
    })
}

/// What the greeter qualified, from the visit's latest snapshot.
fn qualified(conn: &dyn Db, visit_id: &str) -> Result<Option<Qualified>> {
    let Some(snapshot) = conn.visit_snapshot(visit_id)? else {
        return Ok(None);
    };
    let Ok(visit) = serde_json::from_str::<Visit>(&snapshot) else {
        return Ok(None);
    };
    let mut demarches = Vec::new();
    let mut unmet = None;
    match &visit.qualification {
        Some(Qualification::Demarches { ids }) => {
            for id in ids {
                let record = conn
                    .catalogue_record("demarche", id.as_str())?
                    .and_then(|j| serde_json::from_str::<volant_core::domain::Demarche>(&j).ok());
                demarches.push(match record {
                    Some(d) => QualifiedDemarche {
                        id: id.to_string(),
                        title: d.title,
                        documents: d.documents.iter().map(|i| i.french().to_owned()).collect(),
                    },
                    None => QualifiedDemarche {
                        id: id.to_string(),
                        title: id.to_string(),
                        documents: Vec::new(),
                    },
                });
            }
        }
        Some(Qualification::Unmet { description }) => unmet = Some(description.clone()),
        None => {}
    }
    let profile = visit
        .listening
        .profile
        .and_then(|p| serde_json::to_value(p).ok())
        .and_then(|v| v.as_str().map(str::to_owned));
    Ok(Some(Qualified {
        demarches,
        unmet,
        language: visit
            .listening
            .language
            .as_ref()
            .map(|l| l.as_str().to_owned()),
        profile,
        accompanied: visit.accompaniment.map(|a| a.accompanied),
        note: visit.listening.note.clone(),
        agent: visit.agent.as_ref().map(|a| a.as_str().to_owned()),
    }))
}

/// A stored ticket on the wire, with what the greeter qualified when asked.
fn wire_ticket(conn: &dyn Db, row: &db::QueueRow, with_qualification: bool) -> Result<QueueTicket> {
    let t = domain_ticket(row)?;
    let qualified = match (&row.visit_id, with_qualification) {
        (Some(visit), true) => qualified(conn, visit)?,
        _ => None,
    };
    Ok(QueueTicket {
        code: row.code.clone(),
        service: row.service_id.clone(),
        state: t.state,
        issued_at: t.issued_at,
        adopted: row.adopted_at.is_some(),
        known: row.visit_id.is_some(),
        calls: t.calls,
        counter: row.counter_label.clone(),
        last_call_at: t.last_call_at,
        outcome: t.outcome,
        qualified,
    })
}

/// Records an event and says which queue it rang.
fn record(conn: &dyn Db, e: &db::EventRow<'_>) -> Result<Ring> {
    let seq = conn.event_insert(e)?;
    Ok(Ring {
        seq,
        mairie: conn.mairie()?,
        service: e.service_id.to_owned(),
    })
}

/// Puts a visit's tickets in their queues as its snapshot is applied: a new
/// code enters waiting at its corrected issue time; a code a counter adopted
/// first is joined (one ticket, never two) and takes its real issue time; a
/// ticket the visit replaced leaves the queue if nobody called it yet.
pub(super) fn enqueue(
    conn: &dyn Db,
    visit: &Visit,
    device_id: &str,
    offset_ms: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Vec<Ring>> {
    let mut rings = Vec::new();
    let visit_id = visit.id.to_string();
    let server_time = now.to_rfc3339();
    if let Some(ticket) = visit.ticket() {
        let day = ticket.day.to_string();
        let issued_at = corrected_issue_time(ticket.issued_at, offset_ms);
        let quoted_max_min = ticket.quoted_wait.map(|w| w.pessimistic);
        let row = match conn.queue_get(&day, ticket.code.as_str())? {
            Some(row) if row.visit_id.is_some() => return Ok(rings),
            // Adopted at a counter before its tablet synced: it keeps its state there.
            Some(row) => db::QueueRow {
                visit_id: Some(visit_id.clone()),
                issued_at: issued_at.to_rfc3339(),
                quoted_max_min,
                ..row
            },
            None => stored(
                &QueuedTicket {
                    quoted_max_min,
                    ..QueuedTicket::waiting(ticket.code.clone(), ticket.service.clone(), issued_at)
                },
                &day,
                Some(visit_id.clone()),
                None,
            ),
        };
        conn.queue_put(&row)?;
        rings.push(record(
            conn,
            &db::EventRow {
                event_id: &format!("issued/{day}/{}", ticket.code),
                request_hash: "",
                day: &day,
                code: ticket.code.as_str(),
                kind: "issued",
                service_id: &row.service_id,
                device_id,
                counter_label: None,
                calls: row.calls,
                detail: None,
                device_time: &ticket.issued_at.to_rfc3339(),
                server_time: &server_time,
            },
        )?);
    }
    for ticket in &visit.replaced_tickets {
        let day = ticket.day.to_string();
        let Some(row) = conn.queue_get(&day, ticket.code.as_str())? else {
            continue;
        };
        if row.state != TicketState::Waiting.as_str() {
            continue;
        }
        conn.queue_put(&db::QueueRow {
            state: TicketState::Cancelled.as_str().to_owned(),
            ..row.clone()
        })?;
        rings.push(record(
            conn,
            &db::EventRow {
                event_id: &format!("cancelled/{day}/{}", ticket.code),
                request_hash: "",
                day: &day,
                code: ticket.code.as_str(),
                kind: "cancelled",
                service_id: &row.service_id,
                device_id,
                counter_label: None,
                calls: row.calls,
                detail: None,
                device_time: &server_time,
                server_time: &server_time,
            },
        )?);
    }
    Ok(rings)
}

impl ServerStore {
    /// The name and ticket letter of an active counter of a mairie's catalogue.
    pub fn counter_service_name(
        &self,
        mairie: MairieId,
        id: &str,
    ) -> Result<Option<(String, char)>> {
        counter_service(&*self.conn(mairie)?, id)
    }

    fn counter_post(device: &AuthenticatedDevice) -> Result<(String, CounterRef)> {
        let service = device
            .post
            .service
            .clone()
            .ok_or_else(|| refused(ErrorCode::Forbidden, "réservé aux guichets"))?;
        Ok((
            service,
            CounterRef {
                device: device.id.clone(),
                label: device.post.label.clone().unwrap_or_default(),
            },
        ))
    }

    /// The counter's service today: who waits, its ticket in hand with what
    /// the greeter qualified, the absent tickets, and where it may transfer.
    pub fn counter_view(
        &self,
        device: &AuthenticatedDevice,
        now: DateTime<Utc>,
    ) -> Result<CounterView> {
        let (service, counter) = Self::counter_post(device)?;
        // A desk that asks for its queue, or acts, is open (see `wait_board`).
        let db = self.conn(device.mairie)?;
        db.device_touch(&device.id, &now.to_rfc3339())?;
        let day = mairie_day(now);
        let d = day.to_string();
        let (name, _) = counter_service(&*db, &service)?.ok_or_else(|| {
            refused(
                ErrorCode::Forbidden,
                "le service de ce guichet n'est plus au catalogue",
            )
        })?;
        let list = |state: TicketState, qualified: bool| -> Result<Vec<QueueTicket>> {
            db.queue_in_state(&d, &service, state.as_str())?
                .iter()
                .map(|r| wire_ticket(&*db, r, qualified))
                .collect()
        };
        let current = db
            .queue_in_hand(&d, &counter.device)?
            .map(|r| wire_ticket(&*db, &r, true))
            .transpose()?;
        let transfer_to = db
            .catalogue_records("service")?
            .into_iter()
            .filter(|(id, _)| *id != service)
            .filter_map(|(id, json)| {
                let s: Service = serde_json::from_str(&json).ok()?;
                (s.active && matches!(s.kind, ServiceKind::Counter { .. }))
                    .then_some(ServiceChoice { id, name: s.name })
            })
            .collect();
        Ok(CounterView {
            counter: counter.label,
            service: ServiceChoice {
                id: service.clone(),
                name,
            },
            day,
            waiting: list(TicketState::Waiting, true)?,
            current,
            absent: list(TicketState::NoShow, false)?,
            transfer_to,
            min_recall_interval_s: MIN_RECALL_INTERVAL_S as u32,
            last_event: db.event_last()?,
            server_time: now,
        })
    }

    /// Applies a counter's action in one transaction, then rings the
    /// doorbell. A retried event id with the same content replays the first
    /// answer; with other content it is refused.
    pub fn counter_act(
        &mut self,
        device: &AuthenticatedDevice,
        request: &CounterActionRequest,
        now: DateTime<Utc>,
    ) -> Result<CounterActionResult> {
        let (service, counter) = Self::counter_post(device)?;
        self.touch(device, now)?;
        let hash = sha256_hex(&serde_json::to_vec(&request.action).unwrap_or_default());
        let event_id = request.event_id.to_string();
        let tx = self.begin(device.mairie)?;
        if let Some(db::RecordedEvent {
            seq,
            request_hash,
            day,
            code,
            device_id,
        }) = tx.event_by_id(&event_id)?
        {
            if request_hash != hash || device_id != device.id {
                return Err(refused(
                    ErrorCode::EventConflict,
                    "identifiant d'événement déjà utilisé pour une autre action",
                ));
            }
            let row = tx.queue_get(&day, &code)?.ok_or_else(|| corrupt(&code))?;
            let ticket = wire_ticket(&*tx, &row, true)?;
            return Ok(CounterActionResult {
                event: seq,
                ticket,
                replayed: true,
            });
        }
        let day = mairie_day(now).to_string();
        let typed = |code: &str| {
            TicketCode::parse(code).ok_or_else(|| {
                field_refusal(
                    "action.code",
                    format!("« {code} » n'est pas un code de ticket (par exemple EA07)"),
                )
            })
        };
        let in_hand = || -> Result<db::QueueRow> {
            tx.queue_in_hand(&day, &counter.device)?.ok_or_else(|| {
                refused(
                    ErrorCode::NoCurrentTicket,
                    "aucun ticket en cours à ce guichet",
                )
            })
        };
        let refuse_if_busy = || -> Result<()> {
            match tx.queue_in_hand(&day, &counter.device)? {
                Some(current) => Err(refused(
                    ErrorCode::NoCurrentTicket,
                    format!("terminer d'abord le ticket {} en cours", current.code),
                )),
                None => Ok(()),
            }
        };
        let in_this_queue = |code: &TicketCode| -> Result<Option<db::QueueRow>> {
            match tx.queue_get(&day, code.as_str())? {
                Some(r) if r.service_id != service => Err(refused(
                    ErrorCode::InvalidField,
                    format!("le ticket {code} attend dans la file d'un autre service"),
                )),
                found => Ok(found),
            }
        };
        let known_here = |code: &TicketCode| -> Result<db::QueueRow> {
            in_this_queue(code)?.ok_or_else(|| {
                refused(
                    ErrorCode::NotFound,
                    format!("ticket {code} absent de cette file aujourd'hui"),
                )
            })
        };
        let mut adopted = false;
        let (row, step) = match &request.action {
            CounterAction::CallNext => {
                refuse_if_busy()?;
                let first = tx
                    .queue_in_state(&day, &service, TicketState::Waiting.as_str())?
                    .into_iter()
                    .next()
                    .ok_or_else(|| {
                        refused(ErrorCode::QueueEmpty, "personne n'attend à ce guichet")
                    })?;
                (first, CounterStep::Call)
            }
            CounterAction::Call { code } => {
                refuse_if_busy()?;
                (known_here(&typed(code)?)?, CounterStep::Call)
            }
            CounterAction::Adopt { code } => {
                refuse_if_busy()?;
                let code = typed(code)?;
                let row = match in_this_queue(&code)? {
                    Some(row) => row,
                    None => {
                        let (name, letter) = counter_service(&*tx, &service)?.ok_or_else(|| {
                            refused(
                                ErrorCode::Forbidden,
                                "le service de ce guichet n'est plus au catalogue",
                            )
                        })?;
                        let id = ServiceId::try_from(service.clone())
                            .map_err(|e| refused(ErrorCode::InvalidField, e.0))?;
                        let ticket = QueuedTicket::adopted(code.clone(), id, letter, now).map_err(|_| {
                            field_refusal(
                                "action.code",
                                format!("le ticket {code} n'est pas pour « {name} » (ses tickets commencent par {letter})"),
                            )
                        })?;
                        adopted = true;
                        stored(&ticket, &day, None, Some(now.to_rfc3339()))
                    }
                };
                (row, CounterStep::Call)
            }
            CounterAction::Recall => (in_hand()?, CounterStep::Recall),
            CounterAction::Arrived => (in_hand()?, CounterStep::Arrived),
            CounterAction::Served { outcome } => (in_hand()?, CounterStep::Served(*outcome)),
            CounterAction::NoShow => (in_hand()?, CounterStep::NoShow),
            CounterAction::Transfer { service: to } => {
                if counter_service(&*tx, to)?.is_none() {
                    return Err(field_refusal(
                        "action.service",
                        format!("« {to} » n'est pas un guichet de la mairie"),
                    ));
                }
                let to = ServiceId::try_from(to.clone())
                    .map_err(|e| refused(ErrorCode::InvalidField, e.0))?;
                (in_hand()?, CounterStep::Transfer(to))
            }
            CounterAction::Reactivate { code } => {
                (known_here(&typed(code)?)?, CounterStep::Reactivate)
            }
        };
        let next = domain_ticket(&row)?
            .apply(&step, &counter, now)
            .map_err(queue_refusal)?;
        let stored = stored_ticket(&next, &row);
        tx.queue_put(&stored)?;
        let detail = match &request.action {
            CounterAction::Served { outcome } => Some(outcome.as_str()),
            _ => None,
        };
        let ring = record(
            &*tx,
            &db::EventRow {
                event_id: &event_id,
                request_hash: &hash,
                day: &day,
                code: &stored.code,
                kind: event_kind(&step, adopted),
                service_id: &stored.service_id,
                device_id: &device.id,
                counter_label: Some(&counter.label),
                calls: stored.calls,
                detail,
                device_time: &request.device_time.to_rfc3339(),
                server_time: &now.to_rfc3339(),
            },
        )?;
        let ticket = wire_ticket(&*tx, &stored, true)?;
        // A transfer changes two queues: the one it left rings too.
        let seq = ring.seq;
        let rings = std::iter::once(ring)
            .chain((row.service_id != stored.service_id).then(|| Ring {
                seq,
                mairie: device.mairie,
                service: row.service_id.clone(),
            }))
            .collect();
        let rings = tx.commit_ringing(rings)?;
        self.ring(rings);
        Ok(CounterActionResult {
            event: seq,
            ticket,
            replayed: false,
        })
    }

    /// The latest calls of the display's services today: codes and counters only.
    pub fn display_view(
        &self,
        device: &AuthenticatedDevice,
        now: DateTime<Utc>,
    ) -> Result<DisplayView> {
        let day = mairie_day(now).to_string();
        let db = self.conn(device.mairie)?;
        let calls = db
            .calls_latest(&day, &device.post.services, DISPLAY_CALLS)?
            .into_iter()
            .map(|c| Call {
                event: c.seq,
                code: c.code,
                counter: c.counter_label,
                call: c.calls,
                at: stored_time(&c.server_time),
            })
            .collect();
        Ok(DisplayView {
            room: device.post.label.clone().unwrap_or_default(),
            calls,
            last_event: db.event_last()?,
            server_time: now,
        })
    }

    /// The wait at every active internal counter's service for a ticket
    /// issued `now`: its queue, its open counters (heard from within
    /// [`OPEN_COUNTER_SILENCE_S`]) and the times of today's served tickets.
    pub fn wait_board(&self, mairie: MairieId, now: DateTime<Utc>) -> Result<WaitBoard> {
        let day = mairie_day(now).to_string();
        let since = (now - Duration::seconds(OPEN_COUNTER_SILENCE_S)).to_rfc3339();
        let db = self.conn(mairie)?;
        let open: HashMap<String, u32> = db.open_counters(&since)?.into_iter().collect();
        let tickets = db
            .queue_between(&day, &day)?
            .iter()
            .map(domain_ticket)
            .collect::<Result<Vec<_>>>()?;
        let services = db
            .catalogue_records("service")?
            .into_iter()
            .filter_map(|(id, json)| {
                let service: Service = serde_json::from_str(&json).ok()?;
                match service.kind {
                    ServiceKind::Counter { hours, .. } if service.active => Some((id, hours)),
                    _ => None,
                }
            })
            .map(|(id, hours)| {
                let mine: Vec<&QueuedTicket> = tickets
                    .iter()
                    .filter(|t| t.service.as_str() == id)
                    .collect();
                let open_counters = open.get(&id).copied().unwrap_or(0);
                wait::service_wait(&id, &hours, &mine, open_counters, now)
            })
            .collect();
        Ok(WaitBoard {
            services,
            computed_at: now,
        })
    }

    /// The newest event's id of a mairie (0 when none yet).
    pub fn last_event(&self, mairie: MairieId) -> Result<u64> {
        Ok(self.conn(mairie)?.event_last()?)
    }

    /// The states of the tickets a tablet's visits issued on `day`.
    pub fn ticket_statuses(
        &self,
        device: &AuthenticatedDevice,
        day: NaiveDate,
    ) -> Result<TicketStatuses> {
        let tickets = self
            .conn(device.mairie)?
            .queue_of_device(&day.to_string(), &device.id)?
            .into_iter()
            .map(|r| {
                Ok(TicketStatus {
                    state: TicketState::parse(&r.state).ok_or_else(|| corrupt(&r.state))?,
                    code: r.code,
                    counter: r.counter_label,
                })
            })
            .collect::<Result<_>>()?;
        Ok(TicketStatuses { day, tickets })
    }
}
