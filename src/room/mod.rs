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
//! ids are journal sequence numbers, so a reconnecting browser resumes exactly where it left off,
//! and swaps in the server-rendered decisions part (`/desk/decisions`) when a decision of the
//! seat's roles opens or closes. A seat holds one or more roles (a small team) or is an observer.
//!
//! Seats survive a facilitator restart: each seat (its token's SHA-256 hash, never the token,
//! its label, name, roles and language) is kept in a file beside the journal
//! (`NAME.seats.json`, written atomically on every change), and a room opened again on a
//! resumed journal takes them back, so a phone with its cookie is back at its desk without
//! joining again. [`Room::close`] deletes the file (closing the room forgets every seat).
//!
//! Security: seat tokens are 256-bit random values in `HttpOnly; SameSite=Strict` cookies;
//! the join code allows a limited number of wrong attempts per client address; every POST must
//! carry an `Origin` (or `Referer`) naming the same host; every response forbids loading anything
//! from elsewhere (`Content-Security-Policy: default-src 'self'`); all text is HTML-escaped. The
//! facilitator page lives on a separate long random path. With a certificate ([`Tls`]) the room
//! speaks only HTTPS (rustls), its cookies are also `Secure` and its origin is `https://`.

mod http;
mod pages;

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use http::Request;

use crate::engine::Command;
use crate::host::{Host, HostError, Source};
use crate::model::{AttachmentKind, Lang, RoleId};

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

/// A seat: one device (a person or a small team) at one or more roles, or an observer.
#[derive(Debug, Clone)]
struct Seat {
    label: String,
    name: String,
    /// The roles held, in the scenario's order; empty for an observer.
    roles: Vec<RoleId>,
    lang: Lang,
    last_seen: Instant,
    /// Open pushed streams.
    streams: u32,
}

impl Seat {
    fn observer(&self) -> bool {
        self.roles.is_empty()
    }
}

#[derive(Debug, Default)]
struct State {
    /// By the SHA-256 hash of the token (the token itself is kept only by the browser).
    seats: BTreeMap<String, Seat>,
    /// Wrong join codes by client address.
    attempts: HashMap<IpAddr, u32>,
    locked: bool,
    next_label: u32,
    /// Why the seats could not be saved or taken back, if they could not.
    warning: Option<String>,
}

/// The seats as saved beside the journal.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct SavedSeats {
    /// The journal's scenario and start, so that a file left beside another journal of the same
    /// name is not taken for this one's.
    scenario_id: String,
    wall_start: String,
    locked: bool,
    next_label: u32,
    seats: Vec<SavedSeat>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct SavedSeat {
    token_sha256: String,
    label: String,
    name: String,
    roles: Vec<RoleId>,
    lang: Lang,
}

/// The file beside `journal` that keeps its room's seats.
pub fn seats_path(journal: &Path) -> PathBuf {
    let mut name = journal.file_stem().unwrap_or_default().to_os_string();
    name.push(".seats.json");
    journal.with_file_name(name)
}

/// The files injects carry, read from beside the scenario once per room and kept in memory (at
/// most 5 MiB each, and only those a seat has been shown).
pub(crate) struct Files {
    scenario: PathBuf,
    cache: Mutex<BTreeMap<String, File>>,
}

/// A file as read: its kind, told by its content, and its bytes.
type File = (AttachmentKind, Arc<Vec<u8>>);

impl Files {
    fn new(scenario: PathBuf) -> Self {
        Self {
            scenario,
            cache: Mutex::new(BTreeMap::new()),
        }
    }

    /// An attachment's kind (told by its content) and bytes, read through
    /// [`crate::model::authoring::read_attachment`] the first time; a file that cannot be read
    /// is tried again next time.
    pub(crate) fn get(&self, file: &str) -> Result<File, crate::model::authoring::AttachmentError> {
        let cached = self
            .cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(file)
            .cloned();
        if let Some(hit) = cached {
            return Ok(hit);
        }
        let (kind, bytes) = crate::model::authoring::read_attachment(&self.scenario, file)?;
        let entry = (kind, Arc::new(bytes));
        self.cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(file.to_owned(), entry.clone());
        Ok(entry)
    }
}

