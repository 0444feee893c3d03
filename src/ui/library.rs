//! The library screen (scenario cards, unfinished and finished exercises with their reports,
//! opening files) and exercise setup.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{AppCommand, ExerciseView, Notice, Screen, Setup};
use crate::i18n::tr;
use crate::journal::Session;
use crate::library::{Exercise, Library};
use crate::model::Lang;

/// A journal found in the journals folder.
#[derive(Debug, Clone)]
pub struct JournalInfo {
    /// The journal.
    pub path: PathBuf,
    /// Its scenario.
    pub scenario_id: String,
    /// When it was started (RFC 3339, as written).
    pub wall_start: String,
    /// Entries in it.
    pub entries: usize,
    /// Whether it reached its end.
    pub finished: bool,
    /// Reports written beside it.
    pub reports: Vec<PathBuf>,
    /// The program writing it now, if any: then it is offered for review only, never resumed.
    pub in_use: Option<String>,
    /// The team that played, as entered at setup.
    pub team: Option<String>,
}

/// Journals under `dir`, newest first.
pub fn scan_journals(dir: &Path) -> Vec<JournalInfo> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<JournalInfo> = rd
        .filter_map(Result::ok)
        // Only regular files: a FIFO or device named *.jsonl must not block the library.
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .filter_map(|p| {
            let r = crate::journal::read_file(&p).ok()?;
            if r.broken.is_some() {
                return None;
            }
            let reports = ["html", "md", "csv", "json"]
                .iter()
                .map(|ext| p.with_extension(ext))
                .filter(|r| r.is_file())
                .collect();
            Some(JournalInfo {
                scenario_id: r.header.scenario_id.clone(),
                wall_start: r.header.wall_start.clone(),
                entries: r.entries.len(),
                finished: r.finished(),
                reports,
                in_use: crate::journal::in_use(&p),
                team: r.header.team.clone(),
                path: p,
            })
        })
        .collect();
    out.sort_by(|a, b| b.wall_start.cmp(&a.wall_start));
    out
}

/// A wall-clock stamp (RFC 3339) in local time, as a person reads it.
pub fn local_time(stamp: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(stamp).map_or_else(
        |_| stamp.to_owned(),
        |t| {
            t.with_timezone(&chrono::Local)
                .format("%d-%m-%Y %H:%M")
                .to_string()
        },
    )
}

/// Procedures an exercise is built to test: those its objectives name, by title.
pub fn procedures_exercised(ex: &Exercise, lang: Lang) -> Vec<String> {
    let mut set = BTreeSet::new();
    for o in &ex.scenario.value.objectives {
        for p in &o.procedures {
            set.insert(p.to_string());
        }
    }
    set.into_iter()
        .map(|p| {
            ex.plan
                .value
                .procedure(&p)
                .map_or(p.clone(), |x| x.title.get(lang).to_owned())
        })
        .collect()
}

/// Resumes a journal, finding its scenario in the library; says what the facilitator should
/// know (a torn last line cut, a changed scenario).
pub fn open_journal(
    lib: &Library,
    path: &Path,
    lang: Lang,
) -> Result<(ExerciseView, Option<Notice>), String> {
    let find =
        |h: &crate::journal::Header| crate::library::exercise_for_journal(h, Some(path), Some(lib));
    let (session, read) = Session::resume(path, find).map_err(|e| {
        format!(
            "{}: {}",
            path.display(),
            crate::describe::session_error(&e, lang)
        )
    })?;
    let changed = session.exercise().source_hash() != session.header().source_hash;
    let mut notice = None;
    if changed {
        notice = Some(Notice::info(tr(
            lang,
            "Let op: het scenario of plan is gewijzigd sinds deze oefening begon; het logboek speelt nog na, en het spel gaat verder met de huidige tekst.",
            "Note: the scenario or plan has changed since this exercise started; it still replays, and play continues with the current text.",
        )));
    }
    if let Some((line, _)) = read.torn {
        notice = Some(Notice::info(format!(
            "{}:{line}:1: {}",
            path.display(),
            tr(
                lang,
                "half geschreven laatste regel weggeknipt (het programma stopte tijdens het schrijven)",
                "torn last line cut (the program stopped while writing it)"
            )
        )));
    }
    Ok((ExerciseView::new(session), notice))
}

