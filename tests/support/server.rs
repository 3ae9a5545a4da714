//! The real mairie server for tests: in-process (restartable, abortable) or as
//! a child process (for kill -9), always on 127.0.0.1, over HTTPS with the
//! certificate it generates beside its database, reached by pinned clients.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use chrono::Utc;
use volant_protocol::{DeviceKind, Fingerprint, Invitation, Limits, PROTOCOL_HEADER};
use volant_server::store::{DEFAULT_RETENTION_DAYS, Database, MairieId, Post, ServerStore};
use volant_server::tls::{Identity, generated_files};
use volant_server::{Application, Config, DEFAULT_LIMITS, Transport};

/// Where a test reaches a server: its HTTPS origin, the certificate it pins
/// and an HTTP client pinned to it.
#[derive(Clone)]
pub struct Endpoint {
    /// `https://127.0.0.1:port`.
    pub base: String,
    /// The server certificate's fingerprint.
    pub fingerprint: Fingerprint,
    /// A client that trusts that certificate only.
    pub http: reqwest::Client,
}

impl Endpoint {
    /// `addr`, serving the certificate generated beside `db`.
    pub fn of(addr: SocketAddr, db: &Path) -> Endpoint {
        Endpoint::pinned(addr, identity(db).fingerprint())
    }

    /// `addr`, serving the certificate `fingerprint`.
    pub fn pinned(addr: SocketAddr, fingerprint: Fingerprint) -> Endpoint {
        Endpoint {
            base: format!("https://{addr}"),
            fingerprint,
            http: pinned_client(fingerprint),
        }
    }

    /// The invitation link a device is enrolled with, for `code`.
    pub fn invitation(&self, code: &str) -> String {
        Invitation {
            server: self.base.clone(),
            code: code.to_owned(),
            fingerprint: Some(self.fingerprint),
        }
        .link("")
    }

    /// An invitation with a fresh code of `kind` on the server's database `db`.
    pub fn invite(&self, db: &Path, kind: DeviceKind) -> String {
        self.invitation(&enrolment_code(db, kind))
    }
}

/// The certificate and key the server generated beside `db`.
pub fn identity(db: &Path) -> Identity {
    let (cert, key) = generated_files(db);
    Identity::load(&cert, &key).unwrap_or_else(|e| panic!("server certificate: {e}"))
}

/// An HTTP client that trusts the certificate `fingerprint` only, as devices do.
pub fn pinned_client(fingerprint: Fingerprint) -> reqwest::Client {
    let tls = volant_core::sync::tls::client_config(Some(fingerprint))
        .unwrap_or_else(|e| panic!("tls: {e}"));
    reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .build()
        .unwrap_or_else(|e| panic!("client: {e}"))
}

/// A server running in this process.
pub struct TestServer {
    /// Its database file.
    pub db: PathBuf,
    /// Its address.
    pub addr: SocketAddr,
    /// How to reach it.
    pub endpoint: Endpoint,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// Starts a server on `db` (created if missing) on a free port.
    pub async fn start(db: &Path) -> TestServer {
        Self::start_with(db, DEFAULT_LIMITS).await
    }

    /// Same, with other limits.
    pub async fn start_with(db: &Path, limits: Limits) -> TestServer {
        Self::start_on(db, limits, Transport::SelfSigned).await
    }

    /// Same, with another certificate (`Transport::Files`).
    pub async fn start_on(db: &Path, limits: Limits, transport: Transport) -> TestServer {
        Self::start_at(db, limits, transport, ([127, 0, 0, 1], 0).into()).await
    }

    /// Stops, then starts again on the same address (and database).
    pub async fn restart_in_place(self) -> TestServer {
        let (db, addr) = (self.db.clone(), self.addr);
        self.stop().await;
        Self::start_at(&db, DEFAULT_LIMITS, Transport::SelfSigned, addr).await
    }

    async fn start_at(
        db: &Path,
        limits: Limits,
        transport: Transport,
        listen: SocketAddr,
    ) -> TestServer {
        let pinned = match &transport {
            Transport::Files { cert, key } => Some(
                Identity::load(cert, key)
                    .unwrap_or_else(|e| panic!("{e}"))
                    .fingerprint(),
            ),
            _ => None,
        };
        let config = Config {
            db: Database::Sqlite(db.to_owned()),
            listen,
            limits,
            retention_days: DEFAULT_RETENTION_DAYS,
            ui_dir: None,
            transport,
            public_url: None,
            drain: std::time::Duration::ZERO,
        };
        let app = Application::build(config)
            .await
            .unwrap_or_else(|e| panic!("server start: {e}"));
        let addr = app.address();
        let endpoint = match pinned {
            Some(fingerprint) => Endpoint::pinned(addr, fingerprint),
            None => Endpoint::of(addr, db),
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = app
                .run_until(async {
                    let _ = stopped.await;
                })
                .await;
        });
        TestServer {
            db: db.to_owned(),
            addr,
            endpoint,
            stop: Some(stop),
            task,
        }
    }

    /// The URL.
    pub fn url(&self) -> String {
        self.endpoint.base.clone()
    }

    /// An invitation with a fresh code of `kind`.
    pub fn invite(&self, kind: DeviceKind) -> String {
        self.endpoint.invite(&self.db, kind)
    }

    /// Stops gracefully.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }

    /// Stops abruptly: connections in flight are dropped.
    pub fn abort(self) {
        self.task.abort();
    }
}

