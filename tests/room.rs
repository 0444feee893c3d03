//! The room at HTTP level, on an ephemeral loopback port.
// A test client reads the clock for its own timeouts and builds requests by hand.
#![allow(
    clippy::format_push_string,
    clippy::disallowed_methods,
    clippy::many_single_char_names
)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use paraat::engine::{Command, EventKind};
use paraat::host::{Host, Source};
use paraat::journal::{Body, Session};
use paraat::library::Library;
use paraat::model::{Lang, load};
use paraat::projection::{self, Audience};
use paraat::room::{JOIN_ATTEMPTS, Room};

struct Resp {
    status: u16,
    head: String,
    body: String,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

fn request(addr: SocketAddr, method: &str, path: &str, extra: &[(&str, &str)], body: &str) -> Resp {
    let (status, head, body) = request_raw(addr, method, path, extra, body);
    Resp {
        status,
        head,
        body: String::from_utf8(body).expect("utf-8"),
    }
}

/// A request whose answer may be any bytes: (status, head, body).
fn request_raw(
    addr: SocketAddr,
    method: &str,
    path: &str,
    extra: &[(&str, &str)],
    body: &str,
) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).expect("connect");
    let mut r = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in extra {
        r.push_str(&format!("{k}: {v}\r\n"));
    }
    if method == "POST" {
        r.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    r.push_str("\r\n");
    r.push_str(body);
    s.write_all(r.as_bytes()).expect("write");
    let mut out = Vec::new();
    s.read_to_end(&mut out).expect("read");
    let split = out.windows(4).position(|w| w == b"\r\n\r\n").expect("head");
    let head = String::from_utf8(out[..split].to_vec()).expect("utf-8 head");
    let status = head[9..12].parse().expect("status");
    (status, head, out[split + 4..].to_vec())
}

fn origin(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

fn post(addr: SocketAddr, path: &str, cookie: Option<&str>, body: &str) -> Resp {
    let o = origin(addr);
    let mut h = vec![("Origin", o.as_str())];
    let c;
    if let Some(k) = cookie {
        c = k.to_owned();
        h.push(("Cookie", c.as_str()));
    }
    request(addr, "POST", path, &h, body)
}

fn get(addr: SocketAddr, path: &str, cookie: &str) -> Resp {
    request(addr, "GET", path, &[("Cookie", cookie)], "")
}

/// Joins at `role` and returns the cookie (`name=value`).
fn join(room: &Room, role: &str) -> String {
    let r = post(
        room.addr(),
        "/join",
        None,
        &format!("code={}&name=Test&role={role}&lang=en", room.code()),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let c = r.header("Set-Cookie").expect("cookie");
    c.split(';').next().expect("pair").to_owned()
}

/// Reads a stream until `want` message events arrived (or 10 s passed); returns (id, data) pairs.
fn stream(
    addr: SocketAddr,
    path: &str,
    cookie: &str,
    last: Option<u64>,
    want: usize,
) -> Vec<(u64, String)> {
    let mut s = TcpStream::connect(addr).expect("connect");
    let mut r = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n");
    if let Some(l) = last {
        r.push_str(&format!("Last-Event-ID: {l}\r\n"));
    }
    r.push_str("\r\n");
    s.write_all(r.as_bytes()).expect("write");
    s.set_read_timeout(Some(Duration::from_millis(300)))
        .expect("timeout");
    let mut buf = Vec::new();
    let start = Instant::now();
    let mut chunk = [0u8; 16384];
    loop {
        let text = String::from_utf8_lossy(&buf);
        let n = text.matches("event: message").count();
        if n >= want && (want > 0 || start.elapsed() > Duration::from_millis(300)) {
            break;
        }
        if start.elapsed() > Duration::from_secs(10) {
            break;
        }
        match s.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(_) => {}
        }
    }
    // Allow a little more to arrive, to catch duplicates or extras.
    s.set_read_timeout(Some(Duration::from_millis(100)))
        .expect("timeout");
    if let Ok(n) = s.read(&mut chunk) {
        buf.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("head");
    assert!(head.contains("text/event-stream"), "{head}");
    assert!(head.contains("Transfer-Encoding: chunked"), "{head}");
    dechunk(body)
        .split("\n\n")
        .filter(|ev| ev.contains("event: message"))
        .map(|ev| {
            let id = ev
                .lines()
                .find_map(|l| l.strip_prefix("id: "))
                .expect("id")
                .parse()
                .expect("number");
            let data: Vec<&str> = ev
                .lines()
                .filter_map(|l| l.strip_prefix("data: "))
                .collect();
            (id, data.join("\n"))
        })
        .collect()
}

/// The complete chunks of a chunked body, joined.
fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || rest.len() < n + 2 {
            break;
        }
        out.push_str(&rest[..n]);
        body = &rest[n + 2..];
    }
    out
}

fn hosted(id: &str, dir: &std::path::Path) -> Host {
    let lib = Library::load(&[load::builtin_dir()]);
    let ex = lib.find(id).expect("scenario");
    Host::new(Session::create(ex, 5, Vec::new(), &dir.join("j.jsonl")).expect("session"))
}

fn played_out(h: &Host) {
    h.submit(&Source::Console, Command::Start).expect("start");
    let end = h.view().sim().end_time();
    h.submit(&Source::Console, Command::AdvanceTo { t: end })
        .expect("advance");
}

#[test]
fn a_wrong_code_is_refused_and_attempts_are_limited() {
    let dir = tempfile::tempdir().expect("tmp");
    let room = Room::open(hosted("station-shooting", dir.path()), "127.0.0.1:0").expect("room");
    let wrong = if room.code() == "000000" {
        "111111"
    } else {
        "000000"
    };
    let r = post(
        room.addr(),
        "/join",
        None,
        &format!("code={wrong}&role=observer"),
    );
    assert_eq!(r.status, 403);
    assert!(r.header("Set-Cookie").is_none());
    for _ in 1..JOIN_ATTEMPTS {
        post(
            room.addr(),
            "/join",
            None,
            &format!("code={wrong}&role=observer"),
        );
    }
    // Now even the right code is refused from this address.
    let r = post(
        room.addr(),
        "/join",
        None,
        &format!("code={}&role=observer", room.code()),
    );
    assert_eq!(r.status, 429);
    assert!(r.header("Set-Cookie").is_none());
    room.close();
}

#[test]
fn joining_sets_a_strict_http_only_cookie_and_pages_carry_a_csp() {
    let dir = tempfile::tempdir().expect("tmp");
    let room = Room::open(hosted("station-shooting", dir.path()), "127.0.0.1:0").expect("room");
    let r = post(
        room.addr(),
        "/join",
        None,
        &format!("code={}&role=observer&name=%3Cb%3EEve", room.code()),
    );
    assert_eq!(r.status, 303);
    let c = r.header("Set-Cookie").expect("cookie");
    assert!(
        c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.contains("Path=/"),
        "{c}"
    );
    let token = c
        .split(';')
        .next()
        .and_then(|p| p.split_once('='))
        .expect("pair")
        .1;
    assert!(token.len() >= 64, "token too short: {token}");
    let cookie = c.split(';').next().expect("pair");
    let page = get(room.addr(), "/desk", cookie);
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("Content-Security-Policy")
            .map(|c| c.starts_with("default-src 'self'")),
        Some(true)
    );
    // The participant's name is escaped.
    assert!(page.body.contains("&lt;b&gt;Eve") && !page.body.contains("<b>Eve"));
    assert!(
        page.body.len() < 50 * 1024,
        "first page {} bytes",
        page.body.len()
    );
    // Without a cookie, no desk.
    assert_eq!(request(room.addr(), "GET", "/desk", &[], "").status, 303);
    // Revoked: the cookie stops working.
    let label = room.seats()[0].label.clone();
    room.revoke(&label);
    assert_eq!(get(room.addr(), "/desk", cookie).status, 303);
    room.close();
}

