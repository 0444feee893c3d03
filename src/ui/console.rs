//! The exercise screen: the facilitator console, the role desks, the projector and the hot wash.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::engine::{
    Command, DecisionStatus, EventKind, InjectStatus, Rating, SPEEDS, SimTime, Status, fmt_elapsed,
};
use crate::i18n::tr;
use crate::journal::{Body, Session};
use crate::model::{Channel, ChoiceId, Lang, ObjectiveId, RoleId, Value};
use crate::report::{self, Aar, Format};
use crate::scoring::{self, Scorecard};

/// Which view of the exercise is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Exercise control.
    Console,
    /// The roles' desks.
    Desks,
    /// What the room sees (also shown in its own window).
    Projector,
    /// Debrief after the end.
    HotWash,
    /// The after-action review of the journal so far.
    Review,
}

/// Sub-views of the console's centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsoleTab {
    /// Record plan actions.
    Actions,
    /// Observations.
    Observations,
    /// Ad-hoc injects.
    AdHoc,
    /// The journal feed.
    Journal,
    /// The live scorecard.
    Score,
}

/// Which injects the MSEL lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MselFilter {
    /// All.
    All,
    /// Not released yet.
    Upcoming,
    /// Released.
    Released,
    /// Held or waiting on a condition.
    HeldOrWaiting,
}

/// A decision being drafted at a desk.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// The selected choice.
    pub choice: Option<ChoiceId>,
    /// The rationale typed so far.
    pub rationale: String,
}

/// Everything the exercise screen keeps between frames.
pub struct ExerciseView {
    /// The journaled session.
    pub session: Session,
    /// The view shown.
    pub tab: Tab,
    /// The console's centre view.
    pub console_tab: ConsoleTab,
    /// The desk shown.
    pub desk_role: Option<RoleId>,
    /// Decision drafts per decision id.
    pub drafts: BTreeMap<String, Draft>,
    /// The MSEL filter.
    pub msel_filter: MselFilter,
    /// Target minute for "set time".
    pub set_time_min: u32,
    /// Retime targets per inject, in minutes.
    pub retime_min: BTreeMap<String, u32>,
    /// Ad-hoc inject form: recipients, channel, title, body.
    pub adhoc: (Vec<RoleId>, Channel, String, String),
    /// Action palette: the role acting, and a note.
    pub action_role: Option<RoleId>,
    /// Action palette note.
    pub action_note: String,
    /// Observation form.
    pub obs_text: String,
    /// Observation: the role it concerns.
    pub obs_role: Option<RoleId>,
    /// Observation: rating.
    pub obs_rating: Option<Rating>,
    /// Observation: objective it rates.
    pub obs_objective: Option<ObjectiveId>,
    /// Journal feed filter text.
    pub journal_filter: String,
    /// Whether the projector window is open.
    pub projector_open: bool,
    /// A message shown once (e.g. about a torn journal on resume).
    pub notice: Option<String>,
    /// Reports written, for the hot wash.
    pub written: Vec<String>,
    /// The review tab's state.
    pub review: super::review::ReviewState,
    score_cache: Option<(usize, Scorecard)>,
    /// The journal feed's lines, newest first, for (entries, filter, language).
    feed_cache: Option<((usize, String, Lang), Vec<String>)>,
}

impl ExerciseView {
    /// A view on a session; an ended session opens on the hot wash.
    pub fn new(session: Session) -> Self {
        let ended = session.sim.state.status == Status::Ended;
        let desk_role = session.sim.ctx.scenario.roles.first().cloned();
        let review = super::review::ReviewState::new(session.path());
        Self {
            session,
            tab: if ended { Tab::HotWash } else { Tab::Console },
            console_tab: ConsoleTab::Actions,
            desk_role,
            drafts: BTreeMap::new(),
            msel_filter: MselFilter::All,
            set_time_min: 0,
            retime_min: BTreeMap::new(),
            adhoc: (Vec::new(), Channel::Phone, String::new(), String::new()),
            action_role: None,
            action_note: String::new(),
            obs_text: String::new(),
            obs_role: None,
            obs_rating: None,
            obs_objective: None,
            journal_filter: String::new(),
            projector_open: false,
            notice: None,
            written: Vec::new(),
            review,
            score_cache: None,
            feed_cache: None,
        }
    }

    /// The live scorecard, recomputed only when the journal grew.
    pub fn scorecard(&mut self) -> &Scorecard {
        let n = self.session.entries.len();
        if self.score_cache.as_ref().is_none_or(|(m, _)| *m != n) {
            let card = scoring::score_compiled(
                &self.session.sim.ctx,
                &self.session.header,
                &self.session.entries,
            );
            self.score_cache = Some((n, card));
        }
        &self.score_cache.as_ref().expect("just computed").1
    }

    fn role_name(&self, id: &str, lang: Lang) -> String {
        self.session
            .sim
            .ctx
            .plan
            .role(id)
            .map_or_else(|| id.to_owned(), |r| r.name.get(lang).to_owned())
    }

