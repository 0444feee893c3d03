//! The scenario editor: forms for the scenario and its injects, decisions and choices beside
//! the RON text, live validation with every finding clickable to its line and column, atomic
//! saves with a backup, reloading when the file changes on disk, exploration, and play in one
//! click.

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
use crate::model::{
    Channel, Choice, Cond, Decision, Effect, Inject, Lang, Plan, RoleId, Scenario, Text,
};

/// The template a new scenario starts from.
pub const TEMPLATE: &str = r#"// New scenario — Paraat. Format: scenarios/README.md
Scenario(
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
    /// The last text that parsed, as a scenario.
    pub parsed: Option<Scenario>,
    /// The plan scenarios are checked against.
    pub plan: Arc<Loaded<Plan>>,
    /// The inject open in the form.
    pub selected: Option<usize>,
    /// Where to put the cursor next frame.
    pub goto: Option<Pos>,
    /// The last exploration report.
    pub explore: Option<explore::Report>,
    /// RON fields being edited in the forms (conditions, effects), by field key, with the
    /// text typed so far and its parse error; cleared when another inject is selected.
    pub ron_fields: std::collections::BTreeMap<String, (String, Option<String>)>,
    /// Whether leaving with unsaved changes waits for the author's answer.
    pub confirm_leave: bool,
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
            ron_fields: std::collections::BTreeMap::new(),
            confirm_leave: false,
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
        let path = self.display_path();
        let ids = std::iter::once(self.plan.value.id.as_str()).collect();
        match load::parse_scenario(&path, self.text.clone()) {
            Ok(s) => {
                let plan = (s.value.plan == self.plan.value.id).then_some(&self.plan.value);
                self.diagnostics = validate::validate_scenario(&s, plan, &ids);
                self.parsed = Some(s.value);
            }
            Err(d) => self.diagnostics = vec![d],
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
        self.check();
        Ok(true)
    }

    /// Rewrites the text from the parsed scenario after a form edit.
    fn rewrite_from_form(&mut self, s: &Scenario) {
        self.text =
            crate::msel::to_ron(s).replacen("(imported from a MSEL)", "(edited in Paraat)", 1);
        self.check();
    }

    /// The exercise to play, if the text validates without errors.
    pub fn exercise(&self) -> Option<Exercise> {
        if self.diagnostics.iter().any(Diagnostic::is_error) {
            return None;
        }
        let s = load::parse_scenario(&self.display_path(), self.text.clone()).ok()?;
        Some(Exercise {
            scenario: Arc::new(s),
            plan: Arc::clone(&self.plan),
        })
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

/// What the editor asks of the app.
pub enum EditorAction {
    /// Nothing.
    None,
    /// Back to the library.
    Back,
    /// Set up this exercise.
    Play(Exercise),
}

/// Draws the editor.
pub fn editor_ui(
    ui: &mut egui::Ui,
    ed: &mut EditorView,
    lang: Lang,
    status: &mut Option<super::Notice>,
) -> EditorAction {
    let mut action = EditorAction::None;
    // Reload when the file changes on disk (checked about once a second).
    let now = ui.input(|i| i.time);
    if now - ed.last_disk_check > 1.0 {
        ed.last_disk_check = now;
        match ed.reload_if_changed() {
            Ok(true) => {
                *status = Some(super::Notice::info(
                    tr(
                        lang,
                        "Bestand op schijf gewijzigd: opnieuw geladen.",
                        "File changed on disk: reloaded.",
                    )
                    .to_owned(),
                ));
            }
            Ok(false) => {}
            Err(e) => *status = Some(super::Notice::error(e)),
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
                let target = ed.path.clone().or_else(|| {
                    rfd::FileDialog::new()
                        .add_filter("RON", &["ron"])
                        .set_file_name("new-scenario.ron")
                        .save_file()
                });
                if let Some(p) = target {
                    match ed.save_to(&p) {
                        Ok(()) => {
                            *status = Some(super::Notice::info(format!(
                                "{} {}",
                                tr(lang, "Opgeslagen:", "Saved:"),
                                p.display()
                            )));
                        }
                        Err(e) => {
                            *status = Some(super::Notice::error(format!("{}: {e}", p.display())));
                        }
                    }
                }
            }
            if ui.button(tr(lang, "Opslaan als…", "Save as…")).clicked()
                && let Some(p) = rfd::FileDialog::new()
                    .add_filter("RON", &["ron"])
                    .save_file()
            {
                match ed.save_to(&p) {
                    Ok(()) => {
                        *status = Some(super::Notice::info(format!(
                            "{} {}",
                            tr(lang, "Opgeslagen:", "Saved:"),
                            p.display()
                        )));
                    }
                    Err(e) => *status = Some(super::Notice::error(format!("{}: {e}", p.display()))),
                }
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
                    *status = Some(super::Notice::error(e));
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
            if ui
                .add_enabled(
                    ed.parsed.is_some() && !ed.diagnostics.iter().any(Diagnostic::is_error),
                    egui::Button::new(tr(lang, "Paden verkennen", "Explore paths")),
                )
                .clicked()
                && let Some(s) = &ed.parsed
            {
                let ctx = Arc::new(Compiled::new(&ed.plan.value, s));
                ed.explore = Some(explore::explore(&ctx, 1, 2000, &mut |_, _| {}));
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
                            "{}: {} {} ({:?}), {}/{} injects; {} {}; best {:.0} %, worst {:.0} %",
                            tr(lang, "Verkenning", "Exploration"),
                            r.paths,
                            tr(lang, "paden", "paths"),
                            r.mode,
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
                        ed.check();
                    }
                });
            });
    });
    action
}

