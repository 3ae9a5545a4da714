//! The wait at an internal counter, said honestly: a range from the day's
//! measured service times (as ZMS does: one slot is the mean time a counter
//! spends on a ticket divided by the open counters; the pessimistic end is
//! the newcomer's place times a slot, the optimistic end 80 % of it), or
//! unknown when no counter is open or too few tickets were served today.
//! No I/O, no clock: `now` is passed in.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use volant_protocol::{ServiceWait, TicketState, WaitMinutes};

use super::QueuedTicket;
use super::day::{mairie_day, paris_time};

/// Tickets served today before a service's times are trusted.
pub const MIN_SERVED: usize = 3;

/// The optimistic end, as a share of the pessimistic one.
const OPTIMISTIC_SHARE: f64 = 0.8;

/// A counter that spoke to the server this recently is open (its desk polls
/// every 15 s).
pub const OPEN_COUNTER_SILENCE_S: i64 = 60;

/// Minutes a wait figure is said for after it was fetched: then the queue has
/// moved on, and the orient step says nothing rather than something stale.
pub const SAID_FOR_MIN: i64 = 60;

/// Whether a figure fetched at `fetched_at` may still be said at `now`: within
/// [`SAID_FOR_MIN`], and of the same mairie day.
pub fn still_said(fetched_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - fetched_at <= Duration::minutes(SAID_FOR_MIN) && mairie_day(fetched_at) == mairie_day(now)
}

/// The wait of a ticket issued now behind `waiting` others, with
/// `open_counters` counters serving, from the seconds today's served tickets
/// held their counter ([`QueuedTicket::counter_s`]). `None`: unknown.
///
/// [`QueuedTicket::counter_s`]: super::QueuedTicket::counter_s
pub fn estimate(waiting: u32, open_counters: u32, service_times: &[i64]) -> Option<WaitMinutes> {
    if open_counters == 0 || service_times.len() < MIN_SERVED {
        return None;
    }
    let total: i64 = service_times.iter().map(|s| (*s).max(0)).sum();
    let slot = total as f64 / service_times.len() as f64 / f64::from(open_counters);
    let pessimistic = f64::from(waiting + 1) * slot / 60.0;
    Some(WaitMinutes {
        optimistic: (pessimistic * OPTIMISTIC_SHARE).floor() as u32,
        // Never « 0 min »: the walk to the counter alone takes one.
        pessimistic: (pessimistic.ceil() as u32).max(1),
    })
}

/// What a counter's service says of the wait at `now`: its `tickets` of the
/// day (its queue, and the times of those served), its `open_counters`, and
/// its `hours` as written for visitors (for the closing-time warning).
pub fn service_wait(
    service: &str,
    hours: &str,
    tickets: &[&QueuedTicket],
    open_counters: u32,
    now: DateTime<Utc>,
) -> ServiceWait {
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let waiting = count(
        tickets
            .iter()
            .filter(|t| t.state == TicketState::Waiting)
            .count(),
    );
    let times: Vec<i64> = tickets
        .iter()
        .filter(|t| t.state == TicketState::Served)
        .filter_map(|t| t.counter_s())
        .collect();
    let range = estimate(waiting, open_counters, &times);
    ServiceWait {
        service: service.to_owned(),
        waiting,
        open_counters,
        served_today: count(times.len()),
        range,
        past_closing: range
            .zip(closing_time(hours))
            .is_some_and(|(r, closes)| ends_after_closing(r, closes, now)),
    }
}

/// The usual closing time a counter's hours, as written for visitors, say:
/// the latest time in the first part (up to a comma) that gives one —
/// « Lundi à vendredi 8h30-17h, jeudi jusqu'à 19h30 » closes at 17h, so a
/// late opening said after it only makes the warning come early.
pub fn closing_time(hours: &str) -> Option<NaiveTime> {
    hours.split(',').find_map(latest_time)
}

/// The latest `8h`, `16h30` written in `text`.
fn latest_time(text: &str) -> Option<NaiveTime> {
    let chars: Vec<char> = text.chars().collect();
    let digits = |range: &mut dyn Iterator<Item = usize>| -> String {
        range
            .map_while(|j| chars.get(j).filter(|c| c.is_ascii_digit()))
            .collect()
    };
    (0..chars.len())
        .filter(|&i| chars[i] == 'h' && i > 0 && chars[i - 1].is_ascii_digit())
        .filter_map(|i| {
            let hour: String = digits(&mut (0..i).rev()).chars().rev().collect();
            let minute = digits(&mut (i + 1..i + 3));
            NaiveTime::from_hms_opt(hour.parse().ok()?, minute.parse().unwrap_or(0), 0)
        })
        .max()
}

/// Whether a ticket issued at `now` may still be waiting when the counter
/// closes: the range's pessimistic end passes its closing time (Paris time).
pub fn ends_after_closing(range: WaitMinutes, closes: NaiveTime, now: DateTime<Utc>) -> bool {
    let end = paris_time(now + Duration::minutes(i64::from(range.pessimistic)));
    end.date_naive() > paris_time(now).date_naive() || end.time() > closes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minutes(list: &[i64]) -> Vec<i64> {
        list.iter().map(|m| m * 60).collect()
    }

    #[test]
    fn a_range_from_the_mean_service_time_and_the_open_counters() {
        // Mean 10 min, 2 counters: a slot is 5 min; 5 waiting, the newcomer is 6th.
        let r = estimate(5, 2, &minutes(&[8, 10, 12])).expect("known");
        assert_eq!(
            r,
            WaitMinutes {
                optimistic: 24,
                pessimistic: 30
            }
        );
        // Nobody waiting: one slot.
        let r = estimate(0, 1, &minutes(&[7, 7, 8])).expect("known");
        assert_eq!(
            r,
            WaitMinutes {
                optimistic: 5,
                pessimistic: 8
            }
        );
    }

    #[test]
    fn unknown_without_an_open_counter_or_enough_served_tickets() {
        assert_eq!(estimate(3, 0, &minutes(&[5, 5, 5])), None);
        assert_eq!(estimate(3, 2, &minutes(&[5, 5])), None);
    }

    #[test]
    fn at_least_a_minute_however_fast_the_counters() {
        let r = estimate(0, 2, &[0, 0, 0]).expect("known");
        assert_eq!(
            r,
            WaitMinutes {
                optimistic: 0,
                pessimistic: 1
            }
        );
    }

    #[test]
    fn the_closing_time_is_the_latest_time_of_the_first_part_of_the_hours() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(closing_time("Lundi à vendredi 8h30-17h"), t(17, 0));
        assert_eq!(
            closing_time("Lundi à vendredi 8h30-17h, jeudi jusqu'à 19h30, samedi 9h-12h30"),
            t(17, 0)
        );
        assert_eq!(
            closing_time("Lundi, mardi, jeudi 9h-12h et 13h30-16h30"),
            t(16, 30)
        );
        assert_eq!(closing_time("Sur rendez-vous"), None);
    }

    #[test]
    fn warned_when_the_pessimistic_end_passes_the_closing_time() {
        // 16:00 in Paris in December is 15:00 UTC.
        let now = DateTime::parse_from_rfc3339("2026-12-04T15:00:00Z")
            .expect("time")
            .with_timezone(&Utc);
        let closes = NaiveTime::from_hms_opt(16, 30, 0).expect("time");
        let range = |max| WaitMinutes {
            optimistic: 0,
            pessimistic: max,
        };
        assert!(!ends_after_closing(range(30), closes, now));
        assert!(ends_after_closing(range(31), closes, now));
    }
}
