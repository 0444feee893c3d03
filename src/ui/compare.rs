//! The compare view: journals picked in the library, side by side — each team's total over
//! time, per procedure the time to action and the share met, per objective the ratings, per
//! role the decision latency — with the same comparison written as HTML, Markdown or JSON.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use egui_plot::{BoxElem, BoxPlot, BoxSpread, Line, Plot, PlotPoints, Points};

use super::{AppCommand, Notice};
use crate::compare::{self, Comparison, Format, team_label};
use crate::engine::fmt_elapsed;
use crate::i18n::tr;
use crate::library::Library;
use crate::model::Lang;

/// Journals picked in the library for comparing.
#[derive(Debug, Clone, Default)]
pub struct ComparePick {
    /// The journals.
    pub paths: BTreeSet<PathBuf>,
    /// Compare each scenario version on its own instead of refusing a mix.
    pub group_by_scenario: bool,
}

/// The compare screen.
pub struct CompareView {
    /// The comparison.
    pub comparison: Comparison,
    /// The journals compared.
    pub paths: Vec<PathBuf>,
    /// Their scenario files (never written over).
    scenarios: Vec<PathBuf>,
    /// Files written from here.
    pub written: Vec<PathBuf>,
}

impl CompareView {
    /// Verifies and compares journals (see [`crate::compare`]); the error says which journal
    /// and why.
    pub fn open(lib: &Library, paths: &[PathBuf], group_by_scenario: bool) -> Result<Self, String> {
        let trusted = crate::journal::seal::installation_fingerprint();
        let loaded = compare::load(
            paths,
            |h, p| crate::library::exercise_for_journal(h, Some(p), Some(lib)),
            trusted.as_deref(),
        )
        .map_err(|e| e.to_string())?;
        let comparison = compare::compare(&loaded, group_by_scenario).map_err(|e| e.to_string())?;
        Ok(Self {
            comparison,
            paths: paths.to_vec(),
            scenarios: loaded
                .iter()
                .map(|l| l.exercise.scenario.path.clone())
                .collect(),
            written: Vec::new(),
        })
    }

    /// Writes the comparison into `dir` as `compare-<time>.<ext>` (never over a journal or a
    /// scenario).
    pub fn write(&mut self, dir: &Path, format: Format, lang: Lang) -> Notice {
        #[allow(clippy::disallowed_methods)] // The front end names files by the wall clock.
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        let path = dir.join(format!("compare-{stamp}.{}", format.extension()));
        let mut inputs: Vec<&Path> = self.paths.iter().map(PathBuf::as_path).collect();
        inputs.extend(self.scenarios.iter().map(PathBuf::as_path));
        match crate::report::write_file(
            &path,
            &inputs,
            compare::render(&self.comparison, format, lang),
        ) {
            Ok(()) => {
                self.written.push(path.clone());
                Notice::info(format!(
                    "{} {}",
                    tr(lang, "Geschreven:", "Written:"),
                    path.display()
                ))
            }
            Err(e) => Notice::error(format!("{}: {e}", path.display())),
        }
    }
}

/// One colour per team, for its line and its points alike.
const TEAM_COLOURS: [egui::Color32; 6] = [
    egui::Color32::from_rgb(80, 140, 220),
    egui::Color32::from_rgb(225, 112, 0),
    egui::Color32::from_rgb(57, 160, 12),
    egui::Color32::from_rgb(200, 60, 140),
    egui::Color32::from_rgb(140, 140, 140),
    egui::Color32::from_rgb(150, 200, 230),
];

