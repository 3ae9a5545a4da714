//! The HTTP application: configuration, router, and a server bound to its
//! address (`127.0.0.1:0` in tests) that stops gracefully.

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post, put};
use chrono::Utc;
use tokio::net::TcpListener;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use volant_protocol::Limits;

use crate::error::HttpError;
use crate::routes;
use crate::store::{Result as StoreResult, Ring, ServerStore};

/// Limits a server applies unless configured otherwise.
pub const DEFAULT_LIMITS: Limits = Limits {
    max_batch_items: 1000,
    max_body_bytes: 4 * 1024 * 1024,
    max_page_items: 1000,
};

/// How to run a server.
#[derive(Debug, Clone)]
pub struct Config {
    /// The database file.
    pub db: PathBuf,
    /// Where to listen (`127.0.0.1:0` for any free port).
    pub listen: SocketAddr,
    /// Per-request limits.
    pub limits: Limits,
    /// Days detailed visits are kept; older days keep only their aggregates.
    pub retention_days: u32,
    /// The built UI (`ui/dist`) whose counter desk (`/guichet`) and call
    /// display (`/ecran`) the server serves; `None`: no pages.
    pub ui_dir: Option<PathBuf>,
}

/// How often the retention runs while the server is up.
const RETENTION_EVERY: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Rings a slow listener may fall behind by before it is told to refetch.
const BELL_CAPACITY: usize = 1024;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    store: Arc<Mutex<ServerStore>>,
    bell: tokio::sync::broadcast::Sender<Ring>,
    /// Per-request limits.
    pub limits: Limits,
}

impl AppState {
    /// The state around a store whose committed queue changes ring the live updates.
    pub fn new(mut store: ServerStore, limits: Limits) -> AppState {
        let (bell, _) = tokio::sync::broadcast::channel(BELL_CAPACITY);
        store.set_bell(bell.clone());
        AppState {
            store: Arc::new(Mutex::new(store)),
            bell,
            limits,
        }
    }

    /// A new listener of the doorbell.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Ring> {
        self.bell.subscribe()
    }

    /// Runs `f` on the store off the async threads.
    pub async fn with_store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut ServerStore) -> StoreResult<T> + Send + 'static,
    ) -> Result<T, HttpError> {
        let store = Arc::clone(&self.store);
        let joined = tokio::task::spawn_blocking(move || {
            let mut guard = store
                .lock()
                .map_err(|_| HttpError::unavailable("serveur en cours de redémarrage"))?;
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
    let max_body = usize::try_from(state.limits.max_body_bytes).unwrap_or(usize::MAX);
    let protocol = Router::new()
        .route("/v1/enroll", post(routes::enroll))
        .route("/v1/screen/enroll", post(routes::enroll_screen))
        .route("/v1/info", get(routes::info))
        .route("/v1/push", post(routes::push))
        .route("/v1/catalogue/changes", get(routes::catalogue_changes))
        .route("/v1/lead/journal", get(routes::journal))
        .route("/v1/lead/indicators", get(routes::indicators))
        .route("/v1/lead/export", get(routes::export))
        .route("/v1/lead/signoff/{day}", put(routes::sign_off))
        .route(
            "/v1/lead/catalogue/{kind}/{id}",
            put(routes::edit_catalogue),
        )
        .route("/v1/tickets", get(routes::tickets))
        .route("/v1/counter/queue", get(routes::counter_queue))
        .route("/v1/counter/actions", post(routes::counter_action))
        .route("/v1/display/calls", get(routes::display_calls))
        .layer(axum::middleware::from_fn(crate::extract::require_protocol));
    Router::new()
        .route("/v1/health", get(routes::health))
        .route("/v1/events", get(crate::live::events))
        .merge(protocol)
        .merge(pages(ui_dir))
        .fallback(routes::not_found)
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(state)
}

/// A server bound to its address, not yet serving.
pub struct Application {
    listener: TcpListener,
    state: AppState,
    retention_days: u32,
    ui_dir: Option<PathBuf>,
    address: SocketAddr,
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
}

impl Application {
    /// Opens the store and binds the address.
    pub async fn build(config: Config) -> Result<Application, StartError> {
        let db = config.db.clone();
        let store = tokio::task::spawn_blocking(move || ServerStore::open(&db, Utc::now()))
            .await
            .map_err(|e| StartError::Bind(config.listen, std::io::Error::other(e)))??;
        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(|e| StartError::Bind(config.listen, e))?;
        let address = listener
            .local_addr()
            .map_err(|e| StartError::Bind(config.listen, e))?;
        let state = AppState::new(store, config.limits);
        Ok(Application {
            listener,
            state,
            retention_days: config.retention_days,
            ui_dir: config.ui_dir,
            address,
        })
    }

    /// The bound address (with the real port when 0 was asked).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    /// The retention runs at start and then once a day.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let retention = tokio::spawn(run_retention_daily(self.state.clone(), self.retention_days));
        let served = axum::serve(self.listener, router(self.state, self.ui_dir.as_deref()))
            .with_graceful_shutdown(shutdown)
            .await;
        retention.abort();
        served
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
