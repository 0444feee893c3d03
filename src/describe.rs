//! The one describer: turns ids, events, commands and errors into words a person reads, in the
//! reader's language. Every screen, report and seat names things through here, so no raw id
//! (`vz_veiligheidsregio`, `P-driehoek`) reaches a reader; ids stay in the editor, the validator
//! and `--json` output, where authors need them.

use std::fmt::Write as _;

use crate::engine::{Command, Compiled, EndReason, Event, EventKind, SimError, fmt_elapsed};
use crate::i18n::tr;
use crate::journal::{Body, Entry, SessionError};
use crate::model::{Lang, Value};
use crate::scoring::{ProcedureResult, Reason};

/// The name of a role (its id when the plan does not know it).
pub fn role<'a>(ctx: &'a Compiled, id: &'a str, lang: Lang) -> &'a str {
    ctx.plan.role(id).map_or(id, |r| r.name.get(lang))
}

/// Role names joined with commas.
pub fn roles<'a>(
    ctx: &Compiled,
    ids: impl IntoIterator<Item = &'a crate::model::RoleId>,
    lang: Lang,
) -> String {
    ids.into_iter()
        .map(|r| role(ctx, r.as_str(), lang))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The label of a plan action.
pub fn action<'a>(ctx: &'a Compiled, id: &'a str, lang: Lang) -> &'a str {
    ctx.plan.action(id).map_or(id, |a| a.label.get(lang))
}

/// The title of a procedure.
pub fn procedure<'a>(ctx: &'a Compiled, id: &'a str, lang: Lang) -> &'a str {
    ctx.plan.procedure(id).map_or(id, |p| p.title.get(lang))
}

/// The title of an objective.
pub fn objective<'a>(ctx: &'a Compiled, id: &'a str, lang: Lang) -> &'a str {
    ctx.scenario
        .objectives
        .iter()
        .find(|o| o.id.as_str() == id)
        .map_or(id, |o| o.title.get(lang))
}

/// The title of an inject.
pub fn inject<'a>(ctx: &'a Compiled, id: &'a str, lang: Lang) -> &'a str {
    ctx.scenario.inject(id).map_or(id, |i| i.title.get(lang))
}

/// The question of a decision.
pub fn decision<'a>(ctx: &'a Compiled, id: &'a str, lang: Lang) -> &'a str {
    ctx.scenario
        .decisions()
        .find(|(_, d)| d.id.as_str() == id)
        .map_or(id, |(_, d)| d.prompt.get(lang))
}

/// The label of a choice of a decision.
pub fn choice<'a>(ctx: &'a Compiled, decision: &'a str, choice: &'a str, lang: Lang) -> &'a str {
    ctx.scenario
        .decisions()
        .find(|(_, d)| d.id.as_str() == decision)
        .and_then(|(_, d)| d.options.iter().find(|c| c.id.as_str() == choice))
        .map_or(choice, |c| c.label.get(lang))
}

/// The label of a situation variable (plan's or scenario's).
pub fn var<'a>(ctx: &'a Compiled, id: &'a str, lang: Lang) -> &'a str {
    ctx.plan
        .vars
        .iter()
        .chain(&ctx.scenario.vars)
        .find(|v| v.id.as_str() == id)
        .map_or(id, |v| v.label.get(lang))
}

/// The label of a signal.
pub fn signal<'a>(ctx: &'a Compiled, id: &'a str, lang: Lang) -> &'a str {
    ctx.plan
        .signals
        .iter()
        .find(|s| s.id.as_str() == id)
        .map_or(id, |s| s.label.get(lang))
}

/// A variable's value in words: a named level where the plan or scenario names one (the
/// `GRIP`, threat and `ATb` levels, …), yes/no, or the number.
pub fn value(ctx: &Compiled, var: &str, v: Value, lang: Lang) -> String {
    match v {
        Value::Int(n) => ctx
            .plan
            .vars
            .iter()
            .chain(&ctx.scenario.vars)
            .find(|d| d.id.as_str() == var)
            .and_then(|d| d.level_label(n, lang))
            .map_or_else(|| n.to_string(), str::to_owned),
        Value::Bool(b) => tr(
            lang,
            if b { "ja" } else { "nee" },
            if b { "yes" } else { "no" },
        )
        .to_owned(),
    }
}

