//! The mairie's calendar day: Paris local time decides which day a visit or a
//! ticket belongs to, whatever the UTC offset.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Paris;

/// The mairie's local date at instant `now`.
pub fn mairie_day(now: DateTime<Utc>) -> NaiveDate {
    paris_time(now).date_naive()
}

/// The mairie's local time at instant `now`.
pub fn paris_time(now: DateTime<Utc>) -> DateTime<chrono_tz::Tz> {
    now.with_timezone(&Paris)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_late_evening_in_utc_is_already_tomorrow_in_paris() {
        let now = "2026-06-30T22:30:00Z"
            .parse::<DateTime<Utc>>()
            .expect("valid");
        assert_eq!(mairie_day(now).to_string(), "2026-07-01");
    }
}