fn text_field_ui(ui: &mut egui::Ui, label: &str, t: &mut Text) -> bool {
    let mut changed = false;
    ui.horizontal(|ui| {
        let l = ui.label(format!("{label} NL"));
        changed |= ui
            .add(egui::TextEdit::singleline(&mut t.nl).desired_width(330.0))
            .labelled_by(l.id)
            .changed();
    });
    ui.horizontal(|ui| {
        let l = ui.label(format!("{label} EN"));
        changed |= ui
            .add(egui::TextEdit::singleline(&mut t.en).desired_width(330.0))
            .labelled_by(l.id)
            .changed();
    });
    changed
}

fn roles_ui(ui: &mut egui::Ui, id: &str, plan: &Plan, roles: &mut Vec<RoleId>, lang: Lang) -> bool {
    let mut changed = false;
    egui::CollapsingHeader::new(format!("{} ({})", tr(lang, "Rollen", "Roles"), roles.len()))
        .id_salt(id)
        .show(ui, |ui| {
            for r in &plan.roles {
                let mut on = roles.contains(&r.id);
                if ui.checkbox(&mut on, r.name.get(lang)).changed() {
                    changed = true;
                    if on {
                        roles.push(r.id.clone());
                    } else {
                        roles.retain(|x| *x != r.id);
                    }
                }
            }
        });
    changed
}

