//! The tablet's local store: one SQLite file holding the catalogue, the
//! visits, their tickets and the sync outbox.
//!
//! Architecture invariant: every change to a visit (and so to its ticket) is
//! ONE `BEGIN IMMEDIATE … COMMIT` that writes the visit row AND one outbox row
//! carrying the visit's full snapshot with the next contiguous `seq`. There is
//! no domain change without its outbox row, and no outbox row without its change.
//!
//! The store owns the only writer connection; it never does network I/O.

mod db;
mod schema;
mod sync;

pub use sync::{AckSummary, Enrollment, RETENTION_DAYS, SyncState, SyncStatus};

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Paris;
use rusqlite::{Connection, TransactionBehavior};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::catalogue;
use crate::domain::wait;
use crate::domain::{
    Action, AgentInitials, Catalogue, Destination, IdError, Listening, Orientation, Qualification,
    ServiceKind, StepDurations, TabletLetter, Ticket, TicketCode, Visit, VisitEvent, VisitId,
    mairie_day, next_slot, transition,
};
use crate::error::{Error, Result};
use crate::search::{RERANKED, SearchHit, SearchIndex, bare_expression};
use crate::sqlite::stored_time;
use volant_protocol::{
    EntityKind, Mutation, TicketStatus, TicketStatuses, VISIT_PAYLOAD_VERSION,
    VISIT_PAYLOAD_VERSION_1, VISIT_PAYLOAD_VERSION_2, WaitBoard, WaitMinutes,
};

/// This tablet's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Settings {
    /// The tablet's letter, part of its ticket codes. Unique in the mairie.
    pub tablet: TabletLetter,
    /// Initials of the agent holding it.
    pub agent: Option<AgentInitials>,
    /// Whether the listen step offers a short note (off by default: RGPD).
    pub notes_enabled: bool,
    /// The hall's receipt printer, if the visitor's slip can be printed.
    #[serde(default)]
    pub printer: Option<crate::printer::PrinterAddress>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            tablet: TabletLetter::try_from('A').unwrap_or_else(|_| unreachable!("'A' is a letter")),
            agent: None,
            notes_enabled: false,
            printer: None,
        }
    }
}

/// A visit in the day's log, with what the log shows about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LogEntry {
    /// The visit.
    pub visit: Visit,
    /// Seconds per step.
    pub durations: StepDurations,
    /// Changes of this visit not yet acknowledged by the server.
    pub pending_changes: u32,
    /// What the counters did with its ticket, as the server said at the last sync.
    pub ticket_state: Option<TicketStatus>,
}

/// What the home screen shows of the day: counts, and the visits still open,
/// without the whole log (which only the journal loads).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DaySummary {
    /// Visits of the day on this tablet.
    pub visits: u32,
    /// Of which with a ticket.
    pub tickets: u32,
    /// Those neither closed nor abandoned, oldest first.
    pub open: Vec<Visit>,
}

/// The expected wait at each internal counter, as the server last said it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CounterWaits {
    /// When this tablet fetched it, by its own clock (the age shown).
    pub fetched_at: DateTime<Utc>,
    /// What the server said.
    pub board: WaitBoard,
}

impl CounterWaits {
    /// The range said for `service`, if one is.
    pub fn range_of(&self, service: &str) -> Option<WaitMinutes> {
        self.board
            .services
            .iter()
            .find(|w| w.service == service)
            .and_then(|w| w.range)
    }
}

/// What an import replaced the catalogue with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportSummary {
    /// Services imported.
    pub services: usize,
    /// Démarches imported.
    pub demarches: usize,
}

/// The tablet's store.
pub struct Store {
    conn: Connection,
    install_id: Uuid,
    search: SearchIndex,
}

/// A UUIDv7 for instant `now` (random bits from the OS).
fn new_id(now: DateTime<Utc>) -> Uuid {
    let millis = u64::try_from(now.timestamp_millis()).unwrap_or(0);
    uuid::Builder::from_unix_timestamp_millis(millis, &rand::random::<[u8; 10]>()).into_uuid()
}

