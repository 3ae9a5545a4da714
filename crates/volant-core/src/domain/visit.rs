//! A visit: one visitor met by the greeter, from « bonjour » to the outcome.
//!
//! Anonymous by design: there is no field for a name, phone, address, birth
//! date or ID number, and the only free text is a short optional note.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{AgentInitials, DemarcheId, Language, ServiceId, TabletLetter, VisitId};
use super::ticket::Ticket;

/// The steps of the method, plus the two ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Step {
    /// Écouter.
    Listen,
    /// Qualifier.
    Qualify,
    /// Orienter.
    Orient,
    /// Accompagner.
    Accompany,
    /// Closed with an outcome.
    Closed,
    /// Abandoned before the end.
    Abandoned,
}

impl Step {
    /// Closed or abandoned: nothing more happens to the visit.
    pub fn is_over(self) -> bool {
        matches!(self, Step::Closed | Step::Abandoned)
    }

    /// The step before this one, if going back is possible.
    pub fn previous(self) -> Option<Step> {
        match self {
            Step::Qualify => Some(Step::Listen),
            Step::Orient => Some(Step::Qualify),
            Step::Accompany => Some(Step::Orient),
            Step::Listen | Step::Closed | Step::Abandoned => None,
        }
    }

    /// Whether the visit is over.
    pub fn is_final(self) -> bool {
        matches!(self, Step::Closed | Step::Abandoned)
    }

    /// Name as stored and exported.
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Listen => "listen",
            Step::Qualify => "qualify",
            Step::Orient => "orient",
            Step::Accompany => "accompany",
            Step::Closed => "closed",
            Step::Abandoned => "abandoned",
        }
    }
}

/// One stay in a step. Going back opens a new span for the earlier step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StepSpan {
    /// The step.
    pub step: Step,
    /// When it started (tablet clock).
    pub started_at: DateTime<Utc>,
    /// When it ended, once it has.
    pub ended_at: Option<DateTime<Utc>>,
}

/// The seed's typology of a « multiple general public ».
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum VisitorProfile {
    Citizen,
    ConsumerNovice,
    ConsumerExpert,
    BeneficiaryFragile,
    BeneficiaryExpert,
    Inhabitant,
    Curious,
    Practitioner,
}

/// What the listen step records. All optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Listening {
    /// The visitor's profile, if the agent chose one.
    #[serde(default)]
    pub profile: Option<VisitorProfile>,
    /// The visitor's language.
    #[serde(default)]
    pub language: Option<Language>,
    /// A short factual note; readable by the visitor (right of access).
    #[serde(default)]
    pub note: Option<String>,
}

/// What the qualify step found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Qualification {
    /// One or more démarches of the catalogue.
    Demarches {
        /// The démarches, first the main one.
        ids: Vec<DemarcheId>,
    },
    /// Nothing in the catalogue fits: kept as an unmet need.
    Unmet {
        /// The request in a few words.
        description: String,
    },
}

/// Where the visitor is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Destination {
    /// An internal counter: a ticket is issued.
    Counter {
        /// The counter.
        service: ServiceId,
    },
    /// A permanence slot.
    Permanence {
        /// The permanence.
        service: ServiceId,
        /// The slot proposed (mairie local time), if any.
        #[serde(default)]
        slot: Option<NaiveDateTime>,
    },
    /// An external partner.
    Partner {
        /// The partner.
        service: ServiceId,
    },
    /// An online service; the visitor leaves with the link.
    Online {
        /// What it is.
        title: String,
        /// The link.
        url: String,
    },
    /// Resolved on the spot by the greeter.
    ResolvedOnSpot,
}

impl Destination {
    /// The service of the catalogue it sends to, if any.
    pub fn service(&self) -> Option<&ServiceId> {
        match self {
            Destination::Counter { service }
            | Destination::Permanence { service, .. }
            | Destination::Partner { service } => Some(service),
            Destination::Online { .. } | Destination::ResolvedOnSpot => None,
        }
    }

    /// Name of the outcome as stored and exported.
    pub fn kind(&self) -> &'static str {
        match self {
            Destination::Counter { .. } => "counter",
            Destination::Permanence { .. } => "permanence",
            Destination::Partner { .. } => "partner",
            Destination::Online { .. } => "online",
            Destination::ResolvedOnSpot => "resolved_on_spot",
        }
    }
}

/// What the orient step recorded: the destination, and its ticket for a counter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Orientation {
    /// Where the visitor was sent.
    pub destination: Destination,
    /// The queue ticket, for an internal counter.
    pub ticket: Option<Ticket>,
}

/// What the accompany step recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Accompaniment {
    /// The agent walked the visitor to the counter, helped fill a form…
    pub accompanied: bool,
}

/// The four faces the visitor chooses from, least satisfied first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Satisfaction {
    /// Très mécontent.
    VeryDissatisfied,
    /// Mécontent.
    Dissatisfied,
    /// Satisfait.
    Satisfied,
    /// Très satisfait.
    VerySatisfied,
}

