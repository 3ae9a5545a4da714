//! A small TCP proxy on 127.0.0.1 between a tablet and the server, to inject
//! network faults: each new connection takes the next queued fault, or passes.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

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
    target: Arc<Mutex<SocketAddr>>,
    faults: Arc<Mutex<VecDeque<Fault>>>,
    task: tokio::task::JoinHandle<()>,
}

async fn pipe(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
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

async fn serve(client: TcpStream, target: SocketAddr, fault: Fault) {
    if fault == Fault::Reset {
        return;
    }
    let Ok(server) = TcpStream::connect(target).await else {
        return;
    };
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    let up = tokio::spawn(pipe(client_read, server_write, fault, true));
    let down = tokio::spawn(pipe(server_read, client_write, fault, false));
    let _ = tokio::join!(up, down);
}

impl Proxy {
    /// A proxy to `target` on a free loopback port.
    pub async fn start(target: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("proxy bind: {e}"));
        let addr = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("proxy addr: {e}"));
        let target = Arc::new(Mutex::new(target));
        let faults: Arc<Mutex<VecDeque<Fault>>> = Arc::default();
        let (t, f) = (Arc::clone(&target), Arc::clone(&faults));
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let fault = f
                    .lock()
                    .map(|mut q| q.pop_front().unwrap_or(Fault::Pass))
                    .unwrap_or(Fault::Pass);
                let target = t.lock().map(|t| *t).unwrap_or_else(|e| *e.into_inner());
                tokio::spawn(serve(client, target, fault));
            }
        });
        Proxy {
            addr,
            target,
            faults,
            task,
        }
    }

    /// The URL tablets use.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
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