/// The scenario's own situation variables.
fn vars_ui(ui: &mut egui::Ui, vars: &mut Vec<crate::model::Var>, lang: Lang) -> bool {
    use crate::model::Value;
    let mut changed = false;
    egui::CollapsingHeader::new(format!(
        "{} ({})",
        tr(lang, "Eigen variabelen", "Own variables"),
        vars.len()
    ))
    .id_salt("scenario-vars")
    .show(ui, |ui| {
        let mut remove = None;
        for (n, v) in vars.iter_mut().enumerate() {
            ui.push_id(("var", n), |ui| {
                ui.horizontal(|ui| {
                    let l = ui.label("id");
                    let mut id = v.id.to_string();
                    if ui
                        .add(egui::TextEdit::singleline(&mut id).desired_width(140.0))
                        .labelled_by(l.id)
                        .changed()
                    {
                        v.id = id.as_str().into();
                        changed = true;
                    }
                    match &mut v.init {
                        Value::Int(x) => {
                            let l = ui.label(tr(lang, "begin", "init"));
                            changed |= ui.add(egui::DragValue::new(x)).labelled_by(l.id).changed();
                        }
                        Value::Bool(b) => {
                            changed |= ui.checkbox(b, tr(lang, "begin: ja", "init: yes")).changed();
                        }
                    }
                    changed |= ui
                        .checkbox(&mut v.hidden, tr(lang, "verborgen", "hidden"))
                        .changed();
                    if ui
                        .small_button("✕")
                        .on_hover_text(tr(lang, "Verwijderen", "Remove"))
                        .clicked()
                    {
                        remove = Some(n);
                    }
                });
                changed |= text_field_ui(ui, tr(lang, "Naam", "Label"), &mut v.label);
            });
        }
        if let Some(n) = remove {
            vars.remove(n);
            changed = true;
        }
        ui.horizontal(|ui| {
            for (text, init) in [
                (tr(lang, "+ Getal", "+ Number"), Value::Int(0)),
                (tr(lang, "+ Ja/nee", "+ Yes/no"), Value::Bool(false)),
            ] {
                if ui.button(text).clicked() {
                    vars.push(crate::model::Var {
                        id: format!("var_{}", vars.len() + 1).as_str().into(),
                        label: Text::new("Nieuwe variabele", "New variable"),
                        init,
                        min: None,
                        max: None,
                        hidden: false,
                        levels: Vec::new(),
                    });
                    changed = true;
                }
            }
        });
    });
    changed
}

fn forms_ui(ui: &mut egui::Ui, ed: &mut EditorView, lang: Lang) {
    let Some(mut s) = ed.parsed.clone() else {
        ui.label(tr(
            lang,
            "De tekst is nog geen geldig scenario; herstel eerst de fout hieronder.",
            "The text is not a valid scenario yet; fix the error below first.",
        ));
        return;
    };
    let plan = ed.plan.value.clone();
    let mut changed = false;
    ui.heading(tr(lang, "Scenario", "Scenario"));
    ui.horizontal(|ui| {
        let l = ui.label("id");
        changed |= ui
            .add(egui::TextEdit::singleline(&mut s.id))
            .labelled_by(l.id)
            .changed();
    });
    changed |= text_field_ui(ui, tr(lang, "Titel", "Title"), &mut s.title);
    changed |= text_field_ui(ui, tr(lang, "Samenvatting", "Summary"), &mut s.summary);
    ui.horizontal(|ui| {
        let l = ui.label(tr(lang, "Start (RFC 3339)", "Start (RFC 3339)"));
        changed |= ui
            .add(egui::TextEdit::singleline(&mut s.start))
            .labelled_by(l.id)
            .changed();
    });
    ui.horizontal(|ui| {
        let l = ui.label(tr(lang, "Duur (min)", "Duration (min)"));
        changed |= ui
            .add(egui::DragValue::new(&mut s.duration_min).range(1..=validate::MAX_DURATION_MIN))
            .labelled_by(l.id)
            .changed();
    });
    changed |= roles_ui(ui, "scenario-roles", &plan, &mut s.roles, lang);
    changed |= vars_ui(ui, &mut s.vars, lang);
    ui.separator();
    ui.horizontal(|ui| {
        ui.heading(tr(lang, "Injects", "Injects"));
        if ui.button(tr(lang, "+ Inject", "+ Inject")).clicked() {
            let n = s.injects.len() + 1;
            s.injects.push(Inject {
                id: format!("i-new-{n}").as_str().into(),
                at_min: Some(0),
                delay_min: 0,
                from: None,
                to: s.roles.first().cloned().into_iter().collect(),
                channel: Channel::Phone,
                title: Text::new("Nieuw inject", "New inject"),
                body: Text::default(),
                when: None,
                effects: Vec::new(),
                decisions: Vec::new(),
                expect: Vec::new(),
            });
            ed.selected = Some(s.injects.len() - 1);
            changed = true;
        }
    });
    // The list scrolls on its own so the selected inject's form stays in view below it.
    egui::ScrollArea::vertical()
        .id_salt("inject-list")
        .max_height(260.0)
        .show(ui, |ui| {
            // In time order: scheduled injects by minute, then follow-ups and chances (released
            // by a choice or by luck) by their delay, each in file order among equals.
            let mut order: Vec<usize> = (0..s.injects.len()).collect();
            order.sort_by_key(|&i| {
                let inj = &s.injects[i];
                (inj.at_min.is_none(), inj.at_min.unwrap_or(inj.delay_min), i)
            });
            for i in order {
                let inj = &s.injects[i];
                let when = inj
                    .at_min
                    .map_or_else(|| format!("+{}", inj.delay_min), |m| format!("{m} min"));
                if ui
                    .selectable_label(
                        ed.selected == Some(i),
                        format!("{when:>7}  {}  ({})", inj.title.get(lang), inj.id),
                    )
                    .clicked()
                {
                    ed.selected = Some(i);
                    ed.ron_fields.clear();
                    // Show the inject in the text as well.
                    let loc = crate::model::locate::Locator::new(&ed.text);
                    ed.goto = loc.id_pos(loc.all(), "Inject", inj.id.as_str(), 0);
                }
            }
        });
    if let Some(i) = ed.selected.filter(|&i| i < s.injects.len()) {
        ui.separator();
        changed |= inject_form_ui(ui, ed, &plan, &mut s, i, lang);
    }
    if changed {
        ed.rewrite_from_form(&s);
    }
}

