//! The room's pages and stream events: plain HTML, every text escaped, nothing loaded from
//! elsewhere. What a seat may see is decided here, through the projection.

use std::fmt::Write as _;

use super::{Seat, SeatInfo};
use crate::engine::{Compiled, EventKind, Status, fmt_elapsed};
use crate::host::Host;
use crate::i18n::tr;
use crate::journal::{Body, Entry};
use crate::model::{Lang, RoleId};
use crate::projection::{self, Audience, Message};
use crate::report::html::esc;

/// The live-update script: appends pushed messages, shows an offline banner, and points to a
/// reload when the seat's decisions change. Served as a file (the CSP forbids inline scripts).
pub const SCRIPT: &str = r#"(function(){
"use strict";
var inbox=document.getElementById("inbox"),off=document.getElementById("offline"),
chg=document.getElementById("changed"),ann=document.getElementById("announce");
if(!inbox||!window.EventSource)return;
var es=new EventSource("/events?after="+(inbox.getAttribute("data-seen")||"0"));
var timer=null;
es.addEventListener("open",function(){clearTimeout(timer);timer=null;off.hidden=true;});
es.addEventListener("error",function(){if(timer===null)timer=setTimeout(function(){off.hidden=false;},4000);});
es.addEventListener("message",function(e){
 var t=document.createElement("template");t.innerHTML=e.data;
 var li=t.content.firstElementChild;if(!li)return;
 if(li.id&&document.getElementById(li.id))return;
 inbox.insertBefore(li,inbox.firstChild);
 var h=li.querySelector("h3");if(ann&&h)ann.textContent=h.textContent;
});
es.addEventListener("desk",function(){chg.hidden=false;});
es.addEventListener("deadline",function(e){var d=document.createElement("div");d.innerHTML=e.data;
 if(ann)ann.textContent=d.textContent;});
})();
"#;