struct Inner {
    host: Host,
    /// The scenario's attachments, as seats fetch them.
    files: Files,
    /// Whether the room speaks HTTPS (its origin, its join address, `Secure` cookies).
    tls: bool,
    /// The port listened on (for the `Host` check).
    port: u16,
    code: String,
    secret: String,
    state: Mutex<State>,
    closed: AtomicBool,
    /// Where the seats are kept, and the journal they belong to.
    seats_file: PathBuf,
    journal_id: (String, String),
}

impl Inner {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Saves the seats beside the journal (atomically); call with the state changed and locked,
    /// so that saves happen in the order of the changes.
    fn save(&self, st: &mut State) {
        let saved = SavedSeats {
            scenario_id: self.journal_id.0.clone(),
            wall_start: self.journal_id.1.clone(),
            locked: st.locked,
            next_label: st.next_label,
            seats: st
                .seats
                .iter()
                .map(|(hash, s)| SavedSeat {
                    token_sha256: hash.clone(),
                    label: s.label.clone(),
                    name: s.name.clone(),
                    roles: s.roles.clone(),
                    lang: s.lang,
                })
                .collect(),
        };
        let r = serde_json::to_vec_pretty(&saved)
            .map_err(std::io::Error::other)
            .and_then(|b| crate::files::write_atomic(&self.seats_file, &b));
        st.warning = r.err().map(|e| {
            format!(
                "the seats could not be saved to {} ({e}): after a restart they must join again",
                self.seats_file.display()
            )
        });
    }

    /// The scheme of the room's addresses.
    fn scheme(&self) -> &'static str {
        if self.tls { "https" } else { "http" }
    }

    /// The attributes of the seat cookie.
    fn cookie_attrs(&self) -> &'static str {
        if self.tls {
            "HttpOnly; Secure; SameSite=Strict; Path=/"
        } else {
            "HttpOnly; SameSite=Strict; Path=/"
        }
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
    /// The roles' ids; empty for an observer.
    pub roles: Vec<String>,
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

/// The hex SHA-256 of a seat token: what the room keeps (in memory and on disk).
fn token_hash(token: &str) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(token.as_bytes())
        .iter()
        .fold(String::with_capacity(64), |mut s, x| {
            use std::fmt::Write as _;
            let _ = write!(s, "{x:02x}");
            s
        })
}

/// The seats saved beside a journal (of the same scenario and start), if there are any.
fn load_seats(file: &Path, journal_id: &(String, String), roles: &[RoleId]) -> State {
    let mut st = State::default();
    if !file.exists() {
        return st;
    }
    let bytes = match crate::files::read_regular(file, 4 * 1024 * 1024) {
        Ok(b) => b,
        Err(e) => {
            st.warning = Some(format!(
                "{}: {e}; the seats must join again",
                file.display()
            ));
            return st;
        }
    };
    match serde_json::from_slice::<SavedSeats>(&bytes) {
        Ok(saved) if (&saved.scenario_id, &saved.wall_start) == (&journal_id.0, &journal_id.1) => {
            st.locked = saved.locked;
            st.next_label = saved.next_label;
            for s in saved.seats {
                // A seat whose role left the scenario cannot come back.
                if s.roles.iter().all(|r| roles.contains(r)) {
                    st.seats.insert(
                        s.token_sha256,
                        Seat {
                            label: s.label,
                            name: s.name,
                            roles: s.roles,
                            lang: s.lang,
                            last_seen: wall_now(),
                            streams: 0,
                        },
                    );
                }
            }
        }
        Ok(_) => {
            st.warning = Some(format!(
                "{} belongs to another journal; the seats must join again",
                file.display()
            ));
        }
        Err(e) => {
            st.warning = Some(format!(
                "{}:{}:{}: {e}; the seats must join again",
                file.display(),
                e.line(),
                e.column()
            ));
        }
    }
    st
}

