//! The after-action report as a [`Doc`], for the PDF: the same sections, tables and timeline
//! chart as the HTML report (`html.rs`), the chart drawn as vector shapes.

use super::aar::{Aar, Table};
use super::doc::{Block, Doc, Figure, Item, Rgb, Shape};
use crate::engine::fmt_elapsed;
use crate::i18n::tr as l;
use crate::scoring::Status;

const GREEN: Rgb = Rgb(0x39, 0x87, 0x0c);
const ORANGE: Rgb = Rgb(0xe1, 0x70, 0x00);
const RED: Rgb = Rgb(0xd5, 0x2b, 0x1e);
const BLUE: Rgb = Rgb(0x15, 0x42, 0x73);
const AXIS: Rgb = Rgb(0x55, 0x55, 0x55);
const GRID: Rgb = Rgb(0xdd, 0xdd, 0xdd);

/// The report as a document (sections numbered as in the HTML report).
pub fn aar_doc(a: &Aar) -> Doc {
    let lang = a.lang;
    let mut b = Vec::new();
    b.push(Block::Heading(1, a.title.clone()));
    b.push(Block::Note(
        l(
            lang,
            "Evaluatierapport en verbeterplan (AAR/IP) · Paraat",
            "After-action report and improvement plan (AAR/IP) · Paraat",
        )
        .to_owned(),
    ));
    if let Some(banner) = &a.banner {
        b.push(Block::Banner(banner.clone()));
    }
    b.push(Block::Heading(
        2,
        format!(
            "1. {}",
            l(lang, "Overzicht van de oefening", "Exercise overview")
        ),
    ));
    b.push(Block::Table {
        table: Table {
            headers: Vec::new(),
            rows: a
                .overview()
                .into_iter()
                .map(|(k, v)| super::aar::Row {
                    cells: vec![k.to_owned(), v],
                    mark: None,
                })
                .collect(),
        },
        widths: vec![1.0, 3.0],
    });
    let [timeline, objectives, plan, procedures, decisions] = a.tables();
    b.push(Block::Heading(
        2,
        format!("2. {}", l(lang, "Tijdlijn", "Timeline")),
    ));
    b.push(Block::Figure(timeline_figure(a)));
    b.push(Block::Table {
        table: timeline,
        widths: vec![0.9, 1.2, 2.0, 5.0],
    });
    if !a.attachments.is_empty() {
        b.push(Block::Heading(
            3,
            super::html::attachments_heading(lang).to_owned(),
        ));
        b.extend(a.attachments.iter().cloned().map(Block::Attachment));
    }
    b.push(Block::Heading(
        2,
        format!("3. {}", l(lang, "Doelstellingen", "Objectives")),
    ));
    b.push(Block::Note(
        l(
            lang,
            "P ≥ 90 %, S ≥ 70 %, M ≥ 40 %, anders U; een waarnemer kan het oordeel met redenen aanpassen.",
            "P ≥ 90 %, S ≥ 70 %, M ≥ 40 %, else U; an observer may override a rating with a reason.",
        )
        .to_owned(),
    ));
    b.push(Block::Table {
        table: objectives,
        widths: vec![4.0, 1.0, 1.0, 3.0],
    });
    for (title, list) in [
        (l(lang, "4. Sterke punten", "4. Strengths"), &a.strengths),
        (
            l(lang, "5. Verbeterpunten", "5. Areas for improvement"),
            &a.improvements,
        ),
    ] {
        b.push(Block::Heading(2, title.to_owned()));
        b.push(Block::List(if list.is_empty() {
            vec![Item::plain("—")]
        } else {
            list.iter()
                .map(|f| Item {
                    lead: format!("{}:", f.role),
                    text: f.text.clone(),
                })
                .collect()
        }));
    }
    for (title, t, widths) in [
        (
            l(lang, "6. Verbeterplan", "6. Improvement plan"),
            plan,
            vec![2.5, 1.5, 4.0, 1.0, 1.0],
        ),
        (
            l(lang, "7. Procedures", "7. Procedures"),
            procedures,
            vec![2.5, 1.5, 1.2, 1.0, 4.0],
        ),
        (
            l(lang, "8. Besluitenlog", "8. Decision log"),
            decisions,
            vec![1.0, 1.4, 2.5, 2.0, 2.0, 2.5],
        ),
    ] {
        b.push(Block::Heading(2, title.to_owned()));
        b.push(Block::Table { table: t, widths });
    }
    b.push(Block::Heading(
        2,
        format!("9. {}", l(lang, "Waarnemingen", "Observations")),
    ));
    b.push(Block::List(if a.observations.is_empty() {
        vec![Item::plain("—")]
    } else {
        a.observations
            .iter()
            .map(|o| Item {
                lead: format!(
                    "{} {}{}:",
                    fmt_elapsed(o.t),
                    o.role.as_deref().unwrap_or(""),
                    o.rating.map_or_else(String::new, |r| format!(" [{r:?}]"))
                ),
                text: o.text.clone(),
            })
            .collect()
    }));
    let title = match &a.banner {
        Some(_) => format!(
            "{} — {} — {}",
            l(lang, "NIET GEVERIFIEERD", "NOT VERIFIED"),
            l(lang, "Evaluatierapport", "After-action report"),
            a.title
        ),
        None => format!(
            "{} — {}",
            l(lang, "Evaluatierapport", "After-action report"),
            a.title
        ),
    };
    Doc {
        title,
        lang,
        blocks: b,
    }
}

