//! The storage contract of the server store: [`Db`], one method per
//! statement the rules need, and the rows it reads and writes. Each backend
//! implements it with its own SQL (`sqlite.rs`, `postgres.rs`) over its own
//! migrations; the rules above never know which database they talk to.
//!
//! Every statement runs for the mairie its session was opened for: it reads
//! and writes that mairie's rows only (`mairie_id = mairie()` in its SQL),
//! except the few that find a mairie (a credential, a code) or list them.
//!
//! Architecture invariant: no SQL outside the backends and `schema/`.

use volant_core::review::{AggregateCell, VisitFact};

/// Why a statement failed. Every variant is transient from the client's
/// point of view (503): the request changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// SQLite failed (busy, disk, corruption).
    #[error("SQLite : {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL failed, or could not be reached.
    #[error("PostgreSQL : {0}")]
    Postgres(#[from] postgres::Error),
    /// No PostgreSQL connection could be had in time.
    #[error("PostgreSQL injoignable : {0}")]
    Pool(#[from] r2d2::Error),
    /// A value read or written does not fit its column.
    #[error("valeur hors limites : {0}")]
    Range(String),
}

/// A statement's result.
pub type DbResult<T> = Result<T, DbError>;

/// Every table of a mairie's data, each after those it refers to.
pub const TABLES: &[&str] = &[
    "enrollment_code",
    "device",
    "inbox",
    "visit",
    "ticket",
    "catalogue_item",
    "visit_fact",
    "day_signoff",
    "visit_aggregate",
    "queue_ticket",
    "ticket_event",
    "quarantine_repair",
];

/// Whether a column is left out when a mairie's rows are copied: its
/// mairie (the target's is written) and an event's seq (the target's next).
pub fn dropped_on_copy(table: &str, column: &str) -> bool {
    column == "mairie_id" || (table == "ticket_event" && column == "seq")
}

/// A mairie: the tenant every record belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct MairieId(pub i64);

impl MairieId {
    /// The mairie of a server that serves one (the embedded default).
    pub const FIRST: MairieId = MairieId(1);
    /// No mairie: a session that sees no mairie's rows (credentials, codes,
    /// the list of mairies).
    pub const NONE: MairieId = MairieId(0);
}

impl std::fmt::Display for MairieId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A mairie as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MairieRow {
    /// Its id.
    pub id: MairieId,
    /// Its name (« Mairie du 19e »).
    pub name: String,
    /// When it was added (RFC 3339).
    pub created_at: String,
    /// Its epoch: changes when its data is restored from a backup.
    pub epoch: String,
    /// Catalogue versions below it were compacted away.
    pub catalogue_floor: u64,
    /// Its catalogue's meta (JSON), once one was imported.
    #[serde(skip)]
    pub catalogue_meta: Option<String>,
}

/// A value as it moves between databases: flags are integers 0 and 1.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cell {
    /// NULL.
    Null,
    /// An integer or a flag.
    Int(i64),
    /// Text.
    Text(String),
}

/// A whole table: its column names and its rows.
#[derive(Debug, Clone, Default)]
pub struct TableRows {
    /// The columns, in the order of each row's cells.
    pub columns: Vec<String>,
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
}

/// A device as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DeviceRow {
    /// Device id.
    pub id: String,
    /// Its mairie.
    pub mairie_id: MairieId,
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

/// Where a counter or a display works, as stored with its code and device.
pub struct PostRow<'a> {
    /// A counter's service.
    pub service_id: Option<&'a str>,
    /// A counter's label, or a display's room.
    pub label: Option<&'a str>,
    /// A display's services, as a JSON array.
    pub services: Option<String>,
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

/// Every statement of the server store, as one backend runs it inside the
/// transaction (or the autocommit session) it was opened for.
pub trait Db {
    /// The mairie's rows of one of [`TABLES`], without their mairie (and
    /// events without their seq, in seq order).
    fn table_rows(&self, table: &str) -> DbResult<TableRows>;

