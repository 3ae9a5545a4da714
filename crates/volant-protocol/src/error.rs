//! The typed error every endpoint answers with: `{code, message, …}`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A stable, machine-readable error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body is not valid JSON, or not the expected shape (400).
    BadRequest,
    /// A field's value is refused (422).
    InvalidField,
    /// No credential, or an unknown one (401).
    Unauthenticated,
    /// The device was revoked (403).
    Revoked,
    /// The credential may not do this (403).
    Forbidden,
    /// The enrolment code is unknown, used or expired (400).
    InvalidCode,
    /// Nothing here (404).
    NotFound,
    /// The batch does not start where the server expects (409, `expected_seq`).
    Gap,
    /// A seq already stored with other content: an install id reused (409).
    SeqConflict,
    /// The server's epoch changed: re-push what was retained (409, `epoch`).
    EpochChanged,
    /// The request is too large (413, `max_body_bytes`).
    TooLarge,
    /// The tablet's protocol is too old (426).
    UpgradeRequired,
    /// The catalogue cursor is unusable: pull again from 0 (410).
    ResyncRequired,
    /// A catalogue edit was made from an old version of the record (409, `current`).
    VersionConflict,
    /// A transient server failure; nothing was changed (503, `retry_after_s`).
    Unavailable,
    /// Another counter called this ticket first (409).
    TicketTaken,
    /// Nobody is waiting in this queue (409).
    QueueEmpty,
    /// The counter has no ticket in hand, or another one (409).
    NoCurrentTicket,
    /// Not yet: a ticket is recalled 30 s after its last call at the soonest (429, `retry_after_s`).
    TooSoon,
    /// An event id already recorded with other content (409).
    EventConflict,
    /// The invitation names another certificate than the server's (409): a
    /// new invitation is needed.
    CertificateChanged,
}

/// An error answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ApiError {
    /// What went wrong, for programs.
    pub code: ErrorCode,
    /// What went wrong, in French, for people.
    pub message: String,
    /// For `gap`: the seq the server expects next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_seq: Option<u64>,
    /// For `epoch_changed` and `resync_required`: the server's epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epoch: Option<Uuid>,
    /// For `unavailable`: when to retry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_s: Option<u64>,
    /// For `too_large`: the limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_body_bytes: Option<u64>,
    /// For `invalid_field` and `bad_request`: the field at fault, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For `version_conflict`: the record as it is now on the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<Box<serde_json::Value>>,
}

impl ApiError {
    /// An error with only a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
            expected_seq: None,
            epoch: None,
            retry_after_s: None,
            max_body_bytes: None,
            field: None,
            current: None,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}
