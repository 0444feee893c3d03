//! The hot wash: something to show the room at the end — the total and each objective as bars
//! with their rating, the main areas for improvement in words, what the author wrote for the
//! debrief about every choice the team made, and the reports one click away.

use super::ExerciseView;
use crate::engine::fmt_elapsed;
use crate::i18n::tr;
use crate::model::Lang;
use crate::report::Format;
use crate::ui::{AppCommand, widgets};

/// Draws the hot wash.
pub fn hot_wash_ui(
    ui: &mut egui::Ui,
    view: &mut ExerciseView,
    lang: Lang,
    app: &mut Vec<AppCommand>,
) {
    view.scorecard();
    let view = &*view;
    let Some(card) = view.last_scorecard() else {
        return;
    };
    let v = view.host.view();
    let ctx = v.sim().ctx();
    // The reports stay in reach at the foot of the screen, however long the debrief.
    egui::Panel::bottom("hotwash-reports").show(ui, |ui| {
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            ui.strong(tr(lang, "Rapporten:", "Reports:"));
            for (format, nl, en) in [
                (
                    Format::Html,
                    "Evaluatierapport (HTML)",
                    "After-action report (HTML)",
                ),
                (Format::Markdown, "Markdown", "Markdown"),
                (Format::Csv, "CSV", "CSV"),
                (Format::Json, "JSON", "JSON"),
                (Format::Pdf, "PDF", "PDF"),
            ] {
                if ui.button(tr(lang, nl, en)).clicked() {
                    app.push(AppCommand::WriteReport { format });
                }
            }
        });
        for w in &view.written {
            ui.horizontal_wrapped(|ui| {
                ui.monospace(w.display().to_string());
                if ui.button(tr(lang, "Openen", "Open")).clicked() {
                    app.push(AppCommand::Open(w.clone()));
                }
                if let Some(dir) = w.parent()
                    && ui.button(tr(lang, "Map openen", "Open folder")).clicked()
                {
                    app.push(AppCommand::Open(dir.to_owned()));
                }
            });
        }
        ui.add_space(4.0);
    });
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("hotwash")
            .show(ui, |ui| {
                ui.heading(tr(lang, "Hot wash — nabespreking", "Hot wash — debrief"));
                ui.label(ctx.scenario.title.get(lang));
                ui.separator();
                widgets::objective_bars_ui(ui, card, lang, true);
                ui.separator();
                ui.heading(tr(
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
                    ui.label(
                        egui::RichText::new(format!(
                            "• {} — {}",
                            p.title.get(lang),
                            crate::describe::role(ctx, p.role.as_str(), lang)
                        ))
                        .strong(),
                    );
                    ui.label(format!(
                        "   {}",
                        crate::describe::why(p, &ctx.plan, &ctx.scenario, lang)
                    ));
                }
                ui.separator();
                ui.heading(tr(
                    lang,
                    "De besluiten en wat ze leren",
                    "The decisions and what they teach",
                ));
                let mut any = false;
                for s in crate::projection::settled(v.entries(), ctx, None, lang) {
                    any = true;
                    ui.horizontal_wrapped(|ui| {
                        ui.monospace(fmt_elapsed(s.t));
                        ui.strong(crate::describe::role(ctx, s.role.as_str(), lang));
                        ui.label(s.prompt);
                        // Another option, played on beside the journal (the review's what-if).
                        if ui
                            .small_button(tr(lang, "Wat als…", "What if…"))
                            .on_hover_text(tr(
                                lang,
                                "Speel na met een andere optie voor dit besluit",
                                "Play on with another option for this decision",
                            ))
                            .clicked()
                        {
                            app.push(AppCommand::WhatIf(s.decision.into()));
                        }
                    });
                    let choice = s
                        .label
                        .unwrap_or_else(|| tr(lang, "niets besloten", "nothing decided"));
                    ui.label(format!(
                        "   → {choice}{}",
                        if s.expired {
                            tr(lang, " (termijn verlopen)", " (deadline passed)")
                        } else {
                            ""
                        }
                    ));
                    if let Some(d) = s.debrief {
                        ui.label(egui::RichText::new(format!("   {d}")).italics());
                    }
                    ui.add_space(4.0);
                }
                if !any {
                    ui.weak(tr(
                        lang,
                        "Er is geen besluit genomen.",
                        "No decision was taken.",
                    ));
                }
                ui.separator();
                egui::CollapsingHeader::new(tr(lang, "De hele scorekaart", "The whole scorecard"))
                    .id_salt("hotwash-card")
                    .show(ui, |ui| widgets::scorecard_ui(ui, card, ctx, lang, true));
            });
    });
}
