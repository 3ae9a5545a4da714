//! The PostgreSQL backend: every statement of [`Db`] in PostgreSQL's
//! dialect, on one pooled connection (a session, or a transaction that holds
//! the store's write lock until it ends; see `backend.rs`).
//!
//! Integers are `BIGINT` and read back through checked conversions; text is
//! `COLLATE "C"`, so comparisons and orders are bytewise as in SQLite.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::{Deref, DerefMut};
use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{ToSql, Type};
use postgres::{Row, Statement};
use volant_core::domain::Satisfaction;
use volant_core::review::{AggregateCell, VisitFact};

use super::Ring;
use super::db::{
    CallRow, CatalogueRow, Cell, ConsumedCode, Db, DbError, DbResult, DeviceRow, EventRow,
    InboxRow, JournalFilter, JournalRow, MairieId, MairieRow, PostRow, QuarantineRow, QueueRow,
    RecordedEvent, StoredReceipt, TableRows, VisitRow, dropped_on_copy,
};

/// A connection with the statements it has prepared, each prepared once for
/// the connection's life (a statement is otherwise parsed on every call).
pub struct CachedClient {
    client: postgres::Client,
    statements: HashMap<String, Statement>,
}

impl CachedClient {
    fn statement(&mut self, sql: &str) -> Result<Statement, postgres::Error> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(sql)?;
        self.statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }
}

impl Deref for CachedClient {
    type Target = postgres::Client;

    fn deref(&self) -> &postgres::Client {
        &self.client
    }
}

impl DerefMut for CachedClient {
    fn deref_mut(&mut self) -> &mut postgres::Client {
        &mut self.client
    }
}

/// Opens, checks and discards the pool's connections.
pub struct Manager(pub postgres::Config);

impl r2d2::ManageConnection for Manager {
    type Connection = CachedClient;
    type Error = postgres::Error;

    fn connect(&self) -> Result<CachedClient, postgres::Error> {
        Ok(CachedClient {
            client: self.0.connect(postgres::NoTls)?,
            statements: HashMap::new(),
        })
    }

    fn is_valid(&self, conn: &mut CachedClient) -> Result<(), postgres::Error> {
        conn.client.simple_query("").map(drop)
    }

    fn has_broken(&self, conn: &mut CachedClient) -> bool {
        conn.client.is_closed()
    }
}

/// The pool of an instance's connections.
pub type Pool = r2d2::Pool<Manager>;

/// A pooled connection.
pub type Pooled = r2d2::PooledConnection<Manager>;

/// One pooled connection, used by one request: a session in autocommit, or a
/// transaction (`open`) rolled back when dropped uncommitted.
pub struct PgSession {
    client: RefCell<Pooled>,
    mairie: MairieId,
    open: bool,
}

/// First key of the transaction-scoped advisory lock every write takes
/// first, the second being its mairie: a mairie's writes are serialised
/// across instances as SQLite's `BEGIN IMMEDIATE` serialises them in one
/// file, so the rules' read-then-write steps stay correct.
const WRITE_LOCK: i32 = 0x766f_6c61;

/// The advisory lock's second key for a mairie.
fn lock_key(mairie: MairieId) -> i32 {
    // Ids beyond 2³¹ share keys: they wait for each other, nothing worse.
    (mairie.0 & 0x7fff_ffff) as i32
}

impl PgSession {
    /// A session in autocommit on a mairie's rows, for reads.
    pub fn session(client: Pooled, mairie: MairieId) -> DbResult<PgSession> {
        let session = PgSession {
            client: RefCell::new(client),
            mairie,
            open: false,
        };
        session.execute(
            "SELECT set_config('volant.mairie', $1, false)",
            &[&mairie.0.to_string()],
        )?;
        Ok(session)
    }

    /// A transaction on a mairie's rows holding its write lock.
    pub fn begin(mut client: Pooled, mairie: MairieId) -> DbResult<PgSession> {
        client.batch_execute("BEGIN")?;
        let session = PgSession {
            client: RefCell::new(client),
            mairie,
            open: true,
        };
        session.execute(
            "SELECT set_config('volant.mairie', $1, false), pg_advisory_xact_lock($2, $3)",
            &[&mairie.0.to_string(), &WRITE_LOCK, &lock_key(mairie)],
        )?;
        Ok(session)
    }

    /// Commits the transaction.
    pub fn commit(mut self) -> DbResult<()> {
        self.open = false;
        self.client.get_mut().batch_execute("COMMIT")?;
        Ok(())
    }

    /// Rings the doorbell of every instance when the transaction commits.
    pub fn notify(&self, ring: &Ring) -> DbResult<()> {
        let payload = format!("{} {} {}", ring.seq, ring.mairie.0, ring.service);
        self.execute("SELECT pg_notify($1, $2)", &[&DOORBELL, &payload])?;
        Ok(())
    }

