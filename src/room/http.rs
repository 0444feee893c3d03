//! A small blocking HTTP/1.1 server: one thread per connection (a room has tens of devices),
//! request heads parsed by `httparse`, bodies by `Content-Length` only, keep-alive between
//! requests. A handler answers with [`Request::respond`] or takes the connection over for a
//! pushed stream with [`Request::into_writer`]. A connection is plain TCP or, when the room
//! has a certificate, TLS (rustls) over TCP.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// The largest request head accepted.
const MAX_HEAD: usize = 16 * 1024;
/// The largest request body accepted.
const MAX_BODY: usize = 64 * 1024;
/// Connections served at once; beyond it, new ones are turned away.
const MAX_CONNECTIONS: usize = 512;
/// How long a read waits before checking whether the server is closing.
const READ_SLICE: Duration = Duration::from_millis(500);
/// How long an idle kept-alive connection is kept.
const IDLE: Duration = Duration::from_secs(30);

/// A connection's transport.
enum Conn {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ServerConnection, TcpStream>>),
}

/// A connection, shared by the request reader and the handler that answers on it. A TLS
/// stream cannot be split into independent halves, so both share it behind a lock; they take
/// turns on the connection's one thread (a request is read, then answered or streamed, then
/// the next is read), so the lock is never contended.
#[derive(Clone)]
pub struct Stream(Arc<Mutex<Conn>>);

