//! The after-action review: a zoomable timeline with a moment to scrub to, the situation as it
//! was at that moment, the scorecard with the journal entries behind every point, the journal
//! as a filterable table, observations, reviewer notes in a sidecar file, and exports.

use std::path::{Path, PathBuf};

use egui_extras::{Column, TableBuilder};
use egui_plot::{Line, Plot, PlotPoints, Points, VLine};

use crate::engine::{Compiled, EventKind, SimTime, fmt_elapsed};
use crate::i18n::tr;
use crate::journal::{Body, Entry, Header};
use crate::library::Exercise;
use crate::model::{Lang, RoleId};
use crate::report::{self, Aar, Format};
use crate::scoring::{self, Scorecard};

/// Sub-views of the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewTab {
    /// Timeline and the situation at a moment.
    Timeline,
    /// Scorecard with explanations.
    Score,
    /// The journal table.
    Journal,
    /// Observations and reviewer notes.
    Notes,
    /// Exports.
    Export,
}

/// Which entries the journal table shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KindFilter {
    /// Everything.
    All,
    /// Commands only.
    Commands,
    /// Inject releases.
    Injects,
    /// Decisions (opened, made, expired).
    Decisions,
    /// Plan actions.
    Actions,
    /// Observations.
    Observations,
    /// Situation changes (variables, signals).
    Situation,
}

impl KindFilter {
    const ALL: [KindFilter; 7] = [
        KindFilter::All,
        KindFilter::Commands,
        KindFilter::Injects,
        KindFilter::Decisions,
        KindFilter::Actions,
        KindFilter::Observations,
        KindFilter::Situation,
    ];

    fn label(self, lang: Lang) -> &'static str {
        match self {
            KindFilter::All => tr(lang, "alles", "everything"),
            KindFilter::Commands => tr(lang, "opdrachten", "commands"),
            KindFilter::Injects => tr(lang, "injects", "injects"),
            KindFilter::Decisions => tr(lang, "besluiten", "decisions"),
            KindFilter::Actions => tr(lang, "acties", "actions"),
            KindFilter::Observations => tr(lang, "waarnemingen", "observations"),
            KindFilter::Situation => tr(lang, "situatie", "situation"),
        }
    }

    fn matches(self, e: &Entry) -> bool {
        match (self, &e.body) {
            (KindFilter::All, _) | (KindFilter::Commands, Body::Command(_)) => true,
            (_, Body::Command(_)) | (KindFilter::Commands, Body::Event(_)) => false,
            (f, Body::Event(ev)) => matches!(
                (f, &ev.kind),
                (
                    KindFilter::Injects,
                    EventKind::InjectReleased { .. } | EventKind::AdHocReleased { .. }
                ) | (
                    KindFilter::Decisions,
                    EventKind::DecisionOpened { .. }
                        | EventKind::DecisionMade { .. }
                        | EventKind::DecisionExpired { .. }
                ) | (KindFilter::Actions, EventKind::ActionTaken { .. })
                    | (KindFilter::Observations, EventKind::Observed { .. })
                    | (
                        KindFilter::Situation,
                        EventKind::VarChanged { .. } | EventKind::SignalRaised { .. }
                    )
            ),
        }
    }
}

/// Review state kept between frames.
pub struct ReviewState {
    /// The sub-view.
    pub tab: ReviewTab,
    /// The moment scrubbed to, in minutes.
    pub moment_min: f64,
    /// Journal table: only entries of this role (actor or subject).
    pub role_filter: Option<RoleId>,
    /// Journal table: kind of entry.
    pub kind_filter: KindFilter,
    /// Journal table: text filter.
    pub text_filter: String,
    /// The reviewer's notes.
    pub notes: String,
    /// Where the notes are kept (beside the journal, never in it).
    pub notes_path: PathBuf,
    /// Files written from here.
    pub written: Vec<String>,
    /// What verifying the journal found (`None` for a session being played here).
    pub verdict: Option<crate::journal::verify::Verdict>,
    filtered: Option<(String, usize, Vec<usize>)>,
    card: Option<(usize, Scorecard)>,
}

impl ReviewState {
    /// Review state for a journal; loads notes kept beside it.
    pub fn new(journal: &Path) -> Self {
        let notes_path = notes_path(journal);
        let notes = std::fs::read_to_string(&notes_path).unwrap_or_default();
        Self {
            tab: ReviewTab::Timeline,
            moment_min: 0.0,
            role_filter: None,
            kind_filter: KindFilter::All,
            text_filter: String::new(),
            notes,
            notes_path,
            written: Vec::new(),
            verdict: None,
            filtered: None,
            card: None,
        }
    }
}

