//! The AAR as one self-contained, printable HTML file: inline CSS and an inline SVG timeline,
//! nothing loaded from elsewhere, every text escaped.

use std::fmt::Write as _;

use super::aar::{Aar, Table};
use crate::engine::fmt_elapsed;
use crate::i18n::tr as l;
use crate::scoring::Status;

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let s = crate::text::report_safe(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d232a;line-height:1.45}\
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;border-bottom:2px solid #154273;padding-bottom:.2rem;margin-top:2rem;color:#154273}\
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}th,td{border:1px solid #c8ccd0;padding:.25rem .4rem;text-align:left;vertical-align:top}\
th{background:#eef2f6}.P{background:#d8efd8}.S{background:#eef6cf}.M{background:#fbe6c8}.U{background:#f6d0d0}\
.meta td:first-child{font-weight:600;width:14rem}.small{color:#555;font-size:.85rem}svg{width:100%;height:auto;border:1px solid #c8ccd0}\
.not-verified{border:4px solid #b00020;background:#fde7ea;color:#b00020;font-weight:700;font-size:1.2rem;padding:.6rem .8rem;margin:1rem 0}\
@media print{body{margin:0;max-width:none}h2{break-after:avoid}table{break-inside:auto}tr{break-inside:avoid}}";

/// A table with every cell escaped; a marked cell gets its rating's colour.
pub(crate) fn table(h: &mut String, t: &Table) {
    h.push_str("<table><tr>");
    for head in &t.headers {
        let _ = write!(h, "<th>{}</th>", esc(head));
    }
    h.push_str("</tr>");
    for r in &t.rows {
        h.push_str("<tr>");
        for (i, c) in r.cells.iter().enumerate() {
            match r.mark {
                Some((col, class)) if col == i && !class.is_empty() => {
                    let _ = write!(h, "<td class=\"{class}\">{}</td>", esc(c));
                }
                _ => {
                    let _ = write!(h, "<td>{}</td>", esc(c));
                }
            }
        }
        h.push_str("</tr>");
    }
    h.push_str("</table>\n");
}

/// The heading over the attachments of the released injects, under the timeline.
pub(crate) fn attachments_heading(lang: crate::model::Lang) -> &'static str {
    l(
        lang,
        "Bijlagen bij de vrijgegeven injects",
        "Attachments of the released injects",
    )
}

/// Renders the report as HTML.
pub fn render(a: &Aar) -> String {
    let lang = a.lang;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{} — {}</title><style>{CSS}{}</style></head><body>\n",
        l(lang, "nl", "en"),
        esc(l(lang, "Evaluatierapport", "After-action report")),
        esc(&a.banner.as_ref().map_or_else(
            || a.title.clone(),
            |_| format!(
                "{} — {}",
                l(lang, "NIET GEVERIFIEERD", "NOT VERIFIED"),
                a.title
            )
        )),
        super::doc::ATTACHMENT_CSS
    );
    let _ = writeln!(
        h,
        "<h1>{}</h1><p class=\"small\">{} · Paraat</p>",
        esc(&a.title),
        esc(l(
            lang,
            "Evaluatierapport en verbeterplan (AAR/IP)",
            "After-action report and improvement plan (AAR/IP)"
        ))
    );
    if let Some(b) = &a.banner {
        let _ = writeln!(
            h,
            "<div class=\"not-verified\" role=\"alert\">{}</div>",
            esc(b)
        );
    }
    // 1. Overview.
    let _ = write!(
        h,
        "<h2>1. {}</h2><table class=\"meta\">",
        l(lang, "Overzicht van de oefening", "Exercise overview")
    );
    let rows = a.overview();
    for (k, v) in rows {
        let _ = write!(h, "<tr><td>{}</td><td>{}</td></tr>", esc(k), esc(&v));
    }
    h.push_str("</table>\n");
    // 2. Timeline.
    let _ = write!(h, "<h2>2. {}</h2>", l(lang, "Tijdlijn", "Timeline"));
    h.push_str(&svg_timeline(a));
    let [timeline, objectives, plan, procedures, decisions] = a.tables();
    table(&mut h, &timeline);
    if !a.attachments.is_empty() {
        let _ = write!(h, "<h3>{}</h3>", esc(attachments_heading(lang)));
        for att in &a.attachments {
            super::doc::attachment_html(&mut h, att, lang);
        }
    }
    // 3. Objectives.
    let _ = write!(
        h,
        "<h2>3. {}</h2><p class=\"small\">{}</p>",
        l(lang, "Doelstellingen", "Objectives"),
        esc(l(
            lang,
            "P ≥ 90 %, S ≥ 70 %, M ≥ 40 %, anders U; een waarnemer kan het oordeel met redenen aanpassen.",
            "P ≥ 90 %, S ≥ 70 %, M ≥ 40 %, else U; an observer may override a rating with a reason."
        ))
    );
    table(&mut h, &objectives);
    // 4. Strengths and areas for improvement.
    for (title, list) in [
        (l(lang, "4. Sterke punten", "4. Strengths"), &a.strengths),
        (
            l(lang, "5. Verbeterpunten", "5. Areas for improvement"),
            &a.improvements,
        ),
    ] {
        let _ = write!(h, "<h2>{}</h2><ul>", esc(title));
        if list.is_empty() {
            let _ = write!(h, "<li>—</li>");
        }
        for f in list {
            let _ = write!(h, "<li><b>{}</b>: {}</li>", esc(&f.role), esc(&f.text));
        }
        h.push_str("</ul>\n");
    }
    // 6.–8. Improvement plan, procedures, decision log.
    for (title, t) in [
        (l(lang, "6. Verbeterplan", "6. Improvement plan"), &plan),
        (l(lang, "7. Procedures", "7. Procedures"), &procedures),
        (l(lang, "8. Besluitenlog", "8. Decision log"), &decisions),
    ] {
        let _ = write!(h, "<h2>{}</h2>", esc(title));
        table(&mut h, t);
    }
    // 9. Observations.
    let _ = write!(
        h,
        "<h2>9. {}</h2><ul>",
        l(lang, "Waarnemingen", "Observations")
    );
    if a.observations.is_empty() {
        h.push_str("<li>—</li>");
    }
    for o in &a.observations {
        let _ = write!(
            h,
            "<li>{} {}{}: {}</li>",
            fmt_elapsed(o.t),
            esc(o.role.as_deref().unwrap_or("")),
            o.rating.map_or_else(String::new, |r| format!(" [{r:?}]")),
            esc(&o.text)
        );
    }
    h.push_str("</ul>\n</body></html>\n");
    h
}

/// An SVG timeline: injects and decisions as marks on a time axis, and each scored procedure
/// as a window from its trigger to its deadline, with a mark where it was met.
#[allow(clippy::many_single_char_names)] // x/y/w/s are the drawing's coordinates and buffer.
fn svg_timeline(a: &Aar) -> String {
    let end = (u64::from(a.duration_min) * 60).max(1);
    let procs: Vec<_> = a
        .scorecard
        .procedures
        .iter()
        .filter(|p| p.status.scored())
        .collect();
    let (w, left) = (1000.0_f64, 150.0_f64);
    let x = |t: u64| left + (w - left - 10.0) * (t.min(end) as f64 / end as f64);
    let row = 16.0;
    let height = 50.0 + row * (procs.len() as f64 + 2.0);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {height}\" role=\"img\" aria-label=\"{}\">",
        esc(l(
            a.lang,
            "Tijdlijn van injects, besluiten en procedures",
            "Timeline of injects, decisions and procedures"
        ))
    );
    s.push_str("<style>text{font:10px sans-serif;fill:#1d232a}</style>");
    // Axis with a tick every 30 minutes.
    let axis_y = 20.0;
    let _ = write!(
        s,
        "<line x1=\"{left}\" y1=\"{axis_y}\" x2=\"{}\" y2=\"{axis_y}\" stroke=\"#555\"/>",
        w - 10.0
    );
    let mut t = 0;
    while t <= end {
        let _ = write!(
            s,
            "<line x1=\"{0:.1}\" y1=\"{1}\" x2=\"{0:.1}\" y2=\"{2}\" stroke=\"#ddd\"/><text x=\"{0:.1}\" y=\"12\" text-anchor=\"middle\">{3}</text>",
            x(t),
            axis_y,
            height - 4.0,
            fmt_elapsed(t).trim_end_matches(":00")
        );
        t += 1800;
    }
    let y_inj = axis_y + row;
    let y_dec = axis_y + 2.0 * row;
    let _ = write!(
        s,
        "<text x=\"4\" y=\"{}\">{}</text><text x=\"4\" y=\"{}\">{}</text>",
        y_inj + 4.0,
        esc(l(a.lang, "Injects", "Injects")),
        y_dec + 4.0,
        esc(l(a.lang, "Besluiten", "Decisions"))
    );
    for item in &a.timeline {
        match item.kind {
            "inject" | "adhoc" => {
                let _ = write!(
                    s,
                    "<circle cx=\"{:.1}\" cy=\"{y_inj}\" r=\"3\" fill=\"#154273\"><title>{} {}</title></circle>",
                    x(item.t),
                    fmt_elapsed(item.t),
                    esc(&item.text)
                );
            }
            "decision" | "expired" => {
                let colour = if item.kind == "decision" {
                    "#39870c"
                } else {
                    "#d52b1e"
                };
                let (cx, cy) = (x(item.t), y_dec);
                let _ = write!(
                    s,
                    "<path d=\"M{cx:.1} {:.1} L{:.1} {cy} L{cx:.1} {:.1} L{:.1} {cy} Z\" fill=\"{colour}\"><title>{} {}</title></path>",
                    cy - 4.0,
                    cx + 4.0,
                    cy + 4.0,
                    cx - 4.0,
                    fmt_elapsed(item.t),
                    esc(&item.text)
                );
            }
            _ => {}
        }
    }
    for (i, p) in procs.iter().enumerate() {
        let y = axis_y + row * (i as f64 + 3.0);
        let Some(t0) = p.triggered_at else { continue };
        // A window ends at its deadline, never after the exercise's end.
        let deadline = p.allowed_secs.map_or(end, |a| (t0 + a).min(end));
        let colour = match p.status {
            Status::InTime => "#39870c",
            Status::Late | Status::OtherRole | Status::Partly => "#e17000",
            _ => "#d52b1e",
        };
        // The procedure by its title (shortened; the whole title on hover), not its id.
        let title = p.title.get(a.lang);
        let short: String = if title.chars().count() > 34 {
            title.chars().take(33).chain(std::iter::once('…')).collect()
        } else {
            title.to_owned()
        };
        let _ = write!(
            s,
            "<text x=\"4\" y=\"{}\"><title>{}</title>{}</text>",
            y + 4.0,
            esc(title),
            esc(&short)
        );
        let _ = write!(
            s,
            "<rect x=\"{:.1}\" y=\"{}\" width=\"{:.1}\" height=\"8\" fill=\"{colour}\" fill-opacity=\"0.3\" stroke=\"{colour}\"><title>{}</title></rect>",
            x(t0),
            y - 4.0,
            (x(deadline) - x(t0)).max(1.0),
            esc(a.why_of(p))
        );
        if let Some(d) = p.done_at {
            let _ = write!(
                s,
                "<line x1=\"{0:.1}\" y1=\"{1}\" x2=\"{0:.1}\" y2=\"{2}\" stroke=\"{colour}\" stroke-width=\"3\"/>",
                x(d),
                y - 6.0,
                y + 6.0
            );
        }
    }
    s.push_str("</svg>");
    s
}
