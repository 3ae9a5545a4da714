//! Wire types shared by the tablet and the mairie server.
//!
//! Architecture invariant: this crate is the only definition of what crosses
//! the network. Every request carries [`PROTOCOL_HEADER`]; every mutation
//! carries the version of its payload, so a server can defer a payload it does
//! not know yet and a tablet can upcast its pending outbox rows, never drop them.
//! `schema/protocol.schema.json` is generated from these types (a test keeps it
//! up to date) and `schema/sync-protocol.md` explains them.

mod catalogue;
mod device;
mod error;
mod invitation;
mod lead;
mod push;
mod queue;

pub use catalogue::{CatalogueChange, CatalogueChanges, RecordKind};
pub use device::{
    DeviceKind, EnrollRequest, EnrollResponse, Limits, PayloadVersions, ScreenEnrollRequest,
    ScreenEnrolled, ServerInfo,
};
pub use error::{ApiError, ErrorCode};
pub use invitation::{Fingerprint, Invitation, InvitationError, origin};
pub use lead::{
    CatalogueEdit, CatalogueEdited, CityIndicators, Count, DemarcheReplacement, Indicators,
    JournalEntry, JournalPage, JournalQuery, MairieIndicators, Period, QuarantineRepair,
    QuarantinedRecord, QueueTime, RepairRequest, SatisfactionFigures, SignOff, SignOffRequest,
    StepTime, TabletCount, UnmetGroup,
};
pub use push::{EntityKind, Mutation, MutationReceipt, MutationStatus, PushRequest, PushResponse};
pub use queue::{
    Call, CounterAction, CounterActionRequest, CounterActionResult, CounterView, DisplayView,
    Qualified, QualifiedDemarche, QueueTicket, ServiceChoice, ServiceOutcome, ServiceWait,
    TicketState, TicketStatus, TicketStatuses, WaitBoard, WaitMinutes,
};

/// Version of the sync protocol spoken by this build.
pub const PROTOCOL_VERSION: u32 = 1;

/// The oldest protocol version the server still accepts.
pub const MIN_PROTOCOL_VERSION: u32 = 1;

/// Header carrying the protocol version on every request.
pub const PROTOCOL_HEADER: &str = "volant-protocol";

/// Newest version of the visit snapshot payload: 3 carries the wait quoted
/// with its ticket, 2 the visitor's opinion. A snapshot is written with the
/// oldest version that holds what it carries, so an older server applies it.
pub const VISIT_PAYLOAD_VERSION: u32 = 3;

/// The visit snapshot payload with the visitor's opinion, before quoted waits.
pub const VISIT_PAYLOAD_VERSION_2: u32 = 2;

/// The visit snapshot payload before the visitor's opinion.
pub const VISIT_PAYLOAD_VERSION_1: u32 = 1;

/// A tablet clock further than this from the server's is flagged as suspicious.
pub const SUSPICIOUS_CLOCK_OFFSET_MS: i64 = 5 * 60 * 1000;

/// Every request and response body of the protocol, for the generated JSON Schema.
#[derive(schemars::JsonSchema)]
#[allow(dead_code, missing_docs)]
pub struct Protocol {
    pub enroll_request: EnrollRequest,
    pub enroll_response: EnrollResponse,
    pub server_info: ServerInfo,
    pub push_request: PushRequest,
    pub push_response: PushResponse,
    pub catalogue_changes: CatalogueChanges,
    pub error: ApiError,
    pub journal_page: JournalPage,
    pub indicators: Indicators,
    pub city_indicators: CityIndicators,
    pub signoff_request: SignOffRequest,
    pub catalogue_edit: CatalogueEdit,
    pub catalogue_edited: CatalogueEdited,
    pub counter_view: CounterView,
    pub counter_action_request: CounterActionRequest,
    pub counter_action_result: CounterActionResult,
    pub display_view: DisplayView,
    pub ticket_statuses: TicketStatuses,
    pub screen_enroll_request: ScreenEnrollRequest,
    pub screen_enrolled: ScreenEnrolled,
    pub repair_request: RepairRequest,
    pub wait_board: WaitBoard,
}

/// The JSON Schema of every protocol body, pretty-printed.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Protocol);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    /// `schema/protocol.schema.json` is generated from these types; run with
    /// `UPDATE_SCHEMA=1` to rewrite it after changing them.
    #[test]
    fn the_published_json_schema_is_up_to_date() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../schema/protocol.schema.json"
        );
        let generated = super::json_schema();
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::write(path, &generated).expect("write schema");
        }
        let published = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            published == generated,
            "schema/protocol.schema.json is stale: run UPDATE_SCHEMA=1 cargo test -p volant-protocol"
        );
    }
}
