//! The desktop app (eframe/egui), a front end of the exercise [`crate::host::Host`]: the library,
//! exercise setup, the exercise screen (console, desks, projector, hot wash, review), the review
//! of past journals and the scenario editor.
//!
//! Drawing reads state and returns values: [`Command`]s for the exercise (carried out by the host
//! after drawing) and [`AppCommand`]s for the app (navigation, reports, files, dialogs), carried
//! out by [`App::execute`] after the frame is drawn. Time moves in [`App::logic`], never while
//! drawing. Every message a person reads is a [`Notice`], in the chosen language.

pub mod compare;
pub mod editor;
pub mod exercise;
mod library;
mod native;
pub mod review;
pub mod widgets;

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::engine::Command;
use crate::i18n::tr;
use crate::journal::{self, Session};
use crate::library::{Exercise, Library};
use crate::model::{Lang, RoleId};
use crate::report::Format;

pub use exercise::{ExerciseView, Tab};
pub use native::{install_fonts, run};

/// A message for the status bar: information or an error, already in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The text.
    pub text: String,
    /// Whether it reports an error.
    pub error: bool,
}

impl Notice {
    /// Information.
    pub fn info(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            error: false,
        }
    }

    /// An error.
    pub fn error(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            error: true,
        }
    }
}

/// What drawing asks of the app, carried out after the frame.
pub enum AppCommand {
    /// Go to the library.
    Library,
    /// Set up an exercise of this scenario.
    SetUp(Box<Exercise>),
    /// Start the exercise set up on the setup screen.
    Start,
    /// Open a journal: an unfinished one resumes, any other opens for review.
    OpenJournal(PathBuf),
    /// Resume an unfinished journal.
    Resume(PathBuf),
    /// Open a scenario file and set it up.
    OpenScenario(PathBuf),
    /// Review a journal (read-only).
    Review(PathBuf),
    /// Open the scenario editor on a file, or on the template.
    Edit(Option<PathBuf>),
    /// Pick a scenario file in a dialog and set it up.
    PickScenario,
    /// Pick a scenario file in a dialog and edit it.
    PickScenarioToEdit,
    /// Pick a journal in a dialog and open it.
    PickJournal,
    /// Write the report of the journal on screen beside it.
    WriteReport {
        /// The format.
        format: Format,
    },
    /// Write the report of the journal on screen to a file picked in a dialog.
    SaveReportAs {
        /// The format.
        format: Format,
    },
    /// Save the scenario in the editor (a dialog asks for a name when it has none, or when
    /// `as_new`).
    EditorSave {
        /// Ask for a new name.
        as_new: bool,
    },
    /// Explore the decision paths of the scenario in the editor.
    EditorExplore,
    /// Choose the file of an attachment in the editor with the desktop's dialog.
    EditorPickAttachment,
    /// Compare the journals picked in the library.
    Compare,
    /// Write the comparison on screen into the journals folder.
    WriteComparison(crate::compare::Format),
    /// Open the review's "what if" on a decision of the journal on screen.
    WhatIf(crate::model::DecisionId),
    /// Open a file or folder with the system's program for it.
    Open(PathBuf),
    /// Show a message.
    Notify(Notice),
}

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
    /// The team or organisation that plays (optional; a team's name, never a person's), kept
    /// in the journal header for comparing exercises over time.
    pub team: String,
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
    /// Journals compared.
    Compare(Box<compare::CompareView>),
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
    /// Journals found in the journals folder: unfinished ones to resume, finished ones to review.
    pub journals: Vec<library::JournalInfo>,
    /// The last message for the status bar.
    pub status: Option<Notice>,
    /// Whether the projector opens as a native window (off in tests: kittest has one window).
    pub native_projector: bool,
    /// The library's "open a file by its path" field: a dialog that always works, also on a
    /// machine without a desktop portal for the native one.
    pub path_field: String,
    /// Journals picked in the library for comparing.
    pub compare_pick: compare::ComparePick,
    applied_zoom: f32,
    fonts_installed: bool,
}

