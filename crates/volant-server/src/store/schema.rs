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
];

/// The PostgreSQL migrations, oldest first. Append only.
const POSTGRES_MIGRATIONS: &[&str] = &[include_str!(
    "../../../../schema/server-postgres/0001_server.sql"
)];

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
    #[test]
    fn upgrading_from_every_earlier_version_gives_the_fresh_schema() {
        assert_eq!(
            volant_core::sqlite::check_upgrades(super::MIGRATIONS),
            Ok(())
        );
    }
}
