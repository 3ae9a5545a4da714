//! The city deployment end to end: two `volant-server` processes on one
//! PostgreSQL, behind HAProxy, are one service. Two mairies' tablets push
//! through the balancer while an instance is killed with `kill -9` and
//! PostgreSQL restarts, and every visit arrives exactly once, in its mairie; the same push sent to both
//! instances at once is stored once; each mairie's catalogue versions stay
//! gap-free when several stores (as several instances hold) write in two
//! mairies at once; a counter on one instance sees a ticket pushed through the
//! other, and a display on one announces a call made on the other; a
//! mairie's SQLite server moves into a mairie of the city's PostgreSQL
//! (`volant-server mairie add`, `migrate --mairie`) and its tablets sync on
//! without re-enrolling.
//!
//! Run inside `scripts/with-postgres.sh` after `cargo build -p volant-server`:
//! `cargo test -p volant-tests --features city --test city`.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use volant_protocol::{DeviceKind, PROTOCOL_HEADER};
use volant_server::store::{Database, MairieId, Post};
use volant_tests::city::{
    Certificate, Instance, code, code_in, count, fresh_database, restart_postgres,
    two_behind_a_balancer, with_store,
};
use volant_tests::server::{Endpoint, counter_act, screen_enroll};
use volant_tests::{Tablet, exactly_once_on};

