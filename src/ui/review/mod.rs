//! The after-action review: a zoomable timeline with a moment to scrub to, the situation as it
//! was at that moment, the scorecard with the journal entries behind every point, the journal
//! as a filterable table, observations, reviewer notes in a sidecar file, and exports.

mod notes;
mod table;
mod timeline;
pub mod whatif;

use notes::{export_ui, notes_ui};
use table::journal_table_ui;
use timeline::timeline_ui;

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
    /// What if the team had decided otherwise.
    WhatIf,
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
                        EventKind::VarChanged { .. }
                            | EventKind::SignalRaised { .. }
                            | EventKind::SignalCleared { .. }
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
    /// The what-ifs.
    pub whatif: whatif::WhatIfState,
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
            whatif: whatif::WhatIfState::new(journal),
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
    crate::ui::widgets::tab_bar_ui(
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
            (ReviewTab::WhatIf, "Wat als?", "What if?"),
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
                    let ended = crate::journal::records_end(entries);
                    crate::ui::widgets::scorecard_ui(ui, &card, ctx, lang, ended);
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
        ReviewTab::WhatIf => whatif::whatif_ui(ui, &mut st.whatif, j, lang, out),
    }
}
