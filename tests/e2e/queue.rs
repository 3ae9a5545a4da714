//! The greeter sees what the counters did: a tablet's ticket, called and
//! served at a counter of the real server, comes back in the tablet's day
//! log at its next sync.

use chrono::Utc;
use serde_json::{Value, json};
use volant_protocol::{DeviceKind, PROTOCOL_HEADER, TicketState};
use volant_server::store::Post;
use volant_tests::Tablet;
use volant_tests::server::{TestServer, enrolment_code, server_store};

/// A counter of `service` enrolled as its browser is: the credential from its cookie.
async fn counter(server: &TestServer, service: &str) -> String {
    let code = server_store(&server.db)
        .create_enrollment_code(
            "Guichet",
            DeviceKind::Counter,
            &Post {
                service: Some(service.into()),
                label: Some("Guichet 2".into()),
                services: vec![],
            },
            chrono::Duration::minutes(5),
            Utc::now(),
        )
        .unwrap_or_else(|e| panic!("code: {e}"))
        .code;
    let response = reqwest::Client::new()
        .post(format!("{}/v1/screen/enroll", server.url()))
        .header(PROTOCOL_HEADER, "1")
        .json(&json!({ "code": code }))
        .send()
        .await
        .unwrap_or_else(|e| panic!("enrol: {e}"));
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    cookie
        .split(';')
        .next()
        .and_then(|c| c.split_once('='))
        .map(|(_, token)| token.to_owned())
        .unwrap_or_else(|| panic!("no credential cookie: {cookie}"))
}

async fn act(server: &TestServer, token: &str, action: Value) -> Value {
    let response = reqwest::Client::new()
        .post(format!("{}/v1/counter/actions", server.url()))
        .header(PROTOCOL_HEADER, "1")
        .bearer_auth(token)
        .json(&json!({ "event_id": uuid::Uuid::now_v7(), "device_time": Utc::now(), "action": action }))
        .send()
        .await
        .unwrap_or_else(|e| panic!("act: {e}"));
    assert!(response.status().is_success(), "{}", response.status());
    response
        .json()
        .await
        .unwrap_or_else(|e| panic!("json: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tablet_journal_shows_what_the_counter_did_with_each_ticket_after_its_next_sync() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let server = TestServer::start(&dir.path().join("server.sqlite3")).await;
    let tablet = Tablet::new(dir.path(), "hall");
    tablet
        .enroll(
            &server.url(),
            &enrolment_code(&server.db, DeviceKind::Agent),
        )
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

    let token = counter(&server, ticket.service.as_str()).await;
    act(
        &server,
        &token,
        json!({ "type": "call", "code": ticket.code.as_str() }),
    )
    .await;
    act(
        &server,
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
