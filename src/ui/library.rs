//! The library screen (scenario cards, unfinished exercises, opening files) and exercise setup.

use std::collections::BTreeSet;
use std::path::Path;

use super::{Screen, Setup, Unfinished};
use crate::i18n::tr;
use crate::journal::Session;
use crate::library::{Exercise, Library};
use crate::model::Lang;

/// Procedures an exercise is built to test: those its objectives name.
pub fn procedures_exercised(ex: &Exercise) -> Vec<String> {
    let mut set = BTreeSet::new();
    for o in &ex.scenario.value.objectives {
        for p in &o.procedures {
            set.insert(p.to_string());
        }
    }
    set.into_iter().collect()
}

/// Resumes (or reopens for review) a journal, finding its scenario in the library.
pub fn open_journal(lib: &Library, path: &Path) -> Result<Screen, String> {
    let find =
        |h: &crate::journal::Header| crate::library::exercise_for_journal(h, Some(path), Some(lib));
    let (session, read) =
        Session::resume(path, find).map_err(|e| format!("{}: {e}", path.display()))?;
    let changed = session.exercise.source_hash() != session.header.source_hash;
    let mut view = super::ExerciseView::new(session);
    if changed {
        view.notice = Some(
            "Let op / Note: the scenario or plan has changed since this exercise started; it still replays, and play continues with the current text."
                .to_owned(),
        );
    }
    if let Some((line, _)) = read.torn {
        view.notice = Some(format!(
            "line {line}: torn last line cut (the program stopped while writing it)"
        ));
    }
    Ok(Screen::Exercise(Box::new(view)))
}

