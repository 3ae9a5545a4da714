//! The visit workflow as a pure transition function:
//! `(visit, event, now) -> Result<visit, WorkflowError>`.
//!
//! listen → qualify → orient → accompany → closed; going back one step is
//! allowed, abandoning is allowed from any open step, and every step records
//! when it started and ended. The visitor's opinion is given once, from the
//! accompany step on, and changes no step.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{AgentInitials, TabletLetter, VisitId};
use super::mairie_day;
use super::visit::{
    Accompaniment, Destination, Listening, Opinion, Orientation, Qualification, Satisfaction, Step,
    StepSpan, Visit,
};

/// Longest note, in characters.
pub const NOTE_MAX: usize = 280;
/// Longest unmet-need description, in characters.
pub const UNMET_MAX: usize = 200;

/// Something that happens to a visit. `O` is what the orient step carries:
/// the agent's command names a [`Destination`] ([`Action`]); the store turns
/// it into an [`Orientation`] with its ticket before the workflow sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum VisitEvent<O = Orientation> {
    /// Listen done: Listen → Qualify.
    Listened(Listening),
    /// Qualify done: Qualify → Orient.
    Qualified(Qualification),
    /// Orient done: Orient → Accompany.
    Oriented(O),
    /// Accompany done: Accompany → Closed.
    Accompanied(Accompaniment),
    /// One step back.
    Back,
    /// The visitor left, or the agent gave up.
    Abandon,
    /// The visitor tapped a face (once per visit).
    Rated(Satisfaction),
    /// The visitor answered « Avez-vous dû répéter votre situation ? » (once,
    /// after a face).
    AnsweredRepeat(bool),
}

/// What the agent asks for; see [`VisitEvent`].
pub type Action = VisitEvent<Destination>;

impl<O> VisitEvent<O> {
    /// Replaces the orient payload, keeping every other event as is.
    pub fn try_map_oriented<P, E>(
        self,
        f: impl FnOnce(O) -> Result<P, E>,
    ) -> Result<VisitEvent<P>, E> {
        Ok(match self {
            VisitEvent::Listened(l) => VisitEvent::Listened(l),
            VisitEvent::Qualified(q) => VisitEvent::Qualified(q),
            VisitEvent::Oriented(o) => VisitEvent::Oriented(f(o)?),
            VisitEvent::Accompanied(a) => VisitEvent::Accompanied(a),
            VisitEvent::Back => VisitEvent::Back,
            VisitEvent::Abandon => VisitEvent::Abandon,
            VisitEvent::Rated(s) => VisitEvent::Rated(s),
            VisitEvent::AnsweredRepeat(r) => VisitEvent::AnsweredRepeat(r),
        })
    }
}

/// Why an event was refused. Messages are in French: the agent reads them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    /// The event belongs to another step.
    #[error("action impossible à l'étape « {actual:?} » (attendu : « {expected:?} »)")]
    WrongStep {
        /// The step the event needs.
        expected: Step,
        /// The visit's step.
        actual: Step,
    },
    /// The visit is closed or abandoned.
    #[error("la visite est terminée")]
    Ended,
    /// Back from the first step.
    #[error("pas d'étape avant « Écouter »")]
    NothingBefore,
    /// The visitor's opinion comes at the end of a visit, once.
    #[error("{0}")]
    Opinion(&'static str),
    /// Bad data in the event.
    #[error("{field} : {message}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
}

fn invalid(field: &'static str, message: impl Into<String>) -> WorkflowError {
    WorkflowError::Invalid {
        field,
        message: message.into(),
    }
}

impl Visit {
    /// A new visit, in the listen step.
    pub fn open(
        id: VisitId,
        tablet: TabletLetter,
        agent: Option<AgentInitials>,
        now: DateTime<Utc>,
    ) -> Visit {
        Visit {
            id,
            tablet,
            agent,
            day: mairie_day(now),
            step: Step::Listen,
            spans: vec![StepSpan {
                step: Step::Listen,
                started_at: now,
                ended_at: None,
            }],
            listening: Listening::default(),
            qualification: None,
            orientation: None,
            replaced_tickets: Vec::new(),
            accompaniment: None,
            abandoned_at: None,
            opinion: None,
            revision: 0,
        }
    }

    fn enter(mut self, step: Step, now: DateTime<Utc>) -> Visit {
        if let Some(open) = self.spans.last_mut().filter(|s| s.ended_at.is_none()) {
            open.ended_at = Some(now);
        }
        if !step.is_final() {
            self.spans.push(StepSpan {
                step,
                started_at: now,
                ended_at: None,
            });
        }
        self.step = step;
        self
    }
}