/// Opens the server's store beside the running server (WAL allows it).
pub fn server_store(db: &Path) -> ServerStore {
    ServerStore::open(&db.into(), Utc::now()).unwrap_or_else(|e| panic!("server store: {e}"))
}

/// A fresh one-time enrolment code.
pub fn enrolment_code(db: &Path, kind: DeviceKind) -> String {
    server_store(db)
        .create_enrollment_code(
            MairieId::FIRST,
            "Tablette de test",
            kind,
            &volant_server::store::Post::default(),
            chrono::Duration::minutes(10),
            Utc::now(),
        )
        .unwrap_or_else(|e| panic!("code: {e}"))
        .code
}

/// A binary of the workspace, built by `cargo test --workspace`.
pub fn binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("current exe: {e}"));
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .unwrap_or_else(|| panic!("no target dir"));
    let path = dir.join(name);
    assert!(
        path.exists(),
        "{} is missing: run `cargo test --workspace` (or `cargo build --workspace`) first",
        path.display()
    );
    path
}

/// The server binary as a child process on a given loopback port.
pub struct ServerProcess {
    child: Child,
    /// How to reach it.
    pub endpoint: Endpoint,
}

impl ServerProcess {
    /// Starts `volant-server serve` and waits until it answers.
    pub async fn start(db: &Path, port: u16) -> ServerProcess {
        let mut child = Command::new(binary("volant-server"))
            .args([
                "--db",
                &db.display().to_string(),
                "serve",
                "--listen",
                &format!("127.0.0.1:{port}"),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn server: {e}"));
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        for _ in 0..400 {
            // The certificate is made before the port is bound.
            if generated_files(db).1.exists() {
                let endpoint = Endpoint::of(addr, db);
                let health = endpoint
                    .http
                    .get(format!("{}/v1/health", endpoint.base))
                    .send()
                    .await;
                if health.is_ok_and(|r| r.status().is_success()) {
                    return ServerProcess { child, endpoint };
                }
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("server exited: {status}");
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        let _ = child.kill();
        panic!("server did not start on port {port}");
    }

    /// Its process id (for its memory, read from `/proc`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// kill -9.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free loopback port.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("free port: {e}"))
}

/// Enrols a counter or a display working at `post` with the server at
/// `server` (database `db`) as its browser does; returns the credential of its cookie.
pub async fn screen_credential(
    server: &Endpoint,
    db: &Path,
    kind: DeviceKind,
    post: &Post,
) -> String {
    let code = server_store(db)
        .create_enrollment_code(
            MairieId::FIRST,
            "Écran de test",
            kind,
            post,
            chrono::Duration::minutes(30),
            Utc::now(),
        )
        .unwrap_or_else(|e| panic!("code: {e}"))
        .code;
    screen_enroll(server, &code).await
}

/// Enrols a counter or a display with `code` as its browser does; returns
/// the credential of its cookie.
pub async fn screen_enroll(server: &Endpoint, code: &str) -> String {
    let response = server
        .http
        .post(format!("{}/v1/screen/enroll", server.base))
        .header(PROTOCOL_HEADER, "1")
        .json(&serde_json::json!({ "code": code, "fingerprint": server.fingerprint.to_string() }))
        .send()
        .await
        .unwrap_or_else(|e| panic!("enrol: {e}"));
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    cookie
        .split(';')
        .next()
        .and_then(|c| c.split_once('='))
        .map(|(_, token)| token.to_owned())
        .unwrap_or_else(|| panic!("no credential cookie: {cookie}"))
}

/// A counter's action (a fresh event id, now), which must succeed; its answer.
pub async fn counter_act(
    server: &Endpoint,
    token: &str,
    action: serde_json::Value,
) -> serde_json::Value {
    let response = server
        .http
        .post(format!("{}/v1/counter/actions", server.base))
        .header(PROTOCOL_HEADER, "1")
        .bearer_auth(token)
        .json(&serde_json::json!({ "event_id": uuid::Uuid::now_v7(), "device_time": Utc::now(), "action": action }))
        .send()
        .await
        .unwrap_or_else(|e| panic!("act: {e}"));
    let status = response.status();
    let body: serde_json::Value = response
        .json()
        .await
        .unwrap_or_else(|e| panic!("json: {e}"));
    assert!(status.is_success(), "{status} {body}");
    body
}