/// The room's style sheet: readable from 320 px up, native controls.
pub const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:48rem;padding:.5rem;\
line-height:1.4;color:#1d232a}h1{font-size:1.3rem;margin:.3rem 0}h2{font-size:1.1rem;border-bottom:2px solid #154273;\
color:#154273;margin-top:1.2rem}h3{font-size:1rem;margin:.2rem 0}ol,ul{padding-left:1.2rem}\
li{margin:.4rem 0}label{display:block;margin:.3rem 0}textarea,select,input[type=text]{width:100%;box-sizing:border-box;\
font:inherit;padding:.3rem}button{font:inherit;padding:.4rem .9rem;margin:.3rem 0}fieldset{border:1px solid #c8ccd0;\
margin:.5rem 0}.meta{color:#555;font-size:.85rem}.notice{background:#eef2f6;border-left:4px solid #154273;padding:.4rem}\
.warn{background:#fbe6c8;border-left:4px solid #b35c00;padding:.4rem}.radio{display:flex;gap:.4rem;align-items:baseline}\
.radio label{display:inline;margin:0}.inline{display:inline}.qr{margin:.5rem 0}table{border-collapse:collapse;width:100%}td,th{border:1px solid #c8ccd0;padding:.2rem;text-align:left}\
";

fn page(lang: Lang, title: &str, body: &str, script: bool) -> String {
    let code = match lang {
        Lang::Nl => "nl",
        Lang::En => "en",
    };
    let js = if script {
        "<script src=\"/room.js\" defer></script>"
    } else {
        ""
    };
    format!(
        "<!doctype html><html lang=\"{code}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{}</title><link rel=\"stylesheet\" href=\"/room.css\">{js}</head><body>{body}</body></html>",
        esc(title)
    )
}

/// A page with a title and one sentence.
pub fn plain(lang: Lang, title: &str, msg: &str) -> String {
    page(
        lang,
        title,
        &format!(
            "<main><h1>{}</h1><p>{}</p><p><a href=\"/\">Paraat</a></p></main>",
            esc(title),
            esc(msg)
        ),
        false,
    )
}

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "nl",
        Lang::En => "en",
    }
}

/// The join page: code, name, role (or observer).
pub fn join(host: &Host, lang: Lang, error: Option<&str>) -> String {
    let l = |nl, en| tr(lang, nl, en);
    let v = host.view();
    let ctx = v.sim().ctx().clone();
    drop(v);
    let mut b = String::new();
    let _ = write!(
        b,
        "<main><h1>Paraat — {}</h1><p class=\"meta\">{}</p>",
        esc(ctx.scenario.title.get(lang)),
        if lang == Lang::Nl {
            "<a href=\"/?lang=en\" hreflang=\"en\">English</a>"
        } else {
            "<a href=\"/?lang=nl\" hreflang=\"nl\">Nederlands</a>"
        }
    );
    if let Some(e) = error {
        let _ = write!(b, "<p class=\"warn\" role=\"alert\">{}</p>", esc(e));
    }
    let _ = write!(
        b,
        "<form method=\"post\" action=\"/join\"><input type=\"hidden\" name=\"lang\" value=\"{}\">\
         <label for=\"code\">{}</label><input type=\"text\" id=\"code\" name=\"code\" inputmode=\"numeric\" \
         autocomplete=\"off\" required>\
         <label for=\"name\">{}</label><input type=\"text\" id=\"name\" name=\"name\" maxlength=\"60\">\
         <label for=\"role\">{}</label><select id=\"role\" name=\"role\" required>",
        lang_code(lang),
        l("Deelnamecode", "Join code"),
        l(
            "Uw naam (voor de oefenleiding)",
            "Your name (for exercise control)"
        ),
        l("Rol", "Role"),
    );
    for r in &ctx.scenario.roles {
        let _ = write!(
            b,
            "<option value=\"{}\">{}</option>",
            esc(r.as_str()),
            esc(crate::describe::role(&ctx, r.as_str(), lang))
        );
    }
    let _ = write!(
        b,
        "<option value=\"observer\">{}</option></select><button type=\"submit\">{}</button></form></main>",
        l("Waarnemer (evaluatie)", "Observer (evaluation)"),
        l("Deelnemen", "Join"),
    );
    page(lang, "Paraat", &b, false)
}

/// One message as a list item (the same markup on the page and in the stream).
fn message_li(m: &Message<'_>, lang: Lang, observer: bool) -> String {
    let mut s = format!(
        "<li id=\"m{}\"><h3>{}</h3><p class=\"meta\">{} · {}",
        m.seq,
        esc(m.title),
        fmt_elapsed(m.t),
        esc(m.channel.label(lang))
    );
    if let Some(f) = m.from {
        let _ = write!(s, " · {}", esc(f));
    }
    if observer {
        let to: Vec<&str> = m.to.iter().map(RoleId::as_str).collect();
        let _ = write!(s, " · → {}", esc(&to.join(", ")));
    }
    let body = esc(m.body).replace('\n', "<br>");
    let _ = write!(s, "</p><p>{body}</p></li>");
    s
}

fn audience(seat: &Seat) -> Audience<'_> {
    match &seat.role {
        Some(r) => Audience::Role(r),
        // Observers see every role's messages; messages carry no scores or hidden state.
        None => Audience::Control,
    }
}

fn status_word(s: Status, lang: Lang) -> &'static str {
    match s {
        Status::Setup => tr(lang, "nog niet begonnen", "not started"),
        Status::Running => tr(lang, "loopt", "running"),
        Status::Paused => tr(lang, "gepauzeerd", "paused"),
        Status::Ended => tr(lang, "afgelopen", "ended"),
    }
}