fn expect_step(visit: &Visit, expected: Step) -> Result<(), WorkflowError> {
    if visit.step.is_final() {
        Err(WorkflowError::Ended)
    } else if visit.step != expected {
        Err(WorkflowError::WrongStep {
            expected,
            actual: visit.step,
        })
    } else {
        Ok(())
    }
}

fn check_listening(l: &Listening) -> Result<(), WorkflowError> {
    match &l.note {
        Some(n) if n.trim().is_empty() => Err(invalid("note", "vide : ne rien envoyer plutôt")),
        Some(n) if n.chars().count() > NOTE_MAX => {
            Err(invalid("note", format!("{NOTE_MAX} caractères au plus")))
        }
        _ => Ok(()),
    }
}

fn check_qualification(q: &Qualification) -> Result<(), WorkflowError> {
    match q {
        Qualification::Demarches { ids } if ids.is_empty() => {
            Err(invalid("demarches", "choisir au moins une démarche"))
        }
        Qualification::Demarches { ids } => {
            let unique: std::collections::HashSet<_> = ids.iter().collect();
            if unique.len() == ids.len() {
                Ok(())
            } else {
                Err(invalid(
                    "demarches",
                    "la même démarche est choisie deux fois",
                ))
            }
        }
        Qualification::Unmet { description } => {
            let len = description.trim().chars().count();
            if len == 0 {
                Err(invalid(
                    "description",
                    "décrire la demande en quelques mots",
                ))
            } else if len > UNMET_MAX {
                Err(invalid(
                    "description",
                    format!("{UNMET_MAX} caractères au plus"),
                ))
            } else {
                Ok(())
            }
        }
    }
}

fn check_orientation(o: &Orientation) -> Result<(), WorkflowError> {
    match (&o.destination, &o.ticket) {
        (Destination::Counter { service }, Some(t)) if &t.service == service => Ok(()),
        (Destination::Counter { .. }, Some(_)) => {
            Err(invalid("ticket", "le ticket est pour un autre guichet"))
        }
        (Destination::Counter { .. }, None) => {
            Err(invalid("ticket", "un guichet demande un ticket"))
        }
        (_, Some(_)) => Err(invalid(
            "ticket",
            "seul un guichet interne délivre un ticket",
        )),
        (Destination::Online { title, url }, None) => {
            if title.trim().is_empty() {
                Err(invalid("title", "nommer le service en ligne"))
            } else if !url.starts_with("https://") {
                Err(invalid("url", "le lien doit commencer par https://"))
            } else {
                Ok(())
            }
        }
        (_, None) => Ok(()),
    }
}

