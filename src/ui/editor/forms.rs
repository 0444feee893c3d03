//! The editor's forms: scenario metadata, roles, the scenario's own roles, actions, procedures
//! and variables, injects with their attachments, decisions, choices, conditions and effects.
//! Each edit changes the model; the text is then rewritten from it, keeping the author's text
//! where nothing changed (`splice.rs`).

use super::local::{local_actions_ui, local_procedures_ui, local_roles_ui};
use super::logic::{Known, cond_ui, effects_ui, pick_ui};
use super::{
    Channel, Choice, Cond, Decision, EditorView, Inject, Lang, Plan, RoleId, Scenario, Text, tr,
    validate,
};
use crate::model::diag::Diagnostic;
use crate::model::locate::Locator;

/// The validator's findings, for showing each beside the form of the object it is in.
pub(super) struct Findings<'a> {
    /// The findings for the current text.
    pub diagnostics: &'a [Diagnostic],
    /// The current text, tokenized.
    pub loc: &'a Locator,
}

impl Findings<'_> {
    /// Shows the findings within the first object `name` with `id: "<id>"` (nested objects
    /// included), in the colour of their severity.
    pub fn object_ui(&self, ui: &mut egui::Ui, name: &str, id: &str) {
        let Some(obj) = self.loc.object(self.loc.all(), name, id, 0) else {
            return;
        };
        self.show_ui(ui, |d| self.loc.contains(obj, d.pos));
    }

    /// Shows the findings `keep` selects.
    pub fn show_ui(&self, ui: &mut egui::Ui, mut keep: impl FnMut(&Diagnostic) -> bool) {
        for d in self.diagnostics.iter().filter(|d| keep(d)) {
            let colour = if d.is_error() {
                ui.visuals().error_fg_color
            } else {
                ui.visuals().warn_fg_color
            };
            ui.add(
                egui::Label::new(
                    egui::RichText::new(format!(
                        "{}:{}  {}{}",
                        d.pos.line,
                        d.pos.col,
                        d.problem,
                        d.help
                            .as_ref()
                            .map_or_else(String::new, |h| format!(" — {h}"))
                    ))
                    .color(colour)
                    .small(),
                )
                .wrap(),
            );
        }
    }
}

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
    simulated: &mut Vec<RoleId>,
    lang: Lang,
) -> bool {
    let mut changed = false;
    egui::CollapsingHeader::new(format!("{} ({})", tr(lang, "Rollen", "Roles"), roles.len()))
        .id_salt(id)
        .show(ui, |ui| {
            for r in &plan.roles {
                ui.horizontal(|ui| {
                    let mut on = roles.contains(&r.id);
                    if ui.checkbox(&mut on, r.name.get(lang)).changed() {
                        changed = true;
                        if on {
                            roles.push(r.id.clone());
                        } else {
                            roles.retain(|x| *x != r.id);
                            simulated.retain(|x| *x != r.id);
                        }
                    }
                    if on {
                        // Format 2: a role in play that exercise control plays by default.
                        let mut sim = simulated.contains(&r.id);
                        if ui
                            .checkbox(
                                &mut sim,
                                tr(lang, "door oefenleiding", "by exercise control"),
                            )
                            .on_hover_text(tr(
                                lang,
                                "simulated: bij de opzet niet aan tafel; de oefenleiding beantwoordt de besluiten van deze rol",
                                "simulated: not at the table at setup; exercise control answers this role's decisions",
                            ))
                            .changed()
                        {
                            changed = true;
                            if sim {
                                simulated.push(r.id.clone());
                            } else {
                                simulated.retain(|x| *x != r.id);
                            }
                        }
                    }
                });
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
    // The plan with the scenario's own roles, actions and procedures, for every pick list.
    let merged = crate::model::authoring::plan_for(&plan, &s).into_owned();
    let known = Known::new(&merged, &s, lang);
    let mut changed = false;
    ui.heading(tr(lang, "Scenario", "Scenario"));
    changed |= format_ui(ui, ed, &mut s, lang);
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
    changed |= roles_ui(
        ui,
        "scenario-roles",
        &plan,
        &mut s.roles,
        &mut s.simulated,
        lang,
    );
    {
        let findings = Findings {
            diagnostics: &ed.diagnostics,
            loc: &ed.loc,
        };
        changed |= local_roles_ui(ui, &mut s, lang, &findings);
        changed |= local_actions_ui(ui, &mut s, lang, &findings);
        changed |= local_procedures_ui(ui, &mut s, &known, &mut ed.ron_fields, lang, &findings);
    }
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
        changed |= inject_form_ui(ui, ed, &merged, &known, &mut s, i, lang);
    }
    if changed {
        // A version-2 field used in a version-1 file: say `format: 2`, or the validator
        // refuses the field (`needs-format`); the note above the forms tells the author.
        if s.format < crate::model::CURRENT_FORMAT && s.uses_format_2() {
            s.format = crate::model::CURRENT_FORMAT;
            ed.format_raised = true;
        }
        ed.rewrite_from_form(&s);
    }
}

/// The file's format version, with a button to move a version-1 file to version 2 and a note
/// when a form edit did that.
fn format_ui(ui: &mut egui::Ui, ed: &mut EditorView, s: &mut Scenario, lang: Lang) -> bool {
    let mut changed = false;
    ui.horizontal(|ui| {
        ui.label(format!(
            "{} {}",
            tr(lang, "Formaatversie:", "Format version:"),
            s.format
        ));
        if s.format < crate::model::CURRENT_FORMAT
            && ui
                .button(tr(lang, "Naar formaat 2", "Move to format 2"))
                .on_hover_text(tr(
                    lang,
                    "Nodig voor eigen rollen en procedures, bijlagen, tijdvoorwaarden, kans- en als-effecten, gezamenlijke besluiten. Keuzes worden dan per seed geschud, tenzij een besluit een vaste volgorde heeft.",
                    "Needed for own roles and procedures, attachments, time conditions, chance and if effects, joint decisions. Choices are then shuffled per seed unless a decision has a fixed order.",
                ))
                .clicked()
        {
            s.format = crate::model::CURRENT_FORMAT;
            changed = true;
        }
    });
    if ed.format_raised {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            tr(
                lang,
                "Dit scenario gebruikt nu velden van formaat 2, dus de editor heeft `format: 2` gezet. Keuzes worden voortaan per seed in wisselende volgorde getoond, tenzij een besluit 'vaste volgorde' heeft (scenarios/README.md, 3.12).",
                "This scenario now uses format-2 fields, so the editor set `format: 2`. Choices are now shown in an order that changes per seed, unless a decision has 'fixed order' (scenarios/README.md, 3.12).",
            ),
        );
    }
    changed
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

fn new_choice(id: &str, nl: &str, en: &str) -> Choice {
    Choice {
        id: id.into(),
        label: Text::new(nl, en),
        actions: Vec::new(),
        effects: Vec::new(),
        then: Vec::new(),
        violates: Vec::new(),
        debrief: None,
        partly: Vec::new(),
        against: Vec::new(),
    }
}

/// A condition or effects edited in the structured form, with the same value as RON text in a
/// closed section below it for whoever prefers to type; an edit in either shows in the other.
fn ron_twin_ui<T: serde::de::DeserializeOwned + serde::Serialize + Clone>(
    ui: &mut egui::Ui,
    lang: Lang,
    ron: &mut super::logic::RonFields,
    key: &str,
    value: &mut T,
    structured_changed: bool,
) -> bool {
    if structured_changed {
        // The RON text shows the value the structured form just made.
        super::logic::forget(ron, key);
        return true;
    }
    let mut changed = false;
    egui::CollapsingHeader::new(tr(lang, "Als RON-tekst", "As RON text"))
        .id_salt((key, "ron"))
        .show(ui, |ui| {
            let mut new = None;
            if ron_field_ui(
                ui,
                tr(lang, "RON", "RON"),
                ron,
                key,
                &value.clone(),
                &mut |v: T| new = Some(v),
            ) && let Some(v) = new
            {
                *value = v;
                changed = true;
            }
        });
    changed
}

pub(super) fn inject_form_ui(
    ui: &mut egui::Ui,
    ed: &mut EditorView,
    plan: &Plan,
    known: &Known,
    s: &mut Scenario,
    i: usize,
    lang: Lang,
) -> bool {
    let mut changed = false;
    let roles_in_play = s.roles.clone();
    let role_name = |r: &RoleId| {
        plan.role(r.as_str())
            .map_or_else(|| r.to_string(), |x| x.name.get(lang).to_owned())
    };
    let scenario_path = ed.path.clone();
    let findings = Findings {
        diagnostics: &ed.diagnostics,
        loc: &ed.loc,
    };
    let ron = &mut ed.ron_fields;
    let inj = &mut s.injects[i];
    ui.heading(format!("Inject {}", inj.id));
    findings.show_ui(ui, |d| {
        findings
            .loc
            .object(findings.loc.all(), "Inject", inj.id.as_str(), 0)
            .is_some_and(|obj| {
                // The inject's own findings; its decisions show theirs beside them.
                findings.loc.contains(obj, d.pos)
                    && !inj.decisions.iter().any(|dec| {
                        findings
                            .loc
                            .object(obj, "Decision", dec.id.as_str(), 0)
                            .is_some_and(|o| findings.loc.contains(o, d.pos))
                    })
            })
    });
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
            if ui.checkbox(&mut on, role_name(r)).changed() {
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
    ui.separator();
    ui.strong(tr(
        lang,
        "Alleen vrijgeven als (when)",
        "Released only when (when)",
    ));
    let mut when = inj.when.clone().unwrap_or(Cond::Always);
    let key = format!("when/{i}");
    let edited = cond_ui(ui, &key, lang, known, ron, &mut when, 0);
    if ron_twin_ui(ui, lang, ron, &key, &mut when, edited) {
        inj.when = (when != Cond::Always).then_some(when);
        changed = true;
    }
    ui.separator();
    ui.strong(tr(lang, "Effecten bij vrijgave", "Effects when released"));
    let key = format!("effects/{i}");
    let edited = effects_ui(ui, &key, lang, known, ron, &mut inj.effects, 0);
    changed |= ron_twin_ui(ui, lang, ron, &key, &mut inj.effects, edited);
    ui.separator();
    let mut pick = None;
    changed |= attachments_form_ui(
        ui,
        scenario_path.as_deref(),
        &findings,
        inj,
        lang,
        &mut |j| pick = Some((i, j)),
    );
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
                    new_choice("a", "Optie A", "Option A"),
                    new_choice("b", "Optie B", "Option B"),
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
                changed |= decision_form_ui(
                    ui,
                    &DecisionCtx {
                        plan,
                        known,
                        roles_in_play: &roles_in_play,
                        findings: &findings,
                        lang,
                        salt: (i, k),
                    },
                    ron,
                    d,
                    &role_name,
                );
            });
    }
    if ui
        .button(tr(lang, "Inject verwijderen", "Delete inject"))
        .clicked()
    {
        s.injects.remove(i);
        ed.selected = None;
        changed = true;
    } else if pick.is_some() {
        ed.pick_attachment = pick;
    }
    changed
}