/// The sidecar file for reviewer notes: `<journal>.review.md`.
pub fn notes_path(journal: &Path) -> PathBuf {
    let name = journal
        .file_name()
        .map_or_else(|| "journal".into(), |n| n.to_string_lossy().into_owned());
    journal.with_file_name(format!("{name}.review.md"))
}

/// A journal opened for review only (finished, broken, or someone else's).
pub struct ReviewView {
    /// The exercise.
    pub exercise: Exercise,
    /// The header.
    pub header: Header,
    /// The entries (those before any break in the chain).
    pub entries: Vec<Entry>,
    /// The journal's path.
    pub path: PathBuf,
    /// Why the journal is incomplete, if it is.
    pub warning: Option<String>,
    /// The review state.
    pub state: ReviewState,
    /// The scenario and plan with ids resolved, built once for every frame's use.
    pub ctx: std::sync::Arc<Compiled>,
}

impl ReviewView {
    /// Opens a journal for review, after verifying it (chain, seal, replay); a journal that
    /// fails is refused with the reason.
    pub fn open(lib: &crate::library::Library, path: &Path) -> Result<Self, String> {
        let find = |h: &Header| {
            lib.find(&h.scenario_id)
                .cloned()
                .or_else(|| crate::cli::exercise_for(h))
        };
        let trusted = crate::journal::seal::installation_fingerprint();
        let checked = crate::journal::verify::check_file(path, find, trusted.as_deref())
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if let Some(banner) = checked.verdict.banner(Lang::En) {
            return Err(format!("{}: {banner}", path.display()));
        }
        let (read, exercise) = (checked.read, checked.exercise);
        let warning = Some(checked.verdict.summary(Lang::En));
        let ctx = std::sync::Arc::new(Compiled::new(
            &exercise.plan.value,
            &exercise.scenario.value,
        ));
        Ok(Self {
            ctx,
            exercise,
            header: read.header,
            entries: read.entries,
            path: path.to_owned(),
            warning,
            state: ReviewState {
                verdict: Some(checked.verdict),
                ..ReviewState::new(path)
            },
        })
    }
}

fn scorecard<'a>(
    st: &'a mut ReviewState,
    ctx: &Compiled,
    header: &Header,
    entries: &[Entry],
) -> &'a Scorecard {
    if st.card.as_ref().is_none_or(|(n, _)| *n != entries.len()) {
        st.card = Some((entries.len(), scoring::score_compiled(ctx, header, entries)));
    }
    &st.card.as_ref().expect("just computed").1
}

/// Draws the review of `entries`.
#[allow(clippy::too_many_arguments)]
pub fn review_ui(
    ui: &mut egui::Ui,
    st: &mut ReviewState,
    ctx: &Compiled,
    ex: &Exercise,
    header: &Header,
    entries: &[Entry],
    journal: &Path,
    lang: Lang,
    status: &mut Option<(String, bool)>,
) {
    super::tab_bar_ui(
        ui,
        &mut st.tab,
        &[
            (ReviewTab::Timeline, "Tijdlijn", "Timeline"),
            (ReviewTab::Score, "Scorekaart", "Scorecard"),
            (ReviewTab::Journal, "Logboektabel", "Journal table"),
            (
                ReviewTab::Notes,
                "Waarnemingen en notities",
                "Observations and notes",
            ),
            (ReviewTab::Export, "Exporteren", "Export"),
        ],
        lang,
    );
    ui.separator();
    match st.tab {
        ReviewTab::Timeline => timeline_ui(ui, st, ctx, header, entries, lang),
        ReviewTab::Score => {
            let card = scorecard(st, ctx, header, entries).clone();
            egui::ScrollArea::vertical()
                .id_salt("review-score")
                .show(ui, |ui| {
                    super::console::scorecard_ui(ui, &card, lang);
                    ui.separator();
                    ui.strong(tr(
                        lang,
                        "Herkomst van elk punt (logboekregels)",
                        "Where every point comes from (journal entries)",
                    ));
                    egui::Grid::new("score-sources")
                        .striped(true)
                        .show(ui, |ui| {
                            for p in card
                                .procedures
                                .iter()
                                .filter(|p| p.status.scored() || !p.violations.is_empty())
                            {
                                ui.label(p.id.as_str());
                                ui.label(
                                    p.entries
                                        .iter()
                                        .map(|s| format!("#{s}"))
                                        .collect::<Vec<_>>()
                                        .join(" "),
                                );
                                ui.end_row();
                            }
                        });
                    ui.separator();
                    ui.strong(tr(
                        lang,
                        "Besluitlatentie per rol",
                        "Decision latency per role",
                    ));
                    egui::Grid::new("latency").striped(true).show(ui, |ui| {
                        for l in &card.latency {
                            ui.label(l.role.as_str());
                            ui.label(format!("{} {}", l.decided, tr(lang, "genomen", "taken")));
                            ui.label(format!("{} {}", l.expired, tr(lang, "verlopen", "expired")));
                            ui.label(format!(
                                "{} {}",
                                tr(lang, "mediaan", "median"),
                                l.median_secs.map_or_else(|| "—".into(), fmt_elapsed)
                            ));
                            ui.label(format!(
                                "{} {}",
                                tr(lang, "max", "max"),
                                l.max_secs.map_or_else(|| "—".into(), fmt_elapsed)
                            ));
                            ui.end_row();
                        }
                    });
                });
        }
        ReviewTab::Journal => journal_table_ui(ui, st, ctx, entries, lang),
        ReviewTab::Notes => notes_ui(ui, st, entries, lang, status),
        ReviewTab::Export => export_ui(ui, st, ex, header, entries, journal, lang, status),
    }
}

