//! Widgets shared by several screens: the situation grid, the scorecard, role pickers, tab bars
//! and rating bars. Screens use these; these use no screen.

mod attachments;
mod scorecard;

pub use attachments::attachments_ui;
pub use scorecard::{objective_bars_ui, scorecard_ui};

use crate::engine::{Compiled, Rating};
use crate::i18n::tr;
use crate::model::{Lang, RoleId, Value};
use crate::projection::{self, Audience};

/// A row of selectable labels that switch `current` between views or filters.
pub fn tab_bar_ui<T: PartialEq + Copy>(
    ui: &mut egui::Ui,
    current: &mut T,
    tabs: &[(T, &'static str, &'static str)],
    lang: Lang,
) {
    ui.horizontal_wrapped(|ui| {
        for &(t, nl, en) in tabs {
            if ui
                .selectable_label(*current == t, tr(lang, nl, en))
                .clicked()
            {
                *current = t;
            }
        }
    });
}

/// The situation picture for some variable values: label and value in words; hidden variables
/// only for exercise control (never on the projector or the desks).
pub fn situation_ui(
    ui: &mut egui::Ui,
    ctx: &Compiled,
    vars: &[Value],
    audience: Audience<'_>,
    lang: Lang,
) {
    // Both columns wrap within half the width: a long value ("GRIP 1: on-scene command post")
    // must never widen the grid past its panel, where it would slide under the next one.
    let half = ((ui.available_width() - ui.spacing().item_spacing.x) / 2.0).max(40.0);
    egui::Grid::new(ui.scope_id().with("situation"))
        .num_columns(2)
        .striped(true)
        .max_col_width(half)
        .show(ui, |ui| {
            for (label, value) in projection::situation(ctx, vars, audience, lang) {
                ui.add(egui::Label::new(label).wrap());
                ui.add(egui::Label::new(egui::RichText::new(value).strong()).wrap());
                ui.end_row();
            }
        });
}

/// A drop-down of roles with its label on its own line above it, so that a long role name never
/// squeezes the label.
pub fn role_combo_ui(
    ui: &mut egui::Ui,
    id: &str,
    label: &str,
    roles: &[(RoleId, String)],
    value: &mut Option<RoleId>,
    none: Option<&str>,
) {
    let selected = value
        .as_ref()
        .and_then(|v| roles.iter().find(|(r, _)| r == v))
        .map_or_else(|| none.unwrap_or("—").to_owned(), |(_, n)| n.clone());
    let l = ui.label(label);
    egui::ComboBox::from_id_salt(id)
        .selected_text(selected)
        .width(ui.available_width().min(360.0))
        .show_ui(ui, |ui| {
            if let Some(none) = none {
                ui.selectable_value(value, None, none);
            }
            for (r, n) in roles {
                ui.selectable_value(value, Some(r.clone()), n);
            }
        })
        .response
        .labelled_by(l.id);
}

/// The roles of the scenario with their names.
pub fn roles_in_play(ctx: &Compiled, lang: Lang) -> Vec<(RoleId, String)> {
    ctx.scenario
        .roles
        .iter()
        .map(|r| {
            (
                r.clone(),
                crate::describe::role(ctx, r.as_str(), lang).to_owned(),
            )
        })
        .collect()
}

/// The colour of a P/S/M/U rating: green, yellow-green, orange, red.
pub fn rating_colour(r: Rating) -> egui::Color32 {
    match r {
        Rating::P => egui::Color32::from_rgb(0x2e, 0x8b, 0x57),
        Rating::S => egui::Color32::from_rgb(0x9a, 0xb0, 0x2c),
        Rating::M => egui::Color32::from_rgb(0xe0, 0x8a, 0x1e),
        Rating::U => egui::Color32::from_rgb(0xc8, 0x32, 0x32),
    }
}

/// What a rating means, for a hover text or a legend.
pub fn rating_meaning(r: Rating, lang: Lang) -> &'static str {
    match r {
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
    }
}

/// A horizontal bar for a share from 0 to 1, with a text on it, in `colour`.
pub fn share_bar_ui(
    ui: &mut egui::Ui,
    share: f64,
    text: &str,
    colour: egui::Color32,
) -> egui::Response {
    let bar = egui::ProgressBar::new(share.clamp(0.0, 1.0) as f32)
        .text(
            egui::RichText::new(text)
                .color(egui::Color32::WHITE)
                .strong(),
        )
        .fill(colour)
        .desired_height(ui.text_style_height(&egui::TextStyle::Body) * 1.6);
    ui.add(bar)
}
