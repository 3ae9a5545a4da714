//! Sync benchmarks against the real server on 127.0.0.1, each beside its
//! floor measured in the same run:
//! - a 10,000-visit backlog pushed from connect to nothing pending, beside the
//!   server's bare SQLite insert of the same rows;
//! - the initial pull of a catalogue of more than 5,000 items into an empty
//!   tablet, search index included, beside the tablet's local load of the
//!   same catalogue;
//! - 20 tablets pushing at once: server throughput in mutations/s.
//!
//! Run: `cargo bench -p volant-tests --bench sync`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use volant_core::sync::sync_once;
use volant_protocol::DeviceKind;
use volant_server::store::MairieId;
use volant_tests::Tablet;
use volant_tests::server::{TestServer, server_store};

fn reference_path() -> PathBuf {
    std::env::var_os("VOLANT_REFERENCE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../reference/service-public-fiches-particuliers.jsonl")
        })
}

async fn enrolled(dir: &Path, server: &TestServer, name: &str) -> Tablet {
    let t = Tablet::new(dir, name);
    t.enroll(&server.endpoint.invite(&server.db, DeviceKind::Agent))
        .await;
    t.sync().await;
    t
}

async fn backlog(dir: &Path) -> Result<f64, String> {
    let server = TestServer::start(&dir.join("backlog-server.sqlite3")).await;
    let tablet = enrolled(dir, &server, "backlog").await;
    {
        let mut store = tablet.store.lock().await;
        volant_core::demo::walk_visits(&mut store, 10_000, 6, chrono::Utc::now(), 1)
            .map_err(|e| e.to_string())?;
    }
    let rows = tablet
        .store
        .lock()
        .await
        .pending_mutations(u32::MAX)
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let report = sync_once(&tablet.store, &tablet.clock)
        .await
        .map_err(|e| e.to_string())?;
    let push = started.elapsed();
    if report.pending != 0 || report.error.is_some() {
        return Err(format!("backlog not delivered: {report:?}"));
    }
    let floor = volant_tests::floor::sqlite_insert(&dir.join("bare.sqlite3"), &rows)?;
    println!(
        "10,000-visit backlog ({} mutations) pushed over loopback: {:>7.0} ms  ({:.0} mutations/s)",
        rows.len(),
        push.as_secs_f64() * 1e3,
        rows.len() as f64 / push.as_secs_f64()
    );
    println!(
        "  floor: the server's bare SQLite insert of the same rows:  {:>7.0} ms  (ratio {:.1}x; target <= 1000 ms)",
        floor.as_secs_f64() * 1e3,
        push.as_secs_f64() / floor.as_secs_f64()
    );
    server.stop().await;
    Ok(rows.len() as f64 / floor.as_secs_f64())
}

async fn initial_pull(dir: &Path) -> Result<(), String> {
    let path = reference_path();
    let reference =
        std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let server = TestServer::start(&dir.join("pull-server.sqlite3")).await;
    let mut store = server_store(&server.db);
    let large = volant_core::demo::large_catalogue(
        store
            .catalogue(MairieId::FIRST)
            .map_err(|e| e.to_string())?,
        &reference,
    )?;
    store
        .import_catalogue(MairieId::FIRST, &large)
        .map_err(|e| e.to_string())?;
    let tablet = Tablet::new(dir, "pull");
    tablet
        .enroll(&server.endpoint.invite(&server.db, DeviceKind::Agent))
        .await;
    let started = Instant::now();
    let report = sync_once(&tablet.store, &tablet.clock)
        .await
        .map_err(|e| e.to_string())?;
    let pull = started.elapsed();
    if report.error.is_some() || !report.resynced {
        return Err(format!("pull failed: {report:?}"));
    }
    let items = large.services.len() + large.demarches.len();
    let local = Tablet::new(dir, "local");
    let started = Instant::now();
    local
        .store
        .lock()
        .await
        .replace_catalogue(&large)
        .map_err(|e| e.to_string())?;
    let floor = started.elapsed();
    println!(
        "initial pull of a {items}-item catalogue, index included:     {:>7.0} ms  (target <= 500 ms)",
        pull.as_secs_f64() * 1e3
    );
    println!(
        "  floor: the tablet's local load of the same catalogue:    {:>7.0} ms  (ratio {:.1}x)",
        floor.as_secs_f64() * 1e3,
        pull.as_secs_f64() / floor.as_secs_f64()
    );
    server.stop().await;
    Ok(())
}

async fn twenty_tablets(dir: &Path, floor_rate: f64) -> Result<(), String> {
    let server = TestServer::start(&dir.join("twenty-server.sqlite3")).await;
    let mut tablets = Vec::new();
    for i in 0..20 {
        let t = enrolled(dir, &server, &format!("t{i}")).await;
        {
            let mut store = t.store.lock().await;
            volant_core::demo::walk_visits(&mut store, 100, 1, chrono::Utc::now(), i)
                .map_err(|e| e.to_string())?;
        }
        tablets.push(std::sync::Arc::new(t));
    }
    let mut total = 0;
    for t in &tablets {
        total += t
            .store
            .lock()
            .await
            .pending_count()
            .map_err(|e| e.to_string())?;
    }
    let started = Instant::now();
    let handles: Vec<_> = tablets
        .iter()
        .map(|t| {
            let t = std::sync::Arc::clone(t);
            tokio::spawn(async move {
                sync_once(&t.store, &t.clock)
                    .await
                    .map_err(|e| e.to_string())
            })
        })
        .collect();
    let mut reports = Vec::new();
    for h in handles {
        reports.push(h.await.map_err(|e| e.to_string())?);
    }
    let wall = started.elapsed();
    if let Some(bad) = reports.iter().find(|r| {
        r.as_ref()
            .map_or(true, |r| r.pending != 0 || r.error.is_some())
    }) {
        return Err(format!("a tablet did not deliver: {bad:?}"));
    }
    println!(
        "20 tablets pushing at once ({total} mutations):               {:>7.0} mutations/s  (target >= 5,000/s)",
        total as f64 / wall.as_secs_f64()
    );
    println!("  floor: bare insert rate of the backlog above:            {floor_rate:>7.0} rows/s");
    server.stop().await;
    Ok(())
}

fn main() -> Result<(), String> {
    let runtime = volant_tests::bench_runtime()?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let floor_rate = backlog(dir.path()).await?;
        initial_pull(dir.path()).await?;
        twenty_tablets(dir.path(), floor_rate).await
    })
}
