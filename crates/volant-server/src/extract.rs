//! Request extractors that answer bad input with typed errors: JSON bodies,
//! query strings, the device credential (bearer or cookie) and its kind, and
//! the protocol version header.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::{header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use volant_protocol::{
    ApiError, DeviceKind, ErrorCode, MIN_PROTOCOL_VERSION, PROTOCOL_HEADER, PROTOCOL_VERSION,
};

use crate::app::AppState;
use crate::error::HttpError;
use crate::store::AuthenticatedDevice;

/// A JSON body; a malformed or mistyped one gets a typed 400 (its size was
/// checked by [`read_body_first`]).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = HttpError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, HttpError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(JsonRejection::JsonDataError(e)) => Err(HttpError::new(
                ErrorCode::BadRequest,
                format!("corps JSON inattendu : {}", e.body_text()),
            )),
            Err(JsonRejection::JsonSyntaxError(e)) => Err(HttpError::new(
                ErrorCode::BadRequest,
                format!("JSON invalide : {}", e.body_text()),
            )),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(HttpError::new(
                ErrorCode::BadRequest,
                "en-tête Content-Type: application/json attendu",
            )),
            Err(e) => Err(HttpError::new(ErrorCode::BadRequest, e.body_text())),
        }
    }
}

/// Middleware, outermost: reads the whole body before anything answers, and
/// answers a typed 413 when it is over the limit. A request refused before
/// its body was read (a bad protocol header, a missing credential) would
/// otherwise have its connection closed behind an answer the client takes
/// as reusable, and the client's next request on it would fail.
pub async fn read_body_first(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    match read_limited(body, state.max_body()).await {
        Ok(Some(bytes)) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Ok(None) => too_large(&state).into_response(),
        Err(e) => e.into_response(),
    }
}

fn too_large(state: &AppState) -> HttpError {
    HttpError::from(ApiError {
        max_body_bytes: Some(state.limits.max_body_bytes),
        ..ApiError::new(
            ErrorCode::TooLarge,
            "requête trop volumineuse : envoyer moins à la fois",
        )
    })
}

/// How much of an oversized body is read and dropped, in multiples of the
/// limit, and for how long at most.
const DRAIN_FACTOR: usize = 8;
const DRAIN_TIME: Duration = Duration::from_secs(5);

/// The body if it holds at most `max` bytes, `None` if it is larger. An
/// oversized body is read on and dropped (within bounds), as nginx's
/// lingering close does: a client still sending would otherwise see its
/// connection reset instead of the 413 that tells it to send less.
async fn read_limited(body: Body, max: usize) -> Result<Option<Bytes>, HttpError> {
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    let mut total = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(unreadable)?;
        total = total.saturating_add(chunk.len());
        if total > max {
            let drain = async {
                while total <= max.saturating_mul(DRAIN_FACTOR) {
                    match stream.next().await {
                        Some(Ok(chunk)) => total = total.saturating_add(chunk.len()),
                        _ => break,
                    }
                }
            };
            let _ = tokio::time::timeout(DRAIN_TIME, drain).await;
            return Ok(None);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Some(Bytes::from(bytes)))
}

fn unreadable(e: axum::Error) -> HttpError {
    HttpError::new(
        ErrorCode::BadRequest,
        format!("corps de requête illisible : {e}"),
    )
}

/// A query string; a bad one gets a typed 400.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, HttpError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| ApiQuery(v))
            .map_err(|e: QueryRejection| {
                HttpError::new(
                    ErrorCode::BadRequest,
                    format!("paramètres invalides : {}", e.body_text()),
                )
            })
    }
}

/// Path parameters; bad ones get a typed 400.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, HttpError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| ApiPath(v))
            .map_err(|e: PathRejection| {
                HttpError::new(
                    ErrorCode::BadRequest,
                    format!("adresse invalide : {}", e.body_text()),
                )
            })
    }
}

