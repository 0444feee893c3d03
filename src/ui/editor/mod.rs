//! The scenario editor: forms for the scenario and its injects, decisions and choices beside
//! the RON text, live validation with every finding clickable to its line and column, atomic
//! saves with a backup, reloading when the file changes on disk, exploration, and play in one
//! click.

mod forms;
mod local;
mod logic;
mod pick;
mod splice;

use forms::forms_ui;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crate::engine::Compiled;
use crate::explore;
use crate::i18n::tr;
use crate::library::Exercise;
use crate::model::diag::Diagnostic;
use crate::model::load::{self, Loaded};
use crate::model::locate::Pos;
use crate::model::validate;
use crate::model::{Channel, Choice, Cond, Decision, Inject, Lang, Plan, RoleId, Scenario, Text};

/// The template a new scenario starts from.
pub const TEMPLATE: &str = r#"// New scenario — Paraat. Format: scenarios/README.md
Scenario(
    format: 2,
    id: "new-scenario",
    plan: "lcp-egt",
    title: (nl: "Nieuw scenario", en: "New scenario"),
    summary: (nl: "Korte beschrijving.", en: "Short description."),
    start: "2026-03-18T10:00:00+01:00",
    duration_min: 120,
    roles: ["burgemeester", "politiechef", "ovj"],
    injects: [
        Inject(
            id: "i-first-report",
            at_min: Some(0),
            to: ["politiechef"],
            channel: Phone,
            title: (nl: "Eerste melding", en: "First report"),
            body: (nl: "Er is een melding binnengekomen.", en: "A report has come in."),
            effects: [Signal("attack")],
            decisions: [
                Decision(
                    id: "d-first",
                    role: "burgemeester",
                    prompt: (nl: "Wat doet u?", en: "What do you do?"),
                    due_min: 10,
                    options: [
                        Choice(id: "act", label: (nl: "Direct handelen", en: "Act at once"), actions: ["inform_public"]),
                        Choice(id: "wait", label: (nl: "Afwachten", en: "Wait")),
                    ],
                    default: Some("wait"),
                ),
            ],
        ),
        Inject(
            id: "i-update",
            at_min: Some(20),
            to: ["burgemeester", "ovj"],
            channel: Email,
            title: (nl: "Update", en: "Update"),
            body: (nl: "Meer informatie.", en: "More information."),
        ),
    ],
)
"#;

/// The editor's state.
pub struct EditorView {
    /// The file, once saved or opened.
    pub path: Option<PathBuf>,
    /// The RON text.
    pub text: String,
    /// The text as last saved or loaded.
    pub saved: String,
    /// The file's modification time when last read or written.
    pub disk_time: Option<SystemTime>,
    /// Findings for the current text.
    pub diagnostics: Vec<Diagnostic>,
    /// The text as a scenario; `None` while the text does not read as one.
    pub parsed: Option<Scenario>,
    /// The plan scenarios are checked against.
    pub plan: Arc<Loaded<Plan>>,
    /// The inject open in the form.
    pub selected: Option<usize>,
    /// Where to put the cursor next frame.
    pub goto: Option<Pos>,
    /// The last exploration report.
    pub explore: Option<explore::Report>,
    /// The exploration running in the background, if any.
    pub exploring: Option<ExploreJob>,
    /// RON fields being edited in the forms (conditions, effects), by field key, with the
    /// text typed so far and its parse error; cleared when another inject is selected.
    pub ron_fields: std::collections::BTreeMap<String, (String, Option<String>)>,
    /// Whether leaving with unsaved changes waits for the author's answer.
    pub confirm_leave: bool,
    /// Whether a form edit moved the file to format 2 (the forms say so until reload).
    pub format_raised: bool,
    /// The attachment (inject, attachment) whose file the author asked to choose in a dialog;
    /// the app opens it after the frame.
    pub pick_attachment: Option<(usize, usize)>,
    /// The text as last checked, tokenized: where the forms find the findings of an object.
    loc: crate::model::locate::Locator,
    checked_text: String,
    last_disk_check: f64,
}

