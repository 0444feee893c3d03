//! Observations: what the facilitator or an evaluator sees, about a role, optionally rated
//! P/S/M/U, optionally rating an objective (which then overrides its computed rating).

use crate::engine::{Command, EventKind, Rating, Status, fmt_elapsed};
use crate::host::View;
use crate::i18n::tr;
use crate::journal::Body;
use crate::model::{Lang, ObjectiveId, RoleId};
use crate::ui::widgets;

/// The observation form. After recording, the text, rating and objective are cleared (each
/// observation is rated on its own); the role stays, as the next note is usually about the same
/// role.
#[derive(Debug, Default)]
pub struct ObservationForm {
    /// The text.
    pub text: String,
    /// The role it concerns.
    pub role: Option<RoleId>,
    /// Rating.
    pub rating: Option<Rating>,
    /// The objective it rates.
    pub objective: Option<ObjectiveId>,
}

impl ObservationForm {
    /// Clears what belongs to one observation once it is journaled.
    pub fn sent(&mut self) {
        self.text.clear();
        self.rating = None;
        self.objective = None;
    }
}

/// Draws the form and the observations so far.
pub fn observations_ui(
    ui: &mut egui::Ui,
    v: &View<'_>,
    form: &mut ObservationForm,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    let ctx = v.sim().ctx();
    let roles = widgets::roles_in_play(ctx, lang);
    let label = ui.label(tr(lang, "Waarneming:", "Observation:"));
    ui.add(
        egui::TextEdit::multiline(&mut form.text)
            .desired_rows(3)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    widgets::role_combo_ui(
        ui,
        "obs-role",
        tr(lang, "Over rol:", "About role:"),
        &roles,
        &mut form.role,
        Some(tr(lang, "(algemeen)", "(general)")),
    );
    ui.horizontal_wrapped(|ui| {
        ui.label(tr(lang, "Oordeel:", "Rating:"));
        if ui.selectable_label(form.rating.is_none(), "—").clicked() {
            form.rating = None;
        }
        for r in Rating::ALL {
            if ui
                .selectable_label(form.rating == Some(r), format!("{r:?}"))
                .on_hover_text(widgets::rating_meaning(r, lang))
                .clicked()
            {
                form.rating = Some(r);
            }
        }
    });
    let objectives: Vec<(ObjectiveId, String)> = ctx
        .scenario
        .objectives
        .iter()
        .map(|o| (o.id.clone(), o.title.get(lang).to_owned()))
        .collect();
    let none = tr(lang, "(geen)", "(none)");
    let selected = form
        .objective
        .as_ref()
        .and_then(|o| objectives.iter().find(|x| x.0 == *o))
        .map_or_else(|| none.to_owned(), |x| x.1.clone());
    // The label on its own line and a combo of bounded width: a long objective title wraps in
    // the list instead of squeezing the label.
    let l = ui.label(tr(
        lang,
        "Beoordeelt doelstelling (overschrijft de berekende):",
        "Rates objective (overrides the computed rating):",
    ));
    let width = ui.available_width().min(420.0);
    egui::ComboBox::from_id_salt("obs-objective")
        .selected_text(egui::RichText::new(selected))
        .width(width)
        .truncate()
        .show_ui(ui, |ui| {
            ui.set_max_width(width);
            ui.selectable_value(&mut form.objective, None, none);
            for (id, name) in &objectives {
                ui.selectable_value(&mut form.objective, Some(id.clone()), name);
            }
        })
        .response
        .labelled_by(l.id);
    let open = v.sim().status() != Status::Ended;
    if ui
        .add_enabled(
            open && !form.text.trim().is_empty(),
            egui::Button::new(tr(lang, "Waarneming vastleggen", "Record observation")),
        )
        .clicked()
    {
        commands.push(Command::Observe {
            text: form.text.clone(),
            role: form.role.clone(),
            rating: form.rating,
            objective: form.objective.clone(),
        });
    }
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("observations")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for e in v.entries().iter().rev() {
                if let Body::Event(ev) = &e.body
                    && matches!(ev.kind, EventKind::Observed { .. })
                {
                    ui.label(format!(
                        "{} {}",
                        fmt_elapsed(ev.t),
                        crate::describe::event(&ev.kind, ctx, lang)
                    ));
                }
            }
        });
}
