//! The server database's schema: the append-only migrations under `schema/server/`.

use rusqlite::Connection;

/// The migrations, oldest first. Append only.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../../schema/server/0001_server.sql"),
    include_str!("../../../../schema/server/0002_lead.sql"),
    include_str!("../../../../schema/server/0003_queue.sql"),
    include_str!("../../../../schema/server/0004_quarantine_repair.sql"),
    include_str!("../../../../schema/server/0005_opinion.sql"),
    include_str!("../../../../schema/server/0006_quoted_wait.sql"),
];

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