impl Satisfaction {
    /// Name as stored and exported.
    pub fn as_str(self) -> &'static str {
        match self {
            Satisfaction::VeryDissatisfied => "very_dissatisfied",
            Satisfaction::Dissatisfied => "dissatisfied",
            Satisfaction::Satisfied => "satisfied",
            Satisfaction::VerySatisfied => "very_satisfied",
        }
    }

    /// The face named `name` ([`Satisfaction::as_str`]).
    pub fn parse(name: &str) -> Option<Satisfaction> {
        [
            Satisfaction::VeryDissatisfied,
            Satisfaction::Dissatisfied,
            Satisfaction::Satisfied,
            Satisfaction::VerySatisfied,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }

    /// One of the two satisfied faces.
    pub fn is_satisfied(self) -> bool {
        matches!(self, Satisfaction::Satisfied | Satisfaction::VerySatisfied)
    }
}

/// The visitor's one-tap opinion at the end of the visit. Anonymous: a face,
/// and the answer to « Avez-vous dû répéter votre situation ? » if given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Opinion {
    /// The face tapped.
    pub satisfaction: Satisfaction,
    /// Whether the visitor had to repeat their situation, once answered.
    pub repeated_situation: Option<bool>,
    /// When the face was tapped (tablet clock).
    pub given_at: DateTime<Utc>,
}

/// A visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Visit {
    /// UUIDv7 made on the tablet.
    pub id: VisitId,
    /// The tablet that recorded it.
    pub tablet: TabletLetter,
    /// The agent's initials, if set.
    pub agent: Option<AgentInitials>,
    /// The mairie day the visit started.
    pub day: NaiveDate,
    /// Current step.
    pub step: Step,
    /// Every stay in every step, in order.
    pub spans: Vec<StepSpan>,
    /// Listen step data.
    pub listening: Listening,
    /// Qualify step data.
    pub qualification: Option<Qualification>,
    /// Orient step data.
    pub orientation: Option<Orientation>,
    /// Tickets issued then replaced when the agent went back and re-oriented.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaced_tickets: Vec<Ticket>,
    /// Accompany step data.
    pub accompaniment: Option<Accompaniment>,
    /// The step at which the visit was abandoned.
    pub abandoned_at: Option<Step>,
    /// The visitor's opinion, once given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub opinion: Option<Opinion>,
    /// Number of changes applied so far (0 when opened).
    pub revision: u32,
}

/// Seconds spent in each step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StepDurations {
    /// Écouter.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub listen: i64,
    /// Qualifier.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub qualify: i64,
    /// Orienter.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub orient: i64,
    /// Accompagner.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub accompany: i64,
}

impl StepDurations {
    /// Seconds in `step` (0 for the two ends).
    pub fn of(&self, step: Step) -> i64 {
        match step {
            Step::Listen => self.listen,
            Step::Qualify => self.qualify,
            Step::Orient => self.orient,
            Step::Accompany => self.accompany,
            Step::Closed | Step::Abandoned => 0,
        }
    }

    /// Total seconds.
    pub fn total(&self) -> i64 {
        self.listen + self.qualify + self.orient + self.accompany
    }
}

impl Visit {
    /// The lead's repair of a visit quarantined for a démarche the catalogue
    /// no longer has: `from` becomes `to` in what the greeter qualified.
    /// False when the visit does not name `from`.
    pub fn replace_demarche(&mut self, from: &DemarcheId, to: DemarcheId) -> bool {
        let Some(Qualification::Demarches { ids }) = &mut self.qualification else {
            return false;
        };
        let Some(at) = ids.iter().position(|id| id == from) else {
            return false;
        };
        if ids.contains(&to) {
            ids.remove(at);
        } else {
            ids[at] = to;
        }
        true
    }

    /// When the visit started.
    pub fn opened_at(&self) -> DateTime<Utc> {
        self.spans
            .first()
            .map_or(DateTime::UNIX_EPOCH, |s| s.started_at)
    }

    /// When the visit ended (closed or abandoned).
    pub fn ended_at(&self) -> Option<DateTime<Utc>> {
        self.step
            .is_final()
            .then(|| self.spans.last().and_then(|s| s.ended_at))
            .flatten()
    }

    /// Seconds per step; an open span counts up to `now`. A clock that went
    /// backwards counts as zero, never negative.
    pub fn durations(&self, now: DateTime<Utc>) -> StepDurations {
        let mut d = StepDurations::default();
        for span in &self.spans {
            let secs = (span.ended_at.unwrap_or(now) - span.started_at)
                .num_seconds()
                .max(0);
            match span.step {
                Step::Listen => d.listen += secs,
                Step::Qualify => d.qualify += secs,
                Step::Orient => d.orient += secs,
                Step::Accompany => d.accompany += secs,
                Step::Closed | Step::Abandoned => {}
            }
        }
        d
    }

    /// Seconds per step as the snapshot records them: an open step counts up
    /// to its start, since the snapshot cannot know how long it lasted.
    pub fn recorded_durations(&self) -> StepDurations {
        let until = self
            .ended_at()
            .or_else(|| self.spans.last().map(|s| s.started_at))
            .unwrap_or(DateTime::UNIX_EPOCH);
        self.durations(until)
    }

    /// The ticket currently held by the visitor.
    pub fn ticket(&self) -> Option<&Ticket> {
        self.orientation.as_ref().and_then(|o| o.ticket.as_ref())
    }

    /// The outcome in one word: the destination kind, `abandoned`, or `open`.
    pub fn outcome(&self) -> &'static str {
        match (self.step, &self.orientation) {
            (Step::Abandoned, _) => "abandoned",
            (Step::Closed, Some(o)) => o.destination.kind(),
            _ => "open",
        }
    }
}
