//! Sync against the real server on 127.0.0.1, with faults injected: a proxy
//! for the network, child processes for kills, file copies for backups.
//! After each scenario every change must be on the server exactly once.

use std::time::Duration;

use volant_core::sync::{Client, Clock, sync_once};
use volant_protocol::{DeviceKind, PushRequest};
use volant_server::store::MairieId;
use volant_tests::proxy::{Fault, Proxy};
use volant_tests::server::{ServerProcess, TestServer, free_port, server_store};
use volant_tests::{Tablet, exactly_once};

struct Hall {
    dir: tempfile::TempDir,
    server: TestServer,
    proxy: Proxy,
}

impl Hall {
    async fn open() -> Hall {
        Self::open_with(volant_server::DEFAULT_LIMITS).await
    }

    async fn open_with(limits: volant_protocol::Limits) -> Hall {
        let dir = tempfile::tempdir().expect("dir");
        let server = TestServer::start_with(&dir.path().join("server.sqlite3"), limits).await;
        let proxy = Proxy::start(server.addr, &server.db).await;
        Hall { dir, server, proxy }
    }

    async fn tablet(&self, name: &str) -> Tablet {
        let t = Tablet::new(self.dir.path(), name);
        t.enroll(
            &self
                .proxy
                .endpoint
                .invite(&self.server.db, DeviceKind::Agent),
        )
        .await;
        t
    }

    fn check(&self, tablets: &[&Tablet]) {
        let paths: Vec<&std::path::Path> = tablets.iter().map(|t| t.path.as_path()).collect();
        if let Err(e) = exactly_once(&self.server.db, &paths) {
            panic!("{e}");
        }
    }

