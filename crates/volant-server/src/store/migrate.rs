//! Moving a mairie's server from one database to another — its SQLite file
//! into the city's PostgreSQL, as one of the city's mairies — with nothing
//! lost: every table's rows of the mairie copied in one transaction, then
//! counted and checksummed on both sides before it commits. Devices keep
//! their credentials and sequences, the mairie its epoch, so tablets keep
//! syncing without re-enrolling.

use sha2::{Digest, Sha256};
use volant_protocol::ErrorCode;

use super::backend::{Backend, Database};
use super::db::{Cell, MairieId, TABLES, TableRows};
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

/// Copies the one mairie `from` serves into mairie `into` of `to`, whose
/// schema is brought up to date; `into` must exist and hold nothing but its
/// catalogue, which the copy replaces. Refused, with nothing written,
/// otherwise or when a table's count or checksum differs once copied.
pub fn copy_mairie(from: &Database, to: &Database, into: MairieId) -> Result<Vec<TableCopy>> {
    let refused = |code, message: String| Err(StoreError::refused(code, message));
    if from == to {
        return refused(
            ErrorCode::InvalidField,
            "la source et la cible sont la même base".into(),
        );
    }
    let source = Backend::open(from)?;
    let mut target = Backend::open(to)?;
    let source_mairie = match source.conn(MairieId::NONE)?.mairies()?.as_slice() {
        [one] => one.clone(),
        [] => {
            return refused(
                ErrorCode::NotFound,
                "la source ne sert aucune mairie".into(),
            );
        }
        _ => {
            return refused(
                ErrorCode::InvalidField,
                "la source sert plusieurs mairies : seul le serveur d'une mairie se déplace".into(),
            );
        }
    };
    {
        let target = target.conn(into)?;
        if target.mairie_get()?.is_none() {
            return refused(
                ErrorCode::NotFound,
                format!("aucune mairie n° {into} dans la cible : l'ajouter d'abord (mairie add)"),
            );
        }
        for table in TABLES.iter().filter(|t| **t != "catalogue_item") {
            if !target.table_rows(table)?.rows.is_empty() {
                return refused(
                    ErrorCode::Forbidden,
                    format!(
                        "la mairie n° {into} contient déjà des données (table {table}) : rien n'est copié"
                    ),
                );
            }
        }
    }
    let source = source.conn(source_mairie.id)?;
    let tx = target.begin(into)?;
    tx.catalogue_clear()?;
    tx.mairie_set_epoch(&source_mairie.epoch)?;
    tx.catalogue_floor_set(source_mairie.catalogue_floor)?;
    if let Some(meta) = &source_mairie.catalogue_meta {
        tx.catalogue_meta_set(meta)?;
    }
    let mut copied = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let rows = source.table_rows(table)?;
        tx.insert_rows(table, &rows)?;
        let (before, after) = (checksum(&rows), checksum(&tx.table_rows(table)?));
        if before != after {
            return refused(
                ErrorCode::Unavailable,
                format!("table {table} : la copie diffère de l'original, rien n'est copié"),
            );
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
