//! A ticket's life at the counters, as pure rules: which counter action is
//! allowed in which state, what it changes, the order of a queue and the
//! times derived from the events. The server stores; the rules live here.
//! No I/O, no clock: `now` is passed in.

use std::cmp::Ordering;

use chrono::{DateTime, Duration, Utc};
use volant_protocol::{ServiceOutcome, TicketState};

use super::ids::ServiceId;
use super::ticket::TicketCode;

/// Seconds between two calls of one ticket, so a counter cannot spam the room.
pub const MIN_RECALL_INTERVAL_S: i64 = 30;

/// A counter desk, as a ticket remembers who called it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterRef {
    /// The counter's device id.
    pub device: String,
    /// Its label, e.g. « Guichet 3 — État civil ».
    pub label: String,
}

/// One ticket of a queue, as the server keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct QueuedTicket {
    /// The code called.
    pub code: TicketCode,
    /// The service whose queue it is in (a transfer changes it).
    pub service: ServiceId,
    /// Its place in the queue: the issue time on the server's clock.
    pub issued_at: DateTime<Utc>,
    /// Where it stands.
    pub state: TicketState,
    /// The counter that called it last.
    pub counter: Option<CounterRef>,
    /// Times called, recalls included.
    pub calls: u32,
    /// The first call.
    pub called_at: Option<DateTime<Utc>>,
    /// The latest call.
    pub last_call_at: Option<DateTime<Utc>>,
    /// « Usager présent ».
    pub arrived_at: Option<DateTime<Utc>>,
    /// The end of its service.
    pub served_at: Option<DateTime<Utc>>,
    /// How its service ended.
    pub outcome: Option<ServiceOutcome>,
    /// The upper end, in minutes, of the wait quoted when it was issued.
    pub quoted_max_min: Option<u32>,
}

/// What a counter does to one ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CounterStep {
    /// Calls a waiting ticket.
    Call,
    /// Calls the counter's current ticket again.
    Recall,
    /// The visitor is at the counter.
    Arrived,
    /// The service ended.
    Served(ServiceOutcome),
    /// The visitor did not come.
    NoShow,
    /// Back to waiting, in another service's queue, at the same place.
    Transfer(ServiceId),
    /// An absent ticket back in its queue, at its place.
    Reactivate,
}

/// Why a counter action is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueueError {
    /// Another counter called it first.
    #[error("ticket {code} déjà appelé au {counter}")]
    Taken {
        /// The code.
        code: String,
        /// The counter that has it.
        counter: String,
    },
    /// Not this counter's ticket in hand.
    #[error("le ticket {0} n'est pas celui de ce guichet")]
    NotHere(String),
    /// Recalled too soon after its last call.
    #[error("rappel possible dans {retry_after_s} s (30 s entre deux appels)")]
    TooSoon {
        /// Seconds to wait.
        retry_after_s: u64,
    },
    /// The action does not fit the ticket's state.
    #[error("ticket {code} {state} : action impossible")]
    WrongState {
        /// The code.
        code: String,
        /// Its state, in words.
        state: &'static str,
    },
    /// A transfer to the queue it is already in.
    #[error("le ticket est déjà dans cette file")]
    SameService,
    /// A code adopted at a counter of another service than its letter names.
    #[error("le ticket {code} n'est pas pour ce guichet (ses tickets commencent par {letter})")]
    OtherService {
        /// The code.
        code: String,
        /// The service letter of the counter's tickets.
        letter: char,
    },
}

/// A state in the words a counter agent reads.
pub fn state_words(state: TicketState) -> &'static str {
    match state {
        TicketState::Waiting => "en attente",
        TicketState::Called => "appelé",
        TicketState::Present => "au guichet",
        TicketState::Served => "déjà servi",
        TicketState::NoShow => "absent",
        TicketState::Cancelled => "annulé",
    }
}

