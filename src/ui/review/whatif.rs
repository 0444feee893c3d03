//! The review's "what if": pick a decision the team took or let expire, choose another option,
//! and see the branch beside the journal — the two scores per objective and procedure, the first
//! event that differs, the injects that now come or no longer come, on one timeline. What-ifs
//! are kept beside the journal (`<journal>.whatif.json`); the journal is never changed.

use std::path::Path;
use std::sync::Arc;

use super::{
    AppCommand, Body, Compiled, Entry, EventKind, Header, Lang, Notice, Plot, PlotPoints, Points,
    SimTime, VLine, fmt_elapsed, tr,
};
use crate::engine::Rating;
use crate::model::{ChoiceId, DecisionId};
use crate::whatif::{self, Outcome, Spec, ThenSpec};

/// The policy picked in the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyPick {
    /// New decisions expire into their defaults.
    Default,
    /// Their first option.
    First,
    /// As a script says.
    Script,
}

/// The what-if tab's state.
pub struct WhatIfState {
    /// The decision picked.
    pub decision: Option<DecisionId>,
    /// The other option picked.
    pub choice: Option<ChoiceId>,
    /// How new decisions are taken.
    pub policy: PolicyPick,
    /// The script, for [`PolicyPick::Script`].
    pub script: String,
    /// The what-ifs kept beside the journal.
    pub kept: Vec<Spec>,
    /// Their outcomes (or why one cannot be played), for the journal's length they were
    /// computed for.
    outcomes: Option<(usize, Vec<Result<Outcome, String>>)>,
    /// The what-if shown side by side.
    pub selected: Option<usize>,
}

impl WhatIfState {
    /// The state for a journal: what-ifs kept beside it are loaded.
    pub fn new(journal: &Path) -> Self {
        Self {
            decision: None,
            choice: None,
            policy: PolicyPick::Default,
            script: String::new(),
            kept: whatif::load_kept(journal),
            outcomes: None,
            selected: None,
        }
    }

    /// Opens the form on a decision (from the hot wash).
    pub fn pick(&mut self, decision: DecisionId) {
        self.decision = Some(decision);
        self.choice = None;
    }
}

fn play(
    ctx: &Arc<Compiled>,
    header: &Header,
    entries: &[Entry],
    spec: &Spec,
) -> Result<Outcome, String> {
    let then = spec.then.load()?;
    whatif::what_if(ctx, header, entries, spec, &then).map_err(|e| e.to_string())
}

/// At most `n` characters, with an ellipsis when cut.
fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

fn rating(r: Option<Rating>) -> String {
    r.map_or_else(|| "—".to_owned(), |r| format!("{r:?}"))
}

/// Draws the what-if tab.
pub(super) fn whatif_ui(
    ui: &mut egui::Ui,
    st: &mut WhatIfState,
    j: &super::Journal<'_>,
    lang: Lang,
    out: &mut Vec<AppCommand>,
) {
    let (ctx, header, entries) = (j.ctx, j.header, j.entries);
    // The scenario as the engine needs it (shared with the branches).
    let shared = || Arc::new(ctx.clone());
    if st
        .outcomes
        .as_ref()
        .is_none_or(|(n, _)| *n != entries.len())
    {
        let arc = shared();
        let done = st
            .kept
            .iter()
            .map(|s| play(&arc, header, entries, s))
            .collect();
        st.outcomes = Some((entries.len(), done));
    }
    egui::ScrollArea::vertical()
        .id_salt("whatif")
        .show(ui, |ui| {
            ui.label(tr(
                lang,
                "Kies een besluit dat het team nam of liet verlopen, en een andere optie: Paraat speelt het logboek tot dat moment na, neemt die optie, en speelt verder met de latere opdrachten van het logboek. Het logboek zelf verandert nooit.",
                "Pick a decision the team took or let expire, and another option: Paraat replays the journal up to that moment, takes that option, and plays on with the journal's later commands. The journal itself never changes.",
            ));
            form_ui(ui, st, j, lang, out, &shared);
            ui.separator();
            kept_ui(ui, st, j.path, ctx, lang, out);
            if let Some(i) = st.selected
                && let Some((_, outcomes)) = &st.outcomes
                && let Some(Ok(o)) = outcomes.get(i)
            {
                ui.separator();
                side_by_side_ui(ui, o, ctx, entries, lang);
            }
        });
}

