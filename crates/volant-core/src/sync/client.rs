//! The HTTP client of the sync protocol (reqwest with rustls): every request
//! carries the protocol version and, once enrolled, the device credential.

use std::time::Duration;

use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use uuid::Uuid;
use volant_protocol::{
    ApiError, CatalogueChanges, CatalogueEdit, CatalogueEdited, EnrollRequest, EnrollResponse,
    ErrorCode, Fingerprint, Indicators, JournalPage, JournalQuery, PROTOCOL_HEADER,
    PROTOCOL_VERSION, Period, PushRequest, PushResponse, QuarantinedRecord, RecordKind,
    RepairRequest, ServerInfo, SignOff, SignOffRequest, TicketStatuses, WaitBoard, origin,
};

use super::tls::{CertificateProblem, client_config, plain_allowed, problem_of};

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server could not be reached, or the answer was cut.
    #[error("serveur injoignable : {0}")]
    Network(String),
    /// The server's certificate is not the one trusted: nothing was sent.
    #[error("{}", .0.message())]
    Certificate(CertificateProblem),
    /// The address is unusable or would cross a network in clear: nothing was sent.
    #[error("{0}")]
    Address(String),
    /// The server refused, with a typed error.
    #[error("{error}")]
    Api {
        /// HTTP status.
        status: u16,
        /// The typed error.
        error: Box<ApiError>,
    },
}

impl ClientError {
    /// The typed error code, when the server answered one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ClientError::Api { error, .. } => Some(error.code),
            ClientError::Network(_) | ClientError::Certificate(_) | ClientError::Address(_) => None,
        }
    }

    /// A failed send: a certificate problem if that is what it was.
    fn of_send(error: &reqwest::Error) -> ClientError {
        match problem_of(error) {
            Some(problem) => ClientError::Certificate(problem),
            None => ClientError::Network(error.to_string()),
        }
    }
}

/// A client for one server.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
}

