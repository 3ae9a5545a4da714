//! The team lead's endpoints: the day's journal across every tablet, the
//! indicators of a period, the day's sign-off, and catalogue edits. Only a
//! device enrolled as a lead may call them (`403 forbidden` otherwise).

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `GET /v1/lead/journal?day=…`: one page of a day's visits, with filters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct JournalQuery {
    /// The mairie day.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub day: NaiveDate,
    /// Only this tablet letter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tablet: Option<String>,
    /// Only this agent's initials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// Only visits sent to this service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Only this outcome (`counter`, `permanence`, `partner`, `online`,
    /// `resolved_on_spot`, `abandoned`, `open`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// Only visits about this démarche.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demarche: Option<String>,
    /// Only unmet needs.
    #[serde(default)]
    pub unmet_only: bool,
    /// Page number, from 0.
    #[serde(default)]
    pub page: u32,
}

/// One visit of the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct JournalEntry {
    /// Name of the device that recorded it.
    pub device: String,
    /// When the server last received it.
    pub received_at: DateTime<Utc>,
    /// The tablet's clock was more than 5 minutes off when it pushed.
    pub clock_suspect: bool,
    /// Why the server quarantined a later change of this visit, if it did.
    pub quarantined: Option<String>,
    /// The visit snapshot, as the tablet sent it.
    pub visit: serde_json::Value,
}

/// A change the server quarantined, for the lead to look at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QuarantinedRecord {
    /// Device name.
    pub device: String,
    /// The entity it was about.
    pub entity_id: String,
    /// Tablet clock when it was made.
    pub device_time: DateTime<Utc>,
    /// Why.
    pub reason: String,
    /// Where it sits in the inbox: its tablet's install…
    pub install_id: Uuid,
    /// …and its position there (with the install, what a repair names).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seq: u64,
    /// The démarches it names that the catalogue does not have (now): what a
    /// repair maps to current ones.
    pub unknown_demarches: Vec<String>,
    /// Its repair by the lead, once made: the visit is then stored.
    pub repair: Option<QuarantineRepair>,
}

/// A démarche named by a quarantined visit, and the current one it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct DemarcheReplacement {
    /// The id the visit names.
    pub from: String,
    /// A démarche of the current catalogue.
    pub to: String,
}

/// `POST /v1/lead/quarantine/{install_id}/{seq}`: re-apply a quarantined visit
/// with its unknown démarches mapped to current ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RepairRequest {
    /// The mapping, one entry per unknown démarche.
    pub replacements: Vec<DemarcheReplacement>,
}

/// Who repaired a quarantined record, when, and what changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QuarantineRepair {
    /// The lead device's name.
    pub by: String,
    /// Server clock.
    pub at: DateTime<Utc>,
    /// What changed.
    pub replacements: Vec<DemarcheReplacement>,
}

/// A day marked reviewed by the lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignOff {
    /// The day.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub day: NaiveDate,
    /// The lead's comment.
    pub comment: String,
    /// Name of the lead device.
    pub signed_by: String,
    /// When (server clock).
    pub signed_at: DateTime<Utc>,
}

/// `PUT /v1/lead/signoff/{day}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignOffRequest {
    /// A short comment (at most 500 characters).
    pub comment: String,
}

/// The answer to `GET /v1/lead/journal`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct JournalPage {
    /// The day.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub day: NaiveDate,
    /// Visits matching the filters, all pages.
    pub total: u32,
    /// This page, from 0.
    pub page: u32,
    /// Visits per page.
    pub page_size: u32,
    /// The visits of this page, oldest first.
    pub entries: Vec<JournalEntry>,
    /// Changes of that day the server quarantined.
    pub quarantined: Vec<QuarantinedRecord>,
    /// The day's sign-off, if any.
    pub signoff: Option<SignOff>,
    /// The day is past the retention period: only its aggregates remain.
    pub purged: bool,
}

/// `GET /v1/lead/indicators?from=…&to=…` and `GET /v1/lead/export?from=…&to=…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Period {
    /// First day.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub from: NaiveDate,
    /// Last day, included.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub to: NaiveDate,
}

/// A count for one value of a dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Count {
    /// The value: an hour (`"09"`), a démarche id, an outcome, a tablet letter…
    pub key: String,
    /// What people read for it, in French.
    pub label: String,
    /// Visits.
    pub visits: u32,
}

/// Time spent in one step of the method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StepTime {
    /// `listen`, `qualify`, `orient` or `accompany`.
    pub step: String,
    /// Median seconds, over the visits that went through the step.
    pub median_s: u32,
    /// 90th percentile, in seconds.
    pub p90_s: u32,
    /// Visits measured.
    pub visits: u32,
}

/// Requests nobody could answer, grouped by similar wording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UnmetGroup {
    /// The most frequent wording.
    pub label: String,
    /// Visits.
    pub visits: u32,
    /// Every distinct wording of the group, most frequent first.
    pub wordings: Vec<String>,
}

