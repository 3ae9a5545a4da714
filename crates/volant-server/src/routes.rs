//! The endpoints. Each is a one-liner into the store; no logic lives here.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use chrono::{NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use volant_protocol::{
    CatalogueChanges, CatalogueEdit, CatalogueEdited, CityIndicators, CounterActionRequest,
    CounterActionResult, CounterView, DisplayView, EnrollRequest, EnrollResponse, ErrorCode,
    Indicators, JournalPage, JournalQuery, MIN_PROTOCOL_VERSION, PROTOCOL_VERSION, PayloadVersions,
    Period, PushRequest, PushResponse, QuarantinedRecord, RecordKind, RepairRequest,
    ScreenEnrollRequest, ScreenEnrolled, ServerInfo, SignOff, SignOffRequest, TicketStatuses,
    VISIT_PAYLOAD_VERSION, WaitBoard,
};

use crate::app::AppState;
use crate::error::HttpError;
use crate::extract::{
    ApiJson, ApiPath, ApiQuery, CREDENTIAL_COOKIE, City, Counter, Device, Display, Lead,
};

/// What `GET /v1/health` answers.
#[derive(Serialize, Deserialize, JsonSchema)]
pub struct Health {
    /// `ok` (health: the process is up) or `ready` (readiness).
    pub status: String,
}

/// `GET /v1/health`: no credential needed.
pub async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
    })
}

/// `GET /v1/ready`: whether a load balancer may send requests here — the
/// database answers, its schema is this server's, and no stop has begun.
pub async fn ready(State(state): State<AppState>) -> Result<Json<Health>, HttpError> {
    if state.draining() {
        return Err(HttpError::unavailable("arrêt en cours"));
    }
    state.with_store(|s| s.readiness()).await?;
    Ok(Json(Health {
        status: "ready".into(),
    }))
}

/// `/guichet` and `/ecran` on a server started without a built UI.
pub async fn no_pages() -> HttpError {
    HttpError::unavailable(
        "interface non construite : lancer `npm run build` dans ui/, puis `serve --ui-dir ui/dist`",
    )
}

/// Anything else.
pub async fn not_found() -> HttpError {
    HttpError::new(ErrorCode::NotFound, "point d'accès inconnu")
}

/// `POST /v1/enroll`.
pub async fn enroll(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<EnrollRequest>,
) -> Result<Json<EnrollResponse>, HttpError> {
    state
        .with_store(move |s| s.enroll(&request, Utc::now()))
        .await
        .map(Json)
}

/// `POST /v1/screen/enroll`: sets the credential cookie (`HttpOnly`,
/// `Secure`, `SameSite=Strict`) of a counter's or a display's browser, once
/// the invitation's fingerprint is checked against the certificate served.
pub async fn enroll_screen(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<ScreenEnrollRequest>,
) -> Result<impl IntoResponse, HttpError> {
    state.check_invited(request.fingerprint.as_deref())?;
    let enrolled = state
        .with_store(move |s| s.enroll_screen(&request.code, Utc::now()))
        .await?;
    let cookie = cookie::Cookie::build((CREDENTIAL_COOKIE, enrolled.token))
        .http_only(true)
        .secure(true)
        .same_site(cookie::SameSite::Strict)
        .path("/")
        .max_age(cookie::time::Duration::days(400))
        .build();
    Ok((
        [(header::SET_COOKIE, cookie.to_string())],
        Json(ScreenEnrolled {
            kind: enrolled.kind,
            name: enrolled.name,
        }),
    ))
}

/// `GET /v1/info`.
pub async fn info(
    State(state): State<AppState>,
    Device(device): Device,
) -> Result<Json<ServerInfo>, HttpError> {
    let limits = state.limits.clone();
    state
        .with_store(move |s| {
            s.touch(&device, Utc::now())?;
            Ok(ServerInfo {
                server_version: env!("CARGO_PKG_VERSION").to_owned(),
                protocol_version: PROTOCOL_VERSION,
                min_protocol_version: MIN_PROTOCOL_VERSION,
                payload_versions: PayloadVersions {
                    visit: VISIT_PAYLOAD_VERSION,
                },
                limits,
                epoch: s.epoch(device.mairie)?,
                catalogue_version: s.catalogue_version(device.mairie)?,
                server_time: Utc::now(),
            })
        })
        .await
        .map(Json)
}

/// `POST /v1/push`.
pub async fn push(
    State(state): State<AppState>,
    Device(device): Device,
    ApiJson(request): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, HttpError> {
    let max_items = state.limits.max_batch_items;
    let response = state
        .with_store(move |s| s.push(&device, &request, max_items, Utc::now()))
        .await?;
    tracing::info!(
        acked_through = response.acked_through,
        received = response.receipts.len(),
        duplicates = response.duplicates,
        "push"
    );
    Ok(Json(response))
}

/// Query of `GET /v1/catalogue/changes`.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangesQuery {
    since: u64,
    #[serde(default)]
    epoch: Option<Uuid>,
    #[serde(default)]
    limit: Option<u32>,
}

