//! The authoritative catalogue: every write takes the next catalogue version,
//! deletions leave tombstones, and tablets pull the changes in pages.

use uuid::Uuid;
use volant_core::domain::{Catalogue, CatalogueMeta, Demarche, Service};
use volant_protocol::{
    ApiError, CatalogueChange, CatalogueChanges, CatalogueEdit, CatalogueEdited, ErrorCode,
    RecordKind,
};

use super::{MairieId, Result, ServerStore, StoreError, parse_epoch};

/// What an import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct CatalogueWrite {
    /// Records created or changed.
    pub written: usize,
    /// Records deleted (tombstones).
    pub deleted: usize,
    /// The catalogue version after the import.
    pub version: u64,
}

fn kind_name(kind: RecordKind) -> &'static str {
    kind.as_str()
}

/// A record's JSON without its own version, to tell real changes.
fn without_version(record: &serde_json::Value) -> serde_json::Value {
    let mut r = record.clone();
    if let Some(map) = r.as_object_mut() {
        map.remove("version");
    }
    r
}

impl ServerStore {
    /// Makes a mairie's catalogue equal to `catalogue`: changed records take
    /// the next versions (their own `version` goes up by one), missing ones
    /// become tombstones. One transaction, so catalogue writers are serialised.
    pub fn import_catalogue(
        &mut self,
        mairie: MairieId,
        catalogue: &Catalogue,
    ) -> Result<CatalogueWrite> {
        let tx = self.begin(mairie)?;
        let mut version = tx.catalogue_version()?;
        let mut write = CatalogueWrite::default();
        for (kind, records) in [
            (
                RecordKind::Service,
                catalogue
                    .services
                    .iter()
                    .map(|s| (s.id.to_string(), serde_json::to_value(s)))
                    .collect::<Vec<_>>(),
            ),
            (
                RecordKind::Demarche,
                catalogue
                    .demarches
                    .iter()
                    .map(|d| (d.id.to_string(), serde_json::to_value(d)))
                    .collect(),
            ),
        ] {
            let current: std::collections::HashMap<String, String> =
                tx.catalogue_records(kind_name(kind))?.into_iter().collect();
            for (id, value) in &records {
                let mut value = value
                    .as_ref()
                    .map_err(|e| StoreError::refused(ErrorCode::InvalidField, e.to_string()))?
                    .clone();
                let previous: Option<serde_json::Value> =
                    current.get(id).and_then(|t| serde_json::from_str(t).ok());
                let record_version = match &previous {
                    Some(p) if without_version(p) == without_version(&value) => continue,
                    Some(p) => p["version"].as_u64().unwrap_or(0) + 1,
                    None => value["version"].as_u64().unwrap_or(1).max(1),
                };
                value["version"] = record_version.into();
                version += 1;
                tx.catalogue_put(kind_name(kind), id, version, Some(&value.to_string()))?;
                write.written += 1;
            }
            for id in current
                .keys()
                .filter(|id| !records.iter().any(|(r, _)| r == *id))
            {
                version += 1;
                tx.catalogue_put(kind_name(kind), id, version, None)?;
                write.deleted += 1;
            }
        }
        tx.catalogue_meta_set(&serde_json::to_string(&catalogue.meta).unwrap_or_default())?;
        tx.commit()?;
        write.version = version;
        Ok(write)
    }

    /// A lead's edit of one record. The edit must name the version it was made
    /// from (`None` to create): another version is a `version_conflict`
    /// carrying the current record, never an overwrite. The record is checked
    /// like an import, and takes the next catalogue version.
    pub fn edit_catalogue(
        &mut self,
        mairie: MairieId,
        kind: RecordKind,
        id: &str,
        edit: &CatalogueEdit,
    ) -> Result<CatalogueEdited> {
        let catalogue = self.catalogue(mairie)?;
        let tx = self.begin(mairie)?;
        let current: Option<serde_json::Value> = tx
            .catalogue_record(kind_name(kind), id)?
            .and_then(|t| serde_json::from_str(&t).ok());
        let current_version = current.as_ref().map(|c| c["version"].as_u64().unwrap_or(1));
        if current_version != edit.expected_version.map(u64::from) {
            let message = match (&current, edit.expected_version) {
                (Some(_), None) => format!("« {id} » existe déjà : partir de la version actuelle"),
                (None, _) => format!("« {id} » n'existe pas ou plus"),
                (Some(_), Some(v)) => format!(
                    "« {id} » a été modifié entre-temps (version {} au lieu de {v}) : reprendre à partir de la version actuelle",
                    current_version.unwrap_or(0)
                ),
            };
            return Err(StoreError::from(ApiError {
                current: current.map(Box::new),
                ..ApiError::new(ErrorCode::VersionConflict, message)
            }));
        }
        let (_, mut record) =
            volant_core::catalogue::apply_edit(&catalogue, kind, id, &edit.record).map_err(
                |p| {
                    StoreError::from(ApiError {
                        field: Some(p.field.clone()).filter(|f| !f.is_empty()),
                        ..ApiError::new(
                            ErrorCode::InvalidField,
                            if p.field.is_empty() {
                                p.message
                            } else {
                                format!("{} : {}", p.field, p.message)
                            },
                        )
                    })
                },
            )?;
        record["version"] = (current_version.unwrap_or(0) + 1).into();
        let version = tx.catalogue_version()? + 1;
        tx.catalogue_put(kind_name(kind), id, version, Some(&record.to_string()))?;
        tx.commit()?;
        Ok(CatalogueEdited {
            catalogue_version: version,
            record,
        })
    }

