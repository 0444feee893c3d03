//! The comparison as HTML (one self-contained file, charts as inline SVG, every text escaped),
//! Markdown, or JSON (the same data).

// Chart geometry reads best in the usual short names: x, y, w, h.
#![allow(clippy::many_single_char_names)]

use std::fmt::Write as _;

use super::{Comparison, Group, Spread, team_label};
use crate::engine::fmt_elapsed;
use crate::i18n::tr as l;
use crate::model::Lang;
use crate::report::html::esc;
use crate::report::markdown::cell;

/// Output formats of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One self-contained HTML file with inline SVG charts.
    Html,
    /// Markdown tables.
    Markdown,
    /// JSON: the same data as the charts and tables.
    Json,
}

impl Format {
    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "md",
            Format::Json => "json",
        }
    }
}

/// Renders a comparison.
pub fn render(c: &Comparison, format: Format, lang: Lang) -> String {
    match format {
        Format::Html => html(c, lang),
        Format::Markdown => markdown(c, lang),
        Format::Json => serde_json::to_string_pretty(c).unwrap_or_default() + "\n",
    }
}

/// A wall-clock stamp as a date and time, in the offset it was written with (so a comparison
/// reads the same everywhere).
pub fn date(stamp: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(stamp).map_or_else(
        |_| stamp.to_owned(),
        |t| t.format("%Y-%m-%d %H:%M").to_string(),
    )
}

fn pct(share: Option<f64>) -> String {
    share.map_or_else(|| "—".to_owned(), |s| format!("{:.0} %", s * 100.0))
}

fn mins(v: Option<u64>) -> String {
    v.map_or_else(|| "—".to_owned(), fmt_elapsed)
}

const PALETTE: [&str; 8] = [
    "#154273", "#d1700e", "#39870c", "#a90061", "#007bc7", "#673327", "#5f5f5f", "#8fcae7",
];

const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#1d232a;line-height:1.45}\
h1{font-size:1.6rem}h2{font-size:1.25rem;border-bottom:2px solid #154273;padding-bottom:.2rem;margin-top:2rem;color:#154273}h3{font-size:1.05rem;margin-top:1.4rem}\
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}th,td{border:1px solid #c8ccd0;padding:.25rem .4rem;text-align:left;vertical-align:top}\
th{background:#eef2f6}.small{color:#555;font-size:.85rem}svg{width:100%;height:auto;border:1px solid #c8ccd0;margin:.4rem 0}\
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}";

/// Shortens a label for a chart row (the whole text is in the row's tooltip and the table).
fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// Horizontal box plots, one row per item: whiskers from min to max, a box from the first to
/// the third quartile, the median as a bar, every value as a dot, and an optional marker (the
/// time allowed).
fn boxplots(rows: &[(String, &Spread, Option<u64>)], label: &str, lang: Lang) -> String {
    let (w, left, right, row_h, top) = (900.0, 300.0, 20.0, 26.0, 30.0);
    let max = rows
        .iter()
        .flat_map(|(_, s, m)| s.max.into_iter().chain(*m))
        .max()
        .unwrap_or(60)
        .max(60) as f64;
    // Axis in whole minutes, rounded up to a multiple of 5.
    let max_min = ((max / 60.0) / 5.0).ceil().max(1.0) * 5.0;
    let scale = (w - left - right) / (max_min * 60.0);
    let x = |secs: f64| left + secs * scale;
    let h = top + row_h * rows.len() as f64 + 10.0;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\">",
        esc(label)
    );
    let steps = 5;
    for k in 0..=steps {
        let m = max_min * f64::from(k) / f64::from(steps);
        let xx = x(m * 60.0);
        let _ = write!(
            s,
            "<line x1=\"{xx:.1}\" y1=\"{}\" x2=\"{xx:.1}\" y2=\"{h}\" stroke=\"#e2e5e8\"/><text x=\"{xx:.1}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">{m:.0} min</text>",
            top - 8.0,
            top - 12.0
        );
    }
    for (i, (name, sp, marker)) in rows.iter().enumerate() {
        let y = top + row_h * i as f64;
        let mid = y + row_h / 2.0;
        let _ = write!(
            s,
            "<g><title>{}</title><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\">{}</text>",
            esc(name),
            left - 6.0,
            mid + 4.0,
            esc(&short(name, 44))
        );
        if let Some(m) = marker {
            let xm = x(*m as f64);
            let _ = write!(
                s,
                "<line x1=\"{xm:.1}\" y1=\"{:.1}\" x2=\"{xm:.1}\" y2=\"{:.1}\" stroke=\"#b00020\" stroke-dasharray=\"3 2\"><title>{}</title></line>",
                y + 2.0,
                y + row_h - 2.0,
                esc(&format!(
                    "{} {}",
                    l(lang, "toegestaan:", "allowed:"),
                    fmt_elapsed(*m)
                ))
            );
        }
        if let (Some(lo), Some(q1), Some(md), Some(q3), Some(hi)) =
            (sp.min, sp.q1, sp.median, sp.q3, sp.max)
        {
            let _ = write!(
                s,
                "<line x1=\"{:.1}\" y1=\"{mid:.1}\" x2=\"{:.1}\" y2=\"{mid:.1}\" stroke=\"#555\"/>\
<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#cfe0f0\" stroke=\"#154273\"/>\
<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#154273\" stroke-width=\"3\"/>",
                x(lo as f64),
                x(hi as f64),
                x(q1 as f64),
                y + 6.0,
                (x(q3 as f64) - x(q1 as f64)).max(1.0),
                row_h - 12.0,
                x(md as f64),
                y + 4.0,
                x(md as f64),
                y + row_h - 4.0
            );
            for v in &sp.values {
                let _ = write!(
                    s,
                    "<circle cx=\"{:.1}\" cy=\"{mid:.1}\" r=\"2.5\" fill=\"#d1700e\"/>",
                    x(*v as f64)
                );
            }
        } else {
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#777\">{}</text>",
                left + 4.0,
                mid + 4.0,
                esc(l(lang, "nooit gedaan", "never done"))
            );
        }
        s.push_str("</g>");
    }
    s.push_str("</svg>\n");
    s
}

