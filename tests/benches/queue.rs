//! Counter and display benchmarks against the server binary on 127.0.0.1,
//! each beside its floor measured in the same run:
//! - call → number on every connected display (20 counters, 10 displays,
//!   1,000 calls): the display hears the doorbell and fetches the calls,
//!   beside a bare `GET /v1/health` round trip;
//! - ticket pushed by a tablet → visible on its counter's page, beside the
//!   push alone;
//! - 200 connected event streams: the server's memory, and the fan-out of one
//!   call to all of them beside the same call heard by one stream.
//!
//! Run: `cargo build --release -p volant-server && cargo bench -p volant-tests --bench queue`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::{Value, json};
use volant_protocol::{DeviceKind, PROTOCOL_HEADER};
use volant_server::store::Post;
use volant_tests::Tablet;
use volant_tests::server::{Endpoint, ServerProcess, counter_act, free_port, screen_credential};

const COUNTERS: usize = 20;
const DISPLAYS: usize = 10;
const CALLS: usize = 1000;
const PUSHES: usize = 200;
const STREAMS: usize = 200;
const FAN_OUTS: usize = 50;

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort_unstable();
    let rank = ((p / 100.0) * samples.len() as f64).ceil() as usize;
    samples[rank.clamp(1, samples.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn line(what: &str, samples: &mut [Duration], floor: &mut [Duration]) {
    let (p50, p95) = (percentile(samples, 50.0), percentile(samples, 95.0));
    let (f50, f95) = (percentile(floor, 50.0), percentile(floor, 95.0));
    println!(
        "{what}: p50 {:.1} ms, p95 {:.1} ms — floor p50 {:.1} ms, p95 {:.1} ms — ratio p95 {:.1}×",
        ms(p50),
        ms(p95),
        ms(f50),
        ms(f95),
        p95.as_secs_f64() / f95.as_secs_f64().max(1e-9)
    );
}

struct Server {
    endpoint: Endpoint,
    db: std::path::PathBuf,
}

impl Server {
    async fn screen(&self, kind: DeviceKind, post: Post) -> String {
        screen_credential(&self.endpoint, &self.db, kind, &post).await
    }

    async fn act(&self, token: &str, action: Value) -> Value {
        counter_act(&self.endpoint, token, action).await
    }
}

/// A view fetched as `token`, as a page does on every ring.
async fn fetch(server: &Endpoint, token: &str, path: &str) -> Value {
    server
        .http
        .get(format!("{}{path}", server.base))
        .header(PROTOCOL_HEADER, "1")
        .bearer_auth(token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .json()
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Listens to `/v1/events` as `token`; on every ring, runs `on_ring`.
fn listen<F, Fut>(server: Endpoint, token: String, on_ring: F)
where
    F: Fn() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        let mut response = server
            .http
            .get(format!("{}/v1/events", server.base))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("events: {e}"));
        let mut buffer = String::new();
        while let Ok(Some(chunk)) = response.chunk().await {
            buffer.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buffer.find("\n\n") {
                let block: String = buffer.drain(..end + 2).collect();
                if block.contains("event: queue") || block.contains("event:queue") {
                    on_ring().await;
                }
            }
        }
    });
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .map(str::to_owned)
        })
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

fn counter_post(n: usize) -> Post {
    Post {
        service: Some("etat-civil".into()),
        label: Some(format!("Guichet {n}")),
        services: vec![],
    }
}

fn display_post() -> Post {
    Post {
        service: None,
        label: Some("Salle".into()),
        services: vec!["etat-civil".into()],
    }
}

