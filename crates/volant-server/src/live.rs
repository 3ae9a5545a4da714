//! Live updates for the counters and the displays: server-sent events used as
//! a doorbell. Each committed change to a queue rings (`store::Ring`); a
//! listener gets a `queue` event, whose id is the event's seq, for the queues
//! it follows, and fetches the current state (`/v1/counter/queue`,
//! `/v1/display/calls`) — the stream itself carries no state. A connection
//! starts with one `queue` event when something happened since the client's
//! `Last-Event-ID` (or always, without one), and a `heartbeat` event every
//! 2 s lets a display see within 5 s that its link is gone.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, Sse};
use chrono::Utc;
use futures_util::Stream;
use futures_util::stream;
use tokio::sync::broadcast::error::RecvError;
use volant_protocol::DeviceKind;

use crate::app::AppState;
use crate::error::HttpError;
use crate::extract::Listener;
use crate::store::{MairieId, Ring};

/// How often a listener hears from the server when nothing happens.
pub const HEARTBEAT: Duration = Duration::from_secs(2);

fn ring_event(seq: u64) -> Event {
    Event::default()
        .id(seq.to_string())
        .event("queue")
        .data(format!("{{\"event\":{seq}}}"))
}

struct Listening {
    bell: tokio::sync::broadcast::Receiver<Ring>,
    mairie: MairieId,
    services: Vec<String>,
    heartbeat: tokio::time::Interval,
    first: Option<u64>,
}

/// `GET /v1/events` (no protocol header: a browser's `EventSource` cannot send one).
pub async fn events(
    State(state): State<AppState>,
    Listener(device): Listener,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, HttpError> {
    let services = match device.kind {
        DeviceKind::Counter => device.post.service.clone().into_iter().collect(),
        _ => device.post.services.clone(),
    };
    let bell = state.subscribe();
    let mairie = device.mairie;
    let last = state.with_store(move |s| s.last_event(mairie)).await?;
    let seen = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let mut heartbeat = tokio::time::interval(HEARTBEAT);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let listening = Listening {
        bell,
        mairie,
        services,
        heartbeat,
        first: (seen.is_none_or(|s| s < last)).then_some(last),
    };
    let stream = stream::unfold(listening, |mut l| async move {
        if let Some(seq) = l.first.take() {
            return Some((Ok(ring_event(seq)), l));
        }
        loop {
            tokio::select! {
                ring = l.bell.recv() => match ring {
                    Ok(ring) if ring.mairie == l.mairie && l.services.contains(&ring.service) => return Some((Ok(ring_event(ring.seq)), l)),
                    Ok(_) => continue,
                    // Too slow to keep up: one ring, and the client fetches the state anyway.
                    Err(RecvError::Lagged(_)) => return Some((Ok(Event::default().event("queue").data("{}")), l)),
                    Err(RecvError::Closed) => return None,
                },
                _ = l.heartbeat.tick() => {
                    let beat = Event::default().event("heartbeat").data(Utc::now().to_rfc3339());
                    return Some((Ok(beat), l));
                }
            }
        }
    });
    Ok(Sse::new(stream))
}