/// Stacked bars of P/S/M/U counts (and unrated), one row per objective.
fn rating_bars(g: &Group, lang: Lang) -> String {
    let (w, left, right, row_h, top) = (900.0, 300.0, 20.0, 26.0, 10.0);
    let n = g.journals.len().max(1) as f64;
    let h = top + row_h * g.objectives.len() as f64 + 30.0;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\">",
        esc(l(
            lang,
            "Beoordelingen per doelstelling",
            "Ratings per objective"
        ))
    );
    let colours = ["#5aa05a", "#b5c93c", "#e49b3a", "#c8414b", "#bbbbbb"];
    let names = ["P", "S", "M", "U", "—"];
    for (i, o) in g.objectives.iter().enumerate() {
        let y = top + row_h * i as f64;
        let title = o.title.get(lang);
        let _ = write!(
            s,
            "<g><title>{}</title><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\">{}</text>",
            esc(title),
            left - 6.0,
            y + row_h / 2.0 + 4.0,
            esc(&short(title, 44))
        );
        let mut x = left;
        for (k, count) in o.ratings.iter().copied().chain([o.unrated]).enumerate() {
            if count == 0 {
                continue;
            }
            let width = (w - left - right) * count as f64 / n;
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{width:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{}: {count}</title></rect><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{} {count}</text>",
                y + 4.0,
                row_h - 8.0,
                colours[k],
                names[k],
                x + width / 2.0,
                y + row_h / 2.0 + 4.0,
                names[k]
            );
            x += width;
        }
        s.push_str("</g>");
    }
    s.push_str("</svg>\n");
    s
}

