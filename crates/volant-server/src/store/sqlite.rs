//! The SQLite backend: every statement of [`Db`] in SQLite's dialect, on
//! one connection (a `Transaction` derefs to it). The embedded default.

use rusqlite::{Connection, OptionalExtension, params};
use volant_core::domain::Satisfaction;
use volant_core::review::{AggregateCell, VisitFact};

use super::db::*;

const DEVICE_COLUMNS: &str =
    "id, name, kind, install_id, tablet_letter, enrolled_at, revoked_at, last_contact_at,
     clock_offset_ms, last_seq, received, quarantined, deferred, service_id, label, services, mairie_id";

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
        mairie_id: MairieId(r.get(16)?),
    })
}

const MAIRIE_COLUMNS: &str = "id, name, created_at, epoch, catalogue_floor, catalogue_meta";

fn mairie_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<MairieRow> {
    Ok(MairieRow {
        id: MairieId(r.get(0)?),
        name: r.get(1)?,
        created_at: r.get(2)?,
        epoch: r.get(3)?,
        catalogue_floor: r.get(4)?,
        catalogue_meta: r.get(5)?,
    })
}

const FACT_COLUMNS: &str = "day, hour, tablet, agent, outcome, service, demarches, unmet,
     listen_s, qualify_s, orient_s, accompany_s, accompanied, ticket, satisfaction, repeated_situation";

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

const JOURNAL_WHERE: &str =
    "f.mairie_id = mairie() AND f.day = ?1 AND (?2 IS NULL OR f.tablet = ?2) AND (?3 IS NULL OR f.agent = ?3)
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