#[test]
fn a_role_seat_never_sees_another_roles_messages_in_any_scenario() {
    let lib = Library::load(&[load::builtin_dir()]);
    assert!(lib.exercises.len() >= 2);
    for ex in &lib.exercises {
        let id = ex.scenario.value.id.clone();
        let dir = tempfile::tempdir().expect("tmp");
        let h = hosted(&id, dir.path());
        played_out(&h);
        let room = Room::open(h.clone(), "127.0.0.1:0").expect("room");
        let roles = h.view().sim().ctx().scenario.roles.clone();
        for lang in [Lang::Nl, Lang::En] {
            for role in &roles {
                let (mine, others): (Vec<String>, Vec<String>) = {
                    let v = h.view();
                    let ctx = v.sim().ctx().clone();
                    let mine: Vec<String> =
                        projection::messages(v.entries(), &ctx, Audience::Role(role), lang)
                            .map(|m| m.title.to_owned())
                            .collect();
                    let others = projection::messages(v.entries(), &ctx, Audience::Control, lang)
                        .filter(|m| !m.to.contains(role) && !mine.iter().any(|t| t == m.title))
                        .map(|m| m.title.to_owned())
                        .collect();
                    (mine, others)
                };
                let cookie = join(&room, role.as_str());
                let code = if lang == Lang::Nl { "nl" } else { "en" };
                let page = get(room.addr(), &format!("/desk?lang={code}"), &cookie).body;
                let events = stream(room.addr(), "/events?after=0", &cookie, None, mine.len());
                assert_eq!(events.len(), mine.len(), "{id} {role}: stream backlog");
                let streamed: String = events.iter().map(|(_, d)| d.as_str()).collect();
                for t in &mine {
                    let e = paraat::report::html::esc(t);
                    assert!(page.contains(&e), "{id} {role}: own message {t:?} missing");
                    assert!(
                        streamed.contains(&e),
                        "{id} {role}: own message {t:?} not streamed"
                    );
                }
                for t in &others {
                    let e = paraat::report::html::esc(t);
                    assert!(!page.contains(&e), "{id} {role}: sees {t:?} on the page");
                    assert!(
                        !streamed.contains(&e),
                        "{id} {role}: sees {t:?} in the stream"
                    );
                }
            }
            // A seat holding two roles (a small team) sees both roles' messages and still
            // nothing addressed only to others.
            for pair in roles.windows(2) {
                let (mine, others): (Vec<String>, Vec<String>) = {
                    let v = h.view();
                    let ctx = v.sim().ctx().clone();
                    let held = |m: &projection::Message<'_>| pair.iter().any(|r| m.to.contains(r));
                    let all: Vec<_> =
                        projection::messages(v.entries(), &ctx, Audience::Control, lang).collect();
                    let mine: Vec<String> = all
                        .iter()
                        .filter(|m| held(m))
                        .map(|m| m.title.to_owned())
                        .collect();
                    let others = all
                        .iter()
                        .filter(|m| !held(m) && !mine.iter().any(|t| t == m.title))
                        .map(|m| m.title.to_owned())
                        .collect();
                    (mine, others)
                };
                let cookie = join_roles(&room, &[pair[0].as_str(), pair[1].as_str()]);
                let code = if lang == Lang::Nl { "nl" } else { "en" };
                let page = get(room.addr(), &format!("/desk?lang={code}"), &cookie).body;
                let events = stream(room.addr(), "/events?after=0", &cookie, None, mine.len());
                assert_eq!(events.len(), mine.len(), "{id} {pair:?}: stream backlog");
                let streamed: String = events.iter().map(|(_, d)| d.as_str()).collect();
                for t in &mine {
                    let e = paraat::report::html::esc(t);
                    assert!(
                        page.contains(&e),
                        "{id} {pair:?}: own message {t:?} missing"
                    );
                    assert!(streamed.contains(&e), "{id} {pair:?}: {t:?} not streamed");
                }
                for t in &others {
                    let e = paraat::report::html::esc(t);
                    assert!(!page.contains(&e), "{id} {pair:?}: sees {t:?} on the page");
                    assert!(!streamed.contains(&e), "{id} {pair:?}: sees {t:?} streamed");
                }
            }
        }
        room.close();
    }
}

