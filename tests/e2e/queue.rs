//! The greeter sees what the counters did: a tablet's ticket, called and
//! served at a counter of the real server, comes back in the tablet's day
//! log at its next sync.

use chrono::Utc;
use serde_json::json;
use volant_protocol::{DeviceKind, TicketState};
use volant_server::store::Post;
use volant_tests::Tablet;
use volant_tests::server::{TestServer, counter_act, screen_credential};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tablet_journal_shows_what_the_counter_did_with_each_ticket_after_its_next_sync() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let server = TestServer::start(&dir.path().join("server.sqlite3")).await;
    let tablet = Tablet::new(dir.path(), "hall");
    tablet
        .enroll(&server.endpoint.invite(&server.db, DeviceKind::Agent))
        .await;
    tablet.visits(30, 5).await;
    tablet.sync_until_quiet(5).await;
    let day = volant_core::domain::mairie_day(Utc::now());
    let log = tablet
        .store
        .lock()
        .await
        .day_log(day, Utc::now())
        .unwrap_or_else(|e| panic!("{e}"));
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

    let post = Post {
        service: Some(ticket.service.to_string()),
        label: Some("Guichet 2".into()),
        services: vec![],
    };
    let token = screen_credential(&server.endpoint, &server.db, DeviceKind::Counter, &post).await;
    let call = json!({ "type": "call", "code": ticket.code.as_str() });
    counter_act(&server.endpoint, &token, call).await;
    counter_act(
        &server.endpoint,
        &token,
        json!({ "type": "served", "outcome": "done" }),
    )
    .await;
    tablet.sync().await;
    let log = tablet
        .store
        .lock()
        .await
        .day_log(day, Utc::now())
        .unwrap_or_else(|e| panic!("{e}"));
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
