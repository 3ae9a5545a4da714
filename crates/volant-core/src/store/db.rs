//! Every SQL statement of the tablet store, with placeholders.
//!
//! Functions take a `&Connection`; the caller (the store facade) decides the
//! transaction. Nothing here knows the workflow.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use crate::domain::{
    Catalogue, CatalogueMeta, Demarche, Service, ServiceId, Ticket, Visit, VisitId,
};
use crate::error::Result;
use crate::search::{IndexEntry, SearchHit, fold, indexed_words};
use volant_protocol::{
    EntityKind, Mutation, ServiceWait, TicketState, TicketStatus, TicketStatuses, WaitBoard,
    WaitMinutes,
};

/// A value from the `meta` table.
pub fn meta_get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

/// Sets a value of the `meta` table.
pub fn meta_set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

/// Number of services in the catalogue.
pub fn service_count(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row("SELECT COUNT(*) FROM service", [], |r| r.get(0))?)
}

/// Empties the catalogue and its search index.
pub fn clear_catalogue(conn: &Connection) -> Result<()> {
    conn.execute_batch("DELETE FROM demarche_fts; DELETE FROM demarche; DELETE FROM service;")?;
    Ok(())
}

/// Replaces the whole catalogue and its search index.
pub fn replace_catalogue(conn: &Connection, catalogue: &Catalogue) -> Result<()> {
    clear_catalogue(conn)?;
    for s in &catalogue.services {
        service_upsert(conn, s)?;
    }
    for d in &catalogue.demarches {
        demarche_upsert(conn, d)?;
    }
    set_catalogue_meta(conn, &catalogue.meta)
}

/// Stores the catalogue's metadata.
pub fn set_catalogue_meta(conn: &Connection, meta: &CatalogueMeta) -> Result<()> {
    meta_set(conn, "catalogue_meta", &serde_json::to_string(meta)?)
}

/// Inserts or replaces a service, and re-indexes its démarches (their index
/// text holds the service's name).
pub fn service_upsert(conn: &Connection, s: &Service) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO service (id, kind, name, active, version, doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, active = excluded.active,
                                        version = excluded.version, doc = excluded.doc",
    )?
    .execute(params![s.id.as_str(), s.kind.name(), s.name, s.active, s.version, serde_json::to_string(s)?])?;
    let docs = {
        let mut stmt = conn.prepare_cached("SELECT doc FROM demarche WHERE service_id = ?1")?;
        stmt.query_map([s.id.as_str()], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?
    };
    for doc in docs {
        demarche_upsert(conn, &serde_json::from_str(&doc)?)?;
    }
    Ok(())
}

/// Deletes a service.
pub fn service_delete(conn: &Connection, id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM service WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Inserts or replaces a démarche and its index entry (active ones only).
pub fn demarche_upsert(conn: &Connection, d: &Demarche) -> Result<()> {
    let rowid: i64 = conn
        .prepare_cached(
            "INSERT INTO demarche (id, title, category, service_id, keywords, frequency, active, version, doc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (id) DO UPDATE SET title = excluded.title, category = excluded.category,
                 service_id = excluded.service_id, keywords = excluded.keywords, frequency = excluded.frequency,
                 active = excluded.active, version = excluded.version, doc = excluded.doc
             RETURNING rowid",
        )?
        .query_row(
            params![
                d.id.as_str(),
                d.title,
                d.category,
                d.service.as_str(),
                serde_json::to_string(&d.keywords)?,
                d.frequency,
                d.active,
                d.version,
                serde_json::to_string(d)?
            ],
            |r| r.get(0),
        )?;
    conn.prepare_cached("DELETE FROM demarche_fts WHERE rowid = ?1")?
        .execute([rowid])?;
    if d.active {
        let service_name: String = conn
            .prepare_cached("SELECT name FROM service WHERE id = ?1")?
            .query_row([d.service.as_str()], |r| r.get(0))
            .optional()?
            .unwrap_or_default();
        let body = [
            d.category.as_str(),
            &service_name,
            d.notes.as_deref().unwrap_or(""),
        ]
        .join(" ");
        conn.prepare_cached(
            "INSERT INTO demarche_fts (rowid, title, keywords, body) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![
            rowid,
            fold(&d.title),
            indexed_words(d),
            fold(&body)
        ])?;
    }
    Ok(())
}