pub(super) fn library_ui(
    ui: &mut egui::Ui,
    lib: &Library,
    unfinished: &[Unfinished],
    lang: Lang,
    status: &mut Option<(String, bool)>,
    journals_dir: &Path,
    start_speed: u32,
) -> Option<Screen> {
    let mut next = None;
    egui::Panel::top("library-top").show(ui, |ui| {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.heading("Paraat");
            ui.label(tr(
                lang,
                "— oefenen met het Landelijk Crisisplan Extreem Geweld en Terrorisme",
                "— exercising the National Crisis Plan for Extreme Violence and Terrorism",
            ));
        });
        ui.horizontal(|ui| {
            if ui
                .button(tr(lang, "Scenario openen…", "Open scenario…"))
                .clicked()
                && let Some(path) = rfd::FileDialog::new()
                    .add_filter("RON", &["ron"])
                    .pick_file()
            {
                {
                    match crate::library::load_exercise(&path) {
                        Ok(ex) => next = Some(setup_for(ex, start_speed)),
                        Err(errs) => {
                            *status = Some((
                                errs.iter()
                                    .map(ToString::to_string)
                                    .collect::<Vec<_>>()
                                    .join("\n"),
                                true,
                            ));
                        }
                    }
                }
            }
            if let Some(plan) = lib.plans.first() {
                if ui
                    .button(tr(
                        lang,
                        "Nieuw scenario (sjabloon)",
                        "New scenario (template)",
                    ))
                    .clicked()
                {
                    next = Some(Screen::Editor(Box::new(super::editor::EditorView::new(
                        super::editor::TEMPLATE.to_owned(),
                        None,
                        std::sync::Arc::clone(plan),
                    ))));
                }
                if ui
                    .button(tr(lang, "Scenario bewerken…", "Edit scenario…"))
                    .clicked()
                    && let Some(path) = rfd::FileDialog::new()
                        .add_filter("RON", &["ron"])
                        .pick_file()
                {
                    match super::editor::EditorView::open(&path, std::sync::Arc::clone(plan)) {
                        Ok(e) => next = Some(Screen::Editor(Box::new(e))),
                        Err(e) => *status = Some((e, true)),
                    }
                }
            }
            if ui
                .button(tr(lang, "Logboek openen…", "Open journal…"))
                .clicked()
                && let Some(path) = rfd::FileDialog::new()
                    .set_directory(journals_dir)
                    .add_filter("Paraat journal", &["jsonl"])
                    .pick_file()
            {
                // Finished or damaged journals open for review; unfinished ones resume.
                // One in use by another program opens for review too.
                let resumable = crate::journal::read_file(&path)
                    .is_ok_and(|r| !r.finished() && r.broken.is_none())
                    && crate::journal::in_use(&path).is_none();
                let opened = if resumable {
                    open_journal(lib, &path)
                } else {
                    super::review::ReviewView::open(lib, &path).map(|v| Screen::Review(Box::new(v)))
                };
                match opened {
                    Ok(s) => next = Some(s),
                    Err(e) => *status = Some((e, true)),
                }
            }
        });
        ui.add_space(4.0);
    });
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical().id_salt("library-scroll").show(ui, |ui| {
            if !unfinished.is_empty() {
                ui.heading(tr(lang, "Onafgeronde oefeningen", "Unfinished exercises"));
                ui.label(tr(
                    lang,
                    "Deze oefeningen zijn niet afgesloten (bijvoorbeeld na een crash). Hervat waar ze stonden:",
                    "These exercises were not ended (for example after a crash). Resume where they stood:",
                ));
                for u in unfinished {
                    ui.horizontal(|ui| {
                        let title = lib.find(&u.scenario_id).map_or(u.scenario_id.as_str(), |e| e.scenario.value.title.get(lang));
                        ui.label(format!("{title} — {} — {} {}", u.wall_start, u.entries, tr(lang, "regels", "entries")));
                        if let Some(holder) = &u.in_use {
                            ui.label(format!("{} {holder}", tr(lang, "in gebruik door", "in use by")));
                        } else if ui.button(tr(lang, "Hervatten", "Resume")).clicked() {
                            match open_journal(lib, &u.path) {
                                Ok(s) => next = Some(s),
                                Err(e) => *status = Some((e, true)),
                            }
                        }
                        if ui.button(tr(lang, "Bekijken", "Review")).clicked() {
                            match super::review::ReviewView::open(lib, &u.path) {
                                Ok(v) => next = Some(Screen::Review(Box::new(v))),
                                Err(e) => *status = Some((e, true)),
                            }
                        }
                    });
                }
                ui.separator();
            }
            ui.heading(tr(lang, "Scenariobibliotheek", "Scenario library"));
            if lib.errors() > 0 {
                egui::CollapsingHeader::new(format!(
                    "{} {}",
                    lib.errors(),
                    tr(lang, "fouten in scenariobestanden", "errors in scenario files")
                ))
                .show(ui, |ui| {
                    for d in lib.diagnostics.iter().filter(|d| d.is_error()) {
                        ui.monospace(d.to_string());
                    }
                });
            }
            for ex in &lib.exercises {
                match scenario_card_ui(ui, ex, lang) {
                    CardAction::Setup => next = Some(setup_for(ex.clone(), start_speed)),
                    CardAction::Edit => match super::editor::EditorView::open(&ex.scenario.path, std::sync::Arc::clone(&ex.plan)) {
                        Ok(e) => next = Some(Screen::Editor(Box::new(e))),
                        Err(e) => *status = Some((e, true)),
                    },
                    CardAction::None => {}
                }
            }
        });
    });
    next
}

pub(super) fn setup_for(ex: Exercise, speed: u32) -> Screen {
    let present = ex
        .scenario
        .value
        .roles
        .iter()
        .map(|r| (r.clone(), true))
        .collect();
    Screen::Setup(Box::new(Setup {
        exercise: ex,
        present,
        seed: crate::cli::random_seed(),
        speed,
    }))
}

enum CardAction {
    None,
    Setup,
    Edit,
}

