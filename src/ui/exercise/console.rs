//! The facilitator console: the MSEL on the left, the situation and the live score on the right,
//! and in the centre the action palette, observations, ad-hoc injects, the journal feed and the
//! scorecard.

use super::{ExerciseView, adhoc, feed, msel, observations, palette};
use crate::engine::Command;
use crate::host::View;
use crate::i18n::tr;
use crate::model::Lang;
use crate::projection::Audience;
use crate::scoring::Scorecard;
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
    /// The situation and the live score, as a tab on a narrow screen.
    Situation,
}

/// Draws the console.
pub fn console_ui(
    ui: &mut egui::Ui,
    view: &mut ExerciseView,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    let (host, forms, card) = view.parts();
    let v = host.view();
    // Side panels take a share of the width, never a fixed size: at 1280 × 720 with text scale
    // 2.0 the window is 640 points wide, and the centre must keep room for the forms.
    let w = ui.available_width();
    let (left, right) = (
        (w * 0.30).clamp(180.0, 430.0),
        (w * 0.24).clamp(160.0, 320.0),
    );
    if w >= 900.0 && forms.console_tab == ConsoleTab::Situation {
        forms.console_tab = ConsoleTab::Actions;
    }
    egui::Panel::left("msel-panel")
        .resizable(false)
        .exact_size(left)
        .show(ui, |ui| {
            msel::msel_ui(ui, &v, &mut forms.msel, lang, commands);
        });
    // On a narrow screen (a projector at 1280 × 720 with large text) the situation and the live
    // score become a tab of the centre instead of a third column.
    let narrow = w < 900.0;
    if !narrow {
        egui::Panel::right("situation-panel")
            .resizable(false)
            .exact_size(right)
            .show(ui, |ui| situation_and_score_ui(ui, &v, card, lang));
    }
    egui::CentralPanel::default().show(ui, |ui| {
        let mut tabs = vec![
            (ConsoleTab::Actions, "Acties", "Actions"),
            (ConsoleTab::Observations, "Waarnemingen", "Observations"),
            (ConsoleTab::AdHoc, "Extra bericht", "Ad-hoc inject"),
            (ConsoleTab::Journal, "Logboek", "Journal"),
            (ConsoleTab::Score, "Scorekaart", "Scorecard"),
        ];
        if narrow {
            tabs.insert(0, (ConsoleTab::Situation, "Situatie", "Situation"));
        }
        widgets::tab_bar_ui(ui, &mut forms.console_tab, &tabs, lang);
        ui.separator();
        match forms.console_tab {
            ConsoleTab::Actions => palette::palette_ui(ui, &v, &mut forms.palette, lang, commands),
            ConsoleTab::Observations => {
                observations::observations_ui(ui, &v, &mut forms.observation, lang, commands);
            }
            ConsoleTab::AdHoc => adhoc::adhoc_ui(ui, &v, &mut forms.adhoc, lang, commands),
            ConsoleTab::Journal => feed::feed_ui(ui, &v, &mut forms.feed, lang),
            ConsoleTab::Situation => situation_and_score_ui(ui, &v, card, lang),
            ConsoleTab::Score => {
                egui::ScrollArea::vertical()
                    .id_salt("score-scroll")
                    .show(ui, |ui| {
                        widgets::scorecard_ui(
                            ui,
                            card,
                            v.sim().ctx(),
                            lang,
                            v.sim().status() == crate::engine::Status::Ended,
                        );
                    });
            }
        }
    });
}

/// The situation picture (hidden variables too: this is exercise control) and the live score.
fn situation_and_score_ui(ui: &mut egui::Ui, v: &View<'_>, card: &Scorecard, lang: Lang) {
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
            widgets::objective_bars_ui(
                ui,
                card,
                lang,
                v.sim().status() == crate::engine::Status::Ended,
            );
        });
}
