//! The sync engine: pushes the outbox to the mairie server and pulls the
//! catalogue, so every visit reaches the server exactly once in effect.
//!
//! Architecture invariant: the store is locked only around database steps,
//! never across a network request, so the agent keeps working while a sync
//! waits on the network; and one sync runs at a time per tablet.

mod client;
mod engine;
pub mod tls;

pub use client::{Client, ClientError};
pub use engine::{
    BATCH_BYTES, BATCH_ITEMS, Backoff, Clock, PAGE_ITEMS, SyncError, SyncReport, SystemClock,
    enroll, enrollment, refresh_waits, run_until, sync_once,
};
