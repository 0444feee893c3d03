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
use crate::report::Format;
use crate::scoring::{self, Scorecard};
use crate::ui::{AppCommand, Notice};

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
    pub written: Vec<PathBuf>,
    /// What verifying the journal found (`None` for a session being played here).
    pub verdict: Option<crate::journal::verify::Verdict>,
    filtered: Option<(String, usize, Vec<usize>)>,
    card: Option<(usize, Scorecard)>,
}

impl ReviewState {
    /// Review state for a journal; loads notes kept beside it.
    pub fn new(journal: &Path) -> Self {
        let notes_path = notes_path(journal);
        // Notes are the reviewer's own text: a missing or unreadable file starts empty.
        let notes = crate::files::read_regular(&notes_path, crate::model::load::MAX_FILE_BYTES)
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
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
        let find = |h: &Header| crate::library::exercise_for_journal(h, Some(path), Some(lib));
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

/// The journal under review, borrowed from the host (during play) or from a [`ReviewView`].
pub struct Journal<'a> {
    /// The scenario and plan with ids resolved.
    pub ctx: &'a Compiled,
    /// The exercise.
    pub exercise: &'a Exercise,
    /// The header.
    pub header: &'a Header,
    /// The entries.
    pub entries: &'a [Entry],
    /// The journal's path.
    pub path: &'a Path,
}

/// The review screen for a journal opened from the library: a top bar and the review.
pub fn review_screen_ui(
    ui: &mut egui::Ui,
    rv: &mut ReviewView,
    lang: Lang,
    out: &mut Vec<AppCommand>,
) {
    egui::Panel::top("review-top").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            if ui.button(tr(lang, "◀ Bibliotheek", "◀ Library")).clicked() {
                out.push(AppCommand::Library);
            }
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
        let ReviewView {
            exercise,
            header,
            entries,
            path,
            state,
            ctx,
            ..
        } = rv;
        review_ui(
            ui,
            state,
            &Journal {
                ctx,
                exercise,
                header,
                entries,
                path,
            },
            lang,
            out,
        );
    });
}

/// Draws the review of a journal.
pub fn review_ui(
    ui: &mut egui::Ui,
    st: &mut ReviewState,
    j: &Journal<'_>,
    lang: Lang,
    out: &mut Vec<AppCommand>,
) {
    let (ctx, header, entries) = (j.ctx, j.header, j.entries);
    super::widgets::tab_bar_ui(
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
                    super::widgets::scorecard_ui(ui, &card, ctx, lang);
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
                                ui.label(p.title.get(lang));
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
                            ui.label(crate::describe::role(ctx, l.role.as_str(), lang));
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
        ReviewTab::Notes => notes_ui(ui, st, ctx, entries, lang, out),
        ReviewTab::Export => export_ui(ui, st, lang, out),
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
    ui.horizontal_wrapped(|ui| {
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
        // Room right of the exercise's end for the procedure labels, which sit beside the bars;
        // the legend goes bottom right, below the windows that open first.
        .include_x(minutes(card.end_t.max(60)) * 1.45)
        .legend(egui_plot::Legend::default().position(egui_plot::Corner::RightBottom))
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
                // A window ends at its deadline, and never after the exercise's end.
                let end = card
                    .end_t
                    .max(t0)
                    .min(u64::from(ctx.scenario.duration_min) * 60);
                let deadline = pr.allowed_secs.map_or(end, |a| (t0 + a).min(end));
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
                    // Right of the window's end, so the label never sits on a bar.
                    egui_plot::Text::new(
                        "",
                        egui_plot::PlotPoint::new(minutes(deadline) + 1.0, y),
                        pr.title.get(lang).to_owned(),
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
    let vars = crate::projection::vars_at(entries, ctx, t);
    let last_injects: Vec<(SimTime, &str)> = entries
        .iter()
        .take_while(|e| e.t <= t)
        .filter_map(|e| crate::projection::message(e, ctx, lang))
        .map(|m| (m.t, m.title))
        .collect();
    ui.columns(2, |cols| {
        cols[0].strong(format!(
            "{} T+{}",
            tr(lang, "Situatie op", "Situation at"),
            fmt_elapsed(t)
        ));
        super::widgets::situation_ui(
            &mut cols[0],
            ctx,
            &vars,
            crate::projection::Audience::Control,
            lang,
        );
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
        let role_label = ui.label(tr(lang, "Rol:", "Role:"));
        egui::ComboBox::from_id_salt("review-role")
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
            })
            .response
            .labelled_by(role_label.id);
        ui.separator();
        let kind_label = ui.label(tr(lang, "Soort:", "Kind:"));
        egui::ComboBox::from_id_salt("review-kind")
            .selected_text(st.kind_filter.label(lang))
            .show_ui(ui, |ui| {
                for k in KindFilter::ALL {
                    ui.selectable_value(&mut st.kind_filter, k, k.label(lang));
                }
            })
            .response
            .labelled_by(kind_label.id);
        ui.separator();
        let label = ui.label(tr(lang, "Tekst:", "Text:"));
        ui.add(egui::TextEdit::singleline(&mut st.text_filter))
            .labelled_by(label.id);
    });
    let key = format!(
        "{:?}|{:?}|{}|{lang:?}",
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
                    || crate::describe::entry(e, ctx, lang)
                        .to_lowercase()
                        .contains(&text)
                    || crate::describe::actor(&e.actor, ctx, lang)
                        .to_lowercase()
                        .contains(&text)
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
                    ui.label(crate::describe::actor(&e.actor, ctx, lang));
                });
                row.col(|ui| {
                    ui.label(crate::describe::entry(e, ctx, lang));
                });
            });
        });
}

