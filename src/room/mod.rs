//! The room: an HTTP server embedded in Paraat, so that every partner plays their own role from
//! their own device, and evaluators record observations from a phone.
//!
//! Core code (no egui): a [`Room`] is opened on a [`Host`] and an address the caller chooses;
//! nothing listens before, and [`Room::close`] stops it and forgets every seat. The server never
//! changes the exercise except through the host; what a seat may see is decided here, on the
//! server, through [`crate::projection`].
//!
//! Pages are plain server-rendered HTML that work without JavaScript (forms post and redirect
//! back); a small script file adds live updates over Server-Sent Events (`/events`), whose event
//! ids are journal sequence numbers, so a reconnecting browser resumes exactly where it left off.
//!
//! Security: seat tokens are 256-bit random values in `HttpOnly; SameSite=Strict` cookies;
//! the join code allows a limited number of wrong attempts per client address; every POST must
//! carry an `Origin` (or `Referer`) naming the same host; every response forbids loading anything
//! from elsewhere (`Content-Security-Policy: default-src 'self'`); all text is HTML-escaped. The
//! facilitator page lives on a separate long random path.

mod http;
mod pages;

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use http::Request;

use crate::engine::Command;
use crate::host::{Host, HostError, Source};
use crate::model::{Lang, RoleId};

/// Wrong join codes allowed per client address before it is refused for the room's lifetime.
pub const JOIN_ATTEMPTS: u32 = 10;
/// How often an idle stream sends a comment, so that a dead connection is noticed.
const KEEPALIVE: Duration = Duration::from_secs(15);
/// How long a stream waits for news before checking whether its seat or room is still there.
const WAIT_SLICE: Duration = Duration::from_millis(500);
/// The cookie holding the seat token.
const COOKIE: &str = "paraat_seat";
/// Every response's security headers.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// A seat: one device (a person or a small team) at one role, or an observer.
#[derive(Debug, Clone)]
struct Seat {
    label: String,
    name: String,
    /// `None` for an observer.
    role: Option<RoleId>,
    lang: Lang,
    last_seen: Instant,
    /// Open pushed streams.
    streams: u32,
}

#[derive(Debug, Default)]
struct State {
    /// By token.
    seats: BTreeMap<String, Seat>,
    /// Wrong join codes by client address.
    attempts: HashMap<IpAddr, u32>,
    locked: bool,
    next_label: u32,
}

struct Inner {
    host: Host,
    /// The port listened on (for the `Host` check).
    port: u16,
    code: String,
    secret: String,
    state: Mutex<State>,
    closed: AtomicBool,
}

impl Inner {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }
}

/// A seat as the facilitator sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatInfo {
    /// The seat label (journaled as actor `seat:LABEL`).
    pub label: String,
    /// The display name the participant gave.
    pub name: String,
    /// The role, or `None` for an observer.
    pub role: Option<String>,
    /// Whether a live stream is open.
    pub connected: bool,
    /// Seconds since the seat was last heard from.
    pub last_seen_secs: u64,
}

/// An open room. Close it with [`Room::close`] (dropping it closes it too).
pub struct Room {
    inner: Arc<Inner>,
    addr: SocketAddr,
    workers: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for Room {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Room")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

/// The wall clock, for "last seen" on the facilitator's seat list only; it never reaches the
/// exercise (the room is a front end, like the desktop app).
#[allow(clippy::disallowed_methods)]
fn wall_now() -> Instant {
    Instant::now()
}

/// `n` random bytes as lowercase hex, from the operating system's CSPRNG.
fn random_hex(n: usize) -> Result<String, String> {
    let mut b = vec![0u8; n];
    getrandom::fill(&mut b).map_err(|e| format!("no random numbers from the system: {e}"))?;
    Ok(b.iter().fold(String::with_capacity(2 * n), |mut s, x| {
        use std::fmt::Write as _;
        let _ = write!(s, "{x:02x}");
        s
    }))
}

/// A 6-digit join code.
fn join_code() -> Result<String, String> {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).map_err(|e| format!("no random numbers from the system: {e}"))?;
    Ok(format!("{:06}", u64::from_le_bytes(b) % 1_000_000))
}

impl Room {
    /// Opens a room for `host`, listening on `bind` (e.g. `192.168.1.10:8080`; port 0 picks a
    /// free port, see [`Room::addr`]).
    pub fn open(host: Host, bind: &str) -> Result<Room, String> {
        let listener = std::net::TcpListener::bind(bind)
            .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
        let inner = Arc::new(Inner {
            host,
            port: addr.port(),
            code: join_code()?,
            secret: random_hex(32)?,
            state: Mutex::new(State::default()),
            closed: AtomicBool::new(false),
        });
        let handler: Arc<dyn Fn(Request) + Send + Sync> = {
            let inner = inner.clone();
            Arc::new(move |rq| handle(&inner, rq))
        };
        let closed: Arc<dyn Fn() -> bool + Send + Sync> = {
            let inner = inner.clone();
            Arc::new(move || inner.closed())
        };
        let workers = vec![std::thread::spawn(move || {
            http::serve(&listener, &handler, &closed);
        })];
        Ok(Room {
            inner,
            addr,
            workers,
        })
    }

