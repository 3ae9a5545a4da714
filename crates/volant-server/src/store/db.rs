//! Every SQL statement of the server store, with placeholders. Functions take
//! a `&Connection`; the store facade decides the transaction.

use rusqlite::{Connection, OptionalExtension, params};
use volant_core::review::{AggregateCell, VisitFact};

/// A device as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DeviceRow {
    /// Device id.
    pub id: String,
    /// Name given at enrolment.
    pub name: String,
    /// `agent` or `lead`.
    pub kind: String,
    /// Its install id.
    pub install_id: String,
    /// Its tablet letter.
    pub tablet_letter: String,
    /// When it enrolled.
    pub enrolled_at: String,
    /// When it was revoked.
    pub revoked_at: Option<String>,
    /// Last authenticated request.
    pub last_contact_at: Option<String>,
    /// Last measured clock offset (server − tablet), ms.
    pub clock_offset_ms: Option<i64>,
    /// Highest contiguous seq stored.
    pub last_seq: u64,
    /// Mutations received.
    pub received: u64,
    /// Of which quarantined.
    pub quarantined: u64,
    /// Of which deferred.
    pub deferred: u64,
}

const DEVICE_COLUMNS: &str =
    "id, name, kind, install_id, tablet_letter, enrolled_at, revoked_at, last_contact_at,
     clock_offset_ms, last_seq, received, quarantined, deferred";

fn device_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DeviceRow> {
    Ok(DeviceRow {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: r.get(2)?,
        install_id: r.get(3)?,
        tablet_letter: r.get(4)?,
        enrolled_at: r.get(5)?,
        revoked_at: r.get(6)?,
        last_contact_at: r.get(7)?,
        clock_offset_ms: r.get(8)?,
        last_seq: r.get(9)?,
        received: r.get(10)?,
        quarantined: r.get(11)?,
        deferred: r.get(12)?,
    })
}

/// A value from `meta`.
pub fn meta_get(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
}

/// Sets a value of `meta`.
pub fn meta_set(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

/// Stores a new enrolment code.
pub fn code_insert(
    conn: &Connection,
    hash: &str,
    name: &str,
    kind: &str,
    now: &str,
    expires: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO enrollment_code (code_hash, name, kind, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![hash, name, kind, now, expires],
    )?;
    Ok(())
}

/// Marks a code used if it is unused and unexpired; returns its name and kind.
pub fn code_consume(
    conn: &Connection,
    hash: &str,
    now: &str,
) -> rusqlite::Result<Option<(String, String)>> {
    conn.query_row(
        "UPDATE enrollment_code SET used_at = ?2
         WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2
         RETURNING name, kind",
        params![hash, now],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

/// Tablet letters held by devices that are not revoked.
pub fn letters_in_use(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT tablet_letter FROM device WHERE revoked_at IS NULL")?;
    stmt.query_map([], |r| r.get(0))?.collect()
}

/// Whether an install already has a device.
pub fn install_enrolled(conn: &Connection, install_id: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT COUNT(*) FROM device WHERE install_id = ?1",
        [install_id],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n > 0)
}

/// Stores a new device.
#[allow(clippy::too_many_arguments)]
pub fn device_insert(
    conn: &Connection,
    id: &str,
    name: &str,
    kind: &str,
    token_hash: &str,
    install_id: &str,
    letter: &str,
    now: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO device (id, name, kind, token_hash, install_id, tablet_letter, enrolled_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![id, name, kind, token_hash, install_id, letter, now],
    )?;
    Ok(())
}

/// The device holding a token.
pub fn device_by_token(conn: &Connection, token_hash: &str) -> rusqlite::Result<Option<DeviceRow>> {
    conn.prepare_cached(&format!(
        "SELECT {DEVICE_COLUMNS} FROM device WHERE token_hash = ?1"
    ))?
    .query_row([token_hash], device_row)
    .optional()
}

/// One device by id.
pub fn device_get(conn: &Connection, id: &str) -> rusqlite::Result<Option<DeviceRow>> {
    conn.prepare_cached(&format!(
        "SELECT {DEVICE_COLUMNS} FROM device WHERE id = ?1"
    ))?
    .query_row([id], device_row)
    .optional()
}

/// Every device, oldest first.
pub fn devices(conn: &Connection) -> rusqlite::Result<Vec<DeviceRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {DEVICE_COLUMNS} FROM device ORDER BY enrolled_at, id"
    ))?;
    stmt.query_map([], device_row)?.collect()
}

