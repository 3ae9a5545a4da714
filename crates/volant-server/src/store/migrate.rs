//! Moving a mairie's server from one database to another — its SQLite file
//! into the city's PostgreSQL — with nothing lost: every table copied whole
//! in one transaction, then counted and checksummed on both sides before it
//! commits. Devices keep their credentials and sequences, the server its
//! epoch, so tablets keep syncing without re-enrolling.

use sha2::{Digest, Sha256};
use volant_protocol::ErrorCode;

use super::backend::{Backend, Database};
use super::db::{Cell, TABLES, TableRows};
use super::{Result, StoreError};

/// What was copied of one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCopy {
    /// The table.
    pub table: &'static str,
    /// Rows copied (the same on both sides).
    pub rows: usize,
    /// SHA-256 of its rows, the same on both sides.
    pub checksum: String,
}

/// A table's rows as one digest whatever the database: columns by name,
/// rows in order, flags and integers as numbers.
fn checksum(table: &TableRows) -> String {
    let mut order: Vec<usize> = (0..table.columns.len()).collect();
    order.sort_by(|a, b| table.columns[*a].cmp(&table.columns[*b]));
    let mut rows: Vec<Vec<&Cell>> = table
        .rows
        .iter()
        .map(|r| order.iter().filter_map(|i| r.get(*i)).collect())
        .collect();
    rows.sort();
    let mut digest = Sha256::new();
    for row in rows {
        for cell in row {
            match cell {
                Cell::Null => digest.update(b"\\N"),
                Cell::Int(n) => digest.update(format!("i{n}")),
                Cell::Text(t) => digest.update(format!("t{}:{t}", t.len())),
            }
            digest.update(b"\x1f");
        }
        digest.update(b"\x1e");
    }
    digest
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Copies every table of `from` into `to`, whose schema is brought up to date
/// and which must hold no data; refused, with nothing written, otherwise or
/// when a table's count or checksum differs once copied.
pub fn copy_database(from: &Database, to: &Database) -> Result<Vec<TableCopy>> {
    if from == to {
        return Err(StoreError::refused(
            ErrorCode::InvalidField,
            "la source et la cible sont la même base",
        ));
    }
    let source = Backend::open(from)?;
    let mut target = Backend::open(to)?;
    {
        let target = target.conn()?;
        for table in TABLES {
            if !target.table_rows(table)?.rows.is_empty() {
                return Err(StoreError::refused(
                    ErrorCode::Forbidden,
                    format!(
                        "la base cible contient déjà des données (table {table}) : rien n'est copié"
                    ),
                ));
            }
        }
    }
    let source = source.conn()?;
    let tx = target.begin()?;
    let mut copied = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let rows = source.table_rows(table)?;
        tx.insert_rows(table, &rows)?;
        let (before, after) = (checksum(&rows), checksum(&tx.table_rows(table)?));
        if before != after {
            return Err(StoreError::refused(
                ErrorCode::Unavailable,
                format!("table {table} : la copie diffère de l'original, rien n'est copié"),
            ));
        }
        copied.push(TableCopy {
            table,
            rows: rows.rows.len(),
            checksum: after,
        });
    }
    tx.commit()?;
    Ok(copied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checksum_ignores_column_and_row_order_but_not_values() {
        let a = TableRows {
            columns: vec!["id".into(), "n".into()],
            rows: vec![
                vec![Cell::Text("x".into()), Cell::Int(1)],
                vec![Cell::Text("y".into()), Cell::Null],
            ],
        };
        let b = TableRows {
            columns: vec!["n".into(), "id".into()],
            rows: vec![
                vec![Cell::Null, Cell::Text("y".into())],
                vec![Cell::Int(1), Cell::Text("x".into())],
            ],
        };
        assert_eq!(checksum(&a), checksum(&b));
        let mut c = b.clone();
        c.rows[1][0] = Cell::Int(2);
        assert_ne!(checksum(&a), checksum(&c));
        let mut d = b;
        d.rows[0][0] = Cell::Text(String::new());
        assert_ne!(checksum(&a), checksum(&d), "NULL is not the empty text");
    }
}
