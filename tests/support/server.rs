//! The real mairie server for tests: in-process (restartable, abortable) or as
//! a child process (for kill -9), always on 127.0.0.1.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use chrono::Utc;
use volant_protocol::{DeviceKind, Limits, PROTOCOL_HEADER};
use volant_server::store::{DEFAULT_RETENTION_DAYS, Post, ServerStore};
use volant_server::{Application, Config, DEFAULT_LIMITS};

/// A server running in this process.
pub struct TestServer {
    /// Its database file.
    pub db: PathBuf,
    /// Its address.
    pub addr: SocketAddr,
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
        let config = Config {
            db: db.to_owned(),
            listen: "127.0.0.1:0".parse().unwrap_or_else(|e| panic!("{e}")),
            limits,
            retention_days: DEFAULT_RETENTION_DAYS,
            ui_dir: None,
        };
        let app = Application::build(config)
            .await
            .unwrap_or_else(|e| panic!("server start: {e}"));
        let addr = app.address();
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
            stop: Some(stop),
            task,
        }
    }

    /// The URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
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
    ServerStore::open(db, Utc::now()).unwrap_or_else(|e| panic!("server store: {e}"))
}

/// A fresh one-time enrolment code.
pub fn enrolment_code(db: &Path, kind: DeviceKind) -> String {
    server_store(db)
        .create_enrollment_code(
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
}

impl ServerProcess {
    /// Starts `volant-server serve` and waits until it answers.
    pub async fn start(db: &Path, port: u16) -> ServerProcess {
        let process = ServerProcess {
            child: Command::new(binary("volant-server"))
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
                .unwrap_or_else(|e| panic!("spawn server: {e}")),
        };
        let url = format!("http://127.0.0.1:{port}/v1/health");
        for _ in 0..200 {
            if reqwest::get(&url)
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return process;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
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

/// Enrols a counter or a display working at `post` with the server at `base`
/// (database `db`) as its browser does; returns the credential of its cookie.
pub async fn screen_credential(base: &str, db: &Path, kind: DeviceKind, post: &Post) -> String {
    let code = server_store(db)
        .create_enrollment_code(
            "Écran de test",
            kind,
            post,
            chrono::Duration::minutes(30),
            Utc::now(),
        )
        .unwrap_or_else(|e| panic!("code: {e}"))
        .code;
    let response = reqwest::Client::new()
        .post(format!("{base}/v1/screen/enroll"))
        .header(PROTOCOL_HEADER, "1")
        .json(&serde_json::json!({ "code": code }))
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
pub async fn counter_act(base: &str, token: &str, action: serde_json::Value) -> serde_json::Value {
    let response = reqwest::Client::new()
        .post(format!("{base}/v1/counter/actions"))
        .header(PROTOCOL_HEADER, "1")
        .bearer_auth(token)
        .json(&serde_json::json!({ "event_id": uuid::Uuid::now_v7(), "device_time": Utc::now(), "action": action }))
        .send()
        .await
        .unwrap_or_else(|e| panic!("act: {e}"));
    assert!(response.status().is_success(), "{}", response.status());
    response
        .json()
        .await
        .unwrap_or_else(|e| panic!("json: {e}"))
}
