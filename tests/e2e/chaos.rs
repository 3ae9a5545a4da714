//! A randomized test: per seed, two tablets and one server interleave
//! writes, syncs, cut connections, lost answers, server kills and restarts,
//! tablet crashes mid-sync, clock jumps and catalogue edits; then, once the
//! network is quiet, every change must be on the server exactly once, nothing
//! pending, and no ticket code given twice.
//!
//! `VOLANT_CHAOS_SEEDS` (default 200) and `VOLANT_CHAOS_FIRST_SEED` (default 0)
//! choose the seeds; a failing seed is printed with the command to replay it.

use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use volant_protocol::DeviceKind;
use volant_server::store::MairieId;
use volant_tests::proxy::{Fault, Proxy};
use volant_tests::server::{TestServer, server_store};
use volant_tests::{Tablet, exactly_once};

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn run_seed(seed: u64) -> Result<Vec<String>, String> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut log = Vec::new();
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let db = dir.path().join("server.sqlite3");
    let mut server = TestServer::start(&db).await;
    let proxies = [
        Proxy::start(server.addr, &db).await,
        Proxy::start(server.addr, &db).await,
    ];
    let mut tablets = Vec::new();
    for (i, proxy) in proxies.iter().enumerate() {
        let t = Tablet::new(dir.path(), &format!("tablet-{i}"));
        t.enroll(&proxy.endpoint.invite(&db, DeviceKind::Agent))
            .await;
        tablets.push(t);
    }
    let steps = rng.random_range(10..25);
    for step in 0..steps {
        let i = rng.random_range(0..2);
        let op = rng.random_range(0..100);
        log.push(format!("{step}: op {op} on tablet {i}"));
        match op {
            0..30 => {
                tablets[i]
                    .visits(rng.random_range(1..6), rng.random())
                    .await
            }
            30..50 => {
                tablets[i].sync().await;
            }
            50..57 => proxies[i].inject(Fault::CutRequestAfter(rng.random_range(50..4000))),
            57..64 => proxies[i].inject(Fault::CutResponseAfter(rng.random_range(0..3000))),
            64..67 => proxies[i].inject(Fault::Reset),
            67..72 => {
                let old = std::mem::replace(&mut server, TestServer::start(&db).await);
                old.stop().await;
                proxies.iter().for_each(|p| p.retarget(server.addr));
            }
            72..76 => {
                // Killed: in-flight requests are dropped wherever they are.
                let syncing = tokio::spawn({
                    let path = tablets[i].path.clone();
                    async move {
                        let t = Tablet::open(&path);
                        t.sync().await;
                    }
                });
                tokio::time::sleep(Duration::from_millis(rng.random_range(0..20))).await;
                let old = std::mem::replace(&mut server, TestServer::start(&db).await);
                old.abort();
                proxies.iter().for_each(|p| p.retarget(server.addr));
                let _ = syncing.await;
            }
            76..82 => {
                // The tablet crashes mid-sync and restarts on its file.
                let _ = tokio::time::timeout(
                    Duration::from_millis(rng.random_range(1..40)),
                    tablets[i].sync(),
                )
                .await;
                let path = tablets[i].path.clone();
                tablets[i] = Tablet::open(&path);
            }
            82..88 => {
                let minutes = rng.random_range(-4000..4000);
                tablets[i].clock.jump(chrono::Duration::minutes(minutes));
            }
            88..95 => {
                let (a, b) = tablets.split_at(1);
                tokio::join!(a[0].sync(), b[0].sync());
            }
            _ => {
                let mut store = server_store(&db);
                let mut catalogue = store
                    .catalogue(MairieId::FIRST)
                    .map_err(|e| e.to_string())?;
                let k = rng.random_range(0..catalogue.demarches.len());
                catalogue.demarches[k].notes = Some(format!("Note du pas {step}"));
                store
                    .import_catalogue(MairieId::FIRST, &catalogue)
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    proxies.iter().for_each(Proxy::clear);
    for t in &tablets {
        let mut quiet = false;
        for _ in 0..6 {
            let report = t.sync().await;
            if report.error.is_none() && report.pending == 0 {
                quiet = true;
                break;
            }
        }
        if !quiet {
            return Err(format!("a tablet never got quiet\n{}", log.join("\n")));
        }
    }
    let paths: Vec<&std::path::Path> = tablets.iter().map(|t| t.path.as_path()).collect();
    exactly_once(&db, &paths).map_err(|e| format!("{e}\n{}", log.join("\n")))?;
    let by_id = |mut c: volant_core::domain::Catalogue| {
        c.demarches.sort_by(|a, b| a.id.cmp(&b.id));
        c.demarches
    };
    let server_catalogue = by_id(
        server_store(&db)
            .catalogue(MairieId::FIRST)
            .map_err(|e| e.to_string())?,
    );
    for t in &tablets {
        let local = by_id(
            t.store
                .lock()
                .await
                .catalogue()
                .map_err(|e| e.to_string())?,
        );
        if local != server_catalogue {
            return Err(format!(
                "a tablet's catalogue differs from the server's\n{}",
                log.join("\n")
            ));
        }
    }
    server.stop().await;
    Ok(log)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn randomized_faults_still_deliver_every_change_exactly_once() {
    let first = env_or("VOLANT_CHAOS_FIRST_SEED", 0);
    let count = env_or("VOLANT_CHAOS_SEEDS", 200);
    for seed in first..first + count {
        if let Err(e) = run_seed(seed).await {
            panic!(
                "seed {seed} failed: {e}\nreplay with: VOLANT_CHAOS_FIRST_SEED={seed} VOLANT_CHAOS_SEEDS=1 cargo test -p volant-tests --test e2e chaos"
            );
        }
    }
}
