//! The situation manual: the documents an exercise needs before it starts, generated from the
//! scenario and its plan.
//!
//! - **Participants** (to hand out): the purpose, the objectives, the roles in play, the ground
//!   rules and the opening situation — the injects released at minute 0 without a condition and
//!   the public situation at the start. Nothing of later injects, decisions, chances or
//!   debriefs: what the team must discover stays hidden.
//! - **Control** (exercise control and evaluators): the scenario's story, the MSEL, every inject
//!   with its expected actions and decisions (choices, consequences, violations, debriefs), the
//!   procedures with what counts as met, and an evaluation guide per objective with its P/S/M/U
//!   criteria and room for notes.

use std::path::Path;

use super::aar::{Row, Table};
use super::doc::{Attached, Block, Doc, Item};
use super::plan::cond_text;
use crate::engine::fmt_elapsed;
use crate::i18n::tr as l;
use crate::model::{Inject, Lang, Plan, Scenario, Value, Var};

/// Which part of the handbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// For the players: safe to hand out.
    Participants,
    /// For exercise control and evaluators: the whole script.
    Control,
    /// Both, the participants' part first.
    All,
}

/// Whether an inject is part of the opening situation: scheduled at minute 0, unconditionally.
pub fn is_opening(i: &Inject) -> bool {
    i.at_min == Some(0) && i.when.is_none()
}

/// The handbook (one part, or both) as a document; the control part names each inject's
/// attachments (use [`handbook_at`] to show them).
pub fn handbook(plan: &Plan, s: &Scenario, part: Part, lang: Lang) -> Doc {
    handbook_at(plan, s, None, part, lang)
}

/// The handbook of the scenario file at `scenario_path` (when given): the control part shows
/// each inject's attachments, read from beside the scenario — pictures whole, documents named,
/// a file that cannot be read with the reason.
pub fn handbook_at(
    plan: &Plan,
    s: &Scenario,
    scenario_path: Option<&Path>,
    part: Part,
    lang: Lang,
) -> Doc {
    let mut blocks = Vec::new();
    if matches!(part, Part::Participants | Part::All) {
        participants(&mut blocks, plan, s, lang);
    }
    if matches!(part, Part::Control | Part::All) {
        control(&mut blocks, plan, s, scenario_path, lang);
    }
    let kind = match part {
        Part::Participants => l(lang, "Deelnemershandboek", "Participant handbook"),
        Part::Control => l(
            lang,
            "Handboek spelleiding en evaluatoren",
            "Controller and evaluator handbook",
        ),
        Part::All => l(lang, "Oefenhandboek", "Exercise handbook"),
    };
    Doc {
        title: format!("{kind} — {}", s.title.get(lang)),
        lang,
        blocks,
    }
}

fn role_name(plan: &Plan, id: &str, lang: Lang) -> String {
    plan.role(id)
        .map_or_else(|| id.to_owned(), |r| r.name.get(lang).to_owned())
}

fn action_label(plan: &Plan, id: &str, lang: Lang) -> String {
    plan.action(id)
        .map_or_else(|| id.to_owned(), |a| a.label.get(lang).to_owned())
}

fn procedure_title(plan: &Plan, id: &str, lang: Lang) -> String {
    plan.procedure(id)
        .map_or_else(|| id.to_owned(), |p| p.title.get(lang).to_owned())
}

fn row(cells: Vec<String>) -> Row {
    Row { cells, mark: None }
}

fn value_text(v: &Var, value: Value, lang: Lang) -> String {
    match value {
        Value::Int(i) => v
            .level_label(i, lang)
            .map_or_else(|| i.to_string(), |label| format!("{i} — {label}")),
        Value::Bool(true) => l(lang, "ja", "yes").to_owned(),
        Value::Bool(false) => l(lang, "nee", "no").to_owned(),
    }
}