/// A seat's desk: inbox, pending decisions, decisions taken, plan actions (or, for an
/// observer, all messages and the observation form).
pub fn desk(host: &Host, seat: &Seat, notice: Option<&str>, req: &str) -> String {
    let lang = seat.lang;
    let l = |nl, en| tr(lang, nl, en);
    let v = host.view();
    let sim = v.sim();
    let ctx: &Compiled = sim.ctx();
    let entries = v.entries();
    let who = seat
        .role
        .as_ref()
        .map_or(l("Waarnemer", "Observer"), |r| {
            crate::describe::role(ctx, r.as_str(), lang)
        })
        .to_owned();
    let mut b = String::new();
    let _ = write!(
        b,
        "<header><h1>{}</h1><p class=\"meta\">{} · {} {} · {} · \
         <a href=\"/desk?lang={}\">{}</a></p></header>\
         <p id=\"offline\" class=\"warn\" role=\"status\" hidden>{}</p>\
         <p id=\"changed\" class=\"notice\" hidden><a href=\"/desk\">{}</a></p>\
         <div id=\"announce\" class=\"meta\" aria-live=\"polite\"></div>",
        esc(&who),
        esc(&seat.name),
        l("oefentijd", "exercise time"),
        fmt_elapsed(sim.now()),
        status_word(sim.status(), lang),
        if lang == Lang::Nl { "en" } else { "nl" },
        if lang == Lang::Nl {
            "English"
        } else {
            "Nederlands"
        },
        l("Offline — opnieuw verbinden…", "Offline — reconnecting…"),
        l(
            "Uw besluiten zijn veranderd: pagina vernieuwen",
            "Your decisions changed: reload the page"
        ),
    );
    if let Some(n) = notice {
        let text = match n {
            "sent" => l("Verzonden en vastgelegd.", "Sent and journaled."),
            "taken" => l(
                "Dit besluit was al genomen (door een andere plek of de oefenleiding).",
                "This decision had already been taken (by another seat or exercise control).",
            ),
            "nochoice" => l("Kies eerst een optie.", "Choose an option first."),
            "notext" => l(
                "Schrijf eerst een waarneming.",
                "Write an observation first.",
            ),
            "closed" => l("De oefening is gesloten.", "The exercise is closed."),
            _ => l(
                "Niet verzonden: de oefening weigerde het.",
                "Not sent: the exercise refused it.",
            ),
        };
        let class = if n == "sent" { "notice" } else { "warn" };
        let _ = write!(b, "<p class=\"{class}\" role=\"status\">{}</p>", esc(text));
    }
    b.push_str("<main>");
    if let Some(role) = &seat.role {
        {
            let _ = write!(b, "<h2>{}</h2>", l("Open besluiten", "Pending decisions"));
            let mut any = false;
            for p in sim.pending_decisions(role) {
                any = true;
                let d = p.decision;
                let left = p.due.saturating_sub(sim.now()) / 60;
                let _ = write!(
                    b,
                    "<form method=\"post\" action=\"/decide\"><fieldset><legend><h3>{}</h3></legend>\
                     <p class=\"meta\">{} {} ({} {} {})</p>\
                     <input type=\"hidden\" name=\"req\" value=\"{}\"><input type=\"hidden\" name=\"decision\" value=\"{}\">",
                    esc(d.prompt.get(lang)),
                    l("Uiterlijk", "Due by"),
                    fmt_elapsed(p.due),
                    l("nog", "in"),
                    left,
                    l("min", "min"),
                    esc(req),
                    esc(d.id.as_str()),
                );
                // Joint and whichever-acts-first decisions say so, with this seat's choice so far.
                if !d.with.is_empty() {
                    let mine = sim
                        .vote_of(p.index, role)
                        .and_then(|c| d.options.get(c))
                        .map(|c| {
                            format!(
                                " {} {}",
                                l("Uw keuze:", "Your choice:"),
                                esc(c.label.get(lang))
                            )
                        })
                        .unwrap_or_default();
                    let _ = write!(
                        b,
                        "<p class=\"meta\">{}{mine}</p>",
                        l(
                            "Gezamenlijk besluit: alle rollen kiezen hetzelfde.",
                            "Joint decision: all its roles choose the same."
                        )
                    );
                } else if !d.any_of.is_empty() {
                    let _ = write!(
                        b,
                        "<p class=\"meta\">{}</p>",
                        l(
                            "Wie het eerst besluit, besluit voor allen.",
                            "Whichever role decides first decides for all."
                        )
                    );
                }
                for (i, o) in d.options.iter().enumerate() {
                    let _ = write!(
                        b,
                        "<div class=\"radio\"><input type=\"radio\" name=\"choice\" id=\"c{}-{i}\" value=\"{}\" required>\
                         <label for=\"c{}-{i}\">{}</label></div>",
                        p.index,
                        esc(o.id.as_str()),
                        p.index,
                        esc(o.label.get(lang))
                    );
                }
                let _ = write!(
                    b,
                    "<label for=\"r{}\">{}</label><textarea id=\"r{}\" name=\"rationale\" rows=\"3\"></textarea>\
                     <button type=\"submit\">{}</button></fieldset></form>",
                    p.index,
                    l("Motivering", "Rationale"),
                    p.index,
                    l("Besluit versturen", "Send decision")
                );
            }
            if !any {
                let _ = write!(
                    b,
                    "<p>{}</p>",
                    l("Geen open besluiten.", "No pending decisions.")
                );
            }
            let _ = write!(
                b,
                "<h2>{}</h2><ul>",
                l("Genomen besluiten", "Decisions taken")
            );
            for s in projection::settled(entries, ctx, Some(role), lang) {
                let what = if s.expired {
                    format!(
                        "{}{}",
                        l("termijn verstreken", "deadline passed"),
                        s.label.map(|x| format!(" → {x}")).unwrap_or_default()
                    )
                } else {
                    s.label.unwrap_or("").to_owned()
                };
                let _ = write!(
                    b,
                    "<li>{} <strong>{}</strong>: {}{}</li>",
                    fmt_elapsed(s.t),
                    esc(s.prompt),
                    esc(&what),
                    if s.rationale.is_empty() {
                        String::new()
                    } else {
                        format!(" — {}", esc(s.rationale))
                    }
                );
            }
            b.push_str("</ul>");
            let taken = projection::actions_taken(entries);
            let acts: Vec<_> = ctx
                .plan
                .actions
                .iter()
                .filter(|a| a.roles.contains(role))
                .collect();
            if !acts.is_empty() {
                let _ = write!(
                    b,
                    "<h2>{}</h2><form method=\"post\" action=\"/action\">\
                     <input type=\"hidden\" name=\"req\" value=\"{}a\">\
                     <label for=\"act\">{}</label><select id=\"act\" name=\"action\">",
                    l("Planacties", "Plan actions"),
                    esc(req),
                    l("Actie", "Action")
                );
                for a in &acts {
                    let done = taken.contains(&(role, a.id.as_str()));
                    let _ = write!(
                        b,
                        "<option value=\"{}\">{}{}</option>",
                        esc(a.id.as_str()),
                        esc(a.label.get(lang)),
                        if done { " ✓" } else { "" }
                    );
                }
                let _ = write!(
                    b,
                    "</select><label for=\"note\">{}</label><input type=\"text\" id=\"note\" name=\"note\">\
                     <button type=\"submit\">{}</button></form>",
                    l("Notitie", "Note"),
                    l("Actie vastleggen", "Record action")
                );
            }
        }
    } else {
        let _ = write!(
            b,
            "<h2>{}</h2><form method=\"post\" action=\"/observe\">\
                 <input type=\"hidden\" name=\"req\" value=\"{}\">\
                 <label for=\"orole\">{}</label><select id=\"orole\" name=\"role\"><option value=\"\">—</option>",
            l("Waarneming", "Observation"),
            esc(req),
            l("Over rol", "About role")
        );
        for r in &ctx.scenario.roles {
            let _ = write!(
                b,
                "<option value=\"{}\">{}</option>",
                esc(r.as_str()),
                esc(crate::describe::role(ctx, r.as_str(), lang))
            );
        }
        let _ = write!(
            b,
            "</select><label for=\"obj\">{}</label><select id=\"obj\" name=\"objective\"><option value=\"\">—</option>",
            l("Doelstelling", "Objective")
        );
        for o in &ctx.scenario.objectives {
            let _ = write!(
                b,
                "<option value=\"{}\">{}</option>",
                esc(o.id.as_str()),
                esc(o.title.get(lang))
            );
        }
        let _ = write!(
            b,
            "</select><label for=\"rating\">{}</label><select id=\"rating\" name=\"rating\">\
                 <option value=\"\">—</option><option value=\"P\">P</option><option value=\"S\">S</option>\
                 <option value=\"M\">M</option><option value=\"U\">U</option></select>\
                 <label for=\"otext\">{}</label><textarea id=\"otext\" name=\"text\" rows=\"3\" required></textarea>\
                 <button type=\"submit\">{}</button></form>",
            l("Beoordeling (P/S/M/U)", "Rating (P/S/M/U)"),
            l("Waarneming of reden", "Observation or reason"),
            l("Vastleggen", "Record")
        );
    }
    let seen = entries.len();
    let _ = write!(
        b,
        "<h2 id=\"inbox-h\">{}</h2><ol id=\"inbox\" reversed aria-labelledby=\"inbox-h\" data-seen=\"{seen}\">",
        l("Berichten", "Messages")
    );
    let observer = seat.role.is_none();
    let msgs: Vec<_> = projection::messages(entries, ctx, audience(seat), lang).collect();
    for m in msgs.iter().rev() {
        b.push_str(&message_li(m, lang, observer));
    }
    let _ = write!(
        b,
        "</ol><form method=\"post\" action=\"/leave\"><button type=\"submit\">{}</button></form></main>",
        l("Plek verlaten", "Leave seat")
    );
    drop(v);
    page(lang, &who, &b, true)
}

