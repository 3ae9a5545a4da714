//! The ticket's life after the tablet: a service's queue as a counter desk
//! sees it, what a counter does to a ticket, the calls a waiting-room display
//! shows, and the ticket states a tablet reads back.

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where a ticket stands.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketState {
    /// In its service's queue.
    Waiting,
    /// Called by a counter; the visitor is walking there.
    Called,
    /// « Usager présent »: the visitor is at the counter.
    Present,
    /// Served, with an outcome.
    Served,
    /// Called, and the visitor did not come.
    NoShow,
    /// Replaced by another ticket of the same visit (the greeter went back and oriented again).
    Cancelled,
}

impl TicketState {
    /// Name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            TicketState::Waiting => "waiting",
            TicketState::Called => "called",
            TicketState::Present => "present",
            TicketState::Served => "served",
            TicketState::NoShow => "no_show",
            TicketState::Cancelled => "cancelled",
        }
    }

    /// The state a stored name stands for.
    pub fn parse(text: &str) -> Option<TicketState> {
        [
            TicketState::Waiting,
            TicketState::Called,
            TicketState::Present,
            TicketState::Served,
            TicketState::NoShow,
            TicketState::Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// How a service at the counter ended.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ServiceOutcome {
    /// « Traité ».
    Done,
    /// « À revenir avec des pièces ».
    ComeBack,
    /// « Réorienté ».
    Redirected,
}

impl ServiceOutcome {
    /// Name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceOutcome::Done => "done",
            ServiceOutcome::ComeBack => "come_back",
            ServiceOutcome::Redirected => "redirected",
        }
    }

    /// The outcome a stored name stands for.
    pub fn parse(text: &str) -> Option<ServiceOutcome> {
        [
            ServiceOutcome::Done,
            ServiceOutcome::ComeBack,
            ServiceOutcome::Redirected,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// What a counter does.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum CounterAction {
    /// « Appeler le suivant »: the first waiting ticket by issue time.
    CallNext,
    /// Call one waiting ticket out of turn.
    Call {
        /// Its code.
        code: String,
    },
    /// « Rappeler » the current ticket (at least 30 s after the last call).
    Recall,
    /// « Usager présent ».
    Arrived,
    /// « Terminé », with how it ended.
    Served {
        /// The outcome.
        outcome: ServiceOutcome,
    },
    /// « Absent ».
    NoShow,
    /// « Transférer » the current ticket to another service's queue, keeping its place.
    Transfer {
        /// The service whose queue it joins.
        service: String,
    },
    /// Puts an absent ticket back in the queue, at its place.
    Reactivate {
        /// Its code.
        code: String,
    },
    /// « Prendre en charge ce ticket »: a code typed at the counter, called
    /// there at once — known to the server or not yet (its tablet still offline).
    Adopt {
        /// The code as shown on the visitor's screen.
        code: String,
    },
}

/// `POST /v1/counter/actions`.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CounterActionRequest {
    /// Chosen by the counter once per action: a retry with the same id and
    /// content replays the first answer, with other content is refused.
    pub event_id: Uuid,
    /// The counter's clock when the agent acted.
    pub device_time: DateTime<Utc>,
    /// What the agent did.
    pub action: CounterAction,
}

/// A démarche the greeter chose, with what to bring.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QualifiedDemarche {
    /// Catalogue id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Documents to bring, in French (the counter agent's wording).
    pub documents: Vec<String>,
}

/// What the greeter already qualified, so the visitor need not tell it again.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Qualified {
    /// The démarches chosen.
    pub demarches: Vec<QualifiedDemarche>,
    /// The visitor's words when no démarche fitted.
    pub unmet: Option<String>,
    /// The visitor's language (BCP 47), when not French.
    pub language: Option<String>,
    /// The visitor's profile, as the greeter noted it.
    pub profile: Option<String>,
    /// Whether the greeter walked the visitor to the counter (once known).
    pub accompanied: Option<bool>,
    /// The greeter's factual note, where the setting allows one.
    pub note: Option<String>,
    /// The greeter's initials.
    pub agent: Option<String>,
}