    /// Writes rows of [`Db::table_rows`] into one of [`TABLES`] for the
    /// mairie, keeping their values (ids included; events take new seqs).
    fn insert_rows(&self, table: &str, rows: &TableRows) -> DbResult<()>;

    /// The mairie the session was opened for.
    fn mairie(&self) -> DbResult<MairieId>;

    /// Every mairie, by id.
    fn mairies(&self) -> DbResult<Vec<MairieRow>>;

    /// Adds a mairie; `None` if the name is taken.
    fn mairie_insert(&self, name: &str, now: &str, epoch: &str) -> DbResult<Option<MairieId>>;

    /// The session's mairie.
    fn mairie_get(&self) -> DbResult<Option<MairieRow>>;

    /// Renames the session's mairie; false if another has the name.
    fn mairie_rename(&self, name: &str) -> DbResult<bool>;

    /// Gives the mairie a new epoch.
    fn mairie_set_epoch(&self, epoch: &str) -> DbResult<()>;

    /// Sets the meta of the mairie's catalogue (JSON).
    fn catalogue_meta_set(&self, meta: &str) -> DbResult<()>;

    /// The mairie's catalogue versions up to `floor` were compacted away.
    fn catalogue_floor_set(&self, floor: u64) -> DbResult<()>;

    /// The mairie an unused code was issued for.
    fn code_mairie(&self, hash: &str) -> DbResult<Option<MairieId>>;

    /// A value from `meta`.
    fn meta_get(&self, key: &str) -> DbResult<Option<String>>;

    /// Sets a value of `meta`.
    fn meta_set(&self, key: &str, value: &str) -> DbResult<()>;

    /// Stores a new enrolment code.
    fn code_insert(
        &self,
        hash: &str,
        name: &str,
        kind: &str,
        post: &PostRow<'_>,
        now: &str,
        expires: &str,
    ) -> DbResult<()>;

    /// Marks a code used if it is unused and unexpired; returns its name and kind.
    fn code_consume(&self, hash: &str, now: &str) -> DbResult<Option<ConsumedCode>>;

    /// Tablet letters held by devices that are not revoked.
    fn letters_in_use(&self) -> DbResult<Vec<String>>;

    /// Whether an install already has a device.
    fn install_enrolled(&self, install_id: &str) -> DbResult<bool>;

    /// Stores a new device.
    #[allow(clippy::too_many_arguments)]
    fn device_insert(
        &self,
        id: &str,
        code: &ConsumedCode,
        token_hash: &str,
        install_id: &str,
        letter: &str,
        now: &str,
    ) -> DbResult<()>;

    /// Gives a device a new credential (re-enrolment).
    fn device_set_token(&self, id: &str, token_hash: &str) -> DbResult<()>;

    /// The device holding a token, whatever its mairie.
    fn device_by_token(&self, token_hash: &str) -> DbResult<Option<DeviceRow>>;

    /// One device by id.
    fn device_get(&self, id: &str) -> DbResult<Option<DeviceRow>>;

    /// Every device, oldest first.
    fn devices(&self) -> DbResult<Vec<DeviceRow>>;

    /// Revokes a device; false if there is none with this id.
    fn device_revoke(&self, id: &str, now: &str) -> DbResult<bool>;

    /// Records a contact with the device.
    fn device_touch(&self, id: &str, now: &str) -> DbResult<()>;

    /// Saves a device's sync position and counters after a push.
    fn device_after_push(
        &self,
        id: &str,
        last_seq: u64,
        counts: (u64, u64, u64),
        clock_offset_ms: Option<i64>,
        now: &str,
    ) -> DbResult<()>;

    /// The stored hashes and receipts of an install's seqs `from..=to`.
    fn inbox_between(
        &self,
        install_id: &str,
        from: u64,
        to: u64,
    ) -> DbResult<Vec<(u64, StoredReceipt)>>;

