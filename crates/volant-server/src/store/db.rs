//! Every SQL statement of the server store, with placeholders. Functions take
//! a `&Connection`; the store facade decides the transaction.

use rusqlite::{Connection, OptionalExtension, params};
use volant_core::domain::Satisfaction;
use volant_core::review::{AggregateCell, VisitFact};

/// A device as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DeviceRow {
    /// Device id.
    pub id: String,
    /// Name given at enrolment.
    pub name: String,
    /// `agent`, `lead`, `counter` or `display`.
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
    /// A counter's service.
    pub service_id: Option<String>,
    /// A counter's label, or a display's room.
    pub label: Option<String>,
    /// A display's services, as a JSON array.
    pub services: Option<String>,
}

const DEVICE_COLUMNS: &str =
    "id, name, kind, install_id, tablet_letter, enrolled_at, revoked_at, last_contact_at,
     clock_offset_ms, last_seq, received, quarantined, deferred, service_id, label, services";

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
        service_id: r.get(13)?,
        label: r.get(14)?,
        services: r.get(15)?,
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
    post: &PostRow<'_>,
    now: &str,
    expires: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO enrollment_code (code_hash, name, kind, created_at, expires_at, service_id, label, services)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![hash, name, kind, now, expires, post.service_id, post.label, post.services],
    )?;
    Ok(())
}

/// Where a counter or a display works, as stored with its code and device.
pub struct PostRow<'a> {
    /// A counter's service.
    pub service_id: Option<&'a str>,
    /// A counter's label, or a display's room.
    pub label: Option<&'a str>,
    /// A display's services, as a JSON array.
    pub services: Option<String>,
}

/// Marks a code used if it is unused and unexpired; returns its name and kind.
pub fn code_consume(
    conn: &Connection,
    hash: &str,
    now: &str,
) -> rusqlite::Result<Option<ConsumedCode>> {
    conn.query_row(
        "UPDATE enrollment_code SET used_at = ?2
         WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2
         RETURNING name, kind, service_id, label, services",
        params![hash, now],
        |r| {
            Ok(ConsumedCode {
                name: r.get(0)?,
                kind: r.get(1)?,
                service_id: r.get(2)?,
                label: r.get(3)?,
                services: r.get(4)?,
            })
        },
    )
    .optional()
}

/// What a used enrolment code gives its device.
pub struct ConsumedCode {
    /// Device name.
    pub name: String,
    /// Device kind.
    pub kind: String,
    /// A counter's service.
    pub service_id: Option<String>,
    /// A counter's label, or a display's room.
    pub label: Option<String>,
    /// A display's services, as a JSON array.
    pub services: Option<String>,
}

/// Tablet letters held by devices that are not revoked.
pub fn letters_in_use(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT tablet_letter FROM device WHERE revoked_at IS NULL AND kind IN ('agent', 'lead')",
    )?;
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
    code: &ConsumedCode,
    token_hash: &str,
    install_id: &str,
    letter: &str,
    now: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO device (id, name, kind, token_hash, install_id, tablet_letter, enrolled_at, service_id, label, services)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![id, code.name, code.kind, token_hash, install_id, letter, now, code.service_id, code.label, code.services],
    )?;
    Ok(())
}

/// Gives a device a new credential (re-enrolment).
pub fn device_set_token(conn: &Connection, id: &str, token_hash: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE device SET token_hash = ?2 WHERE id = ?1",
        params![id, token_hash],
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
     listen_s, qualify_s, orient_s, accompany_s, accompanied, ticket, satisfaction, repeated_situation";

/// Writes the fact of a visit, replacing the previous one.
pub fn fact_put(conn: &Connection, visit_id: &str, f: &VisitFact) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO visit_fact (visit_id, day, hour, tablet, agent, outcome, service, demarche,
             demarches, unmet, listen_s, qualify_s, orient_s, accompany_s, accompanied, ticket,
             satisfaction, repeated_situation)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
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
        f.ticket,
        f.satisfaction.map(Satisfaction::as_str),
        f.repeated_situation
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
        satisfaction: r
            .get::<_, Option<String>>(14)?
            .as_deref()
            .and_then(Satisfaction::parse),
        repeated_situation: r.get(15)?,
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

/// A quarantined change, or one the lead repaired, as listed in the journal.
pub struct QuarantineRow {
    /// Its tablet's name.
    pub device: String,
    /// Its tablet's device id.
    pub device_id: String,
    /// Its install.
    pub install_id: String,
    /// Its position.
    pub seq: u64,
    /// The visit it was about.
    pub entity_id: String,
    /// Tablet clock (RFC 3339).
    pub device_time: String,
    /// Why it was refused.
    pub reason: String,
    /// The raw payload, as received.
    pub payload: String,
    /// The repair, once made: (by, at, replacements as JSON).
    pub repair: Option<(String, String, String)>,
}

/// Quarantined changes made between two instants (RFC 3339), repaired or not.
pub fn quarantined_between(
    conn: &Connection,
    from: &str,
    to: &str,
) -> rusqlite::Result<Vec<QuarantineRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.name, i.install_id, i.seq, i.entity_id, i.device_time,
                COALESCE(r.original_reason, i.reason, ''), COALESCE(i.payload, ''),
                r.repaired_by, r.repaired_at, r.replacements, d.id
         FROM inbox i JOIN device d ON d.install_id = i.install_id
         LEFT JOIN quarantine_repair r ON r.install_id = i.install_id AND r.seq = i.seq
         WHERE (i.status = 'quarantined' OR r.seq IS NOT NULL)
           AND i.device_time >= ?1 AND i.device_time < ?2
         ORDER BY i.device_time",
    )?;
    stmt.query_map([from, to], quarantine_row)?.collect()
}

