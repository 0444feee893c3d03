//! The exercise screen, a front end of the [`Host`]: the top bar with the clock, and the tabs —
//! facilitator console, role desks, projector, hot wash and review.
//!
//! Drawing reads the host through one [`crate::host::View`] per frame and pushes [`Command`]s
//! (for the exercise) and [`AppCommand`]s (for the app); both are carried out after drawing.
//! Time moves in [`ExerciseView::logic`], called from eframe's `logic`, never while drawing.

mod adhoc;
mod console;
mod desks;
mod feed;
mod hot_wash;
mod msel;
mod observations;
mod palette;
mod projector;

use std::time::Duration;

use super::{AppCommand, Notice};
use crate::engine::{Command, SPEEDS, Status, fmt_elapsed};
use crate::host::{Host, Source};
use crate::i18n::tr;
use crate::journal::Session;
use crate::model::Lang;
use crate::scoring::{self, Scorecard};

pub use console::ConsoleTab;
pub use projector::projector_ui;

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

/// The forms of the exercise screen, kept between frames. A form is cleared only once its command
/// is on disk, so a refused command or a failed write keeps what the facilitator typed.
#[derive(Debug, Default)]
pub struct Forms {
    /// The console's centre view.
    pub console_tab: console::ConsoleTab,
    /// The MSEL.
    pub msel: msel::MselForm,
    /// Target minute for "set time".
    pub set_time_min: u32,
    /// The action palette.
    pub palette: palette::PaletteForm,
    /// The observation form.
    pub observation: observations::ObservationForm,
    /// The ad-hoc inject form.
    pub adhoc: adhoc::AdHocForm,
    /// The journal feed.
    pub feed: feed::FeedState,
    /// The desks.
    pub desks: desks::DeskForm,
}

/// Everything the exercise screen keeps between frames.
pub struct ExerciseView {
    /// The host of the running exercise.
    pub host: Host,
    /// The view shown.
    pub tab: Tab,
    /// The forms.
    pub forms: Forms,
    /// Whether the projector window is open.
    pub projector_open: bool,
    /// Whether "end exercise" waits for confirmation.
    pub confirm_end: bool,
    /// Reports written, for the hot wash.
    pub written: Vec<std::path::PathBuf>,
    /// The review tab's state.
    pub review: super::review::ReviewState,
    score_cache: Option<(usize, Scorecard)>,
    /// The status the last frame saw, to open the hot wash when the exercise ends.
    last_status: Status,
    /// The room, while open (it closes when this view goes, with the exercise).
    pub room: Option<crate::room::Room>,
    /// The address the room listens on, as typed.
    pub room_bind: String,
    /// Why the room did not open.
    pub room_error: Option<String>,
}

impl ExerciseView {
    /// A view on a session; an ended session opens on the hot wash.
    pub fn new(session: Session) -> Self {
        let status = session.sim().status();
        let review = super::review::ReviewState::new(session.path());
        let desk_role = session.sim().ctx().scenario.roles.first().cloned();
        let mut forms = Forms::default();
        forms.desks.role = desk_role;
        Self {
            host: Host::new(session),
            tab: if status == Status::Ended {
                Tab::HotWash
            } else {
                Tab::Console
            },
            forms,
            projector_open: false,
            confirm_end: false,
            written: Vec::new(),
            review,
            score_cache: None,
            last_status: status,
            room: None,
            room_bind: "0.0.0.0:8080".to_owned(),
            room_error: None,
        }
    }

    /// The live scorecard, recomputed only when the journal grew.
    pub fn scorecard(&mut self) -> &Scorecard {
        let v = self.host.view();
        let n = v.entries().len();
        if self.score_cache.as_ref().is_none_or(|(m, _)| *m != n) {
            let card = scoring::score_compiled(v.sim().ctx(), v.header(), v.entries());
            self.score_cache = Some((n, card));
        }
        drop(v);
        &self.score_cache.as_ref().expect("just computed").1
    }

    /// The host, the forms and the live scorecard at once (the scorecard brought up to date),
    /// so a panel can read the card while it edits its forms without copying the card.
    pub fn parts(&mut self) -> (&Host, &mut Forms, &Scorecard) {
        self.scorecard();
        let card = &self
            .score_cache
            .as_ref()
            .expect("computed by scorecard()")
            .1;
        (&self.host, &mut self.forms, card)
    }

    /// The scorecard as last brought up to date by [`ExerciseView::scorecard`].
    fn last_scorecard(&self) -> Option<&Scorecard> {
        self.score_cache.as_ref().map(|c| &c.1)
    }

