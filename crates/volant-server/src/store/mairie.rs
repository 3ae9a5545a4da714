//! The mairies a server serves: one for the embedded default, every
//! mairie d'arrondissement for the city's. Each has its own devices, data,
//! catalogue (seeded from the shipped one or a file) and epoch.

use chrono::{DateTime, Utc};
use uuid::Uuid;
use volant_core::domain::Catalogue;
use volant_protocol::ErrorCode;

use super::db::{MairieId, MairieRow};
use super::{Result, ServerStore, StoreError};

/// The longest mairie name, in characters.
const MAX_NAME: usize = 80;

impl ServerStore {
    /// Every mairie, by id.
    pub fn mairies(&self) -> Result<Vec<MairieRow>> {
        Ok(self.conn(MairieId::NONE)?.mairies()?)
    }

    /// One mairie; a typed refusal when there is none with this id.
    pub fn mairie(&self, id: MairieId) -> Result<MairieRow> {
        self.conn(id)?.mairie_get()?.ok_or_else(|| {
            StoreError::refused(ErrorCode::NotFound, format!("aucune mairie n° {id}"))
        })
    }

    /// Renames a mairie.
    pub fn rename_mairie(&mut self, id: MairieId, name: &str) -> Result<MairieRow> {
        let name = checked_name(name)?;
        self.mairie(id)?;
        if !self.conn(id)?.mairie_rename(name)? {
            return Err(name_taken(name));
        }
        self.mairie(id)
    }

    /// Adds a mairie with its own catalogue: `catalogue`, or the shipped one.
    pub fn add_mairie(
        &mut self,
        name: &str,
        catalogue: Option<&Catalogue>,
        now: DateTime<Utc>,
    ) -> Result<MairieRow> {
        let name = checked_name(name)?;
        let shipped;
        let catalogue = match catalogue {
            Some(c) => c,
            None => {
                let mut c = volant_core::catalogue::shipped()?;
                c.meta.mairie = name.to_owned();
                shipped = c;
                &shipped
            }
        };
        let id = self
            .conn(MairieId::NONE)?
            .mairie_insert(name, &now.to_rfc3339(), &Uuid::now_v7().to_string())?
            .ok_or_else(|| name_taken(name))?;
        self.import_catalogue(id, catalogue)?;
        self.mairie(id)
    }
}

fn checked_name(name: &str) -> Result<&str> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(StoreError::refused(
            ErrorCode::InvalidField,
            format!("nom de mairie : 1 à {MAX_NAME} caractères"),
        ));
    }
    Ok(name)
}

fn name_taken(name: &str) -> StoreError {
    StoreError::refused(
        ErrorCode::InvalidField,
        format!("une mairie s'appelle déjà « {name} »"),
    )
}