/// One sentence for an event.
#[allow(clippy::many_single_char_names)] // Short names for the fields of the event matched.
pub fn event(ev: &EventKind, ctx: &Compiled, lang: Lang) -> String {
    let t = |nl: &'static str, en: &'static str| tr(lang, nl, en);
    match ev {
        EventKind::Started { chances } => {
            let hits = chances.iter().filter(|(_, m)| m.is_some()).count();
            format!(
                "{} ({} {hits}/{})",
                t("De oefening is gestart", "The exercise started"),
                t(
                    "kansgebeurtenissen die komen, alleen voor de oefenleiding:",
                    "chance events that will come, facilitator only:"
                ),
                chances.len()
            )
        }
        EventKind::Paused => t("De klok is gepauzeerd.", "The clock was paused.").to_owned(),
        EventKind::Resumed => t("De klok loopt weer.", "The clock runs again.").to_owned(),
        EventKind::SpeedChanged { speed } => {
            format!("{} ×{speed}.", t("Snelheid", "Speed"))
        }
        EventKind::InjectReleased {
            inject: i,
            to,
            forced,
        } => format!(
            "{} “{}” {} {}{}{}",
            t("Bericht", "Message"),
            inject(ctx, i.as_str(), lang),
            t("aan", "to"),
            roles(ctx, to, lang),
            if *forced {
                t(
                    " (door de oefenleiding vrijgegeven)",
                    " (released by exercise control)",
                )
            } else {
                ""
            },
            attachments_suffix(&ctx.scenario, i.as_str(), lang)
        ),
        EventKind::InjectWaiting { inject: i } => format!(
            "“{}” {}",
            inject(ctx, i.as_str(), lang),
            t("wacht op zijn voorwaarde.", "waits for its condition.")
        ),
        EventKind::InjectHeld { inject: i } => format!(
            "“{}” {}",
            inject(ctx, i.as_str(), lang),
            t("wordt vastgehouden.", "is held back.")
        ),
        EventKind::InjectRetimed { inject: i, at } => format!(
            "“{}” {} T+{}.",
            inject(ctx, i.as_str(), lang),
            t("verplaatst naar", "moved to"),
            fmt_elapsed(*at)
        ),
        EventKind::InjectScheduled { inject: i, at } => format!(
            "“{}” {} T+{}.",
            inject(ctx, i.as_str(), lang),
            t("volgt om", "follows at"),
            fmt_elapsed(*at)
        ),
        EventKind::AdHocReleased { to, title, .. } => format!(
            "{} “{title}” {} {}",
            t(
                "Extra bericht van de oefenleiding",
                "Ad-hoc message from exercise control"
            ),
            t("aan", "to"),
            roles(ctx, to, lang)
        ),
        EventKind::DecisionOpened {
            decision: d,
            role: r,
            due,
        } => format!(
            "{}: {} — {} T+{}",
            role(ctx, r.as_str(), lang),
            decision(ctx, d.as_str(), lang),
            t("besluit uiterlijk", "decide by"),
            fmt_elapsed(*due)
        ),
        EventKind::DecisionMade {
            decision: d,
            role: r,
            choice: c,
            rationale,
            ..
        } => {
            let mut s = format!(
                "{} {}: {} → {}",
                role(ctx, r.as_str(), lang),
                t("besluit", "decides"),
                decision(ctx, d.as_str(), lang),
                choice(ctx, d.as_str(), c.as_str(), lang)
            );
            if !rationale.trim().is_empty() {
                let _ = write!(s, " ({}: {rationale})", t("motivering", "rationale"));
            }
            s
        }
        EventKind::DecisionVoted {
            decision: d,
            role: r,
            choice: c,
            rationale,
        } => {
            let mut s = format!(
                "{} {}: {} → {} ({})",
                role(ctx, r.as_str(), lang),
                t("kiest", "chooses"),
                decision(ctx, d.as_str(), lang),
                choice(ctx, d.as_str(), c.as_str(), lang),
                t(
                    "gezamenlijk besluit, wacht op de andere rollen",
                    "joint decision, waiting for the other roles"
                )
            );
            if !rationale.trim().is_empty() {
                let _ = write!(s, " ({}: {rationale})", t("motivering", "rationale"));
            }
            s
        }
        EventKind::DecisionExpired {
            decision: d,
            role: r,
            choice: c,
        } => format!(
            "{} — {}: {} {}",
            role(ctx, r.as_str(), lang),
            decision(ctx, d.as_str(), lang),
            t("termijn verlopen;", "deadline passed;"),
            c.as_ref().map_or_else(
                || t("er is niets besloten.", "nothing was decided.").to_owned(),
                |c| format!(
                    "{} “{}”.",
                    t("standaard geldt", "the default applies:"),
                    choice(ctx, d.as_str(), c.as_str(), lang)
                )
            )
        ),
        EventKind::ActionTaken {
            role: r,
            action: a,
            note,
            ..
        } => {
            let mut s = format!(
                "{}: {}",
                role(ctx, r.as_str(), lang),
                action(ctx, a.as_str(), lang)
            );
            if !note.trim().is_empty() {
                let _ = write!(s, " ({note})");
            }
            s
        }
        EventKind::VarChanged { var: v, value: x } => format!(
            "{}: {}",
            var(ctx, v.as_str(), lang),
            value(ctx, v.as_str(), *x, lang)
        ),
        EventKind::SignalRaised { signal: s } => format!(
            "{}: {}",
            t("Signaal", "Signal"),
            signal(ctx, s.as_str(), lang)
        ),
        EventKind::ChanceDrawn { p, hit } => match lang {
            Lang::Nl => format!(
                "Kans {:.0} % getrokken: {}",
                p * 100.0,
                if *hit { "raak" } else { "niet raak" }
            ),
            Lang::En => format!(
                "Chance {:.0} % drawn: {}",
                p * 100.0,
                if *hit { "hit" } else { "miss" }
            ),
        },
        EventKind::SignalCleared { signal: s } => format!(
            "{}: {}",
            t("Signaal voorbij", "Signal cleared"),
            signal(ctx, s.as_str(), lang)
        ),
        EventKind::Observed {
            text,
            role: r,
            rating,
            objective: o,
        } => {
            let mut s = format!("{}: {text}", t("Waarneming", "Observation"));
            if let Some(r) = r {
                let _ = write!(s, " [{}]", role(ctx, r.as_str(), lang));
            }
            if let Some(rt) = rating {
                let _ = write!(s, " ({rt:?}");
                if let Some(o) = o {
                    let _ = write!(s, " — {}", objective(ctx, o.as_str(), lang));
                }
                s.push(')');
            }
            s
        }
        EventKind::Ended { reason } => match reason {
            EndReason::Facilitator => t(
                "De oefenleiding heeft de oefening beëindigd.",
                "Exercise control ended the exercise.",
            )
            .to_owned(),
            EndReason::TimeUp => t(
                "De tijd is om: de oefening is beëindigd.",
                "Time is up: the exercise has ended.",
            )
            .to_owned(),
        },
    }
}

