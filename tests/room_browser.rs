//! The room in a real browser: Debian's headless Chromium, driven over the `DevTools` protocol
//! (`headless_chrome`). Join with the code, receive an inject live, decide with a rationale and
//! find it in the journal file; a decision opening updates the desk without a reload; drop and
//! restore the network and see the missed messages arrive once each, in order; every control on
//! the seat pages has an accessible role and name in Chromium's accessibility tree.
//!
//! Chromium must be installed (`.ci/run` installs it): the tests fail, saying what to install,
//! when it is missing. `PARAAT_CHROMIUM` names another binary.
// A test reads the clock for its own timeouts.
#![allow(clippy::disallowed_methods)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::Network;
use headless_chrome::{Browser, LaunchOptions, Tab};
use paraat::engine::Command;
use paraat::host::{Host, Source};
use paraat::journal::{Body, Session};
use paraat::library::Library;
use paraat::model::{Channel, RoleId, load};
use paraat::room::Room;

/// The Chromium binary, or a failure that says what to install.
fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("PARAAT_CHROMIUM") {
        return PathBuf::from(p);
    }
    for p in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if std::path::Path::new(p).exists() {
            return PathBuf::from(p);
        }
    }
    panic!(
        "Chromium is missing: the room's browser tests need it. Install it with \
         `apt-get install chromium` (Debian; `.ci/run` does), or set PARAAT_CHROMIUM to a \
         Chromium or Chrome binary."
    );
}

fn browser(width: u32, height: u32) -> Browser {
    let opts = LaunchOptions::default_builder()
        .path(Some(chromium()))
        .headless(true)
        .sandbox(false)
        .window_size(Some((width, height)))
        .idle_browser_timeout(Duration::from_mins(2))
        .build()
        .expect("launch options");
    Browser::new(opts).expect("Chromium starts")
}

fn hosted(dir: &std::path::Path) -> (Host, PathBuf) {
    let lib = Library::load(&[load::builtin_dir()]);
    let ex = lib.find("station-shooting").expect("scenario");
    let path = dir.join("j.jsonl");
    (
        Host::new(Session::create(ex, 5, Vec::new(), &path).expect("session")),
        path,
    )
}

/// Jumps inject by inject until `role` (or, without one, any role) has a pending decision;
/// returns the role and the decision's index.
fn until_pending(h: &Host, role: Option<&RoleId>) -> (RoleId, usize) {
    for _ in 0..200 {
        let found = {
            let v = h.view();
            let sim = v.sim();
            sim.ctx()
                .scenario
                .roles
                .iter()
                .filter(|r| role.is_none_or(|want| want == *r))
                .find_map(|r| {
                    sim.pending_decisions(r)
                        .next()
                        .map(|p| (r.clone(), p.index))
                })
        };
        if let Some(f) = found {
            return f;
        }
        h.submit(&Source::Console, Command::JumpToNextInject)
            .expect("next");
    }
    panic!("no pending decision for {role:?}");
}

/// Clicks the element `sel` (waiting for it), failing with `what`.
fn click(tab: &Tab, sel: &str, what: &str) {
    tab.wait_for_element(sel)
        .unwrap_or_else(|e| panic!("{what}: {e}"))
        .click()
        .unwrap_or_else(|e| panic!("{what}: {e}"));
}

fn eval(tab: &Tab, js: &str) -> serde_json::Value {
    tab.evaluate(js, false)
        .expect("evaluate")
        .value
        .unwrap_or(serde_json::Value::Null)
}

