//! The counters' figures of a period, per service: tickets, served, absent,
//! the wait (issue to first call) and time at the counter, as median and
//! 90th percentile, and how many called tickets came before the upper end of
//! the wait quoted with them — from the tickets as the counters left them.

use std::collections::{BTreeMap, HashMap};

use volant_protocol::{QueueTime, TicketState};

use super::indicators::quantile;
use crate::domain::QueuedTicket;

/// The figures of each service with tickets, by service name.
pub fn queue_times(tickets: &[QueuedTicket], names: &HashMap<String, String>) -> Vec<QueueTime> {
    let mut by_service: BTreeMap<String, Vec<&QueuedTicket>> = BTreeMap::new();
    for t in tickets.iter().filter(|t| t.state != TicketState::Cancelled) {
        let name = names
            .get(t.service.as_str())
            .cloned()
            .unwrap_or_else(|| t.service.to_string());
        by_service.entry(name).or_default().push(t);
    }
    by_service
        .into_iter()
        .map(|(service, list)| {
            let sorted = |f: fn(&QueuedTicket) -> Option<i64>| {
                let mut v: Vec<u32> = list
                    .iter()
                    .filter_map(|t| f(t))
                    .map(|s| u32::try_from(s).unwrap_or(u32::MAX))
                    .collect();
                v.sort_unstable();
                v
            };
            let waits = sorted(QueuedTicket::wait_s);
            let services = sorted(|t| {
                if t.state == TicketState::Served {
                    t.service_s()
                } else {
                    None
                }
            });
            let quoted: Vec<bool> = list
                .iter()
                .filter_map(|t| t.called_within_quote())
                .collect();
            let count = |state: TicketState| {
                u32::try_from(list.iter().filter(|t| t.state == state).count()).unwrap_or(u32::MAX)
            };
            QueueTime {
                service,
                tickets: u32::try_from(list.len()).unwrap_or(u32::MAX),
                served: count(TicketState::Served),
                no_shows: count(TicketState::NoShow),
                wait_median_s: quantile(&waits, 0.5),
                wait_p90_s: quantile(&waits, 0.9),
                service_median_s: quantile(&services, 0.5),
                service_p90_s: quantile(&services, 0.9),
                quoted: u32::try_from(quoted.len()).unwrap_or(u32::MAX),
                called_within_quote: u32::try_from(quoted.iter().filter(|w| **w).count())
                    .unwrap_or(u32::MAX),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};
    use volant_protocol::ServiceOutcome;

    use super::*;
    use crate::domain::{CounterRef, CounterStep, ServiceId, TicketCode};

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000 + s, 0).expect("time")
    }

    #[test]
    fn waits_and_services_are_measured_per_service_and_absences_counted() {
        let c = CounterRef {
            device: "c1".into(),
            label: "Guichet 1".into(),
        };
        let service = ServiceId::try_from("etat-civil".to_owned()).expect("id");
        let ticket = |n: u32, wait: i64, served_after: Option<i64>| {
            let code = TicketCode::parse(&format!("EA{n:02}")).expect("code");
            let t = QueuedTicket::waiting(code, service.clone(), at(0))
                .apply(&CounterStep::Call, &c, at(wait))
                .expect("call");
            match served_after {
                Some(s) => t
                    .apply(&CounterStep::Served(ServiceOutcome::Done), &c, at(wait + s))
                    .expect("served"),
                None => t
                    .apply(&CounterStep::NoShow, &c, at(wait + 60))
                    .expect("absent"),
            }
        };
        let tickets = [
            ticket(1, 60, Some(300)),
            ticket(2, 120, Some(600)),
            ticket(3, 900, None),
        ];
        let names = HashMap::from([("etat-civil".to_owned(), "État civil".to_owned())]);
        let q = queue_times(&tickets, &names);
        assert_eq!(q.len(), 1);
        let q = &q[0];
        assert_eq!(
            (q.service.as_str(), q.tickets, q.served, q.no_shows),
            ("État civil", 3, 2, 1)
        );
        assert_eq!((q.wait_median_s, q.wait_p90_s), (120, 900));
        assert_eq!((q.service_median_s, q.service_p90_s), (300, 600));
        assert_eq!((q.quoted, q.called_within_quote), (0, 0), "no quotes given");

        // Quoted 2 min: called after 1 min (within), after 2 min (within, at
        // the end itself) and after 15 min (not); a ticket without a quote and
        // one never called do not count.
        let quoted = |t: QueuedTicket, max: u32| QueuedTicket {
            quoted_max_min: Some(max),
            ..t
        };
        let never = QueuedTicket::waiting(
            TicketCode::parse("EA09").expect("code"),
            service.clone(),
            at(0),
        );
        let tickets = [
            quoted(ticket(1, 60, Some(300)), 2),
            quoted(ticket(2, 120, Some(600)), 2),
            quoted(ticket(3, 900, None), 2),
            ticket(4, 30, Some(60)),
            quoted(never, 2),
        ];
        let q = &queue_times(&tickets, &names)[0];
        assert_eq!((q.quoted, q.called_within_quote), (3, 2));
    }
}