/// One sentence for a command as it was given.
pub fn command(c: &Command, ctx: &Compiled, lang: Lang) -> String {
    let t = |nl: &'static str, en: &'static str| tr(lang, nl, en);
    match c {
        Command::Start => t("Start", "Start").to_owned(),
        Command::Pause => t("Pauze", "Pause").to_owned(),
        Command::Resume => t("Hervatten", "Resume").to_owned(),
        Command::SetSpeed { speed } => format!("{} ×{speed}", t("Snelheid", "Speed")),
        Command::AdvanceTo { t: to } => {
            format!("{} T+{}", t("Tijd naar", "Time to"), fmt_elapsed(*to))
        }
        Command::JumpToNextInject => {
            t("Naar het volgende bericht", "To the next message").to_owned()
        }
        Command::ReleaseNow { inject: i } => format!(
            "{}: “{}”",
            t("Nu vrijgeven", "Release now"),
            inject(ctx, i.as_str(), lang)
        ),
        Command::Hold { inject: i } => format!(
            "{}: “{}”",
            t("Vasthouden", "Hold"),
            inject(ctx, i.as_str(), lang)
        ),
        Command::Retime { inject: i, at } => format!(
            "{}: “{}” → T+{}",
            t("Verplaatsen", "Retime"),
            inject(ctx, i.as_str(), lang),
            fmt_elapsed(*at)
        ),
        Command::AdHocInject { to, title, .. } => format!(
            "{}: “{title}” {} {}",
            t("Extra bericht", "Ad-hoc message"),
            t("aan", "to"),
            roles(ctx, to, lang)
        ),
        Command::Decide {
            role: r,
            decision: d,
            choice: ch,
            ..
        } => format!(
            "{} {}: {} → {}",
            role(ctx, r.as_str(), lang),
            t("kiest", "chooses"),
            decision(ctx, d.as_str(), lang),
            choice(ctx, d.as_str(), ch.as_str(), lang)
        ),
        Command::TakeAction {
            role: r, action: a, ..
        } => format!(
            "{}: {}",
            role(ctx, r.as_str(), lang),
            action(ctx, a.as_str(), lang)
        ),
        Command::Observe { text, .. } => format!("{}: {text}", t("Waarneming", "Observation")),
        Command::End => t("Einde oefening", "End of the exercise").to_owned(),
    }
}