    fn execute(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> DbResult<u64> {
        let mut client = self.client.borrow_mut();
        let statement = client.statement(sql)?;
        Ok(client.execute(&statement, params)?)
    }

    fn query(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> DbResult<Vec<Row>> {
        let mut client = self.client.borrow_mut();
        let statement = client.statement(sql)?;
        Ok(client.query(&statement, params)?)
    }

    fn query_opt(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> DbResult<Option<Row>> {
        let mut client = self.client.borrow_mut();
        let statement = client.statement(sql)?;
        Ok(client.query_opt(&statement, params)?)
    }

    fn query_one(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> DbResult<Row> {
        let mut client = self.client.borrow_mut();
        let statement = client.statement(sql)?;
        Ok(client.query_one(&statement, params)?)
    }

    fn rows<T>(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        each: impl Fn(&Row) -> DbResult<T>,
    ) -> DbResult<Vec<T>> {
        self.query(sql, params)?.iter().map(each).collect()
    }

    fn count(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> DbResult<i64> {
        Ok(self.query_one(sql, params)?.try_get(0)?)
    }
}

impl Drop for PgSession {
    fn drop(&mut self) {
        if self.open {
            // A connection that cannot roll back is broken: the pool drops it.
            let _ = self.client.get_mut().batch_execute("ROLLBACK");
        }
    }
}

/// The channel of the doorbell's notifications: `"<event seq> <mairie> <service>"`.
const DOORBELL: &str = "volant_ring";

/// How often the listener checks that its server still runs.
const LISTEN_TICK: Duration = Duration::from_secs(1);

/// Hears every instance's rings on a connection of its own and sends them to
/// `bell`, on a thread that ends when the bell is dropped. A notification is
/// only a doorbell: after a lost connection the listener reconnects and rings
/// the events recorded meanwhile, and clients fetch the state anyway.
pub fn listen(config: postgres::Config, bell: tokio::sync::broadcast::WeakSender<Ring>) {
    let spawned = std::thread::Builder::new()
        .name("volant-doorbell".into())
        .spawn(move || {
            let mut last = None;
            while bell.upgrade().is_some() {
                if let Err(e) = listen_once(&config, &bell, &mut last) {
                    tracing::warn!(error = %e, "doorbell: PostgreSQL connection lost, reconnecting");
                    std::thread::sleep(LISTEN_TICK);
                }
            }
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "doorbell: no thread, live updates from other instances lost");
    }
}

/// One connection's life: LISTEN, ring what was missed since `last`, then
/// every notification until the bell is gone (`Ok`) or the connection fails.
fn listen_once(
    config: &postgres::Config,
    bell: &tokio::sync::broadcast::WeakSender<Ring>,
    last: &mut Option<i64>,
) -> Result<(), postgres::Error> {
    let mut client = config.connect(postgres::NoTls)?;
    client.batch_execute(&format!("LISTEN {DOORBELL}"))?;
    let missed = match *last {
        Some(after) => client.query(
            "SELECT seq, mairie_id, service_id FROM ticket_event WHERE seq > $1 ORDER BY seq",
            &[&after],
        )?,
        None => client.query(
            "SELECT seq, mairie_id, service_id FROM ticket_event ORDER BY seq DESC LIMIT 1",
            &[],
        )?,
    };
    for row in missed {
        let seq: i64 = row.try_get(0)?;
        if last.is_some() {
            send(bell, seq, MairieId(row.try_get(1)?), row.try_get(2)?);
        }
        *last = Some(seq);
    }
    if last.is_none() {
        *last = Some(0);
    }
    loop {
        {
            let mut notifications = client.notifications();
            let mut heard = notifications.timeout_iter(LISTEN_TICK);
            while let Some(n) = heard.next()? {
                let mut parts = n.payload().splitn(3, ' ');
                if let (Some(Ok(seq)), Some(Ok(mairie)), Some(service)) = (
                    parts.next().map(str::parse::<i64>),
                    parts.next().map(str::parse::<i64>),
                    parts.next(),
                ) {
                    *last = Some(last.map_or(seq, |l| l.max(seq)));
                    send(bell, seq, MairieId(mairie), service.to_owned());
                }
            }
        }
        if bell.upgrade().is_none() {
            return Ok(());
        }
        if client.is_closed() {
            // The error that says why.
            return client.batch_execute("SELECT 1");
        }
    }
}

fn send(
    bell: &tokio::sync::broadcast::WeakSender<Ring>,
    seq: i64,
    mairie: MairieId,
    service: String,
) {
    if let (Some(bell), Ok(seq)) = (bell.upgrade(), u64::try_from(seq)) {
        let _ = bell.send(Ring {
            seq,
            mairie,
            service,
        });
    }
}

/// An unsigned value as the database's `BIGINT`.
fn big(n: impl Into<u64>) -> DbResult<i64> {
    let n = n.into();
    i64::try_from(n).map_err(|_| DbError::Range(format!("{n} dépasse les entiers de la base")))
}

/// A `BIGINT` column as an unsigned Rust integer.
fn get<T: TryFrom<i64>>(r: &Row, i: usize) -> DbResult<T> {
    let n: i64 = r.try_get(i)?;
    T::try_from(n).map_err(|_| DbError::Range(format!("colonne {i} : {n}")))
}

/// A nullable `BIGINT` column as an unsigned Rust integer.
fn get_opt<T: TryFrom<i64>>(r: &Row, i: usize) -> DbResult<Option<T>> {
    let n: Option<i64> = r.try_get(i)?;
    n.map(|n| T::try_from(n).map_err(|_| DbError::Range(format!("colonne {i} : {n}"))))
        .transpose()
}

const DEVICE_COLUMNS: &str =
    "id, name, kind, install_id, tablet_letter, enrolled_at, revoked_at, last_contact_at,
     clock_offset_ms, last_seq, received, quarantined, deferred, service_id, label, services, mairie_id";

fn device_row(r: &Row) -> DbResult<DeviceRow> {
    Ok(DeviceRow {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        kind: r.try_get(2)?,
        install_id: r.try_get(3)?,
        tablet_letter: r.try_get(4)?,
        enrolled_at: r.try_get(5)?,
        revoked_at: r.try_get(6)?,
        last_contact_at: r.try_get(7)?,
        clock_offset_ms: r.try_get(8)?,
        last_seq: get(r, 9)?,
        received: get(r, 10)?,
        quarantined: get(r, 11)?,
        deferred: get(r, 12)?,
        service_id: r.try_get(13)?,
        label: r.try_get(14)?,
        services: r.try_get(15)?,
        mairie_id: MairieId(r.try_get(16)?),
    })
}

const MAIRIE_COLUMNS: &str = "id, name, created_at, epoch, catalogue_floor, catalogue_meta";

fn mairie_row(r: &Row) -> DbResult<MairieRow> {
    Ok(MairieRow {
        id: MairieId(r.try_get(0)?),
        name: r.try_get(1)?,
        created_at: r.try_get(2)?,
        epoch: r.try_get(3)?,
        catalogue_floor: get(r, 4)?,
        catalogue_meta: r.try_get(5)?,
    })
}

const FACT_COLUMNS: &str = "day, hour, tablet, agent, outcome, service, demarches, unmet,
     listen_s, qualify_s, orient_s, accompany_s, accompanied, ticket, satisfaction, repeated_situation";

fn fact_row(r: &Row) -> DbResult<VisitFact> {
    let day: String = r.try_get(0)?;
    let demarches: String = r.try_get(6)?;
    let satisfaction: Option<String> = r.try_get(14)?;
    Ok(VisitFact {
        day: day.parse().unwrap_or_default(),
        hour: get(r, 1)?,
        tablet: r.try_get(2)?,
        agent: r.try_get(3)?,
        outcome: r.try_get(4)?,
        service: r.try_get(5)?,
        demarches: demarches
            .split('|')
            .filter(|d| !d.is_empty())
            .map(str::to_owned)
            .collect(),
        unmet: r.try_get(7)?,
        seconds: [
            get_opt(r, 8)?,
            get_opt(r, 9)?,
            get_opt(r, 10)?,
            get_opt(r, 11)?,
        ],
        accompanied: r.try_get(12)?,
        ticket: r.try_get(13)?,
        satisfaction: satisfaction.as_deref().and_then(Satisfaction::parse),
        repeated_situation: r.try_get(15)?,
    })
}

const JOURNAL_WHERE: &str =
    "f.mairie_id = mairie() AND f.day = $1 AND ($2::text IS NULL OR f.tablet = $2)
     AND ($3::text IS NULL OR f.agent = $3)
     AND ($4::text IS NULL OR f.service = $4) AND ($5::text IS NULL OR f.outcome = $5)
     AND ($6::text IS NULL OR strpos('|' || f.demarches || '|', '|' || $6 || '|') > 0)
     AND (NOT $7::boolean OR f.unmet IS NOT NULL)";

/// The parameters $1 to $7 of `JOURNAL_WHERE`.
fn journal_params<'a>(f: &'a JournalFilter<'a>) -> Vec<&'a (dyn ToSql + Sync)> {
    vec![
        &f.day,
        &f.tablet,
        &f.agent,
        &f.service,
        &f.outcome,
        &f.demarche,
        &f.unmet_only,
    ]
}

fn quarantine_row(r: &Row) -> DbResult<QuarantineRow> {
    let by: Option<String> = r.try_get(7)?;
    Ok(QuarantineRow {
        device: r.try_get(0)?,
        device_id: r.try_get(10)?,
        install_id: r.try_get(1)?,
        seq: get(r, 2)?,
        entity_id: r.try_get(3)?,
        device_time: r.try_get(4)?,
        reason: r.try_get(5)?,
        payload: r.try_get(6)?,
        repair: match by {
            Some(by) => Some((by, r.try_get(8)?, r.try_get(9)?)),
            None => None,
        },
    })
}

const QUEUE_COLUMNS: &str =
    "q.day, q.code, q.service_id, q.issued_at, q.visit_id, q.adopted_at, q.state, q.counter_id,
     q.counter_label, q.calls, q.called_at, q.last_call_at, q.arrived_at, q.served_at, q.outcome,
     q.quoted_max_min";

fn queue_row(r: &Row) -> DbResult<QueueRow> {
    Ok(QueueRow {
        day: r.try_get(0)?,
        code: r.try_get(1)?,
        service_id: r.try_get(2)?,
        issued_at: r.try_get(3)?,
        visit_id: r.try_get(4)?,
        adopted_at: r.try_get(5)?,
        state: r.try_get(6)?,
        counter_id: r.try_get(7)?,
        counter_label: r.try_get(8)?,
        calls: get(r, 9)?,
        called_at: r.try_get(10)?,
        last_call_at: r.try_get(11)?,
        arrived_at: r.try_get(12)?,
        served_at: r.try_get(13)?,
        outcome: r.try_get(14)?,
        quoted_max_min: get_opt(r, 15)?,
    })
}

impl Db for PgSession {
    fn table_rows(&self, table: &str) -> DbResult<TableRows> {
        let mut client = self.client.borrow_mut();
        let order = if table == "ticket_event" {
            "seq"
        } else {
            "ctid"
        };
        let statement = client.prepare(&format!(
            "SELECT * FROM {table} WHERE mairie_id = mairie() ORDER BY {order}"
        ))?;
        let kept: Vec<usize> = (0..statement.columns().len())
            .filter(|i| !dropped_on_copy(table, statement.columns()[*i].name()))
            .collect();
        let columns = kept
            .iter()
            .map(|i| statement.columns()[*i].name().to_owned())
            .collect();
        let rows = client
            .query(&statement, &[])?
            .iter()
            .map(|r| {
                kept.iter()
                    .map(|&i| {
                        Ok(match *r.columns()[i].type_() {
                            Type::BOOL => r
                                .try_get::<_, Option<bool>>(i)?
                                .map(i64::from)
                                .map_or(Cell::Null, Cell::Int),
                            Type::INT8 => r
                                .try_get::<_, Option<i64>>(i)?
                                .map_or(Cell::Null, Cell::Int),
                            _ => r
                                .try_get::<_, Option<String>>(i)?
                                .map_or(Cell::Null, Cell::Text),
                        })
                    })
                    .collect::<DbResult<Vec<Cell>>>()
            })
            .collect::<DbResult<_>>()?;
        Ok(TableRows { columns, rows })
    }

    fn insert_rows(&self, table: &str, rows: &TableRows) -> DbResult<()> {
        let marks: Vec<String> = (1..=rows.columns.len()).map(|i| format!("${i}")).collect();
        let mut client = self.client.borrow_mut();
        let insert = client.prepare(&format!(
            "INSERT INTO {table} ({}, mairie_id) VALUES ({}, mairie())",
            rows.columns.join(", "),
            marks.join(", ")
        ))?;
        let types = insert.params().to_vec();
        for row in &rows.rows {
            let values: Vec<Box<dyn ToSql + Sync>> = row
                .iter()
                .zip(&types)
                .map(|(cell, ty)| -> Box<dyn ToSql + Sync> {
                    match (cell, ty) {
                        (Cell::Null, &Type::BOOL) => Box::new(None::<bool>),
                        (Cell::Null, &Type::INT8) => Box::new(None::<i64>),
                        (Cell::Null, _) => Box::new(None::<String>),
                        (Cell::Int(n), &Type::BOOL) => Box::new(*n != 0),
                        (Cell::Int(n), &Type::INT8) => Box::new(*n),
                        (Cell::Int(n), _) => Box::new(n.to_string()),
                        (Cell::Text(t), _) => Box::new(t.clone()),
                    }
                })
                .collect();
            let params: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| &**v).collect();
            client.execute(&insert, &params)?;
        }
        Ok(())
    }

    fn mairie(&self) -> DbResult<MairieId> {
        Ok(self.mairie)
    }

    fn mairies(&self) -> DbResult<Vec<MairieRow>> {
        self.rows(
            &format!("SELECT {MAIRIE_COLUMNS} FROM mairie ORDER BY id"),
            &[],
            mairie_row,
        )
    }

    fn mairie_insert(&self, name: &str, now: &str, epoch: &str) -> DbResult<Option<MairieId>> {
        self.query_opt(
            "INSERT INTO mairie (name, created_at, epoch) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO NOTHING RETURNING id",
            &[&name, &now, &epoch],
        )?
        .map(|r| Ok(MairieId(r.try_get(0)?)))
        .transpose()
    }

    fn mairie_get(&self) -> DbResult<Option<MairieRow>> {
        self.query_opt(
            &format!("SELECT {MAIRIE_COLUMNS} FROM mairie WHERE id = mairie()"),
            &[],
        )?
        .map(|r| mairie_row(&r))
        .transpose()
    }

    fn mairie_rename(&self, name: &str) -> DbResult<bool> {
        Ok(self.execute(
            "UPDATE mairie SET name = $1 WHERE id = mairie()
             AND NOT EXISTS (SELECT 1 FROM mairie WHERE name = $1 AND id <> mairie())",
            &[&name],
        )? > 0)
    }

    fn mairie_set_epoch(&self, epoch: &str) -> DbResult<()> {
        self.execute(
            "UPDATE mairie SET epoch = $1 WHERE id = mairie()",
            &[&epoch],
        )?;
        Ok(())
    }

    fn catalogue_meta_set(&self, meta: &str) -> DbResult<()> {
        self.execute(
            "UPDATE mairie SET catalogue_meta = $1 WHERE id = mairie()",
            &[&meta],
        )?;
        Ok(())
    }

    fn catalogue_floor_set(&self, floor: u64) -> DbResult<()> {
        self.execute(
            "UPDATE mairie SET catalogue_floor = GREATEST(catalogue_floor, $1) WHERE id = mairie()",
            &[&big(floor)?],
        )?;
        Ok(())
    }

    fn code_mairie(&self, hash: &str) -> DbResult<Option<MairieId>> {
        self.query_opt(
            "SELECT mairie_id FROM enrollment_code WHERE code_hash = $1 AND used_at IS NULL",
            &[&hash],
        )?
        .map(|r| Ok(MairieId(r.try_get(0)?)))
        .transpose()
    }

    fn meta_get(&self, key: &str) -> DbResult<Option<String>> {
        self.query_opt("SELECT value FROM meta WHERE key = $1", &[&key])?
            .map(|r| Ok(r.try_get(0)?))
            .transpose()
    }

    fn meta_set(&self, key: &str, value: &str) -> DbResult<()> {
        self.execute(
            "INSERT INTO meta (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            &[&key, &value],
        )?;
        Ok(())
    }

    fn code_insert(
        &self,
        hash: &str,
        name: &str,
        kind: &str,
        post: &PostRow<'_>,
        now: &str,
        expires: &str,
    ) -> DbResult<()> {
        self.execute(
            "INSERT INTO enrollment_code (code_hash, name, kind, created_at, expires_at, service_id, label, services, mairie_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, mairie())",
            &[&hash, &name, &kind, &now, &expires, &post.service_id, &post.label, &post.services],
        )?;
        Ok(())
    }

    fn code_consume(&self, hash: &str, now: &str) -> DbResult<Option<ConsumedCode>> {
        self.query_opt(
            "UPDATE enrollment_code SET used_at = $2
             WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 AND mairie_id = mairie()
             RETURNING name, kind, service_id, label, services",
            &[&hash, &now],
        )?
        .map(|r| {
            Ok(ConsumedCode {
                name: r.try_get(0)?,
                kind: r.try_get(1)?,
                service_id: r.try_get(2)?,
                label: r.try_get(3)?,
                services: r.try_get(4)?,
            })
        })
        .transpose()
    }

    fn letters_in_use(&self) -> DbResult<Vec<String>> {
        self.rows(
            "SELECT tablet_letter FROM device
             WHERE mairie_id = mairie() AND revoked_at IS NULL AND kind IN ('agent', 'lead')",
            &[],
            |r| Ok(r.try_get(0)?),
        )
    }

    fn install_enrolled(&self, install_id: &str) -> DbResult<bool> {
        Ok(self.count(
            "SELECT COUNT(*) FROM device WHERE install_id = $1",
            &[&install_id],
        )? > 0)
    }

    fn device_insert(
        &self,
        id: &str,
        code: &ConsumedCode,
        token_hash: &str,
        install_id: &str,
        letter: &str,
        now: &str,
    ) -> DbResult<()> {
        self.execute(
            "INSERT INTO device (id, name, kind, token_hash, install_id, tablet_letter, enrolled_at, service_id, label, services, mairie_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, mairie())",
            &[&id, &code.name, &code.kind, &token_hash, &install_id, &letter, &now, &code.service_id, &code.label, &code.services],
        )?;
        Ok(())
    }

    fn device_set_token(&self, id: &str, token_hash: &str) -> DbResult<()> {
        self.execute(
            "UPDATE device SET token_hash = $2 WHERE id = $1 AND mairie_id = mairie()",
            &[&id, &token_hash],
        )?;
        Ok(())
    }

    fn device_by_token(&self, token_hash: &str) -> DbResult<Option<DeviceRow>> {
        self.query_opt(
            &format!("SELECT {DEVICE_COLUMNS} FROM device WHERE token_hash = $1"),
            &[&token_hash],
        )?
        .as_ref()
        .map(device_row)
        .transpose()
    }

    fn device_get(&self, id: &str) -> DbResult<Option<DeviceRow>> {
        self.query_opt(
            &format!("SELECT {DEVICE_COLUMNS} FROM device WHERE id = $1 AND mairie_id = mairie()"),
            &[&id],
        )?
        .as_ref()
        .map(device_row)
        .transpose()
    }

    fn devices(&self) -> DbResult<Vec<DeviceRow>> {
        self.rows(
            &format!(
                "SELECT {DEVICE_COLUMNS} FROM device WHERE mairie_id = mairie() ORDER BY enrolled_at, id"
            ),
            &[],
            device_row,
        )
    }

    fn device_revoke(&self, id: &str, now: &str) -> DbResult<bool> {
        Ok(self.execute(
            "UPDATE device SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 AND mairie_id = mairie()",
            &[&id, &now],
        )? > 0)
    }

    fn device_touch(&self, id: &str, now: &str) -> DbResult<()> {
        self.execute(
            "UPDATE device SET last_contact_at = $2 WHERE id = $1 AND mairie_id = mairie()",
            &[&id, &now],
        )?;
        Ok(())
    }

    fn device_after_push(
        &self,
        id: &str,
        last_seq: u64,
        counts: (u64, u64, u64),
        clock_offset_ms: Option<i64>,
        now: &str,
    ) -> DbResult<()> {
        self.execute(
            "UPDATE device SET last_seq = $2, received = received + $3, quarantined = quarantined + $4,
                    deferred = deferred + $5, clock_offset_ms = COALESCE($6, clock_offset_ms),
                    last_contact_at = $7
             WHERE id = $1 AND mairie_id = mairie()",
            &[
                &id,
                &big(last_seq)?,
                &big(counts.0)?,
                &big(counts.1)?,
                &big(counts.2)?,
                &clock_offset_ms,
                &now,
            ],
        )?;
        Ok(())
    }

    fn inbox_between(
        &self,
        install_id: &str,
        from: u64,
        to: u64,
    ) -> DbResult<Vec<(u64, StoredReceipt)>> {
        // Seqs beyond the database's integers were never stored.
        let (Ok(from), to) = (i64::try_from(from), i64::try_from(to).unwrap_or(i64::MAX)) else {
            return Ok(Vec::new());
        };
        self.rows(
            "SELECT seq, payload_hash, mutation_id, status, reason FROM inbox
             WHERE install_id = $1 AND seq BETWEEN $2 AND $3 AND mairie_id = mairie()",
            &[&install_id, &from, &to],
            |r| {
                Ok((
                    get(r, 0)?,
                    StoredReceipt {
                        payload_hash: r.try_get(1)?,
                        mutation_id: r.try_get(2)?,
                        status: r.try_get(3)?,
                        reason: r.try_get(4)?,
                    },
                ))
            },
        )
    }

    fn inbox_known(&self, mutation_ids: &[String]) -> DbResult<Vec<String>> {
        self.rows(
            "SELECT mutation_id FROM inbox WHERE mutation_id = ANY($1)",
            &[&mutation_ids],
            |r| Ok(r.try_get(0)?),
        )
    }

    fn inbox_insert(&self, rows: &[InboxRow<'_>]) -> DbResult<()> {
        // One statement for the whole push: a column of values per array.
        let column =
            |f: fn(&InboxRow<'_>) -> Option<String>| rows.iter().map(f).collect::<Vec<_>>();
        let seqs = rows
            .iter()
            .map(|r| big(r.seq))
            .collect::<DbResult<Vec<_>>>()?;
        let versions = rows
            .iter()
            .map(|r| big(r.payload_version))
            .collect::<DbResult<Vec<_>>>()?;
        let offsets: Vec<Option<i64>> = rows.iter().map(|r| r.clock_offset_ms).collect();
        self.execute(
            "INSERT INTO inbox (install_id, seq, mutation_id, payload_hash, kind, entity_id, payload_version,
                                device_time, received_at, clock_offset_ms, payload, status, reason, mairie_id)
             SELECT *, mairie() FROM UNNEST($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[],
                 $6::text[], $7::bigint[], $8::text[], $9::text[], $10::bigint[], $11::text[],
                 $12::text[], $13::text[])",
            &[
                &column(|r| Some(r.install_id.to_owned())),
                &seqs,
                &column(|r| Some(r.mutation_id.to_owned())),
                &column(|r| Some(r.payload_hash.to_owned())),
                &column(|r| Some(r.kind.to_owned())),
                &column(|r| Some(r.entity_id.to_owned())),
                &versions,
                &column(|r| Some(r.device_time.to_owned())),
                &column(|r| Some(r.received_at.to_owned())),
                &offsets,
                &column(|r| r.payload.map(str::to_owned)),
                &column(|r| Some(r.status.to_owned())),
                &column(|r| r.reason.map(str::to_owned)),
            ],
        )?;
        Ok(())
    }

    fn visit_and_ticket_counts(&self) -> DbResult<(u64, u64)> {
        let r = self.query_one(
            "SELECT (SELECT COUNT(*) FROM visit WHERE mairie_id = mairie()),
                    (SELECT COUNT(*) FROM ticket WHERE mairie_id = mairie())",
            &[],
        )?;
        Ok((get(&r, 0)?, get(&r, 1)?))
    }

    fn catalogue_has(&self, kind: &str, id: &str) -> DbResult<bool> {
        Ok(self.count(
            "SELECT COUNT(*) FROM catalogue_item
             WHERE mairie_id = mairie() AND kind = $1 AND id = $2 AND record IS NOT NULL",
            &[&kind, &id],
        )? > 0)
    }

    fn ticket_holder(&self, day: &str, code: &str) -> DbResult<Option<String>> {
        self.query_opt(
            "SELECT visit_id FROM ticket WHERE mairie_id = mairie() AND day = $1 AND code = $2",
            &[&day, &code],
        )?
        .map(|r| Ok(r.try_get(0)?))
        .transpose()
    }

    fn ticket_record(
        &self,
        day: &str,
        code: &str,
        visit_id: &str,
        service: &str,
        issued_at: &str,
    ) -> DbResult<()> {
        self.execute(
            "INSERT INTO ticket (day, code, visit_id, service_id, issued_at, mairie_id)
             VALUES ($1, $2, $3, $4, $5, mairie())
             ON CONFLICT (mairie_id, day, code) DO NOTHING",
            &[&day, &code, &visit_id, &service, &issued_at],
        )?;
        Ok(())
    }

    fn visit_upsert(&self, v: &VisitRow<'_>) -> DbResult<bool> {
        Ok(self.execute(
            "INSERT INTO visit (id, device_id, tablet, day, step, outcome, revision, opened_at, received_at, clock_suspect, snapshot, mairie_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, mairie())
             ON CONFLICT (id) DO UPDATE SET step = EXCLUDED.step, outcome = EXCLUDED.outcome,
                 revision = EXCLUDED.revision, received_at = EXCLUDED.received_at,
                 clock_suspect = EXCLUDED.clock_suspect, snapshot = EXCLUDED.snapshot
             WHERE EXCLUDED.revision > visit.revision AND visit.mairie_id = EXCLUDED.mairie_id",
            &[
                &v.id,
                &v.device_id,
                &v.tablet,
                &v.day,
                &v.step,
                &v.outcome,
                &big(v.revision)?,
                &v.opened_at,
                &v.received_at,
                &v.clock_suspect,
                &v.snapshot,
            ],
        )? > 0)
    }

    fn catalogue_clear(&self) -> DbResult<()> {
        self.execute("DELETE FROM catalogue_item WHERE mairie_id = mairie()", &[])?;
        Ok(())
    }

    fn catalogue_count(&self) -> DbResult<u64> {
        get(
            &self.query_one(
                "SELECT COUNT(*) FROM catalogue_item WHERE mairie_id = mairie()",
                &[],
            )?,
            0,
        )
    }

    fn catalogue_version(&self) -> DbResult<u64> {
        get(
            &self.query_one(
                "SELECT GREATEST((SELECT COALESCE(MAX(version), 0) FROM catalogue_item WHERE mairie_id = mairie()),
                        (SELECT COALESCE(MAX(catalogue_floor), 0) FROM mairie WHERE id = mairie()))",
                &[],
            )?,
            0,
        )
    }

    fn catalogue_records(&self, kind: &str) -> DbResult<Vec<(String, String)>> {
        self.rows(
            "SELECT id, record FROM catalogue_item
             WHERE mairie_id = mairie() AND kind = $1 AND record IS NOT NULL ORDER BY version",
            &[&kind],
            |r| Ok((r.try_get(0)?, r.try_get(1)?)),
        )
    }

    fn catalogue_put(
        &self,
        kind: &str,
        id: &str,
        version: u64,
        record: Option<&str>,
    ) -> DbResult<()> {
        self.execute(
            "INSERT INTO catalogue_item (kind, id, version, record, mairie_id) VALUES ($1, $2, $3, $4, mairie())
             ON CONFLICT (mairie_id, kind, id) DO UPDATE SET version = EXCLUDED.version, record = EXCLUDED.record",
            &[&kind, &id, &big(version)?, &record],
        )?;
        Ok(())
    }

    fn catalogue_delete_tombstones(&self) -> DbResult<(usize, Option<u64>)> {
        let newest = get_opt(
            &self.query_one(
                "SELECT MAX(version) FROM catalogue_item WHERE mairie_id = mairie() AND record IS NULL",
                &[],
            )?,
            0,
        )?;
        let deleted = self.execute(
            "DELETE FROM catalogue_item WHERE mairie_id = mairie() AND record IS NULL",
            &[],
        )?;
        Ok((usize::try_from(deleted).unwrap_or(usize::MAX), newest))
    }

    fn catalogue_changes(
        &self,
        since: u64,
        limit: u32,
        live_only: bool,
    ) -> DbResult<Vec<CatalogueRow>> {
        self.rows(
            "SELECT kind, id, version, record FROM catalogue_item
             WHERE mairie_id = mairie() AND version > $1 AND (NOT $3 OR record IS NOT NULL)
             ORDER BY version LIMIT $2",
            &[&big(since)?, &big(limit)?, &live_only],
            |r| {
                Ok(CatalogueRow {
                    kind: r.try_get(0)?,
                    id: r.try_get(1)?,
                    version: get(r, 2)?,
                    record: r.try_get(3)?,
                })
            },
        )
    }

    fn fact_put(&self, visit_id: &str, f: &VisitFact) -> DbResult<()> {
        let seconds = f.seconds.map(|s| s.map(i64::from));
        self.execute(
            "INSERT INTO visit_fact (visit_id, day, hour, tablet, agent, outcome, service, demarche,
                 demarches, unmet, listen_s, qualify_s, orient_s, accompany_s, accompanied, ticket,
                 satisfaction, repeated_situation, mairie_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                     (SELECT mairie_id FROM visit WHERE id = $1))
             ON CONFLICT (visit_id) DO UPDATE SET day = EXCLUDED.day, hour = EXCLUDED.hour,
                 tablet = EXCLUDED.tablet, agent = EXCLUDED.agent, outcome = EXCLUDED.outcome,
                 service = EXCLUDED.service, demarche = EXCLUDED.demarche,
                 demarches = EXCLUDED.demarches, unmet = EXCLUDED.unmet,
                 listen_s = EXCLUDED.listen_s, qualify_s = EXCLUDED.qualify_s,
                 orient_s = EXCLUDED.orient_s, accompany_s = EXCLUDED.accompany_s,
                 accompanied = EXCLUDED.accompanied, ticket = EXCLUDED.ticket,
                 satisfaction = EXCLUDED.satisfaction,
                 repeated_situation = EXCLUDED.repeated_situation",
            &[
                &visit_id,
                &f.day.to_string(),
                &i64::from(f.hour),
                &f.tablet,
                &f.agent,
                &f.outcome,
                &f.service,
                &f.main_demarche(),
                &f.demarches.join("|"),
                &f.unmet,
                &seconds[0],
                &seconds[1],
                &seconds[2],
                &seconds[3],
                &f.accompanied,
                &f.ticket,
                &f.satisfaction.map(Satisfaction::as_str),
                &f.repeated_situation,
            ],
        )?;
        Ok(())
    }

    fn snapshots_without_fact(&self) -> DbResult<Vec<(String, String)>> {
        self.rows(
            "SELECT id, snapshot FROM visit v
             WHERE v.mairie_id = mairie() AND NOT EXISTS (SELECT 1 FROM visit_fact f WHERE f.visit_id = v.id)",
            &[],
            |r| Ok((r.try_get(0)?, r.try_get(1)?)),
        )
    }

    fn facts(&self, from: &str, to: &str) -> DbResult<Vec<VisitFact>> {
        self.rows(
            &format!(
                "SELECT {FACT_COLUMNS} FROM visit_fact WHERE mairie_id = mairie() AND day BETWEEN $1 AND $2"
            ),
            &[&from, &to],
            fact_row,
        )
    }

    fn journal_count(&self, f: &JournalFilter<'_>) -> DbResult<u32> {
        get(
            &self.query_one(
                &format!("SELECT COUNT(*) FROM visit_fact f WHERE {JOURNAL_WHERE}"),
                &journal_params(f),
            )?,
            0,
        )
    }

    fn journal_page(
        &self,
        f: &JournalFilter<'_>,
        limit: u32,
        offset: u32,
    ) -> DbResult<Vec<JournalRow>> {
        let (limit, offset) = (i64::from(limit), i64::from(offset));
        let mut params = journal_params(f);
        params.extend([&limit as &(dyn ToSql + Sync), &offset]);
        self.rows(
            &format!(
                "SELECT d.name, v.received_at, v.clock_suspect,
                     (SELECT reason FROM inbox i WHERE i.status = 'quarantined' AND i.entity_id = v.id AND i.mairie_id = v.mairie_id
                      ORDER BY i.seq DESC LIMIT 1),
                     v.snapshot
                 FROM visit_fact f JOIN visit v ON v.id = f.visit_id AND v.mairie_id = f.mairie_id
                      JOIN device d ON d.id = v.device_id
                 WHERE {JOURNAL_WHERE} ORDER BY v.opened_at, v.id LIMIT $8 OFFSET $9"
            ),
            &params,
            |r| {
                Ok(JournalRow {
                    device: r.try_get(0)?,
                    received_at: r.try_get(1)?,
                    clock_suspect: r.try_get(2)?,
                    quarantined: r.try_get(3)?,
                    snapshot: r.try_get(4)?,
                })
            },
        )
    }

    fn quarantined_between(&self, from: &str, to: &str) -> DbResult<Vec<QuarantineRow>> {
        self.rows(
            "SELECT d.name, i.install_id, i.seq, i.entity_id, i.device_time,
                    COALESCE(r.original_reason, i.reason, ''), COALESCE(i.payload, ''),
                    r.repaired_by, r.repaired_at, r.replacements, d.id
             FROM inbox i JOIN device d ON d.install_id = i.install_id
             LEFT JOIN quarantine_repair r ON r.install_id = i.install_id AND r.seq = i.seq
             WHERE i.mairie_id = mairie() AND (i.status = 'quarantined' OR r.seq IS NOT NULL)
               AND i.device_time >= $1 AND i.device_time < $2
             ORDER BY i.device_time",
            &[&from, &to],
            quarantine_row,
        )
    }

    fn quarantined_get(&self, install_id: &str, seq: u64) -> DbResult<Option<QuarantineRow>> {
        // A seq beyond the database's integers was never stored.
        let Ok(seq) = i64::try_from(seq) else {
            return Ok(None);
        };
        self.query_opt(
            "SELECT d.name, i.install_id, i.seq, i.entity_id, i.device_time, COALESCE(i.reason, ''),
                    COALESCE(i.payload, ''), NULL::text, NULL::text, NULL::text, d.id
             FROM inbox i JOIN device d ON d.install_id = i.install_id
             WHERE i.install_id = $1 AND i.seq = $2 AND i.status = 'quarantined' AND i.mairie_id = mairie()",
            &[&install_id, &seq],
        )?
        .as_ref()
        .map(quarantine_row)
        .transpose()
    }

    fn quarantine_repaired(
        &self,
        row: &QuarantineRow,
        by: &str,
        at: &str,
        replacements: &str,
    ) -> DbResult<()> {
        let seq = big(row.seq)?;
        self.execute(
            "INSERT INTO quarantine_repair (install_id, seq, repaired_by, repaired_at, replacements, original_reason, mairie_id)
             VALUES ($1, $2, $3, $4, $5, $6, mairie())",
            &[&row.install_id, &seq, &by, &at, &replacements, &row.reason],
        )?;
        self.execute(
            "UPDATE inbox SET status = 'stored', reason = NULL
             WHERE install_id = $1 AND seq = $2 AND mairie_id = mairie()",
            &[&row.install_id, &seq],
        )?;
        Ok(())
    }

    fn snapshots(&self, from: &str, to: &str) -> DbResult<Vec<String>> {
        self.rows(
            "SELECT snapshot FROM visit WHERE mairie_id = mairie() AND day BETWEEN $1 AND $2
             ORDER BY day, opened_at, id",
            &[&from, &to],
            |r| Ok(r.try_get(0)?),
        )
    }

    fn signoff_get(&self, day: &str) -> DbResult<Option<(String, String, String)>> {
        self.query_opt(
            "SELECT comment, signed_by, signed_at FROM day_signoff WHERE mairie_id = mairie() AND day = $1",
            &[&day],
        )?
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .transpose()
    }

    fn signoff_put(
        &self,
        day: &str,
        comment: &str,
        device_id: &str,
        signed_by: &str,
        now: &str,
    ) -> DbResult<()> {
        self.execute(
            "INSERT INTO day_signoff (day, comment, device_id, signed_by, signed_at, mairie_id)
             VALUES ($1, $2, $3, $4, $5, mairie())
             ON CONFLICT (mairie_id, day) DO UPDATE SET comment = EXCLUDED.comment,
                 device_id = EXCLUDED.device_id, signed_by = EXCLUDED.signed_by,
                 signed_at = EXCLUDED.signed_at",
            &[&day, &comment, &device_id, &signed_by, &now],
        )?;
        Ok(())
    }

    fn signoff_days(&self, from: &str, to: &str) -> DbResult<Vec<String>> {
        self.rows(
            "SELECT day FROM day_signoff WHERE mairie_id = mairie() AND day BETWEEN $1 AND $2 ORDER BY day",
            &[&from, &to],
            |r| Ok(r.try_get(0)?),
        )
    }

    fn cells(&self, from: &str, to: &str) -> DbResult<Vec<AggregateCell>> {
        self.rows(
            "SELECT day, hour, demarche, outcome, visits FROM visit_aggregate
             WHERE mairie_id = mairie() AND day BETWEEN $1 AND $2",
            &[&from, &to],
            |r| {
                let day: String = r.try_get(0)?;
                Ok(AggregateCell {
                    day: day.parse().unwrap_or_default(),
                    hour: get_opt(r, 1)?,
                    demarche: r.try_get(2)?,
                    outcome: r.try_get(3)?,
                    visits: get(r, 4)?,
                })
            },
        )
    }

    fn cell_insert(&self, c: &AggregateCell) -> DbResult<()> {
        self.execute(
            "INSERT INTO visit_aggregate (day, hour, demarche, outcome, visits, mairie_id)
             VALUES ($1, $2, $3, $4, $5, mairie())",
            &[
                &c.day.to_string(),
                &c.hour.map(i64::from),
                &c.demarche,
                &c.outcome,
                &i64::from(c.visits),
            ],
        )?;
        Ok(())
    }

    fn day_aggregated(&self, day: &str) -> DbResult<bool> {
        Ok(self.count(
            "SELECT COUNT(*) FROM visit_aggregate WHERE mairie_id = mairie() AND day = $1",
            &[&day],
        )? > 0)
    }

    fn detailed_days_before(&self, day: &str) -> DbResult<Vec<String>> {
        self.rows(
            "SELECT DISTINCT day FROM visit WHERE mairie_id = mairie() AND day < $1 ORDER BY day",
            &[&day],
            |r| Ok(r.try_get(0)?),
        )
    }

    fn day_delete(&self, day: &str) -> DbResult<usize> {
        for table in ["ticket", "queue_ticket", "ticket_event"] {
            self.execute(
                &format!("DELETE FROM {table} WHERE mairie_id = mairie() AND day = $1"),
                &[&day],
            )?;
        }
        let visits = self.execute(
            "DELETE FROM visit WHERE mairie_id = mairie() AND day = $1",
            &[&day],
        )?;
        Ok(usize::try_from(visits).unwrap_or(usize::MAX))
    }

    fn inbox_redact_before(&self, before: &str) -> DbResult<usize> {
        let n = self.execute(
            "UPDATE inbox SET payload = '{}'
             WHERE mairie_id = mairie() AND payload IS NOT NULL AND payload <> '{}' AND device_time < $1",
            &[&before],
        )?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    fn catalogue_record(&self, kind: &str, id: &str) -> DbResult<Option<String>> {
        self.query_opt(
            "SELECT record FROM catalogue_item
             WHERE mairie_id = mairie() AND kind = $1 AND id = $2 AND record IS NOT NULL",
            &[&kind, &id],
        )?
        .map(|r| Ok(r.try_get(0)?))
        .transpose()
    }

    fn queue_get(&self, day: &str, code: &str) -> DbResult<Option<QueueRow>> {
        self.query_opt(
            &format!(
                "SELECT {QUEUE_COLUMNS} FROM queue_ticket q WHERE mairie_id = mairie() AND day = $1 AND code = $2"
            ),
            &[&day, &code],
        )?
        .as_ref()
        .map(queue_row)
        .transpose()
    }

    fn queue_put(&self, q: &QueueRow) -> DbResult<()> {
        self.execute(
            "INSERT INTO queue_ticket (day, code, service_id, issued_at, visit_id, adopted_at, state,
                 counter_id, counter_label, calls, called_at, last_call_at, arrived_at, served_at,
                 outcome, quoted_max_min, mairie_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, mairie())
             ON CONFLICT (mairie_id, day, code) DO UPDATE SET
                 service_id = EXCLUDED.service_id, issued_at = EXCLUDED.issued_at,
                 visit_id = EXCLUDED.visit_id, adopted_at = EXCLUDED.adopted_at, state = EXCLUDED.state,
                 counter_id = EXCLUDED.counter_id, counter_label = EXCLUDED.counter_label,
                 calls = EXCLUDED.calls, called_at = EXCLUDED.called_at,
                 last_call_at = EXCLUDED.last_call_at, arrived_at = EXCLUDED.arrived_at,
                 served_at = EXCLUDED.served_at, outcome = EXCLUDED.outcome,
                 quoted_max_min = EXCLUDED.quoted_max_min",
            &[
                &q.day,
                &q.code,
                &q.service_id,
                &q.issued_at,
                &q.visit_id,
                &q.adopted_at,
                &q.state,
                &q.counter_id,
                &q.counter_label,
                &i64::from(q.calls),
                &q.called_at,
                &q.last_call_at,
                &q.arrived_at,
                &q.served_at,
                &q.outcome,
                &q.quoted_max_min.map(i64::from),
            ],
        )?;
        Ok(())
    }

    fn queue_in_state(&self, day: &str, service: &str, state: &str) -> DbResult<Vec<QueueRow>> {
        self.rows(
            &format!(
                "SELECT {QUEUE_COLUMNS} FROM queue_ticket q
                 WHERE mairie_id = mairie() AND day = $1 AND service_id = $2 AND state = $3
                 ORDER BY issued_at, code"
            ),
            &[&day, &service, &state],
            queue_row,
        )
    }

    fn queue_in_hand(&self, day: &str, counter: &str) -> DbResult<Option<QueueRow>> {
        self.query_opt(
            &format!(
                "SELECT {QUEUE_COLUMNS} FROM queue_ticket q
                 WHERE mairie_id = mairie() AND day = $1 AND counter_id = $2 AND state IN ('called', 'present')
                 ORDER BY last_call_at DESC LIMIT 1"
            ),
            &[&day, &counter],
        )?
        .as_ref()
        .map(queue_row)
        .transpose()
    }

    fn queue_of_device(&self, day: &str, device: &str) -> DbResult<Vec<QueueRow>> {
        self.rows(
            &format!(
                "SELECT {QUEUE_COLUMNS} FROM queue_ticket q JOIN visit v ON v.id = q.visit_id
                 WHERE q.mairie_id = mairie() AND q.day = $1 AND v.device_id = $2 ORDER BY q.code"
            ),
            &[&day, &device],
            queue_row,
        )
    }

    fn open_counters(&self, since: &str) -> DbResult<Vec<(String, u32)>> {
        self.rows(
            "SELECT service_id, COUNT(*) FROM device
             WHERE mairie_id = mairie() AND kind = 'counter' AND revoked_at IS NULL AND last_contact_at >= $1
             GROUP BY service_id",
            &[&since],
            |r| Ok((r.try_get(0)?, get(r, 1)?)),
        )
    }

    fn queue_between(&self, from: &str, to: &str) -> DbResult<Vec<QueueRow>> {
        self.rows(
            &format!(
                "SELECT {QUEUE_COLUMNS} FROM queue_ticket q
                 WHERE mairie_id = mairie() AND day BETWEEN $1 AND $2 ORDER BY day, issued_at"
            ),
            &[&from, &to],
            queue_row,
        )
    }

    fn event_insert(&self, e: &EventRow<'_>) -> DbResult<u64> {
        get(
            &self.query_one(
                "INSERT INTO ticket_event (event_id, request_hash, day, code, kind, service_id, device_id,
                     counter_label, calls, detail, device_time, server_time, mairie_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, mairie()) RETURNING seq",
                &[
                    &e.event_id,
                    &e.request_hash,
                    &e.day,
                    &e.code,
                    &e.kind,
                    &e.service_id,
                    &e.device_id,
                    &e.counter_label,
                    &i64::from(e.calls),
                    &e.detail,
                    &e.device_time,
                    &e.server_time,
                ],
            )?,
            0,
        )
    }

    fn event_by_id(&self, event_id: &str) -> DbResult<Option<RecordedEvent>> {
        self.query_opt(
            "SELECT seq, request_hash, day, code, device_id FROM ticket_event
             WHERE mairie_id = mairie() AND event_id = $1",
            &[&event_id],
        )?
        .map(|r| {
            Ok(RecordedEvent {
                seq: get(&r, 0)?,
                request_hash: r.try_get(1)?,
                day: r.try_get(2)?,
                code: r.try_get(3)?,
                device_id: r.try_get(4)?,
            })
        })
        .transpose()
    }

    fn calls_latest(&self, day: &str, services: &[String], limit: u32) -> DbResult<Vec<CallRow>> {
        self.rows(
            "SELECT seq, code, COALESCE(counter_label, ''), calls, server_time FROM ticket_event
             WHERE mairie_id = mairie() AND day = $1 AND kind IN ('called', 'recalled') AND service_id = ANY($2)
             ORDER BY seq DESC LIMIT $3",
            &[&day, &services, &i64::from(limit)],
            |r| {
                Ok(CallRow {
                    seq: get(r, 0)?,
                    code: r.try_get(1)?,
                    counter_label: r.try_get(2)?,
                    calls: get(r, 3)?,
                    server_time: r.try_get(4)?,
                })
            },
        )
    }

    fn event_last(&self) -> DbResult<u64> {
        get(
            &self.query_one(
                "SELECT COALESCE(MAX(seq), 0) FROM ticket_event WHERE mairie_id = mairie()",
                &[],
            )?,
            0,
        )
    }

    fn calls_per_counter(&self, from: &str, to: &str) -> DbResult<Vec<(String, u64)>> {
        self.rows(
            "SELECT COALESCE(counter_label, ''), COUNT(*) FROM ticket_event
             WHERE mairie_id = mairie() AND day BETWEEN $1 AND $2 AND kind IN ('called', 'recalled')
             GROUP BY counter_label ORDER BY COUNT(*) DESC, counter_label",
            &[&from, &to],
            |r| Ok((r.try_get(0)?, get(r, 1)?)),
        )
    }

    fn visits_of_other_mairies(&self, visit_ids: &[String]) -> DbResult<Vec<String>> {
        self.rows(
            "SELECT id FROM visit WHERE id = ANY($1) AND mairie_id <> mairie()",
            &[&visit_ids],
            |r| Ok(r.try_get(0)?),
        )
    }

    fn visit_snapshot(&self, visit_id: &str) -> DbResult<Option<String>> {
        self.query_opt(
            "SELECT snapshot FROM visit WHERE mairie_id = mairie() AND id = $1",
            &[&visit_id],
        )?
        .map(|r| Ok(r.try_get(0)?))
        .transpose()
    }
}
