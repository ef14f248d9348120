//! A scripted HTTP/1.1 server over raw TCP, for the faults wiremock cannot
//! stage: a body cut off by a connection reset (or a clean close) part way,
//! an endless body, a `Range` request answered by hand.
//!
//! Each request is answered by a handler given the request's index (0 for
//! the first) and its head; connections are kept alive between complete
//! replies. The server stops when dropped.

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as received: method, target and headers (names lower-cased).
#[derive(Debug, Clone)]
pub struct RawRequest {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
}

impl RawRequest {
    /// The first value of a header, by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// How a reply ends after its cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// `SO_LINGER` 0 and close: the peer gets a TCP reset.
    Reset,
    /// A clean close (FIN) before the announced length was sent.
    Close,
}

/// What to send back.
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Arc<[u8]>,
    range: Range<usize>,
    content_length: Option<Option<u64>>,
    cut: Option<(usize, Cut)>,
    endless_chunked: bool,
    chunks: Option<usize>,
}

impl Reply {
    /// A reply with `status` and an empty body.
    pub fn new(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Arc::from(&[][..]),
            range: 0..0,
            content_length: None,
            cut: None,
            endless_chunked: false,
            chunks: None,
        }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Reply {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    /// The whole of `body` as the payload.
    pub fn body(mut self, body: Arc<[u8]>) -> Reply {
        self.range = 0..body.len();
        self.body = body;
        self
    }

    /// Only `range` of the body as the payload (shared, not copied).
    pub fn slice(mut self, range: Range<usize>) -> Reply {
        self.range = range;
        self
    }

    /// Announces this `Content-Length` (default: the payload's length);
    /// `None` sends none and ends the body by closing the connection.
    pub fn content_length(mut self, length: Option<u64>) -> Reply {
        self.content_length = Some(length);
        self
    }

    /// Stops after `bytes` of the payload, ending the connection by `cut`.
    pub fn cut_after(mut self, bytes: usize, cut: Cut) -> Reply {
        self.cut = Some((bytes, cut));
        self
    }

    /// The payload as a chunked body of `count` chunks (the last takes the
    /// remainder), written at once: the client reads one frame per chunk.
    pub fn in_chunks(mut self, count: usize) -> Reply {
        self.chunks = Some(count.max(1));
        self
    }

    /// A chunked body that repeats the payload until the peer goes away
    /// (at most 256 MiB).
    pub fn endless_chunked(mut self) -> Reply {
        self.endless_chunked = true;
        self
    }
}

type Handler = dyn Fn(usize, &RawRequest) -> Reply + Send + Sync;

/// The server; stops when dropped.
pub struct RawServer {
    addr: std::net::SocketAddr,
    requests: Arc<Mutex<Vec<RawRequest>>>,
    sent: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl RawServer {
    /// Starts a server on 127.0.0.1 answering with `handler`.
    pub async fn start(
        handler: impl Fn(usize, &RawRequest) -> Reply + Send + Sync + 'static,
    ) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let sent = Arc::new(AtomicU64::new(0));
        let handler: Arc<Handler> = Arc::new(handler);
        let task = {
            let (requests, sent) = (requests.clone(), sent.clone());
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    let (requests, sent, handler) =
                        (requests.clone(), sent.clone(), handler.clone());
                    tokio::spawn(serve(stream, requests, sent, handler));
                }
            })
        };
        RawServer {
            addr,
            requests,
            sent,
            task,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RawRequest> {
        self.requests.lock().expect("lock").clone()
    }

    /// Payload bytes written to sockets so far (all connections).
    pub fn body_bytes_sent(&self) -> u64 {
        self.sent.load(Ordering::SeqCst)
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut stream: TcpStream,
    requests: Arc<Mutex<Vec<RawRequest>>>,
    sent: Arc<AtomicU64>,
    handler: Arc<Handler>,
) {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_head(&mut stream, &mut buffer).await else {
            return;
        };
        let index = {
            let mut requests = requests.lock().expect("lock");
            requests.push(request.clone());
            requests.len() - 1
        };
        let reply = handler(index, &request);
        if !send(&mut stream, &reply, &sent).await {
            return;
        }
    }
}

/// Reads one request head (requests here carry no body).
async fn read_head(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<RawRequest> {
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
            buffer.drain(..end + 4);
            let mut lines = head.split("\r\n");
            let mut first = lines.next()?.split(' ');
            let (method, target) = (first.next()?.to_owned(), first.next()?.to_owned());
            let headers = lines
                .filter_map(|line| line.split_once(':'))
                .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
                .collect();
            return Some(RawRequest {
                method,
                target,
                headers,
            });
        }
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
}

/// Sends a reply; false when the connection is over.
async fn send(stream: &mut TcpStream, reply: &Reply, sent: &AtomicU64) -> bool {
    let payload = &reply.body[reply.range.clone()];
    let mut head = format!("HTTP/1.1 {} X\r\n", reply.status);
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let length = reply.content_length.unwrap_or(Some(payload.len() as u64));
    if reply.endless_chunked || reply.chunks.is_some() {
        head.push_str("transfer-encoding: chunked\r\n");
    } else if let Some(length) = length {
        head.push_str(&format!("content-length: {length}\r\n"));
    } else {
        head.push_str("connection: close\r\n");
    }
    head.push_str("\r\n");
    if stream.write_all(head.as_bytes()).await.is_err() {
        return false;
    }
    if let Some(count) = reply.chunks {
        let size = payload.len().div_ceil(count).max(1);
        let mut body = Vec::new();
        for piece in payload.chunks(size) {
            body.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
            body.extend_from_slice(piece);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b"0\r\n\r\n");
        sent.fetch_add(payload.len() as u64, Ordering::SeqCst);
        return stream.write_all(&body).await.is_ok();
    }
    if reply.endless_chunked {
        let mut total = 0usize;
        while total < 256 << 20 && !payload.is_empty() {
            let frame = format!("{:x}\r\n", payload.len());
            let ok = stream.write_all(frame.as_bytes()).await.is_ok()
                && stream.write_all(payload).await.is_ok()
                && stream.write_all(b"\r\n").await.is_ok();
            if !ok {
                return false;
            }
            total += payload.len();
            sent.fetch_add(payload.len() as u64, Ordering::SeqCst);
        }
        return false;
    }
    let until = reply
        .cut
        .map_or(payload.len(), |(n, _)| n.min(payload.len()));
    for piece in payload[..until].chunks(64 * 1024) {
        if stream.write_all(piece).await.is_err() {
            return false;
        }
        sent.fetch_add(piece.len() as u64, Ordering::SeqCst);
    }
    let _ = stream.flush().await;
    match reply.cut {
        Some((_, Cut::Reset)) => {
            let _ = stream.set_zero_linger();
            false
        }
        Some((_, Cut::Close)) => {
            let _ = stream.shutdown().await;
            false
        }
        None => length.is_some(),
    }
}