    /// Lets wall time pass (from eframe's `logic`): the host moves the clock and journals what
    /// falls due. A long stall (a dragged window, a sleeping laptop) moves at most a quarter
    /// second, so nothing fires in a burst. Opens the hot wash when the exercise ends.
    pub fn logic(&mut self, dt: Duration, lang: Lang) -> Option<Notice> {
        let notice = self
            .host
            .tick(dt.min(Duration::from_millis(250)))
            .err()
            .map(|e| Notice::error(e.message(lang)));
        self.follow_status();
        notice
    }

    /// Whether the clock runs (the front end repaints regularly while it does).
    pub fn running(&self) -> bool {
        self.host.view().sim().status() == Status::Running
    }

    fn follow_status(&mut self) {
        let now = self.host.view().sim().status();
        if now == Status::Ended && self.last_status != Status::Ended {
            self.tab = Tab::HotWash;
            self.confirm_end = false;
        }
        self.last_status = now;
    }

    /// Carries out commands from the console, in order, stopping at the first refusal; clears the
    /// form each came from once it is on disk, and confirms what a person would want confirmed.
    pub fn apply_all(
        &mut self,
        commands: Vec<Command>,
        lang: Lang,
    ) -> Result<Option<Notice>, Notice> {
        let mut notice = None;
        for c in commands {
            let receipt = self
                .host
                .submit(&Source::Console, c.clone())
                .map_err(|e| Notice::error(e.message(lang)))?;
            let v = self.host.view();
            let ctx = v.sim().ctx();
            match &c {
                Command::Observe { .. } => {
                    self.forms.observation.sent();
                    notice = Some(Notice::info(tr(
                        lang,
                        "Waarneming vastgelegd.",
                        "Observation recorded.",
                    )));
                }
                Command::AdHocInject { title, to, .. } => {
                    self.forms.adhoc.sent();
                    notice = Some(Notice::info(format!(
                        "{} “{title}” {} {} (#{}).",
                        tr(lang, "Extra bericht", "Ad-hoc message"),
                        tr(lang, "uitgegeven aan", "released to"),
                        crate::describe::roles(ctx, to, lang),
                        receipt.seq
                    )));
                }
                Command::TakeAction { role, action, .. } => {
                    self.forms.palette.note.clear();
                    notice = Some(Notice::info(format!(
                        "{}: {} ✔",
                        crate::describe::role(ctx, role.as_str(), lang),
                        crate::describe::action(ctx, action.as_str(), lang)
                    )));
                }
                Command::Decide {
                    decision,
                    role,
                    choice,
                    ..
                } => {
                    self.forms.desks.drafts.remove(decision.as_str());
                    let text = format!(
                        "{} ✔ {} → {}",
                        crate::describe::role(ctx, role.as_str(), lang),
                        crate::describe::decision(ctx, decision.as_str(), lang),
                        crate::describe::choice(ctx, decision.as_str(), choice.as_str(), lang)
                    );
                    self.forms.desks.confirmed = Some((role.clone(), text.clone()));
                    notice = Some(Notice::info(text));
                }
                _ => {}
            }
        }
        self.follow_status();
        Ok(notice)
    }
}