/// An inject's attachments: the file's path relative to the scenario's folder, the caption,
/// the validator's finding for the file, and a small picture when it is one.
fn attachments_form_ui(
    ui: &mut egui::Ui,
    scenario_path: Option<&std::path::Path>,
    findings: &Findings<'_>,
    inj: &mut Inject,
    lang: Lang,
    pick: &mut dyn FnMut(usize),
) -> bool {
    let mut changed = false;
    egui::CollapsingHeader::new(format!(
        "{} ({})",
        tr(lang, "Bijlagen", "Attachments"),
        inj.attachments.len()
    ))
    .id_salt(("attachments", inj.id.as_str()))
    .show(ui, |ui| {
        if scenario_path.is_none() {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                tr(
                    lang,
                    "Sla het scenario eerst op: een bijlage staat in (een map onder) de map van het scenario en het pad is daartoe relatief.",
                    "Save the scenario first: an attachment lies in (a folder under) the scenario's folder, and its path is relative to it.",
                ),
            );
        }
        let mut remove = None;
        let shown = inj.clone();
        for (n, a) in inj.attachments.iter_mut().enumerate() {
            ui.push_id(("attachment", n), |ui| {
                ui.horizontal(|ui| {
                    let l = ui.label(tr(lang, "Bestand (relatief pad)", "File (relative path)"));
                    changed |= ui
                        .add(egui::TextEdit::singleline(&mut a.file).desired_width(260.0))
                        .labelled_by(l.id)
                        .changed();
                    if ui
                        .add_enabled(
                            scenario_path.is_some(),
                            egui::Button::new(tr(lang, "Kiezen…", "Choose…")).small(),
                        )
                        .on_hover_text(tr(
                            lang,
                            "Een bestand buiten de map van het scenario wordt naar bijlagen/ gekopieerd.",
                            "A file outside the scenario's folder is copied into bijlagen/.",
                        ))
                        .clicked()
                    {
                        pick(n);
                    }
                    if ui
                        .small_button("✕")
                        .on_hover_text(tr(lang, "Bijlage verwijderen", "Remove attachment"))
                        .clicked()
                    {
                        remove = Some(n);
                    }
                });
                changed |= text_field_ui(ui, tr(lang, "Onderschrift", "Caption"), &mut a.caption);
                let file = a.file.clone();
                let mut bad = false;
                findings.show_ui(ui, |d| {
                    let hit = matches!(
                        &d.problem,
                        crate::model::diag::Problem::BadAttachment { file: f, .. } if *f == file
                    );
                    bad |= hit && d.is_error();
                    hit
                });
                // A small picture of the file as it is now, through the desks' widget (which
                // reads it once, with the same checks).
                if !bad && let Some(path) = scenario_path {
                    let mut one = shown.clone();
                    one.attachments.retain(|x| x.file == file);
                    one.attachments.truncate(1);
                    crate::ui::widgets::attachments_ui(ui, path, &one, lang, 80.0, None, false);
                }
                ui.separator();
            });
        }
        if let Some(n) = remove {
            inj.attachments.remove(n);
            changed = true;
        }
        if ui
            .button(tr(lang, "+ Bijlage", "+ Attachment"))
            .clicked()
        {
            inj.attachments.push(crate::model::Attachment {
                file: "bijlagen/".to_owned(),
                caption: Text::new("Wat is er te zien?", "What does it show?"),
            });
            changed = true;
        }
    });
    changed
}