/// One scenario card.
fn scenario_card_ui(ui: &mut egui::Ui, ex: &Exercise, lang: Lang) -> CardAction {
    let s = &ex.scenario.value;
    let plan = &ex.plan.value;
    let mut chosen = CardAction::None;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            ui.label(egui::RichText::new(s.title.get(lang)).heading());
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .button(tr(lang, "Voorbereiden ▶", "Set up ▶"))
                    .on_hover_text(s.id.as_str())
                    .clicked()
                {
                    chosen = CardAction::Setup;
                }
                if ui.button(tr(lang, "Bewerken", "Edit")).clicked() {
                    chosen = CardAction::Edit;
                }
            });
        });
        ui.label(s.summary.get(lang));
        ui.horizontal_wrapped(|ui| {
            ui.strong(tr(lang, "Duur:", "Duration:"));
            ui.label(format!("{} min", s.duration_min));
            ui.strong(tr(lang, "Injects:", "Injects:"));
            ui.label(s.injects.len().to_string());
            ui.strong(tr(lang, "Besluiten:", "Decisions:"));
            ui.label(s.decisions().count().to_string());
        });
        ui.horizontal_wrapped(|ui| {
            ui.strong(tr(lang, "Rollen:", "Roles:"));
            let names: Vec<&str> = s
                .roles
                .iter()
                .map(|r| {
                    plan.role(r.as_str())
                        .map_or(r.as_str(), |x| x.name.get(lang))
                })
                .collect();
            ui.label(names.join(", "));
        });
        ui.horizontal_wrapped(|ui| {
            ui.strong(tr(lang, "Procedures:", "Procedures:"));
            ui.label(procedures_exercised(ex).join(", "));
        });
    });
    ui.add_space(6.0);
    chosen
}

pub(super) fn setup_ui(
    ui: &mut egui::Ui,
    setup: &mut Setup,
    lang: Lang,
    journals_dir: &Path,
    status: &mut Option<(String, bool)>,
) -> Option<Screen> {
    let mut next = None;
    let plan = setup.exercise.plan.value.clone();
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical().id_salt("setup-scroll").show(ui, |ui| {
            if ui.button(tr(lang, "◀ Terug naar de bibliotheek", "◀ Back to the library")).clicked() {
                next = Some(Screen::Library);
            }
            ui.heading(setup.exercise.scenario.value.title.get(lang));
            ui.label(setup.exercise.scenario.value.summary.get(lang));
            ui.separator();
            ui.strong(tr(lang, "Aanwezige rollen", "Roles present"));
            ui.label(tr(
                lang,
                "Rollen die niet aan tafel zitten worden niet gescoord; de facilitator kan hun besluiten spelen.",
                "Roles not at the table are not scored; the facilitator can play their decisions.",
            ));
            ui.horizontal(|ui| {
                if ui.button(tr(lang, "Alle", "All")).clicked() {
                    setup.present.iter_mut().for_each(|p| p.1 = true);
                }
                if ui.button(tr(lang, "Geen", "None")).clicked() {
                    setup.present.iter_mut().for_each(|p| p.1 = false);
                }
            });
            egui::Grid::new("roles-present").num_columns(2).show(ui, |ui| {
                for (i, (role, on)) in setup.present.iter_mut().enumerate() {
                    let name = plan.role(role.as_str()).map_or(role.as_str(), |r| r.name.get(lang));
                    ui.checkbox(on, name);
                    if i % 2 == 1 {
                        ui.end_row();
                    }
                }
            });
            ui.separator();
            ui.horizontal(|ui| {
                let label = ui.label(tr(lang, "Seed (toeval):", "Seed (chance):"));
                ui.add(egui::DragValue::new(&mut setup.seed).range(0..=u64::MAX)).labelled_by(label.id);
                if ui.button(tr(lang, "Nieuwe seed", "New seed")).clicked() {
                    setup.seed = crate::cli::random_seed();
                }
            });
            ui.horizontal(|ui| {
                ui.label(tr(lang, "Beginsnelheid:", "Starting speed:"));
                for s in crate::engine::SPEEDS {
                    if ui.selectable_label(setup.speed == s, format!("×{s}")).clicked() {
                        setup.speed = s;
                    }
                }
            });
            ui.separator();
            let any = setup.present.iter().any(|p| p.1);
            if ui
                .add_enabled(any, egui::Button::new(egui::RichText::new(tr(lang, "Oefening openen", "Open exercise")).heading()))
                .clicked()
            {
                match super::start_exercise(setup, journals_dir) {
                    Ok(view) => next = Some(Screen::Exercise(Box::new(view))),
                    Err(e) => *status = Some((e, true)),
                }
            }
        });
    });
    next
}