impl Db for Connection {
    fn table_rows(&self, table: &str) -> DbResult<TableRows> {
        let order = if table == "ticket_event" {
            "seq"
        } else {
            "rowid"
        };
        let mut stmt = self.prepare(&format!(
            "SELECT * FROM {table} WHERE mairie_id = mairie() ORDER BY {order}"
        ))?;
        let all: Vec<String> = stmt.column_names().into_iter().map(str::to_owned).collect();
        let kept: Vec<usize> = (0..all.len())
            .filter(|i| !dropped_on_copy(table, &all[*i]))
            .collect();
        let columns = kept.iter().map(|i| all[*i].clone()).collect();
        let rows = stmt
            .query_map([], |r| {
                kept.iter()
                    .map(|&i| {
                        Ok(match r.get_ref(i)? {
                            rusqlite::types::ValueRef::Null => Cell::Null,
                            rusqlite::types::ValueRef::Integer(n) => Cell::Int(n),
                            rusqlite::types::ValueRef::Real(x) => Cell::Text(x.to_string()),
                            rusqlite::types::ValueRef::Text(t)
                            | rusqlite::types::ValueRef::Blob(t) => {
                                Cell::Text(String::from_utf8_lossy(t).into_owned())
                            }
                        })
                    })
                    .collect()
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(TableRows { columns, rows })
    }

    fn insert_rows(&self, table: &str, rows: &TableRows) -> DbResult<()> {
        let marks: Vec<String> = (1..=rows.columns.len()).map(|i| format!("?{i}")).collect();
        let mut insert = self.prepare(&format!(
            "INSERT INTO {table} ({}, mairie_id) VALUES ({}, mairie())",
            rows.columns.join(", "),
            marks.join(", ")
        ))?;
        for row in &rows.rows {
            let values: Vec<rusqlite::types::Value> = row
                .iter()
                .map(|cell| match cell {
                    Cell::Null => rusqlite::types::Value::Null,
                    Cell::Int(n) => rusqlite::types::Value::Integer(*n),
                    Cell::Text(t) => rusqlite::types::Value::Text(t.clone()),
                })
                .collect();
            insert.execute(rusqlite::params_from_iter(values))?;
        }
        Ok(())
    }

    fn mairie(&self) -> DbResult<MairieId> {
        Ok(MairieId(
            self.query_row("SELECT mairie()", [], |r| r.get(0))?,
        ))
    }

    fn mairies(&self) -> DbResult<Vec<MairieRow>> {
        let mut stmt = self.prepare(&format!("SELECT {MAIRIE_COLUMNS} FROM mairie ORDER BY id"))?;
        Ok(stmt
            .query_map([], mairie_row)?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn mairie_insert(&self, name: &str, now: &str, epoch: &str) -> DbResult<Option<MairieId>> {
        Ok(self
            .query_row(
                "INSERT INTO mairie (name, created_at, epoch) VALUES (?1, ?2, ?3)
                 ON CONFLICT (name) DO NOTHING RETURNING id",
                [name, now, epoch],
                |r| r.get(0).map(MairieId),
            )
            .optional()?)
    }

    fn mairie_get(&self) -> DbResult<Option<MairieRow>> {
        Ok(self
            .prepare_cached(&format!(
                "SELECT {MAIRIE_COLUMNS} FROM mairie WHERE id = mairie()"
            ))?
            .query_row([], mairie_row)
            .optional()?)
    }

    fn mairie_rename(&self, name: &str) -> DbResult<bool> {
        Ok(self.execute(
            "UPDATE mairie SET name = ?1 WHERE id = mairie()
             AND NOT EXISTS (SELECT 1 FROM mairie WHERE name = ?1 AND id <> mairie())",
            [name],
        )? > 0)
    }

    fn mairie_set_epoch(&self, epoch: &str) -> DbResult<()> {
        self.execute("UPDATE mairie SET epoch = ?1 WHERE id = mairie()", [epoch])?;
        Ok(())
    }

    fn catalogue_meta_set(&self, meta: &str) -> DbResult<()> {
        self.execute(
            "UPDATE mairie SET catalogue_meta = ?1 WHERE id = mairie()",
            [meta],
        )?;
        Ok(())
    }

    fn catalogue_floor_set(&self, floor: u64) -> DbResult<()> {
        self.execute(
            "UPDATE mairie SET catalogue_floor = MAX(catalogue_floor, ?1) WHERE id = mairie()",
            [floor],
        )?;
        Ok(())
    }

    fn code_mairie(&self, hash: &str) -> DbResult<Option<MairieId>> {
        Ok(self
            .query_row(
                "SELECT mairie_id FROM enrollment_code WHERE code_hash = ?1 AND used_at IS NULL",
                [hash],
                |r| r.get(0).map(MairieId),
            )
            .optional()?)
    }

    fn meta_get(&self, key: &str) -> DbResult<Option<String>> {
        Ok(self
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    fn meta_set(&self, key: &str, value: &str) -> DbResult<()> {
        self.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
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
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, mairie())",
            params![hash, name, kind, now, expires, post.service_id, post.label, post.services],
        )?;
        Ok(())
    }

    fn code_consume(&self, hash: &str, now: &str) -> DbResult<Option<ConsumedCode>> {
        Ok(self
            .query_row(
                "UPDATE enrollment_code SET used_at = ?2
             WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2 AND mairie_id = mairie()
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
            .optional()?)
    }

    fn letters_in_use(&self) -> DbResult<Vec<String>> {
        let mut stmt = self.prepare(
            "SELECT tablet_letter FROM device
             WHERE mairie_id = mairie() AND revoked_at IS NULL AND kind IN ('agent', 'lead')",
        )?;
        Ok(stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn install_enrolled(&self, install_id: &str) -> DbResult<bool> {
        Ok(self
            .query_row(
                "SELECT COUNT(*) FROM device WHERE install_id = ?1",
                [install_id],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n > 0)?)
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
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, mairie())",
            params![id, code.name, code.kind, token_hash, install_id, letter, now, code.service_id, code.label, code.services],
        )?;
        Ok(())
    }

    fn device_set_token(&self, id: &str, token_hash: &str) -> DbResult<()> {
        self.execute(
            "UPDATE device SET token_hash = ?2 WHERE id = ?1 AND mairie_id = mairie()",
            params![id, token_hash],
        )?;
        Ok(())
    }

    fn device_by_token(&self, token_hash: &str) -> DbResult<Option<DeviceRow>> {
        Ok(self
            .prepare_cached(&format!(
                "SELECT {DEVICE_COLUMNS} FROM device WHERE token_hash = ?1"
            ))?
            .query_row([token_hash], device_row)
            .optional()?)
    }

    fn device_get(&self, id: &str) -> DbResult<Option<DeviceRow>> {
        Ok(self
            .prepare_cached(&format!(
                "SELECT {DEVICE_COLUMNS} FROM device WHERE id = ?1 AND mairie_id = mairie()"
            ))?
            .query_row([id], device_row)
            .optional()?)
    }

    fn devices(&self) -> DbResult<Vec<DeviceRow>> {
        let mut stmt = self.prepare(&format!(
            "SELECT {DEVICE_COLUMNS} FROM device WHERE mairie_id = mairie() ORDER BY enrolled_at, id"
        ))?;
        Ok(stmt
            .query_map([], device_row)?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn device_revoke(&self, id: &str, now: &str) -> DbResult<bool> {
        Ok(self.execute(
            "UPDATE device SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1 AND mairie_id = mairie()",
            params![id, now],
        )? > 0)
    }

    fn device_touch(&self, id: &str, now: &str) -> DbResult<()> {
        self.prepare_cached(
            "UPDATE device SET last_contact_at = ?2 WHERE id = ?1 AND mairie_id = mairie()",
        )?
        .execute(params![id, now])?;
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
        self.prepare_cached(
            "UPDATE device SET last_seq = ?2, received = received + ?3, quarantined = quarantined + ?4,
                    deferred = deferred + ?5, clock_offset_ms = COALESCE(?6, clock_offset_ms), last_contact_at = ?7
             WHERE id = ?1 AND mairie_id = mairie()",
        )?
        .execute(params![id, last_seq, counts.0, counts.1, counts.2, clock_offset_ms, now])?;
        Ok(())
    }

    fn inbox_between(
        &self,
        install_id: &str,
        from: u64,
        to: u64,
    ) -> DbResult<Vec<(u64, StoredReceipt)>> {
        // Seqs beyond SQLite's integers were never stored.
        let (Ok(from), to) = (i64::try_from(from), i64::try_from(to).unwrap_or(i64::MAX)) else {
            return Ok(Vec::new());
        };
        let mut stmt = self.prepare_cached(
            "SELECT seq, payload_hash, mutation_id, status, reason FROM inbox
             WHERE install_id = ?1 AND seq BETWEEN ?2 AND ?3 AND mairie_id = mairie()",
        )?;
        Ok(stmt
            .query_map(params![install_id, from, to], |r| {
                Ok((
                    r.get(0)?,
                    StoredReceipt {
                        payload_hash: r.get(1)?,
                        mutation_id: r.get(2)?,
                        status: r.get(3)?,
                        reason: r.get(4)?,
                    },
                ))
            })?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn inbox_known(&self, mutation_ids: &[String]) -> DbResult<Vec<String>> {
        let mut stmt =
            self.prepare_cached("SELECT mutation_id FROM inbox WHERE mutation_id = ?1")?;
        let mut known = Vec::new();
        for id in mutation_ids {
            known.extend(stmt.query_row([id], |r| r.get(0)).optional()?);
        }
        Ok(known)
    }

    fn inbox_insert(&self, rows: &[InboxRow<'_>]) -> DbResult<()> {
        let mut insert = self.prepare_cached(
            "INSERT INTO inbox (install_id, seq, mutation_id, payload_hash, kind, entity_id, payload_version,
                                device_time, received_at, clock_offset_ms, payload, status, reason, mairie_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, mairie())",
        )?;
        for row in rows {
            insert.execute(params![
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
        }
        Ok(())
    }

    fn visit_and_ticket_counts(&self) -> DbResult<(u64, u64)> {
        Ok(self.query_row(
            "SELECT (SELECT COUNT(*) FROM visit WHERE mairie_id = mairie()),
                    (SELECT COUNT(*) FROM ticket WHERE mairie_id = mairie())",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    fn catalogue_has(&self, kind: &str, id: &str) -> DbResult<bool> {
        Ok(self
            .prepare_cached(
                "SELECT COUNT(*) FROM catalogue_item
             WHERE mairie_id = mairie() AND kind = ?1 AND id = ?2 AND record IS NOT NULL",
            )?
            .query_row([kind, id], |r| r.get::<_, i64>(0))
            .map(|n| n > 0)?)
    }

    fn ticket_holder(&self, day: &str, code: &str) -> DbResult<Option<String>> {
        Ok(self
            .prepare_cached(
                "SELECT visit_id FROM ticket WHERE mairie_id = mairie() AND day = ?1 AND code = ?2",
            )?
            .query_row([day, code], |r| r.get(0))
            .optional()?)
    }

    fn ticket_record(
        &self,
        day: &str,
        code: &str,
        visit_id: &str,
        service: &str,
        issued_at: &str,
    ) -> DbResult<()> {
        self.prepare_cached(
            "INSERT INTO ticket (day, code, visit_id, service_id, issued_at, mairie_id)
             VALUES (?1, ?2, ?3, ?4, ?5, mairie())
             ON CONFLICT (mairie_id, day, code) DO NOTHING",
        )?
        .execute(params![day, code, visit_id, service, issued_at])?;
        Ok(())
    }

    fn visit_upsert(&self, v: &VisitRow<'_>) -> DbResult<bool> {
        Ok(self.prepare_cached(
            "INSERT INTO visit (id, device_id, tablet, day, step, outcome, revision, opened_at, received_at, clock_suspect, snapshot, mairie_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, mairie())
             ON CONFLICT (id) DO UPDATE SET step = excluded.step, outcome = excluded.outcome, revision = excluded.revision,
                 received_at = excluded.received_at, clock_suspect = excluded.clock_suspect, snapshot = excluded.snapshot
             WHERE excluded.revision > visit.revision AND visit.mairie_id = excluded.mairie_id",
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
        .map(|n| n > 0)?)
    }

    fn catalogue_clear(&self) -> DbResult<()> {
        self.execute("DELETE FROM catalogue_item WHERE mairie_id = mairie()", [])?;
        Ok(())
    }

    fn catalogue_count(&self) -> DbResult<u64> {
        Ok(self.query_row(
            "SELECT COUNT(*) FROM catalogue_item WHERE mairie_id = mairie()",
            [],
            |r| r.get(0),
        )?)
    }

    fn catalogue_version(&self) -> DbResult<u64> {
        Ok(self.query_row(
            "SELECT MAX((SELECT COALESCE(MAX(version), 0) FROM catalogue_item WHERE mairie_id = mairie()),
                        (SELECT COALESCE(MAX(catalogue_floor), 0) FROM mairie WHERE id = mairie()))",
            [],
            |r| r.get(0),
        )?)
    }

    fn catalogue_records(&self, kind: &str) -> DbResult<Vec<(String, String)>> {
        let mut stmt = self.prepare(
            "SELECT id, record FROM catalogue_item
             WHERE mairie_id = mairie() AND kind = ?1 AND record IS NOT NULL ORDER BY version",
        )?;
        Ok(stmt
            .query_map([kind], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn catalogue_put(
        &self,
        kind: &str,
        id: &str,
        version: u64,
        record: Option<&str>,
    ) -> DbResult<()> {
        self.prepare_cached(
            "INSERT INTO catalogue_item (kind, id, version, record, mairie_id) VALUES (?1, ?2, ?3, ?4, mairie())
             ON CONFLICT (mairie_id, kind, id) DO UPDATE SET version = excluded.version, record = excluded.record",
        )?
        .execute(params![kind, id, version, record])?;
        Ok(())
    }

    fn catalogue_delete_tombstones(&self) -> DbResult<(usize, Option<u64>)> {
        let newest: Option<u64> = self.query_row(
            "SELECT MAX(version) FROM catalogue_item WHERE mairie_id = mairie() AND record IS NULL",
            [],
            |r| r.get(0),
        )?;
        let deleted = self.execute(
            "DELETE FROM catalogue_item WHERE mairie_id = mairie() AND record IS NULL",
            [],
        )?;
        Ok((deleted, newest))
    }

    fn catalogue_changes(
        &self,
        since: u64,
        limit: u32,
        live_only: bool,
    ) -> DbResult<Vec<CatalogueRow>> {
        let mut stmt = self.prepare_cached(
            "SELECT kind, id, version, record FROM catalogue_item
             WHERE mairie_id = mairie() AND version > ?1 AND (?3 = 0 OR record IS NOT NULL)
             ORDER BY version LIMIT ?2",
        )?;
        Ok(stmt
            .query_map(params![since, limit, live_only], |r| {
                Ok(CatalogueRow {
                    kind: r.get(0)?,
                    id: r.get(1)?,
                    version: r.get(2)?,
                    record: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn fact_put(&self, visit_id: &str, f: &VisitFact) -> DbResult<()> {
        self.prepare_cached(
            "INSERT OR REPLACE INTO visit_fact (visit_id, day, hour, tablet, agent, outcome, service, demarche,
                 demarches, unmet, listen_s, qualify_s, orient_s, accompany_s, accompanied, ticket,
                 satisfaction, repeated_situation, mairie_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
                     (SELECT mairie_id FROM visit WHERE id = ?1))",
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

    fn snapshots_without_fact(&self) -> DbResult<Vec<(String, String)>> {
        let mut stmt = self.prepare(
            "SELECT id, snapshot FROM visit
             WHERE mairie_id = mairie() AND id NOT IN (SELECT visit_id FROM visit_fact)",
        )?;
        Ok(stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn facts(&self, from: &str, to: &str) -> DbResult<Vec<VisitFact>> {
        let mut stmt = self.prepare_cached(&format!(
            "SELECT {FACT_COLUMNS} FROM visit_fact WHERE mairie_id = mairie() AND day BETWEEN ?1 AND ?2"
        ))?;
        Ok(stmt
            .query_map([from, to], fact_row)?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn journal_count(&self, f: &JournalFilter<'_>) -> DbResult<u32> {
        Ok(self
            .prepare_cached(&format!(
                "SELECT COUNT(*) FROM visit_fact f WHERE {JOURNAL_WHERE}"
            ))?
            .query_row(f.params(), |r| r.get(0))?)
    }

    fn journal_page(
        &self,
        f: &JournalFilter<'_>,
        limit: u32,
        offset: u32,
    ) -> DbResult<Vec<JournalRow>> {
        let mut stmt = self.prepare_cached(&format!(
            "SELECT d.name, v.received_at, v.clock_suspect,
                 (SELECT reason FROM inbox i WHERE i.status = 'quarantined' AND i.entity_id = v.id AND i.mairie_id = v.mairie_id
                  ORDER BY i.seq DESC LIMIT 1),
                 v.snapshot
             FROM visit_fact f JOIN visit v ON v.id = f.visit_id AND v.mairie_id = f.mairie_id
                  JOIN device d ON d.id = v.device_id
             WHERE {JOURNAL_WHERE} ORDER BY v.opened_at, v.id LIMIT ?8 OFFSET ?9"
        ))?;
        let mut params = f.params().to_vec();
        params.extend([&limit as &dyn rusqlite::ToSql, &offset]);
        Ok(stmt
            .query_map(&*params, |r| {
                Ok(JournalRow {
                    device: r.get(0)?,
                    received_at: r.get(1)?,
                    clock_suspect: r.get(2)?,
                    quarantined: r.get(3)?,
                    snapshot: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn quarantined_between(&self, from: &str, to: &str) -> DbResult<Vec<QuarantineRow>> {
        let mut stmt = self.prepare_cached(
            "SELECT d.name, i.install_id, i.seq, i.entity_id, i.device_time,
                    COALESCE(r.original_reason, i.reason, ''), COALESCE(i.payload, ''),
                    r.repaired_by, r.repaired_at, r.replacements, d.id
             FROM inbox i JOIN device d ON d.install_id = i.install_id
             LEFT JOIN quarantine_repair r ON r.install_id = i.install_id AND r.seq = i.seq
             WHERE i.mairie_id = mairie() AND (i.status = 'quarantined' OR r.seq IS NOT NULL)
               AND i.device_time >= ?1 AND i.device_time < ?2
             ORDER BY i.device_time",
        )?;
        Ok(stmt
            .query_map([from, to], quarantine_row)?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn quarantined_get(&self, install_id: &str, seq: u64) -> DbResult<Option<QuarantineRow>> {
        // A seq beyond SQLite's integers was never stored.
        let Ok(seq) = i64::try_from(seq) else {
            return Ok(None);
        };
        Ok(self.query_row(
            "SELECT d.name, i.install_id, i.seq, i.entity_id, i.device_time, COALESCE(i.reason, ''),
                    COALESCE(i.payload, ''), NULL, NULL, NULL, d.id
             FROM inbox i JOIN device d ON d.install_id = i.install_id
             WHERE i.install_id = ?1 AND i.seq = ?2 AND i.status = 'quarantined' AND i.mairie_id = mairie()",
            params![install_id, seq],
            quarantine_row,
        )
        .optional()?)
    }

    fn quarantine_repaired(
        &self,
        row: &QuarantineRow,
        by: &str,
        at: &str,
        replacements: &str,
    ) -> DbResult<()> {
        self.execute(
            "INSERT INTO quarantine_repair (install_id, seq, repaired_by, repaired_at, replacements, original_reason, mairie_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, mairie())",
            params![row.install_id, row.seq, by, at, replacements, row.reason],
        )?;
        self.execute(
            "UPDATE inbox SET status = 'stored', reason = NULL
             WHERE install_id = ?1 AND seq = ?2 AND mairie_id = mairie()",
            params![row.install_id, row.seq],
        )?;
        Ok(())
    }

    fn snapshots(&self, from: &str, to: &str) -> DbResult<Vec<String>> {
        let mut stmt = self.prepare_cached(
            "SELECT snapshot FROM visit WHERE mairie_id = mairie() AND day BETWEEN ?1 AND ?2
             ORDER BY day, opened_at, id",
        )?;
        Ok(stmt
            .query_map([from, to], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn signoff_get(&self, day: &str) -> DbResult<Option<(String, String, String)>> {
        Ok(self
            .prepare_cached(
                "SELECT comment, signed_by, signed_at FROM day_signoff WHERE mairie_id = mairie() AND day = ?1",
            )?
            .query_row([day], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?)
    }

    fn signoff_put(
        &self,
        day: &str,
        comment: &str,
        device_id: &str,
        signed_by: &str,
        now: &str,
    ) -> DbResult<()> {
        self.prepare_cached(
            "INSERT OR REPLACE INTO day_signoff (day, comment, device_id, signed_by, signed_at, mairie_id)
             VALUES (?1, ?2, ?3, ?4, ?5, mairie())",
        )?
        .execute([day, comment, device_id, signed_by, now])?;
        Ok(())
    }

    fn signoff_days(&self, from: &str, to: &str) -> DbResult<Vec<String>> {
        let mut stmt = self.prepare_cached(
            "SELECT day FROM day_signoff WHERE mairie_id = mairie() AND day BETWEEN ?1 AND ?2 ORDER BY day",
        )?;
        Ok(stmt
            .query_map([from, to], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn cells(&self, from: &str, to: &str) -> DbResult<Vec<AggregateCell>> {
        let mut stmt = self.prepare_cached(
            "SELECT day, hour, demarche, outcome, visits FROM visit_aggregate
             WHERE mairie_id = mairie() AND day BETWEEN ?1 AND ?2",
        )?;
        Ok(stmt
            .query_map([from, to], |r| {
                let day: String = r.get(0)?;
                Ok(AggregateCell {
                    day: day.parse().unwrap_or_default(),
                    hour: r.get(1)?,
                    demarche: r.get(2)?,
                    outcome: r.get(3)?,
                    visits: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn cell_insert(&self, c: &AggregateCell) -> DbResult<()> {
        self.prepare_cached(
            "INSERT INTO visit_aggregate (day, hour, demarche, outcome, visits, mairie_id)
             VALUES (?1, ?2, ?3, ?4, ?5, mairie())",
        )?
        .execute(params![
            c.day.to_string(),
            c.hour,
            c.demarche,
            c.outcome,
            c.visits
        ])?;
        Ok(())
    }

    fn day_aggregated(&self, day: &str) -> DbResult<bool> {
        Ok(self
            .prepare_cached(
                "SELECT COUNT(*) FROM visit_aggregate WHERE mairie_id = mairie() AND day = ?1",
            )?
            .query_row([day], |r| r.get::<_, i64>(0))
            .map(|n| n > 0)?)
    }

    fn detailed_days_before(&self, day: &str) -> DbResult<Vec<String>> {
        let mut stmt = self.prepare(
            "SELECT DISTINCT day FROM visit WHERE mairie_id = mairie() AND day < ?1 ORDER BY day",
        )?;
        Ok(stmt
            .query_map([day], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn day_delete(&self, day: &str) -> DbResult<usize> {
        self.prepare_cached("DELETE FROM ticket WHERE mairie_id = mairie() AND day = ?1")?
            .execute([day])?;
        self.prepare_cached("DELETE FROM queue_ticket WHERE mairie_id = mairie() AND day = ?1")?
            .execute([day])?;
        self.prepare_cached("DELETE FROM ticket_event WHERE mairie_id = mairie() AND day = ?1")?
            .execute([day])?;
        Ok(self
            .prepare_cached("DELETE FROM visit WHERE mairie_id = mairie() AND day = ?1")?
            .execute([day])?)
    }

    fn inbox_redact_before(&self, before: &str) -> DbResult<usize> {
        Ok(self.prepare_cached(
            "UPDATE inbox SET payload = '{}'
             WHERE mairie_id = mairie() AND payload IS NOT NULL AND payload <> '{}' AND device_time < ?1",
        )?
        .execute([before])?)
    }

    fn catalogue_record(&self, kind: &str, id: &str) -> DbResult<Option<String>> {
        Ok(self
            .prepare_cached(
                "SELECT record FROM catalogue_item
             WHERE mairie_id = mairie() AND kind = ?1 AND id = ?2 AND record IS NOT NULL",
            )?
            .query_row([kind, id], |r| r.get(0))
            .optional()?)
    }

    fn queue_get(&self, day: &str, code: &str) -> DbResult<Option<QueueRow>> {
        Ok(self
            .prepare_cached(&format!(
                "SELECT {QUEUE_COLUMNS} FROM queue_ticket WHERE mairie_id = mairie() AND day = ?1 AND code = ?2"
            ))?
            .query_row([day, code], queue_row)
            .optional()?)
    }

    fn queue_put(&self, q: &QueueRow) -> DbResult<()> {
        self.prepare_cached(&format!(
            "INSERT INTO queue_ticket ({QUEUE_COLUMNS}, mairie_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, mairie())
             ON CONFLICT (mairie_id, day, code) DO UPDATE SET
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

    fn queue_in_state(&self, day: &str, service: &str, state: &str) -> DbResult<Vec<QueueRow>> {
        let mut stmt = self.prepare_cached(&format!(
            "SELECT {QUEUE_COLUMNS} FROM queue_ticket
             WHERE mairie_id = mairie() AND day = ?1 AND service_id = ?2 AND state = ?3
             ORDER BY issued_at, code"
        ))?;
        Ok(stmt
            .query_map([day, service, state], queue_row)?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn queue_in_hand(&self, day: &str, counter: &str) -> DbResult<Option<QueueRow>> {
        Ok(self
            .prepare_cached(&format!(
                "SELECT {QUEUE_COLUMNS} FROM queue_ticket
             WHERE mairie_id = mairie() AND day = ?1 AND counter_id = ?2 AND state IN ('called', 'present')
             ORDER BY last_call_at DESC LIMIT 1"
            ))?
            .query_row([day, counter], queue_row)
            .optional()?)
    }

    fn queue_of_device(&self, day: &str, device: &str) -> DbResult<Vec<QueueRow>> {
        let mut stmt = self.prepare_cached(&format!(
            "SELECT {} FROM queue_ticket q JOIN visit v ON v.id = q.visit_id
             WHERE q.mairie_id = mairie() AND q.day = ?1 AND v.device_id = ?2 ORDER BY q.code",
            QUEUE_COLUMNS
                .split(',')
                .map(|c| format!("q.{}", c.trim()))
                .collect::<Vec<_>>()
                .join(", ")
        ))?;
        Ok(stmt
            .query_map([day, device], queue_row)?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn open_counters(&self, since: &str) -> DbResult<Vec<(String, u32)>> {
        let mut stmt = self.prepare_cached(
            "SELECT service_id, COUNT(*) FROM device
             WHERE mairie_id = mairie() AND kind = 'counter' AND revoked_at IS NULL AND last_contact_at >= ?1
             GROUP BY service_id",
        )?;
        Ok(stmt
            .query_map([since], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn queue_between(&self, from: &str, to: &str) -> DbResult<Vec<QueueRow>> {
        let mut stmt = self.prepare_cached(&format!(
            "SELECT {QUEUE_COLUMNS} FROM queue_ticket
             WHERE mairie_id = mairie() AND day BETWEEN ?1 AND ?2 ORDER BY day, issued_at"
        ))?;
        Ok(stmt
            .query_map([from, to], queue_row)?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn event_insert(&self, e: &EventRow<'_>) -> DbResult<u64> {
        Ok(self.prepare_cached(
            "INSERT INTO ticket_event (event_id, request_hash, day, code, kind, service_id, device_id,
                 counter_label, calls, detail, device_time, server_time, mairie_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, mairie()) RETURNING seq",
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
        )?)
    }

    fn event_by_id(&self, event_id: &str) -> DbResult<Option<RecordedEvent>> {
        Ok(self
            .prepare_cached(
                "SELECT seq, request_hash, day, code, device_id FROM ticket_event
             WHERE mairie_id = mairie() AND event_id = ?1",
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
            .optional()?)
    }

    fn calls_latest(&self, day: &str, services: &[String], limit: u32) -> DbResult<Vec<CallRow>> {
        let mut stmt = self.prepare_cached(
            "SELECT seq, code, COALESCE(counter_label, ''), calls, server_time FROM ticket_event
             WHERE mairie_id = mairie() AND day = ?1 AND kind IN ('called', 'recalled')
               AND service_id IN (SELECT value FROM json_each(?2))
             ORDER BY seq DESC LIMIT ?3",
        )?;
        let services = serde_json::to_string(services).unwrap_or_else(|_| "[]".into());
        Ok(stmt
            .query_map(params![day, services, limit], |r| {
                Ok(CallRow {
                    seq: r.get(0)?,
                    code: r.get(1)?,
                    counter_label: r.get(2)?,
                    calls: r.get(3)?,
                    server_time: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn event_last(&self) -> DbResult<u64> {
        Ok(self.query_row(
            "SELECT COALESCE(MAX(seq), 0) FROM ticket_event WHERE mairie_id = mairie()",
            [],
            |r| r.get(0),
        )?)
    }

    fn calls_per_counter(&self, from: &str, to: &str) -> DbResult<Vec<(String, u64)>> {
        let mut stmt = self.prepare_cached(
            "SELECT COALESCE(counter_label, ''), COUNT(*) FROM ticket_event
             WHERE mairie_id = mairie() AND day BETWEEN ?1 AND ?2 AND kind IN ('called', 'recalled')
             GROUP BY counter_label ORDER BY COUNT(*) DESC, counter_label",
        )?;
        Ok(stmt
            .query_map([from, to], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn visits_of_other_mairies(&self, visit_ids: &[String]) -> DbResult<Vec<String>> {
        let mut stmt =
            self.prepare_cached("SELECT id FROM visit WHERE id = ?1 AND mairie_id <> mairie()")?;
        let mut foreign = Vec::new();
        for id in visit_ids {
            foreign.extend(stmt.query_row([id], |r| r.get(0)).optional()?);
        }
        Ok(foreign)
    }

    fn visit_snapshot(&self, visit_id: &str) -> DbResult<Option<String>> {
        Ok(self
            .prepare_cached("SELECT snapshot FROM visit WHERE mairie_id = mairie() AND id = ?1")?
            .query_row([visit_id], |r| r.get(0))
            .optional()?)
    }
}
