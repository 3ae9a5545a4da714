//! What the team lead reads: the day's journal across every tablet (paged,
//! filtered, with its quarantined changes and sign-off), the indicators of a
//! period, and the CSV export.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use volant_core::LogEntry;
use volant_core::domain::{Visit, mairie_day};
use volant_core::review::{self, VisitFact};
use volant_core::sqlite::stored_time;
use volant_protocol::{
    CityIndicators, Count, ErrorCode, Indicators, JournalEntry, JournalPage, JournalQuery,
    MairieIndicators, Period, SignOff,
};

use super::{AuthenticatedDevice, MairieId, Result, ServerStore, StoreError, db};

/// Visits per journal page.
pub const JOURNAL_PAGE_SIZE: u32 = 50;

/// The longest period of indicators or export, in days.
pub const MAX_PERIOD_DAYS: i64 = 366;

/// The longest sign-off comment, in characters.
const MAX_COMMENT: usize = 500;

fn unreadable(e: serde_json::Error) -> StoreError {
    StoreError::refused(
        ErrorCode::Unavailable,
        format!("visite enregistrée illisible : {e}"),
    )
}

fn check_period(period: Period) -> Result<()> {
    if period.to < period.from {
        return Err(StoreError::refused(
            ErrorCode::InvalidField,
            "la période finit avant de commencer",
        ));
    }
    if (period.to - period.from).num_days() >= MAX_PERIOD_DAYS {
        return Err(StoreError::refused(
            ErrorCode::InvalidField,
            format!("{MAX_PERIOD_DAYS} jours au plus par période"),
        ));
    }
    Ok(())
}

impl ServerStore {
    /// Writes the facts of visits stored before facts existed (after upgrade).
    pub(super) fn backfill_facts(&mut self, mairie: MairieId) -> Result<usize> {
        let tx = self.begin(mairie)?;
        let missing = tx.snapshots_without_fact()?;
        for (id, snapshot) in &missing {
            let visit: Visit = serde_json::from_str(snapshot).map_err(unreadable)?;
            tx.fact_put(id, &VisitFact::of(&visit))?;
        }
        tx.commit()?;
        Ok(missing.len())
    }

