//! The city deployment for tests: a fresh database on the PostgreSQL that
//! `scripts/with-postgres.sh` started (`VOLANT_TEST_POSTGRES`), server
//! instances as child processes sharing the city's certificate, HAProxy in
//! front of them, and PostgreSQL itself restarted. Loopback only.
//!
//! PostgreSQL's client blocks on a runtime of its own: calls run on a thread
//! outside the test's runtime.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::Utc;
use postgres::NoTls;
use volant_protocol::{DeviceKind, Fingerprint};
use volant_server::store::{Database, MairieId, Post, ServerStore};
use volant_server::tls::{Identity, generate};

use crate::server::{Endpoint, binary, free_port};

/// Runs `f` on a thread of its own (outside any tokio runtime).
pub fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| s.spawn(f).join().unwrap_or_else(|_| panic!("thread")))
}

/// The PostgreSQL server of this run.
fn postgres_server() -> String {
    std::env::var("VOLANT_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| {
            panic!("VOLANT_TEST_POSTGRES unset: run inside scripts/with-postgres.sh")
        })
}

/// A fresh database for one test.
pub fn fresh_database() -> Database {
    let server = postgres_server();
    let name = format!("volant_city_{}", uuid::Uuid::now_v7().simple());
    off_runtime(|| {
        postgres::Client::connect(&format!("{server}/postgres"), NoTls)
            .and_then(|mut c| c.batch_execute(&format!("CREATE DATABASE {name}")))
            .unwrap_or_else(|e| panic!("create database: {e}"))
    });
    Database::Postgres(format!("{server}/{name}"))
}

/// The rows of a query of two columns on PostgreSQL, as text.
pub fn text_rows(url: &str, sql: &str) -> Vec<(String, String)> {
    off_runtime(|| {
        let mut client =
            postgres::Client::connect(url, NoTls).unwrap_or_else(|e| panic!("connect: {e}"));
        client
            .simple_query(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .iter()
            .filter_map(|m| match m {
                postgres::SimpleQueryMessage::Row(r) => Some((
                    r.get(0).unwrap_or_default().to_owned(),
                    r.get(1).unwrap_or_default().to_owned(),
                )),
                _ => None,
            })
            .collect()
    })
}

/// A count on PostgreSQL.
pub fn count(db: &Database, sql: &str) -> u64 {
    let Database::Postgres(url) = db else {
        panic!("a count on PostgreSQL only");
    };
    let sql = format!("SELECT ({sql})::text, ''");
    text_rows(url, &sql)
        .first()
        .and_then(|(n, _)| n.parse().ok())
        .unwrap_or_else(|| panic!("{sql}: no count"))
}

/// A count of a table's rows in a SQLite server's file.
pub fn sqlite_count(file: &Path, table: &str) -> u64 {
    rusqlite::Connection::open(file)
        .and_then(|c| c.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0)))
        .unwrap_or_else(|e| panic!("{table}: {e}"))
}

/// Uses the store of `db` as the administration commands do.
pub fn with_store<T: Send>(db: &Database, f: impl FnOnce(&mut ServerStore) -> T + Send) -> T {
    off_runtime(|| {
        let mut store = ServerStore::open(db, Utc::now()).unwrap_or_else(|e| panic!("store: {e}"));
        f(&mut store)
    })
}

/// A fresh enrolment code.
pub fn code(db: &Database, kind: DeviceKind, post: &Post) -> String {
    code_in(db, MairieId::FIRST, kind, post)
}

/// A one-time code for a device of `mairie`.
pub fn code_in(db: &Database, mairie: MairieId, kind: DeviceKind, post: &Post) -> String {
    with_store(db, |s| {
        s.create_enrollment_code(
            mairie,
            "Appareil de test",
            kind,
            post,
            chrono::Duration::minutes(30),
            Utc::now(),
        )
        .unwrap_or_else(|e| panic!("code: {e}"))
        .code
    })
}

/// The city's certificate, shared by every instance.
pub struct Certificate {
    /// Its PEM chain.
    pub cert: PathBuf,
    /// Its key.
    pub key: PathBuf,
    /// Its fingerprint, which devices pin.
    pub fingerprint: Fingerprint,
}

impl Certificate {
    /// A certificate for 127.0.0.1 written in `dir`.
    pub fn new(dir: &Path) -> Certificate {
        let (cert, key) = (dir.join("city.cert.pem"), dir.join("city.key.pem"));
        generate(&["127.0.0.1".into()], Utc::now(), 1)
            .and_then(|g| g.write(&cert, &key))
            .unwrap_or_else(|e| panic!("certificate: {e}"));
        let fingerprint = Identity::load(&cert, &key)
            .unwrap_or_else(|e| panic!("{e}"))
            .fingerprint();
        Certificate {
            cert,
            key,
            fingerprint,
        }
    }
}

/// One `volant-server serve` process of the city.
pub struct Instance {
    child: Child,
    /// Its own address (not the balancer's).
    pub endpoint: Endpoint,
    args: Vec<String>,
}

impl Instance {
    /// Starts an instance on `db` on a free loopback port, advertising
    /// `public` (the balancer); waits until it is ready.
    pub async fn start(db: &Database, certificate: &Certificate, public: &str) -> Instance {
        Self::start_on(db, certificate, public, free_port()).await
    }