/// Joins with several roles and returns the cookie.
fn join_roles(room: &Room, roles: &[&str]) -> String {
    let picked: String = roles.iter().map(|r| ["&role=", r].concat()).collect();
    let r = post(
        room.addr(),
        "/join",
        None,
        &format!("code={}&name=Team{picked}&lang=en", room.code()),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let c = r.header("Set-Cookie").expect("cookie");
    c.split(';').next().expect("pair").to_owned()
}

/// Starts `h` and jumps inject by inject until some role has a pending decision.
fn first_pending(h: &Host) -> (paraat::model::RoleId, String, String) {
    h.submit(&Source::Console, Command::Start).expect("start");
    loop {
        let found = {
            let v = h.view();
            let sim = v.sim();
            sim.ctx().scenario.roles.iter().find_map(|r| {
                sim.pending_decisions(r).next().map(|p| {
                    (
                        r.clone(),
                        p.decision.id.to_string(),
                        p.decision.options[0].id.to_string(),
                    )
                })
            })
        };
        if let Some(f) = found {
            return f;
        }
        h.submit(&Source::Console, Command::JumpToNextInject)
            .expect("next");
    }
}

#[test]
fn the_join_page_shows_neither_title_nor_roles_before_the_right_code() {
    let dir = tempfile::tempdir().expect("tmp");
    let h = hosted("station-shooting", dir.path());
    let (title, roles) = {
        let v = h.view();
        let ctx = v.sim().ctx();
        (
            ctx.scenario.title.get(Lang::Nl).to_owned(),
            ctx.scenario.roles.clone(),
        )
    };
    let room = Room::open(h, "127.0.0.1:0").expect("room");
    let page = request(room.addr(), "GET", "/", &[], "").body;
    assert!(page.contains("name=\"code\""));
    assert!(!page.contains(&paraat::report::html::esc(&title)), "{page}");
    for r in &roles {
        assert!(
            !page.contains(&format!("value=\"{r}\"")),
            "{r} before the code"
        );
    }
    // The right code alone: the second step shows the exercise and its roles, sets no cookie.
    let r = post(
        room.addr(),
        "/join",
        None,
        &format!("code={}&lang=nl", room.code()),
    );
    assert_eq!(r.status, 200);
    assert!(r.header("Set-Cookie").is_none());
    assert!(r.body.contains(&paraat::report::html::esc(&title)));
    for r2 in &roles {
        assert!(r.body.contains(&format!("value=\"{r2}\"")));
    }
    // Observer and a role at once is refused.
    let bad = post(
        room.addr(),
        "/join",
        None,
        &format!("code={}&role=observer&role={}", room.code(), roles[0]),
    );
    assert_eq!(bad.status, 400);
    assert!(bad.header("Set-Cookie").is_none());
    room.close();
}

#[test]
fn a_seat_with_two_roles_decides_for_each_and_sees_them_labelled() {
    let dir = tempfile::tempdir().expect("tmp");
    let h = hosted("station-shooting", dir.path());
    let (role, decision, choice) = first_pending(&h);
    let roles = h.view().sim().ctx().scenario.roles.clone();
    let other = roles.iter().find(|r| **r != role).expect("two roles");
    let room = Room::open(h.clone(), "127.0.0.1:0").expect("room");
    let cookie = join_roles(&room, &[other.as_str(), role.as_str()]);
    let page = get(room.addr(), "/desk", &cookie).body;
    // Each role's pending decisions under a heading naming the role.
    let names: Vec<String> = {
        let v = h.view();
        let ctx = v.sim().ctx();
        [other, &role]
            .iter()
            .map(|r| paraat::describe::role(ctx, r.as_str(), Lang::En).to_owned())
            .collect()
    };
    for n in &names {
        let heading = format!("Pending decisions — {}", paraat::report::html::esc(n));
        assert!(page.contains(&heading), "no {heading:?}");
    }
    assert!(page.contains(&format!("value=\"{decision}\"")));
    // A decision for a role the seat does not hold is refused.
    let stranger = roles
        .iter()
        .find(|r| **r != role && *r != other)
        .expect("three roles");
    let r = post(
        room.addr(),
        "/decide",
        Some(&cookie),
        &format!("req=x1&role={stranger}&decision={decision}&choice={choice}"),
    );
    assert_eq!(r.header("Location"), Some("/desk?r=forbidden"));
    let r = post(
        room.addr(),
        "/decide",
        Some(&cookie),
        &format!("req=x2&role={role}&decision={decision}&choice={choice}&rationale=team"),
    );
    assert_eq!(r.header("Location"), Some("/desk?r=sent"));
    let v = h.view();
    let made = v.entries().iter().any(|e| {
        matches!(&e.body, Body::Command(Command::Decide { role: r, .. }) if *r == role)
            && e.actor.starts_with("seat:")
    });
    assert!(made, "journaled for the role, by the seat");
    drop(v);
    room.close();
}

#[test]
fn the_decisions_part_follows_the_journal_and_the_stream_says_when() {
    let dir = tempfile::tempdir().expect("tmp");
    let h = hosted("station-shooting", dir.path());
    let (role, decision, choice) = first_pending(&h);
    let room = Room::open(h.clone(), "127.0.0.1:0").expect("room");
    let cookie = join(&room, role.as_str());
    let part = get(room.addr(), "/desk/decisions", &cookie);
    assert_eq!(part.status, 200);
    assert!(part.body.contains(&format!("value=\"{decision}\"")));
    assert!(!part.body.contains("<html"), "a fragment, not a page");
    let seen = h.len();
    h.submit(
        &Source::Console,
        Command::Decide {
            role: role.clone(),
            decision: decision.as_str().into(),
            choice: choice.as_str().into(),
            rationale: "from the console".into(),
        },
    )
    .expect("decide");
    // The stream tells the desk that its decisions changed...
    let mut s = TcpStream::connect(room.addr()).expect("connect");
    write!(
        s,
        "GET /events?after={seen} HTTP/1.1\r\nHost: {}\r\nCookie: {cookie}\r\n\r\n",
        room.addr()
    )
    .expect("write");
    s.set_read_timeout(Some(Duration::from_millis(300)))
        .expect("timeout");
    let mut got = String::new();
    read_until(&mut s, &mut got, "event: desk", 1);
    assert!(got.contains("event: desk"), "{got}");
    // ...and the part it then fetches no longer offers it, and lists it taken.
    let part = get(room.addr(), "/desk/decisions", &cookie).body;
    assert!(!part.contains(&format!("value=\"{decision}\"")), "{part}");
    assert!(part.contains("from the console"));
    // No seat, no part.
    assert_eq!(
        request(room.addr(), "GET", "/desk/decisions", &[], "").status,
        403
    );
    room.close();
}

#[test]
fn seats_come_back_after_a_restart_on_the_resumed_journal_without_joining() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("j.jsonl");
    let h = hosted("station-shooting", dir.path());
    h.submit(&Source::Console, Command::Start).expect("start");
    let roles = h.view().sim().ctx().scenario.roles.clone();
    let room = Room::open(h.clone(), "127.0.0.1:0").expect("room");
    let addr = room.addr();
    let cookie = join_roles(&room, &[roles[0].as_str(), roles[1].as_str()]);
    let obs = join(&room, "observer");
    let revoked = join(&room, roles[0].as_str());
    let gone = room.seats().last().map(|s| s.label.clone()).expect("seat");
    room.revoke(&gone);
    let before = room.seats();
    let token = cookie.split_once('=').expect("pair").1.to_owned();
    // The seats file keeps only hashes of the tokens.
    let file = paraat::room::seats_path(&path);
    let text = std::fs::read_to_string(&file).expect("seats file");
    assert!(!text.contains(&token), "a token is on disk");
    assert!(text.contains("token_sha256"));
    // A crash: the room and the host go without closing.
    drop(room);
    drop(h);
    let session = {
        let start = Instant::now();
        loop {
            match Session::resume(&path, |hd| {
                Library::load(&[load::builtin_dir()])
                    .find(&hd.scenario_id)
                    .cloned()
            }) {
                Ok((s, _)) => break s,
                Err(e) if start.elapsed() < Duration::from_secs(5) => {
                    let _ = e;
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(e) => panic!("resume: {e}"),
            }
        }
    };
    let h = Host::new(session);
    let room = Room::open(h.clone(), &addr.to_string()).expect("room on the same address");
    assert_eq!(room.addr(), addr);
    assert_eq!(room.warning(), None);
    let after = room.seats();
    assert_eq!(
        after
            .iter()
            .map(|s| (&s.label, &s.roles, &s.name))
            .collect::<Vec<_>>(),
        before
            .iter()
            .map(|s| (&s.label, &s.roles, &s.name))
            .collect::<Vec<_>>()
    );
    // The phones with their cookies are back at their desks.
    let page = get(addr, "/desk", &cookie);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("id=\"decisions\""));
    assert_eq!(get(addr, "/desk", &obs).status, 200);
    // The revoked seat is not.
    assert_eq!(get(addr, "/desk", &revoked).status, 303);
    // A new seat continues the labels.
    let _ = join(&room, roles[2].as_str());
    let labels: Vec<String> = room.seats().into_iter().map(|s| s.label).collect();
    let mut unique = labels.clone();
    unique.dedup();
    assert_eq!(labels, unique);
    // Closing the room forgets the seats, also on disk.
    room.close();
    assert!(!file.exists());
}