fn ron_field_ui<T: serde::de::DeserializeOwned + serde::Serialize>(
    ui: &mut egui::Ui,
    label: &str,
    fields: &mut std::collections::BTreeMap<String, (String, Option<String>)>,
    key: &str,
    current: &T,
    apply: &mut dyn FnMut(T),
) -> bool {
    let (text, err) = fields.entry(key.to_owned()).or_insert_with(|| {
        let text = ron::ser::to_string_pretty(
            current,
            ron::ser::PrettyConfig::default()
                .struct_names(true)
                .new_line(" ")
                .indentor(""),
        )
        .unwrap_or_default();
        (text, None)
    });
    let l = ui.label(label);
    let changed = ui
        .add(
            egui::TextEdit::multiline(text)
                .code_editor()
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id)
        .changed();
    if changed {
        match ron::from_str::<T>(text) {
            Ok(v) => {
                *err = None;
                apply(v);
                return true;
            }
            Err(e) => *err = Some(format!("{}: {}", e.span.start, e.code)),
        }
    }
    if let Some(e) = err {
        ui.colored_label(ui.visuals().error_fg_color, e.as_str());
    }
    false
}

/// A comma-separated list of ids as a text field; returns the new list when edited.
fn id_list_ui(ui: &mut egui::Ui, label: &str, ids: &[String]) -> Option<Vec<String>> {
    let mut text = ids.join(", ");
    let mut out = None;
    ui.horizontal(|ui| {
        let l = ui.label(label);
        if ui
            .add(egui::TextEdit::singleline(&mut text).desired_width(300.0))
            .labelled_by(l.id)
            .changed()
        {
            out = Some(
                text.split(',')
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(str::to_owned)
                    .collect(),
            );
        }
    });
    out
}