/// Deletes a démarche and its index entry.
pub fn demarche_delete(conn: &Connection, id: &str) -> Result<()> {
    let rowid: Option<i64> = conn
        .prepare_cached("DELETE FROM demarche WHERE id = ?1 RETURNING rowid")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    if let Some(rowid) = rowid {
        conn.prepare_cached("DELETE FROM demarche_fts WHERE rowid = ?1")?
            .execute([rowid])?;
    }
    Ok(())
}

/// The whole catalogue, in insertion order.
pub fn load_catalogue(conn: &Connection) -> Result<Catalogue> {
    let meta: CatalogueMeta = match meta_get(conn, "catalogue_meta")? {
        Some(text) => serde_json::from_str(&text)?,
        None => CatalogueMeta {
            mairie: String::new(),
            edition: String::new(),
            credits: Vec::new(),
        },
    };
    let services = docs::<Service>(conn, "SELECT doc FROM service ORDER BY rowid")?;
    let demarches = docs::<Demarche>(conn, "SELECT doc FROM demarche ORDER BY rowid")?;
    Ok(Catalogue {
        meta,
        services,
        demarches,
    })
}

fn docs<T: serde::de::DeserializeOwned>(conn: &Connection, sql: &str) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let texts = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    texts.iter().map(|t| Ok(serde_json::from_str(t)?)).collect()
}

/// One service by id.
pub fn service_get(conn: &Connection, id: &ServiceId) -> Result<Option<Service>> {
    let text: Option<String> = conn
        .query_row(
            "SELECT doc FROM service WHERE id = ?1",
            [id.as_str()],
            |r| r.get(0),
        )
        .optional()?;
    Ok(text.map(|t| serde_json::from_str(&t)).transpose()?)
}

/// Whether an active démarche has this id.
pub fn demarche_is_active(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn
        .query_row("SELECT active FROM demarche WHERE id = ?1", [id], |r| {
            r.get::<_, bool>(0)
        })
        .optional()?
        .unwrap_or(false))
}

/// Every term of the search index, with the number of démarches holding it.
pub fn index_terms(conn: &Connection) -> Result<Vec<(String, u32)>> {
    let mut stmt = conn.prepare("SELECT term, doc FROM demarche_fts_vocab")?;
    let terms = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(terms)
}

/// Rowids and FTS5 ranks (weighted BM25, see the migration; lower is better)
/// of the best matches of an FTS5 expression.
pub fn ranked_matches(conn: &Connection, expression: &str, limit: u32) -> Result<Vec<(i64, f64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT rowid, rank FROM demarche_fts WHERE demarche_fts MATCH ?1 ORDER BY rank LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![expression, limit], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Every active démarche as search holds it, by rowid, with its indexed text.
pub fn search_entries(conn: &Connection) -> Result<Vec<(i64, IndexEntry)>> {
    let mut stmt = conn.prepare(
        "SELECT d.rowid, d.id, d.title, d.category, d.service_id, s.name, d.keywords, d.frequency,
                f.title, f.keywords, f.body
         FROM demarche d JOIN service s ON s.id = d.service_id
         JOIN demarche_fts f ON f.rowid = d.rowid
         WHERE d.active = 1",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                SearchHit {
                    id: r.get(1)?,
                    title: r.get(2)?,
                    category: r.get(3)?,
                    service_id: r.get(4)?,
                    service: r.get(5)?,
                    keywords: Vec::new(),
                    score: 0.0,
                },
                r.get::<_, String>(6)?,
                r.get::<_, u8>(7)?,
                [r.get(8)?, r.get(9)?, r.get(10)?],
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(rowid, mut hit, keywords, frequency, text)| {
            hit.keywords = serde_json::from_str(&keywords)?;
            Ok((
                rowid,
                IndexEntry {
                    hit,
                    frequency,
                    text,
                },
            ))
        })
        .collect()
}

