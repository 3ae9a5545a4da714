//! The HTTP application: configuration, router, and a server bound to its
//! address (`127.0.0.1:0` in tests) that stops gracefully.

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::routing::get;
use chrono::Utc;
use tokio::net::TcpListener;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use volant_protocol::Limits;

use axum_server::tls_rustls::RustlsConfig;
use volant_protocol::{ErrorCode, Fingerprint};

use crate::error::HttpError;
use crate::routes;
use crate::store::{Database, Result as StoreResult, Ring, ServerStore};
use crate::tls::{Identity, TlsError, Transport, default_names};

/// Limits a server applies unless configured otherwise.
pub const DEFAULT_LIMITS: Limits = Limits {
    max_batch_items: 1000,
    max_body_bytes: 4 * 1024 * 1024,
    max_page_items: 1000,
};

/// How to run a server.
#[derive(Debug, Clone)]
pub struct Config {
    /// The database: a SQLite file, or PostgreSQL.
    pub db: Database,
    /// Where to listen (`127.0.0.1:0` for any free port).
    pub listen: SocketAddr,
    /// Per-request limits.
    pub limits: Limits,
    /// Days detailed visits are kept; older days keep only their aggregates.
    pub retention_days: u32,
    /// The built UI (`ui/dist`) whose counter desk (`/guichet`) and call
    /// display (`/ecran`) the server serves; `None`: no pages.
    pub ui_dir: Option<PathBuf>,
    /// HTTPS (generated or given certificate) or, on loopback, plain HTTP.
    pub transport: Transport,
    /// Where devices reach the server, printed in invitations; `None`: this
    /// address (or this host's name when listening on every address).
    pub public_url: Option<String>,
    /// How long a stopping server still serves while its readiness fails, so
    /// that a load balancer checking it stops sending first (0 alone).
    pub drain: std::time::Duration,
}

/// How often the retention runs while the server is up.
const RETENTION_EVERY: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Rings a slow listener may fall behind by before it is told to refetch.
const BELL_CAPACITY: usize = 1024;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The store, and on PostgreSQL its siblings on the same pool: requests
    /// run side by side, one per store (the database serialises writes).
    stores: Arc<[Mutex<ServerStore>]>,
    next: Arc<std::sync::atomic::AtomicUsize>,
    bell: tokio::sync::broadcast::Sender<Ring>,
    draining: Arc<std::sync::atomic::AtomicBool>,
    /// Per-request limits.
    pub limits: Limits,
    /// The fingerprint of the certificate served; `None` on plain HTTP.
    pub fingerprint: Option<Fingerprint>,
}

impl AppState {
    /// The largest request body accepted, in bytes.
    pub fn max_body(&self) -> usize {
        usize::try_from(self.limits.max_body_bytes).unwrap_or(usize::MAX)
    }

    /// The state around a store whose committed queue changes ring the live updates.
    pub fn new(
        mut store: ServerStore,
        limits: Limits,
        fingerprint: Option<Fingerprint>,
    ) -> AppState {
        let (bell, _) = tokio::sync::broadcast::channel(BELL_CAPACITY);
        store.set_bell(bell.clone());
        let siblings = store.siblings();
        let stores: Vec<Mutex<ServerStore>> = std::iter::once(store)
            .chain(siblings)
            .map(Mutex::new)
            .collect();
        AppState {
            stores: stores.into(),
            next: Arc::default(),
            bell,
            draining: Arc::default(),
            limits,
            fingerprint,
        }
    }

    /// Refuses an invitation made for another certificate than the one served
    /// (a screen's page sent to the wrong server, or a replaced certificate).
    pub fn check_invited(&self, invited: Option<&str>) -> Result<(), HttpError> {
        let Some(own) = self.fingerprint else {
            return Ok(());
        };
        let invited = invited.ok_or_else(|| {
            HttpError::new(
                ErrorCode::InvalidField,
                "invitation incomplète : ouvrir le lien complet donné par l'informatique (…#code=…&sha256=…)",
            )
        })?;
        match Fingerprint::parse(invited) {
            Ok(f) if f == own => Ok(()),
            Ok(_) => Err(HttpError::new(
                ErrorCode::CertificateChanged,
                "le certificat du serveur a changé : demander une nouvelle invitation",
            )),
            Err(e) => Err(HttpError::new(ErrorCode::InvalidField, e.0)),
        }
    }