/// The last wait board kept, while it may still be said at `now`: what the
/// orient step shows, and what a ticket issued then is quoted.
fn kept_waits(conn: &Connection, now: DateTime<Utc>) -> Result<Option<CounterWaits>> {
    Ok(db::counter_waits(conn)?
        .map(|(board, fetched_at)| CounterWaits {
            fetched_at: stored_time(&fetched_at),
            board,
        })
        .filter(|w| wait::still_said(w.fetched_at, now)))
}

/// The oldest visit payload version that holds what `visit` carries.
fn payload_version(visit: &Visit) -> u32 {
    if visit.ticket().is_some_and(|t| t.quoted_wait.is_some()) {
        VISIT_PAYLOAD_VERSION
    } else if visit.opinion.is_some() {
        VISIT_PAYLOAD_VERSION_2
    } else {
        VISIT_PAYLOAD_VERSION_1
    }
}

impl Store {
    /// Opens (or creates) the store at `path`, brings its schema up to date and,
    /// on first use, loads the shipped catalogue.
    pub fn open(path: &Path, now: DateTime<Utc>) -> Result<Store> {
        let mut conn = Connection::open(path)?;
        crate::sqlite::configure(&conn, std::time::Duration::from_secs(5))?;
        schema::upgrade(&mut conn)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let install_id = match db::meta_get(&tx, "install_id")? {
            Some(text) => Uuid::parse_str(&text).map_err(|e| IdError(e.to_string()))?,
            None => {
                let id = new_id(now);
                db::meta_set(&tx, "install_id", &id.to_string())?;
                id
            }
        };
        if db::service_count(&tx)? == 0 {
            db::replace_catalogue(&tx, &catalogue::shipped()?)?;
        }
        tx.commit()?;
        let search = Self::search_index(&conn)?;
        Ok(Store {
            conn,
            install_id,
            search,
        })
    }

    /// Identity of this database file, sent with every mutation.
    pub fn install_id(&self) -> Uuid {
        self.install_id
    }

    /// The tablet's settings.
    pub fn settings(&self) -> Result<Settings> {
        Ok(match db::meta_get(&self.conn, "settings")? {
            Some(text) => serde_json::from_str(&text)?,
            None => Settings::default(),
        })
    }

    /// Replaces the tablet's settings.
    pub fn set_settings(&mut self, settings: &Settings) -> Result<()> {
        db::meta_set(&self.conn, "settings", &serde_json::to_string(settings)?)
    }

    /// Starts a visit, in the listen step.
    pub fn open_visit(&mut self, now: DateTime<Utc>) -> Result<Visit> {
        let settings = self.settings()?;
        let visit = Visit::open(VisitId(new_id(now)), settings.tablet, settings.agent, now);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        Self::save(&tx, &visit, None, now)?;
        tx.commit()?;
        Ok(visit)
    }

    /// Applies the agent's action to a visit, durably, with its outbox row.
    pub fn record(&mut self, id: VisitId, action: Action, now: DateTime<Utc>) -> Result<Visit> {
        let settings = self.settings()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let visit = db::visit_get(&tx, id)?.ok_or_else(|| Error::NotFound {
            what: "visite",
            id: id.to_string(),
        })?;
        Self::check_references(&tx, &settings, &action)?;
        let event: VisitEvent =
            action.try_map_oriented(|d| Self::orientation(&tx, &settings, d, now))?;
        let issued = match &event {
            VisitEvent::Oriented(o) => o.ticket.clone(),
            _ => None,
        };
        let next = transition(&visit, event, now)?;
        Self::save(&tx, &next, issued.as_ref(), now)?;
        tx.commit()?;
        Ok(next)
    }

    fn save(
        tx: &Connection,
        visit: &Visit,
        issued: Option<&Ticket>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let snapshot = db::visit_put(tx, visit)?;
        if let Some(ticket) = issued {
            db::ticket_insert(tx, ticket, visit.id)?;
        }
        db::outbox_append(
            tx,
            new_id(now),
            EntityKind::Visit,
            visit.id.0,
            payload_version(visit),
            &snapshot,
            now,
        )?;
        Ok(())
    }