impl Stream {
    fn lock(&self) -> std::sync::MutexGuard<'_, Conn> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Ends the connection (with a TLS `close_notify` first).
    fn shutdown(&self) {
        match &mut *self.lock() {
            Conn::Plain(s) => {
                let _ = s.shutdown(std::net::Shutdown::Both);
            }
            Conn::Tls(t) => {
                t.conn.send_close_notify();
                let _ = t.flush();
                let _ = t.sock.shutdown(std::net::Shutdown::Both);
            }
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match &mut *self.lock() {
            Conn::Plain(s) => s.read(buf),
            Conn::Tls(t) => t.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut *self.lock() {
            Conn::Plain(s) => s.write(buf),
            Conn::Tls(t) => t.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match &mut *self.lock() {
            Conn::Plain(s) => s.flush(),
            Conn::Tls(t) => t.flush(),
        }
    }
}

/// One request, with the connection to answer on.
pub struct Request {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    remote: SocketAddr,
    body: Vec<u8>,
    out: Stream,
    /// Whether the connection ends after this request.
    close: bool,
    answered: bool,
    /// Set when the request goes and the connection must end.
    ends: Arc<AtomicBool>,
}

impl Request {
    /// The method, upper case.
    pub fn method(&self) -> &str {
        &self.method
    }
    /// The request target (path and query).
    pub fn url(&self) -> &str {
        &self.url
    }
    /// A header's value (the first, by case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// The client's address.
    pub fn remote_addr(&self) -> SocketAddr {
        self.remote
    }
    /// The body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Answers with a complete response.
    pub fn respond(mut self, status: u16, headers: &[(String, String)], body: &[u8]) {
        let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
        for (k, v) in headers {
            // No header splitting: values are ours, but never let a line break through.
            let v: String = v.chars().filter(|c| *c != '\r' && *c != '\n').collect();
            head.push_str(k);
            head.push_str(": ");
            head.push_str(&v);
            head.push_str("\r\n");
        }
        head.push_str("Content-Length: ");
        head.push_str(&body.len().to_string());
        head.push_str("\r\n");
        if self.close {
            head.push_str("Connection: close\r\n");
        }
        head.push_str("\r\n");
        let ok = self
            .out
            .write_all(head.as_bytes())
            .and_then(|()| self.out.write_all(body))
            .and_then(|()| self.out.flush());
        if ok.is_err() {
            self.close = true;
        }
        self.answered = true;
    }

    /// Takes the connection over (for a pushed stream); it is closed when the writer goes.
    pub fn into_writer(mut self) -> Stream {
        self.answered = true;
        self.close = true;
        self.out.clone()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        303 => "See Other",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Serves `listener` until `closed()` says so: a thread per connection, `handle` per request;
/// over TLS when `tls` is given.
pub fn serve(
    listener: &TcpListener,
    tls: Option<&Arc<rustls::ServerConfig>>,
    handle: &Arc<dyn Fn(Request) + Send + Sync>,
    closed: &Arc<dyn Fn() -> bool + Send + Sync>,
) {
    let live = Arc::new(AtomicUsize::new(0));
    if listener.set_nonblocking(true).is_err() {
        return;
    }
    while !closed() {
        match listener.accept() {
            Ok((s, remote)) => {
                let _ = s.set_nonblocking(false);
                if live.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
                    drop(s);
                    continue;
                }
                live.fetch_add(1, Ordering::SeqCst);
                let (live, handle, closed) = (live.clone(), handle.clone(), closed.clone());
                let tls = tls.cloned();
                std::thread::spawn(move || {
                    connection(s, tls, remote, &*handle, &*closed);
                    live.fetch_sub(1, Ordering::SeqCst);
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

fn connection(
    s: TcpStream,
    tls: Option<Arc<rustls::ServerConfig>>,
    remote: SocketAddr,
    handle: &(dyn Fn(Request) + Send + Sync),
    closed: &(dyn Fn() -> bool + Send + Sync),
) {
    let _ = s.set_read_timeout(Some(READ_SLICE));
    let _ = s.set_nodelay(true);
    // Over TLS the handshake happens on the first read, in slices like every read, so that a
    // client that never completes it (or speaks plain HTTP: rustls refuses it) ends cleanly.
    let conn = match tls {
        None => Conn::Plain(s),
        Some(cfg) => match rustls::ServerConnection::new(cfg) {
            Ok(c) => Conn::Tls(Box::new(rustls::StreamOwned::new(c, s))),
            Err(_) => return,
        },
    };
    let mut out = Stream(Arc::new(Mutex::new(conn)));
    let mut r = BufReader::new(out.clone());
    loop {
        let Some(head) = read_head(&mut r, closed) else {
            return;
        };
        let mut hs = [httparse::EMPTY_HEADER; 64];
        let mut req = httparse::Request::new(&mut hs);
        let Ok(httparse::Status::Complete(_)) = req.parse(&head) else {
            let _ = out.write_all(
                b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
            return;
        };
        let headers: Vec<(String, String)> = req
            .headers
            .iter()
            .map(|h| {
                (
                    h.name.to_owned(),
                    String::from_utf8_lossy(h.value).into_owned(),
                )
            })
            .collect();
        let get = |n: &str| {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(n))
                .map(|(_, v)| v.as_str())
        };
        let len: usize = get("Content-Length")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        let chunked = get("Transfer-Encoding").is_some();
        if len > MAX_BODY || chunked {
            let _ = out.write_all(
                b"HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
            return;
        }
        let mut body = vec![0u8; len];
        if read_exact(&mut r, &mut body, closed).is_none() {
            return;
        }
        let close = get("Connection").is_some_and(|v| v.eq_ignore_ascii_case("close"))
            || req.version == Some(0);
        let ends = Arc::new(AtomicBool::new(close));
        let rq = Request {
            method: req.method.unwrap_or("").to_ascii_uppercase(),
            url: req.path.unwrap_or("/").to_owned(),
            headers,
            remote,
            body,
            out: out.clone(),
            close,
            answered: false,
            ends: ends.clone(),
        };
        handle(rq);
        if ends.load(Ordering::SeqCst) {
            out.shutdown();
            return;
        }
    }
}

impl Drop for Request {
    fn drop(&mut self) {
        if !self.answered || self.close {
            self.ends.store(true, Ordering::SeqCst);
        }
    }
}

fn read_head(
    r: &mut BufReader<Stream>,
    closed: &(dyn Fn() -> bool + Send + Sync),
) -> Option<Vec<u8>> {
    let mut head = Vec::new();
    let mut idle = Duration::ZERO;
    loop {
        let mut line = Vec::new();
        loop {
            match r.read_until(b'\n', &mut line) {
                Ok(0) => return None,
                Ok(_) => break,
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    idle += READ_SLICE;
                    if closed() || idle >= IDLE {
                        return None;
                    }
                }
                Err(_) => return None,
            }
        }
        if head.is_empty() && (line == b"\r\n" || line == b"\n") {
            continue; // stray empty lines between requests
        }
        head.extend_from_slice(&line);
        if head.len() > MAX_HEAD {
            return None;
        }
        if line == b"\r\n" || line == b"\n" {
            return Some(head);
        }
    }
}

fn read_exact(
    r: &mut BufReader<Stream>,
    buf: &mut [u8],
    closed: &(dyn Fn() -> bool + Send + Sync),
) -> Option<()> {
    let mut at = 0;
    while at < buf.len() {
        match r.read(&mut buf[at..]) {
            Ok(0) => return None,
            Ok(n) => at += n,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                if closed() {
                    return None;
                }
            }
            Err(_) => return None,
        }
    }
    Some(())
}