#[test]
fn a_decision_posted_twice_with_one_request_id_decides_once() {
    let dir = tempfile::tempdir().expect("tmp");
    let h = hosted("station-shooting", dir.path());
    h.submit(&Source::Console, Command::Start).expect("start");
    let (role, decision, choice) = loop {
        let found = {
            let v = h.view();
            let sim = v.sim();
            sim.ctx().scenario.roles.iter().find_map(|r| {
                sim.pending_decisions(r).next().map(|p| {
                    (
                        r.clone(),
                        p.decision.id.clone(),
                        p.decision.options[0].id.clone(),
                    )
                })
            })
        };
        if let Some(f) = found {
            break f;
        }
        h.submit(&Source::Console, Command::JumpToNextInject)
            .expect("next");
    };
    let room = Room::open(h.clone(), "127.0.0.1:0").expect("room");
    let cookie = join(&room, role.as_str());
    let page = get(room.addr(), "/desk", &cookie).body;
    assert!(
        page.contains(&format!("value=\"{decision}\"")),
        "the decision is on the desk"
    );
    let body = format!("req=abc123&decision={decision}&choice={choice}&rationale=because");
    let a = post(room.addr(), "/decide", Some(&cookie), &body);
    let b = post(room.addr(), "/decide", Some(&cookie), &body);
    assert_eq!(a.header("Location"), Some("/desk?r=sent"));
    assert_eq!(b.header("Location"), Some("/desk?r=sent"));
    let made = |h: &Host| {
        h.view()
            .entries()
            .iter()
            .filter(|e| {
                matches!(&e.body, Body::Event(ev) if matches!(&ev.kind,
                    EventKind::DecisionMade { decision: d, .. } if *d == decision))
            })
            .count()
    };
    assert_eq!(made(&h), 1);
    // A second seat on the same role, another request: the decision was taken.
    let other = join(&room, role.as_str());
    let c = post(
        room.addr(),
        "/decide",
        Some(&other),
        &body.replace("abc123", "zzz"),
    );
    assert_eq!(c.header("Location"), Some("/desk?r=taken"));
    assert_eq!(made(&h), 1);
    // Journaled with the seat as actor.
    let v = h.view();
    let cmd = v
        .entries()
        .iter()
        .find(|e| matches!(&e.body, Body::Command(Command::Decide { .. })))
        .expect("decide command");
    assert!(
        cmd.actor.starts_with(&format!("seat:{role}-")),
        "{}",
        cmd.actor
    );
    drop(v);
    // The desk shows it taken.
    let page = get(room.addr(), "/desk?r=sent", &cookie).body;
    assert!(page.contains("Sent and journaled") || page.contains("Verzonden en vastgelegd"));
    assert!(page.contains("because"));
    room.close();
}

#[test]
fn a_post_from_a_foreign_origin_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let h = hosted("station-shooting", dir.path());
    let room = Room::open(h.clone(), "127.0.0.1:0").expect("room");
    let cookie = join(&room, "observer");
    let before = h.len();
    let body = "req=1&text=hello";
    let r = request(
        room.addr(),
        "POST",
        "/observe",
        &[("Origin", "http://evil.example"), ("Cookie", &cookie)],
        body,
    );
    assert_eq!(r.status, 403);
    let r = request(
        room.addr(),
        "POST",
        "/observe",
        &[("Cookie", &cookie)],
        body,
    );
    assert_eq!(r.status, 403, "no origin at all");
    assert_eq!(h.len(), before);
    // The same post from the room's own origin is journaled, stamped by the host.
    let r = post(room.addr(), "/observe", Some(&cookie), body);
    assert_eq!(r.header("Location"), Some("/desk?r=sent"));
    assert_eq!(h.len(), before + 2);
    room.close();
}

#[test]
fn the_stream_resumes_exactly_after_the_last_event_id() {
    let dir = tempfile::tempdir().expect("tmp");
    let h = hosted("station-shooting", dir.path());
    played_out(&h);
    let room = Room::open(h.clone(), "127.0.0.1:0").expect("room");
    let cookie = join(&room, "observer");
    let all = projection::messages(
        &h.entries_after(0),
        &h.view().sim().ctx().clone(),
        Audience::Control,
        Lang::En,
    )
    .count();
    let full = stream(room.addr(), "/events", &cookie, None, all);
    assert_eq!(full.len(), all);
    let ids: Vec<u64> = full.iter().map(|(i, _)| *i).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "in order");
    let k = ids.len() / 2;
    let rest = stream(
        room.addr(),
        "/events",
        &cookie,
        Some(ids[k]),
        ids.len() - k - 1,
    );
    let got: Vec<u64> = rest.iter().map(|(i, _)| *i).collect();
    assert_eq!(got, ids[k + 1..].to_vec());
    // `?after=` does the same for a page without the header.
    let rest = stream(
        room.addr(),
        &format!("/events?after={}", ids[k]),
        &cookie,
        None,
        ids.len() - k - 1,
    );
    assert_eq!(
        rest.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
        ids[k + 1..].to_vec()
    );
    room.close();
}

#[test]
fn a_live_message_arrives_on_an_open_stream() {
    let dir = tempfile::tempdir().expect("tmp");
    let h = hosted("station-shooting", dir.path());
    h.submit(&Source::Console, Command::Start).expect("start");
    let room = Room::open(h.clone(), "127.0.0.1:0").expect("room");
    let cookie = join(&room, "observer");
    let before = projection::messages(
        &h.entries_after(0),
        &h.view().sim().ctx().clone(),
        Audience::Control,
        Lang::En,
    )
    .count();
    let h2 = h.clone();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        h2.submit(&Source::Console, Command::JumpToNextInject)
            .expect("next");
    });
    let got = stream(room.addr(), "/events", &cookie, None, before + 1);
    t.join().expect("thread");
    assert!(got.len() > before, "nothing arrived live");
    room.close();
}

#[test]
fn the_facilitator_page_needs_the_secret() {
    let dir = tempfile::tempdir().expect("tmp");
    let h = hosted("station-shooting", dir.path());
    let room = Room::open(h.clone(), "127.0.0.1:0").expect("room");
    assert_eq!(request(room.addr(), "GET", "/f/", &[], "").status, 404);
    assert_eq!(request(room.addr(), "GET", "/f/0123/", &[], "").status, 404);
    let r = post(room.addr(), "/f/0123/", None, "op=start");
    assert_eq!(r.status, 404);
    assert_eq!(h.view().sim().status(), paraat::engine::Status::Setup);
    let path = room.facilitator_path();
    let page = request(room.addr(), "GET", &path, &[], "");
    assert_eq!(page.status, 200);
    assert!(page.body.contains(room.code()));
    // The join address as an inline QR code.
    assert!(page.body.contains("<svg") && page.body.contains("aria-label=\"QR code: http://"));
    assert!(!page.body.contains("<?xml"));
    let r = post(room.addr(), &path, None, "op=start");
    assert_eq!(r.status, 303);
    assert_eq!(h.view().sim().status(), paraat::engine::Status::Running);
    // A seat cookie is no key to the facilitator page.
    let cookie = join(&room, "observer");
    assert_eq!(get(room.addr(), "/f/", &cookie).status, 404);
    // Each Revoke button is named by the seat it ends (the visible text stays "Revoke").
    join(&room, "burgemeester");
    join_roles(&room, &["ovj", "politiechef"]);
    let page = request(room.addr(), "GET", &path, &[], "").body;
    for name in [
        "Revoke seat Observer (observer-1)",
        "Revoke seat Mayor (burgemeester-2)",
        "Revoke seat Public prosecutor + Police chief (ovj+politiechef-3)",
    ] {
        assert!(
            page.contains(&format!("aria-label=\"{name}\">Revoke</button>")),
            "{name}: {page}"
        );
    }
    room.close();
}

