//! The MSEL in the console: every scripted inject and every ad-hoc message in time order, with
//! release now, hold and retime.

use std::collections::BTreeMap;

use crate::engine::{Command, InjectState, InjectStatus, Status, fmt_elapsed};
use crate::host::View;
use crate::i18n::tr;
use crate::model::Lang;
use crate::projection::{self, Audience};

/// Which injects the MSEL lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MselFilter {
    /// All.
    #[default]
    All,
    /// Not released yet.
    Upcoming,
    /// Released.
    Released,
    /// Held or waiting on a condition.
    HeldOrWaiting,
}

/// The MSEL's filter and retime fields.
#[derive(Debug, Default)]
pub struct MselForm {
    /// The filter.
    pub filter: MselFilter,
    /// Retime targets per inject, in minutes.
    pub retime_min: BTreeMap<String, u32>,
}

fn status_text(s: InjectState, lang: Lang) -> String {
    match s.status {
        InjectStatus::Released(t) => format!("{} {}", tr(lang, "uit", "out"), fmt_elapsed(t)),
        InjectStatus::Held => tr(lang, "vastgehouden", "held").to_owned(),
        InjectStatus::Waiting => tr(lang, "wacht op voorwaarde", "waiting on condition").to_owned(),
        InjectStatus::Pending => match s.at {
            Some(t) => format!("{} {}", tr(lang, "gepland", "due"), fmt_elapsed(t)),
            None => tr(lang, "vervolg / toeval", "follow-up / chance").to_owned(),
        },
    }
}

/// One MSEL row: a scripted inject (by index) or an ad-hoc message (by its journal entry).
enum Row {
    Scripted(usize),
    AdHoc(usize),
}

/// Draws the MSEL.
pub fn msel_ui(
    ui: &mut egui::Ui,
    v: &View<'_>,
    form: &mut MselForm,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    ui.heading(tr(lang, "Draaiboek (MSEL)", "Scenario events (MSEL)"));
    crate::ui::widgets::tab_bar_ui(
        ui,
        &mut form.filter,
        &[
            (MselFilter::All, "Alle", "All"),
            (MselFilter::Upcoming, "Komend", "Upcoming"),
            (MselFilter::Released, "Uitgegeven", "Released"),
            (MselFilter::HeldOrWaiting, "Vast/wacht", "Held/waiting"),
        ],
        lang,
    );
    let sim = v.sim();
    let ctx = sim.ctx();
    let state = |i: usize| {
        sim.inject_state(i).unwrap_or(InjectState {
            status: InjectStatus::Pending,
            at: None,
        })
    };
    let mut rows: Vec<(u64, usize, Row)> = (0..ctx.scenario.injects.len())
        .filter(|&i| {
            matches!(
                (form.filter, state(i).status),
                (MselFilter::All, _)
                    | (MselFilter::Upcoming, InjectStatus::Pending)
                    | (MselFilter::Released, InjectStatus::Released(_))
                    | (
                        MselFilter::HeldOrWaiting,
                        InjectStatus::Held | InjectStatus::Waiting
                    )
            )
        })
        .map(|i| {
            // In time order: released by release time, the rest by scheduled time; follow-ups last.
            let s = state(i);
            let t = match s.status {
                InjectStatus::Released(t) => t,
                _ => s.at.unwrap_or(u64::MAX),
            };
            (t, i, Row::Scripted(i))
        })
        .collect();
    if matches!(form.filter, MselFilter::All | MselFilter::Released) {
        for (k, e) in v.entries().iter().enumerate() {
            if let Some(m) = projection::message(e, ctx, lang)
                && m.inject.is_none()
                && m.visible_to(Audience::Control)
            {
                rows.push((m.t, usize::MAX, Row::AdHoc(k)));
            }
        }
    }
    rows.sort_by_key(|(t, i, _)| (*t, *i));
    let ended = sim.status() == Status::Ended;
    let row_h = ui.spacing().interact_size.y * 2.0 + ui.spacing().item_spacing.y * 2.0;
    egui::ScrollArea::vertical()
        .id_salt("msel")
        .auto_shrink([false, false])
        .show_rows(ui, row_h, rows.len(), |ui, range| {
            for (_, _, row) in &rows[range] {
                match *row {
                    Row::AdHoc(k) => {
                        let Some(m) = projection::message(&v.entries()[k], ctx, lang) else {
                            continue;
                        };
                        ui.push_id(("adhoc", k), |ui| {
                            ui.horizontal(|ui| {
                                ui.monospace(format!(
                                    "{:<18}",
                                    format!("{} {}", tr(lang, "uit", "out"), fmt_elapsed(m.t))
                                ));
                                // Truncated with an ellipsis in a narrow panel; whole on hover.
                                ui.add(
                                    egui::Label::new(egui::RichText::new(m.title).italics())
                                        .truncate(),
                                )
                                .on_hover_text(format!("{}\n\n{}", m.title, m.body));
                            });
                            ui.weak(format!(
                                "{} → {}",
                                tr(lang, "extra bericht", "ad-hoc message"),
                                crate::describe::roles(ctx, m.to, lang)
                            ));
                        });
                    }
                    Row::Scripted(i) => {
                        let inject = &ctx.scenario.injects[i];
                        let s = state(i);
                        ui.push_id(i, |ui| {
                            ui.horizontal(|ui| {
                                ui.monospace(format!("{:<18}", status_text(s, lang)));
                                ui.add(egui::Label::new(inject.title.get(lang)).truncate())
                                    .on_hover_text(format!(
                                        "{}\n{} {}\n\n{}",
                                        inject.title.get(lang),
                                        tr(lang, "Aan:", "To:"),
                                        crate::describe::roles(ctx, &inject.to, lang),
                                        inject.body.get(lang)
                                    ));
                            });
                            inject_buttons_ui(
                                ui,
                                inject,
                                s,
                                sim.now(),
                                ctx.scenario.duration_min,
                                ended,
                                form,
                                lang,
                                commands,
                            );
                        });
                    }
                }
            }
        });
}

#[allow(clippy::too_many_arguments)]
fn inject_buttons_ui(
    ui: &mut egui::Ui,
    inject: &crate::model::Inject,
    s: InjectState,
    now: u64,
    duration_min: u32,
    ended: bool,
    form: &mut MselForm,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        let released = matches!(s.status, InjectStatus::Released(_));
        let open = !released && !ended;
        if ui
            .add_enabled(
                open,
                egui::Button::new(tr(lang, "Nu uitgeven", "Release now")).small(),
            )
            .clicked()
        {
            commands.push(Command::ReleaseNow {
                inject: inject.id.clone(),
            });
        }
        if ui
            .add_enabled(
                open && s.status != InjectStatus::Held,
                egui::Button::new(tr(lang, "Vasthouden", "Hold")).small(),
            )
            .clicked()
        {
            commands.push(Command::Hold {
                inject: inject.id.clone(),
            });
        }
        let default = s.at.map_or(now / 60, |t| t / 60) as u32;
        let m = form
            .retime_min
            .entry(inject.id.to_string())
            .or_insert(default);
        let label = ui.label(tr(lang, "min", "min"));
        ui.add_enabled(open, egui::DragValue::new(m).range(0..=duration_min))
            .labelled_by(label.id);
        let target = u64::from(*m) * 60;
        if ui
            .add_enabled(
                open,
                egui::Button::new(tr(lang, "Verzetten", "Retime")).small(),
            )
            .clicked()
        {
            commands.push(Command::Retime {
                inject: inject.id.clone(),
                at: target,
            });
        }
    });
}