    /// Same, on `port` (where another instance served before).
    pub async fn start_on(
        db: &Database,
        certificate: &Certificate,
        public: &str,
        port: u16,
    ) -> Instance {
        let db = match db {
            Database::Sqlite(path) => path.display().to_string(),
            Database::Postgres(url) => url.clone(),
        };
        let args = [
            "--db",
            &db,
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--tls-cert",
            &certificate.cert.display().to_string(),
            "--tls-key",
            &certificate.key.display().to_string(),
            "--public-url",
            public,
            "--drain-seconds",
            "1",
        ]
        .map(str::to_owned)
        .to_vec();
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        Self::spawn(args, Endpoint::pinned(addr, certificate.fingerprint)).await
    }

    async fn spawn(args: Vec<String>, endpoint: Endpoint) -> Instance {
        let child = Command::new(binary("volant-server"))
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn server: {e}"));
        let mut instance = Instance {
            child,
            endpoint,
            args,
        };
        instance.wait_ready().await;
        instance
    }

    async fn wait_ready(&mut self) {
        for _ in 0..400 {
            if self.is_ready().await {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("server exited: {status}");
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("server not ready: {}", self.endpoint.base);
    }

    /// Whether `GET /v1/ready` answers 200.
    pub async fn is_ready(&self) -> bool {
        self.endpoint
            .http
            .get(format!("{}/v1/ready", self.endpoint.base))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
    }

    /// kill -9, then a new process on the same address.
    pub async fn kill_and_restart(mut self) -> Instance {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let (args, endpoint) = (std::mem::take(&mut self.args), self.endpoint.clone());
        Self::spawn(args, endpoint).await
    }

    /// kill -9.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Its port.
    pub fn port(&self) -> u16 {
        self.endpoint
            .base
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {}", self.endpoint.base))
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// HAProxy in front of instances: TLS passes through (devices pin the city's
/// certificate), an instance leaves the rotation when `/v1/ready` fails twice.
pub struct Balancer {
    child: Child,
    /// The address devices use.
    pub endpoint: Endpoint,
}

impl Balancer {
    /// The port it will listen on, chosen before the instances start (they
    /// advertise it).
    pub fn port() -> u16 {
        free_port()
    }

    /// Starts HAProxy on `port` in front of `ports`; waits until it serves.
    pub async fn start(dir: &Path, port: u16, ports: &[u16], fingerprint: Fingerprint) -> Balancer {
        let servers: String = ports
            .iter()
            .enumerate()
            .map(|(i, p)| format!("    server instance{i} 127.0.0.1:{p}\n"))
            .collect();
        let config = format!(
            "global\n    maxconn 512\n\
             defaults\n    mode tcp\n    timeout connect 1s\n    timeout client 30s\n    timeout server 30s\n    retries 2\n    option redispatch\n\
             frontend hall\n    bind 127.0.0.1:{port}\n    default_backend instances\n\
             backend instances\n    balance roundrobin\n    option httpchk GET /v1/ready\n    http-check expect status 200\n\
             \x20   default-server check check-ssl verify none inter 200ms fall 2 rise 2\n{servers}"
        );
        let path = dir.join("haproxy.cfg");
        std::fs::write(&path, config).unwrap_or_else(|e| panic!("haproxy.cfg: {e}"));
        let child = Command::new("haproxy")
            .args(["-db", "-f"])
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("haproxy (apt-get install haproxy): {e}"));
        let endpoint = Endpoint::pinned(([127, 0, 0, 1], port).into(), fingerprint);
        let mut balancer = Balancer { child, endpoint };
        for _ in 0..200 {
            let ready = balancer
                .endpoint
                .http
                .get(format!("{}/v1/ready", balancer.endpoint.base))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if ready {
                return balancer;
            }
            if let Ok(Some(status)) = balancer.child.try_wait() {
                panic!("haproxy exited: {status}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("haproxy not serving on {port}");
    }
}

impl Drop for Balancer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Two instances on `db` behind a balancer, which they advertise.
pub async fn two_behind_a_balancer(
    dir: &Path,
    db: &Database,
    certificate: &Certificate,
) -> (Instance, Instance, Balancer) {
    let port = Balancer::port();
    let public = format!("https://127.0.0.1:{port}");
    let a = Instance::start(db, certificate, &public).await;
    let b = Instance::start(db, certificate, &public).await;
    let balancer = Balancer::start(dir, port, &[a.port(), b.port()], certificate.fingerprint).await;
    (a, b, balancer)
}

/// Restarts the PostgreSQL cluster of this run (`pg_ctlcluster … restart`):
/// every connection is cut, as a database failover or upgrade would.
pub fn restart_postgres() {
    let clusters = Command::new("pg_lsclusters")
        .arg("-h")
        .output()
        .unwrap_or_else(|e| panic!("pg_lsclusters: {e}"));
    let listing = String::from_utf8_lossy(&clusters.stdout);
    let mut first = listing.split_whitespace();
    let (version, name) = (first.next(), first.next());
    let (Some(version), Some(name)) = (version, name) else {
        panic!("no cluster: {listing}");
    };
    let status = Command::new("pg_ctlcluster")
        .args([version, name, "restart", "-m", "fast"])
        .stdout(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("pg_ctlcluster: {e}"));
    assert!(status.success(), "pg_ctlcluster restart: {status}");
}
