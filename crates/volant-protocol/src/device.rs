//! Enrolment of a device and what the server says about itself.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a device may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    /// A greeter's tablet.
    Agent,
    /// The team lead's device.
    Lead,
    /// A counter desk: calls and serves one service's tickets.
    Counter,
    /// A waiting-room call display: reads the calls of its services, nothing else.
    Display,
    /// The city's device: reads indicators across mairies (aggregates only), nothing else.
    City,
}

impl DeviceKind {
    /// Name as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceKind::Agent => "agent",
            DeviceKind::Lead => "lead",
            DeviceKind::Counter => "counter",
            DeviceKind::Display => "display",
            DeviceKind::City => "city",
        }
    }

    /// The kind a stored name stands for.
    pub fn parse(text: &str) -> Option<DeviceKind> {
        [
            DeviceKind::Agent,
            DeviceKind::Lead,
            DeviceKind::Counter,
            DeviceKind::Display,
            DeviceKind::City,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }

    /// A tablet (a greeter's or the lead's): records visits and issues tickets.
    pub fn is_tablet(self) -> bool {
        matches!(self, DeviceKind::Agent | DeviceKind::Lead)
    }
}

/// `POST /v1/enroll`: trade a one-time code for a device credential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrollRequest {
    /// The one-time code printed by `volant-server device enroll-code`.
    pub code: String,
    /// The tablet database's install id.
    pub install_id: Uuid,
    /// Re-enrolment (after the server's certificate changed): the credential
    /// this install holds. The device keeps its id, letter and seq; only its
    /// credential is new.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_token: Option<String>,
}

/// The device's identity and credential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EnrollResponse {
    /// Device id.
    pub device_id: Uuid,
    /// Device name, as given with the code.
    pub name: String,
    /// Bearer token for every other endpoint. Shown once.
    pub token: String,
    /// What the device may do.
    pub kind: DeviceKind,
    /// The tablet letter the server reserved for it (part of its ticket
    /// codes); none for a counter or a display.
    pub tablet_letter: Option<char>,
    /// The server's epoch.
    pub epoch: Uuid,
}

/// `POST /v1/screen/enroll`: a counter's or a display's browser trades a
/// one-time code for a credential kept in an `HttpOnly` cookie, which its
/// scripts never see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ScreenEnrollRequest {
    /// The one-time code printed by `volant-server device enroll-code --kind counter|display`.
    pub code: String,
    /// The certificate fingerprint of the invitation (64 hex digits); a
    /// server with another certificate refuses (`certificate_changed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

/// What a screen's browser learns of its enrolment (the credential is in the cookie).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScreenEnrolled {
    /// `counter` or `display`.
    pub kind: DeviceKind,
    /// The device's name.
    pub name: String,
}

/// Payload versions the server understands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PayloadVersions {
    /// Visit snapshots.
    pub visit: u32,
}

/// Per-request limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Limits {
    /// Most mutations in one push.
    pub max_batch_items: u32,
    /// Largest request body, in bytes.
    pub max_body_bytes: u64,
    /// Most catalogue changes in one page.
    pub max_page_items: u32,
}

/// `GET /v1/info`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ServerInfo {
    /// The server's build version.
    pub server_version: String,
    /// Protocol version spoken.
    pub protocol_version: u32,
    /// Oldest protocol version accepted.
    pub min_protocol_version: u32,
    /// Payload versions understood.
    pub payload_versions: PayloadVersions,
    /// Limits.
    pub limits: Limits,
    /// The server's epoch: changes when its database is recreated or restored.
    pub epoch: Uuid,
    /// Latest catalogue version.
    pub catalogue_version: u64,
    /// The server's clock.
    pub server_time: DateTime<Utc>,
}
