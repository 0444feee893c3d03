//! Forms for what a scenario brings of its own (format 2): roles beside the plan's (played or
//! simulated by exercise control), actions, and procedures validated and scored as the plan's,
//! plus the plan procedures it scores once per occurrence of their trigger.

use super::forms::{Findings, id_list_ui, text_field_ui};
use super::logic::{Known, RonFields, cond_ui, pick_ui};
use crate::i18n::tr;
use crate::model::{
    Action, Cond, Lang, Phase, Procedure, Role, Scenario, Source, SourceKind, Text,
};

const SOURCE_KINDS: [SourceKind; 6] = [
    SourceKind::Local,
    SourceKind::RegionalNorm,
    SourceKind::Practice,
    SourceKind::Lesson,
    SourceKind::NationalPlan,
    SourceKind::Law,
];

/// A text field for an id; returns the new id when it was edited.
fn id_field_ui(ui: &mut egui::Ui, label: &str, id: &str) -> Option<String> {
    let mut text = id.to_owned();
    let l = ui.label(label);
    ui.add(egui::TextEdit::singleline(&mut text).desired_width(160.0))
        .labelled_by(l.id)
        .changed()
        .then_some(text)
}

fn remove_button_ui(ui: &mut egui::Ui, lang: Lang) -> bool {
    ui.small_button("✕")
        .on_hover_text(tr(lang, "Verwijderen", "Remove"))
        .clicked()
}

/// Keeps a role's membership of a list (`roles` in play, `simulated`) as a checkbox.
fn member_ui(
    ui: &mut egui::Ui,
    label: &str,
    list: &mut Vec<crate::model::RoleId>,
    id: &str,
) -> bool {
    let mut on = list.iter().any(|r| r.as_str() == id);
    if ui.checkbox(&mut on, label).changed() {
        if on {
            list.push(id.into());
        } else {
            list.retain(|r| r.as_str() != id);
        }
        return true;
    }
    false
}

/// The scenario's own roles: id, team, name and duty, whether in play and whether exercise
/// control plays it.
pub(super) fn local_roles_ui(
    ui: &mut egui::Ui,
    s: &mut Scenario,
    lang: Lang,
    findings: &Findings<'_>,
) -> bool {
    let mut changed = false;
    egui::CollapsingHeader::new(format!(
        "{} ({})",
        tr(lang, "Eigen rollen", "Own roles"),
        s.local_roles.len()
    ))
    .id_salt("local-roles")
    .show(ui, |ui| {
        let mut remove = None;
        for n in 0..s.local_roles.len() {
            ui.push_id(("local-role", n), |ui| {
                let old = s.local_roles[n].id.to_string();
                ui.horizontal(|ui| {
                    if let Some(new) = id_field_ui(ui, "id", &old) {
                        // The lists this form keeps follow the new id.
                        for r in s.roles.iter_mut().chain(s.simulated.iter_mut()) {
                            if r.as_str() == old {
                                *r = new.as_str().into();
                            }
                        }
                        s.local_roles[n].id = new.as_str().into();
                        changed = true;
                    }
                    let l = ui.label(tr(lang, "team", "team"));
                    changed |= ui
                        .add(
                            egui::TextEdit::singleline(&mut s.local_roles[n].team)
                                .desired_width(100.0),
                        )
                        .labelled_by(l.id)
                        .changed();
                    if remove_button_ui(ui, lang) {
                        remove = Some(n);
                    }
                });
                let id = s.local_roles[n].id.to_string();
                ui.horizontal(|ui| {
                    changed |= member_ui(ui, tr(lang, "in het spel", "in play"), &mut s.roles, &id);
                    changed |= member_ui(
                        ui,
                        tr(
                            lang,
                            "gespeeld door de oefenleiding (simulated)",
                            "played by exercise control (simulated)",
                        ),
                        &mut s.simulated,
                        &id,
                    );
                });
                let role = &mut s.local_roles[n];
                changed |= text_field_ui(ui, tr(lang, "Naam", "Name"), &mut role.name);
                changed |= text_field_ui(ui, tr(lang, "Taak", "Duty"), &mut role.duty);
                findings.object_ui(ui, "Role", &id);
                ui.separator();
            });
        }
        if let Some(n) = remove {
            let gone = s.local_roles.remove(n).id;
            s.roles.retain(|r| *r != gone);
            s.simulated.retain(|r| *r != gone);
            changed = true;
        }
        if ui.button(tr(lang, "+ Eigen rol", "+ Own role")).clicked() {
            // One more name than there are roles: one of them is free.
            let id = (1..=s.local_roles.len() + s.roles.len() + 1)
                .map(|k| format!("eigen_rol_{k}"))
                .find(|id| !s.is_local_role(id) && !s.roles.iter().any(|r| r.as_str() == id))
                .unwrap_or_default();
            s.local_roles.push(Role {
                id: id.as_str().into(),
                name: Text::new("Nieuwe rol", "New role"),
                team: "Lokaal".to_owned(),
                duty: Text::new("Wat doet deze rol?", "What does this role do?"),
            });
            s.roles.push(id.as_str().into());
            changed = true;
        }
    });
    changed
}