fn form_ui(
    ui: &mut egui::Ui,
    st: &mut WhatIfState,
    j: &super::Journal<'_>,
    lang: Lang,
    out: &mut Vec<AppCommand>,
    shared: &dyn Fn() -> Arc<Compiled>,
) {
    let ctx = j.ctx;
    let settled: Vec<_> = crate::projection::settled(j.entries, ctx, None, lang).collect();
    ui.strong(tr(lang, "Nieuwe wat-als", "New what-if"));
    let current = st
        .decision
        .as_ref()
        .and_then(|d| settled.iter().find(|s| s.decision == d.as_str()))
        .map_or_else(
            || tr(lang, "(kies een besluit)", "(pick a decision)").to_owned(),
            |s| format!("T+{} {}", fmt_elapsed(s.t), s.prompt),
        );
    egui::ComboBox::from_label(tr(lang, "Besluit", "Decision"))
        .selected_text(current)
        .width(ui.available_width().min(700.0) - 120.0)
        .show_ui(ui, |ui| {
            for s in &settled {
                let text = format!(
                    "T+{} {} — {} → {}{}",
                    fmt_elapsed(s.t),
                    crate::describe::role(ctx, s.role.as_str(), lang),
                    s.prompt,
                    s.label
                        .unwrap_or_else(|| tr(lang, "niets besloten", "nothing decided")),
                    if s.expired {
                        tr(lang, " (verlopen)", " (expired)")
                    } else {
                        ""
                    }
                );
                if ui
                    .selectable_label(
                        st.decision
                            .as_ref()
                            .is_some_and(|d| d.as_str() == s.decision),
                        text,
                    )
                    .clicked()
                {
                    st.decision = Some(DecisionId::from(s.decision));
                    st.choice = None;
                }
            }
        });
    let Some(d) = st.decision.clone() else {
        return;
    };
    let taken = settled
        .iter()
        .find(|s| s.decision == d.as_str())
        .and_then(|s| s.choice.filter(|_| !s.expired));
    if let Some(&di) = ctx.decision_index.get(d.as_str()) {
        ui.label(tr(lang, "Andere optie:", "Other option:"));
        for c in &ctx.decisions[di].choices {
            let mut label = crate::describe::choice(ctx, d.as_str(), c.as_str(), lang).to_owned();
            if taken == Some(c.as_str()) {
                label.push_str(tr(lang, " (zoals het team koos)", " (as the team chose)"));
            }
            ui.radio_value(&mut st.choice, Some(c.clone()), label);
        }
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(tr(
            lang,
            "Nieuwe besluiten op de tak:",
            "New decisions on the branch:",
        ));
        ui.radio_value(
            &mut st.policy,
            PolicyPick::Default,
            tr(lang, "verlopen (standaard)", "expire (default)"),
        );
        ui.radio_value(
            &mut st.policy,
            PolicyPick::First,
            tr(lang, "eerste optie", "first option"),
        );
        ui.radio_value(
            &mut st.policy,
            PolicyPick::Script,
            tr(lang, "volgens script", "as a script says"),
        );
    });
    if st.policy == PolicyPick::Script {
        ui.horizontal(|ui| {
            let label = ui.label(tr(lang, "Script (pad):", "Script (path):"));
            ui.add(egui::TextEdit::singleline(&mut st.script).desired_width(420.0))
                .labelled_by(label.id);
        });
    }
    let ready =
        st.choice.is_some() && (st.policy != PolicyPick::Script || !st.script.trim().is_empty());
    if ui
        .add_enabled(
            ready,
            egui::Button::new(tr(lang, "Speel wat-als", "Play what if")),
        )
        .clicked()
        && let Some(choice) = st.choice.clone()
    {
        let spec = Spec {
            decision: d,
            choice,
            then: match st.policy {
                PolicyPick::Default => ThenSpec::Default,
                PolicyPick::First => ThenSpec::First,
                PolicyPick::Script => ThenSpec::Script(st.script.trim().into()),
            },
        };
        match play(&shared(), j.header, j.entries, &spec) {
            Ok(o) => {
                st.kept.push(spec);
                if let Some((_, outcomes)) = &mut st.outcomes {
                    outcomes.push(Ok(o));
                }
                st.selected = Some(st.kept.len() - 1);
                save(st, j.path, lang, out);
            }
            Err(e) => out.push(AppCommand::Notify(Notice::error(e))),
        }
    }
}

fn save(st: &WhatIfState, journal: &Path, lang: Lang, out: &mut Vec<AppCommand>) {
    let path = whatif::store_path(journal);
    out.push(AppCommand::Notify(
        match whatif::save_kept(journal, &st.kept) {
            Ok(()) => Notice::info(format!(
                "{} {}",
                tr(
                    lang,
                    "Wat-als bewaard naast het logboek:",
                    "What-ifs kept beside the journal:"
                ),
                path.display()
            )),
            Err(e) => Notice::error(format!("{}: {e}", path.display())),
        },
    ));
}