fn notes_ui(
    ui: &mut egui::Ui,
    st: &mut ReviewState,
    ctx: &Compiled,
    entries: &[Entry],
    lang: Lang,
    out: &mut Vec<AppCommand>,
) {
    ui.strong(tr(
        lang,
        "Waarnemingen tijdens de oefening",
        "Observations during the exercise",
    ));
    let mut any = false;
    for e in entries {
        if let Body::Event(ev) = &e.body
            && matches!(ev.kind, EventKind::Observed { .. })
        {
            any = true;
            ui.label(format!(
                "#{} {} {}",
                e.seq,
                fmt_elapsed(ev.t),
                crate::describe::event(&ev.kind, ctx, lang)
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
    ui.horizontal_wrapped(|ui| {
        if ui
            .button(tr(lang, "Notities opslaan", "Save notes"))
            .clicked()
        {
            out.push(AppCommand::Notify(
                match crate::files::write_atomic(&st.notes_path, st.notes.as_bytes()) {
                    Ok(()) => Notice::info(format!(
                        "{} {}",
                        tr(lang, "Opgeslagen:", "Saved:"),
                        st.notes_path.display()
                    )),
                    Err(e) => Notice::error(format!("{}: {e}", st.notes_path.display())),
                },
            ));
        }
        ui.weak(st.notes_path.display().to_string());
    });
}

fn export_ui(ui: &mut egui::Ui, st: &ReviewState, lang: Lang, out: &mut Vec<AppCommand>) {
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
            if ui
                .button(tr(
                    lang,
                    "Naast het logboek opslaan",
                    "Save beside the journal",
                ))
                .clicked()
            {
                out.push(AppCommand::WriteReport { format });
            }
            if ui.button(tr(lang, "Opslaan als…", "Save as…")).clicked() {
                out.push(AppCommand::SaveReportAs { format });
            }
            ui.end_row();
        }
    });
    for w in &st.written {
        ui.horizontal_wrapped(|ui| {
            ui.monospace(w.display().to_string());
            if ui.button(tr(lang, "Openen", "Open")).clicked() {
                out.push(AppCommand::Open(w.clone()));
            }
        });
    }
}