impl App {
    /// An app on `library`, writing journals to `journals_dir`.
    pub fn new(library: Library, prefs: Prefs, journals_dir: PathBuf) -> Self {
        let journals = library::scan_journals(&journals_dir);
        Self {
            prefs,
            library,
            screen: Screen::Library,
            journals_dir,
            journals,
            status: None,
            native_projector: false,
            path_field: String::new(),
            compare_pick: compare::ComparePick::default(),
            applied_zoom: 0.0,
            fonts_installed: false,
        }
    }

    /// The unfinished journals offered for resuming.
    pub fn unfinished(&self) -> impl Iterator<Item = &library::JournalInfo> {
        self.journals.iter().filter(|j| !j.finished)
    }

    /// The language.
    pub fn lang(&self) -> Lang {
        self.prefs.lang
    }

    /// Shows an error in the status bar.
    pub fn error(&mut self, msg: impl Into<String>) {
        self.status = Some(Notice::error(msg));
    }

    /// Shows a message in the status bar.
    pub fn info(&mut self, msg: impl Into<String>) {
        self.status = Some(Notice::info(msg));
    }

    /// What happens between frames: wall time passes for a running exercise. Called from
    /// eframe's `logic` (and by tests before each frame), never while drawing.
    pub fn logic(&mut self, ctx: &egui::Context) {
        if let Screen::Exercise(view) = &mut self.screen {
            let dt = ctx.input(|i| i.unstable_dt).clamp(0.0, 0.25);
            if let Some(n) = view.logic(Duration::from_secs_f32(dt), self.prefs.lang) {
                self.status = Some(n);
            }
            if view.running() {
                ctx.request_repaint_after(TICK);
            }
        }
    }

