//! The scorecard: total and objectives as bars with their P/S/M/U rating, then roles, phases and
//! procedures, each point with its reason. Names, never ids.

use super::{rating_colour, share_bar_ui};
use crate::engine::Compiled;
use crate::i18n::tr;
use crate::model::Lang;
use crate::scoring::Scorecard;

/// What a bar shows while nothing under it has been scored: during the exercise, not yet;
/// after its end, not at all (none of its procedures came up in this run).
fn not_scored(lang: Lang, ended: bool) -> &'static str {
    if ended {
        tr(
            lang,
            "— niet gescoord: geen van de procedures kwam in deze oefening aan de orde",
            "— not scored: none of its procedures came up in this exercise",
        )
    } else {
        tr(
            lang,
            "— nog niet gescoord (geen procedure afgerond of aan de orde)",
            "— not scored yet (no procedure closed or triggered)",
        )
    }
}

/// The total and every objective as a coloured bar with its rating; `ended` says whether the
/// exercise is over (an unscored bar then says so, rather than "not yet").
pub fn objective_bars_ui(ui: &mut egui::Ui, card: &Scorecard, lang: Lang, ended: bool) {
    let total_rating = card.total.share().map(crate::scoring::rating_for);
    ui.label(
        egui::RichText::new(tr(lang, "Totaalscore", "Total score"))
            .heading()
            .strong(),
    );
    if card.total.share().is_some() {
        share_bar_ui(
            ui,
            card.total.share().unwrap_or(0.0),
            &format!(
                "{}{}",
                card.total.summary(lang),
                total_rating.map_or_else(String::new, |r| format!("  ·  {r:?}"))
            ),
            total_rating.map_or(egui::Color32::GRAY, rating_colour),
        );
    } else {
        ui.weak(not_scored(lang, ended));
    }
    ui.add_space(6.0);
    ui.strong(tr(lang, "Doelstellingen", "Objectives"));
    for o in &card.objectives {
        let rating = o.rating();
        ui.label(o.title.get(lang));
        if o.tally.share().is_none() && rating.is_none() {
            ui.weak(not_scored(lang, ended));
            continue;
        }
        share_bar_ui(
            ui,
            o.tally.share().unwrap_or(0.0),
            &format!(
                "{}  ·  {}",
                o.tally.percent(),
                rating.map_or_else(|| "—".to_owned(), |r| format!("{r:?}"))
            ),
            rating.map_or(egui::Color32::GRAY, rating_colour),
        )
        .on_hover_text_at_pointer(rating.map_or("", |r| super::rating_meaning(r, lang)));
        if let Some((_, reason, _)) = &o.overridden {
            ui.weak(format!(
                "{}: {reason}",
                tr(lang, "Oordeel van de waarnemer", "Observer's rating")
            ));
        }
    }
}

/// The whole scorecard: objectives, roles, phases, procedures with the reason for every point.
pub fn scorecard_ui(ui: &mut egui::Ui, card: &Scorecard, ctx: &Compiled, lang: Lang, ended: bool) {
    objective_bars_ui(ui, card, lang, ended);
    ui.add_space(6.0);
    ui.strong(tr(lang, "Rollen", "Roles"));
    egui::Grid::new(ui.scope_id().with("roles"))
        .striped(true)
        .show(ui, |ui| {
            for (role, t) in card
                .roles
                .iter()
                .filter(|(_, t)| t.possible > 0.0 || t.earned != 0.0)
            {
                ui.label(crate::describe::role(ctx, role.as_str(), lang));
                ui.label(t.summary(lang));
                ui.end_row();
            }
        });
    ui.strong(tr(lang, "Fasen", "Phases"));
    egui::Grid::new(ui.scope_id().with("phases"))
        .striped(true)
        .show(ui, |ui| {
            for (phase, t) in card.phases.iter().filter(|(_, t)| t.possible > 0.0) {
                ui.label(phase.label(lang));
                ui.label(t.summary(lang));
                ui.end_row();
            }
        });
    ui.strong(tr(lang, "Procedures", "Procedures"));
    for p in card
        .procedures
        .iter()
        .filter(|p| p.status.scored() || !p.violations.is_empty())
    {
        ui.horizontal_wrapped(|ui| {
            ui.strong(p.title.get(lang));
            ui.label(format!(
                "— {} · {} · {:.1}/{}",
                crate::describe::role(ctx, p.role.as_str(), lang),
                p.status.label(lang),
                p.net(),
                p.weight
            ));
        });
        ui.weak(crate::describe::why(p, &ctx.plan, &ctx.scenario, lang));
    }
}
