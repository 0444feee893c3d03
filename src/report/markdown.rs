//! The AAR as Markdown: the same content as the HTML report, readable as plain text.

use std::fmt::Write as _;

use super::aar::{Aar, Table};
use crate::engine::fmt_elapsed;
use crate::i18n::tr as l;

/// Makes text from a scenario or a journal inert in Markdown, in a table cell, a list item or a
/// heading: line breaks folded (no new block can start), raw HTML and the characters of
/// emphasis, code, links, headings, tables and entities backslash-escaped, bidirectional
/// controls shown as codes.
pub(crate) fn cell(s: &str) -> String {
    let s = crate::text::report_safe(s);
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        // An underscore inside a word (`copi_leider`) cannot start or end emphasis.
        let in_word = |k: Option<usize>| {
            k.and_then(|k| chars.get(k))
                .is_some_and(|c| c.is_alphanumeric())
        };
        match c {
            '\r' | '\n' => out.push(' '),
            '_' if in_word(i.checked_sub(1)) && in_word(Some(i + 1)) => out.push(c),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A section with a table: heading, header row, rows with every cell made safe.
fn table(m: &mut String, heading: &str, t: &Table) {
    let _ = writeln!(
        m,
        "\n## {heading}\n\n| {} |\n|{}",
        t.headers.join(" | "),
        "---|".repeat(t.headers.len())
    );
    for r in &t.rows {
        let cells: Vec<String> = r.cells.iter().map(|c| cell(c)).collect();
        let _ = writeln!(m, "| {} |", cells.join(" | "));
    }
}

/// Renders the report as Markdown.
pub fn render(a: &Aar) -> String {
    let lang = a.lang;
    let mut m = String::new();
    let _ = writeln!(
        m,
        "# {}\n\n_{}_\n",
        cell(&a.title),
        l(
            lang,
            "Evaluatierapport en verbeterplan (AAR/IP) — Paraat",
            "After-action report and improvement plan (AAR/IP) — Paraat"
        )
    );
    if let Some(b) = &a.banner {
        let _ = writeln!(m, "> **{}**\n", cell(b));
    }
    let _ = writeln!(
        m,
        "## 1. {}\n",
        l(lang, "Overzicht van de oefening", "Exercise overview")
    );
    let _ = writeln!(m, "| | |\n|---|---|");
    for (k, v) in a.overview() {
        let _ = writeln!(m, "| {} | {} |", cell(k), cell(&v));
    }
    let [timeline, objectives, plan, procedures, decisions] = a.tables();
    table(
        &mut m,
        &format!("2. {}", l(lang, "Tijdlijn", "Timeline")),
        &timeline,
    );
    if !a.attachments.is_empty() {
        let _ = writeln!(m, "\n### {}\n", super::html::attachments_heading(lang));
        for att in &a.attachments {
            super::doc::attachment_markdown(&mut m, att, lang);
        }
    }
    table(
        &mut m,
        &format!("3. {}", l(lang, "Doelstellingen", "Objectives")),
        &objectives,
    );
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
    table(
        &mut m,
        &format!("6. {}", l(lang, "Verbeterplan", "Improvement plan")),
        &plan,
    );
    table(
        &mut m,
        &format!("7. {}", l(lang, "Procedures", "Procedures")),
        &procedures,
    );
    table(
        &mut m,
        &format!("8. {}", l(lang, "Besluitenlog", "Decision log")),
        &decisions,
    );
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