/// `H:MM` after the start for a scheduled inject, else `+N min` for a follow-up.
fn when_text(plan: &Plan, i: &Inject, lang: Lang) -> String {
    let base = match i.at_min {
        Some(m) => fmt_elapsed(u64::from(m) * 60),
        None => format!("+{} min ({})", i.delay_min, l(lang, "vervolg", "follow-up")),
    };
    match &i.when {
        Some(c) => format!(
            "{base}, {} {}",
            l(lang, "zodra", "once"),
            cond_text(plan, c, lang)
        ),
        None => base,
    }
}

fn participants(b: &mut Vec<Block>, plan: &Plan, s: &Scenario, lang: Lang) {
    b.push(Block::Heading(
        1,
        format!(
            "{} — {}",
            l(lang, "Deelnemershandboek", "Participant handbook"),
            s.title.get(lang)
        ),
    ));
    b.push(Block::Note(
        l(
            lang,
            "Voor alle deelnemers. Gemaakt door Paraat uit het scenario; bevat alleen wat bij de start bekend is.",
            "For all participants. Made by Paraat from the scenario; holds only what is known at the start.",
        )
        .to_owned(),
    ));
    b.push(Block::Heading(
        2,
        format!(
            "1. {}",
            l(lang, "Doel van de oefening", "Purpose of the exercise")
        ),
    ));
    b.push(Block::Para(match lang {
        Lang::Nl => format!(
            "Deze tabletop-oefening traint de crisisstructuur van het {} ({}): wie wat wanneer besluit en met wie afstemt, onder tijdsdruk. Het scenario is verzonnen; plaatsen, organisaties en personen zijn fictief. De oefening begint op {} in het scenario en duurt {} minuten.",
            plan.title.get(lang),
            plan.id,
            s.start,
            s.duration_min
        ),
        Lang::En => format!(
            "This tabletop exercise trains the crisis structure of the {} ({}): who decides what and when, and with whom, under time pressure. The scenario is invented; places, organisations and people are fictional. The exercise starts at {} in the scenario and lasts {} minutes.",
            plan.title.get(lang),
            plan.id,
            s.start,
            s.duration_min
        ),
    }));
    b.push(Block::Heading(
        2,
        format!("2. {}", l(lang, "Doelstellingen", "Objectives")),
    ));
    b.push(Block::List(if s.objectives.is_empty() {
        vec![Item::plain("—")]
    } else {
        s.objectives
            .iter()
            .map(|o| Item {
                lead: format!("{}:", o.id),
                text: o.title.get(lang).to_owned(),
            })
            .collect()
    }));
    b.push(Block::Heading(
        2,
        format!("3. {}", l(lang, "Rollen in het spel", "Roles in play")),
    ));
    b.push(Block::Table {
        table: Table {
            headers: vec![
                l(lang, "Rol", "Role"),
                l(lang, "Team", "Team"),
                l(lang, "Taak", "Duty"),
            ],
            rows: s
                .roles
                .iter()
                .map(|r| match plan.role(r.as_str()) {
                    Some(role) => row(vec![
                        role.name.get(lang).to_owned(),
                        role.team.clone(),
                        role.duty.get(lang).to_owned(),
                    ]),
                    None => row(vec![r.to_string(), String::new(), String::new()]),
                })
                .collect(),
        },
        widths: vec![2.0, 1.0, 5.0],
    });
    b.push(Block::Heading(
        2,
        format!("4. {}", l(lang, "Spelregels", "Ground rules")),
    ));
    let rules: [(&str, &str); 7] = [
        (
            "Handel zoals u in werkelijkheid zou doen, binnen uw eigen rol, bevoegdheden en plannen. Speel geen andere rol.",
            "Act as you would in reality, within your own role, powers and plans. Do not play another role.",
        ),
        (
            "Berichten (injects) komen binnen via de kanalen in het scenario; wat niet in een bericht staat, weet u niet. Vraag het na zoals u dat in werkelijkheid zou doen.",
            "Messages (injects) arrive through the channels in the scenario; what is not in a message, you do not know. Ask for it as you would in reality.",
        ),
        (
            "Besluiten hebben een termijn. Wie niet op tijd besluit, krijgt de standaarduitkomst van het scenario — ook dat wordt vastgelegd en nabesproken.",
            "Decisions have a deadline. A decision not taken in time gets the scenario's default outcome — that too is recorded and discussed.",
        ),
        (
            "Meld de acties van het plan die u neemt (een overleg bijeenroepen, opschalen, informeren) aan de spelleiding, zodat ze in het logboek komen; motiveer uw besluiten kort.",
            "Report the plan actions you take (convening a meeting, scaling up, informing) to exercise control, so that they are journaled; give a short rationale for your decisions.",
        ),
        (
            "De tijd in het scenario kan sneller lopen dan de klok; de spelleiding kan pauzeren of vooruitspoelen.",
            "Time in the scenario may run faster than the clock; exercise control may pause or skip ahead.",
        ),
        (
            "Het is een oefening zonder schuld: fouten zijn leermomenten. De nabespreking (hot wash) direct na afloop gaat over het systeem, niet over personen.",
            "This is a no-fault exercise: mistakes are learning moments. The hot wash right after it is about the system, not about people.",
        ),
        (
            "Bij een echte noodsituatie stopt de oefening op het woord \"NO PLAY\".",
            "In a real emergency the exercise stops at the words \"NO PLAY\".",
        ),
    ];
    b.push(Block::List(
        rules
            .iter()
            .map(|(nl, en)| Item::plain(l(lang, nl, en)))
            .collect(),
    ));
    b.push(Block::Heading(
        2,
        format!(
            "5. {}",
            l(lang, "De situatie bij de start", "The opening situation")
        ),
    ));
    let public: Vec<Row> = plan
        .vars
        .iter()
        .chain(&s.vars)
        .filter(|v| !v.hidden)
        .map(|v| {
            let value = s.init.get(&v.id).copied().unwrap_or(v.init);
            row(vec![
                v.label.get(lang).to_owned(),
                value_text(v, value, lang),
            ])
        })
        .collect();
    if !public.is_empty() {
        b.push(Block::Table {
            table: Table {
                headers: vec![
                    l(lang, "Beeld", "Picture"),
                    l(lang, "Bij de start", "At the start"),
                ],
                rows: public,
            },
            widths: vec![2.0, 3.0],
        });
    }
    let opening: Vec<&Inject> = s.injects.iter().filter(|i| is_opening(i)).collect();
    if opening.is_empty() {
        b.push(Block::Para(
            l(
                lang,
                "De eerste berichten komen binnen zodra de oefening begint.",
                "The first messages arrive as soon as the exercise starts.",
            )
            .to_owned(),
        ));
    }
    for i in opening {
        b.push(Block::Heading(3, i.title.get(lang).to_owned()));
        b.push(Block::Note(inject_meta(plan, i, lang)));
        b.push(Block::Para(i.body.get(lang).to_owned()));
    }
}