    /// One page of a day's journal of a mairie.
    pub fn journal(&self, mairie: MairieId, query: &JournalQuery) -> Result<JournalPage> {
        let db = self.conn(mairie)?;
        let day = query.day.to_string();
        let filter = db::JournalFilter {
            day: &day,
            tablet: query.tablet.as_deref(),
            agent: query.agent.as_deref(),
            service: query.service.as_deref(),
            outcome: query.outcome.as_deref(),
            demarche: query.demarche.as_deref(),
            unmet_only: query.unmet_only,
        };
        let total = db.journal_count(&filter)?;
        let rows = db.journal_page(
            &filter,
            JOURNAL_PAGE_SIZE,
            query.page.saturating_mul(JOURNAL_PAGE_SIZE),
        )?;
        let entries = rows
            .into_iter()
            .map(|r| {
                Ok(JournalEntry {
                    device: r.device,
                    received_at: stored_time(&r.received_at),
                    clock_suspect: r.clock_suspect,
                    quarantined: r.quarantined,
                    visit: serde_json::from_str(&r.snapshot).map_err(unreadable)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        // A day in Paris lies within [day − 1, day + 1] in UTC.
        let around = |days: i64| (query.day + Duration::days(days)).to_string();
        let quarantined = db
            .quarantined_between(&around(-1), &around(2))?
            .into_iter()
            .filter(|row| mairie_day(stored_time(&row.device_time)) == query.day)
            .map(|row| super::repair::record(&*db, row))
            .collect::<Result<Vec<_>>>()?;
        Ok(JournalPage {
            day: query.day,
            total,
            page: query.page,
            page_size: JOURNAL_PAGE_SIZE,
            entries,
            quarantined,
            signoff: self.signoff(mairie, query.day)?,
            purged: db.day_aggregated(&day)?,
        })
    }

    /// A day's sign-off.
    pub fn signoff(&self, mairie: MairieId, day: NaiveDate) -> Result<Option<SignOff>> {
        Ok(self.conn(mairie)?.signoff_get(&day.to_string())?.map(
            |(comment, signed_by, signed_at)| SignOff {
                day,
                comment,
                signed_by,
                signed_at: stored_time(&signed_at),
            },
        ))
    }

    /// Marks a day reviewed (again) with a comment.
    pub fn sign_off(
        &mut self,
        device: &AuthenticatedDevice,
        day: NaiveDate,
        comment: &str,
        now: DateTime<Utc>,
    ) -> Result<SignOff> {
        let comment = comment.trim();
        if comment.chars().count() > MAX_COMMENT {
            return Err(StoreError::refused(
                ErrorCode::InvalidField,
                format!("commentaire trop long ({MAX_COMMENT} caractères au plus)"),
            ));
        }
        if day > mairie_day(now) {
            return Err(StoreError::refused(
                ErrorCode::InvalidField,
                "impossible de viser un jour à venir",
            ));
        }
        let db = self.conn(device.mairie)?;
        let name = db
            .device_get(&device.id)?
            .map(|d| d.name)
            .unwrap_or_default();
        db.signoff_put(
            &day.to_string(),
            comment,
            &device.id,
            &name,
            &now.to_rfc3339(),
        )?;
        Ok(SignOff {
            day,
            comment: comment.to_owned(),
            signed_by: name,
            signed_at: now,
        })
    }

    /// A mairie's indicators of a period, from its detailed visits and its aggregates.
    pub fn indicators(&self, mairie: MairieId, period: Period) -> Result<Indicators> {
        check_period(period)?;
        let (from, to) = (period.from.to_string(), period.to.to_string());
        let titles = self.demarche_titles(mairie)?;
        let db = self.conn(mairie)?;
        let facts = db.facts(&from, &to)?;
        let cells = db.cells(&from, &to)?;
        let signed_off = db
            .signoff_days(&from, &to)?
            .iter()
            .filter_map(|d| d.parse().ok())
            .collect();
        let mut indicators = review::indicators(period, &facts, &cells, &titles, signed_off);
        let tickets = db
            .queue_between(&from, &to)?
            .iter()
            .map(super::queue::domain_ticket)
            .collect::<Result<Vec<_>>>()?;
        let names: HashMap<String, String> = db
            .catalogue_records("service")?
            .into_iter()
            .filter_map(|(id, json)| {
                let service: volant_core::domain::Service = serde_json::from_str(&json).ok()?;
                Some((id, service.name))
            })
            .collect();
        indicators.queues = review::queue_times(&tickets, &names);
        indicators.calls_per_counter = db
            .calls_per_counter(&from, &to)?
            .into_iter()
            .map(|(label, calls)| Count {
                key: label.clone(),
                label,
                visits: u32::try_from(calls).unwrap_or(u32::MAX),
            })
            .collect();
        Ok(indicators)
    }

    /// Every mairie's indicators of a period, as the city sees them: from
    /// aggregate cells only — the days still detailed folded as retention
    /// folds them, cells of fewer than `review::MIN_CELL` visits hidden.
    pub fn city_indicators(&self, period: Period) -> Result<CityIndicators> {
        check_period(period)?;
        let (from, to) = (period.from.to_string(), period.to.to_string());
        let mut mairies = Vec::new();
        for mairie in self.mairies()? {
            let titles = self.demarche_titles(mairie.id)?;
            let db = self.conn(mairie.id)?;
            let mut cells = db.cells(&from, &to)?;
            let mut days: std::collections::BTreeMap<NaiveDate, Vec<VisitFact>> =
                std::collections::BTreeMap::new();
            for fact in db.facts(&from, &to)? {
                days.entry(fact.day).or_default().push(fact);
            }
            for (day, facts) in &days {
                cells.extend(review::aggregate_day(*day, facts));
            }
            mairies.push(MairieIndicators {
                mairie: mairie.id.0,
                name: mairie.name,
                indicators: review::indicators(period, &[], &cells, &titles, Vec::new()),
            });
        }
        Ok(CityIndicators { period, mairies })
    }

    /// The titles of a mairie's démarches, by id.
    fn demarche_titles(&self, mairie: MairieId) -> Result<HashMap<String, String>> {
        Ok(self
            .catalogue(mairie)?
            .demarches
            .into_iter()
            .map(|d| (d.id.to_string(), d.title))
            .collect())
    }

    /// A mairie's visits of a period as CSV (the columns of `volant_core::log`).
    pub fn export_csv(&self, mairie: MairieId, period: Period) -> Result<String> {
        check_period(period)?;
        let entries = self
            .conn(mairie)?
            .snapshots(&period.from.to_string(), &period.to.to_string())?
            .iter()
            .map(|s| {
                let visit: Visit = serde_json::from_str(s).map_err(unreadable)?;
                Ok(LogEntry {
                    durations: visit.recorded_durations(),
                    visit,
                    pending_changes: 0,
                    ticket_state: None,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        volant_core::log::to_csv(&entries)
            .map_err(|e| StoreError::refused(ErrorCode::Unavailable, e.to_string()))
    }
}
