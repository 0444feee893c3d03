//! The after-action report (AAR/IP) and the plain-text scorecard.

pub mod aar;
pub mod aar_doc;
pub mod doc;
pub mod handbook;
pub mod html;
pub mod markdown;
pub mod pdf;
pub mod plan;

pub use aar::Aar;
pub use pdf::PdfError;
pub use plan::{PlanFormat, render_plan};

/// The report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One self-contained, printable HTML file.
    Html,
    /// Markdown.
    Markdown,
    /// Decisions and procedure results, for spreadsheets.
    Csv,
    /// Everything, with a schema version.
    Json,
    /// A4 PDF: tagged (PDF/UA-1), fonts embedded, headings as the outline.
    Pdf,
}

impl Format {
    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "md",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Pdf => "pdf",
        }
    }
}

/// Renders a report in a format, as the bytes of the file (the text formats in UTF-8).
pub fn render(a: &Aar, format: Format) -> Result<Vec<u8>, PdfError> {
    Ok(match format {
        Format::Html => html::render(a).into_bytes(),
        Format::Markdown => markdown::render(a).into_bytes(),
        Format::Csv => a.to_csv().into_bytes(),
        Format::Json => a.to_json().into_bytes(),
        Format::Pdf => pdf::render(&aar_doc::aar_doc(a))?,
    })
}

/// Writes a rendered report (or any export) to `out` atomically, refusing to replace one of its
/// `inputs` (the journal, the scenario) or any other journal, scenario or plan file.
pub fn write_file(
    out: &std::path::Path,
    inputs: &[&std::path::Path],
    bytes: impl AsRef<[u8]>,
) -> std::io::Result<()> {
    crate::files::refuse_overwrite(out, inputs, &[])?;
    crate::files::write_atomic(out, bytes.as_ref())
}

use std::fmt::Write as _;

use crate::engine::fmt_elapsed;
use crate::i18n::tr;
use crate::library::Exercise;
use crate::model::Lang;
use crate::scoring::Scorecard;

fn rating_str(r: Option<crate::engine::Rating>) -> String {
    r.map_or_else(|| "—".to_owned(), |r| format!("{r:?}"))
}

/// The scorecard as plain text: per objective, per role, per procedure with its status, time
/// taken against time allowed, and why.
pub fn scorecard_text(card: &Scorecard, ex: &Exercise, lang: Lang) -> String {
    let mut s = String::new();
    let plan = &ex.plan.value;
    let _ = writeln!(
        s,
        "{} — {}: {}\n",
        ex.scenario.value.title.get(lang),
        tr(lang, "totaal", "total"),
        card.total.summary(lang)
    );
    let _ = writeln!(s, "{}", tr(lang, "Doelstellingen", "Objectives"));
    for o in &card.objectives {
        let _ = writeln!(
            s,
            "  {:<5} {:>6}  {}{}",
            rating_str(o.rating()),
            o.tally.percent(),
            o.title.get(lang),
            o.overridden
                .as_ref()
                .map_or_else(String::new, |(r, why, _)| format!(
                    " [{} {r:?}: {why}]",
                    tr(lang, "oordeel waarnemer", "observer's rating")
                ))
        );
    }
    let _ = writeln!(s, "\n{}", tr(lang, "Rollen", "Roles"));
    for (role, t) in &card.roles {
        let name = plan
            .role(role.as_str())
            .map_or(role.as_str(), |r| r.name.get(lang));
        let lat = card.latency.iter().find(|l| l.role == *role);
        let _ = writeln!(
            s,
            "  {:<40} {}{}",
            name,
            t.summary(lang),
            lat.map_or_else(String::new, |l| format!(
                "  {} {}, {} {}, {} {}",
                l.decided,
                tr(lang, "besluiten", "decisions"),
                l.expired,
                tr(lang, "verlopen", "expired"),
                tr(lang, "mediaan", "median"),
                l.median_secs.map_or_else(|| "—".into(), fmt_elapsed)
            ))
        );
    }
    let _ = writeln!(s, "\n{}", tr(lang, "Procedures", "Procedures"));
    for p in card
        .procedures
        .iter()
        .filter(|p| p.status.scored() || !p.violations.is_empty())
    {
        let took = match (p.triggered_at, p.done_at) {
            (Some(t0), Some(d)) => format!("{} min", d.saturating_sub(t0) / 60),
            _ => "—".to_owned(),
        };
        let allowed = p
            .allowed_secs
            .map_or_else(|| "—".to_owned(), |a| format!("{} min", a / 60));
        let _ = writeln!(
            s,
            "  {} — {} · {} / {} · {:.1}/{} · {}",
            p.title.get(lang),
            p.status.label(lang),
            took,
            allowed,
            p.net(),
            p.weight,
            crate::describe::why(p, &ex.plan.value, &ex.scenario.value, lang)
        );
    }
    let open: Vec<String> = card
        .procedures
        .iter()
        .filter(|p| p.status == crate::scoring::Status::Open)
        .map(|p| p.title.get(lang).to_owned())
        .collect();
    if !open.is_empty() {
        let _ = writeln!(
            s,
            "\n{}: {}",
            tr(
                lang,
                "Loopt nog (telt nog niet mee)",
                "Still open (not counted yet)"
            ),
            open.join(", ")
        );
    }
    let not_scored: Vec<String> = card
        .procedures
        .iter()
        .filter(|p| {
            !p.status.scored()
                && p.status != crate::scoring::Status::Open
                && p.violations.is_empty()
        })
        .map(|p| p.id.to_string())
        .collect();
    let _ = writeln!(
        s,
        "\n{}: {}",
        tr(lang, "Niet gescoord", "Not scored"),
        if not_scored.is_empty() {
            "—".to_owned()
        } else {
            not_scored.join(", ")
        }
    );
    s
}
