//! Ad-hoc injects: a message outside the script, for when play departs from it.

use crate::engine::{Command, Status};
use crate::host::View;
use crate::i18n::tr;
use crate::model::{Channel, Lang, RoleId};
use crate::ui::widgets;

/// The ad-hoc inject form.
#[derive(Debug)]
pub struct AdHocForm {
    /// Recipients.
    pub to: Vec<RoleId>,
    /// Channel.
    pub channel: Channel,
    /// Headline.
    pub title: String,
    /// Body.
    pub body: String,
}

impl Default for AdHocForm {
    fn default() -> Self {
        Self {
            to: Vec::new(),
            channel: Channel::Phone,
            title: String::new(),
            body: String::new(),
        }
    }
}

impl AdHocForm {
    /// Clears the form once its message is journaled.
    pub fn sent(&mut self) {
        self.to.clear();
        self.title.clear();
        self.body.clear();
    }
}

/// Draws the form.
pub fn adhoc_ui(
    ui: &mut egui::Ui,
    v: &View<'_>,
    form: &mut AdHocForm,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    ui.label(tr(
        lang,
        "Een bericht buiten het draaiboek, als het spel daarvan afwijkt. Het komt alleen bij de gekozen rollen; op het projectorbeeld alleen via nieuws of sociale media.",
        "A message outside the script, for when play departs from it. Only the chosen roles receive it; the projector shows it only on the news or social media channels.",
    ));
    let roles = widgets::roles_in_play(v.sim().ctx(), lang);
    ui.label(tr(lang, "Aan:", "To:"));
    ui.horizontal_wrapped(|ui| {
        for (r, name) in &roles {
            let mut on = form.to.contains(r);
            if ui.checkbox(&mut on, name).changed() {
                if on {
                    form.to.push(r.clone());
                } else {
                    form.to.retain(|x| x != r);
                }
            }
        }
    });
    let l0 = ui.label(tr(lang, "Kanaal:", "Channel:"));
    egui::ComboBox::from_id_salt("adhoc-channel")
        .selected_text(form.channel.label(lang))
        .show_ui(ui, |ui| {
            for c in Channel::ALL {
                ui.selectable_value(&mut form.channel, c, c.label(lang));
            }
        })
        .response
        .labelled_by(l0.id);
    let l1 = ui.label(tr(lang, "Titel:", "Title:"));
    ui.add(egui::TextEdit::singleline(&mut form.title).desired_width(f32::INFINITY))
        .labelled_by(l1.id);
    let l2 = ui.label(tr(lang, "Bericht:", "Message:"));
    ui.add(
        egui::TextEdit::multiline(&mut form.body)
            .desired_rows(4)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(l2.id);
    let started = matches!(v.sim().status(), Status::Running | Status::Paused);
    let ok = started && !form.to.is_empty() && !form.title.trim().is_empty();
    if ui
        .add_enabled(
            ok,
            egui::Button::new(tr(lang, "Inject uitgeven", "Release inject")),
        )
        .clicked()
    {
        commands.push(Command::AdHocInject {
            to: form.to.clone(),
            channel: form.channel,
            title: form.title.clone(),
            body: form.body.clone(),
        });
    }
}