/// The stream text for the entries after `seen` that `seat` may see; returns the new cursor.
pub fn events(host: &Host, seat: &Seat, seen: usize) -> (usize, String) {
    let ctx = host.view().sim().ctx().clone();
    let entries: Vec<Entry> = host.entries_after(seen);
    let lang = seat.lang;
    let mut out = String::new();
    for e in &entries {
        if let Some(m) = projection::message(e, &ctx, lang)
            && m.visible_to(audience(seat))
        {
            let li = message_li(&m, lang, seat.role.is_none());
            let _ = write!(out, "id: {}\nevent: message\n", e.seq);
            for line in li.lines() {
                let _ = writeln!(out, "data: {line}");
            }
            out.push('\n');
            continue;
        }
        let Some(role) = &seat.role else { continue };
        if let Body::Event(ev) = &e.body {
            // A decision of this seat's role, or one it shares (joint or whichever acts first).
            let shared = |d: &crate::model::DecisionId| {
                ctx.decision_index.get(d.as_str()).is_some_and(|&i| {
                    let info = &ctx.decisions[i];
                    ctx.scenario.injects[info.inject].decisions[info.local].is_for(role)
                })
            };
            let mine = match &ev.kind {
                EventKind::DecisionOpened {
                    role: r, decision, ..
                }
                | EventKind::DecisionMade {
                    role: r, decision, ..
                }
                | EventKind::DecisionExpired {
                    role: r, decision, ..
                }
                | EventKind::DecisionVoted {
                    role: r, decision, ..
                } => r == role || shared(decision),
                _ => false,
            };
            if mine {
                let _ = write!(out, "id: {}\nevent: desk\ndata: {}\n\n", e.seq, e.seq);
            }
        }
    }
    (seen + entries.len(), out)
}

