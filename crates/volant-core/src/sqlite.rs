//! What every Volant SQLite database shares, tablet or server: connection
//! settings, append-only migrations, and the schema dump used to check that
//! upgrading from any earlier version gives the fresh schema.

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

/// Connection settings: WAL, a durable commit, foreign keys, deleted content
/// overwritten (RGPD retention), patience with locks.
pub fn configure(conn: &Connection, busy_timeout: std::time::Duration) -> rusqlite::Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(busy_timeout)
}

/// Empties the WAL into the database file and truncates it, so content just
/// deleted (and zeroed by `secure_delete`) leaves no copy behind.
pub fn truncate_wal(conn: &Connection) -> rusqlite::Result<()> {
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
}

/// A time as Volant stores it (RFC 3339); an unreadable one is the epoch.
pub fn stored_time(text: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(text).map_or(chrono::DateTime::UNIX_EPOCH, |t| {
        t.with_timezone(&chrono::Utc)
    })
}

/// Migrations from SQL texts, oldest first.
pub fn migrations(sql: &'static [&'static str]) -> Migrations<'static> {
    Migrations::new(sql.iter().map(|s| M::up(s)).collect())
}

/// Every schema object's name and SQL, sorted by name.
pub fn schema_of(conn: &Connection) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt =
        conn.prepare("SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name")?;
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

/// Checks that upgrading from every earlier version of `sql` gives the same
/// schema as a fresh database; the version that differs is in the error.
pub fn check_upgrades(sql: &'static [&'static str]) -> Result<(), String> {
    let fail = |e: &dyn std::fmt::Display| e.to_string();
    let all = migrations(sql);
    all.validate().map_err(|e| fail(&e))?;
    let mut fresh = Connection::open_in_memory().map_err(|e| fail(&e))?;
    all.to_latest(&mut fresh).map_err(|e| fail(&e))?;
    let expected = schema_of(&fresh).map_err(|e| fail(&e))?;
    for version in 0..sql.len() {
        let mut old = Connection::open_in_memory().map_err(|e| fail(&e))?;
        all.to_version(&mut old, version).map_err(|e| fail(&e))?;
        all.to_latest(&mut old).map_err(|e| fail(&e))?;
        if schema_of(&old).map_err(|e| fail(&e))? != expected {
            return Err(format!(
                "upgrading from version {version} does not give the fresh schema"
            ));
        }
    }
    Ok(())
}
