//! The server database's schema: the append-only migrations under `schema/server/`.

use rusqlite::Connection;

/// The migrations, oldest first. Append only.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../../schema/server/0001_server.sql"),
    include_str!("../../../../schema/server/0002_lead.sql"),
];

/// Brings `conn` up to the latest schema.
pub fn upgrade(conn: &mut Connection) -> Result<(), rusqlite_migration::Error> {
    volant_core::sqlite::migrations(MIGRATIONS).to_latest(conn)
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