/// Draws the library.
pub(super) fn library_ui(
    ui: &mut egui::Ui,
    lib: &Library,
    journals: &[JournalInfo],
    path_field: &mut String,
    pick: &mut super::compare::ComparePick,
    lang: Lang,
    out: &mut Vec<AppCommand>,
) {
    egui::Panel::top("library-top").show(ui, |ui| {
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            ui.heading("Paraat");
            ui.label(tr(
                lang,
                "— oefenen met het Landelijk Crisisplan Extreem Geweld en Terrorisme",
                "— exercising the National Crisis Plan for Extreme Violence and Terrorism",
            ));
        });
        ui.horizontal_wrapped(|ui| {
            if ui
                .button(tr(lang, "Scenario openen…", "Open scenario…"))
                .clicked()
            {
                out.push(AppCommand::PickScenario);
            }
            if ui
                .button(tr(
                    lang,
                    "Nieuw scenario (sjabloon)",
                    "New scenario (template)",
                ))
                .clicked()
            {
                out.push(AppCommand::Edit(None));
            }
            if ui
                .button(tr(lang, "Scenario bewerken…", "Edit scenario…"))
                .clicked()
            {
                out.push(AppCommand::PickScenarioToEdit);
            }
            if ui
                .button(tr(lang, "Logboek openen…", "Open journal…"))
                .clicked()
            {
                out.push(AppCommand::PickJournal);
            }
        });
        // A dialog that always works: type or paste a path.
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(tr(
                lang,
                "Of open een bestand (.ron scenario, .jsonl logboek) via zijn pad:",
                "Or open a file (.ron scenario, .jsonl journal) by its path:",
            ));
            let r = ui
                .add(egui::TextEdit::singleline(path_field).desired_width(360.0))
                .labelled_by(label.id);
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button(tr(lang, "Openen", "Open")).clicked() || enter)
                && !path_field.trim().is_empty()
            {
                let p = PathBuf::from(path_field.trim());
                out.push(if p.extension().is_some_and(|e| e == "jsonl") {
                    AppCommand::OpenJournal(p)
                } else {
                    AppCommand::OpenScenario(p)
                });
            }
        });
        ui.add_space(4.0);
    });
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("library-scroll")
            .show(ui, |ui| {
                journals_ui(ui, lib, journals, pick, lang, out);
                ui.heading(tr(lang, "Scenariobibliotheek", "Scenario library"));
                if lib.errors() > 0 {
                    egui::CollapsingHeader::new(format!(
                        "{} {}",
                        lib.errors(),
                        tr(
                            lang,
                            "fouten in scenariobestanden",
                            "errors in scenario files"
                        )
                    ))
                    .show(ui, |ui| {
                        for d in lib.diagnostics.iter().filter(|d| d.is_error()) {
                            ui.monospace(d.to_string());
                        }
                    });
                }
                for ex in &lib.exercises {
                    scenario_card_ui(ui, ex, lang, out);
                }
            });
    });
}