/// The scenario's own actions: id, label and the roles whose palette offers it.
pub(super) fn local_actions_ui(
    ui: &mut egui::Ui,
    s: &mut Scenario,
    lang: Lang,
    findings: &Findings<'_>,
) -> bool {
    let mut changed = false;
    egui::CollapsingHeader::new(format!(
        "{} ({})",
        tr(lang, "Eigen acties", "Own actions"),
        s.local_actions.len()
    ))
    .id_salt("local-actions")
    .show(ui, |ui| {
        let mut remove = None;
        for (n, a) in s.local_actions.iter_mut().enumerate() {
            ui.push_id(("local-action", n), |ui| {
                ui.horizontal(|ui| {
                    if let Some(new) = id_field_ui(ui, "id", a.id.as_str()) {
                        a.id = new.as_str().into();
                        changed = true;
                    }
                    if remove_button_ui(ui, lang) {
                        remove = Some(n);
                    }
                });
                changed |= text_field_ui(ui, tr(lang, "Label", "Label"), &mut a.label);
                let roles: Vec<String> = a.roles.iter().map(ToString::to_string).collect();
                if let Some(v) =
                    id_list_ui(ui, tr(lang, "Rollen (palet)", "Roles (palette)"), &roles)
                {
                    a.roles = v.iter().map(|x| x.as_str().into()).collect();
                    changed = true;
                }
                findings.object_ui(ui, "Action", a.id.as_str());
                ui.separator();
            });
        }
        if let Some(n) = remove {
            s.local_actions.remove(n);
            changed = true;
        }
        if ui
            .button(tr(lang, "+ Eigen actie", "+ Own action"))
            .clicked()
        {
            let n = s.local_actions.len() + 1;
            s.local_actions.push(Action {
                id: format!("eigen_actie_{n}").as_str().into(),
                label: Text::new("Nieuwe actie", "New action"),
                roles: s
                    .local_roles
                    .first()
                    .map(|r| r.id.clone())
                    .into_iter()
                    .collect(),
            });
            changed = true;
        }
    });
    changed
}

/// The scenario's own procedures, with the fields a plan procedure has, and the plan procedures
/// scored once per occurrence.
pub(super) fn local_procedures_ui(
    ui: &mut egui::Ui,
    s: &mut Scenario,
    known: &Known,
    ron: &mut RonFields,
    lang: Lang,
    findings: &Findings<'_>,
) -> bool {
    let mut changed = false;
    egui::CollapsingHeader::new(format!(
        "{} ({})",
        tr(lang, "Eigen procedures", "Own procedures"),
        s.local_procedures.len()
    ))
    .id_salt("local-procedures")
    .show(ui, |ui| {
        let mut remove = None;
        for (n, p) in s.local_procedures.iter_mut().enumerate() {
            egui::CollapsingHeader::new(format!("{} — {}", p.id, p.title.get(lang)))
                .id_salt(("local-procedure", n))
                .show(ui, |ui| {
                    changed |= procedure_form_ui(ui, n, p, known, ron, lang);
                    findings.object_ui(ui, "Procedure", p.id.as_str());
                    if ui
                        .button(tr(lang, "Procedure verwijderen", "Remove procedure"))
                        .clicked()
                    {
                        remove = Some(n);
                    }
                });
        }
        if let Some(n) = remove {
            s.local_procedures.remove(n);
            changed = true;
        }
        if ui
            .button(tr(lang, "+ Eigen procedure", "+ Own procedure"))
            .clicked()
        {
            let n = s.local_procedures.len() + 1;
            s.local_procedures.push(Procedure {
                id: format!("LP-nieuw-{n}").as_str().into(),
                title: Text::new("Nieuwe procedure", "New procedure"),
                role: s
                    .local_roles
                    .first()
                    .map(|r| r.id.clone())
                    .or_else(|| s.roles.first().cloned())
                    .unwrap_or_else(|| "burgemeester".into()),
                phase: Phase::Respons,
                trigger: known
                    .signals
                    .first()
                    .map_or(Cond::After(0), |x| Cond::Signal(x.as_str().into())),
                action: s
                    .local_actions
                    .first()
                    .map(|a| a.id.clone())
                    .or_else(|| known.actions.first().map(|a| a.0.as_str().into()))
                    .unwrap_or_else(|| "".into()),
                within_min: Some(15),
                weight: 3,
                // No citation is invented: the validator asks the author for one.
                source: Source {
                    kind: SourceKind::Local,
                    cite: String::new(),
                },
                rationale: None,
                per_occurrence: false,
            });
            changed = true;
        }
        ui.separator();
        let per: Vec<String> = s.per_occurrence.iter().map(ToString::to_string).collect();
        if let Some(v) = id_list_ui(
            ui,
            tr(
                lang,
                "Planprocedures per voorval gescoord",
                "Plan procedures scored per occurrence",
            ),
            &per,
        ) {
            s.per_occurrence = v.iter().map(|x| x.as_str().into()).collect();
            changed = true;
        }
    });
    changed
}