/// `text` as an inline SVG QR code (no XML declaration, no styles, nothing loaded).
pub fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .build();
    let start = svg.find("<svg")?;
    Some(svg[start..].to_owned())
}

/// Seconds before a deadline at which it is announced (not every second: a screen reader
/// would read nothing else).
const THRESHOLDS: [u64; 2] = [300, 60];

/// Stream events announcing the role's pending decisions that just came within a threshold of
/// their deadline (sent without an id: they are not journal entries and are not replayed).
pub fn deadlines(
    host: &Host,
    seat: &Seat,
    announced: &mut std::collections::BTreeSet<(usize, u64)>,
) -> String {
    let Some(role) = &seat.role else {
        return String::new();
    };
    let lang = seat.lang;
    let v = host.view();
    let sim = v.sim();
    if sim.status() != Status::Running {
        return String::new();
    }
    let now = sim.now();
    let mut out = String::new();
    for p in sim.pending_decisions(role) {
        let left = p.due.saturating_sub(now);
        // Every threshold passed is marked; one announcement, however many were passed at once.
        let mut fresh = false;
        for th in THRESHOLDS {
            if left <= th {
                fresh |= announced.insert((p.index, th));
            }
        }
        if fresh && left > 0 {
            let text = format!(
                "{} {} {}: {}",
                tr(lang, "Nog", "Only"),
                left.div_ceil(60),
                tr(lang, "min voor het besluit", "min left to decide"),
                p.decision.prompt.get(lang)
            );
            let _ = write!(
                out,
                "event: deadline\ndata: {}\n\n",
                esc(&text).replace('\n', " ")
            );
        }
    }
    out
}

