//! The city's push benchmark, each figure beside its floor measured in the
//! same run. First the sync bench's backlog on both databases: one tablet's
//! `BACKLOG` visits pushed by the sync client from connect to nothing pending,
//! to one instance on SQLite, then on PostgreSQL (floors: the bare insert of
//! the same rows in each). Then 20 tablets (one mairie's hall) push a
//! morning's visits at once, every tablet its backlog in pushes of 100
//! changes, as fast as the server answers —
//! - to one instance on SQLite, the embedded default (floor: the bare SQLite
//!   insert of the same rows);
//! - to one instance on PostgreSQL, then to two instances behind HAProxy
//!   (floor: the bare PostgreSQL insert of the same rows from this machine);
//! - then the city's morning: 17 mairies × 20 tablets, each with
//!   `CITY_VISITS` visits, pushing at once through two instances behind
//!   HAProxy (floor: the bare PostgreSQL insert of the same rows); then the
//!   same tablets' next visits in pushes of 30 changes spread evenly over a
//!   minute, for the push latency of a busy morning rather than of a queue.
//!
//! Printed: changes stored per second, the share of the floor's rate (goal
//! ≥ 25 %), and p50/p99 of one push's latency (goal p99 ≤ 250 ms).
//!
//! Run inside `scripts/with-postgres.sh`, after
//! `cargo build --release -p volant-server` (the instances are that binary):
//! `cargo bench -p volant-tests --features city --bench city`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use volant_protocol::{DeviceKind, Mutation, PROTOCOL_HEADER};
use volant_server::store::{Database, MairieId, Post};
use volant_tests::Tablet;
use volant_tests::city::{
    Certificate, Instance, code, fresh_database, two_behind_a_balancer, with_store,
};
use volant_tests::server::Endpoint;

const TABLETS: usize = 20;
const VISITS: usize = 60;
const BATCH: usize = 100;
/// The sync bench's backlog, in visits.
const BACKLOG: usize = 10_000;
/// Paris Centre, then the 5e to the 20e.
const MAIRIES: usize = 17;
/// A morning of one tablet in the city run.
const CITY_VISITS: usize = 20;

/// What one run measured.
struct Run {
    changes: usize,
    wall: Duration,
    latencies: Vec<Duration>,
    /// Pushes sent again after a failed connection.
    retried: usize,
}

impl Run {
    fn rate(&self) -> f64 {
        self.changes as f64 / self.wall.as_secs_f64()
    }

    fn percentile(&self, p: f64) -> f64 {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
        sorted[i].as_secs_f64() * 1e3
    }
}

/// Tablets enrolled through `endpoint`, each with a morning's visits walked.
async fn hall(dir: &std::path::Path, db: &Database, endpoint: &Endpoint) -> Vec<Arc<Tablet>> {
    let mut tablets = Vec::new();
    for i in 0..TABLETS {
        let tablet = Tablet::new(dir, &format!("t{i}-{}", uuid::Uuid::now_v7().simple()));
        tablet
            .enroll(&endpoint.invitation(&code(db, DeviceKind::Agent, &Post::default())))
            .await;
        tablet.visits(VISITS, i as u64 + 1).await;
        tablets.push(Arc::new(tablet));
    }
    tablets
}

/// One tablet's backlog of `BACKLOG` visits pushed by the sync client through
/// `endpoint`, from connect to nothing pending: how long, and its rows.
async fn backlog(
    dir: &std::path::Path,
    db: &Database,
    endpoint: &Endpoint,
) -> Result<(Duration, Vec<Mutation>), String> {
    let tablet = Tablet::new(dir, &format!("backlog-{}", uuid::Uuid::now_v7().simple()));
    tablet
        .enroll(&endpoint.invitation(&code(db, DeviceKind::Agent, &Post::default())))
        .await;
    let rows = {
        let mut store = tablet.store.lock().await;
        volant_core::demo::walk_visits(&mut store, BACKLOG, 6, chrono::Utc::now(), 1)
            .map_err(|e| e.to_string())?;
        store
            .pending_mutations(u32::MAX)
            .map_err(|e| e.to_string())?
    };
    let started = Instant::now();
    let report = volant_core::sync::sync_once(&tablet.store, &tablet.clock)
        .await
        .map_err(|e| e.to_string())?;
    let took = started.elapsed();
    if report.pending != 0 || report.error.is_some() {
        return Err(format!("backlog not delivered: {report:?}"));
    }
    Ok((took, rows))
}