/// `GET /v1/catalogue/changes?since=V&epoch=E&limit=N`.
pub async fn catalogue_changes(
    State(state): State<AppState>,
    Device(device): Device,
    ApiQuery(query): ApiQuery<ChangesQuery>,
) -> Result<Json<CatalogueChanges>, HttpError> {
    let limit = query
        .limit
        .unwrap_or(state.limits.max_page_items)
        .clamp(1, state.limits.max_page_items);
    state
        .with_store(move |s| {
            s.touch(&device, Utc::now())?;
            s.catalogue_changes(device.mairie, query.since, query.epoch, limit)
        })
        .await
        .map(Json)
}

/// `GET /v1/lead/journal?day=…`.
pub async fn journal(
    State(state): State<AppState>,
    Lead(lead): Lead,
    ApiQuery(query): ApiQuery<JournalQuery>,
) -> Result<Json<JournalPage>, HttpError> {
    state
        .with_store(move |s| s.journal(lead.mairie, &query))
        .await
        .map(Json)
}

/// `GET /v1/lead/indicators?from=…&to=…`.
pub async fn indicators(
    State(state): State<AppState>,
    Lead(lead): Lead,
    ApiQuery(period): ApiQuery<Period>,
) -> Result<Json<Indicators>, HttpError> {
    state
        .with_store(move |s| s.indicators(lead.mairie, period))
        .await
        .map(Json)
}

/// `GET /v1/city/indicators?from=…&to=…`: every mairie's indicators.
pub async fn city_indicators(
    State(state): State<AppState>,
    City(_): City,
    ApiQuery(period): ApiQuery<Period>,
) -> Result<Json<CityIndicators>, HttpError> {
    state
        .with_store(move |s| s.city_indicators(period))
        .await
        .map(Json)
}

/// `GET /v1/lead/export?from=…&to=…`: the visits as CSV.
pub async fn export(
    State(state): State<AppState>,
    Lead(lead): Lead,
    ApiQuery(period): ApiQuery<Period>,
) -> Result<impl IntoResponse, HttpError> {
    let csv = state
        .with_store(move |s| s.export_csv(lead.mairie, period))
        .await?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv))
}

/// `PUT /v1/lead/signoff/{day}`.
pub async fn sign_off(
    State(state): State<AppState>,
    Lead(device): Lead,
    ApiPath(day): ApiPath<NaiveDate>,
    ApiJson(request): ApiJson<SignOffRequest>,
) -> Result<Json<SignOff>, HttpError> {
    state
        .with_store(move |s| s.sign_off(&device, day, &request.comment, Utc::now()))
        .await
        .map(Json)
}

/// `PUT /v1/lead/catalogue/{kind}/{id}`.
pub async fn edit_catalogue(
    State(state): State<AppState>,
    Lead(lead): Lead,
    ApiPath((kind, id)): ApiPath<(RecordKind, String)>,
    ApiJson(edit): ApiJson<CatalogueEdit>,
) -> Result<Json<CatalogueEdited>, HttpError> {
    state
        .with_store(move |s| s.edit_catalogue(lead.mairie, kind, &id, &edit))
        .await
        .map(Json)
}

/// `POST /v1/lead/quarantine/{install_id}/{seq}`: re-apply a quarantined visit.
pub async fn repair_quarantined(
    State(state): State<AppState>,
    Lead(lead): Lead,
    ApiPath((install_id, seq)): ApiPath<(Uuid, u64)>,
    ApiJson(request): ApiJson<RepairRequest>,
) -> Result<Json<QuarantinedRecord>, HttpError> {
    state
        .with_store(move |s| s.repair_quarantined(&lead, install_id, seq, &request, Utc::now()))
        .await
        .map(Json)
}

/// `GET /v1/counter/queue`: the counter's service today.
pub async fn counter_queue(
    State(state): State<AppState>,
    Counter(device): Counter,
) -> Result<Json<CounterView>, HttpError> {
    state
        .with_store(move |s| s.counter_view(&device, Utc::now()))
        .await
        .map(Json)
}

/// `POST /v1/counter/actions`.
pub async fn counter_action(
    State(state): State<AppState>,
    Counter(device): Counter,
    ApiJson(request): ApiJson<CounterActionRequest>,
) -> Result<Json<CounterActionResult>, HttpError> {
    state
        .with_store(move |s| s.counter_act(&device, &request, Utc::now()))
        .await
        .map(Json)
}

/// `GET /v1/display/calls`.
pub async fn display_calls(
    State(state): State<AppState>,
    Display(device): Display,
) -> Result<Json<DisplayView>, HttpError> {
    state
        .with_store(move |s| s.display_view(&device, Utc::now()))
        .await
        .map(Json)
}

/// Query of `GET /v1/tickets`.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DayQuery {
    day: NaiveDate,
}

/// `GET /v1/tickets?day=…`: the states of the tablet's tickets.
pub async fn tickets(
    State(state): State<AppState>,
    Device(device): Device,
    ApiQuery(query): ApiQuery<DayQuery>,
) -> Result<Json<TicketStatuses>, HttpError> {
    state
        .with_store(move |s| s.ticket_statuses(&device, query.day))
        .await
        .map(Json)
}

/// `GET /v1/waits`: the wait at every internal counter, now.
pub async fn waits(
    State(state): State<AppState>,
    Device(device): Device,
) -> Result<Json<WaitBoard>, HttpError> {
    state
        .with_store(move |s| s.wait_board(device.mairie, Utc::now()))
        .await
        .map(Json)
}