    /// Applies commands through the journaled session, in order, stopping at the first error.
    /// A form is cleared only once its command is on disk, so a refused command or a failed
    /// write keeps what the facilitator typed.
    pub fn apply_all(&mut self, commands: Vec<Command>) -> Result<(), String> {
        for c in commands {
            self.session.apply(c.clone()).map_err(|e| e.to_string())?;
            match c {
                Command::Observe { .. } => {
                    self.obs_text.clear();
                    self.obs_objective = None;
                }
                Command::AdHocInject { .. } => {
                    self.adhoc.0.clear();
                    self.adhoc.2.clear();
                    self.adhoc.3.clear();
                }
                Command::TakeAction { .. } => self.action_note.clear(),
                Command::Decide { decision, .. } => {
                    self.drafts.remove(decision.as_str());
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// The simulated date and time.
fn sim_clock(view: &ExerciseView) -> String {
    let start = chrono::DateTime::parse_from_rfc3339(&view.session.sim.ctx.scenario.start).ok();
    let now = view.session.sim.state.now;
    start.map_or_else(
        || fmt_elapsed(now),
        |s| {
            (s + chrono::Duration::seconds(now as i64))
                .format("%d-%m-%Y %H:%M:%S")
                .to_string()
        },
    )
}

fn status_label(s: Status, lang: Lang) -> &'static str {
    match s {
        Status::Setup => tr(lang, "Nog niet gestart", "Not started"),
        Status::Running => tr(lang, "Loopt", "Running"),
        Status::Paused => tr(lang, "Gepauzeerd", "Paused"),
        Status::Ended => tr(lang, "Beëindigd", "Ended"),
    }
}

/// Draws the exercise screen; returns true to go back to the library.
pub(super) fn exercise_ui(
    ui: &mut egui::Ui,
    view: &mut ExerciseView,
    lang: Lang,
    native_projector: bool,
    status: &mut Option<(String, bool)>,
) -> bool {
    let mut back = false;
    // Time passes only while the clock runs; a long stall (a dragged window, a sleeping laptop)
    // moves at most a quarter second, so nothing fires in a burst.
    if view.session.sim.state.status == Status::Running {
        let dt = ui.input(|i| i.unstable_dt).clamp(0.0, 0.25);
        if let Err(e) = view.session.advance(Duration::from_secs_f32(dt)) {
            // Stop the clock so nothing more happens unrecorded; say so if even that fails.
            let pause = view.session.apply(Command::Pause).err();
            *status = Some((
                match pause {
                    Some(p) => format!("{e}; {p}"),
                    None => e.to_string(),
                },
                true,
            ));
        }
        ui.ctx().request_repaint_after(super::TICK);
    }
    let mut commands: Vec<Command> = Vec::new();
    shortcuts(ui, view, &mut commands);

    egui::Panel::top("exercise-top").show(ui, |ui| {
        back = top_bar_ui(ui, view, lang, &mut commands);
    });
    if let Some(n) = view.notice.take() {
        *status = Some((n, false));
    }
    match view.tab {
        Tab::Console => console_ui(ui, view, lang, &mut commands),
        Tab::Desks => desks_ui(ui, view, lang, &mut commands),
        Tab::Projector => {
            egui::CentralPanel::default().show(ui, |ui| projector_ui(ui, view, lang));
        }
        Tab::HotWash => hot_wash_ui(ui, view, lang, status),
        Tab::Review => {
            egui::CentralPanel::default().show(ui, |ui| {
                let ctx = view.session.sim.ctx.clone();
                let path = view.session.path().to_owned();
                super::review::review_ui(
                    ui,
                    &mut view.review,
                    &ctx,
                    &view.session.exercise,
                    &view.session.header,
                    &view.session.entries,
                    &path,
                    lang,
                    status,
                );
            });
        }
    }
    if view.projector_open && native_projector {
        let mut open = true;
        let ctx = ui.ctx().clone();
        ctx.show_viewport_immediate(
            egui::ViewportId::from_hash_of("paraat-projector"),
            egui::ViewportBuilder::default()
                .with_title(format!("Paraat — {}", tr(lang, "projector", "projector")))
                .with_inner_size([1280.0, 800.0]),
            |ui, _class| {
                egui::CentralPanel::default().show(ui, |ui| projector_ui(ui, view, lang));
                if ui.input(|i| i.viewport().close_requested()) {
                    open = false;
                }
            },
        );
        view.projector_open = open;
    }
    let was_ended = view.session.sim.state.status == Status::Ended;
    if !commands.is_empty() {
        match view.apply_all(commands) {
            Ok(()) => {}
            Err(e) => *status = Some((e, true)),
        }
    }
    if !was_ended && view.session.sim.state.status == Status::Ended {
        view.tab = Tab::HotWash;
    }
    back
}

fn shortcuts(ui: &egui::Ui, view: &ExerciseView, commands: &mut Vec<Command>) {
    if ui.ctx().egui_wants_keyboard_input() {
        return;
    }
    let st = view.session.sim.state.status;
    ui.input(|i| {
        if i.key_pressed(egui::Key::Space) {
            commands.push(match st {
                Status::Setup => Command::Start,
                Status::Running => Command::Pause,
                Status::Paused | Status::Ended => Command::Resume,
            });
        }
        if i.key_pressed(egui::Key::N) {
            commands.push(Command::JumpToNextInject);
        }
        let keys = [
            egui::Key::Num1,
            egui::Key::Num2,
            egui::Key::Num3,
            egui::Key::Num4,
            egui::Key::Num5,
            egui::Key::Num6,
        ];
        for (k, s) in keys.iter().zip(SPEEDS) {
            if i.key_pressed(*k) {
                commands.push(Command::SetSpeed { speed: s });
            }
        }
    });
}

fn top_bar_ui(
    ui: &mut egui::Ui,
    view: &mut ExerciseView,
    lang: Lang,
    commands: &mut Vec<Command>,
) -> bool {
    let mut back = false;
    let st = view.session.sim.state.status;
    let ctx = view.session.sim.ctx.clone();
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        if ui
            .button(tr(lang, "◀ Bibliotheek", "◀ Library"))
            .on_hover_text(tr(
                lang,
                "Het logboek blijft bewaard; de oefening kan later worden hervat.",
                "The journal is kept; the exercise can be resumed later.",
            ))
            .clicked()
        {
            if st == Status::Running {
                commands.push(Command::Pause);
            }
            back = true;
        }
        ui.separator();
        ui.label(egui::RichText::new(ctx.scenario.title.get(lang)).strong());
        ui.separator();
        ui.label(egui::RichText::new(sim_clock(view)).monospace().size(20.0));
        ui.label(
            egui::RichText::new(format!(
                "T+{} / {}",
                fmt_elapsed(view.session.sim.state.now),
                fmt_elapsed(view.session.sim.end_time())
            ))
            .monospace(),
        );
        ui.label(status_label(st, lang));
    });
    ui.horizontal_wrapped(|ui| {
        match st {
            Status::Setup => {
                if ui.button(tr(lang, "▶ Start", "▶ Start")).clicked() {
                    commands.push(Command::Start);
                }
            }
            Status::Running => {
                if ui.button(tr(lang, "❚❚ Pauze", "❚❚ Pause")).clicked() {
                    commands.push(Command::Pause);
                }
            }
            Status::Paused => {
                if ui.button(tr(lang, "▶ Hervatten", "▶ Resume")).clicked() {
                    commands.push(Command::Resume);
                }
            }
            Status::Ended => {}
        }
        ui.label(tr(lang, "Snelheid:", "Speed:"));
        for s in SPEEDS {
            if ui
                .selectable_label(view.session.sim.state.speed == s, format!("×{s}"))
                .clicked()
                && st != Status::Ended
            {
                commands.push(Command::SetSpeed { speed: s });
            }
        }
        ui.separator();
        let started = matches!(st, Status::Running | Status::Paused);
        if ui
            .add_enabled(
                started,
                egui::Button::new(tr(lang, "▶▶ Volgende inject", "▶▶ Next inject")),
            )
            .clicked()
        {
            commands.push(Command::JumpToNextInject);
        }
        let label = ui.label(tr(lang, "Tijd (min):", "Time (min):"));
        let max = ctx.scenario.duration_min;
        ui.add(egui::DragValue::new(&mut view.set_time_min).range(0..=max))
            .labelled_by(label.id);
        if ui
            .add_enabled(
                started,
                egui::Button::new(tr(lang, "Tijd zetten", "Set time")),
            )
            .clicked()
        {
            commands.push(Command::AdvanceTo {
                t: u64::from(view.set_time_min) * 60,
            });
        }
        ui.separator();
        if ui
            .add_enabled(
                st != Status::Ended,
                egui::Button::new(tr(lang, "■ Beëindigen", "■ End exercise")),
            )
            .clicked()
        {
            commands.push(Command::End);
        }
    });
    ui.horizontal(|ui| {
        for (tab, nl, en) in [
            (Tab::Console, "Facilitator", "Facilitator"),
            (Tab::Desks, "Rolbureaus", "Role desks"),
            (Tab::Projector, "Projectorbeeld", "Projector view"),
            (Tab::HotWash, "Hot wash", "Hot wash"),
            (Tab::Review, "Evaluatie", "Review"),
        ] {
            let enabled = tab != Tab::HotWash || st == Status::Ended;
            if ui
                .add_enabled(
                    enabled,
                    egui::Button::selectable(view.tab == tab, tr(lang, nl, en)),
                )
                .clicked()
            {
                view.tab = tab;
            }
        }
        ui.separator();
        ui.checkbox(
            &mut view.projector_open,
            tr(lang, "Projectorvenster", "Projector window"),
        );
    });
    ui.add_space(2.0);
    back
}

fn inject_status_text(s: crate::engine::InjectState, lang: Lang) -> String {
    match s.status {
        InjectStatus::Released(t) => format!("{} {}", tr(lang, "uit", "out"), fmt_elapsed(t)),
        InjectStatus::Held => tr(lang, "vastgehouden", "held").to_owned(),
        InjectStatus::Waiting => tr(lang, "wacht op voorwaarde", "waiting on condition").to_owned(),
        InjectStatus::Pending => match s.at {
            Some(t) => format!("{} {}", tr(lang, "gepland", "due"), fmt_elapsed(t)),
            None => tr(lang, "vervolg / toeval", "follow-up / chance").to_owned(),
        },
    }
}

fn msel_ui(ui: &mut egui::Ui, view: &mut ExerciseView, lang: Lang, commands: &mut Vec<Command>) {
    ui.heading(tr(lang, "Draaiboek (MSEL)", "Scenario events (MSEL)"));
    super::tab_bar_ui(
        ui,
        &mut view.msel_filter,
        &[
            (MselFilter::All, "Alle", "All"),
            (MselFilter::Upcoming, "Komend", "Upcoming"),
            (MselFilter::Released, "Uitgegeven", "Released"),
            (MselFilter::HeldOrWaiting, "Vast/wacht", "Held/waiting"),
        ],
        lang,
    );
    let ctx = view.session.sim.ctx.clone();
    let states = view.session.sim.state.injects.clone();
    let mut shown: Vec<usize> = (0..ctx.scenario.injects.len())
        .filter(|&i| {
            matches!(
                (view.msel_filter, states[i].status),
                (MselFilter::All, _)
                    | (MselFilter::Upcoming, InjectStatus::Pending)
                    | (MselFilter::Released, InjectStatus::Released(_))
                    | (
                        MselFilter::HeldOrWaiting,
                        InjectStatus::Held | InjectStatus::Waiting
                    )
            )
        })
        .collect();
    // In time order: released by release time, the rest by scheduled time; follow-ups last.
    shown.sort_by_key(|&i| {
        let t = match states[i].status {
            InjectStatus::Released(t) => t,
            _ => states[i].at.unwrap_or(u64::MAX),
        };
        (t, i)
    });
    let ended = view.session.sim.state.status == Status::Ended;
    let row_h = ui.spacing().interact_size.y * 2.0 + ui.spacing().item_spacing.y * 2.0;
    egui::ScrollArea::vertical()
        .id_salt("msel")
        .auto_shrink([false, false])
        .show_rows(ui, row_h, shown.len(), |ui, range| {
            for &i in &shown[range] {
                let inject = &ctx.scenario.injects[i];
                let s = states[i];
                ui.push_id(i, |ui| {
                    ui.horizontal(|ui| {
                        ui.monospace(format!("{:<18}", inject_status_text(s, lang)));
                        ui.label(inject.title.get(lang))
                            .on_hover_text(inject.body.get(lang));
                    });
                    ui.horizontal(|ui| {
                        let released = matches!(s.status, InjectStatus::Released(_));
                        if ui
                            .add_enabled(
                                !released && !ended,
                                egui::Button::new(tr(lang, "Nu uitgeven", "Release now")).small(),
                            )
                            .clicked()
                        {
                            commands.push(Command::ReleaseNow {
                                inject: inject.id.clone(),
                            });
                        }
                        if ui
                            .add_enabled(
                                !released && !ended && s.status != InjectStatus::Held,
                                egui::Button::new(tr(lang, "Vasthouden", "Hold")).small(),
                            )
                            .clicked()
                        {
                            commands.push(Command::Hold {
                                inject: inject.id.clone(),
                            });
                        }
                        let default =
                            s.at.map_or(view.session.sim.state.now / 60, |t| t / 60) as u32;
                        let m = view
                            .retime_min
                            .entry(inject.id.to_string())
                            .or_insert(default);
                        let label = ui.label(tr(lang, "min", "min"));
                        ui.add_enabled(
                            !released && !ended,
                            egui::DragValue::new(m).range(0..=ctx.scenario.duration_min),
                        )
                        .labelled_by(label.id);
                        let target = u64::from(*m) * 60;
                        if ui
                            .add_enabled(
                                !released && !ended,
                                egui::Button::new(tr(lang, "Verzetten", "Retime")).small(),
                            )
                            .clicked()
                        {
                            commands.push(Command::Retime {
                                inject: inject.id.clone(),
                                at: target,
                            });
                        }
                    });
                });
            }
        });
}

fn situation_ui(ui: &mut egui::Ui, view: &ExerciseView, lang: Lang, include_hidden: bool) {
    situation_grid_ui(
        ui,
        &view.session.sim.ctx,
        &view.session.sim.state.vars,
        lang,
        include_hidden,
    );
}

/// The situation picture for some variable values: label and value (levels by name), hidden
/// variables only when asked for (never on the projector or the desks).
pub(super) fn situation_grid_ui(
    ui: &mut egui::Ui,
    ctx: &crate::engine::Compiled,
    vars: &[Value],
    lang: Lang,
    include_hidden: bool,
) {
    egui::Grid::new(ui.scope_id().with("situation"))
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for (i, id) in ctx.var_ids.iter().enumerate() {
                if ctx.var_hidden[i] && !include_hidden {
                    continue;
                }
                let decl = ctx
                    .plan
                    .vars
                    .iter()
                    .chain(&ctx.scenario.vars)
                    .find(|v| v.id == *id);
                let label = decl.map_or(id.as_str(), |d| d.label.get(lang));
                let value = vars[i];
                let shown = match value {
                    Value::Int(n) => decl
                        .and_then(|d| d.level_label(n, lang))
                        .map_or_else(|| n.to_string(), ToOwned::to_owned),
                    Value::Bool(b) => if b {
                        tr(lang, "ja", "yes")
                    } else {
                        tr(lang, "nee", "no")
                    }
                    .to_owned(),
                };
                ui.label(label);
                ui.strong(shown);
                ui.end_row();
            }
        });
}

