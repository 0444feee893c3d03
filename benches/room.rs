//! Load figures for the room: 30 seats on loopback in one process.
//!
//! `cargo bench --bench room [-- SEATS]` (release build) prints: the time from an inject's release to its
//! arrival at every seat (p50/p95/max), 100 forced disconnects per seat with what was lost or
//! duplicated, and the resident memory per open seat (server and client threads together).
//! Not a test (`cargo test` does not run it): figures are reported, never asserted on timing;
//! it exits with 1 if any seat lost, duplicated or reordered a message.
#![allow(
    clippy::disallowed_methods,
    clippy::format_push_string,
    clippy::similar_names
)]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use paraat::engine::Command;
use paraat::host::{Host, Source};
use paraat::journal::Session;
use paraat::library::Library;
use paraat::model::{Channel, Lang, load};
use paraat::projection::{self, Audience};
use paraat::room::Room;

fn join(room: &Room) -> String {
    let addr = room.addr();
    let body = format!("code={}&role=observer&name=load", room.code());
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "POST /join HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("write");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    let line = out
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .expect("cookie");
    line.split_once(':')
        .expect("header")
        .1
        .trim()
        .split(';')
        .next()
        .expect("pair")
        .to_owned()
}

/// An incremental reader of one chunked event stream.
struct Sse {
    s: TcpStream,
    raw: Vec<u8>,
    /// Dechunked text not yet split into events.
    text: String,
    head_done: bool,
    /// The server ended the response.
    ended: bool,
}

impl Sse {
    fn open(addr: SocketAddr, cookie: &str, last: Option<u64>) -> Sse {
        let mut s = TcpStream::connect(addr).expect("connect");
        let mut r = format!("GET /events HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n");
        if let Some(l) = last {
            r.push_str(&format!("Last-Event-ID: {l}\r\n"));
        }
        r.push_str("\r\n");
        s.write_all(r.as_bytes()).expect("write");
        s.set_read_timeout(Some(Duration::from_millis(200)))
            .expect("timeout");
        Sse {
            s,
            raw: Vec::new(),
            text: String::new(),
            head_done: false,
            ended: false,
        }
    }

    /// Reads what is there; returns the message event ids completed, with the arrival time.
    fn poll(&mut self) -> Vec<(u64, Instant)> {
        let mut buf = [0u8; 8192];
        match self.s.read(&mut buf) {
            Ok(0) => {
                self.ended = true;
                return Vec::new();
            }
            Ok(n) => self.raw.extend_from_slice(&buf[..n]),
            Err(_) => return Vec::new(),
        }
        let now = Instant::now();
        if !self.head_done {
            let Some(p) = self.raw.windows(4).position(|w| w == b"\r\n\r\n") else {
                return Vec::new();
            };
            self.raw.drain(..p + 4);
            self.head_done = true;
        }
        // Dechunk complete chunks.
        while let Some(p) = self.raw.windows(2).position(|w| w == b"\r\n") {
            let Ok(n) = usize::from_str_radix(&String::from_utf8_lossy(&self.raw[..p]), 16) else {
                break;
            };
            if n == 0 {
                // The last chunk: the response is over (and the server said Connection: close).
                self.ended = true;
                break;
            }
            if self.raw.len() < p + 2 + n + 2 {
                break;
            }
            self.text
                .push_str(&String::from_utf8_lossy(&self.raw[p + 2..p + 2 + n]));
            self.raw.drain(..p + 2 + n + 2);
        }
        let mut ids = Vec::new();
        while let Some(p) = self.text.find("\n\n") {
            let ev: String = self.text.drain(..p + 2).collect();
            if ev.contains("event: message")
                && let Some(id) = ev.lines().find_map(|l| l.strip_prefix("id: "))
            {
                ids.push((id.parse().expect("id"), now));
            }
        }
        ids
    }
}

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
        })
        .unwrap_or(0)
}

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn message_ids(h: &Host) -> Vec<u64> {
    let v = h.view();
    let ctx = v.sim().ctx().clone();
    projection::messages(v.entries(), &ctx, Audience::Control, Lang::En)
        .map(|m| m.seq)
        .collect()
}

