//! Pushing the tablet's outbox into the server's inbox.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use uuid::Uuid;

/// What kind of entity a mutation carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// A visit snapshot, with its ticket if one was issued.
    Visit,
}

impl EntityKind {
    /// Name as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Visit => "visit",
        }
    }
}

/// One change made on a tablet: the full snapshot of the entity after the change.
///
/// `(install_id, seq)` is contiguous per install and never reused;
/// `mutation_id` is unique across all tablets. The payload travels as raw
/// JSON: neither side re-encodes what it only stores and forwards.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mutation {
    /// Identity of the tablet's database file (a new one for every new file).
    pub install_id: Uuid,
    /// Position in the install's outbox, from 1, without gaps.
    pub seq: u64,
    /// Unique id of this change.
    pub mutation_id: Uuid,
    /// Entity kind.
    pub kind: EntityKind,
    /// Entity id.
    pub entity_id: Uuid,
    /// Version of `payload`'s shape.
    pub payload_version: u32,
    /// Tablet clock when the change was made.
    pub device_time: DateTime<Utc>,
    /// The snapshot.
    #[schemars(with = "serde_json::Value")]
    pub payload: Box<RawValue>,
}

/// `POST /v1/push`: a batch of consecutive mutations of one install.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    /// The install pushing (must be the credential's).
    pub install_id: Uuid,
    /// The server epoch the tablet last saw, if any.
    #[serde(default)]
    pub epoch: Option<Uuid>,
    /// Set after an epoch change: the server may start this install at the
    /// batch's first seq if it knows nothing of it.
    #[serde(default)]
    pub rebase: bool,
    /// The tablet's last measured clock offset (server − tablet), in ms.
    #[serde(default)]
    pub clock_offset_ms: Option<i64>,
    /// Consecutive mutations, oldest first.
    pub mutations: Vec<Mutation>,
}

/// What became of one mutation on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum MutationStatus {
    /// Stored and applied.
    Stored,
    /// Stored but permanently invalid: kept aside for the team lead.
    Quarantined {
        /// Why, in French.
        reason: String,
    },
    /// Stored; its payload version is newer than the server: applied after upgrade.
    Deferred,
}

/// The server's receipt for one mutation. A duplicate gets its original receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MutationReceipt {
    /// The mutation's seq.
    pub seq: u64,
    /// The mutation's id.
    pub mutation_id: Uuid,
    /// What became of it.
    #[serde(flatten)]
    pub status: MutationStatus,
}

/// The answer to a push.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PushResponse {
    /// The server's epoch.
    pub epoch: Uuid,
    /// Every seq up to this one is safely stored on the server.
    pub acked_through: u64,
    /// One receipt per mutation of the request.
    pub receipts: Vec<MutationReceipt>,
    /// Mutations of the request the server already had.
    pub duplicates: u32,
    /// The server's clock when it answered.
    pub server_time: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mutation_round_trips_and_refuses_unknown_fields() {
        let m = Mutation {
            install_id: Uuid::nil(),
            seq: 1,
            mutation_id: Uuid::nil(),
            kind: EntityKind::Visit,
            entity_id: Uuid::nil(),
            payload_version: crate::VISIT_PAYLOAD_VERSION,
            device_time: DateTime::UNIX_EPOCH,
            payload: RawValue::from_string(r#"{"step": "listen"}"#.into()).expect("json"),
        };
        let text = serde_json::to_string(&m).expect("serialises");
        let back: Mutation = serde_json::from_str(&text).expect("parses");
        assert_eq!(
            back.payload.get(),
            r#"{"step": "listen"}"#,
            "the payload is kept byte for byte"
        );
        assert_eq!(serde_json::to_string(&back).expect("serialises"), text);
        let mut value: serde_json::Value = serde_json::from_str(&text).expect("parses");
        value["extra"] = serde_json::json!(1);
        assert!(serde_json::from_value::<Mutation>(value).is_err());
    }

    #[test]
    fn receipts_are_flat() {
        let r = MutationReceipt {
            seq: 3,
            mutation_id: Uuid::nil(),
            status: MutationStatus::Quarantined { reason: "x".into() },
        };
        let v = serde_json::to_value(&r).expect("serialises");
        assert_eq!(v["status"], "quarantined");
        assert_eq!(v["reason"], "x");
    }
}