    /// The address the room listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The join address to give participants.
    pub fn join_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The join code.
    pub fn code(&self) -> &str {
        &self.inner.code
    }

    /// The facilitator page's secret path (`/f/…/`): whoever has it controls the exercise.
    pub fn facilitator_path(&self) -> String {
        format!("/f/{}/", self.inner.secret)
    }

    /// The seats, in joining order.
    pub fn seats(&self) -> Vec<SeatInfo> {
        seat_infos(&self.inner.state())
    }

    /// Revokes a seat: its token stops working and its stream ends.
    pub fn revoke(&self, label: &str) {
        self.inner.state().seats.retain(|_, s| s.label != label);
    }

    /// Locks (or unlocks) the room: no new seats while locked.
    pub fn lock(&self, locked: bool) {
        self.inner.state().locked = locked;
    }

    /// Stops listening, ends every stream and forgets every seat token. The exercise goes on.
    pub fn close(mut self) {
        self.shut();
    }

    fn shut(&mut self) {
        self.inner.closed.store(true, Ordering::SeqCst);
        self.inner.state().seats.clear();
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
    }
}

impl Drop for Room {
    fn drop(&mut self) {
        self.shut();
    }
}

fn seat_infos(st: &State) -> Vec<SeatInfo> {
    let mut v: Vec<_> = st.seats.values().collect();
    v.sort_by_key(|s| {
        s.label
            .rsplit('-')
            .next()
            .and_then(|n| n.parse::<u32>().ok())
    });
    v.into_iter()
        .map(|s| SeatInfo {
            label: s.label.clone(),
            name: s.name.clone(),
            role: s.role.as_ref().map(|r| r.as_str().to_owned()),
            connected: s.streams > 0,
            last_seen_secs: s.last_seen.elapsed().as_secs(),
        })
        .collect()
}

type Header = (String, String);

/// A response with the room's security headers.
#[allow(clippy::needless_pass_by_value)] // Bodies are built for the response and end here.
fn respond(rq: Request, status: u16, ctype: &str, body: String, extra: Vec<Header>) {
    let mut h = vec![
        header("Content-Type", ctype),
        header("Content-Security-Policy", CSP),
        header("X-Content-Type-Options", "nosniff"),
        header("Referrer-Policy", "same-origin"),
        header("Cache-Control", "no-store"),
    ];
    h.extend(extra);
    rq.respond(status, &h, body.as_bytes());
}

fn header(name: &str, value: &str) -> Header {
    (name.to_owned(), value.to_owned())
}

fn html(rq: Request, status: u16, body: String) {
    respond(rq, status, "text/html; charset=utf-8", body, Vec::new());
}

fn redirect(rq: Request, to: &str, extra: Vec<Header>) {
    let mut h = vec![header("Location", to)];
    h.extend(extra);
    respond(rq, 303, "text/plain; charset=utf-8", String::new(), h);
}

fn head<'a>(rq: &'a Request, name: &str) -> Option<&'a str> {
    rq.header(name)
}

fn cookie_token(rq: &Request) -> Option<String> {
    head(rq, "Cookie")?.split(';').find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == COOKIE && !v.is_empty()).then(|| v.to_owned())
    })
}

/// Whether a state-changing request comes from a page of this room: its `Origin` (or, failing
/// that, `Referer`) must be `http://` + the `Host` it was sent to.
fn same_origin(rq: &Request) -> bool {
    let Some(host) = head(rq, "Host") else {
        return false;
    };
    let want = format!("http://{host}");
    match (head(rq, "Origin"), head(rq, "Referer")) {
        (Some(o), _) => o == want,
        (None, Some(r)) => r == want || r.starts_with(&format!("{want}/")),
        (None, None) => false,
    }
}