/// The distribution of time to action, one horizontal box per procedure (first to third
/// quartile, whiskers to the fastest and slowest journal, the median inside), in minutes; the
/// procedure's name on hover.
fn time_to_action_ui(ui: &mut egui::Ui, g: &compare::Group, gi: usize, lang: Lang) {
    let minutes = |s: Option<u64>| s.map_or(0.0, |s| s as f64 / 60.0);
    let n = g.procedures.len();
    let boxes: Vec<BoxElem> = g
        .procedures
        .iter()
        .enumerate()
        .filter(|(_, p)| p.time_to_action.median.is_some())
        .map(|(i, p)| {
            let t = &p.time_to_action;
            BoxElem::new(
                (n - i) as f64,
                BoxSpread::new(
                    minutes(t.min),
                    minutes(t.q1),
                    minutes(t.median),
                    minutes(t.q3),
                    minutes(t.max),
                ),
            )
            .name(p.title.get(lang))
            .box_width(0.6)
        })
        .collect();
    // Room right of the slowest journal for the labels, which sit beside the boxes (as on the
    // review's timeline).
    let slowest = g
        .procedures
        .iter()
        .filter_map(|p| p.time_to_action.max)
        .max()
        .map_or(60.0, |s| s as f64 / 60.0);
    let labels: Vec<(f64, f64, String)> = g
        .procedures
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let t = p.title.get(lang);
            let short = if t.chars().count() > 48 {
                format!("{}…", t.chars().take(47).collect::<String>())
            } else {
                t.to_owned()
            };
            Some((
                minutes(Some(p.time_to_action.max?)) + 0.5,
                (n - i) as f64,
                short,
            ))
        })
        .collect();
    Plot::new(("compare-time-to-action", gi))
        .height((n as f32 * 18.0).clamp(120.0, 720.0))
        .show_axes([true, false])
        .include_x(0.0)
        .include_x(slowest * 1.6)
        .include_y(0.5)
        .include_y(n as f64 + 0.5)
        .x_axis_label(tr(
            lang,
            "minuten van aanleiding tot actie",
            "minutes from trigger to action",
        ))
        .allow_scroll(false)
        .show(ui, |p| {
            p.box_plot(
                BoxPlot::new(tr(lang, "Tijd tot actie", "Time to action"), boxes)
                    .horizontal()
                    .color(TEAM_COLOURS[0]),
            );
            for (x, y, text) in labels {
                p.text(
                    // An empty name keeps the labels out of the legend.
                    egui_plot::Text::new("", egui_plot::PlotPoint::new(x, y), text)
                        .anchor(egui::Align2::LEFT_CENTER),
                );
            }
        });
}

fn pct(share: Option<f64>) -> String {
    share.map_or_else(|| "—".to_owned(), |s| format!("{:.0} %", s * 100.0))
}

fn mins(v: Option<u64>) -> String {
    v.map_or_else(|| "—".to_owned(), fmt_elapsed)
}

