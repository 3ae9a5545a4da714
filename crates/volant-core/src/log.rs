//! The day's log as rows, and its CSV and JSON exports.
//!
//! CSV columns, in order (times are the tablet's clock, RFC 3339 UTC;
//! durations in seconds):
//! `visit_id, day, tablet, agent, opened_at, ended_at, step, outcome,
//!  demarches, unmet_need, destination, ticket, replaced_tickets, accompanied,
//!  profile, language, listen_s, qualify_s, orient_s, accompany_s, total_s,
//!  sync` — `demarches` and `replaced_tickets` are `|`-separated, `sync` is
//!  `synchronisé` or `en attente (N)`. The CSV never carries the free-text
//!  note; the JSON export is the full record.

use serde::Serialize;

use crate::domain::{Destination, Qualification};
use crate::store::LogEntry;

/// One visit of the log, flattened for a table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogRow {
    /// Visit id.
    pub visit_id: String,
    /// Mairie day.
    pub day: String,
    /// Tablet letter.
    pub tablet: String,
    /// Agent initials.
    pub agent: String,
    /// Start.
    pub opened_at: String,
    /// End, when over.
    pub ended_at: String,
    /// Current step.
    pub step: String,
    /// Outcome (`counter`, `permanence`, `partner`, `online`, `resolved_on_spot`, `abandoned`, `open`).
    pub outcome: String,
    /// Démarche ids, `|`-separated.
    pub demarches: String,
    /// Unmet need, if nothing in the catalogue fitted.
    pub unmet_need: String,
    /// Service id, or the online link.
    pub destination: String,
    /// Ticket code.
    pub ticket: String,
    /// Codes of tickets replaced by a new orientation, `|`-separated.
    pub replaced_tickets: String,
    /// `oui`, `non`, or empty while open.
    pub accompanied: String,
    /// Visitor profile.
    pub profile: String,
    /// Visitor language.
    pub language: String,
    /// Seconds in Écouter.
    pub listen_s: i64,
    /// Seconds in Qualifier.
    pub qualify_s: i64,
    /// Seconds in Orienter.
    pub orient_s: i64,
    /// Seconds in Accompagner.
    pub accompany_s: i64,
    /// Total seconds.
    pub total_s: i64,
    /// The face the visitor tapped (`very_dissatisfied` … `very_satisfied`), or empty.
    pub satisfaction: String,
    /// Had to repeat their situation: `oui`, `non`, or empty if not answered.
    pub repeated_situation: String,
    /// Sync state.
    pub sync: String,
}

fn yes_no(answer: Option<bool>) -> String {
    match answer {
        Some(true) => "oui".into(),
        Some(false) => "non".into(),
        None => String::new(),
    }
}

fn json_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

impl From<&LogEntry> for LogRow {
    fn from(entry: &LogEntry) -> LogRow {
        let v = &entry.visit;
        let (demarches, unmet_need) = match &v.qualification {
            Some(Qualification::Demarches { ids }) => (
                ids.iter().map(|i| i.as_str()).collect::<Vec<_>>().join("|"),
                String::new(),
            ),
            Some(Qualification::Unmet { description }) => (String::new(), description.clone()),
            None => (String::new(), String::new()),
        };
        let destination = match v.orientation.as_ref().map(|o| &o.destination) {
            Some(Destination::Online { url, .. }) => url.clone(),
            Some(d) => d.service().map(ToString::to_string).unwrap_or_default(),
            None => String::new(),
        };
        let d = entry.durations;
        LogRow {
            visit_id: v.id.to_string(),
            day: v.day.to_string(),
            tablet: v.tablet.to_string(),
            agent: v
                .agent
                .as_ref()
                .map(|a| a.as_str().to_owned())
                .unwrap_or_default(),
            opened_at: v.opened_at().to_rfc3339(),
            ended_at: v.ended_at().map(|t| t.to_rfc3339()).unwrap_or_default(),
            step: v.step.as_str().to_owned(),
            outcome: v.outcome().to_owned(),
            demarches,
            unmet_need,
            destination,
            ticket: v.ticket().map(|t| t.code.to_string()).unwrap_or_default(),
            replaced_tickets: v
                .replaced_tickets
                .iter()
                .map(|t| t.code.as_str())
                .collect::<Vec<_>>()
                .join("|"),
            accompanied: yes_no(v.accompaniment.map(|a| a.accompanied)),
            profile: v
                .listening
                .profile
                .as_ref()
                .map(json_name)
                .unwrap_or_default(),
            language: v
                .listening
                .language
                .as_ref()
                .map(|l| l.as_str().to_owned())
                .unwrap_or_default(),
            listen_s: d.listen,
            qualify_s: d.qualify,
            orient_s: d.orient,
            accompany_s: d.accompany,
            total_s: d.total(),
            satisfaction: v
                .opinion
                .map(|o| o.satisfaction.as_str().to_owned())
                .unwrap_or_default(),
            repeated_situation: yes_no(v.opinion.and_then(|o| o.repeated_situation)),
            sync: match entry.pending_changes {
                0 => "synchronisé".into(),
                n => format!("en attente ({n})"),
            },
        }
    }
}

/// The log as CSV, with a header row.
pub fn to_csv(entries: &[LogEntry]) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    if entries.is_empty() {
        writer.write_record(HEADER)?;
    }
    for entry in entries {
        writer.serialize(LogRow::from(entry))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The CSV header, also written for an empty day.
pub const HEADER: [&str; 24] = [
    "visit_id",
    "day",
    "tablet",
    "agent",
    "opened_at",
    "ended_at",
    "step",
    "outcome",
    "demarches",
    "unmet_need",
    "destination",
    "ticket",
    "replaced_tickets",
    "accompanied",
    "profile",
    "language",
    "listen_s",
    "qualify_s",
    "orient_s",
    "accompany_s",
    "total_s",
    "satisfaction",
    "repeated_situation",
    "sync",
];

/// The log as a JSON array of full entries (visit snapshots with durations).
pub fn to_json(entries: &[LogEntry]) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(entries)
}
