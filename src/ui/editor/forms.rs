//! The editor's forms: scenario metadata, roles, own variables, injects, decisions, choices,
//! conditions and effects. Each edit rewrites the RON text from the model.

use super::{
    Channel, Choice, Cond, Decision, EditorView, Effect, Inject, Lang, Plan, RoleId, Scenario,
    Text, tr, validate,
};

pub(super) fn text_field_ui(ui: &mut egui::Ui, label: &str, t: &mut Text) -> bool {
    let mut changed = false;
    ui.horizontal(|ui| {
        let l = ui.label(format!("{label} NL"));
        changed |= ui
            .add(egui::TextEdit::singleline(&mut t.nl).desired_width(330.0))
            .labelled_by(l.id)
            .changed();
    });
    ui.horizontal(|ui| {
        let l = ui.label(format!("{label} EN"));
        changed |= ui
            .add(egui::TextEdit::singleline(&mut t.en).desired_width(330.0))
            .labelled_by(l.id)
            .changed();
    });
    changed
}

pub(super) fn roles_ui(
    ui: &mut egui::Ui,
    id: &str,
    plan: &Plan,
    roles: &mut Vec<RoleId>,
    lang: Lang,
) -> bool {
    let mut changed = false;
    egui::CollapsingHeader::new(format!("{} ({})", tr(lang, "Rollen", "Roles"), roles.len()))
        .id_salt(id)
        .show(ui, |ui| {
            for r in &plan.roles {
                let mut on = roles.contains(&r.id);
                if ui.checkbox(&mut on, r.name.get(lang)).changed() {
                    changed = true;
                    if on {
                        roles.push(r.id.clone());
                    } else {
                        roles.retain(|x| *x != r.id);
                    }
                }
            }
        });
    changed
}

/// The scenario's own situation variables.
pub(super) fn vars_ui(ui: &mut egui::Ui, vars: &mut Vec<crate::model::Var>, lang: Lang) -> bool {
    use crate::model::Value;
    let mut changed = false;
    egui::CollapsingHeader::new(format!(
        "{} ({})",
        tr(lang, "Eigen variabelen", "Own variables"),
        vars.len()
    ))
    .id_salt("scenario-vars")
    .show(ui, |ui| {
        let mut remove = None;
        for (n, v) in vars.iter_mut().enumerate() {
            ui.push_id(("var", n), |ui| {
                ui.horizontal(|ui| {
                    let l = ui.label("id");
                    let mut id = v.id.to_string();
                    if ui
                        .add(egui::TextEdit::singleline(&mut id).desired_width(140.0))
                        .labelled_by(l.id)
                        .changed()
                    {
                        v.id = id.as_str().into();
                        changed = true;
                    }
                    match &mut v.init {
                        Value::Int(x) => {
                            let l = ui.label(tr(lang, "begin", "init"));
                            changed |= ui.add(egui::DragValue::new(x)).labelled_by(l.id).changed();
                        }
                        Value::Bool(b) => {
                            changed |= ui.checkbox(b, tr(lang, "begin: ja", "init: yes")).changed();
                        }
                    }
                    changed |= ui
                        .checkbox(&mut v.hidden, tr(lang, "verborgen", "hidden"))
                        .changed();
                    if ui
                        .small_button("✕")
                        .on_hover_text(tr(lang, "Verwijderen", "Remove"))
                        .clicked()
                    {
                        remove = Some(n);
                    }
                });
                changed |= text_field_ui(ui, tr(lang, "Naam", "Label"), &mut v.label);
            });
        }
        if let Some(n) = remove {
            vars.remove(n);
            changed = true;
        }
        ui.horizontal(|ui| {
            for (text, init) in [
                (tr(lang, "+ Getal", "+ Number"), Value::Int(0)),
                (tr(lang, "+ Ja/nee", "+ Yes/no"), Value::Bool(false)),
            ] {
                if ui.button(text).clicked() {
                    vars.push(crate::model::Var {
                        id: format!("var_{}", vars.len() + 1).as_str().into(),
                        label: Text::new("Nieuwe variabele", "New variable"),
                        init,
                        min: None,
                        max: None,
                        hidden: false,
                        levels: Vec::new(),
                    });
                    changed = true;
                }
            }
        });
    });
    changed
}