/// Each team's total over the dates it played: one line per team, a legend, a dot per journal.
fn trend_chart(g: &Group, lang: Lang) -> String {
    let (w, left, right, top, plot_h) = (900.0, 50.0, 20.0, 20.0, 220.0);
    let mut dates: Vec<&str> = g
        .trend
        .iter()
        .flat_map(|t| t.points.iter().map(|p| p.0.as_str()))
        .collect();
    dates.sort_unstable();
    dates.dedup();
    let legend_h = 20.0 * g.trend.len() as f64;
    let h = top + plot_h + 40.0 + legend_h;
    let x = |d: &str| {
        let i = dates.iter().position(|x| *x == d).unwrap_or(0) as f64;
        let n = (dates.len().max(2) - 1) as f64;
        left + 10.0 + (w - left - right - 20.0) * if dates.len() < 2 { 0.5 } else { i / n }
    };
    let y = |share: f64| top + plot_h * (1.0 - share.clamp(0.0, 1.0));
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\">",
        esc(l(
            lang,
            "Totaal per team over de tijd",
            "Total per team over time"
        ))
    );
    for k in 0..=4 {
        let share = f64::from(k) / 4.0;
        let yy = y(share);
        let _ = write!(
            s,
            "<line x1=\"{left}\" y1=\"{yy:.1}\" x2=\"{:.1}\" y2=\"{yy:.1}\" stroke=\"#e2e5e8\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">{:.0} %</text>",
            w - right,
            left - 4.0,
            yy + 4.0,
            share * 100.0
        );
    }
    // Days as labels, with the time when one day has several journals.
    let days: Vec<String> = dates
        .iter()
        .map(|d| date(d).chars().take(10).collect())
        .collect();
    let same_day = days.windows(2).any(|w| w[0] == w[1]);
    for d in &dates {
        let label = if same_day {
            date(d)
        } else {
            date(d).chars().take(10).collect()
        };
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#555\">{}</text>",
            x(d),
            top + plot_h + 14.0,
            esc(&label)
        );
    }
    for (k, t) in g.trend.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let name = team_label(t.team.as_deref(), lang);
        let pts: Vec<String> = t
            .points
            .iter()
            .map(|(d, v)| format!("{:.1},{:.1}", x(d), y(*v)))
            .collect();
        let _ = write!(
            s,
            "<g><title>{}</title><polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>",
            esc(&name),
            pts.join(" ")
        );
        for (d, v) in &t.points {
            let _ = write!(
                s,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"{colour}\"><title>{}</title></circle>",
                x(d),
                y(*v),
                esc(&format!("{name} — {} — {:.0} %", date(d), v * 100.0))
            );
        }
        let ly = top + plot_h + 34.0 + 20.0 * k as f64;
        let _ = write!(
            s,
            "<rect x=\"{left}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{colour}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\">{}</text></g>",
            ly - 10.0,
            left + 18.0,
            ly,
            esc(&short(&name, 80))
        );
    }
    s.push_str("</svg>\n");
    s
}