fn quarantine_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<QuarantineRow> {
    let by: Option<String> = r.get(7)?;
    Ok(QuarantineRow {
        device: r.get(0)?,
        device_id: r.get(10)?,
        install_id: r.get(1)?,
        seq: r.get(2)?,
        entity_id: r.get(3)?,
        device_time: r.get(4)?,
        reason: r.get(5)?,
        payload: r.get(6)?,
        repair: match by {
            Some(by) => Some((by, r.get(8)?, r.get(9)?)),
            None => None,
        },
    })
}

/// One change still in quarantine.
pub fn quarantined_get(
    conn: &Connection,
    install_id: &str,
    seq: u64,
) -> rusqlite::Result<Option<QuarantineRow>> {
    // A seq beyond SQLite's integers was never stored.
    let Ok(seq) = i64::try_from(seq) else {
        return Ok(None);
    };
    conn.query_row(
        "SELECT d.name, i.install_id, i.seq, i.entity_id, i.device_time, COALESCE(i.reason, ''),
                COALESCE(i.payload, ''), NULL, NULL, NULL, d.id
         FROM inbox i JOIN device d ON d.install_id = i.install_id
         WHERE i.install_id = ?1 AND i.seq = ?2 AND i.status = 'quarantined'",
        params![install_id, seq],
        quarantine_row,
    )
    .optional()
}

/// Records a repair and marks its inbox row stored.
pub fn quarantine_repaired(
    conn: &Connection,
    row: &QuarantineRow,
    by: &str,
    at: &str,
    replacements: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO quarantine_repair (install_id, seq, repaired_by, repaired_at, replacements, original_reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![row.install_id, row.seq, by, at, replacements, row.reason],
    )?;
    conn.execute(
        "UPDATE inbox SET status = 'stored', reason = NULL WHERE install_id = ?1 AND seq = ?2",
        params![row.install_id, row.seq],
    )?;
    Ok(())
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
    conn.prepare_cached("DELETE FROM queue_ticket WHERE day = ?1")?
        .execute([day])?;
    conn.prepare_cached("DELETE FROM ticket_event WHERE day = ?1")?
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

/// A ticket of a queue, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueRow {
    /// Mairie day.
    pub day: String,
    /// Ticket code.
    pub code: String,
    /// The queue it is in.
    pub service_id: String,
    /// Its place (RFC 3339, server clock).
    pub issued_at: String,
    /// Its visit, once its tablet synced.
    pub visit_id: Option<String>,
    /// When a counter adopted it before its tablet synced.
    pub adopted_at: Option<String>,
    /// `waiting`, `called`, `present`, `served`, `no_show` or `cancelled`.
    pub state: String,
    /// The counter that called it.
    pub counter_id: Option<String>,
    /// That counter's label.
    pub counter_label: Option<String>,
    /// Calls, recalls included.
    pub calls: u32,
    /// First call.
    pub called_at: Option<String>,
    /// Latest call.
    pub last_call_at: Option<String>,
    /// « Usager présent ».
    pub arrived_at: Option<String>,
    /// End of service.
    pub served_at: Option<String>,
    /// `done`, `come_back` or `redirected`.
    pub outcome: Option<String>,
    /// Upper end of the wait quoted at issue, in minutes.
    pub quoted_max_min: Option<u32>,
}

const QUEUE_COLUMNS: &str =
    "day, code, service_id, issued_at, visit_id, adopted_at, state, counter_id,
     counter_label, calls, called_at, last_call_at, arrived_at, served_at, outcome, quoted_max_min";