/// The facilitator page: the clock, the next inject, the seats.
pub fn facilitator(
    host: &Host,
    fac: &str,
    host_hdr: &str,
    code: &str,
    seats: &[SeatInfo],
    locked: bool,
    error: Option<&str>,
) -> String {
    let v = host.view();
    let sim = v.sim();
    let mut b = format!(
        "<main><h1>Paraat — {}</h1><p>Join: <strong>http://{}/</strong> · code <strong>{}</strong></p>\
         <p>{} · {}</p>",
        esc(sim.ctx().scenario.title.get(Lang::En)),
        esc(host_hdr),
        esc(code),
        fmt_elapsed(sim.now()),
        status_word(sim.status(), Lang::En),
    );
    drop(v);
    let join = format!("http://{host_hdr}/");
    if let Some(svg) = qr_svg(&join) {
        let _ = write!(
            b,
            "<figure class=\"qr\" role=\"img\" aria-label=\"QR code: {}\">{svg}</figure>",
            esc(&join)
        );
    }
    if let Some(e) = error {
        let _ = write!(b, "<p class=\"warn\" role=\"alert\">{}</p>", esc(e));
    }
    let fac = esc(fac);
    for (op, label) in [
        ("start", "Start"),
        ("pause", "Pause"),
        ("resume", "Resume"),
        ("next", "Next inject"),
        (
            if locked { "unlock" } else { "lock" },
            if locked { "Unlock room" } else { "Lock room" },
        ),
    ] {
        let _ = write!(
            b,
            "<form method=\"post\" action=\"{fac}\" class=\"inline\"><input type=\"hidden\" name=\"op\" value=\"{op}\">\
             <button type=\"submit\">{label}</button></form> "
        );
    }
    b.push_str(
        "<h2>Seats</h2><table><tr><th>Seat</th><th>Role</th><th>Name</th><th>Connected</th><th>Last seen</th><th></th></tr>",
    );
    for s in seats {
        let _ = write!(
            b,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} s</td><td>\
             <form method=\"post\" action=\"{fac}\"><input type=\"hidden\" name=\"op\" value=\"revoke\">\
             <input type=\"hidden\" name=\"seat\" value=\"{}\"><button type=\"submit\">Revoke</button></form></td></tr>",
            esc(&s.label),
            esc(s.role.as_deref().unwrap_or("observer")),
            esc(&s.name),
            if s.connected { "yes" } else { "no" },
            s.last_seen_secs,
            esc(&s.label),
        );
    }
    b.push_str("</table></main>");
    page(Lang::En, "Paraat — facilitator", &b, false)
}