/// One sentence for a journal entry: a command given (marked ▶) or an event.
pub fn entry(e: &Entry, ctx: &Compiled, lang: Lang) -> String {
    match &e.body {
        Body::Command(c) => format!("▶ {}", command(c, ctx, lang)),
        Body::Event(ev) => event(&ev.kind, ctx, lang),
    }
}

/// One sentence for a timed event.
pub fn timed(ev: &Event, ctx: &Compiled, lang: Lang) -> String {
    format!("T+{} {}", fmt_elapsed(ev.t), event(&ev.kind, ctx, lang))
}

/// Who gave an entry, in words: a role, exercise control, the clock, a seat.
pub fn actor(actor: &str, ctx: &Compiled, lang: Lang) -> String {
    match actor {
        "facilitator" => tr(lang, "Oefenleiding", "Exercise control").to_owned(),
        "engine" => tr(lang, "Simulatie", "Simulation").to_owned(),
        "clock" => tr(lang, "Klok", "Clock").to_owned(),
        a => a.strip_prefix("seat:").map_or_else(
            || role(ctx, a, lang).to_owned(),
            |s| format!("{} {s}", tr(lang, "Deelnemer", "Seat")),
        ),
    }
}

/// Why the engine refused a command, in words.
pub fn sim_error(e: &SimError, lang: Lang) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        SimError::NotStarted => "De oefening is nog niet gestart.".to_owned(),
        SimError::AlreadyStarted => "De oefening is al gestart.".to_owned(),
        SimError::Ended => "De oefening is beëindigd.".to_owned(),
        SimError::NotRunning => "De klok loopt niet.".to_owned(),
        SimError::NotPaused => "De klok is niet gepauzeerd.".to_owned(),
        SimError::BadSpeed(s) => {
            format!("Snelheid ×{s} bestaat niet; kies ×1 ×2 ×5 ×10 ×30 of ×60.")
        }
        SimError::TimeInPast { target, now } => format!(
            "T+{} ligt vóór de huidige tijd T+{}.",
            fmt_elapsed(*target),
            fmt_elapsed(*now)
        ),
        SimError::NothingScheduled => "Er staat geen bericht meer gepland.".to_owned(),
        SimError::UnknownRole(r) => format!("Onbekende rol \"{r}\"."),
        SimError::RoleNotInPlay(r) => format!("Rol \"{r}\" speelt niet mee."),
        SimError::UnknownInject(i) => format!("Onbekend bericht \"{i}\"."),
        SimError::AlreadyReleased(i) => format!("Bericht \"{i}\" is al vrijgegeven."),
        SimError::UnknownDecision(d) => format!("Onbekend besluit \"{d}\"."),
        SimError::WrongRole {
            decision,
            expected,
            role,
        } => {
            format!("Besluit \"{decision}\" is voor rol \"{expected}\", niet voor \"{role}\".")
        }
        SimError::DecisionNotOpen(d) => {
            format!("Besluit \"{d}\" is nog niet aan de rol voorgelegd.")
        }
        SimError::AlreadyDecided(d) => format!("Besluit \"{d}\" is al genomen."),
        SimError::DecisionExpired(d) => format!("De termijn van besluit \"{d}\" is verlopen."),
        SimError::UnknownChoice { decision, choice } => {
            format!("Besluit \"{decision}\" heeft geen keuze \"{choice}\".")
        }
        SimError::UnknownAction(a) => format!("Onbekende actie \"{a}\"."),
        SimError::UnknownObjective(o) => format!("Onbekende doelstelling \"{o}\"."),
        SimError::Empty(what) => format!(
            "{} is leeg.",
            match *what {
                "the title" => "De titel",
                "the observation" => "De waarneming",
                "the list of recipients" => "De lijst van ontvangers",
                other => other,
            }
        ),
    }
}