/// Whether a request's `Host` names this room: an IP address (or `localhost`) with the room's
/// port. A host name is refused, so that a page whose name an attacker re-points at the room's
/// address (DNS rebinding) cannot read or post to it.
fn host_allowed(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else { return false };
    if let Ok(a) = host.parse::<SocketAddr>() {
        return a.port() == port;
    }
    host == format!("localhost:{port}")
}

fn form(rq: &Request) -> BTreeMap<String, String> {
    form_urlencoded::parse(rq.body()).into_owned().collect()
}

fn split_url(url: &str) -> (&str, BTreeMap<String, String>) {
    match url.split_once('?') {
        Some((p, q)) => (
            p,
            form_urlencoded::parse(q.as_bytes()).into_owned().collect(),
        ),
        None => (url, BTreeMap::new()),
    }
}

fn lang_of(s: Option<&String>) -> Option<Lang> {
    match s.map(String::as_str) {
        Some("nl") => Some(Lang::Nl),
        Some("en") => Some(Lang::En),
        _ => None,
    }
}

/// The seat behind a request's cookie (and marks it seen).
fn seat_of(inner: &Inner, rq: &Request) -> Option<(String, Seat)> {
    let token = cookie_token(rq)?;
    let mut st = inner.state();
    let seat = st.seats.get_mut(&token)?;
    seat.last_seen = wall_now();
    Some((token, seat.clone()))
}

