//! The team lead's review of the hall: what each visit says once flattened
//! into a [`VisitFact`], the aggregates kept after the retention period, the
//! indicators of a period, and unmet needs grouped by similar wording.
//!
//! Architecture invariant: pure functions over facts and aggregates; no I/O,
//! no clock. The server stores the facts and calls these; the tablet shows
//! their results.

mod aggregate;
mod fact;
mod indicators;
mod queues;
mod unmet;

pub use aggregate::{AggregateCell, NO_DEMARCHE, aggregate_day};
pub use fact::{STEPS, VisitFact};
pub use indicators::{Labels, indicators, outcome_label};
pub use queues::queue_times;
pub use unmet::group_unmet;