#[test]
fn paraat_serve_prints_the_join_address_and_runs_the_room() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().expect("tmp");
    let journal = dir.path().join("serve.jsonl");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_paraat"))
        .args([
            "serve",
            "station-shooting",
            "--seed",
            "4",
            "--bind",
            "127.0.0.1:0",
            "--journal",
        ])
        .arg(&journal)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = std::io::BufReader::new(stdout).lines();
    let mut field = |name: &str| {
        let l = lines.next().expect("line").expect("utf-8");
        l.strip_prefix(name)
            .unwrap_or_else(|| panic!("{name} expected, got {l}"))
            .split_whitespace()
            .next()
            .expect("value")
            .to_owned()
    };
    let join = field("Join:");
    let code = field("Code:");
    let fac = field("Facilitator:");
    assert_eq!(code.len(), 6);
    let addr: SocketAddr = join
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .expect("address");
    let fac_path = fac.trim_start_matches(&format!("http://{addr}"));
    let page = request(addr, "GET", "/", &[], "");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("name=\"code\""));
    let r = post(addr, fac_path, None, "op=start");
    assert_eq!(r.status, 303);
    let page = request(addr, "GET", fac_path, &[], "");
    assert!(page.body.contains("running"), "{}", page.body);
    child.kill().expect("kill");
    let _ = child.wait();
    // What happened is in the journal.
    let read = paraat::journal::read_file(&journal).expect("journal");
    assert!(
        read.entries
            .iter()
            .any(|e| matches!(e.body, Body::Command(Command::Start)))
    );
}

#[test]
fn revoking_a_seat_ends_its_open_stream() {
    let dir = tempfile::tempdir().expect("tmp");
    let h = hosted("station-shooting", dir.path());
    let room = Room::open(h.clone(), "127.0.0.1:0").expect("room");
    let cookie = join(&room, "observer");
    let addr = room.addr();
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "GET /events HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\r\n"
    )
    .expect("write");
    s.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let mut buf = [0u8; 4096];
    let n = s.read(&mut buf).expect("head");
    assert!(String::from_utf8_lossy(&buf[..n]).contains("text/event-stream"));
    // The seat list shows it connected.
    assert!(room.seats()[0].connected);
    room.revoke(&room.seats()[0].label);
    // The server closes the stream well before the keep-alive interval.
    let start = Instant::now();
    let mut got = Vec::new();
    while !got.ends_with(b"0\r\n\r\n") {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) => panic!("stream not ended after revoking: {e}"),
        }
    }
    assert!(
        got.ends_with(b"0\r\n\r\n"),
        "the response ends with the last chunk"
    );
    assert!(start.elapsed() < Duration::from_secs(3));
    // And the cookie no longer opens a stream.
    assert_eq!(get(addr, "/events", &cookie).status, 403);
    room.close();
}

#[test]
fn the_server_keeps_connections_alive_and_refuses_oversized_or_broken_requests() {
    let dir = tempfile::tempdir().expect("tmp");
    let room = Room::open(hosted("station-shooting", dir.path()), "127.0.0.1:0").expect("room");
    let addr = room.addr();
    // Two requests on one connection, both answered.
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "GET /room.css HTTP/1.1\r\nHost: {addr}\r\n\r\nGET /room.js HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    assert_eq!(out.matches("HTTP/1.1 200 OK").count(), 2, "{out}");
    assert!(out.contains("text/css") && out.contains("text/javascript"));
    // A body over 64 KiB is refused before it is read.
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "POST /join HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nContent-Length: 10000000\r\n\r\n"
    )
    .expect("write");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    assert!(out.starts_with("HTTP/1.1 413"), "{out}");
    // A request line that is not HTTP.
    let mut s = TcpStream::connect(addr).expect("connect");
    s.write_all(b"\x16\x03\x01 hello\r\n\r\n").expect("write");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    assert!(out.starts_with("HTTP/1.1 400"), "{out}");
    room.close();
}

/// Reads an open stream until `needle` has appeared `times` times (or 5 s pass); returns the text.
fn read_until(s: &mut TcpStream, got: &mut String, needle: &str, times: usize) {
    s.set_read_timeout(Some(Duration::from_millis(200)))
        .expect("timeout");
    let start = Instant::now();
    let mut buf = [0u8; 16384];
    while got.matches(needle).count() < times && start.elapsed() < Duration::from_secs(5) {
        if let Ok(n) = s.read(&mut buf) {
            got.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    }
}

#[test]
fn deadlines_are_announced_at_five_and_one_minute_once_each() {
    let dir = tempfile::tempdir().expect("tmp");
    let h = hosted("station-shooting", dir.path());
    h.submit(&Source::Console, Command::Start).expect("start");
    let (role, due, prompt) = loop {
        let found = {
            let v = h.view();
            let sim = v.sim();
            let now = sim.now();
            sim.ctx().scenario.roles.iter().find_map(|r| {
                sim.pending_decisions(r)
                    .find(|p| p.due > now + 300)
                    .map(|p| (r.clone(), p.due, p.decision.prompt.get(Lang::En).to_owned()))
            })
        };
        if let Some(f) = found {
            break f;
        }
        h.submit(&Source::Console, Command::JumpToNextInject)
            .expect("next");
    };
    let room = Room::open(h.clone(), "127.0.0.1:0").expect("room");
    let cookie = join(&room, role.as_str());
    let addr = room.addr();
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "GET /events HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\r\n"
    )
    .expect("write");
    let mut got = String::new();
    read_until(&mut s, &mut got, "retry:", 1);
    assert!(!got.contains("event: deadline"), "nothing to announce yet");
    h.submit(&Source::Console, Command::AdvanceTo { t: due - 290 })
        .expect("advance");
    read_until(&mut s, &mut got, "event: deadline", 1);
    assert!(got.contains("Only 5 min left to decide"), "{got}");
    assert!(got.contains(&paraat::report::html::esc(&prompt)));
    // Not again within the same threshold; again at one minute.
    h.submit(&Source::Console, Command::AdvanceTo { t: due - 200 })
        .expect("advance");
    h.submit(&Source::Console, Command::AdvanceTo { t: due - 50 })
        .expect("advance");
    read_until(&mut s, &mut got, "event: deadline", 2);
    assert_eq!(got.matches("event: deadline").count(), 2, "{got}");
    assert!(got.contains("Only 1 min left to decide"), "{got}");
    room.close();
}