fn queue_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<QueueRow> {
    Ok(QueueRow {
        day: r.get(0)?,
        code: r.get(1)?,
        service_id: r.get(2)?,
        issued_at: r.get(3)?,
        visit_id: r.get(4)?,
        adopted_at: r.get(5)?,
        state: r.get(6)?,
        counter_id: r.get(7)?,
        counter_label: r.get(8)?,
        calls: r.get(9)?,
        called_at: r.get(10)?,
        last_call_at: r.get(11)?,
        arrived_at: r.get(12)?,
        served_at: r.get(13)?,
        outcome: r.get(14)?,
        quoted_max_min: r.get(15)?,
    })
}

/// One ticket of a day's queues.
pub fn queue_get(conn: &Connection, day: &str, code: &str) -> rusqlite::Result<Option<QueueRow>> {
    conn.prepare_cached(&format!(
        "SELECT {QUEUE_COLUMNS} FROM queue_ticket WHERE day = ?1 AND code = ?2"
    ))?
    .query_row([day, code], queue_row)
    .optional()
}

/// Writes a ticket of a queue, new or changed.
pub fn queue_put(conn: &Connection, q: &QueueRow) -> rusqlite::Result<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO queue_ticket ({QUEUE_COLUMNS})
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
         ON CONFLICT (day, code) DO UPDATE SET
             service_id = excluded.service_id, issued_at = excluded.issued_at,
             visit_id = excluded.visit_id, adopted_at = excluded.adopted_at, state = excluded.state,
             counter_id = excluded.counter_id, counter_label = excluded.counter_label,
             calls = excluded.calls, called_at = excluded.called_at,
             last_call_at = excluded.last_call_at, arrived_at = excluded.arrived_at,
             served_at = excluded.served_at, outcome = excluded.outcome,
             quoted_max_min = excluded.quoted_max_min"
    ))?
    .execute(params![
        q.day,
        q.code,
        q.service_id,
        q.issued_at,
        q.visit_id,
        q.adopted_at,
        q.state,
        q.counter_id,
        q.counter_label,
        q.calls,
        q.called_at,
        q.last_call_at,
        q.arrived_at,
        q.served_at,
        q.outcome,
        q.quoted_max_min
    ])?;
    Ok(())
}

/// A service's tickets of a day in one state, in queue order (issue time, then code).
pub fn queue_in_state(
    conn: &Connection,
    day: &str,
    service: &str,
    state: &str,
) -> rusqlite::Result<Vec<QueueRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {QUEUE_COLUMNS} FROM queue_ticket WHERE day = ?1 AND service_id = ?2 AND state = ?3
         ORDER BY issued_at, code"
    ))?;
    stmt.query_map([day, service, state], queue_row)?.collect()
}

/// The ticket a counter called and has not finished, if any.
pub fn queue_in_hand(
    conn: &Connection,
    day: &str,
    counter: &str,
) -> rusqlite::Result<Option<QueueRow>> {
    conn.prepare_cached(&format!(
        "SELECT {QUEUE_COLUMNS} FROM queue_ticket
         WHERE day = ?1 AND counter_id = ?2 AND state IN ('called', 'present')
         ORDER BY last_call_at DESC LIMIT 1"
    ))?
    .query_row([day, counter], queue_row)
    .optional()
}

/// A day's tickets whose visits a device recorded.
pub fn queue_of_device(
    conn: &Connection,
    day: &str,
    device: &str,
) -> rusqlite::Result<Vec<QueueRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM queue_ticket q JOIN visit v ON v.id = q.visit_id
         WHERE q.day = ?1 AND v.device_id = ?2 ORDER BY q.code",
        QUEUE_COLUMNS
            .split(',')
            .map(|c| format!("q.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ")
    ))?;
    stmt.query_map([day, device], queue_row)?.collect()
}

/// How many counter desks of each service were heard from since `since`.
pub fn open_counters(conn: &Connection, since: &str) -> rusqlite::Result<Vec<(String, u32)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT service_id, COUNT(*) FROM device
         WHERE kind = 'counter' AND revoked_at IS NULL AND last_contact_at >= ?1
         GROUP BY service_id",
    )?;
    stmt.query_map([since], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

/// The tickets of a period, for the lead's indicators.
pub fn queue_between(conn: &Connection, from: &str, to: &str) -> rusqlite::Result<Vec<QueueRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {QUEUE_COLUMNS} FROM queue_ticket WHERE day BETWEEN ?1 AND ?2 ORDER BY day, issued_at"
    ))?;
    stmt.query_map([from, to], queue_row)?.collect()
}