fn console_ui(ui: &mut egui::Ui, view: &mut ExerciseView, lang: Lang, commands: &mut Vec<Command>) {
    egui::Panel::left("msel-panel")
        .resizable(true)
        .default_size(430.0)
        .show(ui, |ui| {
            msel_ui(ui, view, lang, commands);
        });
    egui::Panel::right("situation-panel")
        .resizable(true)
        .default_size(320.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("situation-scroll")
                .show(ui, |ui| {
                    ui.heading(tr(lang, "Situatiebeeld", "Situation picture"));
                    situation_ui(ui, view, lang, true);
                    ui.separator();
                    ui.heading(tr(
                        lang,
                        "Live score (alleen facilitator)",
                        "Live score (facilitator only)",
                    ));
                    let card = view.scorecard().clone();
                    ui.label(format!(
                        "{}: {} ({:.1} / {:.1})",
                        tr(lang, "Totaal", "Total"),
                        card.total.percent(),
                        card.total.earned,
                        card.total.possible
                    ));
                    egui::Grid::new("live-objectives")
                        .striped(true)
                        .show(ui, |ui| {
                            for o in &card.objectives {
                                ui.label(o.id.as_str()).on_hover_text(o.title.get(lang));
                                ui.label(o.tally.percent());
                                ui.strong(
                                    o.rating()
                                        .map_or_else(|| "—".to_owned(), |r| format!("{r:?}")),
                                );
                                ui.end_row();
                            }
                        });
                });
        });
    egui::CentralPanel::default().show(ui, |ui| {
        super::tab_bar_ui(
            ui,
            &mut view.console_tab,
            &[
                (ConsoleTab::Actions, "Acties", "Actions"),
                (ConsoleTab::Observations, "Waarnemingen", "Observations"),
                (ConsoleTab::AdHoc, "Ad-hoc inject", "Ad-hoc inject"),
                (ConsoleTab::Journal, "Logboek", "Journal"),
                (ConsoleTab::Score, "Scorekaart", "Scorecard"),
            ],
            lang,
        );
        ui.separator();
        match view.console_tab {
            ConsoleTab::Actions => actions_ui(ui, view, lang, commands),
            ConsoleTab::Observations => observations_ui(ui, view, lang, commands),
            ConsoleTab::AdHoc => adhoc_ui(ui, view, lang, commands),
            ConsoleTab::Journal => journal_ui(ui, view, lang),
            ConsoleTab::Score => {
                let card = view.scorecard().clone();
                egui::ScrollArea::vertical()
                    .id_salt("score-scroll")
                    .show(ui, |ui| scorecard_ui(ui, &card, lang));
            }
        }
    });
}