fn journals_ui(
    ui: &mut egui::Ui,
    lib: &Library,
    journals: &[JournalInfo],
    pick: &mut super::compare::ComparePick,
    lang: Lang,
    out: &mut Vec<AppCommand>,
) {
    let title = |j: &JournalInfo| {
        lib.find(&j.scenario_id).map_or(j.scenario_id.clone(), |e| {
            e.scenario.value.title.get(lang).to_owned()
        })
    };
    if journals.iter().any(|j| !j.finished) {
        ui.heading(tr(lang, "Onafgeronde oefeningen", "Unfinished exercises"));
        ui.label(tr(
            lang,
            "Deze oefeningen zijn niet afgesloten (bijvoorbeeld na een crash). Hervat waar ze stonden:",
            "These exercises were not ended (for example after a crash). Resume where they stood:",
        ));
        for j in journals.iter().filter(|j| !j.finished) {
            ui.horizontal_wrapped(|ui| {
                ui.label(format!(
                    "{} — {} — {} {}",
                    title(j),
                    local_time(&j.wall_start),
                    j.entries,
                    tr(lang, "regels", "entries")
                ));
                if let Some(holder) = &j.in_use {
                    ui.label(format!(
                        "{} {holder}",
                        tr(lang, "in gebruik door", "in use by")
                    ));
                } else if ui.button(tr(lang, "Hervatten", "Resume")).clicked() {
                    out.push(AppCommand::Resume(j.path.clone()));
                }
                if ui.button(tr(lang, "Bekijken", "Review")).clicked() {
                    out.push(AppCommand::Review(j.path.clone()));
                }
            });
        }
        ui.separator();
    }
    if journals.iter().any(|j| j.finished) {
        egui::CollapsingHeader::new(
            egui::RichText::new(tr(lang, "Afgeronde oefeningen", "Finished exercises")).heading(),
        )
        .id_salt("finished")
        .default_open(true)
        .show(ui, |ui| {
            compare_bar_ui(ui, pick, lang, out);
            for j in journals.iter().filter(|j| j.finished).take(50) {
                ui.horizontal_wrapped(|ui| {
                    let mut on = pick.paths.contains(&j.path);
                    if ui
                        .checkbox(&mut on, tr(lang, "vergelijken", "compare"))
                        .on_hover_text(j.path.display().to_string())
                        .changed()
                    {
                        if on {
                            pick.paths.insert(j.path.clone());
                        } else {
                            pick.paths.remove(&j.path);
                        }
                    }
                    ui.label(format!(
                        "{} — {}{}",
                        title(j),
                        local_time(&j.wall_start),
                        j.team
                            .as_ref()
                            .map_or_else(String::new, |t| format!(" — {t}"))
                    ));
                    if ui.button(tr(lang, "Evaluatie", "Review")).clicked() {
                        out.push(AppCommand::Review(j.path.clone()));
                    }
                    for r in &j.reports {
                        let ext = r
                            .extension()
                            .map_or(String::new(), |e| e.to_string_lossy().to_uppercase());
                        if ui
                            .button(format!("{} {ext}", tr(lang, "Rapport", "Report")))
                            .on_hover_text(r.display().to_string())
                            .clicked()
                        {
                            out.push(AppCommand::Open(r.clone()));
                        }
                    }
                });
            }
        });
        ui.separator();
    }
}

/// Picking journals to compare: how many, the choice to group by scenario, and the button.
fn compare_bar_ui(
    ui: &mut egui::Ui,
    pick: &mut super::compare::ComparePick,
    lang: Lang,
    out: &mut Vec<AppCommand>,
) {
    ui.horizontal_wrapped(|ui| {
        let n = pick.paths.len();
        if ui
            .add_enabled(
                n >= 2,
                egui::Button::new(format!(
                    "{} ({n})",
                    tr(lang, "Vergelijk geselecteerde", "Compare selected")
                )),
            )
            .on_disabled_hover_text(tr(
                lang,
                "Kies ten minste twee oefeningen met 'vergelijken'.",
                "Pick at least two exercises with 'compare'.",
            ))
            .clicked()
        {
            out.push(AppCommand::Compare);
        }
        ui.checkbox(
            &mut pick.group_by_scenario,
            tr(
                lang,
                "verschillende scenario's of versies apart groeperen",
                "group different scenarios or versions apart",
            ),
        );
    });
}

/// A fresh seed for a new exercise: the front end may read entropy, the engine never does.
#[allow(clippy::disallowed_methods)]
fn random_seed() -> u64 {
    use rand::RngExt;
    rand::rng().random_range(0..1_000_000_000)
}