fn handle(inner: &Arc<Inner>, rq: Request) {
    let url = rq.url().to_owned();
    let (path, query) = split_url(&url);
    let post = rq.method() == "POST";
    if !host_allowed(rq.header("Host"), inner.port) {
        return html(
            rq,
            403,
            pages::plain(
                Lang::En,
                "403",
                "Forbidden: open the room by its IP address.",
            ),
        );
    }
    if post && !same_origin(&rq) {
        return html(
            rq,
            403,
            pages::plain(Lang::En, "403", "Forbidden: cross-origin request."),
        );
    }
    let fac = format!("/f/{}/", inner.secret);
    if let Some(rest) = path.strip_prefix(&fac) {
        return facilitator(
            inner,
            rq,
            rest,
            post,
            query.get("error").map(String::as_str),
        );
    }
    match (path, post) {
        ("/room.js", false) => respond(
            rq,
            200,
            "text/javascript; charset=utf-8",
            pages::SCRIPT.to_owned(),
            Vec::new(),
        ),
        ("/room.css", false) => respond(
            rq,
            200,
            "text/css; charset=utf-8",
            pages::STYLE.to_owned(),
            Vec::new(),
        ),
        ("/", false) => {
            if seat_of(inner, &rq).is_some() {
                return redirect(rq, "/desk", Vec::new());
            }
            let lang = lang_of(query.get("lang")).unwrap_or_default();
            let body = pages::join(&inner.host, lang, None);
            html(rq, 200, body);
        }
        ("/join", true) => join(inner, rq),
        ("/desk", false) => {
            let Some((token, mut seat)) = seat_of(inner, &rq) else {
                return redirect(rq, "/", Vec::new());
            };
            if let Some(l) = lang_of(query.get("lang")) {
                seat.lang = l;
                if let Some(s) = inner.state().seats.get_mut(&token) {
                    s.lang = l;
                }
            }
            let notice = query.get("r").map(String::as_str);
            let body = pages::desk(
                &inner.host,
                &seat,
                notice,
                &random_hex(16).unwrap_or_default(),
            );
            html(rq, 200, body);
        }
        ("/decide" | "/action" | "/observe", true) => {
            let Some((_, seat)) = seat_of(inner, &rq) else {
                return html(
                    rq,
                    403,
                    pages::plain(Lang::En, "403", "No seat: join first."),
                );
            };
            let f = form(&rq);
            let r = submit(inner, &seat, path, &f);
            redirect(rq, &format!("/desk?r={r}"), Vec::new());
        }
        ("/leave", true) => {
            if let Some(t) = cookie_token(&rq) {
                inner.state().seats.remove(&t);
            }
            redirect(
                rq,
                "/",
                vec![header(
                    "Set-Cookie",
                    &format!("{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
                )],
            );
        }
        ("/events", false) => {
            let Some((token, seat)) = seat_of(inner, &rq) else {
                return respond(rq, 403, "text/plain", "join first".into(), Vec::new());
            };
            let after = head(&rq, "Last-Event-ID")
                .and_then(|v| v.trim().parse::<usize>().ok())
                .or_else(|| query.get("after").and_then(|v| v.parse().ok()))
                .unwrap_or(0);
            // This is the connection's own thread: the stream lives on it.
            stream(inner, rq, &token, &seat, after);
        }
        _ => html(rq, 404, pages::plain(Lang::En, "404", "Not found.")),
    }
}

fn join(inner: &Inner, rq: Request) {
    let ip = Some(rq.remote_addr().ip());
    let f = form(&rq);
    let lang = lang_of(f.get("lang")).unwrap_or_default();
    let mut st = inner.state();
    let tries = ip.and_then(|ip| st.attempts.get(&ip).copied()).unwrap_or(0);
    if tries >= JOIN_ATTEMPTS {
        drop(st);
        let msg = crate::i18n::tr(
            lang,
            "Te veel verkeerde codes. Vraag de oefenleiding.",
            "Too many wrong codes. Ask exercise control.",
        );
        return html(rq, 429, pages::plain(lang, "429", msg));
    }
    if st.locked {
        drop(st);
        let msg = crate::i18n::tr(lang, "De ruimte is gesloten.", "The room is locked.");
        return html(rq, 403, pages::plain(lang, "403", msg));
    }
    if f.get("code").map(|c| c.trim()) != Some(inner.code.as_str()) {
        if let Some(ip) = ip {
            *st.attempts.entry(ip).or_default() += 1;
        }
        drop(st);
        let msg = crate::i18n::tr(lang, "Verkeerde code.", "Wrong code.");
        let body = pages::join(&inner.host, lang, Some(msg));
        return html(rq, 403, body);
    }
    let roles = inner.host.view().sim().ctx().scenario.roles.clone();
    let role = match f.get("role").map(String::as_str) {
        Some("observer") => None,
        Some(r) if roles.iter().any(|x| x.as_str() == r) => Some(RoleId::from(r)),
        _ => {
            drop(st);
            let msg = crate::i18n::tr(lang, "Kies een rol.", "Choose a role.");
            let body = pages::join(&inner.host, lang, Some(msg));
            return html(rq, 400, body);
        }
    };
    let Ok(token) = random_hex(32) else {
        drop(st);
        return html(rq, 500, pages::plain(lang, "500", "No random numbers."));
    };
    st.next_label += 1;
    let label = format!(
        "{}-{}",
        role.as_ref().map_or("observer", RoleId::as_str),
        st.next_label
    );
    let name: String = f
        .get("name")
        .map(|n| n.trim().chars().take(60).collect())
        .unwrap_or_default();
    st.seats.insert(
        token.clone(),
        Seat {
            label,
            name,
            role,
            lang,
            last_seen: wall_now(),
            streams: 0,
        },
    );
    drop(st);
    redirect(
        rq,
        "/desk",
        vec![header(
            "Set-Cookie",
            &format!("{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/"),
        )],
    );
}

/// Carries out a seat's form through the host; the answer is a short result word for the page.
fn submit(inner: &Inner, seat: &Seat, path: &str, f: &BTreeMap<String, String>) -> &'static str {
    let get = |k: &str| f.get(k).map(|s| s.trim().to_owned()).unwrap_or_default();
    let from = Source::Seat(seat.label.clone());
    let key = format!("{}:{}", seat.label, get("req"));
    let cmd = match (path, &seat.role) {
        ("/decide", Some(role)) => {
            if get("choice").is_empty() {
                return "nochoice";
            }
            Command::Decide {
                role: role.clone(),
                decision: get("decision").as_str().into(),
                choice: get("choice").as_str().into(),
                rationale: get("rationale"),
            }
        }
        ("/action", Some(role)) => Command::TakeAction {
            role: role.clone(),
            action: get("action").as_str().into(),
            note: get("note"),
        },
        ("/observe", None) => {
            let text = get("text");
            if text.is_empty() {
                return "notext";
            }
            let rating = crate::engine::Rating::ALL
                .into_iter()
                .find(|r| format!("{r:?}") == get("rating"));
            let opt = |k: &str| Some(get(k)).filter(|s| !s.is_empty());
            Command::Observe {
                text,
                role: opt("role").map(|r| r.as_str().into()),
                rating,
                objective: opt("objective").map(|o| o.as_str().into()),
            }
        }
        _ => return "forbidden",
    };
    if get("req").is_empty() {
        return "error";
    }
    match inner.host.submit_once(&key, &from, cmd) {
        Ok(_) => "sent",
        Err(e) => match e.sim() {
            Some(crate::engine::SimError::AlreadyDecided(_)) => "taken",
            _ if matches!(e, HostError::Closed) => "closed",
            _ => "error",
        },
    }
}