fn role_combo_ui(
    ui: &mut egui::Ui,
    id: &str,
    label: &str,
    roles: &[(RoleId, String)],
    value: &mut Option<RoleId>,
    allow_none: Option<&str>,
) {
    let selected = value
        .as_ref()
        .and_then(|v| roles.iter().find(|(r, _)| r == v))
        .map_or_else(|| allow_none.unwrap_or("—").to_owned(), |(_, n)| n.clone());
    egui::ComboBox::new(id, label)
        .selected_text(selected)
        .show_ui(ui, |ui| {
            if let Some(none) = allow_none {
                ui.selectable_value(value, None, none);
            }
            for (r, n) in roles {
                ui.selectable_value(value, Some(r.clone()), n);
            }
        });
}

fn roles_in_play(view: &ExerciseView, lang: Lang) -> Vec<(RoleId, String)> {
    view.session
        .sim
        .ctx
        .scenario
        .roles
        .iter()
        .map(|r| (r.clone(), view.role_name(r.as_str(), lang)))
        .collect()
}

fn actions_ui(ui: &mut egui::Ui, view: &mut ExerciseView, lang: Lang, commands: &mut Vec<Command>) {
    ui.label(tr(
        lang,
        "Leg een planactie vast die het team in de bespreking neemt.",
        "Record a plan action the team takes in discussion.",
    ));
    let roles = roles_in_play(view, lang);
    if view.action_role.is_none() {
        view.action_role = roles.first().map(|r| r.0.clone());
    }
    role_combo_ui(
        ui,
        "action-role",
        tr(lang, "Rol", "Role"),
        &roles,
        &mut view.action_role,
        None,
    );
    ui.horizontal(|ui| {
        let label = ui.label(tr(lang, "Notitie:", "Note:"));
        ui.add(egui::TextEdit::singleline(&mut view.action_note).desired_width(400.0))
            .labelled_by(label.id);
    });
    let Some(role) = view.action_role.clone() else {
        return;
    };
    let started = matches!(
        view.session.sim.state.status,
        Status::Running | Status::Paused
    );
    let plan = view.session.sim.ctx.plan.clone();
    let done = &view.session.sim.state.done;
    egui::ScrollArea::vertical()
        .id_salt("palette")
        .show(ui, |ui| {
            let mine: Vec<_> = plan
                .actions
                .iter()
                .enumerate()
                .filter(|(_, a)| a.roles.contains(&role))
                .collect();
            let others: Vec<_> = plan
                .actions
                .iter()
                .enumerate()
                .filter(|(_, a)| !a.roles.contains(&role))
                .collect();
            ui.strong(tr(lang, "Acties van deze rol", "This role's actions"));
            if mine.is_empty() {
                ui.weak("—");
            }
            for (i, a) in mine {
                let text = format!("{}{}", if done[i] { "✔ " } else { "" }, a.label.get(lang));
                if ui
                    .add_enabled(started, egui::Button::new(text))
                    .on_hover_text(a.id.as_str())
                    .clicked()
                {
                    commands.push(Command::TakeAction {
                        role: role.clone(),
                        action: a.id.clone(),
                        note: view.action_note.clone(),
                    });
                }
            }
            egui::CollapsingHeader::new(tr(lang, "Andere acties", "Other actions"))
                .id_salt("other-actions")
                .show(ui, |ui| {
                    for (i, a) in others {
                        let text =
                            format!("{}{}", if done[i] { "✔ " } else { "" }, a.label.get(lang));
                        if ui
                            .add_enabled(started, egui::Button::new(text))
                            .on_hover_text(a.id.as_str())
                            .clicked()
                        {
                            commands.push(Command::TakeAction {
                                role: role.clone(),
                                action: a.id.clone(),
                                note: view.action_note.clone(),
                            });
                        }
                    }
                });
        });
}