/// Why a session step failed, in words.
pub fn session_error(e: &SessionError, lang: Lang) -> String {
    match e {
        SessionError::Sim(s) => sim_error(s, lang),
        SessionError::Io(io) => format!(
            "{}: {io}",
            tr(
                lang,
                "Het logboek kon niet worden geschreven, dus de stap is niet gezet",
                "The journal could not be written, so the step was not taken"
            )
        ),
        other => other.to_string(),
    }
}

/// Why a procedure scored what it did, in words: the scorer's [`Reason`] and every choice that
/// went against the procedure, with names, not ids.
pub fn why(
    p: &ProcedureResult,
    plan: &crate::model::Plan,
    scenario: &crate::model::Scenario,
    lang: Lang,
) -> String {
    let t = |nl: &'static str, en: &'static str| tr(lang, nl, en);
    let role_name = |id: &str| plan.role(id).map_or(id, |r| r.name.get(lang)).to_owned();
    let limit = |allowed: Option<u64>| match allowed {
        Some(a) => format!("{} {}", a / 60, t("min toegestaan", "min allowed")),
        None => t("geen termijn", "no time limit").to_owned(),
    };
    let mut s = match &p.reason {
        Reason::NotAtTable { role } => match lang {
            Lang::Nl => format!(
                "Niet gescoord: rol \"{}\" zit niet aan tafel.",
                role_name(role.as_str())
            ),
            Lang::En => format!(
                "Not scored: role \"{}\" is not at the table.",
                role_name(role.as_str())
            ),
        },
        Reason::NotTriggered => t(
            "Niet gescoord: de aanleiding deed zich niet voor.",
            "Not scored: the trigger never held.",
        )
        .to_owned(),
        Reason::Early { at } => match lang {
            Lang::Nl => format!(
                "Al gedaan vóór de aanleiding (op {}): volledige punten.",
                fmt_elapsed(*at)
            ),
            Lang::En => format!(
                "Done before the trigger (at {}): full points.",
                fmt_elapsed(*at)
            ),
        },
        Reason::InTime {
            took_secs,
            allowed_secs,
        } => match lang {
            Lang::Nl => format!(
                "Gedaan na {} min ({}): volledige punten.",
                took_secs / 60,
                limit(*allowed_secs)
            ),
            Lang::En => format!(
                "Done after {} min ({}): full points.",
                took_secs / 60,
                limit(*allowed_secs)
            ),
        },
        Reason::Late {
            took_secs,
            allowed_secs,
            credit,
        } => match lang {
            Lang::Nl => format!(
                "Gedaan na {} min ({}): {:.0} % van de punten; nul bij drie keer de termijn.",
                took_secs / 60,
                limit(Some(*allowed_secs)),
                credit * 100.0
            ),
            Lang::En => format!(
                "Done after {} min ({}): {:.0} % of the points; zero at three times the limit.",
                took_secs / 60,
                limit(Some(*allowed_secs)),
                credit * 100.0
            ),
        },
        Reason::OtherRole {
            by,
            owner,
            took_secs,
        } => match lang {
            Lang::Nl => format!(
                "Gedaan door \"{}\" in plaats van \"{}\" na {} min: de helft van de punten.",
                role_name(by.as_str()),
                role_name(owner.as_str()),
                took_secs / 60
            ),
            Lang::En => format!(
                "Done by \"{}\" instead of \"{}\" after {} min: half the points.",
                role_name(by.as_str()),
                role_name(owner.as_str()),
                took_secs / 60
            ),
        },
        Reason::Open {
            since,
            allowed_secs,
        } => match lang {
            Lang::Nl => format!(
                "Loopt sinds {} ({}).",
                fmt_elapsed(*since),
                limit(*allowed_secs)
            ),
            Lang::En => format!(
                "Open since {} ({}).",
                fmt_elapsed(*since),
                limit(*allowed_secs)
            ),
        },
        Reason::Missed { triggered, action } => {
            let label = plan
                .action(action.as_str())
                .map_or(action.as_str(), |a| a.label.get(lang));
            match lang {
                Lang::Nl => format!(
                    "Aanleiding op {}, maar \"{label}\" is nooit gedaan: geen punten.",
                    fmt_elapsed(*triggered)
                ),
                Lang::En => format!(
                    "Triggered at {}, but \"{label}\" was never done: no points.",
                    fmt_elapsed(*triggered)
                ),
            }
        }
        Reason::Partly {
            took_secs,
            allowed_secs,
            share,
            credit,
            decision,
            choice,
            by,
        } => {
            let c = scenario
                .decisions()
                .find(|(_, d)| d.id.as_str() == decision)
                .and_then(|(_, d)| d.options.iter().find(|c| c.id.as_str() == choice));
            let label = c.map_or(choice.as_str(), |c| c.label.get(lang));
            let because = c
                .and_then(|c| c.partly.iter().find(|x| x.procedure == p.id))
                .map(|x| x.why.get(lang).trim().to_owned())
                .unwrap_or_default();
            let by = by.as_ref().map(|r| role_name(r.as_str()));
            match lang {
                Lang::Nl => format!(
                    "Gedaan na {} min ({}){} met keuze \"{label}\", die deze procedure maar deels vervult ({:.0} %): {:.0} % van de punten.{}",
                    took_secs / 60,
                    limit(*allowed_secs),
                    by.map(|b| format!(" door \"{b}\" (de helft)"))
                        .unwrap_or_default(),
                    share * 100.0,
                    credit * 100.0,
                    if because.is_empty() {
                        String::new()
                    } else {
                        format!(" Waarom: {because}")
                    }
                ),
                Lang::En => format!(
                    "Done after {} min ({}){} with choice \"{label}\", which satisfies this procedure only in part ({:.0} %): {:.0} % of the points.{}",
                    took_secs / 60,
                    limit(*allowed_secs),
                    by.map(|b| format!(" by \"{b}\" (half)"))
                        .unwrap_or_default(),
                    share * 100.0,
                    credit * 100.0,
                    if because.is_empty() {
                        String::new()
                    } else {
                        format!(" Why: {because}")
                    }
                ),
            }
        }
    };
    if let (Some((k, n)), Some(t0)) = (p.occurrence, p.triggered_at) {
        let _ = match lang {
            Lang::Nl => write!(
                s,
                " (Keer {k} van {n}: de aanleiding begon op {}{}.)",
                fmt_elapsed(t0),
                if k < n {
                    "; telt tot de volgende keer"
                } else {
                    ""
                }
            ),
            Lang::En => write!(
                s,
                " (Occurrence {k} of {n}: the trigger began at {}{}.)",
                fmt_elapsed(t0),
                if k < n {
                    "; counts until the next one"
                } else {
                    ""
                }
            ),
        };
    }
    for v in &p.violations {
        // The choice as the room saw it (its label), not its id.
        let c = scenario
            .decisions()
            .find(|(_, d)| d.id.as_str() == v.decision)
            .and_then(|(_, d)| d.options.iter().find(|c| c.id.as_str() == v.choice));
        let label = c.map_or(v.choice.as_str(), |c| c.label.get(lang));
        // The author's reason, where the choice names one (`against`).
        let because = c
            .and_then(|c| c.against.iter().find(|x| x.procedure == p.id))
            .map(|x| x.why.get(lang).trim().to_owned())
            .filter(|w| !w.is_empty());
        let at = fmt_elapsed(v.t);
        let _ = match lang {
            Lang::Nl => write!(
                s,
                " Keuze \"{label}\" ({at}{}) gaat tegen deze procedure in: {} punten.",
                if v.by_default {
                    ", standaard na verlopen termijn"
                } else {
                    ""
                },
                v.points
            ),
            Lang::En => write!(
                s,
                " Choice \"{label}\" ({at}{}) goes against this procedure: {} points.",
                if v.by_default {
                    ", default after expiry"
                } else {
                    ""
                },
                v.points
            ),
        };
        if let Some(w) = because {
            let _ = write!(s, " {}: {w}", tr(lang, "Waarom", "Why"));
        }
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Format 2: scenario-local roles and procedures, simulated roles, attachments
// ---------------------------------------------------------------------------------------------

/// A note on where a role comes from and who plays it, for desks, setup and reports: a role the
/// scenario brings (not the plan's), and/or one exercise control plays by default. `None` for a
/// plan role the players take.
pub fn role_note(scenario: &crate::model::Scenario, id: &str, lang: Lang) -> Option<String> {
    let local = scenario.is_local_role(id);
    let simulated = scenario.simulated.iter().any(|r| r.as_str() == id);
    let t = |nl: &'static str, en: &'static str| tr(lang, nl, en);
    match (local, simulated) {
        (false, false) => None,
        (true, false) => Some(t("rol van dit scenario", "a role of this scenario").to_owned()),
        (false, true) => Some(
            t(
                "gespeeld door de oefenleiding",
                "played by exercise control",
            )
            .to_owned(),
        ),
        (true, true) => Some(
            t(
                "rol van dit scenario, gespeeld door de oefenleiding",
                "a role of this scenario, played by exercise control",
            )
            .to_owned(),
        ),
    }
}

/// "Procedure of this scenario" for a scenario-local procedure, `None` for the plan's.
pub fn procedure_note(
    scenario: &crate::model::Scenario,
    id: &str,
    lang: Lang,
) -> Option<&'static str> {
    scenario.is_local_procedure(id).then(|| {
        tr(
            lang,
            "procedure van dit scenario",
            "a procedure of this scenario",
        )
    })
}

/// The kind of an attachment in words: a picture or a PDF document.
pub fn attachment_kind(kind: crate::model::AttachmentKind, lang: Lang) -> &'static str {
    if kind.is_image() {
        tr(lang, "afbeelding", "picture")
    } else {
        tr(lang, "PDF-document", "PDF document")
    }
}

/// One attachment in a line: its caption and its file, e.g. `Bijlage: Kaart van de route
/// (bijlagen/route.png)`.
pub fn attachment(a: &crate::model::Attachment, lang: Lang) -> String {
    format!(
        "{}: {} ({})",
        tr(lang, "Bijlage", "Attachment"),
        a.caption.get(lang),
        a.file
    )
}

/// The attachments of an inject, for a report line: empty when it has none, else ` [Bijlage:
/// …; Bijlage: …]`.
pub fn attachments_suffix(scenario: &crate::model::Scenario, inject: &str, lang: Lang) -> String {
    let Some(i) = scenario.inject(inject) else {
        return String::new();
    };
    if i.attachments.is_empty() {
        return String::new();
    }
    let list: Vec<String> = i.attachments.iter().map(|a| attachment(a, lang)).collect();
    format!(" [{}]", list.join("; "))
}
