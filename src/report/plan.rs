//! The plan reference: the catalogue rendered for a reviewer who knows the crisis structure but
//! not RON — each role with its team and duties, each procedure with its trigger, action, time,
//! kind of rule and source, the key decisions and the objectives that train them.
//!
//! One document model (sections of tables), two renderings: a self-contained, escaped HTML file
//! and Markdown.

use std::fmt::Write as _;

use super::aar::{Row, Table};
use super::html::esc;
use super::markdown::cell;
use crate::i18n::tr as l;
use crate::model::{Cond, Lang, Phase, Plan, Scenario, Value};

/// The formats of the plan reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanFormat {
    /// One self-contained, printable HTML file.
    Html,
    /// Markdown.
    Markdown,
}

/// A section of the reference: a heading, an optional paragraph and a table.
struct Section {
    title: String,
    intro: Option<String>,
    table: Table,
}

/// Renders the plan reference. `scenarios` are the scenarios played against this plan; their
/// objectives are listed under the key decisions they train (pass none to leave that out).
pub fn render_plan(plan: &Plan, scenarios: &[&Scenario], lang: Lang, format: PlanFormat) -> String {
    let sections = sections(plan, scenarios, lang);
    let title = plan.title.get(lang);
    let subtitle = format!(
        "{} {} · {}",
        l(lang, "Plancatalogus", "Plan catalogue"),
        plan.id,
        plan.version
    );
    let note = l(
        lang,
        "Elke procedure noemt de soort regel (wet, landelijk plan, regionale norm, les uit evaluatie, goede praktijk) en haar bron; de toelichting zegt of een termijn uit de bron komt of een oefennorm van deze catalogus is.",
        "Each procedure names the kind of rule (law, national plan, regional norm, lesson from an evaluation, good practice) and its source; the rationale says whether a time limit comes from the source or is an exercise norm of this catalogue.",
    );
    match format {
        PlanFormat::Html => html(title, &subtitle, note, &sections, lang),
        PlanFormat::Markdown => markdown(title, &subtitle, note, &sections),
    }
}

fn row(cells: Vec<String>) -> Row {
    Row { cells, mark: None }
}

/// A trigger condition in words, naming signals and actions by their labels.
pub fn cond_text(plan: &Plan, c: &Cond, lang: Lang) -> String {
    let join = |cs: &[Cond], word: &str| {
        cs.iter()
            .map(|c| {
                let t = cond_text(plan, c, lang);
                if matches!(c, Cond::All(_) | Cond::Any(_)) {
                    format!("({t})")
                } else {
                    t
                }
            })
            .collect::<Vec<_>>()
            .join(word)
    };
    match c {
        Cond::Always => l(lang, "vanaf het begin", "from the start").to_owned(),
        Cond::All(cs) => join(cs, l(lang, " en ", " and ")),
        Cond::Any(cs) => join(cs, l(lang, " of ", " or ")),
        Cond::Not(c) => format!("{} {}", l(lang, "niet", "not"), cond_text(plan, c, lang)),
        Cond::Var(v, op, value) => {
            let name = plan
                .vars
                .iter()
                .find(|x| x.id == *v)
                .map_or_else(|| v.to_string(), |x| x.label.get(lang).to_owned());
            let value = match value {
                Value::Int(i) => i.to_string(),
                Value::Bool(true) => l(lang, "ja", "yes").to_owned(),
                Value::Bool(false) => l(lang, "nee", "no").to_owned(),
            };
            format!("{name} {} {value}", op.symbol())
        }
        Cond::Signal(s) => plan
            .signals
            .iter()
            .find(|x| x.id == *s)
            .map_or_else(|| s.to_string(), |x| x.label.get(lang).to_owned()),
        Cond::Done(a) => format!(
            "{}: {}",
            l(lang, "gedaan", "done"),
            plan.action(a.as_str())
                .map_or_else(|| a.to_string(), |x| x.label.get(lang).to_owned())
        ),
        Cond::Chosen(d, ch) => format!("{d} = {ch}"),
        Cond::Released(i) => format!("{} {i}", l(lang, "inject", "inject")),
        Cond::After(m) => format!("{} {m}", l(lang, "vanaf minuut", "from minute")),
        Cond::ReleasedWithin(i, m) => match lang {
            Lang::Nl => format!("inject {i} minder dan {m} min geleden"),
            Lang::En => format!("inject {i} less than {m} min ago"),
        },
        Cond::DecidedWithin(d, m) => match lang {
            Lang::Nl => format!("besluit {d} minder dan {m} min geleden"),
            Lang::En => format!("decision {d} less than {m} min ago"),
        },
    }
}

fn role_name(plan: &Plan, id: &str, lang: Lang) -> String {
    plan.role(id)
        .map_or_else(|| id.to_owned(), |r| r.name.get(lang).to_owned())
}

