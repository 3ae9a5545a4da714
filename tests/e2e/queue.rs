//! The greeter sees what the counters did: a tablet's ticket, called and
//! served at a counter of the real server, comes back in the tablet's day
//! log at its next sync; the counters' expected wait reaches it the same way
//! and stays, with its time, when the server is gone.

use chrono::Utc;
use serde_json::json;
use volant_protocol::{DeviceKind, TicketState};
use volant_server::store::Post;
use volant_tests::Tablet;
use volant_tests::server::{TestServer, counter_act, screen_credential};

/// A real server and an agent tablet enrolled with it, `visits` demo visits
/// walked (seeded) and synced.
async fn synced_tablet(dir: &std::path::Path, visits: usize, seed: u64) -> (TestServer, Tablet) {
    let server = TestServer::start(&dir.join("server.sqlite3")).await;
    let tablet = Tablet::new(dir, "hall");
    tablet
        .enroll(&server.endpoint.invite(&server.db, DeviceKind::Agent))
        .await;
    tablet.visits(visits, seed).await;
    tablet.sync_until_quiet(5).await;
    (server, tablet)
}

/// The tablet's log of today.
async fn today(tablet: &Tablet) -> Vec<volant_core::LogEntry> {
    let day = volant_core::domain::mairie_day(Utc::now());
    tablet
        .store
        .lock()
        .await
        .day_log(day, Utc::now())
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The counter calls `code` out of turn and serves it.
async fn serve(server: &TestServer, token: &str, code: &str) {
    counter_act(
        &server.endpoint,
        token,
        json!({ "type": "call", "code": code }),
    )
    .await;
    counter_act(
        &server.endpoint,
        token,
        json!({ "type": "served", "outcome": "done" }),
    )
    .await;
}

/// The credential of « Guichet 2 », a counter desk of `service`.
async fn counter(server: &TestServer, service: &str) -> String {
    let post = Post {
        service: Some(service.to_owned()),
        label: Some("Guichet 2".into()),
        services: vec![],
    };
    screen_credential(&server.endpoint, &server.db, DeviceKind::Counter, &post).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tablet_journal_shows_what_the_counter_did_with_each_ticket_after_its_next_sync() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (server, tablet) = synced_tablet(dir.path(), 30, 5).await;
    let log = today(&tablet).await;
    let entry = log
        .iter()
        .find(|e| e.visit.ticket().is_some())
        .unwrap_or_else(|| panic!("no ticket among the demo visits"));
    let ticket = entry
        .visit
        .ticket()
        .cloned()
        .unwrap_or_else(|| panic!("ticket"));
    assert_eq!(
        entry.ticket_state.as_ref().map(|s| s.state),
        Some(TicketState::Waiting)
    );

    let token = counter(&server, &ticket.service.to_string()).await;
    serve(&server, &token, ticket.code.as_str()).await;
    tablet.sync().await;
    let log = today(&tablet).await;
    let state = log
        .iter()
        .find(|e| e.visit.id == entry.visit.id)
        .and_then(|e| e.ticket_state.clone())
        .unwrap_or_else(|| panic!("no state for {}", ticket.code));
    assert_eq!(
        (state.state, state.counter.as_deref()),
        (TicketState::Served, Some("Guichet 2"))
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tablet_keeps_the_counters_wait_from_its_sync_and_shows_it_offline_with_its_time() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (server, tablet) = synced_tablet(dir.path(), 60, 9).await;
    // The service with the most tickets gets a counter, which serves three.
    let log = today(&tablet).await;
    let mut per_service = std::collections::BTreeMap::<String, Vec<String>>::new();
    for t in log.iter().filter_map(|e| e.visit.ticket()) {
        per_service
            .entry(t.service.to_string())
            .or_default()
            .push(t.code.to_string());
    }
    let (service, codes) = per_service
        .into_iter()
        .max_by_key(|(_, codes)| codes.len())
        .unwrap_or_else(|| panic!("no ticket among the demo visits"));
    assert!(codes.len() >= 4, "{service}: {codes:?}");
    let token = counter(&server, &service).await;
    for code in &codes[..3] {
        serve(&server, &token, code).await;
    }

    tablet.sync().await;
    let kept = tablet
        .store
        .lock()
        .await
        .counter_waits(Utc::now())
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no wait kept after a sync"));
    let wait = kept
        .board
        .services
        .iter()
        .find(|w| w.service == service)
        .unwrap_or_else(|| panic!("no wait for {service}"));
    assert_eq!(
        (wait.waiting, wait.open_counters, wait.served_today),
        (u32::try_from(codes.len() - 3).unwrap_or(0), 1, 3)
    );
    let range = wait
        .range
        .unwrap_or_else(|| panic!("a range once 3 are served"));
    assert!(
        range.optimistic <= range.pessimistic && range.pessimistic >= 1,
        "{range:?}"
    );

    // Offline: the light refresh answers the last figures, with the time they were fetched.
    server.stop().await;
    let offline = volant_core::sync::refresh_waits(&tablet.store, &tablet.clock)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(offline, Some(kept));
}