/// One visit by id.
pub fn visit_get(conn: &Connection, id: VisitId) -> Result<Option<Visit>> {
    let text: Option<String> = conn
        .query_row(
            "SELECT snapshot FROM visit WHERE id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    Ok(text.map(|t| serde_json::from_str(&t)).transpose()?)
}

/// Inserts or updates a visit; returns its snapshot as stored.
pub fn visit_put(conn: &Connection, visit: &Visit) -> Result<String> {
    let snapshot = serde_json::to_string(visit)?;
    conn.prepare_cached(
        "INSERT INTO visit (id, day, tablet, step, opened_at, revision, snapshot)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (id) DO UPDATE SET step = excluded.step, revision = excluded.revision,
                                        snapshot = excluded.snapshot",
    )?
    .execute(params![
        visit.id.to_string(),
        visit.day.to_string(),
        visit.tablet.to_string(),
        visit.step.as_str(),
        visit.opened_at().to_rfc3339(),
        visit.revision,
        snapshot
    ])?;
    Ok(snapshot)
}

/// The next ticket number of a counter for a day on this tablet.
pub fn ticket_next_number(conn: &Connection, day: NaiveDate, service: &ServiceId) -> Result<u32> {
    Ok(conn
        .prepare_cached(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM ticket WHERE day = ?1 AND service_id = ?2",
        )?
        .query_row(params![day.to_string(), service.as_str()], |r| r.get(0))?)
}

/// Records an issued ticket.
pub fn ticket_insert(conn: &Connection, ticket: &Ticket, visit: VisitId) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO ticket (day, code, service_id, number, visit_id, issued_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        ticket.day.to_string(),
        ticket.code.as_str(),
        ticket.service.as_str(),
        ticket.number,
        visit.to_string(),
        ticket.issued_at.to_rfc3339()
    ])?;
    Ok(())
}

/// Visits of a mairie day, oldest first, each with its number of unsynced changes.
pub fn visits_of_day(conn: &Connection, day: NaiveDate) -> Result<Vec<(Visit, u32)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT v.snapshot,
                (SELECT COUNT(*) FROM outbox o WHERE o.entity_id = v.id
                   AND o.seq > (SELECT acked_seq FROM outbox_counter))
         FROM visit v WHERE v.day = ?1 ORDER BY v.opened_at, v.id",
    )?;
    let rows = stmt
        .query_map([day.to_string()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(snapshot, pending)| Ok((serde_json::from_str(&snapshot)?, pending)))
        .collect()
}

/// Appends an outbox row with the next seq; returns the seq.
pub fn outbox_append(
    conn: &Connection,
    mutation_id: Uuid,
    kind: EntityKind,
    entity_id: Uuid,
    payload_version: u32,
    payload: &str,
    now: DateTime<Utc>,
) -> Result<u64> {
    let seq: u64 = conn
        .prepare_cached(
            "UPDATE outbox_counter SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq",
        )?
        .query_row([], |r| r.get(0))?;
    conn.prepare_cached(
        "INSERT INTO outbox (seq, mutation_id, entity_kind, entity_id, payload_version, payload, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        seq,
        mutation_id.to_string(),
        kind.as_str(),
        entity_id.to_string(),
        payload_version,
        payload,
        now.to_rfc3339()
    ])?;
    Ok(seq)
}

/// Number of outbox rows not yet acknowledged by the server.
pub fn outbox_pending_count(conn: &Connection) -> Result<u64> {
    Ok(
        conn.query_row("SELECT last_seq - acked_seq FROM outbox_counter", [], |r| {
            r.get(0)
        })?,
    )
}

