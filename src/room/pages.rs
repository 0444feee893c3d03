//! The room's pages and stream events: plain HTML, every text escaped, nothing loaded from
//! elsewhere. What a seat may see is decided here, through the projection.

use std::fmt::Write as _;

use super::{Files, Seat, SeatInfo};
use crate::engine::{Compiled, EventKind, Status, fmt_elapsed};
use crate::host::Host;
use crate::i18n::tr;
use crate::journal::{Body, Entry};
use crate::model::Lang;
use crate::projection::{self, Audience, Message};
use crate::report::html::esc;

/// The live-update script: appends pushed messages, shows an offline banner, and, when a
/// decision of the seat's roles opens or closes, swaps in the server-rendered decisions part
/// (keeping a form that is being filled in). Served as a file (the CSP forbids inline scripts).
pub const SCRIPT: &str = r#"(function(){
"use strict";
var inbox=document.getElementById("inbox"),off=document.getElementById("offline"),
chg=document.getElementById("changed"),ann=document.getElementById("announce"),
box=document.getElementById("decisions");
if(!inbox||!window.EventSource)return;
var es=new EventSource("/events?after="+(inbox.getAttribute("data-seen")||"0"));
var timer=null,busy=false,again=false;
function say(t){if(ann)ann.textContent=t;}
function decisions(){
 if(!box)return;if(busy){again=true;return;}busy=true;
 fetch("/desk/decisions",{credentials:"same-origin"}).then(function(r){
  if(!r.ok)throw new Error(r.status);return r.text();
 }).then(function(html){
  var t=document.createElement("template");t.innerHTML=html;var fresh=[];
  Array.prototype.forEach.call(t.content.querySelectorAll("form[id]"),function(f){
   var old=document.getElementById(f.id);
   if(old&&box.contains(old))f.replaceWith(old);else fresh.push(f);
  });
  box.replaceChildren.apply(box,Array.prototype.slice.call(t.content.childNodes));
  var h=fresh.length?fresh[0].querySelector("h3"):null;
  if(h)say(box.getAttribute("data-new")+" "+h.textContent);
 }).catch(function(){if(chg)chg.hidden=false;}).then(function(){
  busy=false;if(again){again=false;decisions();}
 });
}
es.addEventListener("open",function(){clearTimeout(timer);timer=null;off.hidden=true;});
es.addEventListener("error",function(){if(timer===null)timer=setTimeout(function(){off.hidden=false;},4000);});
es.addEventListener("message",function(e){
 var t=document.createElement("template");t.innerHTML=e.data;
 var li=t.content.firstElementChild;if(!li)return;
 if(li.id&&document.getElementById(li.id))return;
 inbox.insertBefore(li,inbox.firstChild);
 var h=li.querySelector("h3");if(h)say(h.textContent);
});
es.addEventListener("desk",decisions);
es.addEventListener("deadline",function(e){var d=document.createElement("div");d.innerHTML=e.data;
 say(d.textContent);});
})();
"#;