    /// Draws one frame, then carries out what it asked for.
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
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    self.prefs_ui(ui);
                    ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                        match &self.status {
                            Some(n) if n.error => {
                                ui.add(
                                    egui::Label::new(
                                        egui::RichText::new(&n.text)
                                            .color(ui.visuals().error_fg_color),
                                    )
                                    .truncate(),
                                )
                                .on_hover_text(&n.text);
                            }
                            Some(n) => {
                                ui.add(egui::Label::new(&n.text).truncate())
                                    .on_hover_text(&n.text);
                            }
                            None => {
                                ui.weak(tr(lang, "Klaar.", "Ready."));
                            }
                        }
                    });
                });
            });
        });
        let mut out: Vec<AppCommand> = Vec::new();
        match &mut self.screen {
            Screen::Library => library::library_ui(
                ui,
                &self.library,
                &self.journals,
                &mut self.path_field,
                &mut self.compare_pick,
                lang,
                &mut out,
            ),
            Screen::Setup(setup) => library::setup_ui(ui, setup, lang, &mut out),
            Screen::Exercise(view) => {
                exercise::exercise_ui(ui, view, lang, self.native_projector, &mut out);
            }
            Screen::Editor(ed) => {
                let mut status = None;
                match editor::editor_ui(ui, ed, lang, &mut status) {
                    editor::EditorAction::None => {}
                    editor::EditorAction::Back => out.push(AppCommand::Library),
                    editor::EditorAction::Play(ex) => out.push(AppCommand::SetUp(Box::new(ex))),
                    editor::EditorAction::Save { as_new } => {
                        out.push(AppCommand::EditorSave { as_new });
                    }
                    editor::EditorAction::Explore => out.push(AppCommand::EditorExplore),
                    editor::EditorAction::PickAttachment => {
                        out.push(AppCommand::EditorPickAttachment);
                    }
                }
                if let Some(n) = status {
                    out.push(AppCommand::Notify(n));
                }
            }
            Screen::Review(rv) => review::review_screen_ui(ui, rv, lang, &mut out),
            Screen::Compare(cv) => compare::compare_screen_ui(ui, cv, lang, &mut out),
        }
        for c in out {
            self.execute(c);
        }
    }

    /// Carries out an app command.
    pub fn execute(&mut self, c: AppCommand) {
        let lang = self.lang();
        match c {
            AppCommand::Library => {
                // The old screen goes first: an exercise left behind releases its journal.
                self.screen = Screen::Library;
                self.journals = library::scan_journals(&self.journals_dir);
            }
            AppCommand::SetUp(ex) => self.screen = library::setup_for(*ex, self.prefs.start_speed),
            AppCommand::Start => {
                if let Screen::Setup(setup) = &self.screen {
                    let setup = setup.as_ref().clone();
                    if let Err(e) = self.start(&setup) {
                        self.error(e);
                    }
                }
            }
            AppCommand::OpenJournal(path) => {
                let resumable =
                    journal::read_file(&path).is_ok_and(|r| !r.finished() && r.broken.is_none());
                self.execute(if resumable {
                    AppCommand::Resume(path)
                } else {
                    AppCommand::Review(path)
                });
            }
            AppCommand::Resume(path) => match library::open_journal(&self.library, &path, lang) {
                Ok((view, notice)) => {
                    self.screen = Screen::Exercise(Box::new(view));
                    self.status = notice;
                }
                Err(e) => self.error(e),
            },
            AppCommand::Review(path) => match review::ReviewView::open(&self.library, &path) {
                Ok(v) => self.screen = Screen::Review(Box::new(v)),
                Err(e) => self.error(e),
            },
            AppCommand::Edit(path) => {
                let Some(plan) = self.library.plans.first().cloned() else {
                    self.error(tr(lang, "Er is geen plan geladen.", "No plan is loaded."));
                    return;
                };
                match path {
                    None => {
                        self.screen = Screen::Editor(Box::new(editor::EditorView::new(
                            editor::TEMPLATE.to_owned(),
                            None,
                            plan,
                        )));
                    }
                    Some(p) => match editor::EditorView::open(&p, plan) {
                        Ok(e) => self.screen = Screen::Editor(Box::new(e)),
                        Err(e) => self.error(e),
                    },
                }
            }
            AppCommand::PickScenario => {
                if let Some(path) = rfd::FileDialog::new()
                    .add_filter("RON", &["ron"])
                    .pick_file()
                {
                    self.open_scenario(&path);
                }
            }
            AppCommand::OpenScenario(path) => self.open_scenario(&path),
            AppCommand::PickScenarioToEdit => {
                if let Some(path) = rfd::FileDialog::new()
                    .add_filter("RON", &["ron"])
                    .pick_file()
                {
                    self.execute(AppCommand::Edit(Some(path)));
                }
            }
            AppCommand::PickJournal => {
                if let Some(path) = rfd::FileDialog::new()
                    .set_directory(&self.journals_dir)
                    .add_filter("Paraat journal", &["jsonl"])
                    .pick_file()
                {
                    self.execute(AppCommand::OpenJournal(path));
                }
            }
            AppCommand::WriteReport { format } => self.write_report(format, None),
            AppCommand::SaveReportAs { format } => {
                let beside = self
                    .journal_path()
                    .map(|p| p.with_extension(format.extension()));
                let name = beside
                    .as_ref()
                    .and_then(|p| p.file_name())
                    .map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned());
                if let Some(path) = rfd::FileDialog::new()
                    .set_file_name(name)
                    .add_filter(format.extension(), &[format.extension()])
                    .save_file()
                {
                    self.write_report(format, Some(path));
                }
            }
            AppCommand::Open(path) => {
                if let Err(e) = native::open_with_system(&path) {
                    self.error(format!(
                        "{}: {} ({e})",
                        path.display(),
                        tr(lang, "kon niet worden geopend", "could not be opened")
                    ));
                }
            }
            AppCommand::EditorSave { as_new } => {
                if let Screen::Editor(ed) = &mut self.screen
                    && let Some(n) = ed.save_with_dialog(as_new, lang)
                {
                    self.status = Some(n);
                }
            }
            AppCommand::EditorExplore => {
                if let Screen::Editor(ed) = &mut self.screen {
                    ed.explore_now();
                }
            }
            AppCommand::EditorPickAttachment => {
                if let Screen::Editor(ed) = &mut self.screen
                    && let Some(n) = ed.pick_attachment_with_dialog(lang)
                {
                    self.status = Some(n);
                }
            }
            AppCommand::Notify(n) => self.status = Some(n),
            AppCommand::Compare => {
                let paths: Vec<PathBuf> = self.compare_pick.paths.iter().cloned().collect();
                match compare::CompareView::open(
                    &self.library,
                    &paths,
                    self.compare_pick.group_by_scenario,
                ) {
                    Ok(v) => self.screen = Screen::Compare(Box::new(v)),
                    Err(e) => self.error(e),
                }
            }
            AppCommand::WriteComparison(format) => {
                if let Screen::Compare(cv) = &mut self.screen {
                    let n = cv.write(&self.journals_dir, format, lang);
                    self.status = Some(n);
                }
            }
            AppCommand::WhatIf(decision) => {
                let review = match &mut self.screen {
                    Screen::Exercise(v) => {
                        v.tab = Tab::Review;
                        &mut v.review
                    }
                    Screen::Review(rv) => &mut rv.state,
                    _ => return,
                };
                review.tab = review::ReviewTab::WhatIf;
                review.whatif.pick(decision);
            }
        }
    }

    /// Opens a scenario file: a clean one goes to setup, one with errors says where.
    pub fn open_scenario(&mut self, path: &Path) {
        match crate::library::load_exercise(path) {
            Ok(ex) => self.screen = library::setup_for(ex, self.prefs.start_speed),
            Err(errs) => self.error(
                errs.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        }
    }

    fn journal_path(&self) -> Option<PathBuf> {
        match &self.screen {
            Screen::Exercise(v) => Some(v.host.view().path().to_owned()),
            Screen::Review(rv) => Some(rv.path.clone()),
            _ => None,
        }
    }

    /// Writes the report of the journal on screen (beside it, or to `to`).
    fn write_report(&mut self, format: Format, to: Option<PathBuf>) {
        let lang = self.lang();
        let (aar, journal, scenario) = match &self.screen {
            Screen::Exercise(v) => {
                let s = v.host.view();
                (
                    crate::report::Aar::build(s.exercise(), s.header(), s.entries(), lang)
                        .with_verification(Some(s.verdict())),
                    s.path().to_owned(),
                    s.exercise().scenario.path.clone(),
                )
            }
            Screen::Review(rv) => (
                crate::report::Aar::build(&rv.exercise, &rv.header, &rv.entries, lang)
                    .with_verification(rv.state.verdict.clone()),
                rv.path.clone(),
                rv.exercise.scenario.path.clone(),
            ),
            _ => return,
        };
        let path = to.unwrap_or_else(|| journal.with_extension(format.extension()));
        let bytes = match crate::report::render(&aar, format) {
            Ok(b) => b,
            Err(e) => {
                self.error(format!("{}: {e}", path.display()));
                return;
            }
        };
        // Never over the journal or the scenario it reports on.
        match crate::report::write_file(&path, &[journal.as_path(), scenario.as_path()], bytes) {
            Ok(()) => {
                match &mut self.screen {
                    Screen::Exercise(v) => v.written.push(path.clone()),
                    Screen::Review(rv) => rv.state.written.push(path.clone()),
                    _ => {}
                }
                self.info(format!(
                    "{} {}",
                    tr(lang, "Geschreven:", "Written:"),
                    path.display()
                ));
            }
            Err(e) => self.error(format!("{}: {e}", path.display())),
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
        let view = start_exercise(setup, &self.journals_dir, self.lang())?;
        self.screen = Screen::Exercise(Box::new(view));
        Ok(())
    }
}

/// Creates the journal and the session for a setup, started at its speed.
fn start_exercise(setup: &Setup, journals_dir: &Path, lang: Lang) -> Result<ExerciseView, String> {
    let present: Vec<RoleId> = setup
        .present
        .iter()
        .filter(|(_, on)| *on)
        .map(|(r, _)| r.clone())
        .collect();
    let path = journal::new_path(journals_dir, &setup.exercise.scenario.value.id);
    let mut session = Session::create_for_team(
        &setup.exercise,
        setup.seed,
        present,
        Some(setup.team.as_str()),
        &path,
    )
    .map_err(|e| {
        format!(
            "{}: {}",
            path.display(),
            crate::describe::session_error(&e, lang)
        )
    })?;
    if setup.speed != 1 {
        session
            .apply(Command::SetSpeed { speed: setup.speed })
            .map_err(|e| crate::describe::session_error(&e, lang))?;
    }
    Ok(ExerciseView::new(session))
}

/// Repaint cadence while the clock runs.
pub(crate) const TICK: Duration = Duration::from_millis(100);
