//! The tablet store's schema: the append-only migrations under `schema/tablet/`,
//! applied in order and tracked by SQLite's `user_version`.

use rusqlite::Connection;

/// The migrations, oldest first. Append only.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../../schema/tablet/0001_catalogue.sql"),
    include_str!("../../../../schema/tablet/0002_visits_outbox.sql"),
    include_str!("../../../../schema/tablet/0003_sync.sql"),
    include_str!("../../../../schema/tablet/0004_lead_cache.sql"),
    include_str!("../../../../schema/tablet/0005_ticket_state.sql"),
    include_str!("../../../../schema/tablet/0006_counter_wait.sql"),
];

/// Brings `conn` up to the latest schema.
pub fn upgrade(conn: &mut Connection) -> Result<(), rusqlite_migration::Error> {
    crate::sqlite::migrations(MIGRATIONS).to_latest(conn)
}

#[cfg(test)]
mod tests {
    #[test]
    fn upgrading_from_every_earlier_version_gives_the_fresh_schema() {
        assert_eq!(crate::sqlite::check_upgrades(super::MIGRATIONS), Ok(()));
    }

    #[test]
    fn the_in_memory_column_weights_are_those_of_the_index_ranking() {
        let mut conn = rusqlite::Connection::open_in_memory().expect("open");
        super::upgrade(&mut conn).expect("upgrade");
        let rank: String = conn
            .query_row(
                "SELECT v FROM demarche_fts_config WHERE k = 'rank'",
                [],
                |r| r.get(0),
            )
            .expect("rank");
        let [title, words, body] = crate::search::COLUMN_WEIGHTS;
        assert_eq!(rank, format!("bm25({title:.1}, {words:.1}, {body:.1})"));
    }
}