/// The timeline chart of the HTML report as shapes: injects and decisions as marks on a time
/// axis, and each scored procedure as a window from its trigger to its deadline, with a mark
/// where it was met.
#[allow(clippy::many_single_char_names)] // x/w/t are the drawing's coordinates, as in html.rs.
fn timeline_figure(a: &Aar) -> Figure {
    let end = (u64::from(a.duration_min) * 60).max(1);
    let procs: Vec<_> = a
        .scorecard
        .procedures
        .iter()
        .filter(|p| p.status.scored())
        .collect();
    let (w, left) = (1000.0_f32, 230.0_f32);
    let x = |t: u64| left + (w - left - 10.0) * (t.min(end) as f32 / end as f32);
    let row = 18.0;
    let height = 50.0 + row * (procs.len() as f32 + 2.0);
    let mut shapes = Vec::new();
    let axis_y = 22.0;
    shapes.push(Shape::Line {
        from: (left, axis_y),
        to: (w - 10.0, axis_y),
        color: AXIS,
        width: 1.0,
    });
    let mut t = 0;
    while t <= end {
        shapes.push(Shape::Line {
            from: (x(t), axis_y),
            to: (x(t), height - 4.0),
            color: GRID,
            width: 1.0,
        });
        shapes.push(Shape::Text {
            at: (x(t), 14.0),
            size: 12.0,
            text: fmt_elapsed(t).trim_end_matches(":00").to_owned(),
            centre: true,
        });
        t += 1800;
    }
    let y_inj = axis_y + row;
    let y_dec = axis_y + 2.0 * row;
    for (y, label) in [
        (y_inj, l(a.lang, "Injects", "Injects")),
        (y_dec, l(a.lang, "Besluiten", "Decisions")),
    ] {
        shapes.push(Shape::Text {
            at: (4.0, y + 4.0),
            size: 12.0,
            text: label.to_owned(),
            centre: false,
        });
    }
    let (mut injects, mut decided, mut expired) = (0, 0, 0);
    for item in &a.timeline {
        match item.kind {
            "inject" | "adhoc" => {
                injects += 1;
                shapes.push(Shape::Dot {
                    at: (x(item.t), y_inj),
                    r: 4.0,
                    color: BLUE,
                });
            }
            "decision" | "expired" => {
                let colour = if item.kind == "decision" {
                    decided += 1;
                    GREEN
                } else {
                    expired += 1;
                    RED
                };
                shapes.push(Shape::Diamond {
                    at: (x(item.t), y_dec),
                    r: 5.0,
                    color: colour,
                });
            }
            _ => {}
        }
    }
    let (mut in_time, mut late, mut missed) = (0, 0, 0);
    for (i, p) in procs.iter().enumerate() {
        let y = axis_y + row * (i as f32 + 3.0);
        let Some(t0) = p.triggered_at else { continue };
        let deadline = p.allowed_secs.map_or(end, |a| (t0 + a).min(end));
        let colour = match p.status {
            Status::InTime => {
                in_time += 1;
                GREEN
            }
            Status::Late | Status::OtherRole => {
                late += 1;
                ORANGE
            }
            _ => {
                missed += 1;
                RED
            }
        };
        let title = p.title.get(a.lang);
        let short: String = if title.chars().count() > 30 {
            title.chars().take(29).chain(std::iter::once('…')).collect()
        } else {
            title.to_owned()
        };
        shapes.push(Shape::Text {
            at: (4.0, y + 4.0),
            size: 11.0,
            text: short,
            centre: false,
        });
        shapes.push(Shape::Rect {
            x: x(t0),
            y: y - 5.0,
            w: (x(deadline) - x(t0)).max(1.5),
            h: 10.0,
            color: colour,
        });
        if let Some(d) = p.done_at {
            shapes.push(Shape::Line {
                from: (x(d), y - 7.0),
                to: (x(d), y + 7.0),
                color: colour,
                width: 3.0,
            });
        }
    }
    let alt = match a.lang {
        crate::model::Lang::Nl => format!(
            "Tijdlijn over {} minuten: {injects} injects, {decided} besluiten genomen en {expired} verlopen; van {} gescoorde procedures {in_time} op tijd, {late} te laat of door een andere rol, {missed} gemist. De tabel hieronder noemt elk moment.",
            a.duration_min,
            procs.len()
        ),
        crate::model::Lang::En => format!(
            "Timeline over {} minutes: {injects} injects, {decided} decisions taken and {expired} expired; of {} scored procedures {in_time} in time, {late} late or by another role, {missed} missed. The table below lists every moment.",
            a.duration_min,
            procs.len()
        ),
    };
    Figure {
        alt,
        width: w,
        height,
        shapes,
    }
}
