//! The indicators of a period, from the detailed facts of its recent days and
//! the aggregates of the days past retention.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use volant_protocol::{Count, Indicators, Period, SatisfactionFigures, StepTime, TabletCount};

use super::{AggregateCell, NO_DEMARCHE, STEPS, VisitFact, group_unmet};

/// Titles of the démarches, by id, for the labels.
pub type Labels = HashMap<String, String>;

/// An outcome in French.
pub fn outcome_label(outcome: &str) -> &'static str {
    match outcome {
        "counter" => "Guichet (ticket)",
        "permanence" => "Permanence",
        "partner" => "Partenaire extérieur",
        "online" => "Service en ligne",
        "resolved_on_spot" => "Résolu sur place",
        "abandoned" => "Abandon",
        "open" => "En cours",
        _ => "Non détaillé",
    }
}

/// The value at quantile `q` (nearest rank) of sorted `values`.
pub(super) fn quantile(sorted: &[u32], q: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn counts(map: BTreeMap<String, u32>, label: impl Fn(&str) -> String) -> Vec<Count> {
    let mut out: Vec<Count> = map
        .into_iter()
        .map(|(key, visits)| Count {
            label: label(&key),
            key,
            visits,
        })
        .collect();
    out.sort_by(|a, b| b.visits.cmp(&a.visits).then_with(|| a.key.cmp(&b.key)));
    out
}

/// `part / whole` in whole points of percent, rounded half away from zero.
fn percent(part: i64, whole: u32) -> i64 {
    let whole = i64::from(whole.max(1));
    (part * 200 + part.signum() * whole) / (2 * whole)
}

/// The visitors' opinions among `facts`, shares hidden below
/// [`SatisfactionFigures::MIN_ANSWERS`] answers.
pub fn satisfaction(facts: &[VisitFact]) -> SatisfactionFigures {
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let faces: Vec<_> = facts.iter().filter_map(|f| f.satisfaction).collect();
    let repeats: Vec<bool> = facts.iter().filter_map(|f| f.repeated_situation).collect();
    let (answers, repeat_answers) = (count(faces.len()), count(repeats.len()));
    let satisfied = i64::from(count(faces.iter().filter(|s| s.is_satisfied()).count()));
    let repeated = i64::from(count(repeats.iter().filter(|r| **r).count()));
    let share = |part: i64, whole: u32| {
        (whole >= SatisfactionFigures::MIN_ANSWERS).then(|| percent(part, whole))
    };
    SatisfactionFigures {
        answers,
        satisfied_pct: share(satisfied, answers).and_then(|p| u32::try_from(p).ok()),
        net: share(2 * satisfied - i64::from(answers), answers).and_then(|p| i32::try_from(p).ok()),
        repeat_answers,
        repeated_pct: share(repeated, repeat_answers).and_then(|p| u32::try_from(p).ok()),
    }
}

/// The indicators of `period` from the facts of its detailed days and the
/// cells of its aggregated days.
pub fn indicators(
    period: Period,
    facts: &[VisitFact],
    cells: &[AggregateCell],
    titles: &Labels,
    signed_off: Vec<NaiveDate>,
) -> Indicators {
    let mut hours: BTreeMap<String, u32> = BTreeMap::new();
    let mut demarches: BTreeMap<String, u32> = BTreeMap::new();
    let mut outcomes: BTreeMap<String, u32> = BTreeMap::new();
    let mut tablets: BTreeMap<String, TabletCount> = BTreeMap::new();
    let mut seconds: [Vec<u32>; 4] = Default::default();
    let (mut accompanied, mut accompany_answered) = (0, 0);
    for f in facts {
        *hours.entry(format!("{:02}", f.hour)).or_default() += 1;
        if let Some(d) = f.main_demarche() {
            *demarches.entry(d.to_owned()).or_default() += 1;
        }
        *outcomes.entry(f.outcome.clone()).or_default() += 1;
        for (i, s) in f.seconds.iter().enumerate() {
            if let Some(s) = s {
                seconds[i].push(*s);
            }
        }
        if let Some(a) = f.accompanied {
            accompany_answered += 1;
            accompanied += u32::from(a);
        }
        let t = tablets
            .entry(f.tablet.clone())
            .or_insert_with(|| TabletCount {
                tablet: f.tablet.clone(),
                visits: 0,
                tickets: 0,
                unmet: 0,
                abandoned: 0,
            });
        t.visits += 1;
        t.tickets += u32::from(f.ticket.is_some());
        t.unmet += u32::from(f.unmet.is_some());
        t.abandoned += u32::from(f.outcome == "abandoned");
    }
    for c in cells {
        if let Some(h) = c.hour {
            *hours.entry(format!("{h:02}")).or_default() += c.visits;
        }
        if let Some(d) = c.demarche.as_deref().filter(|d| *d != NO_DEMARCHE) {
            *demarches.entry(d.to_owned()).or_default() += c.visits;
        }
        *outcomes
            .entry(c.outcome.clone().unwrap_or_default())
            .or_default() += c.visits;
    }
    let busiest_hour = hours
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(h, _)| h.clone());
    let quietest_hour = hours
        .iter()
        .min_by(|a, b| a.1.cmp(b.1).then_with(|| a.0.cmp(b.0)))
        .map(|(h, _)| h.clone());
    let mut arrivals_per_hour = counts(hours, |h| format!("{} h", h.trim_start_matches('0')));
    arrivals_per_hour.sort_by(|a, b| a.key.cmp(&b.key));
    let mut top_demarches = counts(demarches, |d| {
        titles.get(d).cloned().unwrap_or_else(|| d.to_owned())
    });
    top_demarches.truncate(10);
    let step_times = STEPS
        .iter()
        .zip(seconds.iter_mut())
        .map(|(step, values)| {
            values.sort_unstable();
            StepTime {
                step: step.as_str().to_owned(),
                median_s: quantile(values, 0.5),
                p90_s: quantile(values, 0.9),
                visits: u32::try_from(values.len()).unwrap_or(u32::MAX),
            }
        })
        .collect();
    let days = |days: BTreeSet<NaiveDate>| u32::try_from(days.len()).unwrap_or(u32::MAX);
    Indicators {
        period,
        visits: u32::try_from(facts.len()).unwrap_or(u32::MAX)
            + cells.iter().map(|c| c.visits).sum::<u32>(),
        arrivals_per_hour,
        busiest_hour,
        quietest_hour,
        top_demarches,
        orientations: counts(outcomes, |o| outcome_label(o).to_owned()),
        step_times,
        accompanied,
        accompany_answered,
        unmet: group_unmet(facts.iter().filter_map(|f| f.unmet.as_deref())),
        per_tablet: tablets.into_values().collect(),
        detailed_days: days(facts.iter().map(|f| f.day).collect()),
        aggregated_days: days(cells.iter().map(|c| c.day).collect()),
        signed_off,
        queues: Vec::new(),
        calls_per_counter: Vec::new(),
        satisfaction: satisfaction(facts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_use_the_nearest_rank() {
        let v: Vec<u32> = (1..=10).collect();
        assert_eq!(quantile(&v, 0.5), 5);
        assert_eq!(quantile(&v, 0.9), 9);
        assert_eq!(quantile(&[], 0.9), 0);
        assert_eq!(quantile(&[7], 0.9), 7);
    }

    #[test]
    fn satisfaction_is_shown_from_ten_answers_with_its_net_figure() {
        use crate::domain::Satisfaction::*;
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
        let fact = |satisfaction, repeated_situation| VisitFact {
            day,
            hour: 10,
            tablet: "A".into(),
            agent: None,
            outcome: "counter".into(),
            service: None,
            demarches: Vec::new(),
            unmet: None,
            seconds: [None; 4],
            accompanied: None,
            ticket: None,
            satisfaction,
            repeated_situation,
        };
        let mut facts: Vec<VisitFact> = [VerySatisfied, Satisfied, Satisfied, Dissatisfied]
            .into_iter()
            .cycle()
            .take(9)
            .map(|s| fact(Some(s), Some(s == Dissatisfied)))
            .collect();
        facts.push(fact(None, None));
        let few = satisfaction(&facts);
        assert_eq!(
            few,
            SatisfactionFigures {
                answers: 9,
                satisfied_pct: None,
                net: None,
                repeat_answers: 9,
                repeated_pct: None,
            },
            "nine answers: counted, not shown"
        );
        facts.push(fact(Some(VeryDissatisfied), None));
        let ten = satisfaction(&facts);
        // 7 satisfied of 10, 3 dissatisfied; 2 of 9 had to repeat.
        assert_eq!(
            (ten.answers, ten.satisfied_pct, ten.net),
            (10, Some(70), Some(40))
        );
        assert_eq!((ten.repeat_answers, ten.repeated_pct), (9, None));
        facts.push(fact(Some(Satisfied), Some(false)));
        let eleven = satisfaction(&facts);
        assert_eq!(
            (eleven.satisfied_pct, eleven.net, eleven.repeated_pct),
            (Some(73), Some(45), Some(20))
        );
    }

    #[test]
    fn facts_and_aggregates_add_up() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
        let old = NaiveDate::from_ymd_opt(2025, 3, 2).expect("date");
        let fact = VisitFact {
            day,
            hour: 10,
            tablet: "A".into(),
            agent: None,
            outcome: "counter".into(),
            service: Some("etat-civil".into()),
            demarches: vec!["cni".into()],
            unmet: None,
            seconds: [Some(30), Some(60), Some(20), None],
            accompanied: Some(true),
            ticket: Some("EA01".into()),
            satisfaction: None,
            repeated_situation: None,
        };
        let cells = vec![
            AggregateCell {
                day: old,
                hour: Some(10),
                demarche: Some("cni".into()),
                outcome: Some("counter".into()),
                visits: 6,
            },
            AggregateCell {
                day: old,
                hour: None,
                demarche: None,
                outcome: None,
                visits: 2,
            },
        ];
        let titles = Labels::from([("cni".to_owned(), "Carte d'identité".to_owned())]);
        let period = Period { from: old, to: day };
        let i = indicators(period, &[fact], &cells, &titles, vec![day]);
        assert_eq!(i.visits, 9);
        assert_eq!(i.arrivals_per_hour[0].visits, 7);
        assert_eq!(i.arrivals_per_hour[0].label, "10 h");
        assert_eq!(i.top_demarches[0].label, "Carte d'identité");
        assert_eq!(i.top_demarches[0].visits, 7);
        assert_eq!(i.orientations[0].visits, 7);
        assert_eq!(i.orientations[1].label, "Non détaillé");
        assert_eq!(i.step_times[1].median_s, 60);
        assert_eq!(i.step_times[3].visits, 0);
        assert_eq!((i.detailed_days, i.aggregated_days), (1, 1));
        assert_eq!((i.accompanied, i.accompany_answered), (1, 1));
    }
}