/// The issue time on the server's clock: the tablet's time plus its measured
/// offset (server clock − tablet clock), so the visitors of a tablet whose
/// clock is wrong, or that synced late, keep their places.
pub fn corrected_issue_time(tablet_time: DateTime<Utc>, offset_ms: Option<i64>) -> DateTime<Utc> {
    tablet_time + Duration::milliseconds(offset_ms.unwrap_or(0))
}

/// The order of a queue: issue time, then code for tickets issued together.
pub fn queue_order(a: &QueuedTicket, b: &QueuedTicket) -> Ordering {
    a.issued_at
        .cmp(&b.issued_at)
        .then_with(|| a.code.as_str().cmp(b.code.as_str()))
}

fn seconds(from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> Option<i64> {
    Some((to? - from?).num_seconds().max(0))
}

impl QueuedTicket {
    /// A ticket entering its queue, waiting.
    pub fn waiting(code: TicketCode, service: ServiceId, issued_at: DateTime<Utc>) -> QueuedTicket {
        QueuedTicket {
            code,
            service,
            issued_at,
            state: TicketState::Waiting,
            counter: None,
            calls: 0,
            called_at: None,
            last_call_at: None,
            arrived_at: None,
            served_at: None,
            outcome: None,
            quoted_max_min: None,
        }
    }

    /// A code typed at a counter before its tablet synced, entering the
    /// counter's queue at `now`: only if its letter is the service's
    /// (`service_letter`), so a visitor at the wrong counter is sent on.
    pub fn adopted(
        code: TicketCode,
        service: ServiceId,
        service_letter: char,
        now: DateTime<Utc>,
    ) -> Result<QueuedTicket, QueueError> {
        if code.service_letter() != service_letter {
            return Err(QueueError::OtherService {
                code: code.to_string(),
                letter: service_letter,
            });
        }
        Ok(QueuedTicket::waiting(code, service, now))
    }

    /// Called or at the counter `device`, and not finished: its ticket in hand.
    pub fn in_hand_at(&self, device: &str) -> bool {
        matches!(self.state, TicketState::Called | TicketState::Present)
            && self.counter.as_ref().is_some_and(|c| c.device == device)
    }

    fn wrong_state(&self) -> QueueError {
        QueueError::WrongState {
            code: self.code.to_string(),
            state: state_words(self.state),
        }
    }

    /// The ticket after `step` by `counter` at `now`, or why not.
    pub fn apply(
        &self,
        step: &CounterStep,
        counter: &CounterRef,
        now: DateTime<Utc>,
    ) -> Result<QueuedTicket, QueueError> {
        let mut next = self.clone();
        let here = self.in_hand_at(&counter.device);
        match step {
            CounterStep::Call => match self.state {
                TicketState::Waiting => {
                    next.state = TicketState::Called;
                    next.counter = Some(counter.clone());
                    next.calls += 1;
                    next.called_at = self.called_at.or(Some(now));
                    next.last_call_at = Some(now);
                }
                TicketState::Called | TicketState::Present if !here => {
                    return Err(QueueError::Taken {
                        code: self.code.to_string(),
                        counter: self
                            .counter
                            .as_ref()
                            .map_or_else(String::new, |c| c.label.clone()),
                    });
                }
                _ => return Err(self.wrong_state()),
            },
            CounterStep::Recall => {
                if !here {
                    return Err(QueueError::NotHere(self.code.to_string()));
                }
                if self.state != TicketState::Called {
                    return Err(self.wrong_state());
                }
                let since = self
                    .last_call_at
                    .map_or(i64::MAX, |t| (now - t).num_seconds());
                if since < MIN_RECALL_INTERVAL_S {
                    return Err(QueueError::TooSoon {
                        retry_after_s: (MIN_RECALL_INTERVAL_S - since.max(0)) as u64,
                    });
                }
                next.calls += 1;
                next.last_call_at = Some(now);
            }
            CounterStep::Arrived | CounterStep::NoShow => {
                if !here {
                    return Err(QueueError::NotHere(self.code.to_string()));
                }
                if self.state != TicketState::Called {
                    return Err(self.wrong_state());
                }
                if *step == CounterStep::Arrived {
                    next.state = TicketState::Present;
                    next.arrived_at = Some(now);
                } else {
                    next.state = TicketState::NoShow;
                }
            }
            CounterStep::Served(outcome) => {
                if !here {
                    return Err(QueueError::NotHere(self.code.to_string()));
                }
                next.state = TicketState::Served;
                next.served_at = Some(now);
                next.outcome = Some(*outcome);
            }
            CounterStep::Transfer(service) => {
                if !here {
                    return Err(QueueError::NotHere(self.code.to_string()));
                }
                if *service == self.service {
                    return Err(QueueError::SameService);
                }
                next.state = TicketState::Waiting;
                next.service = service.clone();
                next.counter = None;
                next.arrived_at = None;
            }
            CounterStep::Reactivate => {
                if self.state != TicketState::NoShow {
                    return Err(self.wrong_state());
                }
                next.state = TicketState::Waiting;
                next.counter = None;
            }
        }
        Ok(next)
    }

    /// Issue to first call, in seconds.
    pub fn wait_s(&self) -> Option<i64> {
        seconds(Some(self.issued_at), self.called_at)
    }

    /// Last call to « usager présent », in seconds.
    pub fn walk_s(&self) -> Option<i64> {
        seconds(self.last_call_at, self.arrived_at)
    }

    /// Called before the upper end of its quoted wait: `None` when it had no
    /// quote or was never called.
    pub fn called_within_quote(&self) -> Option<bool> {
        Some(self.wait_s()? <= i64::from(self.quoted_max_min?) * 60)
    }

    /// Held its counter, in seconds: from the first call to the end (what a
    /// wait estimate counts per ticket).
    pub fn counter_s(&self) -> Option<i64> {
        seconds(self.called_at, self.served_at)
    }

    /// At the counter, in seconds: from arrival (or the last call) to the end.
    pub fn service_s(&self) -> Option<i64> {
        seconds(self.arrived_at.or(self.last_call_at), self.served_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000 + s, 0).expect("time")
    }

    fn counter(n: u32) -> CounterRef {
        CounterRef {
            device: format!("c{n}"),
            label: format!("Guichet {n}"),
        }
    }

    fn ticket(code: &str, issued: i64) -> QueuedTicket {
        QueuedTicket::waiting(
            TicketCode::parse(code).expect("code"),
            ServiceId::try_from("etat-civil".to_owned()).expect("id"),
            at(issued),
        )
    }

    #[test]
    fn a_served_ticket_gives_its_wait_walk_and_service_times() {
        let c = counter(3);
        let t = ticket("EA07", 0)
            .apply(&CounterStep::Call, &c, at(600))
            .and_then(|t| t.apply(&CounterStep::Arrived, &c, at(660)))
            .and_then(|t| t.apply(&CounterStep::Served(ServiceOutcome::Done), &c, at(960)))
            .expect("served");
        assert_eq!(t.state, TicketState::Served);
        assert_eq!(
            (t.wait_s(), t.walk_s(), t.service_s()),
            (Some(600), Some(60), Some(300))
        );
    }

    #[test]
    fn the_first_counter_to_call_wins_and_the_other_is_told_which() {
        let called = ticket("EA07", 0)
            .apply(&CounterStep::Call, &counter(3), at(10))
            .expect("call");
        let second = called.apply(&CounterStep::Call, &counter(5), at(10));
        assert_eq!(
            second,
            Err(QueueError::Taken {
                code: "EA07".into(),
                counter: "Guichet 3".into()
            })
        );
        assert_eq!(
            second.map_err(|e| e.to_string()),
            Err("ticket EA07 déjà appelé au Guichet 3".into())
        );
    }

    #[test]
    fn recalls_are_counted_and_spaced_by_thirty_seconds() {
        let c = counter(1);
        let t = ticket("EA07", 0)
            .apply(&CounterStep::Call, &c, at(100))
            .expect("call");
        assert_eq!(
            t.apply(&CounterStep::Recall, &c, at(110)),
            Err(QueueError::TooSoon { retry_after_s: 20 })
        );
        let t = t.apply(&CounterStep::Recall, &c, at(130)).expect("recall");
        assert_eq!(
            (t.calls, t.called_at, t.last_call_at),
            (2, Some(at(100)), Some(at(130)))
        );
        assert!(matches!(
            t.apply(&CounterStep::Recall, &counter(2), at(200)),
            Err(QueueError::NotHere(_))
        ));
    }

    #[test]
    fn a_transfer_keeps_the_place_and_an_absent_ticket_comes_back_to_it() {
        let c = counter(1);
        let urbanisme = ServiceId::try_from("urbanisme".to_owned()).expect("id");
        let t = ticket("EA07", 0)
            .apply(&CounterStep::Call, &c, at(100))
            .expect("call");
        let moved = t
            .apply(&CounterStep::Transfer(urbanisme.clone()), &c, at(120))
            .expect("transfer");
        assert_eq!(
            (moved.state, &moved.service, moved.issued_at, &moved.counter),
            (TicketState::Waiting, &urbanisme, at(0), &None)
        );
        assert_eq!(
            moved.apply(&CounterStep::Transfer(urbanisme.clone()), &c, at(130)),
            Err(QueueError::NotHere("EA07".into()))
        );
        let absent = t.apply(&CounterStep::NoShow, &c, at(400)).expect("absent");
        assert_eq!(absent.state, TicketState::NoShow);
        assert!(
            absent
                .apply(&CounterStep::Call, &counter(2), at(500))
                .is_err(),
            "an absent ticket is not called before it is reactivated"
        );
        let back = absent
            .apply(&CounterStep::Reactivate, &counter(2), at(500))
            .expect("reactivate");
        assert_eq!((back.state, back.issued_at), (TicketState::Waiting, at(0)));
    }

    #[test]
    fn a_present_visitor_cannot_be_marked_absent_and_a_served_ticket_is_closed() {
        let c = counter(1);
        let present = ticket("EA07", 0)
            .apply(&CounterStep::Call, &c, at(1))
            .and_then(|t| t.apply(&CounterStep::Arrived, &c, at(2)))
            .expect("present");
        assert!(matches!(
            present.apply(&CounterStep::NoShow, &c, at(3)),
            Err(QueueError::WrongState { .. })
        ));
        let served = present
            .apply(&CounterStep::Served(ServiceOutcome::ComeBack), &c, at(4))
            .expect("served");
        for step in [
            CounterStep::Call,
            CounterStep::Recall,
            CounterStep::Reactivate,
        ] {
            assert!(served.apply(&step, &c, at(5)).is_err(), "{step:?}");
        }
    }

    #[test]
    fn a_code_is_adopted_only_by_a_counter_of_its_service() {
        let service = ServiceId::try_from("etat-civil".to_owned()).expect("id");
        let code = |c: &str| TicketCode::parse(c).expect("code");
        assert!(QueuedTicket::adopted(code("EA07"), service.clone(), 'E', at(0)).is_ok());
        assert_eq!(
            QueuedTicket::adopted(code("GA01"), service, 'E', at(0)),
            Err(QueueError::OtherService {
                code: "GA01".into(),
                letter: 'E'
            })
        );
    }

    #[test]
    fn queues_follow_the_corrected_issue_time_not_the_arrival() {
        // Tablet B's clock is 10 minutes fast: its ticket issued at 09:05 (server time) says 09:15.
        let early = ticket("EB01", 0);
        let mut late_clock = ticket("EA01", 0);
        late_clock.issued_at =
            corrected_issue_time(at(0) + Duration::minutes(15), Some(-10 * 60 * 1000));
        let mut q = [ticket("EA02", 301), late_clock.clone(), early.clone()];
        q.sort_by(queue_order);
        assert_eq!(
            q.iter().map(|t| t.code.as_str()).collect::<Vec<_>>(),
            ["EB01", "EA01", "EA02"]
        );
        assert_eq!(late_clock.issued_at, at(300));
    }
}
