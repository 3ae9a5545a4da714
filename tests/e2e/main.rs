//! End-to-end tests: the store, the catalogue, search and the day's log, each on
//! a fresh database. One test binary.

mod bindings;
mod catalogue;
mod chaos;
mod lead;
mod queue;
mod search;
mod store;
mod sync;
mod tls;
