//! What the room sees on the projector: the clock, the public situation picture and the public
//! messages (news and social media). Never messages addressed to particular roles, never scores,
//! hidden variables or chance outcomes. High contrast, type readable from the back of a room.

use crate::engine::fmt_elapsed;
use crate::host::Host;
use crate::i18n::tr;
use crate::model::Lang;
use crate::projection::{self, Audience};

const INK: egui::Color32 = egui::Color32::WHITE;
const PAPER: egui::Color32 = egui::Color32::BLACK;
const ACCENT: egui::Color32 = egui::Color32::from_rgb(0xff, 0xd7, 0x00);

/// Draws the projector view.
pub fn projector_ui(ui: &mut egui::Ui, host: &Host, lang: Lang) {
    let v = host.view();
    let sim = v.sim();
    let ctx = sim.ctx();
    let rect = ui.max_rect();
    ui.painter().rect_filled(rect, 0.0, PAPER);
    // Scale type with the window: readable from the back at 1280 × 720 and larger.
    let unit = (rect.width() / 1280.0).clamp(0.7, 2.0) * 1.0;
    let big = |s: f32| s * unit;
    ui.vertical_centered(|ui| {
        ui.label(
            egui::RichText::new(ctx.scenario.title.get(lang))
                .size(big(32.0))
                .strong()
                .color(INK),
        );
        ui.label(
            egui::RichText::new(super::sim_clock(&ctx.scenario.start, sim.now()))
                .size(big(72.0))
                .monospace()
                .color(ACCENT),
        );
        ui.label(
            egui::RichText::new(format!(
                "T+{}  ·  {}",
                fmt_elapsed(sim.now()),
                super::status_label(sim.status(), lang)
            ))
            .size(big(26.0))
            .color(INK),
        );
    });
    ui.add_space(big(12.0));
    ui.columns(2, |cols| {
        cols[0].label(
            egui::RichText::new(tr(lang, "Situatiebeeld", "Situation picture"))
                .size(big(30.0))
                .strong()
                .color(ACCENT),
        );
        egui::Grid::new("projector-situation")
            .num_columns(2)
            .spacing([big(24.0), big(8.0)])
            .show(&mut cols[0], |ui| {
                for (label, value) in
                    projection::situation(ctx, &sim.state().vars, Audience::Room, lang)
                {
                    ui.label(egui::RichText::new(label).size(big(24.0)).color(INK));
                    ui.label(
                        egui::RichText::new(value)
                            .size(big(24.0))
                            .strong()
                            .color(INK),
                    );
                    ui.end_row();
                }
            });
        cols[1].label(
            egui::RichText::new(tr(lang, "Nieuws en sociale media", "News and social media"))
                .size(big(30.0))
                .strong()
                .color(ACCENT),
        );
        let mut any = false;
        let mut any_picture = false;
        for m in projection::messages(v.entries(), ctx, Audience::Room, lang)
            .rev()
            .take(6)
        {
            any = true;
            cols[1].label(
                egui::RichText::new(format!("{}  {}", fmt_elapsed(m.t), m.channel.label(lang)))
                    .size(big(20.0))
                    .color(ACCENT),
            );
            cols[1].label(
                egui::RichText::new(m.title)
                    .size(big(26.0))
                    .strong()
                    .color(INK),
            );
            // A public message's pictures go up on the screen with it (the photo on social
            // media is often the inject); the newest message's at full size.
            if let Some(i) = m.inject.and_then(|id| ctx.scenario.inject(id)) {
                let height = if any_picture { big(90.0) } else { big(200.0) };
                any_picture |= !i.attachments.is_empty();
                crate::ui::widgets::attachments_ui(
                    &mut cols[1],
                    &v.exercise().scenario.path,
                    i,
                    lang,
                    height,
                    Some((big(20.0), INK)),
                    false,
                );
            }
            cols[1].add_space(big(8.0));
        }
        if !any {
            cols[1].label(
                egui::RichText::new(tr(
                    lang,
                    "Nog geen openbare berichten.",
                    "No public messages yet.",
                ))
                .size(big(24.0))
                .color(INK),
            );
        }
    });
}