fn timeline_ui(
    ui: &mut egui::Ui,
    st: &mut ReviewState,
    ctx: &Compiled,
    header: &Header,
    entries: &[Entry],
    lang: Lang,
) {
    let card = scorecard(st, ctx, header, entries).clone();
    let end_min = f64::from(ctx.scenario.duration_min);
    let minutes = |t: SimTime| t as f64 / 60.0;
    let mut injects = Vec::new();
    let mut made = Vec::new();
    let mut expired = Vec::new();
    for e in entries {
        if let Body::Event(ev) = &e.body {
            match &ev.kind {
                EventKind::InjectReleased { .. } | EventKind::AdHocReleased { .. } => {
                    injects.push([minutes(ev.t), 1.0]);
                }
                EventKind::DecisionMade { .. } => made.push([minutes(ev.t), 0.0]),
                EventKind::DecisionExpired { .. } => expired.push([minutes(ev.t), 0.0]),
                _ => {}
            }
        }
    }
    let procs: Vec<_> = card
        .procedures
        .iter()
        .filter(|p| p.triggered_at.is_some())
        .collect();
    ui.horizontal(|ui| {
        let label = ui.label(tr(lang, "Moment (min):", "Moment (min):"));
        ui.add(egui::Slider::new(&mut st.moment_min, 0.0..=end_min).step_by(1.0))
            .labelled_by(label.id);
        ui.weak(tr(
            lang,
            "Klik in de tijdlijn om erheen te gaan; scroll of sleep om te zoomen en te schuiven.",
            "Click the timeline to go there; scroll or drag to zoom and pan.",
        ));
    });
    let moment = st.moment_min;
    let response = Plot::new("review-timeline")
        .height((ui.available_height() * 0.55).max(200.0))
        .legend(egui_plot::Legend::default())
        .show_axes([true, false])
        .show(ui, |p| {
            p.points(
                Points::new(tr(lang, "Injects", "Injects"), PlotPoints::from(injects))
                    .radius(3.0)
                    .color(egui::Color32::from_rgb(80, 140, 220)),
            );
            p.points(
                Points::new(tr(lang, "Besluiten", "Decisions"), PlotPoints::from(made))
                    .radius(4.0)
                    .color(egui::Color32::from_rgb(57, 135, 12)),
            );
            p.points(
                Points::new(tr(lang, "Verlopen", "Expired"), PlotPoints::from(expired))
                    .radius(4.0)
                    .color(egui::Color32::from_rgb(213, 43, 30)),
            );
            for (i, pr) in procs.iter().enumerate() {
                let y = -1.0 - i as f64;
                let t0 = pr.triggered_at.unwrap_or(0);
                let deadline = pr
                    .allowed_secs
                    .map_or(u64::from(ctx.scenario.duration_min) * 60, |a| t0 + a);
                let colour = match pr.status {
                    scoring::Status::InTime => egui::Color32::from_rgb(57, 135, 12),
                    scoring::Status::Late | scoring::Status::OtherRole | scoring::Status::Open => {
                        egui::Color32::from_rgb(225, 112, 0)
                    }
                    _ => egui::Color32::from_rgb(213, 43, 30),
                };
                // One legend entry for all windows; each window is labelled with its procedure.
                p.line(
                    Line::new(
                        tr(lang, "Procedurevensters", "Procedure windows"),
                        PlotPoints::from(vec![[minutes(t0), y], [minutes(deadline), y]]),
                    )
                    .color(colour)
                    .width(4.0),
                );
                p.text(
                    // An empty name keeps the labels out of the legend.
                    egui_plot::Text::new(
                        "",
                        egui_plot::PlotPoint::new(minutes(t0), y + 0.45),
                        pr.id.to_string(),
                    )
                    .anchor(egui::Align2::LEFT_CENTER),
                );
                if let Some(d) = pr.done_at {
                    p.points(
                        Points::new(
                            tr(lang, "Voldaan", "Met"),
                            PlotPoints::from(vec![[minutes(d), y]]),
                        )
                        .radius(5.0)
                        .color(colour),
                    );
                }
            }
            p.vline(VLine::new(tr(lang, "Moment", "Moment"), moment));
            p.pointer_coordinate()
        });
    if response.response.clicked()
        && let Some(pt) = response.inner
    {
        st.moment_min = pt.x.clamp(0.0, end_min).round();
    }
    // The situation as it was at the moment: replayed from the journal's events.
    let t = (st.moment_min * 60.0) as u64;
    let mut vars = ctx.initial_vars.clone();
    let mut last_injects: Vec<(SimTime, String)> = Vec::new();
    for e in entries {
        let Body::Event(ev) = &e.body else { continue };
        if ev.t > t {
            break;
        }
        match &ev.kind {
            EventKind::VarChanged { var, value } => {
                if let Some(&i) = ctx.var_index.get(var.as_str()) {
                    vars[i] = *value;
                }
            }
            EventKind::InjectReleased { inject, .. } => {
                let title = ctx
                    .scenario
                    .inject(inject.as_str())
                    .map_or_else(|| inject.to_string(), |i| i.title.get(lang).to_owned());
                last_injects.push((ev.t, title));
            }
            EventKind::AdHocReleased { title, .. } => last_injects.push((ev.t, title.clone())),
            _ => {}
        }
    }
    ui.columns(2, |cols| {
        cols[0].strong(format!(
            "{} T+{}",
            tr(lang, "Situatie op", "Situation at"),
            fmt_elapsed(t)
        ));
        super::console::situation_grid_ui(&mut cols[0], ctx, &vars, lang, true);
        cols[1].strong(tr(
            lang,
            "Laatste injects tot dan",
            "Latest injects up to then",
        ));
        for (t, title) in last_injects.iter().rev().take(10) {
            cols[1].label(format!("{} {title}", fmt_elapsed(*t)));
        }
    });
}