/// What a decision's form needs besides the decision.
struct DecisionCtx<'a> {
    plan: &'a Plan,
    known: &'a Known,
    roles_in_play: &'a [RoleId],
    findings: &'a Findings<'a>,
    lang: Lang,
    salt: (usize, usize),
}

/// A decision: prompt, role, deadline, default, fixed order, joint or any-of roles, choices.
fn decision_form_ui(
    ui: &mut egui::Ui,
    cx: &DecisionCtx<'_>,
    ron: &mut super::logic::RonFields,
    d: &mut Decision,
    role_name: &dyn Fn(&RoleId) -> String,
) -> bool {
    let lang = cx.lang;
    let (i, k) = cx.salt;
    let mut changed = false;
    cx.findings.object_ui(ui, "Decision", d.id.as_str());
    changed |= text_field_ui(ui, tr(lang, "Vraag", "Prompt"), &mut d.prompt);
    ui.horizontal(|ui| {
        let l = ui.label(tr(lang, "Rol", "Role"));
        egui::ComboBox::from_id_salt(("dec-role", i, k))
            .selected_text(role_name(&d.role))
            .show_ui(ui, |ui| {
                for r in cx.roles_in_play {
                    changed |= ui
                        .selectable_value(&mut d.role, r.clone(), role_name(r))
                        .changed();
                }
            })
            .response
            .labelled_by(l.id);
    });
    ui.horizontal(|ui| {
        let l = ui.label("due_min");
        changed |= ui
            .add(egui::DragValue::new(&mut d.due_min).range(1..=600))
            .labelled_by(l.id)
            .changed();
    });
    let choices: Vec<(String, String)> = d
        .options
        .iter()
        .map(|c| (c.id.to_string(), c.label.get(lang).to_owned()))
        .collect();
    let mut default = d
        .default
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    let mut none = vec![(String::new(), tr(lang, "(niets)", "(nothing)").to_owned())];
    none.extend(choices);
    if pick_ui(
        ui,
        ("dec-default", i, k),
        tr(lang, "Bij verlopen (default)", "When it expires (default)"),
        &mut default,
        &none,
    ) {
        d.default = (!default.is_empty()).then(|| default.as_str().into());
        changed = true;
    }
    changed |= ui
        .checkbox(
            &mut d.fixed_order,
            tr(
                lang,
                "Vaste volgorde van de keuzes (fixed_order)",
                "Fixed order of the choices (fixed_order)",
            ),
        )
        .on_hover_text(tr(
            lang,
            "Anders worden de keuzes per seed in wisselende volgorde getoond.",
            "Otherwise the choices are shown in an order that changes per seed.",
        ))
        .changed();
    for (field, list, label) in [
        (
            "with",
            &mut d.with,
            tr(
                lang,
                "Samen met (gezamenlijk besluit, with)",
                "Together with (joint decision, with)",
            ),
        ),
        (
            "any_of",
            &mut d.any_of,
            tr(
                lang,
                "Of (wie het eerst handelt, any_of)",
                "Or (whoever acts first, any_of)",
            ),
        ),
    ] {
        let names: Vec<String> = list.iter().map(role_name).collect();
        egui::CollapsingHeader::new(format!(
            "{label}: {}",
            if names.is_empty() {
                "—".to_owned()
            } else {
                names.join(", ")
            }
        ))
        .id_salt((field, i, k))
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                for r in cx.roles_in_play.iter().filter(|r| **r != d.role) {
                    let mut on = list.contains(r);
                    if ui.checkbox(&mut on, role_name(r)).changed() {
                        changed = true;
                        if on {
                            list.push(r.clone());
                        } else {
                            list.retain(|x| x != r);
                        }
                    }
                }
            });
        });
    }
    for (m, c) in d.options.iter_mut().enumerate() {
        ui.push_id(("choice", m), |ui| {
            ui.separator();
            ui.label(format!("{} {}", tr(lang, "Keuze", "Choice"), c.id));
            changed |= choice_form_ui(ui, cx, ron, c, m);
        });
    }
    if ui.button(tr(lang, "+ Keuze", "+ Choice")).clicked() {
        let n = d.options.len() + 1;
        d.options.push(new_choice(
            &format!("c{n}"),
            &format!("Optie {n}"),
            &format!("Option {n}"),
        ));
        changed = true;
    }
    changed
}

