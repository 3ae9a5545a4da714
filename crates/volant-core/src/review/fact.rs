//! A visit flattened into what the indicators and the journal filters need.

use chrono::{NaiveDate, Timelike};
use chrono_tz::Europe::Paris;

use crate::domain::{Qualification, Satisfaction, Step, Visit};

/// The four steps of the method, in order, as named in facts and indicators.
pub const STEPS: [Step; 4] = [Step::Listen, Step::Qualify, Step::Orient, Step::Accompany];

/// One visit, flattened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitFact {
    /// Mairie day.
    pub day: NaiveDate,
    /// Hour of arrival, mairie time (0–23).
    pub hour: u8,
    /// Tablet letter.
    pub tablet: String,
    /// Agent initials.
    pub agent: Option<String>,
    /// Outcome (see [`Visit::outcome`]).
    pub outcome: String,
    /// The service the visitor was sent to.
    pub service: Option<String>,
    /// The démarches, the main one first.
    pub demarches: Vec<String>,
    /// The unmet need's wording.
    pub unmet: Option<String>,
    /// Seconds in each step of [`STEPS`]; `None` for a step never entered.
    pub seconds: [Option<u32>; 4],
    /// Accompanied or not, once the accompany step was answered.
    pub accompanied: Option<bool>,
    /// The ticket code, for a counter.
    pub ticket: Option<String>,
    /// The face the visitor tapped, if they gave their opinion.
    pub satisfaction: Option<Satisfaction>,
    /// Whether they had to repeat their situation, if they answered.
    pub repeated_situation: Option<bool>,
}

impl VisitFact {
    /// The fact of a visit snapshot, with its recorded durations
    /// ([`Visit::recorded_durations`]).
    pub fn of(visit: &Visit) -> VisitFact {
        let durations = visit.recorded_durations();
        let seconds = STEPS.map(|step| {
            visit
                .spans
                .iter()
                .any(|s| s.step == step)
                .then(|| u32::try_from(durations.of(step)).unwrap_or(u32::MAX))
        });
        let (demarches, unmet) = match &visit.qualification {
            Some(Qualification::Demarches { ids }) => {
                (ids.iter().map(|i| i.as_str().to_owned()).collect(), None)
            }
            Some(Qualification::Unmet { description }) => (Vec::new(), Some(description.clone())),
            None => (Vec::new(), None),
        };
        let service = visit
            .orientation
            .as_ref()
            .and_then(|o| o.destination.service())
            .map(|s| s.as_str().to_owned());
        let hour = visit.opened_at().with_timezone(&Paris).hour();
        VisitFact {
            day: visit.day,
            hour: u8::try_from(hour).unwrap_or(0),
            tablet: visit.tablet.to_string(),
            agent: visit.agent.as_ref().map(|a| a.as_str().to_owned()),
            outcome: visit.outcome().to_owned(),
            service,
            demarches,
            unmet,
            seconds,
            accompanied: visit.accompaniment.map(|a| a.accompanied),
            ticket: visit.ticket().map(|t| t.code.to_string()),
            satisfaction: visit.opinion.map(|o| o.satisfaction),
            repeated_situation: visit.opinion.and_then(|o| o.repeated_situation),
        }
    }

    /// The main démarche, if any.
    pub fn main_demarche(&self) -> Option<&str> {
        self.demarches.first().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn a_demo_day_gives_paris_hours_step_seconds_and_one_kind_of_qualification() {
        let dir = tempfile::tempdir().expect("tempdir");
        let now = "2026-07-01T15:00:00Z".parse().expect("time");
        let mut store = Store::open(&dir.path().join("t.db"), now).expect("store");
        crate::demo::walk_visits(&mut store, 40, 1, now, 7).expect("visits");
        let day = crate::domain::mairie_day(now);
        for entry in store.day_log(day, now).expect("log") {
            let fact = VisitFact::of(&entry.visit);
            assert!((8..=17).contains(&fact.hour), "{fact:?}");
            assert!(fact.seconds[0].is_some(), "every visit is listened to");
            assert_eq!(fact.outcome, entry.visit.outcome());
            assert!(fact.demarches.is_empty() || fact.unmet.is_none());
            assert_eq!(fact.ticket.is_some(), fact.outcome == "counter");
        }
    }
}