pub(super) fn forms_ui(ui: &mut egui::Ui, ed: &mut EditorView, lang: Lang) {
    let Some(mut s) = ed.parsed.clone() else {
        ui.label(tr(
            lang,
            "De tekst is nog geen geldig scenario; herstel eerst de fout hieronder.",
            "The text is not a valid scenario yet; fix the error below first.",
        ));
        return;
    };
    let plan = ed.plan.value.clone();
    let mut changed = false;
    ui.heading(tr(lang, "Scenario", "Scenario"));
    ui.horizontal(|ui| {
        let l = ui.label("id");
        changed |= ui
            .add(egui::TextEdit::singleline(&mut s.id))
            .labelled_by(l.id)
            .changed();
    });
    changed |= text_field_ui(ui, tr(lang, "Titel", "Title"), &mut s.title);
    changed |= text_field_ui(ui, tr(lang, "Samenvatting", "Summary"), &mut s.summary);
    ui.horizontal(|ui| {
        let l = ui.label(tr(lang, "Start (RFC 3339)", "Start (RFC 3339)"));
        changed |= ui
            .add(egui::TextEdit::singleline(&mut s.start))
            .labelled_by(l.id)
            .changed();
    });
    ui.horizontal(|ui| {
        let l = ui.label(tr(lang, "Duur (min)", "Duration (min)"));
        changed |= ui
            .add(egui::DragValue::new(&mut s.duration_min).range(1..=validate::MAX_DURATION_MIN))
            .labelled_by(l.id)
            .changed();
    });
    changed |= roles_ui(ui, "scenario-roles", &plan, &mut s.roles, lang);
    changed |= vars_ui(ui, &mut s.vars, lang);
    ui.separator();
    ui.horizontal(|ui| {
        ui.heading(tr(lang, "Injects", "Injects"));
        if ui.button(tr(lang, "+ Inject", "+ Inject")).clicked() {
            let n = s.injects.len() + 1;
            s.injects.push(Inject {
                id: format!("i-new-{n}").as_str().into(),
                at_min: Some(0),
                delay_min: 0,
                from: None,
                to: s.roles.first().cloned().into_iter().collect(),
                channel: Channel::Phone,
                title: Text::new("Nieuw inject", "New inject"),
                body: Text::default(),
                when: None,
                effects: Vec::new(),
                decisions: Vec::new(),
                expect: Vec::new(),
                attachments: Vec::new(),
            });
            ed.selected = Some(s.injects.len() - 1);
            changed = true;
        }
    });
    // The list scrolls on its own so the selected inject's form stays in view below it.
    egui::ScrollArea::vertical()
        .id_salt("inject-list")
        .max_height(260.0)
        .show(ui, |ui| {
            // In time order: scheduled injects by minute, then follow-ups and chances (released
            // by a choice or by luck) by their delay, each in file order among equals.
            let mut order: Vec<usize> = (0..s.injects.len()).collect();
            order.sort_by_key(|&i| {
                let inj = &s.injects[i];
                (inj.at_min.is_none(), inj.at_min.unwrap_or(inj.delay_min), i)
            });
            for i in order {
                let inj = &s.injects[i];
                let when = inj
                    .at_min
                    .map_or_else(|| format!("+{}", inj.delay_min), |m| format!("{m} min"));
                if ui
                    .selectable_label(
                        ed.selected == Some(i),
                        format!("{when:>7}  {}  ({})", inj.title.get(lang), inj.id),
                    )
                    .clicked()
                {
                    ed.selected = Some(i);
                    ed.ron_fields.clear();
                    // Show the inject in the text as well.
                    let loc = crate::model::locate::Locator::new(&ed.text);
                    ed.goto = loc.id_pos(loc.all(), "Inject", inj.id.as_str(), 0);
                }
            }
        });
    if let Some(i) = ed.selected.filter(|&i| i < s.injects.len()) {
        ui.separator();
        changed |= inject_form_ui(ui, ed, &plan, &mut s, i, lang);
    }
    if changed {
        ed.rewrite_from_form(&s);
    }
}

pub(super) fn ron_field_ui<T: serde::de::DeserializeOwned + serde::Serialize>(
    ui: &mut egui::Ui,
    label: &str,
    fields: &mut std::collections::BTreeMap<String, (String, Option<String>)>,
    key: &str,
    current: &T,
    apply: &mut dyn FnMut(T),
) -> bool {
    let (text, err) = fields.entry(key.to_owned()).or_insert_with(|| {
        let text = ron::ser::to_string_pretty(
            current,
            ron::ser::PrettyConfig::default()
                .struct_names(true)
                .new_line(" ")
                .indentor(""),
        )
        .unwrap_or_default();
        (text, None)
    });
    let l = ui.label(label);
    let changed = ui
        .add(
            egui::TextEdit::multiline(text)
                .code_editor()
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id)
        .changed();
    if changed {
        match ron::from_str::<T>(text) {
            Ok(v) => {
                *err = None;
                apply(v);
                return true;
            }
            Err(e) => *err = Some(format!("{}: {}", e.span.start, e.code)),
        }
    }
    if let Some(e) = err {
        ui.colored_label(ui.visuals().error_fg_color, e.as_str());
    }
    false
}