/// The oldest unacknowledged outbox rows, as mutations ready to send.
pub fn outbox_pending(conn: &Connection, install_id: Uuid, limit: u32) -> Result<Vec<Mutation>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, mutation_id, entity_kind, entity_id, payload_version, payload, created_at
         FROM outbox WHERE seq > (SELECT acked_seq FROM outbox_counter) ORDER BY seq LIMIT ?1",
    )?;
    let rows = stmt
        .query_map([limit], |r| {
            Ok((
                r.get::<_, u64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, u32>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(
            |(seq, mutation_id, kind, entity_id, payload_version, payload, created_at)| {
                Ok(Mutation {
                    install_id,
                    seq,
                    mutation_id: parse_uuid(&mutation_id)?,
                    kind: serde_json::from_value(serde_json::Value::String(kind))?,
                    entity_id: parse_uuid(&entity_id)?,
                    payload_version,
                    device_time: DateTime::parse_from_rfc3339(&created_at)
                        .map_err(|e| {
                            rusqlite::Error::FromSqlConversionFailure(
                                6,
                                rusqlite::types::Type::Text,
                                Box::new(e),
                            )
                        })?
                        .with_timezone(&Utc),
                    payload: serde_json::from_str(&payload)?,
                })
            },
        )
        .collect()
}

fn parse_uuid(text: &str) -> Result<Uuid> {
    Uuid::parse_str(text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
            .into()
    })
}

/// The oldest pending rows, at most `max_items` and about `max_bytes` of
/// payload (always at least one row).
pub fn outbox_batch(
    conn: &Connection,
    install_id: Uuid,
    max_items: u32,
    max_bytes: usize,
) -> Result<Vec<Mutation>> {
    let mut batch = Vec::new();
    let mut bytes = 0;
    for m in outbox_pending(conn, install_id, max_items)? {
        let size = m.payload.get().len() + 200;
        if !batch.is_empty() && bytes + size > max_bytes {
            break;
        }
        bytes += size;
        batch.push(m);
    }
    Ok(batch)
}

/// Records a receipt other than `stored` (quarantined or deferred).
pub fn outbox_receipt(
    conn: &Connection,
    seq: u64,
    status: &str,
    reason: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO outbox_receipt (seq, status, reason) VALUES (?1, ?2, ?3)
         ON CONFLICT (seq) DO UPDATE SET status = excluded.status, reason = excluded.reason",
    )?
    .execute(params![seq, status, reason])?;
    Ok(())
}

/// Every row up to `seq` is acknowledged.
pub fn outbox_ack_through(conn: &Connection, seq: u64) -> Result<()> {
    conn.prepare_cached("UPDATE outbox_counter SET acked_seq = MAX(acked_seq, MIN(?1, last_seq))")?
        .execute([seq])?;
    Ok(())
}

/// Makes retained rows from `seq` on pending again; returns how many.
pub fn outbox_repend_from(conn: &Connection, seq: u64) -> Result<u64> {
    let before = outbox_pending_count(conn)?;
    conn.prepare_cached("UPDATE outbox_counter SET acked_seq = MIN(acked_seq, MAX(?1, 1) - 1)")?
        .execute([seq])?;
    conn.prepare_cached("DELETE FROM outbox_receipt WHERE seq >= ?1")?
        .execute([seq])?;
    Ok(outbox_pending_count(conn)? - before)
}

/// The oldest seq still in the outbox (pending or retained).
pub fn outbox_oldest_seq(conn: &Connection) -> Result<Option<u64>> {
    Ok(conn.query_row("SELECT MIN(seq) FROM outbox", [], |r| r.get(0))?)
}

/// The highest acknowledged seq.
pub fn outbox_acked_seq(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row("SELECT acked_seq FROM outbox_counter", [], |r| r.get(0))?)
}

/// Rows the server quarantined.
pub fn outbox_quarantined_count(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM outbox_receipt WHERE status = 'quarantined'",
        [],
        |r| r.get(0),
    )?)
}

/// Deletes acknowledged rows made before `before`; pending rows are never deleted.
pub fn outbox_purge_acked(conn: &Connection, before: DateTime<Utc>) -> Result<usize> {
    Ok(conn
        .prepare_cached(
            "DELETE FROM outbox WHERE seq <= (SELECT acked_seq FROM outbox_counter) AND created_at < ?1",
        )?
        .execute([before.to_rfc3339()])?)
}

/// Adds a record to the resync staging table.
pub fn staging_put(conn: &Connection, kind: &str, id: &str, record: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO catalogue_staging (kind, id, record) VALUES (?1, ?2, ?3)
         ON CONFLICT (kind, id) DO UPDATE SET record = excluded.record",
    )?
    .execute([kind, id, record])?;
    Ok(())
}

/// Removes a record from the resync staging table.
pub fn staging_delete(conn: &Connection, kind: &str, id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM catalogue_staging WHERE kind = ?1 AND id = ?2")?
        .execute([kind, id])?;
    Ok(())
}

/// Every staged record of a kind, as JSON texts.
pub fn staging_records(conn: &Connection, kind: &str) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare("SELECT record FROM catalogue_staging WHERE kind = ?1 ORDER BY rowid")?;
    let rows = stmt
        .query_map([kind], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Empties the staging table.
pub fn staging_clear(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM catalogue_staging", [])?;
    Ok(())
}

/// Deletes the visits of days before `day` with no pending change, their
/// tickets and their outbox rows; returns the visits deleted.
pub fn visits_purge_before(conn: &Connection, day: &str) -> Result<usize> {
    const DONE: &str =
        "day < ?1 AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity_id = visit.id
         AND o.seq > (SELECT acked_seq FROM outbox_counter))";
    conn.prepare_cached(&format!(
        "DELETE FROM ticket WHERE visit_id IN (SELECT id FROM visit WHERE {DONE})"
    ))?
    .execute([day])?;
    conn.prepare_cached(&format!(
        "DELETE FROM outbox WHERE seq <= (SELECT acked_seq FROM outbox_counter)
         AND entity_id IN (SELECT id FROM visit WHERE {DONE})"
    ))?
    .execute([day])?;
    Ok(conn
        .prepare_cached(&format!("DELETE FROM visit WHERE {DONE}"))?
        .execute([day])?)
}