/// Revokes a device; false if there is none with this id.
pub fn device_revoke(conn: &Connection, id: &str, now: &str) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "UPDATE device SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1",
        params![id, now],
    )? > 0)
}

/// Records a contact with the device.
pub fn device_touch(conn: &Connection, id: &str, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE device SET last_contact_at = ?2 WHERE id = ?1")?
        .execute(params![id, now])?;
    Ok(())
}

/// Saves a device's sync position and counters after a push.
pub fn device_after_push(
    conn: &Connection,
    id: &str,
    last_seq: u64,
    counts: (u64, u64, u64),
    clock_offset_ms: Option<i64>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE device SET last_seq = ?2, received = received + ?3, quarantined = quarantined + ?4,
                deferred = deferred + ?5, clock_offset_ms = COALESCE(?6, clock_offset_ms), last_contact_at = ?7
         WHERE id = ?1",
    )?
    .execute(params![id, last_seq, counts.0, counts.1, counts.2, clock_offset_ms, now])?;
    Ok(())
}

/// What the inbox keeps of a mutation to answer its replays.
pub struct StoredReceipt {
    /// SHA-256 of the mutation as first received.
    pub payload_hash: String,
    /// Its mutation id.
    pub mutation_id: String,
    /// `stored`, `quarantined` or `deferred`.
    pub status: String,
    /// Why, when quarantined.
    pub reason: Option<String>,
}

/// The stored hash and receipt of `(install, seq)`.
pub fn inbox_get(
    conn: &Connection,
    install_id: &str,
    seq: u64,
) -> rusqlite::Result<Option<StoredReceipt>> {
    conn.prepare_cached("SELECT payload_hash, mutation_id, status, reason FROM inbox WHERE install_id = ?1 AND seq = ?2")?
        .query_row(params![install_id, seq], |r| {
            Ok(StoredReceipt { payload_hash: r.get(0)?, mutation_id: r.get(1)?, status: r.get(2)?, reason: r.get(3)? })
        })
        .optional()
}

/// Whether a mutation id is already in the inbox.
pub fn inbox_has_mutation(conn: &Connection, mutation_id: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT COUNT(*) FROM inbox WHERE mutation_id = ?1")?
        .query_row([mutation_id], |r| r.get::<_, i64>(0))
        .map(|n| n > 0)
}

/// One inbox row.
pub struct InboxRow<'a> {
    /// Install.
    pub install_id: &'a str,
    /// Seq.
    pub seq: u64,
    /// Mutation id.
    pub mutation_id: &'a str,
    /// SHA-256 of the mutation.
    pub payload_hash: &'a str,
    /// Entity kind.
    pub kind: &'a str,
    /// Entity id.
    pub entity_id: &'a str,
    /// Payload version.
    pub payload_version: u32,
    /// Tablet clock.
    pub device_time: &'a str,
    /// Server clock.
    pub received_at: &'a str,
    /// Clock offset reported by the tablet.
    pub clock_offset_ms: Option<i64>,
    /// Raw payload, kept for quarantined and deferred mutations.
    pub payload: Option<&'a str>,
    /// `stored`, `quarantined` or `deferred`.
    pub status: &'a str,
    /// Why, when quarantined.
    pub reason: Option<&'a str>,
}

/// Stores a mutation in the inbox.
pub fn inbox_insert(conn: &Connection, row: &InboxRow<'_>) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO inbox (install_id, seq, mutation_id, payload_hash, kind, entity_id, payload_version,
                            device_time, received_at, clock_offset_ms, payload, status, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        row.install_id,
        row.seq,
        row.mutation_id,
        row.payload_hash,
        row.kind,
        row.entity_id,
        row.payload_version,
        row.device_time,
        row.received_at,
        row.clock_offset_ms,
        row.payload,
        row.status,
        row.reason
    ])?;
    Ok(())
}