impl Client {
    /// A client for `base` (`https://10.0.0.2:8719`; `http://` on loopback
    /// only) pinned to `pin`, with a credential once enrolled.
    pub fn new(
        base: &str,
        pin: Option<Fingerprint>,
        token: Option<String>,
    ) -> Result<Client, ClientError> {
        let base = origin(base).map_err(|e| ClientError::Address(e.0))?;
        if let Some(host) = base.strip_prefix("http://") {
            let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
            if !plain_allowed(host) {
                return Err(ClientError::Address(format!(
                    "« {base} » est en clair : seul https:// est accepté hors de cette machine"
                )));
            }
        }
        let tls = client_config(pin).map_err(ClientError::Address)?;
        let http = reqwest::Client::builder()
            .use_preconfigured_tls(tls)
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(20))
            .build()
            .map_err(|e| ClientError::Network(e.to_string()))?;
        Ok(Client { http, base, token })
    }

    async fn send<T: DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<T, ClientError> {
        let bytes = self.send_raw(request).await?;
        serde_json::from_slice(&bytes)
            .map_err(|e| ClientError::Network(format!("réponse illisible : {e}")))
    }

    /// Sends a request; the body of a success, or the typed error.
    async fn send_raw(&self, request: reqwest::RequestBuilder) -> Result<Vec<u8>, ClientError> {
        let mut request = request.header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string());
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.map_err(|e| ClientError::of_send(&e))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        let bytes = response
            .bytes()
            .await
            .map_err(|e| ClientError::Network(e.to_string()))?;
        if status.is_success() {
            return Ok(bytes.to_vec());
        }
        let mut error: ApiError = serde_json::from_slice(&bytes).unwrap_or_else(|_| {
            let code = match status {
                StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::TooLarge,
                StatusCode::UNAUTHORIZED => ErrorCode::Unauthenticated,
                _ => ErrorCode::Unavailable,
            };
            ApiError::new(code, format!("le serveur a répondu {status}"))
        });
        error.retry_after_s = error.retry_after_s.or(retry_after);
        Err(ClientError::Api {
            status: status.as_u16(),
            error: Box::new(error),
        })
    }

    /// `POST /v1/enroll` (with the credential held, to re-enrol).
    pub async fn enroll(
        &self,
        code: &str,
        install_id: Uuid,
        previous_token: Option<String>,
    ) -> Result<EnrollResponse, ClientError> {
        let body = EnrollRequest {
            code: code.to_owned(),
            install_id,
            previous_token,
        };
        self.send(
            self.http
                .post(format!("{}/v1/enroll", self.base))
                .json(&body),
        )
        .await
    }

    /// `GET /v1/tickets?day=…`: what the counters did with this tablet's tickets.
    pub async fn tickets(&self, day: chrono::NaiveDate) -> Result<TicketStatuses, ClientError> {
        self.send(self.http.get(format!("{}/v1/tickets?day={day}", self.base)))
            .await
    }

    /// `GET /v1/waits`: the expected wait at every internal counter.
    pub async fn waits(&self) -> Result<WaitBoard, ClientError> {
        self.send(self.http.get(format!("{}/v1/waits", self.base)))
            .await
    }

    /// `GET /v1/info`.
    pub async fn info(&self) -> Result<ServerInfo, ClientError> {
        self.send(self.http.get(format!("{}/v1/info", self.base)))
            .await
    }

    /// `POST /v1/push`.
    pub async fn push(&self, request: &PushRequest) -> Result<PushResponse, ClientError> {
        self.send(
            self.http
                .post(format!("{}/v1/push", self.base))
                .json(request),
        )
        .await
    }

    /// `GET /v1/catalogue/changes`.
    pub async fn catalogue_changes(
        &self,
        since: u64,
        epoch: Option<Uuid>,
        limit: u32,
    ) -> Result<CatalogueChanges, ClientError> {
        let mut url = format!(
            "{}/v1/catalogue/changes?since={since}&limit={limit}",
            self.base
        );
        if let Some(epoch) = epoch {
            url.push_str(&format!("&epoch={epoch}"));
        }
        self.send(self.http.get(url)).await
    }

    /// `GET /v1/lead/journal`.
    pub async fn journal(&self, query: &JournalQuery) -> Result<JournalPage, ClientError> {
        self.send(
            self.http
                .get(format!("{}/v1/lead/journal", self.base))
                .query(query),
        )
        .await
    }

    /// `GET /v1/lead/indicators`.
    pub async fn indicators(&self, period: Period) -> Result<Indicators, ClientError> {
        self.send(
            self.http
                .get(format!("{}/v1/lead/indicators", self.base))
                .query(&period),
        )
        .await
    }

    /// `GET /v1/lead/export`: the period's visits as CSV.
    pub async fn export_csv(&self, period: Period) -> Result<String, ClientError> {
        let bytes = self
            .send_raw(
                self.http
                    .get(format!("{}/v1/lead/export", self.base))
                    .query(&period),
            )
            .await?;
        String::from_utf8(bytes)
            .map_err(|e| ClientError::Network(format!("réponse illisible : {e}")))
    }

    /// `PUT /v1/lead/signoff/{day}`.
    pub async fn sign_off(
        &self,
        day: chrono::NaiveDate,
        comment: &str,
    ) -> Result<SignOff, ClientError> {
        let body = SignOffRequest {
            comment: comment.to_owned(),
        };
        self.send(
            self.http
                .put(format!("{}/v1/lead/signoff/{day}", self.base))
                .json(&body),
        )
        .await
    }

    /// `POST /v1/lead/quarantine/{install_id}/{seq}`.
    pub async fn repair_quarantined(
        &self,
        install_id: Uuid,
        seq: u64,
        request: &RepairRequest,
    ) -> Result<QuarantinedRecord, ClientError> {
        self.send(
            self.http
                .post(format!(
                    "{}/v1/lead/quarantine/{install_id}/{seq}",
                    self.base
                ))
                .json(request),
        )
        .await
    }

    /// `PUT /v1/lead/catalogue/{kind}/{id}`.
    pub async fn edit_catalogue(
        &self,
        kind: RecordKind,
        id: &str,
        edit: &CatalogueEdit,
    ) -> Result<CatalogueEdited, ClientError> {
        let mut url =
            reqwest::Url::parse(&self.base).map_err(|e| ClientError::Network(e.to_string()))?;
        url.path_segments_mut()
            .map_err(|()| ClientError::Network("adresse du serveur invalide".into()))?
            .extend(["v1", "lead", "catalogue", kind.as_str(), id]);
        self.send(self.http.put(url).json(edit)).await
    }
}