fn observations_ui(
    ui: &mut egui::Ui,
    view: &mut ExerciseView,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    let roles = roles_in_play(view, lang);
    let label = ui.label(tr(lang, "Waarneming:", "Observation:"));
    ui.add(
        egui::TextEdit::multiline(&mut view.obs_text)
            .desired_rows(3)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    role_combo_ui(
        ui,
        "obs-role",
        tr(lang, "Over rol", "About role"),
        &roles,
        &mut view.obs_role,
        Some(tr(lang, "(algemeen)", "(general)")),
    );
    ui.horizontal(|ui| {
        ui.label(tr(lang, "Oordeel:", "Rating:"));
        if ui
            .selectable_label(view.obs_rating.is_none(), "—")
            .clicked()
        {
            view.obs_rating = None;
        }
        for r in Rating::ALL {
            if ui
                .selectable_label(view.obs_rating == Some(r), format!("{r:?}"))
                .on_hover_text(match r {
                    Rating::P => tr(
                        lang,
                        "Uitgevoerd zonder problemen",
                        "Performed without challenges",
                    ),
                    Rating::S => tr(
                        lang,
                        "Uitgevoerd met enkele problemen",
                        "Performed with some challenges",
                    ),
                    Rating::M => tr(
                        lang,
                        "Uitgevoerd met grote problemen",
                        "Performed with major challenges",
                    ),
                    Rating::U => tr(lang, "Niet uitgevoerd", "Unable to be performed"),
                })
                .clicked()
            {
                view.obs_rating = Some(r);
            }
        }
    });
    let objectives: Vec<(ObjectiveId, String)> = view
        .session
        .sim
        .ctx
        .scenario
        .objectives
        .iter()
        .map(|o| (o.id.clone(), format!("{} — {}", o.id, o.title.get(lang))))
        .collect();
    let selected = view
        .obs_objective
        .as_ref()
        .and_then(|o| objectives.iter().find(|x| x.0 == *o))
        .map_or_else(|| tr(lang, "(geen)", "(none)").to_owned(), |x| x.1.clone());
    egui::ComboBox::new(
        "obs-objective",
        tr(
            lang,
            "Beoordeelt doel (overschrijft)",
            "Rates objective (overrides)",
        ),
    )
    .selected_text(selected)
    .show_ui(ui, |ui| {
        ui.selectable_value(&mut view.obs_objective, None, tr(lang, "(geen)", "(none)"));
        for (id, name) in &objectives {
            ui.selectable_value(&mut view.obs_objective, Some(id.clone()), name);
        }
    });
    let open = view.session.sim.state.status != Status::Ended;
    if ui
        .add_enabled(
            open && !view.obs_text.trim().is_empty(),
            egui::Button::new(tr(lang, "Waarneming vastleggen", "Record observation")),
        )
        .clicked()
    {
        commands.push(Command::Observe {
            text: view.obs_text.clone(),
            role: view.obs_role.clone(),
            rating: view.obs_rating,
            objective: view.obs_objective.clone(),
        });
    }
    ui.separator();
    for e in view.session.entries.iter().rev() {
        if let Body::Event(ev) = &e.body
            && let EventKind::Observed {
                text,
                role,
                rating,
                objective,
            } = &ev.kind
        {
            ui.label(format!(
                "{} {}{}{}: {text}",
                fmt_elapsed(ev.t),
                role.as_ref()
                    .map(|r| view.role_name(r.as_str(), lang))
                    .unwrap_or_default(),
                rating.map_or_else(String::new, |r| format!(" [{r:?}]")),
                objective
                    .as_ref()
                    .map_or_else(String::new, |o| format!(" ({o})")),
            ));
        }
    }
}

fn adhoc_ui(ui: &mut egui::Ui, view: &mut ExerciseView, lang: Lang, commands: &mut Vec<Command>) {
    ui.label(tr(
        lang,
        "Een bericht buiten het draaiboek, als het spel daarvan afwijkt.",
        "A message outside the script, for when play departs from it.",
    ));
    let roles = roles_in_play(view, lang);
    ui.label(tr(lang, "Aan:", "To:"));
    ui.horizontal_wrapped(|ui| {
        for (r, name) in &roles {
            let mut on = view.adhoc.0.contains(r);
            if ui.checkbox(&mut on, name).changed() {
                if on {
                    view.adhoc.0.push(r.clone());
                } else {
                    view.adhoc.0.retain(|x| x != r);
                }
            }
        }
    });
    egui::ComboBox::new("adhoc-channel", tr(lang, "Kanaal", "Channel"))
        .selected_text(view.adhoc.1.label(lang))
        .show_ui(ui, |ui| {
            for c in Channel::ALL {
                ui.selectable_value(&mut view.adhoc.1, c, c.label(lang));
            }
        });
    let l1 = ui.label(tr(lang, "Titel:", "Title:"));
    ui.add(egui::TextEdit::singleline(&mut view.adhoc.2).desired_width(f32::INFINITY))
        .labelled_by(l1.id);
    let l2 = ui.label(tr(lang, "Bericht:", "Message:"));
    ui.add(
        egui::TextEdit::multiline(&mut view.adhoc.3)
            .desired_rows(4)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(l2.id);
    let started = matches!(
        view.session.sim.state.status,
        Status::Running | Status::Paused
    );
    let ok = started && !view.adhoc.0.is_empty() && !view.adhoc.2.trim().is_empty();
    if ui
        .add_enabled(
            ok,
            egui::Button::new(tr(lang, "Inject uitgeven", "Release inject")),
        )
        .clicked()
    {
        commands.push(Command::AdHocInject {
            to: view.adhoc.0.clone(),
            channel: view.adhoc.1,
            title: view.adhoc.2.clone(),
            body: view.adhoc.3.clone(),
        });
    }
}

fn journal_ui(ui: &mut egui::Ui, view: &mut ExerciseView, lang: Lang) {
    ui.horizontal(|ui| {
        let label = ui.label(tr(lang, "Filter:", "Filter:"));
        ui.add(egui::TextEdit::singleline(&mut view.journal_filter))
            .labelled_by(label.id);
        ui.label(format!(
            "{} {}",
            view.session.entries.len(),
            tr(
                lang,
                "regels, elk gesynchroniseerd naar schijf",
                "entries, each synced to disk"
            )
        ));
    });
    ui.weak(view.session.path().display().to_string());
    let filter = view.journal_filter.to_lowercase();
    // Formatting 10,000 entries every frame costs milliseconds: keep the lines until the
    // journal, the filter or the language changes.
    let key = (view.session.entries.len(), filter.clone(), lang);
    if view.feed_cache.as_ref().is_none_or(|(k, _)| *k != key) {
        let lines: Vec<String> = view
            .session
            .entries
            .iter()
            .rev()
            .map(|e| {
                format!(
                    "#{} {} {} {}",
                    e.seq,
                    fmt_elapsed(e.t),
                    e.actor,
                    super::review::describe(e, &view.session.sim.ctx, lang)
                )
            })
            .filter(|l| filter.is_empty() || l.to_lowercase().contains(&filter))
            .collect();
        view.feed_cache = Some((key, lines));
    }
    let lines: &[String] = view.feed_cache.as_ref().map_or(&[], |c| &c.1);
    let row_h = ui.text_style_height(&egui::TextStyle::Monospace);
    egui::ScrollArea::vertical()
        .id_salt("journal-feed")
        .auto_shrink([false, false])
        .show_rows(ui, row_h, lines.len(), |ui, range| {
            for l in &lines[range] {
                ui.monospace(l);
            }
        });
}

fn desks_ui(ui: &mut egui::Ui, view: &mut ExerciseView, lang: Lang, commands: &mut Vec<Command>) {
    let ctx = view.session.sim.ctx.clone();
    let state = view.session.sim.state.clone();
    egui::Panel::left("desk-roles")
        .resizable(true)
        .default_size(260.0)
        .show(ui, |ui| {
            ui.heading(tr(lang, "Rollen", "Roles"));
            egui::ScrollArea::vertical()
                .id_salt("desk-roles-scroll")
                .show(ui, |ui| {
                    for r in &ctx.scenario.roles {
                        let open = ctx
                            .decisions
                            .iter()
                            .enumerate()
                            .filter(|(d, info)| {
                                info.role == *r
                                    && matches!(state.decisions[*d], DecisionStatus::Open { .. })
                            })
                            .count();
                        let present = view.session.header.present.is_empty()
                            || view.session.header.present.contains(r);
                        let name = format!(
                            "{}{}{}",
                            view.role_name(r.as_str(), lang),
                            if open > 0 {
                                format!("  ({open})")
                            } else {
                                String::new()
                            },
                            if present {
                                ""
                            } else {
                                tr(lang, " — niet aanwezig", " — not present")
                            }
                        );
                        if ui
                            .selectable_label(view.desk_role.as_ref() == Some(r), name)
                            .clicked()
                        {
                            view.desk_role = Some(r.clone());
                        }
                    }
                });
        });
    egui::Panel::right("desk-situation")
        .resizable(true)
        .default_size(300.0)
        .show(ui, |ui| {
            ui.heading(tr(lang, "Situatiebeeld", "Situation picture"));
            situation_ui(ui, view, lang, false);
        });
    egui::CentralPanel::default().show(ui, |ui| {
        let Some(role) = view.desk_role.clone() else {
            return;
        };
        ui.heading(view.role_name(role.as_str(), lang));
        if let Some(r) = ctx.plan.role(role.as_str()) {
            ui.weak(r.duty.get(lang));
        }
        egui::ScrollArea::vertical()
            .id_salt("desk-scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.strong(tr(lang, "Openstaande besluiten", "Pending decisions"));
                let mut any = false;
                for (d, info) in ctx.decisions.iter().enumerate() {
                    let DecisionStatus::Open { due, .. } = state.decisions[d] else {
                        continue;
                    };
                    if info.role != role {
                        continue;
                    }
                    any = true;
                    let decision = &ctx.scenario.injects[info.inject].decisions[info.local];
                    decision_card_ui(ui, view, decision, due, state.now, lang, commands);
                }
                if !any {
                    ui.weak(tr(
                        lang,
                        "Geen openstaande besluiten.",
                        "No pending decisions.",
                    ));
                }
                ui.separator();
                ui.strong(tr(lang, "Inbox", "Inbox"));
                inbox_ui(ui, view, &role, lang);
            });
    });
}

fn decision_card_ui(
    ui: &mut egui::Ui,
    view: &mut ExerciseView,
    decision: &crate::model::Decision,
    due: SimTime,
    now: SimTime,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.push_id(decision.id.as_str(), |ui| {
            ui.label(egui::RichText::new(decision.prompt.get(lang)).strong());
            let left = due.saturating_sub(now);
            let colour = if left < 120 {
                ui.visuals().error_fg_color
            } else {
                ui.visuals().text_color()
            };
            ui.colored_label(
                colour,
                format!("{} {}", tr(lang, "Nog", "Time left"), fmt_elapsed(left)),
            );
            let draft = view.drafts.entry(decision.id.to_string()).or_default();
            for c in &decision.options {
                ui.radio_value(&mut draft.choice, Some(c.id.clone()), c.label.get(lang));
            }
            let label = ui.label(tr(lang, "Motivering:", "Rationale:"));
            ui.add(
                egui::TextEdit::multiline(&mut draft.rationale)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
            let ready = draft.choice.is_some();
            if ui
                .add_enabled(
                    ready,
                    egui::Button::new(tr(lang, "Besluit nemen", "Take decision")),
                )
                .clicked()
                && let Some(choice) = draft.choice.clone()
            {
                commands.push(Command::Decide {
                    role: decision.role.clone(),
                    decision: decision.id.clone(),
                    choice,
                    rationale: draft.rationale.clone(),
                });
            }
        });
    });
}

