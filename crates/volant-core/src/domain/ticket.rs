//! Queue tickets and their codes.
//!
//! A code is unique per mairie and day with no coordination between tablets:
//! service letter + tablet letter + the tablet's own counter for that service
//! and day, e.g. `EA07` (« E A zéro sept »), short enough to read aloud.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use volant_protocol::WaitMinutes;

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

    /// A code as an agent types it (« ea 7 », « EA07 »): a service letter, a
    /// tablet letter and a number of 1 to 3 digits; `None` if it is not one.
    pub fn parse(typed: &str) -> Option<TicketCode> {
        let text: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect::<String>()
            .to_ascii_uppercase();
        let mut chars = text.chars();
        let service = chars.next().filter(char::is_ascii_uppercase)?;
        let tablet = TabletLetter::try_from(chars.next()?).ok()?;
        let digits = chars.as_str();
        if digits.is_empty() || digits.len() > 3 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        Some(TicketCode::new(service, tablet, digits.parse().ok()?))
    }

    /// The service letter the code starts with.
    pub fn service_letter(&self) -> char {
        self.0.chars().next().unwrap_or('?')
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
    /// The expected wait the orient step showed when it was issued, when the
    /// tablet had a figure for its counter (visit payload version 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub quoted_wait: Option<WaitMinutes>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_codes_are_read_as_the_agent_means_them() {
        assert_eq!(
            TicketCode::parse("ea 7").map(|c| c.to_string()),
            Some("EA07".into())
        );
        assert_eq!(
            TicketCode::parse(" EA07 ").map(|c| c.to_string()),
            Some("EA07".into())
        );
        assert_eq!(
            TicketCode::parse("EB123").map(|c| c.to_string()),
            Some("EB123".into())
        );
        for bad in ["", "E", "EA", "E7", "EA1234", "EAx1", "7A01", "É A01"] {
            assert_eq!(TicketCode::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn codes_are_short_and_padded() {
        let t = TabletLetter::try_from('A').expect("valid");
        assert_eq!(TicketCode::new('E', t, 7).as_str(), "EA07");
        assert_eq!(TicketCode::new('E', t, 123).as_str(), "EA123");
    }
}