/// Number of visits stored, and of ticket codes.
pub fn visit_and_ticket_counts(conn: &Connection) -> rusqlite::Result<(u64, u64)> {
    conn.query_row(
        "SELECT (SELECT COUNT(*) FROM visit), (SELECT COUNT(*) FROM ticket)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Whether the catalogue holds a live record.
pub fn catalogue_has(conn: &Connection, kind: &str, id: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT COUNT(*) FROM catalogue_item WHERE kind = ?1 AND id = ?2 AND record IS NOT NULL",
    )?
    .query_row([kind, id], |r| r.get::<_, i64>(0))
    .map(|n| n > 0)
}

/// The visit holding a ticket code on a day, if any.
pub fn ticket_holder(conn: &Connection, day: &str, code: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT visit_id FROM ticket WHERE day = ?1 AND code = ?2")?
        .query_row([day, code], |r| r.get(0))
        .optional()
}

/// Records a ticket for a visit (once).
pub fn ticket_record(
    conn: &Connection,
    day: &str,
    code: &str,
    visit_id: &str,
    service: &str,
    issued_at: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO ticket (day, code, visit_id, service_id, issued_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (day, code) DO NOTHING",
    )?
    .execute(params![day, code, visit_id, service, issued_at])?;
    Ok(())
}

/// A visit row to upsert.
pub struct VisitRow<'a> {
    /// Visit id.
    pub id: &'a str,
    /// Device that sent it.
    pub device_id: &'a str,
    /// Tablet letter.
    pub tablet: &'a str,
    /// Mairie day.
    pub day: &'a str,
    /// Step.
    pub step: &'a str,
    /// Outcome.
    pub outcome: &'a str,
    /// Revision.
    pub revision: u32,
    /// Opening time (tablet clock).
    pub opened_at: &'a str,
    /// Server receipt time.
    pub received_at: &'a str,
    /// The tablet's clock looked wrong.
    pub clock_suspect: bool,
    /// The snapshot.
    pub snapshot: &'a str,
}

/// Inserts a visit, or updates it if this revision is newer.
/// Returns whether the row was written (an older revision is not).
pub fn visit_upsert(conn: &Connection, v: &VisitRow<'_>) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "INSERT INTO visit (id, device_id, tablet, day, step, outcome, revision, opened_at, received_at, clock_suspect, snapshot)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (id) DO UPDATE SET step = excluded.step, outcome = excluded.outcome, revision = excluded.revision,
             received_at = excluded.received_at, clock_suspect = excluded.clock_suspect, snapshot = excluded.snapshot
         WHERE excluded.revision > visit.revision",
    )?
    .execute(params![
        v.id,
        v.device_id,
        v.tablet,
        v.day,
        v.step,
        v.outcome,
        v.revision,
        v.opened_at,
        v.received_at,
        v.clock_suspect,
        v.snapshot
    ])
    .map(|n| n > 0)
}

/// Number of catalogue items, tombstones included.
pub fn catalogue_count(conn: &Connection) -> rusqlite::Result<u64> {
    conn.query_row("SELECT COUNT(*) FROM catalogue_item", [], |r| r.get(0))
}

/// The latest catalogue version (0 when empty); never goes back, even when the
/// newest write was a tombstone since compacted.
pub fn catalogue_version(conn: &Connection) -> rusqlite::Result<u64> {
    conn.query_row(
        "SELECT MAX((SELECT COALESCE(MAX(version), 0) FROM catalogue_item),
                    (SELECT COALESCE(MAX(CAST(value AS INTEGER)), 0) FROM meta WHERE key = 'catalogue_floor'))",
        [],
        |r| r.get(0),
    )
}

