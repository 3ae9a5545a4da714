//! The domain: démarches, services, visits, tickets. Pure data and rules.
//!
//! Architecture invariant: nothing under `domain` does I/O or reads the clock;
//! every function that needs the time takes `now` as an argument.

pub mod catalogue;
pub mod day;
pub mod document;
pub mod ids;
pub mod life_event;
pub mod queue;
pub mod ticket;
pub mod visit;
pub mod wait;
pub mod workflow;

pub use catalogue::{
    Appointment, Catalogue, CatalogueMeta, Demarche, FieldProblem, ForeignWords, HourMinute,
    OfficialSheet, OnlineLink, Service, ServiceKind, Translations, Weekday, WeeklySlot, next_slot,
};
pub use day::mairie_day;
pub use document::{DocumentItem, DocumentKind, VISITOR_LANGUAGES, Wording};
pub use ids::{AgentInitials, DemarcheId, IdError, Language, ServiceId, TabletLetter, VisitId};
pub use life_event::LifeEvent;
pub use queue::{CounterRef, CounterStep, QueueError, QueuedTicket};
pub use ticket::{Ticket, TicketCode};
pub use visit::{
    Accompaniment, Destination, Listening, Opinion, Orientation, Qualification, Satisfaction, Step,
    StepDurations, StepSpan, Visit, VisitorProfile,
};
pub use workflow::{Action, VisitEvent, WorkflowError, transition};