/// "From X to Y, by channel".
fn inject_meta(plan: &Plan, i: &Inject, lang: Lang) -> String {
    let to: Vec<String> =
        i.to.iter()
            .map(|r| role_name(plan, r.as_str(), lang))
            .collect();
    format!(
        "{}{} {} · {}",
        i.from.as_ref().map_or_else(String::new, |f| format!(
            "{} {} ",
            l(lang, "Van", "From"),
            f.get(lang)
        )),
        l(lang, "aan", "to"),
        to.join(", "),
        i.channel.label(lang)
    )
}

fn control(
    b: &mut Vec<Block>,
    plan: &Plan,
    s: &Scenario,
    scenario_path: Option<&Path>,
    lang: Lang,
) {
    b.push(Block::Heading(
        1,
        format!(
            "{} — {}",
            l(
                lang,
                "Handboek spelleiding en evaluatoren",
                "Controller and evaluator handbook"
            ),
            s.title.get(lang)
        ),
    ));
    b.push(Block::Banner(
        l(
            lang,
            "Alleen voor spelleiding en evaluatoren — niet aan deelnemers geven: dit deel bevat het hele draaiboek.",
            "For exercise control and evaluators only — do not hand to participants: this part holds the whole script.",
        )
        .to_owned(),
    ));
    // 1. The scenario.
    b.push(Block::Heading(
        2,
        format!("1. {}", l(lang, "Het scenario", "The scenario")),
    ));
    let roles: Vec<String> = s
        .roles
        .iter()
        .map(|r| role_name(plan, r.as_str(), lang))
        .collect();
    b.push(Block::Table {
        table: Table {
            headers: Vec::new(),
            rows: vec![
                row(vec![
                    l(lang, "Scenario", "Scenario").to_owned(),
                    format!("{} ({})", s.title.get(lang), s.id),
                ]),
                row(vec![
                    l(lang, "Samenvatting", "Summary").to_owned(),
                    s.summary.get(lang).to_owned(),
                ]),
                row(vec![
                    l(lang, "Plan", "Plan").to_owned(),
                    format!("{} ({} {})", plan.title.get(lang), plan.id, plan.version),
                ]),
                row(vec![
                    l(lang, "Start in het scenario", "Scenario start").to_owned(),
                    s.start.clone(),
                ]),
                row(vec![
                    l(lang, "Duur", "Duration").to_owned(),
                    format!("{} min", s.duration_min),
                ]),
                row(vec![
                    l(lang, "Rollen", "Roles").to_owned(),
                    roles.join(", "),
                ]),
                row(vec![
                    l(lang, "Injects", "Injects").to_owned(),
                    format!(
                        "{} ({} {})",
                        s.injects.len(),
                        s.injects.iter().filter(|i| i.at_min.is_some()).count(),
                        l(lang, "op tijd gepland", "scheduled")
                    ),
                ]),
            ],
        },
        widths: vec![1.0, 3.0],
    });
    if !s.random.is_empty() {
        b.push(Block::Para(
            l(
                lang,
                "Toevalsinjects (per seed verschillend; de seed staat in het logboek):",
                "Chance injects (different per seed; the seed is in the journal):",
            )
            .to_owned(),
        ));
        b.push(Block::Table {
            table: Table {
                headers: vec![
                    l(lang, "Inject", "Inject"),
                    l(lang, "Kans", "Chance"),
                    l(lang, "Venster", "Window"),
                ],
                rows: s
                    .random
                    .iter()
                    .map(|c| {
                        row(vec![
                            s.inject(c.inject.as_str()).map_or_else(
                                || c.inject.to_string(),
                                |i| i.title.get(lang).to_owned(),
                            ),
                            format!("{:.0} %", c.p * 100.0),
                            format!(
                                "{}–{}",
                                fmt_elapsed(u64::from(c.window_min.0) * 60),
                                fmt_elapsed(u64::from(c.window_min.1) * 60)
                            ),
                        ])
                    })
                    .collect(),
            },
            widths: vec![4.0, 1.0, 1.5],
        });
    }
    // 2. MSEL.
    b.push(Block::Heading(
        2,
        format!(
            "2. {}",
            l(
                lang,
                "Draaiboek (MSEL)",
                "Master scenario events list (MSEL)"
            )
        ),
    ));
    let mut order: Vec<&Inject> = s.injects.iter().collect();
    order.sort_by_key(|i| (i.at_min.is_none(), i.at_min.unwrap_or(0)));
    b.push(Block::Table {
        table: Table {
            headers: vec![
                l(lang, "Tijd", "Time"),
                l(lang, "Inject", "Inject"),
                l(lang, "Aan", "To"),
                l(lang, "Kanaal", "Channel"),
                l(lang, "Verwachte acties", "Expected actions"),
            ],
            rows: order
                .iter()
                .map(|i| {
                    row(vec![
                        when_text(plan, i, lang),
                        i.title.get(lang).to_owned(),
                        i.to.iter()
                            .map(|r| role_name(plan, r.as_str(), lang))
                            .collect::<Vec<_>>()
                            .join(", "),
                        i.channel.label(lang).to_owned(),
                        i.expect
                            .iter()
                            .map(|a| action_label(plan, a.as_str(), lang))
                            .collect::<Vec<_>>()
                            .join("; "),
                    ])
                })
                .collect(),
        },
        widths: vec![1.4, 3.0, 2.0, 1.3, 2.6],
    });
    // 3. Each inject.
    b.push(Block::Heading(
        2,
        format!(
            "3. {}",
            l(lang, "Injects en besluiten", "Injects and decisions")
        ),
    ));
    for i in &order {
        inject_detail(b, plan, s, i, lang);
        for a in &i.attachments {
            b.push(match scenario_path {
                Some(path) => Block::Attachment(Attached::read(path, a, lang, String::new())),
                None => Block::Note(crate::describe::attachment(a, lang)),
            });
        }
    }
    // 4. Procedures.
    procedures(b, plan, s, lang);
    // 5. Evaluation guides.
    evaluation(b, plan, s, lang);
}