/// Waits until `js` evaluates to `true` (or fails after 15 s, saying `what`).
fn wait_true(tab: &Tab, js: &str, what: &str) {
    let start = Instant::now();
    while eval(tab, js) != serde_json::Value::Bool(true) {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "timed out: {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "timed out: {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `Accessibility.getFullAXTree`, read as plain JSON: the crate's typed answer lags Chromium
/// (it refuses property names newer than its protocol copy, such as `uninteresting`).
#[derive(Debug, serde::Serialize)]
struct FullAxTree {}

impl headless_chrome::protocol::cdp::types::Method for FullAxTree {
    const NAME: &'static str = "Accessibility.getFullAXTree";
    type ReturnObject = serde_json::Value;
}

/// Roles of interactive controls in Chromium's accessibility tree.
/// (A `select`'s popup, `MenuListPopup`, is part of its named combo box and has no name itself.)
const CONTROLS: [&str; 9] = [
    "button",
    "link",
    "textbox",
    "checkbox",
    "radio",
    "combobox",
    "ComboBoxSelect",
    "spinbutton",
    "searchbox",
];

/// Every interactive control on the page has a role and a non-empty accessible name, and the
/// tree holds as many named controls as the page shows form controls and links (so the check
/// cannot pass on an empty tree).
fn controls_are_named(tab: &Tab, page: &str) {
    let tree = tab.call_method(FullAxTree {}).expect("accessibility tree");
    let nodes = tree["nodes"].as_array().expect("nodes");
    let text =
        |n: &serde_json::Value, k: &str| n[k]["value"].as_str().unwrap_or("").trim().to_owned();
    let mut named = 0;
    for n in nodes {
        if n["ignored"].as_bool() == Some(true) {
            continue;
        }
        let role = text(n, "role");
        if !CONTROLS.contains(&role.as_str()) {
            continue;
        }
        assert!(
            !text(n, "name").is_empty(),
            "{page}: a {role} without an accessible name (DOM node {})",
            n["backendDOMNodeId"]
        );
        named += 1;
    }
    let dom = eval(
        tab,
        "Array.from(document.querySelectorAll('a[href],button,select,textarea,input:not([type=hidden])'))\
         .filter(function(e){return !e.closest('[hidden]')}).length",
    )
    .as_u64()
    .expect("count");
    assert!(dom > 0, "{page}: no controls found");
    assert_eq!(
        named, dom,
        "{page}: {dom} controls on the page, {named} named controls in the tree"
    );
}

fn offline(tab: &Tab, off: bool) {
    tab.call_method(Network::Enable {
        max_total_buffer_size: None,
        max_resource_buffer_size: None,
        max_post_data_size: None,
        report_direct_socket_traffic: None,
        enable_durable_messages: None,
    })
    .expect("network enable");
    tab.call_method(Network::EmulateNetworkConditions {
        offline: off,
        latency: 0.0,
        download_throughput: -1.0,
        upload_throughput: -1.0,
        connection_Type: None,
        packet_loss: None,
        packet_queue_length: None,
        packet_reordering: None,
    })
    .expect("network conditions");
}

/// Sends an ad-hoc message to `role`; returns the sequence number of its release (the
/// message's id on the page is `m` + it).
fn ad_hoc(h: &Host, role: &RoleId, title: &str) -> u64 {
    h.submit(
        &Source::Console,
        Command::AdHocInject {
            to: vec![role.clone()],
            channel: Channel::Phone,
            title: title.to_owned(),
            body: format!("{title}: body"),
        },
    )
    .expect("ad hoc");
    let v = h.view();
    let ctx = v.sim().ctx().clone();
    paraat::projection::messages(
        v.entries(),
        &ctx,
        paraat::projection::Audience::Control,
        paraat::model::Lang::En,
    )
    .find(|m| m.title == title)
    .map(|m| m.seq)
    .expect("released")
}

/// The ids of the inbox's messages, top (newest) first.
fn inbox_ids(tab: &Tab) -> Vec<String> {
    let v = eval(
        tab,
        "JSON.stringify(Array.from(document.querySelectorAll('#inbox > li')).map(function(l){return l.id}))",
    );
    serde_json::from_str(v.as_str().expect("json")).expect("ids")
}

#[test]
fn a_seat_joins_decides_and_survives_a_dropped_network_in_chromium() {
    let dir = tempfile::tempdir().expect("tmp");
    let (h, journal) = hosted(dir.path());
    h.submit(&Source::Console, Command::Start).expect("start");
    let (role, index) = until_pending(&h, None);
    // Which role's decision opens next (found on a copy of the exercise, same seed): the seat
    // holds both roles, a small team, so that decision arrives while the first is filled in.
    let (other_role, other_index, jumps) = {
        let scratch = tempfile::tempdir().expect("tmp");
        let (o, _) = hosted(scratch.path());
        o.submit(&Source::Console, Command::Start).expect("start");
        until_pending(&o, None);
        let mut jumps = 0;
        loop {
            o.submit(&Source::Console, Command::JumpToNextInject)
                .expect("next");
            jumps += 1;
            let v = o.view();
            let sim = v.sim();
            let fresh = sim.ctx().scenario.roles.iter().find_map(|r| {
                sim.pending_decisions(r)
                    .find(|p| p.index != index)
                    .map(|p| (r.clone(), p.index))
            });
            if let Some((r, i)) = fresh {
                break (r, i, jumps);
            }
            assert!(jumps < 50, "no second decision");
        }
    };
    let room = Room::open(h.clone(), "127.0.0.1:0").expect("room");
    let b = browser(360, 740);
    let tab = b.new_tab().expect("tab");
    tab.set_default_timeout(Duration::from_secs(15));

    // Join: the code first, then a name and the role.
    tab.navigate_to(&room.join_url())
        .and_then(Tab::wait_until_navigated)
        .expect("join page");
    controls_are_named(&tab, "join page");
    click(&tab, "#code", "code field");
    tab.type_str(room.code()).expect("type code");
    click(&tab, "button[type=submit]", "next");
    tab.wait_for_element("#name").expect("second step");
    controls_are_named(&tab, "role choice");
    click(&tab, "#name", "name");
    tab.type_str("Anna").expect("type name");
    let roles = h.view().sim().ctx().scenario.roles.clone();
    for r in [&role, &other_role] {
        let i = roles.iter().position(|x| x == r).expect("role");
        click(&tab, &format!("#role{i}"), "role box");
    }
    click(&tab, "button[type=submit]", "join");
    tab.wait_for_element("#inbox").expect("desk");
    assert!(tab.get_url().ends_with("/desk"), "{}", tab.get_url());
    controls_are_named(&tab, "role desk");
    wait_for("the desk's stream is open", || {
        room.seats().iter().any(|s| s.connected)
    });

    // An inject arrives live.
    let seq = ad_hoc(&h, &role, "Live inject");
    tab.wait_for_element(&format!("#m{seq}"))
        .expect("the inject arrives without a reload");
    wait_true(
        &tab,
        "document.getElementById('announce').textContent.indexOf('Live inject')>=0",
        "the new message is announced",
    );

    // Start a rationale; meanwhile the other role's decision opens: the desk shows it without
    // a reload, and the rationale being written stays.
    click(&tab, &format!("#c{index}-0"), "choice");
    click(&tab, &format!("#r{index}"), "rationale");
    tab.type_str("Because the browser").expect("type");
    eval(&tab, "window.paraatMark=42;true");
    for _ in 0..jumps {
        h.submit(&Source::Console, Command::JumpToNextInject)
            .expect("next");
    }
    tab.wait_for_element(&format!("#d{other_index}"))
        .expect("the new decision appears live");
    assert_eq!(
        eval(&tab, "window.paraatMark"),
        serde_json::json!(42),
        "the page was not reloaded"
    );
    assert_eq!(
        eval(&tab, &format!("document.getElementById('r{index}').value")),
        serde_json::json!("Because the browser"),
        "the rationale being written was kept"
    );
    wait_true(
        &tab,
        "document.getElementById('announce').textContent.length>0 && \
         document.getElementById('announce').textContent.indexOf('Live inject')<0",
        "the new decision is announced",
    );

    // Send it; "sent" once journaled.
    click(&tab, &format!("#r{index}"), "rationale");
    tab.press_key("End").expect("end");
    tab.type_str(" says so").expect("type");
    click(&tab, &format!("#d{index} button[type=submit]"), "send");
    wait_true(
        &tab,
        "location.search.indexOf('r=sent')>=0",
        "the page says sent",
    );
    let read = paraat::journal::read_file(&journal).expect("journal file");
    let entry = read
        .entries
        .iter()
        .find(|e| {
            matches!(&e.body, Body::Command(Command::Decide { rationale, role: r, .. })
                if rationale == "Because the browser says so" && *r == role)
        })
        .expect("the decision is in the journal file");
    assert!(entry.actor.starts_with("seat:"), "{}", entry.actor);
    wait_for("the stream is open again", || {
        room.seats().iter().any(|s| s.connected)
    });

    // Drop the connection: the phone goes off the network and the room's server restarts (the
    // room is dropped, which ends every stream, and opened again on the same address with the
    // seats it kept). Three messages are missed meanwhile; after reconnecting, each arrives once,
    // in order.
    let before = inbox_ids(&tab);
    let addr = room.addr();
    offline(&tab, true);
    drop(room);
    wait_true(
        &tab,
        "!document.getElementById('offline').hidden",
        "the page shows it is offline",
    );
    let missed: Vec<u64> = (1..=3)
        .map(|n| ad_hoc(&h, &role, &format!("Missed {n}")))
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    for s in &missed {
        assert_eq!(
            eval(&tab, &format!("!!document.getElementById('m{s}')")),
            serde_json::json!(false),
            "m{s} arrived while offline"
        );
    }
    let room = Room::open(h.clone(), &addr.to_string()).expect("the room again");
    offline(&tab, false);
    for s in &missed {
        tab.wait_for_element(&format!("#m{s}"))
            .expect("a missed message arrives after reconnecting");
    }
    wait_true(
        &tab,
        "document.getElementById('offline').hidden",
        "the offline notice goes",
    );
    // Let any duplicate arrive before counting.
    std::thread::sleep(Duration::from_millis(1500));
    let after = inbox_ids(&tab);
    let mut want: Vec<String> = missed.iter().rev().map(|s| format!("m{s}")).collect();
    want.extend(before);
    assert_eq!(after, want, "each missed message once, newest first");
    drop(tab);
    drop(b);
    room.close();
}

#[test]
fn an_observer_page_has_a_named_control_for_everything_in_chromium() {
    let dir = tempfile::tempdir().expect("tmp");
    let (h, _) = hosted(dir.path());
    let room = Room::open(h, "127.0.0.1:0").expect("room");
    let b = browser(1280, 900);
    let tab: Arc<Tab> = b.new_tab().expect("tab");
    tab.set_default_timeout(Duration::from_secs(15));
    tab.navigate_to(&format!("{}?lang=en", room.join_url()))
        .and_then(Tab::wait_until_navigated)
        .expect("join page");
    click(&tab, "#code", "code");
    tab.type_str(room.code()).expect("type");
    tab.press_key("Enter").expect("enter");
    click(&tab, "#role-obs", "observer");
    click(&tab, "button[type=submit]", "join");
    tab.wait_for_element("#otext").expect("observer desk");
    controls_are_named(&tab, "observer desk");
    // The facilitator page: every control named, each Revoke button by whose seat it ends
    // (its visible text, "Revoke", first in the name).
    tab.navigate_to(&format!(
        "http://{}{}",
        room.addr(),
        room.facilitator_path()
    ))
    .and_then(Tab::wait_until_navigated)
    .expect("facilitator page");
    controls_are_named(&tab, "facilitator page");
    let tree = tab.call_method(FullAxTree {}).expect("accessibility tree");
    let revokes: Vec<&str> = tree["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter(|n| n["role"]["value"].as_str() == Some("button"))
        .filter_map(|n| n["name"]["value"].as_str())
        .filter(|n| n.starts_with("Revoke"))
        .collect();
    assert_eq!(revokes, vec!["Revoke seat Observer (observer-1)"]);
    room.close();
}

/// `Emulation.setDeviceMetricsOverride`: a phone's viewport (headless Chromium keeps its
/// window at least 500 pixels wide).
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct PhoneViewport {
    width: u32,
    height: u32,
    device_scale_factor: f64,
    mobile: bool,
}

impl headless_chrome::protocol::cdp::types::Method for PhoneViewport {
    const NAME: &'static str = "Emulation.setDeviceMetricsOverride";
    type ReturnObject = serde_json::Value;
}

/// Joins the room open in `tab` with the code, as `role_id` (a checkbox's value).
fn join_as(tab: &Tab, room: &Room, role_value: &str) {
    tab.navigate_to(&format!("{}?lang=en", room.join_url()))
        .and_then(Tab::wait_until_navigated)
        .expect("join page");
    click(tab, "#code", "code");
    tab.type_str(room.code()).expect("type");
    tab.press_key("Enter").expect("enter");
    click(
        tab,
        &format!("input[name=role][value={role_value}]"),
        "the role",
    );
    click(tab, "button[type=submit]", "join");
    tab.wait_for_element("#inbox").expect("the desk");
}

/// On a phone-sized desk the still of a released social-media message is loaded (through the
/// seat's cookie, within the page's content security policy), no wider than the screen, and
/// in Chromium's accessibility tree as an image named by its caption. A screenshot is left in
/// the test's temporary folder (`room-desk-attachment-360.png`) for a person to look at.
#[test]
fn a_seat_sees_the_picture_of_its_message_with_its_caption_in_chromium() {
    let dir = tempfile::tempdir().expect("tmp");
    let lib = Library::load(&[load::builtin_dir()]);
    let ex = lib.find("event-ramming").expect("scenario");
    let h = Host::new(
        Session::create(ex, 5, Vec::new(), &dir.path().join("j.jsonl")).expect("session"),
    );
    h.submit(&Source::Console, Command::Start).expect("start");
    h.submit(&Source::Console, Command::AdvanceTo { t: 5 * 60 })
        .expect("advance");
    let room = Room::open(h, "127.0.0.1:0").expect("room");
    let b = browser(360, 740);
    let tab = b.new_tab().expect("tab");
    tab.set_default_timeout(Duration::from_secs(15));
    tab.call_method(PhoneViewport {
        width: 360,
        height: 740,
        device_scale_factor: 1.0,
        mobile: true,
    })
    .expect("a phone's viewport");
    join_as(&tab, &room, "communicatie");
    assert_eq!(
        eval(&tab, "document.documentElement.clientWidth"),
        serde_json::json!(360)
    );
    wait_true(
        &tab,
        "(function(){var i=document.querySelector('#inbox img');\
         return !!i && i.complete && i.naturalWidth > 0})()",
        "the picture loads",
    );
    let fits = eval(
        &tab,
        "(function(){var i=document.querySelector('#inbox img');\
         return i.getBoundingClientRect().right <= document.documentElement.clientWidth})()",
    );
    assert_eq!(fits, serde_json::Value::Bool(true), "wider than the screen");
    let caption = "Still from a video under #lingecorso: the white van between two floats, spectators on the street";
    let tree = tab.call_method(FullAxTree {}).expect("accessibility tree");
    let images: Vec<String> = tree["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter(|n| n["ignored"].as_bool() != Some(true))
        .filter(|n| matches!(n["role"]["value"].as_str(), Some("image" | "img")))
        .map(|n| n["name"]["value"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(images, vec![caption.to_owned()], "the image and its name");
    controls_are_named(&tab, "desk with a picture");
    eval(&tab, "document.querySelector('#inbox li').scrollIntoView()");
    let png = tab
        .capture_screenshot(
            headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption::Png,
            None,
            None,
            true,
        )
        .expect("screenshot");
    std::fs::write(
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("room-desk-attachment-360.png"),
        png,
    )
    .expect("write the screenshot");
    room.close();
}