/// One ticket of a queue.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QueueTicket {
    /// The code called.
    pub code: String,
    /// The service whose queue it is in.
    pub service: String,
    /// Where it stands.
    pub state: TicketState,
    /// When it was issued (the tablet's clock corrected by its measured
    /// offset); for a ticket adopted before its tablet synced, the adoption.
    pub issued_at: DateTime<Utc>,
    /// Adopted at a counter before the server had it from its tablet.
    pub adopted: bool,
    /// Its tablet's snapshot has reached the server.
    pub known: bool,
    /// Times called (recalls included).
    pub calls: u32,
    /// The counter that called it.
    pub counter: Option<String>,
    /// When it was last called.
    pub last_call_at: Option<DateTime<Utc>>,
    /// How it ended, once served.
    pub outcome: Option<ServiceOutcome>,
    /// What the greeter qualified, once its tablet synced.
    pub qualified: Option<Qualified>,
}

/// A service a ticket may be transferred to.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ServiceChoice {
    /// Catalogue id.
    pub id: String,
    /// Name.
    pub name: String,
}

/// `GET /v1/counter/queue`: the counter's service today.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CounterView {
    /// The counter's label, e.g. « Guichet 3 — État civil ».
    pub counter: String,
    /// Its service.
    pub service: ServiceChoice,
    /// The mairie day.
    pub day: NaiveDate,
    /// The waiting tickets, first to call first.
    pub waiting: Vec<QueueTicket>,
    /// The ticket this counter called and has not finished.
    pub current: Option<QueueTicket>,
    /// Today's absent tickets of the service, to reactivate.
    pub absent: Vec<QueueTicket>,
    /// The other services' counters, for a transfer.
    pub transfer_to: Vec<ServiceChoice>,
    /// Seconds between two calls of one ticket.
    pub min_recall_interval_s: u32,
    /// The last event of the day (the live updates' event id).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub last_event: u64,
    /// The server's clock.
    pub server_time: DateTime<Utc>,
}

/// What a counter action did.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CounterActionResult {
    /// The event recorded (the live updates' event id).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub event: u64,
    /// The ticket as the action left it.
    pub ticket: QueueTicket,
    /// A retry of an action already recorded: nothing was done again.
    pub replayed: bool,
}

/// One call, as a waiting-room display shows it: codes and counters only.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Call {
    /// The call's event id: a display announces each at most once.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub event: u64,
    /// The ticket code.
    pub code: String,
    /// The counter to go to.
    pub counter: String,
    /// Which call of the ticket this is (1, then recalls).
    pub call: u32,
    /// When the counter called.
    pub at: DateTime<Utc>,
}

/// `GET /v1/display/calls`: the latest calls for the display's room.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DisplayView {
    /// The room, e.g. « Salle d'attente du rez-de-chaussée ».
    pub room: String,
    /// The latest calls and recalls of today, newest first (12 at most).
    pub calls: Vec<Call>,
    /// The last event of the day.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub last_event: u64,
    /// The server's clock.
    pub server_time: DateTime<Utc>,
}

/// One ticket of a tablet's, as the counters left it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TicketStatus {
    /// The code.
    pub code: String,
    /// Where it stands.
    pub state: TicketState,
    /// The counter that called it.
    pub counter: Option<String>,
}

/// `GET /v1/tickets?day=…`: the tickets a tablet issued that day.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TicketStatuses {
    /// The mairie day.
    pub day: NaiveDate,
    /// Its tickets, by code.
    pub tickets: Vec<TicketStatus>,
}

/// An expected wait, in whole minutes: optimistic to pessimistic.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct WaitMinutes {
    /// The earliest.
    pub optimistic: u32,
    /// The latest.
    pub pessimistic: u32,
}

/// The wait at one internal counter's service, for a ticket issued now.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ServiceWait {
    /// The service's catalogue id.
    pub service: String,
    /// Tickets waiting in its queue.
    pub waiting: u32,
    /// Its counters open now (heard from within the last minute).
    pub open_counters: u32,
    /// Tickets it served today, whose times the range comes from.
    pub served_today: u32,
    /// The expected wait; absent: « inconnu » (no counter open, or too few
    /// tickets served today).
    pub range: Option<WaitMinutes>,
    /// The range's pessimistic end passes the counter's closing time.
    pub past_closing: bool,
}

/// `GET /v1/waits`: the wait at every internal counter's service, now.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct WaitBoard {
    /// One per active internal counter service of the catalogue.
    pub services: Vec<ServiceWait>,
    /// When the server computed it.
    pub computed_at: DateTime<Utc>,
}