/// A choice: label, plan actions, effects, follow-ups, procedures it goes against, satisfies
/// in part or against with a reason, and the debrief.
fn choice_form_ui(
    ui: &mut egui::Ui,
    cx: &DecisionCtx<'_>,
    ron: &mut super::logic::RonFields,
    c: &mut Choice,
    m: usize,
) -> bool {
    let lang = cx.lang;
    let (i, k) = cx.salt;
    let mut changed = false;
    changed |= text_field_ui(ui, tr(lang, "Label", "Label"), &mut c.label);
    egui::CollapsingHeader::new(format!(
        "{} ({})",
        tr(lang, "Planacties", "Plan actions"),
        c.actions.len()
    ))
    .id_salt(("acts", m))
    .show(ui, |ui| {
        for a in &cx.plan.actions {
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
    egui::CollapsingHeader::new(format!(
        "{} ({})",
        tr(lang, "Effecten", "Effects"),
        c.effects.len()
    ))
    .id_salt(("choice-effects", m))
    .show(ui, |ui| {
        let key = format!("choice-effects/{i}/{k}/{m}");
        let edited = effects_ui(ui, &key, lang, cx.known, ron, &mut c.effects, 0);
        changed |= ron_twin_ui(ui, lang, ron, &key, &mut c.effects, edited);
    });
    let then: Vec<String> = c.then.iter().map(ToString::to_string).collect();
    if let Some(v) = id_list_ui(
        ui,
        tr(lang, "Vervolginjects (then)", "Follow-up injects (then)"),
        &then,
    ) {
        c.then = v.iter().map(|x| x.as_str().into()).collect();
        changed = true;
    }
    let violates: Vec<String> = c.violates.iter().map(ToString::to_string).collect();
    if let Some(v) = id_list_ui(
        ui,
        tr(lang, "Gaat in tegen (procedures)", "Violates (procedures)"),
        &violates,
    ) {
        c.violates = v.iter().map(|x| x.as_str().into()).collect();
        changed = true;
    }
    egui::CollapsingHeader::new(format!(
        "{} ({}/{})",
        tr(
            lang,
            "Deels voldaan / ertegenin, met reden",
            "Partly satisfied / against, with reason"
        ),
        c.partly.len(),
        c.against.len()
    ))
    .id_salt(("partly-against", m))
    .show(ui, |ui| {
        changed |= reasons_ui(ui, cx, c);
    });
    let mut debrief = c.debrief.clone().unwrap_or_default();
    if text_field_ui(ui, tr(lang, "Nabespreking", "Debrief"), &mut debrief) {
        c.debrief = (debrief != Text::default()).then_some(debrief);
        changed = true;
    }
    changed
}

/// A choice's `partly` (a procedure satisfied for a share of its points) and `against` (a
/// procedure gone against, with the reason and the share of the weight charged).
fn reasons_ui(ui: &mut egui::Ui, cx: &DecisionCtx<'_>, c: &mut Choice) -> bool {
    let lang = cx.lang;
    let mut changed = false;
    let first = || -> crate::model::ProcedureId {
        cx.known
            .procedures
            .first()
            .map_or("", |p| p.0.as_str())
            .into()
    };
    ui.strong(tr(
        lang,
        "Deels voldaan (partly)",
        "Partly satisfied (partly)",
    ));
    let mut remove = None;
    for (n, p) in c.partly.iter_mut().enumerate() {
        ui.push_id(("partly", n), |ui| {
            ui.horizontal(|ui| {
                let mut id = p.procedure.to_string();
                if pick_ui(
                    ui,
                    ("partly-proc", n),
                    tr(lang, "procedure", "procedure"),
                    &mut id,
                    &cx.known.procedures,
                ) {
                    p.procedure = id.as_str().into();
                    changed = true;
                }
                let l = ui.label(tr(lang, "aandeel", "share"));
                changed |= ui
                    .add(
                        egui::DragValue::new(&mut p.share)
                            .range(0.05..=0.95)
                            .speed(0.05),
                    )
                    .labelled_by(l.id)
                    .changed();
                if ui.small_button("✕").clicked() {
                    remove = Some(n);
                }
            });
            changed |= text_field_ui(ui, tr(lang, "Reden", "Reason"), &mut p.why);
        });
    }
    if let Some(n) = remove {
        c.partly.remove(n);
        changed = true;
    }
    if ui.button(tr(lang, "+ Deels", "+ Partly")).clicked() {
        c.partly.push(crate::model::Partly {
            procedure: first(),
            share: 0.5,
            why: Text::new("Waarom maar deels?", "Why only partly?"),
        });
        changed = true;
    }
    ui.strong(tr(
        lang,
        "Ertegenin, met reden (against)",
        "Against, with reason (against)",
    ));
    let mut remove = None;
    for (n, a) in c.against.iter_mut().enumerate() {
        ui.push_id(("against", n), |ui| {
            ui.horizontal(|ui| {
                let mut id = a.procedure.to_string();
                if pick_ui(
                    ui,
                    ("against-proc", n),
                    tr(lang, "procedure", "procedure"),
                    &mut id,
                    &cx.known.procedures,
                ) {
                    a.procedure = id.as_str().into();
                    changed = true;
                }
                let l = ui.label(tr(lang, "aandeel gewicht", "share of weight"));
                changed |= ui
                    .add(
                        egui::DragValue::new(&mut a.share)
                            .range(0.05..=1.0)
                            .speed(0.05),
                    )
                    .labelled_by(l.id)
                    .changed();
                if ui.small_button("✕").clicked() {
                    remove = Some(n);
                }
            });
            changed |= text_field_ui(ui, tr(lang, "Reden", "Reason"), &mut a.why);
        });
    }
    if let Some(n) = remove {
        c.against.remove(n);
        changed = true;
    }
    if ui.button(tr(lang, "+ Ertegenin", "+ Against")).clicked() {
        c.against.push(crate::model::Against {
            procedure: first(),
            why: Text::new("Waarom gaat dit ertegenin?", "Why does this go against it?"),
            share: 1.0,
        });
        changed = true;
    }
    changed
}