fn sections(plan: &Plan, scenarios: &[&Scenario], lang: Lang) -> Vec<Section> {
    let mut out = Vec::new();

    // Key decisions.
    if !plan.key_decisions.is_empty() {
        let mut t = Table {
            headers: vec![
                "id",
                l(lang, "Sleutelbesluit", "Key decision"),
                l(lang, "Dilemma", "Dilemma"),
                l(lang, "Procedures", "Procedures"),
                l(lang, "Geoefend in", "Trained in"),
                l(lang, "Bron", "Source"),
            ],
            rows: Vec::new(),
        };
        for k in &plan.key_decisions {
            let trained: Vec<String> = scenarios
                .iter()
                .flat_map(|s| {
                    s.objectives
                        .iter()
                        .filter(|o| o.key_decisions.contains(&k.id))
                        .map(|o| format!("{} {}", s.id, o.id))
                })
                .collect();
            t.rows.push(row(vec![
                k.id.clone(),
                k.title.get(lang).to_owned(),
                k.dilemma.get(lang).to_owned(),
                k.procedures
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                if trained.is_empty() {
                    "—".to_owned()
                } else {
                    trained.join(", ")
                },
                format!("{} — {}", k.source.kind.label(lang), k.source.cite),
            ]));
        }
        out.push(Section {
            title: l(lang, "Sleutelbesluiten", "Key decisions").to_owned(),
            intro: None,
            table: t,
        });
    }

    // Roles, in catalogue order, with the procedures each is responsible for.
    let mut t = Table {
        headers: vec![
            "id",
            l(lang, "Rol", "Role"),
            l(lang, "Team", "Team"),
            l(lang, "Taken", "Duties"),
            l(lang, "Verantwoordelijk voor", "Responsible for"),
        ],
        rows: Vec::new(),
    };
    for r in &plan.roles {
        let procs: Vec<&str> = plan
            .procedures
            .iter()
            .filter(|p| p.role == r.id)
            .map(|p| p.id.as_str())
            .collect();
        t.rows.push(row(vec![
            r.id.to_string(),
            r.name.get(lang).to_owned(),
            r.team.clone(),
            r.duty.get(lang).to_owned(),
            if procs.is_empty() {
                "—".to_owned()
            } else {
                procs.join(", ")
            },
        ]));
    }
    out.push(Section {
        title: l(lang, "Rollen", "Roles").to_owned(),
        intro: None,
        table: t,
    });

    // Procedures, by phase.
    for phase in Phase::ALL {
        let mut t = Table {
            headers: vec![
                "id",
                l(lang, "Procedure", "Procedure"),
                l(lang, "Rol", "Role"),
                l(lang, "Start", "Trigger"),
                l(lang, "Actie", "Action"),
                l(lang, "Binnen", "Within"),
                l(lang, "Gewicht", "Weight"),
                l(lang, "Soort regel", "Kind of rule"),
                l(lang, "Bron", "Source"),
                l(lang, "Toelichting", "Rationale"),
            ],
            rows: Vec::new(),
        };
        for p in plan.procedures.iter().filter(|p| p.phase == phase) {
            t.rows.push(row(vec![
                p.id.to_string(),
                p.title.get(lang).to_owned(),
                role_name(plan, p.role.as_str(), lang),
                if p.per_occurrence {
                    format!(
                        "{} ({})",
                        cond_text(plan, &p.trigger, lang),
                        l(lang, "telt elke keer opnieuw", "scored at every occurrence")
                    )
                } else {
                    cond_text(plan, &p.trigger, lang)
                },
                plan.action(p.action.as_str())
                    .map_or_else(|| p.action.to_string(), |a| a.label.get(lang).to_owned()),
                p.within_min
                    .map_or_else(|| "—".to_owned(), |m| format!("{m} min")),
                p.weight.to_string(),
                p.source.kind.label(lang).to_owned(),
                p.source.cite.clone(),
                p.rationale
                    .as_ref()
                    .map_or_else(String::new, |r| r.get(lang).to_owned()),
            ]));
        }
        if !t.rows.is_empty() {
            out.push(Section {
                title: format!(
                    "{} — {}",
                    l(lang, "Procedures", "Procedures"),
                    phase.label(lang)
                ),
                intro: None,
                table: t,
            });
        }
    }

    // Signals and what they start.
    let mut t = Table {
        headers: vec![
            "id",
            l(lang, "Signaal", "Signal"),
            l(lang, "Start de klok van", "Starts the clock of"),
        ],
        rows: Vec::new(),
    };
    for s in &plan.signals {
        let started: Vec<&str> = plan
            .procedures
            .iter()
            .filter(|p| mentions_signal(&p.trigger, s.id.as_str()))
            .map(|p| p.id.as_str())
            .collect();
        t.rows.push(row(vec![
            s.id.to_string(),
            s.label.get(lang).to_owned(),
            if started.is_empty() {
                "—".to_owned()
            } else {
                started.join(", ")
            },
        ]));
    }
    out.push(Section {
        title: l(lang, "Signalen", "Signals").to_owned(),
        intro: None,
        table: t,
    });

    // Situation variables.
    let mut t = Table {
        headers: vec![
            "id",
            l(lang, "Variabele", "Variable"),
            l(lang, "Begin", "Start"),
            l(lang, "Grenzen", "Bounds"),
            l(lang, "Niveaus", "Levels"),
        ],
        rows: Vec::new(),
    };
    for v in &plan.vars {
        let bounds = match (v.min, v.max) {
            (Some(a), Some(b)) => format!("{a}–{b}"),
            (Some(a), None) => format!("≥ {a}"),
            (None, Some(b)) => format!("≤ {b}"),
            (None, None) => String::new(),
        };
        let levels: Vec<String> = v
            .levels
            .iter()
            .map(|lv| format!("{}: {}", lv.value, lv.label.get(lang)))
            .collect();
        t.rows.push(row(vec![
            v.id.to_string(),
            v.label.get(lang).to_owned(),
            v.init.to_string(),
            bounds,
            levels.join("; "),
        ]));
    }
    out.push(Section {
        title: l(lang, "Situatievariabelen", "Situation variables").to_owned(),
        intro: None,
        table: t,
    });

    // Actions.
    let mut t = Table {
        headers: vec![
            "id",
            l(lang, "Actie", "Action"),
            l(lang, "Rollen (palet)", "Roles (palette)"),
        ],
        rows: Vec::new(),
    };
    for a in &plan.actions {
        t.rows.push(row(vec![
            a.id.to_string(),
            a.label.get(lang).to_owned(),
            a.roles
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ]));
    }
    out.push(Section {
        title: l(lang, "Acties", "Actions").to_owned(),
        intro: Some(
            l(
                lang,
                "Het palet is een suggestie voor de facilitator; elke rol in het spel kan elke actie nemen.",
                "The palette is a suggestion for the facilitator; any role in play can take any action.",
            )
            .to_owned(),
        ),
        table: t,
    });
    out
}

