//! TLS between the tablet and the server: the certificate pinned at
//! enrolment, and every refusal typed, with nothing sent and nothing lost —
//! another certificate, an expired one, an unpinned self-signed one, and an
//! address in clear beyond this machine.

use std::path::Path;

use volant_core::sync::{SyncError, enroll};
use volant_protocol::{DeviceKind, Fingerprint, Invitation};
use volant_server::Transport;
use volant_server::store::MairieId;
use volant_tests::Tablet;
use volant_tests::server::{TestServer, enrolment_code, server_store};
use volant_tests::{exactly_once, proxy::Proxy};

/// The invitation of `server` with `code`, pinned to `fingerprint`.
fn invitation(server: &TestServer, code: &str, fingerprint: Option<Fingerprint>) -> String {
    Invitation {
        server: server.url(),
        code: code.to_owned(),
        fingerprint,
    }
    .link("")
}

async fn refused(tablet: &Tablet, invitation: &str) -> SyncError {
    match enroll(&tablet.store, invitation).await {
        Ok(r) => panic!("enrolled: {r:?}"),
        Err(e) => e,
    }
}

fn devices(db: &Path) -> usize {
    server_store(db)
        .devices(MairieId::FIRST)
        .expect("devices")
        .len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_certificate_is_refused_before_anything_is_sent() {
    let dir = tempfile::tempdir().expect("dir");
    let server = TestServer::start(&dir.path().join("server.sqlite3")).await;
    let tablet = Tablet::new(dir.path(), "a");
    let code = enrolment_code(&server.db, DeviceKind::Agent);
    let error = refused(
        &tablet,
        &invitation(&server, &code, Some(Fingerprint([7; 32]))),
    )
    .await;
    assert_eq!(error.code(), "certificate_changed", "{error}");
    assert!(
        error
            .to_string()
            .contains("le certificat du serveur a changé"),
        "{error}"
    );
    assert!(
        tablet
            .store
            .lock()
            .await
            .sync_state()
            .expect("state")
            .enrollment
            .is_none()
    );
    // The code never reached the server: it still enrols the tablet.
    let error = refused(&tablet, &invitation(&server, &code, None)).await;
    assert_eq!(
        error.code(),
        "certificate_untrusted",
        "unpinned self-signed: {error}"
    );
    assert_eq!(devices(&server.db), 0);
    tablet
        .enroll(&invitation(
            &server,
            &code,
            Some(server.endpoint.fingerprint),
        ))
        .await;
    assert_eq!(devices(&server.db), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_certificate_is_refused_with_its_own_error() {
    let dir = tempfile::tempdir().expect("dir");
    let (cert, key) = (
        dir.path().join("old.cert.pem"),
        dir.path().join("old.key.pem"),
    );
    volant_server::tls::generate(&["127.0.0.1".into()], chrono::Utc::now(), -1)
        .and_then(|g| g.write(&cert, &key))
        .expect("expired certificate");
    let server = TestServer::start_on(
        &dir.path().join("server.sqlite3"),
        volant_server::DEFAULT_LIMITS,
        Transport::Files { cert, key },
    )
    .await;
    let tablet = Tablet::new(dir.path(), "a");
    let error = refused(&tablet, &server.invite(DeviceKind::Agent)).await;
    assert_eq!(error.code(), "certificate_expired", "{error}");
    assert!(error.to_string().contains("expiré"), "{error}");
    assert_eq!(devices(&server.db), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_in_clear_beyond_this_machine_is_refused_without_a_connection() {
    let dir = tempfile::tempdir().expect("dir");
    let tablet = Tablet::new(dir.path(), "a");
    // `.invalid` never resolves: a refusal here is made before any lookup.
    let error = refused(&tablet, "http://mairie.invalid:8719/#code=K7QX-M2PD").await;
    assert_eq!(error.code(), "invalid_address", "{error}");
    assert!(error.to_string().contains("en clair"), "{error}");
    let error = refused(&tablet, "https://mairie.invalid:8719").await;
    assert_eq!(error.code(), "invalid_address", "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_certificate_stops_sync_until_re_enrolment_and_loses_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("server.sqlite3");
    let server = TestServer::start(&db).await;
    let tablet = Tablet::new(dir.path(), "a");
    tablet.enroll(&server.invite(DeviceKind::Agent)).await;
    tablet.visits(12, 4).await;
    tablet.sync_until_quiet(3).await;
    let letter = tablet
        .store
        .lock()
        .await
        .settings()
        .expect("settings")
        .tablet;
    tablet.visits(9, 5).await;

    // The certificate is replaced (lost, or rotated by IT) and the server restarted.
    let (cert, key) = volant_server::tls::generated_files(&db);
    std::fs::remove_file(cert).expect("cert");
    std::fs::remove_file(key).expect("key");
    let server = server.restart_in_place().await;
    let received = server_store(&db).devices(MairieId::FIRST).expect("devices")[0].received;
    let report = tablet.sync().await;
    assert_eq!(
        report.error.as_deref(),
        Some("le certificat du serveur a changé : réenrôler la tablette")
    );
    let status = tablet.store.lock().await.sync_status().expect("status");
    assert!(!status.online && status.pending > 0, "{status:?}");
    assert_eq!(
        server_store(&db).devices(MairieId::FIRST).expect("devices")[0].received,
        received
    );

    // Re-enrolled with the new invitation: same device and letter, the backlog goes once.
    tablet.enroll(&server.invite(DeviceKind::Agent)).await;
    tablet.sync_until_quiet(3).await;
    assert_eq!(
        tablet
            .store
            .lock()
            .await
            .settings()
            .expect("settings")
            .tablet,
        letter
    );
    assert_eq!(devices(&db), 1);
    if let Err(e) = exactly_once(&db, &[&tablet.path]) {
        panic!("{e}");
    }
    // Behind the fault proxy too, the pin holds.
    let proxy = Proxy::start(server.addr, &db).await;
    let other = Tablet::new(dir.path(), "b");
    other.enroll(&proxy.invite(&db, DeviceKind::Agent)).await;
    other.visits(3, 6).await;
    other.sync_until_quiet(3).await;
}