fn procedure_form_ui(
    ui: &mut egui::Ui,
    n: usize,
    p: &mut Procedure,
    known: &Known,
    ron: &mut RonFields,
    lang: Lang,
) -> bool {
    let mut changed = false;
    ui.horizontal(|ui| {
        if let Some(new) = id_field_ui(ui, "id", p.id.as_str()) {
            p.id = new.as_str().into();
            changed = true;
        }
    });
    changed |= text_field_ui(ui, tr(lang, "Titel", "Title"), &mut p.title);
    let mut role = p.role.to_string();
    if pick_ui(
        ui,
        ("lp-role", n),
        tr(lang, "Rol", "Role"),
        &mut role,
        &known.roles,
    ) {
        p.role = role.as_str().into();
        changed = true;
    }
    ui.horizontal(|ui| {
        let l = ui.label(tr(lang, "Fase", "Phase"));
        egui::ComboBox::from_id_salt(("lp-phase", n))
            .selected_text(p.phase.label(lang))
            .show_ui(ui, |ui| {
                for ph in Phase::ALL {
                    changed |= ui
                        .selectable_value(&mut p.phase, ph, ph.label(lang))
                        .changed();
                }
            })
            .response
            .labelled_by(l.id);
    });
    ui.label(tr(lang, "Start (trigger):", "Starts (trigger):"));
    ui.indent(("lp-trigger", n), |ui| {
        changed |= cond_ui(
            ui,
            &format!("lp-trigger/{n}"),
            lang,
            known,
            ron,
            &mut p.trigger,
            0,
        );
    });
    let mut action = p.action.to_string();
    if pick_ui(
        ui,
        ("lp-action", n),
        tr(lang, "Actie", "Action"),
        &mut action,
        &known.actions,
    ) {
        p.action = action.as_str().into();
        changed = true;
    }
    ui.horizontal(|ui| {
        let mut timed = p.within_min.is_some();
        if ui
            .checkbox(&mut timed, tr(lang, "Binnen (min)", "Within (min)"))
            .changed()
        {
            p.within_min = timed.then_some(15);
            changed = true;
        }
        if let Some(m) = p.within_min.as_mut() {
            let l = ui.label("within_min");
            changed |= ui
                .add(egui::DragValue::new(m).range(1..=600))
                .labelled_by(l.id)
                .changed();
        }
        let l = ui.label(tr(lang, "Gewicht", "Weight"));
        changed |= ui
            .add(egui::DragValue::new(&mut p.weight).range(1..=10))
            .labelled_by(l.id)
            .changed();
    });
    ui.horizontal(|ui| {
        let l = ui.label(tr(lang, "Soort bron", "Kind of source"));
        egui::ComboBox::from_id_salt(("lp-source", n))
            .selected_text(p.source.kind.label(lang))
            .show_ui(ui, |ui| {
                for k in SOURCE_KINDS {
                    changed |= ui
                        .selectable_value(&mut p.source.kind, k, k.label(lang))
                        .changed();
                }
            })
            .response
            .labelled_by(l.id);
    });
    ui.horizontal(|ui| {
        let l = ui.label(tr(lang, "Bron (vindplaats)", "Source (citation)"));
        changed |= ui
            .add(egui::TextEdit::singleline(&mut p.source.cite).desired_width(300.0))
            .labelled_by(l.id)
            .changed();
    });
    let mut why = p.rationale.clone().unwrap_or_default();
    if text_field_ui(ui, tr(lang, "Waarom", "Why"), &mut why) {
        p.rationale = (why != Text::default()).then_some(why);
        changed = true;
    }
    changed |= ui
        .checkbox(
            &mut p.per_occurrence,
            tr(
                lang,
                "Per voorval van de trigger scoren (per_occurrence)",
                "Score per occurrence of the trigger (per_occurrence)",
            ),
        )
        .changed();
    changed
}