fn inbox_ui(ui: &mut egui::Ui, view: &ExerciseView, role: &RoleId, lang: Lang) {
    let s = &view.session.sim.ctx.scenario;
    let mut any = false;
    for e in view.session.entries.iter().rev() {
        let Body::Event(ev) = &e.body else { continue };
        let (title, body, channel, from) = match &ev.kind {
            EventKind::InjectReleased { inject, to, .. } if to.contains(role) => {
                let Some(i) = s.inject(inject.as_str()) else {
                    continue;
                };
                (
                    i.title.get(lang).to_owned(),
                    i.body.get(lang).to_owned(),
                    i.channel,
                    i.from.as_ref().map(|f| f.get(lang).to_owned()),
                )
            }
            EventKind::AdHocReleased {
                to,
                channel,
                title,
                body,
                ..
            } if to.contains(role) => (
                title.clone(),
                body.clone(),
                *channel,
                Some(tr(lang, "Oefenleiding", "Exercise control").to_owned()),
            ),
            _ => continue,
        };
        any = true;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.monospace(fmt_elapsed(ev.t));
                ui.label(format!("[{}]", channel.label(lang)));
                if let Some(f) = from {
                    ui.weak(f);
                }
            });
            ui.strong(title);
            ui.label(body);
        });
    }
    if !any {
        ui.weak(tr(lang, "Nog geen berichten.", "No messages yet."));
    }
}

