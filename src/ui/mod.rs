//! The desktop app (eframe/egui): the library, exercise setup, the facilitator console, the
//! role desks, the projector window and the hot wash.
//!
//! UI functions read state and push [`Command`]s; the app applies them through the journaled
//! [`Session`] after drawing, so nothing shows on screen before it is on disk.

mod console;
pub mod editor;
mod library;
pub mod review;

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::engine::Command;
use crate::i18n::tr;
use crate::journal::{self, Session};
use crate::library::{Exercise, Library};
use crate::model::{Lang, RoleId};

pub use console::{ConsoleTab, ExerciseView, Tab};

/// Preferences that survive a restart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// Interface language.
    pub lang: Lang,
    /// Font scaling.
    pub zoom: f32,
    /// The speed a new exercise starts at.
    pub start_speed: u32,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            lang: Lang::Nl,
            zoom: 1.0,
            start_speed: 1,
        }
    }
}

/// An unfinished journal found at start-up, which the app offers to resume.
#[derive(Debug, Clone)]
pub struct Unfinished {
    /// The journal.
    pub path: PathBuf,
    /// Its scenario.
    pub scenario_id: String,
    /// When it was started.
    pub wall_start: String,
    /// Entries in it.
    pub entries: usize,
}

/// Exercise setup: who is at the table, the seed, the starting speed.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The exercise to play.
    pub exercise: Exercise,
    /// Roles present (all in play by default).
    pub present: Vec<(RoleId, bool)>,
    /// The seed.
    pub seed: u64,
    /// Starting speed.
    pub speed: u32,
}

/// What the window shows.
pub enum Screen {
    /// The scenario library.
    Library,
    /// Setting up an exercise.
    Setup(Box<Setup>),
    /// Running an exercise.
    Exercise(Box<ExerciseView>),
    /// Reviewing a journal (read-only).
    Review(Box<review::ReviewView>),
    /// Editing a scenario.
    Editor(Box<editor::EditorView>),
}

/// The app.
pub struct App {
    /// Preferences.
    pub prefs: Prefs,
    /// The scenario library.
    pub library: Library,
    /// The current screen.
    pub screen: Screen,
    /// Where journals go.
    pub journals_dir: PathBuf,
    /// Unfinished journals to offer.
    pub unfinished: Vec<Unfinished>,
    /// The last message for the status bar, and whether it is an error.
    pub status: Option<(String, bool)>,
    /// Whether the projector opens as a native window (off in tests: kittest has one window).
    pub native_projector: bool,
    applied_zoom: f32,
    fonts_installed: bool,
}

/// Adds the `DejaVu` Sans font (shipped in `assets/fonts`) behind egui's own fonts, so that symbols such as
/// ▶ ◀ ✔ ≥ × − render everywhere instead of as empty boxes.
pub fn install_fonts(ctx: &egui::Context) {
    for (name, bytes, family) in [
        (
            "dejavu-sans",
            &include_bytes!("../../assets/fonts/DejaVuSans.ttf")[..],
            egui::FontFamily::Proportional,
        ),
        (
            "dejavu-sans-mono",
            &include_bytes!("../../assets/fonts/DejaVuSansMono.ttf")[..],
            egui::FontFamily::Monospace,
        ),
    ] {
        ctx.add_font(egui::FontInsert::new(
            name,
            egui::FontData::from_static(bytes),
            vec![egui::epaint::text::InsertFontFamily {
                family,
                priority: egui::FontPriority::Lowest,
            }],
        ));
    }
}

impl App {
    /// An app on `library`, writing journals to `journals_dir`.
    pub fn new(library: Library, prefs: Prefs, journals_dir: PathBuf) -> Self {
        let unfinished = scan_unfinished(&journals_dir);
        Self {
            prefs,
            library,
            screen: Screen::Library,
            journals_dir,
            unfinished,
            status: None,
            native_projector: false,
            applied_zoom: 0.0,
            fonts_installed: false,
        }
    }

    /// The language.
    pub fn lang(&self) -> Lang {
        self.prefs.lang
    }