/// Every live record of a kind, as (id, record JSON).
pub fn catalogue_records(conn: &Connection, kind: &str) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare("SELECT id, record FROM catalogue_item WHERE kind = ?1 AND record IS NOT NULL ORDER BY version")?;
    stmt.query_map([kind], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

/// Writes a record (or a tombstone) at a catalogue version.
pub fn catalogue_put(
    conn: &Connection,
    kind: &str,
    id: &str,
    version: u64,
    record: Option<&str>,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO catalogue_item (kind, id, version, record) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version, record = excluded.record",
    )?
    .execute(params![kind, id, version, record])?;
    Ok(())
}

/// Deletes every tombstone; returns how many, and the newest deleted version.
pub fn catalogue_delete_tombstones(conn: &Connection) -> rusqlite::Result<(usize, Option<u64>)> {
    let newest: Option<u64> = conn.query_row(
        "SELECT MAX(version) FROM catalogue_item WHERE record IS NULL",
        [],
        |r| r.get(0),
    )?;
    let deleted = conn.execute("DELETE FROM catalogue_item WHERE record IS NULL", [])?;
    Ok((deleted, newest))
}

/// One catalogue item as stored.
pub struct CatalogueRow {
    /// `service` or `demarche`.
    pub kind: String,
    /// Record id.
    pub id: String,
    /// Catalogue version of its last write.
    pub version: u64,
    /// The record's JSON, or `None` for a tombstone.
    pub record: Option<String>,
}

/// Changes after `since`, oldest first, at most `limit`; tombstones left out when `live_only`.
pub fn catalogue_changes(
    conn: &Connection,
    since: u64,
    limit: u32,
    live_only: bool,
) -> rusqlite::Result<Vec<CatalogueRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, id, version, record FROM catalogue_item
         WHERE version > ?1 AND (?3 = 0 OR record IS NOT NULL)
         ORDER BY version LIMIT ?2",
    )?;
    stmt.query_map(params![since, limit, live_only], |r| {
        Ok(CatalogueRow {
            kind: r.get(0)?,
            id: r.get(1)?,
            version: r.get(2)?,
            record: r.get(3)?,
        })
    })?
    .collect()
}

// --- The team lead's review ---------------------------------------------------

const FACT_COLUMNS: &str = "day, hour, tablet, agent, outcome, service, demarches, unmet,
     listen_s, qualify_s, orient_s, accompany_s, accompanied, ticket";

/// Writes the fact of a visit, replacing the previous one.
pub fn fact_put(conn: &Connection, visit_id: &str, f: &VisitFact) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO visit_fact (visit_id, day, hour, tablet, agent, outcome, service, demarche,
             demarches, unmet, listen_s, qualify_s, orient_s, accompany_s, accompanied, ticket)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?
    .execute(params![
        visit_id,
        f.day.to_string(),
        f.hour,
        f.tablet,
        f.agent,
        f.outcome,
        f.service,
        f.main_demarche(),
        f.demarches.join("|"),
        f.unmet,
        f.seconds[0],
        f.seconds[1],
        f.seconds[2],
        f.seconds[3],
        f.accompanied,
        f.ticket
    ])?;
    Ok(())
}

/// Snapshots of the visits without a fact (stored before facts existed).
pub fn snapshots_without_fact(conn: &Connection) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT id, snapshot FROM visit WHERE id NOT IN (SELECT visit_id FROM visit_fact)",
    )?;
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

fn fact_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<VisitFact> {
    let day: String = r.get(0)?;
    let demarches: String = r.get(6)?;
    Ok(VisitFact {
        day: day.parse().unwrap_or_default(),
        hour: r.get(1)?,
        tablet: r.get(2)?,
        agent: r.get(3)?,
        outcome: r.get(4)?,
        service: r.get(5)?,
        demarches: demarches
            .split('|')
            .filter(|d| !d.is_empty())
            .map(str::to_owned)
            .collect(),
        unmet: r.get(7)?,
        seconds: [r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?],
        accompanied: r.get(12)?,
        ticket: r.get(13)?,
    })
}