/// A comma-separated list of ids as a text field; returns the new list when edited.
pub(super) fn id_list_ui(ui: &mut egui::Ui, label: &str, ids: &[String]) -> Option<Vec<String>> {
    let mut text = ids.join(", ");
    let mut out = None;
    ui.horizontal(|ui| {
        let l = ui.label(label);
        if ui
            .add(egui::TextEdit::singleline(&mut text).desired_width(300.0))
            .labelled_by(l.id)
            .changed()
        {
            out = Some(
                text.split(',')
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(str::to_owned)
                    .collect(),
            );
        }
    });
    out
}

pub(super) fn inject_form_ui(
    ui: &mut egui::Ui,
    ed: &mut EditorView,
    plan: &Plan,
    s: &mut Scenario,
    i: usize,
    lang: Lang,
) -> bool {
    let mut changed = false;
    let roles_in_play = s.roles.clone();
    let inj = &mut s.injects[i];
    ui.heading(format!("Inject {}", inj.id));
    ui.horizontal(|ui| {
        let l = ui.label("id");
        let mut id = inj.id.to_string();
        if ui
            .add(egui::TextEdit::singleline(&mut id))
            .labelled_by(l.id)
            .changed()
        {
            inj.id = id.as_str().into();
            changed = true;
        }
    });
    ui.horizontal(|ui| {
        let mut scheduled = inj.at_min.is_some();
        if ui
            .checkbox(
                &mut scheduled,
                tr(lang, "Gepland op minuut", "Scheduled at minute"),
            )
            .changed()
        {
            inj.at_min = scheduled.then_some(0);
            changed = true;
        }
        if let Some(m) = inj.at_min.as_mut() {
            let l = ui.label("at_min");
            changed |= ui
                .add(egui::DragValue::new(m).range(0..=s.duration_min))
                .labelled_by(l.id)
                .changed();
        } else {
            let l = ui.label("delay_min");
            changed |= ui
                .add(egui::DragValue::new(&mut inj.delay_min).range(0..=600))
                .labelled_by(l.id)
                .changed();
        }
    });
    egui::ComboBox::new(("channel", i), tr(lang, "Kanaal", "Channel"))
        .selected_text(inj.channel.label(lang))
        .show_ui(ui, |ui| {
            for c in Channel::ALL {
                changed |= ui
                    .selectable_value(&mut inj.channel, c, c.label(lang))
                    .changed();
            }
        });
    ui.label(tr(lang, "Aan:", "To:"));
    ui.horizontal_wrapped(|ui| {
        for r in &roles_in_play {
            let mut on = inj.to.contains(r);
            let name = plan
                .role(r.as_str())
                .map_or(r.as_str(), |x| x.name.get(lang));
            if ui.checkbox(&mut on, name).changed() {
                changed = true;
                if on {
                    inj.to.push(r.clone());
                } else {
                    inj.to.retain(|x| x != r);
                }
            }
        }
    });
    changed |= text_field_ui(ui, tr(lang, "Titel", "Title"), &mut inj.title);
    changed |= text_field_ui(ui, tr(lang, "Tekst", "Body"), &mut inj.body);
    let when = inj.when.clone().unwrap_or(Cond::Always);
    let mut new_when = None;
    if ron_field_ui(
        ui,
        tr(lang, "Voorwaarde (when, RON)", "Condition (when, RON)"),
        &mut ed.ron_fields,
        &format!("when/{i}"),
        &when,
        &mut |c: Cond| new_when = Some(c),
    ) {
        inj.when = new_when.and_then(|c| (c != Cond::Always).then_some(c));
        changed = true;
    }
    let effects = inj.effects.clone();
    let mut new_effects = None;
    if ron_field_ui(
        ui,
        tr(lang, "Effecten (RON)", "Effects (RON)"),
        &mut ed.ron_fields,
        &format!("effects/{i}"),
        &effects,
        &mut |v: Vec<Effect>| new_effects = Some(v),
    ) {
        inj.effects = new_effects.unwrap_or_default();
        changed = true;
    }
    ui.separator();
    ui.horizontal(|ui| {
        ui.strong(tr(lang, "Besluiten", "Decisions"));
        if ui.button(tr(lang, "+ Besluit", "+ Decision")).clicked() {
            inj.decisions.push(Decision {
                id: format!("d-{}-{}", inj.id, inj.decisions.len() + 1)
                    .as_str()
                    .into(),
                role: roles_in_play
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "burgemeester".into()),
                prompt: Text::new("Wat doet u?", "What do you do?"),
                due_min: 10,
                options: vec![
                    Choice {
                        id: "a".into(),
                        label: Text::new("Optie A", "Option A"),
                        actions: Vec::new(),
                        effects: Vec::new(),
                        then: Vec::new(),
                        violates: Vec::new(),
                        debrief: None,
                        partly: Vec::new(),
                        against: Vec::new(),
                    },
                    Choice {
                        id: "b".into(),
                        label: Text::new("Optie B", "Option B"),
                        actions: Vec::new(),
                        effects: Vec::new(),
                        then: Vec::new(),
                        violates: Vec::new(),
                        debrief: None,
                        partly: Vec::new(),
                        against: Vec::new(),
                    },
                ],
                default: Some("b".into()),
                fixed_order: false,
                with: Vec::new(),
                any_of: Vec::new(),
            });
            changed = true;
        }
    });
    for (k, d) in inj.decisions.iter_mut().enumerate() {
        egui::CollapsingHeader::new(format!("{} — {}", d.id, d.prompt.get(lang)))
            .id_salt(("dec", i, k))
            .show(ui, |ui| {
                changed |= text_field_ui(ui, tr(lang, "Vraag", "Prompt"), &mut d.prompt);
                egui::ComboBox::new(("dec-role", i, k), tr(lang, "Rol", "Role"))
                    .selected_text(d.role.as_str())
                    .show_ui(ui, |ui| {
                        for r in &roles_in_play {
                            changed |= ui
                                .selectable_value(&mut d.role, r.clone(), r.as_str())
                                .changed();
                        }
                    });
                ui.horizontal(|ui| {
                    let l = ui.label("due_min");
                    changed |= ui
                        .add(egui::DragValue::new(&mut d.due_min).range(1..=600))
                        .labelled_by(l.id)
                        .changed();
                });
                for (m, c) in d.options.iter_mut().enumerate() {
                    ui.push_id(("choice", m), |ui| {
                        ui.label(format!("{} {}", tr(lang, "Keuze", "Choice"), c.id));
                        changed |= text_field_ui(ui, tr(lang, "Label", "Label"), &mut c.label);
                        egui::CollapsingHeader::new(format!(
                            "{} ({})",
                            tr(lang, "Planacties", "Plan actions"),
                            c.actions.len()
                        ))
                        .id_salt(("acts", m))
                        .show(ui, |ui| {
                            for a in &plan.actions {
                                let mut on = c.actions.contains(&a.id);
                                if ui.checkbox(&mut on, a.label.get(lang)).changed() {
                                    changed = true;
                                    if on {
                                        c.actions.push(a.id.clone());
                                    } else {
                                        c.actions.retain(|x| *x != a.id);
                                    }
                                }
                            }
                        });
                        let effects = c.effects.clone();
                        let mut new_effects = None;
                        if ron_field_ui(
                            ui,
                            tr(lang, "Effecten (RON)", "Effects (RON)"),
                            &mut ed.ron_fields,
                            &format!("choice-effects/{i}/{k}/{m}"),
                            &effects,
                            &mut |v: Vec<Effect>| new_effects = Some(v),
                        ) {
                            c.effects = new_effects.take().unwrap_or_default();
                            changed = true;
                        }
                        let then: Vec<String> = c.then.iter().map(ToString::to_string).collect();
                        if let Some(v) = id_list_ui(
                            ui,
                            tr(lang, "Vervolginjects (then)", "Follow-up injects (then)"),
                            &then,
                        ) {
                            c.then = v.iter().map(|x| x.as_str().into()).collect();
                            changed = true;
                        }
                        let violates: Vec<String> =
                            c.violates.iter().map(ToString::to_string).collect();
                        if let Some(v) = id_list_ui(
                            ui,
                            tr(lang, "Gaat in tegen (procedures)", "Violates (procedures)"),
                            &violates,
                        ) {
                            c.violates = v.iter().map(|x| x.as_str().into()).collect();
                            changed = true;
                        }
                    });
                }
                if ui.button(tr(lang, "+ Keuze", "+ Choice")).clicked() {
                    let n = d.options.len() + 1;
                    d.options.push(Choice {
                        id: format!("c{n}").as_str().into(),
                        label: Text::new(format!("Optie {n}"), format!("Option {n}")),
                        actions: Vec::new(),
                        effects: Vec::new(),
                        then: Vec::new(),
                        violates: Vec::new(),
                        debrief: None,
                        partly: Vec::new(),
                        against: Vec::new(),
                    });
                    changed = true;
                }
            });
    }
    if ui
        .button(tr(lang, "Inject verwijderen", "Delete inject"))
        .clicked()
    {
        s.injects.remove(i);
        ed.selected = None;
        changed = true;
    }
    changed
}