    /// Shows an error in the status bar.
    pub fn error(&mut self, msg: impl Into<String>) {
        self.status = Some((msg.into(), true));
    }

    /// Shows a message in the status bar.
    pub fn info(&mut self, msg: impl Into<String>) {
        self.status = Some((msg.into(), false));
    }

    /// Draws one frame.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        if !self.fonts_installed {
            install_fonts(ui.ctx());
            self.fonts_installed = true;
        }
        if (self.applied_zoom - self.prefs.zoom).abs() > f32::EPSILON {
            ui.ctx().set_zoom_factor(self.prefs.zoom);
            self.applied_zoom = self.prefs.zoom;
        }
        let lang = self.lang();
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.horizontal(|ui| {
                match &self.status {
                    Some((msg, true)) => {
                        ui.colored_label(ui.visuals().error_fg_color, msg);
                    }
                    Some((msg, false)) => {
                        ui.label(msg);
                    }
                    None => {
                        ui.weak(tr(lang, "Klaar.", "Ready."));
                    }
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    self.prefs_ui(ui);
                });
            });
        });
        let mut next: Option<Screen> = None;
        match &mut self.screen {
            Screen::Library => {
                next = library::library_ui(
                    ui,
                    &self.library,
                    &self.unfinished,
                    lang,
                    &mut self.status,
                    &self.journals_dir,
                    self.prefs.start_speed,
                );
            }
            Screen::Setup(setup) => {
                next = library::setup_ui(ui, setup, lang, &self.journals_dir, &mut self.status);
            }
            Screen::Exercise(view) => {
                if console::exercise_ui(ui, view, lang, self.native_projector, &mut self.status) {
                    next = Some(Screen::Library);
                }
            }
            Screen::Editor(ed) => match editor::editor_ui(ui, ed, lang, &mut self.status) {
                editor::EditorAction::None => {}
                editor::EditorAction::Back => next = Some(Screen::Library),
                editor::EditorAction::Play(ex) => {
                    next = Some(library::setup_for(ex, self.prefs.start_speed));
                }
            },
            Screen::Review(rv) => {
                let mut back = false;
                egui::Panel::top("review-top").show(ui, |ui| {
                    ui.horizontal(|ui| {
                        back = ui.button(tr(lang, "◀ Bibliotheek", "◀ Library")).clicked();
                        ui.separator();
                        ui.strong(format!(
                            "{} — {}",
                            tr(lang, "Evaluatie", "Review"),
                            rv.exercise.scenario.value.title.get(lang)
                        ));
                        ui.weak(rv.path.display().to_string());
                    });
                    if let Some(w) = &rv.warning {
                        ui.colored_label(ui.visuals().warn_fg_color, w);
                    }
                });
                egui::CentralPanel::default().show(ui, |ui| {
                    let rv = &mut **rv;
                    review::review_ui(
                        ui,
                        &mut rv.state,
                        &rv.ctx,
                        &rv.exercise,
                        &rv.header,
                        &rv.entries,
                        &rv.path,
                        lang,
                        &mut self.status,
                    );
                });
                if back {
                    next = Some(Screen::Library);
                }
            }
        }
        if let Some(s) = next {
            if matches!(s, Screen::Library) {
                self.unfinished = scan_unfinished(&self.journals_dir);
            }
            self.screen = s;
        }
    }

    fn prefs_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang();
        if ui
            .button("A+")
            .on_hover_text(tr(lang, "Groter lettertype", "Larger text"))
            .clicked()
        {
            self.prefs.zoom = (self.prefs.zoom + 0.1).min(2.5);
        }
        if ui
            .button("A−")
            .on_hover_text(tr(lang, "Kleiner lettertype", "Smaller text"))
            .clicked()
        {
            self.prefs.zoom = (self.prefs.zoom - 0.1).max(0.6);
        }
        ui.separator();
        if ui.selectable_label(lang == Lang::En, "English").clicked() {
            self.prefs.lang = Lang::En;
        }
        if ui
            .selectable_label(lang == Lang::Nl, "Nederlands")
            .clicked()
        {
            self.prefs.lang = Lang::Nl;
        }
    }

    /// Starts an exercise from a setup (used by the setup screen and by tests).
    pub fn start(&mut self, setup: &Setup) -> Result<(), String> {
        let view = start_exercise(setup, &self.journals_dir)?;
        self.screen = Screen::Exercise(Box::new(view));
        Ok(())
    }
}

