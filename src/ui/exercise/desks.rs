//! The role desks on the facilitator's screen (for a small table; in the room each partner has a
//! seat of their own): the role's pending decisions with a countdown, the decisions it has taken,
//! and its inbox — only what is addressed to this role.

use std::collections::BTreeMap;

use super::ExerciseView;
use crate::engine::{Command, SimTime, fmt_elapsed};
use crate::host::View;
use crate::i18n::tr;
use crate::model::{ChoiceId, Lang, RoleId};
use crate::projection::{self, Audience};
use crate::ui::widgets;

/// A decision being drafted at a desk.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// The selected choice.
    pub choice: Option<ChoiceId>,
    /// The rationale typed so far.
    pub rationale: String,
}

/// The desks' state.
#[derive(Debug, Default)]
pub struct DeskForm {
    /// The desk shown.
    pub role: Option<RoleId>,
    /// Decision drafts per decision id.
    pub drafts: BTreeMap<String, Draft>,
    /// The last decision taken, for its role's desk to confirm.
    pub confirmed: Option<(RoleId, String)>,
}

/// Draws the desks.
pub fn desks_ui(
    ui: &mut egui::Ui,
    view: &mut ExerciseView,
    lang: Lang,
    commands: &mut Vec<Command>,
    app: &mut Vec<crate::ui::AppCommand>,
) {
    let v = view.host.view();
    let form = &mut view.forms.desks;
    let sim = v.sim();
    let ctx = sim.ctx();
    // Shares of the width, so the desk keeps room at a large text scale.
    let w = ui.available_width();
    egui::Panel::left("desk-roles")
        .resizable(false)
        .exact_size((w * 0.22).clamp(150.0, 260.0))
        .show(ui, |ui| {
            ui.heading(tr(lang, "Rollen", "Roles"));
            egui::ScrollArea::vertical()
                .id_salt("desk-roles-scroll")
                .show(ui, |ui| {
                    for r in &ctx.scenario.roles {
                        let open = sim.pending_count(r);
                        let present =
                            v.header().present.is_empty() || v.header().present.contains(r);
                        let name = format!(
                            "{}{}{}",
                            crate::describe::role(ctx, r.as_str(), lang),
                            if open > 0 {
                                format!("  ({open})")
                            } else {
                                String::new()
                            },
                            if present {
                                ""
                            } else {
                                tr(lang, " — niet aanwezig", " — not present")
                            }
                        );
                        if ui
                            .selectable_label(form.role.as_ref() == Some(r), name)
                            .clicked()
                        {
                            form.role = Some(r.clone());
                        }
                    }
                });
        });
    // The public situation beside the desk where there is room (on a narrow screen the
    // projector shows it to the room).
    if w >= 900.0 {
        egui::Panel::right("desk-situation")
            .resizable(false)
            .exact_size((w * 0.24).clamp(160.0, 320.0))
            .show(ui, |ui| {
                ui.heading(tr(lang, "Situatiebeeld", "Situation picture"));
                widgets::situation_ui(ui, ctx, &sim.state().vars, Audience::Room, lang);
            });
    }
    egui::CentralPanel::default().show(ui, |ui| {
        let Some(role) = form.role.clone() else {
            return;
        };
        ui.heading(crate::describe::role(ctx, role.as_str(), lang));
        if let Some(note) = crate::describe::role_note(&ctx.scenario, role.as_str(), lang) {
            ui.label(egui::RichText::new(note).italics());
        }
        if let Some(r) = ctx.plan.role(role.as_str()) {
            ui.weak(r.duty.get(lang));
        }
        if let Some((r, text)) = &form.confirmed
            && *r == role
        {
            ui.colored_label(
                egui::Color32::from_rgb(0x2e, 0x8b, 0x57),
                format!(
                    "{} {text}",
                    tr(lang, "Besluit vastgelegd:", "Decision recorded:")
                ),
            );
        }
        egui::ScrollArea::vertical()
            .id_salt("desk-scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.strong(tr(lang, "Openstaande besluiten", "Pending decisions"));
                let mut any = false;
                for p in sim.pending_decisions(&role) {
                    any = true;
                    let shown = sim.shown_choices(p.decision);
                    let card = Card {
                        decision: p.decision,
                        shown: &shown,
                        role: &role,
                        vote: sim.vote_of(p.index, &role),
                        due: p.due,
                        now: sim.now(),
                    };
                    decision_card_ui(ui, form, &card, lang, commands);
                }
                if !any {
                    ui.weak(tr(
                        lang,
                        "Geen openstaande besluiten.",
                        "No pending decisions.",
                    ));
                }
                ui.separator();
                taken_ui(ui, &v, &role, lang);
                ui.separator();
                ui.strong(tr(lang, "Inbox", "Inbox"));
                inbox_ui(ui, &v, &role, lang, app);
            });
    });
}