/// The room's style sheet: readable from 320 px up, native controls.
pub const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:48rem;padding:.5rem;\
line-height:1.4;color:#1d232a}h1{font-size:1.3rem;margin:.3rem 0}h2{font-size:1.1rem;border-bottom:2px solid #154273;\
color:#154273;margin-top:1.2rem}h3{font-size:1rem;margin:.2rem 0}ol,ul{padding-left:1.2rem}\
li{margin:.4rem 0}label{display:block;margin:.3rem 0}textarea,select,input[type=text]{width:100%;box-sizing:border-box;\
font:inherit;padding:.3rem}button{font:inherit;padding:.4rem .9rem;margin:.3rem 0}fieldset{border:1px solid #c8ccd0;\
margin:.5rem 0}.meta{color:#555;font-size:.85rem}.notice{background:#eef2f6;border-left:4px solid #154273;padding:.4rem}\
.warn{background:#fbe6c8;border-left:4px solid #b35c00;padding:.4rem}.radio{display:flex;gap:.5rem;align-items:center;padding:.2rem 0}\
figure.att{margin:.4rem 0}figure.att img{max-width:100%;height:auto;display:block}\
figure.att figcaption,p.att{color:#555;font-size:.85rem}.radio input{width:1.3rem;height:1.3rem;margin:0;flex:none}.radio label{display:inline;margin:0}.inline{display:inline}.qr{margin:.5rem 0}.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%}td,th{border:1px solid #c8ccd0;padding:.2rem;text-align:left;overflow-wrap:anywhere}\
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

/// The join page: only the code (and a language switch). The exercise's title and roles are
/// shown once the code is right ([`choose_roles`]): anyone within reach of the room's network can
/// open this page, and a title or a list of partners can give away the incident the exercise
/// opens with.
pub fn join(lang: Lang, error: Option<&str>) -> String {
    let l = |nl, en| tr(lang, nl, en);
    let mut b = String::new();
    let _ = write!(
        b,
        "<main><h1>{}</h1><p class=\"meta\">{}</p>",
        l(
            "Paraat — deelnemen aan de oefening",
            "Paraat — join the exercise"
        ),
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
         autocomplete=\"off\" required><button type=\"submit\">{}</button></form></main>",
        lang_code(lang),
        l("Deelnamecode", "Join code"),
        l("Verder", "Next"),
    );
    page(lang, "Paraat", &b, false)
}

/// The second join step, after the right code: the exercise, a name, and the roles in play
/// (one or more, for a small team) or observer. The code goes along hidden.
pub fn choose_roles(
    host: &Host,
    lang: Lang,
    code: &str,
    name: &str,
    error: Option<&str>,
) -> String {
    let l = |nl, en| tr(lang, nl, en);
    let v = host.view();
    let ctx = v.sim().ctx().clone();
    drop(v);
    let mut b = String::new();
    let _ = write!(
        b,
        "<main><h1>Paraat — {}</h1>",
        esc(ctx.scenario.title.get(lang)),
    );
    if let Some(e) = error {
        let _ = write!(b, "<p class=\"warn\" role=\"alert\">{}</p>", esc(e));
    }
    let _ = write!(
        b,
        "<form method=\"post\" action=\"/join\"><input type=\"hidden\" name=\"lang\" value=\"{}\">\
         <input type=\"hidden\" name=\"code\" value=\"{}\">\
         <label for=\"name\">{}</label><input type=\"text\" id=\"name\" name=\"name\" maxlength=\"60\" value=\"{}\">\
         <fieldset><legend>{}</legend><p class=\"meta\">{}</p>",
        lang_code(lang),
        esc(code),
        l(
            "Uw naam (voor de oefenleiding)",
            "Your name (for exercise control)"
        ),
        esc(name),
        l("Rol of rollen", "Role or roles"),
        l(
            "Kies een rol, of meer als u met een klein team meerdere rollen speelt; of waarnemer.",
            "Choose a role, or more if a small team plays several roles; or observer.",
        ),
    );
    for (i, r) in ctx.scenario.roles.iter().enumerate() {
        let _ = write!(
            b,
            "<div class=\"radio\"><input type=\"checkbox\" name=\"role\" id=\"role{i}\" value=\"{}\">\
             <label for=\"role{i}\">{}</label></div>",
            esc(r.as_str()),
            esc(crate::describe::role(&ctx, r.as_str(), lang))
        );
    }
    let _ = write!(
        b,
        "<div class=\"radio\"><input type=\"checkbox\" name=\"role\" id=\"role-obs\" value=\"observer\">\
         <label for=\"role-obs\">{}</label></div></fieldset><button type=\"submit\">{}</button></form></main>",
        l("Waarnemer (evaluatie)", "Observer (evaluation)"),
        l("Deelnemen", "Join"),
    );
    page(lang, "Paraat", &b, false)
}

/// One message as a list item (the same markup on the page and in the stream). An observer sees
/// every addressee; a seat with several roles sees which of its own roles a message is for.
fn message_li(m: &Message<'_>, ctx: &Compiled, seat: &Seat, files: &Files) -> String {
    let lang = seat.lang;
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
    let shown: Vec<&str> =
        m.to.iter()
            .filter(|r| seat.observer() || (seat.roles.len() > 1 && seat.roles.contains(r)))
            .map(|r| crate::describe::role(ctx, r.as_str(), lang))
            .collect();
    if !shown.is_empty() {
        let _ = write!(s, " · → {}", esc(&shown.join(", ")));
    }
    let body = esc(m.body).replace('\n', "<br>");
    let _ = write!(s, "</p><p>{body}</p>");
    attachments_into(&mut s, m, ctx, seat, files);
    s.push_str("</li>");
    s
}

/// The attachments of message `m` that `seat` may fetch: pictures inline (served by
/// `/att/SEQ/N`, with the caption as alternate text), a PDF as a download link, a file that
/// cannot be read as a line saying so (without its path).
fn attachments_into(s: &mut String, m: &Message<'_>, ctx: &Compiled, seat: &Seat, files: &Files) {
    let lang = seat.lang;
    let Some(inject) = m.inject.and_then(|i| ctx.scenario.inject(i)) else {
        return;
    };
    if inject.attachments.is_empty() || !attachments_visible(m, seat) {
        return;
    }
    for (n, a) in inject.attachments.iter().enumerate() {
        let caption = esc(a.caption.get(lang));
        let url = format!("/att/{}/{n}", m.seq);
        match files.get(&a.file) {
            Ok((kind, _)) if kind.is_image() => {
                let _ = write!(
                    s,
                    "<figure class=\"att\"><img src=\"{url}\" alt=\"{caption}\"><figcaption>{}: {caption}</figcaption></figure>",
                    tr(lang, "Bijlage", "Attachment")
                );
            }
            Ok(_) => {
                let _ = write!(
                    s,
                    "<p class=\"att\"><a href=\"{url}\" download>{}: {caption}</a></p>",
                    tr(lang, "Bijlage (PDF-document)", "Attachment (PDF document)")
                );
            }
            Err(_) => {
                let _ = write!(
                    s,
                    "<p class=\"att warn\">{}: {caption}</p>",
                    tr(
                        lang,
                        "Bijlage kon niet worden gelezen",
                        "Attachment could not be read"
                    )
                );
            }
        }
    }
}

/// Whether `seat` may see the attachments of message `m`: a role seat those of the messages to
/// its roles; an observer only those of messages on a public channel (what the projector
/// shows), though it reads every message's text.
fn attachments_visible(m: &Message<'_>, seat: &Seat) -> bool {
    if seat.observer() {
        return m.visible_to(Audience::Room);
    }
    visible(m, seat)
}

/// The file of attachment `n` of the message released at journal sequence number `seq`, if
/// that message was released and `seat` may see its attachments.
pub(crate) fn attachment_file(
    v: &crate::host::View<'_>,
    seat: &Seat,
    seq: u64,
    n: usize,
) -> Option<String> {
    let ctx = v.sim().ctx();
    let e = v.entries().iter().find(|e| e.seq == seq)?;
    let m = projection::message(e, ctx, seat.lang)?;
    if !attachments_visible(&m, seat) {
        return None;
    }
    let inject = ctx.scenario.inject(m.inject?)?;
    Some(inject.attachments.get(n)?.file.clone())
}

/// Whether `seat` may see message `m`: a role seat what is addressed to one of its roles;
/// an observer every role's messages (messages carry no scores or hidden state).
fn visible(m: &Message<'_>, seat: &Seat) -> bool {
    if seat.observer() {
        return m.visible_to(Audience::Control);
    }
    seat.roles.iter().any(|r| m.visible_to(Audience::Role(r)))
}

fn status_word(s: Status, lang: Lang) -> &'static str {
    match s {
        Status::Setup => tr(lang, "nog niet begonnen", "not started"),
        Status::Running => tr(lang, "loopt", "running"),
        Status::Paused => tr(lang, "gepauzeerd", "paused"),
        Status::Ended => tr(lang, "afgelopen", "ended"),
    }
}

/// The seat's name for its roles (joined), or "Observer".
fn seat_title(ctx: &Compiled, seat: &Seat) -> String {
    if seat.observer() {
        return tr(seat.lang, "Waarnemer", "Observer").to_owned();
    }
    let names: Vec<&str> = seat
        .roles
        .iter()
        .map(|r| crate::describe::role(ctx, r.as_str(), seat.lang))
        .collect();
    names.join(" + ")
}

/// A seat's desk: inbox, pending decisions, decisions taken, plan actions (per role, labelled
/// by role when the seat holds several), or, for an observer, all messages and the
/// observation form.
pub fn desk(host: &Host, files: &Files, seat: &Seat, notice: Option<&str>, req: &str) -> String {
    let lang = seat.lang;
    let l = |nl, en| tr(lang, nl, en);
    let v = host.view();
    let sim = v.sim();
    let ctx: &Compiled = sim.ctx();
    let entries = v.entries();
    let who = seat_title(ctx, seat);
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
    if seat.observer() {
        observation_form(&mut b, ctx, lang, req);
    } else {
        let _ = write!(
            b,
            "<div id=\"decisions\" data-new=\"{}\">",
            l("Nieuw besluit:", "New decision:")
        );
        decisions_into(&mut b, &v, seat, req);
        b.push_str("</div>");
        actions_into(&mut b, &v, seat, req);
    }
    let seen = entries.len();
    let _ = write!(
        b,
        "<h2 id=\"inbox-h\">{}</h2><ol id=\"inbox\" reversed aria-labelledby=\"inbox-h\" data-seen=\"{seen}\">",
        l("Berichten", "Messages")
    );
    let msgs: Vec<_> = projection::messages(entries, ctx, Audience::Control, lang)
        .filter(|m| visible(m, seat))
        .collect();
    for m in msgs.iter().rev() {
        b.push_str(&message_li(m, ctx, seat, files));
    }
    let _ = write!(
        b,
        "</ol><form method=\"post\" action=\"/leave\"><button type=\"submit\">{}</button></form></main>",
        l("Plek verlaten", "Leave seat")
    );
    drop(v);
    page(lang, &who, &b, true)
}

/// The decisions part of a role seat's desk alone (what `#decisions` holds), for the script to
/// swap in when a decision of the seat's roles opens or closes.
pub fn decisions(host: &Host, seat: &Seat, req: &str) -> String {
    let v = host.view();
    let mut b = String::new();
    decisions_into(&mut b, &v, seat, req);
    b
}

/// Per role of the seat: its pending decisions (a form each, with `id="d{index}"` so that the
/// script keeps a form being filled in) and the decisions taken.
fn decisions_into(b: &mut String, v: &crate::host::View<'_>, seat: &Seat, req: &str) {
    let lang = seat.lang;
    let l = |nl, en| tr(lang, nl, en);
    let sim = v.sim();
    let ctx: &Compiled = sim.ctx();
    let several = seat.roles.len() > 1;
    for role in &seat.roles {
        let name = crate::describe::role(ctx, role.as_str(), lang);
        let heading = |what: &str| {
            if several {
                format!("{what} — {name}")
            } else {
                what.to_owned()
            }
        };
        let _ = write!(
            b,
            "<h2>{}</h2>",
            esc(&heading(l("Open besluiten", "Pending decisions")))
        );
        let mut any = false;
        for p in sim.pending_decisions(role) {
            any = true;
            let d = p.decision;
            let left = p.due.saturating_sub(sim.now()) / 60;
            let _ = write!(
                b,
                "<form method=\"post\" action=\"/decide\" id=\"d{}\"><fieldset><legend><h3>{}</h3></legend>\
                 <p class=\"meta\">{} {} ({} {} {})</p>\
                 <input type=\"hidden\" name=\"req\" value=\"{}\"><input type=\"hidden\" name=\"decision\" value=\"{}\">\
                 <input type=\"hidden\" name=\"role\" value=\"{}\">",
                p.index,
                esc(d.prompt.get(lang)),
                l("Uiterlijk", "Due by"),
                fmt_elapsed(p.due),
                l("nog", "in"),
                left,
                l("min", "min"),
                esc(req),
                esc(d.id.as_str()),
                esc(role.as_str()),
            );
            // Joint and whichever-acts-first decisions say so, with this role's choice so far.
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
            for (i, o) in sim.shown_choices(d).into_iter().enumerate() {
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
            esc(&heading(l("Genomen besluiten", "Decisions taken")))
        );
        let mut none = true;
        for s in projection::settled(v.entries(), ctx, Some(role), lang) {
            none = false;
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
        if none {
            let _ = write!(b, "<li>{}</li>", l("Nog geen.", "None yet."));
        }
        b.push_str("</ul>");
    }
}

/// Per role of the seat: the plan actions to record.
fn actions_into(b: &mut String, v: &crate::host::View<'_>, seat: &Seat, req: &str) {
    let lang = seat.lang;
    let l = |nl, en| tr(lang, nl, en);
    let ctx: &Compiled = v.sim().ctx();
    let taken = projection::actions_taken(v.entries());
    let several = seat.roles.len() > 1;
    for (n, role) in seat.roles.iter().enumerate() {
        let acts: Vec<_> = ctx
            .plan
            .actions
            .iter()
            .filter(|a| a.roles.contains(role))
            .collect();
        if acts.is_empty() {
            continue;
        }
        let heading = if several {
            format!(
                "{} — {}",
                l("Planacties", "Plan actions"),
                crate::describe::role(ctx, role.as_str(), lang)
            )
        } else {
            l("Planacties", "Plan actions").to_owned()
        };
        let _ = write!(
            b,
            "<h2>{}</h2><form method=\"post\" action=\"/action\">\
             <input type=\"hidden\" name=\"req\" value=\"{}a{n}\"><input type=\"hidden\" name=\"role\" value=\"{}\">\
             <label for=\"act{n}\">{}</label><select id=\"act{n}\" name=\"action\">",
            esc(&heading),
            esc(req),
            esc(role.as_str()),
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
            "</select><label for=\"note{n}\">{}</label><input type=\"text\" id=\"note{n}\" name=\"note\">\
             <button type=\"submit\">{}</button></form>",
            l("Notitie", "Note"),
            l("Actie vastleggen", "Record action")
        );
    }
}

/// The observer's form: an observation about a role, optionally rating an objective.
fn observation_form(b: &mut String, ctx: &Compiled, lang: Lang, req: &str) {
    let l = |nl, en| tr(lang, nl, en);
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

/// The stream text for the entries after `seen` that `seat` may see; returns the new cursor.
pub fn events(host: &Host, files: &Files, seat: &Seat, seen: usize) -> (usize, String) {
    let ctx = host.view().sim().ctx().clone();
    let entries: Vec<Entry> = host.entries_after(seen);
    let lang = seat.lang;
    let mut out = String::new();
    for e in &entries {
        if let Some(m) = projection::message(e, &ctx, lang)
            && visible(&m, seat)
        {
            let li = message_li(&m, &ctx, seat, files);
            let _ = write!(out, "id: {}\nevent: message\n", e.seq);
            for line in li.lines() {
                let _ = writeln!(out, "data: {line}");
            }
            out.push('\n');
            continue;
        }
        if let Body::Event(ev) = &e.body {
            // A decision of this seat's role, or one it shares (joint or whichever acts first).
            let shared = |d: &crate::model::DecisionId| {
                ctx.decision_index.get(d.as_str()).is_some_and(|&i| {
                    let info = &ctx.decisions[i];
                    let d = &ctx.scenario.injects[info.inject].decisions[info.local];
                    seat.roles.iter().any(|r| d.is_for(r))
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
                } => seat.roles.contains(r) || shared(decision),
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
    let lang = seat.lang;
    let v = host.view();
    let sim = v.sim();
    if sim.status() != Status::Running {
        return String::new();
    }
    let now = sim.now();
    let mut out = String::new();
    for p in seat.roles.iter().flat_map(|r| sim.pending_decisions(r)) {
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

/// The facilitator page: the clock, the next inject, the seats. `origin` is the room's scheme
/// and `Host` (`http://192.168.50.1:8080`).
pub fn facilitator(
    host: &Host,
    fac: &str,
    origin: &str,
    code: &str,
    seats: &[SeatInfo],
    locked: bool,
    error: Option<&str>,
) -> String {
    let v = host.view();
    let sim = v.sim();
    let mut b = format!(
        "<main><h1>Paraat — {}</h1><p>Join: <strong>{}/</strong> · code <strong>{}</strong></p>\
         <p>{} · {}</p>",
        esc(sim.ctx().scenario.title.get(Lang::En)),
        esc(origin),
        esc(code),
        fmt_elapsed(sim.now()),
        status_word(sim.status(), Lang::En),
    );
    // Each Revoke button's accessible name says whose seat it ends (a screen reader's list of
    // buttons would otherwise read "Revoke" once per seat).
    let revoke_names: Vec<String> = seats
        .iter()
        .map(|s| {
            let who = if s.roles.is_empty() {
                "Observer".to_owned()
            } else {
                s.roles
                    .iter()
                    .map(|r| crate::describe::role(sim.ctx(), r, Lang::En))
                    .collect::<Vec<_>>()
                    .join(" + ")
            };
            format!("Revoke seat {who} ({})", s.label)
        })
        .collect();
    drop(v);
    let join = format!("{origin}/");
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
        "<h2>Seats</h2><div class=\"scroll\"><table><tr><th>Seat</th><th>Roles</th><th>Name</th><th>Connected</th><th>Last seen</th><th></th></tr>",
    );
    for (s, revoke) in seats.iter().zip(&revoke_names) {
        let _ = write!(
            b,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} s</td><td>\
             <form method=\"post\" action=\"{fac}\"><input type=\"hidden\" name=\"op\" value=\"revoke\">\
             <input type=\"hidden\" name=\"seat\" value=\"{}\"><button type=\"submit\" aria-label=\"{}\">Revoke</button></form></td></tr>",
            esc(&s.label),
            esc(&if s.roles.is_empty() {
                "observer".to_owned()
            } else {
                s.roles.join(", ")
            }),
            esc(&s.name),
            if s.connected { "yes" } else { "no" },
            s.last_seen_secs,
            esc(&s.label),
            esc(revoke),
        );
    }
    b.push_str("</table></div></main>");
    page(Lang::En, "Paraat — facilitator", &b, false)
}