fn entry_role(e: &Entry) -> Option<&RoleId> {
    match &e.body {
        Body::Event(ev) => match &ev.kind {
            EventKind::DecisionOpened { role, .. }
            | EventKind::DecisionMade { role, .. }
            | EventKind::DecisionExpired { role, .. }
            | EventKind::ActionTaken { role, .. } => Some(role),
            EventKind::Observed { role, .. } => role.as_ref(),
            _ => None,
        },
        Body::Command(_) => None,
    }
}

fn journal_table_ui(
    ui: &mut egui::Ui,
    st: &mut ReviewState,
    ctx: &Compiled,
    entries: &[Entry],
    lang: Lang,
) {
    ui.horizontal_wrapped(|ui| {
        let roles: Vec<(RoleId, String)> = ctx
            .scenario
            .roles
            .iter()
            .map(|r| {
                (
                    r.clone(),
                    ctx.plan
                        .role(r.as_str())
                        .map_or_else(|| r.to_string(), |x| x.name.get(lang).to_owned()),
                )
            })
            .collect();
        let sel = st
            .role_filter
            .as_ref()
            .and_then(|r| roles.iter().find(|x| x.0 == *r))
            .map_or_else(
                || tr(lang, "alle rollen", "all roles").to_owned(),
                |x| x.1.clone(),
            );
        egui::ComboBox::new("review-role", tr(lang, "Rol", "Role"))
            .selected_text(sel)
            .show_ui(ui, |ui| {
                ui.selectable_value(
                    &mut st.role_filter,
                    None,
                    tr(lang, "alle rollen", "all roles"),
                );
                for (r, n) in &roles {
                    ui.selectable_value(&mut st.role_filter, Some(r.clone()), n);
                }
            });
        egui::ComboBox::new("review-kind", tr(lang, "Soort", "Kind"))
            .selected_text(st.kind_filter.label(lang))
            .show_ui(ui, |ui| {
                for k in KindFilter::ALL {
                    ui.selectable_value(&mut st.kind_filter, k, k.label(lang));
                }
            });
        let label = ui.label(tr(lang, "Tekst:", "Text:"));
        ui.add(egui::TextEdit::singleline(&mut st.text_filter))
            .labelled_by(label.id);
    });
    let key = format!(
        "{:?}|{:?}|{}",
        st.role_filter,
        st.kind_filter,
        st.text_filter.to_lowercase()
    );
    if st
        .filtered
        .as_ref()
        .is_none_or(|(k, n, _)| *k != key || *n != entries.len())
    {
        let text = st.text_filter.to_lowercase();
        let rows: Vec<usize> = entries
            .iter()
            .enumerate()
            .filter(|(_, e)| st.kind_filter.matches(e))
            .filter(|(_, e)| {
                st.role_filter
                    .as_ref()
                    .is_none_or(|r| e.actor == r.as_str() || entry_role(e) == Some(r))
            })
            .filter(|(_, e)| {
                text.is_empty()
                    || serde_json::to_string(&e.body)
                        .unwrap_or_default()
                        .to_lowercase()
                        .contains(&text)
                    || e.actor.to_lowercase().contains(&text)
            })
            .map(|(i, _)| i)
            .collect();
        st.filtered = Some((key, entries.len(), rows));
    }
    let rows = st
        .filtered
        .as_ref()
        .map(|f| f.2.clone())
        .unwrap_or_default();
    ui.label(format!(
        "{} / {} {}",
        rows.len(),
        entries.len(),
        tr(lang, "regels", "entries")
    ));
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    TableBuilder::new(ui)
        .striped(true)
        .column(Column::auto().at_least(50.0))
        .column(Column::auto().at_least(70.0))
        .column(Column::auto().at_least(110.0))
        .column(Column::remainder())
        .header(row_h, |mut h| {
            h.col(|ui| {
                ui.strong("#");
            });
            h.col(|ui| {
                ui.strong(tr(lang, "Tijd", "Time"));
            });
            h.col(|ui| {
                ui.strong(tr(lang, "Wie", "Who"));
            });
            h.col(|ui| {
                ui.strong(tr(lang, "Wat", "What"));
            });
        })
        .body(|body| {
            body.rows(row_h, rows.len(), |mut row| {
                let e = &entries[rows[row.index()]];
                row.col(|ui| {
                    ui.monospace(e.seq.to_string());
                });
                row.col(|ui| {
                    ui.monospace(fmt_elapsed(e.t));
                });
                row.col(|ui| {
                    ui.label(&e.actor);
                });
                row.col(|ui| {
                    ui.label(describe(e, ctx, lang));
                });
            });
        });
}