/// The facts of the visits of days `from..=to`.
pub fn facts(conn: &Connection, from: &str, to: &str) -> rusqlite::Result<Vec<VisitFact>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {FACT_COLUMNS} FROM visit_fact WHERE day BETWEEN ?1 AND ?2"
    ))?;
    stmt.query_map([from, to], fact_row)?.collect()
}

/// The journal's filters, as SQL parameters.
pub struct JournalFilter<'a> {
    /// Day.
    pub day: &'a str,
    /// Tablet letter.
    pub tablet: Option<&'a str>,
    /// Agent initials.
    pub agent: Option<&'a str>,
    /// Service of the destination.
    pub service: Option<&'a str>,
    /// Outcome.
    pub outcome: Option<&'a str>,
    /// One of the démarches.
    pub demarche: Option<&'a str>,
    /// Unmet needs only.
    pub unmet_only: bool,
}

const JOURNAL_WHERE: &str =
    "f.day = ?1 AND (?2 IS NULL OR f.tablet = ?2) AND (?3 IS NULL OR f.agent = ?3)
     AND (?4 IS NULL OR f.service = ?4) AND (?5 IS NULL OR f.outcome = ?5)
     AND (?6 IS NULL OR instr('|' || f.demarches || '|', '|' || ?6 || '|') > 0)
     AND (?7 = 0 OR f.unmet IS NOT NULL)";

impl JournalFilter<'_> {
    /// The parameters ?1 to ?7 of `JOURNAL_WHERE`.
    fn params(&self) -> [&dyn rusqlite::ToSql; 7] {
        [
            &self.day,
            &self.tablet,
            &self.agent,
            &self.service,
            &self.outcome,
            &self.demarche,
            &self.unmet_only,
        ]
    }
}

/// Visits of the day matching the filters.
pub fn journal_count(conn: &Connection, f: &JournalFilter<'_>) -> rusqlite::Result<u32> {
    conn.prepare_cached(&format!(
        "SELECT COUNT(*) FROM visit_fact f WHERE {JOURNAL_WHERE}"
    ))?
    .query_row(f.params(), |r| r.get(0))
}

/// One visit of a journal page.
pub struct JournalRow {
    /// Device name.
    pub device: String,
    /// Last received.
    pub received_at: String,
    /// Suspicious clock.
    pub clock_suspect: bool,
    /// Reason of the newest quarantined change of the visit.
    pub quarantined: Option<String>,
    /// Snapshot JSON.
    pub snapshot: String,
}

/// One page of the day's visits matching the filters, by arrival.
pub fn journal_page(
    conn: &Connection,
    f: &JournalFilter<'_>,
    limit: u32,
    offset: u32,
) -> rusqlite::Result<Vec<JournalRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT d.name, v.received_at, v.clock_suspect,
             (SELECT reason FROM inbox i WHERE i.status = 'quarantined' AND i.entity_id = v.id
              ORDER BY i.seq DESC LIMIT 1),
             v.snapshot
         FROM visit_fact f JOIN visit v ON v.id = f.visit_id JOIN device d ON d.id = v.device_id
         WHERE {JOURNAL_WHERE} ORDER BY v.opened_at, v.id LIMIT ?8 OFFSET ?9"
    ))?;
    let mut params = f.params().to_vec();
    params.extend([&limit as &dyn rusqlite::ToSql, &offset]);
    stmt.query_map(&*params, |r| {
        Ok(JournalRow {
            device: r.get(0)?,
            received_at: r.get(1)?,
            clock_suspect: r.get(2)?,
            quarantined: r.get(3)?,
            snapshot: r.get(4)?,
        })
    })?
    .collect()
}

/// Quarantined changes made between two instants (RFC 3339), with their device name:
/// (device, entity id, device time, reason).
pub fn quarantined_between(
    conn: &Connection,
    from: &str,
    to: &str,
) -> rusqlite::Result<Vec<(String, String, String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.name, i.entity_id, i.device_time, COALESCE(i.reason, '')
         FROM inbox i JOIN device d ON d.install_id = i.install_id
         WHERE i.status = 'quarantined' AND i.device_time >= ?1 AND i.device_time < ?2
         ORDER BY i.device_time",
    )?;
    stmt.query_map([from, to], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })?
    .collect()
}

