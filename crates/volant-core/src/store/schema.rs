//! The store's schema: the append-only migrations under `schema/migrations/`,
//! applied in order and tracked by SQLite's `user_version`.

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

/// The migrations, oldest first. Append only.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../../schema/migrations/0001_catalogue.sql"),
    include_str!("../../../../schema/migrations/0002_visits_outbox.sql"),
];

fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

/// Brings `conn` up to the latest schema.
pub fn upgrade(conn: &mut Connection) -> Result<(), rusqlite_migration::Error> {
    migrations().to_latest(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema_of(conn: &Connection) -> Vec<(String, String)> {
        let mut stmt = conn
            .prepare("SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name")
            .expect("prepare");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    }

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
    }

    #[test]
    fn upgrading_from_every_earlier_version_gives_the_fresh_schema() {
        let mut fresh = Connection::open_in_memory().expect("open");
        upgrade(&mut fresh).expect("fresh");
        let expected = schema_of(&fresh);
        for version in 0..MIGRATIONS.len() {
            let mut old = Connection::open_in_memory().expect("open");
            migrations()
                .to_version(&mut old, version)
                .expect("old version");
            upgrade(&mut old).expect("upgrade");
            assert_eq!(schema_of(&old), expected, "upgrade from version {version}");
        }
    }
}