/// Caches what the server answered a lead's request about `day`.
pub fn lead_cache_put(
    conn: &Connection,
    key: &str,
    day: &str,
    body: &str,
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO lead_cache (key, day, body, fetched_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute([key, day, body, now])?;
    Ok(())
}

/// The cached answer to a lead's request, and when it was fetched.
pub fn lead_cache_get(conn: &Connection, key: &str) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached("SELECT body, fetched_at FROM lead_cache WHERE key = ?1")?
        .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Deletes what was cached about days before `day`.
pub fn lead_cache_purge_before(conn: &Connection, day: &str) -> Result<usize> {
    Ok(conn
        .prepare_cached("DELETE FROM lead_cache WHERE day < ?1")?
        .execute([day])?)
}

/// What the server said of a day's tickets, replacing what it said before.
pub fn ticket_states_put(conn: &Connection, states: &TicketStatuses) -> rusqlite::Result<()> {
    let day = states.day.to_string();
    conn.prepare_cached("DELETE FROM ticket_state WHERE day = ?1")?
        .execute([&day])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO ticket_state (day, code, state, counter) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for t in &states.tickets {
        insert.execute(rusqlite::params![day, t.code, t.state.as_str(), t.counter])?;
    }
    Ok(())
}

/// The server's wait board, fetched at `fetched_at`, replacing the last one.
pub fn counter_waits_put(
    conn: &Connection,
    board: &WaitBoard,
    fetched_at: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM counter_wait")?
        .execute([])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO counter_wait (service, waiting, open_counters, served_today, optimistic,
                pessimistic, past_closing, computed_at, fetched_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let computed_at = board.computed_at.to_rfc3339();
    for w in &board.services {
        insert.execute(rusqlite::params![
            w.service,
            w.waiting,
            w.open_counters,
            w.served_today,
            w.range.map(|r| r.optimistic),
            w.range.map(|r| r.pessimistic),
            w.past_closing,
            computed_at,
            fetched_at,
        ])?;
    }
    Ok(())
}

/// The last wait board kept, with when it was fetched, if any.
pub fn counter_waits(conn: &Connection) -> rusqlite::Result<Option<(WaitBoard, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT service, waiting, open_counters, served_today, optimistic, pessimistic,
                past_closing, computed_at, fetched_at
         FROM counter_wait ORDER BY service",
    )?;
    let rows = stmt
        .query_map([], |r| {
            let range = match (r.get::<_, Option<u32>>(4)?, r.get::<_, Option<u32>>(5)?) {
                (Some(optimistic), Some(pessimistic)) => Some(WaitMinutes {
                    optimistic,
                    pessimistic,
                }),
                _ => None,
            };
            let wait = ServiceWait {
                service: r.get(0)?,
                waiting: r.get(1)?,
                open_counters: r.get(2)?,
                served_today: r.get(3)?,
                range,
                past_closing: r.get(6)?,
            };
            Ok((wait, r.get::<_, String>(7)?, r.get::<_, String>(8)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let Some((_, computed_at, fetched_at)) = rows.first().cloned() else {
        return Ok(None);
    };
    Ok(Some((
        WaitBoard {
            services: rows.into_iter().map(|(w, _, _)| w).collect(),
            computed_at: crate::sqlite::stored_time(&computed_at),
        },
        fetched_at,
    )))
}

/// The ticket states of a day, as last said by the server.
pub fn ticket_states(conn: &Connection, day: NaiveDate) -> rusqlite::Result<Vec<TicketStatus>> {
    let mut stmt =
        conn.prepare_cached("SELECT code, state, counter FROM ticket_state WHERE day = ?1")?;
    stmt.query_map([day.to_string()], |r| {
        let state: String = r.get(1)?;
        Ok(TicketStatus {
            code: r.get(0)?,
            state: TicketState::parse(&state).unwrap_or(TicketState::Waiting),
            counter: r.get(2)?,
        })
    })?
    .collect()
}
