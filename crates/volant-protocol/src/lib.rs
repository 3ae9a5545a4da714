//! Wire types shared by the tablet and the mairie server.
//!
//! Architecture invariant: this crate is the only definition of what crosses
//! the network. Every request carries [`PROTOCOL_VERSION`]; every mutation
//! carries the version of its payload, so a server can defer a payload it does
//! not know yet and a tablet can upcast its pending outbox rows, never drop them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Version of the sync protocol spoken by this build.
pub const PROTOCOL_VERSION: u32 = 1;

/// Version of the visit snapshot payload written by this build.
pub const VISIT_PAYLOAD_VERSION: u32 = 1;

/// What kind of entity a mutation carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
/// `mutation_id` is unique across all tablets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    pub payload: serde_json::Value,
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
            payload_version: VISIT_PAYLOAD_VERSION,
            device_time: DateTime::UNIX_EPOCH,
            payload: serde_json::json!({"step": "listen"}),
        };
        let text = serde_json::to_string(&m).expect("serialises");
        assert_eq!(serde_json::from_str::<Mutation>(&text).expect("parses"), m);
        let mut value: serde_json::Value = serde_json::from_str(&text).expect("parses");
        value["extra"] = serde_json::json!(1);
        assert!(serde_json::from_value::<Mutation>(value).is_err());
    }
}