fn inject_detail(b: &mut Vec<Block>, plan: &Plan, s: &Scenario, i: &Inject, lang: Lang) {
    b.push(Block::Heading(
        3,
        format!("{} — {}", when_text(plan, i, lang), i.title.get(lang)),
    ));
    b.push(Block::Note(format!(
        "{} · {}",
        i.id,
        inject_meta(plan, i, lang)
    )));
    b.push(Block::Para(i.body.get(lang).to_owned()));
    let released_by: Vec<String> = s
        .decisions()
        .flat_map(|(_, d)| {
            d.options
                .iter()
                .filter(|o| o.then.iter().any(|t| t == &i.id))
                .map(move |o| format!("{} → {}", d.prompt.get(lang), o.label.get(lang)))
        })
        .chain(
            s.random
                .iter()
                .filter(|c| c.inject == i.id)
                .map(|c| format!("{} {:.0} %", l(lang, "toeval", "chance"), c.p * 100.0)),
        )
        .collect();
    if !released_by.is_empty() {
        b.push(Block::Note(format!(
            "{}: {}",
            l(lang, "Vrijgegeven door", "Released by"),
            released_by.join("; ")
        )));
    }
    if !i.expect.is_empty() {
        b.push(Block::List(
            i.expect
                .iter()
                .map(|a| Item {
                    lead: format!("{}:", l(lang, "Verwachte actie", "Expected action")),
                    text: action_label(plan, a.as_str(), lang),
                })
                .collect(),
        ));
    }
    for d in &i.decisions {
        let default = d
            .default
            .as_ref()
            .and_then(|c| d.options.iter().find(|o| &o.id == c))
            .map_or_else(
                || l(lang, "geen besluit", "no decision").to_owned(),
                |o| o.label.get(lang).to_owned(),
            );
        b.push(Block::Para(format!(
            "{} {} ({} {} min; {}: {}): {}",
            l(lang, "Besluit voor", "Decision for"),
            role_name(plan, d.role.as_str(), lang),
            l(lang, "termijn", "deadline"),
            d.due_min,
            l(lang, "zonder besluit", "without a decision"),
            default,
            d.prompt.get(lang)
        )));
        b.push(Block::Table {
            table: Table {
                headers: vec![
                    l(lang, "Keuze", "Choice"),
                    l(lang, "Acties van het plan", "Plan actions"),
                    l(lang, "Gevolg", "Consequence"),
                    l(lang, "Strijdig met", "Violates"),
                    l(lang, "Nabespreking", "Debrief"),
                ],
                rows: d
                    .options
                    .iter()
                    .map(|o| {
                        row(vec![
                            o.label.get(lang).to_owned(),
                            o.actions
                                .iter()
                                .map(|a| action_label(plan, a.as_str(), lang))
                                .collect::<Vec<_>>()
                                .join("; "),
                            o.then
                                .iter()
                                .map(|t| {
                                    s.inject(t.as_str()).map_or_else(
                                        || t.to_string(),
                                        |n| n.title.get(lang).to_owned(),
                                    )
                                })
                                .collect::<Vec<_>>()
                                .join("; "),
                            o.violates
                                .iter()
                                .map(|p| procedure_title(plan, p.as_str(), lang))
                                .collect::<Vec<_>>()
                                .join("; "),
                            o.debrief
                                .as_ref()
                                .map(|t| t.get(lang).to_owned())
                                .unwrap_or_default(),
                        ])
                    })
                    .collect(),
            },
            widths: vec![2.0, 2.0, 2.0, 1.6, 3.0],
        });
    }
}

