//! The catalogue file: JSON import with validation and export, and the
//! catalogue shipped with Volant for the mairie du 19e.
//!
//! A file is checked whole before anything is written: every error is
//! reported with its line and field, and a file with any error is refused.

mod edit;
mod file;

pub use edit::apply_edit;
pub use file::{CatalogueFileError, FORMAT, FORMAT_VERSION, LineProblem, parse, to_json};

use crate::domain::Catalogue;

/// The shipped catalogue's JSON text.
pub const SHIPPED_JSON: &str = include_str!("../../../../catalogue/mairie-19e.json");

/// The catalogue shipped with Volant. It is checked by the test suite, so a
/// failure here means a broken build, which is reported rather than hidden.
pub fn shipped() -> Result<Catalogue, CatalogueFileError> {
    parse(SHIPPED_JSON)
}
