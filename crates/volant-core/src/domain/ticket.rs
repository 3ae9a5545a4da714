//! Queue tickets and their codes.
//!
//! A code is unique per mairie and day with no coordination between tablets:
//! service letter + tablet letter + the tablet's own counter for that service
//! and day, e.g. `EA07` (« E A zéro sept »), short enough to read aloud.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{ServiceId, TabletLetter};

/// A ticket code such as `EA07`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(type = "string"))]
pub struct TicketCode(String);

impl TicketCode {
    /// Builds the code from its three parts. `number` starts at 1 each day.
    pub fn new(service_letter: char, tablet: TabletLetter, number: u32) -> Self {
        Self(format!("{service_letter}{tablet}{number:02}"))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TicketCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A queue ticket issued at orient for an internal counter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Ticket {
    /// The code shown to the visitor and called at the counter.
    pub code: TicketCode,
    /// The counter.
    pub service: ServiceId,
    /// The mairie day it is valid for.
    pub day: NaiveDate,
    /// The tablet's counter for this service and day.
    pub number: u32,
    /// When it was issued (tablet clock).
    pub issued_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_short_and_padded() {
        let t = TabletLetter::try_from('A').expect("valid");
        assert_eq!(TicketCode::new('E', t, 7).as_str(), "EA07");
        assert_eq!(TicketCode::new('E', t, 123).as_str(), "EA123");
    }
}