/// The scoring rules in words, the thresholds from the scorer.
fn rules_text(lang: Lang) -> String {
    let [p, s, m] = crate::scoring::THRESHOLDS.map(|t| (t * 100.0).round());
    match lang {
        Lang::Nl => format!(
            "Een procedure loopt vanaf het moment dat haar aanleiding zich voordoet. Gedaan door de verantwoordelijke rol binnen de termijn: volle punten. Te laat: de punten lopen lineair af tot nul bij drie keer de termijn. Alleen door een andere rol gedaan: de helft, gemarkeerd. Nooit gedaan: gemist. Een keuze die strijdig is met een procedure kost het gewicht van die procedure. Niet aangeleid of de rol niet aan tafel: niet gescoord. Een doelstelling krijgt P bij ten minste {p} % van de mogelijke punten van haar procedures, S bij {s} %, M bij {m} %, anders U; een waarnemer kan het oordeel met redenen aanpassen."
        ),
        Lang::En => format!(
            "A procedure's clock starts when its trigger first holds. Done by the responsible role within the time: full points. Late: the points fall linearly to zero at three times the allowed time. Done only by another role: half, flagged. Never done: missed. A choice that violates a procedure costs that procedure's weight. Not triggered, or its role not at the table: not scored. An objective is rated P at {p} % or more of its procedures' possible points, S at {s} %, M at {m} %, else U; an observer may override the rating with a reason."
        ),
    }
}