    async fn restart(&mut self) {
        let db = self.server.db.clone();
        let old = std::mem::replace(&mut self.server, TestServer::start(&db).await);
        old.stop().await;
        self.proxy.retarget(self.server.addr);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_tablets_work_offline_then_converge() {
    let hall = Hall::open().await;
    let (a, b) = (hall.tablet("a").await, hall.tablet("b").await);
    for _ in 0..3 {
        hall.proxy.inject(Fault::Reset);
    }
    a.visits(40, 1).await;
    let offline = a.sync().await;
    assert!(
        offline
            .error
            .as_deref()
            .is_some_and(|e| e.contains("hors ligne")),
        "{offline:?}"
    );
    assert!(offline.pending > 0);
    let status = a.store.lock().await.sync_status().expect("status");
    assert!(!status.online && status.pending > 0);
    b.visits(30, 2).await;
    hall.proxy.clear();
    a.sync_until_quiet(3).await;
    b.sync_until_quiet(3).await;
    hall.check(&[&a, &b]);
    let status = a.store.lock().await.sync_status().expect("status");
    assert!(status.online && status.pending == 0 && status.last_error.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_response_dropped_after_commit_is_not_counted_twice() {
    let hall = Hall::open().await;
    let a = hall.tablet("a").await;
    a.visits(20, 3).await;
    hall.proxy.inject(Fault::CutResponseAfter(0));
    let lost = a.sync().await;
    assert!(lost.error.is_some() && lost.acknowledged == 0, "{lost:?}");
    let stored = server_store(&hall.server.db)
        .devices(MairieId::FIRST)
        .expect("devices")[0]
        .received;
    assert!(
        stored > 0,
        "the server committed before the answer was lost"
    );
    let again = a.sync_until_quiet(2).await;
    assert_eq!(again.duplicates as u64, stored);
    hall.check(&[&a]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_cut_mid_request_stores_nothing_then_recovers() {
    let hall = Hall::open().await;
    let a = hall.tablet("a").await;
    a.visits(20, 4).await;
    hall.proxy.inject(Fault::CutRequestAfter(700));
    let cut = a.sync().await;
    assert!(cut.error.is_some());
    assert_eq!(
        server_store(&hall.server.db)
            .devices(MairieId::FIRST)
            .expect("devices")[0]
            .received,
        0
    );
    a.sync_until_quiet(2).await;
    hall.check(&[&a]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_batch_sent_twice_at_once_is_stored_once() {
    let hall = Hall::open().await;
    let a = hall.tablet("a").await;
    a.visits(30, 5).await;
    let (request, token) = {
        let store = a.store.lock().await;
        let batch = store.pending_batch(500, 1 << 20).expect("batch");
        let token = store
            .sync_state()
            .expect("state")
            .enrollment
            .expect("enrolled")
            .token;
        (
            PushRequest {
                install_id: store.install_id(),
                epoch: None,
                rebase: false,
                clock_offset_ms: None,
                mutations: batch,
            },
            token,
        )
    };
    let client = Client::new(
        &hall.proxy.url(),
        Some(hall.proxy.endpoint.fingerprint),
        Some(token),
    )
    .expect("client");
    let (one, two) = tokio::join!(client.push(&request), client.push(&request));
    let (one, two) = (one.expect("first"), two.expect("second"));
    assert_eq!(one.receipts, two.receipts);
    assert_eq!(
        one.duplicates + two.duplicates,
        request.mutations.len() as u32
    );
    a.sync_until_quiet(2).await;
    hall.check(&[&a]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_restored_from_an_older_backup_gets_the_lost_visits_again() {
    let mut hall = Hall::open().await;
    let a = hall.tablet("a").await;
    a.visits(15, 6).await;
    a.sync_until_quiet(2).await;
    let backup = hall.dir.path().join("backup.sqlite3");
    {
        let conn = rusqlite::Connection::open(&hall.server.db).expect("open");
        conn.execute("VACUUM INTO ?1", [backup.display().to_string()])
            .expect("backup");
    }
    a.visits(15, 7).await;
    a.sync_until_quiet(2).await;
    let db = hall.server.db.clone();
    let old = std::mem::replace(
        &mut hall.server,
        TestServer::start(&hall.dir.path().join("other.sqlite3")).await,
    );
    old.stop().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    std::fs::copy(&backup, &db).expect("restore");
    hall.server.db = db;
    hall.restart().await;
    let report = a.sync_until_quiet(3).await;
    assert!(report.error.is_none());
    hall.check(&[&a]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_killed_mid_batch_and_restarted_loses_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("server.sqlite3");
    let port = free_port();
    let server = ServerProcess::start(&db, port).await;
    let a = Tablet::new(dir.path(), "a");
    a.enroll(&server.endpoint.invite(&db, DeviceKind::Agent))
        .await;
    a.visits(1500, 8).await;
    let killer = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(60)).await;
        server.kill();
    });
    let during = a.sync().await;
    killer.await.expect("killer");
    let after_kill = a.sync().await;
    assert!(
        after_kill.error.is_some(),
        "the server is down: {during:?} / {after_kill:?}"
    );
    let _server = ServerProcess::start(&db, port).await;
    a.sync_until_quiet(3).await;
    if let Err(e) = exactly_once(&db, &[&a.path]) {
        panic!("{e}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tablet_killed_during_writes_keeps_every_change_with_its_outbox_row() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("tablet.sqlite3");
    let volant = volant_tests::server::binary("volant");
    for iteration in 0..12u64 {
        let mut child = std::process::Command::new(&volant)
            .args([
                "--db",
                &db.display().to_string(),
                "demo",
                "visits",
                "--count",
                "100000",
                "--seed",
                &iteration.to_string(),
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn tablet");
        tokio::time::sleep(Duration::from_millis(150 + 37 * iteration)).await;
        child.kill().expect("kill -9");
        child.wait().expect("wait");
        let store =
            volant_core::Store::open(&db, chrono::Utc::now()).expect("reopens after a crash");
        drop(store);
        let conn = rusqlite::Connection::open(&db).expect("open");
        let (rows, last, max): (u64, u64, u64) = conn
            .query_row("SELECT COUNT(*), (SELECT last_seq FROM outbox_counter), COALESCE(MAX(seq), 0) FROM outbox", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .expect("outbox");
        assert_eq!(
            (rows, max),
            (last, last),
            "iteration {iteration}: seq contiguous from 1"
        );
        let orphans: u64 = conn
            .query_row(
                "SELECT COUNT(*) FROM visit v WHERE (SELECT COUNT(*) FROM outbox o WHERE o.entity_id = v.id) != v.revision + 1
                   OR v.snapshot != (SELECT payload FROM outbox o WHERE o.entity_id = v.id ORDER BY seq DESC LIMIT 1)",
                [],
                |r| r.get(0),
            )
            .expect("check");
        assert_eq!(
            orphans, 0,
            "iteration {iteration}: every change has exactly its outbox row"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tablet_killed_between_the_server_commit_and_its_ack_resends_without_doubles() {
    let hall = Hall::open().await;
    let a = hall.tablet("a").await;
    a.visits(25, 9).await;
    let path = a.path.clone();
    drop(a);
    hall.proxy
        .inject(Fault::DelayResponse(Duration::from_millis(400)));
    let mut child = std::process::Command::new(volant_tests::server::binary("volant"))
        .args(["--db", &path.display().to_string(), "sync"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn sync");
    let db = hall.server.db.clone();
    for _ in 0..200 {
        if server_store(&db).devices(MairieId::FIRST).expect("devices")[0].received > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    child.kill().expect("kill -9");
    child.wait().expect("wait");
    let received = server_store(&db).devices(MairieId::FIRST).expect("devices")[0].received;
    assert!(received > 0, "the server committed");
    let a = Tablet::open(&path);
    let pending = a.store.lock().await.pending_count().expect("pending");
    assert!(pending > 0, "the tablet never heard the ack");
    let report = a.sync_until_quiet(2).await;
    assert!(report.duplicates > 0);
    hall.check(&[&a]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recreated_tablet_database_is_a_new_install_with_a_new_letter() {
    let hall = Hall::open().await;
    let a = hall.tablet("a").await;
    a.visits(10, 10).await;
    a.sync_until_quiet(2).await;
    let old_path = a.path.clone();
    drop(a);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", old_path.display()));
    }
    let again = Tablet::open(&old_path);
    again
        .enroll(
            &hall
                .proxy
                .endpoint
                .invite(&hall.server.db, DeviceKind::Agent),
        )
        .await;
    assert_eq!(
        again
            .store
            .lock()
            .await
            .settings()
            .expect("settings")
            .tablet
            .as_char(),
        'B'
    );
    again.visits(10, 11).await;
    again.sync_until_quiet(2).await;
    let devices = server_store(&hall.server.db)
        .devices(MairieId::FIRST)
        .expect("devices");
    assert_eq!(devices.len(), 2);
    assert!(devices.iter().all(|d| d.quarantined == 0));
    hall.check(&[&again]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transient_server_error_is_retried_later() {
    let hall = Hall::open().await;
    let a = hall.tablet("a").await;
    a.visits(10, 12).await;
    let blocker = rusqlite::Connection::open(&hall.server.db).expect("open");
    blocker.execute_batch("BEGIN EXCLUSIVE").expect("lock");
    let report = a.sync().await;
    assert_eq!(report.retry_after_s, Some(1), "{report:?}");
    assert!(
        report
            .error
            .as_deref()
            .is_some_and(|e| e.contains("indisponible"))
    );
    blocker.execute_batch("ROLLBACK").expect("unlock");
    a.sync_until_quiet(2).await;
    hall.check(&[&a]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_tablet_clock_is_flagged_not_refused() {
    let hall = Hall::open().await;
    let a = hall.tablet("a").await;
    a.clock.jump(chrono::Duration::days(-3));
    a.visits(5, 13).await;
    a.clock.jump(chrono::Duration::hours(-2));
    a.visits(5, 14).await;
    let first = a.sync_until_quiet(2).await;
    assert!(first.clock_suspect, "{first:?}");
    assert!(
        first
            .clock_offset_ms
            .is_some_and(|o| o > 3 * 24 * 3600 * 1000 - 60_000)
    );
    a.visits(3, 15).await;
    a.sync_until_quiet(2).await;
    hall.check(&[&a]);
    let conn = rusqlite::Connection::open(&hall.server.db).expect("open");
    let flagged: u64 = conn
        .query_row(
            "SELECT COUNT(*) FROM visit WHERE clock_suspect = 1",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert!(
        flagged >= 3,
        "visits sent after the offset was measured are flagged"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_tablets_push_thousands_of_visits_at_once() {
    let hall = Hall::open().await;
    let (a, b) = (hall.tablet("a").await, hall.tablet("b").await);
    tokio::join!(a.visits(1000, 16), b.visits(1000, 17));
    let (ra, rb) = tokio::join!(a.sync(), b.sync());
    assert!(ra.error.is_none() && rb.error.is_none(), "{ra:?} {rb:?}");
    hall.check(&[&a, &b]);
    let (visits, _) = server_store(&hall.server.db)
        .counts(MairieId::FIRST)
        .expect("counts");
    assert_eq!(visits, 2000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ten_thousand_visit_backlog_after_a_week_offline() {
    let hall = Hall::open().await;
    let a = hall.tablet("a").await;
    {
        let mut store = a.store.lock().await;
        volant_core::demo::walk_visits(&mut store, 10_000, 6, a.clock.now(), 18).expect("week");
    }
    let report = a.sync().await;
    assert!(report.error.is_none() && report.pending == 0, "{report:?}");
    hall.check(&[&a]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_tablet_keeps_its_queue_and_says_so() {
    let hall = Hall::open().await;
    let a = hall.tablet("a").await;
    a.visits(5, 19).await;
    a.sync_until_quiet(2).await;
    let id = server_store(&hall.server.db)
        .devices(MairieId::FIRST)
        .expect("devices")[0]
        .id
        .clone();
    server_store(&hall.server.db)
        .revoke(MairieId::FIRST, &id, chrono::Utc::now())
        .expect("revoke");
    a.visits(5, 20).await;
    let pending = a.store.lock().await.pending_count().expect("pending");
    let report = a.sync().await;
    assert!(
        report
            .error
            .as_deref()
            .is_some_and(|e| e.contains("révoquée")),
        "{report:?}"
    );
    assert_eq!(report.pending, pending, "nothing dropped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_batch_is_halved_until_it_fits() {
    let dir = tempfile::tempdir().expect("dir");
    let limits = volant_protocol::Limits {
        max_body_bytes: 64 * 1024,
        ..volant_server::DEFAULT_LIMITS
    };
    let server = TestServer::start_with(&dir.path().join("server.sqlite3"), limits).await;
    let a = Tablet::new(dir.path(), "a");
    a.enroll(&server.endpoint.invite(&server.db, DeviceKind::Agent))
        .await;
    a.visits(100, 21).await;
    let report = a.sync().await;
    assert!(report.error.is_none() && report.pending == 0, "{report:?}");
    if let Err(e) = exactly_once(&server.db, &[&a.path]) {
        panic!("{e}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_catalogue_pull_resumes_from_its_cursor() {
    let hall = Hall::open_with(volant_protocol::Limits {
        max_page_items: 40,
        ..volant_server::DEFAULT_LIMITS
    })
    .await;
    let a = hall.tablet("a").await;
    a.sync_until_quiet(2).await;
    let mut server = server_store(&hall.server.db);
    let mut catalogue = server.catalogue(MairieId::FIRST).expect("catalogue");
    for d in &mut catalogue.demarches {
        d.notes = Some(format!("Mise à jour : {}", d.title));
    }
    catalogue.demarches[0].title =
        "Acte de naissance : copie intégrale ou extrait (nouveau)".into();
    server
        .import_catalogue(MairieId::FIRST, &catalogue)
        .expect("edit");
    // The answers flow on one connection: cut it inside the second page.
    hall.proxy.inject(Fault::CutResponseAfter(60_000));
    let cut = a.sync().await;
    assert!(cut.error.is_some(), "{cut:?}");
    let state = a.store.lock().await.sync_state().expect("state");
    let latest = server.catalogue_version(MairieId::FIRST).expect("version");
    assert!(
        state.catalogue_cursor > 0 && state.catalogue_cursor < latest,
        "a page was applied with its cursor: {}",
        state.catalogue_cursor
    );
    let report = a.sync_until_quiet(2).await;
    assert!(!report.resynced);
    let store = a.store.lock().await;
    assert_eq!(
        store.catalogue().expect("catalogue").demarches,
        server
            .catalogue(MairieId::FIRST)
            .expect("catalogue")
            .demarches
    );
    let hits = store.search("acte naissance nouveau", 3).expect("search");
    assert!(hits[0].title.ends_with("(nouveau)"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_catalogue_epoch_reset_reloads_everything_and_repushes_what_was_kept() {
    let mut hall = Hall::open().await;
    let a = hall.tablet("a").await;
    a.visits(10, 22).await;
    a.sync_until_quiet(2).await;
    let mut catalogue = server_store(&hall.server.db)
        .catalogue(MairieId::FIRST)
        .expect("catalogue");
    let gone = catalogue.demarches.remove(5).id;
    server_store(&hall.server.db)
        .import_catalogue(MairieId::FIRST, &catalogue)
        .expect("edit");
    server_store(&hall.server.db)
        .rotate_epoch()
        .expect("rotate");
    hall.restart().await;
    let report = a.sync_until_quiet(2).await;
    assert!(report.resynced, "{report:?}");
    assert!(
        report.duplicates > 0,
        "retained rows were pushed again and recognised"
    );
    let store = a.store.lock().await;
    assert!(
        store
            .catalogue()
            .expect("catalogue")
            .demarches
            .iter()
            .all(|d| d.id != gone)
    );
    drop(store);
    hall.check(&[&a]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_reports_what_it_did() {
    let hall = Hall::open().await;
    let a = hall.tablet("a").await;
    a.visits(12, 23).await;
    let pending = a.store.lock().await.pending_count().expect("pending") as usize;
    let report = sync_once(&a.store, &a.clock).await.expect("sync");
    assert_eq!(
        (report.pushed, report.acknowledged, report.pending),
        (pending, pending, 0)
    );
    assert!(
        report.resynced,
        "the first pull loads the server's catalogue whole"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_background_loop_retries_while_anything_is_pending() {
    let hall = Hall::open().await;
    let a = std::sync::Arc::new(hall.tablet("a").await);
    a.visits(8, 24).await;
    for _ in 0..3 {
        hall.proxy.inject(Fault::Reset);
    }
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let wake = std::sync::Arc::new(tokio::sync::Notify::new());
    let looping = tokio::spawn({
        let (a, wake) = (std::sync::Arc::clone(&a), std::sync::Arc::clone(&wake));
        async move {
            volant_core::sync::run_until(
                &a.store,
                &a.clock,
                &wake,
                Duration::from_secs(3600),
                async {
                    let _ = stopped.await;
                },
            )
            .await;
        }
    });
    let mut delivered = false;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if a.store.lock().await.sync_status().expect("status").pending == 0 {
            delivered = true;
            break;
        }
    }
    assert!(
        delivered,
        "the loop kept retrying after the network came back"
    );
    a.visits(2, 25).await;
    wake.notify_one();
    let mut woken = false;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if a.store.lock().await.pending_count().expect("pending") == 0 {
            woken = true;
            break;
        }
    }
    assert!(woken, "a new record wakes the loop up");
    let _ = stop.send(());
    looping.await.expect("loop stops");
    hall.check(&[&a]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cursor_older_than_the_compacted_tombstones_reloads_the_catalogue() {
    let hall = Hall::open().await;
    let a = hall.tablet("a").await;
    a.sync_until_quiet(2).await;
    let mut server = server_store(&hall.server.db);
    let mut catalogue = server.catalogue(MairieId::FIRST).expect("catalogue");
    let gone = catalogue.demarches.remove(0).id;
    server
        .import_catalogue(MairieId::FIRST, &catalogue)
        .expect("delete");
    server.compact_tombstones(MairieId::FIRST).expect("compact");
    let report = a.sync_until_quiet(2).await;
    assert!(report.resynced, "{report:?}");
    let local = a.store.lock().await.catalogue().expect("catalogue");
    assert!(local.demarches.iter().all(|d| d.id != gone));
    assert_eq!(local.demarches.len(), catalogue.demarches.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_enrols_syncs_and_reports() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("server.sqlite3");
    let port = free_port();
    let server = ServerProcess::start(&db, port).await;
    let tablet = dir.path().join("tablet.sqlite3");
    let volant = |args: &[&str]| {
        std::process::Command::new(volant_tests::server::binary("volant"))
            .arg("--db")
            .arg(&tablet)
            .args(args)
            .output()
            .expect("run volant")
    };
    let offline = volant(&["sync"]);
    assert!(!offline.status.success(), "not enrolled yet");
    assert!(String::from_utf8_lossy(&offline.stderr).contains("non enrôlée"));
    let url = format!("https://127.0.0.1:{port}");
    let enrolled = volant(&["enroll", &server.endpoint.invite(&db, DeviceKind::Agent)]);
    assert!(
        enrolled.status.success(),
        "{}",
        String::from_utf8_lossy(&enrolled.stderr)
    );
    assert!(String::from_utf8_lossy(&enrolled.stdout).contains("lettre A"));
    assert!(
        volant(&["demo", "visits", "--count", "20"])
            .status
            .success()
    );
    let synced = volant(&["sync", "--json"]);
    assert!(
        synced.status.success(),
        "{}",
        String::from_utf8_lossy(&synced.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&synced.stdout).expect("json report");
    assert_eq!(report["pending"], 0);
    assert_eq!(report["pushed"], report["acknowledged"]);
    assert!(report["pushed"].as_u64().is_some_and(|n| n >= 20));
    let status = String::from_utf8_lossy(&volant(&["status"]).stdout).into_owned();
    assert!(
        status.contains(&url) && status.contains("Envois en attente : 0"),
        "{status}"
    );
}