fn report_backlog(label: &str, took: Duration, rows: usize, floor: Duration) {
    println!(
        "{label:<44} {:>7.0} changes/s  ({rows} changes in {:.2} s)",
        rows as f64 / took.as_secs_f64(),
        took.as_secs_f64()
    );
    println!(
        "  floor: bare insert of the same rows        {:>7.0} rows/s     → {:.0} % of the floor",
        rows as f64 / floor.as_secs_f64(),
        100.0 * floor.as_secs_f64() / took.as_secs_f64()
    );
}

/// The city's halls: `MAIRIES` mairies of `TABLETS` tablets each, enrolled
/// through `endpoint`, each tablet with `CITY_VISITS` visits walked.
async fn city_halls(
    dir: &std::path::Path,
    db: &Database,
    endpoint: &Endpoint,
) -> Result<Vec<Arc<Tablet>>, String> {
    let codes: Vec<String> = with_store(db, |s| {
        let mut codes = Vec::new();
        for m in 0..MAIRIES {
            let mairie = if m == 0 {
                MairieId::FIRST
            } else {
                s.add_mairie(&format!("Mairie {m}"), None, chrono::Utc::now())
                    .map_err(|e| e.to_string())?
                    .id
            };
            for _ in 0..TABLETS {
                let made = s
                    .create_enrollment_code(
                        mairie,
                        "Tablette",
                        DeviceKind::Agent,
                        &Post::default(),
                        chrono::Duration::minutes(60),
                        chrono::Utc::now(),
                    )
                    .map_err(|e| e.to_string())?;
                codes.push(made.code);
            }
        }
        Ok::<_, String>(codes)
    })?;
    let mut tablets = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        let tablet = Tablet::new(dir, &format!("c{i}-{}", uuid::Uuid::now_v7().simple()));
        tablet.enroll(&endpoint.invitation(code)).await;
        tablet.visits(CITY_VISITS, i as u64 + 1).await;
        tablets.push(Arc::new(tablet));
    }
    Ok(tablets)
}

/// Everyone at once, in pushes of `BATCH`.
const AT_ONCE: Pace = Pace {
    batch: BATCH,
    spread: Duration::ZERO,
};

/// The city's paced run: pushes of a few visits, spread over a minute.
const PACED: Pace = Pace {
    batch: 30,
    spread: Duration::from_secs(60),
};

/// How the tablets push: changes per push, and the time their pushes are
/// spread over (zero: all at once, each tablet's pushes back to back).
struct Pace {
    batch: usize,
    spread: Duration,
}