/// The kept what-ifs, compared with the journal and with each other.
fn kept_ui(
    ui: &mut egui::Ui,
    st: &mut WhatIfState,
    journal: &Path,
    ctx: &Compiled,
    lang: Lang,
    out: &mut Vec<AppCommand>,
) {
    ui.strong(tr(lang, "Bewaarde wat-als", "Kept what-ifs"));
    let Some((_, outcomes)) = &st.outcomes else {
        return;
    };
    if st.kept.is_empty() {
        ui.weak(tr(lang, "Nog geen.", "None yet."));
        return;
    }
    let mut remove = None;
    let mut select = None;
    // Its own horizontal scroll: a wide table must not widen the page (the text below wraps
    // at the window's edge).
    egui::ScrollArea::horizontal()
        .id_salt("whatif-kept-scroll")
        .show(ui, |ui| {
            egui::Grid::new("whatif-kept").striped(true).show(ui, |ui| {
                ui.strong(tr(lang, "Wat als", "What if"));
                ui.strong(tr(lang, "Totaal", "Total"));
                for o in &ctx.scenario.objectives {
                    ui.strong(o.id.as_str()).on_hover_text(o.title.get(lang));
                }
                ui.label("");
                ui.end_row();
                // The journal first, as the baseline.
                if let Some(Ok(o)) = outcomes.iter().find(|o| o.is_ok()) {
                    ui.label(tr(lang, "Logboek", "Journal"));
                    ui.label(o.total_before.percent());
                    for x in &o.objectives {
                        ui.label(format!(
                            "{} {}",
                            rating(x.rating_before),
                            x.before.percent()
                        ));
                    }
                    ui.label("");
                    ui.end_row();
                }
                for (i, (spec, o)) in st.kept.iter().zip(outcomes).enumerate() {
                    let (question, option) = (
                        crate::describe::decision(ctx, spec.decision.as_str(), lang),
                        crate::describe::choice(
                            ctx,
                            spec.decision.as_str(),
                            spec.choice.as_str(),
                            lang,
                        ),
                    );
                    let full = format!(
                        "{}: {question} → {option} ({})",
                        i + 1,
                        spec.then.label(lang)
                    );
                    // Short in the table (the whole text on hover and in the heading below).
                    let name =
                        format!("{}: {} → {}", i + 1, short(question, 40), short(option, 40));
                    if ui
                        .selectable_label(st.selected == Some(i), name)
                        .on_hover_text(full)
                        .clicked()
                    {
                        select = Some(i);
                    }
                    match o {
                        Ok(o) => {
                            ui.label(format!(
                                "{} ({:+.1})",
                                o.total_after.percent(),
                                o.total_after.earned - o.total_before.earned
                            ));
                            for x in &o.objectives {
                                ui.label(format!(
                                    "{} {}",
                                    rating(x.rating_after),
                                    x.after.percent()
                                ));
                            }
                        }
                        Err(e) => {
                            ui.colored_label(ui.visuals().error_fg_color, e);
                            for _ in &ctx.scenario.objectives {
                                ui.label("");
                            }
                        }
                    }
                    if ui
                        .button(tr(lang, "Verwijderen", "Remove"))
                        .on_hover_text(tr(lang, "Uit de bewaarde lijst", "From the kept list"))
                        .clicked()
                    {
                        remove = Some(i);
                    }
                    ui.end_row();
                }
            });
        });
    if let Some(i) = select {
        st.selected = Some(i);
    }
    if let Some(i) = remove {
        st.kept.remove(i);
        if let Some((_, outcomes)) = &mut st.outcomes {
            let _ = outcomes.remove(i);
        }
        st.selected = None;
        save(st, journal, lang, out);
    }
}

