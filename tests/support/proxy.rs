//! A small proxy on 127.0.0.1 between a tablet and the server, to inject
//! network faults: each new connection takes the next queued fault, or passes.
//! It holds the server's certificate and key, so the tablet's TLS ends at the
//! proxy (pinned as the server) and the proxy speaks TLS to the server: the
//! faults cut the HTTP bytes, as a flaky Wi-Fi cuts them, not the handshake.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::{TlsAcceptor, TlsConnector};
use volant_protocol::{DeviceKind, Fingerprint};

use crate::server::{Endpoint, identity};

/// What the proxy does to one connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Forward both ways.
    Pass,
    /// Forward both ways, each chunk of the answer delayed.
    DelayResponse(Duration),
    /// Forward this many request bytes, then cut the connection.
    CutRequestAfter(usize),
    /// Forward requests whole but only this many answer bytes, then cut:
    /// with 0, the server has committed and the tablet never hears it.
    CutResponseAfter(usize),
    /// Close the connection at once.
    Reset,
}

/// The proxy.
pub struct Proxy {
    /// Where tablets connect.
    pub addr: SocketAddr,
    /// How tablets reach it.
    pub endpoint: Endpoint,
    target: Arc<Mutex<SocketAddr>>,
    faults: Arc<Mutex<VecDeque<Fault>>>,
    task: tokio::task::JoinHandle<()>,
}

async fn pipe(
    mut from: impl AsyncRead + Unpin,
    mut to: impl AsyncWrite + Unpin,
    fault: Fault,
    request: bool,
) {
    let mut buffer = vec![0u8; 16 * 1024];
    let mut forwarded = 0usize;
    loop {
        let n = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let limit = match fault {
            Fault::CutRequestAfter(limit) if request => Some(limit),
            Fault::CutResponseAfter(limit) if !request => Some(limit),
            Fault::DelayResponse(d) if !request => {
                tokio::time::sleep(d).await;
                None
            }
            _ => None,
        };
        let room = limit.map_or(n, |l| l.saturating_sub(forwarded).min(n));
        if room == 0 || to.write_all(&buffer[..room]).await.is_err() {
            break;
        }
        forwarded += room;
        if limit.is_some_and(|l| forwarded >= l) {
            break;
        }
    }
    let _ = to.shutdown().await;
}

/// TLS both ways around one connection.
#[derive(Clone)]
struct Tls {
    acceptor: TlsAcceptor,
    connector: TlsConnector,
}

async fn serve(client: TcpStream, target: SocketAddr, fault: Fault, tls: Tls) {
    if fault == Fault::Reset {
        return;
    }
    let Ok(client) = tls.acceptor.accept(client).await else {
        return;
    };
    let Ok(server) = TcpStream::connect(target).await else {
        return;
    };
    let name = rustls::pki_types::ServerName::from(target.ip());
    let Ok(server) = tls.connector.connect(name, server).await else {
        return;
    };
    let (client_read, client_write) = tokio::io::split(client);
    let (server_read, server_write) = tokio::io::split(server);
    let up = tokio::spawn(pipe(client_read, server_write, fault, true));
    let down = tokio::spawn(pipe(server_read, client_write, fault, false));
    let _ = tokio::join!(up, down);
}

impl Proxy {
    /// A proxy to the server at `target` (database `db`) on a free loopback port.
    pub async fn start(target: SocketAddr, db: &std::path::Path) -> Proxy {
        let server = identity(db);
        let fingerprint: Fingerprint = server.fingerprint();
        // HTTP/1.1 both ways, so a fault cuts one request's bytes, not
        // HTTP/2 frames of several.
        let http1 = vec![b"http/1.1".to_vec()];
        let mut accepting = (*server
            .server_config()
            .unwrap_or_else(|e| panic!("proxy tls: {e}")))
        .clone();
        accepting.alpn_protocols = http1.clone();
        let mut connecting = volant_core::sync::tls::client_config(Some(fingerprint))
            .unwrap_or_else(|e| panic!("proxy tls: {e}"));
        connecting.alpn_protocols = http1;
        let tls = Tls {
            acceptor: TlsAcceptor::from(std::sync::Arc::new(accepting)),
            connector: TlsConnector::from(std::sync::Arc::new(connecting)),
        };
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("proxy bind: {e}"));
        let addr = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("proxy addr: {e}"));
        let target = Arc::new(Mutex::new(target));
        let faults: Arc<Mutex<VecDeque<Fault>>> = Arc::default();
        let (t, f) = (Arc::clone(&target), Arc::clone(&faults));
        let endpoint = Endpoint::of(addr, db);
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let fault = f
                    .lock()
                    .map(|mut q| q.pop_front().unwrap_or(Fault::Pass))
                    .unwrap_or(Fault::Pass);
                let target = t.lock().map(|t| *t).unwrap_or_else(|e| *e.into_inner());
                tokio::spawn(serve(client, target, fault, tls.clone()));
            }
        });
        Proxy {
            addr,
            endpoint,
            target,
            faults,
            task,
        }
    }

    /// The URL tablets use.
    pub fn url(&self) -> String {
        self.endpoint.base.clone()
    }

    /// An invitation through the proxy with a fresh code of `kind` on `db`.
    pub fn invite(&self, db: &std::path::Path, kind: DeviceKind) -> String {
        self.endpoint.invite(db, kind)
    }

    /// Points the proxy at another server address (after a restart).
    pub fn retarget(&self, target: SocketAddr) {
        if let Ok(mut t) = self.target.lock() {
            *t = target;
        }
    }

    /// Queues a fault for the next new connection.
    pub fn inject(&self, fault: Fault) {
        if let Ok(mut q) = self.faults.lock() {
            q.push_back(fault);
        }
    }

    /// Forgets queued faults.
    pub fn clear(&self) {
        if let Ok(mut q) = self.faults.lock() {
            q.clear();
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}
