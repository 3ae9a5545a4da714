//! The team lead's month on a busy mairie: 3 tablets × about 400 visits a day
//! × 22 opening days (26,400 visits) pushed to a real server on 127.0.0.1,
//! then, on the server, the month's indicators and one page of a day's
//! journal (plain and filtered): timed in the store (what the server
//! computes) and over HTTP (what the lead device waits for).
//!
//! Targets: month indicators ≤ 200 ms, a day's journal page ≤ 50 ms.
//! Run: `cargo bench -p volant-tests --bench lead`.

use std::time::{Duration, Instant};

use chrono::Utc;
use uuid::Uuid;
use volant_core::domain::mairie_day;
use volant_core::sync::Client;
use volant_protocol::{DeviceKind, JournalQuery, Period};
use volant_server::store::MairieId;
use volant_tests::Tablet;
use volant_tests::server::{TestServer, enrolment_code, server_store};

const TABLETS: usize = 3;
const PER_DAY: usize = 400;
const DAYS: u32 = 22;
const RUNS: usize = 30;

fn summary(label: &str, mut samples: Vec<Duration>, target_ms: f64) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(samples[samples.len() / 2]);
    let p95 = ms(samples[(samples.len() * 95).div_ceil(100) - 1]);
    let met = if p95 <= target_ms { "met" } else { "NOT met" };
    println!(
        "{label:<52} median {median:>7.1} ms  p95 {p95:>7.1} ms  (target ≤ {target_ms} ms: {met})"
    );
}

fn time<T>(f: impl FnMut() -> T) -> Vec<Duration> {
    let mut f = f;
    (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(f());
            started.elapsed()
        })
        .collect()
}

fn main() -> Result<(), String> {
    let runtime = volant_tests::bench_runtime()?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let db = dir.path().join("server.sqlite3");
    runtime.block_on(async {
        let server = TestServer::start(&db).await;
        let now = Utc::now();
        let seeding = Instant::now();
        for t in 0..TABLETS {
            let tablet = Tablet::new(dir.path(), &format!("t{t}"));
            tablet
                .enroll(&server.endpoint.invite(&db, DeviceKind::Agent))
                .await;
            {
                let mut store = tablet.store.lock().await;
                volant_core::demo::walk_visits(
                    &mut store,
                    PER_DAY * DAYS as usize,
                    DAYS,
                    now,
                    100 + t as u64,
                )
                .map_err(|e| e.to_string())?;
            }
            tablet.sync_until_quiet(200).await;
        }
        let (visits, _) = server_store(&db)
            .counts(MairieId::FIRST)
            .map_err(|e| e.to_string())?;
        println!(
            "seeded {visits} visits from {TABLETS} tablets over {DAYS} opening days in {:.1} s",
            seeding.elapsed().as_secs_f64()
        );

        let day = mairie_day(now);
        let month = Period {
            from: day - chrono::Duration::days(i64::from(DAYS) * 7 / 6 + 2),
            to: day,
        };
        let query = JournalQuery {
            day,
            ..JournalQuery::default()
        };
        let filtered = JournalQuery {
            outcome: Some("counter".into()),
            page: 2,
            ..query.clone()
        };
        let store = server_store(&db);
        let indicators = store
            .indicators(MairieId::FIRST, month)
            .map_err(|e| e.to_string())?;
        println!(
            "month {}..{}: {} visits, {} detailed days; day {day}: {} visits",
            month.from,
            month.to,
            indicators.visits,
            indicators.detailed_days,
            store
                .journal(MairieId::FIRST, &query)
                .map_err(|e| e.to_string())?
                .total
        );
        summary(
            "store: month indicators",
            time(|| store.indicators(MairieId::FIRST, month)),
            200.0,
        );
        summary(
            "store: day journal, first page",
            time(|| store.journal(MairieId::FIRST, &query)),
            50.0,
        );
        summary(
            "store: day journal, counter outcome, page 3",
            time(|| store.journal(MairieId::FIRST, &filtered)),
            50.0,
        );

        let lead = Client::new(&server.url(), Some(server.endpoint.fingerprint), None)
            .map_err(|e| e.to_string())?
            .enroll(&enrolment_code(&db, DeviceKind::Lead), Uuid::now_v7(), None)
            .await
            .map_err(|e| e.to_string())?;
        let client = Client::new(
            &server.url(),
            Some(server.endpoint.fingerprint),
            Some(lead.token),
        )
        .map_err(|e| e.to_string())?;
        let http = |label: &str, target: f64, query: Option<&JournalQuery>| {
            let client = client.clone();
            let query = query.cloned();
            let label = label.to_owned();
            async move {
                let mut samples = Vec::new();
                for _ in 0..RUNS {
                    let started = Instant::now();
                    match &query {
                        Some(q) => {
                            client.journal(q).await.map_err(|e| e.to_string())?;
                        }
                        None => {
                            client.indicators(month).await.map_err(|e| e.to_string())?;
                        }
                    }
                    samples.push(started.elapsed());
                }
                summary(&label, samples, target);
                Ok::<(), String>(())
            }
        };
        http("HTTP: month indicators", 200.0, None).await?;
        http("HTTP: day journal, first page", 50.0, Some(&query)).await?;
        http(
            "HTTP: day journal, counter outcome, page 3",
            50.0,
            Some(&filtered),
        )
        .await?;
        server.stop().await;
        Ok(())
    })
}