fn procedure_rows(plan: &Plan, ids: &[&str], lang: Lang) -> Vec<Row> {
    ids.iter()
        .filter_map(|id| plan.procedure(id))
        .map(|p| {
            row(vec![
                p.title.get(lang).to_owned(),
                role_name(plan, p.role.as_str(), lang),
                cond_text(plan, &p.trigger, lang),
                action_label(plan, p.action.as_str(), lang),
                p.within_min.map_or_else(
                    || l(lang, "zodra mogelijk", "as soon as possible").to_owned(),
                    |m| format!("{m} min"),
                ),
                p.weight.to_string(),
            ])
        })
        .collect()
}

fn procedure_headers(lang: Lang) -> Vec<&'static str> {
    vec![
        l(lang, "Procedure", "Procedure"),
        l(lang, "Rol", "Role"),
        l(lang, "Aanleiding", "Trigger"),
        l(lang, "Gedaan als", "Met when"),
        l(lang, "Binnen", "Within"),
        l(lang, "Gewicht", "Weight"),
    ]
}

fn procedures(b: &mut Vec<Block>, plan: &Plan, s: &Scenario, lang: Lang) {
    b.push(Block::Heading(
        2,
        format!(
            "4. {}",
            l(
                lang,
                "Procedures en wanneer ze gehaald zijn",
                "Procedures and what counts as met"
            )
        ),
    ));
    b.push(Block::Para(rules_text(lang)));
    let ids: Vec<&str> = plan
        .procedures
        .iter()
        .filter(|p| s.roles.contains(&p.role))
        .map(|p| p.id.as_str())
        .collect();
    b.push(Block::Note(
        l(
            lang,
            "De procedures van het plan voor de rollen in dit scenario; \"Gedaan als\" is de actie die de rol moet nemen.",
            "The plan's procedures for the roles in this scenario; \"Met when\" is the action the role must take.",
        )
        .to_owned(),
    ));
    b.push(Block::Table {
        table: Table {
            headers: procedure_headers(lang),
            rows: procedure_rows(plan, &ids, lang),
        },
        widths: vec![2.5, 1.5, 2.5, 2.0, 1.0, 1.1],
    });
}