/// Runs `paraat serve ARGS` and returns the child and its first lines (up to `Journal:`).
fn serve(args: &[&str]) -> (std::process::Child, Vec<String>) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_paraat"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = std::io::BufReader::new(stdout).lines();
    let mut got = Vec::new();
    for l in lines.by_ref() {
        let l = l.expect("utf-8");
        let last = l.starts_with("Journal:");
        got.push(l);
        if last {
            break;
        }
    }
    // The seats line (if any) follows the journal line; read it without blocking forever.
    std::thread::spawn(move || {
        for l in lines {
            if l.is_err() {
                break;
            }
        }
    });
    (child, got)
}

#[test]
fn paraat_serve_resume_brings_the_seats_back_after_a_kill() {
    let dir = tempfile::tempdir().expect("tmp");
    let journal = dir.path().join("serve.jsonl");
    let j = journal.to_str().expect("utf-8 path");
    let (mut child, out) = serve(&[
        "serve",
        "station-shooting",
        "--bind",
        "127.0.0.1:0",
        "--journal",
        j,
    ]);
    let field = |out: &[String], name: &str| {
        out.iter()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .expect(name)
            .to_owned()
    };
    let join_url = field(&out, "Join:");
    let code = field(&out, "Code:");
    let addr: SocketAddr = join_url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .expect("address");
    let r = post(
        addr,
        "/join",
        None,
        &format!("code={code}&name=Anna&role=burgemeester"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let cookie = r
        .header("Set-Cookie")
        .and_then(|c| c.split(';').next())
        .expect("cookie")
        .to_owned();
    assert_eq!(get(addr, "/desk", &cookie).status, 200);
    // A crash.
    child.kill().expect("kill");
    let _ = child.wait();
    let (mut child, out) = serve(&["serve", "--resume", j, "--bind", &addr.to_string()]);
    assert_eq!(field(&out, "Join:"), join_url, "{out:?}");
    let page = get(addr, "/desk", &cookie);
    assert_eq!(page.status, 200, "back at the desk without joining");
    assert!(page.body.contains("Anna"));
    child.kill().expect("kill");
    let _ = child.wait();
}

/// A joint decision of the triangle's mayor and prosecutor, each on their own seat: it is on
/// both desks, one seat's choice waits for the other, and it is made when they agree.
#[test]
fn a_joint_decision_is_on_both_seats_and_made_when_they_agree() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("joint.ron");
    std::fs::write(
        &file,
        r#"Scenario(
    format: 2,
    id: "joint", plan: "lcp-egt", title: (nl: "Samen", en: "Together"),
    summary: (nl: "Test.", en: "Test."), start: "2026-03-18T10:45:00+01:00", duration_min: 60,
    roles: ["burgemeester", "ovj"],
    injects: [
        Inject(id: "i-melding", at_min: Some(0), to: ["burgemeester", "ovj"], channel: Phone,
            title: (nl: "Melding", en: "Report"), body: (nl: "Schoten.", en: "Shots."),
            effects: [Signal("terror_motive_possible")],
            decisions: [
                Decision(id: "d-samen", role: "burgemeester", with: ["ovj"],
                    prompt: (nl: "Gaat de driehoek uit van een terroristisch motief?", en: "Does the triangle assume a terrorist motive?"),
                    due_min: 20,
                    options: [
                        Choice(id: "ja", label: (nl: "Ja", en: "Yes"), actions: ["convene_triangle"]),
                        Choice(id: "nee", label: (nl: "Nee", en: "No")),
                    ]),
            ]),
    ],
)"#,
    )
    .expect("write");
    let lib = Library::load(&[load::builtin_dir(), file]);
    let ex = lib.find("joint").expect("scenario");
    let h = Host::new(
        Session::create(ex, 5, Vec::new(), &dir.path().join("j.jsonl")).expect("session"),
    );
    h.submit(&Source::Console, Command::Start).expect("start");
    let room = Room::open(h.clone(), "127.0.0.1:0").expect("room");
    let mayor = join(&room, "burgemeester");
    let ovj = join(&room, "ovj");
    for seat in [&mayor, &ovj] {
        let page = get(room.addr(), "/desk", seat).body;
        assert!(page.contains("value=\"d-samen\""), "{page}");
        assert!(page.contains("Joint decision: all its roles choose the same."));
    }
    let made = |h: &Host| {
        h.view().entries().iter().any(|e| {
            matches!(&e.body, Body::Event(ev) if matches!(&ev.kind,
                EventKind::DecisionMade { decision, role, choice, .. }
                    if decision.as_str() == "d-samen" && role.as_str() == "burgemeester"
                        && choice.as_str() == "ja"))
        })
    };
    let r = post(
        room.addr(),
        "/decide",
        Some(&mayor),
        "req=m1&decision=d-samen&choice=ja&rationale=",
    );
    assert_eq!(r.header("Location"), Some("/desk?r=sent"));
    assert!(
        !made(&h),
        "one role's choice does not make a joint decision"
    );
    let page = get(room.addr(), "/desk", &mayor).body;
    assert!(page.contains("Your choice: Yes"), "{page}");
    post(
        room.addr(),
        "/decide",
        Some(&ovj),
        "req=o1&decision=d-samen&choice=ja&rationale=",
    );
    assert!(made(&h), "made once both chose the same");
    room.close();
}

/// A rustls client that trusts only `cert` (DER), for the room's HTTPS tests.
fn tls_client(cert: &[u8]) -> std::sync::Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls::pki_types::CertificateDer::from(cert.to_vec()))
        .expect("root");
    // Deprecated in rustls 0.23.48 only because ring lacks post-quantum key exchange; the
    // aws-lc-rs provider that has it needs cmake. Classical X25519/P-256 as every browser.
    #[allow(deprecated)]
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    std::sync::Arc::new(
        rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("versions")
            .with_root_certificates(roots)
            .with_no_client_auth(),
    )
}

fn tls_connect(
    cfg: &std::sync::Arc<rustls::ClientConfig>,
    addr: SocketAddr,
) -> rustls::StreamOwned<rustls::ClientConnection, TcpStream> {
    let name = rustls::pki_types::ServerName::IpAddress(addr.ip().into());
    let conn = rustls::ClientConnection::new(cfg.clone(), name).expect("client");
    let s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    rustls::StreamOwned::new(conn, s)
}