impl EditorView {
    /// An editor on `text` (from `path`, if any), checked against `plan`.
    pub fn new(text: String, path: Option<PathBuf>, plan: Arc<Loaded<Plan>>) -> Self {
        let disk_time = path
            .as_ref()
            .and_then(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        let mut e = Self {
            path,
            saved: text.clone(),
            text,
            disk_time,
            diagnostics: Vec::new(),
            parsed: None,
            plan,
            selected: None,
            goto: None,
            explore: None,
            exploring: None,
            ron_fields: std::collections::BTreeMap::new(),
            confirm_leave: false,
            format_raised: false,
            pick_attachment: None,
            loc: crate::model::locate::Locator::new(""),
            checked_text: String::new(),
            last_disk_check: 0.0,
        };
        e.check();
        e
    }

    /// Opens a file.
    pub fn open(path: &Path, plan: Arc<Loaded<Plan>>) -> Result<Self, String> {
        let text = load::read_limited(path).map_err(|d| d.to_string())?;
        Ok(Self::new(text, Some(path.to_owned()), plan))
    }

    fn display_path(&self) -> PathBuf {
        self.path
            .clone()
            .unwrap_or_else(|| PathBuf::from("new-scenario.ron"))
    }

    /// Validates the text if it changed since the last check.
    pub fn check(&mut self) {
        if self.text == self.checked_text && !self.checked_text.is_empty() {
            return;
        }
        self.checked_text = self.text.clone();
        self.loc = crate::model::locate::Locator::new(&self.text);
        let path = self.display_path();
        let ids = std::iter::once(self.plan.value.id.as_str()).collect();
        match load::parse_scenario(&path, self.text.clone()) {
            Ok(s) => {
                let plan = (s.value.plan == self.plan.value.id).then_some(&self.plan.value);
                self.diagnostics = validate::validate_scenario(&s, plan, &ids);
                self.parsed = Some(s.value);
            }
            Err(d) => {
                self.diagnostics = vec![d];
                // The forms show the scenario the text is; with a text that does not read, a
                // form edit would write the last good version over the author's typing.
                self.parsed = None;
            }
        }
    }

    /// Whether there are unsaved changes.
    pub fn dirty(&self) -> bool {
        self.text != self.saved
    }

    /// Saves atomically to `path`, keeping the previous version as `<file>.bak`.
    pub fn save_to(&mut self, path: &Path) -> std::io::Result<()> {
        // An editor saves scenarios (and plans) over scenarios, never over a journal.
        crate::files::refuse_overwrite(
            path,
            &[],
            &[crate::files::Kind::Scenario, crate::files::Kind::Plan],
        )?;
        if path.exists() {
            let name = path
                .file_name()
                .map_or_else(|| "scenario".into(), |n| n.to_string_lossy().into_owned());
            let old = crate::files::read_regular(path, load::MAX_FILE_BYTES)
                .map_err(|e| std::io::Error::other(e.to_string()))?;
            crate::files::write_atomic(&path.with_file_name(format!("{name}.bak")), &old)?;
        }
        crate::files::write_atomic(path, self.text.as_bytes())?;
        self.path = Some(path.to_owned());
        self.saved = self.text.clone();
        self.disk_time = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        Ok(())
    }

    /// Re-reads the file when it changed on disk. Without unsaved changes the new text is taken;
    /// with them, `Err` says so and nothing is lost.
    pub fn reload_if_changed(&mut self) -> Result<bool, String> {
        let Some(path) = self.path.clone() else {
            return Ok(false);
        };
        let Ok(now) = std::fs::metadata(&path).and_then(|m| m.modified()) else {
            return Ok(false);
        };
        if Some(now) == self.disk_time {
            return Ok(false);
        }
        if self.dirty() {
            return Err(format!(
                "{} changed on disk; you have unsaved changes (save to keep yours, or reload to take the file's)",
                path.display()
            ));
        }
        let text = load::read_limited(&path).map_err(|d| d.to_string())?;
        self.text = text.clone();
        self.saved = text;
        self.disk_time = Some(now);
        self.format_raised = false;
        self.ron_fields.clear();
        self.check();
        Ok(true)
    }

    /// Rewrites the text after a form edit: only what changed, keeping the author's comments
    /// and layout everywhere else; the whole file in the standard layout when that cannot be
    /// done safely (the text does not read as what the forms show, or an unusual layout).
    fn rewrite_from_form(&mut self, s: &Scenario) {
        let kept = self
            .parsed
            .as_ref()
            .and_then(|old| splice::keep_text(&self.text, old, s));
        self.text = kept.unwrap_or_else(|| {
            crate::msel::to_ron(s).replacen("(imported from a MSEL)", "(edited in Paraat)", 1)
        });
        self.check();
    }

    /// The exercise to play, if the text validates without errors.
    pub fn exercise(&self) -> Option<Exercise> {
        if self.diagnostics.iter().any(Diagnostic::is_error) {
            return None;
        }
        let s = load::parse_scenario(&self.display_path(), self.text.clone()).ok()?;
        Some(Exercise::new(Arc::new(s), Arc::clone(&self.plan)))
    }
}

fn char_index(text: &str, pos: Pos) -> usize {
    let mut idx = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        if n + 1 == pos.line {
            return idx + (pos.col.saturating_sub(1)).min(line.chars().count());
        }
        idx += line.chars().count();
    }
    idx
}