/// The name of the cookie that carries a counter's or a display's credential
/// in its browser (`HttpOnly`, `SameSite=Strict`: never readable by scripts).
pub const CREDENTIAL_COOKIE: &str = "volant_appareil";

/// The credential of a request: `Authorization: Bearer …`, or the credential cookie.
fn credential(parts: &Parts) -> Option<String> {
    let bearer = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    bearer.or_else(|| {
        parts
            .headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(cookie::Cookie::split_parse)
            .filter_map(Result::ok)
            .find(|c| c.name() == CREDENTIAL_COOKIE)
            .map(|c| c.value().to_owned())
    })
}

/// The authenticated device of a request, of any kind.
async fn authenticated(parts: &Parts, state: &AppState) -> Result<AuthenticatedDevice, HttpError> {
    let token = credential(parts).ok_or_else(|| {
        HttpError::new(
            ErrorCode::Unauthenticated,
            "identifiant d'appareil manquant",
        )
    })?;
    state
        .with_store(move |store| store.authenticate(&token))
        .await
}

/// The authenticated device of a request, if it is of one of `kinds`; 403 otherwise.
async fn of_kind(
    parts: &Parts,
    state: &AppState,
    kinds: &[DeviceKind],
    refusal: &str,
) -> Result<AuthenticatedDevice, HttpError> {
    let device = authenticated(parts, state).await?;
    if !kinds.contains(&device.kind) {
        return Err(HttpError::new(ErrorCode::Forbidden, refusal));
    }
    Ok(device)
}

macro_rules! device_extractor {
    ($(#[$doc:meta])* $name:ident, [$($kind:ident),+], $refusal:literal) => {
        $(#[$doc])*
        pub struct $name(pub AuthenticatedDevice);

        impl FromRequestParts<AppState> for $name {
            type Rejection = HttpError;

            async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
                of_kind(parts, state, &[$(DeviceKind::$kind),+], $refusal).await.map($name)
            }
        }
    };
}

device_extractor!(
    /// A tablet (a greeter's or the lead's): pushes visits, pulls the catalogue.
    Device, [Agent, Lead], "réservé aux tablettes"
);
device_extractor!(
    /// A device enrolled as a team lead; any other gets 403.
    Lead, [Lead], "réservé aux appareils du responsable d'accueil"
);
device_extractor!(
    /// A counter desk.
    Counter, [Counter], "réservé aux guichets"
);
device_extractor!(
    /// A waiting-room display.
    Display, [Display], "réservé aux écrans d'appel"
);
device_extractor!(
    /// The city's device: indicators across mairies, nothing else.
    City, [City], "réservé aux appareils de la Ville"
);
device_extractor!(
    /// What listens to the live updates: a counter or a display.
    Listener, [Counter, Display], "réservé aux guichets et aux écrans d'appel"
);

/// Refuses a request without the protocol header or with one newer than this
/// server's (400), or with a too old one (426).
pub async fn require_protocol(request: Request, next: Next) -> Result<Response, HttpError> {
    let version = request
        .headers()
        .get(PROTOCOL_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u32>().ok())
        .ok_or_else(|| {
            HttpError::new(
                ErrorCode::BadRequest,
                format!("en-tête {PROTOCOL_HEADER} manquant ou invalide"),
            )
        })?;
    if version > PROTOCOL_VERSION {
        return Err(HttpError::new(
            ErrorCode::BadRequest,
            format!(
                "protocole {version} inconnu de ce serveur (au plus {PROTOCOL_VERSION}) : mettre le serveur à jour"
            ),
        ));
    }
    if version < MIN_PROTOCOL_VERSION {
        return Err(HttpError::new(
            ErrorCode::UpgradeRequired,
            format!(
                "protocole {version} trop ancien (minimum {MIN_PROTOCOL_VERSION}) : mettre Volant à jour"
            ),
        ));
    }
    Ok(next.run(request).await)
}