fn html(c: &Comparison, lang: Lang) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>{CSS}</style></head><body>\n",
        l(lang, "nl", "en"),
        esc(l(
            lang,
            "Vergelijking van oefeningen",
            "Comparison of exercises"
        ))
    );
    let _ = writeln!(
        h,
        "<h1>{}</h1><p class=\"small\">Paraat · {}</p>",
        esc(l(
            lang,
            "Vergelijking van oefeningen",
            "Comparison of exercises"
        )),
        esc(l(
            lang,
            "Alle logboeken zijn geverifieerd (hashketen, zegel, naspelen).",
            "Every journal was verified (hash chain, seal, replay)."
        ))
    );
    for g in &c.groups {
        let _ = writeln!(
            h,
            "<h2>{}</h2><p class=\"small\">{} {} · {} {}… · {} {}</p>",
            esc(g.title.get(lang)),
            esc(l(lang, "scenario", "scenario")),
            esc(&g.scenario_id),
            esc(l(lang, "versie", "version")),
            esc(g.source_hash.get(..12).unwrap_or(&g.source_hash)),
            g.journals.len(),
            esc(l(lang, "logboeken", "journals"))
        );
        let _ = write!(
            h,
            "<h3>{}</h3><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            esc(l(lang, "Logboeken", "Journals")),
            esc(l(lang, "Datum", "Date")),
            esc(l(lang, "Team", "Team")),
            esc(l(lang, "Totaal", "Total")),
            esc(l(lang, "Integriteit", "Integrity")),
            esc(l(lang, "Bestand", "File"))
        );
        for j in &g.journals {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&date(&j.wall_start)),
                esc(&team_label(j.team.as_deref(), lang)),
                esc(&j.total.summary(lang)),
                esc(&j.verdict),
                esc(&j.file)
            );
        }
        h.push_str("</table>\n");
        let _ = writeln!(
            h,
            "<h3>{}</h3><p class=\"small\">{}</p>",
            esc(l(lang, "Trend per team", "Trend per team")),
            esc(l(
                lang,
                "Het totaal van elk logboek op de datum waarop het gespeeld is, per team.",
                "Each journal's total on the date it was played, per team."
            ))
        );
        h.push_str(&trend_chart(g, lang));
        let _ = writeln!(
            h,
            "<h3>{}</h3><p class=\"small\">{}</p>",
            esc(l(
                lang,
                "Procedures: tijd tot actie en aandeel gehaald",
                "Procedures: time to action and share met"
            )),
            esc(l(
                lang,
                "Doos: eerste tot derde kwartiel, streep: mediaan, punten: elk logboek, rode stippellijn: toegestane tijd. Gehaald: door de eigen rol op tijd.",
                "Box: first to third quartile, bar: median, dots: each journal, dashed red line: time allowed. Met: done in time by its own role."
            ))
        );
        let rows: Vec<(String, &Spread, Option<u64>)> = g
            .procedures
            .iter()
            .map(|p| {
                (
                    p.title.get(lang).to_owned(),
                    &p.time_to_action,
                    p.allowed_secs,
                )
            })
            .collect();
        h.push_str(&boxplots(
            &rows,
            l(
                lang,
                "Tijd tot actie per procedure",
                "Time to action per procedure",
            ),
            lang,
        ));
        let _ = write!(
            h,
            "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            esc(l(lang, "Procedure", "Procedure")),
            esc(l(lang, "Gehaald", "Met")),
            esc(l(lang, "Toegestaan", "Allowed")),
            esc(l(lang, "Min", "Min")),
            esc(l(lang, "Mediaan", "Median")),
            esc(l(lang, "Max", "Max")),
            esc(l(lang, "Gedaan", "Done"))
        );
        for p in &g.procedures {
            let t = &p.time_to_action;
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{} ({}/{})</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}/{}</td></tr>",
                esc(p.title.get(lang)),
                pct(p.share_met),
                p.met,
                p.scored,
                mins(p.allowed_secs),
                mins(t.min),
                mins(t.median),
                mins(t.max),
                t.values.len(),
                p.scored
            );
        }
        h.push_str("</table>\n");
        let _ = writeln!(
            h,
            "<h3>{}</h3>",
            esc(l(
                lang,
                "Doelstellingen: beoordelingen",
                "Objectives: ratings"
            ))
        );
        h.push_str(&rating_bars(g, lang));
        let _ = write!(
            h,
            "<table><tr><th>{}</th><th>P</th><th>S</th><th>M</th><th>U</th><th>—</th></tr>",
            esc(l(lang, "Doelstelling", "Objective"))
        );
        for o in &g.objectives {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(o.title.get(lang)),
                o.ratings[0],
                o.ratings[1],
                o.ratings[2],
                o.ratings[3],
                o.unrated
            );
        }
        h.push_str("</table>\n");
        let _ = writeln!(
            h,
            "<h3>{}</h3>",
            esc(l(
                lang,
                "Besluitlatentie per rol",
                "Decision latency per role"
            ))
        );
        let rows: Vec<(String, &Spread, Option<u64>)> = g
            .latency
            .iter()
            .map(|r| (r.name.get(lang).to_owned(), &r.latency, None))
            .collect();
        h.push_str(&boxplots(
            &rows,
            l(lang, "Besluitlatentie per rol", "Decision latency per role"),
            lang,
        ));
        let _ = write!(
            h,
            "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            esc(l(lang, "Rol", "Role")),
            esc(l(lang, "Genomen", "Taken")),
            esc(l(lang, "Verlopen", "Expired")),
            esc(l(lang, "Mediaan", "Median")),
            esc(l(lang, "Max", "Max"))
        );
        for r in &g.latency {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(r.name.get(lang)),
                r.decided,
                r.expired,
                mins(r.latency.median),
                mins(r.latency.max)
            );
        }
        h.push_str("</table>\n");
    }
    h.push_str("</body></html>\n");
    h
}