async fn run() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("server.sqlite3");
    let port = free_port();
    let process = ServerProcess::start(&db, port).await;
    let server = Server {
        endpoint: process.endpoint.clone(),
        db: db.clone(),
    };

    // Tickets to call: 1,000 and a few, from two tablets (ticket numbers go to 999 per tablet).
    let tablets = [Tablet::new(dir.path(), "t1"), Tablet::new(dir.path(), "t2")];
    for t in &tablets {
        t.enroll(&server.endpoint.invite(&db, DeviceKind::Agent))
            .await;
        for _ in 0..(CALLS / 2 + 10) {
            t.issue_ticket().await;
        }
        t.sync_until_quiet(10).await;
    }

    // 10 displays: each, on every ring, fetches the calls and notes when it first saw each.
    let seen: Arc<Mutex<HashMap<u64, HashMap<usize, Instant>>>> = Arc::default();
    for display in 0..DISPLAYS {
        let token = server.screen(DeviceKind::Display, display_post()).await;
        let (base, seen) = (server.endpoint.clone(), Arc::clone(&seen));
        let fetch_token = token.clone();
        listen(server.endpoint.clone(), token, move || {
            let (base, token, seen) = (base.clone(), fetch_token.clone(), Arc::clone(&seen));
            async move {
                let view = fetch(&base, &token, "/v1/display/calls").await;
                if let Some(event) = view["calls"][0]["event"].as_u64() {
                    seen.lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .entry(event)
                        .or_default()
                        .entry(display)
                        .or_insert_with(Instant::now);
                }
            }
        });
    }
    let mut counters = Vec::new();
    for n in 0..COUNTERS {
        counters.push(
            server
                .screen(DeviceKind::Counter, counter_post(n + 1))
                .await,
        );
    }
    tokio::time::sleep(Duration::from_millis(500)).await;

    let mut floor = Vec::new();
    for _ in 0..CALLS {
        let started = Instant::now();
        let ok = server
            .endpoint
            .http
            .get(format!("{}/v1/health", server.endpoint.base))
            .send()
            .await
            .is_ok();
        assert!(ok);
        floor.push(started.elapsed());
    }
    let mut calls = Vec::new();
    for i in 0..CALLS {
        let token = &counters[i % COUNTERS];
        let started = Instant::now();
        let called = server.act(token, json!({ "type": "call_next" })).await;
        let event = called["event"]
            .as_u64()
            .unwrap_or_else(|| panic!("call: {called}"));
        let on_all = loop {
            let heard = seen
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(&event)
                .cloned()
                .unwrap_or_default();
            if heard.len() == DISPLAYS {
                break heard.into_values().max().unwrap_or(started);
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "call {event} reached {} of {DISPLAYS} displays",
                heard.len()
            );
            tokio::time::sleep(Duration::from_micros(200)).await;
        };
        calls.push(on_all - started);
        server
            .act(token, json!({ "type": "served", "outcome": "done" }))
            .await;
    }
    line(
        &format!("call → number on all {DISPLAYS} displays ({COUNTERS} counters, {CALLS} calls)"),
        &mut calls,
        &mut floor,
    );

    // Ticket pushed → on its counter's page: the counter fetches its queue on each ring.
    let watcher = server.screen(DeviceKind::Counter, counter_post(99)).await;
    let waiting: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    {
        let (base, token, waiting) = (
            server.endpoint.clone(),
            watcher.clone(),
            Arc::clone(&waiting),
        );
        listen(server.endpoint.clone(), watcher.clone(), move || {
            let (base, token, waiting) = (base.clone(), token.clone(), Arc::clone(&waiting));
            async move {
                let view = fetch(&base, &token, "/v1/counter/queue").await;
                let now = Instant::now();
                let mut w = waiting.lock().unwrap_or_else(|e| e.into_inner());
                for t in view["waiting"].as_array().into_iter().flatten() {
                    if let Some(code) = t["code"].as_str() {
                        w.entry(code.to_owned()).or_insert(now);
                    }
                }
            }
        });
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let pusher = Tablet::new(dir.path(), "t3");
    pusher
        .enroll(&server.endpoint.invite(&db, DeviceKind::Agent))
        .await;
    let (mut visible, mut pushed) = (Vec::new(), Vec::new());
    for _ in 0..PUSHES {
        pusher.issue_ticket().await;
        let day = volant_core::domain::mairie_day(Utc::now());
        let code = pusher
            .store
            .lock()
            .await
            .day_log(day, Utc::now())
            .unwrap_or_else(|e| panic!("{e}"))
            .iter()
            .rev()
            .find_map(|e| e.visit.ticket().map(|t| t.code.to_string()))
            .unwrap_or_default();
        let started = Instant::now();
        pusher.sync().await;
        pushed.push(started.elapsed());
        let at = loop {
            if let Some(at) = waiting
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(&code)
                .copied()
            {
                break at;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{code} never reached the counter"
            );
            tokio::time::sleep(Duration::from_micros(200)).await;
        };
        visible.push(at.saturating_duration_since(started));
    }
    line(
        "ticket pushed → on the counter's page (one sync: push + ticket states)",
        &mut visible,
        &mut pushed,
    );

    // 200 streams: memory, and one call's fan-out beside one stream.
    let before = rss_kib(process.pid());
    let rang: Arc<Mutex<HashMap<usize, Vec<Instant>>>> = Arc::default();
    let round = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for _ in 0..STREAMS {
        let token = server.screen(DeviceKind::Display, display_post()).await;
        let (rang, round) = (Arc::clone(&rang), Arc::clone(&round));
        listen(server.endpoint.clone(), token, move || {
            let (rang, round) = (Arc::clone(&rang), Arc::clone(&round));
            async move {
                let r = round.load(std::sync::atomic::Ordering::SeqCst);
                rang.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .entry(r)
                    .or_default()
                    .push(Instant::now());
            }
        });
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = rss_kib(process.pid());
    println!(
        "{STREAMS} connected event streams (plus {DISPLAYS} displays and a counter): server RSS {} KiB before, {} KiB after ({:.1} KiB per stream)",
        before,
        after,
        (after.saturating_sub(before)) as f64 / STREAMS as f64
    );
    let (mut all, mut first) = (Vec::new(), Vec::new());
    for r in 1..=FAN_OUTS {
        round.store(r, std::sync::atomic::Ordering::SeqCst);
        let token = &counters[r % COUNTERS];
        let started = Instant::now();
        server.act(token, json!({ "type": "call_next" })).await;
        loop {
            let heard = rang
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(&r)
                .cloned()
                .unwrap_or_default();
            if heard.len() >= STREAMS {
                first.push(heard.iter().min().copied().unwrap_or(started) - started);
                all.push(heard.iter().max().copied().unwrap_or(started) - started);
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "round {r}: {} of {STREAMS} streams rang",
                heard.len()
            );
            tokio::time::sleep(Duration::from_micros(200)).await;
        }
        server
            .act(token, json!({ "type": "served", "outcome": "done" }))
            .await;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    line(
        &format!("one call fanned out to all {STREAMS} streams"),
        &mut all,
        &mut first,
    );
    process.kill();
}

fn main() {
    let runtime = volant_tests::bench_runtime().unwrap_or_else(|e| panic!("runtime: {e}"));
    runtime.block_on(run());
}