/// Snapshots of the visits of days `from..=to`, by arrival.
pub fn snapshots(conn: &Connection, from: &str, to: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT snapshot FROM visit WHERE day BETWEEN ?1 AND ?2 ORDER BY day, opened_at, id",
    )?;
    stmt.query_map([from, to], |r| r.get(0))?.collect()
}

/// A day's sign-off: (comment, signed by, signed at).
pub fn signoff_get(
    conn: &Connection,
    day: &str,
) -> rusqlite::Result<Option<(String, String, String)>> {
    conn.prepare_cached("SELECT comment, signed_by, signed_at FROM day_signoff WHERE day = ?1")?
        .query_row([day], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()
}

/// Signs a day off (again).
pub fn signoff_put(
    conn: &Connection,
    day: &str,
    comment: &str,
    device_id: &str,
    signed_by: &str,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO day_signoff (day, comment, device_id, signed_by, signed_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute([day, comment, device_id, signed_by, now])?;
    Ok(())
}

/// Days of `from..=to` signed off.
pub fn signoff_days(conn: &Connection, from: &str, to: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn
        .prepare_cached("SELECT day FROM day_signoff WHERE day BETWEEN ?1 AND ?2 ORDER BY day")?;
    stmt.query_map([from, to], |r| r.get(0))?.collect()
}

/// Aggregate cells of days `from..=to`.
pub fn cells(conn: &Connection, from: &str, to: &str) -> rusqlite::Result<Vec<AggregateCell>> {
    let mut stmt = conn.prepare_cached(
        "SELECT day, hour, demarche, outcome, visits FROM visit_aggregate WHERE day BETWEEN ?1 AND ?2",
    )?;
    stmt.query_map([from, to], |r| {
        let day: String = r.get(0)?;
        Ok(AggregateCell {
            day: day.parse().unwrap_or_default(),
            hour: r.get(1)?,
            demarche: r.get(2)?,
            outcome: r.get(3)?,
            visits: r.get(4)?,
        })
    })?
    .collect()
}

/// Writes an aggregate cell.
pub fn cell_insert(conn: &Connection, c: &AggregateCell) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO visit_aggregate (day, hour, demarche, outcome, visits) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![c.day.to_string(), c.hour, c.demarche, c.outcome, c.visits])?;
    Ok(())
}

/// Whether a day has aggregates (it is past retention).
pub fn day_aggregated(conn: &Connection, day: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT COUNT(*) FROM visit_aggregate WHERE day = ?1")?
        .query_row([day], |r| r.get::<_, i64>(0))
        .map(|n| n > 0)
}

/// Days before `day` that still have detailed visits.
pub fn detailed_days_before(conn: &Connection, day: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT DISTINCT day FROM visit WHERE day < ?1 ORDER BY day")?;
    stmt.query_map([day], |r| r.get(0))?.collect()
}

/// Deletes a day's detailed visits and tickets (facts go with their visit);
/// returns the visits deleted.
pub fn day_delete(conn: &Connection, day: &str) -> rusqlite::Result<usize> {
    conn.prepare_cached("DELETE FROM ticket WHERE day = ?1")?
        .execute([day])?;
    conn.prepare_cached("DELETE FROM visit WHERE day = ?1")?
        .execute([day])
}

/// Blanks the payloads kept in the inbox (quarantined, deferred) of changes
/// made before `before` (RFC 3339); the hashes stay for idempotency.
pub fn inbox_redact_before(conn: &Connection, before: &str) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "UPDATE inbox SET payload = '{}' WHERE payload IS NOT NULL AND payload <> '{}' AND device_time < ?1",
    )?
    .execute([before])
}

/// The live record of a kind and id, with its JSON.
pub fn catalogue_record(
    conn: &Connection,
    kind: &str,
    id: &str,
) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached(
        "SELECT record FROM catalogue_item WHERE kind = ?1 AND id = ?2 AND record IS NOT NULL",
    )?
    .query_row([kind, id], |r| r.get(0))
    .optional()
}