/// One service's queue over the period: how long visitors waited to be
/// called, how long they stayed at the counter, and who did not come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QueueTime {
    /// The service's name.
    pub service: String,
    /// Tickets that entered its queue.
    pub tickets: u32,
    /// Served at a counter.
    pub served: u32,
    /// Called and absent.
    pub no_shows: u32,
    /// Median wait, issue to first call, in seconds (0 without calls).
    pub wait_median_s: u32,
    /// 90th percentile of the wait.
    pub wait_p90_s: u32,
    /// Median time at the counter, in seconds (0 without services).
    pub service_median_s: u32,
    /// 90th percentile of the time at the counter.
    pub service_p90_s: u32,
    /// Called tickets that were issued with a quoted wait.
    pub quoted: u32,
    /// Of which called before the quoted range's upper end.
    pub called_within_quote: u32,
}

/// One tablet's share of the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TabletCount {
    /// Tablet letter.
    pub tablet: String,
    /// Visits.
    pub visits: u32,
    /// Tickets issued.
    pub tickets: u32,
    /// Unmet needs.
    pub unmet: u32,
    /// Visits abandoned.
    pub abandoned: u32,
}

/// The indicators of a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Indicators {
    /// The period.
    pub period: Period,
    /// Visits.
    pub visits: u32,
    /// Arrivals per hour of the day (mairie time), every hour with a visit.
    pub arrivals_per_hour: Vec<Count>,
    /// The busiest hour, e.g. `"10"`.
    pub busiest_hour: Option<String>,
    /// The quietest hour with any visit.
    pub quietest_hour: Option<String>,
    /// Main démarche of the visits, most frequent first (at most 10).
    pub top_demarches: Vec<Count>,
    /// Where visitors were sent, abandoned and open visits included.
    pub orientations: Vec<Count>,
    /// Median and 90th percentile per step.
    pub step_times: Vec<StepTime>,
    /// Visits accompanied.
    pub accompanied: u32,
    /// Visits that reached the end of the accompany step.
    pub accompany_answered: u32,
    /// Unmet needs, by similar wording.
    pub unmet: Vec<UnmetGroup>,
    /// Per tablet.
    pub per_tablet: Vec<TabletCount>,
    /// Days of the period with their detailed visits.
    pub detailed_days: u32,
    /// Days past the retention period, counted from their aggregates only
    /// (no step times, accompaniment, unmet wording or tablet for them).
    pub aggregated_days: u32,
    /// Days of the period signed off.
    #[cfg_attr(feature = "ts", ts(type = "Array<string>"))]
    pub signed_off: Vec<NaiveDate>,
    /// The counters' queues, per service (days still detailed only).
    #[serde(default)]
    pub queues: Vec<QueueTime>,
    /// Calls per counter, recalls included, most first.
    #[serde(default)]
    pub calls_per_counter: Vec<Count>,
    /// The visitors' opinions (days still detailed only).
    #[serde(default)]
    pub satisfaction: SatisfactionFigures,
}

/// `GET /v1/city/indicators`: every mairie's indicators of a period, as the
/// city sees them — from aggregates only (cells of fewer than five visits
/// hidden, as past retention): no step times, tablets, unmet wording,
/// queues or opinions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CityIndicators {
    /// The period.
    pub period: Period,
    /// Each mairie, by id.
    pub mairies: Vec<MairieIndicators>,
}

/// One mairie's indicators in [`CityIndicators`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MairieIndicators {
    /// The mairie's id.
    pub mairie: i64,
    /// Its name.
    pub name: String,
    /// Its indicators, from aggregates only.
    pub indicators: Indicators,
}

/// The visitors' opinions of a period. The shares are hidden (`None`) below
/// [`SatisfactionFigures::MIN_ANSWERS`] answers: too few to mean anything, and
/// too close to a person.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SatisfactionFigures {
    /// Visitors who tapped a face.
    pub answers: u32,
    /// Share of them satisfied or very satisfied, in percent.
    pub satisfied_pct: Option<u32>,
    /// Satisfied minus dissatisfied, in points of percent (−100 to 100).
    pub net: Option<i32>,
    /// Visitors who answered « Avez-vous dû répéter votre situation ? ».
    pub repeat_answers: u32,
    /// Share of them who said yes, in percent.
    pub repeated_pct: Option<u32>,
}

impl SatisfactionFigures {
    /// The fewest answers a share is shown for.
    pub const MIN_ANSWERS: u32 = 10;
}

/// `PUT /v1/lead/catalogue/{kind}/{id}`: create or change a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CatalogueEdit {
    /// The record's version the edit was made from; `None` creates it.
    pub expected_version: Option<u32>,
    /// The record (a service or a démarche), validated like an import.
    pub record: serde_json::Value,
}

/// The answer to a catalogue edit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CatalogueEdited {
    /// The catalogue version of the write (tablets pull it).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub catalogue_version: u64,
    /// The record as stored, with its new version.
    pub record: serde_json::Value,
}