    /// A mairie's live catalogue.
    pub fn catalogue(&self, mairie: MairieId) -> Result<Catalogue> {
        let db = self.conn(mairie)?;
        let parse = |e: serde_json::Error| {
            StoreError::refused(ErrorCode::Unavailable, format!("catalogue illisible : {e}"))
        };
        let meta: CatalogueMeta = match db.mairie_get()?.and_then(|m| m.catalogue_meta) {
            Some(t) => serde_json::from_str(&t).map_err(parse)?,
            None => CatalogueMeta {
                mairie: String::new(),
                edition: String::new(),
                credits: Vec::new(),
            },
        };
        let services = db
            .catalogue_records("service")?
            .iter()
            .map(|(_, t)| serde_json::from_str::<Service>(t).map_err(parse))
            .collect::<Result<_>>()?;
        let demarches = db
            .catalogue_records("demarche")?
            .iter()
            .map(|(_, t)| serde_json::from_str::<Demarche>(t).map_err(parse))
            .collect::<Result<_>>()?;
        Ok(Catalogue {
            meta,
            services,
            demarches,
        })
    }

    /// Deletes the tombstones: cursors older than the newest one deleted can no
    /// longer be served and get `resync_required`. Returns how many were deleted.
    pub fn compact_tombstones(&mut self, mairie: MairieId) -> Result<usize> {
        let tx = self.begin(mairie)?;
        let (deleted, newest) = tx.catalogue_delete_tombstones()?;
        if let Some(newest) = newest {
            tx.catalogue_floor_set(newest)?;
        }
        tx.commit()?;
        Ok(deleted)
    }

    /// A mairie's latest catalogue version.
    pub fn catalogue_version(&self, mairie: MairieId) -> Result<u64> {
        Ok(self.conn(mairie)?.catalogue_version()?)
    }

    /// One page of changes after `since`. Another epoch → `resync_required`.
    /// A pull from 0 skips tombstones: a new tablet has nothing to delete.
    pub fn catalogue_changes(
        &self,
        mairie: MairieId,
        since: u64,
        epoch: Option<Uuid>,
        limit: u32,
    ) -> Result<CatalogueChanges> {
        let db = self.conn(mairie)?;
        let Some(row) = db.mairie_get()? else {
            return Err(StoreError::refused(ErrorCode::NotFound, "mairie inconnue"));
        };
        let current = parse_epoch(&row.epoch)?;
        let resync = |message: &str| {
            Err(StoreError::from(ApiError {
                epoch: Some(current),
                ..ApiError::new(ErrorCode::ResyncRequired, message)
            }))
        };
        if epoch.is_some_and(|e| e != current) {
            return resync("le catalogue du serveur a changé d'époque : tout recharger");
        }
        if since > 0 && since < row.catalogue_floor {
            return resync("curseur de catalogue trop ancien : tout recharger");
        }
        if since > db.catalogue_version()? {
            return resync("curseur de catalogue en avance sur le serveur : tout recharger");
        }
        let rows = db.catalogue_changes(since, limit + 1, since == 0)?;
        let has_more = rows.len() > limit as usize;
        let changes: Vec<CatalogueChange> = rows
            .into_iter()
            .take(limit as usize)
            .map(|row| CatalogueChange {
                kind: if row.kind == "service" {
                    RecordKind::Service
                } else {
                    RecordKind::Demarche
                },
                id: row.id,
                version: row.version,
                record: row.record.and_then(|r| serde_json::from_str(&r).ok()),
            })
            .collect();
        let next_since = changes.last().map_or(since, |c| c.version);
        let meta = row
            .catalogue_meta
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(serde_json::Value::Null);
        Ok(CatalogueChanges {
            epoch: current,
            changes,
            next_since,
            has_more,
            meta,
        })
    }
}
