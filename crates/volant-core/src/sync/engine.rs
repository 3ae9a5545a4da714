//! One sync (push then pull), enrolment, and the retry loop.

use std::future::Future;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rand::Rng;
use serde::Serialize;
use tokio::sync::{Mutex, Notify};
use volant_protocol::{ApiError, EnrollResponse, ErrorCode, Invitation, PushRequest};

use super::client::{Client, ClientError};
use super::tls::CertificateProblem;
use crate::store::{CounterWaits, Enrollment, Store};

/// Most mutations per push.
pub const BATCH_ITEMS: u32 = 1000;
/// About the most payload bytes per push.
pub const BATCH_BYTES: usize = 2 * 1024 * 1024;
/// Catalogue changes asked per page.
pub const PAGE_ITEMS: u32 = 1000;

/// The tablet's clock, injectable so tests can skew it.
pub trait Clock: Send + Sync {
    /// Now, as the tablet believes.
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// Why sync could not even start, or the store failed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// No server enrolment yet.
    #[error("tablette non enrôlée : volant enroll INVITATION")]
    NotEnrolled,
    /// Already enrolled with another server.
    #[error("tablette déjà enrôlée auprès de {0}")]
    AlreadyEnrolled(String),
    /// The invitation cannot be read.
    #[error("{0}")]
    Invitation(#[from] volant_protocol::InvitationError),
    /// The lead's screens on a device not enrolled as a lead.
    #[error("réservé aux appareils du responsable d'accueil")]
    NotLead,
    /// The local store failed.
    #[error(transparent)]
    Store(#[from] crate::Error),
    /// The server refused or could not be reached.
    #[error(transparent)]
    Client(#[from] ClientError),
}

impl SyncError {
    /// A stable code for the IPC and CLI boundaries: `offline` when the
    /// server could not be reached, the server's code when it refused.
    pub fn code(&self) -> String {
        match self {
            SyncError::NotEnrolled => "not_enrolled".into(),
            SyncError::AlreadyEnrolled(_) => "already_enrolled".into(),
            SyncError::Invitation(_) | SyncError::Client(ClientError::Address(_)) => {
                "invalid_address".into()
            }
            SyncError::Client(ClientError::Certificate(problem)) => match problem {
                CertificateProblem::Changed => "certificate_changed",
                CertificateProblem::Expired => "certificate_expired",
                CertificateProblem::Untrusted => "certificate_untrusted",
            }
            .into(),
            SyncError::NotLead => "forbidden".into(),
            SyncError::Store(e) => e.code().into(),
            SyncError::Client(ClientError::Network(_)) => "offline".into(),
            SyncError::Client(ClientError::Api { error, .. }) => {
                match serde_json::to_value(error.code) {
                    Ok(serde_json::Value::String(code)) => code,
                    _ => "server".into(),
                }
            }
        }
    }
}

impl From<&SyncError> for crate::ErrorBody {
    fn from(e: &SyncError) -> Self {
        crate::ErrorBody {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SyncReport {
    /// Mutations sent (retries included).
    pub pushed: usize,
    /// Mutations the server acknowledged.
    pub acknowledged: usize,
    /// Of which the server already had.
    pub duplicates: u32,
    /// Of which it quarantined.
    pub quarantined: usize,
    /// Of which it deferred.
    pub deferred: usize,
    /// Still waiting after this sync.
    pub pending: u64,
    /// Catalogue changes applied.
    pub catalogue_changes: usize,
    /// The catalogue was reloaded whole.
    pub resynced: bool,
    /// Measured clock offset (server − tablet), ms.
    pub clock_offset_ms: Option<i64>,
    /// The tablet clock looks wrong.
    pub clock_suspect: bool,
    /// What failed, in plain French.
    pub error: Option<String>,
    /// The server asked to wait this long.
    pub retry_after_s: Option<u64>,
}

/// The agent-facing sentence for a failed request.
fn plain_french(error: &ClientError) -> String {
    match error {
        ClientError::Network(_) => "hors ligne : le serveur de la mairie est injoignable".into(),
        ClientError::Certificate(problem) => problem.message().into(),
        ClientError::Address(reason) => reason.clone(),
        ClientError::Api { error, .. } => match error.code {
            ErrorCode::Revoked => "tablette révoquée par le serveur : prévenir l'informatique (les visites restent sur la tablette)".into(),
            ErrorCode::Unauthenticated => "identifiant refusé par le serveur : enrôler la tablette de nouveau".into(),
            ErrorCode::UpgradeRequired => "Volant doit être mis à jour pour se synchroniser".into(),
            ErrorCode::SeqConflict => "conflit d'installation sur le serveur : enrôler la tablette de nouveau".into(),
            ErrorCode::Unavailable => "serveur momentanément indisponible : nouvel essai bientôt".into(),
            _ => error.message.clone(),
        },
    }
}

fn api(error: &ClientError) -> Option<&ApiError> {
    match error {
        ClientError::Api { error, .. } => Some(error.as_ref()),
        _ => None,
    }
}

/// Trades an invitation (address, certificate fingerprint, one-time code)
/// for this tablet's credential and tablet letter, pinning the certificate.
/// Enrolled already, the same server's invitation re-enrols it (after its
/// certificate changed): same device, letter and outbox, a new credential.
pub async fn enroll(store: &Mutex<Store>, invitation: &str) -> Result<EnrollResponse, SyncError> {
    let invitation = Invitation::parse(invitation)?;
    let (install_id, previous_token) = {
        let s = store.lock().await;
        let previous = match s.sync_state()?.enrollment {
            Some(e) if e.server != invitation.server => {
                return Err(SyncError::AlreadyEnrolled(e.server));
            }
            Some(e) => Some(e.token),
            None => None,
        };
        (s.install_id(), previous)
    };
    let response = Client::new(&invitation.server, invitation.fingerprint, None)?
        .enroll(&invitation.code, install_id, previous_token)
        .await?;
    let letter = match response.tablet_letter {
        Some(letter) if response.kind.is_tablet() => letter,
        _ => {
            return Err(crate::Error::Invalid(crate::domain::IdError(
                "ce code est celui d'un guichet ou d'un écran d'appel : demander un code de tablette".into(),
            ))
            .into());
        }
    };
    let mut s = store.lock().await;
    let mut state = s.sync_state()?;
    state.enrollment = Some(Enrollment {
        server: invitation.server,
        pin: invitation.fingerprint,
        device_id: response.device_id,
        name: response.name.clone(),
        token: response.token.clone(),
        kind: response.kind,
    });
    s.set_sync_state(&state)?;
    let mut settings = s.settings()?;
    settings.tablet = letter.try_into().map_err(crate::Error::Invalid)?;
    s.set_settings(&settings)?;
    Ok(response)
}

/// Pushes every pending row, batch by batch. The first push is sent even
/// when nothing is pending: its acknowledgement tells whether the server went
/// back in time (restored from a backup), in which case the rows it lost and
/// the tablet retained are pushed again.
async fn push_all(
    store: &Mutex<Store>,
    client: &Client,
    clock: &dyn Clock,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    let mut items = BATCH_ITEMS;
    let mut epoch_changes = 0;
    let mut first = true;
    loop {
        let (batch, state, install_id, should_have) = {
            let s = store.lock().await;
            (
                s.pending_batch(items, BATCH_BYTES)?,
                s.sync_state()?,
                s.install_id(),
                s.server_should_have()?,
            )
        };
        if batch.is_empty() && !first {
            return Ok(());
        }
        first = false;
        let request = PushRequest {
            install_id,
            epoch: state.epoch,
            rebase: state.rebase,
            clock_offset_ms: state.clock_offset_ms,
            mutations: batch,
        };
        report.pushed += request.mutations.len();
        let sent_at = clock.now();
        let started = Instant::now();
        let result = client.push(&request).await;
        let mut s = store.lock().await;
        match result {
            Ok(response) => {
                let midpoint = sent_at + started.elapsed() / 2;
                let offset = (response.server_time - midpoint).num_milliseconds();
                let ack = s.acknowledge(&response)?;
                let mut state = s.sync_state()?;
                state.epoch = Some(response.epoch);
                state.rebase = false;
                state.clock_offset_ms = Some(offset);
                s.set_sync_state(&state)?;
                report.acknowledged += ack.acknowledged;
                report.quarantined += ack.quarantined;
                report.deferred += ack.deferred;
                report.duplicates += response.duplicates;
                report.clock_offset_ms = Some(offset);
                items = (items * 2).min(BATCH_ITEMS);
                if response.acked_through < should_have {
                    repush_lost(&mut s, response.acked_through + 1)?;
                }
            }
            Err(e) if e.code() == Some(ErrorCode::TooLarge) && items > 1 => {
                items = (items / 2).max(1)
            }
            Err(e) if e.code() == Some(ErrorCode::Gap) => {
                let expected = api(&e).and_then(|a| a.expected_seq).unwrap_or(1);
                let first = s.first_pending_seq()?.unwrap_or(expected);
                if expected < first {
                    repush_lost(&mut s, expected)?;
                } else if expected > first {
                    // The server already holds these: its receipt was lost.
                    s.acknowledge_through(expected - 1)?;
                } else {
                    return Err(e.into());
                }
            }
            Err(e) if e.code() == Some(ErrorCode::EpochChanged) && epoch_changes < 2 => {
                epoch_changes += 1;
                s.server_epoch_changed(api(&e).and_then(|a| a.epoch))?;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// The server went back in time: push again, from `from`, the rows it lost.
fn repush_lost(s: &mut Store, from: u64) -> Result<(), SyncError> {
    let (_, oldest) = s.repend_from(from)?;
    if oldest.is_some_and(|o| o > from) {
        return Err(ClientError::Api {
            status: 409,
            error: Box::new(ApiError::new(ErrorCode::Gap, format!("le serveur a perdu des envois que la tablette n'a plus (depuis la position {from})"))),
        }
        .into());
    }
    Ok(())
}

/// Pulls catalogue pages until none is left; a first pull, another epoch or a
/// too-old cursor reloads the whole catalogue through the staging table.
/// Returns whether the server's epoch changed, so the caller pushes again.
async fn pull_catalogue(
    store: &Mutex<Store>,
    client: &Client,
    report: &mut SyncReport,
) -> Result<bool, SyncError> {
    let mut epoch_changed = false;
    let mut resyncs = 0;
    loop {
        let state = {
            let mut s = store.lock().await;
            let state = s.sync_state()?;
            if state.catalogue_epoch.is_none() && state.resync_cursor.is_none() {
                s.begin_resync()?;
                report.resynced = true;
                s.sync_state()?
            } else {
                state
            }
        };
        let since = state.resync_cursor.unwrap_or(state.catalogue_cursor);
        match client
            .catalogue_changes(since, state.catalogue_epoch, PAGE_ITEMS)
            .await
        {
            Ok(page) => {
                let mut s = store.lock().await;
                if state.resync_cursor.is_some() {
                    s.stage_catalogue_page(&page)?;
                } else {
                    s.apply_catalogue_page(&page)?;
                }
                report.catalogue_changes += page.changes.len();
                if !page.has_more {
                    return Ok(epoch_changed);
                }
            }
            Err(e) if e.code() == Some(ErrorCode::ResyncRequired) && resyncs < 2 => {
                resyncs += 1;
                let mut s = store.lock().await;
                let epoch = api(&e).and_then(|a| a.epoch);
                if epoch.is_some() && epoch != s.sync_state()?.epoch {
                    s.server_epoch_changed(epoch)?;
                    epoch_changed = true;
                }
                s.begin_resync()?;
                report.resynced = true;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// The server this device is enrolled with.
pub async fn enrollment(store: &Mutex<Store>) -> Result<Enrollment, SyncError> {
    store
        .lock()
        .await
        .sync_state()?
        .enrollment
        .ok_or(SyncError::NotEnrolled)
}

/// Fetches the counters' expected waits and keeps them. A server that cannot
/// say them leaves the last ones in place, with their age: the sync goes on.
async fn fetch_waits(
    store: &Mutex<Store>,
    client: &Client,
    clock: &dyn Clock,
) -> Result<(), SyncError> {
    match client.waits().await {
        Ok(board) => Ok(store.lock().await.set_counter_waits(&board, clock.now())?),
        Err(e) => {
            tracing::warn!(error = %e, "counter waits unavailable");
            Ok(())
        }
    }
}

/// The counters' expected waits, asked of the server again first when the
/// tablet is enrolled and the server answers (the orient step's light
/// refresh between syncs); otherwise the last ones kept, or none.
pub async fn refresh_waits(
    store: &Mutex<Store>,
    clock: &dyn Clock,
) -> Result<Option<CounterWaits>, SyncError> {
    if let Some(enrollment) = store.lock().await.sync_state()?.enrollment
        && enrollment.kind.is_tablet()
    {
        let client = Client::new(&enrollment.server, enrollment.pin, Some(enrollment.token))?;
        fetch_waits(store, &client, clock).await?;
    }
    Ok(store.lock().await.counter_waits(clock.now())?)
}

/// One sync: push everything pending, then pull the catalogue. Network and
/// server failures are recorded in the report and the sync state (in plain
/// French), not returned; only a local failure or no enrolment is an error.
pub async fn sync_once(store: &Mutex<Store>, clock: &dyn Clock) -> Result<SyncReport, SyncError> {
    let enrollment = enrollment(store).await?;
    let client = Client::new(&enrollment.server, enrollment.pin, Some(enrollment.token))?;
    let mut report = SyncReport::default();
    let outcome = async {
        push_all(store, &client, clock, &mut report).await?;
        if pull_catalogue(store, &client, &mut report).await? {
            push_all(store, &client, clock, &mut report).await?;
        }
        if enrollment.kind.is_tablet() {
            let states = client
                .tickets(crate::domain::mairie_day(clock.now()))
                .await?;
            store.lock().await.set_ticket_states(&states)?;
            fetch_waits(store, &client, clock).await?;
        }
        Ok::<(), SyncError>(())
    }
    .await;
    let mut s = store.lock().await;
    let mut state = s.sync_state()?;
    let now = clock.now();
    state.last_attempt_at = Some(now);
    match outcome {
        Ok(()) => {
            state.last_success_at = Some(now);
            state.last_error = None;
            s.purge_acknowledged(now)?;
        }
        Err(SyncError::Client(e)) => {
            report.retry_after_s = api(&e).and_then(|a| a.retry_after_s);
            let message = plain_french(&e);
            report.error = Some(message.clone());
            state.last_error = Some(message);
        }
        Err(e) => return Err(e),
    }
    s.set_sync_state(&state)?;
    let status = s.sync_status()?;
    report.pending = status.pending;
    report.clock_offset_ms = status.clock_offset_ms;
    report.clock_suspect = status.clock_suspect;
    Ok(report)
}

/// Exponential backoff with jitter, honouring the server's `Retry-After`.
#[derive(Debug, Clone, Default)]
pub struct Backoff {
    attempt: u32,
}

impl Backoff {
    fn delay(&self, retry_after_s: Option<u64>) -> Duration {
        let base = Duration::from_millis(500)
            .saturating_mul(1 << self.attempt.min(7))
            .min(Duration::from_secs(60));
        let jittered = base.mul_f64(rand::rng().random_range(0.5..1.0));
        jittered.max(Duration::from_secs(retry_after_s.unwrap_or(0)))
    }

    /// The wait before the next attempt after a failure; each failure doubles it.
    pub fn after_failure(&mut self, retry_after_s: Option<u64>) -> Duration {
        let delay = self.delay(retry_after_s);
        self.attempt += 1;
        delay
    }

    /// The wait after a failed attempt made early (a new record woke the
    /// loop): the same as before it, not longer.
    pub fn unchanged(&self, retry_after_s: Option<u64>) -> Duration {
        Backoff {
            attempt: self.attempt.saturating_sub(1),
        }
        .delay(retry_after_s)
    }

    /// Back to the shortest wait, after a success.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

/// Syncs until `stop` completes: right away, whenever `wake` is notified (a
/// new outbox row, the network back), after a backoff on failure (attempts
/// made early on a wake-up do not lengthen it), soon while anything is
/// pending, and every `idle` otherwise.
pub async fn run_until(
    store: &Mutex<Store>,
    clock: &dyn Clock,
    wake: &Notify,
    idle: Duration,
    stop: impl Future<Output = ()>,
) {
    tokio::pin!(stop);
    let mut backoff = Backoff::default();
    let mut woken = false;
    loop {
        let failed = |backoff: &mut Backoff, retry_after_s| {
            if woken {
                backoff.unchanged(retry_after_s)
            } else {
                backoff.after_failure(retry_after_s)
            }
        };
        let delay = match sync_once(store, clock).await {
            Ok(report) if report.error.is_none() => {
                backoff.reset();
                if report.pending > 0 {
                    Duration::from_secs(1)
                } else {
                    idle
                }
            }
            Ok(report) => failed(&mut backoff, report.retry_after_s),
            Err(SyncError::NotEnrolled) => idle,
            Err(e) => {
                tracing::warn!(error = %e, "sync failed");
                failed(&mut backoff, None)
            }
        };
        tokio::select! {
            () = &mut stop => return,
            () = tokio::time::sleep(delay) => woken = false,
            () = wake.notified() => woken = true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_with_jitter_caps_and_honours_retry_after() {
        let mut b = Backoff::default();
        let first = b.after_failure(None);
        assert!(first >= Duration::from_millis(250) && first <= Duration::from_millis(500));
        for _ in 0..20 {
            assert!(b.after_failure(None) <= Duration::from_secs(60));
        }
        assert!(b.after_failure(Some(120)) >= Duration::from_secs(120));
        let before = b.unchanged(None);
        assert!(
            b.unchanged(None) <= Duration::from_secs(60) && before >= Duration::from_secs(30),
            "a wake-up does not lengthen it"
        );
        b.reset();
        assert!(b.after_failure(None) <= Duration::from_millis(500));
    }
}
