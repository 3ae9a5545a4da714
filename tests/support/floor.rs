//! The floors the sync benches are measured beside: the bare insert of the
//! same rows into one table of each database, in transactions of 500 rows.

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::{Connection, params};
use volant_protocol::Mutation;

const TABLE: &str = "CREATE TABLE inbox (install_id TEXT, seq BIGINT, mutation_id TEXT UNIQUE, payload TEXT, PRIMARY KEY (install_id, seq))";

/// The server's bare SQLite insert (same pragmas as the store) of `rows`.
pub fn sqlite_insert(path: &Path, rows: &[Mutation]) -> Result<Duration, String> {
    let fail = |e: rusqlite::Error| e.to_string();
    let mut conn = Connection::open(path).map_err(fail)?;
    volant_core::sqlite::configure(&conn, Duration::from_secs(5)).map_err(fail)?;
    conn.execute_batch(TABLE).map_err(fail)?;
    let started = Instant::now();
    for chunk in rows.chunks(500) {
        let tx = conn.transaction().map_err(fail)?;
        {
            let mut insert = tx
                .prepare_cached("INSERT INTO inbox VALUES (?1, ?2, ?3, ?4)")
                .map_err(fail)?;
            for m in chunk {
                insert
                    .execute(params![
                        m.install_id.to_string(),
                        m.seq,
                        m.mutation_id.to_string(),
                        m.payload.get()
                    ])
                    .map_err(fail)?;
            }
        }
        tx.commit().map_err(fail)?;
    }
    Ok(started.elapsed())
}

/// A bare PostgreSQL insert of `rows` into a fresh database at `url`
/// (`crate::city::fresh_database`), from a client on this machine.
pub fn postgres_insert(url: &str, rows: &[Mutation]) -> Result<Duration, String> {
    crate::city::off_runtime(|| {
        let fail = |e: postgres::Error| e.to_string();
        let mut client = postgres::Client::connect(url, postgres::NoTls).map_err(fail)?;
        client.batch_execute(TABLE).map_err(fail)?;
        let started = Instant::now();
        for chunk in rows.chunks(500) {
            let mut tx = client.transaction().map_err(fail)?;
            let insert = tx
                .prepare("INSERT INTO inbox VALUES ($1, $2, $3, $4)")
                .map_err(fail)?;
            for m in chunk {
                let seq = i64::try_from(m.seq).map_err(|e| e.to_string())?;
                tx.execute(
                    &insert,
                    &[
                        &m.install_id.to_string(),
                        &seq,
                        &m.mutation_id.to_string(),
                        &m.payload.get(),
                    ],
                )
                .map_err(fail)?;
            }
            tx.commit().map_err(fail)?;
        }
        Ok(started.elapsed())
    })
}