impl EditorView {
    /// Saves (asking for a file name in a dialog when there is none, or when `as_new`), and
    /// says what happened in the reader's language. Called by the app after drawing.
    pub fn save_with_dialog(&mut self, as_new: bool, lang: Lang) -> Option<crate::ui::Notice> {
        let target = if as_new { None } else { self.path.clone() }.or_else(|| {
            rfd::FileDialog::new()
                .add_filter("RON", &["ron"])
                .set_file_name("new-scenario.ron")
                .save_file()
        })?;
        Some(match self.save_to(&target) {
            Ok(()) => crate::ui::Notice::info(format!(
                "{} {}",
                tr(lang, "Opgeslagen:", "Saved:"),
                target.display()
            )),
            Err(e) => crate::ui::Notice::error(format!("{}: {e}", target.display())),
        })
    }

    /// Asks for the file of the attachment the form asked for (see
    /// [`EditorView::pick_attachment`]) in the desktop's dialog, copies it beside the scenario
    /// when it lies elsewhere, and writes its path into the attachment. Called by the app after
    /// drawing.
    pub fn pick_attachment_with_dialog(&mut self, lang: Lang) -> Option<crate::ui::Notice> {
        let (i, j) = self.pick_attachment.take()?;
        let path = self.path.clone()?;
        let picked = pick::dialog(&path, lang)?;
        let placed = match pick::place(&path, &picked) {
            Ok(p) => p,
            Err(e) => {
                return Some(crate::ui::Notice::error(format!(
                    "{} {}: {e}",
                    tr(
                        lang,
                        "Bijlage niet te gebruiken:",
                        "Attachment cannot be used:"
                    ),
                    picked.display()
                )));
            }
        };
        let mut s = self.parsed.clone()?;
        let a = s.injects.get_mut(i)?.attachments.get_mut(j)?;
        a.file.clone_from(&placed.file);
        self.ron_fields.clear();
        self.rewrite_from_form(&s);
        Some(crate::ui::Notice::info(if placed.copied {
            format!(
                "{} {}",
                tr(
                    lang,
                    "Bijlage gekopieerd naast het scenario:",
                    "Attachment copied beside the scenario:"
                ),
                placed.file
            )
        } else {
            format!("{} {}", tr(lang, "Bijlage:", "Attachment:"), placed.file)
        }))
    }

    /// Starts exploring the decision paths of the scenario as it stands (if it parses without
    /// errors) on a background thread; [`EditorView::poll_explore`] picks up the report. Called
    /// by the app after drawing.
    pub fn explore_now(&mut self) {
        if self.exploring.is_some() {
            return;
        }
        if let Some(s) = &self.parsed
            && !self.diagnostics.iter().any(Diagnostic::is_error)
        {
            let ctx = Arc::new(Compiled::new(&self.plan.value, s));
            let progress = Arc::new(explore::Progress::default());
            let shared = Arc::clone(&progress);
            let opts = explore::Options {
                max_paths: 5000,
                ..explore::Options::default()
            };
            let handle = std::thread::Builder::new()
                .name("paraat-explore".into())
                .spawn(move || explore::explore_with(&ctx, &opts, &shared, &mut |_, _| {}));
            if let Ok(handle) = handle {
                self.exploring = Some(ExploreJob {
                    progress,
                    handle: Some(handle),
                });
            } else {
                // No thread to be had: explore here, as before.
                let ctx = Arc::new(Compiled::new(&self.plan.value, s));
                self.explore = Some(explore::explore_with(
                    &ctx,
                    &opts,
                    &explore::Progress::default(),
                    &mut |_, _| {},
                ));
            }
        }
    }