fn main() {
    // `cargo bench` passes `--bench`; the first number is the seat count.
    let seats: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(30);
    let dir = tempfile::tempdir().expect("tmp");
    let lib = Library::load(&[load::builtin_dir()]);
    let ex = lib.find("station-shooting").expect("scenario");
    let h = Host::new(
        Session::create(ex, 1, Vec::new(), &dir.path().join("j.jsonl")).expect("session"),
    );
    h.submit(&Source::Console, Command::Start).expect("start");
    let room = Room::open(h.clone(), "127.0.0.1:0").expect("room");
    let addr = room.addr();
    let cookies: Vec<String> = (0..seats).map(|_| join(&room)).collect();

    // Phase 1: release latency.
    let rss0 = rss_kb();
    let stop = Arc::new(AtomicBool::new(false));
    let start_len = h.len() as u64;
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let heads = Arc::new(Mutex::new(Vec::new()));
    let clients: Vec<_> = cookies
        .iter()
        .map(|c| {
            let (c, stop, arrivals, heads) =
                (c.clone(), stop.clone(), arrivals.clone(), heads.clone());
            std::thread::spawn(move || {
                let t0 = Instant::now();
                let mut sse = Sse::open(addr, &c, Some(start_len));
                let mut mine = Vec::new();
                let mut first = None;
                let mut head_at = None;
                let mut last = start_len;
                while !stop.load(Ordering::SeqCst) {
                    for (id, t) in sse.poll() {
                        mine.push((id, t));
                        last = id;
                    }
                    if sse.head_done && first.is_none() {
                        first = Some(t0.elapsed());
                        head_at = Some(Instant::now());
                    }
                    if sse.ended {
                        // As a browser does: reconnect, resuming after the last event.
                        sse = Sse::open(addr, &c, Some(last));
                    }
                }
                heads.lock().expect("lock").push(first);
                arrivals.lock().expect("lock").push((mine, head_at));
            })
        })
        .collect();
    let wait = Instant::now();
    while room.seats().iter().filter(|s| s.connected).count() < seats
        && wait.elapsed() < Duration::from_secs(5)
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    let rss1 = rss_kb();
    let connected = room.seats().iter().filter(|s| s.connected).count();
    let mut released: BTreeMap<u64, Instant> = BTreeMap::new();
    for _ in 0..20 {
        let before = h.len();
        let t = Instant::now();
        if h.submit(&Source::Console, Command::JumpToNextInject)
            .is_err()
        {
            break;
        }
        let v = h.view();
        let ctx = v.sim().ctx().clone();
        for m in projection::messages(&v.entries()[before..], &ctx, Audience::Control, Lang::En) {
            released.insert(m.seq, t);
        }
        drop(v);
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(500));
    stop.store(true, Ordering::SeqCst);
    for c in clients {
        c.join().expect("client");
    }
    let mut first: Vec<Duration> = heads
        .lock()
        .expect("lock")
        .iter()
        .flatten()
        .copied()
        .collect();
    if !first.is_empty() {
        println!(
            "stream opened (connect → response head): p50 {:?}, max {:?}",
            pct(&mut first, 0.5),
            pct(&mut first, 1.0)
        );
    }
    let mut lat = Vec::new();
    // Only the seats whose stream was open before the first release: the push itself.
    let mut live = Vec::new();
    let mut missing = 0;
    let first_release = released.values().min().copied();
    for (mine, head_at) in arrivals.lock().expect("lock").iter() {
        let got: BTreeMap<u64, Instant> = mine.iter().copied().collect();
        let was_open = matches!((head_at, first_release), (Some(h), Some(r)) if *h < r);
        for (seq, t0) in &released {
            match got.get(seq) {
                Some(t) => {
                    lat.push(t.duration_since(*t0));
                    if was_open {
                        live.push(t.duration_since(*t0));
                    }
                }
                None => missing += 1,
            }
        }
    }
    println!(
        "seats: {seats} ({connected} connected); messages released: {}; deliveries: {} (missing {missing})",
        released.len(),
        lat.len()
    );
    if !lat.is_empty() {
        println!(
            "release → arrival: p50 {:?}, p95 {:?}, max {:?}",
            pct(&mut lat, 0.5),
            pct(&mut lat, 0.95),
            pct(&mut lat, 1.0)
        );
    }
    if !live.is_empty() {
        println!(
            "release → arrival, seats already connected: p50 {:?}, p95 {:?}, max {:?} ({} deliveries)",
            pct(&mut live, 0.5),
            pct(&mut live, 0.95),
            pct(&mut live, 1.0),
            live.len()
        );
    }
    let desk = {
        let mut s = TcpStream::connect(addr).expect("connect");
        write!(
            s,
            "GET /desk HTTP/1.1\r\nHost: {addr}\r\nCookie: {}\r\nConnection: close\r\n\r\n",
            cookies[0]
        )
        .expect("write");
        let mut out = String::new();
        s.read_to_string(&mut out).expect("read");
        out.split_once("\r\n\r\n").map_or(0, |(_, b)| b.len())
    };
    println!(
        "observer desk after {} messages: {desk} bytes",
        message_ids(&h).len()
    );
    println!(
        "resident memory: {} KiB before the streams, {} KiB with {seats} open: {:.0} KiB per seat (server + client thread)",
        rss0,
        rss1,
        (rss1.saturating_sub(rss0)) as f64 / seats as f64
    );

    // Phase 2: 100 forced disconnects per seat while messages keep coming.
    let from = *message_ids(&h).last().unwrap_or(&0);
    let feeding = Arc::new(AtomicBool::new(true));
    let feeder = {
        let (h, feeding) = (h.clone(), feeding.clone());
        let roles = h.view().sim().ctx().scenario.roles.clone();
        std::thread::spawn(move || {
            for i in 0..150 {
                h.submit(
                    &Source::Console,
                    Command::AdHocInject {
                        to: roles.clone(),
                        channel: Channel::Phone,
                        title: format!("load {i}"),
                        body: "x".into(),
                    },
                )
                .expect("ad hoc");
                std::thread::sleep(Duration::from_millis(15));
            }
            feeding.store(false, Ordering::SeqCst);
        })
    };
    let results: Vec<_> = cookies
        .iter()
        .map(|c| {
            let (c, feeding) = (c.clone(), feeding.clone());
            std::thread::spawn(move || {
                let mut got: Vec<u64> = Vec::new();
                let mut reconnects = 0;
                let mut last = from;
                let mut idle_after_feed = 0;
                loop {
                    let mut sse = Sse::open(addr, &c, Some(last));
                    // Read until at least one new event, then drop the connection mid-stream.
                    let t = Instant::now();
                    let mut n = 0;
                    while n == 0 && t.elapsed() < Duration::from_millis(400) {
                        for (id, _) in sse.poll() {
                            got.push(id);
                            last = id;
                            n += 1;
                        }
                    }
                    drop(sse);
                    reconnects += 1;
                    if !feeding.load(Ordering::SeqCst) {
                        idle_after_feed += usize::from(n == 0);
                        if reconnects >= 100 && idle_after_feed >= 2 {
                            break;
                        }
                    }
                }
                (reconnects, got)
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().expect("client"))
        .collect();
    feeder.join().expect("feeder");
    let want: Vec<u64> = message_ids(&h).into_iter().filter(|s| *s > from).collect();
    let mut ok = 0;
    let mut min_reconnects = usize::MAX;
    for (r, got) in &results {
        min_reconnects = min_reconnects.min(*r);
        let dups = got.len() - {
            let mut g = got.clone();
            g.dedup();
            g.len()
        };
        if *got == want {
            ok += 1;
        } else {
            println!(
                "seat differs: got {} events, want {}, duplicates {dups}",
                got.len(),
                want.len()
            );
        }
    }
    println!(
        "forced disconnects: at least {min_reconnects} per seat; {ok}/{} seats received exactly the {} messages, in order, no duplicates",
        results.len(),
        want.len()
    );
    room.close();
    if ok != results.len() || missing > 0 {
        std::process::exit(1);
    }
}