/// An event to record.
pub struct EventRow<'a> {
    /// The client's event id (or one derived for events the server makes).
    pub event_id: &'a str,
    /// Hash of what the client asked.
    pub request_hash: &'a str,
    /// Mairie day.
    pub day: &'a str,
    /// Ticket code.
    pub code: &'a str,
    /// `issued`, `adopted`, `called`, `recalled`, `arrived`, `served`, `no_show`,
    /// `transferred`, `reactivated` or `cancelled`.
    pub kind: &'a str,
    /// The queue it happened in (a transfer's: the one it joins).
    pub service_id: &'a str,
    /// The device that did it.
    pub device_id: &'a str,
    /// The counter's label.
    pub counter_label: Option<&'a str>,
    /// The ticket's calls after it.
    pub calls: u32,
    /// A served ticket's outcome.
    pub detail: Option<&'a str>,
    /// The device's clock.
    pub device_time: &'a str,
    /// The server's clock.
    pub server_time: &'a str,
}

/// Records an event; returns its seq.
pub fn event_insert(conn: &Connection, e: &EventRow<'_>) -> rusqlite::Result<u64> {
    conn.prepare_cached(
        "INSERT INTO ticket_event (event_id, request_hash, day, code, kind, service_id, device_id,
             counter_label, calls, detail, device_time, server_time)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING seq",
    )?
    .query_row(
        params![
            e.event_id,
            e.request_hash,
            e.day,
            e.code,
            e.kind,
            e.service_id,
            e.device_id,
            e.counter_label,
            e.calls,
            e.detail,
            e.device_time,
            e.server_time
        ],
        |r| r.get(0),
    )
}

/// An event already recorded under a client's id.
pub struct RecordedEvent {
    /// Its seq.
    pub seq: u64,
    /// Hash of what was asked.
    pub request_hash: String,
    /// Mairie day.
    pub day: String,
    /// Ticket code.
    pub code: String,
    /// The device that made it.
    pub device_id: String,
}

/// The event recorded under a client's id, if any.
pub fn event_by_id(conn: &Connection, event_id: &str) -> rusqlite::Result<Option<RecordedEvent>> {
    conn.prepare_cached(
        "SELECT seq, request_hash, day, code, device_id FROM ticket_event WHERE event_id = ?1",
    )?
    .query_row([event_id], |r| {
        Ok(RecordedEvent {
            seq: r.get(0)?,
            request_hash: r.get(1)?,
            day: r.get(2)?,
            code: r.get(3)?,
            device_id: r.get(4)?,
        })
    })
    .optional()
}

/// A call of a day, for the displays.
pub struct CallRow {
    /// Its seq.
    pub seq: u64,
    /// Ticket code.
    pub code: String,
    /// Counter label.
    pub counter_label: String,
    /// Which call of the ticket.
    pub calls: u32,
    /// When (server clock).
    pub server_time: String,
}

/// The latest calls (and recalls) of a day in some services, newest first.
pub fn calls_latest(
    conn: &Connection,
    day: &str,
    services: &[String],
    limit: u32,
) -> rusqlite::Result<Vec<CallRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, code, COALESCE(counter_label, ''), calls, server_time FROM ticket_event
         WHERE day = ?1 AND kind IN ('called', 'recalled')
           AND service_id IN (SELECT value FROM json_each(?2))
         ORDER BY seq DESC LIMIT ?3",
    )?;
    let services = serde_json::to_string(services).unwrap_or_else(|_| "[]".into());
    stmt.query_map(params![day, services, limit], |r| {
        Ok(CallRow {
            seq: r.get(0)?,
            code: r.get(1)?,
            counter_label: r.get(2)?,
            calls: r.get(3)?,
            server_time: r.get(4)?,
        })
    })?
    .collect()
}

/// The newest event's seq (0 when none).
pub fn event_last(conn: &Connection) -> rusqlite::Result<u64> {
    conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM ticket_event", [], |r| {
        r.get(0)
    })
}

/// Calls per counter label of a period, most first.
pub fn calls_per_counter(
    conn: &Connection,
    from: &str,
    to: &str,
) -> rusqlite::Result<Vec<(String, u64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT COALESCE(counter_label, ''), COUNT(*) FROM ticket_event
         WHERE day BETWEEN ?1 AND ?2 AND kind IN ('called', 'recalled')
         GROUP BY counter_label ORDER BY COUNT(*) DESC, counter_label",
    )?;
    stmt.query_map([from, to], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

/// A visit's latest snapshot.
pub fn visit_snapshot(conn: &Connection, visit_id: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT snapshot FROM visit WHERE id = ?1")?
        .query_row([visit_id], |r| r.get(0))
        .optional()
}
