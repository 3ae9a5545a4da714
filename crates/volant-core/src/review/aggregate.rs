//! What is kept of a day once its detailed visits are deleted (RGPD): visit
//! counts by hour × main démarche × outcome, with no cell under
//! [`MIN_CELL`] visits.
//!
//! Small cells are folded step by step rather than dropped, so the day's
//! totals stay true: first the démarche is hidden (`None`), then the hour,
//! then the outcome. The last cell, the day's remainder with every dimension
//! hidden, is kept whatever its size: it says only how many people came.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::VisitFact;

/// The smallest cell kept with any detail.
pub const MIN_CELL: u32 = 5;

/// The démarche key of visits without one (unmet needs, abandoned early).
pub const NO_DEMARCHE: &str = "";

/// One cell of a day's aggregates; `None` is a hidden dimension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AggregateCell {
    /// The day.
    pub day: NaiveDate,
    /// Hour of arrival.
    pub hour: Option<u8>,
    /// Main démarche ([`NO_DEMARCHE`] for none).
    pub demarche: Option<String>,
    /// Outcome.
    pub outcome: Option<String>,
    /// Visits.
    pub visits: u32,
}

type Key = (Option<u8>, Option<String>, Option<String>);

/// Keeps the cells of at least [`MIN_CELL`] visits; returns the others.
fn keep_large(
    cells: BTreeMap<Key, u32>,
    day: NaiveDate,
    out: &mut Vec<AggregateCell>,
) -> Vec<(Key, u32)> {
    let mut small = Vec::new();
    for (key, visits) in cells {
        if visits >= MIN_CELL {
            out.push(AggregateCell {
                day,
                hour: key.0,
                demarche: key.1,
                outcome: key.2,
                visits,
            });
        } else {
            small.push((key, visits));
        }
    }
    small
}

/// The aggregates of one day's facts.
pub fn aggregate_day(day: NaiveDate, facts: &[VisitFact]) -> Vec<AggregateCell> {
    let mut cells: BTreeMap<Key, u32> = BTreeMap::new();
    for f in facts {
        let demarche = f.main_demarche().unwrap_or(NO_DEMARCHE).to_owned();
        *cells
            .entry((Some(f.hour), Some(demarche), Some(f.outcome.clone())))
            .or_default() += 1;
    }
    let mut out = Vec::new();
    let hide: [fn(&mut Key); 3] = [|k| k.1 = None, |k| k.0 = None, |k| k.2 = None];
    for hide in hide {
        let small = keep_large(std::mem::take(&mut cells), day, &mut out);
        for (mut key, visits) in small {
            hide(&mut key);
            *cells.entry(key).or_default() += visits;
        }
    }
    out.extend(cells.into_iter().map(|(key, visits)| AggregateCell {
        day,
        hour: key.0,
        demarche: key.1,
        outcome: key.2,
        visits,
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(hour: u8, demarche: &str, outcome: &str) -> VisitFact {
        VisitFact {
            day: NaiveDate::from_ymd_opt(2026, 3, 2).expect("date"),
            hour,
            tablet: "A".into(),
            agent: None,
            outcome: outcome.into(),
            service: None,
            demarches: vec![demarche.into()],
            unmet: None,
            seconds: [Some(10); 4],
            accompanied: None,
            ticket: None,
            satisfaction: None,
            repeated_situation: None,
        }
    }

    #[test]
    fn small_cells_are_folded_and_the_day_total_is_kept() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
        let mut facts: Vec<VisitFact> = (0..6).map(|_| fact(9, "cni", "counter")).collect();
        facts.extend((0..3).map(|_| fact(9, "naissance", "counter")));
        facts.extend((0..2).map(|_| fact(9, "deces", "counter")));
        facts.push(fact(15, "rare", "online"));
        let cells = aggregate_day(day, &facts);
        assert_eq!(cells.iter().map(|c| c.visits).sum::<u32>(), 12);
        assert!(cells.contains(&AggregateCell {
            day,
            hour: Some(9),
            demarche: Some("cni".into()),
            outcome: Some("counter".into()),
            visits: 6
        }));
        assert!(cells.contains(&AggregateCell {
            day,
            hour: Some(9),
            demarche: None,
            outcome: Some("counter".into()),
            visits: 5
        }));
        assert!(cells.contains(&AggregateCell {
            day,
            hour: None,
            demarche: None,
            outcome: None,
            visits: 1
        }));
        assert!(
            cells.iter().all(|c| c.visits >= MIN_CELL
                || (c.hour, &c.demarche, &c.outcome) == (None, &None, &None)),
            "{cells:?}"
        );
    }
}