/// What the room sees: the clock, the situation picture and the latest injects. Never scores
/// or hidden information.
pub fn projector_ui(ui: &mut egui::Ui, view: &ExerciseView, lang: Lang) {
    let ctx = &view.session.sim.ctx;
    ui.vertical_centered(|ui| {
        ui.label(
            egui::RichText::new(ctx.scenario.title.get(lang))
                .size(28.0)
                .strong(),
        );
        ui.label(egui::RichText::new(sim_clock(view)).size(64.0).monospace());
        ui.label(
            egui::RichText::new(format!(
                "T+{}  ·  {}",
                fmt_elapsed(view.session.sim.state.now),
                status_label(view.session.sim.state.status, lang)
            ))
            .size(22.0),
        );
    });
    ui.separator();
    ui.columns(2, |cols| {
        cols[0].label(
            egui::RichText::new(tr(lang, "Situatiebeeld", "Situation picture"))
                .size(24.0)
                .strong(),
        );
        cols[0].style_mut().override_text_style = Some(egui::TextStyle::Heading);
        situation_ui(&mut cols[0], view, lang, false);
        cols[1].label(
            egui::RichText::new(tr(lang, "Laatste berichten", "Latest messages"))
                .size(24.0)
                .strong(),
        );
        let mut n = 0;
        for e in view.session.entries.iter().rev() {
            let Body::Event(ev) = &e.body else { continue };
            let title = match &ev.kind {
                EventKind::InjectReleased { inject, .. } => ctx
                    .scenario
                    .inject(inject.as_str())
                    .map(|i| i.title.get(lang).to_owned()),
                EventKind::AdHocReleased { title, .. } => Some(title.clone()),
                _ => None,
            };
            if let Some(t) = title {
                cols[1]
                    .label(egui::RichText::new(format!("{}  {t}", fmt_elapsed(ev.t))).size(20.0));
                n += 1;
                if n == 8 {
                    break;
                }
            }
        }
    });
}

