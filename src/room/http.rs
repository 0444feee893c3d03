//! A small blocking HTTP/1.1 server: one thread per connection (a room has tens of devices),
//! request heads parsed by `httparse`, bodies by `Content-Length` only, keep-alive between
//! requests. A handler answers with [`Request::respond`] or takes the connection over for a
//! pushed stream with [`Request::into_writer`].

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
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

/// One request, with the connection to answer on.
pub struct Request {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    remote: SocketAddr,
    body: Vec<u8>,
    out: TcpStream,
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
    pub fn into_writer(mut self) -> Option<TcpStream> {
        self.answered = true;
        self.close = true;
        self.out.try_clone().ok()
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

/// Serves `listener` until `closed()` says so: a thread per connection, `handle` per request.
pub fn serve(
    listener: &TcpListener,
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
                std::thread::spawn(move || {
                    connection(s, remote, &*handle, &*closed);
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
    remote: SocketAddr,
    handle: &(dyn Fn(Request) + Send + Sync),
    closed: &(dyn Fn() -> bool + Send + Sync),
) {
    let _ = s.set_read_timeout(Some(READ_SLICE));
    let _ = s.set_nodelay(true);
    let Ok(out) = s.try_clone() else { return };
    let mut r = BufReader::new(s);
    loop {
        let Some(head) = read_head(&mut r, closed) else {
            return;
        };
        let mut hs = [httparse::EMPTY_HEADER; 64];
        let mut req = httparse::Request::new(&mut hs);
        let Ok(httparse::Status::Complete(_)) = req.parse(&head) else {
            let _ = (&out).write_all(
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
            let _ = (&out).write_all(
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
        let Ok(out2) = out.try_clone() else { return };
        let ends = Arc::new(AtomicBool::new(close));
        let rq = Request {
            method: req.method.unwrap_or("").to_ascii_uppercase(),
            url: req.path.unwrap_or("/").to_owned(),
            headers,
            remote,
            body,
            out: out2,
            close,
            answered: false,
            ends: ends.clone(),
        };
        handle(rq);
        if ends.load(Ordering::SeqCst) {
            let _ = out.shutdown(std::net::Shutdown::Both);
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
    r: &mut BufReader<TcpStream>,
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
    r: &mut BufReader<TcpStream>,
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