/// One what-if beside the journal.
fn side_by_side_ui(ui: &mut egui::Ui, o: &Outcome, ctx: &Compiled, entries: &[Entry], lang: Lang) {
    let d = o.spec.decision.as_str();
    ui.heading(format!(
        "{}: {} → {}",
        tr(lang, "Wat als", "What if"),
        crate::describe::decision(ctx, d, lang),
        crate::describe::choice(ctx, d, o.spec.choice.as_str(), lang)
    ));
    if o.identical() {
        ui.label(tr(
            lang,
            "Het logboek wordt exact gereproduceerd: geen verschil.",
            "The journal is reproduced exactly: no difference.",
        ));
    }
    egui::Grid::new("whatif-side").striped(true).show(ui, |ui| {
        ui.strong("");
        ui.strong(tr(lang, "Logboek", "Journal"));
        ui.strong(tr(lang, "Wat als", "What if"));
        ui.strong(tr(lang, "Verschil", "Difference"));
        ui.end_row();
        ui.strong(tr(lang, "Totaal", "Total"));
        ui.label(o.total_before.summary(lang));
        ui.label(o.total_after.summary(lang));
        ui.label(format!(
            "{:+.1}",
            o.total_after.earned - o.total_before.earned
        ));
        ui.end_row();
        for x in &o.objectives {
            ui.label(x.title.get(lang));
            ui.label(format!(
                "{} {}",
                rating(x.rating_before),
                x.before.percent()
            ));
            ui.label(format!("{} {}", rating(x.rating_after), x.after.percent()));
            ui.label(format!("{:+.1}", x.after.earned - x.before.earned));
            ui.end_row();
        }
    });
    let changed = |p: &&whatif::ProcedureDiff| {
        p.status_before != p.status_after || (p.net_before - p.net_after).abs() > 1e-9
    };
    let procedures_ui =
        |ui: &mut egui::Ui, id: &str, which: &dyn Fn(&&whatif::ProcedureDiff) -> bool| {
            egui::Grid::new(id).striped(true).show(ui, |ui| {
                for p in o.procedures.iter().filter(which) {
                    ui.label(p.title.get(lang));
                    ui.label(crate::describe::role(ctx, p.role.as_str(), lang));
                    ui.label(format!(
                        "{} {:.1}",
                        p.status_before.label(lang),
                        p.net_before
                    ));
                    ui.label(format!("{} {:.1}", p.status_after.label(lang), p.net_after));
                    ui.label(if changed(&p) {
                        format!("{:+.1}", p.net_after - p.net_before)
                    } else {
                        String::new()
                    });
                    ui.end_row();
                }
            });
        };
    ui.add_space(6.0);
    ui.strong(tr(
        lang,
        "Procedures die veranderen",
        "Procedures that change",
    ));
    if o.procedures.iter().any(|p| changed(&p)) {
        procedures_ui(ui, "whatif-changed", &changed);
    } else {
        ui.weak(tr(lang, "geen", "none"));
    }
    ui.add_space(6.0);
    if let Some(f) = &o.first_difference {
        ui.strong(format!(
            "{} T+{}",
            tr(lang, "Eerste verschil op", "First difference at"),
            fmt_elapsed(f.t)
        ));
        let side = |e: &Option<crate::engine::Event>| {
            e.as_ref().map_or_else(
                || tr(lang, "(niets meer)", "(nothing more)").to_owned(),
                |e| crate::describe::timed(e, ctx, lang),
            )
        };
        ui.label(format!(
            "{}: {}",
            tr(lang, "Logboek", "Journal"),
            side(&f.journal)
        ));
        ui.label(format!(
            "{}: {}",
            tr(lang, "Wat als", "What if"),
            side(&f.branch)
        ));
    }
    let name =
        |c: &whatif::InjectChange| crate::describe::inject(ctx, c.inject.as_str(), lang).to_owned();
    let list = |items: Vec<String>| {
        if items.is_empty() {
            tr(lang, "geen", "none").to_owned()
        } else {
            items.join("; ")
        }
    };
    ui.label(format!(
        "{}: {}",
        tr(lang, "Injects die nu komen", "Injects that now come"),
        list(
            o.now_come()
                .map(|c| format!("T+{} {}", fmt_elapsed(c.branch.unwrap_or(0)), name(c)))
                .collect()
        )
    ));
    ui.label(format!(
        "{}: {}",
        tr(
            lang,
            "Injects die niet meer komen",
            "Injects that no longer come"
        ),
        list(
            o.no_longer()
                .map(|c| format!("T+{} {}", fmt_elapsed(c.journal.unwrap_or(0)), name(c)))
                .collect()
        )
    ));
    ui.label(format!(
        "{}: {} {}, {} {}",
        tr(
            lang,
            "Latere opdrachten van het logboek",
            "Later commands of the journal"
        ),
        o.kept,
        tr(lang, "overgenomen", "kept"),
        o.dropped.len(),
        tr(lang, "vervallen", "dropped")
    ));
    for x in &o.dropped {
        ui.weak(format!(
            "  T+{} {} — {}",
            fmt_elapsed(x.t),
            crate::describe::command(&x.command, ctx, lang),
            crate::describe::sim_error(&x.error, lang)
        ));
    }
    for a in &o.added {
        ui.weak(format!(
            "  + T+{} {}: {}",
            fmt_elapsed(a.t),
            crate::describe::decision(ctx, a.decision.as_str(), lang),
            crate::describe::choice(ctx, a.decision.as_str(), a.choice.as_str(), lang)
        ));
    }
    timeline_ui(ui, o, ctx, entries, lang);
    egui::CollapsingHeader::new(tr(lang, "Alle procedures", "All procedures"))
        .id_salt("whatif-all")
        .show(ui, |ui| procedures_ui(ui, "whatif-procs", &|_| true));
}