/// A certificate and its private key for a room that speaks HTTPS.
#[derive(Clone)]
pub struct Tls(Arc<rustls::ServerConfig>);

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tls")
    }
}

/// How to make a certificate, for the errors about one.
const CERT_HINT: &str = "give a PEM certificate and its private key, e.g. made with \
    `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
    -keyout key.pem -out cert.pem -subj /CN=paraat -addext subjectAltName=IP:192.168.50.1` \
    (the room's IP address); see README, \"Running a room safely\"";

impl Tls {
    /// Reads a certificate chain (`cert`, PEM, the room's certificate first) and its private
    /// key (`key`, PEM: PKCS#8, RSA or EC).
    pub fn load(cert: &Path, key: &Path) -> Result<Tls, String> {
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        let read = |p: &Path, what: &str| {
            // A certificate chain or key is a few KiB; a MiB is plenty.
            crate::files::read_regular(p, 1 << 20)
                .map_err(|e| format!("{}: cannot read the {what}: {e}; {CERT_HINT}", p.display()))
        };
        let bytes = read(cert, "certificate")?;
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&bytes)
            .collect::<Result<_, _>>()
            .map_err(|e| {
                format!(
                    "{}: not a valid PEM certificate file ({e}); {CERT_HINT}",
                    cert.display()
                )
            })?;
        if certs.is_empty() {
            return Err(format!(
                "{}: no certificate in it (a PEM block `-----BEGIN CERTIFICATE-----`); \
                 --tls-cert takes the certificate, --tls-key its private key; {CERT_HINT}",
                cert.display()
            ));
        }
        let bytes = read(key, "private key")?;
        let pk = PrivateKeyDer::from_pem_slice(&bytes).map_err(|e| {
            let what = match e {
                rustls::pki_types::pem::Error::NoItemsFound => {
                    "no private key in it (a PEM block `-----BEGIN PRIVATE KEY-----`, \
                     `RSA PRIVATE KEY` or `EC PRIVATE KEY`); --tls-key takes the key, \
                     --tls-cert the certificate"
                        .to_owned()
                }
                e => format!("not a valid PEM private key file ({e})"),
            };
            format!("{}: {what}; {CERT_HINT}", key.display())
        })?;
        // Deprecated in rustls 0.23.48 only because ring lacks post-quantum key exchange; the
        // aws-lc-rs provider that has it needs cmake. Classical X25519/P-256 as every browser.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS: {e}"))?
            .with_no_client_auth()
            .with_single_cert(certs, pk)
            .map_err(|e| {
                format!(
                    "{} with {}: cannot use this certificate and key ({e}); check that the key \
                     belongs to the certificate and is RSA, ECDSA (P-256/P-384) or Ed25519; \
                     {CERT_HINT}",
                    cert.display(),
                    key.display()
                )
            })?;
        Ok(Tls(Arc::new(config)))
    }
}

impl Room {
    /// Opens a room for `host`, listening on `bind` (e.g. `192.168.1.10:8080`; port 0 picks a
    /// free port, see [`Room::addr`]). Seats saved beside the journal by an earlier room of the
    /// same journal (before a crash or a restart) are taken back.
    pub fn open(host: Host, bind: &str) -> Result<Room, String> {
        Room::open_with(host, bind, None)
    }

    /// Opens a room as [`Room::open`] does, speaking HTTPS only when `tls` is given.
    pub fn open_with(host: Host, bind: &str, tls: Option<Tls>) -> Result<Room, String> {
        let listener = std::net::TcpListener::bind(bind)
            .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
        let (seats_file, journal_id, roles, scenario) = {
            let v = host.view();
            let h = v.header();
            (
                seats_path(v.path()),
                (h.scenario_id.clone(), h.wall_start.clone()),
                v.sim().ctx().scenario.roles.clone(),
                v.exercise().scenario.path.clone(),
            )
        };
        let state = load_seats(&seats_file, &journal_id, &roles);
        let inner = Arc::new(Inner {
            host,
            files: Files::new(scenario),
            tls: tls.is_some(),
            port: addr.port(),
            code: join_code()?,
            secret: random_hex(32)?,
            state: Mutex::new(state),
            closed: AtomicBool::new(false),
            seats_file,
            journal_id,
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
            http::serve(&listener, tls.as_ref().map(|t| &t.0), &handler, &closed);
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
        format!("{}://{}/", self.inner.scheme(), self.addr)
    }

    /// `https` for a room with a certificate, else `http`.
    pub fn scheme(&self) -> &'static str {
        self.inner.scheme()
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
        revoke(&self.inner, label);
    }

    /// Locks (or unlocks) the room: no new seats while locked.
    pub fn lock(&self, locked: bool) {
        lock(&self.inner, locked);
    }

    /// Whether the room is locked.
    pub fn locked(&self) -> bool {
        self.inner.state().locked
    }

    /// Why the seats could not be saved beside the journal or taken back from there, if so.
    pub fn warning(&self) -> Option<String> {
        self.inner.state().warning.clone()
    }

    /// Stops listening, ends every stream and forgets every seat, also the seats kept beside
    /// the journal. The exercise goes on.
    pub fn close(mut self) {
        self.shut();
        self.inner.state().seats.clear();
        let _ = std::fs::remove_file(&self.inner.seats_file);
    }

    /// Stops listening and ends every stream; the seats kept beside the journal stay, so that a
    /// room opened again on the resumed journal takes them back.
    fn shut(&mut self) {
        self.inner.closed.store(true, Ordering::SeqCst);
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
    }
}

impl Drop for Room {
    /// A room dropped without [`Room::close`] (the program ends, the exercise is left to be
    /// resumed) stops serving but keeps its seats on disk for the next room of the journal.
    fn drop(&mut self) {
        self.shut();
    }
}

fn revoke(inner: &Inner, label: &str) {
    let mut st = inner.state();
    st.seats.retain(|_, s| s.label != label);
    inner.save(&mut st);
}

fn lock(inner: &Inner, locked: bool) {
    let mut st = inner.state();
    st.locked = locked;
    inner.save(&mut st);
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
            roles: s.roles.iter().map(|r| r.as_str().to_owned()).collect(),
            connected: s.streams > 0,
            last_seen_secs: s.last_seen.elapsed().as_secs(),
        })
        .collect()
}

type Header = (String, String);

/// A response with the room's security headers.
#[allow(clippy::needless_pass_by_value)] // Bodies are built for the response and end here.
fn respond(rq: Request, status: u16, ctype: &str, body: String, extra: Vec<Header>) {
    respond_bytes(rq, status, ctype, body.as_bytes(), extra);
}

/// A response of any bytes with the room's security headers (`nosniff` among them: the
/// browser takes the content type given, never one it guesses).
fn respond_bytes(rq: Request, status: u16, ctype: &str, body: &[u8], extra: Vec<Header>) {
    let mut h = vec![
        header("Content-Type", ctype),
        header("Content-Security-Policy", CSP),
        header("X-Content-Type-Options", "nosniff"),
        header("Referrer-Policy", "same-origin"),
        header("Cache-Control", "no-store"),
    ];
    h.extend(extra);
    rq.respond(status, &h, body);
}

/// `GET /att/SEQ/N`: attachment `N` of the message released at journal sequence number `SEQ`,
/// for a seat that may see it — a role seat the messages to its roles, an observer those on
/// a public channel. Anything else (no seat, an inject not released, another role's message,
/// a file that cannot be read) is the same 404, so that nobody learns what exists. The content
/// type is the kind the file's content was recognised as when it was read, never the name's
/// or the request's; a PDF is sent as a download.
fn attachment(inner: &Inner, rq: Request, rest: &str) {
    let not_found = |rq| html(rq, 404, pages::plain(Lang::En, "404", "Not found."));
    let Some((_, seat)) = seat_of(inner, &rq) else {
        return not_found(rq);
    };
    let Some((seq, n)) = rest
        .split_once('/')
        .and_then(|(a, b)| Some((a.parse::<u64>().ok()?, b.parse::<usize>().ok()?)))
    else {
        return not_found(rq);
    };
    // The view (the host's lock) ends with this statement, before the file is read.
    let Some(file) = pages::attachment_file(&inner.host.view(), &seat, seq, n) else {
        return not_found(rq);
    };
    let Ok((kind, bytes)) = inner.files.get(&file) else {
        return not_found(rq);
    };
    let mut extra = Vec::new();
    if !kind.is_image() {
        // Only letters, digits and `._-` of the file's own name: nothing can end the header.
        let name: String = file
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        extra.push(header(
            "Content-Disposition",
            &format!("attachment; filename=\"{name}\""),
        ));
    }
    respond_bytes(rq, 200, kind.mime(), &bytes, extra);
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
/// that, `Referer`) must be the room's scheme (`http://` or `https://`) + the `Host` it was
/// sent to.
fn same_origin(rq: &Request, scheme: &str) -> bool {
    let Some(host) = head(rq, "Host") else {
        return false;
    };
    let want = format!("{scheme}://{host}");
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

/// Every value of a field that may repeat (checkboxes).
fn form_all(rq: &Request, name: &str) -> Vec<String> {
    form_urlencoded::parse(rq.body())
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .collect()
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

/// The seat behind a request's cookie (and marks it seen), with its key (the token's hash).
fn seat_of(inner: &Inner, rq: &Request) -> Option<(String, Seat)> {
    let key = token_hash(&cookie_token(rq)?);
    let mut st = inner.state();
    let seat = st.seats.get_mut(&key)?;
    seat.last_seen = wall_now();
    Some((key, seat.clone()))
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
    if post && !same_origin(&rq, inner.scheme()) {
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
    if let Some(rest) = path.strip_prefix("/att/")
        && !post
    {
        return attachment(inner, rq, rest);
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
            html(rq, 200, pages::join(lang, None));
        }
        ("/join", true) => join(inner, rq),
        ("/desk", false) => {
            let Some((token, mut seat)) = seat_of(inner, &rq) else {
                return redirect(rq, "/", Vec::new());
            };
            if let Some(l) = lang_of(query.get("lang"))
                && l != seat.lang
            {
                seat.lang = l;
                let mut st = inner.state();
                if let Some(s) = st.seats.get_mut(&token) {
                    s.lang = l;
                }
                inner.save(&mut st);
            }
            let notice = query.get("r").map(String::as_str);
            let body = pages::desk(
                &inner.host,
                &inner.files,
                &seat,
                notice,
                &random_hex(16).unwrap_or_default(),
            );
            html(rq, 200, body);
        }
        ("/desk/decisions", false) => {
            // The decisions part of the desk, for the script to swap in when they change.
            let Some((_, seat)) = seat_of(inner, &rq) else {
                return respond(rq, 403, "text/plain", "join first".into(), Vec::new());
            };
            let body = pages::decisions(&inner.host, &seat, &random_hex(16).unwrap_or_default());
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
                let mut st = inner.state();
                if st.seats.remove(&token_hash(&t)).is_some() {
                    inner.save(&mut st);
                }
            }
            redirect(
                rq,
                "/",
                vec![header(
                    "Set-Cookie",
                    &format!("{COOKIE}=; {}; Max-Age=0", inner.cookie_attrs()),
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
    let picked = form_all(&rq, "role");
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
    let code = f.get("code").map(|c| c.trim()).unwrap_or_default();
    if code != inner.code.as_str() {
        if let Some(ip) = ip {
            *st.attempts.entry(ip).or_default() += 1;
        }
        drop(st);
        let msg = crate::i18n::tr(lang, "Verkeerde code.", "Wrong code.");
        return html(rq, 403, pages::join(lang, Some(msg)));
    }
    let name: String = f
        .get("name")
        .map(|n| n.trim().chars().take(60).collect())
        .unwrap_or_default();
    // The right code: from here on the exercise's title and roles may be shown.
    let all = inner.host.view().sim().ctx().scenario.roles.clone();
    let observer = picked.iter().any(|r| r == "observer");
    let roles: Vec<RoleId> = all
        .iter()
        .filter(|r| picked.iter().any(|p| p == r.as_str()))
        .cloned()
        .collect();
    let unknown = picked
        .iter()
        .any(|p| p != "observer" && !all.iter().any(|r| r.as_str() == p));
    let problem = if picked.is_empty() {
        Some(crate::i18n::tr(
            lang,
            "Kies een of meer rollen, of waarnemer.",
            "Choose one or more roles, or observer.",
        ))
    } else if observer && !roles.is_empty() {
        Some(crate::i18n::tr(
            lang,
            "Een waarnemer heeft geen rol: kies waarnemer of rollen.",
            "An observer holds no role: choose observer or roles.",
        ))
    } else if unknown {
        Some(crate::i18n::tr(
            lang,
            "Die rol speelt niet mee.",
            "That role is not in play.",
        ))
    } else {
        None
    };
    if let Some(msg) = problem {
        drop(st);
        let status = if picked.is_empty() { 200 } else { 400 };
        let error = (!picked.is_empty()).then_some(msg);
        let body = pages::choose_roles(&inner.host, lang, code, &name, error);
        return html(rq, status, body);
    }
    let Ok(token) = random_hex(32) else {
        drop(st);
        return html(rq, 500, pages::plain(lang, "500", "No random numbers."));
    };
    st.next_label += 1;
    let label = if roles.is_empty() {
        format!("observer-{}", st.next_label)
    } else {
        let ids: Vec<&str> = roles.iter().map(RoleId::as_str).collect();
        format!("{}-{}", ids.join("+"), st.next_label)
    };
    st.seats.insert(
        token_hash(&token),
        Seat {
            label,
            name,
            roles,
            lang,
            last_seen: wall_now(),
            streams: 0,
        },
    );
    inner.save(&mut st);
    drop(st);
    redirect(
        rq,
        "/desk",
        vec![header(
            "Set-Cookie",
            &format!("{COOKIE}={token}; {}", inner.cookie_attrs()),
        )],
    );
}

/// Carries out a seat's form through the host; the answer is a short result word for the page.
fn submit(inner: &Inner, seat: &Seat, path: &str, f: &BTreeMap<String, String>) -> &'static str {
    let get = |k: &str| f.get(k).map(|s| s.trim().to_owned()).unwrap_or_default();
    let from = Source::Seat(seat.label.clone());
    let key = format!("{}:{}", seat.label, get("req"));
    // The role a form acts for: one the seat holds (the only one, if the form names none).
    let role = match seat.roles.as_slice() {
        [only] if get("role").is_empty() => Some(only.clone()),
        held => held.iter().find(|r| r.as_str() == get("role")).cloned(),
    };
    let cmd = match (path, role) {
        ("/decide", Some(role)) => {
            if get("choice").is_empty() {
                return "nochoice";
            }
            Command::Decide {
                role,
                decision: get("decision").as_str().into(),
                choice: get("choice").as_str().into(),
                rationale: get("rationale"),
            }
        }
        ("/action", Some(role)) => Command::TakeAction {
            role,
            action: get("action").as_str().into(),
            note: get("note"),
        },
        ("/observe", None) if seat.observer() => {
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
    let mut w = rq.into_writer();
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
    let send = |w: &mut http::Stream, text: &str| -> std::io::Result<()> {
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
        let (next, mut text) = pages::events(&inner.host, &inner.files, seat, seen);
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
        let (code, seats, locked, warning) = {
            let st = inner.state();
            (
                inner.code.clone(),
                seat_infos(&st),
                st.locked,
                st.warning.clone(),
            )
        };
        let origin = format!("{}://{}", inner.scheme(), head(&rq, "Host").unwrap_or(""));
        let error = error.map(str::to_owned).or(warning);
        let body = pages::facilitator(
            &inner.host,
            &fac,
            &origin,
            &code,
            &seats,
            locked,
            error.as_deref(),
        );
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
            lock(inner, true);
            None
        }
        "unlock" => {
            lock(inner, false);
            None
        }
        "revoke" => {
            revoke(inner, f.get("seat").map_or("", String::as_str));
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