/// `request` over TLS.
fn tls_request(
    cfg: &std::sync::Arc<rustls::ClientConfig>,
    addr: SocketAddr,
    method: &str,
    path: &str,
    extra: &[(&str, &str)],
    body: &str,
) -> Resp {
    let mut s = tls_connect(cfg, addr);
    let mut r = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in extra {
        r.push_str(&format!("{k}: {v}\r\n"));
    }
    if method == "POST" {
        r.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    r.push_str("\r\n");
    r.push_str(body);
    s.write_all(r.as_bytes()).expect("write");
    let mut out = Vec::new();
    // The room ends the connection with a close_notify; a read error after the whole response
    // (none expected) would show as a missing head below.
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8(out).expect("utf-8");
    let (head, body) = text.split_once("\r\n\r\n").expect("head");
    Resp {
        status: head[9..12].parse().expect("status"),
        head: head.to_owned(),
        body: body.to_owned(),
    }
}

#[test]
fn a_room_with_a_certificate_speaks_https_only() {
    let dir = tempfile::tempdir().expect("tmp");
    let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).expect("cert");
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, made.cert.pem()).expect("write cert");
    std::fs::write(&key, made.signing_key.serialize_pem()).expect("write key");
    let tls = paraat::room::Tls::load(&cert, &key).expect("certificate and key");
    let h = hosted("station-shooting", dir.path());
    let (role, decision, choice) = first_pending(&h);
    let room = Room::open_with(h.clone(), "127.0.0.1:0", Some(tls)).expect("room");
    let addr = room.addr();
    assert_eq!(room.join_url(), format!("https://{addr}/"));
    let client = tls_client(made.cert.der());

    // Join over TLS: the cookie is also Secure.
    let https = format!("https://{addr}");
    let r = tls_request(
        &client,
        addr,
        "POST",
        "/join",
        &[("Origin", &https)],
        &format!("code={}&name=Test&role={role}&lang=en", room.code()),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let c = r.header("Set-Cookie").expect("cookie");
    assert!(c.contains("Secure") && c.contains("HttpOnly"), "{c}");
    let cookie = c.split(';').next().expect("pair").to_owned();
    let page = tls_request(&client, addr, "GET", "/desk", &[("Cookie", &cookie)], "");
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&format!("value=\"{decision}\"")));

    // The origin is https://: a post naming http:// is refused.
    let body = format!("req=tls1&decision={decision}&choice={choice}&rationale=over+tls");
    let foreign = format!("http://{addr}");
    let r = tls_request(
        &client,
        addr,
        "POST",
        "/decide",
        &[("Origin", &foreign), ("Cookie", &cookie)],
        &body,
    );
    assert_eq!(r.status, 403);
    let r = tls_request(
        &client,
        addr,
        "POST",
        "/decide",
        &[("Origin", &https), ("Cookie", &cookie)],
        &body,
    );
    assert_eq!(r.header("Location"), Some("/desk?r=sent"), "{}", r.head);
    let decided = h.view().entries().iter().any(|e| {
        matches!(&e.body, Body::Event(ev) if matches!(&ev.kind,
            EventKind::DecisionMade { decision: d, .. } if d.as_str() == decision))
    });
    assert!(decided, "the decision posted over TLS is journaled");

    // The event stream works over TLS too.
    let mut s = tls_connect(&client, addr);
    write!(
        s,
        "GET /events HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\r\n"
    )
    .expect("write");
    let mut got = Vec::new();
    let mut chunk = [0u8; 4096];
    let start = Instant::now();
    while !String::from_utf8_lossy(&got).contains("retry: 1000")
        && start.elapsed() < Duration::from_secs(10)
    {
        if let Ok(n) = s.read(&mut chunk) {
            got.extend_from_slice(&chunk[..n]);
            if n == 0 {
                break;
            }
        }
    }
    let text = String::from_utf8_lossy(&got);
    assert!(
        text.starts_with("HTTP/1.1 200") && text.contains("text/event-stream"),
        "{text}"
    );
    assert!(text.contains("retry: 1000"), "{text}");
    drop(s);

    // Plain HTTP to the TLS port fails cleanly and soon: no HTTP answer, the connection ends
    // (it does not wait for the idle timeout), and the room goes on serving.
    let mut plain = TcpStream::connect(addr).expect("connect");
    plain
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(plain, "GET / HTTP/1.1\r\nHost: {addr}\r\n\r\n").expect("write");
    let start = Instant::now();
    let mut out = Vec::new();
    let ended = plain.read_to_end(&mut out);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "the plain request was left hanging"
    );
    if let Err(e) = ended {
        assert!(
            !matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
            "{e}"
        );
    }
    assert!(!out.starts_with(b"HTTP/"), "answered in plain HTTP");
    let page = tls_request(&client, addr, "GET", "/", &[], "");
    assert_eq!(page.status, 200);
    room.close();
}

#[test]
fn a_bad_certificate_or_key_is_a_clear_error_and_starts_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).expect("cert");
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, made.cert.pem()).expect("write cert");
    std::fs::write(&key, made.signing_key.serialize_pem()).expect("write key");
    let bad = dir.path().join("bad.pem");
    std::fs::write(&bad, "this is no certificate\n").expect("write");
    let missing = dir.path().join("missing.pem");

    let e = paraat::room::Tls::load(&bad, &key).expect_err("not a certificate");
    assert!(
        e.contains("bad.pem") && e.contains("no certificate") && e.contains("openssl req -x509"),
        "{e}"
    );
    let e = paraat::room::Tls::load(&missing, &key).expect_err("missing");
    assert!(
        e.contains("missing.pem") && e.contains("cannot read the certificate"),
        "{e}"
    );
    // Certificate and key swapped.
    let e = paraat::room::Tls::load(&key, &cert).expect_err("swapped");
    assert!(e.contains("key.pem") && e.contains("--tls-cert"), "{e}");
    // A key that is not the certificate's.
    let other = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).expect("cert");
    let key2 = dir.path().join("other-key.pem");
    std::fs::write(&key2, other.signing_key.serialize_pem()).expect("write key");
    let e = paraat::room::Tls::load(&cert, &key2).expect_err("mismatch");
    assert!(e.contains("other-key.pem") && e.contains("belongs"), "{e}");

    // `paraat serve` says so and exits, without starting a journal.
    let journal = dir.path().join("j.jsonl");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_paraat"))
        .args(["serve", "station-shooting", "--bind", "127.0.0.1:0"])
        .arg("--tls-cert")
        .arg(&bad)
        .arg("--tls-key")
        .arg(&key)
        .arg("--journal")
        .arg(&journal)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("paraat serve ran with a bad certificate");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("read");
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("bad.pem") && stderr.contains("no certificate"),
        "{stderr}"
    );
    assert!(!journal.exists(), "a journal was started");
}

/// The journal sequence number at which inject `id` was released, if it was.
fn released_at(h: &Host, id: &str) -> Option<u64> {
    h.view().entries().iter().find_map(|e| match &e.body {
        Body::Event(ev) => match &ev.kind {
            EventKind::InjectReleased { inject, .. } if inject.as_str() == id => Some(e.seq),
            _ => None,
        },
        Body::Command(_) => None,
    })
}

/// A header of a raw answer's head.
fn head_value<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

const STILL_EN: &str = "Still from a video under #lingecorso: the white van between two floats, spectators on the street";

