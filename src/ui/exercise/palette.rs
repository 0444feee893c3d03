//! The action palette: record a plan action the team takes in discussion, for one role. A check
//! mark shows the actions this role has taken (another role's action is not this role's).

use crate::engine::{Command, Status};
use crate::host::View;
use crate::i18n::tr;
use crate::model::{Lang, RoleId};
use crate::ui::widgets;

/// The palette's role and note.
#[derive(Debug, Default)]
pub struct PaletteForm {
    /// The role acting.
    pub role: Option<RoleId>,
    /// A note with the action.
    pub note: String,
}

/// Draws the palette.
pub fn palette_ui(
    ui: &mut egui::Ui,
    v: &View<'_>,
    form: &mut PaletteForm,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    let ctx = v.sim().ctx();
    ui.label(tr(
        lang,
        "Leg een planactie vast die het team in de bespreking neemt.",
        "Record a plan action the team takes in discussion.",
    ));
    let roles = widgets::roles_in_play(ctx, lang);
    if form.role.is_none() {
        form.role = roles.first().map(|r| r.0.clone());
    }
    widgets::role_combo_ui(
        ui,
        "action-role",
        tr(lang, "Rol:", "Role:"),
        &roles,
        &mut form.role,
        None,
    );
    let label = ui.label(tr(lang, "Notitie:", "Note:"));
    ui.add(
        egui::TextEdit::singleline(&mut form.note).desired_width(ui.available_width().min(500.0)),
    )
    .labelled_by(label.id);
    let Some(role) = form.role.clone() else {
        return;
    };
    let started = matches!(v.sim().status(), Status::Running | Status::Paused);
    let taken = crate::projection::actions_taken(v.entries());
    let mut button = |ui: &mut egui::Ui, a: &crate::model::Action| {
        let done = taken.contains(&(&role, a.id.as_str()));
        let text = format!("{}{}", if done { "✔ " } else { "" }, a.label.get(lang));
        if ui
            .add_enabled(started, egui::Button::new(text).wrap())
            .clicked()
        {
            commands.push(Command::TakeAction {
                role: role.clone(),
                action: a.id.clone(),
                note: form.note.clone(),
            });
        }
    };
    egui::ScrollArea::vertical()
        .id_salt("palette")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.strong(tr(lang, "Acties van deze rol", "This role's actions"));
            let mut any = false;
            for a in ctx.plan.actions.iter().filter(|a| a.roles.contains(&role)) {
                any = true;
                button(ui, a);
            }
            if !any {
                ui.weak("—");
            }
            egui::CollapsingHeader::new(tr(lang, "Andere acties", "Other actions"))
                .id_salt("other-actions")
                .show(ui, |ui| {
                    for a in ctx.plan.actions.iter().filter(|a| !a.roles.contains(&role)) {
                        button(ui, a);
                    }
                });
        });
}
