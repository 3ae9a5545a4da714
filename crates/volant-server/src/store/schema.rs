//! The server database's schema: one append-only folder of migrations per
//! dialect, `schema/server/` (SQLite) and `schema/server-postgres/`.

use rusqlite::Connection;

/// The SQLite migrations, oldest first. Append only.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../../schema/server/0001_server.sql"),
    include_str!("../../../../schema/server/0002_lead.sql"),
    include_str!("../../../../schema/server/0003_queue.sql"),
    include_str!("../../../../schema/server/0004_quarantine_repair.sql"),
    include_str!("../../../../schema/server/0005_opinion.sql"),
    include_str!("../../../../schema/server/0006_quoted_wait.sql"),
    include_str!("../../../../schema/server/0007_mairie.sql"),
];

/// The PostgreSQL migrations, oldest first. Append only.
const POSTGRES_MIGRATIONS: &[&str] = &[
    include_str!("../../../../schema/server-postgres/0001_server.sql"),
    include_str!("../../../../schema/server-postgres/0002_mairie.sql"),
];

/// Key of the advisory lock held while PostgreSQL's schema is upgraded, so
/// that instances starting together upgrade it once.
const MIGRATION_LOCK: i64 = 0x766f_6c61_6e75;

/// The PostgreSQL schema's version, and the latest this server knows.
pub fn postgres_versions(client: &mut postgres::Client) -> Result<(i64, i64), postgres::Error> {
    let known = i64::try_from(POSTGRES_MIGRATIONS.len()).unwrap_or(i64::MAX);
    let exists: bool = client
        .query_one("SELECT to_regclass('schema_migration') IS NOT NULL", &[])?
        .try_get(0)?;
    if !exists {
        return Ok((0, known));
    }
    let current: i64 = client
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migration",
            &[],
        )?
        .try_get(0)?;
    Ok((current, known))
}

/// Brings a PostgreSQL database up to the latest schema: the missing
/// migrations in one transaction, under an advisory lock. A database newer
/// than this server is refused.
pub fn upgrade_postgres(client: &mut postgres::Client) -> Result<(), String> {
    let fail = |e: postgres::Error| e.to_string();
    let mut tx = client.transaction().map_err(fail)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(fail)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migration (
             version    BIGINT PRIMARY KEY,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )",
    )
    .map_err(fail)?;
    let current: i64 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migration",
            &[],
        )
        .and_then(|r| r.try_get(0))
        .map_err(fail)?;
    let current = usize::try_from(current).unwrap_or(usize::MAX);
    if current > POSTGRES_MIGRATIONS.len() {
        return Err(format!(
            "la base est à la version {current} du schéma, ce serveur ne connaît que la {} : mettre le serveur à jour",
            POSTGRES_MIGRATIONS.len()
        ));
    }
    for (done, sql) in POSTGRES_MIGRATIONS.iter().enumerate().skip(current) {
        tx.batch_execute(sql).map_err(fail)?;
        let version = i64::try_from(done + 1).unwrap_or(i64::MAX);
        tx.execute(
            "INSERT INTO schema_migration (version) VALUES ($1)",
            &[&version],
        )
        .map_err(fail)?;
    }
    tx.commit().map_err(fail)
}

/// Whether the SQLite schema is the latest this server knows.
pub fn sqlite_current(conn: &Connection) -> rusqlite::Result<bool> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    Ok(usize::try_from(version).is_ok_and(|v| v == MIGRATIONS.len()))
}

/// Brings `conn` up to the latest schema. Foreign keys are off while it runs,
/// as SQLite asks of a migration that rebuilds a table others refer to, then
/// checked whole before they are on again.
pub fn upgrade(conn: &mut Connection) -> Result<(), rusqlite_migration::Error> {
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let upgraded = volant_core::sqlite::migrations(MIGRATIONS).to_latest(conn);
    let orphans: rusqlite::Result<i64> =
        conn.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        });
    conn.pragma_update(None, "foreign_keys", "ON")?;
    upgraded?;
    match orphans? {
        0 => Ok(()),
        n => Err(rusqlite_migration::Error::Hook(format!(
            "{n} lignes renvoient à des lignes disparues (PRAGMA foreign_key_check)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use rusqlite::Connection;

    use crate::store::{Database, MairieId, ServerStore};

    #[test]
    fn upgrading_from_every_earlier_version_gives_the_fresh_schema() {
        assert_eq!(
            volant_core::sqlite::check_upgrades(super::MIGRATIONS),
            Ok(())
        );
    }

    #[test]
    fn a_server_of_one_mairie_upgrades_into_mairie_one_with_its_epoch_and_its_rows() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("before-mairies.sqlite3");
        let epoch = "01900000-0000-7000-8000-000000000001";
        {
            let mut conn = Connection::open(&path).expect("open");
            volant_core::sqlite::migrations(super::MIGRATIONS)
                .to_version(&mut conn, 6)
                .expect("version 6");
            conn.execute_batch(&format!(
                r#"INSERT INTO meta (key, value) VALUES ('epoch', '{epoch}'),
                       ('created_at', '2026-01-05T08:00:00+00:00'), ('catalogue_floor', '7'),
                       ('catalogue_meta', '{{"mairie":"Mairie du 19e arrondissement de Paris","edition":"e","credits":[]}}');
                   INSERT INTO device (id, name, kind, token_hash, install_id, tablet_letter, enrolled_at)
                       VALUES ('d1', 'Tablette hall', 'agent', 'h1', 'i1', 'A', '2026-01-05T08:00:00+00:00');
                   INSERT INTO ticket VALUES ('2026-01-06', 'EA001', 'v1', 'etat-civil', '2026-01-06T09:00:00Z');
                   INSERT INTO catalogue_item VALUES ('service', 'etat-civil', 9, '{{}}');"#
            ))
            .expect("rows");
        }
        let store = ServerStore::open(&Database::Sqlite(path), Utc::now()).expect("upgrade");
        let mairies = store.mairies().expect("mairies");
        assert_eq!(
            mairies
                .iter()
                .map(|m| (m.id, m.name.as_str(), m.epoch.as_str(), m.catalogue_floor))
                .collect::<Vec<_>>(),
            vec![(
                MairieId::FIRST,
                "Mairie du 19e arrondissement de Paris",
                epoch,
                7
            )]
        );
        assert_eq!(store.devices(MairieId::FIRST).expect("devices").len(), 1);
        assert_eq!(store.counts(MairieId::FIRST).expect("counts"), (0, 1));
        assert_eq!(
            store.catalogue_version(MairieId::FIRST).expect("version"),
            9
        );
    }
}