fn evaluation(b: &mut Vec<Block>, plan: &Plan, s: &Scenario, lang: Lang) {
    b.push(Block::Heading(
        2,
        format!(
            "5. {}",
            l(
                lang,
                "Evaluatiegidsen per doelstelling",
                "Evaluation guides per objective"
            )
        ),
    ));
    let [p, st, m] = crate::scoring::THRESHOLDS.map(|t| (t * 100.0).round());
    for o in &s.objectives {
        b.push(Block::Heading(
            3,
            format!("{} — {}", o.id, o.title.get(lang)),
        ));
        let ids: Vec<&str> = o
            .procedures
            .iter()
            .map(crate::model::ProcedureId::as_str)
            .collect();
        b.push(Block::Table {
            table: Table {
                headers: procedure_headers(lang),
                rows: procedure_rows(plan, &ids, lang),
            },
            widths: vec![2.5, 1.5, 2.5, 2.0, 1.0, 1.1],
        });
        let keys: Vec<Item> = o
            .key_decisions
            .iter()
            .filter_map(|k| plan.key_decisions.iter().find(|d| &d.id == k))
            .map(|k| Item {
                lead: format!("{}:", k.title.get(lang)),
                text: k.dilemma.get(lang).to_owned(),
            })
            .collect();
        if !keys.is_empty() {
            b.push(Block::Para(
                l(lang, "Sleutelbesluiten:", "Key decisions:").to_owned(),
            ));
            b.push(Block::List(keys));
        }
        b.push(Block::Table {
            table: Table {
                headers: vec![
                    l(lang, "Oordeel", "Rating"),
                    l(lang, "Criterium", "Criterion"),
                ],
                rows: [
                    (
                        "P",
                        format!(
                            "{} — {} {p} % {}",
                            l(
                                lang,
                                "uitgevoerd zonder problemen",
                                "performed without challenges"
                            ),
                            l(lang, "ten minste", "at least"),
                            l(lang, "van de punten", "of the points")
                        ),
                    ),
                    (
                        "S",
                        format!(
                            "{} — {} {st} % {}",
                            l(
                                lang,
                                "uitgevoerd met enkele problemen",
                                "performed with some challenges"
                            ),
                            l(lang, "ten minste", "at least"),
                            l(lang, "van de punten", "of the points")
                        ),
                    ),
                    (
                        "M",
                        format!(
                            "{} — {} {m} % {}",
                            l(
                                lang,
                                "uitgevoerd met grote problemen",
                                "performed with major challenges"
                            ),
                            l(lang, "ten minste", "at least"),
                            l(lang, "van de punten", "of the points")
                        ),
                    ),
                    (
                        "U",
                        format!(
                            "{} — {} {m} %",
                            l(lang, "niet uitgevoerd", "unable to be performed"),
                            l(lang, "minder dan", "less than")
                        ),
                    ),
                ]
                .into_iter()
                .map(|(r, text)| Row {
                    cells: vec![r.to_owned(), text],
                    mark: Some((0, r)),
                })
                .collect(),
            },
            widths: vec![1.0, 6.0],
        });
        b.push(Block::Table {
            table: Table {
                headers: vec![
                    l(lang, "Tijd", "Time"),
                    l(lang, "Rol", "Role"),
                    l(lang, "Waarneming", "Observation"),
                    l(lang, "P/S/M/U", "P/S/M/U"),
                ],
                rows: (0..4)
                    .map(|_| {
                        row(vec![
                            String::new(),
                            String::new(),
                            "\n\n".into(),
                            String::new(),
                        ])
                    })
                    .collect(),
            },
            widths: vec![1.0, 1.5, 5.0, 1.0],
        });
    }
}