/// The picture a released message carries is on the desk of each seat it was sent to (with
/// its caption as alternate text) and served to that seat with the bytes shipped and the type
/// its content was recognised as; to a seat of another role, before its release, without a
/// seat or with a forged cookie the same address is 404.
#[test]
fn a_seat_fetches_the_picture_of_its_released_message_and_no_one_else_can() {
    let dir = tempfile::tempdir().expect("tmp");
    let h = hosted("event-ramming", dir.path());
    let room = Room::open(h.clone(), "127.0.0.1:0").expect("room");
    let addr = room.addr();
    let shipped = std::fs::read(load::builtin_dir().join("bijlagen/02-lingecorso-video.jpg"))
        .expect("the shipped still");
    let comm = join(&room, "communicatie");
    let ovj = join(&room, "ovj");
    h.submit(&Source::Console, Command::Start).expect("start");
    // Not released yet: no address of any entry gives it, even to a recipient.
    assert_eq!(released_at(&h, "i-social-videos"), None);
    for seq in 0..h.len() as u64 + 3 {
        let (status, _, _) = request_raw(
            addr,
            "GET",
            &format!("/att/{seq}/0"),
            &[("Cookie", &comm)],
            "",
        );
        assert_eq!(status, 404, "entry {seq} before the release");
    }
    assert!(!get(addr, "/desk", &comm).body.contains("/att/"));
    h.submit(&Source::Console, Command::AdvanceTo { t: 5 * 60 })
        .expect("advance");
    let seq = released_at(&h, "i-social-videos").expect("released by minute 5");
    let url = format!("/att/{seq}/0");
    let desk = get(addr, "/desk", &comm).body;
    assert!(
        desk.contains(&format!("<img src=\"{url}\" alt=\"{STILL_EN}\">")),
        "the still on the recipient's desk: {desk}"
    );
    let (status, head, body) = request_raw(addr, "GET", &url, &[("Cookie", &comm)], "");
    assert_eq!(status, 200, "{head}");
    assert_eq!(head_value(&head, "Content-Type"), Some("image/jpeg"));
    assert_eq!(head_value(&head, "X-Content-Type-Options"), Some("nosniff"));
    assert!(
        head_value(&head, "Content-Disposition").is_none(),
        "a picture is shown inline"
    );
    assert!(body == shipped, "the bytes shipped beside the scenario");
    // The prosecutor did not receive the message: no picture, no file.
    assert!(!get(addr, "/desk", &ovj).body.contains("/att/"));
    let (status, _, body) = request_raw(addr, "GET", &url, &[("Cookie", &ovj)], "");
    assert_eq!(status, 404);
    assert!(!body.windows(4).any(|w| w == b"\xFF\xD8\xFF\xE0"));
    // No seat, a forged seat, another attachment number, another entry.
    for (path, cookie) in [
        (url.clone(), ""),
        (url.clone(), "paraat_seat=0123456789abcdef"),
        (format!("/att/{seq}/1"), comm.as_str()),
        (format!("/att/{}/0", seq + 1), comm.as_str()),
        (format!("/att/{seq}/x"), comm.as_str()),
    ] {
        let (status, _, _) = request_raw(addr, "GET", &path, &[("Cookie", cookie)], "");
        assert_eq!(status, 404, "{path} with {cookie:?}");
    }
    let (status, _, _) = request_raw(addr, "GET", &url, &[], "");
    assert_eq!(status, 404, "without any cookie");
    room.close();
}

/// An observer sees the pictures of messages on a public channel (what the projector shows),
/// not those of a message to a role: the same still sent by telephone is 404 to an observer
/// and still there for its recipient.
#[test]
fn an_observer_gets_the_pictures_of_public_messages_only() {
    for (channel, public) in [("Social", true), ("Phone", false)] {
        let dir = tempfile::tempdir().expect("tmp");
        let src = load::builtin_dir();
        std::fs::create_dir(dir.path().join("bijlagen")).expect("mkdir");
        std::fs::copy(
            src.join("bijlagen/02-lingecorso-video.jpg"),
            dir.path().join("bijlagen/02-lingecorso-video.jpg"),
        )
        .expect("copy");
        let text = std::fs::read_to_string(src.join("02-event-ramming.ron")).expect("read");
        let at = text.find("id: \"i-social-videos\"").expect("the inject");
        let (head, tail) = text.split_at(at);
        let tail = tail.replacen("channel: Social,", &format!("channel: {channel},"), 1);
        let file = dir.path().join("02-event-ramming.ron");
        std::fs::write(&file, format!("{head}{tail}")).expect("write");
        let ex = paraat::library::load_exercise(&file).expect("loads");
        let h = Host::new(
            Session::create(&ex, 5, Vec::new(), &dir.path().join("j.jsonl")).expect("session"),
        );
        let room = Room::open(h.clone(), "127.0.0.1:0").expect("room");
        let obs = join(&room, "observer");
        let comm = join(&room, "communicatie");
        h.submit(&Source::Console, Command::Start).expect("start");
        h.submit(&Source::Console, Command::AdvanceTo { t: 5 * 60 })
            .expect("advance");
        let url = format!(
            "/att/{}/0",
            released_at(&h, "i-social-videos").expect("released")
        );
        let (status, _, _) = request_raw(room.addr(), "GET", &url, &[("Cookie", &obs)], "");
        assert_eq!(status == 200, public, "{channel}: observer");
        assert_eq!(get(room.addr(), "/desk", &obs).body.contains(&url), public);
        let (status, _, _) = request_raw(room.addr(), "GET", &url, &[("Cookie", &comm)], "");
        assert_eq!(status, 200, "{channel}: the recipient");
        room.close();
    }
}

/// A PDF an inject carries is a download link on the desk, sent as `application/pdf` with
/// `Content-Disposition: attachment`.
#[test]
fn a_pdf_attachment_is_a_download() {
    let dir = tempfile::tempdir().expect("tmp");
    let src = load::builtin_dir();
    std::fs::create_dir(dir.path().join("bijlagen")).expect("mkdir");
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
    std::fs::write(dir.path().join("bijlagen/folder (1).pdf"), pdf).expect("pdf");
    let text = std::fs::read_to_string(src.join("02-event-ramming.ron")).expect("read");
    let text = text.replacen(
        "file: \"bijlagen/02-lingecorso-video.jpg\"",
        "file: \"bijlagen/folder (1).pdf\"",
        1,
    );
    let file = dir.path().join("02-event-ramming.ron");
    std::fs::write(&file, text).expect("write");
    let ex = paraat::library::load_exercise(&file).expect("loads");
    let h = Host::new(
        Session::create(&ex, 5, Vec::new(), &dir.path().join("j.jsonl")).expect("session"),
    );
    let room = Room::open(h.clone(), "127.0.0.1:0").expect("room");
    let comm = join(&room, "communicatie");
    h.submit(&Source::Console, Command::Start).expect("start");
    h.submit(&Source::Console, Command::AdvanceTo { t: 5 * 60 })
        .expect("advance");
    let url = format!(
        "/att/{}/0",
        released_at(&h, "i-social-videos").expect("released")
    );
    let desk = get(room.addr(), "/desk", &comm).body;
    assert!(
        desk.contains(&format!(
            "<a href=\"{url}\" download>Attachment (PDF document): "
        )),
        "{desk}"
    );
    let (status, head, body) = request_raw(room.addr(), "GET", &url, &[("Cookie", &comm)], "");
    assert_eq!(status, 200);
    assert_eq!(head_value(&head, "Content-Type"), Some("application/pdf"));
    assert_eq!(
        head_value(&head, "Content-Disposition"),
        Some("attachment; filename=\"folder__1_.pdf\"")
    );
    assert_eq!(body, pdf);
    room.close();
}
