//! Retention (RGPD): past the configured period, a day's detailed visits,
//! tickets and facts are deleted and only its aggregates are kept
//! (`volant_core::review::aggregate_day`). The deletion is physical:
//! `secure_delete` zeroes the freed content and the WAL is truncated after.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use volant_core::domain::mairie_day;
use volant_core::review::aggregate_day;

use super::{MairieId, Result, ServerStore};

/// Days the server keeps detailed visits by default.
pub const DEFAULT_RETENTION_DAYS: u32 = 90;

/// What a retention run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct RetentionReport {
    /// The first day still kept in detail.
    pub kept_from: Option<NaiveDate>,
    /// Days turned into aggregates.
    pub days: usize,
    /// Visits deleted.
    pub visits: usize,
    /// Aggregate cells written.
    pub cells: usize,
}

impl ServerStore {
    /// Replaces the detailed visits of the days older than `days` days by
    /// their aggregates, in one transaction per mairie, then lets the
    /// database reclaim what was deleted (`Backend::compact`).
    pub fn run_retention(&mut self, days: u32, now: DateTime<Utc>) -> Result<RetentionReport> {
        let kept_from = mairie_day(now) - Duration::days(i64::from(days));
        let mut report = RetentionReport {
            kept_from: Some(kept_from),
            ..RetentionReport::default()
        };
        for mairie in self.mairies()? {
            self.retain_mairie(mairie.id, kept_from, &mut report)?;
        }
        self.backend.compact()?;
        Ok(report)
    }

    /// One mairie's retention.
    fn retain_mairie(
        &mut self,
        mairie: MairieId,
        kept_from: NaiveDate,
        report: &mut RetentionReport,
    ) -> Result<()> {
        let tx = self.begin(mairie)?;
        for day in tx.detailed_days_before(&kept_from.to_string())? {
            let facts = tx.facts(&day, &day)?;
            let Ok(date) = day.parse::<NaiveDate>() else {
                continue;
            };
            for cell in aggregate_day(date, &facts) {
                tx.cell_insert(&cell)?;
                report.cells += 1;
            }
            report.visits += tx.day_delete(&day)?;
            report.days += 1;
        }
        tx.inbox_redact_before(&kept_from.to_string())?;
        tx.commit()?;
        Ok(())
    }
}