/// The scorecard tables: objectives, roles, procedures with the reason for every point.
pub fn scorecard_ui(ui: &mut egui::Ui, card: &Scorecard, lang: Lang) {
    ui.label(
        egui::RichText::new(format!(
            "{}: {} ({:.1} / {:.1})",
            tr(lang, "Totaalscore", "Total score"),
            card.total.percent(),
            card.total.earned,
            card.total.possible
        ))
        .heading(),
    );
    ui.strong(tr(lang, "Doelstellingen", "Objectives"));
    egui::Grid::new(ui.scope_id().with("objectives"))
        .striped(true)
        .show(ui, |ui| {
            for o in &card.objectives {
                ui.label(format!("{} — {}", o.id, o.title.get(lang)));
                ui.label(o.tally.percent());
                ui.strong(
                    o.rating()
                        .map_or_else(|| "—".to_owned(), |r| format!("{r:?}")),
                );
                ui.end_row();
            }
        });
    ui.strong(tr(lang, "Rollen", "Roles"));
    egui::Grid::new(ui.scope_id().with("roles"))
        .striped(true)
        .show(ui, |ui| {
            for (role, t) in card
                .roles
                .iter()
                .filter(|(_, t)| t.possible > 0.0 || t.earned != 0.0)
            {
                ui.label(role.as_str());
                ui.label(t.percent());
                ui.label(format!("{:.1} / {:.1}", t.earned, t.possible));
                ui.end_row();
            }
        });
    ui.strong(tr(lang, "Fasen", "Phases"));
    egui::Grid::new(ui.scope_id().with("phases"))
        .striped(true)
        .show(ui, |ui| {
            for (phase, t) in card.phases.iter().filter(|(_, t)| t.possible > 0.0) {
                ui.label(phase.label(lang));
                ui.label(t.percent());
                ui.end_row();
            }
        });
    ui.strong(tr(lang, "Procedures", "Procedures"));
    egui::Grid::new(ui.scope_id().with("procedures"))
        .striped(true)
        .show(ui, |ui| {
            for p in card
                .procedures
                .iter()
                .filter(|p| p.status.scored() || !p.violations.is_empty())
            {
                ui.label(p.id.as_str()).on_hover_text(p.title.get(lang));
                ui.label(p.status.label(lang));
                ui.label(format!("{:.1}/{}", p.net(), p.weight));
                ui.label(p.why.get(lang));
                ui.end_row();
            }
        });
}

fn hot_wash_ui(
    ui: &mut egui::Ui,
    view: &mut ExerciseView,
    lang: Lang,
    status: &mut Option<(String, bool)>,
) {
    let card = view.scorecard().clone();
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("hotwash")
            .show(ui, |ui| {
                ui.heading(tr(lang, "Hot wash — nabespreking", "Hot wash — debrief"));
                ui.label(format!(
                    "{}: {}",
                    tr(lang, "Totaalscore", "Total score"),
                    card.total.percent()
                ));
                ui.separator();
                ui.strong(tr(
                    lang,
                    "Belangrijkste verbeterpunten",
                    "Main areas for improvement",
                ));
                let mut worst: Vec<_> = card
                    .procedures
                    .iter()
                    .filter(|p| p.status.scored() && p.net() < p.possible)
                    .collect();
                worst.sort_by(|a, b| (b.possible - b.net()).total_cmp(&(a.possible - a.net())));
                if worst.is_empty() {
                    ui.label(tr(
                        lang,
                        "Geen: alle procedures op tijd door de juiste rol.",
                        "None: every procedure done in time by the right role.",
                    ));
                }
                for p in worst.iter().take(6) {
                    ui.label(format!(
                        "• {} ({}): {}",
                        p.title.get(lang),
                        p.role,
                        p.why.get(lang)
                    ));
                }
                ui.separator();
                ui.horizontal_wrapped(|ui| {
                    for (format, nl, en) in [
                        (
                            Format::Html,
                            "Evaluatierapport (HTML)",
                            "After-action report (HTML)",
                        ),
                        (Format::Markdown, "Markdown", "Markdown"),
                        (Format::Csv, "CSV", "CSV"),
                        (Format::Json, "JSON", "JSON"),
                    ] {
                        if ui.button(tr(lang, nl, en)).clicked() {
                            let aar = Aar::build(
                                &view.session.exercise,
                                &view.session.header,
                                &view.session.entries,
                                lang,
                            );
                            let path = view.session.path().with_extension(format.extension());
                            match report::write_atomic(
                                &path,
                                report::render(&aar, format).as_bytes(),
                            ) {
                                Ok(()) => {
                                    view.written.push(path.display().to_string());
                                    *status = Some((
                                        format!(
                                            "{} {}",
                                            tr(lang, "Geschreven:", "Written:"),
                                            path.display()
                                        ),
                                        false,
                                    ));
                                }
                                Err(e) => {
                                    *status = Some((format!("{}: {e}", path.display()), true));
                                }
                            }
                        }
                    }
                });
                for w in &view.written {
                    ui.monospace(w);
                }
                ui.separator();
                scorecard_ui(ui, &card, lang);
            });
    });
}