/// Every tablet pushes what it has not pushed yet (changes after the seq
/// `pushed` holds for its install), at `pace`.
async fn push_all(
    endpoint: &Endpoint,
    tablets: &[Arc<Tablet>],
    pace: &Pace,
    pushed: &HashMap<uuid::Uuid, u64>,
) -> Result<(Run, Vec<Mutation>), String> {
    let mut outboxes = Vec::new();
    for t in tablets {
        let (install_id, mutations, token) = t.outbox().await;
        let mutations: Vec<Mutation> = mutations
            .into_iter()
            .filter(|m| m.seq > pushed.get(&m.install_id).copied().unwrap_or(0))
            .collect();
        outboxes.push((install_id, mutations, token));
    }
    let rows: Vec<Mutation> = outboxes.iter().flat_map(|(_, m, _)| m.clone()).collect();
    let started = Instant::now();
    let tablet_count = outboxes.len().max(1) as u32;
    let pushes: Vec<_> = outboxes
        .into_iter()
        .enumerate()
        .map(|(i, (install_id, mutations, token))| {
            let endpoint = endpoint.clone();
            let (batch, spread) = (pace.batch, pace.spread);
            tokio::spawn(async move {
                let (mut latencies, mut retried) = (Vec::new(), 0usize);
                let chunks: Vec<&[Mutation]> = mutations.chunks(batch).collect();
                let per_tablet = chunks.len().max(1) as u32;
                for (j, batch) in chunks.into_iter().enumerate() {
                    // Push j of tablet i, evenly among everyone's over `spread`.
                    let slot = (j as u32 * tablet_count + i as u32) as f64;
                    let at = spread.mul_f64(slot / f64::from(per_tablet * tablet_count));
                    tokio::time::sleep_until((started + at).into()).await;
                    let sent = Instant::now();
                    // As a tablet does: a push whose connection failed is sent
                    // again (the inbox is idempotent); its latency counts from
                    // the first try.
                    let mut tries = 0;
                    let status = loop {
                        tries += 1;
                        let answer = endpoint
                            .http
                            .post(format!("{}/v1/push", endpoint.base))
                            .header(PROTOCOL_HEADER, "1")
                            .bearer_auth(&token)
                            .json(&json!({"install_id": install_id, "mutations": batch}))
                            .send()
                            .await;
                        match answer {
                            Ok(response) => {
                                let status = response.status();
                                if response.bytes().await.is_ok() {
                                    break status;
                                }
                            }
                            Err(e) if tries >= 5 => return Err(e.to_string()),
                            Err(_) => {}
                        }
                        retried += 1;
                        tokio::time::sleep(Duration::from_millis(200)).await;
                    };
                    latencies.push(sent.elapsed());
                    if !status.is_success() {
                        return Err(format!("push answered {status}"));
                    }
                }
                Ok::<_, String>((latencies, retried))
            })
        })
        .collect();
    let (mut latencies, mut retried) = (Vec::new(), 0);
    for p in pushes {
        let (tablet, again) = p.await.map_err(|e| e.to_string())??;
        latencies.extend(tablet);
        retried += again;
    }
    let run = Run {
        changes: rows.len(),
        wall: started.elapsed(),
        latencies,
        retried,
    };
    Ok((run, rows))
}

fn report(label: &str, run: &Run, floor_label: &str, floor: Duration) {
    let floor_rate = run.changes as f64 / floor.as_secs_f64();
    println!(
        "{label:<44} {:>7.0} changes/s  push p50 {:>5.1} ms  p99 {:>6.1} ms  ({} pushes, {} sent again)",
        run.rate(),
        run.percentile(0.50),
        run.percentile(0.99),
        run.latencies.len(),
        run.retried
    );
    println!(
        "  floor: {floor_label:<36} {floor_rate:>7.0} rows/s     → {:.0} % of the floor (goal >= 25 %; p99 goal <= 250 ms)",
        100.0 * run.rate() / floor_rate
    );
}