/// Syncs until nothing is pending, riding out a lost instance or database;
/// returns how many syncs met an error on the way.
async fn sync_until_quiet(tablet: &Tablet) -> usize {
    let mut errors = 0;
    for _ in 0..150 {
        let report = tablet.sync().await;
        if report.error.is_none() && report.pending == 0 {
            return errors;
        }
        errors += usize::from(report.error.is_some());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{} still has changes pending", tablet.path.display());
}

/// Every tablet syncing until quiet, at once.
fn sync_all(hall: &[Arc<Tablet>]) -> Vec<tokio::task::JoinHandle<usize>> {
    hall.iter()
        .map(|t| {
            let t = Arc::clone(t);
            tokio::spawn(async move { sync_until_quiet(&t).await })
        })
        .collect()
}

/// Waits for every sync; how many met an error on the way.
async fn errors_met(syncing: Vec<tokio::task::JoinHandle<usize>>) -> usize {
    let mut errors = 0;
    for s in syncing {
        errors += s.await.unwrap_or_else(|e| panic!("{e}"));
    }
    errors
}

/// Changes the tablets have still to push.
async fn pending(hall: &[Arc<Tablet>]) -> u64 {
    let mut total = 0;
    for t in hall {
        total += t
            .store
            .lock()
            .await
            .pending_count()
            .unwrap_or_else(|e| panic!("{e}"));
    }
    total
}

/// Waits until the server holds more than `past` changes; how many it holds.
async fn first_arrivals(db: &Database, past: u64) -> u64 {
    loop {
        let stored = count(db, "SELECT COUNT(*) FROM inbox");
        if stored > past {
            return stored;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Agent tablets enrolled through `endpoint`, in `mairies` in turn.
async fn tablets(
    dir: &std::path::Path,
    db: &Database,
    endpoint: &Endpoint,
    n: usize,
    mairies: &[MairieId],
) -> Vec<Arc<Tablet>> {
    let mut out = Vec::new();
    for i in 0..n {
        let tablet = Tablet::new(dir, &format!("tablette-{i}"));
        let mairie = mairies[i % mairies.len()];
        let invitation =
            endpoint.invitation(&code_in(db, mairie, DeviceKind::Agent, &Post::default()));
        tablet.enroll(&invitation).await;
        out.push(Arc::new(tablet));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tablets_behind_the_balancer_lose_nothing_when_an_instance_is_killed_and_postgres_restarts()
{
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = fresh_database();
    let certificate = Certificate::new(dir.path());
    let (a, b, balancer) = two_behind_a_balancer(dir.path(), &db, &certificate).await;
    // Two mairies' tablets, through the same instances.
    let second = with_store(&db, |s| {
        s.add_mairie("Mairie du 20e", None, chrono::Utc::now())
            .unwrap_or_else(|e| panic!("{e}"))
            .id
    });
    let hall = tablets(
        dir.path(),
        &db,
        &balancer.endpoint,
        8,
        &[MairieId::FIRST, second],
    )
    .await;
    for (seed, tablet) in hall.iter().enumerate() {
        tablet.visits(25, seed as u64 + 1).await;
    }

    // Everyone syncs while instance A is killed mid-push and comes back.
    let syncing = sync_all(&hall);
    let total = pending(&hall).await;
    let at_kill = first_arrivals(&db, 0).await;
    let a = a.kill_and_restart().await;
    assert!(
        at_kill < total,
        "the kill lands mid-push ({at_kill} of {total} stored)"
    );
    let errors = errors_met(syncing).await;
    eprintln!("syncs that met the killed instance: {errors}");

    // More visits; PostgreSQL restarts while they are pushed.
    for (seed, tablet) in hall.iter().enumerate() {
        tablet.visits(15, seed as u64 + 100).await;
    }
    let before = count(&db, "SELECT COUNT(*) FROM inbox");
    let syncing = sync_all(&hall);
    let total = before + pending(&hall).await;
    let at_restart = first_arrivals(&db, before).await;
    assert!(
        at_restart < total,
        "the restart lands mid-push ({at_restart} of {total} stored)"
    );
    tokio::task::spawn_blocking(restart_postgres)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let errors = errors_met(syncing).await;
    eprintln!("syncs that met the restarting database: {errors}");

    let paths: Vec<&std::path::Path> = hall.iter().map(|t| t.path.as_path()).collect();
    if let Err(e) = tokio::task::block_in_place(|| exactly_once_on(&db, &paths)) {
        panic!("{e}");
    }
    for mairie in [MairieId::FIRST, second] {
        assert_eq!(
            count(
                &db,
                &format!("SELECT COUNT(*) FROM visit WHERE mairie_id = {}", mairie.0)
            ),
            4 * 40,
            "mairie {mairie}"
        );
    }
    assert!(
        a.is_ready().await && b.is_ready().await,
        "both instances serve again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_push_reaching_both_instances_at_once_is_stored_once() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = fresh_database();
    let certificate = Certificate::new(dir.path());
    let a = Instance::start(&db, &certificate, "https://127.0.0.1:1").await;
    let b = Instance::start(&db, &certificate, "https://127.0.0.1:1").await;
    let tablet = &tablets(dir.path(), &db, &a.endpoint, 1, &[MairieId::FIRST]).await[0];
    tablet.visits(10, 7).await;
    let (install_id, mutations, token) = tablet.outbox().await;
    let body = json!({"install_id": install_id, "mutations": mutations});
    let push = |endpoint: &Endpoint| {
        endpoint
            .http
            .post(format!("{}/v1/push", endpoint.base))
            .header(PROTOCOL_HEADER, "1")
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    for _ in 0..5 {
        let (first, second) = tokio::join!(push(&a.endpoint), push(&b.endpoint));
        let first: Value = first
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_default();
        let second: Value = second
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_default();
        assert_eq!(first["receipts"], second["receipts"], "{first} {second}");
    }
    let mutations = body["mutations"].as_array().map_or(0, Vec::len) as u64;
    assert_eq!(count(&db, "SELECT COUNT(*) FROM inbox"), mutations);
    assert_eq!(
        count(&db, "SELECT COUNT(DISTINCT mutation_id) FROM inbox"),
        mutations
    );
    assert_eq!(count(&db, "SELECT MAX(received) FROM device"), mutations);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn catalogue_versions_stay_gap_free_per_mairie_when_stores_write_at_once() {
    let db = fresh_database();
    let (mairies, before) = with_store(&db, |s| {
        let second = s
            .add_mairie("Mairie du 20e", None, chrono::Utc::now())
            .unwrap_or_else(|e| panic!("{e}"))
            .id;
        let mairies = [MairieId::FIRST, second];
        let before = mairies.map(|m| s.catalogue_version(m).unwrap_or_else(|e| panic!("{e}")));
        (mairies, before)
    });
    // Two writers per mairie, all at once.
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (db, mairie) = (db.clone(), mairies[w % 2]);
            std::thread::spawn(move || {
                with_store(&db, |s| {
                    let mut writes = 0;
                    for round in 0..5 {
                        let mut catalogue = s.catalogue(mairie).unwrap_or_else(|e| panic!("{e}"));
                        for d in catalogue.demarches.iter_mut().take(3) {
                            d.title = format!("{} ({w}-{round})", d.title);
                        }
                        let write = s
                            .import_catalogue(mairie, &catalogue)
                            .unwrap_or_else(|e| panic!("{e}"));
                        writes += write.written + write.deleted;
                    }
                    (mairie, writes)
                })
            })
        })
        .collect();
    let written: Vec<(MairieId, usize)> = writers
        .into_iter()
        .map(|w| w.join().unwrap_or_else(|_| panic!("writer")))
        .collect();
    for (i, mairie) in mairies.iter().enumerate() {
        let writes: usize = written
            .iter()
            .filter(|(m, _)| m == mairie)
            .map(|(_, n)| n)
            .sum();
        assert!(writes >= 2 * 5 * 3, "{writes}");
        let after = with_store(&db, |s| {
            s.catalogue_version(*mairie)
                .unwrap_or_else(|e| panic!("{e}"))
        });
        assert_eq!(
            after - before[i],
            writes as u64,
            "one version per record written in mairie {mairie}"
        );
        // Every write took its mairie's next version: none shared (unique per
        // mairie, a clash would have failed a writer), none skipped.
        let last = count(
            &db,
            &format!(
                "SELECT MAX(version) FROM catalogue_item WHERE mairie_id = {}",
                mairie.0
            ),
        );
        assert_eq!(last, after);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_counter_on_one_instance_sees_a_ticket_pushed_through_the_other_and_a_display_there_announces_its_call()
 {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = fresh_database();
    let certificate = Certificate::new(dir.path());
    let a = Instance::start(&db, &certificate, "https://127.0.0.1:1").await;
    let b = Instance::start(&db, &certificate, "https://127.0.0.1:1").await;
    let post = Post {
        service: Some("etat-civil".into()),
        label: Some("Guichet 1".into()),
        services: vec![],
    };
    let counter = screen_enroll(&a.endpoint, &code(&db, DeviceKind::Counter, &post)).await;
    let room = Post {
        service: None,
        label: Some("Salle d'attente".into()),
        services: vec!["etat-civil".into()],
    };
    let display = screen_enroll(&b.endpoint, &code(&db, DeviceKind::Display, &room)).await;
    let mut rings = b
        .endpoint
        .http
        .get(format!("{}/v1/events", b.endpoint.base))
        .bearer_auth(&display)
        .send()
        .await
        .unwrap_or_else(|e| panic!("events: {e}"));
    let mut heard = String::new();
    let mut next_ring = async || -> u64 {
        loop {
            if let Some(end) = heard.find("\n\n") {
                let block: String = heard.drain(..end + 2).collect();
                if let Some(id) = block.lines().find_map(|l| l.strip_prefix("id:")) {
                    return id.trim().parse().unwrap_or_default();
                }
                continue;
            }
            let chunk = tokio::time::timeout(Duration::from_secs(5), rings.chunk())
                .await
                .unwrap_or_else(|_| panic!("a ring within 5 s"))
                .unwrap_or_else(|e| panic!("{e}"))
                .unwrap_or_else(|| panic!("stream closed"));
            heard.push_str(&String::from_utf8_lossy(&chunk));
        }
    };
    assert_eq!(
        next_ring().await,
        0,
        "the stream starts with the state's event"
    );

    // A ticket pushed through B waits at A's counter; B's display heard it.
    let tablet = &tablets(dir.path(), &db, &b.endpoint, 1, &[MairieId::FIRST]).await[0];
    tablet.issue_ticket().await;
    sync_until_quiet(tablet).await;
    let issued = next_ring().await;
    assert!(issued > 0);
    let queue: Value = a
        .endpoint
        .http
        .get(format!("{}/v1/counter/queue", a.endpoint.base))
        .header(PROTOCOL_HEADER, "1")
        .bearer_auth(&counter)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        queue["waiting"].as_array().map(Vec::len),
        Some(1),
        "{queue}"
    );

    // The counter on A calls it: the display on B rings with that event.
    let called = counter_act(&a.endpoint, &counter, json!({"type": "call_next"})).await;
    assert_eq!(Some(next_ring().await), called["event"].as_u64());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mairie_moves_from_its_sqlite_file_to_postgres_and_its_tablets_sync_on_without_reenrolling()
 {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let certificate = Certificate::new(dir.path());
    let file = dir.path().join("mairie.sqlite3");
    let sqlite = Database::Sqlite(file.clone());
    let server = Instance::start(&sqlite, &certificate, "https://127.0.0.1:1").await;
    let port = server.port();
    let hall = tablets(dir.path(), &sqlite, &server.endpoint, 2, &[MairieId::FIRST]).await;
    for (seed, tablet) in hall.iter().enumerate() {
        tablet.visits(10, seed as u64 + 40).await;
        tablet.issue_ticket().await;
        sync_until_quiet(tablet).await;
    }
    let post = Post {
        service: Some("etat-civil".into()),
        label: Some("Guichet 1".into()),
        services: vec![],
    };
    let counter = screen_enroll(&server.endpoint, &code(&sqlite, DeviceKind::Counter, &post)).await;
    let first_call = counter_act(&server.endpoint, &counter, json!({"type": "call_next"})).await;
    server.kill();

    // Into a mairie of the city that already has devices: refused, untouched.
    let city = fresh_database();
    code(&city, DeviceKind::Agent, &Post::default());
    let refused = migrate(&file, &city, 1);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("contient déjà des données"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );

    // Into a new mairie of the city (`mairie add` prints its number).
    let added = admin(&city, &["mairie", "add", "--name", "Mairie du 20e"]);
    assert!(added.status.success(), "{added:?}");
    let mairie: i64 = String::from_utf8_lossy(&added.stdout)
        .trim()
        .parse()
        .unwrap_or_else(|e| panic!("{e}: {added:?}"));
    assert_eq!(mairie, 2);
    let moved = migrate(&file, &city, mairie);
    let report = String::from_utf8_lossy(&moved.stdout);
    assert!(
        moved.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&moved.stderr)
    );
    let Database::Postgres(url) = &city else {
        panic!("PostgreSQL");
    };
    for table in ["device", "inbox", "visit", "ticket_event", "catalogue_item"] {
        let in_file = volant_tests::city::sqlite_count(&file, table);
        assert_eq!(
            count(
                &city,
                &format!("SELECT COUNT(*) FROM {table} WHERE mairie_id = {mairie}")
            ),
            in_file,
            "{table}"
        );
        assert!(
            report
                .lines()
                .any(|l| l.starts_with(table) && l.contains(&format!(" {in_file} lignes"))),
            "{table} in {report}"
        );
    }
    assert!(!url.is_empty());

    // The same address and certificate, now on PostgreSQL: the tablets go on.
    let server = Instance::start_on(&city, &certificate, "https://127.0.0.1:1", port).await;
    for (seed, tablet) in hall.iter().enumerate() {
        tablet.visits(5, seed as u64 + 80).await;
        sync_until_quiet(tablet).await;
    }
    let paths: Vec<&std::path::Path> = hall.iter().map(|t| t.path.as_path()).collect();
    if let Err(e) = tokio::task::block_in_place(|| exactly_once_on(&city, &paths)) {
        panic!("{e}");
    }
    // The counter keeps its credential; its events number on from the file's.
    let served = counter_act(
        &server.endpoint,
        &counter,
        json!({"type": "served", "outcome": "done"}),
    )
    .await;
    assert!(
        served["event"].as_u64() > first_call["event"].as_u64(),
        "{served}"
    );
    let again = migrate(&file, &city, mairie);
    assert!(
        !again.status.success(),
        "a second move into the same mairie is refused"
    );
    let list = admin(&city, &["mairie", "list"]);
    let list = String::from_utf8_lossy(&list.stdout);
    assert!(
        list.contains("Mairie du 20e") && list.contains("Mairie du 19e arrondissement de Paris"),
        "{list}"
    );
}

/// `volant-server --db URL ARGS…`.
fn admin(db: &Database, args: &[&str]) -> std::process::Output {
    let Database::Postgres(url) = db else {
        panic!("PostgreSQL");
    };
    std::process::Command::new(volant_tests::server::binary("volant-server"))
        .args(["--db", url])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("volant-server: {e}"))
}

/// `volant-server migrate --from FILE --to URL --mairie N`.
fn migrate(file: &std::path::Path, to: &Database, mairie: i64) -> std::process::Output {
    let Database::Postgres(url) = to else {
        panic!("PostgreSQL");
    };
    std::process::Command::new(volant_tests::server::binary("volant-server"))
        .args(["migrate", "--from"])
        .arg(file)
        .args(["--to", url, "--mairie", &mairie.to_string()])
        .output()
        .unwrap_or_else(|e| panic!("migrate: {e}"))
}

#[test]
fn a_postgres_database_of_one_mairie_upgrades_into_mairie_one_with_its_epoch_and_its_rows() {
    let db = fresh_database();
    let Database::Postgres(url) = &db else {
        panic!("PostgreSQL");
    };
    let epoch = "01900000-0000-7000-8000-000000000002";
    // The database as the first PostgreSQL release left it: migration 1 and its rows.
    let before = format!(
        r#"CREATE TABLE schema_migration (version BIGINT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now());
           INSERT INTO schema_migration (version) VALUES (1);
           {}
           INSERT INTO meta (key, value) VALUES ('epoch', '{epoch}'),
               ('created_at', '2026-01-05T08:00:00+00:00'), ('catalogue_floor', '7'),
               ('catalogue_meta', '{{"mairie":"Mairie du 19e arrondissement de Paris","edition":"e","credits":[]}}');
           INSERT INTO device (id, name, kind, token_hash, install_id, tablet_letter, enrolled_at)
               VALUES ('d1', 'Tablette hall', 'agent', 'h1', 'i1', 'A', '2026-01-05T08:00:00+00:00');
           INSERT INTO ticket VALUES ('2026-01-06', 'EA001', 'v1', 'etat-civil', '2026-01-06T09:00:00Z');
           INSERT INTO catalogue_item VALUES ('service', 'etat-civil', 9, '{{}}');"#,
        include_str!("../../schema/server-postgres/0001_server.sql")
    );
    volant_tests::city::off_runtime(|| {
        postgres::Client::connect(url, postgres::NoTls)
            .and_then(|mut c| c.batch_execute(&before))
            .unwrap_or_else(|e| panic!("version 1: {e}"))
    });
    with_store(&db, |s| {
        let mairies = s.mairies().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            mairies
                .iter()
                .map(|m| (m.id, m.name.as_str(), m.epoch.as_str(), m.catalogue_floor))
                .collect::<Vec<_>>(),
            vec![(
                MairieId::FIRST,
                "Mairie du 19e arrondissement de Paris",
                epoch,
                7
            )]
        );
        assert_eq!(s.devices(MairieId::FIRST).map(|d| d.len()).ok(), Some(1));
        assert_eq!(s.counts(MairieId::FIRST).ok(), Some((0, 1)));
        assert_eq!(s.catalogue_version(MairieId::FIRST).ok(), Some(9));
        // The next mairie takes the next number.
        let next = s
            .add_mairie("Mairie du 20e", None, chrono::Utc::now())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(next.id, MairieId(2));
    });
}