/// Applies `event` to `visit` at instant `now`. The input is left untouched;
/// the result has its revision incremented.
pub fn transition(
    visit: &Visit,
    event: VisitEvent,
    now: DateTime<Utc>,
) -> Result<Visit, WorkflowError> {
    let mut next = visit.clone();
    next.revision += 1;
    let next = match event {
        VisitEvent::Listened(listening) => {
            expect_step(visit, Step::Listen)?;
            check_listening(&listening)?;
            next.listening = listening;
            next.enter(Step::Qualify, now)
        }
        VisitEvent::Qualified(q) => {
            expect_step(visit, Step::Qualify)?;
            check_qualification(&q)?;
            next.qualification = Some(q);
            next.enter(Step::Orient, now)
        }
        VisitEvent::Oriented(o) => {
            expect_step(visit, Step::Orient)?;
            check_orientation(&o)?;
            if let Some(old) = next.orientation.take().and_then(|old| old.ticket) {
                next.replaced_tickets.push(old);
            }
            next.orientation = Some(o);
            next.enter(Step::Accompany, now)
        }
        VisitEvent::Accompanied(a) => {
            expect_step(visit, Step::Accompany)?;
            next.accompaniment = Some(a);
            next.enter(Step::Closed, now)
        }
        VisitEvent::Back => {
            if visit.step.is_final() {
                return Err(WorkflowError::Ended);
            }
            let previous = visit.step.previous().ok_or(WorkflowError::NothingBefore)?;
            next.enter(previous, now)
        }
        VisitEvent::Abandon => {
            if visit.step.is_final() {
                return Err(WorkflowError::Ended);
            }
            next.abandoned_at = Some(visit.step);
            next.enter(Step::Abandoned, now)
        }
        VisitEvent::Rated(satisfaction) => {
            if !matches!(visit.step, Step::Accompany | Step::Closed) {
                return Err(WorkflowError::Opinion(
                    "l'avis du visiteur se donne à la fin de la visite",
                ));
            }
            if visit.opinion.is_some() {
                return Err(WorkflowError::Opinion("le visiteur a déjà donné son avis"));
            }
            next.opinion = Some(Opinion {
                satisfaction,
                repeated_situation: None,
                given_at: now,
            });
            next
        }
        VisitEvent::AnsweredRepeat(repeated) => match next.opinion.as_mut() {
            None => {
                return Err(WorkflowError::Opinion(
                    "la question vient après le choix d'un visage",
                ));
            }
            Some(o) if o.repeated_situation.is_some() => {
                return Err(WorkflowError::Opinion("le visiteur a déjà répondu"));
            }
            Some(o) => {
                o.repeated_situation = Some(repeated);
                next
            }
        },
    };
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DemarcheId, ServiceId, Ticket, TicketCode};
    use chrono::Duration;

    fn t0() -> DateTime<Utc> {
        "2026-11-28T09:00:00Z".parse().expect("valid")
    }

    fn fresh() -> Visit {
        Visit::open(
            VisitId(uuid::Uuid::nil()),
            TabletLetter::try_from('A').expect("valid"),
            None,
            t0(),
        )
    }

    fn qualified() -> Qualification {
        Qualification::Demarches {
            ids: vec![DemarcheId::try_from("etat-civil.acte-naissance").expect("valid")],
        }
    }

    fn counter(now: DateTime<Utc>) -> Orientation {
        let service = ServiceId::try_from("etat-civil").expect("valid");
        Orientation {
            destination: Destination::Counter {
                service: service.clone(),
            },
            ticket: Some(Ticket {
                code: TicketCode::new('E', TabletLetter::try_from('A').expect("valid"), 1),
                service,
                day: mairie_day(now),
                number: 1,
                issued_at: now,
                quoted_wait: None,
            }),
        }
    }

    fn at(mins: i64) -> DateTime<Utc> {
        t0() + Duration::minutes(mins)
    }

    #[test]
    fn a_full_visit_records_every_step_with_its_times() {
        let v = fresh();
        let v = transition(&v, VisitEvent::Listened(Listening::default()), at(2)).expect("listen");
        let v = transition(&v, VisitEvent::Qualified(qualified()), at(3)).expect("qualify");
        let v = transition(&v, VisitEvent::Oriented(counter(at(4))), at(4)).expect("orient");
        let v = transition(
            &v,
            VisitEvent::Accompanied(Accompaniment { accompanied: true }),
            at(9),
        )
        .expect("close");
        assert_eq!(v.step, Step::Closed);
        assert_eq!(v.revision, 4);
        assert_eq!(v.outcome(), "counter");
        let d = v.durations(at(100));
        assert_eq!(
            (d.listen, d.qualify, d.orient, d.accompany),
            (120, 60, 60, 300)
        );
        assert_eq!(v.ended_at(), Some(at(9)));
        assert!(v.spans.iter().all(|s| s.ended_at.is_some()));
    }

    #[test]
    fn the_opinion_comes_once_at_the_end_and_changes_no_step() {
        let v = fresh();
        let v = transition(&v, VisitEvent::Listened(Listening::default()), at(1)).expect("listen");
        assert!(matches!(
            transition(&v, VisitEvent::Rated(Satisfaction::Satisfied), at(1)),
            Err(WorkflowError::Opinion(_))
        ));
        let v = transition(&v, VisitEvent::Qualified(qualified()), at(2)).expect("qualify");
        let v = transition(&v, VisitEvent::Oriented(counter(at(3))), at(3)).expect("orient");
        assert!(
            matches!(
                transition(&v, VisitEvent::AnsweredRepeat(true), at(4)),
                Err(WorkflowError::Opinion(_))
            ),
            "the question comes after a face"
        );
        let rated = transition(&v, VisitEvent::Rated(Satisfaction::Dissatisfied), at(4))
            .expect("rated on the accompany step");
        assert_eq!(rated.step, Step::Accompany);
        assert_eq!(rated.revision, v.revision + 1);
        assert!(matches!(
            transition(&rated, VisitEvent::Rated(Satisfaction::Satisfied), at(4)),
            Err(WorkflowError::Opinion(_))
        ));
        let answered =
            transition(&rated, VisitEvent::AnsweredRepeat(true), at(5)).expect("answered");
        assert!(matches!(
            transition(&answered, VisitEvent::AnsweredRepeat(false), at(5)),
            Err(WorkflowError::Opinion(_))
        ));
        let closed = transition(
            &answered,
            VisitEvent::Accompanied(Accompaniment { accompanied: false }),
            at(6),
        )
        .expect("close");
        assert_eq!(
            closed.opinion,
            Some(Opinion {
                satisfaction: Satisfaction::Dissatisfied,
                repeated_situation: Some(true),
                given_at: at(4),
            })
        );
        let later = transition(
            &v,
            VisitEvent::Accompanied(Accompaniment { accompanied: true }),
            at(5),
        )
        .expect("close");
        let later = transition(
            &later,
            VisitEvent::Rated(Satisfaction::VerySatisfied),
            at(7),
        )
        .expect("rated once closed");
        assert_eq!(
            later.ended_at(),
            Some(at(5)),
            "the opinion does not move the end"
        );
        let abandoned = transition(&v, VisitEvent::Abandon, at(5)).expect("abandon");
        assert!(
            transition(
                &abandoned,
                VisitEvent::Rated(Satisfaction::Satisfied),
                at(5)
            )
            .is_err()
        );
    }

    #[test]
    fn events_out_of_order_are_refused_and_change_nothing() {
        let v = fresh();
        let err =
            transition(&v, VisitEvent::Qualified(qualified()), at(1)).expect_err("wrong step");
        assert_eq!(
            err,
            WorkflowError::WrongStep {
                expected: Step::Qualify,
                actual: Step::Listen
            }
        );
        assert_eq!(v, fresh());
        assert_eq!(
            transition(&v, VisitEvent::Back, at(1)),
            Err(WorkflowError::NothingBefore)
        );
    }

    #[test]
    fn going_back_opens_a_new_span_and_reorienting_keeps_the_old_ticket() {
        let v = fresh();
        let v = transition(&v, VisitEvent::Listened(Listening::default()), at(1)).expect("listen");
        let v = transition(&v, VisitEvent::Qualified(qualified()), at(2)).expect("qualify");
        let v = transition(&v, VisitEvent::Oriented(counter(at(3))), at(3)).expect("orient");
        let v = transition(&v, VisitEvent::Back, at(4)).expect("back");
        assert_eq!(v.step, Step::Orient);
        let v = transition(
            &v,
            VisitEvent::Oriented(Orientation {
                destination: Destination::ResolvedOnSpot,
                ticket: None,
            }),
            at(6),
        )
        .expect("reorient");
        assert_eq!(v.replaced_tickets.len(), 1);
        assert!(v.ticket().is_none());
        assert_eq!(v.spans.iter().filter(|s| s.step == Step::Orient).count(), 2);
        assert_eq!(v.durations(at(6)).orient, 60 + 120);
    }

    #[test]
    fn abandon_from_any_open_step_and_never_after_the_end() {
        let v = transition(&fresh(), VisitEvent::Listened(Listening::default()), at(1))
            .expect("listen");
        let v = transition(&v, VisitEvent::Abandon, at(2)).expect("abandon");
        assert_eq!(
            (v.step, v.abandoned_at),
            (Step::Abandoned, Some(Step::Qualify))
        );
        assert_eq!(v.outcome(), "abandoned");
        assert_eq!(
            transition(&v, VisitEvent::Abandon, at(3)),
            Err(WorkflowError::Ended)
        );
        assert_eq!(
            transition(&v, VisitEvent::Back, at(3)),
            Err(WorkflowError::Ended)
        );
    }

    #[test]
    fn unmet_needs_and_bad_data_are_validated() {
        let v = transition(&fresh(), VisitEvent::Listened(Listening::default()), at(1))
            .expect("listen");
        let empty = Qualification::Demarches { ids: vec![] };
        assert!(matches!(
            transition(&v, VisitEvent::Qualified(empty), at(2)),
            Err(WorkflowError::Invalid { .. })
        ));
        let blank = Qualification::Unmet {
            description: "  ".into(),
        };
        assert!(transition(&v, VisitEvent::Qualified(blank), at(2)).is_err());
        let unmet = Qualification::Unmet {
            description: "aide pour une carte de stationnement".into(),
        };
        let v = transition(&v, VisitEvent::Qualified(unmet), at(2)).expect("unmet need");
        let no_ticket = Orientation {
            destination: Destination::Counter {
                service: ServiceId::try_from("etat-civil").expect("valid"),
            },
            ticket: None,
        };
        assert!(transition(&v, VisitEvent::Oriented(no_ticket), at(3)).is_err());
        let long_note = Listening {
            note: Some("x".repeat(NOTE_MAX + 1)),
            ..Listening::default()
        };
        assert!(transition(&fresh(), VisitEvent::Listened(long_note), at(1)).is_err());
    }

    #[test]
    fn a_clock_that_jumps_back_never_gives_negative_durations() {
        let v = transition(
            &fresh(),
            VisitEvent::Listened(Listening::default()),
            at(-30),
        )
        .expect("listen");
        assert_eq!(v.durations(at(-30)).listen, 0);
    }
}
