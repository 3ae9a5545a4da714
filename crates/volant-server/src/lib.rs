//! The mairie server: enrols devices, receives every tablet's visits and
//! tickets exactly once into an idempotent inbox, and serves the authoritative
//! catalogue in pages. One SQLite file by default, PostgreSQL for the city
//! (several instances on one database); axum + tokio.

pub mod api;
pub mod app;
pub mod error;
pub mod extract;
pub mod live;
pub mod openapi;
pub mod routes;
pub mod store;
pub mod tls;

pub use app::{Application, Config, DEFAULT_LIMITS};
pub use tls::Transport;