    /// Whether a stop has begun (readiness fails from then on).
    pub fn draining(&self) -> bool {
        self.draining.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// A new listener of the doorbell.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Ring> {
        self.bell.subscribe()
    }

    /// Runs `f` on a free store (else waits for one) off the async threads.
    pub async fn with_store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut ServerStore) -> StoreResult<T> + Send + 'static,
    ) -> Result<T, HttpError> {
        let stores = Arc::clone(&self.stores);
        let first = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let joined = tokio::task::spawn_blocking(move || {
            let n = stores.len();
            let free = (0..n).find_map(|i| stores[(first + i) % n].try_lock().ok());
            let mut guard = match free {
                Some(guard) => guard,
                None => stores[first % n]
                    .lock()
                    .map_err(|_| HttpError::unavailable("serveur en cours de redémarrage"))?,
            };
            f(&mut guard).map_err(HttpError::from)
        })
        .await;
        joined.unwrap_or_else(|_| Err(HttpError::unavailable("serveur momentanément indisponible")))
    }
}

/// The counter desk and the call display: the UI's one page (it picks the
/// screen from the address) and its assets, with a strict CSP. Without a
/// built UI they answer a typed 503.
fn pages(ui_dir: Option<&Path>) -> Router<AppState> {
    let Some(dir) = ui_dir.filter(|d| d.join("index.html").is_file()) else {
        return Router::new()
            .route("/guichet", get(routes::no_pages))
            .route("/ecran", get(routes::no_pages));
    };
    let page = ServeFile::new(dir.join("index.html"));
    Router::new()
        .route_service("/guichet", page.clone())
        .route_service("/ecran", page)
        .nest_service("/assets", ServeDir::new(dir.join("assets")))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(PAGE_POLICY),
        ))
}

/// The pages load nothing from elsewhere, and nothing may frame them.
const PAGE_POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

/// The router, for a given state.
pub fn router(state: AppState, ui_dir: Option<&Path>) -> Router {
    let max_body = state.max_body();
    let (protocol, open) = crate::api::routes();
    let protocol = protocol.layer(axum::middleware::from_fn(crate::extract::require_protocol));
    Router::new()
        .merge(open)
        .merge(protocol)
        .merge(pages(ui_dir))
        .fallback(routes::not_found)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::extract::read_body_first,
        ))
        .with_state(state)
}

/// A server bound to its address, not yet serving.
pub struct Application {
    listener: std::net::TcpListener,
    state: AppState,
    retention_days: u32,
    ui_dir: Option<PathBuf>,
    address: SocketAddr,
    tls: Option<Arc<rustls::ServerConfig>>,
    spki: Option<String>,
    url: String,
    drain: std::time::Duration,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The database could not be opened.
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
    /// The address could not be bound.
    #[error("écoute impossible sur {0} : {1}")]
    Bind(SocketAddr, std::io::Error),
    /// The certificate could not be loaded or made.
    #[error("{0}")]
    Tls(#[from] TlsError),
    /// Plain HTTP was asked on an address other machines reach.
    #[error(
        "HTTP en clair refusé sur {0} : seulement sur une adresse locale (127.0.0.1, ::1), derrière un proxy HTTPS de la même machine"
    )]
    PlainNotLoopback(SocketAddr),
}

