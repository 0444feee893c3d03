//! The facilitator console: the MSEL on the left, the situation and the live score on the right,
//! and in the centre the action palette, observations, ad-hoc injects, the journal feed and the
//! scorecard.

use super::{ExerciseView, adhoc, feed, msel, observations, palette};
use crate::engine::Command;
use crate::i18n::tr;
use crate::model::Lang;
use crate::projection::Audience;
use crate::ui::widgets;

/// Sub-views of the console's centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConsoleTab {
    /// Record plan actions.
    #[default]
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

/// Draws the console.
pub fn console_ui(
    ui: &mut egui::Ui,
    view: &mut ExerciseView,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    let card = view.scorecard().clone();
    let v = view.host.view();
    let forms = &mut view.forms;
    let narrow = ui.available_width() < 1500.0;
    egui::Panel::left("msel-panel")
        .resizable(true)
        .default_size(if narrow { 340.0 } else { 430.0 })
        .show(ui, |ui| {
            msel::msel_ui(ui, &v, &mut forms.msel, lang, commands);
        });
    egui::Panel::right("situation-panel")
        .resizable(true)
        .default_size(if narrow { 260.0 } else { 320.0 })
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("situation-scroll")
                .show(ui, |ui| {
                    ui.heading(tr(lang, "Situatiebeeld", "Situation picture"));
                    widgets::situation_ui(
                        ui,
                        v.sim().ctx(),
                        &v.sim().state().vars,
                        Audience::Control,
                        lang,
                    );
                    ui.separator();
                    ui.heading(tr(
                        lang,
                        "Live score (alleen oefenleiding)",
                        "Live score (exercise control only)",
                    ));
                    widgets::objective_bars_ui(ui, &card, lang);
                });
        });
    egui::CentralPanel::default().show(ui, |ui| {
        widgets::tab_bar_ui(
            ui,
            &mut forms.console_tab,
            &[
                (ConsoleTab::Actions, "Acties", "Actions"),
                (ConsoleTab::Observations, "Waarnemingen", "Observations"),
                (ConsoleTab::AdHoc, "Extra bericht", "Ad-hoc inject"),
                (ConsoleTab::Journal, "Logboek", "Journal"),
                (ConsoleTab::Score, "Scorekaart", "Scorecard"),
            ],
            lang,
        );
        ui.separator();
        match forms.console_tab {
            ConsoleTab::Actions => palette::palette_ui(ui, &v, &mut forms.palette, lang, commands),
            ConsoleTab::Observations => {
                observations::observations_ui(ui, &v, &mut forms.observation, lang, commands);
            }
            ConsoleTab::AdHoc => adhoc::adhoc_ui(ui, &v, &mut forms.adhoc, lang, commands),
            ConsoleTab::Journal => feed::feed_ui(ui, &v, &mut forms.feed, lang),
            ConsoleTab::Score => {
                egui::ScrollArea::vertical()
                    .id_salt("score-scroll")
                    .show(ui, |ui| {
                        widgets::scorecard_ui(ui, &card, v.sim().ctx(), lang);
                    });
            }
        }
    });
}
