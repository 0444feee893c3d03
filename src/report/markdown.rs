//! The AAR as Markdown: the same content as the HTML report, readable as plain text.

use std::fmt::Write as _;

use super::aar::Aar;
use crate::engine::fmt_elapsed;
use crate::i18n::tr as l;

/// Makes text safe inside a Markdown table cell: pipes escaped, line breaks folded.
fn cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ")
}

/// Renders the report as Markdown.
pub fn render(a: &Aar) -> String {
    let lang = a.lang;
    let mut m = String::new();
    let _ = writeln!(
        m,
        "# {}\n\n_{}_\n",
        a.title,
        l(
            lang,
            "Evaluatierapport en verbeterplan (AAR/IP) — Paraat",
            "After-action report and improvement plan (AAR/IP) — Paraat"
        )
    );
    let _ = writeln!(
        m,
        "## 1. {}\n",
        l(lang, "Overzicht van de oefening", "Exercise overview")
    );
    let _ = writeln!(m, "| | |\n|---|---|");
    for (k, v) in a.overview() {
        let _ = writeln!(m, "| {} | {} |", cell(k), cell(&v));
    }
    let _ = writeln!(
        m,
        "\n## 2. {}\n\n| {} | {} | {} | {} |\n|---|---|---|---|",
        l(lang, "Tijdlijn", "Timeline"),
        l(lang, "Tijd", "Time"),
        l(lang, "Soort", "Kind"),
        l(lang, "Rol", "Role"),
        l(lang, "Wat", "What")
    );
    for t in &a.timeline {
        let _ = writeln!(
            m,
            "| {} | {} | {} | {} |",
            fmt_elapsed(t.t),
            t.kind_label(lang),
            cell(t.role.as_deref().unwrap_or("")),
            cell(&t.text)
        );
    }
    let _ = writeln!(
        m,
        "\n## 3. {}\n\n| {} | {} | {} | {} |\n|---|---|---|---|",
        l(lang, "Doelstellingen", "Objectives"),
        l(lang, "Doel", "Objective"),
        l(lang, "Score", "Score"),
        l(lang, "Oordeel", "Rating"),
        l(lang, "Toelichting", "Note")
    );
    for o in &a.scorecard.objectives {
        let r = o
            .rating()
            .map_or_else(|| "—".to_owned(), |r| format!("{r:?}"));
        let note = o
            .overridden
            .as_ref()
            .map_or_else(String::new, |(rt, why, _)| {
                format!(
                    "{} {rt:?}: {why}",
                    l(lang, "Oordeel waarnemer", "Observer's rating")
                )
            });
        let _ = writeln!(
            m,
            "| {} — {} | {} | {} | {} |",
            o.id,
            cell(o.title.get(lang)),
            o.tally.percent(),
            r,
            cell(&note)
        );
    }
    for (title, list) in [
        (l(lang, "4. Sterke punten", "4. Strengths"), &a.strengths),
        (
            l(lang, "5. Verbeterpunten", "5. Areas for improvement"),
            &a.improvements,
        ),
    ] {
        let _ = writeln!(m, "\n## {title}\n");
        if list.is_empty() {
            let _ = writeln!(m, "- —");
        }
        for f in list {
            let _ = writeln!(m, "- **{}**: {}", cell(&f.role), cell(&f.text));
        }
    }
    let _ = writeln!(
        m,
        "\n## 6. {}\n\n| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
        l(lang, "Verbeterplan", "Improvement plan"),
        l(lang, "Punt", "Issue"),
        l(lang, "Verantwoordelijke rol", "Responsible role"),
        l(lang, "Verbeteractie", "Corrective action"),
        l(lang, "Eigenaar", "Owner"),
        l(lang, "Gereed op", "Due date")
    );
    for i in &a.plan {
        let _ = writeln!(
            m,
            "| {} | {} | {} | {} | {} |",
            cell(&i.issue),
            cell(&i.role),
            cell(&i.corrective_action),
            cell(&i.owner),
            cell(&i.due)
        );
    }
    let _ = writeln!(
        m,
        "\n## 7. {}\n\n| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
        l(lang, "Procedures", "Procedures"),
        l(lang, "Procedure", "Procedure"),
        l(lang, "Rol", "Role"),
        l(lang, "Status", "Status"),
        l(lang, "Punten", "Points"),
        l(lang, "Waarom", "Why")
    );
    for p in a
        .scorecard
        .procedures
        .iter()
        .filter(|p| p.status.scored() || !p.violations.is_empty())
    {
        let _ = writeln!(
            m,
            "| {} — {} | {} | {} | {:.1} / {} | {} |",
            p.id,
            cell(p.title.get(lang)),
            p.role,
            p.status.label(lang),
            p.net(),
            p.weight,
            cell(p.why.get(lang))
        );
    }
    let _ = writeln!(
        m,
        "\n## 8. {}\n\n| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
        l(lang, "Besluitenlog", "Decision log"),
        l(lang, "Tijd", "Time"),
        l(lang, "Rol", "Role"),
        l(lang, "Vraag", "Question"),
        l(lang, "Besluit", "Decision"),
        l(lang, "Motivering", "Rationale")
    );
    for d in &a.decisions {
        let _ = writeln!(
            m,
            "| {} | {} | {} | {}{} | {} |",
            fmt_elapsed(d.t),
            cell(&d.role),
            cell(&d.prompt),
            cell(&d.label),
            if d.expired {
                l(lang, " (termijn verlopen)", " (deadline passed)")
            } else {
                ""
            },
            cell(&d.rationale)
        );
    }
    let _ = writeln!(m, "\n## 9. {}\n", l(lang, "Waarnemingen", "Observations"));
    if a.observations.is_empty() {
        let _ = writeln!(m, "- —");
    }
    for o in &a.observations {
        let _ = writeln!(
            m,
            "- {} {}{}: {}",
            fmt_elapsed(o.t),
            cell(o.role.as_deref().unwrap_or("")),
            o.rating.map_or_else(String::new, |r| format!(" [{r:?}]")),
            cell(&o.text)
        );
    }
    m
}
