//! Errors as HTTP answers: a status and a typed JSON body `{code, message, …}`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use volant_protocol::{ApiError, ErrorCode};

use crate::store::StoreError;

/// An error answer.
#[derive(Debug)]
pub struct HttpError(pub Box<ApiError>);

impl From<ApiError> for HttpError {
    fn from(api: ApiError) -> Self {
        HttpError(Box::new(api))
    }
}

/// The HTTP status of each error code.
pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::BadRequest | ErrorCode::InvalidCode => StatusCode::BAD_REQUEST,
        ErrorCode::InvalidField => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorCode::Revoked | ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::Gap
        | ErrorCode::SeqConflict
        | ErrorCode::EpochChanged
        | ErrorCode::VersionConflict
        | ErrorCode::TicketTaken
        | ErrorCode::QueueEmpty
        | ErrorCode::NoCurrentTicket
        | ErrorCode::EventConflict
        | ErrorCode::CertificateChanged => StatusCode::CONFLICT,
        ErrorCode::TooSoon => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::UpgradeRequired => StatusCode::UPGRADE_REQUIRED,
        ErrorCode::ResyncRequired => StatusCode::GONE,
        ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
    }
}

impl HttpError {
    /// An error with a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        HttpError::from(ApiError::new(code, message))
    }

    /// A transient failure: nothing changed, retry later.
    pub fn unavailable(message: impl Into<String>) -> Self {
        HttpError::from(ApiError {
            retry_after_s: Some(1),
            ..ApiError::new(ErrorCode::Unavailable, message)
        })
    }
}

impl From<StoreError> for HttpError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Refused(api) => HttpError(api),
            StoreError::Catalogue(file) => {
                HttpError::from(ApiError::new(ErrorCode::InvalidField, file.to_string()))
            }
            StoreError::Db(_) | StoreError::Migration(_) => {
                tracing::warn!(error = %e, "transient store failure");
                HttpError::unavailable(
                    "serveur momentanément indisponible, rien n'a été enregistré",
                )
            }
        }
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let status = status_of(self.0.code);
        let retry = self.0.retry_after_s;
        let mut response = (status, axum::Json(self.0)).into_response();
        if let Some(seconds) = retry.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
            response.headers_mut().insert(header::RETRY_AFTER, seconds);
        }
        response
    }
}