/// Creates the journal and the session for a setup, started at its speed.
fn start_exercise(setup: &Setup, journals_dir: &Path) -> Result<ExerciseView, String> {
    let present: Vec<RoleId> = setup
        .present
        .iter()
        .filter(|(_, on)| *on)
        .map(|(r, _)| r.clone())
        .collect();
    let path = journal::new_path(journals_dir, &setup.exercise.scenario.value.id);
    let mut session = Session::create(&setup.exercise, setup.seed, present, &path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if setup.speed != 1 {
        session
            .apply(Command::SetSpeed { speed: setup.speed })
            .map_err(|e| e.to_string())?;
    }
    Ok(ExerciseView::new(session))
}

/// Journals under `dir` that did not reach their end, newest first.
pub fn scan_unfinished(dir: &Path) -> Vec<Unfinished> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<Unfinished> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .filter_map(|p| {
            let r = journal::read_file(&p).ok()?;
            (!r.finished() && r.broken.is_none()).then(|| Unfinished {
                scenario_id: r.header.scenario_id.clone(),
                wall_start: r.header.wall_start.clone(),
                entries: r.entries.len(),
                path: p,
            })
        })
        .collect();
    out.sort_by(|a, b| b.wall_start.cmp(&a.wall_start));
    out
}

/// The eframe wrapper: preferences persisted, wall time read here and nowhere in the core.
struct NativeApp {
    app: App,
    /// For measuring start-up: when the process began, and whether to close after the first
    /// frame (`PARAAT_EXIT_AFTER_FIRST_FRAME=1`).
    started: std::time::Instant,
    exit_after_first_frame: bool,
}

impl eframe::App for NativeApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.app.ui(ui);
        if self.exit_after_first_frame {
            eprintln!("first frame drawn {:?} after start", self.started.elapsed());
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            self.exit_after_first_frame = false;
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, "paraat-prefs", &self.app.prefs);
    }
}

/// Opens the desktop app on the built-in library.
#[allow(clippy::disallowed_methods)] // The front end may read the clock: start-up timing.
pub fn run() -> eframe::Result {
    let started = std::time::Instant::now();
    let exit_after_first_frame = std::env::var_os("PARAAT_EXIT_AFTER_FIRST_FRAME").is_some();
    let library = Library::load(&[crate::model::load::builtin_dir()]);
    // Journals written here are sealed with this installation's key when the exercise ends.
    if let Err(e) = crate::journal::seal::use_installation_key() {
        eprintln!("warning: journals will not be sealed: {e}");
    }
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Paraat")
            .with_inner_size([1400.0, 900.0])
            .with_min_inner_size([900.0, 600.0]),
        ..Default::default()
    };
    eframe::run_native(
        "Paraat",
        options,
        Box::new(move |cc| {
            let prefs = cc
                .storage
                .and_then(|s| eframe::get_value::<Prefs>(s, "paraat-prefs"))
                .unwrap_or_default();
            let mut app = App::new(library, prefs, PathBuf::from("journals"));
            app.native_projector = true;
            Ok(Box::new(NativeApp {
                app,
                started,
                exit_after_first_frame,
            }))
        }),
    )
}

/// A row of selectable labels that switch `current` between views or filters.
pub(crate) fn tab_bar_ui<T: PartialEq + Copy>(
    ui: &mut egui::Ui,
    current: &mut T,
    tabs: &[(T, &'static str, &'static str)],
    lang: Lang,
) {
    ui.horizontal(|ui| {
        for &(t, nl, en) in tabs {
            if ui
                .selectable_label(*current == t, tr(lang, nl, en))
                .clicked()
            {
                *current = t;
            }
        }
    });
}

/// Repaint cadence while the clock runs.
pub(crate) const TICK: Duration = Duration::from_millis(100);
