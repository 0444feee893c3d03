//! The after-action report (AAR/IP) and the plain-text scorecard.

pub mod aar;
pub mod html;
pub mod markdown;
pub mod plan;

pub use aar::Aar;
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
}

impl Format {
    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "md",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }
}

/// Renders a report in a format.
pub fn render(a: &Aar, format: Format) -> String {
    match format {
        Format::Html => html::render(a),
        Format::Markdown => markdown::render(a),
        Format::Csv => a.to_csv(),
        Format::Json => a.to_json(),
    }
}

/// Writes `contents` to `path` atomically: a temporary file in the same folder, synced, then
/// renamed over the target, so a crash never leaves a half-written file.
pub fn write_atomic(path: &std::path::Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
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
        "{} — {}: {} ({:.1} / {:.1})\n",
        ex.scenario.value.title.get(lang),
        tr(lang, "totaal", "total"),
        card.total.percent(),
        card.total.earned,
        card.total.possible
    );
    let _ = writeln!(s, "{}", tr(lang, "Doelstellingen", "Objectives"));
    for o in &card.objectives {
        let _ = writeln!(
            s,
            "  {:<6} {:<5} {:>6}  {}{}",
            o.id,
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
            "  {:<40} {:>6}  ({:.1}/{:.1}){}",
            name,
            t.percent(),
            t.earned,
            t.possible,
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
            "  {:<24} {:<16} {:>7} / {:<7} {:>5.1}/{:<3}  {}",
            p.id,
            p.status.label(lang),
            took,
            allowed,
            p.net(),
            p.weight,
            p.why.get(lang)
        );
    }
    let open: Vec<String> = card
        .procedures
        .iter()
        .filter(|p| p.status == crate::scoring::Status::Open)
        .map(|p| p.id.to_string())
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
