//! The counters' figures of a period, per service: tickets, served, absent,
//! and the wait (issue to first call) and time at the counter, as median and
//! 90th percentile — from the tickets as the counters left them.

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
    }
}