/// Draws the compare screen.
pub fn compare_screen_ui(
    ui: &mut egui::Ui,
    cv: &CompareView,
    lang: Lang,
    out: &mut Vec<AppCommand>,
) {
    egui::Panel::top("compare-top").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            if ui.button(tr(lang, "◀ Bibliotheek", "◀ Library")).clicked() {
                out.push(AppCommand::Library);
            }
            ui.separator();
            ui.strong(format!(
                "{} — {} {}",
                tr(lang, "Vergelijking", "Comparison"),
                cv.paths.len(),
                tr(
                    lang,
                    "logboeken, alle geverifieerd",
                    "journals, all verified"
                )
            ));
            ui.separator();
            for (format, name) in [
                (Format::Html, "HTML"),
                (Format::Markdown, "Markdown"),
                (Format::Json, "JSON"),
            ] {
                if ui
                    .button(format!("{} {name}", tr(lang, "Opslaan als", "Save as")))
                    .clicked()
                {
                    out.push(AppCommand::WriteComparison(format));
                }
            }
        });
        for w in &cv.written {
            ui.horizontal_wrapped(|ui| {
                ui.monospace(w.display().to_string());
                if ui.button(tr(lang, "Openen", "Open")).clicked() {
                    out.push(AppCommand::Open(w.clone()));
                }
            });
        }
    });
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("compare")
            .show(ui, |ui| {
                for (gi, g) in cv.comparison.groups.iter().enumerate() {
                    ui.heading(g.title.get(lang));
                    ui.weak(format!(
                        "{} · {} {}… · {} {}",
                        g.scenario_id,
                        tr(lang, "versie", "version"),
                        g.source_hash.get(..12).unwrap_or(&g.source_hash),
                        g.journals.len(),
                        tr(lang, "logboeken", "journals")
                    ));
                    egui::Grid::new(("compare-journals", gi))
                        .striped(true)
                        .show(ui, |ui| {
                            for h in [
                                ("Datum", "Date"),
                                ("Team", "Team"),
                                ("Totaal", "Total"),
                                ("Integriteit", "Integrity"),
                                ("Bestand", "File"),
                            ] {
                                ui.strong(tr(lang, h.0, h.1));
                            }
                            ui.end_row();
                            for j in &g.journals {
                                ui.label(compare::date(&j.wall_start));
                                ui.label(team_label(j.team.as_deref(), lang));
                                ui.label(j.total.summary(lang));
                                ui.label(&j.verdict);
                                ui.label(&j.file);
                                ui.end_row();
                            }
                        });
                    ui.add_space(6.0);
                    ui.strong(tr(lang, "Trend per team", "Trend per team"));
                    let mut dates: Vec<&str> = g
                        .trend
                        .iter()
                        .flat_map(|t| t.points.iter().map(|p| p.0.as_str()))
                        .collect();
                    dates.sort_unstable();
                    dates.dedup();
                    let x = |d: &str| dates.iter().position(|x| *x == d).unwrap_or(0) as f64 + 1.0;
                    Plot::new(("compare-trend", gi))
                        .height(200.0)
                        // Room above 100 % for the legend, and half a step beside the first
                        // and last journal, so that no point hides under it or at an edge.
                        .include_y(0.0)
                        .include_y(130.0)
                        .include_x(0.5)
                        .include_x(dates.len() as f64 + 0.5)
                        .legend(egui_plot::Legend::default())
                        .x_axis_label(tr(
                            lang,
                            "logboeken in datumvolgorde",
                            "journals in date order",
                        ))
                        .x_axis_formatter({
                            let days: Vec<String> = dates
                                .iter()
                                .map(|d| compare::date(d).chars().take(10).collect())
                                .collect();
                            move |m, _| {
                                let i = m.value.round();
                                if (m.value - i).abs() > 1e-6 || i < 1.0 {
                                    return String::new();
                                }
                                days.get(i as usize - 1).cloned().unwrap_or_default()
                            }
                        })
                        .y_axis_label("%")
                        .show(ui, |p| {
                            for (k, t) in g.trend.iter().enumerate() {
                                let name = team_label(t.team.as_deref(), lang);
                                let colour = TEAM_COLOURS[k % TEAM_COLOURS.len()];
                                let pts: Vec<[f64; 2]> =
                                    t.points.iter().map(|(d, v)| [x(d), v * 100.0]).collect();
                                p.line(
                                    Line::new(name.clone(), PlotPoints::from(pts.clone()))
                                        .width(2.0)
                                        .color(colour),
                                );
                                p.points(
                                    Points::new(name, PlotPoints::from(pts))
                                        .radius(4.0)
                                        .color(colour),
                                );
                            }
                        });
                    ui.add_space(6.0);
                    ui.strong(tr(
                        lang,
                        "Procedures: tijd tot actie en aandeel gehaald",
                        "Procedures: time to action and share met",
                    ));
                    time_to_action_ui(ui, g, gi, lang);
                    egui::Grid::new(("compare-procs", gi))
                        .striped(true)
                        .show(ui, |ui| {
                            for h in [
                                ("Procedure", "Procedure"),
                                ("Gehaald", "Met"),
                                ("Toegestaan", "Allowed"),
                                ("Min", "Min"),
                                ("Mediaan", "Median"),
                                ("Max", "Max"),
                            ] {
                                ui.strong(tr(lang, h.0, h.1));
                            }
                            ui.end_row();
                            for p in &g.procedures {
                                ui.label(p.title.get(lang));
                                ui.add(
                                    egui::ProgressBar::new(p.share_met.unwrap_or(0.0) as f32)
                                        .desired_width(120.0)
                                        .text(format!(
                                            "{} ({}/{})",
                                            pct(p.share_met),
                                            p.met,
                                            p.scored
                                        )),
                                );
                                ui.label(mins(p.allowed_secs));
                                ui.label(mins(p.time_to_action.min));
                                ui.label(mins(p.time_to_action.median));
                                ui.label(mins(p.time_to_action.max));
                                ui.end_row();
                            }
                        });
                    ui.add_space(6.0);
                    ui.strong(tr(
                        lang,
                        "Doelstellingen: beoordelingen",
                        "Objectives: ratings",
                    ));
                    egui::Grid::new(("compare-objectives", gi))
                        .striped(true)
                        .show(ui, |ui| {
                            ui.strong(tr(lang, "Doelstelling", "Objective"));
                            for h in ["P", "S", "M", "U", "—"] {
                                ui.strong(h);
                            }
                            ui.end_row();
                            for o in &g.objectives {
                                ui.label(o.title.get(lang));
                                for n in o.ratings.iter().chain([&o.unrated]) {
                                    ui.label(n.to_string());
                                }
                                ui.end_row();
                            }
                        });
                    ui.add_space(6.0);
                    ui.strong(tr(
                        lang,
                        "Besluitlatentie per rol",
                        "Decision latency per role",
                    ));
                    egui::Grid::new(("compare-latency", gi))
                        .striped(true)
                        .show(ui, |ui| {
                            for h in [
                                ("Rol", "Role"),
                                ("Genomen", "Taken"),
                                ("Verlopen", "Expired"),
                                ("Mediaan", "Median"),
                                ("Max", "Max"),
                            ] {
                                ui.strong(tr(lang, h.0, h.1));
                            }
                            ui.end_row();
                            for r in &g.latency {
                                ui.label(r.name.get(lang));
                                ui.label(r.decided.to_string());
                                ui.label(r.expired.to_string());
                                ui.label(mins(r.latency.median));
                                ui.label(mins(r.latency.max));
                                ui.end_row();
                            }
                        });
                    ui.separator();
                }
            });
    });
}