    /// Which of these mutation ids the inbox already holds, in any mairie (a
    /// mutation id is unique everywhere: a reused one is refused, not stored).
    fn inbox_known(&self, mutation_ids: &[String]) -> DbResult<Vec<String>>;

    /// Stores mutations in the inbox.
    fn inbox_insert(&self, rows: &[InboxRow<'_>]) -> DbResult<()>;

    /// Number of visits stored, and of ticket codes.
    fn visit_and_ticket_counts(&self) -> DbResult<(u64, u64)>;

    /// Whether the catalogue holds a live record.
    fn catalogue_has(&self, kind: &str, id: &str) -> DbResult<bool>;

    /// The visit holding a ticket code on a day, if any.
    fn ticket_holder(&self, day: &str, code: &str) -> DbResult<Option<String>>;

    /// Records a ticket for a visit (once).
    fn ticket_record(
        &self,
        day: &str,
        code: &str,
        visit_id: &str,
        service: &str,
        issued_at: &str,
    ) -> DbResult<()>;

    /// Inserts a visit, or updates it if this revision is newer.
    /// Returns whether the row was written (an older revision is not).
    fn visit_upsert(&self, v: &VisitRow<'_>) -> DbResult<bool>;

    /// Deletes every catalogue item, tombstones included (a mairie moved in
    /// brings its own).
    fn catalogue_clear(&self) -> DbResult<()>;

    /// Number of catalogue items, tombstones included.
    fn catalogue_count(&self) -> DbResult<u64>;

    /// The latest catalogue version (0 when empty); never goes back, even when the
    /// newest write was a tombstone since compacted.
    fn catalogue_version(&self) -> DbResult<u64>;

    /// Every live record of a kind, as (id, record JSON).
    fn catalogue_records(&self, kind: &str) -> DbResult<Vec<(String, String)>>;

    /// Writes a record (or a tombstone) at a catalogue version.
    fn catalogue_put(
        &self,
        kind: &str,
        id: &str,
        version: u64,
        record: Option<&str>,
    ) -> DbResult<()>;

    /// Deletes every tombstone; returns how many, and the newest deleted version.
    fn catalogue_delete_tombstones(&self) -> DbResult<(usize, Option<u64>)>;

    /// Changes after `since`, oldest first, at most `limit`; tombstones left out when `live_only`.
    fn catalogue_changes(
        &self,
        since: u64,
        limit: u32,
        live_only: bool,
    ) -> DbResult<Vec<CatalogueRow>>;

    // --- The team lead's review ---------------------------------------------------

    /// Writes the fact of a visit, replacing the previous one.
    fn fact_put(&self, visit_id: &str, f: &VisitFact) -> DbResult<()>;

    /// Snapshots of the visits without a fact (stored before facts existed).
    fn snapshots_without_fact(&self) -> DbResult<Vec<(String, String)>>;

    /// The facts of the visits of days `from..=to`.
    fn facts(&self, from: &str, to: &str) -> DbResult<Vec<VisitFact>>;

    /// Visits of the day matching the filters.
    fn journal_count(&self, f: &JournalFilter<'_>) -> DbResult<u32>;

    /// One page of the day's visits matching the filters, by arrival.
    fn journal_page(
        &self,
        f: &JournalFilter<'_>,
        limit: u32,
        offset: u32,
    ) -> DbResult<Vec<JournalRow>>;

    /// Quarantined changes made between two instants (RFC 3339), repaired or not.
    fn quarantined_between(&self, from: &str, to: &str) -> DbResult<Vec<QuarantineRow>>;

    /// One change still in quarantine.
    fn quarantined_get(&self, install_id: &str, seq: u64) -> DbResult<Option<QuarantineRow>>;

    /// Records a repair and marks its inbox row stored.
    fn quarantine_repaired(
        &self,
        row: &QuarantineRow,
        by: &str,
        at: &str,
        replacements: &str,
    ) -> DbResult<()>;

    /// Snapshots of the visits of days `from..=to`, by arrival.
    fn snapshots(&self, from: &str, to: &str) -> DbResult<Vec<String>>;

    /// A day's sign-off: (comment, signed by, signed at).
    fn signoff_get(&self, day: &str) -> DbResult<Option<(String, String, String)>>;

    /// Signs a day off (again).
    fn signoff_put(
        &self,
        day: &str,
        comment: &str,
        device_id: &str,
        signed_by: &str,
        now: &str,
    ) -> DbResult<()>;

    /// Days of `from..=to` signed off.
    fn signoff_days(&self, from: &str, to: &str) -> DbResult<Vec<String>>;

    /// Aggregate cells of days `from..=to`.
    fn cells(&self, from: &str, to: &str) -> DbResult<Vec<AggregateCell>>;

    /// Writes an aggregate cell.
    fn cell_insert(&self, c: &AggregateCell) -> DbResult<()>;

    /// Whether a day has aggregates (it is past retention).
    fn day_aggregated(&self, day: &str) -> DbResult<bool>;

    /// Days before `day` that still have detailed visits.
    fn detailed_days_before(&self, day: &str) -> DbResult<Vec<String>>;

    /// Deletes a day's detailed visits and tickets (facts go with their visit);
    /// returns the visits deleted.
    fn day_delete(&self, day: &str) -> DbResult<usize>;

    /// Blanks the payloads kept in the inbox (quarantined, deferred) of changes
    /// made before `before` (RFC 3339); the hashes stay for idempotency.
    fn inbox_redact_before(&self, before: &str) -> DbResult<usize>;

    /// The live record of a kind and id, with its JSON.
    fn catalogue_record(&self, kind: &str, id: &str) -> DbResult<Option<String>>;

    /// One ticket of a day's queues.
    fn queue_get(&self, day: &str, code: &str) -> DbResult<Option<QueueRow>>;

    /// Writes a ticket of a queue, new or changed.
    fn queue_put(&self, q: &QueueRow) -> DbResult<()>;

    /// A service's tickets of a day in one state, in queue order (issue time, then code).
    fn queue_in_state(&self, day: &str, service: &str, state: &str) -> DbResult<Vec<QueueRow>>;

    /// The ticket a counter called and has not finished, if any.
    fn queue_in_hand(&self, day: &str, counter: &str) -> DbResult<Option<QueueRow>>;

    /// A day's tickets whose visits a device recorded.
    fn queue_of_device(&self, day: &str, device: &str) -> DbResult<Vec<QueueRow>>;

    /// How many counter desks of each service were heard from since `since`.
    fn open_counters(&self, since: &str) -> DbResult<Vec<(String, u32)>>;

    /// The tickets of a period, for the lead's indicators.
    fn queue_between(&self, from: &str, to: &str) -> DbResult<Vec<QueueRow>>;

    /// Records an event; returns its seq.
    fn event_insert(&self, e: &EventRow<'_>) -> DbResult<u64>;

    /// The event recorded under a client's id, if any.
    fn event_by_id(&self, event_id: &str) -> DbResult<Option<RecordedEvent>>;

    /// The latest calls (and recalls) of a day in some services, newest first.
    fn calls_latest(&self, day: &str, services: &[String], limit: u32) -> DbResult<Vec<CallRow>>;

    /// The newest event's seq (0 when none).
    fn event_last(&self) -> DbResult<u64>;

    /// Calls per counter label of a period, most first.
    fn calls_per_counter(&self, from: &str, to: &str) -> DbResult<Vec<(String, u64)>>;

    /// Which of these visit ids another mairie holds (ids are made by
    /// tablets: only a hostile or broken one reuses another's).
    fn visits_of_other_mairies(&self, visit_ids: &[String]) -> DbResult<Vec<String>>;

    /// A visit's latest snapshot.
    fn visit_snapshot(&self, visit_id: &str) -> DbResult<Option<String>>;
}