/// A one-line description of an entry.
pub fn describe(e: &Entry, ctx: &Compiled, lang: Lang) -> String {
    match &e.body {
        Body::Command(c) => format!("▶ {}", serde_json::to_string(c).unwrap_or_default()),
        Body::Event(ev) => match &ev.kind {
            EventKind::InjectReleased { inject, .. } => format!(
                "{}: {}",
                tr(lang, "Inject", "Inject"),
                ctx.scenario
                    .inject(inject.as_str())
                    .map_or(inject.as_str(), |i| i.title.get(lang))
            ),
            EventKind::DecisionMade {
                decision,
                choice,
                rationale,
                ..
            } => format!(
                "{} {decision} → {choice}: {rationale}",
                tr(lang, "Besluit", "Decision")
            ),
            EventKind::DecisionExpired {
                decision, choice, ..
            } => format!(
                "{} {decision} → {}",
                tr(lang, "Termijn verlopen", "Deadline passed"),
                choice.as_ref().map_or("—", |c| c.as_str())
            ),
            EventKind::ActionTaken { role, action, .. } => {
                format!("{}: {role} — {action}", tr(lang, "Actie", "Action"))
            }
            EventKind::VarChanged { var, value } => format!("{var} = {value}"),
            other => serde_json::to_string(other).unwrap_or_default(),
        },
    }
}