/// Both on one timeline: the journal's injects and decisions on the upper lane, the branch's on
/// the lower, what differs in colour, the moment of the other option as a line.
fn timeline_ui(ui: &mut egui::Ui, o: &Outcome, ctx: &Compiled, entries: &[Entry], lang: Lang) {
    let minutes = |t: SimTime| t as f64 / 60.0;
    let lanes = |es: &[Entry], y: f64| {
        let mut injects = Vec::new();
        let mut decisions = Vec::new();
        for e in es {
            if let Body::Event(ev) = &e.body {
                match &ev.kind {
                    EventKind::InjectReleased { inject, .. } => {
                        let differs = o.injects.iter().any(|c| c.inject == *inject);
                        injects.push(([minutes(ev.t), y], differs));
                    }
                    EventKind::DecisionMade { .. } | EventKind::DecisionExpired { .. } => {
                        decisions.push([minutes(ev.t), y - 0.2]);
                    }
                    _ => {}
                }
            }
        }
        (injects, decisions)
    };
    let (ja, jd) = lanes(entries, 1.0);
    let (ba, bd) = lanes(&o.entries, 0.0);
    let split = |v: Vec<([f64; 2], bool)>| -> (Vec<[f64; 2]>, Vec<[f64; 2]>) {
        let (a, b): (Vec<_>, Vec<_>) = v.into_iter().partition(|x| !x.1);
        (
            a.into_iter().map(|x| x.0).collect(),
            b.into_iter().map(|x| x.0).collect(),
        )
    };
    let (ja_same, ja_diff) = split(ja);
    let (ba_same, ba_diff) = split(ba);
    let at = minutes(o.at);
    let end = f64::from(ctx.scenario.duration_min);
    ui.add_space(6.0);
    ui.strong(tr(
        lang,
        "Tijdlijn: boven het logboek, onder de wat-als",
        "Timeline: the journal above, the what-if below",
    ));
    Plot::new("whatif-timeline")
        .height(180.0)
        .include_x(0.0)
        .include_x(end)
        .include_y(-0.6)
        .include_y(1.4)
        .show_axes([true, false])
        .legend(egui_plot::Legend::default().position(egui_plot::Corner::RightBottom))
        .show(ui, |p| {
            let grey = egui::Color32::from_rgb(80, 140, 220);
            let diff = egui::Color32::from_rgb(213, 43, 30);
            p.points(
                Points::new(tr(lang, "Injects", "Injects"), PlotPoints::from(ja_same))
                    .radius(3.0)
                    .color(grey),
            );
            p.points(
                Points::new(tr(lang, "Injects", "Injects"), PlotPoints::from(ba_same))
                    .radius(3.0)
                    .color(grey),
            );
            p.points(
                Points::new(
                    tr(lang, "Injects die verschillen", "Injects that differ"),
                    PlotPoints::from(ja_diff),
                )
                .radius(5.0)
                .color(diff),
            );
            p.points(
                Points::new(
                    tr(lang, "Injects die verschillen", "Injects that differ"),
                    PlotPoints::from(ba_diff),
                )
                .radius(5.0)
                .color(diff),
            );
            let green = egui::Color32::from_rgb(57, 135, 12);
            p.points(
                Points::new(tr(lang, "Besluiten", "Decisions"), PlotPoints::from(jd))
                    .radius(3.0)
                    .color(green),
            );
            p.points(
                Points::new(tr(lang, "Besluiten", "Decisions"), PlotPoints::from(bd))
                    .radius(3.0)
                    .color(green),
            );
            p.text(
                egui_plot::Text::new(
                    "",
                    egui_plot::PlotPoint::new(0.0, 1.3),
                    tr(lang, "Logboek", "Journal"),
                )
                .anchor(egui::Align2::LEFT_CENTER),
            );
            p.text(
                egui_plot::Text::new(
                    "",
                    egui_plot::PlotPoint::new(0.0, 0.3),
                    tr(lang, "Wat als", "What if"),
                )
                .anchor(egui::Align2::LEFT_CENTER),
            );
            p.vline(VLine::new(tr(lang, "Andere optie", "Other option"), at));
        });
}