fn main() -> Result<(), String> {
    let runtime = volant_tests::bench_runtime()?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let certificate = Certificate::new(dir.path());
    runtime.block_on(async {
        println!("One tablet's backlog of {BACKLOG} visits, synced until nothing is pending");
        let sqlite = Database::Sqlite(dir.path().join("backlog.sqlite3"));
        let instance = Instance::start(&sqlite, &certificate, "https://127.0.0.1:1").await;
        let (took, rows) = backlog(dir.path(), &sqlite, &instance.endpoint).await?;
        drop(instance);
        let floor =
            volant_tests::floor::sqlite_insert(&dir.path().join("backlog-bare.sqlite3"), &rows)?;
        report_backlog("SQLite, one instance", took, rows.len(), floor);
        let postgres = fresh_database();
        let instance = Instance::start(&postgres, &certificate, "https://127.0.0.1:1").await;
        let (took, rows) = backlog(dir.path(), &postgres, &instance.endpoint).await?;
        drop(instance);
        let Database::Postgres(bare) = fresh_database() else {
            return Err("PostgreSQL expected".into());
        };
        let floor = volant_tests::floor::postgres_insert(&bare, &rows)?;
        report_backlog("PostgreSQL, one instance", took, rows.len(), floor);

        println!("{TABLETS} tablets × {VISITS} visits pushed at once in pushes of {BATCH} changes");
        // SQLite, one instance.
        let sqlite = Database::Sqlite(dir.path().join("server.sqlite3"));
        let instance = Instance::start(&sqlite, &certificate, "https://127.0.0.1:1").await;
        let tablets = hall(dir.path(), &sqlite, &instance.endpoint).await;
        let (run, rows) = push_all(&instance.endpoint, &tablets, &AT_ONCE, &HashMap::new()).await?;
        drop(instance);
        let floor = volant_tests::floor::sqlite_insert(&dir.path().join("bare.sqlite3"), &rows)?;
        report("SQLite, one instance", &run, "bare SQLite insert", floor);

        // PostgreSQL, one instance.
        let postgres = fresh_database();
        let instance = Instance::start(&postgres, &certificate, "https://127.0.0.1:1").await;
        let tablets = hall(dir.path(), &postgres, &instance.endpoint).await;
        let (run, rows) = push_all(&instance.endpoint, &tablets, &AT_ONCE, &HashMap::new()).await?;
        drop(instance);
        let Database::Postgres(bare) = fresh_database() else {
            return Err("PostgreSQL expected".into());
        };
        let floor = volant_tests::floor::postgres_insert(&bare, &rows)?;
        report(
            "PostgreSQL, one instance",
            &run,
            "bare PostgreSQL insert",
            floor,
        );

        // PostgreSQL, two instances behind HAProxy.
        let postgres = fresh_database();
        let (_a, _b, balancer) = two_behind_a_balancer(dir.path(), &postgres, &certificate).await;
        let tablets = hall(dir.path(), &postgres, &balancer.endpoint).await;
        let (run, _) = push_all(&balancer.endpoint, &tablets, &AT_ONCE, &HashMap::new()).await?;
        report(
            "PostgreSQL, two instances behind HAProxy",
            &run,
            "bare PostgreSQL insert",
            floor,
        );
        drop((_a, _b, balancer));

        // The city: 17 mairies × 20 tablets, two instances behind HAProxy.
        println!(
            "{MAIRIES} mairies × {TABLETS} tablets × {CITY_VISITS} visits pushed at once in pushes of {BATCH} changes"
        );
        let city = fresh_database();
        let (_a, _b, balancer) = two_behind_a_balancer(dir.path(), &city, &certificate).await;
        let tablets = city_halls(dir.path(), &city, &balancer.endpoint).await?;
        let (run, rows) = push_all(&balancer.endpoint, &tablets, &AT_ONCE, &HashMap::new()).await?;
        let Database::Postgres(bare) = fresh_database() else {
            return Err("PostgreSQL expected".into());
        };
        let floor = volant_tests::floor::postgres_insert(&bare, &rows)?;
        report(
            "The city, two instances behind HAProxy",
            &run,
            "bare PostgreSQL insert",
            floor,
        );

        // The same halls, paced: each tablet's next visits in small pushes
        // spread over a minute, as tablets sync through a busy morning.
        println!(
            "Then {CITY_VISITS} more visits per tablet in pushes of {} changes spread over {} s",
            PACED.batch,
            PACED.spread.as_secs()
        );
        let mut pushed: HashMap<uuid::Uuid, u64> = HashMap::new();
        for m in &rows {
            let seq = pushed.entry(m.install_id).or_default();
            *seq = (*seq).max(m.seq);
        }
        for (i, tablet) in tablets.iter().enumerate() {
            tablet.visits(CITY_VISITS, 10_000 + i as u64).await;
        }
        let (run, rows) = push_all(&balancer.endpoint, &tablets, &PACED, &pushed).await?;
        let offered = rows.len() as f64 / PACED.spread.as_secs_f64();
        println!(
            "The city, paced ({offered:.0} changes/s offered)   push p50 {:>5.1} ms  p99 {:>6.1} ms  ({} pushes, {} sent again; p99 goal <= 250 ms)",
            run.percentile(0.50),
            run.percentile(0.99),
            run.latencies.len(),
            run.retried
        );
        Ok(())
    })
}