/// The simulated date and time.
fn sim_clock(start: &str, now: crate::engine::SimTime) -> String {
    chrono::DateTime::parse_from_rfc3339(start)
        .ok()
        .map_or_else(
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

/// Draws the exercise screen. Commands for the exercise are carried out after drawing; app
/// commands go to `app`.
pub fn exercise_ui(
    ui: &mut egui::Ui,
    view: &mut ExerciseView,
    lang: Lang,
    native_projector: bool,
    app: &mut Vec<AppCommand>,
) {
    let mut commands: Vec<Command> = Vec::new();
    shortcuts(ui, view, &mut commands);
    egui::Panel::top("exercise-top").show(ui, |ui| {
        top_bar_ui(ui, view, lang, &mut commands, app);
    });
    if view.confirm_end {
        confirm_end_ui(ui, view, lang, &mut commands);
    }
    match view.tab {
        Tab::Console => console::console_ui(ui, view, lang, &mut commands),
        Tab::Desks => desks::desks_ui(ui, view, lang, &mut commands, app),
        Tab::Projector => {
            egui::CentralPanel::default().show(ui, |ui| projector_ui(ui, &view.host, lang));
        }
        Tab::HotWash => hot_wash::hot_wash_ui(ui, view, lang, app),
        Tab::Review => {
            egui::CentralPanel::default().show(ui, |ui| {
                let v = view.host.view();
                super::review::review_ui(
                    ui,
                    &mut view.review,
                    &super::review::Journal {
                        ctx: v.sim().ctx(),
                        exercise: v.exercise(),
                        header: v.header(),
                        entries: v.entries(),
                        path: v.path(),
                    },
                    lang,
                    app,
                );
            });
        }
    }
    if view.projector_open && native_projector {
        let mut open = true;
        let ctx = ui.ctx().clone();
        let host = view.host.clone();
        ctx.show_viewport_immediate(
            egui::ViewportId::from_hash_of("paraat-projector"),
            egui::ViewportBuilder::default()
                .with_title(format!("Paraat — {}", tr(lang, "projector", "projector")))
                .with_inner_size([1280.0, 800.0]),
            |ui, _class| {
                egui::CentralPanel::default().show(ui, |ui| projector_ui(ui, &host, lang));
                if ui.input(|i| i.viewport().close_requested()) {
                    open = false;
                }
            },
        );
        view.projector_open = open;
    }
    if !commands.is_empty()
        && let Some(n) = view.apply_all(commands, lang).unwrap_or_else(Some)
    {
        app.push(AppCommand::Notify(n));
    }
}

fn shortcuts(ui: &egui::Ui, view: &ExerciseView, commands: &mut Vec<Command>) {
    if ui.ctx().egui_wants_keyboard_input() || view.confirm_end {
        return;
    }
    let st = view.host.view().sim().status();
    ui.input(|i| {
        if i.key_pressed(egui::Key::Space) {
            match st {
                Status::Setup => commands.push(Command::Start),
                Status::Running => commands.push(Command::Pause),
                Status::Paused => commands.push(Command::Resume),
                Status::Ended => {}
            }
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

fn confirm_end_ui(
    ui: &mut egui::Ui,
    view: &mut ExerciseView,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    let modal = egui::Modal::new(egui::Id::unique("confirm-end")).show(ui.ctx(), |ui| {
        ui.set_max_width(420.0);
        ui.heading(tr(lang, "Oefening beëindigen?", "End the exercise?"));
        ui.label(tr(
            lang,
            "Na het beëindigen kan er niets meer worden besloten of vrijgegeven. Het logboek wordt afgesloten en de hot wash opent.",
            "After the end nothing more can be decided or released. The journal is closed and the hot wash opens.",
        ));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui
                .button(tr(lang, "■ Ja, beëindigen", "■ Yes, end it"))
                .clicked()
            {
                commands.push(Command::End);
                view.confirm_end = false;
            }
            if ui.button(tr(lang, "Doorgaan met oefenen", "Keep playing")).clicked() {
                view.confirm_end = false;
            }
        });
    });
    if modal.should_close() {
        view.confirm_end = false;
    }
}

fn top_bar_ui(
    ui: &mut egui::Ui,
    view: &mut ExerciseView,
    lang: Lang,
    commands: &mut Vec<Command>,
    app: &mut Vec<AppCommand>,
) {
    let (st, now, end, speed, title, start, max_min) = {
        let v = view.host.view();
        let sim = v.sim();
        (
            sim.status(),
            sim.now(),
            sim.end_time(),
            sim.speed(),
            sim.ctx().scenario.title.get(lang).to_owned(),
            sim.ctx().scenario.start.clone(),
            sim.ctx().scenario.duration_min,
        )
    };
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
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
            app.push(AppCommand::Library);
        }
        ui.separator();
        ui.label(egui::RichText::new(title).strong());
        ui.separator();
        ui.label(
            egui::RichText::new(sim_clock(&start, now))
                .monospace()
                .size(20.0),
        );
        ui.label(
            egui::RichText::new(format!("T+{} / {}", fmt_elapsed(now), fmt_elapsed(end)))
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
            if ui.selectable_label(speed == s, format!("×{s}")).clicked() && st != Status::Ended {
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
        ui.add(egui::DragValue::new(&mut view.forms.set_time_min).range(0..=max_min))
            .labelled_by(label.id);
        if ui
            .add_enabled(
                started,
                egui::Button::new(tr(lang, "Tijd zetten", "Set time")),
            )
            .clicked()
        {
            commands.push(Command::AdvanceTo {
                t: u64::from(view.forms.set_time_min) * 60,
            });
        }
        ui.separator();
        if ui
            .add_enabled(
                st != Status::Ended,
                egui::Button::new(tr(lang, "■ Beëindigen…", "■ End exercise…")),
            )
            .clicked()
        {
            view.confirm_end = true;
        }
    });
    ui.horizontal_wrapped(|ui| {
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
    room_row_ui(ui, view, lang);
    ui.add_space(2.0);
}

/// The room: open it on an address, then show the join address, code and seats.
fn room_row_ui(ui: &mut egui::Ui, view: &mut ExerciseView, lang: Lang) {
    ui.horizontal_wrapped(|ui| {
        if let Some(room) = &view.room {
            // The seats, with how many are connected, are listed below the row.
            ui.label(tr(lang, "Ruimte:", "Room:"));
            ui.label(egui::RichText::new(room.join_url()).monospace().strong());
            ui.label(tr(lang, "code", "code"));
            ui.label(egui::RichText::new(room.code()).monospace().strong().size(18.0));
            if room.addr().ip().is_unspecified() {
                ui.label(tr(
                    lang,
                    "(geef het adres van deze computer op het oefennetwerk)",
                    "(give this computer's address on the exercise network)",
                ));
            }
            // The facilitator page (seat list with revoke, lock) in this computer's browser.
            let local = if room.addr().ip().is_unspecified() {
                std::net::SocketAddr::from(([127, 0, 0, 1], room.addr().port()))
            } else {
                room.addr()
            };
            ui.hyperlink_to(
                tr(lang, "Plekken beheren…", "Manage seats…"),
                format!("http://{local}{}", room.facilitator_path()),
            );
            if ui.button(tr(lang, "Ruimte sluiten", "Close room")).clicked()
                && let Some(room) = view.room.take()
            {
                // Closing forgets every seat, also the ones kept beside the journal.
                room.close();
            }
        } else {
            let label = ui.label(tr(lang, "Ruimte op adres:", "Room on address:"));
            ui.add(egui::TextEdit::singleline(&mut view.room_bind).desired_width(140.0))
                .labelled_by(label.id);
            if ui
                .button(tr(lang, "Ruimte openen", "Open room"))
                .on_hover_text(tr(
                    lang,
                    "Deelnemers spelen hun rol op hun eigen apparaat. Gebruik een afgeschermd wifi-netwerk.",
                    "Participants play their role on their own device. Use an isolated Wi-Fi network.",
                ))
                .clicked()
            {
                match crate::room::Room::open(view.host.clone(), view.room_bind.trim()) {
                    Ok(r) => {
                        view.room = Some(r);
                        view.room_error = None;
                    }
                    Err(e) => view.room_error = Some(e),
                }
            }
            if let Some(e) = &view.room_error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
        }
    });
    if let Some(room) = &view.room {
        room_seats_ui(ui, room, &view.host, lang);
    }
}

/// The room's seats: role, name, connected, last seen, a revoke button each, and the lock.
fn room_seats_ui(ui: &mut egui::Ui, room: &crate::room::Room, host: &Host, lang: Lang) {
    let seats = room.seats();
    let connected = seats.iter().filter(|s| s.connected).count();
    let mut revoke = None;
    let mut locked = room.locked();
    let was_locked = locked;
    egui::CollapsingHeader::new(format!(
        "{} ({}, {connected} {})",
        tr(lang, "Plekken", "Seats"),
        seats.len(),
        tr(lang, "verbonden", "connected")
    ))
    .id_salt("room-seats")
    .show(ui, |ui| {
        ui.checkbox(
            &mut locked,
            tr(
                lang,
                "Ruimte op slot (geen nieuwe plekken)",
                "Room locked (no new seats)",
            ),
        );
        if let Some(w) = room.warning() {
            ui.colored_label(ui.visuals().warn_fg_color, w);
        }
        if seats.is_empty() {
            ui.label(tr(lang, "Nog geen plekken.", "No seats yet."));
            return;
        }
        egui::Grid::new("room-seat-grid")
            .striped(true)
            .num_columns(6)
            .show(ui, |ui| {
                for h in [
                    tr(lang, "Plek", "Seat"),
                    tr(lang, "Rol", "Role"),
                    tr(lang, "Naam", "Name"),
                    tr(lang, "Verbonden", "Connected"),
                    tr(lang, "Laatst gezien", "Last seen"),
                    "",
                ] {
                    ui.strong(h);
                }
                ui.end_row();
                let v = host.view();
                let ctx = v.sim().ctx();
                for s in &seats {
                    ui.label(&s.label);
                    let roles = if s.roles.is_empty() {
                        tr(lang, "waarnemer", "observer").to_owned()
                    } else {
                        s.roles
                            .iter()
                            .map(|r| crate::describe::role(ctx, r, lang))
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    ui.label(roles);
                    ui.label(&s.name);
                    ui.label(if s.connected {
                        tr(lang, "ja", "yes")
                    } else {
                        tr(lang, "nee", "no")
                    });
                    ui.label(format!("{} s", s.last_seen_secs));
                    if ui.button(tr(lang, "Intrekken", "Revoke")).clicked() {
                        revoke = Some(s.label.clone());
                    }
                    ui.end_row();
                }
            });
    });
    if locked != was_locked {
        room.lock(locked);
    }
    if let Some(label) = revoke {
        room.revoke(&label);
    }
}