/// Setup for an exercise of `ex`, every role present but those the scenario has exercise
/// control play (`simulated`), a fresh seed.
pub(super) fn setup_for(ex: Exercise, speed: u32) -> Screen {
    let present = ex
        .scenario
        .value
        .roles
        .iter()
        .map(|r| (r.clone(), !ex.scenario.value.simulated.contains(r)))
        .collect();
    Screen::Setup(Box::new(Setup {
        exercise: ex,
        present,
        seed: random_seed(),
        speed,
        team: String::new(),
    }))
}

/// One scenario card.
fn scenario_card_ui(ui: &mut egui::Ui, ex: &Exercise, lang: Lang, out: &mut Vec<AppCommand>) {
    let s = &ex.scenario.value;
    let plan = &ex.plan.value;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new(s.title.get(lang)).heading());
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button(tr(lang, "Voorbereiden ▶", "Set up ▶")).clicked() {
                    out.push(AppCommand::SetUp(Box::new(ex.clone())));
                }
                if ui.button(tr(lang, "Bewerken", "Edit")).clicked() {
                    out.push(AppCommand::Edit(Some(ex.scenario.path.clone())));
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
        egui::CollapsingHeader::new(format!(
            "{} ({})",
            tr(lang, "Geoefende procedures", "Procedures exercised"),
            procedures_exercised(ex, lang).len()
        ))
        .id_salt(("procs", s.id.as_str()))
        .show(ui, |ui| {
            for p in procedures_exercised(ex, lang) {
                ui.label(format!("• {p}"));
            }
        });
    });
    ui.add_space(6.0);
}

/// Draws the setup screen.
pub(super) fn setup_ui(
    ui: &mut egui::Ui,
    setup: &mut Setup,
    lang: Lang,
    out: &mut Vec<AppCommand>,
) {
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical().id_salt("setup-scroll").show(ui, |ui| {
            if ui
                .button(tr(lang, "◀ Terug naar de bibliotheek", "◀ Back to the library"))
                .clicked()
            {
                out.push(AppCommand::Library);
            }
            let plan = &setup.exercise.plan.value;
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
                    let note = crate::describe::role_note(
                        &setup.exercise.scenario.value,
                        role.as_str(),
                        lang,
                    );
                    match note {
                        Some(note) => ui.checkbox(on, format!("{name} ({note})")),
                        None => ui.checkbox(on, name),
                    };
                    if i % 2 == 1 {
                        ui.end_row();
                    }
                }
            });
            ui.separator();
            ui.horizontal_wrapped(|ui| {
                let label = ui.label(tr(
                    lang,
                    "Team of organisatie (optioneel):",
                    "Team or organisation (optional):",
                ));
                ui.add(
                    egui::TextEdit::singleline(&mut setup.team)
                        .char_limit(crate::journal::MAX_TEAM_CHARS)
                        .desired_width(280.0),
                )
                .labelled_by(label.id);
                ui.weak(tr(
                    lang,
                    "Alleen een team- of organisatienaam, nooit namen van personen; om oefeningen over de tijd te vergelijken.",
                    "A team or organisation name only, never people's names; for comparing exercises over time.",
                ));
            });
            ui.horizontal(|ui| {
                let label = ui.label(tr(lang, "Seed (toeval):", "Seed (chance):"));
                ui.add(egui::DragValue::new(&mut setup.seed).range(0..=u64::MAX))
                    .labelled_by(label.id);
                if ui.button(tr(lang, "Nieuwe seed", "New seed")).clicked() {
                    setup.seed = random_seed();
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
                .add_enabled(
                    any,
                    egui::Button::new(
                        egui::RichText::new(tr(lang, "Oefening openen", "Open exercise")).heading(),
                    ),
                )
                .clicked()
            {
                out.push(AppCommand::Start);
            }
        });
    });
}