/// A pending decision as one desk sees it.
struct Card<'a> {
    decision: &'a crate::model::Decision,
    /// Its choices in the order shown (shuffled per seed unless fixed).
    shown: &'a [&'a crate::model::Choice],
    /// The desk's role (who answers: the decision's own, a joint or an any-of role).
    role: &'a RoleId,
    /// The desk's choice so far in a joint decision.
    vote: Option<usize>,
    due: SimTime,
    now: SimTime,
}

fn decision_card_ui(
    ui: &mut egui::Ui,
    form: &mut DeskForm,
    card: &Card<'_>,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    let Card {
        decision,
        shown,
        due,
        now,
        ..
    } = *card;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.push_id(decision.id.as_str(), |ui| {
            ui.label(egui::RichText::new(decision.prompt.get(lang)).strong());
            if !decision.with.is_empty() {
                let mut note = tr(
                    lang,
                    "Gezamenlijk besluit: alle rollen kiezen hetzelfde.",
                    "Joint decision: all its roles choose the same.",
                )
                .to_owned();
                if let Some(c) = card.vote.and_then(|c| decision.options.get(c)) {
                    note = format!(
                        "{note} {} {}",
                        tr(lang, "Uw keuze:", "Your choice:"),
                        c.label.get(lang)
                    );
                }
                ui.weak(note);
            } else if !decision.any_of.is_empty() {
                ui.weak(tr(
                    lang,
                    "Wie het eerst besluit, besluit voor allen.",
                    "Whichever role decides first decides for all.",
                ));
            }
            let left = due.saturating_sub(now);
            let colour = if left < 120 {
                ui.visuals().error_fg_color
            } else {
                ui.visuals().text_color()
            };
            ui.colored_label(
                colour,
                format!("{} {}", tr(lang, "Nog", "Time left"), fmt_elapsed(left)),
            );
            let draft = form.drafts.entry(decision.id.to_string()).or_default();
            for c in shown {
                ui.radio_value(&mut draft.choice, Some(c.id.clone()), c.label.get(lang));
            }
            let label = ui.label(tr(lang, "Motivering:", "Rationale:"));
            ui.add(
                egui::TextEdit::multiline(&mut draft.rationale)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
            if ui
                .add_enabled(
                    draft.choice.is_some(),
                    egui::Button::new(tr(lang, "Besluit nemen", "Take decision")),
                )
                .clicked()
                && let Some(choice) = draft.choice.clone()
            {
                commands.push(Command::Decide {
                    role: card.role.clone(),
                    decision: decision.id.clone(),
                    choice,
                    rationale: draft.rationale.clone(),
                });
            }
        });
    });
}

/// The decisions this role has taken or let expire: choice, time, rationale.
fn taken_ui(ui: &mut egui::Ui, v: &View<'_>, role: &RoleId, lang: Lang) {
    ui.strong(tr(lang, "Genomen besluiten", "Decisions taken"));
    let mut any = false;
    for s in projection::settled(v.entries(), v.sim().ctx(), Some(role), lang).rev() {
        any = true;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.monospace(fmt_elapsed(s.t));
                ui.strong(s.prompt);
            });
            let choice = s
                .label
                .unwrap_or_else(|| tr(lang, "niets besloten", "nothing decided"));
            if s.expired {
                ui.label(format!(
                    "{} {choice}",
                    tr(
                        lang,
                        "Termijn verlopen; standaard:",
                        "Deadline passed; default:"
                    )
                ));
            } else {
                ui.label(format!("→ {choice}"));
            }
            if !s.rationale.trim().is_empty() {
                ui.weak(format!(
                    "{} {}",
                    tr(lang, "Motivering:", "Rationale:"),
                    s.rationale
                ));
            }
        });
    }
    if !any {
        ui.weak(tr(
            lang,
            "Nog geen besluiten genomen.",
            "No decisions taken yet.",
        ));
    }
}

fn inbox_ui(
    ui: &mut egui::Ui,
    v: &View<'_>,
    role: &RoleId,
    lang: Lang,
    app: &mut Vec<crate::ui::AppCommand>,
) {
    let mut any = false;
    for m in projection::messages(v.entries(), v.sim().ctx(), Audience::Role(role), lang).rev() {
        any = true;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.monospace(fmt_elapsed(m.t));
                ui.label(format!("[{}]", m.channel.label(lang)));
                if let Some(f) = m.from {
                    ui.weak(f);
                }
            });
            ui.strong(m.title);
            ui.label(m.body);
            if let Some(i) = m.inject.and_then(|id| v.sim().ctx().scenario.inject(id)) {
                let path = &v.exercise().scenario.path;
                if let Some(doc) = widgets::attachments_ui(ui, path, i, lang, 240.0, None, true) {
                    app.push(crate::ui::AppCommand::Open(doc));
                }
            }
        });
    }
    if !any {
        ui.weak(tr(lang, "Nog geen berichten.", "No messages yet."));
    }
}