/// A pushed stream: the entries after `after` that the seat may see, then new ones as they are
/// journaled, until the client goes, the seat is revoked or the room closes.
fn stream(inner: &Inner, rq: Request, token: &str, seat: &Seat, after: usize) {
    let Some(mut w) = rq.into_writer() else {
        return;
    };
    // Deadline thresholds already passed when the stream opens are not announced (taken before
    // anything is sent, so that whatever passes after the client sees the stream is announced).
    let mut announced = std::collections::BTreeSet::new();
    let _ = pages::deadlines(&inner.host, seat, &mut announced);
    // The stream is one chunked response, so that ending it (a revoked seat, a closed room)
    // ends the response for the browser, which then reconnects or gives up; an unended response
    // on a kept-alive connection would leave the page waiting forever.
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
         Cache-Control: no-store\r\nContent-Security-Policy: {CSP}\r\n\
         X-Content-Type-Options: nosniff\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    let send = |w: &mut std::net::TcpStream, text: &str| -> std::io::Result<()> {
        write!(w, "{:x}\r\n{text}\r\n", text.len())?;
        w.flush()
    };
    let alive = |on: bool| {
        if let Some(s) = inner.state().seats.get_mut(token) {
            if on {
                s.streams += 1;
            } else {
                s.streams = s.streams.saturating_sub(1);
            }
            s.last_seen = wall_now();
        }
    };
    // Connected from before the first byte, so that the seat list never lags the client.
    alive(true);
    if w.write_all(head.as_bytes())
        .and_then(|()| send(&mut w, "retry: 1000\n\n"))
        .is_err()
    {
        alive(false);
        return;
    }
    let mut seen = after;
    let mut idle = Duration::ZERO;
    loop {
        if inner.closed() || !inner.state().seats.contains_key(token) {
            break;
        }
        let (next, mut text) = pages::events(&inner.host, seat, seen);
        seen = next;
        text.push_str(&pages::deadlines(&inner.host, seat, &mut announced));
        let out = if text.is_empty() {
            // Wait in short slices, so that a closed room or a revoked seat ends the stream soon.
            if inner.host.wait_beyond(seen, WAIT_SLICE) > seen {
                continue;
            }
            idle += WAIT_SLICE;
            if idle < KEEPALIVE {
                continue;
            }
            ": keepalive\n\n".to_owned()
        } else {
            text
        };
        idle = Duration::ZERO;
        if send(&mut w, &out).is_err() {
            break;
        }
    }
    let _ = w.write_all(b"0\r\n\r\n").and_then(|()| w.flush());
    alive(false);
}

fn facilitator(inner: &Inner, rq: Request, rest: &str, post: bool, error: Option<&str>) {
    let fac = format!("/f/{}/", inner.secret);
    if !post {
        if !rest.is_empty() {
            return html(rq, 404, pages::plain(Lang::En, "404", "Not found."));
        }
        let (code, seats, locked) = {
            let st = inner.state();
            (inner.code.clone(), seat_infos(&st), st.locked)
        };
        let host = head(&rq, "Host").unwrap_or("").to_owned();
        let body = pages::facilitator(&inner.host, &fac, &host, &code, &seats, locked, error);
        return html(rq, 200, body);
    }
    let f = form(&rq);
    let op = f.get("op").map_or("", String::as_str);
    let cmd = match op {
        "start" => Some(Command::Start),
        "pause" => Some(Command::Pause),
        "resume" => Some(Command::Resume),
        "next" => Some(Command::JumpToNextInject),
        "lock" => {
            inner.state().locked = true;
            None
        }
        "unlock" => {
            inner.state().locked = false;
            None
        }
        "revoke" => {
            let label = f.get("seat").cloned().unwrap_or_default();
            inner.state().seats.retain(|_, s| s.label != label);
            None
        }
        _ => None,
    };
    let mut to = fac.clone();
    if let Some(cmd) = cmd
        && let Err(e) = inner.host.submit(&Source::Console, cmd)
    {
        let msg: String = form_urlencoded::byte_serialize(e.message(Lang::En).as_bytes()).collect();
        to = format!("{fac}?error={msg}");
    }
    redirect(rq, &to, Vec::new());
}