fn notes_ui(
    ui: &mut egui::Ui,
    st: &mut ReviewState,
    entries: &[Entry],
    lang: Lang,
    status: &mut Option<(String, bool)>,
) {
    ui.strong(tr(
        lang,
        "Waarnemingen tijdens de oefening",
        "Observations during the exercise",
    ));
    let mut any = false;
    for e in entries {
        if let Body::Event(ev) = &e.body
            && let EventKind::Observed {
                text,
                role,
                rating,
                objective,
            } = &ev.kind
        {
            any = true;
            ui.label(format!(
                "#{} {} {}{}{}: {text}",
                e.seq,
                fmt_elapsed(ev.t),
                role.as_ref().map(ToString::to_string).unwrap_or_default(),
                rating.map_or_else(String::new, |r| format!(" [{r:?}]")),
                objective
                    .as_ref()
                    .map_or_else(String::new, |o| format!(" ({o})"))
            ));
        }
    }
    if !any {
        ui.weak("—");
    }
    ui.separator();
    let label = ui.label(tr(
        lang,
        "Notities van de beoordelaar (apart bestand; het logboek blijft onveranderd):",
        "Reviewer notes (a separate file; the journal is never changed):",
    ));
    ui.add(
        egui::TextEdit::multiline(&mut st.notes)
            .desired_rows(10)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    ui.horizontal(|ui| {
        if ui
            .button(tr(lang, "Notities opslaan", "Save notes"))
            .clicked()
        {
            match report::write_atomic(&st.notes_path, st.notes.as_bytes()) {
                Ok(()) => {
                    *status = Some((
                        format!(
                            "{} {}",
                            tr(lang, "Opgeslagen:", "Saved:"),
                            st.notes_path.display()
                        ),
                        false,
                    ));
                }
                Err(e) => *status = Some((format!("{}: {e}", st.notes_path.display()), true)),
            }
        }
        ui.weak(st.notes_path.display().to_string());
    });
}

#[allow(clippy::too_many_arguments)]
fn export_ui(
    ui: &mut egui::Ui,
    st: &mut ReviewState,
    ex: &Exercise,
    header: &Header,
    entries: &[Entry],
    journal: &Path,
    lang: Lang,
    status: &mut Option<(String, bool)>,
) {
    ui.label(tr(
        lang,
        "Het evaluatierapport en verbeterplan (AAR/IP) in elk formaat.",
        "The after-action report and improvement plan (AAR/IP) in every format.",
    ));
    egui::Grid::new("exports").show(ui, |ui| {
        for (format, name) in [
            (Format::Html, "HTML"),
            (Format::Markdown, "Markdown"),
            (Format::Csv, "CSV"),
            (Format::Json, "JSON"),
        ] {
            ui.label(name);
            let beside = journal.with_extension(format.extension());
            let mut target = None;
            if ui
                .button(tr(
                    lang,
                    "Naast het logboek opslaan",
                    "Save beside the journal",
                ))
                .clicked()
            {
                target = Some(beside.clone());
            }
            if ui.button(tr(lang, "Opslaan als…", "Save as…")).clicked() {
                target = rfd::FileDialog::new()
                    .set_file_name(
                        beside
                            .file_name()
                            .map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned()),
                    )
                    .add_filter(name, &[format.extension()])
                    .save_file();
            }
            if let Some(path) = target {
                let aar = Aar::build(ex, header, entries, lang).with_verification(Some(
                    st.verdict.clone().unwrap_or_else(|| {
                        // A session played here: its journal as it is on disk now.
                        let trusted = crate::journal::seal::installation_fingerprint();
                        crate::journal::verify::verdict_for(journal, ex, trusted.as_deref())
                    }),
                ));
                match report::write_atomic(&path, report::render(&aar, format).as_bytes()) {
                    Ok(()) => {
                        st.written.push(path.display().to_string());
                        *status = Some((
                            format!("{} {}", tr(lang, "Geschreven:", "Written:"), path.display()),
                            false,
                        ));
                    }
                    Err(e) => *status = Some((format!("{}: {e}", path.display()), true)),
                }
            }
            ui.end_row();
        }
    });
    for w in &st.written {
        ui.monospace(w);
    }
}