fn markdown(c: &Comparison, lang: Lang) -> String {
    let mut m = String::new();
    let _ = writeln!(
        m,
        "# {}\n\n{}",
        l(
            lang,
            "Vergelijking van oefeningen",
            "Comparison of exercises"
        ),
        l(
            lang,
            "Alle logboeken zijn geverifieerd (hashketen, zegel, naspelen).",
            "Every journal was verified (hash chain, seal, replay)."
        )
    );
    for g in &c.groups {
        let _ = writeln!(
            m,
            "\n## {}\n\n{} `{}` · {} `{}` · {} {}",
            cell(g.title.get(lang)),
            l(lang, "scenario", "scenario"),
            cell(&g.scenario_id),
            l(lang, "versie", "version"),
            g.source_hash.get(..12).unwrap_or(&g.source_hash),
            g.journals.len(),
            l(lang, "logboeken", "journals")
        );
        let _ = writeln!(
            m,
            "\n### {}\n\n| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
            l(lang, "Logboeken", "Journals"),
            l(lang, "Datum", "Date"),
            l(lang, "Team", "Team"),
            l(lang, "Totaal", "Total"),
            l(lang, "Integriteit", "Integrity"),
            l(lang, "Bestand", "File")
        );
        for j in &g.journals {
            let _ = writeln!(
                m,
                "| {} | {} | {} | {} | {} |",
                cell(&date(&j.wall_start)),
                cell(&team_label(j.team.as_deref(), lang)),
                cell(&j.total.summary(lang)),
                cell(&j.verdict),
                cell(&j.file)
            );
        }
        let _ = writeln!(
            m,
            "\n### {}\n\n| {} | {} |\n|---|---|",
            l(lang, "Trend per team", "Trend per team"),
            l(lang, "Team", "Team"),
            l(lang, "Totaal per datum", "Total by date")
        );
        for t in &g.trend {
            let pts: Vec<String> = t
                .points
                .iter()
                .map(|(d, v)| format!("{} {:.0} %", date(d), v * 100.0))
                .collect();
            let _ = writeln!(
                m,
                "| {} | {} |",
                cell(&team_label(t.team.as_deref(), lang)),
                cell(&pts.join(" → "))
            );
        }
        let _ = writeln!(
            m,
            "\n### {}\n\n| {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|",
            l(lang, "Procedures", "Procedures"),
            l(lang, "Procedure", "Procedure"),
            l(lang, "Gehaald", "Met"),
            l(lang, "Toegestaan", "Allowed"),
            l(lang, "Min", "Min"),
            l(lang, "Mediaan", "Median"),
            l(lang, "Max", "Max")
        );
        for p in &g.procedures {
            let t = &p.time_to_action;
            let _ = writeln!(
                m,
                "| {} | {} ({}/{}) | {} | {} | {} | {} |",
                cell(p.title.get(lang)),
                pct(p.share_met),
                p.met,
                p.scored,
                mins(p.allowed_secs),
                mins(t.min),
                mins(t.median),
                mins(t.max)
            );
        }
        let _ = writeln!(
            m,
            "\n### {}\n\n| {} | P | S | M | U | — |\n|---|---|---|---|---|---|",
            l(lang, "Doelstellingen", "Objectives"),
            l(lang, "Doelstelling", "Objective")
        );
        for o in &g.objectives {
            let _ = writeln!(
                m,
                "| {} | {} | {} | {} | {} | {} |",
                cell(o.title.get(lang)),
                o.ratings[0],
                o.ratings[1],
                o.ratings[2],
                o.ratings[3],
                o.unrated
            );
        }
        let _ = writeln!(
            m,
            "\n### {}\n\n| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
            l(lang, "Besluitlatentie per rol", "Decision latency per role"),
            l(lang, "Rol", "Role"),
            l(lang, "Genomen", "Taken"),
            l(lang, "Verlopen", "Expired"),
            l(lang, "Mediaan", "Median"),
            l(lang, "Max", "Max")
        );
        for r in &g.latency {
            let _ = writeln!(
                m,
                "| {} | {} | {} | {} | {} |",
                cell(r.name.get(lang)),
                r.decided,
                r.expired,
                mins(r.latency.median),
                mins(r.latency.max)
            );
        }
    }
    m
}