impl Application {
    /// Opens the store and binds the address.
    /// Opens the store, loads (or makes) the certificate and binds the
    /// address; records the address and fingerprint invitations carry.
    pub async fn build(config: Config) -> Result<Application, StartError> {
        if matches!(config.transport, Transport::Plain) {
            if !config.listen.ip().is_loopback() {
                return Err(StartError::PlainNotLoopback(config.listen));
            }
            tracing::warn!(address = %config.listen, "plain HTTP: only for a reverse proxy on this host or tests");
        }
        let listener = TcpListener::bind(config.listen)
            .await
            .and_then(|l| l.into_std())
            .map_err(|e| StartError::Bind(config.listen, e))?;
        let address = listener
            .local_addr()
            .map_err(|e| StartError::Bind(config.listen, e))?;
        let scheme = if matches!(config.transport, Transport::Plain) {
            "http"
        } else {
            "https"
        };
        let url = config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("{scheme}://{}", public_host(address)));
        let (db, transport, advertised) =
            (config.db.clone(), config.transport.clone(), url.clone());
        let (store, identity) = tokio::task::spawn_blocking(move || {
            let now = Utc::now();
            let file = match &db {
                Database::Sqlite(path) => Some(path.as_path()),
                Database::Postgres(_) => None,
            };
            let identity = Identity::for_transport(&transport, file, &default_names(address), now)?;
            let mut store = ServerStore::open(&db, now)?;
            store.advertise(&advertised, identity.as_ref().map(Identity::fingerprint))?;
            Ok::<_, StartError>((store, identity))
        })
        .await
        .map_err(|e| StartError::Bind(config.listen, std::io::Error::other(e)))??;
        let tls = identity.as_ref().map(Identity::server_config).transpose()?;
        let spki = identity.as_ref().map(Identity::spki_sha256).transpose()?;
        let state = AppState::new(
            store,
            config.limits,
            identity.as_ref().map(Identity::fingerprint),
        );
        Ok(Application {
            listener,
            state,
            retention_days: config.retention_days,
            ui_dir: config.ui_dir,
            address,
            tls,
            spki,
            url,
            drain: config.drain,
        })
    }

    /// The bound address (with the real port when 0 was asked).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Where devices reach the server (`https://…`), as invitations print it.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The fingerprint of the certificate served; `None` on plain HTTP.
    pub fn fingerprint(&self) -> Option<Fingerprint> {
        self.state.fingerprint
    }

    /// The base64 SHA-256 of the certificate's public key, which a counter's
    /// or a display's browser can pin (`--ignore-certificate-errors-spki-list`).
    pub fn spki_pin(&self) -> Option<&str> {
        self.spki.as_deref()
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    /// The retention runs at start and then once a day.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let retention = tokio::spawn(run_retention_daily(self.state.clone(), self.retention_days));
        let (draining, drain) = (Arc::clone(&self.state.draining), self.drain);
        let service = router(self.state, self.ui_dir.as_deref()).into_make_service();
        let handle = axum_server::Handle::new();
        let stopping = handle.clone();
        tokio::spawn(async move {
            shutdown.await;
            // Readiness fails first, so the load balancer stops sending here.
            draining.store(true, std::sync::atomic::Ordering::SeqCst);
            tokio::time::sleep(drain).await;
            stopping.graceful_shutdown(Some(GRACE));
        });
        self.listener.set_nonblocking(true)?;
        let served = match self.tls {
            Some(config) => {
                axum_server::from_tcp_rustls(self.listener, RustlsConfig::from_config(config))
                    .handle(handle)
                    .serve(service)
                    .await
            }
            None => {
                axum_server::from_tcp(self.listener)
                    .handle(handle)
                    .serve(service)
                    .await
            }
        };
        retention.abort();
        served
    }
}

/// How long requests in flight (and event streams) get to finish at a stop.
const GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// The host part of the address devices use: the bound address, or this
/// host's name when bound to every address.
fn public_host(address: SocketAddr) -> String {
    match crate::tls::hostname() {
        Some(host) if address.ip().is_unspecified() => format!("{host}:{}", address.port()),
        _ => address.to_string(),
    }
}

/// The daily retention run; a failure is logged and retried the next day.
async fn run_retention_daily(state: AppState, days: u32) {
    let mut every = tokio::time::interval(RETENTION_EVERY);
    loop {
        every.tick().await;
        match state
            .with_store(move |s| s.run_retention(days, Utc::now()))
            .await
        {
            Ok(report) => tracing::info!(
                days = report.days,
                visits = report.visits,
                cells = report.cells,
                "retention"
            ),
            Err(e) => tracing::warn!(error = %e.0, "retention failed"),
        }
    }
}