    /// Checks what the action names exists in the catalogue and the settings.
    fn check_references(tx: &Connection, settings: &Settings, action: &Action) -> Result<()> {
        let invalid = |message: String| Err(Error::Invalid(IdError(message)));
        match action {
            VisitEvent::Listened(Listening { note: Some(_), .. }) if !settings.notes_enabled => {
                invalid("la note est désactivée dans les réglages".into())
            }
            VisitEvent::Qualified(Qualification::Demarches { ids }) => {
                for id in ids {
                    if !db::demarche_is_active(tx, id.as_str())? {
                        return invalid(format!("démarche « {id} » inconnue ou archivée"));
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Turns a destination into an orientation: issues the ticket for a
    /// counter, proposes the next slot of a permanence when none was chosen.
    fn orientation(
        tx: &Connection,
        settings: &Settings,
        mut destination: Destination,
        now: DateTime<Utc>,
    ) -> Result<Orientation> {
        let Some(service_id) = destination.service() else {
            return Ok(Orientation {
                destination,
                ticket: None,
            });
        };
        let service = db::service_get(tx, service_id)?
            .filter(|s| s.active)
            .ok_or_else(|| Error::NotFound {
                what: "service",
                id: service_id.to_string(),
            })?;
        let ticket = match (&destination, &service.kind) {
            (Destination::Counter { .. }, ServiceKind::Counter { ticket_letter, .. }) => {
                let day = mairie_day(now);
                let number = db::ticket_next_number(tx, day, &service.id)?;
                let quoted_wait =
                    kept_waits(tx, now)?.and_then(|w| w.range_of(service.id.as_str()));
                Some(Ticket {
                    code: TicketCode::new(*ticket_letter, settings.tablet, number),
                    service: service.id.clone(),
                    day,
                    number,
                    issued_at: now,
                    quoted_wait,
                })
            }
            (Destination::Permanence { slot, .. }, ServiceKind::Permanence { slots, .. }) => {
                let proposed =
                    slot.or_else(|| next_slot(slots, now.with_timezone(&Paris).naive_local()));
                if let Destination::Permanence { slot, .. } = &mut destination {
                    *slot = proposed;
                }
                None
            }
            (Destination::Partner { .. }, ServiceKind::Partner { .. }) => None,
            _ => {
                return Err(Error::Invalid(IdError(format!(
                    "« {} » n'est pas un service du type choisi ({})",
                    service.name,
                    destination.kind()
                ))));
            }
        };
        Ok(Orientation {
            destination,
            ticket,
        })
    }

    /// One visit.
    pub fn visit(&self, id: VisitId) -> Result<Visit> {
        db::visit_get(&self.conn, id)?.ok_or_else(|| Error::NotFound {
            what: "visite",
            id: id.to_string(),
        })
    }

    /// The log of a mairie day: visits oldest first, with durations (open
    /// steps counted up to `now`) and sync state.
    pub fn day_log(&self, day: NaiveDate, now: DateTime<Utc>) -> Result<Vec<LogEntry>> {
        let states = db::ticket_states(&self.conn, day)?;
        Ok(db::visits_of_day(&self.conn, day)?
            .into_iter()
            .map(|(visit, pending_changes)| LogEntry {
                durations: visit.durations(now),
                ticket_state: visit
                    .ticket()
                    .and_then(|t| states.iter().find(|s| s.code == t.code.as_str()).cloned()),
                visit,
                pending_changes,
            })
            .collect())
    }

    /// The day's counts and open visits, for the home screen.
    pub fn day_summary(&self, day: NaiveDate) -> Result<DaySummary> {
        let visits = db::visits_of_day(&self.conn, day)?;
        let count = |f: &dyn Fn(&Visit) -> bool| {
            u32::try_from(visits.iter().filter(|(v, _)| f(v)).count()).unwrap_or(u32::MAX)
        };
        Ok(DaySummary {
            visits: count(&|_| true),
            tickets: count(&|v| v.ticket().is_some()),
            open: visits
                .iter()
                .filter(|(v, _)| !v.step.is_over())
                .map(|(v, _)| v.clone())
                .collect(),
        })
    }

    /// Keeps the server's wait board, fetched at `now`.
    pub fn set_counter_waits(&self, board: &WaitBoard, now: DateTime<Utc>) -> Result<()> {
        Ok(db::counter_waits_put(&self.conn, board, &now.to_rfc3339())?)
    }

    /// The last wait board kept, while it may still be said at `now`
    /// ([`wait::still_said`]).
    pub fn counter_waits(&self, now: DateTime<Utc>) -> Result<Option<CounterWaits>> {
        kept_waits(&self.conn, now)
    }

    /// Keeps what the server said of this tablet's tickets of a day.
    pub fn set_ticket_states(&self, states: &TicketStatuses) -> Result<()> {
        Ok(db::ticket_states_put(&self.conn, states)?)
    }

    /// Keeps what the server answered a lead's request about `day`.
    pub fn cache_lead_answer(
        &self,
        key: &str,
        day: NaiveDate,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        db::lead_cache_put(&self.conn, key, &day.to_string(), body, &now.to_rfc3339())
    }

    /// The last answer to a lead's request, and when it was fetched.
    pub fn cached_lead_answer(&self, key: &str) -> Result<Option<(String, DateTime<Utc>)>> {
        Ok(db::lead_cache_get(&self.conn, key)?
            .map(|(body, at)| (body, crate::sqlite::stored_time(&at))))
    }

    /// The whole catalogue.
    pub fn catalogue(&self) -> Result<Catalogue> {
        db::load_catalogue(&self.conn)
    }

    /// Replaces the catalogue with a file's, all or nothing.
    pub fn import_catalogue(&mut self, json: &str) -> Result<ImportSummary> {
        let catalogue = catalogue::parse(json)?;
        self.replace_catalogue(&catalogue)?;
        Ok(ImportSummary {
            services: catalogue.services.len(),
            demarches: catalogue.demarches.len(),
        })
    }

    /// Replaces the catalogue, in one transaction, and refreshes the search vocabulary.
    pub fn replace_catalogue(&mut self, catalogue: &Catalogue) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        db::replace_catalogue(&tx, catalogue)?;
        tx.commit()?;
        self.refresh_search()
    }

    /// Rebuilds the in-memory search index after the catalogue changed.
    fn refresh_search(&mut self) -> Result<()> {
        self.search = Self::search_index(&self.conn)?;
        Ok(())
    }

    fn search_index(conn: &Connection) -> Result<SearchIndex> {
        Ok(SearchIndex::new(
            db::index_terms(conn)?,
            db::search_entries(conn)?,
        ))
    }

    /// The catalogue as a JSON file.
    pub fn export_catalogue(&self) -> Result<String> {
        Ok(catalogue::to_json(&self.catalogue()?))
    }

    /// Démarches for a visitor's words, best first.
    pub fn search(&self, words: &str, limit: u32) -> Result<Vec<SearchHit>> {
        let Some(plan) = self.search.plan(words) else {
            return Ok(Vec::new());
        };
        let ranked = db::ranked_matches(&self.conn, &plan.expression, limit.max(RERANKED))?;
        Ok(self.search.results(&plan, &ranked, limit))
    }

    /// The bare FTS5 query for the same words (rowids and ranks only): the
    /// floor that benchmarks compare [`Store::search`] with.
    pub fn search_bare(&self, words: &str, limit: u32) -> Result<Vec<(i64, f64)>> {
        match bare_expression(words) {
            Some(expression) => db::ranked_matches(&self.conn, &expression, limit),
            None => Ok(Vec::new()),
        }
    }

    /// Number of changes waiting for the server.
    pub fn pending_count(&self) -> Result<u64> {
        db::outbox_pending_count(&self.conn)
    }

    /// The oldest changes waiting for the server, ready to send.
    pub fn pending_mutations(&self, limit: u32) -> Result<Vec<Mutation>> {
        db::outbox_pending(&self.conn, self.install_id, limit)
    }
}