fn mentions_signal(c: &Cond, id: &str) -> bool {
    match c {
        Cond::Signal(s) => s.as_str() == id,
        Cond::All(cs) | Cond::Any(cs) => cs.iter().any(|c| mentions_signal(c, id)),
        Cond::Not(c) => mentions_signal(c, id),
        _ => false,
    }
}

const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:80rem;margin:2rem auto;padding:0 1rem;color:#1d232a;line-height:1.45}\
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;border-bottom:2px solid #154273;padding-bottom:.2rem;margin-top:2rem;color:#154273}\
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0}th,td{border:1px solid #c8ccd0;padding:.25rem .4rem;text-align:left;vertical-align:top}\
th{background:#eef2f6}.small{color:#555;font-size:.85rem}nav a{margin-right:.8rem}\
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}nav{display:none}}";

fn html(title: &str, subtitle: &str, note: &str, sections: &[Section], lang: Lang) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>{CSS}</style></head><body>\n",
        l(lang, "nl", "en"),
        esc(title)
    );
    let _ = writeln!(
        h,
        "<h1>{}</h1><p class=\"small\">{} · Paraat</p><p>{}</p>",
        esc(title),
        esc(subtitle),
        esc(note)
    );
    h.push_str("<nav>");
    for (i, s) in sections.iter().enumerate() {
        let _ = write!(h, "<a href=\"#s{}\">{}</a>", i + 1, esc(&s.title));
    }
    h.push_str("</nav>\n");
    for (i, s) in sections.iter().enumerate() {
        let _ = write!(h, "<h2 id=\"s{}\">{}</h2>", i + 1, esc(&s.title));
        if let Some(p) = &s.intro {
            let _ = write!(h, "<p class=\"small\">{}</p>", esc(p));
        }
        super::html::table(&mut h, &s.table);
    }
    h.push_str("</body></html>\n");
    h
}

fn markdown(title: &str, subtitle: &str, note: &str, sections: &[Section]) -> String {
    let mut m = String::new();
    let _ = writeln!(
        m,
        "# {}\n\n_{} · Paraat_\n\n{}",
        cell(title),
        cell(subtitle),
        cell(note)
    );
    for s in sections {
        let _ = writeln!(m, "\n## {}\n", cell(&s.title));
        if let Some(p) = &s.intro {
            let _ = writeln!(m, "{}\n", cell(p));
        }
        let _ = writeln!(
            m,
            "| {} |\n|{}",
            s.table.headers.join(" | "),
            "---|".repeat(s.table.headers.len())
        );
        for r in &s.table.rows {
            let cells: Vec<String> = r.cells.iter().map(|c| cell(c)).collect();
            let _ = writeln!(m, "| {} |", cells.join(" | "));
        }
    }
    m
}
