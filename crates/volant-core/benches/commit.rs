//! Durable commit of one visit step (visit row + outbox row, one transaction,
//! WAL, synchronous=FULL) beside a bare two-row insert with the same pragmas
//! and a payload of the same size, in the same run.
//! Run: `cargo bench -p volant-core --bench commit`.

mod common;

use std::time::Duration;

use chrono::{Duration as Span, Utc};
use rusqlite::{Connection, TransactionBehavior, params};
use volant_core::Store;
use volant_core::domain::{Accompaniment, Action, Destination, Listening, Qualification};

const VISITS: usize = 300;

fn bare_connection(path: &std::path::Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.execute_batch(
        "CREATE TABLE a (id TEXT PRIMARY KEY, body TEXT NOT NULL);
         CREATE TABLE b (seq INTEGER PRIMARY KEY, body TEXT NOT NULL);",
    )?;
    Ok(conn)
}

fn bare_insert(conn: &mut Connection, n: usize, body: &str) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute(
        "INSERT OR REPLACE INTO a (id, body) VALUES (?1, ?2)",
        params![format!("v{}", n / 5), body],
    )?;
    tx.execute(
        "INSERT INTO b (seq, body) VALUES (?1, ?2)",
        params![n as i64, body],
    )?;
    tx.commit()
}

fn main() -> Result<(), String> {
    let fail = |e: &dyn std::fmt::Display| e.to_string();
    let dir = tempfile::tempdir().map_err(|e| fail(&e))?;
    let mut store =
        Store::open(&dir.path().join("tablet.sqlite3"), Utc::now()).map_err(|e| fail(&e))?;
    let mut bare = bare_connection(&dir.path().join("bare.sqlite3")).map_err(|e| fail(&e))?;
    let demarche = store.search("acte de naissance", 1).map_err(|e| fail(&e))?;
    let id = demarche.first().ok_or("empty catalogue")?.id.clone();
    let (mut step, mut floor): (Vec<Duration>, Vec<Duration>) = (Vec::new(), Vec::new());
    let mut now = Utc::now();
    let mut n = 0;
    for _ in 0..VISITS {
        now += Span::seconds(30);
        let (t, visit) = common::time(|| store.open_visit(now));
        let visit = visit.map_err(|e| fail(&e))?;
        step.push(t);
        let body = serde_json::to_string(&visit).map_err(|e| fail(&e))?;
        let actions = [
            Action::Listened(Listening::default()),
            Action::Qualified(Qualification::Demarches {
                ids: vec![id.as_str().try_into().map_err(|e| fail(&e))?],
            }),
            Action::Oriented(Destination::ResolvedOnSpot),
            Action::Accompanied(Accompaniment { accompanied: false }),
        ];
        for action in actions {
            now += Span::seconds(20);
            let (t, r) = common::time(|| store.record(visit.id, action, now));
            r.map_err(|e| fail(&e))?;
            step.push(t);
        }
        for _ in 0..5 {
            let padded = format!("{body:<width$}", width = body.len() + 600);
            let (t, r) = common::time(|| bare_insert(&mut bare, n, &padded));
            r.map_err(|e| fail(&e))?;
            floor.push(t);
            n += 1;
        }
    }
    println!(
        "{} visits, 5 durable commits each (WAL, synchronous=FULL)",
        VISITS
    );
    let (s50, _) = common::report("visit step (visit row + outbox row)", &mut step);
    let (f50, _) = common::report("bare two-row insert, same pragmas", &mut floor);
    println!(
        "ratio step / bare: p50 {:.2}x   (target: median <= 1.5x)",
        s50 / f50
    );
    Ok(())
}