fn inject_form_ui(
    ui: &mut egui::Ui,
    ed: &mut EditorView,
    plan: &Plan,
    s: &mut Scenario,
    i: usize,
    lang: Lang,
) -> bool {
    let mut changed = false;
    let roles_in_play = s.roles.clone();
    let inj = &mut s.injects[i];
    ui.heading(format!("Inject {}", inj.id));
    ui.horizontal(|ui| {
        let l = ui.label("id");
        let mut id = inj.id.to_string();
        if ui
            .add(egui::TextEdit::singleline(&mut id))
            .labelled_by(l.id)
            .changed()
        {
            inj.id = id.as_str().into();
            changed = true;
        }
    });
    ui.horizontal(|ui| {
        let mut scheduled = inj.at_min.is_some();
        if ui
            .checkbox(
                &mut scheduled,
                tr(lang, "Gepland op minuut", "Scheduled at minute"),
            )
            .changed()
        {
            inj.at_min = scheduled.then_some(0);
            changed = true;
        }
        if let Some(m) = inj.at_min.as_mut() {
            let l = ui.label("at_min");
            changed |= ui
                .add(egui::DragValue::new(m).range(0..=s.duration_min))
                .labelled_by(l.id)
                .changed();
        } else {
            let l = ui.label("delay_min");
            changed |= ui
                .add(egui::DragValue::new(&mut inj.delay_min).range(0..=600))
                .labelled_by(l.id)
                .changed();
        }
    });
    egui::ComboBox::new(("channel", i), tr(lang, "Kanaal", "Channel"))
        .selected_text(inj.channel.label(lang))
        .show_ui(ui, |ui| {
            for c in Channel::ALL {
                changed |= ui
                    .selectable_value(&mut inj.channel, c, c.label(lang))
                    .changed();
            }
        });
    ui.label(tr(lang, "Aan:", "To:"));
    ui.horizontal_wrapped(|ui| {
        for r in &roles_in_play {
            let mut on = inj.to.contains(r);
            let name = plan
                .role(r.as_str())
                .map_or(r.as_str(), |x| x.name.get(lang));
            if ui.checkbox(&mut on, name).changed() {
                changed = true;
                if on {
                    inj.to.push(r.clone());
                } else {
                    inj.to.retain(|x| x != r);
                }
            }
        }
    });
    changed |= text_field_ui(ui, tr(lang, "Titel", "Title"), &mut inj.title);
    changed |= text_field_ui(ui, tr(lang, "Tekst", "Body"), &mut inj.body);
    let when = inj.when.clone().unwrap_or(Cond::Always);
    let mut new_when = None;
    if ron_field_ui(
        ui,
        tr(lang, "Voorwaarde (when, RON)", "Condition (when, RON)"),
        &mut ed.ron_fields,
        &format!("when/{i}"),
        &when,
        &mut |c: Cond| new_when = Some(c),
    ) {
        inj.when = new_when.and_then(|c| (c != Cond::Always).then_some(c));
        changed = true;
    }
    let effects = inj.effects.clone();
    let mut new_effects = None;
    if ron_field_ui(
        ui,
        tr(lang, "Effecten (RON)", "Effects (RON)"),
        &mut ed.ron_fields,
        &format!("effects/{i}"),
        &effects,
        &mut |v: Vec<Effect>| new_effects = Some(v),
    ) {
        inj.effects = new_effects.unwrap_or_default();
        changed = true;
    }
    ui.separator();
    ui.horizontal(|ui| {
        ui.strong(tr(lang, "Besluiten", "Decisions"));
        if ui.button(tr(lang, "+ Besluit", "+ Decision")).clicked() {
            inj.decisions.push(Decision {
                id: format!("d-{}-{}", inj.id, inj.decisions.len() + 1)
                    .as_str()
                    .into(),
                role: roles_in_play
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "burgemeester".into()),
                prompt: Text::new("Wat doet u?", "What do you do?"),
                due_min: 10,
                options: vec![
                    Choice {
                        id: "a".into(),
                        label: Text::new("Optie A", "Option A"),
                        actions: Vec::new(),
                        effects: Vec::new(),
                        then: Vec::new(),
                        violates: Vec::new(),
                        debrief: None,
                    },
                    Choice {
                        id: "b".into(),
                        label: Text::new("Optie B", "Option B"),
                        actions: Vec::new(),
                        effects: Vec::new(),
                        then: Vec::new(),
                        violates: Vec::new(),
                        debrief: None,
                    },
                ],
                default: Some("b".into()),
            });
            changed = true;
        }
    });
    for (k, d) in inj.decisions.iter_mut().enumerate() {
        egui::CollapsingHeader::new(format!("{} — {}", d.id, d.prompt.get(lang)))
            .id_salt(("dec", i, k))
            .show(ui, |ui| {
                changed |= text_field_ui(ui, tr(lang, "Vraag", "Prompt"), &mut d.prompt);
                egui::ComboBox::new(("dec-role", i, k), tr(lang, "Rol", "Role"))
                    .selected_text(d.role.as_str())
                    .show_ui(ui, |ui| {
                        for r in &roles_in_play {
                            changed |= ui
                                .selectable_value(&mut d.role, r.clone(), r.as_str())
                                .changed();
                        }
                    });
                ui.horizontal(|ui| {
                    let l = ui.label("due_min");
                    changed |= ui
                        .add(egui::DragValue::new(&mut d.due_min).range(1..=600))
                        .labelled_by(l.id)
                        .changed();
                });
                for (m, c) in d.options.iter_mut().enumerate() {
                    ui.push_id(("choice", m), |ui| {
                        ui.label(format!("{} {}", tr(lang, "Keuze", "Choice"), c.id));
                        changed |= text_field_ui(ui, tr(lang, "Label", "Label"), &mut c.label);
                        egui::CollapsingHeader::new(format!(
                            "{} ({})",
                            tr(lang, "Planacties", "Plan actions"),
                            c.actions.len()
                        ))
                        .id_salt(("acts", m))
                        .show(ui, |ui| {
                            for a in &plan.actions {
                                let mut on = c.actions.contains(&a.id);
                                if ui.checkbox(&mut on, a.label.get(lang)).changed() {
                                    changed = true;
                                    if on {
                                        c.actions.push(a.id.clone());
                                    } else {
                                        c.actions.retain(|x| *x != a.id);
                                    }
                                }
                            }
                        });
                        let effects = c.effects.clone();
                        let mut new_effects = None;
                        if ron_field_ui(
                            ui,
                            tr(lang, "Effecten (RON)", "Effects (RON)"),
                            &mut ed.ron_fields,
                            &format!("choice-effects/{i}/{k}/{m}"),
                            &effects,
                            &mut |v: Vec<Effect>| new_effects = Some(v),
                        ) {
                            c.effects = new_effects.take().unwrap_or_default();
                            changed = true;
                        }
                        let then: Vec<String> = c.then.iter().map(ToString::to_string).collect();
                        if let Some(v) = id_list_ui(
                            ui,
                            tr(lang, "Vervolginjects (then)", "Follow-up injects (then)"),
                            &then,
                        ) {
                            c.then = v.iter().map(|x| x.as_str().into()).collect();
                            changed = true;
                        }
                        let violates: Vec<String> =
                            c.violates.iter().map(ToString::to_string).collect();
                        if let Some(v) = id_list_ui(
                            ui,
                            tr(lang, "Gaat in tegen (procedures)", "Violates (procedures)"),
                            &violates,
                        ) {
                            c.violates = v.iter().map(|x| x.as_str().into()).collect();
                            changed = true;
                        }
                    });
                }
                if ui.button(tr(lang, "+ Keuze", "+ Choice")).clicked() {
                    let n = d.options.len() + 1;
                    d.options.push(Choice {
                        id: format!("c{n}").as_str().into(),
                        label: Text::new(format!("Optie {n}"), format!("Option {n}")),
                        actions: Vec::new(),
                        effects: Vec::new(),
                        then: Vec::new(),
                        violates: Vec::new(),
                        debrief: None,
                    });
                    changed = true;
                }
            });
    }
    if ui
        .button(tr(lang, "Inject verwijderen", "Delete inject"))
        .clicked()
    {
        s.injects.remove(i);
        ed.selected = None;
        changed = true;
    }
    changed
}
