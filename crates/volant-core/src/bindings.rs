//! TypeScript declarations of every type that crosses the app's IPC boundary,
//! generated from the Rust types (feature `ts`), so the UI never writes them
//! a second time, and the documents vocabulary's wordings. `ui/src/bindings.ts`
//! is this output; a test keeps it current.

use ts_rs::{Config, TS};

use crate::domain::AgentInitials;
use crate::domain::document::typescript_wordings;
use crate::domain::{
    Accompaniment, Appointment, Catalogue, CatalogueMeta, Demarche, DemarcheId, Destination,
    DocumentItem, DocumentKind, ForeignWords, HourMinute, Language, LifeEvent, Listening,
    OfficialSheet, OnlineLink, Opinion, Orientation, Qualification, Satisfaction, Service,
    ServiceId, ServiceKind, Step, StepDurations, StepSpan, TabletLetter, Ticket, TicketCode,
    Translations, Visit, VisitEvent, VisitId, VisitorProfile, Weekday, WeeklySlot,
};
use crate::error::ErrorBody;
use crate::lead::{Cached, EditOutcome, TeamJournal, TeamVisit};
use crate::printer::{PrinterAddress, Raster};
use crate::search::SearchHit;
use crate::store::{CounterWaits, DaySummary, ImportSummary, LogEntry, Settings, SyncStatus};
use volant_protocol::{
    Call, CatalogueEdit, Count, CounterAction, CounterActionRequest, CounterActionResult,
    CounterView, DemarcheReplacement, DeviceKind, DisplayView, Indicators, JournalQuery, Period,
    Qualified, QualifiedDemarche, QuarantineRepair, QuarantinedRecord, QueueTicket, QueueTime,
    RecordKind, SatisfactionFigures, ScreenEnrollRequest, ScreenEnrolled, ServiceChoice,
    ServiceOutcome, ServiceWait, SignOff, StepTime, TabletCount, TicketState, TicketStatus,
    UnmetGroup, WaitBoard, WaitMinutes,
};

fn decl<T: TS>(cfg: &Config) -> String {
    format!("export {}\n", T::decl(cfg))
}

/// The declarations, as one TypeScript module.
pub fn typescript() -> String {
    let cfg = Config::default();
    let mut out = String::from(
        "// Generated from the Rust types by volant_core::bindings (feature `ts`).\n\
         // Do not edit: run `UPDATE_BINDINGS=1 cargo test -p volant-tests --test e2e bindings`.\n\n",
    );
    for d in [
        decl::<DemarcheId>(&cfg),
        decl::<ServiceId>(&cfg),
        decl::<VisitId>(&cfg),
        decl::<TabletLetter>(&cfg),
        decl::<AgentInitials>(&cfg),
        decl::<Language>(&cfg),
        decl::<HourMinute>(&cfg),
        decl::<Weekday>(&cfg),
        decl::<WeeklySlot>(&cfg),
        decl::<OfficialSheet>(&cfg),
        decl::<OnlineLink>(&cfg),
        decl::<Appointment>(&cfg),
        decl::<ForeignWords>(&cfg),
        decl::<LifeEvent>(&cfg),
        decl::<Translations>(&cfg),
        decl::<DocumentKind>(&cfg),
        decl::<DocumentItem>(&cfg),
        typescript_wordings(),
        decl::<Demarche>(&cfg),
        decl::<ServiceKind>(&cfg),
        decl::<Service>(&cfg),
        decl::<CatalogueMeta>(&cfg),
        decl::<Catalogue>(&cfg),
        decl::<Step>(&cfg),
        decl::<StepSpan>(&cfg),
        decl::<VisitorProfile>(&cfg),
        decl::<Listening>(&cfg),
        decl::<Qualification>(&cfg),
        decl::<Destination>(&cfg),
        decl::<TicketCode>(&cfg),
        decl::<Ticket>(&cfg),
        decl::<Orientation>(&cfg),
        decl::<Accompaniment>(&cfg),
        decl::<Satisfaction>(&cfg),
        decl::<Opinion>(&cfg),
        decl::<Visit>(&cfg),
        decl::<StepDurations>(&cfg),
        decl::<VisitEvent<Destination>>(&cfg),
        "export type Action = VisitEvent<Destination>;\n".to_owned(),
        decl::<SearchHit>(&cfg),
        decl::<PrinterAddress>(&cfg),
        decl::<Settings>(&cfg),
        decl::<Raster>(&cfg),
        decl::<TicketStatus>(&cfg),
        decl::<LogEntry>(&cfg),
        decl::<DaySummary>(&cfg),
        decl::<WaitMinutes>(&cfg),
        decl::<ServiceWait>(&cfg),
        decl::<WaitBoard>(&cfg),
        decl::<CounterWaits>(&cfg),
        decl::<ImportSummary>(&cfg),
        decl::<SyncStatus>(&cfg),
        decl::<ErrorBody>(&cfg),
        decl::<serde_json::Value>(&cfg),
        decl::<Cached<()>>(&cfg),
        decl::<JournalQuery>(&cfg),
        decl::<QuarantinedRecord>(&cfg),
        decl::<QuarantineRepair>(&cfg),
        decl::<DemarcheReplacement>(&cfg),
        decl::<SignOff>(&cfg),
        decl::<TeamVisit>(&cfg),
        decl::<TeamJournal>(&cfg),
        decl::<Period>(&cfg),
        decl::<Count>(&cfg),
        decl::<StepTime>(&cfg),
        decl::<UnmetGroup>(&cfg),
        decl::<TabletCount>(&cfg),
        decl::<QueueTime>(&cfg),
        decl::<SatisfactionFigures>(&cfg),
        decl::<Indicators>(&cfg),
        decl::<RecordKind>(&cfg),
        decl::<CatalogueEdit>(&cfg),
        decl::<EditOutcome>(&cfg),
        decl::<TicketState>(&cfg),
        decl::<ServiceOutcome>(&cfg),
        decl::<CounterAction>(&cfg),
        decl::<CounterActionRequest>(&cfg),
        decl::<QualifiedDemarche>(&cfg),
        decl::<Qualified>(&cfg),
        decl::<QueueTicket>(&cfg),
        decl::<ServiceChoice>(&cfg),
        decl::<CounterView>(&cfg),
        decl::<CounterActionResult>(&cfg),
        decl::<Call>(&cfg),
        decl::<DisplayView>(&cfg),
        decl::<DeviceKind>(&cfg),
        decl::<ScreenEnrollRequest>(&cfg),
        decl::<ScreenEnrolled>(&cfg),
    ] {
        out.push_str(&d);
    }
    out
}