    /// Takes the report of a finished background exploration; true while one still runs.
    pub fn poll_explore(&mut self) -> bool {
        let Some(job) = &mut self.exploring else {
            return false;
        };
        if job.handle.as_ref().is_some_and(|h| !h.is_finished()) {
            return true;
        }
        if let Some(Ok(r)) = job.handle.take().map(std::thread::JoinHandle::join) {
            self.explore = Some(r);
        }
        self.exploring = None;
        false
    }

    /// Asks the background exploration to stop; its partial report says it was cancelled.
    pub fn cancel_explore(&self) {
        if let Some(job) = &self.exploring {
            job.progress
                .cancel
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

/// An exploration running on its own thread, so that the editor stays responsive.
pub struct ExploreJob {
    /// Its progress, and the cancel request.
    pub progress: Arc<explore::Progress>,
    handle: Option<std::thread::JoinHandle<explore::Report>>,
}

impl Drop for ExploreJob {
    fn drop(&mut self) {
        // Leaving the editor stops the search rather than letting it run on unseen.
        self.progress
            .cancel
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// What the editor asks of the app.
pub enum EditorAction {
    /// Nothing.
    None,
    /// Back to the library.
    Back,
    /// Set up this exercise.
    Play(Exercise),
    /// Save to the file (asking for a name when there is none yet), or to a new name.
    Save {
        /// Ask for a new name even if the file has one.
        as_new: bool,
    },
    /// Explore the decision paths of the scenario as it stands.
    Explore,
    /// Choose an attachment's file in a dialog ([`EditorView::pick_attachment_with_dialog`]).
    PickAttachment,
}

/// Draws the editor.
pub fn editor_ui(
    ui: &mut egui::Ui,
    ed: &mut EditorView,
    lang: Lang,
    status: &mut Option<crate::ui::Notice>,
) -> EditorAction {
    let mut action = EditorAction::None;
    // Reload when the file changes on disk (checked about once a second).
    let now = ui.input(|i| i.time);
    if now - ed.last_disk_check > 1.0 {
        ed.last_disk_check = now;
        match ed.reload_if_changed() {
            Ok(true) => {
                *status = Some(crate::ui::Notice::info(
                    tr(
                        lang,
                        "Bestand op schijf gewijzigd: opnieuw geladen.",
                        "File changed on disk: reloaded.",
                    )
                    .to_owned(),
                ));
            }
            Ok(false) => {}
            Err(e) => *status = Some(crate::ui::Notice::error(e)),
        }
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs(1));
    }
    egui::Panel::top("editor-top").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            if ui.button(tr(lang, "◀ Bibliotheek", "◀ Library")).clicked() {
                if ed.dirty() {
                    ed.confirm_leave = true;
                } else {
                    action = EditorAction::Back;
                }
            }
            ui.separator();
            ui.strong(format!(
                "{}{}",
                ed.display_path().display(),
                if ed.dirty() { " *" } else { "" }
            ));
            ui.separator();
            if ui.button(tr(lang, "Opslaan", "Save")).clicked() {
                action = EditorAction::Save { as_new: false };
            }
            if ui.button(tr(lang, "Opslaan als…", "Save as…")).clicked() {
                action = EditorAction::Save { as_new: true };
            }
            if ui
                .add_enabled(
                    ed.path.is_some(),
                    egui::Button::new(tr(lang, "Herladen", "Reload")),
                )
                .clicked()
            {
                ed.saved.clone_from(&ed.text);
                ed.disk_time = None;
                if let Err(e) = ed.reload_if_changed() {
                    *status = Some(crate::ui::Notice::error(e));
                }
            }
            ui.separator();
            // Parsing the text again is only worth it when Play is pressed, not every frame.
            let playable = ed.parsed.is_some() && !ed.diagnostics.iter().any(Diagnostic::is_error);
            if ui
                .add_enabled(playable, egui::Button::new(tr(lang, "▶ Spelen", "▶ Play")))
                .clicked()
                && let Some(ex) = ed.exercise()
            {
                action = EditorAction::Play(ex);
            }
            if ed.poll_explore() {
                // Running: show how far it is, offer to stop it, and keep drawing frames so
                // that the report appears when it is done.
                if let Some(job) = &ed.exploring {
                    let p = &job.progress;
                    let done = p.done.load(std::sync::atomic::Ordering::Relaxed);
                    let total = p.total.load(std::sync::atomic::Ordering::Relaxed).max(1);
                    let what = if p.sampling.load(std::sync::atomic::Ordering::Relaxed) {
                        tr(lang, "paden (steekproef)", "paths (sampled)")
                    } else {
                        tr(lang, "toestanden (exact)", "states (exact)")
                    };
                    ui.add(
                        egui::ProgressBar::new(done as f32 / total as f32)
                            .desired_width(160.0)
                            .text(format!("{done} {what}")),
                    )
                    .labelled_by(ui.label(tr(lang, "Verkennen…", "Exploring…")).id);
                }
                if ui
                    .button(tr(lang, "Verkennen stoppen", "Stop exploring"))
                    .clicked()
                {
                    ed.cancel_explore();
                }
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100));
            } else if ui
                .add_enabled(
                    ed.parsed.is_some() && !ed.diagnostics.iter().any(Diagnostic::is_error),
                    egui::Button::new(tr(lang, "Paden verkennen", "Explore paths")),
                )
                .clicked()
            {
                action = EditorAction::Explore;
            }
        });
    });
    egui::Panel::bottom("editor-diagnostics")
        .resizable(true)
        .default_size(150.0)
        .show(ui, |ui| {
            let errors = ed.diagnostics.iter().filter(|d| d.is_error()).count();
            ui.strong(format!(
                "{} {}, {} {}",
                errors,
                tr(lang, "fouten", "errors"),
                ed.diagnostics.len() - errors,
                tr(lang, "waarschuwingen", "warnings")
            ));
            egui::ScrollArea::vertical()
                .id_salt("diag-scroll")
                .show(ui, |ui| {
                    for d in &ed.diagnostics {
                        let text = format!(
                            "{}:{}  {}{}",
                            d.pos.line,
                            d.pos.col,
                            d.problem,
                            d.help
                                .as_ref()
                                .map_or_else(String::new, |h| format!(" — {h}"))
                        );
                        let colour = if d.is_error() {
                            ui.visuals().error_fg_color
                        } else {
                            ui.visuals().warn_fg_color
                        };
                        if ui
                            .add(
                                egui::Button::new(egui::RichText::new(text).color(colour))
                                    .frame(false),
                            )
                            .clicked()
                        {
                            ed.goto = Some(d.pos);
                        }
                    }
                    if let Some(r) = &ed.explore {
                        ui.separator();
                        ui.label(format!(
                            "{}{}: {} {} ({}), {}/{} injects; {} {}; best {:.0} %, worst {:.0} %",
                            tr(lang, "Verkenning", "Exploration"),
                            if r.cancelled {
                                tr(lang, " (gestopt, onvolledig)", " (stopped, incomplete)")
                            } else {
                                ""
                            },
                            r.paths,
                            tr(lang, "paden", "paths"),
                            match r.mode {
                                explore::Mode::Exact => tr(lang, "exact", "exact"),
                                explore::Mode::Sampled => tr(lang, "steekproef", "sampled"),
                            },
                            r.reached,
                            r.injects,
                            tr(lang, "onbereikbaar:", "unreachable:"),
                            r.unreachable
                                .iter()
                                .map(ToString::to_string)
                                .collect::<Vec<_>>()
                                .join(", "),
                            r.best.as_ref().map_or(0.0, |p| p.share * 100.0),
                            r.worst.as_ref().map_or(0.0, |p| p.share * 100.0),
                        ));
                        if !r.never_satisfied.is_empty() {
                            ui.label(format!(
                                "{} {}",
                                tr(lang, "Nooit voldaan:", "Never satisfied:"),
                                r.never_satisfied
                                    .iter()
                                    .map(ToString::to_string)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ));
                        }
                    }
                });
        });
    egui::Panel::left("editor-forms")
        .resizable(true)
        .default_size(480.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("forms-scroll")
                .show(ui, |ui| forms_ui(ui, ed, lang));
        });
    if ed.pick_attachment.is_some() {
        action = EditorAction::PickAttachment;
    }
    if ed.confirm_leave {
        let modal =
            egui::Modal::new(egui::Id::unique("editor-confirm-leave")).show(ui.ctx(), |ui| {
                ui.set_max_width(420.0);
                ui.heading(tr(lang, "Niet-opgeslagen wijzigingen", "Unsaved changes"));
                ui.label(tr(
                    lang,
                    "Het scenario heeft wijzigingen die niet zijn opgeslagen. Gaan ze verloren?",
                    "The scenario has changes that are not saved. Discard them?",
                ));
                ui.horizontal(|ui| {
                    if ui
                        .button(tr(lang, "Wijzigingen weggooien", "Discard changes"))
                        .clicked()
                    {
                        ed.confirm_leave = false;
                        action = EditorAction::Back;
                    }
                    if ui
                        .button(tr(lang, "Verder bewerken", "Keep editing"))
                        .clicked()
                    {
                        ed.confirm_leave = false;
                    }
                });
            });
        if modal.should_close() {
            ed.confirm_leave = false;
        }
    }
    egui::CentralPanel::default().show(ui, |ui| {
        let id = egui::Id::unique("paraat-ron-text");
        // Not in the frame of the click that asked for the jump: egui hands focus back on a
        // click outside the text, so the text would lose it at once and never show the cursor.
        if ed.goto.is_some()
            && !ui.input(|i| i.pointer.any_click())
            && let Some(pos) = ed.goto.take()
        {
            let idx = char_index(&ed.text, pos);
            let mut state = egui::text_edit::TextEditState::load(ui.ctx(), id).unwrap_or_default();
            state
                .cursor
                .set_char_range(Some(egui::text::CCursorRange::one(
                    egui::text::CCursor::new(idx),
                )));
            state.store(ui.ctx(), id);
            ui.memory_mut(|m| m.request_focus(id));
        }
        egui::ScrollArea::both()
            .id_salt("ron-scroll")
            .show(ui, |ui| {
                let label = ui.label(tr(lang, "RON-tekst", "RON text"));
                ui.horizontal_top(|ui| {
                    // Line numbers beside the text, in the same font and line height, so a
                    // finding's line:col can be found by eye too.
                    let lines =
                        ed.text.lines().count().max(1) + usize::from(ed.text.ends_with('\n'));
                    let numbers: String = (1..=lines.max(40))
                        .map(|n| {
                            if n <= lines {
                                format!("{n:>5}\n")
                            } else {
                                "\n".to_owned()
                            }
                        })
                        .collect();
                    ui.vertical(|ui| {
                        // The text edit's inner margin, so the first number sits on line 1.
                        ui.add_space(ui.spacing().button_padding.y.max(2.0));
                        ui.add(
                            egui::Label::new(
                                egui::RichText::new(numbers.trim_end_matches('\n'))
                                    .monospace()
                                    .weak(),
                            )
                            .selectable(false),
                        );
                    });
                    // No wrapping: one row per line, so the numbers beside it stay true.
                    let mut layouter = |ui: &egui::Ui, buf: &dyn egui::TextBuffer, _wrap: f32| {
                        let font = egui::TextStyle::Monospace.resolve(ui.style());
                        let job = egui::text::LayoutJob::simple(
                            buf.as_str().to_owned(),
                            font,
                            ui.visuals().text_color(),
                            f32::INFINITY,
                        );
                        ui.fonts_mut(|f| f.layout_job(job))
                    };
                    let resp = ui
                        .add(
                            egui::TextEdit::multiline(&mut ed.text)
                                .id(id)
                                .code_editor()
                                .layouter(&mut layouter)
                                .desired_width(f32::INFINITY)
                                .desired_rows(40),
                        )
                        .labelled_by(label.id);
                    if resp.changed() {
                        // The forms' RON fields show the model again, not what they held.
                        ed.ron_fields.clear();
                        ed.check();
                    }
                });
            });
    });
    action
}
